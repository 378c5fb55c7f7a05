//! Tests for the commit-reveal pallet.

use crate::{
	mock::*, Error, Event, LastCommits, PendingCommit, PendingCommits, ReclaimCursor, Reveal,
	RevealConfig, RevealConfigs,
};
use frame_support::{assert_noop, assert_ok};
use galton_primitives::{commit_hash, CommitRevealStatus};
use sp_core::H256;
use sp_runtime::{DispatchError, DispatchResult};

mod extension;
mod model;
mod timelock;

/// The uids every standard test reveal weighs.
const UIDS: [u16; 2] = [1, 2];
/// The values every standard test reveal gives, one per uid of [`UIDS`].
const VALUES: [u16; 2] = [100, 200];

fn signed(who: u64) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

/// A reveal of [`UIDS`]/[`VALUES`] with a salt of `MinSaltLen` words of `salt`.
fn standard(salt: u16) -> Reveal {
	let salt = vec![salt; MinSaltLen::get() as usize];
	Reveal { uids: UIDS.to_vec(), values: VALUES.to_vec(), salt, version_key: 0 }
}

fn hash_of(who: u64, netuid: u16, reveal: &Reveal) -> H256 {
	commit_hash(&who, netuid, &reveal.uids, &reveal.values, &reveal.salt, reveal.version_key)
}

fn commit(who: u64, netuid: u16, reveal: &Reveal) -> DispatchResult {
	CommitReveal::commit_weights(signed(who), netuid, hash_of(who, netuid, reveal))
		.map(drop)
		.map_err(|error| error.error)
}

fn reveal(who: u64, netuid: u16, reveal: &Reveal) -> DispatchResult {
	let Reveal { uids, values, salt, version_key } = reveal.clone();
	CommitReveal::reveal_weights(signed(who), netuid, uids, values, salt, version_key)
		.map(drop)
		.map_err(|error| error.error)
}

fn stored_weights(netuid: u16, uid: u16) -> Vec<(u16, u16)> {
	pallet_subnets::Weights::<Test>::get(netuid, uid).map(|w| w.into_inner()).unwrap_or_default()
}

/// A reveal config that lets a validator commit every block, as the mock genesis does.
fn config(enabled: bool, reveal_delay: u64, reveal_window: u64) -> RevealConfig<u64> {
	RevealConfig { enabled, reveal_delay, reveal_window, commit_interval: Some(1) }
}

/// Subnet 1's genesis config with the commit interval `commit_interval`.
fn with_interval(commit_interval: Option<u64>) -> RevealConfig<u64> {
	RevealConfig { commit_interval, ..config(true, DELAY, WINDOW) }
}

#[test]
fn commit_works() {
	build_and_execute(|| {
		let hash = hash_of(VALIDATOR, 1, &standard(7));
		assert_ok!(CommitReveal::commit_weights(signed(VALIDATOR), 1, hash));
		let expected = PendingCommit {
			hash,
			committed_at: 1,
			reveal_from: 1 + DELAY,
			expires_at: 1 + DELAY + WINDOW,
			min_version_key: 0,
		};
		assert_eq!(PendingCommits::<Test>::get(1, VALIDATOR).into_inner(), vec![expected]);
		assert_eq!(LastCommits::<Test>::get(1, VALIDATOR), Some(1));
		System::assert_last_event(
			Event::WeightsCommitted {
				netuid: 1,
				who: VALIDATOR,
				commit_hash: hash,
				reveal_from: 11,
				expires_at: 16,
			}
			.into(),
		);
	});
}

#[test]
fn commit_fails_on_bad_input() {
	build_and_execute(|| {
		let hash = H256::repeat_byte(1);
		let try_commit = |who, netuid| CommitReveal::commit_weights(signed(who), netuid, hash);
		assert_noop!(
			CommitReveal::commit_weights(RuntimeOrigin::none(), 1, hash),
			DispatchError::BadOrigin
		);
		assert_noop!(try_commit(VALIDATOR, 9), Error::<Test>::UnknownSubnet);
		assert_noop!(try_commit(VALIDATOR, 2), Error::<Test>::CommitRevealDisabled);
		assert_noop!(try_commit(99, 1), Error::<Test>::NotRegistered);
		assert_noop!(try_commit(MINER, 1), Error::<Test>::NoValidatorPermit);
		assert_ok!(try_commit(VALIDATOR, 1));
		assert_noop!(try_commit(VALIDATOR, 1), Error::<Test>::CommitRateLimited);
		run_to_block(2);
		assert_noop!(try_commit(VALIDATOR, 1), Error::<Test>::DuplicateCommit);
	});
}

