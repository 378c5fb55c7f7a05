//! The node's beacon service with `--beacon-relay`, against a drand-style relay served by the
//! test on loopback: pulses that verify against the chain's beacon key are stored, in order;
//! a hostile relay's pulses never reach the chain.

use std::{
	io::{BufRead, BufReader, Write},
	net::TcpListener,
	sync::{
		atomic::{AtomicU32, Ordering},
		Arc,
	},
	thread,
	time::Duration,
};

use galton_e2e::Node;
use galton_runtime::Runtime;
use galton_timelock::DevBeacon;
use polkadot_sdk::sp_core::hexdisplay::HexDisplay;

/// Block time of these devnets.
const BLOCK_MS: u64 = 500;
/// A bound for a few beacon rounds (3 s each on the devnet).
const ROUNDS: Duration = Duration::from_secs(60);

/// Serve `GET /public/<round>` on a loopback port with `beacon`'s pulse of that round, as a
/// drand relay answers; returns the relay's URL and a count of the requests it answered.
fn relay(beacon: DevBeacon) -> (String, Arc<AtomicU32>) {
	let listener = TcpListener::bind("127.0.0.1:0").expect("a loopback port");
	let url = format!("http://{}", listener.local_addr().expect("its address"));
	let served = Arc::new(AtomicU32::new(0));
	let count = served.clone();
	thread::spawn(move || {
		for stream in listener.incoming() {
			let Ok(mut stream) = stream else { continue };
			let mut request = String::new();
			if BufReader::new(&stream).read_line(&mut request).is_err() {
				continue;
			}
			let round = request
				.split_whitespace()
				.nth(1)
				.and_then(|path| path.strip_prefix("/public/"))
				.and_then(|round| round.parse::<u64>().ok());
			let response = match round {
				Some(round) => {
					let pulse = beacon.pulse(round);
					let body = format!(
						r#"{{"round":{round},"randomness":"00","signature":"{}"}}"#,
						HexDisplay::from(&pulse.signature.0)
					);
					count.fetch_add(1, Ordering::SeqCst);
					format!(
						"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
						body.len()
					)
				}
				None => "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
					.to_owned(),
			};
			let _ = stream.write_all(response.as_bytes());
		}
	});
	(url, served)
}

fn latest_round(node: &Node) -> Option<u64> {
	let key = pallet_beacon::LatestRound::<Runtime>::hashed_key();
	node.chain().storage(&key, None).expect("storage read")
}

#[test]
fn pulses_from_a_relay_are_stored_in_order() {
	let (url, served) = relay(DevBeacon::development());
	let node = Node::start_with(BLOCK_MS, &["--beacon-relay", &url]);
	let first = node.chain().wait_for("a relayed pulse", ROUNDS, |_| latest_round(&node));
	let later = node.chain().wait_for("two more rounds", ROUNDS, |_| {
		latest_round(&node).filter(|latest| *latest >= first + 2)
	});
	assert!(
		u64::from(served.load(Ordering::SeqCst)) > later - first,
		"every stored round was served"
	);
	let slot = |round: u64| {
		let key = pallet_beacon::Pulses::<Runtime>::hashed_key_for((round % 1_200) as u32);
		node.chain().storage::<galton_timelock::Pulse>(&key, None).expect("storage read")
	};
	for round in first..=later {
		assert_eq!(slot(round).map(|pulse| pulse.round), Some(round), "round {round} skipped");
	}
	assert!(node.log().contains("relaying pulses from http://127.0.0.1"), "{}", node.log());
}

#[test]
fn a_hostile_relays_pulses_never_reach_the_chain() {
	let (url, served) = relay(DevBeacon::from_seed(b"not the chain's beacon"));
	let node = Node::start_with(BLOCK_MS, &["--beacon-relay", &url]);
	node.chain().wait_for("the relay to be asked twice", ROUNDS, |_| {
		(served.load(Ordering::SeqCst) >= 2).then_some(())
	});
	thread::sleep(Duration::from_secs(2));
	assert_eq!(latest_round(&node), None, "a pulse signed by another key was stored");
	assert!(
		node.log().contains("does not verify against the chain's beacon key"),
		"{}",
		node.log()
	);
}
