//! Where a committed model's files are on this machine, and the checks they pass before the
//! evaluator reads them: the repository and revision on chain go through the chain's own
//! parser, the directory must resolve inside the models root (or the repository's hub cache
//! folder), the files' sizes must fit the competition's budget, and they must hash to the
//! committed content hash, following no link out of that root.

use std::path::PathBuf;

use galton_primitives::{RepoId, RepoRevision};

use crate::{
	evaluate::Failure,
	hash::{hash_files, model_files, Links},
	model::{budget::SizeBudget, LoadError},
	source::{cache_dir, cached_repo_dir, resolve, ModelSource, SourceError},
};

/// Where the models' files come from.
#[derive(Clone, Debug)]
pub enum ModelLocator {
	/// The Hugging Face hub (through its local cache).
	Hub {
		/// The cache directory (`None`: the default).
		cache: Option<PathBuf>,
		/// Never download.
		offline: bool,
	},
	/// A local mirror: `DIR/ORG/NAME/REVISION` if it exists, else `DIR/ORG/NAME`.
	Directory(PathBuf),
}

/// A model's directory, and the tree its files must stay in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModelDir {
	/// The directory (canonical).
	pub dir: PathBuf,
	/// The models root, or the repository's hub cache folder (canonical).
	pub root: PathBuf,
}

impl ModelLocator {
	/// The directory of the model at `repo` and `revision`, as read from the chain, fetched
	/// first (within `budget`) from the hub.
	pub fn locate(
		&self,
		repo: &[u8],
		revision: &[u8],
		budget: SizeBudget,
	) -> Result<ModelDir, Failure> {
		let repo = RepoId::parse(repo).map_err(|e| Failure::BadLocation(e.to_string()))?;
		let revision =
			RepoRevision::parse(revision).map_err(|e| Failure::BadLocation(e.to_string()))?;
		let (dir, root) = match self {
			ModelLocator::Hub { cache, offline } => {
				let root = cached_repo_dir(&cache_dir(cache.as_deref()), repo.as_str());
				let source = ModelSource::Hub { repo, revision };
				(resolve(&source, cache.as_deref(), *offline, budget)?, root)
			}
			ModelLocator::Directory(root) => {
				let dir = root.join(repo.org()).join(repo.name());
				let by_revision = dir.join(revision.as_str());
				let dir = if by_revision.is_dir() { by_revision } else { dir };
				if !dir.is_dir() {
					return Err(SourceError::NoDirectory(dir).into());
				}
				(dir, root.clone())
			}
		};
		let canonical = |path: &PathBuf| {
			std::fs::canonicalize(path)
				.map_err(|source| Failure::Load(LoadError::Io { path: path.clone(), source }))
		};
		let (dir, root) = (canonical(&dir)?, canonical(&root)?);
		if !dir.starts_with(&root) {
			return Err(Failure::BadLocation(format!(
				"{} resolves outside {}; refusing to read it",
				dir.display(),
				root.display()
			)));
		}
		Ok(ModelDir { dir, root })
	}
}

/// The model's files must fit `budget` (checked from their sizes, before any is read) and
/// hash to the committed content hash.
pub fn verify(model: &ModelDir, committed: [u8; 32], budget: SizeBudget) -> Result<(), Failure> {
	let files = model_files(&model.dir, Links::Within(&model.root))?;
	budget
		.check(files.iter().map(|f| (f.name.as_str(), f.size)))
		.map_err(|source| LoadError::Budget { dir: model.dir.clone(), source })?;
	let actual = hash_files(&model.dir, &files)?;
	if actual == committed {
		Ok(())
	} else {
		Err(Failure::HashMismatch {
			committed: hex::encode(committed),
			actual: hex::encode(actual),
			dir: model.dir.clone(),
		})
	}
}

#[cfg(test)]
mod tests {
	use crate::hash::content_hash;

	use super::*;

	fn unbounded() -> SizeBudget {
		SizeBudget::new(None)
	}

	#[test]
	fn a_local_mirror_prefers_the_revision_directory() {
		let root = tempfile::tempdir().expect("temp dir");
		std::fs::create_dir_all(root.path().join("org/model/v2")).expect("mkdir");
		let root_path = std::fs::canonicalize(root.path()).expect("canonical");
		let locator = ModelLocator::Directory(root.path().to_owned());
		let located = |repo: &[u8], revision: &[u8]| locator.locate(repo, revision, unbounded());
		assert_eq!(
			located(b"org/model", b"v2").expect("found").dir,
			root_path.join("org/model/v2")
		);
		assert_eq!(located(b"org/model", b"main").expect("found").dir, root_path.join("org/model"));
		let missing = located(b"org/other", b"main").expect_err("missing");
		assert!(matches!(&missing, Failure::Source(SourceError::NoDirectory(_))), "{missing}");
		for (repo, revision) in [(&b"../etc"[..], &b"main"[..]), (b"org/model", b"../../x")] {
			let err = located(repo, revision).expect_err("traversal");
			assert!(
				matches!(&err, Failure::BadLocation(reason) if reason.contains("must be")),
				"{err}"
			);
		}
	}

	#[cfg(unix)]
	#[test]
	fn a_model_directory_linked_out_of_the_models_root_is_refused() {
		let root = tempfile::tempdir().expect("temp dir");
		let outside = tempfile::tempdir().expect("temp dir");
		std::fs::create_dir_all(root.path().join("org")).expect("mkdir");
		std::os::unix::fs::symlink(outside.path(), root.path().join("org/model")).expect("link");
		let locator = ModelLocator::Directory(root.path().to_owned());
		let err = locator.locate(b"org/model", b"main", unbounded()).expect_err("outside");
		assert!(
			matches!(&err, Failure::BadLocation(reason) if reason.contains("outside")),
			"{err}"
		);
	}

	#[test]
	fn files_must_fit_the_budget_and_match_the_committed_hash() {
		let root = tempfile::tempdir().expect("temp dir");
		let dir = root.path().join("org/model");
		std::fs::create_dir_all(&dir).expect("mkdir");
		std::fs::write(dir.join("model.safetensors"), vec![0u8; 4096]).expect("write");
		let hash = content_hash(&dir, Links::Follow).expect("hash");
		let model = ModelLocator::Directory(root.path().to_owned())
			.locate(b"org/model", b"main", unbounded())
			.expect("found");
		assert!(verify(&model, hash, unbounded()).is_ok());
		let err = verify(&model, [0; 32], unbounded()).expect_err("mismatch");
		assert!(err.to_string().starts_with("content hash mismatch: committed 0x0000"), "{err}");
		// A padded checkpoint (here 1 GiB, sparse) is refused from its size, before it is read.
		std::fs::File::create(dir.join("padding.safetensors"))
			.and_then(|file| file.set_len(1 << 30))
			.expect("sparse file");
		let tiny = SizeBudget::new(Some(1));
		let err = verify(&model, hash, tiny).expect_err("over budget");
		assert!(matches!(err, Failure::Load(LoadError::Budget { .. })), "{err}");
	}
}
