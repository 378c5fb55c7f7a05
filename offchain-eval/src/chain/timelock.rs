//! The chain's randomness beacon and the timelocked weight commits waiting for its rounds: what
//! a validator reads to seal its weights to a future round, and what `status` shows.

use galton_primitives::{NetUid, Uid, WeightsTlockPayload};
use galton_timelock::{BeaconInfo, TimelockError};
use subxt::utils::Static;

use super::{
	read::{timestamp_at, uid_of, At},
	rpc, runtime, AccountId, Chain, ChainError,
};

/// Rounds past the earliest the chain accepts that a new commit names, so that pulses stored
/// between reading the beacon and the commit's inclusion do not make it too early.
pub const ROUND_MARGIN: u64 = 2;

/// The chain's beacon at one block.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BeaconState {
	/// Its public key and schedule.
	pub info: BeaconInfo,
	/// The highest round with a stored pulse (`None` before the first).
	pub latest_round: Option<u64>,
	/// The block's timestamp, in milliseconds since the Unix epoch.
	pub now_ms: u64,
}

impl BeaconState {
	/// The beacon at `at`; `None` when the chain has none.
	pub(super) async fn read_at(at: &At) -> Result<Option<Self>, ChainError> {
		let storage = at.storage();
		let beacon = runtime::storage().beacon();
		let Some(info) = storage.try_fetch(beacon.beacon(), ()).await.map_err(rpc)? else {
			return Ok(None);
		};
		let Static(info) = info.decode().map_err(rpc)?;
		let latest_round = match storage.try_fetch(beacon.latest_round(), ()).await.map_err(rpc)? {
			Some(value) => Some(value.decode().map_err(rpc)?),
			None => None,
		};
		let now_ms = timestamp_at(at).await?;
		Ok(Some(Self { info, latest_round, now_ms }))
	}

	/// Seconds from this block's time until the pulse of `round` is due; zero once it is.
	pub fn seconds_until(&self, round: u64) -> u64 {
		self.info.schedule.round_time(round).saturating_sub(self.now_ms / 1000)
	}
}

impl Chain {
	/// The chain's beacon at the finalized head; `None` when the chain has none.
	pub async fn beacon(&self) -> Result<Option<BeaconState>, ChainError> {
		BeaconState::read_at(&self.client().at_current_block().await.map_err(rpc)?).await
	}
}

/// Why no round can be sealed to now.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RoundError {
	/// This machine's clock is so far ahead of the chain's that every round the chain accepts
	/// is public already by this clock.
	#[error(
		"this machine's clock says round {public} is out, past every round the chain accepts \
		 (up to {last}): its clock lags this one's; check both clocks"
	)]
	ClockSkew {
		/// The latest round due by this machine's clock.
		public: u64,
		/// The last round the chain accepts now.
		last: u64,
	},
	/// The chain's beacon is the development beacon, whose secret key is public.
	#[error(
		"the chain's beacon is the development beacon, whose secret key is public: anything \
		 sealed to it can be opened at once; on a development chain pass --insecure-dev-beacon"
	)]
	DevelopmentBeacon,
}

/// Whether weights may be sealed to `beacon`: not to the development beacon (its secret key is
/// public) unless the chain is a development chain or the validator said so (`insecure`).
/// `development_chain` is asked only for the development beacon's key.
pub async fn ensure_secret_beacon<F: std::future::Future<Output = Result<bool, ChainError>>>(
	beacon: &BeaconInfo,
	insecure: bool,
	development_chain: impl FnOnce() -> F,
) -> Result<Result<(), RoundError>, ChainError> {
	if beacon.public_key != galton_timelock::DevBeacon::development().public_key() || insecure {
		return Ok(Ok(()));
	}
	Ok(if development_chain().await? { Ok(()) } else { Err(RoundError::DevelopmentBeacon) })
}

