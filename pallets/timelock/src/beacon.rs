//! Beacon keys, pulses, their verification and the round schedule.

use alloc::vec::Vec;
use ark_bls12_381::{Bls12_381, G1Affine, G2Affine};
use ark_ec::{pairing::Pairing, AffineRepr, CurveGroup};
use ark_serialize::CanonicalDeserialize;
use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use hex_literal::hex;
use scale_info::TypeInfo;
use sha2::{Digest, Sha256};
use timelock::engines::{drand::TinyBLS381, EngineBLS};

/// Bytes of a compressed public key (a point on G2).
pub const PUBLIC_KEY_LEN: usize = 96;
/// Bytes of a compressed pulse signature (a point on G1).
pub const SIGNATURE_LEN: usize = 48;

/// Why a public key or a pulse is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BeaconError {
	/// The public key is not a compressed point of G2's prime-order subgroup, or is the identity.
	InvalidPublicKey,
	/// The signature is not a compressed point of G1's prime-order subgroup, or is the identity.
	MalformedSignature,
	/// The signature is well formed but was not made by the beacon's key over this round.
	WrongSignature,
}

macro_rules! hex_bytes_newtype {
	($(#[$doc:meta])* $name:ident, $len:expr, $expected:literal) => {
		$(#[$doc])*
		#[derive(
			Clone,
			Copy,
			PartialEq,
			Eq,
			Encode,
			Decode,
			DecodeWithMemTracking,
			TypeInfo,
			MaxEncodedLen,
		)]
		pub struct $name(pub [u8; $len]);

		impl core::fmt::Debug for $name {
			fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
				write!(f, "{}(0x", stringify!($name))?;
				self.0.iter().try_for_each(|byte| write!(f, "{byte:02x}"))?;
				write!(f, ")")
			}
		}

		impl serde::Serialize for $name {
			fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
				sp_core::bytes::serialize(&self.0, serializer)
			}
		}

		impl<'de> serde::Deserialize<'de> for $name {
			fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
				let bytes: Vec<u8> = sp_core::bytes::deserialize(deserializer)?;
				let array = bytes.try_into().map_err(|bytes: Vec<u8>| {
					serde::de::Error::invalid_length(bytes.len(), &$expected)
				})?;
				Ok(Self(array))
			}
		}

		impl TryFrom<&[u8]> for $name {
			type Error = core::array::TryFromSliceError;

			fn try_from(bytes: &[u8]) -> Result<Self, Self::Error> {
				bytes.try_into().map(Self)
			}
		}
	};
}

hex_bytes_newtype!(
	/// A beacon's public key: a compressed G2 point (hex `0x…` in a chain spec).
	BeaconPublicKey,
	PUBLIC_KEY_LEN,
	"96 bytes"
);

hex_bytes_newtype!(
	/// A pulse's signature over its round: a compressed G1 point. It is also the key that
	/// opens what was timelocked to that round.
	BeaconSignature,
	SIGNATURE_LEN,
	"48 bytes"
);

impl BeaconPublicKey {
	/// The key as a curve point, after checking it lies in G2's prime-order subgroup and is
	/// not the identity (which would make every signature check pass).
	pub fn point(&self) -> Result<G2Affine, BeaconError> {
		let point = G2Affine::deserialize_compressed(&self.0[..])
			.map_err(|_| BeaconError::InvalidPublicKey)?;
		if point.is_zero() {
			return Err(BeaconError::InvalidPublicKey);
		}
		Ok(point)
	}
}

impl BeaconSignature {
	/// The signature as a curve point, after checking it lies in G1's prime-order subgroup and
	/// is not the identity.
	pub fn point(&self) -> Result<G1Affine, BeaconError> {
		let point = G1Affine::deserialize_compressed(&self.0[..])
			.map_err(|_| BeaconError::MalformedSignature)?;
		if point.is_zero() {
			return Err(BeaconError::MalformedSignature);
		}
		Ok(point)
	}
}

/// One beacon output: the round and the beacon's signature over it.
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
pub struct Pulse {
	/// The round, counted from one.
	pub round: u64,
	/// The signature over [`round_message`]`(round)`.
	pub signature: BeaconSignature,
}

/// The message a beacon signs for `round`: `sha256(round as u64 big-endian)` (drand's
/// unchained scheme).
pub fn round_message(round: u64) -> [u8; 32] {
	Sha256::digest(round.to_be_bytes()).into()
}

