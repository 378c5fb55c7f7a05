//! Aura block authoring and GRANDPA finality, for every chain but the devnet: authorities take
//! turns by slot (the runtime's `MILLISECS_PER_BLOCK`), and blocks are final once two thirds of
//! the GRANDPA authorities have voted for them.

use galton_runtime::opaque::Block;
use polkadot_sdk::{
	sc_client_api::BlockBackend,
	sc_consensus_aura::{ImportQueueParams, SlotProportion, StartAuraParams},
	sc_consensus_grandpa::SharedVoterState,
	sc_network::service::NotificationMetrics,
	sc_service::{error::Error as ServiceError, Configuration, TaskManager, WarpSyncConfig},
	sc_telemetry::Telemetry,
	sc_transaction_pool_api::OffchainTransactionPoolFactory,
	sp_consensus_aura::sr25519::{AuthorityId as AuraId, AuthorityPair as AuraPair},
	sp_keystore::KeystorePtr,
	sp_runtime::traits::Block as BlockT,
	*,
};
use std::{sync::Arc, time::Duration};

use super::{
	beacon::{InherentDataProvider, PulseBuffer},
	FullBackend, FullClient, FullSelectChain, Pool,
};

/// How often (in blocks) GRANDPA justifications are kept and imported.
const GRANDPA_JUSTIFICATION_PERIOD: u32 = 512;

/// GRANDPA's block import, which every imported block goes through, and its link to the voter.
pub type GrandpaParts = (
	sc_consensus_grandpa::GrandpaBlockImport<FullBackend, Block, FullClient, FullSelectChain>,
	sc_consensus_grandpa::LinkHalf<Block, FullClient, FullSelectChain>,
);

/// The timestamp and slot every Aura block carries, from the wall clock.
fn slot_and_timestamp(
	slot_duration: sp_consensus_aura::SlotDuration,
) -> (sp_consensus_aura::inherents::InherentDataProvider, sp_timestamp::InherentDataProvider) {
	let timestamp = sp_timestamp::InherentDataProvider::from_system_time();
	let slot = sp_consensus_aura::inherents::InherentDataProvider::from_timestamp_and_slot_duration(
		*timestamp,
		slot_duration,
	);
	(slot, timestamp)
}

/// Aura's import queue over GRANDPA's block import: blocks are checked against their slot's
/// authority, and GRANDPA sees every block and justification.
pub fn import_queue(
	client: &Arc<FullClient>,
	select_chain: &FullSelectChain,
	task_manager: &TaskManager,
	config: &Configuration,
	telemetry: Option<&Telemetry>,
) -> Result<(sc_consensus::DefaultImportQueue<Block>, GrandpaParts), ServiceError> {
	let (grandpa_import, grandpa_link) = sc_consensus_grandpa::block_import(
		client.clone(),
		GRANDPA_JUSTIFICATION_PERIOD,
		&client.clone(),
		select_chain.clone(),
		telemetry.map(|t| t.handle()),
	)?;
	let slot_duration = sc_consensus_aura::slot_duration::<AuraId, _, _>(&**client)?;
	let queue = sc_consensus_aura::import_queue::<AuraPair, _, _, _, _, _>(ImportQueueParams {
		block_import: grandpa_import.clone(),
		justification_import: Some(Box::new(grandpa_import.clone())),
		client: client.clone(),
		create_inherent_data_providers: move |_, ()| async move {
			Ok(slot_and_timestamp(slot_duration))
		},
		spawner: &task_manager.spawn_essential_handle(),
		registry: config.prometheus_registry(),
		check_for_equivocation: Default::default(),
		telemetry: telemetry.map(|t| t.handle()),
		compatibility_mode: Default::default(),
	})
	.map_err(|e| ServiceError::Other(format!("cannot start Aura's import queue: {e}")))?;
	Ok((queue, (grandpa_import, grandpa_link)))
}

/// GRANDPA's gossip on the network: its protocol name and notification service.
pub struct GrandpaNetwork {
	protocol_name: sc_network::ProtocolName,
	notifications: Box<dyn sc_network::NotificationService>,
}

/// Add GRANDPA's notification protocol to the network configuration; also returns the warp
/// sync (from GRANDPA's authority-set proofs) that lets a new node jump to the latest finalized
/// block.
pub fn add_grandpa_protocol<Network: sc_network::NetworkBackend<Block, <Block as BlockT>::Hash>>(
	net_config: &mut sc_network::config::FullNetworkConfiguration<
		Block,
		<Block as BlockT>::Hash,
		Network,
	>,
	(_, link): &GrandpaParts,
	client: &Arc<FullClient>,
	backend: &Arc<FullBackend>,
	config: &Configuration,
	metrics: NotificationMetrics,
) -> Result<(GrandpaNetwork, WarpSyncConfig<Block>), ServiceError> {
	let genesis = client
		.block_hash(0)?
		.ok_or_else(|| ServiceError::Other("the genesis block is missing".into()))?;
	let protocol_name = sc_consensus_grandpa::protocol_standard_name(&genesis, &config.chain_spec);
	let (protocol, notifications) = sc_consensus_grandpa::grandpa_peers_set_config::<_, Network>(
		protocol_name.clone(),
		metrics,
		net_config.peer_store_handle(),
	);
	net_config.add_notification_protocol(protocol);
	let provider = Arc::new(sc_consensus_grandpa::warp_proof::NetworkProvider::new(
		backend.clone(),
		link.shared_authority_set().clone(),
		Vec::new(),
	));
	Ok((GrandpaNetwork { protocol_name, notifications }, WarpSyncConfig::WithProvider(provider)))
}

