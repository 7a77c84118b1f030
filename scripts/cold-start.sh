#!/usr/bin/env bash
# Measures the cold start of `orientir serve --demo`: from launch on an empty SQLite file to the
# sign-in page answered (demo generation with its accounts and execution marks, and migrations,
# included; every other page needs a session). Prints one line per run.
set -euo pipefail
cd "$(dirname "$0")/.."
target="${CARGO_TARGET_DIR:-target}"
case "$target" in /*) ;; *) target="$PWD/$target" ;; esac
bin="$target/release/orientir"
cargo build --release -p orientir --quiet
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
port=${PORT:-8097}
for run in 1 2 3 4 5; do
  rm -f "$work"/orientir.db*
  start=$(date +%s%N)
  (cd "$work" && exec "$bin" serve --demo --addr "127.0.0.1:$port" >/dev/null 2>&1) &
  pid=$!
  for _ in $(seq 1 2000); do
    curl -sf -o /dev/null "http://127.0.0.1:$port/login" && break
    sleep 0.005
  done
  end=$(date +%s%N)
  echo "run $run: $(( (end - start) / 1000000 )) ms from launch to the first page"
  kill "$pid"; wait "$pid" 2>/dev/null || true
done
