//! # Subnets Pallet
//!
//! A small registry of subnets, neurons, validator permits and weights. It stands in for
//! `pallet-subtensor` in Galton's standalone runtime so that the anti-copying pallets have a
//! host to run against; a subtensor fork keeps its own registry instead and implements the same
//! [`galton_primitives::SubnetsInterface`].
//!
//! ## Overview
//!
//! - Anyone can [create a subnet](Pallet::create_subnet) and becomes its owner, holding
//!   [`Config::SubnetDeposit`] for as long as the subnet exists.
//! - A hotkey [registers](Pallet::register) on a subnet, holding [`Config::RegistrationDeposit`],
//!   and gets the next free [`Uid`]; it [deregisters](Pallet::deregister) itself, or the owner
//!   or root does, the deposit is released, and the other pallets are told
//!   ([`Config::OnDeregister`]). The deposits make thousands of subnets or permitted hotkeys
//!   (each of them a source of feeless commits) cost real funds.
//! - The owner (or root) [grants or revokes validator permits](Pallet::set_validator_permit) and
//!   sets the [minimum weights version key](Pallet::set_weights_version_key).
//! - A validator [sets weights](Pallet::set_weights) directly, unless the subnet runs
//!   commit-reveal ([`Config::CommitReveal`]), in which case weights only arrive through a reveal
//!   ([`galton_primitives::SubnetsInterface::apply_weights`]).
//!
//! Every weight vector is checked by [`galton_primitives::check_weights`]: equal lengths, no uid
//! twice, each uid registered, at most [`Config::MaxNeurons`] entries.
//!
//! ## Pallet API
//!
//! See the [`pallet`] module for the calls, storage, events and errors.

#![cfg_attr(not(feature = "std"), no_std)]

extern crate alloc;

pub use pallet::*;

#[cfg(feature = "runtime-benchmarks")]
mod benchmarking;
mod functions;
mod interface;
pub mod migrations;
mod occupancy;
mod origin;
mod registration;
pub mod weights;

#[cfg(test)]
mod mock;
#[cfg(test)]
mod tests;

pub use interface::SetWeightsCall;
pub use origin::EnsureSubnetOwnerOrRoot;
pub use weights::WeightInfo;

use frame_support::dispatch::DispatchResult;
use frame_support::traits::{
	fungible::{Inspect, MutateHold},
	tokens::Precision,
	Get,
};
use galton_primitives::{NetUid, OnHotkeyDeregistered, Uid, WeightsError};
use sp_runtime::traits::Zero;

#[frame_support::pallet]
pub mod pallet {
	use super::*;
	use alloc::vec::Vec;
	use frame_support::{pallet_prelude::*, traits::EnsureOriginWithArg};
	use frame_system::pallet_prelude::*;
	use galton_primitives::CommitRevealStatus;

	/// The weights one neuron has set: `(uid, value)` pairs, at most one per neuron.
	pub type WeightsOf<T> = BoundedVec<(Uid, u16), <T as Config>::MaxNeurons>;

	/// The balance type of [`Config::Currency`].
	pub type BalanceOf<T> =
		<<T as Config>::Currency as Inspect<<T as frame_system::Config>::AccountId>>::Balance;

	/// A subnet to create at genesis: its owner, then each neuron's hotkey and whether it holds
	/// a validator permit. Genesis subnets and neurons hold no deposit.
	pub type GenesisSubnet<AccountId> = (AccountId, Vec<(AccountId, bool)>);

	/// The in-code storage version.
	const STORAGE_VERSION: StorageVersion = StorageVersion::new(1);

	#[pallet::pallet]
	#[pallet::storage_version(STORAGE_VERSION)]
	pub struct Pallet<T>(_);

	/// Configuration of the pallet.
	#[pallet::config]
	pub trait Config: frame_system::Config<RuntimeEvent: From<Event<Self>>> {
		/// Tells whether a subnet runs commit-reveal; plain `set_weights` is refused while it does.
		type CommitReveal: CommitRevealStatus;

		/// Told when a hotkey is deregistered, so other pallets drop what they keep for it.
		type OnDeregister: OnHotkeyDeregistered<Self::AccountId>;

