//! `subnet set-version-key`: the version key validators' weights must carry.

use std::io::Write;

use galton_eval::chain::{runtime, SubnetState};

use super::send::{send, AdminArgs};

/// Flags of `subnet set-version-key`.
#[derive(Debug, clap::Args)]
pub struct Opts {
	/// The subnet.
	#[arg(long)]
	netuid: u16,
	/// The new key.
	#[arg(long)]
	version_key: u64,
	#[command(flatten)]
	admin: AdminArgs,
}

/// Print the key before and after, then send the change.
pub async fn run(opts: Opts, out: &mut impl Write) -> anyhow::Result<()> {
	let Opts { netuid, version_key, admin } = opts;
	let chain = admin.send.chain.connect().await?;
	let before = SubnetState::read(&chain, netuid).await?.version_key;
	writeln!(out, "subnet {netuid}: weights version key {before} -> {version_key}")?;
	let call = runtime::tx().subnets().set_weights_version_key(netuid, version_key);
	send(&chain, &call, &admin.send, admin.origin(), Some(netuid), out).await?;
	Ok(())
}
