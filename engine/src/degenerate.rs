//! The degenerate-output check: a model that answers different prompts alike, or repeats one
//! token, is scored as failed whatever its loss.
//!
//! Greedy decoding of [`NEW_TOKENS`] tokens from each of [`PROMPTS`]; the model fails when the
//! two continuations agree in at least [`MAX_SAME_FRACTION`] of their positions, or when one
//! token fills more than [`MAX_ONE_TOKEN_FRACTION`] of a continuation.

use candle_core::{Result, Tensor};
use tokenizers::Tokenizer;

use crate::model::{CausalLm, KvCache};

/// The two prompts, unrelated on purpose.
pub const PROMPTS: [&str; 2] =
	["The history of the old harbour town begins", "Instructions for assembling the shelf:"];

/// Tokens generated greedily from each prompt.
pub const NEW_TOKENS: usize = 20;

/// Continuations that agree in this share of positions or more count as the same.
pub const MAX_SAME_FRACTION: f64 = 0.9;

/// A continuation in which one token takes more than this share counts as repetitive.
pub const MAX_ONE_TOKEN_FRACTION: f64 = 0.5;

/// Positions the check needs on top of the longest prompt.
pub const POSITIONS: usize = 64;

/// The greedy continuation of `prompt`, `tokens` long, decoded with a KV cache.
pub fn greedy(model: &CausalLm, prompt: &[u32], tokens: usize) -> Result<Vec<u32>> {
	if prompt.is_empty() {
		candle_core::bail!("the prompt has no tokens");
	}
	let mut cache = KvCache::default();
	let mut input = Tensor::new(prompt, model.device())?.unsqueeze(0)?;
	let mut out = Vec::with_capacity(tokens);
	for _ in 0..tokens {
		let hidden = model.hidden_states(&input, Some(&mut cache))?;
		let last = hidden.narrow(1, hidden.dim(1)? - 1, 1)?;
		let next = model.logits(&last)?.flatten_all()?.argmax(0)?.to_scalar::<u32>()?;
		out.push(next);
		input = Tensor::new(&[next], model.device())?.unsqueeze(0)?;
	}
	Ok(out)
}

/// `Some(reason)` when the model's outputs are degenerate, `None` when it passes.
pub fn check(model: &CausalLm, tokenizer: &Tokenizer) -> Result<Option<String>> {
	let mut continuations = Vec::with_capacity(PROMPTS.len());
	for prompt in PROMPTS {
		let encoding = tokenizer.encode(prompt, true).map_err(candle_core::Error::msg)?;
		continuations.push(greedy(model, encoding.get_ids(), NEW_TOKENS)?);
	}
	Ok(judge(&continuations[0], &continuations[1]))
}

/// The verdict on two continuations (see the module documentation).
pub fn judge(a: &[u32], b: &[u32]) -> Option<String> {
	let same = a.iter().zip(b).filter(|(x, y)| x == y).count();
	let len = a.len().min(b.len()).max(1);
	if same as f64 / len as f64 >= MAX_SAME_FRACTION {
		return Some(format!(
			"degenerate output: the same continuation ({same} of {len} tokens) for different prompts"
		));
	}
	for continuation in [a, b] {
		if let Some((token, count)) = most_common(continuation) {
			if count as f64 / continuation.len() as f64 > MAX_ONE_TOKEN_FRACTION {
				return Some(format!(
					"degenerate output: token {token} repeated {count} times in {} generated tokens",
					continuation.len()
				));
			}
		}
	}
	None
}

fn most_common(tokens: &[u32]) -> Option<(u32, usize)> {
	let mut sorted = tokens.to_vec();
	sorted.sort_unstable();
	sorted
		.chunk_by(|x, y| x == y)
		.map(|run| (run[0], run.len()))
		.max_by_key(|&(token, count)| (count, std::cmp::Reverse(token)))
}

#[cfg(test)]
mod tests {
	use super::*;

	#[test]
	fn varied_continuations_pass() {
		let a: Vec<u32> = (0..20).collect();
		let b: Vec<u32> = (100..120).collect();
		assert_eq!(judge(&a, &b), None);
	}

	#[test]
	fn identical_continuations_fail() {
		let a: Vec<u32> = (0..20).collect();
		let mut b = a.clone();
		b[0] = 99;
		b[1] = 98;
		assert!(judge(&a, &b).expect("18 of 20 equal").contains("same continuation"));
		b[2] = 97;
		assert_eq!(judge(&a, &b), None, "17 of 20 is below 90%");
	}

	#[test]
	fn one_repeated_token_fails() {
		let a: Vec<u32> = (0..20).collect();
		let mut b = vec![7u32; 11];
		b.extend(200..209);
		assert!(judge(&a, &b).expect("11 of 20").contains("token 7 repeated 11 times"));
		b[0] = 1;
		assert_eq!(judge(&a, &b), None, "10 of 20 is not more than half");
	}
}
