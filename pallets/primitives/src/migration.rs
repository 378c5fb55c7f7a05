//! The one storage migration the pallets share: storage maps renamed, their entries moved to
//! the new names as they are.
//!
//! A pallet lists its renamed maps ([`Rename`]) in a type implementing
//! `Get<&'static [Rename]>`, and the runtime runs its [`VersionedRename`]: the move runs once,
//! when the pallet's storage version is the one before the rename, and sets the next.

use core::marker::PhantomData;

use frame_support::{
	migrations::VersionedMigration,
	storage::{storage_prefix, unhashed, PrefixIterator},
	traits::{Get, PalletInfoAccess, UncheckedOnRuntimeUpgrade},
	weights::{RuntimeDbWeight, Weight},
};

/// A storage map's old name and its new one.
pub type Rename = (&'static str, &'static str);

/// [`RenameMaps`] as the upgrade of pallet `P`'s storage from version `FROM` to `TO`: it runs
/// only on storage at `FROM`.
pub type VersionedRename<const FROM: u16, const TO: u16, P, Renames, Db> =
	VersionedMigration<FROM, TO, RenameMaps<P, Renames, Db>, P, Db>;

/// Moves every entry of pallet `P`'s maps listed by `Renames` from the old name to the new
/// one, keys and values unchanged; `Db` prices the move.
///
/// Maps only: a storage value sits at its name's prefix itself, which is not moved.
///
/// It moves everything in the upgrade's block, and its weight grows with the entries (a read
/// and two writes each): enough for Galton's chains, whose renamed maps hold one entry per
/// subnet, per neuron or per model. A chain whose maps hold more than a block can take runs
/// the same moves as a multi-block migration (`pallet-migrations`).
pub struct RenameMaps<P, Renames, Db>(PhantomData<(P, Renames, Db)>);

impl<P, Renames, Db> UncheckedOnRuntimeUpgrade for RenameMaps<P, Renames, Db>
where
	P: PalletInfoAccess,
	Renames: Get<&'static [Rename]>,
	Db: Get<RuntimeDbWeight>,
{
	fn on_runtime_upgrade() -> Weight {
		let renames = Renames::get();
		let moved: u64 = renames.iter().map(|&(old, new)| move_entries::<P>(old, new)).sum();
		// A read and a removal for each entry, a write for its new key; a read per map for the
		// end of its entries.
		Db::get().reads_writes(moved.saturating_add(renames.len() as u64), moved.saturating_mul(2))
	}

	#[cfg(feature = "try-runtime")]
	fn pre_upgrade() -> Result<alloc::vec::Vec<u8>, frame_support::sp_runtime::TryRuntimeError> {
		use codec::Encode;
		let counts: alloc::vec::Vec<u64> =
			Renames::get().iter().map(|&(old, _)| entries::<P>(old)).collect();
		Ok(counts.encode())
	}

	#[cfg(feature = "try-runtime")]
	fn post_upgrade(
		state: alloc::vec::Vec<u8>,
	) -> Result<(), frame_support::sp_runtime::TryRuntimeError> {
		use codec::Decode;
		let before = alloc::vec::Vec::<u64>::decode(&mut &state[..])
			.map_err(|_| "the pre-upgrade entry counts do not decode")?;
		for (&(old, new), count) in Renames::get().iter().zip(before) {
			frame_support::ensure!(entries::<P>(old) == 0, "a renamed map kept entries");
			frame_support::ensure!(entries::<P>(new) == count, "a renamed map lost entries");
		}
		Ok(())
	}
}

/// The prefix of pallet `P`'s storage item `name`.
fn prefix_of<P: PalletInfoAccess>(name: &str) -> [u8; 32] {
	storage_prefix(P::name().as_bytes(), name.as_bytes())
}

/// The entries of pallet `P`'s map `name`, as raw key suffixes and values; drained (each removed
/// as it is read) when `drain`.
fn raw_entries<P: PalletInfoAccess>(
	name: &str,
	drain: bool,
) -> PrefixIterator<(alloc::vec::Vec<u8>, alloc::vec::Vec<u8>)> {
	let prefix = prefix_of::<P>(name).to_vec();
	let entries = PrefixIterator::new(prefix.clone(), prefix, |key, value| {
		Ok((key.to_vec(), value.to_vec()))
	});
	if drain {
		entries.drain()
	} else {
		entries
	}
}

