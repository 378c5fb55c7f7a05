//! Evaluating one model: load it, check it, and measure its loss on every batch.
//!
//! Nothing that is wrong with a model stops the evaluation of the others: a missing file, an
//! unsupported architecture, too many parameters, degenerate output or a NaN loss each give a
//! report of `+inf` losses with the reason.

use std::{collections::HashMap, path::Path, sync::Arc, time::Instant};

use candle_core::{DType, Device};
use indicatif::{ProgressBar, ProgressStyle};

use crate::{
	corpus::Corpus,
	degenerate,
	hash::HashError,
	loss::batch_loss,
	model::{budget::SizeBudget, load, LoadError, LoadedModel, ModelFiles},
	samples::{draw_batches, Batch, SampleError, SampleSpec},
	source::SourceError,
};

/// Why a model scored as failed. Each is the model's fault (or its publisher's), never the
/// validator's: the others are still evaluated.
#[derive(Debug, thiserror::Error)]
pub enum Failure {
	/// The repository or revision on chain is not one the evaluator can fetch.
	#[error("{0}")]
	BadLocation(String),
	/// The model could not be found or fetched.
	#[error(transparent)]
	Source(#[from] SourceError),
	/// The model's files could not be listed or hashed.
	#[error(transparent)]
	Hash(#[from] HashError),
	/// The files are not the ones committed on chain.
	#[error(
		"content hash mismatch: committed 0x{committed}, the files in {dir} hash to 0x{actual}"
	)]
	HashMismatch {
		/// The hash on chain, in hex.
		committed: String,
		/// The hash of the files, in hex.
		actual: String,
		/// The model directory.
		dir: std::path::PathBuf,
	},
	/// The files are missing, too large, malformed or describe an unsupported model.
	#[error(transparent)]
	Load(#[from] LoadError),
	/// More parameters than the competition allows.
	#[error("{parameters} parameters, the competition allows at most {max}")]
	TooManyParameters {
		/// Parameters in the checkpoint.
		parameters: u64,
		/// The competition's bound.
		max: u64,
	},
	/// The model's continuations are degenerate (a copy hidden behind noise, a constant).
	#[error("{0}")]
	Degenerate(String),
	/// The degenerate-output check could not run.
	#[error("degenerate-output check failed: {0}")]
	Check(candle_core::Error),
	/// The samples could not be tokenized with the model's tokenizer.
	#[error(transparent)]
	Samples(#[from] SampleError),
	/// The loss of a batch could not be computed.
	#[error("loss on batch {batch}: {source}")]
	Loss {
		/// The batch.
		batch: usize,
		/// candle's error.
		source: candle_core::Error,
	},
	/// The loss of a batch is NaN or infinite.
	#[error("NaN or infinite logits on batch {batch}")]
	NotFinite {
		/// The batch.
		batch: usize,
	},
}

/// A progress bar over `length` steps of `what` (`batches`, ...), drawn on stderr when it is a
/// terminal (hidden otherwise, where the logs tell the story).
pub fn progress_bar(length: u64, what: &str) -> ProgressBar {
	let bar = ProgressBar::new(length);
	let template =
		format!("{{bar:40}} {{pos}}/{{len}} {what}, {{elapsed}} elapsed, eta {{eta}} {{msg}}");
	if let Ok(style) = ProgressStyle::with_template(&template) {
		bar.set_style(style);
	}
	bar
}

/// The outcome of one model's evaluation.
#[derive(Clone, Debug, PartialEq)]
pub struct ModelReport {
	/// Mean cross-entropy per batch; all `+inf` when the model failed.
	pub losses: Vec<f64>,
	/// Why the model failed, if it did.
	pub failure: Option<String>,
	/// Parameters stored in the checkpoint, when the headers could be read.
	pub parameters: Option<u64>,
	/// Tokens of the timed batches: all but the first (a warm-up) when there are several.
	pub tokens: u64,
	/// Seconds spent computing the timed batches' losses (loading and checks excluded).
	pub seconds: f64,
}

impl ModelReport {
	/// A report of `+inf` on every batch, with the reason.
	pub fn failed(reason: String, batches: usize, parameters: Option<u64>) -> Self {
		Self {
			losses: vec![f64::INFINITY; batches],
			failure: Some(reason),
			parameters,
			tokens: 0,
			seconds: 0.0,
		}
	}

	/// The mean of the per-batch losses (`+inf` for a failed model).
	pub fn mean_loss(&self) -> f64 {
		if self.losses.is_empty() {
			return f64::INFINITY;
		}
		self.losses.iter().sum::<f64>() / self.losses.len() as f64
	}

	/// Tokens per second of the loss computation (0 when nothing was computed).
	pub fn tokens_per_second(&self) -> f64 {
		if self.seconds > 0.0 {
			self.tokens as f64 / self.seconds
		} else {
			0.0
		}
	}
}

/// What an evaluation runs on and with.
#[derive(Clone, Debug)]
pub struct EvalSettings {
	/// The sample seed.
	pub seed: [u8; 32],
	/// The shape of the samples.
	pub spec: SampleSpec,
	/// Where the models run.
	pub device: Device,
	/// The dtype of their weights.
	pub dtype: DType,
	/// Models with more parameters fail (the competition's `max_params`).
	pub max_parameters: Option<u64>,
}

/// Evaluates models one after another on the same samples.
pub struct Evaluator<'a> {
	corpus: &'a Corpus,
	settings: EvalSettings,
	/// Batches per tokenizer (keyed by the tokenizer file's hash and the EOS id): models that
	/// share a tokenizer share the samples, tokenized once.
	samples: HashMap<([u8; 32], u32), Arc<Vec<Batch>>>,
}

impl<'a> Evaluator<'a> {
	/// An evaluator drawing samples from `corpus`.
	pub fn new(corpus: &'a Corpus, settings: EvalSettings) -> Self {
		Self { corpus, settings, samples: HashMap::new() }
	}

