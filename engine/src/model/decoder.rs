//! The decoder shared by Llama, Mistral and Qwen2, returning hidden states at every position.

use candle_core::{DType, Device, Module, Result, Tensor};
use candle_nn::{Embedding, Linear, RmsNorm, VarBuilder};

use super::{
	attention::{causal_attention, Kernel},
	rope::RotaryTables,
	ModelConfig,
};

/// Keys and values of the positions seen so far, one entry per layer (for decoding token by
/// token).
#[derive(Clone, Debug, Default)]
pub struct KvCache {
	layers: Vec<Option<(Tensor, Tensor)>>,
}

impl KvCache {
	/// Positions already in the cache.
	pub fn len(&self) -> usize {
		self.layers
			.first()
			.and_then(|layer| layer.as_ref())
			.and_then(|(k, _)| k.dim(1).ok())
			.unwrap_or(0)
	}

	/// Whether nothing has been decoded yet.
	pub fn is_empty(&self) -> bool {
		self.len() == 0
	}

	/// Append this step's keys and values of `layer`; returns all keys and values so far.
	fn extend(&mut self, layer: usize, k: Tensor, v: Tensor) -> Result<(Tensor, Tensor)> {
		if self.layers.len() <= layer {
			self.layers.resize(layer + 1, None);
		}
		let (k, v) = match self.layers[layer].take() {
			None => (k, v),
			Some((past_k, past_v)) => {
				(Tensor::cat(&[&past_k, &k], 1)?, Tensor::cat(&[&past_v, &v], 1)?)
			}
		};
		self.layers[layer] = Some((k.clone(), v.clone()));
		Ok((k, v))
	}
}

fn linear(in_dim: usize, out_dim: usize, bias: bool, vb: VarBuilder) -> Result<Linear> {
	candle_nn::linear_b(in_dim, out_dim, bias, vb)
}

struct SelfAttention {
	q_proj: Linear,
	k_proj: Linear,
	v_proj: Linear,
	o_proj: Linear,
	heads: usize,
	kv_heads: usize,
	head_dim: usize,
	window: Option<usize>,
}

impl SelfAttention {
	fn load(vb: VarBuilder, cfg: &ModelConfig) -> Result<Self> {
		let (h, d) = (cfg.hidden_size, cfg.head_dim);
		Ok(Self {
			q_proj: linear(h, cfg.num_heads * d, cfg.qkv_bias, vb.pp("q_proj"))?,
			k_proj: linear(h, cfg.num_kv_heads * d, cfg.qkv_bias, vb.pp("k_proj"))?,
			v_proj: linear(h, cfg.num_kv_heads * d, cfg.qkv_bias, vb.pp("v_proj"))?,
			o_proj: linear(cfg.num_heads * d, h, cfg.o_bias, vb.pp("o_proj"))?,
			heads: cfg.num_heads,
			kv_heads: cfg.num_kv_heads,
			head_dim: d,
			window: cfg.sliding_window,
		})
	}

	fn forward(
		&self,
		x: &Tensor,
		rope: &RotaryTables,
		start: usize,
		cache: Option<(&mut KvCache, usize)>,
	) -> Result<Tensor> {
		let (batch, len, _) = x.dims3()?;
		let q = self.q_proj.forward(x)?.reshape((batch, len, self.heads, self.head_dim))?;
		let k = self.k_proj.forward(x)?.reshape((batch, len, self.kv_heads, self.head_dim))?;
		let v = self.v_proj.forward(x)?.reshape((batch, len, self.kv_heads, self.head_dim))?;
		let q = rope.apply(&q, start)?;
		let k = rope.apply(&k, start)?;
		let (k, v) = match cache {
			Some((cache, layer)) => cache.extend(layer, k, v)?,
			None => (k, v),
		};
		let out = causal_attention(&q, &k, &v, self.window, Kernel::for_tensor(&q))?;
		self.o_proj.forward(&out)
	}
}

struct Mlp {
	gate_proj: Linear,
	up_proj: Linear,
	down_proj: Linear,
}

impl Mlp {
	fn load(vb: VarBuilder, cfg: &ModelConfig) -> Result<Self> {
		let (h, i, b) = (cfg.hidden_size, cfg.intermediate_size, cfg.mlp_bias);
		Ok(Self {
			gate_proj: linear(h, i, b, vb.pp("gate_proj"))?,
			up_proj: linear(h, i, b, vb.pp("up_proj"))?,
			down_proj: linear(i, h, b, vb.pp("down_proj"))?,
		})
	}

	fn forward(&self, x: &Tensor) -> Result<Tensor> {
		let gate = self.gate_proj.forward(x)?.silu()?;
		self.down_proj.forward(&(gate * self.up_proj.forward(x)?)?)
	}
}

