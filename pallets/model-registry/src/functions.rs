//! The pallet's logic behind its calls, the deregistration callback, and the queries the
//! runtime API serves.

use alloc::vec::Vec;
use frame_support::{ensure, traits::Get, weights::Weight};
use frame_system::pallet_prelude::BlockNumberFor;
use galton_primitives::{
	announcement_binding, ClaimNonce, Competition, CompetitionId, NetUid, OnHotkeyDeregistered,
	RepoId, RepoRevision, SubnetsInterface,
};
use sp_core::H256;
use sp_runtime::{
	traits::{Saturating, UniqueSaturatedInto, Zero},
	DispatchResult, Perbill,
};

use crate::{
	AnnouncementOf, Announcements, AnnouncementsOf, ClaimConfigOf, ClaimConfigs, CommitIntervals,
	CommitmentOf, Competitions, Config, Error, Event, HashOwners, Models, Pallet, WeightInfo,
};

impl<T: Config> Pallet<T> {
	/// Fail with [`Error::UnknownSubnet`] unless `netuid` exists.
	pub(crate) fn ensure_subnet(netuid: NetUid) -> DispatchResult {
		ensure!(T::Subnets::subnet_exists(netuid), Error::<T>::UnknownSubnet);
		Ok(())
	}

	/// The checks both phases of a claim share: the subnet exists, `hotkey` is registered on it
	/// and `competition` is one of its competitions.
	fn ensure_entrant(
		netuid: NetUid,
		hotkey: &T::AccountId,
		competition: CompetitionId,
	) -> DispatchResult {
		Self::ensure_subnet(netuid)?;
		ensure!(T::Subnets::uid_of(netuid, hotkey).is_some(), Error::<T>::NotRegistered);
		ensure!(
			Competitions::<T>::get(netuid).contains_key(&competition),
			Error::<T>::UnknownCompetition
		);
		Ok(())
	}

	/// A new claim made at block `claimed_at` must come at least the subnet's commit interval
	/// after the claim of the hotkey's `current` model.
	fn ensure_interval(
		netuid: NetUid,
		current: &CommitmentOf<T>,
		claimed_at: BlockNumberFor<T>,
	) -> DispatchResult {
		let next_allowed = current.committed_at.saturating_add(CommitIntervals::<T>::get(netuid));
		ensure!(claimed_at >= next_allowed, Error::<T>::CommitRateLimited);
		Ok(())
	}

	/// Store `hotkey`'s announcements, removing the entry when none is left.
	fn put_announcements(netuid: NetUid, hotkey: &T::AccountId, list: AnnouncementsOf<T>) {
		if list.is_empty() {
			Announcements::<T>::remove(netuid, hotkey);
		} else {
			Announcements::<T>::insert(netuid, hotkey, list);
		}
	}

	/// Announce `hotkey`'s model: every check of `announce_model`, then the binding is stored
	/// with its commit window.
	pub(crate) fn do_announce_model(
		hotkey: T::AccountId,
		netuid: NetUid,
		competition: CompetitionId,
		binding: H256,
	) -> DispatchResult {
		Self::ensure_entrant(netuid, &hotkey, competition)?;
		let now = frame_system::Pallet::<T>::block_number();
		if let Some(current) = Models::<T>::get(netuid, &hotkey) {
			Self::ensure_interval(netuid, &current, now)?;
		}
		let (reveal_from, expires_at) = ClaimConfigs::<T>::get(netuid).window_for(now);
		let mut list = Announcements::<T>::get(netuid, &hotkey);
		list.retain(|announcement| !announcement.expired(&now));
		ensure!(
			!list.iter().any(|announcement| announcement.binding == binding),
			Error::<T>::DuplicateAnnouncement
		);
		let announcement = AnnouncementOf::<T> {
			binding,
			competition,
			announced_at: now,
			reveal_from,
			expires_at,
		};
		list.try_push(announcement).map_err(|_| Error::<T>::TooManyAnnouncements)?;
		Self::put_announcements(netuid, &hotkey, list);
		Self::deposit_event(Event::ModelAnnounced {
			netuid,
			hotkey,
			competition,
			binding,
			reveal_from,
			expires_at,
		});
		Ok(())
	}

	/// Commit `hotkey`'s model: every check of `commit_model`, then the claim moves to the new
	/// content hash, dated from its announcement.
	pub(crate) fn do_commit_model(
		hotkey: T::AccountId,
		netuid: NetUid,
		competition: CompetitionId,
		repo: &[u8],
		revision: &[u8],
		content_hash: H256,
		nonce: ClaimNonce,
	) -> DispatchResult {
		let repo = RepoId::parse(repo).map_err(Error::<T>::from)?.into_inner();
		let revision = RepoRevision::parse(revision).map_err(Error::<T>::from)?.into_inner();
		Self::ensure_entrant(netuid, &hotkey, competition)?;

		let binding = announcement_binding(&hotkey, &content_hash, &nonce);
		let mut announcements = Announcements::<T>::get(netuid, &hotkey);
		let position = announcements
			.iter()
			.position(|announcement| announcement.binding == binding)
			.ok_or(Error::<T>::UnknownAnnouncement)?;
		let announcement = announcements.remove(position);
		ensure!(announcement.competition == competition, Error::<T>::CompetitionMismatch);
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now >= announcement.reveal_from, Error::<T>::ClaimTooEarly);
		ensure!(!announcement.expired(&now), Error::<T>::AnnouncementExpired);
		let claimed_at = announcement.announced_at;

