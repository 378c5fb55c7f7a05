//! # Beacon Pallet
//!
//! Stores verified pulses of a randomness beacon (drand "quicknet" style: BLS12-381, unchained
//! rounds, signatures on G1): the keys that open weights timelocked to a round.
//!
//! ## Overview
//!
//! - The chain's beacon ([`BeaconInfo`]: public key and round schedule) is set at genesis or by
//!   [`Config::ConfigOrigin`] with [`Pallet::set_beacon`].
//! - Anyone may relay a pulse with [`Pallet::store_pulse`], a transaction with no signer and no
//!   fee: its authorization ([`frame_system::AuthorizeCall`]) verifies the BLS signature in the
//!   transaction pool, so only genuine pulses travel and take block space. Nodes relay them
//!   (`galton-node` signs them itself on development chains).
//! - The last [`Config::HistoryDepth`] rounds' pulses are kept in a ring ([`Pulses`]): storage
//!   never grows.
//! - Other pallets read pulses through [`galton_timelock::RandomnessBeacon`].
//!
//! ## Which pulses are accepted
//!
//! A pulse must verify against the beacon's key, be newer than the latest stored pulse (rounds
//! may be skipped: a node that was offline relays the current round, not every missed one) and
//! be due by the chain's clock, give or take [`Config::MaxRoundsAhead`]. A beacon whose secret
//! is known (the development beacon) could otherwise sign a far-future round and end the beacon.
//! Several pending pulses are ordered oldest first in the pool.
//!
//! ## Pallet API
//!
//! See the [`pallet`] module for the calls, storage, events and errors.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
pub mod weights;

#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

