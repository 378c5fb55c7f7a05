//! Llama-family causal language models: configuration, checkpoint files and the decoder.
//!
//! candle-transformers' causal-LM wrappers return the logits of the last position only; the
//! loss needs every position, so the decoder here is our own, built from candle-nn's fused
//! operations (RMS norm, rotary embedding, softmax, CPU flash attention).

mod attention;
pub mod budget;
mod config;
mod decoder;
mod files;
mod rope;

use std::path::PathBuf;

pub use config::{Architecture, ModelConfig, RopeScaling};
pub use decoder::{CausalLm, KvCache};
use files::read_json_file;
pub use files::{load, LoadedModel, ModelFiles};

/// Why a model could not be loaded. Each variant names the file or value at fault.
#[derive(Debug, thiserror::Error)]
pub enum LoadError {
	/// A file the model needs is not there.
	#[error("{path}: missing (a model directory needs config.json, tokenizer.json and model.safetensors or model.safetensors.index.json)")]
	MissingFile {
		/// The file looked for.
		path: PathBuf,
	},
	/// A file could not be read.
	#[error("{path}: {source}")]
	Io {
		/// The file.
		path: PathBuf,
		/// The operating system's error.
		source: std::io::Error,
	},
	/// `config.json` (or the shard index) is not the JSON expected.
	#[error("{path}: not a valid model config: {source}")]
	Config {
		/// The file.
		path: PathBuf,
		/// The parser's error.
		source: serde_json::Error,
	},
	/// `config.json` parses but describes a model the evaluator cannot run.
	#[error("{path}: {reason}")]
	InvalidConfig {
		/// The file.
		path: PathBuf,
		/// What is wrong.
		reason: String,
	},
	/// The architecture is not one of Llama, Mistral, Qwen2.
	#[error("{path}: unsupported architecture {name:?} (supported: LlamaForCausalLM, MistralForCausalLM, Qwen2ForCausalLM)")]
	UnsupportedArchitecture {
		/// The file.
		path: PathBuf,
		/// The architecture it names.
		name: String,
	},
	/// The safetensors weights are missing a tensor, have a wrong shape or cannot be mapped.
	#[error("{path}: cannot load the weights: {source}")]
	Weights {
		/// The checkpoint (first shard for a sharded one).
		path: PathBuf,
		/// candle's error.
		source: candle_core::Error,
	},
	/// `tokenizer.json` cannot be parsed.
	#[error("{path}: not a valid tokenizer: {reason}")]
	Tokenizer {
		/// The file.
		path: PathBuf,
		/// The tokenizers library's message.
		reason: String,
	},
	/// The tokenizer produces ids the model has no embedding for.
	#[error("{tokenizer}: the tokenizer has {tokenizer_vocab} tokens but {config} gives vocab_size {model_vocab}")]
	VocabMismatch {
		/// The tokenizer file.
		tokenizer: PathBuf,
		/// Tokens the tokenizer can produce.
		tokenizer_vocab: usize,
		/// The config file.
		config: PathBuf,
		/// Rows of the model's embedding.
		model_vocab: usize,
	},
	/// Neither the config nor the tokenizer names an end-of-sequence token.
	#[error("{path}: no eos_token_id, and the tokenizer has none of </s>, <|endoftext|>, <|end_of_text|>, <|im_end|>")]
	NoEos {
		/// The config file.
		path: PathBuf,
	},
	/// The model's files are larger than the evaluator reads.
	#[error("{dir}: {source}")]
	Budget {
		/// The model directory.
		dir: PathBuf,
		/// Which limit they pass.
		source: budget::BudgetError,
	},
	/// The requested rows are longer than the model's context.
	#[error("--seq-len {seq_len} is beyond the model's context of {max} tokens ({path})")]
	SeqLenTooLong {
		/// The requested row length.
		seq_len: usize,
		/// The model's `max_position_embeddings`.
		max: usize,
		/// The config file.
		path: PathBuf,
	},
}
