//! Corpus readers (JSONL, plain text, Parquet) and the seeded, packed batches.

mod common;

use std::{path::Path, sync::Arc};

use galton_engine::{
	corpus::{Corpus, CorpusError},
	fixtures,
	samples::{draw_batches, DocumentPicker, SampleError, SampleSpec},
};
use parquet::{
	column::writer::ColumnWriter,
	data_type::ByteArray,
	file::{properties::WriterProperties, writer::SerializedFileWriter},
	schema::parser::parse_message_type,
};

fn write_parquet(path: &Path, schema: &str, texts: &[&str]) {
	let schema = Arc::new(parse_message_type(schema).expect("schema"));
	let file = std::fs::File::create(path).expect("create");
	let props = Arc::new(WriterProperties::builder().build());
	let mut writer = SerializedFileWriter::new(file, schema, props).expect("writer");
	let mut group = writer.next_row_group().expect("row group");
	while let Some(mut column) = group.next_column().expect("column") {
		match column.untyped() {
			ColumnWriter::ByteArrayColumnWriter(writer) => {
				let values: Vec<ByteArray> = texts.iter().map(|t| ByteArray::from(*t)).collect();
				writer.write_batch(&values, None, None).expect("write");
			}
			ColumnWriter::Int32ColumnWriter(writer) => {
				let ids: Vec<i32> = (0..texts.len() as i32).collect();
				writer.write_batch(&ids, None, None).expect("write");
			}
			_ => panic!("the test schemas use INT32 and BINARY columns only"),
		}
		column.close().expect("close column");
	}
	group.close().expect("close group");
	writer.close().expect("close file");
}

fn documents(corpus: &Corpus) -> Vec<&str> {
	(0..corpus.len()).filter_map(|i| corpus.document(i)).collect()
}

#[test]
fn the_three_formats_read_the_same_documents() {
	let dir = tempfile::tempdir().expect("temp dir");
	let jsonl = dir.path().join("c.jsonl");
	std::fs::write(&jsonl, "{\"text\": \"first doc\", \"id\": 1}\n\n{\"text\": \"second\\ndoc\"}\n{\"text\": \"  \"}\n")
		.expect("write");
	let txt = dir.path().join("c.txt");
	std::fs::write(&txt, "first doc\n\n\n  \nsecond\ndoc\n").expect("write");
	let parquet = dir.path().join("c.parquet");
	write_parquet(
		&parquet,
		"message m { REQUIRED INT32 id; REQUIRED BINARY text (UTF8); }",
		&["first doc", "second\ndoc", " "],
	);
	for path in [&jsonl, &txt, &parquet] {
		let corpus = Corpus::open(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
		assert_eq!(documents(&corpus), ["first doc", "second\ndoc"], "{}", path.display());
	}
	let shipped = Corpus::open(&common::shipped_corpus()).expect("shipped corpus");
	assert_eq!(shipped.len(), 30);
}

#[test]
fn corpus_errors_name_the_file_and_place() {
	let dir = tempfile::tempdir().expect("temp dir");
	let missing = dir.path().join("missing.jsonl");
	assert!(matches!(Corpus::open(&missing), Err(CorpusError::Io { .. })));

	let bad_line = dir.path().join("bad.jsonl");
	std::fs::write(&bad_line, "{\"text\": \"ok\"}\n{\"body\": \"no text\"}\n").expect("write");
	let err = Corpus::open(&bad_line).expect_err("no text field");
	assert!(matches!(err, CorpusError::Jsonl { line: 2, .. }), "{err}");
	assert!(err.to_string().contains("bad.jsonl"), "{err}");

	let empty = dir.path().join("empty.txt");
	std::fs::write(&empty, "\n \n").expect("write");
	let err = Corpus::open(&empty).expect_err("empty");
	assert!(matches!(err, CorpusError::Empty { .. }) && err.to_string().contains("empty.txt"));

	let no_column = dir.path().join("other.parquet");
	write_parquet(&no_column, "message m { REQUIRED BINARY body (UTF8); }", &["x"]);
	let err = Corpus::open(&no_column).expect_err("no text column");
	assert!(
		err.to_string().contains("no column \"text\"") && err.to_string().contains("other.parquet")
	);

	let not_parquet = dir.path().join("fake.parquet");
	std::fs::write(&not_parquet, "plain text").expect("write");
	assert!(matches!(Corpus::open(&not_parquet), Err(CorpusError::Parquet { .. })));
}

#[test]
fn picker_reproduces_its_reference_draws() {
	// Every validator must draw these: they depend only on ChaCha20 and the rejection rule.
	let picks: Vec<usize> = DocumentPicker::new([7; 32], 1000).take(8).collect();
	assert_eq!(picks, REFERENCE_PICKS);
}

/// `DocumentPicker::new([7; 32], 1000)`'s first eight draws: the first eight little-endian
/// u64 words of the RFC 8439 ChaCha20 keystream (key = 32 bytes of 7, nonce and counter 0),
/// modulo 1000 (none is rejected). Checked independently with Python's `cryptography`.
const REFERENCE_PICKS: [usize; 8] = [308, 932, 28, 18, 109, 675, 435, 936];

#[test]
fn batches_are_packed_documents_separated_by_eos() {
	let corpus = Corpus::from_documents(vec!["ab".into(), "cde".into()]).expect("corpus");
	let tokenizer = fixtures::tokenizer().expect("tokenizer");
	let eos = 256;
	let spec = SampleSpec { batches: 3, batch_size: 2, seq_len: 5 };
	let batches = draw_batches(&corpus, &tokenizer, eos, [3; 32], spec).expect("batches");
	assert_eq!(batches.len(), 3);
	assert!(batches.iter().all(|b| b.rows() == 2 && b.seq_len() == 5));
	// Rebuild the expected stream from the picker and the tokenizer.
	let mut expected = Vec::new();
	for doc in DocumentPicker::new([3; 32], 2) {
		let text = corpus.document(doc).expect("document");
		expected.extend(tokenizer.encode(text, false).expect("encode").get_ids());
		expected.push(eos);
		if expected.len() >= 30 {
			break;
		}
	}
	let stream: Vec<u32> = batches.iter().flat_map(|b| b.tokens().iter().copied()).collect();
	assert_eq!(stream, expected[..30]);
	assert!(stream.contains(&eos));

	let again = draw_batches(&corpus, &tokenizer, eos, [3; 32], spec).expect("batches");
	assert_eq!(batches, again, "same seed, same batches");
	let other = draw_batches(&corpus, &tokenizer, eos, [4; 32], spec).expect("batches");
	assert_ne!(batches, other, "another seed, other batches");
}

#[test]
fn empty_specs_are_refused() {
	let corpus = Corpus::from_documents(vec!["text".into()]).expect("corpus");
	let tokenizer = fixtures::tokenizer().expect("tokenizer");
	for spec in [
		SampleSpec { batches: 0, batch_size: 1, seq_len: 8 },
		SampleSpec { batches: 1, batch_size: 0, seq_len: 8 },
		SampleSpec { batches: 1, batch_size: 1, seq_len: 1 },
	] {
		let err = draw_batches(&corpus, &tokenizer, 256, [0; 32], spec).expect_err("nothing to do");
		assert!(matches!(err, SampleError::BadSpec(_)), "{err}");
	}
}
