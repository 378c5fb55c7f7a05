//! Prometheus metrics of the validator loop, served on `--prometheus-port` at `/metrics`.
//!
//! A model's loss is published only once the round's weights are revealed (or set, on a subnet
//! without commit-reveal): before that, the losses are the ranking the commit hides, and a
//! scraper must not read them.

mod server;

use std::sync::atomic::AtomicU64;

use galton_primitives::Uid;
use prometheus_client::{
	encoding::{text::encode, EncodeLabelSet},
	metrics::{counter::Counter, family::Family, gauge::Gauge},
	registry::Registry,
};

pub use server::{serve, serve_with, ServerLimits};

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
	/// Each model's mean loss in the last round whose weights are public (`+Inf` when it
	/// failed). Written by [`Metrics::publish_losses`] only.
	model_loss: Family<ModelLabels, Gauge<f64, AtomicU64>>,
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
			"Mean loss of each model in the last round whose weights are revealed",
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

	/// Replace the exported losses with a round's, once its weights are public on chain.
	pub fn publish_losses(&self, losses: impl IntoIterator<Item = (Uid, f64)>) {
		self.model_loss.clear();
		for (uid, loss) in losses {
			self.model_loss.get_or_create(&ModelLabels { uid }).set(loss);
		}
	}

	/// The metrics in the Prometheus text format.
	pub fn render(registry: &Registry) -> String {
		let mut text = String::new();
		// Writing into a String cannot fail.
		let _ = encode(&mut text, registry);
		text
	}
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn published_losses_replace_the_previous_rounds() {
		let metrics = Metrics::default();
		let registry = metrics.registry();
		assert!(!Metrics::render(&registry).contains("galton_eval_model_loss{"));
		metrics.publish_losses([(3, 2.5), (4, f64::INFINITY)]);
		let text = Metrics::render(&registry);
		assert!(text.contains("galton_eval_model_loss{uid=\"3\"} 2.5"), "{text}");
		assert!(text.contains("galton_eval_model_loss{uid=\"4\"} inf"), "{text}");
		metrics.publish_losses([(5, 1.0)]);
		let text = Metrics::render(&registry);
		assert!(!text.contains("uid=\"3\"") && text.contains("uid=\"5\"} 1.0"), "{text}");
	}
}
