//! The node's command line.

use polkadot_sdk::sc_cli;

/// What the node can do besides running.
#[derive(Debug, clap::Subcommand)]
#[allow(clippy::large_enum_variant)]
pub enum Subcommand {
	/// Key management tools.
	#[command(subcommand)]
	Key(sc_cli::KeySubcommand),

	/// Export the chain spec of `--chain` (`dev`, `local` or a file) as JSON.
	ExportChainSpec(sc_cli::ExportChainSpecCmd),

	/// Validate the blocks of a chain.
	CheckBlock(sc_cli::CheckBlockCmd),

	/// Export blocks to a file.
	ExportBlocks(sc_cli::ExportBlocksCmd),

	/// Export the state at a block as a chain spec.
	ExportState(sc_cli::ExportStateCmd),

	/// Import blocks from a file.
	ImportBlocks(sc_cli::ImportBlocksCmd),

	/// Delete the whole chain database.
	PurgeChain(sc_cli::PurgeChainCmd),

	/// Revert the chain to a previous block.
	Revert(sc_cli::RevertCmd),
}

/// `galton-node [SUBCOMMAND] [OPTIONS]`.
#[derive(Debug, clap::Parser)]
#[command(
	propagate_version = true,
	args_conflicts_with_subcommands = true,
	subcommand_negates_reqs = true
)]
pub struct Cli {
	/// A subcommand; without one, the node runs.
	#[command(subcommand)]
	pub subcommand: Option<Subcommand>,

	/// How the node runs (`--dev`, `--tmp`, `--chain`, `--rpc-port`, ...).
	#[clap(flatten)]
	pub run: sc_cli::RunCmd,

	/// Milliseconds between two blocks: the node seals a block this often and finalizes it.
	#[arg(long, default_value_t = 1000, value_parser = clap::value_parser!(u64).range(1..=3_600_000))]
	pub dev_block_time: u64,

	/// A drand HTTP relay serving the chain's beacon, with the beacon's chain hash, e.g.
	/// `https://api.drand.sh/52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971`
	/// (quicknet): the node fetches the rounds the chain needs from `URL/public/ROUND`, checks
	/// them against the chain's beacon key and adds them to the blocks it authors. Give it more
	/// than once for fallbacks, tried in order. Without it, the node signs pulses only on a
	/// development or local chain whose beacon is the (insecure) development beacon.
	#[arg(long, value_name = "URL", value_parser = crate::service::parse_relay_url)]
	pub beacon_relay: Vec<String>,
}
