//! Typed access to a Galton chain over JSON-RPC: blocks, storage, events, runtime APIs and
//! signed transactions.

use codec::{Decode, Encode};
use galton_primitives::{
	Announcement, ClaimConfig, Competition, CompetitionId, ModelCommitment, NetUid, PendingCommit,
	RevealConfig,
};
use galton_runtime::{
	transaction, AccountId, Balance, Hash, Header, RuntimeCall, RuntimeEvent, UncheckedExtrinsic,
};
use polkadot_sdk::{
	frame_support::storage::storage_prefix,
	frame_system,
	sp_core::{bytes, crypto::Ss58Codec, sr25519, Bytes, Pair},
	sp_keyring::Sr25519Keyring,
	sp_runtime::{
		transaction_validity::{TransactionSource, TransactionValidity},
		DispatchError, ModuleError, Perbill,
	},
};
use serde_json::json;
use std::{
	thread,
	time::{Duration, Instant},
};

use crate::{Rpc, RpcError};

/// How often waits poll the node.
const POLL: Duration = Duration::from_millis(100);

/// A Galton chain reached through one node's RPC endpoint.
#[derive(Clone)]
pub struct Chain {
	rpc: Rpc,
}

/// `error` as it reads when decoded from an event: module errors lose their message.
pub fn module_error(error: impl Into<DispatchError>) -> DispatchError {
	match error.into() {
		DispatchError::Module(ModuleError { index, error, .. }) => {
			DispatchError::Module(ModuleError { index, error, message: None })
		}
		other => other,
	}
}

impl Chain {
	/// The chain behind `rpc`.
	pub fn new(rpc: Rpc) -> Self {
		Chain { rpc }
	}

	/// The raw RPC client.
	pub fn rpc(&self) -> &Rpc {
		&self.rpc
	}

	/// The header of block `hash`, or of the best block.
	pub fn header(&self, hash: Option<Hash>) -> Result<Header, RpcError> {
		self.rpc.call("chain_getHeader", json!([hash]))
	}

	/// The number of the best block.
	pub fn best_number(&self) -> Result<u32, RpcError> {
		self.header(None).map(|header| header.number)
	}

	/// The number of the last finalized block.
	pub fn finalized_number(&self) -> Result<u32, RpcError> {
		let hash: Hash = self.rpc.call("chain_getFinalizedHead", json!([]))?;
		self.header(Some(hash)).map(|header| header.number)
	}

	/// The hash of block `number`.
	pub fn block_hash(&self, number: u32) -> Result<Hash, RpcError> {
		self.rpc.call("chain_getBlockHash", json!([number]))
	}

	/// The nonce `signer`'s next transaction must carry, counting those in the pool.
	pub fn next_nonce(&self, signer: Sr25519Keyring) -> Result<u32, RpcError> {
		self.nonce_of(&signer.pair())
	}

	/// The nonce the next transaction signed by `pair` must carry, counting those in the pool.
	fn nonce_of(&self, pair: &sr25519::Pair) -> Result<u32, RpcError> {
		let account = AccountId::from(pair.public());
		self.rpc.call("system_accountNextIndex", json!([account.to_ss58check()]))
	}

	/// Sign `call` with `signer`'s next nonce and submit it; returns its hash once the pool
	/// accepted it, or the pool's refusal.
	pub fn submit(&self, signer: Sr25519Keyring, call: RuntimeCall) -> Result<Hash, RpcError> {
		self.submit_with_tip(signer, call, 0)
	}

	/// [`Chain::submit`], paying `tip` for a higher place in the pool.
	pub fn submit_with_tip(
		&self,
		signer: Sr25519Keyring,
		call: RuntimeCall,
		tip: Balance,
	) -> Result<Hash, RpcError> {
		self.submit_signed(&signer.pair(), call, tip)
	}

	/// [`Chain::submit`] signed by any sr25519 key, not only a well-known one.
	pub fn submit_as(&self, pair: &sr25519::Pair, call: RuntimeCall) -> Result<Hash, RpcError> {
		self.submit_signed(pair, call, 0)
	}

	fn submit_signed(
		&self,
		pair: &sr25519::Pair,
		call: RuntimeCall,
		tip: Balance,
	) -> Result<Hash, RpcError> {
		let genesis = self.block_hash(0)?;
		let nonce = self.nonce_of(pair)?;
		let extrinsic = transaction::sign_with_tip(call, pair, nonce, genesis, tip);
		let encoded = bytes::to_hex(&extrinsic.encode(), false);
		self.rpc.call("author_submitExtrinsic", json!([encoded]))
	}

	/// Submit an already encoded extrinsic as it is; returns its hash, or the pool's refusal.
	pub fn submit_encoded(&self, extrinsic: &impl Encode) -> Result<Hash, RpcError> {
		let encoded = bytes::to_hex(&extrinsic.encode(), false);
		self.rpc.call("author_submitExtrinsic", json!([encoded]))
	}

	/// What the runtime's `TaggedTransactionQueue` says of `extrinsic` at the best block, as
	/// the pool asks it (typed, not the node's message).
	pub fn validate(&self, extrinsic: &impl Encode) -> Result<TransactionValidity, RpcError> {
		let best: Hash = self.rpc.call("chain_getBlockHash", json!([]))?;
		let args = (TransactionSource::External, extrinsic, best);
		self.state_call("TaggedTransactionQueue_validate_transaction", args)
	}

