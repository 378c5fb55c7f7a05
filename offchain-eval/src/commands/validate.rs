//! `galton-eval validate`: the validator loop.

use std::{io::Write, net::SocketAddr, path::PathBuf, time::Duration};

use anyhow::{ensure, Context};
use galton_eval::{
	chain::Chain,
	corpus::Corpus,
	device::describe,
	journal::Journal,
	metrics::{self, Metrics},
	validator::{ModelLocator, Validator, ValidatorConfig},
};

use super::{
	chain_args::{journal_path, runtime, ChainArgs},
	eval_args::EvalArgs,
};

/// Evaluate a subnet's models every round and publish the weights with commit-reveal; the
/// journal keeps every commit until its reveal is finalized, across crashes and restarts. On a
/// subnet in timelock mode the weights are sealed to a future beacon round instead, and the
/// chain reveals them itself.
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
	/// Weight of the previous round in the moving average (0 to 1).
	#[arg(long, default_value_t = 0.5)]
	alpha: f64,
	/// Serve Prometheus metrics on this port (`/metrics`), on localhost only unless
	/// `--prometheus-external` is given.
	#[arg(long)]
	prometheus_port: Option<u16>,
	/// Serve the metrics on every interface, not only localhost.
	#[arg(long, requires = "prometheus_port")]
	prometheus_external: bool,
	/// Print each round's report as one JSON line.
	#[arg(long)]
	json: bool,
	/// Seal timelocked weights to the development beacon even when the chain does not say it
	/// is a development chain (a `--chain local` testnet). Its secret key is public: anyone can
	/// read such weights at once.
	#[arg(long)]
	insecure_dev_beacon: bool,
	#[command(flatten)]
	eval: EvalArgs,
	#[command(flatten)]
	chain: ChainArgs,
}

/// Run rounds until stopped (or once).
pub fn run(opts: Opts, out: &mut impl Write) -> anyhow::Result<()> {
	opts.eval.check()?;
	ensure!(
		(0.0..=1.0).contains(&opts.alpha),
		"--alpha must be between 0 and 1, got {}",
		opts.alpha
	);
	let key = opts.chain.keypair()?;
	let corpus = Corpus::open(&opts.corpus)?;
	let (device, dtype) = opts.eval.device()?;
	let journal_path = journal_path(&opts.journal, format!("{}-{}", key.address(), opts.netuid))?;
	let journal = Journal::open(&journal_path)?;
	tracing::info!(journal = %journal_path.display(), device = %describe(&device), "validator starting");
	let metrics = Metrics::default();
	if let Some(port) = opts.prometheus_port {
		let addr = metrics::serve(metrics_addr(port, opts.prometheus_external), metrics.registry())
			.with_context(|| format!("--prometheus-port {port}"))?;
		tracing::info!(%addr, "serving metrics at /metrics");
	}
	let models = match &opts.models_dir {
		Some(dir) => ModelLocator::Directory(dir.clone()),
		None => ModelLocator::Hub { cache: opts.eval.hf_cache.clone(), offline: opts.eval.offline },
	};
	let config = ValidatorConfig {
		netuid: opts.netuid,
		spec: opts.eval.spec(),
		device,
		dtype,
		temperature: opts.eval.temperature,
		alpha: opts.alpha,
		sync_interval: opts.sync_interval,
		models,
		insecure_dev_beacon: opts.insecure_dev_beacon,
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
							"round at block {}: {} models, weights {:?}, committed in {:?}, {}",
							report.block,
							report.models.len(),
							report.uids.iter().zip(&report.values).collect::<Vec<_>>(),
							report.commit_block,
							match report.reveal_round {
								Some(round) => format!("timelocked: opens at beacon round {round}"),
								None => format!("revealed in {:?}", report.reveal_block),
							}
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

/// Where the metrics are served: localhost, or every interface when `external`, as Substrate
/// nodes do with `--prometheus-external`.
fn metrics_addr(port: u16, external: bool) -> SocketAddr {
	let ip = if external { [0, 0, 0, 0] } else { [127, 0, 0, 1] };
	SocketAddr::from((ip, port))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn metrics_stay_on_localhost_unless_asked() {
		assert!(metrics_addr(9615, false).ip().is_loopback());
		assert!(metrics_addr(9615, true).ip().is_unspecified());
		assert_eq!(metrics_addr(9615, false).port(), 9615);
	}
}
