//! `galton-eval` as a user runs it: `score` ranks fixture models end to end, and every bad
//! input gives a clear error.

use std::{
	path::{Path, PathBuf},
	process::{Command, Output},
};

use galton_eval::fixtures::TinyLlama;

const SEED: &str = "0x1111111111111111111111111111111111111111111111111111111111111111";

fn galton_eval(args: &[&str]) -> Output {
	Command::new(env!("CARGO_BIN_EXE_galton-eval"))
		.args(args)
		.env("RUST_LOG", "warn")
		.output()
		.expect("galton-eval runs")
}

fn stdout(output: &Output) -> String {
	String::from_utf8_lossy(&output.stdout).into_owned()
}

fn stderr(output: &Output) -> String {
	String::from_utf8_lossy(&output.stderr).into_owned()
}

fn fixture(root: &Path, name: &str, seed: u64, init_std: f32) -> PathBuf {
	let dir = root.join(name);
	TinyLlama { seed, init_std, ..TinyLlama::default() }.write(&dir).expect("fixture written");
	dir
}

/// The corpus shipped with the engine, found from this crate's directory when the test runs.
fn shipped_corpus() -> PathBuf {
	let dir = std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo test sets CARGO_MANIFEST_DIR");
	PathBuf::from(dir).join("../engine/fixtures/corpus.jsonl")
}

fn edit_config(dir: &Path, edit: impl FnOnce(&mut serde_json::Value)) {
	galton_eval::fixtures::edit_config(dir, edit).expect("config edited");
}

/// Run `score --json` with small samples and return the parsed output.
fn score_json(models: &[String], extra: &[&str]) -> serde_json::Value {
	let corpus = shipped_corpus();
	let mut args = vec!["score", "--corpus", corpus.to_str().expect("utf-8"), "--seed", SEED];
	args.extend([
		"--now",
		"1000",
		"--batches",
		"6",
		"--batch-size",
		"2",
		"--seq-len",
		"96",
		"--json",
	]);
	for model in models {
		args.extend(["--model", model.as_str()]);
	}
	args.extend(extra);
	let output = galton_eval(&args);
	assert!(output.status.success(), "score failed: {}", stderr(&output));
	serde_json::from_slice(&output.stdout).expect("JSON output")
}

fn spec(dir: &Path, block: u64) -> String {
	format!("{}@{block}", dir.display())
}

#[test]
fn score_ranks_three_fixture_models() {
	let root = tempfile::tempdir().expect("temp dir");
	let models: Vec<String> = [(1, 0.02), (2, 0.04), (3, 0.2)]
		.iter()
		.map(|&(seed, std)| spec(&fixture(root.path(), &format!("m{seed}"), seed, std), 500))
		.collect();
	let out = score_json(&models, &[]);
	let rows = out["models"].as_array().expect("models");
	assert_eq!(rows.len(), 3);
	let loss = |r: &serde_json::Value| r["mean_loss"].as_f64().expect("finite loss");
	let mut by_loss: Vec<&serde_json::Value> = rows.iter().collect();
	by_loss.sort_by(|a, b| loss(a).total_cmp(&loss(b)));
	// Same commit block: no epsilon; the lowest loss wins the most batches and the top weight.
	assert!(loss(by_loss[0]) < loss(by_loss[1]) && loss(by_loss[1]) < loss(by_loss[2]));
	let rate = |r: &serde_json::Value| r["win_rate"].as_f64().expect("rate");
	assert!(rate(by_loss[0]) >= rate(by_loss[1]) && rate(by_loss[1]) >= rate(by_loss[2]));
	assert_eq!(by_loss[0]["weight_u16"], 65535);
	assert!(rows
		.iter()
		.all(|r| r["failure"].is_null() && r["losses"].as_array().map(Vec::len) == Some(6)));
	let total: f64 = rows.iter().map(|r| r["weight"].as_f64().expect("weight")).sum();
	assert!((total - 1.0).abs() < 1e-9);

	// The same seed gives the same numbers (all but the measured speed).
	let without_speed = |mut v: serde_json::Value| {
		v["models"].as_array_mut().expect("models").iter_mut().for_each(|r| {
			r.as_object_mut().expect("object").remove("tokens_per_second");
		});
		v
	};
	assert_eq!(without_speed(out), without_speed(score_json(&models, &[])));
}

