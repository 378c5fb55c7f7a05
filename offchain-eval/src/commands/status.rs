//! `galton-eval status`: a subnet's owner, commit-reveal and claim settings, competitions,
//! neurons with their weights, models, the timelocked commits waiting for their beacon round,
//! and this key's pending commits and announcements; as text or as JSON.

use std::io::Write;

use crate::commands::schedule::{format_competition, format_percent, format_schedule};
use galton_eval::chain::{
	BeaconState, Chain, Keypair, MinerStanding, SubnetOverview, ValidatorStanding,
};
use galton_primitives::{ClaimConfig, Competition, CompetitionId, RevealConfig, RevealMode, Uid};
use serde::Serialize;
use sp_arithmetic::Perbill;

use super::chain_args::{runtime, ChainArgs};

/// Show a subnet's settings, competitions, neurons, models (with their epsilon now) and, with
/// a key, that key's standing and pending commits.
#[derive(Debug, clap::Args)]
pub struct Opts {
	/// The subnet.
	#[arg(long)]
	netuid: u16,
	/// Print JSON (fractions in parts per billion) instead of text.
	#[arg(long)]
	json: bool,
	#[command(flatten)]
	chain: ChainArgs,
}

/// The subnet as `--json` prints it.
#[derive(Debug, Serialize)]
struct Status {
	netuid: u16,
	/// The finalized block read.
	block: u32,
	owner: String,
	reveal_config: RevealConfig<u32>,
	reveal_mode: RevealMode,
	claim_config: ClaimConfig<u32>,
	model_commit_interval: u32,
	weights_version_key: u64,
	competitions: Vec<CompetitionStatus>,
	neurons: Vec<NeuronStatus>,
	models: Vec<ModelStatus>,
	/// The chain's randomness beacon, if it has one.
	beacon: Option<BeaconStatus>,
	/// The timelocked commits waiting for their round, in the order they open.
	timelocked_commits: Vec<TimelockedStatus>,
	/// The key given, if one was.
	key: Option<KeyStatus>,
}

#[derive(Debug, Serialize)]
struct CompetitionStatus {
	id: CompetitionId,
	/// The schedule as `score --schedule` takes it.
	schedule: String,
	#[serde(flatten)]
	competition: Competition,
}

#[derive(Debug, Serialize)]
struct NeuronStatus {
	uid: Uid,
	hotkey: String,
	validator_permit: bool,
	/// The weights it last set, as `[uid, weight]`.
	weights: Vec<(Uid, u16)>,
}

#[derive(Debug, Serialize)]
struct ModelStatus {
	uid: Option<Uid>,
	hotkey: String,
	competition: CompetitionId,
	repo: String,
	revision: String,
	content_hash: String,
	committed_at: u32,
	epsilon: Perbill,
}

#[derive(Debug, Serialize)]
struct BeaconStatus {
	/// Which beacon: `development` (its secret key is public), `drand-quicknet`, or `other`.
	kind: &'static str,
	public_key: String,
	/// Unix time, in seconds, of round one.
	genesis_time: u64,
	/// Seconds between rounds.
	period: u32,
	/// The highest round with a stored pulse.
	latest_round: Option<u64>,
	/// The latest round due by the chain's clock at the block read.
	due_round: u64,
}

#[derive(Debug, Serialize)]
struct TimelockedStatus {
	validator: String,
	uid: Option<Uid>,
	committed_at: u32,
	reveal_round: u64,
	/// Seconds from the block read until the round's pulse is due (0: due now); the weights
	/// are applied in the first block after the pulse is stored.
	opens_in_secs: u64,
}

#[derive(Debug, Serialize)]
struct KeyStatus {
	address: String,
	uid: Option<Uid>,
	validator_permit: bool,
	pending_commits: Vec<PendingStatus>,
	announcements: Vec<AnnouncementStatus>,
}

#[derive(Debug, Serialize)]
struct PendingStatus {
	hash: String,
	committed_at: u32,
	reveal_from: u32,
	expires_at: u32,
}

#[derive(Debug, Serialize)]
struct AnnouncementStatus {
	binding: String,
	competition: CompetitionId,
	announced_at: u32,
	reveal_from: u32,
	expires_at: u32,
}

fn hex32(bytes: [u8; 32]) -> String {
	format!("0x{}", hex::encode(bytes))
}

