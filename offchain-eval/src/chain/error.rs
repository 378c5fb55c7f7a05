//! What can go wrong talking to the chain, typed end to end: a pool refusal carries the
//! runtime's own validity error (and the CommitReveal error behind a `Custom` code), a failed
//! dispatch the pallet error decoded through the metadata. Callers match on these, never on
//! message text.

use subxt::{
	error::{BackendError, RpcError},
	ext::scale_decode::DecodeAsType,
	transactions::{TransactionInvalid, TransactionUnknown, ValidationResult},
};

use super::runtime;

/// The JSON-RPC error codes a node's transaction pool answers `author_submit*` with.
const POOL_ERROR_CODES: std::ops::RangeInclusive<i32> = 1010..=1020;

/// Of those, the codes that report the runtime's verdict (1010: invalid, 1011: unknown
/// validity); the others (a temporary ban, a duplicate, too low a priority, ...) are the
/// pool's own.
const RUNTIME_VERDICT_CODES: [i32; 2] = [1010, 1011];

/// The pool's code for a transaction whose tag (for a signed one: signer and nonce) a pooled
/// transaction of no lower priority already provides.
const POOL_TOO_LOW_PRIORITY: i32 = 1014;

/// Why the transaction pool would not take a transaction.
#[derive(Debug)]
pub enum Refusal {
	/// The `CheckCommitReveal` extension refused it with this CommitReveal error.
	CommitReveal(Box<runtime::commit_reveal::Error>),
	/// The runtime finds it invalid for another reason (fees, nonce, proof, a full block, or
	/// another extension's custom code).
	Invalid(TransactionInvalid),
	/// The runtime cannot tell whether it is valid.
	Unknown(TransactionUnknown),
	/// The pool refused it for a reason of its own (its error `code`: banned for a while, a
	/// duplicate, too low a priority, ...) while the runtime finds it valid.
	Pool {
		/// The pool's JSON-RPC error code.
		code: i32,
	},
	/// The pool dropped it after accepting it (full, or replaced by a higher priority).
	Dropped,
	/// The pool found it invalid, but the runtime finds it valid at the finalized head: the
	/// chain moved on in between.
	NoLongerInvalid,
}

/// Why a dispatched call failed.
#[derive(Debug)]
pub enum DispatchFailure {
	/// A pallet's error, decoded through the runtime's metadata.
	Pallet(Box<runtime::Error>),
	/// The origin may not make this call (for instance: not the subnet's owner, nor root).
	BadOrigin,
	/// Any other failure (arithmetic, tokens, exhausted resources, ...).
	Other,
}

/// Why a chain operation failed, in words a validator or miner can act on.
#[derive(Debug, thiserror::Error)]
pub enum ChainError {
	/// The node cannot be reached.
	#[error("cannot connect to {url}: {reason} (is galton-node running? start one with `galton-node --dev`)")]
	Connect {
		/// The URL tried.
		url: String,
		/// The client's message.
		reason: String,
	},
	/// The transaction pool refused the transaction before it reached a block.
	#[error("transaction refused by the node: {message}")]
	Refused {
		/// Why, as the runtime says.
		refusal: Refusal,
		/// The refusal in words, with the pallet error's name and docs when there is one.
		message: String,
	},
	/// The transaction was included but its call failed (or, for a call wrapped in
	/// `Sudo::sudo`, the wrapped call failed).
	#[error("transaction failed: {message}")]
	Dispatch {
		/// Why, typed.
		failure: DispatchFailure,
		/// What failed, in words (`Pallet::Error` for a pallet error).
		message: String,
	},
	/// A read, a subscription or a submission failed on the way (often: the node went away).
	/// Worth a retry after a reconnect.
	#[error("chain request failed: {0}")]
	Rpc(Box<subxt::Error>),
	/// This client's generated code or metadata does not fit the node's runtime (typically
	/// after a runtime upgrade): a call, storage entry or type changed shape. Retrying cannot
	/// help.
	#[error(
		"the node's runtime does not match this galton-eval ({0}): upgrade galton-eval, or \
		 refresh its metadata (offchain-eval/metadata/galton.scale) and rebuild it"
	)]
	Incompatible(Box<subxt::Error>),
	/// The node's state is not what this client expects.
	#[error("{0}")]
	Unexpected(String),
}

