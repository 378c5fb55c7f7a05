//! The evaluator scores a broken model as failed, with the reason, and goes on.

mod common;

use candle_core::{DType, Device, Tensor};
use galton_engine::{
	corpus::Corpus,
	evaluate::{EvalSettings, Evaluator},
	fixtures::{self, TinyLlama},
	samples::SampleSpec,
};

const SPEC: SampleSpec = SampleSpec { batches: 3, batch_size: 2, seq_len: 64 };

fn good(seed: u64) -> TinyLlama {
	TinyLlama { seed, init_std: 0.04, ..TinyLlama::default() }
}

fn evaluator(corpus: &Corpus, max_parameters: Option<u64>) -> Evaluator<'_> {
	let settings = EvalSettings {
		seed: [9; 32],
		spec: SPEC,
		device: Device::Cpu,
		dtype: DType::F32,
		max_parameters,
	};
	Evaluator::new(corpus, settings)
}

#[test]
fn a_good_model_gets_finite_losses_and_every_batch_is_reported() {
	let root = tempfile::tempdir().expect("temp dir");
	let corpus = Corpus::open(&common::shipped_corpus()).expect("corpus");
	let dir = common::write_fixture(root.path(), "good", good(1));
	let mut calls = 0;
	let report = evaluator(&corpus, None).evaluate(&dir, &mut || calls += 1);
	assert_eq!(report.failure, None);
	assert_eq!(calls, SPEC.batches);
	assert!(report.losses.iter().all(|l| l.is_finite() && *l > 0.0), "{:?}", report.losses);
	// The first batch warms up; the speed counts the tokens of the others.
	assert_eq!(report.tokens, (SPEC.total_tokens() - SPEC.batch_tokens()) as u64);
	assert!(report.seconds > 0.0 && report.tokens_per_second() > 0.0);
}

#[test]
fn nan_weights_fail_with_the_reason() {
	let root = tempfile::tempdir().expect("temp dir");
	let corpus = Corpus::open(&common::shipped_corpus()).expect("corpus");
	let dir = common::write_fixture(root.path(), "nan", good(1));
	// The end-of-sequence token separates packed documents but is in neither prompt of the
	// degenerate-output check, so only the loss meets the NaN.
	let q = fixtures::tokenizer().expect("tokenizer").token_to_id(fixtures::EOS_TOKEN).expect("eos")
		as usize;
	let mut tensors = common::read_tensors(&dir);
	let embed = &tensors["model.embed_tokens.weight"];
	let mut rows: Vec<Vec<f32>> = embed.to_vec2().expect("2-d");
	rows[q].iter_mut().for_each(|x| *x = f32::NAN);
	let poisoned = Tensor::new(rows, &Device::Cpu).expect("tensor");
	tensors.insert("model.embed_tokens.weight".into(), poisoned);
	common::write_tensors(&dir, &tensors);

	let mut calls = 0;
	let report = evaluator(&corpus, None).evaluate(&dir, &mut || calls += 1);
	let reason = report.failure.expect("failed");
	assert!(reason.contains("NaN or infinite logits on batch"), "{reason}");
	assert!(report.losses.iter().all(|l| *l == f64::INFINITY));
	assert_eq!(calls, SPEC.batches, "skipped batches still advance the progress");
}

#[test]
fn too_many_parameters_fail_before_loading() {
	let root = tempfile::tempdir().expect("temp dir");
	let corpus = Corpus::open(&common::shipped_corpus()).expect("corpus");
	let dir = common::write_fixture(root.path(), "big", good(2));
	let report = evaluator(&corpus, Some(1000)).evaluate(&dir, &mut || {});
	let reason = report.failure.expect("failed");
	assert!(reason.contains("at most 1000"), "{reason}");
	assert!(report.parameters.is_some_and(|p| p > 1000));
}

#[test]
fn a_degenerate_model_fails_however_low_its_loss() {
	// All weights zero but the output projection, whose row for token 'e' is large: the model
	// always says 'e' (a fair unigram guess on English), and generation is one repeated token.
	let root = tempfile::tempdir().expect("temp dir");
	let corpus = Corpus::open(&common::shipped_corpus()).expect("corpus");
	let dir = common::write_fixture(root.path(), "parrot", good(3));
	let e = fixtures::tokenizer().expect("tokenizer").token_to_id("e").expect("e") as usize;
	let mut tensors = common::read_tensors(&dir);
	let head = &tensors["lm_head.weight"];
	let mut rows: Vec<Vec<f32>> = head.to_vec2().expect("2-d");
	rows.iter_mut().for_each(|r| r.iter_mut().for_each(|x| *x = 0.0));
	rows[e].iter_mut().for_each(|x| *x = 0.05);
	tensors.insert("lm_head.weight".into(), Tensor::new(rows, &Device::Cpu).expect("tensor"));
	common::write_tensors(&dir, &tensors);
	let report = evaluator(&corpus, None).evaluate(&dir, &mut || {});
	let reason = report.failure.expect("failed");
	assert!(reason.starts_with("degenerate output"), "{reason}");
}

