//! subtensor's own epoch tests (`pallets/subtensor/src/tests/epoch.rs` at opentensor/subtensor
//! 14bc6f9, 2026-06-30) replayed on [`Subnet`]: the same registrations, stakes, weights and
//! blocks, and the values those tests assert, carried over as data. Where subtensor's test
//! checks a value exactly, so does this one; where it allows 1e-3, so does this one.

use galton_yuma::{
	vector::{proportion_to_u16, u16_to_proportion},
	EpochOutput, Hyperparameters, LiquidAlpha, Subnet, I32F32,
};

/// The emission every one of subtensor's epoch tests pays out.
const EMISSION: u64 = 1_000_000_000;

/// A subnet and the block it is at, driven as subtensor's mock runtime drives its tests.
struct Chain {
	subnet: Subnet,
	block: u64,
}

impl Chain {
	/// `stakes.len()` uids registered at `block` with `stakes`.
	fn new(params: Hyperparameters, stakes: &[u64], block: u64) -> Self {
		let mut subnet = Subnet::new(params);
		for &stake in stakes {
			subnet.register(stake, block).expect("room for the uid");
		}
		Self { subnet, block }
	}

	fn next_block(&mut self) {
		self.block += 1;
	}

	fn run_to_block(&mut self, block: u64) {
		self.block = self.block.max(block);
	}

	fn set_weights(&mut self, uid: u16, uids: &[u16], values: &[u16]) {
		self.subnet.set_weights(uid, uids, values, self.block).expect("valid weights");
	}

	/// `SubtensorModule::epoch`, called directly as the tests do (no last step recorded).
	fn epoch(&mut self) -> EpochOutput {
		self.subnet.epoch(self.block, EMISSION)
	}

	/// `get_bonds`: the stored `u16` of `bonds[i][j]`, zero when absent.
	fn bond(&self, i: usize, j: u16) -> u16 {
		self.subnet.bonds[i].iter().find(|(column, _)| *column == j).map_or(0, |(_, value)| *value)
	}
}

fn dividend(output: &EpochOutput, uid: usize) -> u16 {
	proportion_to_u16(output.dividends[uid])
}

/// `test_bonds`: four validators of stake 1..4 weigh four miners 0.1..0.4, then one by one
/// weigh only themselves (masked), then validator 3 moves to the last miner alone.
#[test]
fn test_bonds() {
	let params =
		Hyperparameters { tempo: 1, max_allowed_validators: 8, ..Hyperparameters::default() };
	let mut chain = Chain::new(params, &[1, 2, 3, 4, 0, 0, 0, 0], 1);
	chain.epoch();
	chain.next_block();
	let miners = [4, 5, 6, 7];
	for uid in 0..4 {
		chain.set_weights(
			uid,
			&miners,
			&[u16::MAX / 4, u16::MAX / 2, (u16::MAX / 4) * 3, u16::MAX],
		);
	}
	chain.epoch();
	let column = |chain: &Chain, j: u16| -> Vec<u16> { (0..4).map(|i| chain.bond(i, j)).collect() };
	assert_eq!(column(&chain, 4), [16383, 32767, 49151, 65535]);

	for (uid, expected) in [(0, [14582, 32767, 49151, 65535]), (1, [12603, 28321, 49151, 65535])] {
		chain.set_weights(uid, &[uid], &[u16::MAX]);
		chain.next_block();
		chain.epoch();
		assert_eq!(column(&chain, 4), expected, "after uid {uid} weighs itself only");
	}
	chain.set_weights(2, &[2], &[u16::MAX]);
	chain.next_block();
	chain.epoch();
	assert_eq!(column(&chain, 7), [12602, 28320, 49150, 65535], "only uid 3 weighs: no consensus");

	chain.set_weights(2, &[7], &[u16::MAX]);
	for expected in
		[[10951, 24609, 49150, 65535], [9559, 21482, 49150, 65535], [8376, 18824, 49150, 65535]]
	{
		chain.next_block();
		chain.epoch();
		assert_eq!(column(&chain, 7), expected);
	}
}

