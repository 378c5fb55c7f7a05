//! The content hash of a model directory, as committed on chain.
//!
//! Only the files the evaluator loads count: `*.safetensors`, `model.safetensors.index.json`,
//! `config.json`, `tokenizer.json` and `generation_config.json` when present, taken from the
//! directory itself (not from subdirectories). They are sorted by name and hashed as
//! `sha256( for each file: name_bytes || 0x00 || sha256(file_bytes) )`. Extra files (a README,
//! images, a training log) do not change the hash, so a copier cannot make a "new" model by
//! adding one. Symlinks to regular files are followed, so that a Hugging Face cache snapshot
//! (links into a blob store) hashes like the plain directory it stands for.

use std::{
	fs::File,
	io::Read,
	path::{Path, PathBuf},
};

use sha2::{Digest, Sha256};

/// The files besides the `*.safetensors` checkpoints that the evaluator reads.
pub const MODEL_FILES: [&str; 4] =
	["config.json", "generation_config.json", "model.safetensors.index.json", "tokenizer.json"];

/// Why a directory could not be hashed.
#[derive(Debug, thiserror::Error)]
pub enum HashError {
	/// A file or directory could not be read.
	#[error("{path}: {source}")]
	Io {
		/// The path at fault.
		path: PathBuf,
		/// The operating system's error.
		source: std::io::Error,
	},
	/// The directory holds no model file.
	#[error(
		"{0}: no model files to hash (config.json, tokenizer.json, *.safetensors, \
		 model.safetensors.index.json, generation_config.json)"
	)]
	Empty(PathBuf),
}

/// Bytes read at a time while hashing a file.
const READ_BUFFER: usize = 1 << 20;

/// Whether a file of this name is part of a model's content.
pub fn is_model_file(name: &str) -> bool {
	MODEL_FILES.contains(&name) || (name.ends_with(".safetensors") && !name.starts_with('.'))
}

/// The model files of `dir` that the content hash covers, sorted by name: regular files (or
/// symlinks to them) directly inside `dir` whose names [`is_model_file`] accepts.
pub fn model_files(dir: &Path) -> Result<Vec<(String, PathBuf)>, HashError> {
	let mut files = Vec::new();
	for entry in std::fs::read_dir(dir).map_err(io_error(dir))? {
		let path = entry.map_err(io_error(dir))?.path();
		// A name that is not UTF-8 cannot be one of the model file names.
		let Some(name) = path.file_name().and_then(|n| n.to_str()) else { continue };
		if !is_model_file(name) {
			continue;
		}
		// `metadata` follows symlinks.
		if std::fs::metadata(&path).map_err(io_error(&path))?.is_file() {
			files.push((name.to_owned(), path));
		}
	}
	files.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
	Ok(files)
}

/// The content hash of the model directory `dir`.
pub fn content_hash(dir: &Path) -> Result<[u8; 32], HashError> {
	let files = model_files(dir)?;
	if files.is_empty() {
		return Err(HashError::Empty(dir.to_owned()));
	}
	let mut outer = Sha256::new();
	for (name, path) in files {
		outer.update(name.as_bytes());
		outer.update([0u8]);
		outer.update(file_hash(&path)?);
	}
	Ok(outer.finalize().into())
}

fn io_error(path: &Path) -> impl Fn(std::io::Error) -> HashError + '_ {
	move |source| HashError::Io { path: path.to_owned(), source }
}

fn file_hash(path: &Path) -> Result<[u8; 32], HashError> {
	let mut file = File::open(path).map_err(io_error(path))?;
	let mut hasher = Sha256::new();
	let mut buffer = vec![0u8; READ_BUFFER];
	loop {
		let read = file.read(&mut buffer).map_err(io_error(path))?;
		if read == 0 {
			break;
		}
		hasher.update(&buffer[..read]);
	}
	Ok(hasher.finalize().into())
}

#[cfg(test)]
mod tests {
	use super::*;

	fn sha(bytes: &[u8]) -> [u8; 32] {
		Sha256::digest(bytes).into()
	}

	fn write(dir: &Path, name: &str, content: &[u8]) {
		std::fs::write(dir.join(name), content).expect("write");
	}

