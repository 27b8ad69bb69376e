#!/usr/bin/env bash
# Load benchmark: builds the server as shipped (profile dist), starts it on 127.0.0.1 with a fresh
# embedded database (surrealkv), seeds it through HTTP (an agency with team users and managed
# client accounts, and other owners), runs each flow for a few seconds with oha (one request) or
# the driver in scripts/bench (several requests), samples the server's CPU and memory, and prints
# one table.
#
#   bash scripts/bench.sh                      # 200 users, 1,000 managed accounts, 200 owners
#   BENCH_CLIENTS=100000 bash scripts/bench.sh # the 100,000-account variant
#   STEWARD_BIN=/path/to/steward bash scripts/bench.sh   # measure another build of the server
#   BENCH_PROFILE=release bash scripts/bench.sh           # a quicker build than the shipped one
#   STEWARD_ENGINE_MEMTABLE_MB=64 bash scripts/bench.sh  # the server's settings pass through
#   BENCH_CHANNELS=1000 BENCH_LIVE_ROUNDS=100  # live pages opened at the end (0: none), writes timed
#   BENCH_SURREAL=1 BENCH_SERVERS=2 bash scripts/bench.sh   # on SurrealDB's own server (ws://),
#                                              # with two Steward servers taking turns
#
# Not part of the test command. Traffic goes to 127.0.0.1 only, bounded by BENCH_SECONDS per flow.
set -euo pipefail
cd "$(dirname "$0")/.."
users=${BENCH_USERS:-200}
clients=${BENCH_CLIENTS:-1000}
owners=${BENCH_OWNERS:-200}
seconds=${BENCH_SECONDS:-10}
conc=${BENCH_CONCURRENCY:-50}
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/steward-target}"
say() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

bash scripts/setup.sh vendor
if ! command -v oha >/dev/null; then
  say "installing oha (HTTP load generator) from crates.io"
  cargo install oha --locked
fi
# The server as shipped: profile dist (link-time optimised; about 14 minutes after a change).
# BENCH_PROFILE=release builds in about 4, for comparing two versions of the code quickly.
profile=${BENCH_PROFILE:-dist}
if [ -z "${STEWARD_BIN:-}" ]; then
  say "building the server (profile $profile)"
  cargo build --profile "$profile" -p server
fi
bin=${STEWARD_BIN:-$CARGO_TARGET_DIR/$profile/steward}
say "building the load driver"
# Without Steward's own flags (.cargo/config.toml): the driver has no Leptos views.
RUSTFLAGS="${RUSTFLAGS:-}" cargo build --release --manifest-path scripts/bench/Cargo.toml
driver=$CARGO_TARGET_DIR/release/steward-bench

work=$(mktemp -d)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
mkdir -p "$work/site"
servers=${BENCH_SERVERS:-1}
pids=()
surreal_pid=
trap 'kill "${pids[@]}" $surreal_pid 2>/dev/null || true; rm -rf "$work"' EXIT
db_env=(STEWARD_DATABASE_URL="surrealkv://$work/db")
database="embedded surrealkv"
if [ "${BENCH_SURREAL:-0}" = 1 ]; then
  say "building and starting SurrealDB's server"
  bash scripts/surreal.sh build >/dev/null
  surreal_port=$(free_port)
  surreal_pid=$(bash scripts/surreal.sh start "$work/surreal" "$surreal_port")
  db_env=(STEWARD_DATABASE_URL="ws://127.0.0.1:$surreal_port" STEWARD_DATABASE_USER=root STEWARD_DATABASE_PASS=root)
  database="SurrealDB server (ws://, surrealkv), $servers Steward server(s)"
elif [ "$servers" -gt 1 ]; then
  echo "BENCH_SERVERS > 1 needs BENCH_SURREAL=1 (an embedded database is one process's)" >&2
  exit 2
fi
bases=()
for i in $(seq 1 "$servers"); do
  port=$(free_port)
  # Development mode: the driver reads sign-up links from the Mailbox (no mail is sent). One
  # secret file for all, as several servers need.
  env STEWARD_ADDR="127.0.0.1:$port" "${db_env[@]}" STEWARD_LOG=warn STEWARD_DEV=true \
    STEWARD_SECRET_FILE="$work/secret.key" \
    STEWARD_LOGIN_BURST=1000000000 STEWARD_INVITATIONS_PER_HOUR=1000000000 LEPTOS_SITE_ROOT="$work/site" \
    "$bin" >"$work/server$i.log" 2>&1 &
  pids+=($!)
  bases+=("http://127.0.0.1:$port")
  for _ in $(seq 1 150); do
    curl -fsS -o /dev/null "${bases[-1]}/login" 2>/dev/null && break
    kill -0 "${pids[-1]}" 2>/dev/null || { cat "$work/server$i.log"; exit 1; }
    sleep 0.2
  done
