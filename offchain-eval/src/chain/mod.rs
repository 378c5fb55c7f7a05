//! The chain client: subxt with code generated from the runtime's metadata
//! (`offchain-eval/metadata/galton.scale`; a test in `tests/` fails when it drifts from the
//! runtime).
//!
//! - [`Chain`]: a connection to a node, reads at the finalized head, and transactions that
//!   wait for finalization and turn failures into readable messages;
//! - [`Keypair`]: a signing key from a secret URI (`//Alice`, a mnemonic phrase, ...);
//! - [`SubnetState`]: what a validator round reads; [`MinerStanding`]: a miner's claims.

mod keypair;
mod state;

use std::time::Duration;

pub use keypair::{KeyFileError, Keypair};
pub use state::{hash_owner, MinerStanding, ModelEntry, SubnetState, ValidatorStanding};
use subxt::{
	error::TransactionEventsError, ext::scale_decode::DecodeAsType, transactions::Payload,
	OnlineClient, PolkadotConfig,
};

/// The metadata the code below is generated from, included so that cargo rebuilds the client
/// whenever the file changes (the `subxt` macro alone does not tell cargo it reads it).
const _METADATA: &[u8] = include_bytes!("../../metadata/galton.scale");

/// Code generated from the runtime metadata. Galton's own types are substituted by the
/// `galton-primitives` originals, so epsilon math and hashing need no conversion.
#[subxt::subxt(
	runtime_metadata_path = "metadata/galton.scale",
	substitute_type(
		path = "galton_primitives::model::ModelCommitment<A>",
		with = "::subxt::utils::Static<::galton_primitives::ModelCommitment<A>>"
	),
	substitute_type(
		path = "galton_primitives::model::Competition",
		with = "::subxt::utils::Static<::galton_primitives::Competition>"
	),
	substitute_type(
		path = "galton_primitives::commit_reveal::RevealConfig<A>",
		with = "::subxt::utils::Static<::galton_primitives::RevealConfig<A>>"
	),
	substitute_type(
		path = "galton_primitives::commit_reveal::PendingCommit<A>",
		with = "::subxt::utils::Static<::galton_primitives::PendingCommit<A>>"
	),
	substitute_type(
		path = "galton_primitives::claim::Announcement<A>",
		with = "::subxt::utils::Static<::galton_primitives::Announcement<A>>"
	),
	substitute_type(
		path = "galton_primitives::claim::ClaimConfig<A>",
		with = "::subxt::utils::Static<::galton_primitives::ClaimConfig<A>>"
	),
	substitute_type(
		path = "sp_arithmetic::per_things::Perbill",
		with = "::subxt::utils::Static<::sp_arithmetic::Perbill>"
	)
)]
pub mod runtime {}

/// The node's default RPC address.
pub const DEFAULT_URL: &str = "ws://127.0.0.1:9944";

/// Galton chains use Polkadot's account, address, signature and header types.
pub type Config = PolkadotConfig;

/// An account id on chain.
pub type AccountId = subxt::utils::AccountId32;

/// Why a chain operation failed, in words a validator or miner can act on.
#[derive(Debug, thiserror::Error)]
pub enum ChainError {
	/// The node cannot be reached.
	#[error("cannot connect to {url}: {reason} (is galton-node running? start one with `galton-node --dev`)")]
	Connect {
		/// The URL tried.
		url: String,
		/// The client's message.
		reason: String,
	},
	/// The transaction pool refused the transaction before it reached a block.
	#[error("transaction refused by the node: {message}")]
	Refused {
		/// The CommitReveal error the refusal stands for, when the `CheckCommitReveal`
		/// extension refused it (`Custom error: N`, N the error's index in the metadata).
		error: Option<Box<runtime::commit_reveal::Error>>,
		/// What the node said, with the error's name and docs when known.
		message: String,
	},
	/// The transaction was included but its call failed.
	#[error("transaction failed: {message}")]
	Dispatch {
		/// The pallet error, decoded through the runtime's metadata; `None` for a failure that
		/// is not a pallet's (bad origin, arithmetic, ...).
		error: Option<Box<runtime::Error>>,
		/// What failed, in words.
		message: String,
	},
	/// A read or subscription failed (often: the node went away).
	#[error("chain request failed: {0}")]
	Rpc(String),
	/// The node's state is not what this client expects.
	#[error("{0}")]
	Unexpected(String),
}

