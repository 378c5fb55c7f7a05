//! Timelocked commits: sealed to a beacon round, opened by the chain when its pulse arrives.

use super::{signed, stored_weights, UIDS, VALUES};
use crate::{
	mock::*, CiphertextOf, Error, Event, QueuedRounds, RevealMode, RoundQueues, StrandedRounds,
	TimelockDropReason, TimelockedCommits,
};
use codec::Encode;
use frame_support::{assert_noop, assert_ok, traits::Hooks, BoundedVec};
use galton_primitives::{RevealConfig, TimelockedWeights, WeightsTlockPayload};
use galton_timelock::{encrypt, subtensor::to_subtensor, BeaconSignature, DevBeacon};
use rand_chacha::{rand_core::SeedableRng, ChaCha20Rng};
use sp_runtime::{DispatchError, DispatchResult};

/// Subnet 1's `rounds_ahead` in these tests.
const AHEAD: u64 = 2;

/// Subnet 1 in timelock mode, and the beacon at round 5.
fn timelock_subnet() {
	assert_ok!(CommitReveal::set_reveal_mode(
		signed(OWNER),
		1,
		RevealMode::Timelock { rounds_ahead: AHEAD }
	));
	store_pulse(5);
}

/// The `commit_reveal_version` the mock chain takes.
const VERSION: u16 = 4;

/// The standard weights of `who` with `uids`, as subtensor's timelocked payload.
fn weights_of(who: u64, uids: Vec<u16>, values: Vec<u16>) -> Vec<u8> {
	WeightsTlockPayload { hotkey: who.encode(), uids, values, version_key: 0 }.encode()
}

/// The standard weights of `who`, as a timelocked payload.
fn payload(who: u64) -> Vec<u8> {
	weights_of(who, UIDS.to_vec(), VALUES.to_vec())
}

/// `payload` sealed to `round` of the development beacon, in subtensor's wire format.
fn seal(payload: &[u8], round: u64) -> CiphertextOf<Test> {
	let key = DevBeacon::development().public_key();
	let sealed = encrypt(&key, round, payload, &mut ChaCha20Rng::seed_from_u64(round))
		.expect("the development key is valid");
	CiphertextOf::<Test>::try_from(to_subtensor(&sealed)).expect("within MaxCiphertextLen")
}

fn commit_sealed(
	who: u64,
	netuid: u16,
	ciphertext: CiphertextOf<Test>,
	round: u64,
) -> DispatchResult {
	CommitReveal::commit_timelocked_weights(signed(who), netuid, ciphertext, round, VERSION)
		.map(drop)
		.map_err(|error| error.error)
}

/// Commit `who`'s standard weights on `netuid`, sealed to `round`.
fn commit_timelocked(who: u64, netuid: u16, round: u64) -> DispatchResult {
	commit_sealed(who, netuid, seal(&payload(who), round), round)
}

/// Store the pulses up to `round` and open what is due, as the next block's start does.
fn pulse_and_open(round: u64) {
	store_pulse(round);
	CommitReveal::on_initialize(System::block_number());
}

fn dropped(who: u64, round: u64, reason: TimelockDropReason) -> RuntimeEvent {
	Event::TimelockedCommitDropped { netuid: 1, who, round, reason }.into()
}

#[test]
fn sealed_weights_land_when_their_round_arrives_with_no_reveal_transaction() {
	build_and_execute(|| {
		timelock_subnet();
		assert_ok!(commit_timelocked(VALIDATOR, 1, 7));
		System::assert_last_event(
			Event::TimelockedWeightsCommitted { netuid: 1, who: VALIDATOR, reveal_round: 7 }.into(),
		);
		pulse_and_open(6);
		assert!(stored_weights(1, 0).is_empty(), "round 6 does not open round 7's commit");
		assert!(TimelockedCommits::<Test>::contains_key(1, VALIDATOR));

		pulse_and_open(7);
		assert_eq!(stored_weights(1, 0), vec![(1, 100), (2, 200)]);
		System::assert_last_event(
			Event::TimelockedWeightsRevealed { netuid: 1, who: VALIDATOR, round: 7, dropped: 0 }
				.into(),
		);
		assert!(!TimelockedCommits::<Test>::contains_key(1, VALIDATOR));
		assert!(!RoundQueues::<Test>::contains_key(7));
		assert!(QueuedRounds::<Test>::get().is_empty());
	});
}

