//! Timeline: the story's dated events in order. Every sentence holding a DATE expression with
//! a calendar value (`YYYY-MM-DD`, `YYYY-MM`, `YYYY`, `XXXX-MM-DD`) is an entry; entries of
//! one date whose sentences state the same fact are merged across articles, and at most
//! [`PER_DATE`] entries (the most reported) are kept per date.
//!
//! Ordering: a date without a year (`XXXX-11-27`) is placed in the year of the publication
//! date of the article that gives it (the year before when the day would fall after the
//! publication date), else in the most common year of the story's dated entries; its
//! reported value stays `XXXX-…`. Periods sort before the days inside them.

use super::compare::Statement;
use super::dateline;
use crate::pipeline::Batch;
use crate::record::{ArticleIdx, TimeType};
use crate::report::{ConflictReport, TimelineEntry};
use chrono::Datelike;

/// Most entries kept per date.
pub const PER_DATE: usize = 2;

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

struct Entry {
    date: String,
    ymd: (Option<i32>, u32, u32),
    /// Year used for ordering when the value has none.
    pub_year: Option<i32>,
    text: String,
    stmt: Statement,
    articles: Vec<ArticleIdx>,
}

fn candidates(batch: &Batch, members: &[ArticleIdx]) -> Vec<Entry> {
    let mut out: Vec<Entry> = Vec::new();
    for &a in members {
        let (Some(rep), Some(an)) = (batch.repaired.get(a), batch.analyzed.get(a)) else {
            continue;
        };
        let published = batch.articles.get(a).and_then(|x| x.date);
        for t in an.times.iter().filter(|t| t.kind == TimeType::Date) {
            let Some(ymd) = parse_value(&t.value) else {
                continue;
            };
            let Some(s) = an.sentences.iter().find(|s| s.span.contains(t.span)) else {
                continue;
            };
            let text = dateline::trim(&rep.text, &an.sentences, s.span).slice(&rep.text);
            let text = text.trim().to_string();
            // The same sentence again (a copy, or a repeated paragraph): one entry.
            if let Some(e) = out.iter_mut().find(|e| e.date == t.value && e.text == text) {
                if !e.articles.contains(&a) {
                    e.articles.push(a);
                }
                continue;
            }
            let pub_year = published.map(|p| {
                let after = (ymd.1, ymd.2) > (p.month(), p.day());
                p.year() - i32::from(after)
            });
            let stmt = Statement::new(&text);
            out.push(Entry { date: t.value.clone(), ymd, pub_year, text, stmt, articles: vec![a] });
        }
    }
    out
}

/// Orders the story's dated events.
pub fn build(batch: &Batch, members: &[ArticleIdx]) -> Vec<TimelineEntry> {
    let mut merged: Vec<Entry> = Vec::new();
    for e in candidates(batch, members) {
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
    let mut years: Vec<i32> = merged.iter().filter_map(|e| e.ymd.0).collect();
    years.sort_unstable();
    let common_year =
        years.chunk_by(|a, b| a == b).max_by_key(|c| c.len()).and_then(|c| c.first().copied());
    let key = |e: &Entry| {
        let y = e.ymd.0.or(e.pub_year).or(common_year).unwrap_or(0);
        (y, e.ymd.1, e.ymd.2)
    };
    // Stable: among equal dates, the most reported first, then input order.
    merged.sort_by(|a, b| key(a).cmp(&key(b)).then(b.articles.len().cmp(&a.articles.len())));
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
    fn orders_and_merges_dated_events() {
        let a = "On December 8, rebels entered Damascus and the army withdrew from the capital.\nOn November 27, opposition units launched a large attack on government positions in Aleppo.\nBy December 7, opponents had captured several major cities including Hama and Homs.\nThe war began in 2011 after protests were crushed.";
        let b = "Rebels entered Damascus on December 8 and the army withdrew from the capital.\nHe spoke for nine years.";
        let (mut batch, _) = batch_of(&[a, b], vec![vec![0], vec![1]]);
        add_time(&mut batch, 0, "December 8", "XXXX-12-08", TimeType::Date);
        add_time(&mut batch, 0, "November 27", "XXXX-11-27", TimeType::Date);
        add_time(&mut batch, 0, "December 7", "XXXX-12-07", TimeType::Date);
        add_time(&mut batch, 0, "2011", "2011", TimeType::Date);
        add_time(&mut batch, 1, "December 8", "XXXX-12-08", TimeType::Date);
        add_time(&mut batch, 1, "nine years", "P9Y", TimeType::Duration);
        batch.articles[0].date = chrono::NaiveDate::from_ymd_opt(2024, 12, 9);
        let t = build(&batch, &[0, 1]);
        let dates: Vec<&str> = t.iter().map(|e| e.date.as_str()).collect();
        assert_eq!(dates, ["2011", "XXXX-11-27", "XXXX-12-07", "XXXX-12-08"]);
        assert_eq!(t[3].articles, ["a0", "a1"]);
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
            let mut t = build(&batch, &[0, 1, 2]);
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