/// Move the entries of pallet `P`'s map `old` to `new`; returns how many there were.
fn move_entries<P: PalletInfoAccess>(old: &str, new: &str) -> u64 {
	let to = prefix_of::<P>(new);
	let mut moved = 0u64;
	for (key, value) in raw_entries::<P>(old, true) {
		unhashed::put_raw(&[&to[..], &key].concat(), &value);
		moved += 1;
	}
	moved
}

/// How many entries pallet `P`'s map `name` holds.
#[cfg(any(feature = "try-runtime", test))]
fn entries<P: PalletInfoAccess>(name: &str) -> u64 {
	raw_entries::<P>(name, false).count() as u64
}

#[cfg(test)]
mod tests {
	use frame_support::{parameter_types, storage::unhashed, traits::StorageVersion};

	use super::*;

	/// A pallet named `Registry`, as far as storage prefixes go.
	struct Registry;

	impl PalletInfoAccess for Registry {
		fn index() -> usize {
			7
		}
		fn name() -> &'static str {
			"Registry"
		}
		fn name_hash() -> [u8; 16] {
			sp_crypto_hashing::twox_128(b"Registry")
		}
		fn module_name() -> &'static str {
			"registry"
		}
		fn crate_version() -> frame_support::traits::CrateVersion {
			frame_support::traits::CrateVersion::new(0, 1, 0)
		}
	}

	parameter_types! {
		pub const Db: RuntimeDbWeight = RuntimeDbWeight { read: 10, write: 100 };
		pub const Renamed: &'static [Rename] = &[("Owner", "Owners"), ("Count", "Counts")];
	}

	/// The raw key of entry `suffix` of map `name`.
	fn key(name: &str, suffix: &[u8]) -> alloc::vec::Vec<u8> {
		[&prefix_of::<Registry>(name)[..], suffix].concat()
	}

	#[test]
	fn every_entry_moves_to_the_new_name_unchanged_and_nothing_else_moves() {
		sp_io::TestExternalities::default().execute_with(|| {
			for suffix in [&b"a"[..], b"bb", b"ccc"] {
				unhashed::put_raw(&key("Owner", suffix), suffix);
			}
			unhashed::put_raw(&key("Count", b"x"), b"1");
			unhashed::put_raw(&key("Kept", b"y"), b"2");
			// A pallet's storage version sits outside its maps' prefixes.
			StorageVersion::new(0).put::<Registry>();

			let weight = RenameMaps::<Registry, Renamed, Db>::on_runtime_upgrade();

			for suffix in [&b"a"[..], b"bb", b"ccc"] {
				assert_eq!(unhashed::get_raw(&key("Owners", suffix)).as_deref(), Some(suffix));
				assert_eq!(unhashed::get_raw(&key("Owner", suffix)), None);
			}
			assert_eq!(unhashed::get_raw(&key("Counts", b"x")), Some(b"1".to_vec()));
			assert_eq!(entries::<Registry>("Owner") + entries::<Registry>("Count"), 0);
			assert_eq!(unhashed::get_raw(&key("Kept", b"y")), Some(b"2".to_vec()));
			assert_eq!(StorageVersion::get::<Registry>(), 0);
			// Four entries: a read each and one per map, two writes each.
			assert_eq!(weight, Weight::from_parts(6 * 10 + 8 * 100, 0));
		});
	}

	#[test]
	fn a_second_run_finds_nothing_to_move() {
		sp_io::TestExternalities::default().execute_with(|| {
			unhashed::put_raw(&key("Owner", b"a"), b"1");
			RenameMaps::<Registry, Renamed, Db>::on_runtime_upgrade();
			let again = RenameMaps::<Registry, Renamed, Db>::on_runtime_upgrade();
			assert_eq!(again, Weight::from_parts(2 * 10, 0));
			assert_eq!(unhashed::get_raw(&key("Owners", b"a")), Some(b"1".to_vec()));
		});
	}
}
