//! A property test: random sequences of commits, reveals, config changes and block advances,
//! run against the pallet and against a small reference model of the rules in the pallet's docs.
//! After every step both must agree on the outcome and on every pending commit, storage must
//! stay within its bounds and the pallet's invariants must hold.

use super::*;
use proptest::prelude::*;
use std::collections::BTreeMap;

/// The hotkeys the sequences act as: two validators and a miner without a permit.
const ACTORS: [u64; 3] = [VALIDATOR, VALIDATOR_2, MINER];

#[derive(Clone, Debug)]
enum Op {
	Commit { actor: usize, salt: u16 },
	Reveal { actor: usize, salt: u16 },
	SetConfig { enabled: bool, delay: u64, window: u64, interval: Option<u64> },
	Advance { blocks: u64 },
}

fn op() -> impl Strategy<Value = Op> {
	prop_oneof![
		4 => (0..3usize, 0..5u16).prop_map(|(actor, salt)| Op::Commit { actor, salt }),
		4 => (0..3usize, 0..5u16).prop_map(|(actor, salt)| Op::Reveal { actor, salt }),
		1 => (any::<bool>(), 0..12u64, 0..8u64, prop::option::of(0..4u64)).prop_map(
			|(enabled, delay, window, interval)| Op::SetConfig { enabled, delay, window, interval }
		),
		3 => (1..8u64).prop_map(|blocks| Op::Advance { blocks }),
	]
}

/// What the rules say a pending commit is: its salt and its window `[from, until)`.
#[derive(Clone, Debug, PartialEq)]
struct ModelCommit {
	salt: u16,
	from: u64,
	until: u64,
}

/// The reference model of subnet 1.
struct Model {
	now: u64,
	config: RevealConfig<u64>,
	pending: BTreeMap<u64, Vec<ModelCommit>>,
	/// The block of each validator's last commit.
	last_commit: BTreeMap<u64, u64>,
}

impl Model {
	fn new() -> Self {
		Model {
			now: 1,
			config: config(true, DELAY, WINDOW),
			pending: BTreeMap::new(),
			last_commit: BTreeMap::new(),
		}
	}

	fn commit(&mut self, who: u64, salt: u16) -> Result<(), Error<Test>> {
		if !self.config.enabled {
			return Err(Error::CommitRevealDisabled);
		}
		if who == MINER {
			return Err(Error::NoValidatorPermit);
		}
		let now = self.now;
		let interval = self.config.commit_interval.unwrap_or(self.config.reveal_delay);
		if self.last_commit.get(&who).is_some_and(|last| now < last + interval) {
			return Err(Error::CommitRateLimited);
		}
		let list = self.pending.entry(who).or_default();
		let live: Vec<_> = list.iter().filter(|c| c.until > now).collect();
		if live.iter().any(|c| c.salt == salt) {
			return Err(Error::DuplicateCommit);
		}
		if live.len() as u32 >= MaxPendingCommits::get() {
			return Err(Error::TooManyPendingCommits);
		}
		list.retain(|c| c.until > now);
		let from = now + self.config.reveal_delay;
		list.push(ModelCommit { salt, from, until: from + self.config.reveal_window });
		self.last_commit.insert(who, now);
		Ok(())
	}

	fn reveal(&mut self, who: u64, salt: u16) -> Result<(), Error<Test>> {
		if who == MINER {
			return Err(Error::NoValidatorPermit);
		}
		let list = self.pending.entry(who).or_default();
		if list.is_empty() {
			return Err(Error::NoPendingCommits);
		}
		let index = list.iter().position(|c| c.salt == salt).ok_or(Error::NoMatchingCommit)?;
		if self.now < list[index].from {
			return Err(Error::RevealTooEarly);
		}
		if self.now >= list[index].until {
			return Err(Error::CommitExpired);
		}
		list.remove(index);
		Ok(())
	}

	fn set_config(&mut self, config: RevealConfig<u64>) -> Result<(), Error<Test>> {
		if config.reveal_delay == 0 {
			return Err(Error::RevealDelayZero);
		}
		if config.reveal_window == 0 {
			return Err(Error::RevealWindowZero);
		}
		if config.commit_interval == Some(0) {
			return Err(Error::CommitIntervalZero);
		}
		self.config = config;
		Ok(())
	}

	fn advance(&mut self, blocks: u64) {
		self.now += blocks;
		let cutoff = self.now.saturating_sub(ExpiredRetention::get());
		for list in self.pending.values_mut() {
			list.retain(|c| c.until > cutoff);
		}
	}

	/// The pending commits of `who` as the pallet should store them.
	fn expected(&self, who: u64) -> Vec<(H256, u64, u64)> {
		self.pending
			.get(&who)
			.into_iter()
			.flatten()
			.map(|c| (hash_of(who, 1, &weights(c.salt)), c.from, c.until))
			.collect()
	}
}

/// The weights a sequence reveals for `salt`: distinct per salt, valid on subnet 1.
fn weights(salt: u16) -> Reveal {
	let salt_words = vec![salt; MinSaltLen::get() as usize];
	Reveal { uids: vec![0, 1], values: vec![salt, 1], salt: salt_words, version_key: 0 }
}

fn outcome(result: DispatchResult) -> Result<(), DispatchError> {
	result
}

fn expect(model: Result<(), Error<Test>>) -> Result<(), DispatchError> {
	model.map_err(Into::into)
}

fn run(ops: &[Op]) -> Result<(), TestCaseError> {
	let mut model = Model::new();
	new_test_ext().execute_with(|| {
		for op in ops {
			match op.clone() {
				Op::Commit { actor, salt } => {
					let who = ACTORS[actor];
					let got = outcome(commit(who, 1, &weights(salt)));
					prop_assert_eq!(got, expect(model.commit(who, salt)), "{:?}", op);
				}
				Op::Reveal { actor, salt } => {
					let who = ACTORS[actor];
					let got = outcome(reveal(who, 1, &weights(salt)));
					prop_assert_eq!(got, expect(model.reveal(who, salt)), "{:?}", op);
				}
				Op::SetConfig { enabled, delay, window, interval } => {
					let new = RevealConfig {
						commit_interval: interval,
						..config(enabled, delay, window)
					};
					let got =
						outcome(CommitReveal::set_reveal_config(RuntimeOrigin::root(), 1, new));
					prop_assert_eq!(got, expect(model.set_config(new)), "{:?}", op);
				}
				Op::Advance { blocks } => {
					model.advance(blocks);
					run_to_block(model.now);
				}
			}
			for who in ACTORS {
				let stored: Vec<_> = PendingCommits::<Test>::get(1, who)
					.iter()
					.map(|c| (c.hash, c.reveal_from, c.expires_at))
					.collect();
				prop_assert!(stored.len() as u32 <= MaxPendingCommits::get());
				prop_assert_eq!(stored, model.expected(who), "pending of {} after {:?}", who, op);
			}
			check_invariants();
		}
		Ok(())
	})
}

proptest! {
	#![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

	#[test]
	fn pallet_agrees_with_the_reference_model(ops in prop::collection::vec(op(), 1..60)) {
		run(&ops)?;
	}
}
