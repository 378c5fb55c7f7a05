//! A subnet's history, as the reveal-interval advisor reads it: one epoch per line of a JSON
//! Lines file, each with what the chain held when the epoch ran.
//!
//! ```json
//! {"block":720,"tempo":360,"stakes":[500,300,0],"permits":[true,true,false],
//!  "registered_at":[0,0,12],"last_update":[719,715,12],"weights":[[[2,65535]],[[2,65535]],[]]}
//! ```
//!
//! - `block`: the block the epoch ran in, increasing from line to line; `tempo`: blocks
//!   between epochs.
//! - `stakes`: each uid's stake weight, in the chain's smallest unit (rao);
//!   `permits`: the validator permits in force.
//! - `registered_at`, `last_update`: per uid, the block it registered and the block it last set
//!   weights (or registered).
//! - `weights`: per uid, its weights as the chain stores them: `[target uid, value]` pairs with
//!   values scaled so the row's largest is 65535 (any positive scale works: rows are
//!   normalized).
//!
//! Every per-uid list has one entry per uid, and a weights row names a uid at most once. A file
//! is bounded ([`MAX_UIDS`], [`MAX_EPOCHS`],
//! [`MAX_LINE_BYTES`]) and checked whole before any of it is used.

use std::io::{BufRead, Read, Write};

use serde::{Deserialize, Serialize};

/// The most uids an epoch may hold (subtensor's subnets hold at most 256 today).
pub const MAX_UIDS: usize = 4096;
/// The most epochs a history may hold.
pub const MAX_EPOCHS: usize = 100_000;
/// The longest line read.
pub const MAX_LINE_BYTES: u64 = 64 << 20;

/// One epoch of a subnet's history.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EpochRecord {
	/// The block the epoch ran in.
	pub block: u64,
	/// Blocks between epochs.
	pub tempo: u64,
	/// Each uid's stake weight.
	pub stakes: Vec<u64>,
	/// The validator permits in force.
	pub permits: Vec<bool>,
	/// The block each uid registered.
	pub registered_at: Vec<u64>,
	/// The block each uid last set weights, or registered.
	pub last_update: Vec<u64>,
	/// Each uid's weights, `(target, value)`.
	pub weights: Vec<Vec<(u16, u16)>>,
}

impl EpochRecord {
	/// How many uids it holds.
	pub fn len(&self) -> usize {
		self.stakes.len()
	}

	/// Whether it holds no uid.
	pub fn is_empty(&self) -> bool {
		self.stakes.is_empty()
	}
}

/// Why a history was refused; nothing of it is used.
#[derive(Debug, thiserror::Error)]
pub enum HistoryError {
	/// Reading failed.
	#[error("reading the history: {0}")]
	Io(#[from] std::io::Error),
	/// A line is not an epoch record.
	#[error("line {line}: {source}")]
	Json {
		/// The line, from 1.
		line: usize,
		/// What is wrong with it.
		source: serde_json::Error,
	},
	/// A line is longer than [`MAX_LINE_BYTES`].
	#[error("line {line}: longer than {MAX_LINE_BYTES} bytes")]
	LineTooLong {
		/// The line, from 1.
		line: usize,
	},
	/// No epoch.
	#[error("the history holds no epoch")]
	Empty,
	/// More than [`MAX_EPOCHS`] epochs.
	#[error("more than {MAX_EPOCHS} epochs")]
	TooManyEpochs,
	/// More than [`MAX_UIDS`] uids, or none.
	#[error("line {line}: {uids} uids (1 to {MAX_UIDS} allowed)")]
	Uids {
		/// The line, from 1.
		line: usize,
		/// How many.
		uids: usize,
	},
	/// A per-uid list's length differs from the number of uids.
	#[error("line {line}: `{field}` has {found} entries for {expected} uids")]
	Length {
		/// The line, from 1.
		line: usize,
		/// The list.
		field: &'static str,
		/// The number of uids.
		expected: usize,
		/// Its length.
		found: usize,
	},
	/// A weight names a uid the epoch does not hold.
	#[error("line {line}: uid {uid} weighs uid {target}, which is not registered")]
	Target {
		/// The line, from 1.
		line: usize,
		/// The validator.
		uid: usize,
		/// The uid it names.
		target: u16,
	},
	/// A weights row names a uid twice (the chain refuses such a row).
	#[error("line {line}: uid {uid} weighs uid {target} twice")]
	Duplicate {
		/// The line, from 1.
		line: usize,
		/// The validator.
		uid: usize,
		/// The uid it names twice.
		target: u16,
	},
	/// The blocks do not increase, or an epoch has no tempo.
	#[error("line {line}: block {block} after block {previous} (blocks must increase, tempo be positive)")]
	Order {
		/// The line, from 1.
		line: usize,
		/// Its block.
		block: u64,
		/// The previous line's.
		previous: u64,
	},
}

/// A subnet's epochs, in order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct History {
	/// The epochs.
	pub epochs: Vec<EpochRecord>,
}

impl History {
	/// The history in `reader`, one [`EpochRecord`] per non-blank line, checked.
	pub fn read(mut reader: impl BufRead) -> Result<Self, HistoryError> {
		let mut epochs = Vec::new();
		let mut line = Vec::new();
		for number in 1.. {
			line.clear();
			let read = reader.by_ref().take(MAX_LINE_BYTES + 1).read_until(b'\n', &mut line)?;
			if read == 0 {
				break;
			}
			if read as u64 > MAX_LINE_BYTES {
				return Err(HistoryError::LineTooLong { line: number });
			}
			if line.iter().all(u8::is_ascii_whitespace) {
				continue;
			}
			if epochs.len() == MAX_EPOCHS {
				return Err(HistoryError::TooManyEpochs);
			}
			let epoch = serde_json::from_slice(&line)
				.map_err(|source| HistoryError::Json { line: number, source })?;
			epochs.push(epoch);
		}
		let history = Self { epochs };
		history.check()?;
		Ok(history)
	}