/// A failed request, typed: [`ChainError::Incompatible`] when subxt says the generated code or
/// metadata does not fit the node (a static address whose shape changed, or bytes that do not
/// decode as the metadata says), [`ChainError::Rpc`] for everything else.
pub(super) fn request_failed(error: impl Into<subxt::Error>) -> ChainError {
	let error = error.into();
	if is_incompatible(&error) {
		ChainError::Incompatible(Box::new(error))
	} else {
		ChainError::Rpc(Box::new(error))
	}
}

/// A request that failed for a reason of this client's own (`what`), not the chain's.
pub(super) fn request_ended(what: &str) -> ChainError {
	ChainError::Rpc(Box::new(subxt::Error::other_str(what)))
}

/// Whether `error` reports a mismatch between this client's code and the node's runtime
/// rather than a failed request: a static address subxt finds incompatible, a pallet, call or
/// entry the metadata lacks, or bytes that do not decode (or encode) as the metadata says. The
/// variants that carry a failed request (a `BackendError`) stay transient.
fn is_incompatible(error: &subxt::Error) -> bool {
	use subxt::error::{
		CustomValueError, Error, EventsError, ExtrinsicError, RuntimeApiError, StorageError,
		ViewFunctionError,
	};
	match error {
		Error::StorageKeyError(_)
		| Error::StorageValueError(_)
		| Error::ConstantError(_)
		| Error::ExtrinsicDecodeErrorAt(_)
		| Error::ModuleErrorDecodeError(_)
		| Error::DispatchErrorDecodeError(_)
		| Error::OtherCodecError(_) => true,
		Error::StorageError(e) => !matches!(
			e,
			StorageError::CannotFetchValue(_)
				| StorageError::CannotIterateValues(_)
				| StorageError::StreamFailure(_)
				| StorageError::NoValueFound
		),
		Error::ExtrinsicError(e) => matches!(
			e,
			ExtrinsicError::IncompatibleCodegen
				| ExtrinsicError::EncodeError(_)
				| ExtrinsicError::PalletNameNotFound(_)
				| ExtrinsicError::CallNameNotFound { .. }
				| ExtrinsicError::UnsupportedVersion
				| ExtrinsicError::Params(_)
				| ExtrinsicError::CouldNotDecodeTransactionExtension { .. }
				| ExtrinsicError::CannotDecodeFields { .. }
				| ExtrinsicError::CannotDecodeIntoRootExtrinsic { .. }
				| ExtrinsicError::CannotDecodeCallData(_)
				| ExtrinsicError::CannotDecodeCallDataFields(_)
				| ExtrinsicError::CannotDecodeValidationResult(_)
				| ExtrinsicError::UnexpectedValidationResultBytes(_)
		),
		Error::EventsError(e) => !matches!(e, EventsError::CannotFetchEventBytes(_)),
		Error::RuntimeApiError(e) => !matches!(e, RuntimeApiError::CannotCallApi(_)),
		Error::ViewFunctionError(e) => !matches!(e, ViewFunctionError::CannotCallApi(_)),
		Error::CustomValueError(e) => matches!(e, CustomValueError::IncompatibleCodegen),
		_ => false,
	}
}

impl ChainError {
	/// Whether retrying after a reconnect may help (the node went away, or a request failed),
	/// as opposed to a refusal that will not change, or a client that no longer fits the
	/// node's runtime.
	pub fn is_transient(&self) -> bool {
		matches!(self, ChainError::Connect { .. } | ChainError::Rpc(_))
	}

