//! Test runtime for the commit-reveal pallet, hosted by `pallet-subnets` as in Galton's runtime.

use crate as pallet_commit_reveal;
use crate::RevealConfig;
use frame_support::{derive_impl, parameter_types, traits::Hooks, weights::Weight};
use frame_system::RunToBlockHooks;
use galton_timelock::{BeaconPublicKey, BeaconSignature, DevBeacon, RandomnessBeacon};
use sp_runtime::{BuildStorage, Perbill};
use std::{
	cell::{Cell, RefCell},
	collections::BTreeMap,
};

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Subnets: pallet_subnets,
		CommitReveal: pallet_commit_reveal,
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
	pub const MaxNeurons: u32 = 6;
	pub const MaxPendingCommits: u32 = 3;
	pub const MaxRevealDelay: u64 = 100;
	pub const MaxRevealWindow: u64 = 50;
	pub const MaxCommitInterval: u64 = 50;
	pub const ExpiredRetention: u64 = 5;
	pub const MaxReclaimPerBlock: u32 = 4;
	pub const MaxUids: u32 = 8;
	pub const MinSaltLen: u32 = 8;
	pub const MaxSaltLen: u32 = 12;
	pub const MaxBatchSize: u32 = 4;
	pub const MaxBlockShare: Perbill = Perbill::from_percent(50);
	/// A payload of `MaxUids` weights and the timelock overhead.
	pub const MaxCiphertextLen: u32 = 512;
}

std::thread_local! {
	/// The test beacon's stored pulses, by round.
	static PULSES: RefCell<BTreeMap<u64, BeaconSignature>> = const { RefCell::new(BTreeMap::new()) };
	/// The round due by the test chain's clock; `None` when the chain has no beacon.
	static DUE_ROUND: Cell<Option<u64>> = const { Cell::new(Some(0)) };
}

/// Set the round due by the test chain's clock (zero at genesis: only stored pulses count);
/// `None` takes the chain's beacon away.
pub fn set_due_round(round: Option<u64>) {
	DUE_ROUND.with(|due| due.set(round));
}

/// The development beacon, with pulses stored by [`store_pulse`].
pub struct TestBeacon;

impl RandomnessBeacon for TestBeacon {
	fn public_key() -> Option<BeaconPublicKey> {
		Some(DevBeacon::development().public_key())
	}

	fn latest_round() -> Option<u64> {
		PULSES.with(|pulses| pulses.borrow().keys().next_back().copied())
	}

	fn due_round() -> Option<u64> {
		DUE_ROUND.with(Cell::get)
	}

	fn signature(round: u64) -> Option<BeaconSignature> {
		PULSES.with(|pulses| pulses.borrow().get(&round).copied())
	}

	/// Benchmarks run one after another on a thread: each starts the beacon afresh.
	#[cfg(feature = "runtime-benchmarks")]
	fn store_for_benchmark(round: u64) {
		PULSES.with(|pulses| pulses.borrow_mut().retain(|stored, _| *stored < round));
		store_pulse(round);
	}
}

/// Store the development beacon's pulse for `round`.
pub fn store_pulse(round: u64) {
	let signature = DevBeacon::development().pulse(round).signature;
	PULSES.with(|pulses| pulses.borrow_mut().insert(round, signature));
}

/// Store `signature` as the beacon's pulse for `round` (a real beacon's, such as drand
/// quicknet's, whose rounds the development beacon's key does not sign).
pub fn store_signature(round: u64, signature: BeaconSignature) {
	PULSES.with(|pulses| pulses.borrow_mut().insert(round, signature));
}

/// Replace the chain's beacon, as `pallet-beacon`'s `set_beacon` does: the old pulses go, and
/// the pallet is told.
pub fn replace_beacon() {
	PULSES.with(|pulses| pulses.borrow_mut().clear());
	<CommitReveal as galton_timelock::OnBeaconReplaced>::on_beacon_replaced();
}

/// Store a pulse for `round` that is not the beacon's (a signature over another round).
pub fn store_wrong_pulse(round: u64) {
	let signature = DevBeacon::development().pulse(round + 1_000).signature;
	PULSES.with(|pulses| pulses.borrow_mut().insert(round, signature));
}

