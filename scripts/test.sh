#!/usr/bin/env bash
# Sets everything up and runs every test: unit and integration tests (cargo), then the Playwright
# suite in Debian's chromium against a freshly started server with a throwaway database.
set -euo pipefail
cd "$(dirname "$0")/.."
start=$(date +%s)
bash scripts/setup.sh test

# A build cache outside the clone is reused when there is one (CI runs in a fresh clone).
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/steward-target}"
mkdir -p "$CARGO_TARGET_DIR"
# The page must ask for wasm-bindgen's own file names (see shared notes): unset at compile time.
unset LEPTOS_OUTPUT_NAME

echo "==> cargo tests"
cargo test -p app --features ssr
cargo test -p server

echo "==> the integration tests again, on the embedded engine on disk (surrealkv://)"
surrealkv_dir=$(mktemp -d)
STEWARD_TEST_DATABASE_URL="surrealkv://$surrealkv_dir" cargo test -p app --features ssr --test it
rm -rf "$surrealkv_dir"

echo "==> the integration tests again, on a real SurrealDB server (ws://), and two Steward processes on it"
# SurrealDB's own server, built once from crates.io at our surrealdb version (scripts/surreal.sh).
if surreal_bin=$(bash scripts/surreal.sh build); then
  surreal_dir=$(mktemp -d)
  surreal_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  surreal_pid=$(bash scripts/surreal.sh start "$surreal_dir" "$surreal_port")
  status=0
  STEWARD_TEST_DATABASE_URL="ws://127.0.0.1:$surreal_port" STEWARD_TEST_SURREAL_BIN="$surreal_bin" \
    cargo test -p app --features ssr --test it || status=$?
  # Two `steward` processes on two ports share the server (ignored without one).
  [ $status -ne 0 ] || STEWARD_TEST_DATABASE_URL="ws://127.0.0.1:$surreal_port" \
    cargo test -p server --test processes -- --include-ignored || status=$?
  bash scripts/surreal.sh stop "$surreal_pid" "$surreal_dir"
  [ $status -eq 0 ] || { echo "integration tests failed on the SurrealDB server" >&2; exit $status; }
else
  echo "SKIPPED: SurrealDB's server (scripts/surreal) could not be built; the integration tests ran on mem:// and surrealkv:// only" >&2
fi

echo "==> building the site (server in debug, browser bundle with wasm-bindgen)"
cargo build -p server
cargo build -p frontend --lib --target wasm32-unknown-unknown
site=target/site
rm -rf "$site" && mkdir -p "$site/pkg"
# One chunk per page, as `cargo leptos --split` makes them (scripts/split says how).
cargo build --manifest-path scripts/split/Cargo.toml
"$CARGO_TARGET_DIR/debug/steward-split" "$CARGO_TARGET_DIR/wasm32-unknown-unknown/debug/frontend.wasm" "$site/pkg" steward
wasm-bindgen --target web --keep-lld-exports --no-demangle --out-dir "$site/pkg" --out-name steward \
  "$CARGO_TARGET_DIR/wasm32-unknown-unknown/debug/frontend_split.wasm"
cp style/main.css "$site/pkg/steward.css"
cp -r public/. "$site/"

echo "==> end-to-end tests"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
log=$(mktemp)
STEWARD_ADDR="127.0.0.1:$port" STEWARD_BASE_URL="http://localhost:$port" STEWARD_DATABASE_URL="mem://" \
  STEWARD_DEV=true LEPTOS_SITE_ROOT="$site" STEWARD_LOG=warn,server=info STEWARD_LOGIN_BURST=200 STEWARD_API_BURST=100000 STEWARD_WEBHOOKS_ALLOW_PRIVATE=true \
  "$CARGO_TARGET_DIR/debug/steward" >"$log" 2>&1 &
server_pid=$!
# A second server whose invitation links expire after 3 seconds and whose free trials last 5,
# for the expired-link and ended-trial tests.
short_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
STEWARD_ADDR="127.0.0.1:$short_port" STEWARD_BASE_URL="http://localhost:$short_port" STEWARD_DATABASE_URL="mem://" \
  STEWARD_DEV=true LEPTOS_SITE_ROOT="$site" STEWARD_LOG=warn STEWARD_LOGIN_BURST=200 STEWARD_INVITATION_TTL=3 STEWARD_TRIAL_SECS=5 \
  "$CARGO_TARGET_DIR/debug/steward" >"$log.short" 2>&1 &
short_pid=$!
trap 'kill $server_pid $short_pid 2>/dev/null || true' EXIT
for p in $port $short_port; do
  for _ in $(seq 1 150); do
    curl -fsS -o /dev/null "http://127.0.0.1:$p/login" 2>/dev/null && break
    kill -0 $server_pid 2>/dev/null && kill -0 $short_pid 2>/dev/null || { cat "$log" "$log.short"; echo "a server did not start" >&2; exit 1; }
    sleep 0.2
  done
done
status=0
BASE_URL="http://localhost:$port" SHORT_TTL_BASE_URL="http://localhost:$short_port" bash end2end/run.sh || status=$?
echo "==> the API against its OpenAPI document (schemathesis): answers match it, never a 5xx"
# Not positive_data_acceptance: the document can't say which emails, roles or names the
# account's rules accept, and those refusals (422) are documented answers.
python3 scripts/api_contract.py "http://127.0.0.1:$port" --max-examples 50 --seed 17 \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_headers_conformance,response_schema_conformance,negative_data_rejection \
  || status=$?
if [ $status -ne 0 ]; then echo "--- server log ---"; tail -50 "$log"; fi
echo "==> all tests took $(( $(date +%s) - start )) s"
exit $status
