"""The PyTorch + transformers side of benchmarking/eval-vs-pytorch.sh.

Loads the model directory with transformers (f32, sdpa attention), computes the mean next-token
cross-entropy of every batch in a JSON Lines file written by `galton-eval score --save-batches`,
and prints one JSON object: the per-batch losses and the tokens/s of the batches after the
first (a warm-up), as galton-eval counts its own.
"""

import argparse
import json
import sys
import time

import torch
import torch.nn.functional as F
from transformers import AutoModelForCausalLM


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("model", help="the model directory")
    parser.add_argument("batches", help="JSON Lines from galton-eval score --save-batches")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    with open(args.batches) as f:
        batches = [torch.tensor(json.loads(line)["rows"], dtype=torch.long) for line in f]
    if len(batches) < 2:
        sys.exit("need at least two batches: the first is a warm-up")
    model = AutoModelForCausalLM.from_pretrained(
        args.model, torch_dtype=torch.float32, attn_implementation="sdpa"
    ).eval()

    losses, tokens, started = [], 0, time.perf_counter()
    with torch.inference_mode():
        for i, ids in enumerate(batches):
            if i == 1:
                tokens, started = 0, time.perf_counter()
            logits = model(input_ids=ids).logits
            vocab = logits.shape[-1]
            loss = F.cross_entropy(
                logits[:, :-1].reshape(-1, vocab), ids[:, 1:].reshape(-1), reduction="mean"
            )
            losses.append(loss.item())
            tokens += ids.numel()
    seconds = time.perf_counter() - started
    json.dump(
        {
            "torch": torch.__version__,
            "threads": torch.get_num_threads(),
            "tokens_per_second": tokens / seconds,
            "losses": losses,
        },
        sys.stdout,
    )
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
