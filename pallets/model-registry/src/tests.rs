//! Tests for the model registry pallet.

use crate::{
	mock::*, Announcements, ClaimConfigs, CommitIntervals, Competitions, Error, Event, HashOwners,
	Models,
};
use frame_support::{assert_noop, assert_ok};
use galton_primitives::{
	announcement_binding, Announcement, ClaimConfig, ClaimNonce, Competition, EpsilonSchedule,
	MAX_REPO_LEN, MAX_REVISION_LEN,
};
use sp_core::H256;
use sp_runtime::{DispatchError, DispatchResult, Perbill};

mod claims;

/// The mock's claim delay: a commit opens this many blocks after its announcement.
const DELAY: u64 = 2;
/// The mock's claim window.
const WINDOW: u64 = 5;

fn signed(who: u64) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

fn hash(n: u8) -> H256 {
	H256::repeat_byte(n)
}

fn nonce(n: u8) -> ClaimNonce {
	[n.wrapping_add(100); 32]
}

fn now() -> u64 {
	System::block_number()
}

/// `who`'s binding of content `n` with nonce `nonce(n)`.
fn binding(who: u64, n: u8) -> H256 {
	announcement_binding(&who, &hash(n), &nonce(n))
}

/// Announce content `n` as `who` on subnet 1, competition 0.
fn announce(who: u64, n: u8) -> DispatchResult {
	ModelRegistry::announce_model(signed(who), 1, 0, binding(who, n))
}

/// Commit content `n` (announced before) as `who` on subnet 1, competition 0.
fn reveal(who: u64, n: u8) -> DispatchResult {
	ModelRegistry::commit_model(
		signed(who),
		1,
		0,
		b"org/model".to_vec(),
		b"main".to_vec(),
		hash(n),
		nonce(n),
	)
}

/// Both phases: announce content `n` as `who`, wait for the window, commit it.
fn claim(who: u64, n: u8) -> DispatchResult {
	announce(who, n)?;
	run_to_block(now() + DELAY);
	reveal(who, n)
}

fn with_schedule(epsilon: EpsilonSchedule) -> Competition {
	Competition { epsilon, ..linear_competition() }
}

#[test]
fn announce_model_stores_the_binding_and_its_window() {
	build_and_execute(|| {
		assert_ok!(announce(MINER_A, 1));
		let expected = Announcement {
			binding: binding(MINER_A, 1),
			competition: 0,
			announced_at: 1,
			reveal_from: 1 + DELAY,
			expires_at: 1 + DELAY + WINDOW,
		};
		assert_eq!(Announcements::<Test>::get(1, MINER_A).to_vec(), vec![expected]);
		assert_eq!(ModelRegistry::announcements(1, &MINER_A), vec![expected]);
		System::assert_last_event(
			Event::ModelAnnounced {
				netuid: 1,
				hotkey: MINER_A,
				competition: 0,
				binding: binding(MINER_A, 1),
				reveal_from: 3,
				expires_at: 8,
			}
			.into(),
		);
		// Nothing about the model is stored before the commit.
		assert_eq!(HashOwners::<Test>::get(1, hash(1)), None);
		assert!(Models::<Test>::get(1, MINER_A).is_none());
		// The runtime API leaves expired announcements out.
		run_to_block(8);
		assert!(ModelRegistry::announcements(1, &MINER_A).is_empty());
	});
}

#[test]
fn announce_model_fails_on_bad_input() {
	build_and_execute(|| {
		let try_announce = |origin, netuid, competition| {
			ModelRegistry::announce_model(origin, netuid, competition, binding(MINER_A, 1))
		};
		assert_noop!(try_announce(RuntimeOrigin::none(), 1, 0), DispatchError::BadOrigin);
		assert_noop!(try_announce(signed(MINER_A), 9, 0), Error::<Test>::UnknownSubnet);
		assert_noop!(try_announce(signed(99), 1, 0), Error::<Test>::NotRegistered);
		assert_noop!(try_announce(signed(MINER_A), 1, 7), Error::<Test>::UnknownCompetition);
		assert_ok!(try_announce(signed(MINER_A), 1, 0));
		assert_noop!(try_announce(signed(MINER_A), 1, 0), Error::<Test>::DuplicateAnnouncement);
	});
}

