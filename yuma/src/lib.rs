//! Yuma Consensus as opentensor/subtensor computes it today, so that Galton's advisors predict
//! what a subtensor chain pays.
//!
//! One epoch is [`epoch::run`]: the sparse `epoch_mechanism` of subtensor's
//! `pallets/subtensor/src/epoch/run_epoch.rs`, step for step and in the same fixed-point types
//! (`I32F32`, `I64F64` and `I96F32` of `substrate-fixed`, the crate subtensor uses), so that a
//! result here agrees with the chain's to the last bit. [`subnet::Subnet`] holds what the chain
//! keeps between epochs (stakes, permits, last updates, registrations, weights and bonds as
//! `u16`) and changes it as the chain's extrinsics and hooks do.
//!
//! # Terms
//! - *uid*: a neuron's position in the subnet, `0..n`.
//! - *weights* `W[i][j]`: what validator `i` set for miner `j`, stored as `u16` scaled so the row's
//!   largest is `u16::MAX`.
//! - *consensus* `C[j]`: the stake-weighted `kappa`-quantile of column `j` over the validators.
//! - *incentive* `I[j]`: miner `j`'s share of the miners' emission, from the weights clipped at
//!   consensus.
//! - *bonds* `B[i][j]`: validator `i`'s stake in miner `j`, an exponential moving average of its
//!   weights; *dividends* `D[i]`: validator `i`'s share of the validators' emission, from its
//!   bonds and the incentive.
//!
//! Not modelled: the commit-reveal column mask (commits made before a uid's registration), child
//! keys and the alpha/TAO stake mix (the caller passes the stake weight the chain would use),
//! and the owner's emission cut.
#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub mod bonds;
pub mod epoch;
pub mod matrix;
pub mod median;
pub mod subnet;
pub mod vector;

pub use epoch::{EpochInput, EpochOutput, Hyperparameters, LiquidAlpha};
pub use subnet::{Subnet, SubnetError};
pub use substrate_fixed::types::{I32F32, I64F64, I96F32};

/// A sparse matrix as the chain keeps it: per row, `(column, value)` in increasing column order.
pub type SparseMatrix = alloc::vec::Vec<alloc::vec::Vec<(u16, I32F32)>>;