impl Status {
	async fn read(chain: &Chain, netuid: u16, key: Option<&Keypair>) -> anyhow::Result<Self> {
		let SubnetOverview { state, owner, neurons, beacon, timelocked } =
			SubnetOverview::read(chain, netuid).await?;
		let key = match key {
			Some(key) => Some(KeyStatus::read(chain, netuid, key).await?),
			None => None,
		};
		Ok(Self {
			netuid,
			block: state.block,
			owner: owner.to_string(),
			reveal_config: state.reveal_config,
			reveal_mode: state.reveal_mode,
			claim_config: state.claim_config,
			model_commit_interval: state.model_commit_interval,
			weights_version_key: state.version_key,
			competitions: state
				.competitions
				.into_iter()
				.map(|(id, competition)| CompetitionStatus {
					id,
					schedule: format_schedule(&competition.epsilon),
					competition,
				})
				.collect(),
			neurons: neurons
				.into_iter()
				.map(|n| NeuronStatus {
					uid: n.uid,
					hotkey: n.hotkey.to_string(),
					validator_permit: n.permit,
					weights: n.weights,
				})
				.collect(),
			models: state
				.models
				.into_iter()
				.map(|m| ModelStatus {
					uid: m.uid,
					hotkey: m.hotkey.to_string(),
					competition: m.commitment.competition,
					repo: String::from_utf8_lossy(&m.commitment.repo).into_owned(),
					revision: String::from_utf8_lossy(&m.commitment.revision).into_owned(),
					content_hash: hex32(m.commitment.content_hash.0),
					committed_at: m.commitment.committed_at,
					epsilon: m.epsilon,
				})
				.collect(),
			timelocked_commits: timelocked
				.into_iter()
				.map(|c| TimelockedStatus {
					validator: c.validator.to_string(),
					uid: c.uid,
					committed_at: c.committed_at,
					reveal_round: c.reveal_round,
					opens_in_secs: beacon.as_ref().map_or(0, |b| b.seconds_until(c.reveal_round)),
				})
				.collect(),
			beacon: beacon.map(|BeaconState { info, latest_round, now_ms }| BeaconStatus {
				kind: beacon_kind(&info),
				public_key: format!("0x{}", hex::encode(info.public_key.0)),
				genesis_time: info.schedule.genesis_time,
				period: info.schedule.period,
				latest_round,
				due_round: info.schedule.round_at(now_ms / 1000),
			}),
			key,
		})
	}

	fn print(&self, out: &mut impl Write) -> std::io::Result<()> {
		let rc = &self.reveal_config;
		writeln!(
			out,
			"subnet {} at finalized block {}, owner {}",
			self.netuid, self.block, self.owner
		)?;
		writeln!(
			out,
			"commit-reveal: {}, reveal delay {} blocks, window {} blocks, one commit per {} blocks; \
			 weights version key {}",
			if rc.enabled { "on" } else { "off" },
			rc.reveal_delay,
			rc.reveal_window,
			rc.min_commit_interval(),
			self.weights_version_key
		)?;
		match self.reveal_mode {
			RevealMode::Hash => {
				writeln!(out, "reveal mode: hash commits, revealed by the validator")?
			}
			RevealMode::Timelock { rounds_ahead } => writeln!(
				out,
				"reveal mode: timelock, sealed at least {rounds_ahead} beacon rounds ahead, revealed \
				 by the chain"
			)?,
		}
		match &self.beacon {
			Some(b) => writeln!(
				out,
				"beacon: {}, latest round {}, round {} due by the chain's clock, one round every {} s",
				match b.kind {
					"development" => "development (INSECURE: its secret key is public)",
					kind => kind,
				},
				b.latest_round.map_or_else(|| "none yet".to_owned(), |r| r.to_string()),
				b.due_round,
				b.period
			)?,
			None => writeln!(out, "beacon: none (timelocked commits cannot open)")?,
		}
		writeln!(
			out,
			"model claims: commit from {} blocks after the announcement, for {} blocks; one model \
			 commit per {} blocks",
			self.claim_config.reveal_delay,
			self.claim_config.reveal_window,
			self.model_commit_interval
		)?;
		writeln!(out, "competitions:")?;
		for c in &self.competitions {
			writeln!(out, "  {}: {}", c.id, format_competition(&c.competition))?;
		}
		writeln!(out, "neurons:")?;
		for n in &self.neurons {
			writeln!(
				out,
				"  uid {:>4} {}{}{}",
				n.uid,
				n.hotkey,
				if n.validator_permit { ", validator permit" } else { "" },
				if n.weights.is_empty() {
					String::new()
				} else {
					format!(", weights {:?}", n.weights)
				}
			)?;
		}
		writeln!(out, "models:")?;
		for m in &self.models {
			writeln!(
				out,
				"  uid {:>4} {} competition {} {}@{} {} committed at {}, epsilon now {}",
				m.uid.map_or_else(|| "-".to_owned(), |u| u.to_string()),
				m.hotkey,
				m.competition,
				m.repo,
				m.revision,
				m.content_hash,
				m.committed_at,
				format_percent(m.epsilon)
			)?;
		}
		if !self.timelocked_commits.is_empty() {
			writeln!(out, "timelocked commits:")?;
		}
		for c in &self.timelocked_commits {
			writeln!(
				out,
				"  uid {:>4} {} committed at {}, opens at beacon round {} ({})",
				c.uid.map_or_else(|| "-".to_owned(), |u| u.to_string()),
				c.validator,
				c.committed_at,
				c.reveal_round,
				match c.opens_in_secs {
					0 => "due now".to_owned(),
					secs => format!("in about {secs} s"),
				}
			)?;
		}
		if let Some(key) = &self.key {
			key.print(out)?;
		}
		Ok(())
	}
}

