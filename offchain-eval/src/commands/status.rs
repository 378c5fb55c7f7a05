//! `galton-eval status`: a subnet's commit-reveal and claim settings, competitions, models and
//! this key's pending commits and announcements.

use std::io::Write;

use galton_eval::{
	chain::{MinerStanding, SubnetState, ValidatorStanding},
	scoring::format_schedule,
};

use super::chain_args::{runtime, ChainArgs};

/// Show a subnet's settings, competitions, models (with their epsilon now) and, with `--key`,
/// that key's standing and pending commits.
#[derive(Debug, clap::Args)]
pub struct Opts {
	/// The subnet.
	#[arg(long)]
	netuid: u16,
	#[command(flatten)]
	chain: ChainArgs,
}

fn percent(p: sp_arithmetic::Perbill) -> String {
	format!("{:.4}%", f64::from(p.deconstruct()) / 1e7)
}

/// Read and print.
pub fn run(opts: Opts, out: &mut impl Write) -> anyhow::Result<()> {
	let key = opts.chain.key.as_ref().map(|_| opts.chain.keypair()).transpose()?;
	runtime()?.block_on(async {
		let chain = opts.chain.connect().await?;
		let state = SubnetState::read(&chain, opts.netuid).await?;
		let rc = state.reveal_config;
		writeln!(out, "subnet {} at finalized block {}", state.netuid, state.block)?;
		writeln!(
			out,
			"commit-reveal: {}, reveal delay {} blocks, window {} blocks, one commit per {} blocks; \
			 weights version key {}",
			if rc.enabled { "on" } else { "off" },
			rc.reveal_delay,
			rc.reveal_window,
			rc.min_commit_interval(),
			state.version_key
		)?;
		writeln!(
			out,
			"model claims: commit from {} blocks after the announcement, for {} blocks",
			state.claim_config.reveal_delay, state.claim_config.reveal_window
		)?;
		writeln!(out, "competitions:")?;
		for (id, c) in &state.competitions {
			writeln!(
				out,
				"  {id}: {}, reward share {}, metric {:?}, at most {} parameters",
				format_schedule(&c.epsilon),
				percent(c.reward_share),
				c.metric,
				c.max_params
			)?;
		}
		writeln!(out, "models:")?;
		for m in &state.models {
			let c = &m.commitment;
			writeln!(
				out,
				"  uid {:>4} {} competition {} {}@{} 0x{} committed at {}, epsilon now {}",
				m.uid.map_or_else(|| "-".to_owned(), |u| u.to_string()),
				m.hotkey,
				c.competition,
				String::from_utf8_lossy(&c.repo),
				String::from_utf8_lossy(&c.revision),
				hex::encode(c.content_hash.0),
				c.committed_at,
				percent(m.epsilon)
			)?;
		}
		if let Some(key) = key {
			let standing = ValidatorStanding::read(&chain, opts.netuid, &key.account_id()).await?;
			writeln!(
				out,
				"{}: uid {}, validator permit {}",
				key.address(),
				standing.uid.map_or_else(|| "none (not registered)".to_owned(), |u| u.to_string()),
				if standing.permit { "yes" } else { "no" }
			)?;
			writeln!(out, "  weights set: {:?}", standing.weights)?;
			for commit in standing.pending {
				writeln!(
					out,
					"  pending commit 0x{} made at {}, reveal in [{}, {})",
					hex::encode(commit.hash.0),
					commit.committed_at,
					commit.reveal_from,
					commit.expires_at
				)?;
			}
			let miner = MinerStanding::read(&chain, opts.netuid, &key.account_id()).await?;
			for a in miner.announcements {
				writeln!(
					out,
					"  announcement 0x{} for competition {} made at {}, commit in [{}, {})",
					hex::encode(a.binding.0),
					a.competition,
					a.announced_at,
					a.reveal_from,
					a.expires_at
				)?;
			}
		}
		Ok(())
	})
}
