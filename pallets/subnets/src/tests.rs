//! Tests for the subnets pallet.

use crate::{
	mock::*, Deposits, Error, Event, HoldReason, Keys, NeuronCounts, SubnetCount, SubnetOwners,
	Uids, ValidatorPermits, Weights, WeightsVersionKeys,
};
use frame_support::{
	assert_noop, assert_ok,
	traits::{fungible::InspectHold, EnsureOriginWithArg},
};
use galton_primitives::{SubnetsInterface, WeightsError};
use sp_runtime::DispatchError;

fn signed(who: u64) -> RuntimeOrigin {
	RuntimeOrigin::signed(who)
}

fn stored_weights(uid: u16) -> Vec<(u16, u16)> {
	Weights::<Test>::get(1, uid).map(|w| w.into_inner()).unwrap_or_default()
}

#[test]
fn genesis_builds_subnet_and_neurons() {
	build_and_execute(|| {
		assert_eq!(SubnetCount::<Test>::get(), 1);
		assert_eq!(SubnetOwners::<Test>::get(1), Some(OWNER));
		assert_eq!(NeuronCounts::<Test>::get(1), 3);
		assert_eq!(Keys::<Test>::get(1, 1), Some(MINER));
		assert_eq!(Uids::<Test>::get(1, VALIDATOR_2), Some(2));
		assert!(ValidatorPermits::<Test>::contains_key(1, 0));
		assert!(!ValidatorPermits::<Test>::contains_key(1, 1));
	});
}

#[test]
fn create_subnet_works() {
	build_and_execute(|| {
		assert_ok!(Subnets::create_subnet(signed(5)));
		assert_eq!(SubnetOwners::<Test>::get(2), Some(5));
		System::assert_last_event(Event::SubnetCreated { netuid: 2, owner: 5 }.into());
	});
}

fn held(reason: HoldReason, who: u64) -> u64 {
	Balances::balance_on_hold(&reason.into(), &who)
}

#[test]
fn creating_a_subnet_holds_the_owner_deposit() {
	build_and_execute(|| {
		assert_ok!(Subnets::create_subnet(signed(5)));
		assert_eq!(held(HoldReason::SubnetDeposit, 5), SubnetDeposit::get());
		assert_eq!(Balances::free_balance(5), ENDOWMENT - SubnetDeposit::get());
		// A spammer without funds creates nothing.
		assert_noop!(Subnets::create_subnet(signed(POOR)), Error::<Test>::CannotHoldDeposit);
		assert_noop!(Subnets::create_subnet(signed(500)), Error::<Test>::CannotHoldDeposit);
	});
}

#[test]
fn registering_holds_a_deposit_until_deregistration() {
	build_and_execute(|| {
		assert_ok!(Subnets::create_subnet(signed(OWNER)));
		let deposit = RegistrationDeposit::get();
		assert_ok!(Subnets::register(signed(20), 1));
		assert_ok!(Subnets::register(signed(20), 2));
		// One deposit per subnet.
		assert_eq!(held(HoldReason::RegistrationDeposit, 20), 2 * deposit);
		assert_eq!(Deposits::<Test>::get(1, 20), Some(deposit));
		assert_noop!(Subnets::register(signed(POOR), 1), Error::<Test>::CannotHoldDeposit);
		// The owner deregisters it from subnet 1: that deposit comes back to the hotkey.
		assert_ok!(Subnets::deregister(signed(OWNER), 1, 20));
		assert_eq!(held(HoldReason::RegistrationDeposit, 20), deposit);
		assert_eq!(Deposits::<Test>::get(1, 20), None);
		assert_ok!(Subnets::deregister(signed(20), 2, 20));
		assert_eq!(held(HoldReason::RegistrationDeposit, 20), 0);
		assert_eq!(Balances::free_balance(20), ENDOWMENT);
		// Genesis neurons hold nothing and leave all the same.
		assert_ok!(Subnets::deregister(signed(MINER), 1, MINER));
		assert_eq!(Balances::free_balance(MINER), ENDOWMENT);
	});
}

#[test]
fn create_subnet_fails_beyond_max_subnets() {
	build_and_execute(|| {
		assert_ok!(Subnets::create_subnet(signed(5)));
		assert_ok!(Subnets::create_subnet(signed(6)));
		assert_noop!(Subnets::create_subnet(signed(7)), Error::<Test>::TooManySubnets);
	});
}

#[test]
fn create_subnet_requires_signed_origin() {
	build_and_execute(|| {
		assert_noop!(Subnets::create_subnet(RuntimeOrigin::none()), DispatchError::BadOrigin);
	});
}

#[test]
fn register_works() {
	build_and_execute(|| {
		assert_ok!(Subnets::register(signed(20), 1));
		assert_eq!(Uids::<Test>::get(1, 20), Some(3));
		assert_eq!(Keys::<Test>::get(1, 3), Some(20));
		System::assert_has_event(Event::NeuronRegistered { netuid: 1, uid: 3, hotkey: 20 }.into());
	});
}

