//! The HTTP endpoint that serves the metrics, built on hyper with limits on what one client
//! may cost: a deadline for the request head and for the whole connection, a cap on the head's
//! size, no request bodies, one request per connection and a fixed number of connections at
//! once (the others wait in the listen backlog). A slow or hostile scraper ties up one slot
//! for a few seconds at most and never the validator, which runs on other threads.

use std::{convert::Infallible, net::SocketAddr, sync::Arc, time::Duration};

use http_body_util::Full;
use hyper::{
	body::{Body, Bytes, Incoming},
	header, Method, Request, Response, StatusCode,
};
use hyper_util::rt::{TokioIo, TokioTimer};
use prometheus_client::registry::Registry;
use tokio::{net::TcpListener, sync::Semaphore};

use super::Metrics;

/// The largest request head read (hyper's smallest buffer; a scrape needs a few hundred bytes).
const MAX_REQUEST_HEAD: usize = 8192;

/// What one client of the metrics endpoint may cost.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ServerLimits {
	/// Time a client has to send its request head once connected.
	pub header_timeout: Duration,
	/// Time a connection may stay open in all, response included.
	pub connection_timeout: Duration,
	/// Connections served at once.
	pub max_connections: usize,
}

impl Default for ServerLimits {
	fn default() -> Self {
		Self {
			header_timeout: Duration::from_secs(5),
			connection_timeout: Duration::from_secs(10),
			max_connections: 8,
		}
	}
}

/// Serve `registry` at `http://addr/metrics` with the default limits, on a thread of its own;
/// returns the bound address (port 0 picks a free port).
pub fn serve(addr: SocketAddr, registry: Registry) -> std::io::Result<SocketAddr> {
	serve_with(addr, registry, ServerLimits::default())
}

/// Serve `registry` at `http://addr/metrics` with `limits`, on a thread of its own; returns
/// the bound address. Binding happens before this returns, so a taken port is reported here.
pub fn serve_with(
	addr: SocketAddr,
	registry: Registry,
	limits: ServerLimits,
) -> std::io::Result<SocketAddr> {
	let listener = std::net::TcpListener::bind(addr)?;
	listener.set_nonblocking(true)?;
	let bound = listener.local_addr()?;
	let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
	std::thread::Builder::new().name("galton-metrics".into()).spawn(move || {
		runtime.block_on(async move {
			match TcpListener::from_std(listener) {
				Ok(listener) => accept(listener, Arc::new(registry), limits).await,
				Err(e) => tracing::error!(error = %e, "metrics endpoint stopped"),
			}
		})
	})?;
	Ok(bound)
}

async fn accept(listener: TcpListener, registry: Arc<Registry>, limits: ServerLimits) {
	let slots = Arc::new(Semaphore::new(limits.max_connections.max(1)));
	loop {
		// A slot first, then the connection: past the cap, clients wait in the backlog.
		let Ok(slot) = slots.clone().acquire_owned().await else { return };
		let stream = match listener.accept().await {
			Ok((stream, _)) => stream,
			Err(e) => {
				tracing::debug!(error = %e, "metrics connection not accepted");
				continue;
			}
		};
		let registry = registry.clone();
		tokio::spawn(async move {
			let connection = hyper::server::conn::http1::Builder::new()
				.timer(TokioTimer::new())
				.header_read_timeout(limits.header_timeout)
				.max_buf_size(MAX_REQUEST_HEAD)
				.keep_alive(false)
				.serve_connection(
					TokioIo::new(stream),
					hyper::service::service_fn(|request| {
						let response = respond(&request, &registry);
						async move { Ok::<_, Infallible>(response) }
					}),
				);
			match tokio::time::timeout(limits.connection_timeout, connection).await {
				Ok(Ok(())) => {}
				Ok(Err(e)) => tracing::debug!(error = %e, "metrics request failed"),
				Err(_) => tracing::debug!("metrics connection timed out"),
			}
			drop(slot);
		});
	}
}

