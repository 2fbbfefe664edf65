//! Conflicts of place and of polarity between origins: the same event put in different
//! places ("in the city centre" / "on the outskirts", "in Homs" / "in Hama"), and the same
//! claim stated and denied ("X was arrested" / "X was not arrested", "confirmed" /
//! "denied"). Complements [`super::conflicts`] (counts and dates).
//!
//! Both need two sentences of *different* origin groups that say the same thing apart
//! from the contested part: places are masked with one placeholder before the same-fact
//! test (so the test judges the rest), polarity is judged with the negation-blind score.
//! A place only conflicts when the two sentences' places are disjoint and neither
//! sentence names the other's place at all (a second place mentioned is not a
//! contradiction), and only places of one kind are compared (two named places, or two
//! areas of a town: "Homs" against "the outskirts" is a different grain, not a conflict).

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use memchr::memmem::Finder;

use super::compare::{is_neg_scope, Statement};
use super::conflicts::add_side;
use super::facts::{edges_around_where, edges_where, Unit};
use super::support;
use crate::pipeline::{Batch, DerivedStory};
use crate::record::{ArticleIdx, EntityKind, Span};
use crate::report::{ConflictReport, ConflictSide, Support};
use crate::text::{fold, is_stopword, stem_folded, tokens};

/// Score (places masked) two sentences need before their places are compared.
const PLACE_THRESHOLD: f32 = 0.6;
/// Negation-blind score two sentences need before their polarity is compared.
const POLARITY_THRESHOLD: f32 = 0.6;
/// Prepositions that put an event somewhere.
const LOCATIVE: &[&str] = &["in", "at", "near", "outside", "on", "inside", "across"];
/// Areas of a town or site, with the canonical name of each (first of each group).
const AREAS: &[&[&str]] = &[
    &[
        "city centre",
        "city center",
        "town centre",
        "town center",
        "downtown",
        "centre of the city",
        "center of the city",
        "centre of town",
        "center of town",
    ],
    &["outskirts", "suburbs", "suburb", "edge of the city", "edge of town", "periphery"],
    &["old town", "old city", "historic centre", "historic center"],
    &["port", "harbour", "harbor", "docks", "waterfront"],
    &["airport"],
    &["border"],
];
/// Verb pairs of opposite polarity: (stating, denying).
const OPPOSITES: &[(&str, &str)] = &[
    ("confirmed", "denied"),
    ("confirms", "denies"),
    ("admitted", "denied"),
    ("accepted", "rejected"),
    ("approved", "rejected"),
    ("won", "lost"),
    ("guilty", "innocent"),
    ("true", "false"),
];

/// A place a unit gives for its event: canonical name and whether it is a named place
/// (else an area of a town).
#[derive(Debug, Clone, PartialEq)]
struct Place {
    name: String,
    named: bool,
    /// Span in the repaired text (to mask it).
    span: Span,
}

/// The places of unit `u`: named locations (from the analyzer's mentions) and town areas,
/// each preceded by a locative preposition within two words ("in Homs", "on the
/// outskirts").
fn places(batch: &Batch, u: &Unit) -> Vec<Place> {
    let (Some(rep), Some(an)) = (batch.repaired.get(u.article), batch.analyzed.get(u.article))
    else {
        return Vec::new();
    };
    let text = &rep.text;
    let lower = u.span.slice(text).to_lowercase();
    // Lowercasing can change byte lengths (rare letters): then only named places are used.
    let same_len = lower.len() == u.span.len();
    let locative_before = |at: usize| {
        let head = text.get(u.span.start..at).unwrap_or("");
        let words: Vec<String> =
            head.split_whitespace().rev().take(3).map(|w| w.to_lowercase()).collect();
        words.iter().take(3).any(|w| LOCATIVE.contains(&w.as_str()))
            && !words.first().is_some_and(|w| w.ends_with(',') || w.ends_with('.'))
    };
    let mut out = Vec::new();
    for m in an.mentions.iter().filter(|m| m.kind == EntityKind::Location) {
        if u.span.contains(m.span) && locative_before(m.span.start) {
            out.push(Place { name: m.text.to_lowercase(), named: true, span: m.span });
        }
    }
    if same_len {
        for (group, finders) in AREAS.iter().zip(area_finders()) {
            for (phrase, finder) in group.iter().zip(finders) {
                for i in finder.find_iter(lower.as_bytes()) {
                    let bounded = |k: usize| {
                        lower[..k].chars().next_back().is_none_or(|c| !c.is_alphanumeric())
                    };
                    let end = i + phrase.len();
                    let after_ok = lower[end..].chars().next().is_none_or(|c| !c.is_alphanumeric());
                    let span = Span::new(u.span.start + i, u.span.start + end);
                    let overlaps = out
                        .iter()
                        .any(|p: &Place| p.span.start < span.end && span.start < p.span.end);
                    if bounded(i) && after_ok && !overlaps && locative_before(span.start) {
                        out.push(Place { name: group[0].to_string(), named: false, span });
                    }
                }
            }
        }
    }
    out
}

