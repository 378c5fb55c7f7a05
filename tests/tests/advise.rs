//! End-to-end test of `galton-eval advise epsilon` against a real `galton-node --dev`: the
//! schedule comes from the chain's demo competition, the block time is measured on the chain,
//! and the figures follow the schedule's closed form; a competition the subnet does not have
//! is refused by name.

use std::time::Duration;

use galton_e2e::{eval, output_text, Node};

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
