//! Loading models: the KV cache, sharded checkpoints, parameter counts, and every load error
//! naming the file or value at fault.

mod common;

use candle_core::{DType, Device, Tensor};
use galton_engine::{
	fixtures::TinyLlama,
	hash::{content_hash, Links},
	loss::batch_loss,
	model::{load, KvCache, LoadError, ModelFiles},
	samples::Batch,
};

fn small(seed: u64) -> TinyLlama {
	TinyLlama { seed, hidden: 32, intermediate: 48, init_std: 0.1, ..TinyLlama::default() }
}

fn load_dir(
	dir: &std::path::Path,
	positions: usize,
) -> Result<galton_engine::model::LoadedModel, LoadError> {
	load(&ModelFiles::in_dir(dir)?, &Device::Cpu, DType::F32, positions)
}

fn max_abs_diff(a: &Tensor, b: &Tensor) -> f32 {
	(a - b).and_then(|d| d.abs()?.flatten_all()?.max(0)?.to_scalar::<f32>()).expect("same shapes")
}

#[test]
fn decoding_with_the_kv_cache_equals_one_full_pass() {
	let root = tempfile::tempdir().expect("temp dir");
	let dir = common::write_fixture(root.path(), "m", small(1));
	let model = load_dir(&dir, 64).expect("loads").model;
	let tokens: Vec<u32> = (0..12).map(|i| (i * 37 + 5) % 257).collect();
	let full = model
		.hidden_states(
			&Tensor::new(tokens.as_slice(), &Device::Cpu)
				.and_then(|t| t.unsqueeze(0))
				.expect("tensor"),
			None,
		)
		.expect("forward");
	let mut cache = KvCache::default();
	// A 5-token prefill, then one token at a time.
	let mut steps = vec![model
		.hidden_states(
			&Tensor::new(&tokens[..5], &Device::Cpu).and_then(|t| t.unsqueeze(0)).expect("tensor"),
			Some(&mut cache),
		)
		.expect("prefill")];
	for &token in &tokens[5..] {
		let input =
			Tensor::new(&[token], &Device::Cpu).and_then(|t| t.unsqueeze(0)).expect("tensor");
		steps.push(model.hidden_states(&input, Some(&mut cache)).expect("step"));
	}
	assert_eq!(cache.len(), tokens.len());
	let stepped = Tensor::cat(&steps, 1).expect("cat");
	let diff = max_abs_diff(&full, &stepped);
	assert!(diff < 1e-5, "cached decoding differs by {diff}");
}

#[test]
fn a_sharded_checkpoint_loads_like_the_single_file() {
	let root = tempfile::tempdir().expect("temp dir");
	let single = common::write_fixture(root.path(), "single", small(2));
	let sharded = common::write_fixture(root.path(), "sharded", small(2));
	common::shard(&sharded);
	let files = ModelFiles::in_dir(&sharded).expect("files");
	assert_eq!(files.weights.len(), 2);
	let batch = Batch::new((0..64).map(|i| (i * 11 % 257) as u32).collect(), 32).expect("batch");
	let a = batch_loss(&load_dir(&single, 32).expect("single").model, &batch).expect("loss");
	let b = batch_loss(&load_dir(&sharded, 32).expect("sharded").model, &batch).expect("loss");
	assert_eq!(a, b);
	assert_eq!(
		files.parameter_count().expect("count"),
		ModelFiles::in_dir(&single).expect("files").parameter_count().expect("count")
	);
}

#[test]
fn parameter_count_reads_the_headers() {
	let root = tempfile::tempdir().expect("temp dir");
	let spec = small(3);
	let dir = common::write_fixture(root.path(), "m", spec);
	let (h, i, v, kv) = (32u64, 48u64, 257u64, 16u64);
	let per_layer = 2 * h + 2 * h * h + 2 * kv * h + 3 * h * i;
	let expected = 2 * v * h + h + spec.layers as u64 * per_layer;
	let loaded = load_dir(&dir, 16).expect("loads");
	assert_eq!(loaded.parameters, expected);
	assert_eq!(loaded.eos, 256);
}