/// `test_active_stake`: two validators of equal stake; one goes quiet past the activity
/// cutoff and its bonds and dividends fall behind until it updates again.
#[test]
fn test_active_stake() {
	let params =
		Hyperparameters { tempo: 1, max_allowed_validators: 4, ..Hyperparameters::default() };
	let cutoff = params.activity_cutoff;
	let mut chain = Chain::new(params, &[1, 1, 1, 1], 0);
	chain.epoch();
	chain.next_block();
	for uid in 0..2 {
		chain.set_weights(uid, &[2, 3], &[u16::MAX / 2, u16::MAX / 2]);
	}
	let output = chain.epoch();
	for uid in 0..4 {
		if uid < 2 {
			assert_eq!(dividend(&output, uid), 32767);
		}
		assert_eq!(output.emission[uid], 250_000_000);
	}
	for i in 0..2 {
		assert_eq!((chain.bond(i, 0), chain.bond(i, 1)), (0, 0));
		assert_eq!((chain.bond(i, 2), chain.bond(i, 3)), (65535, 65535));
	}

	chain.run_to_block(cutoff + 2);
	chain.set_weights(0, &[2, 3], &[u16::MAX / 2, u16::MAX / 2]);
	let output = chain.epoch();
	assert_eq!(dividend(&output, 0), 36044);
	assert_eq!(output.emission[0], 274_999_999);
	assert_eq!((chain.bond(0, 2), chain.bond(0, 3)), (65535, 65535));
	assert_eq!(dividend(&output, 1), 29490);
	assert_eq!(output.emission[1], 224_999_999);
	assert_eq!((chain.bond(1, 2), chain.bond(1, 3)), (53619, 53619));

	chain.set_weights(1, &[2, 3], &[u16::MAX / 2, u16::MAX / 2]);
	chain.run_to_block(cutoff + 3);
	let output = chain.epoch();
	assert_eq!(dividend(&output, 0), 35716);
	assert_eq!(output.emission[0], 272_501_132);
	assert_eq!((chain.bond(0, 2), chain.bond(0, 3)), (65535, 65535));
	assert_eq!(dividend(&output, 1), 29818);
	assert_eq!(output.emission[1], 227_498_866);
	assert_eq!((chain.bond(1, 2), chain.bond(1, 3)), (54712, 54712));
}

/// `test_outdated_weights`: a miner is replaced by a new registration; weights set before it
/// registered no longer count for it.
#[test]
fn test_outdated_weights() {
	let params =
		Hyperparameters { tempo: 0, max_allowed_validators: 4, ..Hyperparameters::default() };
	let mut chain = Chain::new(params, &[1, 1, 1, 1], 1);
	chain.epoch();
	chain.next_block();
	for uid in 0..2 {
		chain.set_weights(uid, &[2, 3], &[2 * (u16::MAX / 3), u16::MAX / 3]);
	}
	for uid in 2..4 {
		chain.set_weights(uid, &[uid], &[u16::MAX]);
	}
	chain.epoch();

	// The least-paid miner, uid 3, is deregistered and a new key (no stake) takes its place.
	chain.subnet.replace(3, 0, chain.block).expect("uid 3");
	chain.next_block();
	chain.set_weights(0, &[2, 3], &[2 * (u16::MAX / 3), u16::MAX / 3]);
	let output = chain.epoch();
	assert_eq!(dividend(&output, 0), 32767);
	assert_eq!(output.emission[0], 250_000_000);
	assert_eq!((chain.bond(0, 2), chain.bond(0, 3)), (65535, 65535));
}

/// `test_zero_weights`: with no weights, only self-weights, or only outdated weights, the
/// whole emission goes to the validator by stake; fresh weights split it.
#[test]
fn test_zero_weights() {
	let params = Hyperparameters { tempo: u64::from(u16::MAX - 1), ..Hyperparameters::default() };
	let mut chain = Chain::new(params, &[1, 0], 1);
	let by_stake = |output: &EpochOutput| assert_eq!(output.emission, [EMISSION, 0]);
	by_stake(&chain.epoch());

	chain.set_weights(1, &[1], &[u16::MAX]);
	by_stake(&chain.epoch());

	chain.run_to_block(2);
	chain.set_weights(0, &[1], &[u16::MAX]);
	chain.subnet.replace(1, 0, chain.block).expect("uid 1");
	by_stake(&chain.epoch());

	chain.run_to_block(3);
	chain.set_weights(0, &[1], &[u16::MAX]);
	assert_eq!(chain.epoch().emission, [EMISSION / 2, EMISSION / 2]);
}

