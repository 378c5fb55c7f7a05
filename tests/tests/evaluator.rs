//! End-to-end tests of `galton-eval` against a real `galton-node --dev`: miners commit fixture
//! models, a validator round commits and reveals the weights it scored, and no reveal is lost
//! when the evaluator is killed, the node comes back behind or forked away from a commit, or a
//! relay refuses, drops or sits on its transactions or cuts the connection ([`RpcProxy`]); a
//! second process signing with the validator's key takes the next nonce; on a subnet in
//! timelock mode the chain applies the weights of a validator killed right after its commit.

use std::{
	io::{Read, Write},
	path::{Path, PathBuf},
	process::{Child, Output},
	thread,
	time::{Duration, Instant},
};

use codec::{Decode, Encode};
use galton_e2e::{
	as_strs, commit_model, commit_model_args, eval, fixture, free_port, output_text, spawn_eval,
	validate_args, Fault, Node, RpcProxy,
};
use galton_primitives::{
	Announcement, ClaimConfig, ModelCommitment, PendingCommit, RevealMode, WeightsTlockPayload,
};
use galton_runtime::{AccountId, Runtime, RuntimeCall, RuntimeEvent, UncheckedExtrinsic};
use polkadot_sdk::{
	frame_system,
	sp_core::H256,
	sp_keyring::Sr25519Keyring::{Alice, Bob},
	sp_runtime::{transaction_validity::InvalidTransaction, Perbill},
};

/// Block time of these devnets: the dev chain's reveal delay of 10 blocks is 5 s.
const BLOCK_MS: u64 = 500;
/// The demo subnet of the `--dev` chain.
const NETUID: u16 = 1;
/// A bound for anything that takes a round or a restart.
const ROUND: Duration = Duration::from_secs(180);

/// `galton-eval subnet set-reveal-config` on subnet 1 with `flags`, signed by Alice (its owner
/// and the sudo key); panics if it fails.
fn set_reveal_config(url: &str, flags: &[&str]) {
	let mut args =
		vec!["subnet", "set-reveal-config", "--netuid", "1", "--key", "//Alice", "--url", url];
	args.extend_from_slice(flags);
	let output = eval(&args);
	assert!(output.status.success(), "set-reveal-config: {}", output_text(&output));
}

/// The last JSON line the validator printed: its round report.
fn report(output: &Output) -> serde_json::Value {
	let stdout = String::from_utf8_lossy(&output.stdout);
	let line =
		stdout.lines().last().unwrap_or_else(|| panic!("no report: {}", output_text(output)));
	serde_json::from_str(line).unwrap_or_else(|e| panic!("report is not JSON ({e}): {line}"))
}

/// Alice's weights on chain: `Subnets::Weights(1, uid 0)`.
fn alice_weights(node: &Node) -> Vec<(u16, u16)> {
	let key = pallet_subnets::Weights::<Runtime>::hashed_key_for(NETUID, 0u16);
	node.chain().storage(&key, None).expect("storage read").unwrap_or_default()
}

fn reported_weights(report: &serde_json::Value) -> Vec<(u16, u16)> {
	let numbers = |field: &str| -> Vec<u16> {
		report[field]
			.as_array()
			.unwrap_or_else(|| panic!("{field} in {report}"))
			.iter()
			.map(|v| v.as_u64().and_then(|n| u16::try_from(n).ok()).expect("u16"))
			.collect()
	};
	numbers("uids").into_iter().zip(numbers("values")).collect()
}

fn pending_of_alice(node: &Node) -> Vec<PendingCommit<u32>> {
	node.chain().pending_commits(NETUID, &Alice.to_account_id()).expect("runtime API")
}

/// The validator's metrics, read over HTTP from `127.0.0.1:port`.
fn scrape(port: u16) -> String {
	let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).expect("metrics endpoint");
	stream.set_read_timeout(Some(Duration::from_secs(10))).expect("timeout");
	stream.write_all(b"GET /metrics HTTP/1.1\r\nHost: localhost\r\n\r\n").expect("request");
	let mut response = String::new();
	stream.read_to_string(&mut response).expect("response");
	assert!(response.starts_with("HTTP/1.1 200"), "{response}");
	response
}

