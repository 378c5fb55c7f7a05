//! `subnet set-claim-config`: when an announced model may be committed.

use std::io::Write;

use galton_eval::{
	chain::{runtime, SubnetState},
	span::BlockSpan,
};
use galton_primitives::ClaimConfig;
use subxt::utils::Static;

use super::send::{blocks_or, print_change, send, AdminArgs, BlockTimeArg};

/// Flags of `subnet set-claim-config`.
#[derive(Debug, clap::Args)]
pub struct Opts {
	/// The subnet.
	#[arg(long)]
	netuid: u16,
	/// Blocks from an announcement to the opening of its commit (blocks or a duration).
	#[arg(long, required_unless_present = "window")]
	delay: Option<BlockSpan>,
	/// How long the commit stays open (blocks or a duration).
	#[arg(long)]
	window: Option<BlockSpan>,
	#[command(flatten)]
	block_time: BlockTimeArg,
	#[command(flatten)]
	admin: AdminArgs,
}

/// Merge the flags given with the chain's claim config, print both, then send the change.
pub async fn run(opts: Opts, out: &mut impl Write) -> anyhow::Result<()> {
	let Opts { netuid, delay, window, block_time, admin } = opts;
	let chain = admin.send.chain.connect().await?;
	let block_time = block_time.resolve(&chain).await?;
	let before = SubnetState::read(&chain, netuid).await?.claim_config;
	let after = ClaimConfig {
		reveal_delay: blocks_or(delay, before.reveal_delay, block_time)?,
		reveal_window: blocks_or(window, before.reveal_window, block_time)?,
	};
	writeln!(out, "subnet {netuid} model claims:")?;
	print_change(out, "commit delay", before.reveal_delay, after.reveal_delay, block_time)?;
	print_change(out, "commit window", before.reveal_window, after.reveal_window, block_time)?;
	let call = runtime::tx().model_registry().set_claim_config(netuid, Static(after));
	send(&chain, &call, &admin.send, admin.origin(), Some(netuid), out).await?;
	Ok(())
}
