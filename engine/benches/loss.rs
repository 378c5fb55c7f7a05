//! Tokens per second of the loss computation.
//!
//! `cargo bench -p galton-engine --bench loss [-- --device cpu|cuda:N]` measures a small Llama
//! (2 layers, hidden 256, vocab 32000) on one batch of 4 rows x 1024 tokens, the reference
//! configuration of `benchmarking/README.md`. Under `cargo test` (no `--bench` argument) it
//! runs a tiny configuration once, so the benchmark itself stays tested.

use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use galton_engine::{
	device::{describe, DTypeChoice, DeviceChoice},
	fixtures::TinyLlama,
	loss::batch_loss,
	model::{load, ModelFiles},
	samples::Batch,
};
use rand_chacha::ChaCha20Rng;
use rand_core::{Rng, SeedableRng};

/// The benchmark's shape.
struct Setup {
	model: TinyLlama,
	rows: usize,
	seq_len: usize,
	/// Keep measuring until this much time has passed (after one warm-up batch).
	measure_for: Duration,
}

fn setup(bench: bool) -> Setup {
	if bench {
		let model = TinyLlama {
			layers: 2,
			hidden: 256,
			heads: 4,
			kv_heads: 4,
			intermediate: 688,
			vocab: 32_000,
			max_positions: 1024,
			..TinyLlama::default()
		};
		Setup { model, rows: 4, seq_len: 1024, measure_for: Duration::from_secs(20) }
	} else {
		Setup { model: TinyLlama::default(), rows: 2, seq_len: 32, measure_for: Duration::ZERO }
	}
}

fn main() -> Result<()> {
	let args: Vec<String> = std::env::args().collect();
	let bench = args.iter().any(|a| a == "--bench");
	let device_arg = args
		.iter()
		.position(|a| a == "--device")
		.and_then(|i| args.get(i + 1))
		.map_or("cpu", String::as_str);
	let device = device_arg.parse::<DeviceChoice>().map_err(anyhow::Error::msg)?.open()?;
	let dtype = DTypeChoice::Auto.resolve(&device);
	let setup = setup(bench);

	let dir = tempfile::tempdir()?;
	setup.model.write(dir.path()).context("writing the benchmark model")?;
	let files = ModelFiles::in_dir(dir.path())?;
	let loaded = load(&files, &device, dtype, setup.seq_len)?;
	let mut rng = ChaCha20Rng::seed_from_u64(1);
	let tokens: Vec<u32> = (0..setup.rows * setup.seq_len)
		.map(|_| rng.next_u32() % setup.model.vocab as u32)
		.collect();
	let batch = Batch::new(tokens, setup.seq_len).context("batch shape")?;

	batch_loss(&loaded.model, &batch)?;
	let mut times = Vec::new();
	let started = Instant::now();
	loop {
		let t = Instant::now();
		let loss = batch_loss(&loaded.model, &batch)?;
		times.push(t.elapsed().as_secs_f64());
		anyhow::ensure!(loss.is_finite(), "non-finite loss {loss}");
		if started.elapsed() >= setup.measure_for && times.len() >= 3 {
			break;
		}
	}
	let tokens = (setup.rows * setup.seq_len) as f64;
	let mean = times.iter().sum::<f64>() / times.len() as f64;
	let best = times.iter().copied().fold(f64::INFINITY, f64::min);
	let flops = 2.0 * loaded.parameters as f64 * tokens;
	println!(
		"loss: {} layers, hidden {}, vocab {}, {} params, batch {} x {} on {} ({:?}, {} threads)",
		setup.model.layers,
		setup.model.hidden,
		setup.model.vocab,
		loaded.parameters,
		setup.rows,
		setup.seq_len,
		describe(&device),
		dtype,
		candle_core::utils::get_num_threads(),
	);
	println!(
		"loss: {} batches, mean {:.1} ms, best {:.1} ms: {:.0} tokens/s mean, {:.0} tokens/s best, {:.1} GFLOP/s (2 x params x tokens)",
		times.len(),
		mean * 1e3,
		best * 1e3,
		tokens / mean,
		tokens / best,
		flops / mean / 1e9,
	);
	Ok(())
}
