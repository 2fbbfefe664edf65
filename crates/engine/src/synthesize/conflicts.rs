//! Conflicts: the same slot given different values by different origin groups.
//!
//! A slot is a count (the noun a number counts, or the event it counts: "12 people were
//! killed" and "the death toll rose to 15" are both the number of people killed) or the
//! date of an event. Sentences are paired with the same-fact test with numbers masked (the
//! candidate pairs come from the facts' inverted index, and only pairs of different origin
//! groups whose slots clash are judged); a pair whose values for one slot differ is a
//! conflict. When the side that differs says it is an update ("rose to",
//! "climbed", "now") and comes from an article published no earlier, the conflict is marked
//! `update: true` instead of being a contradiction. Places and polarity (negation,
//! "confirmed" / "denied") are compared in [`super::claims`].

use std::collections::HashMap;

use super::facts::{edges_where, select, units_where, Unit, ALIGN_THRESHOLD};
use super::{crosslang, support};
use crate::pipeline::{Batch, DerivedStory};
use crate::record::ArticleIdx;
use crate::record::{Span, TimeType};
use crate::report::{ConflictReport, ConflictSide, Support};
use crate::text::numbers::{cardinal, multiplier};
use crate::text::{fold, is_stopword, term, tokens, Token, MONTH_NAMES};

/// Words between a number and the noun it counts.
const SKIP: &[&str] = &[
    "more",
    "than",
    "other",
    "additional",
    "further",
    "new",
    "of",
    "the",
    "at",
    "least",
    "some",
    "about",
    "nearly",
    "over",
    "around",
    "almost",
    "approximately",
    "estimated",
];
/// Words after a number that end the phrase in which its noun could stand: pronouns and
/// clause openers.
const CLAUSE_BREAKS: &[&str] = &[
    "when", "where", "while", "after", "before", "because", "if", "that", "which", "who", "as",
    "and", "but", "or", "he", "she", "they", "it", "we", "i", "you",
];
/// Units that make a number a duration, a time or a measure, not a count of things.
const NOT_COUNTS: &[&str] = &[
    "year", "years", "month", "months", "week", "weeks", "day", "days", "hour", "hours", "minute",
    "minutes", "am", "pm", "a.m", "p.m", "year-old", "percent", "per",
];
/// Verbs of change and of report that stand between a count and its noun ("toll rose to 15").
const UPDATE_WORDS: &[&str] = &[
    "rose",
    "fell",
    "dropped",
    "down",
    "lowered",
    "risen",
    "climbed",
    "increased",
    "jumped",
    "now",
    "revised",
    "updated",
    "latest",
    "mounted",
    "surged",
    "grew",
];
/// Event classes: a count of people in a sentence with one of these words counts this event.
pub(super) const EVENTS: &[(&str, &[&str])] = &[
    (
        "killed",
        &[
            "killed",
            "kill",
            "dead",
            "died",
            "death",
            "deaths",
            "toll",
            "killing",
            "lives",
            "fatalities",
            "perished",
        ],
    ),
    ("injured", &["injured", "wounded", "hurt", "injuries", "injuring", "wounding"]),
    ("arrested", &["arrested", "detained", "arrests", "detentions"]),
    ("missing", &["missing", "unaccounted"]),
    ("displaced", &["displaced", "evacuated", "fled", "homeless"]),
];
/// Nouns that name people, so that a figure before them counts people ("14 individuals",
/// "212 travellers"); the same fact matcher's counts of people read them too.
pub(super) const PERSONS: &[&str] = &[
    "people",
    "persons",
    "person",
    "individuals",
    "adults",
    "children",
    "men",
    "women",
    "civilians",
    "soldiers",
    "troops",
    "fighters",
    "police",
    "officers",
    "firefighters",
    "staff",
    "workers",
    "employees",
    "miners",
    "residents",
    "villagers",
    "students",
    "pupils",
    "patients",
    "victims",
    "survivors",
    "hostages",
    "prisoners",
    "inmates",
    "migrants",
    "refugees",
    "protesters",
    "demonstrators",
    "passengers",
    "travellers",
    "travelers",
    "crew",
    "sailors",
    "fishermen",
    "tourists",
    "visitors",
    "pilgrims",
    "spectators",
    "others",
];
/// Besides [`PERSONS`], words after a figure that count people by the event or stand for
/// the toll itself ("the toll rose to five", "23 injured").
const TOLL: &[&str] = &[
    "toll",
    "dead",
    "killed",
    "injured",
    "wounded",
    "deaths",
    "casualties",
    "bodies",
    "missing",
    "unaccounted",
    "arrested",
    "detained",
    "displaced",
    "evacuated",
];

/// Whether `word` counts people or the toll ([`PERSONS`], [`TOLL`]).
fn counts_people(word: &str) -> bool {
    PERSONS.contains(&word) || TOLL.contains(&word)
}
/// The sign of the currency a word names ("dollars" → `$`).
fn currency_of(word: &str) -> Option<char> {
    match word {
        "dollars" | "usd" => Some('$'),
        "euros" | "eur" => Some('€'),
        "pounds" | "gbp" => Some('£'),
        "yuan" | "yen" => Some('¥'),
        "rupees" => Some('₹'),
        "rubles" | "roubles" => Some('₽'),
        _ => None,
    }
}

