//! Tests of the assembled runtime: genesis presets, metadata, and the commit-reveal transaction
//! extension on real signed transactions.

use crate::{
	genesis_config_presets::{development_config_genesis, local_config_genesis, DEMO_NETUID},
	*,
};
use galton_primitives::commit_hash;
use polkadot_sdk::{
	frame_system,
	sp_io::TestExternalities,
	sp_keyring::Sr25519Keyring,
	sp_runtime::{
		traits::Block as BlockT,
		transaction_validity::{InvalidTransaction, TransactionSource, TransactionValidityError},
		BuildStorage,
	},
};

fn externalities(genesis: serde_json::Value) -> TestExternalities {
	let config: RuntimeGenesisConfig =
		serde_json::from_value(genesis).expect("the preset is a whole genesis config");
	let mut ext = TestExternalities::new(config.build_storage().expect("the preset builds"));
	ext.execute_with(|| {
		System::set_block_number(1);
		// Block 0's hash is what `CheckGenesis` signs over.
		frame_system::BlockHash::<Runtime>::insert(0, Hash::repeat_byte(1));
	});
	ext
}

/// A transaction of `call` signed by `signer` with nonce 0, as a wallet builds it.
fn signed(signer: Sr25519Keyring, call: RuntimeCall) -> UncheckedExtrinsic {
	transaction::sign(call, &signer.pair(), 0, Hash::repeat_byte(1))
}

fn validate(xt: UncheckedExtrinsic) -> Result<(), TransactionValidityError> {
	Executive::validate_transaction(
		TransactionSource::External,
		xt,
		<Block as BlockT>::Hash::zero(),
	)
	.map(drop)
}

/// An eight-word salt, the runtime's minimum, made of `n`.
fn salt(n: u16) -> Vec<u16> {
	vec![n; 8]
}

fn commit_call(who: Sr25519Keyring, n: u16) -> RuntimeCall {
	let hash = commit_hash(&who.to_account_id(), DEMO_NETUID, &[1, 2], &[10, 20], &salt(n), 0);
	RuntimeCall::CommitReveal(pallet_commit_reveal::Call::commit_weights {
		netuid: DEMO_NETUID,
		commit_hash: hash,
	})
}

fn custom_code(error: pallet_commit_reveal::Error<Runtime>) -> TransactionValidityError {
	pallet_commit_reveal::invalid(error)
}

#[test]
fn development_preset_sets_up_the_demo_subnet() {
	externalities(development_config_genesis()).execute_with(|| {
		use galton_primitives::SubnetsInterface;
		let alice = Sr25519Keyring::Alice.to_account_id();
		assert_eq!(Subnets::subnet_owner(DEMO_NETUID), Some(alice.clone()));
		assert_eq!(Subnets::uid_of(DEMO_NETUID, &alice), Some(0));
		assert!(Subnets::has_validator_permit(DEMO_NETUID, 0));
		for (uid, miner) in [Sr25519Keyring::Bob, Sr25519Keyring::Charlie, Sr25519Keyring::Dave]
			.into_iter()
			.enumerate()
		{
			assert_eq!(Subnets::uid_of(DEMO_NETUID, &miner.to_account_id()), Some(uid as u16 + 1));
		}
		let config = CommitReveal::reveal_config(DEMO_NETUID);
		assert!(config.enabled);
		assert_eq!((config.reveal_delay, config.reveal_window), (10, 20));
		assert_eq!(
			ModelRegistry::competitions(DEMO_NETUID),
			vec![(0, genesis_config_presets::demo_competition())]
		);
		assert_eq!(pallet_sudo::Key::<Runtime>::get(), Some(alice));
	});
}

#[test]
fn local_preset_builds_with_a_longer_window() {
	externalities(local_config_genesis()).execute_with(|| {
		assert_eq!(CommitReveal::reveal_config(DEMO_NETUID).reveal_delay, 3_600);
	});
}

#[test]
fn presets_are_listed_and_served() {
	let names = genesis_config_presets::preset_names();
	assert_eq!(names.len(), 2);
	for name in names {
		assert!(genesis_config_presets::get_preset(&name).is_some());
	}
	assert!(genesis_config_presets::get_preset(&"nope".into()).is_none());
}

