//! One epoch of Yuma Consensus: subtensor's sparse `epoch_mechanism`, step for step.

use crate::{
	bonds, matrix, median,
	vector::{self, padded, proportion_to_u16, u16_to_proportion},
	SparseMatrix,
};
use alloc::vec::Vec;
use substrate_fixed::types::{I32F32, I64F64, I96F32};

/// The subnet hyperparameters an epoch reads, in the units the chain stores them.
#[derive(Clone, Debug, PartialEq)]
pub struct Hyperparameters {
	/// Blocks between epochs.
	pub tempo: u64,
	/// A uid whose last weight update is more than this many blocks old is inactive.
	pub activity_cutoff: u64,
	/// The stake quantile consensus is taken at, as a fraction of `u16::MAX` (half: 32767).
	pub kappa: u16,
	/// How far bonds follow the clipped weights instead of the raw ones, of `u16::MAX`.
	pub bonds_penalty: u16,
	/// The weight of the old bonds in their moving average, per million.
	pub bonds_moving_average: u64,
	/// How many uids hold a validator permit: the largest stakes.
	pub max_allowed_validators: u16,
	/// The stake below which a uid (other than the owner's) counts as having none.
	pub stake_threshold: u64,
	/// Yuma 3: bonds are each validator's own moving average of its weights.
	pub yuma3: bool,
	/// Liquid alpha (Yuma 3 only): a per-bond moving-average coefficient.
	pub liquid_alpha: Option<LiquidAlpha>,
	/// Not the chain's rule: consensus scaled to sum to one before the weights are clipped at
	/// it, the convention of the Foundation's May 2024 commit-reveal study. False on the chain.
	pub normalize_consensus: bool,
}

impl Default for Hyperparameters {
	/// subtensor's runtime defaults: tempo 360, activity cutoff 5000, kappa one half, full bonds
	/// penalty, moving average 0.9, 128 validators, no stake threshold, the original Yuma.
	fn default() -> Self {
		Self {
			tempo: 360,
			activity_cutoff: 5000,
			kappa: 32_767,
			bonds_penalty: u16::MAX,
			bonds_moving_average: 900_000,
			max_allowed_validators: 128,
			stake_threshold: 0,
			yuma3: false,
			liquid_alpha: None,
			normalize_consensus: false,
		}
	}
}

/// Liquid alpha's bounds and sigmoid steepness, as the chain stores them.
#[derive(Clone, Debug, PartialEq)]
pub struct LiquidAlpha {
	/// The smallest alpha, of `u16::MAX` (the chain's default 45875, 0.7).
	pub low: u16,
	/// The largest alpha, of `u16::MAX` (the chain's default 58982, 0.9).
	pub high: u16,
	/// The sigmoid's steepness (the chain's default 1000).
	pub steepness: i16,
}

impl LiquidAlpha {
	/// `(low, high)` as proportions.
	pub fn bounds(&self) -> (I32F32, I32F32) {
		(u16_to_proportion(self.low), u16_to_proportion(self.high))
	}
}

/// What an epoch reads from the chain's state, one entry per uid.
#[derive(Clone, Copy, Debug)]
pub struct EpochInput<'a> {
	/// The block the epoch runs in.
	pub block: u64,
	/// The block of the last epoch (`LastMechansimStepBlock`), zero if none was recorded.
	pub last_step: u64,
	/// The stake weight of each uid.
	pub stake: &'a [u64],
	/// The validator permits the last epoch issued.
	pub validator_permit: &'a [bool],
	/// The block each uid last set weights (or registered).
	pub last_update: &'a [u64],
	/// The block each uid registered.
	pub registered_at: &'a [u64],
	/// The weights as stored: per validator, `(uid, value)` max-upscaled to `u16::MAX`.
	pub weights: &'a [Vec<(u16, u16)>],
	/// The bonds as the last epoch stored them.
	pub bonds: &'a [Vec<(u16, u16)>],
	/// The subnet owner's uid: always permitted, its stake never filtered, its self-weight kept.
	pub owner: Option<u16>,
}