/// A value a sentence gives for a slot.
#[derive(Debug, Clone, PartialEq)]
struct Slot {
    key: String,
    label: String,
    value: String,
    /// How the number is hedged ("more than 20" is a lower bound, "about 20" approximate).
    hedge: Hedge,
    /// The number itself, for hedged comparisons.
    number: f64,
}

/// How a count is qualified by the words before it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Hedge {
    /// The number as given.
    Exact,
    /// "more than", "over", "at least": the true value is at or above it.
    AtLeast,
    /// "nearly", "almost", "up to", "fewer than": at or below it.
    AtMost,
    /// "about", "around", "some", "roughly": within a sixth of it.
    About,
}

impl Hedge {
    /// The hedge the words before the number at `first` give it.
    pub(super) fn of(words: &[String], first: usize) -> Hedge {
        let w = |k: usize| first.checked_sub(k).and_then(|i| words.get(i)).map(String::as_str);
        match (w(2), w(1)) {
            (Some("more" | "greater"), Some("than")) | (Some("at"), Some("least")) => {
                Hedge::AtLeast
            }
            (_, Some("over" | "upwards")) => Hedge::AtLeast,
            (Some("up"), Some("to")) | (Some("fewer" | "less"), Some("than")) => Hedge::AtMost,
            (_, Some("nearly" | "almost" | "under")) => Hedge::AtMost,
            (_, Some("about" | "around" | "some" | "roughly" | "approximately" | "estimated")) => {
                Hedge::About
            }
            _ => Hedge::Exact,
        }
    }

    /// Whether a value `x` is consistent with this hedged number `n`.
    pub(super) fn admits(self, n: f64, x: f64) -> bool {
        match self {
            Hedge::Exact => x == n,
            Hedge::AtLeast => x >= n,
            Hedge::AtMost => x <= n,
            Hedge::About => (x - n).abs() <= n.abs() / 6.0 + 0.5,
        }
    }
}

/// Whether two slot values can both be true (equal, or one admitted by the other's hedge).
fn compatible(a: &Slot, b: &Slot) -> bool {
    if a.key == "date" {
        // A day whose year is not known ("XXXX-12-06") may be any year's.
        let unknown_year = a.value.starts_with("XXXX") || b.value.starts_with("XXXX");
        return a.value == b.value || (unknown_year && a.value.get(4..) == b.value.get(4..));
    }
    a.value == b.value || a.hedge.admits(a.number, b.number) || b.hedge.admits(b.number, a.number)
}

/// Whether two units give different values for one count ("three died" / "the toll rose
/// to five"): they report different moments, so their different dates are no conflict.
fn counts_differ(a: &[Slot], b: &[Slot]) -> bool {
    let counts = |s: &[Slot]| s.iter().filter(|x| x.key != "date").cloned().collect::<Vec<_>>();
    let (a, b) = (counts(a), counts(b));
    a.iter().any(|x| b.iter().any(|y| x.key == y.key && !compatible(x, y)))
}

fn format_value(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e15 {
        format!("{}", v as i64)
    } else {
        format!("{v}")
    }
}

/// Weekday and time-of-day words: a number followed by one is not counting it ("rose to
/// five on Thursday").
const WHEN_WORDS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "today",
    "yesterday",
    "tonight",
    "morning",
    "afternoon",
    "evening",
    "night",
    "overnight",
];

/// The event class (killed, injured…) whose word stands closest to word `at`, if any.
fn nearest_event(w: &[String], at: usize) -> Option<&'static str> {
    let mut best: Option<(usize, &'static str)> = None;
    for (i, word) in w.iter().enumerate() {
        if let Some((class, _)) = EVENTS.iter().find(|(_, ws)| ws.contains(&word.as_str())) {
            let d = i.abs_diff(at);
            if best.is_none_or(|(bd, _)| d < bd) {
                best = Some((d, class));
            }
        }
    }
    best.map(|b| b.1)
}

/// What the characters around a number make of it, which the words (punctuation dropped)
/// no longer show.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Written {
    /// A count or amount as far as the characters tell.
    Plain,
    /// An amount of money in the currency of this sign ("$ 1 million", "€200").
    Money(char),
    /// No count: a clock time ("9:40 p.m.", "0241 GMT"), a score or range ("20 - 13"), a
    /// temperature ("minus 20", "20°"), a money conversion in brackets ("($ 1.52 million)")
    /// or a number naming something ("IE 7", "Route 52", "Week 8").
    Not,
}

/// Currency signs.
const CURRENCIES: &[char] = &['$', '€', '£', '¥', '₹', '₽'];
/// Words after a number that make it a time of day.
const CLOCK_WORDS: &[&str] = &[
    "gmt", "utc", "bst", "cet", "est", "edt", "cst", "pst", "pdt", "ist", "local", "hrs", "o'clock",
];

