//! End-to-end tests of `galton-eval advise` against a real `galton-node --dev`. `advise
//! epsilon`: the schedule comes from the chain's demo competition, the block time is measured
//! on the chain, and the figures follow the schedule's closed form; a competition the subnet
//! does not have is refused by name. `advise interval`: two validators' weights are read back
//! from an archive node's past state at each tempo boundary, and replayed.

use std::time::Duration;

use galton_e2e::{eval, output_text, Chain, Node};
use galton_primitives::RevealConfig;
use galton_runtime::{Runtime, RuntimeCall};
use polkadot_sdk::sp_keyring::Sr25519Keyring::{self, Alice, Bob};

/// Block time of this devnet.
const BLOCK_MS: u64 = 500;

#[test]
fn advise_epsilon_reads_the_demo_competition_from_the_chain() {
	let node = Node::start(BLOCK_MS);
	// A few blocks, so that the block time can be measured from their timestamps.
	node.chain().wait_for_block(4, Duration::from_secs(60));
	let url = node.ws_url();
	let dir = tempfile::tempdir().expect("a temporary directory");
	let plot = dir.path().join("advice.svg");
	let plot_arg = plot.to_str().expect("utf-8");
	let output = eval(&[
		"advise",
		"epsilon",
		"--netuid",
		"1",
		"--url",
		&url,
		"--round-interval",
		"100",
		"--horizon",
		"20000",
		"--after",
		"100",
		"--alpha",
		"0",
		"--improvements",
		"0.004,0.002,0.0001",
		"--plot",
		plot_arg,
		"--json",
	]);
	assert!(output.status.success(), "{}", output_text(&output));
	let report: serde_json::Value =
		serde_json::from_slice(&output.stdout).expect("one JSON document");
	let measured = report["block_time_ms"].as_u64().expect("a block time");
	// The timestamps count the runtime's one-second slots, however fast the devnet seals.
	assert!((900..=1100).contains(&measured), "measured {measured} ms a block");
	let advice = &report["schedules"][0];
	assert_eq!(advice["schedule"], "linear:0.005,0.0001,14400", "the demo competition's");
	// The incumbent (block 0) loses once 0.5% - 0.49% * age / 14,400 drops below the
	// improvement: at age 2,939 for 0.4%, 8,817 for 0.2% (the next rounds: 3,000 and 8,900),
	// never for 0.01%, the schedule's end. The challenger came at block 100.
	assert_eq!(
		advice["time_to_top"],
		serde_json::json!([[0.004, 2900], [0.002, 8800], [0.0001, null]]),
		"{report}"
	);
	let smallest = advice["smallest_winning_improvement"].as_f64().expect("some improvement wins");
	assert!((0.0001..=0.000101).contains(&smallest), "{smallest}: just above the end");
	assert!(advice["exact_copy_reward"].as_f64().expect("a share") < 1e-9);
	let svg = std::fs::read_to_string(&plot).expect("the plot is written");
	assert!(svg.contains("linear:0.005,0.0001,14400"), "the legend names the schedule");

	let missing =
		eval(&["advise", "epsilon", "--netuid", "1", "--competition", "9", "--url", &url]);
	assert_eq!(missing.status.code(), Some(1), "{}", output_text(&missing));
	assert!(
		String::from_utf8_lossy(&missing.stderr).contains("subnet 1 has no competition 9"),
		"{}",
		output_text(&missing)
	);
}

/// The demo subnet.
const NETUID: u16 = 1;

/// `Subnets::Weights` of `uid` on the demo subnet at the best block.
fn weights_of(chain: &Chain, uid: u16) -> Vec<(u16, u16)> {
	let key = pallet_subnets::Weights::<Runtime>::hashed_key_for(NETUID, uid);
	chain.storage(&key, None).expect("storage read").unwrap_or_default()
}

/// `who` sets `weights` on the demo subnet; returns once they are in force.
fn set_weights(chain: &Chain, who: Sr25519Keyring, uid: u16, weights: &[(u16, u16)]) {
	let call = RuntimeCall::Subnets(pallet_subnets::Call::set_weights {
		netuid: NETUID,
		uids: weights.iter().map(|(target, _)| *target).collect(),
		values: weights.iter().map(|(_, value)| *value).collect(),
		version_key: 0,
	});
	chain.submit(who, call).expect("the pool takes the weights");
	chain.wait_for("the weights", Duration::from_secs(60), |chain| {
		(weights_of(chain, uid) == weights).then_some(())
	});
}

