//! Building signed transactions outside the runtime: what wallets, the test harness and tools
//! need to sign a call for this chain.

use codec::Encode;
use polkadot_sdk::{
	frame_system, pallet_transaction_payment,
	sp_core::{sr25519, Pair},
	sp_runtime::generic::Era,
};

use crate::{
	Address, Balance, Hash, Nonce, Runtime, RuntimeCall, SignedPayload, TxExtension,
	UncheckedExtrinsic, VERSION,
};

/// The transaction extensions of an immortal transaction with `nonce` and `tip`.
pub fn extensions(nonce: Nonce, tip: Balance) -> TxExtension {
	(
		frame_system::CheckNonZeroSender::new(),
		frame_system::CheckSpecVersion::new(),
		frame_system::CheckTxVersion::new(),
		frame_system::CheckGenesis::new(),
		frame_system::CheckEra::from(Era::Immortal),
		frame_system::CheckNonce::from(nonce),
		frame_system::CheckWeight::new(),
		pallet_transaction_payment::ChargeTransactionPayment::<Runtime>::from(tip),
		pallet_commit_reveal::CheckCommitReveal::new(),
		frame_system::WeightReclaim::new(),
	)
}

/// Sign `call` with `signer` as its `nonce`-th transaction on the chain whose genesis block
/// hash is `genesis`; the transaction never expires and pays no tip.
pub fn sign(
	call: RuntimeCall,
	signer: &sr25519::Pair,
	nonce: Nonce,
	genesis: Hash,
) -> UncheckedExtrinsic {
	sign_with_tip(call, signer, nonce, genesis, 0)
}

/// [`sign`], paying `tip` for a higher place in the transaction pool.
pub fn sign_with_tip(
	call: RuntimeCall,
	signer: &sr25519::Pair,
	nonce: Nonce,
	genesis: Hash,
	tip: Balance,
) -> UncheckedExtrinsic {
	let extension = extensions(nonce, tip);
	let implicit = (
		(),
		VERSION.spec_version,
		VERSION.transaction_version,
		genesis,
		genesis,
		(),
		(),
		(),
		(),
		(),
	);
	let payload = SignedPayload::from_raw(call.clone(), extension.clone(), implicit);
	let signature = payload.using_encoded(|bytes| signer.sign(bytes));
	UncheckedExtrinsic::new_signed(
		call,
		Address::Id(signer.public().into()),
		signature.into(),
		extension,
	)
}