/// Wait until Alice has a pending commit; returns it.
fn wait_for_commit(node: &Node, child: &mut Child) -> PendingCommit<u32> {
	let started = Instant::now();
	loop {
		if let Some(commit) = pending_of_alice(node).first() {
			return *commit;
		}
		if let Ok(Some(status)) = child.try_wait() {
			panic!("the validator exited ({status}) before committing");
		}
		assert!(started.elapsed() < ROUND, "no commit within {ROUND:?}");
		thread::sleep(Duration::from_millis(50));
	}
}

/// The block in which Alice revealed `hash`, searching `from..=to`.
fn reveal_block(node: &Node, hash: H256, from: u32, to: u32) -> Option<u32> {
	(from..=to).find(|&n| {
		let block = node.chain().block_hash(n).expect("block hash");
		node.chain().events(block).expect("events").iter().any(|event| {
			matches!(event, RuntimeEvent::CommitReveal(pallet_commit_reveal::Event::WeightsRevealed { commit_hash, .. }) if *commit_hash == hash)
		})
	})
}

fn two_miners(node: &Node, models: &Path) {
	for (key, name, seed) in [("//Bob", "bob", 1), ("//Charlie", "charlie", 2)] {
		let dir = fixture(models, name, seed);
		let output = commit_model(node, key, name, &dir);
		assert!(output.status.success(), "commit-model {name}: {}", output_text(&output));
		let stdout = String::from_utf8_lossy(&output.stdout);
		// Phase 1 is reported before the commit, and the age counts from the announcement.
		assert!(stdout.contains("phase 1 final: announced in block"), "{stdout}");
		assert!(
			stdout.contains("committed model 0x") && stdout.contains("epsilon now: 0.49"),
			"{stdout}"
		);
	}
}

/// A devnet on which Bob and Charlie have committed fixture models: the node, the work
/// directory and the models directory.
fn devnet_with_two_miners() -> (Node, tempfile::TempDir, PathBuf) {
	let node = Node::start(BLOCK_MS);
	let dir = tempfile::tempdir().expect("temp dir");
	let models = dir.path().join("models");
	two_miners(&node, &models);
	(node, dir, models)
}

/// A devnet on which Bob has committed a fixture model: the node, the work directory, the
/// models directory and Bob's model.
fn devnet_with_bob() -> (Node, tempfile::TempDir, PathBuf, PathBuf) {
	let node = Node::start(BLOCK_MS);
	let dir = tempfile::tempdir().expect("temp dir");
	let models = dir.path().join("models");
	let bob = fixture(&models, "bob", 1);
	let output = commit_model(&node, "//Bob", "bob", &bob);
	assert!(output.status.success(), "commit-model bob: {}", output_text(&output));
	(node, dir, models, bob)
}

#[test]
fn a_validator_round_commits_and_reveals_the_weights_it_scored() {
	let (node, dir, models) = devnet_with_two_miners();

	let output =
		eval(&as_strs(&validate_args(&node.ws_url(), &dir.path().join("journal.redb"), &models)));
	assert!(output.status.success(), "validate: {}", output_text(&output));
	let report = report(&output);
	assert!(report["commit_block"].is_u64() && report["reveal_block"].is_u64(), "{report}");
	let scored = report["models"].as_array().expect("models");
	assert_eq!(scored.len(), 2, "{report}");
	assert!(scored.iter().all(|m| m["failure"].is_null()), "{report}");
	let weights = reported_weights(&report);
	assert!(weights.iter().any(|&(_, w)| w == u16::MAX), "{report}");
	assert_eq!(alice_weights(&node), weights, "the weights on chain are the ones scored");
	assert!(pending_of_alice(&node).is_empty(), "nothing left to reveal");
}