		/// Who may change a subnet's settings: root or the subnet's owner.
		type OwnerOrigin: EnsureOriginWithArg<Self::RuntimeOrigin, NetUid>;

		/// The currency the deposits are held in.
		type Currency: frame_support::traits::fungible::Mutate<Self::AccountId>
			+ MutateHold<Self::AccountId, Reason = Self::RuntimeHoldReason>;

		/// The runtime's hold reasons, which include this pallet's [`HoldReason`].
		type RuntimeHoldReason: From<HoldReason>;

		/// Held from a subnet's creator for as long as the subnet exists.
		#[pallet::constant]
		type SubnetDeposit: Get<BalanceOf<Self>>;

		/// Held from a hotkey while it is registered on a subnet, once per subnet.
		#[pallet::constant]
		type RegistrationDeposit: Get<BalanceOf<Self>>;

		/// The most subnets that can ever be created. Must be at least one.
		#[pallet::constant]
		type MaxSubnets: Get<u16>;

		/// The most neurons one subnet can hold; also bounds every weight vector. Must be at least
		/// one and at most `u16::MAX`, so that the neuron count fits in a `u16`.
		#[pallet::constant]
		type MaxNeurons: Get<u32>;

		/// Weights of the calls, from the pallet's benchmarks.
		type WeightInfo: WeightInfo;
	}

	/// Why this pallet holds funds.
	#[pallet::composite_enum]
	pub enum HoldReason {
		/// The deposit of a subnet's owner.
		SubnetDeposit,
		/// The deposit of a registered hotkey.
		RegistrationDeposit,
	}

	/// The registration deposit each registered hotkey holds, released when it deregisters.
	/// Absent for genesis neurons, which hold none.
	#[pallet::storage]
	pub type Deposits<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		NetUid,
		Blake2_128Concat,
		T::AccountId,
		BalanceOf<T>,
		OptionQuery,
	>;

	/// How many subnets exist. Subnets are numbered `1..=SubnetCount`.
	#[pallet::storage]
	pub type SubnetCount<T> = StorageValue<_, NetUid, ValueQuery>;

	/// The owner of each subnet.
	#[pallet::storage]
	pub type SubnetOwners<T: Config> = StorageMap<_, Twox64Concat, NetUid, T::AccountId>;

	/// How many uids each subnet has handed out: uids are numbered `0..NeuronCounts`; those not
	/// marked in [`OccupiedUids`] are vacant and taken again first.
	#[pallet::storage]
	pub type NeuronCounts<T> = StorageMap<_, Twox64Concat, NetUid, u16, ValueQuery>;

	/// The held uids of each subnet, one bit per uid.
	#[pallet::storage]
	pub type OccupiedUids<T: Config> =
		StorageMap<_, Twox64Concat, NetUid, occupancy::OccupancyOf<T>, ValueQuery>;

	/// The hotkey behind each uid of a subnet.
	#[pallet::storage]
	pub type Keys<T: Config> =
		StorageDoubleMap<_, Twox64Concat, NetUid, Twox64Concat, Uid, T::AccountId>;

	/// The uid of each registered hotkey of a subnet.
	#[pallet::storage]
	pub type Uids<T: Config> =
		StorageDoubleMap<_, Twox64Concat, NetUid, Blake2_128Concat, T::AccountId, Uid>;

	/// The block each uid's current hotkey registered, [`registration::UIDS_PER_ENTRY`] uids to an
	/// entry (keyed by `uid / UIDS_PER_ENTRY`). Read by reveals, which drop the uids that
	/// changed hands after their commit; an entry of a vacant uid is stale and never read alone.
	#[pallet::storage]
	pub type RegistrationBlocks<T: Config> = StorageDoubleMap<
		_,
		Twox64Concat,
		NetUid,
		Twox64Concat,
		u16,
		registration::EntryOf<T>,
		ValueQuery,
	>;

	/// The neurons of a subnet that hold a validator permit.
	#[pallet::storage]
	pub type ValidatorPermits<T> =
		StorageDoubleMap<_, Twox64Concat, NetUid, Twox64Concat, Uid, (), OptionQuery>;

