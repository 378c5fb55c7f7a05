//! The evaluator's crash-safe journal. A validator's weight commit is written here, durably,
//! before it is sent, and stays until its reveal is finalized, so that no crash between a
//! commit and its reveal loses the reveal; the journal also keeps each competition's last
//! weights for the moving average. A miner's model claim is written here with its secret nonce
//! before the announcement is sent, and stays until the model is committed, so that a crash
//! between the two phases loses nothing.
//!
//! An embedded ACID store (redb): each change is one transaction, committed with an fsync.

use std::{collections::BTreeMap, path::Path};

use galton_primitives::{CompetitionId, NetUid, Uid};
use redb::{Database, ReadableDatabase, ReadableTable, TableDefinition, TableHandle};
use serde::{Deserialize, Serialize};

use crate::scoring::Neuron;

// The three stores, each named for what one entry is, and read and written through methods
// named the same way (`put_reveal`, `reveals`, `remove_reveal`; `put_claim`, `claim`,
// `remove_claim`; `put_last_weights`, `last_weights`). Keys are big-endian.

/// A table of the journal: byte keys to JSON values.
type Table = TableDefinition<'static, &'static [u8], &'static [u8]>;

/// Pending reveals ([`PendingReveal`]) by `netuid (2 bytes) || commit hash (32)`.
const REVEALS: Table = TableDefinition::new("reveals");

/// Pending model claims ([`PendingClaim`]) by `netuid (2) || hotkey (32) || content hash (32)`.
const CLAIMS: Table = TableDefinition::new("claims");

/// Each competition's last weights, by `(uid, hotkey)`, keyed by `netuid (2) || competition (2)`.
const LAST_WEIGHTS: Table = TableDefinition::new("last_weights");

/// Tables of earlier versions, and where their entries go on opening (`None`: dropped).
const RENAMED: [(&str, Option<Table>); 4] = [
	("pending_reveals", Some(REVEALS)),
	("pending_claims", Some(CLAIMS)),
	("previous_weights_by_neuron", Some(LAST_WEIGHTS)),
	// Keyed by uid alone: a new miner on a reused uid would inherit its weight.
	("previous_weights", None),
];

/// Why the journal failed. The journal is the only copy of a reveal's salt: callers stop
/// rather than go on without it.
#[derive(Debug, thiserror::Error)]
pub enum JournalError {
	/// The store could not be opened, read or written.
	#[error("journal: {0}")]
	Store(String),
	/// An entry does not decode (written by an incompatible version).
	#[error("journal: entry does not decode: {0}")]
	Corrupt(String),
}

fn store_error(e: impl std::fmt::Display) -> JournalError {
	JournalError::Store(e.to_string())
}

/// Where a journaled commit stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CommitState {
	/// Written, the commit extrinsic possibly sent but not yet seen on chain.
	Prepared {
		/// The chain's finalized block when the entry was written, just before the commit was
		/// sent: the commit is mortal from a block no older, so it can land only on a chain
		/// that holds this block.
		at_block: u32,
		/// That block's hash (`None` in entries journaled before block hashes were).
		#[serde(default)]
		at_hash: Option<[u8; 32]>,
	},
	/// Included on chain, with its reveal window.
	Committed {
		/// The block the commit was included in.
		committed_at: u32,
		/// That block's hash: when the chain at that height holds another block, the commit
		/// is not on it and must be sent again (`None` in entries journaled before block hashes were).
		#[serde(default)]
		block_hash: Option<[u8; 32]>,
		/// The first block a reveal is accepted.
		reveal_from: u32,
		/// The first block a reveal is refused as expired.
		expires_at: u32,
	},
}

impl CommitState {
	/// The block this state is anchored to, with its hash when journaled: the commit's block
	/// once it landed, else the block it was sent on top of. A chain whose block at that height
	/// has another hash does not hold the commit and never will.
	pub fn anchor(&self) -> (u32, Option<[u8; 32]>) {
		match *self {
			CommitState::Prepared { at_block, at_hash } => (at_block, at_hash),
			CommitState::Committed { committed_at, block_hash, .. } => (committed_at, block_hash),
		}
	}
}

