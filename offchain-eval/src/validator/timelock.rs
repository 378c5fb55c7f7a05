//! Timelocked commits: the round's weights sealed to a future round of the chain's randomness
//! beacon. The chain opens and applies them when that round's pulse arrives, so there is
//! nothing to journal and no reveal to send: a validator that stops after committing loses
//! nothing.

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use codec::Encode;
use galton_primitives::{Uid, WeightsTlockPayload};

use super::{Deadline, RoundReport, Validator, ValidatorError};
use crate::chain::{
	commit_rounds, ensure_secret_beacon,
	runtime::{
		self, commit_reveal::Error, runtime_types::bounded_collections::bounded_vec::BoundedVec,
	},
	seal_weights, BeaconState, SubnetState, ROUND_MARGIN,
};

/// A round's losses, kept back until the beacon round that opens its weights has passed.
pub(super) struct SealedLosses {
	/// The round whose pulse opens the commit.
	pub reveal_round: u64,
	/// `(uid, mean loss)` of every model evaluated.
	pub losses: Vec<(Uid, f64)>,
}

impl Validator {
	/// The chain's beacon at the finalized head; an error when the chain has none, or when it
	/// is the development beacon on a chain that is not a development chain and
	/// `--insecure-dev-beacon` was not given.
	async fn beacon(&self) -> Result<BeaconState, ValidatorError> {
		let beacon =
			self.chain.beacon().await?.ok_or(ValidatorError::NoBeacon(self.config.netuid))?;
		let development_chain = || self.chain.is_development_chain();
		ensure_secret_beacon(&beacon.info, self.config.insecure_dev_beacon, development_chain)
			.await??;
		Ok(beacon)
	}

	/// Seal `report`'s weights to a future beacon round and commit them; returns the block the
	/// commit landed in and the round that opens it.
	///
	/// The round is never one the beacon has published by the chain's clock or by this
	/// machine's ([`commit_rounds`]). A full round is passed over for the next one the chain
	/// accepts; refusals that pass with time are retried each block: the rate limit, the
	/// previous timelocked commit still waiting for its round, every acceptable round full, and
	/// pulses or clock ticks between reading the beacon and the commit's inclusion (the weights
	/// are sealed again, to a later round). The wait is bounded by a commit interval plus the
	/// rounds a pending commit can take to open.
	pub(super) async fn commit_timelocked(
		&self,
		state: &SubnetState,
		report: &RoundReport,
		rounds_ahead: u64,
	) -> Result<(u32, u64), ValidatorError> {
		let weights = WeightsTlockPayload {
			hotkey: self.key.account_id().encode(),
			uids: report.uids.clone(),
			values: report.values.clone(),
			version_key: state.version_key,
		};
		let constants = runtime::constants().commit_reveal();
		let round_slack = self.chain.constant(constants.round_slack()).await?;
		let version = self.chain.constant(constants.commit_reveal_version()).await?;
		let mut beacon = self.beacon().await?;
		let period = u64::from(beacon.info.schedule.period);
		let block_time = self.chain.block_time().await?.unwrap_or_default();
		let rounds = rounds_ahead.saturating_add(round_slack).saturating_add(ROUND_MARGIN + 1);
		let patience = block_time.saturating_mul(state.reveal_config.min_commit_interval())
			+ Duration::from_secs(rounds.saturating_mul(period));
		let deadline = Deadline::At(Instant::now() + patience);
		loop {
			let candidates = commit_rounds(&beacon, unix_seconds(), rounds_ahead, round_slack)?;
			let mut refusal = None;
			for round in candidates {
				let ciphertext =
					seal_weights(&beacon.info, round, &weights).map_err(ValidatorError::Seal)?;
				let call = runtime::tx().commit_reveal().commit_timelocked_weights(
					state.netuid,
					BoundedVec(ciphertext),
					round,
					version,
				);
				match self.chain.submit(&call, &self.key).await {
					Ok(done) => return Ok((done.block_number, round)),
					// Another round may have room: try the next one at once.
					Err(error) if matches!(error.commit_reveal_error(), Some(Error::RoundFull)) => {
						tracing::debug!(round, "round full; trying the next one");
						refusal = Some(error);
					}
					Err(error) => {
						refusal = Some(error);
						break;
					}
				}
			}
			let Some(error) = refusal else {
				return Err(ValidatorError::NoRoundAccepted);
			};
			let passes = matches!(
				error.commit_reveal_error(),
				Some(
					Error::CommitRateLimited
						| Error::TimelockedCommitPending
						| Error::RevealRoundTooEarly
						| Error::RoundFull
				)
			);
			let now = self.chain.finalized_number().await?;
			self.retry_next_block(error.into(), passes, deadline, now).await?;
			beacon = self.beacon().await?;
		}
	}

	/// Export the losses kept back by a timelocked round once the beacon has passed its round.
	pub(super) async fn publish_opened_losses(&mut self) -> Result<(), ValidatorError> {
		let Some(sealed) = &self.sealed_losses else { return Ok(()) };
		let latest = self.chain.beacon().await?.and_then(|beacon| beacon.latest_round);
		if latest.is_some_and(|latest| latest >= sealed.reveal_round) {
			if let Some(sealed) = self.sealed_losses.take() {
				self.metrics.publish_losses(sealed.losses);
			}
		}
		Ok(())
	}
}

/// This machine's clock, in Unix seconds.
fn unix_seconds() -> u64 {
	SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |elapsed| elapsed.as_secs())
}
