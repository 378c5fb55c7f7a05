//! [`CheckCommitReveal`]: refuses doomed commit-reveal transactions in the transaction pool,
//! before they take block space or fees.

use codec::{Decode, DecodeWithMemTracking, Encode};
use core::{fmt, marker::PhantomData};
use frame_support::{
	dispatch::{DispatchClass, DispatchInfo},
	pallet_prelude::{TransactionSource, Weight},
	traits::{Get, IsSubType, OriginTrait},
};
use galton_primitives::{NetUid, PlainWeightsCall};
use scale_info::TypeInfo;
use sp_core::H256;
use sp_runtime::{
	impl_tx_ext_default,
	traits::{
		AsSystemOriginSigner, DispatchInfoOf, Dispatchable, Implication, TransactionExtension,
		ValidateResult,
	},
	transaction_validity::{
		InvalidTransaction, TransactionPriority, TransactionValidityError, ValidTransaction,
	},
	DispatchError,
};

use crate::{Call, Config, Error, Pallet, Reveal, RevealConfigs, WeightInfo};

/// The priority of a valid commit or reveal: above ordinary transfers, whose priority comes from
/// their fee and tip, so that a reveal is not crowded out of its window.
pub const COMMIT_REVEAL_PRIORITY: TransactionPriority = TransactionPriority::MAX / 4;

/// A transaction extension that checks commit-reveal transactions against the chain's state
/// when they enter the pool and again when a block includes them:
///
/// - `commit_weights` and `batch_commit_weights`: every check of the call (subnet, commit-reveal
///   on, registration, validator permit, rate limit, no duplicate, pending limit);
/// - `reveal_weights` and `batch_reveal_weights`: a matching commit inside its window, and
///   weights the host chain accepts;
/// - `commit_timelocked_weights`: the same checks of the validator as a hash commit, no other
///   timelocked commit waiting, a round that is still secret and has room, the chain's
///   `commit_reveal_version`, and a well-formed ciphertext no longer than the subnet's uids
///   need (the pairing-free checks: nothing is decrypted in the pool);
/// - the host's plain weight-setting call ([`Config::PlainWeightsCall`]) while the subnet runs
///   commit-reveal.
///
/// A refused transaction fails with `InvalidTransaction::Custom(index)`, where `index` is the
/// position of the [`Error`] variant in this pallet's error enum, as the chain's metadata lists
/// it (see [`invalid`]). A valid commit or reveal gets [`COMMIT_REVEAL_PRIORITY`] and
/// `provides` tags that keep spam out of the pool: a commit's tag is its (subnet, signer), so
/// a validator has at most one commit per subnet waiting in the pool (the rate limit would
/// refuse a second one in the block anyway); a reveal's tag is its (subnet, signer, hash), so a
/// duplicate reveal cannot enter twice.
///
/// While a block is built, a commit or reveal that would take the block's normal-class weight
/// or length past [`Config::MaxBlockShare`] is refused as `ExhaustsResources`: the builder skips it and it
/// waits in the pool for the next block, so the high priority of commits and reveals never
/// crowds fee-paying transactions out of a block.
///
/// Calls wrapped in other calls (`utility::batch`, `sudo`) are checked by the dispatch only.
#[derive(Encode, Decode, DecodeWithMemTracking, Clone, Eq, PartialEq, TypeInfo)]
#[scale_info(skip_type_params(T))]
pub struct CheckCommitReveal<T: Config + Send + Sync>(PhantomData<T>);

impl<T: Config + Send + Sync> CheckCommitReveal<T> {
	/// The extension; it carries no data.
	pub fn new() -> Self {
		Self(PhantomData)
	}
}

impl<T: Config + Send + Sync> Default for CheckCommitReveal<T> {
	fn default() -> Self {
		Self::new()
	}
}

impl<T: Config + Send + Sync> fmt::Debug for CheckCommitReveal<T> {
	fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
		write!(f, "CheckCommitReveal")
	}
}

/// The pool error for a pallet error: `InvalidTransaction::Custom` with the error's index.
pub fn invalid<T: Config>(error: Error<T>) -> TransactionValidityError {
	let index = match DispatchError::from(error) {
		DispatchError::Module(module) => module.error[0],
		_ => u8::MAX,
	};
	InvalidTransaction::Custom(index).into()
}

