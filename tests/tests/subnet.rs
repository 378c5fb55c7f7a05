//! End-to-end tests of `galton-eval subnet` against a real `galton-node --dev`: the subnet's
//! owner (or root, with `--sudo`) changes each setting; anyone else is refused with the reason,
//! and nothing changes; a dry run sends nothing; `status --json` shows the whole subnet.

use std::process::Output;

use galton_e2e::{eval, output_text, Node};
use galton_primitives::{ClaimConfig, Competition, CompetitionId, RevealConfig};
use galton_runtime::Runtime;
use polkadot_sdk::{
	sp_core::crypto::Ss58Codec,
	sp_keyring::Sr25519Keyring::{self, Alice, Bob, Charlie, Eve},
};

/// Block time of these devnets.
const BLOCK_MS: u64 = 500;
/// The demo subnet of the `--dev` chain, owned by Alice (also the sudo key).
const NETUID: u16 = 1;

fn address(who: Sr25519Keyring) -> String {
	who.to_account_id().to_ss58check()
}

/// `galton-eval subnet ARGS --url <node> --key //<who>`.
fn subnet(node: &Node, who: Sr25519Keyring, args: &[&str]) -> Output {
	let url = node.ws_url();
	let key = format!("//{who:?}");
	let mut all = vec!["subnet"];
	all.extend_from_slice(args);
	all.extend(["--url", &url, "--key", &key]);
	eval(&all)
}

/// Run and expect success; returns stdout.
fn ok(output: Output) -> String {
	assert!(output.status.success(), "{}", output_text(&output));
	String::from_utf8_lossy(&output.stdout).into_owned()
}

/// Run and expect a refusal (exit 1); returns stderr.
fn refused(output: Output) -> String {
	assert_eq!(output.status.code(), Some(1), "{}", output_text(&output));
	String::from_utf8_lossy(&output.stderr).into_owned()
}

fn reveal_config(node: &Node) -> RevealConfig<u32> {
	node.chain().reveal_config(NETUID).expect("runtime API")
}

fn claim_config(node: &Node) -> ClaimConfig<u32> {
	node.chain().claim_config(NETUID).expect("runtime API")
}

fn competitions(node: &Node) -> Vec<(CompetitionId, Competition)> {
	node.chain().competitions(NETUID).expect("runtime API")
}

fn version_key(node: &Node, netuid: u16) -> u64 {
	let key = pallet_subnets::WeightsVersionKeys::<Runtime>::hashed_key_for(netuid);
	node.chain().storage(&key, None).expect("storage read").unwrap_or_default()
}

fn has_permit(node: &Node, netuid: u16, uid: u16) -> bool {
	let key = pallet_subnets::ValidatorPermits::<Runtime>::hashed_key_for(netuid, uid);
	node.chain().storage::<()>(&key, None).expect("storage read").is_some()
}

