//! The pallet's logic behind its calls and hook, and the queries the runtime API serves.

use alloc::vec::Vec;
use frame_support::{ensure, traits::Get};
use frame_system::pallet_prelude::BlockNumberFor;
use galton_primitives::{commit_hash, CommitRevealStatus, NetUid, SubnetsInterface, Uid};
use sp_core::H256;
use sp_runtime::{traits::Saturating, DispatchResult};

use crate::{
	CommitsOf, Config, Error, Event, ExpiryQueue, Pallet, PendingCommit, PendingCommits, Reveal,
	RevealConfig, RevealConfigs,
};

impl<T: Config> Pallet<T> {
	/// Run every check of `commit_weights` without writing anything; on success, return the
	/// subnet's reveal config, which fixes the new commit's window.
	pub(crate) fn check_commit(
		who: &T::AccountId,
		netuid: NetUid,
		hash: H256,
	) -> Result<RevealConfig<BlockNumberFor<T>>, Error<T>> {
		ensure!(T::Subnets::subnet_exists(netuid), Error::<T>::UnknownSubnet);
		let config = RevealConfigs::<T>::get(netuid);
		ensure!(config.enabled, Error::<T>::CommitRevealDisabled);
		let uid = T::Subnets::uid_of(netuid, who).ok_or(Error::<T>::NotRegistered)?;
		ensure!(T::Subnets::has_validator_permit(netuid, uid), Error::<T>::NoValidatorPermit);

		let now = frame_system::Pallet::<T>::block_number();
		let commits = PendingCommits::<T>::get(netuid, who);
		let mut live = commits.iter().filter(|commit| commit.expires_at > now);
		ensure!(!live.clone().any(|commit| commit.hash == hash), Error::<T>::DuplicateCommit);
		ensure!(
			(live.by_ref().count() as u32) < T::MaxPendingCommits::get(),
			Error::<T>::TooManyPendingCommits
		);
		let (_, expires_at) = config.window_for(now);
		let queue = ExpiryQueue::<T>::get(Self::reclaim_block(expires_at));
		let entry = (netuid, who.clone());
		ensure!(
			queue.contains(&entry) || (queue.len() as u32) < T::MaxExpiriesPerBlock::get(),
			Error::<T>::ExpiryQueueFull
		);
		Ok(config)
	}

	/// Commit `hash` for validator `who` on `netuid`: every check of `commit_weights`, then the
	/// commit and its reclaim entry are stored.
	pub(crate) fn do_commit(who: &T::AccountId, netuid: NetUid, hash: H256) -> DispatchResult {
		let config = Self::check_commit(who, netuid, hash)?;
		let now = frame_system::Pallet::<T>::block_number();
		let (reveal_from, expires_at) = config.window_for(now);
		Self::queue_reclaim(netuid, who, Self::reclaim_block(expires_at))?;
		let mut commits = PendingCommits::<T>::get(netuid, who);
		Self::drop_expired(netuid, who, &mut commits, now);
		commits
			.try_push(PendingCommit { hash, committed_at: now, reveal_from, expires_at })
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
	/// anything; on success, return the validator's uid, its commits, the position of the
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
		ensure!(reveal.salt.len() <= T::MaxSaltLen::get() as usize, Error::<T>::SaltTooLong);
		ensure!(T::Subnets::subnet_exists(netuid), Error::<T>::UnknownSubnet);
		let uid = T::Subnets::uid_of(netuid, who).ok_or(Error::<T>::NotRegistered)?;

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
			.map(|(index, commit)| (index, *commit))
			.ok_or(Error::<T>::NoMatchingCommit)?;
		let now = frame_system::Pallet::<T>::block_number();
		ensure!(now >= commit.reveal_from, Error::<T>::RevealTooEarly);
		ensure!(now < commit.expires_at, Error::<T>::CommitExpired);
		Ok((uid, commits, index, hash))
	}

	/// Reveal `reveal` for validator `who` on `netuid`: every check of `reveal_weights`, then the
	/// weights go to the host chain and the commit is deleted.
	pub(crate) fn do_reveal(who: &T::AccountId, netuid: NetUid, reveal: &Reveal) -> DispatchResult {
		let (uid, mut commits, index, hash) = Self::check_reveal(who, netuid, reveal)?;
		T::Subnets::apply_weights(netuid, uid, &reveal.uids, &reveal.values, reveal.version_key)
			.map_err(Error::<T>::from)?;
		commits.remove(index);
		Self::store_commits(netuid, who, commits);
		Self::deposit_event(Event::WeightsRevealed { netuid, who: who.clone(), commit_hash: hash });
		Ok(())
	}

