//! Test runtime for the subnets pallet.

use crate as pallet_subnets;
use frame_support::weights::Weight;
use frame_support::{derive_impl, parameter_types};
use galton_primitives::{CommitRevealStatus, NetUid, OnHotkeyDeregistered};
use sp_runtime::BuildStorage;

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Balances: pallet_balances,
		Subnets: pallet_subnets,
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
	/// Whether the mock's subnets run commit-reveal; tests flip it.
	pub static CommitRevealOn: bool = false;
	/// Every `(netuid, hotkey)` the pallet reported as deregistered.
	pub static Deregistered: Vec<(NetUid, u64)> = vec![];
	pub const MaxSubnets: u16 = 3;
	pub const MaxNeurons: u32 = 5;
	pub const SubnetDeposit: u64 = 100;
	pub const RegistrationDeposit: u64 = 10;
}

/// Answers [`CommitRevealStatus`] from the `CommitRevealOn` knob.
pub struct MockCommitReveal;
impl CommitRevealStatus for MockCommitReveal {
	fn commit_reveal_enabled(_: NetUid) -> bool {
		CommitRevealOn::get()
	}
}

/// Records deregistrations in `Deregistered`.
pub struct RecordDeregistrations;
impl OnHotkeyDeregistered<u64> for RecordDeregistrations {
	fn on_hotkey_deregistered(netuid: NetUid, hotkey: &u64) {
		Deregistered::mutate(|seen| seen.push((netuid, *hotkey)));
	}

	fn weight() -> Weight {
		Weight::from_parts(1_000, 0)
	}
}

impl pallet_subnets::Config for Test {
	type CommitReveal = MockCommitReveal;
	type OnDeregister = RecordDeregistrations;
	type OwnerOrigin = pallet_subnets::EnsureSubnetOwnerOrRoot<Test>;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	type SubnetDeposit = SubnetDeposit;
	type RegistrationDeposit = RegistrationDeposit;
	type MaxSubnets = MaxSubnets;
	type MaxNeurons = MaxNeurons;
	type WeightInfo = ();
}

/// Owner of subnet 1.
pub const OWNER: u64 = 1;
/// A validator of subnet 1 (uid 0, permit).
pub const VALIDATOR: u64 = 10;
/// A miner of subnet 1 (uid 1, no permit).
pub const MINER: u64 = 11;
/// A second validator of subnet 1 (uid 2, permit).
pub const VALIDATOR_2: u64 = 12;

/// Every account the tests sign with starts with this much (the existential deposit is 1).
pub const ENDOWMENT: u64 = 1_000;
/// An account with too little to hold any deposit.
pub const POOR: u64 = 50;

/// Genesis: subnet 1 owned by [`OWNER`] with [`VALIDATOR`], [`MINER`] and [`VALIDATOR_2`];
/// accounts 1 to 99 hold [`ENDOWMENT`], except [`POOR`], which holds 5.
pub fn new_test_ext() -> sp_io::TestExternalities {
	let balances = (1..100).map(|who| (who, if who == POOR { 5 } else { ENDOWMENT })).collect();
	let storage = RuntimeGenesisConfig {
		system: Default::default(),
		balances: pallet_balances::GenesisConfig { balances, ..Default::default() },
		subnets: pallet_subnets::GenesisConfig {
			subnets: vec![(OWNER, vec![(VALIDATOR, true), (MINER, false), (VALIDATOR_2, true)])],
		},
	}
	.build_storage()
	.expect("the mock genesis is valid");
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| {
		System::set_block_number(1);
		CommitRevealOn::set(false);
		Deregistered::set(vec![]);
	});
	ext
}

/// Run `test` on the mock genesis, then check the pallet's invariants.
pub fn build_and_execute(test: impl FnOnce()) {
	new_test_ext().execute_with(|| {
		test();
		Subnets::do_try_state().expect("pallet invariants hold after the test");
	});
}
