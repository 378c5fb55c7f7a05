//! `galton-eval score`: evaluate models, score them, print a table or JSON.

use std::{collections::BTreeMap, io::Write, path::PathBuf};

use anyhow::{ensure, Context};
use galton_eval::{
	corpus::Corpus,
	device::describe,
	evaluate::{progress_bar, EvalSettings, Evaluator},
	model::budget::SizeBudget,
	samples::parse_seed,
	scoring::{self, Contender},
	source::{resolve, ModelSpec},
};
use galton_primitives::{EpsilonSchedule, Metric, Uid};
use serde::Serialize;

use super::{eval_args::EvalArgs, schedule};

/// What the per-batch comparison uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum MetricArg {
	/// Mean cross-entropy in nats.
	Loss,
	/// `exp` of the cross-entropy.
	Perplexity,
}

impl From<MetricArg> for Metric {
	fn from(metric: MetricArg) -> Self {
		match metric {
			MetricArg::Loss => Metric::CrossEntropy,
			MetricArg::Perplexity => Metric::Perplexity,
		}
	}
}

/// Evaluate models on seeded samples of a corpus and print their losses and weights.
#[derive(Debug, clap::Args)]
pub struct Opts {
	/// A model: `PATH[@BLOCK]` or `hf:ORG/NAME[:REVISION][@BLOCK]`, where BLOCK is the block of
	/// its commitment (default 0). Repeat for every model.
	#[arg(long = "model", value_name = "MODEL", required = true)]
	models: Vec<ModelSpec>,
	/// The corpus: `.jsonl` (a "text" field per line), `.parquet` (a "text" column), or plain
	/// text (paragraphs separated by blank lines).
	#[arg(long)]
	corpus: PathBuf,
	/// The sample seed, 32 bytes in hex (on chain: blake2_256 of the sync block's hash).
	#[arg(long)]
	seed: String,
	/// The current block: models' ages, hence their epsilons, count up to it.
	#[arg(long)]
	now: u64,
	/// The competition's epsilon schedule: `fixed:EPS`, `linear:START,END,BLOCKS` or
	/// `exponential:START,RETAIN,PERIOD,FLOOR`.
	#[arg(long, default_value = "linear:0.005,0.0001,14400", value_parser = schedule::parse_schedule)]
	schedule: EpsilonSchedule,
	/// Models with more parameters score as failed.
	#[arg(long)]
	max_params: Option<u64>,
	/// What the per-batch comparison uses.
	#[arg(long, value_enum, default_value_t = MetricArg::Loss)]
	metric: MetricArg,
	#[command(flatten)]
	eval: EvalArgs,
	/// Print JSON instead of a table.
	#[arg(long)]
	json: bool,
	/// Also write the token batches the models were measured on to FILE, as JSON Lines: one
	/// line per batch, `{"rows": [[token, ...], ...]}` (for reproducing the losses elsewhere,
	/// as `benchmarking/eval-vs-pytorch.sh` does). The models must share one tokenizer.
	#[arg(long, value_name = "FILE")]
	save_batches: Option<PathBuf>,
}

/// One line of the result.
#[derive(Debug, Serialize)]
struct Row {
	model: String,
	commit_block: u64,
	parameters: Option<u64>,
	mean_loss: Option<f64>,
	perplexity: Option<f64>,
	epsilon: f64,
	win_rate: f64,
	weight: f64,
	weight_u16: u16,
	tokens_per_second: f64,
	failure: Option<String>,
	losses: Vec<Option<f64>>,
}

/// The whole result, as `--json` prints it.
#[derive(Debug, Serialize)]
struct Output {
	device: String,
	now: u64,
	schedule: String,
	batches: usize,
	batch_size: usize,
	seq_len: usize,
	models: Vec<Row>,
}

fn finite(x: f64) -> Option<f64> {
	x.is_finite().then_some(x)
}

