//! The chain client: subxt with code generated from the runtime's metadata
//! (`offchain-eval/metadata/galton.scale`; a test in `tests/` fails when it drifts from the
//! runtime).
//!
//! - [`Chain`]: a connection to a node, reads at the finalized head, and transactions that
//!   wait for finalization and turn failures into readable messages;
//! - [`Keypair`]: a signing key from a secret URI (`//Alice`, a mnemonic phrase, ...), a key
//!   file or a bittensor wallet's hotkey ([`wallet`]);
//! - [`SubnetState`]: what a validator round reads; [`MinerStanding`]: a miner's claims;
//! - [`BeaconState`]: the chain's randomness beacon, which timelocked weight commits are sealed
//!   to ([`seal_weights`]).

mod admin;
mod error;
mod history;
mod keypair;
mod read;
mod state;
mod timelock;
pub mod wallet;

use std::time::Duration;

pub use admin::{CallDescription, CallOrigin};
use error::{dispatch_failure, pool_refusal_code, refusal};
pub use error::{ChainError, DispatchFailure, Refusal};
pub use history::{read_history, EQUAL_STAKE};
pub use keypair::{KeyFileError, Keypair};
pub use state::{
	hash_owner, subnet_owner, MinerStanding, ModelEntry, Neuron, SubnetOverview, SubnetState,
	ValidatorStanding,
};
use subxt::{
	config::DefaultExtrinsicParamsBuilder,
	error::{
		BlocksError, ExtrinsicError, TransactionEventsError, TransactionProgressError,
		TransactionStatusError,
	},
	extrinsics::ExtrinsicEvents,
	rpcs::client::ReconnectingRpcClient,
	transactions::Payload,
	OnlineClient, PolkadotConfig,
};
pub use timelock::{
	commit_rounds, ensure_secret_beacon, seal_weights, BeaconState, RoundError, TimelockedEntry,
	ROUND_MARGIN,
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
		path = "galton_primitives::commit_reveal::RevealMode",
		with = "::subxt::utils::Static<::galton_primitives::RevealMode>"
	),
	substitute_type(
		path = "galton_timelock::beacon::BeaconInfo",
		with = "::subxt::utils::Static<::galton_timelock::BeaconInfo>"
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

use error::request_failed as rpc;

/// How many times a transaction is signed with a fresh nonce when another transaction of the
/// same key took the one it had.
pub const NONCE_ATTEMPTS: u32 = 5;

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
	rpc: subxt::rpcs::RpcClient,
	url: String,
}

impl Chain {
	/// Connect to the node at `url` (`ws://` or `wss://`), trying every `every` until
	/// `attempts` have failed (`None`: for ever); each failure is logged.
	///
	/// The connection mends itself on the same terms: when it drops, it is made again, and
	/// reads and subscriptions cut with it are sent again once it is back (subxt retries
	/// them). Only a submission in flight fails, for the caller to follow up from its journal.
	/// Past `attempts` the connection ends and every request fails with a transient error.
	pub async fn connect_with_retry(
		url: &str,
		every: Duration,
		attempts: Option<u32>,
	) -> Result<Self, ChainError> {
		let refused = |reason: String| ChainError::Connect { url: url.to_owned(), reason };
		let retries = attempts.map_or(usize::MAX, |n| n.saturating_sub(1) as usize);
		let logged_url = url.to_owned();
		let policy = std::iter::repeat_n(every, retries).inspect(
			move |every| tracing::warn!(url = %logged_url, "node unreachable, trying again in {every:?}"),
		);
		let reconnecting = ReconnectingRpcClient::builder()
			.retry_policy(policy)
			.build(url)
			.await
			.map_err(|e| refused(e.to_string()))?;
		let rpc = subxt::rpcs::RpcClient::new(reconnecting);
		// The client's first reads (methods, genesis, metadata) are tried on the same terms.
		let mut failures = 0u32;
		let client = loop {
			match OnlineClient::<Config>::from_rpc_client(rpc.clone()).await {
				Ok(client) => break client,
				Err(e) => {
					failures += 1;
					if attempts.is_some_and(|n| failures >= n) {
						return Err(refused(e.to_string()));
					}
					tracing::warn!(%url, error = %e, "node not ready, trying again in {every:?}");
					tokio::time::sleep(every).await;
				}
			}
		};
		Ok(Self { client, rpc, url: url.to_owned() })
	}

