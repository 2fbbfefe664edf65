//! Facts: sentences (or clauses) of different articles that state the same thing.
//!
//! A story's articles are cut into [`Unit`]s (sentences after their dateline, split into
//! clauses by [`super::clauses`]), candidate pairs
//! from different articles are found through an inverted index of content terms (never all
//! pairs), judged with the same-fact test, and grouped greedily around the most central unit
//! (only direct neighbours of a seed join it, so chains A~B~C do not merge A with C). A
//! fact's independent support counts origin groups, not articles.

use std::collections::HashMap;
use std::marker::PhantomData;
use std::sync::{Arc, Mutex, OnceLock, PoisonError};

use rayon::prelude::*;

use super::anchors::Anchors;
use super::compare::Statement;
use super::support;
use super::{clauses, crosslang, dateline};
use crate::analyze::signature::{FastMap, FastSet};
use crate::pipeline::{Batch, DerivedStory};
use crate::record::{ArticleIdx, Span};
use crate::report::FactReport;

/// Most facts reported per story.
pub const MAX_FACTS: usize = 30;
/// Units shorter than this many content words are not facts…
const MIN_CONTENT: usize = 4;
/// …unless they carry a number: "Fourteen people were injured." is a short sentence but a
/// countable claim that facts and conflicts must see.
const MIN_CONTENT_COUNTED: usize = 2;
/// Candidates judged per unit.
const MAX_CANDIDATES: usize = 16;
/// Most postings scanned per term and unit.
const MAX_SCAN: usize = 256;
/// Probability above which two sentences of one story are aligned as one fact. Lower than
/// the MSRP decision threshold: MSRP pairs were pre-selected for high word overlap, so its
/// threshold separates near-paraphrases; within one story, rewrites of a fact by different
/// outlets score 0.35–0.6 while unrelated sentences of the story rarely pass 0.3.
pub const ALIGN_THRESHOLD: f32 = 0.38;
/// Blended score ([`Anchors::score`]: the same-fact probability with the story-weighted
/// overlap and the numbers) above which two units are aligned as one fact.
pub const FACT_THRESHOLD: f32 = 0.4;

/// One fact unit: a sentence or clause of one article.
#[derive(Debug, Clone)]
pub struct Unit {
    /// The article.
    pub article: ArticleIdx,
    /// Span in the article's repaired text.
    pub span: Span,
    /// Index of the sentence in the article.
    pub sentence: usize,
    /// The prepared statement (shared by the units of one text: copies repeat sentences,
    /// and a sentence that is one clause is a fact unit and a sentence unit at once).
    pub stmt: Arc<Statement>,
}

/// How a story's sentences are cut into units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cut {
    /// Into clauses ([`clauses::split`]): the units of facts, so that a sentence carrying
    /// several claims meets each of them elsewhere.
    Clauses,
    /// Only at "; " ([`clauses::semicolons`]): the units of the conflict, claim and
    /// who-did-it finders, which compare the slots of whole statements (a date or a place
    /// cut off from its event would make false conflicts).
    Sentences,
}

/// Cuts the sentences of `members` into fact units (sentences after their dateline,
/// split into clauses by [`clauses::split`]).
pub fn units(batch: &Batch, members: &[ArticleIdx]) -> Vec<Unit> {
    cut(batch, members, &[Cut::Clauses], |_, _| true).swap_remove(0)
}

/// The fact units ([`Cut::Clauses`]) and the sentence units ([`Cut::Sentences`]) of
/// `members`, each distinct text prepared once for both.
pub fn units_and_sentences(batch: &Batch, members: &[ArticleIdx]) -> (Vec<Unit>, Vec<Unit>) {
    let mut both = cut(batch, members, &[Cut::Clauses, Cut::Sentences], |_, _| true);
    let sentences = both.pop().unwrap_or_default();
    let clauses = both.pop().unwrap_or_default();
    (clauses, sentences)
}

/// The sentence units ([`Cut::Sentences`]) of `members` for which `keep(article, span)`
/// holds (checked before the costly preparation).
pub fn units_where(
    batch: &Batch,
    members: &[ArticleIdx],
    keep: impl Fn(ArticleIdx, Span) -> bool,
) -> Vec<Unit> {
    cut(batch, members, &[Cut::Sentences], keep).swap_remove(0)
}

/// The units of `members` for each of `cuts` (one list per cut, in order) whose spans
/// `keep` admits. Sentence units are checked with `keep` before they are prepared.
fn cut(
    batch: &Batch,
    members: &[ArticleIdx],
    cuts: &[Cut],
    keep: impl Fn(ArticleIdx, Span) -> bool,
) -> Vec<Vec<Unit>> {
    let mut out: Vec<Vec<Unit>> = vec![Vec::new(); cuts.len()];
    // Copies repeat sentences word for word: each distinct clause is prepared once (the
    // statement is a function of the text alone) and cloned for its other occurrences.
    let mut prepared: HashMap<&str, Option<Arc<Statement>>> = HashMap::new();
    for &a in members {
        let (Some(rep), Some(an)) = (batch.repaired.get(a), batch.analyzed.get(a)) else {
            continue;
        };
        for (k, s) in an.sentences.iter().enumerate() {
            let sentence = dateline::trim(&rep.text, &an.sentences, s.span);
            for (list, &how) in out.iter_mut().zip(cuts) {
                let spans = match how {
                    Cut::Clauses => pieces(&rep.text, sentence, &mut prepared),
                    Cut::Sentences => clauses::semicolons(&rep.text, sentence),
                };
                for span in spans.into_iter().filter(|&sp| keep(a, sp)) {
                    let stmt =
                        prepared.entry(span.slice(&rep.text)).or_insert_with_key(|t| prepare(t));
                    if let Some(stmt) = stmt {
                        list.push(Unit { article: a, span, sentence: k, stmt: stmt.clone() });
                    }
                }
            }
        }
    }
    out
}

/// The unit spans of one sentence (its dateline already cut): its clauses, a clause too
/// short to be a unit joined to the clause before it (or after it, when first), so that no
/// claim of the sentence is lost ("…; two died"). Every returned span's text is in
/// `prepared`.
fn pieces<'t>(
    text: &'t str,
    sentence: Span,
    prepared: &mut HashMap<&'t str, Option<Arc<Statement>>>,
) -> Vec<Span> {
    let mut unit =
        |span: Span| prepared.entry(span.slice(text)).or_insert_with_key(|t| prepare(t)).is_some();
    let split = clauses::split(text, sentence);
    if split.len() == 1 {
        unit(sentence);
        return split;
    }
    let mut out: Vec<Span> = Vec::new();
    let mut pending: Option<usize> = None;
    for c in split {
        let start = pending.take().unwrap_or(c.start);
        let span = Span::new(start, c.end);
        if unit(span) {
            out.push(span);
        } else if let Some(last) = out.last_mut() {
            *last = Span::new(last.start, span.end);
            unit(*last);
        } else {
            pending = Some(start);
        }
    }
    if let Some(start) = pending {
        // No clause stands alone: the sentence is one unit (or none).
        let span = Span::new(start, sentence.end);
        unit(span);
        out.push(span);
    }
    out
}

/// The statement of a unit's text, if it is long enough to be a unit.
fn prepare(text: &str) -> Option<Arc<Statement>> {
    Some(Statement::new(text)).filter(is_unit).map(Arc::new)
}

/// Whether a statement is long enough to be a fact unit.
fn is_unit(stmt: &Statement) -> bool {
    stmt.content_len >= MIN_CONTENT
        || (stmt.content_len >= MIN_CONTENT_COUNTED && !stmt.numbers.is_empty())
}

/// The units of `all` for which `keep(article, span)` holds; with the sentence units of
/// [`units_and_sentences`], the same units, in the same order, as [`units_where`] with that
/// `keep`, without preparing their statements again.
pub fn select(all: &[Unit], keep: impl Fn(ArticleIdx, Span) -> bool) -> Vec<Unit> {
    all.iter().filter(|u| keep(u.article, u.span)).cloned().collect()
}

/// Same-fact edges between units of different articles: (i, j, probability) with i < j and
/// probability at least `threshold`; `masked` ignores numbers.
pub fn edges(units: &[Unit], masked: bool, threshold: f32) -> Vec<(usize, usize, f32)> {
    edges_by(units, threshold, |a, b| if masked { a.score_masked(b) } else { a.score(b) })
}

/// Like [`edges`], judging only the pairs `(i, j)` (i < j) for which `keep(i, j)` holds: a
/// caller that reads only some of the edges does not pay for scoring the others.
pub fn edges_where(
    units: &[Unit],
    masked: bool,
    threshold: f32,
    keep: impl Fn(usize, usize) -> bool + Sync,
) -> Vec<(usize, usize, f32)> {
    let score = |a: &Statement, b: &Statement| if masked { a.score_masked(b) } else { a.score(b) };
    edges_around_where(units, None, threshold, score, keep)
}

/// Like [`edges`], with the pair score given by `score`.
pub fn edges_by(
    units: &[Unit],
    threshold: f32,
    score: impl Fn(&Statement, &Statement) -> f32 + Sync,
) -> Vec<(usize, usize, f32)> {
    edges_around(units, None, threshold, score)
}

/// Like [`edges_by`], but with `focus` only the units it marks look for candidates (among
/// all units, before or after them): one edge per pair, (i, j) with i < j.
pub fn edges_around(
    units: &[Unit],
    focus: Option<&[bool]>,
    threshold: f32,
    score: impl Fn(&Statement, &Statement) -> f32 + Sync,
) -> Vec<(usize, usize, f32)> {
    edges_around_where(units, focus, threshold, score, |_, _| true)
}

/// Like [`edges_around`], judging only the pairs `(i, j)` (i < j) for which `keep(i, j)`
/// holds (see [`edges_where`]).
pub fn edges_around_where(
    units: &[Unit],
    focus: Option<&[bool]>,
    threshold: f32,
    score: impl Fn(&Statement, &Statement) -> f32 + Sync,
    keep: impl Fn(usize, usize) -> bool + Sync,
) -> Vec<(usize, usize, f32)> {
    let memo = PairMemo::default();
    edges_scored(units, &[], focus, threshold, |i, j| {
        if !keep(i.min(j), i.max(j)) {
            return f32::NEG_INFINITY;
        }
        let (a, b) = (&*units[i].stmt, &*units[j].stmt);
        memo.get(a, b, || score(a, b))
    })
}

/// Number of independently locked parts of a [`PairMemo`].
const MEMO_SHARDS: usize = 16;

