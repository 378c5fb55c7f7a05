//! Benchmarking for the model registry pallet.

#![cfg(feature = "runtime-benchmarks")]

use super::*;
use alloc::{vec, vec::Vec};
use frame_benchmarking::v2::*;
use frame_support::traits::{EnsureOriginWithArg, Get};
use frame_system::{Pallet as System, RawOrigin};
use galton_primitives::{
	announcement_binding, BenchmarkHelper, NetUid, OnHotkeyDeregistered, MAX_REPO_LEN,
	MAX_REPO_PART_LEN, MAX_REVISION_LEN,
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

/// Fill the benchmark subnet with `count` competitions, ids `0..count`, and let commits open
/// one block after their announcement and stay open as long as the chain allows.
fn competitions<T: Config>(count: u32) {
	T::BenchmarkHelper::create_subnet(NETUID);
	for id in 0..count {
		Pallet::<T>::do_set_competition(NETUID, id as CompetitionId, competition())
			.expect("within MaxCompetitions");
	}
	let config = ClaimConfig { reveal_delay: One::one(), reveal_window: T::MaxClaimWindow::get() };
	Pallet::<T>::do_set_claim_config(NETUID, config).expect("a valid claim config");
}

/// The longest repository id the parser accepts: `MAX_REPO_LEN` bytes.
fn longest_repo() -> Vec<u8> {
	let org_len = MAX_REPO_LEN as usize - 1 - MAX_REPO_PART_LEN;
	[vec![b'o'; org_len], vec![b'/'], vec![b'n'; MAX_REPO_PART_LEN]].concat()
}

/// The longest revision: `MAX_REVISION_LEN` bytes.
fn longest_revision() -> Vec<u8> {
	vec![b'v'; MAX_REVISION_LEN as usize]
}

fn content(n: u8) -> H256 {
	H256::repeat_byte(n)
}

fn nonce(n: u8) -> ClaimNonce {
	[n; 32]
}

fn advance<T: Config>(blocks: u32) {
	System::<T>::set_block_number(System::<T>::block_number() + blocks.into());
}

/// `who` announces content `n` for competition 0.
fn announce<T: Config>(who: &T::AccountId, n: u8) {
	let binding = announcement_binding(who, &content(n), &nonce(n));
	Pallet::<T>::do_announce_model(who.clone(), NETUID, 0, binding).expect("a valid announcement");
}

/// `who` commits content `n`, announced before, with the longest repository and revision.
fn commit<T: Config>(who: &T::AccountId, n: u8) {
	Pallet::<T>::do_commit_model(
		who.clone(),
		NETUID,
		0,
		&longest_repo(),
		&longest_revision(),
		content(n),
		nonce(n),
	)
	.expect("a valid commit");
}

/// The caller, registered on [`NETUID`] with a model and a full list of announcements.
fn miner_with_full_announcements<T: Config>() -> T::AccountId {
	competitions::<T>(1);
	let who: T::AccountId = whitelisted_caller();
	T::BenchmarkHelper::register(NETUID, &who, false);
	claim::<T>(&who, 1);
	for n in 0..T::MaxAnnouncements::get() as u8 {
		announce::<T>(&who, 10 + n);
	}
	who
}

/// Both phases of a claim of content `n` by `who`.
fn claim<T: Config>(who: &T::AccountId, n: u8) {
	announce::<T>(who, n);
	advance::<T>(1);
	commit::<T>(who, n);
}

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn commit_model() {
		competitions::<T>(1);
		let who: T::AccountId = whitelisted_caller();
		let copier: T::AccountId = account("copier", 0, 0);
		T::BenchmarkHelper::register(NETUID, &who, false);
		T::BenchmarkHelper::register(NETUID, &copier, false);
		// Worst case: the hotkey replaces a model and releases its claim, its announcement is
		// the last of a full list, and it takes the content hash over from a later claimant.
		claim::<T>(&who, 1);
		advance::<T>(1);
		let max = T::MaxAnnouncements::get() as u8;
		for n in 3..2 + max {
			announce::<T>(&who, n);
		}
		announce::<T>(&who, 2);
		advance::<T>(1);
		claim::<T>(&copier, 2);

		#[extrinsic_call]
		_(
			RawOrigin::Signed(who.clone()),
			NETUID,
			0,
			longest_repo(),
			longest_revision(),
			content(2),
			nonce(2),
		);

		assert_eq!(HashOwners::<T>::get(NETUID, content(2)), Some(who));
		assert_eq!(HashOwners::<T>::get(NETUID, content(1)), None);
		assert!(Models::<T>::get(NETUID, &copier).is_none());
	}

	#[benchmark]
	fn announce_model() {
		// Worst case: the hotkey holds a model (the interval is checked) and a full list of
		// expired announcements to prune.
		let who = miner_with_full_announcements::<T>();
		let past_every_window = System::<T>::block_number() + One::one() + T::MaxClaimWindow::get();
		System::<T>::set_block_number(past_every_window);
		let binding = announcement_binding(&who, &content(2), &nonce(2));

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), NETUID, 0, binding);

		assert_eq!(Announcements::<T>::get(NETUID, &who).len(), 1);
	}

	#[benchmark]
	fn set_claim_config() -> Result<(), BenchmarkError> {
		T::BenchmarkHelper::create_subnet(NETUID);
		let origin = T::ConfigOrigin::try_successful_origin(&NETUID)
			.map_err(|_| BenchmarkError::Weightless)?;
		let config = ClaimConfig {
			reveal_delay: T::MaxClaimDelay::get(),
			reveal_window: T::MaxClaimWindow::get(),
		};

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, NETUID, config);

		assert_eq!(ClaimConfigs::<T>::get(NETUID), config);
		Ok(())
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

		assert_eq!(CommitIntervals::<T>::get(NETUID), blocks);
		Ok(())
	}

	#[benchmark]
	fn on_hotkey_deregistered() {
		let who = miner_with_full_announcements::<T>();

		#[block]
		{
			<Pallet<T> as OnHotkeyDeregistered<T::AccountId>>::on_hotkey_deregistered(NETUID, &who);
		}

		assert!(Models::<T>::get(NETUID, &who).is_none());
		assert!(!Announcements::<T>::contains_key(NETUID, &who));
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
