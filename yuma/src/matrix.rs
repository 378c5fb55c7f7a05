//! Operations on [`SparseMatrix`] rows (validators) and columns (the uids they weigh), each as
//! the chain's epoch does it, down to which zero entries it keeps.

use crate::{vector::safe_div, SparseMatrix};
use alloc::{vec, vec::Vec};
use substrate_fixed::types::I32F32;

fn zero() -> I32F32 {
	I32F32::from_num(0)
}

/// Scale each row to sum to one; rows summing to zero stay as they are.
pub fn row_normalize(matrix: &mut SparseMatrix) {
	for row in matrix.iter_mut() {
		let total = row.iter().fold(zero(), |total, (_, value)| total.saturating_add(*value));
		if total > zero() {
			row.iter_mut().for_each(|(_, value)| *value = safe_div(*value, total));
		}
	}
}

/// Each row's sum.
pub fn row_sum(matrix: &SparseMatrix) -> Vec<I32F32> {
	matrix
		.iter()
		.map(|row| row.iter().fold(zero(), |total, (_, value)| total.saturating_add(*value)))
		.collect()
}

/// Per column of `columns`, the result of folding its entries with `fold` from zero.
fn column_fold(
	matrix: &SparseMatrix,
	columns: usize,
	fold: impl Fn(I32F32, I32F32) -> I32F32,
) -> Vec<I32F32> {
	let mut result = vec![zero(); columns];
	for &(j, value) in matrix.iter().flatten() {
		if let Some(cell) = result.get_mut(j as usize) {
			*cell = fold(*cell, value);
		}
	}
	result
}

/// Divide each entry by `by[column]` where that is not zero.
fn divide_columns(matrix: &mut SparseMatrix, by: &[I32F32]) {
	for (j, value) in matrix.iter_mut().flatten() {
		let divisor = by.get(*j as usize).copied().unwrap_or_else(zero);
		if divisor != zero() {
			*value = safe_div(*value, divisor);
		}
	}
}

/// Scale each column to sum to one; columns summing to zero stay as they are.
pub fn col_normalize(matrix: &mut SparseMatrix, columns: usize) {
	let sums = column_fold(matrix, columns, |total, value| total.saturating_add(value));
	divide_columns(matrix, &sums);
}

/// Scale each column so its largest entry is one.
pub fn col_max_upscale(matrix: &mut SparseMatrix, columns: usize) {
	let maxima = column_fold(matrix, columns, |max, value| max.max(value));
	divide_columns(matrix, &maxima);
}

/// Empty the rows where `mask` is true (and the rows past its end).
pub fn mask_rows(mask: &[bool], matrix: &SparseMatrix) -> SparseMatrix {
	matrix
		.iter()
		.enumerate()
		.map(|(i, row)| if mask.get(i).copied().unwrap_or(true) { Vec::new() } else { row.clone() })
		.collect()
}

/// Drop the diagonal (a validator's weight on itself), except `keep`'s own entry.
pub fn mask_diagonal(matrix: &SparseMatrix, keep: Option<u16>) -> SparseMatrix {
	matrix
		.iter()
		.enumerate()
		.map(|(i, row)| {
			let kept = keep.is_some_and(|uid| uid as usize == i);
			row.iter().filter(|(j, _)| kept || *j as usize != i).copied().collect()
		})
		.collect()
}

/// Drop entry `(i, j)` where `masked(rows[i], columns[j])`; a missing value reads as zero.
pub fn mask_by(
	matrix: &SparseMatrix,
	rows: &[u64],
	columns: &[u64],
	masked: impl Fn(u64, u64) -> bool,
) -> SparseMatrix {
	matrix
		.iter()
		.enumerate()
		.map(|(i, row)| {
			let of_row = rows.get(i).copied().unwrap_or(0);
			row.iter()
				.filter(|(j, _)| !masked(of_row, columns.get(*j as usize).copied().unwrap_or(0)))
				.copied()
				.collect()
		})
		.collect()
}

/// `result[j] = sum_i vector[i] * matrix[i][j]` over `columns` columns.
pub fn matmul(matrix: &SparseMatrix, vector: &[I32F32], columns: usize) -> Vec<I32F32> {
	let mut result = vec![zero(); columns];
	for (row, scale) in matrix.iter().zip(vector.iter().copied().chain(core::iter::repeat(zero())))
	{
		for &(j, value) in row {
			if let Some(cell) = result.get_mut(j as usize) {
				*cell = cell.saturating_add(scale.saturating_mul(value));
			}
		}
	}
	result
}

