//! A drand HTTP relay: `GET <url>/public/<round>` answers a round's pulse as JSON,
//! `{"round": 1000, "randomness": "…", "signature": "b446…"}` (drand's v1 API; `url` names the
//! beacon's chain, e.g. `https://api.drand.sh/52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971`
//! for quicknet).
//!
//! A relay is not trusted: every pulse it serves is verified against the chain's beacon key
//! before it is submitted, its answer is read up to [`MAX_RESPONSE_BYTES`], and each request
//! gives up after [`REQUEST_TIMEOUT`].

use galton_timelock::{BeaconSignature, Pulse};
use std::time::Duration;

/// The most bytes of a relay's answer that are read; a pulse takes about 250.
pub const MAX_RESPONSE_BYTES: u64 = 4 * 1024;

/// How long one request may take.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(5);

/// Why a relay gave no pulse.
#[derive(Debug, thiserror::Error)]
pub enum RelayError {
	/// The request failed (network, TLS, an HTTP error other than "not yet").
	#[error("the relay could not be read: {0}")]
	Http(String),
	/// The answer is not a drand pulse in JSON.
	#[error("the relay's answer is not a drand pulse: {0}")]
	Malformed(String),
	/// The pulse does not verify against the chain's beacon key: a hostile relay, or one that
	/// serves another beacon.
	#[error("the pulse of round {0} does not verify against the chain's beacon key")]
	DoesNotVerify(u64),
	/// The answer is a pulse of another round.
	#[error("asked for round {asked}, the relay answered round {answered}")]
	WrongRound {
		/// The round asked for.
		asked: u64,
		/// The round in the answer.
		answered: u64,
	},
}

/// A drand relay's base URL for one beacon.
#[derive(Clone, Debug)]
pub struct Relay {
	url: String,
	agent: ureq::Agent,
}

impl Relay {
	/// A relay at `url` (`http://` or `https://`, the beacon's chain hash included).
	pub fn new(url: &str) -> Self {
		let agent = ureq::Agent::config_builder().timeout_global(Some(REQUEST_TIMEOUT)).build();
		Self { url: url.trim_end_matches('/').to_owned(), agent: agent.into() }
	}

	/// The base URL.
	pub fn url(&self) -> &str {
		&self.url
	}

	/// The pulse of `round`; `None` while the relay does not have it yet (drand answers 425
	/// "too early", some relays 404).
	pub fn pulse(&self, round: u64) -> Result<Option<Pulse>, RelayError> {
		let answer = match self.agent.get(format!("{}/public/{round}", self.url)).call() {
			Ok(answer) => answer,
			Err(ureq::Error::StatusCode(404 | 425)) => return Ok(None),
			Err(error) => return Err(RelayError::Http(error.to_string())),
		};
		let body = answer
			.into_body()
			.with_config()
			.limit(MAX_RESPONSE_BYTES)
			.read_to_string()
			.map_err(|error| RelayError::Http(error.to_string()))?;
		parse_pulse(&body, round).map(Some)
	}
}

/// A drand pulse as JSON; other fields (`randomness`, a chained beacon's
/// `previous_signature`) are ignored.
#[derive(serde::Deserialize)]
struct DrandPulse {
	round: u64,
	signature: BeaconSignature,
}

/// The pulse of `round` in a relay's answer `body`. Its signature is not checked here.
pub fn parse_pulse(body: &str, round: u64) -> Result<Pulse, RelayError> {
	let pulse: DrandPulse =
		serde_json::from_str(body).map_err(|error| RelayError::Malformed(error.to_string()))?;
	if pulse.round != round {
		return Err(RelayError::WrongRound { asked: round, answered: pulse.round });
	}
	Ok(Pulse { round, signature: pulse.signature })
}

/// A `--beacon-relay` value: an `http://` or `https://` URL.
pub fn parse_relay_url(text: &str) -> Result<String, String> {
	let rest = text
		.strip_prefix("https://")
		.or_else(|| text.strip_prefix("http://"))
		.ok_or_else(|| format!("{text:?} is not an http:// or https:// URL"))?;
	if rest.trim_end_matches('/').is_empty() || rest.chars().any(char::is_whitespace) {
		return Err(format!("{text:?} names no host"));
	}
	Ok(text.to_owned())
}

