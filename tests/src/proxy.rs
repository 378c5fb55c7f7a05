//! A fault-injecting JSON-RPC proxy: a WebSocket endpoint in front of a node that passes
//! everything through, except the transactions a test picks out, which it refuses, drops or
//! withholds, as a hostile or failing relay would.
//!
//! It can also lose requests: a share of all of them ([`RpcProxy::lossy`]) or every nth read
//! ([`RpcProxy::cutting_reads`]). The connection a lost request came on is cut, as a flaky
//! network or an overloaded relay does.
//!
//! It offers the node's legacy RPC methods only (it strips `chainHead_v1_*` and `archive_v1_*`
//! from `rpc_methods`, as many public endpoints do), so clients submit with
//! `author_submitAndWatchExtrinsic` and call the runtime with `state_call`: plain requests it
//! can read and answer.

use std::{
	collections::{HashMap, VecDeque},
	io::ErrorKind,
	net::{TcpListener, TcpStream},
	sync::{
		atomic::{AtomicBool, Ordering},
		Arc, Mutex, MutexGuard,
	},
	thread,
	time::Duration,
};

use codec::{Decode, Encode};
use galton_runtime::{RuntimeCall, UncheckedExtrinsic};
use polkadot_sdk::{sp_core::bytes, sp_runtime::transaction_validity::TransactionValidity};
use serde_json::{json, Value};
use tungstenite::{Message, WebSocket};

use crate::Draws;

/// How long a connection's pump waits on one side before it looks at the other.
const POLL: Duration = Duration::from_millis(2);

/// What the proxy does with one submission of a picked-out transaction.
#[derive(Clone, Debug)]
pub enum Fault {
	/// Answer the submission with the pool's "immediately dropped" error (code 1016), as a
	/// full pool does. With a `verdict`, the runtime's validation of that transaction (a
	/// `state_call` of `TaggedTransactionQueue_validate_transaction`) is answered with it too.
	Refuse {
		/// What validating the transaction returns instead of the node's answer.
		verdict: Option<TransactionValidity>,
	},
	/// Accept the submission, then report the transaction dropped from the pool.
	Drop,
	/// Accept the submission and report it ready, but never pass it on: the transaction is
	/// kept for [`RpcProxy::withheld`], as a relay that sits on it would.
	Withhold,
}

/// What the proxy has done so far, and what is left to do.
#[derive(Default)]
struct Plan {
	/// Picks out the transactions the faults apply to.
	matches: Option<fn(&RuntimeCall) -> bool>,
	/// The faults, one per matching submission, in order; then submissions pass.
	faults: VecDeque<Fault>,
	/// Faults applied.
	applied: usize,
	/// Extrinsics (hex, no `0x`) whose validation is answered with a verdict.
	verdicts: Vec<(String, TransactionValidity)>,
	/// Withheld extrinsics, encoded.
	withheld: Vec<Vec<u8>>,
	/// The next subscription id the proxy makes up.
	next_subscription: u64,
	/// Which requests are lost.
	loss: Option<Loss>,
	/// Requests lost so far.
	lost: usize,
}

/// Which requests the proxy loses.
enum Loss {
	/// A share of all requests, picked by a seeded generator.
	Share(f64, Draws),
	/// Every nth request that is not a submission: of the reads seen so far, `seen`.
	EveryNthRead {
		/// The n.
		every: usize,
		/// Reads seen so far.
		seen: usize,
	},
}

impl Plan {
	/// Whether to lose the next request, a call of `method`.
	fn lose(&mut self, method: &str) -> bool {
		let lose = match self.loss.as_mut() {
			None => false,
			Some(Loss::Share(share, draws)) => draws.unit() < *share,
			Some(Loss::EveryNthRead { .. }) if method == SUBMISSION => false,
			Some(Loss::EveryNthRead { every, seen }) => {
				*seen += 1;
				*seen % *every == 0
			}
		};
		self.lost += usize::from(lose);
		lose
	}
}

/// The method transactions are submitted with, through this proxy.
const SUBMISSION: &str = "author_submitAndWatchExtrinsic";

/// A running proxy; it stops accepting connections when dropped.
pub struct RpcProxy {
	port: u16,
	plan: Arc<Mutex<Plan>>,
	stop: Arc<AtomicBool>,
}

