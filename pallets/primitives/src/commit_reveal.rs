//! The commit-reveal values the pallet stores and the runtime API returns.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_arithmetic::traits::Saturating;
use sp_core::H256;

/// How a subnet runs commit-reveal. Set by root or the subnet owner.
#[derive(
	Clone,
	Copy,
	Default,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
	serde::Serialize,
	serde::Deserialize,
)]
pub struct RevealConfig<BlockNumber> {
	/// Whether validators must commit, then reveal. While `true`, plain weight setting is refused.
	pub enabled: bool,
	/// Blocks between a commit and the first block its reveal is accepted.
	pub reveal_delay: BlockNumber,
	/// How many blocks the reveal stays open once it opens. At least one.
	pub reveal_window: BlockNumber,
	/// The fewest blocks between two commits of one validator on the subnet; `None` means
	/// `reveal_delay`, one commit per reveal delay.
	pub commit_interval: Option<BlockNumber>,
}

impl<BlockNumber: Copy + Saturating> RevealConfig<BlockNumber> {
	/// The reveal window of a commit made at `committed_at`: `[from, until)`.
	pub fn window_for(&self, committed_at: BlockNumber) -> (BlockNumber, BlockNumber) {
		let from = committed_at.saturating_add(self.reveal_delay);
		(from, from.saturating_add(self.reveal_window))
	}

	/// The fewest blocks between two commits of one validator.
	pub fn min_commit_interval(&self) -> BlockNumber {
		self.commit_interval.unwrap_or(self.reveal_delay)
	}

	/// The first block a validator whose last commit was at `last_commit` may commit again.
	pub fn next_commit_from(&self, last_commit: BlockNumber) -> BlockNumber {
		last_commit.saturating_add(self.min_commit_interval())
	}
}

/// A weight commit waiting for its reveal. Its window is fixed when it is made, so a later
/// config change never moves it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Encode, Decode, TypeInfo, MaxEncodedLen)]
pub struct PendingCommit<BlockNumber> {
	/// The committed hash ([`crate::commit_hash`]).
	pub hash: H256,
	/// The block the commit was included in.
	pub committed_at: BlockNumber,
	/// The first block a reveal is accepted.
	pub reveal_from: BlockNumber,
	/// The first block a reveal is refused as expired.
	pub expires_at: BlockNumber,
	/// The subnet's minimum weights version key when the commit was made: the reveal is
	/// checked against it, so raising the minimum later never strands a pending commit.
	pub min_version_key: u64,
}

/// How a subnet's validators hide their weights until the reveal. Set by root or the subnet
/// owner; it applies while the subnet's [`RevealConfig`] is enabled.
#[derive(
	Clone,
	Copy,
	Default,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
	serde::Serialize,
	serde::Deserialize,
)]
pub enum RevealMode {
	/// Commit a hash, reveal the weights in a later transaction inside the reveal window.
	#[default]
	Hash,
	/// Commit the weights encrypted to a future round of the chain's randomness beacon; the
	/// chain opens and applies them when that round's pulse arrives, with no reveal
	/// transaction.
	Timelock {
		/// How many beacon rounds past the latest stored pulse a commit's round must be at
		/// least.
		rounds_ahead: u64,
	},
}

/// The plaintext of a timelocked weight commit, subtensor's `WeightsTlockPayload` field for
/// field: the weights, bound to the committing hotkey, so a copier who re-submits someone else's
/// ciphertext under its own hotkey gets it dropped when it opens. The subnet is the call's.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct WeightsTlockPayload {
	/// The committing hotkey, SCALE-encoded (an `AccountId32`'s 32 bytes on subtensor).
	pub hotkey: alloc::vec::Vec<u8>,
	/// The neurons weighed.
	pub uids: alloc::vec::Vec<crate::Uid>,
	/// One weight per uid.
	pub values: alloc::vec::Vec<u16>,
	/// The validator software's version key.
	pub version_key: u64,
}

/// The plaintext of Galton's timelocked commits before they took [`WeightsTlockPayload`]: the
/// weights bound to the hotkey and the subnet. The chain still opens commits sealed with it,
/// so that none stored before the switch is lost.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo)]
pub struct TimelockedWeights<AccountId> {
	/// The hotkey that commits.
	pub who: AccountId,
	/// The subnet.
	pub netuid: crate::NetUid,
	/// The neurons weighed.
	pub uids: alloc::vec::Vec<crate::Uid>,
	/// One weight per uid.
	pub values: alloc::vec::Vec<u16>,
	/// The validator software's version key.
	pub version_key: u64,
}
