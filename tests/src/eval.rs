//! Running `galton-eval` as a child process.

use std::{
	path::{Path, PathBuf},
	process::{Child, Command, Output, Stdio},
};

use crate::binary::built_binary;

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
