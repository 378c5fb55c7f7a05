//! # Galton primitives
//!
//! The types and rules that Galton's pallets, the runtime and the off-chain evaluator share, so
//! that chain and evaluator can never disagree on them:
//!
//! - [`NetUid`] and [`Uid`]: the subnet and neuron identifiers of a subtensor-style chain;
//! - [`commit_hash`]: the weight commit hash, byte for byte subtensor's `reveal_weights` preimage;
//! - [`weights::check_weights`]: the validation every weight vector goes through;
//! - [`EpsilonSchedule::epsilon_at`]: the advantage an older model keeps, by age;
//! - [`ModelCommitment`], [`Competition`] and the runtime APIs in [`api`];
//! - [`announcement_binding`], [`ClaimConfig`] and [`Announcement`]: two-phase model claims
//!   that a copier watching the transaction pool cannot take;
//! - [`RepoId`] and [`RepoRevision`]: the one parser for where a model lives;
//! - [`migration`] (feature `migration`): the storage migration the pallets share;
//! - [`traits`]: the interfaces a host chain implements. Pallets never depend on each other,
//!   they meet through these traits, which is also what a subtensor fork implements.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

#[cfg(feature = "api")]
pub mod api;
mod claim;
mod commit_reveal;
pub mod epsilon;
mod hash;
#[cfg(feature = "migration")]
pub mod migration;
mod model;
mod repo;
pub mod traits;
pub mod weights;

pub use claim::{announcement_binding, Announcement, ClaimConfig, ClaimNonce};
pub use commit_reveal::{
	PendingCommit, RevealConfig, RevealMode, TimelockedWeights, WeightsTlockPayload,
};
pub use epsilon::{EpsilonSchedule, ScheduleError};
pub use hash::commit_hash;
pub use model::{
	Competition, CompetitionId, Metric, ModelCommitment, Repo, Revision, MAX_REPO_LEN,
	MAX_REVISION_LEN,
};
pub use repo::{RepoError, RepoId, RepoRevision, RevisionError, MAX_REPO_PART_LEN};
#[cfg(feature = "runtime-benchmarks")]
pub use traits::BenchmarkHelper;
pub use traits::{CommitRevealStatus, OnHotkeyDeregistered, PlainWeightsCall, SubnetsInterface};
pub use weights::{check_weights, WeightsError};

/// Identifier of a subnet (subtensor's `netuid`).
pub type NetUid = u16;

/// Index of a neuron (a registered hotkey) inside one subnet.
pub type Uid = u16;
