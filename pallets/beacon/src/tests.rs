//! Tests of the beacon pallet.

use crate::{mock::*, Beacon as BeaconStorage, Error, Event, LatestRound, Pulses};
use frame_support::{
	assert_noop, assert_ok,
	pallet_prelude::{InvalidTransaction, TransactionSource, TransactionValidityError},
	traits::Authorize,
};
use frame_system::RawOrigin;
use galton_timelock::{BeaconInfo, BeaconSchedule, DevBeacon, Pulse, RandomnessBeacon};
use sp_runtime::DispatchError;

fn authorized() -> RuntimeOrigin {
	RawOrigin::Authorized.into()
}

/// What the transaction pool says of a pulse: its priority, or why it is refused.
fn pool_verdict(pulse: Pulse) -> Result<u64, TransactionValidityError> {
	let call = RuntimeCall::Beacon(crate::Call::store_pulse { pulse });
	call.authorize(TransactionSource::External)
		.expect("store_pulse has an authorization")
		.map(|(valid, _)| valid.priority)
}

fn stored_rounds() -> Vec<u64> {
	let mut rounds: Vec<u64> = Pulses::<Test>::iter_values().map(|pulse| pulse.round).collect();
	rounds.sort();
	rounds
}

#[test]
fn a_due_pulse_is_accepted_stored_and_readable() {
	new_test_ext().execute_with(|| {
		let pulse = beacon().pulse(10);
		assert_eq!(pool_verdict(pulse), Ok(1_000));
		assert_ok!(Beacon::store_pulse(authorized(), pulse));
		System::assert_last_event(Event::PulseStored { round: 10 }.into());
		assert_eq!(<Beacon as RandomnessBeacon>::latest_round(), Some(10));
		assert_eq!(<Beacon as RandomnessBeacon>::signature(10), Some(pulse.signature));
		assert_eq!(<Beacon as RandomnessBeacon>::signature(9), None);
		assert_eq!(<Beacon as RandomnessBeacon>::public_key(), Some(beacon().public_key()));
	});
}

#[test]
fn a_forged_pulse_never_enters_the_pool() {
	new_test_ext().execute_with(|| {
		let forger = DevBeacon::from_seed(b"a forger's key");
		assert_eq!(
			pool_verdict(forger.pulse(10)),
			Err(InvalidTransaction::BadProof.into()),
			"another key's signature"
		);
		let mut pulse = beacon().pulse(10);
		pulse.round = 9;
		assert_eq!(
			pool_verdict(pulse),
			Err(InvalidTransaction::BadProof.into()),
			"round 10's signature relabelled as round 9"
		);
		pulse.signature.0 = [0xff; 48];
		assert_eq!(pool_verdict(pulse), Err(InvalidTransaction::BadProof.into()), "garbage");
	});
}

#[test]
fn a_signer_cannot_store_a_pulse_and_nothing_changes() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			Beacon::store_pulse(RuntimeOrigin::signed(1), beacon().pulse(10)),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Beacon::store_pulse(RuntimeOrigin::none(), beacon().pulse(10)),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn stale_rounds_are_refused_in_the_pool_and_in_the_block() {
	new_test_ext().execute_with(|| {
		assert_ok!(Beacon::store_pulse(authorized(), beacon().pulse(9)));
		for round in [9, 8, 1] {
			assert_eq!(pool_verdict(beacon().pulse(round)), Err(InvalidTransaction::Stale.into()));
			assert_noop!(
				Beacon::store_pulse(authorized(), beacon().pulse(round)),
				Error::<Test>::StaleRound
			);
		}
	});
}

#[test]
fn a_round_not_yet_due_is_refused_even_with_a_valid_signature() {
	new_test_ext().execute_with(|| {
		// The development key is public: anyone can sign round u64::MAX. Stored, it would make
		// every later pulse stale and end the beacon.
		for round in [12, 1_000, u64::MAX] {
			assert_eq!(pool_verdict(beacon().pulse(round)), Err(InvalidTransaction::Future.into()));
			assert_noop!(
				Beacon::store_pulse(authorized(), beacon().pulse(round)),
				Error::<Test>::FutureRound
			);
		}
		// One round of slack for clocks that disagree.
		assert_ok!(Beacon::store_pulse(authorized(), beacon().pulse(11)));
	});
}

