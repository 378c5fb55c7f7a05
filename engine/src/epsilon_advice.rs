//! What an epsilon schedule means for miners, read off the [`simulation`](crate::simulation):
//! how long a better model waits for the top, the smallest improvement that ever gets there,
//! and what a copy of the leader earns.
//!
//! Every figure comes from a duel: an incumbent committed at block 0 and a challenger
//! `after` blocks later, scored as validators score them. Losses are relative (only ratios
//! enter the scoring), so the incumbent's loss is an arbitrary [`INCUMBENT_LOSS`].

use galton_primitives::EpsilonSchedule;

use crate::simulation::{simulate, Outcome, Quality, Settings, SimulationError, Submission};

/// The incumbent's mean loss in every duel (any positive value gives the same results).
pub const INCUMBENT_LOSS: f64 = 3.0;

/// The largest improvement [`smallest_winning_improvement`] tries.
pub const LARGEST_IMPROVEMENT: f64 = 0.5;

/// A duel's competition and the challenger's timing.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Scenario {
	/// The competition: its schedule, rounds, scoring, noise and horizon (from the
	/// incumbent's commitment at block 0); `seed` is the first run's.
	pub competition: Settings,
	/// Blocks from the incumbent's commitment to the challenger's.
	pub after: u64,
	/// Runs with different seeds when there is noise (one when there is none); a time is the
	/// median of the runs, a reward the mean. Run `k` uses `seed + k`.
	pub trials: u32,
}

impl Scenario {
	fn trials(&self) -> u32 {
		if self.competition.noise > 0.0 {
			self.trials.max(1)
		} else {
			1
		}
	}

	/// The challenger's outcome in each run.
	fn duel(&self, challenger: Quality) -> Result<Vec<Outcome>, SimulationError> {
		let submissions = [
			Submission { block: 0, quality: Quality::Loss(INCUMBENT_LOSS) },
			Submission { block: self.after, quality: challenger },
		];
		(0..self.trials())
			.map(|trial| {
				let seed = self.competition.seed.wrapping_add(u64::from(trial));
				let mut run = simulate(&submissions, &Settings { seed, ..self.competition })?;
				Ok(run.outcomes.swap_remove(1))
			})
			.collect()
	}
}

/// Blocks from the challenger's commitment to its first round at the top, for a challenger
/// `improvement` better than the incumbent: the median over the runs, `None` when it stays
/// below the top within the horizon in at least half of them.
pub fn time_to_top(improvement: f64, scenario: &Scenario) -> Result<Option<u64>, SimulationError> {
	let mut times: Vec<Option<u64>> = scenario
		.duel(Quality::Improvement(improvement))?
		.into_iter()
		.map(|o| o.first_top.map(|top| top - o.block))
		.collect();
	// Never reaching the top counts as the longest time.
	times.sort_by_key(|time| (time.is_none(), *time));
	Ok(times[(times.len() - 1) / 2])
}

/// The smallest improvement that reaches the top within the horizon, to within `resolution`
/// (found by bisection, so it assumes that a larger improvement never does worse), or `None`
/// when even [`LARGEST_IMPROVEMENT`] does not.
pub fn smallest_winning_improvement(
	scenario: &Scenario,
	resolution: f64,
) -> Result<Option<f64>, SimulationError> {
	let wins = |delta: f64| Ok::<_, SimulationError>(time_to_top(delta, scenario)?.is_some());
	if !wins(LARGEST_IMPROVEMENT)? {
		return Ok(None);
	}
	if wins(0.0)? {
		return Ok(Some(0.0));
	}
	let (mut lo, mut hi) = (0.0, LARGEST_IMPROVEMENT);
	while hi - lo > resolution.max(f64::EPSILON) {
		let mid = (lo + hi) / 2.0;
		if wins(mid)? {
			hi = mid;
		} else {
			lo = mid;
		}
	}
	Ok(Some(hi))
}