#[test]
fn score_saves_the_batches_it_measured_and_refuses_an_unwritable_file() {
	let root = tempfile::tempdir().expect("temp dir");
	let model = spec(&fixture(root.path(), "m", 1, 0.02), 0);
	let saved = root.path().join("batches.jsonl");
	let read = || {
		let text = std::fs::read_to_string(&saved).expect("batches written");
		text.lines()
			.map(|line| {
				let batch: serde_json::Value = serde_json::from_str(line).expect("a JSON line");
				let rows = batch["rows"].as_array().expect("rows").clone();
				rows.iter()
					.map(|row| {
						let row = row.as_array().expect("a row");
						row.iter().map(|t| t.as_u64().expect("a token")).collect::<Vec<_>>()
					})
					.collect::<Vec<_>>()
			})
			.collect::<Vec<_>>()
	};
	score_json(std::slice::from_ref(&model), &["--save-batches", saved.to_str().expect("utf-8")]);
	let batches = read();
	// --batches 6 --batch-size 2 --seq-len 96, tokens of the fixture's byte-level vocabulary.
	assert_eq!(batches.len(), 6);
	assert!(batches.iter().all(|b| b.len() == 2 && b.iter().all(|row| row.len() == 96)));
	let limit = galton_eval::fixtures::TOKENIZER_VOCAB as u64;
	assert!(batches.iter().flatten().flatten().all(|&t| t < limit));
	// The same seed draws the same batches.
	score_json(std::slice::from_ref(&model), &["--save-batches", saved.to_str().expect("utf-8")]);
	assert_eq!(read(), batches);

	let missing = root.path().join("no-such-dir/batches.jsonl");
	let corpus = shipped_corpus();
	let output = galton_eval(&[
		"score",
		"--model",
		&model,
		"--corpus",
		corpus.to_str().expect("utf-8"),
		"--seed",
		SEED,
		"--now",
		"0",
		"--save-batches",
		missing.to_str().expect("utf-8"),
	]);
	assert!(!output.status.success());
	assert!(stderr(&output).contains("creating"), "{}", stderr(&output));
}

#[test]
fn a_copied_model_gets_nothing_from_the_older_original() {
	let root = tempfile::tempdir().expect("temp dir");
	let original = fixture(root.path(), "original", 7, 0.02);
	let copy = root.path().join("copy");
	std::fs::create_dir(&copy).expect("mkdir");
	for file in ["config.json", "model.safetensors", "tokenizer.json"] {
		std::fs::copy(original.join(file), copy.join(file)).expect("copy");
	}
	let out = score_json(&[spec(&original, 100), spec(&copy, 900)], &["--schedule", "fixed:0.005"]);
	let rows = out["models"].as_array().expect("models");
	assert_eq!(rows[0]["mean_loss"], rows[1]["mean_loss"], "same files, same losses");
	assert_eq!(rows[0]["win_rate"], 1.0);
	assert_eq!(
		(rows[0]["weight_u16"].as_u64(), rows[1]["weight_u16"].as_u64()),
		(Some(65535), Some(0))
	);
	// Committed in the same block, neither has the advantage.
	let tie = score_json(&[spec(&original, 100), spec(&copy, 100)], &[]);
	assert_eq!(tie["models"][0]["weight_u16"], tie["models"][1]["weight_u16"]);
}