	/// The weights each neuron of a subnet last set or revealed.
	#[pallet::storage]
	pub type Weights<T: Config> =
		StorageDoubleMap<_, Twox64Concat, NetUid, Twox64Concat, Uid, WeightsOf<T>>;

	/// The lowest weights version key a subnet accepts.
	#[pallet::storage]
	pub type WeightsVersionKeys<T> = StorageMap<_, Twox64Concat, NetUid, u64, ValueQuery>;

	/// Subnets, with their neurons, to create at genesis.
	#[pallet::genesis_config]
	#[derive(frame_support::DefaultNoBound)]
	pub struct GenesisConfig<T: Config> {
		/// One entry per subnet, numbered from 1 in order.
		pub subnets: Vec<GenesisSubnet<T::AccountId>>,
	}

	#[pallet::genesis_build]
	impl<T: Config> BuildGenesisConfig for GenesisConfig<T> {
		fn build(&self) {
			for (owner, neurons) in &self.subnets {
				let netuid = Pallet::<T>::do_create_subnet(owner.clone())
					.expect("genesis creates at most MaxSubnets subnets");
				for (hotkey, permit) in neurons {
					let uid = Pallet::<T>::do_register(netuid, hotkey.clone())
						.expect("genesis neurons are distinct and fit in MaxNeurons");
					if *permit {
						ValidatorPermits::<T>::insert(netuid, uid, ());
					}
				}
			}
		}
	}

	/// Events of the pallet.
	#[pallet::event]
	#[pallet::generate_deposit(pub(super) fn deposit_event)]
	pub enum Event<T: Config> {
		/// A subnet was created.
		SubnetCreated {
			/// The new subnet.
			netuid: NetUid,
			/// Its owner, the account that created it.
			owner: T::AccountId,
		},
		/// A hotkey registered on a subnet.
		NeuronRegistered {
			/// The subnet.
			netuid: NetUid,
			/// The uid the hotkey received.
			uid: Uid,
			/// The hotkey.
			hotkey: T::AccountId,
		},
		/// A hotkey was deregistered from a subnet; its uid is free again.
		NeuronDeregistered {
			/// The subnet.
			netuid: NetUid,
			/// The uid the hotkey held.
			uid: Uid,
			/// The hotkey.
			hotkey: T::AccountId,
		},
		/// A validator permit was granted or revoked.
		ValidatorPermitSet {
			/// The subnet.
			netuid: NetUid,
			/// The neuron.
			uid: Uid,
			/// `true` if the neuron now holds a permit.
			granted: bool,
		},
		/// A neuron's weights were stored, by `set_weights` or by a reveal.
		WeightsSet {
			/// The subnet.
			netuid: NetUid,
			/// The neuron that set them.
			uid: Uid,
			/// How many `(uid, value)` pairs were stored.
			count: u32,
		},
		/// A subnet's minimum weights version key changed.
		WeightsVersionKeySet {
			/// The subnet.
			netuid: NetUid,
			/// The new minimum.
			version_key: u64,
		},
	}

	/// Errors of the pallet.
	#[pallet::error]
	pub enum Error<T> {
		/// No subnet has this netuid. Check the netuid (subnets are numbered from 1).
		UnknownSubnet,
		/// No more subnets can be created on this chain (`MaxSubnets`).
		TooManySubnets,
		/// The signer's free balance cannot cover the deposit (and keep the account alive): fund
		/// the account first.
		CannotHoldDeposit,
		/// This hotkey is already registered on the subnet; it keeps its uid.
		AlreadyRegistered,
		/// The subnet holds `MaxNeurons` neurons already; no uid is free.
		SubnetFull,
		/// The signing hotkey is not registered on this subnet: register it first.
		NotRegistered,
		/// The hotkey has no validator permit on this subnet; ask the subnet owner for one.
		NoValidatorPermit,
		/// The subnet runs commit-reveal: commit a hash with `commit_weights`, then reveal.
		CommitRevealEnabled,
		/// `uids` and `values` must have the same length.
		LengthMismatch,
		/// More weights than the subnet can have neurons (`MaxNeurons`).
		TooManyWeights,
		/// A uid appears twice in `uids`; give each neuron one weight.
		DuplicateUid,
		/// A uid in the call names no registered neuron of the subnet.
		UnknownUid,
		/// The version key is below the subnet's minimum; update the validator software.
		OutdatedVersionKey,
	}

