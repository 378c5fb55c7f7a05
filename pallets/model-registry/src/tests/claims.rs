//! A property test: random sequences of commits, replacements, deregistrations, registrations
//! and block advances. After every step, each content hash has at most one owner, that owner is
//! the hotkey whose current commitment holds it, and the pallet agrees with a reference model
//! of the first-claim rule on every outcome.

use super::*;
use proptest::prelude::*;
use std::collections::BTreeMap;

/// The hotkeys the sequences act as.
const ACTORS: [u64; 3] = [MINER_A, MINER_B, MINER_C];

#[derive(Clone, Debug)]
enum Op {
	Commit { actor: usize, content: u8 },
	Deregister { actor: usize },
	Register { actor: usize },
	Advance { blocks: u64 },
}

fn op() -> impl Strategy<Value = Op> {
	prop_oneof![
		6 => (0..3usize, 0..4u8).prop_map(|(actor, content)| Op::Commit { actor, content }),
		1 => (0..3usize).prop_map(|actor| Op::Deregister { actor }),
		1 => (0..3usize).prop_map(|actor| Op::Register { actor }),
		2 => (1..4u64).prop_map(|blocks| Op::Advance { blocks }),
	]
}

/// The reference model: who is registered, who holds which content and since when.
struct Model {
	now: u64,
	interval: u64,
	registered: [bool; 3],
	held: BTreeMap<usize, (u8, u64)>,
}

impl Model {
	fn commit(&mut self, actor: usize, content: u8) -> Result<(), Error<Test>> {
		if !self.registered[actor] {
			return Err(Error::NotRegistered);
		}
		if self.held.iter().any(|(other, (held, _))| *other != actor && *held == content) {
			return Err(Error::ModelAlreadyClaimed);
		}
		if let Some((held, since)) = self.held.get(&actor) {
			if *held == content {
				return Err(Error::ModelUnchanged);
			}
			if self.now < since + self.interval {
				return Err(Error::CommitTooSoon);
			}
		}
		self.held.insert(actor, (content, self.now));
		Ok(())
	}

	fn deregister(&mut self, actor: usize) -> Result<(), pallet_subnets::Error<Test>> {
		if !self.registered[actor] {
			return Err(pallet_subnets::Error::NotRegistered);
		}
		self.registered[actor] = false;
		self.held.remove(&actor);
		Ok(())
	}

	fn register(&mut self, actor: usize) -> Result<(), pallet_subnets::Error<Test>> {
		if self.registered[actor] {
			return Err(pallet_subnets::Error::AlreadyRegistered);
		}
		self.registered[actor] = true;
		Ok(())
	}
}

fn run(ops: &[Op], interval: u64) -> Result<(), TestCaseError> {
	let mut model = Model { now: 1, interval, registered: [true; 3], held: BTreeMap::new() };
	new_test_ext().execute_with(|| {
		assert_ok!(ModelRegistry::set_commit_interval(RuntimeOrigin::root(), 1, interval));
		for op in ops {
			match *op {
				Op::Commit { actor, content } => {
					let got = commit(ACTORS[actor], content);
					let expected = model.commit(actor, content).map_err(DispatchError::from);
					prop_assert_eq!(got, expected, "{:?}", op);
				}
				Op::Deregister { actor } => {
					let who = ACTORS[actor];
					let got = Subnets::deregister(RuntimeOrigin::root(), 1, who);
					let expected = model.deregister(actor).map_err(DispatchError::from);
					prop_assert_eq!(got, expected, "{:?}", op);
				}
				Op::Register { actor } => {
					let got = Subnets::register(signed(ACTORS[actor]), 1);
					let expected = model.register(actor).map_err(DispatchError::from);
					prop_assert_eq!(got, expected, "{:?}", op);
				}
				Op::Advance { blocks } => {
					model.now += blocks;
					run_to_block(model.now);
				}
			}
			// Each content hash has at most one owner: the hotkey whose commitment holds it.
			for content in 0..4u8 {
				let owner = HashOwner::<Test>::get(1, hash(content));
				let holders: Vec<u64> = ACTORS
					.into_iter()
					.filter(|who| {
						Models::<Test>::get(1, who).map(|m| m.content_hash) == Some(hash(content))
					})
					.collect();
				prop_assert!(holders.len() <= 1, "content {} held by {:?}", content, holders);
				prop_assert_eq!(owner, holders.first().copied(), "content {}", content);
			}
			for (actor, who) in ACTORS.into_iter().enumerate() {
				let stored = Models::<Test>::get(1, who).map(|m| (m.content_hash, m.committed_at));
				let expected = model.held.get(&actor).map(|(c, since)| (hash(*c), *since));
				prop_assert_eq!(stored, expected, "model of {} after {:?}", who, op);
			}
			ModelRegistry::do_try_state().expect("invariants hold");
		}
		Ok(())
	})
}

proptest! {
	#![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

	#[test]
	fn each_content_hash_has_one_owner(
		ops in prop::collection::vec(op(), 1..50),
		interval in 0..4u64,
	) {
		run(&ops, interval)?;
	}
}