#[test]
fn metadata_v16_is_available() {
	assert!(Runtime::metadata_versions().contains(&16));
	assert!(Runtime::metadata_at_version(16).is_some());
}

#[test]
fn pool_accepts_a_valid_commit_and_refuses_doomed_ones() {
	externalities(development_config_genesis()).execute_with(|| {
		let alice = Sr25519Keyring::Alice;
		assert_eq!(validate(signed(alice, commit_call(alice, 1))), Ok(()));
		// Bob is a miner without a validator permit.
		let bob = Sr25519Keyring::Bob;
		assert_eq!(
			validate(signed(bob, commit_call(bob, 1))),
			Err(custom_code(pallet_commit_reveal::Error::NoValidatorPermit))
		);
		// Plain weights are refused on a commit-reveal subnet.
		let set_weights = RuntimeCall::Subnets(pallet_subnets::Call::set_weights {
			netuid: DEMO_NETUID,
			uids: vec![1],
			values: vec![1],
			version_key: 0,
		});
		assert_eq!(
			validate(signed(alice, set_weights)),
			Err(custom_code(pallet_commit_reveal::Error::UseCommitReveal))
		);
		// Other calls are not the extension's business.
		let remark = RuntimeCall::System(frame_system::Call::remark { remark: vec![1] });
		assert_eq!(validate(signed(alice, remark)), Ok(()));
	});
}

#[test]
fn a_block_full_of_commits_still_takes_a_transfer() {
	use polkadot_sdk::frame_support::{dispatch::DispatchClass, weights::Weight};
	externalities(development_config_genesis()).execute_with(|| {
		// Commits from many validators have filled half of the block's normal weight.
		let limits = <Runtime as frame_system::Config>::BlockWeights::get();
		let max = limits.get(DispatchClass::Normal).max_total.unwrap_or(limits.max_block);
		let half = Weight::from_parts(max.ref_time() / 2, max.proof_size() / 2);
		System::register_extra_weight_unchecked(half, DispatchClass::Normal);
		let alice = Sr25519Keyring::Alice;
		// The builder skips the next commit; the pool keeps it for the next block.
		assert_eq!(
			Executive::apply_extrinsic(signed(alice, commit_call(alice, 1))),
			Err(InvalidTransaction::ExhaustsResources.into())
		);
		assert_eq!(validate(signed(alice, commit_call(alice, 1))), Ok(()));
		// A paying transfer still fits.
		let transfer = RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive {
			dest: Sr25519Keyring::Ferdie.to_account_id().into(),
			value: UNIT,
		});
		let applied = Executive::apply_extrinsic(signed(Sr25519Keyring::Bob, transfer));
		assert!(matches!(applied, Ok(Ok(()))), "{applied:?}");
	});
}

#[test]
fn pool_refuses_an_early_reveal() {
	externalities(development_config_genesis()).execute_with(|| {
		let alice = Sr25519Keyring::Alice;
		let hash =
			commit_hash(&alice.to_account_id(), DEMO_NETUID, &[1, 2], &[10, 20], &salt(7), 0);
		frame_support::assert_ok!(CommitReveal::commit_weights(
			RuntimeOrigin::signed(alice.to_account_id()),
			DEMO_NETUID,
			hash
		));
		let reveal = RuntimeCall::CommitReveal(pallet_commit_reveal::Call::reveal_weights {
			netuid: DEMO_NETUID,
			uids: vec![1, 2],
			values: vec![10, 20],
			salt: salt(7),
			version_key: 0,
		});
		let error = validate(signed(alice, reveal.clone()));
		assert_eq!(error, Err(custom_code(pallet_commit_reveal::Error::RevealTooEarly)));
		assert!(matches!(
			error,
			Err(TransactionValidityError::Invalid(InvalidTransaction::Custom(_)))
		));
		System::set_block_number(11);
		assert_eq!(validate(signed(alice, reveal)), Ok(()));
	});
}

