//! The development beacon: on a chain whose beacon is the development beacon (`--dev`,
//! `--chain local`), the node signs each round's pulse when it falls due and submits it to its
//! transaction pool, so timelocked commits open with no network access.
//!
//! The development beacon's secret key is public, so this proves nothing about time: it only
//! lets the timelock flow run offline. On a chain with any other beacon key the task idles.

use futures::FutureExt;
use galton_runtime::{Runtime, RuntimeCall};
use galton_timelock::{BeaconInfo, DevBeacon};
use polkadot_sdk::{
	sc_service::TaskManager,
	sc_transaction_pool_api::{TransactionPool, TransactionSource},
	sp_blockchain::HeaderBackend,
	sp_runtime::OpaqueExtrinsic,
};
use std::{
	sync::Arc,
	time::{Duration, SystemTime, UNIX_EPOCH},
};

use super::{storage_value, FullClient, Pool};

/// How often the task looks at the clock and the chain's latest round.
const TICK: Duration = Duration::from_millis(500);

/// Spawn the development beacon.
pub fn start(client: Arc<FullClient>, pool: Arc<Pool>, task_manager: &TaskManager) {
	task_manager.spawn_handle().spawn("dev-beacon", None, run(client, pool).boxed());
}

async fn run(client: Arc<FullClient>, pool: Arc<Pool>) {
	let beacon = DevBeacon::development();
	let key = beacon.public_key();
	let mut last_submitted = 0;
	let mut announced = false;
	loop {
		futures_timer::Delay::new(TICK).await;
		let chain = client.info();
		// The genesis block has no timestamp: by its clock no round is due yet.
		if chain.best_number == 0 {
			continue;
		}
		let best = chain.best_hash;
		let info: Option<BeaconInfo> =
			storage_value(&client, best, pallet_beacon::Beacon::<Runtime>::hashed_key())
				.ok()
				.flatten();
		let Some(info) = info.filter(|info| info.public_key == key) else { continue };
		if !announced {
			log::info!(
				target: "galton",
				"signing pulses of the development beacon (INSECURE: its secret key is public) every {} s",
				info.schedule.period
			);
			announced = true;
		}
		let latest: u64 =
			storage_value(&client, best, pallet_beacon::LatestRound::<Runtime>::hashed_key())
				.ok()
				.flatten()
				.unwrap_or(0);
		let round = info.schedule.round_at(unix_seconds());
		if round == 0 || round <= latest.max(last_submitted) {
			continue;
		}
		let call =
			RuntimeCall::Beacon(pallet_beacon::Call::store_pulse { pulse: beacon.pulse(round) });
		let extrinsic = galton_runtime::transaction::authorized(call);
		let opaque = OpaqueExtrinsic::from(extrinsic);
		match pool.submit_one(best, TransactionSource::Local, opaque).await {
			Ok(_) => {
				log::debug!(target: "galton", "submitted the development beacon's pulse of round {round}");
				last_submitted = round;
			}
			Err(error) => {
				log::warn!(target: "galton", "the pool refused the pulse of round {round}: {error}")
			}
		}
	}
}

fn unix_seconds() -> u64 {
	SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |elapsed| elapsed.as_secs())
}