	/// A JSON-RPC read of this client's own, sent again when the connection dropped before
	/// its answer came (a read: sending it twice is harmless).
	async fn read_rpc<R: serde::de::DeserializeOwned>(
		&self,
		method: &str,
		params: subxt::rpcs::client::RpcParams,
	) -> Result<R, ChainError> {
		loop {
			match self.rpc.request(method, params.clone()).await {
				Err(subxt::rpcs::Error::DisconnectedWillReconnect(_)) => continue,
				answer => return answer.map_err(rpc),
			}
		}
	}

	/// Whether the node says its chain is a development chain (`--dev`): the only kind on
	/// which weights may be sealed to the development beacon without being told to.
	pub async fn is_development_chain(&self) -> Result<bool, ChainError> {
		let chain_type: serde_json::Value =
			self.read_rpc("system_chainType", subxt::rpcs::rpc_params![]).await?;
		Ok(chain_type.as_str() == Some("Development"))
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
		Ok(self.finalized_block().await?.0)
	}

	/// The number and hash of the latest finalized block.
	pub async fn finalized_block(&self) -> Result<(u32, [u8; 32]), ChainError> {
		let at = self.client.at_current_block().await.map_err(rpc)?;
		Ok((block_number(at.block_number())?, at.block_hash().0))
	}

	/// The next nonce of `account` as the node counts it, its transaction pool included: a
	/// second process signing with the same key (a validator per subnet, a `subnet` command
	/// beside a validator) does not reuse a nonce still in the pool.
	pub async fn next_nonce(&self, account: &AccountId) -> Result<u64, ChainError> {
		self.read_rpc("system_accountNextIndex", subxt::rpcs::rpc_params![account.to_string()])
			.await
	}

	/// A constant of the runtime at the finalized head, such as
	/// `runtime::constants().commit_reveal().round_slack()`.
	pub async fn constant<Addr: subxt::constants::Address>(
		&self,
		address: Addr,
	) -> Result<Addr::Target, ChainError> {
		let at = self.client.at_current_block().await.map_err(rpc)?;
		at.constants().entry(address).map_err(rpc)
	}

	/// The hash of finalized block `number`.
	pub async fn block_hash(&self, number: u32) -> Result<[u8; 32], ChainError> {
		let at = self.client.at_block(u64::from(number)).await.map_err(rpc)?;
		Ok(at.block_hash().0)
	}

	/// The mean time between the last (up to) 100 finalized blocks, from their timestamps;
	/// `None` while the chain has too few blocks to tell (the genesis block has no timestamp).
	pub async fn block_time(&self) -> Result<Option<Duration>, ChainError> {
		/// How many blocks back the mean is taken over.
		const SPAN: u32 = 100;
		let head = self.finalized_number().await?;
		if head < 2 {
			return Ok(None);
		}
		let from = head.saturating_sub(SPAN).max(1);
		let now = self.timestamp(head).await?;
		let then = self.timestamp(from).await?;
		Ok(Some(Duration::from_millis(now.saturating_sub(then) / u64::from(head - from))))
	}

	/// The timestamp (milliseconds since the Unix epoch) of finalized block `number`.
	async fn timestamp(&self, number: u32) -> Result<u64, ChainError> {
		read::timestamp_at(&self.client.at_block(u64::from(number)).await.map_err(rpc)?).await
	}

	/// Wait until block `number` is finalized, following the node's finalized-block
	/// subscription; returns the number and hash of the finalized block seen.
	pub async fn wait_for_block(&self, number: u32) -> Result<(u32, [u8; 32]), ChainError> {
		// Subscribe first, then look: a block finalized in between is not missed.
		let mut finalized = self.client.stream_blocks().await.map_err(rpc)?;
		let now = self.finalized_block().await?;
		if now.0 >= number {
			return Ok(now);
		}
		while let Some(block) = finalized.next().await {
			let block = match block {
				// The connection dropped; the stream follows the node again once it is back.
				Err(BlocksError::CannotGetBlockHeader(e)) if e.is_disconnected_will_reconnect() => {
					continue
				}
				block => block.map_err(rpc)?,
			};
			let now = block_number(block.number())?;
			if now >= number {
				return Ok((now, block.hash().0));
			}
		}
		Err(error::request_ended("the node ended the finalized-block subscription"))
	}

