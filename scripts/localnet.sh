#!/usr/bin/env bash
# A local network of two authorities, Alice and Bob, on `--chain local`: Aura authors the blocks,
# GRANDPA finalizes them (it needs both votes). Runs until Ctrl-C or SIGTERM, then stops both
# nodes; if one node exits, the other is stopped too.
#
# Usage: scripts/localnet.sh [BASE_DIR]   (default: a new temporary directory)
# Alice's RPC is ws://127.0.0.1:9944, Bob's ws://127.0.0.1:9945; logs are in BASE_DIR.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/galton-target}"
node="${GALTON_NODE_BIN:-$CARGO_TARGET_DIR/debug/galton-node}"
[ -x "$node" ] || cargo build --locked -p galton-node

base="${1:-$(mktemp -d -t galton-localnet.XXXXXX)}"
mkdir -p "$base"
# Fixed network keys, so that Bob knows Alice's peer id before she starts. They only name the
# nodes on the local network; they are not authority keys.
printf %s 0000000000000000000000000000000000000000000000000000000000000001 > "$base/alice.node-key"
printf %s 0000000000000000000000000000000000000000000000000000000000000002 > "$base/bob.node-key"
alice_peer=$("$node" key inspect-node-key --file "$base/alice.node-key")

pids=()
stop() {
	trap - EXIT INT TERM
	if [ ${#pids[@]} -gt 0 ]; then
		kill "${pids[@]}" 2>/dev/null || true
		wait "${pids[@]}" 2>/dev/null || true
	fi
	echo "local network stopped; logs in $base"
}
trap stop EXIT
trap 'stop; exit 130' INT TERM

"$node" --chain local --alice --base-path "$base/alice" --port 30333 --rpc-port 9944 \
	--node-key-file "$base/alice.node-key" --no-mdns >"$base/alice.log" 2>&1 &
pids+=($!)
"$node" --chain local --bob --base-path "$base/bob" --port 30334 --rpc-port 9945 \
	--node-key-file "$base/bob.node-key" --no-mdns \
	--bootnodes "/ip4/127.0.0.1/tcp/30333/p2p/$alice_peer" >"$base/bob.log" 2>&1 &
pids+=($!)
echo "Alice: ws://127.0.0.1:9944 (pid ${pids[0]}), Bob: ws://127.0.0.1:9945 (pid ${pids[1]}); logs in $base"
echo "Ctrl-C stops both."
# The first node to exit ends the network.
wait -n "${pids[@]}" || true
