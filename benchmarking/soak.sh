#!/usr/bin/env bash
# The soak test of "no lost reveal" (tests/tests/soak.rs; not part of CI): validator rounds
# against a --dev node killed and restarted at random moments, through a proxy that loses a
# share of all requests. Prints rounds, commits, reveals and every loss with its reason.
# It runs copies of the binaries, so the tree can be edited and rebuilt while it runs.
# Usage: benchmarking/soak.sh [ROUNDS] [LOSS] [SEED]   (defaults: 200 0.10 1)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/galton-target}"
cargo build --locked -p galton-node -p galton-eval
# --workspace: the feature set scripts/test.sh builds, so its test binaries are reused.
test_binary=$(cargo test --workspace --locked --test soak --no-run --message-format=json |
	python3 -c 'import json, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == "soak" and m.get("executable"):
        print(m["executable"])')
copies=$(mktemp -d)
trap 'rm -rf "$copies"' EXIT
cp "$CARGO_TARGET_DIR/debug/galton-node" "$CARGO_TARGET_DIR/debug/galton-eval" "$test_binary" "$copies/"
cd tests
GALTON_NODE_BIN="$copies/galton-node" GALTON_EVAL_BIN="$copies/galton-eval" \
	CARGO_MANIFEST_DIR="$PWD" \
	GALTON_SOAK_ROUNDS="${1:-200}" GALTON_SOAK_LOSS="${2:-0.10}" GALTON_SOAK_SEED="${3:-1}" \
	"$copies/$(basename "$test_binary")" --ignored --nocapture
