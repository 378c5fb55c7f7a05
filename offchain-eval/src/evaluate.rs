//! Evaluating one model: load it, check it, and measure its loss on every batch.
//!
//! Nothing that is wrong with a model stops the evaluation of the others: a missing file, an
//! unsupported architecture, too many parameters, degenerate output or a NaN loss each give a
//! report of `+inf` losses with the reason.

use std::{collections::HashMap, path::Path, sync::Arc, time::Instant};

use candle_core::{DType, Device};
use indicatif::{ProgressBar, ProgressStyle};
use sha2::{Digest, Sha256};

use crate::{
	corpus::Corpus,
	degenerate,
	loss::batch_loss,
	model::{load, LoadedModel, ModelFiles},
	samples::{draw_batches, Batch, SampleSpec},
};

/// A progress bar over `batches` batches, drawn on stderr when it is a terminal (hidden
/// otherwise, where the logs tell the story).
pub fn progress_bar(batches: u64) -> ProgressBar {
	let bar = ProgressBar::new(batches);
	if let Ok(style) = ProgressStyle::with_template(
		"{bar:40} {pos}/{len} batches, {elapsed} elapsed, eta {eta} {msg}",
	) {
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
	/// Tokens the loss was computed over.
	pub tokens: u64,
	/// Seconds spent computing losses (loading and checks excluded).
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
		let report = self.try_evaluate(dir, on_batch);
		if let Some(reason) = &report.failure {
			tracing::warn!(model = %dir.display(), %reason, "model scored as failed");
		}
		report
	}

	fn try_evaluate(&mut self, dir: &Path, on_batch: &mut dyn FnMut()) -> ModelReport {
		let batches = self.settings.spec.batches;
		let fail = |reason: String, parameters, on_batch: &mut dyn FnMut(), done: usize| {
			(done..batches).for_each(|_| on_batch());
			ModelReport::failed(reason, batches, parameters)
		};
		let files = match ModelFiles::in_dir(dir) {
			Ok(files) => files,
			Err(e) => return fail(e.to_string(), None, on_batch, 0),
		};
		let parameters = match files.parameter_count() {
			Ok(n) => n,
			Err(e) => return fail(e.to_string(), None, on_batch, 0),
		};
		if let Some(max) = self.settings.max_parameters.filter(|&max| parameters > max) {
			let reason = format!("{parameters} parameters, the competition allows at most {max}");
			return fail(reason, Some(parameters), on_batch, 0);
		}
		let positions = self.settings.spec.seq_len.max(degenerate::POSITIONS);
		let loaded = match load(&files, &self.settings.device, self.settings.dtype, positions) {
			Ok(loaded) => loaded,
			Err(e) => return fail(e.to_string(), Some(parameters), on_batch, 0),
		};
		match degenerate::check(&loaded.model, &loaded.tokenizer) {
			Ok(None) => {}
			Ok(Some(reason)) => return fail(reason, Some(parameters), on_batch, 0),
			Err(e) => {
				let reason = format!("degenerate-output check failed: {e}");
				return fail(reason, Some(parameters), on_batch, 0);
			}
		}
		let samples = match self.samples_for(&loaded) {
			Ok(samples) => samples,
			Err(reason) => return fail(reason, Some(parameters), on_batch, 0),
		};
		let started = Instant::now();
		let mut losses = Vec::with_capacity(batches);
		for (k, batch) in samples.iter().enumerate() {
			let loss = match batch_loss(&loaded.model, batch) {
				Ok(loss) if loss.is_finite() => loss,
				Ok(_) => {
					let reason = format!("NaN or infinite logits on batch {k}");
					return fail(reason, Some(parameters), on_batch, k);
				}
				Err(e) => {
					return fail(format!("loss on batch {k}: {e}"), Some(parameters), on_batch, k)
				}
			};
			losses.push(loss);
			on_batch();
		}
		ModelReport {
			losses,
			failure: None,
			parameters: Some(parameters),
			tokens: (self.settings.spec.total_tokens()) as u64,
			seconds: started.elapsed().as_secs_f64(),
		}
	}

	fn samples_for(&mut self, loaded: &LoadedModel) -> Result<Arc<Vec<Batch>>, String> {
		let tokenizer_bytes = std::fs::read(&loaded.files.tokenizer)
			.map_err(|e| format!("{}: {e}", loaded.files.tokenizer.display()))?;
		let key = (Sha256::digest(&tokenizer_bytes).into(), loaded.eos);
		if let Some(samples) = self.samples.get(&key) {
			return Ok(samples.clone());
		}
		let batches = draw_batches(
			self.corpus,
			&loaded.tokenizer,
			loaded.eos,
			self.settings.seed,
			self.settings.spec,
		)
		.map_err(|e| e.to_string())?;
		let batches = Arc::new(batches);
		self.samples.insert(key, batches.clone());
		Ok(batches)
	}
}
