//! Benchmarking for the commit-reveal pallet.

#![cfg(feature = "runtime-benchmarks")]

use super::*;
use alloc::{vec, vec::Vec};
use codec::Encode;
use frame_benchmarking::v2::*;
use frame_support::traits::{EnsureOriginWithArg, Get};
use frame_system::{pallet_prelude::BlockNumberFor, Pallet as System, RawOrigin};
use galton_primitives::{commit_hash, BenchmarkHelper, NetUid, OnHotkeyDeregistered, Uid};
use galton_timelock::subtensor::SUBTENSOR_OVERHEAD;
use sp_runtime::traits::One;

/// Run commit-reveal on `netuid` with a one-block delay, the longest window, and a commit
/// allowed every block.
fn enable<T: Config>(netuid: NetUid) {
	T::BenchmarkHelper::create_subnet(netuid);
	let config = RevealConfig {
		enabled: true,
		reveal_delay: BlockNumberFor::<T>::one(),
		reveal_window: T::MaxRevealWindow::get(),
		commit_interval: Some(BlockNumberFor::<T>::one()),
	};
	RevealConfigs::<T>::insert(netuid, config);
}

/// Move to the next block, where the rate limit lets each validator commit again.
fn next_block<T: Config>() {
	System::<T>::set_block_number(System::<T>::block_number() + One::one());
}

/// Commit `hash` for `who` on `netuid` in the next block.
fn commit_next_block<T: Config>(who: &T::AccountId, netuid: NetUid, hash: sp_core::H256) {
	next_block::<T>();
	Pallet::<T>::do_commit(who, netuid, hash).expect("a valid commit");
}

/// A validator with a permit on `netuid`, the caller unless `index > 0`.
fn validator<T: Config>(netuid: NetUid, index: u32) -> T::AccountId {
	let who = if index == 0 { whitelisted_caller() } else { account("validator", index, 0) };
	T::BenchmarkHelper::register(netuid, &who, true);
	who
}

/// A subnet of its own for the benchmarks that fill one, past those a genesis may create.
const NETUID: NetUid = 3;

/// A reveal by `who` weighing `count` neurons of `netuid`: `who` itself and `count - 1` others,
/// registered as needed.
fn reveal_of<T: Config>(who: &T::AccountId, netuid: NetUid, count: u32, salt: u16) -> Reveal {
	let own = T::BenchmarkHelper::register(netuid, who, true);
	let others = (1..count)
		.map(|index| T::BenchmarkHelper::register(netuid, &account("neuron", index, 0), false));
	let uids: Vec<Uid> = core::iter::once(own).chain(others).take(count as usize).collect();
	let values = uids.iter().map(|uid| uid.wrapping_add(1)).collect();
	Reveal { uids, values, salt: vec![salt; T::MaxSaltLen::get() as usize], version_key: 0 }
}

/// `payload` sealed to [`ROUND`] of the development beacon, in subtensor's wire format as
/// `commit_timelocked_weights` takes it.
fn sealed<T: Config>(payload: &[u8], seed: u64) -> Vec<u8> {
	let sealed = galton_timelock::dev::seal_for_benchmark(ROUND, payload, seed);
	galton_timelock::subtensor::to_subtensor(&sealed)
}

/// The `commit_reveal_version` the chain takes.
fn version<T: Config>() -> u16 {
	T::CommitRevealVersion::get()
}

/// `reveal` with a salt of `MaxSaltLen` words of `salt`.
fn salted(reveal: &Reveal, salt: u32) -> Reveal {
	Reveal { salt: vec![salt as u16; reveal.salt.len()], ..reveal.clone() }
}

fn hash_of<T: Config>(who: &T::AccountId, netuid: NetUid, reveal: &Reveal) -> sp_core::H256 {
	commit_hash(who, netuid, &reveal.uids, &reveal.values, &reveal.salt, reveal.version_key)
}

