//! A competition run forward in time with the validators' own scoring: what a subnet owner's
//! epsilon schedule does to the models miners submit.
//!
//! Each [`Submission`] is a model committed at a block, as good as a given mean loss, a given
//! relative improvement over the best model submitted before it, or a copy that gives exactly
//! the losses of an earlier one. Every `round_every` blocks a round scores every model
//! submitted so far on `batches` fresh batches with [`scoring::round_weights`], the function
//! validators run, so the schedule, temperature and moving average act as they do on the chain.
//!
//! Assumptions, so that the figures are read for what they are:
//! - a model's loss on a batch is `mean * (1 + noise * z)`, `z` standard normal, drawn afresh
//!   for every model, batch and round (seeded). What every model shares on a batch, its
//!   difficulty, scales all losses alike and cancels in every comparison, so `noise` is the
//!   part of the spread that is the model's own;
//! - a copy ([`Quality::CopyOf`]) has the same `z` as its original on every batch: it gives the
//!   same losses, as a model with the same weights does. The model registry refuses a second
//!   claim on the same content hash, but a copier who changes one byte of the file gets a new
//!   hash and the same losses, and only epsilon stands against that;
//! - every submission is its own miner (its own uid and hotkey), and stays for the whole run;
//! - all validators agree (one validator's weights are the competition's rewards).

use std::collections::BTreeMap;

use galton_primitives::{EpsilonSchedule, Uid};
use rand_chacha::ChaCha20Rng;
use rand_core::{Rng, SeedableRng};

use crate::scoring::{self, Contender, Neuron, RoundSettings};

/// How good a submitted model is.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Quality {
	/// Its mean loss per batch (positive, finite).
	Loss(f64),
	/// Its improvement over the best model submitted before it, as a fraction of that model's
	/// mean loss (in `[0, 1)`): `mean = best * (1 - improvement)`.
	Improvement(f64),
	/// A copy of submission `index` (an earlier one): the same loss on every batch.
	CopyOf(usize),
}

/// A model committed at `block`.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Submission {
	/// The block of its commitment (what the epsilon advantage counts from).
	pub block: u64,
	/// How good it is.
	pub quality: Quality,
}

/// How the competition is scored and for how long it runs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Settings {
	/// The competition's epsilon schedule.
	pub schedule: EpsilonSchedule,
	/// Batches each model is scored on per round.
	pub batches: usize,
	/// Blocks between rounds; rounds run at every multiple of it up to `horizon`.
	pub round_every: u64,
	/// The last block simulated.
	pub horizon: u64,
	/// Softmax temperature of the win rates.
	pub temperature: f64,
	/// Weight of the previous round in the moving average.
	pub alpha: f64,
	/// Spread of a model's per-batch loss, relative to its mean (0: every batch gives the mean).
	pub noise: f64,
	/// Seed of the loss draws.
	pub seed: u64,
}

/// Why a simulation cannot run.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum SimulationError {
	/// There is nothing to score.
	#[error("no submissions")]
	NoSubmissions,
	/// More submissions than a subnet has uids.
	#[error("{0} submissions: at most 65,536 (one uid each)")]
	TooManySubmissions(usize),
	/// Submissions must come in block order.
	#[error("submission {0} is at an earlier block than the one before it")]
	OutOfOrder(usize),
	/// A loss that is not positive and finite.
	#[error("submission {0}: a mean loss must be positive and finite")]
	BadLoss(usize),
	/// An improvement outside `[0, 1)`.
	#[error("submission {0}: an improvement must be at least 0 and below 1")]
	BadImprovement(usize),
	/// An improvement with no earlier model to improve on.
	#[error("submission {0} is an improvement, but no model comes before it")]
	NoBaseline(usize),
	/// A copy of itself or of a later submission.
	#[error("submission {index} copies submission {of}, which is not an earlier one")]
	CopyOfLater {
		/// The copy.
		index: usize,
		/// What it names.
		of: usize,
	},
	/// The schedule breaks its own rules.
	#[error("the epsilon schedule is invalid: {0:?}")]
	Schedule(galton_primitives::ScheduleError),
	/// Zero batches per round.
	#[error("a round needs at least one batch")]
	NoBatches,
	/// Zero blocks between rounds.
	#[error("rounds must be at least one block apart")]
	ZeroRoundInterval,
	/// A temperature that is not positive and finite.
	#[error("the temperature must be positive and finite")]
	BadTemperature,
	/// A moving-average weight outside `[0, 1]`.
	#[error("alpha must be between 0 and 1")]
	BadAlpha,
	/// A noise that is negative or not finite.
	#[error("the noise must be at least 0 and finite")]
	BadNoise,
}

