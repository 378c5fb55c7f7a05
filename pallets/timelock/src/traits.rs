//! What a pallet that opens timelocked payloads needs from the chain's beacon.

use crate::{BeaconPublicKey, BeaconSignature};
use sp_runtime::Weight;

/// The chain's randomness beacon: its key and the verified pulses it stored.
///
/// `pallet-beacon` implements it; a chain with a beacon pallet of its own (subtensor's
/// `pallet-drand`) implements it over that pallet's storage.
pub trait RandomnessBeacon {
	/// The key pulses are verified against; `None` while the chain has no beacon.
	fn public_key() -> Option<BeaconPublicKey>;

	/// The highest round with a stored pulse; `None` before the first pulse.
	fn latest_round() -> Option<u64>;

	/// The latest round due by the chain's clock, whether or not its pulse is stored; `None`
	/// while the chain has no beacon.
	fn due_round() -> Option<u64>;

	/// The verified signature of `round`, if the chain still holds that pulse.
	fn signature(round: u64) -> Option<BeaconSignature>;

	/// Install the development beacon and store its pulse for `round`, for other pallets'
	/// benchmarks.
	#[cfg(feature = "runtime-benchmarks")]
	fn store_for_benchmark(round: u64);
}

/// No beacon: nothing can be timelocked.
impl RandomnessBeacon for () {
	fn public_key() -> Option<BeaconPublicKey> {
		None
	}

	fn latest_round() -> Option<u64> {
		None
	}

	fn due_round() -> Option<u64> {
		None
	}

	fn signature(_round: u64) -> Option<BeaconSignature> {
		None
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn store_for_benchmark(_round: u64) {}
}

/// Told when the chain's beacon is replaced: whatever waits for the old beacon's rounds will
/// never open and must not stay stranded.
pub trait OnBeaconReplaced {
	/// The beacon was replaced; the old beacon's pulses are gone.
	fn on_beacon_replaced();

	/// The most [`Self::on_beacon_replaced`] costs.
	fn weight() -> Weight;
}

/// Nothing waits for the beacon's rounds.
impl OnBeaconReplaced for () {
	fn on_beacon_replaced() {}

	fn weight() -> Weight {
		Weight::zero()
	}
}
