//! The stake-weighted median that gives consensus: for each column, the score below which the
//! validators holding `1 - kappa` of the stake lie, found by the chain's deterministic
//! mid-pivot partition search.

use crate::{vector, SparseMatrix};
use alloc::{vec, vec::Vec};
use substrate_fixed::types::I32F32;

/// The stake-weighted `kappa`-quantile of `score` over `indices`: the pivot search of the
/// chain's `weighted_median`, with `minority = stake_total - kappa` and the partition
/// `[low, high]` of the stake integral.
pub fn weighted_median(
	stake: &[I32F32],
	score: &[I32F32],
	indices: &[usize],
	minority: I32F32,
	mut low: I32F32,
	mut high: I32F32,
) -> I32F32 {
	let zero = I32F32::from_num(0);
	if stake.len() != score.len() {
		return zero;
	}
	let at = |values: &[I32F32], index: usize| values.get(index).copied().unwrap_or(zero);
	let mut partition: Vec<usize> = indices.to_vec();
	// The chain's guard against a search that does not shrink: one pass per index.
	for _ in 0..=indices.len() {
		match partition.as_slice() {
			[] => return zero,
			[only] => return at(score, *only),
			_ => {}
		}
		let pivot = at(score, partition.get(partition.len() / 2).copied().unwrap_or(0));
		let (mut lower, mut upper) = (Vec::new(), Vec::new());
		let (mut lower_stake, mut upper_stake) = (zero, zero);
		for &index in &partition {
			let value = at(score, index);
			if value < pivot {
				lower_stake = lower_stake.saturating_add(at(stake, index));
				lower.push(index);
			} else if value > pivot {
				upper_stake = upper_stake.saturating_add(at(stake, index));
				upper.push(index);
			}
		}
		if minority < low.saturating_add(lower_stake) && !lower.is_empty() {
			high = low.saturating_add(lower_stake);
			partition = lower;
		} else if high.saturating_sub(upper_stake) <= minority && !upper.is_empty() {
			low = high.saturating_sub(upper_stake);
			partition = upper;
		} else {
			return pivot;
		}
	}
	zero
}

/// Consensus: per column of `columns`, the `kappa`-quantile of the weights of the rows with
/// positive stake, their stake renormalized to sum to one.
pub fn weighted_median_columns(
	stake: &[I32F32],
	weights: &SparseMatrix,
	columns: usize,
	kappa: I32F32,
) -> Vec<I32F32> {
	let zero = I32F32::from_num(0);
	let mut voters: Vec<I32F32> = stake.iter().copied().filter(|s| *s > zero).collect();
	vector::normalize(&mut voters);
	let total = vector::sum(&voters);
	let minority = total.saturating_sub(kappa);
	let indices: Vec<usize> = (0..voters.len()).collect();

	let mut scores = vec![vec![zero; voters.len()]; columns];
	let rows = stake.iter().zip(weights).filter(|(s, _)| **s > zero).map(|(_, row)| row);
	for (voter, row) in rows.enumerate() {
		for &(j, value) in row {
			if let Some(cell) = scores.get_mut(j as usize).and_then(|column| column.get_mut(voter))
			{
				*cell = value;
			}
		}
	}
	scores
		.iter()
		.map(|column| weighted_median(&voters, column, &indices, minority, zero, total))
		.collect()
}

#[cfg(test)]
mod tests {
	use super::*;

	fn fixed(values: &[f64]) -> Vec<I32F32> {
		values.iter().map(|&value| I32F32::from_num(value)).collect()
	}

	#[test]
	fn the_median_follows_the_stake_majority() {
		let stake = fixed(&[0.6, 0.2, 0.2]);
		let score = fixed(&[0.9, 0.1, 0.1]);
		let half = I32F32::from_num(0.5);
		let minority = I32F32::from_num(1) - half;
		let median = weighted_median(
			&stake,
			&score,
			&[0, 1, 2],
			minority,
			I32F32::from_num(0),
			I32F32::from_num(1),
		);
		assert_eq!(median, I32F32::from_num(0.9));
		let against = fixed(&[0.4, 0.3, 0.3]);
		let median = weighted_median(
			&against,
			&score,
			&[0, 1, 2],
			minority,
			I32F32::from_num(0),
			I32F32::from_num(1),
		);
		assert_eq!(median, I32F32::from_num(0.1));
	}

	#[test]
	fn rows_without_stake_do_not_vote() {
		let stake = fixed(&[0.0, 1.0]);
		let weights: SparseMatrix =
			vec![vec![(0, I32F32::from_num(1))], vec![(1, I32F32::from_num(1))]];
		let consensus = weighted_median_columns(&stake, &weights, 2, I32F32::from_num(0.5));
		assert_eq!(consensus, fixed(&[0.0, 1.0]));
	}
}
