//! The beacon service: the node fetches the pulses the chain needs and hands them to its own
//! block production as inherent data ([`InherentDataProvider`]); pulses never enter the
//! transaction pool, so no client and no peer can make the node verify pulses for free.
//!
//! Pulses come from one [`PulseSource`]:
//!
//! - [`PulseSource::Development`]: on a development chain (`--dev`) or a local testnet
//!   (`--chain local`, with a warning) whose beacon is the development beacon, the node signs
//!   each round itself, so the timelock flow runs with no network access. That beacon's secret
//!   key is public, so this proves nothing about time; on a live chain the node refuses it.
//! - [`PulseSource::Relays`] (`--beacon-relay URL`, one or more): the node fetches each round
//!   from drand HTTP relays ([`relay`]), tried in the order given, and checks it against the
//!   chain's beacon key before keeping it.
//!
//! Which rounds: the ones after the latest stored, in order, so that a beacon that fell behind
//! catches up without skipping the rounds commits wait for (a source more than
//! [`MAX_CATCH_UP`] rounds behind jumps to the due round); and back-fills: every round that
//! timelocked commits wait for ([`pallet_commit_reveal::QueuedRounds`]) whose pulse the chain
//! lacks. A pulse stays in the node's [`PulseBuffer`] until the chain holds it, so a block that
//! did not include it (another author's, or one that was full) does not lose it.

pub mod relay;

use futures::FutureExt;
use galton_runtime::{opaque::Block, Runtime};
use galton_timelock::{verify_pulse, BeaconInfo, BeaconPublicKey, DevBeacon, Pulse};
use polkadot_sdk::{
	sc_service::{ChainType, TaskManager},
	sp_blockchain::HeaderBackend,
	sp_inherents::{self, InherentData},
	sp_runtime::traits::Block as BlockT,
};
use std::{
	collections::BTreeMap,
	sync::{Arc, Mutex},
	time::{Duration, SystemTime, UNIX_EPOCH},
};

use super::{storage_value, FullClient};
use relay::{Relay, RelayError};

/// How often the task looks at the clock and the chain's latest round.
const TICK: Duration = Duration::from_millis(500);

/// The most rounds the service replays to catch up; further behind, it skips to the due round.
pub const MAX_CATCH_UP: u64 = 100;

/// The most pulses the service fetches in one tick: as many as a block stores.
const FETCH_PER_TICK: usize = 4;

/// The most pulses the node holds for blocks to come: more would mean no block takes them
/// (this node authors none, and nobody else stores them), and fetching more would only grow
/// the buffer.
const MAX_HELD: usize = 128;

/// Where the node's pulses come from.
pub enum PulseSource {
	/// The development beacon, signed by the node: only for a chain whose beacon it is.
	Development(DevBeacon),
	/// drand HTTP relays serving the chain's beacon, tried in order.
	Relays(Vec<Relay>),
}

impl PulseSource {
	/// The source for a chain of `chain_type`: the relays when given, else the development
	/// beacon, which only development and local chains may use; `None` for a live chain
	/// without relays (the node then adds no pulses to its blocks).
	pub fn for_chain(relays: Vec<Relay>, chain_type: &ChainType) -> Option<Self> {
		if !relays.is_empty() {
			return Some(PulseSource::Relays(relays));
		}
		match chain_type {
			ChainType::Development => {}
			ChainType::Local => log::warn!(
				target: "galton",
				"the node signs the development beacon's pulses: its secret key is public, so \
				 timelocked weights on this chain are NOT secret; pass --beacon-relay for a real \
				 beacon"
			),
			ChainType::Live | ChainType::Custom(_) => {
				log::warn!(
					target: "galton",
					"no --beacon-relay: this node adds no beacon pulses to its blocks (on a live \
					 chain it never signs the development beacon's, whose secret key is public)"
				);
				return None;
			}
		}
		Some(PulseSource::Development(DevBeacon::development()))
	}

