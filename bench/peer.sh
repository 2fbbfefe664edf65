#!/usr/bin/env bash
# chorus vs the Python stack (issue #8.6): generates one corpus of N articles (default
# 10,000) from examples/corpus, times `chorus run` and `chorus run --stories-only` (release)
# and bench/python_peer.py (ftfy + datasketch MinHash-LSH + scikit-learn TF-IDF clustering)
# on it, and prints the ratios of wall times and of CPU seconds for both modes. The
# stories-only run does what the peer does and more (repairs with offsets, stories,
# copy/rewrite/translation derivations, origin groups); the full run adds quotes, facts,
# conflicts and timelines. Creates target/python-peer-venv from PyPI on
# first use (network).
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

# Runs each side as a child of one Python process and reads its wall time and its CPU
# seconds (user + system, from the children's rusage), so the ratio can be told both ways:
# wall (chorus uses every core, the peer one) and CPU (work done, whatever the load).
python3 - "$target/release/chorus" "$venv/bin/python" "$work" <<'PY'
import json, resource, subprocess, sys, time
chorus, python, work = sys.argv[1:4]


def timed(cmd, out):
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    with open(out, "w") as f:
        subprocess.run(cmd, stdout=f, check=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu


corpus = f"{work}/corpus.jsonl"
run = [chorus, "run", corpus, "--format", "json", "--quiet"]
cw, cc = timed(run, f"{work}/chorus.json")
sw, sc = timed(run + ["--stories-only"], f"{work}/chorus-stories.json")
pw, pc = timed([python, "bench/python_peer.py", corpus], f"{work}/python.json")
rep = json.load(open(f"{work}/chorus.json"))
light = json.load(open(f"{work}/chorus-stories.json"))
py = json.load(open(f"{work}/python.json"))
edges = sum(len(s["derivations"]) for s in light["stories"])
print(f"chorus run: {cw:.2f} s wall, {cc:.2f} CPU-s, {len(rep['articles'])} articles, "
      f"{len(rep['stories'])} stories (+ origins, quotes, facts, conflicts, timelines, offsets)")
print(f"chorus run --stories-only: {sw:.2f} s wall, {sc:.2f} CPU-s, "
      f"{len(light['stories'])} stories, {edges} derivations (+ repairs with offsets, origin groups)")
print(f"python peer: {pw:.2f} s wall, {pc:.2f} CPU-s, {py['articles']} articles, "
      f"{py['stories']} stories, {py['copy_pairs']} copy pairs; steps {py['seconds']}")
print(f"ratio (python / chorus run): {pw / cw:.1f}x wall, {pc / cc:.1f}x CPU")
print(f"ratio (python / chorus run --stories-only): {pw / sw:.1f}x wall, {pc / sc:.1f}x CPU")
PY
