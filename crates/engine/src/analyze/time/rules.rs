//! The patterns that find time expressions and turn each match into a TIMEX3 type and
//! value. One regex per family (dates, weekdays, clock times, durations, sets, vague
//! references…), compiled once; every family is scanned over the text and `mod.rs` keeps
//! the longest non-overlapping matches. Spans follow TimeBank: prepositions (`on`, `in`)
//! are outside, determiners and modifiers (`the past`, `last`, `late`) inside.

use std::cell::Cell;
use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate};
use regex::{Captures, Regex};

use super::gate;
use super::lexicon::{self, MONTHS, NUMBERS, PARTS_OF_DAY, REFS, SEASONS, SET_WORDS, UNITS};
use super::resolve::{self, month, quarter_of, week, ymd};
use crate::record::TimeType;

/// The expression families, in priority order (earlier wins a tie on length).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Rule {
    Iso,
    Us,
    DateMdy,
    DateDmy,
    Month,
    Clock,
    Clock24,
    Noon,
    RelDay,
    Weekday,
    Quarter,
    TheQuarter,
    Ago,
    Duration,
    RelUnit,
    Weekend,
    Decade,
    Century,
    Year,
    YearAgo,
    TheYear,
    YearEnd,
    YearPeriod,
    Holiday,
    Spoken,
    Every,
    SetWord,
    Bare,
    Ref,
}

/// A match: byte span, TIMEX3 type and value.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Found {
    pub start: usize,
    pub end: usize,
    pub kind: TimeType,
    pub value: String,
    /// How the value depends on earlier mentions (resolved in `mod.rs`).
    pub anaphor: Anaphor,
}

/// The reference a relative expression may take from the text before it instead of the
/// article date. Financial reports compare a quarter with the same quarter a year before
/// ("a year earlier", "the year-ago period") and narrative picks up the year being told
/// ("that year"), so these are resolved against the last mentioned quarter/year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(super) enum Anaphor {
    /// Resolved against the article date and a possible reference for what follows.
    #[default]
    None,
    /// Relative to the anchor but not a reference for later mentions (`the year-ago quarter`).
    NoRef,
    /// `N` years before the last mentioned quarter (`a year earlier` → 1988-Q3).
    YearsBack(i32),
    /// The last mentioned quarter (`the quarter`, `the latest period`).
    SameQuarter,
    /// The year of the last mentioned date (`that year`, `later that year`).
    SameYear,
}

/// Every family, in priority order.
#[cfg(test)]
pub(super) const RULES: &[Rule] = &[
    Rule::Iso,
    Rule::Us,
    Rule::DateMdy,
    Rule::DateDmy,
    Rule::Month,
    Rule::Clock,
    Rule::Clock24,
    Rule::Noon,
    Rule::RelDay,
    Rule::Weekday,
    Rule::Quarter,
    Rule::TheQuarter,
    Rule::Ago,
    Rule::Duration,
    Rule::RelUnit,
    Rule::Weekend,
    Rule::Decade,
    Rule::Century,
    Rule::Year,
    Rule::YearAgo,
    Rule::TheYear,
    Rule::YearEnd,
    Rule::YearPeriod,
    Rule::Holiday,
    Rule::Spoken,
    Rule::Every,
    Rule::SetWord,
    Rule::Bare,
    Rule::Ref,
];

/// A compiled family: its regex and the searchers of its gate words (see `gate.rs`).
struct Family {
    rule: Rule,
    re: Regex,
    gate: Vec<memchr::memmem::Finder<'static>>,
}

fn patterns() -> &'static [Family] {
    static P: OnceLock<Vec<Family>> = OnceLock::new();
    P.get_or_init(|| {
        build()
            .into_iter()
            .map(|(rule, re)| Family { rule, re, gate: gate::finders(&gate::words(rule)) })
            .collect()
    })
}