/// The share of the rewards a copy of the incumbent earns from its commitment to the horizon
/// (the mean over the runs): a byte-for-byte copy (the same losses) when `improvement` is 0,
/// else a marginal copy that is `improvement` better.
pub fn copy_reward(improvement: f64, scenario: &Scenario) -> Result<f64, SimulationError> {
	let copy =
		if improvement == 0.0 { Quality::CopyOf(0) } else { Quality::Improvement(improvement) };
	let outcomes = scenario.duel(copy)?;
	Ok(outcomes.iter().map(|o| o.reward_share).sum::<f64>() / outcomes.len() as f64)
}

/// The advisor's figures for one schedule.
#[derive(Clone, Debug, PartialEq)]
pub struct Advice {
	/// The schedule.
	pub schedule: EpsilonSchedule,
	/// Each improvement asked about, with its [`time_to_top`].
	pub time_to_top: Vec<(f64, Option<u64>)>,
	/// [`smallest_winning_improvement`].
	pub smallest_winning_improvement: Option<f64>,
	/// [`copy_reward`] of a byte-for-byte copy.
	pub exact_copy_reward: f64,
	/// [`copy_reward`] of a copy `marginal` better.
	pub marginal_copy_reward: f64,
}

/// Every figure for the scenario's schedule: the time to the top of each of `improvements`,
/// the smallest winning improvement (to a thousandth of the smallest non-zero one asked about,
/// or 1e-7), and the rewards of an exact copy and of one `marginal` better.
pub fn advise(
	improvements: &[f64],
	marginal: f64,
	scenario: &Scenario,
) -> Result<Advice, SimulationError> {
	let time_to_top = improvements
		.iter()
		.map(|&delta| Ok((delta, time_to_top(delta, scenario)?)))
		.collect::<Result<_, SimulationError>>()?;
	let finest = improvements.iter().copied().filter(|d| *d > 0.0).fold(f64::INFINITY, f64::min);
	let resolution = if finest.is_finite() { finest / 1000.0 } else { 1e-7 };
	Ok(Advice {
		schedule: scenario.competition.schedule,
		time_to_top,
		smallest_winning_improvement: smallest_winning_improvement(scenario, resolution)?,
		exact_copy_reward: copy_reward(0.0, scenario)?,
		marginal_copy_reward: copy_reward(marginal, scenario)?,
	})
}

#[cfg(test)]
mod tests {
	use super::*;
	use sp_arithmetic::Perbill;

	fn part(fraction: f64) -> Perbill {
		Perbill::from_parts((fraction * 1e9).round() as u32)
	}

	/// Noise-free, no moving average, a round every block: the closed forms hold to the block.
	fn exact(schedule: EpsilonSchedule, horizon: u64) -> Scenario {
		let competition = Settings {
			schedule,
			batches: 4,
			round_every: 1,
			horizon,
			temperature: 0.01,
			alpha: 0.0,
			noise: 0.0,
			seed: 0,
		};
		Scenario { competition, after: 1, trials: 1 }
	}

	fn fixed(epsilon: f64) -> EpsilonSchedule {
		EpsilonSchedule::Fixed { epsilon: part(epsilon) }
	}

	#[test]
	fn a_fixed_epsilon_lets_through_only_what_beats_it() {
		let scenario = exact(fixed(0.001), 2_000);
		assert_eq!(time_to_top(0.0011, &scenario), Ok(Some(0)), "above: at once");
		for delta in [0.001, 0.0009, 0.0001, 0.0] {
			assert_eq!(time_to_top(delta, &scenario), Ok(None), "{delta} never");
		}
		let smallest = smallest_winning_improvement(&scenario, 1e-7)
			.expect("runs")
			.expect("some improvement wins");
		assert!((0.001..=0.001 + 1e-7).contains(&smallest), "{smallest}");
	}

	#[test]
	fn a_linear_decay_lets_the_incumbent_go_when_its_epsilon_falls_below_the_improvement() {
		let (start, end, decay) = (0.005, 0.0001, 1_440u32);
		let schedule =
			EpsilonSchedule::Linear { start: part(start), end: part(end), decay_blocks: decay };
		let scenario = exact(schedule, 3_000);
		for delta in [0.004, 0.002, 0.0005, 0.00015] {
			let age = f64::from(decay) * (start - delta) / (start - end);
			let top = time_to_top(delta, &scenario).expect("runs").expect("wins");
			let incumbent_age = (top + scenario.after) as f64;
			assert!(
				(incumbent_age - age).abs() <= 1.0,
				"{delta}: at age {incumbent_age}, formula {age}"
			);
		}
		for delta in [0.0001, 0.00005] {
			assert_eq!(time_to_top(delta, &scenario), Ok(None), "{delta} <= end");
		}
	}

