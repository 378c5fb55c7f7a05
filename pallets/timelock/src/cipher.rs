//! Timelock encryption to a beacon round, in a wire format the chain can decode safely.

use crate::beacon::{BeaconPublicKey, BeaconSignature, PUBLIC_KEY_LEN};
use alloc::vec::Vec;
use ark_bls12_381::G2Affine;
use ark_serialize::{CanonicalDeserialize, CanonicalSerialize};
use ark_std::rand::{CryptoRng, Rng};
use codec::{Decode, DecodeWithMemTracking, Encode};
use scale_info::TypeInfo;
use timelock::{
	block_ciphers::{AESGCMBlockCipherProvider, AESOutput, BlockCipherProvider},
	engines::drand::TinyBLS381,
	ibe::fullident::{Ciphertext as IbeHeader, Identity},
	tlock::{tld, tle, TLECiphertext},
};

/// Bytes of the AES-GCM nonce.
pub const NONCE_LEN: usize = 12;

/// Bytes of the AES-GCM authentication tag that ends a body.
pub const TAG_LEN: usize = 16;

/// Bytes a ciphertext adds to its plaintext: the SCALE-encoded header and nonce, the body's
/// length prefix (up to 4 bytes for bodies under 1 GiB) and AES-GCM's tag.
pub const OVERHEAD: usize = PUBLIC_KEY_LEN + 32 + 32 + NONCE_LEN + 4 + TAG_LEN;

/// Why a timelocked payload could not be sealed or opened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimelockError {
	/// The bytes are not a SCALE-encoded [`TimelockCiphertext`], or its header is not a point of
	/// G2's prime-order subgroup.
	Malformed,
	/// The beacon public key is not a valid key.
	InvalidPublicKey,
	/// The signature does not open this ciphertext: it is another round's, or the ciphertext
	/// was made for another beacon or tampered with.
	WrongKey,
	/// The header opened but the body failed its authentication: it was tampered with.
	Tampered,
}

/// A payload timelocked to a beacon round: the identity-based header that hides the payload's
/// AES key until the round's pulse exists, and the AES-256-GCM body.
///
/// Its SCALE decoding reads fixed-size fields and one length-prefixed body, and never allocates
/// more than the input holds, so a hostile length prefix cannot exhaust the runtime's memory.
#[derive(Clone, Debug, PartialEq, Eq, Encode, Decode, DecodeWithMemTracking, TypeInfo)]
pub struct TimelockCiphertext {
	/// `U = r·P`: a compressed G2 point.
	pub u: [u8; PUBLIC_KEY_LEN],
	/// `V = σ ⊕ H2(e(Q_round, P_pub)^r)`.
	pub v: [u8; 32],
	/// `W = key ⊕ H4(σ)`: the body's AES key, masked.
	pub w: [u8; 32],
	/// The AES-GCM nonce.
	pub nonce: [u8; NONCE_LEN],
	/// The AES-GCM ciphertext of the payload, with its 16-byte tag.
	pub body: Vec<u8>,
}

/// Encrypt `payload` so that only the beacon's pulse for `round` opens it.
pub fn encrypt<R: Rng + CryptoRng>(
	public_key: &BeaconPublicKey,
	round: u64,
	payload: &[u8],
	rng: &mut R,
) -> Result<TimelockCiphertext, TimelockError> {
	let key = public_key.point().map_err(|_| TimelockError::InvalidPublicKey)?;
	let mut aes_key = [0u8; 32];
	rng.fill_bytes(&mut aes_key);
	let sealed = tle::<TinyBLS381, AESGCMBlockCipherProvider, _>(
		key.into(),
		aes_key,
		payload,
		round_identity(round),
		&mut *rng,
	)
	.map_err(|_| TimelockError::Malformed)?;
	let body = AESOutput::deserialize_compressed(&sealed.body[..])
		.map_err(|_| TimelockError::Malformed)?;
	let mut u = [0u8; PUBLIC_KEY_LEN];
	sealed.header.u.serialize_compressed(&mut u[..]).map_err(|_| TimelockError::Malformed)?;
	let nonce = body.nonce.as_slice().try_into().map_err(|_| TimelockError::Malformed)?;
	Ok(TimelockCiphertext {
		u,
		v: sealed.header.v,
		w: sealed.header.w,
		nonce,
		body: body.ciphertext,
	})
}

/// [`encrypt`] with fresh randomness from the operating system: how a validator seals its
/// weights.
#[cfg(feature = "std")]
pub fn seal(
	public_key: &BeaconPublicKey,
	round: u64,
	payload: &[u8],
) -> Result<TimelockCiphertext, TimelockError> {
	encrypt(public_key, round, payload, &mut ark_std::rand::rngs::OsRng)
}