/// What an epoch computes, one entry per uid.
#[derive(Clone, Debug, PartialEq)]
pub struct EpochOutput {
	/// Stake after the threshold, normalized.
	pub stake: Vec<I32F32>,
	/// Whether each uid updated its weights within the activity cutoff.
	pub active: Vec<bool>,
	/// Active validators' stake, normalized.
	pub active_stake: Vec<I32F32>,
	/// The stake-weighted `kappa`-quantile of each column.
	pub consensus: Vec<I32F32>,
	/// The sum of each validator's weights clipped at consensus.
	pub validator_trust: Vec<I32F32>,
	/// Each miner's share of the miners' emission.
	pub incentive: Vec<I32F32>,
	/// Each validator's share of the validators' emission.
	pub dividends: Vec<I32F32>,
	/// Emission to each uid as a miner, in the unit of the epoch's emission.
	pub server_emission: Vec<u64>,
	/// Emission to each uid as a validator.
	pub validator_emission: Vec<u64>,
	/// Both, as the chain records them.
	pub emission: Vec<u64>,
	/// The permits for the next epoch.
	pub validator_permit: Vec<bool>,
	/// The bonds the chain stores for the next epoch (empty for uids without a permit).
	pub bonds: Vec<Vec<(u16, u16)>>,
}

/// The stored `(uid, u16)` rows as fixed point, keeping entry `(i, j)` where `j < n` and
/// `keep(i, j)`; `scale` converts. The chain masks in several passes; one pass keeps the same.
fn read_rows(
	rows: &[Vec<(u16, u16)>],
	n: usize,
	keep: impl Fn(usize, usize) -> bool,
	scale: impl Fn(u16) -> I32F32,
) -> SparseMatrix {
	(0..n)
		.map(|i| {
			let Some(row) = rows.get(i) else { return Vec::new() };
			let mut read = Vec::with_capacity(row.len());
			let kept = row.iter().filter(|(j, _)| (*j as usize) < n && keep(i, *j as usize));
			read.extend(kept.map(|&(j, v)| (j, scale(v))));
			read
		})
		.collect()
}