#[test]
fn a_copied_ciphertext_opens_only_for_the_hotkey_that_sealed_it() {
	build_and_execute(|| {
		timelock_subnet();
		let original = seal(&payload(VALIDATOR), 7);
		assert_ok!(commit_sealed(VALIDATOR, 1, original.clone(), 7));
		// A copier lifts the ciphertext from the pool and commits it as its own.
		assert_ok!(commit_sealed(VALIDATOR_2, 1, original, 7));
		pulse_and_open(7);
		assert_eq!(stored_weights(1, 0), vec![(1, 100), (2, 200)]);
		assert!(stored_weights(1, 2).is_empty(), "the copier's weights never land");
		System::assert_has_event(dropped(VALIDATOR_2, 7, TimelockDropReason::NotBoundToCommitter));
	});
}

#[test]
fn a_payload_must_name_the_committer_as_a_whole_account() {
	build_and_execute(|| {
		timelock_subnet();
		// The hotkey field holds the committer's account with a byte more: not the committer.
		let mut hotkey = VALIDATOR.encode();
		hotkey.push(0);
		let trailing = WeightsTlockPayload {
			hotkey,
			uids: UIDS.to_vec(),
			values: VALUES.to_vec(),
			version_key: 0,
		};
		assert_ok!(commit_sealed(VALIDATOR, 1, seal(&trailing.encode(), 7), 7));
		// subtensor's legacy payload names no hotkey: anyone could commit a copy as their own.
		let unbound = (UIDS.to_vec(), VALUES.to_vec(), 0u64).encode();
		assert_ok!(commit_sealed(VALIDATOR_2, 1, seal(&unbound, 7), 7));
		pulse_and_open(7);
		System::assert_has_event(dropped(VALIDATOR, 7, TimelockDropReason::NotBoundToCommitter));
		System::assert_has_event(dropped(VALIDATOR_2, 7, TimelockDropReason::MalformedPayload));
		assert!(stored_weights(1, 0).is_empty() && stored_weights(1, 2).is_empty());
	});
}

#[test]
fn commits_sealed_with_the_earlier_payload_still_open_for_their_own_subnet() {
	build_and_execute(|| {
		timelock_subnet();
		let earlier = |netuid: u16| {
			let weights = TimelockedWeights {
				who: VALIDATOR,
				netuid,
				uids: UIDS.to_vec(),
				values: VALUES.to_vec(),
				version_key: 0,
			};
			weights.encode()
		};
		assert_ok!(commit_sealed(VALIDATOR, 1, seal(&earlier(1), 7), 7));
		pulse_and_open(7);
		assert_eq!(stored_weights(1, 0), vec![(1, 100), (2, 200)]);

		run_to_block(System::block_number() + 10);
		assert_ok!(commit_sealed(VALIDATOR, 1, seal(&earlier(2), 9), 9));
		pulse_and_open(9);
		System::assert_has_event(dropped(VALIDATOR, 9, TimelockDropReason::NotBoundToCommitter));
	});
}

/// bittensor-drand 2.0.0's `encrypt_at_round(payload, 1000)` (PyPI, offline) of the mock
/// validator's standard weights (`WeightsTlockPayload { hotkey: 10u64, uids [1, 2], values
/// [100, 200], version_key 0 }`, SCALE), unwrapped from its `(Vec<u8>, u64)`: what bittensor's
/// SDK commits, made by bittensor's own library.
const BITTENSOR_DRAND_COMMIT: &[u8] = &hex_literal::hex!(
	"8388d2475a66f6227d19cf11e6a475722842091021324157e9161b2be583f54043d0fdb6cd5e01aa54b1dc4f"
	"843c17ec09ed46e63dd303c25041f4643d0772a016177f919b2171f586cb52525584cb64890e18cf369ee59c"
	"49191094f848a15c2000000000000000dee205bf8ed601358b62e52c477c389299ce8830364ec6d4b0fd6074"
	"f28be000200000000000000016db6e1f4116544b9a6b6a62ee3d1005e1c7e5c8b113fd3006569c352080282a"
	"47000000000000002b00000000000000f36067d47795909b8b5ea54f701ea2c9af22cd89fcd68a75ef50adb2"
	"17af4aac3aceb155fb78b78eb806ee0c00000000000000e9dd35136cecc3c6ebcdcddb080000000000000041"
	"45535f47434d5f"
);

