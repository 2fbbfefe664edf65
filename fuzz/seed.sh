#!/usr/bin/env bash
# Builds the fuzzers' seed corpora under fuzz/corpus/<target>/ from the repo's small
# fixtures only (crates/engine/testdata/ingest, examples/corpus): HTML pages, feeds,
# JSONL lines, article texts, and WARC/gzip files made from them. Idempotent.
set -euo pipefail
cd "$(dirname "$0")"
fx=../crates/engine/testdata/ingest
jsonl=../examples/corpus/articles.jsonl
for t in decode jsonl html feed warc gzip repair analyze; do mkdir -p "corpus/$t"; done
cp "$fx"/*.htm* corpus/html/
cp "$fx"/*.rss "$fx"/*.atom corpus/feed/
cp "$fx"/* corpus/decode/
python3 - "$jsonl" "$fx" <<'PY'
import gzip, json, os, sys
jsonl, fx = sys.argv[1], sys.argv[2]
lines = [l for l in open(jsonl, encoding="utf-8") if l.strip()]
def put(target, name, data):
    with open(os.path.join("corpus", target, name), "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8"))
put("jsonl", "all.jsonl", "".join(lines[:8]))
for i, l in enumerate(lines[:12]):
    put("jsonl", f"line{i}.jsonl", l)
    text = json.loads(l).get("text", "")
    put("repair", f"text{i}.txt", text)
    put("analyze", f"text{i}.txt", text)
    put("decode", f"latin{i}.txt", text.encode("cp1252", "replace"))
    put("gzip", f"text{i}.gz", gzip.compress(text.encode("utf-8")))
put("repair", "mojibake.txt", "Russiaâ€™s president said Ã©tÃ© was â€œfineâ€\u00a0.\nAdvertisement\nasylum in , saying")
def record(i, name):
    body = open(os.path.join(fx, name), "rb").read()
    http = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n\r\n" + body
    head = (f"WARC/1.1\r\nWARC-Type: response\r\nWARC-Target-URI: https://x.example/{i}\r\n"
            f"WARC-Date: 2031-02-03T04:05:06Z\r\nWARC-Record-ID: <urn:uuid:{i}>\r\n"
            f"Content-Type: application/http; msgtype=response\r\nContent-Length: {len(http)}\r\n\r\n")
    return head.encode() + http + b"\r\n\r\n"
pages = sorted(n for n in os.listdir(fx) if n.endswith((".html", ".htm")))
recs = [record(i, n) for i, n in enumerate(pages[:4])]
put("warc", "plain.warc", b"".join(recs))
put("warc", "members.warc.gz", b"".join(gzip.compress(r) for r in recs))
put("warc", "one.warc", recs[0])
put("gzip", "members.gz", b"".join(gzip.compress(r) for r in recs[:2]))
put("decode", "one.warc", recs[0])
PY
