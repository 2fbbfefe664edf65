#!/usr/bin/env python3
"""The Python stack a user would otherwise assemble for what `chorus run` does (issue #8.6):
ftfy for text repair, datasketch MinHash-LSH for near-duplicate (copy) detection, and
scikit-learn TF-IDF + threshold clustering for stories. Reads the same JSONL chorus reads
and prints what it found and how long each step took.

Run through bench/peer.sh, which creates the venv (target/python-peer-venv) with the pinned
versions below and times chorus against this script on the same generated corpus. Run
directly: `target/python-peer-venv/bin/python bench/python_peer.py corpus.jsonl`.
"""

import json
import re
import sys
import time

# Pinned in bench/peer.sh: ftfy==6.3.1 datasketch==1.6.5 scikit-learn==1.6.1
import ftfy
import numpy as np
from datasketch import MinHash, MinHashLSH
from scipy.sparse.csgraph import connected_components
from sklearn.feature_extraction.text import TfidfVectorizer

WORD = re.compile(r"\w+", re.UNICODE)
# Same role as chorus's story threshold: cosine similarity of TF-IDF vectors that joins two
# articles into one story (single link over the similarity graph).
STORY_THRESHOLD = 0.35
# Jaccard threshold over word 5-shingles for "one copies the other".
COPY_THRESHOLD = 0.5


def shingles(text, k=5):
    words = WORD.findall(text.lower())
    return {" ".join(words[i : i + k]) for i in range(max(1, len(words) - k + 1))}


def main(path):
    t0 = time.perf_counter()
    with open(path, encoding="utf-8") as f:
        articles = [json.loads(line) for line in f if line.strip()]
    texts = [a.get("text") or "" for a in articles]
    t_read = time.perf_counter()

    repaired = [ftfy.fix_text(t) for t in texts]
    changed = sum(1 for a, b in zip(texts, repaired) if a != b)
    t_repair = time.perf_counter()

    lsh = MinHashLSH(threshold=COPY_THRESHOLD, num_perm=128)
    hashes = []
    for i, text in enumerate(repaired):
        m = MinHash(num_perm=128)
        m.update_batch([s.encode("utf-8") for s in shingles(text)])
        lsh.insert(str(i), m)
        hashes.append(m)
    copies = 0
    for i, m in enumerate(hashes):
        copies += sum(1 for j in lsh.query(m) if int(j) < i)
    t_dedup = time.perf_counter()

    tfidf = TfidfVectorizer(sublinear_tf=True, stop_words="english", max_df=0.5, min_df=1)
    x = tfidf.fit_transform(repaired)
    sim = (x @ x.T).tocsr()
    sim.data[sim.data < STORY_THRESHOLD] = 0
    sim.eliminate_zeros()
    n_stories, labels = connected_components(sim, directed=False)
    sizes = np.bincount(labels)
    t_cluster = time.perf_counter()

    print(
        json.dumps(
            {
                "articles": len(articles),
                "repaired": changed,
                "copy_pairs": copies,
                "stories": int(n_stories),
                "largest_story": int(sizes.max()) if len(sizes) else 0,
                "seconds": {
                    "read": round(t_read - t0, 3),
                    "repair_ftfy": round(t_repair - t_read, 3),
                    "dedup_minhash_lsh": round(t_dedup - t_repair, 3),
                    "cluster_tfidf": round(t_cluster - t_dedup, 3),
                    "total": round(t_cluster - t0, 3),
                },
            }
        )
    )


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python_peer.py corpus.jsonl")
    main(sys.argv[1])