#[test]
fn broken_models_score_zero_with_the_reason_and_the_others_still_count() {
	let root = tempfile::tempdir().expect("temp dir");
	let good = fixture(root.path(), "good", 1, 0.02);
	let gpt2 = fixture(root.path(), "gpt2", 2, 0.02);
	edit_config(&gpt2, |c| c["architectures"] = serde_json::json!(["GPT2LMHeadModel"]));
	let short = fixture(root.path(), "short", 3, 0.02);
	edit_config(&short, |c| c["max_position_embeddings"] = serde_json::json!(64));
	let small_vocab = root.path().join("vocab");
	TinyLlama { vocab: 100, ..TinyLlama::default() }.write(&small_vocab).expect("fixture written");
	let missing = root.path().join("missing");
	let out = score_json(
		&[
			spec(&good, 1),
			spec(&gpt2, 1),
			spec(&short, 1),
			spec(&small_vocab, 1),
			spec(&missing, 1),
		],
		&[],
	);
	let rows = out["models"].as_array().expect("models");
	assert!(rows[0]["failure"].is_null());
	assert_eq!(rows[0]["weight_u16"], 65535);
	let reasons: Vec<&str> =
		rows[1..].iter().map(|r| r["failure"].as_str().expect("failed")).collect();
	assert!(reasons[0].contains("GPT2LMHeadModel"), "{}", reasons[0]);
	assert!(reasons[1].contains("--seq-len 96") && reasons[1].contains("64"), "{}", reasons[1]);
	assert!(
		reasons[2].contains("tokenizer.json") && reasons[2].contains("vocab_size 100"),
		"{}",
		reasons[2]
	);
	assert!(reasons[3].contains("missing"), "{}", reasons[3]);
	assert!(rows[1..].iter().all(|r| r["weight_u16"] == 0 && r["mean_loss"].is_null()));

	let limited = score_json(&[spec(&good, 1)], &["--max-params", "1000"]);
	assert!(limited["models"][0]["failure"].as_str().expect("failed").contains("at most 1000"));
}

/// `score` with one model and small samples (1 batch of 1 row of 16 tokens) as arguments.
fn small_score_args(model: &str) -> Vec<String> {
	let corpus = shipped_corpus();
	let corpus = corpus.to_str().expect("utf-8");
	let args = ["score", "--model", model, "--corpus", corpus, "--seed", SEED, "--now", "10"];
	let sizes = ["--batches", "1", "--batch-size", "1", "--seq-len", "16"];
	args.iter().chain(&sizes).map(|s| s.to_string()).collect()
}

fn run(args: &[String]) -> Output {
	galton_eval(&args.iter().map(String::as_str).collect::<Vec<_>>())
}

#[test]
fn the_table_lists_every_model_and_the_settings() {
	let root = tempfile::tempdir().expect("temp dir");
	let model = spec(&fixture(root.path(), "m", 1, 0.02), 3);
	let output = run(&small_score_args(&model));
	assert!(output.status.success(), "{}", stderr(&output));
	let table = stdout(&output);
	assert!(table.starts_with("model"), "{table}");
	assert!(table.contains(&model.replace("@3", "")) && table.contains("65535"), "{table}");
	let settings =
		"1 batches x 1 rows x 16 tokens on cpu, block 10, schedule linear:0.005,0.0001,14400";
	assert!(table.contains(settings), "{table}");
}

#[test]
fn hash_prints_the_content_hash() {
	let root = tempfile::tempdir().expect("temp dir");
	let dir = fixture(root.path(), "m", 1, 0.02);
	let output = galton_eval(&["hash", dir.to_str().expect("utf-8")]);
	assert!(output.status.success());
	let expected =
		galton_eval::hash::content_hash(&dir, galton_eval::hash::Links::Follow).expect("hash");
	assert_eq!(stdout(&output).trim(), format!("0x{}", hex::encode(expected)));

	let missing = galton_eval(&["hash", root.path().join("nope").to_str().expect("utf-8")]);
	assert_eq!(missing.status.code(), Some(1));
	assert!(stderr(&missing).contains("nope"), "{}", stderr(&missing));
}

