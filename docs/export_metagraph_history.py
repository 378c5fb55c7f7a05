#!/usr/bin/env python3
"""Export a subtensor subnet's history for `galton-eval advise interval --history FILE`.

One JSON line per epoch boundary, in the format docs/subnet-owners.md describes ("The history
file"): the stakes, validator permits, registration blocks, last updates and weights the chain
held at that block. It uses the bittensor SDK (`pip install bittensor`) and needs a node that
keeps past state (an archive node, such as `archive.chain.opentensor.ai` for finney).

This script was written against the SDK's documented metagraph API and has NOT been run against
a live chain by Galton's developers; check a few lines of its output against a block explorer
before trusting an analysis built on it.

    python3 docs/export_metagraph_history.py --netuid 9 --network archive \
        --epochs 200 > sn9.jsonl
"""

import argparse
import json
import sys

import bittensor as bt

U16_MAX = 65535
RAO_PER_TAO = 1_000_000_000


def weight_rows(metagraph):
    """Each uid's weights as (target, u16) pairs, scaled so the row's largest is 65535, as the
    chain stores them."""
    rows = []
    for row in metagraph.W.tolist():
        top = max(row) if row else 0.0
        if top <= 0:
            rows.append([])
            continue
        rows.append([[j, round(w / top * U16_MAX)] for j, w in enumerate(row) if w > 0])
    return rows


def registration_blocks(subtensor, netuid, n, block):
    """BlockAtRegistration of each uid at `block`, read from storage."""
    block_hash = subtensor.substrate.get_block_hash(block)
    blocks = []
    for uid in range(n):
        value = subtensor.substrate.query(
            "SubtensorModule", "BlockAtRegistration", [netuid, uid], block_hash=block_hash
        )
        blocks.append(int(value.value if hasattr(value, "value") else value))
    return blocks


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--netuid", type=int, required=True)
    parser.add_argument("--network", default="archive", help="a network name or ws:// URL")
    parser.add_argument("--epochs", type=int, default=200, help="how many epochs back")
    parser.add_argument("--end", type=int, help="the last block [default: the current one]")
    args = parser.parse_args()

    subtensor = bt.subtensor(network=args.network)
    tempo = int(subtensor.tempo(args.netuid))
    end = args.end or subtensor.get_current_block()
    # Epochs run every tempo + 1 blocks; the history needs only their spacing.
    spacing = tempo + 1
    blocks = [end - spacing * k for k in reversed(range(args.epochs))]
    for block in blocks:
        metagraph = subtensor.metagraph(netuid=args.netuid, block=block, lite=False)
        n = int(metagraph.n)
        record = {
            "block": block,
            "tempo": spacing,
            "stakes": [int(round(float(s) * RAO_PER_TAO)) for s in metagraph.S.tolist()],
            "permits": [bool(p) for p in metagraph.validator_permit.tolist()],
            "registered_at": registration_blocks(subtensor, args.netuid, n, block),
            "last_update": [int(b) for b in metagraph.last_update.tolist()],
            "weights": weight_rows(metagraph),
        }
        print(json.dumps(record, separators=(",", ":")))
        print(f"block {block}: {n} uids", file=sys.stderr)


if __name__ == "__main__":
    main()
