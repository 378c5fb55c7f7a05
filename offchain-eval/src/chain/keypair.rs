//! Signing keys from secret URIs.

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

impl Keypair {
	/// The key of a secret URI: `//Alice`, `"<mnemonic>//hard/soft"`, `0x<seed>`.
	pub fn from_uri(uri: &str) -> Result<Self, InvalidKey> {
		sr25519::Pair::from_string(uri, None).map(Self).map_err(|_| InvalidKey)
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
}