/// How the number of words `first..last` of `text` (tokens `toks`) is written.
fn written(text: &str, toks: &[Token], words: &[String], first: usize, last: usize) -> Written {
    let (Some(head), Some(tail)) = (toks.get(first), last.checked_sub(1).and_then(|l| toks.get(l)))
    else {
        return Written::Plain;
    };
    let before_at = first.checked_sub(1).and_then(|i| toks.get(i)).map_or(0, |t| t.span.end);
    let after_to = toks.get(last).map_or(text.len(), |t| t.span.start);
    let gap_before = text.get(before_at..head.span.start).unwrap_or("").trim();
    let gap_after = text.get(tail.span.end..after_to).unwrap_or("").trim();
    let digits = |i: Option<usize>| {
        i.and_then(|i| words.get(i)).is_some_and(|w| w.bytes().all(|b| b.is_ascii_digit()))
    };
    let prev = first.checked_sub(1);
    let linked = |gap: &str| matches!(gap, ":" | "-" | "–" | "—" | "." | "h");
    // "9:40", "5 : 30", "20 - 13", "10–5": one figure of a time, a score or a range.
    if (linked(gap_after) && digits(Some(last))) || (linked(gap_before) && digits(prev)) {
        return Written::Not;
    }
    let next = words.get(last).map(String::as_str);
    let am_pm = matches!(next, Some("a" | "p")) && words.get(last + 1).is_some_and(|w| w == "m");
    if am_pm || next.is_some_and(|w| CLOCK_WORDS.contains(&w)) || gap_after.starts_with('°') {
        return Written::Not;
    }
    if prev.and_then(|i| words.get(i)).is_some_and(|w| w == "minus") {
        return Written::Not;
    }
    // "Raj Chohan, 59, was killed", "his half-brothers, 17 and 22, were": ages.
    let short = last == first + 1 && words.get(first).is_some_and(|w| w.len() <= 3);
    let bracketed = gap_after.starts_with([',', ')']);
    let age = matches!(gap_before, "," | "(")
        && (bracketed || (next == Some("and") && digits(Some(last + 1))));
    let second_age = prev.is_some_and(|p| words[p] == "and" && digits(p.checked_sub(1)));
    if short && digits(Some(first)) && (age || (second_age && bracketed)) {
        return Written::Not;
    }
    if let Some(sign) = gap_before.chars().rev().find(|c| CURRENCIES.contains(c)) {
        // "200 million euros ($ 265.3 million)": the bracketed figure converts the first.
        return if gap_before.contains('(') { Written::Not } else { Written::Money(sign) };
    }
    // A number right after a capitalised word, inside the sentence, names something; not
    // after a day ("said Sunday 14 people died") nor before people ("Reuters 14 people").
    let people_next = next.is_some_and(counts_people);
    let named = !people_next
        && prev.filter(|&i| i > 0).is_some_and(|i| {
            let day = words.get(i).is_some_and(|w| WHEN_WORDS.contains(&w.as_str()));
            let capital = toks.get(i).is_some_and(|t| t.text.starts_with(char::is_uppercase));
            capital && !day && gap_before.is_empty()
        });
    if named {
        return Written::Not;
    }
    Written::Plain
}

/// The count slots of a unit whose text is `text`.
fn count_slots(u: &Unit, text: &str) -> Vec<Slot> {
    let w = &u.stmt.words;
    let toks = tokens(text);
    let mut out = Vec::new();
    for n in &u.stmt.numbers {
        let how = if toks.len() == w.len() {
            written(text, &toks, w, n.first, n.last)
        } else {
            Written::Plain
        };
        if how == Written::Not {
            continue;
        }
        let first = &w[n.first];
        let is_year = first.len() == 4 && (1900.0..=2100.0).contains(&n.value);
        let near_month = n
            .first
            .checked_sub(1)
            .and_then(|i| w.get(i))
            .into_iter()
            .chain(w.get(n.last))
            .any(|x| MONTH_NAMES.contains(&x.as_str()));
        if is_year || near_month || w.get(n.last).is_some_and(|x| NOT_COUNTS.contains(&x.as_str()))
        {
            continue;
        }
        // The noun a number counts follows it before any other number: in "on March 3
        // with 221 people" (a month the tagger missed) "people" is 221's, not 3's.
        let next_number = u.stmt.numbers.iter().map(|m| m.first).filter(|&f| f >= n.last).min();
        // Function words may stand between ("more than 20 other", "nine are still
        // missing"); a pronoun or a word opening a clause ends the search ("95 when he
        // died" counts nothing).
        let after = w[n.last..next_number.unwrap_or(w.len()).max(n.last)]
            .iter()
            .take(4)
            .find(|x| {
                let x = x.as_str();
                CLAUSE_BREAKS.contains(&x)
                    || !SKIP.contains(&x) && x.chars().all(char::is_alphabetic) && !is_stopword(x)
            })
            .filter(|x| !CLAUSE_BREAKS.contains(&x.as_str()))
            .filter(|x| !WHEN_WORDS.contains(&x.as_str()));
        // Before the number: what a change counts ("the death toll from … rose to five")
        // may stand several words back; else the nearest content word.
        let before = || {
            let back = || w[..n.first].iter().rev();
            let changed = n
                .first
                .checked_sub(1)
                .and_then(|i| w.get(i))
                .is_some_and(|x| matches!(x.as_str(), "to" | "at" | "reached" | "hit" | "now"));
            let reach = if changed { 20 } else { 6 };
            // Another word before the number is what it counts only when the number is
            // what that thing came to ("the damage was put at …"): "Felt was 95", "in his
            // last two" count nothing a conflict can be told by.
            back().take(reach).find(|x| counts_people(x)).or_else(|| {
                back().take(4).filter(|_| changed).find(|x| {
                    x.chars().all(char::is_alphabetic)
                        && !is_stopword(x)
                        && !UPDATE_WORDS.contains(&x.as_str())
                        && !SKIP.contains(&x.as_str())
                })
            })
        };
        let Some(noun) = after.or_else(before) else {
            continue;
        };
        // The event: the noun itself when it names one ("23 were injured"), else the
        // nearest event word.
        let own = EVENTS.iter().find(|(_, ws)| ws.contains(&noun.as_str())).map(|e| e.0);
        let (key, label) = match (own.or_else(|| nearest_event(w, n.first)), how) {
            // An amount compares with amounts in the same currency only.
            (_, Written::Money(sign)) => (format!("money {sign}"), "amount of money".into()),
            (Some(class), _) if counts_people(noun) => {
                (format!("people {class}"), format!("number of people {class}"))
            }
            _ if currency_of(noun).is_some() => {
                (format!("money {}", currency_of(noun).unwrap_or('$')), "amount of money".into())
            }
            _ => (term(noun), format!("number of {noun}")),
        };
        let hedge = Hedge::of(w, n.first);
        out.push(Slot { key, label, value: format_value(n.value), hedge, number: n.value });
    }
    out
}

