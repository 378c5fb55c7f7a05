//! Evaluation samples: the same seed and corpus give every validator the same batches.
//!
//! The seed drives a ChaCha20 stream that picks documents (with replacement); each document is
//! tokenized without special tokens and followed by the end-of-sequence token, and the token
//! stream is cut into rows of `seq_len` tokens, `batch_size` rows per batch. Document choice
//! uses only integer arithmetic on the ChaCha output, so it is the same on every machine.

use rand_chacha::ChaCha20Rng;
use rand_core::{Rng, SeedableRng};
use tokenizers::Tokenizer;

use crate::corpus::Corpus;

/// Documents tokenized together (the tokenizer spreads a call over the cores).
const TOKENIZE_CHUNK: usize = 64;

/// The shape of an evaluation: `batches` batches of `batch_size` rows of `seq_len` tokens.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SampleSpec {
	/// Batches per evaluation (`m`).
	pub batches: usize,
	/// Rows per batch (`B`).
	pub batch_size: usize,
	/// Tokens per row.
	pub seq_len: usize,
}

impl SampleSpec {
	/// Tokens in one batch.
	pub fn batch_tokens(&self) -> usize {
		self.batch_size * self.seq_len
	}

	/// Tokens over all batches.
	pub fn total_tokens(&self) -> usize {
		self.batches * self.batch_tokens()
	}
}

/// A batch of packed rows, row-major.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Batch {
	tokens: Vec<u32>,
	seq_len: usize,
}

impl Batch {
	/// A batch of `tokens.len() / seq_len` rows; `None` unless `seq_len` divides the tokens.
	pub fn new(tokens: Vec<u32>, seq_len: usize) -> Option<Self> {
		(seq_len > 0 && !tokens.is_empty() && tokens.len().is_multiple_of(seq_len))
			.then_some(Self { tokens, seq_len })
	}

	/// All tokens, row after row.
	pub fn tokens(&self) -> &[u32] {
		&self.tokens
	}

	/// Each row's tokens, in order.
	pub fn row_tokens(&self) -> impl Iterator<Item = &[u32]> {
		self.tokens.chunks(self.seq_len)
	}

	/// Number of rows.
	pub fn rows(&self) -> usize {
		self.tokens.len() / self.seq_len
	}

	/// Tokens per row.
	pub fn seq_len(&self) -> usize {
		self.seq_len
	}
}

/// Why samples could not be drawn.
#[derive(Debug, thiserror::Error)]
pub enum SampleError {
	/// A seed is not 32 bytes of hex.
	#[error("seed {0:?} is not 64 hex digits (32 bytes, an optional 0x first)")]
	BadSeed(String),
	/// A spec with a zero dimension, or rows too short to predict anything.
	#[error("nothing to evaluate: {0}")]
	BadSpec(String),
	/// The tokenizer failed on a document.
	#[error("tokenizer failed on document {document}: {reason}")]
	Tokenizer {
		/// Index of the document in the corpus.
		document: usize,
		/// The tokenizer's message.
		reason: String,
	},
}

/// Parse a 32-byte seed from hex (`0x` optional).
pub fn parse_seed(hex_seed: &str) -> Result<[u8; 32], SampleError> {
	let digits = hex_seed.strip_prefix("0x").unwrap_or(hex_seed);
	let mut seed = [0u8; 32];
	hex::decode_to_slice(digits, &mut seed).map_err(|_| SampleError::BadSeed(hex_seed.into()))?;
	Ok(seed)
}

/// The block whose hash seeds the samples at block `now`: the last multiple of
/// `sync_interval` (every validator in the same interval uses the same block).
pub fn sync_block(now: u64, sync_interval: u64) -> u64 {
	let interval = sync_interval.max(1);
	now / interval * interval
}

/// The sample seed for a sync block: `blake2_256` of its hash.
pub fn seed_from_block_hash(block_hash: &[u8; 32]) -> [u8; 32] {
	sp_crypto_hashing::blake2_256(block_hash)
}

/// An endless stream of document indices drawn uniformly, with replacement, from a seed.
pub struct DocumentPicker {
	rng: ChaCha20Rng,
	documents: u64,
}

impl DocumentPicker {
	/// Draw from `documents` documents (at least one).
	pub fn new(seed: [u8; 32], documents: usize) -> Self {
		Self { rng: ChaCha20Rng::from_seed(seed), documents: documents.max(1) as u64 }
	}
}

impl Iterator for DocumentPicker {
	type Item = usize;

