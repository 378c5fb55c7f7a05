//! `galton-eval advise epsilon`: each schedule's time to the top against the improvement, the
//! smallest improvement that reaches the top, and the rewards of an exact and a marginal copy,
//! from [`galton_engine::epsilon_advice`]; as a table, JSON, and a plot.

use std::{io::Write, path::PathBuf, time::Duration};

use anyhow::Context;
use galton_engine::{
	epsilon_advice::{advise, Advice, Scenario},
	simulation::Settings,
};
use galton_eval::{
	chain::{Chain, SubnetState, DEFAULT_URL},
	span::{describe_blocks, parse_block_time, BlockSpan},
};
use galton_primitives::{CompetitionId, EpsilonSchedule, NetUid};
use serde::Serialize;
use sp_arithmetic::Perbill;

use super::plot::{self, Chart, Series, XAxis};
use crate::commands::{
	chain_args::runtime,
	schedule::{format_percent, format_schedule, parse_schedule},
};

/// The block time spans are read at when there is no chain to measure: Bittensor's.
const DEFAULT_BLOCK_TIME: Duration = Duration::from_secs(12);

/// The most rounds one simulated run may have.
const MAX_ROUNDS: u64 = 200_000;

/// Simulate duels between an incumbent and a better challenger under one or more epsilon
/// schedules, scored as validators score them.
#[derive(Debug, clap::Args)]
pub struct Opts {
	/// The schedule: `fixed:EPS`, `linear:START,END,BLOCKS` or
	/// `exponential:START,RETAIN,PERIOD,FLOOR` (as `score --schedule`).
	#[arg(long, value_parser = parse_schedule, required_unless_present = "netuid", conflicts_with = "netuid")]
	schedule: Option<EpsilonSchedule>,
	/// Further schedules to compare with it (the flag again for each).
	#[arg(long, value_parser = parse_schedule)]
	compare: Vec<EpsilonSchedule>,
	/// Improvements of the challenger over the incumbent, as fractions of its loss.
	#[arg(long, value_delimiter = ',', value_parser = parse_improvement, default_value = "0.002,0.001,0.0005")]
	improvements: Vec<f64>,
	/// The improvement of a marginal copy (a copier's tweak of the leader).
	#[arg(long, value_parser = parse_improvement, default_value = "0.0001")]
	marginal: f64,
	/// Spread of a model's per-batch loss around its mean, relative to it (0.01 = 1%), beyond
	/// what all models share on a batch.
	#[arg(long, default_value_t = 0.0)]
	noise: f64,
	/// Runs per figure when there is noise (a time is their median, a reward their mean).
	#[arg(long, default_value_t = 25, value_parser = clap::value_parser!(u32).range(1..=1000))]
	trials: u32,
	/// Seed of the noise.
	#[arg(long, default_value_t = 0)]
	seed: u64,
	/// How long to simulate, from the incumbent's commitment (blocks or a duration).
	#[arg(long, default_value = "30d")]
	horizon: BlockSpan,
	/// Time between validator rounds (as `validate --round-interval`).
	#[arg(long, default_value = "10m")]
	round_interval: BlockSpan,
	/// When the challenger commits, after the incumbent [default: one round interval].
	#[arg(long)]
	after: Option<BlockSpan>,
	/// Batches per model per round (as `--batches`).
	#[arg(long, default_value_t = 16, value_parser = clap::value_parser!(u32).range(1..=4096))]
	batches: u32,
	/// Softmax temperature of the win rates (as `--temperature`).
	#[arg(long, default_value_t = 0.01)]
	temperature: f64,
	/// Weight of the previous round in the moving average (as `validate --alpha`).
	#[arg(long, default_value_t = 0.5)]
	alpha: f64,
	/// The chain's block time, to turn durations into blocks [default: measured on the chain
	/// with --netuid, else 12s].
	#[arg(long, value_parser = parse_block_time)]
	block_time: Option<Duration>,
	/// Read the schedule of a competition of this subnet from the chain.
	#[arg(long)]
	netuid: Option<NetUid>,
	/// The competition whose schedule is read [default: 0].
	#[arg(long)]
	competition: Option<CompetitionId>,
	/// The node's RPC endpoint, with --netuid [default: ws://127.0.0.1:9944].
	#[arg(long)]
	url: Option<String>,
	/// Also draw the time to the top against the improvement, per schedule (`.svg` or `.png`).
	#[arg(long)]
	plot: Option<PathBuf>,
	/// Print JSON instead of the table.
	#[arg(long)]
	json: bool,
}

