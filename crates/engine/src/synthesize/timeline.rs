//! Timeline: the story's dated events in order. A sentence holding DATE expressions with a
//! calendar value (`YYYY-MM-DD`, `YYYY-MM`, `YYYY`, `XXXX-MM-DD`) is one entry, under the
//! date of its event ([`event_dates`]): the first date that is not after the article's
//! publication and not the date of a report ("…, the authority said on Tuesday"), else the
//! first date not after publication. A date after publication is a scheduled event ("the
//! inquiry will open on April 14"): it gets an entry of its own, marked `scheduled`. A date
//! in the dateline ("MOSCOW, Dec 9 (Reuters) -") dates the report, not an event, and is
//! left out. Entries of one date whose sentences state the same fact are merged across
//! articles, and at most [`PER_DATE`] entries (the most reported) are kept per date. An
//! entry told in another language than the story's main one joins the main-language entry of
//! its date that tells the same event ([`join_foreign`]): the articles share an origin (or a
//! translation edge) and the anchors a translation keeps agree, or, for independent articles,
//! the anchors agree strongly; the main-language sentence stays the one shown.
//!
//! Ordering: a date without a year (`XXXX-11-27`, from an undated article) is placed in the
//! year of the latest publication date of the story's articles (the year before when the
//! day would fall after it); with no publication date at all it is placed after every
//! dated entry (news give year-less dates for the story's own recent days) and rendered
//! "27 November (year not stated)". Its reported value stays `XXXX-…`. Periods sort before
//! the days inside them.
//!
//! Background: an entry whose year lies [`BACKGROUND_YEARS`] or more before the story's
//! first publication (or, in a story without dates, before the latest year its entries
//! state) is history the story recalls ("captured in the 1967 war"), marked `background`
//! and rendered in its own list.

use std::collections::HashMap;
use std::sync::Arc;

use super::compare::Statement;
use super::crosslang::{self, Anchors};
use super::dateline;
use super::facts::Unit;
use crate::pipeline::{Batch, DerivedStory};
use crate::record::{ArticleIdx, TimeType};
use crate::report::{ConflictReport, TimelineEntry};
use chrono::{Datelike, NaiveDate};

/// Most entries kept per date.
pub const PER_DATE: usize = 2;
/// Entries this many years or more before the story's publication are background.
pub const BACKGROUND_YEARS: i32 = 2;

/// Verbs of reporting (English, French, Spanish, German, Italian, Portuguese): a date
/// right after one ("said on Tuesday", "a annoncé mardi") is the date of the report.
#[rustfmt::skip]
const REPORTING: &[&str] = &[
    "said", "says", "announced", "reported", "told", "confirmed", "stated", "added",
    "declared", "disclosed", "revealed", "annoncé", "déclaré", "indiqué", "affirmé",
    "rapporté", "précisé", "dijo", "anunció", "informó", "declaró", "afirmó", "sagte",
    "erklärte", "teilte", "berichtete", "mitteilte", "annunciato", "detto", "dichiarato",
    "riferito", "disse", "anunciou", "informou", "declarou", "afirmou",
];
/// Words a reporting verb may have before it reaches its date ("said late on Tuesday").
const REPORT_WINDOW: usize = 3;

/// (year, month, day) of a TIMEX3 calendar value; year `None` for `XXXX`; 0 for a missing part.
fn parse_value(v: &str) -> Option<(Option<i32>, u32, u32)> {
    let parts: Vec<&str> = v.split('-').collect();
    let num = |s: &str, len: usize| {
        (s.len() == len && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse::<u32>().ok())
            .flatten()
    };
    let year = match parts.first()? {
        &"XXXX" => None,
        y => Some(num(y, 4)? as i32),
    };
    let month = match parts.get(1) {
        Some(m) => num(m, 2).filter(|m| (1..=12).contains(m))?,
        None => 0,
    };
    let day = match parts.get(2) {
        Some(d) => num(d, 2).filter(|d| (1..=31).contains(d))?,
        None => 0,
    };
    if parts.len() > 3 || (year.is_none() && day == 0) {
        return None;
    }
    Some((year, month, day))
}

