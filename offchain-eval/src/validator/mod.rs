//! The validator loop: read the subnet, evaluate its models, score them, and publish the
//! weights with commit-reveal, never losing a reveal.
//!
//! A round:
//! 1. settle what the journal holds (reveal each journaled commit inside its window, drop the
//!    expired ones, wait for commits still in flight);
//! 2. read the subnet at the finalized head; draw samples seeded by the sync block's hash;
//! 3. per competition: fetch each model, check its files against the committed content hash,
//!    evaluate, score, smooth with the previous round's weights; combine by reward share;
//! 4. journal the weights, salt and version key, then send `commit_weights` (or `set_weights`
//!    when the subnet does not use commit-reveal); settle the new commit (reveal it). On a
//!    subnet in timelock mode, seal the weights to a future round of the chain's beacon and
//!    commit them instead: the chain opens them when that round's pulse arrives, with no
//!    journal entry and no reveal (the `timelock` module).

mod hash;
mod locator;
mod settle;
mod timelock;

use std::{collections::BTreeMap, sync::Arc, time::Instant};

use candle_core::{DType, Device};
use galton_primitives::{NetUid, RevealMode, Uid};
use serde::Serialize;

use crate::{
	chain::{
		runtime, Chain, ChainError, Keypair, ModelEntry, RoundError, SubnetState, ValidatorStanding,
	},
	corpus::Corpus,
	evaluate::{progress_bar, EvalSettings, Evaluator, ModelReport},
	journal::{Journal, JournalError},
	metrics::Metrics,
	model::budget::SizeBudget,
	samples::{seed_from_block_hash, sync_block, SampleSpec},
	scoring::{self, Contender, RoundSettings},
};

use locator::verify;
pub use locator::{ModelDir, ModelLocator};
pub use settle::COMMIT_LIFETIME;
use timelock::SealedLosses;

/// Salt words per commit.
pub const SALT_LEN: usize = 8;

