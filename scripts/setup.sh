#!/usr/bin/env bash
# Installs what Steward needs to build, run and test. Each step is skipped when already done.
#   scripts/setup.sh run    toolchain for `cargo leptos` (wasm target, wasm-bindgen-cli, cargo-leptos)
#   scripts/setup.sh test   toolchain for the tests (wasm target, wasm-bindgen-cli, chromium, npm, aiosmtpd)
#   scripts/setup.sh vendor only the patched storage engine every cargo command needs (vendor/)
set -euo pipefail
cd "$(dirname "$0")/.."
what="${1:-run}"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

if ! command -v cargo >/dev/null; then
  echo "cargo is missing: install Rust from https://rustup.rs first" >&2
  exit 1
fi

# surrealkv with our fixes (patches/ says why each), as Cargo.toml's [patch.crates-io] expects it:
# the crates.io package, checked against its checksum, patched; redone when a patch changes.
skv=surrealkv-0.21.4
skv_sha256=7e57275d2ec60b2b73294d5b3de12efd9f84ff5ce6f738866a35d52301918ce7
skv_patches=(patches/$skv-memtable-seek-last.patch patches/$skv-memory-limits.patch patches/$skv-snapshot-lock-order.patch)
skv_stamp="vendor/$skv/.steward-patch"
if [ ! -f "$skv_stamp" ] || ! cat "${skv_patches[@]}" | cmp -s - "$skv_stamp"; then
  say "fetching $skv from crates.io and applying ${skv_patches[*]}"
  tmp=$(mktemp -d)
  cached=$(ls "${CARGO_HOME:-$HOME/.cargo}"/registry/cache/*/"$skv.crate" 2>/dev/null | head -1 || true)
  if [ -n "$cached" ]; then
    cp "$cached" "$tmp/$skv.crate"
  else
    curl -fsSL --retry 3 -o "$tmp/$skv.crate" "https://static.crates.io/crates/surrealkv/$skv.crate"
  fi
  echo "$skv_sha256  $tmp/$skv.crate" | sha256sum -c --quiet -
  tar -xzf "$tmp/$skv.crate" -C "$tmp"
  for p in "${skv_patches[@]}"; do
    patch -s -p1 -d "$tmp/$skv" <"$p"
  done
  rm -rf "vendor/$skv" && mkdir -p vendor && mv "$tmp/$skv" "vendor/$skv"
  cat "${skv_patches[@]}" >"$skv_stamp"
  rm -rf "$tmp"
fi
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
  if [ ! -d end2end/node_modules/@playwright/test ]; then
    say "installing the Playwright test runner (no browser download: Debian's chromium is used)"
    (cd end2end && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --no-audit --no-fund)
  fi
fi
