//! Sending an owner's or root's call: a dry run that prints it, or a signed transaction
//! whose refusal for a wrong origin is explained.

use std::{fmt::Debug, io::Write, time::Duration};

use anyhow::Context;
use galton_eval::{
	chain::{runtime, subnet_owner, CallOrigin, Chain, ChainError, Config, Finalized, Keypair},
	span::{describe_blocks, parse_block_time, BlockSpan},
};
use galton_primitives::NetUid;
use subxt::{extrinsics::ExtrinsicEvents, transactions::Payload};

use crate::commands::chain_args::ChainArgs;

/// Flags of every `subnet` command: where the node is, the key, and whether to send.
#[derive(Debug, clap::Args)]
pub struct SendArgs {
	/// Print the call and its encoding, and stop: nothing is signed or sent.
	#[arg(long)]
	pub dry_run: bool,
	#[command(flatten)]
	pub chain: ChainArgs,
}

/// Flags of the calls a subnet's owner or root makes.
#[derive(Debug, clap::Args)]
pub struct AdminArgs {
	/// Make the call as root: it is wrapped in `Sudo::sudo`, which only the sudo key may sign.
	#[arg(long)]
	pub sudo: bool,
	#[command(flatten)]
	pub send: SendArgs,
}

impl AdminArgs {
	/// Who the call is made as.
	pub fn origin(&self) -> CallOrigin {
		if self.sudo {
			CallOrigin::Root
		} else {
			CallOrigin::Signed
		}
	}
}

/// How long a block takes, for spans given as durations.
#[derive(Debug, clap::Args)]
pub struct BlockTimeArg {
	/// The chain's block time, to turn durations (`2h`) into blocks [default: measured over
	/// the last 100 finalized blocks].
	#[arg(long, value_parser = parse_block_time)]
	block_time: Option<Duration>,
}

impl BlockTimeArg {
	/// The block time given, else the one measured (`None` while the chain is too young to
	/// measure: a duration then cannot be turned into blocks).
	pub async fn resolve(&self, chain: &Chain) -> anyhow::Result<Option<Duration>> {
		match self.block_time {
			Some(time) => Ok(Some(time)),
			None => Ok(chain.block_time().await?),
		}
	}
}

/// `span` in blocks at `block_time`, or the `current` value when no span was given.
pub fn blocks_or(
	span: Option<BlockSpan>,
	current: u32,
	block_time: Option<Duration>,
) -> anyhow::Result<u32> {
	Ok(match span {
		Some(span) => span.to_blocks(block_time)?,
		None => current,
	})
}

/// Print `name: before -> after` for a span setting (or `name: value` when it is unchanged).
pub fn print_change(
	out: &mut impl Write,
	name: &str,
	before: u32,
	after: u32,
	block_time: Option<Duration>,
) -> std::io::Result<()> {
	if before == after {
		writeln!(out, "  {name}: {} (unchanged)", describe_blocks(after, block_time))
	} else {
		writeln!(
			out,
			"  {name}: {} -> {}",
			describe_blocks(before, block_time),
			describe_blocks(after, block_time)
		)
	}
}

/// Send `call` as `origin` (or, for a dry run, print it); `netuid` is the subnet whose owner
/// may make it, named when the chain refuses the signer. `None` for a dry run.
pub async fn send<Call>(
	chain: &Chain,
	call: &Call,
	args: &SendArgs,
	origin: CallOrigin,
	netuid: Option<NetUid>,
	out: &mut impl Write,
) -> anyhow::Result<Option<(Finalized, ExtrinsicEvents<Config>)>>
where
	Call: Payload,
	Call::CallData: Debug,
{
	if args.dry_run {
		let call = chain.describe_call(call, origin).await?;
		writeln!(out, "dry run, nothing signed or sent:")?;
		writeln!(out, "  call: {}", call.name)?;
		writeln!(out, "  arguments: {}", call.arguments)?;
		writeln!(out, "  encoded: 0x{}", hex::encode(&call.encoded))?;
		return Ok(None);
	}
	let signer = args.chain.keypair()?;
	match chain.dispatch(call, &signer, origin).await {
		Ok((finalized, events)) => {
			writeln!(
				out,
				"{}::{}{} signed by {}: final in block {}",
				call.pallet_name(),
				call.call_name(),
				if origin == CallOrigin::Root { " (as root)" } else { "" },
				signer.address(),
				finalized.block_number
			)?;
			Ok(Some((finalized, events)))
		}
		Err(error) => Err(explain(chain, error, &signer, origin, netuid).await),
	}
}

/// The chain's refusal, with what to do about it when the signer may not make the call.
async fn explain(
	chain: &Chain,
	error: ChainError,
	signer: &Keypair,
	origin: CallOrigin,
	netuid: Option<NetUid>,
) -> anyhow::Error {
	let not_sudo = matches!(
		error.runtime_error(),
		Some(runtime::Error::Sudo(runtime::sudo::Error::RequireSudo))
	);
	if not_sudo {
		let hint = format!(
			"{} is not the sudo key: only the sudo key may make calls as root (--sudo)",
			signer.address()
		);
		return anyhow::Error::new(error).context(hint);
	}
	match (error.is_bad_origin(), origin, netuid) {
		(true, CallOrigin::Signed, Some(netuid)) => {
			let owner = match subnet_owner(chain, netuid).await {
				Ok(Some(owner)) => owner.to_string(),
				Ok(None) => "none: the subnet does not exist".into(),
				Err(read) => format!("unknown ({read})"),
			};
			let hint = format!(
				"refused: {} is neither the owner of subnet {netuid} (owner: {owner}) nor root; sign \
				 with the owner's key, or with the sudo key and --sudo",
				signer.address()
			);
			anyhow::Error::new(error).context(hint)
		}
		_ => anyhow::Error::new(error),
	}
}

/// The first `Event` of `events`, for the command's summary.
pub fn event<Event: subxt::events::DecodeAsEvent>(
	events: &ExtrinsicEvents<Config>,
) -> anyhow::Result<Event> {
	events
		.find_first::<Event>()
		.context("the transaction emitted no event of the expected kind")?
		.context("cannot decode the transaction's event")
}
