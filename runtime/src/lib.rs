//! # Galton runtime
//!
//! A standalone chain with Galton's anti-copying rules: `pallet-subnets` stands in for
//! pallet-subtensor as the subnet/neuron registry, `pallet-commit-reveal` hides validators'
//! weights until their reveal window, and `pallet-model-registry` records model commitments with
//! first-claim protection and per-competition epsilon schedules. The Galton runtime APIs
//! (`CommitRevealApi`, `ModelRegistryApi`) serve the off-chain evaluator.
//!
//! The runtime is split as the polkadot-sdk templates do: this file holds the types, the
//! version and the pallet list; [`configs`] the pallets' configuration; `apis` the runtime API
//! implementations; [`genesis_config_presets`] the `development` and `local` chains.

#![cfg_attr(not(feature = "std"), no_std)]
// `#[frame_support::runtime]` generates items without docs.
#![allow(missing_docs)]

#[cfg(feature = "std")]
include!(concat!(env!("OUT_DIR"), "/wasm_binary.rs"));

extern crate alloc;

use alloc::vec::Vec;

mod apis;
pub mod configs;
pub use apis::RuntimeApi;
pub mod genesis_config_presets;
#[cfg(test)]
mod tests;
#[cfg(feature = "std")]
pub mod transaction;

use polkadot_sdk::*;

use sp_runtime::{
	generic,
	traits::{BlakeTwo256, IdentifyAccount, Verify},
	MultiAddress, MultiSignature,
};
use sp_version::RuntimeVersion;

pub use galton_primitives::NetUid;

/// A block number.
pub type BlockNumber = u32;

/// The signature scheme of transactions.
pub type Signature = MultiSignature;

/// An account: the public key of the signature scheme.
pub type AccountId = <<Signature as Verify>::Signer as IdentifyAccount>::AccountId;

/// An account balance.
pub type Balance = u128;

/// A transaction index.
pub type Nonce = u32;

/// A block or state hash.
pub type Hash = sp_core::H256;

/// One unit of the chain's token (12 decimals).
pub const UNIT: Balance = 1_000_000_000_000;

/// The target block time: Aura's slot, in milliseconds.
pub const MILLISECS_PER_BLOCK: u64 = 1_000;

/// Blocks per minute at the target block time, for the bounds in the configs.
pub const MINUTES: BlockNumber = (60_000 / MILLISECS_PER_BLOCK) as BlockNumber;

/// Types the node needs without knowing the runtime's details.
pub mod opaque {
	use super::*;

	pub use sp_runtime::OpaqueExtrinsic as UncheckedExtrinsic;

	/// The block header.
	pub type Header = generic::Header<BlockNumber, BlakeTwo256>;
	/// A block whose extrinsics stay encoded.
	pub type Block = generic::Block<Header, UncheckedExtrinsic>;

	sp_runtime::impl_opaque_keys! {
		/// The keys an authority holds: Aura to author blocks, GRANDPA to finalize them.
		pub struct SessionKeys {
			/// Block authoring.
			pub aura: Aura,
			/// Finality votes.
			pub grandpa: Grandpa,
		}
	}
}

/// The runtime's version. `spec_version` goes up with every change of behaviour.
#[sp_version::runtime_version]
pub const VERSION: RuntimeVersion = RuntimeVersion {
	spec_name: alloc::borrow::Cow::Borrowed("galton"),
	impl_name: alloc::borrow::Cow::Borrowed("galton"),
	authoring_version: 1,
	spec_version: 106,
	impl_version: 1,
	apis: apis::RUNTIME_API_VERSIONS,
	transaction_version: 1,
	system_version: 1,
};

/// The address format of transactions.
pub type Address = MultiAddress<AccountId, ()>;

/// The block header.
pub type Header = generic::Header<BlockNumber, BlakeTwo256>;

/// A block.
pub type Block = generic::Block<Header, UncheckedExtrinsic>;

/// The checks and payments every transaction goes through, in order.
pub type TxExtension = (
	frame_system::CheckNonZeroSender<Runtime>,
	frame_system::CheckSpecVersion<Runtime>,
	frame_system::CheckTxVersion<Runtime>,
	frame_system::CheckGenesis<Runtime>,
	frame_system::CheckEra<Runtime>,
	frame_system::CheckNonce<Runtime>,
	frame_system::CheckWeight<Runtime>,
	pallet_transaction_payment::ChargeTransactionPayment<Runtime>,
	pallet_commit_reveal::CheckCommitReveal<Runtime>,
	frame_system::WeightReclaim<Runtime>,
);

/// A transaction as it arrives.
pub type UncheckedExtrinsic =
	generic::UncheckedExtrinsic<Address, RuntimeCall, Signature, TxExtension>;

/// The payload a transaction's signature covers.
pub type SignedPayload = generic::SignedPayload<RuntimeCall, TxExtension>;

/// The storage migrations an upgrade runs; each runs once, on storage at the version it
/// migrates from.
pub type Migrations = (
	pallet_subnets::migrations::v1::MigrateToV1<Runtime>,
	pallet_commit_reveal::migrations::v1::MigrateToV1<Runtime>,
	pallet_model_registry::migrations::v1::MigrateToV1<Runtime>,
);

/// Dispatches blocks and transactions to the pallets.
pub type Executive = frame_executive::Executive<
	Runtime,
	Block,
	frame_system::ChainContext<Runtime>,
	Runtime,
	AllPalletsWithSystem,
	Migrations,
>;

#[frame_support::runtime]
mod runtime {
	#[runtime::runtime]
	#[runtime::derive(
		RuntimeCall,
		RuntimeEvent,
		RuntimeError,
		RuntimeOrigin,
		RuntimeFreezeReason,
		RuntimeHoldReason,
		RuntimeSlashReason,
		RuntimeLockId,
		RuntimeTask,
		RuntimeViewFunction
	)]
	pub struct Runtime;

	#[runtime::pallet_index(0)]
	pub type System = frame_system;

	#[runtime::pallet_index(1)]
	pub type Timestamp = pallet_timestamp;

	#[runtime::pallet_index(2)]
	pub type Balances = pallet_balances;

	#[runtime::pallet_index(3)]
	pub type TransactionPayment = pallet_transaction_payment;

	#[runtime::pallet_index(4)]
	pub type Sudo = pallet_sudo;

	#[runtime::pallet_index(5)]
	pub type Utility = pallet_utility;

	#[runtime::pallet_index(6)]
	pub type Aura = pallet_aura;

	#[runtime::pallet_index(7)]
	pub type Grandpa = pallet_grandpa;

	#[runtime::pallet_index(8)]
	pub type Beacon = pallet_beacon;

	#[runtime::pallet_index(10)]
	pub type Subnets = pallet_subnets;

	#[runtime::pallet_index(11)]
	pub type CommitReveal = pallet_commit_reveal;

	#[runtime::pallet_index(12)]
	pub type ModelRegistry = pallet_model_registry;
}
