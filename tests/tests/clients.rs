//! The tools validators and miners already use read a Galton chain: py-substrate-interface (the
//! newest release on PyPI, 1.8.1, which bittensor tooling builds on) decodes every block with
//! its default settings, beacon pulses included, and waits for a transfer's inclusion. Skipped,
//! with the reason, where the package cannot be installed.

use std::{process::Command, time::Duration};

use galton_e2e::{manifest_dir, python_with, Node};

/// Blocks carrying pulses the client must decode (a pulse every 3 s round).
const PULSE_BLOCKS: &str = "4";

#[test]
fn substrate_interface_reads_blocks_with_pulses_and_waits_for_inclusion() {
	let python = match python_with("substrate-interface==1.8.1", "substrateinterface") {
		Ok(python) => python,
		Err(why) => {
			println!("SKIPPED: py-substrate-interface is not available here: {why}");
			return;
		}
	};
	let node = Node::start(500);
	node.chain().wait_for_block(2, Duration::from_secs(60));
	let script = manifest_dir().join("python/substrate_interface_reads_blocks.py");
	let output = Command::new(python)
		.arg(script)
		.args([&node.ws_url(), PULSE_BLOCKS])
		.output()
		.expect("the Python client runs");
	let text = format!(
		"{}{}",
		String::from_utf8_lossy(&output.stdout),
		String::from_utf8_lossy(&output.stderr)
	);
	assert!(output.status.success(), "py-substrate-interface failed on the devnet:\n{text}");
	assert!(text.contains("with pulses"), "{text}");
	println!("{text}");
}