/// `result[i] = sum_j matrix[i][j] * vector[j]`.
pub fn matmul_transpose(matrix: &SparseMatrix, vector: &[I32F32]) -> Vec<I32F32> {
	matrix
		.iter()
		.map(|row| {
			row.iter().fold(zero(), |total, &(j, value)| {
				let of_column = vector.get(j as usize).copied().unwrap_or_else(zero);
				total.saturating_add(of_column.saturating_mul(value))
			})
		})
		.collect()
}

/// Each row scaled by `vector[row]`.
pub fn scale_rows(matrix: &SparseMatrix, vector: &[I32F32]) -> SparseMatrix {
	matrix
		.iter()
		.zip(vector)
		.map(|(row, &scale)| {
			row.iter().map(|&(j, value)| (j, value.saturating_mul(scale))).collect()
		})
		.collect()
}

/// Each entry scaled by `vector[column]`, keeping the non-zero products.
pub fn scale_columns(matrix: &SparseMatrix, vector: &[I32F32]) -> SparseMatrix {
	matrix
		.iter()
		.map(|row| {
			row.iter()
				.filter_map(|&(j, value)| {
					let product = value.saturating_mul(*vector.get(j as usize)?);
					(product != zero()).then_some((j, product))
				})
				.collect()
		})
		.collect()
}

/// Entries above their column's threshold cut down to it, or dropped where the threshold is
/// not positive.
pub fn col_clip(matrix: &SparseMatrix, threshold: &[I32F32]) -> SparseMatrix {
	matrix
		.iter()
		.map(|row| {
			row.iter()
				.filter_map(|&(j, value)| {
					let limit = threshold.get(j as usize).copied().unwrap_or_else(zero);
					if limit >= value {
						Some((j, value))
					} else {
						(limit > zero()).then_some((j, limit))
					}
				})
				.collect()
		})
		.collect()
}

/// Row `i` densified to `columns` entries.
pub fn dense_row(row: &[(u16, I32F32)], columns: usize) -> Vec<I32F32> {
	let mut dense = vec![zero(); columns];
	for &(j, value) in row {
		if let Some(cell) = dense.get_mut(j as usize) {
			*cell = value;
		}
	}
	dense
}

/// `from + ratio * (to - from)` entry by entry, keeping the positive results; `ratio` 0 and 1
/// return `from` and `to` unchanged.
pub fn interpolate(
	from: &SparseMatrix,
	to: &SparseMatrix,
	columns: usize,
	ratio: I32F32,
) -> SparseMatrix {
	if ratio == zero() {
		return from.clone();
	}
	if ratio == I32F32::from_num(1) || from.len() != to.len() {
		return to.clone();
	}
	from.iter()
		.zip(to)
		.map(|(from_row, to_row)| {
			let (from_row, to_row) = (dense_row(from_row, columns), dense_row(to_row, columns));
			from_row
				.iter()
				.zip(&to_row)
				.enumerate()
				.filter_map(|(j, (a, b))| {
					let value = a.saturating_add(ratio.saturating_mul(b.saturating_sub(*a)));
					(value > zero()).then_some((j as u16, value))
				})
				.collect()
		})
		.collect()
}

/// `alpha * new + (1 - alpha) * old` entry by entry over `new.len()` columns, keeping the
/// positive results.
pub fn ema(new: &SparseMatrix, old: &SparseMatrix, alpha: I32F32) -> SparseMatrix {
	let columns = new.len();
	let keep = I32F32::from_num(1).saturating_sub(alpha);
	let no_row = Vec::new();
	new.iter()
		.enumerate()
		.map(|(i, new_row)| {
			let mut dense = vec![zero(); columns];
			for &(j, value) in new_row {
				if let Some(cell) = dense.get_mut(j as usize) {
					*cell = cell.saturating_add(alpha.saturating_mul(value));
				}
			}
			for &(j, value) in old.get(i).unwrap_or(&no_row) {
				if let Some(cell) = dense.get_mut(j as usize) {
					*cell = cell.saturating_add(keep.saturating_mul(value));
				}
			}
			dense
				.iter()
				.enumerate()
				.filter(|(_, value)| **value > zero())
				.map(|(j, value)| (j as u16, *value))
				.collect()
		})
		.collect()
}