/// The most uids a reveal can carry that the host accepts.
fn max_uids<T: Config>() -> u32 {
	T::MaxUids::get().min(T::BenchmarkHelper::max_neurons())
}

/// One commit each for validator `who` on subnets `1..=n`, which run commit-reveal.
fn commits_on_subnets<T: Config>(who: &T::AccountId, n: u32) -> Vec<(NetUid, sp_core::H256)> {
	(1..=n as NetUid)
		.map(|netuid| {
			enable::<T>(netuid);
			T::BenchmarkHelper::register(netuid, who, true);
			(netuid, hash_of::<T>(who, netuid, &reveal_of::<T>(who, netuid, 0, 0)))
		})
		.collect()
}

/// A validator on [`NETUID`] with a full list of pending commits, the last of which is a reveal
/// of `uids` uids that is open now: the worst case for a reveal and its checks.
fn revealable<T: Config>(uids: u32) -> (T::AccountId, Reveal) {
	enable::<T>(NETUID);
	let who = validator::<T>(NETUID, 0);
	let reveal = reveal_of::<T>(&who, NETUID, uids, 0);
	for salt in 1..T::MaxPendingCommits::get() {
		let other = salted(&reveal, salt);
		commit_next_block::<T>(&who, NETUID, hash_of::<T>(&who, NETUID, &other));
	}
	commit_next_block::<T>(&who, NETUID, hash_of::<T>(&who, NETUID, &reveal));
	next_block::<T>();
	(who, reveal)
}

/// The most reveals one batch can carry for one validator.
fn max_batch_reveals<T: Config>() -> u32 {
	T::MaxPendingCommits::get().min(T::MaxBatchSize::get())
}

/// Subnet [`NETUID`] in timelock mode, one round ahead, with the beacon's pulse for round one
/// stored.
fn enable_timelock<T: Config>() {
	enable::<T>(NETUID);
	RevealModes::<T>::insert(NETUID, RevealMode::Timelock { rounds_ahead: 1 });
	<T::Beacon as galton_timelock::RandomnessBeacon>::store_for_benchmark(1);
}

/// The round the timelock benchmarks commit to: one past the stored pulse.
const ROUND: u64 = 2;

#[benchmarks]
mod benchmarks {
	use super::*;

