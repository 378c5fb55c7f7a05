//! The node's services: client, transaction pool, network and RPC, and one of two ways to make
//! and finalize blocks:
//!
//! - [`dev`]: the `--dev` chain seals a block every `--dev-block-time` milliseconds with manual
//!   seal and finalizes it at once;
//! - [`consensus`]: every other chain (`--chain local`, a chain spec file) authors blocks with
//!   Aura and finalizes them with GRANDPA.

mod beacon;
mod consensus;
mod dev;

pub use beacon::relay::parse_relay_url;

use codec::Decode;
use galton_runtime::{opaque::Block, RuntimeApi};
use polkadot_sdk::{
	sc_client_api::StorageProvider,
	sc_executor::WasmExecutor,
	sc_service::{error::Error as ServiceError, ChainType, Configuration, TaskManager},
	sc_telemetry::{Telemetry, TelemetryWorker},
	sp_core::storage::StorageKey,
	sp_runtime::traits::Block as BlockT,
	*,
};
use std::sync::Arc;

/// The host functions the runtime may call.
type HostFunctions = sp_io::SubstrateHostFunctions;

/// The client: block import, state and runtime calls.
pub type FullClient = sc_service::TFullClient<Block, RuntimeApi, WasmExecutor<HostFunctions>>;

/// The transaction pool.
pub(crate) type Pool = sc_transaction_pool::TransactionPoolHandle<Block, FullClient>;

type FullBackend = sc_service::TFullBackend<Block>;
type FullSelectChain = sc_consensus::LongestChain<FullBackend, Block>;

/// The parts that chain-maintenance subcommands need, without network or block production;
/// `other` holds GRANDPA's block import and link (none on the devnet) and the telemetry.
pub type Service = sc_service::PartialComponents<
	FullClient,
	FullBackend,
	FullSelectChain,
	sc_consensus::DefaultImportQueue<Block>,
	Pool,
	(Option<consensus::GrandpaParts>, Option<Telemetry>),
>;

/// The SCALE-decoded value of the storage item under `key` at block `at`; `None` when the item
/// is absent.
fn storage_value<T: Decode>(
	client: &FullClient,
	at: <Block as BlockT>::Hash,
	key: &[u8],
) -> Result<Option<T>, Box<dyn std::error::Error + Send + Sync>> {
	match client.storage(at, &StorageKey(key.to_vec()))? {
		Some(value) => Ok(Some(T::decode(&mut value.0.as_slice())?)),
		None => Ok(None),
	}
}

/// Whether `config` is the devnet (manual seal) rather than an Aura and GRANDPA chain.
fn is_dev(config: &Configuration) -> bool {
	config.chain_spec.chain_type() == ChainType::Development
}

/// Build the client, backend, transaction pool and the import queue of the chain's mode.
pub fn new_partial(config: &Configuration) -> Result<Service, ServiceError> {
	let telemetry = config
		.telemetry_endpoints
		.clone()
		.filter(|endpoints| !endpoints.is_empty())
		.map(|endpoints| -> Result<_, sc_telemetry::Error> {
			let worker = TelemetryWorker::new(16)?;
			let telemetry = worker.handle().new_telemetry(endpoints);
			Ok((worker, telemetry))
		})
		.transpose()?;

	let executor = sc_service::new_wasm_executor(&config.executor);
	let (client, backend, keystore_container, task_manager) =
		sc_service::new_full_parts::<Block, RuntimeApi, _>(
			config,
			telemetry.as_ref().map(|(_, telemetry)| telemetry.handle()),
			executor,
			Vec::new(),
		)?;
	let client = Arc::new(client);

	let telemetry = telemetry.map(|(worker, telemetry)| {
		task_manager.spawn_handle().spawn("telemetry", None, worker.run());
		telemetry
	});

	let select_chain = sc_consensus::LongestChain::new(backend.clone());

	let transaction_pool = Arc::from(
		sc_transaction_pool::Builder::new(
			task_manager.spawn_essential_handle(),
			client.clone(),
			config.role.is_authority().into(),
		)
		.with_options(config.transaction_pool.clone())
		.with_prometheus(config.prometheus_registry())
		.build(),
	);

	let (import_queue, grandpa) = if is_dev(config) {
		(dev::import_queue(&client, &task_manager, config), None)
	} else {
		let (queue, parts) = consensus::import_queue(
			&client,
			&select_chain,
			&task_manager,
			config,
			telemetry.as_ref(),
		)?;
		(queue, Some(parts))
	};

	Ok(sc_service::PartialComponents {
		client,
		backend,
		task_manager,
		import_queue,
		keystore_container,
		select_chain,
		transaction_pool,
		other: (grandpa, telemetry),
	})
}

