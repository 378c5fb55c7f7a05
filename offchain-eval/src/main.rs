//! `galton-eval`: score models for a Galton subnet, and compute the content hash a miner
//! commits. Run `galton-eval --help` for the commands.

mod commands;

use std::{io::IsTerminal, process::ExitCode};

use clap::Parser;

/// mimalloc instead of glibc's allocator: the advisors' replays free and reallocate the same
/// few megabytes every epoch, which glibc hands back to the kernel and faults back in each time
/// (measured: `advise interval`'s benchmark took 9.9 s with glibc, 6.0 s with mimalloc).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Galton's off-chain evaluator.
#[derive(Debug, Parser)]
#[command(name = "galton-eval", version, about, long_about = None)]
struct Cli {
	#[command(subcommand)]
	command: commands::Command,
}

fn main() -> ExitCode {
	let cli = Cli::parse();
	init_logging();
	let mut stdout = std::io::stdout().lock();
	match commands::run(cli.command, &mut stdout) {
		Ok(()) => ExitCode::SUCCESS,
		Err(error) => {
			eprintln!("error: {error:#}");
			ExitCode::FAILURE
		}
	}
}

/// Logs go to stderr: readable on a terminal, plain elsewhere; `RUST_LOG` overrides the level.
fn init_logging() {
	let filter = tracing_subscriber::EnvFilter::try_from_default_env()
		.unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
	tracing_subscriber::fmt()
		.with_env_filter(filter)
		.with_writer(std::io::stderr)
		.with_ansi(std::io::stderr().is_terminal())
		.with_target(false)
		.init();
}
