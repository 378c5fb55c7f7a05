//! The values the commit-reveal pallet accepts in its calls and keeps in its storage.

use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use frame_support::{
	traits::Get, BoundedVec, CloneNoBound, DebugNoBound, EqNoBound, PartialEqNoBound,
};
use galton_primitives::Uid;
use scale_info::TypeInfo;

/// One reveal of a `batch_reveal_weights` call: the preimage of one pending commit.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct Reveal {
	/// The neurons weighed.
	pub uids: Vec<Uid>,
	/// One weight per uid.
	pub values: Vec<u16>,
	/// The salt the commit hash was made with.
	pub salt: Vec<u16>,
	/// The validator software's version key.
	pub version_key: u64,
}

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
	/// The ciphertext, parsed from the submitted wire format and kept SCALE-encoded as a
	/// [`galton_timelock::TimelockCiphertext`] (never longer than the submitted bytes).
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
	/// The plaintext is neither a SCALE-encoded `WeightsTlockPayload` nor Galton's earlier
	/// `TimelockedWeights`.
	MalformedPayload,
	/// The plaintext names another hotkey (or, in Galton's earlier payload, another subnet): a
	/// copied ciphertext.
	NotBoundToCommitter,
	/// The version key is below the subnet's minimum at the commit.
	OutdatedVersionKey,
	/// The hotkey is no longer registered with a validator permit.
	NoLongerValidator,
	/// The host chain refused the weights (mismatched lengths, duplicates, too many).
	InvalidWeights,
	/// The chain's beacon was replaced: the round it waited for will never come.
	BeaconReplaced,
}
