//! Quotes and reported speech in one article: direct quotes in any quote marks (including
//! quotes spanning paragraphs and quotes continued after an attribution), mixed quotes, and
//! indirect speech (`X said (that) …`, `according to X, …`, `…, X said.`), each with its
//! source as written, its cue, its content and the speaker resolved within the article.
//!
//! Hand-written rules: quote marks and cue verbs are found first, then each cue is read in
//! the shape of its sentence (quote before, clause before, content after). Entity mentions are
//! used when present but not needed: speaker names are read from capitalised words, titles
//! and pronouns near the cue ([`speaker`]).

mod attrib;
mod content;
mod foreign;
mod kind;
pub(crate) mod lexicon;
mod marks;
mod np;
mod speaker;
#[cfg(test)]
mod tests;

use crate::record::{ContentKind, Mention, Quote, Sentence, Span};
use crate::text::{fold, tokens};
use attrib::{Cx, Found, Link};

pub use lexicon::{cue_class, Class};
pub use marks::{segments, Seg};
pub use speaker::role_head;

/// The people `text` introduces with a role ("Kremlin spokesman Dmitry Peskov", "Oskar Venn,
/// director of the VMSA"), as (name, role) pairs in text order: what a role-only speaker
/// elsewhere in the story ("the spokesman") may resolve to.
pub fn introduced_roles(text: &str, mentions: &[Mention]) -> Vec<(String, String)> {
    role_pairs(&speaker::Register::build(text, mentions))
}

/// The words spoken in quote `q` of `text`, as spans of `text` in order: the quoted segments
/// of a direct quote interrupted by its attribution (`“A,” said X, who … “B.”` → `A`, `B`),
/// else the content itself. The extractor keeps such a passage as one quote, as PolNeAR
/// annotates it (one content span from the first segment to the last, attribution
/// included); a report shows each segment as a wording of its own. `segs` are the quoted
/// segments of `text` ([`segments`]).
pub fn spoken_parts(segs: &[Seg], q: &Quote) -> Vec<Span> {
    let c = q.content;
    if !q.direct {
        return vec![c];
    }
    let inside: Vec<Span> = segs
        .iter()
        .map(|s| s.content)
        .filter(|s| c.start <= s.start && s.end <= c.end && !s.is_empty())
        .collect();
    // The segments must open and close the content: anything else (a quote inside a
    // quotation, a content that is not quote-bounded) is one passage.
    let bounded = inside.first().is_some_and(|f| f.start == c.start)
        && inside.last().is_some_and(|l| l.end == c.end);
    if inside.len() < 2 || !bounded {
        return vec![c];
    }
    inside
}

/// The (name, role) pairs of `reg`, owned.
fn role_pairs(reg: &speaker::Register) -> Vec<(String, String)> {
    reg.roles().map(|(n, r)| (n.to_string(), r.to_string())).collect()
}

/// Finds the quotes and reported speech of `text`. Sentences from the sentence splitter are
/// not used: units are re-split so that no boundary falls inside quote marks.
pub fn extract(text: &str, sentences: &[Sentence], mentions: &[Mention]) -> Vec<Quote> {
    extract_with_roles(text, sentences, mentions).0
}

/// [`extract`], and the people `text` introduces with a role as [`introduced_roles`] gives
/// them, read from the same speaker register (the text is tokenised once for both).
pub fn extract_with_roles(
    text: &str,
    _sentences: &[Sentence],
    mentions: &[Mention],
) -> (Vec<Quote>, Vec<(String, String)>) {
    let segs = marks::segments(text);
    let units = marks::units(text, &segs);
    let cx = Cx { text, segs: &segs, units: &units };
    let found = find(&cx, false);
    resolve(text, mentions, &cx, found)
}

/// The direct quotes of `text` as [`extract`] finds them — the same contents, cues and
/// content kinds, in content order — without resolving speakers (no speaker register is
/// built): `speaker` is `None` and `source` is the one written at the cue. What derivation
/// reads of quotes (the spans of quoted words), for a stories-only analysis.
pub fn direct(text: &str) -> Vec<Quote> {
    direct_pass(text, true)
}