/// What became of one submission.
#[derive(Clone, Debug, PartialEq)]
pub struct Outcome {
	/// Its block.
	pub block: u64,
	/// Its mean loss per batch.
	pub mean_loss: f64,
	/// The first round in which its smoothed weight was strictly the largest, if any.
	pub first_top: Option<u64>,
	/// Its share of the competition's rewards over the rounds from its block to the horizon
	/// (the mean of its smoothed weight over those rounds; 0 if none ran).
	pub reward_share: f64,
}

/// A finished simulation.
#[derive(Clone, Debug, PartialEq)]
pub struct Simulation {
	/// The blocks of the rounds that ran.
	pub rounds: Vec<u64>,
	/// Each submission's outcome, in submission order.
	pub outcomes: Vec<Outcome>,
	/// Each round's smoothed weights, by submission (0 before a model is submitted).
	pub weights: Vec<Vec<f64>>,
}

/// Run the competition from block 0 to `settings.horizon`.
pub fn simulate(
	submissions: &[Submission],
	settings: &Settings,
) -> Result<Simulation, SimulationError> {
	check(settings)?;
	let means = mean_losses(submissions)?;
	// Whose loss draws each submission uses: its own, or its original's.
	let draws_of: Vec<usize> = submissions
		.iter()
		.enumerate()
		.map(|(i, s)| match s.quality {
			Quality::CopyOf(of) => of,
			_ => i,
		})
		.collect();
	let hotkey = |i: usize| {
		let mut key = [0u8; 32];
		key[..8].copy_from_slice(&(i as u64).to_le_bytes());
		key
	};
	let round_settings = |now| RoundSettings {
		schedule: &settings.schedule,
		now,
		temperature: settings.temperature,
		alpha: settings.alpha,
	};

	let mut rng = ChaCha20Rng::seed_from_u64(settings.seed);
	let n = submissions.len();
	let mut rounds = Vec::new();
	let mut history: Vec<Vec<f64>> = Vec::new();
	let mut first_top = vec![None; n];
	let mut previous: Option<BTreeMap<Neuron, f64>> = None;
	let mut z = vec![0.0; settings.batches];
	for now in (0..=settings.horizon).step_by(settings.round_every as usize) {
		let present = submissions.partition_point(|s| s.block <= now);
		if present == 0 {
			continue;
		}
		// Draws for the originals among those present; copies take their original's.
		let mut draws: Vec<Option<Vec<f64>>> = vec![None; present];
		for i in (0..present).filter(|&i| draws_of[i] == i) {
			if settings.noise > 0.0 {
				z.iter_mut().for_each(|x| *x = standard_normal(&mut rng));
			}
			draws[i] = Some(z.iter().map(|x| means[i] * (1.0 + settings.noise * x)).collect());
		}
		let contenders: BTreeMap<Uid, ([u8; 32], Contender)> = (0..present)
			.filter_map(|i| {
				let losses = draws[draws_of[i]].clone()?;
				Some((
					i as Uid,
					(hotkey(i), Contender { commit_block: submissions[i].block, losses }),
				))
			})
			.collect();
		let smoothed = scoring::round_weights(&contenders, previous.as_ref(), round_settings(now));
		let mut row = vec![0.0; n];
		for ((uid, _), w) in &smoothed {
			row[usize::from(*uid)] = *w;
		}
		if let Some(top) = strict_max(&row[..present]) {
			first_top[top].get_or_insert(now);
		}
		rounds.push(now);
		history.push(row);
		previous = Some(smoothed);
	}

	let outcomes = submissions
		.iter()
		.enumerate()
		.map(|(i, s)| {
			let own: Vec<f64> = rounds
				.iter()
				.zip(&history)
				.filter(|(now, _)| **now >= s.block)
				.map(|(_, row)| row[i])
				.collect();
			let reward_share =
				if own.is_empty() { 0.0 } else { own.iter().sum::<f64>() / own.len() as f64 };
			Outcome { block: s.block, mean_loss: means[i], first_top: first_top[i], reward_share }
		})
		.collect();
	Ok(Simulation { rounds, outcomes, weights: history })
}