/// A searcher per phrase of [`AREAS`] (group by group), built once: a fresh searcher per
/// phrase and unit cost more than the search.
fn area_finders() -> &'static [Vec<Finder<'static>>] {
    static FINDERS: OnceLock<Vec<Vec<Finder<'static>>>> = OnceLock::new();
    FINDERS.get_or_init(|| {
        AREAS.iter().map(|g| g.iter().map(|p| Finder::new(p.as_bytes())).collect()).collect()
    })
}

/// Masked statements by masked text: copies repeat sentences word for word, so many units
/// of a story mask to one text, prepared once (the statement is a function of the text
/// alone; sharing it also lets the pair memo of the edges score a pair of copies once).
pub(super) type MaskedCache = HashMap<String, Arc<Statement>>;

/// The unit's text with each of `spans` replaced by the word `placeholder`, prepared (or
/// taken from `cache` when that text was prepared before).
pub(super) fn masked(
    batch: &Batch,
    u: &Unit,
    spans: &[Span],
    placeholder: &str,
    cache: &mut MaskedCache,
) -> Arc<Statement> {
    let text = batch.repaired.get(u.article).map_or("", |r| r.text.as_str());
    let mut spans = spans.to_vec();
    spans.sort_by_key(|s| s.start);
    let mut s = String::new();
    let mut at = u.span.start;
    for sp in spans {
        if sp.start >= at {
            s.push_str(text.get(at..sp.start).unwrap_or(""));
            s.push_str(placeholder);
            at = sp.end;
        }
    }
    s.push_str(text.get(at..u.span.end).unwrap_or(""));
    if let Some(stmt) = cache.get(&s) {
        return stmt.clone();
    }
    let stmt = Arc::new(Statement::new(&s));
    cache.insert(s, stmt.clone());
    stmt
}

/// A sentence (or clause) that gives a side: its article and span in the repaired text.
pub(super) type Loc = (ArticleIdx, Span);

/// Sides of one contested topic: value → sentences.
#[derive(Default)]
struct Sides {
    topic: String,
    sides: Vec<(String, Vec<Loc>)>,
}

/// Accumulated conflicts of one kind, in first-found order.
#[derive(Default)]
pub(super) struct Found {
    by_key: HashMap<String, Sides>,
    order: Vec<String>,
}

impl Found {
    /// Adds two opposed sides `(value, sentence)` to the conflict `key` about `topic`.
    pub(super) fn add(
        &mut self,
        key: &str,
        topic: &str,
        (va, la): (&str, Loc),
        (vb, lb): (&str, Loc),
    ) {
        let entry = self.by_key.entry(key.to_string()).or_insert_with(|| {
            self.order.push(key.to_string());
            Sides { topic: topic.to_string(), sides: Vec::new() }
        });
        add_side(&mut entry.sides, va, la);
        add_side(&mut entry.sides, vb, lb);
    }

