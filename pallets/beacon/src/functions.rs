//! The pallet's functions: which pulses a block may store, storing them, the checks of a
//! beacon, the invariants, and the [`RandomnessBeacon`] other pallets read.

use frame_support::{
	ensure,
	traits::{Get, UnixTime},
	BoundedVec,
};
use galton_timelock::RandomnessBeacon;

use crate::{
	slot_of, Beacon, BeaconInfo, BeaconPublicKey, BeaconSignature, Config, Error, Event,
	InherentType, LatestRound, Pallet, Pulse, Pulses, PulsesOf,
};

impl<T: Config> Pallet<T> {
	/// Of `offered`, the pulses a block may store, in the order it stores them: missing
	/// rounds of the history first (their acceptance does not depend on newer pulses),
	/// then newer rounds in ascending order; each round once, at most `MaxPulsesPerBlock`.
	pub(crate) fn select_pulses(mut offered: InherentType) -> PulsesOf<T> {
		let latest = LatestRound::<T>::get().unwrap_or(0);
		offered.sort_by_key(|pulse| (pulse.round > latest, pulse.round));
		offered.dedup_by_key(|pulse| pulse.round);
		let accepted = offered
			.into_iter()
			.filter(|pulse| Self::ensure_acceptable_round(pulse.round).is_ok())
			.take(T::MaxPulsesPerBlock::get() as usize)
			.collect();
		BoundedVec::truncate_from(accepted)
	}

	/// The beacon, if `round` may be stored: newer than the latest pulse and due by the
	/// chain's clock, or a missing round of the last `HistoryDepth`.
	pub(crate) fn ensure_acceptable_round(round: u64) -> Result<BeaconInfo, Error<T>> {
		let beacon = Beacon::<T>::get().ok_or(Error::<T>::NoBeacon)?;
		match LatestRound::<T>::get() {
			Some(latest) if round <= latest => {
				let in_history = latest - round < u64::from(T::HistoryDepth::get());
				let missing = !Self::holds(round);
				ensure!(in_history && missing, Error::<T>::StaleRound);
			}
			_ => {
				let due = beacon.schedule.round_at(T::UnixTime::now().as_secs());
				ensure!(
					round <= due.saturating_add(T::MaxRoundsAhead::get()),
					Error::<T>::FutureRound
				);
			}
		}
		Ok(beacon)
	}

	/// Whether the ring holds the pulse of `round`.
	pub(crate) fn holds(round: u64) -> bool {
		Pulses::<T>::get(Self::slot(round)).is_some_and(|pulse| pulse.round == round)
	}

	/// Store a pulse that passed its checks. A back-filled round's slot holds only older
	/// rounds (every stored round is at most the latest, and the back-filled one lies
	/// within `HistoryDepth` of it), so storing it overwrites nothing newer.
	pub(crate) fn store(pulse: Pulse) {
		Pulses::<T>::insert(Self::slot(pulse.round), pulse);
		if LatestRound::<T>::get().is_none_or(|latest| pulse.round > latest) {
			LatestRound::<T>::put(pulse.round);
		}
		Self::deposit_event(Event::PulseStored { round: pulse.round });
	}

	/// Check the pallet's invariants: every stored pulse sits in its round's slot, no
	/// later than the latest round, whose pulse is stored.
	#[cfg(any(feature = "try-runtime", test))]
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		let latest = LatestRound::<T>::get();
		for (slot, pulse) in Pulses::<T>::iter() {
			ensure!(Self::slot(pulse.round) == slot, "a pulse in another round's slot");
			ensure!(latest.is_some_and(|latest| pulse.round <= latest), "a pulse past the latest");
		}
		if let Some(latest) = latest {
			ensure!(Self::holds(latest), "the latest round's pulse is missing");
		}
		Ok(())
	}

	/// The ring slot of `round`.
	pub(crate) fn slot(round: u64) -> u32 {
		slot_of(round, T::HistoryDepth::get())
	}

	/// A beacon's key must be a valid point and its period at least a second.
	pub(crate) fn ensure_valid_beacon(beacon: &BeaconInfo) -> Result<(), Error<T>> {
		beacon.public_key.point().map(drop).map_err(|_| Error::<T>::InvalidPublicKey)?;
		ensure!(beacon.schedule.period > 0, Error::<T>::PeriodZero);
		Ok(())
	}
}

impl<T: Config> RandomnessBeacon for Pallet<T> {
	fn public_key() -> Option<BeaconPublicKey> {
		Beacon::<T>::get().map(|beacon| beacon.public_key)
	}

	fn latest_round() -> Option<u64> {
		LatestRound::<T>::get()
	}

	fn due_round() -> Option<u64> {
		Beacon::<T>::get().map(|beacon| beacon.schedule.round_at(T::UnixTime::now().as_secs()))
	}

	fn signature(round: u64) -> Option<BeaconSignature> {
		Pulses::<T>::get(Self::slot(round))
			.filter(|pulse| pulse.round == round)
			.map(|pulse| pulse.signature)
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn store_for_benchmark(round: u64) {
		Self::store(crate::benchmarking::install_beacon::<T>().pulse(round));
	}
}