/// Scores of statement pairs, each computed once: copies repeat sentences word for word
/// and share one prepared statement ([`Unit::stmt`]), so many unit pairs of a story are
/// one statement pair. Keyed by the two statements' addresses (ordered: a score need not
/// be symmetric); the memo borrows the statements for its lifetime `'s`, so none can be
/// freed and its address reused by another while the memo lives. Shared by the threads
/// scoring a story's pairs: a pair two threads meet at once is scored twice, to the same
/// value (scores are pure functions of the two statements).
pub struct PairMemo<'s> {
    shards: [Mutex<FastMap<(usize, usize), f32>>; MEMO_SHARDS],
    _statements: PhantomData<&'s Statement>,
}

impl Default for PairMemo<'_> {
    fn default() -> Self {
        PairMemo { shards: Default::default(), _statements: PhantomData }
    }
}

impl<'s> PairMemo<'s> {
    /// The score of `(a, b)`: remembered, or `score()` (then remembered). `score` must be
    /// a function of the two statements alone, the same for every call on one memo.
    pub fn get(&self, a: &'s Statement, b: &'s Statement, score: impl FnOnce() -> f32) -> f32 {
        let key = (std::ptr::from_ref(a) as usize, std::ptr::from_ref(b) as usize);
        // Statements are hundreds of bytes apart: the address bits above 8 spread well.
        let shard = &self.shards[((key.0 >> 8) ^ (key.1 >> 8)) % MEMO_SHARDS];
        let lock = || shard.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(&p) = lock().get(&key) {
            return p;
        }
        let p = score();
        lock().insert(key, p);
        p
    }
}

/// Like [`edges_around`], with the pair score given by unit indices (so that it can use
/// data kept beside the units) and `extra[i]` (when given) more weighted keys of unit `i`
/// that make candidates, beside its terms.
fn edges_scored(
    units: &[Unit],
    extra: &[Vec<(u64, f32)>],
    focus: Option<&[bool]>,
    threshold: f32,
    score: impl Fn(usize, usize) -> f32 + Sync,
) -> Vec<(usize, usize, f32)> {
    let mut index: FastMap<u64, Vec<usize>> = FastMap::default();
    for (i, u) in units.iter().enumerate() {
        for (h, _) in u.stmt.keyed_terms() {
            index.entry(h).or_default().push(i);
        }
        for &(h, _) in extra.get(i).map_or(&[][..], Vec::as_slice) {
            index.entry(h).or_default().push(i);
        }
    }
    // Terms in most units say nothing about which units match; skip them.
    let common = (units.len() / 3).max(8);
    (0..units.len())
        .into_par_iter()
        .map_init(
            || (vec![0.0f32; units.len()], Vec::new()),
            |scratch, i| {
                let focused = focus.map(|f| f.get(i).copied().unwrap_or(false));
                if focused == Some(false) {
                    return Vec::new();
                }
                let both_ways = focused.is_some();
                let cands = candidates(units, extra, &index, common, i, both_ways, scratch);
                cands
                    .into_iter()
                    .filter_map(|j| {
                        // Both focused: the pair is judged once, from the earlier unit.
                        if j < i && focus.is_some_and(|f| f.get(j).copied().unwrap_or(false)) {
                            return None;
                        }
                        let p = score(i, j);
                        (p >= threshold).then_some((i.min(j), i.max(j), p))
                    })
                    .collect::<Vec<_>>()
            },
        )
        .flatten()
        .collect()
}

/// The best [`MAX_CANDIDATES`] later units (any, with `both_ways`) of other articles sharing
/// weighted terms with unit `i`. The scratch space is `acc` (zeroed, one slot per unit) and
/// `touched`.
fn candidates(
    units: &[Unit],
    extra: &[Vec<(u64, f32)>],
    index: &FastMap<u64, Vec<usize>>,
    common: usize,
    i: usize,
    both_ways: bool,
    (acc, touched): &mut (Vec<f32>, Vec<usize>),
) -> Vec<usize> {
    for &j in touched.iter() {
        acc[j] = 0.0;
    }
    touched.clear();
    // Rarest terms first; the three rarest are always used (a story whose units all share
    // their terms still finds candidates), common terms only below the cutoff.
    let more = extra.get(i).map_or(&[][..], Vec::as_slice).iter().copied();
    let mut lists: Vec<(&Vec<usize>, f32)> = units[i]
        .stmt
        .keyed_terms()
        .chain(more)
        .filter_map(|(h, w)| index.get(&h).map(|l| (l, w)))
        .collect();
    lists.sort_by_key(|(l, _)| l.len());
    for (rank, (list, w)) in lists.into_iter().enumerate() {
        if rank >= 3 && list.len() > common {
            break;
        }
        // Lists are in unit order: only units after i (unless `both_ways`).
        let from = if both_ways { 0 } else { list.partition_point(|&j| j <= i) };
        let later = list[from..].iter().take(MAX_SCAN);
        for &j in later.filter(|&&j| j != i && units[j].article != units[i].article) {
            if acc[j] == 0.0 {
                touched.push(j);
            }
            acc[j] += w;
        }
    }
    let mut cands: Vec<(usize, f32)> = touched.iter().map(|&j| (j, acc[j])).collect();
    let by_score = |a: &(usize, f32), b: &(usize, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
    // Only the best few are kept: select them first (big stories touch thousands).
    if cands.len() > MAX_CANDIDATES {
        cands.select_nth_unstable_by(MAX_CANDIDATES, by_score);
        cands.truncate(MAX_CANDIDATES);
    }
    cands.sort_by(by_score);
    cands.into_iter().map(|c| c.0).collect()
}

/// A group of units that state one fact, around its most central unit.
#[derive(Debug, Clone)]
pub struct Group {
    /// The seed (most central) unit.
    pub seed: usize,
    /// All member units, seed first.
    pub members: Vec<usize>,
    /// Sum of the seed's edge scores.
    pub centrality: f32,
}

/// Groups units greedily around the most central unassigned unit; each group takes the
/// seed's unassigned direct neighbours, at most one unit per article (the best matching).
pub fn group(units: &[Unit], edges: &[(usize, usize, f32)]) -> Vec<Group> {
    let mut adj: Vec<Vec<(usize, f32)>> = vec![Vec::new(); units.len()];
    for &(i, j, p) in edges {
        adj[i].push((j, p));
        adj[j].push((i, p));
    }
    let central: Vec<f32> = adj.iter().map(|n| n.iter().map(|x| x.1).sum()).collect();
    let mut order: Vec<usize> = (0..units.len()).collect();
    // Most central first; ties go to earlier units (lead sentences).
    order.sort_by(|&a, &b| {
        central[b].total_cmp(&central[a]).then(units[a].sentence.cmp(&units[b].sentence))
    });
    let mut taken = vec![false; units.len()];
    let mut out = Vec::new();
    for &seed in &order {
        if taken[seed] {
            continue;
        }
        taken[seed] = true;
        let mut best: HashMap<ArticleIdx, (usize, f32)> = HashMap::new();
        for &(j, p) in &adj[seed] {
            let a = units[j].article;
            if taken[j] || a == units[seed].article {
                continue;
            }
            if best.get(&a).is_none_or(|b| p > b.1) {
                best.insert(a, (j, p));
            }
        }
        let mut members = vec![seed];
        let mut rest: Vec<usize> = best.values().map(|x| x.0).collect();
        rest.sort_unstable();
        for j in rest {
            taken[j] = true;
            members.push(j);
        }
        out.push(Group { seed, members, centrality: central[seed] });
    }
    out
}

/// Score to a fact's seed a unit needs to join the fact through another member.
const ATTACH_SEED: f32 = 0.3;
/// Score to that member: a chain of two weak links (a unit that merely shares the story's
/// names with a member, and its seed) is no match.
const ATTACH_EDGE: f32 = 0.45;

/// Joins units left on their own to a fact of several units when one of its members (not
/// necessarily the seed) matches them and the seed is close too (a rewrite's wording matches
/// the translation better than the original), one unit per article per fact. A unit paired
/// with just one other moves too when its match in the bigger fact is stronger than its
/// pair (greedy grouping claimed its best match first and left it a weaker partner).
pub fn attach(
    groups: &mut Vec<Group>,
    units: &[Unit],
    edges: &[(usize, usize, f32)],
    score: impl Fn(usize, usize) -> f32,
) {
    let mut group_of: Vec<Option<usize>> = vec![None; units.len()];
    for (g, grp) in groups.iter().enumerate() {
        for &m in &grp.members {
            group_of[m] = Some(g);
        }
    }
    let mut sorted: Vec<&(usize, usize, f32)> = edges.iter().collect();
    sorted.sort_by(|a, b| b.2.total_cmp(&a.2));
    // A unit whose partner moved away does not follow it (a chain, not a match).
    let mut left_by: Vec<Option<usize>> = vec![None; units.len()];
    for &&(i, j, p) in &sorted {
        for (lone, other) in [(i, j), (j, i)] {
            let (Some(gl), Some(go)) = (group_of[lone], group_of[other]) else { continue };
            if gl == go
                || groups[go].members.len() < 2
                || left_by[lone] == Some(other)
                || p < ATTACH_EDGE
            {
                continue;
            }
            let partner = match groups[gl].members[..] {
                [_] => None,
                [a, b] if p > score(a, b) => Some(if a == lone { b } else { a }),
                _ => continue,
            };
            let target = &groups[go];
            let article = units[lone].article;
            if target.members.iter().any(|&m| units[m].article == article)
                || score(target.seed, lone) < ATTACH_SEED
            {
                continue;
            }
            groups[go].members.push(lone);
            groups[gl].members.clear();
            if let Some(partner) = partner {
                // The partner stays, on its own (and may itself attach to a later fact).
                groups[gl].members.push(partner);
                groups[gl].seed = partner;
                left_by[partner] = Some(lone);
            }
            group_of[lone] = Some(go);
        }
    }
    // Every group starts with its seed: the emptied ones are those whose only unit moved.
    groups.retain(|g| !g.members.is_empty());
}

/// Aligns sentences across the story's articles into facts: facts supported by two or more
/// articles, ranked by independent support, then support, then centrality; when fewer than
/// three exist, the lead sentences of the story's first articles fill in (single-source).
pub fn align(batch: &Batch, story: &DerivedStory) -> Vec<FactReport> {
    align_units(batch, story, &units(batch, &story.story.articles))
}

/// [`align`] over the story's units already cut by [`units`] (so that a caller can cut
/// them once and share them, e.g. with [`select`] for the conflict finder).
pub fn align_units(batch: &Batch, story: &DerivedStory, units: &[Unit]) -> Vec<FactReport> {
    let anchors = story_anchors(batch, units);
    // Across languages shared words mean little and the model is noisy: a pair is judged
    // by the model only between a translation and its source (one origin group or a
    // translation edge), and only when the anchors a translation keeps agree (numbers,
    // names, cognates: [`crosslang::similarity`]).
    let lang = |u: usize| batch.analyzed.get(units[u].article).map(|a| a.language.as_str());
    let cross = UnitAnchors::new(batch, units);
    let translated = translations(story, units, &cross);
    // Independent reports in another language join only through the evidence of
    // [`independent_pairs`], one unit per unit of each article pair.
    let independent = independent_pairs(batch, story, units, &cross);
    // The model's probability of a pair, once per statement pair (edges, then attach).
    let memo = PairMemo::default();
    let p = |i: usize, j: usize| {
        let (a, b) = (&*units[i].stmt, &*units[j].stmt);
        memo.get(a, b, || a.score(b))
    };
    let score = |i: usize, j: usize| {
        if lang(i) == lang(j) {
            anchors.score_given(units, i, j, p(i, j))
        } else if translated(i, j) {
            // A translation keeps its counts where the model, reading other words, may
            // not see one fact ("Quatorze personnes ont été blessées" / "Fourteen people
            // were injured").
            let (s, t) = (cross.get(i), cross.get(j));
            if s.numbers_agree(t) && s.counts_agree(t) {
                p(i, j).max(INDEPENDENT_MIN)
            } else {
                p(i, j)
            }
        } else {
            independent.get(&(i.min(j), i.max(j))).copied().unwrap_or(0.0)
        }
    };
    let mut edges = edges_scored(units, &anchors.count_keys(), None, FACT_THRESHOLD, score);
    // Their words differ: the index of content terms need not make them candidates.
    let known: FastSet<(usize, usize)> = edges.iter().map(|e| (e.0, e.1)).collect();
    let mut extra: Vec<(usize, usize, f32)> = independent
        .iter()
        .filter(|&(&(i, j), &s)| s >= FACT_THRESHOLD && !known.contains(&(i, j)))
        .map(|(&(i, j), &s)| (i, j, s))
        .collect();
    // Nor need a translation's units and their source's: they meet by the counts the
    // translation keeps ("quatorze personnes … blessées" / "fourteen people were injured").
    for (i, j) in translated_by_counts(units, &cross, &translated) {
        let s = score(i, j);
        if s >= FACT_THRESHOLD && !known.contains(&(i, j)) {
            extra.push((i, j, s));
        }
    }
    extra.sort_by_key(|e| (e.0, e.1));
    edges.extend(extra);
    let mut groups = group(units, &edges);
    attach(&mut groups, units, &edges, score);
    let main = main_language(batch, &story.story.articles);
    let report = |members: &[usize]| report_in(batch, story, units, members, main);
    let mut ranked: Vec<(usize, usize, f32, FactReport)> = groups
        .iter()
        .filter(|g| g.members.len() >= 2)
        .map(|g| {
            let f = report(&g.members);
            (f.independent_support, f.support.len(), g.centrality, f)
        })
        .collect();
    ranked.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(b.2.total_cmp(&a.2)));
    let mut facts: Vec<FactReport> = ranked.into_iter().map(|x| x.3).take(MAX_FACTS).collect();
    if facts.len() < 3 {
        let singles = groups.iter().filter(|g| g.members.len() == 1 && units[g.seed].sentence == 0);
        for g in singles.take(3 - facts.len()) {
            facts.push(report(&g.members));
        }
    }
    facts
}