	#[benchmark]
	fn commit_weights() {
		enable::<T>(1);
		let who = validator::<T>(1, 0);
		for salt in 1..T::MaxPendingCommits::get() {
			let hash = hash_of::<T>(&who, 1, &reveal_of::<T>(&who, 1, 0, salt as u16));
			commit_next_block::<T>(&who, 1, hash);
		}
		let hash = hash_of::<T>(&who, 1, &reveal_of::<T>(&who, 1, 0, 0));
		next_block::<T>();

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), 1, hash);

		assert_eq!(PendingCommits::<T>::get(1, &who).len() as u32, T::MaxPendingCommits::get());
	}

	#[benchmark]
	fn reveal_weights(u: Linear<0, { max_uids::<T>() }>) {
		let (who, reveal) = revealable::<T>(u);
		let Reveal { uids, values, salt, version_key } = reveal;

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), NETUID, uids, values, salt, version_key);

		assert_eq!(
			PendingCommits::<T>::get(NETUID, &who).len() as u32,
			T::MaxPendingCommits::get() - 1
		);
	}

	#[benchmark]
	fn batch_commit_weights(n: Linear<1, { T::MaxBatchSize::get() }>) {
		let who: T::AccountId = whitelisted_caller();
		let commits = commits_on_subnets::<T>(&who, n);

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), commits);

		assert_eq!(PendingCommits::<T>::get(n as NetUid, &who).len(), 1);
	}

	#[benchmark]
	fn batch_reveal_weights(
		n: Linear<1, { max_batch_reveals::<T>() }>,
		u: Linear<0, { max_uids::<T>() }>,
	) {
		enable::<T>(NETUID);
		let who = validator::<T>(NETUID, 0);
		let base = reveal_of::<T>(&who, NETUID, u, 0);
		let reveals: Vec<Reveal> = (0..n).map(|salt| salted(&base, salt)).collect();
		for reveal in &reveals {
			commit_next_block::<T>(&who, NETUID, hash_of::<T>(&who, NETUID, reveal));
		}
		next_block::<T>();

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), NETUID, reveals);

		assert!(PendingCommits::<T>::get(NETUID, &who).is_empty());
	}

	#[benchmark]
	fn set_reveal_config() -> Result<(), BenchmarkError> {
		T::BenchmarkHelper::create_subnet(1);
		let origin =
			T::ConfigOrigin::try_successful_origin(&1).map_err(|_| BenchmarkError::Weightless)?;
		let config = RevealConfig {
			enabled: true,
			reveal_delay: T::MaxRevealDelay::get(),
			reveal_window: T::MaxRevealWindow::get(),
			commit_interval: Some(T::MaxCommitInterval::get()),
		};

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, 1, config);

		assert_eq!(RevealConfigs::<T>::get(1), config);
		Ok(())
	}

	/// The idle-time reclaim visiting `e` commit lists, each full of expired commits, and
	/// storing its cursor.
	#[benchmark]
	fn reclaim_expired(e: Linear<0, { T::MaxReclaimPerBlock::get() }>) {
		enable::<T>(NETUID);
		let validators: Vec<T::AccountId> =
			(0..e).map(|index| validator::<T>(NETUID, index + 1)).collect();
		for salt in 0..T::MaxPendingCommits::get() {
			next_block::<T>();
			for who in &validators {
				let hash = sp_core::H256::repeat_byte(salt as u8);
				Pallet::<T>::do_commit(who, NETUID, hash).expect("room for pending commits");
			}
		}
		let expiry = System::<T>::block_number() + T::MaxRevealWindow::get() + One::one();
		let now = expiry + T::ExpiredRetention::get() + One::one();
		System::<T>::set_block_number(now);

		#[block]
		{
			Pallet::<T>::reclaim_expired(now, e);
		}

		assert_eq!(PendingCommits::<T>::iter_prefix(NETUID).count(), 0);
	}

	#[benchmark]
	fn on_hotkey_deregistered() {
		enable::<T>(NETUID);
		let who = validator::<T>(NETUID, 0);
		for salt in 0..T::MaxPendingCommits::get() {
			commit_next_block::<T>(&who, NETUID, sp_core::H256::repeat_byte(salt as u8));
		}

		#[block]
		{
			<Pallet<T> as OnHotkeyDeregistered<T::AccountId>>::on_hotkey_deregistered(NETUID, &who);
		}

		assert!(!PendingCommits::<T>::contains_key(NETUID, &who));
		assert!(!LastCommits::<T>::contains_key(NETUID, &who));
	}

	#[benchmark]
	fn check_commit_reveal(n: Linear<1, { T::MaxBatchSize::get() }>) {
		let who: T::AccountId = whitelisted_caller();
		let commits = commits_on_subnets::<T>(&who, n);

		#[block]
		{
			for (netuid, hash) in &commits {
				Pallet::<T>::check_commit(&who, *netuid, *hash).expect("a valid commit");
			}
		}
	}

	/// The pool's checks of one reveal of `u` uids (`CheckCommitReveal` charges them).
	#[benchmark]
	fn check_reveal(u: Linear<0, { max_uids::<T>() }>) {
		let (who, reveal) = revealable::<T>(u);

		#[block]
		{
			Pallet::<T>::check_reveal_in_pool(&who, NETUID, &reveal).expect("a valid reveal");
		}
	}

	/// A commit of the longest ciphertext the subnet accepts (weights for every uid of a full
	/// subnet): the commit checks decode it whole.
	#[benchmark]
	fn commit_timelocked_weights() -> Result<(), BenchmarkError> {
		enable_timelock::<T>();
		let who = validator::<T>(NETUID, 0);
		reveal_of::<T>(&who, NETUID, max_uids::<T>(), 0);
		let longest = Pallet::<T>::sealed_len(max_uids::<T>());
		let payload_len = longest
			.min(T::MaxCiphertextLen::get() as usize)
			.checked_sub(galton_timelock::cipher::TAG_LEN + SUBTENSOR_OVERHEAD)
			.ok_or("MaxCiphertextLen below the timelock overhead")?;
		let commit = CiphertextOf::<T>::try_from(sealed::<T>(&vec![0; payload_len], 0))
			.map_err(|_| "the ciphertext fits MaxCiphertextLen")?;

		#[extrinsic_call]
		_(RawOrigin::Signed(who.clone()), NETUID, commit, ROUND, version::<T>());

		assert!(TimelockedCommits::<T>::contains_key(NETUID, &who));
		Ok(())
	}

	#[benchmark]
	fn set_reveal_mode() -> Result<(), BenchmarkError> {
		T::BenchmarkHelper::create_subnet(1);
		let origin =
			T::ConfigOrigin::try_successful_origin(&1).map_err(|_| BenchmarkError::Weightless)?;
		let mode = RevealMode::Timelock { rounds_ahead: T::MaxRoundsAhead::get() };

		#[extrinsic_call]
		_(origin as T::RuntimeOrigin, 1, mode);

		assert_eq!(RevealModes::<T>::get(1), mode);
		Ok(())
	}

	/// The start of a block that opens `n` timelocked commits, each of the most uids a
	/// validator can weigh: decryption, the plaintext's checks and the weights' application.
	#[benchmark]
	fn open_timelocked(n: Linear<0, { T::MaxOpenedPerBlock::get() }>) {
		enable_timelock::<T>();
		let validators: Vec<T::AccountId> =
			(0..n).map(|index| validator::<T>(NETUID, index + 1)).collect();
		let uids = max_uids::<T>().saturating_sub(n);
		let weighed = reveal_of::<T>(&account("weighed", 0, 0), NETUID, uids, 0);
		next_block::<T>();
		for (index, who) in validators.iter().enumerate() {
			let payload = galton_primitives::WeightsTlockPayload {
				hotkey: who.encode(),
				uids: weighed.uids.clone(),
				values: weighed.values.clone(),
				version_key: 0,
			};
			let commit = sealed::<T>(&payload.encode(), index as u64);
			Pallet::<T>::do_commit_timelocked(who, NETUID, &commit, ROUND, version::<T>())
				.expect("a valid timelocked commit");
		}
		<T::Beacon as galton_timelock::RandomnessBeacon>::store_for_benchmark(ROUND);

		#[block]
		{
			Pallet::<T>::open_due_commits();
		}

		assert_eq!(TimelockedCommits::<T>::iter().count(), 0);
	}

	/// The start of a block that drops `n` commits waiting for a replaced beacon's round.
	#[benchmark]
	fn drop_stranded(n: Linear<0, { T::MaxOpenedPerBlock::get() }>) {
		enable_timelock::<T>();
		for index in 0..n {
			let who = validator::<T>(NETUID, index + 1);
			let commit = sealed::<T>(&[0; 16], index.into());
			Pallet::<T>::do_commit_timelocked(&who, NETUID, &commit, ROUND, version::<T>())
				.expect("a valid timelocked commit");
		}
		Pallet::<T>::strand_queued_rounds();

		#[block]
		{
			Pallet::<T>::drop_stranded();
		}

		assert_eq!(TimelockedCommits::<T>::iter().count(), 0);
		assert!(StrandedRounds::<T>::get().is_empty());
	}

	impl_benchmark_test_suite!(Pallet, crate::mock::new_test_ext(), crate::mock::Test);
}
