//! Quotes across outlets: one [`QuoteReport`] per utterance with every wording of it.
//!
//! Quotes of a story's articles are grouped by content similarity (containment of stemmed
//! content words, so trimmed and re-translated wordings still meet: "it is still premature to
//! talk about it" / "It’s premature to talk about it yet") when their speakers are compatible
//! (same canonical entity, same surname, or one unknown). Each article contributes at most one
//! wording per utterance; offsets are mapped back to the original text. Hand-written: the
//! grouping is a small union-find over pairs, no crate needed.
//!
//! Across languages shared words mean little, so wordings in different languages join in a
//! pass of their own ([`join_translations`]): same canonical speaker, articles of one origin
//! group or joined by a translation edge, and the anchors a translation keeps
//! ([`super::crosslang`]: numbers, names, quoted fragments, cognates) with the kind of quote
//! and its place in the article, paired one-to-one in text order; articles of independent
//! origins need strong anchors. A speaker written only as a role ("the spokesman") is resolved
//! through the story's role introductions ([`super::roles`]) when its article names no one.
//!
//! A rewrite in the same language swaps words for synonyms and shares too few of them for
//! the grouping above ("the repairs were completed that spring" / "the fixes were finished
//! that spring"). The derivation is the evidence there ([`join_rewrites`]): for two articles
//! of one origin group, each speaker's wordings not yet grouped with one of the other article
//! pair one-to-one in text order under a lower bar (same-fact score, shared words, kind and
//! place), never across numbers that disagree or a negation one wording lacks. A variant in
//! other words than the representative (no copy, no trim) is marked `paraphrase`.

use std::cell::OnceCell;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use super::canon::EntityTable;
use super::compare::Statement;
use super::crosslang::{self, Anchors};
use super::dateline;
use super::roles::Roles;
use crate::analyze::signature::sorted_overlap;
use crate::pipeline::{Batch, DerivedStory};
use crate::record::{ArticleIdx, ContentKind, Quote, RepairKind, Span};
use crate::report::{QuoteReport, QuoteVariant};
use crate::text::{content_terms, fold};

/// Minimum share of the shorter wording's content terms found in the other wording.
const MIN_CONTAINMENT: f64 = 0.6;
/// Containment needed between long wordings (at least [`LONG`] content terms each).
const MIN_CONTAINMENT_LONG: f64 = 0.5;
/// Number of content terms from which a wording counts as long.
const LONG: usize = 8;
/// Minimum number of shared content terms (two-word quotes match only exactly).
const MIN_SHARED: usize = 2;

/// One candidate wording.
struct Item<'a> {
    article: ArticleIdx,
    quote: &'a Quote,
    /// The quote's content span, after the dateline when the content is a whole lead
    /// sentence of reported speech ("PORT ELLERY (Varnes) — Three died…, the VMSA said").
    content: Span,
    text: &'a str,
    /// The wording's content terms ([`wording_terms`]), sorted, distinct. This and the
    /// other readings of a wording are shared by the items of one text and language
    /// (copies repeat quotes word for word; each reading is a function of both alone).
    terms: Rc<Vec<String>>,
    /// The values of the numbers in the wording, sorted, distinct (bits of the f64).
    numbers: Rc<Vec<u64>>,
    /// The wording prepared for the same-fact test (reported speech only, on demand).
    stmt: Rc<OnceCell<Statement>>,
    /// The speaker's entity (`EntityTable::index_of`) and folded surname, resolved once per
    /// wording rather than once per compared pair; `None` when the speaker is unknown.
    speaker: Option<(Option<usize>, String)>,
    /// The speaker's name: the quote's own, else the person the story introduces with the
    /// role its source names ([`Roles`]).
    name: Option<String>,
    /// The article's language.
    lang: &'a str,
    /// Where the wording starts, as a share of its article's length (0..1).
    place: f32,
    /// The wording's anchors for comparison across languages (on demand).
    anchors: Rc<OnceCell<Anchors>>,
}

impl Item<'_> {
    fn anchors(&self) -> &Anchors {
        self.anchors.get_or_init(|| Anchors::new(self.text, self.lang))
    }

    /// The wording prepared for the same-fact test, on first use.
    fn statement(&self) -> &Statement {
        self.stmt.get_or_init(|| Statement::new(self.text))
    }
}

/// Groups the quotes of `members` into utterances with all their wordings.
pub fn group(batch: &Batch, story: &DerivedStory, entities: &EntityTable) -> Vec<QuoteReport> {
    let members = &story.story.articles;
    let items = collect(batch, members, entities);
    let mut parent: Vec<usize> = (0..items.len()).collect();
    // The same wording by the same speaker is one utterance wherever it appears (copies):
    // join those directly, then compare only distinct wordings, found through shared terms.
    let mut distinct: HashMap<(String, Option<&str>), usize> = HashMap::new();
    let mut reps: Vec<usize> = Vec::new();
    for (i, it) in items.iter().enumerate() {
        let key = (it.text.to_lowercase(), it.name.as_deref());
        match distinct.get(&key) {
            Some(&r) => union(&mut parent, r, i),
            None => {
                distinct.insert(key, i);
                reps.push(i);
            }
        }
    }
    let mut index: HashMap<&str, Vec<usize>> = HashMap::new();
    for (k, &i) in reps.iter().enumerate() {
        for t in items[i].terms.iter() {
            index.entry(t.as_str()).or_default().push(k);
        }
    }
    let mut shared = vec![0usize; reps.len()];
    for (k, &i) in reps.iter().enumerate() {
        let mut touched = Vec::new();
        for t in items[i].terms.iter() {
            for &l in index.get(t.as_str()).into_iter().flatten().filter(|&&l| l > k) {
                if shared[l] == 0 {
                    touched.push(l);
                }
                shared[l] += 1;
            }
        }
        for l in touched {
            let j = reps[l];
            let enough =
                shared[l] >= MIN_SHARED.min(items[i].terms.len().min(items[j].terms.len()));
            shared[l] = 0;
            if enough
                && items[i].article != items[j].article
                && items[i].lang == items[j].lang
                && same_utterance(&items[i], &items[j], entities)
            {
                union(&mut parent, i, j);
            }
        }
    }
    join_rewrites(&items, story, entities, &mut parent);
    for (i, j) in join_translations(&items, story, entities) {
        union(&mut parent, i, j);
    }
    let mut groups: Vec<Vec<usize>> = Vec::new();
    let mut root_of: Vec<Option<usize>> = vec![None; items.len()];
    for i in 0..items.len() {
        let r = find(&mut parent, i);
        match root_of[r] {
            Some(g) => groups[g].push(i),
            None => {
                root_of[r] = Some(groups.len());
                groups.push(vec![i]);
            }
        }
    }
    let main = main_language(&items);
    let mut out: Vec<(usize, QuoteReport)> = groups
        .iter()
        .map(|g| (first_pos(&items, g), report(batch, &items, g, entities, main)))
        .collect();
    out.sort_by(|a, b| b.1.variants.len().cmp(&a.1.variants.len()).then(a.0.cmp(&b.0)));
    out.into_iter().map(|(_, r)| r).collect()
}