impl RpcProxy {
	/// A proxy to the node at `upstream` (`ws://...`) that applies `faults`, in order, to the
	/// submissions of transactions whose call `matches`.
	pub fn start(upstream: &str, matches: fn(&RuntimeCall) -> bool, faults: Vec<Fault>) -> Self {
		Self::serve(
			upstream,
			Plan { matches: Some(matches), faults: faults.into(), ..Plan::default() },
		)
	}

	/// A proxy to the node at `upstream` that loses `share` of all requests (picked by a
	/// generator seeded with `seed`, so a run can be repeated), cutting the connection each
	/// came on.
	pub fn lossy(upstream: &str, share: f64, seed: u64) -> Self {
		let loss = Loss::Share(share, Draws::new(seed));
		Self::serve(upstream, Plan { loss: Some(loss), ..Plan::default() })
	}

	/// A proxy to the node at `upstream` that loses every `every`th request other than a
	/// submission, cutting the connection each came on: a client that mends its connection
	/// and sends its reads again loses nothing but time.
	pub fn cutting_reads(upstream: &str, every: usize) -> Self {
		let loss = Loss::EveryNthRead { every: every.max(1), seen: 0 };
		Self::serve(upstream, Plan { loss: Some(loss), ..Plan::default() })
	}

	fn serve(upstream: &str, plan: Plan) -> Self {
		let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port for the proxy");
		let port = listener.local_addr().expect("bound").port();
		listener.set_nonblocking(true).expect("non-blocking accept");
		let plan = Arc::new(Mutex::new(plan));
		let stop = Arc::new(AtomicBool::new(false));
		let (accept_plan, accept_stop, upstream) =
			(plan.clone(), stop.clone(), upstream.to_owned());
		thread::spawn(move || {
			while !accept_stop.load(Ordering::Relaxed) {
				match listener.accept() {
					Ok((client, _)) => {
						let (plan, stop, upstream) =
							(accept_plan.clone(), accept_stop.clone(), upstream.clone());
						thread::spawn(move || {
							Connection::open(client, &upstream, plan, stop)?.pump()
						});
					}
					Err(e) if e.kind() == ErrorKind::WouldBlock => thread::sleep(POLL),
					Err(_) => return,
				}
			}
		});
		RpcProxy { port, plan, stop }
	}

	/// The proxy's endpoint, as clients take it.
	pub fn ws_url(&self) -> String {
		format!("ws://127.0.0.1:{}", self.port)
	}

	/// How many faults the proxy has applied.
	pub fn applied(&self) -> usize {
		self.plan().applied
	}

	/// How many requests the proxy has lost.
	pub fn lost(&self) -> usize {
		self.plan().lost
	}

	/// The transactions withheld so far, encoded, oldest first.
	pub fn withheld(&self) -> Vec<Vec<u8>> {
		self.plan().withheld.clone()
	}

	fn plan(&self) -> MutexGuard<'_, Plan> {
		self.plan.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
	}
}

impl Drop for RpcProxy {
	fn drop(&mut self) {
		self.stop.store(true, Ordering::Relaxed);
	}
}

/// One client's connection and the proxy's own connection to the node for it.
struct Connection {
	client: WebSocket<TcpStream>,
	node: WebSocket<TcpStream>,
	plan: Arc<Mutex<Plan>>,
	stop: Arc<AtomicBool>,
	/// The method of each request in flight, by its id (as JSON text).
	methods: HashMap<String, String>,
}

impl Connection {
	fn open(
		client: TcpStream,
		upstream: &str,
		plan: Arc<Mutex<Plan>>,
		stop: Arc<AtomicBool>,
	) -> Option<Self> {
		client.set_nonblocking(false).ok()?;
		let client = tungstenite::accept(client).ok()?;
		let address = upstream.trim_start_matches("ws://");
		let (node, _) = tungstenite::client(upstream, TcpStream::connect(address).ok()?).ok()?;
		for socket in [client.get_ref(), node.get_ref()] {
			socket.set_read_timeout(Some(POLL)).ok()?;
		}
		Some(Connection { client, node, plan, stop, methods: HashMap::new() })
	}

	/// Pass messages both ways until either side closes.
	fn pump(mut self) -> Option<()> {
		while !self.stop.load(Ordering::Relaxed) {
			if let Some(text) = read(&mut self.client)? {
				self.on_client_message(text)?;
			}
			if let Some(text) = read(&mut self.node)? {
				self.on_node_message(text)?;
			}
		}
		None
	}

