//! Operations on [`SparseMatrix`] rows (validators) and columns (the uids they weigh), each as
//! the chain's epoch does it, down to which zero entries it keeps.

use crate::{vector::div, SparseMatrix};
use alloc::{vec, vec::Vec};
use substrate_fixed::types::I32F32;

fn zero() -> I32F32 {
	I32F32::from_num(0)
}

/// `row`'s entries, each kept (perhaps changed) or dropped by `entry`, in a row sized for all
/// of them up front (a filtered `collect` would grow it step by step).
pub fn map_row(
	row: &[(u16, I32F32)],
	entry: impl FnMut(&(u16, I32F32)) -> Option<(u16, I32F32)>,
) -> Vec<(u16, I32F32)> {
	let mut out = Vec::with_capacity(row.len());
	out.extend(row.iter().filter_map(entry));
	out
}

/// Scale each row to sum to one; rows summing to zero stay as they are.
pub fn row_normalize(matrix: &mut SparseMatrix) {
	for row in matrix.iter_mut() {
		let total = row.iter().fold(zero(), |total, (_, value)| total.saturating_add(*value));
		if total > zero() {
			row.iter_mut().for_each(|(_, value)| *value = div(*value, total));
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
			*value = div(*value, divisor);
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
			map_row(row, |&(j, value)| {
				let product = value.saturating_mul(*vector.get(j as usize)?);
				(product != zero()).then_some((j, product))
			})
		})
		.collect()
}

/// Entries above their column's threshold cut down to it, or dropped where the threshold is
/// not positive.
pub fn col_clip(matrix: &SparseMatrix, threshold: &[I32F32]) -> SparseMatrix {
	matrix
		.iter()
		.map(|row| {
			map_row(row, |&(j, value)| {
				let limit = threshold.get(j as usize).copied().unwrap_or_else(zero);
				if limit >= value {
					Some((j, value))
				} else {
					(limit > zero()).then_some((j, limit))
				}
			})
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
	let mut dense = DenseRow::new(columns);
	new.iter()
		.enumerate()
		.map(|(i, new_row)| {
			let old_row = old.get(i).unwrap_or(&no_row);
			let new_entries = new_row.iter().map(|&(j, v)| (j, alpha.saturating_mul(v)));
			let old_entries = old_row.iter().map(|&(j, v)| (j, keep.saturating_mul(v)));
			if ordered(new_row, columns) && ordered(old_row, columns) {
				merge(new_entries, old_entries)
			} else {
				dense.sum(new_entries.chain(old_entries))
			}
		})
		.collect()
}

/// Whether `row`'s columns increase strictly and stay below `columns`.
fn ordered(row: &[(u16, I32F32)], columns: usize) -> bool {
	row.windows(2).all(|pair| pair[0].0 < pair[1].0)
		&& row.last().is_none_or(|&(j, _)| (j as usize) < columns)
}

/// The sum, column by column, of two rows with increasing columns, keeping the positive sums.
fn merge(
	a: impl Iterator<Item = (u16, I32F32)>,
	b: impl Iterator<Item = (u16, I32F32)>,
) -> Vec<(u16, I32F32)> {
	let (mut a, mut b) = (a.peekable(), b.peekable());
	let mut row = Vec::with_capacity(a.size_hint().0 + b.size_hint().0);
	loop {
		let entry = match (a.peek(), b.peek()) {
			(Some(&(i, x)), Some(&(j, y))) if i == j => {
				a.next();
				b.next();
				Some((i, x.saturating_add(y)))
			}
			(Some(&(i, _)), Some(&(j, _))) if j < i => b.next(),
			(Some(_), _) => a.next(),
			(None, Some(_)) => b.next(),
			(None, None) => break,
		}
		.unwrap_or((0, zero()));
		if entry.1 > zero() {
			row.push(entry);
		}
	}
	row
}

/// A dense row that sums entries in any column order, reused from row to row: only the
/// columns a row touches are set, read back and reset.
struct DenseRow {
	values: Vec<I32F32>,
	seen: Vec<bool>,
	touched: Vec<usize>,
}

impl DenseRow {
	fn new(columns: usize) -> Self {
		Self { values: vec![zero(); columns], seen: vec![false; columns], touched: Vec::new() }
	}

	/// The column sums of `entries` (columns past the row dropped), positive ones kept.
	fn sum(&mut self, entries: impl Iterator<Item = (u16, I32F32)>) -> Vec<(u16, I32F32)> {
		for (j, value) in entries {
			let j = j as usize;
			if let Some(cell) = self.values.get_mut(j) {
				if !core::mem::replace(&mut self.seen[j], true) {
					self.touched.push(j);
				}
				*cell = cell.saturating_add(value);
			}
		}
		self.touched.sort_unstable();
		let mut row = Vec::with_capacity(self.touched.len());
		for &j in &self.touched {
			if self.values[j] > zero() {
				row.push((j as u16, self.values[j]));
			}
			self.values[j] = zero();
			self.seen[j] = false;
		}
		self.touched.clear();
		row
	}
}
