//! `config.json` of a Llama-family checkpoint (Llama, Mistral, Qwen2) and the architecture it
//! names.

use std::path::Path;

use serde::Deserialize;

use super::LoadError;

/// The causal-LM families the evaluator runs. They share one decoder; they differ in which
/// projections carry a bias and whether attention uses a sliding window.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Architecture {
	/// `LlamaForCausalLM` (Llama 2 and 3, TinyLlama, SmolLM, ...).
	Llama,
	/// `MistralForCausalLM`: Llama with an optional sliding attention window.
	Mistral,
	/// `Qwen2ForCausalLM`: Llama with a bias on the query, key and value projections.
	Qwen2,
}

impl Architecture {
	/// The architecture a `config.json` names in `architectures[0]`, else in `model_type`.
	fn from_names(architectures: &[String], model_type: Option<&str>) -> Option<Self> {
		let by_class = |name: &str| match name {
			"LlamaForCausalLM" => Some(Self::Llama),
			"MistralForCausalLM" => Some(Self::Mistral),
			"Qwen2ForCausalLM" => Some(Self::Qwen2),
			_ => None,
		};
		let by_type = |name: &str| match name {
			"llama" => Some(Self::Llama),
			"mistral" => Some(Self::Mistral),
			"qwen2" => Some(Self::Qwen2),
			_ => None,
		};
		match architectures.first() {
			Some(class) => by_class(class),
			None => model_type.and_then(by_type),
		}
	}
}

/// `eos_token_id` is a single id or a list of ids in Hugging Face configs.
#[derive(Clone, Debug, Deserialize)]
#[serde(untagged)]
enum TokenIds {
	One(u32),
	Many(Vec<u32>),
}

/// `rope_scaling` as Llama 3.1 and later write it.
#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct RopeScaling {
	/// `"llama3"` is the only scaling the evaluator implements.
	#[serde(alias = "type")]
	pub rope_type: String,
	/// How much longer the context is than the one the model was pre-trained on.
	pub factor: f64,
	/// Wavelengths longer than `original / low_freq_factor` are divided by `factor`.
	#[serde(default = "default_low_freq_factor")]
	pub low_freq_factor: f64,
	/// Wavelengths shorter than `original / high_freq_factor` are kept.
	#[serde(default = "default_high_freq_factor")]
	pub high_freq_factor: f64,
	/// The context length of pre-training.
	pub original_max_position_embeddings: usize,
}

fn default_low_freq_factor() -> f64 {
	1.0
}

fn default_high_freq_factor() -> f64 {
	4.0
}

/// The fields of `config.json` as written by `transformers`.
#[derive(Clone, Debug, Deserialize)]
struct RawConfig {
	#[serde(default)]
	architectures: Vec<String>,
	model_type: Option<String>,
	hidden_size: usize,
	intermediate_size: usize,
	num_hidden_layers: usize,
	num_attention_heads: usize,
	num_key_value_heads: Option<usize>,
	head_dim: Option<usize>,
	vocab_size: usize,
	#[serde(default = "default_rms_norm_eps")]
	rms_norm_eps: f64,
	#[serde(default = "default_rope_theta")]
	rope_theta: f64,
	rope_scaling: Option<RopeScaling>,
	max_position_embeddings: usize,
	#[serde(default)]
	tie_word_embeddings: bool,
	eos_token_id: Option<TokenIds>,
	#[serde(default = "default_hidden_act")]
	hidden_act: String,
	#[serde(default)]
	attention_bias: bool,
	#[serde(default)]
	mlp_bias: bool,
	sliding_window: Option<usize>,
	use_sliding_window: Option<bool>,
}