/// The rounds a commit made now may name, best first: from the earliest the chain accepts
/// (`rounds_ahead` past both its latest pulse and the round due by its clock, see
/// [`galton_timelock::earliest_secret_round`]) plus [`ROUND_MARGIN`], up to `round_slack`
/// past that earliest. Rounds still public by this machine's clock (`local_secs`, Unix
/// seconds) are never among them: a chain clock that lags cannot make a public round pass for a
/// future one.
pub fn commit_rounds(
	beacon: &BeaconState,
	local_secs: u64,
	rounds_ahead: u64,
	round_slack: u64,
) -> Result<std::ops::RangeInclusive<u64>, RoundError> {
	let schedule = &beacon.info.schedule;
	let chain_due = schedule.round_at(beacon.now_ms / 1000);
	let earliest =
		galton_timelock::earliest_secret_round(beacon.latest_round, chain_due, rounds_ahead);
	let last = earliest.saturating_add(round_slack);
	let public = schedule.round_at(local_secs);
	let first = earliest
		.saturating_add(ROUND_MARGIN.min(round_slack))
		.max(public.saturating_add(rounds_ahead));
	if first > last {
		return Err(RoundError::ClockSkew { public, last });
	}
	Ok(first..=last)
}

/// `weights` sealed so that only the beacon's pulse for `round` opens them, in subtensor's
/// wire format, as `commit_timelocked_weights` takes them (and bittensor-drand makes them).
pub fn seal_weights(
	beacon: &BeaconInfo,
	round: u64,
	weights: &WeightsTlockPayload,
) -> Result<Vec<u8>, TimelockError> {
	use codec::Encode;
	let sealed = galton_timelock::seal(&beacon.public_key, round, &weights.encode())?;
	Ok(galton_timelock::subtensor::to_subtensor(&sealed))
}

/// A timelocked commit waiting for its round.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimelockedEntry {
	/// The committing validator's hotkey.
	pub validator: AccountId,
	/// Its uid, if it is still registered.
	pub uid: Option<Uid>,
	/// The round whose pulse opens it.
	pub reveal_round: u64,
	/// The block it was included in.
	pub committed_at: u32,
}

/// Every timelocked commit waiting on `netuid` at `at`, in the order they open.
pub(super) async fn timelocked_commits(
	at: &At,
	netuid: NetUid,
) -> Result<Vec<TimelockedEntry>, ChainError> {
	let address = runtime::storage().commit_reveal().timelocked_commits();
	let mut entries = Vec::new();
	let mut commits = at.storage().iter(address, (netuid,)).await.map_err(rpc)?;
	while let Some(entry) = commits.next().await {
		let entry = entry.map_err(rpc)?;
		let (_, validator) = entry.key().map_err(rpc)?.decode().map_err(rpc)?;
		let commit = entry.value().decode().map_err(rpc)?;
		let uid = uid_of(at, netuid, &validator).await?;
		entries.push(TimelockedEntry {
			validator,
			uid,
			reveal_round: commit.reveal_round,
			committed_at: commit.committed_at,
		});
	}
	entries.sort_by_key(|e| (e.reveal_round, e.committed_at));
	Ok(entries)
}

#[cfg(test)]
mod tests {
	use super::*;
	use codec::{Decode, Encode};
	use galton_timelock::{subtensor::from_subtensor, DevBeacon};

	/// A beacon with rounds every 3 s from Unix time 1,000 s (round `r` at `997 + 3 r`), its
	/// latest pulse `latest`, the chain's clock at round `chain_round`'s time.
	fn beacon_at(latest: Option<u64>, chain_round: u64) -> BeaconState {
		let schedule = galton_timelock::BeaconSchedule { genesis_time: 1_000, period: 3 };
		BeaconState {
			info: BeaconInfo { public_key: DevBeacon::development().public_key(), schedule },
			latest_round: latest,
			now_ms: schedule.round_time(chain_round) * 1000,
		}
	}

	#[test]
	fn a_commit_names_the_earliest_round_plus_the_margin_within_the_slack() {
		let beacon = beacon_at(Some(100), 100);
		let now = beacon.now_ms / 1000;
		assert_eq!(commit_rounds(&beacon, now, 3, 20), Ok(105..=123));
		assert_eq!(commit_rounds(&beacon, now, 3, 1), Ok(104..=104), "never past the slack");
		assert_eq!(commit_rounds(&beacon, now, 3, 0), Ok(103..=103));
	}

