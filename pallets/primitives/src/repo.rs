//! The one parser for where a model lives: a repository id (`org/name`) and a revision (a branch
//! or tag name, or a 40-digit commit id). The chain checks commitments with it and the evaluator
//! checks its command line and what it reads from the chain with it, so both accept exactly the
//! same names, and no accepted name can step outside a directory when used as a path.

use core::fmt;

use crate::{Repo, Revision, MAX_REPO_LEN, MAX_REVISION_LEN};

/// The longest organisation or model name inside a repository id (the Hugging Face hub's limit).
pub const MAX_REPO_PART_LEN: usize = 96;

/// Why a repository id was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RepoError {
	/// The id is empty.
	Empty,
	/// The id is longer than [`MAX_REPO_LEN`] bytes.
	TooLong,
	/// The id is not `org/name` with both parts well formed: 1 to 96 ASCII letters, digits, `-`,
	/// `_` or `.`, not starting or ending with `-` or `.`, and without `--` or `..`.
	Malformed,
}

impl fmt::Display for RepoError {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		match self {
			RepoError::Empty => write!(f, "the repository id is empty; name it as ORG/NAME"),
			RepoError::TooLong => {
				write!(f, "the repository id is longer than {MAX_REPO_LEN} bytes")
			}
			RepoError::Malformed => write!(
				f,
				"the repository id must be ORG/NAME: each part 1 to {MAX_REPO_PART_LEN} letters, \
				 digits, '-', '_' or '.', not starting or ending with '-' or '.', without '--' or '..'"
			),
		}
	}
}

/// Why a revision was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RevisionError {
	/// The revision is empty.
	Empty,
	/// The revision is longer than [`MAX_REVISION_LEN`] bytes.
	TooLong,
	/// The revision is neither 40 hex digits nor a branch or tag name: `/`-separated parts of
	/// ASCII letters, digits, `-`, `_` and `.`, none empty, none starting with `.` or `-`, none
	/// ending with `.lock`.
	Malformed,
}

impl fmt::Display for RevisionError {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		match self {
			RevisionError::Empty => {
				write!(f, "the revision is empty; name a branch, a tag or a commit id")
			}
			RevisionError::TooLong => {
				write!(f, "the revision is longer than {MAX_REVISION_LEN} bytes")
			}
			RevisionError::Malformed => write!(
				f,
				"the revision must be a 40-digit commit id or a branch or tag name: '/'-separated \
				 parts of letters, digits, '-', '_' and '.', none empty, none starting with '.' or \
				 '-', none ending with '.lock'"
			),
		}
	}
}

impl core::error::Error for RepoError {}

impl core::error::Error for RevisionError {}

/// A repository id that passed [`RepoId::parse`]: `org/name`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RepoId(Repo);

impl RepoId {
	/// Check `bytes` as a repository id.
	pub fn parse(bytes: &[u8]) -> Result<Self, RepoError> {
		if bytes.is_empty() {
			return Err(RepoError::Empty);
		}
		let repo = Repo::try_from(bytes.to_vec()).map_err(|_| RepoError::TooLong)?;
		let mut parts = bytes.split(|b| *b == b'/');
		match (parts.next(), parts.next(), parts.next()) {
			(Some(org), Some(name), None) if repo_part(org) && repo_part(name) => Ok(Self(repo)),
			_ => Err(RepoError::Malformed),
		}
	}

	/// The id as text (always ASCII).
	pub fn as_str(&self) -> &str {
		core::str::from_utf8(&self.0).unwrap_or_default()
	}

	/// The organisation, before the `/`.
	pub fn org(&self) -> &str {
		self.as_str().split_once('/').map_or("", |(org, _)| org)
	}

	/// The model's name, after the `/`.
	pub fn name(&self) -> &str {
		self.as_str().split_once('/').map_or("", |(_, name)| name)
	}

	/// The bounded bytes a commitment stores.
	pub fn into_inner(self) -> Repo {
		self.0
	}
}

impl fmt::Display for RepoId {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		f.write_str(self.as_str())
	}
}

impl core::str::FromStr for RepoId {
	type Err = RepoError;

	fn from_str(s: &str) -> Result<Self, RepoError> {
		Self::parse(s.as_bytes())
	}
}

/// A revision that passed [`RepoRevision::parse`]: a commit id or a branch or tag name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RepoRevision(Revision);

impl RepoRevision {
	/// Check `bytes` as a revision.
	pub fn parse(bytes: &[u8]) -> Result<Self, RevisionError> {
		if bytes.is_empty() {
			return Err(RevisionError::Empty);
		}
		let revision = Revision::try_from(bytes.to_vec()).map_err(|_| RevisionError::TooLong)?;
		let commit_id = bytes.len() == 40 && bytes.iter().all(u8::is_ascii_hexdigit);
		if commit_id || bytes.split(|b| *b == b'/').all(ref_part) {
			Ok(Self(revision))
		} else {
			Err(RevisionError::Malformed)
		}
	}

	/// Whether this is a 40-digit commit id, which pins the files (a branch or tag can move).
	pub fn is_commit_id(&self) -> bool {
		self.0.len() == 40 && self.0.iter().all(u8::is_ascii_hexdigit)
	}

