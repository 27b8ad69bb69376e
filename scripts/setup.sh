#!/usr/bin/env bash
# Installs what Steward needs to build, run and test. Each step is skipped when already done.
#   scripts/setup.sh run    toolchain for `cargo leptos` (wasm target, wasm-bindgen-cli, cargo-leptos)
#   scripts/setup.sh test   toolchain for the tests (wasm target, wasm-bindgen-cli, chromium, npm, aiosmtpd,
#                           schemathesis)
#   scripts/setup.sh vendor only the patched crates every cargo command needs (vendor/)
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-run}"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

if ! command -v cargo >/dev/null; then
  echo "cargo is missing: install Rust from https://rustup.rs first" >&2
  exit 1
fi

# Crates with our fixes (patches/ says why each), as Cargo.toml's [patch.crates-io] expects them:
# the crates.io package, checked against its checksum, patched; redone when a patch changes.
vendor_crate() {
  local name=$1 version=$2 sha256=$3
  shift 3
  local pkg="$name-$version"
  local stamp="vendor/$pkg/.steward-patch"
  if [ -f "$stamp" ] && cat "$@" | cmp -s - "$stamp"; then
    return
  fi
  say "fetching $pkg from crates.io and applying $*"
  local tmp
  tmp=$(mktemp -d)
  local cached
  cached=$(ls "${CARGO_HOME:-$HOME/.cargo}"/registry/cache/*/"$pkg.crate" 2>/dev/null | head -1 || true)
  if [ -n "$cached" ]; then
    cp "$cached" "$tmp/$pkg.crate"
  else
    curl -fsSL --retry 3 -o "$tmp/$pkg.crate" "https://static.crates.io/crates/$name/$pkg.crate"
  fi
  echo "$sha256  $tmp/$pkg.crate" | sha256sum -c --quiet -
  tar -xzf "$tmp/$pkg.crate" -C "$tmp"
  local p
  for p in "$@"; do
    patch -s -p1 -d "$tmp/$pkg" <"$p"
  done
  rm -rf "vendor/$pkg" && mkdir -p vendor && mv "$tmp/$pkg" "vendor/$pkg"
  cat "$@" >"$stamp"
  rm -rf "$tmp"
}
skv=surrealkv-0.21.4
vendor_crate surrealkv 0.21.4 7e57275d2ec60b2b73294d5b3de12efd9f84ff5ce6f738866a35d52301918ce7 \
  patches/$skv-memtable-seek-last.patch patches/$skv-memory-limits.patch patches/$skv-snapshot-lock-order.patch
vendor_crate surrealdb-datastore 3.3.5 fff30969b935511133461be5b83d0d2acaee5cb9fab8dbf49953936f161f6d9e \
  patches/surrealdb-datastore-3.3.5-shared-compiled-schema.patch
[ "$what" = vendor ] && exit 0

if command -v rustup >/dev/null && ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

# wasm-bindgen-cli must be exactly the wasm-bindgen version in Cargo.lock.
wb_version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$wb_version" ]; then
  say "installing wasm-bindgen-cli $wb_version"
  cargo install wasm-bindgen-cli --version "$wb_version" --force
fi

if [ "$what" = run ]; then
  if [ "$(cargo leptos --version 2>/dev/null | awk '{print $2}')" != "0.3.10" ]; then
    say "installing cargo-leptos 0.3.10 (about 13 minutes on 2 cores)"
    cargo install cargo-leptos@0.3.10 --locked --no-default-features --features no_downloads
  fi
fi

if [ "$what" = test ]; then
  if ! command -v chromium >/dev/null; then
    say "installing Debian's chromium"
    sudo_cmd=""; [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
    $sudo_cmd apt-get update -q
    DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -q chromium
  fi
  if ! python3 -c 'import aiosmtpd' 2>/dev/null; then
    say "installing aiosmtpd (a real SMTP server for the email tests)"
    python3 -m pip install -q aiosmtpd
  fi
  if ! command -v schemathesis >/dev/null; then
    say "installing schemathesis (the API's contract test against its OpenAPI document)"
    python3 -m pip install -q "schemathesis==4.32.5"
  fi
  if [ ! -d end2end/node_modules/@playwright/test ]; then
    say "installing the Playwright test runner (no browser download: Debian's chromium is used)"
    (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
  fi
fi
