//! From per-batch losses to on-chain weights (`docs/design.md`, "Scoring").
//!
//! 1. In each pair of models, the strictly older one (earlier commit block) has its losses
//!    multiplied by `1 - epsilon_at(now - commit_block)`; a model wins a batch against another
//!    when its adjusted loss is strictly lower.
//! 2. Win rate `R_i = wins_i / ((n - 1) * m)`, 1 when a model has no rival.
//! 3. Weights `softmax(R / T)` over the models that produced at least one finite loss; a model
//!    that failed every batch (load error, wrong hash, NaN, degenerate) gets exactly zero.
//! 4. Per competition, `w = alpha * w_prev + (1 - alpha) * w` when a previous round exists;
//!    the competitions are combined by their reward shares, normalised, and scaled to `u16`
//!    so that the largest weight is 65535.

use std::collections::BTreeMap;

use galton_primitives::{EpsilonSchedule, Metric, Uid};
use sp_arithmetic::{PerThing, Perbill};

/// One model in a competition's scoring.
#[derive(Clone, Debug, PartialEq)]
pub struct Contender {
	/// The block its commitment was made in.
	pub commit_block: u64,
	/// Its value on each batch (loss or perplexity), `+inf` where it failed; every contender
	/// of a competition has the same number of batches.
	pub losses: Vec<f64>,
}

impl Contender {
	/// A contender that failed outright: `+inf` on all `batches`.
	pub fn failed(commit_block: u64, batches: usize) -> Self {
		Self { commit_block, losses: vec![f64::INFINITY; batches] }
	}

	/// Whether it has at least one finite loss.
	pub fn scored(&self) -> bool {
		self.losses.iter().any(|l| l.is_finite())
	}
}

/// `epsilon_at(now - commit_block)` as a fraction.
pub fn epsilon(schedule: &EpsilonSchedule, commit_block: u64, now: u64) -> f64 {
	f64::from(schedule.epsilon_at(now.saturating_sub(commit_block)).deconstruct())
		/ f64::from(Perbill::ACCURACY)
}

/// The win rate of every contender at block `now` (step 1 and 2 above).
pub fn win_rates(contenders: &[Contender], schedule: &EpsilonSchedule, now: u64) -> Vec<f64> {
	let n = contenders.len();
	if n == 1 {
		return vec![1.0];
	}
	let batches = contenders.iter().map(|c| c.losses.len()).min().unwrap_or(0);
	// Each model's losses as they stand against a younger model, computed once.
	let adjusted: Vec<Vec<f64>> = contenders
		.iter()
		.map(|c| {
			let keep = 1.0 - epsilon(schedule, c.commit_block, now);
			c.losses[..batches].iter().map(|l| l * keep).collect()
		})
		.collect();
	let mut wins = vec![0u64; n];
	for i in 0..n {
		for j in i + 1..n {
			let (a, b) = match contenders[i].commit_block.cmp(&contenders[j].commit_block) {
				std::cmp::Ordering::Less => (&adjusted[i][..], &contenders[j].losses[..batches]),
				std::cmp::Ordering::Greater => (&contenders[i].losses[..batches], &adjusted[j][..]),
				std::cmp::Ordering::Equal => {
					(&contenders[i].losses[..batches], &contenders[j].losses[..batches])
				}
			};
			let (mut wins_a, mut wins_b) = (0u64, 0u64);
			for (la, lb) in a.iter().zip(b) {
				wins_a += u64::from(la < lb);
				wins_b += u64::from(lb < la);
			}
			wins[i] += wins_a;
			wins[j] += wins_b;
		}
	}
	let games = ((n - 1) * batches).max(1) as f64;
	wins.into_iter().map(|w| w as f64 / games).collect()
}

/// `softmax(rates / temperature)` over the contenders that `scored`; the others get 0. All
/// zeros when none scored.
pub fn softmax(rates: &[f64], scored: &[bool], temperature: f64) -> Vec<f64> {
	let max = rates
		.iter()
		.zip(scored)
		.filter(|(_, &s)| s)
		.map(|(r, _)| *r)
		.fold(f64::NEG_INFINITY, f64::max);
	let exps: Vec<f64> = rates
		.iter()
		.zip(scored)
		.map(|(r, &s)| if s { ((r - max) / temperature).exp() } else { 0.0 })
		.collect();
	let sum: f64 = exps.iter().sum();
	if sum > 0.0 {
		exps.into_iter().map(|e| e / sum).collect()
	} else {
		exps
	}
}

/// The value a competition compares per batch: the loss itself, or its `exp`.
pub fn metric_value(metric: Metric, loss: f64) -> f64 {
	match metric {
		Metric::CrossEntropy => loss,
		Metric::Perplexity => loss.exp(),
	}
}