/// drand quicknet's pulse for round 1000, as api.drand.sh publishes it.
const QUICKNET_ROUND_1000: BeaconSignature = BeaconSignature(hex_literal::hex!(
	"b44679b9a59af2ec876b1a6b1ad52ea9b1615fc3982b19576350f93447cb1125e342b73a8dd2bacbe47e4b6b63ed5e39"
));

#[test]
fn a_commit_sealed_by_bittensor_drand_opens_with_drand_quicknets_pulse() {
	build_and_execute(|| {
		timelock_subnet();
		store_pulse(998);
		let commit =
			CiphertextOf::<Test>::try_from(BITTENSOR_DRAND_COMMIT.to_vec()).expect("short");
		assert_ok!(commit_sealed(VALIDATOR, 1, commit, 1000));
		store_signature(1000, QUICKNET_ROUND_1000);
		CommitReveal::on_initialize(System::block_number());
		System::assert_last_event(
			Event::TimelockedWeightsRevealed { netuid: 1, who: VALIDATOR, round: 1000, dropped: 0 }
				.into(),
		);
		assert_eq!(stored_weights(1, 0), vec![(1, 100), (2, 200)]);
	});
}

#[test]
fn what_cannot_be_opened_is_dropped_with_its_reason() {
	build_and_execute(|| {
		timelock_subnet();
		// Sealed to round 8 but filed under round 7: round 7's pulse does not open it.
		assert_ok!(commit_sealed(VALIDATOR, 1, seal(&payload(VALIDATOR), 8), 7));
		// Sealed correctly, but the plaintext is not a weights payload.
		assert_ok!(commit_sealed(VALIDATOR_2, 1, seal(b"not weights", 7), 7));
		pulse_and_open(7);
		System::assert_has_event(dropped(VALIDATOR, 7, TimelockDropReason::Undecryptable));
		System::assert_has_event(dropped(VALIDATOR_2, 7, TimelockDropReason::MalformedPayload));
		assert!(TimelockedCommits::<Test>::iter().next().is_none());
	});
}

#[test]
fn a_header_off_the_curve_passes_the_pool_and_is_dropped_when_it_opens() {
	build_and_execute(|| {
		timelock_subnet();
		// The pool and the commit check do no curve arithmetic; the opening does.
		let mut off_curve = seal(&payload(VALIDATOR), 7).into_inner();
		off_curve[1] ^= 1;
		let off_curve = CiphertextOf::<Test>::try_from(off_curve).expect("short");
		assert_ok!(commit_sealed(VALIDATOR, 1, off_curve, 7));
		pulse_and_open(7);
		System::assert_has_event(dropped(VALIDATOR, 7, TimelockDropReason::Undecryptable));
		assert!(stored_weights(1, 0).is_empty());
	});
}

#[test]
fn a_skipped_round_waits_for_its_back_filled_pulse() {
	build_and_execute(|| {
		timelock_subnet();
		assert_ok!(commit_timelocked(VALIDATOR, 1, 7));
		// Round 7's pulse was withheld; the beacon went on to round 9.
		pulse_and_open(9);
		assert!(TimelockedCommits::<Test>::contains_key(1, VALIDATOR), "waits for round 7");
		assert!(stored_weights(1, 0).is_empty());
		// The relay back-fills round 7.
		pulse_and_open(7);
		assert_eq!(stored_weights(1, 0), vec![(1, 100), (2, 200)]);
		assert!(QueuedRounds::<Test>::get().is_empty());
	});
}

#[test]
fn a_round_never_back_filled_drops_its_commits_after_the_grace() {
	build_and_execute(|| {
		timelock_subnet();
		assert_ok!(commit_timelocked(VALIDATOR, 1, 7));
		assert_ok!(commit_timelocked(VALIDATOR_2, 1, 8));
		// Round 7 never comes; round 8 opens while round 7 still waits.
		pulse_and_open(8);
		assert_eq!(stored_weights(1, 2), vec![(1, 100), (2, 200)]);
		assert!(TimelockedCommits::<Test>::contains_key(1, VALIDATOR));
		// MissingPulseGrace (three) rounds past it, round 7 is given up.
		pulse_and_open(9);
		assert!(TimelockedCommits::<Test>::contains_key(1, VALIDATOR));
		pulse_and_open(10);
		System::assert_has_event(dropped(VALIDATOR, 7, TimelockDropReason::PulseMissing));
		assert!(QueuedRounds::<Test>::get().is_empty());
	});
}