    /// The key of the conflict about `topic` (any topic with `None`) that already holds one
    /// of `locs`, else a new key for it (two events of one story told alike stay two
    /// conflicts).
    pub(super) fn key_for(&self, topic: Option<&str>, locs: &[Loc]) -> String {
        let held = self.order.iter().find(|k| {
            self.by_key.get(*k).is_some_and(|s| {
                topic.is_none_or(|t| s.topic == t)
                    && s.sides.iter().any(|(_, ls)| ls.iter().any(|l| locs.contains(l)))
            })
        });
        let topic = topic.unwrap_or("");
        held.cloned().unwrap_or_else(|| format!("{topic}#{}", self.order.len()))
    }

    /// The topic of the conflict `key`, if found.
    pub(super) fn topic_of(&self, key: &str) -> Option<String> {
        self.by_key.get(key).map(|s| s.topic.clone())
    }

    /// The conflicts found, as reports of `kind`.
    pub(super) fn reports(&self, batch: &Batch, kind: &str) -> Vec<ConflictReport> {
        self.order
            .iter()
            .filter_map(|k| self.by_key.get(k))
            .map(|s| ConflictReport {
                topic: s.topic.clone(),
                kind: kind.to_string(),
                sides: s
                    .sides
                    .iter()
                    .map(|(value, locs)| {
                        let mut sup: Vec<Support> = Vec::new();
                        for &(article, span) in locs {
                            let x = support(batch, article, span);
                            if !sup.iter().any(|y| y.article == x.article && y.start == x.start) {
                                sup.push(x);
                            }
                        }
                        ConflictSide { value: value.clone(), support: sup }
                    })
                    .collect(),
                update: false,
            })
            .collect()
    }
}

/// Place and polarity conflicts between units of different origin groups.
pub fn find(batch: &Batch, story: &DerivedStory, units: &[Unit]) -> Vec<ConflictReport> {
    let mut place = Found::default();
    let mut polarity = Found::default();
    let loc = |i: usize| (units[i].article, units[i].span);
    let origin = |u: &Unit| story.origin_of(u.article);
    // Places: units with a place, masked; pairs judged on the rest of the sentence.
    let placed: Vec<(usize, Vec<Place>)> = units
        .iter()
        .enumerate()
        .map(|(i, u)| (i, places(batch, u)))
        .filter(|(_, p)| !p.is_empty())
        .collect();
    let mut cache = MaskedCache::new();
    let masked_units: Vec<Unit> = placed
        .iter()
        .map(|(i, p)| {
            let spans: Vec<Span> = p.iter().map(|p| p.span).collect();
            Unit {
                stmt: masked(batch, &units[*i], &spans, "Someplace", &mut cache),
                ..units[*i].clone()
            }
        })
        .collect();
    let lower: Vec<String> = placed
        .iter()
        .map(|(i, _)| {
            let u = &units[*i];
            batch
                .repaired
                .get(u.article)
                .map_or(String::new(), |r| u.span.slice(&r.text).to_lowercase())
        })
        .collect();
    // The first places of placed units `a` and `b` (named or not) when each side names
    // places of that kind and neither text mentions the other's.
    let clash = |a: usize, b: usize, named: bool| -> Option<(&str, &str)> {
        let names = |k: usize| {
            placed[k].1.iter().filter(move |p| p.named == named).map(|p| p.name.as_str())
        };
        let (first_a, first_b) = (names(a).next()?, names(b).next()?);
        let disjoint =
            names(a).all(|n| !lower[b].contains(n)) && names(b).all(|n| !lower[a].contains(n));
        disjoint.then_some((first_a, first_b))
    };
    // Only pairs of different origins whose places clash are scored.
    let keep = |a: usize, b: usize| {
        origin(&units[placed[a].0]) != origin(&units[placed[b].0])
            && [true, false].into_iter().any(|named| clash(a, b, named).is_some())
    };
    for (a, b, _) in edges_where(&masked_units, false, PLACE_THRESHOLD, keep) {
        let (ia, ib) = (placed[a].0, placed[b].0);
        for named in [true, false] {
            if let Some((first_a, first_b)) = clash(a, b, named) {
                place.add("place", "place", (first_a, loc(ia)), (first_b, loc(ib)));
            }
        }
    }
    // Polarity: negation-blind matches where one side negates what the other states, or
    // uses the opposite verb.
    // Only units with a negation or an opposite verb look for partners (few do).
    // Which opposite verbs each unit uses, read once.
    let opp: Vec<u32> = units.iter().map(|u| opposite_words(&u.stmt)).collect();
    let polar: Vec<bool> = units.iter().zip(&opp).map(|(u, &o)| u.stmt.negated || o != 0).collect();
    // Only pairs of different origins where one side negates a predicate of the other
    // (the precondition of `negated_predicate`) or uses an opposite verb are scored.
    let keep = |a: usize, b: usize| {
        let (ua, ub) = (&units[a], &units[b]);
        origin(ua) != origin(ub)
            && (ua.stmt.negation_mismatch(&ub.stmt) || opposite(opp[a], opp[b]).is_some())
    };
    let pairs = edges_around_where(
        units,
        Some(&polar),
        POLARITY_THRESHOLD,
        Statement::score_unnegated,
        keep,
    );
    for (a, b, _) in pairs {
        let (ua, ub) = (&units[a], &units[b]);
        // The words' reading is confirmed on the texts: the negating side negates the
        // predicate, and the other side negates nothing ("did not know of any recent
        // threats" and "there hadn't been any recent threats" agree).
        let text = |u: &Unit| batch.repaired.get(u.article).map_or("", |r| u.span.slice(&r.text));
        let negated = ua.stmt.negated_predicate(&ub.stmt).filter(|(word, a_negates)| {
            let (no, yes) = if *a_negates { (ua, ub) } else { (ub, ua) };
            negates(text(no), word) && !has_negation(text(yes))
        });
        if let Some((word, a_negates)) = negated {
            let (yes, no) = if a_negates { (b, a) } else { (a, b) };
            let topic = format!("whether {word}");
            polarity.add(&topic, &topic, (&word, loc(yes)), (&format!("not {word}"), loc(no)));
            continue;
        }
        if let Some((pos, neg, a_pos)) = opposite(opp[a], opp[b]) {
            let (yes, no) = if a_pos { (a, b) } else { (b, a) };
            let topic = format!("{pos} or {neg}");
            polarity.add(&topic, &topic, (pos, loc(yes)), (neg, loc(no)));
        }
    }
    withheld(batch, story, units, &mut polarity);
    let mut out = place.reports(batch, "place");
    out.extend(polarity.reports(batch, "polarity"));
    out
}

