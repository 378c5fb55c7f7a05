//! Next-token cross-entropy of packed batches, computed in bounded memory.

use candle_core::{Result, Tensor, D};

use crate::{model::CausalLm, samples::Batch};

/// Positions whose logits are materialised at once: the `(positions, vocab)` f32 block stays
/// small (1024 x 32000 x 4 B = 131 MB) whatever the batch size.
const LOGIT_CHUNK: usize = 1024;

/// Mean next-token cross-entropy, in nats, of every position of `batch` that has a next token
/// (`rows * (seq_len - 1)` predictions). NaN or infinite logits give a non-finite result;
/// callers score those as failed.
pub fn batch_loss(model: &CausalLm, batch: &Batch) -> Result<f64> {
	let (rows, seq_len) = (batch.rows(), batch.seq_len());
	if seq_len < 2 {
		candle_core::bail!("rows of {seq_len} tokens have nothing to predict");
	}
	let device = model.device();
	let tokens = Tensor::from_slice(batch.tokens(), (rows, seq_len), device)?;
	let hidden = model.hidden_states(&tokens, None)?;
	let hidden_size = hidden.dim(2)?;
	let predictions = rows * (seq_len - 1);
	let inputs =
		hidden.narrow(1, 0, seq_len - 1)?.contiguous()?.reshape((predictions, hidden_size))?;
	let targets: Vec<u32> =
		batch.tokens().chunks(seq_len).flat_map(|row| row[1..].iter().copied()).collect();
	let targets = Tensor::from_vec(targets, predictions, device)?;
	let mut total = 0f64;
	for start in (0..predictions).step_by(LOGIT_CHUNK) {
		let len = LOGIT_CHUNK.min(predictions - start);
		let logits = model.logits(&inputs.narrow(0, start, len)?)?;
		total += summed_cross_entropy(&logits, &targets.narrow(0, start, len)?)?;
	}
	Ok(total / predictions as f64)
}

/// `sum_i (logsumexp(logits_i) - logits_i[target_i])` for f32 logits `(n, vocab)` and u32
/// targets `(n,)`.
fn summed_cross_entropy(logits: &Tensor, targets: &Tensor) -> Result<f64> {
	let max = logits.max_keepdim(D::Minus1)?;
	let log_sum_exp = (logits.broadcast_sub(&max)?.exp()?.sum_keepdim(D::Minus1)?.log()? + &max)?;
	let picked = logits.gather(&targets.unsqueeze(1)?, D::Minus1)?;
	let sum = (log_sum_exp - picked)?.sum_all()?.to_scalar::<f32>()?;
	Ok(f64::from(sum))
}

#[cfg(test)]
mod tests {
	use candle_core::Device;

	use super::*;

	#[test]
	fn cross_entropy_matches_a_hand_computation() {
		let logits =
			Tensor::new(&[[1.0f32, 2.0, 3.0], [0.0, 0.0, 0.0]], &Device::Cpu).expect("tensor");
		let targets = Tensor::new(&[2u32, 1], &Device::Cpu).expect("tensor");
		let lse0 = (1f64.exp() + 2f64.exp() + 3f64.exp()).ln();
		let expected = (lse0 - 3.0) + 3f64.ln();
		let got = summed_cross_entropy(&logits, &targets).expect("loss");
		assert!((got - expected).abs() < 1e-6, "{got} vs {expected}");
	}

	#[test]
	fn nan_and_infinite_logits_give_a_non_finite_loss() {
		for bad in [f32::NAN, f32::INFINITY] {
			let logits = Tensor::new(&[[1.0f32, bad, 3.0]], &Device::Cpu).expect("tensor");
			let targets = Tensor::new(&[0u32], &Device::Cpu).expect("tensor");
			let got = summed_cross_entropy(&logits, &targets).expect("loss");
			assert!(!got.is_finite(), "{bad}: {got}");
		}
	}
}
