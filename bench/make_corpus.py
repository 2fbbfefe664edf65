#!/usr/bin/env python3
"""Writes a JSONL corpus of N articles for bench/peer.sh by replicating a seed JSONL the
way `chorus bench` does: each replica renames every capitalised word with a replica tag
(`Ellery` -> `Ellerybq`), so replicas are distinct events with the same structure (copies,
rewrites, damage and all) and the stream has many stories.

usage: make_corpus.py SEED.jsonl N OUT.jsonl
"""

import json
import re
import sys

CAP = re.compile(r"\b([A-Z][a-z]+)\b")
LETTERS = "bcdfghjklmnpqrstvwxz"


def tag(r):
    out = ""
    while True:
        out += LETTERS[r % len(LETTERS)]
        r //= len(LETTERS)
        if r == 0:
            return out


def main(seed, n, out):
    with open(seed, encoding="utf-8") as f:
        base = [json.loads(line) for line in f if line.strip()]
    with open(out, "w", encoding="utf-8") as f:
        for i in range(n):
            r, a = divmod(i, len(base))
            t = tag(r)
            rec = dict(base[a])
            rec["id"] = f"{rec['id']}-{t}"
            for k in ("text", "title", "source"):
                if rec.get(k):
                    rec[k] = CAP.sub(lambda m: m.group(1) + t, rec[k]) if r else rec[k]
            if rec.get("url"):
                rec["url"] = f"{rec['url']}?r={t}"
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    main(sys.argv[1], int(sys.argv[2]), sys.argv[3])