impl ChainError {
	/// Whether retrying after a reconnect may help (the node went away, or a request failed),
	/// as opposed to a refusal that will not change.
	pub fn is_transient(&self) -> bool {
		matches!(self, ChainError::Connect { .. } | ChainError::Rpc(_))
	}

	/// The pallet error a dispatched call failed with, if that is what happened.
	pub fn runtime_error(&self) -> Option<&runtime::Error> {
		match self {
			ChainError::Dispatch { error, .. } => error.as_deref(),
			_ => None,
		}
	}

	/// The CommitReveal error behind this failure, whether the pool refused the transaction
	/// or its dispatch failed.
	pub fn commit_reveal_error(&self) -> Option<&runtime::commit_reveal::Error> {
		match self {
			ChainError::Refused { error, .. } => error.as_deref(),
			ChainError::Dispatch { error, .. } => match error.as_deref() {
				Some(runtime::Error::CommitReveal(error)) => Some(error),
				_ => None,
			},
			_ => None,
		}
	}
}

/// A dispatch failure with its pallet error decoded, when it is one.
fn dispatch_failure(failure: subxt::error::DispatchError) -> ChainError {
	let error = match &failure {
		subxt::error::DispatchError::Module(module) => {
			module.as_root_error::<runtime::Error>().ok().map(Box::new)
		}
		_ => None,
	};
	ChainError::Dispatch { error, message: failure.to_string() }
}

fn rpc(e: impl std::fmt::Display) -> ChainError {
	ChainError::Rpc(e.to_string())
}

/// A block number as the runtime stores it (`u32`).
fn block_number(number: u64) -> Result<u32, ChainError> {
	u32::try_from(number)
		.map_err(|_| ChainError::Unexpected(format!("block number {number} beyond u32")))
}

/// A transaction in a finalized block.
#[derive(Clone, Debug)]
pub struct Finalized {
	/// The block it is in.
	pub block_number: u32,
	/// That block's hash.
	pub block_hash: [u8; 32],
}

/// A connection to a Galton node.
#[derive(Clone)]
pub struct Chain {
	client: OnlineClient<Config>,
	url: String,
}

impl Chain {
	/// Connect to the node at `url` (`ws://` or `wss://`).
	pub async fn connect(url: &str) -> Result<Self, ChainError> {
		let client = OnlineClient::<Config>::from_insecure_url(url)
			.await
			.map_err(|e| ChainError::Connect { url: url.to_owned(), reason: e.to_string() })?;
		Ok(Self { client, url: url.to_owned() })
	}

	/// Connect, retrying every `every` until `attempts` have failed (`None`: for ever); each
	/// failure is logged.
	pub async fn connect_with_retry(
		url: &str,
		every: Duration,
		attempts: Option<u32>,
	) -> Result<Self, ChainError> {
		let mut failures = 0u32;
		loop {
			match Self::connect(url).await {
				Ok(chain) => return Ok(chain),
				Err(e) => {
					failures += 1;
					if attempts.is_some_and(|n| failures >= n) {
						return Err(e);
					}
					tracing::warn!(%url, error = %e, "node unreachable, retrying in {every:?}");
					tokio::time::sleep(every).await;
				}
			}
		}
	}

	/// The URL this connection was made to.
	pub fn url(&self) -> &str {
		&self.url
	}

	/// The subxt client, for reads this module does not wrap.
	pub fn client(&self) -> &OnlineClient<Config> {
		&self.client
	}

	/// The number of the latest finalized block.
	pub async fn finalized_number(&self) -> Result<u32, ChainError> {
		let at = self.client.at_current_block().await.map_err(rpc)?;
		block_number(at.block_number())
	}

	/// The hash of finalized block `number`.
	pub async fn block_hash(&self, number: u32) -> Result<[u8; 32], ChainError> {
		let at = self.client.at_block(u64::from(number)).await.map_err(rpc)?;
		Ok(at.block_hash().0)
	}