	#[test]
	fn a_stalled_beacon_never_gets_a_round_that_is_already_public() {
		// The chain's last pulse is round 83, but by its clock round 100 is out.
		let beacon = beacon_at(Some(83), 100);
		let now = beacon.now_ms / 1000;
		let rounds = commit_rounds(&beacon, now, 3, 20).expect("rounds");
		assert_eq!(*rounds.start(), 105, "counted from the due round, not the stalled pulse");
		let schedule = beacon.info.schedule;
		assert!(rounds.clone().all(|round| schedule.round_time(round) > now));
		// No pulse at all yet (a new beacon): the same.
		assert_eq!(commit_rounds(&beacon_at(None, 100), now, 3, 20), Ok(105..=123));
	}

	#[test]
	fn a_chain_clock_that_lags_this_one_is_caught() {
		let beacon = beacon_at(Some(100), 100);
		let schedule = beacon.info.schedule;
		// This machine is ten rounds (30 s) ahead: the first rounds the chain takes are out.
		let local = schedule.round_time(110);
		let rounds = commit_rounds(&beacon, local, 3, 20).expect("rounds");
		assert_eq!(rounds, 113..=123);
		assert!(schedule.round_time(*rounds.start()) > local);
		// A minute and more ahead: nothing the chain accepts is secret by this clock.
		let far = schedule.round_time(130);
		assert_eq!(
			commit_rounds(&beacon, far, 3, 20),
			Err(RoundError::ClockSkew { public: 130, last: 123 })
		);
	}

	#[tokio::test]
	async fn the_development_beacon_is_sealed_to_only_on_development_chains_or_when_asked() {
		let development = beacon_at(None, 1).info;
		let chain = |development_chain: bool| move || async move { Ok(development_chain) };
		let check =
			|insecure, dev_chain| ensure_secret_beacon(&development, insecure, chain(dev_chain));
		assert_eq!(check(false, true).await.expect("asked"), Ok(()));
		assert_eq!(check(false, false).await.expect("asked"), Err(RoundError::DevelopmentBeacon));
		assert_eq!(check(true, false).await.expect("asked"), Ok(()), "--insecure-dev-beacon");
		// Any other key is sealed to without asking the chain.
		let quicknet = galton_timelock::QUICKNET;
		let never = || async { Err::<bool, _>(ChainError::Unexpected("not asked".into())) };
		assert_eq!(ensure_secret_beacon(&quicknet, false, never).await.expect("not asked"), Ok(()));
	}

	#[test]
	fn sealed_weights_open_with_the_rounds_pulse_to_the_same_payload() {
		let beacon = DevBeacon::development();
		let info = BeaconInfo {
			public_key: beacon.public_key(),
			schedule: galton_timelock::BeaconSchedule { genesis_time: 0, period: 3 },
		};
		let weights = WeightsTlockPayload {
			hotkey: AccountId::from([7; 32]).encode(),
			uids: vec![0, 4],
			values: vec![65_535, 12],
			version_key: 3,
		};
		let sealed = seal_weights(&info, 42, &weights).expect("seals");
		let ciphertext = from_subtensor(&sealed).expect("subtensor's wire format");
		let opened = galton_timelock::decrypt(&ciphertext, &beacon.pulse(42).signature)
			.expect("the round's pulse opens it");
		assert_eq!(WeightsTlockPayload::decode(&mut &opened[..]), Ok(weights));
		assert_eq!(
			galton_timelock::decrypt(&ciphertext, &beacon.pulse(41).signature),
			Err(TimelockError::WrongKey)
		);
	}

	#[test]
	fn the_wait_counts_from_the_block_time_and_stops_at_zero() {
		let state = BeaconState {
			info: BeaconInfo {
				public_key: DevBeacon::development().public_key(),
				schedule: galton_timelock::BeaconSchedule { genesis_time: 1_000, period: 3 },
			},
			latest_round: Some(10),
			now_ms: 1_030_500,
		};
		// Round 12 is due at 1_000 + 11 * 3 = 1_033 s.
		assert_eq!(state.seconds_until(12), 3);
		assert_eq!(state.seconds_until(11), 0);
		assert_eq!(state.seconds_until(1), 0);
	}
}
