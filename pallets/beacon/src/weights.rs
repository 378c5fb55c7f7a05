//! Weights for `pallet_beacon`.
//!
//! NOT YET GENERATED: first estimates, to be replaced by `benchmarking/run-benchmarks.sh`.

#![allow(unused_parens)]
#![allow(unused_imports)]
#![allow(missing_docs)]

use core::marker::PhantomData;
use frame_support::{
	traits::Get,
	weights::{constants::RocksDbWeight, Weight},
};

/// Weight functions needed for `pallet_beacon`.
pub trait WeightInfo {
	fn store_pulse() -> Weight;
	fn authorize_store_pulse() -> Weight;
	fn set_beacon(n: u32) -> Weight;
}

/// Weights for `pallet_beacon` using the host chain's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);

impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	fn store_pulse() -> Weight {
		Weight::from_parts(20_000_000, 3_000)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	fn authorize_store_pulse() -> Weight {
		Weight::from_parts(20_000_000, 3_000).saturating_add(T::DbWeight::get().reads(2_u64))
	}
	fn set_beacon(n: u32) -> Weight {
		Weight::from_parts(20_000_000, 3_000)
			.saturating_add(T::DbWeight::get().writes(2_u64))
			.saturating_add(T::DbWeight::get().writes((1_u64).saturating_mul(n.into())))
	}
}

impl WeightInfo for () {
	fn store_pulse() -> Weight {
		Weight::from_parts(20_000_000, 3_000)
			.saturating_add(RocksDbWeight::get().reads(2_u64))
			.saturating_add(RocksDbWeight::get().writes(2_u64))
	}
	fn authorize_store_pulse() -> Weight {
		Weight::from_parts(20_000_000, 3_000).saturating_add(RocksDbWeight::get().reads(2_u64))
	}
	fn set_beacon(n: u32) -> Weight {
		Weight::from_parts(20_000_000, 3_000)
			.saturating_add(RocksDbWeight::get().writes(2_u64))
			.saturating_add(RocksDbWeight::get().writes((1_u64).saturating_mul(n.into())))
	}
}
