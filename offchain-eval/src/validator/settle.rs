//! The life of a journaled weight commit, as a function of what the journal and the chain say:
//! the validator loop reads the chain, asks [`next_step`] what to do, and does it, until the
//! commit is revealed or can be forgotten. A commit is forgotten only on the chain's word: its
//! window ended, it never landed and can no longer land, or the chain refused its reveal for
//! good. A chain that does not show it (yet) is never such a word.

use galton_primitives::PendingCommit;

use crate::{chain::runtime::commit_reveal::Error, journal::CommitState};

/// Blocks after which a commit journaled but never seen on chain can no longer land
/// (transactions are mortal for 32 blocks; twice that, to be safe).
pub const COMMIT_LIFETIME: u32 = 64;

/// What to do next with one journaled commit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
	/// It never reached the chain and no longer can. Forget it.
	NeverLanded,
	/// The chain's finalized head is below the block the entry is anchored to (a node that lost
	/// its last blocks, a lagging or fail-over backend): wait until it reaches `block`.
	AwaitHead {
		/// The block the entry is anchored to.
		block: u32,
	},
	/// The chain at the anchor's height holds another block: the commit is not on this chain
	/// and cannot land on it. Send it again from the journaled preimage.
	Resend,
	/// Sent, not on chain yet: wait a block and look again.
	AwaitInclusion,
	/// Its reveal window not open yet: wait for block `reveal_from`.
	AwaitWindow {
		/// The first block a reveal is accepted.
		reveal_from: u32,
	},
	/// Inside its window: reveal it now. For a commit that landed on this chain but is no
	/// longer pending (revealed by an earlier run, or reclaimed), the chain's refusal of the
	/// reveal says so, and ends it.
	Reveal,
	/// Its window closed at `expires_at`. Forget it.
	Expired {
		/// The first block the reveal was refused as expired.
		expires_at: u32,
	},
}

/// What the validator sees of one journaled commit on the chain.
#[derive(Clone, Copy, Debug)]
pub struct Seen<'a> {
	/// The finalized head.
	pub now: u32,
	/// The chain's pending commit with the journaled hash, if any.
	pub on_chain: Option<&'a PendingCommit<u32>>,
	/// Whether the chain's block at the anchor's height is the journaled one; `None` when not
	/// known (the head is below it, or the entry has no hash).
	pub anchor_on_chain: Option<bool>,
}

/// The step for a commit the journal holds in `state`, as the chain shows it (`seen`). Only
/// the chain can end a commit that may have landed: its window's end, or its refusal of the
/// reveal ([`reveal_refusal_is_final`]); a commit missing from a chain whose head is behind it
/// is waited for, and one missing from a chain that forked away from it is sent again.
pub fn next_step(state: CommitState, seen: Seen<'_>) -> Step {
	let Seen { now, on_chain, anchor_on_chain } = seen;
	let window = |reveal_from: u32, expires_at: u32| {
		if now >= expires_at {
			Step::Expired { expires_at }
		} else if now < reveal_from {
			Step::AwaitWindow { reveal_from }
		} else {
			Step::Reveal
		}
	};
	if let Some(commit) = on_chain {
		return window(commit.reveal_from, commit.expires_at);
	}
	let (anchor, _) = state.anchor();
	if now < anchor {
		return Step::AwaitHead { block: anchor };
	}
	if anchor_on_chain == Some(false) {
		return Step::Resend;
	}
	match state {
		CommitState::Committed { reveal_from, expires_at, .. } => window(reveal_from, expires_at),
		CommitState::Prepared { at_block, .. } => {
			if now > at_block.saturating_add(COMMIT_LIFETIME) {
				Step::NeverLanded
			} else {
				Step::AwaitInclusion
			}
		}
	}
}

/// Whether a reveal refused with `error` (the CommitReveal error behind the refusal, `None` for
/// any other: the pool full, the transaction dropped, a stale nonce, a full block, ...) ends
/// its commit. Only refusals that no later block can change do: the commit is gone or expired,
/// or the revealed weights themselves are refused. Everything else is retried each block while
/// the window lasts.
pub fn reveal_refusal_is_final(error: Option<&Error>) -> bool {
	matches!(
		error,
		Some(
			Error::NoMatchingCommit
				| Error::NoPendingCommits
				| Error::CommitExpired
				| Error::UnknownSubnet
				| Error::TooManyUids
				| Error::SaltTooShort
				| Error::SaltTooLong
				| Error::LengthMismatch
				| Error::TooManyWeights
				| Error::DuplicateUid
				| Error::UnknownUid
				| Error::OutdatedVersionKey
		)
	)
}

#[cfg(test)]
mod tests {
	use sp_core::H256;

	use super::*;

	const COMMITTED: CommitState = CommitState::Committed {
		committed_at: 10,
		block_hash: Some([10; 32]),
		reveal_from: 12,
		expires_at: 20,
	};
	const PREPARED: CommitState = CommitState::Prepared { at_block: 9, at_hash: Some([9; 32]) };

