//! The "root or subnet owner" origin check.

use core::marker::PhantomData;
use frame_support::traits::EnsureOriginWithArg;
use frame_system::{pallet_prelude::OriginFor, RawOrigin};
use galton_primitives::NetUid;

use crate::{Config, SubnetOwners};

/// Accepts root, or a signed origin that owns the subnet given as the argument.
///
/// Galton's runtime uses it as the `ConfigOrigin` of the anti-copying pallets, so that a subnet
/// owner tunes its own reveal window and epsilon schedules while governance can override.
pub struct EnsureSubnetOwnerOrRoot<T>(PhantomData<T>);

impl<T: Config> EnsureOriginWithArg<OriginFor<T>, NetUid> for EnsureSubnetOwnerOrRoot<T> {
	type Success = ();

	fn try_origin(origin: OriginFor<T>, netuid: &NetUid) -> Result<(), OriginFor<T>> {
		match origin.clone().into() {
			Ok(RawOrigin::Root) => Ok(()),
			Ok(RawOrigin::Signed(who)) if SubnetOwners::<T>::get(netuid).as_ref() == Some(&who) => {
				Ok(())
			}
			_ => Err(origin),
		}
	}

	#[cfg(feature = "runtime-benchmarks")]
	fn try_successful_origin(_: &NetUid) -> Result<OriginFor<T>, ()> {
		Ok(RawOrigin::Root.into())
	}
}