/// How many commits, and how many 256-uid reveals, fit in one block of this runtime, from the
/// benchmarked weights (base extrinsic weight and transaction extension included). Run with
/// `--nocapture` to print the figures quoted in benchmarking/README.md.
#[test]
fn commits_and_reveals_per_block() {
	use frame_support::{dispatch::DispatchClass, weights::Weight};
	use pallet_commit_reveal::WeightInfo;
	type W = pallet_commit_reveal::weights::SubstrateWeight<Runtime>;
	type Registry = pallet_model_registry::weights::SubstrateWeight<Runtime>;
	type Pulses = pallet_beacon::weights::SubstrateWeight<Runtime>;

	let weights = configs::RuntimeBlockWeights::get();
	let normal = weights.get(DispatchClass::Normal);
	let room = normal.max_extrinsic.unwrap_or(Weight::MAX);
	let per_block = |call: Weight, extension: Weight| {
		let one = call + normal.base_extrinsic + extension;
		let by_time = room.ref_time() / one.ref_time().max(1);
		let by_proof = room.proof_size() / one.proof_size().max(1);
		by_time.min(by_proof)
	};
	let commits = per_block(W::commit_weights(), W::check_commit_reveal(1));
	// A reveal also pays for the registration entries its uids name: one for uids 0..256.
	let uids: Vec<galton_primitives::Uid> = (0..256).collect();
	let held = <Subnets as galton_primitives::SubnetsInterface<_, _>>::held_since_weight(&uids);
	let reveals = per_block(W::reveal_weights(256) + held, W::check_reveal(256));
	println!("commits per block: {commits}, 256-uid reveals per block: {reveals}");
	let report = [
		("commit_weights", W::commit_weights()),
		("reveal_weights(1)", W::reveal_weights(1)),
		("reveal_weights(64)", W::reveal_weights(64)),
		("reveal_weights(256)", W::reveal_weights(256)),
		("reveal_weights(1024)", W::reveal_weights(1024)),
		("batch_commit_weights(16)", W::batch_commit_weights(16)),
		("batch_reveal_weights(10, 2560)", W::batch_reveal_weights(10, 2560)),
		("reclaim_expired(256)", W::reclaim_expired(256)),
		("check_commit_reveal(1)", W::check_commit_reveal(1)),
		("check_reveal(256)", W::check_reveal(256)),
		("commit_model", <Registry as pallet_model_registry::WeightInfo>::commit_model()),
		("announce_model", <Registry as pallet_model_registry::WeightInfo>::announce_model()),
		("commit_timelocked_weights", W::commit_timelocked_weights()),
		("set_reveal_mode", W::set_reveal_mode()),
		("open_timelocked(1)", W::open_timelocked(1)),
		("open_timelocked(8)", W::open_timelocked(8)),
		("drop_stranded(8)", W::drop_stranded(8)),
		("store_pulses(1)", <Pulses as pallet_beacon::WeightInfo>::store_pulses(1)),
		("store_pulses(4)", <Pulses as pallet_beacon::WeightInfo>::store_pulses(4)),
		("set_beacon(1200)", <Pulses as pallet_beacon::WeightInfo>::set_beacon(1_200)),
	];
	for (name, weight) in report {
		println!("| {name} | {:.1} | {} |", weight.ref_time() as f64 / 1e6, weight.proof_size());
	}
	// A quarter of the 1,000 that the 2 s block was held to: the block is now 500 ms, half of
	// Aura's one-second slot (`the_block_weight_fits_the_slot`).
	assert!(commits >= 400, "only {commits} commits fit in a block");
	assert!(reveals >= 100, "only {reveals} 256-uid reveals fit in a block");
}

/// The timelocked commits a block opens in `on_initialize` take at most a quarter of its
/// compute, by their benchmarked weight, so decryption never crowds out transactions.
#[test]
fn opening_timelocked_commits_takes_at_most_a_quarter_of_a_block() {
	use pallet_commit_reveal::WeightInfo;
	use polkadot_sdk::frame_support::traits::Get;
	type W = pallet_commit_reveal::weights::SubstrateWeight<Runtime>;
	let most = <Runtime as pallet_commit_reveal::Config>::MaxOpenedPerBlock::get();
	let opening = W::open_timelocked(most).ref_time();
	let block = configs::RuntimeBlockWeights::get().max_block.ref_time();
	assert!(
		opening <= block / 4,
		"opening {most} commits takes {opening} of the block's {block}: lower MaxOpenedPerBlock"
	);
}