/// The point of G1 that round `round`'s signature is a multiple of.
pub(crate) fn round_point(round: u64) -> <Bls12_381 as Pairing>::G1 {
	TinyBLS381::hash_to_signature_curve(&round_message(round)[..])
}

/// Check that `signature` is the beacon's signature over `round`:
/// `e(signature, g2) == e(H(round_message(round)), public_key)`.
pub fn verify_pulse(
	public_key: &BeaconPublicKey,
	round: u64,
	signature: &BeaconSignature,
) -> Result<(), BeaconError> {
	let key = public_key.point()?;
	let signature = signature.point()?;
	let message = round_point(round).into_affine();
	let check = Bls12_381::multi_pairing(
		[signature, (-message.into_group()).into_affine()],
		[G2Affine::generator(), key],
	);
	if check.0 == <Bls12_381 as Pairing>::TargetField::from(1u8) {
		Ok(())
	} else {
		Err(BeaconError::WrongSignature)
	}
}

/// When a beacon's rounds are due: round `r` at `genesis_time + (r - 1) * period` seconds of
/// Unix time (drand's `genesis_time` and `period`).
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
#[serde(rename_all = "camelCase")]
pub struct BeaconSchedule {
	/// Unix time, in seconds, of round one.
	pub genesis_time: u64,
	/// Seconds between rounds; at least one.
	pub period: u32,
}

impl BeaconSchedule {
	/// The latest round due at `unix_seconds`; zero before round one.
	pub fn round_at(&self, unix_seconds: u64) -> u64 {
		match unix_seconds.checked_sub(self.genesis_time) {
			Some(elapsed) => elapsed / u64::from(self.period.max(1)) + 1,
			None => 0,
		}
	}

	/// The Unix time, in seconds, at which `round` is due.
	pub fn round_time(&self, round: u64) -> u64 {
		self.genesis_time
			.saturating_add(round.saturating_sub(1).saturating_mul(u64::from(self.period)))
	}
}

/// The earliest round a timelocked commit may name and still be secret: `rounds_ahead` past
/// both the latest stored pulse and the round `due` by the clock.
///
/// Counting from the latest stored pulse alone is not enough: a chain whose beacon lags (a relay
/// outage, a withheld round, the first pulse after genesis or a new beacon) would take rounds
/// the beacon has already published, and anyone could open such a commit at once. The chain
/// refuses an earlier round, and the evaluator names no earlier one.
pub fn earliest_secret_round(latest_stored: Option<u64>, due: u64, rounds_ahead: u64) -> u64 {
	latest_stored.unwrap_or(0).max(due).saturating_add(rounds_ahead)
}

/// A chain's beacon: the key its pulses verify against and when its rounds are due.
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
#[serde(rename_all = "camelCase")]
pub struct BeaconInfo {
	/// The beacon's public key.
	pub public_key: BeaconPublicKey,
	/// When its rounds are due.
	pub schedule: BeaconSchedule,
}

/// drand's "quicknet" beacon (the League of Entropy's unchained network, a round every 3 s), the
/// beacon a production chain names in its spec. Relays serve it under its chain hash
/// `52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971`.
pub const QUICKNET: BeaconInfo = BeaconInfo {
	public_key: BeaconPublicKey(hex!(
		"83cf0f2896adee7eb8b5f01fcad3912212c437e0073e911fb90022d3e760183c8c4b450b6a0a6c3ac6a5776a2d1064510d1fec758c921cc22b0e17e63aaf4bcb5ed66304de9cf809bd274ca73bab4af5a6e9c76a4bc09e76eae8991ef5ece45a"
	)),
	schedule: BeaconSchedule { genesis_time: 1_692_803_367, period: 3 },
};

#[cfg(test)]
pub(crate) mod tests {
	use super::*;

	/// drand quicknet's public key (chain hash 52db9ba7…e971).
	pub(crate) const QUICKNET_KEY: BeaconPublicKey = QUICKNET.public_key;
	/// Quicknet's pulse for round 1000, as api.drand.sh publishes it.
	pub(crate) const QUICKNET_ROUND_1000: BeaconSignature = BeaconSignature(hex!(
		"b44679b9a59af2ec876b1a6b1ad52ea9b1615fc3982b19576350f93447cb1125e342b73a8dd2bacbe47e4b6b63ed5e39"
	));

