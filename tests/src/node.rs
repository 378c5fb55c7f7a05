//! A `galton-node` child process: a `--dev` devnet, or one authority of the two-node
//! `--chain local` network.

use std::{
	fs::File,
	net::TcpListener,
	path::{Path, PathBuf},
	process::{Child, Command, Stdio},
	thread,
	time::{Duration, Instant},
};
use tempfile::TempDir;

use crate::{binary::built_binary, Chain, Rpc};

/// How long a node may take to answer its first RPC call.
const STARTUP_TIMEOUT: Duration = Duration::from_secs(120);
/// How long a node may take to shut down after SIGTERM before it is killed.
const SHUTDOWN_TIMEOUT: Duration = Duration::from_secs(30);

/// The node binary: `GALTON_NODE_BIN`, or `galton-node` in the target directory of this test.
pub fn node_binary() -> PathBuf {
	built_binary("galton-node", "GALTON_NODE_BIN")
}

/// A port nobody listens on right now.
pub fn free_port() -> u16 {
	TcpListener::bind("127.0.0.1:0")
		.and_then(|listener| listener.local_addr())
		.map(|address| address.port())
		.expect("the OS hands out a free loopback port")
}

/// A running `galton-node`, stopped on drop.
pub struct Node {
	child: Child,
	chain: Chain,
	rpc_port: u16,
	p2p_port: u16,
	log: PathBuf,
	/// Kept so the base path outlives the process; `None` when the caller owns the path.
	_dir: Option<TempDir>,
}

impl Node {
	/// Start a devnet in a fresh temporary directory, sealing a block every `block_time_ms`.
	pub fn start(block_time_ms: u64) -> Self {
		Self::start_with(block_time_ms, &[])
	}

	/// [`Node::start`] with `extra` command-line arguments (`--beacon-relay URL`, ...).
	pub fn start_with(block_time_ms: u64, extra: &[&str]) -> Self {
		let dir = TempDir::new().expect("a temporary directory");
		let block_time = block_time_ms.to_string();
		let mut args = vec!["--dev", "--dev-block-time", &block_time];
		args.extend_from_slice(extra);
		let mut node = Self::spawn(dir.path(), free_port(), &args);
		node._dir = Some(dir);
		node
	}

	/// Start a devnet on `base_path` (kept after the node stops, so it can restart there).
	pub fn start_in(base_path: &Path, block_time_ms: u64) -> Self {
		Self::start_on(base_path, block_time_ms, free_port())
	}

	/// Start a devnet on `base_path` with its RPC server on `rpc_port` (to restart a node where
	/// its clients expect it). It keeps every block's state, so that a test that ran it for
	/// thousands of blocks can still read the events of the first ones.
	pub fn start_on(base_path: &Path, block_time_ms: u64, rpc_port: u16) -> Self {
		let block_time = block_time_ms.to_string();
		let args = ["--dev", "--dev-block-time", &block_time, "--state-pruning", "archive"];
		Self::spawn(base_path, rpc_port, &args)
	}

	/// Start `authority` (`alice` or `bob`) of the `--chain local` network (Aura and GRANDPA) on
	/// `base_path`, connecting to `bootnode` (another node's [`Node::p2p_address`]) if given.
	pub fn start_local(base_path: &Path, authority: &str, bootnode: Option<&str>) -> Self {
		std::fs::create_dir_all(base_path).expect("the base path can be created");
		// An authority needs a network key of its own; derived from the name, so each differs.
		let node_key = format!("{:0>64}", hex_of(authority.as_bytes()));
		let key = format!("--{authority}");
		// `--force-authoring`: an authority keeps authoring its slots without peers, so that a
		// test can take the other node down.
		let mut args = vec![
			"--chain",
			"local",
			"--validator",
			&key,
			"--node-key",
			&node_key,
			"--force-authoring",
		];
		if let Some(bootnode) = bootnode {
			args.extend(["--bootnodes", bootnode]);
		}
		Self::spawn(base_path, free_port(), &args)
	}

