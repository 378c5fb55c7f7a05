//! A subnet's history read from the chain's state at past blocks, in the form the reveal-interval
//! advisor takes ([`galton_engine::metagraph`]).
//!
//! At each epoch boundary it reads the subnet's uids, validator permits, the weights in force
//! and the registration blocks. Galton keeps no stake and no last-update block: stakes come from
//! the caller (or are equal across the permitted validators), and a uid with weights counts as
//! having updated them the block before the boundary (Galton's weights stay in force until they
//! are replaced), a uid without as having last updated at its registration. Reading a past
//! block needs its state: an archive node (`galton-node --state-pruning archive`).

use galton_engine::metagraph::{EpochRecord, History};
use galton_primitives::NetUid;

use super::{
	read::{owner_at, At},
	rpc, runtime, Chain, ChainError,
};

/// How many uids one `RegistrationBlocks` entry holds (the pallet's `UIDS_PER_ENTRY`).
const UIDS_PER_ENTRY: usize = 256;

/// The stake each permitted validator gets when none is given: one TAO in rao.
pub const EQUAL_STAKE: u64 = 1_000_000_000;

/// Subnet `netuid` at each of `boundaries` (increasing block numbers), epochs `tempo` blocks
/// apart. `stakes[uid]` is a uid's stake (missing uids: none); without it each permitted
/// validator has [`EQUAL_STAKE`].
pub async fn read_history(
	chain: &Chain,
	netuid: NetUid,
	boundaries: &[u32],
	tempo: u32,
	stakes: Option<&[u64]>,
	mut progress: impl FnMut(u32),
) -> Result<History, ChainError> {
	let mut epochs = Vec::with_capacity(boundaries.len());
	for &block in boundaries {
		let at = chain.client().at_block(u64::from(block)).await.map_err(rpc)?;
		owner_at(&at, netuid).await?;
		epochs.push(epoch_at(&at, netuid, block, tempo, stakes).await?);
		progress(block);
	}
	Ok(History { epochs })
}

/// One epoch record from the state at `at`.
async fn epoch_at(
	at: &At,
	netuid: NetUid,
	block: u32,
	tempo: u32,
	stakes: Option<&[u64]>,
) -> Result<EpochRecord, ChainError> {
	let storage = at.storage();
	let subnets = runtime::storage().subnets();
	let mut uids = Vec::new();
	let mut keys = storage.iter(subnets.keys(), (netuid,)).await.map_err(rpc)?;
	while let Some(entry) = keys.next().await {
		let (_, uid): (NetUid, u16) =
			entry.map_err(rpc)?.key().map_err(rpc)?.decode().map_err(rpc)?;
		uids.push(uid);
	}
	let n = uids.iter().map(|uid| usize::from(*uid) + 1).max().unwrap_or(0);
	let mut permits = vec![false; n];
	let mut weights = vec![Vec::new(); n];
	let mut registered_at = vec![0u64; n];
	for &uid in &uids {
		let index = usize::from(uid);
		permits[index] = storage
			.try_fetch(subnets.validator_permits(), (netuid, uid))
			.await
			.map_err(rpc)?
			.is_some();
		if let Some(value) =
			storage.try_fetch(subnets.weights(), (netuid, uid)).await.map_err(rpc)?
		{
			weights[index] = value.decode().map_err(rpc)?.0;
		}
	}
	for entry in 0..n.div_ceil(UIDS_PER_ENTRY) {
		let key = (netuid, entry as u16);
		if let Some(value) =
			storage.try_fetch(subnets.registration_blocks(), key).await.map_err(rpc)?
		{
			let blocks: Vec<u32> = value.decode().map_err(rpc)?.0;
			for (offset, registered) in blocks.iter().enumerate() {
				if let Some(cell) = registered_at.get_mut(entry * UIDS_PER_ENTRY + offset) {
					*cell = u64::from(*registered);
				}
			}
		}
	}
	// Weights on uids the subnet no longer holds cannot be in force; the advisor refuses them.
	for row in &mut weights {
		row.retain(|(target, _)| usize::from(*target) < n);
	}
	let stakes: Vec<u64> = (0..n)
		.map(|uid| match stakes {
			Some(stakes) => stakes.get(uid).copied().unwrap_or(0),
			None if permits[uid] => EQUAL_STAKE,
			None => 0,
		})
		.collect();
	let last_update = (0..n)
		.map(|uid| {
			if weights[uid].is_empty() {
				registered_at[uid]
			} else {
				u64::from(block.saturating_sub(1))
			}
		})
		.collect();
	Ok(EpochRecord {
		block: u64::from(block),
		tempo: u64::from(tempo),
		stakes,
		permits,
		registered_at,
		last_update,
		weights,
	})
}
