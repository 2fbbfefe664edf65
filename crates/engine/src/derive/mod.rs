//! The derive stage: finds which articles of a story copy, rewrite or translate one another,
//! and groups them into origin groups (a wire story copied by five sites is one source).
//!
//! Sharing facts is not sharing origin; sharing distinctive *wording* is. Candidates come
//! from MinHash-LSH (near-duplicates) and an inverted index of sampled wording keys (never
//! all pairs); each candidate pair is then aligned sentence by sentence on its own, unquoted
//! words ([`align`]): near-identical coverage ≥ 0.8 is a copy, several order-consistent
//! spun or copied sentences a rewrite. Hand-written: no crate does sentence-level reuse.

use std::borrow::Cow;

use rayon::prelude::*;

pub mod align;
pub mod prep;
mod record;

use crate::analyze::signature::{self, FastMap, LshIndex};
use crate::record::{Analyzed, Article, ArticleIdx, Derivation, DerivationKind, Repaired};
use align::Alignment;
use prep::Prepared;
pub use record::{Record, Source};

/// Near-identical coverage (or MinHash Jaccard) at which a pair is a copy.
pub const COPY: f32 = 0.8;
/// Minimum order-consistent sentence matches for a rewrite.
pub const REWRITE_SENTENCES: usize = 3;
/// Minimum share of the smaller article's own words covered for a rewrite.
pub const REWRITE_COVER: f32 = 0.25;
/// Near-identical sentences that alone show shared wording (a partial copy).
pub const PARTIAL_COPY_SENTENCES: usize = 2;
/// Candidate pairs examined per article at most.
const MAX_CANDIDATES: usize = 24;
/// Wording keys shared by more members than this are not distinctive.
const MAX_POSTING: usize = 64;

/// Finds derivation edges among `members` (indices into the batch slices).
pub fn derive(
    articles: &[Article],
    repaired: &[Repaired],
    analyzed: &[Analyzed],
    members: &[ArticleIdx],
) -> Vec<Derivation> {
    let n = articles.len().min(repaired.len()).min(analyzed.len());
    derive_from(members, n, |m| Source::of(&articles[m], &repaired[m], &analyzed[m]))
}

/// Finds derivation edges among `members` (indices into `records`), from the compact
/// records a streaming run keeps instead of whole batches.
pub fn derive_records(records: &[Record], members: &[ArticleIdx]) -> Vec<Derivation> {
    derive_from(members, records.len(), |m| records[m].source())
}

/// Derivation over any store of articles: `source(m)` for each member `m < n`.
fn derive_from<'a>(
    members: &[ArticleIdx],
    n: usize,
    source: impl Fn(ArticleIdx) -> Source<'a>,
) -> Vec<Derivation> {
    let mut members: Vec<ArticleIdx> = members.iter().copied().filter(|&m| m < n).collect();
    members.sort_unstable();
    members.dedup();
    let srcs: Vec<Source<'a>> = members.iter().map(|&m| source(m)).collect();
    // Preparing and judging are independent per article and per pair, so both run on the
    // pool: a story of a thousand copies is otherwise one thread's work while the others
    // wait. `collect` keeps the order, so the edges are those of a sequential pass.
    let preps: Vec<Prepared> =
        srcs.par_iter().map(|s| prep::prepare_parts(s.text, s.sentences, &s.quotes)).collect();
    // Signatures are borrowed, not copied (each is 64 words).
    let sigs: Vec<Cow<'a, [u64]>> = srcs
        .iter()
        .map(|s| match s.signature.is_empty() {
            true => Cow::Owned(signature::minhash(s.text)),
            false => Cow::Borrowed(s.signature),
        })
        .collect();
    let mut edges: Vec<Derivation> = candidates(&preps, &sigs)
        .into_par_iter()
        .filter_map(|(i, j)| {
            let jac = signature::jaccard(&sigs[i], &sigs[j]);
            let langs = (srcs[i].language, srcs[j].language);
            let e = judge(&preps[i], &preps[j], jac, langs)?;
            let a = (members[i], &srcs[i], &preps[i]);
            let b = (members[j], &srcs[j], &preps[j]);
            Some(edge(a, b, e))
        })
        .collect();
    edges.sort_by_key(|x| (x.article, x.from));
    edges
}

/// The derivation tree of a story: for each derived article, its single most likely
/// source (the strongest edge; ties go to the earlier source). This is what the report lists;
/// origin groups are computed from all edges ([`origin_groups`]), since a weaker edge can
/// still be the one that joins two copies.
pub fn best_parents(edges: &[Derivation]) -> Vec<Derivation> {
    let mut best: FastMap<ArticleIdx, &Derivation> = FastMap::default();
    for e in edges {
        match best.get(&e.article) {
            Some(b) if b.score > e.score || (b.score == e.score && b.from <= e.from) => {}
            _ => {
                best.insert(e.article, e);
            }
        }
    }
    let mut out: Vec<Derivation> = best.into_values().cloned().collect();
    out.sort_by_key(|e| e.article);
    out
}

/// The verdict on one pair: kind, score and the aligned sentence matches.
struct Verdict {
    kind: DerivationKind,
    score: f32,
    alignment: Alignment,
}