	/// Whether the pool may have refused the transaction only because another transaction of
	/// the same signer took its nonce first: the runtime calls it stale, the pool finds a
	/// transaction with the same nonce and no lower priority (code 1014), or the runtime finds
	/// it valid at the finalized head although the pool did not (it is stale only at the best
	/// block). Signing again with a fresh nonce may help.
	pub fn nonce_may_be_stale(&self) -> bool {
		matches!(
			self,
			ChainError::Refused {
				refusal: Refusal::Invalid(TransactionInvalid::Stale)
					| Refusal::Pool { code: POOL_TOO_LOW_PRIORITY }
					| Refusal::NoLongerInvalid,
				..
			}
		)
	}

	/// The pallet error a dispatched call failed with, if that is what happened.
	pub fn runtime_error(&self) -> Option<&runtime::Error> {
		match self {
			ChainError::Dispatch { failure: DispatchFailure::Pallet(error), .. } => Some(error),
			_ => None,
		}
	}

	/// Whether a dispatched call failed because its origin may not make it.
	pub fn is_bad_origin(&self) -> bool {
		matches!(self, ChainError::Dispatch { failure: DispatchFailure::BadOrigin, .. })
	}

	/// The CommitReveal error behind this failure, whether the pool refused the transaction
	/// or its dispatch failed.
	pub fn commit_reveal_error(&self) -> Option<&runtime::commit_reveal::Error> {
		match self {
			ChainError::Refused { refusal: Refusal::CommitReveal(error), .. } => Some(error),
			_ => match self.runtime_error() {
				Some(runtime::Error::CommitReveal(error)) => Some(error),
				_ => None,
			},
		}
	}
}

/// A dispatch failure with its pallet error decoded, when it is one.
pub(super) fn dispatch_failure(
	metadata: &subxt::Metadata,
	error: subxt::error::DispatchError,
) -> ChainError {
	use subxt::error::DispatchError;
	match &error {
		DispatchError::Module(module) => {
			module_failure(metadata, module.bytes()).unwrap_or_else(|| ChainError::Dispatch {
				failure: DispatchFailure::Other,
				message: error.to_string(),
			})
		}
		DispatchError::BadOrigin => bad_origin(),
		_ => ChainError::Dispatch { failure: DispatchFailure::Other, message: error.to_string() },
	}
}

/// The failure of a call wrapped in `Sudo::sudo`, as its `Sudid` event reports it.
pub(super) fn sudo_failure(
	metadata: &subxt::Metadata,
	error: runtime::runtime_types::sp_runtime::DispatchError,
) -> ChainError {
	use runtime::runtime_types::sp_runtime::{DispatchError, ModuleError};
	match error {
		DispatchError::Module(ModuleError { index, error: [a, b, c, d] }) => {
			module_failure(metadata, [index, a, b, c, d]).unwrap_or_else(|| ChainError::Dispatch {
				failure: DispatchFailure::Other,
				message: format!("unknown pallet error {:?}", [index, a, b, c, d]),
			})
		}
		DispatchError::BadOrigin => bad_origin(),
		other => {
			ChainError::Dispatch { failure: DispatchFailure::Other, message: format!("{other:?}") }
		}
	}
}

fn bad_origin() -> ChainError {
	ChainError::Dispatch { failure: DispatchFailure::BadOrigin, message: "BadOrigin".to_owned() }
}

/// The pallet error encoded as `bytes` (pallet index, error index, three bytes of detail),
/// decoded through `metadata`, with its name and docs.
fn module_failure(metadata: &subxt::Metadata, bytes: [u8; 5]) -> Option<ChainError> {
	let pallet = metadata.pallet_by_error_index(bytes[0])?;
	let variant = pallet.error_variant_by_index(bytes[1])?;
	let error = <runtime::Error as DecodeAsType>::decode_as_type(
		&mut &bytes[..],
		metadata.outer_enums().error_enum_ty(),
		metadata.types(),
	)
	.ok()?;
	Some(ChainError::Dispatch {
		failure: DispatchFailure::Pallet(Box::new(error)),
		message: describe(pallet.name(), &variant.name, &variant.docs),
	})
}