#[test]
fn hash_ignores_files_the_evaluator_does_not_load() {
	let root = tempfile::tempdir().expect("temp dir");
	let dir = fixture(root.path(), "m", 1, 0.02);
	let before = galton_eval(&["hash", dir.to_str().expect("utf-8")]);
	std::fs::write(dir.join("README.md"), "# A brand new model (copied)").expect("write");
	let after = galton_eval(&["hash", dir.to_str().expect("utf-8")]);
	assert!(before.status.success() && after.status.success());
	assert_eq!(stdout(&before), stdout(&after));
}

/// `commit-model` of the model in `dir` as `repo` at `revision`, with `journal`, against a URL
/// where nothing listens (every refusal must come before connecting); the key is the caller's.
fn commit_model_args(repo: &str, revision: &str, dir: &Path, journal: &Path) -> Vec<String> {
	let path = |p: &Path| p.to_str().expect("utf-8").to_owned();
	let mut args: Vec<String> =
		["commit-model", "--netuid", "1", "--competition", "0"].map(str::to_owned).to_vec();
	args.extend([
		"--repo".to_owned(),
		repo.to_owned(),
		"--revision".to_owned(),
		revision.to_owned(),
	]);
	args.extend(["--model-dir".to_owned(), path(dir), "--journal".to_owned(), path(journal)]);
	args.extend(["--url".to_owned(), "ws://127.0.0.1:1".to_owned()]);
	args
}

#[test]
fn commit_model_checks_its_inputs_before_touching_the_chain() {
	let root = tempfile::tempdir().expect("temp dir");
	let model = fixture(root.path(), "m", 1, 0.02);
	let empty = root.path().join("empty");
	std::fs::create_dir(&empty).expect("mkdir");
	let journal = root.path().join("claims.redb");
	let commit = |repo: &str, revision: &str, dir: &Path| {
		let mut args = commit_model_args(repo, revision, dir, &journal);
		args.extend(["--key".to_owned(), "//Bob".to_owned()]);
		run(&args)
	};
	let cases: [(&str, &str, &Path, i32, &str); 5] = [
		("../etc", "main", &model, 2, "ORG/NAME"),
		("org/na me", "main", &model, 2, "ORG/NAME"),
		("org/name", "../../x", &model, 2, "commit id or a branch or tag name"),
		("org/name", "main", &empty, 1, "no model files"),
		("org/name", "main", &root.path().join("missing"), 1, "missing"),
	];
	for (repo, revision, dir, code, message) in cases {
		let output = commit(repo, revision, dir);
		let err = stderr(&output);
		assert_eq!(output.status.code(), Some(code), "{repo} {revision}: {err}");
		assert!(err.contains(message), "{repo} {revision}: expected {message:?} in {err}");
		assert!(!err.contains("cannot connect"), "{err}");
	}
}

#[test]
fn fixture_writes_a_reproducible_model_and_checks_its_options() {
	let root = tempfile::tempdir().expect("temp dir");
	let a = root.path().join("a");
	let b = root.path().join("b");
	let first = galton_eval(&["fixture", a.to_str().expect("utf-8"), "--seed", "5"]);
	let second = galton_eval(&["fixture", b.to_str().expect("utf-8"), "--seed", "5"]);
	assert!(first.status.success() && second.status.success());
	let hash = |o: &Output| stdout(o).split_whitespace().last().map(str::to_owned);
	assert_eq!(hash(&first), hash(&second));

	let bad =
		galton_eval(&["fixture", a.to_str().expect("utf-8"), "--heads", "3", "--kv-heads", "2"]);
	assert_eq!(bad.status.code(), Some(1));
	assert!(stderr(&bad).contains("--heads (3) must be a positive multiple of --kv-heads (2)"));
}

/// Run `score` with one bad input and return (exit code, stderr).
fn score_error(root: &Path, replace: (&str, &str)) -> (Option<i32>, String) {
	let model = fixture(root, "m", 1, 0.02);
	let mut args = small_score_args(model.to_str().expect("utf-8"));
	match args.iter().position(|a| a == replace.0) {
		Some(i) => args[i + 1] = replace.1.to_owned(),
		None => args.extend([replace.0.to_owned(), replace.1.to_owned()]),
	}
	let output = run(&args);
	(output.status.code(), stderr(&output))
}