#[test]
fn nothing_is_accepted_without_a_beacon() {
	new_test_ext().execute_with(|| {
		BeaconStorage::<Test>::kill();
		assert_eq!(pool_verdict(beacon().pulse(10)), Err(InvalidTransaction::Call.into()));
		assert_noop!(
			Beacon::store_pulse(authorized(), beacon().pulse(10)),
			Error::<Test>::NoBeacon
		);
		assert_eq!(<Beacon as RandomnessBeacon>::public_key(), None);
	});
}

#[test]
fn rounds_may_be_skipped_and_the_next_one_is_preferred_in_the_pool() {
	new_test_ext().execute_with(|| {
		at_round(20);
		assert_ok!(Beacon::store_pulse(authorized(), beacon().pulse(12)));
		assert_eq!(pool_verdict(beacon().pulse(13)), Ok(1_000));
		assert_eq!(pool_verdict(beacon().pulse(19)), Ok(994));
		assert_ok!(Beacon::store_pulse(authorized(), beacon().pulse(19)));
		assert_eq!(LatestRound::<Test>::get(), Some(19));
		assert_eq!(<Beacon as RandomnessBeacon>::signature(12), Some(beacon().pulse(12).signature));
	});
}

#[test]
fn only_the_last_history_depth_slots_are_kept() {
	new_test_ext().execute_with(|| {
		at_round(30);
		for round in 10..=20 {
			assert_ok!(Beacon::store_pulse(authorized(), beacon().pulse(round)));
		}
		assert_eq!(stored_rounds(), vec![17, 18, 19, 20]);
		// Round 16's slot now holds round 20: a lookup of 16 finds nothing, not 20's signature.
		assert_eq!(<Beacon as RandomnessBeacon>::signature(16), None);
		assert_eq!(<Beacon as RandomnessBeacon>::signature(20), Some(beacon().pulse(20).signature));
	});
}

#[test]
fn set_beacon_replaces_the_key_and_clears_the_old_pulses() {
	new_test_ext().execute_with(|| {
		assert_ok!(Beacon::store_pulse(authorized(), beacon().pulse(10)));
		let next = DevBeacon::from_seed(b"the next beacon");
		let info = BeaconInfo { public_key: next.public_key(), schedule: SCHEDULE };
		assert_ok!(Beacon::set_beacon(RuntimeOrigin::root(), info));
		System::assert_last_event(Event::BeaconSet { beacon: info }.into());
		assert_eq!(LatestRound::<Test>::get(), None);
		assert!(stored_rounds().is_empty());
		assert_eq!(pool_verdict(beacon().pulse(10)), Err(InvalidTransaction::BadProof.into()));
		assert_ok!(Beacon::store_pulse(authorized(), next.pulse(10)));
	});
}

#[test]
fn set_beacon_refuses_bad_input_and_changes_nothing() {
	new_test_ext().execute_with(|| {
		let valid = BeaconInfo { public_key: beacon().public_key(), schedule: SCHEDULE };
		assert_noop!(Beacon::set_beacon(RuntimeOrigin::signed(1), valid), DispatchError::BadOrigin);
		let mut bad_key = valid;
		bad_key.public_key.0 = [0x12; 96];
		assert_noop!(
			Beacon::set_beacon(RuntimeOrigin::root(), bad_key),
			Error::<Test>::InvalidPublicKey
		);
		let no_period =
			BeaconInfo { schedule: BeaconSchedule { genesis_time: 0, period: 0 }, ..valid };
		assert_noop!(
			Beacon::set_beacon(RuntimeOrigin::root(), no_period),
			Error::<Test>::PeriodZero
		);
	});
}

#[test]
#[should_panic(expected = "the genesis beacon is valid")]
fn a_genesis_beacon_with_an_invalid_key_is_refused() {
	use sp_runtime::BuildStorage;
	let mut info = BeaconInfo { public_key: beacon().public_key(), schedule: SCHEDULE };
	info.public_key.0[0] ^= 0x01;
	let _ =
		crate::GenesisConfig::<Test> { beacon: Some(info), ..Default::default() }.build_storage();
}