/// The quotes worth reporting: direct ones, or indirect ones with a clear speaker, whose
/// content is no bare noun phrase.
fn collect<'a>(batch: &'a Batch, members: &[ArticleIdx], entities: &EntityTable) -> Vec<Item<'a>> {
    let mut items = Vec::new();
    // Built once, and only when a quote's speaker is a role its article does not resolve.
    let roles: OnceCell<Roles> = OnceCell::new();
    let mut readings: HashMap<(&str, &str), Reading> = HashMap::new();
    for &a in members {
        let (Some(rep), Some(an)) = (batch.repaired.get(a), batch.analyzed.get(a)) else {
            continue;
        };
        // A noun phrase object ("refused to confirm Assad’s presence") is no statement; a
        // clause that reports another quote ("Peskov confirmed that …, X reported") shows
        // through that quote.
        let shown =
            |q: &&Quote| matches!(q.content_kind, ContentKind::Clause | ContentKind::Quotation);
        let segs = OnceCell::new();
        for q in an.quotes.iter().filter(shown) {
            let name = q.speaker.clone().or_else(|| {
                let source = q.source?.slice(&rep.text);
                crate::analyze::quote::role_head(source)?;
                let roles = roles.get_or_init(|| Roles::build(batch, members, entities));
                roles.resolve(source).map(String::from)
            });
            if !q.direct && name.is_none() {
                continue;
            }
            // A direct quote interrupted by its attribution ("“A,” said X, who … “B.”") is
            // one quote per PolNeAR; each quoted segment is a wording of its own here, so no
            // wording holds the attribution and each keeps its exact bytes.
            let parts = if q.direct && has_closer_inside(q.content.slice(&rep.text)) {
                let segs = segs.get_or_init(|| crate::analyze::quote::segments(&rep.text));
                crate::analyze::quote::spoken_parts(segs, q)
            } else {
                vec![dateline::trim(&rep.text, &an.sentences, q.content)]
            };
            for content in parts {
                let text = content.slice(&rep.text);
                let (terms, numbers, stmt, anchors) = readings
                    .entry((text, an.language.as_str()))
                    .or_insert_with(|| {
                        let terms = wording_terms(text);
                        // A wording without terms is no item: its numbers are not read.
                        let numbers =
                            if terms.is_empty() { Vec::new() } else { number_values(text) };
                        (Rc::new(terms), Rc::new(numbers), Rc::default(), Rc::default())
                    })
                    .clone();
                if terms.is_empty() {
                    continue;
                }
                let speaker = name.as_deref().map(|s| (entities.index_of(s), surname(s)));
                items.push(Item {
                    article: a,
                    quote: q,
                    content,
                    text,
                    terms,
                    numbers,
                    stmt,
                    speaker,
                    name: name.clone(),
                    lang: an.language.as_str(),
                    place: content.start as f32 / rep.text.len().max(1) as f32,
                    anchors,
                });
            }
        }
    }
    items
}

/// The readings of a wording shared by its items ([`Item::terms`]): terms, numbers, and the
/// cells of its statement and anchors.
type Reading = (Rc<Vec<String>>, Rc<Vec<u64>>, Rc<OnceCell<Statement>>, Rc<OnceCell<Anchors>>);

/// Whether a quote's content holds a closing quote mark (and so may be interrupted).
fn has_closer_inside(content: &str) -> bool {
    content.contains(['”', '"', '»', '\''])
}

/// Whether two wordings are one utterance: similar content and compatible speakers, and,
/// unless both are direct quotes, numbers that agree (reported speech with other numbers
/// is another statement: "three died and 11 are missing" / "nine remain missing, down from
/// 11"; a direct quote with another number is a misquote, flagged in its group).
fn same_utterance(a: &Item, b: &Item, entities: &EntityTable) -> bool {
    let direct = a.quote.direct && b.quote.direct;
    let reported = !direct && numbers_agree(&a.numbers, &b.numbers);
    // A rewrite of reported speech swaps words for synonyms ("three people died" /
    // "three individuals perished"): with the same numbers, a strong same-fact score
    // stands in for the shared words.
    let reworded = reported
        && !a.numbers.is_empty()
        && a.numbers == b.numbers
        && statement_score(a, b) >= REWORDED_MIN;
    (similar_wording(&a.terms, &b.terms) || reworded)
        && speakers_compatible(a, b, entities)
        && (direct || reported && statement_score(a, b) >= REPORTED_MIN)
}

/// Score a pair of wordings in different languages needs when their articles share an
/// origin (one translates the other, or both the same source).
const TRANSLATED_MIN: f32 = 0.4;
/// Anchor agreement ([`crosslang::similarity`]) wordings of independent articles in
/// different languages need, with [`INDEPENDENT_ANCHORS`] shared names and numbers.
const INDEPENDENT_MIN: f32 = 0.6;
/// Names and numbers wordings of independent articles in different languages must share.
const INDEPENDENT_ANCHORS: usize = 2;

/// The pairs of wordings in different languages that are one utterance (see the module
/// doc): for each two articles in different languages, the wordings of each speaker they
/// share, paired one-to-one in text order by [`crosslang::assign`].
fn join_translations(
    items: &[Item],
    story: &DerivedStory,
    entities: &EntityTable,
) -> Vec<(usize, usize)> {
    let Some(first) = items.iter().map(|i| i.lang).find(|l| known(l)) else {
        return Vec::new();
    };
    if items.iter().all(|i| i.lang == first || !known(i.lang)) {
        return Vec::new();
    }
    let articles = by_article(items);
    let mut out = Vec::new();
    for (x, (a, wa)) in articles.iter().enumerate() {
        for (b, wb) in &articles[x + 1..] {
            if items[wa[0]].lang == items[wb[0]].lang {
                continue;
            }
            let related = crosslang::related(story, *a, *b);
            for (sa, sb) in by_speaker(items, wa, wb, entities) {
                let score =
                    |p: usize, q: usize| translation_score(&items[sa[p]], &items[sb[q]], related);
                let min = if related { TRANSLATED_MIN } else { INDEPENDENT_MIN };
                for (p, q) in crosslang::assign(sa.len(), sb.len(), score, min) {
                    out.push((sa[p], sb[q]));
                }
            }
        }
    }
    out
}

/// Score a pair of wordings of one speaker in two related articles of one language needs
/// ([`rewrite_score`]): far below what unrelated wordings need, since the derivation is
/// itself evidence that the articles say the same things.
const REWRITE_MIN: f32 = 0.5;
/// Same-fact score ([`Statement::score`]) below which two wordings of related articles
/// never pair, whatever their kind and place.
const REWRITE_FACT_MIN: f32 = 0.5;

