//! The reveal-interval advisor at the size the issue sets: 256 uids (64 validators), 200 epochs,
//! 21 intervals, in both modes. Under `cargo test` (no `--bench`) a small run checks that the
//! benchmark works.
//!
//! `cargo bench -p galton-engine --bench interval_advice`

use std::time::Instant;

use galton_engine::{
	interval_advice::{advise, CopierSettings, CopierStake, Mode},
	synthetic_subnet::{generate, SyntheticSpec},
};
use galton_yuma::Hyperparameters;

/// The allocator `galton-eval` runs with.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
	let full = std::env::args().any(|arg| arg == "--bench");
	let spec = if full {
		SyntheticSpec { miners: 192, validators: 64, epochs: 200, ..SyntheticSpec::default() }
	} else {
		SyntheticSpec { miners: 12, validators: 4, epochs: 20, ..SyntheticSpec::default() }
	};
	let intervals: Vec<u32> = (0..=20).collect();
	let history = generate(&spec);
	let runs = if full { 3 } else { 1 };
	let mut times: Vec<f64> = (0..runs)
		.map(|_| {
			let started = Instant::now();
			for mode in [Mode::Chain, Mode::Otf2024] {
				let settings = CopierSettings {
					params: Hyperparameters::default(),
					mode,
					stake: CopierStake::MedianValidator,
					average_over: 10,
				};
				advise(&history, &settings, &intervals, 0.18, &|_| {}).expect("advice");
			}
			started.elapsed().as_secs_f64()
		})
		.collect();
	times.sort_by(f64::total_cmp);
	println!(
		"interval_advice: {} uids ({} validators), {} epochs, {} intervals, both modes: {:.2} s (median of {runs}, best {:.2} s)",
		spec.miners + spec.validators,
		spec.validators,
		spec.epochs,
		intervals.len(),
		times[times.len() / 2],
		times[0],
	);
}