/// Pairs `(i, j)` (i < j) of units in different languages of a translation and its source
/// ([`translations`]) that give a count of the same thing with the same figure
/// ([`crosslang::Anchors::counts`]), for the units the index of shared words cannot pair.
/// Empty, at no cost, when the story is written in one language. Counts given by more than
/// [`MAX_COUNT_UNITS`] units are skipped (a figure every report repeats pairs too many).
fn translated_by_counts(
    units: &[Unit],
    cross: &UnitAnchors,
    translated: &(impl Fn(usize, usize) -> bool + Sync),
) -> Vec<(usize, usize)> {
    let lang = |u: usize| cross.batch.analyzed.get(units[u].article).map(|a| a.language.as_str());
    if (1..units.len()).all(|u| lang(u) == lang(0)) {
        return Vec::new();
    }
    let mut index: FastMap<(u64, &'static str), Vec<usize>> = FastMap::default();
    for u in 0..units.len() {
        for &c in cross.get(u).counts() {
            index.entry(c).or_default().push(u);
        }
    }
    let mut out: Vec<(usize, usize)> = Vec::new();
    for list in index.values().filter(|l| l.len() <= MAX_COUNT_UNITS) {
        for (k, &i) in list.iter().enumerate() {
            for &j in &list[k + 1..] {
                if lang(i) != lang(j) && translated(i, j) {
                    out.push((i, j));
                }
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
}

/// Most units one count may tie in [`translated_by_counts`].
const MAX_COUNT_UNITS: usize = 64;

/// Anchor agreement ([`crosslang::similarity`]) two units in different languages need to
/// be judged as one fact (the same as the timeline's for a translated sentence).
const TRANSLATED_MIN: f32 = 0.35;

/// Anchor agreement ([`crosslang::similarity`]) two units of independent articles in
/// different languages need to be judged as one fact (the quotes' and the timeline's bar).
const INDEPENDENT_MIN: f32 = 0.6;
/// Specific anchors ([`crosslang::Anchors::specific_shared`]) they must share: numbers
/// that are not years, names that are not the story's ubiquitous ones; one of them a
/// number (a person's first and last name are one entity, and a speaker says many things:
/// two quotes of Ilse Marrow share her names and nothing else).
const INDEPENDENT_ANCHORS: usize = 2;

/// The cross-language anchors of each unit, read once, on first use. Units whose statement
/// is one (copies repeat a text word for word: [`Unit::stmt`]) in one language share one
/// reading: the anchors are a function of the text and the language alone.
struct UnitAnchors<'a> {
    batch: &'a Batch,
    units: &'a [Unit],
    /// Per unit, its cell: one per distinct (statement, language).
    cell_of: Vec<usize>,
    /// Per cell, the first unit with its statement and language, and its reading.
    cells: Vec<(usize, OnceLock<crosslang::Anchors>)>,
}

impl<'a> UnitAnchors<'a> {
    fn new(batch: &'a Batch, units: &'a [Unit]) -> Self {
        let mut first: FastMap<(usize, &str), usize> = FastMap::default();
        let mut cells = Vec::new();
        let cell_of = units
            .iter()
            .enumerate()
            .map(|(u, unit)| {
                let lang = batch.analyzed.get(unit.article).map_or("", |x| x.language.as_str());
                *first.entry((Arc::as_ptr(&unit.stmt) as usize, lang)).or_insert_with(|| {
                    cells.push((u, OnceLock::new()));
                    cells.len() - 1
                })
            })
            .collect();
        UnitAnchors { batch, units, cell_of, cells }
    }

    fn get(&self, u: usize) -> &crosslang::Anchors {
        let (u, cell) = &self.cells[self.cell_of[u]];
        let u = *u;
        cell.get_or_init(|| {
            let a = self.units[u].article;
            let text = self.batch.repaired.get(a).map_or("", |r| self.units[u].span.slice(&r.text));
            let lang = self.batch.analyzed.get(a).map_or("", |x| x.language.as_str());
            crosslang::Anchors::new(text, lang)
        })
    }
}

/// Whether units `i` and `j` (in different languages) may be one statement translated:
/// their articles tell one text ([`crosslang::related`]) and the anchors a translation
/// keeps agree ([`TRANSLATED_MIN`]).
fn translations<'a>(
    story: &'a DerivedStory,
    units: &'a [Unit],
    cross: &'a UnitAnchors<'a>,
) -> impl Fn(usize, usize) -> bool + Sync + 'a {
    move |i: usize, j: usize| {
        crosslang::related(story, units[i].article, units[j].article)
            && crosslang::similarity(cross.get(i), cross.get(j)) >= TRANSLATED_MIN
    }
}

/// Same-fact pairs `(i, j)` (i < j) of units of independent articles (no
/// [`crosslang::related`]) in different languages, with their anchor agreement: an outlet
/// reporting the event in its own language and words. Evidence hard to get by chance:
/// numbers that agree ([`crosslang::Anchors::numbers_agree`]), [`INDEPENDENT_ANCHORS`]
/// specific anchors shared, one a number (the story's ubiquitous names, [`crosslang::ubiquitous`], tie
/// every sentence to the event and do not count), agreement of at least
/// [`INDEPENDENT_MIN`]; each unit pairs with at most one unit of the other article
/// ([`crosslang::assign_best_of`]: its own order, not a translation's). Empty, at no cost,
/// when the story is written in one language.
///
/// Only units sharing a specific number can pair, so candidates come from an inverted index
/// of the units' specific numbers ([`crosslang::Anchors::specific_numbers`]), not from all
/// unit pairs of all article pairs (hundreds of articles in two languages would make that
/// millions of pairs).
fn independent_pairs(
    batch: &Batch,
    story: &DerivedStory,
    units: &[Unit],
    cross: &UnitAnchors,
) -> FastMap<(usize, usize), f32> {
    let mut out = FastMap::default();
    let lang = |a: ArticleIdx| {
        batch.analyzed.get(a).map(|x| x.language.as_str()).filter(|l| !l.is_empty() && *l != "und")
    };
    // Runs of units of one article (units are cut article by article): a unit pairs with
    // one unit per other run.
    let mut run_of: Vec<usize> = Vec::with_capacity(units.len());
    let mut runs: Vec<(ArticleIdx, usize)> = Vec::new();
    for unit in units {
        if runs.last().is_none_or(|r| r.0 != unit.article) {
            runs.push((unit.article, run_of.len()));
        }
        run_of.push(runs.len() - 1);
    }
    let mut langs: Vec<&str> = runs.iter().filter_map(|r| lang(r.0)).collect();
    langs.sort_unstable();
    langs.dedup();
    if langs.len() < 2 {
        return out;
    }
    let common =
        crosslang::ubiquitous(units.iter().enumerate().map(|(u, x)| (x.article, cross.get(u))));
    let mut index: FastMap<u64, Vec<usize>> = FastMap::default();
    for (u, unit) in units.iter().enumerate() {
        if lang(unit.article).is_some() {
            for n in cross.get(u).specific_numbers() {
                index.entry(n).or_default().push(u);
            }
        }
    }
    // Candidate pairs (i < j, in unit order) by pair of runs; whether two runs may pair is
    // decided once.
    let mut allowed: FastMap<(usize, usize), bool> = FastMap::default();
    let mut candidates: FastMap<(usize, usize), Vec<(usize, usize)>> = FastMap::default();
    for list in index.values() {
        for (k, &i) in list.iter().enumerate() {
            for &j in &list[k + 1..] {
                let (x, y) = (run_of[i], run_of[j]);
                if x == y {
                    continue;
                }
                let ok = *allowed.entry((x, y)).or_insert_with(|| {
                    let (a, b) = (runs[x].0, runs[y].0);
                    lang(a) != lang(b) && !crosslang::related(story, a, b)
                });
                if ok {
                    candidates.entry((x, y)).or_default().push((i, j));
                }
            }
        }
    }
    let sentences = sentence_figures(units, cross);
    let score = |i: usize, j: usize| {
        let (s, t) = ((cross.get(i), &sentences[i]), (cross.get(j), &sentences[j]));
        independent_score(s, t, &common)
    };
    let mut groups: Vec<Vec<(usize, usize)>> = candidates.into_values().collect();
    let pairs: Vec<Vec<(usize, usize, f32)>> = groups
        .par_iter_mut()
        .map(|pairs| {
            pairs.sort_unstable();
            pairs.dedup();
            // In (i, j) order, as `pairs`.
            let scored: Vec<(f32, usize, usize)> =
                pairs.iter().map(|&(i, j)| (score(i, j), i, j)).collect();
            let best = crosslang::assign_best_of(scored.clone(), INDEPENDENT_MIN);
            let score_of = |p: (usize, usize)| {
                scored.binary_search_by_key(&p, |s| (s.1, s.2)).map_or(0.0, |k| scored[k].0)
            };
            best.into_iter().map(|(i, j)| (i, j, score_of((i, j)))).collect()
        })
        .collect();
    for (i, j, s) in pairs.into_iter().flatten() {
        out.insert((i, j), s);
    }
    out
}

/// The same-fact score of two passages of independent articles in different languages
/// (0 when they cannot be one fact), `common` the story's ubiquitous names: their numbers
/// agree and either they share [`INDEPENDENT_ANCHORS`] specific anchors, one a number (then
/// their anchor agreement, [`crosslang::similarity`]); a pair that counts one thing with one
/// specific figure, every figure both give counting the same in both
/// ([`crosslang::Anchors::counts_agree`]: "900.000 pasajeros" / "900,000 passengers"), and
/// either shares a specific name or sits in sentences whose figures agree twice
/// ([`Figures::agree_twice`]: "dos muertos y 23 heridos" / "Two people died and 23 were
/// injured"; "900.000 pasajeros al año en sus cuatro transbordadores" / "four ferries …
/// 900,000 passengers a year"), scores at least [`INDEPENDENT_MIN`]: the counted nouns
/// translate where little else does. A second figure that counts something else on one
/// side is no evidence: "64 pasajeros y seis conductores" on a bus is not "64 passengers
/// and six crew".
fn independent_score(
    (s, s_sentence): (&crosslang::Anchors, &Figures),
    (t, t_sentence): (&crosslang::Anchors, &Figures),
    common: &[String],
) -> f32 {
    if !s.numbers_agree(t) {
        return 0.0;
    }
    let (numbers, names) = s.specific_shared(t, common);
    let anchored = if numbers > 0 && numbers + names >= INDEPENDENT_ANCHORS {
        crosslang::similarity(s, t)
    } else {
        0.0
    };
    if s.counts_agree(t) && (names > 0 || s_sentence.agree_twice(t_sentence)) {
        anchored.max(INDEPENDENT_MIN)
    } else {
        anchored
    }
}

/// Figures two sentences in different languages must both give, each counting the same
/// thing in both, for a count of one of them to tie their units ("two dead and 23 injured"
/// / "dos muertos y 23 heridos"): two figures agreeing are rarely met by chance.
const INDEPENDENT_COUNTS: usize = 2;

/// The figures of one sentence, for [`Figures::agree_twice`]: its counts
/// ([`crosslang::Anchors::counts`], what a figure counts when a counting word says so) and
/// its specific numbers ([`crosslang::Anchors::specific_numbers`]: all figures but years).
#[derive(Debug, Clone, Default, PartialEq)]
struct Figures {
    /// (value bits, what is counted), sorted, distinct.
    counts: Vec<(u64, &'static str)>,
    /// Value bits, sorted, distinct.
    numbers: Vec<u64>,
}

impl Figures {
    /// Whether the two sentences' counts agree ([`crosslang::count_agreement`]: no figure
    /// counts different things) and [`INDEPENDENT_COUNTS`] of their figures count alike:
    /// the same thing ("23 heridos" / "23 were injured"), or, a count of the same thing
    /// aside, nothing a counting word names on either side ("sus cuatro transbordadores" /
    /// "four ferries"). A figure counted on one side only ("seis conductores" / "six crew")
    /// is no evidence either way.
    fn agree_twice(&self, other: &Figures) -> bool {
        let Some((counted, _)) = crosslang::count_agreement(&self.counts, &other.counts) else {
            return false;
        };
        let counted_in = |f: &Figures, v: u64| f.counts.iter().any(|c| c.0 == v);
        let uncounted = self
            .numbers
            .iter()
            .filter(|&&v| {
                other.numbers.binary_search(&v).is_ok()
                    && !counted_in(self, v)
                    && !counted_in(other, v)
            })
            .count();
        counted > 0 && counted + uncounted >= INDEPENDENT_COUNTS
    }
}

/// Per unit, the [`Figures`] of all the units of its sentence.
fn sentence_figures(units: &[Unit], cross: &UnitAnchors) -> Vec<Figures> {
    let mut of: FastMap<(ArticleIdx, usize), Figures> = FastMap::default();
    for (u, unit) in units.iter().enumerate() {
        let f = of.entry((unit.article, unit.sentence)).or_default();
        let a = cross.get(u);
        f.counts.extend(a.counts());
        f.numbers.extend(a.specific_numbers());
    }
    for f in of.values_mut() {
        f.counts.sort_unstable();
        f.counts.dedup();
        f.numbers.sort_unstable();
        f.numbers.dedup();
    }
    units.iter().map(|u| of.get(&(u.article, u.sentence)).cloned().unwrap_or_default()).collect()
}

/// Per unit, the hashes of the content terms of the attributions of the direct quotes that
/// make the unit's statement (the content opens or closes the unit, a quote mark aside): the
/// speaker as written and the verb of saying ("said Captain Tomas Reyle", "the coast guard
/// said"), those that are not also words of the quoted content. A quoted fragment inside
/// a statement ("X said it was “devastated” and had cancelled…") keeps its speaker, who is
/// also the subject of the rest; so does reported speech, whose attribution ("…, the
/// authority said") is often all that ties it to its event.
/// The story-weighted evidence of `units` (all the units of one story) that facts are
/// aligned with: attribution words neutral ([`attributions`]).
pub fn story_anchors(batch: &Batch, units: &[Unit]) -> Anchors {
    Anchors::without(units, &attributions(batch, units))
}

/// Bytes of an opening quote mark (“ is three).
const QUOTE_MARK: usize = 3;

fn attributions(batch: &Batch, units: &[Unit]) -> Vec<Vec<u64>> {
    units
        .iter()
        .map(|u| {
            let (Some(rep), Some(an)) =
                (batch.repaired.get(u.article), batch.analyzed.get(u.article))
            else {
                return Vec::new();
            };
            let mut out: Vec<u64> = Vec::new();
            let makes = |q: &&crate::record::Quote| {
                u.span.contains(q.content)
                    && (q.content.start <= u.span.start + QUOTE_MARK
                        || q.content.end + QUOTE_MARK + 1 >= u.span.end)
            };
            for q in an.quotes.iter().filter(makes) {
                let mut said =
                    q.source.iter().chain(&q.cue).filter(|sp| u.span.contains(**sp)).peekable();
                if said.peek().is_none() {
                    continue;
                }
                let quoted = crate::text::content_terms(q.content.slice(&rep.text));
                for sp in said {
                    crate::text::for_each_content_term(sp.slice(&rep.text), |t| {
                        if !quoted.iter().any(|q| q == t) {
                            out.push(super::compare::hash(t));
                        }
                    });
                }
            }
            out
        })
        .collect()
}

/// The language most of `members` are written in (ties: the first article's; unknown
/// languages are not counted).
pub fn main_language<'a>(batch: &'a Batch, members: &[ArticleIdx]) -> Option<&'a str> {
    let mut count: Vec<(&str, usize)> = Vec::new();
    for an in members.iter().filter_map(|&a| batch.analyzed.get(a)) {
        let l = an.language.as_str();
        if l.is_empty() || l == "und" {
            continue;
        }
        match count.iter_mut().find(|c| c.0 == l) {
            Some(c) => c.1 += 1,
            None => count.push((l, 1)),
        }
    }
    let best = count.iter().map(|c| c.1).max()?;
    count.into_iter().find(|c| c.1 == best).map(|c| c.0)
}

