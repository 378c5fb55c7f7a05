//! The closed form of the Foundation's commit-reveal study's first figure: two validators and
//! two miners, `W = [[0, 1], [a, 1 - a]]`, `S = [1 - s, s]` with `s < 1/2`, one epoch from
//! empty bonds. The large validator sets consensus; the small one's weight off it is clipped,
//! so its dividend per stake is `(1 - a) / (1 - s a)`, and `1 - a` of the large one's.

use galton_yuma::{Hyperparameters, Subnet};

/// Stake units: enough that `s` is represented to well under the tolerance.
const TOTAL_STAKE: f64 = 1e12;

fn dividends_per_stake(s: f64, a: f64) -> (f64, f64) {
	let params = Hyperparameters { tempo: 1, ..Hyperparameters::default() };
	let mut subnet = Subnet::new(params);
	let (large, small) = ((1.0 - s) * TOTAL_STAKE, s * TOTAL_STAKE);
	for stake in [large as u64, small as u64, 0, 0] {
		subnet.register(stake, 0).expect("room");
	}
	subnet.epoch(1, 1_000_000_000); // permits for the validators
	let weight = |x: f64| (x * f64::from(u16::MAX)).round() as u16;
	subnet.set_weights(0, &[2, 3], &[0, u16::MAX], 2).expect("weights");
	subnet.set_weights(1, &[2, 3], &[weight(a), weight(1.0 - a)], 2).expect("weights");
	let output = subnet.epoch(3, 1_000_000_000);
	let dividend = |uid: usize| output.dividends[uid].to_num::<f64>();
	(dividend(0) / (1.0 - s), dividend(1) / s)
}

#[test]
fn the_small_validator_earns_one_minus_a_of_the_large_ones_dividend_per_stake() {
	let (_, small) = dividends_per_stake(0.1, 0.05);
	assert!((small - 0.9548).abs() < 1e-4, "the study's example: {small}");
	for s in [0.01, 0.1, 0.25, 0.4] {
		for a in [0.0, 0.05, 0.2, 0.5, 0.9] {
			let (large, small) = dividends_per_stake(s, a);
			let expected = (1.0 - a) / (1.0 - s * a);
			assert!((small - expected).abs() < 1e-4, "s={s} a={a}: {small} vs {expected}");
			assert!(
				(small / large - (1.0 - a)).abs() < 1e-4,
				"s={s} a={a}: ratio {}",
				small / large
			);
		}
	}
}