impl KeyStatus {
	async fn read(chain: &Chain, netuid: u16, key: &Keypair) -> anyhow::Result<Self> {
		let standing = ValidatorStanding::read(chain, netuid, &key.account_id()).await?;
		let miner = MinerStanding::read(chain, netuid, &key.account_id()).await?;
		Ok(Self {
			address: key.address(),
			uid: standing.uid,
			validator_permit: standing.permit,
			pending_commits: standing
				.pending
				.into_iter()
				.map(|c| PendingStatus {
					hash: hex32(c.hash.0),
					committed_at: c.committed_at,
					reveal_from: c.reveal_from,
					expires_at: c.expires_at,
				})
				.collect(),
			announcements: miner
				.announcements
				.into_iter()
				.map(|a| AnnouncementStatus {
					binding: hex32(a.binding.0),
					competition: a.competition,
					announced_at: a.announced_at,
					reveal_from: a.reveal_from,
					expires_at: a.expires_at,
				})
				.collect(),
		})
	}

	fn print(&self, out: &mut impl Write) -> std::io::Result<()> {
		writeln!(
			out,
			"{}: uid {}, validator permit {}",
			self.address,
			self.uid.map_or_else(|| "none (not registered)".to_owned(), |u| u.to_string()),
			if self.validator_permit { "yes" } else { "no" }
		)?;
		for c in &self.pending_commits {
			writeln!(
				out,
				"  pending commit {} made at {}, reveal in [{}, {})",
				c.hash, c.committed_at, c.reveal_from, c.expires_at
			)?;
		}
		for a in &self.announcements {
			writeln!(
				out,
				"  announcement {} for competition {} made at {}, commit in [{}, {})",
				a.binding, a.competition, a.announced_at, a.reveal_from, a.expires_at
			)?;
		}
		Ok(())
	}
}

/// Read and print.
pub fn run(opts: Opts, out: &mut impl Write) -> anyhow::Result<()> {
	let key = opts.chain.has_key().then(|| opts.chain.keypair()).transpose()?;
	runtime()?.block_on(async {
		let chain = opts.chain.connect().await?;
		let status = Status::read(&chain, opts.netuid, key.as_ref()).await?;
		if opts.json {
			serde_json::to_writer_pretty(&mut *out, &status)?;
			writeln!(out)?;
		} else {
			status.print(out)?;
		}
		Ok(())
	})
}

/// Which beacon `info` is, in the words `status` uses.
fn beacon_kind(info: &galton_timelock::BeaconInfo) -> &'static str {
	if info.public_key == galton_timelock::DevBeacon::development().public_key() {
		"development"
	} else if info.public_key == galton_timelock::QUICKNET.public_key {
		"drand-quicknet"
	} else {
		"other"
	}
}