/// An improvement: a fraction above 0 and below 1.
fn parse_improvement(text: &str) -> Result<f64, String> {
	match text.trim().parse::<f64>() {
		Ok(x) if x > 0.0 && x < 1.0 => Ok(x),
		_ => Err(format!("{text:?} is not an improvement above 0 and below 1 (0.001 = 0.1%)")),
	}
}

/// What `--json` prints.
#[derive(Debug, Serialize)]
struct Report {
	block_time_ms: u64,
	horizon_blocks: u64,
	round_blocks: u64,
	after_blocks: u64,
	batches: usize,
	noise: f64,
	trials: u32,
	temperature: f64,
	alpha: f64,
	marginal: f64,
	schedules: Vec<ScheduleReport>,
}

#[derive(Debug, Serialize)]
struct ScheduleReport {
	/// As `--schedule` takes it.
	schedule: String,
	/// `[improvement, blocks to the top or null]`.
	time_to_top: Vec<(f64, Option<u64>)>,
	smallest_winning_improvement: Option<f64>,
	exact_copy_reward: f64,
	marginal_copy_reward: f64,
}

/// Work out and print the advice.
pub fn run(opts: Opts, out: &mut impl Write) -> anyhow::Result<()> {
	anyhow::ensure!(
		opts.noise.is_finite() && opts.noise >= 0.0,
		"--noise must be at least 0, got {}",
		opts.noise
	);
	anyhow::ensure!(
		opts.temperature.is_finite() && opts.temperature > 0.0,
		"--temperature must be above 0, got {}",
		opts.temperature
	);
	anyhow::ensure!(
		(0.0..=1.0).contains(&opts.alpha),
		"--alpha must be between 0 and 1, got {}",
		opts.alpha
	);
	anyhow::ensure!(
		opts.netuid.is_some() || (opts.competition.is_none() && opts.url.is_none()),
		"--competition and --url read a schedule from the chain: give --netuid too"
	);
	if let Some(path) = &opts.plot {
		plot::check_path(path)?;
	}
	let (chain_schedule, measured) = match opts.netuid {
		Some(netuid) => {
			let url = opts.url.as_deref().unwrap_or(DEFAULT_URL);
			let competition = opts.competition.unwrap_or(0);
			let (schedule, block_time) =
				runtime()?.block_on(read_schedule(url, netuid, competition))?;
			(Some(schedule), block_time)
		}
		None => (None, None),
	};
	let block_time = opts.block_time.or(measured).unwrap_or(DEFAULT_BLOCK_TIME);
	let blocks = |span: BlockSpan, flag: &str| -> anyhow::Result<u64> {
		let blocks = span.to_blocks(Some(block_time)).with_context(|| format!("--{flag}"))?;
		anyhow::ensure!(blocks > 0, "--{flag} must be at least one block");
		Ok(u64::from(blocks))
	};
	let round_every = blocks(opts.round_interval, "round-interval")?;
	let horizon = blocks(opts.horizon, "horizon")?;
	let after = match opts.after {
		Some(span) => blocks(span, "after")?,
		None => round_every,
	};
	anyhow::ensure!(
		after < horizon,
		"the challenger (--after) must come before the end of --horizon"
	);
	anyhow::ensure!(
		horizon / round_every <= MAX_ROUNDS,
		"{} rounds is more than {MAX_ROUNDS}: raise --round-interval or shorten --horizon",
		horizon / round_every
	);

	let schedules: Vec<EpsilonSchedule> =
		chain_schedule.or(opts.schedule).into_iter().chain(opts.compare).collect();
	let batches = opts.batches as usize;
	let advice = schedules
		.iter()
		.map(|&schedule| {
			let competition = Settings {
				schedule,
				batches,
				round_every,
				horizon,
				temperature: opts.temperature,
				alpha: opts.alpha,
				noise: opts.noise,
				seed: opts.seed,
			};
			let scenario = Scenario { competition, after, trials: opts.trials };
			advise(&opts.improvements, opts.marginal, &scenario)
		})
		.collect::<Result<Vec<Advice>, _>>()?;

	if let Some(path) = &opts.plot {
		plot::write(&chart(&advice, block_time), path)?;
	}
	if opts.json {
		let report = Report {
			block_time_ms: u64::try_from(block_time.as_millis()).unwrap_or(u64::MAX),
			horizon_blocks: horizon,
			round_blocks: round_every,
			after_blocks: after,
			batches,
			noise: opts.noise,
			trials: if opts.noise > 0.0 { opts.trials } else { 1 },
			temperature: opts.temperature,
			alpha: opts.alpha,
			marginal: opts.marginal,
			schedules: advice.iter().map(schedule_report).collect(),
		};
		writeln!(out, "{}", serde_json::to_string(&report)?)?;
		return Ok(());
	}
	let span =
		|blocks: u64| describe_blocks(u32::try_from(blocks).unwrap_or(u32::MAX), Some(block_time));
	writeln!(
		out,
		"Duels of an incumbent and a challenger committed {} later: rounds every {}, {} batches, noise {}{}, temperature {}, alpha {}, over {}.",
		span(after),
		span(round_every),
		batches,
		opts.noise,
		if opts.noise > 0.0 { format!(" (median of {} runs)", opts.trials) } else { String::new() },
		opts.temperature,
		opts.alpha,
		span(horizon),
	)?;
	for advice in &advice {
		writeln!(out, "\n{}", format_schedule(&advice.schedule))?;
		writeln!(out, "  {:<12} time to the top", "improvement")?;
		for (delta, time) in &advice.time_to_top {
			let time = time.map_or_else(|| "never, within the horizon".to_owned(), span);
			writeln!(out, "  {:<12} {time}", percent(*delta))?;
		}
		match advice.smallest_winning_improvement {
			Some(delta) => {
				writeln!(out, "  smallest improvement that reaches the top: {}", percent(delta))?
			}
			None => writeln!(out, "  no improvement up to 50% reaches the top")?,
		}
		writeln!(
			out,
			"  share of the rewards of an exact copy: {}; of a copy {} better: {}",
			percent(advice.exact_copy_reward),
			percent(opts.marginal),
			percent(advice.marginal_copy_reward)
		)?;
	}
	if let Some(path) = &opts.plot {
		writeln!(out, "\nplot written to {}", path.display())?;
	}
	Ok(())
}

