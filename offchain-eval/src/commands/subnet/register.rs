//! `subnet register`: the signing hotkey takes a uid on a subnet.

use std::io::Write;

use galton_eval::chain::{runtime, CallOrigin};

use super::send::{event, send, SendArgs};

/// Flags of `subnet register`.
#[derive(Debug, clap::Args)]
pub struct Opts {
	/// The subnet.
	#[arg(long)]
	netuid: u16,
	#[command(flatten)]
	send: SendArgs,
}

/// Register and print the uid the hotkey got.
pub async fn run(opts: Opts, out: &mut impl Write) -> anyhow::Result<()> {
	let chain = opts.send.chain.connect().await?;
	let call = runtime::tx().subnets().register(opts.netuid);
	if let Some((_, events)) =
		send(&chain, &call, &opts.send, CallOrigin::Signed, Some(opts.netuid), out).await?
	{
		let registered: runtime::subnets::events::NeuronRegistered = event(&events)?;
		writeln!(
			out,
			"{} registered on subnet {} with uid {}",
			registered.hotkey, registered.netuid, registered.uid
		)?;
	}
	Ok(())
}