/// Words that open a clause of their own: a negation before one does not reach past it
/// ("did not say what Reid is treated for" negates no claim about Reid).
const CLAUSE_OPENERS: &[&str] = &[
    "what", "that", "who", "whom", "which", "whether", "if", "when", "where", "why", "how", "and",
    "but", "or", "because", "while", "after", "before",
];

/// Whether `text` negates `word` (a folded word): a negation ("not", "never", "n't" …)
/// whose first content word after it, within four words and the same clause (no
/// punctuation and no clause opener between), has `word`'s stem and is no name. The
/// statements' negated predicates look at words only; this reads the text, so that "isn't
/// over,” said Mike Reavey" negates nothing of Reavey's.
fn negates(text: &str, word: &str) -> bool {
    let stem = stem_folded(word);
    let toks = tokens(text);
    let words: Vec<String> = toks.iter().map(|t| fold(t.text)).collect();
    let is_word = |j: usize| {
        let w = words[j].as_str();
        w.chars().count() >= 2 && w.chars().any(char::is_alphabetic) && !is_stopword(w)
    };
    let is_it =
        |j: usize| stem_folded(&words[j]) == stem && !toks[j].text.starts_with(char::is_uppercase);
    for (k, w) in words.iter().enumerate() {
        if !negation(w) {
            continue;
        }
        for j in k + 1..(k + 5).min(words.len()) {
            let gap = text.get(toks[j - 1].span.end..toks[j].span.start).unwrap_or("");
            if gap.chars().any(|c| !c.is_whitespace())
                || CLAUSE_OPENERS.contains(&words[j].as_str())
            {
                break;
            }
            if !is_word(j) {
                continue;
            }
            if is_it(j) {
                return true;
            }
            // "I don't think they were executing" is "I think they weren't executing".
            if NEG_RAISERS.contains(&stem_folded(&words[j]).as_str()) {
                // Its clause: up to six words, to the first punctuation or adverbial opener.
                for i in j + 1..(j + 7).min(words.len()) {
                    let gap = text.get(toks[i - 1].span.end..toks[i].span.start).unwrap_or("");
                    let opener = CLAUSE_OPENERS.contains(&words[i].as_str())
                        && !matches!(words[i].as_str(), "that" | "what");
                    if gap.chars().any(|c| !c.is_whitespace()) || opener {
                        return false;
                    }
                    if is_word(i) && is_it(i) {
                        return true;
                    }
                }
                return false;
            }
            break;
        }
    }
    false
}

