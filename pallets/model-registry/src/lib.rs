//! # Model Registry Pallet
//!
//! Miners publish the models they enter on chain, and the chain protects whoever published a
//! model first: the content hash of a model can be claimed by one hotkey only, and the older
//! model keeps an advantage, *epsilon*, that decays with its age on a schedule the subnet owner
//! sets.
//!
//! ## Overview
//!
//! - **Two-phase claims.** A registered hotkey first [announces](Pallet::announce_model) a
//!   *binding*, `blake2_256(SCALE((hotkey, content_hash, nonce)))`, which says nothing about the
//!   model. After the subnet's claim delay it [commits the model](Pallet::commit_model): a
//!   repository, a revision, the content hash and the nonce that opens the binding. The model's
//!   age and its place in the first-claim order count from the announcement's block, so a
//!   copier who sees the commit in the transaction pool, or the files on the hub, announces too
//!   late whatever tip it pays.
//! - **First claim**: [`HashOwners`] names the hotkey that holds a content hash: the one whose
//!   announcement of it came first. A later announcement of the same content is refused
//!   ([`Error::ModelAlreadyClaimed`]); an earlier one that commits later, inside its window,
//!   takes the claim over ([`Event::ClaimTaken`]). A hotkey that replaces its model releases
//!   its old claim; a deregistered hotkey loses its model, claim and announcements
//!   ([`galton_primitives::OnHotkeyDeregistered`]).
//! - Announcements and re-commits are rate-limited per subnet ([`Pallet::set_commit_interval`]);
//!   a hotkey holds at most [`Config::MaxAnnouncements`] announcements.
//! - Repository ids and revisions are checked with [`galton_primitives::RepoId`] and
//!   [`galton_primitives::RepoRevision`], the parser the evaluator uses too.
//! - Root or the subnet owner ([`Config::ConfigOrigin`]) [sets](Pallet::set_competition) and
//!   [removes](Pallet::remove_competition) competitions: an [`EpsilonSchedule`], a reward share
//!   (a subnet's shares add up to at most 100%), a metric and a parameter bound.
//!
//! ## Terms
//!
//! - *epsilon*: in a pairwise comparison, the strictly older model's loss is multiplied by
//!   `1 - epsilon`, so a newer model must beat it by more than epsilon to win.
//! - *age*: `now - committed_at`, in blocks, where `committed_at` is the announcement's block.
//! - *claim window*: an announcement made at block `a` may be committed in
//!   `[a + reveal_delay, a + reveal_delay + reveal_window)` ([`ClaimConfig`], per subnet).
//!
//! ## Pallet API
//!
//! See the [`pallet`] module for the calls, storage, events and errors; the functions behind
//! the [`galton_primitives::api::ModelRegistryApi`] runtime API are [`Pallet::effective_epsilon`],
//! [`Pallet::models`], [`Pallet::competitions`], [`Pallet::announcements`] and
//! [`Pallet::claim_config`].

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod functions;
pub mod migrations;
pub mod weights;

#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

