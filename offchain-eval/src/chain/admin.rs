//! Calls made by a subnet's owner or by root: sent signed by the owner, or wrapped in
//! `Sudo::sudo` for root, and described without being sent for a dry run.

use std::fmt::Debug;

use subxt::{ext::scale_decode::DecodeAsType, extrinsics::ExtrinsicEvents, transactions::Payload};

use super::{error::sudo_failure, rpc, runtime, Chain, ChainError, Config, Finalized, Keypair};

/// The generated type of every call of the runtime.
type RuntimeCall = runtime::runtime_types::galton_runtime::RuntimeCall;

/// Who a call is made as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CallOrigin {
	/// The signer itself (a subnet's owner, for the owner's calls).
	Signed,
	/// Root: the call is wrapped in `Sudo::sudo`, which only the sudo key may sign.
	Root,
}

/// A call as a dry run prints it: nothing is signed or sent.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallDescription {
	/// `Pallet::call`, with `Sudo::sudo(...)` around it for root.
	pub name: String,
	/// The call's arguments.
	pub arguments: String,
	/// The SCALE-encoded call, as sent (what a multisig or polkadot.js takes).
	pub encoded: Vec<u8>,
}

impl Chain {
	/// Describe `call` as it would be sent as `origin`, without signing or sending it.
	pub async fn describe_call<Call>(
		&self,
		call: &Call,
		origin: CallOrigin,
	) -> Result<CallDescription, ChainError>
	where
		Call: Payload,
		Call::CallData: Debug,
	{
		let name = format!("{}::{}", call.pallet_name(), call.call_name());
		let arguments = format!("{:?}", call.call_data());
		Ok(match origin {
			CallOrigin::Signed => {
				CallDescription { name, arguments, encoded: self.call_data(call).await? }
			}
			CallOrigin::Root => {
				let wrapped = self.wrap_in_sudo(call).await?;
				CallDescription {
					name: format!("Sudo::sudo({name})"),
					arguments,
					encoded: self.call_data(&wrapped).await?,
				}
			}
		})
	}

	/// Sign `call` with `signer`, as `origin`, and wait until it is final. For root, the
	/// wrapped call's own failure (which `Sudo::sudo` reports in an event, not as its own
	/// failure) is returned as the error, typed as any other dispatch failure.
	pub async fn dispatch<Call: Payload>(
		&self,
		call: &Call,
		signer: &Keypair,
		origin: CallOrigin,
	) -> Result<(Finalized, ExtrinsicEvents<Config>), ChainError> {
		match origin {
			CallOrigin::Signed => self.submit_for_events(call, signer).await,
			CallOrigin::Root => {
				let wrapped = self.wrap_in_sudo(call).await?;
				let (finalized, events) = self.submit_for_events(&wrapped, signer).await?;
				let sudid = events
					.find_first::<runtime::sudo::events::Sudid>()
					.ok_or_else(|| {
						ChainError::Unexpected("Sudo::sudo emitted no Sudid event".into())
					})?
					.map_err(rpc)?;
				match sudid.sudo_result {
					Ok(()) => Ok((finalized, events)),
					Err(error) => {
						let at = self.client.at_current_block().await.map_err(rpc)?;
						Err(sudo_failure(&at.metadata(), error))
					}
				}
			}
		}
	}

	/// The encoded call data of `call` (pallet index, call index, arguments).
	async fn call_data<Call: Payload>(&self, call: &Call) -> Result<Vec<u8>, ChainError> {
		let at = self.client.at_current_block().await.map_err(rpc)?;
		at.transactions().call_data(call).map_err(rpc)
	}

	/// `Sudo::sudo(call)`: the call is encoded through the node's metadata and decoded as the
	/// runtime's call type, so any call this client can make can be made as root.
	async fn wrap_in_sudo<Call: Payload>(
		&self,
		call: &Call,
	) -> Result<impl Payload + use<Call>, ChainError> {
		let at = self.client.at_current_block().await.map_err(rpc)?;
		let encoded = at.transactions().call_data(call).map_err(rpc)?;
		let metadata = at.metadata();
		let inner = RuntimeCall::decode_as_type(
			&mut &encoded[..],
			metadata.outer_enums().call_enum_ty(),
			metadata.types(),
		)
		.map_err(|e| ChainError::Unexpected(format!("cannot wrap the call in Sudo::sudo: {e}")))?;
		Ok(runtime::tx().sudo().sudo(inner))
	}
}
