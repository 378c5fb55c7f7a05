//! The interfaces between Galton's pallets and the chain that hosts them.
//!
//! In Galton's own runtime `pallet-subnets` implements [`SubnetsInterface`]; in a subtensor fork,
//! `pallet-subtensor` does. [`CommitRevealStatus`] is implemented by `pallet-commit-reveal` and
//! read by whoever accepts plain weights.

use alloc::vec::Vec;
use sp_weights::Weight;

use crate::{weights::WeightsError, NetUid, Uid};

/// What Galton's pallets need to know about subnets and neurons, and how revealed weights are
/// handed back to the host chain.
pub trait SubnetsInterface<AccountId, BlockNumber> {
	/// The owner of `netuid`, or `None` if no such subnet exists.
	fn subnet_owner(netuid: NetUid) -> Option<AccountId>;

	/// Whether `netuid` exists.
	fn subnet_exists(netuid: NetUid) -> bool {
		Self::subnet_owner(netuid).is_some()
	}

	/// The uid of `hotkey` in `netuid`, if it is registered there.
	fn uid_of(netuid: NetUid, hotkey: &AccountId) -> Option<Uid>;

	/// Whether the neuron `uid` of `netuid` holds a validator permit.
	fn has_validator_permit(netuid: NetUid, uid: Uid) -> bool;

	/// The lowest weights version key `netuid` accepts now.
	fn weights_version_key(netuid: NetUid) -> u64;

	/// For each of `uids`, in order: whether its current holder registered before block `since`.
	/// A vacant uid, or one that changed hands at or after `since`, is `false`: weights committed
	/// at `since` were meant for someone else.
	fn held_since(netuid: NetUid, uids: &[Uid], since: BlockNumber) -> Vec<bool>;

	/// How many uids `netuid` has ever handed out: uids are numbered from zero, and a uid at or
	/// above this count has never been held (subtensor's `SubnetworkN`).
	fn uid_count(netuid: NetUid) -> u16;

	/// What [`Self::held_since`] costs for `uids` beyond what the reveal benchmarks' weights
	/// charge: charged on top of them, so that a reveal pays for every storage item it reads,
	/// scattered uids included.
	fn held_since_weight(uids: &[Uid]) -> Weight;

	/// Check weights against the subnet's rules (lengths, bounds, each uid held) without storing
	/// them. The version key is the caller's to check: a reveal checks the one its commit fixed.
	fn check_weights(netuid: NetUid, uids: &[Uid], values: &[u16]) -> Result<(), WeightsError>;

	/// Check and store the weights that neuron `uid` of `netuid` reveals. Nothing is written when
	/// the check fails.
	fn apply_weights(
		netuid: NetUid,
		uid: Uid,
		uids: &[Uid],
		values: &[u16],
	) -> Result<(), WeightsError>;
}

/// Whether a subnet runs commit-reveal, in which case plain weight setting is refused.
pub trait CommitRevealStatus {
	/// `true` while validators of `netuid` must commit and reveal their weights.
	fn commit_reveal_enabled(netuid: NetUid) -> bool;
}

/// No subnet runs commit-reveal.
impl CommitRevealStatus for () {
	fn commit_reveal_enabled(_: NetUid) -> bool {
		false
	}
}

/// Told when the host chain deregisters a hotkey from a subnet, so that whatever a pallet keeps
/// for that hotkey (a model commitment and its claim, say) goes with it.
pub trait OnHotkeyDeregistered<AccountId> {
	/// `hotkey` no longer holds a uid on `netuid`.
	fn on_hotkey_deregistered(netuid: NetUid, hotkey: &AccountId);

	/// The most [`Self::on_hotkey_deregistered`] can cost, charged to the call that
	/// deregisters.
	fn weight() -> Weight;
}

/// Tell every member of the tuple, in order; `()` tells no one.
#[impl_trait_for_tuples::impl_for_tuples(8)]
impl<AccountId> OnHotkeyDeregistered<AccountId> for Tuple {
	fn on_hotkey_deregistered(netuid: NetUid, hotkey: &AccountId) {
		for_tuples!( #( Tuple::on_hotkey_deregistered(netuid, hotkey); )* );
	}

	fn weight() -> Weight {
		let mut weight = Weight::zero();
		for_tuples!( #( weight = weight.saturating_add(Tuple::weight()); )* );
		weight
	}
}

/// Recognises the host chain's plain weight-setting call and the subnet it targets, so that
/// commit-reveal can refuse it in the transaction pool.
pub trait PlainWeightsCall<Call> {
	/// The subnet `call` sets weights on, if it is the host's plain weight-setting call.
	fn netuid(call: &Call) -> Option<NetUid>;
}

/// Recognises no call.
impl<Call> PlainWeightsCall<Call> for () {
	fn netuid(_: &Call) -> Option<NetUid> {
		None
	}
}

/// What benchmarks need from the host chain to build worst-case state: subnets, registered
/// neurons and validator permits. Only compiled with the `runtime-benchmarks` feature.
#[cfg(feature = "runtime-benchmarks")]
pub trait BenchmarkHelper<AccountId> {
	/// Make sure subnet `netuid` exists (creating subnets up to it as needed).
	fn create_subnet(netuid: NetUid);

	/// Register `hotkey` on `netuid`, with a validator permit if `validator`; returns its uid.
	fn register(netuid: NetUid, hotkey: &AccountId, validator: bool) -> Uid;

	/// The most neurons one subnet can hold, which bounds every weight vector.
	fn max_neurons() -> u32;
}