	/// Evaluate the model in `dir`; `on_batch` is called once per batch (also for batches a
	/// failed model skips), for progress bars.
	pub fn evaluate(&mut self, dir: &Path, on_batch: &mut dyn FnMut()) -> ModelReport {
		let mut done = 0;
		let mut parameters = None;
		let mut counted = || {
			done += 1;
			on_batch();
		};
		match self.try_evaluate(dir, &mut counted, &mut parameters) {
			Ok(report) => report,
			Err(failure) => {
				self.report_failure(&dir.display(), &failure, done, parameters, on_batch)
			}
		}
	}

	/// The report of `model`, which failed before its evaluation began: logged, and its
	/// batches counted as done on `on_batch`.
	pub fn failed(
		&self,
		model: &dyn std::fmt::Display,
		failure: &Failure,
		on_batch: &mut dyn FnMut(),
	) -> ModelReport {
		self.report_failure(model, failure, 0, None, on_batch)
	}

	fn report_failure(
		&self,
		model: &dyn std::fmt::Display,
		failure: &Failure,
		done: usize,
		parameters: Option<u64>,
		on_batch: &mut dyn FnMut(),
	) -> ModelReport {
		let batches = self.settings.spec.batches;
		(done..batches).for_each(|_| on_batch());
		let reason = failure.to_string();
		tracing::warn!(%model, %reason, "model scored as failed");
		ModelReport::failed(reason, batches, parameters)
	}

	/// Load, check and measure the model; `parameters` is set as soon as they are known.
	fn try_evaluate(
		&mut self,
		dir: &Path,
		on_batch: &mut dyn FnMut(),
		parameters: &mut Option<u64>,
	) -> Result<ModelReport, Failure> {
		let files = ModelFiles::in_dir(dir)?;
		files.check_budget(SizeBudget::new(self.settings.max_parameters))?;
		let count = files.parameter_count()?;
		*parameters = Some(count);
		if let Some(max) = self.settings.max_parameters.filter(|&max| count > max) {
			return Err(Failure::TooManyParameters { parameters: count, max });
		}
		let positions = self.settings.spec.seq_len.max(degenerate::POSITIONS);
		let loaded = load(&files, &self.settings.device, self.settings.dtype, positions)?;
		if let Some(reason) =
			degenerate::check(&loaded.model, &loaded.tokenizer).map_err(Failure::Check)?
		{
			return Err(Failure::Degenerate(reason));
		}
		let samples = self.samples_for(&loaded)?;
		let mut losses = Vec::with_capacity(samples.len());
		// The first batch warms the allocator and the caches; the speed counts the rest (all
		// batches when there is only one).
		let (mut started, mut tokens) = (Instant::now(), 0u64);
		for (batch, rows) in samples.iter().enumerate() {
			if batch == 1 {
				(started, tokens) = (Instant::now(), 0);
			}
			let loss = batch_loss(&loaded.model, rows)
				.map_err(|source| Failure::Loss { batch, source })?;
			if !loss.is_finite() {
				return Err(Failure::NotFinite { batch });
			}
			losses.push(loss);
			tokens += rows.tokens().len() as u64;
			on_batch();
		}
		Ok(ModelReport {
			losses,
			failure: None,
			parameters: Some(count),
			tokens,
			seconds: started.elapsed().as_secs_f64(),
		})
	}

	/// The batches drawn so far, one set per tokenizer the evaluated models use.
	pub fn samples(&self) -> impl Iterator<Item = &[Batch]> {
		self.samples.values().map(|batches| batches.as_slice())
	}

	fn samples_for(&mut self, loaded: &LoadedModel) -> Result<Arc<Vec<Batch>>, Failure> {
		let key = (loaded.tokenizer_hash, loaded.eos);
		if let Some(samples) = self.samples.get(&key) {
			return Ok(samples.clone());
		}
		let batches = draw_batches(
			self.corpus,
			&loaded.tokenizer,
			loaded.eos,
			self.settings.seed,
			self.settings.spec,
		)?;
		let batches = Arc::new(batches);
		self.samples.insert(key, batches.clone());
		Ok(batches)
	}
}