#[test]
fn a_validator_killed_after_its_commit_still_reveals_in_the_window() {
	let (node, dir, models) = devnet_with_two_miners();
	let journal = dir.path().join("journal.redb");
	let args = validate_args(&node.ws_url(), &journal, &models);

	let port = free_port();
	let mut with_metrics = args.clone();
	with_metrics.extend(["--prometheus-port".to_owned(), port.to_string()]);
	let mut first = spawn_eval(&as_strs(&with_metrics), dir.path(), "first");
	let commit = wait_for_commit(&node, &mut first);
	// Committed, not revealed: the metrics show the commit but not the ranking it hides.
	let metrics = scrape(port);
	assert!(metrics.contains("galton_eval_rounds_total 1"), "{metrics}");
	assert!(
		!metrics.contains("galton_eval_model_loss{"),
		"losses leaked before the reveal: {metrics}"
	);
	first.kill().expect("SIGKILL");
	let _ = first.wait();
	assert_eq!(
		pending_of_alice(&node).first().map(|c| c.hash),
		Some(commit.hash),
		"killed before revealing"
	);

	let second = eval(&as_strs(&args));
	assert!(second.status.success(), "restarted validate: {}", output_text(&second));
	let revealed = reveal_block(&node, commit.hash, commit.reveal_from, commit.expires_at - 1)
		.unwrap_or_else(|| {
			panic!(
				"the commit made before the kill was not revealed in its window: {}",
				output_text(&second)
			)
		});
	assert!((commit.reveal_from..commit.expires_at).contains(&revealed));
	assert_eq!(alice_weights(&node), reported_weights(&report(&second)));
}

/// Alice's timelocked commit on subnet 1, if she has one waiting.
fn timelocked_of_alice(
	node: &Node,
) -> Option<
	pallet_commit_reveal::TimelockedCommit<
		u32,
		<Runtime as pallet_commit_reveal::Config>::MaxCiphertextLen,
	>,
> {
	let key = pallet_commit_reveal::TimelockedCommits::<Runtime>::hashed_key_for(
		NETUID,
		Alice.to_account_id(),
	);
	node.chain().storage(&key, None).expect("storage read")
}

/// The number of transactions Alice has sent.
fn nonce_of_alice(node: &Node) -> u32 {
	node.chain().next_nonce(Alice).expect("nonce")
}

#[test]
fn a_validator_killed_after_its_timelocked_commit_gets_its_weights_applied_by_the_chain() {
	let (node, dir, models) = devnet_with_two_miners();
	let url = node.ws_url();
	let set_mode = ["subnet", "set-reveal-mode", "--netuid", "1", "--timelock", "2"];
	let output = eval(&[&set_mode[..], &["--key", "//Alice", "--url", &url]].concat());
	assert!(output.status.success(), "set-reveal-mode: {}", output_text(&output));
	assert!(
		output_text(&output).contains("hash commits -> timelock, 2 beacon rounds ahead"),
		"{}",
		output_text(&output)
	);
	let mode = pallet_commit_reveal::RevealModes::<Runtime>::hashed_key_for(NETUID);
	let mode: Option<RevealMode> = node.chain().storage(&mode, None).expect("storage read");
	assert_eq!(mode, Some(RevealMode::Timelock { rounds_ahead: 2 }));

	let args = validate_args(&url, &dir.path().join("journal.redb"), &models);
	let mut validator = spawn_eval(&as_strs(&args), dir.path(), "validator");
	let commit = node.chain().wait_for("Alice's timelocked commit", ROUND, |_| {
		if let Ok(Some(status)) = validator.try_wait() {
			assert!(status.success() || timelocked_of_alice(&node).is_some(), "validate failed");
		}
		timelocked_of_alice(&node)
	});
	let _ = validator.kill();
	let _ = validator.wait();
	let nonce_after_commit = nonce_of_alice(&node);
	assert!(alice_weights(&node).is_empty(), "the weights stay sealed until their round");

	// `status` lists the commit and when it opens.
	let status = eval(&["status", "--netuid", "1", "--json", "--url", &url]);
	assert!(status.status.success(), "status: {}", output_text(&status));
	let status: serde_json::Value = serde_json::from_slice(&status.stdout).expect("JSON");
	let listed = &status["timelocked_commits"][0];
	assert_eq!(listed["validator"], Alice.to_account_id().to_string(), "{status}");
	assert_eq!(listed["reveal_round"], commit.reveal_round, "{status}");
	assert!(status["beacon"]["latest_round"].as_u64() < Some(commit.reveal_round), "{status}");
	assert_eq!(status["beacon"]["kind"], "development", "{status}");
	// Sealed to a round still ahead of the chain's clock when the commit landed: nobody could
	// open it from the pool or the block.
	let schedule = galton_runtime::genesis_config_presets::development_beacon().schedule;
	let block = node.chain().block_hash(commit.committed_at).expect("the commit's block");
	let now_key = polkadot_sdk::frame_support::storage::storage_prefix(b"Timestamp", b"Now");
	let stamp: u64 =
		node.chain().storage(&now_key, Some(block)).expect("storage read").expect("a timestamp");
	assert!(
		schedule.round_time(commit.reveal_round) * 1000 > stamp,
		"round {} was out at the commit's block ({stamp} ms)",
		commit.reveal_round
	);

	// What the chain will apply is what the validator sealed: open it with the dev beacon.
	let ciphertext = galton_timelock::TimelockCiphertext::decode(&mut &commit.ciphertext[..])
		.expect("the wire format");
	let pulse = galton_timelock::DevBeacon::development().pulse(commit.reveal_round);
	let opened = galton_timelock::decrypt(&ciphertext, &pulse.signature).expect("opens");
	let sealed = WeightsTlockPayload::decode(&mut &opened[..]).expect("the weights payload");
	assert_eq!(sealed.hotkey, Alice.to_account_id().encode());
	assert!(sealed.values.contains(&u16::MAX), "{sealed:?}");

	let applied = node.chain().wait_for("the timelocked weights", ROUND, |_| {
		let weights = alice_weights(&node);
		(!weights.is_empty()).then_some(weights)
	});
	let expected: Vec<(u16, u16)> = sealed.uids.into_iter().zip(sealed.values).collect();
	assert_eq!(applied, expected, "the chain applied the sealed weights");
	let now = finalized(&node);
	let events = node.chain().events_between(commit.committed_at, now).expect("events");
	assert!(
		events.iter().any(|event| matches!(
			event,
			RuntimeEvent::CommitReveal(pallet_commit_reveal::Event::TimelockedWeightsRevealed {
				netuid: NETUID, who, round, dropped: 0
			}) if *who == Alice.to_account_id() && *round == commit.reveal_round
		)),
		"no TimelockedWeightsRevealed for Alice's round in blocks {}..={now}",
		commit.committed_at
	);
	assert_eq!(nonce_of_alice(&node), nonce_after_commit, "no transaction after the commit");
	assert!(timelocked_of_alice(&node).is_none(), "the commit is used up");
}

