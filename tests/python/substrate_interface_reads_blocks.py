"""Drive a Galton devnet with py-substrate-interface's default settings, as a bittensor user's
tooling would: read every block (beacon pulses included) with its extrinsics decoded, and send
a transfer that waits for inclusion. Exits non-zero, saying what failed, on any error.

Usage: python substrate_interface_reads_blocks.py WS_URL PULSE_BLOCKS
"""

import sys
import time

from substrateinterface import Keypair, SubstrateInterface


def main() -> int:
    url, wanted = sys.argv[1], int(sys.argv[2])
    substrate = SubstrateInterface(url=url)
    pulse_blocks = set()
    number = 1
    deadline = time.monotonic() + 120
    # Walk the chain block by block until `wanted` blocks with pulses were decoded; each block is
    # read whole, as `wait_for_inclusion` does, so one undecodable extrinsic fails the run.
    while len(pulse_blocks) < wanted:
        head = substrate.get_block_number(substrate.get_chain_finalised_head())
        if number > head:
            if time.monotonic() > deadline:
                print(f"only {len(pulse_blocks)} pulse blocks within 120 s", file=sys.stderr)
                return 1
            time.sleep(0.2)
            continue
        block = substrate.get_block(block_number=number)
        for extrinsic in block["extrinsics"]:
            call = extrinsic.value["call"]
            if (call["call_module"], call["call_function"]) == ("Beacon", "store_pulses"):
                pulse_blocks.add(number)
        number += 1
    alice = Keypair.create_from_uri("//Alice")
    bob = Keypair.create_from_uri("//Bob")
    call = substrate.compose_call(
        call_module="Balances",
        call_function="transfer_keep_alive",
        call_params={"dest": bob.ss58_address, "value": 10**12},
    )
    extrinsic = substrate.create_signed_extrinsic(call=call, keypair=alice)
    receipt = substrate.submit_extrinsic(extrinsic, wait_for_inclusion=True)
    if not receipt.is_success:
        print(f"the transfer failed: {receipt.error_message}", file=sys.stderr)
        return 1
    print(f"decoded {number - 1} blocks, {len(pulse_blocks)} with pulses; transfer in block {receipt.block_hash}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
