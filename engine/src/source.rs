//! Where a model comes from: a local directory or a Hugging Face hub repository (through the
//! local hub cache, downloading unless offline).
//!
//! On the command line a model is `PATH[@BLOCK]` or `hf:ORG/NAME[:REVISION][@BLOCK]`, where
//! `BLOCK` is the block its commitment was made in (its age counts from there).

use std::{
	path::{Path, PathBuf},
	str::FromStr,
};

use galton_primitives::{RepoId, RepoRevision};
use hf_hub::{api::sync::ApiBuilder, Repo, RepoType};

use crate::{
	hash::is_model_file,
	model::budget::{BudgetError, SizeBudget},
};

/// The prefix of a hub model on the command line.
pub const HUB_PREFIX: &str = "hf:";

/// The revision used when a hub model names none.
pub const DEFAULT_REVISION: &str = "main";

/// A model's location.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ModelSource {
	/// A directory on this machine.
	Local(PathBuf),
	/// A model repository on the Hugging Face hub.
	Hub {
		/// `org/name`.
		repo: RepoId,
		/// Branch, tag or commit id.
		revision: RepoRevision,
	},
}

/// A model named on the command line, with the block of its commitment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ModelSpec {
	/// Where the files are.
	pub source: ModelSource,
	/// The block the model was committed in (0 when not given).
	pub commit_block: u64,
}

impl std::fmt::Display for ModelSource {
	fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
		match self {
			ModelSource::Local(path) => write!(f, "{}", path.display()),
			ModelSource::Hub { repo, revision } => write!(f, "{HUB_PREFIX}{repo}:{revision}"),
		}
	}
}

impl FromStr for ModelSpec {
	type Err = String;

	fn from_str(s: &str) -> Result<Self, String> {
		let (location, commit_block) = match s.rsplit_once('@') {
			Some((location, block)) if !block.is_empty() && !location.is_empty() => {
				let block = block.parse::<u64>().map_err(|_| {
					format!("{s:?}: the part after '@' must be a block number, got {block:?}")
				})?;
				(location, block)
			}
			_ => (s, 0),
		};
		let source = match location.strip_prefix(HUB_PREFIX) {
			Some(hub) => {
				let (repo, revision) = hub.split_once(':').unwrap_or((hub, DEFAULT_REVISION));
				let bad = |reason: String| {
					format!("{s:?}: a hub model is hf:ORG/NAME[:REVISION]; {reason}")
				};
				let repo = repo.parse::<RepoId>().map_err(|e| bad(e.to_string()))?;
				let revision = revision.parse::<RepoRevision>().map_err(|e| bad(e.to_string()))?;
				ModelSource::Hub { repo, revision }
			}
			None => ModelSource::Local(PathBuf::from(location)),
		};
		Ok(Self { source, commit_block })
	}
}

/// Why a hub model could not be found or fetched.
#[derive(Debug, thiserror::Error)]
pub enum SourceError {
	/// The directory does not exist.
	#[error("{0}: no such model directory")]
	NoDirectory(PathBuf),
	/// Offline, and the hub cache has no snapshot of the revision.
	#[error("{repo}:{revision} is not in the hub cache {cache} (run once without --offline to download it)")]
	NotCached {
		/// `org/name`.
		repo: String,
		/// The revision asked for.
		revision: String,
		/// The cache directory searched.
		cache: PathBuf,
	},
	/// The hub refused or could not be reached.
	#[error("{repo}:{revision}: download from the hub failed: {reason}")]
	Download {
		/// `org/name`.
		repo: String,
		/// The revision asked for.
		revision: String,
		/// The hub client's message.
		reason: String,
	},
	/// The files the hub lists are larger than the evaluator fetches.
	#[error("{repo}:{revision}: not downloaded: {source}")]
	OverBudget {
		/// `org/name`.
		repo: String,
		/// The revision asked for.
		revision: String,
		/// Which limit the listing passes.
		source: BudgetError,
	},
}

/// The hub cache directory: `cache`, or the `HF_HOME` default.
pub fn cache_dir(cache: Option<&Path>) -> PathBuf {
	cache.map(Path::to_path_buf).unwrap_or_else(|| hf_hub::Cache::from_env().path().clone())
}

/// The folder of `repo` in a hub cache (its `blobs/`, `refs/` and `snapshots/`): the tree
/// every file of a snapshot must resolve into.
pub fn cached_repo_dir(cache: &Path, repo: &str) -> PathBuf {
	cache.join(Repo::new(repo.to_owned(), RepoType::Model).folder_name())
}

