//! The devnet: manual seal makes a block every `--dev-block-time` milliseconds and finalizes it
//! at once.
//!
//! The runtime still runs Aura's checks, so each block carries an Aura slot and a timestamp in
//! that slot. A block's timestamp is the wall clock, or one slot after its parent's when blocks
//! come faster than Aura's slot: on a fast devnet the chain's clock runs ahead of the wall clock,
//! and every block has a slot of its own.

use futures::{channel::mpsc, FutureExt, SinkExt};
use galton_runtime::opaque::Block;
use polkadot_sdk::{
	sc_consensus_manual_seal::{
		consensus::aura::AuraConsensusDataProvider, EngineCommand, ManualSealParams,
	},
	sc_service::{error::Error as ServiceError, Configuration, TaskManager},
	sp_consensus_aura::sr25519::AuthorityId as AuraId,
	sp_runtime::traits::Block as BlockT,
	*,
};
use std::{sync::Arc, time::Duration};

use super::{
	beacon::{InherentDataProvider, PulseBuffer},
	storage_value, FullClient, FullSelectChain, Pool,
};

/// Manual seal's import queue: it takes the blocks it is given.
pub fn import_queue(
	client: &Arc<FullClient>,
	task_manager: &TaskManager,
	config: &Configuration,
) -> sc_consensus::DefaultImportQueue<Block> {
	sc_consensus_manual_seal::import_queue(
		Box::new(client.clone()),
		&task_manager.spawn_essential_handle(),
		config.prometheus_registry(),
	)
}

/// Seal and finalize a block every `block_time_ms` milliseconds.
pub fn start_sealing(
	client: Arc<FullClient>,
	select_chain: FullSelectChain,
	proposer: sc_basic_authorship::ProposerFactory<Pool, FullClient>,
	pool: Arc<Pool>,
	task_manager: &TaskManager,
	block_time_ms: u64,
	pulses: PulseBuffer,
) -> Result<(), ServiceError> {
	let slot_ms = sc_consensus_aura::slot_duration::<AuraId, _, _>(&*client)?.as_millis();

	let (commands, commands_stream) = mpsc::channel(16);
	task_manager.spawn_handle().spawn(
		"block-timer",
		None,
		seal_every(Duration::from_millis(block_time_ms), commands).boxed(),
	);

	let timestamps = client.clone();
	let authorship = sc_consensus_manual_seal::run_manual_seal(ManualSealParams {
		block_import: client.clone(),
		env: proposer,
		consensus_data_provider: Some(Box::new(AuraConsensusDataProvider::new(client.clone()))),
		client,
		pool,
		select_chain,
		commands_stream: Box::pin(commands_stream),
		create_inherent_data_providers: move |parent, ()| {
			let timestamps = timestamps.clone();
			let pulses = InherentDataProvider::new(&pulses);
			async move {
				let now = sp_timestamp::Timestamp::current().as_millis();
				let next_slot = parent_timestamp(&timestamps, parent)?.saturating_add(slot_ms);
				Ok((sp_timestamp::InherentDataProvider::new(now.max(next_slot).into()), pulses))
			}
		},
	});
	task_manager.spawn_essential_handle().spawn_blocking("manual-seal", None, authorship);
	Ok(())
}

/// `Timestamp::Now` at block `parent`; zero for the genesis block, which has none.
fn parent_timestamp(
	client: &FullClient,
	parent: <Block as BlockT>::Hash,
) -> Result<u64, Box<dyn std::error::Error + Send + Sync>> {
	let key = pallet_timestamp::Now::<galton_runtime::Runtime>::hashed_key();
	Ok(storage_value(client, parent, &key)?.unwrap_or(0))
}

/// Ask manual seal for a new, finalized block every `period`, until the node stops.
async fn seal_every(
	period: Duration,
	mut commands: mpsc::Sender<EngineCommand<<Block as BlockT>::Hash>>,
) {
	loop {
		futures_timer::Delay::new(period).await;
		let command = EngineCommand::SealNewBlock {
			create_empty: true,
			finalize: true,
			parent_hash: None,
			sender: None,
		};
		if commands.send(command).await.is_err() {
			log::info!(target: "galton", "block production stopped");
			return;
		}
	}
}
