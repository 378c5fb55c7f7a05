//! The values the commit-reveal pallet accepts in its calls.

use alloc::vec::Vec;
use codec::{Decode, DecodeWithMemTracking, Encode};
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
