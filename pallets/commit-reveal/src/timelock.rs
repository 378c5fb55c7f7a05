//! Timelocked weight commits: weights encrypted to a future beacon round, opened and applied by
//! the chain when that round's pulse is stored.

use alloc::vec::Vec;
use codec::{Compact, CompactLen, DecodeAll, Encode, MaxEncodedLen};
use frame_support::{ensure, traits::Get, weights::Weight, BoundedVec};
use frame_system::pallet_prelude::BlockNumberFor;
use galton_primitives::{
	NetUid, RevealMode, SubnetsInterface, TimelockedWeights, Uid, WeightsTlockPayload,
};
use galton_timelock::{
	earliest_secret_round, subtensor, BeaconSignature, RandomnessBeacon, TimelockCiphertext,
};
use sp_runtime::DispatchResult;

use crate::{
	Config, Error, Event, LastCommits, Pallet, QueuedRounds, RevealModes, RoundQueues,
	StrandedRounds, TimelockDropReason, TimelockedCommit, TimelockedCommits, WeightInfo,
};

/// The weights a timelocked commit opens to.
struct OpenedWeights {
	uids: Vec<Uid>,
	values: Vec<u16>,
	version_key: u64,
}

/// A timelocked commit that passed every check, ready to store.
pub(crate) struct CheckedCommit<T: Config> {
	/// The ciphertext, SCALE-encoded for storage.
	ciphertext: BoundedVec<u8, T::MaxCiphertextLen>,
	/// The round of the validator's stranded commit (one for a replaced beacon's round) that
	/// this commit replaces.
	replaces: Option<u64>,
}

impl<T: Config> Pallet<T> {
	/// Every check of `commit_timelocked_weights`, writing nothing.
	pub(crate) fn check_timelocked_commit(
		who: &T::AccountId,
		netuid: NetUid,
		commit: &[u8],
		reveal_round: u64,
		commit_reveal_version: u16,
	) -> Result<CheckedCommit<T>, Error<T>> {
		ensure!(
			commit_reveal_version == T::CommitRevealVersion::get(),
			Error::<T>::IncorrectCommitRevealVersion
		);
		Self::check_committer(who, netuid)?;
		let RevealMode::Timelock { rounds_ahead } = RevealModes::<T>::get(netuid) else {
			return Err(Error::<T>::TimelockNotEnabled);
		};
		let stranded = StrandedRounds::<T>::get();
		let replaced = TimelockedCommits::<T>::get(netuid, who).map(|pending| pending.reveal_round);
		if let Some(round) = replaced {
			// A commit for a replaced beacon's round never opens: a new commit replaces it.
			ensure!(stranded.binary_search(&round).is_ok(), Error::<T>::TimelockedCommitPending);
		}
		let due = T::Beacon::due_round().ok_or(Error::<T>::BeaconNotStarted)?;
		let earliest = earliest_secret_round(T::Beacon::latest_round(), due, rounds_ahead);
		ensure!(reveal_round >= earliest, Error::<T>::RevealRoundTooEarly);
		ensure!(
			reveal_round <= earliest.saturating_add(T::RoundSlack::get()),
			Error::<T>::RevealRoundTooLate
		);
		// Weights for more uids than the subnet ever handed out are padding: free block space.
		let most = Self::sealed_len(u32::from(T::Subnets::uid_count(netuid)));
		ensure!(commit.len() <= most, Error::<T>::CiphertextTooLong);
		// The layout only: a `U` off the curve makes the commit undecryptable, dropped when it
		// opens, and no curve arithmetic is done for transactions in the pool.
		let parsed =
			subtensor::parse_subtensor(commit).map_err(|_| Error::<T>::MalformedCiphertext)?;
		// The SCALE encoding is shorter than the wire format it was parsed from.
		let ciphertext =
			BoundedVec::try_from(parsed.encode()).map_err(|_| Error::<T>::CiphertextTooLong)?;
		let queued = RoundQueues::<T>::decode_len(reveal_round).unwrap_or(0);
		ensure!((queued as u32) < T::MaxCommitsPerRound::get(), Error::<T>::RoundFull);
		// A replaced beacon's commits still queue under this round number until they are
		// dropped.
		ensure!(stranded.binary_search(&reveal_round).is_err(), Error::<T>::RoundFull);
		Ok(CheckedCommit { ciphertext, replaces: replaced })
	}

