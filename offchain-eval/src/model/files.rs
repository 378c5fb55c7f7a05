//! A model directory's files, its parameter count, and loading it onto a device.

use std::{
	collections::{BTreeSet, HashMap},
	io::Read,
	path::{Path, PathBuf},
};

use candle_core::{DType, Device};
use candle_nn::VarBuilder;
use tokenizers::Tokenizer;

use super::{CausalLm, LoadError, ModelConfig};

const CONFIG: &str = "config.json";
const TOKENIZER: &str = "tokenizer.json";
const SINGLE_CHECKPOINT: &str = "model.safetensors";
const SHARD_INDEX: &str = "model.safetensors.index.json";

/// Tokens that end a document when `config.json` names no `eos_token_id`.
const EOS_NAMES: [&str; 4] = ["</s>", "<|endoftext|>", "<|end_of_text|>", "<|im_end|>"];

/// The files of a model directory: `config.json`, `tokenizer.json` and a single or sharded
/// safetensors checkpoint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModelFiles {
	/// The directory.
	pub dir: PathBuf,
	/// `config.json`.
	pub config: PathBuf,
	/// `tokenizer.json`.
	pub tokenizer: PathBuf,
	/// The safetensors files, in name order.
	pub weights: Vec<PathBuf>,
}

fn require(path: PathBuf) -> Result<PathBuf, LoadError> {
	if path.is_file() {
		Ok(path)
	} else {
		Err(LoadError::MissingFile { path })
	}
}

impl ModelFiles {
	/// Find the files of the model in `dir`; a sharded checkpoint is read from
	/// `model.safetensors.index.json`.
	pub fn in_dir(dir: &Path) -> Result<Self, LoadError> {
		let config = require(dir.join(CONFIG))?;
		let tokenizer = require(dir.join(TOKENIZER))?;
		let single = dir.join(SINGLE_CHECKPOINT);
		let index = dir.join(SHARD_INDEX);
		let weights = if single.is_file() {
			vec![single]
		} else if index.is_file() {
			shards(&index)?
				.into_iter()
				.map(|name| require(dir.join(name)))
				.collect::<Result<_, _>>()?
		} else {
			return Err(LoadError::MissingFile { path: single });
		};
		Ok(Self { dir: dir.to_owned(), config, tokenizer, weights })
	}

	/// The number of parameters stored in the checkpoint, read from the safetensors headers
	/// only (no tensor data is read).
	pub fn parameter_count(&self) -> Result<u64, LoadError> {
		self.weights.iter().try_fold(0u64, |total, path| Ok(total + stored_parameters(path)?))
	}
}

/// The shard files an index names, each once, in name order.
fn shards(index: &Path) -> Result<BTreeSet<String>, LoadError> {
	#[derive(serde::Deserialize)]
	struct Index {
		weight_map: HashMap<String, String>,
	}
	let text = std::fs::read_to_string(index)
		.map_err(|source| LoadError::Io { path: index.to_owned(), source })?;
	let parsed: Index = serde_json::from_str(&text)
		.map_err(|source| LoadError::Config { path: index.to_owned(), source })?;
	let names: BTreeSet<String> = parsed.weight_map.into_values().collect();
	if let Some(bad) =
		names.iter().find(|n| n.contains('/') || n.contains('\\') || n.starts_with('.'))
	{
		return Err(LoadError::InvalidConfig {
			path: index.to_owned(),
			reason: format!("shard name {bad:?} points outside the model directory"),
		});
	}
	Ok(names)
}

/// The largest safetensors header accepted (the format's own limit is 100 MB).
const MAX_HEADER: u64 = 100_000_000;