/// The local directory holding `source`'s files. Hub models are read from the hub cache at
/// `cache` (the `HF_HOME` default when `None`); unless `offline`, the model files of the
/// revision are downloaded first, only those the content hash covers and only when the hub's
/// listing fits `budget`.
pub fn resolve(
	source: &ModelSource,
	cache: Option<&Path>,
	offline: bool,
	budget: SizeBudget,
) -> Result<PathBuf, SourceError> {
	match source {
		ModelSource::Local(dir) if dir.is_dir() => Ok(dir.clone()),
		ModelSource::Local(dir) => Err(SourceError::NoDirectory(dir.clone())),
		ModelSource::Hub { repo, revision } => {
			let cache_dir = cache_dir(cache);
			let (repo, revision) = (repo.as_str(), revision.as_str());
			if !offline {
				download(repo, revision, &cache_dir, budget)?;
			}
			cached_snapshot(&cache_dir, repo, revision).ok_or_else(|| SourceError::NotCached {
				repo: repo.to_owned(),
				revision: revision.to_owned(),
				cache: cache_dir,
			})
		}
	}
}

/// The snapshot directory of `repo` at `revision` in a hub cache: `revision` is a commit id,
/// or a branch or tag that `refs/` maps to one.
pub fn cached_snapshot(cache: &Path, repo: &str, revision: &str) -> Option<PathBuf> {
	let repo_dir = cached_repo_dir(cache, repo);
	let commit = match std::fs::read_to_string(repo_dir.join("refs").join(revision)) {
		Ok(commit) => commit.trim().to_owned(),
		Err(_) => revision.to_owned(),
	};
	// A ref holding a path instead of a commit id must not lead out of the cache.
	let commit = RepoRevision::parse(commit.as_bytes()).ok()?;
	let snapshot = repo_dir.join("snapshots").join(commit.as_str());
	snapshot.is_dir().then_some(snapshot)
}

/// The files to fetch from a hub listing of `(name, size)`: the model files the content hash
/// covers, each directly in the repository's root, checked against `budget` first. Any other
/// file (a README, a 40 GB `pytorch_model.bin`, a `subdir/model.safetensors`) is never fetched.
pub fn files_to_fetch(
	listing: &[(String, u64)],
	budget: SizeBudget,
) -> Result<Vec<String>, BudgetError> {
	let wanted: Vec<&(String, u64)> =
		listing.iter().filter(|(name, _)| is_model_file(name)).collect();
	budget.check(wanted.iter().map(|(name, size)| (name.as_str(), *size)))?;
	Ok(wanted.into_iter().map(|(name, _)| name.clone()).collect())
}

fn download(
	repo: &str,
	revision: &str,
	cache: &Path,
	budget: SizeBudget,
) -> Result<(), SourceError> {
	let failed = |reason: String| SourceError::Download {
		repo: repo.to_owned(),
		revision: revision.to_owned(),
		reason,
	};
	let api = ApiBuilder::new()
		.with_cache_dir(cache.to_owned())
		.with_progress(false)
		.build()
		.map_err(|e| failed(e.to_string()))?;
	let hub_repo =
		api.repo(Repo::with_revision(repo.to_owned(), RepoType::Model, revision.to_owned()));
	let info = hub_repo.info().map_err(|e| failed(e.to_string()))?;
	// Sizes are asked for the model files only: the listing may name thousands of others.
	let mut listing = Vec::new();
	for file in info.siblings.into_iter().filter(|f| is_model_file(&f.rfilename)) {
		let metadata = api
			.metadata(&hub_repo.url(&file.rfilename))
			.map_err(|e| failed(format!("{}: {e}", file.rfilename)))?;
		listing.push((file.rfilename, metadata.size() as u64));
	}
	let fetch = files_to_fetch(&listing, budget).map_err(|source| SourceError::OverBudget {
		repo: repo.to_owned(),
		revision: revision.to_owned(),
		source,
	})?;
	for name in fetch {
		tracing::info!(repo, revision, file = %name, "fetching");
		hub_repo.get(&name).map_err(|e| failed(format!("{name}: {e}")))?;
	}
	Ok(())
}

#[cfg(test)]
mod tests {
	use super::*;

	fn spec(s: &str) -> Result<ModelSpec, String> {
		s.parse()
	}

