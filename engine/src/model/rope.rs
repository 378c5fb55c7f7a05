//! Rotary position embedding tables (with Llama 3 frequency scaling).

use candle_core::{DType, Device, Result, Tensor};

use super::{ModelConfig, RopeScaling};

/// Cosine and sine of every position's rotation angles, `(positions, head_dim / 2)` each.
#[derive(Clone, Debug)]
pub struct RotaryTables {
	cos: Tensor,
	sin: Tensor,
}

impl RotaryTables {
	/// Tables for positions `0..positions` of a model, in `dtype` on `device`.
	pub fn new(cfg: &ModelConfig, positions: usize, dtype: DType, device: &Device) -> Result<Self> {
		let inv_freq = inverse_frequencies(cfg.head_dim, cfg.rope_theta, cfg.rope_scaling.as_ref());
		let half = inv_freq.len();
		let mut angles = Vec::with_capacity(positions * half);
		for pos in 0..positions {
			angles.extend(inv_freq.iter().map(|f| (pos as f64 * f) as f32));
		}
		let angles = Tensor::from_vec(angles, (positions, half), device)?;
		Ok(Self { cos: angles.cos()?.to_dtype(dtype)?, sin: angles.sin()?.to_dtype(dtype)? })
	}

	/// Rotate `x`, shaped `(batch, seq, heads, head_dim)`, whose first row is at `start`.
	pub fn apply(&self, x: &Tensor, start: usize) -> Result<Tensor> {
		let seq = x.dim(1)?;
		let cos = self.cos.narrow(0, start, seq)?;
		let sin = self.sin.narrow(0, start, seq)?;
		candle_nn::rotary_emb::rope_thd(&x.contiguous()?, &cos.contiguous()?, &sin.contiguous()?)
	}
}

/// `1 / theta^(2i / head_dim)`, rescaled as Llama 3 does when `scaling` is given.
fn inverse_frequencies(head_dim: usize, theta: f64, scaling: Option<&RopeScaling>) -> Vec<f64> {
	let base = (0..head_dim / 2).map(|i| 1.0 / theta.powf(2.0 * i as f64 / head_dim as f64));
	match scaling {
		None => base.collect(),
		Some(s) => {
			let original = s.original_max_position_embeddings as f64;
			let low_wavelen = original / s.low_freq_factor;
			let high_wavelen = original / s.high_freq_factor;
			base.map(|freq| {
				let wavelen = 2.0 * std::f64::consts::PI / freq;
				if wavelen < high_wavelen {
					freq
				} else if wavelen > low_wavelen {
					freq / s.factor
				} else {
					let smooth = (original / wavelen - s.low_freq_factor)
						/ (s.high_freq_factor - s.low_freq_factor);
					(1.0 - smooth) * freq / s.factor + smooth * freq
				}
			})
			.collect()
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn llama3_scaling_keeps_high_and_divides_low_frequencies() {
		let scaling = RopeScaling {
			rope_type: "llama3".into(),
			factor: 8.0,
			low_freq_factor: 1.0,
			high_freq_factor: 4.0,
			original_max_position_embeddings: 8192,
		};
		let plain = inverse_frequencies(128, 500_000.0, None);
		let scaled = inverse_frequencies(128, 500_000.0, Some(&scaling));
		assert_eq!(scaled[0], plain[0]);
		let last = plain.len() - 1;
		assert!((scaled[last] - plain[last] / 8.0).abs() < 1e-15);
		assert!(scaled.iter().zip(&plain).all(|(s, p)| s <= p && *s >= p / 8.0));
	}
}
