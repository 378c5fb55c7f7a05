#!/usr/bin/env bash
# The soak test of "no lost reveal" (tests/tests/soak.rs; not part of CI): validator rounds
# against a --dev node killed and restarted at random moments, through a proxy that loses a
# share of all requests. Prints rounds, commits, reveals and every loss with its reason.
# Usage: benchmarking/soak.sh [ROUNDS] [LOSS] [SEED]   (defaults: 200 0.10 1)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/galton-target}"
cargo build --locked -p galton-node -p galton-eval
# --workspace: the feature set scripts/test.sh builds, so its test binaries are reused.
GALTON_SOAK_ROUNDS="${1:-200}" GALTON_SOAK_LOSS="${2:-0.10}" GALTON_SOAK_SEED="${3:-1}" \
	cargo test --workspace --locked --test soak -- --ignored --nocapture
