//! What a weight copier earns at each reveal interval, on a subnet's own history.
//!
//! Commit-reveal hides the weights in force for `r` tempos. A copier validator that sets no
//! weights of its own can only copy the consensus the chain revealed `r` epochs ago; the
//! history's honest validators keep the weights they set. [`advise`] adds such a copier to the
//! history, runs Yuma Consensus over it ([`galton_yuma`], the chain's arithmetic) and
//! compares the copier's dividend per stake with the median honest validator's:
//!
//! `G = (copier's dividend / its stake) / median over honest validators of (dividend / stake)`.
//!
//! With `G > 1` copying pays better than validating; with `1 - take < G <= 1` the copier earns
//! less than an honest validator (its nominators would leave) but more than it would nominating
//! one (which costs the validator's `take`); with `G <= 1 - take` copying does not pay.
//!
//! Two conventions: [`Mode::Chain`] is subtensor's epoch as it runs today, with the
//! hyperparameters given, and G averaged over the last epochs; [`Mode::Otf2024`] is the
//! Foundation's May 2024 study (consensus normalized before clipping, the original bonds with
//! a 0.9 moving average, G at the last epoch), to compare with its published figures.

use galton_yuma::{
	epoch::{self, EpochInput, EpochOutput},
	vector::{max_upscale_to_u16, padded},
	Hyperparameters, I32F32,
};

use crate::metagraph::{EpochRecord, History, HistoryError};

/// The emission per epoch in the runs (only shares matter).
const EMISSION: u64 = 1_000_000_000;

/// Whose conventions the runs follow (`--mode chain|otf-2024`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Mode {
	/// subtensor's epoch today, with the given hyperparameters; G averaged over the last epochs.
	Chain,
	/// The Foundation's May 2024 study; G at the last epoch.
	#[value(name = "otf-2024")]
	Otf2024,
}

/// The copier's stake.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum CopierStake {
	/// The median stake of the epoch's permitted validators with stake.
	MedianValidator,
	/// This fraction of the epoch's total stake, the copier's included (in `(0, 1)`).
	Fraction(f64),
}

/// How the copier and the runs are set up.
#[derive(Clone, Debug, PartialEq)]
pub struct CopierSettings {
	/// The subnet's hyperparameters (the mode may override some; `tempo` comes from the
	/// history).
	pub params: Hyperparameters,
	/// Whose conventions.
	pub mode: Mode,
	/// The copier's stake.
	pub stake: CopierStake,
	/// How many of the last epochs G is averaged over in [`Mode::Chain`].
	pub average_over: usize,
}

impl CopierSettings {
	/// The hyperparameters the runs use: the study's conventions in [`Mode::Otf2024`].
	fn effective_params(&self) -> Hyperparameters {
		match self.mode {
			Mode::Chain => self.params.clone(),
			Mode::Otf2024 => Hyperparameters {
				bonds_moving_average: 900_000,
				yuma3: false,
				liquid_alpha: None,
				normalize_consensus: true,
				..self.params.clone()
			},
		}
	}
}

/// Why the advice could not be worked out.
#[derive(Debug, thiserror::Error)]
pub enum AdviceError {
	/// The history is not usable.
	#[error(transparent)]
	History(#[from] HistoryError),
	/// The copier's stake fraction is not in `(0, 1)`.
	#[error("the copier's stake fraction must be in (0, 1), not {0}")]
	Fraction(f64),
	/// Nothing to average over.
	#[error("G is averaged over at least one epoch")]
	Average,
	/// The validator take is not in `[0, 1)`.
	#[error("the validator take must be in [0, 1), not {0}")]
	Take(f64),
	/// The history has more uids than leave room for the copier.
	#[error("the history fills every uid; the copier needs one more")]
	NoRoom,
}

/// The copier's gain per epoch for one interval.
struct CopierRun {
	/// The reveal interval, in tempos.
	interval: u32,
	/// G at each epoch (`None` where the copier or the median honest validator earned nothing).
	gain: Vec<Option<f64>>,
}

impl CopierRun {
	/// G at the last epoch.
	fn last(&self) -> Option<f64> {
		self.gain.last().copied().flatten()
	}

