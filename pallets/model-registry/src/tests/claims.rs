//! A property test: random sequences of announcements, commits, deregistrations,
//! registrations and block advances, run against the pallet and against a reference model of
//! the two-phase first-claim rule written from the specification. After every step both agree
//! on the outcome, on who holds which content since when, and on each hotkey's announcements;
//! each content hash has at most one owner, the hotkey whose current commitment holds it.

use super::*;
use proptest::prelude::*;
use std::collections::BTreeMap;

/// The hotkeys the sequences act as.
const ACTORS: [u64; 3] = [MINER_A, MINER_B, MINER_C];
/// The mock's `MaxAnnouncements`.
const MAX_ANNOUNCEMENTS: usize = 3;

#[derive(Clone, Debug)]
enum Op {
	Announce { actor: usize, content: u8 },
	Commit { actor: usize, content: u8 },
	Deregister { actor: usize },
	Register { actor: usize },
	Advance { blocks: u64 },
}

fn op() -> impl Strategy<Value = Op> {
	prop_oneof![
		4 => (0..3usize, 0..4u8).prop_map(|(actor, content)| Op::Announce { actor, content }),
		4 => (0..3usize, 0..4u8).prop_map(|(actor, content)| Op::Commit { actor, content }),
		1 => (0..3usize).prop_map(|actor| Op::Deregister { actor }),
		1 => (0..3usize).prop_map(|actor| Op::Register { actor }),
		3 => (1..4u64).prop_map(|blocks| Op::Advance { blocks }),
	]
}

/// One announcement in the reference model: the content, and the block it was made in.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Announced {
	content: u8,
	at: u64,
}

impl Announced {
	fn opens(&self) -> u64 {
		self.at + DELAY
	}
	fn expires(&self) -> u64 {
		self.at + DELAY + WINDOW
	}
}

/// The reference model: who is registered, who announced what, who holds which content since
/// which announcement block.
struct Model {
	now: u64,
	interval: u64,
	registered: [bool; 3],
	announced: BTreeMap<usize, Vec<Announced>>,
	held: BTreeMap<usize, (u8, u64)>,
}

impl Model {
	fn too_soon(&self, actor: usize, claimed_at: u64) -> bool {
		self.held.get(&actor).is_some_and(|(_, since)| claimed_at < since + self.interval)
	}

	fn announce(&mut self, actor: usize, content: u8) -> Result<(), Error<Test>> {
		if !self.registered[actor] {
			return Err(Error::NotRegistered);
		}
		if self.too_soon(actor, self.now) {
			return Err(Error::CommitRateLimited);
		}
		let mut list = self.announced.get(&actor).cloned().unwrap_or_default();
		list.retain(|a| self.now < a.expires());
		if list.iter().any(|a| a.content == content) {
			return Err(Error::DuplicateAnnouncement);
		}
		if list.len() == MAX_ANNOUNCEMENTS {
			return Err(Error::TooManyAnnouncements);
		}
		list.push(Announced { content, at: self.now });
		self.announced.insert(actor, list);
		Ok(())
	}

	fn commit(&mut self, actor: usize, content: u8) -> Result<(), Error<Test>> {
		if !self.registered[actor] {
			return Err(Error::NotRegistered);
		}
		let list = self.announced.get(&actor).cloned().unwrap_or_default();
		let position =
			list.iter().position(|a| a.content == content).ok_or(Error::UnknownAnnouncement)?;
		let announcement = list[position];
		if self.now < announcement.opens() {
			return Err(Error::ClaimTooEarly);
		}
		if self.now >= announcement.expires() {
			return Err(Error::AnnouncementExpired);
		}
		if self.held.get(&actor).is_some_and(|(held, _)| *held == content) {
			return Err(Error::ModelUnchanged);
		}
		if self.too_soon(actor, announcement.at) {
			return Err(Error::CommitRateLimited);
		}
		let holder = self
			.held
			.iter()
			.find(|(other, (held, _))| **other != actor && *held == content)
			.map(|(other, (_, since))| (*other, *since));
		if let Some((other, since)) = holder {
			if announcement.at >= since {
				return Err(Error::ModelAlreadyClaimed);
			}
			self.held.remove(&other);
		}
		let mut list = list;
		list.remove(position);
		if list.is_empty() {
			self.announced.remove(&actor);
		} else {
			self.announced.insert(actor, list);
		}
		self.held.insert(actor, (content, announcement.at));
		Ok(())
	}

	fn deregister(&mut self, actor: usize) -> Result<(), pallet_subnets::Error<Test>> {
		if !self.registered[actor] {
			return Err(pallet_subnets::Error::NotRegistered);
		}
		self.registered[actor] = false;
		self.held.remove(&actor);
		self.announced.remove(&actor);
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
	let mut model = Model {
		now: 1,
		interval,
		registered: [true; 3],
		announced: BTreeMap::new(),
		held: BTreeMap::new(),
	};
	new_test_ext().execute_with(|| {
		assert_ok!(ModelRegistry::set_commit_interval(RuntimeOrigin::root(), 1, interval));
		for op in ops {
			match *op {
				Op::Announce { actor, content } => {
					let got = announce(ACTORS[actor], content);
					let expected = model.announce(actor, content).map_err(DispatchError::from);
					prop_assert_eq!(got, expected, "{:?}", op);
				}
				Op::Commit { actor, content } => {
					let got = reveal(ACTORS[actor], content);
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
				let owner = HashOwners::<Test>::get(1, hash(content));
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
				let stored: Vec<(H256, u64)> = Announcements::<Test>::get(1, who)
					.iter()
					.map(|a| (a.binding, a.announced_at))
					.collect();
				let expected: Vec<(H256, u64)> = model
					.announced
					.get(&actor)
					.map(|list| list.iter().map(|a| (binding(who, a.content), a.at)).collect())
					.unwrap_or_default();
				prop_assert_eq!(stored, expected, "announcements of {} after {:?}", who, op);
			}
			ModelRegistry::do_try_state().expect("invariants hold");
		}
		Ok(())
	})
}

proptest! {
	#![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

	#[test]
	fn claims_agree_with_the_reference_model(
		ops in prop::collection::vec(op(), 1..60),
		interval in 0..4u64,
	) {
		run(&ops, interval)?;
	}
}