#[test]
fn a_lagging_beacon_cannot_make_a_public_round_pass_for_a_future_one() {
	build_and_execute(|| {
		timelock_subnet();
		// The chain's latest pulse is round 5, but by its clock round 22 is due: rounds 6 to
		// 22 are public already, and anything sealed to them can be opened by anyone.
		set_due_round(Some(22));
		for round in [7, 9, 22, 23] {
			assert_noop!(
				commit_timelocked(VALIDATOR, 1, round),
				Error::<Test>::RevealRoundTooEarly
			);
		}
		assert_noop!(commit_timelocked(VALIDATOR, 1, 27), Error::<Test>::RevealRoundTooLate);
		// Round 24 is two rounds past the due round: secret when committed.
		assert_ok!(commit_timelocked(VALIDATOR, 1, 24));
	});
}

#[test]
fn a_new_beacon_drops_the_commits_waiting_for_the_old_ones_rounds() {
	build_and_execute(|| {
		timelock_subnet();
		assert_ok!(commit_timelocked(VALIDATOR, 1, 7));
		assert_ok!(commit_timelocked(VALIDATOR_2, 1, 8));
		replace_beacon();
		assert_eq!(StrandedRounds::<Test>::get().into_inner(), vec![7, 8]);
		assert!(QueuedRounds::<Test>::get().is_empty());
		// A validator is not stuck behind its stranded commit: a new one replaces it at once.
		System::set_block_number(2);
		assert_ok!(commit_timelocked(VALIDATOR, 1, 3));
		System::assert_has_event(dropped(VALIDATOR, 7, TimelockDropReason::BeaconReplaced));
		assert_eq!(TimelockedCommits::<Test>::get(1, VALIDATOR).map(|c| c.reveal_round), Some(3));
		// The rest are dropped at the start of the next block.
		CommitReveal::on_initialize(System::block_number());
		System::assert_has_event(dropped(VALIDATOR_2, 8, TimelockDropReason::BeaconReplaced));
		assert!(!TimelockedCommits::<Test>::contains_key(1, VALIDATOR_2));
		assert!(StrandedRounds::<Test>::get().is_empty());
		assert!(!RoundQueues::<Test>::contains_key(7) && !RoundQueues::<Test>::contains_key(8));
		// The new beacon's commit opens with the new beacon's pulse.
		pulse_and_open(3);
		assert_eq!(stored_weights(1, 0), vec![(1, 100), (2, 200)]);
	});
}

#[test]
fn a_stranded_round_number_is_refused_until_it_is_dropped() {
	build_and_execute(|| {
		timelock_subnet();
		assert_ok!(commit_timelocked(VALIDATOR_2, 1, 7));
		replace_beacon();
		set_due_round(Some(5));
		// By the new beacon's clock round 7 is a fine round, but the old queue holds it.
		assert_noop!(commit_timelocked(VALIDATOR, 1, 7), Error::<Test>::RoundFull);
		CommitReveal::on_initialize(System::block_number());
		assert_ok!(commit_timelocked(VALIDATOR, 1, 7));
	});
}

#[test]
fn a_pulse_that_is_not_the_rounds_opens_nothing() {
	build_and_execute(|| {
		timelock_subnet();
		assert_ok!(commit_timelocked(VALIDATOR, 1, 7));
		store_wrong_pulse(7);
		CommitReveal::on_initialize(System::block_number());
		System::assert_has_event(dropped(VALIDATOR, 7, TimelockDropReason::Undecryptable));
	});
}

#[test]
fn weights_that_became_invalid_are_dropped() {
	build_and_execute(|| {
		timelock_subnet();
		let duplicates = weights_of(VALIDATOR, vec![1, 1], vec![1, 2]);
		assert_ok!(commit_sealed(VALIDATOR, 1, seal(&duplicates, 7), 7));
		assert_ok!(commit_timelocked(VALIDATOR_2, 1, 7));
		assert_ok!(Subnets::set_weights_version_key(signed(OWNER), 1, 3));
		// The key was raised after the commits: they are judged by the minimum at commit time.
		pulse_and_open(7);
		System::assert_has_event(dropped(VALIDATOR, 7, TimelockDropReason::InvalidWeights));
		assert_eq!(stored_weights(1, 2), vec![(1, 100), (2, 200)]);
	});
}

