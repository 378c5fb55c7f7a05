#!/usr/bin/env bash
# The main job in one command: start `galton-node --dev`, let the subnet's owner (Alice) widen
# the reveal window and a new miner (Eve) register, commit two fixture models as the miners Bob
# and Eve, run one validator round as Alice (evaluate, score, commit, reveal), show the weights
# on chain, then switch the subnet to timelocked commits and run a second round whose weights
# the chain reveals by itself. Run scripts/setup.sh once first.
# Usage: scripts/demo.sh [workdir]   (default: a new temporary directory; the node is stopped
# at the end, its log and the models stay in the workdir)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/galton-target}"
work="${1:-$(mktemp -d -t galton-demo.XXXXXX)}"
mkdir -p "$work"

echo "== building galton-node and galton-eval (dev profile; the first build takes a while)"
cargo build --locked -p galton-node -p galton-eval
bin="$CARGO_TARGET_DIR/debug"
eval_bin="$bin/galton-eval"
port=9944
url="ws://127.0.0.1:$port"

echo "== starting galton-node --dev (log: $work/node.log)"
"$bin/galton-node" --dev --base-path "$work/node" --rpc-port "$port" >"$work/node.log" 2>&1 &
node_pid=$!
trap 'kill "$node_pid" 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
	if "$eval_bin" status --netuid 1 --url "$url" >/dev/null 2>&1; then break; fi
	sleep 1
done

echo "== the subnet's owner widens the reveal window; a new miner registers"
"$eval_bin" subnet set-reveal-config --netuid 1 --window 30 --url "$url" --key //Alice
"$eval_bin" subnet register --netuid 1 --url "$url" --key //Eve

echo "== miners commit fixture models"
for miner in bob:1 eve:2; do
	name="${miner%%:*}"
	seed="${miner##*:}"
	"$eval_bin" fixture "$work/models/galton/$name" --seed "$seed"
	"$eval_bin" commit-model --netuid 1 --competition 0 --repo "galton/$name" --revision main \
		--model-dir "$work/models/galton/$name" --url "$url" --key "//${name^}" \
		--journal "$work/claims-$name.redb"
done

echo "== one validator round (evaluate, score, commit, reveal)"
"$eval_bin" validate --netuid 1 --once --key //Alice --url "$url" \
	--corpus engine/fixtures/corpus.jsonl --models-dir "$work/models" \
	--journal "$work/journal.redb" --batches 4 --batch-size 2 --seq-len 128 --sync-interval 5

echo "== the subnet now"
"$eval_bin" status --netuid 1 --url "$url" --key //Alice

echo "== timelocked commits: the owner switches the mode; a round commits once, the chain reveals"
"$eval_bin" subnet set-reveal-mode --netuid 1 --timelock 2 --url "$url" --key //Alice
"$eval_bin" validate --netuid 1 --once --key //Alice --url "$url" \
	--corpus engine/fixtures/corpus.jsonl --models-dir "$work/models" \
	--journal "$work/journal.redb" --batches 4 --batch-size 2 --seq-len 128 --sync-interval 5
status() { "$eval_bin" status --netuid 1 --url "$url"; }
grep -A1 "^timelocked commits" <<<"$(status)" || true
echo "(waiting for the beacon round that opens it)"
for _ in $(seq 1 60); do
	if ! grep -q "^timelocked commits" <<<"$(status)"; then break; fi
	sleep 1
done
grep "reveal mode\|beacon\|timelocked\|uid    0" <<<"$(status)"
