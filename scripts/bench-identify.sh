#!/usr/bin/env bash
# Identification benchmark (issue 4): `orientir identify` against the same ШНОР rule in DuckDB SQL
# (benches/duckdb_identify.py) and against `cat results.csv > /dev/null` as the floor.
#
#   scripts/bench-identify.sh [SCHOOLS] [YEAR]        # defaults: 1000 2024
#
# Generates results with `orientir demo-results` into $BENCH_DIR/schools-SCHOOLS (reused when a
# previous run kept it), warms the page cache, times the three commands in the same run (wall
# clock, best of RUNS; RUNS defaults to 3 below 20 000 schools and to 1 from there), checks that
# orientir and DuckDB print byte-identical lists, and prints a table.
#
# Environment: ORIENTIR_BIN=path uses that binary instead of building one; KEEP=1 keeps the
# generated files (otherwise files this run generated are deleted at exit); RUNS=N; TIMEOUT=seconds
# per command (default 1200); BENCH_DIR (default /tmp/orientir-bench-identify); CARGO_TARGET_DIR
# (default ~/.cache/orientir-target).
set -euo pipefail

SCHOOLS=${1:-1000}
YEAR=${2:-2024}
KEEP=${KEEP:-0}
TIMEOUT=${TIMEOUT:-1200}
BENCH_DIR=${BENCH_DIR:-/tmp/orientir-bench-identify}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$HOME/.cache/orientir-target}

[[ $SCHOOLS =~ ^[1-9][0-9]*$ ]] || { echo "SCHOOLS must be a positive integer: $SCHOOLS" >&2; exit 2; }
[[ $YEAR =~ ^[0-9]{4}$ ]] || { echo "YEAR must be a four-digit year: $YEAR" >&2; exit 2; }
if ((SCHOOLS >= 20000)); then RUNS=${RUNS:-1}; else RUNS=${RUNS:-3}; fi

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
DUCKDB_SCRIPT=$ROOT/benches/duckdb_identify.py
DATA=$BENCH_DIR/schools-$SCHOOLS
WORK=$(mktemp -d /tmp/bench-identify-run.XXXXXX)
GENERATED=0

cleanup() {
    rm -rf "$WORK"
    if ((GENERATED)) && [[ $KEEP != 1 ]]; then
        rm -rf "$DATA"
    fi
}
trap cleanup EXIT

step() { printf '== %s\n' "$*" >&2; }

# --- tools ----------------------------------------------------------------------------------
if [[ ! -x /usr/bin/time ]]; then
    if [[ $(id -u) == 0 ]]; then
        step "installing GNU time (/usr/bin/time)"
        apt-get install -y time >/dev/null
    else
        echo "/usr/bin/time is missing: apt-get install time" >&2
        exit 1
    fi
fi
python3 -c 'import duckdb' 2>/dev/null || { echo "Python duckdb is missing: pip install duckdb" >&2; exit 1; }

if [[ -n ${ORIENTIR_BIN:-} ]]; then
    step "using $ORIENTIR_BIN"
    cp "$ORIENTIR_BIN" "$WORK/orientir"
else
    step "building the release binary"
    (cd "$ROOT" && timeout "$TIMEOUT" cargo build --release --quiet -p orientir)
    # A private copy: a concurrent build in the shared target directory cannot swap it mid-run.
    cp "$CARGO_TARGET_DIR/release/orientir" "$WORK/orientir"
fi
BIN=$WORK/orientir

# --- data -----------------------------------------------------------------------------------
if [[ -f $DATA/complete ]]; then
    step "reusing $DATA"
else
    # demo-results writes about 58 KB of results per school (520 rows × 3 years).
    need=$((SCHOOLS * 64 * 1024 + 512 * 1024 * 1024))
    mkdir -p "$BENCH_DIR"
    avail=$(df --output=avail -B1 "$BENCH_DIR" | tail -n 1)
    if ((avail < need)); then
        echo "not enough space in $BENCH_DIR: need about $((need >> 20)) MiB, have $((avail >> 20)) MiB" >&2
        exit 1
    fi
    step "generating $SCHOOLS schools into $DATA"
    rm -rf "$DATA"
    mkdir -p "$DATA"
    GENERATED=1
    timeout "$TIMEOUT" "$BIN" demo-results --out-dir "$DATA" --schools "$SCHOOLS" >&2
    touch "$DATA/complete"
fi
RESULTS=$DATA/results.csv
SCHOOLS_CSV=$DATA/schools.csv

step "warming the page cache"
cat "$RESULTS" "$SCHOOLS_CSV" >/dev/null
BYTES=$(stat -c %s "$RESULTS")
ROWS=$(($(wc -l <"$RESULTS") - 1))

