//! The evaluator's chain client is generated from `offchain-eval/metadata/galton.scale`; this
//! test fails when that file no longer matches the runtime, and says how to refresh it.

use galton_runtime::Runtime;

/// The metadata version the client is generated from.
const VERSION: u32 = 16;

#[test]
fn committed_metadata_matches_the_runtime() {
	let path = galton_e2e::manifest_dir().join("../offchain-eval/metadata/galton.scale");
	let current = Runtime::metadata_at_version(VERSION).expect("the runtime serves metadata v16");
	let current: &[u8] = &current;
	if std::env::var_os("GALTON_UPDATE_METADATA").is_some() {
		std::fs::write(&path, current).expect("metadata written");
	}
	let committed = std::fs::read(&path).unwrap_or_default();
	assert!(
		committed == current,
		"{} is out of date with the runtime: run `GALTON_UPDATE_METADATA=1 cargo test --workspace --locked --test metadata` and rebuild galton-eval",
		path.display()
	);
}
