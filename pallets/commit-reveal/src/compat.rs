//! What differs between the polkadot-sdk releases the pallet builds on, in one place: stable2609
//! by default, stable2506 (the release opentensor/subtensor runs) with the `stable2506` feature.

/// The bytes the current block holds so far: frame-system's `block_size` on stable2609 (its
/// header and extrinsics), `all_extrinsics_len` on stable2506, which has no `block_size`.
pub fn block_length<T: frame_system::Config>() -> u32 {
	#[cfg(feature = "stable2506")]
	return frame_system::Pallet::<T>::all_extrinsics_len();
	#[cfg(not(feature = "stable2506"))]
	return frame_system::Pallet::<T>::block_size();
}

/// Make the current block `len` bytes long so far, as [`block_length`] reads it.
#[cfg(test)]
pub fn set_block_length<T: frame_system::Config>(len: u32) {
	#[cfg(feature = "stable2506")]
	frame_system::AllExtrinsicsLen::<T>::put(len);
	#[cfg(not(feature = "stable2506"))]
	frame_system::BlockSize::<T>::put(len);
}
