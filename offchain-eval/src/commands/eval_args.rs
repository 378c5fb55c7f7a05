//! Flags shared by the commands that evaluate models (`score`, `validate`).

use std::path::PathBuf;

use anyhow::ensure;
use candle_core::{DType, Device};
use galton_eval::{
	device::{DTypeChoice, DeviceChoice},
	samples::SampleSpec,
};

/// Sample sizes, scoring temperature, device, and where hub models are cached.
#[derive(Debug, clap::Args)]
pub struct EvalArgs {
	/// Batches per model (`m`).
	#[arg(long, default_value_t = 16, value_parser = clap::value_parser!(u32).range(1..))]
	batches: u32,
	/// Rows per batch (`B`).
	#[arg(long, default_value_t = 4, value_parser = clap::value_parser!(u32).range(1..))]
	batch_size: u32,
	/// Tokens per row; at most the models' context.
	#[arg(long, default_value_t = 1024, value_parser = clap::value_parser!(u32).range(2..))]
	seq_len: u32,
	/// Softmax temperature of the win rates.
	#[arg(long, default_value_t = 0.01)]
	pub temperature: f64,
	/// `cpu`, `cuda:N`, or `auto` (CUDA when built in and present, else CPU).
	#[arg(long, default_value = "cpu")]
	device: DeviceChoice,
	/// Weights dtype: `auto` is f32 on the CPU and bf16 on CUDA.
	#[arg(long, value_enum, default_value_t = DTypeChoice::Auto)]
	dtype: DTypeChoice,
	/// Read hub models from the local hub cache only, never the network.
	#[arg(long)]
	pub offline: bool,
	/// The hub cache directory (default: `$HF_HOME/hub`, i.e. `~/.cache/huggingface/hub`).
	#[arg(long)]
	pub hf_cache: Option<PathBuf>,
}

impl EvalArgs {
	/// Check the values clap cannot check alone.
	pub fn check(&self) -> anyhow::Result<()> {
		ensure!(
			self.temperature.is_finite() && self.temperature > 0.0,
			"--temperature must be a positive number, got {}",
			self.temperature
		);
		Ok(())
	}

	/// The sample shape.
	pub fn spec(&self) -> SampleSpec {
		SampleSpec {
			batches: self.batches as usize,
			batch_size: self.batch_size as usize,
			seq_len: self.seq_len as usize,
		}
	}

	/// Open the device and pick the dtype for it.
	pub fn device(&self) -> anyhow::Result<(Device, DType)> {
		let device = self.device.open()?;
		let dtype = self.dtype.resolve(&device);
		Ok((device, dtype))
	}
}
