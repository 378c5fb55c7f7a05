//! When each uid's current hotkey registered, so that a reveal can drop the uids that changed
//! hands after its commit. The blocks are kept 256 uids to a storage entry (entry `uid / 256`):
//! a reveal reads one entry per 256-uid range it names, not one per uid.

use alloc::{collections::BTreeMap, vec::Vec};
use codec::MaxEncodedLen;
use frame_support::{
	traits::{ConstU32, Get},
	weights::Weight,
	BoundedVec,
};
use frame_system::pallet_prelude::BlockNumberFor;
use galton_primitives::{NetUid, Uid};
use sp_runtime::traits::Zero;

use crate::{occupancy, Config, OccupiedUids, RegistrationBlocks};

/// How many uids one [`RegistrationBlocks`] entry covers.
pub const UIDS_PER_ENTRY: u16 = 256;

/// The registration blocks of one range of [`UIDS_PER_ENTRY`] uids, by `uid % UIDS_PER_ENTRY`;
/// shorter when the range's last uids were never handed out.
pub type EntryOf<T> = BoundedVec<BlockNumberFor<T>, ConstU32<{ UIDS_PER_ENTRY as u32 }>>;

/// The trie nodes above one storage entry, as the benchmarking tool's `MaxEncodedLen` estimate
/// counts them for a map of unknown size.
const TRIE_PROOF_BYTES: u64 = 2_475;

/// The storage key of an entry: the pallet and item prefixes, then two `Twox64Concat` keys.
const KEY_BYTES: u64 = 32 + (8 + 2) + (8 + 2);

/// What one entry read adds to a proof at most: its largest encoding, its key, the trie above.
fn entry_proof_bytes<T: Config>() -> u64 {
	TRIE_PROOF_BYTES + KEY_BYTES + EntryOf::<T>::max_encoded_len() as u64
}

fn entry_index(uid: Uid) -> u16 {
	uid / UIDS_PER_ENTRY
}

fn position(uid: Uid) -> usize {
	usize::from(uid % UIDS_PER_ENTRY)
}

/// Record that `uid` of `netuid` was registered at `block`.
pub fn record<T: Config>(netuid: NetUid, uid: Uid, block: BlockNumberFor<T>) {
	RegistrationBlocks::<T>::mutate(netuid, entry_index(uid), |entry| {
		while entry.len() <= position(uid) {
			// A range holds at most `UIDS_PER_ENTRY` blocks and `position < UIDS_PER_ENTRY`, so
			// the push stops before the bound.
			if entry.try_push(Zero::zero()).is_err() {
				return;
			}
		}
		if let Some(slot) = entry.get_mut(position(uid)) {
			*slot = block;
		}
	});
}

/// The block `uid` of `netuid` was last registered, if it was ever handed out.
#[cfg(any(feature = "try-runtime", test))]
pub fn registered_at<T: Config>(netuid: NetUid, uid: Uid) -> Option<BlockNumberFor<T>> {
	RegistrationBlocks::<T>::get(netuid, entry_index(uid)).get(position(uid)).copied()
}

/// For each of `uids`: whether it is held now by a hotkey that registered before `since`.
pub fn held_since<T: Config>(netuid: NetUid, uids: &[Uid], since: BlockNumberFor<T>) -> Vec<bool> {
	let held = OccupiedUids::<T>::get(netuid);
	let mut entries: BTreeMap<u16, EntryOf<T>> = BTreeMap::new();
	uids.iter()
		.map(|&uid| {
			if !occupancy::is_held(&held, uid) {
				return false;
			}
			let entry = entries
				.entry(entry_index(uid))
				.or_insert_with(|| RegistrationBlocks::<T>::get(netuid, entry_index(uid)));
			entry.get(position(uid)).is_some_and(|registered| *registered < since)
		})
		.collect()
}

/// How many [`RegistrationBlocks`] entries [`held_since`] reads for `uids`.
pub fn entries_read(uids: &[Uid]) -> u32 {
	let mut seen: Vec<u16> = uids.iter().map(|uid| entry_index(*uid)).collect();
	seen.sort_unstable();
	seen.dedup();
	seen.len() as u32
}

/// What [`held_since`] costs for `uids` beyond what the reveal benchmarks charge for it: a
/// database read per entry it reads (their fitted formulas keep no per-uid read, as one entry
/// serves 256 uids and the fitted slope rounds to zero), and an entry's proof per entry beyond
/// those of the uids `0..uids.len()` (which the benchmarks' proof sizes include).
pub fn held_since_weight<T: Config>(uids: &[Uid]) -> Weight {
	let entries = entries_read(uids);
	let measured = (uids.len() as u32).div_ceil(u32::from(UIDS_PER_ENTRY));
	let unmeasured = entries.saturating_sub(measured);
	T::DbWeight::get().reads(entries.into()).saturating_add(Weight::from_parts(
		0,
		entry_proof_bytes::<T>().saturating_mul(unmeasured.into()),
	))
}

#[cfg(test)]
mod tests {
	use super::*;
	use crate::mock::{new_test_ext, Test};

	#[test]
	fn entries_are_counted_per_range() {
		assert_eq!(entries_read(&[]), 0);
		assert_eq!(entries_read(&[0, 5, 255]), 1);
		assert_eq!(entries_read(&[0, 256, 300, 4095]), 3);
		assert_eq!(held_since_weight::<Test>(&[]), Weight::zero());
		let read = |n: u64| {
			<<Test as frame_system::Config>::DbWeight as frame_support::traits::Get<
				frame_support::weights::RuntimeDbWeight,
			>>::get()
			.reads(n)
		};
		// Uids of one entry: one read, its proof already measured.
		assert_eq!(held_since_weight::<Test>(&[0, 1, 255]), read(1));
		assert_eq!(held_since_weight::<Test>(&[512]), read(1));
		// Three entries for three uids: three reads, and two entries' proof beyond the measured.
		let scattered = held_since_weight::<Test>(&[0, 256, 512]);
		assert_eq!(scattered.ref_time(), read(3).ref_time());
		assert!(scattered.proof_size() >= 2 * 1024, "{scattered:?}");
		assert_eq!(
			held_since_weight::<Test>(&[0, 256]).proof_size().saturating_mul(2),
			scattered.proof_size()
		);
		// 4,096 uids read 16 entries, all measured for their proof.
		let all: Vec<Uid> = (0..4096).collect();
		assert_eq!(held_since_weight::<Test>(&all), read(16));
	}

	#[test]
	fn a_uid_is_held_since_its_registration_block() {
		new_test_ext().execute_with(|| {
			record::<Test>(7, 3, 10);
			record::<Test>(7, 300, 20);
			assert_eq!(RegistrationBlocks::<Test>::get(7, 0).len(), 4);
			assert_eq!(RegistrationBlocks::<Test>::get(7, 1).get(44), Some(&20));
			// Nothing is held on subnet 7: every uid reads as vacant.
			assert_eq!(held_since::<Test>(7, &[3, 300], 100), vec![false, false]);
		});
	}
}
