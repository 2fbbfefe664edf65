#!/usr/bin/env bash
# Bad input at scale (issue #8.3): N generated files (default 10,000), 1% hostile (binary,
# truncated gzip/WARC, invalid UTF-8, a 100 MiB line, an over-long JSONL record, empty,
# 10,000 nested tags, wrong charsets, deeply nested JSON), run through the release
# `chorus run`. Checks that every good article is processed, every bad file is reported
# once by name with its reason, exit code 3, no panic; prints files, articles and seconds.
# The normal test suite runs the same test at 1,000 files.
# usage: bench/bad-input.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
CHORUS_BAD_INPUT_FILES=${1:-10000} cargo test --release --locked --test cli \
  cli::bad_input::a_large_batch_with_one_percent_hostile -- --exact --nocapture