#[test]
fn register_fails_on_bad_input() {
	build_and_execute(|| {
		assert_noop!(Subnets::register(signed(20), 9), Error::<Test>::UnknownSubnet);
		assert_noop!(Subnets::register(signed(MINER), 1), Error::<Test>::AlreadyRegistered);
		assert_ok!(Subnets::register(signed(20), 1));
		assert_ok!(Subnets::register(signed(21), 1));
		assert_noop!(Subnets::register(signed(22), 1), Error::<Test>::SubnetFull);
	});
}

#[test]
fn deregister_frees_the_uid_and_tells_other_pallets() {
	build_and_execute(|| {
		assert_ok!(Subnets::set_weights(signed(VALIDATOR), 1, vec![1], vec![1], 0));
		assert_ok!(Subnets::deregister(signed(VALIDATOR), 1, VALIDATOR));
		assert_eq!(Uids::<Test>::get(1, VALIDATOR), None);
		assert_eq!(Keys::<Test>::get(1, 0), None);
		assert!(!ValidatorPermits::<Test>::contains_key(1, 0));
		assert!(Weights::<Test>::get(1, 0).is_none());
		assert_eq!(Deregistered::get(), vec![(1, VALIDATOR)]);
		System::assert_last_event(
			Event::NeuronDeregistered { netuid: 1, uid: 0, hotkey: VALIDATOR }.into(),
		);
		// The vacant uid is reused, without a permit.
		assert_ok!(Subnets::register(signed(30), 1));
		assert_eq!(Uids::<Test>::get(1, 30), Some(0));
		assert!(!ValidatorPermits::<Test>::contains_key(1, 0));
		assert_eq!(NeuronCounts::<Test>::get(1), 3);
	});
}

#[test]
fn deregister_by_owner_or_root() {
	build_and_execute(|| {
		assert_ok!(Subnets::deregister(signed(OWNER), 1, MINER));
		assert_ok!(Subnets::deregister(RuntimeOrigin::root(), 1, VALIDATOR_2));
		assert_eq!(Deregistered::get(), vec![(1, MINER), (1, VALIDATOR_2)]);
	});
}

#[test]
fn deregister_fails_on_bad_input() {
	build_and_execute(|| {
		assert_noop!(Subnets::deregister(signed(MINER), 1, VALIDATOR), DispatchError::BadOrigin);
		assert_noop!(
			Subnets::deregister(RuntimeOrigin::none(), 1, VALIDATOR),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Subnets::deregister(RuntimeOrigin::root(), 9, MINER),
			Error::<Test>::UnknownSubnet
		);
		assert_noop!(Subnets::deregister(signed(99), 1, 99), Error::<Test>::NotRegistered);
		assert!(Deregistered::get().is_empty());
	});
}

#[test]
fn set_validator_permit_works_for_owner_and_root() {
	build_and_execute(|| {
		assert_ok!(Subnets::set_validator_permit(signed(OWNER), 1, 1, true));
		assert!(ValidatorPermits::<Test>::contains_key(1, 1));
		System::assert_last_event(
			Event::ValidatorPermitSet { netuid: 1, uid: 1, granted: true }.into(),
		);
		assert_ok!(Subnets::set_validator_permit(RuntimeOrigin::root(), 1, 1, false));
		assert!(!ValidatorPermits::<Test>::contains_key(1, 1));
	});
}

#[test]
fn set_validator_permit_fails_on_bad_input() {
	build_and_execute(|| {
		assert_noop!(
			Subnets::set_validator_permit(signed(VALIDATOR), 1, 1, true),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Subnets::set_validator_permit(RuntimeOrigin::root(), 9, 0, true),
			Error::<Test>::UnknownSubnet
		);
		assert_noop!(
			Subnets::set_validator_permit(signed(OWNER), 1, 4, true),
			Error::<Test>::UnknownUid
		);
	});
}

#[test]
fn set_weights_works() {
	build_and_execute(|| {
		assert_ok!(Subnets::set_weights(signed(VALIDATOR), 1, vec![1, 2], vec![100, 7], 0));
		assert_eq!(stored_weights(0), vec![(1, 100), (2, 7)]);
		System::assert_last_event(Event::WeightsSet { netuid: 1, uid: 0, count: 2 }.into());
		// A second call replaces the first.
		assert_ok!(Subnets::set_weights(signed(VALIDATOR), 1, vec![0], vec![1], 0));
		assert_eq!(stored_weights(0), vec![(0, 1)]);
	});
}