/// Whether a TIMEX value names one calendar day, its year perhaps unknown: `2026-03-03`,
/// `XXXX-03-03`; not a weekday of an unknown week (`XXXX-WXX-2`) nor a month (`2026-03`).
fn is_day(value: &str) -> bool {
    let b = value.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    b.len() == 10
        && (digits(0..4) || value.starts_with("XXXX"))
        && b[4] == b'-'
        && digits(5..7)
        && b[7] == b'-'
        && digits(8..10)
}

/// The date slot of a unit: the one calendar date its sentence gives.
fn date_slot(batch: &Batch, u: &Unit) -> Option<Slot> {
    let times = &batch.analyzed.get(u.article)?.times;
    let mut dates = times
        .iter()
        .filter(|t| t.kind == TimeType::Date && u.span.contains(t.span) && is_day(&t.value));
    let d = dates.next()?;
    if dates.next().is_some() {
        return None;
    }
    Some(Slot {
        key: "date".into(),
        label: "date".into(),
        value: d.value.clone(),
        hedge: Hedge::Exact,
        number: 0.0,
    })
}

fn slots(batch: &Batch, u: &Unit) -> Vec<Slot> {
    let text = batch.repaired.get(u.article).map_or("", |r| u.span.slice(&r.text));
    let mut s = count_slots(u, text);
    s.extend(date_slot(batch, u));
    s
}

/// The label of a date conflict: the heaviest content word both sentences share.
fn date_label(a: &Unit, b: &Unit) -> String {
    let shared = a.stmt.terms.iter().filter(|(t, _)| b.stmt.terms.iter().any(|(s, _)| s == t));
    let top = shared.max_by(|x, y| x.1.total_cmp(&y.1)).map(|x| x.0.clone());
    let word = top.and_then(|t| a.stmt.words.iter().find(|w| term(w) == t).cloned());
    word.map_or_else(|| "date".to_string(), |w| format!("date of {w}"))
}

fn has_update_cue(u: &Unit) -> bool {
    let w = &u.stmt.words;
    w.iter().any(|x| UPDATE_WORDS.contains(&x.as_str()) || x == "up")
}

#[derive(Default)]
struct Acc {
    label: String,
    /// `number` or `date`.
    kind: &'static str,
    sides: Vec<(String, Vec<usize>)>,
}

/// Same-fact score (numbers masked) two sentences need before their dates are compared:
/// stricter than fact alignment, since two events of one story are often told alike.
const DATE_THRESHOLD: f32 = 0.5;
/// Same-fact score (numbers masked) two sentences need before their counts of something
/// other than people are compared: stricter still, as for places and polarity
/// ([`super::claims`]) — sentences of one story that count the same noun ("points",
/// "yards", "boats") mostly count different things, each sentence true.
const COUNT_THRESHOLD: f32 = 0.6;

/// Story-level counts of people killed, injured, missing, arrested or displaced: one story
/// is one event, so every origin's count of it is comparable whatever the sentence says
/// around it. Each article's *first* count of an event is its headline figure (later ones
/// are breakdowns, "four of them seriously", or other events it recalls). Origins whose
/// figures cannot both be true (hedges allowed: "more than twenty" admits 23) conflict.
fn event_counts(
    story: &DerivedStory,
    units: &[Unit],
    slots: &[Vec<Slot>],
    accs: &mut HashMap<String, Acc>,
    order: &mut Vec<String>,
) {
    // (key → per article: first unit and its slot), units are in article, text order.
    let mut firsts: HashMap<&str, Vec<(usize, &Slot)>> = HashMap::new();
    for (u, unit_slots) in slots.iter().enumerate() {
        for slot in unit_slots.iter().filter(|s| s.key.starts_with("people ")) {
            let list = firsts.entry(slot.key.as_str()).or_default();
            if !list.iter().any(|&(v, _)| units[v].article == units[u].article) {
                list.push((u, slot));
            }
        }
    }
    let mut keys: Vec<&str> = firsts.keys().copied().collect();
    keys.sort_unstable();
    for key in keys {
        let list = &firsts[key];
        let clash = list.iter().any(|&(a, sa)| {
            list.iter().any(|&(b, sb)| {
                story.origin_of(units[a].article) != story.origin_of(units[b].article)
                    && !compatible(sa, sb)
            })
        });
        if !clash {
            continue;
        }
        let mut acc = Acc { label: list[0].1.label.clone(), kind: "number", sides: Vec::new() };
        for &(u, slot) in list {
            acc.add(&slot.value, u);
        }
        order.push(key.to_string());
        accs.insert(key.to_string(), acc);
    }
}

