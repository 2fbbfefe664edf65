//! Word lists for time expressions: month, weekday, number, unit, season and part-of-day
//! names with their TIMEX3 codes. Kept as const tables (small, closed sets) so the regexes
//! in `rules.rs` are built from the same lists the value normaliser reads.

/// Month names and abbreviations (without the period) → month number.
pub const MONTHS: &[(&str, u32)] = &[
    ("january", 1),
    ("february", 2),
    ("march", 3),
    ("april", 4),
    ("may", 5),
    ("june", 6),
    ("july", 7),
    ("august", 8),
    ("september", 9),
    ("october", 10),
    ("november", 11),
    ("december", 12),
    ("jan", 1),
    ("feb", 2),
    ("mar", 3),
    ("apr", 4),
    ("jun", 6),
    ("jul", 7),
    ("aug", 8),
    ("sept", 9),
    ("sep", 9),
    ("oct", 10),
    ("nov", 11),
    ("dec", 12),
];

/// Weekday names → ISO number (Monday = 1).
pub const WEEKDAYS: &[(&str, u32)] = &[
    ("monday", 1),
    ("tuesday", 2),
    ("wednesday", 3),
    ("thursday", 4),
    ("friday", 5),
    ("saturday", 6),
    ("sunday", 7),
];

/// Cardinal number words → value. Vague quantities map to `None` (TIMEX3 `X`).
pub const NUMBERS: &[(&str, Option<u32>)] = &[
    ("a", Some(1)),
    ("an", Some(1)),
    ("one", Some(1)),
    ("two", Some(2)),
    ("three", Some(3)),
    ("four", Some(4)),
    ("five", Some(5)),
    ("six", Some(6)),
    ("seven", Some(7)),
    ("eight", Some(8)),
    ("nine", Some(9)),
    ("ten", Some(10)),
    ("eleven", Some(11)),
    ("twelve", Some(12)),
    ("thirteen", Some(13)),
    ("fourteen", Some(14)),
    ("fifteen", Some(15)),
    ("sixteen", Some(16)),
    ("seventeen", Some(17)),
    ("eighteen", Some(18)),
    ("nineteen", Some(19)),
    ("twenty", Some(20)),
    ("thirty", Some(30)),
    ("forty", Some(40)),
    ("fifty", Some(50)),
    ("sixty", Some(60)),
    ("seventy", Some(70)),
    ("eighty", Some(80)),
    ("ninety", Some(90)),
    ("hundred", Some(100)),
    ("a couple of", Some(2)),
    ("couple of", Some(2)),
    ("a few", None),
    ("few", None),
    ("several", None),
    ("some", None),
    ("many", None),
    ("a number of", None),
    ("dozens of", None),
    ("hundreds of", None),
];

/// Time units → (TIMEX3 duration letter, multiplier, whether it is a clock unit `PT…`).
/// Decades and centuries are written in years (`two decades` → `P20Y`, as TimeBank does).
pub const UNITS: &[(&str, (&str, u32, bool))] = &[
    ("second", ("S", 1, true)),
    ("minute", ("M", 1, true)),
    ("hour", ("H", 1, true)),
    ("day", ("D", 1, false)),
    ("night", ("D", 1, false)),
    ("week", ("W", 1, false)),
    ("weekend", ("WE", 1, false)),
    ("month", ("M", 1, false)),
    ("quarter", ("Q", 1, false)),
    ("year", ("Y", 1, false)),
    ("decade", ("Y", 10, false)),
    ("century", ("Y", 100, false)),
    ("centurie", ("Y", 100, false)),
];

/// Seasons → (TIMEX3 code, first month).
pub const SEASONS: &[(&str, (&str, u32))] = &[
    ("spring", ("SP", 3)),
    ("summer", ("SU", 6)),
    ("fall", ("FA", 9)),
    ("autumn", ("FA", 9)),
    ("winter", ("WI", 12)),
];

/// Parts of the day → TIMEX3 code.
pub const PARTS_OF_DAY: &[(&str, &str)] =
    &[("morning", "MO"), ("afternoon", "AF"), ("evening", "EV"), ("night", "NI")];

/// Single words for sets (`daily` → every day).
pub const SET_WORDS: &[(&str, &str)] = &[
    ("daily", "P1D"),
    ("weekly", "P1W"),
    ("monthly", "P1M"),
    ("annually", "P1Y"),
    ("yearly", "P1Y"),
    ("hourly", "PT1H"),
    ("nightly", "P1D"),
    ("biweekly", "P2W"),
];