fn check(settings: &Settings) -> Result<(), SimulationError> {
	settings.schedule.validate().map_err(SimulationError::Schedule)?;
	if settings.batches == 0 {
		return Err(SimulationError::NoBatches);
	}
	if settings.round_every == 0 || usize::try_from(settings.round_every).is_err() {
		return Err(SimulationError::ZeroRoundInterval);
	}
	if !(settings.temperature.is_finite() && settings.temperature > 0.0) {
		return Err(SimulationError::BadTemperature);
	}
	if !(0.0..=1.0).contains(&settings.alpha) {
		return Err(SimulationError::BadAlpha);
	}
	if !(settings.noise.is_finite() && settings.noise >= 0.0) {
		return Err(SimulationError::BadNoise);
	}
	Ok(())
}

/// Each submission's mean loss, checking the submissions on the way.
fn mean_losses(submissions: &[Submission]) -> Result<Vec<f64>, SimulationError> {
	if submissions.is_empty() {
		return Err(SimulationError::NoSubmissions);
	}
	if submissions.len() > usize::from(Uid::MAX) + 1 {
		return Err(SimulationError::TooManySubmissions(submissions.len()));
	}
	let mut means: Vec<f64> = Vec::with_capacity(submissions.len());
	let mut best = f64::INFINITY;
	for (i, s) in submissions.iter().enumerate() {
		if i > 0 && s.block < submissions[i - 1].block {
			return Err(SimulationError::OutOfOrder(i));
		}
		let mean = match s.quality {
			Quality::Loss(loss) if loss.is_finite() && loss > 0.0 => loss,
			Quality::Loss(_) => return Err(SimulationError::BadLoss(i)),
			Quality::Improvement(delta) if !(0.0..1.0).contains(&delta) => {
				return Err(SimulationError::BadImprovement(i))
			}
			Quality::Improvement(_) if i == 0 => return Err(SimulationError::NoBaseline(i)),
			Quality::Improvement(delta) => best * (1.0 - delta),
			Quality::CopyOf(of) => {
				*means.get(of).ok_or(SimulationError::CopyOfLater { index: i, of })?
			}
		};
		best = best.min(mean);
		means.push(mean);
	}
	Ok(means)
}

/// The index of the strictly largest value, if one is.
fn strict_max(values: &[f64]) -> Option<usize> {
	let (top, &max) = values.iter().enumerate().max_by(|a, b| a.1.total_cmp(b.1))?;
	(values.iter().filter(|&&v| v == max).count() == 1).then_some(top)
}

/// A uniform draw from `[0, 1)`, with 53 random bits.
pub(crate) fn uniform(rng: &mut ChaCha20Rng) -> f64 {
	(rng.next_u64() >> 11) as f64 / (1u64 << 53) as f64
}

