//! What a validator round and `status` read from the chain, at one finalized block.

use galton_primitives::{
	Announcement, ClaimConfig, Competition, CompetitionId, ModelCommitment, NetUid, PendingCommit,
	RevealConfig, RevealMode, Uid,
};
use sp_arithmetic::Perbill;
use subxt::utils::Static;

use super::{
	block_number,
	read::{at_finalized, owner_at, try_owner_at, uid_of, At},
	rpc, runtime,
	timelock::{timelocked_commits, BeaconState, TimelockedEntry},
	AccountId, Chain, ChainError,
};

/// A miner's model commitment, with the miner's uid and the model's epsilon at the block read.
#[derive(Clone, Debug, PartialEq)]
pub struct ModelEntry {
	/// The miner's hotkey.
	pub hotkey: AccountId,
	/// The hotkey's uid on the subnet (`None` if it was deregistered since).
	pub uid: Option<Uid>,
	/// The commitment.
	pub commitment: ModelCommitment<u32>,
	/// Its epsilon at the block read.
	pub epsilon: Perbill,
}

/// A subnet's state at one finalized block.
#[derive(Clone, Debug, PartialEq)]
pub struct SubnetState {
	/// The subnet.
	pub netuid: NetUid,
	/// The block read.
	pub block: u32,
	/// Commit-reveal settings.
	pub reveal_config: RevealConfig<u32>,
	/// How validators hide their weights when commit-reveal is on: hash commits, or commits
	/// timelocked to the chain's beacon.
	pub reveal_mode: RevealMode,
	/// When announced models may be committed.
	pub claim_config: ClaimConfig<u32>,
	/// The competitions, by id.
	pub competitions: Vec<(CompetitionId, Competition)>,
	/// Every model commitment.
	pub models: Vec<ModelEntry>,
	/// The version key weights must carry.
	pub version_key: u64,
	/// The fewest blocks between two model commits of one hotkey.
	pub model_commit_interval: u32,
}

impl SubnetState {
	/// Read subnet `netuid` at the latest finalized block.
	pub async fn read(chain: &Chain, netuid: NetUid) -> Result<Self, ChainError> {
		let at = at_finalized(chain).await?;
		owner_at(&at, netuid).await?;
		Self::read_at(&at, netuid).await
	}

	async fn read_at(at: &At, netuid: NetUid) -> Result<Self, ChainError> {
		let apis = at.runtime_apis();
		let Static(reveal_config) = apis
			.call(runtime::runtime_apis().commit_reveal_api().reveal_config(netuid))
			.await
			.map_err(rpc)?;
		let Static(claim_config) = apis
			.call(runtime::runtime_apis().model_registry_api().claim_config(netuid))
			.await
			.map_err(rpc)?;
		let competitions = apis
			.call(runtime::runtime_apis().model_registry_api().competitions(netuid))
			.await
			.map_err(rpc)?
			.into_iter()
			.map(|(id, Static(competition))| (id, competition))
			.collect();
		let mut models = Vec::new();
		for (hotkey, Static(commitment), Static(epsilon)) in apis
			.call(runtime::runtime_apis().model_registry_api().models(netuid))
			.await
			.map_err(rpc)?
		{
			let uid = uid_of(at, netuid, &hotkey).await?;
			models.push(ModelEntry { hotkey, uid, commitment, epsilon });
		}
		let Static(reveal_mode) = at
			.storage()
			.fetch(runtime::storage().commit_reveal().reveal_modes(), (netuid,))
			.await
			.map_err(rpc)?
			.decode()
			.map_err(rpc)?;
		let version_key = at
			.storage()
			.fetch(runtime::storage().subnets().weights_version_keys(), (netuid,))
			.await
			.map_err(rpc)?
			.decode()
			.map_err(rpc)?;
		let model_commit_interval = at
			.storage()
			.fetch(runtime::storage().model_registry().commit_intervals(), (netuid,))
			.await
			.map_err(rpc)?
			.decode()
			.map_err(rpc)?;
		let block = block_number(at.block_number())?;
		Ok(Self {
			netuid,
			block,
			reveal_config,
			reveal_mode,
			claim_config,
			competitions,
			models,
			version_key,
			model_commit_interval,
		})
	}
}

/// A neuron of a subnet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Neuron {
	/// Its uid.
	pub uid: Uid,
	/// Its hotkey.
	pub hotkey: AccountId,
	/// Whether it holds a validator permit.
	pub permit: bool,
	/// The weights it last set (revealed), as `(uid, weight)`.
	pub weights: Vec<(Uid, u16)>,
}

/// Everything about a subnet, at one finalized block: what `status` prints.
#[derive(Clone, Debug, PartialEq)]
pub struct SubnetOverview {
	/// The settings, competitions and models a validator round reads.
	pub state: SubnetState,
	/// The subnet's owner.
	pub owner: AccountId,
	/// The neurons, by uid.
	pub neurons: Vec<Neuron>,
	/// The chain's randomness beacon, if it has one.
	pub beacon: Option<BeaconState>,
	/// The timelocked commits waiting for their round, in the order they open.
	pub timelocked: Vec<TimelockedEntry>,
}

