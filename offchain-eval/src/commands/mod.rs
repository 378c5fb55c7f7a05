//! The subcommands of `galton-eval`, one module each.

mod fixture;
mod hash;
mod score;

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
}

/// Run a command, writing its result to `out`.
pub fn run(command: Command, out: &mut impl Write) -> anyhow::Result<()> {
	match command {
		Command::Score(opts) => score::run(opts, out),
		Command::Hash(opts) => hash::run(opts, out),
		Command::Fixture(opts) => fixture::run(opts, out),
	}
}
