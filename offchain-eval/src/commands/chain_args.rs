//! Flags shared by the commands that talk to the chain.

use std::path::PathBuf;

use anyhow::Context;
use galton_eval::chain::{wallet, Chain, ChainError, Keypair, DEFAULT_URL};

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
	/// Sign with a hotkey of this bittensor wallet (`<wallet path>/<name>/hotkeys/<hotkey>`,
	/// unencrypted, readable by its owner only).
	#[arg(long, conflicts_with_all = ["key", "key_file"])]
	pub wallet_name: Option<String>,
	/// The wallet's hotkey [default: default].
	#[arg(long, requires = "wallet_name")]
	pub wallet_hotkey: Option<String>,
	/// Where the wallets are [default: ~/.bittensor/wallets].
	#[arg(long, requires = "wallet_name")]
	pub wallet_path: Option<PathBuf>,
}

impl ChainArgs {
	/// Whether a signing key was given, in any of the ways.
	pub fn has_key(&self) -> bool {
		self.key.is_some() || self.key_file.is_some() || self.wallet_name.is_some()
	}

	/// The signing key; an error if none was given.
	pub fn keypair(&self) -> anyhow::Result<Keypair> {
		if let Some(path) = &self.key_file {
			return Ok(Keypair::from_file(path)?);
		}
		if let Some(name) = &self.wallet_name {
			let wallets = match &self.wallet_path {
				Some(path) => path.clone(),
				None => wallet::default_wallets_dir().context(
					"no home directory to find ~/.bittensor/wallets in: pass --wallet-path",
				)?,
			};
			let hotkey = self.wallet_hotkey.as_deref().unwrap_or(wallet::DEFAULT_NAME);
			return Ok(Keypair::from_wallet_file(&wallet::hotkey_path(&wallets, name, hotkey))?);
		}
		let uri = self.key.as_deref().ok_or_else(|| {
			anyhow::anyhow!("--key-file, --wallet-name, --key or GALTON_KEY is required")
		})?;
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