	/// The mean of G over the last `epochs` epochs where it is defined.
	fn mean_of_last(&self, epochs: usize) -> Option<f64> {
		let values: Vec<f64> = self.gain.iter().rev().take(epochs).flatten().copied().collect();
		(!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
	}
}

/// One epoch of the history as the runs' input, the copier at uid `n - 1` (its weights and
/// last update left to each run).
struct Prepared {
	block: u64,
	tempo: u64,
	stakes: Vec<u64>,
	permits: Vec<bool>,
	last_update: Vec<u64>,
	registered_at: Vec<u64>,
	weights: Vec<Vec<(u16, u16)>>,
}

/// The history prepared for the runs.
struct Replay {
	params: Hyperparameters,
	/// The uids of the runs: the history's most, and the copier.
	n: usize,
	epochs: Vec<Prepared>,
}

/// What one run carries from epoch to epoch, and the buffers it reuses.
struct Run {
	bonds: Vec<Vec<(u16, u16)>>,
	last_step: u64,
	weights: Vec<Vec<(u16, u16)>>,
	last_update: Vec<u64>,
}

impl Replay {
	fn new(history: &History, settings: &CopierSettings) -> Result<Self, AdviceError> {
		history.check()?;
		if let CopierStake::Fraction(f) = settings.stake {
			if !(f > 0.0 && f < 1.0) {
				return Err(AdviceError::Fraction(f));
			}
		}
		if settings.average_over == 0 {
			return Err(AdviceError::Average);
		}
		let n = history.max_uids() + 1;
		if n > usize::from(u16::MAX) {
			return Err(AdviceError::NoRoom);
		}
		let epochs = history
			.epochs
			.iter()
			.map(|record| {
				let mut stakes = padded(&record.stakes, n);
				stakes[n - 1] = copier_stake(record, settings.stake);
				let mut permits = padded(&record.permits, n);
				permits[n - 1] = true;
				Prepared {
					block: record.block,
					tempo: record.tempo,
					stakes,
					permits,
					last_update: padded(&record.last_update, n),
					registered_at: padded(&record.registered_at, n),
					weights: (0..n)
						.map(|uid| record.weights.get(uid).cloned().unwrap_or_default())
						.collect(),
				}
			})
			.collect();
		Ok(Self { params: settings.effective_params(), n, epochs })
	}

	fn copier(&self) -> usize {
		self.n - 1
	}

	fn start(&self) -> Run {
		Run {
			bonds: vec![Vec::new(); self.n],
			last_step: 0,
			weights: vec![Vec::new(); self.n],
			last_update: vec![0; self.n],
		}
	}

	/// The consensus of every epoch, the copier (without stake) setting no weights.
	fn consensus(&self) -> Vec<Vec<I32F32>> {
		let mut run = self.start();
		self.epochs.iter().map(|epoch| self.epoch(&mut run, epoch, None, false).consensus).collect()
	}

	/// G at every epoch with the copier weighing `consensus[t - interval]` at epoch `t`.
	fn copier_gain(&self, consensus: &[Vec<I32F32>], interval: u32) -> CopierRun {
		let mut run = self.start();
		let gain = self
			.epochs
			.iter()
			.enumerate()
			.map(|(t, epoch)| {
				let copied =
					t.checked_sub(interval as usize).and_then(|source| consensus.get(source));
				self.gain(&self.epoch(&mut run, epoch, copied, true))
			})
			.collect();
		CopierRun { interval, gain }
	}

	/// One epoch, the copier weighing `copied` (if anything), with its stake if `staked`.
	fn epoch(
		&self,
		run: &mut Run,
		epoch: &Prepared,
		copied: Option<&Vec<I32F32>>,
		staked: bool,
	) -> EpochOutput {
		let copier = self.copier();
		for (row, source) in run.weights.iter_mut().zip(&epoch.weights) {
			row.clone_from(source);
		}
		run.last_update.clone_from(&epoch.last_update);
		if let Some(consensus) = copied {
			let values = max_upscale_to_u16(consensus);
			let row = &mut run.weights[copier];
			row.extend(
				values.iter().enumerate().filter(|(_, v)| **v > 0).map(|(j, v)| (j as u16, *v)),
			);
			run.last_update[copier] = epoch.block.saturating_sub(1);
		}
		// A uid registered since the last epoch took the place of another: it starts without
		// the bonds the other held.
		for (row, registered) in run.bonds.iter_mut().zip(&epoch.registered_at) {
			if *registered > run.last_step {
				row.clear();
			}
		}
		let unstaked;
		let stakes = if staked {
			&epoch.stakes
		} else {
			unstaked = {
				let mut stakes = epoch.stakes.clone();
				stakes[copier] = 0;
				stakes
			};
			&unstaked
		};
		let input = EpochInput {
			block: epoch.block,
			last_step: run.last_step,
			stake: stakes,
			validator_permit: &epoch.permits,
			last_update: &run.last_update,
			registered_at: &epoch.registered_at,
			weights: &run.weights,
			bonds: &run.bonds,
			owner: None,
		};
		let params = Hyperparameters { tempo: epoch.tempo, ..self.params.clone() };
		let output = epoch::run(&params, &input, self.n, EMISSION);
		run.bonds.clone_from(&output.bonds);
		run.last_step = epoch.block;
		output
	}

