//! Lengths of time as subnet owners write them: a number of blocks (`600`) or a duration
//! (`2h`, `1h30m`, `90s`, `1d`, `500ms`), turned into blocks at the chain's block time.

use std::{str::FromStr, time::Duration};

/// Why a span cannot be read or turned into blocks.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SpanError {
	/// The text is neither a block count nor a duration.
	#[error("{0:?} is neither a number of blocks (600) nor a duration (90s, 30m, 2h, 1h30m, 1d)")]
	Malformed(String),
	/// A duration was given but the block time is unknown.
	#[error("a duration needs the chain's block time: pass --block-time (the chain has too few blocks to measure it)")]
	NoBlockTime,
	/// The block time is zero.
	#[error("the block time must be more than zero")]
	ZeroBlockTime,
	/// The span is more blocks than the chain counts (`u32`).
	#[error("{0} is more blocks than a block number holds")]
	TooLong(String),
}

/// A span of blocks, given as a count or as a duration.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BlockSpan {
	/// This many blocks.
	Blocks(u32),
	/// This long, at the chain's block time.
	Duration(Duration),
}

impl FromStr for BlockSpan {
	type Err = SpanError;

	fn from_str(text: &str) -> Result<Self, Self::Err> {
		let text = text.trim();
		if !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit()) {
			return text
				.parse()
				.map(BlockSpan::Blocks)
				.map_err(|_| SpanError::TooLong(text.into()));
		}
		parse_duration(text).map(BlockSpan::Duration)
	}
}

impl BlockSpan {
	/// The span in blocks; a duration is rounded to the nearest block at `block_time`.
	pub fn to_blocks(self, block_time: Option<Duration>) -> Result<u32, SpanError> {
		match self {
			BlockSpan::Blocks(blocks) => Ok(blocks),
			BlockSpan::Duration(duration) => {
				let block_time = block_time.ok_or(SpanError::NoBlockTime)?;
				if block_time.is_zero() {
					return Err(SpanError::ZeroBlockTime);
				}
				let (span, block) = (duration.as_millis(), block_time.as_millis().max(1));
				u32::try_from((span + block / 2) / block)
					.map_err(|_| SpanError::TooLong(format_duration(duration)))
			}
		}
	}
}

/// `blocks`, with the time they take at `block_time` when it is known:
/// `1200 blocks (2h at 6s a block)`.
pub fn describe_blocks(blocks: u32, block_time: Option<Duration>) -> String {
	let unit = if blocks == 1 { "block" } else { "blocks" };
	match block_time {
		Some(time) => format!(
			"{blocks} {unit} ({} at {} a block)",
			format_duration(time.saturating_mul(blocks)),
			format_duration(time)
		),
		None => format!("{blocks} {unit}"),
	}
}

/// Parse a duration: one or more `<number><unit>` parts, units `ms`, `s`, `m`, `h` and `d`,
/// optionally spaced apart (`90s`, `1h30m`, `1h 30m`).
pub fn parse_duration(text: &str) -> Result<Duration, SpanError> {
	let malformed = || SpanError::Malformed(text.to_owned());
	let mut rest = text.trim();
	if rest.is_empty() {
		return Err(malformed());
	}
	let mut millis: u64 = 0;
	while !rest.is_empty() {
		let digits = rest.find(|c: char| !c.is_ascii_digit()).ok_or_else(malformed)?;
		let number: u64 = rest[..digits].parse().map_err(|_| malformed())?;
		rest = &rest[digits..];
		let unit_len = rest.find(|c: char| c.is_ascii_digit()).unwrap_or(rest.len());
		let per_unit: u64 = match rest[..unit_len].trim_end() {
			"ms" => 1,
			"s" => 1_000,
			"m" => 60_000,
			"h" => 3_600_000,
			"d" => 86_400_000,
			_ => return Err(malformed()),
		};
		rest = &rest[unit_len..];
		millis = number
			.checked_mul(per_unit)
			.and_then(|part| millis.checked_add(part))
			.ok_or_else(|| SpanError::TooLong(text.to_owned()))?;
	}
	Ok(Duration::from_millis(millis))
}

/// Parse a block time: a duration above zero.
pub fn parse_block_time(text: &str) -> Result<Duration, SpanError> {
	match parse_duration(text)? {
		time if time.is_zero() => Err(SpanError::ZeroBlockTime),
		time => Ok(time),
	}
}

