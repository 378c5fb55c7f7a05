//! What the anti-copying pallets see of this registry: [`SubnetsInterface`], and
//! [`SetWeightsCall`] to recognise its plain weight-setting call.

use core::marker::PhantomData;
use frame_support::traits::IsSubType;
use galton_primitives::{NetUid, PlainWeightsCall, SubnetsInterface, Uid, WeightsError};

use alloc::vec::Vec;
use frame_support::weights::Weight;
use frame_system::pallet_prelude::BlockNumberFor;

use crate::{
	registration, Call, Config, Pallet, SubnetOwners, Uids, ValidatorPermits, WeightsVersionKeys,
};

/// Recognises [`Pallet::set_weights`] inside the runtime's call type, for commit-reveal's
/// transaction extension.
pub struct SetWeightsCall<T>(PhantomData<T>);

impl<T: Config, RuntimeCall: IsSubType<Call<T>>> PlainWeightsCall<RuntimeCall>
	for SetWeightsCall<T>
{
	fn netuid(call: &RuntimeCall) -> Option<NetUid> {
		match call.is_sub_type() {
			Some(Call::set_weights { netuid, .. }) => Some(*netuid),
			_ => None,
		}
	}
}

impl<T: Config> SubnetsInterface<T::AccountId, BlockNumberFor<T>> for Pallet<T> {
	fn subnet_owner(netuid: NetUid) -> Option<T::AccountId> {
		SubnetOwners::<T>::get(netuid)
	}

	fn uid_of(netuid: NetUid, hotkey: &T::AccountId) -> Option<Uid> {
		Uids::<T>::get(netuid, hotkey)
	}

	fn has_validator_permit(netuid: NetUid, uid: Uid) -> bool {
		ValidatorPermits::<T>::contains_key(netuid, uid)
	}

	fn weights_version_key(netuid: NetUid) -> u64 {
		WeightsVersionKeys::<T>::get(netuid)
	}

	fn held_since(netuid: NetUid, uids: &[Uid], since: BlockNumberFor<T>) -> Vec<bool> {
		registration::held_since::<T>(netuid, uids, since)
	}

	fn uid_count(netuid: NetUid) -> u16 {
		crate::NeuronCounts::<T>::get(netuid)
	}

	fn held_since_weight(uids: &[Uid]) -> Weight {
		registration::held_since_weight::<T>(uids)
	}

	fn check_weights(netuid: NetUid, uids: &[Uid], values: &[u16]) -> Result<(), WeightsError> {
		Self::do_check_weights(netuid, uids, values)
	}

	fn apply_weights(
		netuid: NetUid,
		uid: Uid,
		uids: &[Uid],
		values: &[u16],
	) -> Result<(), WeightsError> {
		Self::do_apply_weights(netuid, uid, uids, values)
	}
}

/// Builds benchmark state through the pallet's own functions.
#[cfg(feature = "runtime-benchmarks")]
impl<T: Config> galton_primitives::BenchmarkHelper<T::AccountId> for Pallet<T> {
	fn create_subnet(netuid: NetUid) {
		while crate::SubnetCount::<T>::get() < netuid {
			let owner = frame_benchmarking::account("owner", u32::from(netuid), 0);
			Self::do_create_subnet(owner).expect("benchmarks stay within MaxSubnets");
		}
	}

	fn register(netuid: NetUid, hotkey: &T::AccountId, validator: bool) -> Uid {
		<Self as galton_primitives::BenchmarkHelper<T::AccountId>>::create_subnet(netuid);
		let uid = Uids::<T>::get(netuid, hotkey).unwrap_or_else(|| {
			Self::do_register(netuid, hotkey.clone()).expect("benchmarks stay within MaxNeurons")
		});
		if validator {
			ValidatorPermits::<T>::insert(netuid, uid, ());
		}
		uid
	}

	fn max_neurons() -> u32 {
		use frame_support::traits::Get;
		T::MaxNeurons::get()
	}
}