/// Everything a reveal needs, as committed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingReveal {
	/// The subnet.
	pub netuid: NetUid,
	/// The commit hash (`galton_primitives::commit_hash` of the fields below).
	pub hash: [u8; 32],
	/// The uids weighted.
	pub uids: Vec<Uid>,
	/// Their weights.
	pub values: Vec<u16>,
	/// The secret salt.
	pub salt: Vec<u16>,
	/// The subnet's weights version key at commit time.
	pub version_key: u64,
	/// Where the commit stands.
	pub state: CommitState,
}

/// Where a journaled model claim stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ClaimState {
	/// Written; the announcement possibly sent but not yet seen on chain.
	Prepared {
		/// The chain's finalized block when the entry was written.
		at_block: u32,
	},
	/// Announced on chain, with the commit window.
	Announced {
		/// The block the announcement was included in.
		announced_at: u32,
		/// The first block the model may be committed.
		reveal_from: u32,
		/// The first block the commit is refused as expired.
		expires_at: u32,
	},
}

/// Everything phase 2 of a model claim needs.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PendingClaim {
	/// The subnet.
	pub netuid: NetUid,
	/// The miner's hotkey (public key).
	pub hotkey: [u8; 32],
	/// The model's content hash.
	pub content_hash: [u8; 32],
	/// The secret nonce of the binding.
	pub nonce: [u8; 32],
	/// The competition announced.
	pub competition: CompetitionId,
	/// Where the claim stands.
	pub state: ClaimState,
}

/// Move the entries of tables named by earlier versions into today's, in the transaction that
/// opens the journal: an upgrade in the middle of a commit's window keeps its reveal.
fn migrate(txn: &redb::WriteTransaction) -> Result<(), JournalError> {
	let present: Vec<String> =
		txn.list_tables().map_err(store_error)?.map(|table| table.name().to_owned()).collect();
	for (old, new) in RENAMED {
		if !present.iter().any(|name| name == old) {
			continue;
		}
		let old_table = Table::new(old);
		if let Some(new) = new {
			let from = txn.open_table(old_table).map_err(store_error)?;
			let mut to = txn.open_table(new).map_err(store_error)?;
			for item in from.iter().map_err(store_error)? {
				let (key, value) = item.map_err(store_error)?;
				to.insert(key.value(), value.value()).map_err(store_error)?;
			}
		}
		txn.delete_table(old_table).map_err(store_error)?;
	}
	Ok(())
}

/// The journal file.
pub struct Journal {
	db: Database,
}

fn reveal_key(netuid: NetUid, hash: &[u8; 32]) -> [u8; 34] {
	let mut key = [0u8; 34];
	key[..2].copy_from_slice(&netuid.to_be_bytes());
	key[2..].copy_from_slice(hash);
	key
}

fn claim_key(netuid: NetUid, hotkey: &[u8; 32], content_hash: &[u8; 32]) -> [u8; 66] {
	let mut key = [0u8; 66];
	key[..2].copy_from_slice(&netuid.to_be_bytes());
	key[2..34].copy_from_slice(hotkey);
	key[34..].copy_from_slice(content_hash);
	key
}

fn last_weights_key(netuid: NetUid, competition: CompetitionId) -> [u8; 4] {
	let mut key = [0u8; 4];
	key[..2].copy_from_slice(&netuid.to_be_bytes());
	key[2..].copy_from_slice(&competition.to_be_bytes());
	key
}