	/// Rejection sampling on 64-bit draws: uniform, and independent of any library's
	/// range-sampling algorithm.
	fn next(&mut self) -> Option<usize> {
		let zone = u64::MAX - (u64::MAX % self.documents + 1) % self.documents;
		loop {
			let draw = self.rng.next_u64();
			if draw <= zone {
				return Some((draw % self.documents) as usize);
			}
		}
	}
}

/// Draw the batches of `spec` from `corpus` with `seed`, tokenized by `tokenizer` and packed
/// with `eos` between documents.
pub fn draw_batches(
	corpus: &Corpus,
	tokenizer: &Tokenizer,
	eos: u32,
	seed: [u8; 32],
	spec: SampleSpec,
) -> Result<Vec<Batch>, SampleError> {
	if spec.batches == 0 || spec.batch_size == 0 || spec.seq_len < 2 {
		return Err(SampleError::BadSpec(format!(
			"{} batches of {} rows of {} tokens (each needs at least 1, and rows at least 2 tokens)",
			spec.batches, spec.batch_size, spec.seq_len
		)));
	}
	let needed = spec.total_tokens();
	let mut stream: Vec<u32> = Vec::with_capacity(needed + spec.seq_len);
	let mut picker = DocumentPicker::new(seed, corpus.len());
	while stream.len() < needed {
		let picks: Vec<usize> = picker.by_ref().take(TOKENIZE_CHUNK).collect();
		let texts: Vec<&str> = picks.iter().filter_map(|&i| corpus.document(i)).collect();
		let encodings = tokenizer
			.encode_batch(texts, false)
			.map_err(|e| SampleError::Tokenizer { document: picks[0], reason: e.to_string() })?;
		for encoding in encodings {
			stream.extend_from_slice(encoding.get_ids());
			stream.push(eos);
			if stream.len() >= needed {
				break;
			}
		}
	}
	stream.truncate(needed);
	Ok(stream
		.chunks(spec.batch_tokens())
		.filter_map(|chunk| Batch::new(chunk.to_vec(), spec.seq_len))
		.collect())
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn seeds_parse_with_and_without_prefix_and_bad_ones_are_named() {
		let hex64 = "11".repeat(32);
		assert_eq!(parse_seed(&hex64).expect("valid"), [0x11; 32]);
		assert_eq!(parse_seed(&format!("0x{hex64}")).expect("valid"), [0x11; 32]);
		let err = parse_seed("0x1234").expect_err("too short");
		assert!(err.to_string().contains("0x1234"));
		assert!(parse_seed(&"zz".repeat(32)).is_err());
	}

	#[test]
	fn a_batch_is_whole_rows_of_its_tokens() {
		let batch = Batch::new((0..6).collect(), 3).expect("two rows of three");
		assert_eq!((batch.rows(), batch.seq_len()), (2, 3));
		assert_eq!(batch.row_tokens().collect::<Vec<_>>(), [[0, 1, 2], [3, 4, 5]]);
		assert!(Batch::new((0..7).collect(), 3).is_none(), "a partial row");
		assert!(Batch::new(Vec::new(), 3).is_none() && Batch::new(vec![1], 0).is_none());
	}

	#[test]
	fn sync_block_rounds_down_to_the_interval() {
		assert_eq!(sync_block(0, 360), 0);
		assert_eq!(sync_block(359, 360), 0);
		assert_eq!(sync_block(360, 360), 360);
		assert_eq!(sync_block(1000, 0), 1000, "a zero interval counts as one block");
	}

	#[test]
	fn picker_is_a_pure_function_of_the_seed() {
		// tests/samples.rs checks the draws against an independent ChaCha20 keystream.
		let picks: Vec<usize> = DocumentPicker::new([7; 32], 1000).take(8).collect();
		let again: Vec<usize> = DocumentPicker::new([7; 32], 1000).take(8).collect();
		assert_eq!(picks, again);
		let other: Vec<usize> = DocumentPicker::new([8; 32], 1000).take(8).collect();
		assert_ne!(picks, other);
		assert!(picks.iter().all(|&i| i < 1000));
	}

	#[test]
	fn picker_is_uniform_enough() {
		let mut counts = [0usize; 10];
		for i in DocumentPicker::new([1; 32], 10).take(100_000) {
			counts[i] += 1;
		}
		assert!(counts.iter().all(|&c| (9_000..11_000).contains(&c)), "{counts:?}");
	}

	#[test]
	fn blake2_seed_of_a_block_hash() {
		// blake2b-256 of 32 zero bytes.
		assert_eq!(
			hex::encode(seed_from_block_hash(&[0; 32])),
			"89eb0d6a8a691dae2cd15ed0369931ce0a949ecafa5c3f93f8121833646e15c3"
		);
	}
}