fn build() -> Vec<(Rule, Regex)> {
    let full: Vec<(&str, u32)> = MONTHS
        .iter()
        .copied()
        .filter(|(n, _)| n.len() > 4 || *n == "may" || *n == "june" || *n == "july")
        .collect();
    let abbr: Vec<(&str, u32)> =
        MONTHS.iter().copied().filter(|(n, _)| !full.iter().any(|f| f.0 == *n)).collect();
    let m = format!(
        r"\b(?P<m>(?:{})\b|(?:{})\b\.?)",
        lexicon::alternation(&full),
        lexicon::alternation(&abbr)
    );
    let wds = lexicon::alternation(lexicon::WEEKDAYS);
    let num = format!(
        r"(?P<n>\d+(?:\.\d+)?(?:\s+(?P<frac>1/2|1/4|3/4))?|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)[\s-](?:one|two|three|four|five|six|seven|eight|nine)\b|{})",
        lexicon::alternation(NUMBERS)
    );
    let units =
        "second|minute|hour|day|night|weekend|week|month|quarter|year|decade|century|centurie";
    let year = r"(?P<y>1[6-9]\d\d|20\d\d)\b";
    let modi =
        r"(?:(?P<mod>early|mid|late|the\s+end\s+of|the\s+beginning\s+of|the\s+middle\s+of)[\s-]+)?";
    let pod = "morning|afternoon|evening|night";
    let qual = r"(?:(?:at\s+least|up\s+to|more\s+than|less\s+than|each\s+of)\s+)?";
    let rel = r"(?:(?:earlier|later|early|late)\s+)?(?:this\s+past|this\s+coming|the\s+past|the\s+last|the\s+previous|the\s+coming|the\s+following|the\s+current|the\s+latest|the\s+most\s+recent|the\s+next|this|last|next|past|previous|current|coming)";
    let specs: Vec<(Rule, String)> = vec![
        (Rule::Iso, r"\b(?P<y>\d{4})-(?P<mo>\d{2})-(?P<d>\d{2})\b".into()),
        (Rule::Us, r"\b(?P<mo>\d{1,2})/(?P<d>\d{1,2})/(?P<y>\d{4}|\d{2})\b".into()),
        (Rule::DateMdy, format!(r"\b{modi}{m}\s*(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\b(?:,?\s+{year})?")),
        (Rule::DateDmy, format!(r"\b(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\s+(?:of\s+)?{m}(?:,?\s+{year})?")),
        (Rule::Month, format!(r"\b(?:(?P<rel>last|this|next|this\s+past|this\s+coming)\s+)?{modi}{m}(?:,?\s+(?:of\s+)?{year}|\s+(?P<ry>this|last|next)\s+year\b)?")),
        (Rule::Clock, format!(r"(?:\baround\s+)?\b(?P<h>[01]?\d)(?:[:.](?P<mi>[0-5]\d))?\s*(?P<ap>a\.m\.?|p\.m\.?|am\b|pm\b)(?:\s+(?:[ECMP][SD]T|GMT|UTC)\b)?(?:,?\s+(?:(?P<wd>{wds}|today|yesterday|tomorrow)\b|{m}\s*(?P<d>[0-3]?\d)\b))?")),
        (Rule::Clock24, r"\b(?P<h>[01]?\d|2[0-3]):(?P<mi>[0-5]\d)\b(?:\s+(?:GMT|UTC|[ECMP][SD]T)\b)?".into()),
        (Rule::Noon, format!(r"\b(?P<w>noon|midnight|midday|mid-?afternoon|mid-?morning)(?:\s+(?P<wd>{wds}|today|yesterday|tomorrow))?\b")),
        (Rule::RelDay, format!(r"\b(?:(?P<mod>early|late|later|earlier)\s+)?(?:(?P<day>today|yesterday|tomorrow|tonight)(?:\s+(?P<pod>{pod}))?|(?P<rel>this|last|tomorrow|yesterday)\s+(?P<pod2>{pod}))\b")),
        (Rule::Weekday, format!(r"\b(?:(?P<rel>last|next|this|this\s+past|this\s+coming)\s+)?(?P<wd>{wds})(?P<pl>s)?\b(?:\s+(?P<pod>{pod})s?\b)?(?:,?\s+{m}\s*(?P<d>[0-3]?\d)\b(?:,?\s+{year})?)?")),
        (Rule::Quarter, format!(r"\b(?:(?P<the>the|this|last|next|this\s+year's|last\s+year's|next\s+year's)\s+)?(?:(?P<yr>year-earlier|year-ago|fiscal|calendar|current|latest|previous)\s+)?(?P<o>first|second|third|fourth|1st|2nd|3rd|4th|last)(?P<sep>[\s-]+)(?:(?P<two>two)\s+)?(?:fiscal[\s-]+)?(?P<u>quarters|quarter|half)\b(?:\s+of\s+(?:{year}|(?P<ty>this|last|next)\s+year))?")),
        (Rule::TheQuarter, r"\b(?:the\s+(?:(?P<adj>comparable|corresponding|same)\s+)?(?:(?P<q>latest|most\s+recent|current|recent|year-earlier|year-ago)\s+)?|(?P<ly>last\s+year's)\s+)(?:quarter|period)\b(?:\s+(?P<tail>a\s+year\s+(?:ago|earlier)|(?:of\s+)?last\s+year|a\s+year\s+before))?".into()),
        (Rule::Ago, format!(r"\b{qual}{num}[\s-]+(?P<u>{units})s?\s+(?P<dir>ago|earlier|later|from\s+now|hence)\b")),
        (Rule::Duration, format!(r"\b{qual}(?:the\s+)?(?:(?P<rel>past|last|next|first|coming|previous|final|latest|following|remaining|initial|same|other)\s+)?(?P<num>{num})(?P<half0>\s+and\s+a\s+half)?(?P<sep>[\s-]+)(?P<u>{units})(?P<pl>s)?(?P<half>\s+and\s+a\s+half)?(?P<post>-old|-long)?\b")),
        (Rule::YearPeriod, format!(r"\bthe\s+{year}\s+(?:(?P<o>first|second|third|fourth)\s+)?(?:quarter|period)\b")),
        (Rule::Holiday, format!(r"\b(?:(?P<rel>last|this|next)\s+)?(?P<h>{})\b", lexicon::alternation(lexicon::HOLIDAYS))),
        (Rule::Spoken, r"\b(?:the\s+year\s+)?(?:nineteen\s+(?P<t>ten|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:-(?P<o>one|two|three|four|five|six|seven|eight|nine))?|two\s+thousand(?:\s+and\s+(?P<o2>one|two|three|four|five|six|seven|eight|nine))?)\b".into()),
        (Rule::RelUnit, format!(r"\b(?P<rel>{rel})\s+(?P<u>weekend|week|month|year|quarter|decade|century|spring|summer|fall|autumn|winter)\b")),
        (Rule::Weekend, r"\bthe\s+weekend\b".into()),
        (Rule::Decade, r"(?:\bthe\s+)?(?:\b(?:early|mid|late)[\s-]+)?(?:\b(?P<c>1[5-9]|20)(?P<dd>\d)0|['‘’](?P<sd>\d)0)'?s\b".into()),
        (Rule::Century, r"(?:\bthe\s+)?\b(?P<n>\d{1,2})(?:st|nd|rd|th)[\s-]+century\b".into()),
        (Rule::Year, format!(r"\b(?:(?P<pre>fiscal|calendar|early|mid|late|the\s+end\s+of|the\s+beginning\s+of)[\s-]+)?{year}")),
        (Rule::YearAgo, r"\b(?:year-earlier|year-ago|year-before)(?:\s+(?:quarter|period))?\b".into()),
        (Rule::TheYear, r"\b(?:(?P<side>later|earlier)\s+)?(?:(?P<that>that|the\s+same)|the(?:\s+(?P<q>full|fiscal|current|latest|previous|whole|entire))?)(?:\s+fiscal)?\s+year\b(?:\s+(?P<dir>before|earlier|after|later)\b)?".into()),
        (Rule::YearEnd, r"\b(?:year[-\s]end|year's\s+end)\b".into()),
        (Rule::Every, format!(r"\b(?:every|each)\s+(?:other\s+)?(?:{num}\s+)?(?P<u>day|week|month|year|{pod}|weekend|{wds}|spring|summer|fall|autumn|winter)s?\b")),
        (Rule::SetWord, format!(r"\b(?P<w>{})\b", lexicon::alternation(SET_WORDS))),
        (Rule::Bare, r"\b(?:for|in)\s+(?:(?P<t>(?:recent\s+)?(?P<u>years|months|weeks|decades|days|hours)))\b".into()),
        (Rule::Ref, format!(r"\b(?P<w>{})\b", lexicon::alternation(REFS))),
    ];
    specs
        .into_iter()
        .filter_map(|(r, p)| {
            Regex::new(&format!("(?i){}", p.replace(r"\b", r"(?-u:\b)"))).ok().map(|re| (r, re))
        })
        .collect()
}

