//! Vectors over the uids: conversions between the chain's stored `u16` and fixed point,
//! normalization, masks and the top-k permit rule.

use alloc::vec::Vec;
use substrate_fixed::{
	traits::Fixed,
	types::{I32F32, I64F64},
};

/// `x / y`, or zero where the quotient does not exist (division by zero, overflow), as the
/// chain's `safe_div`.
pub fn safe_div<F: Fixed>(x: F, y: F) -> F {
	x.checked_div(y).unwrap_or_else(|| F::from_num(0))
}

/// [`safe_div`] for `I32F32`, bit for bit, faster for the epoch's operands (non-negative `x`,
/// positive `y`). `substrate-fixed` divides in signed 128 bits (`(x << 32) / y`, truncated), a
/// slow software division; for such operands the same quotient comes from an unsigned
/// division, a single hardware one when `x < 1` (`x << 32` then fits in 64 bits).
pub fn div(x: I32F32, y: I32F32) -> I32F32 {
	let (x_bits, y_bits) = (x.to_bits(), y.to_bits());
	if x_bits < 0 || y_bits <= 0 {
		return safe_div(x, y);
	}
	let quotient = if x_bits < 1 << 32 {
		u128::from(((x_bits as u64) << 32) / y_bits as u64)
	} else {
		// Unsigned, with a 64-bit divisor: far quicker than the signed 128-bit division.
		((x_bits as u128) << 32) / y_bits as u128
	};
	i64::try_from(quotient).map_or(I32F32::from_num(0), I32F32::from_bits)
}

/// A proportion in `[0, 1]` as the chain stores it: `floor(x * 65535)`.
pub fn proportion_to_u16(x: I32F32) -> u16 {
	x.saturating_mul(I32F32::from_num(u16::MAX)).saturating_to_num::<u16>()
}

/// A stored `u16` proportion back in `[0, 1]`: `x / 65535`.
pub fn u16_to_proportion(x: u16) -> I32F32 {
	div(I32F32::from_num(x), I32F32::from_num(u16::MAX))
}

/// `values`, one per uid of `n`, with the default (zero, false) for the uids past their end.
pub fn padded<T: Copy + Default>(values: &[T], n: usize) -> Vec<T> {
	(0..n).map(|uid| values.get(uid).copied().unwrap_or_default()).collect()
}

/// The sum, saturating.
pub fn sum(x: &[I32F32]) -> I32F32 {
	x.iter().fold(I32F32::from_num(0), |total, value| total.saturating_add(*value))
}

/// Scale `x` in place to sum to one; a vector summing to zero stays as it is.
pub fn normalize(x: &mut [I32F32]) {
	let total = sum(x);
	normalize_by(x, total);
}

/// Divide `x` in place by `total`, unless `total` is zero.
pub fn normalize_by(x: &mut [I32F32], total: I32F32) {
	if total == I32F32::from_num(0) {
		return;
	}
	x.iter_mut().for_each(|value| *value = div(*value, total));
}

/// [`normalize`] in `I64F64`, the precision stakes are normalized in.
pub fn normalize_64(x: &mut [I64F64]) {
	let total = x.iter().fold(I64F64::from_num(0), |total, value| total.saturating_add(*value));
	if total == I64F64::from_num(0) {
		return;
	}
	x.iter_mut().for_each(|value| *value = safe_div(*value, total));
}

/// Zero the entries of `x` where `mask` is true.
pub fn mask(mask: &[bool], x: &mut [I32F32]) {
	for (value, &masked) in x.iter_mut().zip(mask) {
		if masked {
			*value = I32F32::from_num(0);
		}
	}
}

/// Element-wise product (zero where it overflows).
pub fn hadamard(x: &[I32F32], y: &[I32F32]) -> Vec<I32F32> {
	x.iter().zip(y).map(|(a, b)| a.checked_mul(*b).unwrap_or_default()).collect()
}

/// True for the non-zero entries among the `k` largest of `x` (ties broken towards the higher
/// uid, as the chain's stable ascending sort does); every non-zero entry when `x` has at most `k`.
pub fn is_top_k_nonzero(x: &[I32F32], k: usize) -> Vec<bool> {
	let mut result: Vec<bool> = x.iter().map(|value| *value != I32F32::from_num(0)).collect();
	if x.len() < k {
		return result;
	}
	let mut order: Vec<usize> = (0..x.len()).collect();
	order.sort_by_key(|&uid| x[uid]);
	for &uid in order.iter().take(x.len() - k) {
		result[uid] = false;
	}
	result
}

