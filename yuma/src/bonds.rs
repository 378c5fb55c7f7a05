//! Bonds: the moving average of each validator's weights that decides its dividends. The
//! original Yuma averages the stake-weighted, column-normalized weights with one `alpha`; Yuma 3
//! averages each validator's own weights, with a per-entry "liquid" alpha if enabled.

use crate::{matrix, vector::safe_div, LiquidAlpha, SparseMatrix};
use alloc::{vec, vec::Vec};
use substrate_fixed::{transcendental::exp, types::I32F32, types::I64F64};

/// The fixed EMA coefficient: `1 - bonds_moving_average / 1e6`.
pub fn fixed_alpha(bonds_moving_average: u64) -> I32F32 {
	let average = safe_div(I64F64::from_num(bonds_moving_average), I64F64::from_num(1_000_000));
	I32F32::from_num(1).saturating_sub(I32F32::saturating_from_num(average))
}

/// `exp(x)` with `x` clamped to `[-20, 20]`, as the chain's `exp_safe`.
pub fn exp_safe(x: I32F32) -> I32F32 {
	let x = x.clamp(I32F32::from_num(-20), I32F32::from_num(20));
	exp(x).unwrap_or_else(|_| if x <= 0 { I32F32::from_num(0) } else { I32F32::max_value() })
}

/// The liquid alpha of one bond: a sigmoid of how far the weight is above consensus (buying)
/// or the bond above the weight (selling), between `low` and `high`.
pub fn liquid_alpha(
	consensus: I32F32,
	weight: I32F32,
	bond: I32F32,
	alpha: &LiquidAlpha,
) -> I32F32 {
	let (zero, one) = (I32F32::from_num(0), I32F32::from_num(1));
	let (low, high) = alpha.bounds();
	let steepness = I32F32::from_num(alpha.steepness);
	let difference = if weight >= bond {
		weight.saturating_sub(consensus).clamp(zero, one)
	} else {
		bond.saturating_sub(weight).clamp(zero, one)
	};
	let exponent = steepness
		.saturating_div(I32F32::from_num(-100))
		.saturating_mul(difference.saturating_sub(I32F32::from_num(0.5)));
	let sigmoid = one.saturating_div(one.saturating_add(exp_safe(exponent)));
	low.saturating_add(sigmoid.saturating_mul(high.saturating_sub(low))).min(high).max(low)
}

/// Yuma 3's bonds: each validator's `weights` row averaged into its `bonds` row, with the fixed
/// alpha of `bonds_moving_average`, or the liquid alpha per entry when enabled and consensus is
/// not all zero. Only the columns the validator weighs this epoch keep a bond, each at most one.
pub fn yuma3(
	weights: &SparseMatrix,
	bonds: &SparseMatrix,
	consensus: &[I32F32],
	bonds_moving_average: u64,
	liquid: Option<&LiquidAlpha>,
) -> SparseMatrix {
	let zero = I32F32::from_num(0);
	let liquid = liquid.filter(|_| consensus.iter().any(|c| *c != zero));
	let Some(liquid) = liquid else {
		return matrix::ema(weights, bonds, fixed_alpha(bonds_moving_average));
	};
	if weights.len() != bonds.len() {
		return weights.clone();
	}
	let columns = consensus.len();
	let one = I32F32::from_num(1);
	weights
		.iter()
		.zip(bonds)
		.map(|(weight_row, bond_row)| {
			let dense_weights = matrix::dense_row(weight_row, columns);
			let dense_bonds = matrix::dense_row(bond_row, columns);
			let alphas: Vec<I32F32> = (0..columns)
				.map(|j| liquid_alpha(consensus[j], dense_weights[j], dense_bonds[j], liquid))
				.collect();
			let mut decayed = vec![zero; columns];
			for &(j, bond) in bond_row {
				if let (Some(cell), Some(alpha)) =
					(decayed.get_mut(j as usize), alphas.get(j as usize))
				{
					*cell = one.saturating_sub(*alpha).saturating_mul(bond);
				}
			}
			weight_row
				.iter()
				.filter_map(|&(j, weight)| {
					let alpha = alphas.get(j as usize)?;
					let added = alpha.saturating_mul(weight).max(zero);
					let value = decayed.get(j as usize)?.saturating_add(added).min(one);
					(value > zero).then_some((j, value))
				})
				.collect()
		})
		.collect()
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn the_fixed_alpha_is_the_complement_of_the_moving_average() {
		assert_eq!(fixed_alpha(1_000_000), I32F32::from_num(0));
		assert_eq!(fixed_alpha(0), I32F32::from_num(1));
		let alpha = fixed_alpha(900_000);
		assert!((alpha.to_num::<f64>() - 0.1).abs() < 1e-9, "{alpha}");
	}

	#[test]
	fn liquid_alpha_stays_within_its_bounds() {
		let alpha = LiquidAlpha { low: u16::MAX / 10, high: u16::MAX / 10 * 3, steepness: 1000 };
		let (low, high) = alpha.bounds();
		let f = |x: f64| I32F32::from_num(x);
		// Buying far above consensus: the high alpha; agreeing with it: the low one.
		let buying = liquid_alpha(f(0.0), f(1.0), f(0.0), &alpha);
		let agreeing = liquid_alpha(f(0.5), f(0.5), f(0.5), &alpha);
		assert!(buying <= high && buying > agreeing && agreeing >= low, "{buying} {agreeing}");
	}
}