/// The schedule of competition `competition` of subnet `netuid`, and the chain's block time.
async fn read_schedule(
	url: &str,
	netuid: NetUid,
	competition: CompetitionId,
) -> anyhow::Result<(EpsilonSchedule, Option<Duration>)> {
	let chain = Chain::connect_with_retry(url, Duration::from_secs(2), Some(30)).await?;
	let state = SubnetState::read(&chain, netuid).await?;
	let schedule = state
		.competitions
		.iter()
		.find(|(id, _)| *id == competition)
		.map(|(_, c)| c.epsilon)
		.with_context(|| format!("subnet {netuid} has no competition {competition}"))?;
	Ok((schedule, chain.block_time().await?))
}

fn schedule_report(advice: &Advice) -> ScheduleReport {
	ScheduleReport {
		schedule: format_schedule(&advice.schedule),
		time_to_top: advice.time_to_top.clone(),
		smallest_winning_improvement: advice.smallest_winning_improvement,
		exact_copy_reward: advice.exact_copy_reward,
		marginal_copy_reward: advice.marginal_copy_reward,
	}
}

/// Time to the top (hours) against the improvement (%), one line per schedule; improvements
/// that never reach the top are left out.
fn chart(advice: &[Advice], block_time: Duration) -> Chart {
	let hours = |blocks: u64| block_time.as_secs_f64() * blocks as f64 / 3600.0;
	Chart {
		title: "Time for a better model to reach the top".into(),
		x_label: "improvement over the incumbent (%)".into(),
		y_label: "hours after its commitment".into(),
		x_axis: XAxis::Log,
		bands: Vec::new(),
		series: advice
			.iter()
			.map(|a| Series {
				name: format_schedule(&a.schedule),
				points: a
					.time_to_top
					.iter()
					.filter_map(|(delta, time)| Some((delta * 100.0, hours((*time)?))))
					.collect(),
			})
			.collect(),
	}
}

/// A fraction as a percentage with four decimals.
fn percent(fraction: f64) -> String {
	format_percent(Perbill::from_float(fraction))
}