#[test]
fn set_weights_fails_on_bad_input() {
	build_and_execute(|| {
		let set = |who, netuid, uids: Vec<u16>, values: Vec<u16>, key| {
			Subnets::set_weights(signed(who), netuid, uids, values, key)
		};
		assert_noop!(set(VALIDATOR, 9, vec![0], vec![1], 0), Error::<Test>::UnknownSubnet);
		assert_noop!(set(99, 1, vec![0], vec![1], 0), Error::<Test>::NotRegistered);
		assert_noop!(set(MINER, 1, vec![0], vec![1], 0), Error::<Test>::NoValidatorPermit);
		assert_noop!(set(VALIDATOR, 1, vec![0, 1], vec![1], 0), Error::<Test>::LengthMismatch);
		assert_noop!(set(VALIDATOR, 1, vec![0; 6], vec![1; 6], 0), Error::<Test>::TooManyWeights);
		assert_noop!(set(VALIDATOR, 1, vec![1, 1], vec![1, 1], 0), Error::<Test>::DuplicateUid);
		assert_noop!(set(VALIDATOR, 1, vec![3], vec![1], 0), Error::<Test>::UnknownUid);
		assert_ok!(Subnets::set_weights_version_key(signed(OWNER), 1, 5));
		assert_noop!(set(VALIDATOR, 1, vec![0], vec![1], 4), Error::<Test>::OutdatedVersionKey);
		assert_ok!(set(VALIDATOR, 1, vec![0], vec![1], 5));
	});
}

#[test]
fn set_weights_refused_while_commit_reveal_is_on() {
	build_and_execute(|| {
		CommitRevealOn::set(true);
		assert_noop!(
			Subnets::set_weights(signed(VALIDATOR), 1, vec![0], vec![1], 0),
			Error::<Test>::CommitRevealEnabled
		);
	});
}

#[test]
fn set_weights_version_key_works_and_checks_input() {
	build_and_execute(|| {
		assert_ok!(Subnets::set_weights_version_key(signed(OWNER), 1, 3));
		assert_eq!(WeightsVersionKeys::<Test>::get(1), 3);
		System::assert_last_event(Event::WeightsVersionKeySet { netuid: 1, version_key: 3 }.into());
		assert_noop!(
			Subnets::set_weights_version_key(signed(MINER), 1, 4),
			DispatchError::BadOrigin
		);
		assert_noop!(
			Subnets::set_weights_version_key(RuntimeOrigin::root(), 2, 4),
			Error::<Test>::UnknownSubnet
		);
	});
}

#[test]
fn owner_origin_accepts_only_root_and_the_owner() {
	build_and_execute(|| {
		type Origin = crate::EnsureSubnetOwnerOrRoot<Test>;
		assert!(Origin::try_origin(RuntimeOrigin::root(), &1).is_ok());
		assert!(Origin::try_origin(signed(OWNER), &1).is_ok());
		assert!(Origin::try_origin(signed(VALIDATOR), &1).is_err());
		assert!(Origin::try_origin(signed(OWNER), &2).is_err());
		assert!(Origin::try_origin(RuntimeOrigin::none(), &1).is_err());
	});
}

#[test]
fn interface_reports_registry_and_applies_weights() {
	build_and_execute(|| {
		type S = crate::Pallet<Test>;
		assert_eq!(S::subnet_owner(1), Some(OWNER));
		assert!(S::subnet_exists(1));
		assert!(!S::subnet_exists(2));
		assert_eq!(S::uid_of(1, &MINER), Some(1));
		assert_eq!(S::uid_of(1, &99), None);
		assert!(S::has_validator_permit(1, 2));
		assert!(!S::has_validator_permit(1, 1));
		assert_eq!(S::check_weights(1, &[0, 0], &[1, 1]), Err(WeightsError::DuplicateUid));
		// Applying bypasses the commit-reveal switch: it is how a reveal lands. The version
		// key is the reveal's to check against its commit, so a raised minimum does not matter.
		CommitRevealOn::set(true);
		assert_ok!(Subnets::set_weights_version_key(signed(OWNER), 1, 9));
		assert_eq!(S::weights_version_key(1), 9);
		assert_eq!(S::apply_weights(1, 2, &[0, 1], &[5, 6]), Ok(()));
		assert_eq!(stored_weights(2), vec![(0, 5), (1, 6)]);
		assert_noop!(S::apply_weights(1, 2, &[0, 7], &[5, 6]), WeightsError::UnknownUid);
	});
}

#[test]
fn held_since_tells_which_uids_changed_hands() {
	build_and_execute(|| {
		type S = crate::Pallet<Test>;
		// Genesis neurons registered at block 0; uid 7 was never handed out.
		assert_eq!(S::held_since(1, &[0, 1, 2, 7], 1), vec![true, true, true, false]);
		// The miner leaves at block 3 and a newcomer takes its uid at block 5.
		System::set_block_number(3);
		assert_ok!(Subnets::deregister(signed(MINER), 1, MINER));
		assert_eq!(S::held_since(1, &[1], 1), vec![false]);
		System::set_block_number(5);
		assert_ok!(Subnets::register(signed(99), 1));
		assert_eq!(S::uid_of(1, &99), Some(1));
		// A commit made at block 5 or earlier meant someone else; a later one meant the newcomer.
		assert_eq!(S::held_since(1, &[0, 1], 1), vec![true, false]);
		assert_eq!(S::held_since(1, &[1], 5), vec![false]);
		assert_eq!(S::held_since(1, &[1], 6), vec![true]);
		// One entry covers every uid of this small subnet.
		assert_eq!(S::held_since_weight(&[0, 1, 2]), S::held_since_weight(&[1]));
	});
}