#[test]
fn a_version_key_below_the_minimum_at_commit_is_dropped() {
	build_and_execute(|| {
		timelock_subnet();
		assert_ok!(Subnets::set_weights_version_key(signed(OWNER), 1, 3));
		assert_ok!(commit_timelocked(VALIDATOR, 1, 7));
		pulse_and_open(7);
		System::assert_has_event(dropped(VALIDATOR, 7, TimelockDropReason::OutdatedVersionKey));
	});
}

#[test]
fn a_validator_that_lost_its_permit_has_its_commit_dropped() {
	build_and_execute(|| {
		timelock_subnet();
		assert_ok!(commit_timelocked(VALIDATOR, 1, 7));
		assert_ok!(Subnets::set_validator_permit(signed(OWNER), 1, 0, false));
		pulse_and_open(7);
		System::assert_has_event(dropped(VALIDATOR, 7, TimelockDropReason::NoLongerValidator));
	});
}

#[test]
fn a_deregistered_validators_commit_goes_with_it() {
	build_and_execute(|| {
		timelock_subnet();
		assert_ok!(Subnets::register(signed(20), 1));
		let uid = pallet_subnets::Uids::<Test>::get(1, 20).expect("registered");
		assert_ok!(Subnets::set_validator_permit(signed(OWNER), 1, uid, true));
		assert_ok!(commit_timelocked(VALIDATOR_2, 1, 7));
		assert_ok!(commit_timelocked(VALIDATOR, 1, 7));
		// The round is full (MaxCommitsPerRound is two) ...
		assert_noop!(commit_timelocked(20, 1, 7), Error::<Test>::RoundFull);
		assert_ok!(Subnets::deregister(signed(VALIDATOR_2), 1, VALIDATOR_2));
		assert!(!TimelockedCommits::<Test>::contains_key(1, VALIDATOR_2));
		// ... and the deregistered hotkey's place in it is free again: a hotkey cannot fill a
		// round's queue by committing and deregistering.
		assert_eq!(RoundQueues::<Test>::get(7).into_inner(), vec![(1, VALIDATOR)]);
		assert_ok!(commit_timelocked(20, 1, 7));
		System::reset_events();
		pulse_and_open(7);
		assert!(!RoundQueues::<Test>::contains_key(7));
		assert!(TimelockedCommits::<Test>::iter().next().is_none());
	});
}

#[test]
fn at_most_max_opened_per_block_commits_open_in_one_block() {
	build_and_execute(|| {
		timelock_subnet();
		enable_timelock_on_subnet_2();
		assert_ok!(commit_timelocked(VALIDATOR, 1, 7));
		assert_ok!(commit_timelocked(VALIDATOR_2, 1, 7));
		assert_ok!(commit_timelocked(VALIDATOR, 2, 8));
		store_pulse(7);
		store_pulse(8);
		CommitReveal::on_initialize(System::block_number());
		assert_eq!(TimelockedCommits::<Test>::iter().count(), 1, "two of three opened");
		assert_eq!(QueuedRounds::<Test>::get().into_inner(), vec![8]);
		CommitReveal::on_initialize(System::block_number());
		assert_eq!(TimelockedCommits::<Test>::iter().count(), 0);
		assert_eq!(stored_weights(2, 0), vec![(1, 100), (2, 200)]);
		assert!(QueuedRounds::<Test>::get().is_empty());
	});
}

/// Subnet 2 runs commit-reveal in timelock mode too, with neurons at uids 1 and 2 registered a
/// block before the commits that weigh them (weights for a uid registered since a commit are
/// dropped).
fn enable_timelock_on_subnet_2() {
	let config =
		RevealConfig { enabled: true, reveal_delay: 1, reveal_window: 1, commit_interval: Some(1) };
	assert_ok!(CommitReveal::set_reveal_config(signed(OWNER), 2, config));
	assert_ok!(CommitReveal::set_reveal_mode(
		signed(OWNER),
		2,
		RevealMode::Timelock { rounds_ahead: AHEAD }
	));
	for hotkey in [20, 21] {
		assert_ok!(Subnets::register(signed(hotkey), 2));
	}
	run_to_block(System::block_number() + 1);
}

