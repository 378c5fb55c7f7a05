//! End-to-end tests of `galton-node --dev`: block production and finality, commit-reveal of
//! weights through the transaction pool, first-claim protection of models, and the Galton
//! runtime APIs over `state_call`.

use galton_e2e::{module_error, Node, RpcError};
use galton_primitives::{
	commit_hash, Competition, CompetitionId, ModelCommitment, PendingCommit, RevealConfig,
};
use galton_runtime::{AccountId, RuntimeCall, RuntimeEvent};
use polkadot_sdk::{
	frame_system,
	sp_core::H256,
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

fn commit_call(salt: u16) -> RuntimeCall {
	let hash = commit_hash(&Alice.to_account_id(), NETUID, &UIDS, &VALUES, &[salt], 0);
	RuntimeCall::CommitReveal(pallet_commit_reveal::Call::commit_weights {
		netuid: NETUID,
		commit_hash: hash,
	})
}

fn reveal_call(salt: u16) -> RuntimeCall {
	RuntimeCall::CommitReveal(pallet_commit_reveal::Call::reveal_weights {
		netuid: NETUID,
		uids: UIDS.to_vec(),
		values: VALUES.to_vec(),
		salt: vec![salt],
		version_key: 0,
	})
}

fn commit_model_call(hash: H256) -> RuntimeCall {
	RuntimeCall::ModelRegistry(pallet_model_registry::Call::commit_model {
		netuid: NETUID,
		competition: 0,
		repo: b"galton/tiny-llama".to_vec(),
		revision: b"main".to_vec(),
		content_hash: hash,
	})
}

/// Alice's pending commits, as the runtime API reports them.
fn pending_of(node: &Node, who: Sr25519Keyring) -> Vec<PendingCommit<u32>> {
	node.chain()
		.state_call("CommitRevealApi_pending_commits", (NETUID, who.to_account_id()))
		.expect("the runtime API answers")
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

#[test]
fn an_early_reveal_is_refused_at_submission() {
	let node = Node::start(BLOCK_MS);
	let chain = node.chain();
	chain.submit(Alice, commit_call(1)).expect("the pool accepts the commit");
	chain.wait_for("the commit to land", FEW_BLOCKS, |_| pending_of(&node, Alice).first().copied());

	let refusal = chain.submit(Alice, reveal_call(1)).expect_err("the reveal is too early");
	let code = pallet_commit_reveal::invalid::<galton_runtime::Runtime>(
		pallet_commit_reveal::Error::RevealTooEarly,
	);
	let expected_code = match code {
		polkadot_sdk::sp_runtime::transaction_validity::TransactionValidityError::Invalid(
			polkadot_sdk::sp_runtime::transaction_validity::InvalidTransaction::Custom(code),
		) => code,
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
	// Nothing landed: the commit is still pending.
	assert_eq!(pending_of(&node, Alice).len(), 1);
}

#[test]
fn a_second_hotkey_cannot_claim_bobs_model() {
	let node = Node::start(BLOCK_MS);
	let chain = node.chain();
	let hash = H256::repeat_byte(0x42);
	let start = chain.best_number().expect("best block");
	chain.submit(Bob, commit_model_call(hash)).expect("Bob's commit enters the pool");
	let models: Vec<(AccountId, ModelCommitment<u32>, Perbill)> =
		chain.wait_for("Bob's model", FEW_BLOCKS, |chain| {
			let models: Vec<(AccountId, ModelCommitment<u32>, Perbill)> =
				chain.state_call("ModelRegistryApi_models", NETUID).ok()?;
			(!models.is_empty()).then_some(models)
		});
	assert_eq!(models[0].0, Bob.to_account_id());
	assert_eq!(models[0].1.content_hash, hash);

	chain.submit(Charlie, commit_model_call(hash)).expect("Charlie's copy enters the pool");
	let claimed =
		module_error(pallet_model_registry::Error::<galton_runtime::Runtime>::ModelAlreadyClaimed);
	chain.wait_for("Charlie's commit to fail", FEW_BLOCKS, |chain| {
		let best = chain.best_number().ok()?;
		let events = chain.events_between(start, best).ok()?;
		events
			.iter()
			.any(|event| {
				matches!(event,
				RuntimeEvent::System(frame_system::Event::ExtrinsicFailed { dispatch_error, .. })
					if *dispatch_error == claimed)
			})
			.then_some(())
	});
	let owner_key =
		pallet_model_registry::HashOwner::<galton_runtime::Runtime>::hashed_key_for(NETUID, hash);
	assert_eq!(
		chain.storage::<AccountId>(&owner_key, None).expect("storage"),
		Some(Bob.to_account_id())
	);
}

#[test]
fn galton_runtime_apis_answer_over_state_call() {
	let node = Node::start(BLOCK_MS);
	let chain = node.chain();
	let config: RevealConfig<u32> =
		chain.state_call("CommitRevealApi_reveal_config", NETUID).expect("reveal config");
	assert_eq!(config, RevealConfig { enabled: true, reveal_delay: 10, reveal_window: 20 });
	let competitions: Vec<(CompetitionId, Competition)> =
		chain.state_call("ModelRegistryApi_competitions", NETUID).expect("competitions");
	assert_eq!(competitions, vec![(0, galton_runtime::genesis_config_presets::demo_competition())]);
	let epsilon: Option<Perbill> = chain
		.state_call("ModelRegistryApi_effective_epsilon", (NETUID, Bob.to_account_id()))
		.expect("epsilon");
	assert_eq!(epsilon, None, "Bob has no model yet");
	assert!(pending_of(&node, Alice).is_empty());
	// An unknown method is an RPC error, not a panic.
	assert!(chain.state_call::<u8>("ModelRegistryApi_nothing", ()).is_err());
}
