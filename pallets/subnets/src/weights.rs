//! Weights for `pallet_subnets`.
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

/// Weight functions needed for `pallet_subnets`.
pub trait WeightInfo {
	fn create_subnet() -> Weight;
	fn register() -> Weight;
	fn set_validator_permit() -> Weight;
	fn set_weights(n: u32) -> Weight;
	fn set_weights_version_key() -> Weight;
	fn deregister() -> Weight;
}

/// Weights for `pallet_subnets` using the host chain's database weights.
pub struct SubstrateWeight<T>(PhantomData<T>);

impl<T: frame_system::Config> WeightInfo for SubstrateWeight<T> {
	/// Storage: `Subnets::SubnetCount` (r:1 w:1), `Subnets::SubnetOwner` (r:0 w:1)
	fn create_subnet() -> Weight {
		Weight::from_parts(12_000_000, 1_500)
			.saturating_add(T::DbWeight::get().reads(1_u64))
			.saturating_add(T::DbWeight::get().writes(2_u64))
	}
	/// Storage: `Subnets::SubnetOwner` (r:1), `Subnets::Uids` (r:1 w:1),
	/// `Subnets::NeuronCount` (r:1 w:1), `Subnets::Keys` (r:0 w:1)
	fn register() -> Weight {
		Weight::from_parts(20_000_000, 3_600)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(3_u64))
	}
	/// Storage: `Subnets::SubnetOwner` (r:2), `Subnets::Keys` (r:1),
	/// `Subnets::ValidatorPermits` (r:0 w:1)
	fn set_validator_permit() -> Weight {
		Weight::from_parts(16_000_000, 3_600)
			.saturating_add(T::DbWeight::get().reads(3_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	/// Storage: `Subnets::SubnetOwner` (r:1), `CommitReveal::RevealConfigs` (r:1),
	/// `Subnets::Uids` (r:1), `Subnets::ValidatorPermits` (r:1),
	/// `Subnets::WeightsVersionKey` (r:1), `Subnets::Keys` (r:n), `Subnets::Weights` (r:0 w:1)
	/// The range of component `n` is `[0, MaxNeurons]`.
	fn set_weights(n: u32) -> Weight {
		Weight::from_parts(25_000_000, 3_600)
			.saturating_add(Weight::from_parts(3_000_000, 2_500).saturating_mul(n.into()))
			.saturating_add(T::DbWeight::get().reads(5_u64))
			.saturating_add(T::DbWeight::get().reads(n.into()))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	/// Storage: `Subnets::SubnetOwner` (r:2), `Subnets::WeightsVersionKey` (r:0 w:1)
	fn set_weights_version_key() -> Weight {
		Weight::from_parts(14_000_000, 3_600)
			.saturating_add(T::DbWeight::get().reads(2_u64))
			.saturating_add(T::DbWeight::get().writes(1_u64))
	}
	/// Storage: `Subnets::SubnetOwner` (r:2), `Subnets::Uids` (r:1 w:1), `Subnets::Keys` (w:1),
	/// `Subnets::ValidatorPermits` (w:1), `Subnets::Weights` (w:1), `Subnets::Occupancy` (r:1 w:1)
	fn deregister() -> Weight {
		Weight::from_parts(25_000_000, 3_600)
			.saturating_add(T::DbWeight::get().reads(4_u64))
			.saturating_add(T::DbWeight::get().writes(5_u64))
	}
}

/// For tests and backwards compatibility: the same figures with RocksDB weights.
impl WeightInfo for () {
	fn create_subnet() -> Weight {
		Weight::from_parts(12_000_000, 1_500)
			.saturating_add(RocksDbWeight::get().reads(1_u64))
			.saturating_add(RocksDbWeight::get().writes(2_u64))
	}
	fn register() -> Weight {
		Weight::from_parts(20_000_000, 3_600)
			.saturating_add(RocksDbWeight::get().reads(3_u64))
			.saturating_add(RocksDbWeight::get().writes(3_u64))
	}
	fn set_validator_permit() -> Weight {
		Weight::from_parts(16_000_000, 3_600)
			.saturating_add(RocksDbWeight::get().reads(3_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
	}
	fn set_weights(n: u32) -> Weight {
		Weight::from_parts(25_000_000, 3_600)
			.saturating_add(Weight::from_parts(3_000_000, 2_500).saturating_mul(n.into()))
			.saturating_add(RocksDbWeight::get().reads(5_u64))
			.saturating_add(RocksDbWeight::get().reads(n.into()))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
	}
	fn set_weights_version_key() -> Weight {
		Weight::from_parts(14_000_000, 3_600)
			.saturating_add(RocksDbWeight::get().reads(2_u64))
			.saturating_add(RocksDbWeight::get().writes(1_u64))
	}
	fn deregister() -> Weight {
		Weight::from_parts(25_000_000, 3_600)
			.saturating_add(RocksDbWeight::get().reads(4_u64))
			.saturating_add(RocksDbWeight::get().writes(5_u64))
	}
}
