//! # Model Registry Pallet
//!
//! Miners publish the models they enter on chain, and the chain protects whoever published a
//! model first: the content hash of a model can be claimed by one hotkey only, and the older
//! model keeps an advantage, *epsilon*, that decays with its age on a schedule the subnet owner
//! sets.
//!
//! ## Overview
//!
//! - A registered hotkey [commits a model](Pallet::commit_model): a repository, a revision and
//!   the content hash of the model's files, in one of the subnet's competitions. The chain
//!   records the block; the model's age counts from there.
//! - **First claim**: [`HashOwner`] names the hotkey that committed a content hash first. Any
//!   other hotkey committing the same content is refused ([`Error::ModelAlreadyClaimed`]), so a
//!   copied model cannot be entered again under a new name. A hotkey that replaces its model
//!   releases its old claim; a deregistered hotkey loses its model and claim
//!   ([`galton_primitives::OnHotkeyDeregistered`]).
//! - Re-commits are rate-limited per subnet ([`Pallet::set_commit_interval`]).
//! - Root or the subnet owner ([`Config::ConfigOrigin`]) [sets](Pallet::set_competition) and
//!   [removes](Pallet::remove_competition) competitions: an [`EpsilonSchedule`], a reward share
//!   (a subnet's shares add up to at most 100%), a metric and a parameter bound.
//!
//! ## Terms
//!
//! - *epsilon*: in a pairwise comparison, the strictly older model's loss is multiplied by
//!   `1 - epsilon`, so a newer model must beat it by more than epsilon to win.
//! - *age*: `now - committed_at`, in blocks.
//!
//! ## Pallet API
//!
//! See the [`pallet`] module for the calls, storage, events and errors; the functions behind
//! the [`galton_primitives::api::ModelRegistryApi`] runtime API are [`Pallet::effective_epsilon`],
//! [`Pallet::models`] and [`Pallet::competitions`].

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod functions;
pub mod weights;

#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

