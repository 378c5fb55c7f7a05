//! Prometheus metrics of the validator loop, served on `--prometheus-port` at `/metrics`.

use std::{
	io::{BufRead, BufReader, Write},
	net::{SocketAddr, TcpListener, TcpStream},
	sync::{atomic::AtomicU64, Arc},
};

use prometheus_client::{
	encoding::{text::encode, EncodeLabelSet},
	metrics::{counter::Counter, family::Family, gauge::Gauge},
	registry::Registry,
};

/// Labels of a per-model metric.
#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
pub struct ModelLabels {
	/// The miner's uid.
	pub uid: u16,
}

/// The validator's metrics.
#[derive(Clone, Default)]
pub struct Metrics {
	/// Rounds completed (weights committed, or set).
	pub rounds: Counter,
	/// Each model's mean loss in the last round (`+Inf` when it failed).
	pub model_loss: Family<ModelLabels, Gauge<f64, AtomicU64>>,
	/// Commits journaled and not yet revealed.
	pub pending_commits: Gauge,
	/// Block of the last commit included on chain.
	pub last_commit_block: Gauge,
	/// Block of the last reveal included on chain.
	pub last_reveal_block: Gauge,
	/// Loss throughput of the last round.
	pub tokens_per_second: Gauge<f64, AtomicU64>,
}

impl Metrics {
	/// A registry holding these metrics under the `galton_eval` prefix.
	pub fn registry(&self) -> Registry {
		let mut registry = Registry::with_prefix("galton_eval");
		registry.register("rounds", "Validator rounds completed", self.rounds.clone());
		registry.register(
			"model_loss",
			"Mean loss of each model in the last round",
			self.model_loss.clone(),
		);
		registry.register(
			"pending_commits",
			"Weight commits not yet revealed",
			self.pending_commits.clone(),
		);
		registry.register(
			"last_commit_block",
			"Block of the last weight commit",
			self.last_commit_block.clone(),
		);
		registry.register(
			"last_reveal_block",
			"Block of the last weight reveal",
			self.last_reveal_block.clone(),
		);
		registry.register(
			"tokens_per_second",
			"Loss throughput of the last round",
			self.tokens_per_second.clone(),
		);
		registry
	}

	/// The metrics in the Prometheus text format.
	pub fn render(registry: &Registry) -> String {
		let mut text = String::new();
		// Writing into a String cannot fail.
		let _ = encode(&mut text, registry);
		text
	}
}

/// Serve `registry` at `http://addr/metrics` on a background thread; returns the bound address
/// (port 0 picks a free port).
pub fn serve(addr: SocketAddr, registry: Registry) -> std::io::Result<SocketAddr> {
	let listener = TcpListener::bind(addr)?;
	let bound = listener.local_addr()?;
	let registry = Arc::new(registry);
	std::thread::spawn(move || {
		for stream in listener.incoming().flatten() {
			if let Err(e) = respond(stream, &registry) {
				tracing::debug!(error = %e, "metrics request failed");
			}
		}
	});
	Ok(bound)
}

fn respond(stream: TcpStream, registry: &Registry) -> std::io::Result<()> {
	let mut request_line = String::new();
	BufReader::new(&stream).read_line(&mut request_line)?;
	let (status, body) = if request_line.starts_with("GET /metrics") {
		("200 OK", Metrics::render(registry))
	} else {
		("404 Not Found", "not found; metrics are at /metrics\n".to_owned())
	};
	let mut stream = stream;
	write!(
		stream,
		"HTTP/1.1 {status}\r\nContent-Type: text/plain; version=0.0.4\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
		body.len()
	)
}

#[cfg(test)]
mod tests {
	use std::io::Read;

	use super::*;

	#[test]
	fn metrics_are_served_over_http() {
		let metrics = Metrics::default();
		metrics.rounds.inc();
		metrics.model_loss.get_or_create(&ModelLabels { uid: 3 }).set(2.5);
		metrics.last_commit_block.set(42);
		let addr = serve("127.0.0.1:0".parse().expect("addr"), metrics.registry()).expect("bind");
		let get = |path: &str| {
			let mut stream = TcpStream::connect(addr).expect("connect");
			write!(stream, "GET {path} HTTP/1.1\r\nHost: x\r\n\r\n").expect("write");
			let mut response = String::new();
			stream.read_to_string(&mut response).expect("read");
			response
		};
		let body = get("/metrics");
		assert!(body.starts_with("HTTP/1.1 200 OK"), "{body}");
		assert!(body.contains("galton_eval_rounds_total 1"), "{body}");
		assert!(body.contains("galton_eval_model_loss{uid=\"3\"} 2.5"), "{body}");
		assert!(body.contains("galton_eval_last_commit_block 42"), "{body}");
		assert!(get("/").starts_with("HTTP/1.1 404"));
	}
}
