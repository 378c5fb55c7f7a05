//! End-to-end tests of `galton-node --dev`: block production and finality, commit-reveal of
//! weights through the transaction pool, two-phase first-claim protection of models against a
//! copier who front-runs with higher tips, and the Galton runtime APIs over `state_call`.

use galton_e2e::{module_error, Node, RpcError};
use galton_primitives::{
	announcement_binding, commit_hash, Announcement, ClaimConfig, ClaimNonce, Competition,
	CompetitionId, PendingCommit, RevealConfig,
};
use galton_runtime::{AccountId, Runtime, RuntimeCall, RuntimeEvent, UNIT};
use polkadot_sdk::{
	frame_system, pallet_balances, pallet_utility,
	sp_core::{sr25519, Pair, H256},
	sp_keyring::Sr25519Keyring::{self, Alice, Bob, Charlie},
	sp_runtime::Perbill,
};
use std::time::Duration;

/// Block time of the test devnets, in milliseconds.
const BLOCK_MS: u64 = 250;
/// The demo subnet of the `--dev` chain.
const NETUID: u16 = 1;
/// A generous bound for anything that takes a few blocks.
const FEW_BLOCKS: Duration = Duration::from_secs(60);

/// The weights Alice commits in these tests: Bob, Charlie and Dave.
const UIDS: [u16; 3] = [1, 2, 3];
const VALUES: [u16; 3] = [65535, 32768, 1];

/// The salt of Alice's commit number `n`: eight words, the chain's minimum.
fn salt(n: u16) -> Vec<u16> {
	vec![n; 8]
}

fn commit_call(n: u16) -> RuntimeCall {
	let hash = commit_hash(&Alice.to_account_id(), NETUID, &UIDS, &VALUES, &salt(n), 0);
	RuntimeCall::CommitReveal(pallet_commit_reveal::Call::commit_weights {
		netuid: NETUID,
		commit_hash: hash,
	})
}

fn reveal_call(n: u16) -> RuntimeCall {
	RuntimeCall::CommitReveal(pallet_commit_reveal::Call::reveal_weights {
		netuid: NETUID,
		uids: UIDS.to_vec(),
		values: VALUES.to_vec(),
		salt: salt(n),
		version_key: 0,
	})
}

fn announce_call(who: Sr25519Keyring, hash: H256, nonce: ClaimNonce) -> RuntimeCall {
	RuntimeCall::ModelRegistry(pallet_model_registry::Call::announce_model {
		netuid: NETUID,
		competition: 0,
		binding: announcement_binding(&who.to_account_id(), &hash, &nonce),
	})
}

fn commit_model_call(hash: H256, nonce: ClaimNonce) -> RuntimeCall {
	RuntimeCall::ModelRegistry(pallet_model_registry::Call::commit_model {
		netuid: NETUID,
		competition: 0,
		repo: b"galton/tiny-llama".to_vec(),
		revision: b"main".to_vec(),
		content_hash: hash,
		nonce,
	})
}

/// Alice's pending commits, as the runtime API reports them.
fn pending_of(node: &Node, who: Sr25519Keyring) -> Vec<PendingCommit<u32>> {
	node.chain().pending_commits(NETUID, &who.to_account_id()).expect("the runtime API answers")
}

#[test]
fn node_produces_and_finalizes_blocks() {
	let node = Node::start(BLOCK_MS);
	let chain = node.chain();
	chain.wait_for("three finalized blocks", FEW_BLOCKS, |chain| {
		chain.finalized_number().ok().filter(|finalized| *finalized >= 3)
	});
	let finalized = chain.finalized_number().expect("finalized head");
	let best = chain.best_number().expect("best head");
	// Manual seal finalizes every block it seals.
	assert!(best - finalized <= 1, "best {best} finalized {finalized}:\n{}", node.log());
}

