//! Python packages as test oracles: a virtual environment under the cache directory, made and
//! filled on first use from PyPI. A test that needs one skips, saying why, where Python or the
//! package cannot be had (no `python3`, no network to PyPI).

use std::{
	path::PathBuf,
	process::{Command, Output},
};

/// The virtual environment: `GALTON_PYTHON_VENV`, or `galton-python` in `XDG_CACHE_HOME` (else
/// `~/.cache`), so that it outlives fresh clones as the shared target directory does.
fn venv_dir() -> PathBuf {
	if let Some(dir) = std::env::var_os("GALTON_PYTHON_VENV") {
		return dir.into();
	}
	let cache = std::env::var_os("XDG_CACHE_HOME").map(PathBuf::from).unwrap_or_else(|| {
		PathBuf::from(std::env::var_os("HOME").unwrap_or_default()).join(".cache")
	});
	cache.join("galton-python")
}

/// The venv's interpreter with `requirement` (a pip requirement such as
/// `substrate-interface==1.8.1`) importable as `module`, installed if needed; `Err` says why it
/// cannot be had.
pub fn python_with(requirement: &str, module: &str) -> Result<PathBuf, String> {
	let venv = venv_dir();
	let python = venv.join("bin").join("python");
	if !python.exists() {
		run(Command::new("python3").args(["-m", "venv"]).arg(&venv))
			.map_err(|why| format!("no Python virtual environment at {}: {why}", venv.display()))?;
	}
	let has_module = |python: &PathBuf| {
		Command::new(python)
			.args(["-c", &format!("import {module}")])
			.output()
			.is_ok_and(|output| output.status.success())
	};
	if !has_module(&python) {
		run(Command::new(&python).args(["-m", "pip", "install", "--quiet", requirement]))
			.map_err(|why| format!("cannot install {requirement} from PyPI: {why}"))?;
	}
	Ok(python)
}

fn run(command: &mut Command) -> Result<Output, String> {
	let output = command.output().map_err(|error| error.to_string())?;
	if output.status.success() {
		Ok(output)
	} else {
		Err(String::from_utf8_lossy(&output.stderr).trim().to_owned())
	}
}