#[test]
fn bad_commits_are_refused_and_change_nothing() {
	build_and_execute(|| {
		assert_noop!(commit_timelocked(VALIDATOR, 1, 7), Error::<Test>::TimelockNotEnabled);
		assert_noop!(commit_timelocked(VALIDATOR, 2, 7), Error::<Test>::CommitRevealDisabled);
		assert_noop!(commit_timelocked(VALIDATOR, 3, 7), Error::<Test>::UnknownSubnet);
		assert_ok!(CommitReveal::set_reveal_mode(
			signed(OWNER),
			1,
			RevealMode::Timelock { rounds_ahead: AHEAD }
		));
		set_due_round(None);
		assert_noop!(commit_timelocked(VALIDATOR, 1, 7), Error::<Test>::BeaconNotStarted);
		set_due_round(Some(0));
		store_pulse(5);
		assert_noop!(commit_timelocked(99, 1, 7), Error::<Test>::NotRegistered);
		assert_noop!(commit_timelocked(MINER, 1, 7), Error::<Test>::NoValidatorPermit);
		assert_noop!(commit_timelocked(VALIDATOR, 1, 6), Error::<Test>::RevealRoundTooEarly);
		assert_noop!(commit_timelocked(VALIDATOR, 1, 5), Error::<Test>::RevealRoundTooEarly);
		assert_noop!(commit_timelocked(VALIDATOR, 1, 10), Error::<Test>::RevealRoundTooLate);
		let garbage = CiphertextOf::<Test>::try_from(vec![7u8; 100]).expect("short");
		assert_noop!(commit_sealed(VALIDATOR, 1, garbage, 7), Error::<Test>::MalformedCiphertext);
		// Weights for MaxUids uids on a subnet that handed out three: padding, refused.
		let padded = weights_of(
			VALIDATOR,
			(0..MaxUids::get() as u16).collect(),
			vec![1; MaxUids::get() as usize],
		);
		assert_noop!(
			commit_sealed(VALIDATOR, 1, seal(&padded, 7), 7),
			Error::<Test>::CiphertextTooLong
		);
		// Galton's earlier wire format (the SCALE-encoded ciphertext) is not subtensor's.
		let sealed = encrypt(
			&DevBeacon::development().public_key(),
			7,
			&payload(VALIDATOR),
			&mut ChaCha20Rng::seed_from_u64(7),
		)
		.expect("sealed");
		let scale = CiphertextOf::<Test>::try_from(sealed.encode()).expect("short");
		assert_noop!(commit_sealed(VALIDATOR, 1, scale, 7), Error::<Test>::MalformedCiphertext);
		// A client that seals another format.
		assert_noop!(
			CommitReveal::commit_timelocked_weights(
				signed(VALIDATOR),
				1,
				seal(&payload(VALIDATOR), 7),
				7,
				VERSION - 1
			),
			Error::<Test>::IncorrectCommitRevealVersion
		);
		// A hash commit on a timelock subnet is refused too.
		assert_noop!(
			CommitReveal::commit_weights(signed(VALIDATOR), 1, Default::default()),
			Error::<Test>::UseTimelock
		);

		assert_ok!(commit_timelocked(VALIDATOR, 1, 9));
		run_to_block(2);
		assert_noop!(commit_timelocked(VALIDATOR, 1, 9), Error::<Test>::TimelockedCommitPending);
	});
}

#[test]
fn commits_are_rate_limited_and_rounds_bounded() {
	build_and_execute(|| {
		timelock_subnet();
		enable_timelock_on_subnet_2();
		let config = RevealConfig {
			enabled: true,
			reveal_delay: 3,
			reveal_window: 5,
			commit_interval: None,
		};
		assert_ok!(CommitReveal::set_reveal_config(signed(OWNER), 1, config));
		assert_ok!(commit_timelocked(VALIDATOR, 1, 7));
		pulse_and_open(7);
		assert_noop!(commit_timelocked(VALIDATOR, 1, 9), Error::<Test>::CommitRateLimited);

		run_to_block(5);
		assert_ok!(commit_timelocked(VALIDATOR, 1, 9));
		assert_ok!(commit_timelocked(VALIDATOR_2, 1, 9));
		// MaxCommitsPerRound (two) commits open at round 9 already.
		assert_noop!(commit_timelocked(VALIDATOR, 2, 9), Error::<Test>::RoundFull);
		assert_ok!(commit_timelocked(VALIDATOR, 2, 10));
	});
}

