//! The content hash of a model directory, as committed on chain.
//!
//! Only the files the evaluator loads count: `*.safetensors`, `model.safetensors.index.json`,
//! `config.json`, `tokenizer.json` and `generation_config.json` when present, taken from the
//! directory itself (not from subdirectories). They are sorted by name and hashed as
//! `sha256( for each file: name_bytes || 0x00 || sha256(file_bytes) )`. Extra files (a README,
//! images, a training log) do not change the hash, so a copier cannot make a "new" model by
//! adding one. Symlinks to regular files are followed, so that a Hugging Face cache snapshot
//! (links into a blob store) hashes like the plain directory it stands for; a validator hashing
//! a miner's files follows only links that stay inside a root it names ([`Links::Within`]), so
//! a link to `/etc/shadow` or to a loop is an error, not a read.

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
	/// A symbolic link leads outside the directory the model's files must stay in.
	#[error("{path}: links to {target}, outside {root}; refusing to read it")]
	Escapes {
		/// The link.
		path: PathBuf,
		/// Where it leads.
		target: PathBuf,
		/// The directory it had to stay in.
		root: PathBuf,
	},
	/// The directory holds no model file.
	#[error(
		"{0}: no model files to hash (config.json, tokenizer.json, *.safetensors, \
		 model.safetensors.index.json, generation_config.json)"
	)]
	Empty(PathBuf),
}

/// Which symbolic links the hash walk follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Links<'a> {
	/// Every link to a regular file: for a miner hashing its own files.
	Follow,
	/// Only links whose target lies inside this directory: for files a stranger published.
	Within(&'a Path),
}

/// A file the content hash covers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModelFile {
	/// Its name in the model directory.
	pub name: String,
	/// Its path (a symlink's own path, not its target's).
	pub path: PathBuf,
	/// Its length in bytes.
	pub size: u64,
}

/// Bytes read at a time while hashing a file.
const READ_BUFFER: usize = 1 << 20;

/// Whether a file of this name is part of a model's content (a name with a path separator
/// is not: only files directly in the model directory count).
pub fn is_model_file(name: &str) -> bool {
	let plain = !name.contains(['/', '\\']) && !name.starts_with('.');
	plain && (MODEL_FILES.contains(&name) || name.ends_with(".safetensors"))
}

/// The model files of `dir` that the content hash covers, sorted by name: regular files (or
/// symlinks to them that `links` allows) directly inside `dir` whose names [`is_model_file`]
/// accepts.
pub fn model_files(dir: &Path, links: Links<'_>) -> Result<Vec<ModelFile>, HashError> {
	let root = match links {
		Links::Follow => None,
		Links::Within(root) => Some(std::fs::canonicalize(root).map_err(io_error(root))?),
	};
	let mut files = Vec::new();
	for entry in std::fs::read_dir(dir).map_err(io_error(dir))? {
		let path = entry.map_err(io_error(dir))?.path();
		// A name that is not UTF-8 cannot be one of the model file names.
		let Some(name) = path.file_name().and_then(|n| n.to_str()) else { continue };
		if !is_model_file(name) {
			continue;
		}
		if let Some(root) = &root {
			// Resolves every link on the way (a loop is an error here) and compares the target.
			let target = std::fs::canonicalize(&path).map_err(io_error(&path))?;
			if !target.starts_with(root) {
				return Err(HashError::Escapes { path, target, root: root.clone() });
			}
		}
		// `metadata` follows symlinks.
		let metadata = std::fs::metadata(&path).map_err(io_error(&path))?;
		if metadata.is_file() {
			files.push(ModelFile { name: name.to_owned(), path, size: metadata.len() });
		}
	}
	files.sort_by(|a, b| a.name.as_bytes().cmp(b.name.as_bytes()));
	Ok(files)
}

/// The content hash of the model directory `dir`, following symlinks as `links` allows.
pub fn content_hash(dir: &Path, links: Links<'_>) -> Result<[u8; 32], HashError> {
	hash_files(dir, &model_files(dir, links)?)
}