/// `docs/subnet-owners.md` lists the runtime's bounds for subnet owners; each row must match
/// the configured value.
#[test]
fn the_owner_guide_states_the_runtime_bounds() {
	use pallet_commit_reveal::Config as CommitRevealConfig;
	use pallet_model_registry::Config as RegistryConfig;
	use pallet_subnets::Config as SubnetsConfig;
	use polkadot_sdk::frame_support::traits::Get;
	fn value<V: Into<u128>, G: Get<V>>() -> u128 {
		G::get().into()
	}
	type R = Runtime;
	let actual: Vec<(&str, u128)> = vec![
		("Subnets::SubnetDeposit", value::<Balance, <R as SubnetsConfig>::SubnetDeposit>() / UNIT),
		(
			"Subnets::RegistrationDeposit",
			value::<Balance, <R as SubnetsConfig>::RegistrationDeposit>() / UNIT,
		),
		("Subnets::MaxSubnets", value::<u16, <R as SubnetsConfig>::MaxSubnets>()),
		("Subnets::MaxNeurons", value::<u32, <R as SubnetsConfig>::MaxNeurons>()),
		("CommitReveal::MaxRevealDelay", value::<u32, <R as CommitRevealConfig>::MaxRevealDelay>()),
		(
			"CommitReveal::MaxRevealWindow",
			value::<u32, <R as CommitRevealConfig>::MaxRevealWindow>(),
		),
		(
			"CommitReveal::MaxCommitInterval",
			value::<u32, <R as CommitRevealConfig>::MaxCommitInterval>(),
		),
		(
			"CommitReveal::MaxPendingCommits",
			value::<u32, <R as CommitRevealConfig>::MaxPendingCommits>(),
		),
		("CommitReveal::MaxBatchSize", value::<u32, <R as CommitRevealConfig>::MaxBatchSize>()),
		(
			"CommitReveal::MaxBlockShare",
			u128::from(<R as CommitRevealConfig>::MaxBlockShare::get().deconstruct()) / 10_000_000,
		),
		("CommitReveal::MaxRoundsAhead", value::<u64, <R as CommitRevealConfig>::MaxRoundsAhead>()),
		("CommitReveal::RoundSlack", value::<u64, <R as CommitRevealConfig>::RoundSlack>()),
		(
			"CommitReveal::MaxCiphertextLen",
			value::<u32, <R as CommitRevealConfig>::MaxCiphertextLen>(),
		),
		(
			"CommitReveal::MaxCommitsPerRound",
			value::<u32, <R as CommitRevealConfig>::MaxCommitsPerRound>(),
		),
		("ModelRegistry::MaxCompetitions", value::<u32, <R as RegistryConfig>::MaxCompetitions>()),
		(
			"ModelRegistry::MaxCommitInterval",
			value::<u32, <R as RegistryConfig>::MaxCommitInterval>(),
		),
		(
			"ModelRegistry::MaxAnnouncements",
			value::<u32, <R as RegistryConfig>::MaxAnnouncements>(),
		),
		("ModelRegistry::MaxClaimDelay", value::<u32, <R as RegistryConfig>::MaxClaimDelay>()),
		("ModelRegistry::MaxClaimWindow", value::<u32, <R as RegistryConfig>::MaxClaimWindow>()),
	];
	let guide = include_str!("../../docs/subnet-owners.md");
	let documented: Vec<(&str, u128)> = guide
		.lines()
		.filter_map(|line| {
			let mut cells = line.split('|').map(str::trim).skip(1);
			let name = cells.next()?.strip_prefix('`')?.strip_suffix('`')?;
			if !name.contains("::") {
				return None;
			}
			let digits: String =
				cells.next()?.chars().take_while(|c| c.is_ascii_digit() || *c == ',').collect();
			Some((name, digits.replace(',', "").parse().ok()?))
		})
		.collect();
	assert_eq!(documented, actual, "docs/subnet-owners.md and the runtime disagree");
}