#[test]
fn advise_interval_replays_the_weights_in_force_at_each_tempo_of_an_archive_node() {
	let dir = tempfile::tempdir().expect("a temporary directory");
	let base = dir.path().join("node");
	std::fs::create_dir(&base).expect("mkdir");
	let node = Node::start_in(&base, BLOCK_MS);
	let chain = node.chain();
	// Alice owns the demo subnet: plain weights instead of commit-reveal, and a permit for Bob
	// (uid 1) beside hers (uid 0); Charlie and Dave (uids 2 and 3) are the miners.
	let config =
		RevealConfig { enabled: false, ..chain.reveal_config(NETUID).expect("the reveal config") };
	chain
		.submit(
			Alice,
			RuntimeCall::CommitReveal(pallet_commit_reveal::Call::set_reveal_config {
				netuid: NETUID,
				config,
			}),
		)
		.expect("the pool takes the config");
	chain.wait_for("commit-reveal off", Duration::from_secs(60), |chain| {
		(!chain.reveal_config(NETUID).ok()?.enabled).then_some(())
	});
	let permit = RuntimeCall::Subnets(pallet_subnets::Call::set_validator_permit {
		netuid: NETUID,
		uid: 1,
		granted: true,
	});
	chain.submit(Alice, permit).expect("the pool takes the permit");
	let bob_permit = pallet_subnets::ValidatorPermits::<Runtime>::hashed_key_for(NETUID, 1u16);
	chain.wait_for("Bob's permit", Duration::from_secs(60), |chain| {
		chain.storage::<()>(&bob_permit, None).ok().flatten()
	});

	// Five tempos of ten blocks: Alice always on Charlie; Bob on Charlie, then on Dave.
	const TEMPO: u32 = 10;
	let alice = [(2, u16::MAX)];
	let bob_rows: [&[(u16, u16)]; 2] = [&[(2, u16::MAX)], &[(2, 1000), (3, u16::MAX)]];
	set_weights(chain, Alice, 0, &alice);
	let first = chain.best_number().expect("best block").div_ceil(TEMPO) * TEMPO + TEMPO;
	for (tempo, bob) in (0..5).zip(bob_rows.iter().cycle()) {
		chain.wait_for_block(first + tempo * TEMPO - 5, Duration::from_secs(60));
		set_weights(chain, Bob, 1, bob);
	}
	let last = first + 4 * TEMPO;
	chain.wait_for_block(last + 2, Duration::from_secs(60));
	let saved = dir.path().join("history.jsonl");
	let output = eval(&[
		"advise",
		"interval",
		"--netuid",
		"1",
		"--url",
		&node.ws_url(),
		"--tempo",
		&TEMPO.to_string(),
		"--from",
		&first.to_string(),
		"--to",
		&last.to_string(),
		"--intervals",
		"0..2",
		"--average-over",
		"2",
		"--save-history",
		saved.to_str().expect("utf-8"),
		"--json",
	]);
	assert!(output.status.success(), "{}", output_text(&output));
	let report: serde_json::Value =
		serde_json::from_slice(&output.stdout).expect("one JSON document");
	assert_eq!(report["epochs"], 5, "{report}");
	assert_eq!(report["tempo"], 10);
	assert_eq!(report["intervals"].as_array().map(Vec::len), Some(3), "{report}");

	let history = std::fs::read_to_string(&saved).expect("the saved history");
	let epochs: Vec<serde_json::Value> =
		history.lines().map(|line| serde_json::from_str(line).expect("a JSON line")).collect();
	assert_eq!(epochs.len(), 5);
	for (index, epoch) in epochs.iter().enumerate() {
		let block = u64::from(first + index as u32 * TEMPO);
		assert_eq!(epoch["block"], block, "{epoch}");
		assert_eq!(epoch["permits"], serde_json::json!([true, true, false, false]), "{epoch}");
		assert_eq!(epoch["stakes"][0], epoch["stakes"][1], "equal stakes for the validators");
		assert_eq!(epoch["weights"][0], serde_json::json!(alice.to_vec()), "{epoch}");
		let bob = bob_rows[index % 2].to_vec();
		assert_eq!(
			epoch["weights"][1],
			serde_json::json!(bob),
			"Bob's weights in force at {block}"
		);
		assert_eq!(epoch["last_update"][1], block - 1, "a uid with weights counts as updated");
	}

	// A node that keeps only the last 256 blocks' state (the default) cannot answer for block
	// 1 once it is 300 blocks on: refused with the reason.
	let pruned = Node::start(100);
	pruned.chain().wait_for_block(300, Duration::from_secs(180));
	let output = eval(&[
		"advise",
		"interval",
		"--netuid",
		"1",
		"--url",
		&pruned.ws_url(),
		"--tempo",
		"10",
		"--from",
		"1",
		"--to",
		"20",
	]);
	assert!(!output.status.success());
	assert!(output_text(&output).contains("archive node"), "{}", output_text(&output));
}
