//! Tiny random-initialised Llama models and a byte-level tokenizer, written deterministically.
//!
//! Tests, benchmarks and the devnet walkthrough use these in place of downloaded checkpoints:
//! the same [`TinyLlama`] always gives byte-identical files, hence the same content hash.
//! Weights are uniform in `[-a, a]` with `a = init_std * sqrt(3)` from a ChaCha20 stream, so a
//! larger `init_std` gives sharper random logits and a higher (worse) loss. On top of that the
//! output projection maps each token's embedding to the next token id (`t -> t + 1`), with a
//! small weight: greedy generation then walks up from the prompt's last token, which depends
//! on the prompt and never repeats itself, so every fixture passes the degenerate-output check
//! while its loss stays close to that of the random part.

use std::{collections::HashMap, path::Path};

use anyhow::{Context, Result};
use candle_core::{Device, Tensor};
use rand_chacha::ChaCha20Rng;
use rand_core::{Rng, SeedableRng};
use tokenizers::{
	models::bpe::{Vocab, BPE},
	pre_tokenizers::byte_level::ByteLevel,
	AddedToken, Tokenizer,
};

/// The end-of-sequence token of the fixture tokenizer.
pub const EOS_TOKEN: &str = "<|endoftext|>";

/// Tokens of the fixture tokenizer: 256 bytes and the end-of-sequence token.
pub const TOKENIZER_VOCAB: usize = 257;

/// The shape and seed of a fixture model.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct TinyLlama {
	/// Seed of the weights.
	pub seed: u64,
	/// Decoder layers.
	pub layers: usize,
	/// Width of the residual stream.
	pub hidden: usize,
	/// Query heads.
	pub heads: usize,
	/// Key/value heads.
	pub kv_heads: usize,
	/// Width of the MLP.
	pub intermediate: usize,
	/// Vocabulary rows; at least [`TOKENIZER_VOCAB`] for the model to accept the tokenizer.
	pub vocab: usize,
	/// Context length.
	pub max_positions: usize,
	/// Standard deviation of the random weights.
	pub init_std: f32,
	/// The logit, in nats, the `t -> t + 1` mapping adds to the successor token (see the module
	/// docs).
	pub successor: f32,
}

impl Default for TinyLlama {
	fn default() -> Self {
		Self {
			seed: 0,
			layers: 2,
			hidden: 64,
			heads: 4,
			kv_heads: 2,
			intermediate: 128,
			vocab: TOKENIZER_VOCAB,
			max_positions: 2048,
			init_std: 0.02,
			successor: 3.0,
		}
	}
}

impl TinyLlama {
	/// Width of one head.
	pub fn head_dim(&self) -> usize {
		self.hidden / self.heads
	}

	/// The `config.json` of this model.
	pub fn config_json(&self) -> serde_json::Value {
		serde_json::json!({
			"architectures": ["LlamaForCausalLM"],
			"model_type": "llama",
			"hidden_size": self.hidden,
			"intermediate_size": self.intermediate,
			"num_hidden_layers": self.layers,
			"num_attention_heads": self.heads,
			"num_key_value_heads": self.kv_heads,
			"vocab_size": self.vocab,
			"max_position_embeddings": self.max_positions,
			"rms_norm_eps": 1e-5,
			"rope_theta": 10000.0,
			"hidden_act": "silu",
			"tie_word_embeddings": false,
			"eos_token_id": TOKENIZER_VOCAB - 1,
			"torch_dtype": "float32"
		})
	}