	fn hub(repo: &str, revision: &str) -> ModelSource {
		ModelSource::Hub {
			repo: repo.parse().expect("valid repo"),
			revision: revision.parse().expect("valid revision"),
		}
	}

	#[test]
	fn specs_parse() {
		assert_eq!(
			spec("models/a@120").expect("valid"),
			ModelSpec { source: ModelSource::Local("models/a".into()), commit_block: 120 }
		);
		assert_eq!(spec("models/a").expect("valid").commit_block, 0);
		assert_eq!(
			spec("hf:org/name:abc123@7").expect("valid"),
			ModelSpec { source: hub("org/name", "abc123"), commit_block: 7 }
		);
		assert_eq!(spec("hf:org/name").expect("valid").source, hub("org/name", "main"));
	}

	#[test]
	fn bad_specs_say_what_is_wrong() {
		assert!(spec("models/a@soon").expect_err("not a block").contains("block number"));
		assert!(spec("hf:noslash").expect_err("no org").contains("hf:ORG/NAME"));
		assert!(spec("hf:org/na me").expect_err("space").contains("hf:ORG/NAME"));
		assert!(spec("hf:org/name:../../etc").expect_err("traversal").contains("revision"));
		assert!(spec("hf:../etc").expect_err("traversal").contains("ORG/NAME"));
		assert!(spec("hf:org/name:main.lock").expect_err("lock").contains("hf:ORG/NAME"));
	}

	#[test]
	fn offline_resolution_reads_the_hub_cache_layout() {
		let cache = tempfile::tempdir().expect("temp dir");
		let repo_dir = cache.path().join("models--org--name");
		let commit = "0123456789abcdef0123456789abcdef01234567";
		std::fs::create_dir_all(repo_dir.join("snapshots").join(commit)).expect("mkdir");
		std::fs::create_dir_all(repo_dir.join("refs")).expect("mkdir");
		std::fs::write(repo_dir.join("refs/main"), commit).expect("write");
		let source = hub("org/name", "main");
		let dir =
			resolve(&source, Some(cache.path()), true, SizeBudget::new(None)).expect("cached");
		assert_eq!(dir, repo_dir.join("snapshots").join(commit));
		let by_commit = hub("org/name", commit);
		assert_eq!(
			resolve(&by_commit, Some(cache.path()), true, SizeBudget::new(None)).expect("cached"),
			dir
		);

		let missing = hub("org/name", "v2");
		let err = resolve(&missing, Some(cache.path()), true, SizeBudget::new(None))
			.expect_err("not cached");
		assert!(err.to_string().contains("--offline"), "{err}");
	}

	#[test]
	fn a_ref_cannot_point_out_of_the_cache() {
		let cache = tempfile::tempdir().expect("temp dir");
		let repo_dir = cache.path().join("models--org--name");
		std::fs::create_dir_all(repo_dir.join("refs")).expect("mkdir");
		std::fs::create_dir_all(cache.path().join("elsewhere")).expect("mkdir");
		std::fs::write(repo_dir.join("refs/main"), "../../elsewhere").expect("write");
		assert_eq!(cached_snapshot(cache.path(), "org/name", "main"), None);
	}

	#[test]
	fn only_model_files_within_the_budget_are_fetched() {
		let listing: Vec<(String, u64)> = [
			("README.md", 10),
			("pytorch_model.bin", 40 << 30),
			("sub/model.safetensors", 1 << 30),
			("config.json", 700),
			("tokenizer.json", 2 << 20),
			("model.safetensors", 4_000_000),
		]
		.into_iter()
		.map(|(name, size)| (name.to_owned(), size))
		.collect();
		let fetch = files_to_fetch(&listing, SizeBudget::new(Some(1_000_000))).expect("fits");
		assert_eq!(fetch, ["config.json", "tokenizer.json", "model.safetensors"]);

		let mut padded = listing.clone();
		padded.push(("model-00002-of-00002.safetensors".into(), 1 << 40));
		let over = files_to_fetch(&padded, SizeBudget::new(Some(1_000_000)));
		assert!(matches!(over, Err(BudgetError::OverBudget { .. })), "{over:?}");
		let mut huge_config = listing;
		huge_config[3].1 = 1 << 32;
		let refused = files_to_fetch(&huge_config, SizeBudget::new(None));
		assert!(matches!(refused, Err(BudgetError::JsonTooLarge { .. })), "{refused:?}");
	}
}
