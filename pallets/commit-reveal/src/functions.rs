//! The pallet's logic behind its calls and hook, and the queries the runtime API serves.

use alloc::vec::Vec;
use frame_support::{ensure, traits::Get, weights::Weight};
use frame_system::pallet_prelude::BlockNumberFor;
use galton_primitives::{
	commit_hash, CommitRevealStatus, NetUid, OnHotkeyDeregistered, SubnetsInterface, Uid,
};
use sp_core::H256;
use sp_runtime::{
	traits::{Saturating, Zero},
	DispatchResult,
};

use crate::{
	CommitsOf, Config, CursorOf, Error, Event, LastCommits, Pallet, PendingCommit, PendingCommits,
	ReclaimCursor, Reveal, RevealConfig, RevealConfigs, RevealMode, RevealModes, WeightInfo,
};

impl<T: Config> Pallet<T> {
	/// The checks every commit, hashed or timelocked, makes of its committer: the subnet runs
	/// commit-reveal, the hotkey holds a validator permit there, and its last commit is at least
	/// the commit interval old. Returns the subnet's reveal config.
	pub(crate) fn check_committer(
		who: &T::AccountId,
		netuid: NetUid,
	) -> Result<RevealConfig<BlockNumberFor<T>>, Error<T>> {
		let config = RevealConfigs::<T>::get(netuid);
		// Only an enabled config is ever stored for an existing subnet, so the subnet is looked
		// up on the failure path alone: a commit reads one item less.
		if !config.enabled {
			ensure!(T::Subnets::subnet_exists(netuid), Error::<T>::UnknownSubnet);
			return Err(Error::<T>::CommitRevealDisabled);
		}
		let uid = T::Subnets::uid_of(netuid, who).ok_or(Error::<T>::NotRegistered)?;
		ensure!(T::Subnets::has_validator_permit(netuid, uid), Error::<T>::NoValidatorPermit);

		let now = frame_system::Pallet::<T>::block_number();
		if let Some(last) = LastCommits::<T>::get(netuid, who) {
			ensure!(now >= config.next_commit_from(last), Error::<T>::CommitRateLimited);
		}
		Ok(config)
	}

	/// Run every check of `commit_weights` without writing anything; on success, return the
	/// subnet's reveal config, which fixes the new commit's window.
	pub(crate) fn check_commit(
		who: &T::AccountId,
		netuid: NetUid,
		hash: H256,
	) -> Result<RevealConfig<BlockNumberFor<T>>, Error<T>> {
		let config = Self::check_committer(who, netuid)?;
		ensure!(RevealModes::<T>::get(netuid) == RevealMode::Hash, Error::<T>::UseTimelock);
		let now = frame_system::Pallet::<T>::block_number();
		let commits = PendingCommits::<T>::get(netuid, who);
		let mut live = commits.iter().filter(|commit| commit.expires_at > now);
		ensure!(!live.clone().any(|commit| commit.hash == hash), Error::<T>::DuplicateCommit);
		ensure!(
			(live.by_ref().count() as u32) < T::MaxPendingCommits::get(),
			Error::<T>::TooManyPendingCommits
		);
		Ok(config)
	}

	/// Commit `hash` for validator `who` on `netuid`: every check of `commit_weights`, then the
	/// commit and its reclaim entry are stored.
	pub(crate) fn do_commit(who: &T::AccountId, netuid: NetUid, hash: H256) -> DispatchResult {
		let config = Self::check_commit(who, netuid, hash)?;
		let now = frame_system::Pallet::<T>::block_number();
		let (reveal_from, expires_at) = config.window_for(now);
		let min_version_key = T::Subnets::weights_version_key(netuid);
		LastCommits::<T>::insert(netuid, who, now);
		let mut commits = PendingCommits::<T>::get(netuid, who);
		Self::drop_expired(netuid, who, &mut commits, now);
		commits
			.try_push(PendingCommit {
				hash,
				committed_at: now,
				reveal_from,
				expires_at,
				min_version_key,
			})
			.map_err(|_| Error::<T>::TooManyPendingCommits)?;
		PendingCommits::<T>::insert(netuid, who, commits);
		Self::deposit_event(Event::WeightsCommitted {
			netuid,
			who: who.clone(),
			commit_hash: hash,
			reveal_from,
			expires_at,
		});
		Ok(())
	}

