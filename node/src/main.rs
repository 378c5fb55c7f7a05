//! `galton-node`: a Substrate node for Galton's runtime.
//!
//! `galton-node --dev` starts a devnet that seals a block every `--dev-block-time` milliseconds
//! and finalizes each one at once, with the standard RPC on port 9944.

#![warn(missing_docs)]
// `sc_cli::Error` and `sc_service::Error` are Substrate's; the node only passes them on.
#![allow(clippy::result_large_err)]

mod chain_spec;
mod cli;
mod command;
mod rpc;
mod service;

fn main() -> polkadot_sdk::sc_cli::Result<()> {
	command::run()
}
