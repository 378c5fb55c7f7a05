//! Benchmarking for the beacon pallet.

#![cfg(feature = "runtime-benchmarks")]

use super::*;
use frame_benchmarking::v2::*;
use frame_support::{
	pallet_prelude::TransactionSource,
	traits::{Authorize, Get},
};
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

/// The round the benchmarks store: the first one, always due.
const ROUND: u64 = 1;

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn store_pulse() {
		let pulse = install_beacon::<T>().pulse(ROUND);

		#[extrinsic_call]
		_(RawOrigin::Authorized, pulse);

		assert_eq!(LatestRound::<T>::get(), Some(ROUND));
	}

	/// The pool and block check of a pulse: the round checks and the BLS signature.
	#[benchmark]
	fn authorize_store_pulse() -> Result<(), BenchmarkError> {
		let pulse = install_beacon::<T>().pulse(ROUND);
		let call = Call::<T>::store_pulse { pulse };

		#[block]
		{
			call.authorize(TransactionSource::External)
				.ok_or("store_pulse has an authorization")?
				.map_err(|_| "a valid pulse is authorized")?;
		}
		Ok(())
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