/// Whether folded word `w` negates what follows: "not", "never", "n't" forms, and those
/// written without their apostrophe ("cant", "dont").
fn negation(w: &str) -> bool {
    is_neg_scope(w) || w.ends_with("n't") || NO_APOSTROPHE.contains(&w)
}

/// Whether `text` negates anything.
fn has_negation(text: &str) -> bool {
    tokens(text).iter().any(|t| negation(&fold(t.text)))
}

/// Negated verbs written without their apostrophe.
const NO_APOSTROPHE: &[&str] = &[
    "cant", "dont", "wont", "didnt", "doesnt", "isnt", "wasnt", "arent", "werent", "couldnt",
    "wouldnt", "shouldnt", "hasnt", "havent", "hadnt",
];

/// Stems of verbs whose negation is read in the clause they take ("did not think it was
/// safe" says "it was not safe").
const NEG_RAISERS: &[&str] = &["think", "feel", "believ", "expect", "suppos", "seem", "appear"];

/// The [`OPPOSITES`] words `s` uses: bit `2k` for the positive word of pair `k`, bit
/// `2k + 1` for its negative.
fn opposite_words(s: &Statement) -> u32 {
    let has = |w: &str| s.words.iter().any(|x| x == w);
    OPPOSITES.iter().enumerate().fold(0, |m, (k, &(pos, neg))| {
        m | u32::from(has(pos)) << (2 * k) | u32::from(has(neg)) << (2 * k + 1)
    })
}

// Two bits per pair in a `u32`.
const _: () = assert!(OPPOSITES.len() <= 16);

/// The first pair of [`OPPOSITES`] that two statements (their [`opposite_words`] `a` and
/// `b`) use one word each of, one side only the positive and the other only the negative:
/// (positive, negative, whether `a` is the positive side).
fn opposite(a: u32, b: u32) -> Option<(&'static str, &'static str, bool)> {
    OPPOSITES.iter().enumerate().find_map(|(k, &(pos, neg))| {
        let bit = |m: u32, d: usize| m >> (2 * k + d) & 1 == 1;
        let (a_pos, a_neg, b_pos, b_neg) = (bit(a, 0), bit(a, 1), bit(b, 0), bit(b, 1));
        match (a_pos && !a_neg && b_neg && !b_pos, a_neg && !a_pos && b_pos && !b_neg) {
            (true, _) => Some((pos, neg, true)),
            (_, true) => Some((pos, neg, false)),
            _ => None,
        }
    })
}

/// Phrases that withhold a confirmation: the claim after them is stated as unconfirmed.
const WITHHOLD: &[&str] = &[
    "refused to confirm",
    "refuses to confirm",
    "declined to confirm",
    "declines to confirm",
    "would not confirm",
    "wouldn't confirm",
    "could not confirm",
    "couldn't confirm",
    "did not confirm",
    "didn't confirm",
    "would neither confirm",
    "will not confirm",
];
/// Forms of "confirm" that state a confirmation (unless a [`WITHHOLD`] phrase holds them).
const CONFIRM: &[&str] = &["confirmed", "confirms", "confirm"];
/// Most words of a withheld claim compared.
const CLAIM_WORDS: usize = 16;

