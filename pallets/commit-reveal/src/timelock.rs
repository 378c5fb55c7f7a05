//! Timelocked weight commits: weights encrypted to a future beacon round, opened and applied by
//! the chain when that round's pulse is stored.

use alloc::vec::Vec;
use codec::{Decode, DecodeAll, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	ensure, traits::Get, weights::Weight, BoundedVec, CloneNoBound, DebugNoBound, EqNoBound,
	PartialEqNoBound,
};
use frame_system::pallet_prelude::BlockNumberFor;
use galton_primitives::{NetUid, RevealMode, SubnetsInterface, TimelockedWeights};
use galton_timelock::{BeaconSignature, RandomnessBeacon, TimelockCiphertext};
use scale_info::TypeInfo;
use sp_runtime::DispatchResult;

use crate::{
	Config, Error, Event, LastCommit, Pallet, QueuedRounds, RevealModes, RoundQueues,
	TimelockedCommits, WeightInfo,
};

/// A validator's timelocked commit, waiting for its round.
#[derive(
	CloneNoBound, PartialEqNoBound, EqNoBound, DebugNoBound, Encode, Decode, TypeInfo, MaxEncodedLen,
)]
#[scale_info(skip_type_params(MaxLen))]
#[codec(mel_bound(BlockNumber: MaxEncodedLen))]
pub struct TimelockedCommit<
	BlockNumber: Clone + PartialEq + Eq + core::fmt::Debug,
	MaxLen: Get<u32>,
> {
	/// The ciphertext as submitted.
	pub ciphertext: BoundedVec<u8, MaxLen>,
	/// The beacon round whose pulse opens it.
	pub reveal_round: u64,
	/// The block the commit was included in: uids taken by a new hotkey since lose their
	/// weight.
	pub committed_at: BlockNumber,
	/// The subnet's minimum weights version key when the commit was made.
	pub min_version_key: u64,
}

/// Why a timelocked commit was dropped when its round came.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
)]
pub enum TimelockDropReason {
	/// The chain holds no pulse for the round: the beacon skipped it, or the pulse left the
	/// beacon's history before the commit's turn came.
	PulseMissing,
	/// The round's pulse does not open the ciphertext: it was made for another round or
	/// beacon, or tampered with.
	Undecryptable,
	/// The plaintext is not SCALE-encoded `TimelockedWeights`.
	MalformedPayload,
	/// The plaintext names another hotkey or subnet: a copied ciphertext.
	NotBoundToCommitter,
	/// The version key is below the subnet's minimum at the commit.
	OutdatedVersionKey,
	/// The hotkey is no longer registered with a validator permit.
	NoLongerValidator,
	/// The host chain refused the weights (mismatched lengths, duplicates, too many).
	InvalidWeights,
}

impl<T: Config> Pallet<T> {
	/// Every check of `commit_timelocked_weights`, writing nothing.
	pub(crate) fn check_timelocked_commit(
		who: &T::AccountId,
		netuid: NetUid,
		ciphertext: &[u8],
		reveal_round: u64,
	) -> Result<(), Error<T>> {
		Self::check_committer(who, netuid)?;
		let RevealMode::Timelock { rounds_ahead } = RevealModes::<T>::get(netuid) else {
			return Err(Error::<T>::TimelockNotEnabled);
		};
		ensure!(
			!TimelockedCommits::<T>::contains_key(netuid, who),
			Error::<T>::TimelockedCommitPending
		);
		let latest = T::Beacon::latest_round().ok_or(Error::<T>::BeaconNotStarted)?;
		let earliest = latest.saturating_add(rounds_ahead);
		ensure!(reveal_round >= earliest, Error::<T>::RevealRoundTooEarly);
		ensure!(
			reveal_round <= earliest.saturating_add(T::RoundSlack::get()),
			Error::<T>::RevealRoundTooLate
		);
		TimelockCiphertext::decode_all(&mut &ciphertext[..])
			.map_err(|_| Error::<T>::MalformedCiphertext)?;
		let queued = RoundQueues::<T>::decode_len(reveal_round).unwrap_or(0);
		ensure!((queued as u32) < T::MaxCommitsPerRound::get(), Error::<T>::RoundFull);
		Ok(())
	}

	/// Commit `ciphertext` for `who` on `netuid`, to open at `reveal_round`.
	pub(crate) fn do_commit_timelocked(
		who: &T::AccountId,
		netuid: NetUid,
		ciphertext: BoundedVec<u8, T::MaxCiphertextLen>,
		reveal_round: u64,
	) -> DispatchResult {
		Self::check_timelocked_commit(who, netuid, &ciphertext, reveal_round)?;
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
		LastCommit::<T>::insert(netuid, who, now);
		Self::deposit_event(Event::TimelockedWeightsCommitted {
			netuid,
			who: who.clone(),
			reveal_round,
		});
		Ok(())
	}

	/// Open the commits of the rounds whose pulse is stored, oldest round first, at most
	/// `MaxOpenedPerBlock`; returns the weight used.
	pub(crate) fn open_due_commits() -> Weight {
		let Some(latest) = T::Beacon::latest_round() else {
			return T::WeightInfo::open_timelocked(0);
		};
		let mut budget = T::MaxOpenedPerBlock::get();
		let mut opened = 0;
		let mut finished = 0;
		let rounds = QueuedRounds::<T>::get();
		for &round in rounds.iter().take_while(|round| **round <= latest) {
			let signature = T::Beacon::signature(round);
			let mut queue = RoundQueues::<T>::get(round);
			while budget > 0 {
				let Some((netuid, who)) = queue.pop() else { break };
				budget -= 1;
				opened += 1;
				Self::open(netuid, &who, round, signature.as_ref());
			}
			if !queue.is_empty() {
				RoundQueues::<T>::insert(round, queue);
				break;
			}
			RoundQueues::<T>::remove(round);
			finished += 1;
		}
		if finished > 0 {
			let left: Vec<u64> = rounds.into_iter().skip(finished).collect();
			QueuedRounds::<T>::put(BoundedVec::truncate_from(left));
		}
		T::WeightInfo::open_timelocked(opened)
	}

	/// Open `who`'s commit on `netuid` for `round`, if it still waits, and apply or drop it.
	fn open(netuid: NetUid, who: &T::AccountId, round: u64, signature: Option<&BeaconSignature>) {
		// A hotkey deregistered since its commit left a queue entry with no commit behind it.
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
		let weights = TimelockedWeights::<T::AccountId>::decode_all(&mut &plaintext[..])
			.map_err(|_| TimelockDropReason::MalformedPayload)?;
		ensure!(
			weights.who == *who && weights.netuid == netuid,
			TimelockDropReason::NotBoundToCommitter
		);
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
		let max_uids = T::MaxUids::get() as usize;
		// Two vectors of MaxUids u16s with their compact lengths, the hotkey, netuid and key.
		let payload = T::AccountId::max_encoded_len() + 2 + 2 * (5 + 2 * max_uids) + 8;
		assert!(
			T::MaxCiphertextLen::get() as usize >= payload + galton_timelock::cipher::OVERHEAD,
			"MaxCiphertextLen must hold a payload of MaxUids weights"
		);
	}
}
