//! # Beacon Pallet
//!
//! Stores verified pulses of a randomness beacon (drand "quicknet" style: BLS12-381, unchained
//! rounds, signatures on G1): the keys that open weights timelocked to a round.
//!
//! ## Overview
//!
//! - The chain's beacon ([`BeaconInfo`]: public key and round schedule) is set at genesis or by
//!   [`Config::ConfigOrigin`] with [`Pallet::set_beacon`].
//! - Pulses reach the chain only as an inherent: the block author's node fetches them from its
//!   beacon source, checks them, and puts at most [`Config::MaxPulsesPerBlock`] into the block
//!   ([`Pallet::store_pulses`], built by
//!   [`ProvideInherent`](frame_support::inherent::ProvideInherent)); every node that imports the block
//!   verifies each pulse's BLS signature again, and a block with a bad pulse is invalid.
//! - Pulses never travel as transactions: the transaction pool refuses the call (an inherent is
//!   `DispatchClass::Mandatory`, which no pool admits) before it looks at the pulse, so nobody
//!   can make the nodes' pools verify signatures for free, and every block stays readable by
//!   clients that decode only signed and bare extrinsics.
//! - The last [`Config::HistoryDepth`] rounds' pulses are kept in a ring ([`Pulses`]): storage
//!   never grows.
//! - Other pallets read pulses through [`galton_timelock::RandomnessBeacon`], and learn of a new
//!   beacon through [`galton_timelock::OnBeaconReplaced`].
//!
//! ## Which pulses are accepted
//!
//! A pulse must verify against the beacon's key and be either
//!
//! - newer than the latest stored pulse and due by the chain's clock, give or take
//!   [`Config::MaxRoundsAhead`] (a beacon whose secret is known, the development beacon, could
//!   otherwise sign a far-future round and end the beacon); rounds may be skipped; or
//! - older than the latest, inside the last `HistoryDepth` rounds, and missing: a back-filled
//!   round that was skipped or withheld, so that the commits waiting for it still open.
//!
//! ## Pallet API
//!
//! See the [`pallet`] module for the calls, storage, events and errors.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod functions;
pub mod weights;

#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

pub use galton_timelock::{BeaconInfo, BeaconPublicKey, BeaconSchedule, BeaconSignature, Pulse};
pub use weights::WeightInfo;

use alloc::vec::Vec;
use frame_support::inherent::{InherentIdentifier, MakeFatalError};

/// The inherent data the block author's node provides: the verified pulses it holds.
pub const INHERENT_IDENTIFIER: InherentIdentifier = *b"glbeacon";

/// The slot of [`Pulses`] that round `round` lives in, with a history of `depth` rounds.
pub fn slot_of(round: u64, depth: u32) -> u32 {
	// The remainder is below `depth`, a u32.
	(round % u64::from(depth.max(1))) as u32
}