#[test]
fn bad_inputs_are_refused_with_a_clear_message() {
	let root = tempfile::tempdir().expect("temp dir");
	let empty = root.path().join("empty.jsonl");
	std::fs::write(&empty, "\n").expect("write");
	let cases: [((&str, &str), i32, &str); 10] = [
		(("--corpus", empty.to_str().expect("utf-8")), 1, "empty.jsonl holds no documents"),
		(("--corpus", "/nonexistent/corpus.txt"), 1, "corpus /nonexistent/corpus.txt"),
		(("--seed", "0x12"), 1, "seed \"0x12\" is not 64 hex digits"),
		(("--schedule", "linear:0.001,0.005,10"), 2, "EndAboveStart"),
		(("--schedule", "quadratic:1"), 2, "expected fixed:EPS"),
		(("--batches", "0"), 2, "--batches"),
		(("--seq-len", "1"), 2, "--seq-len"),
		(("--temperature", "0"), 1, "--temperature must be a positive number"),
		(("--device", "gpu"), 2, "use cpu, cuda:N or auto"),
		(("--model", "x@soon"), 2, "block number"),
	];
	for (replace, code, message) in cases {
		let (got_code, err) = score_error(root.path(), replace);
		assert_eq!(got_code, Some(code), "{replace:?}: {err}");
		assert!(err.contains(message), "{replace:?}: expected {message:?} in {err}");
	}
}

#[cfg(not(feature = "cuda"))]
#[test]
fn cuda_without_the_feature_says_how_to_get_it() {
	let root = tempfile::tempdir().expect("temp dir");
	let (code, err) = score_error(root.path(), ("--device", "cuda:0"));
	assert_eq!(code, Some(1));
	assert!(err.contains("built without CUDA") && err.contains("--features cuda"), "{err}");
}

#[cfg(unix)]
#[test]
fn a_key_file_others_can_read_is_refused_before_anything_happens() {
	use std::os::unix::fs::PermissionsExt;
	let root = tempfile::tempdir().expect("temp dir");
	let key = root.path().join("hotkey");
	std::fs::write(&key, "//Alice").expect("write");
	std::fs::set_permissions(&key, std::fs::Permissions::from_mode(0o644)).expect("chmod");
	let journal = root.path().join("claims.redb");
	let mut args = commit_model_args("galton/tiny", "main", root.path(), &journal);
	args.extend(["--key-file".to_owned(), key.to_str().expect("utf-8").to_owned()]);
	let output = run(&args);
	assert_eq!(output.status.code(), Some(1));
	let err = stderr(&output);
	assert!(err.contains("chmod 600"), "{err}");
	assert!(!err.contains("//Alice"), "the secret is not echoed: {err}");
	assert!(!journal.exists(), "nothing was written");
	// --key and --key-file together are a usage error.
	args.extend(["--key".to_owned(), "//Alice".to_owned()]);
	assert_eq!(run(&args).status.code(), Some(2));
}

#[cfg(unix)]
#[test]
fn a_wallet_hotkey_that_cannot_sign_is_refused_before_anything_happens() {
	use std::os::unix::fs::PermissionsExt;
	let root = tempfile::tempdir().expect("temp dir");
	let wallets = root.path().join("wallets");
	let journal = root.path().join("claims.redb");
	let mut args = commit_model_args("galton/tiny", "main", root.path(), &journal);
	let wallet_args = ["--wallet-name", "miner", "--wallet-path", wallets.to_str().expect("utf-8")];
	args.extend(wallet_args.map(str::to_owned));

	// No such wallet: the path looked at is named.
	let err = stderr(&run(&args));
	assert!(err.contains("miner/hotkeys/default"), "{err}");

	// An encrypted hotkey (btcli's NaCl format) is refused as such.
	let hotkey = wallets.join("miner/hotkeys/default");
	std::fs::create_dir_all(hotkey.parent().expect("parent")).expect("mkdir");
	std::fs::write(&hotkey, b"$NACL\x01\x02\x03").expect("write");
	std::fs::set_permissions(&hotkey, std::fs::Permissions::from_mode(0o600)).expect("chmod");
	let output = run(&args);
	assert_eq!(output.status.code(), Some(1));
	assert!(stderr(&output).contains("encrypted"), "{}", stderr(&output));
	assert!(!journal.exists(), "nothing was written");

	// A wallet and a key together are a usage error.
	args.extend(["--key".to_owned(), "//Alice".to_owned()]);
	assert_eq!(run(&args).status.code(), Some(2));
}