/// The calendar part of a TIMEX3 date value that names a part of the day or a clock time
/// (`2026-03-17TAF`, `2026-03-17T15:40` → `2026-03-17`); other values as they are.
fn calendar_day(v: &str) -> &str {
    match v.split_once('T') {
        Some((day, rest)) if day.len() == 10 && !rest.is_empty() => day,
        _ => v,
    }
}

struct Entry {
    date: String,
    ymd: (Option<i32>, u32, u32),
    /// Year used for ordering when the value has none.
    pub_year: Option<i32>,
    text: String,
    /// The sentence prepared for the same-fact test, shared by the entries of one text (a
    /// sentence with several dates, copies of it in other articles).
    stmt: Arc<Statement>,
    articles: Vec<ArticleIdx>,
    /// The date is after the article's publication: a scheduled event.
    scheduled: bool,
    /// The sentence is not in the story's main language (listed after those that are).
    foreign: bool,
    /// The language of the sentence's article.
    lang: String,
}

/// A calendar date in a sentence: its value, parsed value and byte offset.
struct Dated<'a> {
    value: &'a str,
    ymd: (Option<i32>, u32, u32),
    start: usize,
}

/// Whether a parsed value starts after `published` (a value without a year never does).
fn after(ymd: (Option<i32>, u32, u32), published: Option<NaiveDate>) -> bool {
    match (ymd.0, published) {
        (Some(y), Some(p)) => (y, ymd.1.max(1), ymd.2.max(1)) > (p.year(), p.month(), p.day()),
        _ => false,
    }
}

/// Whether the words of `before` (the sentence up to a date) end with a verb of reporting
/// and at most [`REPORT_WINDOW`] − 1 words after it.
fn reported_at(before: &str) -> bool {
    let words: Vec<String> = before
        .split(|c: char| !c.is_alphabetic())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let tail = words.len().saturating_sub(REPORT_WINDOW);
    words[tail..].iter().any(|w| REPORTING.contains(&w.as_str()))
}

/// The dates a sentence is listed under, each with whether it is scheduled (see the module
/// doc): the event's date, then every later date after publication. `sentence` is the
/// sentence's text from byte `from` of the article; `dates` are in text order.
fn event_dates<'d, 'a>(
    sentence: &str,
    from: usize,
    dates: &'d [Dated<'a>],
    published: Option<NaiveDate>,
) -> Vec<(&'d Dated<'a>, bool)> {
    let future = |d: &Dated| after(d.ymd, published);
    let reporting = |d: &Dated| {
        let at = d.start.saturating_sub(from);
        sentence.get(..at).is_some_and(reported_at)
    };
    let past: Vec<&Dated> = dates.iter().filter(|d| !future(d)).collect();
    let main = past.iter().find(|d| !reporting(d)).or(past.first()).copied().or(dates.first());
    let Some(main) = main else { return Vec::new() };
    let mut out = vec![(main, future(main))];
    for d in dates.iter().filter(|d| future(d)) {
        if out.iter().all(|(o, _)| o.value != d.value) {
            out.push((d, true));
        }
    }
    out
}

/// The language most of `members` are written in; on a tie, the earliest member's.
fn main_language<'b>(batch: &'b Batch, members: &[ArticleIdx]) -> Option<&'b str> {
    let mut counts: Vec<(&str, usize)> = Vec::new();
    for an in members.iter().filter_map(|&a| batch.analyzed.get(a)) {
        match counts.iter_mut().find(|c| c.0 == an.language) {
            Some(c) => c.1 += 1,
            None => counts.push((an.language.as_str(), 1)),
        }
    }
    // `max_by_key` keeps the last of equal counts: scan from the end.
    counts.iter().rev().max_by_key(|c| c.1).map(|c| c.0)
}