/// One competition's win rates and weights, by uid.
#[derive(Clone, Debug, PartialEq)]
pub struct CompetitionScores {
	/// Each contender's win rate (step 2).
	pub win_rates: BTreeMap<Uid, f64>,
	/// Each contender's weight (step 3), summing to 1 unless none scored.
	pub weights: BTreeMap<Uid, f64>,
}

/// Score one competition at block `now` (steps 1 to 3).
pub fn competition_scores(
	contenders: &BTreeMap<Uid, Contender>,
	schedule: &EpsilonSchedule,
	now: u64,
	temperature: f64,
) -> CompetitionScores {
	let list: Vec<Contender> = contenders.values().cloned().collect();
	let rates = win_rates(&list, schedule, now);
	let scored: Vec<bool> = list.iter().map(Contender::scored).collect();
	let weights = softmax(&rates, &scored, temperature);
	let uids = || contenders.keys().copied();
	CompetitionScores {
		win_rates: uids().zip(rates).collect(),
		weights: uids().zip(weights).collect(),
	}
}

/// A neuron as the moving average tracks it: its uid and the hotkey that holds it, so that a
/// new miner on a reused uid does not inherit the weight its predecessor earned.
pub type Neuron = (Uid, [u8; 32]);

/// `alpha * previous + (1 - alpha) * current` for every key of `current` (a key missing from
/// `previous` counts as 0 there); `current` itself when there is no previous round.
pub fn ema<K: Ord + Clone>(
	previous: Option<&BTreeMap<K, f64>>,
	current: &BTreeMap<K, f64>,
	alpha: f64,
) -> BTreeMap<K, f64> {
	match previous {
		None => current.clone(),
		Some(previous) => current
			.iter()
			.map(|(key, w)| {
				let before = previous.get(key).copied().unwrap_or(0.0);
				(key.clone(), alpha * before + (1.0 - alpha) * w)
			})
			.collect(),
	}
}

/// How a validator scores one competition in a round.
#[derive(Clone, Copy, Debug)]
pub struct RoundSettings<'a> {
	/// The competition's epsilon schedule.
	pub schedule: &'a EpsilonSchedule,
	/// The block the round reads.
	pub now: u64,
	/// Softmax temperature of the win rates.
	pub temperature: f64,
	/// Weight of the previous round in the moving average.
	pub alpha: f64,
}

/// One competition's weights for a round (steps 1 to 4): the contenders, by uid with the
/// hotkey holding it, are scored and smoothed with the previous round's weights, which follow
/// (uid, hotkey).
pub fn round_weights(
	contenders: &BTreeMap<Uid, ([u8; 32], Contender)>,
	previous: Option<&BTreeMap<Neuron, f64>>,
	settings: RoundSettings<'_>,
) -> BTreeMap<Neuron, f64> {
	let by_uid = contenders.iter().map(|(uid, (_, c))| (*uid, c.clone())).collect();
	let scores = competition_scores(&by_uid, settings.schedule, settings.now, settings.temperature);
	let by_neuron: BTreeMap<Neuron, f64> = scores
		.weights
		.iter()
		.filter_map(|(uid, w)| Some(((*uid, contenders.get(uid)?.0), *w)))
		.collect();
	ema(previous, &by_neuron, settings.alpha)
}

/// Combine competitions' weights by their reward shares and normalise to a sum of 1 (all
/// zeros when nothing has weight).
pub fn combine(competitions: &[(Perbill, BTreeMap<Uid, f64>)]) -> BTreeMap<Uid, f64> {
	let mut total: BTreeMap<Uid, f64> = BTreeMap::new();
	for (share, weights) in competitions {
		let share = f64::from(share.deconstruct()) / f64::from(Perbill::ACCURACY);
		for (uid, w) in weights {
			*total.entry(*uid).or_default() += share * w;
		}
	}
	let sum: f64 = total.values().sum();
	if sum > 0.0 {
		total.values_mut().for_each(|w| *w /= sum);
	}
	total
}

/// Scale weights so that the largest is 65535 (rounded to nearest); all zeros stay zeros.
pub fn to_u16(weights: &BTreeMap<Uid, f64>) -> BTreeMap<Uid, u16> {
	let max = weights.values().copied().fold(0.0, f64::max);
	weights
		.iter()
		.map(|(uid, w)| {
			let scaled = if max > 0.0 { (w / max * f64::from(u16::MAX)).round() } else { 0.0 };
			(*uid, scaled.clamp(0.0, f64::from(u16::MAX)) as u16)
		})
		.collect()
}

#[cfg(test)]
mod tests {
	use super::*;

