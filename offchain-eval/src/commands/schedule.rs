//! Epsilon schedules, fractions and competitions as the command line writes and reads them.

use galton_primitives::{Competition, EpsilonSchedule};
use sp_arithmetic::{PerThing, Perbill};

/// Parse a fraction between 0 and 1, in decimal (`0.25`) or as a percentage (`25%`).
pub fn parse_fraction(text: &str) -> Result<Perbill, String> {
	let text = text.trim();
	let value = match text.strip_suffix('%') {
		Some(percent) => percent.trim().parse::<f64>().map(|x| x / 100.0),
		None => text.parse::<f64>(),
	};
	match value {
		Ok(x) if (0.0..=1.0).contains(&x) => {
			Ok(Perbill::from_parts((x * f64::from(Perbill::ACCURACY)).round() as u32))
		}
		_ => Err(format!("{text:?} is not a fraction between 0 and 1 (0.25 or 25%)")),
	}
}

/// Parse a schedule as written on the command line, fractions in decimal:
/// `fixed:EPS`, `linear:START,END,BLOCKS` or `exponential:START,RETAIN,PERIOD,FLOOR`
/// (e.g. `linear:0.005,0.0001,14400`). The schedule's own rules are checked too.
pub fn parse_schedule(text: &str) -> Result<EpsilonSchedule, String> {
	let usage = "fixed:EPS, linear:START,END,BLOCKS or exponential:START,RETAIN,PERIOD,FLOOR";
	let (kind, args) =
		text.split_once(':').ok_or_else(|| format!("schedule {text:?}: expected {usage}"))?;
	let args: Vec<&str> = args.split(',').map(str::trim).collect();
	let fraction = |s: &str| parse_fraction(s).map_err(|e| format!("schedule {text:?}: {e}"));
	let blocks = |s: &str| -> Result<u32, String> {
		s.parse::<u32>().map_err(|_| format!("schedule {text:?}: {s:?} is not a block count"))
	};
	let schedule = match (kind, args.as_slice()) {
		("fixed", [eps]) => EpsilonSchedule::Fixed { epsilon: fraction(eps)? },
		("linear", [start, end, decay]) => EpsilonSchedule::Linear {
			start: fraction(start)?,
			end: fraction(end)?,
			decay_blocks: blocks(decay)?,
		},
		("exponential", [start, retain, period, floor]) => EpsilonSchedule::Exponential {
			start: fraction(start)?,
			retain: fraction(retain)?,
			period_blocks: blocks(period)?,
			floor: fraction(floor)?,
		},
		_ => return Err(format!("schedule {text:?}: expected {usage}")),
	};
	schedule.validate().map_err(|e| format!("schedule {text:?}: {e:?}"))?;
	Ok(schedule)
}

/// A fraction as a percentage with four decimals (`0.4999%`).
pub fn format_percent(fraction: Perbill) -> String {
	let percent = f64::from(fraction.deconstruct()) / (f64::from(Perbill::ACCURACY) / 100.0);
	format!("{percent:.4}%")
}

/// A competition in one line: `SCHEDULE, reward share X%, metric M, at most N parameters`.
pub fn format_competition(competition: &Competition) -> String {
	format!(
		"{}, reward share {}, metric {:?}, at most {} parameters",
		format_schedule(&competition.epsilon),
		format_percent(competition.reward_share),
		competition.metric,
		competition.max_params
	)
}

/// A schedule in the syntax [`parse_schedule`] reads.
pub fn format_schedule(schedule: &EpsilonSchedule) -> String {
	let f = |p: Perbill| {
		let text = format!("{:.9}", f64::from(p.deconstruct()) / f64::from(Perbill::ACCURACY));
		text.trim_end_matches('0').trim_end_matches('.').to_owned()
	};
	match *schedule {
		EpsilonSchedule::Fixed { epsilon } => format!("fixed:{}", f(epsilon)),
		EpsilonSchedule::Linear { start, end, decay_blocks } => {
			format!("linear:{},{},{decay_blocks}", f(start), f(end))
		}
		EpsilonSchedule::Exponential { start, retain, period_blocks, floor } => {
			format!("exponential:{},{},{period_blocks},{}", f(start), f(retain), f(floor))
		}
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn schedules_parse_format_and_round_trip() {
		for text in
			["fixed:0.005", "linear:0.005,0.0001,14400", "exponential:0.004,0.995,361,0.001"]
		{
			let schedule = parse_schedule(text).expect("valid");
			assert_eq!(format_schedule(&schedule), text);
		}
		assert_eq!(
			parse_schedule("linear:0.005,0.0001,14400").expect("valid"),
			EpsilonSchedule::Linear {
				start: Perbill::from_parts(5_000_000),
				end: Perbill::from_parts(100_000),
				decay_blocks: 14400
			}
		);
		assert!(parse_schedule("linear:0.001,0.005,10")
			.expect_err("end above start")
			.contains("EndAboveStart"));
		assert!(parse_schedule("fixed:1.5").expect_err("above 1").contains("fraction"));
		assert!(parse_schedule("cubic:1").expect_err("unknown").contains("expected"));
		assert!(parse_schedule("linear:0.1,0.0,-3").expect_err("negative").contains("block count"));
	}

	#[test]
	fn fractions_print_as_percentages_with_four_decimals() {
		assert_eq!(format_percent(Perbill::from_parts(4_999_000)), "0.4999%");
		assert_eq!(format_percent(Perbill::one()), "100.0000%");
		assert_eq!(format_percent(Perbill::zero()), "0.0000%");
	}

	#[test]
	fn fractions_are_read_as_decimals_or_percentages() {
		assert_eq!(parse_fraction("0.25"), Ok(Perbill::from_percent(25)));
		assert_eq!(parse_fraction("25%"), Ok(Perbill::from_percent(25)));
		assert_eq!(parse_fraction("100%"), Ok(Perbill::one()));
		assert_eq!(parse_fraction("0.0000000001"), Ok(Perbill::zero()));
		for bad in ["1.01", "101%", "-0.1", "NaN", "inf", "", "%", "a quarter"] {
			assert!(parse_fraction(bad).is_err(), "{bad:?}");
		}
	}
}
