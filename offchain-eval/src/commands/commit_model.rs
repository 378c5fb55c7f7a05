//! `galton-eval commit-model`: a miner commits its model's content hash.

use std::{io::Write, path::PathBuf};

use anyhow::ensure;
use galton_eval::{
	chain::{hash_owner, runtime, ChainError},
	hash::content_hash,
};
use galton_primitives::{MAX_REPO_LEN, MAX_REVISION_LEN};
use subxt::utils::Static;

use super::chain_args::{runtime as tokio_runtime, ChainArgs};

/// Commit a model: its content hash, repository and revision, on a subnet's competition.
#[derive(Debug, clap::Args)]
pub struct Opts {
	/// The subnet.
	#[arg(long)]
	netuid: u16,
	/// The competition the model enters.
	#[arg(long)]
	competition: u16,
	/// Where validators fetch the model: `ORG/NAME` on the Hugging Face hub.
	#[arg(long)]
	repo: String,
	/// The revision of the repository (a commit id is safest).
	#[arg(long)]
	revision: String,
	/// The model's files, as validators will download them: the hash is computed from here.
	#[arg(long)]
	model_dir: PathBuf,
	#[command(flatten)]
	chain: ChainArgs,
}

/// Hash the model, commit it, wait for finalization, and print the block and the epsilon the
/// model starts with.
pub fn run(opts: Opts, out: &mut impl Write) -> anyhow::Result<()> {
	ensure!(
		!opts.repo.is_empty()
			&& opts.repo.len() <= MAX_REPO_LEN as usize
			&& opts.repo.contains('/'),
		"--repo must be ORG/NAME, at most {MAX_REPO_LEN} bytes"
	);
	ensure!(
		!opts.revision.is_empty() && opts.revision.len() <= MAX_REVISION_LEN as usize,
		"--revision must be 1 to {MAX_REVISION_LEN} bytes"
	);
	let key = opts.chain.keypair()?;
	let hash = content_hash(&opts.model_dir)?;
	let claimed = |owner: String| {
		anyhow::anyhow!(
			"model 0x{} is already claimed on subnet {} by {owner}: the first to commit a model owns it",
			hex::encode(hash),
			opts.netuid
		)
	};
	tokio_runtime()?.block_on(async {
		let chain = opts.chain.connect().await?;
		// Checked before submitting so the miner learns who holds it; the chain checks again.
		if let Some(owner) = hash_owner(&chain, opts.netuid, hash).await? {
			if owner != key.account_id() {
				return Err(claimed(owner.to_string()));
			}
		}
		let call = runtime::tx().model_registry().commit_model(
			opts.netuid,
			opts.competition,
			opts.repo.clone().into_bytes(),
			opts.revision.clone().into_bytes(),
			subxt::utils::H256(hash),
		);
		let done = match chain.submit(&call, &key).await {
			Ok(done) => done,
			Err(ChainError::Dispatch(message)) if message.contains("ModelAlreadyClaimed") => {
				let owner = hash_owner(&chain, opts.netuid, hash).await?;
				return Err(claimed(owner.map_or_else(|| "another hotkey".to_owned(), |o| o.to_string())));
			},
			Err(e) => return Err(e.into()),
		};
		let at = chain.client().at_block(u64::from(done.block_number)).await?;
		let epsilon = at
			.runtime_apis()
			.call(runtime::runtime_apis().model_registry_api().effective_epsilon(opts.netuid, key.account_id()))
			.await?
			.map(|Static(e)| format!("{:.4}%", f64::from(e.deconstruct()) / 1e7))
			.unwrap_or_else(|| "none".into());
		writeln!(
			out,
			"committed model 0x{} ({}@{}) for {} on subnet {}, competition {}, in block {}; epsilon at commit: {epsilon}",
			hex::encode(hash),
			opts.repo,
			opts.revision,
			key.address(),
			opts.netuid,
			opts.competition,
			done.block_number,
		)?;
		Ok(())
	})
}
