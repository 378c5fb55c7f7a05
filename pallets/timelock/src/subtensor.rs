//! subtensor's timelock wire format: the bytes bittensor's SDK (PyPI `bittensor-drand`) produces
//! for a timelocked weight commit and subtensor's commit-reveal v3/v4 decrypts, the arkworks
//! compressed serialization of `tle`'s `TLECiphertext<TinyBLS381>` at the revision subtensor
//! pins (ideal-lab5/timelock 5416406), with every length a `u64` little-endian:
//!
//! | field | bytes |
//! | --- | --- |
//! | `U`, a compressed G2 point | 96 |
//! | `V`: length 32, then the bytes | 8 + 32 |
//! | `W`: length 32, then the bytes | 8 + 32 |
//! | the body: its length, then `ciphertext` (length, bytes) and `nonce` (length 12, bytes) | 8 + 8 + n + 8 + 12 |
//! | the cipher suite: length 8, then `AES_GCM_` | 8 + 8 |
//!
//! The fields are those of [`TimelockCiphertext`], so converting either way loses nothing.
//! [`parse_subtensor`] checks every length against the bytes left before it reads (a hostile
//! prefix allocates nothing), and refuses trailing bytes and any other cipher suite;
//! [`from_subtensor`] also checks that `U` is a point of G2's prime-order subgroup.

use crate::{
	beacon::PUBLIC_KEY_LEN,
	cipher::{TimelockCiphertext, TimelockError, NONCE_LEN},
};
use alloc::vec::Vec;
use ark_bls12_381::G2Affine;
use ark_serialize::CanonicalDeserialize;

/// The only cipher suite subtensor's format carries: AES-256-GCM.
pub const CIPHER_SUITE: &[u8] = b"AES_GCM_";

/// Bytes [`to_subtensor`] adds to the AES-GCM ciphertext (tag included).
pub const SUBTENSOR_OVERHEAD: usize = PUBLIC_KEY_LEN + 2 * (8 + 32) + 8 + 8 + 8 + NONCE_LEN + 8 + 8;

/// `ciphertext` in subtensor's wire format.
pub fn to_subtensor(ciphertext: &TimelockCiphertext) -> Vec<u8> {
	let mut out = Vec::with_capacity(SUBTENSOR_OVERHEAD + ciphertext.body.len());
	let field = |out: &mut Vec<u8>, bytes: &[u8]| {
		out.extend_from_slice(&(bytes.len() as u64).to_le_bytes());
		out.extend_from_slice(bytes);
	};
	out.extend_from_slice(&ciphertext.u);
	field(&mut out, &ciphertext.v);
	field(&mut out, &ciphertext.w);
	let body_len = 8 + ciphertext.body.len() + 8 + NONCE_LEN;
	out.extend_from_slice(&(body_len as u64).to_le_bytes());
	field(&mut out, &ciphertext.body);
	field(&mut out, &ciphertext.nonce);
	field(&mut out, CIPHER_SUITE);
	out
}

/// The ciphertext in subtensor's wire format `bytes`; [`TimelockError::Malformed`] if they are
/// not one (a length out of place or past the end, another cipher suite, trailing bytes, a `U`
/// that is not a point of G2's prime-order subgroup).
pub fn from_subtensor(bytes: &[u8]) -> Result<TimelockCiphertext, TimelockError> {
	let ciphertext = parse_subtensor(bytes)?;
	let _point: G2Affine = G2Affine::deserialize_compressed(&ciphertext.u[..])
		.map_err(|_| TimelockError::Malformed)?;
	Ok(ciphertext)
}

/// The fields of the ciphertext in subtensor's wire format `bytes`, with no curve arithmetic:
/// [`TimelockError::Malformed`] for a length out of place or past the end, another cipher
/// suite or trailing bytes, but a `U` off the curve passes ([`crate::decrypt`] refuses it).
/// What the chain checks in the transaction pool, where work is not paid for.
pub fn parse_subtensor(bytes: &[u8]) -> Result<TimelockCiphertext, TimelockError> {
	let mut reader = Reader(bytes);
	let u: [u8; PUBLIC_KEY_LEN] = reader.array()?;
	let v = reader.sized_field::<32>()?;
	let w = reader.sized_field::<32>()?;
	let body_len = reader.length()?;
	let mut body_reader = Reader(reader.take(body_len)?);
	let body = body_reader.field()?.to_vec();
	let nonce = body_reader.sized_field::<NONCE_LEN>()?;
	if !body_reader.0.is_empty() || reader.field()? != CIPHER_SUITE || !reader.0.is_empty() {
		return Err(TimelockError::Malformed);
	}
	Ok(TimelockCiphertext { u, v, w, nonce, body })
}

