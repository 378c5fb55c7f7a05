//! The wiring works against the subtensor-shaped host, and is the one the guide shows.

use frame_support::{assert_noop, assert_ok};
use galton_primitives::{commit_hash, RevealConfig};
use sp_runtime::{AccountId32, BuildStorage};

use crate::{
	host::{self, SubnetOwner, Weights, WeightsVersionKey},
	runtime::{CommitReveal, Runtime, RuntimeOrigin, System},
};

const OWNER: AccountId32 = AccountId32::new([1; 32]);
const VALIDATOR: AccountId32 = AccountId32::new([2; 32]);
const MINER: AccountId32 = AccountId32::new([3; 32]);

/// Subnet 1 with an owner, a permitted validator (uid 0) and a miner (uid 1), registered at
/// block 1, and commit-reveal on: reveals open two blocks after the commit, for ten blocks.
fn subnet() -> sp_io::TestExternalities {
	let storage = frame_system::GenesisConfig::<Runtime>::default()
		.build_storage()
		.expect("the genesis builds");
	let mut ext = sp_io::TestExternalities::new(storage);
	ext.execute_with(|| {
		System::set_block_number(1);
		SubnetOwner::<Runtime>::insert(1, OWNER);
		assert_eq!(host::register::<Runtime>(1, &VALIDATOR, true), Some(0));
		assert_eq!(host::register::<Runtime>(1, &MINER, false), Some(1));
		let config = RevealConfig {
			enabled: true,
			reveal_delay: 2,
			reveal_window: 10,
			commit_interval: None,
		};
		assert_ok!(CommitReveal::set_reveal_config(RuntimeOrigin::signed(OWNER), 1, config));
	});
	ext
}

#[test]
fn a_reveal_lands_in_the_hosts_weights_storage() {
	subnet().execute_with(|| {
		let (uids, values, salt) = (vec![1], vec![u16::MAX], vec![7; 8]);
		let hash = commit_hash(&VALIDATOR, 1, &uids, &values, &salt, 0);
		// A uid registered in the commit's block or later loses its weight: commit after it.
		System::set_block_number(2);
		assert_ok!(CommitReveal::commit_weights(RuntimeOrigin::signed(VALIDATOR), 1, hash));
		System::set_block_number(4);
		assert_ok!(CommitReveal::reveal_weights(
			RuntimeOrigin::signed(VALIDATOR),
			1,
			uids,
			values,
			salt,
			0
		));
		assert_eq!(Weights::<Runtime>::get(1, 0).into_inner(), vec![(1, u16::MAX)]);
	});
}

#[test]
fn the_hosts_permits_and_version_key_are_the_ones_enforced() {
	subnet().execute_with(|| {
		let hash = commit_hash(&MINER, 1, &[0], &[1], &[7; 8], 0);
		assert_noop!(
			CommitReveal::commit_weights(RuntimeOrigin::signed(MINER), 1, hash),
			pallet_commit_reveal::Error::<Runtime>::NoValidatorPermit
		);
		WeightsVersionKey::<Runtime>::insert(1, 5);
		let (uids, values, salt) = (vec![1], vec![1], vec![7; 8]);
		let hash = commit_hash(&VALIDATOR, 1, &uids, &values, &salt, 4);
		assert_ok!(CommitReveal::commit_weights(RuntimeOrigin::signed(VALIDATOR), 1, hash));
		System::set_block_number(3);
		assert_noop!(
			CommitReveal::reveal_weights(
				RuntimeOrigin::signed(VALIDATOR),
				1,
				uids,
				values,
				salt,
				4
			),
			pallet_commit_reveal::Error::<Runtime>::OutdatedVersionKey
		);
	});
}

#[test]
fn the_integration_guide_shows_this_wiring() {
	let source = include_str!("runtime.rs");
	let start = source.find("// ANCHOR: wiring\n").expect("the wiring's start") + 18;
	let end = source.find("// ANCHOR_END: wiring").expect("the wiring's end");
	let wiring = &source[start..end];
	let guide = include_str!("../../../../docs/integration.md");
	assert!(
		guide.contains(&format!("```rust\n{wiring}```")),
		"docs/integration.md section 3 must show compat/stable2506/subtensor-host/src/runtime.rs \
		 between its ANCHOR lines, as it is:\n{wiring}"
	);
}

#[test]
fn a_full_subnet_registers_no_more_and_writes_nothing() {
	subnet().execute_with(|| {
		for index in 2..host::MAX_UIDS {
			let mut hotkey = [9; 32];
			hotkey[..4].copy_from_slice(&index.to_le_bytes());
			let hotkey = AccountId32::new(hotkey);
			assert!(host::register::<Runtime>(1, &hotkey, false).is_some(), "uid {index}");
		}
		let late = AccountId32::new([255; 32]);
		assert_eq!(host::register::<Runtime>(1, &late, false), None);
		assert_eq!(host::SubnetworkN::<Runtime>::get(1), host::MAX_UIDS as u16);
		assert!(host::Uids::<Runtime>::get(1, &late).is_none());
	});
}