/// `test_validator_permits`: permits go to the largest stakes at or above the threshold, and
/// move when the miners' stake overtakes the validators'. subtensor's third, random
/// arrangement is replaced by two fixed permutations.
#[test]
fn test_validator_permits() {
	for (network_n, validators_n) in [(2usize, 1usize), (4, 2), (8, 4)] {
		let mut arrangements: Vec<Vec<u16>> = vec![
			(0..network_n as u16).collect(),
			(0..network_n as u16)
				.filter(|i| (*i as usize).is_multiple_of(network_n / validators_n))
				.collect(),
			(0..network_n as u16).rev().take(validators_n).collect(),
		];
		arrangements
			.push((0..network_n as u16).filter(|i| i % 2 == 1).take(validators_n).collect());
		for (arrangement, chosen) in arrangements.iter().enumerate() {
			let validators: Vec<u16> = if arrangement == 0 {
				chosen.iter().copied().take(validators_n).collect()
			} else {
				chosen.clone()
			};
			let servers: Vec<u16> =
				(0..network_n as u16).filter(|uid| !validators.contains(uid)).collect();
			for assignment in 0..=1u64 {
				let stake: Vec<u64> = (0..network_n as u64)
					.map(|uid| match (validators.contains(&(uid as u16)), assignment) {
						(true, 1) => uid + network_n as u64,
						(true, _) => 1,
						(false, 1) => uid,
						(false, _) => 0,
					})
					.collect();
				let min_stake = validators_n as u64;
				let params = Hyperparameters {
					tempo: u64::from(u16::MAX - 1),
					max_allowed_validators: validators_n as u16,
					stake_threshold: min_stake,
					..Hyperparameters::default()
				};
				let mut chain = Chain::new(params, &stake, 1);
				chain.epoch();
				for &uid in &validators {
					assert_eq!(
						chain.subnet.validator_permit[uid as usize],
						stake[uid as usize] >= min_stake
					);
				}
				for &uid in &servers {
					assert!(!chain.subnet.validator_permit[uid as usize]);
				}
				for &uid in &servers {
					chain
						.subnet
						.set_stake(uid, stake[uid as usize] + 2 * network_n as u64)
						.expect("uid");
				}
				chain.epoch();
				for &uid in &validators {
					assert!(
						!chain.subnet.validator_permit[uid as usize],
						"{validators:?} {stake:?}"
					);
				}
				for &uid in &servers {
					assert!(chain.subnet.validator_permit[uid as usize]);
				}
			}
		}
	}
}

/// subtensor's `setup_yuma_3_scenario`: Yuma 3 with liquid alpha 0.1..0.3, steepness 1000,
/// moving average 0.975, no bonds penalty, three validator permits; the permits issued by a
/// first epoch a block after registration.
fn yuma3_chain(stakes: &[u64]) -> Chain {
	let params = Hyperparameters {
		tempo: 1,
		bonds_penalty: 0,
		bonds_moving_average: 975_000,
		max_allowed_validators: 3,
		yuma3: true,
		liquid_alpha: Some(LiquidAlpha {
			low: proportion_to_u16(I32F32::from_num(0.1)),
			high: proportion_to_u16(I32F32::from_num(0.3)),
			steepness: 1000,
		}),
		..Hyperparameters::default()
	};
	let mut chain = Chain::new(params, stakes, 1);
	chain.next_block();
	chain.epoch();
	chain
}

/// One step of a Yuma 3 case: the validators' weights on the miners, then the bonds of the
/// validators on the miners and everyone's dividends the chain reaches, within 1e-3.
struct Step<'a> {
	weights: Option<&'a [&'a [u16]]>,
	bonds: Option<&'a [&'a [f64]]>,
	dividends: &'a [f64],
}

fn run_yuma3(chain: &mut Chain, miners: &[u16], steps: &[Step]) {
	let close = |actual: I32F32, expected: f64| (actual.to_num::<f64>() - expected).abs() <= 1e-3;
	for (epoch, step) in steps.iter().enumerate() {
		if let Some(weights) = step.weights {
			for (uid, row) in weights.iter().enumerate() {
				chain.set_weights(uid as u16, miners, row);
			}
		}
		chain.next_block();
		let output = chain.epoch();
		for (uid, expected) in step.dividends.iter().enumerate() {
			let actual = u16_to_proportion(dividend(&output, uid));
			assert!(
				close(actual, *expected),
				"epoch {epoch}: dividend of {uid} is {actual}, expected {expected}"
			);
		}
		for (uid, row) in step.bonds.unwrap_or_default().iter().enumerate() {
			for (miner, expected) in miners.iter().zip(row.iter()) {
				let actual = u16_to_proportion(chain.bond(uid, *miner));
				assert!(
					close(actual, *expected),
					"epoch {epoch}: bond {uid}->{miner} is {actual}, expected {expected}"
				);
			}
		}
	}
}

