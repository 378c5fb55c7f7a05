//! A model directory's files, its parameter count, and loading it onto a device.

use std::{
	collections::{BTreeSet, HashMap},
	io::Read,
	path::{Path, PathBuf},
};

use candle_core::{DType, Device};
use candle_nn::VarBuilder;
use sha2::{Digest, Sha256};
use tokenizers::Tokenizer;

use super::{
	budget::{SizeBudget, MAX_JSON_BYTES},
	CausalLm, LoadError, ModelConfig,
};

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
	/// only (no tensor data is read). Each file is checked to be exactly its header and the
	/// tensors the header describes, each tensor's bytes matching its dtype and shape.
	pub fn parameter_count(&self) -> Result<u64, LoadError> {
		self.weights
			.iter()
			.try_fold(0u64, |total, path| Ok(total.saturating_add(stored_parameters(path)?)))
	}

	/// Check the sizes of the files against `budget` before any of them is read.
	pub fn check_budget(&self, budget: SizeBudget) -> Result<(), LoadError> {
		let mut listing = Vec::with_capacity(self.weights.len() + 2);
		for path in [&self.config, &self.tokenizer].into_iter().chain(&self.weights) {
			let size = std::fs::metadata(path)
				.map_err(|source| LoadError::Io { path: path.clone(), source })?
				.len();
			let name = path.file_name().and_then(|n| n.to_str()).unwrap_or_default();
			listing.push((name.to_owned(), size));
		}
		budget
			.check(listing.iter().map(|(name, size)| (name.as_str(), *size)))
			.map_err(|source| LoadError::Budget { dir: self.dir.clone(), source })
	}
}

/// The contents of a JSON file the model needs, refused past [`MAX_JSON_BYTES`] before it is
/// read.
pub fn read_json_file(path: &Path) -> Result<Vec<u8>, LoadError> {
	let io = |source| LoadError::Io { path: path.to_owned(), source };
	let file = std::fs::File::open(path).map_err(io)?;
	let size = file.metadata().map_err(io)?.len();
	if size > MAX_JSON_BYTES {
		return Err(LoadError::InvalidConfig {
			path: path.to_owned(),
			reason: format!("{size} bytes; at most {MAX_JSON_BYTES} are read"),
		});
	}
	let mut bytes = Vec::with_capacity(size as usize);
	// `take` also bounds a file that grows while it is read.
	file.take(MAX_JSON_BYTES + 1).read_to_end(&mut bytes).map_err(io)?;
	if bytes.len() as u64 > MAX_JSON_BYTES {
		return Err(LoadError::InvalidConfig {
			path: path.to_owned(),
			reason: format!("grew past {MAX_JSON_BYTES} bytes while read"),
		});
	}
	Ok(bytes)
}

