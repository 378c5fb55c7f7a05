//! `galton-eval commit-model`: a miner claims its model in two phases (announce, then commit).

use std::{io::Write, path::PathBuf};

use crate::commands::schedule::format_percent;
use galton_eval::{
	chain::runtime,
	claim::{claim_model, ClaimEvent, ClaimOutcome, ClaimRequest},
	hash::{content_hash, Links},
	journal::{ClaimState, Journal},
};
use galton_primitives::{RepoId, RepoRevision};
use subxt::utils::Static;

use super::chain_args::{journal_path, runtime as tokio_runtime, ChainArgs};

/// Claim a model on a subnet's competition: announce a binding of its content hash (phase 1),
/// then commit its repository, revision and content hash (phase 2). Publish the model's files
/// only once phase 1 is final; the command says when. The nonce is kept in a journal, so a run
/// that stops between the phases is finished by running it again.
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
	repo: RepoId,
	/// The revision of the repository: a branch, a tag, or (safest) a 40-digit commit id.
	#[arg(long)]
	revision: RepoRevision,
	/// The model's files, as validators will download them: the hash is computed from here.
	#[arg(long)]
	model_dir: PathBuf,
	/// Stop once the announcement is final; run again (after publishing) to commit.
	#[arg(long)]
	announce_only: bool,
	/// The journal that keeps the claim's nonce between the phases (default:
	/// `<data dir>/galton-eval/claims-<address>.redb`).
	#[arg(long)]
	journal: Option<PathBuf>,
	#[command(flatten)]
	chain: ChainArgs,
}

fn describe(event: ClaimEvent) -> String {
	match event {
		ClaimEvent::Resuming(ClaimState::Prepared { .. }) => {
			"resuming a claim from the journal: announcing (again if the last send was lost)".into()
		}
		ClaimEvent::Resuming(ClaimState::Announced { announced_at, .. }) => {
			format!("resuming a claim from the journal: announced in block {announced_at}")
		}
		ClaimEvent::Announced { announced_at, reveal_from, expires_at } => format!(
			"phase 1 final: announced in block {announced_at}; publish the model files now (not \
			 before); phase 2 (the commit) is accepted from block {reveal_from} until before block \
			 {expires_at}"
		),
		ClaimEvent::AnnouncementExpired => {
			"the earlier announcement expired before its commit; announcing again".into()
		}
	}
}

/// Hash the model, run the claim's phases, and print each step, the commit block and the
/// epsilon the model starts with.
pub fn run(opts: Opts, out: &mut impl Write) -> anyhow::Result<()> {
	let key = opts.chain.keypair()?;
	let hash = content_hash(&opts.model_dir, Links::Follow)?;
	let journal =
		Journal::open(&journal_path(&opts.journal, format!("claims-{}", key.address()))?)?;
	let request = ClaimRequest {
		netuid: opts.netuid,
		competition: opts.competition,
		repo: opts.repo.clone(),
		revision: opts.revision.clone(),
		content_hash: hash,
		announce_only: opts.announce_only,
	};
	if !opts.revision.is_commit_id() {
		tracing::warn!(revision = %opts.revision, "a branch or tag can move; a commit id pins the files");
	}
	tokio_runtime()?.block_on(async {
		let chain = opts.chain.connect().await?;
		// Each step is printed as it happens: the miner waits for "phase 1 final" to publish.
		let mut printed = Ok(());
		let outcome = claim_model(&chain, &key, &journal, &request, |event| {
			if printed.is_ok() {
				printed = writeln!(out, "{}", describe(event)).and_then(|()| out.flush());
			}
		})
		.await;
		printed?;
		match outcome? {
			ClaimOutcome::Announced { reveal_from, expires_at, .. } => writeln!(
				out,
				"announced model 0x{}; run this command again from block {reveal_from} (before block {expires_at}) to commit it",
				hex::encode(hash)
			)?,
			ClaimOutcome::Committed { block, announced_at } => {
				let epsilon = chain
					.client()
					.at_current_block()
					.await?
					.runtime_apis()
					.call(runtime::runtime_apis().model_registry_api().effective_epsilon(opts.netuid, key.account_id()))
					.await?
					.map(|Static(e)| format_percent(e))
					.unwrap_or_else(|| "none".into());
				let when = block.map_or_else(|| "by an earlier run".to_owned(), |b| format!("in block {b}"));
				writeln!(
					out,
					"committed model 0x{} ({}@{}) for {} on subnet {}, competition {}, {when}; announced in block {announced_at}; epsilon now: {epsilon}",
					hex::encode(hash),
					opts.repo,
					opts.revision,
					key.address(),
					opts.netuid,
					opts.competition,
				)?;
			}
		}
		Ok(())
	})
}
