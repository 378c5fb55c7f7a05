//! Weights for `pallet_commit_reveal`.
//!
//! PROVISIONAL: these figures are estimates (storage reads and writes counted from the code, a
//! fixed execution cost per call and per input item) until the pallet's benchmarks regenerate
//! this file with the script in `benchmarking/`. Do not edit once generated.

#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use core::marker::PhantomData;
use frame_support::{
	traits::Get,
	weights::{constants::RocksDbWeight, Weight},
};

/// Weight functions needed for `pallet_commit_reveal`.
pub trait WeightInfo {
	fn commit_weights() -> Weight;
	fn reveal_weights(u: u32) -> Weight;
	fn batch_commit_weights(n: u32) -> Weight;
	fn batch_reveal_weights(n: u32, u: u32) -> Weight;
	fn set_reveal_config() -> Weight;
	fn reclaim_expired(e: u32) -> Weight;
	fn check_commit_reveal(n: u32) -> Weight;
}

/// Weights for `pallet_commit_reveal` using the host chain's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);

impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	/// Storage: `Subnets::SubnetOwner` (r:1), `CommitReveal::RevealConfigs` (r:1),
	/// `Subnets::Uids` (r:1), `Subnets::ValidatorPermits` (r:1),
	/// `CommitReveal::PendingCommits` (r:1 w:1), `CommitReveal::ExpiryQueue` (r:1 w:1)
	fn commit_weights() -> Weight {
		Weight::from_parts(20_000_000, 9_000)
			.saturating_add(T::DbWeight::get().reads(6_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	/// Storage: `Subnets::SubnetOwner` (r:1), `Subnets::Uids` (r:1),
	/// `CommitReveal::PendingCommits` (r:1 w:1), `Subnets::WeightsVersionKey` (r:1),
	/// `Subnets::Keys` (r:u), `Subnets::Weights` (r:0 w:1)
	/// The range of component `u` is `[0, MaxUids]`.
	fn reveal_weights(u: u32) -> Weight {
		Weight::from_parts(30_000_000, 9_000)
			.saturating_add(Weight::from_parts(3_000_000, 2_500).saturating_mul(u.into()))
			.saturating_add(T::DbWeight::get().reads(u.into()))
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	/// Storage: as `commit_weights`, per item.
	/// The range of component `n` is `[1, MaxBatchSize]`.
	fn batch_commit_weights(n: u32) -> Weight {
		Weight::from_parts(5_000_000, 0)
			.saturating_add(Weight::from_parts(20_000_000, 9_000).saturating_mul(n.into()))
			.saturating_add(T::DbWeight::get().reads_writes(6, 2).saturating_mul(n.into()))
	}
	/// Storage: as `reveal_weights`, per item.
	/// The range of component `n` is `[1, MaxBatchSize]`.
	/// The range of component `u` is `[0, MaxUids]`.
	fn batch_reveal_weights(n: u32, u: u32) -> Weight {
		Weight::from_parts(5_000_000, 0)
			.saturating_add(Weight::from_parts(30_000_000, 9_000).saturating_mul(n.into()))
			.saturating_add(
				Weight::from_parts(3_000_000, 2_500)
					.saturating_mul(u.into())
					.saturating_mul(n.into()),
			)
			.saturating_add(T::DbWeight::get().reads_writes(4, 2).saturating_mul(n.into()))
			.saturating_add(T::DbWeight::get().reads(u.into()).saturating_mul(n.into()))
	}
	/// Storage: `Subnets::SubnetOwner` (r:2), `CommitReveal::RevealConfigs` (r:0 w:1)
	fn set_reveal_config() -> Weight {
		Weight::from_parts(14_000_000, 3_600)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	/// Storage: `CommitReveal::ExpiryQueue` (r:1 w:1), `CommitReveal::PendingCommits` (r:e w:e)
	/// The range of component `e` is `[0, MaxExpiriesPerBlock]`.
	fn reclaim_expired(e: u32) -> Weight {
		Weight::from_parts(3_000_000, 1_500)
			.saturating_add(Weight::from_parts(10_000_000, 9_000).saturating_mul(e.into()))
			.saturating_add(T::DbWeight::get().reads_writes(1, 1).saturating_mul(e.into()))
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	/// Storage: `Subnets::SubnetOwner` (r:n), `CommitReveal::RevealConfigs` (r:n),
	/// `Subnets::Uids` (r:n), `Subnets::ValidatorPermits` (r:n),
	/// `CommitReveal::PendingCommits` (r:n), `CommitReveal::ExpiryQueue` (r:n)
	/// The range of component `n` is `[1, MaxBatchSize]`.
	fn check_commit_reveal(n: u32) -> Weight {
		Weight::from_parts(8_000_000, 9_000)
			.saturating_add(Weight::from_parts(10_000_000, 9_000).saturating_mul(n.into()))
			.saturating_add(T::DbWeight::get().reads(6_u64).saturating_mul(n.into()))
	}
}

/// For tests and backwards compatibility: the same figures with RocksDB weights.
impl WeightInfo for () {
	fn commit_weights() -> Weight {
		Weight::from_parts(20_000_000, 9_000)
			.saturating_add(RocksDbWeight::get().reads(6_u64))
			.saturating_add(RocksDbWeight::get().writes(2_u64))
	}
	fn reveal_weights(u: u32) -> Weight {
		Weight::from_parts(30_000_000, 9_000)
			.saturating_add(Weight::from_parts(3_000_000, 2_500).saturating_mul(u.into()))
			.saturating_add(RocksDbWeight::get().reads(u.into()))
			.saturating_add(RocksDbWeight::get().reads(4_u64))
			.saturating_add(RocksDbWeight::get().writes(2_u64))
	}
	fn batch_commit_weights(n: u32) -> Weight {
		Weight::from_parts(5_000_000, 0)
			.saturating_add(Weight::from_parts(20_000_000, 9_000).saturating_mul(n.into()))
			.saturating_add(RocksDbWeight::get().reads_writes(6, 2).saturating_mul(n.into()))
	}
	fn batch_reveal_weights(n: u32, u: u32) -> Weight {
		Weight::from_parts(5_000_000, 0)
			.saturating_add(Weight::from_parts(30_000_000, 9_000).saturating_mul(n.into()))
			.saturating_add(
				Weight::from_parts(3_000_000, 2_500)
					.saturating_mul(u.into())
					.saturating_mul(n.into()),
			)
			.saturating_add(RocksDbWeight::get().reads_writes(4, 2).saturating_mul(n.into()))
			.saturating_add(RocksDbWeight::get().reads(u.into()).saturating_mul(n.into()))
	}
	fn set_reveal_config() -> Weight {
		Weight::from_parts(14_000_000, 3_600)
			.saturating_add(RocksDbWeight::get().reads(2_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
	}
	fn reclaim_expired(e: u32) -> Weight {
		Weight::from_parts(3_000_000, 1_500)
			.saturating_add(Weight::from_parts(10_000_000, 9_000).saturating_mul(e.into()))
			.saturating_add(RocksDbWeight::get().reads_writes(1, 1).saturating_mul(e.into()))
			.saturating_add(RocksDbWeight::get().reads(1_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
	}
	fn check_commit_reveal(n: u32) -> Weight {
		Weight::from_parts(8_000_000, 9_000)
			.saturating_add(Weight::from_parts(10_000_000, 9_000).saturating_mul(n.into()))
			.saturating_add(RocksDbWeight::get().reads(6_u64).saturating_mul(n.into()))
	}
}
