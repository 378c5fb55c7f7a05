//! Hash commits: the round's weights journaled with a fresh salt, their hash committed, and
//! the weights revealed inside the commit's window. [`settle`](super::settle) decides each
//! step from what the journal and the chain say; this module reads the chain and does it.

use galton_primitives::commit_hash;
use subxt::utils::H256;

use super::{
	settle::{next_step, reveal_refusal_is_final, Seen, Step, COMMIT_LIFETIME},
	Deadline, RoundReport, Validator, ValidatorError, SALT_LEN,
};
use crate::{
	chain::{runtime, ChainError, Finalized, SubnetState, ValidatorStanding},
	journal::{CommitState, PendingReveal},
};

impl Validator {
	/// Reveal (or drop, if expired or never landed) every commit the journal holds for this
	/// subnet; returns the block of the last reveal.
	pub async fn settle_journal(&mut self) -> Result<Option<u32>, ValidatorError> {
		let mut last_reveal = None;
		for entry in self.journal.reveals(self.config.netuid)? {
			if let Some(block) = self.settle(entry).await? {
				last_reveal = Some(block);
			}
		}
		self.metrics.pending_commits.set(self.journal.reveals(self.config.netuid)?.len() as i64);
		Ok(last_reveal)
	}

	/// Drive one journaled commit to its end: each turn reads the chain, records the commit's
	/// block and windows once it has landed, and takes the [`Step`] the journal and the chain
	/// call for.
	async fn settle(&mut self, mut entry: PendingReveal) -> Result<Option<u32>, ValidatorError> {
		let netuid = self.config.netuid;
		let hash = hex::encode(entry.hash);
		loop {
			let standing =
				ValidatorStanding::read(&self.chain, netuid, &self.key.account_id()).await?;
			let now = standing.block;
			let on_chain = standing.pending.iter().find(|c| c.hash.0 == entry.hash);
			if let (Some(commit), CommitState::Prepared { .. }) = (on_chain, entry.state) {
				entry.state = CommitState::Committed {
					committed_at: commit.committed_at,
					block_hash: Some(self.chain.block_hash(commit.committed_at).await?),
					reveal_from: commit.reveal_from,
					expires_at: commit.expires_at,
				};
				self.journal.put_reveal(&entry)?;
			}
			let anchor_on_chain = match (on_chain, entry.state.anchor()) {
				(None, (block, Some(journaled))) if now >= block => {
					Some(self.chain.block_hash(block).await? == journaled)
				}
				_ => None,
			};
			match next_step(entry.state, Seen { now, on_chain, anchor_on_chain }) {
				Step::NeverLanded => {
					tracing::warn!(%hash, "journaled commit never reached the chain; dropped");
				}
				Step::Expired { expires_at } => {
					tracing::warn!(%hash, expires_at, now, "commit expired before it could be revealed; dropped");
				}
				Step::AwaitHead { block } => {
					tracing::warn!(%hash, block, now, "the node's finalized head is behind the commit; waiting for it");
					self.chain.wait_for_block(block).await?;
					continue;
				}
				Step::Resend => {
					tracing::warn!(%hash, now, "the commit's block is not on this chain; sending the commit again");
					if self.resend(&mut entry, now).await? {
						continue;
					}
				}
				Step::AwaitInclusion => {
					self.chain.wait_for_block(now.saturating_add(1)).await?;
					continue;
				}
				Step::AwaitWindow { reveal_from } => {
					tracing::info!(%hash, reveal_from, now, "waiting for the reveal window");
					self.chain.wait_for_block(reveal_from).await?;
					continue;
				}
				Step::Reveal => match self.reveal(&entry).await {
					Ok(block) => {
						tracing::info!(%hash, block, "weights revealed");
						self.journal.remove_reveal(netuid, &entry.hash)?;
						self.metrics.last_reveal_block.set(i64::from(block));
						return Ok(Some(block));
					}
					Err(e) if e.is_transient() => return Err(e.into()),
					// The next turn sees the window's end and drops the commit then.
					Err(e) if !reveal_refusal_is_final(e.commit_reveal_error()) => {
						tracing::warn!(%hash, error = %e, now, "reveal refused for now; trying again next block");
						self.chain.wait_for_block(now.saturating_add(1)).await?;
						continue;
					}
					Err(e) if on_chain.is_none() => {
						tracing::info!(%hash, error = %e, "commit no longer pending on chain (revealed or reclaimed)");
					}
					Err(e) => {
						tracing::warn!(%hash, error = %e, "reveal refused; the commit is dropped");
					}
				},
			}
			// Every step that does not wait or reveal ends the commit.
			self.journal.remove_reveal(netuid, &entry.hash)?;
			return Ok(None);
		}
	}

