//! Time to simulate a competition with the epsilon advisor's simulator.
//!
//! `cargo bench -p galton-engine --bench simulation` runs 256 miners committed at block 0 and
//! 100 later submissions (improvements of 0.05% to 1%, every tenth a copy of the leader) over
//! 30 days of the dev chain (1 s blocks, a round every 600 blocks: 4,320 rounds of 16 batches,
//! noise 1%) under the dev chain's schedule (`docs/subnet-owners.md`). Under `cargo test` (no
//! `--bench` argument) it runs 8 miners and 4 submissions for a day.

use std::time::Instant;

use galton_engine::simulation::{simulate, Quality, Settings, Submission};
use galton_primitives::EpsilonSchedule;
use rand_chacha::ChaCha20Rng;
use rand_core::{Rng, SeedableRng};
use sp_arithmetic::Perbill;

fn main() {
	let bench = std::env::args().any(|a| a == "--bench");
	let (miners, later, days) = if bench { (256, 100, 30) } else { (8, 4, 1) };
	let horizon = days * 86_400;
	let mut rng = ChaCha20Rng::seed_from_u64(1);
	let mut submissions: Vec<Submission> =
		(0..miners).map(|_| Submission { block: 0, quality: Quality::Loss(3.0) }).collect();
	let mut blocks: Vec<u64> = (0..later).map(|_| 1 + rng.next_u64() % (horizon - 1)).collect();
	blocks.sort_unstable();
	for (i, block) in blocks.into_iter().enumerate() {
		let quality = if i % 10 == 9 {
			Quality::CopyOf(submissions.len() - 1)
		} else {
			Quality::Improvement(0.0005 + f64::from(rng.next_u32() % 9_500) / 1e6)
		};
		submissions.push(Submission { block, quality });
	}
	let settings = Settings {
		schedule: EpsilonSchedule::Linear {
			start: Perbill::from_parts(5_000_000),
			end: Perbill::from_parts(100_000),
			decay_blocks: 14_400,
		},
		batches: 16,
		round_every: 600,
		horizon,
		temperature: 0.01,
		alpha: 0.5,
		noise: 0.01,
		seed: 2,
	};
	let started = Instant::now();
	let run = simulate(&submissions, &settings).expect("the settings are valid");
	let elapsed = started.elapsed();
	let tops = run.outcomes.iter().filter(|o| o.first_top.is_some()).count();
	println!(
		"simulation: {miners} miners + {later} submissions, {} rounds of {} batches: {:.2} s ({tops} reached the top)",
		run.rounds.len(),
		settings.batches,
		elapsed.as_secs_f64()
	);
}