#[test]
fn bad_subnet_settings_are_refused_before_connecting() {
	// No node listens on this port: each error comes from checking the input alone.
	let url = ["--url", "ws://127.0.0.1:1"];
	let cases: [(&[&str], &str); 11] = [
		(&["set-reveal-config", "--netuid", "1", "--delay", "2x"], "neither a number of blocks"),
		(&["set-reveal-config", "--netuid", "1", "--window", "4294967296"], "more blocks than"),
		(&["set-reveal-config", "--netuid", "1"], "required arguments were not provided"),
		(&["set-reveal-config", "--netuid", "1", "--enable", "--disable"], "cannot be used with"),
		(
			&["set-reveal-config", "--netuid", "1", "--delay", "2h", "--block-time", "0s"],
			"more than zero",
		),
		(
			&["set-competition", "--netuid", "1", "--id", "0", "--reward-share", "120%"],
			"not a fraction",
		),
		(
			&["set-competition", "--netuid", "1", "--id", "0", "--schedule", "linear:0.1,0.2,5"],
			"EndAboveStart",
		),
		(
			&["set-commit-interval", "--netuid", "1", "--interval", "soon"],
			"neither a number of blocks",
		),
		(&["set-reveal-mode", "--netuid", "1"], "required arguments were not provided"),
		(&["set-reveal-mode", "--netuid", "1", "--hash", "--timelock", "3"], "cannot be used with"),
		(&["set-reveal-mode", "--netuid", "1", "--timelock", "0"], "not in 1.."),
	];
	for (args, message) in cases {
		let mut all = vec!["subnet"];
		all.extend_from_slice(args);
		all.extend_from_slice(&url);
		let output = galton_eval(&all);
		let err = stderr(&output);
		assert_eq!(output.status.code(), Some(2), "{args:?}: {err}");
		assert!(err.contains(message), "{args:?}: expected {message:?} in {err}");
	}
}

/// The command line of `deploy/galton-eval-validate.service` is one `galton-eval` accepts: it
/// gets past the flags and fails on the first thing this machine lacks (the key file), not on
/// usage.
#[test]
fn the_systemd_unit_runs_a_command_line_galton_eval_accepts() {
	let unit = include_str!("../../deploy/galton-eval-validate.service").replace("\\\n", " ");
	let exec = unit
		.lines()
		.find_map(|line| line.strip_prefix("ExecStart="))
		.expect("the unit has an ExecStart line");
	let mut words = exec.split_whitespace();
	assert_eq!(words.next(), Some("/usr/local/bin/galton-eval"));
	let args: Vec<&str> = words.collect();
	assert_eq!(args.first(), Some(&"validate"));
	let output = galton_eval(&args);
	let err = stderr(&output);
	assert_eq!(output.status.code(), Some(1), "{err}");
	assert!(err.contains("/etc/galton/validator.key"), "{err}");
}

