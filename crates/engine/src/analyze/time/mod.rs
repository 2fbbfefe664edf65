//! Time expressions (TIMEX3 / TempEval-3 conventions): finds dates, times, durations, sets
//! and vague references in a text and normalises each to a TIMEX3 value, resolving relative
//! ones ("last week", "on Monday", "November 27") against the article date.
//!
//! Hand-written rules (in the spirit of HeidelTime) because no Rust crate does TIMEX3:
//! `rules.rs` holds one regex per expression family plus its normaliser, `resolve.rs` the
//! calendar arithmetic, `lexicon.rs` the word lists. `europe.rs` adds French, Spanish,
//! German, Italian and Portuguese rules for articles detected in those languages. This file
//! keeps the longest non-overlapping matches and builds the records.

mod europe;
mod gate;
mod lexicon;
mod resolve;
mod rules;

use chrono::NaiveDate;

use crate::record::{Span, TimeExpr};

/// Finds time expressions, resolving relative ones against `anchor` (the article date).
/// Without an anchor, relative values keep unknown parts as `X` (`XXXX-11-27`) or become
/// `PAST_REF`/`PRESENT_REF`/`FUTURE_REF`.
pub fn extract(text: &str, anchor: Option<NaiveDate>) -> Vec<TimeExpr> {
    extract_in(text, anchor, "en")
}

/// [`extract`] for a text in language `lang` (ISO 639-1, as
/// [`crate::analyze::language::detect`] gives it): the English rules, plus those of the
/// language when it is one of French, Spanish, German, Italian or Portuguese.
pub fn extract_in(text: &str, anchor: Option<NaiveDate>, lang: &str) -> Vec<TimeExpr> {
    let mut found = rules::find_all(text, anchor);
    if europe::supported(lang) {
        found.extend(europe::find_all(text, anchor, lang));
    }
    // Longest first; on equal length the earlier start, then the earlier rule (stable sort).
    found.sort_by_key(|f| (std::cmp::Reverse(f.end - f.start), f.start));
    let mut kept: Vec<rules::Found> = Vec::new();
    for f in found {
        if f.end > f.start && kept.iter().all(|k| f.end <= k.start || f.start >= k.end) {
            kept.push(f);
        }
    }
    kept.sort_by_key(|f| f.start);
    resolve_anaphora(&mut kept, anchor);
    kept.into_iter()
        .map(|f| TimeExpr {
            span: Span::new(f.start, f.end),
            text: text.get(f.start..f.end).unwrap_or("").to_string(),
            kind: f.kind,
            value: f.value,
        })
        .collect()
}

/// Re-anchors the expressions that refer back (`a year earlier`, `the quarter`, `that year`)
/// to the last quarter or year mentioned before them, in text order. Without such a mention
/// they keep their article-date value. Quarters that start after the article date are
/// forecasts, not the period reported on, and are not taken as references.
fn resolve_anaphora(found: &mut [rules::Found], anchor: Option<NaiveDate>) {
    use chrono::Datelike;
    use rules::Anaphor;
    let Some(a) = anchor else { return };
    // Index (year × 4 + quarter − 1) of the anchor's quarter.
    let now = a.year() * 4 + (a.month() as i32 - 1) / 3;
    let mut quarter: Option<(i32, u32)> = None;
    let mut year: Option<i32> = None;
    for f in found.iter_mut() {
        match f.anaphor {
            Anaphor::YearsBack(n) => {
                if let Some((y, q)) = quarter {
                    // A quarter already a year old is itself the one compared with.
                    let old = now - (y * 4 + q as i32 - 1) >= 4;
                    f.value = format!("{:04}-Q{q}", if old { y } else { y - n });
                }
            }
            Anaphor::SameQuarter => {
                if let Some((y, q)) = quarter {
                    f.value = format!("{y:04}-Q{q}");
                }
            }
            Anaphor::SameYear => {
                if let Some(y) = year {
                    f.value = format!("{y:04}");
                }
            }
            Anaphor::NoRef => {}
            Anaphor::None => {
                if let Some((y, q)) = parse_quarter(&f.value) {
                    if y * 4 + q as i32 - 1 <= now {
                        quarter = Some((y, q));
                    }
                }
                if let Some(y) = f.value.get(..4).and_then(|y| y.parse().ok()) {
                    if f.kind != crate::record::TimeType::Duration {
                        year = Some(y);
                    }
                }
            }
        }
    }
}

