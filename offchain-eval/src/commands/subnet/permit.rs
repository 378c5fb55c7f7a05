//! `subnet set-permit`: grant or revoke a neuron's validator permit.

use std::io::Write;

use galton_eval::chain::runtime;

use super::send::{send, AdminArgs};

/// Flags of `subnet set-permit`.
#[derive(Debug, clap::Args)]
pub struct Opts {
	/// The subnet.
	#[arg(long)]
	netuid: u16,
	/// The neuron.
	#[arg(long)]
	uid: u16,
	/// Revoke the permit instead of granting it.
	#[arg(long)]
	revoke: bool,
	#[command(flatten)]
	admin: AdminArgs,
}

/// Say what changes, then send it.
pub async fn run(opts: Opts, out: &mut impl Write) -> anyhow::Result<()> {
	let Opts { netuid, uid, revoke, admin } = opts;
	let chain = admin.send.chain.connect().await?;
	writeln!(
		out,
		"subnet {netuid}: {} the validator permit of uid {uid}",
		if revoke { "revoke" } else { "grant" }
	)?;
	let call = runtime::tx().subnets().set_validator_permit(netuid, uid, !revoke);
	send(&chain, &call, &admin.send, admin.origin(), Some(netuid), out).await?;
	Ok(())
}
