//! Weights for `pallet_model_registry`.
//!
//! PROVISIONAL: these figures are estimates (storage reads and writes counted from the code, a
//! fixed execution cost per call) until the pallet's benchmarks regenerate this file with the
//! script in `benchmarking/`. Do not edit once generated.

#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use core::marker::PhantomData;
use frame_support::{
	traits::Get,
	weights::{constants::RocksDbWeight, Weight},
};

/// Weight functions needed for `pallet_model_registry`.
pub trait WeightInfo {
	fn commit_model() -> Weight;
	fn set_competition() -> Weight;
	fn remove_competition() -> Weight;
	fn set_commit_interval() -> Weight;
	fn on_hotkey_deregistered() -> Weight;
}

/// Weights for `pallet_model_registry` using the host chain's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);

impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	/// Storage: `Subnets::SubnetOwner` (r:1), `Subnets::Uids` (r:1),
	/// `ModelRegistry::Competitions` (r:1), `ModelRegistry::HashOwner` (r:1 w:2),
	/// `ModelRegistry::Models` (r:1 w:1), `ModelRegistry::CommitInterval` (r:1)
	fn commit_model() -> Weight {
		Weight::from_parts(30_000_000, 6_000)
			.saturating_add(T::DbWeight::get().reads(6_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	/// Storage: `Subnets::SubnetOwner` (r:2), `ModelRegistry::Competitions` (r:1 w:1)
	fn set_competition() -> Weight {
		Weight::from_parts(20_000_000, 4_000)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	/// Storage: `Subnets::SubnetOwner` (r:2), `ModelRegistry::Competitions` (r:1 w:1)
	fn remove_competition() -> Weight {
		Weight::from_parts(18_000_000, 4_000)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	/// Storage: `Subnets::SubnetOwner` (r:2), `ModelRegistry::CommitInterval` (r:0 w:1)
	fn set_commit_interval() -> Weight {
		Weight::from_parts(14_000_000, 3_600)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	/// Storage: `ModelRegistry::Models` (r:1 w:1), `ModelRegistry::HashOwner` (r:0 w:1)
	fn on_hotkey_deregistered() -> Weight {
		Weight::from_parts(12_000_000, 3_800)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
}

/// For tests and backwards compatibility: the same figures with RocksDB weights.
impl WeightInfo for () {
	fn commit_model() -> Weight {
		Weight::from_parts(30_000_000, 6_000)
			.saturating_add(RocksDbWeight::get().reads(6_u64))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
	}
	fn set_competition() -> Weight {
		Weight::from_parts(20_000_000, 4_000)
			.saturating_add(RocksDbWeight::get().reads(3_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
	}
	fn remove_competition() -> Weight {
		Weight::from_parts(18_000_000, 4_000)
			.saturating_add(RocksDbWeight::get().reads(3_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
	}
	fn set_commit_interval() -> Weight {
		Weight::from_parts(14_000_000, 3_600)
			.saturating_add(RocksDbWeight::get().reads(2_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
	}
	fn on_hotkey_deregistered() -> Weight {
		Weight::from_parts(12_000_000, 3_800)
			.saturating_add(RocksDbWeight::get().reads(1_u64))
			.saturating_add(RocksDbWeight::get().writes(2_u64))
	}
}
