//! Epsilon-decay schedules: the advantage an older model keeps over a newer one, as a function of
//! the older model's age in blocks.
//!
//! The pallet's runtime API and the evaluator both call [`EpsilonSchedule::epsilon_at`], so chain
//! and evaluator agree on every epsilon to the part per billion. All math is on `Perbill` parts
//! with integer arithmetic: no floats, no overflow for any `u64` age.

use codec::{Decode, DecodeWithMemTracking, Encode, MaxEncodedLen};
use scale_info::TypeInfo;
use sp_arithmetic::Perbill;

/// How a model's epsilon decays with its age. Set per subnet and competition by the subnet owner.
#[derive(
	Clone,
	Copy,
	Debug,
	PartialEq,
	Eq,
	Encode,
	Decode,
	DecodeWithMemTracking,
	TypeInfo,
	MaxEncodedLen,
	serde::Serialize,
	serde::Deserialize,
)]
pub enum EpsilonSchedule {
	/// The same epsilon at every age.
	Fixed {
		/// The epsilon.
		epsilon: Perbill,
	},
	/// From `start` down to `end` in a straight line over `decay_blocks`, then `end` for ever
	/// (taoverse's `LinearDecay`).
	Linear {
		/// Epsilon at age 0.
		start: Perbill,
		/// Epsilon from age `decay_blocks` on; at most `start`.
		end: Perbill,
		/// Blocks the decay takes; more than zero.
		decay_blocks: u32,
	},
	/// `start` multiplied by `retain` once every `period_blocks`, never below `floor`
	/// (the "decaying advantage" of 0.4% x 0.995^epochs).
	Exponential {
		/// Epsilon at age 0.
		start: Perbill,
		/// The share of epsilon kept each period.
		retain: Perbill,
		/// Blocks per period; more than zero.
		period_blocks: u32,
		/// The lowest epsilon; at most `start`.
		floor: Perbill,
	},
}

/// Why a schedule was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScheduleError {
	/// A linear schedule's `end` is above its `start`.
	EndAboveStart,
	/// A linear schedule decays over zero blocks.
	DecayBlocksZero,
	/// An exponential schedule's `floor` is above its `start`.
	FloorAboveStart,
	/// An exponential schedule's period is zero blocks.
	PeriodZero,
}

impl EpsilonSchedule {
	/// Check the schedule's own rules; a schedule that passes gives an epsilon for every age.
	pub fn validate(&self) -> Result<(), ScheduleError> {
		match *self {
			EpsilonSchedule::Fixed { .. } => Ok(()),
			EpsilonSchedule::Linear { start, end, decay_blocks } => {
				if end > start {
					return Err(ScheduleError::EndAboveStart);
				}
				if decay_blocks == 0 {
					return Err(ScheduleError::DecayBlocksZero);
				}
				Ok(())
			}
			EpsilonSchedule::Exponential { start, period_blocks, floor, .. } => {
				if floor > start {
					return Err(ScheduleError::FloorAboveStart);
				}
				if period_blocks == 0 {
					return Err(ScheduleError::PeriodZero);
				}
				Ok(())
			}
		}
	}

	/// The epsilon of a model `age` blocks old.
	///
	/// - `Fixed`: `epsilon`.
	/// - `Linear`: `start - (start - end) * min(age, decay_blocks) / decay_blocks`, floor
	///   division on parts.
	/// - `Exponential`: `max(floor, start * retain^(age / period_blocks))`, integer division of
	///   the age, each `Perbill` product rounded down.
	///
	/// On a schedule that fails [`Self::validate`] the result is still defined and bounded by
	/// `start` (a zero period or decay counts as one block), but such schedules never reach the
	/// chain.
	pub fn epsilon_at(&self, age: u64) -> Perbill {
		match *self {
			EpsilonSchedule::Fixed { epsilon } => epsilon,
			EpsilonSchedule::Linear { start, end, decay_blocks } => {
				let decay = u64::from(decay_blocks.max(1));
				let span = u64::from(start.deconstruct().saturating_sub(end.deconstruct()));
				// span < 2^30 and elapsed <= 2^32: the product fits in a u64.
				let elapsed = age.min(decay);
				let drop = span * elapsed / decay;
				Perbill::from_parts(start.deconstruct().saturating_sub(drop as u32))
			}
			EpsilonSchedule::Exponential { start, retain, period_blocks, floor } => {
				let periods = age / u64::from(period_blocks.max(1));
				let decayed = start * pow(retain, periods);
				decayed.max(floor).min(start)
			}
		}
	}
}

/// `base^exp` by square-and-multiply on `Perbill` (each product rounded down), for any `u64`
/// exponent in at most 128 multiplications.
fn pow(base: Perbill, mut exp: u64) -> Perbill {
	let mut result = Perbill::one();
	let mut square = base;
	while exp > 0 && !result.is_zero() {
		if exp & 1 == 1 {
			result = result * square;
		}
		exp >>= 1;
		if exp > 0 {
			square = square * square;
		}
	}
	result
}

#[cfg(test)]
mod tests {
	use super::*;
	use proptest::prelude::*;

	fn linear() -> EpsilonSchedule {
		EpsilonSchedule::Linear {
			start: Perbill::from_parts(5_000_000), // 0.5%
			end: Perbill::from_parts(100_000),     // 0.01%
			decay_blocks: 14_400,
		}
	}

	fn exponential() -> EpsilonSchedule {
		EpsilonSchedule::Exponential {
			start: Perbill::from_parts(4_000_000),    // 0.4%
			retain: Perbill::from_parts(995_000_000), // 0.995
			period_blocks: 361,
			floor: Perbill::zero(),
		}
	}

