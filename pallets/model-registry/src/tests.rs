//! Tests for the model registry pallet.

use crate::{mock::*, CommitInterval, Competitions, Error, Event, HashOwner, Models};
use frame_support::{assert_noop, assert_ok};
use galton_primitives::{Competition, EpsilonSchedule, MAX_REPO_LEN, MAX_REVISION_LEN};
use sp_core::H256;
use sp_runtime::{DispatchError, DispatchResult, Perbill};

mod claims;

fn signed(who: u64) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

fn hash(n: u8) -> H256 {
	H256::repeat_byte(n)
}

/// Commit content `n` as `who` on subnet 1, competition 0.
fn commit(who: u64, n: u8) -> DispatchResult {
	ModelRegistry::commit_model(signed(who), 1, 0, b"org/model".to_vec(), b"main".to_vec(), hash(n))
}

fn with_schedule(epsilon: EpsilonSchedule) -> Competition {
	Competition { epsilon, ..linear_competition() }
}

#[test]
fn commit_model_works() {
	build_and_execute(|| {
		assert_ok!(commit(MINER_A, 1));
		let model = Models::<Test>::get(1, MINER_A).expect("committed");
		assert_eq!(model.content_hash, hash(1));
		assert_eq!(model.committed_at, 1);
		assert_eq!(model.repo.to_vec(), b"org/model".to_vec());
		assert_eq!(model.revision.to_vec(), b"main".to_vec());
		assert_eq!(HashOwner::<Test>::get(1, hash(1)), Some(MINER_A));
		System::assert_last_event(
			Event::ModelCommitted {
				netuid: 1,
				hotkey: MINER_A,
				competition: 0,
				content_hash: hash(1),
				released: None,
			}
			.into(),
		);
	});
}

#[test]
fn commit_model_fails_on_bad_input() {
	build_and_execute(|| {
		let try_commit = |origin, netuid, competition, repo: &[u8], revision: &[u8]| {
			ModelRegistry::commit_model(
				origin,
				netuid,
				competition,
				repo.to_vec(),
				revision.to_vec(),
				hash(1),
			)
		};
		let long_repo = vec![b'a'; MAX_REPO_LEN as usize + 1];
		let long_revision = vec![b'a'; MAX_REVISION_LEN as usize + 1];
		let a = || signed(MINER_A);
		assert_noop!(try_commit(RuntimeOrigin::none(), 1, 0, b"r", b"v"), DispatchError::BadOrigin);
		assert_noop!(try_commit(a(), 1, 0, b"", b"v"), Error::<Test>::EmptyRepo);
		assert_noop!(try_commit(a(), 1, 0, &long_repo, b"v"), Error::<Test>::RepoTooLong);
		assert_noop!(try_commit(a(), 1, 0, b"r", b""), Error::<Test>::EmptyRevision);
		assert_noop!(try_commit(a(), 1, 0, b"r", &long_revision), Error::<Test>::RevisionTooLong);
		assert_noop!(try_commit(a(), 9, 0, b"r", b"v"), Error::<Test>::UnknownSubnet);
		assert_noop!(try_commit(signed(99), 1, 0, b"r", b"v"), Error::<Test>::NotRegistered);
		assert_noop!(try_commit(a(), 1, 7, b"r", b"v"), Error::<Test>::UnknownCompetition);
		// The longest allowed values pass.
		let repo = vec![b'a'; MAX_REPO_LEN as usize];
		let revision = vec![b'a'; MAX_REVISION_LEN as usize];
		assert_ok!(try_commit(a(), 1, 0, &repo, &revision));
	});
}

#[test]
fn a_second_hotkey_cannot_claim_the_same_content() {
	build_and_execute(|| {
		assert_ok!(commit(MINER_A, 1));
		assert_noop!(commit(MINER_B, 1), Error::<Test>::ModelAlreadyClaimed);
		// Claims are per subnet: the same content may enter another subnet.
		assert_ok!(ModelRegistry::commit_model(
			signed(MINER_A),
			2,
			0,
			b"org/model".to_vec(),
			b"main".to_vec(),
			hash(1)
		));
	});
}