/// The claim a unit confirms or withholds: (withheld, the names in the claim); a withheld
/// claim runs from the verb to the next comma or semicolon, a confirmed one is the whole
/// sentence but its first word.
fn confirmation(text: &str) -> Option<(bool, Vec<String>)> {
    let lower = text.to_lowercase();
    if lower.len() != text.len() {
        return None; // offsets would not line up; rare letters only
    }
    // Every withholding phrase and every form of the verb holds "confirm".
    static CONFIRM_STEM: OnceLock<Finder<'static>> = OnceLock::new();
    CONFIRM_STEM.get_or_init(|| Finder::new("confirm")).find(lower.as_bytes())?;
    let (withheld, after) =
        match WITHHOLD.iter().filter_map(|w| lower.find(w).map(|i| (i, w))).min() {
            Some((i, w)) => (true, i + w.len()),
            None => {
                let words = crate::text::tokens(&lower);
                let verb = words.iter().find(|t| CONFIRM.contains(&t.text))?;
                (false, verb.span.end)
            }
        };
    // A withheld claim is its clause; a confirmation may name its claim's place or time
    // anywhere in the sentence ("Police in Ostrava confirmed the arrest of Vosk").
    let rest = &text[after..];
    let claim = if withheld { &rest[..rest.find([',', ';']).unwrap_or(rest.len())] } else { text };
    let mut names: Vec<String> = crate::text::tokens(claim)
        .iter()
        .skip(usize::from(!withheld))
        .take(if withheld { CLAIM_WORDS } else { usize::MAX })
        .filter(|t| t.text.chars().next().is_some_and(char::is_uppercase))
        .map(|t| crate::text::fold(t.text.trim_end_matches("’s").trim_end_matches("'s")))
        .collect();
    names.sort();
    names.dedup();
    Some((withheld, names))
}

