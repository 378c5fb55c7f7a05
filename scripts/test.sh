#!/usr/bin/env bash
# The test command: build galton-node (the end-to-end tests start it as a process), then run
# every test of the workspace. Uses the shared target directory when CARGO_TARGET_DIR is set.
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --locked -p galton-node
cargo test --workspace --all-targets --locked
