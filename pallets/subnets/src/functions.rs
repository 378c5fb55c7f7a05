//! The pallet's functions: subnet and neuron bookkeeping behind the calls, deposits, the
//! weight checks the host interface uses, and the invariants.

use super::*;

impl<T: Config> Pallet<T> {
	/// Fail with [`Error::UnknownSubnet`] unless `netuid` exists.
	pub fn ensure_subnet(netuid: NetUid) -> Result<(), Error<T>> {
		if SubnetOwners::<T>::contains_key(netuid) {
			Ok(())
		} else {
			Err(Error::<T>::UnknownSubnet)
		}
	}

	/// Create the next subnet, owned by `owner`, and return its netuid.
	pub fn do_create_subnet(owner: T::AccountId) -> Result<NetUid, Error<T>> {
		let count = SubnetCount::<T>::get();
		if count >= T::MaxSubnets::get() {
			return Err(Error::<T>::TooManySubnets);
		}
		let netuid = count.saturating_add(1);
		SubnetCount::<T>::put(netuid);
		SubnetOwners::<T>::insert(netuid, &owner);
		Self::deposit_event(Event::SubnetCreated { netuid, owner });
		Ok(netuid)
	}

	/// Register `hotkey` on `netuid` under the next uid and return it.
	pub fn do_register(netuid: NetUid, hotkey: T::AccountId) -> Result<Uid, Error<T>> {
		Self::ensure_subnet(netuid)?;
		if Uids::<T>::contains_key(netuid, &hotkey) {
			return Err(Error::<T>::AlreadyRegistered);
		}
		let count = NeuronCounts::<T>::get(netuid);
		let mut held = OccupiedUids::<T>::get(netuid);
		let uid = match occupancy::first_vacant(&held, count) {
			Some(uid) => uid,
			None => {
				if u32::from(count) >= T::MaxNeurons::get() {
					return Err(Error::<T>::SubnetFull);
				}
				// `count < MaxNeurons <= u16::MAX` (integrity test): `count + 1` never saturates.
				NeuronCounts::<T>::insert(netuid, count.saturating_add(1));
				count
			}
		};
		occupancy::mark::<T>(&mut held, uid, true).map_err(|_| Error::<T>::SubnetFull)?;
		OccupiedUids::<T>::insert(netuid, held);
		Keys::<T>::insert(netuid, uid, &hotkey);
		Uids::<T>::insert(netuid, &hotkey, uid);
		registration::record::<T>(netuid, uid, frame_system::Pallet::<T>::block_number());
		Self::deposit_event(Event::NeuronRegistered { netuid, uid, hotkey });
		Ok(uid)
	}

	/// Hold `amount` from `who` for `reason`; `Ok(false)` when `amount` is zero and nothing is
	/// held.
	pub(crate) fn hold_deposit(
		reason: HoldReason,
		who: &T::AccountId,
		amount: BalanceOf<T>,
	) -> Result<bool, Error<T>> {
		if amount.is_zero() {
			return Ok(false);
		}
		T::Currency::hold(&reason.into(), who, amount)
			.map_err(|_| Error::<T>::CannotHoldDeposit)?;
		Ok(true)
	}

	/// Deregister `hotkey` from `netuid`: free its uid, release its deposit, drop its permit and
	/// weights, tell [`Config::OnDeregister`].
	pub fn do_deregister(netuid: NetUid, hotkey: T::AccountId) -> DispatchResult {
		Self::ensure_subnet(netuid)?;
		let uid = Uids::<T>::take(netuid, &hotkey).ok_or(Error::<T>::NotRegistered)?;
		if let Some(deposit) = Deposits::<T>::take(netuid, &hotkey) {
			let reason = HoldReason::RegistrationDeposit.into();
			T::Currency::release(&reason, &hotkey, deposit, Precision::BestEffort)?;
		}
		Keys::<T>::remove(netuid, uid);
		ValidatorPermits::<T>::remove(netuid, uid);
		Weights::<T>::remove(netuid, uid);
		OccupiedUids::<T>::try_mutate(netuid, |held| occupancy::mark::<T>(held, uid, false))
			.map_err(|_| Error::<T>::SubnetFull)?;
		T::OnDeregister::on_hotkey_deregistered(netuid, &hotkey);
		Self::deposit_event(Event::NeuronDeregistered { netuid, uid, hotkey });
		Ok(())
	}

