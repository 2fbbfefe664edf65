#!/usr/bin/env python3
"""Checks a `chorus run --format json` report against the JSON contract of DESIGN.md.

Usage: validate_report.py REPORT.json [--seeds]
With --seeds, also checks the acceptance properties on ../shared/seeds that do not depend on
wording (one story holding all five articles; repairs of each kind present).
"""
import json
import sys

ARTICLE = {"id", "source", "url", "title", "published", "language", "repairs"}
REPAIR = {"kind", "start", "end", "original", "replacement"}
STORY = {"id", "headline", "articles", "origin_groups", "independent_sources", "derivations",
         "entities", "quotes", "facts", "conflicts", "timeline", "summary"}
DERIVATION = {"article", "from", "kind", "score"}
ENTITY = {"name", "kind", "aliases", "articles", "mentions"}
QUOTE = {"speaker", "text", "variants"}
VARIANT = {"article", "text", "start", "end"}
FACT = {"text", "support", "independent_support"}
SUPPORT = {"article", "sentence", "start", "end"}
CONFLICT = {"topic", "sides"}
SIDE = {"value", "support"}
TIMELINE = {"date", "text", "articles"}
SUMMARY = {"text", "support"}


def need(obj, fields, where):
    missing = fields - set(obj)
    if missing:
        sys.exit(f"{where}: missing fields {sorted(missing)}")


def main():
    report = json.load(open(sys.argv[1]))
    need(report, {"articles", "stories"}, "report")
    ids = set()
    for a in report["articles"]:
        need(a, ARTICLE, f"article {a.get('id')}")
        ids.add(a["id"])
        for r in a["repairs"]:
            need(r, REPAIR, f"repair in {a['id']}")
    seen = []
    for s in report["stories"]:
        where = f"story {s.get('id')}"
        need(s, STORY, where)
        seen += s["articles"]
        assert s["independent_sources"] == len(s["origin_groups"]), where
        for d in s["derivations"]:
            need(d, DERIVATION, where)
            assert d["kind"] in ("copy", "rewrite", "translation"), d
        for e in s["entities"]:
            need(e, ENTITY, where)
            assert e["kind"] in ("person", "organization", "location", "misc"), e
        for q in s["quotes"]:
            need(q, QUOTE, where)
            for v in q["variants"]:
                need(v, VARIANT, where)
        for f in s["facts"]:
            need(f, FACT, where)
            for sup in f["support"]:
                need(sup, SUPPORT, where)
        for c in s["conflicts"]:
            need(c, CONFLICT, where)
            for side in c["sides"]:
                need(side, SIDE, where)
        for t in s["timeline"]:
            need(t, TIMELINE, where)
        for line in s["summary"]:
            need(line, SUMMARY, where)
    assert sorted(seen) == sorted(ids), "every article must be in exactly one story"
    if "--seeds" in sys.argv:
        assert len(report["stories"]) == 1, f"seeds: expected 1 story, got {len(report['stories'])}"
        kinds = {r["kind"] for a in report["articles"] for r in a["repairs"]}
        for k in ("mojibake", "missing_text", "boilerplate", "repeated_paragraph"):
            assert k in kinds, f"seeds: no {k} repair"
    print(f"report ok: {len(report['articles'])} articles, {len(report['stories'])} stories")


if __name__ == "__main__":
    main()
