//! Tests of the `CheckCommitReveal` transaction extension and of the feeless calls.

use super::*;
use crate::{invalid, Call, CheckCommitReveal, WeightInfo, COMMIT_REVEAL_PRIORITY};
use frame_support::{
	dispatch::{DispatchClass, GetDispatchInfo, Pays},
	pallet_prelude::TransactionSource,
	traits::Get,
	weights::Weight,
};
use sp_runtime::{
	traits::DispatchTransaction,
	transaction_validity::{InvalidTransaction, TransactionValidityError, ValidTransaction},
};

/// Validate `call` signed by `who` as the transaction pool does.
fn validate(
	who: Option<u64>,
	call: Call<Test>,
) -> Result<ValidTransaction, TransactionValidityError> {
	validate_runtime_call(who, RuntimeCall::CommitReveal(call))
}

fn validate_runtime_call(
	who: Option<u64>,
	call: RuntimeCall,
) -> Result<ValidTransaction, TransactionValidityError> {
	validate_from(TransactionSource::External, who, call)
}

/// Validate `call` signed by `who` as `source` sees it: the pool, or a block being built.
fn validate_from(
	source: TransactionSource,
	who: Option<u64>,
	call: RuntimeCall,
) -> Result<ValidTransaction, TransactionValidityError> {
	let origin = who.map_or_else(RuntimeOrigin::none, RuntimeOrigin::signed);
	let info = call.get_dispatch_info();
	CheckCommitReveal::<Test>::new()
		.validate_only(origin, &call, &info, 0, source, 0)
		.map(|(validity, _, _)| validity)
}

fn commit_call(who: u64, reveal: &Reveal) -> Call<Test> {
	Call::commit_weights { netuid: 1, commit_hash: hash_of(who, 1, reveal) }
}

fn reveal_call(reveal: &Reveal) -> Call<Test> {
	let Reveal { uids, values, salt, version_key } = reveal.clone();
	Call::reveal_weights { netuid: 1, uids, values, salt, version_key }
}

#[test]
fn valid_commit_gets_priority_and_a_tag() {
	build_and_execute(|| {
		let validity = validate(Some(VALIDATOR), commit_call(VALIDATOR, &standard(1)))
			.expect("a valid commit passes");
		assert_eq!(validity.priority, COMMIT_REVEAL_PRIORITY);
		assert_eq!(validity.provides.len(), 1);
	});
}

#[test]
fn doomed_commits_are_refused_with_the_pallet_error() {
	build_and_execute(|| {
		assert_eq!(
			validate(Some(MINER), commit_call(MINER, &standard(1))),
			Err(invalid(Error::<Test>::NoValidatorPermit))
		);
		assert_eq!(
			validate(Some(99), commit_call(99, &standard(1))),
			Err(invalid(Error::<Test>::NotRegistered))
		);
		let disabled = Call::commit_weights { netuid: 2, commit_hash: H256::zero() };
		assert_eq!(
			validate(Some(VALIDATOR), disabled),
			Err(invalid(Error::<Test>::CommitRevealDisabled))
		);
		for salt in 0..3 {
			run_to_block(1 + u64::from(salt));
			assert_ok!(commit(VALIDATOR, 1, &standard(salt)));
		}
		assert_eq!(
			validate(Some(VALIDATOR), commit_call(VALIDATOR, &standard(9))),
			Err(invalid(Error::<Test>::CommitRateLimited))
		);
		run_to_block(4);
		assert_eq!(
			validate(Some(VALIDATOR), commit_call(VALIDATOR, &standard(9))),
			Err(invalid(Error::<Test>::TooManyPendingCommits))
		);
		assert_eq!(
			validate(Some(VALIDATOR), commit_call(VALIDATOR, &standard(0))),
			Err(invalid(Error::<Test>::DuplicateCommit))
		);
	});
}

#[test]
fn a_validator_has_one_commit_per_subnet_in_the_pool() {
	build_and_execute(|| {
		// Two commits with different hashes: both pass the checks in the pool, but they
		// provide the same tag, so the pool keeps one and a hotkey cannot flood it.
		let first = validate(Some(VALIDATOR), commit_call(VALIDATOR, &standard(1))).expect("ok");
		let second = validate(Some(VALIDATOR), commit_call(VALIDATOR, &standard(2))).expect("ok");
		assert_eq!(first.provides, second.provides);
		// Other validators, and other subnets of the same one, have tags of their own.
		let other =
			validate(Some(VALIDATOR_2), commit_call(VALIDATOR_2, &standard(1))).expect("ok");
		assert_ne!(first.provides, other.provides);
		assert_ok!(CommitReveal::set_reveal_config(signed(OWNER), 2, config(true, 1, 1)));
		let on_2 = Call::commit_weights { netuid: 2, commit_hash: H256::zero() };
		assert_ne!(validate(Some(VALIDATOR), on_2).expect("ok").provides, first.provides);
	});
}