/// Adds to the sides of the story-wide counts of people ([`event_counts`]) the units of
/// articles in other languages that give the side's figure for the same event
/// ([`crosslang::Anchors::counts`]: "Quatorze personnes ont été blessées" on the side of
/// "Fourteen people were injured"), one unit per article and count, as [`event_counts`]
/// does. They open no side and no conflict: their hedges ("plus de vingt") are not read.
fn foreign_counts(
    batch: &Batch,
    units: &mut Vec<Unit>,
    foreign: Vec<Unit>,
    accs: &mut HashMap<String, Acc>,
) {
    for unit in foreign {
        let (Some(rep), Some(an)) =
            (batch.repaired.get(unit.article), batch.analyzed.get(unit.article))
        else {
            continue;
        };
        let anchors = crosslang::Anchors::new(unit.span.slice(&rep.text), &an.language);
        let mut at: Option<usize> = None;
        for &(v, class) in anchors.counts() {
            let Some(acc) = accs.get_mut(&format!("people {class}")) else { continue };
            let of_article = |u: &usize| units.get(*u).is_some_and(|x| x.article == unit.article);
            if acc.sides.iter().any(|side| side.1.iter().any(of_article)) {
                continue;
            }
            let value = format_value(f64::from_bits(v));
            let Some(side) = acc.sides.iter_mut().find(|side| side.0 == value) else { continue };
            let u = *at.get_or_insert_with(|| {
                units.push(unit.clone());
                units.len() - 1
            });
            side.1.push(u);
        }
    }
}

impl Acc {
    fn add(&mut self, value: &str, unit: usize) {
        add_side(&mut self.sides, value, unit);
    }
}

/// Adds `unit` (an index, or any locator of a sentence) to the side giving `value` (a new
/// side if none does yet).
pub(super) fn add_side<T: PartialEq>(sides: &mut Vec<(String, Vec<T>)>, value: &str, unit: T) {
    match sides.iter_mut().find(|s| s.0 == value) {
        Some(s) if !s.1.contains(&unit) => s.1.push(unit),
        Some(_) => {}
        None => sides.push((value.to_string(), vec![unit])),
    }
}

/// Whether a clause may give a slot: it has a digit, a number word or a date.
fn may_have_slot(batch: &Batch, article: usize, span: Span) -> bool {
    let Some(rep) = batch.repaired.get(article) else {
        return false;
    };
    let text = span.slice(&rep.text);
    if text.bytes().any(|b| b.is_ascii_digit()) {
        return true;
    }
    let dated = batch.analyzed.get(article).is_some_and(|an| {
        an.times.iter().any(|t| t.kind == TimeType::Date && span.contains(t.span))
    });
    dated || spells_count(text)
}

/// Whether `text` spells out a count: a number word above one ("one" alone is no count,
/// "zero" no figure a conflict is told by) or a multiplier ("a dozen", "hundreds").
fn spells_count(text: &str) -> bool {
    tokens(text).iter().any(|t| {
        let w = fold(t.text);
        cardinal("en", &w).is_some_and(|v| v >= 2) || multiplier("en", &w).is_some()
    })
}

/// Finds conflicting values across origins.
pub fn find(batch: &Batch, story: &DerivedStory) -> Vec<ConflictReport> {
    let all = units_where(batch, &story.story.articles, |a, span| may_have_slot(batch, a, span));
    let foreign = || units_where(batch, &story.story.articles, |a, _| foreign(batch, a));
    find_in(batch, story, all, foreign)
}

/// [`find`] over the story's already prepared units (all of them; those that cannot give
/// a slot are skipped here).
pub fn find_with(batch: &Batch, story: &DerivedStory, units: &[Unit]) -> Vec<ConflictReport> {
    let foreign = || select(units, |a, _| foreign(batch, a));
    find_in(batch, story, select(units, |a, span| may_have_slot(batch, a, span)), foreign)
}

/// Whether article `a` is written in a language other than English: the slots read English
/// words, its counts are read by [`crosslang::Anchors`].
fn foreign(batch: &Batch, a: ArticleIdx) -> bool {
    batch.analyzed.get(a).is_some_and(|x| !matches!(x.language.as_str(), "" | "en" | "und"))
}

/// `foreign` gives the units of the articles in other languages ([`foreign_counts`]), asked
/// only when the story has a count of people to compare.
fn find_in(
    batch: &Batch,
    story: &DerivedStory,
    all: Vec<Unit>,
    foreign: impl FnOnce() -> Vec<Unit>,
) -> Vec<ConflictReport> {
    let (mut units, slots): (Vec<Unit>, Vec<Vec<Slot>>) = all
        .into_iter()
        .map(|u| {
            let s = slots(batch, &u);
            (u, s)
        })
        .filter(|(_, s)| !s.is_empty())
        .unzip();
    let mut accs: HashMap<String, Acc> = HashMap::new();
    let mut order: Vec<String> = Vec::new();
    event_counts(story, &units, &slots, &mut accs, &mut order);
    // Only pairs of different origins whose slots clash can make a conflict: the others
    // are not scored.
    let origin: Vec<usize> = units.iter().map(|u| story.origin_of(u.article)).collect();
    let keep = |i: usize, j: usize| {
        origin[i] != origin[j] && clashes(&slots[i], &slots[j]).next().is_some()
    };
    for (i, j, score) in edges_where(&units, true, ALIGN_THRESHOLD, keep) {
        for (si, sj) in clashes(&slots[i], &slots[j]) {
            if si.key == "date" && (score < DATE_THRESHOLD || counts_differ(&slots[i], &slots[j])) {
                continue;
            }
            if si.key != "date" && score < COUNT_THRESHOLD {
                continue;
            }
            let label =
                if si.key == "date" { date_label(&units[i], &units[j]) } else { si.label.clone() };
            let key = if si.key == "date" { label.clone() } else { si.key.clone() };
            let acc = accs.entry(key.clone()).or_insert_with(|| {
                order.push(key.clone());
                let kind = if si.key == "date" { "date" } else { "number" };
                Acc { label, kind, sides: Vec::new() }
            });
            acc.add(&si.value, i);
            acc.add(&sj.value, j);
        }
    }
    if accs.keys().any(|k| k.starts_with("people ")) {
        foreign_counts(batch, &mut units, foreign(), &mut accs);
    }
    order.iter().filter_map(|k| accs.get(k)).map(|acc| report(batch, &units, acc)).collect()
}