#[test]
fn a_hotkey_holds_a_bounded_number_of_announcements_and_expired_ones_are_pruned() {
	build_and_execute(|| {
		for n in 1..=3 {
			assert_ok!(announce(MINER_A, n));
		}
		assert_noop!(announce(MINER_A, 4), Error::<Test>::TooManyAnnouncements);
		// Once the first three expire, announcing again prunes them.
		run_to_block(1 + DELAY + WINDOW);
		assert_ok!(announce(MINER_A, 4));
		assert_eq!(Announcements::<Test>::get(1, MINER_A).len(), 1);
	});
}

#[test]
fn commit_model_works() {
	build_and_execute(|| {
		assert_ok!(announce(MINER_A, 1));
		run_to_block(1 + DELAY);
		assert_ok!(reveal(MINER_A, 1));
		let model = Models::<Test>::get(1, MINER_A).expect("committed");
		assert_eq!(model.content_hash, hash(1));
		// The model's age counts from the announcement, not the commit.
		assert_eq!(model.committed_at, 1);
		assert_eq!(model.repo.to_vec(), b"org/model".to_vec());
		assert_eq!(model.revision.to_vec(), b"main".to_vec());
		assert_eq!(HashOwners::<Test>::get(1, hash(1)), Some(MINER_A));
		// The announcement is used up, and its storage entry is gone.
		assert!(!Announcements::<Test>::contains_key(1, MINER_A));
		System::assert_last_event(
			Event::ModelCommitted {
				netuid: 1,
				hotkey: MINER_A,
				competition: 0,
				content_hash: hash(1),
				released: None,
				announced_at: 1,
			}
			.into(),
		);
	});
}

#[test]
fn commit_model_fails_on_bad_input() {
	build_and_execute(|| {
		assert_ok!(announce(MINER_A, 1));
		run_to_block(1 + DELAY);
		let try_commit = |origin, netuid, competition, repo: &[u8], revision: &[u8]| {
			ModelRegistry::commit_model(
				origin,
				netuid,
				competition,
				repo.to_vec(),
				revision.to_vec(),
				hash(1),
				nonce(1),
			)
		};
		let long_repo = vec![b'a'; MAX_REPO_LEN as usize + 1];
		let long_revision = vec![b'a'; MAX_REVISION_LEN as usize + 1];
		let a = || signed(MINER_A);
		let (repo, main) = (&b"org/r"[..], &b"main"[..]);
		assert_noop!(try_commit(RuntimeOrigin::none(), 1, 0, repo, main), DispatchError::BadOrigin);
		assert_noop!(try_commit(a(), 1, 0, b"", main), Error::<Test>::EmptyRepo);
		assert_noop!(try_commit(a(), 1, 0, &long_repo, main), Error::<Test>::RepoTooLong);
		for bad in [&b"noslash"[..], b"../etc", b"org/na me", b"org/", b"a/b/c"] {
			assert_noop!(try_commit(a(), 1, 0, bad, main), Error::<Test>::MalformedRepo);
		}
		assert_noop!(try_commit(a(), 1, 0, repo, b""), Error::<Test>::EmptyRevision);
		assert_noop!(try_commit(a(), 1, 0, repo, &long_revision), Error::<Test>::RevisionTooLong);
		for bad in [&b"../x"[..], b".hidden", b"a b", b"x.lock", b"a//b"] {
			assert_noop!(try_commit(a(), 1, 0, repo, bad), Error::<Test>::MalformedRevision);
		}
		assert_noop!(try_commit(a(), 9, 0, repo, main), Error::<Test>::UnknownSubnet);
		assert_noop!(try_commit(signed(99), 1, 0, repo, main), Error::<Test>::NotRegistered);
		assert_noop!(try_commit(a(), 1, 7, repo, main), Error::<Test>::UnknownCompetition);
		// A second competition exists, but the announcement named competition 0.
		let second =
			Competition { reward_share: Perbill::from_percent(10), ..linear_competition() };
		assert_ok!(ModelRegistry::set_competition(RuntimeOrigin::root(), 1, 1, second));
		assert_noop!(try_commit(a(), 1, 1, repo, main), Error::<Test>::CompetitionMismatch);
		// The longest allowed values pass.
		let repo = [&vec![b'o'; 31][..], b"/", &vec![b'n'; 96][..]].concat();
		let revision = vec![b'v'; MAX_REVISION_LEN as usize];
		assert_ok!(try_commit(a(), 1, 0, &repo, &revision));
	});
}