/// Sum of the element counts of every tensor in one safetensors file's header.
fn stored_parameters(path: &Path) -> Result<u64, LoadError> {
	let invalid = |reason: String| LoadError::InvalidConfig { path: path.to_owned(), reason };
	let io = |source| LoadError::Io { path: path.to_owned(), source };
	let mut file = std::fs::File::open(path).map_err(io)?;
	let mut len = [0u8; 8];
	file.read_exact(&mut len).map_err(io)?;
	let len = u64::from_le_bytes(len);
	if len > MAX_HEADER {
		return Err(invalid(format!("safetensors header of {len} bytes is too large")));
	}
	let mut header = Vec::new();
	file.take(len).read_to_end(&mut header).map_err(io)?;
	let header: HashMap<String, serde_json::Value> = serde_json::from_slice(&header)
		.map_err(|e| invalid(format!("not a safetensors header: {e}")))?;
	let mut total = 0u64;
	for (name, info) in header.iter().filter(|(name, _)| name.as_str() != "__metadata__") {
		let shape = info
			.get("shape")
			.and_then(|s| s.as_array())
			.ok_or_else(|| invalid(format!("tensor {name} has no shape")))?;
		let elements =
			shape.iter().try_fold(1u64, |n, dim| dim.as_u64().and_then(|d| n.checked_mul(d)));
		total += elements.ok_or_else(|| invalid(format!("tensor {name} has a bad shape")))?;
	}
	Ok(total)
}

/// A model ready to evaluate: decoder, tokenizer and the facts the evaluation needs.
pub struct LoadedModel {
	/// The decoder, on its device.
	pub model: CausalLm,
	/// The tokenizer from `tokenizer.json`.
	pub tokenizer: Tokenizer,
	/// The token that separates packed documents.
	pub eos: u32,
	/// Parameters stored in the checkpoint.
	pub parameters: u64,
	/// Where it was loaded from.
	pub files: ModelFiles,
}

/// Load a model directory onto `device` in `dtype`, with rotary tables for `max_positions`.
///
/// Checks, each with its own error naming the file: the config describes a supported model,
/// the tokenizer's ids fit the model's vocabulary, an end-of-sequence token exists, and
/// `max_positions` is within the model's context.
pub fn load(
	files: &ModelFiles,
	device: &Device,
	dtype: DType,
	max_positions: usize,
) -> Result<LoadedModel, LoadError> {
	let config = ModelConfig::from_file(&files.config)?;
	if max_positions > config.max_position_embeddings {
		return Err(LoadError::SeqLenTooLong {
			seq_len: max_positions,
			max: config.max_position_embeddings,
			path: files.config.clone(),
		});
	}
	let tokenizer = Tokenizer::from_file(&files.tokenizer).map_err(|e| LoadError::Tokenizer {
		path: files.tokenizer.clone(),
		reason: e.to_string(),
	})?;
	let tokenizer_vocab = tokenizer.get_vocab(true).values().max().map_or(0, |&id| id as usize + 1);
	if tokenizer_vocab > config.vocab_size {
		return Err(LoadError::VocabMismatch {
			tokenizer: files.tokenizer.clone(),
			tokenizer_vocab,
			config: files.config.clone(),
			model_vocab: config.vocab_size,
		});
	}
	let eos = config
		.eos_token_id
		.or_else(|| EOS_NAMES.iter().find_map(|name| tokenizer.token_to_id(name)))
		.ok_or_else(|| LoadError::NoEos { path: files.config.clone() })?;
	let parameters = files.parameter_count()?;
	let first_shard = files.weights.first().cloned().unwrap_or_else(|| files.dir.clone());
	let weights_error = |source| LoadError::Weights { path: first_shard.clone(), source };
	let mut tensors = HashMap::new();
	for path in &files.weights {
		let shard = candle_core::safetensors::load(path, device)
			.map_err(|source| LoadError::Weights { path: path.clone(), source })?;
		tensors.extend(shard);
	}
	let vb = VarBuilder::from_tensors(tensors, dtype, device);
	let model = CausalLm::load(vb, &config, max_positions).map_err(weights_error)?;
	Ok(LoadedModel { model, tokenizer, eos, parameters, files: files.clone() })
}