/// Weights as `set_weights` stores them: scaled so the largest is `u16::MAX`, rounded. `values`
/// are non-negative; all zeros stay zeros.
pub fn max_upscale_to_u16(values: &[I32F32]) -> Vec<u16> {
	let u16_max = I32F32::from_num(u16::MAX);
	let Some(&max) = values.iter().max() else { return Vec::new() };
	if max == I32F32::from_num(0) {
		return values
			.iter()
			.map(|value| value.saturating_mul(u16_max).saturating_to_num())
			.collect();
	}
	// Above 2^15 the product would overflow I32F32 first, so the chain scales the other way.
	if max > I32F32::from_num(32768) {
		let scale = div(u16_max, max);
		return values
			.iter()
			.map(|value| value.saturating_mul(scale).round().saturating_to_num())
			.collect();
	}
	values
		.iter()
		.map(|value| div(value.saturating_mul(u16_max), max).round().saturating_to_num())
		.collect()
}

#[cfg(test)]
pub(crate) mod tests {
	use super::*;
	use alloc::vec;

	/// `values` in fixed point.
	pub(crate) fn fixed(values: &[f64]) -> Vec<I32F32> {
		values.iter().map(|&value| I32F32::from_num(value)).collect()
	}

	#[test]
	fn the_fast_division_is_the_chains_bit_for_bit() {
		// A deterministic spread of operands: tiny, proportions, around one, large, negative.
		let mut state = 0x2545_f491_4f6c_dd1d_u64;
		let mut next = move || {
			state ^= state << 13;
			state ^= state >> 7;
			state ^= state << 17;
			state
		};
		let scales = [1u64, 1 << 8, 1 << 20, 1 << 31, 1 << 32, 1 << 33, 1 << 40, 1 << 62];
		for _ in 0..200_000 {
			let pick = |bits: u64, scale: u64| (bits % scale) as i64;
			let x = I32F32::from_bits(pick(next(), scales[(next() % 8) as usize]));
			let y = I32F32::from_bits(pick(next(), scales[(next() % 8) as usize]));
			for (x, y) in [(x, y), (-x, y), (x, -y)] {
				assert_eq!(div(x, y), safe_div(x, y), "{x:?} / {y:?}");
			}
		}
		assert_eq!(div(I32F32::from_num(0.5), I32F32::from_num(0)), I32F32::from_num(0));
		let overflow = div(I32F32::from_bits((1 << 32) - 1), I32F32::from_bits(1));
		assert_eq!(overflow, I32F32::from_num(0), "a quotient past I32F32 is zero, as safe_div");
	}

	#[test]
	fn proportions_round_trip_through_u16_rounding_down() {
		assert_eq!(proportion_to_u16(I32F32::from_num(1)), u16::MAX);
		assert_eq!(proportion_to_u16(I32F32::from_num(0.5)), 32767);
		assert_eq!(u16_to_proportion(u16::MAX), I32F32::from_num(1));
		assert_eq!(
			proportion_to_u16(u16_to_proportion(12345)),
			12344,
			"the chain's round trip loses one"
		);
	}

	#[test]
	fn a_zero_vector_is_left_as_it_is() {
		let mut zeros = fixed(&[0.0, 0.0]);
		normalize(&mut zeros);
		assert_eq!(zeros, fixed(&[0.0, 0.0]));
		let mut x = fixed(&[1.0, 3.0]);
		normalize(&mut x);
		assert_eq!(x, fixed(&[0.25, 0.75]));
	}

	#[test]
	fn top_k_drops_the_smallest_and_the_zeros() {
		let x = fixed(&[0.3, 0.0, 0.1, 0.6]);
		assert_eq!(is_top_k_nonzero(&x, 2), vec![true, false, false, true]);
		assert_eq!(is_top_k_nonzero(&x, 8), vec![true, false, true, true]);
		// Equal stakes: the stable ascending sort drops the lower uid first.
		assert_eq!(is_top_k_nonzero(&fixed(&[0.5, 0.5]), 1), vec![false, true]);
	}

	#[test]
	fn weights_are_stored_max_upscaled() {
		let halves = fixed(&[32767.0, 32767.0]);
		assert_eq!(max_upscale_to_u16(&halves), vec![u16::MAX, u16::MAX]);
		assert_eq!(max_upscale_to_u16(&fixed(&[0.25, 0.5, 1.0])), vec![16384, 32768, 65535]);
		assert_eq!(max_upscale_to_u16(&fixed(&[0.0, 0.0])), vec![0, 0]);
		assert!(max_upscale_to_u16(&[]).is_empty());
	}
}
