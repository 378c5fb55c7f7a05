//! # Commit-Reveal Pallet
//!
//! Validators publish their weights sealed first and open only after a delay the subnet owner
//! chooses, so a validator who copies others' weights can only copy stale ones.
//!
//! ## Two reveal modes
//!
//! Each subnet picks one ([`RevealMode`], set with [`Pallet::set_reveal_mode`]); commits of
//! either kind keep the terms they were made with when the mode changes.
//!
//! **Hash mode** (the default): the validator reveals its own weights.
//!
//! - A validator [commits](Pallet::commit_weights) `commit_hash(who, netuid, uids, values, salt,
//!   version_key)` ([`galton_primitives::commit_hash`], subtensor's preimage byte for byte).
//! - After `reveal_delay` blocks it [reveals](Pallet::reveal_weights) the preimage; the weights
//!   go to the host chain through [`galton_primitives::SubnetsInterface::apply_weights`].
//! - [`Pallet::batch_commit_weights`] commits on several subnets at once and
//!   [`Pallet::batch_reveal_weights`] reveals several commits of one subnet, all or nothing.
//!
//! **Timelock mode**: the chain reveals, so a validator that goes offline loses nothing.
//!
//! - A validator [commits](Pallet::commit_timelocked_weights) its weights encrypted to a future
//!   round of the randomness beacon ([`Config::Beacon`]), at least the subnet's `rounds_ahead`
//!   past the round due by the chain's clock, as subtensor's commit-reveal v4 takes them: its
//!   call, its ciphertext format and its payload, so bittensor's tooling commits unchanged.
//! - When that round's pulse is stored, `on_initialize` decrypts the commit and applies it
//!   ([`Event::TimelockedWeightsRevealed`]), or drops it with a reason
//!   ([`TimelockDropReason`]), at most [`Config::MaxOpenedPerBlock`] a block. Commits wait in
//!   [`RoundQueues`] by round ([`QueuedRounds`] lists the rounds); a replaced beacon's rounds
//!   move to [`StrandedRounds`] and their commits are dropped.
//!
//! **Both modes**: a valid commit or reveal is free of fees; [`CheckCommitReveal`] refuses
//! doomed ones in the transaction pool, before they take block space. Root or the subnet owner
//! ([`Config::ConfigOrigin`]) [sets](Pallet::set_reveal_config) a subnet's [`RevealConfig`];
//! while it is enabled, plain weight setting is refused
//! ([`galton_primitives::CommitRevealStatus`]).
//!
//! ## Reveal windows (hash mode)
//!
//! A commit made at block `c` may be revealed in `[c + reveal_delay, c + reveal_delay +
//! reveal_window)`. Earlier, the reveal fails with [`Error::RevealTooEarly`]; later, with
//! [`Error::CommitExpired`]. The window is fixed when the commit is made, so a config change
//! never strands a pending commit.
//!
//! ## Limits against spam
//!
//! Commits and reveals are free, so each validator's share is bounded: at most one commit per
//! [`RevealConfig::min_commit_interval`] blocks on a subnet ([`Error::CommitRateLimited`]), one
//! commit per (subnet, validator) in the transaction pool at a time, and at most
//! [`Config::MaxPendingCommits`] unexpired hash commits, or one timelocked commit, per
//! validator and subnet. A salt has at least [`Config::MinSaltLen`] words, so a commit cannot
//! be opened by guessing; a ciphertext is no longer than sealed weights for every uid the
//! subnet handed out, and a round holds at most [`Config::MaxCommitsPerRound`] commits. All
//! feeless commit-reveal transactions together take at most [`Config::MaxBlockShare`] of a
//! block's weight and length.
//!
//! ## Reclaiming expired commits
//!
//! An expired commit stays [`Config::ExpiredRetention`] blocks, so that a late reveal is told
//! why it failed; after that the pallet's `on_idle` reclaims it, walking every validator's
//! commit list from a stored cursor ([`ReclaimCursor`]) with the block's spare weight, at most
//! [`Config::MaxReclaimPerBlock`] lists a block. No queue is shared between subnets, so nothing
//! one subnet does can refuse another subnet's commits; a commit of a deregistered hotkey goes
//! when the host chain says so ([`galton_primitives::OnHotkeyDeregistered`]).
//!
//! ## Pallet API
//!
//! See the [`pallet`] module for the calls, storage, events and errors.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod compat;
mod extension;
mod functions;
pub mod migrations;
mod timelock;
mod types;
pub mod weights;