fn candidates(
    batch: &Batch,
    members: &[ArticleIdx],
    story_pub: Option<NaiveDate>,
    sentences: &[Unit],
) -> Vec<Entry> {
    let main = main_language(batch, members);
    let mut out: Vec<Entry> = Vec::new();
    // The statements already prepared for the story's sentence units serve the entries of
    // the same text (a statement is a function of its words alone: trimming changes none).
    let mut prepared: HashMap<&str, Arc<Statement>> = HashMap::new();
    for u in sentences {
        if let Some(rep) = batch.repaired.get(u.article) {
            prepared.entry(u.span.slice(&rep.text).trim()).or_insert_with(|| u.stmt.clone());
        }
    }
    for &a in members {
        let (Some(rep), Some(an)) = (batch.repaired.get(a), batch.analyzed.get(a)) else {
            continue;
        };
        let foreign = main.is_some_and(|m| m != an.language);
        let published = batch.articles.get(a).and_then(|x| x.date);
        // The article's calendar dates, grouped by sentence (times are in text order).
        let mut groups: Vec<(usize, Vec<Dated>)> = Vec::new();
        for t in an.times.iter().filter(|t| t.kind == TimeType::Date) {
            // "Tuesday afternoon" (2026-03-17TAF) is dated by its day.
            let value = calendar_day(&t.value);
            let Some(ymd) = parse_value(value) else {
                continue;
            };
            let Some(k) = an.sentences.iter().position(|s| s.span.contains(t.span)) else {
                continue;
            };
            let d = Dated { value, ymd, start: t.span.start };
            match groups.last_mut() {
                Some((last, ds)) if *last == k => ds.push(d),
                _ => groups.push((k, vec![d])),
            }
        }
        for (k, mut dates) in groups {
            let span = dateline::trim(&rep.text, &an.sentences, an.sentences[k].span);
            // A date in the dateline dates the report, not an event.
            dates.retain(|d| d.start >= span.start);
            let text = span.slice(&rep.text).trim().to_string();
            let sentence = span.slice(&rep.text);
            for (d, scheduled) in event_dates(sentence, span.start, &dates, published) {
                // The same sentence again (a copy, or a repeated paragraph): one entry.
                if let Some(e) = out.iter_mut().find(|e| e.date == d.value && e.text == text) {
                    if !e.articles.contains(&a) {
                        e.articles.push(a);
                    }
                    continue;
                }
                let pub_year = published.or(story_pub).map(|p| {
                    let after = (d.ymd.1, d.ymd.2) > (p.month(), p.day());
                    p.year() - i32::from(after)
                });
                out.push(Entry {
                    date: d.value.to_string(),
                    ymd: d.ymd,
                    pub_year,
                    stmt: prepared
                        .entry(sentence.trim())
                        .or_insert_with_key(|t| Arc::new(Statement::new(t)))
                        .clone(),
                    text: text.clone(),
                    articles: vec![a],
                    scheduled,
                    foreign,
                    lang: an.language.clone(),
                });
            }
        }
    }
    out
}

/// Anchor agreement ([`crosslang::similarity`]) a foreign sentence needs to join a
/// main-language entry of an article of the same origin.
const TRANSLATED_MIN: f32 = 0.35;
/// Anchor agreement needed between sentences of independent articles, with
/// [`INDEPENDENT_ANCHORS`] shared names and numbers.
const INDEPENDENT_MIN: f32 = 0.6;
/// Names and numbers sentences of independent articles in different languages must share.
const INDEPENDENT_ANCHORS: usize = 2;

