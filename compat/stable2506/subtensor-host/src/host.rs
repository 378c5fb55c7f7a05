//! A stand-in for a fork's `pallet-subtensor`: its storage items, by its names, and what Galton's
//! pallets ask of a host. Neurons are registered by [`register`], as subtensor's registration
//! extrinsics would. Unlike subtensor's, the per-uid items are bounded ([`MAX_UIDS`]).

pub use pallet::*;

use frame_support::{
	traits::{EnsureOriginWithArg, Get},
	weights::Weight,
};
use frame_system::{pallet_prelude::BlockNumberFor, RawOrigin};
use galton_primitives::{NetUid, SubnetsInterface, Uid, WeightsError};
use sp_runtime::traits::UniqueSaturatedInto;

/// The most uids a subnet holds here, as the runtime's `MaxUids`.
pub const MAX_UIDS: u32 = 4_096;

#[frame_support::pallet]
pub mod pallet {
	use frame_support::pallet_prelude::*;
	use galton_primitives::NetUid;

	/// One entry per uid of a subnet.
	pub type PerUid<V> = BoundedVec<V, ConstU32<{ super::MAX_UIDS }>>;

	/// The host's configuration: nothing beyond the system's.
	#[pallet::config]
	pub trait Config: frame_system::Config {}

	/// The host pallet.
	#[pallet::pallet]
	pub struct Pallet<T>(_);

	/// Each subnet's owner.
	#[pallet::storage]
	pub type SubnetOwner<T: Config> = StorageMap<_, Identity, NetUid, T::AccountId, OptionQuery>;

	/// How many uids each subnet has handed out.
	#[pallet::storage]
	pub type SubnetworkN<T: Config> = StorageMap<_, Identity, NetUid, u16, ValueQuery>;

	/// Each registered hotkey's uid.
	#[pallet::storage]
	pub type Uids<T: Config> =
		StorageDoubleMap<_, Identity, NetUid, Blake2_128Concat, T::AccountId, u16, OptionQuery>;

	/// Each uid's hotkey.
	#[pallet::storage]
	pub type Keys<T: Config> =
		StorageDoubleMap<_, Identity, NetUid, Identity, u16, T::AccountId, OptionQuery>;

	/// Which uids hold a validator permit, by uid.
	#[pallet::storage]
	pub type ValidatorPermit<T: Config> = StorageMap<_, Identity, NetUid, PerUid<bool>, ValueQuery>;

	/// The lowest version key a subnet's weights may carry.
	#[pallet::storage]
	pub type WeightsVersionKey<T: Config> = StorageMap<_, Identity, NetUid, u64, ValueQuery>;

	/// The block each uid was registered at.
	#[pallet::storage]
	pub type BlockAtRegistration<T: Config> =
		StorageDoubleMap<_, Identity, NetUid, Identity, u16, u64, ValueQuery>;

	/// Each validator's weights.
	#[pallet::storage]
	pub type Weights<T: Config> =
		StorageDoubleMap<_, Identity, NetUid, Identity, u16, PerUid<(u16, u16)>, ValueQuery>;
}

/// Register `hotkey` on `netuid` at the current block, with a validator permit if `validator`;
/// returns its uid, or `None` when the subnet holds [`MAX_UIDS`] already.
pub fn register<T: Config>(netuid: NetUid, hotkey: &T::AccountId, validator: bool) -> Option<Uid> {
	let uid = SubnetworkN::<T>::get(netuid);
	ValidatorPermit::<T>::try_mutate(netuid, |permits| permits.try_push(validator)).ok()?;
	SubnetworkN::<T>::insert(netuid, uid + 1);
	Uids::<T>::insert(netuid, hotkey, uid);
	Keys::<T>::insert(netuid, uid, hotkey);
	let now: u64 = frame_system::Pallet::<T>::block_number().unique_saturated_into();
	BlockAtRegistration::<T>::insert(netuid, uid, now);
	Some(uid)
}

impl<T: Config> SubnetsInterface<T::AccountId, BlockNumberFor<T>> for Pallet<T> {
	fn subnet_owner(netuid: NetUid) -> Option<T::AccountId> {
		SubnetOwner::<T>::get(netuid)
	}

	fn uid_of(netuid: NetUid, hotkey: &T::AccountId) -> Option<Uid> {
		Uids::<T>::get(netuid, hotkey)
	}

	fn has_validator_permit(netuid: NetUid, uid: Uid) -> bool {
		ValidatorPermit::<T>::get(netuid).get(usize::from(uid)).copied().unwrap_or(false)
	}

	fn weights_version_key(netuid: NetUid) -> u64 {
		WeightsVersionKey::<T>::get(netuid)
	}

	fn held_since(netuid: NetUid, uids: &[Uid], since: BlockNumberFor<T>) -> Vec<bool> {
		let since: u64 = since.unique_saturated_into();
		uids.iter()
			.map(|&uid| {
				Keys::<T>::contains_key(netuid, uid)
					&& BlockAtRegistration::<T>::get(netuid, uid) < since
			})
			.collect()
	}

	fn uid_count(netuid: NetUid) -> u16 {
		SubnetworkN::<T>::get(netuid)
	}

	/// Two reads per uid: its `Keys` and `BlockAtRegistration` entries.
	fn held_since_weight(uids: &[Uid]) -> Weight {
		T::DbWeight::get().reads(2 * uids.len() as u64)
	}

	fn check_weights(netuid: NetUid, uids: &[Uid], values: &[u16]) -> Result<(), WeightsError> {
		let count = SubnetworkN::<T>::get(netuid);
		galton_primitives::check_weights(uids, values, usize::from(count), |uid| uid < count)
	}

	fn apply_weights(
		netuid: NetUid,
		uid: Uid,
		uids: &[Uid],
		values: &[u16],
	) -> Result<(), WeightsError> {
		Self::check_weights(netuid, uids, values)?;
		let weights: Vec<(Uid, u16)> = uids.iter().copied().zip(values.iter().copied()).collect();
		let weights = PerUid::try_from(weights).map_err(|_| WeightsError::TooManyWeights)?;
		Weights::<T>::insert(netuid, uid, weights);
		Ok(())
	}
}

/// Root, or the subnet's owner: who tunes a subnet's commit-reveal and competitions.
pub struct SubnetOwnerOrRoot<T>(core::marker::PhantomData<T>);

impl<T: Config> EnsureOriginWithArg<T::RuntimeOrigin, NetUid> for SubnetOwnerOrRoot<T> {
	type Success = ();

	fn try_origin(origin: T::RuntimeOrigin, netuid: &NetUid) -> Result<(), T::RuntimeOrigin> {
		match origin.clone().into() {
			Ok(RawOrigin::Root) => Ok(()),
			Ok(RawOrigin::Signed(who)) if SubnetOwner::<T>::get(netuid).as_ref() == Some(&who) => {
				Ok(())
			}
			_ => Err(origin),
		}
	}
}