/// The largest value each dimension may take: beyond every released Llama-family model, and
/// small enough that no product of them used to size a buffer overflows.
const BOUNDS: [(&str, usize); 8] = [
	("hidden_size", 1 << 16),
	("intermediate_size", 1 << 18),
	("num_hidden_layers", 1 << 10),
	("num_attention_heads", 1 << 10),
	("num_key_value_heads", 1 << 10),
	("head_dim", 1 << 11),
	("vocab_size", 1 << 21),
	("max_position_embeddings", 1 << 24),
];

/// Refuse a config whose dimensions pass [`BOUNDS`], before anything is sized from them.
fn check_bounds(raw: &RawConfig) -> Result<(), String> {
	let values = [
		Some(raw.hidden_size),
		Some(raw.intermediate_size),
		Some(raw.num_hidden_layers),
		Some(raw.num_attention_heads),
		raw.num_key_value_heads,
		raw.head_dim,
		Some(raw.vocab_size),
		Some(raw.max_position_embeddings),
	];
	for ((name, max), value) in BOUNDS.iter().zip(values) {
		if let Some(value) = value.filter(|value| value > max) {
			return Err(format!("{name} is {value}; the evaluator accepts at most {max}"));
		}
	}
	Ok(())
}

fn default_rms_norm_eps() -> f64 {
	1e-6
}

fn default_rope_theta() -> f64 {
	10_000.0
}

fn default_hidden_act() -> String {
	"silu".into()
}

/// A checked model configuration: everything the decoder needs, in one place.
#[derive(Clone, Debug, PartialEq)]
pub struct ModelConfig {
	/// The family the checkpoint belongs to.
	pub architecture: Architecture,
	/// Width of the residual stream.
	pub hidden_size: usize,
	/// Width of the MLP's hidden layer.
	pub intermediate_size: usize,
	/// Number of decoder layers.
	pub num_layers: usize,
	/// Number of query heads.
	pub num_heads: usize,
	/// Number of key/value heads (grouped-query attention when below `num_heads`).
	pub num_kv_heads: usize,
	/// Width of one head.
	pub head_dim: usize,
	/// Rows of the embedding and of the output projection.
	pub vocab_size: usize,
	/// Epsilon of every RMS norm.
	pub rms_norm_eps: f64,
	/// Base of the rotary embedding's frequencies.
	pub rope_theta: f64,
	/// Llama 3 frequency scaling, if the model uses it.
	pub rope_scaling: Option<RopeScaling>,
	/// The longest context the model supports.
	pub max_position_embeddings: usize,
	/// The output projection is the embedding matrix.
	pub tie_word_embeddings: bool,
	/// The end-of-sequence token that separates packed documents.
	pub eos_token_id: Option<u32>,
	/// Query, key and value projections carry a bias.
	pub qkv_bias: bool,
	/// The output projection of attention carries a bias.
	pub o_bias: bool,
	/// The MLP projections carry a bias.
	pub mlp_bias: bool,
	/// Each token attends to at most this many tokens (itself included), if set.
	pub sliding_window: Option<usize>,
}

impl ModelConfig {
	/// Read and check `config.json` (at most [`super::budget::MAX_JSON_BYTES`] of it).
	pub fn from_file(path: &Path) -> Result<Self, LoadError> {
		let bytes = super::read_json_file(path)?;
		let text = std::str::from_utf8(&bytes).map_err(|e| LoadError::InvalidConfig {
			path: path.to_owned(),
			reason: format!("not UTF-8: {e}"),
		})?;
		Self::from_json(text, path)
	}

