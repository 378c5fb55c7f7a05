//! `galton-eval subnet`: create a subnet, register on it, and, as its owner or as root, grant
//! validator permits and set its commit-reveal (and reveal mode), competitions, model claims and
//! version key.
//!
//! Settings merge with what is on chain: only the flags given change. Spans take a number of
//! blocks or a duration (`2h`), and both are printed. `--dry-run` prints the call without
//! signing it; `--sudo` makes it as root.

mod send;

use std::io::Write;

use crate::commands::schedule::{format_competition, parse_fraction, parse_schedule};
use anyhow::{bail, ensure};
use galton_eval::{
	chain::{runtime, CallOrigin, SubnetState},
	span::BlockSpan,
};
use galton_primitives::{
	ClaimConfig, Competition, EpsilonSchedule, Metric, RevealConfig, RevealMode,
};
use sp_arithmetic::Perbill;
use subxt::utils::Static;

use self::send::{blocks_or, event, print_change, send, AdminArgs, BlockTimeArg, SendArgs};
use super::{chain_args::runtime as tokio_runtime, score::MetricArg};

/// A subnet owner's commands (and root's, with `--sudo`).
#[derive(Debug, clap::Args)]
pub struct Opts {
	#[command(subcommand)]
	action: Action,
}

#[derive(Debug, clap::Subcommand)]
enum Action {
	/// Create a subnet owned by the signing key, which holds the subnet deposit.
	Create {
		#[command(flatten)]
		send: SendArgs,
	},
	/// Register the signing hotkey on a subnet; it holds the registration deposit.
	Register {
		/// The subnet.
		#[arg(long)]
		netuid: u16,
		#[command(flatten)]
		send: SendArgs,
	},
	/// Grant (or, with --revoke, revoke) a neuron's validator permit.
	SetPermit {
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
	},
	/// Change how validators commit and reveal their weights.
	SetRevealConfig(RevealOpts),
	/// Choose how validators hide their weights: hash commits they reveal themselves, or
	/// commits timelocked to the chain's randomness beacon, which the chain reveals.
	SetRevealMode(RevealModeOpts),
	/// Create or change a competition (flags not given keep the competition's values).
	SetCompetition(CompetitionOpts),
	/// Remove a competition; its models stop scoring until they commit to another.
	RemoveCompetition {
		/// The subnet.
		#[arg(long)]
		netuid: u16,
		/// The competition.
		#[arg(long)]
		id: u16,
		#[command(flatten)]
		admin: AdminArgs,
	},
	/// Set the fewest blocks between two model commits of one hotkey.
	SetCommitInterval {
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
	},
	/// Change when an announced model may be committed (the claim's delay and window).
	SetClaimConfig {
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
	},
	/// Set the version key validators' weights must carry.
	SetVersionKey {
		/// The subnet.
		#[arg(long)]
		netuid: u16,
		/// The new key.
		#[arg(long)]
		version_key: u64,
		#[command(flatten)]
		admin: AdminArgs,
	},
}