impl Journal {
	/// Open the journal at `path`, creating it (and its directory) if needed. On Unix the file
	/// is made readable by its owner only: it holds the salts of unrevealed commits.
	pub fn open(path: &Path) -> Result<Self, JournalError> {
		if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
			std::fs::create_dir_all(dir)
				.map_err(|e| JournalError::Store(format!("{}: {e}", dir.display())))?;
		}
		let db = Database::create(path)
			.map_err(|e| JournalError::Store(format!("{}: {e}", path.display())))?;
		#[cfg(unix)]
		{
			use std::os::unix::fs::PermissionsExt;
			std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))
				.map_err(|e| JournalError::Store(format!("{}: {e}", path.display())))?;
		}
		let txn = db.begin_write().map_err(store_error)?;
		for table in [REVEALS, CLAIMS, LAST_WEIGHTS] {
			txn.open_table(table).map_err(store_error)?;
		}
		migrate(&txn)?;
		txn.commit().map_err(store_error)?;
		Ok(Self { db })
	}

	fn write(&self, table: Table, key: &[u8], value: Option<&[u8]>) -> Result<(), JournalError> {
		let txn = self.db.begin_write().map_err(store_error)?;
		{
			let mut table = txn.open_table(table).map_err(store_error)?;
			match value {
				Some(value) => table.insert(key, value).map(drop).map_err(store_error)?,
				None => table.remove(key).map(drop).map_err(store_error)?,
			}
		}
		txn.commit().map_err(store_error)
	}

	/// Record a reveal (new, or with a new state). Durable when this returns.
	pub fn put_reveal(&self, entry: &PendingReveal) -> Result<(), JournalError> {
		let value = serde_json::to_vec(entry).map_err(|e| JournalError::Corrupt(e.to_string()))?;
		self.write(REVEALS, &reveal_key(entry.netuid, &entry.hash), Some(&value))
	}

	/// Forget a reveal (finalized, or expired).
	pub fn remove_reveal(&self, netuid: NetUid, hash: &[u8; 32]) -> Result<(), JournalError> {
		self.write(REVEALS, &reveal_key(netuid, hash), None)
	}

	/// The reveals pending on `netuid`, oldest commit first.
	pub fn reveals(&self, netuid: NetUid) -> Result<Vec<PendingReveal>, JournalError> {
		let txn = self.db.begin_read().map_err(store_error)?;
		let table = txn.open_table(REVEALS).map_err(store_error)?;
		let prefix = netuid.to_be_bytes();
		let mut entries = Vec::new();
		for item in table.iter().map_err(store_error)? {
			let (key, value) = item.map_err(store_error)?;
			if key.value().starts_with(&prefix) {
				let entry: PendingReveal = serde_json::from_slice(value.value())
					.map_err(|e| JournalError::Corrupt(e.to_string()))?;
				entries.push(entry);
			}
		}
		entries.sort_by_key(|e| match e.state {
			CommitState::Committed { committed_at, .. } => (0, committed_at),
			CommitState::Prepared { at_block, .. } => (1, at_block),
		});
		Ok(entries)
	}

	/// Record a model claim (new, or with a new state). Durable when this returns.
	pub fn put_claim(&self, claim: &PendingClaim) -> Result<(), JournalError> {
		let value = serde_json::to_vec(claim).map_err(|e| JournalError::Corrupt(e.to_string()))?;
		let key = claim_key(claim.netuid, &claim.hotkey, &claim.content_hash);
		self.write(CLAIMS, &key, Some(&value))
	}

	/// The pending claim of `content_hash` by `hotkey` on `netuid`, if any.
	pub fn claim(
		&self,
		netuid: NetUid,
		hotkey: &[u8; 32],
		content_hash: &[u8; 32],
	) -> Result<Option<PendingClaim>, JournalError> {
		let txn = self.db.begin_read().map_err(store_error)?;
		let table = txn.open_table(CLAIMS).map_err(store_error)?;
		let key = claim_key(netuid, hotkey, content_hash);
		let Some(value) = table.get(&key[..]).map_err(store_error)? else {
			return Ok(None);
		};
		serde_json::from_slice(value.value())
			.map(Some)
			.map_err(|e| JournalError::Corrupt(e.to_string()))
	}

	/// Forget a claim (committed, or refused for good).
	pub fn remove_claim(
		&self,
		netuid: NetUid,
		hotkey: &[u8; 32],
		content_hash: &[u8; 32],
	) -> Result<(), JournalError> {
		self.write(CLAIMS, &claim_key(netuid, hotkey, content_hash), None)
	}

	/// The weights a competition got in the last round, for the moving average.
	pub fn last_weights(
		&self,
		netuid: NetUid,
		competition: CompetitionId,
	) -> Result<Option<BTreeMap<Neuron, f64>>, JournalError> {
		let txn = self.db.begin_read().map_err(store_error)?;
		let table = txn.open_table(LAST_WEIGHTS).map_err(store_error)?;
		let Some(value) =
			table.get(&last_weights_key(netuid, competition)[..]).map_err(store_error)?
		else {
			return Ok(None);
		};
		let stored: Vec<(Uid, String, f64)> = serde_json::from_slice(value.value())
			.map_err(|e| JournalError::Corrupt(e.to_string()))?;
		stored
			.into_iter()
			.map(|(uid, hotkey, weight)| {
				let mut key = [0u8; 32];
				hex::decode_to_slice(&hotkey, &mut key)
					.map_err(|e| JournalError::Corrupt(format!("hotkey {hotkey:?}: {e}")))?;
				Ok(((uid, key), weight))
			})
			.collect::<Result<_, _>>()
			.map(Some)
	}

	/// Keep a competition's weights of this round.
	pub fn put_last_weights(
		&self,
		netuid: NetUid,
		competition: CompetitionId,
		weights: &BTreeMap<Neuron, f64>,
	) -> Result<(), JournalError> {
		let stored: Vec<(Uid, String, f64)> = weights
			.iter()
			.map(|((uid, hotkey), weight)| (*uid, hex::encode(hotkey), *weight))
			.collect();
		let value =
			serde_json::to_vec(&stored).map_err(|e| JournalError::Corrupt(e.to_string()))?;
		self.write(LAST_WEIGHTS, &last_weights_key(netuid, competition), Some(&value))
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	/// A claim of content hash `[2; 32]` by hotkey `[1; 32]` on subnet 1.
	fn claim_entry() -> PendingClaim {
		PendingClaim {
			netuid: 1,
			hotkey: [1; 32],
			content_hash: [2; 32],
			nonce: [3; 32],
			competition: 0,
			state: ClaimState::Prepared { at_block: 5 },
		}
	}

	fn entry(netuid: NetUid, byte: u8, state: CommitState) -> PendingReveal {
		PendingReveal {
			netuid,
			hash: [byte; 32],
			uids: vec![1, 2],
			values: vec![65535, 100],
			salt: vec![7, 8, 9],
			version_key: 3,
			state,
		}
	}

	#[test]
	fn entries_survive_reopening_and_are_removed_only_when_asked() {
		let dir = tempfile::tempdir().expect("temp dir");
		let path = dir.path().join("nested/journal.redb");
		let prepared =
			entry(1, 0xaa, CommitState::Prepared { at_block: 40, at_hash: Some([4; 32]) });
		let committed = entry(
			1,
			0xbb,
			CommitState::Committed {
				committed_at: 30,
				block_hash: Some([3; 32]),
				reveal_from: 40,
				expires_at: 60,
			},
		);
		{
			let journal = Journal::open(&path).expect("open");
			journal.put_reveal(&prepared).expect("put");
			journal.put_reveal(&committed).expect("put");
			journal
				.put_reveal(&entry(2, 0xcc, CommitState::Prepared { at_block: 1, at_hash: None }))
				.expect("put");
		}
		let journal = Journal::open(&path).expect("reopen");
		assert_eq!(journal.reveals(1).expect("read"), vec![committed.clone(), prepared.clone()]);
		assert_eq!(journal.reveals(2).expect("read").len(), 1);
		assert!(journal.reveals(3).expect("read").is_empty());

		let mut moved = prepared.clone();
		moved.state = CommitState::Committed {
			committed_at: 41,
			block_hash: None,
			reveal_from: 51,
			expires_at: 71,
		};
		journal.put_reveal(&moved).expect("update");
		journal.remove_reveal(1, &committed.hash).expect("remove");
		assert_eq!(journal.reveals(1).expect("read"), vec![moved]);
	}

	#[test]
	fn a_journal_written_under_the_earlier_table_names_keeps_its_entries() {
		let dir = tempfile::tempdir().expect("temp dir");
		let path = dir.path().join("j.redb");
		let reveal = entry(1, 5, CommitState::Prepared { at_block: 40, at_hash: None });
		let weights = BTreeMap::from([((3, [4; 32]), 0.5)]);
		let claim = claim_entry();
		{
			// What a journal of the version before looked like, with the same entries.
			let journal = Journal::open(&path).expect("open");
			journal.put_reveal(&reveal).expect("put");
			journal.put_claim(&claim).expect("put");
			journal.put_last_weights(1, 0, &weights).expect("put");
			let txn = journal.db.begin_write().expect("write");
			for (old, new) in RENAMED {
				let Some(new) = new else {
					let mut stale = txn.open_table(Table::new(old)).expect("open");
					stale.insert(&[0u8, 1, 0, 3][..], &b"[]"[..]).expect("insert");
					continue;
				};
				let entries: Vec<(Vec<u8>, Vec<u8>)> = txn
					.open_table(new)
					.expect("open")
					.iter()
					.expect("iter")
					.map(|item| item.map(|(k, v)| (k.value().to_vec(), v.value().to_vec())))
					.collect::<Result<_, _>>()
					.expect("read");
				let mut table = txn.open_table(Table::new(old)).expect("open");
				for (key, value) in &entries {
					table.insert(&key[..], &value[..]).expect("insert");
				}
				drop(table);
				txn.delete_table(new).expect("delete");
			}
			txn.commit().expect("commit");
		}
		let journal = Journal::open(&path).expect("reopen");
		assert_eq!(journal.reveals(1).expect("read"), vec![reveal]);
		assert_eq!(journal.last_weights(1, 0).expect("read"), Some(weights));
		assert_eq!(journal.claim(1, &[1; 32], &[2; 32]).expect("read"), Some(claim));
		let txn = journal.db.begin_read().expect("read");
		let mut names: Vec<String> =
			txn.list_tables().expect("list").map(|t| t.name().to_owned()).collect();
		names.sort();
		assert_eq!(names, ["claims", "last_weights", "reveals"]);
	}

	#[test]
	fn entries_of_earlier_versions_read_without_block_hashes() {
		let prepared: CommitState =
			serde_json::from_str(r#"{"Prepared":{"at_block":7}}"#).expect("decodes");
		assert_eq!(prepared, CommitState::Prepared { at_block: 7, at_hash: None });
		let committed: CommitState = serde_json::from_str(
			r#"{"Committed":{"committed_at":7,"reveal_from":9,"expires_at":20}}"#,
		)
		.expect("decodes");
		assert_eq!(committed.anchor(), (7, None));
	}

	#[test]
	fn previous_weights_round_trip() {
		let dir = tempfile::tempdir().expect("temp dir");
		let journal = Journal::open(&dir.path().join("j.redb")).expect("open");
		assert_eq!(journal.last_weights(1, 0).expect("read"), None);
		let weights: BTreeMap<Neuron, f64> = [((1, [1; 32]), 0.25), ((3, [3; 32]), 0.75)].into();
		journal.put_last_weights(1, 0, &weights).expect("write");
		assert_eq!(journal.last_weights(1, 0).expect("read"), Some(weights));
		assert_eq!(journal.last_weights(1, 1).expect("read"), None);
	}

	#[test]
	fn claims_survive_reopening_and_are_removed_only_when_asked() {
		let dir = tempfile::tempdir().expect("temp dir");
		let path = dir.path().join("claims.redb");
		let claim = claim_entry();
		{
			let journal = Journal::open(&path).expect("open");
			journal.put_claim(&claim).expect("put");
		}
		let journal = Journal::open(&path).expect("reopen");
		assert_eq!(journal.claim(1, &[1; 32], &[2; 32]).expect("read"), Some(claim.clone()));
		assert_eq!(journal.claim(2, &[1; 32], &[2; 32]).expect("read"), None);
		assert_eq!(journal.claim(1, &[9; 32], &[2; 32]).expect("read"), None);
		let announced = PendingClaim {
			state: ClaimState::Announced { announced_at: 6, reveal_from: 8, expires_at: 108 },
			..claim
		};
		journal.put_claim(&announced).expect("update");
		assert_eq!(journal.claim(1, &[1; 32], &[2; 32]).expect("read"), Some(announced));
		journal.remove_claim(1, &[1; 32], &[2; 32]).expect("remove");
		assert_eq!(journal.claim(1, &[1; 32], &[2; 32]).expect("read"), None);
	}

	#[test]
	fn an_unwritable_path_is_a_clear_error() {
		let dir = tempfile::tempdir().expect("temp dir");
		let file = dir.path().join("file");
		std::fs::write(&file, b"x").expect("write");
		let err = Journal::open(&file.join("journal.redb")).err().expect("parent is a file");
		assert!(err.to_string().contains("file"), "{err}");
	}

	#[cfg(unix)]
	#[test]
	fn the_journal_is_private_to_its_owner() {
		use std::os::unix::fs::PermissionsExt;
		let dir = tempfile::tempdir().expect("temp dir");
		let path = dir.path().join("journal.redb");
		Journal::open(&path).expect("open");
		let mode = std::fs::metadata(&path).expect("metadata").permissions().mode();
		assert_eq!(mode & 0o777, 0o600);
		// An existing journal left readable by others is tightened when opened.
		std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
		Journal::open(&path).expect("reopen");
		let mode = std::fs::metadata(&path).expect("metadata").permissions().mode();
		assert_eq!(mode & 0o777, 0o600);
	}
}