/// Evaluate every model, score them, and print the result.
pub fn run(opts: Opts, out: &mut impl Write) -> anyhow::Result<()> {
	opts.eval.check()?;
	ensure!(opts.models.len() <= usize::from(Uid::MAX), "at most {} models", Uid::MAX);
	let seed = parse_seed(&opts.seed)?;
	let corpus = Corpus::open(&opts.corpus)?;
	let (device, dtype) = opts.eval.device()?;
	tracing::info!(device = %describe(&device), ?dtype, documents = corpus.len(), "evaluating");
	let spec = opts.eval.spec();
	let settings =
		EvalSettings { seed, spec, device: device.clone(), dtype, max_parameters: opts.max_params };
	// Created before the evaluation, so a path that cannot be written fails at once.
	let batch_file = (opts.save_batches.as_deref())
		.map(|path| {
			std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))
		})
		.transpose()?;
	let mut evaluator = Evaluator::new(&corpus, settings);
	let budget = SizeBudget::new(opts.max_params);
	let progress = progress_bar((opts.models.len() * spec.batches) as u64, "batches");
	let mut reports = Vec::with_capacity(opts.models.len());
	for model in &opts.models {
		progress.set_message(model.source.to_string());
		let (cache, offline) = (opts.eval.hf_cache.as_deref(), opts.eval.offline);
		let report = match resolve(&model.source, cache, offline, budget) {
			Ok(dir) => evaluator.evaluate(&dir, &mut || progress.inc(1)),
			Err(e) => evaluator.failed(&model.source, &e.into(), &mut || progress.inc(1)),
		};
		reports.push(report);
	}
	progress.finish_and_clear();
	if let Some(file) = batch_file {
		save_batches(&evaluator, file)?;
	}

	let metric = Metric::from(opts.metric);
	let contenders: BTreeMap<Uid, Contender> = opts
		.models
		.iter()
		.zip(&reports)
		.enumerate()
		.map(|(i, (model, report))| {
			let losses = report.losses.iter().map(|&l| scoring::metric_value(metric, l)).collect();
			(i as Uid, Contender { commit_block: model.commit_block, losses })
		})
		.collect();
	let scores =
		scoring::competition_scores(&contenders, &opts.schedule, opts.now, opts.eval.temperature);
	let weights_u16 = scoring::to_u16(&scores.weights);

	let rows: Vec<Row> = opts
		.models
		.iter()
		.zip(&reports)
		.enumerate()
		.map(|(i, (model, report))| {
			let uid = i as Uid;
			let mean = report.mean_loss();
			Row {
				model: model.source.to_string(),
				commit_block: model.commit_block,
				parameters: report.parameters,
				mean_loss: finite(mean),
				perplexity: finite(mean.exp()),
				epsilon: scoring::epsilon(&opts.schedule, model.commit_block, opts.now),
				win_rate: scores.win_rates[&uid],
				weight: scores.weights[&uid],
				weight_u16: weights_u16[&uid],
				tokens_per_second: report.tokens_per_second(),
				failure: report.failure.clone(),
				losses: report.losses.iter().map(|&l| finite(l)).collect(),
			}
		})
		.collect();
	let output = Output {
		device: describe(&device),
		now: opts.now,
		schedule: schedule::format_schedule(&opts.schedule),
		batches: spec.batches,
		batch_size: spec.batch_size,
		seq_len: spec.seq_len,
		models: rows,
	};
	if opts.json {
		serde_json::to_writer_pretty(&mut *out, &output)?;
		writeln!(out)?;
	} else {
		print_table(&output, out)?;
	}
	Ok(())
}

/// Write the batches of `evaluator`'s one tokenizer to `file` as JSON Lines.
fn save_batches(evaluator: &Evaluator, file: std::fs::File) -> anyhow::Result<()> {
	let sets: Vec<_> = evaluator.samples().collect();
	let [batches] = sets.as_slice() else {
		anyhow::bail!(
			"--save-batches needs the models to share one tokenizer and load; they drew {} sets \
			 of batches",
			sets.len()
		);
	};
	let mut file = std::io::BufWriter::new(file);
	for batch in batches.iter() {
		let rows: Vec<&[u32]> = batch.row_tokens().collect();
		serde_json::to_writer(&mut file, &serde_json::json!({ "rows": rows }))?;
		writeln!(file)?;
	}
	file.flush().context("writing the batches")
}

fn print_table(output: &Output, out: &mut impl Write) -> std::io::Result<()> {
	let number = |x: Option<f64>, precision: usize| match x {
		Some(x) => format!("{x:.precision$}"),
		None => "inf".into(),
	};
	let width = output.models.iter().map(|r| r.model.len()).max().unwrap_or(5).max(5);
	writeln!(
		out,
		"{:<width$}  {:>8}  {:>9}  {:>9}  {:>8}  {:>8}  {:>6}  note",
		"model", "block", "loss", "ppl", "epsilon", "win rate", "weight"
	)?;
	for row in &output.models {
		writeln!(
			out,
			"{:<width$}  {:>8}  {:>9}  {:>9}  {:>7.4}%  {:>8.4}  {:>6}  {}",
			row.model,
			row.commit_block,
			number(row.mean_loss, 4),
			number(row.perplexity, 2),
			row.epsilon * 100.0,
			row.win_rate,
			row.weight_u16,
			row.failure.as_deref().unwrap_or(""),
		)?;
	}
	writeln!(
		out,
		"{} batches x {} rows x {} tokens on {}, block {}, schedule {}",
		output.batches,
		output.batch_size,
		output.seq_len,
		output.device,
		output.now,
		output.schedule
	)
}
