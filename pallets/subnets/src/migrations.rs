//! Storage migrations, for the runtime's `Executive` to run on an upgrade.

/// Version 1 names every storage map for its entries, in the plural: `SubnetOwner` became
/// `SubnetOwners`, `NeuronCount` became `NeuronCounts`, `Occupancy` became `OccupiedUids`,
/// `RegisteredAt` became `RegistrationBlocks`, `WeightsVersionKey` became `WeightsVersionKeys`.
pub mod v1 {
	use frame_support::parameter_types;
	use galton_primitives::migration::{Rename, VersionedRename};

	use crate::Pallet;

	parameter_types! {
		/// The maps version 1 renamed: (old name, new name).
		pub const Renamed: &'static [Rename] = &[
			("SubnetOwner", "SubnetOwners"),
			("NeuronCount", "NeuronCounts"),
			("Occupancy", "OccupiedUids"),
			("RegisteredAt", "RegistrationBlocks"),
			("WeightsVersionKey", "WeightsVersionKeys"),
		];
	}

	/// The move of the renamed maps' entries, run once, on storage at version 0.
	pub type MigrateToV1<T> =
		VersionedRename<0, 1, Pallet<T>, Renamed, <T as frame_system::Config>::DbWeight>;
}
