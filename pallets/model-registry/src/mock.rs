//! Test runtime for the model registry, hosted by `pallet-subnets` as in Galton's runtime.

use crate as pallet_model_registry;
use frame_support::{derive_impl, parameter_types};
use galton_primitives::{ClaimConfig, Competition, EpsilonSchedule, Metric};
use sp_runtime::{BuildStorage, Perbill};

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Subnets: pallet_subnets,
		ModelRegistry: pallet_model_registry,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
	type AccountData = pallet_balances::AccountData<u64>;
}

#[derive_impl(pallet_balances::config_preludes::TestDefaultConfig)]
impl pallet_balances::Config for Test {
	type AccountStore = System;
	type RuntimeHoldReason = RuntimeHoldReason;
}

parameter_types! {
	pub const MaxSubnets: u16 = 4;
	pub const MaxNeurons: u32 = 8;
	pub const MaxCompetitions: u32 = 3;
	pub const MaxCommitInterval: u64 = 1_000;
	pub const MaxAnnouncements: u32 = 3;
	pub const MaxClaimDelay: u64 = 100;
	pub const MaxClaimWindow: u64 = 200;
	/// Commits open two blocks after the announcement and stay open five blocks.
	pub const DefaultClaimConfig: ClaimConfig<u64> = ClaimConfig { reveal_delay: 2, reveal_window: 5 };
}

impl pallet_subnets::Config for Test {
	type CommitReveal = ();
	type OnDeregister = ModelRegistry;
	type OwnerOrigin = pallet_subnets::EnsureSubnetOwnerOrRoot<Test>;
	// Deposits have tests of their own in pallet-subnets; here hotkeys register for free.
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type SubnetDeposit = frame_support::traits::ConstU64<0>;
	type RegistrationDeposit = frame_support::traits::ConstU64<0>;
	type MaxSubnets = MaxSubnets;
	type MaxNeurons = MaxNeurons;
	type WeightInfo = ();
}

impl pallet_model_registry::Config for Test {
	type Subnets = Subnets;
	type ConfigOrigin = pallet_subnets::EnsureSubnetOwnerOrRoot<Test>;
	type MaxCompetitions = MaxCompetitions;
	type MaxCommitInterval = MaxCommitInterval;
	type MaxAnnouncements = MaxAnnouncements;
	type MaxClaimDelay = MaxClaimDelay;
	type MaxClaimWindow = MaxClaimWindow;
	type DefaultClaimConfig = DefaultClaimConfig;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = Subnets;
}

/// Owner of subnets 1 and 2.
pub const OWNER: u64 = 1;
/// Miners registered on subnet 1 (and `MINER_A` on subnet 2 too).
pub const MINER_A: u64 = 10;
/// A second miner of subnet 1.
pub const MINER_B: u64 = 11;
/// A third miner of subnet 1.
pub const MINER_C: u64 = 12;

/// Competition 0 of subnet 1: `Linear(0.5%, 0.01%, 14400)`, 60% of the rewards.
pub fn linear_competition() -> Competition {
	Competition {
		epsilon: EpsilonSchedule::Linear {
			start: Perbill::from_parts(5_000_000),
			end: Perbill::from_parts(100_000),
			decay_blocks: 14_400,
		},
		reward_share: Perbill::from_percent(60),
		metric: Metric::CrossEntropy,
		max_params: 1_000_000_000,
	}
}

/// Genesis: subnet 1 with three miners and competition 0 ([`linear_competition`]); subnet 2
/// with [`MINER_A`] and a fixed-epsilon competition 0. The chain starts at block 1.
pub fn new_test_ext() -> sp_io::TestExternalities {
	let fixed = Competition {
		epsilon: EpsilonSchedule::Fixed { epsilon: Perbill::from_percent(1) },
		reward_share: Perbill::one(),
		metric: Metric::Perplexity,
		max_params: 10,
	};
	let storage = RuntimeGenesisConfig {
		system: Default::default(),
		balances: Default::default(),
		subnets: pallet_subnets::GenesisConfig {
			subnets: vec![
				(OWNER, vec![(MINER_A, false), (MINER_B, false), (MINER_C, false)]),
				(OWNER, vec![(MINER_A, false)]),
			],
		},
		model_registry: pallet_model_registry::GenesisConfig {
			competitions: vec![(1, 0, linear_competition()), (2, 0, fixed)],
			commit_intervals: vec![],
			claim_configs: vec![],
		},
	}
	.build_storage()
	.expect("the mock genesis is valid");
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Run `test` on the mock genesis, then check the pallet's invariants.
pub fn build_and_execute(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		ModelRegistry::do_try_state().expect("model registry invariants hold");
	});
}

/// Advance to block `n`, running every pallet's hooks.
pub fn run_to_block(n: u64) {
	System::run_to_block::<AllPalletsWithSystem>(n);
}
