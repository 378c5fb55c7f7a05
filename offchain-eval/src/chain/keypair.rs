//! Signing keys from secret URIs, given on the command line or in a key file.

use std::path::{Path, PathBuf};

use sp_core::{crypto::Ss58Codec, sr25519, Pair};
use subxt::{transactions::Signer, utils::MultiSignature};

use super::{AccountId, Config};

/// An sr25519 key pair.
#[derive(Clone)]
pub struct Keypair(sr25519::Pair);

/// A secret URI that does not parse. The URI itself is never echoed (it is a secret).
#[derive(Debug, thiserror::Error)]
#[error("--key is not a valid secret URI, mnemonic phrase or hex seed (for the dev accounts use //Alice, //Bob, ...)")]
pub struct InvalidKey;

/// Why a key file cannot be used. Its contents are never echoed.
#[derive(Debug, thiserror::Error)]
pub enum KeyFileError {
	/// The file cannot be read.
	#[error("key file {}: {source}", path.display())]
	Unreadable {
		/// The file.
		path: PathBuf,
		/// Why.
		source: std::io::Error,
	},
	/// Someone besides the owner may read the file, so the key may already be someone else's.
	#[error("key file {} can be read by group or others (mode {mode:o}): run `chmod 600 {}`", path.display(), path.display())]
	TooOpen {
		/// The file.
		path: PathBuf,
		/// Its permission bits.
		mode: u32,
	},
	/// The file does not hold a valid secret URI.
	#[error("key file {}: {source}", path.display())]
	Invalid {
		/// The file.
		path: PathBuf,
		/// Why the key does not parse.
		source: InvalidKey,
	},
}

/// The largest secret-URI file read (a mnemonic with a derivation path is well under 1 KiB).
const MAX_URI_FILE: u64 = 64 << 10;

/// The contents of the key file at `path`, after checking (on Unix) that only its owner may
/// read it; at most `max` bytes are read.
pub(super) fn check_private(path: &Path, max: u64) -> Result<Vec<u8>, KeyFileError> {
	use std::io::Read;
	let unreadable = |source| KeyFileError::Unreadable { path: path.to_owned(), source };
	let file = std::fs::File::open(path).map_err(unreadable)?;
	#[cfg(unix)]
	{
		use std::os::unix::fs::PermissionsExt;
		let mode = file.metadata().map_err(unreadable)?.permissions().mode() & 0o777;
		if mode & 0o077 != 0 {
			return Err(KeyFileError::TooOpen { path: path.to_owned(), mode });
		}
	}
	let mut bytes = Vec::new();
	file.take(max).read_to_end(&mut bytes).map_err(unreadable)?;
	Ok(bytes)
}

impl Keypair {
	/// The key of a secret URI: `//Alice`, `"<mnemonic>//hard/soft"`, `0x<seed>`.
	pub fn from_uri(uri: &str) -> Result<Self, InvalidKey> {
		sr25519::Pair::from_string(uri, None).map(Self).map_err(|_| InvalidKey)
	}

	/// The key of the secret URI that the file at `path` holds (surrounding whitespace
	/// ignored). On Unix the file must not be readable by group or others.
	pub fn from_file(path: &Path) -> Result<Self, KeyFileError> {
		let bytes = check_private(path, MAX_URI_FILE)?;
		let invalid = |source| KeyFileError::Invalid { path: path.to_owned(), source };
		let uri = std::str::from_utf8(&bytes).map_err(|_| invalid(InvalidKey))?;
		Self::from_uri(uri.trim()).map_err(invalid)
	}

	/// A key pair already made.
	pub(super) fn from_pair(pair: sr25519::Pair) -> Self {
		Self(pair)
	}

	/// The account id (public key).
	pub fn account_id(&self) -> AccountId {
		AccountId::from(self.0.public().0)
	}

	/// The SS58 address (generic Substrate prefix 42).
	pub fn address(&self) -> String {
		self.0.public().to_ss58check()
	}
}

impl Signer<Config> for Keypair {
	fn account_id(&self) -> AccountId {
		Keypair::account_id(self)
	}

	fn sign(&self, payload: &[u8]) -> MultiSignature {
		MultiSignature::Sr25519(self.0.sign(payload).0)
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn dev_uris_give_the_dev_accounts() {
		let alice = Keypair::from_uri("//Alice").expect("valid");
		assert_eq!(alice.address(), "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY");
		assert!(Keypair::from_uri("not a key").is_err());
		let err = Keypair::from_uri("secret words").err().expect("invalid");
		assert!(!err.to_string().contains("secret words"), "the secret is not echoed");
	}

	#[cfg(unix)]
	#[test]
	fn key_files_must_be_private_and_valid() {
		use std::os::unix::fs::PermissionsExt;
		let dir = tempfile::tempdir().expect("temp dir");
		let path = dir.path().join("hotkey");
		let write = |contents: &str, mode: u32| {
			std::fs::write(&path, contents).expect("written");
			std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).expect("chmod");
		};
		write("//Alice\n", 0o600);
		let alice = Keypair::from_file(&path).expect("a private key file");
		assert_eq!(alice.address(), "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY");
		write("//Alice", 0o644);
		assert!(matches!(
			Keypair::from_file(&path),
			Err(KeyFileError::TooOpen { mode: 0o644, .. })
		));
		write("secret words", 0o400);
		let err = Keypair::from_file(&path).err().expect("not a key");
		assert!(matches!(err, KeyFileError::Invalid { .. }));
		assert!(!err.to_string().contains("secret words"), "the secret is not echoed");
		let missing = dir.path().join("missing");
		assert!(matches!(Keypair::from_file(&missing), Err(KeyFileError::Unreadable { .. })));
	}
}
