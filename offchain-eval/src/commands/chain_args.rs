//! Flags shared by the commands that talk to the chain.

use std::path::PathBuf;

use anyhow::Context;
use galton_eval::chain::{Chain, ChainError, Keypair, DEFAULT_URL};

/// Where the node is, and the key to sign with.
#[derive(Debug, clap::Args)]
pub struct ChainArgs {
	/// The node's RPC endpoint.
	#[arg(long, default_value = DEFAULT_URL)]
	pub url: String,
	/// The signing key: a secret URI (`//Alice` on the devnet), a mnemonic phrase or a hex
	/// seed. Prefer the GALTON_KEY environment variable on shared machines.
	#[arg(long, env = "GALTON_KEY", hide_env_values = true)]
	pub key: Option<String>,
	/// A file holding the signing key's secret URI, readable by its owner only (`chmod 600`).
	/// The safest way to give a key: it stays out of the process list and the shell history.
	#[arg(long, conflicts_with = "key")]
	pub key_file: Option<PathBuf>,
}

impl ChainArgs {
	/// The signing key; an error if none was given.
	pub fn keypair(&self) -> anyhow::Result<Keypair> {
		if let Some(path) = &self.key_file {
			return Ok(Keypair::from_file(path)?);
		}
		let uri = self
			.key
			.as_deref()
			.ok_or_else(|| anyhow::anyhow!("--key-file, --key or GALTON_KEY is required"))?;
		Ok(Keypair::from_uri(uri)?)
	}

	/// Connect, retrying for up to a minute (a node that is starting takes a few seconds).
	pub async fn connect(&self) -> Result<Chain, ChainError> {
		Chain::connect_with_retry(&self.url, std::time::Duration::from_secs(2), Some(30)).await
	}
}

/// A Tokio runtime for one command.
pub fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
	Ok(tokio::runtime::Builder::new_multi_thread().enable_all().build()?)
}

/// `explicit`, or `<data dir>/galton-eval/<name>.redb`.
pub fn journal_path(explicit: &Option<PathBuf>, name: String) -> anyhow::Result<PathBuf> {
	match explicit {
		Some(path) => Ok(path.clone()),
		None => Ok(dirs::data_dir()
			.context("no data directory on this system: pass --journal")?
			.join("galton-eval")
			.join(format!("{name}.redb"))),
	}
}