	/// Fail with [`WeightsError::OutdatedVersionKey`] if `version_key` is below `netuid`'s
	/// minimum.
	pub fn ensure_version_key(netuid: NetUid, version_key: u64) -> Result<(), WeightsError> {
		if version_key < WeightsVersionKeys::<T>::get(netuid) {
			return Err(WeightsError::OutdatedVersionKey);
		}
		Ok(())
	}

	/// Check weights against the subnet's rules without storing them: lengths, bounds, no uid
	/// twice, each uid held.
	pub fn do_check_weights(
		netuid: NetUid,
		uids: &[Uid],
		values: &[u16],
	) -> Result<(), WeightsError> {
		let max_len = T::MaxNeurons::get() as usize;
		let held = OccupiedUids::<T>::get(netuid);
		galton_primitives::check_weights(uids, values, max_len, |uid| {
			occupancy::is_held(&held, uid)
		})
	}

	/// Check and store the weights neuron `uid` sets on `netuid`, and emit `WeightsSet`. The
	/// version key is the caller's to check ([`Self::ensure_version_key`]).
	pub fn do_apply_weights(
		netuid: NetUid,
		uid: Uid,
		uids: &[Uid],
		values: &[u16],
	) -> Result<(), WeightsError> {
		Self::do_check_weights(netuid, uids, values)?;
		let pairs: alloc::vec::Vec<(Uid, u16)> =
			uids.iter().copied().zip(values.iter().copied()).collect();
		let weights = WeightsOf::<T>::try_from(pairs).map_err(|_| WeightsError::TooManyWeights)?;
		let count = weights.len() as u32;
		Weights::<T>::insert(netuid, uid, weights);
		Self::deposit_event(Event::WeightsSet { netuid, uid, count });
		Ok(())
	}

	/// Check the pallet's invariants: every subnet up to `SubnetCount` has an owner and no other
	/// does; `Keys`, `Uids` and `OccupiedUids` agree; uids, permits and weights stay below
	/// `NeuronCounts`.
	#[cfg(any(feature = "try-runtime", test))]
	pub fn do_try_state() -> Result<(), sp_runtime::TryRuntimeError> {
		use frame_support::ensure;
		let count = SubnetCount::<T>::get();
		ensure!(SubnetOwners::<T>::iter_keys().all(|n| n >= 1 && n <= count), "owner beyond count");
		ensure!(SubnetOwners::<T>::iter_keys().count() == usize::from(count), "subnet lacks owner");
		for (netuid, uid, hotkey) in Keys::<T>::iter() {
			ensure!(uid < NeuronCounts::<T>::get(netuid), "uid beyond NeuronCounts");
			ensure!(Uids::<T>::get(netuid, &hotkey) == Some(uid), "Keys and Uids disagree");
			ensure!(
				registration::registered_at::<T>(netuid, uid)
					.is_some_and(|block| block <= frame_system::Pallet::<T>::block_number()),
				"held uid without a past registration block"
			);
		}
		for (netuid, held) in OccupiedUids::<T>::iter() {
			for uid in 0..NeuronCounts::<T>::get(netuid) {
				ensure!(
					occupancy::is_held(&held, uid) == Keys::<T>::contains_key(netuid, uid),
					"OccupiedUids and Keys disagree"
				);
			}
		}
		ensure!(Uids::<T>::iter().count() == Keys::<T>::iter().count(), "Uids has extra entries");
		for (netuid, hotkey, _) in Deposits::<T>::iter() {
			ensure!(Uids::<T>::contains_key(netuid, &hotkey), "deposit of an unregistered hotkey");
		}
		for (netuid, uid, ()) in ValidatorPermits::<T>::iter() {
			ensure!(Keys::<T>::contains_key(netuid, uid), "permit for an unknown uid");
		}
		for (netuid, uid, weights) in Weights::<T>::iter() {
			ensure!(Keys::<T>::contains_key(netuid, uid), "weights of an unknown uid");
			// A target may have been deregistered since; it was a handed-out uid all the same.
			let count = NeuronCounts::<T>::get(netuid);
			ensure!(weights.iter().all(|(target, _)| *target < count), "weights name a wild uid");
		}
		Ok(())
	}
}