/// What a valid commit or reveal tells the pool: one `provides` tag per item.
fn valid_with<Tag: Encode>(tags: impl Iterator<Item = Tag>) -> ValidTransaction {
	let mut validity = ValidTransaction::with_tag_prefix("CommitReveal")
		.priority(COMMIT_REVEAL_PRIORITY)
		.longevity(64)
		.propagate(true);
	for tag in tags {
		validity = validity.and_provides(tag);
	}
	validity.into()
}

/// The pool tags of commits by `who`: one per subnet, whatever the hash.
fn commit_tags<'a, AccountId: Encode>(
	netuids: impl Iterator<Item = NetUid> + 'a,
	who: &'a AccountId,
) -> impl Iterator<Item = impl Encode + 'a> + 'a {
	netuids.map(move |netuid| (b"commit", netuid, who))
}

/// The pool tags of reveals by `who` on `netuid`: one per revealed hash.
fn reveal_tags<'a, AccountId: Encode>(
	netuid: NetUid,
	hashes: impl Iterator<Item = H256> + 'a,
	who: &'a AccountId,
) -> impl Iterator<Item = impl Encode + 'a> + 'a {
	hashes.map(move |hash| (b"reveal", netuid, who, hash))
}

impl<T: Config + Send + Sync> CheckCommitReveal<T> {
	/// Check `call` as signed by `who`; `Ok(None)` for calls this extension does not concern.
	fn check(
		who: &T::AccountId,
		call: &T::RuntimeCall,
	) -> Result<Option<ValidTransaction>, TransactionValidityError>
	where
		T::RuntimeCall: IsSubType<Call<T>>,
	{
		if let Some(netuid) = T::PlainWeightsCall::netuid(call) {
			if RevealConfigs::<T>::get(netuid).enabled {
				return Err(invalid(Error::<T>::UseCommitReveal));
			}
			return Ok(None);
		}
		let Some(call) = call.is_sub_type() else { return Ok(None) };
		let validity = match call {
			Call::commit_weights { netuid, commit_hash } => {
				Pallet::<T>::check_commit(who, *netuid, *commit_hash).map_err(invalid)?;
				valid_with(commit_tags(core::iter::once(*netuid), who))
			}
			Call::batch_commit_weights { commits } => {
				Self::check_batch_size(commits.len())?;
				for (netuid, hash) in commits {
					Pallet::<T>::check_commit(who, *netuid, *hash).map_err(invalid)?;
				}
				valid_with(commit_tags(commits.iter().map(|(netuid, _)| *netuid), who))
			}
			Call::commit_timelocked_weights {
				netuid,
				commit,
				reveal_round,
				commit_reveal_version,
			} => {
				let version = *commit_reveal_version;
				Pallet::<T>::check_timelocked_commit(who, *netuid, commit, *reveal_round, version)
					.map_err(invalid)?;
				valid_with(commit_tags(core::iter::once(*netuid), who))
			}
			Call::reveal_weights { netuid, uids, values, salt, version_key } => {
				let reveal = Reveal {
					uids: uids.clone(),
					values: values.clone(),
					salt: salt.clone(),
					version_key: *version_key,
				};
				let hash = Self::check_one_reveal(who, *netuid, &reveal)?;
				valid_with(reveal_tags(*netuid, core::iter::once(hash), who))
			}
			Call::batch_reveal_weights { netuid, reveals } => {
				Self::check_batch_size(reveals.len())?;
				let hashes = reveals
					.iter()
					.map(|reveal| Self::check_one_reveal(who, *netuid, reveal))
					.collect::<Result<alloc::vec::Vec<_>, _>>()?;
				valid_with(reveal_tags(*netuid, hashes.into_iter(), who))
			}
			_ => return Ok(None),
		};
		Ok(Some(validity))
	}

	/// Refuse a batch that is empty or larger than `MaxBatchSize`.
	fn check_batch_size(len: usize) -> Result<(), TransactionValidityError> {
		if len == 0 {
			return Err(invalid(Error::<T>::EmptyBatch));
		}
		if len > T::MaxBatchSize::get() as usize {
			return Err(invalid(Error::<T>::BatchTooLarge));
		}
		Ok(())
	}