#[cfg(test)]
mod tests {
	use super::*;
	use galton_timelock::{verify_pulse, QUICKNET};

	/// drand quicknet's answer for round 1000, as `api.drand.sh` serves it.
	const QUICKNET_1000: &str = r#"{"round":1000,"randomness":"fe290beca10872ef2fb164d2aa4442de4566183ec51c56ff3cd603d930e54fdd","signature":"b44679b9a59af2ec876b1a6b1ad52ea9b1615fc3982b19576350f93447cb1125e342b73a8dd2bacbe47e4b6b63ed5e39"}"#;

	#[test]
	fn drands_answer_for_quicknet_round_1000_parses_and_verifies() {
		let pulse = parse_pulse(QUICKNET_1000, 1000).expect("a pulse");
		assert_eq!(pulse.round, 1000);
		assert!(verify_pulse(&QUICKNET.public_key, 1000, &pulse.signature).is_ok());
	}

	#[test]
	fn an_answer_for_another_round_is_refused() {
		assert!(matches!(
			parse_pulse(QUICKNET_1000, 1001),
			Err(RelayError::WrongRound { asked: 1001, answered: 1000 })
		));
	}

	#[test]
	fn malformed_answers_are_refused() {
		for body in [
			"",
			"<html>rate limited</html>",
			r#"{"round":1000}"#,
			r#"{"round":1000,"signature":"b446"}"#,
			r#"{"round":"1000","signature":"b44679b9a59af2ec876b1a6b1ad52ea9b1615fc3982b19576350f93447cb1125e342b73a8dd2bacbe47e4b6b63ed5e39"}"#,
			r#"{"round":1000,"signature":"zz4679b9a59af2ec876b1a6b1ad52ea9b1615fc3982b19576350f93447cb1125e342b73a8dd2bacbe47e4b6b63ed5e39"}"#,
		] {
			assert!(
				matches!(parse_pulse(body, 1000), Err(RelayError::Malformed(_))),
				"{body:?} was accepted"
			);
		}
	}

	#[test]
	fn relay_urls_must_be_http_with_a_host() {
		assert!(parse_relay_url("https://api.drand.sh/52db9ba7").is_ok());
		assert!(parse_relay_url("http://127.0.0.1:8080").is_ok());
		for bad in ["api.drand.sh", "ftp://relay", "https://", "https:///", "https://a b"] {
			assert!(parse_relay_url(bad).is_err(), "{bad:?} was accepted");
		}
	}

	/// A relay on a loopback port that answers every request with `response` (raw HTTP).
	fn serve(response: String) -> Relay {
		use std::io::{BufRead, BufReader, Write};
		let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a loopback port");
		let url = format!("http://{}", listener.local_addr().expect("its address"));
		std::thread::spawn(move || {
			for mut stream in listener.incoming().flatten() {
				let mut line = String::new();
				let _ = BufReader::new(&stream).read_line(&mut line);
				let _ = stream.write_all(response.as_bytes());
			}
		});
		Relay::new(&url)
	}

	fn answer(status: &str, body: &str) -> String {
		format!(
			"HTTP/1.1 {status}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
			body.len()
		)
	}

	#[test]
	fn a_round_the_relay_does_not_have_yet_is_no_pulse_and_no_error() {
		for status in ["425 Too Early", "404 Not Found"] {
			assert!(matches!(serve(answer(status, "")).pulse(1000), Ok(None)), "{status}");
		}
		assert!(matches!(
			serve(answer("500 Internal Server Error", "")).pulse(1000),
			Err(RelayError::Http(_))
		));
	}

	#[test]
	fn a_relay_answer_is_read_and_parsed() {
		let relay = serve(answer("200 OK", QUICKNET_1000));
		assert_eq!(relay.pulse(1000).expect("read").map(|pulse| pulse.round), Some(1000));
	}

	#[test]
	fn an_oversized_answer_is_refused_without_reading_it_all() {
		let huge = format!(r#"{{"round":1000,"padding":"{}"}}"#, "x".repeat(1 << 20));
		assert!(matches!(serve(answer("200 OK", &huge)).pulse(1000), Err(RelayError::Http(_))));
	}

	#[test]
	fn a_relay_strips_a_trailing_slash() {
		assert_eq!(Relay::new("https://relay.example/abc/").url(), "https://relay.example/abc");
	}
}
