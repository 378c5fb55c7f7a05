//! `subnet set-commit-interval`: the fewest blocks between two model commits of one hotkey.

use std::io::Write;

use galton_eval::{
	chain::{runtime, SubnetState},
	span::BlockSpan,
};

use super::send::{print_change, send, AdminArgs, BlockTimeArg};

/// Flags of `subnet set-commit-interval`.
#[derive(Debug, clap::Args)]
pub struct Opts {
	/// The subnet.
	#[arg(long)]
	netuid: u16,
	/// The interval: blocks, or a duration (`1h`).
	#[arg(long)]
	interval: BlockSpan,
	#[command(flatten)]
	block_time: BlockTimeArg,
	#[command(flatten)]
	admin: AdminArgs,
}

/// Print the interval before and after, then send the change.
pub async fn run(opts: Opts, out: &mut impl Write) -> anyhow::Result<()> {
	let Opts { netuid, interval, block_time, admin } = opts;
	let chain = admin.send.chain.connect().await?;
	let block_time = block_time.resolve(&chain).await?;
	let before = SubnetState::read(&chain, netuid).await?.model_commit_interval;
	let after = interval.to_blocks(block_time)?;
	writeln!(out, "subnet {netuid} model commits:")?;
	print_change(out, "one commit per", before, after, block_time)?;
	let call = runtime::tx().model_registry().set_commit_interval(netuid, after);
	send(&chain, &call, &admin.send, admin.origin(), Some(netuid), out).await?;
	Ok(())
}
