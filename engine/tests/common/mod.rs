//! Helpers shared by the evaluator's integration tests: fixture models in temporary
//! directories, and their variants (sharded, Qwen2 with biases, Mistral with a window).

#![allow(dead_code)]

use std::{
	collections::HashMap,
	path::{Path, PathBuf},
};

use candle_core::Tensor;
use galton_engine::fixtures::TinyLlama;

/// The corpus shipped with the crate. The crate's directory is read when the test runs (cargo
/// sets `CARGO_MANIFEST_DIR` then), so a shared target directory last built from another
/// checkout cannot point the tests at it.
pub fn shipped_corpus() -> PathBuf {
	let dir = std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo test sets CARGO_MANIFEST_DIR");
	PathBuf::from(dir).join("fixtures/corpus.jsonl")
}

/// Write a fixture model into `root/name`.
pub fn write_fixture(root: &Path, name: &str, spec: TinyLlama) -> PathBuf {
	let dir = root.join(name);
	spec.write(&dir).expect("fixture written");
	dir
}

/// Edit `config.json` of a model directory.
pub fn edit_config(dir: &Path, edit: impl FnOnce(&mut serde_json::Value)) {
	galton_engine::fixtures::edit_config(dir, edit).expect("config edited");
}

/// The checkpoint tensors of a model directory (single file).
pub fn read_tensors(dir: &Path) -> HashMap<String, Tensor> {
	candle_core::safetensors::load(dir.join("model.safetensors"), &candle_core::Device::Cpu)
		.expect("checkpoint")
}

/// Replace the checkpoint of a model directory.
pub fn write_tensors(dir: &Path, tensors: &HashMap<String, Tensor>) {
	candle_core::safetensors::save(tensors, dir.join("model.safetensors")).expect("checkpoint");
}

/// Turn a fixture into a Qwen2 model: random biases on the q, k and v projections.
pub fn make_qwen2(dir: &Path) {
	edit_config(dir, |c| {
		c["architectures"] = serde_json::json!(["Qwen2ForCausalLM"]);
		c["model_type"] = serde_json::json!("qwen2");
	});
	let mut tensors = read_tensors(dir);
	let layers = tensors.keys().filter(|k| k.ends_with("q_proj.weight")).count();
	for i in 0..layers {
		for proj in ["q_proj", "k_proj", "v_proj"] {
			let weight = &tensors[&format!("model.layers.{i}.self_attn.{proj}.weight")];
			let rows = weight.dim(0).expect("2-d");
			let bias = Tensor::arange(0u32, rows as u32, &candle_core::Device::Cpu)
				.and_then(|t| t.to_dtype(candle_core::DType::F32))
				.and_then(|t| (t * (0.7 / rows as f64))?.sin())
				.and_then(|t| t * 0.3)
				.expect("bias");
			tensors.insert(format!("model.layers.{i}.self_attn.{proj}.bias"), bias);
		}
	}
	write_tensors(dir, &tensors);
}

/// Turn a fixture into a Mistral model with a sliding window of `window` tokens.
pub fn make_mistral(dir: &Path, window: usize) {
	edit_config(dir, |c| {
		c["architectures"] = serde_json::json!(["MistralForCausalLM"]);
		c["model_type"] = serde_json::json!("mistral");
		c["sliding_window"] = serde_json::json!(window);
	});
}

/// Split a single-file checkpoint into two shards with an index.
pub fn shard(dir: &Path) {
	let tensors = read_tensors(dir);
	let mut names: Vec<&String> = tensors.keys().collect();
	names.sort();
	let (first, second) = names.split_at(names.len() / 2);
	let mut weight_map = serde_json::Map::new();
	for (file, part) in
		[("model-00001-of-00002.safetensors", first), ("model-00002-of-00002.safetensors", second)]
	{
		let shard: HashMap<String, Tensor> =
			part.iter().map(|n| ((*n).clone(), tensors[*n].clone())).collect();
		candle_core::safetensors::save(&shard, dir.join(file)).expect("shard");
		for name in part {
			weight_map.insert((*name).clone(), serde_json::json!(file));
		}
	}
	let index = serde_json::json!({ "metadata": {}, "weight_map": weight_map });
	std::fs::write(dir.join("model.safetensors.index.json"), index.to_string()).expect("index");
	std::fs::remove_file(dir.join("model.safetensors")).expect("remove single file");
}