#[test]
fn a_commit_must_open_its_own_announcement() {
	build_and_execute(|| {
		assert_ok!(announce(MINER_A, 1));
		run_to_block(1 + DELAY);
		let commit = |who, content: u8, nonce: ClaimNonce| {
			ModelRegistry::commit_model(
				signed(who),
				1,
				0,
				b"org/model".to_vec(),
				b"main".to_vec(),
				hash(content),
				nonce,
			)
		};
		// Never announced.
		assert_noop!(commit(MINER_A, 2, nonce(2)), Error::<Test>::UnknownAnnouncement);
		// The right content with the wrong nonce.
		assert_noop!(commit(MINER_A, 1, nonce(9)), Error::<Test>::UnknownAnnouncement);
		// A copier who learnt A's content hash and even A's nonce cannot open A's binding: the
		// hotkey is inside it.
		assert_noop!(commit(MINER_B, 1, nonce(1)), Error::<Test>::UnknownAnnouncement);
		assert_ok!(commit(MINER_A, 1, nonce(1)));
	});
}

#[test]
fn a_commit_is_accepted_only_inside_its_window() {
	build_and_execute(|| {
		assert_ok!(announce(MINER_A, 1));
		assert_noop!(reveal(MINER_A, 1), Error::<Test>::ClaimTooEarly);
		run_to_block(1 + DELAY - 1);
		assert_noop!(reveal(MINER_A, 1), Error::<Test>::ClaimTooEarly);
		run_to_block(1 + DELAY + WINDOW);
		assert_noop!(reveal(MINER_A, 1), Error::<Test>::AnnouncementExpired);

		// The last block of a window is inside it.
		assert_ok!(announce(MINER_A, 2));
		run_to_block(now() + DELAY + WINDOW - 1);
		assert_ok!(reveal(MINER_A, 2));
	});
}

#[test]
fn a_later_announcement_of_the_same_content_is_refused() {
	build_and_execute(|| {
		assert_ok!(announce(MINER_A, 1));
		// The copier saw the model (on the hub, say) and announces it one block later.
		run_to_block(2);
		let copier_binding = announcement_binding(&MINER_B, &hash(1), &nonce(7));
		assert_ok!(ModelRegistry::announce_model(signed(MINER_B), 1, 0, copier_binding));
		run_to_block(1 + DELAY);
		assert_ok!(reveal(MINER_A, 1));
		run_to_block(2 + DELAY);
		let copy = ModelRegistry::commit_model(
			signed(MINER_B),
			1,
			0,
			b"copier/model".to_vec(),
			b"main".to_vec(),
			hash(1),
			nonce(7),
		);
		assert_noop!(copy, Error::<Test>::ModelAlreadyClaimed);
		// Claims are per subnet: the same content may enter another subnet.
		let other = announcement_binding(&MINER_A, &hash(1), &nonce(8));
		assert_ok!(ModelRegistry::announce_model(signed(MINER_A), 2, 0, other));
		run_to_block(now() + DELAY);
		assert_ok!(ModelRegistry::commit_model(
			signed(MINER_A),
			2,
			0,
			b"org/model".to_vec(),
			b"main".to_vec(),
			hash(1),
			nonce(8)
		));
	});
}

#[test]
fn on_equal_announcement_blocks_the_first_to_commit_keeps_the_claim() {
	build_and_execute(|| {
		assert_ok!(announce(MINER_A, 1));
		assert_ok!(announce(MINER_B, 1));
		run_to_block(1 + DELAY);
		assert_ok!(reveal(MINER_B, 1));
		assert_noop!(reveal(MINER_A, 1), Error::<Test>::ModelAlreadyClaimed);
	});
}

#[test]
fn an_earlier_announcement_takes_the_claim_from_a_later_one() {
	build_and_execute(|| {
		// A announces first but commits late; the copier B announces later and commits as
		// soon as its window opens.
		assert_ok!(announce(MINER_A, 1));
		run_to_block(2);
		assert_ok!(announce(MINER_B, 1));
		run_to_block(2 + DELAY);
		assert_ok!(reveal(MINER_B, 1));
		assert_eq!(HashOwners::<Test>::get(1, hash(1)), Some(MINER_B));

		run_to_block(1 + DELAY + WINDOW - 1);
		assert_ok!(reveal(MINER_A, 1));
		assert_eq!(HashOwners::<Test>::get(1, hash(1)), Some(MINER_A));
		assert_eq!(Models::<Test>::get(1, MINER_A).map(|m| m.committed_at), Some(1));
		assert!(Models::<Test>::get(1, MINER_B).is_none(), "the copier's model is removed");
		System::assert_has_event(
			Event::ClaimTaken { netuid: 1, content_hash: hash(1), from: MINER_B, to: MINER_A }
				.into(),
		);
	});
}