	/// Every tensor of the checkpoint, by its `transformers` name, in a fixed order.
	pub fn tensors(&self) -> Result<Vec<(String, Tensor)>> {
		let mut rng = ChaCha20Rng::seed_from_u64(self.seed);
		let bound = self.init_std * 3f32.sqrt();
		let mut random = |name: String, rows: usize, cols: usize| -> Result<(String, Tensor)> {
			let values: Vec<f32> = (0..rows * cols)
				.map(|_| ((rng.next_u32() >> 8) as f32 / (1u32 << 24) as f32 * 2.0 - 1.0) * bound)
				.collect();
			Ok((name, Tensor::from_vec(values, (rows, cols), &Device::Cpu)?))
		};
		let ones = |name: String, len: usize| -> Result<(String, Tensor)> {
			Ok((name, Tensor::ones(len, candle_core::DType::F32, &Device::Cpu)?))
		};
		let (h, kv) = (self.hidden, self.kv_heads * self.head_dim());
		let embed = random("model.embed_tokens.weight".into(), self.vocab, h)?;
		let successor_head = self.successor_head(&embed.1)?;
		let mut tensors = vec![embed];
		for i in 0..self.layers {
			let p = format!("model.layers.{i}");
			tensors.push(ones(format!("{p}.input_layernorm.weight"), h)?);
			tensors.push(random(format!("{p}.self_attn.q_proj.weight"), h, h)?);
			tensors.push(random(format!("{p}.self_attn.k_proj.weight"), kv, h)?);
			tensors.push(random(format!("{p}.self_attn.v_proj.weight"), kv, h)?);
			tensors.push(random(format!("{p}.self_attn.o_proj.weight"), h, h)?);
			tensors.push(ones(format!("{p}.post_attention_layernorm.weight"), h)?);
			tensors.push(random(format!("{p}.mlp.gate_proj.weight"), self.intermediate, h)?);
			tensors.push(random(format!("{p}.mlp.up_proj.weight"), self.intermediate, h)?);
			tensors.push(random(format!("{p}.mlp.down_proj.weight"), h, self.intermediate)?);
		}
		tensors.push(ones("model.norm.weight".into(), h)?);
		let (name, head) = random("lm_head.weight".into(), self.vocab, h)?;
		tensors.push((name, (head + successor_head)?));
		Ok(tensors)
	}

	/// Row `t + 1` (mod vocab) is the unit direction of embedding row `t`, times
	/// `successor / sqrt(hidden)`: against a final hidden state of RMS 1 (norm `sqrt(hidden)`)
	/// pointing along that embedding, the successor's logit rises by `successor`.
	fn successor_head(&self, embed: &Tensor) -> Result<Tensor> {
		let norms = embed.sqr()?.sum_keepdim(1)?.sqrt()?;
		let unit = embed.broadcast_div(&norms)?;
		let scale = f64::from(self.successor) / (self.hidden as f64).sqrt();
		// Rolling down by one row puts row t of `unit` at row t + 1.
		let last = self.vocab - 1;
		let rolled = Tensor::cat(&[unit.narrow(0, last, 1)?, unit.narrow(0, 0, last)?], 0)?;
		Ok((rolled * scale)?)
	}

	/// Write `config.json`, `model.safetensors` and `tokenizer.json` into `dir` (created if
	/// missing).
	pub fn write(&self, dir: &Path) -> Result<()> {
		std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
		let config = serde_json::to_string_pretty(&self.config_json())?;
		std::fs::write(dir.join("config.json"), config + "\n")
			.with_context(|| format!("writing {}", dir.join("config.json").display()))?;
		let tensors: HashMap<String, Tensor> = self.tensors()?.into_iter().collect();
		candle_core::safetensors::save(&tensors, dir.join("model.safetensors"))
			.with_context(|| format!("writing {}", dir.join("model.safetensors").display()))?;
		write_tokenizer(&dir.join("tokenizer.json"))
	}
}

/// The fixture tokenizer: GPT-2 style byte-level pre-tokenization, one token per byte (no
/// merges), and [`EOS_TOKEN`] as id 256.
pub fn tokenizer() -> Result<Tokenizer> {
	let mut alphabet: Vec<char> = ByteLevel::alphabet().into_iter().collect();
	alphabet.sort_unstable();
	let vocab: Vocab =
		alphabet.iter().enumerate().map(|(id, c)| (c.to_string(), id as u32)).collect();
	let bpe =
		BPE::builder().vocab_and_merges(vocab, Vec::new()).build().map_err(anyhow::Error::msg)?;
	let mut tokenizer = Tokenizer::new(bpe);
	tokenizer.with_pre_tokenizer(Some(ByteLevel::default()));
	tokenizer.with_decoder(Some(ByteLevel::default()));
	tokenizer
		.add_special_tokens([AddedToken::from(EOS_TOKEN, true)])
		.map_err(anyhow::Error::msg)?;
	Ok(tokenizer)
}

/// Write [`tokenizer`] to `path`.
pub fn write_tokenizer(path: &Path) -> Result<()> {
	tokenizer()?
		.save(path, false)
		.map_err(anyhow::Error::msg)
		.with_context(|| format!("writing {}", path.display()))
}

/// Edit the `config.json` of the model in `dir` (tests of configs the loader must refuse).
pub fn edit_config(dir: &Path, edit: impl FnOnce(&mut serde_json::Value)) -> Result<()> {
	let path = dir.join("config.json");
	let mut config: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path)?)?;
	edit(&mut config);
	std::fs::write(&path, serde_json::to_string_pretty(&config)?)?;
	Ok(())
}