impl pallet_subnets::Config for Test {
	type CommitReveal = CommitReveal;
	type OnDeregister = CommitReveal;
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

impl pallet_commit_reveal::Config for Test {
	type Subnets = Subnets;
	type PlainWeightsCall = pallet_subnets::SetWeightsCall<Test>;
	type ConfigOrigin = pallet_subnets::EnsureSubnetOwnerOrRoot<Test>;
	type MaxPendingCommits = MaxPendingCommits;
	type MaxRevealDelay = MaxRevealDelay;
	type MaxRevealWindow = MaxRevealWindow;
	type MaxCommitInterval = MaxCommitInterval;
	type ExpiredRetention = ExpiredRetention;
	type MaxReclaimPerBlock = MaxReclaimPerBlock;
	type MaxUids = MaxUids;
	type MinSaltLen = MinSaltLen;
	type MaxSaltLen = MaxSaltLen;
	type MaxBatchSize = MaxBatchSize;
	type MaxBlockShare = MaxBlockShare;
	type Beacon = TestBeacon;
	type MaxCiphertextLen = MaxCiphertextLen;
	type CommitRevealVersion = frame_support::traits::ConstU16<4>;
	type MaxRoundsAhead = frame_support::traits::ConstU64<10>;
	type RoundSlack = frame_support::traits::ConstU64<2>;
	type MaxCommitsPerRound = frame_support::traits::ConstU32<2>;
	type MaxQueuedRounds = frame_support::traits::ConstU32<13>;
	type MaxOpenedPerBlock = frame_support::traits::ConstU32<2>;
	type MissingPulseGrace = frame_support::traits::ConstU64<3>;
	type WeightInfo = ();
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = Subnets;
}

/// Owner of subnets 1 and 2.
pub const OWNER: u64 = 1;
/// A validator (permit) on subnets 1 and 2; uid 0 on both.
pub const VALIDATOR: u64 = 10;
/// A miner (no permit) on subnet 1, uid 1.
pub const MINER: u64 = 11;
/// A second validator on subnet 1, uid 2.
pub const VALIDATOR_2: u64 = 12;
/// Subnet 1's reveal delay at genesis.
pub const DELAY: u64 = 10;
/// Subnet 1's reveal window at genesis.
pub const WINDOW: u64 = 5;

/// Genesis: subnets 1 and 2 with the neurons above; subnet 1 runs commit-reveal with
/// [`DELAY`] and [`WINDOW`] and lets a validator commit every block (the default rate limit,
/// one commit per reveal delay, has tests of its own); subnet 2 does not. The chain starts at
/// block 1.
pub fn new_test_ext() -> sp_io::TestExternalities {
	let storage = RuntimeGenesisConfig {
		system: Default::default(),
		balances: Default::default(),
		subnets: pallet_subnets::GenesisConfig {
			subnets: vec![
				(OWNER, vec![(VALIDATOR, true), (MINER, false), (VALIDATOR_2, true)]),
				(OWNER, vec![(VALIDATOR, true)]),
			],
		},
		commit_reveal: pallet_commit_reveal::GenesisConfig {
			reveal_configs: vec![(
				1,
				RevealConfig {
					enabled: true,
					reveal_delay: DELAY,
					reveal_window: WINDOW,
					commit_interval: Some(1),
				},
			)],
		},
	}
	.build_storage()
	.expect("the mock genesis is valid");
	let mut ext = sp_io::TestExternalities::new(storage);
	PULSES.with(|pulses| pulses.borrow_mut().clear());
	set_due_round(Some(0));
	ext.execute_with(|| System::set_block_number(1));
	ext
}

/// Run `test` on the mock genesis, then check the pallet's invariants.
pub fn build_and_execute(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		check_invariants();
	});
}

/// Check the pallet's invariants at the current block.
pub fn check_invariants() {
	CommitReveal::do_try_state(System::block_number()).expect("commit-reveal invariants hold");
}

/// Advance to block `n`, running every pallet's `on_finalize` and `on_initialize` hooks, and
/// commit-reveal's `on_idle` with a whole block of spare weight.
pub fn run_to_block(n: u64) {
	let idle = RunToBlockHooks::default().after_initialize(|block| {
		CommitReveal::on_idle(block, Weight::MAX);
	});
	System::run_to_block_with::<AllPalletsWithSystem>(n, idle);
}