/// Scans `text` with every family that may match (see `gate.rs`); returns all (possibly
/// overlapping) matches.
pub(super) fn find_all(text: &str, anchor: Option<NaiveDate>) -> Vec<Found> {
    find_all_gated(text, anchor, true)
}

/// [`find_all`], with the keyword gates on or off (the same matches either way).
fn find_all_gated(text: &str, anchor: Option<NaiveDate>, gated: bool) -> Vec<Found> {
    let mut out = Vec::new();
    let gate = gated.then(|| gate::Gated::new(text));
    for Family { rule, re, gate: words } in patterns() {
        if gate.as_ref().is_some_and(|g| !g.may_match(words)) {
            continue;
        }
        for caps in re.captures_iter(text) {
            let Some(whole) = caps.get(0) else { continue };
            let span = if *rule == Rule::Bare { caps.name("t").unwrap_or(whole) } else { whole };
            let ctx = Ctx {
                text,
                anchor,
                start: span.start(),
                end: span.end(),
                new_start: Cell::new(None),
                anaphor: Cell::new(Anaphor::None),
            };
            if let Some((kind, value)) = apply(*rule, &caps, &ctx) {
                let start = ctx.new_start.get().unwrap_or(span.start());
                let anaphor = ctx.anaphor.get();
                out.push(Found { start, end: span.end(), kind, value, anaphor });
            }
        }
    }
    out
}

/// What a rule may look at besides its captures.
struct Ctx<'a> {
    text: &'a str,
    anchor: Option<NaiveDate>,
    start: usize,
    end: usize,
    /// Set by a rule to drop a leading determiner from the span (`the two-year` → `two-year`).
    new_start: Cell<Option<usize>>,
    /// Set by a rule whose value may depend on earlier mentions.
    anaphor: Cell<Anaphor>,
}

impl Ctx<'_> {
    /// Up to `n` bytes before the match, cut at the previous sentence end.
    fn before(&self, n: usize) -> &str {
        let mut s = self.start.saturating_sub(n);
        while !self.text.is_char_boundary(s) {
            s += 1;
        }
        let b = self.text.get(s..self.start).unwrap_or("");
        match b.rfind(['.', '\n', '!', '?']) {
            Some(i) => b.get(i + 1..).unwrap_or(""),
            None => b,
        }
    }
    /// The word right before the match, lowercased.
    fn prev_word(&self) -> String {
        let b = self.before(40).trim_end();
        b.rsplit(|c: char| c.is_whitespace() || c == '(' || c == '"')
            .next()
            .unwrap_or("")
            .to_lowercase()
    }
    /// The text after the match (up to 40 bytes).
    fn after(&self) -> &str {
        let mut e = (self.end + 40).min(self.text.len());
        while !self.text.is_char_boundary(e) {
            e -= 1;
        }
        self.text.get(self.end..e).unwrap_or("")
    }
    /// Whether the clause before the match reads as future: a future cue before it, or a
    /// modal of the future seen from the past that governs it ([`Ctx::modal_governs`]).
    fn future(&self) -> bool {
        self.future_cue() || self.modal_governs()
    }
    /// Whether a [`lexicon::NEAR_FUTURE_MODALS`] modal opens the verb phrase of the match:
    /// within [`lexicon::MODAL_REACH`] words before it, in the same stretch between commas,
    /// with no verb of saying after it, and the date not possessive ("Friday's storm").
    fn modal_governs(&self) -> bool {
        if self.text.get(self.end..).is_some_and(|a| a.starts_with(['\'', '’'])) {
            return false;
        }
        let b = self.before(60).to_lowercase();
        let stretch = b.rsplit([',', ';', ':', '(', '—', '–']).next().unwrap_or("");
        let words: Vec<&str> = stretch
            .split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’')
            .filter(|w| !w.is_empty())
            .collect();
        let from = words.len().saturating_sub(lexicon::MODAL_REACH + 2);
        let tail = &words[from..];
        let joined = tail.join(" ");
        lexicon::NEAR_FUTURE_MODALS.iter().any(|m| {
            let Some(at) = joined
                .rfind(&format!("{m} "))
                .filter(|&i| i == 0 || joined.as_bytes().get(i - 1) == Some(&b' '))
            else {
                return false;
            };
            let after: Vec<&str> =
                joined[at + m.len()..].split(' ').filter(|w| !w.is_empty()).collect();
            after.len() <= lexicon::MODAL_REACH
                && !after.iter().any(|w| lexicon::SAYING.contains(w))
        })
    }
    /// Whether a [`lexicon::FUTURE_CUES`] cue is in the clause before the match.
    fn future_cue(&self) -> bool {
        let b = self.before(60).to_lowercase();
        let words: Vec<&str> =
            b.split(|c: char| !c.is_alphanumeric() && c != '\'' && c != '’').collect();
        lexicon::FUTURE_CUES.iter().any(|cue| {
            if cue.contains(' ') || cue.starts_with(['\'', '’']) {
                b.contains(cue)
            } else {
                words.contains(cue)
            }
        })
    }
}