#[test]
fn replacing_a_model_releases_the_old_claim() {
	build_and_execute(|| {
		assert_ok!(claim(MINER_A, 1));
		run_to_block(5);
		assert_ok!(claim(MINER_A, 2));
		assert_eq!(HashOwners::<Test>::get(1, hash(1)), None);
		assert_eq!(HashOwners::<Test>::get(1, hash(2)), Some(MINER_A));
		assert_eq!(Models::<Test>::get(1, MINER_A).map(|m| m.committed_at), Some(5));
		System::assert_last_event(
			Event::ModelCommitted {
				netuid: 1,
				hotkey: MINER_A,
				competition: 0,
				content_hash: hash(2),
				released: Some(hash(1)),
				announced_at: 5,
			}
			.into(),
		);
		assert_ok!(claim(MINER_B, 1));
	});
}

#[test]
fn recommitting_the_same_content_is_refused() {
	build_and_execute(|| {
		assert_ok!(claim(MINER_A, 1));
		let again = announcement_binding(&MINER_A, &hash(1), &nonce(9));
		assert_ok!(ModelRegistry::announce_model(signed(MINER_A), 1, 0, again));
		run_to_block(now() + DELAY);
		let recommit = ModelRegistry::commit_model(
			signed(MINER_A),
			1,
			0,
			b"org/model".to_vec(),
			b"main".to_vec(),
			hash(1),
			nonce(9),
		);
		assert_noop!(recommit, Error::<Test>::ModelUnchanged);
	});
}

#[test]
fn claims_are_rate_limited() {
	build_and_execute(|| {
		assert_ok!(ModelRegistry::set_commit_interval(signed(OWNER), 1, 10));
		assert_ok!(claim(MINER_A, 1)); // announced at 1
		run_to_block(10);
		assert_noop!(announce(MINER_A, 2), Error::<Test>::CommitRateLimited);
		// Another hotkey's first claim is not limited.
		assert_ok!(announce(MINER_B, 3));
		run_to_block(11);
		assert_ok!(claim(MINER_A, 2));
	});
}

#[test]
fn an_announcement_older_than_the_current_model_cannot_replace_it() {
	build_and_execute(|| {
		assert_ok!(announce(MINER_A, 1)); // block 1
		run_to_block(2);
		assert_ok!(announce(MINER_A, 2)); // block 2
		run_to_block(2 + DELAY);
		assert_ok!(reveal(MINER_A, 2));
		assert_noop!(reveal(MINER_A, 1), Error::<Test>::CommitRateLimited);
	});
}

#[test]
fn deregistering_removes_the_model_its_claim_and_announcements() {
	build_and_execute(|| {
		assert_ok!(claim(MINER_A, 1));
		assert_ok!(announce(MINER_A, 2));
		assert_ok!(Subnets::deregister(signed(MINER_A), 1, MINER_A));
		assert!(Models::<Test>::get(1, MINER_A).is_none());
		assert_eq!(HashOwners::<Test>::get(1, hash(1)), None);
		assert!(!Announcements::<Test>::contains_key(1, MINER_A));
		System::assert_has_event(
			Event::ModelRemoved { netuid: 1, hotkey: MINER_A, content_hash: hash(1) }.into(),
		);
		assert_ok!(claim(MINER_B, 1));
		// Registered again (on a reused uid), the hotkey starts with nothing to commit.
		assert_ok!(Subnets::register(signed(MINER_A), 1));
		run_to_block(now() + DELAY);
		assert_noop!(reveal(MINER_A, 2), Error::<Test>::UnknownAnnouncement);
		// A hotkey without a model deregisters quietly.
		assert_ok!(Subnets::deregister(signed(MINER_C), 1, MINER_C));
	});
}

#[test]
fn set_claim_config_works_and_keeps_pending_windows() {
	build_and_execute(|| {
		assert_eq!(
			ModelRegistry::claim_config(1),
			ClaimConfig { reveal_delay: 2, reveal_window: 5 }
		);
		assert_ok!(announce(MINER_A, 1));
		let config = ClaimConfig { reveal_delay: 50, reveal_window: 100 };
		assert_ok!(ModelRegistry::set_claim_config(signed(OWNER), 1, config));
		assert_eq!(ClaimConfigs::<Test>::get(1), config);
		assert_eq!(ModelRegistry::claim_config(1), config);
		System::assert_last_event(Event::ClaimConfigSet { netuid: 1, config }.into());
		// The announcement made before keeps its window.
		run_to_block(1 + DELAY);
		assert_ok!(reveal(MINER_A, 1));
		// New announcements get the new one.
		assert_ok!(announce(MINER_B, 2));
		assert_eq!(ModelRegistry::announcements(1, &MINER_B)[0].reveal_from, now() + 50);
	});
}