	/// Refuse, as exhausting the block, a transaction of weight `weight` and `len` bytes that
	/// would take the block's normal-class weight or length past `MaxBlockShare` of its limit.
	fn ensure_block_share(weight: Weight, len: usize) -> Result<(), TransactionValidityError> {
		let limits = T::BlockWeights::get();
		let max = limits.get(DispatchClass::Normal).max_total.unwrap_or(limits.max_block);
		let share = T::MaxBlockShare::get();
		let cap = Weight::from_parts(share * max.ref_time(), share * max.proof_size());
		let used = frame_system::Pallet::<T>::block_weight()
			.get(DispatchClass::Normal)
			.saturating_add(weight);
		let max_len = *T::BlockLength::get().max.get(DispatchClass::Normal);
		let used_len = crate::compat::block_length::<T>()
			.saturating_add(u32::try_from(len).unwrap_or(u32::MAX));
		if used.any_gt(cap) || used_len > share * max_len {
			return Err(InvalidTransaction::ExhaustsResources.into());
		}
		Ok(())
	}

	/// Check one reveal, including the weights' validity on the host chain; return its hash.
	fn check_one_reveal(
		who: &T::AccountId,
		netuid: NetUid,
		reveal: &Reveal,
	) -> Result<H256, TransactionValidityError> {
		Pallet::<T>::check_reveal_in_pool(who, netuid, reveal).map_err(invalid)
	}
}

impl<T: Config + Send + Sync> TransactionExtension<T::RuntimeCall> for CheckCommitReveal<T>
where
	T::RuntimeCall: Dispatchable<Info = DispatchInfo> + IsSubType<Call<T>>,
	<T::RuntimeCall as Dispatchable>::RuntimeOrigin:
		AsSystemOriginSigner<T::AccountId> + OriginTrait + Clone,
{
	const IDENTIFIER: &'static str = "CheckCommitReveal";
	type Implicit = ();
	type Val = ();
	type Pre = ();

	/// What the checks cost, for the calls they inspect only (every other transaction, a
	/// transfer, carries nothing): per hash commit, the commit's checks; per reveal, the
	/// reveal's checks, which grow with its uids (hashing them and checking them against the
	/// host's occupancy; the registration entries are read by the dispatch, which pays for
	/// them); a timelocked commit, at most its dispatch, which runs every check the pool makes;
	/// the host's plain weight setting, the read of its subnet's reveal config.
	fn weight(&self, call: &T::RuntimeCall) -> Weight {
		if T::PlainWeightsCall::netuid(call).is_some() {
			return T::DbWeight::get().reads(1);
		}
		let reveal_check =
			|uids: &[galton_primitives::Uid]| T::WeightInfo::check_reveal(uids.len() as u32);
		match call.is_sub_type() {
			Some(Call::commit_weights { .. }) => T::WeightInfo::check_commit_reveal(1),
			Some(Call::batch_commit_weights { commits }) => {
				T::WeightInfo::check_commit_reveal(commits.len() as u32)
			}
			Some(Call::commit_timelocked_weights { .. }) => {
				T::WeightInfo::commit_timelocked_weights()
			}
			Some(Call::reveal_weights { uids, .. }) => reveal_check(uids),
			Some(Call::batch_reveal_weights { reveals, .. }) => {
				reveals.iter().fold(Weight::zero(), |total, reveal| {
					total.saturating_add(reveal_check(&reveal.uids))
				})
			}
			_ => Weight::zero(),
		}
	}

	fn validate(
		&self,
		origin: <T::RuntimeCall as Dispatchable>::RuntimeOrigin,
		call: &T::RuntimeCall,
		info: &DispatchInfoOf<T::RuntimeCall>,
		len: usize,
		_self_implicit: Self::Implicit,
		_inherited_implication: &impl Implication,
		source: TransactionSource,
	) -> ValidateResult<Self::Val, T::RuntimeCall> {
		let Some(who) = origin.as_system_origin_signer() else {
			return Ok((ValidTransaction::default(), (), origin));
		};
		let Some(validity) = Self::check(who, call)? else {
			return Ok((ValidTransaction::default(), (), origin));
		};
		// The pool holds any number of valid commits; a block takes its share of them.
		if source == TransactionSource::InBlock {
			Self::ensure_block_share(info.total_weight(), len)?;
		}
		Ok((validity, (), origin))
	}

	impl_tx_ext_default!(T::RuntimeCall; prepare);
}
