//! `subnet set-reveal-mode`: hash commits, or commits timelocked to the beacon.

use std::io::Write;

use anyhow::ensure;
use galton_eval::chain::{runtime, SubnetState};
use galton_primitives::RevealMode;
use subxt::utils::Static;

use super::send::{send, AdminArgs};

/// Flags of `subnet set-reveal-mode`: `--hash` or `--timelock ROUNDS_AHEAD`.
#[derive(Debug, clap::Args)]
#[command(group = clap::ArgGroup::new("mode").required(true))]
pub struct Opts {
	/// The subnet.
	#[arg(long)]
	netuid: u16,
	/// Validators commit a hash and reveal the weights themselves in a later transaction.
	#[arg(long, group = "mode")]
	hash: bool,
	/// Validators seal their weights to a beacon round at least this many rounds past the
	/// latest pulse (1 to the chain's `MaxRoundsAhead`); the chain reveals them then.
	#[arg(long, group = "mode", value_name = "ROUNDS_AHEAD", value_parser = clap::value_parser!(u64).range(1..))]
	timelock: Option<u64>,
	#[command(flatten)]
	admin: AdminArgs,
}

/// Check the mode against the chain's limit, print it before and after, then send it.
pub async fn run(opts: Opts, out: &mut impl Write) -> anyhow::Result<()> {
	let netuid = opts.netuid;
	let after = match opts.timelock {
		Some(rounds_ahead) => RevealMode::Timelock { rounds_ahead },
		None => RevealMode::Hash,
	};
	let chain = opts.admin.send.chain.connect().await?;
	let max_rounds_ahead =
		chain.constant(runtime::constants().commit_reveal().max_rounds_ahead()).await?;
	if let RevealMode::Timelock { rounds_ahead } = after {
		ensure!(
			rounds_ahead <= max_rounds_ahead,
			"--timelock {rounds_ahead} is more rounds ahead than this chain allows \
			 ({max_rounds_ahead})"
		);
	}
	let before = SubnetState::read(&chain, netuid).await?.reveal_mode;
	let period = chain.beacon().await?.map(|beacon| beacon.info.schedule.period);
	writeln!(out, "subnet {netuid} reveal mode:")?;
	if before == after {
		writeln!(out, "  {} (unchanged)", describe_mode(before, period))?;
	} else {
		writeln!(out, "  {} -> {}", describe_mode(before, period), describe_mode(after, period))?;
	}
	let call = runtime::tx().commit_reveal().set_reveal_mode(netuid, Static(after));
	send(&chain, &call, &opts.admin.send, opts.admin.origin(), Some(netuid), out).await?;
	Ok(())
}

/// A reveal mode in words, with how long a timelocked commit stays sealed at the beacon's
/// `period` (seconds), when the chain has a beacon.
fn describe_mode(mode: RevealMode, period: Option<u32>) -> String {
	match (mode, period) {
		(RevealMode::Hash, _) => "hash commits".to_owned(),
		(RevealMode::Timelock { rounds_ahead }, Some(period)) => format!(
			"timelock, {rounds_ahead} beacon rounds ahead (sealed for at least {} s)",
			rounds_ahead.saturating_mul(u64::from(period))
		),
		(RevealMode::Timelock { rounds_ahead }, None) => {
			format!("timelock, {rounds_ahead} beacon rounds ahead (the chain has no beacon)")
		}
	}
}
