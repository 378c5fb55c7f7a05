//! # galton-eval
//!
//! Galton's off-chain evaluator on chain: miners claim their models with it, validators run it
//! to score the models and commit and reveal their weights. The measuring and scoring is the
//! engine's ([`galton_engine`], re-exported here); this crate adds
//!
//! - [`chain`]: the subxt client, typed errors, reads and transactions;
//! - [`journal`]: the crash-safe journal of weight commits and model claims;
//! - [`claim`]: a miner's two-phase model claim, resumable from the journal;
//! - [`validator`]: the validator loop, hash and timelocked commits;
//! - [`metrics`]: its Prometheus metrics;
//! - [`span`]: block counts and durations (`2h`) as subnet owners give them.

pub use galton_engine::{
	corpus, degenerate, device, evaluate, fixtures, hash, loss, model, samples, scoring, source,
};

pub mod chain;
pub mod claim;
pub mod journal;
pub mod metrics;
pub mod span;
pub mod validator;
