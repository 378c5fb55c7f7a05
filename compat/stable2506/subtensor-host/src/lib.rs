//! Galton's pallets in a runtime whose host is shaped like `pallet-subtensor`, at polkadot-sdk
//! stable2506, the release opentensor/subtensor runs.
//!
//! [`host`] keeps subtensor's storage items under subtensor's names (`SubnetOwner`,
//! `SubnetworkN`, `Uids`, `Keys`, `ValidatorPermit`, `WeightsVersionKey`,
//! `BlockAtRegistration`, `Weights`) and implements [`galton_primitives::SubnetsInterface`] over
//! them, as a fork's `pallet-subtensor` would; [`runtime`] wires `pallet-commit-reveal`,
//! `pallet-model-registry` and `pallet-beacon` to it with the code `docs/integration.md` shows
//! (a test keeps the two the same).

pub mod host;
// construct_runtime! declares the runtime's types without documentation.
#[allow(missing_docs)]
pub mod runtime;

#[cfg(test)]
mod tests;
