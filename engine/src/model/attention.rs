//! Causal self-attention over `(batch, seq, heads, head_dim)` tensors.
//!
//! Two kernels compute the same function: candle-nn's fused CPU flash attention (f32 and f16 on
//! the CPU, grouped-query attention without copying the key/value heads) and the explicit
//! `softmax(q k^T * scale + mask) v` in matmuls, which runs on every device and dtype (CUDA,
//! bf16). [`Kernel::for_tensor`] picks one; tests check that both agree.

use candle_core::{DType, Device, Result, Tensor};

/// Which implementation computes attention.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kernel {
	/// candle-nn's fused variable-length CPU flash attention.
	FusedCpu,
	/// Matmul, mask and softmax: any device, any dtype.
	Explicit,
}

impl Kernel {
	/// The fastest kernel that supports `q`'s device and dtype.
	pub fn for_tensor(q: &Tensor) -> Self {
		match (q.device(), q.dtype()) {
			(Device::Cpu, DType::F32 | DType::F16) => Kernel::FusedCpu,
			_ => Kernel::Explicit,
		}
	}
}

/// Causal attention of `q` `(batch, q_len, heads, head_dim)` over `k`, `v`
/// `(batch, kv_len, kv_heads, head_dim)`, where the queries are the last `q_len` of the
/// `kv_len` positions. With `window`, a query sees at most `window` keys (itself included).
/// Returns `(batch, q_len, heads * head_dim)`.
pub fn causal_attention(
	q: &Tensor,
	k: &Tensor,
	v: &Tensor,
	window: Option<usize>,
	kernel: Kernel,
) -> Result<Tensor> {
	let (batch, q_len, heads, head_dim) = q.dims4()?;
	let scale = 1.0 / (head_dim as f64).sqrt();
	let out = match kernel {
		Kernel::FusedCpu => fused_cpu(q, k, v, scale as f32, window)?,
		Kernel::Explicit => explicit(q, k, v, scale, window)?,
	};
	out.reshape((batch, q_len, heads * head_dim))
}

fn fused_cpu(
	q: &Tensor,
	k: &Tensor,
	v: &Tensor,
	scale: f32,
	window: Option<usize>,
) -> Result<Tensor> {
	let (batch, q_len, heads, head_dim) = q.dims4()?;
	let (_, kv_len, kv_heads, _) = k.dims4()?;
	let device = q.device();
	let seqlens_q = Tensor::from_vec(vec![q_len as u32; batch], batch, device)?;
	let seqlens_k = Tensor::from_vec(vec![kv_len as u32; batch], batch, device)?;
	candle_nn::attention::flash_attn_varlen_cpu(
		&q.reshape((batch * q_len, heads, head_dim))?,
		&k.reshape((batch * kv_len, kv_heads, head_dim))?,
		&v.reshape((batch * kv_len, kv_heads, head_dim))?,
		None,
		&seqlens_q,
		&seqlens_k,
		q_len,
		kv_len,
		scale,
		true,
		window.map(|w| w.saturating_sub(1)),
		None,
	)
}

fn explicit(
	q: &Tensor,
	k: &Tensor,
	v: &Tensor,
	scale: f64,
	window: Option<usize>,
) -> Result<Tensor> {
	let (_, q_len, heads, _) = q.dims4()?;
	let (_, kv_len, kv_heads, _) = k.dims4()?;
	let q = q.transpose(1, 2)?.contiguous()?;
	let k = repeat_kv(&k.transpose(1, 2)?, heads / kv_heads)?;
	let v = repeat_kv(&v.transpose(1, 2)?, heads / kv_heads)?;
	let scores = (q.matmul(&k.t()?)? * scale)?.to_dtype(DType::F32)?;
	let mask = causal_mask(q_len, kv_len, window, q.device())?;
	let probs = candle_nn::ops::softmax_last_dim(&scores.broadcast_add(&mask)?)?;
	let out = probs.to_dtype(v.dtype())?.matmul(&v)?;
	out.transpose(1, 2)?.contiguous()
}

/// `(batch, kv_heads, len, dim)` -> `(batch, kv_heads * n_rep, len, dim)`.
fn repeat_kv(x: &Tensor, n_rep: usize) -> Result<Tensor> {
	if n_rep == 1 {
		return x.contiguous();
	}
	let (batch, kv_heads, len, dim) = x.dims4()?;
	x.unsqueeze(2)?.expand((batch, kv_heads, n_rep, len, dim))?.reshape((
		batch,
		kv_heads * n_rep,
		len,
		dim,
	))
}

/// `0` where query `i` (at position `kv_len - q_len + i`) may see key `j`, `-inf` elsewhere.
fn causal_mask(
	q_len: usize,
	kv_len: usize,
	window: Option<usize>,
	device: &Device,
) -> Result<Tensor> {
	let offset = kv_len - q_len.min(kv_len);
	let mut mask = Vec::with_capacity(q_len * kv_len);
	for i in 0..q_len {
		let pos = offset + i;
		mask.extend((0..kv_len).map(|j| {
			let visible = j <= pos && window.is_none_or(|w| pos - j < w);
			if visible {
				0f32
			} else {
				f32::NEG_INFINITY
			}
		}));
	}
	Tensor::from_vec(mask, (q_len, kv_len), device)
}

#[cfg(test)]
mod tests {
	use super::*;

	fn random(shape: (usize, usize, usize, usize), seed: u64) -> Tensor {
		let n = shape.0 * shape.1 * shape.2 * shape.3;
		let mut state = seed;
		let values: Vec<f32> = (0..n)
			.map(|_| {
				state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
				((state >> 40) as f32 / (1u64 << 24) as f32) * 2.0 - 1.0
			})
			.collect();
		Tensor::from_vec(values, shape, &Device::Cpu).expect("shape matches")
	}

	fn max_abs_diff(a: &Tensor, b: &Tensor) -> f32 {
		(a - b)
			.and_then(|d| d.abs())
			.and_then(|d| d.flatten_all())
			.and_then(|d| d.max(0))
			.and_then(|d| d.to_scalar::<f32>())
			.expect("same shapes")
	}

	#[test]
	fn fused_and_explicit_kernels_agree() {
		// Grouped-query attention, a prefill and a decode step, with and without a window.
		for (q_len, kv_len, window) in
			[(7, 7, None), (7, 7, Some(3)), (1, 9, None), (2, 9, Some(4))]
		{
			let q = random((2, q_len, 4, 8), 1);
			let k = random((2, kv_len, 2, 8), 2);
			let v = random((2, kv_len, 2, 8), 3);
			let fused = causal_attention(&q, &k, &v, window, Kernel::FusedCpu).expect("fused");
			let explicit =
				causal_attention(&q, &k, &v, window, Kernel::Explicit).expect("explicit");
			assert_eq!(fused.dims(), &[2, q_len, 32]);
			let diff = max_abs_diff(&fused, &explicit);
			assert!(diff < 1e-5, "q_len {q_len} kv_len {kv_len} window {window:?}: {diff}");
		}
	}

	#[test]
	fn first_position_sees_only_itself() {
		let q = random((1, 3, 1, 4), 4);
		let k = random((1, 3, 1, 4), 5);
		let v = random((1, 3, 1, 4), 6);
		let out = causal_attention(&q, &k, &v, None, Kernel::Explicit).expect("attention");
		let first = out.narrow(1, 0, 1).and_then(|t| t.flatten_all()).expect("slice");
		let v0 = v.narrow(1, 0, 1).and_then(|t| t.flatten_all()).expect("slice");
		assert!(max_abs_diff(&first, &v0) < 1e-6);
	}
}