	/// Send the reveal of `entry`; returns the block it landed in.
	async fn reveal(&self, entry: &PendingReveal) -> Result<u32, ChainError> {
		let call = runtime::tx().commit_reveal().reveal_weights(
			entry.netuid,
			entry.uids.clone(),
			entry.values.clone(),
			entry.salt.clone(),
			entry.version_key,
		);
		Ok(self.chain.submit(&call, &self.key).await?.block_number)
	}

	/// Send `entry`'s commit again, on a chain that does not hold the block it was in (or sent
	/// on): refusals that pass with time are retried for as long as a commit can take to land.
	/// Returns whether it was sent (or is pending already); a commit this chain refuses for
	/// good was never on it, and is dropped.
	async fn resend(&self, entry: &mut PendingReveal, now: u32) -> Result<bool, ValidatorError> {
		let call = runtime::tx().commit_reveal().commit_weights(entry.netuid, H256(entry.hash));
		let deadline = Deadline::Block(now.saturating_add(COMMIT_LIFETIME));
		match self.submit_commit(&call, deadline, entry).await {
			Ok(done) => {
				tracing::info!(block = done.block_number, "commit sent again");
				Ok(true)
			}
			Err(ValidatorError::Chain(e))
				if matches!(
					e.commit_reveal_error(),
					Some(runtime::commit_reveal::Error::DuplicateCommit)
				) =>
			{
				Ok(true)
			}
			Err(ValidatorError::Chain(e)) if !e.is_transient() => {
				tracing::warn!(error = %e, "the chain refused the commit sent again; dropped");
				Ok(false)
			}
			Err(e) => Err(e),
		}
	}

	/// Journal `report`'s weights with a fresh salt, commit their hash and reveal them in the
	/// commit's window; returns the commit's block and the reveal's.
	pub(super) async fn commit_and_reveal(
		&mut self,
		state: &SubnetState,
		report: &RoundReport,
	) -> Result<(u32, Option<u32>), ValidatorError> {
		let mut salt_bytes = [0u8; 2 * SALT_LEN];
		getrandom::fill(&mut salt_bytes).map_err(ValidatorError::NoRandomness)?;
		let salt: Vec<u16> =
			salt_bytes.chunks(2).map(|b| u16::from_le_bytes([b[0], b[1]])).collect();
		let who = sp_core::crypto::AccountId32::from(self.key.account_id().0);
		let hash =
			commit_hash(&who, state.netuid, &report.uids, &report.values, &salt, state.version_key);
		let mut entry = PendingReveal {
			netuid: state.netuid,
			hash: hash.0,
			uids: report.uids.clone(),
			values: report.values.clone(),
			salt,
			version_key: state.version_key,
			state: CommitState::Prepared { at_block: state.block, at_hash: None },
		};
		self.metrics.pending_commits.inc();
		let call = runtime::tx().commit_reveal().commit_weights(state.netuid, H256(hash.0));
		// The rate limit and a full list of pending commits both clear within a reveal delay, a
		// window and a commit interval.
		let config = state.reveal_config;
		let patience = config
			.reveal_delay
			.saturating_add(config.reveal_window)
			.saturating_add(config.min_commit_interval());
		let deadline = Deadline::Block(state.block.saturating_add(patience));
		let done = self.submit_commit(&call, deadline, &mut entry).await?;
		tracing::info!(hash = %hex::encode(hash.0), block = done.block_number, "weights committed");
		self.metrics.last_commit_block.set(i64::from(done.block_number));
		let reveal = self.settle(entry).await?;
		self.metrics.pending_commits.set(self.journal.reveals(state.netuid)?.len() as i64);
		Ok((done.block_number, reveal))
	}

	/// Submit a commit, waiting out refusals that pass with time (the subnet's rate limit, a
	/// full list of pending commits): retried each block until the `deadline`.
	///
	/// Before each attempt the journal entry is written with the finalized block it is sent
	/// on, durably before the commit leaves this process: a crash after a long retry never
	/// takes a commit still in the pool for one that can no longer land, and a chain that does
	/// not hold that block is known not to hold the commit.
	async fn submit_commit(
		&self,
		call: &impl subxt::transactions::Payload,
		deadline: Deadline,
		entry: &mut PendingReveal,
	) -> Result<Finalized, ValidatorError> {
		let mut at = self.chain.finalized_block().await?;
		loop {
			let (at_block, at_hash) = at;
			entry.state = CommitState::Prepared { at_block, at_hash: Some(at_hash) };
			self.journal.put_reveal(entry)?;
			let error = match self.chain.submit(call, &self.key).await {
				Ok(done) => return Ok(done),
				Err(error) => error,
			};
			let passes = matches!(
				error.commit_reveal_error(),
				Some(
					runtime::commit_reveal::Error::CommitRateLimited
						| runtime::commit_reveal::Error::TooManyPendingCommits
				)
			);
			at = self.retry_next_block(error.into(), passes, deadline, at_block).await?;
		}
	}
}