/// Copy the directory `from` into `to` (created), recursively.
fn copy_dir(from: &Path, to: &Path) {
	std::fs::create_dir_all(to).expect("mkdir");
	for entry in std::fs::read_dir(from).expect("read dir") {
		let entry = entry.expect("dir entry");
		let target = to.join(entry.file_name());
		if entry.file_type().expect("file type").is_dir() {
			copy_dir(&entry.path(), &target);
		} else {
			std::fs::copy(entry.path(), &target).expect("copy");
		}
	}
}

/// Wait for `child` to exit, within [`ROUND`]; returns whether it succeeded, with its log
/// (`<name>.out` and `<name>.err` in `dir`).
fn finish(child: &mut Child, dir: &Path, name: &str) -> (bool, String, String) {
	let started = Instant::now();
	let status = loop {
		if let Some(status) = child.try_wait().expect("wait") {
			break status;
		}
		assert!(started.elapsed() < ROUND, "{name} did not finish within {ROUND:?}");
		thread::sleep(Duration::from_millis(200));
	};
	let log =
		|ext: &str| std::fs::read_to_string(dir.join(format!("{name}.{ext}"))).unwrap_or_default();
	(status.success(), log("out"), log("err"))
}

/// Alice's weight commits and reveals of `hash` in blocks `1..=to`, as `(block, revealed)`.
fn commit_events(node: &Node, hash: H256, to: u32) -> Vec<(u32, bool)> {
	(1..=to)
		.flat_map(|n| {
			let block = node.chain().block_hash(n).expect("block hash");
			node.chain().events(block).expect("events").into_iter().filter_map(move |event| {
				match event {
					RuntimeEvent::CommitReveal(pallet_commit_reveal::Event::WeightsCommitted {
						commit_hash,
						..
					}) if commit_hash == hash => Some((n, false)),
					RuntimeEvent::CommitReveal(pallet_commit_reveal::Event::WeightsRevealed {
						commit_hash,
						..
					}) if commit_hash == hash => Some((n, true)),
					_ => None,
				}
			})
		})
		.collect()
}