pub use galton_timelock::{BeaconInfo, BeaconPublicKey, BeaconSchedule, BeaconSignature, Pulse};
pub use weights::WeightInfo;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{
		pallet_prelude::*,
		traits::{Get, UnixTime},
	};
	use frame_system::pallet_prelude::*;
	use galton_timelock::verify_pulse;

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(0);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Configuration of the pallet.
	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// The chain's clock, which says which round is due.
		type UnixTime: UnixTime;

		/// Who may replace the beacon: root, or governance.
		type ConfigOrigin: EnsureOrigin<Self::RuntimeOrigin>;

		/// How many rounds past the one due by the chain's clock a pulse may be: the slack for
		/// clocks that disagree.
		#[pallet::constant]
		type MaxRoundsAhead: Get<u64>;

		/// How many recent rounds' pulses are kept. Must be at least one.
		#[pallet::constant]
		type HistoryDepth: Get<u32>;

		/// The transaction-pool priority of a pulse (the next round's; later rounds get less).
		#[pallet::constant]
		type PulsePriority: Get<TransactionPriority>;

		/// Weights of the calls, from the pallet's benchmarks.
		type WeightInfo: WeightInfo;
	}

	/// The chain's beacon; without one, no pulse is accepted.
	#[pallet::storage]
	pub type Beacon<T> = StorageValue<_, BeaconInfo>;

	/// The highest round with a stored pulse.
	#[pallet::storage]
	pub type LatestRound<T> = StorageValue<_, u64>;

	/// The latest pulses, in a ring of `HistoryDepth` slots: round `r` lives in slot
	/// `r % HistoryDepth` until a later round takes the slot.
	#[pallet::storage]
	pub type Pulses<T> = StorageMap<_, Twox64Concat, u32, Pulse>;

	/// The beacon to start with.
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// The chain's beacon; `None` leaves the chain without one until `set_beacon`.
		pub beacon: Option<BeaconInfo>,
		#[serde(skip)]
		#[allow(missing_docs)]
		pub _config: core::marker::PhantomData<T>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			if let Some(beacon) = self.beacon {
				Pallet::<T>::ensure_valid_beacon(&beacon).expect("the genesis beacon is valid");
				Beacon::<T>::put(beacon);
			}
		}
	}

	/// Events of the pallet.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A verified pulse was stored.
		PulseStored {
			/// Its round.
			round: u64,
		},
		/// The beacon was replaced; the stored pulses were cleared.
		BeaconSet {
			/// The new beacon.
			beacon: BeaconInfo,
		},
	}

	/// Errors of the pallet.
	#[pallet::error]
	pub enum Error<T> {
		/// The chain has no beacon yet: set one with `set_beacon`.
		NoBeacon,
		/// A pulse for this round or a later one is already stored.
		StaleRound,
		/// The round is not due yet by the chain's clock (beyond `MaxRoundsAhead`).
		FutureRound,
		/// The public key is not a point of G2's prime-order subgroup.
		InvalidPublicKey,
		/// A beacon's period must be at least one second.
		PeriodZero,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(T::HistoryDepth::get() > 0, "HistoryDepth must be at least one");
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Store a beacon pulse.
		///
		/// The origin must be the transaction's authorization, which verifies the pulse's
		/// signature against the beacon's key before the transaction enters the pool; a
		/// signed origin is refused. No fee is paid.
		///
		/// - `pulse`: a round newer than the latest stored one, due by the chain's clock, and
		///   the beacon's signature over it.
		///
		/// Fails with [`Error::NoBeacon`], [`Error::StaleRound`] or [`Error::FutureRound`]
		/// (its authorization refuses these, and a bad signature, as invalid transactions).
		///
		/// Emits `PulseStored`.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::store_pulse())]
		#[pallet::weight_of_authorize(T::WeightInfo::authorize_store_pulse())]
		#[pallet::authorize(Pallet::<T>::authorize_pulse)]
		pub fn store_pulse(origin: OriginFor<T>, pulse: Pulse) -> DispatchResult {
			ensure_authorized(origin)?;
			Self::ensure_acceptable_round(pulse.round)?;
			Self::store(pulse);
			Ok(())
		}

		/// Replace the chain's beacon, and clear the pulses of the old one.
		///
		/// The origin must be [`Config::ConfigOrigin`]. Timelocked payloads waiting for a round
		/// of the old beacon can no longer be opened.
		///
		/// - `beacon`: the new beacon's public key and round schedule.
		///
		/// Fails with [`Error::InvalidPublicKey`] or [`Error::PeriodZero`].
		///
		/// Emits `BeaconSet`.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::set_beacon(T::HistoryDepth::get()))]
		pub fn set_beacon(origin: OriginFor<T>, beacon: BeaconInfo) -> DispatchResult {
			T::ConfigOrigin::ensure_origin(origin)?;
			Self::ensure_valid_beacon(&beacon)?;
			Beacon::<T>::put(beacon);
			LatestRound::<T>::kill();
			// The ring holds at most `HistoryDepth` entries, so this clears it in one go.
			let _ = Pulses::<T>::clear(T::HistoryDepth::get(), None);
			Self::deposit_event(Event::BeaconSet { beacon });
			Ok(())
		}
	}

	impl<T: Config> Pallet<T> {
		/// The authorization of [`Pallet::store_pulse`]: the round checks first (cheap), the
		/// signature last.
		fn authorize_pulse(
			_source: TransactionSource,
			pulse: &Pulse,
		) -> TransactionValidityWithRefund {
			let beacon = Self::ensure_acceptable_round(pulse.round).map_err(|error| {
				let invalid = match error {
					Error::<T>::StaleRound => InvalidTransaction::Stale,
					Error::<T>::FutureRound => InvalidTransaction::Future,
					_ => InvalidTransaction::Call,
				};
				TransactionValidityError::from(invalid)
			})?;
			verify_pulse(&beacon.public_key, pulse.round, &pulse.signature)
				.map_err(|_| InvalidTransaction::BadProof)?;
			// The next round first, so that pending rounds are stored in order.
			let skipped = LatestRound::<T>::get()
				.map_or(0, |latest| pulse.round.saturating_sub(latest.saturating_add(1)));
			ValidTransaction::with_tag_prefix("GaltonBeacon")
				.priority(T::PulsePriority::get().saturating_sub(skipped))
				.and_provides(pulse.round)
				.longevity(64)
				.propagate(true)
				.build()
				.map(|valid| (valid, Weight::zero()))
		}

		/// The beacon, if `round` is newer than the latest pulse and due by the chain's clock.
		pub(crate) fn ensure_acceptable_round(round: u64) -> Result<BeaconInfo, Error<T>> {
			let beacon = Beacon::<T>::get().ok_or(Error::<T>::NoBeacon)?;
			if LatestRound::<T>::get().is_some_and(|latest| round <= latest) {
				return Err(Error::<T>::StaleRound);
			}
			let due = beacon.schedule.round_at(T::UnixTime::now().as_secs());
			ensure!(round <= due.saturating_add(T::MaxRoundsAhead::get()), Error::<T>::FutureRound);
			Ok(beacon)
		}

		/// Store a pulse that passed its checks.
		fn store(pulse: Pulse) {
			Pulses::<T>::insert(Self::slot(pulse.round), pulse);
			LatestRound::<T>::put(pulse.round);
			Self::deposit_event(Event::PulseStored { round: pulse.round });
		}

		/// The ring slot of `round`.
		fn slot(round: u64) -> u32 {
			// The remainder is below `HistoryDepth`, a u32.
			(round % u64::from(T::HistoryDepth::get().max(1))) as u32
		}

		/// A beacon's key must be a valid point and its period at least a second.
		pub(crate) fn ensure_valid_beacon(beacon: &BeaconInfo) -> Result<(), Error<T>> {
			beacon.public_key.point().map(drop).map_err(|_| Error::<T>::InvalidPublicKey)?;
			ensure!(beacon.schedule.period > 0, Error::<T>::PeriodZero);
			Ok(())
		}
	}

	impl<T: Config> galton_timelock::RandomnessBeacon for Pallet<T> {
		fn public_key() -> Option<BeaconPublicKey> {
			Beacon::<T>::get().map(|beacon| beacon.public_key)
		}

		fn latest_round() -> Option<u64> {
			LatestRound::<T>::get()
		}

		fn signature(round: u64) -> Option<BeaconSignature> {
			Pulses::<T>::get(Self::slot(round))
				.filter(|pulse| pulse.round == round)
				.map(|pulse| pulse.signature)
		}

		#[cfg(feature = "runtime-benchmarks")]
		fn store_for_benchmark(round: u64) {
			Self::store(crate::benchmarking::install_beacon::<T>().pulse(round));
		}
	}
}