/// Joins, in `parent`, the wordings that a copy or rewrite paraphrases (see the module
/// doc): for each two articles of one language and one origin group, the wordings of each
/// speaker they share that are still in no group with a wording of the other article,
/// paired one-to-one in text order by [`crosslang::assign`] ("the repairs were completed
/// that spring" / "the fixes were finished that spring"). Articles of independent origins
/// never pair here.
fn join_rewrites(
    items: &[Item],
    story: &DerivedStory,
    entities: &EntityTable,
    parent: &mut [usize],
) {
    // The articles of each origin group and language (in one language, sharing an origin
    // group is what relates two articles), so a large story compares only the articles that
    // share a source.
    let mut buckets: HashMap<(usize, &str), Vec<Vec<usize>>> = HashMap::new();
    for (a, w) in by_article(items) {
        let origin = story.origin_of(a);
        if origin != usize::MAX {
            buckets.entry((origin, items[w[0]].lang)).or_default().push(w);
        }
    }
    let mut buckets: Vec<Vec<Vec<usize>>> = buckets.into_values().filter(|b| b.len() > 1).collect();
    // In story order, so the result does not depend on the map's.
    buckets.sort_unstable_by_key(|b| b[0][0]);
    for bucket in &buckets {
        for (x, wa) in bucket.iter().enumerate() {
            for wb in &bucket[x + 1..] {
                pair_rewrite(items, wa, wb, entities, parent);
            }
        }
    }
}

/// Joins, in `parent`, the wordings of one article (`wa`) with those of a related article
/// in its language (`wb`) that are in no group with one of the other side yet: per
/// speaker, one-to-one in text order.
fn pair_rewrite(
    items: &[Item],
    wa: &[usize],
    wb: &[usize],
    entities: &EntityTable,
    parent: &mut [usize],
) {
    // An article holds a few wordings: plain lists beat hashing in the many pairs of a large
    // origin group, whose copies are mostly grouped already.
    let ra: Vec<usize> = wa.iter().map(|&k| find(parent, k)).collect();
    let rb: Vec<usize> = wb.iter().map(|&k| find(parent, k)).collect();
    let open = |w: &[usize], own: &[usize], other: &[usize]| -> Vec<usize> {
        w.iter().zip(own).filter(|(_, r)| !other.contains(r)).map(|(&k, _)| k).collect()
    };
    let open_b = open(wb, &rb, &ra);
    if open_b.is_empty() {
        return;
    }
    let open_a = open(wa, &ra, &rb);
    for (sa, sb) in by_speaker(items, &open_a, &open_b, entities) {
        let score = |p: usize, q: usize| rewrite_score(&items[sa[p]], &items[sb[q]]);
        for (p, q) in crosslang::assign(sa.len(), sb.len(), score, REWRITE_MIN) {
            union(parent, sa[p], sb[q]);
        }
    }
}

/// Per speaker of `wa` (in the order met), that speaker's wordings in `wa` and in `wb`, each
/// in text order: the lists two articles' wordings are paired from.
fn by_speaker(
    items: &[Item],
    wa: &[usize],
    wb: &[usize],
    entities: &EntityTable,
) -> Vec<(Vec<usize>, Vec<usize>)> {
    let mut out = Vec::new();
    let mut done: Vec<usize> = Vec::new();
    for &i in wa {
        if done.iter().any(|&d| same_speaker(&items[d], &items[i], entities)) {
            continue;
        }
        done.push(i);
        let of_speaker = |w: &[usize]| -> Vec<usize> {
            w.iter().copied().filter(|&k| same_speaker(&items[i], &items[k], entities)).collect()
        };
        out.push((of_speaker(wa), of_speaker(wb)));
    }
    out
}

/// Per article, its wordings with a speaker in a known language, in text order (items are
/// collected so).
fn by_article(items: &[Item]) -> Vec<(ArticleIdx, Vec<usize>)> {
    let mut articles: Vec<(ArticleIdx, Vec<usize>)> = Vec::new();
    for (k, it) in items.iter().enumerate().filter(|(_, i)| i.speaker.is_some() && known(i.lang)) {
        match articles.last_mut() {
            Some((a, v)) if *a == it.article => v.push(k),
            _ => articles.push((it.article, vec![k])),
        }
    }
    articles
}

/// Whether a language tag names a language (not empty, not "und").
fn known(lang: &str) -> bool {
    !lang.is_empty() && lang != "und"
}

/// How strongly two wordings of one speaker in related articles of one language are one
/// utterance, 0..1: the same-fact score of their texts, the share of the shorter wording's
/// content terms in the other, the same kind (direct or reported) and a similar place in
/// the article. Numbers that disagree (other numbers are another claim) or a negation or
/// negative quantifier one wording has and the other lacks rule a pair out.
fn rewrite_score(a: &Item, b: &Item) -> f32 {
    if !numbers_agree(&a.numbers, &b.numbers) || quantifier_flip(a.text, b.text) {
        return 0.0;
    }
    let (sa, sb) = (a.statement(), b.statement());
    // Synonyms hide a negated predicate from the other side ("had passed" / "had not
    // cleared"): a rewrite keeps its source's negations, so one on one side only is enough.
    if sa.negated != sb.negated || sa.negation_mismatch(sb) {
        return 0.0;
    }
    // The content must carry it: the same kind at the same place is no evidence alone.
    let fact = sa.score(sb);
    if fact < REWRITE_FACT_MIN {
        return 0.0;
    }
    let shared = sorted_overlap(&a.terms, &b.terms);
    let contained = shared as f32 / a.terms.len().min(b.terms.len()).max(1) as f32;
    let kind = if a.quote.direct == b.quote.direct { 1.0 } else { 0.0 };
    let near = 1.0 - (2.0 * (a.place - b.place).abs()).min(1.0);
    0.6 * fact + 0.25 * contained + 0.15 * kind * near
}

/// Whether two wordings' speakers are known and one person: the same canonical entity, or
/// the same surname when the entity table knows neither.
fn same_speaker(a: &Item, b: &Item, entities: &EntityTable) -> bool {
    a.speaker.is_some() && b.speaker.is_some() && speakers_compatible(a, b, entities)
}

/// How strongly two wordings in different languages are one utterance, 0..1. Between
/// articles of one origin: anchor agreement, the same kind (direct or reported) and a
/// similar place in the article; between independent articles, anchor agreement alone,
/// and only with [`INDEPENDENT_ANCHORS`] shared names and numbers. Numbers that clash or
/// lengths out of a translation's range rule a pair out.
fn translation_score(a: &Item, b: &Item, related: bool) -> f32 {
    let (x, y) = (a.anchors(), b.anchors());
    if x.numbers_clash(y) || !x.lengths_agree(y) {
        return 0.0;
    }
    let anchors = crosslang::similarity(x, y);
    if !related {
        return if x.shared_anchors(y) >= INDEPENDENT_ANCHORS { anchors } else { 0.0 };
    }
    let kind = if a.quote.direct == b.quote.direct { 1.0 } else { 0.0 };
    let near = 1.0 - (2.0 * (a.place - b.place).abs()).min(1.0);
    0.5 * anchors + 0.3 * kind + 0.2 * near
}