#[test]
fn a_validator_whose_node_comes_back_behind_its_commit_waits_sends_it_again_and_reveals() {
	let dir = tempfile::tempdir().expect("temp dir");
	let base = dir.path().join("node");
	std::fs::create_dir(&base).expect("mkdir");
	let mut node = Node::start_in(&base, BLOCK_MS);
	let port = node.rpc_port();
	let models = dir.path().join("models");
	two_miners(&node, &models);
	// The chain as it was before the validator's commit: a node restored from it comes back
	// with its head behind the commit, and the blocks it seals from there are other blocks.
	node.stop();
	let snapshot = dir.path().join("snapshot");
	copy_dir(&base, &snapshot);
	let node = Node::start_on(&base, BLOCK_MS, port);
	// Forty blocks on, the commit is far ahead of the copy: a node restored from it takes
	// twenty seconds to reach the commit's height again.
	let restored_head = node.chain().finalized_number().expect("head");
	node.chain().wait_for_block(restored_head + 40, ROUND);
	let args = validate_args(&node.ws_url(), &dir.path().join("journal.redb"), &models);

	let mut validator = spawn_eval(&as_strs(&args), dir.path(), "validator");
	let commit = wait_for_commit(&node, &mut validator);
	drop(node);
	std::fs::remove_dir_all(&base).expect("rm");
	copy_dir(&snapshot, &base);
	let node = Node::start_on(&base, BLOCK_MS, port);
	let head = node.chain().finalized_number().expect("head");
	assert!(head < commit.committed_at, "the node came back at {head}, behind the commit");

	let (ok, out, err) = finish(&mut validator, dir.path(), "validator");
	assert!(ok, "validator failed:\n{out}\n{err}");
	assert!(err.contains("the node's finalized head is behind the commit"), "{err}");
	assert!(
		err.contains("the commit's block is not on this chain; sending the commit again"),
		"{err}"
	);
	// On the chain the node came back with, the commit was made again and revealed.
	let events = commit_events(&node, commit.hash, node.chain().finalized_number().expect("head"));
	assert!(
		matches!(events[..], [(committed, false), (revealed, true)] if committed < revealed),
		"{events:?}"
	);
	let report: serde_json::Value =
		serde_json::from_str(out.lines().last().expect("a report")).expect("JSON");
	assert_eq!(alice_weights(&node), reported_weights(&report));
}

fn is_reveal(call: &RuntimeCall) -> bool {
	matches!(call, RuntimeCall::CommitReveal(pallet_commit_reveal::Call::reveal_weights { .. }))
}

fn is_commit(call: &RuntimeCall) -> bool {
	matches!(call, RuntimeCall::CommitReveal(pallet_commit_reveal::Call::commit_weights { .. }))
}

#[test]
fn a_reveal_the_relay_refuses_or_drops_is_sent_again_until_it_lands() {
	let (node, dir, models) = devnet_with_two_miners();
	let refuse = || Fault::Refuse { verdict: None };
	let faults = vec![refuse(), Fault::Drop, refuse(), Fault::Drop];
	let proxy = RpcProxy::start(&node.ws_url(), is_reveal, faults);

	let journal = dir.path().join("journal.redb");
	let output = eval(&as_strs(&validate_args(&proxy.ws_url(), &journal, &models)));
	assert!(output.status.success(), "validate: {}", output_text(&output));
	assert_eq!(proxy.applied(), 4, "each fault was met");
	let log = String::from_utf8_lossy(&output.stderr);
	assert!(log.contains("reveal refused for now; trying again next block"), "{log}");
	let report = report(&output);
	assert!(report["reveal_block"].is_u64(), "{report}");
	assert_eq!(alice_weights(&node), reported_weights(&report));
	assert!(pending_of_alice(&node).is_empty(), "nothing left to reveal");
}

#[test]
fn a_round_through_a_relay_that_cuts_the_connection_every_few_reads_finishes_unbroken() {
	let (node, dir, models) = devnet_with_two_miners();
	let proxy = RpcProxy::cutting_reads(&node.ws_url(), 10);

	let journal = dir.path().join("journal.redb");
	let output = eval(&as_strs(&validate_args(&proxy.ws_url(), &journal, &models)));
	assert!(output.status.success(), "validate: {}", output_text(&output));
	assert!(proxy.lost() >= 3, "the relay cut the connection only {} times", proxy.lost());
	// The connection mended itself and the reads were sent again: the round never restarted.
	let log = String::from_utf8_lossy(&output.stderr);
	assert!(!log.contains("lost the node"), "{log}");
	let report = report(&output);
	assert!(report["reveal_block"].is_u64(), "{report}");
	assert_eq!(alice_weights(&node), reported_weights(&report));
}

