//! The local evaluation corpus: documents read from JSONL (`text` field), Parquet (`text`
//! column) or plain text (paragraphs separated by blank lines).

use std::{
	fs::File,
	io::{BufRead, BufReader},
	path::{Path, PathBuf},
};

use parquet::{
	column::reader::ColumnReader,
	file::reader::{FileReader, SerializedFileReader},
};

/// The field (JSONL) or column (Parquet) that holds a document's text.
pub const TEXT_FIELD: &str = "text";

/// Records read from a Parquet column at a time.
const PARQUET_BATCH: usize = 1024;

/// Why a corpus could not be read. Each variant names the file.
#[derive(Debug, thiserror::Error)]
pub enum CorpusError {
	/// The file cannot be opened or read.
	#[error("corpus {path}: {source}")]
	Io {
		/// The corpus file.
		path: PathBuf,
		/// The operating system's error.
		source: std::io::Error,
	},
	/// A JSONL line is not a JSON object with a string `text` field.
	#[error("corpus {path}, line {line}: {reason}")]
	Jsonl {
		/// The corpus file.
		path: PathBuf,
		/// The 1-based line number.
		line: usize,
		/// What is wrong with it.
		reason: String,
	},
	/// The Parquet file cannot be read or has no string `text` column.
	#[error("corpus {path}: {reason}")]
	Parquet {
		/// The corpus file.
		path: PathBuf,
		/// What is wrong with it.
		reason: String,
	},
	/// The file holds no non-empty document.
	#[error("corpus {path} holds no documents (JSONL needs a \"text\" field, Parquet a \"text\" column, plain text paragraphs separated by blank lines)")]
	Empty {
		/// The corpus file.
		path: PathBuf,
	},
}

/// The documents of a corpus file, in file order; empty documents are dropped.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Corpus {
	documents: Vec<String>,
}

impl Corpus {
	/// Read a corpus; the format follows the extension: `.jsonl`/`.json` (one object per line),
	/// `.parquet`, anything else plain text.
	pub fn open(path: &Path) -> Result<Self, CorpusError> {
		let extension = path.extension().and_then(|e| e.to_str()).unwrap_or_default();
		let documents = match extension.to_ascii_lowercase().as_str() {
			"jsonl" | "json" => read_jsonl(path)?,
			"parquet" => read_parquet(path)?,
			_ => read_plain_text(path)?,
		};
		Self::from_documents(documents).ok_or_else(|| CorpusError::Empty { path: path.to_owned() })
	}

	/// A corpus of the given documents; `None` when none of them has text.
	pub fn from_documents(documents: Vec<String>) -> Option<Self> {
		let documents: Vec<String> =
			documents.into_iter().filter(|d| !d.trim().is_empty()).collect();
		(!documents.is_empty()).then_some(Self { documents })
	}

	/// Number of documents (at least one).
	pub fn len(&self) -> usize {
		self.documents.len()
	}

	/// Always false: an empty corpus is refused when read.
	pub fn is_empty(&self) -> bool {
		self.documents.is_empty()
	}

	/// The document at `index`.
	pub fn document(&self, index: usize) -> Option<&str> {
		self.documents.get(index).map(String::as_str)
	}
}

fn io_error(path: &Path) -> impl Fn(std::io::Error) -> CorpusError + '_ {
	move |source| CorpusError::Io { path: path.to_owned(), source }
}

fn read_jsonl(path: &Path) -> Result<Vec<String>, CorpusError> {
	let file = File::open(path).map_err(io_error(path))?;
	let mut documents = Vec::new();
	for (number, line) in BufReader::new(file).lines().enumerate() {
		let line = line.map_err(io_error(path))?;
		if line.trim().is_empty() {
			continue;
		}
		let error =
			|reason: String| CorpusError::Jsonl { path: path.to_owned(), line: number + 1, reason };
		let value: serde_json::Value =
			serde_json::from_str(&line).map_err(|e| error(format!("not JSON: {e}")))?;
		match value.get(TEXT_FIELD) {
			Some(serde_json::Value::String(text)) => documents.push(text.clone()),
			_ => return Err(error(format!("no string field {TEXT_FIELD:?}"))),
		}
	}
	Ok(documents)
}

fn read_plain_text(path: &Path) -> Result<Vec<String>, CorpusError> {
	let text = std::fs::read_to_string(path).map_err(io_error(path))?;
	let mut documents = Vec::new();
	let mut current: Vec<&str> = Vec::new();
	for line in text.lines() {
		if line.trim().is_empty() {
			if !current.is_empty() {
				documents.push(current.join("\n"));
				current.clear();
			}
		} else {
			current.push(line);
		}
	}
	if !current.is_empty() {
		documents.push(current.join("\n"));
	}
	Ok(documents)
}

fn read_parquet(path: &Path) -> Result<Vec<String>, CorpusError> {
	let error = |reason: String| CorpusError::Parquet { path: path.to_owned(), reason };
	let file = File::open(path).map_err(io_error(path))?;
	let reader = SerializedFileReader::new(file).map_err(|e| error(e.to_string()))?;
	let schema = reader.metadata().file_metadata().schema_descr_ptr();
	let column = (0..schema.num_columns())
		.find(|&i| schema.column(i).path().parts() == [TEXT_FIELD])
		.ok_or_else(|| error(format!("no column {TEXT_FIELD:?}")))?;
	let mut documents = Vec::new();
	for group in 0..reader.num_row_groups() {
		let row_group = reader.get_row_group(group).map_err(|e| error(e.to_string()))?;
		let ColumnReader::ByteArrayColumnReader(mut values) =
			row_group.get_column_reader(column).map_err(|e| error(e.to_string()))?
		else {
			return Err(error(format!("column {TEXT_FIELD:?} does not hold strings")));
		};
		loop {
			let mut batch = Vec::new();
			let mut definitions = Vec::new();
			let (records, _, _) = values
				.read_records(PARQUET_BATCH, Some(&mut definitions), None, &mut batch)
				.map_err(|e| error(e.to_string()))?;
			if records == 0 {
				break;
			}
			for value in batch {
				let text = String::from_utf8(value.data().to_vec())
					.map_err(|_| error(format!("column {TEXT_FIELD:?} holds invalid UTF-8")))?;
				documents.push(text);
			}
		}
	}
	Ok(documents)
}
