#!/usr/bin/env bash
# Install what building Galton needs on a fresh Debian/Ubuntu machine: the Rust toolchain parts
# named in rust-toolchain.toml, and the system packages the node's build scripts call (protoc
# for prost-build, clang for the wasm runtime's C dependencies, libclang for benchmarks, libssl-dev
# and pkg-config for the OpenSSL the network stack links). Safe to run again: it only installs
# what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

if ! command -v rustup >/dev/null 2>&1; then
	echo "error: rustup is not installed; install it from your distribution or rustup.rs first" >&2
	exit 1
fi
# rust-toolchain.toml pins the channel; make sure its target and components are present.
rustup target add wasm32-unknown-unknown wasm32v1-none >/dev/null
rustup component add rust-src rustfmt clippy >/dev/null

missing=()
command -v protoc >/dev/null 2>&1 || missing+=(protobuf-compiler)
command -v clang >/dev/null 2>&1 || missing+=(clang)
command -v make >/dev/null 2>&1 || missing+=(make)
# libclang for bindgen, which frame-omni-bencher (benchmarking/run-benchmarks.sh) builds with.
# clang-sys wants the unversioned libclang.so that only libclang-dev installs.
ls /usr/lib/llvm-*/lib/libclang.so >/dev/null 2>&1 || missing+=(libclang-dev)
# The system OpenSSL that openssl-sys links instead of building its own (.cargo/config.toml).
command -v pkg-config >/dev/null 2>&1 || missing+=(pkg-config)
pkg-config --exists openssl 2>/dev/null || missing+=(libssl-dev)
if [ ${#missing[@]} -gt 0 ]; then
	sudo=""
	[ "$(id -u)" -eq 0 ] || sudo="sudo"
	echo "installing system packages: ${missing[*]}"
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
echo "setup complete: $(rustc --version), protoc $(protoc --version | cut -d' ' -f2), $(clang --version | head -1)"
