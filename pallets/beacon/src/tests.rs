//! Tests of the beacon pallet.

use crate::{
	mock::*, Beacon as BeaconStorage, Call, Error, Event, LatestRound, Pulses, PulsesOf,
	INHERENT_IDENTIFIER,
};
use frame_support::{
	assert_noop, assert_ok,
	dispatch::{DispatchClass, GetDispatchInfo},
	inherent::{InherentData, ProvideInherent},
	traits::{Hooks, UnfilteredDispatchable},
};
use galton_timelock::{BeaconInfo, BeaconSchedule, DevBeacon, Pulse, RandomnessBeacon};
use sp_runtime::DispatchError;

fn none() -> RuntimeOrigin {
	RuntimeOrigin::none()
}

/// `rounds`' pulses of the chain's beacon, as one block's inherent carries them.
fn pulses(rounds: &[u64]) -> PulsesOf<Test> {
	let pulses: Vec<Pulse> = rounds.iter().map(|round| beacon().pulse(*round)).collect();
	PulsesOf::<Test>::try_from(pulses).expect("at most MaxPulsesPerBlock")
}

/// Store `rounds`' pulses as one block's inherent, and end the block.
fn store(rounds: &[u64]) {
	assert_ok!(Beacon::store_pulses(none(), pulses(rounds)));
	Beacon::on_finalize(System::block_number());
}

/// The inherent a block author builds when its node offers `offered`.
fn inherent(offered: Vec<Pulse>) -> Option<Call<Test>> {
	let mut data = InherentData::new();
	data.put_data(INHERENT_IDENTIFIER, &offered).expect("encodes");
	Beacon::create_inherent(&data)
}

/// The rounds of the pulses an inherent built from `offered` stores.
fn chosen(offered: &[u64]) -> Vec<u64> {
	match inherent(offered.iter().map(|round| beacon().pulse(*round)).collect()) {
		Some(Call::store_pulses { pulses }) => pulses.iter().map(|pulse| pulse.round).collect(),
		Some(_) => panic!("another call"),
		None => Vec::new(),
	}
}

fn stored_rounds() -> Vec<u64> {
	let mut rounds: Vec<u64> = Pulses::<Test>::iter_values().map(|pulse| pulse.round).collect();
	rounds.sort();
	rounds
}

#[test]
fn a_due_pulse_is_stored_by_the_inherent_and_readable() {
	new_test_ext().execute_with(|| {
		let pulse = beacon().pulse(10);
		let call = inherent(vec![pulse]).expect("the node offered a pulse the chain accepts");
		assert!(Beacon::is_inherent(&call));
		assert_eq!(call.get_dispatch_info().class, DispatchClass::Mandatory);
		assert_ok!(call.clone().dispatch_bypass_filter(none()));
		System::assert_last_event(Event::PulseStored { round: 10 }.into());
		assert_eq!(<Beacon as RandomnessBeacon>::latest_round(), Some(10));
		assert_eq!(<Beacon as RandomnessBeacon>::due_round(), Some(10));
		assert_eq!(<Beacon as RandomnessBeacon>::signature(10), Some(pulse.signature));
		assert_eq!(<Beacon as RandomnessBeacon>::signature(9), None);
		assert_eq!(<Beacon as RandomnessBeacon>::public_key(), Some(beacon().public_key()));
		Beacon::do_try_state().expect("invariants hold");
	});
}

#[test]
fn a_forged_pulse_fails_the_inherent_and_changes_nothing() {
	new_test_ext().execute_with(|| {
		let forger = DevBeacon::from_seed(b"a forger's key");
		let forged = PulsesOf::<Test>::truncate_from(vec![forger.pulse(10)]);
		assert_noop!(Beacon::store_pulses(none(), forged), Error::<Test>::BadSignature);
		let mut relabelled = beacon().pulse(10);
		relabelled.round = 9;
		let relabelled = PulsesOf::<Test>::truncate_from(vec![relabelled]);
		assert_noop!(Beacon::store_pulses(none(), relabelled), Error::<Test>::BadSignature);
		let mut garbage = beacon().pulse(10);
		garbage.signature.0 = [0xff; 48];
		// A good pulse before a bad one is not stored either: the whole inherent fails.
		let mixed = PulsesOf::<Test>::truncate_from(vec![beacon().pulse(9), garbage]);
		assert_noop!(Beacon::store_pulses(none(), mixed), Error::<Test>::BadSignature);
	});
}

