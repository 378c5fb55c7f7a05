//! The evaluator scores a broken model as failed, with the reason, and goes on.

mod common;

use candle_core::{DType, Device, Tensor};
use galton_eval::{
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
	assert_eq!(report.tokens, SPEC.total_tokens() as u64);
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