/// The slots of `a` that `b` gives another value for, each with the first slot of `b` of
/// its key: the values of a pair's conflict, before its score is read. Counts of people
/// are left out: they are compared story-wide ([`event_counts`]), since a pair that
/// matches a headline figure with a figure recalled from another event ("five people died"
/// in the ferry accident of March 3) is no conflict.
fn clashes<'s>(a: &'s [Slot], b: &'s [Slot]) -> impl Iterator<Item = (&'s Slot, &'s Slot)> {
    a.iter().filter(|si| !si.key.starts_with("people ")).filter_map(move |si| {
        let mut same_key = b.iter().filter(|s| s.key == si.key);
        let first = same_key.clone().next()?;
        if same_key.any(|s| compatible(si, s)) {
            return None;
        }
        if a.iter().any(|s| s.key == si.key && s.value == first.value) {
            return None;
        }
        Some((si, first))
    })
}

fn report(batch: &Batch, units: &[Unit], acc: &Acc) -> ConflictReport {
    let date_of = |u: usize| batch.articles.get(units[u].article).and_then(|a| a.date);
    // An update: some side says so and no other side was published after it.
    // An update: a side that says so ("rose to") and that no other side was published after.
    let update = acc.sides.iter().enumerate().any(|(k, (_, us))| {
        us.iter().any(|&u| {
            let others = acc.sides.iter().enumerate().filter(|&(o, _)| o != k);
            has_update_cue(&units[u])
                && others.flat_map(|(_, s)| &s.1).all(|&o| match (date_of(o), date_of(u)) {
                    (Some(d_o), Some(d_u)) => d_o <= d_u,
                    _ => true,
                })
        })
    });
    let sides = acc
        .sides
        .iter()
        .map(|(value, us)| {
            let mut support: Vec<Support> = Vec::new();
            for &u in us {
                let s = support_of(batch, &units[u]);
                if !support.iter().any(|x| x.article == s.article && x.start == s.start) {
                    support.push(s);
                }
            }
            ConflictSide { value: value.clone(), support }
        })
        .collect();
    ConflictReport { topic: acc.label.clone(), kind: acc.kind.to_string(), sides, update }
}

