//! Benchmarking for the beacon pallet.

#![cfg(feature = "runtime-benchmarks")]

use super::*;
use frame_benchmarking::v2::*;
use frame_support::traits::Get;
use frame_system::RawOrigin;
use galton_timelock::{BeaconInfo, BeaconSchedule, DevBeacon};

/// The development beacon as the chain's, with round one due at Unix time zero and one round a
/// second, so that any round up to the chain's clock (in seconds) is due.
pub(crate) fn install_beacon<T: Config>() -> DevBeacon {
	let beacon = DevBeacon::development();
	let schedule = BeaconSchedule { genesis_time: 0, period: 1 };
	Beacon::<T>::put(BeaconInfo { public_key: beacon.public_key(), schedule });
	beacon
}

#[benchmarks]
mod benchmarks {
	use super::*;

	/// `n`: pulses in the block's inherent, each verified and stored. They are back-filled
	/// rounds below a stored latest round: the benchmark's clock stands at Unix time zero, when
	/// only the first rounds are due. A new round reads the clock instead of its slot, and
	/// writes the latest round besides: `store_pulses` charges that write on top.
	#[benchmark]
	fn store_pulses(n: Linear<1, { T::MaxPulsesPerBlock::get() }>) {
		let beacon = install_beacon::<T>();
		let latest = u64::from(n) + 1;
		Pulses::<T>::insert(Pallet::<T>::slot(latest), beacon.pulse(latest));
		LatestRound::<T>::put(latest);
		let pulses: Vec<Pulse> = (1..latest).map(|round| beacon.pulse(round)).collect();
		let pulses = PulsesOf::<T>::truncate_from(pulses);

		#[extrinsic_call]
		_(RawOrigin::None, pulses);

		assert!((1..=latest).all(|round| Pallet::<T>::holds(round)));
	}

	/// `n`: pulses stored before the beacon is replaced (all cleared).
	#[benchmark]
	fn set_beacon(n: Linear<0, { T::HistoryDepth::get() }>) {
		let beacon = install_beacon::<T>();
		for round in 1..=u64::from(n) {
			Pulses::<T>::insert(round as u32 % T::HistoryDepth::get(), beacon.pulse(round));
		}
		let next = DevBeacon::from_seed(b"the next beacon");
		let info = BeaconInfo {
			public_key: next.public_key(),
			schedule: BeaconSchedule { genesis_time: 0, period: 3 },
		};

		#[extrinsic_call]
		_(RawOrigin::Root, info);

		assert_eq!(Pulses::<T>::iter().count(), 0);
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