/// The response to one request: the metrics for `GET /metrics`, an error status otherwise.
fn respond(request: &Request<Incoming>, registry: &Registry) -> Response<Full<Bytes>> {
	let reply = |status: StatusCode, body: String| {
		let mut response = Response::new(Full::new(Bytes::from(body)));
		*response.status_mut() = status;
		response
	};
	if !request.body().is_end_stream() {
		return reply(StatusCode::PAYLOAD_TOO_LARGE, "requests carry no body\n".into());
	}
	if request.method() != Method::GET && request.method() != Method::HEAD {
		let mut response =
			reply(StatusCode::METHOD_NOT_ALLOWED, "only GET and HEAD are served\n".into());
		response.headers_mut().insert(header::ALLOW, header::HeaderValue::from_static("GET, HEAD"));
		return response;
	}
	if request.uri().path() != "/metrics" {
		return reply(StatusCode::NOT_FOUND, "not found; metrics are at /metrics\n".into());
	}
	let mut response = reply(StatusCode::OK, Metrics::render(registry));
	response.headers_mut().insert(
		header::CONTENT_TYPE,
		header::HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8"),
	);
	response
}

#[cfg(test)]
mod tests {
	use std::{
		io::{Read, Write},
		net::TcpStream,
	};

	use super::*;

	fn limits() -> ServerLimits {
		ServerLimits {
			header_timeout: Duration::from_millis(300),
			connection_timeout: Duration::from_secs(2),
			max_connections: 2,
		}
	}

	fn start() -> SocketAddr {
		let metrics = Metrics::default();
		metrics.rounds.inc();
		metrics.last_commit_block.set(42);
		serve_with("127.0.0.1:0".parse().expect("addr"), metrics.registry(), limits())
			.expect("bind")
	}

	/// Send `request` raw and read the whole response (the server closes every connection).
	fn exchange(addr: SocketAddr, request: &[u8]) -> String {
		let mut stream = TcpStream::connect(addr).expect("connect");
		stream.set_read_timeout(Some(Duration::from_secs(5))).expect("timeout");
		stream.write_all(request).expect("write");
		let mut response = String::new();
		let _ = stream.read_to_string(&mut response);
		response
	}

	fn get(addr: SocketAddr, path: &str) -> String {
		exchange(addr, format!("GET {path} HTTP/1.1\r\nHost: x\r\n\r\n").as_bytes())
	}

	#[test]
	fn metrics_are_served_and_nothing_else() {
		let addr = start();
		let body = get(addr, "/metrics");
		assert!(body.starts_with("HTTP/1.1 200 OK"), "{body}");
		assert!(body.contains("galton_eval_rounds_total 1"), "{body}");
		assert!(body.contains("galton_eval_last_commit_block 42"), "{body}");
		assert!(get(addr, "/").starts_with("HTTP/1.1 404"));
		let post =
			exchange(addr, b"POST /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n");
		assert!(post.starts_with("HTTP/1.1 405") && post.contains("allow: GET, HEAD"), "{post}");
	}

	#[test]
	fn a_request_body_or_an_oversized_head_is_refused() {
		let addr = start();
		let with_body =
			exchange(addr, b"GET /metrics HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello");
		assert!(with_body.starts_with("HTTP/1.1 413"), "{with_body}");
		let huge =
			format!("GET /metrics HTTP/1.1\r\nHost: x\r\nX-Pad: {}\r\n\r\n", "a".repeat(64 << 10));
		let response = exchange(addr, huge.as_bytes());
		assert!(response.starts_with("HTTP/1.1 431") || response.is_empty(), "{response}");
		assert!(get(addr, "/metrics").starts_with("HTTP/1.1 200"), "still serving");
	}

	#[test]
	fn slow_clients_are_cut_off_and_do_not_starve_the_scraper() {
		let addr = start();
		// More idle connections than there are slots, each sending half a request head.
		let idle: Vec<TcpStream> = (0..4)
			.map(|_| {
				let mut stream = TcpStream::connect(addr).expect("connect");
				stream.write_all(b"GET /metr").expect("write");
				stream
			})
			.collect();
		// Served once the idle ones miss their header deadline (the read gives up after 5 s).
		let body = get(addr, "/metrics");
		assert!(body.starts_with("HTTP/1.1 200"), "{body}");
		for mut stream in idle {
			stream.set_read_timeout(Some(Duration::from_secs(5))).expect("timeout");
			let mut rest = Vec::new();
			// The server closed the connection (possibly with a 408) rather than wait.
			assert!(stream.read_to_end(&mut rest).is_ok(), "connection left open");
		}
	}
}