fn support_of(batch: &Batch, u: &Unit) -> Support {
    support(batch, u.article, u.span)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::TimeExpr;
    use crate::synthesize::facts::tests::batch_of;
    use crate::synthesize::facts::units;

    const A: &str =
        "Twelve people were killed in the explosion at the central market on Monday, police said.";
    const B: &str =
        "Nine people were killed in the explosion at the central market on Monday, police said.";
    const C: &str = "The death toll from the explosion at the central market on Monday has risen to 15 people, police said.";

    #[test]
    fn spelled_counts_are_seen() {
        let table: &[(&str, bool)] = &[
            ("Twenty-five passengers were rescued", true),
            ("thirteen died", true),
            ("a dozen boats", true),
            ("hundreds fled", true),
            ("1.5 mln dollars", true),
            ("one of them said", false),
            ("zero tolerance", false),
            ("they often attended", false),
            ("no count here", false),
        ];
        for (text, want) in table {
            assert_eq!(spells_count(text), *want, "{text}");
        }
    }

    #[test]
    fn different_counts_across_origins_conflict() {
        let (batch, story) = batch_of(&[A, B], vec![vec![0], vec![1]]);
        let c = find(&batch, &story);
        assert_eq!(c.len(), 1, "{c:?}");
        assert_eq!(c[0].topic, "number of people killed");
        let values: Vec<&str> = c[0].sides.iter().map(|s| s.value.as_str()).collect();
        assert_eq!(values, ["12", "9"]);
        assert!(!c[0].update);
        assert_eq!(c[0].sides[1].support[0].article, "a1");
    }

    #[test]
    fn same_origin_is_not_a_conflict() {
        let (batch, story) = batch_of(&[A, B], vec![vec![0, 1]]);
        assert!(find(&batch, &story).is_empty());
    }

    #[test]
    fn later_rise_is_an_update() {
        let (mut batch, story) = batch_of(&[A, C], vec![vec![0], vec![1]]);
        batch.articles[0].date = chrono::NaiveDate::from_ymd_opt(2024, 3, 4);
        batch.articles[1].date = chrono::NaiveDate::from_ymd_opt(2024, 3, 5);
        let c = find(&batch, &story);
        assert_eq!(c.len(), 1, "{c:?}");
        assert!(c[0].update);
    }

    #[test]
    fn different_dates_conflict() {
        let a = "Rebel forces entered the capital Damascus and the army withdrew on December 8.";
        let b = "Rebel forces entered the capital Damascus and the army withdrew on December 7.";
        let c = dated_pair([a, b], [("December 8", "XXXX-12-08"), ("December 7", "XXXX-12-07")]);
        assert!(c.iter().any(|c| c.topic.starts_with("date") && c.sides.len() == 2), "{c:?}");
    }

    /// The conflicts of two one-sentence articles of two origins, each with one DATE
    /// expression (its text and value).
    fn dated_pair(texts: [&str; 2], dates: [(&str, &str); 2]) -> Vec<ConflictReport> {
        let (mut batch, story) = batch_of(&texts, vec![vec![0], vec![1]]);
        for (k, (needle, v)) in dates.iter().enumerate() {
            let s = batch.repaired[k].text.find(needle).unwrap_or(0);
            batch.analyzed[k].times.push(TimeExpr {
                span: Span::new(s, s + needle.len()),
                text: needle.to_string(),
                kind: TimeType::Date,
                value: v.to_string(),
            });
        }
        find(&batch, &story)
    }

    #[test]
    fn reports_of_different_counts_have_different_dates() {
        let a =
            "Three people died in the fire at the Kessaly warehouse, officials said on March 3.";
        let b = "Five people died in the fire at the Kessaly warehouse, officials said on March 5.";
        let c = dated_pair([a, b], [("March 3", "2026-03-03"), ("March 5", "2026-03-05")]);
        assert!(c.iter().all(|c| !c.topic.starts_with("date")), "{c:?}");
        assert!(c.iter().any(|c| c.topic.contains("killed")), "{c:?}");
    }

    #[test]
    fn years_days_and_ages_are_not_counts() {
        let (batch, story) = batch_of(
            &["The war began in 2011 and lasted nine years, on December 8."],
            vec![vec![0]],
        );
        let u = units(&batch, &story.story.articles);
        assert!(slots(&batch, &u[0]).is_empty(), "{:?}", slots(&batch, &u[0]));
    }

    #[test]
    fn headline_counts_conflict_story_wide_and_hedges_agree() {
        let wire =
            "Fourteen people were injured when the ferry overturned, four of them seriously.";
        let local =
            "By morning 19 people had been treated for injuries at the two hospitals in town.";
        let hedged =
            "More than twelve people were injured, hospital staff said on Tuesday evening.";
        let (batch, story) = batch_of(&[wire, local, hedged], vec![vec![0], vec![1], vec![2]]);
        let c = find(&batch, &story);
        assert_eq!(c.len(), 1, "{c:?}");
        assert_eq!(c[0].topic, "number of people injured");
        let values: Vec<&str> = c[0].sides.iter().map(|s| s.value.as_str()).collect();
        assert_eq!(values, ["14", "19", "12"], "the first count of each article is its figure");
        let (batch, story) = batch_of(&[wire, hedged], vec![vec![0], vec![1]]);
        assert!(find(&batch, &story).is_empty(), "“more than twelve” admits 14");
    }

    #[test]
    fn passengers_who_died_are_people_killed() {
        let wire = "Two passengers died in the accident and 23 people were injured.";
        let other = "Two passengers died when the ferry ran aground.\nOn March 3 another ferry capsized off the point; five people died.";
        let (batch, story) = batch_of(&[wire, other], vec![vec![0], vec![1]]);
        let c = find(&batch, &story);
        let u = units(&batch, &story.story.articles);
        let slots = slots(&batch, &u[0]);
        assert_eq!((slots[0].key.as_str(), slots[0].value.as_str()), ("people killed", "2"));
        assert!(c.is_empty(), "the first count of the dead agrees: {c:?}");
    }

    #[test]
    fn a_translation_supports_the_side_of_its_figure() {
        let wire = "Fourteen people were injured in the crash, the police said.";
        let other = "Nineteen people were injured in the crash.";
        // (French text, the sides' articles: the translation is on the side it gives)
        let table: [(&str, [&[&str]; 2]); 3] = [
            ("Quatorze personnes ont été blessées dans l’accident.", [&["a0", "a2"], &["a1"]]),
            // A figure no side gives opens no side.
            ("Seize personnes ont été blessées dans l’accident.", [&["a0"], &["a1"]]),
            // Another event with the same figure.
            ("Quatorze personnes sont mortes dans l’accident.", [&["a0"], &["a1"]]),
        ];
        for (fr, want) in table {
            let (mut batch, story) = batch_of(&[wire, other, fr], vec![vec![0, 2], vec![1]]);
            batch.analyzed[2].language = "fr".into();
            let c = find(&batch, &story);
            assert_eq!(c.len(), 1, "{fr}: {c:?}");
            let sides: Vec<Vec<&str>> = c[0]
                .sides
                .iter()
                .map(|s| s.support.iter().map(|x| x.article.as_str()).collect())
                .collect();
            assert_eq!(sides, want, "{fr}");
        }
    }

    #[test]
    fn nouns_of_people_count_people() {
        // (sentence, the slot of its first count)
        let table = [
            ("Fourteen individuals were hurt, four of them gravely.", ("people injured", "14")),
            ("Nineteen travellers were injured in the crash.", ("people injured", "19")),
            ("Six firefighters died fighting the blaze.", ("people killed", "6")),
            ("Three individuals perished and 11 were unaccounted for.", ("people killed", "3")),
            ("Eleven were unaccounted for after the ferry overturned.", ("people missing", "11")),
            ("Fourteen buildings were damaged in the storm.", ("build", "14")),
        ];
        for (text, (key, value)) in table {
            let (batch, story) = batch_of(&[text], vec![vec![0]]);
            let u = units(&batch, &story.story.articles);
            let slots = slots(&batch, &u[0]);
            assert_eq!((slots[0].key.as_str(), slots[0].value.as_str()), (key, value), "{text}");
        }
    }

    #[test]
    fn a_toll_that_rose_counts_the_dead_not_the_weekday() {
        let (batch, story) = batch_of(
            &["The death toll from the capsizing off the point rose to five on Thursday after divers recovered two more bodies."],
            vec![vec![0]],
        );
        let u = units(&batch, &story.story.articles);
        let slots = slots(&batch, &u[0]);
        assert_eq!(slots[0].key, "people killed");
        assert_eq!(slots[0].value, "5");
    }

    #[test]
    fn a_number_does_not_count_the_noun_of_the_next_number() {
        // (sentence, the people count it gives): an unknown word before "3" (a misspelt
        // month, a code) must not make "3" the count of "221 people"; "3 of the 40 people"
        // is read the same way (40 counts people).
        let table = [
            ("The ferry overturned on Marhc 3 with 221 people on board.", "221"),
            ("The boat left pier 7 with 40 people aboard.", "40"),
            ("Three people were on board.", "3"),
        ];
        for (text, want) in table {
            let (batch, story) = batch_of(&[text], vec![vec![0]]);
            let u = units(&batch, &story.story.articles);
            let people: Vec<String> = slots(&batch, &u[0])
                .into_iter()
                .filter(|s| s.label.starts_with("number of people"))
                .map(|s| s.value)
                .collect();
            assert_eq!(people, [want], "{text}");
        }
    }

    #[test]
    fn clock_times_scores_names_and_conversions_are_not_counts() {
        // (sentence, its count slots as (key, value))
        let table: &[(&str, &[(&str, &str)])] = &[
            ("Firefighters were called to the church about 9:40 p.m. on Friday.", &[]),
            ("Staff were told at 5 : 30 p.m. local time to leave the premises.", &[]),
            ("The quake was registered at 17:06 hours local time (13:36 GMT).", &[]),
            ("She died at 6 pm, her agent said, or 0241 GMT on Friday.", &[]),
            ("The Colts held on to their 20 - 13 lead to win the game.", &[]),
            ("Outside temperatures were minus 20 as firefighters battled the blaze.", &[]),
            ("The flaw affects Internet Explorer 8 and the Beta 2 release.", &[]),
            (
                "Police said Sunday 14 people had died in the fire at the depot.",
                &[("people killed", "14")],
            ),
            (
                "Damage was estimated at $ 1 million ($ 1.52 million), officials said.",
                &[("money $", "1000000")],
            ),
            (
                "Clashes caused 200 million euros of damage in the city centre.",
                &[("money €", "200000000")],
            ),
            ("Mark Felt was 95 when he died at his home in California.", &[]),
            ("Raj Chohan, 59, was killed by a hit-and-run driver on Friday.", &[]),
            ("Police said his brothers, 17 and 22, were also arrested on Monday.", &[]),
            ("The victims, LaTonya Brown (36) and Tanya Wilson (47), died at the scene.", &[]),
            (
                "In the end, 14 people were injured in the crash on the coast road.",
                &[("people injured", "14")],
            ),
            (
                "Three undersea cables were damaged in the Mediterranean on Friday.",
                &[("undersea", "3")],
            ),
        ];
        for (text, want) in table {
            let (batch, story) = batch_of(&[text], vec![vec![0]]);
            let u = units(&batch, &story.story.articles);
            let got: Vec<(String, String)> =
                slots(&batch, &u[0]).into_iter().map(|s| (s.key, s.value)).collect();
            let want: Vec<(String, String)> =
                want.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
            assert_eq!(got, want, "{text}");
        }
    }

    #[test]
    fn amounts_in_different_currencies_do_not_conflict() {
        let a =
            "The storm caused damage estimated at $5 million across the island, officials said.";
        let b = "The storm caused damage estimated at 4 million euros across the island, officials said.";
        let (batch, story) = batch_of(&[a, b], vec![vec![0], vec![1]]);
        assert!(find(&batch, &story).is_empty());
        let c =
            "The storm caused damage estimated at $8 million across the island, officials said.";
        let (batch, story) = batch_of(&[a, c], vec![vec![0], vec![1]]);
        let found = find(&batch, &story);
        assert_eq!(found.len(), 1, "{found:?}");
        assert_eq!(found[0].topic, "amount of money");
    }

    #[test]
    fn only_calendar_days_are_dates_and_an_unknown_year_matches_any() {
        let table = [
            ("2026-03-03", true),
            ("XXXX-03-03", true),
            ("XXXX-WXX-2", false),
            ("2026-W10-2", false),
            ("2026-03", false),
            ("2026-03-XX", false),
            ("PRESENT_REF", false),
        ];
        for (value, want) in table {
            assert_eq!(is_day(value), want, "{value}");
        }
        let day = |v: &str| Slot {
            key: "date".into(),
            label: "date".into(),
            value: v.into(),
            hedge: Hedge::Exact,
            number: 0.0,
        };
        assert!(compatible(&day("XXXX-12-06"), &day("2008-12-06")));
        assert!(!compatible(&day("XXXX-12-06"), &day("2008-12-13")));
        assert!(!compatible(&day("2007-12-06"), &day("2008-12-06")));
    }
}