	const NO_EPSILON: EpsilonSchedule = EpsilonSchedule::Fixed { epsilon: Perbill::zero() };

	fn contender(commit_block: u64, losses: &[f64]) -> Contender {
		Contender { commit_block, losses: losses.to_vec() }
	}

	#[test]
	fn lower_loss_wins_each_batch() {
		let rates = win_rates(
			&[contender(5, &[1.0, 3.0]), contender(5, &[2.0, 2.0]), contender(5, &[3.0, 1.0])],
			&NO_EPSILON,
			10,
		);
		// 0 beats 1 and 2 on batch 0; 2 beats 0 and 1 on batch 1; 1 beats 0 on batch 1 and 2 on
		// batch 0.
		assert_eq!(rates, vec![0.5, 0.5, 0.5]);
		let rates =
			win_rates(&[contender(5, &[1.0, 1.0]), contender(5, &[2.0, 2.0])], &NO_EPSILON, 10);
		assert_eq!(rates, vec![1.0, 0.0]);
		assert_eq!(win_rates(&[contender(5, &[9.0])], &NO_EPSILON, 10), vec![1.0]);
	}

	#[test]
	fn epsilon_favours_the_strictly_older_model_only() {
		let eps = EpsilonSchedule::Fixed { epsilon: Perbill::from_percent(10) };
		// A copy that is 5% better loses to the older original...
		let copied = [contender(100, &[2.0]), contender(200, &[1.9])];
		assert_eq!(win_rates(&copied, &eps, 300), vec![1.0, 0.0]);
		// ...one that is 15% better wins...
		let better = [contender(100, &[2.0]), contender(200, &[1.7])];
		assert_eq!(win_rates(&better, &eps, 300), vec![0.0, 1.0]);
		// ...and at the same block nobody is adjusted; ties win nothing.
		let same = [contender(100, &[2.0]), contender(100, &[1.9]), contender(100, &[1.9])];
		assert_eq!(win_rates(&same, &eps, 300), vec![0.0, 0.5, 0.5]);
	}

	#[test]
	fn epsilon_decays_with_the_older_models_age() {
		let eps = EpsilonSchedule::Linear {
			start: Perbill::from_percent(10),
			end: Perbill::zero(),
			decay_blocks: 1000,
		};
		let pair = [contender(0, &[2.0]), contender(10, &[1.9])];
		assert_eq!(win_rates(&pair, &eps, 100), vec![1.0, 0.0], "9% advantage at age 100");
		assert_eq!(win_rates(&pair, &eps, 800), vec![0.0, 1.0], "2% advantage at age 800");
		assert!((epsilon(&eps, 0, 500) - 0.05).abs() < 1e-12);
	}

	#[test]
	fn failed_models_get_exactly_zero() {
		let contenders: BTreeMap<Uid, Contender> = [
			(1, contender(1, &[2.0, 2.0])),
			(2, Contender::failed(1, 2)),
			(3, contender(1, &[2.5, 2.5])),
		]
		.into();
		let w = competition_scores(&contenders, &NO_EPSILON, 10, 0.01).weights;
		assert_eq!(w[&2], 0.0);
		assert!(w[&1] > w[&3] && w[&3] > 0.0);
		assert!((w.values().sum::<f64>() - 1.0).abs() < 1e-12);

		let all_failed: BTreeMap<Uid, Contender> =
			[(1, Contender::failed(1, 2)), (2, Contender::failed(1, 2))].into();
		let w = competition_scores(&all_failed, &NO_EPSILON, 10, 0.01).weights;
		assert!(w.values().all(|&x| x == 0.0));
		assert!(to_u16(&w).values().all(|&x| x == 0));
	}

	#[test]
	fn perplexity_is_the_exponential_of_the_loss() {
		assert_eq!(metric_value(Metric::CrossEntropy, 2.0), 2.0);
		assert_eq!(metric_value(Metric::Perplexity, 2.0), 2f64.exp());
		assert_eq!(metric_value(Metric::Perplexity, f64::INFINITY), f64::INFINITY);
	}

	#[test]
	fn softmax_temperature_sharpens() {
		let scored = [true, true];
		let soft = softmax(&[0.6, 0.4], &scored, 1.0);
		let sharp = softmax(&[0.6, 0.4], &scored, 0.01);
		assert!(soft[0] < 0.6 && sharp[0] > 0.9999);
		assert!((soft.iter().sum::<f64>() - 1.0).abs() < 1e-12);
	}