const MAX: u16 = u16::MAX;

/// `test_yuma_3_kappa_moves_first`: the big validator (0.8) moves to the second miner first.
#[test]
fn test_yuma_3_kappa_moves_first() {
	let mut chain = yuma3_chain(&[8, 1, 1, 0, 0]);
	let all_first: &[&[u16]] = &[&[MAX, 0], &[MAX, 0], &[MAX, 0]];
	let all_second: &[&[u16]] = &[&[0, MAX], &[0, MAX], &[0, MAX]];
	run_yuma3(
		&mut chain,
		&[3, 4],
		&[
			Step {
				weights: Some(all_first),
				bonds: Some(&[&[0.1013, 0.0], &[0.1013, 0.0], &[0.1013, 0.0]]),
				dividends: &[0.8, 0.1, 0.1, 0.0, 0.0],
			},
			Step {
				weights: Some(&[&[0, MAX], &[MAX, 0], &[MAX, 0]]),
				bonds: Some(&[&[0.0908, 0.1013], &[0.3697, 0.0], &[0.3697, 0.0]]),
				dividends: &[1.0, 0.0, 0.0, 0.0, 0.0],
			},
			Step {
				weights: Some(&[&[0, MAX], &[0, MAX], &[MAX, 0]]),
				bonds: Some(&[&[0.0815, 0.1924], &[0.3170, 0.1013], &[0.5580, 0.0]]),
				dividends: &[0.9382, 0.0618, 0.0, 0.0, 0.0],
			},
			Step {
				weights: Some(all_second),
				bonds: Some(&[&[0.0731, 0.2742], &[0.2765, 0.1924], &[0.4306, 0.1013]]),
				dividends: &[0.8819, 0.0773, 0.0407, 0.0, 0.0],
			},
			Step {
				weights: None,
				bonds: Some(&[&[0.0656, 0.3478], &[0.2435, 0.2742], &[0.3589, 0.1924]]),
				dividends: &[0.8564, 0.0844, 0.0592, 0.0, 0.0],
			},
			Step {
				weights: None,
				bonds: Some(&[&[0.0588, 0.4139], &[0.2157, 0.3478], &[0.3089, 0.2742]]),
				dividends: &[0.8418, 0.0884, 0.0697, 0.0, 0.0],
			},
		],
	);
}

/// The three validators' rows in the two-miner cases: each on the first or the second miner.
const A1B1C1: &[&[u16]] = &[&[MAX, 0], &[MAX, 0], &[MAX, 0]];
const A2B2C2: &[&[u16]] = &[&[0, MAX], &[0, MAX], &[0, MAX]];
const A1B2C1: &[&[u16]] = &[&[MAX, 0], &[0, MAX], &[MAX, 0]];
const A2B2C1: &[&[u16]] = &[&[0, MAX], &[0, MAX], &[MAX, 0]];
const A1B2C2: &[&[u16]] = &[&[MAX, 0], &[0, MAX], &[0, MAX]];
const A1B1C2: &[&[u16]] = &[&[MAX, 0], &[MAX, 0], &[0, MAX]];

/// `test_yuma_3_kappa_moves_second`: a small validator moves first, the big one second.
#[test]
fn test_yuma_3_kappa_moves_second() {
	let mut chain = yuma3_chain(&[8, 1, 1, 0, 0]);
	run_yuma3(
		&mut chain,
		&[3, 4],
		&[
			Step {
				weights: Some(A1B1C1),
				bonds: Some(&[&[0.1013, 0.0], &[0.1013, 0.0], &[0.1013, 0.0]]),
				dividends: &[0.8, 0.1, 0.1, 0.0, 0.0],
			},
			Step {
				weights: Some(A1B2C1),
				bonds: Some(&[&[0.1924, 0.0], &[0.0908, 0.2987], &[0.1924, 0.0]]),
				dividends: &[0.8446, 0.0498, 0.1056, 0.0, 0.0],
			},
			Step {
				weights: Some(A2B2C1),
				bonds: Some(&[&[0.1715, 0.1013], &[0.0815, 0.3697], &[0.4336, 0.0]]),
				dividends: &[0.6868, 0.3132, 0.0, 0.0, 0.0],
			},
			Step {
				weights: Some(A2B2C2),
				bonds: Some(&[&[0.1531, 0.1924], &[0.0731, 0.4336], &[0.3608, 0.1013]]),
				dividends: &[0.7421, 0.2090, 0.0489, 0.0, 0.0],
			},
			Step {
				weights: None,
				bonds: Some(&[&[0.1369, 0.2742], &[0.0656, 0.4910], &[0.3103, 0.1924]]),
				dividends: &[0.7625, 0.1706, 0.0669, 0.0, 0.0],
			},
			Step {
				weights: None,
				bonds: Some(&[&[0.1225, 0.3478], &[0.0588, 0.5426], &[0.2712, 0.2742]]),
				dividends: &[0.7730, 0.1508, 0.0762, 0.0, 0.0],
			},
		],
	);
}