	fn spawn(base_path: &Path, rpc_port: u16, args: &[&str]) -> Self {
		let p2p_port = free_port();
		let log = base_path.join(format!("node-{rpc_port}.log"));
		let log_file = File::create(&log).expect("the node's log file can be created");
		let child = Command::new(node_binary())
			.args(args)
			.arg("--base-path")
			.arg(base_path)
			.args(["--rpc-port", &rpc_port.to_string()])
			.args(["--listen-addr", &format!("/ip4/127.0.0.1/tcp/{p2p_port}")])
			.args(["--no-prometheus", "--no-telemetry", "--no-mdns"])
			.stdin(Stdio::null())
			.stdout(Stdio::null())
			.stderr(log_file)
			.spawn()
			.expect("galton-node starts");
		let chain = Chain::new(Rpc::new(format!("http://127.0.0.1:{rpc_port}")));
		let mut node = Node { child, chain, rpc_port, p2p_port, log, _dir: None };
		node.wait_until_ready();
		node
	}

	/// The node's peer-to-peer address, with its peer id, as `--bootnodes` takes it.
	pub fn p2p_address(&self) -> String {
		let peer_id: String = self
			.chain
			.rpc()
			.call("system_localPeerId", serde_json::json!([]))
			.expect("the node reports its peer id");
		format!("/ip4/127.0.0.1/tcp/{}/p2p/{peer_id}", self.p2p_port)
	}

	/// Stop the node as an operator would, with SIGTERM, and wait for it to exit (killing it
	/// after thirty seconds); panics if it panicked on the way down. It is also stopped
	/// on drop.
	pub fn stop(&mut self) {
		if let Ok(Some(_)) = self.child.try_wait() {
			return;
		}
		let pid = self.child.id().to_string();
		let _ = Command::new("kill").args(["-TERM", &pid]).status();
		let started = Instant::now();
		while !matches!(self.child.try_wait(), Ok(Some(_))) {
			if started.elapsed() > SHUTDOWN_TIMEOUT {
				let _ = self.child.kill();
				let _ = self.child.wait();
				break;
			}
			thread::sleep(Duration::from_millis(50));
		}
		let log = self.log();
		if !thread::panicking() && log.contains("panicked at") {
			panic!("galton-node panicked while stopping:\n{log}");
		}
	}

	/// Kill the node with SIGKILL, as a crash or a power cut would.
	pub fn kill(&mut self) {
		let _ = self.child.kill();
		let _ = self.child.wait();
	}

	/// The chain behind this node's RPC endpoint.
	pub fn chain(&self) -> &Chain {
		&self.chain
	}

	/// The WebSocket RPC endpoint, as clients such as galton-eval take it.
	pub fn ws_url(&self) -> String {
		format!("ws://127.0.0.1:{}", self.rpc_port)
	}

	/// The RPC port.
	pub fn rpc_port(&self) -> u16 {
		self.rpc_port
	}

	/// The node's log so far, for failure messages.
	pub fn log(&self) -> String {
		std::fs::read_to_string(&self.log).unwrap_or_default()
	}

	fn wait_until_ready(&mut self) {
		let started = Instant::now();
		while started.elapsed() < STARTUP_TIMEOUT {
			if let Ok(Some(status)) = self.child.try_wait() {
				panic!("galton-node exited with {status} during startup:\n{}", self.log());
			}
			if self.chain.best_number().is_ok() {
				return;
			}
			thread::sleep(Duration::from_millis(200));
		}
		panic!("galton-node did not answer RPC within {STARTUP_TIMEOUT:?}:\n{}", self.log());
	}
}

/// `bytes` in lowercase hex.
fn hex_of(bytes: &[u8]) -> String {
	bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

impl Drop for Node {
	fn drop(&mut self) {
		self.stop();
	}
}
