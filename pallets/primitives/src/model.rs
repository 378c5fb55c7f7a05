//! Model commitments and the competitions they enter.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_arithmetic::Perbill;
use sp_core::{bounded::BoundedVec, ConstU32, H256};

use crate::EpsilonSchedule;

/// Identifier of a competition inside a subnet.
pub type CompetitionId = u16;

/// The longest repository id a commitment may name, in bytes (`org/name` on the Hugging Face hub
/// is at most 96).
pub const MAX_REPO_LEN: u32 = 128;

/// The longest revision a commitment may name, in bytes (a git commit id is 40 hex digits).
pub const MAX_REVISION_LEN: u32 = 64;

/// A repository id, at most [`MAX_REPO_LEN`] bytes.
pub type Repo = BoundedVec<u8, ConstU32<MAX_REPO_LEN>>;

/// A revision, at most [`MAX_REVISION_LEN`] bytes.
pub type Revision = BoundedVec<u8, ConstU32<MAX_REVISION_LEN>>;

/// The model a miner's hotkey has committed on a subnet.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, TypeInfo, MaxEncodedLen)]
pub struct ModelCommitment<BlockNumber> {
	/// The competition the model enters.
	pub competition: CompetitionId,
	/// Where the model lives, e.g. `org/name` on the Hugging Face hub.
	pub repo: Repo,
	/// The revision of `repo` (branch, tag or commit id).
	pub revision: Revision,
	/// The content hash of the model's files (see the evaluator's `hash` command).
	pub content_hash: H256,
	/// The block of the model's announcement (phase 1 of its claim): the model's age and its
	/// place in the first-claim order count from here, not from the later commit.
	pub committed_at: BlockNumber,
}

/// What a competition's evaluation reports per batch.
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
	serde::Serialize,
	serde::Deserialize,
)]
pub enum Metric {
	/// Mean next-token cross-entropy, in nats.
	CrossEntropy,
	/// `exp` of the cross-entropy.
	Perplexity,
}

/// A competition of a subnet: how models in it are scored and rewarded.
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
	serde::Serialize,
	serde::Deserialize,
)]
pub struct Competition {
	/// How the older model's advantage decays with its age.
	pub epsilon: EpsilonSchedule,
	/// This competition's share of the subnet's weights; a subnet's shares add up to at most 100%.
	pub reward_share: Perbill,
	/// What the evaluation measures.
	pub metric: Metric,
	/// The most parameters a model may have; larger models score as failed.
	pub max_params: u64,
}
