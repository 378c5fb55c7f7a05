//! Synthetic subnet histories for "what if" questions: validators measuring miners whose
//! quality drifts and who are replaced at a given rate.
//!
//! uids `0..validators` are the validators, with stakes falling as `1 / (rank + 1)` (a few
//! large validators and a tail of small ones) and permits; the rest are miners with no stake.
//! Every tempo each miner is replaced with probability `turnover` (the newcomer registers at the
//! start of the tempo with a fresh quality drawn uniformly from `[0, 1]`), and every quality
//! takes a normal step of standard deviation `drift`, kept within `[0, 1]`. Each validator
//! measures every miner's quality with normal noise of standard deviation `noise` and sets
//! weights `exp(measured / 0.1)` a block before the epoch: a sharp preference for the best,
//! as most subnets' validators have.

use std::{fmt, str::FromStr};

use rand_chacha::ChaCha20Rng;
use rand_core::SeedableRng;

use crate::{
	metagraph::{EpochRecord, History, MAX_EPOCHS, MAX_UIDS},
	simulation::{standard_normal, uniform},
};

/// The temperature of the validators' weights: a quality `0.1` higher weighs `e` times more.
const WEIGHT_TEMPERATURE: f64 = 0.1;
/// The largest validator's stake, in rao (one million TAO).
const TOP_STAKE: u64 = 1_000_000_000_000_000;

/// A synthetic subnet's parameters, written `miners=256,validators=64,turnover=0.05,...`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SyntheticSpec {
	/// Miners (default 192).
	pub miners: usize,
	/// Validators (default 64).
	pub validators: usize,
	/// The probability that a miner is replaced in a tempo (default 0.05).
	pub turnover: f64,
	/// The standard deviation of a quality's step per tempo (default 0.02).
	pub drift: f64,
	/// The standard deviation of a validator's measurement (default 0.02).
	pub noise: f64,
	/// Epochs (default 200).
	pub epochs: usize,
	/// Blocks per epoch (default 360).
	pub tempo: u64,
	/// The seed (default 0).
	pub seed: u64,
}

impl Default for SyntheticSpec {
	fn default() -> Self {
		Self {
			miners: 192,
			validators: 64,
			turnover: 0.05,
			drift: 0.02,
			noise: 0.02,
			epochs: 200,
			tempo: 360,
			seed: 0,
		}
	}
}

/// Why a synthetic spec was refused.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum SpecError {
	/// A part is not `key=value`.
	#[error("`{0}` is not key=value (keys: miners, validators, turnover, drift, noise, epochs, tempo, seed)")]
	Syntax(String),
	/// An unknown key.
	#[error(
		"unknown key `{0}` (keys: miners, validators, turnover, drift, noise, epochs, tempo, seed)"
	)]
	Key(String),
	/// A value that does not parse or is out of range.
	#[error("`{key}={value}`: {expected}")]
	Value {
		/// The key.
		key: String,
		/// Its value.
		value: String,
		/// What it must be.
		expected: &'static str,
	},
}

impl FromStr for SyntheticSpec {
	type Err = SpecError;

	/// `key=value` pairs separated by commas; keys left out keep their defaults.
	fn from_str(text: &str) -> Result<Self, SpecError> {
		let mut spec = Self::default();
		for part in text.split(',').map(str::trim).filter(|part| !part.is_empty()) {
			let (key, value) =
				part.split_once('=').ok_or_else(|| SpecError::Syntax(part.to_owned()))?;
			let bad = |expected| SpecError::Value {
				key: key.to_owned(),
				value: value.to_owned(),
				expected,
			};
			let count = |max: usize, expected| {
				value
					.parse::<usize>()
					.ok()
					.filter(|n| (1..=max).contains(n))
					.ok_or_else(|| bad(expected))
			};
			let fraction = |max: f64, expected| {
				value
					.parse::<f64>()
					.ok()
					.filter(|x| (0.0..=max).contains(x))
					.ok_or_else(|| bad(expected))
			};
			match key.trim() {
				"miners" => {
					spec.miners = count(MAX_UIDS - 1, "a whole number of miners, 1 to 4095")?
				}
				"validators" => {
					spec.validators =
						count(MAX_UIDS - 1, "a whole number of validators, 1 to 4095")?
				}
				"turnover" => spec.turnover = fraction(1.0, "a probability in [0, 1]")?,
				"drift" => spec.drift = fraction(1.0, "a standard deviation in [0, 1]")?,
				"noise" => spec.noise = fraction(1.0, "a standard deviation in [0, 1]")?,
				"epochs" => {
					spec.epochs = count(MAX_EPOCHS, "a whole number of epochs, 1 to 100000")?
				}
				"tempo" => {
					spec.tempo = value
						.parse()
						.ok()
						.filter(|t| *t >= 2)
						.ok_or_else(|| bad("a whole number of blocks, at least 2"))?
				}
				"seed" => spec.seed = value.parse().map_err(|_| bad("a whole number"))?,
				other => return Err(SpecError::Key(other.to_owned())),
			}
		}
		if spec.miners + spec.validators > MAX_UIDS {
			return Err(SpecError::Value {
				key: "miners".into(),
				value: spec.miners.to_string(),
				expected: "miners + validators at most 4096",
			});
		}
		Ok(spec)
	}
}