#[test]
fn a_commit_sent_after_a_long_wait_and_held_in_the_pool_across_a_crash_is_revealed() {
	let (node, dir, models) = devnet_with_two_miners();
	// A window long enough that the commit is retried for more blocks than a commit can take
	// to land (`COMMIT_LIFETIME`, 64).
	set_reveal_config(&node.ws_url(), &["--window", "100"]);
	const REFUSALS: usize = 70;
	let rate_limited = pallet_commit_reveal::Error::<Runtime>::CommitRateLimited.encode()[0];
	let verdict = Err(InvalidTransaction::Custom(rate_limited).into());
	let mut faults = vec![Fault::Refuse { verdict: Some(verdict) }; REFUSALS];
	faults.push(Fault::Withhold);
	let proxy = RpcProxy::start(&node.ws_url(), is_commit, faults);
	let journal = dir.path().join("journal.redb");

	// The commit is refused as rate-limited for 70 blocks, then sent, and the relay sits on
	// it; the validator is killed while it is still "in the pool".
	let mut first = spawn_eval(
		&as_strs(&validate_args(&proxy.ws_url(), &journal, &models)),
		dir.path(),
		"first",
	);
	let started = Instant::now();
	while proxy.withheld().is_empty() {
		assert!(started.elapsed() < ROUND, "the commit was not sent after its refusals");
		assert!(first.try_wait().expect("wait").is_none(), "the validator stopped");
		thread::sleep(Duration::from_millis(50));
	}
	first.kill().expect("SIGKILL");
	let _ = first.wait();
	assert_eq!(proxy.applied(), REFUSALS + 1);
	let held = UncheckedExtrinsic::decode(&mut &proxy.withheld()[0][..]).expect("an extrinsic");
	let RuntimeCall::CommitReveal(pallet_commit_reveal::Call::commit_weights {
		commit_hash, ..
	}) = held.function
	else {
		panic!("the held transaction is a commit");
	};
	assert!(pending_of_alice(&node).is_empty(), "the commit is not on chain");

	// The validator comes back while the commit is still held, then the relay lets it go.
	let args = validate_args(&node.ws_url(), &journal, &models);
	let mut second = spawn_eval(&as_strs(&args), dir.path(), "second");
	thread::sleep(Duration::from_secs(4));
	node.chain().submit_encoded(&held).expect("the held commit enters the pool");
	let (ok, out, err) = finish(&mut second, dir.path(), "second");
	assert!(ok, "restarted validate failed:\n{out}\n{err}");
	assert!(!err.contains("never reached the chain"), "{err}");
	let events = commit_events(&node, commit_hash, node.chain().finalized_number().expect("head"));
	assert!(
		matches!(events[..], [(_, false), (_, true)]),
		"the held commit was revealed: {events:?}\n{err}"
	);
}

#[test]
fn a_second_process_signing_with_the_validators_key_takes_the_next_nonce() {
	// Blocks far apart, so that a transaction of Alice's waits in the pool while galton-eval
	// signs one of its own with her key.
	let node = Node::start(20_000);
	let first = node.chain().best_number().expect("head");
	node.chain().wait_for_block(first + 1, ROUND);
	let nonce = nonce_of_alice(&node);
	let remark = RuntimeCall::System(frame_system::Call::remark { remark: b"busy".to_vec() });
	node.chain().submit(Alice, remark).expect("Alice's remark enters the pool");
	assert_eq!(nonce_of_alice(&node), nonce + 1, "the pool counts the remark");

	let url = node.ws_url();
	let output = eval(&[
		"subnet",
		"set-version-key",
		"--netuid",
		"1",
		"--version-key",
		"7",
		"--key",
		"//Alice",
		"--url",
		&url,
	]);
	assert!(output.status.success(), "set-version-key: {}", output_text(&output));
	let key = pallet_subnets::WeightsVersionKeys::<Runtime>::hashed_key_for(NETUID);
	let version: Option<u64> = node.chain().storage(&key, None).expect("storage read");
	assert_eq!(version, Some(7));
	assert_eq!(nonce_of_alice(&node), nonce + 2, "both transactions landed");
}