	fn on_chain() -> PendingCommit<u32> {
		PendingCommit {
			hash: H256::repeat_byte(1),
			committed_at: 10,
			reveal_from: 12,
			expires_at: 20,
			min_version_key: 0,
		}
	}

	fn pending(commit: &PendingCommit<u32>, now: u32) -> Seen<'_> {
		Seen { now, on_chain: Some(commit), anchor_on_chain: Some(true) }
	}

	fn missing(now: u32, anchor_on_chain: Option<bool>) -> Seen<'static> {
		Seen { now, on_chain: None, anchor_on_chain }
	}

	#[test]
	fn a_commit_on_chain_waits_for_its_window_then_reveals_until_it_expires() {
		let commit = on_chain();
		for state in [PREPARED, COMMITTED] {
			let step = |now| next_step(state, pending(&commit, now));
			assert_eq!(step(10), Step::AwaitWindow { reveal_from: 12 });
			assert_eq!(step(11), Step::AwaitWindow { reveal_from: 12 });
			assert_eq!(step(12), Step::Reveal);
			assert_eq!(step(19), Step::Reveal);
			assert_eq!(step(20), Step::Expired { expires_at: 20 });
		}
	}

	#[test]
	fn a_commit_not_on_chain_is_awaited_while_it_can_still_land() {
		let prepared = CommitState::Prepared { at_block: 100, at_hash: Some([1; 32]) };
		let step = |now| next_step(prepared, missing(now, Some(true)));
		assert_eq!(step(100), Step::AwaitInclusion);
		assert_eq!(step(100 + COMMIT_LIFETIME), Step::AwaitInclusion);
		assert_eq!(step(101 + COMMIT_LIFETIME), Step::NeverLanded);
		// Near the end of the block numbers the lifetime saturates instead of wrapping.
		let late = CommitState::Prepared { at_block: u32::MAX - 1, at_hash: None };
		assert_eq!(next_step(late, missing(u32::MAX, None)), Step::AwaitInclusion);
	}

	#[test]
	fn a_head_behind_the_commit_is_waited_for_however_long_it_lags() {
		// A restarted node that lost its last blocks, or a lagging backend: the commit is not
		// there yet, and nothing is dropped or sent until the head reaches its block.
		assert_eq!(next_step(COMMITTED, missing(3, None)), Step::AwaitHead { block: 10 });
		assert_eq!(next_step(COMMITTED, missing(9, None)), Step::AwaitHead { block: 10 });
		assert_eq!(next_step(PREPARED, missing(8, None)), Step::AwaitHead { block: 9 });
		// Far past the lifetime of the transaction, a commit sent on a block the head has not
		// reached is still not given up.
		let sent = CommitState::Prepared { at_block: 500, at_hash: Some([5; 32]) };
		assert_eq!(next_step(sent, missing(100, None)), Step::AwaitHead { block: 500 });
	}

	#[test]
	fn a_commit_whose_block_left_the_chain_is_sent_again() {
		// The chain at the commit's height holds another block: whatever the window says, the
		// commit is not on this chain.
		for now in [10, 15, 25] {
			assert_eq!(next_step(COMMITTED, missing(now, Some(false))), Step::Resend);
		}
		// A commit sent on a block this chain does not hold can never land on it: sent again
		// at once rather than after its lifetime.
		assert_eq!(next_step(PREPARED, missing(9, Some(false))), Step::Resend);
		assert_eq!(next_step(PREPARED, missing(50, Some(false))), Step::Resend);
	}

	#[test]
	fn a_commit_that_landed_and_left_the_pending_list_is_ended_by_the_chain_alone() {
		// Its block is on the chain: inside the window the reveal is tried, and the chain's
		// refusal (the commit was revealed or reclaimed) ends it; after the window it expires.
		assert_eq!(
			next_step(COMMITTED, missing(11, Some(true))),
			Step::AwaitWindow { reveal_from: 12 }
		);
		assert_eq!(next_step(COMMITTED, missing(15, Some(true))), Step::Reveal);
		assert_eq!(next_step(COMMITTED, missing(20, Some(true))), Step::Expired { expires_at: 20 });
		// An entry journaled without a block hash is taken to be on this chain.
		let legacy = CommitState::Committed {
			committed_at: 10,
			block_hash: None,
			reveal_from: 12,
			expires_at: 20,
		};
		assert_eq!(next_step(legacy, missing(15, None)), Step::Reveal);
	}

	#[test]
	fn only_refusals_no_block_can_change_end_a_commit() {
		for last in [Error::NoMatchingCommit, Error::CommitExpired, Error::LengthMismatch] {
			assert!(reveal_refusal_is_final(Some(&last)), "{last:?}");
		}
		// The pool's own refusals (full, dropped, nonce, exhausted block) carry no pallet
		// error; a reveal too early, or a validator whose permit may come back, waits.
		assert!(!reveal_refusal_is_final(None));
		for passing in [Error::RevealTooEarly, Error::NoValidatorPermit, Error::NotRegistered] {
			assert!(!reveal_refusal_is_final(Some(&passing)), "{passing:?}");
		}
	}
}