#[test]
fn commit_beyond_max_pending_is_refused_until_one_expires() {
	build_and_execute(|| {
		for salt in 0..3 {
			run_to_block(1 + u64::from(salt));
			assert_ok!(commit(VALIDATOR, 1, &standard(salt)));
		}
		run_to_block(4);
		assert_noop!(commit(VALIDATOR, 1, &standard(3)), Error::<Test>::TooManyPendingCommits);

		// Once the three expire (blocks 16 to 18) there is room again; committing deletes them.
		run_to_block(3 + DELAY + WINDOW);
		assert_ok!(commit(VALIDATOR, 1, &standard(3)));
		assert_eq!(PendingCommits::<Test>::get(1, VALIDATOR).len(), 1);
		System::assert_has_event(
			Event::CommitExpired {
				netuid: 1,
				who: VALIDATOR,
				commit_hash: hash_of(VALIDATOR, 1, &standard(0)),
			}
			.into(),
		);
	});
}

#[test]
fn the_rate_limit_defaults_to_one_commit_per_reveal_delay() {
	build_and_execute(|| {
		assert_ok!(CommitReveal::set_reveal_config(signed(OWNER), 1, with_interval(None)));
		assert_ok!(commit(VALIDATOR, 1, &standard(1)));
		run_to_block(DELAY);
		assert_noop!(commit(VALIDATOR, 1, &standard(2)), Error::<Test>::CommitRateLimited);
		run_to_block(1 + DELAY);
		assert_ok!(commit(VALIDATOR, 1, &standard(2)));
		// Each validator has a limit of its own.
		assert_ok!(commit(VALIDATOR_2, 1, &standard(2)));
	});
}

#[test]
fn a_reveal_does_not_reset_the_rate_limit() {
	build_and_execute(|| {
		assert_ok!(CommitReveal::set_reveal_config(signed(OWNER), 1, with_interval(Some(20))));
		let weights = standard(1);
		assert_ok!(commit(VALIDATOR, 1, &weights));
		run_to_block(1 + DELAY);
		assert_ok!(reveal(VALIDATOR, 1, &weights));
		assert!(!PendingCommits::<Test>::contains_key(1, VALIDATOR));
		assert_noop!(commit(VALIDATOR, 1, &standard(2)), Error::<Test>::CommitRateLimited);
		run_to_block(21);
		assert_ok!(commit(VALIDATOR, 1, &standard(2)));
	});
}

#[test]
fn a_batch_cannot_commit_twice_on_one_subnet() {
	build_and_execute(|| {
		let (first, second) = (H256::repeat_byte(1), H256::repeat_byte(2));
		assert_noop!(
			CommitReveal::batch_commit_weights(signed(VALIDATOR), vec![(1, first), (1, second)]),
			Error::<Test>::CommitRateLimited
		);
	});
}

#[test]
fn commits_on_other_subnets_never_crowd_out_a_validator() {
	build_and_execute(|| {
		// Subnet 2's owner runs commit-reveal there and fills it with validators that all
		// commit in the same block, every block.
		assert_ok!(CommitReveal::set_reveal_config(signed(OWNER), 2, config(true, 1, 1)));
		let crowd = [30, 31, 32, 33, 34];
		for hotkey in crowd {
			assert_ok!(Subnets::register(signed(hotkey), 2));
			let uid = pallet_subnets::Uids::<Test>::get(2, hotkey).expect("just registered");
			assert_ok!(Subnets::set_validator_permit(signed(OWNER), 2, uid, true));
		}
		for block in 1..4u16 {
			run_to_block(block.into());
			for hotkey in crowd {
				assert_ok!(CommitReveal::commit_weights(
					signed(hotkey),
					2,
					H256::repeat_byte(block as u8)
				));
			}
			// Subnet 1's validator commits whatever subnet 2 does.
			assert_ok!(commit(VALIDATOR, 1, &standard(block)));
		}
	});
}