/// The shard files an index names, each once, in name order.
fn shards(index: &Path) -> Result<BTreeSet<String>, LoadError> {
	#[derive(serde::Deserialize)]
	struct Index {
		weight_map: HashMap<String, String>,
	}
	let parsed: Index = serde_json::from_slice(&read_json_file(index)?)
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

/// Bytes per element of a safetensors dtype.
fn dtype_size(dtype: &str) -> Option<u64> {
	match dtype {
		"BOOL" | "U8" | "I8" | "F8_E4M3" | "F8_E5M2" => Some(1),
		"U16" | "I16" | "F16" | "BF16" => Some(2),
		"U32" | "I32" | "F32" => Some(4),
		"U64" | "I64" | "F64" => Some(8),
		_ => None,
	}
}

/// One tensor as a safetensors header describes it.
#[derive(serde::Deserialize)]
struct TensorInfo {
	dtype: String,
	shape: Vec<u64>,
	data_offsets: (u64, u64),
}

/// Sum of the element counts of every tensor in one safetensors file's header, after checking
/// that the file is exactly the header and the data it describes: every tensor's bytes match
/// its dtype and shape, and the data ends where the file does (a file padded with gigabytes,
/// or cut short, is refused before anything is mapped).
fn stored_parameters(path: &Path) -> Result<u64, LoadError> {
	let invalid = |reason: String| LoadError::InvalidConfig { path: path.to_owned(), reason };
	let io = |source| LoadError::Io { path: path.to_owned(), source };
	let mut file = std::fs::File::open(path).map_err(io)?;
	let file_len = file.metadata().map_err(io)?.len();
	let mut len = [0u8; 8];
	file.read_exact(&mut len).map_err(io)?;
	let len = u64::from_le_bytes(len);
	if len > MAX_HEADER || len > file_len.saturating_sub(8) {
		return Err(invalid(format!(
			"safetensors header of {len} bytes in a {file_len}-byte file"
		)));
	}
	let mut header = Vec::new();
	file.take(len).read_to_end(&mut header).map_err(io)?;
	let mut header: HashMap<String, serde_json::Value> = serde_json::from_slice(&header)
		.map_err(|e| invalid(format!("not a safetensors header: {e}")))?;
	header.remove("__metadata__");
	let mut total = 0u64;
	let mut data_len = 0u64;
	for (name, info) in header {
		let info: TensorInfo =
			serde_json::from_value(info).map_err(|e| invalid(format!("tensor {name}: {e}")))?;
		let elements = info.shape.iter().try_fold(1u64, |n, &dim| n.checked_mul(dim));
		let bytes = dtype_size(&info.dtype).and_then(|size| elements?.checked_mul(size));
		let (start, end) = info.data_offsets;
		match (elements, bytes) {
			(Some(elements), Some(bytes)) if end.checked_sub(start) == Some(bytes) => {
				total = total.saturating_add(elements);
				data_len = data_len.max(end);
			}
			_ => {
				return Err(invalid(format!(
					"tensor {name}: {} of shape {:?} does not fill bytes {start}..{end}",
					info.dtype, info.shape
				)))
			}
		}
	}
	if 8 + len + data_len != file_len {
		return Err(invalid(format!(
			"the header describes {} bytes but the file has {file_len}",
			8 + len + data_len
		)));
	}
	Ok(total)
}

/// The checkpoint's tensors, memory-mapped: each is read from the page cache as the decoder
/// asks for it, instead of every shard being read into memory first.
#[allow(unsafe_code)]
fn mapped_weights(
	paths: &[PathBuf],
	dtype: DType,
	device: &Device,
) -> candle_core::Result<VarBuilder<'static>> {
	// SAFETY: mapping is sound while nobody changes the files under it. They are in the
	// validator's own model directory or hub cache, which nothing else writes while it
	// evaluates, and their sizes and headers were checked (`stored_parameters`) just before.
	// The mapping only lives while the decoder copies its tensors out.
	unsafe { VarBuilder::from_mmaped_safetensors(paths, dtype, device) }
}

/// A model ready to evaluate: decoder, tokenizer and the facts the evaluation needs.
pub struct LoadedModel {
	/// The decoder, on its device.
	pub model: CausalLm,
	/// The tokenizer from `tokenizer.json`.
	pub tokenizer: Tokenizer,
	/// SHA-256 of the `tokenizer.json` bytes it was built from: models that share it share
	/// their samples.
	pub tokenizer_hash: [u8; 32],
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
	let tokenizer_bytes = read_json_file(&files.tokenizer)?;
	let tokenizer_hash = Sha256::digest(&tokenizer_bytes).into();
	let tokenizer = Tokenizer::from_bytes(tokenizer_bytes).map_err(|e| LoadError::Tokenizer {
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
	let weights_error = |source| LoadError::Weights {
		path: files.weights.first().cloned().unwrap_or_else(|| files.dir.clone()),
		source,
	};
	let model = mapped_weights(&files.weights, dtype, device)
		.and_then(|vb| CausalLm::load(vb, &config, max_positions))
		.map_err(weights_error)?;
	Ok(LoadedModel { model, tokenizer, tokenizer_hash, eos, parameters, files: files.clone() })
}