/// Same-fact score two wordings of reported speech need to be one utterance: they are
/// paraphrase, and one speaker says several things about one event in the same words
/// ("the ferry that capsized in the Lenn estuary…").
const REPORTED_MIN: f32 = 0.4;

/// Same-fact probability above which reported speech with the same numbers is one
/// utterance even when it shares few words.
const REWORDED_MIN: f32 = 0.6;

/// The same-fact probability of two wordings (prepared once each).
fn statement_score(a: &Item, b: &Item) -> f32 {
    let (sa, sb) = (a.statement(), b.statement());
    sa.score(sb)
}

/// The distinct values of the numbers of `text` (digits and number words), sorted.
fn number_values(text: &str) -> Vec<u64> {
    let words: Vec<String> = crate::text::tokens(text).iter().map(|t| fold(t.text)).collect();
    let mut v: Vec<u64> =
        super::compare::numbers(&words).iter().map(|n| n.value.to_bits()).collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// Whether two wordings' numbers agree: every number of the one with fewer is in the other
/// (a trimmed wording may drop numbers, not change them).
fn numbers_agree(a: &[u64], b: &[u64]) -> bool {
    let (few, many) = if a.len() <= b.len() { (a, b) } else { (b, a) };
    few.iter().all(|x| many.binary_search(x).is_ok())
}

/// The content terms of a wording, sorted, distinct: what [`similar_wording`] compares
/// (sorted, two wordings are compared by one merge, not by hashing every term again).
pub fn wording_terms(text: &str) -> Vec<String> {
    let mut terms = content_terms(text);
    terms.sort_unstable();
    terms.dedup();
    terms
}

/// Whether two quote wordings (their content terms, [`wording_terms`]) say the same words:
/// enough of the shorter wording's terms found in the other, whoever the speakers are.
pub fn similar_wording(a: &[String], b: &[String]) -> bool {
    let shared = sorted_overlap(a, b);
    let smaller = a.len().min(b.len()).max(1);
    let containment = shared as f64 / smaller as f64;
    let enough = shared >= MIN_SHARED.min(smaller);
    // Long wordings (translations) may share fewer words: "we see" / "we observe".
    let min = if smaller >= LONG { MIN_CONTAINMENT_LONG } else { MIN_CONTAINMENT };
    enough && containment >= min
}

/// Speakers agree when one is unknown, both resolve to one entity, or they share a surname.
fn speakers_compatible(a: &Item, b: &Item, entities: &EntityTable) -> bool {
    let (Some((ix, lx)), Some((iy, ly))) = (&a.speaker, &b.speaker) else {
        return true;
    };
    let name = |i: &Option<usize>| i.and_then(|i| entities.entities.get(i)).map(|e| &e.name);
    if let (Some(ex), Some(ey)) = (name(ix), name(iy)) {
        return ex == ey;
    }
    lx == ly
}

/// The folded last word of a speaker's name ("Dmitry Peskov" → "peskov").
fn surname(s: &str) -> String {
    s.split_whitespace().next_back().map(fold).unwrap_or_default()
}

/// Whether two wordings of one quote differ in meaning: one negates what the other states
/// ("the port will reopen" / "the port will not reopen"; "will not stop" / "will continue"
/// is no mismatch, since neither negates the other's word).
pub fn meaning_differs(a: &str, b: &str) -> bool {
    let (sa, sb) = (OnceCell::new(), OnceCell::new());
    differs_given(
        a,
        b,
        || sa.get_or_init(|| Statement::new(a)),
        || sb.get_or_init(|| Statement::new(b)),
    )
}

/// [`meaning_differs`] with the two wordings' statements given by `sa` and `sb` (called
/// only when needed: a caller that keeps them prepared does not prepare them again).
fn differs_given<'s>(
    a: &str,
    b: &str,
    sa: impl FnOnce() -> &'s Statement,
    sb: impl FnOnce() -> &'s Statement,
) -> bool {
    // One wording never differs from itself (copies carry the representative's); the
    // costly statement test runs last.
    a != b
        && (quantifier_flip(a, b)
            || !numbers_agree(&number_values(a), &number_values(b))
            || sa().negation_mismatch(sb()))
}

/// Negative quantifiers and the positive ones they contradict ("nothing" / "something").
const QUANTIFIER_FLIPS: &[(&str, &[&str])] = &[
    ("nothing", &["something", "everything", "anything"]),
    ("nobody", &["somebody", "someone", "everybody", "everyone"]),
    ("none", &["some", "all"]),
    ("never", &["always", "sometimes"]),
];

/// Whether one wording uses a negative quantifier where the other has its positive.
fn quantifier_flip(a: &str, b: &str) -> bool {
    let words = |t: &str| -> HashSet<String> {
        crate::text::tokens(t).iter().map(|w| fold(w.text)).collect()
    };
    let (wa, wb) = (words(a), words(b));
    let one_way = |x: &HashSet<String>, y: &HashSet<String>| {
        QUANTIFIER_FLIPS.iter().any(|(neg, pos)| {
            x.contains(*neg) && !y.contains(*neg) && pos.iter().any(|p| y.contains(*p))
        })
    };
    one_way(&wa, &wb) || one_way(&wb, &wa)
}

/// The words a speaker said in `text`: the parts inside quote marks when it mixes quoted
/// words and attribution (`“A,” said X. “B.”` → `A, B.`), else `text` itself.
fn quoted_words(text: &str) -> String {
    let mut parts = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find(['“', '"']) {
        let after = &rest[open + rest[open..].chars().next().map_or(1, char::len_utf8)..];
        let Some(close) = after.find(['”', '"']) else { break };
        parts.push(after[..close].trim());
        rest = &after[close + after[close..].chars().next().map_or(1, char::len_utf8)..];
    }
    let quoted: usize = parts.iter().map(|p| p.len()).sum();
    // Only when the quoted parts are most of it: a mixed quote keeps its own words.
    if parts.is_empty() || quoted * 2 < text.len() {
        text.to_string()
    } else {
        parts.join(" ")
    }
}

fn first_pos(items: &[Item], g: &[usize]) -> usize {
    g.iter().map(|&i| items[i].article * 1_000_000_000 + items[i].content.start).min().unwrap_or(0)
}

/// The language most wordings are in (the story's main language); on a tie, the language
/// of the earliest wording (the first article is the origin more often than not).
fn main_language<'a>(items: &[Item<'a>]) -> &'a str {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for it in items {
        match counts.iter_mut().find(|c| c.0 == it.lang) {
            Some(c) => c.1 += 1,
            None => counts.push((it.lang, 1)),
        }
    }
    // `max_by_key` keeps the last of equal counts: scan from the end.
    counts.iter().rev().max_by_key(|c| c.1).map_or("", |c| c.0)
}

