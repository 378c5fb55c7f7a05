//! The beacon service: the node submits each due round's pulse to its transaction pool, so that
//! timelocked commits open. Pulses come from one [`PulseSource`]:
//!
//! - [`PulseSource::Development`] (the default): on a chain whose beacon is the development
//!   beacon (`--dev`, `--chain local`) the node signs each round itself, so the timelock flow
//!   runs with no network access. That beacon's secret key is public, so this proves nothing
//!   about time. On a chain with any other beacon key the task idles.
//! - [`PulseSource::Relay`] (`--beacon-relay URL`): the node fetches each round from a drand
//!   HTTP relay ([`relay`]) and checks it against the chain's beacon key before submitting it.
//!
//! Rounds are submitted in order from the one after the latest stored, so that a beacon that
//! fell behind catches up without skipping the rounds commits wait for (a skipped round drops
//! them); a source more than [`MAX_CATCH_UP`] rounds behind jumps to the due round.

pub mod relay;

use futures::FutureExt;
use galton_runtime::{Runtime, RuntimeCall};
use galton_timelock::{verify_pulse, BeaconInfo, BeaconPublicKey, DevBeacon, Pulse};
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
use relay::{Relay, RelayError};

/// How often the task looks at the clock and the chain's latest round.
const TICK: Duration = Duration::from_millis(500);

/// The most rounds the service replays to catch up; further behind, it skips to the due round.
pub const MAX_CATCH_UP: u64 = 100;

/// Where the node's pulses come from.
pub enum PulseSource {
	/// The development beacon, signed by the node: only for a chain whose beacon it is.
	Development(DevBeacon),
	/// A drand HTTP relay serving the chain's beacon.
	Relay(Relay),
}

impl PulseSource {
	/// Whether this source can serve a chain whose beacon key is `key`.
	fn serves(&self, key: &BeaconPublicKey) -> bool {
		match self {
			PulseSource::Development(beacon) => beacon.public_key() == *key,
			PulseSource::Relay(_) => true,
		}
	}

	/// What the log says this source is.
	fn describe(&self) -> String {
		match self {
			PulseSource::Development(_) => {
				"signing pulses of the development beacon (INSECURE: its secret key is public)"
					.into()
			}
			PulseSource::Relay(relay) => format!("relaying pulses from {}", relay.url()),
		}
	}

	/// The pulse of `round`, checked against the chain's beacon `key`; `None` while the source
	/// does not have it yet.
	fn pulse(&self, key: &BeaconPublicKey, round: u64) -> Result<Option<Pulse>, RelayError> {
		let pulse = match self {
			PulseSource::Development(beacon) => beacon.pulse(round),
			PulseSource::Relay(relay) => match relay.pulse(round)? {
				Some(pulse) => pulse,
				None => return Ok(None),
			},
		};
		verify_pulse(key, pulse.round, &pulse.signature)
			.map_err(|_| RelayError::DoesNotVerify(round))?;
		Ok(Some(pulse))
	}
}

/// Spawn the beacon service. It runs on a blocking thread: a relay is read with blocking HTTP.
pub fn start(
	client: Arc<FullClient>,
	pool: Arc<Pool>,
	source: PulseSource,
	task_manager: &TaskManager,
) {
	task_manager.spawn_handle().spawn_blocking("beacon", None, run(client, pool, source).boxed());
}

/// The round to submit next, if one is due: the round after the latest stored, or after the
/// last one submitted while that waits in the pool; the due round itself when the chain has no
/// pulse yet or lags by more than [`MAX_CATCH_UP`] rounds.
pub fn next_round(latest: Option<u64>, last_submitted: u64, due: u64) -> Option<u64> {
	let after = latest.unwrap_or(0).max(last_submitted).saturating_add(1);
	let next =
		if latest.is_none() || due.saturating_sub(after) > MAX_CATCH_UP { due } else { after };
	(next >= after && next <= due && next > 0).then_some(next)
}

async fn run(client: Arc<FullClient>, pool: Arc<Pool>, source: PulseSource) {
	let mut last_submitted = 0;
	let mut announced = false;
	let mut failing = false;
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
		let Some(info) = info.filter(|info| source.serves(&info.public_key)) else { continue };
		if !announced {
			log::info!(target: "galton", "{} every {} s", source.describe(), info.schedule.period);
			announced = true;
		}
		let latest: Option<u64> =
			storage_value(&client, best, pallet_beacon::LatestRound::<Runtime>::hashed_key())
				.ok()
				.flatten();
		let due = info.schedule.round_at(unix_seconds());
		let Some(round) = next_round(latest, last_submitted, due) else { continue };
		let pulse = match source.pulse(&info.public_key, round) {
			Ok(Some(pulse)) => pulse,
			Ok(None) => continue,
			Err(error) => {
				if !failing {
					log::warn!(target: "galton", "no pulse for round {round}: {error}; retrying every {TICK:?}");
					failing = true;
				}
				continue;
			}
		};
		if failing {
			log::info!(target: "galton", "pulses flow again from round {round}");
			failing = false;
		}
		let call = RuntimeCall::Beacon(pallet_beacon::Call::store_pulse { pulse });
		let extrinsic = galton_runtime::transaction::authorized(call);
		match pool
			.submit_one(best, TransactionSource::Local, OpaqueExtrinsic::from(extrinsic))
			.await
		{
			Ok(_) => {
				log::debug!(target: "galton", "submitted the pulse of round {round}");
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

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn a_new_beacon_starts_at_the_due_round() {
		assert_eq!(next_round(None, 0, 500), Some(500));
		assert_eq!(next_round(None, 0, 0), None, "nothing is due before round one");
	}

	#[test]
	fn rounds_follow_the_latest_in_order_until_the_due_one() {
		assert_eq!(next_round(Some(10), 0, 13), Some(11));
		assert_eq!(next_round(Some(10), 11, 13), Some(12), "round 11 waits in the pool");
		assert_eq!(next_round(Some(13), 13, 13), None, "up to date");
		assert_eq!(next_round(Some(13), 14, 14), None, "the due round is in the pool");
	}

	#[test]
	fn a_beacon_far_behind_skips_to_the_due_round() {
		assert_eq!(next_round(Some(10), 0, 11 + MAX_CATCH_UP), Some(11));
		assert_eq!(next_round(Some(10), 0, 12 + MAX_CATCH_UP), Some(12 + MAX_CATCH_UP));
	}

	#[test]
	fn the_development_source_serves_only_the_development_key() {
		let source = PulseSource::Development(DevBeacon::development());
		assert!(source.serves(&DevBeacon::development().public_key()));
		assert!(!source.serves(&DevBeacon::from_seed(b"another").public_key()));
		let key = DevBeacon::development().public_key();
		assert_eq!(source.pulse(&key, 7).expect("signs").map(|pulse| pulse.round), Some(7));
		let other = DevBeacon::from_seed(b"another").public_key();
		assert!(matches!(source.pulse(&other, 7), Err(RelayError::DoesNotVerify(7))));
	}
}
