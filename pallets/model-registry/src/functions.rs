//! The pallet's logic behind its calls, the deregistration callback, and the queries the
//! runtime API serves.

use alloc::vec::Vec;
use frame_support::{ensure, traits::Get, weights::Weight};
use frame_system::pallet_prelude::BlockNumberFor;
use galton_primitives::{
	Competition, CompetitionId, NetUid, OnHotkeyDeregistered, Repo, Revision, SubnetsInterface,
};
use sp_core::H256;
use sp_runtime::{
	traits::{Saturating, UniqueSaturatedInto},
	DispatchResult, Perbill,
};

use crate::{
	CommitInterval, CommitmentOf, Competitions, Config, Error, Event, HashOwner, Models, Pallet,
	WeightInfo,
};

impl<T: Config> Pallet<T> {
	/// Fail with [`Error::UnknownSubnet`] unless `netuid` exists.
	pub(crate) fn ensure_subnet(netuid: NetUid) -> DispatchResult {
		ensure!(T::Subnets::subnet_exists(netuid), Error::<T>::UnknownSubnet);
		Ok(())
	}

	/// Commit `hotkey`'s model: every check of `commit_model`, then the claim moves to the new
	/// content hash.
	pub(crate) fn do_commit_model(
		hotkey: T::AccountId,
		netuid: NetUid,
		competition: CompetitionId,
		repo: Vec<u8>,
		revision: Vec<u8>,
		content_hash: H256,
	) -> DispatchResult {
		ensure!(!repo.is_empty(), Error::<T>::EmptyRepo);
		let repo = Repo::try_from(repo).map_err(|_| Error::<T>::RepoTooLong)?;
		ensure!(!revision.is_empty(), Error::<T>::EmptyRevision);
		let revision = Revision::try_from(revision).map_err(|_| Error::<T>::RevisionTooLong)?;
		Self::ensure_subnet(netuid)?;
		ensure!(T::Subnets::uid_of(netuid, &hotkey).is_some(), Error::<T>::NotRegistered);
		ensure!(
			Competitions::<T>::get(netuid).contains_key(&competition),
			Error::<T>::UnknownCompetition
		);
		if let Some(owner) = HashOwner::<T>::get(netuid, content_hash) {
			ensure!(owner == hotkey, Error::<T>::ModelAlreadyClaimed);
		}

		let now = frame_system::Pallet::<T>::block_number();
		let previous = Models::<T>::get(netuid, &hotkey);
		if let Some(previous) = &previous {
			ensure!(previous.content_hash != content_hash, Error::<T>::ModelUnchanged);
			let next_allowed =
				previous.committed_at.saturating_add(CommitInterval::<T>::get(netuid));
			ensure!(now >= next_allowed, Error::<T>::CommitTooSoon);
			HashOwner::<T>::remove(netuid, previous.content_hash);
		}
		HashOwner::<T>::insert(netuid, content_hash, &hotkey);
		let commitment =
			CommitmentOf::<T> { competition, repo, revision, content_hash, committed_at: now };
		Models::<T>::insert(netuid, &hotkey, commitment);
		Self::deposit_event(Event::ModelCommitted {
			netuid,
			hotkey,
			competition,
			content_hash,
			released: previous.map(|previous| previous.content_hash),
		});
		Ok(())
	}

	/// Create or change competition `id` of `netuid` after every check of `set_competition`.
	pub(crate) fn do_set_competition(
		netuid: NetUid,
		id: CompetitionId,
		competition: Competition,
	) -> DispatchResult {
		Self::ensure_subnet(netuid)?;
		ensure!(competition.max_params > 0, Error::<T>::ZeroMaxParams);
		competition.epsilon.validate().map_err(Error::<T>::from)?;
		Competitions::<T>::try_mutate(netuid, |competitions| {
			let others: u64 = competitions
				.iter()
				.filter(|(other, _)| **other != id)
				.map(|(_, other)| u64::from(other.reward_share.deconstruct()))
				.sum();
			let total = others.saturating_add(u64::from(competition.reward_share.deconstruct()));
			ensure!(
				total <= u64::from(Perbill::one().deconstruct()),
				Error::<T>::RewardSharesExceedWhole
			);
			competitions
				.try_insert(id, competition)
				.map(|_| ())
				.map_err(|_| Error::<T>::TooManyCompetitions)
		})?;
		Self::deposit_event(Event::CompetitionSet { netuid, id, competition });
		Ok(())
	}

