//! `galton-eval hash DIR`.

use std::{io::Write, path::PathBuf};

/// Print the content hash of a model directory.
#[derive(Debug, clap::Args)]
pub struct Opts {
	/// The model directory. Only the files the evaluator loads are hashed: `*.safetensors`,
	/// `model.safetensors.index.json`, `config.json`, `tokenizer.json` and
	/// `generation_config.json`, directly inside the directory.
	dir: PathBuf,
}

/// Print `0x` and the 64 hex digits of the hash.
pub fn run(opts: Opts, out: &mut impl Write) -> anyhow::Result<()> {
	let hash = galton_eval::hash::content_hash(&opts.dir, galton_eval::hash::Links::Follow)?;
	writeln!(out, "0x{}", hex::encode(hash))?;
	Ok(())
}
