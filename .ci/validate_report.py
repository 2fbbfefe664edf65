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


def check_seeds(report):
    """The acceptance of issue 2 on ../shared/seeds: repairs, entities, quotes, timeline."""
    story = report["stories"][0]
    assert len(story["articles"]) == 5, "seeds: one story holding all five articles"
    repairs = {}
    for a in report["articles"]:
        for r in a["repairs"]:
            repairs.setdefault(a["id"][:3], []).append(r)
    def has(art, kind, text):
        return any(r["kind"] == kind and text in r["original"] for r in repairs.get(art, []))
    assert has("004", "mojibake", "ā") or has("004", "mojibake", "â"), "seeds: 004 mojibake"
    assert has("004", "repeated_paragraph", ""), "seeds: 004 repeated lead"
    assert has("003", "missing_text", "in ,"), "seeds: 003 'asylum in , saying'"
    assert has("003", "missing_text", "! and"), "seeds: 003 'Breaking! and his family'"
    assert has("002", "boilerplate", "Headlines"), "seeds: 002 Headlines"
    assert has("002", "boilerplate", "READ ALSO"), "seeds: 002 READ ALSO"
    names = {}
    for e in story["entities"]:
        for form in [e["name"], *e["aliases"]]:
            names[form] = e["name"]
    groups = [["Tartus", "Tartous"], ["Hmeimim", "Khmeimim"], ["Latakia", "Lattakia"],
              ["HTS", "Hayat Tahrir al-Sham", "Hayat al-Tahrir al-Sham"],
              ["Peskov", "Dmitry Peskov"], ["Assad", "al-Assad", "Bashar al-Assad"],
              ["Putin", "Vladimir Putin"]]
    for forms in groups:
        canon = {names.get(f) for f in forms}
        assert None not in canon and len(canon) == 1, f"seeds: {forms} must be one entity: {canon}"
    def quote(fragment, articles):
        for q in story["quotes"]:
            if any(fragment in v["text"] for v in q["variants"]):
                arts = {v["article"][:3] for v in q["variants"]}
                assert set(articles) <= arts, f"seeds: {fragment!r} variants {arts}"
                assert "Peskov" in (q["speaker"] or ""), f"seeds: {fragment!r} speaker {q['speaker']}"
                return
        raise AssertionError(f"seeds: no quote {fragment!r}")
    quote("premature to talk about it", ["003", "004"])
    quote("for discussion with those who will be in power in Syria", ["000", "004"])
    dates = [t["date"][-5:] for t in story["timeline"]]
    order = [dates.index(d) for d in ("11-27", "12-07", "12-08") if d in dates]
    assert len(order) == 3 and order == sorted(order), f"seeds: timeline Nov 27 → Dec 7 → Dec 8: {dates}"


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
        check_seeds(report)
    print(f"report ok: {len(report['articles'])} articles, {len(report['stories'])} stories")


if __name__ == "__main__":
    main()
