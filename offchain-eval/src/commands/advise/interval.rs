//! `galton-eval advise interval`: what a weight copier earns at each reveal interval, on a
//! subnet's history (a file, a Galton chain's past state, or a synthetic subnet), from
//! [`galton_engine::interval_advice`]; as a table, JSON, and a plot.

use std::{
	fs::File,
	io::{BufReader, Write},
	ops::RangeInclusive,
	path::PathBuf,
	time::Duration,
};

use anyhow::Context;
use clap::ValueEnum;
use galton_engine::{
	evaluate::progress_bar,
	interval_advice::{advise, Advice, CopierSettings, CopierStake, Mode, Recommendation, Regime},
	metagraph::History,
	synthetic_subnet::{generate, SyntheticSpec},
};
use galton_eval::chain::{read_history, Chain, DEFAULT_URL};
use galton_primitives::NetUid;
use galton_yuma::{Hyperparameters, LiquidAlpha};
use indicatif::ProgressBar;
use serde::Serialize;

use super::plot::{self, Band, Chart, Series, XAxis};
use crate::commands::chain_args::runtime;

/// Blocks between epoch boundaries read from a chain when --tempo is not given: subtensor's.
const DEFAULT_TEMPO: u32 = 360;

/// The most intervals one run tries.
const MAX_INTERVALS: u32 = 256;

/// Replay a subnet's history with a validator that copies the revealed consensus, for each
/// reveal interval, and compare its dividend per stake with the honest validators'.
#[derive(Debug, clap::Args)]
pub struct Opts {
	/// A metagraph history: JSON Lines, one epoch a line (see docs/subnet-owners.md).
	#[arg(long, group = "input", required_unless_present_any = ["netuid", "synthetic"])]
	history: Option<PathBuf>,
	/// Read the history of this subnet from a Galton node's past state (--url).
	#[arg(long, group = "input")]
	netuid: Option<NetUid>,
	/// A synthetic subnet: `miners=192,validators=64,turnover=0.05,drift=0.02,noise=0.02,epochs=200,tempo=360,seed=0`
	/// (any subset; the rest keep these defaults).
	#[arg(long, group = "input")]
	synthetic: Option<SyntheticSpec>,
	/// The node's RPC endpoint, with --netuid; past blocks need an archive node [default:
	/// ws://127.0.0.1:9944].
	#[arg(long)]
	url: Option<String>,
	/// With --netuid: blocks between epoch boundaries [default: 360].
	#[arg(long, value_parser = clap::value_parser!(u32).range(1..))]
	tempo: Option<u32>,
	/// With --netuid: the first boundary read [default: the tempo].
	#[arg(long)]
	from: Option<u32>,
	/// With --netuid: the last block read [default: the finalized head].
	#[arg(long)]
	to: Option<u32>,
	/// With --netuid: a JSON array of each uid's stake in rao [default: equal stakes for the
	/// permitted validators].
	#[arg(long)]
	stakes: Option<PathBuf>,
	/// With --netuid or --synthetic: also write the history used, as JSON Lines, for --history.
	#[arg(long)]
	save_history: Option<PathBuf>,
	/// The reveal intervals to try, in tempos: `A..B` (inclusive) or a comma-separated list.
	#[arg(long, default_value = "0..20", value_parser = parse_intervals)]
	intervals: Intervals,
	/// The validator take: the share of its nominators' dividends a validator keeps.
	#[arg(long, default_value_t = 0.18)]
	take: f64,
	/// `chain`: subtensor's epoch today; `otf-2024`: the conventions of the Foundation's May
	/// 2024 study (consensus normalized before clipping, bonds EMA 0.9, G at the last epoch).
	#[arg(long, value_enum, default_value_t = Mode::Chain)]
	mode: Mode,
	/// The copier's stake as a fraction of the total [default: the median validator's].
	#[arg(long)]
	copier_stake: Option<f64>,
	/// In chain mode, G is averaged over this many last epochs.
	#[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=100_000))]
	average_over: u32,
	/// Kappa, the consensus quantile (0.5 on subtensor).
	#[arg(long, default_value_t = 0.5)]
	kappa: f64,
	/// The bonds moving average (0.9 on subtensor: bonds move a tenth of the way each epoch).
	#[arg(long, default_value_t = 0.9)]
	bonds_moving_average: f64,
	/// The bonds penalty (1 on subtensor: bonds follow the clipped weights).
	#[arg(long, default_value_t = 1.0)]
	bonds_penalty: f64,
	/// Yuma 3: per-validator bonds.
	#[arg(long)]
	yuma3: bool,
	/// With --yuma3: liquid alpha `LOW,HIGH` (subtensor's default 0.7,0.9).
	#[arg(long, requires = "yuma3", value_parser = parse_liquid_alpha)]
	liquid_alpha: Option<LiquidAlpha>,
	/// Blocks after which a uid that set no weights is inactive.
	#[arg(long, default_value_t = 5000)]
	activity_cutoff: u64,
	/// How many uids hold validator permits.
	#[arg(long, default_value_t = 128)]
	max_validators: u16,
	/// Also draw G against the interval with the regime bands (`.svg`).
	#[arg(long)]
	plot: Option<PathBuf>,
	/// Print JSON instead of the table.
	#[arg(long)]
	json: bool,
}

