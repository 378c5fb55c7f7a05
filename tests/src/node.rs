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
/// How many times a node that must listen on one RPC port is started again while another
/// process holds that port.
const EXACT_PORT_ATTEMPTS: u32 = 10;
/// What the node logs once its RPC server listens, followed by its addresses.
const RPC_LISTENING: &str = "Running JSON-RPC server: addr=";

/// The RPC port a node is started with.
#[derive(Clone, Copy)]
enum RpcPort {
	/// This port if it is still free. A port from [`free_port`] can be taken by another
	/// process before the node binds it; the node then listens on a random port, and the
	/// harness follows it there.
	Preferred(u16),
	/// Exactly this port, where the clients of an earlier run of the node expect it; while
	/// another process holds it, the node is started again.
	Exact(u16),
}

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
		let mut node = Self::spawn(dir.path(), RpcPort::Preferred(free_port()), &args);
		node._dir = Some(dir);
		node
	}

	/// Start a devnet on `base_path` (kept after the node stops, so it can restart there).
	pub fn start_in(base_path: &Path, block_time_ms: u64) -> Self {
		Self::start_archive(base_path, block_time_ms, RpcPort::Preferred(free_port()))
	}

	/// Start a devnet on `base_path` with its RPC server on `rpc_port` (to restart a node where
	/// its clients expect it). It keeps every block's state, so that a test that ran it for
	/// thousands of blocks can still read the events of the first ones.
	pub fn start_on(base_path: &Path, block_time_ms: u64, rpc_port: u16) -> Self {
		Self::start_archive(base_path, block_time_ms, RpcPort::Exact(rpc_port))
	}

	fn start_archive(base_path: &Path, block_time_ms: u64, rpc_port: RpcPort) -> Self {
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
		Self::spawn(base_path, RpcPort::Preferred(free_port()), &args)
	}

	fn spawn(base_path: &Path, rpc_port: RpcPort, args: &[&str]) -> Self {
		let mut attempt = 1;
		loop {
			let mut node = Self::spawn_once(base_path, rpc_port, args);
			let follow = matches!(rpc_port, RpcPort::Preferred(_));
			let Err(actual) = node.wait_until_ready(follow) else { return node };
			node.stop();
			assert!(
				attempt < EXACT_PORT_ATTEMPTS,
				"galton-node could not bind RPC port {} in {attempt} attempts (it fell back \
				 to {actual}): another process holds it",
				node.rpc_port
			);
			attempt += 1;
			thread::sleep(Duration::from_secs(1));
		}
	}

	fn spawn_once(base_path: &Path, rpc_port: RpcPort, args: &[&str]) -> Self {
		let (RpcPort::Preferred(rpc_port) | RpcPort::Exact(rpc_port)) = rpc_port;
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
		Node { child, chain, rpc_port, p2p_port, log, _dir: None }
	}

	/// Talk to the node on `rpc_port` from now on.
	fn follow_rpc_to(&mut self, rpc_port: u16) {
		self.rpc_port = rpc_port;
		self.chain = Chain::new(Rpc::new(format!("http://127.0.0.1:{rpc_port}")));
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

	/// Wait until the node answers RPC. When it fell back to another port than the one it was
	/// given, follow it there if `follow`, else return `Err` with that port.
	fn wait_until_ready(&mut self, follow: bool) -> Result<(), u16> {
		let started = Instant::now();
		while started.elapsed() < STARTUP_TIMEOUT {
			if let Ok(Some(status)) = self.child.try_wait() {
				panic!("galton-node exited with {status} during startup:\n{}", self.log());
			}
			match rpc_port_in_log(&self.log()) {
				Some(port) if port != self.rpc_port && follow => self.follow_rpc_to(port),
				Some(port) if port != self.rpc_port => return Err(port),
				Some(_) if self.chain.best_number().is_ok() => return Ok(()),
				_ => thread::sleep(Duration::from_millis(200)),
			}
		}
		panic!("galton-node did not answer RPC within {STARTUP_TIMEOUT:?}:\n{}", self.log());
	}
}

/// The port of the first address the node's RPC server reported listening on, once it has.
fn rpc_port_in_log(log: &str) -> Option<u16> {
	let (_, rest) = log.split_once(RPC_LISTENING)?;
	let first = rest.split([',', ' ', '\n']).next()?;
	first.rsplit_once(':')?.1.parse().ok()
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

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn the_rpc_port_is_read_from_the_first_address_the_node_logs() {
		let log = "2026-12-03 12:00:00 🏷  Node name: galton\n\
		           2026-12-03 12:00:01 Running JSON-RPC server: addr=127.0.0.1:36965,[::1]:34155\n";
		assert_eq!(rpc_port_in_log(log), Some(36965));
		let ipv6_first = "Running JSON-RPC server: addr=[::1]:9944 \n";
		assert_eq!(rpc_port_in_log(ipv6_first), Some(9944));
	}

	#[test]
	fn no_port_is_read_before_the_rpc_server_listens() {
		assert_eq!(rpc_port_in_log("2026-12-03 12:00:00 🏷  Node name: galton\n"), None);
		assert_eq!(rpc_port_in_log("Running JSON-RPC server: addr="), None);
	}
}