/// Polarity conflicts of confirmation: one origin says a source refused to confirm a claim
/// ("refused to confirm Assad’s presence in Russia"), another that it was confirmed ("Peskov
/// confirmed that Assad had been granted asylum in Russia"). The claims are one when every
/// name of the withheld claim (at least one) is in the confirmed claim.
fn withheld(batch: &Batch, story: &DerivedStory, units: &[Unit], found: &mut Found) {
    let text = |u: &Unit| batch.repaired.get(u.article).map_or("", |r| u.span.slice(&r.text));
    let said: Vec<(usize, bool, Vec<String>)> = units
        .iter()
        .enumerate()
        .filter_map(|(i, u)| confirmation(text(u)).map(|(w, n)| (i, w, n)))
        .filter(|(_, _, n)| !n.is_empty())
        .collect();
    for (i, _, names) in said.iter().filter(|s| s.1) {
        for (j, _, confirmed) in said.iter().filter(|s| !s.1) {
            let (ui, uj) = (&units[*i], &units[*j]);
            if story.origin_of(ui.article) == story.origin_of(uj.article)
                || !names.iter().all(|n| confirmed.contains(n))
            {
                continue;
            }
            let topic = "whether confirmed";
            let (yes, no) = ((uj.article, uj.span), (ui.article, ui.span));
            let key = found.key_for(Some(topic), &[yes, no]);
            found.add(&key, topic, ("confirmed", yes), ("refused to confirm", no));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::Mention;
    use crate::synthesize::facts::tests::batch_of;
    use crate::synthesize::facts::units;

    /// Runs [`find`] on one-sentence articles, each its own origin unless `groups` says
    /// otherwise; every word in `locations` is tagged as a location mention.
    fn run(texts: &[&str], groups: Vec<Vec<usize>>, locations: &[&str]) -> Vec<ConflictReport> {
        let (mut batch, story) = batch_of(texts, groups);
        for (k, rep) in batch.repaired.iter().enumerate() {
            for loc in locations {
                for (i, _) in rep.text.match_indices(loc) {
                    batch.analyzed[k].mentions.push(Mention {
                        span: Span::new(i, i + loc.len()),
                        kind: EntityKind::Location,
                        text: loc.to_string(),
                    });
                }
            }
        }
        let u = units(&batch, &story.story.articles);
        find(&batch, &story, &u)
    }

    /// [`confirmation`] skips text without "confirm": every phrase it looks for has it.
    #[test]
    fn every_confirmation_phrase_holds_the_stem() {
        assert!(WITHHOLD.iter().chain(CONFIRM).all(|p| p.contains("confirm")));
        assert_eq!(confirmation("Police said the suspect was arrested."), None);
        assert_eq!(
            confirmation("Peskov declined to confirm that Assad was in Moscow."),
            Some((true, vec!["assad".to_string(), "moscow".to_string()]))
        );
    }

    fn own(n: usize) -> Vec<Vec<usize>> {
        (0..n).map(|i| vec![i]).collect()
    }

    fn values(c: &ConflictReport) -> Vec<&str> {
        c.sides.iter().map(|s| s.value.as_str()).collect()
    }

    #[test]
    fn conflicts_found() {
        let table: &[(&str, &str, &str, &[&str])] = &[
            (
                "The car bomb exploded in the city centre during the morning rush hour, police said.",
                "The car bomb exploded on the outskirts during the morning rush hour, police said.",
                "place",
                &["city centre", "outskirts"],
            ),
            (
                "The car bomb exploded in Homs during the morning rush hour, police said on Monday.",
                "The car bomb exploded in Hama during the morning rush hour, police said on Monday.",
                "place",
                &["homs", "hama"],
            ),
            (
                "The former minister was arrested at his home in the capital on Tuesday night.",
                "The former minister was not arrested at his home in the capital on Tuesday night.",
                "whether arrested",
                &["arrested", "not arrested"],
            ),
            (
                "The interior ministry confirmed that the former minister had left the country.",
                "The interior ministry denied that the former minister had left the country.",
                "confirmed or denied",
                &["confirmed", "denied"],
            ),
        ];
        for (a, b, topic, want) in table {
            let c = run(&[a, b], own(2), &["Homs", "Hama"]);
            assert_eq!(c.len(), 1, "{a} | {b}: {c:?}");
            assert_eq!(c[0].topic, *topic);
            assert_eq!(values(&c[0]), *want);
            assert_eq!(c[0].sides[0].support[0].article, "a0");
            assert_eq!(c[0].sides[1].support[0].article, "a1");
            assert!(c[0].sides.iter().all(|s| s.support[0].end > s.support[0].start));
        }
    }

    #[test]
    fn a_negation_reaches_its_own_clause_only() {
        // (text, word of the other side, whether the text negates it)
        let table = [
            ("The former minister was not arrested at his home.", "arrested", true),
            ("The minister wasn't arrested at his home.", "arrested", true),
            ("The minister was n't arrested at his home.", "arrested", true),
            ("The minister was never arrested in the end.", "arrested", true),
            ("“The process isn't over,” said director Mike Reavey.", "reavey", false),
            (
                "The process is n't over, '' said Security Response director Mike Reavey.",
                "security",
                false,
            ),
            ("Ketsoyan did not say what Reid is being treated for.", "reid", false),
            ("He would not reveal what the American Pie star has.", "american", false),
            ("The minister was arrested but not charged.", "arrested", false),
            ("I cant speak for the first death.", "speak", true),
            ("I didn't feel on the floor we were executing the plan.", "executing", true),
            ("I did not think about it when they were executing the plan.", "executing", false),
        ];
        for (text, word, want) in table {
            assert_eq!(negates(text, word), want, "{text} / {word}");
        }
    }

    #[test]
    fn no_conflict_without_a_contradiction() {
        let table: &[(&str, &str)] = &[
            // Both sides negate, not the same words.
            (
                "The fire chief said he did not know of any recent threats to the church on the hill.",
                "The fire chief said there hadn't been any recent threats to the church on the hill.",
            ),
            (
                "“I cant speak for the first death, but this looks like a lack of experience,” the inspector said.",
                "“I can't speak for the first death, but this looks like a lack of experience,” the inspector said.",
            ),
            // The same negation, its attribution worded differently.
            (
                "“Even with that, the emergency response process isn't over,” said security director Mike Reavey.",
                "“Even with that, the emergency response process isn't over,” Reavey said.",
            ),
            (
                "The publicist would not say what Reid is being treated for at the clinic.",
                "The publicist did not reveal what Reid is being treated for at the clinic.",
            ),
            // A second place mentioned, the event's own place shared.
            (
                "The car bomb exploded in Homs during the morning rush hour, police said.",
                "The car bomb exploded in Homs during the morning rush hour, police in Damascus said.",
            ),
            // The other sentence names the place, without a preposition.
            (
                "The car bomb exploded in Hama during the morning rush hour, police said.",
                "The car bomb exploded during the morning rush hour, Hama police said, in the city centre.",
            ),
            // Different grain: a town and an area.
            (
                "The car bomb exploded in Homs during the morning rush hour, police said.",
                "The car bomb exploded in the city centre during the morning rush hour, police said.",
            ),
            // Paraphrases.
            (
                "The former minister was arrested at his home in the capital on Tuesday night.",
                "Police detained the former minister at his home in the capital late on Tuesday.",
            ),
            ("The bridge did not reopen on Monday.", "The bridge didn't reopen on Monday."),
            // Unrelated sentences with opposite verbs.
            (
                "The interior ministry confirmed that the former minister had left the country.",
                "The football club denied any wrongdoing in the transfer of its goalkeeper.",
            ),
        ];
        for (a, b) in table {
            let c = run(&[a, b], own(2), &["Homs", "Hama", "Damascus"]);
            assert!(c.is_empty(), "{a} | {b}: {c:?}");
        }
    }

    #[test]
    fn withheld_confirmations_conflict_with_confirmations() {
        let refused = "The presidency’s spokesman refused to confirm Assad’s presence in Russia, saying he had nothing to add.";
        // (other sentence, conflict expected)
        let table: &[(&str, &str, bool)] = &[
            (refused, "Peskov confirmed that Assad had been granted asylum in Russia, a decision made by Putin.", true),
            (
                "The ministry declined to confirm the arrest of Karel Vosk in Ostrava.",
                "Police in Ostrava confirmed the arrest of Karel Vosk on Tuesday night.",
                true,
            ),
            // Another claim confirmed: no contradiction.
            (refused, "Mikhail Ulyanov, the envoy in Vienna, later confirmed the reports.", false),
            (refused, "The ministry confirmed that talks with Turkey would resume in Ankara.", false),
            // Both withheld, both confirmed.
            (refused, "A ministry spokesman declined to confirm Assad’s presence in Russia.", false),
            (
                "Peskov confirmed that Assad was in Russia.",
                "The Kremlin confirmed Assad’s presence in Russia on Monday.",
                false,
            ),
            // A withheld claim with no names cannot be matched.
            (
                "The spokesman refused to confirm the reports, saying nothing more.",
                "Peskov confirmed the reports that Assad was in Russia.",
                false,
            ),
        ];
        for (a, b, want) in table {
            let c = run(&[a, b], own(2), &[]);
            let found: Vec<_> = c.iter().filter(|c| c.topic == "whether confirmed").collect();
            assert_eq!(found.len(), usize::from(*want), "{a} | {b}: {c:?}");
            if *want {
                assert_eq!(values(found[0]).len(), 2);
                assert!(values(found[0]).contains(&"refused to confirm"));
            }
        }
        // One origin: never.
        let c = run(&[table[0].0, table[0].1], vec![vec![0, 1]], &[]);
        assert!(c.is_empty(), "{c:?}");
    }

    #[test]
    fn copies_of_one_origin_never_conflict() {
        let a =
            "The car bomb exploded in the city centre during the morning rush hour, police said.";
        let b = "The car bomb exploded on the outskirts during the morning rush hour, police said.";
        assert!(run(&[a, b], vec![vec![0, 1]], &[]).is_empty());
        let c = "The former minister was not arrested at his home in the capital on Tuesday night.";
        let d = "The former minister was arrested at his home in the capital on Tuesday night.";
        assert!(run(&[c, d], vec![vec![0, 1]], &[]).is_empty());
        // Three articles, two origins: the copy joins its origin's side.
        let got = run(&[a, a, b], vec![vec![0, 1], vec![2]], &[]);
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].sides[0].support.len(), 2);
    }

    #[test]
    fn odd_text_does_not_panic() {
        let c = run(
            &["İSTANBUL in the city centre ĳ was not arrested.", "", "in in in on at"],
            own(3),
            &["İSTANBUL"],
        );
        assert!(c.len() <= 2);
    }
}