/// The report of one group: one variant per article (its longest wording), the speaker, and
/// the representative wording (in the story's main language `main` when one is).
fn report(
    batch: &Batch,
    items: &[Item],
    g: &[usize],
    entities: &EntityTable,
    main: &str,
) -> QuoteReport {
    let mut per_article: Vec<usize> = Vec::new();
    for &i in g {
        match per_article.iter_mut().find(|k| items[**k].article == items[i].article) {
            Some(k) if items[*k].text.len() < items[i].text.len() => *k = i,
            Some(_) => {}
            None => per_article.push(i),
        }
    }
    per_article.sort_by_key(|&i| (items[i].article, items[i].content.start));
    // The representative is the direct wording most articles carry word for word (copies
    // agree with the original; a spun or translated wording is one article's), then the
    // longest; a wording is flagged when its meaning differs from the representative's
    // (negation, quantifier or number changed).
    let lower: Vec<String> = per_article.iter().map(|&k| items[k].text.to_lowercase()).collect();
    let carried = |i: usize| {
        let t = items[i].text.to_lowercase();
        lower.iter().filter(|l| **l == t).count()
    };
    // A wording cut by a removed link is passed over for a whole one.
    let cut = |i: usize| cut_at(batch, items[i].article, items[i].content);
    let rep = per_article.iter().copied().max_by_key(|&i| {
        (items[i].lang == main, items[i].quote.direct, !cut(i), carried(i), items[i].text.len())
    });
    let rep_lang = rep.map_or(main, |i| items[i].lang);
    let rep_numbers = rep.map(|i| items[i].anchors());
    let rep_terms = rep.map(|i| items[i].terms.as_slice());
    // Prepared once for all the variants compared with it.
    let no_rep = OnceCell::new();
    let rep_statement =
        || rep.map_or_else(|| no_rep.get_or_init(|| Statement::new("")), |i| items[i].statement());
    let rep = rep.map_or("", |i| items[i].text);
    let text = quoted_words(rep);
    let variants = per_article
        .iter()
        .map(|&i| {
            let it = &items[i];
            let raw = batch.repaired[it.article].map.to_raw(it.content);
            let gap = cut(i);
            // A translation is read for its numbers only: negation and quantifier words
            // are the representative's language's.
            let translation = (it.lang != rep_lang).then(|| it.lang.to_string());
            let meaning_changed = match (&translation, rep_numbers) {
                (Some(_), Some(r)) => it.anchors().numbers_clash(r),
                _ => differs_given(it.text, rep, || it.statement(), rep_statement),
            };
            let paraphrase = translation.is_none()
                && rep_terms.is_some_and(|r| {
                    let shared = sorted_overlap(r, it.terms.as_slice());
                    shared < r.len() && shared < it.terms.len()
                });
            QuoteVariant {
                article: batch.articles[it.article].id.clone(),
                text: it.text.to_string(),
                start: raw.start,
                end: raw.end,
                meaning_changed,
                translation,
                paraphrase,
                gap,
            }
        })
        .collect::<Vec<_>>();
    QuoteReport { speaker: speaker(items, g, entities), text, variants }
}

/// Whether text was cut out of `article` (a `missing_text` repair) in or next to the
/// wording at `content` (repaired offsets): a cut that ends where the wording starts or
/// starts where it ends counts, the words it took were part of the sentence quoted.
fn cut_at(batch: &Batch, article: ArticleIdx, content: Span) -> bool {
    let Some(repaired) = batch.repaired.get(article) else { return false };
    let raw = repaired.map.to_raw(content);
    repaired
        .repairs
        .iter()
        .any(|r| r.kind == RepairKind::MissingText && r.start <= raw.end && raw.start <= r.end)
}

/// Canonical speaker: the entity a variant's speaker resolves to, else the longest name form.
fn speaker(items: &[Item], g: &[usize], entities: &EntityTable) -> Option<String> {
    let names: Vec<&String> = g.iter().filter_map(|&i| items[i].name.as_ref()).collect();
    names
        .iter()
        .find_map(|n| entities.resolve(n).map(|e| e.name.clone()))
        .or_else(|| names.iter().max_by_key(|n| n.len()).map(|n| n.to_string()))
}

fn find(parent: &mut [usize], i: usize) -> usize {
    let mut r = i;
    while parent[r] != r {
        r = parent[r];
    }
    let mut k = i;
    while parent[k] != r {
        let next = parent[k];
        parent[k] = r;
        k = next;
    }
    r
}