	impl<T> From<WeightsError> for Error<T> {
		fn from(error: WeightsError) -> Self {
			match error {
				WeightsError::LengthMismatch => Error::LengthMismatch,
				WeightsError::TooManyWeights => Error::TooManyWeights,
				WeightsError::DuplicateUid => Error::DuplicateUid,
				WeightsError::UnknownUid => Error::UnknownUid,
				WeightsError::OutdatedVersionKey => Error::OutdatedVersionKey,
			}
		}
	}

	#[pallet::hooks]
	impl<T: Config> Hooks<BlockNumberFor<T>> for Pallet<T> {
		fn integrity_test() {
			assert!(T::MaxSubnets::get() > 0, "MaxSubnets must be at least one");
			let max_neurons = T::MaxNeurons::get();
			assert!(max_neurons > 0, "MaxNeurons must be at least one");
			assert!(max_neurons <= u32::from(u16::MAX), "MaxNeurons must fit in a u16");
		}

		#[cfg(feature = "try-runtime")]
		fn try_state(_: BlockNumberFor<T>) -> Result<(), sp_runtime::TryRuntimeError> {
			Self::do_try_state()
		}
	}

	#[pallet::call]
	impl<T: Config> Pallet<T> {
		/// Create a subnet owned by the caller.
		///
		/// The origin must be signed; the signer becomes the owner. The subnet gets the next
		/// netuid, counting from 1.
		///
		/// Holds [`Config::SubnetDeposit`] from the owner for as long as the subnet exists.
		///
		/// Fails with [`Error::TooManySubnets`] once `MaxSubnets` exist, or
		/// [`Error::CannotHoldDeposit`].
		///
		/// Emits `SubnetCreated`.
		#[pallet::call_index(0)]
		#[pallet::weight(T::WeightInfo::create_subnet())]
		pub fn create_subnet(origin: OriginFor<T>) -> DispatchResult {
			let owner = ensure_signed(origin)?;
			Self::hold_deposit(HoldReason::SubnetDeposit, &owner, T::SubnetDeposit::get())?;
			Self::do_create_subnet(owner)?;
			Ok(())
		}

		/// Register the signing hotkey on a subnet.
		///
		/// The origin must be signed by the hotkey. It gets the next uid, and holds
		/// [`Config::RegistrationDeposit`] until it deregisters.
		///
		/// - `netuid`: the subnet to join.
		///
		/// Fails with [`Error::UnknownSubnet`], [`Error::AlreadyRegistered`],
		/// [`Error::SubnetFull`] or [`Error::CannotHoldDeposit`].
		///
		/// Emits `NeuronRegistered`.
		#[pallet::call_index(1)]
		#[pallet::weight(T::WeightInfo::register())]
		pub fn register(origin: OriginFor<T>, netuid: NetUid) -> DispatchResult {
			let hotkey = ensure_signed(origin)?;
			Self::do_register(netuid, hotkey.clone())?;
			let deposit = T::RegistrationDeposit::get();
			if Self::hold_deposit(HoldReason::RegistrationDeposit, &hotkey, deposit)? {
				Deposits::<T>::insert(netuid, &hotkey, deposit);
			}
			Ok(())
		}

		/// Grant or revoke a neuron's validator permit.
		///
		/// The origin must be root or the subnet's owner ([`Config::OwnerOrigin`]).
		///
		/// - `netuid`: the subnet.
		/// - `uid`: the neuron.
		/// - `granted`: `true` to grant, `false` to revoke.
		///
		/// Fails with [`Error::UnknownSubnet`] or [`Error::UnknownUid`].
		///
		/// Emits `ValidatorPermitSet`.
		#[pallet::call_index(2)]
		#[pallet::weight(T::WeightInfo::set_validator_permit())]
		pub fn set_validator_permit(
			origin: OriginFor<T>,
			netuid: NetUid,
			uid: Uid,
			granted: bool,
		) -> DispatchResult {
			T::OwnerOrigin::ensure_origin(origin, &netuid)?;
			Self::ensure_subnet(netuid)?;
			ensure!(Keys::<T>::contains_key(netuid, uid), Error::<T>::UnknownUid);
			if granted {
				ValidatorPermits::<T>::insert(netuid, uid, ());
			} else {
				ValidatorPermits::<T>::remove(netuid, uid);
			}
			Self::deposit_event(Event::ValidatorPermitSet { netuid, uid, granted });
			Ok(())
		}

