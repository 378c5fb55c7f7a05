//! # Galton timelock primitives
//!
//! What the chain and the evaluator share about a randomness beacon and about weights
//! encrypted to one of its future rounds:
//!
//! - [`beacon`]: the beacon's public key, its pulses (round, signature) and their verification,
//!   drand "quicknet" style: BLS12-381, unchained rounds, the public key on G2 (96 bytes
//!   compressed), signatures on G1 (48 bytes) over `sha256(round as u64 big-endian)` with the
//!   hash-to-curve suite `BLS_SIG_BLS12381G1_XMD:SHA-256_SSWU_RO_NUL_`; and [`BeaconSchedule`],
//!   which round is due when.
//! - [`cipher`]: timelock encryption to a round (Boneh-Franklin identity-based encryption, the
//!   identity being the round's message, so that round's pulse signature is the decryption key;
//!   the payload itself under AES-256-GCM), through the `timelock` crate, in a fixed SCALE wire
//!   format ([`TimelockCiphertext`]) whose decoding cannot be made to allocate beyond its input.
//! - [`subtensor`]: the same ciphertext in subtensor's wire format, as bittensor's SDK writes it
//!   (arkworks compressed serialization of `tle`'s `TLECiphertext`).
//! - [`traits`]: [`RandomnessBeacon`], what a pallet that opens timelocked payloads needs from
//!   the chain's beacon.
//! - [`dev`]: a beacon with a fixed, published secret key, for `--dev` chains and tests only.
//!
//! The crate is `no_std`: the runtime verifies pulses and decrypts with it, and the evaluator
//! encrypts with it, so the two can never disagree on the format.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub mod beacon;
pub mod cipher;
pub mod dev;
pub mod subtensor;
pub mod traits;

pub use beacon::{
	earliest_secret_round, round_message, verify_pulse, BeaconError, BeaconInfo, BeaconPublicKey,
	BeaconSchedule, BeaconSignature, Pulse, QUICKNET,
};
#[cfg(feature = "std")]
pub use cipher::seal;
pub use cipher::{decrypt, encrypt, TimelockCiphertext, TimelockError};
pub use dev::DevBeacon;
pub use traits::{OnBeaconReplaced, RandomnessBeacon};