	/// The block that reclaims a commit expiring at `expires_at`.
	fn reclaim_block(expires_at: BlockNumberFor<T>) -> BlockNumberFor<T> {
		expires_at.saturating_add(T::ExpiredRetention::get())
	}

	/// Reclaim the commits due at block `now`; returns how many validators' lists were visited.
	pub(crate) fn reclaim_due(now: BlockNumberFor<T>) -> u32 {
		let cutoff = now.saturating_sub(T::ExpiredRetention::get());
		let due = ExpiryQueue::<T>::take(now);
		for (netuid, who) in &due {
			let mut commits = PendingCommits::<T>::get(netuid, who);
			if Self::drop_expired(*netuid, who, &mut commits, cutoff) > 0 {
				Self::store_commits(*netuid, who, commits);
			}
		}
		if !due.is_empty() {
			log::debug!(target: crate::LOG_TARGET, "visited {} expired commit lists", due.len());
		}
		due.len() as u32
	}

	/// Fail unless a batch of `len` items is non-empty and at most `MaxBatchSize`.
	pub(crate) fn ensure_batch_size(len: usize) -> DispatchResult {
		ensure!(len > 0, Error::<T>::EmptyBatch);
		ensure!(len <= T::MaxBatchSize::get() as usize, Error::<T>::BatchTooLarge);
		Ok(())
	}

	/// Fail unless `config` lies inside the runtime's bounds.
	pub(crate) fn ensure_valid_config(config: &RevealConfig<BlockNumberFor<T>>) -> DispatchResult {
		ensure!(config.reveal_delay <= T::MaxRevealDelay::get(), Error::<T>::RevealDelayTooLong);
		ensure!(config.reveal_window > 0u32.into(), Error::<T>::RevealWindowZero);
		ensure!(config.reveal_window <= T::MaxRevealWindow::get(), Error::<T>::RevealWindowTooLong);
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

	/// Note that the commits of `who` on `netuid` are due for reclaim at block `at`.
	fn queue_reclaim(netuid: NetUid, who: &T::AccountId, at: BlockNumberFor<T>) -> DispatchResult {
		ExpiryQueue::<T>::try_mutate(at, |queue| {
			let entry = (netuid, who.clone());
			if queue.contains(&entry) {
				return Ok(());
			}
			queue.try_push(entry).map_err(|_| Error::<T>::ExpiryQueueFull.into())
		})
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

	/// Check the pallet's invariants at the end of block `now`: every pending commit has a valid
	/// window, is queued for reclaim at `expires_at + ExpiredRetention`, which lies in the future;
	/// no validator holds the same hash twice or an empty list; the queue holds no past block.
	#[cfg(any(feature = "try-runtime", test))]
	pub fn do_try_state(now: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
		for (netuid, who, commits) in PendingCommits::<T>::iter() {
			ensure!(!commits.is_empty(), "an empty commit list is stored");
			for (index, commit) in commits.iter().enumerate() {
				ensure!(commit.committed_at <= commit.reveal_from, "window opens before commit");
				ensure!(commit.reveal_from < commit.expires_at, "empty reveal window");
				let reclaim_at = Self::reclaim_block(commit.expires_at);
				ensure!(reclaim_at > now, "a commit outlived its reclaim block");
				ensure!(
					ExpiryQueue::<T>::get(reclaim_at).contains(&(netuid, who.clone())),
					"a commit is not queued for reclaim"
				);
				ensure!(
					commits.iter().skip(index + 1).all(|other| other.hash != commit.hash),
					"a hash is pending twice"
				);
			}
		}
		ensure!(ExpiryQueue::<T>::iter_keys().all(|at| at > now), "a past block is queued");
		Ok(())
	}
}

impl<T: Config> CommitRevealStatus for Pallet<T> {
	fn commit_reveal_enabled(netuid: NetUid) -> bool {
		RevealConfigs::<T>::get(netuid).enabled
	}
}
