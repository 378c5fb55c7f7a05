//! A subnet's state between epochs, changed as subtensor's extrinsics and hooks change it:
//! registration (appending a uid, or replacing one), `set_weights`, stake, and the epoch that
//! stores bonds and permits for the next.

use crate::{
	epoch::{self, EpochInput, EpochOutput, Hyperparameters},
	vector,
};
use alloc::vec::Vec;
use core::fmt;
use substrate_fixed::types::I32F32;

/// Why a change to a [`Subnet`] was refused; the subnet is unchanged.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SubnetError {
	/// The uid is not registered.
	UnknownUid(u16),
	/// The weights name a uid that is not registered.
	UnknownTarget(u16),
	/// `uids` and `values` differ in length.
	LengthMismatch {
		/// How many uids.
		uids: usize,
		/// How many values.
		values: usize,
	},
	/// The subnet holds `u16::MAX + 1` uids already.
	Full,
}

impl fmt::Display for SubnetError {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		match self {
			Self::UnknownUid(uid) => write!(f, "uid {uid} is not registered"),
			Self::UnknownTarget(uid) => {
				write!(f, "the weights name uid {uid}, which is not registered")
			}
			Self::LengthMismatch { uids, values } => {
				write!(f, "{uids} uids but {values} weight values")
			}
			Self::Full => write!(f, "the subnet has no uid left"),
		}
	}
}

#[cfg(feature = "std")]
impl std::error::Error for SubnetError {}

/// What the chain keeps for one subnet, per uid.
#[derive(Clone, Debug, PartialEq)]
pub struct Subnet {
	/// Its hyperparameters.
	pub params: Hyperparameters,
	/// The subnet owner's uid, if it holds one.
	pub owner: Option<u16>,
	/// Each uid's stake weight.
	pub stake: Vec<u64>,
	/// The permits the last epoch issued.
	pub validator_permit: Vec<bool>,
	/// The block each uid last set weights, or registered.
	pub last_update: Vec<u64>,
	/// The block each uid registered.
	pub registered_at: Vec<u64>,
	/// The weights each uid set, max-upscaled to `u16::MAX`.
	pub weights: Vec<Vec<(u16, u16)>>,
	/// The bonds the last epoch stored.
	pub bonds: Vec<Vec<(u16, u16)>>,
	/// The block of the last epoch run by the block hook ([`Subnet::step`]), zero before one.
	pub last_step: u64,
}

impl Subnet {
	/// An empty subnet.
	pub fn new(params: Hyperparameters) -> Self {
		Self {
			params,
			owner: None,
			stake: Vec::new(),
			validator_permit: Vec::new(),
			last_update: Vec::new(),
			registered_at: Vec::new(),
			weights: Vec::new(),
			bonds: Vec::new(),
			last_step: 0,
		}
	}

	/// How many uids are registered.
	pub fn len(&self) -> usize {
		self.stake.len()
	}

	/// Whether no uid is registered.
	pub fn is_empty(&self) -> bool {
		self.stake.is_empty()
	}

	fn check(&self, uid: u16) -> Result<usize, SubnetError> {
		let index = uid as usize;
		if index < self.len() {
			Ok(index)
		} else {
			Err(SubnetError::UnknownUid(uid))
		}
	}

	/// Register a new uid at `block` with `stake`, as `append_neuron`: no permit, no weights,
	/// its last update the registration block.
	pub fn register(&mut self, stake: u64, block: u64) -> Result<u16, SubnetError> {
		let uid = u16::try_from(self.len()).map_err(|_| SubnetError::Full)?;
		self.stake.push(stake);
		self.validator_permit.push(false);
		self.last_update.push(block);
		self.registered_at.push(block);
		self.weights.push(Vec::new());
		self.bonds.push(Vec::new());
		Ok(uid)
	}

	/// A new neuron takes `uid` at `block` with `stake`, as `replace_neuron`: its weights,
	/// bonds and permit cleared, every weight on it set to zero, its last update the
	/// registration block.
	pub fn replace(&mut self, uid: u16, stake: u64, block: u64) -> Result<(), SubnetError> {
		let index = self.check(uid)?;
		self.stake[index] = stake;
		self.validator_permit[index] = false;
		self.last_update[index] = block;
		self.registered_at[index] = block;
		self.weights[index].clear();
		self.bonds[index].clear();
		for (_, value) in self.weights.iter_mut().flatten().filter(|(target, _)| *target == uid) {
			*value = 0;
		}
		Ok(())
	}

	/// Change `uid`'s stake weight.
	pub fn set_stake(&mut self, uid: u16, stake: u64) -> Result<(), SubnetError> {
		let index = self.check(uid)?;
		self.stake[index] = stake;
		Ok(())
	}

	/// `uid` sets `values` on `uids` at `block`, stored max-upscaled as `set_weights` stores
	/// them. The chain's other checks (rate limit, minimum count, version key) are the
	/// caller's.
	pub fn set_weights(
		&mut self,
		uid: u16,
		uids: &[u16],
		values: &[u16],
		block: u64,
	) -> Result<(), SubnetError> {
		let index = self.check(uid)?;
		if uids.len() != values.len() {
			return Err(SubnetError::LengthMismatch { uids: uids.len(), values: values.len() });
		}
		if let Some(&target) = uids.iter().find(|target| **target as usize >= self.len()) {
			return Err(SubnetError::UnknownTarget(target));
		}
		let fixed: Vec<I32F32> = values.iter().map(|v| I32F32::from_num(*v)).collect();
		self.weights[index] =
			uids.iter().copied().zip(vector::max_upscale_to_u16(&fixed)).collect();
		self.last_update[index] = block;
		Ok(())
	}

	/// Run an epoch at `block` paying `emission`, and store its bonds and permits, as the
	/// chain's `epoch` (the block of the last step is left as it is).
	pub fn epoch(&mut self, block: u64, emission: u64) -> EpochOutput {
		let input = EpochInput {
			block,
			last_step: self.last_step,
			stake: &self.stake,
			validator_permit: &self.validator_permit,
			last_update: &self.last_update,
			registered_at: &self.registered_at,
			weights: &self.weights,
			bonds: &self.bonds,
			owner: self.owner,
		};
		let output = epoch::run(&self.params, &input, self.len(), emission);
		self.bonds.clone_from(&output.bonds);
		self.validator_permit.clone_from(&output.validator_permit);
		output
	}

	/// [`Subnet::epoch`] as the block hook runs it, recording `block` as the last step.
	pub fn step(&mut self, block: u64, emission: u64) -> EpochOutput {
		let output = self.epoch(block, emission);
		self.last_step = block;
		output
	}
}

impl Default for Subnet {
	fn default() -> Self {
		Self::new(Hyperparameters::default())
	}
}