	/// Run every check of `reveal_weights` except the weights' own validity, without writing
	/// anything; on success, return the validator's uid, its commits and the position of the
	/// matching one, and the hash.
	pub(crate) fn check_reveal(
		who: &T::AccountId,
		netuid: NetUid,
		reveal: &Reveal,
	) -> Result<(Uid, CommitsOf<T>, usize, H256), Error<T>> {
		let max_uids = T::MaxUids::get() as usize;
		ensure!(
			reveal.uids.len() <= max_uids && reveal.values.len() <= max_uids,
			Error::<T>::TooManyUids
		);
		ensure!(reveal.uids.len() == reveal.values.len(), Error::<T>::LengthMismatch);
		ensure!(reveal.salt.len() >= T::MinSaltLen::get() as usize, Error::<T>::SaltTooShort);
		ensure!(reveal.salt.len() <= T::MaxSaltLen::get() as usize, Error::<T>::SaltTooLong);
		ensure!(T::Subnets::subnet_exists(netuid), Error::<T>::UnknownSubnet);
		let uid = T::Subnets::uid_of(netuid, who).ok_or(Error::<T>::NotRegistered)?;
		ensure!(T::Subnets::has_validator_permit(netuid, uid), Error::<T>::NoValidatorPermit);

		let commits = PendingCommits::<T>::get(netuid, who);
		ensure!(!commits.is_empty(), Error::<T>::NoPendingCommits);
		let hash = commit_hash(
			who,
			netuid,
			&reveal.uids,
			&reveal.values,
			&reveal.salt,
			reveal.version_key,
		);
		let (index, commit) = commits
			.iter()
			.enumerate()
			.find(|(_, commit)| commit.hash == hash)
			.ok_or(Error::<T>::NoMatchingCommit)?;
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now >= commit.reveal_from, Error::<T>::RevealTooEarly);
		ensure!(now < commit.expires_at, Error::<T>::CommitExpired);
		ensure!(reveal.version_key >= commit.min_version_key, Error::<T>::OutdatedVersionKey);
		Ok((uid, commits, index, hash))
	}

	/// The weights that may still land of those committed at `committed_at`: those of uids
	/// whose holder registered before the commit. A uid vacated or taken by someone new since is
	/// dropped, with its value; the second value is how many were.
	pub(crate) fn kept_weights(
		netuid: NetUid,
		uids: &[Uid],
		values: &[u16],
		committed_at: BlockNumberFor<T>,
	) -> ((Vec<Uid>, Vec<u16>), u32) {
		let held = T::Subnets::held_since(netuid, uids, committed_at);
		let kept: (Vec<Uid>, Vec<u16>) = uids
			.iter()
			.zip(values)
			.zip(held)
			.filter_map(|(weight, held)| held.then_some(weight))
			.unzip();
		let dropped = uids.len().saturating_sub(kept.0.len()) as u32;
		(kept, dropped)
	}

	/// Every check the transaction pool makes of a reveal: those of [`Self::check_reveal`] and
	/// the validity on the host chain of the weights that would land; returns the reveal's hash.
	pub(crate) fn check_reveal_in_pool(
		who: &T::AccountId,
		netuid: NetUid,
		reveal: &Reveal,
	) -> Result<H256, Error<T>> {
		let (_, commits, index, hash) = Self::check_reveal(who, netuid, reveal)?;
		// A uid the subnet never handed out was never weighed at the commit either: such a
		// reveal would take free block space for weights that are all dropped.
		let count = T::Subnets::uid_count(netuid);
		ensure!(reveal.uids.iter().all(|uid| *uid < count), Error::<T>::UnknownUid);
		let committed_at = commits.get(index).ok_or(Error::<T>::NoMatchingCommit)?.committed_at;
		let ((uids, values), _) =
			Self::kept_weights(netuid, &reveal.uids, &reveal.values, committed_at);
		T::Subnets::check_weights(netuid, &uids, &values)?;
		Ok(hash)
	}

	/// Reveal `reveal` for validator `who` on `netuid`: every check of `reveal_weights`, then the
	/// weights of the uids still held by whoever held them at the commit go to the host chain,
	/// and the commit is deleted.
	pub(crate) fn do_reveal(who: &T::AccountId, netuid: NetUid, reveal: &Reveal) -> DispatchResult {
		let (uid, mut commits, index, hash) = Self::check_reveal(who, netuid, reveal)?;
		let commit = commits.remove(index);
		let ((uids, values), dropped) =
			Self::kept_weights(netuid, &reveal.uids, &reveal.values, commit.committed_at);
		T::Subnets::apply_weights(netuid, uid, &uids, &values).map_err(Error::<T>::from)?;
		Self::store_commits(netuid, who, commits);
		Self::deposit_event(Event::WeightsRevealed {
			netuid,
			who: who.clone(),
			commit_hash: hash,
			dropped,
		});
		Ok(())
	}

	/// How many commit lists the idle-time reclaim may visit with `remaining` weight: as many as
	/// the benchmarked worst case fits, at most `MaxReclaimPerBlock`.
	pub(crate) fn reclaim_budget(remaining: Weight) -> u32 {
		let base = T::WeightInfo::reclaim_expired(0);
		let per_list = T::WeightInfo::reclaim_expired(1).saturating_sub(base);
		let Some(spare) = remaining.checked_sub(&base) else { return 0 };
		let fits = spare.checked_div_per_component(&per_list).unwrap_or(u64::MAX);
		fits.min(u64::from(T::MaxReclaimPerBlock::get())) as u32
	}

	/// Reclaim expired commits in the block's spare weight; returns the weight used.
	pub(crate) fn reclaim_idle(now: BlockNumberFor<T>, remaining: Weight) -> Weight {
		let budget = Self::reclaim_budget(remaining);
		if budget == 0 {
			return Weight::zero();
		}
		let visited = Self::reclaim_expired(now, budget);
		T::WeightInfo::reclaim_expired(visited)
	}

	/// Visit up to `budget` commit lists from the cursor on, deleting the commits whose
	/// retention ended by block `now`; returns how many lists were visited.
	pub(crate) fn reclaim_expired(now: BlockNumberFor<T>, budget: u32) -> u32 {
		let cutoff = now.saturating_sub(T::ExpiredRetention::get());
		let mut lists = match ReclaimCursor::<T>::take() {
			Some(cursor) => PendingCommits::<T>::iter_from(cursor.into_inner()),
			None => PendingCommits::<T>::iter(),
		};
		let mut visited = 0;
		while visited < budget {
			let Some((netuid, who, mut commits)) = lists.next() else {
				// The walk is complete; the next one starts from the first list.
				return visited;
			};
			visited += 1;
			if Self::drop_expired(netuid, &who, &mut commits, cutoff) > 0 {
				Self::store_commits(netuid, &who, commits);
			}
		}
		if let Ok(cursor) = CursorOf::try_from(lists.last_raw_key().to_vec()) {
			ReclaimCursor::<T>::put(cursor);
		}
		log::debug!(target: crate::LOG_TARGET, "visited {visited} commit lists; the walk goes on");
		visited
	}

	/// Fail unless a batch of `len` items is non-empty and at most `MaxBatchSize`.
	pub(crate) fn ensure_batch_size(len: usize) -> DispatchResult {
		ensure!(len > 0, Error::<T>::EmptyBatch);
		ensure!(len <= T::MaxBatchSize::get() as usize, Error::<T>::BatchTooLarge);
		Ok(())
	}

	/// Fail unless `config` lies inside the runtime's bounds.
	pub(crate) fn ensure_valid_config(config: &RevealConfig<BlockNumberFor<T>>) -> DispatchResult {
		ensure!(!config.reveal_delay.is_zero(), Error::<T>::RevealDelayZero);
		ensure!(config.reveal_delay <= T::MaxRevealDelay::get(), Error::<T>::RevealDelayTooLong);
		ensure!(!config.reveal_window.is_zero(), Error::<T>::RevealWindowZero);
		ensure!(config.reveal_window <= T::MaxRevealWindow::get(), Error::<T>::RevealWindowTooLong);
		if let Some(interval) = config.commit_interval {
			ensure!(!interval.is_zero(), Error::<T>::CommitIntervalZero);
			ensure!(interval <= T::MaxCommitInterval::get(), Error::<T>::CommitIntervalTooLong);
		}
		Ok(())
	}

	/// The pending commits of `who` on `netuid`, oldest first (served by the runtime API).
	pub fn pending_commits(
		netuid: NetUid,
		who: &T::AccountId,
	) -> Vec<PendingCommit<BlockNumberFor<T>>> {
		PendingCommits::<T>::get(netuid, who).into_inner()
	}

	/// The reveal config of `netuid` (served by the runtime API).
	pub fn reveal_config(netuid: NetUid) -> RevealConfig<BlockNumberFor<T>> {
		RevealConfigs::<T>::get(netuid)
	}

	/// Delete the commits that expired at or before `cutoff`, with a `CommitExpired` event each;
	/// returns how many went.
	fn drop_expired(
		netuid: NetUid,
		who: &T::AccountId,
		commits: &mut CommitsOf<T>,
		cutoff: BlockNumberFor<T>,
	) -> u32 {
		let before = commits.len();
		commits.retain(|commit| {
			let expired = commit.expires_at <= cutoff;
			if expired {
				Self::deposit_event(Event::CommitExpired {
					netuid,
					who: who.clone(),
					commit_hash: commit.hash,
				});
			}
			!expired
		});
		(before - commits.len()) as u32
	}

	/// Store a validator's commits, deleting the entry when none are left.
	fn store_commits(netuid: NetUid, who: &T::AccountId, commits: CommitsOf<T>) {
		if commits.is_empty() {
			PendingCommits::<T>::remove(netuid, who);
		} else {
			PendingCommits::<T>::insert(netuid, who, commits);
		}
	}

	/// Check the pallet's invariants at the end of block `now`: every pending commit has a
	/// valid window that opens after its commit, which lies in the past, no later than the
	/// validator's last commit; no validator holds the same hash twice or an empty list; and
	/// the timelock queues hold together (`try_state_timelock`).
	#[cfg(any(feature = "try-runtime", test))]
	pub fn do_try_state(now: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
		Self::try_state_timelock()?;
		for (netuid, who, commits) in PendingCommits::<T>::iter() {
			ensure!(!commits.is_empty(), "an empty commit list is stored");
			let last = LastCommits::<T>::get(netuid, &who).ok_or("a commit without its block")?;
			for (index, commit) in commits.iter().enumerate() {
				ensure!(commit.committed_at <= now, "a commit from the future");
				ensure!(commit.committed_at <= last, "a commit after the last commit");
				ensure!(commit.committed_at < commit.reveal_from, "window opens at the commit");
				ensure!(commit.reveal_from < commit.expires_at, "empty reveal window");
				ensure!(
					commits.iter().skip(index + 1).all(|other| other.hash != commit.hash),
					"a hash is pending twice"
				);
			}
		}
		Ok(())
	}
}

impl<T: Config> CommitRevealStatus for Pallet<T> {
	fn commit_reveal_enabled(netuid: NetUid) -> bool {
		RevealConfigs::<T>::get(netuid).enabled
	}
}

/// A deregistered hotkey's commits and rate-limit entry go with it: a later holder of the
/// hotkey's uid starts clean, and the storage stays bounded by the registered neurons.
impl<T: Config> OnHotkeyDeregistered<T::AccountId> for Pallet<T> {
	fn on_hotkey_deregistered(netuid: NetUid, hotkey: &T::AccountId) {
		PendingCommits::<T>::remove(netuid, hotkey);
		Self::remove_timelocked(netuid, hotkey);
		LastCommits::<T>::remove(netuid, hotkey);
	}

	fn weight() -> Weight {
		T::WeightInfo::on_hotkey_deregistered()
	}
}