#[test]
fn the_owner_changes_each_setting_and_anyone_else_is_refused() {
	let node = Node::start(BLOCK_MS);
	let before = reveal_config(&node);

	// Durations become blocks at the block time, and both are printed.
	let out = ok(subnet(
		&node,
		Alice,
		&[
			"set-reveal-config",
			"--netuid",
			"1",
			"--delay",
			"2h",
			"--window",
			"30m",
			"--block-time",
			"6s",
		],
	));
	assert!(
		out.contains(
			"reveal delay: 10 blocks (1m at 6s a block) -> 1200 blocks (2h at 6s a block)"
		),
		"{out}"
	);
	assert!(out.contains("CommitReveal::set_reveal_config signed by"), "{out}");
	let config = RevealConfig { reveal_delay: 1_200, reveal_window: 300, ..before };
	assert_eq!(reveal_config(&node), config);

	// Bob is neither the owner nor root: refused, named as such, and nothing changes.
	let err = refused(subnet(&node, Bob, &["set-reveal-config", "--netuid", "1", "--delay", "5"]));
	assert!(err.contains("BadOrigin"), "{err}");
	assert!(err.contains(&format!("{} is neither the owner of subnet 1", address(Bob))), "{err}");
	assert!(err.contains(&format!("(owner: {})", address(Alice))), "{err}");
	// As root, he needs the sudo key.
	let err = refused(subnet(
		&node,
		Bob,
		&["set-reveal-config", "--netuid", "1", "--delay", "5", "--sudo"],
	));
	assert!(err.contains("Sudo::RequireSudo") && err.contains("is not the sudo key"), "{err}");
	assert_eq!(reveal_config(&node), config);

	// The version key.
	ok(subnet(&node, Alice, &["set-version-key", "--netuid", "1", "--version-key", "7"]));
	assert_eq!(version_key(&node, NETUID), 7);
	let err =
		refused(subnet(&node, Bob, &["set-version-key", "--netuid", "1", "--version-key", "8"]));
	assert!(err.contains("BadOrigin"), "{err}");
	assert_eq!(version_key(&node, NETUID), 7);

	// A dry run prints the call, signed by no one, and sends nothing.
	let out = ok(eval(&[
		"subnet",
		"set-version-key",
		"--netuid",
		"1",
		"--version-key",
		"9",
		"--sudo",
		"--dry-run",
		"--url",
		&node.ws_url(),
	]));
	assert!(out.contains("call: Sudo::sudo(Subnets::set_weights_version_key)"), "{out}");
	assert!(out.contains("version_key: 9") && out.contains("encoded: 0x"), "{out}");
	assert_eq!(version_key(&node, NETUID), 7);

	// The model commit interval and the claim config (flags not given keep their value).
	ok(subnet(&node, Alice, &["set-commit-interval", "--netuid", "1", "--interval", "50"]));
	let key = pallet_model_registry::CommitIntervals::<Runtime>::hashed_key_for(NETUID);
	assert_eq!(node.chain().storage::<u32>(&key, None).expect("read"), Some(50));
	let err =
		refused(subnet(&node, Bob, &["set-commit-interval", "--netuid", "1", "--interval", "0"]));
	assert!(err.contains("BadOrigin"), "{err}");
	let claim = claim_config(&node);
	ok(subnet(&node, Alice, &["set-claim-config", "--netuid", "1", "--window", "200"]));
	assert_eq!(claim_config(&node), ClaimConfig { reveal_window: 200, ..claim });
	let err = refused(subnet(&node, Bob, &["set-claim-config", "--netuid", "1", "--window", "9"]));
	assert!(err.contains("BadOrigin"), "{err}");

	// Competitions: a new one needs every setting; then it can be changed and removed.
	let err = refused(subnet(&node, Alice, &["set-competition", "--netuid", "1", "--id", "1"]));
	assert!(err.contains("give --schedule, --reward-share, --max-params"), "{err}");
	let new = [
		"set-competition",
		"--netuid",
		"1",
		"--id",
		"1",
		"--schedule",
		"fixed:0.01",
		"--reward-share",
		"0%",
		"--max-params",
		"1000",
	];
	let err = refused(subnet(&node, Bob, &new));
	assert!(err.contains("BadOrigin"), "{err}");
	assert_eq!(competitions(&node).len(), 1);
	ok(subnet(&node, Alice, &new));
	// The shares of a subnet's competitions add up to at most 100%: the pallet says which rule.
	let err = refused(subnet(
		&node,
		Alice,
		&["set-competition", "--netuid", "1", "--id", "1", "--reward-share", "1%"],
	));
	assert!(err.contains("ModelRegistry::RewardSharesExceedWhole"), "{err}");
	let listed = competitions(&node);
	assert_eq!(listed.len(), 2);
	assert_eq!(listed[1].1.max_params, 1_000);
	let err = refused(subnet(&node, Bob, &["remove-competition", "--netuid", "1", "--id", "1"]));
	assert!(err.contains("BadOrigin"), "{err}");
	ok(subnet(&node, Alice, &["remove-competition", "--netuid", "1", "--id", "1"]));
	assert_eq!(competitions(&node).len(), 1);

	// Permits: granted to Bob's uid 1 by the owner only; an unknown uid is the pallet's error.
	let err = refused(subnet(&node, Bob, &["set-permit", "--netuid", "1", "--uid", "1"]));
	assert!(err.contains("BadOrigin"), "{err}");
	assert!(!has_permit(&node, NETUID, 1));
	ok(subnet(&node, Alice, &["set-permit", "--netuid", "1", "--uid", "1"]));
	assert!(has_permit(&node, NETUID, 1));
	let err = refused(subnet(&node, Alice, &["set-permit", "--netuid", "1", "--uid", "99"]));
	assert!(err.contains("Subnets::UnknownUid"), "{err}");
}

#[test]
fn a_new_subnet_is_created_registered_on_and_changed_by_its_owner_or_root() {
	let node = Node::start(BLOCK_MS);
	let out = ok(subnet(&node, Charlie, &["create"]));
	assert!(out.contains(&format!("created subnet 2 owned by {}", address(Charlie))), "{out}");
	let out = ok(subnet(&node, Eve, &["register", "--netuid", "2"]));
	assert!(out.contains(&format!("{} registered on subnet 2 with uid 0", address(Eve))), "{out}");
	let err = refused(subnet(&node, Eve, &["register", "--netuid", "2"]));
	assert!(err.contains("Subnets::AlreadyRegistered"), "{err}");
	let err = refused(subnet(&node, Eve, &["register", "--netuid", "9"]));
	assert!(err.contains("Subnets::UnknownSubnet"), "{err}");

	ok(subnet(&node, Charlie, &["set-permit", "--netuid", "2", "--uid", "0"]));
	assert!(has_permit(&node, 2, 0));

	// Alice owns subnet 1, not subnet 2; as root (she holds the sudo key) she may change it.
	let err =
		refused(subnet(&node, Alice, &["set-version-key", "--netuid", "2", "--version-key", "3"]));
	assert!(err.contains(&format!("(owner: {})", address(Charlie))), "{err}");
	let out = ok(subnet(
		&node,
		Alice,
		&["set-version-key", "--netuid", "2", "--version-key", "3", "--sudo"],
	));
	assert!(out.contains("(as root)"), "{out}");
	assert_eq!(version_key(&node, 2), 3);
	// Root's call itself can still fail: the wrapped call's error is reported, not success.
	let err =
		refused(subnet(&node, Alice, &["set-permit", "--netuid", "2", "--uid", "5", "--sudo"]));
	assert!(err.contains("Subnets::UnknownUid"), "{err}");

	let status = eval(&["status", "--netuid", "2", "--json", "--url", &node.ws_url()]);
	let out = ok(status);
	let json: serde_json::Value = serde_json::from_str(&out).expect("status --json prints JSON");
	assert_eq!(json["owner"], address(Charlie));
	assert_eq!(json["weights_version_key"], 3);
	assert_eq!(json["neurons"][0]["uid"], 0);
	assert_eq!(json["neurons"][0]["hotkey"], address(Eve));
	assert_eq!(json["neurons"][0]["validator_permit"], true);
	assert_eq!(json["neurons"].as_array().map(Vec::len), Some(1));
	assert!(json["reveal_config"]["reveal_delay"].is_u64(), "{json}");
}
