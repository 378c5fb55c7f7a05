//! The soak test of "no lost reveal", not run in CI (`benchmarking/soak.sh` runs it): validator
//! rounds by Alice against a `--dev` node that is killed and restarted at random moments, through
//! a proxy that loses a share of all requests (cutting the connection each came on). At the end
//! every commit of Alice's on the chain is revealed, still waiting for its window, or named in
//! the validator's log with the reason it was given up; the report prints the counts.
//!
//! Settings (environment): `GALTON_SOAK_ROUNDS` (200), `GALTON_SOAK_LOSS` (0.10),
//! `GALTON_SOAK_SEED` (1).

use std::{
	collections::BTreeMap,
	thread,
	time::{Duration, Instant},
};

use galton_e2e::{as_strs, commit_model, fixture, output_text, spawn_eval, validate_args};
use galton_e2e::{Draws, Node, RpcProxy};
use galton_runtime::RuntimeEvent;
use pallet_commit_reveal::Event;
use polkadot_sdk::{sp_core::H256, sp_keyring::Sr25519Keyring::Alice};

/// Block time of the soak devnet.
const BLOCK_MS: u64 = 500;
/// The demo subnet of the `--dev` chain.
const NETUID: u16 = 1;

fn setting<T: std::str::FromStr>(name: &str, default: T) -> T {
	std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// What became of one of Alice's commits.
#[derive(Debug, Default)]
struct Fate {
	committed_at: u32,
	expires_at: u32,
	revealed_at: Option<u32>,
}

#[test]
#[ignore = "a soak test of many minutes: run benchmarking/soak.sh"]
fn every_commit_is_revealed_or_its_loss_explained_across_node_restarts_and_lost_requests() {
	let rounds: usize = setting("GALTON_SOAK_ROUNDS", 200);
	let loss: f64 = setting("GALTON_SOAK_LOSS", 0.10);
	let seed: u64 = setting("GALTON_SOAK_SEED", 1);
	let dir = tempfile::tempdir().expect("temp dir");
	let base = dir.path().join("node");
	std::fs::create_dir(&base).expect("mkdir");
	let mut node = Some(Node::start_in(&base, BLOCK_MS));
	let port = node.as_ref().map(Node::rpc_port).expect("a node");
	let models = dir.path().join("models");
	for (key, name, seed) in [("//Bob", "bob", 1), ("//Charlie", "charlie", 2)] {
		let model = fixture(&models, name, seed);
		let output = commit_model(node.as_ref().expect("a node"), key, name, &model);
		assert!(output.status.success(), "commit-model {name}: {}", output_text(&output));
	}
	let url = node.as_ref().map(Node::ws_url).expect("a node");
	let proxy = RpcProxy::lossy(&url, loss, seed);
	let mut args = validate_args(&proxy.ws_url(), &dir.path().join("journal.redb"), &models);
	args.retain(|arg| arg != "--once");
	args.extend(["--round-interval".to_owned(), "1".to_owned()]);
	let mut validator = spawn_eval(&as_strs(&args), dir.path(), "validator");

	let reports = || {
		let out = std::fs::read_to_string(dir.path().join("validator.out")).unwrap_or_default();
		out.lines().count()
	};
	let (mut draws, mut restarts, started) = (Draws::new(seed), 0, Instant::now());
	let limit = Duration::from_secs(60) * u32::try_from(rounds).expect("rounds");
	while reports() < rounds {
		assert!(started.elapsed() < limit, "{} of {rounds} rounds in {limit:?}", reports());
		assert!(validator.try_wait().expect("wait").is_none(), "the validator stopped");
		thread::sleep(draws.seconds(15..45));
		if let Some(mut crashed) = node.take() {
			crashed.kill();
		}
		thread::sleep(draws.seconds(1..5));
		node = Some(Node::start_on(&base, BLOCK_MS, port));
		restarts += 1;
	}
	let elapsed = started.elapsed();
	// Let the last round's reveal land, then stop.
	thread::sleep(Duration::from_secs(15));
	validator.kill().expect("SIGKILL");
	let _ = validator.wait();
	let node = node.expect("a node");
	let log = std::fs::read_to_string(dir.path().join("validator.err")).unwrap_or_default();

	let chain = node.chain();
	let head = chain.finalized_number().expect("head");
	let mut fates: BTreeMap<H256, Fate> = BTreeMap::new();
	for number in 1..=head {
		let events = chain.events(chain.block_hash(number).expect("hash")).expect("events");
		for event in events {
			match event {
				RuntimeEvent::CommitReveal(Event::WeightsCommitted {
					netuid,
					who,
					commit_hash,
					expires_at,
					..
				}) if netuid == NETUID && who == Alice.to_account_id() => {
					let fate = fates.entry(commit_hash).or_default();
					fate.committed_at = number;
					fate.expires_at = expires_at;
				}
				RuntimeEvent::CommitReveal(Event::WeightsRevealed {
					netuid, commit_hash, ..
				}) if netuid == NETUID => {
					fates.entry(commit_hash).or_default().revealed_at = Some(number);
				}
				_ => {}
			}
		}
	}
	let revealed = fates.values().filter(|f| f.revealed_at.is_some()).count();
	let open = fates.values().filter(|f| f.revealed_at.is_none() && f.expires_at > head).count();
	let mut lost = Vec::new();
	for (hash, fate) in
		fates.iter().filter(|(_, f)| f.revealed_at.is_none() && f.expires_at <= head)
	{
		let hex = hex_of(hash);
		let reason = log
			.lines()
			.find(|line| line.contains(&hex) && line.contains("dropped"))
			.map(str::to_owned);
		lost.push((hex, fate.committed_at, fate.expires_at, reason));
	}
	println!(
		"soak: {} rounds in {:.0} s, {restarts} node restarts, {} requests lost ({:.0}%), seed \
		 {seed}; {} commits: {revealed} revealed, {open} still in their window, {} lost",
		reports(),
		elapsed.as_secs_f64(),
		proxy.lost(),
		loss * 100.0,
		fates.len(),
		lost.len(),
	);
	for (hash, committed_at, expires_at, reason) in &lost {
		println!(
			"  lost {hash} (committed at {committed_at}, expired at {expires_at}): {reason:?}"
		);
	}
	assert!(
		lost.iter().all(|(_, _, _, reason)| reason.is_some()),
		"a commit was lost without a reason in the log"
	);
}

/// `hash` in lowercase hex, as the validator logs it.
fn hex_of(hash: &H256) -> String {
	hash.as_bytes().iter().map(|b| format!("{b:02x}")).collect()
}
