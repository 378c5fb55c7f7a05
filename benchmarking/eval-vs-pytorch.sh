#!/usr/bin/env bash
# galton-eval's CPU loss against PyTorch + transformers, side by side on the same model files and
# the same batches: a fixture Llama (2 layers, hidden 256, 4 heads, MLP 688, vocab 32,000, f32),
# batches of 4 x 1,024 tokens. Runs A B A B ... and prints each pair's tokens/s, their ratio
# (galton / PyTorch), the median ratio and the largest per-batch loss difference. Both sides
# time the batches after the first (a warm-up).
# Usage: benchmarking/eval-vs-pytorch.sh [PAIRS] [BATCHES]   (default: 6 pairs of 8 batches)
# PyTorch and transformers are installed from PyPI into a venv under ~/.cache (GALTON_TORCH_VENV);
# when that fails the comparison is skipped with a message.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/galton-target}"
pairs="${1:-6}"
batches="${2:-8}"
case "$pairs$batches" in
	*[!0-9]*) echo "usage: $0 [PAIRS] [BATCHES] (positive integers)" >&2; exit 2 ;;
esac
if [ "$pairs" -lt 1 ] || [ "$batches" -lt 2 ]; then
	echo "error: at least 1 pair and 2 batches (the first batch is a warm-up)" >&2
	exit 2
fi
threads="$(nproc)"

venv="${GALTON_TORCH_VENV:-$HOME/.cache/galton-torch}"
if ! "$venv/bin/python" -c "import torch, transformers" 2>/dev/null; then
	echo "installing torch and transformers into $venv (once)"
	if ! { python3 -m venv "$venv" && "$venv/bin/pip" install -q torch transformers; }; then
		echo "skipped: torch and transformers could not be installed from PyPI into $venv" >&2
		exit 0
	fi
fi

SKIP_WASM_BUILD=1 cargo build --release --locked -p galton-eval
eval_bin="$CARGO_TARGET_DIR/release/galton-eval"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$eval_bin" fixture "$work/model" --layers 2 --hidden 256 --heads 4 --kv-heads 4 \
	--intermediate 688 --vocab 32000 >/dev/null
seed=0x$(printf '11%.0s' $(seq 32))

echo "== $(date -u +%Y-%m-%d), $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "== $batches batches of 4 x 1024 tokens, $threads threads each side"
for pair in $(seq "$pairs"); do
	"$eval_bin" score --model "$work/model" --corpus engine/fixtures/corpus.jsonl --seed "$seed" \
		--now 0 --batches "$batches" --batch-size 4 --seq-len 1024 --json \
		--save-batches "$work/batches.jsonl" 2>/dev/null >"$work/galton-$pair.json"
	OMP_NUM_THREADS="$threads" "$venv/bin/python" benchmarking/pytorch_reference.py \
		--threads "$threads" "$work/model" "$work/batches.jsonl" 2>/dev/null >"$work/torch-$pair.json"
done
"$venv/bin/python" - "$work" "$pairs" <<'PY'
import json, statistics, sys
work, pairs = sys.argv[1], int(sys.argv[2])
ratios, worst = [], 0.0
for pair in range(1, pairs + 1):
    galton = json.load(open(f"{work}/galton-{pair}.json"))["models"][0]
    torch = json.load(open(f"{work}/torch-{pair}.json"))
    ratio = galton["tokens_per_second"] / torch["tokens_per_second"]
    ratios.append(ratio)
    worst = max(worst, max(abs(a - b) for a, b in zip(galton["losses"], torch["losses"])))
    print(f"pair {pair}: galton {galton['tokens_per_second']:7.0f} tokens/s, "
          f"torch {torch['torch']} {torch['tokens_per_second']:7.0f} tokens/s, ratio {ratio:.3f}")
print(f"median ratio galton/pytorch: {statistics.median(ratios):.3f} over {pairs} pairs; "
      f"largest per-batch loss difference {worst:.2e}")
PY
