//! Which uids of a subnet are held: one bit per uid, so that checking the uids of a weight
//! vector costs one storage read whatever its length.

use core::marker::PhantomData;
use frame_support::{traits::Get, BoundedVec};
use galton_primitives::Uid;

use crate::Config;

/// Bytes needed for one bit per possible neuron: `ceil(MaxNeurons / 8)`.
pub struct OccupancyBytes<T>(PhantomData<T>);

impl<T: Config> Get<u32> for OccupancyBytes<T> {
	fn get() -> u32 {
		T::MaxNeurons::get().div_ceil(8)
	}
}

/// The held uids of one subnet: bit `uid % 8` of byte `uid / 8`.
pub type OccupancyOf<T> = BoundedVec<u8, OccupancyBytes<T>>;

/// Whether `uid` is held.
pub fn is_held(occupancy: &[u8], uid: Uid) -> bool {
	occupancy.get(usize::from(uid / 8)).is_some_and(|byte| byte & (1 << (uid % 8)) != 0)
}

/// The lowest vacant uid below `count`, if any.
pub fn first_vacant(occupancy: &[u8], count: u16) -> Option<Uid> {
	(0..count).find(|uid| !is_held(occupancy, *uid))
}

/// Mark `uid` held or vacant; `Err` if `uid` is beyond `MaxNeurons`.
pub fn mark<T: Config>(occupancy: &mut OccupancyOf<T>, uid: Uid, held: bool) -> Result<(), ()> {
	let index = usize::from(uid / 8);
	while occupancy.len() <= index {
		occupancy.try_push(0).map_err(|_| ())?;
	}
	let byte = occupancy.get_mut(index).ok_or(())?;
	if held {
		*byte |= 1 << (uid % 8);
	} else {
		*byte &= !(1 << (uid % 8));
	}
	Ok(())
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::mock::Test;

	#[test]
	fn marks_and_finds_uids() {
		let mut occupancy = OccupancyOf::<Test>::default();
		assert!(!is_held(&occupancy, 3));
		assert_eq!(mark::<Test>(&mut occupancy, 3, true), Ok(()));
		assert!(is_held(&occupancy, 3));
		assert_eq!(first_vacant(&occupancy, 4), Some(0));
		for uid in 0..3 {
			assert_eq!(mark::<Test>(&mut occupancy, uid, true), Ok(()));
		}
		assert_eq!(first_vacant(&occupancy, 4), None);
		assert_eq!(mark::<Test>(&mut occupancy, 1, false), Ok(()));
		assert_eq!(first_vacant(&occupancy, 4), Some(1));
		// The mock allows five neurons: one byte, uids 0..8 fit, uid 8 does not.
		assert_eq!(mark::<Test>(&mut occupancy, 7, true), Ok(()));
		assert_eq!(mark::<Test>(&mut occupancy, 8, true), Err(()));
	}
}