	#[test]
	fn the_earliest_secret_round_counts_from_the_clock_when_the_beacon_lags() {
		// Up to date: the latest pulse is the due round.
		assert_eq!(earliest_secret_round(Some(100), 100, 3), 103);
		// The beacon stalled 17 rounds behind the clock: rounds 84..=100 are public already.
		assert_eq!(earliest_secret_round(Some(83), 100, 3), 103);
		// No pulse stored yet (genesis, a new beacon).
		assert_eq!(earliest_secret_round(None, 100, 3), 103);
		// A pulse ahead of the chain's clock (within the beacon's slack).
		assert_eq!(earliest_secret_round(Some(101), 100, 3), 104);
		assert_eq!(earliest_secret_round(Some(u64::MAX), 0, 3), u64::MAX);
	}

	#[test]
	fn drand_quicknet_round_1000_verifies() {
		assert_eq!(verify_pulse(&QUICKNET_KEY, 1000, &QUICKNET_ROUND_1000), Ok(()));
	}

	#[test]
	fn a_pulse_does_not_verify_for_another_round() {
		for round in [0, 999, 1001, u64::MAX] {
			assert_eq!(
				verify_pulse(&QUICKNET_KEY, round, &QUICKNET_ROUND_1000),
				Err(BeaconError::WrongSignature)
			);
		}
	}

	#[test]
	fn a_flipped_bit_breaks_the_signature() {
		let mut signature = QUICKNET_ROUND_1000;
		signature.0[47] ^= 1;
		// A flipped bit either leaves the curve (malformed) or names another point (wrong).
		assert!(verify_pulse(&QUICKNET_KEY, 1000, &signature).is_err());
	}

	#[test]
	fn the_identity_is_refused_as_key_and_as_signature() {
		// Compressed identity: the compression and infinity flags set, all else zero.
		let mut infinity_g1 = [0u8; SIGNATURE_LEN];
		infinity_g1[0] = 0xc0;
		let mut infinity_g2 = [0u8; PUBLIC_KEY_LEN];
		infinity_g2[0] = 0xc0;
		assert_eq!(
			verify_pulse(&QUICKNET_KEY, 1000, &BeaconSignature(infinity_g1)),
			Err(BeaconError::MalformedSignature)
		);
		assert_eq!(
			verify_pulse(&BeaconPublicKey(infinity_g2), 1000, &QUICKNET_ROUND_1000),
			Err(BeaconError::InvalidPublicKey)
		);
	}

	#[test]
	fn garbage_bytes_are_malformed_not_a_panic() {
		assert_eq!(
			verify_pulse(&QUICKNET_KEY, 1000, &BeaconSignature([0xff; SIGNATURE_LEN])),
			Err(BeaconError::MalformedSignature)
		);
		assert_eq!(
			BeaconPublicKey([0x12; PUBLIC_KEY_LEN]).point(),
			Err(BeaconError::InvalidPublicKey)
		);
	}

	#[test]
	fn round_message_is_sha256_of_the_big_endian_round() {
		assert_eq!(
			round_message(1),
			hex!("cd2662154e6d76b2b2b92e70c0cac3ccf534f9b74eb5b89819ec509083d00a50")
		);
	}

	#[test]
	fn the_schedule_counts_rounds_from_one() {
		let schedule = BeaconSchedule { genesis_time: 1_692_803_367, period: 3 };
		assert_eq!(schedule.round_at(0), 0);
		assert_eq!(schedule.round_at(1_692_803_366), 0);
		assert_eq!(schedule.round_at(1_692_803_367), 1);
		assert_eq!(schedule.round_at(1_692_803_369), 1);
		assert_eq!(schedule.round_at(1_692_803_370), 2);
		assert_eq!(schedule.round_time(1), 1_692_803_367);
		assert_eq!(schedule.round_time(1000), 1_692_803_367 + 999 * 3);
		for round in [1, 2, 1000, 20_000_000] {
			assert_eq!(schedule.round_at(schedule.round_time(round)), round);
		}
	}

	#[test]
	fn keys_read_and_write_as_hex_in_a_chain_spec() {
		let json = serde_json::to_string(&QUICKNET_KEY).expect("serializes");
		assert!(json.starts_with("\"0x83cf0f28"));
		let back: BeaconPublicKey = serde_json::from_str(&json).expect("parses");
		assert_eq!(back, QUICKNET_KEY);
		let short = serde_json::from_str::<BeaconPublicKey>("\"0x83cf\"");
		assert!(short.is_err_and(|error| error.to_string().contains("96 bytes")));
	}
}
