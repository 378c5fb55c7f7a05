//! A miner's two-phase model claim.
//!
//! 1. A random nonce is written to the journal, durably, before anything is sent.
//! 2. Phase 1: `announce_model` with the binding `blake2_256((hotkey, content_hash, nonce))`;
//!    the model's age and its place in the first-claim order count from this block. Only once
//!    it is final may the model's files be published.
//! 3. Phase 2: once the commit window opens, `commit_model` with the content hash and the nonce.
//!
//! Every step is decided from the chain's state and the journal, so running the claim again
//! after a crash (or a kill) picks up where it stopped: an announcement on chain is not sent
//! again, a model already committed is reported as done.

use galton_primitives::{
	announcement_binding, ClaimNonce, CompetitionId, NetUid, RepoId, RepoRevision,
};
use sp_core::H256;

use crate::{
	chain::{hash_owner, runtime, AccountId, Chain, ChainError, Keypair, MinerStanding},
	journal::{ClaimState, Journal, JournalError, PendingClaim},
};

/// How many times one run announces before it gives up (an announcement that keeps expiring
/// before its commit means the chain or this machine is far too slow).
const MAX_ANNOUNCEMENTS: u32 = 3;

/// What to claim.
#[derive(Clone, Debug)]
pub struct ClaimRequest {
	/// The subnet.
	pub netuid: NetUid,
	/// The competition the model enters.
	pub competition: CompetitionId,
	/// Where validators fetch the model.
	pub repo: RepoId,
	/// The revision of `repo`.
	pub revision: RepoRevision,
	/// The content hash of the model's files.
	pub content_hash: [u8; 32],
	/// Stop once the announcement is final (run again, after publishing, to commit).
	pub announce_only: bool,
}

/// Steps of a claim worth telling the miner about.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClaimEvent {
	/// The journal held this claim from an earlier run, which is picked up.
	Resuming(ClaimState),
	/// The announcement is final: the model's files may be published now.
	Announced {
		/// The block of the announcement.
		announced_at: u32,
		/// The first block the model may be committed.
		reveal_from: u32,
		/// The first block the commit is refused as expired.
		expires_at: u32,
	},
	/// The earlier announcement expired before its commit; announcing again.
	AnnouncementExpired,
}

/// How a claim ended.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ClaimOutcome {
	/// The model is committed: the hotkey holds the content hash.
	Committed {
		/// The block of the commit, or `None` when an earlier run had committed it already.
		block: Option<u32>,
		/// The block of the announcement: the model's age counts from here.
		announced_at: u32,
	},
	/// Phase 1 is final; phase 2 is left for a later run (`announce_only`).
	Announced {
		/// The block of the announcement.
		announced_at: u32,
		/// The first block the model may be committed.
		reveal_from: u32,
		/// The first block the commit is refused as expired.
		expires_at: u32,
	},
}

