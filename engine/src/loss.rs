//! Next-token cross-entropy of packed batches, computed in bounded memory.
//!
//! The cross-entropy of a block of logits has two implementations of one function: a fused
//! CPU kernel (one parallel pass over the logits in place: max, sum of exponentials, target)
//! and the same formula in tensor operations, which runs on any device (CUDA). The device picks
//! one; a test checks that both agree.

use candle_core::{Device, Result, Storage, Tensor, D};
use rayon::prelude::*;

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
	let mut total = 0f64;
	for start in (0..predictions).step_by(LOGIT_CHUNK) {
		let len = LOGIT_CHUNK.min(predictions - start);
		let logits = model.logits(&inputs.narrow(0, start, len)?)?;
		total += summed_cross_entropy(&logits, &targets[start..start + len])?;
	}
	Ok(total / predictions as f64)
}

/// `sum_i (logsumexp(logits_i) - logits_i[target_i])` for f32 logits `(n, vocab)` and `n`
/// targets, with the fastest kernel for the logits' device.
pub fn summed_cross_entropy(logits: &Tensor, targets: &[u32]) -> Result<f64> {
	match logits.device() {
		Device::Cpu => fused_cpu_cross_entropy(logits, targets),
		device => tensor_cross_entropy(logits, &Tensor::new(targets, device)?),
	}
}

/// One pass over each row of the logits, rows in parallel, without copying the logits.
fn fused_cpu_cross_entropy(logits: &Tensor, targets: &[u32]) -> Result<f64> {
	let (rows, vocab) = logits.dims2()?;
	if targets.len() != rows {
		candle_core::bail!("{} targets for {rows} rows of logits", targets.len());
	}
	if let Some(&bad) = targets.iter().find(|&&t| t as usize >= vocab) {
		candle_core::bail!("target token {bad} is outside the vocabulary of {vocab}");
	}
	let logits = logits.contiguous()?;
	let (storage, layout) = logits.storage_and_layout();
	let Storage::Cpu(cpu) = &*storage else {
		candle_core::bail!("fused cross-entropy needs CPU logits");
	};
	let Some((start, end)) = layout.contiguous_offsets() else {
		candle_core::bail!("fused cross-entropy needs contiguous logits");
	};
	let data = &cpu.as_slice::<f32>()?[start..end];
	Ok(data
		.par_chunks(vocab)
		.zip(targets.par_iter())
		.map(|(row, &target)| {
			let max = row.iter().copied().fold(f32::NEG_INFINITY, f32::max);
			let sum: f32 = row.iter().map(|&x| (x - max).exp()).sum();
			f64::from(max + sum.ln() - row[target as usize])
		})
		.sum())
}

/// The same formula in tensor operations (any device); u32 targets `(n,)`.
fn tensor_cross_entropy(logits: &Tensor, targets: &Tensor) -> Result<f64> {
	let max = logits.max_keepdim(D::Minus1)?;
	let log_sum_exp = (logits.broadcast_sub(&max)?.exp()?.sum_keepdim(D::Minus1)?.log()? + &max)?;
	let picked = logits.gather(&targets.unsqueeze(1)?, D::Minus1)?;
	let sum = (log_sum_exp - picked)?.sum_all()?.to_scalar::<f32>()?;
	Ok(f64::from(sum))
}

#[cfg(test)]
mod tests {
	use super::*;

	/// Both kernels on the same logits and targets.
	fn both(logits: &Tensor, targets: &[u32]) -> [f64; 2] {
		let fused = fused_cpu_cross_entropy(logits, targets).expect("fused");
		let tensor = Tensor::new(targets, &Device::Cpu).expect("tensor");
		[fused, tensor_cross_entropy(logits, &tensor).expect("tensor ops")]
	}

	#[test]
	fn cross_entropy_matches_a_hand_computation() {
		let logits =
			Tensor::new(&[[1.0f32, 2.0, 3.0], [0.0, 0.0, 0.0]], &Device::Cpu).expect("tensor");
		let lse0 = (1f64.exp() + 2f64.exp() + 3f64.exp()).ln();
		let expected = (lse0 - 3.0) + 3f64.ln();
		for got in both(&logits, &[2, 1]) {
			assert!((got - expected).abs() < 1e-6, "{got} vs {expected}");
		}
	}

	#[test]
	fn fused_and_tensor_kernels_agree_on_large_logits() {
		let values: Vec<f32> =
			(0..64 * 1000).map(|i| ((i * 7919 % 1000) as f32 - 500.0) / 25.0).collect();
		let logits = Tensor::from_vec(values, (64, 1000), &Device::Cpu).expect("tensor");
		let targets: Vec<u32> = (0..64).map(|i| (i * 37 % 1000) as u32).collect();
		let [fused, tensor] = both(&logits, &targets);
		assert!((fused - tensor).abs() < 1e-5 * tensor.abs(), "{fused} vs {tensor}");
		// A block of rows that does not start at offset 0 reads the right rows.
		let tail = logits.narrow(0, 10, 20).expect("narrow");
		let [fused, tensor] = both(&tail, &targets[10..30]);
		assert!((fused - tensor).abs() < 1e-5 * tensor.abs(), "{fused} vs {tensor}");
	}

	#[test]
	fn nan_and_infinite_logits_give_a_non_finite_loss() {
		for bad in [f32::NAN, f32::INFINITY] {
			let logits = Tensor::new(&[[1.0f32, bad, 3.0]], &Device::Cpu).expect("tensor");
			for got in both(&logits, &[0]) {
				assert!(!got.is_finite(), "{bad}: {got}");
			}
		}
	}

	#[test]
	fn targets_outside_the_vocabulary_are_an_error() {
		let logits = Tensor::new(&[[1.0f32, 2.0]], &Device::Cpu).expect("tensor");
		let err = fused_cpu_cross_entropy(&logits, &[2]).expect_err("out of range");
		assert!(err.to_string().contains("outside the vocabulary"), "{err}");
	}
}
