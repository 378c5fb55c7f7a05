//! A seeded xorshift generator, so a run's faults and kill times repeat for the same seed.

use std::{ops::Range, time::Duration};

/// A xorshift64 generator.
pub struct Draws(u64);

impl Draws {
	/// A generator seeded with `seed` (any value: the state is kept non-zero).
	pub fn new(seed: u64) -> Self {
		Self(seed | 1)
	}

	fn next(&mut self) -> u64 {
		self.0 ^= self.0 << 13;
		self.0 ^= self.0 >> 7;
		self.0 ^= self.0 << 17;
		self.0
	}

	/// A draw in `[0, 1)`.
	pub fn unit(&mut self) -> f64 {
		(self.next() >> 11) as f64 / (1u64 << 53) as f64
	}

	/// A whole number of seconds in `range`, which must not be empty.
	pub fn seconds(&mut self, range: Range<u64>) -> Duration {
		Duration::from_secs(range.start + self.next() % (range.end - range.start))
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn the_same_seed_draws_the_same_numbers_and_a_zero_seed_still_draws() {
		let (mut a, mut b) = (Draws::new(7), Draws::new(7));
		let firsts: Vec<u64> = (0..5).map(|_| a.next()).collect();
		assert_eq!(firsts, (0..5).map(|_| b.next()).collect::<Vec<_>>());
		let mut zero = Draws::new(0);
		assert_ne!(zero.next(), 0);
	}

	#[test]
	fn draws_fall_in_their_ranges() {
		let mut draws = Draws::new(3);
		for _ in 0..1000 {
			let unit = draws.unit();
			assert!((0.0..1.0).contains(&unit));
			let seconds = draws.seconds(15..45).as_secs();
			assert!((15..45).contains(&seconds));
		}
	}
}
