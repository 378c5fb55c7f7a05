//! # Galton end-to-end harness
//!
//! Starts a real `galton-node --dev` process on free loopback ports with its own temporary base
//! path, and drives it over JSON-RPC: submits signed transactions, reads storage and events, and
//! calls runtime APIs. The node is killed when the [`Node`] handle is dropped, and every wait is
//! bounded.
//!
//! The node binary is taken from `GALTON_NODE_BIN`, or else from the target directory this test
//! binary was built into (`scripts/test.sh` builds it first).

mod binary;
mod chain;
mod draws;
mod eval;
mod node;
mod proxy;
mod python;
mod rpc;

pub use binary::manifest_dir;
pub use chain::{module_error, Chain};
pub use draws::Draws;
pub use eval::{
	as_strs, commit_model, commit_model_args, corpus, eval, eval_binary, fixture, output_text,
	path, spawn_eval, validate_args,
};
pub use node::{free_port, node_binary, Node};
pub use proxy::{Fault, RpcProxy};
pub use python::python_with;
pub use rpc::{Rpc, RpcError};