#[test]
fn only_the_owner_or_root_sets_a_mode_within_bounds() {
	build_and_execute(|| {
		let mode = RevealMode::Timelock { rounds_ahead: AHEAD };
		assert_noop!(
			CommitReveal::set_reveal_mode(signed(VALIDATOR), 1, mode),
			DispatchError::BadOrigin
		);
		assert_noop!(
			CommitReveal::set_reveal_mode(RuntimeOrigin::root(), 3, mode),
			Error::<Test>::UnknownSubnet
		);
		assert_noop!(
			CommitReveal::set_reveal_mode(
				signed(OWNER),
				1,
				RevealMode::Timelock { rounds_ahead: 0 }
			),
			Error::<Test>::RoundsAheadZero
		);
		assert_noop!(
			CommitReveal::set_reveal_mode(
				signed(OWNER),
				1,
				RevealMode::Timelock { rounds_ahead: 11 }
			),
			Error::<Test>::RoundsAheadTooLarge
		);
		assert_ok!(CommitReveal::set_reveal_mode(RuntimeOrigin::root(), 1, mode));
		System::assert_last_event(Event::RevealModeSet { netuid: 1, mode }.into());
		assert_ok!(CommitReveal::set_reveal_mode(signed(OWNER), 1, RevealMode::Hash));
	});
}

#[test]
fn the_pool_admits_one_sealed_commit_per_validator_and_refuses_doomed_ones() {
	use crate::{extension::invalid, CheckCommitReveal};
	use frame_support::{dispatch::GetDispatchInfo, pallet_prelude::TransactionSource};
	use sp_runtime::traits::DispatchTransaction;

	let validate = |who: u64, round: u64| {
		let call = RuntimeCall::CommitReveal(crate::Call::commit_timelocked_weights {
			netuid: 1,
			commit: seal(&payload(who), round),
			reveal_round: round,
			commit_reveal_version: VERSION,
		});
		let info = call.get_dispatch_info();
		CheckCommitReveal::<Test>::new()
			.validate_only(signed(who), &call, &info, 0, TransactionSource::External, 0)
			.map(|(validity, _, _)| validity)
	};
	build_and_execute(|| {
		timelock_subnet();
		let first = validate(VALIDATOR, 7).expect("a valid commit");
		let second = validate(VALIDATOR, 8).expect("a valid commit");
		assert_eq!(first.provides, second.provides, "one sealed commit per validator in the pool");
		assert_eq!(validate(VALIDATOR, 6), Err(invalid(Error::<Test>::RevealRoundTooEarly)));
		assert_eq!(validate(MINER, 7), Err(invalid(Error::<Test>::NoValidatorPermit)));
	});
}

#[test]
fn the_invariants_catch_queues_that_lost_track_of_a_commit() {
	new_test_ext().execute_with(|| {
		timelock_subnet();
		assert_ok!(commit_timelocked(VALIDATOR, 1, 7));
		assert_ok!(commit_timelocked(VALIDATOR_2, 1, 8));
		check_invariants();
		let violated = || CommitReveal::do_try_state(System::block_number()).is_err();

		// A commit whose round left the queued rounds would never open.
		QueuedRounds::<Test>::mutate(|rounds| rounds.retain(|&round| round != 7));
		assert!(violated());
		QueuedRounds::<Test>::mutate(|rounds| rounds.try_insert(0, 7).expect("room"));
		check_invariants();

		// A commit missing from its round's queue would never open either.
		let queue = RoundQueues::<Test>::take(8);
		assert!(violated());
		RoundQueues::<Test>::insert(8, queue);
		check_invariants();

		// A queue under a round nobody lists is never read, and never freed.
		RoundQueues::<Test>::insert(9, RoundQueues::<Test>::get(8));
		assert!(violated());
		RoundQueues::<Test>::remove(9);

		// Rounds out of order, or both queued and stranded.
		let queued = QueuedRounds::<Test>::get();
		let reversed: Vec<u64> = queued.iter().rev().copied().collect();
		QueuedRounds::<Test>::put(BoundedVec::truncate_from(reversed));
		assert!(violated());
		QueuedRounds::<Test>::put(queued);
		StrandedRounds::<Test>::put(QueuedRounds::<Test>::get());
		assert!(violated());
		StrandedRounds::<Test>::kill();
		check_invariants();
	});
}