/// What [`start`] needs.
pub struct StartParams<'a> {
	/// The client.
	pub client: Arc<FullClient>,
	/// The fork choice.
	pub select_chain: FullSelectChain,
	/// Builds blocks from the pool.
	pub proposer: sc_basic_authorship::ProposerFactory<Pool, FullClient>,
	/// GRANDPA's block import and link.
	pub parts: GrandpaParts,
	/// GRANDPA's gossip.
	pub grandpa_network: GrandpaNetwork,
	/// The network service.
	pub network: Arc<dyn sc_network::service::traits::NetworkService>,
	/// The sync service.
	pub sync_service: Arc<sc_network_sync::SyncingService<Block>>,
	/// The keys of this authority (Aura's and GRANDPA's).
	pub keystore: KeystorePtr,
	/// The transaction pool (GRANDPA submits through it).
	pub transaction_pool: Arc<Pool>,
	/// Where the tasks run.
	pub task_manager: &'a TaskManager,
	/// Whether this node is an authority.
	pub role: sc_network::config::Role,
	/// Author even when offline or syncing.
	pub force_authoring: bool,
	/// Run the GRANDPA voter (`--no-grandpa` turns it off).
	pub enable_grandpa: bool,
	/// The node's name, for GRANDPA's logs.
	pub node_name: String,
	/// Prometheus metrics.
	pub prometheus_registry: Option<substrate_prometheus_endpoint::Registry>,
	/// Telemetry.
	pub telemetry: Option<&'a Telemetry>,
	/// The beacon pulses this node adds to the blocks it authors.
	pub pulses: PulseBuffer,
}

/// Start Aura authoring (on an authority) and the GRANDPA voter.
pub fn start(params: StartParams<'_>) -> Result<(), ServiceError> {
	let StartParams {
		client,
		select_chain,
		proposer,
		parts: (block_import, link),
		grandpa_network,
		network,
		sync_service,
		keystore,
		transaction_pool,
		task_manager,
		role,
		force_authoring,
		enable_grandpa,
		node_name,
		prometheus_registry,
		telemetry,
		pulses,
	} = params;

	if role.is_authority() {
		let slot_duration = sc_consensus_aura::slot_duration::<AuraId, _, _>(&*client)?;
		let aura = sc_consensus_aura::start_aura::<AuraPair, _, _, _, _, _, _, _, _, _, _>(
			StartAuraParams {
				slot_duration,
				client,
				select_chain,
				block_import,
				proposer_factory: proposer,
				create_inherent_data_providers: move |_, ()| {
					let pulses = InherentDataProvider::new(&pulses);
					async move {
						let (slot, timestamp) = slot_and_timestamp(slot_duration);
						Ok((slot, timestamp, pulses))
					}
				},
				force_authoring,
				backoff_authoring_blocks: None::<()>,
				keystore: keystore.clone(),
				sync_oracle: sync_service.clone(),
				justification_sync_link: sync_service.clone(),
				block_proposal_slot_portion: SlotProportion::new(2f32 / 3f32),
				max_block_proposal_slot_portion: None,
				telemetry: telemetry.map(|t| t.handle()),
				compatibility_mode: Default::default(),
			},
		)
		.map_err(|e| ServiceError::Other(format!("cannot start Aura: {e}")))?;
		task_manager.spawn_essential_handle().spawn_blocking("aura", Some("block-authoring"), aura);
	}

	if enable_grandpa {
		let config = sc_consensus_grandpa::Config {
			gossip_duration: Duration::from_millis(333),
			justification_generation_period: GRANDPA_JUSTIFICATION_PERIOD,
			name: Some(node_name),
			observer_enabled: false,
			// Only an authority votes; the others follow the votes they see.
			keystore: role.is_authority().then_some(keystore),
			local_role: role,
			telemetry: telemetry.map(|t| t.handle()),
			protocol_name: grandpa_network.protocol_name,
		};
		let voter = sc_consensus_grandpa::run_grandpa_voter(sc_consensus_grandpa::GrandpaParams {
			config,
			link,
			network,
			sync: sync_service,
			notification_service: grandpa_network.notifications,
			voting_rule: sc_consensus_grandpa::VotingRulesBuilder::default().build(),
			prometheus_registry,
			shared_voter_state: SharedVoterState::empty(),
			telemetry: telemetry.map(|t| t.handle()),
			offchain_tx_pool_factory: OffchainTransactionPoolFactory::new(transaction_pool),
		})?;
		task_manager.spawn_essential_handle().spawn_blocking("grandpa-voter", None, voter);
	}
	Ok(())
}
