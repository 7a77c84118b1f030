#!/usr/bin/env bash
# Load benchmark of the municipal dashboard (issue 5): `orientir serve --demo` on a fresh SQLite
# file, sign in as the demo's municipal coordinator, then wrk with 200 connections on loopback.
#
#   scripts/bench-dashboard.sh [SECONDS] [CONNECTIONS]      # defaults: 30 200
#
# Prints throughput, p50/p90/p99 latency and errors (socket errors and non-2xx answers).
# Environment: ORIENTIR_BIN=path uses that binary instead of building the release one;
# CARGO_TARGET_DIR (default ~/.cache/orientir-target); PORT (default 18080); THREADS (wrk, 2).
set -euo pipefail

SECONDS_TO_RUN=${1:-30}
CONNECTIONS=${2:-200}
PORT=${PORT:-18080}
THREADS=${THREADS:-2}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/orientir-target}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

if ! command -v wrk >/dev/null; then
    if [[ $(id -u) == 0 ]]; then
        echo "== installing wrk" >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y wrk >/dev/null
    else
        echo "wrk is missing: apt-get install wrk" >&2
        exit 1
    fi
fi
if [[ -z ${ORIENTIR_BIN:-} ]]; then
    echo "== building the release binary" >&2
    (cd "$ROOT" && cargo build --release -p orientir --quiet)
    ORIENTIR_BIN=$CARGO_TARGET_DIR/release/orientir
fi

WORK=$(mktemp -d /tmp/bench-dashboard.XXXXXX)
SERVER_PID=
cleanup() {
    [[ -n $SERVER_PID ]] && kill "$SERVER_PID" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

BASE=http://127.0.0.1:$PORT
RUST_LOG=warn "$ORIENTIR_BIN" serve --demo --addr "127.0.0.1:$PORT" --db "sqlite://$WORK/o.db" >"$WORK/out.txt" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 100); do
    grep -q 'http://' "$WORK/out.txt" 2>/dev/null && break
    sleep 0.1
done
grep -q 'http://' "$WORK/out.txt" || { cat "$WORK/out.txt" >&2; exit 1; }
PASSWORD=$(grep 'логин moyo ' "$WORK/out.txt" | sed 's/.*пароль //')

# Sign in like a browser: the form's CSRF cookie, then the form.
curl -s -c "$WORK/jar" -b "$WORK/jar" "$BASE/login" >/dev/null
LOGIN_CSRF=$(awk '$6 == "orientir_login_csrf" {print $7}' "$WORK/jar")
curl -s -c "$WORK/jar" -b "$WORK/jar" -o /dev/null \
    --data-urlencode login=moyo --data-urlencode "password=$PASSWORD" \
    --data-urlencode "csrf=$LOGIN_CSRF" --data-urlencode next=/dashboard "$BASE/login"
SESSION=$(awk '$6 == "orientir_session" {print $7}' "$WORK/jar")
[[ -n $SESSION ]] || { echo "sign-in failed" >&2; exit 1; }
TARGET=$(curl -s -o /dev/null -w '%{redirect_url}' -b "orientir_session=$SESSION" "$BASE/dashboard")
STATUS=$(curl -s -o "$WORK/page.html" -w '%{http_code}' -b "orientir_session=$SESSION" "$TARGET")
[[ $STATUS == 200 ]] || { echo "the dashboard answered $STATUS" >&2; exit 1; }
echo "== $TARGET: $(wc -c <"$WORK/page.html") bytes; $CONNECTIONS connections, $THREADS threads, ${SECONDS_TO_RUN}s" >&2

wrk -t"$THREADS" -c"$CONNECTIONS" -d"${SECONDS_TO_RUN}s" --latency \
    -H "Cookie: orientir_session=$SESSION" "$TARGET" | tee "$WORK/wrk.txt"

non2xx=$(awk '/Non-2xx or 3xx responses/ {print $NF}' "$WORK/wrk.txt")
socket=$(awk '/Socket errors/ {print}' "$WORK/wrk.txt")
echo
echo "throughput: $(awk '/Requests\/sec/ {print $2}' "$WORK/wrk.txt") req/s"
echo "latency p50: $(awk '$1 == "50%" {print $2}' "$WORK/wrk.txt"), p90: $(awk '$1 == "90%" {print $2}' "$WORK/wrk.txt"), p99: $(awk '$1 == "99%" {print $2}' "$WORK/wrk.txt")"
echo "errors: non-2xx ${non2xx:-0}; ${socket:-socket errors 0}"
