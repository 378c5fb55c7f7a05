//! The configuration of every pallet of the runtime.

use frame_support::{
	derive_impl,
	dispatch::DispatchClass,
	parameter_types,
	traits::{ConstBool, ConstU128, ConstU16, ConstU32, ConstU64, ConstU8, VariantCountOf},
	weights::{
		constants::{RocksDbWeight, WEIGHT_REF_TIME_PER_MILLIS},
		IdentityFee, Weight,
	},
};
use frame_system::limits::{BlockLength, BlockWeights};
use pallet_transaction_payment::{ConstFeeMultiplier, FungibleAdapter, Multiplier};
use polkadot_sdk::*;
use sp_consensus_aura::sr25519::AuthorityId as AuraId;
use sp_runtime::{traits::One, Perbill};

use crate::{
	AccountId, Aura, Balance, Balances, Beacon, Block, CommitReveal, Hash, ModelRegistry, Nonce,
	PalletInfo, Runtime, RuntimeCall, RuntimeEvent, RuntimeFreezeReason, RuntimeHoldReason,
	RuntimeOrigin, RuntimeTask, Subnets, System, Timestamp, MILLISECS_PER_BLOCK, MINUTES, VERSION,
};

/// Normal transactions may fill 75% of a block; the rest is kept for operational ones.
const NORMAL_DISPATCH_RATIO: Perbill = Perbill::from_percent(75);

/// A block's compute: half of Aura's slot. The author has two thirds of the slot to build the
/// block, and the other nodes must import it before the next slot starts.
pub const BLOCK_COMPUTE_MILLIS: u64 = MILLISECS_PER_BLOCK / 2;

parameter_types! {
	pub const Version: sp_version::RuntimeVersion = VERSION;
	/// [`BLOCK_COMPUTE_MILLIS`] of compute per block.
	pub RuntimeBlockWeights: BlockWeights = BlockWeights::with_sensible_defaults(
		Weight::from_parts(BLOCK_COMPUTE_MILLIS * WEIGHT_REF_TIME_PER_MILLIS, u64::MAX),
		NORMAL_DISPATCH_RATIO,
	);
	/// Blocks of at most 5 MiB.
	pub RuntimeBlockLength: BlockLength =
		BlockLength::builder()
			.max_length(5 * 1024 * 1024)
			.modify_max_length_for_class(DispatchClass::Normal, |max| {
				*max = NORMAL_DISPATCH_RATIO * *max
			})
			.build();
	/// Fees do not adjust with congestion on this chain.
	pub FeeMultiplier: Multiplier = Multiplier::one();
}

#[derive_impl(frame_system::config_preludes::SolochainDefaultConfig)]
impl frame_system::Config for Runtime {
	type Block = Block;
	type BlockWeights = RuntimeBlockWeights;
	type BlockLength = RuntimeBlockLength;
	type AccountId = AccountId;
	type Nonce = Nonce;
	type Hash = Hash;
	type BlockHashCount = ConstU32<2400>;
	type DbWeight = RocksDbWeight;
	type Version = Version;
	type AccountData = pallet_balances::AccountData<Balance>;
	/// The generic Substrate address format.
	type SS58Prefix = ConstU16<42>;
	type MaxConsumers = ConstU32<16>;
}

impl pallet_timestamp::Config for Runtime {
	/// Milliseconds since the unix epoch.
	type Moment = u64;
	/// Aura checks that each block's timestamp lies in the block's slot.
	type OnTimestampSet = Aura;
	/// Half a slot: blocks of consecutive slots always pass.
	type MinimumPeriod = ConstU64<{ MILLISECS_PER_BLOCK / 2 }>;
	type WeightInfo = pallet_timestamp::weights::SubstrateWeight<Runtime>;
}

/// The most authorities Aura and GRANDPA keep.
const MAX_AUTHORITIES: u32 = 32;

impl pallet_aura::Config for Runtime {
	type AuthorityId = AuraId;
	type DisabledValidators = ();
	type MaxAuthorities = ConstU32<MAX_AUTHORITIES>;
	/// One block per slot: an authority cannot fill its slot with a fork of blocks.
	type AllowMultipleBlocksPerSlot = ConstBool<false>;
	type SlotDuration = ConstU64<MILLISECS_PER_BLOCK>;
}

impl pallet_grandpa::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type WeightInfo = ();
	type MaxAuthorities = ConstU32<MAX_AUTHORITIES>;
	type MaxNominators = ConstU32<0>;
	/// No staking, so no session history to prove equivocations against: equivocation reports
	/// are not accepted (`EquivocationReportSystem = ()`).
	type MaxSetIdSessionEntries = ConstU64<0>;
	type KeyOwnerProof = sp_core::Void;
	type EquivocationReportSystem = ();
}