	/// Write the history as JSON Lines.
	pub fn write(&self, mut out: impl Write) -> std::io::Result<()> {
		for epoch in &self.epochs {
			serde_json::to_writer(&mut out, epoch)?;
			out.write_all(b"\n")?;
		}
		Ok(())
	}

	/// Check the bounds and that every epoch is consistent (numbering lines from 1).
	pub fn check(&self) -> Result<(), HistoryError> {
		if self.epochs.is_empty() {
			return Err(HistoryError::Empty);
		}
		if self.epochs.len() > MAX_EPOCHS {
			return Err(HistoryError::TooManyEpochs);
		}
		let mut previous = None;
		let mut named = Vec::new();
		for (index, epoch) in self.epochs.iter().enumerate() {
			let line = index + 1;
			let uids = epoch.len();
			if uids == 0 || uids > MAX_UIDS {
				return Err(HistoryError::Uids { line, uids });
			}
			let lengths = [
				("permits", epoch.permits.len()),
				("registered_at", epoch.registered_at.len()),
				("last_update", epoch.last_update.len()),
				("weights", epoch.weights.len()),
			];
			if let Some(&(field, found)) = lengths.iter().find(|(_, found)| *found != uids) {
				return Err(HistoryError::Length { line, field, expected: uids, found });
			}
			for (uid, row) in epoch.weights.iter().enumerate() {
				named.clear();
				named.resize(uids, false);
				for &(target, _) in row {
					match named.get_mut(target as usize) {
						None => return Err(HistoryError::Target { line, uid, target }),
						Some(true) => return Err(HistoryError::Duplicate { line, uid, target }),
						Some(seen) => *seen = true,
					}
				}
			}
			if epoch.tempo == 0 || previous.is_some_and(|p| epoch.block <= p) {
				let previous = previous.unwrap_or(0);
				return Err(HistoryError::Order { line, block: epoch.block, previous });
			}
			previous = Some(epoch.block);
		}
		Ok(())
	}

	/// The most uids any epoch holds.
	pub fn max_uids(&self) -> usize {
		self.epochs.iter().map(EpochRecord::len).max().unwrap_or(0)
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	fn epoch(block: u64) -> EpochRecord {
		EpochRecord {
			block,
			tempo: 360,
			stakes: vec![500, 300, 0],
			permits: vec![true, true, false],
			registered_at: vec![0, 0, 12],
			last_update: vec![block - 1, block - 5, 12],
			weights: vec![vec![(2, 65535)], vec![(2, 65535)], vec![]],
		}
	}

	#[test]
	fn a_history_round_trips_through_json_lines() {
		let history = History { epochs: vec![epoch(720), epoch(1080)] };
		let mut file = Vec::new();
		history.write(&mut file).expect("write");
		assert_eq!(History::read(file.as_slice()).expect("read"), history);
		let example =
			br#"{"block":720,"tempo":360,"stakes":[500,300,0],"permits":[true,true,false],
		"registered_at":[0,0,12],"last_update":[719,715,12],"weights":[[[2,65535]],[[2,65535]],[]]}"#;
		let one_line: Vec<u8> = example.iter().copied().filter(|b| *b != b'\n').collect();
		assert_eq!(
			History::read(one_line.as_slice()).expect("the documented example").epochs,
			vec![epoch(720)]
		);
	}

	#[test]
	fn inconsistent_histories_are_refused_with_the_line() {
		let read = |epochs: Vec<EpochRecord>| {
			let mut file = Vec::new();
			History { epochs }.write(&mut file).expect("write");
			History::read(file.as_slice())
		};
		let mut short = epoch(720);
		short.permits.pop();
		assert!(matches!(
			read(vec![short]),
			Err(HistoryError::Length { line: 1, field: "permits", .. })
		));
		let mut stray = epoch(1080);
		stray.weights[0].push((7, 1));
		assert!(matches!(
			read(vec![epoch(720), stray]),
			Err(HistoryError::Target { line: 2, uid: 0, target: 7 })
		));
		let mut twice = epoch(1080);
		twice.weights[1].push((2, 7));
		assert!(matches!(
			read(vec![twice]),
			Err(HistoryError::Duplicate { line: 1, uid: 1, target: 2 })
		));
		assert!(matches!(
			read(vec![epoch(720), epoch(720)]),
			Err(HistoryError::Order { line: 2, .. })
		));
		assert!(matches!(read(vec![]), Err(HistoryError::Empty)));
		assert!(matches!(
			History::read(&b"{\"block\":1}\n"[..]),
			Err(HistoryError::Json { line: 1, .. })
		));
		assert!(matches!(History::read(&b"\n[]\n"[..]), Err(HistoryError::Json { line: 2, .. })));
	}

	#[test]
	fn an_overlong_line_is_refused_before_it_is_parsed() {
		let long = vec![b' '; MAX_LINE_BYTES as usize + 10];
		assert!(matches!(
			History::read(long.as_slice()),
			Err(HistoryError::LineTooLong { line: 1 })
		));
	}
}