#[test]
fn alice_commits_then_reveals_weights() {
	let node = Node::start(BLOCK_MS);
	let chain = node.chain();
	let start = chain.best_number().expect("best block");
	chain.submit(Alice, commit_call(7)).expect("the pool accepts a valid commit");
	let commit = chain
		.wait_for("the commit to land", FEW_BLOCKS, |_| pending_of(&node, Alice).first().copied());
	assert_eq!(commit.reveal_from, commit.committed_at + 10);
	assert_eq!(commit.expires_at, commit.reveal_from + 20);

	chain.wait_for_block(commit.reveal_from, FEW_BLOCKS);
	chain.submit(Alice, reveal_call(7)).expect("the pool accepts a reveal inside its window");
	let weights_key = pallet_subnets::Weights::<galton_runtime::Runtime>::hashed_key_for(NETUID, 0);
	let stored: Vec<(u16, u16)> = chain.wait_for("the revealed weights", FEW_BLOCKS, |chain| {
		chain.storage::<Vec<(u16, u16)>>(&weights_key, None).ok().flatten()
	});
	assert_eq!(stored, UIDS.into_iter().zip(VALUES).collect::<Vec<_>>());
	assert!(pending_of(&node, Alice).is_empty());

	let events = chain.events_between(start, chain.best_number().expect("best")).expect("events");
	let alice = Alice.to_account_id();
	assert!(events.iter().any(|event| matches!(event,
		RuntimeEvent::CommitReveal(pallet_commit_reveal::Event::WeightsCommitted { who, .. })
			if *who == alice)));
	assert!(events.iter().any(|event| matches!(event,
		RuntimeEvent::CommitReveal(pallet_commit_reveal::Event::WeightsRevealed { who, .. })
			if *who == alice)));
	assert!(events.iter().any(|event| matches!(
		event,
		RuntimeEvent::Subnets(pallet_subnets::Event::WeightsSet {
			netuid: NETUID,
			uid: 0,
			count: 3
		})
	)));
}

/// How many validators flood the pool in [`a_flood_of_commits_leaves_room_for_a_transfer`].
const FLOOD: usize = 200;

/// `calls` as one all-or-nothing batch.
fn batch(calls: Vec<RuntimeCall>) -> RuntimeCall {
	RuntimeCall::Utility(pallet_utility::Call::batch_all { calls })
}

/// The uid of `hotkey` on the demo subnet, once it is registered.
fn uid_of(chain: &galton_e2e::Chain, hotkey: &AccountId) -> Option<u16> {
	let key = pallet_subnets::Uids::<Runtime>::hashed_key_for(NETUID, hotkey);
	chain.storage::<u16>(&key, None).ok().flatten()
}