	#[test]
	fn a_new_hotkey_on_a_reused_uid_starts_from_zero() {
		let (old, new): (Neuron, Neuron) = ((1, [1; 32]), (1, [2; 32]));
		let previous: BTreeMap<Neuron, f64> = [(old, 1.0)].into();
		// The uid changed hands: the newcomer's average starts from 0, not from 1.0.
		let newcomer: BTreeMap<Neuron, f64> = [(new, 0.5)].into();
		assert_eq!(ema(Some(&previous), &newcomer, 0.5), [(new, 0.25)].into());
		// The same hotkey on the same uid keeps its history.
		let incumbent: BTreeMap<Neuron, f64> = [(old, 0.5)].into();
		assert_eq!(ema(Some(&previous), &incumbent, 0.5), [(old, 0.75)].into());
	}

	#[test]
	fn a_round_scores_and_smooths_by_uid_and_hotkey() {
		let contenders: BTreeMap<Uid, ([u8; 32], Contender)> =
			[(1, ([1; 32], contender(5, &[1.0, 1.0]))), (2, ([2; 32], contender(5, &[2.0, 2.0])))]
				.into();
		let settings =
			RoundSettings { schedule: &NO_EPSILON, now: 10, temperature: 0.01, alpha: 0.5 };
		let first = round_weights(&contenders, None, settings);
		assert!(first[&(1, [1; 32])] > 0.99 && first[&(2, [2; 32])] < 0.01, "{first:?}");
		// The previous round's weight of uid 2 belonged to another hotkey: it is not carried.
		let previous: BTreeMap<Neuron, f64> = [((1, [1; 32]), 0.0), ((2, [9; 32]), 1.0)].into();
		let second = round_weights(&contenders, Some(&previous), settings);
		assert!((second[&(1, [1; 32])] - first[&(1, [1; 32])] / 2.0).abs() < 1e-12);
		assert!((second[&(2, [2; 32])] - first[&(2, [2; 32])] / 2.0).abs() < 1e-12);
	}

	#[test]
	fn ema_combine_and_u16() {
		let previous: BTreeMap<Uid, f64> = [(1, 1.0)].into();
		let current: BTreeMap<Uid, f64> = [(1, 0.0), (2, 1.0)].into();
		let smoothed = ema(Some(&previous), &current, 0.5);
		assert_eq!(smoothed, [(1, 0.5), (2, 0.5)].into());
		assert_eq!(ema(None, &current, 0.5), current);

		let a: BTreeMap<Uid, f64> = [(1, 1.0)].into();
		let b: BTreeMap<Uid, f64> = [(2, 0.5), (3, 0.5)].into();
		let combined = combine(&[(Perbill::from_percent(60), a), (Perbill::from_percent(40), b)]);
		assert_eq!(combined, [(1, 0.6), (2, 0.2), (3, 0.2)].into());
		assert_eq!(to_u16(&combined), [(1, 65535), (2, 21845), (3, 21845)].into());
	}

	/// The spec read literally: every pair, every batch, the older model's loss times
	/// `1 - epsilon`.
	fn naive_win_rates(contenders: &[Contender], schedule: &EpsilonSchedule, now: u64) -> Vec<f64> {
		let n = contenders.len();
		let m = contenders[0].losses.len();
		(0..n)
			.map(|i| {
				let mut wins = 0;
				for j in (0..n).filter(|&j| j != i) {
					let (bi, bj) = (contenders[i].commit_block, contenders[j].commit_block);
					for k in 0..m {
						let mut li = contenders[i].losses[k];
						let mut lj = contenders[j].losses[k];
						if bi < bj {
							li *= 1.0 - epsilon(schedule, bi, now);
						} else if bj < bi {
							lj *= 1.0 - epsilon(schedule, bj, now);
						}
						if li < lj {
							wins += 1;
						}
					}
				}
				if n == 1 {
					1.0
				} else {
					f64::from(wins) / ((n - 1) * m) as f64
				}
			})
			.collect()
	}

	proptest::proptest! {
		#[test]
		fn win_rates_follow_the_spec(
			models in proptest::collection::vec(
				(0u64..50, proptest::collection::vec(proptest::prop_oneof![
					9 => 1.0f64..3.0,
					1 => proptest::strategy::Just(f64::INFINITY),
				], 6)),
				1..7,
			),
			epsilon_parts in 0u32..200_000_000,
			now in 0u64..100,
		) {
			let contenders: Vec<Contender> = models
				.into_iter()
				.map(|(commit_block, losses)| Contender { commit_block, losses })
				.collect();
			let schedule = EpsilonSchedule::Linear {
				start: Perbill::from_parts(epsilon_parts),
				end: Perbill::zero(),
				decay_blocks: 60,
			};
			proptest::prop_assert_eq!(
				win_rates(&contenders, &schedule, now),
				naive_win_rates(&contenders, &schedule, now)
			);
		}
	}
}