	/// Wait until block `number` is finalized, polling every `poll`.
	pub async fn wait_for_block(&self, number: u32, poll: Duration) -> Result<u32, ChainError> {
		loop {
			let now = self.finalized_number().await?;
			if now >= number {
				return Ok(now);
			}
			tokio::time::sleep(poll).await;
		}
	}

	/// Sign `call` with `signer`, submit it, and wait until it is in a finalized block and its
	/// dispatch succeeded.
	pub async fn submit<Call: Payload>(
		&self,
		call: &Call,
		signer: &Keypair,
	) -> Result<Finalized, ChainError> {
		let at = self.client.at_current_block().await.map_err(rpc)?;
		let metadata = at.metadata();
		let progress = at
			.transactions()
			.sign_and_submit_then_watch_default(call, signer)
			.await
			.map_err(|e| refusal(&metadata, &e.to_string()))?;
		let in_block =
			progress.wait_for_finalized().await.map_err(|e| refusal(&metadata, &e.to_string()))?;
		in_block.wait_for_success().await.map_err(|e| match e {
			TransactionEventsError::ExtrinsicFailed(dispatch) => dispatch_failure(dispatch),
			// The block or its events could not be read: the node may have gone away.
			other => ChainError::Rpc(other.to_string()),
		})?;
		let block = in_block.at().await.map_err(rpc)?;
		Ok(Finalized {
			block_number: block_number(block.block_number())?,
			block_hash: in_block.block_hash().0,
		})
	}
}

/// A pool refusal with its `Custom error: N` named after the CommitReveal error it stands for
/// (the `CheckCommitReveal` extension reports that pallet's error index).
fn refusal(metadata: &subxt::Metadata, message: &str) -> ChainError {
	let index = message
		.split("Custom error: ")
		.nth(1)
		.and_then(|rest| rest.split(|c: char| !c.is_ascii_digit()).next())
		.and_then(|digits| digits.parse::<u8>().ok());
	let named = index.and_then(|i| {
		let pallet = metadata.pallet_by_name("CommitReveal")?;
		let variant = pallet.error_variant_by_index(i)?;
		let error = <runtime::commit_reveal::Error as DecodeAsType>::decode_as_type(
			&mut &[i][..],
			pallet.error_ty_id()?,
			metadata.types(),
		)
		.ok()?;
		Some((error, format!("CommitReveal::{} ({})", variant.name, variant.docs.join(" "))))
	});
	match named {
		Some((error, name)) => ChainError::Refused {
			error: Some(Box::new(error)),
			message: format!("{name}; node said: {message}"),
		},
		None if message.contains("Invalid Transaction") || message.contains("1010") => {
			ChainError::Refused { error: None, message: message.to_owned() }
		}
		None => ChainError::Rpc(message.to_owned()),
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn metadata() -> subxt::Metadata {
		subxt::Metadata::decode_from(include_bytes!("../../metadata/galton.scale"))
			.expect("the committed metadata decodes")
	}

	#[test]
	fn a_pool_refusal_is_decoded_into_the_commit_reveal_error() {
		let refused = refusal(&metadata(), "1010: Invalid Transaction: Custom error: 6");
		assert!(matches!(
			refused.commit_reveal_error(),
			Some(runtime::commit_reveal::Error::CommitRateLimited)
		));
		assert!(refused.to_string().contains("CommitReveal::CommitRateLimited"), "{refused}");
		let last = refusal(&metadata(), "Invalid Transaction: Custom error: 27");
		assert!(matches!(
			last.commit_reveal_error(),
			Some(runtime::commit_reveal::Error::UseCommitReveal)
		));
	}

	#[test]
	fn other_refusals_and_failures_carry_no_pallet_error() {
		let fees = refusal(&metadata(), "1010: Invalid Transaction: Inability to pay some fees");
		assert!(matches!(fees, ChainError::Refused { error: None, .. }));
		let unknown = refusal(&metadata(), "Invalid Transaction: Custom error: 200");
		assert!(matches!(unknown, ChainError::Refused { error: None, .. }));
		assert!(matches!(refusal(&metadata(), "connection reset"), ChainError::Rpc(_)));
	}
}
