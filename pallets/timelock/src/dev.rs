//! A beacon whose secret key is public: for `--dev` chains and tests only.
//!
//! Anyone can sign any round with this key, so anything timelocked to it can be opened at once.
//! It lets a development chain run the whole timelock flow offline; a production chain names
//! a real beacon's public key (drand quicknet's) in its chain spec instead.

use crate::beacon::{round_point, BeaconPublicKey, BeaconSignature, Pulse, PUBLIC_KEY_LEN};
use ark_bls12_381::{Fr, G2Projective};
use ark_ec::{CurveGroup, PrimeGroup};
use ark_ff::PrimeField;
use ark_serialize::CanonicalSerialize;
use sha2::{Digest, Sha256};

/// The seed of the development beacon that `--dev` and `--chain local` use.
pub const DEV_BEACON_SEED: &[u8] = b"galton insecure development beacon";

/// A beacon that signs rounds with a secret derived from a public seed.
#[derive(Clone, Debug)]
pub struct DevBeacon {
	secret: Fr,
}

impl DevBeacon {
	/// The beacon with the secret `sha256(seed)` (reduced into the scalar field).
	pub fn from_seed(seed: &[u8]) -> Self {
		Self { secret: Fr::from_be_bytes_mod_order(&Sha256::digest(seed)) }
	}

	/// The development chains' beacon ([`DEV_BEACON_SEED`]).
	pub fn development() -> Self {
		Self::from_seed(DEV_BEACON_SEED)
	}

	/// The public key that verifies this beacon's pulses.
	pub fn public_key(&self) -> BeaconPublicKey {
		let point = (G2Projective::generator() * self.secret).into_affine();
		let mut bytes = [0u8; PUBLIC_KEY_LEN];
		point
			.serialize_compressed(&mut bytes[..])
			.expect("a compressed G2 point is exactly PUBLIC_KEY_LEN bytes");
		BeaconPublicKey(bytes)
	}

	/// This beacon's pulse for `round`.
	pub fn pulse(&self, round: u64) -> Pulse {
		let point = (round_point(round) * self.secret).into_affine();
		let mut bytes = [0u8; crate::beacon::SIGNATURE_LEN];
		point
			.serialize_compressed(&mut bytes[..])
			.expect("a compressed G1 point is exactly SIGNATURE_LEN bytes");
		Pulse { round, signature: BeaconSignature(bytes) }
	}
}

/// `payload` sealed to `round` of the development beacon with randomness from `seed`: for
/// benchmarks, which run where there is no source of randomness.
#[cfg(feature = "runtime-benchmarks")]
pub fn seal_for_benchmark(round: u64, payload: &[u8], seed: u64) -> crate::TimelockCiphertext {
	use rand_chacha::{rand_core::SeedableRng, ChaCha20Rng};
	let key = DevBeacon::development().public_key();
	crate::encrypt(&key, round, payload, &mut ChaCha20Rng::seed_from_u64(seed))
		.expect("the development key is valid")
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::{verify_pulse, BeaconError};

	#[test]
	fn dev_pulses_verify_against_the_dev_key_only() {
		let beacon = DevBeacon::development();
		let other = DevBeacon::from_seed(b"another beacon");
		for round in [1, 2, 1000, u64::MAX] {
			let pulse = beacon.pulse(round);
			assert_eq!(verify_pulse(&beacon.public_key(), round, &pulse.signature), Ok(()));
			assert_eq!(
				verify_pulse(&other.public_key(), round, &pulse.signature),
				Err(BeaconError::WrongSignature)
			);
		}
	}

	#[test]
	fn the_dev_key_is_fixed() {
		// Chain specs name this key; a change here would strand every dev chain's beacon.
		assert_eq!(&DevBeacon::development().public_key().0[..4], &DEV_KEY_PREFIX);
	}

	/// The first bytes of the development key, pinned so a change to the derivation shows.
	const DEV_KEY_PREFIX: [u8; 4] = [0xa2, 0x66, 0x2f, 0x5b];
}