#[test]
fn advise_epsilon_prints_each_schedules_figures_and_draws_them() {
	let dir = tempfile::tempdir().expect("temp dir");
	let plot = dir.path().join("advice.svg");
	let output = galton_eval(&[
		"advise",
		"epsilon",
		"--schedule",
		"fixed:0.001",
		"--compare",
		"linear:0.005,0.0001,14400",
		"--improvements",
		"0.002,0.0005",
		"--horizon",
		"2d",
		"--block-time",
		"12s",
		"--plot",
		plot.to_str().expect("utf-8"),
	]);
	assert!(output.status.success(), "{}", stderr(&output));
	let text = stdout(&output);
	assert!(
		text.contains("\nfixed:0.001\n") && text.contains("\nlinear:0.005,0.0001,14400\n"),
		"{text}"
	);
	// A fixed 0.1% lets 0.2% through at once (its moving average passes the incumbent's one
	// round later, with alpha 0.5) and never 0.05%.
	assert!(text.contains("0.2000%      50 blocks (10m at 12s a block)"), "{text}");
	assert!(text.contains("0.0500%      never, within the horizon"), "{text}");
	assert!(text.contains("smallest improvement that reaches the top: 0.1000%"), "{text}");
	assert!(text.contains("share of the rewards of an exact copy: 0.0000%"), "{text}");
	let svg = std::fs::read_to_string(&plot).expect("the plot");
	assert!(
		svg.contains("fixed:0.001") && svg.contains("linear:0.005,0.0001,14400"),
		"a line each"
	);
}

#[test]
fn advise_epsilon_refuses_bad_input_before_simulating() {
	let dir = tempfile::tempdir().expect("temp dir");
	let png = dir.path().join("advice.png");
	let png = png.to_str().expect("utf-8");
	let cases: &[(&[&str], &str)] = &[
		(&["--improvements", "0"], "is not an improvement above 0 and below 1"),
		(&["--improvements", "0.001,1.5"], "is not an improvement above 0 and below 1"),
		(&["--noise=-0.1"], "--noise must be at least 0"),
		(&["--alpha", "2"], "--alpha must be between 0 and 1"),
		(&["--temperature", "0"], "--temperature must be above 0"),
		(&["--compare", "linear:0.001,0.005,10"], "EndAboveStart"),
		(&["--round-interval", "0"], "--round-interval must be at least one block"),
		(&["--horizon", "soon"], "is neither a number of blocks"),
		(&["--round-interval", "1", "--horizon", "1000000"], "raise --round-interval"),
		(&["--after", "40d"], "must come before the end of --horizon"),
		(&["--block-time", "0s"], "the block time must be more than zero"),
		(&["--plot", png], "a plot is written as .svg"),
		(&["--competition", "1"], "--netuid"),
	];
	for (extra, message) in cases {
		let mut args = vec!["advise", "epsilon", "--schedule", "fixed:0.001"];
		args.extend_from_slice(extra);
		let output = galton_eval(&args);
		assert!(!output.status.success(), "{extra:?} is refused");
		assert!(stderr(&output).contains(message), "{extra:?}: {}", stderr(&output));
	}
	assert!(!std::path::Path::new(png).exists(), "nothing is written");
	let neither = galton_eval(&["advise", "epsilon"]);
	assert!(stderr(&neither).contains("--schedule"), "{}", stderr(&neither));
}

/// A small synthetic subnet for `advise interval`: fast in a debug build.
const SMALL_SUBNET: &str =
	"miners=16,validators=4,turnover=0.3,drift=0.05,epochs=40,tempo=100,seed=2";