#[test]
fn replacing_a_model_releases_the_old_claim() {
	build_and_execute(|| {
		assert_ok!(commit(MINER_A, 1));
		run_to_block(5);
		assert_ok!(commit(MINER_A, 2));
		assert_eq!(HashOwner::<Test>::get(1, hash(1)), None);
		assert_eq!(HashOwner::<Test>::get(1, hash(2)), Some(MINER_A));
		assert_eq!(Models::<Test>::get(1, MINER_A).map(|m| m.committed_at), Some(5));
		System::assert_last_event(
			Event::ModelCommitted {
				netuid: 1,
				hotkey: MINER_A,
				competition: 0,
				content_hash: hash(2),
				released: Some(hash(1)),
			}
			.into(),
		);
		assert_ok!(commit(MINER_B, 1));
	});
}

#[test]
fn recommitting_the_same_content_is_refused() {
	build_and_execute(|| {
		assert_ok!(commit(MINER_A, 1));
		assert_noop!(commit(MINER_A, 1), Error::<Test>::ModelUnchanged);
	});
}

#[test]
fn recommits_are_rate_limited() {
	build_and_execute(|| {
		assert_ok!(ModelRegistry::set_commit_interval(signed(OWNER), 1, 10));
		assert_ok!(commit(MINER_A, 1));
		run_to_block(10);
		assert_noop!(commit(MINER_A, 2), Error::<Test>::CommitTooSoon);
		// Another hotkey's first commit is not limited.
		assert_ok!(commit(MINER_B, 3));
		run_to_block(11);
		assert_ok!(commit(MINER_A, 2));
	});
}

#[test]
fn deregistering_removes_the_model_and_its_claim() {
	build_and_execute(|| {
		assert_ok!(commit(MINER_A, 1));
		assert_ok!(Subnets::deregister(signed(MINER_A), 1, MINER_A));
		assert!(Models::<Test>::get(1, MINER_A).is_none());
		assert_eq!(HashOwner::<Test>::get(1, hash(1)), None);
		System::assert_has_event(
			Event::ModelRemoved { netuid: 1, hotkey: MINER_A, content_hash: hash(1) }.into(),
		);
		assert_ok!(commit(MINER_B, 1));
		// A hotkey without a model deregisters quietly.
		assert_ok!(Subnets::deregister(signed(MINER_C), 1, MINER_C));
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
			Error::<Test>::ZeroMaxParams
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
			(linear(p(2), p(1), 0), Error::<Test>::EpsilonZeroDecayBlocks),
			(exponential(p(1), 10, p(2)), Error::<Test>::EpsilonFloorAboveStart),
			(exponential(p(2), 0, p(1)), Error::<Test>::EpsilonZeroPeriod),
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
		assert_ok!(commit(MINER_A, 1));
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
		assert_noop!(commit(MINER_B, 2), Error::<Test>::UnknownCompetition);
	});
}

#[test]
fn set_commit_interval_works_and_checks_input() {
	build_and_execute(|| {
		assert_ok!(ModelRegistry::set_commit_interval(RuntimeOrigin::root(), 1, 1_000));
		assert_eq!(CommitInterval::<Test>::get(1), 1_000);
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
		assert_ok!(commit(MINER_A, 1));
		assert_ok!(ModelRegistry::commit_model(
			signed(MINER_B),
			1,
			1,
			b"org/b".to_vec(),
			b"main".to_vec(),
			hash(2)
		));
		let parts = |who| ModelRegistry::effective_epsilon(1, &who).map(|e| e.deconstruct());
		assert_eq!(parts(MINER_A), Some(5_000_000));
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
		assert_ok!(commit(MINER_A, 1));
		run_to_block(1 + 14_400);
		let models = ModelRegistry::models(1);
		assert_eq!(models.len(), 1);
		let (hotkey, model, epsilon) = &models[0];
		assert_eq!((*hotkey, model.content_hash), (MINER_A, hash(1)));
		assert_eq!(*epsilon, Perbill::from_parts(100_000));
	});
}