	/// Commit `commit` (subtensor's wire format) for `who` on `netuid`, to open at
	/// `reveal_round`.
	pub(crate) fn do_commit_timelocked(
		who: &T::AccountId,
		netuid: NetUid,
		commit: &[u8],
		reveal_round: u64,
		commit_reveal_version: u16,
	) -> DispatchResult {
		let CheckedCommit { ciphertext, replaces } = Self::check_timelocked_commit(
			who,
			netuid,
			commit,
			reveal_round,
			commit_reveal_version,
		)?;
		if let Some(round) = replaces {
			Self::remove_timelocked(netuid, who);
			Self::deposit_event(Event::TimelockedCommitDropped {
				netuid,
				who: who.clone(),
				round,
				reason: TimelockDropReason::BeaconReplaced,
			});
		}
		let mut rounds = QueuedRounds::<T>::get();
		if let Err(position) = rounds.binary_search(&reveal_round) {
			rounds
				.try_insert(position, reveal_round)
				.map_err(|_| Error::<T>::TooManyQueuedRounds)?;
			QueuedRounds::<T>::put(rounds);
		}
		RoundQueues::<T>::try_append(reveal_round, (netuid, who.clone()))
			.map_err(|_| Error::<T>::RoundFull)?;
		let now = frame_system::Pallet::<T>::block_number();
		TimelockedCommits::<T>::insert(
			netuid,
			who,
			TimelockedCommit {
				ciphertext,
				reveal_round,
				committed_at: now,
				min_version_key: T::Subnets::weights_version_key(netuid),
			},
		);
		LastCommits::<T>::insert(netuid, who, now);
		Self::deposit_event(Event::TimelockedWeightsCommitted {
			netuid,
			who: who.clone(),
			reveal_round,
		});
		Ok(())
	}

	/// Open the commits of the rounds the beacon has reached, oldest round first, at most
	/// `MaxOpenedPerBlock`; returns the weight used.
	///
	/// A reached round whose pulse is missing (skipped or withheld) waits until the latest pulse
	/// is `MissingPulseGrace` rounds past it, so that a back-filled pulse still opens its
	/// commits; after that they are dropped as [`TimelockDropReason::PulseMissing`].
	pub(crate) fn open_due_commits() -> Weight {
		let dropping = Self::drop_stranded();
		let Some(latest) = T::Beacon::latest_round() else {
			return T::WeightInfo::open_timelocked(0).saturating_add(dropping);
		};
		let grace = T::MissingPulseGrace::get();
		let mut budget = T::MaxOpenedPerBlock::get();
		let mut opened = 0;
		let mut waiting = 0u64;
		let rounds = QueuedRounds::<T>::get();
		let mut kept = Vec::with_capacity(rounds.len());
		for &round in rounds.iter() {
			if round > latest || budget == 0 {
				kept.push(round);
				continue;
			}
			let signature = T::Beacon::signature(round);
			if signature.is_none() && latest - round < grace {
				waiting += 1;
				kept.push(round);
				continue;
			}
			let mut queue = RoundQueues::<T>::get(round);
			while budget > 0 {
				let Some((netuid, who)) = queue.pop() else { break };
				budget -= 1;
				opened += 1;
				Self::open(netuid, &who, round, signature.as_ref());
			}
			if queue.is_empty() {
				RoundQueues::<T>::remove(round);
			} else {
				RoundQueues::<T>::insert(round, queue);
				kept.push(round);
			}
		}
		if kept.len() < rounds.len() {
			QueuedRounds::<T>::put(BoundedVec::truncate_from(kept));
		}
		// A waiting round costs the read of its missing pulse.
		T::WeightInfo::open_timelocked(opened)
			.saturating_add(T::DbWeight::get().reads(waiting))
			.saturating_add(dropping)
	}

	/// Drop up to `MaxOpenedPerBlock` commits that wait for a replaced beacon's rounds, with
	/// [`TimelockDropReason::BeaconReplaced`]; returns the weight used.
	pub(crate) fn drop_stranded() -> Weight {
		let mut rounds = StrandedRounds::<T>::get();
		if rounds.is_empty() {
			return T::WeightInfo::drop_stranded(0);
		}
		let mut budget = T::MaxOpenedPerBlock::get();
		let mut dropped = 0u32;
		while let Some(&round) = rounds.first() {
			let mut queue = RoundQueues::<T>::get(round);
			while budget > 0 {
				let Some((netuid, who)) = queue.pop() else { break };
				budget -= 1;
				dropped += 1;
				let waiting = TimelockedCommits::<T>::get(netuid, &who);
				if waiting.is_some_and(|commit| commit.reveal_round == round) {
					TimelockedCommits::<T>::remove(netuid, &who);
					let reason = TimelockDropReason::BeaconReplaced;
					Self::deposit_event(Event::TimelockedCommitDropped {
						netuid,
						who,
						round,
						reason,
					});
				}
			}
			if !queue.is_empty() {
				RoundQueues::<T>::insert(round, queue);
				break;
			}
			RoundQueues::<T>::remove(round);
			rounds.remove(0);
		}
		StrandedRounds::<T>::put(rounds);
		T::WeightInfo::drop_stranded(dropped)
	}

