//! The weight commit hash.

use codec::Encode;
use sp_core::H256;

use crate::{NetUid, Uid};

/// The hash a validator commits before it reveals its weights.
///
/// `blake2_256(SCALE((who, netuid, uids, values, salt, version_key)))`: the same preimage that
/// subtensor's `reveal_weights` hashes with `BlakeTwo256::hash_of`, so tooling written for
/// subtensor computes the same value. Slices encode exactly like the `Vec`s subtensor uses.
pub fn commit_hash<AccountId: Encode>(
	who: &AccountId,
	netuid: NetUid,
	uids: &[Uid],
	values: &[u16],
	salt: &[u16],
	version_key: u64,
) -> H256 {
	hash_of(&(who, netuid, uids, values, salt, version_key))
}

/// `blake2_256` of `value`'s SCALE encoding: `BlakeTwo256::hash_of`, without sp-runtime.
pub(crate) fn hash_of(value: &impl Encode) -> H256 {
	H256(value.using_encoded(sp_crypto_hashing::blake2_256))
}

#[cfg(test)]
mod tests {
	use super::*;
	use sp_core::crypto::AccountId32;
	use sp_runtime::traits::{BlakeTwo256, Hash};

	/// The preimage written out byte by byte, as the SCALE spec defines it.
	#[test]
	fn commit_hash_matches_hand_encoded_preimage() {
		let who = AccountId32::new([7u8; 32]);
		let mut preimage = vec![7u8; 32]; // AccountId32: 32 raw bytes
		preimage.extend_from_slice(&[0x03, 0x00]); // netuid 3, u16 little endian
		preimage.extend_from_slice(&[0x08, 0x00, 0x00, 0x01, 0x00]); // compact(2), uids 0, 1
		preimage.extend_from_slice(&[0x08, 0xff, 0xff, 0x01, 0x00]); // compact(2), 65535, 1
		preimage.extend_from_slice(&[0x04, 0x2a, 0x00]); // compact(1), salt 42
		preimage.extend_from_slice(&[0x05, 0, 0, 0, 0, 0, 0, 0]); // version key 5, u64 LE

		let expected = BlakeTwo256::hash(&preimage);
		assert_eq!(commit_hash(&who, 3, &[0, 1], &[65535, 1], &[42], 5), expected);
	}

	/// Subtensor hashes a tuple of `Vec`s; the slices taken here must encode identically.
	#[test]
	fn commit_hash_equals_subtensor_hash_of_vecs() {
		let who = AccountId32::new([1u8; 32]);
		let (uids, values, salt) = (vec![0u16, 4, 9], vec![10u16, 20, 30], vec![1u16, 2, 3, 4]);
		let subtensor = BlakeTwo256::hash_of(&(
			who.clone(),
			2u16,
			uids.clone(),
			values.clone(),
			salt.clone(),
			7u64,
		));
		assert_eq!(commit_hash(&who, 2, &uids, &values, &salt, 7), subtensor);
	}

	#[test]
	fn every_field_changes_the_hash() {
		let who = AccountId32::new([1u8; 32]);
		let base = commit_hash(&who, 1, &[0, 1], &[1, 2], &[9], 0);
		assert_ne!(base, commit_hash(&AccountId32::new([2u8; 32]), 1, &[0, 1], &[1, 2], &[9], 0));
		assert_ne!(base, commit_hash(&who, 2, &[0, 1], &[1, 2], &[9], 0));
		assert_ne!(base, commit_hash(&who, 1, &[1, 0], &[1, 2], &[9], 0));
		assert_ne!(base, commit_hash(&who, 1, &[0, 1], &[2, 1], &[9], 0));
		assert_ne!(base, commit_hash(&who, 1, &[0, 1], &[1, 2], &[8], 0));
		assert_ne!(base, commit_hash(&who, 1, &[0, 1], &[1, 2], &[9], 1));
	}
}