	/// The extrinsics of block `at`, decoded.
	pub fn extrinsics(&self, at: Hash) -> Result<Vec<UncheckedExtrinsic>, RpcError> {
		let block: serde_json::Value = self.rpc.call("chain_getBlock", json!([at]))?;
		let encoded = block["block"]["extrinsics"].as_array().cloned().unwrap_or_default();
		encoded
			.iter()
			.map(|hex| {
				let hex = hex.as_str().unwrap_or_default();
				let raw = bytes::from_hex(hex)
					.map_err(|error| RpcError::Transport(format!("extrinsic hex: {error:?}")))?;
				UncheckedExtrinsic::decode(&mut &raw[..])
					.map_err(|error| RpcError::Transport(format!("undecodable extrinsic: {error}")))
			})
			.collect()
	}

	/// The value at storage `key` in block `at` (the best block if `None`), decoded.
	pub fn storage<T: Decode>(&self, key: &[u8], at: Option<Hash>) -> Result<Option<T>, RpcError> {
		let key = bytes::to_hex(key, false);
		let value: Option<Bytes> = self.rpc.call("state_getStorage", json!([key, at]))?;
		value
			.map(|value| {
				T::decode(&mut &value.0[..])
					.map_err(|error| RpcError::Transport(format!("undecodable storage: {error}")))
			})
			.transpose()
	}

	/// The events of block `at`.
	pub fn events(&self, at: Hash) -> Result<Vec<RuntimeEvent>, RpcError> {
		let key = storage_prefix(b"System", b"Events");
		let records: Option<Vec<frame_system::EventRecord<RuntimeEvent, Hash>>> =
			self.storage(&key, Some(at))?;
		Ok(records.unwrap_or_default().into_iter().map(|record| record.event).collect())
	}

	/// The events of blocks `from..=to`.
	pub fn events_between(&self, from: u32, to: u32) -> Result<Vec<RuntimeEvent>, RpcError> {
		let mut events = Vec::new();
		for number in from..=to {
			events.extend(self.events(self.block_hash(number)?)?);
		}
		Ok(events)
	}

	/// `CommitRevealApi::pending_commits`: `who`'s commits on `netuid` waiting for a reveal.
	pub fn pending_commits(
		&self,
		netuid: NetUid,
		who: &AccountId,
	) -> Result<Vec<PendingCommit<u32>>, RpcError> {
		self.state_call("CommitRevealApi_pending_commits", (netuid, who))
	}

	/// `CommitRevealApi::reveal_config` of `netuid`.
	pub fn reveal_config(&self, netuid: NetUid) -> Result<RevealConfig<u32>, RpcError> {
		self.state_call("CommitRevealApi_reveal_config", netuid)
	}

	/// `ModelRegistryApi::announcements`: `who`'s announcements on `netuid` still open.
	pub fn announcements(
		&self,
		netuid: NetUid,
		who: &AccountId,
	) -> Result<Vec<Announcement<u32>>, RpcError> {
		self.state_call("ModelRegistryApi_announcements", (netuid, who))
	}

	/// `ModelRegistryApi::claim_config` of `netuid`.
	pub fn claim_config(&self, netuid: NetUid) -> Result<ClaimConfig<u32>, RpcError> {
		self.state_call("ModelRegistryApi_claim_config", netuid)
	}

	/// `ModelRegistryApi::competitions` of `netuid`.
	pub fn competitions(
		&self,
		netuid: NetUid,
	) -> Result<Vec<(CompetitionId, Competition)>, RpcError> {
		self.state_call("ModelRegistryApi_competitions", netuid)
	}

	/// `ModelRegistryApi::models` of `netuid`: each hotkey's commitment and its epsilon now.
	pub fn models(
		&self,
		netuid: NetUid,
	) -> Result<Vec<(AccountId, ModelCommitment<u32>, Perbill)>, RpcError> {
		self.state_call("ModelRegistryApi_models", netuid)
	}

	/// `ModelRegistryApi::effective_epsilon` of `who`'s model on `netuid`, if it has one.
	pub fn effective_epsilon(
		&self,
		netuid: NetUid,
		who: &AccountId,
	) -> Result<Option<Perbill>, RpcError> {
		self.state_call("ModelRegistryApi_effective_epsilon", (netuid, who))
	}

	/// Call runtime API `method` (e.g. `ModelRegistryApi_models`) with SCALE-encoded `args` at
	/// the best block, and decode its answer.
	pub fn state_call<T: Decode>(&self, method: &str, args: impl Encode) -> Result<T, RpcError> {
		let args = bytes::to_hex(&args.encode(), false);
		let answer: Bytes = self.rpc.call("state_call", json!([method, args]))?;
		T::decode(&mut &answer.0[..])
			.map_err(|error| RpcError::Transport(format!("{method}: undecodable answer: {error}")))
	}

	/// Poll `check` until it returns `Some`, at most `timeout`; panics naming `what` on timeout.
	pub fn wait_for<T>(
		&self,
		what: &str,
		timeout: Duration,
		mut check: impl FnMut(&Chain) -> Option<T>,
	) -> T {
		let started = Instant::now();
		loop {
			if let Some(value) = check(self) {
				return value;
			}
			assert!(started.elapsed() < timeout, "timed out after {timeout:?} waiting for {what}");
			thread::sleep(POLL);
		}
	}

	/// Wait for one block past the best one, so that the transaction pool validates against
	/// the state a caller has just read: the pool takes up a new block's state after the node
	/// reports it, so a submission right after a storage read can still meet the block before.
	/// Once the next block is built on it, the pool has moved on.
	pub fn settle(&self, timeout: Duration) -> u32 {
		let best = self.best_number().expect("the node reports its best block");
		self.wait_for_block(best + 1, timeout)
	}

	/// Wait until the best block is at least `number`; returns the best block number.
	pub fn wait_for_block(&self, number: u32, timeout: Duration) -> u32 {
		self.wait_for(&format!("block {number}"), timeout, |chain| {
			chain.best_number().ok().filter(|best| *best >= number)
		})
	}
}