pub use galton_primitives::{
	Announcement, ClaimConfig, ClaimNonce, Competition, CompetitionId, EpsilonSchedule, Metric,
	ModelCommitment,
};
pub use weights::WeightInfo;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::{pallet_prelude::*, traits::EnsureOriginWithArg};
	use frame_system::pallet_prelude::*;
	use galton_primitives::{NetUid, RepoError, RevisionError, ScheduleError};
	use sp_core::H256;

	/// The competitions of one subnet, by id.
	pub type CompetitionsOf<T> =
		BoundedBTreeMap<CompetitionId, Competition, <T as Config>::MaxCompetitions>;

	/// A model commitment as this chain stores it.
	pub type CommitmentOf<T> = ModelCommitment<BlockNumberFor<T>>;

	/// An announcement as this chain stores it.
	pub type AnnouncementOf<T> = Announcement<BlockNumberFor<T>>;

	/// The announcements one hotkey holds on one subnet.
	pub type AnnouncementsOf<T> = BoundedVec<AnnouncementOf<T>, <T as Config>::MaxAnnouncements>;

	/// A claim config as this chain stores it.
	pub type ClaimConfigOf<T> = ClaimConfig<BlockNumberFor<T>>;

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Configuration of the pallet.
	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The host chain's subnets: who exists and who is registered.
		type Subnets: galton_primitives::SubnetsInterface<Self::AccountId, BlockNumberFor<Self>>;

		/// Who may change a subnet's competitions and commit interval: root or the subnet owner.
		type ConfigOrigin: EnsureOriginWithArg<Self::RuntimeOrigin, NetUid>;

		/// The most competitions one subnet can hold. Must be at least one.
		#[pallet::constant]
		type MaxCompetitions: Get<u32>;

		/// The longest commit interval a subnet may set.
		#[pallet::constant]
		type MaxCommitInterval: Get<BlockNumberFor<Self>>;

		/// The most announcements one hotkey may hold on one subnet, expired ones included
		/// (they are pruned when the hotkey announces again). Must be at least one.
		#[pallet::constant]
		type MaxAnnouncements: Get<u32>;

		/// The longest claim delay a subnet may set.
		#[pallet::constant]
		type MaxClaimDelay: Get<BlockNumberFor<Self>>;

		/// The longest claim window a subnet may set.
		#[pallet::constant]
		type MaxClaimWindow: Get<BlockNumberFor<Self>>;

		/// The claim config of a subnet that never set one. Must pass the checks of
		/// `set_claim_config`.
		#[pallet::constant]
		type DefaultClaimConfig: Get<ClaimConfig<BlockNumberFor<Self>>>;

		/// Weights of the calls, from the pallet's benchmarks.
		type WeightInfo: WeightInfo;

		/// Builds subnets and neurons on the host chain for the benchmarks.
		#[cfg(feature = "runtime-benchmarks")]
		type BenchmarkHelper: galton_primitives::BenchmarkHelper<Self::AccountId>;
	}

	/// The competitions of each subnet.
	#[pallet::storage]
	pub type Competitions<T: Config> =
		StorageMap<_, Twox64Concat, NetUid, CompetitionsOf<T>, ValueQuery>;

	/// The model each hotkey of a subnet has committed.
	#[pallet::storage]
	pub type Models<T: Config> =
		StorageDoubleMap<_, Twox64Concat, NetUid, Blake2_128Concat, T::AccountId, CommitmentOf<T>>;

	/// The hotkey that holds each content hash of a subnet: the first to commit it.
	#[pallet::storage]
	pub type HashOwners<T: Config> =
		StorageDoubleMap<_, Twox64Concat, NetUid, Identity, H256, T::AccountId>;

	/// The fewest blocks between two claims (announcement blocks) of the same hotkey on a
	/// subnet.
	#[pallet::storage]
	pub type CommitIntervals<T: Config> =
		StorageMap<_, Twox64Concat, NetUid, BlockNumberFor<T>, ValueQuery>;

	/// The announcements each hotkey of a subnet holds, oldest first.
	#[pallet::storage]
	pub type Announcements<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		NetUid,
		Blake2_128Concat,
		T::AccountId,
		AnnouncementsOf<T>,
		ValueQuery,
	>;

	/// The claim config of a subnet that never set one.
	#[pallet::type_value]
	pub fn DefaultClaimConfigOf<T: Config>() -> ClaimConfigOf<T> {
		T::DefaultClaimConfig::get()
	}

	/// Each subnet's claim config: when an announced model may be committed.
	#[pallet::storage]
	pub type ClaimConfigs<T: Config> =
		StorageMap<_, Twox64Concat, NetUid, ClaimConfigOf<T>, ValueQuery, DefaultClaimConfigOf<T>>;

	/// Competitions, commit intervals and claim configs to set at genesis.
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// `(netuid, id, competition)` triples; each subnet must exist and each competition pass
		/// the checks of `set_competition`.
		pub competitions: Vec<(NetUid, CompetitionId, Competition)>,
		/// `(netuid, blocks)` pairs: the commit interval of each subnet.
		pub commit_intervals: Vec<(NetUid, BlockNumberFor<T>)>,
		/// `(netuid, config)` pairs: the claim config of each subnet (the default elsewhere).
		pub claim_configs: Vec<(NetUid, ClaimConfigOf<T>)>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			for (netuid, id, competition) in &self.competitions {
				Pallet::<T>::do_set_competition(*netuid, *id, *competition)
					.expect("genesis competitions are valid");
			}
			for (netuid, blocks) in &self.commit_intervals {
				Pallet::<T>::do_set_commit_interval(*netuid, *blocks)
					.expect("genesis commit intervals are valid");
			}
			for (netuid, config) in &self.claim_configs {
				Pallet::<T>::do_set_claim_config(*netuid, *config)
					.expect("genesis claim configs are valid");
			}
		}
	}

	/// Events of the pallet.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A hotkey announced a model (phase 1 of a claim).
		ModelAnnounced {
			/// The subnet.
			netuid: NetUid,
			/// The miner's hotkey.
			hotkey: T::AccountId,
			/// The competition the model will enter.
			competition: CompetitionId,
			/// The binding of hotkey, content hash and nonce.
			binding: H256,
			/// The first block the model may be committed.
			reveal_from: BlockNumberFor<T>,
			/// The first block the commit is refused as expired.
			expires_at: BlockNumberFor<T>,
		},
		/// A hotkey committed a model (phase 2 of a claim) and now holds its content hash.
		ModelCommitted {
			/// The subnet.
			netuid: NetUid,
			/// The miner's hotkey.
			hotkey: T::AccountId,
			/// The competition the model enters.
			competition: CompetitionId,
			/// The content hash now held by `hotkey`.
			content_hash: H256,
			/// The content hash the hotkey held before, now released, if any.
			released: Option<H256>,
			/// The block of the model's announcement: its age counts from here.
			announced_at: BlockNumberFor<T>,
		},
		/// A hotkey whose announcement of a content hash came first committed it after another
		/// hotkey had, and took the claim over; the other hotkey's model was removed.
		ClaimTaken {
			/// The subnet.
			netuid: NetUid,
			/// The content hash.
			content_hash: H256,
			/// The hotkey that held it, announced later, and lost its model.
			from: T::AccountId,
			/// The hotkey that announced it first and holds it now.
			to: T::AccountId,
		},
		/// A deregistered hotkey's model and claim were removed (its announcements too).
		ModelRemoved {
			/// The subnet.
			netuid: NetUid,
			/// The hotkey.
			hotkey: T::AccountId,
			/// The released content hash.
			content_hash: H256,
		},
		/// A competition was created or changed.
		CompetitionSet {
			/// The subnet.
			netuid: NetUid,
			/// The competition.
			id: CompetitionId,
			/// Its new settings.
			competition: Competition,
		},
		/// A competition was removed; models committed to it no longer score.
		CompetitionRemoved {
			/// The subnet.
			netuid: NetUid,
			/// The competition.
			id: CompetitionId,
		},
		/// A subnet's commit interval changed.
		CommitIntervalSet {
			/// The subnet.
			netuid: NetUid,
			/// The fewest blocks between two claims of one hotkey.
			blocks: BlockNumberFor<T>,
		},
		/// A subnet's claim config changed; announcements already made keep their window.
		ClaimConfigSet {
			/// The subnet.
			netuid: NetUid,
			/// The new config.
			config: ClaimConfigOf<T>,
		},
	}

	/// Errors of the pallet.
	#[pallet::error]
	pub enum Error<T> {
		/// No subnet has this netuid. Check the netuid.
		UnknownSubnet,
		/// The signing hotkey is not registered on this subnet: register it first.
		NotRegistered,
		/// The subnet has no competition with this id; list them with the runtime API.
		UnknownCompetition,
		/// The repository id is empty: name where the model lives, e.g. `org/name`.
		EmptyRepo,
		/// The repository id is longer than `MAX_REPO_LEN` bytes.
		RepoTooLong,
		/// The repository id is not `org/name`: each part 1 to 96 letters, digits, `-`, `_` or
		/// `.`, not starting or ending with `-` or `.`, without `--` or `..`.
		MalformedRepo,
		/// The revision is empty: name a branch, tag or commit id.
		EmptyRevision,
		/// The revision is longer than `MAX_REVISION_LEN` bytes.
		RevisionTooLong,
		/// The revision is neither a 40-digit commit id nor a branch or tag name (`/`-separated
		/// parts of letters, digits, `-`, `_`, `.`; none empty or starting with `.` or `-`).
		MalformedRevision,
		/// A hotkey whose announcement of this content came no later holds it; a copy of a model
		/// cannot be entered again. `HashOwners` names the holder. Train or change the model, and
		/// announce its new content hash.
		ModelAlreadyClaimed,
		/// This hotkey's current model already has this content hash; committing it again would
		/// only reset its age.
		ModelUnchanged,
		/// The hotkey claimed too recently: its new announcement must come at least the subnet's
		/// commit interval after the announcement of its current model.
		CommitRateLimited,
		/// No announcement of this hotkey matches `blake2_256((hotkey, content_hash, nonce))`:
		/// announce the model first, and commit with the same content hash and nonce.
		UnknownAnnouncement,
		/// The announcement was made for another competition; commit to that one, or announce
		/// again.
		CompetitionMismatch,
		/// The announcement's commit window has not opened yet: wait for `reveal_from` (the
		/// `ModelAnnounced` event and the runtime API say when).
		ClaimTooEarly,
		/// The announcement's commit window has closed: announce again.
		AnnouncementExpired,
		/// This hotkey has already announced this binding.
		DuplicateAnnouncement,
		/// This hotkey holds `MaxAnnouncements` announcements that have not expired: commit or
		/// let one expire first.
		TooManyAnnouncements,
		/// The claim delay must be at least one block, so an announcement is final before the
		/// model behind it is published.
		ClaimDelayZero,
		/// The claim delay is longer than the chain allows (`MaxClaimDelay`).
		ClaimDelayTooLong,
		/// The claim window must be at least one block.
		ClaimWindowZero,
		/// The claim window is longer than the chain allows (`MaxClaimWindow`).
		ClaimWindowTooLong,
		/// The subnet holds `MaxCompetitions` competitions already: remove one first.
		TooManyCompetitions,
		/// The reward shares of the subnet's competitions would add up to more than 100%.
		RewardSharesExceedWhole,
		/// `max_params` is zero: no model could enter the competition.
		MaxParamsZero,
		/// A linear epsilon schedule must not end above its start.
		EpsilonEndAboveStart,
		/// A linear epsilon schedule must decay over at least one block.
		EpsilonDecayBlocksZero,
		/// An exponential epsilon schedule's floor must not be above its start.
		EpsilonFloorAboveStart,
		/// An exponential epsilon schedule's period must be at least one block.
		EpsilonPeriodZero,
		/// The commit interval is longer than the chain allows (`MaxCommitInterval`).
		CommitIntervalTooLong,
	}

	impl<T> From<ScheduleError> for Error<T> {
		fn from(error: ScheduleError) -> Self {
			match error {
				ScheduleError::EndAboveStart => Error::EpsilonEndAboveStart,
				ScheduleError::DecayBlocksZero => Error::EpsilonDecayBlocksZero,
				ScheduleError::FloorAboveStart => Error::EpsilonFloorAboveStart,
				ScheduleError::PeriodZero => Error::EpsilonPeriodZero,
			}
		}
	}

	impl<T> From<RepoError> for Error<T> {
		fn from(error: RepoError) -> Self {
			match error {
				RepoError::Empty => Error::EmptyRepo,
				RepoError::TooLong => Error::RepoTooLong,
				RepoError::Malformed => Error::MalformedRepo,
			}
		}
	}

	impl<T> From<RevisionError> for Error<T> {
		fn from(error: RevisionError) -> Self {
			match error {
				RevisionError::Empty => Error::EmptyRevision,
				RevisionError::TooLong => Error::RevisionTooLong,
				RevisionError::Malformed => Error::MalformedRevision,
			}
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(T::MaxCompetitions::get() > 0, "MaxCompetitions must be at least one");
			assert!(T::MaxAnnouncements::get() > 0, "MaxAnnouncements must be at least one");
			assert!(
				Pallet::<T>::check_claim_config(&T::DefaultClaimConfig::get()).is_ok(),
				"DefaultClaimConfig must pass the checks of set_claim_config"
			);
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Commit the signing hotkey's model (phase 2 of a claim) and claim its content hash.
		///
		/// The origin must be signed by a hotkey registered on the subnet that announced
		/// `blake2_256((hotkey, content_hash, nonce))` for `competition` with
		/// [`Pallet::announce_model`], and the call must come inside that announcement's commit
		/// window. The model's age and claim order count from the announcement. A model the
		/// hotkey held before is replaced and its content hash released. If another hotkey holds
		/// the content hash through a later announcement, its model is removed and the claim
		/// moves here.
		///
		/// - `netuid`: the subnet.
		/// - `competition`: the competition the model enters, as announced.
		/// - `repo`: where the model lives, `org/name` ([`galton_primitives::RepoId`]).
		/// - `revision`: a branch, tag or commit id of `repo` ([`galton_primitives::RepoRevision`]).
		/// - `content_hash`: the content hash of the model's files.
		/// - `nonce`: the secret that opens the announced binding.
		///
		/// Fails with a repository or revision error ([`Error::EmptyRepo`],
		/// [`Error::RepoTooLong`], [`Error::MalformedRepo`], [`Error::EmptyRevision`],
		/// [`Error::RevisionTooLong`], [`Error::MalformedRevision`]), [`Error::UnknownSubnet`],
		/// [`Error::NotRegistered`], [`Error::UnknownCompetition`],
		/// [`Error::UnknownAnnouncement`], [`Error::CompetitionMismatch`],
		/// [`Error::ClaimTooEarly`], [`Error::AnnouncementExpired`], [`Error::ModelUnchanged`],
		/// [`Error::CommitRateLimited`] or [`Error::ModelAlreadyClaimed`].
		///
		/// Emits `ModelCommitted`, and `ClaimTaken` when the claim moves from another hotkey.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::commit_model())]
		pub fn commit_model(
			origin: OriginFor<T>,
			netuid: NetUid,
			competition: CompetitionId,
			repo: Vec<u8>,
			revision: Vec<u8>,
			content_hash: H256,
			nonce: ClaimNonce,
		) -> DispatchResult {
			let hotkey = ensure_signed(origin)?;
			Self::do_commit_model(
				hotkey,
				netuid,
				competition,
				&repo,
				&revision,
				content_hash,
				nonce,
			)
		}

		/// Create or change a competition of a subnet.
		///
		/// The origin must be root or the subnet's owner ([`Config::ConfigOrigin`]). Models
		/// already committed keep their commit block; their epsilon follows the new schedule.
		///
		/// - `netuid`: the subnet.
		/// - `id`: the competition.
		/// - `competition`: its epsilon schedule, reward share, metric and parameter bound.
		///
		/// Fails with [`Error::UnknownSubnet`], [`Error::MaxParamsZero`], an epsilon error
		/// ([`Error::EpsilonEndAboveStart`], [`Error::EpsilonDecayBlocksZero`],
		/// [`Error::EpsilonFloorAboveStart`], [`Error::EpsilonPeriodZero`]),
		/// [`Error::RewardSharesExceedWhole`] or [`Error::TooManyCompetitions`].
		///
		/// Emits `CompetitionSet`.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::set_competition())]
		pub fn set_competition(
			origin: OriginFor<T>,
			netuid: NetUid,
			id: CompetitionId,
			competition: Competition,
		) -> DispatchResult {
			T::ConfigOrigin::ensure_origin(origin, &netuid)?;
			Self::do_set_competition(netuid, id, competition)
		}

		/// Remove a competition of a subnet. Models committed to it stay, but no longer score
		/// until their hotkeys commit to another competition.
		///
		/// The origin must be root or the subnet's owner ([`Config::ConfigOrigin`]).
		///
		/// - `netuid`: the subnet.
		/// - `id`: the competition.
		///
		/// Fails with [`Error::UnknownSubnet`] or [`Error::UnknownCompetition`].
		///
		/// Emits `CompetitionRemoved`.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::remove_competition())]
		pub fn remove_competition(
			origin: OriginFor<T>,
			netuid: NetUid,
			id: CompetitionId,
		) -> DispatchResult {
			T::ConfigOrigin::ensure_origin(origin, &netuid)?;
			Self::ensure_subnet(netuid)?;
			Competitions::<T>::try_mutate(netuid, |competitions| {
				competitions.remove(&id).map(|_| ()).ok_or(Error::<T>::UnknownCompetition)
			})?;
			Self::deposit_event(Event::CompetitionRemoved { netuid, id });
			Ok(())
		}

		/// Set the fewest blocks between two model commits of the same hotkey on a subnet.
		///
		/// The origin must be root or the subnet's owner ([`Config::ConfigOrigin`]).
		///
		/// - `netuid`: the subnet.
		/// - `blocks`: the interval; zero lets hotkeys re-commit at once.
		///
		/// Fails with [`Error::UnknownSubnet`] or [`Error::CommitIntervalTooLong`].
		///
		/// Emits `CommitIntervalSet`.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::set_commit_interval())]
		pub fn set_commit_interval(
			origin: OriginFor<T>,
			netuid: NetUid,
			blocks: BlockNumberFor<T>,
		) -> DispatchResult {
			T::ConfigOrigin::ensure_origin(origin, &netuid)?;
			Self::do_set_commit_interval(netuid, blocks)
		}

		/// Announce a model (phase 1 of a claim): store a binding of the signing hotkey, the
		/// model's content hash and a secret nonce, and open a commit window for it.
		///
		/// Nothing about the model leaks: publish the model's files only after this
		/// announcement is final, then call [`Pallet::commit_model`] inside the window. The
		/// origin must be signed by a hotkey registered on the subnet. Expired announcements of
		/// the hotkey are pruned first.
		///
		/// - `netuid`: the subnet.
		/// - `competition`: the competition the model will enter.
		/// - `binding`: `blake2_256(SCALE((hotkey, content_hash, nonce)))`
		///   ([`galton_primitives::announcement_binding`]).
		///
		/// Fails with [`Error::UnknownSubnet`], [`Error::NotRegistered`],
		/// [`Error::UnknownCompetition`], [`Error::CommitRateLimited`],
		/// [`Error::DuplicateAnnouncement`] or [`Error::TooManyAnnouncements`].
		///
		/// Emits `ModelAnnounced`.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::announce_model())]
		pub fn announce_model(
			origin: OriginFor<T>,
			netuid: NetUid,
			competition: CompetitionId,
			binding: H256,
		) -> DispatchResult {
			let hotkey = ensure_signed(origin)?;
			Self::do_announce_model(hotkey, netuid, competition, binding)
		}

		/// Set when models announced on a subnet from now on may be committed.
		///
		/// The origin must be root or the subnet's owner ([`Config::ConfigOrigin`]).
		/// Announcements already made keep their windows.
		///
		/// - `netuid`: the subnet.
		/// - `config`: the claim delay (at least one block, at most `MaxClaimDelay`) and window
		///   (at least one block, at most `MaxClaimWindow`).
		///
		/// Fails with [`Error::UnknownSubnet`], [`Error::ClaimDelayZero`],
		/// [`Error::ClaimDelayTooLong`], [`Error::ClaimWindowZero`] or
		/// [`Error::ClaimWindowTooLong`].
		///
		/// Emits `ClaimConfigSet`.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::set_claim_config())]
		pub fn set_claim_config(
			origin: OriginFor<T>,
			netuid: NetUid,
			config: ClaimConfigOf<T>,
		) -> DispatchResult {
			T::ConfigOrigin::ensure_origin(origin, &netuid)?;
			Self::do_set_claim_config(netuid, config)
		}
	}
}