#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

pub use extension::{invalid, CheckCommitReveal, COMMIT_REVEAL_PRIORITY};
pub use galton_primitives::{PendingCommit, RevealConfig, RevealMode};
pub use types::{Reveal, TimelockDropReason, TimelockedCommit};
pub use weights::WeightInfo;

/// Log target of the pallet.
const LOG_TARGET: &str = "runtime::commit-reveal";

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::{pallet_prelude::*, traits::EnsureOriginWithArg};
	use frame_system::pallet_prelude::*;
	use galton_primitives::{NetUid, PlainWeightsCall, SubnetsInterface, Uid, WeightsError};
	use sp_core::H256;
	use sp_runtime::Perbill;

	/// A timelocked commit's ciphertext, as submitted.
	pub type CiphertextOf<T> = BoundedVec<u8, <T as Config>::MaxCiphertextLen>;

	/// The validators whose timelocked commits open at one round.
	pub type RoundQueueOf<T> = BoundedVec<
		(NetUid, <T as frame_system::Config>::AccountId),
		<T as Config>::MaxCommitsPerRound,
	>;

	/// The rounds that have timelocked commits waiting, in ascending order.
	pub type QueuedRoundsOf<T> = BoundedVec<u64, <T as Config>::MaxQueuedRounds>;

	/// The pending commits of one validator on one subnet.
	pub type CommitsOf<T> =
		BoundedVec<PendingCommit<BlockNumberFor<T>>, <T as Config>::MaxPendingCommits>;

	/// The longest raw storage key the reclaim cursor keeps; a longer one (an unusually long
	/// account id) restarts the walk from the first list.
	pub type CursorOf = BoundedVec<u8, ConstU32<256>>;

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Configuration of the pallet.
	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The host chain's subnets: who exists, who may validate, where revealed weights go.
		type Subnets: SubnetsInterface<Self::AccountId, BlockNumberFor<Self>>;

		/// Who may set a subnet's reveal config: root or the subnet's owner.
		type ConfigOrigin: EnsureOriginWithArg<Self::RuntimeOrigin, NetUid>;

		/// The most unexpired commits one validator holds on one subnet. Must be at least one.
		#[pallet::constant]
		type MaxPendingCommits: Get<u32>;

		/// The longest `reveal_delay` a subnet may set.
		#[pallet::constant]
		type MaxRevealDelay: Get<BlockNumberFor<Self>>;

		/// The longest `reveal_window` a subnet may set. Must be at least one.
		#[pallet::constant]
		type MaxRevealWindow: Get<BlockNumberFor<Self>>;

		/// The longest `commit_interval` (rate limit between a validator's commits) a subnet may
		/// set.
		#[pallet::constant]
		type MaxCommitInterval: Get<BlockNumberFor<Self>>;

		/// How many blocks an expired commit is kept, so that a late reveal fails with
		/// [`Error::CommitExpired`] rather than [`Error::NoMatchingCommit`].
		#[pallet::constant]
		type ExpiredRetention: Get<BlockNumberFor<Self>>;

		/// The most commit lists the idle-time reclaim visits in one block (it also stops when
		/// the block's spare weight runs out). Must be at least one.
		#[pallet::constant]
		type MaxReclaimPerBlock: Get<u32>;

		/// The most uids (and values) one reveal carries.
		#[pallet::constant]
		type MaxUids: Get<u32>;

		/// The fewest `u16` words a salt may have (eight words: 128 bits, beyond guessing).
		#[pallet::constant]
		type MinSaltLen: Get<u32>;

		/// The most `u16` words a salt may have. At least `MinSaltLen`.
		#[pallet::constant]
		type MaxSaltLen: Get<u32>;

		/// The most items one batch call carries. Must be at least one.
		#[pallet::constant]
		type MaxBatchSize: Get<u32>;

		/// The most of a block's normal-class weight that commits and reveals may fill: once the
		/// block is this full, [`CheckCommitReveal`] makes the block builder skip further
		/// commits and reveals (they stay in the pool for the next block), so fee-paying
		/// transactions always find room, however many permitted hotkeys flood the pool.
		#[pallet::constant]
		type MaxBlockShare: Get<Perbill>;

		/// Recognises the host chain's plain weight-setting call, so that [`CheckCommitReveal`]
		/// refuses it in the pool while its subnet runs commit-reveal. `()` recognises none.
		type PlainWeightsCall: PlainWeightsCall<<Self as frame_system::Config>::RuntimeCall>;

		/// The chain's randomness beacon, whose pulses open timelocked commits.
		type Beacon: galton_timelock::RandomnessBeacon;

		/// The longest timelocked ciphertext, in bytes: at least a payload of `MaxUids` weights
		/// plus [`galton_timelock::subtensor::SUBTENSOR_OVERHEAD`] and the AES-GCM tag.
		#[pallet::constant]
		type MaxCiphertextLen: Get<u32>;

		/// The `commit_reveal_version` a timelocked commit must carry: the version of the
		/// client format the chain opens (subtensor's `CommitRevealWeightsVersion`, 4 for
		/// bittensor-drand 2.0).
		#[pallet::constant]
		type CommitRevealVersion: Get<u16>;

		/// The largest `rounds_ahead` a subnet in timelock mode may set.
		#[pallet::constant]
		type MaxRoundsAhead: Get<u64>;

		/// How many rounds past the earliest allowed one a timelocked commit may name, so that
		/// a commit stays valid while a few pulses arrive during its trip to a block.
		#[pallet::constant]
		type RoundSlack: Get<u64>;

		/// The most timelocked commits that open at one round, over all subnets.
		#[pallet::constant]
		type MaxCommitsPerRound: Get<u32>;

		/// The most distinct rounds with timelocked commits waiting. At least
		/// `MaxRoundsAhead + RoundSlack + 1`, every round a commit can name.
		#[pallet::constant]
		type MaxQueuedRounds: Get<u32>;

		/// The most timelocked commits opened at the start of one block; the rest wait for the
		/// next block. At least one.
		#[pallet::constant]
		type MaxOpenedPerBlock: Get<u32>;

		/// How many rounds the beacon may move past a round whose pulse is missing before that
		/// round's commits are dropped: the time a back-filled pulse has to arrive. At most the
		/// beacon's history depth, or a late pulse could no longer be stored.
		#[pallet::constant]
		type MissingPulseGrace: Get<u64>;

		/// Weights of the calls, the hook and the transaction extension, from the pallet's
		/// benchmarks.
		type WeightInfo: WeightInfo;

		/// Builds subnets, neurons and permits on the host chain for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: galton_primitives::BenchmarkHelper<Self::AccountId>;
	}

	// Both modes.

	/// Each subnet's reveal config; subnets without one do not run commit-reveal.
	#[pallet::storage]
	pub type RevealConfigs<T: Config> =
		StorageMap<_, Twox64Concat, NetUid, RevealConfig<BlockNumberFor<T>>, ValueQuery>;

	// Hash mode.

	/// The pending commits of each validator on each subnet, oldest first.
	#[pallet::storage]
	pub type PendingCommits<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		NetUid,
		Blake2_128Concat,
		T::AccountId,
		CommitsOf<T>,
		ValueQuery,
	>;

	/// The block of each validator's latest commit on each subnet: the rate limit counts from
	/// here. Removed when the hotkey is deregistered.
	#[pallet::storage]
	pub type LastCommits<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		NetUid,
		Blake2_128Concat,
		T::AccountId,
		BlockNumberFor<T>,
	>;

	// Timelock mode.

	/// Each subnet's reveal mode; subnets without one commit hashes.
	#[pallet::storage]
	pub type RevealModes<T: Config> = StorageMap<_, Twox64Concat, NetUid, RevealMode, ValueQuery>;

	/// The timelocked commit each validator has waiting on each subnet (one at a time).
	#[pallet::storage]
	pub type TimelockedCommits<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		NetUid,
		Blake2_128Concat,
		T::AccountId,
		TimelockedCommit<BlockNumberFor<T>, T::MaxCiphertextLen>,
	>;

	/// The timelocked commits that open at each beacon round.
	#[pallet::storage]
	pub type RoundQueues<T: Config> = StorageMap<_, Twox64Concat, u64, RoundQueueOf<T>, ValueQuery>;

	/// The rounds with a queue in [`RoundQueues`], in ascending order.
	#[pallet::storage]
	pub type QueuedRounds<T: Config> = StorageValue<_, QueuedRoundsOf<T>, ValueQuery>;

	/// Rounds of a replaced beacon whose queues in [`RoundQueues`] are being dropped, in
	/// ascending order; new commits cannot name them until they are gone.
	#[pallet::storage]
	pub type StrandedRounds<T: Config> = StorageValue<_, QueuedRoundsOf<T>, ValueQuery>;

	// Hash mode: reclaiming expired commits.

	/// Where the idle-time reclaim stopped: the raw key of the last commit list it visited.
	/// `None` when the next walk starts from the first list.
	#[pallet::storage]
	pub type ReclaimCursor<T> = StorageValue<_, CursorOf>;

	/// Reveal configs to set at genesis.
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// `(netuid, config)` pairs; each subnet must exist and each config be within bounds.
		pub reveal_configs: Vec<(NetUid, RevealConfig<BlockNumberFor<T>>)>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			for (netuid, config) in &self.reveal_configs {
				assert!(
					T::Subnets::subnet_exists(*netuid),
					"genesis reveal config for unknown subnet"
				);
				Pallet::<T>::ensure_valid_config(config)
					.expect("genesis reveal configs are within the runtime's bounds");
				RevealConfigs::<T>::insert(netuid, config);
			}
		}
	}

	/// Events of the pallet.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A validator committed a weights hash.
		WeightsCommitted {
			/// The subnet.
			netuid: NetUid,
			/// The validator's hotkey.
			who: T::AccountId,
			/// The committed hash.
			commit_hash: H256,
			/// The first block its reveal is accepted.
			reveal_from: BlockNumberFor<T>,
			/// The first block its reveal is refused as expired.
			expires_at: BlockNumberFor<T>,
		},
		/// A validator revealed committed weights and the host chain stored them.
		WeightsRevealed {
			/// The subnet.
			netuid: NetUid,
			/// The validator's hotkey.
			who: T::AccountId,
			/// The hash the reveal matched.
			commit_hash: H256,
			/// How many uids were dropped from the weights because they were vacated, or taken
			/// by a new hotkey, after the commit.
			dropped: u32,
		},
		/// An expired commit was deleted without a reveal.
		CommitExpired {
			/// The subnet.
			netuid: NetUid,
			/// The validator's hotkey.
			who: T::AccountId,
			/// The hash that was never revealed.
			commit_hash: H256,
		},
		/// A validator committed weights timelocked to a beacon round.
		TimelockedWeightsCommitted {
			/// The subnet.
			netuid: NetUid,
			/// The validator's hotkey.
			who: T::AccountId,
			/// The round whose pulse opens them.
			reveal_round: u64,
		},
		/// A timelocked commit opened and the host chain stored its weights.
		TimelockedWeightsRevealed {
			/// The subnet.
			netuid: NetUid,
			/// The validator's hotkey.
			who: T::AccountId,
			/// The round whose pulse opened them.
			round: u64,
			/// How many uids were dropped because they were vacated, or taken by a new hotkey,
			/// after the commit.
			dropped: u32,
		},
		/// A timelocked commit was deleted without its weights landing.
		TimelockedCommitDropped {
			/// The subnet.
			netuid: NetUid,
			/// The validator's hotkey.
			who: T::AccountId,
			/// The round it was timelocked to.
			round: u64,
			/// Why it was dropped.
			reason: TimelockDropReason,
		},
		/// A subnet's reveal mode changed.
		RevealModeSet {
			/// The subnet.
			netuid: NetUid,
			/// The new mode; it applies to commits made from now on.
			mode: RevealMode,
		},
		/// A subnet's reveal config changed.
		RevealConfigSet {
			/// The subnet.
			netuid: NetUid,
			/// The new config; it applies to commits made from now on.
			config: RevealConfig<BlockNumberFor<T>>,
		},
	}

	/// Errors of the pallet.
	#[pallet::error]
	pub enum Error<T> {
		// The order gives each error its index in the chain's metadata, so new errors go at
		// the end. Up to `UseCommitReveal`: both modes' commit checks and hash mode's reveals
		// and configs; from `UseTimelock` on: timelock mode's.
		/// No subnet has this netuid. Check the netuid.
		UnknownSubnet,
		/// The subnet does not run commit-reveal: set weights directly instead.
		CommitRevealDisabled,
		/// The signing hotkey is not registered on this subnet: register it first.
		NotRegistered,
		/// The hotkey has no validator permit on this subnet; only validators commit weights.
		NoValidatorPermit,
		/// The validator already holds `MaxPendingCommits` unexpired commits on this subnet:
		/// reveal one, or wait until one expires.
		TooManyPendingCommits,
		/// This hash is already pending for the validator: use a fresh salt for each commit.
		DuplicateCommit,
		/// The validator committed on this subnet less than the subnet's commit interval ago:
		/// wait for the interval to pass.
		CommitRateLimited,
		/// The validator has no pending commit on this subnet: commit before revealing.
		NoPendingCommits,
		/// No pending commit matches the hash of these uids, values, salt and version key:
		/// reveal exactly what was committed, with the same hotkey and netuid.
		NoMatchingCommit,
		/// The reveal window of this commit has not opened yet: wait for `reveal_from`.
		RevealTooEarly,
		/// The reveal window of this commit has closed: commit again and reveal in time.
		CommitExpired,
		/// More uids or values than `MaxUids`.
		TooManyUids,
		/// The salt is longer than `MaxSaltLen` words.
		SaltTooLong,
		/// The salt is shorter than `MinSaltLen` words: use a fresh random salt of that length.
		SaltTooShort,
		/// A batch call carries no items.
		EmptyBatch,
		/// A batch call carries more than `MaxBatchSize` items: split it.
		BatchTooLarge,
		/// `uids` and `values` must have the same length.
		LengthMismatch,
		/// More weights than the subnet can have neurons.
		TooManyWeights,
		/// A uid appears twice in `uids`; give each neuron one weight.
		DuplicateUid,
		/// A uid names no registered neuron of the subnet (raised by the host chain; a reveal
		/// drops the uids vacated since its commit instead).
		UnknownUid,
		/// The version key is below the subnet's minimum (for a reveal: the minimum when its
		/// commit was made); update the validator software.
		OutdatedVersionKey,
		/// `reveal_delay` must be at least one block: a reveal in the commit's own block hides
		/// nothing.
		RevealDelayZero,
		/// `reveal_delay` is longer than the chain allows (`MaxRevealDelay`).
		RevealDelayTooLong,
		/// `reveal_window` must be at least one block.
		RevealWindowZero,
		/// `reveal_window` is longer than the chain allows (`MaxRevealWindow`).
		RevealWindowTooLong,
		/// `commit_interval`, when set, must be at least one block.
		CommitIntervalZero,
		/// `commit_interval` is longer than the chain allows (`MaxCommitInterval`).
		CommitIntervalTooLong,
		/// The subnet runs commit-reveal, so plain weight setting is refused: commit a hash with
		/// `commit_weights`, then reveal. (Raised by the [`CheckCommitReveal`] extension.)
		UseCommitReveal,
		/// The subnet's reveal mode is timelock: commit with `commit_timelocked_weights`.
		UseTimelock,
		/// The subnet's reveal mode is hash (or commit-reveal is off): commit a hash with
		/// `commit_weights`.
		TimelockNotEnabled,
		/// The chain has no randomness beacon, so no round can be named.
		BeaconNotStarted,
		/// The reveal round is public too soon: name one at least the subnet's `rounds_ahead`
		/// past both the latest stored pulse and the round due by the chain's clock.
		RevealRoundTooEarly,
		/// The reveal round is later than the earliest allowed one plus `RoundSlack`.
		RevealRoundTooLate,
		/// The ciphertext is not laid out in subtensor's timelock wire format (see
		/// [`galton_timelock::subtensor`]).
		MalformedCiphertext,
		/// The validator's previous timelocked commit on this subnet has not opened yet.
		TimelockedCommitPending,
		/// `MaxCommitsPerRound` commits already open at this round, or a replaced beacon's
		/// commits still queue under its number: name a later round.
		RoundFull,
		/// `MaxQueuedRounds` rounds already have commits waiting: name a round that has some.
		TooManyQueuedRounds,
		/// `rounds_ahead` must be at least one: a commit to a round already out hides nothing.
		RoundsAheadZero,
		/// `rounds_ahead` is larger than the chain allows (`MaxRoundsAhead`).
		RoundsAheadTooLarge,
		/// The ciphertext is longer than sealed weights for every uid the subnet has handed out.
		CiphertextTooLong,
		/// The commit's `commit_reveal_version` is not the chain's
		/// ([`Config::CommitRevealVersion`]): the client seals another format.
		IncorrectCommitRevealVersion,
	}

	impl<T> From<WeightsError> for Error<T> {
		fn from(error: WeightsError) -> Self {
			match error {
				WeightsError::LengthMismatch => Error::LengthMismatch,
				WeightsError::TooManyWeights => Error::TooManyWeights,
				WeightsError::DuplicateUid => Error::DuplicateUid,
				WeightsError::UnknownUid => Error::UnknownUid,
				WeightsError::OutdatedVersionKey => Error::OutdatedVersionKey,
			}
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		/// Open the timelocked commits whose round's pulse is stored (at most
		/// `MaxOpenedPerBlock`), and apply their weights.
		fn on_initialize(_now: BlockNumberFor<T>) -> Weight {
			Self::open_due_commits()
		}

		/// Reclaim expired commits with the block's spare weight (at most `MaxReclaimPerBlock`
		/// commit lists).
		fn on_idle(now: BlockNumberFor<T>, remaining: Weight) -> Weight {
			Self::reclaim_idle(now, remaining)
		}

		fn integrity_test() {
			assert!(T::MaxPendingCommits::get() > 0, "MaxPendingCommits must be at least one");
			assert!(T::MaxReclaimPerBlock::get() > 0, "MaxReclaimPerBlock must be at least one");
			assert!(T::MinSaltLen::get() <= T::MaxSaltLen::get(), "MinSaltLen exceeds MaxSaltLen");
			assert!(T::MaxBatchSize::get() > 0, "MaxBatchSize must be at least one");
			assert!(!T::MaxRevealWindow::get().is_zero(), "MaxRevealWindow must be at least one");
			assert!(!T::MaxBlockShare::get().is_zero(), "MaxBlockShare must be above zero");
			Self::timelock_integrity_test();
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(now: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state(now)
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Commit the hash of the weights the signing validator will reveal later.
		///
		/// The origin must be signed by a registered hotkey with a validator permit on a subnet
		/// that runs commit-reveal.
		///
		/// - `netuid`: the subnet.
		/// - `commit_hash`: [`galton_primitives::commit_hash`] of the weights to reveal.
		///
		/// Fails with [`Error::UnknownSubnet`], [`Error::CommitRevealDisabled`],
		/// [`Error::NotRegistered`], [`Error::NoValidatorPermit`], [`Error::CommitRateLimited`],
		/// [`Error::DuplicateCommit`] or [`Error::TooManyPendingCommits`].
		///
		/// Emits `WeightsCommitted`, and `CommitExpired` for each expired commit it makes room by
		/// deleting.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::commit_weights())]
		pub fn commit_weights(
			origin: OriginFor<T>,
			netuid: NetUid,
			commit_hash: H256,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			Self::do_commit(&who, netuid, commit_hash)?;
			Ok(Pays::No.into())
		}

		/// Reveal the weights of a pending commit; the host chain stores them.
		///
		/// The origin must be signed by the hotkey that committed, still registered and still
		/// holding its validator permit.
		///
		/// - `netuid`: the subnet.
		/// - `uids`, `values`: the weights, one value per uid (at most `MaxUids`).
		/// - `salt`: the salt the hash was made with (`MinSaltLen` to `MaxSaltLen` words).
		/// - `version_key`: the version key the hash was made with.
		///
		/// Fails with [`Error::TooManyUids`], [`Error::SaltTooShort`], [`Error::SaltTooLong`],
		/// [`Error::UnknownSubnet`], [`Error::NotRegistered`], [`Error::NoValidatorPermit`],
		/// [`Error::NoPendingCommits`], [`Error::NoMatchingCommit`],
		/// [`Error::RevealTooEarly`], [`Error::CommitExpired`] or a weights error
		/// ([`Error::LengthMismatch`], [`Error::TooManyWeights`], [`Error::DuplicateUid`],
		/// [`Error::UnknownUid`], [`Error::OutdatedVersionKey`]).
		///
		/// Emits `WeightsRevealed`.
		#[pallet::call_index(1)]
		#[pallet::weight(
			T::WeightInfo::reveal_weights(uids.len() as u32)
				.saturating_add(T::Subnets::held_since_weight(uids))
		)]
		pub fn reveal_weights(
			origin: OriginFor<T>,
			netuid: NetUid,
			uids: Vec<Uid>,
			values: Vec<u16>,
			salt: Vec<u16>,
			version_key: u64,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			Self::do_reveal(&who, netuid, &Reveal { uids, values, salt, version_key })?;
			Ok(Pays::No.into())
		}

		/// Commit weight hashes on several subnets in one call; all or nothing.
		///
		/// The origin must be signed; each item must pass every check of
		/// [`Pallet::commit_weights`].
		///
		/// - `commits`: `(netuid, commit_hash)` pairs, at most `MaxBatchSize`.
		///
		/// Fails with [`Error::EmptyBatch`], [`Error::BatchTooLarge`], or the first failing
		/// item's error; then nothing is committed.
		///
		/// Emits `WeightsCommitted` for each item.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::batch_commit_weights(commits.len() as u32))]
		pub fn batch_commit_weights(
			origin: OriginFor<T>,
			commits: Vec<(NetUid, H256)>,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			Self::ensure_batch_size(commits.len())?;
			commits
				.into_iter()
				.try_for_each(|(netuid, hash)| Self::do_commit(&who, netuid, hash))?;
			Ok(Pays::No.into())
		}

		/// Reveal several pending commits of one subnet in one call; all or nothing.
		///
		/// The origin must be signed; each item must pass every check of
		/// [`Pallet::reveal_weights`]. The host chain keeps the weights of the last item.
		///
		/// - `netuid`: the subnet.
		/// - `reveals`: the preimages, at most `MaxBatchSize`.
		///
		/// Fails with [`Error::EmptyBatch`], [`Error::BatchTooLarge`], or the first failing
		/// item's error; then nothing is revealed.
		///
		/// Emits `WeightsRevealed` for each item.
		#[pallet::call_index(3)]
		// Charged for the batch's total uids: never less than the measured cost.
		#[pallet::weight(T::WeightInfo::batch_reveal_weights(
			reveals.len() as u32,
			reveals.iter().map(|r| r.uids.len() as u32).fold(0, u32::saturating_add),
		).saturating_add(reveals.iter().fold(Weight::zero(), |total, reveal| {
			total.saturating_add(T::Subnets::held_since_weight(&reveal.uids))
		})))]
		pub fn batch_reveal_weights(
			origin: OriginFor<T>,
			netuid: NetUid,
			reveals: Vec<Reveal>,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			Self::ensure_batch_size(reveals.len())?;
			reveals.iter().try_for_each(|reveal| Self::do_reveal(&who, netuid, reveal))?;
			Ok(Pays::No.into())
		}

		/// Set how a subnet runs commit-reveal.
		///
		/// The origin must be root or the subnet's owner ([`Config::ConfigOrigin`]). Pending
		/// commits keep the windows they were made with.
		///
		/// - `netuid`: the subnet.
		/// - `config`: whether commit-reveal is on, the reveal delay, the reveal window and the
		///   commit interval.
		///
		/// Fails with [`Error::UnknownSubnet`], [`Error::RevealDelayZero`],
		/// [`Error::RevealDelayTooLong`], [`Error::RevealWindowZero`],
		/// [`Error::RevealWindowTooLong`], [`Error::CommitIntervalZero`] or
		/// [`Error::CommitIntervalTooLong`].
		///
		/// Emits `RevealConfigSet`.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::set_reveal_config())]
		pub fn set_reveal_config(
			origin: OriginFor<T>,
			netuid: NetUid,
			config: RevealConfig<BlockNumberFor<T>>,
		) -> DispatchResult {
			T::ConfigOrigin::ensure_origin(origin, &netuid)?;
			ensure!(T::Subnets::subnet_exists(netuid), Error::<T>::UnknownSubnet);
			Self::ensure_valid_config(&config)?;
			RevealConfigs::<T>::insert(netuid, config);
			Self::deposit_event(Event::RevealConfigSet { netuid, config });
			Ok(())
		}

		/// Commit weights encrypted to a future round of the chain's beacon; the chain opens
		/// and applies them when that round's pulse is stored, with no reveal transaction.
		///
		/// The origin must be signed by a registered hotkey with a validator permit on a subnet
		/// whose commit-reveal is enabled in [`RevealMode::Timelock`].
		///
		/// The arguments are those of subtensor's call of the same name, so that bittensor's
		/// tooling (bittensor-drand's `get_encrypted_commit`) commits here as it does there:
		///
		/// - `netuid`: the subnet.
		/// - `commit`: the SCALE-encoded [`galton_primitives::WeightsTlockPayload`] naming the
		///   signer, encrypted to `reveal_round`, in subtensor's timelock wire format
		///   ([`galton_timelock::subtensor`]; at most `MaxCiphertextLen` bytes).
		/// - `reveal_round`: the round it is encrypted to: at least the subnet's `rounds_ahead`
		///   past both the latest stored pulse and the round due by the chain's clock
		///   ([`galton_timelock::earliest_secret_round`]), at most `RoundSlack` rounds more.
		/// - `commit_reveal_version`: [`Config::CommitRevealVersion`].
		///
		/// Fails with [`Error::IncorrectCommitRevealVersion`], [`Error::UnknownSubnet`],
		/// [`Error::CommitRevealDisabled`],
		/// [`Error::TimelockNotEnabled`], [`Error::NotRegistered`],
		/// [`Error::NoValidatorPermit`], [`Error::CommitRateLimited`],
		/// [`Error::TimelockedCommitPending`], [`Error::BeaconNotStarted`],
		/// [`Error::RevealRoundTooEarly`], [`Error::RevealRoundTooLate`],
		/// [`Error::MalformedCiphertext`], [`Error::RoundFull`] or
		/// [`Error::TooManyQueuedRounds`].
		///
		/// Emits `TimelockedWeightsCommitted`; later `TimelockedWeightsRevealed` or
		/// `TimelockedCommitDropped`.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::commit_timelocked_weights())]
		pub fn commit_timelocked_weights(
			origin: OriginFor<T>,
			netuid: NetUid,
			commit: CiphertextOf<T>,
			reveal_round: u64,
			commit_reveal_version: u16,
		) -> DispatchResultWithPostInfo {
			let who = ensure_signed(origin)?;
			Self::do_commit_timelocked(&who, netuid, &commit, reveal_round, commit_reveal_version)?;
			Ok(Pays::No.into())
		}

		/// Set how a subnet's validators hide their weights: hash commits or timelocked ones.
		///
		/// The origin must be root or the subnet's owner ([`Config::ConfigOrigin`]). Pending
		/// commits of either kind keep the terms they were made with.
		///
		/// - `netuid`: the subnet.
		/// - `mode`: [`RevealMode::Hash`] or [`RevealMode::Timelock`] with `rounds_ahead` from one
		///   to `MaxRoundsAhead`.
		///
		/// Fails with [`Error::UnknownSubnet`], [`Error::RoundsAheadZero`] or
		/// [`Error::RoundsAheadTooLarge`].
		///
		/// Emits `RevealModeSet`.
		#[pallet::call_index(6)]
		#[pallet::weight(T::WeightInfo::set_reveal_mode())]
		pub fn set_reveal_mode(
			origin: OriginFor<T>,
			netuid: NetUid,
			mode: RevealMode,
		) -> DispatchResult {
			T::ConfigOrigin::ensure_origin(origin, &netuid)?;
			ensure!(T::Subnets::subnet_exists(netuid), Error::<T>::UnknownSubnet);
			Self::ensure_valid_mode(mode)?;
			RevealModes::<T>::insert(netuid, mode);
			Self::deposit_event(Event::RevealModeSet { netuid, mode });
			Ok(())
		}
	}
}