#[test]
fn a_model_whose_files_do_not_match_its_commitment_gets_zero_weight() {
	let (node, dir, models, _bob) = devnet_with_bob();
	// Charlie commits one model, but serves other files under the committed name.
	let committed = fixture(&dir.path().join("elsewhere"), "charlie", 2);
	assert!(commit_model(&node, "//Charlie", "charlie", &committed).status.success());
	fixture(&models, "charlie", 3);

	let output =
		eval(&as_strs(&validate_args(&node.ws_url(), &dir.path().join("journal.redb"), &models)));
	assert!(output.status.success(), "validate: {}", output_text(&output));
	let report = report(&output);
	let charlie = report["models"]
		.as_array()
		.and_then(|m| m.iter().find(|m| m["uid"] == 2))
		.unwrap_or_else(|| panic!("Charlie (uid 2) in {report}"));
	let reason = charlie["failure"].as_str().expect("Charlie failed");
	assert!(reason.starts_with("content hash mismatch"), "{reason}");
	assert!(
		String::from_utf8_lossy(&output.stderr).contains("content hash mismatch"),
		"the log says why"
	);
	let weights = reported_weights(&report);
	assert!(weights.iter().all(|&(uid, _)| uid != 2), "Charlie gets nothing: {weights:?}");
	assert_eq!(alice_weights(&node), weights);
}

#[test]
fn a_commit_that_expired_while_the_validator_was_down_is_logged_and_dropped() {
	let (node, dir, models) = devnet_with_two_miners();
	let args = validate_args(&node.ws_url(), &dir.path().join("journal.redb"), &models);

	let mut first = spawn_eval(&as_strs(&args), dir.path(), "first");
	let commit = wait_for_commit(&node, &mut first);
	first.kill().expect("SIGKILL");
	let _ = first.wait();
	node.chain().wait_for_block(commit.expires_at + 1, ROUND);

	let second = eval(&as_strs(&args));
	assert!(second.status.success(), "restarted validate: {}", output_text(&second));
	let log = String::from_utf8_lossy(&second.stderr);
	assert!(log.contains("commit expired before it could be revealed; dropped"), "{log}");
	assert_eq!(reveal_block(&node, commit.hash, commit.reveal_from, commit.expires_at - 1), None);
	// The round after it still commits and reveals.
	assert_eq!(alice_weights(&node), reported_weights(&report(&second)));
}

#[test]
fn a_copy_with_a_readme_added_names_the_holder_and_status_shows_the_subnet() {
	let (node, dir, _models, bob) = devnet_with_bob();

	// The copier takes Bob's published files and adds a README to pass them off as new.
	let copy = dir.path().join("copier/copy");
	std::fs::create_dir_all(&copy).expect("mkdir");
	for entry in std::fs::read_dir(&bob).expect("Bob's files") {
		let entry = entry.expect("entry");
		std::fs::copy(entry.path(), copy.join(entry.file_name())).expect("copy");
	}
	std::fs::write(copy.join("README.md"), "# copier/copy: trained from scratch").expect("write");
	let output = commit_model(&node, "//Charlie", "copy", &copy);
	assert_eq!(output.status.code(), Some(1), "{}", output_text(&output));
	let bob_address = "5FHneW46xGXgs5mUiveU4sbTyGBzmstUspZC92UhjJM694ty";
	let err = String::from_utf8_lossy(&output.stderr);
	assert!(err.contains("already claimed on subnet 1 by") && err.contains(bob_address), "{err}");

	let url = node.ws_url();
	let status = eval(&["status", "--netuid", "1", "--url", &url, "--key", "//Alice"]);
	assert!(status.status.success(), "{}", output_text(&status));
	let out = String::from_utf8_lossy(&status.stdout);
	for expected in [
		"commit-reveal: on, reveal delay 10 blocks, window 20 blocks, one commit per 10 blocks",
		"model claims: commit from 2 blocks after the announcement, for 100 blocks",
		"0: linear:0.005,0.0001,14400, reward share 100.0000%",
		"galton/bob@main",
		"uid 0, validator permit yes",
	] {
		assert!(out.contains(expected), "{expected:?} not in:\n{out}");
	}
}

/// Bob's open announcements, as the runtime API reports them.
fn announcements_of_bob(node: &Node) -> Vec<Announcement<u32>> {
	node.chain().announcements(NETUID, &Bob.to_account_id()).expect("runtime API")
}

