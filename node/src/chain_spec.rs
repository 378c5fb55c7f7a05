//! The chains the node knows by name: `dev` and `local`.

use galton_runtime::WASM_BINARY;
use polkadot_sdk::{sc_service::ChainType, sp_genesis_builder, *};

/// A chain spec of Galton's runtime.
pub type ChainSpec = sc_service::GenericChainSpec;

/// The token's symbol, decimals and address format, shown by wallets.
fn properties() -> sc_service::Properties {
	let mut properties = sc_service::Properties::new();
	properties.insert("tokenSymbol".into(), "GAL".into());
	properties.insert("tokenDecimals".into(), 12.into());
	properties.insert("ss58Format".into(), 42.into());
	properties
}

/// The runtime's wasm blob, or why it is missing.
fn wasm_binary() -> Result<&'static [u8], String> {
	WASM_BINARY.ok_or_else(|| {
		"the runtime's wasm blob was not built: build the node without SKIP_WASM_BUILD".into()
	})
}

/// A chain of Galton's runtime started from one of its genesis presets.
fn from_preset(
	name: &str,
	id: &str,
	chain_type: ChainType,
	preset: &str,
) -> Result<ChainSpec, String> {
	Ok(ChainSpec::builder(wasm_binary()?, Default::default())
		.with_name(name)
		.with_id(id)
		.with_chain_type(chain_type)
		.with_genesis_config_preset_name(preset)
		.with_properties(properties())
		.build())
}

/// The `--dev` chain: the runtime's `development` preset.
pub fn development_chain_spec() -> Result<ChainSpec, String> {
	from_preset(
		"Galton Development",
		"galton_dev",
		ChainType::Development,
		sp_genesis_builder::DEV_RUNTIME_PRESET,
	)
}

/// The `local` chain: the runtime's `local_testnet` preset.
pub fn local_chain_spec() -> Result<ChainSpec, String> {
	from_preset(
		"Galton Local Testnet",
		"galton_local",
		ChainType::Local,
		galton_runtime::genesis_config_presets::LOCAL_TESTNET_RUNTIME_PRESET,
	)
}
