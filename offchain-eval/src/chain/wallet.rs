//! Hotkeys from bittensor wallets, so a validator or miner of a subtensor network signs with
//! the key it already has.
//!
//! A wallet is a directory `<wallets>/<name>/` (wallets: `~/.bittensor/wallets` unless told
//! otherwise) whose hotkeys are JSON files `hotkeys/<hotkey>` with the fields `accountId`,
//! `publicKey`, `privateKey`, `secretPhrase`, `secretSeed` and `ss58Address`. As bittensor
//! does, the key comes from `secretPhrase` if present, else from `secretSeed`; the file's
//! `ss58Address`, when given, must be the address of that key. Encrypted key files (coldkeys
//! usually are) are refused: a hotkey signs weights and claims, a coldkey is never needed.

use std::path::{Path, PathBuf};

use serde::Deserialize;
use sp_core::{crypto::Ss58Codec, sr25519, Pair};

use super::{keypair::check_private, Keypair};

/// The wallet and hotkey name bittensor uses when none is given.
pub const DEFAULT_NAME: &str = "default";

/// The largest key file read (real ones are under 1 KiB).
const MAX_KEY_FILE: u64 = 64 << 10;

/// Prefixes of the encrypted key file formats (NaCl, Ansible Vault, the legacy Fernet one).
const ENCRYPTED_PREFIXES: [&[u8]; 3] = [b"$NACL", b"$ANSIBLE_VAULT", b"gAAAAA"];

/// Why a wallet hotkey cannot be used. The secrets are never echoed.
#[derive(Debug, thiserror::Error)]
pub enum WalletError {
	/// The hotkey file cannot be read, or is readable by others.
	#[error(transparent)]
	File(#[from] super::KeyFileError),
	/// The file is encrypted.
	#[error("{}: the key file is encrypted; galton-eval reads unencrypted hotkeys only", path.display())]
	Encrypted {
		/// The file.
		path: PathBuf,
	},
	/// The file is not a bittensor key file.
	#[error("{}: not a bittensor key file: {reason}", path.display())]
	Malformed {
		/// The file.
		path: PathBuf,
		/// What is wrong (never a secret).
		reason: String,
	},
	/// The file's address is not the address of its secret.
	#[error("{}: ss58Address {stated} is not the address of the key's secret ({derived})", path.display())]
	AddressMismatch {
		/// The file.
		path: PathBuf,
		/// The address the file states.
		stated: String,
		/// The address of the secret it holds.
		derived: String,
	},
}

/// The fields of a bittensor key file that name the key.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct KeyFile {
	secret_phrase: Option<String>,
	secret_seed: Option<String>,
	ss58_address: Option<String>,
}

/// Where the hotkey `hotkey` of wallet `name` is under the wallets directory `wallets`.
pub fn hotkey_path(wallets: &Path, name: &str, hotkey: &str) -> PathBuf {
	wallets.join(name).join("hotkeys").join(hotkey)
}

/// The default wallets directory, `~/.bittensor/wallets`.
pub fn default_wallets_dir() -> Option<PathBuf> {
	dirs::home_dir().map(|home| home.join(".bittensor").join("wallets"))
}

impl Keypair {
	/// The key in the bittensor hotkey file at `path` (readable by its owner only).
	pub fn from_wallet_file(path: &Path) -> Result<Self, WalletError> {
		let bytes = check_private(path, MAX_KEY_FILE)?;
		if ENCRYPTED_PREFIXES.iter().any(|prefix| bytes.starts_with(prefix)) {
			return Err(WalletError::Encrypted { path: path.to_owned() });
		}
		let malformed =
			|reason: &str| WalletError::Malformed { path: path.to_owned(), reason: reason.into() };
		// serde's messages may quote the input, so they are not passed on.
		let file: KeyFile =
			serde_json::from_slice(&bytes).map_err(|_| malformed("not the JSON expected"))?;
		let pair = match (file.secret_phrase, file.secret_seed) {
			(Some(phrase), _) => sr25519::Pair::from_phrase(&phrase, None)
				.map(|(pair, _)| pair)
				.map_err(|_| malformed("secretPhrase is not a valid mnemonic phrase"))?,
			(None, Some(seed)) => {
				let seed = hex::decode(seed.trim_start_matches("0x"))
					.map_err(|_| malformed("secretSeed is not hex"))?;
				sr25519::Pair::from_seed_slice(&seed)
					.map_err(|_| malformed("secretSeed is not a 32-byte seed"))?
			}
			(None, None) => return Err(malformed("it holds neither secretPhrase nor secretSeed")),
		};
		let key = Keypair::from_pair(pair);
		if let Some(stated) = file.ss58_address {
			let derived = key.address();
			let same = sp_core::crypto::AccountId32::from_ss58check(&stated)
				.is_ok_and(|account| <[u8; 32]>::from(account) == key.account_id().0);
			if !same {
				return Err(WalletError::AddressMismatch {
					path: path.to_owned(),
					stated,
					derived,
				});
			}
		}
		Ok(key)
	}
}