fn judge(a: &Prepared, b: &Prepared, jaccard: f32, langs: (&str, &str)) -> Option<Verdict> {
    let al = align::align(a, b);
    let near = al.matches.iter().filter(|m| m.sim >= align::NEAR).count();
    let (kind, score) = if al.near_cover >= COPY || (jaccard >= COPY && !al.matches.is_empty()) {
        (DerivationKind::Copy, al.near_cover.max(jaccard))
    } else if (al.matches.len() >= REWRITE_SENTENCES && al.cover >= REWRITE_COVER)
        || near >= PARTIAL_COPY_SENTENCES
    {
        (DerivationKind::Rewrite, al.cover)
    } else if let Some(s) = translation(a, b, langs) {
        (DerivationKind::Translation, s)
    } else {
        return None;
    };
    Some(Verdict { kind, score: score.clamp(0.0, 1.0), alignment: al })
}

/// Articles in different languages whose numbers and names appear in the same order.
fn translation(a: &Prepared, b: &Prepared, (la, lb): (&str, &str)) -> Option<f32> {
    if la == lb || la == "und" || lb == "und" || la.is_empty() || lb.is_empty() {
        return None;
    }
    if a.anchors.len().min(b.anchors.len()) < 8 {
        return None;
    }
    let s = align::lcs_dice(&a.anchors, &b.anchors);
    (s >= 0.6).then_some(s)
}

/// One side of a judged pair: its index, what derivation read of it, its preparation.
type Side<'s, 'a> = (ArticleIdx, &'s Source<'a>, &'s Prepared);

fn edge(a: Side<'_, '_>, b: Side<'_, '_>, v: Verdict) -> Derivation {
    // The earlier-published article is the origin; on equal or unknown dates, input order.
    let a_first = match (a.1.date, b.1.date) {
        (Some(x), Some(y)) if x != y => x < y,
        _ => a.0 < b.0,
    };
    let (later, later_is_a) = if a_first { (b, false) } else { (a, true) };
    let text = later.1.text;
    let mut ms = v.alignment.matches.clone();
    ms.sort_by(|x, y| y.sim.total_cmp(&x.sim));
    let evidence = ms
        .iter()
        .take(3)
        .map(|m| {
            let s = &later.2.sentences[if later_is_a { m.a } else { m.b }];
            s.span.slice(text).to_string()
        })
        .collect();
    Derivation {
        article: later.0,
        from: if a_first { a.0 } else { b.0 },
        kind: v.kind,
        score: v.score,
        evidence,
    }
}

/// Candidate pairs `(i, j)`, `i < j`, positions in the member list: LSH collisions of the
/// MinHash signatures plus pairs sharing ≥ 2 distinctive sampled wording keys.
fn candidates(preps: &[Prepared], sigs: &[Cow<'_, [u64]>]) -> Vec<(usize, usize)> {
    let mut lsh = LshIndex::new();
    let mut postings: FastMap<u64, Vec<usize>> = FastMap::default();
    let mut out = Vec::new();
    for (j, p) in preps.iter().enumerate() {
        let mut count: FastMap<usize, usize> = FastMap::default();
        for &i in &lsh.query_insert(j, &sigs[j], MAX_CANDIDATES) {
            *count.entry(i).or_default() += 2;
        }
        for k in &p.keys {
            let post = postings.entry(*k).or_default();
            if post.len() < MAX_POSTING {
                for &i in post.iter() {
                    *count.entry(i).or_default() += 1;
                }
                post.push(j);
            }
        }
        let mut found: Vec<(usize, usize)> =
            count.into_iter().filter(|&(i, c)| c >= 2 && i != j).collect();
        found.sort_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
        out.extend(found.into_iter().take(MAX_CANDIDATES).map(|(i, _)| (i, j)));
    }
    out
}

/// Groups `members` into origin groups by the derivation edges (connected components),
/// each group sorted, groups ordered by their first member.
pub fn origin_groups(members: &[ArticleIdx], edges: &[Derivation]) -> Vec<Vec<ArticleIdx>> {
    let mut ms: Vec<ArticleIdx> = members.to_vec();
    ms.sort_unstable();
    ms.dedup();
    let pos: FastMap<ArticleIdx, usize> = ms.iter().enumerate().map(|(i, &m)| (m, i)).collect();
    let mut parent: Vec<usize> = (0..ms.len()).collect();
    fn root(p: &mut [usize], mut x: usize) -> usize {
        while p[x] != x {
            p[x] = p[p[x]];
            x = p[x];
        }
        x
    }
    for e in edges {
        if let (Some(&a), Some(&b)) = (pos.get(&e.article), pos.get(&e.from)) {
            let (ra, rb) = (root(&mut parent, a), root(&mut parent, b));
            parent[ra.max(rb)] = ra.min(rb);
        }
    }
    let mut groups: Vec<Vec<ArticleIdx>> = Vec::new();
    let mut slot: FastMap<usize, usize> = FastMap::default();
    for (i, &m) in ms.iter().enumerate() {
        let r = root(&mut parent, i);
        let g = *slot.entry(r).or_insert_with(|| {
            groups.push(Vec::new());
            groups.len() - 1
        });
        groups[g].push(m);
    }
    groups
}

#[cfg(test)]
mod tests;