/// `Pallet::Variant (its docs)`.
fn describe(pallet: &str, name: &str, docs: &[String]) -> String {
	format!("{pallet}::{name} ({})", docs.join(" "))
}

/// The pool's error code, when a submission failed because the pool refused the transaction
/// (rather than because the request itself failed).
pub(super) fn pool_refusal_code(error: &BackendError) -> Option<i32> {
	match error {
		BackendError::Rpc(RpcError::ClientError(subxt::rpcs::Error::User(user)))
			if POOL_ERROR_CODES.contains(&user.code) =>
		{
			Some(user.code)
		}
		_ => None,
	}
}

/// The refusal the runtime's validation `result` explains; `code` is the pool's error code
/// when it refused at submission, `node_said` its message (kept for the log).
pub(super) fn refusal(
	metadata: &subxt::Metadata,
	result: ValidationResult,
	code: Option<i32>,
	node_said: String,
) -> ChainError {
	let (refusal, described) = match result {
		ValidationResult::Invalid(TransactionInvalid::Custom(index)) => {
			match commit_reveal_error(metadata, index) {
				Some((error, described)) => {
					(Refusal::CommitReveal(Box::new(error)), Some(described))
				}
				None => (Refusal::Invalid(TransactionInvalid::Custom(index)), None),
			}
		}
		ValidationResult::Invalid(invalid) => (Refusal::Invalid(invalid), None),
		ValidationResult::Unknown(unknown) => (Refusal::Unknown(unknown), None),
		ValidationResult::Valid(_) => match code {
			Some(code) if !RUNTIME_VERDICT_CODES.contains(&code) => (Refusal::Pool { code }, None),
			_ => (Refusal::NoLongerInvalid, None),
		},
	};
	let reason = described.unwrap_or_else(|| format!("{refusal:?}"));
	ChainError::Refused { refusal, message: format!("{reason}; node said: {node_said}") }
}

/// The CommitReveal error whose index the `CheckCommitReveal` extension reports as a
/// `Custom` validity code, with its name and docs.
fn commit_reveal_error(
	metadata: &subxt::Metadata,
	index: u8,
) -> Option<(runtime::commit_reveal::Error, String)> {
	let pallet = metadata.pallet_by_name("CommitReveal")?;
	let variant = pallet.error_variant_by_index(index)?;
	let error = <runtime::commit_reveal::Error as DecodeAsType>::decode_as_type(
		&mut &[index][..],
		pallet.error_ty_id()?,
		metadata.types(),
	)
	.ok()?;
	Some((error, describe(pallet.name(), &variant.name, &variant.docs)))
}

#[cfg(test)]
mod tests {
	use subxt::{rpcs::UserError, transactions::TransactionValid};

	use super::*;

	fn metadata() -> subxt::Metadata {
		subxt::Metadata::decode_from(include_bytes!("../../metadata/galton.scale"))
			.expect("the committed metadata decodes")
	}

	fn invalid(reason: TransactionInvalid) -> ChainError {
		refusal(&metadata(), ValidationResult::Invalid(reason), Some(1010), "1010".into())
	}

	fn valid(code: Option<i32>) -> ChainError {
		let valid = TransactionValid {
			priority: 0,
			requires: vec![],
			provides: vec![],
			longevity: 1,
			propagate: true,
		};
		refusal(&metadata(), ValidationResult::Valid(valid), code, "refused".into())
	}

	#[test]
	fn a_custom_code_becomes_the_commit_reveal_error_it_stands_for() {
		let limited = invalid(TransactionInvalid::Custom(6));
		assert!(matches!(
			limited.commit_reveal_error(),
			Some(runtime::commit_reveal::Error::CommitRateLimited)
		));
		assert!(limited.to_string().contains("CommitReveal::CommitRateLimited ("), "{limited}");
		let last = invalid(TransactionInvalid::Custom(27));
		assert!(matches!(
			last.commit_reveal_error(),
			Some(runtime::commit_reveal::Error::UseCommitReveal)
		));
	}