#[test]
fn error_codes_follow_the_error_enum() {
	use sp_runtime::transaction_validity::InvalidTransaction;
	// `UnknownSubnet` is the first error, `CommitRateLimited` the seventh, `CommitExpired` the
	// eleventh.
	assert_eq!(invalid::<Test>(Error::UnknownSubnet), InvalidTransaction::Custom(0).into());
	assert_eq!(invalid::<Test>(Error::CommitRateLimited), InvalidTransaction::Custom(6).into());
	assert_eq!(invalid::<Test>(Error::CommitExpired), InvalidTransaction::Custom(10).into());
	// The README lists these codes; `UseCommitReveal` is the last one.
	assert_eq!(invalid::<Test>(Error::UseCommitReveal), InvalidTransaction::Custom(27).into());
}

#[test]
fn reveals_are_checked_against_their_window() {
	build_and_execute(|| {
		let weights = standard(1);
		assert_ok!(commit(VALIDATOR, 1, &weights));
		run_to_block(1 + DELAY - 1);
		assert_eq!(
			validate(Some(VALIDATOR), reveal_call(&weights)),
			Err(invalid(Error::<Test>::RevealTooEarly))
		);
		run_to_block(1 + DELAY);
		let first = validate(Some(VALIDATOR), reveal_call(&weights)).expect("inside the window");
		assert_eq!(first.priority, COMMIT_REVEAL_PRIORITY);
		// The same reveal twice provides the same tag, so the pool keeps one.
		let second = validate(Some(VALIDATOR), reveal_call(&weights)).expect("still valid");
		assert_eq!(first.provides, second.provides);
		assert_eq!(
			validate(Some(VALIDATOR), reveal_call(&standard(2))),
			Err(invalid(Error::<Test>::NoMatchingCommit))
		);
		assert_eq!(
			validate(Some(VALIDATOR_2), reveal_call(&weights)),
			Err(invalid(Error::<Test>::NoPendingCommits))
		);
		run_to_block(1 + DELAY + WINDOW);
		assert_eq!(
			validate(Some(VALIDATOR), reveal_call(&weights)),
			Err(invalid(Error::<Test>::CommitExpired))
		);
	});
}

#[test]
fn reveals_of_weights_the_host_refuses_are_refused() {
	build_and_execute(|| {
		let duplicate = Reveal { uids: vec![1, 1], values: vec![1, 1], ..standard(1) };
		assert_ok!(commit(VALIDATOR, 1, &duplicate));
		run_to_block(1 + DELAY);
		assert_eq!(
			validate(Some(VALIDATOR), reveal_call(&duplicate)),
			Err(invalid(Error::<Test>::DuplicateUid))
		);
	});
}

#[test]
fn commits_and_reveals_leave_the_rest_of_the_block_to_paying_transactions() {
	build_and_execute(|| {
		let commit = RuntimeCall::CommitReveal(commit_call(VALIDATOR, &standard(1)));
		let in_block = |call: &RuntimeCall| {
			validate_from(TransactionSource::InBlock, Some(VALIDATOR), call.clone())
		};
		assert!(in_block(&commit).is_ok());
		// A flood of commits fills the block up to the share.
		let limits: frame_system::limits::BlockWeights =
			<Test as frame_system::Config>::BlockWeights::get();
		let max = limits.get(DispatchClass::Normal).max_total.unwrap_or(limits.max_block);
		let share: sp_runtime::Perbill = MaxBlockShare::get();
		let filled = Weight::from_parts(share * max.ref_time(), share * max.proof_size());
		System::register_extra_weight_unchecked(filled, DispatchClass::Normal);
		assert_eq!(in_block(&commit), Err(InvalidTransaction::ExhaustsResources.into()));
		// The pool keeps it for the next block, and other calls are not this extension's concern.
		assert!(validate_runtime_call(Some(VALIDATOR), commit.clone()).is_ok());
		let remark = RuntimeCall::System(frame_system::Call::remark { remark: vec![] });
		assert!(in_block(&remark).is_ok());
	});
}