	#[test]
	fn an_exponential_decay_lets_the_incumbent_go_after_whole_periods() {
		let (start, retain, period, floor) = (0.004, 0.995, 10u32, 0.001);
		let schedule = EpsilonSchedule::Exponential {
			start: part(start),
			retain: part(retain),
			period_blocks: period,
			floor: part(floor),
		};
		let scenario = exact(schedule, 5_000);
		for delta in [0.0039, 0.003, 0.0015] {
			let periods = (0..).find(|&k| retain.powi(k) * start < delta).expect("decays");
			let top = time_to_top(delta, &scenario).expect("runs").expect("wins");
			assert_eq!(top + scenario.after, u64::from(period) * periods as u64, "{delta}");
		}
		for delta in [0.001, 0.0005] {
			assert_eq!(time_to_top(delta, &scenario), Ok(None), "{delta} <= floor");
		}
	}

	#[test]
	fn copies_earn_nothing_against_an_epsilon_and_half_without_one() {
		let smoothed = |schedule| {
			let mut scenario = exact(schedule, 600);
			scenario.competition.alpha = 0.5;
			scenario
		};
		let with_epsilon = smoothed(fixed(0.001));
		assert!(copy_reward(0.0, &with_epsilon).expect("runs") < 1e-12);
		assert!(copy_reward(0.0005, &with_epsilon).expect("runs") < 1e-12);
		// With no epsilon the exact copy ties every batch: the two split the rewards.
		let without = smoothed(fixed(0.0));
		let split = copy_reward(0.0, &without).expect("runs");
		assert!((split - 0.5).abs() < 0.01, "{split}");
		// ...and a marginal copy takes nearly all of them.
		assert!(copy_reward(0.0005, &without).expect("runs") > 0.95);
	}

	#[test]
	fn with_noise_the_time_to_the_top_grows_as_the_margin_over_epsilon_shrinks() {
		let competition = Settings {
			schedule: fixed(0.001),
			batches: 16,
			round_every: 10,
			horizon: 20_000,
			temperature: 0.01,
			alpha: 0.9,
			noise: 0.01,
			seed: 7,
		};
		let scenario = Scenario { competition, after: 10, trials: 21 };
		let times: Vec<u64> = [0.006, 0.004, 0.003, 0.0025, 0.002]
			.iter()
			.map(|&delta| time_to_top(delta, &scenario).expect("runs").expect("reaches the top"))
			.collect();
		assert!(times.windows(2).all(|w| w[0] <= w[1]), "{times:?}");
		assert!(times[0] < times[times.len() - 1], "{times:?}");
	}

	#[test]
	fn bad_settings_are_refused() {
		let refused = |edit: fn(&mut Settings)| {
			let mut scenario = exact(fixed(0.001), 10);
			edit(&mut scenario.competition);
			time_to_top(0.01, &scenario).expect_err("refused")
		};
		assert_eq!(refused(|s| s.batches = 0), SimulationError::NoBatches);
		assert_eq!(refused(|s| s.round_every = 0), SimulationError::ZeroRoundInterval);
		assert_eq!(refused(|s| s.alpha = 1.5), SimulationError::BadAlpha);
		assert_eq!(refused(|s| s.noise = -0.1), SimulationError::BadNoise);
		assert_eq!(refused(|s| s.temperature = 0.0), SimulationError::BadTemperature);
		assert!(matches!(
			refused(|s| {
				s.schedule = EpsilonSchedule::Linear {
					start: Perbill::from_percent(1),
					end: Perbill::from_percent(2),
					decay_blocks: 5,
				}
			}),
			SimulationError::Schedule(_)
		));
		assert_eq!(
			time_to_top(1.0, &exact(fixed(0.001), 10)),
			Err(SimulationError::BadImprovement(1))
		);
	}
}