#[test]
fn fixtures_are_byte_for_byte_reproducible() {
	let root = tempfile::tempdir().expect("temp dir");
	let a = common::write_fixture(root.path(), "a", small(4));
	let b = common::write_fixture(root.path(), "b", small(4));
	let c = common::write_fixture(root.path(), "c", small(5));
	assert_eq!(
		content_hash(&a, Links::Follow).expect("hash"),
		content_hash(&b, Links::Follow).expect("hash")
	);
	assert_ne!(
		content_hash(&a, Links::Follow).expect("hash"),
		content_hash(&c, Links::Follow).expect("hash")
	);
}

#[test]
fn missing_files_are_named() {
	let root = tempfile::tempdir().expect("temp dir");
	for file in ["config.json", "tokenizer.json", "model.safetensors"] {
		let dir = common::write_fixture(root.path(), file, small(6));
		std::fs::remove_file(dir.join(file)).expect("remove");
		let err = ModelFiles::in_dir(&dir).expect_err("missing file");
		assert!(matches!(err, LoadError::MissingFile { .. }));
		assert!(err.to_string().contains(file), "{err}");
	}
	let dir = common::write_fixture(root.path(), "shards", small(6));
	common::shard(&dir);
	std::fs::remove_file(dir.join("model-00002-of-00002.safetensors")).expect("remove");
	let err = ModelFiles::in_dir(&dir).expect_err("missing shard");
	assert!(err.to_string().contains("model-00002-of-00002.safetensors"), "{err}");
}

#[test]
fn unsupported_architecture_is_named() {
	let root = tempfile::tempdir().expect("temp dir");
	let dir = common::write_fixture(root.path(), "m", small(7));
	common::edit_config(&dir, |c| c["architectures"] = serde_json::json!(["GPT2LMHeadModel"]));
	let err = load_dir(&dir, 16).err().expect("unsupported");
	assert!(matches!(err, LoadError::UnsupportedArchitecture { .. }));
	assert!(err.to_string().contains("GPT2LMHeadModel") && err.to_string().contains("config.json"));
}

#[test]
fn tokenizer_beyond_the_vocabulary_is_refused() {
	let root = tempfile::tempdir().expect("temp dir");
	let dir = common::write_fixture(root.path(), "m", TinyLlama { vocab: 200, ..small(8) });
	let err = load_dir(&dir, 16).err().expect("vocab mismatch");
	assert!(matches!(err, LoadError::VocabMismatch { tokenizer_vocab: 257, model_vocab: 200, .. }));
	assert!(err.to_string().contains("tokenizer.json"), "{err}");
}

#[test]
fn rows_longer_than_the_context_are_refused() {
	let root = tempfile::tempdir().expect("temp dir");
	let dir = common::write_fixture(root.path(), "m", small(9));
	common::edit_config(&dir, |c| c["max_position_embeddings"] = serde_json::json!(128));
	let err = load_dir(&dir, 256).err().expect("too long");
	assert!(matches!(err, LoadError::SeqLenTooLong { seq_len: 256, max: 128, .. }));
	assert!(err.to_string().contains("--seq-len 256"), "{err}");
}

#[test]
fn wrong_tensor_shapes_and_bad_files_are_named() {
	let root = tempfile::tempdir().expect("temp dir");
	let dir = common::write_fixture(root.path(), "shape", small(10));
	common::edit_config(&dir, |c| c["intermediate_size"] = serde_json::json!(64));
	let err = load_dir(&dir, 16).err().expect("shape mismatch");
	assert!(matches!(err, LoadError::Weights { .. }), "{err}");
	assert!(err.to_string().contains("model.safetensors"), "{err}");

	let dir = common::write_fixture(root.path(), "garbage", small(10));
	std::fs::write(dir.join("model.safetensors"), b"not a checkpoint").expect("write");
	assert!(load_dir(&dir, 16).err().expect("garbage").to_string().contains("model.safetensors"));

	let dir = common::write_fixture(root.path(), "tokenizer", small(10));
	std::fs::write(dir.join("tokenizer.json"), b"{}").expect("write");
	let err = load_dir(&dir, 16).err().expect("bad tokenizer");
	assert!(matches!(err, LoadError::Tokenizer { .. }), "{err}");
}