/// The intervals to try, sorted and without repeats.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Intervals(Vec<u32>);

/// `A..B` (both included) or `A,B,C`, at most [`MAX_INTERVALS`] intervals of at most 10,000 tempos.
fn parse_intervals(text: &str) -> Result<Intervals, String> {
	let number = |part: &str| {
		part.trim()
			.parse::<u32>()
			.ok()
			.filter(|r| *r <= 10_000)
			.ok_or_else(|| format!("{part:?} is not an interval of 0 to 10000 tempos"))
	};
	let mut intervals: Vec<u32> = match text.split_once("..") {
		Some((from, to)) => {
			let range: RangeInclusive<u32> = number(from)?..=number(to)?;
			if range.is_empty() {
				return Err(format!("{text:?}: the range is empty"));
			}
			range.collect()
		}
		None => text.split(',').map(number).collect::<Result<_, _>>()?,
	};
	intervals.sort_unstable();
	intervals.dedup();
	if intervals.len() > MAX_INTERVALS as usize {
		return Err(format!("{} intervals: at most {MAX_INTERVALS}", intervals.len()));
	}
	Ok(Intervals(intervals))
}

/// `LOW,HIGH`, fractions with `0 <= LOW <= HIGH <= 1`.
fn parse_liquid_alpha(text: &str) -> Result<LiquidAlpha, String> {
	let bad =
		|| format!("{text:?} is not LOW,HIGH with 0 <= LOW <= HIGH <= 1 (for example 0.7,0.9)");
	let (low, high) = text.split_once(',').ok_or_else(bad)?;
	let (low, high): (f64, f64) =
		(low.trim().parse().map_err(|_| bad())?, high.trim().parse().map_err(|_| bad())?);
	if !(0.0..=high).contains(&low) || high > 1.0 {
		return Err(bad());
	}
	Ok(LiquidAlpha { low: u16_fraction(low), high: u16_fraction(high), steepness: 1000 })
}

/// A fraction of `u16::MAX`, as the chain stores kappa, alpha and the bonds penalty.
fn u16_fraction(x: f64) -> u16 {
	(x * f64::from(u16::MAX)).floor() as u16
}

/// What `--json` prints.
#[derive(Debug, Serialize)]
struct Report<'a> {
	mode: String,
	take: f64,
	epochs: usize,
	uids: usize,
	tempo: u64,
	#[serde(flatten)]
	advice: &'a Advice,
}