	/// The beacon was replaced: every queued round waits for a pulse that will never come, so
	/// the queued rounds move to [`StrandedRounds`], to be dropped in the next blocks. Rounds
	/// beyond its bound (a second replacement before the first drained) stay queued and are
	/// dropped as undecryptable or missing when the new beacon reaches them.
	pub(crate) fn strand_queued_rounds() {
		let mut stranded = StrandedRounds::<T>::get();
		let queued = QueuedRounds::<T>::take();
		let mut left = Vec::new();
		for round in queued {
			match stranded.binary_search(&round) {
				Ok(_) => {}
				Err(position) => {
					if stranded.try_insert(position, round).is_err() {
						left.push(round);
					}
				}
			}
		}
		StrandedRounds::<T>::put(stranded);
		if !left.is_empty() {
			QueuedRounds::<T>::put(BoundedVec::truncate_from(left));
		}
	}

	/// Remove `who`'s timelocked commit on `netuid` and its place in its round's queue.
	pub(crate) fn remove_timelocked(netuid: NetUid, who: &T::AccountId) {
		let Some(commit) = TimelockedCommits::<T>::take(netuid, who) else { return };
		RoundQueues::<T>::mutate(commit.reveal_round, |queue| {
			queue.retain(|(queued_netuid, queued)| (*queued_netuid, queued) != (netuid, who))
		});
	}

	/// Open `who`'s commit on `netuid` for `round`, if it still waits, and apply or drop it.
	fn open(netuid: NetUid, who: &T::AccountId, round: u64, signature: Option<&BeaconSignature>) {
		// Entries of deregistered hotkeys leave the queue with their commit; this guards the rest.
		let Some(commit) = TimelockedCommits::<T>::get(netuid, who) else { return };
		if commit.reveal_round != round {
			return;
		}
		TimelockedCommits::<T>::remove(netuid, who);
		let event = match Self::apply_timelocked(netuid, who, &commit, signature) {
			Ok(dropped) => {
				Event::TimelockedWeightsRevealed { netuid, who: who.clone(), round, dropped }
			}
			Err(reason) => {
				Event::TimelockedCommitDropped { netuid, who: who.clone(), round, reason }
			}
		};
		Self::deposit_event(event);
	}

	/// Decrypt a commit with its round's signature, check the plaintext and apply the weights;
	/// returns how many uids were dropped as vacated or re-registered since the commit.
	fn apply_timelocked(
		netuid: NetUid,
		who: &T::AccountId,
		commit: &TimelockedCommit<BlockNumberFor<T>, T::MaxCiphertextLen>,
		signature: Option<&BeaconSignature>,
	) -> Result<u32, TimelockDropReason> {
		let signature = signature.ok_or(TimelockDropReason::PulseMissing)?;
		let ciphertext = TimelockCiphertext::decode_all(&mut &commit.ciphertext[..])
			.map_err(|_| TimelockDropReason::Undecryptable)?;
		let plaintext = galton_timelock::decrypt(&ciphertext, signature)
			.map_err(|_| TimelockDropReason::Undecryptable)?;
		let weights = Self::bound_payload(netuid, who, &plaintext)?;
		ensure!(
			weights.version_key >= commit.min_version_key,
			TimelockDropReason::OutdatedVersionKey
		);
		let max_uids = T::MaxUids::get() as usize;
		ensure!(
			weights.uids.len() <= max_uids && weights.uids.len() == weights.values.len(),
			TimelockDropReason::InvalidWeights
		);
		let uid = T::Subnets::uid_of(netuid, who)
			.filter(|uid| T::Subnets::has_validator_permit(netuid, *uid))
			.ok_or(TimelockDropReason::NoLongerValidator)?;
		let ((uids, values), dropped) =
			Self::kept_weights(netuid, &weights.uids, &weights.values, commit.committed_at);
		T::Subnets::apply_weights(netuid, uid, &uids, &values)
			.map_err(|_| TimelockDropReason::InvalidWeights)?;
		Ok(dropped)
	}

	/// The weights in a commit's `plaintext`, provided they name the committer `who`: a
	/// [`WeightsTlockPayload`], or Galton's earlier [`TimelockedWeights`], which names the
	/// subnet too (commits stored before the switch still open). subtensor's legacy payload,
	/// which names no hotkey, is refused: anyone could commit a copy of it as their own.
	fn bound_payload(
		netuid: NetUid,
		who: &T::AccountId,
		plaintext: &[u8],
	) -> Result<OpenedWeights, TimelockDropReason> {
		let mut reason = TimelockDropReason::MalformedPayload;
		if let Ok(payload) = WeightsTlockPayload::decode_all(&mut &plaintext[..]) {
			let hotkey = T::AccountId::decode_all(&mut &payload.hotkey[..]);
			if hotkey.is_ok_and(|hotkey| hotkey == *who) {
				let WeightsTlockPayload { uids, values, version_key, .. } = payload;
				return Ok(OpenedWeights { uids, values, version_key });
			}
			reason = TimelockDropReason::NotBoundToCommitter;
		}
		if let Ok(earlier) = TimelockedWeights::<T::AccountId>::decode_all(&mut &plaintext[..]) {
			if earlier.who == *who && earlier.netuid == netuid {
				let TimelockedWeights { uids, values, version_key, .. } = earlier;
				return Ok(OpenedWeights { uids, values, version_key });
			}
			reason = TimelockDropReason::NotBoundToCommitter;
		}
		Err(reason)
	}

