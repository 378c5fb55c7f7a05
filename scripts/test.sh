#!/usr/bin/env bash
# The test command: build galton-node and galton-eval (the end-to-end tests start them as
# processes), run every test of the workspace, then the pallets' benchmarks as tests, then the
# pallets' tests and benchmarks again at polkadot-sdk stable2506. Builds into
# the same shared target directory as scripts/demo.sh (CARGO_TARGET_DIR, default
# ~/.cache/galton-target), so the demo and the tests build once between them.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/galton-target}"
cargo build --locked -p galton-node -p galton-eval
cargo test --workspace --all-targets --locked
# Each benchmark also runs once as a test, on the pallet's mock runtime.
cargo test --locked --lib -p pallet-subnets -p pallet-commit-reveal -p pallet-model-registry -p pallet-beacon \
	--features runtime-benchmarks benchmarking
# The pallets again against polkadot-sdk stable2506, the release opentensor/subtensor runs:
# compat/stable2506 holds the same sources (a link) with its own lockfile, and the example
# runtime that wires them to a subtensor-shaped host (docs/integration.md).
(
	cd compat/stable2506
	cargo test --workspace --locked
	cargo test --locked --lib -p pallet-subnets -p pallet-commit-reveal -p pallet-model-registry -p pallet-beacon \
		--features runtime-benchmarks,pallet-commit-reveal/stable2506 benchmarking
)