fn cap<'a>(c: &'a Captures, name: &str) -> Option<&'a str> {
    c.name(name).map(|m| m.as_str())
}

fn capitalised(s: &str) -> bool {
    s.chars().next().is_some_and(char::is_uppercase)
}

fn unit_of(u: &str) -> Option<(&'static str, u32, bool)> {
    lexicon::lookup(UNITS, u.trim_end_matches('s'))
}

/// Direction of a relative word: −1 past, 0 current, +1 future.
fn direction(rel: &str) -> i32 {
    let r = rel.to_lowercase();
    if ["past", "last", "previous", "latest", "recent"].iter().any(|w| r.contains(w)) {
        -1
    } else if ["next", "coming", "following"].iter().any(|w| r.contains(w)) {
        1
    } else {
        0
    }
}

fn apply(rule: Rule, c: &Captures, x: &Ctx) -> Option<(TimeType, String)> {
    use TimeType::*;
    let a = x.anchor;
    match rule {
        Rule::Iso | Rule::Us => {
            let mut y: i32 = cap(c, "y")?.parse().ok()?;
            if y < 100 {
                y += if y < 50 { 2000 } else { 1900 };
            }
            let d = NaiveDate::from_ymd_opt(
                y,
                cap(c, "mo")?.parse().ok()?,
                cap(c, "d")?.parse().ok()?,
            )?;
            Some((Date, ymd(d)))
        }
        Rule::DateMdy | Rule::DateDmy => month_day(c, x).map(|v| (Date, v)),
        Rule::Month => month_rule(c, x),
        Rule::Clock | Rule::Clock24 | Rule::Noon => clock(rule, c, x),
        Rule::RelDay => rel_day(c, x),
        Rule::Weekday => weekday_rule(c, x),
        Rule::Quarter => quarter_rule(c, x),
        Rule::TheQuarter => the_quarter(c, x),
        Rule::Ago => {
            let (n, (code, mult, clock)) =
                (lexicon::number(cap(c, "n")?)??, unit_of(cap(c, "u")?)?);
            let n = i64::from(n * mult);
            let dir = cap(c, "dir")?.to_lowercase();
            let sign = if dir == "ago" || dir == "earlier" { -1 } else { 1 };
            if code == "Y" && mult == 1 && sign < 0 {
                x.anaphor.set(Anaphor::YearsBack(n as i32));
            }
            if clock || code == "WE" {
                return Some((Date, if sign < 0 { "PAST_REF" } else { "FUTURE_REF" }.into()));
            }
            match a {
                Some(a) => Some((Date, resolve::shifted(a, code, sign * n)?)),
                None => Some((Date, if sign < 0 { "PAST_REF" } else { "FUTURE_REF" }.into())),
            }
        }
        Rule::Duration => duration(c, x),
        Rule::RelUnit => rel_unit(c, x),
        Rule::Weekend => Some((Date, resolve::weekend(a?, if x.future() { 1 } else { -1 })?)),
        Rule::Decade => {
            let v = match (cap(c, "c"), cap(c, "dd"), cap(c, "sd")) {
                (Some(c), Some(d), _) => format!("{c}{d}"),
                (_, _, Some(d)) => format!("19{d}"),
                _ => return None,
            };
            Some((Date, v))
        }
        Rule::Century => {
            let n: u32 = cap(c, "n")?.parse().ok()?;
            (1..=21).contains(&n).then(|| (Date, format!("{:02}", n - 1)))
        }
        Rule::Year => year_rule(c, x),
        Rule::YearAgo => {
            x.anaphor.set(Anaphor::YearsBack(1));
            Some((Date, format!("{:04}", a?.year() - 1)))
        }
        Rule::TheYear => the_year(c, x),
        Rule::YearEnd => {
            // "since year-end" looks back to the last one; "by year-end" ahead to this one.
            let back = x.prev_word() == "since";
            Some((Date, format!("{:04}-12-31", a?.year() - i32::from(back))))
        }
        Rule::YearPeriod => {
            let y: i32 = cap(c, "y")?.parse().ok()?;
            let n = match cap(c, "o") {
                Some(o) => ordinal(o)?,
                None => quarter_of(resolve::shift_months(a?, -3)?),
            };
            Some((Date, format!("{y:04}-Q{n}")))
        }
        Rule::Holiday => holiday(c, x),
        Rule::Spoken => {
            let tens = cap(c, "t").and_then(|t| lexicon::lookup(lexicon::TENS, t));
            let ones =
                cap(c, "o").or(cap(c, "o2")).and_then(lexicon::number).flatten().unwrap_or(0);
            let y = match tens {
                Some(t) => 1900 + t + ones,
                None => 2000 + ones,
            };
            Some((Date, y.to_string()))
        }
        Rule::Every => every(c),
        Rule::SetWord => Some((Set, lexicon::lookup(SET_WORDS, cap(c, "w")?)?.to_string())),
        Rule::Bare => {
            let u = cap(c, "u")?.to_lowercase();
            if u == "years" && cap(c, "t")?.to_lowercase().starts_with("recent") {
                return Some((Date, "PAST_REF".into()));
            }
            let (code, _, clock) = unit_of(&u)?;
            let t = if clock { "T" } else { "" };
            Some((Duration, format!("P{t}X{code}")))
        }
        Rule::Ref => {
            let w = cap(c, "w")?;
            let lw = w.to_lowercase();
            let prev = x.prev_word();
            if lw == "soon"
                && (prev == "as" || x.after().trim_start().to_lowercase().starts_with("after"))
            {
                return None;
            }
            // "current" as a noun (electric current) is followed by punctuation, not a noun.
            if lw == "current"
                && x.after().trim_start().chars().next().is_some_and(|ch| !ch.is_alphabetic())
            {
                return None;
            }
            Some((Date, lexicon::lookup(REFS, w)?.to_string()))
        }
    }
}