#[test]
fn a_miner_killed_between_the_phases_commits_when_run_again() {
	let node = Node::start(BLOCK_MS);
	// Alice owns the subnet: a 20-block claim delay leaves ten seconds between the phases.
	let config = ClaimConfig { reveal_delay: 20, reveal_window: 100 };
	let call = RuntimeCall::ModelRegistry(pallet_model_registry::Call::set_claim_config {
		netuid: NETUID,
		config,
	});
	node.chain().submit(Alice, call).expect("set_claim_config");
	node.chain().wait_for("the new claim config", ROUND, |chain| {
		let current: ClaimConfig<u32> = chain.claim_config(NETUID).ok()?;
		(current == config).then_some(())
	});
	let dir = tempfile::tempdir().expect("temp dir");
	let bob = fixture(&dir.path().join("models"), "bob", 1);
	let args = commit_model_args(&node, "//Bob", "bob", &bob);

	let mut first = spawn_eval(&as_strs(&args), dir.path(), "first");
	let started = Instant::now();
	let announcement = loop {
		if let Some(announcement) = announcements_of_bob(&node).first() {
			break *announcement;
		}
		if let Ok(Some(status)) = first.try_wait() {
			panic!("commit-model exited ({status}) before announcing");
		}
		assert!(started.elapsed() < ROUND, "no announcement within {ROUND:?}");
		thread::sleep(Duration::from_millis(50));
	};
	first.kill().expect("SIGKILL");
	let _ = first.wait();
	let models: Vec<(AccountId, ModelCommitment<u32>, Perbill)> =
		node.chain().models(NETUID).expect("runtime API");
	assert!(models.is_empty(), "killed before phase 2");

	let second = eval(&as_strs(&args));
	assert!(second.status.success(), "commit-model run again: {}", output_text(&second));
	let stdout = String::from_utf8_lossy(&second.stdout);
	assert!(stdout.contains("resuming a claim from the journal"), "{stdout}");
	assert!(stdout.contains("committed model 0x"), "{stdout}");
	let models: Vec<(AccountId, ModelCommitment<u32>, Perbill)> =
		node.chain().models(NETUID).expect("runtime API");
	assert_eq!(models.len(), 1, "{models:?}");
	assert_eq!(models[0].0, Bob.to_account_id());
	assert_eq!(models[0].1.committed_at, announcement.announced_at, "dated from phase 1");
	assert!(announcements_of_bob(&node).is_empty(), "the announcement is used up");
}

/// The finalized block of `node`.
fn finalized(node: &Node) -> u32 {
	node.chain().finalized_number().expect("the node answers")
}

#[test]
fn two_authorities_finalize_with_grandpa_and_a_validator_round_runs_on_them() {
	let dir = tempfile::tempdir().expect("temp dir");
	let alice = Node::start_local(&dir.path().join("alice"), "alice", None);
	let mut bob = Node::start_local(&dir.path().join("bob"), "bob", Some(&alice.p2p_address()));

	// Aura authors, GRANDPA finalizes once both authorities vote: both nodes agree on it.
	alice.chain().wait_for("GRANDPA finality on both nodes", ROUND, |_| {
		(finalized(&alice) >= 3 && finalized(&bob) >= 3).then_some(())
	});
	let hash = |node: &Node| node.chain().block_hash(3).expect("block 3");
	assert_eq!(hash(&alice), hash(&bob));

	// One validator round. The local chain's reveal delay is an hour; root shortens it.
	let url = alice.ws_url();
	set_reveal_config(&url, &["--delay", "3", "--window", "60", "--sudo"]);
	let models = dir.path().join("models");
	let model = fixture(&models, "bob", 1);
	let commit = commit_model(&alice, "//Bob", "bob", &model);
	assert!(commit.status.success(), "commit-model: {}", output_text(&commit));
	let journal = dir.path().join("alice.redb");
	let round = eval(&as_strs(&validate_args(&url, &journal, &models)));
	assert!(round.status.success(), "validate: {}", output_text(&round));
	let report = report(&round);
	assert!(report["reveal_block"].is_u64(), "{report}");
	assert_eq!(alice_weights(&alice), reported_weights(&report));

	// Without Bob, one authority of two is short of GRANDPA's two thirds: finality stops while
	// Alice goes on authoring in her slots.
	bob.stop();
	thread::sleep(Duration::from_secs(3));
	let stalled = finalized(&alice);
	let best = alice.chain().best_number().expect("best block");
	alice.chain().wait_for_block(best + 3, ROUND);
	assert_eq!(finalized(&alice), stalled, "finality went on with one authority of two");
}