/// [`direct`], skipping the units that can hold no direct quote or not (see [`find`]).
fn direct_pass(text: &str, skip: bool) -> Vec<Quote> {
    let segs = marks::segments(text);
    let units = marks::units(text, &segs);
    let cx = Cx { text, segs: &segs, units: &units };
    records(text, find(&cx, skip).into_iter().filter(|f| f.direct).map(|f| (f, None)))
}

/// The quote records of `found` quotes with their speakers, in content order (quotes of
/// one content in the order their anchors come).
fn records(text: &str, found: impl Iterator<Item = (Found, Option<String>)>) -> Vec<Quote> {
    let mut out: Vec<(usize, Quote)> = found
        .map(|(f, speaker)| {
            let q = Quote {
                source: f.source.map(|s| drop_contraction(text, s)),
                speaker,
                cue: f.cue,
                content: f.content,
                direct: f.direct,
                content_kind: kind::content_kind(text, f.content, f.direct, says(text, &f)),
            };
            (f.anchor(), q)
        })
        .collect();
    out.sort_by_key(|(a, q)| (q.content.start, *a));
    out.into_iter().map(|(_, q)| q).collect()
}

/// Whether `f`'s cue takes a bare clause, or its content comes before its cue (a sentence
/// with its attribution after it): the content is then a clause whatever its words.
fn says(text: &str, f: &Found) -> bool {
    f.cue.is_some_and(|c| {
        let t = tokens(c.slice(text));
        c.start >= f.content.end
            || t.first().is_some_and(|w| cue_class(&fold(w.text)) == Some(Class::Say))
    })
}

/// The quotes and reported speech of the units of `cx`, before speakers are resolved.
///
/// With `direct_only`, units far from every quoted segment are skipped: the direct quotes
/// found are those of a full pass. A direct quote's content is a quoted segment, found
/// from a cue in its unit or one next to it ("Smith continued:" before a quote that opens
/// the next paragraph), or (a headline's `Name: 'quote'`) a single-quoted run after a
/// colon; what a unit far from every segment adds is reported speech, which can neither
/// overlap a segment nor end where one ends, so the segments' own pass ([`Cx::orphans`])
/// reads the same quotes — but for a participle of saying less than
/// [`attrib::ORPHAN_GAP`] bytes after a quote, whose reported speech that pass may extend.
/// Units within that many bytes of a segment are therefore read.
fn find(cx: &Cx, direct_only: bool) -> Vec<Found> {
    let mut found: Vec<Found> = Vec::new();
    for (ui, unit) in cx.units.iter().enumerate() {
        if direct_only && !may_quote(cx, unit.span) {
            continue;
        }
        let words = cx.words(ui);
        let mut in_unit: Vec<usize> = Vec::new();
        let first = cx
            .colon_speaker(ui, &words)
            .or_else(|| cx.colon_quote(&words))
            .or_else(|| cx.postposed(ui, &words));
        if let Some(f) = first {
            in_unit.push(found.len());
            found.push(f);
        }
        for k in 0..words.len() {
            if let Some(mut f) = cx.attribute(ui, &words, k) {
                if f.link == Link::Clause {
                    let embedded = cx.embedded_subject(&words, &f);
                    f.link = match (in_unit.last(), embedded) {
                        (_, Some(s)) => {
                            f.source = Some(s);
                            Link::None
                        }
                        (Some(&p), None) => Link::Found(p),
                        (None, None) => Link::Subject(ui),
                    };
                }
                if !found.iter().any(|g| g.content == f.content) {
                    in_unit.push(found.len());
                    found.push(f);
                }
            }
        }
    }
    cx.orphans(&mut found);
    found
}

/// Whether the unit spanning `u` may hold a direct quote or the cue of one: a quoted
/// segment lies within [`attrib::ORPHAN_GAP`] bytes of it, or it has a colon and a straight
/// single quote (see [`find`]).
fn may_quote(cx: &Cx, u: Span) -> bool {
    let t = u.slice(cx.text);
    let near = attrib::ORPHAN_GAP;
    cx.segs.iter().any(|s| s.open <= u.end + near && u.start <= s.close + near)
        || (t.contains(':') && t.contains('\''))
}