/// A duration the way [`parse_duration`] reads it, largest units first (`1h 30m`, `6s`,
/// `500ms`).
pub fn format_duration(duration: Duration) -> String {
	let millis = duration.as_millis();
	if millis == 0 {
		return "0s".into();
	}
	let parts = [(86_400_000, "d"), (3_600_000, "h"), (60_000, "m"), (1_000, "s"), (1, "ms")];
	let mut left = millis;
	let mut out = Vec::new();
	for (size, unit) in parts {
		if left >= size {
			out.push(format!("{}{unit}", left / size));
			left %= size;
		}
	}
	out.join(" ")
}

#[cfg(test)]
mod tests {
	use super::*;

	fn span(text: &str) -> Result<BlockSpan, SpanError> {
		text.parse()
	}

	#[test]
	fn numbers_are_blocks_and_suffixed_numbers_durations() {
		assert_eq!(span("600"), Ok(BlockSpan::Blocks(600)));
		assert_eq!(span("0"), Ok(BlockSpan::Blocks(0)));
		assert_eq!(span("2h"), Ok(BlockSpan::Duration(Duration::from_secs(7_200))));
		assert_eq!(span("1h30m"), Ok(BlockSpan::Duration(Duration::from_secs(5_400))));
		assert_eq!(span("1d"), Ok(BlockSpan::Duration(Duration::from_secs(86_400))));
		assert_eq!(span("500ms"), Ok(BlockSpan::Duration(Duration::from_millis(500))));
		assert_eq!(span(" 90s "), Ok(BlockSpan::Duration(Duration::from_secs(90))));
		assert_eq!(span("1h 30m"), Ok(BlockSpan::Duration(Duration::from_secs(5_400))));
	}

	#[test]
	fn malformed_and_oversized_spans_are_refused() {
		for bad in ["", "h", "2x", "2 h", "1.5h", "-5", "2h-", "m30", "5sec", "1 h"] {
			assert!(matches!(span(bad), Err(SpanError::Malformed(_))), "{bad:?}");
		}
		assert!(matches!(span("4294967296"), Err(SpanError::TooLong(_))));
		assert!(matches!(span("99999999999999999999d"), Err(SpanError::Malformed(_))));
		assert!(matches!(span("999999999999999d"), Err(SpanError::TooLong(_))));
	}

	#[test]
	fn durations_round_to_the_nearest_block() {
		let six = Some(Duration::from_secs(6));
		assert_eq!(span("2h").and_then(|s| s.to_blocks(six)), Ok(1_200));
		assert_eq!(span("8s").and_then(|s| s.to_blocks(six)), Ok(1));
		assert_eq!(span("9s").and_then(|s| s.to_blocks(six)), Ok(2));
		assert_eq!(span("2s").and_then(|s| s.to_blocks(six)), Ok(0));
		assert_eq!(span("600").and_then(|s| s.to_blocks(None)), Ok(600));
		assert_eq!(span("2h").and_then(|s| s.to_blocks(None)), Err(SpanError::NoBlockTime));
		assert_eq!(
			span("2h").and_then(|s| s.to_blocks(Some(Duration::ZERO))),
			Err(SpanError::ZeroBlockTime)
		);
		let one_ms = Some(Duration::from_millis(1));
		assert!(matches!(
			span("100d").and_then(|s| s.to_blocks(one_ms)),
			Err(SpanError::TooLong(_))
		));
	}

	#[test]
	fn blocks_are_described_with_their_duration() {
		let six = Some(Duration::from_secs(6));
		assert_eq!(describe_blocks(1_200, six), "1200 blocks (2h at 6s a block)");
		assert_eq!(describe_blocks(1, six), "1 block (6s at 6s a block)");
		assert_eq!(describe_blocks(915, six), "915 blocks (1h 31m 30s at 6s a block)");
		assert_eq!(describe_blocks(7, None), "7 blocks");
		assert_eq!(format_duration(Duration::from_millis(1_500)), "1s 500ms");
		assert_eq!(format_duration(Duration::ZERO), "0s");
		let round_trip = parse_duration(&format_duration(Duration::from_millis(93_784_005)));
		assert_eq!(round_trip, Ok(Duration::from_millis(93_784_005)));
	}
}
