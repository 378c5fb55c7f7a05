//! The content hash of a model directory, as committed on chain.
//!
//! Walk all regular files (following symlinks, skipping names that start with '.'), sort them
//! by relative path with '/' separators, and hash
//! `sha256( for each file: path_bytes || 0x00 || sha256(file_bytes) )`.
//! Symlinks are followed so that a Hugging Face cache snapshot (links into a blob store) hashes
//! like the plain directory it stands for.

use std::{
	fs::File,
	io::Read,
	path::{Path, PathBuf},
};

use sha2::{Digest, Sha256};

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
	/// A path is not valid UTF-8, so its bytes would differ between systems.
	#[error("{0}: file names must be UTF-8 to hash the same on every system")]
	NonUtf8Path(PathBuf),
	/// The directory holds no file to hash.
	#[error("{0}: no files to hash (names starting with '.' are skipped)")]
	Empty(PathBuf),
}

/// Bytes read at a time while hashing a file.
const READ_BUFFER: usize = 1 << 20;

/// The content hash of the model directory `dir`.
pub fn content_hash(dir: &Path) -> Result<[u8; 32], HashError> {
	let mut files = Vec::new();
	collect_files(dir, "", &mut files)?;
	if files.is_empty() {
		return Err(HashError::Empty(dir.to_owned()));
	}
	files.sort_by(|a, b| a.0.as_bytes().cmp(b.0.as_bytes()));
	let mut outer = Sha256::new();
	for (relative, path) in files {
		outer.update(relative.as_bytes());
		outer.update([0u8]);
		outer.update(file_hash(&path)?);
	}
	Ok(outer.finalize().into())
}

/// `(relative path with '/', full path)` of every regular file under `dir`.
fn collect_files(
	dir: &Path,
	prefix: &str,
	out: &mut Vec<(String, PathBuf)>,
) -> Result<(), HashError> {
	for entry in std::fs::read_dir(dir).map_err(io_error(dir))? {
		let path = entry.map_err(io_error(dir))?.path();
		let name = path
			.file_name()
			.and_then(|n| n.to_str())
			.ok_or_else(|| HashError::NonUtf8Path(path.clone()))?;
		if name.starts_with('.') {
			continue;
		}
		let relative = if prefix.is_empty() { name.to_owned() } else { format!("{prefix}/{name}") };
		// `metadata` follows symlinks.
		let metadata = std::fs::metadata(&path).map_err(io_error(&path))?;
		if metadata.is_dir() {
			collect_files(&path, &relative, out)?;
		} else if metadata.is_file() {
			out.push((relative, path));
		}
	}
	Ok(())
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

	#[test]
	fn hash_follows_the_spec_byte_for_byte() {
		let dir = tempfile::tempdir().expect("temp dir");
		std::fs::create_dir(dir.path().join("sub")).expect("mkdir");
		std::fs::write(dir.path().join("b.txt"), b"bee").expect("write");
		std::fs::write(dir.path().join("sub/a.bin"), b"\x00\x01").expect("write");
		std::fs::write(dir.path().join("a.json"), b"{}").expect("write");
		std::fs::write(dir.path().join(".gitattributes"), b"skipped").expect("write");
		std::fs::create_dir(dir.path().join(".cache")).expect("mkdir");
		std::fs::write(dir.path().join(".cache/x"), b"skipped").expect("write");

		let mut preimage = Vec::new();
		for (path, content) in
			[("a.json", &b"{}"[..]), ("b.txt", b"bee"), ("sub/a.bin", b"\x00\x01")]
		{
			preimage.extend_from_slice(path.as_bytes());
			preimage.push(0);
			preimage.extend_from_slice(&sha(content));
		}
		assert_eq!(content_hash(dir.path()).expect("hash"), sha(&preimage));
	}

	#[test]
	fn any_change_of_name_or_content_changes_the_hash() {
		let dir = tempfile::tempdir().expect("temp dir");
		std::fs::write(dir.path().join("w"), b"1").expect("write");
		let first = content_hash(dir.path()).expect("hash");
		std::fs::write(dir.path().join("w"), b"2").expect("write");
		let second = content_hash(dir.path()).expect("hash");
		std::fs::rename(dir.path().join("w"), dir.path().join("v")).expect("rename");
		let third = content_hash(dir.path()).expect("hash");
		assert!(first != second && second != third && first != third);
	}

	#[cfg(unix)]
	#[test]
	fn symlinks_hash_like_the_files_they_point_to() {
		let blobs = tempfile::tempdir().expect("temp dir");
		std::fs::write(blobs.path().join("blob1"), b"weights").expect("write");
		let linked = tempfile::tempdir().expect("temp dir");
		std::os::unix::fs::symlink(blobs.path().join("blob1"), linked.path().join("model.bin"))
			.expect("symlink");
		let plain = tempfile::tempdir().expect("temp dir");
		std::fs::write(plain.path().join("model.bin"), b"weights").expect("write");
		assert_eq!(
			content_hash(linked.path()).expect("hash"),
			content_hash(plain.path()).expect("hash")
		);
	}

	#[test]
	fn empty_and_missing_directories_are_errors() {
		let dir = tempfile::tempdir().expect("temp dir");
		std::fs::write(dir.path().join(".hidden"), b"x").expect("write");
		assert!(matches!(content_hash(dir.path()), Err(HashError::Empty(_))));
		let missing = dir.path().join("nope");
		let err = content_hash(&missing).expect_err("missing");
		assert!(err.to_string().contains("nope"), "{err}");
	}
}