	#[test]
	fn hash_follows_the_spec_byte_for_byte() {
		let dir = tempfile::tempdir().expect("temp dir");
		write(dir.path(), "tokenizer.json", b"tok");
		write(dir.path(), "config.json", b"{}");
		write(dir.path(), "model-00002-of-00002.safetensors", b"\x00\x02");
		write(dir.path(), "model-00001-of-00002.safetensors", b"\x00\x01");
		write(dir.path(), "model.safetensors.index.json", b"index");
		write(dir.path(), "generation_config.json", b"gen");
		// Not part of the content.
		write(dir.path(), "README.md", b"skipped");
		write(dir.path(), ".hidden.safetensors", b"skipped");
		std::fs::create_dir(dir.path().join("sub")).expect("mkdir");
		write(&dir.path().join("sub"), "model.safetensors", b"skipped");

		let mut preimage = Vec::new();
		for (path, content) in [
			("config.json", &b"{}"[..]),
			("generation_config.json", b"gen"),
			("model-00001-of-00002.safetensors", b"\x00\x01"),
			("model-00002-of-00002.safetensors", b"\x00\x02"),
			("model.safetensors.index.json", b"index"),
			("tokenizer.json", b"tok"),
		] {
			preimage.extend_from_slice(path.as_bytes());
			preimage.push(0);
			preimage.extend_from_slice(&sha(content));
		}
		assert_eq!(content_hash(dir.path()).expect("hash"), sha(&preimage));
	}

	#[test]
	fn extra_files_do_not_make_a_new_model() {
		let dir = tempfile::tempdir().expect("temp dir");
		write(dir.path(), "config.json", b"{}");
		write(dir.path(), "model.safetensors", b"weights");
		let original = content_hash(dir.path()).expect("hash");
		write(dir.path(), "README.md", b"# my very own model");
		write(dir.path(), "logo.png", b"png");
		write(dir.path(), "training_args.bin", b"args");
		std::fs::create_dir(dir.path().join("extra")).expect("mkdir");
		write(&dir.path().join("extra"), "model.safetensors", b"other");
		assert_eq!(content_hash(dir.path()).expect("hash"), original);
	}

	#[test]
	fn any_change_of_a_model_file_changes_the_hash() {
		let dir = tempfile::tempdir().expect("temp dir");
		write(dir.path(), "model.safetensors", b"1");
		let first = content_hash(dir.path()).expect("hash");
		write(dir.path(), "model.safetensors", b"2");
		let second = content_hash(dir.path()).expect("hash");
		std::fs::rename(dir.path().join("model.safetensors"), dir.path().join("w.safetensors"))
			.expect("rename");
		let third = content_hash(dir.path()).expect("hash");
		write(dir.path(), "generation_config.json", b"{}");
		let fourth = content_hash(dir.path()).expect("hash");
		let all = [first, second, third, fourth];
		for (i, a) in all.iter().enumerate() {
			assert!(all[i + 1..].iter().all(|b| a != b), "hash {i} repeats");
		}
	}

	#[cfg(unix)]
	#[test]
	fn symlinks_hash_like_the_files_they_point_to() {
		let blobs = tempfile::tempdir().expect("temp dir");
		write(blobs.path(), "blob1", b"weights");
		let linked = tempfile::tempdir().expect("temp dir");
		std::os::unix::fs::symlink(
			blobs.path().join("blob1"),
			linked.path().join("model.safetensors"),
		)
		.expect("symlink");
		let plain = tempfile::tempdir().expect("temp dir");
		write(plain.path(), "model.safetensors", b"weights");
		assert_eq!(
			content_hash(linked.path()).expect("hash"),
			content_hash(plain.path()).expect("hash")
		);
	}

	#[test]
	fn directories_without_model_files_are_errors() {
		let dir = tempfile::tempdir().expect("temp dir");
		write(dir.path(), "README.md", b"x");
		assert!(matches!(content_hash(dir.path()), Err(HashError::Empty(_))));
		let missing = dir.path().join("nope");
		let err = content_hash(&missing).expect_err("missing");
		assert!(matches!(&err, HashError::Io { path, .. } if path == &missing), "{err}");
	}
}
