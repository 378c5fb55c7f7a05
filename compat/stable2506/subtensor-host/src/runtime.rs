//! A runtime with subtensor's shapes (32-byte account ids, `u32` block numbers) and Galton's
//! pallets wired to [`crate::host`], named `SubtensorModule` as in subtensor's runtime.

use frame_support::{
	derive_impl, parameter_types,
	traits::{ConstU16, ConstU32, ConstU64},
};
use frame_system::EnsureRoot;
use sp_runtime::{traits::IdentityLookup, AccountId32, Perbill};

use crate::host::SubnetOwnerOrRoot as HostOwnerOrRoot;

/// The account id: subtensor's.
pub type AccountId = AccountId32;

frame_support::construct_runtime!(
	pub enum Runtime {
		System: frame_system,
		Timestamp: pallet_timestamp,
		SubtensorModule: crate::host,
		CommitReveal: pallet_commit_reveal,
		ModelRegistry: pallet_model_registry,
		Beacon: pallet_beacon,
	}
);

#[derive_impl(frame_system::config_preludes::TestDefaultConfig)]
impl frame_system::Config for Runtime {
	type Block = frame_system::mocking::MockBlockU32<Runtime>;
	type AccountId = AccountId;
	type Lookup = IdentityLookup<AccountId>;
}

impl pallet_timestamp::Config for Runtime {
	type Moment = u64;
	type OnTimestampSet = ();
	type MinimumPeriod = ConstU64<6_000>;
	type WeightInfo = ();
}

impl crate::host::Config for Runtime {}

/// Root or the subnet's owner, from the host's `SubnetOwner`.
pub type SubnetOwnerOrRoot = HostOwnerOrRoot<Runtime>;

// ANCHOR: wiring
parameter_types! {
	/// Feeless commits and reveals fill at most half of a block's normal weight.
	pub const MaxBlockShare: Perbill = Perbill::from_percent(50);
	/// Model commits open three blocks after the announcement, for 300 blocks.
	pub const DefaultClaimConfig: galton_primitives::ClaimConfig<u32> =
		galton_primitives::ClaimConfig { reveal_delay: 3, reveal_window: 300 };
}

impl pallet_commit_reveal::Config for Runtime {
	type Subnets = SubtensorModule; // SubnetsInterface
	type PlainWeightsCall = (); // PlainWeightsCall<RuntimeCall>: subtensor's set_weights
	type ConfigOrigin = SubnetOwnerOrRoot; // EnsureOriginWithArg<RuntimeOrigin, NetUid>
	type MaxPendingCommits = ConstU32<10>;
	type MaxRevealDelay = ConstU32<7_200>;
	type MaxRevealWindow = ConstU32<7_200>;
	type MaxCommitInterval = ConstU32<7_200>;
	type ExpiredRetention = ConstU32<100>;
	type MaxReclaimPerBlock = ConstU32<256>;
	type MaxUids = ConstU32<4_096>;
	type MinSaltLen = ConstU32<8>;
	type MaxSaltLen = ConstU32<32>;
	type MaxBatchSize = ConstU32<16>;
	type MaxBlockShare = MaxBlockShare; // Perbill: commits and reveals fill at most this
	type Beacon = Beacon; // galton_timelock::RandomnessBeacon (`()`: no timelock mode)
	type MaxCiphertextLen = ConstU32<{ 16 * 1024 + 512 }>; // MaxUids weights sealed in subtensor's wire format
	type CommitRevealVersion = ConstU16<4>; // subtensor's CommitRevealWeightsVersion: what bittensor-drand 2.0 seals
	type MaxRoundsAhead = ConstU64<1_200>; // rounds_ahead a subnet may require (an hour of quicknet)
	type RoundSlack = ConstU64<20>; // rounds past the earliest a commit may name
	type MaxCommitsPerRound = ConstU32<24>; // at most what a round's blocks open: MaxOpenedPerBlock x blocks per round
	type MaxQueuedRounds = ConstU32<1_221>; // MaxRoundsAhead + RoundSlack + 1: every round a commit can name
	type MaxOpenedPerBlock = ConstU32<8>; // decryptions in one on_initialize (13.9 ms each)
	type MissingPulseGrace = ConstU64<100>; // rounds a missing pulse is waited for (at most HistoryDepth)
	type WeightInfo = pallet_commit_reveal::weights::SubstrateWeight<Runtime>;
}

impl pallet_model_registry::Config for Runtime {
	type Subnets = SubtensorModule;
	type ConfigOrigin = SubnetOwnerOrRoot;
	type MaxCompetitions = ConstU32<8>;
	type MaxCommitInterval = ConstU32<50_400>;
	type MaxAnnouncements = ConstU32<4>; // per hotkey and subnet
	type MaxClaimDelay = ConstU32<7_200>;
	type MaxClaimWindow = ConstU32<50_400>;
	type DefaultClaimConfig = DefaultClaimConfig;
	type WeightInfo = pallet_model_registry::weights::SubstrateWeight<Runtime>;
}

impl pallet_beacon::Config for Runtime {
	type UnixTime = Timestamp; // which round is due
	type ConfigOrigin = EnsureRoot<AccountId>; // set_beacon: replace the key (clears pulses)
	type MaxRoundsAhead = ConstU64<2>; // clock slack: how far past the due round a pulse may be
	type HistoryDepth = ConstU32<1_200>; // pulses kept (a ring)
	type MaxPulsesPerBlock = ConstU32<4>; // pulses in one block's inherent (10.5 ms each to verify)
	type OnBeaconReplaced = CommitReveal; // set_beacon drops the commits waiting for the old beacon
	type WeightInfo = pallet_beacon::weights::SubstrateWeight<Runtime>;
}
// ANCHOR_END: wiring
