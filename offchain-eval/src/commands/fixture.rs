//! `galton-eval fixture DIR`.

use std::{io::Write, path::PathBuf};

use anyhow::ensure;
use galton_eval::fixtures::{TinyLlama, TOKENIZER_VOCAB};

/// Write a tiny random-initialised Llama model: `config.json`, `model.safetensors` and a
/// byte-level `tokenizer.json`. The same options always give the same files.
#[derive(Debug, clap::Args)]
pub struct Opts {
	/// The directory to write (created if missing).
	dir: PathBuf,
	/// Seed of the random weights.
	#[arg(long, default_value_t = 0)]
	seed: u64,
	/// Standard deviation of the weights; larger gives a worse model.
	#[arg(long, default_value_t = 0.02)]
	init_std: f32,
	/// Logit (nats) the output projection adds to token t + 1 after token t (keeps greedy
	/// generation varied).
	#[arg(long, default_value_t = 3.0)]
	successor: f32,
	/// Decoder layers.
	#[arg(long, default_value_t = 2)]
	layers: usize,
	/// Width of the residual stream (a multiple of --heads).
	#[arg(long, default_value_t = 64)]
	hidden: usize,
	/// Attention heads (a multiple of --kv-heads).
	#[arg(long, default_value_t = 4)]
	heads: usize,
	/// Key/value heads.
	#[arg(long, default_value_t = 2)]
	kv_heads: usize,
	/// Width of the MLP.
	#[arg(long, default_value_t = 128)]
	intermediate: usize,
	/// Vocabulary size; below the tokenizer's 257 gives a model that fails to load, for tests.
	#[arg(long, default_value_t = TOKENIZER_VOCAB)]
	vocab: usize,
}

/// Write the model and print its directory and content hash.
pub fn run(opts: Opts, out: &mut impl Write) -> anyhow::Result<()> {
	ensure!(
		opts.layers > 0 && opts.intermediate > 0,
		"--layers and --intermediate must be positive"
	);
	ensure!(
		opts.heads > 0 && opts.kv_heads > 0 && opts.heads.is_multiple_of(opts.kv_heads),
		"--heads ({}) must be a positive multiple of --kv-heads ({})",
		opts.heads,
		opts.kv_heads
	);
	ensure!(
		opts.hidden.is_multiple_of(opts.heads) && (opts.hidden / opts.heads).is_multiple_of(2),
		"--hidden ({}) must be --heads ({}) times an even head width",
		opts.hidden,
		opts.heads
	);
	ensure!(
		opts.successor.is_finite() && opts.successor >= 0.0,
		"--successor must be a number of at least 0, got {}",
		opts.successor
	);
	ensure!(
		opts.init_std.is_finite() && opts.init_std > 0.0,
		"--init-std must be a positive number, got {}",
		opts.init_std
	);
	let spec = TinyLlama {
		seed: opts.seed,
		layers: opts.layers,
		hidden: opts.hidden,
		heads: opts.heads,
		kv_heads: opts.kv_heads,
		intermediate: opts.intermediate,
		vocab: opts.vocab,
		init_std: opts.init_std,
		successor: opts.successor,
		..TinyLlama::default()
	};
	spec.write(&opts.dir)?;
	let hash = galton_eval::hash::content_hash(&opts.dir, galton_eval::hash::Links::Follow)?;
	writeln!(out, "{} 0x{}", opts.dir.display(), hex::encode(hash))?;
	Ok(())
}