/// Flags of `subnet set-reveal-config`.
#[derive(Debug, clap::Args)]
#[command(group = clap::ArgGroup::new("change").multiple(true).required(true))]
struct RevealOpts {
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

/// Flags of `subnet set-reveal-mode`: `--hash` or `--timelock ROUNDS_AHEAD`.
#[derive(Debug, clap::Args)]
#[command(group = clap::ArgGroup::new("mode").required(true))]
struct RevealModeOpts {
	/// The subnet.
	#[arg(long)]
	netuid: u16,
	/// Validators commit a hash and reveal the weights themselves in a later transaction.
	#[arg(long, group = "mode")]
	hash: bool,
	/// Validators seal their weights to a beacon round at least this many rounds past the
	/// latest pulse (1 to the chain's `MaxRoundsAhead`); the chain reveals them then.
	#[arg(long, group = "mode", value_name = "ROUNDS_AHEAD", value_parser = clap::value_parser!(u64).range(1..))]
	timelock: Option<u64>,
	#[command(flatten)]
	admin: AdminArgs,
}

/// Flags of `subnet set-competition`.
#[derive(Debug, clap::Args)]
struct CompetitionOpts {
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

/// Run a `subnet` command.
pub fn run(opts: Opts, out: &mut impl Write) -> anyhow::Result<()> {
	tokio_runtime()?.block_on(async {
		match opts.action {
			Action::Create { send: args } => {
				let chain = args.chain.connect().await?;
				let call = runtime::tx().subnets().create_subnet();
				if let Some((_, events)) =
					send(&chain, &call, &args, CallOrigin::Signed, None, out).await?
				{
					let created: runtime::subnets::events::SubnetCreated = event(&events)?;
					writeln!(out, "created subnet {} owned by {}", created.netuid, created.owner)?;
				}
			}
			Action::Register { netuid, send: args } => {
				let chain = args.chain.connect().await?;
				let call = runtime::tx().subnets().register(netuid);
				if let Some((_, events)) =
					send(&chain, &call, &args, CallOrigin::Signed, Some(netuid), out).await?
				{
					let registered: runtime::subnets::events::NeuronRegistered = event(&events)?;
					writeln!(
						out,
						"{} registered on subnet {} with uid {}",
						registered.hotkey, registered.netuid, registered.uid
					)?;
				}
			}
			Action::SetPermit { netuid, uid, revoke, admin } => {
				let chain = admin.send.chain.connect().await?;
				writeln!(
					out,
					"subnet {netuid}: {} the validator permit of uid {uid}",
					if revoke { "revoke" } else { "grant" }
				)?;
				let call = runtime::tx().subnets().set_validator_permit(netuid, uid, !revoke);
				send(&chain, &call, &admin.send, admin.origin(), Some(netuid), out).await?;
			}
			Action::SetRevealConfig(opts) => set_reveal_config(opts, out).await?,
			Action::SetRevealMode(opts) => set_reveal_mode(opts, out).await?,
			Action::SetCompetition(opts) => set_competition(opts, out).await?,
			Action::RemoveCompetition { netuid, id, admin } => {
				let chain = admin.send.chain.connect().await?;
				writeln!(out, "subnet {netuid}: remove competition {id}")?;
				let call = runtime::tx().model_registry().remove_competition(netuid, id);
				send(&chain, &call, &admin.send, admin.origin(), Some(netuid), out).await?;
			}
			Action::SetCommitInterval { netuid, interval, block_time, admin } => {
				let chain = admin.send.chain.connect().await?;
				let block_time = block_time.resolve(&chain).await?;
				let before = SubnetState::read(&chain, netuid).await?.model_commit_interval;
				let after = interval.to_blocks(block_time)?;
				writeln!(out, "subnet {netuid} model commits:")?;
				print_change(out, "one commit per", before, after, block_time)?;
				let call = runtime::tx().model_registry().set_commit_interval(netuid, after);
				send(&chain, &call, &admin.send, admin.origin(), Some(netuid), out).await?;
			}
			Action::SetClaimConfig { netuid, delay, window, block_time, admin } => {
				let chain = admin.send.chain.connect().await?;
				let block_time = block_time.resolve(&chain).await?;
				let before = SubnetState::read(&chain, netuid).await?.claim_config;
				let after = ClaimConfig {
					reveal_delay: blocks_or(delay, before.reveal_delay, block_time)?,
					reveal_window: blocks_or(window, before.reveal_window, block_time)?,
				};
				writeln!(out, "subnet {netuid} model claims:")?;
				print_change(
					out,
					"commit delay",
					before.reveal_delay,
					after.reveal_delay,
					block_time,
				)?;
				print_change(
					out,
					"commit window",
					before.reveal_window,
					after.reveal_window,
					block_time,
				)?;
				let call = runtime::tx().model_registry().set_claim_config(netuid, Static(after));
				send(&chain, &call, &admin.send, admin.origin(), Some(netuid), out).await?;
			}
			Action::SetVersionKey { netuid, version_key, admin } => {
				let chain = admin.send.chain.connect().await?;
				let before = SubnetState::read(&chain, netuid).await?.version_key;
				writeln!(out, "subnet {netuid}: weights version key {before} -> {version_key}")?;
				let call = runtime::tx().subnets().set_weights_version_key(netuid, version_key);
				send(&chain, &call, &admin.send, admin.origin(), Some(netuid), out).await?;
			}
		}
		Ok(())
	})
}

async fn set_reveal_config(opts: RevealOpts, out: &mut impl Write) -> anyhow::Result<()> {
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

async fn set_reveal_mode(opts: RevealModeOpts, out: &mut impl Write) -> anyhow::Result<()> {
	let netuid = opts.netuid;
	let after = match opts.timelock {
		Some(rounds_ahead) => RevealMode::Timelock { rounds_ahead },
		None => RevealMode::Hash,
	};
	let chain = opts.admin.send.chain.connect().await?;
	let max_rounds_ahead =
		chain.constant(runtime::constants().commit_reveal().max_rounds_ahead()).await?;
	if let RevealMode::Timelock { rounds_ahead } = after {
		ensure!(
			rounds_ahead <= max_rounds_ahead,
			"--timelock {rounds_ahead} is more rounds ahead than this chain allows \
			 ({max_rounds_ahead})"
		);
	}
	let before = SubnetState::read(&chain, netuid).await?.reveal_mode;
	let period = chain.beacon().await?.map(|beacon| beacon.info.schedule.period);
	writeln!(out, "subnet {netuid} reveal mode:")?;
	if before == after {
		writeln!(out, "  {} (unchanged)", describe_mode(before, period))?;
	} else {
		writeln!(out, "  {} -> {}", describe_mode(before, period), describe_mode(after, period))?;
	}
	let call = runtime::tx().commit_reveal().set_reveal_mode(netuid, Static(after));
	send(&chain, &call, &opts.admin.send, opts.admin.origin(), Some(netuid), out).await?;
	Ok(())
}

/// A reveal mode in words, with how long a timelocked commit stays sealed at the beacon's
/// `period` (seconds), when the chain has a beacon.
fn describe_mode(mode: RevealMode, period: Option<u32>) -> String {
	match (mode, period) {
		(RevealMode::Hash, _) => "hash commits".to_owned(),
		(RevealMode::Timelock { rounds_ahead }, Some(period)) => format!(
			"timelock, {rounds_ahead} beacon rounds ahead (sealed for at least {} s)",
			rounds_ahead.saturating_mul(u64::from(period))
		),
		(RevealMode::Timelock { rounds_ahead }, None) => {
			format!("timelock, {rounds_ahead} beacon rounds ahead (the chain has no beacon)")
		}
	}
}

async fn set_competition(opts: CompetitionOpts, out: &mut impl Write) -> anyhow::Result<()> {
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
fn merge_competition(
	opts: &CompetitionOpts,
	existing: Option<&Competition>,
) -> anyhow::Result<Competition> {
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