/// Vague references → TIMEX3 value. `current` as an adjective is tagged by TimeBank
/// ("current account" is rare in news compared to "current situation"). Not listed, as
/// TimeBank tags them far less often than they occur: "previously", "shortly", "soon",
/// bare "future"/"recent".
#[rustfmt::skip]
pub const REFS: &[(&str, &str)] = &[
    ("now", "PRESENT_REF"), ("currently", "PRESENT_REF"), ("current", "PRESENT_REF"),
    ("nowadays", "PRESENT_REF"), ("these days", "PRESENT_REF"), ("at present", "PRESENT_REF"),
    ("recently", "PAST_REF"), ("lately", "PAST_REF"), ("formerly", "PAST_REF"),
    ("the past", "PAST_REF"), ("recent years", "PAST_REF"), ("past years", "PAST_REF"),
    ("the future", "FUTURE_REF"), ("the near future", "FUTURE_REF"),
    ("the near term", "FUTURE_REF"), ("the short term", "FUTURE_REF"),
];

/// Words before a weekday/month that mark a future reading ("will meet Monday"). Only
/// strong cues: "would" and bare "expected" also occur in past reports ("said it would
/// decide Monday"), and the default past reading is right far more often. Plans and
/// deadlines ("planned to leave on Thursday", "postponed until Tuesday") look ahead.
#[rustfmt::skip]
pub const FUTURE_CUES: &[&str] = &[
    "will", "'ll", "’ll", "shall", "scheduled", "set to", "going to", "upcoming", "next",
    "to be held", "is to", "are to", "tomorrow", "as soon as", "as early as", "plans to",
    "planned to", "planning", "expected to", "until",
    // "effective Feb. 1": a change takes effect at a date still to come.
    "effective",
    // Timetables: "is due to arrive on Monday", "due to be sentenced Friday".
    "is due to", "are due to", "due to be", "intends to",
];

/// Modals of a future seen from the past ("the council said it would hold a meeting on
/// Friday"): they look ahead only when they govern the date's own verb phrase, within
/// [`MODAL_REACH`] words of it with no comma or verb of saying between ("they would appeal
/// the decision, announced Wednesday" is a past Wednesday).
pub const NEAR_FUTURE_MODALS: &[&str] =
    &["would", "was to", "were to", "was due to", "were due to"];

/// Most words between a [`NEAR_FUTURE_MODALS`] modal and the date it governs.
pub const MODAL_REACH: usize = 6;

/// Verbs of saying or announcing: after one, the date is the report's, not the plan's.
pub const SAYING: &[&str] =
    &["said", "says", "told", "announced", "reported", "stated", "added", "confirmed"];

/// Fixed-date holidays → (month, day); day 0 = Thanksgiving (4th Thursday of November).
#[rustfmt::skip]
pub const HOLIDAYS: &[(&str, (u32, u32))] = &[
    ("christmas day", (12, 25)), ("christmas eve", (12, 24)), ("christmas", (12, 25)),
    ("new year's day", (1, 1)), ("new year's eve", (12, 31)), ("independence day", (7, 4)),
    ("halloween", (10, 31)), ("valentine's day", (2, 14)), ("veterans day", (11, 11)),
    ("thanksgiving day", (11, 0)), ("thanksgiving", (11, 0)),
];

/// Tens of spoken years ("nineteen ninety-six").
#[rustfmt::skip]
pub const TENS: &[(&str, u32)] = &[
    ("ten", 10), ("twenty", 20), ("thirty", 30), ("forty", 40), ("fifty", 50), ("sixty", 60),
    ("seventy", 70), ("eighty", 80), ("ninety", 90),
];

/// The alternation of `(name, _)` pairs for a regex, longest first.
pub fn alternation<T>(table: &[(&str, T)]) -> String {
    let mut names: Vec<&str> = table.iter().map(|(n, _)| *n).collect();
    names.sort_by_key(|n| std::cmp::Reverse(n.len()));
    names.iter().map(|n| n.replace(' ', r"\s+")).collect::<Vec<_>>().join("|")
}

/// Looks a lowercased word up in a table.
pub fn lookup<T: Copy>(table: &[(&str, T)], word: &str) -> Option<T> {
    let w = word.trim_end_matches('.').to_lowercase();
    let w = w.split_whitespace().collect::<Vec<_>>().join(" ");
    table.iter().find(|(n, _)| *n == w).map(|(_, v)| *v)
}

/// Parses a number word or digits (`nine`, `twenty-five`, `49`) → `Some(Some(n))`, vague
/// (`several`) → `Some(None)`, not a number → `None`.
pub fn number(word: &str) -> Option<Option<u32>> {
    let w = word.trim();
    // A mixed number (`5 1/2`) counts its whole part; the fraction is read by the caller.
    let w = match w.split_once(char::is_whitespace) {
        Some((whole, frac)) if frac.contains('/') => whole,
        _ => w,
    };
    if w.bytes().all(|b| b.is_ascii_digit()) && !w.is_empty() {
        return w.parse().ok().map(Some);
    }
    if let Some(v) = lookup(NUMBERS, w) {
        return Some(v);
    }
    if let Some((tens, ones)) = w.split_once(['-', ' ']) {
        let t = lookup(NUMBERS, tens)??;
        let o = lookup(NUMBERS, ones)??;
        return Some(Some(t + o));
    }
    None
}