/// Resolves speakers in text order and builds the records; also returns the register's
/// role introductions (taken before resolution, which adds people but never roles).
fn resolve(
    text: &str,
    mentions: &[Mention],
    cx: &Cx,
    found: Vec<Found>,
) -> (Vec<Quote>, Vec<(String, String)>) {
    let mut reg = speaker::Register::build(text, mentions);
    let roles = role_pairs(&reg);
    let mut order: Vec<usize> = (0..found.len()).collect();
    order.sort_by_key(|&i| found[i].anchor());
    let mut found = found;
    let mut speakers: Vec<Option<String>> = vec![None; found.len()];
    for &i in &order {
        let f = &found[i];
        let s = match (f.source, f.link) {
            (Some(src), _) => reg.resolve(src.slice(text), src.start),
            (None, Link::Found(p)) => {
                // The speaker of the quote it continues, named by that quote's source.
                found[i].source = found.get(p).and_then(|g| g.source);
                speakers.get(p).cloned().flatten()
            }
            (None, Link::Subject(ui)) => {
                let src = cx.subject(ui);
                found[i].source = src;
                src.and_then(|src| reg.resolve(src.slice(text), src.start))
            }
            _ => None,
        };
        let f = &found[i];
        if let Some(n) = &s {
            reg.note_speaker(f.anchor(), n);
        }
        speakers[i] = s;
    }
    let mut quotes = records(text, found.into_iter().zip(speakers));
    mark_nested(text, &mut quotes);
    (quotes, roles)
}

/// `Peskov confirmed that …, Al Jazeera reported`: a reported clause holding the source, cue
/// and content of another quote is an attribution of that quote
/// ([`ContentKind::Attribution`]).
fn mark_nested(text: &str, quotes: &mut [Quote]) {
    // The inner quote is a statement of its own: a quotation or a clause after a finite cue
    // (a participle inside a clause, "tweets accusing X of …", reports nothing by itself).
    let finite = |c: Span| {
        let t = tokens(c.slice(text));
        t.first().is_some_and(|w| cue_class(&fold(w.text)) != Some(Class::Ing))
    };
    let inner: Vec<(Span, Span, Span)> = quotes
        .iter()
        .filter(|q| matches!(q.content_kind, ContentKind::Clause | ContentKind::Quotation))
        .filter_map(|q| Some((q.source?, q.cue.filter(|&c| finite(c))?, q.content)))
        .collect();
    for q in quotes.iter_mut().filter(|q| q.content_kind == ContentKind::Clause) {
        let nested = inner.iter().any(|&(s, c, content)| {
            content != q.content
                && q.content.contains(s)
                && q.content.contains(c)
                && q.content.contains(content)
        });
        if nested {
            q.content_kind = ContentKind::Attribution;
        }
    }
}

/// `He’s saying`, `She's not saying`: a source that is a pronoun with a contracted verb is the
/// pronoun alone.
fn drop_contraction(text: &str, s: Span) -> Span {
    let t = s.slice(text);
    let bare = t.strip_suffix("’s").or_else(|| t.strip_suffix("'s"));
    match bare {
        Some(p) if lexicon::is_pronoun(&p.to_lowercase()) => Span::new(s.start, s.start + p.len()),
        _ => s,
    }
}

/// The word span of `s` in `text` trimmed of surrounding spaces and the given punctuation.
fn trim_span(text: &str, s: Span, chars: &[char]) -> Span {
    let Some(t) = text.get(s.start..s.end) else {
        return Span::new(s.start, s.start);
    };
    let l = t.trim_start_matches(|c: char| c.is_whitespace() || chars.contains(&c));
    let start = s.start + (t.len() - l.len());
    let r = l.trim_end_matches(|c: char| c.is_whitespace() || chars.contains(&c));
    Span::new(start, start + r.len())
}