	#[test]
	fn linear_table() {
		let at = |age| linear().epsilon_at(age).deconstruct();
		assert_eq!(at(0), 5_000_000);
		assert_eq!(at(7_200), 2_550_000);
		assert_eq!(at(14_400), 100_000);
		assert_eq!(at(1_000_000_000), 100_000);
		// Floor division on parts: one block in, the drop is 4_900_000 / 14_400 = 340.27...
		assert_eq!(at(1), 5_000_000 - 340);
	}

	#[test]
	fn exponential_table() {
		let at = |age| exponential().epsilon_at(age).deconstruct();
		assert_eq!(at(0), 4_000_000);
		assert_eq!(at(360), 4_000_000);
		assert_eq!(at(361), 3_980_000);
		// 0.4% x 0.995^138 = 0.200466...%: Perbill rounding keeps it within a few parts.
		let expected = 4_000_000.0 * 0.995f64.powi(138);
		assert!((f64::from(at(361 * 138)) - expected).abs() < 64.0, "{}", at(361 * 138));
		assert_eq!(at(361 * 138), at(361 * 138 + 360));
	}

	#[test]
	fn fixed_ignores_age() {
		let fixed = EpsilonSchedule::Fixed { epsilon: Perbill::from_percent(1) };
		assert_eq!(fixed.epsilon_at(0), Perbill::from_percent(1));
		assert_eq!(fixed.epsilon_at(u64::MAX), Perbill::from_percent(1));
	}

	#[test]
	fn exponential_respects_its_floor() {
		let floored = EpsilonSchedule::Exponential {
			start: Perbill::from_percent(4),
			retain: Perbill::from_percent(50),
			period_blocks: 10,
			floor: Perbill::from_percent(1),
		};
		assert_eq!(floored.epsilon_at(10), Perbill::from_percent(2));
		assert_eq!(floored.epsilon_at(20), Perbill::from_percent(1));
		assert_eq!(floored.epsilon_at(1_000), Perbill::from_percent(1));
	}

	#[test]
	fn invalid_schedules_are_refused() {
		let p = Perbill::from_percent;
		let linear =
			|start, end, decay_blocks| EpsilonSchedule::Linear { start, end, decay_blocks };
		let exp = |start, period_blocks, floor| EpsilonSchedule::Exponential {
			start,
			retain: p(90),
			period_blocks,
			floor,
		};
		assert_eq!(linear(p(1), p(2), 10).validate(), Err(ScheduleError::EndAboveStart));
		assert_eq!(linear(p(2), p(1), 0).validate(), Err(ScheduleError::DecayBlocksZero));
		assert_eq!(exp(p(1), 10, p(2)).validate(), Err(ScheduleError::FloorAboveStart));
		assert_eq!(exp(p(2), 0, p(1)).validate(), Err(ScheduleError::PeriodZero));
		assert_eq!(linear(p(2), p(2), 1).validate(), Ok(()));
		assert_eq!(exp(p(2), 1, p(2)).validate(), Ok(()));
	}

	#[test]
	fn pow_matches_repeated_multiplication() {
		let base = Perbill::from_parts(999_999_937);
		let mut repeated = Perbill::one();
		for exp in 0..200u64 {
			let fast = pow(base, exp);
			// Different multiplication orders may round differently by a few parts.
			assert!(fast.deconstruct().abs_diff(repeated.deconstruct()) <= 8, "exp {exp}");
			repeated = repeated * base;
		}
	}

	fn perbill() -> impl Strategy<Value = Perbill> {
		(0..=1_000_000_000u32).prop_map(Perbill::from_parts)
	}

	fn valid_schedule() -> impl Strategy<Value = EpsilonSchedule> {
		prop_oneof![
			perbill().prop_map(|epsilon| EpsilonSchedule::Fixed { epsilon }),
			(perbill(), perbill(), 1..=u32::MAX).prop_map(|(a, b, decay_blocks)| {
				EpsilonSchedule::Linear { start: a.max(b), end: a.min(b), decay_blocks }
			}),
			(perbill(), perbill(), perbill(), 1..=u32::MAX).prop_map(
				|(a, b, retain, period_blocks)| {
					EpsilonSchedule::Exponential {
						start: a.max(b),
						retain,
						period_blocks,
						floor: a.min(b),
					}
				}
			),
		]
	}

	fn bounds(schedule: &EpsilonSchedule) -> (Perbill, Perbill) {
		match *schedule {
			EpsilonSchedule::Fixed { epsilon } => (epsilon, epsilon),
			EpsilonSchedule::Linear { start, end, .. } => (end, start),
			EpsilonSchedule::Exponential { start, floor, .. } => (floor, start),
		}
	}

	proptest! {
		#[test]
		fn epsilon_never_rises_with_age(schedule in valid_schedule(), a in any::<u64>(), b in any::<u64>()) {
			prop_assert!(schedule.validate().is_ok());
			let (young, old) = (a.min(b), a.max(b));
			prop_assert!(schedule.epsilon_at(old) <= schedule.epsilon_at(young));
		}

		#[test]
		fn epsilon_stays_within_its_bounds(schedule in valid_schedule(), age in any::<u64>()) {
			let (low, high) = bounds(&schedule);
			let epsilon = schedule.epsilon_at(age);
			prop_assert!(low <= epsilon && epsilon <= high);
			prop_assert_eq!(schedule.epsilon_at(0), high);
		}

		#[test]
		fn epsilon_is_defined_for_extreme_ages(schedule in valid_schedule()) {
			for age in [0, 1, u64::from(u32::MAX), u64::from(u32::MAX) + 1, u64::MAX - 1, u64::MAX] {
				let (low, high) = bounds(&schedule);
				let epsilon = schedule.epsilon_at(age);
				prop_assert!(low <= epsilon && epsilon <= high);
			}
		}
	}
}