#[test]
fn reveal_works_and_hands_weights_to_the_host() {
	build_and_execute(|| {
		let weights = standard(5);
		assert_ok!(commit(VALIDATOR, 1, &weights));
		run_to_block(1 + DELAY);
		assert_ok!(reveal(VALIDATOR, 1, &weights));
		assert_eq!(stored_weights(1, 0), vec![(1, 100), (2, 200)]);
		assert!(!PendingCommits::<Test>::contains_key(1, VALIDATOR));
		System::assert_has_event(
			pallet_subnets::Event::WeightsSet { netuid: 1, uid: 0, count: 2 }.into(),
		);
		System::assert_last_event(
			Event::WeightsRevealed {
				netuid: 1,
				who: VALIDATOR,
				commit_hash: hash_of(VALIDATOR, 1, &weights),
				dropped: 0,
			}
			.into(),
		);
	});
}

#[test]
fn reveal_window_bounds_are_exact() {
	build_and_execute(|| {
		let (first, last, late) = (standard(1), standard(2), standard(3));
		// Committed at blocks 1, 2 and 3: the windows are [11, 16), [12, 17) and [13, 18).
		for (block, weights) in [(1, &first), (2, &last), (3, &late)] {
			run_to_block(block);
			assert_ok!(commit(VALIDATOR, 1, weights));
		}
		run_to_block(1 + DELAY - 1);
		assert_noop!(reveal(VALIDATOR, 1, &first), Error::<Test>::RevealTooEarly);
		run_to_block(1 + DELAY);
		assert_ok!(reveal(VALIDATOR, 1, &first));
		run_to_block(2 + DELAY + WINDOW - 1);
		assert_ok!(reveal(VALIDATOR, 1, &last));
		run_to_block(3 + DELAY + WINDOW);
		assert_noop!(reveal(VALIDATOR, 1, &late), Error::<Test>::CommitExpired);
	});
}