impl fmt::Display for SyntheticSpec {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		write!(
			f,
			"miners={},validators={},turnover={},drift={},noise={},epochs={},tempo={},seed={}",
			self.miners,
			self.validators,
			self.turnover,
			self.drift,
			self.noise,
			self.epochs,
			self.tempo,
			self.seed
		)
	}
}

/// The history of a subnet run by `spec`'s rules (deterministic in its seed).
pub fn generate(spec: &SyntheticSpec) -> History {
	let mut rng = ChaCha20Rng::seed_from_u64(spec.seed);
	let n = spec.validators + spec.miners;
	let stakes: Vec<u64> = (0..n)
		.map(|uid| if uid < spec.validators { TOP_STAKE / (uid as u64 + 1) } else { 0 })
		.collect();
	let permits: Vec<bool> = (0..n).map(|uid| uid < spec.validators).collect();
	let mut quality: Vec<f64> = (0..spec.miners).map(|_| uniform(&mut rng)).collect();
	let mut registered_at = vec![0; n];
	let mut epochs = Vec::with_capacity(spec.epochs);
	for epoch in 0..spec.epochs as u64 {
		let block = (epoch + 1) * spec.tempo;
		for (miner, q) in quality.iter_mut().enumerate() {
			if epoch > 0 && uniform(&mut rng) < spec.turnover {
				*q = uniform(&mut rng);
				registered_at[spec.validators + miner] = block - spec.tempo + 1;
			} else {
				*q = (*q + spec.drift * standard_normal(&mut rng)).clamp(0.0, 1.0);
			}
		}
		let weights: Vec<Vec<(u16, u16)>> = (0..n)
			.map(|uid| {
				if uid >= spec.validators {
					return Vec::new();
				}
				let measured: Vec<f64> = quality
					.iter()
					.map(|q| {
						((q + spec.noise * standard_normal(&mut rng) - 1.0) / WEIGHT_TEMPERATURE)
							.exp()
					})
					.collect();
				let top = measured.iter().copied().fold(f64::MIN_POSITIVE, f64::max);
				measured
					.iter()
					.enumerate()
					.map(|(miner, w)| {
						(
							(spec.validators + miner) as u16,
							(w / top * f64::from(u16::MAX)).round() as u16,
						)
					})
					.collect()
			})
			.collect();
		let last_update = (0..n)
			.map(|uid| if uid < spec.validators { block - 1 } else { registered_at[uid] })
			.collect();
		epochs.push(EpochRecord {
			block,
			tempo: spec.tempo,
			stakes: stakes.clone(),
			permits: permits.clone(),
			registered_at: registered_at.clone(),
			last_update,
			weights,
		});
	}
	History { epochs }
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn specs_parse_with_defaults_and_refuse_bad_values() {
		let spec: SyntheticSpec =
			"miners=10, validators=3,turnover=0.5,seed=7".parse().expect("spec");
		assert_eq!(
			spec,
			SyntheticSpec {
				miners: 10,
				validators: 3,
				turnover: 0.5,
				seed: 7,
				..Default::default()
			}
		);
		assert_eq!(spec.to_string().parse::<SyntheticSpec>(), Ok(spec));
		assert_eq!("".parse::<SyntheticSpec>(), Ok(SyntheticSpec::default()));
		assert!(matches!("miners".parse::<SyntheticSpec>(), Err(SpecError::Syntax(_))));
		assert!(matches!("colour=red".parse::<SyntheticSpec>(), Err(SpecError::Key(_))));
		for bad in [
			"miners=0",
			"turnover=1.5",
			"noise=-0.1",
			"tempo=1",
			"epochs=x",
			"miners=4000,validators=200",
		] {
			assert!(matches!(bad.parse::<SyntheticSpec>(), Err(SpecError::Value { .. })), "{bad}");
		}
	}

	#[test]
	fn a_synthetic_history_is_valid_deterministic_and_turns_over() {
		let spec = SyntheticSpec {
			miners: 20,
			validators: 4,
			epochs: 30,
			turnover: 0.2,
			..Default::default()
		};
		let history = generate(&spec);
		history.check().expect("a valid history");
		assert_eq!(history.epochs.len(), 30);
		assert_eq!(history, generate(&spec), "the same seed, the same history");
		assert_ne!(history, generate(&SyntheticSpec { seed: 1, ..spec }));
		let last = history.epochs.last().expect("epochs");
		let replaced = last.registered_at.iter().filter(|at| **at > 0).count();
		assert!(replaced >= 15, "all but 0.8^29 of the miners replaced: {replaced}");
		let still = generate(&SyntheticSpec { turnover: 0.0, ..spec });
		assert!(still.epochs.iter().all(|e| e.registered_at.iter().all(|at| *at == 0)));
	}
}