fn union(parent: &mut [usize], a: usize, b: usize) {
    let (ra, rb) = (find(parent, a), find(parent, b));
    if ra != rb {
        parent[ra.max(rb)] = ra.min(rb);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analyze::quote::extract;
    use crate::offsets::OffsetMap;
    use crate::record::{Analyzed, Article, Repaired};

    /// A story over all of `b`'s articles, each its own origin, with no derivations.
    fn story_of(b: &Batch) -> DerivedStory {
        let n = b.articles.len();
        DerivedStory {
            story: crate::record::Story {
                id: "s".into(),
                articles: (0..n).collect(),
                why: Vec::new(),
            },
            derivations: Vec::new(),
            origin_groups: (0..n).map(|i| vec![i]).collect(),
        }
    }

    fn batch(texts: &[&str]) -> Batch {
        let articles: Vec<Article> =
            texts.iter().enumerate().map(|(i, t)| Article::new(format!("a{i}"), *t)).collect();
        let repaired = texts
            .iter()
            .map(|t| Repaired {
                text: t.to_string(),
                repairs: Vec::new(),
                map: OffsetMap::identity(),
                metadata: Vec::new(),
            })
            .collect();
        let analyzed = texts
            .iter()
            .map(|t| Analyzed { quotes: extract(t, &[], &[]), ..Analyzed::default() })
            .collect();
        Batch { articles, repaired, analyzed }
    }

    /// (articles, expected groups as (speaker, number of variants), in order).
    type Case = (&'static [&'static str], &'static [(Option<&'static str>, usize)]);

    const CASES: &[Case] = &[
        (
            &[
                "Dmitry Peskov said that \u{201c}it is still premature to talk about it\u{201d}.",
                "Kremlin spokesman Dmitry Peskov responded, \u{201c}It\u{2019}s premature to talk about it yet.\u{201d}",
            ],
            &[(Some("Dmitry Peskov"), 2)],
        ),
        (
            &[
                "Kremlin spokesman Dmitry Peskov spoke. \u{201c}This is all a subject for discussion with those who will be in power in Syria,\u{201d} he said.",
                "Peskov spoke. He added, \u{201c}This is all a matter for discussion with those who will be in power in Syria.\u{201d}",
                "\u{201c}We will prevent weapons from falling into the hands of extremists,\u{201d} Netanyahu stated.",
            ],
            &[(Some("Dmitry Peskov"), 2), (Some("Netanyahu"), 1)],
        ),
        (
            // A translated wording shares fewer words but is the same utterance.
            &[
                "Peskov said: \u{201c}We see the situation around Ukraine, we see a lot of contradictory statements in this area, we see an increasing prospect of conflict in other regions, we can say that the Middle East is on fire.\u{201d}",
                "\u{201c}We observe the situation around Ukraine, see many contradictory statements on the matter, and witness a growing conflict potential in other regions. We can call the Middle East a hotspot,\u{201d} Peskov stated.",
            ],
            &[(Some("Peskov"), 2)],
        ),
        (
            // Same words, different speakers: two utterances.
            &[
                "\u{201c}The talks failed completely today,\u{201d} Smith said.",
                "\u{201c}The talks failed completely today,\u{201d} Jones said.",
            ],
            &[(Some("Smith"), 1), (Some("Jones"), 1)],
        ),
        (
            // A spun rewrite of reported speech (synonyms, the same numbers) is one
            // utterance; the same rewording with another number is not.
            &[
                "Three people died and 11 were missing after a passenger ferry capsized in heavy seas off Kessaly Point, Oskar Venn said on Tuesday.",
                "Three individuals perished and 11 were unaccounted for after a passenger vessel overturned in rough waters off Kessaly Point, Oskar Venn stated on Tuesday.",
                "Three individuals perished and 12 were unaccounted for after a passenger vessel overturned in rough waters off Kessaly Point, Oskar Venn stated on Tuesday.",
            ],
            &[(Some("Oskar Venn"), 2), (Some("Oskar Venn"), 1)],
        ),
        (
            // Reported speech with other numbers is another statement.
            &[
                "Three people died and 11 were missing after the ferry capsized off the point, Oskar Venn said on Tuesday.",
                "Nine people remain missing, down from 11, Oskar Venn said in his latest update.",
            ],
            &[(Some("Oskar Venn"), 1), (Some("Oskar Venn"), 1)],
        ),
        (
            // One speaker, two statements about one event in shared words.
            &[
                "Two people died and 23 were injured when a ferry capsized in the Lenn estuary near Caldport on Tuesday afternoon, Tomas Reyle said.",
                "Investigators examining the Brisa Hale, the Lenn estuary ferry that capsized near Caldport on Tuesday, believe both of its engines failed minutes before it grounded on a sandbar, Tomas Reyle said on Friday.",
            ],
            &[(Some("Tomas Reyle"), 1), (Some("Tomas Reyle"), 1)],
        ),
        (
            // A direct quote with another number is one utterance, misquoted.
            &[
                "\u{201c}We found 12 bodies in the hull this morning,\u{201d} Smith said.",
                "\u{201c}We found 15 bodies in the hull this morning,\u{201d} Smith said.",
            ],
            &[(Some("Smith"), 2)],
        ),
        (
            // Unrelated quotes stay apart; indirect speech without a speaker is left out.
            &[
                "\u{201c}Prices will rise next year,\u{201d} the minister warned.",
                "\u{201c}Our army is ready to defend the border,\u{201d} General Lee said.",
            ],
            &[(None, 1), (Some("Lee"), 1)],
        ),
    ];

    #[test]
    fn groups_wordings_across_articles() {
        for (texts, expected) in CASES {
            let b = batch(texts);
            let got = group(&b, &story_of(&b), &EntityTable::default());
            let got: Vec<(Option<String>, usize)> =
                got.iter().map(|r| (r.speaker.clone(), r.variants.len())).collect();
            let want: Vec<(Option<String>, usize)> =
                expected.iter().map(|(s, n)| (s.map(String::from), *n)).collect();
            assert_eq!(got, want, "{texts:?}");
        }
    }

    /// (articles as (text, language), origin groups, translation edges (article, from),
    /// expected groups as (speaker, variants, translated variants), in order).
    type LangCase = (
        &'static [(&'static str, &'static str)],
        &'static [&'static [usize]],
        &'static [(usize, usize)],
        &'static [(Option<&'static str>, usize, usize)],
    );

    const EN_TWO: &str = "\u{201c}We will not stop searching until every passenger is found,\u{201d} said Ilse Marrow. The ferry sank near Kessaly Point.\n\u{201c}The water is very cold, about eight degrees, and gives us \u{2018}a narrow window\u{2019},\u{201d} said Ilse Marrow.";
    const FR_TWO: &str = "\u{ab} Nous n\u{2019}arr\u{ea}terons pas les recherches tant que tous les passagers ne seront pas retrouv\u{e9}s \u{bb}, a d\u{e9}clar\u{e9} Ilse Marrow. Le ferry a coul\u{e9} pr\u{e8}s de Kessaly Point.\n\u{ab} L\u{2019}eau est tr\u{e8}s froide, environ huit degr\u{e9}s, et nous laisse \u{ab} une fen\u{ea}tre \u{e9}troite \u{bb} \u{bb}, a ajout\u{e9} Ilse Marrow.";

    const LANG_CASES: &[LangCase] = &[
        (
            // A translation: each quote of the speaker pairs with its own translation.
            &[(EN_TWO, "en"), (FR_TWO, "fr")],
            &[&[0, 1]],
            &[],
            &[(Some("Ilse Marrow"), 2, 1), (Some("Ilse Marrow"), 2, 1)],
        ),
        (
            // Independent origins, but a translation edge joins them.
            &[(EN_TWO, "en"), (FR_TWO, "fr")],
            &[&[0], &[1]],
            &[(1, 0)],
            &[(Some("Ilse Marrow"), 2, 1), (Some("Ilse Marrow"), 2, 1)],
        ),
        (
            // Same speaker, two quotes in the translation, one in the original: one-to-one,
            // the one whose anchors agree (the number, the quoted fragment).
            &[
                ("\u{201c}The water is very cold, about eight degrees, and gives us \u{2018}a narrow window\u{2019},\u{201d} said Ilse Marrow.", "en"),
                (FR_TWO, "fr"),
            ],
            &[&[0, 1]],
            &[],
            &[(Some("Ilse Marrow"), 2, 1), (Some("Ilse Marrow"), 1, 0)],
        ),
        (
            // Another speaker's quote in the translation stays apart.
            &[
                ("\u{201c}We will not stop searching until every passenger is found,\u{201d} said Ilse Marrow.", "en"),
                ("\u{ab} Il est beaucoup trop t\u{f4}t pour dire ce qui s\u{2019}est pass\u{e9} \u{bb}, a affirm\u{e9} Oskar Venn.", "fr"),
            ],
            &[&[0, 1]],
            &[],
            &[(Some("Ilse Marrow"), 1, 0), (Some("Oskar Venn"), 1, 0)],
        ),
        (
            // Independent articles: shared names and numbers join a Spanish wording...
            &[
                ("\u{201c}We found 12 bodies near Kessaly Point this morning,\u{201d} said Oskar Venn.", "en"),
                ("\u{ab}Encontramos 12 cuerpos cerca de Kessaly Point esta ma\u{f1}ana\u{bb}, dijo Oskar Venn.", "es"),
            ],
            &[&[0], &[1]],
            &[],
            &[(Some("Oskar Venn"), 2, 1)],
        ),
        (
            // ...but without anchors a German wording of an independent article stays apart,
            // and so does one whose numbers clash.
            &[
                ("\u{201c}The talks failed completely today,\u{201d} said Oskar Venn.", "en"),
                ("\u{201e}Die Gespr\u{e4}che sind heute gescheitert\u{201c}, sagte Oskar Venn.", "de"),
                ("\u{ab}Encontramos 15 cuerpos cerca de Kessaly Point\u{bb}, dijo Oskar Venn.", "es"),
                ("\u{201c}We found 12 bodies near Kessaly Point this morning,\u{201d} said Oskar Venn.", "en"),
            ],
            &[&[0], &[1], &[2], &[3]],
            &[],
            &[(Some("Oskar Venn"), 1, 0), (Some("Oskar Venn"), 1, 0), (Some("Oskar Venn"), 1, 0), (Some("Oskar Venn"), 1, 0)],
        ),
    ];

    /// A batch of texts in the given languages, and a story over it with the given origin
    /// groups and translation edges.
    fn story_in(
        texts: &[(&str, &str)],
        groups: &[&[usize]],
        edges: &[(usize, usize)],
    ) -> (Batch, DerivedStory) {
        let plain: Vec<&str> = texts.iter().map(|t| t.0).collect();
        let mut b = batch(&plain);
        for (an, (_, lang)) in b.analyzed.iter_mut().zip(texts) {
            an.language = lang.to_string();
        }
        let mut story = story_of(&b);
        story.origin_groups = groups.iter().map(|g| g.to_vec()).collect();
        story.derivations = crate::synthesize::crosslang::translation_edges(edges);
        (b, story)
    }

    #[test]
    fn groups_translations_one_to_one() {
        for (texts, groups, edges, expected) in LANG_CASES {
            let (b, story) = story_in(texts, groups, edges);
            let got: Vec<(Option<String>, usize, usize)> =
                group(&b, &story, &EntityTable::default())
                    .iter()
                    .map(|r| {
                        let translated =
                            r.variants.iter().filter(|v| v.translation.is_some()).count();
                        (r.speaker.clone(), r.variants.len(), translated)
                    })
                    .collect();
            let want: Vec<(Option<String>, usize, usize)> =
                expected.iter().map(|(s, n, t)| (s.map(String::from), *n, *t)).collect();
            assert_eq!(got, want, "{texts:?}");
        }
    }

    /// (two articles as their paragraphs, whether they share an origin, expected groups as
    /// (speaker, variants, paraphrased variants), in order).
    type RewriteCase =
        ([&'static [&'static str]; 2], bool, &'static [(Option<&'static str>, usize, usize)]);

    const REPAIRS: &str = "Tarvik Line said the repairs were completed that spring and that the vessel had passed its most recent inspection.";
    const FIXES: &str = "Tarvik Line stated the fixes were finished that spring and that the vessel had cleared its latest inspection.";
    const HOTLINE: &str = "Tarvik Line said it was cooperating fully with investigators and had set up a hotline for relatives.";
    const HOTLINE_SPUN: &str = "Tarvik Line stated it was collaborating completely with investigators and had established a hotline for family members.";

    const REWRITE_CASES: &[RewriteCase] = &[
        (
            // A rewrite's paraphrase joins its origin's wording and is marked.
            [&[REPAIRS], &[FIXES]],
            true,
            &[(Some("Tarvik Line"), 2, 1)],
        ),
        (
            // The same two wordings in unrelated articles stay apart.
            [&[REPAIRS], &[FIXES]],
            false,
            &[(Some("Tarvik Line"), 1, 0), (Some("Tarvik Line"), 1, 0)],
        ),
        (
            // One speaker's two statements pair one-to-one in text order.
            [
                &[REPAIRS, HOTLINE],
                &[FIXES, HOTLINE_SPUN],
            ],
            true,
            &[(Some("Tarvik Line"), 2, 1), (Some("Tarvik Line"), 2, 1)],
        ),
        (
            // A rewrite that drops a statement: the other pairs with its own, not the first.
            [&[REPAIRS, HOTLINE], &[HOTLINE_SPUN]],
            true,
            &[(Some("Tarvik Line"), 2, 1), (Some("Tarvik Line"), 1, 0)],
        ),
        (
            // A statement the rewrite dropped leaves the other with no partner.
            [&[REPAIRS], &[HOTLINE_SPUN]],
            true,
            &[(Some("Tarvik Line"), 1, 0), (Some("Tarvik Line"), 1, 0)],
        ),
        (
            // Other numbers are another claim.
            [
                &["Ilse Marrow said 12 divers were searching the hull through the night."],
                &["Ilse Marrow stated 15 divers were combing the hull overnight."],
            ],
            true,
            &[(Some("Ilse Marrow"), 1, 0), (Some("Ilse Marrow"), 1, 0)],
        ),
        (
            // A negation one wording lacks changes the claim.
            [
                &["Oskar Venn said the vessel had passed its most recent inspection."],
                &["Oskar Venn stated the vessel had not cleared its latest inspection."],
            ],
            true,
            &[(Some("Oskar Venn"), 1, 0), (Some("Oskar Venn"), 1, 0)],
        ),
        (
            // Another speaker's wording stays apart.
            [
                &[REPAIRS],
                &["Oskar Venn stated the fixes were finished that spring and that the vessel had cleared its latest inspection."],
            ],
            true,
            &[(Some("Tarvik Line"), 1, 0), (Some("Oskar Venn"), 1, 0)],
        ),
        (
            // A trim is no paraphrase...
            [
                &["\u{201c}We will not stop searching until every passenger is accounted for,\u{201d} said Ilse Marrow."],
                &["\u{201c}We will not stop searching,\u{201d} Ilse Marrow said."],
            ],
            true,
            &[(Some("Ilse Marrow"), 2, 0)],
        ),
        (
            // ...but reported speech around a quoted trim is in other words.
            [
                &["\u{201c}We will not stop searching until every passenger is accounted for,\u{201d} said Ilse Marrow."],
                &["Ilse Marrow said the search would go on \u{201c}until every passenger is accounted for\u{201d}."],
            ],
            true,
            &[(Some("Ilse Marrow"), 2, 1)],
        ),
    ];

    #[test]
    fn pairs_a_rewrites_paraphrased_wordings() {
        for ([x, y], related, expected) in REWRITE_CASES {
            let (x, y) = (x.join("\n"), y.join("\n"));
            let (b, story) = story_in(
                &[(&x, "en"), (&y, "en")],
                if *related { &[&[0, 1]] } else { &[&[0], &[1]] },
                &[],
            );
            let got: Vec<(Option<String>, usize, usize)> =
                group(&b, &story, &EntityTable::default())
                    .iter()
                    .map(|r| {
                        let para = r.variants.iter().filter(|v| v.paraphrase).count();
                        (r.speaker.clone(), r.variants.len(), para)
                    })
                    .collect();
            let want: Vec<(Option<String>, usize, usize)> =
                expected.iter().map(|(s, n, p)| (s.map(String::from), *n, *p)).collect();
            assert_eq!(got, want, "{x} / {y}");
        }
    }

    #[test]
    fn a_translation_pairs_with_its_own_quote_and_is_marked() {
        let (b, story) = story_in(&[(EN_TWO, "en"), (FR_TWO, "fr")], &[&[0, 1]], &[]);
        let r = group(&b, &story, &EntityTable::default());
        for q in &r {
            let en = q.variants.iter().find(|v| v.translation.is_none()).map(|v| v.text.as_str());
            let fr = q.variants.iter().find(|v| v.translation.is_some());
            let fr = fr.expect("a translated wording");
            assert_eq!(fr.translation.as_deref(), Some("fr"));
            assert!(!fr.meaning_changed, "{fr:?}");
            // The representative is the English wording; the pairs keep their order.
            assert_eq!(Some(q.text.as_str()), en);
            let water = q.text.contains("water");
            assert_eq!(water, fr.text.contains("eau"), "{q:?}");
        }
    }

    #[test]
    fn a_role_named_speaker_resolves_through_the_story() {
        let texts = [
            "Kremlin spokesman Dmitry Peskov confirmed the decision on Monday.",
            "The agency notes that the presidency\u{2019}s spokesman refused to confirm his presence in Russia, saying \u{201c}I have nothing to tell you about the whereabouts of the president.\u{201d}",
        ];
        let b = batch(&texts);
        let r = group(&b, &story_of(&b), &EntityTable::default());
        let speakers: Vec<Option<&str>> = r.iter().map(|q| q.speaker.as_deref()).collect();
        assert_eq!(speakers, [Some("Dmitry Peskov")], "{r:?}");
    }

    #[test]
    fn variants_carry_raw_offsets_and_longest_text() {
        let texts = CASES[0].0;
        let b = batch(texts);
        let r = group(&b, &story_of(&b), &EntityTable::default());
        let q = &r[0];
        assert_eq!(q.text, "It\u{2019}s premature to talk about it yet.");
        for v in &q.variants {
            let i: usize = v.article[1..].parse().unwrap_or(0);
            assert_eq!(&texts[i][v.start..v.end], v.text);
        }
    }

    #[test]
    fn a_wording_cut_by_a_removed_link_is_marked() {
        // The seed's damage: a link cut out after "asylum in" leaves " , saying".
        let texts = [
            "Dmitry Peskov said that it has granted ousted President Bashar al-Assad asylum in , saying the decision was taken by the president.",
            "Dmitry Peskov said that \u{201c}the decision was taken by the president\u{201d}.",
        ];
        let mut b = batch(&texts);
        for (k, t) in texts.iter().enumerate() {
            b.repaired[k] = crate::repair::repair(t);
            let text = &b.repaired[k].text;
            b.analyzed[k].quotes = extract(text, &[], &[]);
        }
        assert!(b.repaired[0].repairs.iter().any(|r| r.kind == RepairKind::MissingText));
        let r = group(&b, &story_of(&b), &EntityTable::default());
        let variants: Vec<&QuoteVariant> = r.iter().flat_map(|q| &q.variants).collect();
        let cut = variants.iter().find(|v| v.text.ends_with("asylum in"));
        assert!(cut.is_some_and(|v| v.gap), "{variants:?}");
        // Whole wordings are not marked.
        assert!(variants.iter().filter(|v| v.article == "a1").all(|v| !v.gap), "{variants:?}");
    }

    #[test]
    fn a_whole_wording_represents_the_quote_over_a_cut_one() {
        // Two copies carry the quote cut by a removed link, one outlet carries it whole.
        let cut = "Mayor Ines Kovac said: \u{201c}We will rebuild the bridge at , and open it by spring.\u{201d}";
        let whole = "Mayor Ines Kovac said: \u{201c}We will rebuild the bridge at Lenn Ford, and open it by spring.\u{201d}";
        let texts = [cut, cut, whole];
        let mut b = batch(&texts);
        for (k, t) in texts.iter().enumerate() {
            b.repaired[k] = crate::repair::repair(t);
            b.analyzed[k].quotes = extract(&b.repaired[k].text, &[], &[]);
        }
        let r = group(&b, &story_of(&b), &EntityTable::default());
        let q = r.iter().find(|q| q.variants.len() == 3);
        assert!(q.is_some_and(|q| q.text.contains("Lenn Ford")), "{r:?}");
        let gaps: Vec<bool> = q.map_or(Vec::new(), |q| q.variants.iter().map(|v| v.gap).collect());
        assert_eq!(gaps, [true, true, false]);
    }

    #[test]
    #[ignore]
    fn print_seed_groups() {
        let dir = "/work/shared/seeds";
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .map(|d| d.flatten().map(|e| e.path()).collect())
            .unwrap_or_default();
        files.sort();
        let texts: Vec<String> =
            files.iter().map(|p| std::fs::read_to_string(p).unwrap_or_default()).collect();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let b = batch(&refs);
        for r in group(&b, &story_of(&b), &EntityTable::default()) {
            println!("[{}] {:?} {}", r.variants.len(), r.speaker, r.text);
            for v in &r.variants {
                println!("    {} {}..{} {}", v.article, v.start, v.end, v.text);
            }
        }
    }

    #[test]
    fn flags_negation_changes() {
        let cases = [
            ("We will attack", "We will not attack", true),
            ("We won't attack", "We will not attack", false),
            ("There have still been no contacts", "There were no contacts", false),
            ("It is premature", "It is premature now", false),
            ("I have nothing to say", "I have something to say", true),
            ("We found 12 bodies", "We found 15 bodies", true),
            ("We found twelve bodies", "We found 12 bodies in the hull", false),
            ("Nine remain missing", "Nine people remain missing, down from 11", false),
            ("We will not attack", "We will not attack", false),
            ("Nobody found 12 of nothing", "Nobody found 12 of nothing", false),
            (
                "We will not stop searching until every passenger is found",
                "the search would continue until every passenger is found",
                false,
            ),
        ];
        for (a, b, want) in cases {
            assert_eq!(meaning_differs(a, b), want, "{a} / {b}");
        }
    }

    #[test]
    fn representative_text_keeps_the_quoted_words() {
        let cases = [
            (
                "“It was rough,” said Pell Annick, 24. “We were told it would ease.”",
                "It was rough, We were told it would ease.",
            ),
            (
                "a “very difficult period” in that country",
                "a “very difficult period” in that country",
            ),
            ("It was his decision", "It was his decision"),
            ("“Unclosed quote", "“Unclosed quote"),
        ];
        for (text, want) in cases {
            assert_eq!(quoted_words(text), want, "{text}");
        }
    }
}
