//! Two-phase model claims: a miner first announces a binding that reveals nothing about its
//! model, then, after a delay, commits the model with the nonce that opens the binding. The
//! model's age and its place in the first-claim order count from the announcement, so a copier
//! who sees the model (in the transaction pool or on the hub) is always later.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_arithmetic::traits::Saturating;
use sp_core::H256;

use crate::CompetitionId;

/// The secret a miner keeps between the two phases. Random, 32 bytes.
pub type ClaimNonce = [u8; 32];

/// The binding a miner announces in phase 1.
///
/// `blake2_256(SCALE((hotkey, content_hash, nonce)))`: it names neither the model nor its hash,
/// and the hotkey inside it means nobody else can open it, even after seeing the nonce.
pub fn announcement_binding<AccountId: Encode>(
	hotkey: &AccountId,
	content_hash: &H256,
	nonce: &ClaimNonce,
) -> H256 {
	crate::hash::hash_of(&(hotkey, content_hash, nonce))
}

/// When the model behind an announcement may be committed. Set per subnet by root or the
/// subnet owner.
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
pub struct ClaimConfig<BlockNumber> {
	/// Blocks between an announcement and the first block its commit is accepted. At least one,
	/// and long enough for the announcement to be final before the model is uploaded.
	pub reveal_delay: BlockNumber,
	/// How many blocks the commit stays open once it opens. At least one.
	pub reveal_window: BlockNumber,
}

impl<BlockNumber: Copy + Saturating> ClaimConfig<BlockNumber> {
	/// The commit window of an announcement made at `announced_at`: `[from, until)`.
	pub fn window_for(&self, announced_at: BlockNumber) -> (BlockNumber, BlockNumber) {
		let from = announced_at.saturating_add(self.reveal_delay);
		(from, from.saturating_add(self.reveal_window))
	}
}

/// A miner's announcement waiting for its commit. Its window is fixed when it is made, so a
/// later config change never moves it.
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
pub struct Announcement<BlockNumber> {
	/// The binding ([`announcement_binding`]).
	pub binding: H256,
	/// The competition the model will enter.
	pub competition: CompetitionId,
	/// The block the announcement was included in: the model's age and claim order count
	/// from here.
	pub announced_at: BlockNumber,
	/// The first block the commit is accepted.
	pub reveal_from: BlockNumber,
	/// The first block the commit is refused as expired.
	pub expires_at: BlockNumber,
}

impl<BlockNumber: PartialOrd> Announcement<BlockNumber> {
	/// Whether the commit window has closed at `now`.
	pub fn expired(&self, now: &BlockNumber) -> bool {
		*now >= self.expires_at
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use sp_core::crypto::AccountId32;
	use sp_runtime::traits::{BlakeTwo256, Hash};

	/// The preimage written out byte by byte: 32 bytes of account, 32 of hash, 32 of nonce.
	#[test]
	fn binding_matches_hand_encoded_preimage() {
		let who = AccountId32::new([7u8; 32]);
		let hash = H256::repeat_byte(0xab);
		let nonce = [0x11u8; 32];
		let mut preimage = vec![7u8; 32];
		preimage.extend_from_slice(&[0xab; 32]);
		preimage.extend_from_slice(&[0x11; 32]);
		assert_eq!(announcement_binding(&who, &hash, &nonce), BlakeTwo256::hash(&preimage));
	}

	#[test]
	fn every_input_changes_the_binding() {
		let who = AccountId32::new([1u8; 32]);
		let base = announcement_binding(&who, &H256::zero(), &[0; 32]);
		assert_ne!(
			base,
			announcement_binding(&AccountId32::new([2u8; 32]), &H256::zero(), &[0; 32])
		);
		assert_ne!(base, announcement_binding(&who, &H256::repeat_byte(1), &[0; 32]));
		assert_ne!(base, announcement_binding(&who, &H256::zero(), &[1; 32]));
	}

	#[test]
	fn the_window_is_fixed_by_the_announcement_block() {
		let config = ClaimConfig { reveal_delay: 3u32, reveal_window: 5 };
		assert_eq!(config.window_for(10), (13, 18));
		assert_eq!(config.window_for(u32::MAX - 1), (u32::MAX, u32::MAX));
		let announcement = Announcement {
			binding: H256::zero(),
			competition: 0,
			announced_at: 10u32,
			reveal_from: 13,
			expires_at: 18,
		};
		assert!(!announcement.expired(&17));
		assert!(announcement.expired(&18));
	}
}
