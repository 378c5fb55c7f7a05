//! Reads every part of the client shares: the client at a finalized block, a block's
//! timestamp, a subnet's owner, a hotkey's uid.

use galton_primitives::{NetUid, Uid};
use subxt::client::{ClientAtBlock, OnlineClientAtBlockImpl};

use super::{rpc, runtime, AccountId, Chain, ChainError, Config};

/// The client at one block.
pub(super) type At = ClientAtBlock<Config, OnlineClientAtBlockImpl<Config>>;

/// The client at the latest finalized block.
pub(super) async fn at_finalized(chain: &Chain) -> Result<At, ChainError> {
	chain.client().at_current_block().await.map_err(rpc)
}

/// The owner of subnet `netuid` at `at`, if there is such a subnet.
pub(super) async fn try_owner_at(at: &At, netuid: NetUid) -> Result<Option<AccountId>, ChainError> {
	let address = runtime::storage().subnets().subnet_owners();
	match at.storage().try_fetch(address, (netuid,)).await.map_err(rpc)? {
		Some(value) => value.decode().map(Some).map_err(rpc),
		None => Ok(None),
	}
}

/// The owner of subnet `netuid` at `at`; an error if there is no such subnet.
pub(super) async fn owner_at(at: &At, netuid: NetUid) -> Result<AccountId, ChainError> {
	try_owner_at(at, netuid)
		.await?
		.ok_or_else(|| ChainError::Unexpected(format!("subnet {netuid} does not exist")))
}

/// The timestamp of the block `at` (milliseconds since the Unix epoch).
pub(super) async fn timestamp_at(at: &At) -> Result<u64, ChainError> {
	let address = runtime::storage().timestamp().now();
	at.storage().fetch(address, ()).await.map_err(rpc)?.decode().map_err(rpc)
}

/// The uid of `who` on `netuid` at `at`, if it is registered.
pub(super) async fn uid_of(
	at: &At,
	netuid: NetUid,
	who: &AccountId,
) -> Result<Option<Uid>, ChainError> {
	let address = runtime::storage().subnets().uids();
	match at.storage().try_fetch(address, (netuid, *who)).await.map_err(rpc)? {
		Some(value) => value.decode().map(Some).map_err(rpc),
		None => Ok(None),
	}
}