/// What the node puts under [`INHERENT_IDENTIFIER`]: pulses in any order; the runtime picks
/// those it accepts.
pub type InherentType = Vec<Pulse>;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use frame_support::{
		dispatch::DispatchClass,
		pallet_prelude::*,
		traits::{Get, UnixTime},
	};
	use frame_system::pallet_prelude::*;
	use galton_timelock::{verify_pulse, OnBeaconReplaced};

	/// The pulses of one block.
	pub type PulsesOf<T> = BoundedVec<Pulse, <T as Config>::MaxPulsesPerBlock>;

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

		/// The most pulses one block stores. At least one; each costs a BLS verification on
		/// every node that imports the block.
		#[pallet::constant]
		type MaxPulsesPerBlock: Get<u32>;

		/// Told when the beacon is replaced, so that what waits for the old beacon's rounds
		/// (timelocked commits) is dropped rather than stranded.
		type OnBeaconReplaced: OnBeaconReplaced;

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

	/// Whether this block's pulses were stored; cleared when the block ends.
	#[pallet::storage]
	#[pallet::whitelist_storage]
	pub type PulsesStored<T> = StorageValue<_, bool, ValueQuery>;

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
		/// This round's pulse is stored already, or the round is older than the history keeps.
		StaleRound,
		/// The round is not due yet by the chain's clock (beyond `MaxRoundsAhead`).
		FutureRound,
		/// The public key is not a point of G2's prime-order subgroup.
		InvalidPublicKey,
		/// A beacon's period must be at least one second.
		PeriodZero,
		/// The pulse's signature does not verify against the beacon's key.
		BadSignature,
		/// The block stored its pulses already: one `store_pulses` per block.
		PulsesAlreadyStored,
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn on_finalize(_now: BlockNumberFor<T>) {
			PulsesStored::<T>::kill();
		}

		fn integrity_test() {
			assert!(T::HistoryDepth::get() > 0, "HistoryDepth must be at least one");
			assert!(T::MaxPulsesPerBlock::get() > 0, "MaxPulsesPerBlock must be at least one");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_now: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Store the pulses the block author's node provides; an inherent.
		///
		/// The origin must be none, and the call must be the block's inherent: the transaction
		/// pool refuses it. Every pulse's signature is verified against the beacon's key, so a
		/// block with a bad pulse is invalid.
		///
		/// - `pulses`: at most `MaxPulsesPerBlock` pulses, each a round newer than the latest
		///   stored one and due by the chain's clock, or a missing round of the last
		///   `HistoryDepth`.
		///
		/// Fails with [`Error::PulsesAlreadyStored`], [`Error::NoBeacon`],
		/// [`Error::StaleRound`], [`Error::FutureRound`] or [`Error::BadSignature`].
		///
		/// Emits `PulseStored` for each pulse.
		#[pallet::call_index(0)]
		// The benchmark stores back-filled rounds; a new round writes `LatestRound` besides.
		#[pallet::weight((
			T::WeightInfo::store_pulses(pulses.len() as u32)
				.saturating_add(T::DbWeight::get().writes(pulses.len() as u64)),
			DispatchClass::Mandatory,
		))]
		pub fn store_pulses(origin: OriginFor<T>, pulses: PulsesOf<T>) -> DispatchResult {
			ensure_none(origin)?;
			ensure!(!PulsesStored::<T>::get(), Error::<T>::PulsesAlreadyStored);
			for pulse in pulses {
				let beacon = Self::ensure_acceptable_round(pulse.round)?;
				verify_pulse(&beacon.public_key, pulse.round, &pulse.signature)
					.map_err(|_| Error::<T>::BadSignature)?;
				Self::store(pulse);
			}
			PulsesStored::<T>::put(true);
			Ok(())
		}

		/// Replace the chain's beacon, and clear the pulses of the old one.
		///
		/// The origin must be [`Config::ConfigOrigin`]. Timelocked payloads waiting for a round
		/// of the old beacon can no longer be opened: [`Config::OnBeaconReplaced`] is told, and
		/// drops them.
		///
		/// - `beacon`: the new beacon's public key and round schedule.
		///
		/// Fails with [`Error::InvalidPublicKey`] or [`Error::PeriodZero`].
		///
		/// Emits `BeaconSet`.
		#[pallet::call_index(1)]
		#[pallet::weight(
			T::WeightInfo::set_beacon(T::HistoryDepth::get())
				.saturating_add(T::OnBeaconReplaced::weight())
		)]
		pub fn set_beacon(origin: OriginFor<T>, beacon: BeaconInfo) -> DispatchResult {
			T::ConfigOrigin::ensure_origin(origin)?;
			Self::ensure_valid_beacon(&beacon)?;
			Beacon::<T>::put(beacon);
			LatestRound::<T>::kill();
			// The ring holds at most `HistoryDepth` entries, so this clears it in one go.
			let _ = Pulses::<T>::clear(T::HistoryDepth::get(), None);
			T::OnBeaconReplaced::on_beacon_replaced();
			Self::deposit_event(Event::BeaconSet { beacon });
			Ok(())
		}
	}

	#[pallet::inherent]
	impl<T: Config> ProvideInherent for Pallet<T> {
		type Call = Call<T>;
		type Error = MakeFatalError<()>;
		const INHERENT_IDENTIFIER: InherentIdentifier = INHERENT_IDENTIFIER;

		/// The pulses of the inherent data that the chain accepts, back-filled rounds first,
		/// then new rounds in order, at most `MaxPulsesPerBlock`. Signatures are verified by the
		/// call itself (the node checked them before it provided them).
		fn create_inherent(data: &InherentData) -> Option<Self::Call> {
			let offered: InherentType = data.get_data(&INHERENT_IDENTIFIER).ok().flatten()?;
			let pulses = Self::select_pulses(offered);
			(!pulses.is_empty()).then_some(Call::store_pulses { pulses })
		}

		/// Nothing to compare: the pulses are checked in full when the call runs.
		fn check_inherent(_call: &Self::Call, _data: &InherentData) -> Result<(), Self::Error> {
			Ok(())
		}

		fn is_inherent(call: &Self::Call) -> bool {
			matches!(call, Call::store_pulses { .. })
		}
	}
}