#[test]
fn a_flood_of_commits_leaves_room_for_a_transfer() {
	// Blocks long enough for the whole flood to reach the pool before the next one is built.
	let node = Node::start(2_000);
	let chain = node.chain();
	// FLOOD validators, each funded, registered (holding its deposit) and permitted.
	let hotkeys: Vec<sr25519::Pair> = (0..FLOOD)
		.map(|index| {
			sr25519::Pair::from_string(&format!("//flood/{index}"), None).expect("a valid path")
		})
		.collect();
	let accounts: Vec<AccountId> = hotkeys.iter().map(|pair| pair.public().into()).collect();
	let fund = accounts.iter().map(|account| {
		RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive {
			dest: account.clone().into(),
			value: 10 * UNIT,
		})
	});
	chain.submit(Alice, batch(fund.collect())).expect("the pool accepts the funding");
	let last = accounts.last().expect("FLOOD > 0").clone();
	let last_account = frame_system::Account::<Runtime>::hashed_key_for(&last);
	chain.wait_for("the funding", FEW_BLOCKS, |chain| {
		chain
			.storage::<frame_system::AccountInfo<u32, pallet_balances::AccountData<u128>>>(
				&last_account,
				None,
			)
			.ok()
			.flatten()
	});
	chain.settle(FEW_BLOCKS);
	let register = RuntimeCall::Subnets(pallet_subnets::Call::register { netuid: NETUID });
	for pair in &hotkeys {
		chain.submit_as(pair, register.clone()).expect("the pool accepts a registration");
	}
	let uids: Vec<u16> = chain.wait_for("every registration", FEW_BLOCKS, |chain| {
		accounts.iter().map(|account| uid_of(chain, account)).collect()
	});
	let permits = uids.iter().map(|uid| {
		RuntimeCall::Subnets(pallet_subnets::Call::set_validator_permit {
			netuid: NETUID,
			uid: *uid,
			granted: true,
		})
	});
	chain.submit(Alice, batch(permits.collect())).expect("the pool accepts the permits");
	let last_permit =
		pallet_subnets::ValidatorPermits::<Runtime>::hashed_key_for(NETUID, uids[FLOOD - 1]);
	chain.wait_for("the permits", FEW_BLOCKS, |chain| {
		chain.storage::<()>(&last_permit, None).ok().flatten()
	});
	chain.settle(FEW_BLOCKS);

	// Every validator commits at once, and Bob pays for an ordinary transfer, without a tip.
	let flood_start = chain.best_number().expect("best block");
	for (index, pair) in hotkeys.iter().enumerate() {
		let commit = RuntimeCall::CommitReveal(pallet_commit_reveal::Call::commit_weights {
			netuid: NETUID,
			commit_hash: H256::from_low_u64_be(index as u64),
		});
		chain.submit_as(pair, commit).expect("the pool accepts each validator's commit");
	}
	let transfer = RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive {
		dest: Charlie.to_account_id().into(),
		value: UNIT,
	});
	chain.submit(Bob, transfer).expect("the pool accepts the transfer");
	let start = chain.best_number().expect("best block");
	let bob = Bob.to_account_id();
	let landed = chain.wait_for("the transfer", FEW_BLOCKS, |chain| {
		let best = chain.best_number().ok()?;
		let events = chain.events_between(flood_start + 1, best).ok()?;
		let transferred = events.iter().any(|event| {
			matches!(event, RuntimeEvent::Balances(pallet_balances::Event::Transfer { from, .. })
				if *from == bob)
		});
		transferred.then_some(best)
	});
	assert!(landed <= start + 3, "the transfer waited {} blocks", landed - start);
	// And the flood itself is served, not dropped.
	let committed = chain.wait_for("every commit", FEW_BLOCKS, |chain| {
		let events = chain.events_between(flood_start + 1, chain.best_number().ok()?).ok()?;
		let count = events
			.iter()
			.filter(|event| {
				matches!(
					event,
					RuntimeEvent::CommitReveal(
						pallet_commit_reveal::Event::WeightsCommitted { .. }
					)
				)
			})
			.count();
		(count == FLOOD).then_some(count)
	});
	assert_eq!(committed, FLOOD);
}

#[test]
fn an_early_reveal_is_refused_at_submission() {
	let node = Node::start(BLOCK_MS);
	let chain = node.chain();
	chain.submit(Alice, commit_call(1)).expect("the pool accepts the commit");
	chain.wait_for("the commit to land", FEW_BLOCKS, |_| pending_of(&node, Alice).first().copied());
	chain.settle(FEW_BLOCKS);

	let refusal = chain.submit(Alice, reveal_call(1)).expect_err("the reveal is too early");
	assert_refused_with(refusal, pallet_commit_reveal::Error::RevealTooEarly);
	// Commits are free, so they are rate-limited: one per reveal delay on the dev chain.
	let refusal = chain.submit(Alice, commit_call(2)).expect_err("a second commit so soon");
	assert_refused_with(refusal, pallet_commit_reveal::Error::CommitRateLimited);
	// Nothing landed: the commit is still pending.
	assert_eq!(pending_of(&node, Alice).len(), 1);
}