#[test]
fn advise_interval_prints_g_per_interval_draws_it_and_replays_a_saved_history() {
	let dir = tempfile::tempdir().expect("temp dir");
	let plot = dir.path().join("interval.svg");
	let saved = dir.path().join("history.jsonl");
	let (plot_arg, saved_arg) = (plot.to_str().expect("utf-8"), saved.to_str().expect("utf-8"));
	let common = ["advise", "interval", "--intervals", "0,1,4,8"];
	let mut args = common.to_vec();
	args.extend(["--synthetic", SMALL_SUBNET, "--plot", plot_arg, "--save-history", saved_arg]);
	let output = galton_eval(&args);
	assert!(output.status.success(), "{}", stderr(&output));
	let text = stdout(&output);
	assert!(text.contains("40 epochs of 20 uids, tempo 100 (chain mode"), "{text}");
	for interval in ["\n  0 ", "\n  1 ", "\n  4 ", "\n  8 "] {
		assert!(text.contains(interval), "a row for {interval:?}: {text}");
	}
	assert!(text.contains("Recommendation: "), "{text}");
	let svg = std::fs::read_to_string(&plot).expect("the plot");
	assert!(svg.contains("copying does not pay") && svg.contains("copying pays"), "the bands");

	// The saved history gives the same figures, as JSON.
	let json = |input: &[&str]| -> serde_json::Value {
		let mut args = common.to_vec();
		args.extend_from_slice(input);
		args.push("--json");
		let output = galton_eval(&args);
		assert!(output.status.success(), "{}", stderr(&output));
		serde_json::from_slice(&output.stdout).expect("one JSON document")
	};
	let from_file = json(&["--history", saved_arg]);
	let generated = json(&["--synthetic", SMALL_SUBNET]);
	assert_eq!(from_file, generated);
	assert_eq!(from_file["epochs"], 40);
	assert_eq!(from_file["intervals"].as_array().map(Vec::len), Some(4), "{from_file}");
	assert!(from_file["recommendation"]["kind"].is_string(), "{from_file}");
	let otf = json(&["--history", saved_arg, "--mode", "otf-2024"]);
	assert_eq!(otf["mode"], "otf-2024");
	assert_eq!(otf["intervals"][0]["gain"], otf["intervals"][0]["last"], "G at the last epoch");
}

#[test]
fn advise_interval_refuses_bad_input_before_replaying() {
	let dir = tempfile::tempdir().expect("temp dir");
	let broken = dir.path().join("broken.jsonl");
	std::fs::write(&broken, "{\"block\":1,\"tempo\":1,\"stakes\":[1],\"permits\":[true],\"registered_at\":[0],\"last_update\":[0],\"weights\":[[]]}\n{\"block\":2}\n").expect("write");
	let png = dir.path().join("interval.png");
	let (broken, png) = (broken.to_str().expect("utf-8"), png.to_str().expect("utf-8"));
	let cases: &[(&[&str], &str)] = &[
		(&["--synthetic", "miners=0"], "`miners=0`"),
		(&["--synthetic", "colour=red"], "unknown key `colour`"),
		(&["--synthetic", SMALL_SUBNET, "--intervals", "5..2"], "the range is empty"),
		(&["--synthetic", SMALL_SUBNET, "--intervals", "0..20000"], "is not an interval"),
		(&["--synthetic", SMALL_SUBNET, "--take", "1"], "--take must be at least 0 and below 1"),
		(&["--synthetic", SMALL_SUBNET, "--kappa", "2"], "--kappa must be between 0 and 1"),
		(&["--synthetic", SMALL_SUBNET, "--copier-stake", "0"], "--copier-stake must be above 0"),
		(&["--synthetic", SMALL_SUBNET, "--plot", png], "a plot is written as .svg"),
		(&["--synthetic", SMALL_SUBNET, "--liquid-alpha", "0.7,0.9"], "--yuma3"),
		(&["--synthetic", SMALL_SUBNET, "--yuma3", "--liquid-alpha", "0.9,0.7"], "is not LOW,HIGH"),
		(&["--history", broken], "line 2"),
		(&["--history", "/nonexistent/history.jsonl"], "opening /nonexistent/history.jsonl"),
		(&["--history", broken, "--synthetic", SMALL_SUBNET], "cannot be used with"),
		(&["--synthetic", SMALL_SUBNET, "--tempo", "10"], "--netuid"),
	];
	for (extra, message) in cases {
		let mut args = vec!["advise", "interval"];
		args.extend_from_slice(extra);
		let output = galton_eval(&args);
		assert!(!output.status.success(), "{extra:?} is refused");
		assert!(stderr(&output).contains(message), "{extra:?}: {}", stderr(&output));
	}
	assert!(!std::path::Path::new(png).exists(), "nothing is written");
	let neither = galton_eval(&["advise", "interval"]);
	assert!(stderr(&neither).contains("--history"), "{}", stderr(&neither));
}