#[test]
fn a_missing_directory_fails_without_stopping_the_next_model() {
	let root = tempfile::tempdir().expect("temp dir");
	let corpus = Corpus::open(&common::shipped_corpus()).expect("corpus");
	let mut evaluator = evaluator(&corpus, None);
	let missing = evaluator.evaluate(&root.path().join("nowhere"), &mut || {});
	assert!(missing.failure.expect("failed").contains("config.json"));
	let dir = common::write_fixture(root.path(), "good", good(4));
	assert_eq!(evaluator.evaluate(&dir, &mut || {}).failure, None);
}

/// Extend (or cut) `path` to `len` bytes; extending makes a sparse file, so a "huge" file costs
/// no disk.
fn resize(path: &std::path::Path, len: u64) {
	std::fs::OpenOptions::new()
		.write(true)
		.open(path)
		.and_then(|file| file.set_len(len))
		.expect("resize");
}

/// A safetensors file of one tensor whose header claims `dtype` and `shape` over `data` bytes.
fn lying_checkpoint(dtype: &str, shape: &[u64], data: usize) -> Vec<u8> {
	let header = serde_json::json!({
		"model.embed_tokens.weight": {"dtype": dtype, "shape": shape, "data_offsets": [0, data]}
	})
	.to_string();
	let mut bytes = (header.len() as u64).to_le_bytes().to_vec();
	bytes.extend_from_slice(header.as_bytes());
	bytes.resize(bytes.len() + data, 0);
	bytes
}

#[test]
fn hostile_model_files_fail_with_the_reason_and_the_next_model_still_runs() {
	type Tamper = fn(&std::path::Path);
	let weights = |dir: &std::path::Path| dir.join("model.safetensors");
	let cases: [(&str, Tamper, &str); 9] = [
		(
			"padded",
			|d| {
				let len = std::fs::metadata(d.join("model.safetensors")).expect("meta").len();
				resize(&d.join("model.safetensors"), len + 1024);
			},
			"the header describes",
		),
		(
			"truncated",
			|d| {
				let len = std::fs::metadata(d.join("model.safetensors")).expect("meta").len();
				resize(&d.join("model.safetensors"), len - 100);
			},
			"the header describes",
		),
		(
			"huge-header",
			|d| {
				let mut bytes = std::fs::read(d.join("model.safetensors")).expect("read");
				bytes[..8].copy_from_slice(&u64::MAX.to_le_bytes());
				std::fs::write(d.join("model.safetensors"), bytes).expect("write");
			},
			"safetensors header of",
		),
		(
			"shape-bigger-than-data",
			|d| {
				let bytes = lying_checkpoint("F32", &[1 << 20, 1 << 20], 4);
				std::fs::write(d.join("model.safetensors"), bytes).expect("write");
			},
			"does not fill bytes",
		),
		(
			"unknown-dtype",
			|d| {
				std::fs::write(d.join("model.safetensors"), lying_checkpoint("F128", &[1], 16))
					.expect("write");
			},
			"does not fill bytes",
		),
		("over-budget", |d| resize(&d.join("model.safetensors"), 1 << 40), "allow at most"),
		("huge-config", |d| resize(&d.join("config.json"), (16 << 20) + 1), "config.json is"),
		("huge-tokenizer", |d| resize(&d.join("tokenizer.json"), 1 << 30), "tokenizer.json is"),
		(
			"huge-dimensions",
			|d| common::edit_config(d, |c| c["num_attention_heads"] = serde_json::json!(1 << 20)),
			"num_attention_heads is",
		),
	];
	let root = tempfile::tempdir().expect("temp dir");
	let corpus = Corpus::open(&common::shipped_corpus()).expect("corpus");
	// The competition allows a million parameters: 4 MB of f32 plus the headroom.
	let mut evaluator = evaluator(&corpus, Some(1_000_000));
	for (name, tamper, expected) in cases {
		let dir = common::write_fixture(root.path(), name, good(5));
		tamper(&dir);
		let mut calls = 0;
		let report = evaluator.evaluate(&dir, &mut || calls += 1);
		let reason = report.failure.unwrap_or_else(|| panic!("{name}: not refused"));
		assert!(reason.contains(expected), "{name}: {reason}");
		assert!(report.losses.iter().all(|l| *l == f64::INFINITY), "{name}");
		assert_eq!(calls, SPEC.batches, "{name}: every batch still reported");
		assert!(weights(&dir).exists());
	}
	let dir = common::write_fixture(root.path(), "honest", good(5));
	assert_eq!(evaluator.evaluate(&dir, &mut || {}).failure, None, "the validator goes on");
}
