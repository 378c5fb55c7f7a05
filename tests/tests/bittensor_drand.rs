//! galton-timelock against bittensor's own timelock library (PyPI `bittensor-drand` 2.0.0, the
//! encryption bittensor's SDK uses for subtensor's timelocked commits), offline, with drand
//! quicknet's published round 1000: each side opens the other's ciphertext. Skipped, saying
//! why, where the package cannot be installed.

use std::process::Command;

use codec::{Decode, Encode};
use galton_e2e::{manifest_dir, python_with};
use galton_timelock::{
	decrypt, seal,
	subtensor::{from_subtensor, to_subtensor},
	BeaconSignature, QUICKNET,
};

/// drand quicknet's pulse for round 1000, as api.drand.sh publishes it.
const ROUND_1000: &str = "b44679b9a59af2ec876b1a6b1ad52ea9b1615fc3982b19576350f93447cb1125e342b73a8dd2bacbe47e4b6b63ed5e39";

/// A payload as a validator commits one: bytes of every value.
const PAYLOAD: &[u8] = b"\x00\x01\x02 galton weights \xfe\xff";

fn hex(bytes: &[u8]) -> String {
	bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Vec<u8> {
	let text = text.trim();
	(0..text.len())
		.step_by(2)
		.map(|i| u8::from_str_radix(&text[i..i + 2], 16).expect("hex from the script"))
		.collect()
}

/// Run the script with `args`; its standard output.
fn drand(python: &std::path::Path, args: &[&str]) -> String {
	let output = Command::new(python)
		.arg(manifest_dir().join("python/bittensor_drand_timelock.py"))
		.args(args)
		.output()
		.expect("the Python script runs");
	assert!(
		output.status.success(),
		"bittensor-drand failed: {}",
		String::from_utf8_lossy(&output.stderr)
	);
	String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn galton_timelock_and_bittensor_drand_open_each_others_ciphertexts() {
	let python = match python_with("bittensor-drand==2.0.0", "bittensor_drand") {
		Ok(python) => python,
		Err(why) => {
			println!("SKIPPED: bittensor-drand is not available here: {why}");
			return;
		}
	};
	let signature = BeaconSignature(unhex(ROUND_1000).try_into().expect("48 bytes"));

	// bittensor-drand encrypts; galton-timelock opens.
	let wrapped = unhex(&drand(&python, &["encrypt", &hex(PAYLOAD), "1000"]));
	let (bytes, round) = <(Vec<u8>, u64)>::decode(&mut &wrapped[..]).expect("(ciphertext, round)");
	assert_eq!(round, 1000);
	let theirs = from_subtensor(&bytes).expect("subtensor's wire format");
	assert_eq!(decrypt(&theirs, &signature), Ok(PAYLOAD.to_vec()));

	// galton-timelock encrypts; bittensor-drand opens.
	let ours = seal(&QUICKNET.public_key, 1000, PAYLOAD).expect("sealed");
	let wrapped = (to_subtensor(&ours), 1000u64).encode();
	let opened = unhex(&drand(&python, &["decrypt", &hex(&wrapped), ROUND_1000]));
	assert_eq!(opened, PAYLOAD);
}