fn month_rule(c: &Captures, x: &Ctx) -> Option<(TimeType, String)> {
    let mw = cap(c, "m")?;
    let full = mw.trim_end_matches('.').len() > 3 || mw.eq_ignore_ascii_case("may");
    if !capitalised(mw) || (!full && cap(c, "y").is_none()) {
        return None;
    }
    let mo = lexicon::lookup(MONTHS, mw)?;
    if let Some(y) = cap(c, "y") {
        return Some((TimeType::Date, format!("{y}-{mo:02}")));
    }
    let Some(a) = x.anchor else {
        return Some((TimeType::Date, format!("XXXX-{mo:02}")));
    };
    if let Some(ry) = cap(c, "ry") {
        // `February this year`, `July last year`: the year is named relative to the anchor.
        let y = a.year() + direction(ry);
        return Some((TimeType::Date, format!("{y:04}-{mo:02}")));
    }
    let y = match cap(c, "rel").map(direction) {
        Some(d) if d < 0 => {
            if mo < a.month() {
                a.year()
            } else {
                a.year() - 1
            }
        }
        Some(d) if d > 0 => {
            if mo > a.month() {
                a.year()
            } else {
                a.year() + 1
            }
        }
        Some(_) => a.year(),
        // "a loan due by February": a deadline looks ahead.
        None => resolve::year_for_month(a, mo, x.future() || x.prev_word() == "by"),
    };
    Some((TimeType::Date, format!("{y:04}-{mo:02}")))
}

/// The date named by the `m`/`d` (and optional `y`) captures, as `YYYY-MM-DD` (`XXXX-MM-DD`
/// without a year or anchor); `None` when there is no such date or it is not capitalised.
fn month_day(c: &Captures, x: &Ctx) -> Option<String> {
    let mw = cap(c, "m")?;
    if !capitalised(mw) {
        return None;
    }
    let mo = lexicon::lookup(MONTHS, mw)?;
    let d: u32 = cap(c, "d")?.parse().ok()?;
    if !(1..=31).contains(&d) {
        return None;
    }
    let y = match (cap(c, "y").and_then(|y| y.parse().ok()), x.anchor) {
        (Some(y), _) => y,
        (None, Some(a)) => resolve::year_for(a, mo, d, x.future()),
        (None, None) => return Some(format!("XXXX-{mo:02}-{d:02}")),
    };
    NaiveDate::from_ymd_opt(y, mo, d).map(ymd)
}

/// The date a clock time or weekday-qualified time refers to.
fn day_word(word: Option<&str>, x: &Ctx) -> Option<NaiveDate> {
    let a = x.anchor?;
    let Some(w) = word else { return Some(a) };
    let lw = w.to_lowercase();
    match lw.as_str() {
        "today" => Some(a),
        "yesterday" => resolve::shift_days(a, -1),
        "tomorrow" => resolve::shift_days(a, 1),
        _ => {
            let wd = lexicon::lookup(lexicon::WEEKDAYS, &lw)?;
            resolve::weekday(a, wd, if x.future() { 1 } else { -1 }, false)
        }
    }
}

fn clock(rule: Rule, c: &Captures, x: &Ctx) -> Option<(TimeType, String)> {
    let day = match month_day(c, x) {
        Some(d) => d,
        None => day_word(cap(c, "wd"), x).map(ymd).unwrap_or_else(|| "XXXX-XX-XX".into()),
    };
    let t = if rule == Rule::Noon {
        match cap(c, "w")?.to_lowercase().replace('-', "").as_str() {
            "noon" | "midday" => "12:00".to_string(),
            "midnight" => "24".to_string(),
            "midafternoon" => "AF".to_string(),
            _ => "MO".to_string(),
        }
    } else {
        let mut h: u32 = cap(c, "h")?.parse().ok()?;
        let mi: u32 = cap(c, "mi").map_or(Some(0), |m| m.parse().ok())?;
        if let Some(ap) = cap(c, "ap") {
            let pm = ap.to_lowercase().starts_with('p');
            if !(1..=12).contains(&h) {
                return None;
            }
            h = match (pm, h) {
                (true, 12) => 12,
                (true, h) => h + 12,
                (false, 12) => 0,
                (false, h) => h,
            };
        }
        format!("{h:02}:{mi:02}")
    };
    Some((TimeType::Time, format!("{day}T{t}")))
}

fn pod_code(p: &str) -> Option<&'static str> {
    lexicon::lookup(PARTS_OF_DAY, p)
}

fn rel_day(c: &Captures, x: &Ctx) -> Option<(TimeType, String)> {
    let a = x.anchor;
    if let Some(day) = cap(c, "day") {
        let d = match day.to_lowercase().as_str() {
            "yesterday" => -1,
            "tomorrow" => 1,
            _ => 0,
        };
        let Some(a) = a else {
            let v = ["PAST_REF", "PRESENT_REF", "FUTURE_REF"][(d + 1) as usize];
            return Some((TimeType::Date, v.into()));
        };
        let date = ymd(resolve::shift_days(a, d)?);
        return Some(match cap(c, "pod").and_then(pod_code) {
            Some(p) => (TimeType::Time, format!("{date}T{p}")),
            None => (TimeType::Date, date),
        });
    }
    let rel = cap(c, "rel")?.to_lowercase();
    let p = pod_code(cap(c, "pod2")?)?;
    let d = match rel.as_str() {
        "last" | "yesterday" => -1,
        "tomorrow" => 1,
        _ => 0,
    };
    let date = a.and_then(|a| resolve::shift_days(a, d)).map_or("XXXX-XX-XX".into(), ymd);
    Some((TimeType::Time, format!("{date}T{p}")))
}