/// `test_yuma_3_kappa_moves_last`: both small validators move before the big one.
#[test]
fn test_yuma_3_kappa_moves_last() {
	let mut chain = yuma3_chain(&[8, 1, 1, 0, 0]);
	run_yuma3(
		&mut chain,
		&[3, 4],
		&[
			Step {
				weights: Some(A1B1C1),
				bonds: Some(&[&[0.1013, 0.0], &[0.1013, 0.0], &[0.1013, 0.0]]),
				dividends: &[0.8, 0.1, 0.1, 0.0, 0.0],
			},
			Step {
				weights: Some(A1B2C1),
				bonds: Some(&[&[0.1924, 0.0], &[0.0908, 0.2987], &[0.1924, 0.0]]),
				dividends: &[0.8446, 0.0498, 0.1056, 0.0, 0.0],
			},
			Step {
				weights: Some(A1B2C2),
				bonds: Some(&[&[0.2742, 0.0], &[0.0815, 0.5081], &[0.1715, 0.2987]]),
				dividends: &[0.8966, 0.0333, 0.0701, 0.0, 0.0],
			},
			Step {
				weights: Some(A2B2C2),
				bonds: Some(&[&[0.2416, 0.1013], &[0.0731, 0.5580], &[0.1531, 0.3697]]),
				dividends: &[0.4663, 0.3210, 0.2127, 0.0, 0.0],
			},
			Step {
				weights: None,
				bonds: Some(&[&[0.2141, 0.1924], &[0.0656, 0.6028], &[0.1369, 0.4336]]),
				dividends: &[0.5976, 0.2340, 0.1683, 0.0, 0.0],
			},
			Step {
				weights: None,
				bonds: Some(&[&[0.1903, 0.2742], &[0.0588, 0.6430], &[0.1225, 0.4910]]),
				dividends: &[0.6592, 0.1932, 0.1475, 0.0, 0.0],
			},
		],
	);
}

/// `test_yuma_3_one_epoch_switch`: one of three equal validators disagrees for one epoch.
#[test]
fn test_yuma_3_one_epoch_switch() {
	let mut chain = yuma3_chain(&[33, 33, 34, 0, 0]);
	run_yuma3(
		&mut chain,
		&[3, 4],
		&[
			Step {
				weights: Some(A1B1C1),
				bonds: Some(&[&[0.1013, 0.0], &[0.1013, 0.0], &[0.1013, 0.0]]),
				dividends: &[0.33, 0.33, 0.34, 0.0, 0.0],
			},
			Step {
				weights: Some(A1B1C1),
				bonds: Some(&[&[0.1924, 0.0], &[0.1924, 0.0], &[0.1924, 0.0]]),
				dividends: &[0.33, 0.33, 0.34, 0.0, 0.0],
			},
			Step {
				weights: Some(A1B1C2),
				bonds: Some(&[&[0.2742, 0.0], &[0.2742, 0.0], &[0.1715, 0.2987]]),
				dividends: &[0.3782, 0.3782, 0.2436, 0.0, 0.0],
			},
			Step {
				weights: Some(A1B1C1),
				bonds: Some(&[&[0.3478, 0.0], &[0.3478, 0.0], &[0.2554, 0.2618]]),
				dividends: &[0.3628, 0.3628, 0.2745, 0.0, 0.0],
			},
			Step {
				weights: Some(A1B1C1),
				bonds: Some(&[&[0.4139, 0.0], &[0.4139, 0.0], &[0.3309, 0.2312]]),
				dividends: &[0.3541, 0.3541, 0.2917, 0.0, 0.0],
			},
			Step {
				weights: Some(A1B1C1),
				bonds: Some(&[&[0.4733, 0.0], &[0.4733, 0.0], &[0.3987, 0.2051]]),
				dividends: &[0.3487, 0.3487, 0.3026, 0.0, 0.0],
			},
		],
	);
}

