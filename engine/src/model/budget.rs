//! How much a model's files may weigh before anything is downloaded, hashed or loaded.
//!
//! A competition bounds its models' parameters (`max_params`); a checkpoint stores each
//! parameter in at most [`MAX_BYTES_PER_PARAMETER`] bytes (f32), so the files of an eligible
//! model fit in `max_params * 4` bytes plus the small JSON files and safetensors headers. A
//! miner who publishes more is refused from the listing alone, without costing the validator
//! disk, bandwidth or memory. The JSON files are capped on their own: a 4 GiB `config.json`
//! is refused whatever the competition.

use crate::hash::MODEL_FILES;

/// The largest `config.json`, shard index, `tokenizer.json` or `generation_config.json`
/// read (real ones are at most a few MiB).
pub const MAX_JSON_BYTES: u64 = 16 << 20;

/// Bytes per parameter of the widest dtype a checkpoint may store (f32).
pub const MAX_BYTES_PER_PARAMETER: u64 = 4;

/// The most model files one model may have (real checkpoints have tens of shards).
pub const MAX_MODEL_FILES: usize = 512;

/// Room for the safetensors headers and the JSON files beside the tensors.
const SLACK_BYTES: u64 = 4 * MAX_JSON_BYTES + (64 << 20);

/// Why a model's files are refused before they are read.
#[derive(Debug, thiserror::Error)]
pub enum BudgetError {
	/// A JSON file is larger than [`MAX_JSON_BYTES`].
	#[error("{name} is {size} bytes; at most {MAX_JSON_BYTES} are read")]
	JsonTooLarge {
		/// The file's name.
		name: String,
		/// Its size.
		size: u64,
	},
	/// The files together are larger than the competition's parameters allow.
	#[error(
		"the model's files take {total} bytes; the competition's {max_parameters} parameters \
		 allow at most {budget}"
	)]
	OverBudget {
		/// Their total size.
		total: u64,
		/// The parameter bound the budget comes from.
		max_parameters: u64,
		/// The budget.
		budget: u64,
	},
	/// More model files than any real checkpoint has.
	#[error("{count} model files; at most {MAX_MODEL_FILES} are accepted")]
	TooManyFiles {
		/// How many there are.
		count: usize,
	},
}

/// The bytes a model's files may take, derived from a competition's parameter bound.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SizeBudget {
	max_parameters: Option<u64>,
}

impl SizeBudget {
	/// The budget of a competition that allows `max_parameters` (`None`: no bound on the
	/// total, only the caps on single JSON files and on the number of files).
	pub fn new(max_parameters: Option<u64>) -> Self {
		Self { max_parameters }
	}

	/// The most bytes all the model files together may take, if bounded.
	pub fn max_bytes(&self) -> Option<u64> {
		self.max_parameters
			.map(|max| max.saturating_mul(MAX_BYTES_PER_PARAMETER).saturating_add(SLACK_BYTES))
	}

	/// Check a listing of model files, `(name, size)`, against the budget.
	pub fn check<'a>(
		&self,
		files: impl IntoIterator<Item = (&'a str, u64)>,
	) -> Result<(), BudgetError> {
		let mut total = 0u64;
		let mut count = 0usize;
		for (name, size) in files {
			if MODEL_FILES.contains(&name) && size > MAX_JSON_BYTES {
				return Err(BudgetError::JsonTooLarge { name: name.to_owned(), size });
			}
			total = total.saturating_add(size);
			count += 1;
		}
		if count > MAX_MODEL_FILES {
			return Err(BudgetError::TooManyFiles { count });
		}
		match (self.max_parameters, self.max_bytes()) {
			(Some(max_parameters), Some(budget)) if total > budget => {
				Err(BudgetError::OverBudget { total, max_parameters, budget })
			}
			_ => Ok(()),
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn the_budget_follows_the_parameter_bound() {
		let budget = SizeBudget::new(Some(1_000_000));
		let max = budget.max_bytes().expect("bounded");
		assert_eq!(max, 4_000_000 + SLACK_BYTES);
		assert!(budget.check([("model.safetensors", max - 100), ("config.json", 100)]).is_ok());
		let over = budget.check([("model.safetensors", max), ("config.json", 1)]);
		assert!(matches!(over, Err(BudgetError::OverBudget { total, .. }) if total == max + 1));
		// Sizes near u64::MAX add up without wrapping.
		let huge = budget.check([("a.safetensors", u64::MAX), ("b.safetensors", u64::MAX)]);
		assert!(matches!(huge, Err(BudgetError::OverBudget { total: u64::MAX, .. })));
		assert_eq!(SizeBudget::new(Some(u64::MAX)).max_bytes(), Some(u64::MAX));
	}

	#[test]
	fn json_files_and_file_counts_are_capped_whatever_the_budget() {
		let unbounded = SizeBudget::new(None);
		assert!(unbounded.check([("model.safetensors", u64::MAX / 2)]).is_ok());
		let big_config = unbounded.check([("config.json", MAX_JSON_BYTES + 1)]);
		assert!(matches!(big_config, Err(BudgetError::JsonTooLarge { .. })));
		let shards: Vec<String> =
			(0..=MAX_MODEL_FILES).map(|i| format!("model-{i}.safetensors")).collect();
		let many = unbounded.check(shards.iter().map(|name| (name.as_str(), 1)));
		assert!(matches!(many, Err(BudgetError::TooManyFiles { count }) if count == 513));
	}
}