		let previous = Models::<T>::get(netuid, &hotkey);
		if let Some(previous) = &previous {
			ensure!(previous.content_hash != content_hash, Error::<T>::ModelUnchanged);
			Self::ensure_interval(netuid, previous, claimed_at)?;
		}
		// The earliest announcement of a content hash wins; on a tie the holder keeps it.
		let displaced = match HashOwners::<T>::get(netuid, content_hash) {
			Some(holder) => {
				let held_since = Models::<T>::get(netuid, &holder).map(|m| m.committed_at);
				ensure!(
					held_since.is_some_and(|since| claimed_at < since),
					Error::<T>::ModelAlreadyClaimed
				);
				Some(holder)
			}
			None => None,
		};

		if let Some(holder) = displaced {
			Models::<T>::remove(netuid, &holder);
			Self::deposit_event(Event::ClaimTaken {
				netuid,
				content_hash,
				from: holder,
				to: hotkey.clone(),
			});
		}
		if let Some(previous) = &previous {
			HashOwners::<T>::remove(netuid, previous.content_hash);
		}
		HashOwners::<T>::insert(netuid, content_hash, &hotkey);
		let commitment = CommitmentOf::<T> {
			competition,
			repo,
			revision,
			content_hash,
			committed_at: claimed_at,
		};
		Models::<T>::insert(netuid, &hotkey, commitment);
		Self::put_announcements(netuid, &hotkey, announcements);
		Self::deposit_event(Event::ModelCommitted {
			netuid,
			hotkey,
			competition,
			content_hash,
			released: previous.map(|previous| previous.content_hash),
			announced_at: claimed_at,
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
		ensure!(competition.max_params > 0, Error::<T>::MaxParamsZero);
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
		CommitIntervals::<T>::insert(netuid, blocks);
		Self::deposit_event(Event::CommitIntervalSet { netuid, blocks });
		Ok(())
	}

	/// Check a claim config against the chain's bounds.
	pub(crate) fn check_claim_config(config: &ClaimConfigOf<T>) -> DispatchResult {
		ensure!(!config.reveal_delay.is_zero(), Error::<T>::ClaimDelayZero);
		ensure!(config.reveal_delay <= T::MaxClaimDelay::get(), Error::<T>::ClaimDelayTooLong);
		ensure!(!config.reveal_window.is_zero(), Error::<T>::ClaimWindowZero);
		ensure!(config.reveal_window <= T::MaxClaimWindow::get(), Error::<T>::ClaimWindowTooLong);
		Ok(())
	}

	/// Set the claim config of `netuid` after every check of `set_claim_config`.
	pub(crate) fn do_set_claim_config(netuid: NetUid, config: ClaimConfigOf<T>) -> DispatchResult {
		Self::ensure_subnet(netuid)?;
		Self::check_claim_config(&config)?;
		ClaimConfigs::<T>::insert(netuid, config);
		Self::deposit_event(Event::ClaimConfigSet { netuid, config });
		Ok(())
	}

	/// The announcements of `hotkey` on `netuid` whose window has not closed, oldest first
	/// (served by the runtime API).
	pub fn announcements(netuid: NetUid, hotkey: &T::AccountId) -> Vec<AnnouncementOf<T>> {
		let now = frame_system::Pallet::<T>::block_number();
		Announcements::<T>::get(netuid, hotkey)
			.into_iter()
			.filter(|announcement| !announcement.expired(&now))
			.collect()
	}

	/// The claim config of `netuid` (served by the runtime API).
	pub fn claim_config(netuid: NetUid) -> ClaimConfigOf<T> {
		ClaimConfigs::<T>::get(netuid)
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
	/// hash); every subnet's reward shares add up to at most 100% and its schedules are valid;
	/// every announcement's window follows its block, no hotkey holds one binding twice, and no
	/// empty announcement list is stored.
	#[cfg(any(feature = "try-runtime", test))]
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		for (netuid, hash, owner) in HashOwners::<T>::iter() {
			let model = Models::<T>::get(netuid, &owner).ok_or("a claim without a model")?;
			ensure!(model.content_hash == hash, "a claim on a hash its owner no longer holds");
		}
		for (netuid, hotkey, model) in Models::<T>::iter() {
			ensure!(
				HashOwners::<T>::get(netuid, model.content_hash).as_ref() == Some(&hotkey),
				"a model whose hash is not claimed by its hotkey"
			);
		}
		for (_, competitions) in Competitions::<T>::iter() {
			let total: u64 =
				competitions.values().map(|c| u64::from(c.reward_share.deconstruct())).sum();
			ensure!(total <= u64::from(Perbill::one().deconstruct()), "reward shares above 100%");
			ensure!(competitions.values().all(|c| c.epsilon.validate().is_ok()), "bad schedule");
		}
		for (_, _, list) in Announcements::<T>::iter() {
			ensure!(!list.is_empty(), "an empty announcement list is stored");
			for (i, a) in list.iter().enumerate() {
				ensure!(
					a.announced_at < a.reveal_from,
					"a claim window opens with its announcement"
				);
				ensure!(a.reveal_from < a.expires_at, "an empty claim window");
				ensure!(
					list.iter().skip(i + 1).all(|b| b.binding != a.binding),
					"a binding announced twice"
				);
			}
		}
		Ok(())
	}
}

/// A deregistered hotkey loses its model, releases its claim and drops its announcements, so a
/// hotkey registered again later (on a reused uid) starts with nothing.
impl<T: Config> OnHotkeyDeregistered<T::AccountId> for Pallet<T> {
	fn on_hotkey_deregistered(netuid: NetUid, hotkey: &T::AccountId) {
		Announcements::<T>::remove(netuid, hotkey);
		if let Some(model) = Models::<T>::take(netuid, hotkey) {
			HashOwners::<T>::remove(netuid, model.content_hash);
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