impl SubnetOverview {
	/// Read subnet `netuid` at the latest finalized block.
	pub async fn read(chain: &Chain, netuid: NetUid) -> Result<Self, ChainError> {
		let at = at_finalized(chain).await?;
		let owner = owner_at(&at, netuid).await?;
		let state = SubnetState::read_at(&at, netuid).await?;
		let storage = at.storage();
		let subnets = runtime::storage().subnets();
		let mut neurons = Vec::new();
		let mut keys = storage.iter(subnets.keys(), (netuid,)).await.map_err(rpc)?;
		while let Some(entry) = keys.next().await {
			let entry = entry.map_err(rpc)?;
			let (_, uid) = entry.key().map_err(rpc)?.decode().map_err(rpc)?;
			let hotkey = entry.value().decode().map_err(rpc)?;
			let permit = storage
				.try_fetch(subnets.validator_permits(), (netuid, uid))
				.await
				.map_err(rpc)?
				.is_some();
			let weights =
				match storage.try_fetch(subnets.weights(), (netuid, uid)).await.map_err(rpc)? {
					Some(value) => value.decode().map_err(rpc)?.0,
					None => Vec::new(),
				};
			neurons.push(Neuron { uid, hotkey, permit, weights });
		}
		neurons.sort_by_key(|n| n.uid);
		let beacon = BeaconState::read_at(&at).await?;
		let timelocked = timelocked_commits(&at, netuid).await?;
		Ok(Self { state, owner, neurons, beacon, timelocked })
	}
}

/// A validator's standing on a subnet.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ValidatorStanding {
	/// The finalized block read.
	pub block: u32,
	/// Its uid, if registered.
	pub uid: Option<Uid>,
	/// Whether it holds a validator permit.
	pub permit: bool,
	/// Its commits waiting for a reveal.
	pub pending: Vec<PendingCommit<u32>>,
	/// The weights it last set (revealed), as `(uid, weight)`.
	pub weights: Vec<(Uid, u16)>,
}

impl ValidatorStanding {
	/// Read `who`'s standing on `netuid` at the latest finalized block.
	pub async fn read(chain: &Chain, netuid: NetUid, who: &AccountId) -> Result<Self, ChainError> {
		let at = at_finalized(chain).await?;
		let uid = uid_of(&at, netuid, who).await?;
		let (permit, weights) = match uid {
			Some(uid) => {
				let storage = at.storage();
				let permit = storage
					.try_fetch(runtime::storage().subnets().validator_permits(), (netuid, uid))
					.await
					.map_err(rpc)?
					.is_some();
				let weights = match storage
					.try_fetch(runtime::storage().subnets().weights(), (netuid, uid))
					.await
					.map_err(rpc)?
				{
					Some(value) => value.decode().map_err(rpc)?.0,
					None => Vec::new(),
				};
				(permit, weights)
			}
			None => (false, Vec::new()),
		};
		let pending = at
			.runtime_apis()
			.call(runtime::runtime_apis().commit_reveal_api().pending_commits(netuid, *who))
			.await
			.map_err(rpc)?
			.into_iter()
			.map(|Static(commit)| commit)
			.collect();
		Ok(Self { block: block_number(at.block_number())?, uid, permit, pending, weights })
	}
}

/// A miner's claims on a subnet.
#[derive(Clone, Debug, PartialEq)]
pub struct MinerStanding {
	/// The finalized block read.
	pub block: u32,
	/// Its announcements whose commit window has not closed, oldest first.
	pub announcements: Vec<Announcement<u32>>,
	/// Its committed model, if any.
	pub model: Option<ModelCommitment<u32>>,
}

impl MinerStanding {
	/// Read `who`'s claims on `netuid` at the latest finalized block.
	pub async fn read(chain: &Chain, netuid: NetUid, who: &AccountId) -> Result<Self, ChainError> {
		let at = at_finalized(chain).await?;
		let apis = at.runtime_apis();
		let registry = runtime::runtime_apis().model_registry_api();
		let announcements = apis
			.call(registry.announcements(netuid, *who))
			.await
			.map_err(rpc)?
			.into_iter()
			.map(|Static(announcement)| announcement)
			.collect();
		let address = runtime::storage().model_registry().models();
		let model = match at.storage().try_fetch(address, (netuid, *who)).await.map_err(rpc)? {
			Some(value) => Some(value.decode().map_err(rpc)?.0),
			None => None,
		};
		Ok(Self { block: block_number(at.block_number())?, announcements, model })
	}
}

/// The hotkey that holds `content_hash` on `netuid` (the first to announce it), if any.
pub async fn hash_owner(
	chain: &Chain,
	netuid: NetUid,
	content_hash: [u8; 32],
) -> Result<Option<AccountId>, ChainError> {
	let at = at_finalized(chain).await?;
	let address = runtime::storage().model_registry().hash_owners();
	match at
		.storage()
		.try_fetch(address, (netuid, subxt::utils::H256(content_hash)))
		.await
		.map_err(rpc)?
	{
		Some(value) => value.decode().map(Some).map_err(rpc),
		None => Ok(None),
	}
}

/// The owner of subnet `netuid`, if there is such a subnet.
pub async fn subnet_owner(chain: &Chain, netuid: NetUid) -> Result<Option<AccountId>, ChainError> {
	try_owner_at(&at_finalized(chain).await?, netuid).await
}