/// Work out and print the advice.
pub fn run(opts: Opts, out: &mut impl Write) -> anyhow::Result<()> {
	anyhow::ensure!(
		(0.0..1.0).contains(&opts.take),
		"--take must be at least 0 and below 1, got {}",
		opts.take
	);
	for (flag, value) in [
		("kappa", opts.kappa),
		("bonds-moving-average", opts.bonds_moving_average),
		("bonds-penalty", opts.bonds_penalty),
	] {
		anyhow::ensure!(
			(0.0..=1.0).contains(&value),
			"--{flag} must be between 0 and 1, got {value}"
		);
	}
	let chain_flags = [
		opts.url.is_some(),
		opts.tempo.is_some(),
		opts.from.is_some(),
		opts.to.is_some(),
		opts.stakes.is_some(),
	];
	anyhow::ensure!(
		opts.netuid.is_some() || !chain_flags.contains(&true),
		"--url, --tempo, --from, --to and --stakes read a history from the chain: give --netuid too"
	);
	if let Some(f) = opts.copier_stake {
		anyhow::ensure!(f > 0.0 && f < 1.0, "--copier-stake must be above 0 and below 1, got {f}");
	}
	if let Some(path) = &opts.plot {
		plot::check_path(path)?;
	}
	let history = load_history(&opts)?;
	if let Some(path) = &opts.save_history {
		let file = File::create(path).with_context(|| format!("creating {}", path.display()))?;
		history
			.write(std::io::BufWriter::new(file))
			.with_context(|| format!("writing {}", path.display()))?;
	}
	let settings = CopierSettings {
		params: Hyperparameters {
			activity_cutoff: opts.activity_cutoff,
			kappa: u16_fraction(opts.kappa),
			bonds_penalty: u16_fraction(opts.bonds_penalty),
			bonds_moving_average: (opts.bonds_moving_average * 1e6).round() as u64,
			max_allowed_validators: opts.max_validators,
			yuma3: opts.yuma3,
			liquid_alpha: opts.liquid_alpha.clone(),
			..Hyperparameters::default()
		},
		mode: opts.mode,
		stake: opts.copier_stake.map_or(CopierStake::MedianValidator, CopierStake::Fraction),
		average_over: opts.average_over as usize,
	};
	let bar = progress(opts.intervals.0.len() as u64, "intervals", opts.json);
	let advice = advise(&history, &settings, &opts.intervals.0, opts.take, &|_| bar.inc(1))?;
	bar.finish_and_clear();
	if let Some(path) = &opts.plot {
		plot::write(&chart(&advice, opts.take), path)?;
	}
	let tempo = history.epochs.last().map_or(0, |e| e.tempo);
	let mode = opts.mode.to_possible_value().map_or_else(String::new, |v| v.get_name().to_owned());
	if opts.json {
		let report = Report {
			mode,
			take: opts.take,
			epochs: history.epochs.len(),
			uids: history.max_uids(),
			tempo,
			advice: &advice,
		};
		writeln!(out, "{}", serde_json::to_string(&report)?)?;
		return Ok(());
	}
	let averaged = match settings.mode {
		Mode::Chain => format!("averaged over the last {} epochs", opts.average_over),
		Mode::Otf2024 => "at the last epoch".to_owned(),
	};
	writeln!(
		out,
		"A copier of the revealed consensus against the honest validators, {} epochs of {} uids, tempo {tempo} ({mode} mode, G {averaged}, take {}%):",
		history.epochs.len(),
		history.max_uids(),
		opts.take * 100.0,
	)?;
	writeln!(out, "  {:<9} {:>8}  regime", "interval", "G")?;
	for gain in &advice.intervals {
		let g = gain.gain.map_or_else(|| "-".to_owned(), |g| format!("{g:.4}"));
		let regime = gain.regime.map_or("the copier earned nothing", Regime::describe);
		writeln!(out, "  {:<9} {g:>8}  {regime}", gain.interval)?;
	}
	match &advice.recommendation {
		Recommendation::Interval { interval, regime, immunity_increase_blocks } => writeln!(
			out,
			"Recommendation: a reveal interval of {interval} tempo{} ({}); raise the immunity period by {immunity_increase_blocks} blocks, since miners are judged that much later.",
			if *interval == 1 { "" } else { "s" },
			regime.describe()
		)?,
		Recommendation::NoIntervalHelps => {
			writeln!(out, "Recommendation: no interval helps on this history: copying pays at every interval tried.")?
		},
	}
	if let Some(path) = &opts.plot {
		writeln!(out, "plot written to {}", path.display())?;
	}
	Ok(())
}