#[test]
fn reveal_fails_on_bad_input() {
	build_and_execute(|| {
		let good = standard(1);
		assert_ok!(commit(VALIDATOR, 1, &good));
		run_to_block(1 + DELAY);

		let too_many = Reveal { uids: (0..9).collect(), values: vec![1; 9], ..good.clone() };
		assert_noop!(reveal(VALIDATOR, 1, &too_many), Error::<Test>::TooManyUids);
		let long_salt = Reveal { salt: vec![0; 13], ..good.clone() };
		assert_noop!(reveal(VALIDATOR, 1, &long_salt), Error::<Test>::SaltTooLong);
		let short_salt = Reveal { salt: vec![1; 7], ..good.clone() };
		assert_noop!(reveal(VALIDATOR, 1, &short_salt), Error::<Test>::SaltTooShort);
		assert_noop!(reveal(VALIDATOR, 9, &good), Error::<Test>::UnknownSubnet);
		assert_noop!(reveal(99, 1, &good), Error::<Test>::NotRegistered);
		assert_noop!(reveal(VALIDATOR_2, 1, &good), Error::<Test>::NoPendingCommits);
		assert_noop!(reveal(VALIDATOR, 1, &standard(2)), Error::<Test>::NoMatchingCommit);
		// The hash binds the hotkey and the subnet: a copy of another's reveal does not match.
		assert_ok!(commit(VALIDATOR_2, 1, &standard(9)));
		assert_noop!(reveal(VALIDATOR_2, 1, &good), Error::<Test>::NoMatchingCommit);
		// A validator whose permit went since its commit no longer sets weights.
		assert_ok!(Subnets::set_validator_permit(signed(OWNER), 1, 0, false));
		assert_noop!(reveal(VALIDATOR, 1, &good), Error::<Test>::NoValidatorPermit);
		assert_noop!(
			CommitReveal::reveal_weights(RuntimeOrigin::none(), 1, vec![], vec![], vec![], 0),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn reveal_of_invalid_weights_fails_with_the_weights_error() {
	build_and_execute(|| {
		// The subnet requires version key 5 when the commits are made; every case but the last
		// one meets it.
		let key = |version_key| Reveal { version_key, ..standard(0) };
		let cases = [
			(Reveal { uids: vec![0, 1], values: vec![1], ..key(5) }, Error::<Test>::LengthMismatch),
			(
				Reveal { uids: vec![1, 1], values: vec![1, 1], ..key(5) },
				Error::<Test>::DuplicateUid,
			),
			(
				// Seven weights on a subnet of at most six neurons (held uids, so none dropped).
				Reveal { uids: vec![0, 1, 2, 0, 1, 2, 0], values: vec![1; 7], ..key(5) },
				Error::<Test>::TooManyWeights,
			),
			(key(4), Error::<Test>::OutdatedVersionKey),
		];
		assert_ok!(Subnets::set_weights_version_key(signed(OWNER), 1, 5));
		for (index, (weights, _)) in cases.iter().enumerate() {
			let who = if index < 3 { VALIDATOR } else { VALIDATOR_2 };
			run_to_block(1 + index as u64);
			assert_ok!(commit(who, 1, weights));
		}
		run_to_block(4 + DELAY);
		for (index, (weights, error)) in cases.into_iter().enumerate() {
			let who = if index < 3 { VALIDATOR } else { VALIDATOR_2 };
			assert_noop!(reveal(who, 1, &weights), error);
		}
	});
}

#[test]
fn raising_the_version_key_does_not_strand_a_pending_commit() {
	build_and_execute(|| {
		assert_ok!(Subnets::set_weights_version_key(signed(OWNER), 1, 3));
		let weights = Reveal { version_key: 3, ..standard(1) };
		assert_ok!(commit(VALIDATOR, 1, &weights));
		assert_eq!(PendingCommits::<Test>::get(1, VALIDATOR)[0].min_version_key, 3);
		// The owner requires a newer validator while the commit waits; it was made under 3.
		assert_ok!(Subnets::set_weights_version_key(signed(OWNER), 1, 8));
		run_to_block(1 + DELAY);
		assert_ok!(reveal(VALIDATOR, 1, &weights));
		assert_eq!(stored_weights(1, 0), vec![(1, 100), (2, 200)]);
		// A commit made now must reveal version 8 or later.
		let stale = Reveal { version_key: 7, ..standard(2) };
		assert_ok!(commit(VALIDATOR, 1, &stale));
		run_to_block(1 + 2 * DELAY);
		assert_noop!(reveal(VALIDATOR, 1, &stale), Error::<Test>::OutdatedVersionKey);
	});
}

#[test]
fn uids_vacated_or_taken_over_since_the_commit_are_dropped() {
	build_and_execute(|| {
		let weights = Reveal { uids: vec![0, 1, 2], values: vec![10, 20, 30], ..standard(1) };
		assert_ok!(commit(VALIDATOR, 1, &weights));
		// uid 1's miner leaves and a newcomer takes the uid; uid 2's validator leaves.
		run_to_block(3);
		assert_ok!(Subnets::deregister(signed(MINER), 1, MINER));
		assert_ok!(Subnets::register(signed(99), 1));
		assert_eq!(pallet_subnets::Uids::<Test>::get(1, 99), Some(1));
		assert_ok!(Subnets::deregister(signed(VALIDATOR_2), 1, VALIDATOR_2));
		run_to_block(1 + DELAY);
		assert_ok!(reveal(VALIDATOR, 1, &weights));
		// Only uid 0 is held by whoever held it at the commit: the newcomer gets nothing.
		assert_eq!(stored_weights(1, 0), vec![(0, 10)]);
		System::assert_last_event(
			Event::WeightsRevealed {
				netuid: 1,
				who: VALIDATOR,
				commit_hash: hash_of(VALIDATOR, 1, &weights),
				dropped: 2,
			}
			.into(),
		);
		// Weights committed after the newcomer arrived reach it.
		let later = Reveal { uids: vec![1], values: vec![5], ..standard(2) };
		assert_ok!(commit(VALIDATOR, 1, &later));
		run_to_block(1 + 2 * DELAY);
		assert_ok!(reveal(VALIDATOR, 1, &later));
		assert_eq!(stored_weights(1, 0), vec![(1, 5)]);
	});
}

#[test]
fn pending_commits_reveal_out_of_order() {
	build_and_execute(|| {
		let (a, b, c) = (standard(1), standard(2), standard(3));
		assert_ok!(commit(VALIDATOR, 1, &a));
		run_to_block(2);
		assert_ok!(commit(VALIDATOR, 1, &b));
		run_to_block(3);
		assert_ok!(commit(VALIDATOR, 1, &c));
		run_to_block(3 + DELAY);
		assert_ok!(reveal(VALIDATOR, 1, &c));
		assert_ok!(reveal(VALIDATOR, 1, &a));
		assert_eq!(PendingCommits::<Test>::get(1, VALIDATOR).len(), 1);
		assert_ok!(reveal(VALIDATOR, 1, &b));
		assert!(!PendingCommits::<Test>::contains_key(1, VALIDATOR));
	});
}

#[test]
fn config_change_does_not_move_pending_windows() {
	build_and_execute(|| {
		let old = standard(1);
		assert_ok!(commit(VALIDATOR, 1, &old));
		assert_ok!(CommitReveal::set_reveal_config(signed(OWNER), 1, config(true, 2, 1)));
		// Under the new config a block-1 commit would have expired at block 4; this one keeps
		// its own window [11, 16).
		run_to_block(4);
		assert_noop!(reveal(VALIDATOR, 1, &old), Error::<Test>::RevealTooEarly);
		run_to_block(15);
		assert_ok!(reveal(VALIDATOR, 1, &old));
		// New commits take the new window: [17, 18).
		let new = standard(2);
		assert_ok!(commit(VALIDATOR, 1, &new));
		assert_eq!(
			PendingCommits::<Test>::get(1, VALIDATOR)[0],
			PendingCommit {
				hash: hash_of(VALIDATOR, 1, &new),
				committed_at: 15,
				reveal_from: 17,
				expires_at: 18,
				min_version_key: 0,
			}
		);
	});
}

#[test]
fn disabling_commit_reveal_keeps_pending_commits_revealable() {
	build_and_execute(|| {
		let weights = standard(1);
		assert_ok!(commit(VALIDATOR, 1, &weights));
		assert_ok!(CommitReveal::set_reveal_config(RuntimeOrigin::root(), 1, config(false, 1, 1)));
		run_to_block(1 + DELAY);
		assert_ok!(reveal(VALIDATOR, 1, &weights));
	});
}

#[test]
fn expired_commits_are_reclaimed_by_the_chain() {
	build_and_execute(|| {
		let weights = standard(1);
		let hash = hash_of(VALIDATOR, 1, &weights);
		assert_ok!(commit(VALIDATOR, 1, &weights));
		let reclaim_at = 1 + DELAY + WINDOW + ExpiredRetention::get();
		// Kept while retained, so a late reveal learns why it failed.
		run_to_block(reclaim_at - 1);
		assert_noop!(reveal(VALIDATOR, 1, &weights), Error::<Test>::CommitExpired);
		assert!(PendingCommits::<Test>::contains_key(1, VALIDATOR));
		// Reclaimed by the hook without any action of the validator.
		run_to_block(reclaim_at);
		assert!(!PendingCommits::<Test>::contains_key(1, VALIDATOR));
		System::assert_has_event(
			Event::CommitExpired { netuid: 1, who: VALIDATOR, commit_hash: hash }.into(),
		);
		assert_noop!(reveal(VALIDATOR, 1, &weights), Error::<Test>::NoPendingCommits);
	});
}

#[test]
fn reclaim_keeps_commits_that_have_not_expired() {
	build_and_execute(|| {
		assert_ok!(commit(VALIDATOR, 1, &standard(1)));
		// A longer window for the second commit: it outlives the first one's reclaim.
		assert_ok!(CommitReveal::set_reveal_config(signed(OWNER), 1, config(true, DELAY, 40)));
		run_to_block(2);
		assert_ok!(commit(VALIDATOR, 1, &standard(2)));
		run_to_block(1 + DELAY + WINDOW + ExpiredRetention::get());
		let left = PendingCommits::<Test>::get(1, VALIDATOR);
		assert_eq!(left.len(), 1);
		assert_eq!(left[0].hash, hash_of(VALIDATOR, 1, &standard(2)));
		check_invariants();
	});
}

#[test]
fn idle_reclaim_fits_the_spare_weight_and_resumes_from_its_cursor() {
	use crate::WeightInfo;
	use frame_support::{traits::Hooks, weights::Weight};
	build_and_execute(|| {
		assert_ok!(CommitReveal::set_reveal_config(signed(OWNER), 2, config(true, DELAY, WINDOW)));
		assert_ok!(commit(VALIDATOR, 1, &standard(1)));
		assert_ok!(commit(VALIDATOR_2, 1, &standard(1)));
		assert_ok!(CommitReveal::commit_weights(signed(VALIDATOR), 2, H256::repeat_byte(1)));
		// Straight to the block where all three lists are due, with no hook run on the way.
		let reclaim_at = 1 + DELAY + WINDOW + ExpiredRetention::get();
		System::set_block_number(reclaim_at);
		let lists = || PendingCommits::<Test>::iter().count();

		// Too little spare weight for one list: nothing is done, nothing is charged.
		let scarce = <() as WeightInfo>::reclaim_expired(1) - Weight::from_parts(1, 0);
		assert_eq!(CommitReveal::on_idle(reclaim_at, scarce), Weight::zero());
		assert_eq!(lists(), 3);

		// Room for two lists: two go, and the cursor marks where the walk stopped.
		let two = <() as WeightInfo>::reclaim_expired(2);
		assert_eq!(CommitReveal::on_idle(reclaim_at, two), two);
		assert_eq!(lists(), 1);
		assert!(ReclaimCursor::<Test>::exists());

		// The next block's walk goes on from the cursor, reaches the end and clears it.
		assert_eq!(
			CommitReveal::on_idle(reclaim_at, Weight::MAX),
			<() as WeightInfo>::reclaim_expired(1)
		);
		assert_eq!(lists(), 0);
		assert!(!ReclaimCursor::<Test>::exists());
	});
}

#[test]
fn idle_reclaim_visits_at_most_max_reclaim_per_block_lists() {
	use frame_support::{traits::Hooks, weights::Weight};
	build_and_execute(|| {
		assert_ok!(CommitReveal::set_reveal_config(signed(OWNER), 2, config(true, DELAY, WINDOW)));
		for hotkey in [30, 31, 32, 33] {
			assert_ok!(Subnets::register(signed(hotkey), 2));
			let uid = pallet_subnets::Uids::<Test>::get(2, hotkey).expect("just registered");
			assert_ok!(Subnets::set_validator_permit(signed(OWNER), 2, uid, true));
			assert_ok!(CommitReveal::commit_weights(signed(hotkey), 2, H256::repeat_byte(1)));
		}
		assert_ok!(commit(VALIDATOR, 1, &standard(1)));
		let reclaim_at = 1 + DELAY + WINDOW + ExpiredRetention::get();
		System::set_block_number(reclaim_at);
		CommitReveal::on_idle(reclaim_at, Weight::MAX);
		assert_eq!(PendingCommits::<Test>::iter().count(), 5 - MaxReclaimPerBlock::get() as usize);
	});
}

#[test]
fn a_deregistered_hotkey_leaves_no_commits_behind() {
	build_and_execute(|| {
		let weights = standard(1);
		assert_ok!(commit(VALIDATOR_2, 1, &weights));
		assert_ok!(Subnets::deregister(signed(OWNER), 1, VALIDATOR_2));
		assert!(!PendingCommits::<Test>::contains_key(1, VALIDATOR_2));
		assert!(!LastCommits::<Test>::contains_key(1, VALIDATOR_2));

		// Registered again (on a new uid, with a new permit), the hotkey cannot reveal what it
		// committed before: the old commit is gone, not waiting to be revealed.
		assert_ok!(Subnets::register(signed(VALIDATOR_2), 1));
		let uid = pallet_subnets::Uids::<Test>::get(1, VALIDATOR_2).expect("just registered");
		assert_ok!(Subnets::set_validator_permit(signed(OWNER), 1, uid, true));
		run_to_block(1 + DELAY);
		assert_noop!(reveal(VALIDATOR_2, 1, &weights), Error::<Test>::NoPendingCommits);
		assert_ok!(commit(VALIDATOR_2, 1, &weights));
	});
}

#[test]
fn batch_commit_works_across_subnets() {
	build_and_execute(|| {
		assert_ok!(CommitReveal::set_reveal_config(signed(OWNER), 2, config(true, 3, 2)));
		// Subnet 2 has a single neuron, uid 0.
		let on_subnet_2 = Reveal { uids: vec![0], values: vec![1], ..standard(1) };
		let (h1, h2) = (hash_of(VALIDATOR, 1, &standard(1)), hash_of(VALIDATOR, 2, &on_subnet_2));
		assert_ok!(CommitReveal::batch_commit_weights(signed(VALIDATOR), vec![(1, h1), (2, h2)]));
		assert_eq!(PendingCommits::<Test>::get(1, VALIDATOR)[0].hash, h1);
		assert_eq!(PendingCommits::<Test>::get(2, VALIDATOR)[0].reveal_from, 4);
		run_to_block(4);
		assert_ok!(reveal(VALIDATOR, 2, &on_subnet_2));
	});
}

#[test]
fn batch_commit_is_all_or_nothing() {
	build_and_execute(|| {
		let hash = H256::repeat_byte(3);
		// Subnet 2 does not run commit-reveal: the whole batch fails, subnet 1 included.
		assert_noop!(
			CommitReveal::batch_commit_weights(signed(VALIDATOR), vec![(1, hash), (2, hash)]),
			Error::<Test>::CommitRevealDisabled
		);
		assert_noop!(
			CommitReveal::batch_commit_weights(signed(VALIDATOR), vec![]),
			Error::<Test>::EmptyBatch
		);
		assert_noop!(
			CommitReveal::batch_commit_weights(signed(VALIDATOR), vec![(1, hash); 5]),
			Error::<Test>::BatchTooLarge
		);
		assert_noop!(
			CommitReveal::batch_commit_weights(RuntimeOrigin::none(), vec![(1, hash)]),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn batch_reveal_works_and_keeps_the_last_weights() {
	build_and_execute(|| {
		let first = standard(1);
		let second = Reveal { uids: vec![0], values: vec![9], ..standard(2) };
		assert_ok!(commit(VALIDATOR, 1, &first));
		run_to_block(2);
		assert_ok!(commit(VALIDATOR, 1, &second));
		run_to_block(2 + DELAY);
		assert_ok!(CommitReveal::batch_reveal_weights(signed(VALIDATOR), 1, vec![first, second]));
		assert!(!PendingCommits::<Test>::contains_key(1, VALIDATOR));
		assert_eq!(stored_weights(1, 0), vec![(0, 9)]);
	});
}

#[test]
fn batch_reveal_is_all_or_nothing() {
	build_and_execute(|| {
		let good = standard(1);
		assert_ok!(commit(VALIDATOR, 1, &good));
		run_to_block(2);
		assert_ok!(commit(VALIDATOR, 1, &standard(3)));
		run_to_block(2 + DELAY);
		// The first item would succeed alone; the second matches nothing, so neither lands.
		assert_noop!(
			CommitReveal::batch_reveal_weights(
				signed(VALIDATOR),
				1,
				vec![good.clone(), standard(2)]
			),
			Error::<Test>::NoMatchingCommit
		);
		assert_noop!(
			CommitReveal::batch_reveal_weights(signed(VALIDATOR), 1, vec![]),
			Error::<Test>::EmptyBatch
		);
		assert_noop!(
			CommitReveal::batch_reveal_weights(signed(VALIDATOR), 1, vec![good.clone(); 5]),
			Error::<Test>::BatchTooLarge
		);
		assert_noop!(
			CommitReveal::batch_reveal_weights(RuntimeOrigin::none(), 1, vec![good]),
			DispatchError::BadOrigin
		);
	});
}

#[test]
fn set_reveal_config_works_for_owner_and_root() {
	build_and_execute(|| {
		assert_ok!(CommitReveal::set_reveal_config(signed(OWNER), 2, config(true, 4, 3)));
		assert_eq!(RevealConfigs::<Test>::get(2), config(true, 4, 3));
		System::assert_last_event(
			Event::RevealConfigSet { netuid: 2, config: config(true, 4, 3) }.into(),
		);
		let bounds = RevealConfig {
			commit_interval: Some(MaxCommitInterval::get()),
			..config(false, MaxRevealDelay::get(), MaxRevealWindow::get())
		};
		assert_ok!(CommitReveal::set_reveal_config(RuntimeOrigin::root(), 2, bounds));
		assert_eq!(RevealConfigs::<Test>::get(2), bounds);
	});
}

#[test]
fn set_reveal_config_fails_on_bad_input() {
	build_and_execute(|| {
		let set = |origin, netuid, config| CommitReveal::set_reveal_config(origin, netuid, config);
		let valid = config(true, 1, 1);
		assert_noop!(set(signed(VALIDATOR), 1, valid), DispatchError::BadOrigin);
		assert_noop!(set(RuntimeOrigin::none(), 1, valid), DispatchError::BadOrigin);
		assert_noop!(set(RuntimeOrigin::root(), 9, valid), Error::<Test>::UnknownSubnet);
		assert_noop!(set(signed(OWNER), 1, config(true, 0, 1)), Error::<Test>::RevealDelayZero);
		// Even switched off: the config would apply as it stands once switched on.
		assert_noop!(set(signed(OWNER), 1, config(false, 0, 1)), Error::<Test>::RevealDelayZero);
		assert_noop!(
			set(signed(OWNER), 1, config(true, 101, 1)),
			Error::<Test>::RevealDelayTooLong
		);
		assert_noop!(set(signed(OWNER), 1, config(true, 1, 0)), Error::<Test>::RevealWindowZero);
		assert_noop!(
			set(signed(OWNER), 1, config(true, 1, 51)),
			Error::<Test>::RevealWindowTooLong
		);
		let interval = |blocks| RevealConfig { commit_interval: Some(blocks), ..valid };
		assert_noop!(set(signed(OWNER), 1, interval(0)), Error::<Test>::CommitIntervalZero);
		assert_noop!(set(signed(OWNER), 1, interval(51)), Error::<Test>::CommitIntervalTooLong);
	});
}

#[test]
fn plain_set_weights_follows_the_commit_reveal_switch() {
	build_and_execute(|| {
		assert!(CommitReveal::commit_reveal_enabled(1));
		assert!(!CommitReveal::commit_reveal_enabled(2));
		assert_noop!(
			Subnets::set_weights(signed(VALIDATOR), 1, vec![1], vec![1], 0),
			pallet_subnets::Error::<Test>::CommitRevealEnabled
		);
		assert_ok!(Subnets::set_weights(signed(VALIDATOR), 2, vec![0], vec![1], 0));
	});
}

#[test]
fn runtime_api_queries_report_storage() {
	build_and_execute(|| {
		assert_eq!(CommitReveal::reveal_config(1), config(true, DELAY, WINDOW));
		assert_eq!(CommitReveal::reveal_config(2), RevealConfig::default());
		assert!(CommitReveal::pending_commits(1, &VALIDATOR).is_empty());
		assert_ok!(commit(VALIDATOR, 1, &standard(1)));
		let pending = CommitReveal::pending_commits(1, &VALIDATOR);
		assert_eq!(pending.len(), 1);
		assert_eq!(pending[0].hash, hash_of(VALIDATOR, 1, &standard(1)));
	});
}
