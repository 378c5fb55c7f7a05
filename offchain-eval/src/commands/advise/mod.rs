//! `galton-eval advise`: what a subnet owner's settings do, worked out with the validators'
//! own code before they are set.

mod epsilon;
mod interval;
pub mod plot;

use std::io::Write;

/// The advisors.
#[derive(Debug, clap::Args)]
pub struct Opts {
	#[command(subcommand)]
	advisor: Advisor,
}

#[derive(Debug, clap::Subcommand)]
enum Advisor {
	/// How long a better model waits for the top under an epsilon schedule, the smallest
	/// improvement it ever rewards, and what a copy of the leader earns.
	Epsilon(epsilon::Opts),
	/// What a validator copying the revealed consensus earns at each reveal interval, on a
	/// subnet's history, and the interval that stops copying from paying.
	Interval(interval::Opts),
}

/// Run the advisor asked for.
pub fn run(opts: Opts, out: &mut impl Write) -> anyhow::Result<()> {
	match opts.advisor {
		Advisor::Epsilon(opts) => epsilon::run(opts, out),
		Advisor::Interval(opts) => interval::run(opts, out),
	}
}