/// Merges each entry told in another language than the story's main one into the
/// main-language entry of the same date that tells the same event, if any (the best by
/// anchor agreement; an entry takes at most one sentence of each foreign article).
fn join_foreign(merged: &mut Vec<Entry>, story: &DerivedStory) {
    if merged.iter().all(|e| !e.foreign) {
        return;
    }
    // One reading per distinct text and language (the anchors are a function of both).
    let mut first: HashMap<(&str, &str), usize> = HashMap::new();
    let mut read: Vec<Anchors> = Vec::new();
    let slot: Vec<usize> = merged
        .iter()
        .map(|e| {
            *first.entry((e.text.as_str(), e.lang.as_str())).or_insert_with(|| {
                read.push(Anchors::new(&e.text, &e.lang));
                read.len() - 1
            })
        })
        .collect();
    let anchors: Vec<&Anchors> = slot.iter().map(|&k| &read[k]).collect();
    let mut absorbed = vec![false; merged.len()];
    let foreign: Vec<usize> = (0..merged.len()).filter(|&f| merged[f].foreign).collect();
    for f in foreign {
        let Some(&from) = merged[f].articles.first() else { continue };
        let score = |m: usize| {
            let e = &merged[m];
            if e.foreign || absorbed[m] || e.date != merged[f].date || e.articles.contains(&from) {
                return 0.0;
            }
            let (x, y) = (anchors[m], anchors[f]);
            let s = crosslang::similarity(x, y);
            if e.articles.iter().any(|&a| crosslang::related(story, a, from)) {
                if s >= TRANSLATED_MIN {
                    s
                } else {
                    0.0
                }
            } else if s >= INDEPENDENT_MIN && x.shared_anchors(y) >= INDEPENDENT_ANCHORS {
                s
            } else {
                0.0
            }
        };
        let best = (0..merged.len()).map(|m| (m, score(m))).max_by(|a, b| a.1.total_cmp(&b.1));
        if let Some((m, _)) = best.filter(|b| b.1 > 0.0) {
            let arts = merged[f].articles.clone();
            for a in arts {
                if !merged[m].articles.contains(&a) {
                    merged[m].articles.push(a);
                }
            }
            absorbed[f] = true;
        }
    }
    let mut k = 0;
    merged.retain(|_| {
        k += 1;
        !absorbed[k - 1]
    });
}

/// Orders the story's dated events.
pub fn build(batch: &Batch, story: &DerivedStory) -> Vec<TimelineEntry> {
    build_with(batch, story, &[])
}

/// [`build`], with the story's sentence units ([`super::facts::units_and_sentences`]) whose
/// statements need not be prepared again.
pub fn build_with(batch: &Batch, story: &DerivedStory, sentences: &[Unit]) -> Vec<TimelineEntry> {
    let members = &story.story.articles;
    let dates: Vec<NaiveDate> =
        members.iter().filter_map(|&a| batch.articles.get(a).and_then(|x| x.date)).collect();
    let mut merged: Vec<Entry> = Vec::new();
    for e in candidates(batch, members, dates.iter().max().copied(), sentences) {
        let same = merged.iter_mut().find(|m| {
            m.date == e.date
                && (m.text == e.text || m.stmt.same_fact(&e.stmt))
                && !m.articles.contains(&e.articles[0])
        });
        match same {
            Some(m) => m.articles.extend(e.articles),
            None => merged.push(e),
        }
    }
    join_foreign(&mut merged, story);
    // The story's first publication year, else the latest year its (past) entries state.
    let first_year = dates
        .iter()
        .min()
        .map(|d| d.year())
        .or_else(|| merged.iter().filter(|e| !e.scheduled).filter_map(|e| e.ymd.0).max());
    // A year-less date with no publication date to place it goes after every dated entry.
    let key = |e: &Entry| {
        let y = e.ymd.0.or(e.pub_year).unwrap_or(i32::MAX);
        (y, e.ymd.1, e.ymd.2)
    };
    // Stable: among equal dates, the most reported first, then those in the story's main
    // language, then input order.
    merged.sort_by(|a, b| {
        key(a)
            .cmp(&key(b))
            .then(b.articles.len().cmp(&a.articles.len()))
            .then(a.foreign.cmp(&b.foreign))
    });
    let mut out: Vec<TimelineEntry> = Vec::new();
    for e in merged {
        if out.iter().filter(|o| o.date == e.date).count() >= PER_DATE {
            continue;
        }
        out.push(TimelineEntry {
            date: e.date,
            text: e.text,
            articles: e
                .articles
                .iter()
                .filter_map(|&a| batch.articles.get(a))
                .map(|a| a.id.clone())
                .collect(),
            conflict: None,
            scheduled: e.scheduled,
            background: matches!((e.ymd.0, first_year), (Some(y), Some(f)) if y <= f - BACKGROUND_YEARS),
        });
    }
    out
}