	fn on_client_message(&mut self, text: String) -> Option<()> {
		let Ok(request) = serde_json::from_str::<Value>(&text) else {
			return self.node.send(Message::text(text)).ok();
		};
		let id = request["id"].to_string();
		let method = request["method"].as_str().unwrap_or_default().to_owned();
		if self.plan.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).lose(&method) {
			return None;
		}
		let param = |i: usize| request["params"][i].as_str().unwrap_or_default().to_owned();
		let answer = match method.as_str() {
			SUBMISSION => self.submission(&request["id"], &param(0)),
			"state_call" if param(0) == "TaggedTransactionQueue_validate_transaction" => {
				self.verdict(&param(1)).map(|verdict| {
					let result = bytes::to_hex(&verdict.encode(), false);
					vec![json!({"jsonrpc": "2.0", "id": request["id"], "result": result})]
				})
			}
			_ => None,
		};
		match answer {
			Some(messages) => messages
				.into_iter()
				.try_for_each(|m| self.client.send(Message::text(m.to_string())).ok()),
			None => {
				self.methods.insert(id, method);
				self.node.send(Message::text(text)).ok()
			}
		}
	}

	fn on_node_message(&mut self, text: String) -> Option<()> {
		let mut message = match serde_json::from_str::<Value>(&text) {
			Ok(message) => message,
			Err(_) => return self.client.send(Message::text(text)).ok(),
		};
		let method = self.methods.remove(&message["id"].to_string());
		if method.as_deref() == Some("rpc_methods") {
			if let Some(methods) = message["result"]["methods"].as_array_mut() {
				methods.retain(|m| {
					let name = m.as_str().unwrap_or_default();
					!name.starts_with("chainHead_v1_") && !name.starts_with("archive_v1_")
				});
			}
		}
		self.client.send(Message::text(message.to_string())).ok()
	}

	/// The proxy's own answer to the submission of `extrinsic` (hex), when a fault applies.
	fn submission(&mut self, id: &Value, extrinsic: &str) -> Option<Vec<Value>> {
		let encoded = bytes::from_hex(extrinsic).ok()?;
		let call = UncheckedExtrinsic::decode(&mut &encoded[..]).ok()?.function;
		let mut plan = self.plan.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
		if !plan.matches.is_some_and(|matches| matches(&call)) {
			return None;
		}
		let fault = plan.faults.pop_front()?;
		plan.applied += 1;
		plan.next_subscription += 1;
		let subscription = format!("proxy-{}", plan.next_subscription);
		let update = |status: Value| {
			json!({
				"jsonrpc": "2.0",
				"method": "author_extrinsicUpdate",
				"params": {"subscription": subscription, "result": status},
			})
		};
		let accepted = json!({"jsonrpc": "2.0", "id": id, "result": subscription});
		Some(match fault {
			Fault::Refuse { verdict } => {
				if let Some(verdict) = verdict {
					let hex = extrinsic.trim_start_matches("0x").to_owned();
					plan.verdicts.push((hex, verdict));
				}
				let error = json!({"code": 1016, "message": "Immediately Dropped",
					"data": "The transaction couldn't enter the pool because of the limit"});
				vec![json!({"jsonrpc": "2.0", "id": id, "error": error})]
			}
			Fault::Drop => vec![accepted, update(json!("dropped"))],
			Fault::Withhold => {
				plan.withheld.push(encoded);
				vec![accepted, update(json!("ready"))]
			}
		})
	}

	/// The verdict to answer a validation of `args` (hex) with, if it validates an extrinsic
	/// the proxy refused with one.
	fn verdict(&self, args: &str) -> Option<TransactionValidity> {
		let plan = self.plan.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
		plan.verdicts.iter().find(|(hex, _)| args.contains(hex.as_str())).map(|(_, v)| v.clone())
	}
}

/// The next text message on `socket`: `Some(None)` when none is waiting, `None` once the
/// connection is closed.
fn read(socket: &mut WebSocket<TcpStream>) -> Option<Option<String>> {
	match socket.read() {
		Ok(Message::Text(text)) => Some(Some(text.to_string())),
		Ok(_) => Some(None),
		Err(tungstenite::Error::Io(e))
			if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) =>
		{
			Some(None)
		}
		Err(_) => None,
	}
}