#[test]
fn set_claim_config_fails_on_bad_input() {
	build_and_execute(|| {
		let set = |origin, netuid, reveal_delay, reveal_window| {
			ModelRegistry::set_claim_config(
				origin,
				netuid,
				ClaimConfig { reveal_delay, reveal_window },
			)
		};
		let root = RuntimeOrigin::root;
		assert_noop!(set(signed(MINER_A), 1, 1, 1), DispatchError::BadOrigin);
		assert_noop!(set(root(), 9, 1, 1), Error::<Test>::UnknownSubnet);
		assert_noop!(set(root(), 1, 0, 1), Error::<Test>::ClaimDelayZero);
		assert_noop!(set(root(), 1, 101, 1), Error::<Test>::ClaimDelayTooLong);
		assert_noop!(set(root(), 1, 1, 0), Error::<Test>::ClaimWindowZero);
		assert_noop!(set(root(), 1, 1, 201), Error::<Test>::ClaimWindowTooLong);
		assert_ok!(set(root(), 1, 100, 200));
	});
}

#[test]
fn set_competition_works() {
	build_and_execute(|| {
		let second =
			Competition { reward_share: Perbill::from_percent(40), ..linear_competition() };
		assert_ok!(ModelRegistry::set_competition(signed(OWNER), 1, 1, second));
		System::assert_last_event(
			Event::CompetitionSet { netuid: 1, id: 1, competition: second }.into(),
		);
		// Changing a competition replaces its own share: 60% -> 60% is still within 100%.
		assert_ok!(ModelRegistry::set_competition(
			RuntimeOrigin::root(),
			1,
			0,
			linear_competition()
		));
		assert_eq!(Competitions::<Test>::get(1).len(), 2);
	});
}

#[test]
fn set_competition_fails_on_bad_input() {
	build_and_execute(|| {
		let p = Perbill::from_percent;
		let set = |origin, netuid, id, competition| {
			ModelRegistry::set_competition(origin, netuid, id, competition)
		};
		let root = RuntimeOrigin::root;
		let valid = Competition { reward_share: p(10), ..linear_competition() };
		assert_noop!(set(signed(MINER_A), 1, 1, valid), DispatchError::BadOrigin);
		assert_noop!(set(root(), 9, 1, valid), Error::<Test>::UnknownSubnet);
		assert_noop!(
			set(root(), 1, 1, Competition { max_params: 0, ..valid }),
			Error::<Test>::MaxParamsZero
		);
		let linear =
			|start, end, decay_blocks| EpsilonSchedule::Linear { start, end, decay_blocks };
		let exponential = |start, period_blocks, floor| EpsilonSchedule::Exponential {
			start,
			retain: p(99),
			period_blocks,
			floor,
		};
		let cases = [
			(linear(p(1), p(2), 10), Error::<Test>::EpsilonEndAboveStart),
			(linear(p(2), p(1), 0), Error::<Test>::EpsilonDecayBlocksZero),
			(exponential(p(1), 10, p(2)), Error::<Test>::EpsilonFloorAboveStart),
			(exponential(p(2), 0, p(1)), Error::<Test>::EpsilonPeriodZero),
		];
		for (epsilon, error) in cases {
			assert_noop!(set(root(), 1, 1, Competition { epsilon, ..valid }), error);
		}
		assert_noop!(
			set(root(), 1, 1, Competition { reward_share: p(41), ..valid }),
			Error::<Test>::RewardSharesExceedWhole
		);
		assert_ok!(set(root(), 1, 1, valid));
		assert_ok!(set(root(), 1, 2, valid));
		assert_noop!(
			set(root(), 1, 3, Competition { reward_share: p(0), ..valid }),
			Error::<Test>::TooManyCompetitions
		);
	});
}