/// `test_yuma_3_liquid_alpha_disabled`: the one-epoch switch with the fixed alpha 0.025. Only
/// the dividends: subtensor's bond targets for this case list three columns for two miners
/// and its check never reads them.
#[test]
fn test_yuma_3_liquid_alpha_disabled() {
	let mut chain = yuma3_chain(&[33, 33, 34, 0, 0]);
	chain.subnet.params.liquid_alpha = None;
	let dividends: [&[f64]; 6] = [
		&[0.33, 0.33, 0.34, 0.0, 0.0],
		&[0.33, 0.33, 0.34, 0.0, 0.0],
		&[0.3734, 0.3734, 0.2532, 0.0, 0.0],
		&[0.3611, 0.3611, 0.2779, 0.0, 0.0],
		&[0.3541, 0.3541, 0.2919, 0.0, 0.0],
		&[0.3495, 0.3495, 0.3009, 0.0, 0.0],
	];
	let steps: Vec<Step> = dividends
		.iter()
		.enumerate()
		.map(|(epoch, dividends)| Step {
			weights: Some(if epoch == 2 { A1B1C2 } else { A1B1C1 }),
			bonds: None,
			dividends,
		})
		.collect();
	run_yuma3(&mut chain, &[3, 4], &steps);
	// The fixed alpha: after six epochs on the first miner, A's bond is 1 - 0.975^6.
	let bond = u16_to_proportion(chain.bond(0, 3)).to_num::<f64>();
	assert!((bond - (1.0 - 0.975f64.powi(6))).abs() < 1e-3, "{bond}");
}

/// `test_yuma_3_stable_miner`: three miners, one of them weighed by everyone throughout.
#[test]
fn test_yuma_3_stable_miner() {
	let mut chain = yuma3_chain(&[8, 1, 1, 0, 0, 0]);
	const H: u16 = u16::MAX / 2;
	let first_third: &[&[u16]] = &[&[H, 0, H], &[H, 0, H], &[H, 0, H]];
	let second_third: &[&[u16]] = &[&[0, H, H], &[0, H, H], &[0, H, H]];
	run_yuma3(
		&mut chain,
		&[3, 4, 5],
		&[
			Step {
				weights: Some(first_third),
				bonds: Some(&[
					&[0.0507, 0.0, 0.0507],
					&[0.0507, 0.0, 0.0507],
					&[0.0507, 0.0, 0.0507],
				]),
				dividends: &[0.8, 0.1, 0.1, 0.0, 0.0, 0.0],
			},
			Step {
				weights: Some(&[&[H, 0, H], &[0, H, H], &[H, 0, H]]),
				bonds: Some(&[
					&[0.0962, 0.0, 0.0962],
					&[0.0455, 0.1, 0.0962],
					&[0.0962, 0.0, 0.0962],
				]),
				dividends: &[0.8226, 0.0745, 0.1028, 0.0, 0.0, 0.0],
			},
			Step {
				weights: Some(&[&[0, H, H], &[0, H, H], &[H, 0, H]]),
				bonds: Some(&[
					&[0.0863, 0.0507, 0.1371],
					&[0.0408, 0.1405, 0.1371],
					&[0.1770, 0.0, 0.1371],
				]),
				dividends: &[0.7750, 0.1685, 0.0565, 0.0, 0.0, 0.0],
			},
			Step {
				weights: Some(second_third),
				bonds: Some(&[
					&[0.0774, 0.0962, 0.1739],
					&[0.0367, 0.1770, 0.1739],
					&[0.1579, 0.0507, 0.1739],
				]),
				dividends: &[0.7864, 0.1372, 0.0764, 0.0, 0.0, 0.0],
			},
			Step {
				weights: None,
				bonds: Some(&[
					&[0.0694, 0.1371, 0.2069],
					&[0.0329, 0.2097, 0.2069],
					&[0.1411, 0.0962, 0.2069],
				]),
				dividends: &[0.7912, 0.1241, 0.0847, 0.0, 0.0, 0.0],
			},
			Step {
				weights: None,
				bonds: Some(&[
					&[0.0623, 0.1739, 0.2366],
					&[0.0296, 0.2391, 0.2366],
					&[0.1263, 0.1371, 0.2366],
				]),
				dividends: &[0.7937, 0.1173, 0.0890, 0.0, 0.0, 0.0],
			},
		],
	);
}