fn weekday_rule(c: &Captures, x: &Ctx) -> Option<(TimeType, String)> {
    let w = cap(c, "wd")?;
    if !capitalised(w) {
        return None;
    }
    let wd = lexicon::lookup(lexicon::WEEKDAYS, w)?;
    let pod = cap(c, "pod").and_then(pod_code).map(|p| format!("T{p}")).unwrap_or_default();
    if let Some(d) = month_day(c, x) {
        // `Monday, Oct. 26`: the date itself says which Monday.
        return Some((TimeType::Date, format!("{d}{pod}")));
    }
    if cap(c, "pl").is_some() {
        return Some((TimeType::Set, format!("XXXX-WXX-{wd}{pod}")));
    }
    let Some(a) = x.anchor else {
        return Some((TimeType::Date, format!("XXXX-WXX-{wd}{pod}")));
    };
    let d = match cap(c, "rel").map(direction) {
        Some(-1) => resolve::weekday(a, wd, -1, true)?,
        Some(1) => resolve::weekday(a, wd, 1, true)?,
        Some(_) => resolve::weekday(a, wd, 0, false)?,
        None => resolve::weekday(a, wd, if x.future() { 1 } else { -1 }, false)?,
    };
    Some((TimeType::Date, format!("{}{pod}", ymd(d))))
}

fn quarter_rule(c: &Captures, x: &Ctx) -> Option<(TimeType, String)> {
    let o = cap(c, "o")?;
    let u = cap(c, "u")?.to_lowercase();
    // "the last half of 1989", "the first two quarters of 1990": halves of the year. "last
    // quarter" alone is relative (another rule).
    let two_quarters = cap(c, "two").is_some() && u == "quarters";
    let of_year = cap(c, "y").is_some() || cap(c, "ty").is_some();
    if (two_quarters || o.eq_ignore_ascii_case("last")) && !of_year {
        return None; // "the last half of the '80s": not a half of a year
    }
    let n = match (o.to_lowercase().as_str(), two_quarters) {
        ("first", true) => 1,
        ("last", true) => 2,
        ("last", false) if u == "half" => 2,
        (_, true) | ("last", false) => return None,
        _ if u == "quarters" || cap(c, "two").is_some() => return None,
        _ => ordinal(o)?,
    };
    if cap(c, "sep").is_some_and(|s| s.starts_with('-')) {
        // Adjectival `third-quarter`: TimeBank leaves the determiner out.
        x.new_start.set(c.name("o").map(|m| m.start()));
    }
    let half = u == "half" || two_quarters;
    if half && n > 2 {
        return None;
    }
    let (letter, months) = if half { ("H", 6) } else { ("Q", 3) };
    let y = if let Some(y) = cap(c, "y") {
        y.parse::<i32>().ok()?
    } else {
        let Some(a) = x.anchor else {
            return Some((TimeType::Date, format!("XXXX-{letter}{n}")));
        };
        let start_month = (n - 1) * months + 1;
        let base = if start_month <= a.month() { a.year() } else { a.year() - 1 };
        let shift = [cap(c, "the"), cap(c, "yr"), cap(c, "ty")]
            .iter()
            .flatten()
            .map(|w| match w.to_lowercase().as_str() {
                "last" | "year-earlier" | "year-ago" | "previous" | "last year's" => -1,
                "next" | "next year's" => 1,
                _ => 0,
            })
            .sum::<i32>();
        if shift != 0 {
            x.anaphor.set(Anaphor::NoRef);
        }
        if cap(c, "ty").is_some_and(|t| t.eq_ignore_ascii_case("this")) {
            a.year()
        } else {
            base + shift
        }
    };
    Some((TimeType::Date, format!("{y:04}-{letter}{n}")))
}

fn duration(c: &Captures, x: &Ctx) -> Option<(TimeType, String)> {
    let nw = cap(c, "n")?;
    let n = lexicon::number(nw)?;
    let (code, mult, clock) = unit_of(cap(c, "u")?)?;
    // A count glued to a larger number (`1,000 years`) or a year-like count is not ours.
    let before = x.text.get(..x.start).unwrap_or("");
    if before.ends_with([',', '.', '$']) || n.is_some_and(|n| n > 1000) {
        return None;
    }
    let lower_n = nw.to_lowercase();
    let article = lower_n == "a" || lower_n == "an";
    let u = cap(c, "u")?.to_lowercase();
    let after = x.after().trim_start().to_lowercase();
    if cap(c, "post").is_some_and(|p| p.eq_ignore_ascii_case("-old"))
        || (u == "quarter" && after.starts_with("of"))
        || (article && u == "second")
    {
        return None;
    }
    if cap(c, "sep").is_some_and(|s| s.starts_with('-')) && cap(c, "rel").is_none() {
        // Adjectival `two-year`: TimeBank leaves the determiner and qualifier out.
        x.new_start.set(c.name("num").map(|m| m.start()));
    }
    if article && cap(c, "rel").is_none() {
        let prev = x.prev_word();
        let rate = prev.starts_with('$')
            || prev.ends_with('%')
            || prev.chars().next().is_some_and(|ch| ch.is_ascii_digit())
            || ["times", "once", "twice", "percent", "cents", "dollars", "billion", "million"]
                .contains(&prev.as_str());
        if rate {
            return Some((TimeType::Set, format!("P1{code}")));
        }
    }
    let t = if clock { "T" } else { "" };
    let frac = fraction(c);
    let v = match n {
        Some(n) if frac > 0 => with_fraction(n * mult, frac, code, clock),
        Some(n) => format!("P{t}{}{code}", n * mult),
        None => format!("P{t}X{code}"),
    };
    Some((TimeType::Duration, v))
}

/// The fraction after the count in quarters of a unit: `5 1/2 hours`, `a minute and a half`.
fn fraction(c: &Captures) -> u32 {
    if c.name("half").is_some() || c.name("half0").is_some() {
        return 2;
    }
    match cap(c, "frac") {
        Some("1/4") => 1,
        Some("1/2") => 2,
        Some("3/4") => 3,
        _ => 0,
    }
}

