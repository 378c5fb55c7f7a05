//! Benchmarking for the subnets pallet.

#![cfg(feature = "runtime-benchmarks")]

use super::*;
use alloc::vec::Vec;
use frame_benchmarking::v2::*;
use frame_support::traits::{fungible::Mutate, EnsureOriginWithArg};
use frame_system::RawOrigin;
use sp_runtime::traits::Saturating;

/// Give `who` enough to hold either deposit many times over.
fn fund<T: Config>(who: &T::AccountId) {
	let deposit = T::SubnetDeposit::get().max(T::RegistrationDeposit::get());
	let amount =
		deposit.saturating_mul(100u32.into()).saturating_add(T::Currency::minimum_balance());
	T::Currency::set_balance(who, amount);
}

/// A new subnet with `neurons` registered neurons; the first, which registered through the call
/// and holds its deposit, holds a validator permit and is returned with the netuid.
fn subnet_with<T: Config>(neurons: u32) -> (NetUid, T::AccountId) {
	let owner: T::AccountId = account("owner", 0, 0);
	let netuid = Pallet::<T>::do_create_subnet(owner).expect("room for one more subnet");
	let validator: T::AccountId = whitelisted_caller();
	fund::<T>(&validator);
	Pallet::<T>::register(RawOrigin::Signed(validator.clone()).into(), netuid)
		.expect("an empty subnet and a funded hotkey");
	let uid = Uids::<T>::get(netuid, &validator).expect("just registered");
	ValidatorPermits::<T>::insert(netuid, uid, ());
	for index in 1..neurons {
		Pallet::<T>::do_register(netuid, account("neuron", index, 0)).expect("within MaxNeurons");
	}
	(netuid, validator)
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn create_subnet() {
		let caller: T::AccountId = whitelisted_caller();
		fund::<T>(&caller);
		let before = SubnetCount::<T>::get();

		#[extrinsic_call]
		_(RawOrigin::Signed(caller.clone()));

		assert_eq!(SubnetOwners::<T>::get(before + 1), Some(caller));
	}

	#[benchmark]
	fn register() {
		let (netuid, _) = subnet_with::<T>(T::MaxNeurons::get() - 1);
		let hotkey: T::AccountId = account("newcomer", 0, 0);
		fund::<T>(&hotkey);

		#[extrinsic_call]
		_(RawOrigin::Signed(hotkey.clone()), netuid);

		assert_eq!(Uids::<T>::get(netuid, &hotkey), Some((T::MaxNeurons::get() - 1) as Uid));
	}

	#[benchmark]
	fn set_validator_permit() -> Result<(), BenchmarkError> {
		let (netuid, _) = subnet_with::<T>(2);
		let origin = T::OwnerOrigin::try_successful_origin(&netuid)
			.map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, netuid, 1, true);

		assert!(ValidatorPermits::<T>::contains_key(netuid, 1));
		Ok(())
	}

	#[benchmark]
	fn set_weights(n: Linear<0, { T::MaxNeurons::get() }>) {
		let (netuid, validator) = subnet_with::<T>(n.max(1));
		let uids: Vec<Uid> = (0..n as Uid).collect();
		let values: Vec<u16> = uids.iter().map(|uid| uid.wrapping_add(1)).collect();

		#[extrinsic_call]
		_(RawOrigin::Signed(validator), netuid, uids, values, 0);

		assert_eq!(Weights::<T>::get(netuid, 0).map(|w| w.len() as u32), Some(n));
	}

	#[benchmark]
	fn set_weights_version_key() -> Result<(), BenchmarkError> {
		let (netuid, _) = subnet_with::<T>(1);
		let origin = T::OwnerOrigin::try_successful_origin(&netuid)
			.map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, netuid, 7);

		assert_eq!(WeightsVersionKeys::<T>::get(netuid), 7);
		Ok(())
	}

	#[benchmark]
	fn deregister() {
		let neurons = T::MaxNeurons::get();
		let (netuid, validator) = subnet_with::<T>(neurons);
		let uids: Vec<Uid> = (0..neurons as Uid).collect();
		Pallet::<T>::do_apply_weights(netuid, 0, &uids, &uids).expect("valid weights");

		#[extrinsic_call]
		_(RawOrigin::Signed(validator.clone()), netuid, validator.clone());

		assert_eq!(Uids::<T>::get(netuid, &validator), None);
		assert!(Weights::<T>::get(netuid, 0).is_none());
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
