//! Test runtime for the beacon pallet: a development beacon with rounds every 3 s from Unix
//! time 1,000.

use crate as pallet_beacon;
use frame_support::{derive_impl, parameter_types, traits::ConstU64};
use galton_timelock::{BeaconInfo, BeaconSchedule, DevBeacon};
use sp_runtime::BuildStorage;

type Block = frame_system::mocking::MockBlock<Test>;

frame_support::construct_runtime!(
	pub enum Test {
		System: frame_system,
		Timestamp: pallet_timestamp,
		Beacon: pallet_beacon,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Test {
	type Block = Block;
}

impl pallet_timestamp::Config for Test {
	type Moment = u64;
	type OnTimestampSet = ();
	type MinimumPeriod = ConstU64<1>;
	type WeightInfo = ();
}

parameter_types! {
	pub const HistoryDepth: u32 = 4;
	pub const MaxPulsesPerBlock: u32 = 3;
}

std::thread_local! {
	/// How often the beacon was replaced, as [`CountReplacements`] was told.
	pub static REPLACEMENTS: core::cell::Cell<u32> = const { core::cell::Cell::new(0) };
}

/// Counts the times the beacon is replaced.
pub struct CountReplacements;

impl galton_timelock::OnBeaconReplaced for CountReplacements {
	fn on_beacon_replaced() {
		REPLACEMENTS.with(|count| count.set(count.get() + 1));
	}

	fn weight() -> frame_support::weights::Weight {
		frame_support::weights::Weight::from_parts(1_000, 0)
	}
}

impl pallet_beacon::Config for Test {
	type UnixTime = Timestamp;
	type ConfigOrigin = frame_system::EnsureRoot<u64>;
	type MaxRoundsAhead = ConstU64<1>;
	type HistoryDepth = HistoryDepth;
	type MaxPulsesPerBlock = MaxPulsesPerBlock;
	type OnBeaconReplaced = CountReplacements;
	type WeightInfo = ();
}

/// The test chain's beacon.
pub fn beacon() -> DevBeacon {
	DevBeacon::development()
}

/// Round one is due at Unix time 1,000 s; a round every 3 s.
pub const SCHEDULE: BeaconSchedule = BeaconSchedule { genesis_time: 1_000, period: 3 };

/// Set the chain's clock to the time round `round` is due.
pub fn at_round(round: u64) {
	Timestamp::set_timestamp(SCHEDULE.round_time(round) * 1_000);
}

/// A chain with the development beacon, its clock at round 10.
pub fn new_test_ext() -> sp_io::TestExternalities {
	let mut storage =
		frame_system::GenesisConfig::<Test>::default().build_storage().expect("valid genesis");
	pallet_beacon::GenesisConfig::<Test> {
		beacon: Some(BeaconInfo { public_key: beacon().public_key(), schedule: SCHEDULE }),
		..Default::default()
	}
	.assimilate_storage(&mut storage)
	.expect("valid beacon genesis");
	let mut ext = sp_io::TestExternalities::new(storage);
	REPLACEMENTS.with(|count| count.set(0));
	ext.execute_with(|| {
		System::set_block_number(1);
		at_round(10);
	});
	ext
}