	#[test]
	fn other_refusals_keep_the_runtime_reason_and_no_pallet_error() {
		let fees = invalid(TransactionInvalid::Payment);
		assert!(matches!(
			&fees,
			ChainError::Refused { refusal: Refusal::Invalid(TransactionInvalid::Payment), .. }
		));
		assert!(fees.commit_reveal_error().is_none());
		let unknown_code = invalid(TransactionInvalid::Custom(200));
		assert!(matches!(
			unknown_code,
			ChainError::Refused { refusal: Refusal::Invalid(TransactionInvalid::Custom(200)), .. }
		));
		assert!(matches!(
			valid(Some(1014)),
			ChainError::Refused { refusal: Refusal::Pool { code: 1014 }, .. }
		));
		assert!(matches!(
			valid(Some(1010)),
			ChainError::Refused { refusal: Refusal::NoLongerInvalid, .. }
		));
		assert!(matches!(
			valid(None),
			ChainError::Refused { refusal: Refusal::NoLongerInvalid, .. }
		));
		assert!(!valid(None).is_transient());
	}

	#[test]
	fn a_nonce_taken_by_another_transaction_is_signed_again_and_nothing_else_is() {
		assert!(invalid(TransactionInvalid::Stale).nonce_may_be_stale());
		assert!(valid(Some(1014)).nonce_may_be_stale(), "same nonce already in the pool");
		assert!(valid(Some(1010)).nonce_may_be_stale(), "stale at the best block only");
		assert!(!valid(Some(1012)).nonce_may_be_stale(), "temporarily banned");
		assert!(!invalid(TransactionInvalid::Payment).nonce_may_be_stale());
		assert!(!invalid(TransactionInvalid::Future).nonce_may_be_stale());
		assert!(!invalid(TransactionInvalid::Custom(6)).nonce_may_be_stale());
	}

	#[test]
	fn a_client_that_no_longer_fits_the_runtime_stops_instead_of_retrying() {
		use subxt::error::{ExtrinsicError, StorageError, StorageValueError};
		for mismatch in [
			subxt::Error::from(StorageError::IncompatibleCodegen),
			subxt::Error::from(ExtrinsicError::IncompatibleCodegen),
			subxt::Error::from(StorageValueError::LeftoverBytes { bytes: vec![1] }),
			subxt::Error::from(subxt::ext::codec::Error::from("bad bytes")),
		] {
			let error = request_failed(mismatch);
			assert!(matches!(error, ChainError::Incompatible(_)), "{error:?}");
			assert!(!error.is_transient());
			assert!(error.to_string().contains("upgrade galton-eval"), "{error}");
		}
		let gone = BackendError::Rpc(RpcError::SubscriptionDropped);
		for failed in [
			subxt::Error::from(StorageError::CannotFetchValue(gone)),
			subxt::Error::from(BackendError::Rpc(RpcError::SubscriptionDropped)),
		] {
			let error = request_failed(failed);
			assert!(matches!(error, ChainError::Rpc(_)), "{error:?}");
			assert!(error.is_transient());
		}
		assert!(request_ended("stream ended").is_transient());
	}

	#[test]
	fn only_pool_codes_count_as_refusals() {
		let user = |code| {
			BackendError::Rpc(RpcError::ClientError(subxt::rpcs::Error::User(UserError {
				code,
				message: "m".into(),
				data: None,
			})))
		};
		assert_eq!(pool_refusal_code(&user(1010)), Some(1010));
		assert_eq!(pool_refusal_code(&user(1014)), Some(1014));
		assert_eq!(pool_refusal_code(&user(-32601)), None);
		let gone = BackendError::Rpc(RpcError::SubscriptionDropped);
		assert_eq!(pool_refusal_code(&gone), None);
	}
}