/// Assert that the pool refused a transaction with `error`'s `Custom` code.
fn assert_refused_with(
	refusal: RpcError,
	error: pallet_commit_reveal::Error<galton_runtime::Runtime>,
) {
	use polkadot_sdk::sp_runtime::transaction_validity::{
		InvalidTransaction, TransactionValidityError,
	};
	let expected_code = match pallet_commit_reveal::invalid(error) {
		TransactionValidityError::Invalid(InvalidTransaction::Custom(code)) => code,
		other => panic!("unexpected mapping {other:?}"),
	};
	match refusal {
		RpcError::Call { code: 1010, message, data } => {
			assert_eq!(message, "Invalid Transaction");
			let data = data.map(|data| data.to_string()).unwrap_or_default();
			assert!(data.contains(&format!("Custom error: {expected_code}")), "{data}");
		}
		other => panic!("expected an invalid-transaction error, got {other}"),
	}
}

/// `who`'s open announcements, as the runtime API reports them.
fn announcements_of(chain: &galton_e2e::Chain, who: Sr25519Keyring) -> Vec<Announcement<u32>> {
	chain.announcements(NETUID, &who.to_account_id()).unwrap_or_default()
}

/// Submit `who`'s announcement of `hash` and wait until it is in a block; returns it.
fn announce(
	chain: &galton_e2e::Chain,
	who: Sr25519Keyring,
	hash: H256,
	nonce: ClaimNonce,
	tip: u128,
) -> Announcement<u32> {
	let binding = announcement_binding(&who.to_account_id(), &hash, &nonce);
	chain.submit_with_tip(who, announce_call(who, hash, nonce), tip).expect("announce");
	chain.wait_for("the announcement", FEW_BLOCKS, |chain| {
		announcements_of(chain, who).into_iter().find(|a| a.binding == binding)
	})
}

/// The holder of `hash`.
fn holder(chain: &galton_e2e::Chain, hash: H256) -> Option<AccountId> {
	let key = pallet_model_registry::HashOwners::<Runtime>::hashed_key_for(NETUID, hash);
	chain.storage::<AccountId>(&key, None).expect("storage")
}

/// Wait for an event in blocks `from..` that `wanted` accepts.
fn wait_for_event(
	chain: &galton_e2e::Chain,
	what: &str,
	from: u32,
	wanted: impl Fn(&RuntimeEvent) -> bool,
) {
	chain.wait_for(what, FEW_BLOCKS, |chain| {
		let best = chain.best_number().ok()?;
		chain.events_between(from, best).ok()?.iter().any(&wanted).then_some(())
	});
}

fn failed_with(event: &RuntimeEvent, error: pallet_model_registry::Error<Runtime>) -> bool {
	let error = module_error(error);
	matches!(event,
		RuntimeEvent::System(frame_system::Event::ExtrinsicFailed { dispatch_error, .. })
			if *dispatch_error == error)
}