# --- timing ---------------------------------------------------------------------------------
# timed NAME CMD...: runs CMD once under a time limit; appends "ms kib" to $WORK/NAME.times.
timed() {
    local name=$1
    shift
    local start end
    start=$(date +%s%N)
    if ! timeout "$TIMEOUT" /usr/bin/time -f '%M' -o "$WORK/$name.rss" "$@" 2>"$WORK/$name.log"; then
        echo "$name failed:" >&2
        cat "$WORK/$name.log" >&2
        exit 1
    fi
    end=$(date +%s%N)
    echo "$(((end - start) / 1000000)) $(tail -n 1 "$WORK/$name.rss")" >>"$WORK/$name.times"
}

for ((run = 1; run <= RUNS; run++)); do
    step "run $run of $RUNS"
    timed cat sh -c 'cat "$1" >/dev/null' sh "$RESULTS"
    timed orientir "$BIN" identify --schools "$SCHOOLS_CSV" --results "$RESULTS" \
        --year "$YEAR" --out "$WORK/orientir.csv"
    timed duckdb python3 "$DUCKDB_SCRIPT" --schools "$SCHOOLS_CSV" --results "$RESULTS" \
        --year "$YEAR" --out "$WORK/duckdb.csv"
    # The script's own figure: DuckDB alone, without starting Python and importing duckdb.
    sed -n 's/.*query_seconds=\([0-9.]*\).*/\1/p' "$WORK/duckdb.log" >>"$WORK/duckdb_query.times"
done

best_ms() { sort -n "$WORK/$1.times" | head -n 1 | cut -d' ' -f1; }
max_kib() { cut -d' ' -f2 "$WORK/$1.times" | sort -n | tail -n 1; }
CAT_MS=$(best_ms cat)
ORIENTIR_MS=$(best_ms orientir)
DUCKDB_MS=$(best_ms duckdb)
DUCKDB_QUERY_MS=$(sort -n "$WORK/duckdb_query.times" | head -n 1 | awk '{ printf "%d", $1 * 1000 }')
LOAD=$(cut -d' ' -f1-3 /proc/loadavg)

# --- results --------------------------------------------------------------------------------
SAME=1
cmp -s "$WORK/orientir.csv" "$WORK/duckdb.csv" || SAME=0
LISTED=$(($(wc -l <"$WORK/orientir.csv") - 1))

awk -v schools="$SCHOOLS" -v year="$YEAR" -v runs="$RUNS" -v cpus="$(nproc)" \
    -v rows="$ROWS" -v bytes="$BYTES" -v listed="$LISTED" -v same="$SAME" \
    -v cat_ms="$CAT_MS" -v o_ms="$ORIENTIR_MS" -v d_ms="$DUCKDB_MS" -v q_ms="$DUCKDB_QUERY_MS" \
    -v loadavg="$LOAD" \
    -v o_kib="$(max_kib orientir)" -v d_kib="$(max_kib duckdb)" -v c_kib="$(max_kib cat)" \
    -v duck="$(python3 -c 'import duckdb; print(duckdb.__version__)')" 'BEGIN {
    printf "\nidentify benchmark: %d schools, year %d, %d CPUs, %s\n", schools, year, cpus,
        (runs > 1 ? "best of " runs " runs" : "1 run")
    printf "  load average    %s (at the end)\n", loadavg
    printf "  rows            %d\n", rows
    printf "  bytes           %d (%.1f MiB)\n", bytes, bytes / 1048576
    printf "  ШНОР schools    %d (%s)\n", listed,
        same ? "orientir and DuckDB outputs byte-identical" : "OUTPUTS DIFFER"
    printf "\n  %-30s %10s %10s %14s\n", "command", "wall, s", "Mrows/s", "max RSS, MiB"
    printf "  %-30s %10.3f %10.1f %14.1f\n", "cat results.csv", cat_ms / 1000,
        rows / 1000 / (cat_ms > 0 ? cat_ms : 1), c_kib / 1024
    printf "  %-30s %10.3f %10.1f %14.1f\n", "orientir identify", o_ms / 1000,
        rows / 1000 / (o_ms > 0 ? o_ms : 1), o_kib / 1024
    printf "  %-30s %10.3f %10.1f %14.1f\n", "DuckDB " duck " (2 threads)", d_ms / 1000,
        rows / 1000 / (d_ms > 0 ? d_ms : 1), d_kib / 1024
    printf "  %-30s %10.3f %10.1f\n", "  of which the query itself", q_ms / 1000,
        rows / 1000 / (q_ms > 0 ? q_ms : 1)
    printf "\n  %-34s %6.2f\n", "orientir / DuckDB (whole process)", o_ms / (d_ms > 0 ? d_ms : 1)
    printf "  %-34s %6.2f\n", "orientir / DuckDB (query only)", o_ms / (q_ms > 0 ? q_ms : 1)
    printf "  %-34s %6.1f\n", "orientir / cat", o_ms / (cat_ms > 0 ? cat_ms : 1)
}'

if ((!SAME)); then
    echo >&2
    echo "orientir (<) and DuckDB (>) disagree:" >&2
    diff "$WORK/orientir.csv" "$WORK/duckdb.csv" | head -n 40 >&2 || true
    exit 1
fi