	/// Parse and check the text of a `config.json`; `path` names it in errors.
	pub fn from_json(text: &str, path: &Path) -> Result<Self, LoadError> {
		let raw: RawConfig = serde_json::from_str(text)
			.map_err(|source| LoadError::Config { path: path.to_owned(), source })?;
		check_bounds(&raw)
			.map_err(|reason| LoadError::InvalidConfig { path: path.to_owned(), reason })?;
		let invalid = |reason: String| LoadError::InvalidConfig { path: path.to_owned(), reason };
		let architecture = Architecture::from_names(&raw.architectures, raw.model_type.as_deref())
			.ok_or_else(|| LoadError::UnsupportedArchitecture {
				path: path.to_owned(),
				name: raw
					.architectures
					.first()
					.cloned()
					.or(raw.model_type.clone())
					.unwrap_or_else(|| "<none>".into()),
			})?;
		if raw.hidden_act != "silu" {
			return Err(invalid(format!(
				"hidden_act is {:?}; the evaluator implements \"silu\"",
				raw.hidden_act
			)));
		}
		if raw.num_attention_heads == 0 || raw.num_hidden_layers == 0 || raw.vocab_size == 0 {
			return Err(invalid(
				"num_attention_heads, num_hidden_layers and vocab_size must be positive".into(),
			));
		}
		let num_kv_heads = raw.num_key_value_heads.unwrap_or(raw.num_attention_heads);
		if num_kv_heads == 0 || !raw.num_attention_heads.is_multiple_of(num_kv_heads) {
			return Err(invalid(format!(
				"num_attention_heads ({}) is not a multiple of num_key_value_heads ({num_kv_heads})",
				raw.num_attention_heads
			)));
		}
		let head_dim = raw.head_dim.unwrap_or(raw.hidden_size / raw.num_attention_heads);
		if head_dim == 0 || !head_dim.is_multiple_of(2) {
			return Err(invalid(format!("head_dim {head_dim} must be even and positive")));
		}
		if let Some(scaling) = &raw.rope_scaling {
			if scaling.rope_type != "llama3" {
				return Err(invalid(format!(
					"rope_scaling type {:?} is not supported (only \"llama3\")",
					scaling.rope_type
				)));
			}
		}
		let eos_token_id = match raw.eos_token_id {
			Some(TokenIds::One(id)) => Some(id),
			Some(TokenIds::Many(ids)) => ids.first().copied(),
			None => None,
		};
		let (qkv_bias, sliding_window) = match architecture {
			Architecture::Llama => (raw.attention_bias, None),
			Architecture::Mistral => (false, raw.sliding_window),
			Architecture::Qwen2 => {
				(true, raw.sliding_window.filter(|_| raw.use_sliding_window.unwrap_or(false)))
			}
		};
		Ok(Self {
			architecture,
			hidden_size: raw.hidden_size,
			intermediate_size: raw.intermediate_size,
			num_layers: raw.num_hidden_layers,
			num_heads: raw.num_attention_heads,
			num_kv_heads,
			head_dim,
			vocab_size: raw.vocab_size,
			rms_norm_eps: raw.rms_norm_eps,
			rope_theta: raw.rope_theta,
			rope_scaling: raw.rope_scaling,
			max_position_embeddings: raw.max_position_embeddings,
			tie_word_embeddings: raw.tie_word_embeddings,
			eos_token_id,
			qkv_bias,
			o_bias: architecture == Architecture::Llama && raw.attention_bias,
			mlp_bias: raw.mlp_bias,
			sliding_window,
		})
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn parse(json: &str) -> Result<ModelConfig, LoadError> {
		ModelConfig::from_json(json, Path::new("config.json"))
	}

	const QWEN2: &str = r#"{
		"architectures": ["Qwen2ForCausalLM"], "hidden_size": 896, "intermediate_size": 4864,
		"num_hidden_layers": 24, "num_attention_heads": 14, "num_key_value_heads": 2,
		"vocab_size": 151936, "max_position_embeddings": 32768, "rope_theta": 1000000.0,
		"rms_norm_eps": 1e-6, "tie_word_embeddings": true, "eos_token_id": 151643,
		"sliding_window": 32768, "use_sliding_window": false, "hidden_act": "silu"
	}"#;