/// Pulses travel only in blocks: the pool refuses a pulse call, bare or signed, whatever its
/// pulse, before it verifies a signature, so a flood of bad pulses over RPC or gossip costs the
/// nodes no pairing.
#[test]
fn the_pool_refuses_pulses_before_looking_at_them() {
	use galton_timelock::DevBeacon;
	externalities(development_config_genesis()).execute_with(|| {
		let beacon = DevBeacon::development();
		let forger = DevBeacon::from_seed(b"a forger");
		for pulse in [beacon.pulse(1), forger.pulse(1), beacon.pulse(u64::MAX)] {
			let call = RuntimeCall::Beacon(pallet_beacon::Call::store_pulses {
				pulses: pallet_beacon::PulsesOf::<Runtime>::truncate_from(vec![pulse]),
			});
			let bare = UncheckedExtrinsic::new_bare(call.clone());
			assert_eq!(validate(bare), Err(InvalidTransaction::MandatoryValidation.into()));
			let signed = signed(Sr25519Keyring::Alice, call);
			assert_eq!(validate(signed), Err(InvalidTransaction::MandatoryValidation.into()));
		}
	});
}

/// A missing pulse is waited for no longer than the beacon keeps pulses, so that a back-filled
/// pulse can still be stored and read when its commits open.
#[test]
fn a_missing_pulse_is_waited_for_inside_the_beacons_history() {
	use polkadot_sdk::frame_support::traits::Get;
	let grace: u64 = <Runtime as pallet_commit_reveal::Config>::MissingPulseGrace::get();
	assert!(grace <= u64::from(configs::BEACON_HISTORY_DEPTH));
}

/// A block's compute fits the part of Aura's slot its author has to build it in (two thirds),
/// and the mandatory work at its start, pulses and timelocked openings, leaves most of it to
/// transactions.
#[test]
fn the_block_weight_fits_the_slot() {
	use polkadot_sdk::frame_support::{
		traits::Get, weights::constants::WEIGHT_REF_TIME_PER_MILLIS,
	};
	type Commits = pallet_commit_reveal::weights::SubstrateWeight<Runtime>;
	type Pulses = pallet_beacon::weights::SubstrateWeight<Runtime>;
	let block = configs::RuntimeBlockWeights::get().max_block.ref_time();
	let authoring = MILLISECS_PER_BLOCK * 2 / 3 * WEIGHT_REF_TIME_PER_MILLIS;
	assert!(block <= authoring, "a block of {block} does not fit the author's {authoring}");
	let pulses: u32 = <Runtime as pallet_beacon::Config>::MaxPulsesPerBlock::get();
	let verifying = <Pulses as pallet_beacon::WeightInfo>::store_pulses(pulses).ref_time();
	assert!(verifying <= block / 8, "{pulses} pulses take {verifying} of the block's {block}");
	let opened: u32 = <Runtime as pallet_commit_reveal::Config>::MaxOpenedPerBlock::get();
	let opening = <Commits as pallet_commit_reveal::WeightInfo>::open_timelocked(opened).ref_time();
	assert!(verifying + opening <= block * 3 / 8, "mandatory work crowds out transactions");
}

/// Every commit one beacon round takes opens within that round's blocks, so the queue of
/// timelocked commits never falls behind the beacon (and no commit outlives the pulses kept).
#[test]
fn timelocked_commits_open_as_fast_as_the_beacon_takes_them() {
	use polkadot_sdk::frame_support::traits::Get;
	let per_round: u32 = <Runtime as pallet_commit_reveal::Config>::MaxCommitsPerRound::get();
	let per_block: u32 = <Runtime as pallet_commit_reveal::Config>::MaxOpenedPerBlock::get();
	for beacon in [galton_timelock::QUICKNET, genesis_config_presets::development_beacon()] {
		let blocks = u64::from(beacon.schedule.period) * 1_000 / MILLISECS_PER_BLOCK;
		assert_eq!(blocks, u64::from(configs::BLOCKS_PER_BEACON_ROUND));
		assert!(
			u64::from(per_round) <= u64::from(per_block) * blocks,
			"{per_round} commits a round, {per_block} opened in each of its {blocks} blocks"
		);
	}
}