#[test]
fn feeless_transactions_take_at_most_their_share_of_the_block_length() {
	build_and_execute(|| {
		let commit = RuntimeCall::CommitReveal(commit_call(VALIDATOR, &standard(1)));
		let in_block_with_len = |call: &RuntimeCall, len: usize| {
			let info = call.get_dispatch_info();
			CheckCommitReveal::<Test>::new()
				.validate_only(
					RuntimeOrigin::signed(VALIDATOR),
					call,
					&info,
					len,
					TransactionSource::InBlock,
					0,
				)
				.map(drop)
		};
		let limits: frame_system::limits::BlockLength =
			<Test as frame_system::Config>::BlockLength::get();
		let max_len: u32 = *limits.max.get(DispatchClass::Normal);
		let share: sp_runtime::Perbill = MaxBlockShare::get();
		// Long feeless transactions (reveals of thousands of uids weigh little) filled the
		// block's length up to 100 bytes short of the share.
		let cap: u32 = share * max_len;
		crate::compat::set_block_length::<Test>(cap - 100);
		assert_eq!(in_block_with_len(&commit, 100), Ok(()));
		assert_eq!(
			in_block_with_len(&commit, 101),
			Err(InvalidTransaction::ExhaustsResources.into())
		);
		// A transfer still finds the rest of the block.
		let transfer = RuntimeCall::Balances(pallet_balances::Call::transfer_allow_death {
			dest: 2,
			value: 5,
		});
		assert_eq!(in_block_with_len(&transfer, 1_000), Ok(()));
	});
}

#[test]
fn a_reveal_naming_uids_the_subnet_never_handed_out_is_refused() {
	build_and_execute(|| {
		// A validator commits weights padded with uids nobody ever held (subnet 1 handed out
		// uids 0..3): revealed, they would all be dropped, and take free block space.
		let padded = Reveal { uids: vec![1, 2, 4_000], values: vec![100, 200, 1], ..standard(1) };
		assert_ok!(commit(VALIDATOR, 1, &padded));
		let weights = standard(2);
		assert_ok!(commit(VALIDATOR_2, 1, &weights));
		run_to_block(1 + DELAY);
		assert_eq!(
			validate(Some(VALIDATOR), reveal_call(&padded)),
			Err(invalid(Error::<Test>::UnknownUid))
		);
		assert!(validate(Some(VALIDATOR_2), reveal_call(&weights)).is_ok());
	});
}

#[test]
fn a_reveal_naming_a_vacated_uid_still_enters_the_pool() {
	build_and_execute(|| {
		let weights = standard(1);
		assert_ok!(commit(VALIDATOR, 1, &weights));
		assert_ok!(Subnets::deregister(signed(MINER), 1, MINER));
		run_to_block(1 + DELAY);
		assert!(validate(Some(VALIDATOR), reveal_call(&weights)).is_ok());
	});
}

#[test]
fn batches_are_checked_item_by_item() {
	build_and_execute(|| {
		let good = hash_of(VALIDATOR, 1, &standard(1));
		let batch = |commits: Vec<(u16, H256)>| Call::batch_commit_weights { commits };
		assert!(validate(Some(VALIDATOR), batch(vec![(1, good)])).is_ok());
		assert_eq!(
			validate(Some(VALIDATOR), batch(vec![(1, good), (2, good)])),
			Err(invalid(Error::<Test>::CommitRevealDisabled))
		);
		assert_eq!(
			validate(Some(VALIDATOR), batch(vec![])),
			Err(invalid(Error::<Test>::EmptyBatch))
		);
		assert_eq!(
			validate(Some(VALIDATOR), batch(vec![(1, good); 5])),
			Err(invalid(Error::<Test>::BatchTooLarge))
		);
		assert_ok!(commit(VALIDATOR, 1, &standard(1)));
		run_to_block(1 + DELAY);
		let reveals = |reveals| Call::batch_reveal_weights { netuid: 1, reveals };
		assert!(validate(Some(VALIDATOR), reveals(vec![standard(1)])).is_ok());
		assert_eq!(
			validate(Some(VALIDATOR), reveals(vec![standard(1), standard(2)])),
			Err(invalid(Error::<Test>::NoMatchingCommit))
		);
	});
}

#[test]
fn plain_set_weights_is_refused_while_commit_reveal_is_on() {
	build_and_execute(|| {
		let set_weights = |netuid| {
			RuntimeCall::Subnets(pallet_subnets::Call::set_weights {
				netuid,
				uids: vec![0],
				values: vec![1],
				version_key: 0,
			})
		};
		assert_eq!(
			validate_runtime_call(Some(VALIDATOR), set_weights(1)),
			Err(invalid(Error::<Test>::UseCommitReveal))
		);
		assert_eq!(validate_runtime_call(Some(VALIDATOR), set_weights(2)), Ok(Default::default()));
	});
}

#[test]
fn other_calls_and_unsigned_origins_pass_untouched() {
	build_and_execute(|| {
		let remark = RuntimeCall::System(frame_system::Call::remark { remark: vec![] });
		assert_eq!(validate_runtime_call(Some(VALIDATOR), remark), Ok(Default::default()));
		// Unsigned transactions are left to the call's own origin check.
		use sp_runtime::traits::TransactionExtension;
		let call = RuntimeCall::CommitReveal(commit_call(MINER, &standard(1)));
		let info = call.get_dispatch_info();
		let (validity, (), _) = CheckCommitReveal::<Test>::new()
			.validate(
				RuntimeOrigin::none(),
				&call,
				&info,
				0,
				(),
				&sp_runtime::traits::TxBaseImplication(()),
				TransactionSource::External,
			)
			.expect("passes through");
		assert_eq!(validity, ValidTransaction::default());
	});
}