#[cfg(all(test, unix))]
mod tests {
	use std::os::unix::fs::PermissionsExt;

	use super::*;

	/// The phrase of Substrate's development accounts, and the seed and address it gives.
	const PHRASE: &str = "bottom drive obey lake curtain smoke basket hold race lonely fit walk";
	const SEED: &str = "0xfac7959dbfe72f052e5a0c3c8d6530f202b02fd8f9f5ca3580ec8deb7797479e";
	const ADDRESS: &str = "5DfhGyQdFobKM8NsWvEeAKk5EQQgYe9AydgJ7rMB6E1EqRzV";

	/// Write a hotkey file, as btcli lays wallets out, with `contents` and `mode`.
	fn hotkey(wallets: &Path, contents: &str, mode: u32) -> PathBuf {
		let path = hotkey_path(wallets, "miner", "default");
		std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
		std::fs::write(&path, contents).expect("write");
		std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).expect("chmod");
		path
	}

	#[test]
	fn a_hotkey_file_gives_its_key_from_the_phrase_or_the_seed() {
		let wallets = tempfile::tempdir().expect("temp dir");
		let full = format!(
			r#"{{"accountId": "0x46ebddef8cd9bb167dc30878d7113b7e168e6f0646beffd77d69d39bad76b47a",
			"publicKey": "0x46ebddef8cd9bb167dc30878d7113b7e168e6f0646beffd77d69d39bad76b47a",
			"secretPhrase": "{PHRASE}", "secretSeed": "{SEED}", "ss58Address": "{ADDRESS}"}}"#
		);
		let path = hotkey(wallets.path(), &full, 0o600);
		assert_eq!(path, wallets.path().join("miner/hotkeys/default"));
		assert_eq!(Keypair::from_wallet_file(&path).expect("valid").address(), ADDRESS);

		let seed_only = format!(r#"{{"secretPhrase": null, "secretSeed": "{SEED}"}}"#);
		let path = hotkey(wallets.path(), &seed_only, 0o600);
		assert_eq!(Keypair::from_wallet_file(&path).expect("valid").address(), ADDRESS);
	}

	#[test]
	fn bad_hotkey_files_are_refused_without_echoing_secrets() {
		let wallets = tempfile::tempdir().expect("temp dir");
		let open = hotkey(wallets.path(), &format!(r#"{{"secretPhrase": "{PHRASE}"}}"#), 0o644);
		let err = Keypair::from_wallet_file(&open).err().expect("too open");
		assert!(matches!(err, WalletError::File(super::super::KeyFileError::TooOpen { .. })));

		let alice = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY";
		let cases = [
			(format!(r#"{{"secretPhrase": "{PHRASE}", "ss58Address": "{alice}"}}"#), "ss58Address"),
			(r#"{"secretPhrase": "not a phrase at all"}"#.to_owned(), "mnemonic"),
			(r#"{"secretSeed": "0x1234"}"#.to_owned(), "32-byte"),
			(r#"{"publicKey": "0x00", "privateKey": "0x00"}"#.to_owned(), "neither"),
			("$NACLsome encrypted bytes".to_owned(), "encrypted"),
			(format!("{PHRASE} not json"), "not the JSON"),
		];
		for (contents, expected) in cases {
			let path = hotkey(wallets.path(), &contents, 0o600);
			let err = Keypair::from_wallet_file(&path).err().expect("refused");
			let message = err.to_string();
			assert!(message.contains(expected), "{contents}: {message}");
			assert!(!message.contains("bottom drive"), "a secret was echoed: {message}");
			assert!(!message.contains("not a phrase"), "a secret was echoed: {message}");
		}
	}
}