	#[test]
	fn qwen2_has_qkv_bias_and_no_window_unless_enabled() {
		let cfg = parse(QWEN2).expect("valid config");
		assert_eq!(cfg.architecture, Architecture::Qwen2);
		assert!(cfg.qkv_bias && !cfg.o_bias);
		assert_eq!(cfg.sliding_window, None);
		assert_eq!((cfg.head_dim, cfg.num_kv_heads), (64, 2));
		assert!(cfg.tie_word_embeddings);
	}

	#[test]
	fn mistral_keeps_its_window_and_llama3_scaling_parses() {
		let mistral = r#"{"architectures": ["MistralForCausalLM"], "hidden_size": 64,
			"intermediate_size": 128, "num_hidden_layers": 1, "num_attention_heads": 4,
			"num_key_value_heads": 2, "vocab_size": 100, "max_position_embeddings": 64,
			"sliding_window": 16, "eos_token_id": [2, 3]}"#;
		let cfg = parse(mistral).expect("valid config");
		assert_eq!((cfg.sliding_window, cfg.eos_token_id), (Some(16), Some(2)));

		let llama3 = r#"{"model_type": "llama", "hidden_size": 64, "intermediate_size": 128,
			"num_hidden_layers": 1, "num_attention_heads": 4, "vocab_size": 100,
			"max_position_embeddings": 64, "rope_scaling": {"rope_type": "llama3",
			"factor": 8.0, "original_max_position_embeddings": 8192}}"#;
		let cfg = parse(llama3).expect("valid config");
		assert_eq!(cfg.architecture, Architecture::Llama);
		assert_eq!(cfg.rope_scaling.map(|s| s.high_freq_factor), Some(4.0));
	}

	#[test]
	fn unsupported_architecture_is_named() {
		let gpt2 = QWEN2.replace("Qwen2ForCausalLM", "GPT2LMHeadModel");
		let err = parse(&gpt2).expect_err("gpt2 is not supported");
		assert!(err.to_string().contains("GPT2LMHeadModel"), "{err}");
		assert!(err.to_string().contains("config.json"), "{err}");
	}

	#[test]
	fn inconsistent_heads_and_activations_are_refused() {
		let bad_heads = QWEN2.replace("\"num_key_value_heads\": 2", "\"num_key_value_heads\": 3");
		assert!(parse(&bad_heads).expect_err("14 % 3 != 0").to_string().contains("multiple"));
		let gelu = QWEN2.replace("\"silu\"", "\"gelu\"");
		assert!(parse(&gelu).expect_err("gelu").to_string().contains("gelu"));
		let yarn = QWEN2.replace(
			"\"hidden_act\"",
			"\"rope_scaling\": {\"type\": \"yarn\", \"factor\": 4.0, \"original_max_position_embeddings\": 4096}, \"hidden_act\"",
		);
		assert!(parse(&yarn).expect_err("yarn").to_string().contains("yarn"));
		assert!(matches!(parse("{"), Err(LoadError::Config { .. })));
	}

	#[test]
	fn dimensions_past_their_bounds_are_refused_before_any_allocation() {
		for (field, value) in [
			("\"hidden_size\": 896", "\"hidden_size\": 4294967296"),
			("\"num_hidden_layers\": 24", "\"num_hidden_layers\": 100000"),
			("\"num_attention_heads\": 14", "\"num_attention_heads\": 4096"),
			("\"vocab_size\": 151936", "\"vocab_size\": 1000000000"),
			("\"max_position_embeddings\": 32768", "\"max_position_embeddings\": 1000000000"),
			("\"hidden_act\"", "\"head_dim\": 65536, \"hidden_act\""),
		] {
			let config = QWEN2.replace(field, value);
			assert_ne!(config, QWEN2, "{field} not found");
			let err = parse(&config).expect_err("out of bounds");
			let name = field.trim_start_matches('"').split('"').next().unwrap_or_default();
			let name = if value.contains("head_dim") { "head_dim" } else { name };
			assert!(err.to_string().contains(&format!("{name} is ")), "{err}");
		}
	}
}
