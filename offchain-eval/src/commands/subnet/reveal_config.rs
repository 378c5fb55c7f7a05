//! `subnet set-reveal-config`: how validators commit and reveal their weights.

use std::io::Write;

use galton_eval::{
	chain::{runtime, SubnetState},
	span::BlockSpan,
};
use galton_primitives::RevealConfig;
use subxt::utils::Static;

use super::send::{blocks_or, print_change, send, AdminArgs, BlockTimeArg};

/// Flags of `subnet set-reveal-config`.
#[derive(Debug, clap::Args)]
#[command(group = clap::ArgGroup::new("change").multiple(true).required(true))]
pub struct Opts {
	/// The subnet.
	#[arg(long)]
	netuid: u16,
	/// Blocks between a commit and the opening of its reveal (blocks or a duration: `2h`).
	#[arg(long, group = "change")]
	delay: Option<BlockSpan>,
	/// How long a reveal stays open (blocks or a duration).
	#[arg(long, group = "change")]
	window: Option<BlockSpan>,
	/// The fewest blocks between two commits of one validator (blocks or a duration).
	#[arg(long, group = "change")]
	commit_interval: Option<BlockSpan>,
	/// Let validators commit once per reveal delay (the default interval).
	#[arg(long, group = "change", conflicts_with = "commit_interval")]
	commit_interval_is_delay: bool,
	/// Require commit-reveal (plain weight setting is refused).
	#[arg(long, group = "change")]
	enable: bool,
	/// Let validators set weights directly.
	#[arg(long, group = "change", conflicts_with = "enable")]
	disable: bool,
	#[command(flatten)]
	block_time: BlockTimeArg,
	#[command(flatten)]
	admin: AdminArgs,
}

/// Merge the flags given with the chain's reveal config, print both, then send the change.
pub async fn run(opts: Opts, out: &mut impl Write) -> anyhow::Result<()> {
	let netuid = opts.netuid;
	let chain = opts.admin.send.chain.connect().await?;
	let block_time = opts.block_time.resolve(&chain).await?;
	let before = SubnetState::read(&chain, netuid).await?.reveal_config;
	let commit_interval = match (opts.commit_interval, opts.commit_interval_is_delay) {
		(Some(span), _) => Some(span.to_blocks(block_time)?),
		(None, true) => None,
		(None, false) => before.commit_interval,
	};
	let after = RevealConfig {
		enabled: (before.enabled || opts.enable) && !opts.disable,
		reveal_delay: blocks_or(opts.delay, before.reveal_delay, block_time)?,
		reveal_window: blocks_or(opts.window, before.reveal_window, block_time)?,
		commit_interval,
	};
	let on_off = |enabled| if enabled { "on" } else { "off" };
	writeln!(out, "subnet {netuid} commit-reveal:")?;
	match (before.enabled, after.enabled) {
		(was, now) if was == now => writeln!(out, "  commit-reveal: {} (unchanged)", on_off(now))?,
		(was, now) => writeln!(out, "  commit-reveal: {} -> {}", on_off(was), on_off(now))?,
	}
	print_change(out, "reveal delay", before.reveal_delay, after.reveal_delay, block_time)?;
	print_change(out, "reveal window", before.reveal_window, after.reveal_window, block_time)?;
	print_change(
		out,
		"one commit per",
		before.min_commit_interval(),
		after.min_commit_interval(),
		block_time,
	)?;
	let call = runtime::tx().commit_reveal().set_reveal_config(netuid, Static(after));
	send(&chain, &call, &opts.admin.send, opts.admin.origin(), Some(netuid), out).await?;
	Ok(())
}