/// The maps version 1 of the pallets' storage renamed, by their names at version 0: written
/// out here rather than read from the migrations, so that a rename the migrations miss fails.
const RENAMED_IN_V1: [(&str, &str, &str); 8] = [
	("Subnets", "SubnetOwner", "SubnetOwners"),
	("Subnets", "NeuronCount", "NeuronCounts"),
	("Subnets", "Occupancy", "OccupiedUids"),
	("Subnets", "RegisteredAt", "RegistrationBlocks"),
	("Subnets", "WeightsVersionKey", "WeightsVersionKeys"),
	("CommitReveal", "LastCommit", "LastCommits"),
	("ModelRegistry", "HashOwner", "HashOwners"),
	("ModelRegistry", "CommitInterval", "CommitIntervals"),
];

/// The raw entries under storage item `item` of `pallet`: key suffixes and values.
fn raw_entries(pallet: &str, item: &str) -> Vec<(Vec<u8>, Vec<u8>)> {
	use polkadot_sdk::frame_support::storage::{storage_prefix, PrefixIterator};
	let prefix = storage_prefix(pallet.as_bytes(), item.as_bytes()).to_vec();
	PrefixIterator::<(Vec<u8>, Vec<u8>)>::new(prefix.clone(), prefix, |key, value| {
		Ok((key.to_vec(), value.to_vec()))
	})
	.collect()
}

#[test]
fn the_upgrade_moves_every_entry_of_the_renamed_maps_and_runs_once() {
	use polkadot_sdk::frame_support::{
		storage::{migration::move_prefix, storage_prefix},
		traits::{GetStorageVersion, OnRuntimeUpgrade, StorageVersion},
	};
	externalities(development_config_genesis()).execute_with(|| {
		let alice = Sr25519Keyring::Alice.to_account_id();
		// The genesis subnets fill the subnet maps; the others get an entry each.
		pallet_subnets::WeightsVersionKeys::<Runtime>::insert(DEMO_NETUID, 3);
		pallet_commit_reveal::LastCommits::<Runtime>::insert(DEMO_NETUID, &alice, 5);
		pallet_model_registry::HashOwners::<Runtime>::insert(
			DEMO_NETUID,
			Hash::repeat_byte(7),
			&alice,
		);
		pallet_model_registry::CommitIntervals::<Runtime>::insert(DEMO_NETUID, 10);
		let current: Vec<_> =
			RENAMED_IN_V1.iter().map(|&(pallet, _, new)| raw_entries(pallet, new)).collect();
		assert!(current.iter().all(|entries| !entries.is_empty()), "every map has entries");

		// The storage of a chain at version 0: the same entries under the old names.
		for &(pallet, old, new) in &RENAMED_IN_V1 {
			let prefix = |item: &str| storage_prefix(pallet.as_bytes(), item.as_bytes());
			move_prefix(&prefix(new), &prefix(old));
		}
		StorageVersion::new(0).put::<Subnets>();
		StorageVersion::new(0).put::<CommitReveal>();
		StorageVersion::new(0).put::<ModelRegistry>();

		let weight = Migrations::on_runtime_upgrade();

		for (&(pallet, old, new), before) in RENAMED_IN_V1.iter().zip(&current) {
			assert_eq!(&raw_entries(pallet, new), before, "{pallet}::{new}");
			assert!(raw_entries(pallet, old).is_empty(), "{pallet}::{old} is left empty");
		}
		assert_eq!(pallet_subnets::SubnetOwners::<Runtime>::get(DEMO_NETUID), Some(alice.clone()));
		assert_eq!(pallet_commit_reveal::LastCommits::<Runtime>::get(DEMO_NETUID, &alice), Some(5));
		assert_eq!(Subnets::on_chain_storage_version(), 1);
		assert_eq!(CommitReveal::on_chain_storage_version(), 1);
		assert_eq!(ModelRegistry::on_chain_storage_version(), 1);
		assert!(weight.all_lte(<Runtime as frame_system::Config>::BlockWeights::get().max_block));

		// On storage at version 1 the migrations do nothing.
		let again = Migrations::on_runtime_upgrade();
		// Each of the three reads its storage version and stops.
		let db = <Runtime as frame_system::Config>::DbWeight::get();
		assert_eq!(again, db.reads(3), "a second upgrade moves nothing");
		assert!(weight.ref_time() > again.ref_time());
		for (&(pallet, _, new), before) in RENAMED_IN_V1.iter().zip(&current) {
			assert_eq!(&raw_entries(pallet, new), before);
		}
	});
}
