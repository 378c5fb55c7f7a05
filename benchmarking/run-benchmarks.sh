#!/usr/bin/env bash
# Regenerate every pallet's weights.rs from its benchmarks:
#   1. build the runtime's wasm with the `runtime-benchmarks` feature,
#   2. run each pallet's benchmarks in it with frame-omni-bencher (installed if missing),
#   3. write pallets/<pallet>/src/weights.rs from benchmarking/weight-template.hbs.
# Usage: benchmarking/run-benchmarks.sh [steps] [repeat] [pallet...]
#   (defaults: 50 20, every pallet: subnets commit-reveal model-registry beacon)
set -euo pipefail
cd "$(dirname "$0")/.."
steps="${1:-50}"
repeat="${2:-20}"
shift $(($# < 2 ? $# : 2))
pallets=("$@")
[ ${#pallets[@]} -gt 0 ] || pallets=(subnets commit-reveal model-registry beacon)
for pallet in "${pallets[@]}"; do
	[ -d "pallets/$pallet" ] || { echo "error: no pallet at pallets/$pallet" >&2; exit 2; }
done
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/galton-target}"

if ! command -v frame-omni-bencher >/dev/null 2>&1; then
	echo "installing frame-omni-bencher (one-off, several minutes)"
	cargo install --locked frame-omni-bencher@0.28.0
fi

# The release profile keeps this benchmark-enabled wasm apart from the dev build's runtime, which
# the node and the tests embed (both are written under target/<profile>/wbuild). `check` is
# enough: the runtime's build script builds the wasm, and the native runtime is never run.
cargo check --release --locked -p galton-runtime --features runtime-benchmarks
wasm="$CARGO_TARGET_DIR/release/wbuild/galton-runtime/galton_runtime.compact.compressed.wasm"
[ -f "$wasm" ] || { echo "error: $wasm was not built" >&2; exit 1; }

for pallet in "${pallets[@]}"; do
	name="pallet_${pallet//-/_}"
	echo "== $name"
	frame-omni-bencher v1 benchmark pallet \
		--runtime "$wasm" \
		--pallet "$name" \
		--extrinsic "*" \
		--steps "$steps" \
		--repeat "$repeat" \
		--template benchmarking/weight-template.hbs \
		--output "pallets/$pallet/src/weights.rs"
done
cargo fmt --all
echo "weights regenerated; review the diff and commit it with the figures in benchmarking/README.md"
