#![recursion_limit = "256"]
//! SurrealDB's own `surreal` binary, as its `main` is: the tests and the benchmark start it on
//! 127.0.0.1 to run Steward against a real SurrealDB server (`ws://`).
fn main() -> std::process::ExitCode {
    surrealdb_server::init(surrealdb_server::core::CommunityComposer())
}
