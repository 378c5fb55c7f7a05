#!/usr/bin/env bash
# Check the evaluator's CUDA path on a machine without a GPU: install the CUDA toolkit if it is
# missing (Debian's non-free nvidia-cuda-toolkit, CUDA 11.8; idempotent, no prompt), build
# galton-eval with `--features cuda`, run the unit tests that need no device, and check that
# `galton-eval score --device cuda:0` fails with the clear "no usable CUDA device" error.
# Usage: scripts/check-cuda.sh   (.ci/run calls it when GALTON_CHECK_CUDA=1 or nvcc is present)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/galton-target}"
started=$(date +%s)

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
if ! command -v nvcc >/dev/null 2>&1; then
	echo "== installing the CUDA toolkit (Debian non-free nvidia-cuda-toolkit)"
	sources=/etc/apt/sources.list.d/debian.sources
	if [ -f "$sources" ] && ! grep -q "non-free" "$sources"; then
		$sudo sed -i 's/^Components: main$/Components: main contrib non-free non-free-firmware/' "$sources"
	fi
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
		nvidia-cuda-toolkit clang >/dev/null
fi
echo "== $(nvcc --version | tail -2 | head -1)"

# CUDA 11.8 accepts gcc up to 11; clang 14 works as its host compiler. sm_80 (A100) is the
# newest architecture CUDA 11.8 knows; Hopper needs CUDA 12 and CUDA_COMPUTE_CAP=90.
export NVCC_PREPEND_FLAGS="${NVCC_PREPEND_FLAGS:--ccbin clang-14}"
export CUDA_COMPUTE_CAP="${CUDA_COMPUTE_CAP:-80}"

echo "== building galton-eval with --features cuda"
cargo build --locked -p galton-eval --features cuda
echo "== CUDA unit tests that need no device"
cargo test --locked -p galton-engine --features cuda --lib device

echo "== galton-eval score --device cuda:0 on a machine without a GPU"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
eval_bin="$CARGO_TARGET_DIR/debug/galton-eval"
"$eval_bin" fixture "$work/model" >/dev/null
set +e
"$eval_bin" score --device cuda:0 --model "$work/model" --corpus engine/fixtures/corpus.jsonl \
	--seed "0x$(printf '11%.0s' {1..32})" --now 1 --batches 1 --batch-size 1 --seq-len 16 \
	>"$work/out" 2>"$work/err"
code=$?
set -e
if [ "$code" -ne 1 ] || ! grep -q "no usable CUDA device" "$work/err"; then
	echo "error: expected exit code 1 and 'no usable CUDA device', got $code:" >&2
	cat "$work/err" >&2
	exit 1
fi
echo "ok: $(grep -o 'error: .*' "$work/err" | head -1)"
echo "== check-cuda passed in $(( $(date +%s) - started )) s"
