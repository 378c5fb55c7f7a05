//! Finding the binaries the end-to-end tests start and the files they read.

use std::path::{Path, PathBuf};

/// `$env_var` if set, else `name` in the target directory this test binary was built into
/// (`target/<profile>/deps/<test>` -> `target/<profile>/<name>`); panics with how to build it
/// when it is missing.
pub fn built_binary(name: &str, env_var: &str) -> PathBuf {
	if let Some(path) = std::env::var_os(env_var) {
		return path.into();
	}
	let exe = std::env::current_exe().expect("the test knows its own path");
	let profile_dir =
		exe.parent().and_then(Path::parent).expect("tests run from target/<profile>/deps");
	let binary = profile_dir.join(name);
	assert!(
		binary.exists(),
		"{} is missing: build it first (`cargo build -p {name}`; scripts/test.sh does) or point \
		 {env_var} at it",
		binary.display()
	);
	binary
}

/// The directory of the crate under test, read when the test runs: cargo sets
/// `CARGO_MANIFEST_DIR` for test processes, and unlike `env!` the value cannot go stale when
/// the shared target directory was last built from another checkout.
pub fn manifest_dir() -> PathBuf {
	std::env::var_os("CARGO_MANIFEST_DIR")
		.expect("cargo test sets CARGO_MANIFEST_DIR for the tests it runs")
		.into()
}