	/// G for one epoch's output.
	fn gain(&self, output: &EpochOutput) -> Option<f64> {
		let per_stake = |uid: usize| {
			let stake = output.stake[uid].to_num::<f64>();
			(stake > 0.0).then(|| output.dividends[uid].to_num::<f64>() / stake)
		};
		let copier = per_stake(self.copier())?;
		let mut honest: Vec<f64> = (0..self.copier())
			.filter(|uid| output.active_stake[*uid] > I32F32::from_num(0))
			.filter_map(per_stake)
			.collect();
		if honest.is_empty() {
			return None;
		}
		honest.sort_by(f64::total_cmp);
		let middle = honest.len() / 2;
		let median = if honest.len().is_multiple_of(2) {
			(honest[middle - 1] + honest[middle]) / 2.0
		} else {
			honest[middle]
		};
		(median > 0.0).then(|| copier / median)
	}
}

/// The copier's stake in `record`'s epoch.
fn copier_stake(record: &EpochRecord, stake: CopierStake) -> u64 {
	match stake {
		CopierStake::MedianValidator => {
			let mut stakes: Vec<u64> = record
				.stakes
				.iter()
				.zip(&record.permits)
				.filter(|(s, p)| **p && **s > 0)
				.map(|(s, _)| *s)
				.collect();
			stakes.sort_unstable();
			stakes.get(stakes.len().saturating_sub(1) / 2).copied().unwrap_or(1)
		}
		CopierStake::Fraction(f) => {
			let total: f64 = record.stakes.iter().map(|s| *s as f64).sum();
			((f / (1.0 - f)) * total).round().max(1.0) as u64
		}
	}
}

/// What copying earns relative to validating, for a validator taking `take` of its
/// nominators' dividends.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Regime {
	/// `G > 1`: copying pays better than validating.
	CopyingPays,
	/// `1 - take < G <= 1`: the copier earns less than an honest validator, so its nominators
	/// leave, but more than it would nominating one.
	LosesNominators,
	/// `G <= 1 - take`: copying does not pay.
	DoesNotPay,
}

impl Regime {
	/// The regime of a gain `g`.
	pub fn of(g: f64, take: f64) -> Self {
		if g > 1.0 {
			Self::CopyingPays
		} else if g > 1.0 - take {
			Self::LosesNominators
		} else {
			Self::DoesNotPay
		}
	}

	/// In words.
	pub fn describe(self) -> &'static str {
		match self {
			Self::CopyingPays => "copying pays",
			Self::LosesNominators => "copier loses its nominators, still beats nominating",
			Self::DoesNotPay => "copying does not pay",
		}
	}
}

/// The copier's gain at one interval.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct IntervalGain {
	/// The reveal interval, in tempos (0: no commit-reveal).
	pub interval: u32,
	/// G at the last epoch.
	pub last: Option<f64>,
	/// G averaged over the last epochs.
	pub mean: Option<f64>,
	/// The G the advice goes by: the mean in [`Mode::Chain`], the last in [`Mode::Otf2024`].
	pub gain: Option<f64>,
	/// Its regime.
	pub regime: Option<Regime>,
}

/// What the owner should set.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum Recommendation {
	/// The smallest interval at which copying does not pay, or failing that the smallest at
	/// which the copier earns less than an honest validator.
	Interval {
		/// In tempos.
		interval: u32,
		/// Its regime.
		regime: Regime,
		/// The blocks to add to the immunity period: miners are judged that much later.
		immunity_increase_blocks: u64,
	},
	/// Every interval tried leaves copying paying.
	NoIntervalHelps,
}

/// The advice for a history.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct Advice {
	/// G per interval tried, in increasing order.
	pub intervals: Vec<IntervalGain>,
	/// The recommendation.
	pub recommendation: Recommendation,
}

/// G for each of `intervals` on `history`, with the regimes for a validator `take`, and the
/// recommendation. `done` is called as each interval's run ends (from worker threads).
pub fn advise(
	history: &History,
	settings: &CopierSettings,
	intervals: &[u32],
	take: f64,
	done: &(dyn Fn(u32) + Sync),
) -> Result<Advice, AdviceError> {
	use rayon::prelude::*;
	if !(0.0..1.0).contains(&take) {
		return Err(AdviceError::Take(take));
	}
	let replay = Replay::new(history, settings)?;
	let consensus = replay.consensus();
	let mut intervals: Vec<u32> = intervals.to_vec();
	intervals.sort_unstable();
	intervals.dedup();
	let runs: Vec<CopierRun> = intervals
		.par_iter()
		.map(|&interval| {
			let run = replay.copier_gain(&consensus, interval);
			done(interval);
			run
		})
		.collect();
	let gains: Vec<IntervalGain> = runs
		.iter()
		.map(|run| {
			let (last, mean) = (run.last(), run.mean_of_last(settings.average_over));
			let gain = match settings.mode {
				Mode::Chain => mean,
				Mode::Otf2024 => last,
			};
			IntervalGain {
				interval: run.interval,
				last,
				mean,
				gain,
				regime: gain.map(|g| Regime::of(g, take)),
			}
		})
		.collect();
	let tempo = history.epochs.last().map_or(0, |e| e.tempo);
	let first =
		|wanted: &[Regime]| gains.iter().find(|g| g.regime.is_some_and(|r| wanted.contains(&r)));
	let recommendation = first(&[Regime::DoesNotPay])
		.or_else(|| first(&[Regime::DoesNotPay, Regime::LosesNominators]))
		.and_then(|g| {
			Some(Recommendation::Interval {
				interval: g.interval,
				regime: g.regime?,
				immunity_increase_blocks: u64::from(g.interval) * tempo,
			})
		})
		.unwrap_or(Recommendation::NoIntervalHelps);
	Ok(Advice { intervals: gains, recommendation })
}
