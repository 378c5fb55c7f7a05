//! The chains this runtime starts: `development` (the `--dev` devnet) and `local`.

use alloc::{vec, vec::Vec};
use galton_primitives::{ClaimConfig, Competition, EpsilonSchedule, Metric, RevealConfig};
use polkadot_sdk::{
	sp_genesis_builder::PresetId,
	sp_keyring::{Ed25519Keyring, Sr25519Keyring},
	*,
};
use sp_runtime::Perbill;

use crate::{
	AccountId, AuraConfig, BalancesConfig, BeaconConfig, BlockNumber, CommitRevealConfig,
	GrandpaConfig, ModelRegistryConfig, RuntimeGenesisConfig, SubnetsConfig, SudoConfig, UNIT,
};

/// The name of the `local` preset.
pub const LOCAL_TESTNET_RUNTIME_PRESET: &str = "local_testnet";

/// The development beacon of `--dev` and `local`: its secret key is public
/// ([`galton_timelock::dev::DEV_BEACON_SEED`]), so timelocked weights on these chains hide
/// nothing from anyone who looks; the node signs its pulses. Rounds every three seconds from
/// 2026-01-01 00:00 UTC, like drand quicknet's.
pub fn development_beacon() -> galton_timelock::BeaconInfo {
	galton_timelock::BeaconInfo {
		public_key: galton_timelock::DevBeacon::development().public_key(),
		schedule: galton_timelock::BeaconSchedule { genesis_time: 1_767_225_600, period: 3 },
	}
}

/// The subnet every preset creates.
pub const DEMO_NETUID: galton_primitives::NetUid = 1;

/// Competition 0 of the demo subnet: `Linear(0.5%, 0.01%, 14_400)`, all of the rewards, models of
/// up to ten billion parameters.
pub fn demo_competition() -> Competition {
	Competition {
		epsilon: EpsilonSchedule::Linear {
			start: Perbill::from_parts(5_000_000),
			end: Perbill::from_parts(100_000),
			decay_blocks: 14_400,
		},
		reward_share: Perbill::one(),
		metric: Metric::CrossEntropy,
		max_params: 10_000_000_000,
	}
}

/// A genesis where `authorities` author blocks (Aura) and finalize them (GRANDPA), the
/// well-known dev accounts hold funds, Alice is sudo and owns subnet 1 and validates on it (with
/// a permit), and Bob, Charlie and Dave are registered as miners; the subnet runs commit-reveal
/// with `reveal`, and miners' model claims follow `claim`.
fn galton_genesis(
	authorities: &[(Sr25519Keyring, Ed25519Keyring)],
	reveal: RevealConfig<BlockNumber>,
	claim: ClaimConfig<BlockNumber>,
) -> serde_json::Value {
	let endowed: Vec<AccountId> = Sr25519Keyring::well_known().map(|k| k.to_account_id()).collect();
	let alice = Sr25519Keyring::Alice.to_account_id();
	let mut neurons = vec![(alice.clone(), true)];
	let miners = [Sr25519Keyring::Bob, Sr25519Keyring::Charlie, Sr25519Keyring::Dave];
	neurons.extend(miners.map(|miner| (miner.to_account_id(), false)));
	let config = RuntimeGenesisConfig {
		balances: BalancesConfig {
			balances: endowed.into_iter().map(|account| (account, 1_000_000 * UNIT)).collect(),
			..Default::default()
		},
		aura: AuraConfig {
			authorities: authorities.iter().map(|(aura, _)| aura.public().into()).collect(),
		},
		grandpa: GrandpaConfig {
			authorities: authorities
				.iter()
				.map(|(_, grandpa)| (grandpa.public().into(), 1))
				.collect(),
			..Default::default()
		},
		sudo: SudoConfig { key: Some(alice.clone()) },
		subnets: SubnetsConfig { subnets: vec![(alice, neurons)] },
		commit_reveal: CommitRevealConfig { reveal_configs: vec![(DEMO_NETUID, reveal)] },
		beacon: BeaconConfig { beacon: Some(development_beacon()), ..Default::default() },
		model_registry: ModelRegistryConfig {
			competitions: vec![(DEMO_NETUID, 0, demo_competition())],
			commit_intervals: vec![(DEMO_NETUID, 10)],
			claim_configs: vec![(DEMO_NETUID, claim)],
		},
		..Default::default()
	};
	serde_json::to_value(config).expect("the genesis config serializes to JSON")
}

/// The `--dev` chain: Alice the only authority (the node seals blocks on its own clock), a
/// reveal delay of 10 blocks and a 20-block window, short enough for a demo; a model may be
/// committed 2 blocks after its announcement (every dev block is final at once), within 100
/// blocks.
pub fn development_config_genesis() -> serde_json::Value {
	galton_genesis(
		&[(Sr25519Keyring::Alice, Ed25519Keyring::Alice)],
		RevealConfig { enabled: true, reveal_delay: 10, reveal_window: 20, commit_interval: None },
		ClaimConfig { reveal_delay: 2, reveal_window: 100 },
	)
}

/// A local testnet of two authorities, Alice and Bob (Aura and GRANDPA): the same subnet with
/// an hour's delay and an hour's window for weights, and the runtime's default claim config.
pub fn local_config_genesis() -> serde_json::Value {
	galton_genesis(
		&[
			(Sr25519Keyring::Alice, Ed25519Keyring::Alice),
			(Sr25519Keyring::Bob, Ed25519Keyring::Bob),
		],
		RevealConfig {
			enabled: true,
			reveal_delay: 3_600,
			reveal_window: 3_600,
			commit_interval: None,
		},
		crate::configs::DefaultClaimConfig::get(),
	)
}

/// The JSON of preset `id`, if there is one.
pub fn get_preset(id: &PresetId) -> Option<Vec<u8>> {
	let patch = match id.as_ref() {
		polkadot_sdk::sp_genesis_builder::DEV_RUNTIME_PRESET => development_config_genesis(),
		LOCAL_TESTNET_RUNTIME_PRESET => local_config_genesis(),
		_ => return None,
	};
	Some(
		serde_json::to_string(&patch)
			.expect("serialization to json is expected to work. qed.")
			.into_bytes(),
	)
}

/// The names of the presets.
pub fn preset_names() -> Vec<PresetId> {
	vec![
		PresetId::from(polkadot_sdk::sp_genesis_builder::DEV_RUNTIME_PRESET),
		PresetId::from(LOCAL_TESTNET_RUNTIME_PRESET),
	]
}
