#!/usr/bin/env bash
# Fuzz smoke test: builds the cargo-fuzz targets of fuzz/ and runs each for a short while
# (FUZZ_SECONDS, default 20) on its seed corpus; any crash, timeout or leak fails CI.
# Long runs (>= 10 minutes per target) are done by hand: see README "Fuzzing".
# Stable Rust only: RUSTC_BOOTSTRAP=1 lets cargo-fuzz pass its nightly flags.
# FUZZ_TARGET_DIR, when set, is the cargo target dir (default fuzz/target).
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
export RUSTC_BOOTSTRAP=1 CARGO_TERM_COLOR=never
if ! cargo fuzz --version >/dev/null 2>&1; then
  cargo install cargo-fuzz --locked
fi
./seed.sh
dir=(${FUZZ_TARGET_DIR:+--target-dir "$FUZZ_TARGET_DIR"})
cargo fuzz build -O "${dir[@]}"
log=$(mktemp)
trap 'rm -f "$log"' EXIT
for t in $(cargo fuzz list); do
  echo "== fuzz $t (${FUZZ_SECONDS:-20} s)"
  rc=0
  cargo fuzz run -O "${dir[@]}" "$t" "corpus/$t" -- \
    -max_total_time="${FUZZ_SECONDS:-20}" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    >"$log" 2>&1 || rc=$?
  grep -E '^(#[0-9]+ +DONE|stat::(number_of_executed_units|average_exec_per_sec)|SUMMARY|==[0-9]+==)' "$log" || true
  if [ "$rc" -ne 0 ]; then
    tail -n 60 "$log"
    echo "fuzz target $t failed (exit $rc); the input is under fuzz/artifacts/$t/"
    exit 1
  fi
done
