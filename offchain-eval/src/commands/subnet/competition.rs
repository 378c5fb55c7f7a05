//! `subnet set-competition` and `subnet remove-competition`.

use std::io::Write;

use anyhow::bail;
use galton_eval::chain::{runtime, SubnetState};
use galton_primitives::{Competition, EpsilonSchedule, Metric};
use sp_arithmetic::Perbill;
use subxt::utils::Static;

use super::send::{send, AdminArgs};
use crate::commands::{
	schedule::{format_competition, parse_fraction, parse_schedule},
	score::MetricArg,
};

/// Flags of `subnet set-competition`.
#[derive(Debug, clap::Args)]
pub struct Opts {
	/// The subnet.
	#[arg(long)]
	netuid: u16,
	/// The competition.
	#[arg(long)]
	id: u16,
	/// The epsilon schedule, as `score` takes it: `fixed:EPS`, `linear:START,END,BLOCKS` or
	/// `exponential:START,RETAIN,PERIOD,FLOOR`.
	#[arg(long, value_parser = parse_schedule)]
	schedule: Option<EpsilonSchedule>,
	/// The competition's share of the subnet's weights (`0.5` or `50%`).
	#[arg(long, value_parser = parse_fraction)]
	reward_share: Option<Perbill>,
	/// What the evaluation measures [default for a new competition: loss].
	#[arg(long, value_enum)]
	metric: Option<MetricArg>,
	/// The most parameters a model may have.
	#[arg(long)]
	max_params: Option<u64>,
	#[command(flatten)]
	admin: AdminArgs,
}

/// Flags of `subnet remove-competition`.
#[derive(Debug, clap::Args)]
pub struct RemoveOpts {
	/// The subnet.
	#[arg(long)]
	netuid: u16,
	/// The competition.
	#[arg(long)]
	id: u16,
	#[command(flatten)]
	admin: AdminArgs,
}

/// Merge the flags with the competition on chain (if any), print both, then send it.
pub async fn set(opts: Opts, out: &mut impl Write) -> anyhow::Result<()> {
	let (netuid, id) = (opts.netuid, opts.id);
	let chain = opts.admin.send.chain.connect().await?;
	let before = SubnetState::read(&chain, netuid)
		.await?
		.competitions
		.into_iter()
		.find_map(|(existing, competition)| (existing == id).then_some(competition));
	let after = merge_competition(&opts, before.as_ref())?;
	writeln!(out, "subnet {netuid} competition {id}:")?;
	match before {
		Some(before) => print_competition(out, "before", &before)?,
		None => writeln!(out, "  new competition")?,
	}
	print_competition(out, "after", &after)?;
	let call = runtime::tx().model_registry().set_competition(netuid, id, Static(after));
	send(&chain, &call, &opts.admin.send, opts.admin.origin(), Some(netuid), out).await?;
	Ok(())
}

/// The competition the flags describe: flags not given keep `existing`'s values; a new
/// competition needs a schedule, a reward share and a parameter limit.
fn merge_competition(opts: &Opts, existing: Option<&Competition>) -> anyhow::Result<Competition> {
	let metric = opts.metric.map(Metric::from);
	Ok(match existing {
		Some(existing) => Competition {
			epsilon: opts.schedule.unwrap_or(existing.epsilon),
			reward_share: opts.reward_share.unwrap_or(existing.reward_share),
			metric: metric.unwrap_or(existing.metric),
			max_params: opts.max_params.unwrap_or(existing.max_params),
		},
		None => match (opts.schedule, opts.reward_share, opts.max_params) {
			(Some(epsilon), Some(reward_share), Some(max_params)) => Competition {
				epsilon,
				reward_share,
				metric: metric.unwrap_or(Metric::CrossEntropy),
				max_params,
			},
			(schedule, reward_share, max_params) => {
				let missing: Vec<&str> = [
					("--schedule", schedule.is_none()),
					("--reward-share", reward_share.is_none()),
					("--max-params", max_params.is_none()),
				]
				.into_iter()
				.filter_map(|(flag, absent)| absent.then_some(flag))
				.collect();
				bail!(
					"competition {} of subnet {} does not exist yet: to create it, give {}",
					opts.id,
					opts.netuid,
					missing.join(", ")
				)
			}
		},
	})
}

fn print_competition(out: &mut impl Write, label: &str, c: &Competition) -> std::io::Result<()> {
	writeln!(out, "  {label}: {}", format_competition(c))
}

/// Say which competition goes, then send its removal.
pub async fn remove(opts: RemoveOpts, out: &mut impl Write) -> anyhow::Result<()> {
	let RemoveOpts { netuid, id, admin } = opts;
	let chain = admin.send.chain.connect().await?;
	writeln!(out, "subnet {netuid}: remove competition {id}")?;
	let call = runtime::tx().model_registry().remove_competition(netuid, id);
	send(&chain, &call, &admin.send, admin.origin(), Some(netuid), out).await?;
	Ok(())
}
