//! Validation of a weight vector, shared by every pallet that accepts weights.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;

use crate::Uid;

/// Why a weight vector was refused.
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
pub enum WeightsError {
	/// `uids` and `values` have different lengths.
	LengthMismatch,
	/// More entries than the subnet can have neurons.
	TooManyWeights,
	/// A uid appears more than once.
	DuplicateUid,
	/// A uid names no registered neuron of the subnet.
	UnknownUid,
	/// The version key is older than the one the subnet requires.
	OutdatedVersionKey,
}

/// Check `uids`/`values` against the rules every weight vector must obey: equal lengths, at most
/// `max_len` entries, no uid twice, and each uid registered (`is_registered`).
///
/// Cost: `O(n log n)` in memory plus one `is_registered` call per uid.
pub fn check_weights(
	uids: &[Uid],
	values: &[u16],
	max_len: usize,
	is_registered: impl Fn(Uid) -> bool,
) -> Result<(), WeightsError> {
	if uids.len() != values.len() {
		return Err(WeightsError::LengthMismatch);
	}
	if uids.len() > max_len {
		return Err(WeightsError::TooManyWeights);
	}
	let mut sorted = uids.to_vec();
	sorted.sort_unstable();
	if sorted.windows(2).any(|pair| pair[0] == pair[1]) {
		return Err(WeightsError::DuplicateUid);
	}
	if !uids.iter().all(|uid| is_registered(*uid)) {
		return Err(WeightsError::UnknownUid);
	}
	Ok(())
}

#[cfg(test)]
mod tests {
	use super::*;

	fn below_ten(uid: Uid) -> bool {
		uid < 10
	}

	#[test]
	fn valid_weights_pass() {
		assert_eq!(check_weights(&[3, 0, 9], &[1, 2, 3], 10, below_ten), Ok(()));
		assert_eq!(check_weights(&[], &[], 10, below_ten), Ok(()));
	}

	#[test]
	fn each_rule_has_its_error() {
		assert_eq!(check_weights(&[0, 1], &[1], 10, below_ten), Err(WeightsError::LengthMismatch));
		assert_eq!(
			check_weights(&[0, 1, 2], &[1, 1, 1], 2, below_ten),
			Err(WeightsError::TooManyWeights)
		);
		assert_eq!(
			check_weights(&[4, 1, 4], &[1, 1, 1], 10, below_ten),
			Err(WeightsError::DuplicateUid)
		);
		assert_eq!(check_weights(&[1, 10], &[1, 1], 10, below_ten), Err(WeightsError::UnknownUid));
	}
}
