//! [`SubnetsInterface`] for the pallet: what the anti-copying pallets see of this registry.

use galton_primitives::{NetUid, SubnetsInterface, Uid, WeightsError};

use crate::{Config, Pallet, SubnetOwner, Uids, ValidatorPermits};

impl<T: Config> SubnetsInterface<T::AccountId> for Pallet<T> {
	fn subnet_owner(netuid: NetUid) -> Option<T::AccountId> {
		SubnetOwner::<T>::get(netuid)
	}

	fn uid_of(netuid: NetUid, hotkey: &T::AccountId) -> Option<Uid> {
		Uids::<T>::get(netuid, hotkey)
	}

	fn has_validator_permit(netuid: NetUid, uid: Uid) -> bool {
		ValidatorPermits::<T>::contains_key(netuid, uid)
	}

	fn check_weights(
		netuid: NetUid,
		uids: &[Uid],
		values: &[u16],
		version_key: u64,
	) -> Result<(), WeightsError> {
		Self::do_check_weights(netuid, uids, values, version_key)
	}

	fn apply_weights(
		netuid: NetUid,
		uid: Uid,
		uids: &[Uid],
		values: &[u16],
		version_key: u64,
	) -> Result<(), WeightsError> {
		Self::do_apply_weights(netuid, uid, uids, values, version_key)
	}
}
