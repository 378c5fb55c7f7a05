//! Runtime APIs that Galton's pallets back; the runtime implements them, the evaluator and
//! wallets call them.

// `decl_runtime_apis!` repeats the generic bounds in the code it generates.
#![allow(clippy::multiple_bound_locations)]

use alloc::vec::Vec;
use codec::Codec;
use sp_arithmetic::Perbill;

use crate::{
	Announcement, ClaimConfig, Competition, CompetitionId, ModelCommitment, NetUid, PendingCommit,
	RevealConfig,
};

sp_api::decl_runtime_apis! {
	/// The commit-reveal state of a subnet.
	pub trait CommitRevealApi<AccountId: Codec, BlockNumber: Codec> {
		/// The pending commits of `who` on `netuid`, oldest first.
		fn pending_commits(netuid: NetUid, who: AccountId) -> Vec<PendingCommit<BlockNumber>>;
		/// The reveal config of `netuid` (disabled if never set).
		fn reveal_config(netuid: NetUid) -> RevealConfig<BlockNumber>;
	}

	/// The model commitments and competitions of a subnet.
	pub trait ModelRegistryApi<AccountId: Codec, BlockNumber: Codec> {
		/// The epsilon `hotkey`'s model has now, or `None` if it has no model or its competition
		/// is gone.
		fn effective_epsilon(netuid: NetUid, hotkey: AccountId) -> Option<Perbill>;
		/// Every model committed on `netuid`, with its epsilon now (zero if its competition is
		/// gone).
		fn models(netuid: NetUid) -> Vec<(AccountId, ModelCommitment<BlockNumber>, Perbill)>;
		/// The competitions of `netuid`, by id.
		fn competitions(netuid: NetUid) -> Vec<(CompetitionId, Competition)>;
		/// The announcements of `hotkey` on `netuid` still waiting for their commit, oldest
		/// first (expired ones are left out).
		fn announcements(netuid: NetUid, hotkey: AccountId) -> Vec<Announcement<BlockNumber>>;
		/// When models announced on `netuid` now may be committed.
		fn claim_config(netuid: NetUid) -> ClaimConfig<BlockNumber>;
	}
}