/// The smallest balance an account may hold.
pub const EXISTENTIAL_DEPOSIT: Balance = UNIT_CENTS;

/// A hundredth of a unit.
const UNIT_CENTS: Balance = crate::UNIT / 100;

impl pallet_balances::Config for Runtime {
	type MaxLocks = ConstU32<50>;
	type MaxReserves = ();
	type ReserveIdentifier = [u8; 8];
	type Balance = Balance;
	type RuntimeEvent = RuntimeEvent;
	type DustRemoval = ();
	type ExistentialDeposit = ConstU128<EXISTENTIAL_DEPOSIT>;
	type AccountStore = System;
	type WeightInfo = pallet_balances::weights::SubstrateWeight<Runtime>;
	type FreezeIdentifier = RuntimeFreezeReason;
	type MaxFreezes = VariantCountOf<RuntimeFreezeReason>;
	type RuntimeHoldReason = RuntimeHoldReason;
	type RuntimeFreezeReason = RuntimeFreezeReason;
	type DoneSlashHandler = ();
}

impl pallet_transaction_payment::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type OnChargeTransaction = FungibleAdapter<Balances, ()>;
	type OperationalFeeMultiplier = ConstU8<5>;
	type WeightToFee = IdentityFee<Balance>;
	type LengthToFee = IdentityFee<Balance>;
	type FeeMultiplierUpdate = ConstFeeMultiplier<FeeMultiplier>;
	type WeightInfo = pallet_transaction_payment::weights::SubstrateWeight<Runtime>;
}

impl pallet_sudo::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type WeightInfo = pallet_sudo::weights::SubstrateWeight<Runtime>;
}

impl pallet_utility::Config for Runtime {
	type RuntimeEvent = RuntimeEvent;
	type RuntimeCall = RuntimeCall;
	type PalletsOrigin = crate::OriginCaller;
	type WeightInfo = pallet_utility::weights::SubstrateWeight<Runtime>;
}

/// Root or the owner of the subnet named in the call.
pub type SubnetOwnerOrRoot = pallet_subnets::EnsureSubnetOwnerOrRoot<Runtime>;

impl pallet_subnets::Config for Runtime {
	type CommitReveal = CommitReveal;
	/// A deregistered hotkey's model claim and pending weight commits go with it.
	type OnDeregister = (ModelRegistry, CommitReveal);
	type OwnerOrigin = SubnetOwnerOrRoot;
	type Currency = Balances;
	type RuntimeHoldReason = RuntimeHoldReason;
	/// A subnet's owner holds 100 units while the subnet exists.
	type SubnetDeposit = ConstU128<{ 100 * crate::UNIT }>;
	/// A hotkey holds one unit per subnet it is registered on: 200 permitted hotkeys, each a
	/// source of feeless commits, tie up 200 units.
	type RegistrationDeposit = ConstU128<{ crate::UNIT }>;
	type MaxSubnets = ConstU16<64>;
	type MaxNeurons = ConstU32<4096>;
	type WeightInfo = pallet_subnets::weights::SubstrateWeight<Runtime>;
}

parameter_types! {
	/// Half of a block's normal weight, the most that feeless commits and reveals may fill.
	pub const MaxBlockShare: Perbill = Perbill::from_percent(50);
}

/// The most beacon rounds ahead a subnet's timelocked commits may be: an hour of drand
/// quicknet's three-second rounds.
const MAX_TIMELOCK_ROUNDS_AHEAD: u64 = 1_200;
/// Rounds a timelocked commit may name past the earliest allowed: a minute for it to reach a
/// block.
const TIMELOCK_ROUND_SLACK: u64 = 20;
/// Timelocked commits opened at the start of a block.
const TIMELOCK_OPENED_PER_BLOCK: u32 = 8;
/// Blocks in one round of drand quicknet (and of the development beacon): 3 s rounds, 1 s
/// blocks.
pub const BLOCKS_PER_BEACON_ROUND: u32 = 3;

/// The beacon rounds whose pulses the chain keeps: an hour of drand quicknet's three-second
/// rounds.
pub const BEACON_HISTORY_DEPTH: u32 = 1_200;