#[test]
fn extension_weight_grows_with_the_batch() {
	use sp_runtime::traits::TransactionExtension;
	let ext = CheckCommitReveal::<Test>::new();
	let one =
		RuntimeCall::CommitReveal(Call::commit_weights { netuid: 1, commit_hash: H256::zero() });
	let four = RuntimeCall::CommitReveal(Call::batch_commit_weights {
		commits: vec![(1, H256::zero()); 4],
	});
	assert_eq!(ext.weight(&one), <() as WeightInfo>::check_commit_reveal(1));
	assert_eq!(ext.weight(&four), <() as WeightInfo>::check_commit_reveal(4));
}

#[test]
fn the_extension_charges_only_the_calls_it_inspects() {
	use sp_runtime::traits::TransactionExtension;
	let ext = CheckCommitReveal::<Test>::new();
	let transfer =
		RuntimeCall::Balances(pallet_balances::Call::transfer_allow_death { dest: 2, value: 5 });
	let remark = RuntimeCall::System(frame_system::Call::remark { remark: vec![1; 64] });
	for other in [transfer, remark] {
		assert_eq!(ext.weight(&other), Weight::zero(), "{other:?} carries no commit check");
	}
	let plain = RuntimeCall::Subnets(pallet_subnets::Call::set_weights {
		netuid: 1,
		uids: vec![1],
		values: vec![1],
		version_key: 0,
	});
	let db: frame_support::weights::RuntimeDbWeight =
		<Test as frame_system::Config>::DbWeight::get();
	let reads_config = db.reads(1);
	assert_eq!(ext.weight(&plain), reads_config);
	let sealed = RuntimeCall::CommitReveal(Call::commit_timelocked_weights {
		netuid: 1,
		commit: Default::default(),
		reveal_round: 7,
		commit_reveal_version: 4,
	});
	assert_eq!(ext.weight(&sealed), <() as WeightInfo>::commit_timelocked_weights());
}

#[test]
fn extension_weight_of_a_reveal_grows_with_its_uids() {
	use sp_runtime::traits::TransactionExtension;
	let ext = CheckCommitReveal::<Test>::new();
	let with_uids = |count: u16| Reveal {
		uids: (0..count).collect(),
		values: vec![1; usize::from(count)],
		..standard(1)
	};
	let single = |count| RuntimeCall::CommitReveal(reveal_call(&with_uids(count)));
	assert_eq!(ext.weight(&single(2)), <() as WeightInfo>::check_reveal(2));
	assert!(ext.weight(&single(1_000)).ref_time() > ext.weight(&single(2)).ref_time());
	// A batch is charged for each reveal's uids: a spammer cannot hide uids in a batch.
	let batch = RuntimeCall::CommitReveal(Call::batch_reveal_weights {
		netuid: 1,
		reveals: vec![with_uids(3), with_uids(500)],
	});
	assert_eq!(
		ext.weight(&batch),
		<() as WeightInfo>::check_reveal(3) + <() as WeightInfo>::check_reveal(500)
	);
}

#[test]
fn valid_commits_and_reveals_are_feeless() {
	build_and_execute(|| {
		let weights = standard(1);
		let hash = hash_of(VALIDATOR, 1, &weights);
		let post = CommitReveal::commit_weights(signed(VALIDATOR), 1, hash).expect("valid");
		assert_eq!(post.pays_fee, Pays::No);
		run_to_block(1 + DELAY);
		let Reveal { uids, values, salt, version_key } = weights;
		let post =
			CommitReveal::reveal_weights(signed(VALIDATOR), 1, uids, values, salt, version_key)
				.expect("valid");
		assert_eq!(post.pays_fee, Pays::No);
	});
}

/// The targets of the benchmarked weights: a 256-uid reveal proves less than 8 KiB of state,
/// and reveals cost more as they carry more uids.
#[test]
fn benchmarked_weights_meet_their_targets() {
	type W = crate::weights::SubstrateWeight<Test>;
	let reveal = |uids| <W as WeightInfo>::reveal_weights(uids);
	assert!(reveal(256).proof_size() < 8 * 1024, "{:?}", reveal(256));
	assert!(reveal(1024).ref_time() > reveal(1).ref_time());
	assert!(
		<W as WeightInfo>::batch_reveal_weights(4, 256).ref_time()
			> <W as WeightInfo>::batch_reveal_weights(1, 256).ref_time()
	);
}
