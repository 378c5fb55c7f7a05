//! `galton-eval subnet`: create a subnet, register on it, and, as its owner or as root, grant
//! validator permits and set its commit-reveal (and reveal mode), competitions, model claims and
//! version key.
//!
//! Settings merge with what is on chain: only the flags given change. Spans take a number of
//! blocks or a duration (`2h`), and both are printed. `--dry-run` prints the call without
//! signing it; `--sudo` makes it as root.

mod claim_config;
mod commit_interval;
mod competition;
mod create;
mod permit;
mod register;
mod reveal_config;
mod reveal_mode;
mod send;
mod version_key;

use std::io::Write;

use super::chain_args::runtime as tokio_runtime;

/// A subnet owner's commands (and root's, with `--sudo`).
#[derive(Debug, clap::Args)]
pub struct Opts {
	#[command(subcommand)]
	action: Action,
}

#[derive(Debug, clap::Subcommand)]
enum Action {
	/// Create a subnet owned by the signing key, which holds the subnet deposit.
	Create(create::Opts),
	/// Register the signing hotkey on a subnet; it holds the registration deposit.
	Register(register::Opts),
	/// Grant (or, with --revoke, revoke) a neuron's validator permit.
	SetPermit(permit::Opts),
	/// Change how validators commit and reveal their weights.
	SetRevealConfig(reveal_config::Opts),
	/// Choose how validators hide their weights: hash commits they reveal themselves, or
	/// commits timelocked to the chain's randomness beacon, which the chain reveals.
	SetRevealMode(reveal_mode::Opts),
	/// Create or change a competition (flags not given keep the competition's values).
	SetCompetition(competition::Opts),
	/// Remove a competition; its models stop scoring until they commit to another.
	RemoveCompetition(competition::RemoveOpts),
	/// Set the fewest blocks between two model commits of one hotkey.
	SetCommitInterval(commit_interval::Opts),
	/// Change when an announced model may be committed (the claim's delay and window).
	SetClaimConfig(claim_config::Opts),
	/// Set the version key validators' weights must carry.
	SetVersionKey(version_key::Opts),
}

/// Run a `subnet` command.
pub fn run(opts: Opts, out: &mut impl Write) -> anyhow::Result<()> {
	tokio_runtime()?.block_on(async {
		match opts.action {
			Action::Create(opts) => create::run(opts, out).await,
			Action::Register(opts) => register::run(opts, out).await,
			Action::SetPermit(opts) => permit::run(opts, out).await,
			Action::SetRevealConfig(opts) => reveal_config::run(opts, out).await,
			Action::SetRevealMode(opts) => reveal_mode::run(opts, out).await,
			Action::SetCompetition(opts) => competition::set(opts, out).await,
			Action::RemoveCompetition(opts) => competition::remove(opts, out).await,
			Action::SetCommitInterval(opts) => commit_interval::run(opts, out).await,
			Action::SetClaimConfig(opts) => claim_config::run(opts, out).await,
			Action::SetVersionKey(opts) => version_key::run(opts, out).await,
		}
	})
}