		/// Set the signing validator's weights on a subnet that does not run commit-reveal.
		///
		/// The origin must be signed by a registered hotkey with a validator permit.
		///
		/// - `netuid`: the subnet.
		/// - `uids`: the neurons to weigh, each at most once.
		/// - `values`: one weight per uid.
		/// - `version_key`: the validator software's version; at least the subnet's minimum.
		///
		/// Fails with [`Error::UnknownSubnet`], [`Error::CommitRevealEnabled`],
		/// [`Error::NotRegistered`], [`Error::NoValidatorPermit`] or a weights error
		/// ([`Error::LengthMismatch`], [`Error::TooManyWeights`], [`Error::DuplicateUid`],
		/// [`Error::UnknownUid`], [`Error::OutdatedVersionKey`]).
		///
		/// Emits `WeightsSet`.
		#[pallet::call_index(3)]
		#[pallet::weight(T::WeightInfo::set_weights(uids.len() as u32))]
		pub fn set_weights(
			origin: OriginFor<T>,
			netuid: NetUid,
			uids: Vec<Uid>,
			values: Vec<u16>,
			version_key: u64,
		) -> DispatchResult {
			let hotkey = ensure_signed(origin)?;
			Self::ensure_subnet(netuid)?;
			ensure!(
				!T::CommitReveal::commit_reveal_enabled(netuid),
				Error::<T>::CommitRevealEnabled
			);
			let uid = Uids::<T>::get(netuid, &hotkey).ok_or(Error::<T>::NotRegistered)?;
			ensure!(
				ValidatorPermits::<T>::contains_key(netuid, uid),
				Error::<T>::NoValidatorPermit
			);
			Self::ensure_version_key(netuid, version_key)
				.and_then(|()| Self::do_apply_weights(netuid, uid, &uids, &values))
				.map_err(Error::<T>::from)?;
			Ok(())
		}

		/// Deregister a hotkey from a subnet: its uid, permit and weights go, and the other pallets
		/// are told ([`Config::OnDeregister`]), so its model commitment and claim go too.
		///
		/// The origin must be root, the subnet's owner, or the hotkey itself.
		///
		/// - `netuid`: the subnet.
		/// - `hotkey`: the hotkey to deregister.
		///
		/// Fails with [`Error::UnknownSubnet`] or [`Error::NotRegistered`].
		///
		/// Emits `NeuronDeregistered`.
		#[pallet::call_index(5)]
		#[pallet::weight(T::WeightInfo::deregister().saturating_add(T::OnDeregister::weight()))]
		pub fn deregister(
			origin: OriginFor<T>,
			netuid: NetUid,
			hotkey: T::AccountId,
		) -> DispatchResult {
			if let Err(origin) = T::OwnerOrigin::try_origin(origin, &netuid) {
				ensure!(ensure_signed(origin)? == hotkey, DispatchError::BadOrigin);
			}
			Self::do_deregister(netuid, hotkey)
		}

		/// Set the lowest weights version key a subnet accepts.
		///
		/// The origin must be root or the subnet's owner ([`Config::OwnerOrigin`]).
		///
		/// - `netuid`: the subnet.
		/// - `version_key`: the new minimum.
		///
		/// Fails with [`Error::UnknownSubnet`].
		///
		/// Emits `WeightsVersionKeySet`.
		#[pallet::call_index(4)]
		#[pallet::weight(T::WeightInfo::set_weights_version_key())]
		pub fn set_weights_version_key(
			origin: OriginFor<T>,
			netuid: NetUid,
			version_key: u64,
		) -> DispatchResult {
			T::OwnerOrigin::ensure_origin(origin, &netuid)?;
			Self::ensure_subnet(netuid)?;
			WeightsVersionKeys::<T>::insert(netuid, version_key);
			Self::deposit_event(Event::WeightsVersionKeySet { netuid, version_key });
			Ok(())
		}
	}
}
