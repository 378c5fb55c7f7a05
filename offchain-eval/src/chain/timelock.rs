//! The chain's randomness beacon and the timelocked weight commits waiting for its rounds: what
//! a validator reads to seal its weights to a future round, and what `status` shows.

use galton_primitives::{NetUid, TimelockedWeights, Uid};
use galton_timelock::{BeaconInfo, TimelockError};
use subxt::utils::Static;

use super::{
	rpc, runtime,
	state::{timestamp_at, At},
	AccountId, Chain, ChainError,
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

/// The round a commit made now names: `rounds_ahead` past the latest pulse, the least the chain
/// accepts, plus [`ROUND_MARGIN`] (at most `round_slack`, the most the chain accepts beyond it).
pub fn commit_round(latest_round: u64, rounds_ahead: u64, round_slack: u64) -> u64 {
	latest_round.saturating_add(rounds_ahead).saturating_add(ROUND_MARGIN.min(round_slack))
}

/// `weights` sealed so that only the beacon's pulse for `round` opens them, SCALE-encoded as
/// `commit_timelocked_weights` takes them.
pub fn seal_weights(
	beacon: &BeaconInfo,
	round: u64,
	weights: &TimelockedWeights<AccountId>,
) -> Result<Vec<u8>, TimelockError> {
	use codec::Encode;
	Ok(galton_timelock::seal(&beacon.public_key, round, &weights.encode())?.encode())
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
		let uid = super::state::uid_of(at, netuid, &validator).await?;
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
	use codec::Decode;
	use galton_timelock::{DevBeacon, TimelockCiphertext};

	#[test]
	fn a_commit_names_the_earliest_round_plus_the_margin_within_the_slack() {
		assert_eq!(commit_round(100, 3, 20), 100 + 3 + ROUND_MARGIN);
		assert_eq!(commit_round(100, 3, 1), 104, "never past the chain's slack");
		assert_eq!(commit_round(100, 3, 0), 103);
		assert_eq!(commit_round(u64::MAX, 3, 20), u64::MAX);
	}

	#[test]
	fn sealed_weights_open_with_the_rounds_pulse_to_the_same_payload() {
		let beacon = DevBeacon::development();
		let info = BeaconInfo {
			public_key: beacon.public_key(),
			schedule: galton_timelock::BeaconSchedule { genesis_time: 0, period: 3 },
		};
		let weights = TimelockedWeights {
			who: AccountId::from([7; 32]),
			netuid: 1,
			uids: vec![0, 4],
			values: vec![65_535, 12],
			version_key: 3,
		};
		let sealed = seal_weights(&info, 42, &weights).expect("seals");
		let ciphertext = TimelockCiphertext::decode(&mut &sealed[..]).expect("the wire format");
		let opened = galton_timelock::decrypt(&ciphertext, &beacon.pulse(42).signature)
			.expect("the round's pulse opens it");
		assert_eq!(TimelockedWeights::<AccountId>::decode(&mut &opened[..]), Ok(weights));
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