/// The content hash of `files`, the model files of `dir` as [`model_files`] lists them.
pub fn hash_files(dir: &Path, files: &[ModelFile]) -> Result<[u8; 32], HashError> {
	if files.is_empty() {
		return Err(HashError::Empty(dir.to_owned()));
	}
	let mut outer = Sha256::new();
	for file in files {
		outer.update(file.name.as_bytes());
		outer.update([0u8]);
		outer.update(file_hash(&file.path)?);
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
		assert_eq!(content_hash(dir.path(), Links::Follow).expect("hash"), sha(&preimage));
	}

	#[test]
	fn extra_files_do_not_make_a_new_model() {
		let dir = tempfile::tempdir().expect("temp dir");
		write(dir.path(), "config.json", b"{}");
		write(dir.path(), "model.safetensors", b"weights");
		let original = content_hash(dir.path(), Links::Follow).expect("hash");
		write(dir.path(), "README.md", b"# my very own model");
		write(dir.path(), "logo.png", b"png");
		write(dir.path(), "training_args.bin", b"args");
		std::fs::create_dir(dir.path().join("extra")).expect("mkdir");
		write(&dir.path().join("extra"), "model.safetensors", b"other");
		assert_eq!(content_hash(dir.path(), Links::Follow).expect("hash"), original);
	}

	#[test]
	fn any_change_of_a_model_file_changes_the_hash() {
		let dir = tempfile::tempdir().expect("temp dir");
		write(dir.path(), "model.safetensors", b"1");
		let first = content_hash(dir.path(), Links::Follow).expect("hash");
		write(dir.path(), "model.safetensors", b"2");
		let second = content_hash(dir.path(), Links::Follow).expect("hash");
		std::fs::rename(dir.path().join("model.safetensors"), dir.path().join("w.safetensors"))
			.expect("rename");
		let third = content_hash(dir.path(), Links::Follow).expect("hash");
		write(dir.path(), "generation_config.json", b"{}");
		let fourth = content_hash(dir.path(), Links::Follow).expect("hash");
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
			content_hash(linked.path(), Links::Follow).expect("hash"),
			content_hash(plain.path(), Links::Follow).expect("hash")
		);
	}

	#[test]
	fn directories_without_model_files_are_errors() {
		let dir = tempfile::tempdir().expect("temp dir");
		write(dir.path(), "README.md", b"x");
		assert!(matches!(content_hash(dir.path(), Links::Follow), Err(HashError::Empty(_))));
		let missing = dir.path().join("nope");
		let err = content_hash(&missing, Links::Follow).expect_err("missing");
		assert!(matches!(&err, HashError::Io { path, .. } if path == &missing), "{err}");
	}

	#[cfg(unix)]
	#[test]
	fn a_stranger_s_links_must_stay_inside_the_root() {
		use std::os::unix::fs::symlink;
		let outside = tempfile::tempdir().expect("temp dir");
		write(outside.path(), "secret", b"private key");
		let cache = tempfile::tempdir().expect("temp dir");
		let blobs = cache.path().join("blobs");
		let snapshot = cache.path().join("snapshots/abc");
		std::fs::create_dir_all(&blobs).expect("mkdir");
		std::fs::create_dir_all(&snapshot).expect("mkdir");
		write(&blobs, "blob1", b"weights");
		// A hub snapshot: links into the repository's blob store are fine.
		symlink("../../blobs/blob1", snapshot.join("model.safetensors")).expect("symlink");
		let inside = content_hash(&snapshot, Links::Within(cache.path())).expect("hash");
		assert_eq!(inside, content_hash(&snapshot, Links::Follow).expect("hash"));

		// A link out of the tree is refused before anything is read.
		symlink(outside.path().join("secret"), snapshot.join("config.json")).expect("symlink");
		let err = content_hash(&snapshot, Links::Within(cache.path())).expect_err("escapes");
		assert!(
			matches!(&err, HashError::Escapes { path, .. } if path.ends_with("config.json")),
			"{err}"
		);
		std::fs::remove_file(snapshot.join("config.json")).expect("rm");

		// A loop is an error, not a hang.
		symlink("tokenizer.json", snapshot.join("loop.safetensors")).expect("symlink");
		symlink("loop.safetensors", snapshot.join("tokenizer.json")).expect("symlink");
		let err = content_hash(&snapshot, Links::Within(cache.path())).expect_err("loop");
		assert!(matches!(err, HashError::Io { .. }), "{err}");
		assert!(content_hash(&snapshot, Links::Follow).is_err(), "a loop fails either way");
	}

	#[test]
	fn model_files_reports_sizes() {
		let dir = tempfile::tempdir().expect("temp dir");
		write(dir.path(), "config.json", b"{}");
		write(dir.path(), "model.safetensors", b"12345");
		let files = model_files(dir.path(), Links::Within(dir.path())).expect("list");
		let sizes: Vec<(&str, u64)> = files.iter().map(|f| (f.name.as_str(), f.size)).collect();
		assert_eq!(sizes, [("config.json", 2), ("model.safetensors", 5)]);
	}
}
