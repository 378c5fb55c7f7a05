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
/// small (256 x 32000 x 4 B = 33 MB, written and read again while still in cache on larger
/// machines) whatever the batch size.
const LOGIT_CHUNK: usize = 256;

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
	let targets: Vec<u32> = batch.row_tokens().flat_map(|row| row[1..].iter().copied()).collect();
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
	let per_row: Vec<f64> = data
		.par_chunks(vocab)
		.zip(targets.par_iter())
		.map(|(row, &target)| log_sum_exp(row) - f64::from(row[target as usize]))
		.collect();
	// Summed in row order: a parallel sum's order follows how rayon splits the work, and
	// scores must not change from one run to the next.
	Ok(per_row.iter().sum())
}

/// Lanes of the row kernels: the loops below work on `[f32; LANES]` blocks, which the compiler
/// turns into SIMD instructions.
const LANES: usize = 16;

/// `ln(sum_j exp(row_j))`, computed as `max + ln(sum_j exp(row_j - max))` in two vectorised
/// passes over the row. A NaN anywhere gives NaN, an infinite value NaN or infinity.
fn log_sum_exp(row: &[f32]) -> f64 {
	let blocks = row.chunks_exact(LANES);
	let tail = blocks.remainder();
	let mut lane_max = [f32::NEG_INFINITY; LANES];
	for block in blocks.clone() {
		for (m, &x) in lane_max.iter_mut().zip(block) {
			*m = m.max(x);
		}
	}
	let max = lane_max.iter().chain(tail).copied().fold(f32::NEG_INFINITY, f32::max);
	let mut lane_sum = [0f32; LANES];
	for block in blocks {
		for (s, &x) in lane_sum.iter_mut().zip(block) {
			*s += exp_non_positive(x - max);
		}
	}
	let tail_sum: f64 = tail.iter().map(|&x| f64::from(exp_non_positive(x - max))).sum();
	let sum = lane_sum.iter().map(|&s| f64::from(s)).sum::<f64>() + tail_sum;
	f64::from(max) + sum.ln()
}

/// `exp(x)` for `x <= 0` (NaN stays NaN), within 2 ulp: `x = n ln 2 + r` with `|r| <= ln 2 / 2`,
/// `exp(r)` by its Taylor series to `r^7` (truncation below 1e-8 relative), times `2^n` built
/// from the exponent bits. Inputs below `MIN_EXP` give `exp(MIN_EXP)`, about 1.6e-38, which
/// adds nothing to a sum that holds the row maximum's `exp(0) = 1`. Branch-free, so it
/// vectorises.
#[inline(always)]
fn exp_non_positive(x: f32) -> f32 {
	/// Where `2^n` would leave the normal range.
	const MIN_EXP: f32 = -87.0;
	/// Adding and subtracting 1.5 * 2^23 rounds an f32 below 2^22 to the nearest integer.
	const ROUND: f32 = 12_582_912.0;
	/// ln 2 split into 355 / 512 (9 significant bits: its products with `n` are exact) and the rest.
	const LN2_HI: f32 = 355.0 / 512.0;
	const LN2_LO: f32 = -2.121_944_4e-4;
	/// `1 / k!` for k = 6 down to 0 (the series' `r^7 / 7!` starts the sum).
	const TAYLOR: [f32; 7] = [1.0 / 720.0, 1.0 / 120.0, 1.0 / 24.0, 1.0 / 6.0, 1.0 / 2.0, 1.0, 1.0];
	let x = if x < MIN_EXP { MIN_EXP } else { x };
	let shifted = x * std::f32::consts::LOG2_E + ROUND;
	let n = shifted - ROUND;
	let r = x - n * LN2_HI - n * LN2_LO;
	let p = TAYLOR.iter().fold(1.0 / 5040.0, |p, &c| p * r + c);
	// `shifted`'s low mantissa bits hold n (in -126..=0 here), so `2^n` is built with integer
	// operations only (a NaN gives some scale, and p keeps the NaN).
	let n_bits = shifted.to_bits().wrapping_sub(ROUND.to_bits());
	let scale = f32::from_bits(n_bits.wrapping_add(127).wrapping_shl(23));
	p * scale
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
	fn the_exponential_is_within_two_ulp_of_f64s() {
		let mut worst = 0f64;
		for i in 0..=1_000_000 {
			let x = -87.0 * i as f32 / 1e6;
			let exact = f64::from(x).exp();
			let got = f64::from(exp_non_positive(x));
			worst = worst.max((got - exact).abs() / exact);
		}
		assert!(worst < 2.0 * f64::from(f32::EPSILON), "relative error {worst}");
		assert!(exp_non_positive(f32::NAN).is_nan());
		assert_eq!(exp_non_positive(0.0), 1.0);
		assert!(exp_non_positive(f32::NEG_INFINITY) < 1e-37);
	}

	#[test]
	fn log_sum_exp_matches_f64_on_rows_of_every_length() {
		for len in [1, 15, 16, 17, 100, 32_000] {
			let row: Vec<f32> =
				(0..len).map(|i| ((i * 7919 % 997) as f32 - 500.0) / 37.0).collect();
			let max = row.iter().copied().fold(f32::NEG_INFINITY, f32::max);
			let exact = f64::from(max)
				+ row.iter().map(|&x| (f64::from(x) - f64::from(max)).exp()).sum::<f64>().ln();
			let got = log_sum_exp(&row);
			assert!((got - exact).abs() < 1e-6, "len {len}: {got} vs {exact}");
		}
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
