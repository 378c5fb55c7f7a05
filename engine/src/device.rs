//! The device and dtype an evaluation runs on, chosen at run time.
//!
//! The CPU and CUDA paths are the same code: the device and the dtype are parameters of every
//! tensor operation. CUDA needs the `cuda` feature at build time.

use std::str::FromStr;

use candle_core::{DType, Device};

/// `--device`: `cpu`, `cuda:N`, or `auto` (CUDA device 0 when compiled in and present, else
/// the CPU).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeviceChoice {
	/// The CPU, all cores.
	Cpu,
	/// A CUDA device by ordinal.
	Cuda(usize),
	/// CUDA device 0 if available, else the CPU.
	Auto,
}

impl FromStr for DeviceChoice {
	type Err = String;

	fn from_str(s: &str) -> Result<Self, String> {
		match s {
			"cpu" => Ok(Self::Cpu),
			"auto" => Ok(Self::Auto),
			"cuda" => Ok(Self::Cuda(0)),
			_ => s
				.strip_prefix("cuda:")
				.and_then(|n| n.parse().ok())
				.map(Self::Cuda)
				.ok_or_else(|| format!("unknown device {s:?}; use cpu, cuda:N or auto")),
		}
	}
}

/// Why a device could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum DeviceError {
	/// CUDA asked for, but this binary was built without it.
	#[error("--device cuda:{0}: this galton-eval was built without CUDA; rebuild with `cargo build --release -p galton-eval --features cuda`")]
	NotCompiled(usize),
	/// CUDA is compiled in but the device cannot be opened (no GPU, no driver).
	#[error("--device cuda:{ordinal}: no usable CUDA device ({reason})")]
	NoDevice {
		/// The ordinal asked for.
		ordinal: usize,
		/// The driver's message.
		reason: String,
	},
}

impl DeviceChoice {
	/// Open the device; `Auto` falls back to the CPU.
	pub fn open(self) -> Result<Device, DeviceError> {
		match self {
			Self::Cpu => Ok(Device::Cpu),
			Self::Cuda(ordinal) if !candle_core::utils::cuda_is_available() => {
				Err(DeviceError::NotCompiled(ordinal))
			}
			Self::Cuda(ordinal) => Device::new_cuda(ordinal)
				.map_err(|e| DeviceError::NoDevice { ordinal, reason: e.to_string() }),
			Self::Auto => Ok(Self::Cuda(0).open().unwrap_or(Device::Cpu)),
		}
	}
}

/// `--dtype`: the dtype of the weights and activations; losses are always summed in f32/f64.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum DTypeChoice {
	/// f32 on the CPU, bf16 on CUDA.
	Auto,
	/// 32-bit floats.
	F32,
	/// bfloat16.
	Bf16,
	/// IEEE half precision.
	F16,
}

impl DTypeChoice {
	/// The dtype to use on `device`.
	pub fn resolve(self, device: &Device) -> DType {
		match self {
			Self::Auto if device.is_cpu() => DType::F32,
			Self::Auto => DType::BF16,
			Self::F32 => DType::F32,
			Self::Bf16 => DType::BF16,
			Self::F16 => DType::F16,
		}
	}
}

/// A short name of a device for logs and tables (`cpu`, `cuda:0`).
pub fn describe(device: &Device) -> String {
	match device.location() {
		candle_core::DeviceLocation::Cpu => "cpu".into(),
		candle_core::DeviceLocation::Cuda { gpu_id } => format!("cuda:{gpu_id}"),
		candle_core::DeviceLocation::Metal { gpu_id } => format!("metal:{gpu_id}"),
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn devices_parse() {
		assert_eq!("cpu".parse(), Ok(DeviceChoice::Cpu));
		assert_eq!("cuda:1".parse(), Ok(DeviceChoice::Cuda(1)));
		assert_eq!("cuda".parse(), Ok(DeviceChoice::Cuda(0)));
		assert_eq!("auto".parse(), Ok(DeviceChoice::Auto));
		assert!("gpu".parse::<DeviceChoice>().expect_err("unknown").contains("cpu, cuda:N"));
		assert!("cuda:x".parse::<DeviceChoice>().is_err());
	}

	#[test]
	fn auto_dtype_is_f32_on_the_cpu() {
		assert_eq!(DTypeChoice::Auto.resolve(&Device::Cpu), DType::F32);
		assert_eq!(DTypeChoice::Bf16.resolve(&Device::Cpu), DType::BF16);
	}

	#[cfg(not(feature = "cuda"))]
	#[test]
	fn cuda_without_the_feature_is_a_clear_error_and_auto_falls_back() {
		let err = DeviceChoice::Cuda(0).open().expect_err("not compiled");
		assert!(err.to_string().contains("--features cuda"), "{err}");
		assert!(DeviceChoice::Auto.open().expect("cpu").is_cpu());
	}

	#[cfg(feature = "cuda")]
	#[test]
	fn cuda_is_compiled_in_and_a_missing_device_is_a_clear_error() {
		assert!(candle_core::utils::cuda_is_available(), "built with the cuda feature");
		match DeviceChoice::Cuda(0).open() {
			// On a machine with a GPU.
			Ok(device) => {
				assert!(device.is_cuda());
				assert_eq!(DTypeChoice::Auto.resolve(&device), DType::BF16);
			}
			// On the CI machine: no GPU, no driver.
			Err(e) => {
				assert!(matches!(e, DeviceError::NoDevice { ordinal: 0, .. }), "{e}");
				assert!(e.to_string().contains("no usable CUDA device"), "{e}");
				assert!(DeviceChoice::Auto.open().expect("falls back").is_cpu());
			}
		}
	}
}