/// A copier who watches the pool and pays a far higher tip still cannot take a miner's model:
/// copying the commit fails without an announcement, announcing after seeing it is too late,
/// and a copy committed first is taken back by the miner whose announcement came first.
#[test]
fn a_copier_with_a_higher_tip_still_loses_the_claim() {
	let node = Node::start(BLOCK_MS);
	let chain = node.chain();
	let config: ClaimConfig<u32> = chain.claim_config(NETUID).expect("claim config");
	assert_eq!(config, ClaimConfig { reveal_delay: 2, reveal_window: 100 });
	let high_tip = 1_000 * UNIT;
	let (bob_nonce, charlie_nonce) = ([1u8; 32], [2u8; 32]);

	// Bob announces; the pool and the chain see only a binding.
	let hash = H256::repeat_byte(0x42);
	let first = announce(chain, Bob, hash, bob_nonce, 0);
	chain.wait_for_block(first.reveal_from, FEW_BLOCKS);
	// Bob's commit enters the pool; the copier sees the hash there and races it with a higher
	// tip and the same model, but has no announcement.
	let start = chain.best_number().expect("best block");
	chain.submit(Bob, commit_model_call(hash, bob_nonce)).expect("Bob's commit enters the pool");
	chain
		.submit_with_tip(Charlie, commit_model_call(hash, charlie_nonce), high_tip)
		.expect("the copier's commit enters the pool");
	wait_for_event(chain, "the copier's commit to fail", start, |e| {
		failed_with(e, pallet_model_registry::Error::UnknownAnnouncement)
	});
	chain.wait_for("Bob's claim", FEW_BLOCKS, |chain| {
		(holder(chain, hash) == Some(Bob.to_account_id())).then_some(())
	});
	// Announcing now is too late: Bob's announcement is older.
	let start = chain.best_number().expect("best block");
	let copier = announce(chain, Charlie, hash, charlie_nonce, high_tip);
	chain.wait_for_block(copier.reveal_from, FEW_BLOCKS);
	chain
		.submit_with_tip(Charlie, commit_model_call(hash, charlie_nonce), high_tip)
		.expect("the copier's second try enters the pool");
	wait_for_event(chain, "the late claim to fail", start, |e| {
		failed_with(e, pallet_model_registry::Error::ModelAlreadyClaimed)
	});
	assert_eq!(holder(chain, hash), Some(Bob.to_account_id()));

	// Bob published a second model too early; the copier announces it after Bob and commits it
	// first. Bob's commit, inside its window, takes the claim back. (The dev subnet's commit
	// interval is 10 blocks between two claims of one hotkey.)
	chain.wait_for_block(first.announced_at + 10, FEW_BLOCKS);
	let second = H256::repeat_byte(0x43);
	let bob = announce(chain, Bob, second, bob_nonce, 0);
	let copier = announce(chain, Charlie, second, charlie_nonce, high_tip);
	assert!(copier.announced_at > bob.announced_at);
	chain.wait_for_block(copier.reveal_from, FEW_BLOCKS);
	chain
		.submit_with_tip(Charlie, commit_model_call(second, charlie_nonce), high_tip)
		.expect("the copier's commit enters the pool");
	chain.wait_for("the copier's claim", FEW_BLOCKS, |chain| {
		(holder(chain, second) == Some(Charlie.to_account_id())).then_some(())
	});
	let start = chain.best_number().expect("best block");
	chain.submit(Bob, commit_model_call(second, bob_nonce)).expect("Bob's commit");
	let (from, to) = (Charlie.to_account_id(), Bob.to_account_id());
	wait_for_event(chain, "Bob to take the claim back", start, |e| {
		matches!(e,
			RuntimeEvent::ModelRegistry(pallet_model_registry::Event::ClaimTaken { content_hash, from: f, to: t, .. })
				if *content_hash == second && *f == from && *t == to)
	});
	assert_eq!(holder(chain, second), Some(Bob.to_account_id()));
	let copier_model =
		pallet_model_registry::Models::<Runtime>::hashed_key_for(NETUID, Charlie.to_account_id());
	let stored: Option<galton_primitives::ModelCommitment<u32>> =
		chain.storage(&copier_model, None).expect("storage");
	assert_eq!(stored, None, "the copier's model is removed");
}

#[test]
fn galton_runtime_apis_answer_over_state_call() {
	let node = Node::start(BLOCK_MS);
	let chain = node.chain();
	let config: RevealConfig<u32> = chain.reveal_config(NETUID).expect("reveal config");
	assert_eq!(
		config,
		RevealConfig { enabled: true, reveal_delay: 10, reveal_window: 20, commit_interval: None }
	);
	let competitions: Vec<(CompetitionId, Competition)> =
		chain.competitions(NETUID).expect("competitions");
	assert_eq!(competitions, vec![(0, galton_runtime::genesis_config_presets::demo_competition())]);
	let epsilon: Option<Perbill> =
		chain.effective_epsilon(NETUID, &Bob.to_account_id()).expect("epsilon");
	assert_eq!(epsilon, None, "Bob has no model yet");
	assert!(pending_of(&node, Alice).is_empty());
	// An unknown method is an RPC error, not a panic.
	assert!(chain.state_call::<u8>("ModelRegistryApi_nothing", ()).is_err());
}
