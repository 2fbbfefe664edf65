#!/usr/bin/env bash
# chorus vs the Python stack (issue #8.6): generates one corpus of N articles (default
# 10,000) from examples/corpus, times `chorus run` (release) and bench/python_peer.py
# (ftfy + datasketch MinHash-LSH + scikit-learn TF-IDF clustering) on it, and prints the
# ratio of wall times. Creates target/python-peer-venv from PyPI on first use (network).
# usage: bench/peer.sh [N]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-10000}
target=${CARGO_TARGET_DIR:-target}
venv=target/python-peer-venv
work=target/peer
mkdir -p "$work"
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import ftfy, datasketch, sklearn" 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q ftfy==6.3.1 datasketch==1.6.5 scikit-learn==1.6.1
fi
cargo build --release --locked -q
python3 bench/make_corpus.py examples/corpus/articles.jsonl "$n" "$work/corpus.jsonl"
echo "corpus: $n articles, $(du -h "$work/corpus.jsonl" | cut -f1)"

now() { python3 -c 'import time; print(time.perf_counter())'; }
t0=$(now)
"$target/release/chorus" run "$work/corpus.jsonl" --format json --quiet --out "$work/chorus.json"
t1=$(now)
"$venv/bin/python" bench/python_peer.py "$work/corpus.jsonl" > "$work/python.json"
t2=$(now)
python3 - "$t0" "$t1" "$t2" "$work" <<'PY'
import json, sys
t0, t1, t2, work = float(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), sys.argv[4]
rep = json.load(open(f"{work}/chorus.json"))
py = json.load(open(f"{work}/python.json"))
c, p = t1 - t0, t2 - t1
print(f"chorus run: {c:.2f} s wall, {len(rep['articles'])} articles, {len(rep['stories'])} stories "
      "(+ origins, quotes, facts, conflicts, timelines, offsets)")
print(f"python peer: {p:.2f} s wall, {py['articles']} articles, {py['stories']} stories, "
      f"{py['copy_pairs']} copy pairs; steps {py['seconds']}")
print(f"ratio (python / chorus): {p / c:.1f}x")
PY