	/// The revision as text (always ASCII).
	pub fn as_str(&self) -> &str {
		core::str::from_utf8(&self.0).unwrap_or_default()
	}

	/// The bounded bytes a commitment stores.
	pub fn into_inner(self) -> Revision {
		self.0
	}
}

impl fmt::Display for RepoRevision {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		f.write_str(self.as_str())
	}
}

impl core::str::FromStr for RepoRevision {
	type Err = RevisionError;

	fn from_str(s: &str) -> Result<Self, RevisionError> {
		Self::parse(s.as_bytes())
	}
}

/// A byte allowed in a repository part or a ref part.
fn name_byte(b: &u8) -> bool {
	b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.')
}

/// One side of `org/name`.
fn repo_part(part: &[u8]) -> bool {
	let edge = |b: Option<&u8>| matches!(b, Some(b'-') | Some(b'.'));
	!part.is_empty()
		&& part.len() <= MAX_REPO_PART_LEN
		&& part.iter().all(name_byte)
		&& !edge(part.first())
		&& !edge(part.last())
		&& !part.windows(2).any(|w| w == b"--" || w == b"..")
}

/// One `/`-separated part of a branch or tag name.
fn ref_part(part: &[u8]) -> bool {
	!part.is_empty()
		&& part.iter().all(name_byte)
		&& !matches!(part.first(), Some(b'.') | Some(b'-'))
		&& !part.ends_with(b".lock")
		&& !part.windows(2).any(|w| w == b"..")
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn well_formed_repositories_parse() {
		for id in ["org/name", "Org-1/model_v2.5", "a/b", "meta-llama/Llama-3.1-8B"] {
			let repo = RepoId::parse(id.as_bytes()).expect(id);
			assert_eq!(repo.as_str(), id);
		}
		let repo: RepoId = "galton/bob".parse().expect("valid");
		assert_eq!((repo.org(), repo.name()), ("galton", "bob"));
		let longest = format!("{}/{}", "o".repeat(31), "n".repeat(MAX_REPO_PART_LEN));
		assert_eq!(longest.len(), MAX_REPO_LEN as usize);
		assert!(RepoId::parse(longest.as_bytes()).is_ok());
	}

	#[test]
	fn malformed_repositories_are_refused_with_the_reason() {
		use RepoError::*;
		let too_long = format!("{}/{}", "o".repeat(32), "n".repeat(MAX_REPO_PART_LEN));
		let long_part = format!("o/{}", "n".repeat(MAX_REPO_PART_LEN + 1));
		let cases: [(&str, RepoError); 17] = [
			("", Empty),
			(&too_long, TooLong),
			(&long_part, Malformed),
			("noslash", Malformed),
			("a/b/c", Malformed),
			("/name", Malformed),
			("org/", Malformed),
			("../etc", Malformed),
			("org/..", Malformed),
			("./name", Malformed),
			("org/na me", Malformed),
			("org/name\0", Malformed),
			("-org/name", Malformed),
			("org/name.", Malformed),
			("org/na--me", Malformed),
			("org/na..me", Malformed),
			("org\\x/name", Malformed),
		];
		for (id, error) in cases {
			assert_eq!(RepoId::parse(id.as_bytes()), Err(error), "{id:?}");
		}
		assert_eq!(RepoId::parse("órg/name".as_bytes()), Err(Malformed));
	}

	#[test]
	fn revisions_are_commit_ids_or_ref_names() {
		let commit = "0123456789abcdef0123456789ABCDEF01234567";
		for revision in ["main", "v1.0", "release/2026-11", "feature_x", commit] {
			assert!(RepoRevision::parse(revision.as_bytes()).is_ok(), "{revision}");
		}
		assert!(RepoRevision::parse(commit.as_bytes()).expect("valid").is_commit_id());
		assert!(!RepoRevision::parse(b"main").expect("valid").is_commit_id());
		let longest = vec![b'r'; MAX_REVISION_LEN as usize];
		assert!(RepoRevision::parse(&longest).is_ok());
	}

	#[test]
	fn malformed_revisions_are_refused_with_the_reason() {
		use RevisionError::*;
		let too_long = String::from_utf8(vec![b'r'; MAX_REVISION_LEN as usize + 1]).expect("ascii");
		let cases: [(&str, RevisionError); 12] = [
			("", Empty),
			(&too_long, TooLong),
			("../../etc", Malformed),
			("a/../b", Malformed),
			("a//b", Malformed),
			("/main", Malformed),
			("main/", Malformed),
			(".hidden", Malformed),
			("-flag", Malformed),
			("branch.lock", Malformed),
			("with space", Malformed),
			("a@{1}", Malformed),
		];
		for (revision, error) in cases {
			assert_eq!(RepoRevision::parse(revision.as_bytes()), Err(error), "{revision:?}");
		}
	}

	#[test]
	fn errors_say_what_to_do() {
		assert!(format!("{}", RepoError::Malformed).contains("ORG/NAME"));
		assert!(format!("{}", RevisionError::Malformed).contains("commit id"));
	}
}