	/// Whether this source can serve a chain whose beacon key is `key`.
	fn serves(&self, key: &BeaconPublicKey) -> bool {
		match self {
			PulseSource::Development(beacon) => beacon.public_key() == *key,
			PulseSource::Relays(_) => true,
		}
	}

	/// What the log says this source is.
	fn describe(&self) -> String {
		match self {
			PulseSource::Development(_) => {
				"signing pulses of the development beacon (INSECURE: its secret key is public)"
					.into()
			}
			PulseSource::Relays(relays) => {
				let urls: Vec<&str> = relays.iter().map(Relay::url).collect();
				format!("relaying pulses from {}", urls.join(", then "))
			}
		}
	}

	/// The pulse of `round`, checked against the chain's beacon `key`; `None` while no source
	/// has it yet. Relays are asked in order; the last error is returned when all fail.
	fn pulse(&self, key: &BeaconPublicKey, round: u64) -> Result<Option<Pulse>, RelayError> {
		let relays = match self {
			PulseSource::Development(beacon) => return checked(key, beacon.pulse(round)).map(Some),
			PulseSource::Relays(relays) => relays,
		};
		let mut failure = None;
		for relay in relays {
			match relay.pulse(round).and_then(|pulse| pulse.map(|p| checked(key, p)).transpose()) {
				Ok(Some(pulse)) => return Ok(Some(pulse)),
				Ok(None) => {}
				Err(error) => {
					log::debug!(target: "galton", "{}: no pulse for round {round}: {error}", relay.url());
					failure = Some(error);
				}
			}
		}
		failure.map_or(Ok(None), Err)
	}
}

/// `pulse`, if it verifies against `key`.
fn checked(key: &BeaconPublicKey, pulse: Pulse) -> Result<Pulse, RelayError> {
	verify_pulse(key, pulse.round, &pulse.signature)
		.map_err(|_| RelayError::DoesNotVerify(pulse.round))?;
	Ok(pulse)
}

/// The verified pulses the node holds for the chain, by round, until the chain stores them.
#[derive(Clone, Default)]
pub struct PulseBuffer(Arc<Mutex<BTreeMap<u64, Pulse>>>);

impl PulseBuffer {
	/// The pulses held now.
	pub fn pulses(&self) -> Vec<Pulse> {
		self.lock().values().copied().collect()
	}

	fn lock(&self) -> std::sync::MutexGuard<'_, BTreeMap<u64, Pulse>> {
		// A panic while holding the lock leaves a map that is still whole.
		self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
	}

	fn insert(&self, pulse: Pulse) {
		self.lock().insert(pulse.round, pulse);
	}

	fn contains(&self, round: u64) -> bool {
		self.lock().contains_key(&round)
	}

	fn len(&self) -> usize {
		self.lock().len()
	}

	/// The highest round held.
	fn highest(&self) -> Option<u64> {
		self.lock().keys().next_back().copied()
	}

	/// Forget the pulses the chain no longer needs: those it `holds`, and those older than
	/// `oldest`.
	fn prune(&self, oldest: u64, holds: impl Fn(u64) -> bool) {
		self.lock().retain(|round, _| *round >= oldest && !holds(*round));
	}
}

/// The pulses a block author offers its runtime, which stores those it accepts
/// (`pallet_beacon`'s `ProvideInherent`).
pub struct InherentDataProvider(Vec<Pulse>);

impl InherentDataProvider {
	/// The pulses `buffer` holds now.
	pub fn new(buffer: &PulseBuffer) -> Self {
		Self(buffer.pulses())
	}
}

#[async_trait::async_trait]
impl sp_inherents::InherentDataProvider for InherentDataProvider {
	async fn provide_inherent_data(
		&self,
		data: &mut InherentData,
	) -> Result<(), sp_inherents::Error> {
		if self.0.is_empty() {
			return Ok(());
		}
		data.put_data(pallet_beacon::INHERENT_IDENTIFIER, &self.0)
	}

	async fn try_handle_error(
		&self,
		identifier: &sp_inherents::InherentIdentifier,
		_error: &[u8],
	) -> Option<Result<(), sp_inherents::Error>> {
		// The runtime checks pulses in the call itself, never in `check_inherent`.
		(*identifier == pallet_beacon::INHERENT_IDENTIFIER).then_some(Ok(()))
	}
}