/// Why a claim failed.
#[derive(Debug, thiserror::Error)]
pub enum ClaimError {
	/// Another hotkey announced this content first.
	#[error(
		"model 0x{content_hash} is already claimed on subnet {netuid} by {holder}: the first to \
		 announce a model owns it; train or change the model, then claim its new hash"
	)]
	AlreadyClaimed {
		/// The subnet.
		netuid: NetUid,
		/// The content hash, in hex.
		content_hash: String,
		/// The hotkey that holds it.
		holder: AccountId,
	},
	/// The journal holds a claim of this model for another competition.
	#[error(
		"a claim of this model for competition {pending} is pending in the journal; finish it \
		 with --competition {pending}, or let it expire and use another journal"
	)]
	CompetitionChanged {
		/// The competition of the pending claim.
		pending: CompetitionId,
	},
	/// The announcement kept expiring before the commit.
	#[error(
		"announced {MAX_ANNOUNCEMENTS} times, and each announcement expired before its commit \
		 window could be used; check that the node is synced and blocks are finalized"
	)]
	KeepsExpiring,
	/// The chain refused or could not be reached.
	#[error(transparent)]
	Chain(#[from] ChainError),
	/// The journal could not be read or written.
	#[error(transparent)]
	Journal(#[from] JournalError),
}

fn is_registry_error(
	error: &ChainError,
	wanted: fn(&runtime::model_registry::Error) -> bool,
) -> bool {
	matches!(error.runtime_error(), Some(runtime::Error::ModelRegistry(e)) if wanted(e))
}

/// A random nonce for a new claim.
fn fresh_nonce() -> Result<ClaimNonce, JournalError> {
	let mut nonce = [0u8; 32];
	getrandom::fill(&mut nonce)
		.map_err(|e| JournalError::Store(format!("no randomness for the claim nonce: {e}")))?;
	Ok(nonce)
}

/// Run both phases of a claim (or the first only), resuming from `journal`.
pub async fn claim_model(
	chain: &Chain,
	key: &Keypair,
	journal: &Journal,
	request: &ClaimRequest,
	mut on_event: impl FnMut(ClaimEvent),
) -> Result<ClaimOutcome, ClaimError> {
	let who = key.account_id();
	let netuid = request.netuid;
	let hash = request.content_hash;
	let already_claimed =
		|holder| ClaimError::AlreadyClaimed { netuid, content_hash: hex::encode(hash), holder };

	let mut entry = match journal.claim(netuid, &who.0, &hash)? {
		Some(entry) if entry.competition != request.competition => {
			return Err(ClaimError::CompetitionChanged { pending: entry.competition });
		}
		Some(entry) => {
			on_event(ClaimEvent::Resuming(entry.state));
			entry
		}
		None => {
			// A holder now announced earlier than anything this claim could announce.
			if let Some(holder) = hash_owner(chain, netuid, hash).await? {
				if holder != who {
					return Err(already_claimed(holder));
				}
			}
			let entry = PendingClaim {
				netuid,
				hotkey: who.0,
				content_hash: hash,
				nonce: fresh_nonce()?,
				competition: request.competition,
				state: ClaimState::Prepared { at_block: chain.finalized_number().await? },
			};
			journal.put_claim(&entry)?;
			entry
		}
	};
	let binding = announcement_binding(&who, &H256(hash), &entry.nonce);

	let mut announced = 0;
	loop {
		let standing = MinerStanding::read(chain, netuid, &who).await?;
		if let Some(model) = standing.model.as_ref().filter(|m| m.content_hash.0 == hash) {
			journal.remove_claim(netuid, &who.0, &hash)?;
			return Ok(ClaimOutcome::Committed { block: None, announced_at: model.committed_at });
		}
		let Some(announcement) = standing.announcements.iter().find(|a| a.binding == binding)
		else {
			if announced == MAX_ANNOUNCEMENTS {
				return Err(ClaimError::KeepsExpiring);
			}
			if let ClaimState::Announced { .. } = entry.state {
				on_event(ClaimEvent::AnnouncementExpired);
			}
			let call = runtime::tx().model_registry().announce_model(
				netuid,
				request.competition,
				subxt::utils::H256(binding.0),
			);
			announced += 1;
			match chain.submit(&call, key).await {
				Ok(_) => {}
				// An announcement sent before a crash landed after all.
				Err(e)
					if is_registry_error(&e, |e| {
						matches!(e, runtime::model_registry::Error::DuplicateAnnouncement)
					}) => {}
				Err(e) => return Err(e.into()),
			}
			continue;
		};

		let (announced_at, reveal_from, expires_at) =
			(announcement.announced_at, announcement.reveal_from, announcement.expires_at);
		if entry.state != (ClaimState::Announced { announced_at, reveal_from, expires_at }) {
			entry.state = ClaimState::Announced { announced_at, reveal_from, expires_at };
			journal.put_claim(&entry)?;
			on_event(ClaimEvent::Announced { announced_at, reveal_from, expires_at });
		}
		if request.announce_only {
			return Ok(ClaimOutcome::Announced { announced_at, reveal_from, expires_at });
		}
		chain.wait_for_block(reveal_from).await?;
		let call = runtime::tx().model_registry().commit_model(
			netuid,
			request.competition,
			request.repo.as_str().as_bytes().to_vec(),
			request.revision.as_str().as_bytes().to_vec(),
			subxt::utils::H256(hash),
			entry.nonce,
		);
		let refused = match chain.submit(&call, key).await {
			Ok(done) => {
				journal.remove_claim(netuid, &who.0, &hash)?;
				return Ok(ClaimOutcome::Committed {
					block: Some(done.block_number),
					announced_at,
				});
			}
			Err(e) => e,
		};
		// The window closed while the commit waited in the pool: announce again.
		if is_registry_error(&refused, |e| {
			matches!(e, runtime::model_registry::Error::AnnouncementExpired)
		}) {
			continue;
		}
		if is_registry_error(&refused, |e| {
			matches!(e, runtime::model_registry::Error::ModelAlreadyClaimed)
		}) {
			journal.remove_claim(netuid, &who.0, &hash)?;
			let holder = hash_owner(chain, netuid, hash).await?;
			return Err(holder.map_or(ClaimError::Chain(refused), already_claimed));
		}
		return Err(refused.into());
	}
}