/// Why a round stopped.
#[derive(Debug, thiserror::Error)]
pub enum ValidatorError {
	/// The chain refused or could not be reached.
	#[error(transparent)]
	Chain(#[from] ChainError),
	/// The journal failed: stop rather than risk a lost reveal.
	#[error(transparent)]
	Journal(#[from] JournalError),
	/// No beacon round can be sealed to safely.
	#[error(transparent)]
	Round(#[from] RoundError),
	/// The key is not registered on the subnet.
	#[error("{address} is not registered on subnet {netuid}")]
	NotRegistered {
		/// The key's address (SS58).
		address: String,
		/// The subnet.
		netuid: NetUid,
	},
	/// The key is registered but holds no validator permit.
	#[error("{address} (uid {uid}) has no validator permit on subnet {netuid}")]
	NoValidatorPermit {
		/// The key's address (SS58).
		address: String,
		/// Its uid.
		uid: Uid,
		/// The subnet.
		netuid: NetUid,
	},
	/// The subnet commits timelocked weights, but the chain has no beacon to seal them to.
	#[error("subnet {0} commits timelocked weights, but the chain has no randomness beacon")]
	NoBeacon(NetUid),
	/// The weights could not be sealed to the beacon's round.
	#[error("cannot seal the weights: {0:?}")]
	Seal(galton_timelock::TimelockError),
	/// The chain accepts no beacon round for a timelocked commit now.
	#[error("the chain accepts no beacon round now")]
	NoRoundAccepted,
	/// The block a round's samples are seeded from is beyond the chain's `u32` numbers.
	#[error("sync block {0} beyond u32")]
	SyncBlockOutOfRange(u64),
	/// The operating system gave no randomness for a commit's salt.
	#[error("no randomness for the salt: {0}")]
	NoRandomness(getrandom::Error),
	/// The thread evaluating the models died.
	#[error("evaluation thread failed: {0}")]
	EvaluationThread(tokio::task::JoinError),
}

impl ValidatorError {
	/// Whether reconnecting and resuming may help.
	pub fn is_transient(&self) -> bool {
		matches!(self, ValidatorError::Chain(e) if e.is_transient())
	}
}

/// How the validator evaluates and scores.
#[derive(Clone, Debug)]
pub struct ValidatorConfig {
	/// The subnet.
	pub netuid: NetUid,
	/// Samples per model.
	pub spec: SampleSpec,
	/// Where models run.
	pub device: Device,
	/// Their dtype.
	pub dtype: DType,
	/// Softmax temperature of the win rates.
	pub temperature: f64,
	/// Weight of the previous round in the moving average.
	pub alpha: f64,
	/// Validators seed their samples with the hash of the last block that is a multiple of
	/// this.
	pub sync_interval: u32,
	/// Where the models' files come from.
	pub models: ModelLocator,
	/// Seal timelocked weights to the development beacon (whose secret key is public) even on
	/// a chain that does not say it is a development chain.
	pub insecure_dev_beacon: bool,
}

/// One model's line in a round report.
#[derive(Clone, Debug, Serialize)]
pub struct ModelScore {
	/// The miner's uid.
	pub uid: Uid,
	/// The miner's hotkey (SS58).
	pub hotkey: String,
	/// The competition entered.
	pub competition: u16,
	/// Mean loss over the batches (`None` when it failed).
	pub mean_loss: Option<f64>,
	/// Why it failed, if it did.
	pub failure: Option<String>,
}

/// What a round did.
#[derive(Clone, Debug, Serialize)]
pub struct RoundReport {
	/// The subnet.
	pub netuid: NetUid,
	/// The block the round read.
	pub block: u32,
	/// The sample seed (hex).
	pub seed: String,
	/// Every model evaluated.
	pub models: Vec<ModelScore>,
	/// The uids weighted.
	pub uids: Vec<Uid>,
	/// Their `u16` weights.
	pub values: Vec<u16>,
	/// The block the commit (or `set_weights`) landed in.
	pub commit_block: Option<u32>,
	/// The block the reveal landed in.
	pub reveal_block: Option<u32>,
	/// The beacon round whose pulse opens a timelocked commit: the chain applies the weights
	/// then, with no reveal transaction.
	pub reveal_round: Option<u64>,
}

/// A validator on one subnet.
pub struct Validator {
	chain: Chain,
	key: Keypair,
	journal: Journal,
	corpus: Arc<Corpus>,
	config: ValidatorConfig,
	metrics: Metrics,
	/// The losses of the last timelocked round, until its weights open.
	sealed_losses: Option<SealedLosses>,
}

/// When a commit refused for a reason that passes with time stops being retried.
#[derive(Clone, Copy, Debug)]
enum Deadline {
	/// Once this block is finalized.
	Block(u32),
	/// At this instant.
	At(Instant),
}

impl Validator {
	/// A validator signing with `key`, journaling to `journal`.
	pub fn new(
		chain: Chain,
		key: Keypair,
		journal: Journal,
		corpus: Corpus,
		config: ValidatorConfig,
		metrics: Metrics,
	) -> Self {
		Self { chain, key, journal, corpus: Arc::new(corpus), config, metrics, sealed_losses: None }
	}

	/// Replace the connection (after the node came back).
	pub fn reconnected(&mut self, chain: Chain) {
		self.chain = chain;
	}

	/// Check that the key is registered with a validator permit; returns its uid.
	pub async fn check_standing(&self) -> Result<Uid, ValidatorError> {
		let netuid = self.config.netuid;
		let standing = ValidatorStanding::read(&self.chain, netuid, &self.key.account_id()).await?;
		let address = self.key.address();
		match standing.uid {
			None => Err(ValidatorError::NotRegistered { address, netuid }),
			Some(uid) if !standing.permit => {
				Err(ValidatorError::NoValidatorPermit { address, uid, netuid })
			}
			Some(uid) => Ok(uid),
		}
	}

	/// One full round: settle the journal, evaluate and score, publish the weights, reveal.
	pub async fn round(&mut self) -> Result<RoundReport, ValidatorError> {
		self.settle_journal().await?;
		self.publish_opened_losses().await?;
		let state = SubnetState::read(&self.chain, self.config.netuid).await?;
		let sync = sync_block(u64::from(state.block), u64::from(self.config.sync_interval));
		let sync = u32::try_from(sync).map_err(|_| ValidatorError::SyncBlockOutOfRange(sync))?;
		let seed = seed_from_block_hash(&self.chain.block_hash(sync).await?);
		tracing::info!(block = state.block, sync, models = state.models.len(), "round started");
		let (models, weights) = self.score(&state, seed).await?;
		let mut report = RoundReport {
			netuid: state.netuid,
			block: state.block,
			seed: hex::encode(seed),
			models,
			uids: weights.keys().copied().collect(),
			values: weights.values().copied().collect(),
			commit_block: None,
			reveal_block: None,
			reveal_round: None,
		};
		if report.uids.is_empty() {
			tracing::warn!("no model scored: nothing to publish this round");
			return Ok(report);
		}
		self.metrics.rounds.inc();
		let losses: Vec<(Uid, f64)> =
			report.models.iter().map(|m| (m.uid, m.mean_loss.unwrap_or(f64::INFINITY))).collect();
		match (state.reveal_config.enabled, state.reveal_mode) {
			(true, RevealMode::Timelock { rounds_ahead }) => {
				let (commit_block, round) =
					self.commit_timelocked(&state, &report, rounds_ahead).await?;
				tracing::info!(block = commit_block, round, "timelocked weights committed");
				self.metrics.last_commit_block.set(i64::from(commit_block));
				report.commit_block = Some(commit_block);
				report.reveal_round = Some(round);
				// The losses are the ranking a commit hides: exported once the round opens it.
				self.sealed_losses = Some(SealedLosses { reveal_round: round, losses });
			}
			(true, RevealMode::Hash) => {
				let (commit_block, reveal_block) = self.commit_and_reveal(&state, &report).await?;
				report.commit_block = Some(commit_block);
				report.reveal_block = reveal_block;
				if reveal_block.is_some() {
					self.metrics.publish_losses(losses);
				}
			}
			(false, _) => {
				let call = runtime::tx().subnets().set_weights(
					state.netuid,
					report.uids.clone(),
					report.values.clone(),
					state.version_key,
				);
				report.commit_block = Some(self.chain.submit(&call, &self.key).await?.block_number);
				self.metrics.publish_losses(losses);
			}
		}
		Ok(report)
	}

	/// After a commit made at finalized block `now` was refused with `error`: wait for the
	/// next block when the refusal `passes` with time and the `deadline` is not reached, and
	/// return that block's number and hash; else fail with the refusal.
	async fn retry_next_block(
		&self,
		error: ValidatorError,
		passes: bool,
		deadline: Deadline,
		now: u32,
	) -> Result<(u32, [u8; 32]), ValidatorError> {
		let out_of_time = match deadline {
			Deadline::Block(block) => now >= block,
			Deadline::At(instant) => Instant::now() >= instant,
		};
		if !passes || out_of_time {
			return Err(error);
		}
		tracing::info!(%error, now, ?deadline, "commit refused for now; trying again next block");
		Ok(self.chain.wait_for_block(now.saturating_add(1)).await?)
	}

	/// Evaluate every competition's models and combine the weights.
	async fn score(
		&mut self,
		state: &SubnetState,
		seed: [u8; 32],
	) -> Result<(Vec<ModelScore>, BTreeMap<Uid, u16>), ValidatorError> {
		let mut scores = Vec::new();
		let mut shares = Vec::new();
		for (competition_id, competition) in &state.competitions {
			let entries: Vec<ModelEntry> = state
				.models
				.iter()
				.filter(|m| m.commitment.competition == *competition_id && m.uid.is_some())
				.cloned()
				.collect();
			if entries.is_empty() {
				continue;
			}
			let reports = self.evaluate(&entries, seed, competition.max_params).await?;
			let mut contenders = BTreeMap::new();
			for (entry, report) in entries.iter().zip(&reports) {
				let Some(uid) = entry.uid else { continue };
				let losses = report
					.losses
					.iter()
					.map(|&l| scoring::metric_value(competition.metric, l))
					.collect();
				let commit_block = u64::from(entry.commitment.committed_at);
				contenders.insert(uid, (entry.hotkey.0, Contender { commit_block, losses }));
				let mean = report.mean_loss();
				scores.push(ModelScore {
					uid,
					hotkey: entry.hotkey.to_string(),
					competition: *competition_id,
					mean_loss: mean.is_finite().then_some(mean),
					failure: report.failure.clone(),
				});
			}
			let previous = self.journal.last_weights(state.netuid, *competition_id)?;
			let settings = RoundSettings {
				schedule: &competition.epsilon,
				now: u64::from(state.block),
				temperature: self.config.temperature,
				alpha: self.config.alpha,
			};
			let smoothed = scoring::round_weights(&contenders, previous.as_ref(), settings);
			self.journal.put_last_weights(state.netuid, *competition_id, &smoothed)?;
			let by_uid = smoothed.iter().map(|((uid, _), w)| (*uid, *w)).collect();
			shares.push((competition.reward_share, by_uid));
		}
		let combined = scoring::to_u16(&scoring::combine(&shares));
		Ok((scores, combined.into_iter().filter(|(_, w)| *w > 0).collect()))
	}

	/// Fetch, verify and evaluate models on a blocking thread (the loss is CPU- or GPU-bound).
	async fn evaluate(
		&self,
		entries: &[ModelEntry],
		seed: [u8; 32],
		max_params: u64,
	) -> Result<Vec<ModelReport>, ValidatorError> {
		let commitments: Vec<_> = entries.iter().map(|m| m.commitment.clone()).collect();
		let locator = self.config.models.clone();
		let budget = SizeBudget::new(Some(max_params));
		let corpus = self.corpus.clone();
		let settings = EvalSettings {
			seed,
			spec: self.config.spec,
			device: self.config.device.clone(),
			dtype: self.config.dtype,
			max_parameters: Some(max_params),
		};
		let batches = self.config.spec.batches;
		let reports = tokio::task::spawn_blocking(move || {
			let progress = progress_bar((commitments.len() * batches) as u64, "batches");
			let mut evaluator = Evaluator::new(&corpus, settings);
			let reports = commitments
				.iter()
				.map(|c| {
					let checked = locator
						.locate(&c.repo, &c.revision, budget)
						.and_then(|model| verify(&model, c.content_hash.0, budget).map(|()| model));
					match checked {
						Ok(model) => evaluator.evaluate(&model.dir, &mut || progress.inc(1)),
						Err(failure) => {
							let model = String::from_utf8_lossy(&c.repo);
							evaluator.failed(&model, &failure, &mut || progress.inc(1))
						}
					}
				})
				.collect::<Vec<_>>();
			progress.finish_and_clear();
			reports
		})
		.await
		.map_err(ValidatorError::EvaluationThread)?;
		if let Some(speed) = reports.iter().map(ModelReport::tokens_per_second).reduce(f64::max) {
			self.metrics.tokens_per_second.set(speed);
		}
		Ok(reports)
	}
}