/// One epoch over `n` uids paying out `emission`.
pub fn run(params: &Hyperparameters, input: &EpochInput, n: usize, emission: u64) -> EpochOutput {
	let zero = I32F32::from_num(0);
	let last_update = padded(input.last_update, n);
	let registered_at = padded(input.registered_at, n);
	let owner = input.owner.filter(|uid| (*uid as usize) < n);
	let is_owner = |uid: usize| owner.is_some_and(|o| o as usize == uid);

	// Active: updated within the cutoff.
	let active: Vec<bool> = last_update
		.iter()
		.map(|updated| updated.saturating_add(params.activity_cutoff) >= input.block)
		.collect();
	let inactive: Vec<bool> = active.iter().map(|a| !a).collect();

	// Stake: below the threshold counts as none (not the owner's), normalized in I64F64.
	let mut stake64: Vec<I64F64> = padded(input.stake, n)
		.iter()
		.enumerate()
		.map(|(uid, &s)| {
			if !is_owner(uid) && s < params.stake_threshold {
				I64F64::from_num(0)
			} else {
				I64F64::from_num(s)
			}
		})
		.collect();
	vector::normalize_64(&mut stake64);
	let stake: Vec<I32F32> = stake64.iter().map(|s| I32F32::saturating_from_num(*s)).collect();

	// Permits: last epoch's for this one, the top stakes for the next.
	let mut permit = padded(input.validator_permit, n);
	let mut new_permit = vector::is_top_k_nonzero(&stake, params.max_allowed_validators as usize);
	if let Some(owner) = owner {
		permit[owner as usize] = true;
		new_permit[owner as usize] = true;
	}
	let forbidden: Vec<bool> = permit.iter().map(|p| !p).collect();

	let mut active_stake = stake.clone();
	vector::mask(&inactive, &mut active_stake);
	vector::mask(&forbidden, &mut active_stake);
	vector::normalize(&mut active_stake);

	// Weights: from permitted validators, not on themselves (the owner's excepted), not older
	// than the registration of the uid they weigh; each row normalized.
	let fresh = |i: usize, j: usize| {
		let permitted = !forbidden[i];
		let not_on_itself = i != j || is_owner(i);
		permitted && not_on_itself && last_update[i] > registered_at[j]
	};
	let mut weights = read_rows(input.weights, n, fresh, I32F32::from_num);
	matrix::row_normalize(&mut weights);

	// Consensus, clipping, trust and incentive.
	let kappa = u16_to_proportion(params.kappa);
	let mut consensus = median::weighted_median_columns(&active_stake, &weights, n, kappa);
	if params.normalize_consensus {
		vector::normalize(&mut consensus);
	}
	let clipped = matrix::col_clip(&weights, &consensus);
	let validator_trust = matrix::row_sum(&clipped);
	let mut incentive = matrix::matmul(&clipped, &active_stake, n);
	vector::normalize(&mut incentive);

	// Bonds and dividends.
	let penalty = u16_to_proportion(params.bonds_penalty);
	let weights_for_bonds = matrix::interpolate(&weights, &clipped, n, penalty);
	let last_tempo = if input.last_step == 0 {
		input.block.saturating_sub(params.tempo)
	} else {
		input.last_step.saturating_add(1)
	};
	// Bonds on a uid registered since the last epoch belong to the neuron it replaced.
	let not_replaced = |_: usize, j: usize| last_tempo > registered_at[j];
	let (dividends, new_bonds) = if params.yuma3 {
		let old = read_rows(input.bonds, n, not_replaced, u16_to_proportion);
		let ema = bonds::yuma3(
			&weights_for_bonds,
			&old,
			&consensus,
			params.bonds_moving_average,
			params.liquid_alpha.as_ref(),
		);
		let mut normalized = ema.clone();
		matrix::col_normalize(&mut normalized, n);
		let per_validator = matrix::row_sum(&matrix::scale_columns(&normalized, &incentive));
		let mut dividends = vector::hadamard(&per_validator, &active_stake);
		vector::normalize(&mut dividends);
		(dividends, ema)
	} else {
		let mut old = read_rows(input.bonds, n, not_replaced, I32F32::from_num);
		matrix::col_normalize(&mut old, n);
		let mut delta = matrix::scale_rows(&weights_for_bonds, &active_stake);
		matrix::col_normalize(&mut delta, n);
		let mut ema = matrix::ema(&delta, &old, bonds::fixed_alpha(params.bonds_moving_average));
		matrix::col_normalize(&mut ema, n);
		let mut dividends = matrix::matmul_transpose(&ema, &incentive);
		vector::normalize(&mut dividends);
		matrix::col_max_upscale(&mut ema, n);
		(dividends, ema)
	};

	// Emission: incentive to miners and dividends to validators, normalized together; with
	// nothing to pay on, it goes by stake.
	let combined: Vec<I32F32> =
		incentive.iter().zip(&dividends).map(|(i, d)| i.saturating_add(*d)).collect();
	let total = vector::sum(&combined);
	let mut server = incentive.clone();
	let mut validator = dividends.clone();
	let mut everything = combined;
	vector::normalize_by(&mut server, total);
	vector::normalize_by(&mut validator, total);
	vector::normalize(&mut everything);
	if total == zero {
		let fallback = if vector::sum(&active_stake) == zero { &stake } else { &active_stake };
		validator.clone_from(fallback);
		everything.clone_from(fallback);
	}
	let paid = |shares: &[I32F32]| -> Vec<u64> {
		let emission = I96F32::saturating_from_num(emission);
		shares
			.iter()
			.map(|share| {
				I96F32::saturating_from_num(*share)
					.saturating_mul(emission)
					.saturating_to_num::<u64>()
			})
			.collect()
	};

	let stored_bonds = new_bonds
		.iter()
		.zip(&new_permit)
		.map(|(row, permitted)| {
			if *permitted {
				row.iter().map(|&(j, value)| (j, proportion_to_u16(value))).collect()
			} else {
				Vec::new()
			}
		})
		.collect();
	EpochOutput {
		server_emission: paid(&server),
		validator_emission: paid(&validator),
		emission: paid(&everything),
		stake,
		active,
		active_stake,
		consensus,
		validator_trust,
		incentive,
		dividends,
		validator_permit: new_permit,
		bonds: stored_bonds,
	}
}