#[test]
fn remove_competition_works_and_checks_input() {
	build_and_execute(|| {
		assert_ok!(claim(MINER_A, 1));
		assert_noop!(
			ModelRegistry::remove_competition(signed(MINER_A), 1, 0),
			DispatchError::BadOrigin
		);
		assert_noop!(
			ModelRegistry::remove_competition(RuntimeOrigin::root(), 9, 0),
			Error::<Test>::UnknownSubnet
		);
		assert_noop!(
			ModelRegistry::remove_competition(signed(OWNER), 1, 4),
			Error::<Test>::UnknownCompetition
		);
		assert_ok!(ModelRegistry::remove_competition(signed(OWNER), 1, 0));
		System::assert_last_event(Event::CompetitionRemoved { netuid: 1, id: 0 }.into());
		// The model stays, but has no epsilon and cannot be re-entered in the removed competition.
		assert_eq!(ModelRegistry::effective_epsilon(1, &MINER_A), None);
		assert_eq!(ModelRegistry::models(1)[0].2, Perbill::zero());
		assert_noop!(announce(MINER_B, 2), Error::<Test>::UnknownCompetition);
	});
}

#[test]
fn set_commit_interval_works_and_checks_input() {
	build_and_execute(|| {
		assert_ok!(ModelRegistry::set_commit_interval(RuntimeOrigin::root(), 1, 1_000));
		assert_eq!(CommitIntervals::<Test>::get(1), 1_000);
		System::assert_last_event(Event::CommitIntervalSet { netuid: 1, blocks: 1_000 }.into());
		assert_noop!(
			ModelRegistry::set_commit_interval(signed(OWNER), 1, 1_001),
			Error::<Test>::CommitIntervalTooLong
		);
		assert_noop!(
			ModelRegistry::set_commit_interval(signed(MINER_A), 1, 5),
			DispatchError::BadOrigin
		);
		assert_noop!(
			ModelRegistry::set_commit_interval(RuntimeOrigin::root(), 9, 5),
			Error::<Test>::UnknownSubnet
		);
	});
}

/// The worked example of the docs: epsilon one day (7200 blocks of 12 s) and one week after the
/// commit, for the default linear schedule and for the SN29-style exponential one.
#[test]
fn epsilon_one_day_and_one_week_after_commit() {
	build_and_execute(|| {
		let exponential = with_schedule(EpsilonSchedule::Exponential {
			start: Perbill::from_parts(4_000_000),
			retain: Perbill::from_parts(995_000_000),
			period_blocks: 361,
			floor: Perbill::zero(),
		});
		assert_ok!(ModelRegistry::set_competition(
			signed(OWNER),
			1,
			1,
			Competition { reward_share: Perbill::from_percent(40), ..exponential }
		));
		// Both announce at block 1; their ages count from there.
		assert_ok!(announce(MINER_A, 1));
		let b = announcement_binding(&MINER_B, &hash(2), &nonce(2));
		assert_ok!(ModelRegistry::announce_model(signed(MINER_B), 1, 1, b));
		run_to_block(1 + DELAY);
		assert_ok!(reveal(MINER_A, 1));
		assert_ok!(ModelRegistry::commit_model(
			signed(MINER_B),
			1,
			1,
			b"org/b".to_vec(),
			b"main".to_vec(),
			hash(2),
			nonce(2)
		));
		let parts = |who| ModelRegistry::effective_epsilon(1, &who).map(|e| e.deconstruct());
		// Two blocks old at the commit: 0.5% - 0.49% x 2 / 14400, floored on parts.
		assert_eq!(parts(MINER_A), Some(4_999_320));
		assert_eq!(parts(MINER_B), Some(4_000_000));
		run_to_block(1 + 7_200);
		assert_eq!(parts(MINER_A), Some(2_550_000)); // 0.255%
		assert_eq!(parts(MINER_B), Some(3_636_625)); // 0.4% x 0.995^19
		run_to_block(1 + 50_400);
		assert_eq!(parts(MINER_A), Some(100_000)); // 0.01%
		assert_eq!(parts(MINER_B), Some(1_992_820)); // 0.4% x 0.995^139
		assert_eq!(parts(MINER_C), None);
	});
}

#[test]
fn runtime_api_queries_report_storage() {
	build_and_execute(|| {
		assert_eq!(ModelRegistry::competitions(1), vec![(0, linear_competition())]);
		assert!(ModelRegistry::models(1).is_empty());
		assert_ok!(claim(MINER_A, 1));
		run_to_block(1 + 14_400);
		let models = ModelRegistry::models(1);
		assert_eq!(models.len(), 1);
		let (hotkey, model, epsilon) = &models[0];
		assert_eq!((*hotkey, model.content_hash), (MINER_A, hash(1)));
		assert_eq!(*epsilon, Perbill::from_parts(100_000));
	});
}