/// `n` units plus `quarters`/4 of one, written with the next smaller unit as TIMEX3 does
/// (`PT5H30M`, `P2Y6M`, `PT1M30S`); units without an exact smaller one stay decimal.
fn with_fraction(n: u32, quarters: u32, code: &str, clock: bool) -> String {
    let smaller = match (code, clock) {
        ("H", true) => Some(("M", 15, true)),
        ("M", true) => Some(("S", 15, true)),
        ("Y", false) => Some(("M", 3, false)),
        ("D", false) => Some(("H", 6, true)),
        _ => None,
    };
    let t = if clock { "T" } else { "" };
    match smaller {
        Some((small, per_quarter, small_clock)) => {
            let sep = if small_clock && !clock { "T" } else { "" };
            let rest = quarters * per_quarter;
            if n == 0 {
                format!("P{}{rest}{small}", if small_clock { "T" } else { "" })
            } else {
                format!("P{t}{n}{code}{sep}{rest}{small}")
            }
        }
        None => format!("P{t}{n}.{}{code}", quarters * 25),
    }
}

/// `the quarter`, `the latest period`, `the year-ago quarter`, `last year's period`,
/// `the corresponding period last year`: the last mentioned quarter (or a year before it),
/// else the quarter before the article date (news report a quarter after it ends).
fn the_quarter(c: &Captures, x: &Ctx) -> Option<(TimeType, String)> {
    let a = x.anchor?;
    let q = cap(c, "q").map(str::to_lowercase);
    let year_back = cap(c, "ly").is_some()
        || cap(c, "tail").is_some()
        || q.as_deref().is_some_and(|q| q.starts_with("year"));
    let d = x.text.get(x.start..x.end)?.to_lowercase();
    if d.ends_with("period") && q.is_none() && !year_back && cap(c, "adj").is_none() {
        return None;
    }
    let shift = if year_back {
        x.anaphor.set(Anaphor::YearsBack(1));
        -5
    } else {
        // `the latest`/`the current` quarter name their own period; bare `the quarter` refers back.
        if q.is_none() {
            x.anaphor.set(Anaphor::SameQuarter);
        }
        if q.as_deref() == Some("current") {
            0
        } else {
            -1
        }
    };
    Some((TimeType::Date, resolve::shifted(a, "Q", shift)?))
}

/// `the year`, `the fiscal year`, `that year`, `the year before`: a span of one year when a
/// closing date follows (`the year ended March 31` → P1Y), else the anchor's year (or the
/// one before/after it), or for `that year` the year being told.
fn the_year(c: &Captures, x: &Ctx) -> Option<(TimeType, String)> {
    let after = x.after();
    if after.starts_with(['-', '\'', '’']) && !after.starts_with("'s")
        || after.trim_start().starts_with(|ch: char| ch.is_ascii_digit())
        || after.trim_start().to_lowercase().starts_with("nineteen")
    {
        return None;
    }
    let next = after.trim_start().to_lowercase();
    if cap(c, "that").is_none()
        && cap(c, "dir").is_none()
        && (next.starts_with("ended")
            || next.starts_with("ending")
            || next.starts_with("that ended"))
    {
        return Some((TimeType::Duration, "P1Y".into()));
    }
    let a = x.anchor?;
    let mut y = a.year();
    if cap(c, "that").is_some() {
        x.anaphor.set(Anaphor::SameYear);
    }
    if cap(c, "q").is_some_and(|q| ["latest", "previous"].contains(&q.to_lowercase().as_str())) {
        y -= 1;
    }
    match cap(c, "dir").map(str::to_lowercase).as_deref() {
        Some("before" | "earlier") => y -= 1,
        Some(_) => y += 1,
        None => {}
    }
    Some((TimeType::Date, format!("{y:04}")))
}

fn rel_unit(c: &Captures, x: &Ctx) -> Option<(TimeType, String)> {
    let rel = cap(c, "rel")?.to_lowercase();
    let u = cap(c, "u")?.to_lowercase();
    let dir = direction(&rel);
    let past_dur = rel.contains("past") && !rel.contains("this");
    if u == "decade" || u == "century" {
        if past_dur {
            return Some((TimeType::Duration, if u == "decade" { "P10Y" } else { "P100Y" }.into()));
        }
        let a = x.anchor?;
        return Some(match u.as_str() {
            "decade" => (TimeType::Date, format!("{:03}", (a.year() + 10 * dir) / 10)),
            _ => (TimeType::Date, format!("{:02}", (a.year() + 100 * dir) / 100)),
        });
    }
    let Some(a) = x.anchor else {
        let v = ["PAST_REF", "PRESENT_REF", "FUTURE_REF"][(dir + 1) as usize];
        return Some((TimeType::Date, v.into()));
    };
    if let Some((code, start)) = lexicon::lookup(SEASONS, &u) {
        return Some((TimeType::Date, format!("{}-{code}", resolve::season_year(a, start, dir))));
    }
    let v = match u.as_str() {
        "week" => week(resolve::shift_days(a, 7 * i64::from(dir))?),
        "weekend" => resolve::weekend(a, dir)?,
        "month" => month(resolve::shift_months(a, i64::from(dir))?),
        "quarter" => {
            if dir == 0 {
                x.anaphor.set(Anaphor::SameQuarter);
            }
            let d = resolve::shift_months(a, 3 * i64::from(dir))?;
            format!("{}-Q{}", d.year(), quarter_of(d))
        }
        _ => format!("{:04}", a.year() + dir),
    };
    Some((TimeType::Date, v))
}

