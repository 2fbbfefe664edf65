//! Calendar arithmetic for TIMEX3 values: picks the year of a month/day mention relative to
//! the article date, the weekday meant by a bare "Monday", ISO weeks, quarters and seasons,
//! and shifts by a number of units ("three weeks ago"). All functions are total: out-of-range
//! input yields `None`, never a panic.

use chrono::{Datelike, Days, Months, NaiveDate};

/// How far after the anchor a month/day mention may lie and still be read in the anchor's
/// year, in days: news mostly report the past, but dates up to about a quarter ahead are
/// usually announcements ("the trial starts Feb. 3" written in November).
const FUTURE_WINDOW_DAYS: i64 = 92;
/// The same window when the context is future ("will meet on March 3").
const FUTURE_WINDOW_FUTURE_DAYS: i64 = 240;

/// `YYYY-MM-DD`.
pub fn ymd(d: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

/// `YYYY-Www` (ISO week).
pub fn week(d: NaiveDate) -> String {
    let w = d.iso_week();
    format!("{:04}-W{:02}", w.year(), w.week())
}

/// `YYYY-MM`.
pub fn month(d: NaiveDate) -> String {
    format!("{:04}-{:02}", d.year(), d.month())
}

/// Quarter (1–4) of a date.
pub fn quarter_of(d: NaiveDate) -> u32 {
    (d.month() - 1) / 3 + 1
}

/// The year in which `month`/`day` (day 1 when only a month is known) is read, relative to
/// `anchor`: the candidate year whose date falls in the window around the anchor.
pub fn year_for(anchor: NaiveDate, month: u32, day: u32, future: bool) -> i32 {
    let window = if future { FUTURE_WINDOW_FUTURE_DAYS } else { FUTURE_WINDOW_DAYS };
    for y in [anchor.year() + 1, anchor.year(), anchor.year() - 1] {
        let Some(d) = NaiveDate::from_ymd_opt(y, month, day.clamp(1, 28)) else {
            continue;
        };
        let delta = (d - anchor).num_days();
        if delta <= window && delta > window - 366 {
            return y;
        }
    }
    anchor.year()
}

/// The year of a bare month mention ("in December"): the one whose month lies between
/// nine months before and three months after the anchor's (any later month of the next
/// twelve in a future context).
pub fn year_for_month(anchor: NaiveDate, month: u32, future: bool) -> i32 {
    let diff = month as i32 - anchor.month() as i32;
    let ahead = if future { 11 } else { 3 };
    if diff > ahead {
        anchor.year() - 1
    } else if diff <= ahead - 12 || (future && diff < 0) {
        anchor.year() + 1
    } else {
        anchor.year()
    }
}

/// Thanksgiving (fourth Thursday of November) of `year`.
pub fn thanksgiving(year: i32) -> Option<NaiveDate> {
    let nov1 = NaiveDate::from_ymd_opt(year, 11, 1)?;
    let first_thu = (4 + 7 - nov1.weekday().number_from_monday()) % 7 + 1;
    NaiveDate::from_ymd_opt(year, 11, first_thu + 21)
}

/// The date of weekday `wd` (1 = Monday) relative to `anchor`: `dir` < 0 the most recent one
/// (`strict`: before the anchor, else on or before), > 0 the next one, 0 the same ISO week.
pub fn weekday(anchor: NaiveDate, wd: u32, dir: i32, strict: bool) -> Option<NaiveDate> {
    let a = anchor.weekday().number_from_monday() as i64;
    let w = wd as i64;
    let offset = match dir {
        d if d < 0 => {
            let back = (a - w).rem_euclid(7);
            -(if strict && back == 0 { 7 } else { back })
        }
        d if d > 0 => {
            let fwd = (w - a).rem_euclid(7);
            if strict && fwd == 0 {
                7
            } else {
                fwd
            }
        }
        _ => w - a,
    };
    shift_days(anchor, offset)
}

/// `anchor` moved by `days` (may be negative).
pub fn shift_days(anchor: NaiveDate, days: i64) -> Option<NaiveDate> {
    if days >= 0 {
        anchor.checked_add_days(Days::new(days as u64))
    } else {
        anchor.checked_sub_days(Days::new(days.unsigned_abs()))
    }
}

/// `anchor` moved by `months` (may be negative).
pub fn shift_months(anchor: NaiveDate, months: i64) -> Option<NaiveDate> {
    let m = u32::try_from(months.unsigned_abs()).ok()?;
    if months >= 0 {
        anchor.checked_add_months(Months::new(m))
    } else {
        anchor.checked_sub_months(Months::new(m))
    }
}

/// The value of "N units ago/later" at the granularity of the unit (`unit` is the TIMEX3
/// letter of a calendar unit, `n` already multiplied for decades), or `None`.
pub fn shifted(anchor: NaiveDate, unit: &str, n: i64) -> Option<String> {
    match unit {
        "D" => shift_days(anchor, n).map(ymd),
        "W" => shift_days(anchor, n * 7).map(week),
        "M" => shift_months(anchor, n).map(month),
        "Q" => shift_months(anchor, n * 3).map(|d| format!("{}-Q{}", d.year(), quarter_of(d))),
        "Y" => Some(format!("{:04}", anchor.year() as i64 + n)),
        _ => None,
    }
}

/// The most recent Saturday on or before the anchor (the weekend news mean by "the
/// weekend"), or the next one when `dir` > 0, as `YYYY-Www-WE`.
pub fn weekend(anchor: NaiveDate, dir: i32) -> Option<String> {
    let sat = if dir > 0 {
        weekday(anchor, 6, 1, true)?
    } else if anchor.weekday().number_from_monday() == 7 {
        shift_days(anchor, -1)?
    } else {
        weekday(anchor, 6, -1, false)?
    };
    Some(format!("{}-WE", week(sat)))
}

/// The year of season `code` (first month `start`) for "last"/"this"/"next" (`dir`).
pub fn season_year(anchor: NaiveDate, start: u32, dir: i32) -> i32 {
    // Season instances are named by the year their first month falls in; winter 2024 starts
    // in December 2024. Months before the season's start in the same year belong to the
    // previous instance (January is in the previous year's winter).
    let y = anchor.year();
    let m = anchor.month();
    let current_instance = if m >= start { y } else { y - 1 };
    let in_season = m >= start && m < start + 3 || (start == 12 && m <= 2);
    match dir {
        d if d < 0 => {
            if in_season {
                current_instance - 1
            } else {
                current_instance
            }
        }
        d if d > 0 => current_instance + 1,
        _ => {
            if in_season || m < start {
                if start == 12 && m <= 2 {
                    y - 1
                } else {
                    y
                }
            } else {
                y
            }
        }
    }
}
