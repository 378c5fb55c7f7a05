//! The life of a journaled weight commit, as a function of what the journal and the chain say:
//! the validator loop reads the chain, asks [`next_step`] what to do, and does it, until the
//! commit is revealed or can be forgotten.

use galton_primitives::PendingCommit;

use crate::{chain::runtime::commit_reveal::Error, journal::CommitState};

/// Blocks after which a commit journaled but never seen on chain can no longer land
/// (transactions are mortal for 32 blocks; twice that, to be safe).
pub const COMMIT_LIFETIME: u32 = 64;

/// What to do next with one journaled commit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
	/// It landed once and is no longer pending: revealed (by an earlier run) or reclaimed.
	/// Forget it.
	Gone,
	/// It never reached the chain and no longer can. Forget it.
	NeverLanded,
	/// Sent, not on chain yet: wait a block and look again.
	AwaitInclusion,
	/// On chain, its reveal window not open yet: wait for block `reveal_from`.
	AwaitWindow {
		/// The first block a reveal is accepted.
		reveal_from: u32,
	},
	/// On chain and inside its window: reveal it now.
	Reveal,
	/// On chain, but its window closed at `expires_at`. Forget it.
	Expired {
		/// The first block the reveal was refused as expired.
		expires_at: u32,
	},
}

/// The step for a commit the journal holds in `state`, which the chain lists as `on_chain`
/// (its pending commit with the same hash, if any) at finalized block `now`.
pub fn next_step(state: CommitState, on_chain: Option<&PendingCommit<u32>>, now: u32) -> Step {
	match (on_chain, state) {
		(None, CommitState::Committed { .. }) => Step::Gone,
		(None, CommitState::Prepared { at_block }) => {
			if now > at_block.saturating_add(COMMIT_LIFETIME) {
				Step::NeverLanded
			} else {
				Step::AwaitInclusion
			}
		}
		(Some(commit), _) if now >= commit.expires_at => {
			Step::Expired { expires_at: commit.expires_at }
		}
		(Some(commit), _) if now < commit.reveal_from => {
			Step::AwaitWindow { reveal_from: commit.reveal_from }
		}
		(Some(_), _) => Step::Reveal,
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

	const COMMITTED: CommitState =
		CommitState::Committed { committed_at: 10, reveal_from: 12, expires_at: 20 };

	fn on_chain() -> PendingCommit<u32> {
		PendingCommit {
			hash: H256::repeat_byte(1),
			committed_at: 10,
			reveal_from: 12,
			expires_at: 20,
			min_version_key: 0,
		}
	}

	#[test]
	fn a_commit_on_chain_waits_for_its_window_then_reveals_until_it_expires() {
		let commit = on_chain();
		for state in [CommitState::Prepared { at_block: 9 }, COMMITTED] {
			assert_eq!(next_step(state, Some(&commit), 10), Step::AwaitWindow { reveal_from: 12 });
			assert_eq!(next_step(state, Some(&commit), 11), Step::AwaitWindow { reveal_from: 12 });
			assert_eq!(next_step(state, Some(&commit), 12), Step::Reveal);
			assert_eq!(next_step(state, Some(&commit), 19), Step::Reveal);
			assert_eq!(next_step(state, Some(&commit), 20), Step::Expired { expires_at: 20 });
		}
	}

	#[test]
	fn a_commit_not_on_chain_is_awaited_while_it_can_still_land() {
		let prepared = CommitState::Prepared { at_block: 100 };
		assert_eq!(next_step(prepared, None, 100), Step::AwaitInclusion);
		assert_eq!(next_step(prepared, None, 100 + COMMIT_LIFETIME), Step::AwaitInclusion);
		assert_eq!(next_step(prepared, None, 101 + COMMIT_LIFETIME), Step::NeverLanded);
		// Near the end of the block numbers the lifetime saturates instead of wrapping.
		let late = CommitState::Prepared { at_block: u32::MAX - 1 };
		assert_eq!(next_step(late, None, u32::MAX), Step::AwaitInclusion);
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

	#[test]
	fn a_commit_that_landed_and_left_the_chain_is_forgotten() {
		assert_eq!(next_step(COMMITTED, None, 15), Step::Gone);
		assert_eq!(next_step(COMMITTED, None, 500), Step::Gone);
	}
}
