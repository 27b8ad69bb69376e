#!/usr/bin/env bash
# SurrealDB's own server, for running Steward against a real SurrealDB (ws://):
#
#   bash scripts/surreal.sh build          builds it (once; cached in the target folder), prints its path
#   bash scripts/surreal.sh start DIR PORT starts it on 127.0.0.1:PORT with its data in DIR (surrealkv),
#                                          user root / root; prints its pid once it answers
#   bash scripts/surreal.sh stop PID DIR   stops it, waits until it has exited, removes DIR
#
# It is built from crates.io's surrealdb-server at the version of the surrealdb crate Steward
# uses (scripts/surreal/Cargo.toml), with surrealkv, in-memory and TiKV storage (TiKV for clusters;
# the tests use surrealkv).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/steward-target}"
bin="$CARGO_TARGET_DIR/release/surreal"

case "${1:-}" in
  build)
    # Without Steward's own flags (.cargo/config.toml): SurrealDB's server has no Leptos views.
    RUSTFLAGS="${RUSTFLAGS:-}" cargo build --release --manifest-path scripts/surreal/Cargo.toml >&2
    echo "$bin"
    ;;
  start)
    dir=$2; port=$3
    mkdir -p "$dir"
    SURREAL_SURREALKV_BLOCK_CACHE_CAPACITY=$((64 * 1024 * 1024)) \
      "$bin" start --log warn --user root --pass root --bind "127.0.0.1:$port" "surrealkv://$dir/data" \
      >"$dir/server.log" 2>&1 &
    pid=$!
    for _ in $(seq 1 150); do
      curl -fsS -o /dev/null "http://127.0.0.1:$port/health" 2>/dev/null && { echo $pid; exit 0; }
      kill -0 $pid 2>/dev/null || break
      sleep 0.2
    done
    cat "$dir/server.log" >&2
    echo "SurrealDB did not start on 127.0.0.1:$port" >&2
    kill $pid 2>/dev/null || true
    exit 1
    ;;
  stop)
    # The server flushes and compacts its files as it shuts down: removing DIR while it still runs
    # fails ("Directory not empty") as new files appear, so wait for it to be gone first.
    pid=$2; dir=$3
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 100); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -9 "$pid" 2>/dev/null || true
    while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 build | start DIR PORT | stop PID DIR" >&2
    exit 2
    ;;
esac
