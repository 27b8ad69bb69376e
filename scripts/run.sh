#!/usr/bin/env bash
# Sets everything up and runs Steward on http://127.0.0.1:3000 with its embedded database in ./data.
# Development mode: no SMTP is needed, emails are shown on the Mailbox page.
# `cargo leptos watch --split` gives hot reload while you work on the code.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh run
export STEWARD_DEV="${STEWARD_DEV:-true}"
export STEWARD_DATABASE_URL="${STEWARD_DATABASE_URL:-surrealkv://data/steward.db}"
# cargo-leptos builds with its own settings; keep its artefacts apart from the tests' cache.
export CARGO_TARGET_DIR="${STEWARD_RUN_TARGET_DIR:-target}"
# --split: each page is its own WebAssembly chunk (app/src/lib.rs, `lazy_page!`); a bundle built
# without it does not load.
exec cargo leptos serve --split "$@"