/// Build and start the full node: network, RPC, block production and finality (manual seal
/// every `dev_block_time_ms` on the devnet, Aura and GRANDPA elsewhere), and the beacon service
/// (pulses from `beacon_relays`, drand relays' URLs tried in order, or else, on development and
/// local chains only, the development beacon's), whose pulses go into the blocks this node
/// authors.
pub fn new_full<Network: sc_network::NetworkBackend<Block, <Block as BlockT>::Hash>>(
	config: Configuration,
	dev_block_time_ms: u64,
	beacon_relays: Vec<String>,
) -> Result<TaskManager, ServiceError> {
	let chain_type = config.chain_spec.chain_type();
	let sc_service::PartialComponents {
		client,
		backend,
		mut task_manager,
		import_queue,
		keystore_container,
		select_chain,
		transaction_pool,
		other: (grandpa, mut telemetry),
	} = new_partial(&config)?;

	let mut net_config = sc_network::config::FullNetworkConfiguration::<
		Block,
		<Block as BlockT>::Hash,
		Network,
	>::new(
		&config.network,
		config.prometheus_config.as_ref().map(|cfg| cfg.registry.clone()),
	);
	let metrics = Network::register_notification_metrics(
		config.prometheus_config.as_ref().map(|cfg| &cfg.registry),
	);

	// GRANDPA's parts and its gossip on the network, together: both or neither (the devnet).
	let (grandpa, warp_sync_config) = match grandpa {
		Some(parts) => {
			let (gossip, warp_sync) = consensus::add_grandpa_protocol::<Network>(
				&mut net_config,
				&parts,
				&client,
				&backend,
				&config,
				metrics.clone(),
			)?;
			(Some((parts, gossip)), Some(warp_sync))
		}
		None => (None, None),
	};

	let (network, system_rpc_tx, tx_handler_controller, sync_service, _bitswap) =
		sc_service::build_network(sc_service::BuildNetworkParams {
			config: &config,
			net_config,
			client: client.clone(),
			transaction_pool: transaction_pool.clone(),
			spawn_handle: task_manager.spawn_handle(),
			spawn_essential_handle: task_manager.spawn_essential_handle(),
			import_queue,
			block_announce_validator_builder: None,
			warp_sync_config,
			block_relay: None,
			metrics,
			gap_sync_body_policy: None,
		})?;

	let rpc_builder = {
		let client = client.clone();
		let pool = transaction_pool.clone();
		Box::new(move |_| {
			let deps = crate::rpc::FullDeps { client: client.clone(), pool: pool.clone() };
			crate::rpc::create_full(deps).map_err(Into::into)
		})
	};

	let prometheus_registry = config.prometheus_registry().cloned();
	let role = config.role;
	let force_authoring = config.force_authoring;
	let enable_grandpa = !config.disable_grandpa;
	let node_name = config.network.node_name.clone();
	sc_service::spawn_tasks(sc_service::SpawnTasksParams {
		network: network.clone(),
		client: client.clone(),
		keystore: keystore_container.keystore(),
		task_manager: &mut task_manager,
		transaction_pool: transaction_pool.clone(),
		rpc_builder,
		backend,
		system_rpc_tx,
		tx_handler_controller,
		sync_service: sync_service.clone(),
		config,
		telemetry: telemetry.as_mut(),
		tracing_execute_block: None,
	})?;

	let proposer = sc_basic_authorship::ProposerFactory::new(
		task_manager.spawn_handle(),
		client.clone(),
		transaction_pool.clone(),
		prometheus_registry.as_ref(),
		telemetry.as_ref().map(|telemetry| telemetry.handle()),
	);

	let pulses = beacon::PulseBuffer::default();
	let relays = beacon_relays.iter().map(|url| beacon::relay::Relay::new(url)).collect();
	if let Some(source) = beacon::PulseSource::for_chain(relays, &chain_type) {
		beacon::start(client.clone(), pulses.clone(), source, &task_manager);
	}

	match grandpa {
		Some((parts, grandpa_network)) => consensus::start(consensus::StartParams {
			client,
			select_chain,
			proposer,
			parts,
			grandpa_network,
			network,
			sync_service,
			keystore: keystore_container.keystore(),
			transaction_pool,
			task_manager: &task_manager,
			role,
			force_authoring,
			enable_grandpa,
			node_name,
			prometheus_registry,
			telemetry: telemetry.as_ref(),
			pulses,
		})?,
		None => dev::start_sealing(
			client,
			select_chain,
			proposer,
			transaction_pool,
			&task_manager,
			dev_block_time_ms,
			pulses,
		)?,
	}
	Ok(task_manager)
}
