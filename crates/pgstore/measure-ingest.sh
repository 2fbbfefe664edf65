#!/usr/bin/env bash
# Ingest throughput of `chorus ingest` (release build) on one JSONL corpus: into PostgreSQL
# with one worker, with two workers (each half of the corpus, and both the whole corpus),
# and into SQLite for comparison. Starts its own PostgreSQL through .ci/postgres.sh.
#
#   cargo build --release && crates/pgstore/measure-ingest.sh CORPUS.jsonl
#
# CHORUS_BIN overrides the binary (default: $CARGO_TARGET_DIR or target, /release/chorus).
set -euo pipefail
corpus=$(realpath "${1:?usage: measure-ingest.sh CORPUS.jsonl}")
cd "$(dirname "$0")/../.."
bin=${CHORUS_BIN:-${CARGO_TARGET_DIR:-$PWD/target}/release/chorus}
work=$(mktemp -d /tmp/chorus-measure.XXXXXX)
source .ci/postgres.sh
trap 'chorus_pg_stop; rm -rf "$work"' EXIT
n=$(grep -c . "$corpus")
head -n $((n / 2)) "$corpus" >"$work/h1.jsonl"
tail -n +$((n / 2 + 1)) "$corpus" >"$work/h2.jsonl"
server=${CHORUS_TEST_PG%/*}
for db in one two same; do psql -q "$CHORUS_TEST_PG" -c "CREATE DATABASE m_$db"; done

# Wall seconds of a command.
secs() {
  local t0 t1
  t0=$(date +%s.%N)
  "$@" >/dev/null
  t1=$(date +%s.%N)
  echo "$t1 - $t0" | bc
}
report() { printf '%-28s %7.2f s  %6.1f articles/s\n' "$1" "$2" "$(echo "$n / $2" | bc -l)"; }

one=$(secs "$bin" ingest "$corpus" --db "$server/m_one")
two=$(secs bash -c "'$bin' ingest '$work/h1.jsonl' --db '$server/m_two' & '$bin' ingest '$work/h2.jsonl' --db '$server/m_two' & wait")
same=$(secs bash -c "'$bin' ingest '$corpus' --db '$server/m_same' & '$bin' ingest '$corpus' --db '$server/m_same' & wait")
sqlite=$(secs "$bin" ingest "$corpus" --db "$work/archive.db")

echo "corpus: $corpus ($n lines); $(nproc) cores, load average $(cut -d' ' -f1 /proc/loadavg)"
for db in one two same; do
  echo "m_$db: articles|stories = $(psql -tA "$server/m_$db" -c 'SELECT count(*), count(DISTINCT story) FROM chorus_articles')"
done
report "PostgreSQL, one worker" "$one"
report "PostgreSQL, two (halves)" "$two"
report "PostgreSQL, two (same input)" "$same"
report "SQLite, one worker" "$sqlite"