pub use galton_primitives::{Competition, CompetitionId, EpsilonSchedule, Metric, ModelCommitment};
pub use weights::WeightInfo;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::{pallet_prelude::*, traits::EnsureOriginWithArg};
	use frame_system::pallet_prelude::*;
	use galton_primitives::{NetUid, ScheduleError};
	use sp_core::H256;

	/// The competitions of one subnet, by id.
	pub type CompetitionsOf<T> =
		BoundedBTreeMap<CompetitionId, Competition, <T as Config>::MaxCompetitions>;

	/// A model commitment as this chain stores it.
	pub type CommitmentOf<T> = ModelCommitment<BlockNumberFor<T>>;

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Configuration of the pallet.
	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The host chain's subnets: who exists and who is registered.
		type Subnets: galton_primitives::SubnetsInterface<Self::AccountId>;

		/// Who may change a subnet's competitions and commit interval: root or the subnet owner.
		type ConfigOrigin: EnsureOriginWithArg<Self::RuntimeOrigin, NetUid>;

		/// The most competitions one subnet can hold. Must be at least one.
		#[pallet::constant]
		type MaxCompetitions: Get<u32>;

		/// The longest commit interval a subnet may set.
		#[pallet::constant]
		type MaxCommitInterval: Get<BlockNumberFor<Self>>;

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
	pub type HashOwner<T: Config> =
		StorageDoubleMap<_, Twox64Concat, NetUid, Identity, H256, T::AccountId>;

	/// The fewest blocks between two commits of the same hotkey on a subnet.
	#[pallet::storage]
	pub type CommitInterval<T: Config> =
		StorageMap<_, Twox64Concat, NetUid, BlockNumberFor<T>, ValueQuery>;

	/// Competitions and commit intervals to set at genesis.
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// `(netuid, id, competition)` triples; each subnet must exist and each competition pass
		/// the checks of `set_competition`.
		pub competitions: Vec<(NetUid, CompetitionId, Competition)>,
		/// `(netuid, blocks)` pairs: the commit interval of each subnet.
		pub commit_intervals: Vec<(NetUid, BlockNumberFor<T>)>,
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
		}
	}

	/// Events of the pallet.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A hotkey committed a model and now holds its content hash.
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
		},
		/// A deregistered hotkey's model and claim were removed.
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
			/// The fewest blocks between two commits of one hotkey.
			blocks: BlockNumberFor<T>,
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
		/// The revision is empty: name a branch, tag or commit id.
		EmptyRevision,
		/// The revision is longer than `MAX_REVISION_LEN` bytes.
		RevisionTooLong,
		/// Another hotkey committed this content first; a copy of a model cannot be entered
		/// again. Train or change the model, and commit its new content hash.
		ModelAlreadyClaimed,
		/// This hotkey's current model already has this content hash; committing it again would
		/// only reset its age.
		ModelUnchanged,
		/// The hotkey committed too recently: wait for the subnet's commit interval to pass.
		CommitTooSoon,
		/// The subnet holds `MaxCompetitions` competitions already: remove one first.
		TooManyCompetitions,
		/// The reward shares of the subnet's competitions would add up to more than 100%.
		RewardSharesExceedWhole,
		/// `max_params` is zero: no model could enter the competition.
		ZeroMaxParams,
		/// A linear epsilon schedule must not end above its start.
		EpsilonEndAboveStart,
		/// A linear epsilon schedule must decay over at least one block.
		EpsilonZeroDecayBlocks,
		/// An exponential epsilon schedule's floor must not be above its start.
		EpsilonFloorAboveStart,
		/// An exponential epsilon schedule's period must be at least one block.
		EpsilonZeroPeriod,
		/// The commit interval is longer than the chain allows (`MaxCommitInterval`).
		CommitIntervalTooLong,
	}

	impl<T> From<ScheduleError> for Error<T> {
		fn from(error: ScheduleError) -> Self {
			match error {
				ScheduleError::EndAboveStart => Error::EpsilonEndAboveStart,
				ScheduleError::ZeroDecayBlocks => Error::EpsilonZeroDecayBlocks,
				ScheduleError::FloorAboveStart => Error::EpsilonFloorAboveStart,
				ScheduleError::ZeroPeriod => Error::EpsilonZeroPeriod,
			}
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(T::MaxCompetitions::get() > 0, "MaxCompetitions must be at least one");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Commit the signing hotkey's model and claim its content hash.
		///
		/// The origin must be signed by a hotkey registered on the subnet. A model the hotkey
		/// held before is replaced and its content hash released.
		///
		/// - `netuid`: the subnet.
		/// - `competition`: the competition the model enters.
		/// - `repo`: where the model lives (1 to `MAX_REPO_LEN` bytes).
		/// - `revision`: the revision of `repo` (1 to `MAX_REVISION_LEN` bytes).
		/// - `content_hash`: the content hash of the model's files.
		///
		/// Fails with [`Error::EmptyRepo`], [`Error::RepoTooLong`], [`Error::EmptyRevision`],
		/// [`Error::RevisionTooLong`], [`Error::UnknownSubnet`], [`Error::NotRegistered`],
		/// [`Error::UnknownCompetition`], [`Error::ModelAlreadyClaimed`],
		/// [`Error::ModelUnchanged`] or [`Error::CommitTooSoon`].
		///
		/// Emits `ModelCommitted`.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::commit_model())]
		pub fn commit_model(
			origin: OriginFor<T>,
			netuid: NetUid,
			competition: CompetitionId,
			repo: Vec<u8>,
			revision: Vec<u8>,
			content_hash: H256,
		) -> DispatchResult {
			let hotkey = ensure_signed(origin)?;
			Self::do_commit_model(hotkey, netuid, competition, repo, revision, content_hash)
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
		/// Fails with [`Error::UnknownSubnet`], [`Error::ZeroMaxParams`], an epsilon error
		/// ([`Error::EpsilonEndAboveStart`], [`Error::EpsilonZeroDecayBlocks`],
		/// [`Error::EpsilonFloorAboveStart`], [`Error::EpsilonZeroPeriod`]),
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
	}
}