/// Spawn the beacon service, which fills `buffer`. It runs on a blocking thread: a relay is
/// read with blocking HTTP.
pub fn start(
	client: Arc<FullClient>,
	buffer: PulseBuffer,
	source: PulseSource,
	task_manager: &TaskManager,
) {
	task_manager.spawn_handle().spawn_blocking("beacon", None, run(client, buffer, source).boxed());
}

/// The new rounds to fetch next, oldest first, at most `count`: the rounds after the latest
/// stored and the highest already held, up to the due round; from the due round itself when the
/// chain has no pulse yet or lags by more than [`MAX_CATCH_UP`] rounds.
pub fn next_rounds(latest: Option<u64>, held: Option<u64>, due: u64, count: usize) -> Vec<u64> {
	let after = latest.unwrap_or(0).max(held.unwrap_or(0)).saturating_add(1);
	let first =
		if latest.is_none() || due.saturating_sub(after) > MAX_CATCH_UP { due } else { after };
	let first = first.max(after).max(1);
	(first..=due).take(count).collect()
}

/// What the service reads of the chain at its best block.
struct ChainView {
	/// The block read.
	best: <Block as BlockT>::Hash,
	info: BeaconInfo,
	latest: Option<u64>,
	/// Rounds that timelocked commits wait for, stored pulse or not.
	queued: Vec<u64>,
}

impl ChainView {
	fn read(client: &FullClient) -> Option<Self> {
		let best = client.info().best_hash;
		let info = storage_value(client, best, &pallet_beacon::Beacon::<Runtime>::hashed_key())
			.ok()
			.flatten()?;
		let latest =
			storage_value(client, best, &pallet_beacon::LatestRound::<Runtime>::hashed_key())
				.ok()
				.flatten();
		let queued = storage_value(
			client,
			best,
			&pallet_commit_reveal::QueuedRounds::<Runtime>::hashed_key(),
		)
		.ok()
		.flatten()
		.map(|rounds: pallet_commit_reveal::QueuedRoundsOf<Runtime>| rounds.into_inner())
		.unwrap_or_default();
		Some(Self { best, info, latest, queued })
	}

	/// Whether the chain holds the pulse of `round` at the block read.
	fn holds(&self, client: &FullClient, round: u64) -> bool {
		let slot = pallet_beacon::slot_of(round, galton_runtime::configs::BEACON_HISTORY_DEPTH);
		let key = pallet_beacon::Pulses::<Runtime>::hashed_key_for(slot);
		let stored: Option<Pulse> = storage_value(client, self.best, &key).ok().flatten();
		stored.is_some_and(|pulse| pulse.round == round)
	}
}

async fn run(client: Arc<FullClient>, buffer: PulseBuffer, source: PulseSource) {
	let mut announced = false;
	let mut failing = false;
	let depth = u64::from(galton_runtime::configs::BEACON_HISTORY_DEPTH);
	loop {
		futures_timer::Delay::new(TICK).await;
		// The genesis block has no timestamp: by its clock no round is due yet.
		if client.info().best_number == 0 {
			continue;
		}
		let Some(view) = ChainView::read(&client) else { continue };
		if !source.serves(&view.info.public_key) {
			continue;
		}
		if !announced {
			log::info!(target: "galton", "{} every {} s", source.describe(), view.info.schedule.period);
			announced = true;
		}
		let latest = view.latest.unwrap_or(0);
		buffer.prune(latest.saturating_sub(depth - 1), |round| {
			round <= latest && view.holds(&client, round)
		});
		let due = view.info.schedule.round_at(unix_seconds());
		let back_fills = view
			.queued
			.iter()
			.copied()
			.filter(|round| *round <= latest && latest - round < depth)
			.filter(|round| !buffer.contains(*round) && !view.holds(&client, *round));
		// New rounds first: they keep the beacon going; back-fills take the rest of the tick.
		let room = MAX_HELD.saturating_sub(buffer.len()).min(FETCH_PER_TICK);
		let new_rounds = next_rounds(view.latest, buffer.highest(), due, room);
		let back_fills: Vec<u64> = back_fills.take(room - new_rounds.len()).collect();
		// A new round that is not out yet means the later ones are not either; a back-fill the
		// source lacks holds up nothing.
		for round in new_rounds {
			if !fetch(&source, &view.info.public_key, round, &buffer, &mut failing) {
				break;
			}
		}
		for round in back_fills {
			fetch(&source, &view.info.public_key, round, &buffer, &mut failing);
		}
	}
}