done
base=${bases[0]}
pid=${pids[0]}
all_bases=$(IFS=,; echo "${bases[*]}")

# Memory and CPU of every Steward server together (SurrealDB's server apart).
sum_status() { local t=0; for p in "${pids[@]}"; do t=$(( t + $(awk -v k="$1" '$1 == k":" { print $2 }' "/proc/$p/status") )); done; echo $(( t / 1024 )); }
rss_mb() { sum_status VmRSS; }
peak_mb() { sum_status VmHWM; }
cpu_ticks() { local t=0; for p in "${pids[@]}"; do t=$(( t + $(awk '{ print $14 + $15 }' "/proc/$p/stat") )); done; echo $t; }
hz=$(getconf CLK_TCK)

say "seeding: $users team users, $clients managed accounts, $owners owners"
seed_start=$(date +%s)
"$driver" seed "$all_bases" "$users" "$clients" "$owners"
seed_secs=$(( $(date +%s) - seed_start ))
# Let the engine finish what the seed left (flushes, compaction) before measuring.
sleep 10
rest_mb=$(rss_mb)
cookie=$("$driver" cookie "$all_bases" admin@agency.bench)
# A warm-up; -w lets the requests in flight at the end finish (cut off, each would log the SDK's
# "Failed to send query results to channel" on a SurrealDB server).
oha -z 3s -c "$conc" -w --no-tui --output-format quiet -m POST -H "Cookie: steward_session=$cookie" "$base/api/current_user" || true

