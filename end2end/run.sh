#!/usr/bin/env bash
# The Playwright suite against a running Steward. `cargo leptos end-to-end` runs this from end2end/
# once it has built and started the server (give that server a throwaway database and the Mailbox:
# STEWARD_DATABASE_URL=mem:// STEWARD_DEV=true STEWARD_LOGIN_BURST=200 cargo leptos end-to-end --split);
# scripts/test.sh runs it too, with a second, short-expiry server for the expired-link test.
set -euo pipefail
cd "$(dirname "$0")"
export BASE_URL="${BASE_URL:-http://localhost:3000}"
[ -d node_modules ] || npm ci --no-audit --no-fund
# cargo-leptos starts the command without waiting for the server to listen.
for _ in $(seq 1 150); do
  curl -fsS -o /dev/null "$BASE_URL/login" 2>/dev/null && break
  sleep 0.2
done
exec npx playwright test "$@"