/// Whether a unit's text reads as a sentence on its own: it opens with a capital, a digit
/// or a quotation and ends with a full stop, a question or exclamation mark or a closing
/// quote (a clause cut from a longer sentence — "it serves as a staging post", "Three
/// people died" — does not).
pub fn reads_whole(text: &str) -> bool {
    let t = text.trim();
    let opens = t.chars().next().is_some_and(|c| {
        c.is_uppercase() || c.is_ascii_digit() || matches!(c, '“' | '"' | '‘' | '\'' | '«')
    });
    opens && t.ends_with(['.', '!', '?', '”', '"', '’', '»'])
}

/// Whether a sentence has a gap left by a cut-out link or name ("According to , the").
pub fn has_gap(text: &str) -> bool {
    [" ,", " .", " ;", " :"].iter().any(|g| text.contains(g))
}

/// The report of a group of units (the first member's wording represents it).
pub fn report(
    batch: &Batch,
    story: &DerivedStory,
    units: &[Unit],
    members: &[usize],
) -> FactReport {
    report_in(batch, story, units, members, None)
}

/// The report of a group of units, worded by the origin's member (an article derived from
/// no other, the earliest published; else the first member) in the story's `main`
/// language without a gap that reads as a whole sentence (else without a gap, else in the
/// main language, else its first member; a chosen clause that does not
/// read as a sentence is shown as its whole sentence); a fact with no wording in the main
/// language says which language it shows.
fn report_in(
    batch: &Batch,
    story: &DerivedStory,
    units: &[Unit],
    members: &[usize],
    main: Option<&str>,
) -> FactReport {
    let mut sorted: Vec<usize> = members.to_vec();
    let lang = |u: usize| batch.analyzed.get(units[u].article).map(|a| a.language.as_str());
    let slice = |u: usize| {
        batch.repaired.get(units[u].article).map_or("", |r| units[u].span.slice(&r.text))
    };
    let in_main = |u: usize| main.is_none() || lang(u) == main;
    let reads = |t: &str| reads_whole(t) && clauses::stands_alone(t);
    // Among wordings that qualify alike, the origin's: an article no other derives from
    // (not a copy, rewrite or translation), the earliest published, the seed on ties.
    let derived = |a: ArticleIdx| story.derivations.iter().any(|d| d.article == a);
    let rank = |&(k, &u): &(usize, &usize)| {
        let a = units[u].article;
        let date = batch.articles.get(a).and_then(|x| x.date);
        (derived(a), date.is_none(), date, k)
    };
    let pick = |ok: &dyn Fn(usize) -> bool| {
        members.iter().enumerate().filter(|(_, &u)| ok(u)).min_by_key(rank).map(|(_, &u)| u)
    };
    let best = pick(&|u| in_main(u) && !has_gap(slice(u)) && reads(slice(u)))
        .or_else(|| pick(&|u| in_main(u) && !has_gap(slice(u))))
        .or_else(|| pick(&|u| in_main(u)))
        .or_else(|| members.first().copied());
    // A clause that does not read as a sentence ("11 were missing after…", its subject in
    // the other clause) is shown as its whole sentence; the support keeps the clause's span.
    let whole = |u: usize| {
        let (rep, an) =
            (batch.repaired.get(units[u].article)?, batch.analyzed.get(units[u].article)?);
        let s = an.sentences.get(units[u].sentence)?;
        let text = dateline::trim(&rep.text, &an.sentences, s.span).slice(&rep.text).trim();
        (reads(text) && !has_gap(text)).then_some(text)
    };
    let text = match best {
        Some(u) if !reads(slice(u)) => whole(u).unwrap_or(slice(u)),
        _ => best.map_or("", slice),
    }
    .to_string();
    let language =
        best.filter(|&u| !in_main(u)).and_then(lang).filter(|l| !l.is_empty()).map(String::from);
    sorted.sort_by_key(|&u| (units[u].article, units[u].span.start));
    let mut origins: Vec<usize> =
        sorted.iter().map(|&u| story.origin_of(units[u].article)).collect();
    origins.sort_unstable();
    origins.dedup();
    FactReport {
        text,
        support: sorted.iter().map(|&u| support(batch, units[u].article, units[u].span)).collect(),
        independent_support: origins.len(),
        language,
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::record::{Analyzed, Article, Sentence, Story};

    /// A batch whose sentences are the lines of each text, and a story over all of it with
    /// the given origin groups.
    pub(crate) fn batch_of(texts: &[&str], groups: Vec<Vec<usize>>) -> (Batch, DerivedStory) {
        let articles: Vec<Article> =
            texts.iter().enumerate().map(|(i, t)| Article::new(format!("a{i}"), *t)).collect();
        let repaired: Vec<_> = articles.iter().map(|a| crate::repair::repair(&a.raw)).collect();
        let analyzed = repaired
            .iter()
            .map(|r| {
                let mut pos = 0;
                let mut sentences = Vec::new();
                for (p, line) in r.text.split('\n').enumerate() {
                    if !line.trim().is_empty() {
                        sentences.push(Sentence {
                            span: Span::new(pos, pos + line.len()),
                            paragraph: p,
                        });
                    }
                    pos += line.len() + 1;
                }
                Analyzed { sentences, ..Analyzed::default() }
            })
            .collect();
        let story = Story { id: "s".into(), articles: (0..texts.len()).collect(), why: Vec::new() };
        let batch = Batch { articles, repaired, analyzed };
        (batch, DerivedStory { story, derivations: Vec::new(), origin_groups: groups })
    }

    const A: &str = "Rebels captured the northern city of Aleppo after a week of fighting.\nThe weather in the region was cold and wet all week long.";
    const B: &str = "After a week of fighting, rebels captured the northern city of Aleppo.\nLocal football results were announced by the national league officials.";
    const C: &str = "Rebels captured the northern city of Aleppo after a week of heavy fighting.";

    #[test]
    fn edges_around_a_focus_look_both_ways_once() {
        let (batch, _) = batch_of(&[A, B, C], vec![vec![0], vec![1], vec![2]]);
        let u = units(&batch, &[0, 1, 2]);
        let all = edges(&u, false, ALIGN_THRESHOLD);
        let last = u.len() - 1;
        type Pairs = Vec<(usize, usize)>;
        let table: Vec<(Vec<bool>, Pairs)> = vec![
            (vec![false; u.len()], vec![]),
            (
                (0..u.len()).map(|i| i == last).collect(),
                all.iter().filter(|e| e.1 == last).map(|e| (e.0, e.1)).collect(),
            ),
            (vec![true; u.len()], all.iter().map(|e| (e.0, e.1)).collect()),
        ];
        for (focus, want) in table {
            let mut got: Vec<(usize, usize)> =
                edges_around(&u, Some(&focus), ALIGN_THRESHOLD, |a, b| a.score(b))
                    .into_iter()
                    .map(|e| (e.0, e.1))
                    .collect();
            got.sort_unstable();
            let mut want = want;
            want.sort_unstable();
            assert_eq!(got, want, "{focus:?}");
        }
        assert!(!all.is_empty());
    }

    #[test]
    fn facts_count_independent_origins() {
        let table = [
            (vec![vec![0], vec![1], vec![2]], 3),
            (vec![vec![0, 2], vec![1]], 2),
            (vec![vec![0, 1, 2]], 1),
        ];
        for (groups, want) in table {
            let (batch, story) = batch_of(&[A, B, C], groups);
            let facts = align(&batch, &story);
            let top = &facts[0];
            assert!(top.text.contains("Aleppo"), "{facts:?}");
            assert_eq!(top.support.len(), 3);
            assert_eq!(top.independent_support, want);
            assert!(facts.iter().skip(1).all(|f| !f.text.contains("Aleppo")));
        }
    }

    #[test]
    fn support_offsets_point_into_raw_text() {
        // The third starts with a dateline (its unit after it) and with mojibake before it
        // (repaired text and raw text differ in length).
        let wire = "ALEPPO, Syria (Reuters) \u{e2}\u{80}\u{94} Rebels captured the northern city of Aleppo after a week of fighting.";
        let texts = [A, B, wire];
        let (batch, story) = batch_of(&texts, vec![vec![0], vec![1], vec![2]]);
        let facts = align(&batch, &story);
        assert_eq!(facts[0].support.len(), 3, "{facts:?}");
        for s in &facts[0].support {
            let raw = texts[s.article[1..].parse::<usize>().unwrap_or(0)];
            assert_eq!(raw.get(s.start..s.end), Some(s.sentence.as_str()), "{s:?}");
            assert!(s.sentence.starts_with("Rebels") || s.sentence.starts_with("After"), "{s:?}");
        }
    }

    #[test]
    fn selected_units_match_units_where() {
        let (batch, story) = batch_of(&[A, B, C], vec![vec![0], vec![1], vec![2]]);
        let (clauses, all) = units_and_sentences(&batch, &story.story.articles);
        let keeps: [fn(ArticleIdx, Span) -> bool; 3] =
            [|_, _| true, |a, _| a == 1, |_, s| s.start > 0];
        for keep in keeps {
            let want = units_where(&batch, &story.story.articles, keep);
            let got = select(&all, keep);
            let key = |u: &Unit| (u.article, u.span, u.stmt.content_len);
            assert_eq!(
                got.iter().map(key).collect::<Vec<_>>(),
                want.iter().map(key).collect::<Vec<_>>()
            );
        }
        let facts = align_units(&batch, &story, &clauses);
        assert_eq!(format!("{facts:?}"), format!("{:?}", align(&batch, &story)));
        let key = |u: &Unit| (u.article, u.span);
        let alone: Vec<_> = units(&batch, &story.story.articles).iter().map(key).collect();
        assert_eq!(clauses.iter().map(key).collect::<Vec<_>>(), alone);
    }

    #[test]
    fn facts_are_worded_in_the_main_language_without_gaps() {
        let fr = "Trois personnes sont mortes après le naufrage du ferry au large de la pointe.";
        let gap = "According to , three people died after the ferry capsized off the point.";
        let en = "Three people died after the ferry capsized off the point on Tuesday.";
        let (mut batch, story) = batch_of(&[fr, gap, en], vec![vec![0, 1, 2]]);
        for (k, l) in ["fr", "en", "en"].iter().enumerate() {
            batch.analyzed[k].language = l.to_string();
        }
        let u = units(&batch, &[0, 1, 2]);
        let at = |a: usize| u.iter().position(|x| x.article == a).unwrap_or(usize::MAX);
        let all = [at(0), at(1), at(2)];
        /// (main language, members, wording, language shown)
        type Case<'a> = (Option<&'a str>, &'a [usize], &'a str, Option<&'a str>);
        let table: &[Case] = &[
            (Some("en"), &all, en, None),
            (Some("en"), &all[..2], gap, None),
            (Some("fr"), &all, fr, None),
            (Some("de"), &all, fr, Some("fr")),
            (None, &all, fr, None),
        ];
        for (main, members, text, lang) in table {
            let f = report_in(&batch, &story, &u, members, *main);
            assert_eq!(f.text, *text, "{main:?}");
            assert_eq!(f.language.as_deref(), *lang, "{main:?}");
        }
        assert_eq!(main_language(&batch, &[0, 1, 2]), Some("en"));
        let table = [
            ("Three people are confirmed dead.", true),
            ("“We will not stop,” said Ms Marrow.", true),
            ("23 people were injured.", true),
            ("Three people died", false),
            ("it serves as a key staging post for contractors.", false),
        ];
        for (text, want) in table {
            assert_eq!(reads_whole(text), want, "{text}");
        }
    }

    #[test]
    fn facts_are_worded_by_their_origin_article() {
        let spun =
            "Three individuals perished after the ferry overturned off the point on Tuesday.";
        let wire = "Three people died after the ferry capsized off the point on Tuesday.";
        let local = "Three people were killed when the ferry capsized off the point on Tuesday.";
        let date = |d: &str| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok();
        // (dates of spun/wire/local, whether spun derives from wire, members, wording)
        type Case<'a> = ([&'a str; 3], bool, &'a [usize], &'a str);
        let table: &[Case] = &[
            // The rewrite comes first (the seed) but the wire it derives from words the fact.
            (["2026-03-04", "2026-03-04", "2026-03-04"], true, &[0, 1, 2], wire),
            // Among articles derived from none, the earliest published.
            (["2026-03-04", "2026-03-05", "2026-03-03"], true, &[0, 1, 2], local),
            // Nothing derived, same dates: the first member, as before.
            (["2026-03-04", "2026-03-04", "2026-03-04"], false, &[0, 1, 2], spun),
            // Only derived wordings: still one of them.
            (["2026-03-04", "2026-03-04", "2026-03-04"], true, &[0], spun),
        ];
        for (dates, derived, members, want) in table {
            let (mut batch, mut story) = batch_of(&[spun, wire, local], vec![vec![0, 1], vec![2]]);
            for (k, d) in dates.iter().enumerate() {
                batch.articles[k].date = date(d);
            }
            if *derived {
                story.derivations.push(crate::record::Derivation {
                    article: 0,
                    from: 1,
                    kind: crate::record::DerivationKind::Rewrite,
                    score: 0.9,
                    evidence: Vec::new(),
                });
            }
            let u = units(&batch, &[0, 1, 2]);
            let at = |a: usize| u.iter().position(|x| x.article == a).unwrap_or(usize::MAX);
            let m: Vec<usize> = members.iter().map(|&a| at(a)).collect();
            let f = report_in(&batch, &story, &u, &m, None);
            assert_eq!(f.text, *want, "{dates:?} {derived}");
        }
    }

    #[test]
    fn counts_that_agree_make_one_fact_without_shared_words() {
        let texts = [
            "More than 200 people were on board.",
            "The ferry sank near the harbour with 221 people on board.",
            "It was carrying 212 passengers and nine crew when it overturned.",
            "Rescue boats pulled 207 people from the water overnight.",
        ];
        let (batch, story) = batch_of(&texts, vec![vec![0], vec![1], vec![2], vec![3]]);
        let facts = align(&batch, &story);
        let aboard = facts.iter().find(|f| f.support.len() > 1).expect("a fact of several");
        let mut arts: Vec<&str> = aboard.support.iter().map(|s| s.article.as_str()).collect();
        arts.sort_unstable();
        assert_eq!(arts, ["a0", "a1", "a2"], "{facts:?}");
        assert_eq!(aboard.independent_support, 3);
    }

    #[test]
    fn a_clause_without_its_subject_is_shown_as_its_sentence() {
        let a = "Three people died and 11 were missing after a passenger ferry capsized off the point, the authority said.";
        let b = "Officials said 11 were missing after the passenger ferry capsized off the point.";
        let (batch, story) = batch_of(&[a, b], vec![vec![0], vec![1]]);
        let u = units(&batch, &[0, 1]);
        let clause = u
            .iter()
            .position(|x| x.article == 0 && x.span.slice(&batch.repaired[0].text).starts_with("11"))
            .expect("the sentence is cut into clauses");
        let f = report_in(&batch, &story, &u, &[clause], Some("en"));
        assert_eq!(f.text, a);
        // The support keeps the clause's own offsets.
        assert_eq!(f.support.len(), 1);
        let raw = &batch.articles[0].raw;
        let sup = &f.support[0];
        assert!(raw[sup.start..sup.end].starts_with("11 were missing"), "{sup:?}");
    }

    #[test]
    fn attributions_of_quotes_that_make_the_statement() {
        use crate::record::Quote;
        let reyle = "“Every one of the 64 passengers has been accounted for,” said Captain Reyle.";
        let guard = "The coast guard said every passenger had been accounted for by early evening.";
        let ferries =
            "Lenn Estuary Ferries said it was “devastated” and had cancelled all sailings.";
        let (mut batch, _) = batch_of(&[reyle, guard, ferries], vec![vec![0], vec![1], vec![2]]);
        let span = |k: usize, needle: &str| {
            let s = batch.repaired[k].text.find(needle).unwrap_or(0);
            Span::new(s, s + needle.len())
        };
        // (article, source, cue, content, direct)
        let quotes = [
            (
                0,
                "Captain Reyle",
                "said",
                "Every one of the 64 passengers has been accounted for",
                true,
            ),
            (
                1,
                "The coast guard",
                "said",
                "every passenger had been accounted for by early evening",
                false,
            ),
            (2, "Lenn Estuary Ferries", "said", "devastated", true),
        ];
        for (k, source, cue, content, direct) in quotes {
            let q = Quote {
                source: Some(span(k, source)),
                speaker: Some(source.to_string()),
                cue: Some(span(k, cue)),
                content: span(k, content),
                direct,
                content_kind: Default::default(),
            };
            batch.analyzed[k].quotes.push(q);
        }
        let u = units(&batch, &[0, 1, 2]);
        let got = attributions(&batch, &u);
        let h = |w: &str| super::super::compare::hash(&crate::text::term(w));
        let want: [Vec<u64>; 3] =
            [["captain", "reyle"].map(h).to_vec(), ["coast", "guard"].map(h).to_vec(), Vec::new()];
        for (k, want) in want.iter().enumerate() {
            let at = u.iter().position(|x| x.article == k).unwrap_or(usize::MAX);
            let mut g = got[at].clone();
            g.sort_unstable();
            let mut w = want.clone();
            w.sort_unstable();
            assert_eq!(g, w, "article {k}");
        }
    }

    #[test]
    fn units_in_two_languages_need_a_translation_and_its_anchors() {
        let en = "Three people died after the ferry capsized off Kessaly Point on Tuesday evening.\nThe company suspended all sailings to the island until further notice.";
        let fr = "Trois personnes sont mortes après le chavirement du ferry au large de Kessaly mardi soir.\nLa compagnie Tarvik Line a suspendu toutes ses traversées vers l’île de Tarvik.";
        let other = "Deux personnes sont mortes après le chavirement au large de Kessaly.";
        // (origin groups, translation edges, en sentence, fr article, fr sentence, wanted)
        type Case = (Vec<Vec<usize>>, Vec<(usize, usize)>, usize, usize, usize, bool);
        let table: Vec<Case> = vec![
            // The translation keeps its numbers, names and cognates.
            (vec![vec![0, 1], vec![2]], vec![], 0, 1, 0, true),
            (vec![vec![0], vec![1], vec![2]], vec![(1, 0)], 0, 1, 0, true),
            // The same sentences in independent articles: no translation, not judged.
            (vec![vec![0], vec![1], vec![2]], vec![], 0, 1, 0, false),
            // A sentence of the translation whose anchors do not agree (names only on
            // one side; numbers that clash).
            (vec![vec![0, 1], vec![2]], vec![], 1, 1, 1, false),
            (vec![vec![0, 1, 2]], vec![], 0, 2, 0, false),
        ];
        for (groups, edges, e, f, k, want) in table {
            let (mut batch, mut story) = batch_of(&[en, fr, other], groups.clone());
            for (a, l) in ["en", "fr", "fr"].iter().enumerate() {
                batch.analyzed[a].language = l.to_string();
            }
            story.derivations = crosslang::translation_edges(&edges);
            let u = units(&batch, &[0, 1, 2]);
            let nth = |art: usize, n: usize| {
                u.iter()
                    .enumerate()
                    .filter(|x| x.1.article == art)
                    .nth(n)
                    .map_or(usize::MAX, |x| x.0)
            };
            let cross = UnitAnchors::new(&batch, &u);
            let judged = translations(&story, &u, &cross);
            assert_eq!(judged(nth(0, e), nth(f, k)), want, "{groups:?} {edges:?} {e} {f} {k}");
        }
    }

    /// Checks that line `k` of `text` is in the support of the fact whose text holds
    /// `want[k]` (with at least `independent` independent sources), or of none.
    fn assert_joins(facts: &[FactReport], text: &str, want: &[Option<&str>], independent: usize) {
        for (k, want) in want.iter().enumerate() {
            let line = text.split('\n').nth(k).unwrap_or("");
            let joined = facts.iter().find(|f| f.support.iter().any(|s| s.sentence == line));
            match want {
                Some(words) => {
                    let f = joined.unwrap_or_else(|| panic!("{line} joins no fact: {facts:?}"));
                    assert!(f.text.contains(words), "{line} → {}", f.text);
                    assert!(f.independent_support >= independent, "{f:?}");
                }
                None => assert!(joined.is_none(), "{line} joined {joined:?}"),
            }
        }
    }

    #[test]
    fn a_translation_joins_its_source_by_the_counts_it_keeps() {
        // The English source and its French translation (one origin group), and an
        // independent English report; the count sentences share no word across languages,
        // and only the translation says that fourteen were injured.
        let en = "The MV Orla Grey was carrying 212 passengers and nine crew to Tarvik.\nFourteen people were injured, four of them seriously.\nRescue crews worked through the night off Kessaly Point.";
        let fr = "Le MV Orla Grey transportait 212 passagers et neuf membres d’équipage vers Tarvik.\nQuatorze personnes ont été blessées, dont quatre grièvement.\nLes secours ont travaillé toute la nuit au large de la pointe de Kessaly.";
        let other = "The Orla Grey left Port Ellery in rough seas.\nThe Orla Grey was carrying 212 passengers and nine crew, the harbour office said.";
        // (French text, wanted: the English fact each French line joins, or None)
        let table: [(&str, &[Option<&str>]); 2] = [
            (fr, &[Some("212 passengers"), Some("Fourteen people"), None]),
            // Another figure of the same thing: not one fact.
            (
                "Le MV Orla Grey transportait 212 passagers et neuf membres d’équipage vers Tarvik.\nSeize personnes ont été blessées, dont quatre grièvement.",
                &[Some("212 passengers"), None],
            ),
        ];
        for (fr, want) in table {
            let (mut batch, story) = batch_of(&[en, fr, other], vec![vec![0, 1], vec![2]]);
            for (a, l) in ["en", "fr", "en"].iter().enumerate() {
                batch.analyzed[a].language = l.to_string();
            }
            assert_joins(&align(&batch, &story), fr, want, 1);
        }
    }

    #[test]
    fn independent_outlets_in_other_languages_count_only_with_specific_anchors() {
        // An English story of three independent outlets (the ferry and its port named
        // everywhere), and a foreign fourth outlet, in its own order and words.
        // Lines without names: the story's other sentences.
        let filler = "\nRescuers worked through the night in cold water.\nThe weather was calm and the sea was flat.\nResidents gathered on the shore to watch the rescue.\nThe operator said it was shocked and saddened.\nAn inquiry will look at the maintenance records.";
        let en = [
            "Two people died and 23 were injured when the ferry Brisa Hale capsized near Caldport.\nEleven of the injured were taken to Caldport General Hospital on Tuesday.\nThe Brisa Hale was carrying 64 passengers and six crew to Osterlin.\nThe operator carries about 900,000 passengers a year on its four ferries from Lenn.",
            "The Brisa Hale ran aground near Caldport with 64 passengers and six crew on board.\nEleven people were taken to Caldport General Hospital, officials said.\nThe Brisa Hale operator cancelled all sailings from Caldport.",
            "Villagers from Osterlin rowed out to the Brisa Hale near Caldport.\nThe Brisa Hale operator had overhauled the engines in Caldport last November.",
        ];
        // (foreign text, language, wanted: the English unit (by its words) each foreign
        // line joins, or None)
        type Case = (&'static str, &'static str, &'static [Option<&'static str>]);
        let table: &[Case] = &[
            // True pairs: counts that agree and a rare name.
            (
                "Once heridos fueron trasladados al Hospital General de Caldport.\nEl Brisa Hale llevaba 64 pasajeros y seis tripulantes hacia Osterlin.",
                "es",
                &[Some("Eleven"), Some("64 passengers")],
            ),
            (
                "Le Brisa Hale transportait 64 passagers et six membres d’équipage vers Osterlin.\nOnze blessés ont été transportés au Caldport General Hospital.",
                "fr",
                &[Some("64 passengers"), Some("Eleven")],
            ),
            // Same names, other numbers.
            (
                "Neunzehn Verletzte kamen ins Caldport General Hospital.\nDie Brisa Hale hatte 80 Passagiere und sieben Besatzungsmitglieder an Bord.",
                "de",
                &[None, None],
            ),
            // Same numbers, another event (no rare name shared).
            (
                "Once heridos fueron trasladados al hospital tras el incendio en Valdora.\nEl autobús llevaba 64 pasajeros y seis conductores hacia Ranvik.",
                "es",
                &[None, None],
            ),
            // A coordinated count: two counts agree with the clauses of one sentence; a
            // count of one thing alone, or figures of other things, tie nothing.
            (
                "El naufragio dejó dos muertos y 23 heridos, según el último balance.\nEl incendio dejó dos muertos y 19 heridos en Valdora.\nHubo 23 desaparecidos y dos muertos en el puerto.\nOtros 23 heridos llegaron al puerto por la tarde.",
                "es",
                &[Some("23 were injured"), None, None, None],
            ),
            // A count and a rare name agree ("900.000" read as the Spanish write it); the
            // count alone ties nothing.
            (
                "La naviera transporta unos 900.000 pasajeros al año desde Lenn.\nUnos 900.000 pasajeros viajan cada año con la naviera.",
                "es",
                &[Some("900,000"), None],
            ),
            // A count and a second figure neither side says what it counts ("four
            // ferries"): two figures agree.
            ("Unos 900.000 pasajeros usan cada año sus cuatro ferris.", "es", &[Some("900,000")]),
            // The second figure counts the crew in one language only: no evidence.
            ("Unos 900.000 pasajeros y cuatro tripulantes viajan cada año.", "es", &[None]),
            // Only the story's ubiquitous names shared.
            (
                "Le Brisa Hale a quitté Caldport mardi pour son dernier voyage vers le Brisa Hale de Caldport.",
                "fr",
                &[None],
            ),
        ];
        for (foreign, lang, want) in table {
            let en: Vec<String> = en.iter().map(|t| format!("{t}{filler}")).collect();
            let texts = [en[0].as_str(), &en[1], &en[2], foreign];
            let (mut batch, story) = batch_of(&texts, (0..4).map(|i| vec![i]).collect());
            for (a, l) in ["en", "en", "en", lang].iter().enumerate() {
                batch.analyzed[a].language = l.to_string();
            }
            assert_joins(&align(&batch, &story), foreign, want, 2);
            // Not counted when the two are one origin group (a translation is no outlet).
            let (mut batch, story) = batch_of(&texts, vec![vec![0, 3], vec![1], vec![2]]);
            for (a, l) in ["en", "en", "en", lang].iter().enumerate() {
                batch.analyzed[a].language = l.to_string();
            }
            for f in align(&batch, &story) {
                let origins = f.support.iter().filter(|s| s.article != "a3").count();
                assert!(f.independent_support <= origins.max(1), "{f:?}");
            }
        }
    }

    #[test]
    fn a_partner_left_behind_does_not_follow() {
        let d = "Fighters seized the northern city of Aleppo after seven days of battles.";
        let (batch, _) = batch_of(&[A, B, C, d], (0..4).map(|i| vec![i]).collect());
        let u = units(&batch, &[0, 1, 2, 3]);
        let at = |a: usize| u.iter().position(|x| x.article == a).unwrap_or(usize::MAX);
        let (a, b, c, d) = (at(0), at(1), at(2), at(3));
        let mut groups = vec![
            Group { seed: a, members: vec![a, b], centrality: 1.0 },
            Group { seed: c, members: vec![c, d], centrality: 0.5 },
        ];
        let e = |x: usize, y: usize, p: f32| (x.min(y), x.max(y), p);
        let edges = [e(b, c, 0.9), e(c, d, 0.5)];
        // c's pair is weaker than its match b; d is close to the seed, but only through c.
        let score = |x: usize, y: usize| {
            let k = (x.min(y), x.max(y));
            if k == (c.min(d), c.max(d)) || k == (a.min(c), a.max(c)) || k == (a.min(d), a.max(d)) {
                0.5
            } else {
                0.0
            }
        };
        attach(&mut groups, &u, &edges, score);
        let members: Vec<Vec<usize>> = groups.iter().map(|g| g.members.clone()).collect();
        assert_eq!(members, [vec![a, b, c], vec![d]]);
    }

    #[test]
    fn lone_units_attach_through_a_member_close_to_the_seed() {
        let (batch, _) = batch_of(&[A, B, C], vec![vec![0], vec![1], vec![2]]);
        let u = units(&batch, &[0, 1, 2]);
        let at = |a: usize| u.iter().position(|x| x.article == a).unwrap_or(usize::MAX);
        let (a, b, c) = (at(0), at(1), at(2));
        // (score to the seed, score to the member, want c attached)
        for (to_seed, edge, want) in [(0.5, 0.9, true), (0.1, 0.9, false), (0.5, 0.41, false)] {
            let mut groups = vec![
                Group { seed: a, members: vec![a, b], centrality: 1.0 },
                Group { seed: c, members: vec![c], centrality: 0.0 },
            ];
            let edges = [(b.min(c), b.max(c), edge)];
            attach(&mut groups, &u, &edges, |x, y| if x == a && y == c { to_seed } else { 0.0 });
            let sizes: Vec<usize> = groups.iter().map(|g| g.members.len()).collect();
            assert_eq!(sizes, if want { vec![3] } else { vec![2, 1] }, "{to_seed} {edge}");
        }
        // A unit paired with a weaker partner moves to the fact of its stronger match; its
        // partner stays on its own.
        let a2 = u.iter().rposition(|x| x.article == 0).unwrap_or(usize::MAX);
        assert_ne!(a, a2);
        // (score of the pair, want c moved)
        for (pair, want) in [(0.5, true), (0.95, false)] {
            let mut groups = vec![
                Group { seed: a, members: vec![a, b], centrality: 1.0 },
                Group { seed: c, members: vec![c, a2], centrality: 0.5 },
            ];
            let edges = [(b.min(c), b.max(c), 0.9)];
            let score = |x: usize, y: usize| match (x.min(y), x.max(y)) {
                (p, q) if (p, q) == (c.min(a2), c.max(a2)) => pair,
                (p, q) if (p, q) == (a.min(c), a.max(c)) => 0.5,
                _ => 0.0,
            };
            attach(&mut groups, &u, &edges, score);
            let members: Vec<Vec<usize>> = groups.iter().map(|g| g.members.clone()).collect();
            let seeds: Vec<usize> = groups.iter().map(|g| g.seed).collect();
            if want {
                assert_eq!(members, [vec![a, b, c], vec![a2]], "{pair}");
                assert_eq!(seeds, [a, a2]);
            } else {
                assert_eq!(members, [vec![a, b], vec![c, a2]], "{pair}");
            }
        }
    }
}

