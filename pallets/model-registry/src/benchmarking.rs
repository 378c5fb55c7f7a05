//! Benchmarking for the model registry pallet.

#![cfg(feature = "runtime-benchmarks")]

use super::*;
use alloc::vec;
use frame_benchmarking::v2::*;
use frame_support::traits::{EnsureOriginWithArg, Get};
use frame_system::{Pallet as System, RawOrigin};
use galton_primitives::{
	BenchmarkHelper, NetUid, OnHotkeyDeregistered, MAX_REPO_LEN, MAX_REVISION_LEN,
};
use sp_core::H256;
use sp_runtime::{traits::One, Perbill};

/// The subnet the benchmarks use, past those a genesis may create.
const NETUID: NetUid = 3;

/// A competition with a tiny reward share, so that many fit in one subnet.
fn competition() -> Competition {
	Competition {
		epsilon: EpsilonSchedule::Exponential {
			start: Perbill::from_percent(1),
			retain: Perbill::from_percent(99),
			period_blocks: 100,
			floor: Perbill::from_parts(1_000),
		},
		reward_share: Perbill::from_parts(1_000),
		metric: Metric::CrossEntropy,
		max_params: u64::MAX,
	}
}

/// Fill the benchmark subnet with `count` competitions, ids `0..count`.
fn competitions<T: Config>(count: u32) {
	T::BenchmarkHelper::create_subnet(NETUID);
	for id in 0..count {
		Pallet::<T>::do_set_competition(NETUID, id as CompetitionId, competition())
			.expect("within MaxCompetitions");
	}
}

/// `who`'s model commit, with the longest repository and revision.
fn commit<T: Config>(who: &T::AccountId, content: u8) {
	Pallet::<T>::do_commit_model(
		who.clone(),
		NETUID,
		0,
		vec![b'r'; MAX_REPO_LEN as usize],
		vec![b'v'; MAX_REVISION_LEN as usize],
		H256::repeat_byte(content),
	)
	.expect("a valid commit");
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn commit_model() {
		competitions::<T>(1);
		let who: T::AccountId = whitelisted_caller();
		T::BenchmarkHelper::register(NETUID, &who, false);
		// Worst case: the hotkey replaces a model and releases its claim.
		commit::<T>(&who, 1);
		System::<T>::set_block_number(System::<T>::block_number() + One::one());
		let repo = vec![b'r'; MAX_REPO_LEN as usize];
		let revision = vec![b'v'; MAX_REVISION_LEN as usize];

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), NETUID, 0, repo, revision, H256::repeat_byte(2));

		assert_eq!(HashOwner::<T>::get(NETUID, H256::repeat_byte(2)), Some(who));
		assert_eq!(HashOwner::<T>::get(NETUID, H256::repeat_byte(1)), None);
	}

	#[benchmark]
	fn set_competition() -> Result<(), BenchmarkError> {
		let max = T::MaxCompetitions::get();
		competitions::<T>(max - 1);
		let origin = T::ConfigOrigin::try_successful_origin(&NETUID)
			.map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, NETUID, (max - 1) as CompetitionId, competition());

		assert_eq!(Competitions::<T>::get(NETUID).len() as u32, max);
		Ok(())
	}

	#[benchmark]
	fn remove_competition() -> Result<(), BenchmarkError> {
		competitions::<T>(T::MaxCompetitions::get());
		let origin = T::ConfigOrigin::try_successful_origin(&NETUID)
			.map_err(|_| BenchmarkError::Weightless)?;

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, NETUID, 0);

		assert!(!Competitions::<T>::get(NETUID).contains_key(&0));
		Ok(())
	}

	#[benchmark]
	fn set_commit_interval() -> Result<(), BenchmarkError> {
		T::BenchmarkHelper::create_subnet(NETUID);
		let origin = T::ConfigOrigin::try_successful_origin(&NETUID)
			.map_err(|_| BenchmarkError::Weightless)?;
		let blocks = T::MaxCommitInterval::get();

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, NETUID, blocks);

		assert_eq!(CommitInterval::<T>::get(NETUID), blocks);
		Ok(())
	}

	#[benchmark]
	fn on_hotkey_deregistered() {
		competitions::<T>(1);
		let who: T::AccountId = whitelisted_caller();
		T::BenchmarkHelper::register(NETUID, &who, false);
		commit::<T>(&who, 1);

		#[block]
		{
			<Pallet<T> as OnHotkeyDeregistered<T::AccountId>>::on_hotkey_deregistered(NETUID, &who);
		}

		assert!(Models::<T>::get(NETUID, &who).is_none());
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
