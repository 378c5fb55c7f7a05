//! The node's beacon service: pulses reach the chain only as the block author's inherent, never
//! through the transaction pool (a flood of pulses over RPC is refused before any signature is
//! verified, and transfers keep landing); with `--beacon-relay`, against drand-style relays
//! served by the test on loopback, pulses that verify against the chain's beacon key are
//! stored, in order, the relays tried in the order given; a hostile relay's pulses never reach
//! the chain.

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

use galton_e2e::{free_port, Node, RpcError};
use galton_runtime::{Runtime, RuntimeCall, RuntimeEvent, UncheckedExtrinsic};
use galton_timelock::DevBeacon;
use polkadot_sdk::{
	pallet_balances,
	sp_core::hexdisplay::HexDisplay,
	sp_keyring::Sr25519Keyring,
	sp_runtime::{
		generic::Preamble,
		transaction_validity::{InvalidTransaction, TransactionValidityError},
	},
};

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
		let slot = pallet_beacon::slot_of(round, galton_runtime::configs::BEACON_HISTORY_DEPTH);
		let key = pallet_beacon::Pulses::<Runtime>::hashed_key_for(slot);
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

/// How many bad pulses the flood test submits.
const FLOOD: u64 = 200;

/// `rounds` of `beacon` as one `store_pulses` call.
fn pulse_call(beacon: &DevBeacon, rounds: impl Iterator<Item = u64>) -> RuntimeCall {
	let pulses: Vec<_> = rounds.map(|round| beacon.pulse(round)).collect();
	RuntimeCall::Beacon(pallet_beacon::Call::store_pulses {
		pulses: pallet_beacon::PulsesOf::<Runtime>::truncate_from(pulses),
	})
}

#[test]
fn pulses_ride_in_blocks_and_a_flood_of_pulses_over_rpc_costs_the_node_nothing() {
	let node = Node::start(BLOCK_MS);
	let chain = node.chain();
	let first = chain.wait_for("a pulse", ROUNDS, |_| latest_round(&node));
	// The pulse came in a block as the author's inherent: a bare extrinsic, which every client
	// decodes (no general transaction).
	let carried = chain.wait_for("a block carrying a pulse", ROUNDS, |chain| {
		let best = chain.best_number().ok()?;
		(1..=best).find_map(|number| {
			let extrinsics = chain.extrinsics(chain.block_hash(number).ok()?).ok()?;
			extrinsics.into_iter().find(|xt| {
				matches!(
					&xt.function,
					RuntimeCall::Beacon(pallet_beacon::Call::store_pulses { .. })
				)
			})
		})
	});
	assert!(matches!(carried.preamble, Preamble::Bare(_)), "{:?}", carried.preamble);

	// A flood of well-formed pulses, forged and genuine, bare and signed: the runtime refuses
	// every one as a mandatory call (`Executive` answers that before any extension or call
	// check runs, so no pairing is ever computed for them), the node's RPC refuses them as
	// invalid, and nothing enters the pool.
	let forger = DevBeacon::from_seed(b"a flooder");
	let genuine = DevBeacon::development();
	let mandatory = Err(TransactionValidityError::from(InvalidTransaction::MandatoryValidation));
	for i in 0..FLOOD {
		let beacon = if i % 2 == 0 { &forger } else { &genuine };
		let call = pulse_call(beacon, first + 1 + i..first + 5 + i);
		let bare = UncheckedExtrinsic::new_bare(call.clone());
		if i < 4 {
			assert_eq!(chain.validate(&bare).expect("the runtime answers"), mandatory);
		}
		match chain.submit_encoded(&bare) {
			Err(RpcError::Call { code: 1010, .. }) => {}
			other => panic!("a pulse over RPC was not refused as invalid: {other:?}"),
		}
		if i % 20 == 0 {
			match chain.submit(Sr25519Keyring::Charlie, call) {
				Err(RpcError::Call { code: 1010, .. }) => {}
				other => panic!("a signed pulse was not refused as invalid: {other:?}"),
			}
		}
	}
	let pending: Vec<String> =
		chain.rpc().call("author_pendingExtrinsics", serde_json::json!([])).expect("the pool");
	assert!(pending.is_empty(), "the pool holds {} of them", pending.len());

	// Transfers keep landing, and pulses keep coming from the node's own beacon service.
	let start = chain.best_number().expect("best block");
	let transfer = RuntimeCall::Balances(pallet_balances::Call::transfer_keep_alive {
		dest: Sr25519Keyring::Dave.to_account_id().into(),
		value: 1_000,
	});
	chain.submit(Sr25519Keyring::Bob, transfer).expect("the pool takes the transfer");
	chain.wait_for("the transfer", ROUNDS, |chain| {
		let best = chain.best_number().ok()?;
		let events = chain.events_between(start + 1, best).ok()?;
		events
			.iter()
			.any(|event| {
				matches!(event, RuntimeEvent::Balances(pallet_balances::Event::Transfer { .. }))
			})
			.then_some(())
	});
	chain.wait_for("a later pulse", ROUNDS, |_| {
		latest_round(&node).filter(|latest| *latest > first)
	});
}

#[test]
fn relays_are_tried_in_the_order_given() {
	// Nobody listens on the first relay's port; the second serves the chain's beacon.
	let dead = format!("http://127.0.0.1:{}", free_port());
	let (url, served) = relay(DevBeacon::development());
	let node = Node::start_with(BLOCK_MS, &["--beacon-relay", &dead, "--beacon-relay", &url]);
	let first = node.chain().wait_for("a relayed pulse", ROUNDS, |_| latest_round(&node));
	node.chain().wait_for("a second round", ROUNDS, |_| {
		latest_round(&node).filter(|latest| *latest > first)
	});
	assert!(served.load(Ordering::SeqCst) >= 2);
	assert!(
		node.log().contains(&format!("relaying pulses from {dead}, then {url}")),
		"{}",
		node.log()
	);
}