rows=()
# One flow under oha: name, then oha's method/header/body arguments and the URL (on the first
# server). With several servers, one oha per server, the connections shared out among them.
flow() {
  local name=$1; shift
  local url=${*: -1} args=("${@:1:$#-1}") before after i
  local ohas=()
  before=$(cpu_ticks)
  for i in "${!bases[@]}"; do
    oha -z "${seconds}s" -c $(( conc / servers )) -w --worker-threads 1 --no-tui --output-format json \
      "${args[@]}" "${bases[$i]}${url#"$base"}" >"$work/oha$i.json" &
    ohas+=($!)
  done
  wait "${ohas[@]}"
  after=$(cpu_ticks)
  rows+=("$(WORK="$work" N="$servers" NAME="$name" CPU=$(( after - before )) HZ=$hz python3 -c '
import json, os
runs = [json.load(open("%s/oha%d.json" % (os.environ["WORK"], i))) for i in range(int(os.environ["N"]))]
rps = sum(r["summary"]["requestsPerSec"] for r in runs)
p50 = max(r["latencyPercentiles"]["p50"] for r in runs)
p99 = max(r["latencyPercentiles"]["p99"] for r in runs)
codes = {}
for r in runs:
    for k, v in r.get("statusCodeDistribution", {}).items():
        codes[k] = codes.get(k, 0) + v
ok = sum(v for k, v in codes.items() if k.startswith("2"))
total = sum(codes.values()) or 1
cpu_ms = int(os.environ["CPU"]) * 1000 / int(os.environ["HZ"])
print("%s\t%.0f req/s\tp50 %.1f ms\tp99 %.1f ms\t%.2f ms CPU/req\t%d of %d not 2xx" % (
    os.environ["NAME"], rps, p50 * 1000, p99 * 1000, cpu_ms / total, total - ok, total))
')")
  say "${rows[-1]}"
}
auth=(-H "Cookie: steward_session=$cookie")

flow "GET /login (anonymous, server-rendered)" "$base/login"
flow "current_user" -m POST -H "Content-Type: application/x-www-form-urlencoded" "${auth[@]}" -d "" "$base/api/current_user"
flow "Managed accounts, first page (server fn)" -m POST -H "Content-Type: application/x-www-form-urlencoded" "${auth[@]}" -d "page=0" "$base/api/managed_accounts"
for sort in owner_email role_name state account_status; do
  flow "Managed accounts, sorted by $sort" -m POST -H "Content-Type: application/x-www-form-urlencoded" "${auth[@]}" -d "sort=$sort" "$base/api/managed_accounts"
done
flow "Managed accounts, page 20 by its number" -m POST -H "Content-Type: application/x-www-form-urlencoded" "${auth[@]}" -d "page=20" "$base/api/managed_accounts"
# The pager's Next sends the page before's `next` cursor: walk there as a person would.
cursor=""
for page in $(seq 0 19); do
  cursor=$(curl -fsS -X POST -H "Content-Type: application/x-www-form-urlencoded" "${auth[@]}" \
    -d "page=$page&cursor=$cursor" "$base/api/managed_accounts" |
    python3 -c 'import json, sys, urllib.parse; print(urllib.parse.quote(json.load(sys.stdin).get("next") or "", safe=""))')
done
flow "Managed accounts, page 20 from page 19's Next" -m POST -H "Content-Type: application/x-www-form-urlencoded" "${auth[@]}" -d "page=20&cursor=$cursor" "$base/api/managed_accounts"
flow "Managed accounts, search by name" -m POST -H "Content-Type: application/x-www-form-urlencoded" "${auth[@]}" -d "search=client+0001" "$base/api/managed_accounts"
flow "Managed accounts page (server-rendered)" "${auth[@]}" "$base/managed-accounts"
flow "Users list ($((users + 1)) users)" -m POST -H "Content-Type: application/x-www-form-urlencoded" "${auth[@]}" -d "" "$base/api/list_users"
flow "log in (argon2id)" -m POST -H "Content-Type: application/x-www-form-urlencoded" -d "email=user1%40agency.bench&password=bench+password+1" "$base/api/log_in"

# The driver reads the servers' CPU time over its timed part (CPU per pair), without the
# log-ins it makes before.
export BENCH_SERVER_PIDS BENCH_CLK_TCK=$hz
BENCH_SERVER_PIDS=$(IFS=,; echo "${pids[*]}")
for two_step in invite-accept switch; do
  if [ $two_step = invite-accept ]; then
    line=$("$driver" invite-accept "$all_bases" "$seconds" "$conc" "$users" "$owners")
  else
    line=$("$driver" switch "$all_bases" "$seconds" "$conc")
  fi
  rows+=("$line")
  say "$line"
done
sleep 2
end_mb=$(rss_mb)
peak=$(peak_mb)

# Live tables: memory with many pages open, and the delay from a write to the pages it concerns.
channels=${BENCH_CHANNELS:-1000}
if [ "$channels" -gt 0 ] && [ "$owners" -gt 0 ]; then
  say "live channels: $channels open pages, 5 per owner"
  live_rows=$("$driver" live "$all_bases" "$pid" "$channels" "${BENCH_LIVE_ROUNDS:-100}")
  say "$live_rows"
fi

echo
echo "Steward load benchmark, $(date -u +%Y-%m-%d), $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GiB", $2 / 1048576 }' /proc/meminfo)"
echo "seed: $users team users, $clients managed accounts, $owners owners, in ${seed_secs} s through HTTP"
echo "oha -z ${seconds}s -c $conc -w --worker-threads 1; server: $bin, $database"
[ "${BENCH_SURREAL:-0}" = 1 ] ||
  echo "engine: STEWARD_ENGINE_MEMTABLE_MB=${STEWARD_ENGINE_MEMTABLE_MB:-unset (64)}, STEWARD_ENGINE_CACHE_MB=${STEWARD_ENGINE_CACHE_MB:-unset (64)}"
echo
printf '%s\n' "${rows[@]}"
echo
echo "server memory: ${rest_mb} MB at rest after the seed, ${end_mb} MB at the end, peak ${peak} MB (before the live channels; every Steward server together)"
if [ -n "$surreal_pid" ]; then
  echo "SurrealDB server memory: $(awk '/^VmRSS/ { printf "%.0f", $2 / 1024 }' "/proc/$surreal_pid/status") MB at the end"
fi
if [ -n "${live_rows:-}" ]; then
  echo
  echo "$live_rows"
fi
# A failed request is a bug to chase: keep what the server said about it.
if cat "$work"/server*.log | grep -q "ERROR"; then
  echo
  echo "server errors (first 20):"
  cat "$work"/server*.log | grep "ERROR" | head -20
  cat "$work"/server*.log > /tmp/steward-bench-server.log
  echo "(kept as /tmp/steward-bench-server.log)"
fi