/// Reads from the front of a byte slice, never past its end.
struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
	fn take(&mut self, count: usize) -> Result<&'a [u8], TimelockError> {
		if count > self.0.len() {
			return Err(TimelockError::Malformed);
		}
		let (taken, rest) = self.0.split_at(count);
		self.0 = rest;
		Ok(taken)
	}

	fn array<const N: usize>(&mut self) -> Result<[u8; N], TimelockError> {
		self.take(N)?.try_into().map_err(|_| TimelockError::Malformed)
	}

	/// A `u64` length, as a `usize` no larger than the bytes left.
	fn length(&mut self) -> Result<usize, TimelockError> {
		let length = u64::from_le_bytes(self.array()?);
		usize::try_from(length).ok().filter(|l| *l <= self.0.len()).ok_or(TimelockError::Malformed)
	}

	/// A length-prefixed field.
	fn field(&mut self) -> Result<&'a [u8], TimelockError> {
		let length = self.length()?;
		self.take(length)
	}

	/// A length-prefixed field of exactly `N` bytes.
	fn sized_field<const N: usize>(&mut self) -> Result<[u8; N], TimelockError> {
		self.field()?.try_into().map_err(|_| TimelockError::Malformed)
	}
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::{
		beacon::tests::{QUICKNET_KEY, QUICKNET_ROUND_1000},
		cipher::{decrypt, encrypt},
	};
	use rand_chacha::{rand_core::SeedableRng, ChaCha20Rng};

	/// What bittensor-drand 2.0.0's `encrypt_at_round(b"hello galton", 1000)` returned (its
	/// output is this format SCALE-wrapped with the round: a compact length `01 04` before and
	/// `e8 03 ..` after, removed here).
	const BITTENSOR_DRAND: &[u8] = &hex_literal::hex!("98f73882e21ea569a8e43317ae7045192aa7a73e995873ce424bf6c3c5cbc53af7d34b89d2dcf90ec2ade206b9be5c2d08fb3e8f1dd36f13fd78785209aa1b92674739577d6b2a49a5600a0503ed61a7df32be6888e2f4fe3a170680a7f638772000000000000000d7367faf3578b46c0984b5f6668b6d961ed9062d30c4d804ceed1fdd626d4fdb2000000000000000f3209d655edc8a373a64a4bb207f61b1ec0320a19732308dc55dced00f355e3938000000000000001c00000000000000dd8bdd0642fa642e9dc5250a0cac0d7f0efa3d1590c2e7bba885fdd90c000000000000000290db6192562e28532c57de08000000000000004145535f47434d5f");

	#[test]
	fn a_ciphertext_from_bittensor_drand_opens_with_the_rounds_pulse() {
		let ciphertext = from_subtensor(BITTENSOR_DRAND).expect("bittensor-drand's format");
		assert_eq!(decrypt(&ciphertext, &QUICKNET_ROUND_1000), Ok(b"hello galton".to_vec()));
		assert_eq!(to_subtensor(&ciphertext), BITTENSOR_DRAND, "written back byte for byte");
	}

	#[test]
	fn ours_round_trips_and_has_the_stated_size() {
		let mut rng = ChaCha20Rng::seed_from_u64(7);
		let sealed = encrypt(&QUICKNET_KEY, 1000, b"weights", &mut rng).expect("sealed");
		let bytes = to_subtensor(&sealed);
		assert_eq!(bytes.len(), SUBTENSOR_OVERHEAD + sealed.body.len());
		assert_eq!(from_subtensor(&bytes), Ok(sealed));
	}

	#[test]
	fn anything_else_is_malformed_and_nothing_is_allocated_for_a_hostile_length() {
		let bytes = BITTENSOR_DRAND.to_vec();
		let malformed = |bytes: &[u8]| from_subtensor(bytes) == Err(TimelockError::Malformed);
		for cut in [0, 10, 96, 100, 150, bytes.len() - 1] {
			assert!(malformed(&bytes[..cut]), "cut at {cut}");
		}
		let mut trailing = bytes.clone();
		trailing.push(0);
		assert!(malformed(&trailing));
		let mut suite = bytes.clone();
		let last = suite.len() - 1;
		suite[last] = b'X';
		assert!(malformed(&suite), "another cipher suite");
		let mut huge = bytes.clone();
		huge[96..104].copy_from_slice(&u64::MAX.to_le_bytes());
		assert!(malformed(&huge), "a length past the end");
		let mut short_v = bytes.clone();
		short_v[96..104].copy_from_slice(&31u64.to_le_bytes());
		assert!(malformed(&short_v), "V must be 32 bytes");
		let mut not_a_point = bytes.clone();
		not_a_point[0] ^= 1;
		assert!(malformed(&not_a_point));
		let parsed = parse_subtensor(&not_a_point).expect("the layout alone is sound");
		assert_eq!(decrypt(&parsed, &QUICKNET_ROUND_1000), Err(TimelockError::Malformed));
	}
}