/// Fetch `round`'s pulse from `source` into `buffer`; whether it was had. `failing` keeps the
/// log to one line per outage.
fn fetch(
	source: &PulseSource,
	key: &BeaconPublicKey,
	round: u64,
	buffer: &PulseBuffer,
	failing: &mut bool,
) -> bool {
	match source.pulse(key, round) {
		Ok(Some(pulse)) => {
			if *failing {
				log::info!(target: "galton", "pulses flow again from round {round}");
				*failing = false;
			}
			log::debug!(target: "galton", "holding the pulse of round {round} for the next block");
			buffer.insert(pulse);
			true
		}
		Ok(None) => false,
		Err(error) => {
			if !*failing {
				log::warn!(target: "galton", "no pulse for round {round}: {error}; retrying every {TICK:?}");
				*failing = true;
			}
			false
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
		assert_eq!(next_rounds(None, None, 500, 4), vec![500]);
		assert_eq!(next_rounds(None, None, 0, 4), Vec::<u64>::new(), "nothing is due before one");
	}

	#[test]
	fn rounds_follow_the_latest_in_order_until_the_due_one() {
		assert_eq!(next_rounds(Some(10), None, 13, 4), vec![11, 12, 13]);
		assert_eq!(next_rounds(Some(10), Some(11), 13, 4), vec![12, 13], "11 is held");
		assert_eq!(next_rounds(Some(10), None, 20, 2), vec![11, 12], "at most `count`");
		assert_eq!(next_rounds(Some(13), Some(13), 13, 4), Vec::<u64>::new(), "up to date");
		assert_eq!(next_rounds(Some(13), Some(14), 14, 4), Vec::<u64>::new(), "14 is held");
	}

	#[test]
	fn a_beacon_far_behind_skips_to_the_due_round() {
		assert_eq!(next_rounds(Some(10), None, 11 + MAX_CATCH_UP, 1), vec![11]);
		assert_eq!(next_rounds(Some(10), None, 12 + MAX_CATCH_UP, 1), vec![12 + MAX_CATCH_UP]);
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

	#[test]
	fn the_development_beacon_runs_on_development_and_local_chains_only() {
		let development = PulseSource::for_chain(Vec::new(), &ChainType::Development);
		assert!(matches!(development, Some(PulseSource::Development(_))));
		assert!(matches!(
			PulseSource::for_chain(Vec::new(), &ChainType::Local),
			Some(PulseSource::Development(_))
		));
		for live in [ChainType::Live, ChainType::Custom("galton".into())] {
			assert!(PulseSource::for_chain(Vec::new(), &live).is_none());
		}
		let relays = vec![Relay::new("http://127.0.0.1:9")];
		assert!(matches!(
			PulseSource::for_chain(relays, &ChainType::Live),
			Some(PulseSource::Relays(_))
		));
	}

	#[test]
	fn the_buffer_keeps_pulses_until_the_chain_holds_them() {
		let buffer = PulseBuffer::default();
		let beacon = DevBeacon::development();
		for round in [5, 6, 7, 9] {
			buffer.insert(beacon.pulse(round));
		}
		assert_eq!(buffer.highest(), Some(9));
		// The chain stored 6 and 7; round 5 is older than it keeps.
		buffer.prune(6, |round| round == 6 || round == 7);
		let held: Vec<u64> = buffer.pulses().iter().map(|pulse| pulse.round).collect();
		assert_eq!(held, vec![9]);
	}
}
