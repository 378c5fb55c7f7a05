#!/usr/bin/env bash
# Measure the evaluator: tokens/s of the loss computation (a 2-layer, hidden-256, vocab-32000
# Llama on one batch of 4 x 1024 tokens) and the time to score 256 models x 1024 batches.
# Usage: benchmarking/run-eval-benchmarks.sh [--device cpu|cuda:N]   (default: cpu)
# A CUDA device builds galton-engine with `--features cuda` (needs the CUDA toolkit).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/galton-target}"

device=cpu
while [ $# -gt 0 ]; do
	case "$1" in
		--device) device="${2:?--device needs a value: cpu or cuda:N}"; shift 2 ;;
		*) echo "usage: $0 [--device cpu|cuda:N]" >&2; exit 2 ;;
	esac
done
features=()
case "$device" in
	cpu) ;;
	cuda|cuda:*) features=(--features cuda) ;;
	*) echo "error: --device $device: use cpu or cuda:N" >&2; exit 2 ;;
esac

echo "== $(date -u +%Y-%m-%d), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
cargo bench --locked -p galton-engine "${features[@]}" --bench loss -- --device "$device"
cargo bench --locked -p galton-engine --bench scoring