#[test]
fn a_signer_cannot_store_a_pulse_and_nothing_changes() {
	new_test_ext().execute_with(|| {
		assert_noop!(
			Beacon::store_pulses(RuntimeOrigin::signed(1), pulses(&[10])),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Beacon::store_pulses(RuntimeOrigin::root(), pulses(&[10])),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn a_block_stores_pulses_once() {
	new_test_ext().execute_with(|| {
		assert_ok!(Beacon::store_pulses(none(), pulses(&[9])));
		assert_noop!(
			Beacon::store_pulses(none(), pulses(&[10])),
			Error::<Test>::PulsesAlreadyStored
		);
		Beacon::on_finalize(1);
		assert_ok!(Beacon::store_pulses(none(), pulses(&[10])));
	});
}

#[test]
fn a_stored_round_and_rounds_before_the_history_are_refused() {
	new_test_ext().execute_with(|| {
		store(&[9]);
		// Round 9 is stored; round 5 lies HistoryDepth (four) rounds back, beyond the history.
		for round in [9, 5, 1] {
			assert_noop!(Beacon::store_pulses(none(), pulses(&[round])), Error::<Test>::StaleRound);
		}
		assert_noop!(Beacon::store_pulses(none(), pulses(&[8, 8])), Error::<Test>::StaleRound);
	});
}

#[test]
fn a_round_not_yet_due_is_refused_even_with_a_valid_signature() {
	new_test_ext().execute_with(|| {
		// The development key is public: anyone can sign round u64::MAX. Stored, it would make
		// every later pulse stale and end the beacon.
		for round in [12, 1_000, u64::MAX] {
			assert_noop!(
				Beacon::store_pulses(none(), pulses(&[round])),
				Error::<Test>::FutureRound
			);
		}
		// One round of slack for clocks that disagree.
		store(&[11]);
	});
}

#[test]
fn nothing_is_accepted_without_a_beacon() {
	new_test_ext().execute_with(|| {
		BeaconStorage::<Test>::kill();
		assert_noop!(Beacon::store_pulses(none(), pulses(&[10])), Error::<Test>::NoBeacon);
		assert_eq!(inherent(vec![beacon().pulse(10)]), None);
		assert_eq!(<Beacon as RandomnessBeacon>::public_key(), None);
		assert_eq!(<Beacon as RandomnessBeacon>::due_round(), None);
	});
}

#[test]
fn a_skipped_round_is_back_filled_without_moving_the_latest() {
	new_test_ext().execute_with(|| {
		at_round(20);
		store(&[17]);
		// Round 18 was withheld; the beacon went on to round 20.
		store(&[19, 20]);
		store(&[18]);
		System::assert_last_event(Event::PulseStored { round: 18 }.into());
		assert_eq!(LatestRound::<Test>::get(), Some(20));
		assert_eq!(<Beacon as RandomnessBeacon>::signature(18), Some(beacon().pulse(18).signature));
		assert_eq!(stored_rounds(), vec![17, 18, 19, 20]);
		Beacon::do_try_state().expect("invariants hold");
	});
}

#[test]
fn the_inherent_takes_back_fills_first_then_new_rounds_in_order() {
	new_test_ext().execute_with(|| {
		at_round(20);
		store(&[16, 18]);
		// Offered out of order, with duplicates, a stored round (18), a round beyond the
		// history (14), rounds not yet due (22, 40), and more than MaxPulsesPerBlock (three).
		assert_eq!(chosen(&[21, 19, 17, 17, 18, 14, 22, 40, 20]), vec![17, 19, 20]);
		assert_eq!(chosen(&[21]), vec![21]);
		assert_eq!(chosen(&[18, 14, 40]), Vec::<u64>::new(), "nothing acceptable: no inherent");
		assert_eq!(chosen(&[]), Vec::<u64>::new());
		let Some(call) = inherent(vec![beacon().pulse(19), beacon().pulse(17)]) else {
			panic!("an inherent")
		};
		assert_ok!(call.dispatch_bypass_filter(none()));
		assert_eq!(stored_rounds(), vec![16, 17, 18, 19]);
	});
}

#[test]
fn the_inherent_is_not_built_without_inherent_data() {
	new_test_ext().execute_with(|| {
		assert_eq!(Beacon::create_inherent(&InherentData::new()), None);
	});
}

#[test]
fn only_the_last_history_depth_slots_are_kept() {
	new_test_ext().execute_with(|| {
		at_round(30);
		for round in 10..=20 {
			store(&[round]);
		}
		assert_eq!(stored_rounds(), vec![17, 18, 19, 20]);
		// Round 16's slot now holds round 20: a lookup of 16 finds nothing, not 20's signature.
		assert_eq!(<Beacon as RandomnessBeacon>::signature(16), None);
		assert_eq!(<Beacon as RandomnessBeacon>::signature(20), Some(beacon().pulse(20).signature));
	});
}

#[test]
fn set_beacon_replaces_the_key_clears_the_old_pulses_and_tells_the_commits() {
	new_test_ext().execute_with(|| {
		store(&[10]);
		let next = DevBeacon::from_seed(b"the next beacon");
		let info = BeaconInfo { public_key: next.public_key(), schedule: SCHEDULE };
		assert_ok!(Beacon::set_beacon(RuntimeOrigin::root(), info));
		System::assert_last_event(Event::BeaconSet { beacon: info }.into());
		assert_eq!(REPLACEMENTS.with(|count| count.get()), 1);
		assert_eq!(LatestRound::<Test>::get(), None);
		assert!(stored_rounds().is_empty());
		assert_noop!(Beacon::store_pulses(none(), pulses(&[10])), Error::<Test>::BadSignature);
		let new_pulse = PulsesOf::<Test>::truncate_from(vec![next.pulse(10)]);
		assert_ok!(Beacon::store_pulses(none(), new_pulse));
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
		assert_eq!(REPLACEMENTS.with(|count| count.get()), 0);
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
