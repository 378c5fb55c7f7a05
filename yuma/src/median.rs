//! The stake-weighted median that gives consensus: for each column, the score below which the
//! validators holding `1 - kappa` of the stake lie, found by the chain's deterministic
//! mid-pivot partition search.

use crate::{vector, SparseMatrix};
use alloc::{vec, vec::Vec};
use substrate_fixed::types::I32F32;

/// The buffers of the partition search, kept from one column to the next.
#[derive(Default)]
struct Partitions {
	current: Vec<usize>,
	lower: Vec<usize>,
	upper: Vec<usize>,
}

/// The stake-weighted `kappa`-quantile of `score` over `indices`: the pivot search of the
/// chain's `weighted_median`, with `minority = stake_total - kappa` and the partition
/// `[low, high]` of the stake integral.
pub fn weighted_median(
	stake: &[I32F32],
	score: &[I32F32],
	indices: &[usize],
	minority: I32F32,
	low: I32F32,
	high: I32F32,
) -> I32F32 {
	search(&mut Partitions::default(), stake, score, indices, minority, (low, high))
}

/// [`weighted_median`] in `buffers`.
fn search(
	buffers: &mut Partitions,
	stake: &[I32F32],
	score: &[I32F32],
	indices: &[usize],
	minority: I32F32,
	(mut low, mut high): (I32F32, I32F32),
) -> I32F32 {
	let zero = I32F32::from_num(0);
	if stake.len() != score.len() {
		return zero;
	}
	let at = |values: &[I32F32], index: usize| values.get(index).copied().unwrap_or(zero);
	let Partitions { current, lower, upper } = buffers;
	current.clear();
	current.extend_from_slice(indices);
	// The chain's guard against a search that does not shrink: one pass per index.
	for _ in 0..=indices.len() {
		match current.as_slice() {
			[] => return zero,
			[only] => return at(score, *only),
			_ => {}
		}
		let pivot = at(score, current.get(current.len() / 2).copied().unwrap_or(0));
		lower.clear();
		upper.clear();
		let (mut lower_stake, mut upper_stake) = (zero, zero);
		for &index in current.iter() {
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
			core::mem::swap(current, lower);
		} else if high.saturating_sub(upper_stake) <= minority && !upper.is_empty() {
			low = high.saturating_sub(upper_stake);
			core::mem::swap(current, upper);
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

	// The scores column by column, in one buffer: column `j` is `scores[j * voters..][..voters]`.
	let width = voters.len();
	let mut scores = vec![zero; columns * width];
	let rows = stake.iter().zip(weights).filter(|(s, _)| **s > zero).map(|(_, row)| row);
	for (voter, row) in rows.enumerate() {
		for &(j, value) in row {
			if let Some(cell) = scores.get_mut(j as usize * width + voter) {
				*cell = value;
			}
		}
	}
	let mut buffers = Partitions::default();
	(0..columns)
		.map(|j| {
			let column = &scores[j * width..(j + 1) * width];
			// A column nobody weighs: the search's first pivot, zero, is its answer.
			if column.iter().all(|score| *score == zero) {
				return zero;
			}
			search(&mut buffers, &voters, column, &indices, minority, (zero, total))
		})
		.collect()
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::vector::tests::fixed;

	#[test]
	fn the_median_follows_the_stake_majority() {
		let score = fixed(&[0.9, 0.1, 0.1]);
		let minority = I32F32::from_num(0.5);
		let median = |stake: &[f64]| {
			let (zero, one) = (I32F32::from_num(0), I32F32::from_num(1));
			weighted_median(&fixed(stake), &score, &[0, 1, 2], minority, zero, one)
		};
		assert_eq!(median(&[0.6, 0.2, 0.2]), I32F32::from_num(0.9));
		assert_eq!(median(&[0.4, 0.3, 0.3]), I32F32::from_num(0.1));
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
