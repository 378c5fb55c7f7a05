//! Time to score a competition: pairwise epsilon-adjusted wins, win rates, softmax and `u16`
//! weights.
//!
//! `cargo bench -p galton-engine --bench scoring` scores 256 models x 1024 batches (the
//! configuration of `benchmarking/README.md`). Under `cargo test` (no `--bench` argument) it
//! scores 8 x 16 once.

use std::{collections::BTreeMap, time::Instant};

use galton_engine::scoring::{competition_scores, to_u16, Contender};
use galton_primitives::{EpsilonSchedule, Uid};
use rand_chacha::ChaCha20Rng;
use rand_core::{Rng, SeedableRng};
use sp_arithmetic::Perbill;

fn main() {
	let bench = std::env::args().any(|a| a == "--bench");
	let (models, batches, rounds) = if bench { (256u16, 1024usize, 10) } else { (8, 16, 1) };
	let mut rng = ChaCha20Rng::seed_from_u64(2);
	let contenders: BTreeMap<Uid, Contender> = (0..models)
		.map(|uid| {
			let losses =
				(0..batches).map(|_| 2.0 + f64::from(rng.next_u32() % 1_000_000) / 1e6).collect();
			(uid, Contender { commit_block: u64::from(rng.next_u32() % 100_000), losses })
		})
		.collect();
	let schedule = EpsilonSchedule::Linear {
		start: Perbill::from_parts(5_000_000),
		end: Perbill::from_parts(100_000),
		decay_blocks: 14_400,
	};
	let mut times = Vec::new();
	for _ in 0..rounds {
		let started = Instant::now();
		let weights = competition_scores(&contenders, &schedule, 100_000, 0.01).weights;
		let scaled = to_u16(&weights);
		times.push(started.elapsed().as_secs_f64());
		assert_eq!(scaled.values().copied().max(), Some(u16::MAX));
	}
	let mean = times.iter().sum::<f64>() / times.len() as f64;
	let best = times.iter().copied().fold(f64::INFINITY, f64::min);
	println!(
		"scoring: {models} models x {batches} batches, {rounds} rounds: mean {:.1} ms, best {:.1} ms",
		mean * 1e3,
		best * 1e3
	);
}
