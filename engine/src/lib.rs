//! # galton-engine
//!
//! Galton's evaluation engine: it measures Llama-family language models (Llama, Mistral, Qwen2)
//! by next-token cross-entropy on samples every validator draws alike, and turns the losses into
//! weights with the epsilon advantage of older models (`docs/design.md`, "Scoring" and
//! "Evaluation samples"). It knows nothing of the chain: `galton-eval` adds the client, the
//! journal and the validator loop on top, and benchmarks and CUDA builds need only this crate.
//!
//! - [`source`]: where a model comes from (a directory, or the Hugging Face hub and its cache);
//! - [`hash`]: the content hash a miner commits (of the files the evaluator loads);
//! - [`model`]: config, checkpoint files and the decoder (logits at every position);
//! - [`corpus`], [`samples`]: documents and the seeded, packed batches;
//! - [`loss`], [`degenerate`], [`evaluate`]: measuring one model;
//! - [`scoring`]: pairwise wins, win rates, softmax, EMA, reward shares, `u16` weights;
//! - [`simulation`], [`epsilon_advice`]: a competition run forward with that scoring, and what
//!   an epsilon schedule means for miners (time to the top, the smallest rewarded improvement,
//!   what a copy earns);
//! - [`metagraph`], [`synthetic_subnet`], [`interval_advice`]: a subnet's history (read from a
//!   file or made up), and what a weight copier earns on it at each reveal interval, with Yuma
//!   Consensus as the chain computes it ([`galton_yuma`]);
//! - [`device`]: CPU or CUDA, chosen at run time;
//! - [`fixtures`]: tiny random models and a tokenizer for tests, benchmarks and the devnet.

pub mod corpus;
pub mod degenerate;
pub mod device;
pub mod epsilon_advice;
pub mod evaluate;
pub mod fixtures;
pub mod hash;
pub mod interval_advice;
pub mod loss;
pub mod metagraph;
pub mod model;
pub mod samples;
pub mod scoring;
pub mod simulation;
pub mod source;
pub mod synthetic_subnet;
