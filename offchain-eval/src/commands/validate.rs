//! `galton-eval validate`: the validator loop.

use std::{io::Write, net::SocketAddr, path::PathBuf, time::Duration};

use anyhow::{ensure, Context};
use galton_eval::{
	chain::Chain,
	corpus::Corpus,
	device::{describe, DTypeChoice, DeviceChoice},
	journal::Journal,
	metrics::{self, Metrics},
	samples::SampleSpec,
	validator::{ModelLocator, Validator, ValidatorConfig},
};

use super::chain_args::{runtime, ChainArgs};

/// Evaluate a subnet's models every round and publish the weights with commit-reveal; the
/// journal keeps every commit until its reveal is finalized, across crashes and restarts.
#[derive(Debug, clap::Args)]
pub struct Opts {
	/// The subnet.
	#[arg(long)]
	netuid: u16,
	/// The evaluation corpus (`.jsonl`, `.parquet` or plain text).
	#[arg(long)]
	corpus: PathBuf,
	/// Read models from this directory (`DIR/ORG/NAME[/REVISION]`) instead of the hub.
	#[arg(long)]
	models_dir: Option<PathBuf>,
	/// Read hub models from the local hub cache only.
	#[arg(long)]
	offline: bool,
	/// The hub cache directory.
	#[arg(long)]
	hf_cache: Option<PathBuf>,
	/// The journal file (default: `<data dir>/galton-eval/<address>-<netuid>.redb`).
	#[arg(long)]
	journal: Option<PathBuf>,
	/// Run one round (commit and reveal), then exit.
	#[arg(long)]
	once: bool,
	/// Seconds between rounds.
	#[arg(long, default_value_t = 600)]
	round_interval: u64,
	/// Validators seed their samples with the hash of the last block that is a multiple of
	/// this.
	#[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..))]
	sync_interval: u32,
	/// Batches per model.
	#[arg(long, default_value_t = 16, value_parser = clap::value_parser!(u32).range(1..))]
	batches: u32,
	/// Rows per batch.
	#[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u32).range(1..))]
	batch_size: u32,
	/// Tokens per row.
	#[arg(long, default_value_t = 1024, value_parser = clap::value_parser!(u32).range(2..))]
	seq_len: u32,
	/// Softmax temperature of the win rates.
	#[arg(long, default_value_t = 0.01)]
	temperature: f64,
	/// Weight of the previous round in the moving average (0 to 1).
	#[arg(long, default_value_t = 0.5)]
	alpha: f64,
	/// `cpu`, `cuda:N` or `auto`.
	#[arg(long, default_value = "cpu")]
	device: galton_eval::device::DeviceChoice,
	/// Weights dtype (`auto`: f32 on the CPU, bf16 on CUDA).
	#[arg(long, value_enum, default_value_t = DTypeChoice::Auto)]
	dtype: DTypeChoice,
	/// Serve Prometheus metrics on this port (`/metrics`).
	#[arg(long)]
	prometheus_port: Option<u16>,
	/// Print each round's report as one JSON line.
	#[arg(long)]
	json: bool,
	#[command(flatten)]
	chain: ChainArgs,
}

/// Run rounds until stopped (or once).
pub fn run(opts: Opts, out: &mut impl Write) -> anyhow::Result<()> {
	ensure!(
		opts.temperature.is_finite() && opts.temperature > 0.0,
		"--temperature must be a positive number, got {}",
		opts.temperature
	);
	ensure!(
		(0.0..=1.0).contains(&opts.alpha),
		"--alpha must be between 0 and 1, got {}",
		opts.alpha
	);
	let key = opts.chain.keypair()?;
	let corpus = Corpus::open(&opts.corpus)?;
	let device = DeviceChoice::open(opts.device)?;
	let dtype = opts.dtype.resolve(&device);
	let journal_path = match &opts.journal {
		Some(path) => path.clone(),
		None => dirs::data_dir()
			.context("no data directory on this system: pass --journal")?
			.join("galton-eval")
			.join(format!("{}-{}.redb", key.address(), opts.netuid)),
	};
	let journal = Journal::open(&journal_path)?;
	tracing::info!(journal = %journal_path.display(), device = %describe(&device), "validator starting");
	let metrics = Metrics::default();
	if let Some(port) = opts.prometheus_port {
		let addr = metrics::serve(SocketAddr::from(([0, 0, 0, 0], port)), metrics.registry())
			.with_context(|| format!("--prometheus-port {port}"))?;
		tracing::info!(%addr, "serving metrics at /metrics");
	}
	let models = match &opts.models_dir {
		Some(dir) => ModelLocator::Directory(dir.clone()),
		None => ModelLocator::Hub { cache: opts.hf_cache.clone(), offline: opts.offline },
	};
	let config = ValidatorConfig {
		netuid: opts.netuid,
		spec: SampleSpec {
			batches: opts.batches as usize,
			batch_size: opts.batch_size as usize,
			seq_len: opts.seq_len as usize,
		},
		device,
		dtype,
		temperature: opts.temperature,
		alpha: opts.alpha,
		sync_interval: opts.sync_interval,
		models,
		poll: Duration::from_millis(500),
	};
	runtime()?.block_on(async {
		let chain = opts.chain.connect().await?;
		let mut validator = Validator::new(chain, key, journal, corpus, config, metrics);
		let uid = validator.check_standing().await?;
		tracing::info!(uid, netuid = opts.netuid, "validating");
		loop {
			match validator.round().await {
				Ok(report) => {
					if opts.json {
						writeln!(out, "{}", serde_json::to_string(&report)?)?;
					} else {
						writeln!(
							out,
							"round at block {}: {} models, weights {:?}, committed in {:?}, revealed in {:?}",
							report.block,
							report.models.len(),
							report.uids.iter().zip(&report.values).collect::<Vec<_>>(),
							report.commit_block,
							report.reveal_block
						)?;
					}
					out.flush()?;
					if opts.once {
						return Ok(());
					}
					tokio::time::sleep(Duration::from_secs(opts.round_interval)).await;
				}
				Err(e) if e.is_transient() => {
					tracing::warn!(error = %e, "lost the node; reconnecting, then resuming from the journal");
					let chain =
						Chain::connect_with_retry(&opts.chain.url, Duration::from_secs(1), None)
							.await?;
					validator.reconnected(chain);
				}
				Err(e) => return Err(e.into()),
			}
		}
	})
}