fn year_rule(c: &Captures, x: &Ctx) -> Option<(TimeType, String)> {
    let y = cap(c, "y")?;
    if glued_to_word(x.text, x.start) {
        return None;
    }
    let before = x.text.get(..x.start).unwrap_or("").trim_end();
    if before.ends_with(['$', '#', '€', '£', ',']) || before.ends_with("No.") {
        return None;
    }
    let after = x.after();
    let next = after.trim_start();
    if next.starts_with('%')
        || next.to_lowercase().starts_with("percent")
        || after.starts_with([',', '.']) && after[1..].starts_with(|ch: char| ch.is_ascii_digit())
    {
        return None;
    }
    if cap(c, "pre").is_some() {
        return Some((TimeType::Date, y.to_string()));
    }
    const PREV_OK: &[&str] = &[
        "in", "since", "by", "until", "till", "through", "from", "to", "of", "before", "after",
        "during", "the", "its", "their", "his", "her", "for", "year", "and", "or", "between",
        "than", "around", "about", "circa", "early", "late", "mid", "spring", "summer", "fall",
        "autumn", "winter", "in,", "until,",
    ];
    let prev = x.prev_word();
    if PREV_OK.contains(&prev.as_str()) || lexicon::lookup(MONTHS, &prev).is_some() {
        return Some((TimeType::Date, y.to_string()));
    }
    let next_word: String = next.chars().take_while(|ch| ch.is_alphabetic()).collect();
    let noun_follows = next_word.chars().next().is_some_and(char::is_lowercase)
        && !crate::text::is_stopword(&next_word);
    (!noun_follows).then(|| (TimeType::Date, y.to_string()))
}

/// Prefixes glued by a hyphen to a year that still name it ("mid-2020", "pre-1990",
/// "post-2008", "late-1990s").
const YEAR_PREFIXES: &[&str] = &["mid", "pre", "post", "early", "late", "circa", "c", "ca"];

/// Whether the number at byte `start` of `text` is glued by a hyphen to a word before it
/// ("grow-1600", "COVID-2019", "F-1600", "LM2-2024"): an identifier, product code or
/// model number, not a year. A range ("1990-1995") or a time prefix ("mid-2020") is not
/// glued.
fn glued_to_word(text: &str, start: usize) -> bool {
    let Some(before) = text.get(..start) else { return false };
    let Some(head) = before.strip_suffix(['-', '‑', '‐']) else { return false };
    let word: String = head
        .chars()
        .rev()
        .take_while(|ch| ch.is_alphanumeric() || matches!(ch, '-' | '‑' | '‐' | '_' | '/'))
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    let last = word.rsplit(['-', '‑', '‐', '_', '/']).next().unwrap_or("");
    word.chars().any(char::is_alphabetic) && !YEAR_PREFIXES.contains(&last.to_lowercase().as_str())
}

fn every(c: &Captures) -> Option<(TimeType, String)> {
    let u = cap(c, "u")?.to_lowercase();
    let u = u.trim_end_matches('s');
    let n = match cap(c, "n") {
        Some(w) => lexicon::number(w)?.unwrap_or(1),
        None => 1,
    };
    if let Some(wd) = lexicon::lookup(lexicon::WEEKDAYS, u) {
        return Some((TimeType::Set, format!("XXXX-WXX-{wd}")));
    }
    if let Some(p) = pod_code(u) {
        return Some((TimeType::Set, format!("XXXX-XX-XXT{p}")));
    }
    if let Some((code, _)) = lexicon::lookup(SEASONS, u) {
        return Some((TimeType::Set, format!("XXXX-{code}")));
    }
    let (code, mult, _) = unit_of(u)?;
    Some((TimeType::Set, format!("P{}{code}", n * mult)))
}

/// `first`/`1st` … `fourth`/`4th` → 1–4.
fn ordinal(o: &str) -> Option<u32> {
    match o.to_lowercase().as_str() {
        "first" | "1st" => Some(1),
        "second" | "2nd" => Some(2),
        "third" | "3rd" => Some(3),
        "fourth" | "4th" => Some(4),
        _ => None,
    }
}

fn holiday(c: &Captures, x: &Ctx) -> Option<(TimeType, String)> {
    let h = cap(c, "h")?;
    if !capitalised(h) {
        return None;
    }
    let (mo, day) = lexicon::lookup(lexicon::HOLIDAYS, h)?;
    let Some(a) = x.anchor else {
        return Some((
            TimeType::Date,
            if day == 0 { "XXXX-11-XX".into() } else { format!("XXXX-{mo:02}-{day:02}") },
        ));
    };
    let y = match cap(c, "rel").map(direction) {
        Some(d) => a.year() + d,
        None => resolve::year_for(a, mo, day.max(22), x.future()),
    };
    let d = if day == 0 { resolve::thanksgiving(y)? } else { NaiveDate::from_ymd_opt(y, mo, day)? };
    Some((TimeType::Date, ymd(d)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_pattern_compiles() {
        assert_eq!(patterns().len(), 29);
        assert_eq!(RULES.len(), 29);
    }

    #[test]
    fn gates_change_no_match() {
        let texts = [
            "On Monday, Dec. 8, 2024 at 3 P.M. EST the QUARTER ended; two years AGO it rose.",
            "In the 1990s and the ’80s, every WEEK; the 20th CENTURY; nineteen ninety-six.",
            "Sales for the year ended March 31; by year-end; the year-ago period; 12/08/2024.",
            "Christmas Eve, last Thanksgiving, NEW YEAR'S DAY; daily, Weekly; these days.",
            "At 15:30 GMT, around noon tomorrow; this morning; tonight; the weekend.",
            "Recently, currently and in the near future; for years; in 2015 and 2024-12-08.",
            "The wee\u{212A}end and the \u{212A}elvin ſeconds later; NOVEMBER 27.",
            "No time here at all, just words and numbers like 49 and 1,999.",
            "",
        ];
        for t in texts {
            for anchor in [None, NaiveDate::from_ymd_opt(2024, 12, 9)] {
                assert_eq!(
                    find_all_gated(t, anchor, true),
                    find_all_gated(t, anchor, false),
                    "{t}"
                );
            }
        }
    }
}
