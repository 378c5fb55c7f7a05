//! # galton-eval
//!
//! Galton's off-chain evaluator. It measures Llama-family language models (Llama, Mistral,
//! Qwen2) by next-token cross-entropy on samples every validator draws alike, and turns the
//! losses into on-chain weights with the epsilon advantage of older models
//! (`docs/design.md`, "Scoring" and "Evaluation samples").
//!
//! - [`source`]: where a model comes from (a directory, or the Hugging Face hub and its cache);
//! - [`hash`]: the content hash a miner commits (of the files the evaluator loads);
//! - [`claim`]: a miner's two-phase model claim, resumable from the journal;
//! - [`model`]: config, checkpoint files and the decoder (logits at every position);
//! - [`corpus`], [`samples`]: documents and the seeded, packed batches;
//! - [`loss`], [`degenerate`], [`evaluate`]: measuring one model;
//! - [`span`]: block counts and durations (`2h`) as subnet owners give them;
//! - [`scoring`]: pairwise wins, win rates, softmax, EMA, reward shares, `u16` weights;
//! - [`device`]: CPU or CUDA, chosen at run time;
//! - [`chain`], [`journal`], [`validator`], [`metrics`]: the client, the crash-safe journal of
//!   weight commits and model claims, the validator loop and its Prometheus metrics;
//! - [`fixtures`]: tiny random models and a tokenizer for tests, benchmarks and the devnet.

pub mod chain;
pub mod claim;
pub mod corpus;
pub mod degenerate;
pub mod device;
pub mod evaluate;
pub mod fixtures;
pub mod hash;
pub mod journal;
pub mod loss;
pub mod metrics;
pub mod model;
pub mod samples;
pub mod scoring;
pub mod source;
pub mod span;
pub mod validator;
