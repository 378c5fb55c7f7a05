"""bittensor-drand's timelock encryption to drand quicknet, for galton-timelock's cross-check.
Its ciphertexts are subtensor's wire format SCALE-wrapped with the round, `(Vec<u8>, u64)`.

Usage:
    python bittensor_drand_timelock.py encrypt PAYLOAD_HEX ROUND         -> the ciphertext, hex
    python bittensor_drand_timelock.py decrypt CIPHERTEXT_HEX SIGNATURE_HEX -> the payload, hex
"""

import sys

import bittensor_drand


def main() -> int:
    command = sys.argv[1]
    if command == "encrypt":
        ciphertext, _round = bittensor_drand.encrypt_at_round(bytes.fromhex(sys.argv[2]), int(sys.argv[3]))
        print(ciphertext.hex())
    elif command == "decrypt":
        print(bittensor_drand.decrypt_with_signature(bytes.fromhex(sys.argv[2]), sys.argv[3]).hex())
    else:
        print(f"unknown command {command!r}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