	/// Fail unless `mode` lies inside the runtime's bounds.
	pub(crate) fn ensure_valid_mode(mode: RevealMode) -> DispatchResult {
		if let RevealMode::Timelock { rounds_ahead } = mode {
			ensure!(rounds_ahead > 0, Error::<T>::RoundsAheadZero);
			ensure!(rounds_ahead <= T::MaxRoundsAhead::get(), Error::<T>::RoundsAheadTooLarge);
		}
		Ok(())
	}

	/// The timelock constants must leave room for every commit the checks accept.
	pub(crate) fn timelock_integrity_test() {
		assert!(T::MaxOpenedPerBlock::get() > 0, "MaxOpenedPerBlock must be at least one");
		assert!(T::MaxCommitsPerRound::get() > 0, "MaxCommitsPerRound must be at least one");
		let rounds =
			T::MaxRoundsAhead::get().saturating_add(T::RoundSlack::get()).saturating_add(1);
		assert!(
			u64::from(T::MaxQueuedRounds::get()) >= rounds,
			"MaxQueuedRounds must cover MaxRoundsAhead + RoundSlack + 1 rounds"
		);
		assert!(
			T::MaxCiphertextLen::get() as usize >= Self::sealed_len(T::MaxUids::get()),
			"MaxCiphertextLen must hold a payload of MaxUids weights"
		);
	}

	/// The timelock queues' invariants: queued and stranded rounds are each strictly ascending
	/// and never share a round; every waiting commit has its entry in its round's queue, and
	/// that round is queued or stranded; every stored queue belongs to a queued or stranded
	/// round, so none is left where `on_initialize` never looks.
	#[cfg(any(feature = "try-runtime", test))]
	pub(crate) fn try_state_timelock() -> Result<(), sp_runtime::TryRuntimeError> {
		let (queued, stranded) = (QueuedRounds::<T>::get(), StrandedRounds::<T>::get());
		let ascending = |rounds: &[u64]| rounds.windows(2).all(|pair| pair[0] < pair[1]);
		ensure!(ascending(&queued), "queued rounds out of order or repeated");
		ensure!(ascending(&stranded), "stranded rounds out of order or repeated");
		ensure!(
			queued.iter().all(|round| stranded.binary_search(round).is_err()),
			"a round is both queued and stranded"
		);
		let listed = |round: u64| {
			queued.binary_search(&round).is_ok() || stranded.binary_search(&round).is_ok()
		};
		for (netuid, who, commit) in TimelockedCommits::<T>::iter() {
			let round = commit.reveal_round;
			ensure!(listed(round), "a commit waits for a round never opened");
			ensure!(
				RoundQueues::<T>::get(round).contains(&(netuid, who)),
				"a commit is missing from its round's queue"
			);
		}
		for (round, queue) in RoundQueues::<T>::iter() {
			ensure!(
				queue.is_empty() || listed(round),
				"a round's queue is stored but the round is neither queued nor stranded"
			);
		}
		Ok(())
	}

	/// The longest commit of weights for `uids` uids in subtensor's wire format: the hotkey
	/// with its compact length, two vectors of that many `u16`s with theirs and the version key
	/// ([`WeightsTlockPayload`]), sealed (the AES-GCM tag and the format's fields).
	pub(crate) fn sealed_len(uids: u32) -> usize {
		let hotkey = T::AccountId::max_encoded_len();
		let hotkey = Compact::<u32>::compact_len(&(hotkey as u32)) + hotkey;
		let payload = hotkey + 2 * (5 + 2 * uids as usize) + 8;
		payload + galton_timelock::cipher::TAG_LEN + subtensor::SUBTENSOR_OVERHEAD
	}
}

/// A replaced beacon strands the commits waiting for its rounds: they are dropped.
impl<T: Config> galton_timelock::OnBeaconReplaced for Pallet<T> {
	fn on_beacon_replaced() {
		Self::strand_queued_rounds();
	}

	fn weight() -> Weight {
		let rounds = crate::QueuedRoundsOf::<T>::max_encoded_len() as u64;
		T::DbWeight::get().reads_writes(2, 2).saturating_add(Weight::from_parts(0, 2 * rounds))
	}
}
