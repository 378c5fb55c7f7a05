//! The subcommands of `galton-eval`, one module each.

mod advise;
mod chain_args;
mod commit_model;
mod eval_args;
mod fixture;
mod hash;
mod schedule;
mod score;
mod status;
mod subnet;
mod validate;

use std::io::Write;

/// What `galton-eval` can do.
#[derive(Debug, clap::Subcommand)]
pub enum Command {
	/// Evaluate models on seeded samples of a corpus and print their losses and weights.
	Score(score::Opts),
	/// Print the content hash of a model directory (what `commit_model` puts on chain).
	Hash(hash::Opts),
	/// Write a tiny random-initialised Llama model (for tests, benchmarks and the devnet).
	Fixture(fixture::Opts),
	/// As a miner: commit a model's content hash, repository and revision on chain.
	CommitModel(commit_model::Opts),
	/// As a validator: evaluate, score, commit and reveal weights, round after round.
	Validate(validate::Opts),
	/// Show a subnet's settings, competitions, models and this key's pending commits.
	Status(status::Opts),
	/// As a subnet's owner (or root, with --sudo): create, register, and change its settings.
	Subnet(subnet::Opts),
	/// Before choosing a subnet's settings: what they do, worked out with the validators' code.
	Advise(advise::Opts),
}

/// Run a command, writing its result to `out`.
pub fn run(command: Command, out: &mut impl Write) -> anyhow::Result<()> {
	match command {
		Command::Score(opts) => score::run(opts, out),
		Command::Hash(opts) => hash::run(opts, out),
		Command::Fixture(opts) => fixture::run(opts, out),
		Command::CommitModel(opts) => commit_model::run(opts, out),
		Command::Validate(opts) => validate::run(opts, out),
		Command::Status(opts) => status::run(opts, out),
		Command::Subnet(opts) => subnet::run(opts, out),
		Command::Advise(opts) => advise::run(opts, out),
	}
}