	/// Set the commit interval of `netuid` after every check of `set_commit_interval`.
	pub(crate) fn do_set_commit_interval(
		netuid: NetUid,
		blocks: BlockNumberFor<T>,
	) -> DispatchResult {
		Self::ensure_subnet(netuid)?;
		ensure!(blocks <= T::MaxCommitInterval::get(), Error::<T>::CommitIntervalTooLong);
		CommitInterval::<T>::insert(netuid, blocks);
		Self::deposit_event(Event::CommitIntervalSet { netuid, blocks });
		Ok(())
	}

	/// The epsilon `hotkey`'s model on `netuid` has now; `None` without a model or when its
	/// competition is gone (served by the runtime API).
	pub fn effective_epsilon(netuid: NetUid, hotkey: &T::AccountId) -> Option<Perbill> {
		let model = Models::<T>::get(netuid, hotkey)?;
		let competitions = Competitions::<T>::get(netuid);
		Self::epsilon_of(&model, competitions.get(&model.competition))
	}

	/// Every model committed on `netuid` with its epsilon now, zero when its competition is gone
	/// (served by the runtime API).
	pub fn models(netuid: NetUid) -> Vec<(T::AccountId, CommitmentOf<T>, Perbill)> {
		let competitions = Competitions::<T>::get(netuid);
		Models::<T>::iter_prefix(netuid)
			.map(|(hotkey, model)| {
				let epsilon = Self::epsilon_of(&model, competitions.get(&model.competition));
				(hotkey, model, epsilon.unwrap_or_default())
			})
			.collect()
	}

	/// The competitions of `netuid` by id (served by the runtime API).
	pub fn competitions(netuid: NetUid) -> Vec<(CompetitionId, Competition)> {
		Competitions::<T>::get(netuid).into_iter().collect()
	}

	/// The epsilon of `model` in `competition` at the current block.
	fn epsilon_of(model: &CommitmentOf<T>, competition: Option<&Competition>) -> Option<Perbill> {
		let now = frame_system::Pallet::<T>::block_number();
		let age: u64 = now.saturating_sub(model.committed_at).unique_saturated_into();
		competition.map(|competition| competition.epsilon.epsilon_at(age))
	}

	/// Check the pallet's invariants: the claims and the commitments mirror each other (each
	/// content hash has at most one owner, and it is the hotkey whose current model has that
	/// hash); every subnet's reward shares add up to at most 100% and its schedules are valid.
	#[cfg(any(feature = "try-runtime", test))]
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		for (netuid, hash, owner) in HashOwner::<T>::iter() {
			let model = Models::<T>::get(netuid, &owner).ok_or("a claim without a model")?;
			ensure!(model.content_hash == hash, "a claim on a hash its owner no longer holds");
		}
		for (netuid, hotkey, model) in Models::<T>::iter() {
			ensure!(
				HashOwner::<T>::get(netuid, model.content_hash).as_ref() == Some(&hotkey),
				"a model whose hash is not claimed by its hotkey"
			);
		}
		for (_, competitions) in Competitions::<T>::iter() {
			let total: u64 =
				competitions.values().map(|c| u64::from(c.reward_share.deconstruct())).sum();
			ensure!(total <= u64::from(Perbill::one().deconstruct()), "reward shares above 100%");
			ensure!(competitions.values().all(|c| c.epsilon.validate().is_ok()), "bad schedule");
		}
		Ok(())
	}
}

/// A deregistered hotkey loses its model and releases its claim.
impl<T: Config> OnHotkeyDeregistered<T::AccountId> for Pallet<T> {
	fn on_hotkey_deregistered(netuid: NetUid, hotkey: &T::AccountId) {
		if let Some(model) = Models::<T>::take(netuid, hotkey) {
			HashOwner::<T>::remove(netuid, model.content_hash);
			Self::deposit_event(Event::ModelRemoved {
				netuid,
				hotkey: hotkey.clone(),
				content_hash: model.content_hash,
			});
		}
	}

	fn weight() -> Weight {
		T::WeightInfo::on_hotkey_deregistered()
	}
}