/// Marks each entry whose sentence gives a side of a date conflict (found by
/// [`super::conflicts`] on sentence pairs of different origins) with that conflict's topic:
/// the entry's date is disputed by another origin.
pub fn mark_conflicts(entries: &mut [TimelineEntry], conflicts: &[ConflictReport]) {
    for c in conflicts.iter().filter(|c| c.kind == "date") {
        for side in &c.sides {
            for sup in &side.support {
                let gives = |e: &TimelineEntry| {
                    e.date == side.value
                        && e.articles.contains(&sup.article)
                        && e.text.contains(sup.sentence.trim())
                };
                for e in entries.iter_mut().filter(|e| e.conflict.is_none() && gives(e)) {
                    e.conflict = Some(c.topic.clone());
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::{Span, TimeExpr};
    use crate::synthesize::facts::tests::batch_of;

    fn add_time(batch: &mut Batch, article: usize, needle: &str, value: &str, kind: TimeType) {
        let text = &batch.repaired[article].text;
        let start = text.find(needle).expect("needle in text");
        batch.analyzed[article].times.push(TimeExpr {
            span: Span::new(start, start + needle.len()),
            text: needle.into(),
            kind,
            value: value.into(),
        });
    }

    #[test]
    fn parses_calendar_values_only() {
        let table = [
            ("2024-12-08", Some((Some(2024), 12, 8))),
            ("XXXX-11-27", Some((None, 11, 27))),
            ("2024-12", Some((Some(2024), 12, 0))),
            ("2011", Some((Some(2011), 0, 0))),
            ("PRESENT_REF", None),
            ("P9Y", None),
            ("2024-W49", None),
            ("XXXX", None),
            ("2024-13-01", None),
        ];
        for (v, want) in table {
            assert_eq!(parse_value(v), want, "{v}");
        }
    }

    #[test]
    fn a_part_of_the_day_dates_by_its_day() {
        let table = [
            ("2026-03-17TAF", "2026-03-17"),
            ("2026-03-17TNI", "2026-03-17"),
            ("2026-03-18T15:40", "2026-03-18"),
            ("XXXX-11-27TMO", "XXXX-11-27"),
            ("2026-03-17", "2026-03-17"),
            ("2024-W49", "2024-W49"),
            ("PRESENT_REF", "PRESENT_REF"),
            ("T", "T"),
        ];
        for (v, want) in table {
            assert_eq!(calendar_day(v), want, "{v}");
        }
    }

    #[test]
    fn orders_and_merges_dated_events() {
        let a = "On December 8, rebels entered Damascus and the army withdrew from the capital.\nOn November 27, opposition units launched a large attack on government positions in Aleppo.\nBy December 7, opponents had captured several major cities including Hama and Homs.\nThe war began in 2011 after protests were crushed.";
        let b = "Rebels entered Damascus on December 8 and the army withdrew from the capital.\nHe spoke for nine years.";
        let (mut batch, story) = batch_of(&[a, b], vec![vec![0], vec![1]]);
        add_time(&mut batch, 0, "December 8", "XXXX-12-08", TimeType::Date);
        add_time(&mut batch, 0, "November 27", "XXXX-11-27", TimeType::Date);
        add_time(&mut batch, 0, "December 7", "XXXX-12-07", TimeType::Date);
        add_time(&mut batch, 0, "2011", "2011", TimeType::Date);
        add_time(&mut batch, 1, "December 8", "XXXX-12-08", TimeType::Date);
        add_time(&mut batch, 1, "nine years", "P9Y", TimeType::Duration);
        batch.articles[0].date = chrono::NaiveDate::from_ymd_opt(2024, 12, 9);
        let t = build(&batch, &story);
        let dates: Vec<&str> = t.iter().map(|e| e.date.as_str()).collect();
        assert_eq!(dates, ["2011", "XXXX-11-27", "XXXX-12-07", "XXXX-12-08"]);
        assert_eq!(t[3].articles, ["a0", "a1"]);
    }

    #[test]
    fn a_sentence_is_listed_under_its_event_and_its_scheduled_dates() {
        // (sentence, its dates (surface, value) in order, publication date, wanted
        // (value, scheduled) in order)
        type Case = (
            &'static str,
            &'static [(&'static str, &'static str)],
            &'static str,
            &'static [(&'static str, bool)],
        );
        let table: &[Case] = &[
            (
                "Three people have died, the VMSA announced on Tuesday, the daily reported on Wednesday.",
                &[("Tuesday", "2026-03-03"), ("Wednesday", "2026-03-04")],
                "2026-03-04",
                &[("2026-03-03", false)],
            ),
            (
                "The ferry that capsized on Tuesday lost both engines, the coast guard said on Friday.",
                &[("Tuesday", "2026-03-17"), ("Friday", "2026-03-20")],
                "2026-03-20",
                &[("2026-03-17", false)],
            ),
            (
                "On Friday, the minister announced that an inquiry would open on April 14, 2026.",
                &[("Friday", "2026-03-06"), ("April 14, 2026", "2026-04-14")],
                "2026-03-07",
                &[("2026-03-06", false), ("2026-04-14", true)],
            ),
            (
                "The work was carried out in April 2025 and signed off in May 2025.",
                &[("April 2025", "2025-04"), ("May 2025", "2025-05")],
                "2026-03-07",
                &[("2025-04", false)],
            ),
            (
                "The hearing will open on April 14.",
                &[("April 14", "2026-04-14")],
                "2026-03-07",
                &[("2026-04-14", true)],
            ),
            (
                "The authority said on Tuesday that the ferry sailed in March.",
                &[("Tuesday", "2026-03-03"), ("March", "2026-03")],
                "2026-03-04",
                &[("2026-03", false)],
            ),
            (
                "On December 8, they entered Damascus; on December 9 they spoke.",
                &[("December 8", "XXXX-12-08"), ("December 9", "XXXX-12-09")],
                "",
                &[("XXXX-12-08", false)],
            ),
        ];
        for (sentence, dates, published, want) in table {
            let dated: Vec<Dated> = dates
                .iter()
                .map(|(surface, value)| Dated {
                    value,
                    ymd: parse_value(value).expect("a calendar value"),
                    start: 10 + sentence.find(surface).expect("surface in sentence"),
                })
                .collect();
            let published = NaiveDate::parse_from_str(published, "%Y-%m-%d").ok();
            let got: Vec<(&str, bool)> = event_dates(sentence, 10, &dated, published)
                .into_iter()
                .map(|(d, scheduled)| (d.value, scheduled))
                .collect();
            assert_eq!(got, *want, "{sentence}");
        }
    }

    #[test]
    fn year_less_dates_go_last_without_publication_dates_and_old_years_are_background() {
        let a = "On November 27, opposition units launched a large attack on government positions.\nThe war began in 2011 after protests were crushed by the army.\nTalks were held in Istanbul in 2022 between the delegations.";
        // (publication date of the article, wanted (date, background) in order)
        type Case = (Option<NaiveDate>, &'static [(&'static str, bool)]);
        let table: [Case; 2] = [
            (None, &[("2011", true), ("2022", false), ("XXXX-11-27", false)]),
            (
                NaiveDate::from_ymd_opt(2024, 12, 9),
                &[("2011", true), ("2022", true), ("XXXX-11-27", false)],
            ),
        ];
        for (published, want) in table {
            let (mut batch, story) = batch_of(&[a], vec![vec![0]]);
            add_time(&mut batch, 0, "November 27", "XXXX-11-27", TimeType::Date);
            add_time(&mut batch, 0, "2011", "2011", TimeType::Date);
            add_time(&mut batch, 0, "2022", "2022", TimeType::Date);
            batch.articles[0].date = published;
            let got: Vec<(String, bool)> =
                build(&batch, &story).into_iter().map(|e| (e.date, e.background)).collect();
            let want: Vec<(String, bool)> = want.iter().map(|(d, b)| (d.to_string(), *b)).collect();
            assert_eq!(got, want, "{published:?}");
        }
    }

    #[test]
    fn year_less_dates_take_the_year_of_the_story_s_other_articles() {
        let a = "On November 27, opposition units launched a large attack on government positions.";
        let b = "The leaders will hold a summit in 2025 in Geneva, the ministry said.";
        // (publication date of the other article, wanted dates in order)
        let table: [(Option<NaiveDate>, [&str; 2]); 2] = [
            (NaiveDate::from_ymd_opt(2024, 12, 9), ["XXXX-11-27", "2025"]),
            (None, ["2025", "XXXX-11-27"]),
        ];
        for (published, want) in table {
            let (mut batch, story) = batch_of(&[a, b], vec![vec![0], vec![1]]);
            add_time(&mut batch, 0, "November 27", "XXXX-11-27", TimeType::Date);
            add_time(&mut batch, 1, "2025", "2025", TimeType::Date);
            batch.articles[1].date = published;
            let got: Vec<String> = build(&batch, &story).into_iter().map(|e| e.date).collect();
            assert_eq!(got, want, "{published:?}");
        }
    }

    #[test]
    fn an_event_told_in_two_languages_is_one_entry() {
        let en = "Inspectors had flagged corrosion on the Orla Grey\u{2019}s hull in January 2025, VMSA records show.\nThree people died and 11 were missing off Kessaly Point on Tuesday.";
        let fr = "Des inspecteurs avaient signal\u{e9} de la corrosion sur la coque de l\u{2019}Orla Grey en janvier 2025.\nTrois personnes sont mortes et onze sont port\u{e9}es disparues au large de Kessaly Point mardi.\nLe ministre a visit\u{e9} le port en janvier 2025 avec sa famille.";
        // (origin groups, translation edges (article, from), wanted (date, articles) in order)
        type Case = (
            Vec<Vec<usize>>,
            Vec<(usize, usize)>,
            &'static [(&'static str, &'static [&'static str])],
        );
        let merged: &[(&str, &[&str])] =
            &[("2025-01", &["a0", "a1"]), ("2025-01", &["a1"]), ("2026-03-03", &["a0", "a1"])];
        let table: Vec<Case> = vec![
            (vec![vec![0, 1]], vec![], merged),
            (vec![vec![0], vec![1]], vec![(1, 0)], merged),
            // Independent articles: the names and numbers shared are strong enough.
            (vec![vec![0], vec![1]], vec![], merged),
        ];
        for (groups, edges, want) in table {
            let (mut batch, mut story) = batch_of(&[en, fr], groups.clone());
            story.derivations = crate::synthesize::crosslang::translation_edges(&edges);
            batch.analyzed[0].language = "en".into();
            batch.analyzed[1].language = "fr".into();
            add_time(&mut batch, 0, "January 2025", "2025-01", TimeType::Date);
            add_time(&mut batch, 0, "Tuesday", "2026-03-03", TimeType::Date);
            add_time(&mut batch, 1, "janvier 2025", "2025-01", TimeType::Date);
            add_time(&mut batch, 1, "mardi", "2026-03-03", TimeType::Date);
            add_time(&mut batch, 1, "janvier 2025 avec", "2025-01", TimeType::Date);
            let t = build(&batch, &story);
            let got: Vec<(&str, Vec<&str>)> = t
                .iter()
                .map(|e| (e.date.as_str(), e.articles.iter().map(String::as_str).collect()))
                .collect();
            let want: Vec<(&str, Vec<&str>)> = want.iter().map(|(d, a)| (*d, a.to_vec())).collect();
            assert_eq!(got, want, "{groups:?} {edges:?}");
            // The main-language sentence is the one shown.
            assert!(t[0].text.starts_with("Inspectors"), "{:?}", t[0]);
            assert!(t[2].text.starts_with("Three"), "{:?}", t[2]);
        }
    }

    #[test]
    fn an_unrelated_foreign_sentence_of_the_same_date_stays_apart() {
        let en = "Three people died and 11 were missing off Kessaly Point on Tuesday.";
        let de = "Der Minister besuchte am Dienstag den Hafen von Tarvik.";
        let (mut batch, story) = batch_of(&[en, de], vec![vec![0, 1]]);
        batch.analyzed[0].language = "en".into();
        batch.analyzed[1].language = "de".into();
        add_time(&mut batch, 0, "Tuesday", "2026-03-03", TimeType::Date);
        add_time(&mut batch, 1, "Dienstag", "2026-03-03", TimeType::Date);
        let t = build(&batch, &story);
        let got: Vec<&[String]> = t.iter().map(|e| e.articles.as_slice()).collect();
        assert_eq!(got, [["a0"], ["a1"]]);
    }

    #[test]
    fn disputed_dates_are_marked() {
        let a = "Rebel forces entered the capital Damascus and the army withdrew on December 8.\nThe war began in 2011 after protests were crushed.";
        let b = "Rebel forces entered the capital Damascus and the army withdrew on December 7.";
        let c = "Rebel forces entered the capital Damascus and the army withdrew on December 7.";
        // (origin groups, entries expected marked)
        let table: [(Vec<Vec<usize>>, usize); 2] =
            [(vec![vec![0], vec![1, 2]], 2), (vec![vec![0, 1, 2]], 0)];
        for (groups, want) in table {
            let (mut batch, story) = batch_of(&[a, b, c], groups);
            add_time(&mut batch, 0, "December 8", "XXXX-12-08", TimeType::Date);
            add_time(&mut batch, 0, "2011", "2011", TimeType::Date);
            add_time(&mut batch, 1, "December 7", "XXXX-12-07", TimeType::Date);
            add_time(&mut batch, 2, "December 7", "XXXX-12-07", TimeType::Date);
            let conflicts = crate::synthesize::conflicts::find(&batch, &story);
            let mut t = build(&batch, &story);
            mark_conflicts(&mut t, &conflicts);
            let marked: Vec<&TimelineEntry> = t.iter().filter(|e| e.conflict.is_some()).collect();
            assert_eq!(marked.len(), want, "{t:#?} {conflicts:#?}");
            if want > 0 {
                let c = conflicts.iter().find(|c| c.kind == "date").expect("a date conflict");
                assert!(marked.iter().all(|e| e.conflict.as_deref() == Some(c.topic.as_str())));
                let dates: Vec<&str> = marked.iter().map(|e| e.date.as_str()).collect();
                assert_eq!(dates, ["XXXX-12-07", "XXXX-12-08"]);
                assert_eq!(marked[0].articles, ["a1", "a2"]);
            }
            assert!(t.iter().any(|e| e.date == "2011" && e.conflict.is_none()));
        }
    }
}