/// The history the options name, checked.
fn load_history(opts: &Opts) -> anyhow::Result<History> {
	if let Some(path) = &opts.history {
		let file = File::open(path).with_context(|| format!("opening {}", path.display()))?;
		return History::read(BufReader::new(file))
			.with_context(|| format!("reading {}", path.display()));
	}
	if let Some(spec) = &opts.synthetic {
		return Ok(generate(spec));
	}
	let netuid = opts.netuid.context("give --history, --netuid or --synthetic")?;
	let stakes: Option<Vec<u64>> = match &opts.stakes {
		Some(path) => {
			let file = File::open(path).with_context(|| format!("opening {}", path.display()))?;
			Some(serde_json::from_reader(BufReader::new(file)).with_context(|| {
				format!("{}: expected a JSON array of stakes in rao, one per uid", path.display())
			})?)
		}
		None => None,
	};
	let url = opts.url.as_deref().unwrap_or(DEFAULT_URL);
	let tempo = opts.tempo.unwrap_or(DEFAULT_TEMPO);
	let history = runtime()?.block_on(async {
		let chain = Chain::connect_with_retry(url, Duration::from_secs(2), Some(30)).await?;
		let head = chain.finalized_number().await?;
		let to = opts.to.unwrap_or(head).min(head);
		let from = opts.from.unwrap_or(tempo).max(1);
		anyhow::ensure!(from <= to, "no epoch boundary between block {from} and block {to} (the finalized head is {head})");
		let boundaries: Vec<u32> = (from..=to).step_by(tempo as usize).collect();
		anyhow::ensure!(
			boundaries.len() <= galton_engine::metagraph::MAX_EPOCHS,
			"{} epochs: raise --tempo or narrow --from/--to",
			boundaries.len()
		);
		let bar = progress(boundaries.len() as u64, "blocks read", opts.json);
		let history = read_history(&chain, netuid, &boundaries, tempo, stakes.as_deref(), |_| bar.inc(1))
			.await
			.context("reading the subnet's past state (past blocks need an archive node: galton-node --state-pruning archive)")?;
		bar.finish_and_clear();
		Ok(history)
	})?;
	history.check().context("the history read from the chain")?;
	Ok(history)
}

/// [`progress_bar`] over `length` steps of `what`, or a hidden one when `quiet` (for `--json`).
fn progress(length: u64, what: &str, quiet: bool) -> ProgressBar {
	if quiet {
		ProgressBar::hidden()
	} else {
		progress_bar(length, what)
	}
}

/// G against the interval, over the regime bands.
fn chart(advice: &Advice, take: f64) -> Chart {
	let top = advice.intervals.iter().filter_map(|g| g.gain).fold(1.2, f64::max) * 1.1;
	Chart {
		title: "What a weight copier earns against the reveal interval".into(),
		x_label: "reveal interval (tempos)".into(),
		y_label: "G: copier's dividend per stake / median honest validator's".into(),
		x_axis: XAxis::Linear,
		bands: vec![
			Band {
				name: Regime::CopyingPays.describe().into(),
				from: 1.0,
				to: top,
				rgb: (220, 60, 60),
			},
			Band {
				name: Regime::LosesNominators.describe().into(),
				from: 1.0 - take,
				to: 1.0,
				rgb: (230, 170, 40),
			},
			Band {
				name: Regime::DoesNotPay.describe().into(),
				from: 0.0,
				to: 1.0 - take,
				rgb: (60, 160, 80),
			},
		],
		series: vec![Series {
			name: "G".into(),
			points: advice
				.intervals
				.iter()
				.filter_map(|g| Some((f64::from(g.interval), g.gain?)))
				.collect(),
		}],
	}
}
