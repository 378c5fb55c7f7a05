//! A minimal blocking JSON-RPC 2.0 client over HTTP.

use serde::de::DeserializeOwned;
use serde_json::{json, Value};
use std::{fmt, time::Duration};

/// Why a JSON-RPC call failed.
#[derive(Debug, Clone, PartialEq)]
pub enum RpcError {
	/// The node could not be reached or answered garbage.
	Transport(String),
	/// The node answered with a JSON-RPC error object.
	Call {
		/// The JSON-RPC error code (1010 is "Invalid Transaction").
		code: i64,
		/// The error message.
		message: String,
		/// Details, such as `"Custom error: 9"` for a refused transaction.
		data: Option<Value>,
	},
}

impl fmt::Display for RpcError {
	fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
		match self {
			RpcError::Transport(reason) => write!(f, "transport error: {reason}"),
			RpcError::Call { code, message, data } => {
				write!(f, "rpc error {code}: {message} ({})", data.clone().unwrap_or(Value::Null))
			}
		}
	}
}

impl std::error::Error for RpcError {}

/// A JSON-RPC endpoint.
#[derive(Clone)]
pub struct Rpc {
	url: String,
	agent: ureq::Agent,
}

impl Rpc {
	/// A client for the HTTP endpoint at `url`, with a ten-second timeout per call.
	pub fn new(url: String) -> Self {
		let agent = ureq::AgentBuilder::new().timeout(Duration::from_secs(10)).build();
		Rpc { url, agent }
	}

	/// Call `method` with `params` and decode its result.
	pub fn call<T: DeserializeOwned>(&self, method: &str, params: Value) -> Result<T, RpcError> {
		let request = json!({ "jsonrpc": "2.0", "id": 1, "method": method, "params": params });
		let response: Value = self
			.agent
			.post(&self.url)
			.send_json(request)
			.map_err(|error| RpcError::Transport(error.to_string()))?
			.into_json()
			.map_err(|error| RpcError::Transport(error.to_string()))?;
		if let Some(error) = response.get("error") {
			return Err(RpcError::Call {
				code: error.get("code").and_then(Value::as_i64).unwrap_or_default(),
				message: error.get("message").and_then(Value::as_str).unwrap_or_default().into(),
				data: error.get("data").cloned(),
			});
		}
		let result = response.get("result").cloned().unwrap_or(Value::Null);
		serde_json::from_value(result)
			.map_err(|error| RpcError::Transport(format!("{method}: unexpected result: {error}")))
	}
}