/// A standard normal draw (Box-Muller on two uniform draws).
pub(crate) fn standard_normal(rng: &mut ChaCha20Rng) -> f64 {
	let (u1, u2) = (1.0 - uniform(rng), uniform(rng));
	(-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
}

#[cfg(test)]
mod tests {
	use super::*;
	use sp_arithmetic::Perbill;

	fn settings(horizon: u64) -> Settings {
		Settings {
			schedule: EpsilonSchedule::Fixed { epsilon: Perbill::from_parts(1_000_000) },
			batches: 8,
			round_every: 10,
			horizon,
			temperature: 0.01,
			alpha: 0.5,
			noise: 0.01,
			seed: 3,
		}
	}

	fn at(block: u64, quality: Quality) -> Submission {
		Submission { block, quality }
	}

	#[test]
	fn rounds_score_what_has_been_submitted_and_weights_sum_to_one() {
		let run = simulate(
			&[
				at(15, Quality::Loss(3.0)),
				at(40, Quality::Improvement(0.05)),
				at(40, Quality::CopyOf(0)),
			],
			&settings(100),
		)
		.expect("runs");
		assert_eq!(run.rounds, vec![20, 30, 40, 50, 60, 70, 80, 90, 100], "none before block 15");
		assert_eq!(run.weights[0], vec![1.0, 0.0, 0.0], "alone at first");
		for row in &run.weights {
			assert!((row.iter().sum::<f64>() - 1.0).abs() < 1e-9, "{row:?}");
		}
		assert_eq!(run.outcomes[0].first_top, Some(20));
		// It wins round 40 outright; with alpha 0.5 its average passes the incumbent's a round later.
		assert_eq!(run.outcomes[1].first_top, Some(50));
		assert_eq!(run.outcomes[1].mean_loss, 3.0 * 0.95);
		assert_eq!(run.outcomes[2].mean_loss, 3.0);
		assert_eq!(run.outcomes[2].first_top, None);
		assert!(run.outcomes[2].reward_share < 1e-12, "the copy loses every batch");
		// Its average climbs 0.5, 0.75, 0.875, ... over its seven rounds.
		assert!(run.outcomes[1].reward_share > 0.85, "{}", run.outcomes[1].reward_share);
	}

	#[test]
	fn the_same_seed_gives_the_same_run_and_another_seed_another() {
		let submissions = [at(0, Quality::Loss(3.0)), at(10, Quality::Improvement(0.001))];
		let a = simulate(&submissions, &settings(2_000)).expect("runs");
		assert_eq!(a, simulate(&submissions, &settings(2_000)).expect("runs"));
		let b = simulate(&submissions, &Settings { seed: 4, ..settings(2_000) }).expect("runs");
		assert_ne!(a.weights, b.weights);
	}

	#[test]
	fn bad_submissions_are_refused() {
		let s = settings(100);
		let refused = |subs: &[Submission]| simulate(subs, &s).expect_err("refused");
		assert_eq!(refused(&[]), SimulationError::NoSubmissions);
		assert_eq!(refused(&[at(0, Quality::Improvement(0.1))]), SimulationError::NoBaseline(0));
		assert_eq!(refused(&[at(0, Quality::Loss(f64::NAN))]), SimulationError::BadLoss(0));
		assert_eq!(refused(&[at(0, Quality::Loss(-1.0))]), SimulationError::BadLoss(0));
		assert_eq!(
			refused(&[at(0, Quality::Loss(3.0)), at(1, Quality::Improvement(-0.1))]),
			SimulationError::BadImprovement(1)
		);
		assert_eq!(
			refused(&[at(5, Quality::Loss(3.0)), at(1, Quality::Loss(3.0))]),
			SimulationError::OutOfOrder(1)
		);
		assert_eq!(
			refused(&[at(0, Quality::CopyOf(0))]),
			SimulationError::CopyOfLater { index: 0, of: 0 }
		);
		let many = vec![at(0, Quality::Loss(3.0)); 65_537];
		assert_eq!(refused(&many), SimulationError::TooManySubmissions(65_537));
	}
}
