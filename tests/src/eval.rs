//! Running `galton-eval` as a child process.

use std::{
	path::{Path, PathBuf},
	process::{Child, Command, Output, Stdio},
};

/// The evaluator binary: `GALTON_EVAL_BIN`, or `galton-eval` beside this test's target
/// directory (`cargo build -p galton-eval`; scripts/test.sh builds it).
pub fn eval_binary() -> PathBuf {
	if let Some(path) = std::env::var_os("GALTON_EVAL_BIN") {
		return path.into();
	}
	let exe = std::env::current_exe().expect("the test knows its own path");
	let profile_dir =
		exe.parent().and_then(Path::parent).expect("tests run from target/<profile>/deps");
	let binary = profile_dir.join("galton-eval");
	assert!(
		binary.exists(),
		"{} is missing: build it first (`cargo build -p galton-eval`; scripts/test.sh does) or \
		 point GALTON_EVAL_BIN at it",
		binary.display()
	);
	binary
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