/// Open `ciphertext` with the pulse signature of the round it was made for.
///
/// The signature must come from a verified pulse ([`crate::verify_pulse`]); this checks only
/// that it is a point of G1's subgroup.
pub fn decrypt(
	ciphertext: &TimelockCiphertext,
	signature: &BeaconSignature,
) -> Result<Vec<u8>, TimelockError> {
	let u = G2Affine::deserialize_compressed(&ciphertext.u[..])
		.map_err(|_| TimelockError::Malformed)?;
	let signature = signature.point().map_err(|_| TimelockError::WrongKey)?;
	let mut body = Vec::new();
	AESOutput { ciphertext: ciphertext.body.clone(), nonce: ciphertext.nonce.to_vec() }
		.serialize_compressed(&mut body)
		.map_err(|_| TimelockError::Malformed)?;
	let sealed = TLECiphertext::<TinyBLS381> {
		header: IbeHeader { u: u.into(), v: ciphertext.v, w: ciphertext.w },
		body,
		cipher_suite: AESGCMBlockCipherProvider::CIPHER_SUITE.to_vec(),
	};
	tld::<TinyBLS381, AESGCMBlockCipherProvider>(sealed, signature.into()).map_err(|error| {
		match error {
			timelock::tlock::Error::InvalidSignature => TimelockError::WrongKey,
			timelock::tlock::Error::DecryptionError => TimelockError::Tampered,
			_ => TimelockError::Malformed,
		}
	})
}

/// The identity-based-encryption identity of `round`: its signed message.
fn round_identity(round: u64) -> Identity {
	Identity::new(b"", &crate::round_message(round))
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::{
		beacon::tests::{QUICKNET_KEY, QUICKNET_ROUND_1000},
		DevBeacon,
	};
	use rand_chacha::{rand_core::SeedableRng, ChaCha20Rng};

	fn rng() -> ChaCha20Rng {
		ChaCha20Rng::seed_from_u64(7)
	}

	#[test]
	fn drand_quicknet_round_1000_opens_what_was_sealed_to_it() {
		let payload = b"uids [0, 1], values [65535, 1]".to_vec();
		let sealed = encrypt(&QUICKNET_KEY, 1000, &payload, &mut rng()).expect("seals");
		assert_eq!(decrypt(&sealed, &QUICKNET_ROUND_1000), Ok(payload));
	}

	#[test]
	fn another_rounds_pulse_does_not_open_it() {
		let beacon = DevBeacon::development();
		let sealed = encrypt(&beacon.public_key(), 10, b"weights", &mut rng()).expect("seals");
		assert_eq!(decrypt(&sealed, &beacon.pulse(10).signature), Ok(b"weights".to_vec()));
		for round in [9, 11] {
			assert_eq!(
				decrypt(&sealed, &beacon.pulse(round).signature),
				Err(TimelockError::WrongKey)
			);
		}
		let other = DevBeacon::from_seed(b"another beacon");
		assert_eq!(decrypt(&sealed, &other.pulse(10).signature), Err(TimelockError::WrongKey));
	}

	#[test]
	fn tampering_is_detected() {
		let beacon = DevBeacon::development();
		let pulse = beacon.pulse(3);
		let sealed = encrypt(&beacon.public_key(), 3, b"weights", &mut rng()).expect("seals");

		let mut body = sealed.clone();
		body.body[0] ^= 1;
		assert_eq!(decrypt(&body, &pulse.signature), Err(TimelockError::Tampered));

		let mut masked_key = sealed.clone();
		masked_key.w[0] ^= 1;
		assert_eq!(decrypt(&masked_key, &pulse.signature), Err(TimelockError::WrongKey));

		let mut header = sealed.clone();
		header.u[95] ^= 1;
		assert!(matches!(
			decrypt(&header, &pulse.signature),
			Err(TimelockError::Malformed | TimelockError::WrongKey)
		));

		let mut nonce = sealed;
		nonce.nonce[0] ^= 1;
		assert_eq!(decrypt(&nonce, &pulse.signature), Err(TimelockError::Tampered));
	}

	#[test]
	fn a_hostile_length_prefix_fails_to_decode_without_allocating_it() {
		let beacon = DevBeacon::development();
		let sealed = encrypt(&beacon.public_key(), 3, b"weights", &mut rng()).expect("seals");
		let mut bytes = sealed.encode();
		// The body's compact length prefix follows the 172 fixed bytes: claim 2^30 bytes.
		let fixed = PUBLIC_KEY_LEN + 32 + 32 + NONCE_LEN;
		bytes.truncate(fixed);
		bytes.extend_from_slice(&codec::Compact(1u32 << 30).encode());
		bytes.extend_from_slice(&[0u8; 64]);
		assert!(TimelockCiphertext::decode(&mut &bytes[..]).is_err());
	}

	#[test]
	fn the_overhead_bound_holds() {
		let beacon = DevBeacon::development();
		for len in [0, 1, 100, 4000] {
			let payload = alloc::vec![7u8; len];
			let sealed = encrypt(&beacon.public_key(), 3, &payload, &mut rng()).expect("seals");
			assert!(sealed.encode().len() <= len + OVERHEAD);
		}
	}

	#[test]
	fn sealing_with_system_randomness_opens_with_the_rounds_pulse_and_never_repeats() {
		let beacon = DevBeacon::development();
		let payload = b"weights".to_vec();
		let first = seal(&beacon.public_key(), 9, &payload).expect("seals");
		let second = seal(&beacon.public_key(), 9, &payload).expect("seals");
		assert_ne!(first, second, "each seal draws fresh randomness");
		for sealed in [first, second] {
			assert_eq!(decrypt(&sealed, &beacon.pulse(9).signature), Ok(payload.clone()));
		}
	}

	#[test]
	fn sealing_to_an_invalid_key_is_refused() {
		assert_eq!(
			encrypt(&BeaconPublicKey([0x12; PUBLIC_KEY_LEN]), 1, b"x", &mut rng()),
			Err(TimelockError::InvalidPublicKey)
		);
	}
}