	/// Sign `call` with `signer`, submit it, and wait until it is in a finalized block and its
	/// dispatch succeeded. A refusal by the pool is explained by the runtime itself (its
	/// `validate_transaction`), so the error is typed, never read from the node's message.
	pub async fn submit<Call: Payload>(
		&self,
		call: &Call,
		signer: &Keypair,
	) -> Result<Finalized, ChainError> {
		Ok(self.submit_for_events(call, signer).await?.0)
	}

	/// [`Chain::submit`], returning the events the transaction emitted too.
	///
	/// The nonce is the node's next index for the signer, pool included; when another process
	/// signing with the same key takes that nonce first, the transaction is signed again with
	/// a fresh one, up to [`NONCE_ATTEMPTS`] times.
	pub async fn submit_for_events<Call: Payload>(
		&self,
		call: &Call,
		signer: &Keypair,
	) -> Result<(Finalized, ExtrinsicEvents<Config>), ChainError> {
		let account = signer.account_id();
		let mut attempt = 1;
		loop {
			let nonce = self.next_nonce(&account).await?;
			match self.submit_with_nonce(call, signer, nonce).await {
				Err(error) if error.nonce_may_be_stale() && attempt < NONCE_ATTEMPTS => {
					tracing::info!(nonce, %error, "nonce taken by another transaction; signing again");
					attempt += 1;
				}
				done => return done,
			}
		}
	}

	/// Sign `call` with `nonce`, submit it and follow it to finality.
	async fn submit_with_nonce<Call: Payload>(
		&self,
		call: &Call,
		signer: &Keypair,
		nonce: u64,
	) -> Result<(Finalized, ExtrinsicEvents<Config>), ChainError> {
		let at = self.client.at_current_block().await.map_err(rpc)?;
		let params = DefaultExtrinsicParamsBuilder::<Config>::new().nonce(nonce).build();
		let transaction =
			at.transactions().create_signed(call, signer, params).await.map_err(rpc)?;
		let progress = match transaction.submit_and_watch().await {
			Ok(progress) => progress,
			Err(ExtrinsicError::ErrorSubmittingTransaction(error)) => {
				return Err(match pool_refusal_code(&error) {
					Some(code) => {
						self.refused(transaction.encoded(), Some(code), error.to_string()).await
					}
					None => rpc(error),
				});
			}
			Err(other) => return Err(rpc(other)),
		};
		let in_block = match progress.wait_for_finalized().await {
			Ok(in_block) => in_block,
			Err(TransactionProgressError::TransactionStatusError(status)) => {
				return Err(match status {
					TransactionStatusError::Invalid(message) => {
						self.refused(transaction.encoded(), None, message).await
					}
					TransactionStatusError::Dropped(message) => {
						ChainError::Refused { refusal: Refusal::Dropped, message }
					}
					other => rpc(other),
				});
			}
			Err(other) => return Err(rpc(other)),
		};
		let events = in_block.wait_for_success().await.map_err(|e| match e {
			TransactionEventsError::ExtrinsicFailed(dispatch) => {
				dispatch_failure(&at.metadata(), dispatch)
			}
			// The block or its events could not be read: the node may have gone away.
			other => rpc(other),
		})?;
		let block = in_block.at().await.map_err(rpc)?;
		let finalized = Finalized {
			block_number: block_number(block.block_number())?,
			block_hash: in_block.block_hash().0,
		};
		Ok((finalized, events))
	}

	/// Why the pool refused `encoded`: the runtime validates it again at the finalized head
	/// and its typed answer becomes the [`Refusal`]. `code` is the pool's own error code, when
	/// it refused the transaction at submission.
	async fn refused(&self, encoded: &[u8], code: Option<i32>, message: String) -> ChainError {
		let validity = async {
			let at = self.client.at_current_block().await.map_err(rpc)?;
			let result =
				at.transactions().from_bytes(encoded.to_vec()).validate().await.map_err(rpc)?;
			Ok::<_, ChainError>((result, at.metadata()))
		};
		match validity.await {
			Ok((result, metadata)) => refusal(&metadata, result, code, message),
			Err(error) => error,
		}
	}
}