/// `YYYY-Qn` → (year, quarter).
fn parse_quarter(v: &str) -> Option<(i32, u32)> {
    let (y, q) = v.split_once("-Q")?;
    let q: u32 = q.parse().ok()?;
    (y.len() == 4 && (1..=4).contains(&q)).then_some((y.parse().ok()?, q))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::TimeType::{self, *};

    fn d(s: &str) -> Option<NaiveDate> {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").ok()
    }

    /// (text, anchor, expected (surface, type, value) in order).
    type Case = (&'static str, &'static str, &'static [(&'static str, TimeType, &'static str)]);

    #[test]
    fn table() {
        let cases: &[Case] = &[
            ("It happened November 27.", "2024-12-09", &[("November 27", Date, "2024-11-27")]),
            ("On December 8 they met.", "2024-12-09", &[("December 8", Date, "2024-12-08")]),
            ("He spoke on Monday.", "2024-12-10", &[("Monday", Date, "2024-12-09")]),
            ("The loan is due by June.", "2024-12-10", &[("June", Date, "2025-06")]),
            (
                "Profit fell in the last half of 2023.",
                "2024-12-10",
                &[("the last half of 2023", Date, "2023-H2")],
            ),
            (
                "It lasts through the first two quarters of 2025.",
                "2024-12-10",
                &[("the first two quarters of 2025", Date, "2025-H1")],
            ),
            (
                "The pay rise is effective March 1.",
                "2024-12-10",
                &[("March 1", Date, "2025-03-01")],
            ),
            ("He was seen last night.", "2024-12-09", &[("last night", Time, "2024-12-08TNI")]),
            (
                "It grew over the past nine years.",
                "2024-12-09",
                &[("the past nine years", Duration, "P9Y")],
            ),
            ("It was founded in 2015.", "2024-12-09", &[("2015", Date, "2015")]),
            ("Sent 2015 troops there.", "2024-12-09", &[]),
            (
                "December 8, 2024 was cold.",
                "2020-01-01",
                &[("December 8, 2024", Date, "2024-12-08")],
            ),
            ("Born 8 December 2024.", "2020-01-01", &[("8 December 2024", Date, "2024-12-08")]),
            ("Due Dec. 8.", "2024-12-01", &[("Dec. 8", Date, "2024-12-08")]),
            (
                "Filed 2024-12-08 at noon.",
                "2024-12-09",
                &[("2024-12-08", Date, "2024-12-08"), ("noon", Time, "2024-12-09T12:00")],
            ),
            ("Filed 12/08/2024.", "2024-12-09", &[("12/08/2024", Date, "2024-12-08")]),
            ("It happened November 27.", "", &[("November 27", Date, "XXXX-11-27")]),
            ("Sales rose in December.", "2024-12-09", &[("December", Date, "2024-12")]),
            ("Sales rose in March.", "2024-12-09", &[("March", Date, "2025-03")]),
            ("The vote is in January.", "2024-12-09", &[("January", Date, "2025-01")]),
            ("He may go.", "2024-12-09", &[]),
            ("Unrest since 2011.", "2024-12-09", &[("2011", Date, "2011")]),
            ("Music of the 1990s.", "2024-12-09", &[("the 1990s", Date, "199")]),
            ("He spoke Tuesday.", "2024-12-13", &[("Tuesday", Date, "2024-12-10")]),
            ("He will speak Tuesday.", "2024-12-13", &[("Tuesday", Date, "2024-12-17")]),
            // A modal of the future seen from the past governs its own verb phrase only.
            (
                "The council said it would hold a meeting on Friday.",
                "2026-03-18",
                &[("Friday", Date, "2026-03-20")],
            ),
            (
                "The ferry is due to sail on Monday.",
                "2026-03-18",
                &[("Monday", Date, "2026-03-23")],
            ),
            (
                "They said they would appeal the decision, announced Wednesday.",
                "2026-03-20",
                &[("Wednesday", Date, "2026-03-18")],
            ),
            (
                "He said they would fight Wednesday's ruling.",
                "2026-03-20",
                &[("Wednesday", Date, "2026-03-18")],
            ),
            (
                "It would be wrong, the minister told reporters on Monday.",
                "2026-03-18",
                &[("Monday", Date, "2026-03-16")],
            ),
            ("They meet next Monday.", "2024-12-09", &[("next Monday", Date, "2024-12-16")]),
            (
                "Today and yesterday, not tomorrow.",
                "2024-12-09",
                &[
                    ("Today", Date, "2024-12-09"),
                    ("yesterday", Date, "2024-12-08"),
                    ("tomorrow", Date, "2024-12-10"),
                ],
            ),
            ("It rained this week.", "2024-12-09", &[("this week", Date, "2024-W50")]),
            ("It rained last week.", "2024-12-09", &[("last week", Date, "2024-W49")]),
            ("Prices fall next month.", "2024-12-09", &[("next month", Date, "2025-01")]),
            ("Profit fell last year.", "2024-12-09", &[("last year", Date, "2023")]),
            (
                "Profit fell the previous year.",
                "2024-12-09",
                &[("the previous year", Date, "2023")],
            ),
            ("Profit rose this year.", "2024-12-09", &[("this year", Date, "2024")]),
            ("He left two days ago.", "2024-12-09", &[("two days ago", Date, "2024-12-07")]),
            (
                "Three weeks earlier he came.",
                "2024-12-09",
                &[("Three weeks earlier", Date, "2024-W47")],
            ),
            ("Fighting over the weekend.", "2024-12-09", &[("the weekend", Date, "2024-W49-WE")]),
            ("At 3 p.m. he spoke.", "2024-12-09", &[("3 p.m.", Time, "2024-12-09T15:00")]),
            ("At 15:30 he spoke.", "2024-12-09", &[("15:30", Time, "2024-12-09T15:30")]),
            ("He said this morning.", "2024-12-08", &[("this morning", Time, "2024-12-08TMO")]),
            ("He served nine years.", "2024-12-09", &[("nine years", Duration, "P9Y")]),
            ("A 49-year-old man died.", "2024-12-09", &[]),
            ("A 49-year sentence.", "2024-12-09", &[("49-year", Duration, "P49Y")]),
            ("It lasted three days.", "2024-12-09", &[("three days", Duration, "P3D")]),
            ("It lasted two decades.", "2024-12-09", &[("two decades", Duration, "P20Y")]),
            ("They meet every Monday.", "2024-12-09", &[("every Monday", Set, "XXXX-WXX-1")]),
            ("Published weekly.", "2024-12-09", &[("weekly", Set, "P1W")]),
            ("Paid annually.", "2024-12-09", &[("annually", Set, "P1Y")]),
            (
                "It is now over and currently calm.",
                "2024-12-09",
                &[("now", Date, "PRESENT_REF"), ("currently", Date, "PRESENT_REF")],
            ),
            ("He recently left.", "2024-12-09", &[("recently", Date, "PAST_REF")]),
            ("In the future, maybe.", "2024-12-09", &[("the future", Date, "FUTURE_REF")]),
            (
                "Results for the first quarter.",
                "2024-12-09",
                &[("the first quarter", Date, "2024-Q1")],
            ),
            ("Third-quarter profit rose.", "2024-12-09", &[("Third-quarter", Date, "2024-Q3")]),
            (
                "Results for the fourth quarter.",
                "2025-01-20",
                &[("the fourth quarter", Date, "2024-Q4")],
            ),
            ("It happened last fall.", "2024-03-01", &[("last fall", Date, "2023-FA")]),
            ("He left on Thanksgiving.", "2024-12-09", &[("Thanksgiving", Date, "2024-11-28")]),
            (
                "In nineteen ninety-six he won.",
                "2024-12-09",
                &[("nineteen ninety-six", Date, "1996")],
            ),
            ("The 20th century ended.", "2024-12-09", &[("The 20th century", Date, "19")]),
            (
                "The deadline will be 9 a.m. Tuesday.",
                "2024-12-09",
                &[("9 a.m. Tuesday", Time, "2024-12-10T09:00")],
            ),
            ("Prices rose 5% in 2023.", "2024-12-09", &[("2023", Date, "2023")]),
            ("It cost $1,999 in 1999.", "2024-12-09", &[("1999", Date, "1999")]),
            ("She earns $5 a year.", "2024-12-09", &[("a year", Set, "P1Y")]),
            ("For a decade he ruled.", "2024-12-09", &[("a decade", Duration, "P10Y")]),
            ("It began late November.", "2024-12-09", &[("late November", Date, "2024-11")]),
            // Financial reports compare with the same quarter a year before.
            (
                "Third-quarter profit rose from a year earlier.",
                "1989-10-26",
                &[("Third-quarter", Date, "1989-Q3"), ("a year earlier", Date, "1988-Q3")],
            ),
            (
                "In the second quarter, sales fell from the year-ago period.",
                "1989-10-26",
                &[
                    ("the second quarter", Date, "1989-Q2"),
                    ("the year-ago period", Date, "1988-Q2"),
                ],
            ),
            (
                "First-quarter net rose; the quarter was strong.",
                "1989-10-26",
                &[("First-quarter", Date, "1989-Q1"), ("the quarter", Date, "1989-Q1")],
            ),
            (
                "Fourth-quarter sales beat the corresponding period last year.",
                "1990-01-26",
                &[
                    ("Fourth-quarter", Date, "1989-Q4"),
                    ("the corresponding period last year", Date, "1988-Q4"),
                ],
            ),
            ("He left a year ago.", "1989-10-26", &[("a year ago", Date, "1988")]),
            (
                "The 1988 third quarter was weak; a year ago sales fell.",
                "1989-10-26",
                &[("The 1988 third quarter", Date, "1988-Q3"), ("a year ago", Date, "1988-Q3")],
            ),
            (
                "The first quarter of 1990 will be hard; a year ago sales fell.",
                "1989-10-26",
                &[("The first quarter of 1990", Date, "1990-Q1"), ("a year ago", Date, "1988")],
            ),
            // `the year`: a span before a closing date, else the year reported on.
            (
                "Sales for the year ended March 31 fell.",
                "1989-10-26",
                &[("the year", Duration, "P1Y"), ("March 31", Date, "1989-03-31")],
            ),
            ("For the full year, sales fell.", "1989-10-26", &[("the full year", Date, "1989")]),
            (
                "He came in 1985 and left later that year.",
                "1989-10-26",
                &[("1985", Date, "1985"), ("later that year", Date, "1985")],
            ),
            ("Done by year-end.", "1989-10-26", &[("year-end", Date, "1989-12-31")]),
            ("Up 5% since year-end.", "1989-10-26", &[("year-end", Date, "1988-12-31")]),
            ("The year-ago quarter.", "1989-10-26", &[("The year-ago quarter", Date, "1988-Q3")]),
            // A weekday or clock time followed by a date takes the date.
            (
                "An editorial on Monday, Oct. 26: no.",
                "1998-10-25",
                &[("Monday, Oct. 26", Date, "1998-10-26")],
            ),
            ("Shot on Friday, Oct. 23.", "1998-11-21", &[("Friday, Oct. 23", Date, "1998-10-23")]),
            (
                "The offer runs until 5 p.m. EST Nov. 9.",
                "1989-11-02",
                &[("5 p.m. EST Nov. 9", Time, "1989-11-09T17:00")],
            ),
            // A month with `this/last/next year`.
            (
                "It began in February this year.",
                "1998-12-03",
                &[("February this year", Date, "1998-02")],
            ),
            (
                "They join in April next year.",
                "1998-12-03",
                &[("April next year", Date, "1999-04")],
            ),
            // Fractional durations use the next smaller unit.
            ("It took 5 1/2 hours.", "1998-08-17", &[("5 1/2 hours", Duration, "PT5H30M")]),
            ("He served 2 1/2 years.", "1998-08-17", &[("2 1/2 years", Duration, "P2Y6M")]),
            (
                "It took a minute and a half.",
                "1998-08-17",
                &[("a minute and a half", Duration, "PT1M30S")],
            ),
            (
                "In the last twenty four hours.",
                "1998-08-17",
                &[("the last twenty four hours", Duration, "PT24H")],
            ),
        ];
        assert!(cases.len() >= 40);
        let mut failures = Vec::new();
        for (text, anchor, want) in cases {
            let got: Vec<(String, TimeType, String)> =
                extract(text, d(anchor)).into_iter().map(|t| (t.text, t.kind, t.value)).collect();
            let want: Vec<(String, TimeType, String)> =
                want.iter().map(|(s, k, v)| (s.to_string(), *k, v.to_string())).collect();
            if got != want {
                failures.push(format!("{text:?} @ {anchor}: got {got:?}, want {want:?}"));
            }
        }
        assert!(failures.is_empty(), "{} failures:\n{}", failures.len(), failures.join("\n"));
    }

    #[test]
    fn numbers_glued_to_a_word_are_not_years() {
        // (text, wanted (surface, value) of the time expressions)
        let table: &[(&str, &[(&str, &str)])] = &[
            ("The grow-1600 lamp sold well.", &[]),
            ("Units of the LM2-2024 series were recalled.", &[]),
            ("The Boeing 737-800 and the F-16 flew; COVID-19 spread.", &[]),
            ("Model X-1999 was shown in 2019.", &[("2019", "2019")]),
            ("Prices rose in mid-2020.", &[("mid-2020", "2020")]),
            ("Growth slowed after 2008, back to pre-1990.", &[("2008", "2008"), ("1990", "1990")]),
            ("He ruled 1990-1995.", &[("1990", "1990"), ("1995", "1995")]),
        ];
        for (text, want) in table {
            let got: Vec<(String, String)> = extract(text, d("2024-12-09"))
                .into_iter()
                .filter(|t| t.kind == Date)
                .map(|t| (t.text, t.value))
                .collect();
            let want: Vec<(String, String)> =
                want.iter().map(|(s, v)| (s.to_string(), v.to_string())).collect();
            assert_eq!(got, want, "{text}");
        }
    }

    #[test]
    fn spans_index_the_text() {
        let text = "Le 8 décembre… On December 8, 2024, at 3 p.m., “last week” ended.";
        for t in extract(text, d("2024-12-09")) {
            assert_eq!(t.span.slice(text), t.text);
        }
    }

    #[test]
    fn no_panic_on_odd_input() {
        for t in ["", "0/0/0000", "99:99", "February 31", "the 0th century", "13 p.m.", "ñ 2024"] {
            let _ = extract(t, d("2024-12-09"));
            let _ = extract(t, None);
        }
    }
}