#[cfg(test)]
mod bench {
    use super::tests::batch_of;
    use crate::pipeline::{Batch, DerivedStory};
    use crate::record::Story;

    /// A pseudo-word without digits ("bakide").
    fn word(n: usize) -> String {
        let syl = ["ba", "ki", "de", "mo", "lu", "ra", "te", "no", "si", "pa", "vo", "gu"];
        let (a, b, c) = (n % 12, (n / 12) % 12, (n / 144) % 12);
        format!("{}{}{}", syl[a], syl[b], syl[c])
    }

    /// The texts of a synthetic 50-article story: 30 lines each, every fourth a shared
    /// fact (a third of the outlets give another count), the rest pseudo-word filler.
    fn story_texts() -> Vec<String> {
        let facts = [
            "Rebel forces captured the northern city of Aleppo after a week of heavy fighting",
            "The president fled the capital on a Russian military plane late on Saturday",
            "Twelve people were killed when a car bomb exploded near the central market",
            "The foreign ministry said talks with the new authorities would begin soon",
            "Thousands of residents celebrated in the streets of the old city overnight",
            "The army withdrew from positions around the airport without a fight",
            "Officials confirmed that the naval base on the coast remains operational",
            "The United Nations envoy called for calm and an orderly transition of power",
        ];
        let filler = [
            "local",
            "officials",
            "reported",
            "regional",
            "sources",
            "witnesses",
            "analysts",
            "observers",
            "statement",
            "morning",
        ];
        (0..50)
            .map(|a| {
                (0..30)
                    .map(|k| {
                        if k % 4 == 0 {
                            format!(
                                "{}, {} {} said.",
                                if a % 3 == 0 {
                                    facts[(a + k) % facts.len()].replace("Twelve", "Nine")
                                } else {
                                    facts[(a + k) % facts.len()].to_string()
                                },
                                filler[a % 10],
                                filler[k % 10]
                            )
                        } else {
                            format!(
                                "The {} {} {} {} near {}.",
                                word(a * 31 + k),
                                word(k * 7 + a),
                                filler[(a * k) % 10],
                                word(a + k * 13),
                                word(a * k + 5)
                            )
                        }
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .collect()
    }

    /// Times synthesis of a synthetic 50-article story (run in release with --ignored).
    #[test]
    #[ignore]
    fn synthesize_50_articles() {
        let texts = story_texts();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let groups = (0..50).map(|i| vec![i]).collect();
        let (batch, story): (Batch, DerivedStory) = batch_of(&refs, groups);
        let _ = Story::clone(&story.story);
        let t = std::time::Instant::now();
        let u = super::units(&batch, &story.story.articles);
        println!("units {} {:?}", u.len(), t.elapsed());
        let t = std::time::Instant::now();
        let e = super::edges(&u, false, super::ALIGN_THRESHOLD);
        println!("edges {} {:?}", e.len(), t.elapsed());
        let t = std::time::Instant::now();
        let g = super::group(&u, &e);
        println!("group {} {:?}", g.len(), t.elapsed());
        let t = std::time::Instant::now();
        let c = crate::synthesize::conflicts::find(&batch, &story);
        println!("conflicts {} {:?}", c.len(), t.elapsed());
        let t = std::time::Instant::now();
        let c = crate::synthesize::claims::find(&batch, &story, &u);
        println!("place/polarity conflicts {} {:?}", c.len(), t.elapsed());
        let t = std::time::Instant::now();
        let entities = crate::synthesize::canon::canonicalize(&batch, &story.story.articles);
        let c = crate::synthesize::who::find(&batch, &story, &u, &entities);
        println!("who conflicts {} {:?} (with entity table)", c.len(), t.elapsed());
        let t = std::time::Instant::now();
        let f = super::align_units(&batch, &story, &u);
        println!("facts (story-weighted) {} {:?}", f.len(), t.elapsed());
        let (t, cpu) = (std::time::Instant::now(), crate::pipeline::cpu_seconds());
        let report = crate::synthesize::synthesize(&batch, &story);
        let ms = t.elapsed().as_secs_f64() * 1e3;
        let cpu_ms = (crate::pipeline::cpu_seconds() - cpu) * 1e3;
        println!(
            "50 articles × 30 sentences: {ms:.1} ms wall, {cpu_ms:.1} ms CPU (all threads), {} facts, {} conflicts",
            report.facts.len(),
            report.conflicts.len()
        );
    }

    /// Times synthesis of the same story run through the analyzer (mentions, quotes, times),
    /// each article also naming who was arrested and who said one quote (a fifth of the
    /// outlets name others): the who-did-it conflicts get real slots and speakers to compare.
    #[test]
    #[ignore]
    fn synthesize_50_analyzed_articles() {
        let articles: Vec<crate::record::Article> = story_texts()
            .into_iter()
            .enumerate()
            .map(|(a, t)| {
                let (arrested, speaker) = if a % 5 == 0 {
                    ("Milan Hrusek", "Foreign Minister Maria Zakharova")
                } else {
                    ("Karel Vosk", "Kremlin spokesman Dmitry Peskov")
                };
                let text = format!(
                    "{t}\nPolice arrested {arrested} at his home in Ostrava late on Tuesday night.\n\
                     “We will not leave the city under any circumstances,” {speaker} said."
                );
                crate::record::Article::new(format!("a{a}"), text)
            })
            .collect();
        let batch = Batch::build(articles, &crate::pipeline::PipelineConfig::default());
        let story = DerivedStory {
            story: Story { id: "s".into(), articles: (0..50).collect(), why: Vec::new() },
            derivations: Vec::new(),
            origin_groups: (0..50).map(|i| vec![i]).collect(),
        };
        let t = std::time::Instant::now();
        let report = crate::synthesize::synthesize(&batch, &story);
        let ms = t.elapsed().as_secs_f64() * 1e3;
        let who: Vec<&str> =
            report.conflicts.iter().filter(|c| c.kind == "who").map(|c| c.topic.as_str()).collect();
        println!(
            "50 analyzed articles: {ms:.1} ms, {} facts, {} conflicts, who: {who:?}",
            report.facts.len(),
            report.conflicts.len()
        );
    }
}

#[cfg(test)]
pub(crate) mod bench_two_languages {
    use super::Unit;
    use super::{crosslang, INDEPENDENT_MIN};
    use crate::analyze::signature::FastMap;
    use crate::record::ArticleIdx;

    /// The brute-force pairing (every unit pair of every article pair) that
    /// [`super::independent_pairs`] must equal.
    pub(super) fn independent_pairs_brute(
        batch: &Batch,
        story: &DerivedStory,
        units: &[Unit],
        cross: &super::UnitAnchors,
    ) -> FastMap<(usize, usize), f32> {
        let mut out = FastMap::default();
        let lang = |a: ArticleIdx| {
            batch
                .analyzed
                .get(a)
                .map(|x| x.language.as_str())
                .filter(|l| !l.is_empty() && *l != "und")
        };
        let mut by_article: Vec<(ArticleIdx, Vec<usize>)> = Vec::new();
        for (u, unit) in units.iter().enumerate() {
            match by_article.last_mut() {
                Some((a, list)) if *a == unit.article => list.push(u),
                _ => by_article.push((unit.article, vec![u])),
            }
        }
        let mut langs: Vec<&str> = by_article.iter().filter_map(|(a, _)| lang(*a)).collect();
        langs.sort_unstable();
        langs.dedup();
        if langs.len() < 2 {
            return out;
        }
        let common =
            crosslang::ubiquitous(units.iter().enumerate().map(|(u, x)| (x.article, cross.get(u))));
        let sentences = super::sentence_figures(units, cross);
        for (x, (a, ua)) in by_article.iter().enumerate() {
            for (b, ub) in &by_article[x + 1..] {
                let (Some(la), Some(lb)) = (lang(*a), lang(*b)) else { continue };
                if la == lb || crosslang::related(story, *a, *b) {
                    continue;
                }
                let score = |p: usize, q: usize| {
                    let (i, j) = (ua[p], ub[q]);
                    let s = (cross.get(i), &sentences[i]);
                    super::independent_score(s, (cross.get(j), &sentences[j]), &common)
                };
                let scores: Vec<Vec<f32>> =
                    (0..ua.len()).map(|p| (0..ub.len()).map(|q| score(p, q)).collect()).collect();
                for (p, q) in
                    crosslang::assign_best(ua.len(), ub.len(), |p, q| scores[p][q], INDEPENDENT_MIN)
                {
                    let (i, j) = (ua[p].min(ub[q]), ua[p].max(ub[q]));
                    out.insert((i, j), scores[p][q]);
                }
            }
        }
        out
    }

    use super::tests::batch_of;
    use crate::pipeline::{Batch, DerivedStory};

    /// A tiny deterministic generator (xorshift), so that stories are reproducible.
    pub(crate) struct Rng(pub u64);

    impl Rng {
        pub(crate) fn below(&mut self, n: usize) -> usize {
            self.0 ^= self.0 << 13;
            self.0 ^= self.0 >> 7;
            self.0 ^= self.0 << 17;
            (self.0 % n.max(1) as u64) as usize
        }
    }

    /// Facts of one event as (English, Spanish) pairs with the same numbers and names.
    const FACTS: &[(&str, &str)] = &[
        (
            "Two people died and 23 were injured when the ferry Brisa Hale capsized near Caldport",
            "Dos personas murieron y 23 resultaron heridas cuando el ferry Brisa Hale volcó cerca de Caldport",
        ),
        (
            "Eleven of the injured were taken to Caldport General Hospital on Tuesday",
            "Once de los heridos fueron trasladados al Hospital General de Caldport el martes",
        ),
        (
            "The Brisa Hale was carrying 64 passengers and six crew to Osterlin",
            "El Brisa Hale llevaba 64 pasajeros y seis tripulantes hacia Osterlin",
        ),
        (
            "The 52-metre vessel is operated by Lenn Estuary Ferries",
            "El buque de 52 metros es operado por Lenn Estuary Ferries",
        ),
        (
            "Lenn Estuary Ferries carries about 900,000 passengers a year on four ferries",
            "Lenn Estuary Ferries transporta unos 900.000 pasajeros al año en cuatro ferris",
        ),
        (
            "Villagers from Osterlin rescued 31 people with their own boats",
            "Vecinos de Osterlin rescataron a 31 personas con sus propias embarcaciones",
        ),
    ];

    /// A pseudo-word without digits.
    fn word(rng: &mut Rng) -> String {
        let syl = ["ba", "ki", "de", "mo", "lu", "ra", "te", "no", "si", "pa", "vo", "gu"];
        (0..3).map(|_| syl[rng.below(syl.len())]).collect()
    }

    /// `n` independent articles of one story, alternately in English and Spanish, `lines`
    /// lines each: a third of the lines facts of [`FACTS`] (a quarter of the outlets give
    /// another count), the rest filler of pseudo-words, capitalised names and numbers (so
    /// that numbers are shared by chance too).
    pub(crate) fn story(seed: u64, n: usize, lines: usize) -> (Batch, DerivedStory) {
        let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
        let texts: Vec<String> = (0..n)
            .map(|a| {
                (0..lines)
                    .map(|_| {
                        if rng.below(3) == 0 {
                            let (en, es) = FACTS[rng.below(FACTS.len())];
                            let t = if a % 2 == 0 { en } else { es };
                            if rng.below(4) == 0 {
                                format!("{}.", t.replace("23", "19").replace("64", "80"))
                            } else {
                                format!("{t}.")
                            }
                        } else {
                            let name = {
                                let w = word(&mut rng);
                                let mut c = w.chars();
                                c.next()
                                    .map_or(String::new(), |f| f.to_uppercase().chain(c).collect())
                            };
                            format!(
                                "The {} {} near {} {} {} and {} {}.",
                                word(&mut rng),
                                word(&mut rng),
                                name,
                                11 + rng.below(40),
                                word(&mut rng),
                                11 + rng.below(40),
                                word(&mut rng),
                            )
                        }
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .collect();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let (mut batch, story) = batch_of(&refs, (0..n).map(|i| vec![i]).collect());
        for (a, an) in batch.analyzed.iter_mut().enumerate() {
            an.language = if a % 2 == 0 { "en" } else { "es" }.to_string();
        }
        (batch, story)
    }

    #[test]
    fn indexed_pairs_equal_the_brute_force() {
        let mut found = 0;
        for seed in 1..=16u64 {
            let (mut batch, mut story) = story(seed, 14, 14);
            // Some seeds: a third language, an unknown one, a translation pair, one origin
            // group of two articles in different languages.
            for (a, an) in batch.analyzed.iter_mut().enumerate() {
                match (seed % 4, a % 5) {
                    (0, 4) => an.language = "de".into(),
                    (1, 4) => an.language = String::new(),
                    (2, 3) => an.language = "und".into(),
                    _ => {}
                }
            }
            if seed % 3 == 0 {
                story.origin_groups = vec![vec![0, 1]];
                story.origin_groups.extend((2..14).map(|i| vec![i]));
                story.derivations = crosslang::translation_edges(&[(3, 2), (6, 9)]);
            }
            let u = super::units(&batch, &story.story.articles);
            let cross = super::UnitAnchors::new(&batch, &u);
            let sorted = |m: FastMap<(usize, usize), f32>| {
                let mut v: Vec<((usize, usize), f32)> = m.into_iter().collect();
                v.sort_by_key(|x| x.0);
                v
            };
            let fast = sorted(super::independent_pairs(&batch, &story, &u, &cross));
            let brute = sorted(independent_pairs_brute(&batch, &story, &u, &cross));
            assert_eq!(fast, brute, "seed {seed}");
            found += brute.len();
        }
        assert!(found > 50, "the generated stories pair too little: {found}");
    }

    /// Times the cross-language pairing and synthesis of a 200-article story in two
    /// languages (run in release with --ignored).
    #[test]
    #[ignore]
    fn synthesize_200_two_languages() {
        let (batch, story) = story(1, 200, 30);
        let u = super::units(&batch, &story.story.articles);
        let t = std::time::Instant::now();
        let cross = super::UnitAnchors::new(&batch, &u);
        let pairs = super::independent_pairs(&batch, &story, &u, &cross);
        println!("independent pairs {} over {} units: {:?}", pairs.len(), u.len(), t.elapsed());
        let t = std::time::Instant::now();
        let cross = super::UnitAnchors::new(&batch, &u);
        let brute = independent_pairs_brute(&batch, &story, &u, &cross);
        println!("brute-force pairs {}: {:?}", brute.len(), t.elapsed());
        let t = std::time::Instant::now();
        let report = crate::synthesize::synthesize(&batch, &story);
        println!(
            "200 articles (en+es) × 30 sentences: {:.1} ms, {} facts, {} conflicts",
            t.elapsed().as_secs_f64() * 1e3,
            report.facts.len(),
            report.conflicts.len()
        );
    }
}
