//! Running `galton-eval` as a child process, and the arguments of the commands the end-to-end
//! tests run: fixture models, miners' claims, validator rounds by Alice on subnet 1.

use std::{
	path::{Path, PathBuf},
	process::{Child, Command, Output, Stdio},
};

use crate::{binary::built_binary, Node};

/// The evaluator binary: `GALTON_EVAL_BIN`, or `galton-eval` in the target directory of this
/// test (scripts/test.sh builds it).
pub fn eval_binary() -> PathBuf {
	built_binary("galton-eval", "GALTON_EVAL_BIN")
}

/// `galton-eval ARGS`, run to completion.
pub fn eval(args: &[&str]) -> Output {
	Command::new(eval_binary())
		.args(args)
		.env("RUST_LOG", "info")
		.stdin(Stdio::null())
		.output()
		.expect("galton-eval runs")
}

/// A finished command's stdout and stderr, labelled, for assertion messages.
pub fn output_text(output: &Output) -> String {
	format!(
		"stdout:\n{}\nstderr:\n{}",
		String::from_utf8_lossy(&output.stdout),
		String::from_utf8_lossy(&output.stderr)
	)
}

/// `galton-eval ARGS` in the background, stdout and stderr written to `log_dir/<name>.out` and
/// `.err`.
pub fn spawn_eval(args: &[&str], log_dir: &Path, name: &str) -> Child {
	let stdout = std::fs::File::create(log_dir.join(format!("{name}.out"))).expect("log file");
	let stderr = std::fs::File::create(log_dir.join(format!("{name}.err"))).expect("log file");
	Command::new(eval_binary())
		.args(args)
		.env("RUST_LOG", "info")
		.stdin(Stdio::null())
		.stdout(stdout)
		.stderr(stderr)
		.spawn()
		.expect("galton-eval starts")
}

/// The small corpus shipped with the evaluator.
pub fn corpus() -> PathBuf {
	crate::manifest_dir().join("../engine/fixtures/corpus.jsonl")
}

/// Write a fixture model at `models/galton/<name>` and return its directory.
pub fn fixture(models: &Path, name: &str, seed: u64) -> PathBuf {
	let dir = models.join("galton").join(name);
	let output = eval(&["fixture", path(&dir), "--seed", &seed.to_string()]);
	assert!(output.status.success(), "fixture: {}", output_text(&output));
	dir
}

/// `p` as a command-line argument.
pub fn path(p: &Path) -> &str {
	p.to_str().expect("temporary paths are UTF-8")
}

/// The arguments of `galton-eval commit-model` for the model in `dir` as `galton/<name>`, signed
/// by `key`, with a journal of its own beside the model (tests run in parallel as the same
/// keys).
pub fn commit_model_args(node: &Node, key: &str, name: &str, dir: &Path) -> Vec<String> {
	let journal = dir.with_extension("claims.redb");
	[
		"commit-model",
		"--netuid",
		"1",
		"--competition",
		"0",
		"--repo",
		&format!("galton/{name}"),
		"--revision",
		"main",
		"--model-dir",
		path(dir),
		"--url",
		&node.ws_url(),
		"--key",
		key,
		"--journal",
		path(&journal),
	]
	.iter()
	.map(|s| s.to_string())
	.collect()
}

/// `galton-eval commit-model` for the model in `dir` as `galton/<name>`, signed by `key`.
pub fn commit_model(node: &Node, key: &str, name: &str, dir: &Path) -> Output {
	eval(&as_strs(&commit_model_args(node, key, name, dir)))
}

/// Arguments of one validator round by Alice with small samples.
pub fn validate_args(url: &str, journal: &Path, models: &Path) -> Vec<String> {
	[
		"validate",
		"--netuid",
		"1",
		"--once",
		"--json",
		"--key",
		"//Alice",
		"--url",
		url,
		"--corpus",
		path(&corpus()),
		"--models-dir",
		path(models),
		"--journal",
		path(journal),
		"--batches",
		"2",
		"--batch-size",
		"1",
		"--seq-len",
		"32",
		"--sync-interval",
		"5",
	]
	.iter()
	.map(|s| s.to_string())
	.collect()
}

/// Borrowed arguments.
pub fn as_strs(args: &[String]) -> Vec<&str> {
	args.iter().map(String::as_str).collect()
}
