//! `subnet create`: a new subnet owned by the signing key.

use std::io::Write;

use galton_eval::chain::{runtime, CallOrigin};

use super::send::{event, send, SendArgs};

/// Flags of `subnet create`.
#[derive(Debug, clap::Args)]
pub struct Opts {
	#[command(flatten)]
	send: SendArgs,
}

/// Create the subnet and print its netuid.
pub async fn run(opts: Opts, out: &mut impl Write) -> anyhow::Result<()> {
	let chain = opts.send.chain.connect().await?;
	let call = runtime::tx().subnets().create_subnet();
	if let Some((_, events)) =
		send(&chain, &call, &opts.send, CallOrigin::Signed, None, out).await?
	{
		let created: runtime::subnets::events::SubnetCreated = event(&events)?;
		writeln!(out, "created subnet {} owned by {}", created.netuid, created.owner)?;
	}
	Ok(())
}