impl pallet_commit_reveal::Config for Runtime {
	type Subnets = Subnets;
	type PlainWeightsCall = pallet_subnets::SetWeightsCall<Runtime>;
	type ConfigOrigin = SubnetOwnerOrRoot;
	type MaxPendingCommits = ConstU32<10>;
	/// A week of one-second blocks.
	type MaxRevealDelay = ConstU32<{ 7 * 24 * 60 * MINUTES }>;
	type MaxRevealWindow = ConstU32<{ 7 * 24 * 60 * MINUTES }>;
	/// A day of one-second blocks between two commits of one validator, at most.
	type MaxCommitInterval = ConstU32<{ 24 * 60 * MINUTES }>;
	type ExpiredRetention = ConstU32<100>;
	type MaxReclaimPerBlock = ConstU32<256>;
	type MaxUids = ConstU32<4096>;
	type MinSaltLen = ConstU32<8>;
	type MaxSaltLen = ConstU32<32>;
	type MaxBatchSize = ConstU32<16>;
	/// Commits and reveals fill at most half of a block's normal weight; transfers and other
	/// paying transactions always have the rest.
	type MaxBlockShare = MaxBlockShare;
	type Beacon = Beacon;
	/// A payload of `MaxUids` weights (16,435 bytes) sealed in subtensor's wire format (244
	/// bytes more), rounded up.
	type MaxCiphertextLen = ConstU32<{ 16 * 1024 + 512 }>;
	/// What subtensor's `CommitRevealWeightsVersion` is, and bittensor-drand 2.0 seals.
	type CommitRevealVersion = ConstU16<4>;
	type MaxRoundsAhead = ConstU64<MAX_TIMELOCK_ROUNDS_AHEAD>;
	type RoundSlack = ConstU64<TIMELOCK_ROUND_SLACK>;
	/// What opens in the blocks of one round (three one-second blocks per three-second round,
	/// `MaxOpenedPerBlock` each), so that the queue never falls behind the beacon.
	type MaxCommitsPerRound = ConstU32<{ TIMELOCK_OPENED_PER_BLOCK * BLOCKS_PER_BEACON_ROUND }>;
	/// Every round a commit can name.
	type MaxQueuedRounds =
		ConstU32<{ (MAX_TIMELOCK_ROUNDS_AHEAD + TIMELOCK_ROUND_SLACK + 1) as u32 }>;
	/// A decryption costs 13.9 ms (`open_timelocked`, benchmarked): eight a block take under a
	/// quarter of its 500 ms.
	type MaxOpenedPerBlock = ConstU32<TIMELOCK_OPENED_PER_BLOCK>;
	/// Five minutes of rounds for a withheld or skipped pulse to be back-filled; well inside
	/// the beacon's history.
	type MissingPulseGrace = ConstU64<100>;
	type WeightInfo = pallet_commit_reveal::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = Subnets;
}

impl pallet_beacon::Config for Runtime {
	type UnixTime = Timestamp;
	type ConfigOrigin = frame_system::EnsureRoot<AccountId>;
	/// Two rounds of slack between the chain's clock and the beacon's.
	type MaxRoundsAhead = ConstU64<2>;
	type HistoryDepth = ConstU32<BEACON_HISTORY_DEPTH>;
	/// Four BLS verifications (10.5 ms each, benchmarked) per block: a beacon that fell behind
	/// catches up at four rounds a block while a new one comes every three blocks.
	type MaxPulsesPerBlock = ConstU32<4>;
	/// A new beacon drops the timelocked commits waiting for the old one's rounds.
	type OnBeaconReplaced = CommitReveal;
	type WeightInfo = pallet_beacon::weights::SubstrateWeight<Runtime>;
}

parameter_types! {
	/// Model commits open ten blocks after the announcement (the announcement is final by
	/// then on every Galton chain) and stay open an hour.
	pub const DefaultClaimConfig: galton_primitives::ClaimConfig<crate::BlockNumber> =
		galton_primitives::ClaimConfig { reveal_delay: 10, reveal_window: 60 * MINUTES };
}

impl pallet_model_registry::Config for Runtime {
	type Subnets = Subnets;
	type ConfigOrigin = SubnetOwnerOrRoot;
	type MaxCompetitions = ConstU32<8>;
	type MaxCommitInterval = ConstU32<{ 7 * 24 * 60 * MINUTES }>;
	type MaxAnnouncements = ConstU32<4>;
	/// A day of one-second blocks.
	type MaxClaimDelay = ConstU32<{ 24 * 60 * MINUTES }>;
	/// A week of one-second blocks.
	type MaxClaimWindow = ConstU32<{ 7 * 24 * 60 * MINUTES }>;
	type DefaultClaimConfig = DefaultClaimConfig;
	type WeightInfo = pallet_model_registry::weights::SubstrateWeight<Runtime>;
	#[cfg(feature = "runtime-benchmarks")]
	type BenchmarkHelper = Subnets;
}