struct DecoderLayer {
	input_layernorm: RmsNorm,
	self_attn: SelfAttention,
	post_attention_layernorm: RmsNorm,
	mlp: Mlp,
}

impl DecoderLayer {
	fn load(vb: VarBuilder, cfg: &ModelConfig) -> Result<Self> {
		let norm = |name: &str| candle_nn::rms_norm(cfg.hidden_size, cfg.rms_norm_eps, vb.pp(name));
		Ok(Self {
			input_layernorm: norm("input_layernorm")?,
			self_attn: SelfAttention::load(vb.pp("self_attn"), cfg)?,
			post_attention_layernorm: norm("post_attention_layernorm")?,
			mlp: Mlp::load(vb.pp("mlp"), cfg)?,
		})
	}

	fn forward(
		&self,
		x: &Tensor,
		rope: &RotaryTables,
		start: usize,
		cache: Option<(&mut KvCache, usize)>,
	) -> Result<Tensor> {
		let attn = self.self_attn.forward(&self.input_layernorm.forward(x)?, rope, start, cache)?;
		let x = (x + attn)?;
		let mlp = self.mlp.forward(&self.post_attention_layernorm.forward(&x)?)?;
		x + mlp
	}
}

/// A Llama-family causal language model.
pub struct CausalLm {
	embed_tokens: Embedding,
	layers: Vec<DecoderLayer>,
	norm: RmsNorm,
	lm_head: Linear,
	rope: RotaryTables,
	max_positions: usize,
	config: ModelConfig,
}

impl CausalLm {
	/// Build the model from checkpoint tensors named as `transformers` names them
	/// (`model.layers.{i}.self_attn.q_proj.weight`, ...). Rotary tables cover `max_positions`
	/// positions (at most the model's context).
	pub fn load(vb: VarBuilder, config: &ModelConfig, max_positions: usize) -> Result<Self> {
		let model = vb.pp("model");
		let embed_tokens =
			candle_nn::embedding(config.vocab_size, config.hidden_size, model.pp("embed_tokens"))?;
		let layers = (0..config.num_layers)
			.map(|i| DecoderLayer::load(model.pp(format!("layers.{i}")), config))
			.collect::<Result<Vec<_>>>()?;
		let norm = candle_nn::rms_norm(config.hidden_size, config.rms_norm_eps, model.pp("norm"))?;
		let lm_head = if config.tie_word_embeddings {
			Linear::new(embed_tokens.embeddings().clone(), None)
		} else {
			candle_nn::linear_no_bias(config.hidden_size, config.vocab_size, vb.pp("lm_head"))?
		};
		let max_positions = max_positions.min(config.max_position_embeddings);
		let rope = RotaryTables::new(config, max_positions, vb.dtype(), vb.device())?;
		Ok(Self {
			embed_tokens,
			layers,
			norm,
			lm_head,
			rope,
			max_positions,
			config: config.clone(),
		})
	}

	/// The configuration the model was built from.
	pub fn config(&self) -> &ModelConfig {
		&self.config
	}

	/// The device the weights live on.
	pub fn device(&self) -> &Device {
		self.embed_tokens.embeddings().device()
	}

	/// The dtype of the weights.
	pub fn dtype(&self) -> DType {
		self.embed_tokens.embeddings().dtype()
	}

	/// The longest sequence (cache included) the rotary tables cover.
	pub fn max_positions(&self) -> usize {
		self.max_positions
	}

	/// Final-norm hidden states `(batch, len, hidden)` of `tokens` `(batch, len)` (u32). With a
	/// cache, `tokens` continue the cached positions and the cache grows by `len`.
	pub fn hidden_states(
		&self,
		tokens: &Tensor,
		mut cache: Option<&mut KvCache>,
	) -> Result<Tensor> {
		let start = cache.as_ref().map_or(0, |c| c.len());
		let (_, len) = tokens.dims2()?;
		if start + len > self.max_positions {
			candle_core::bail!(
				"{} positions requested, the model was loaded for {}",
				start + len,
				self.max_positions
			);
		}
		let mut x = self.embed_tokens.forward(tokens)?;
		for (i, layer) in self.layers.iter().enumerate() {
			x = layer.forward(&x, &self.rope, start, cache.as_deref_mut().map(|c| (c, i)))?;
		}
		self.norm.forward(&x)
	}

	/// f32 logits `(.., vocab)` of hidden states `(.., hidden)`.
	pub fn logits(&self, hidden: &Tensor) -> Result<Tensor> {
		self.lm_head.forward(hidden)?.to_dtype(DType::F32)
	}
}
