//! Time expressions in French, Spanish, German, Italian and Portuguese, chosen by the
//! article's detected language: day-month(-year) dates ("3 mars 2026", "3. März 2026",
//! "3 de marzo de 2026"), months with a year or after a preposition ("en janvier 2025",
//! "im Januar"), weekdays with or without a relative word ("mardi", "lundi dernier",
//! "letzten Montag"), relative days ("hier", "ayer", "gestern", "ieri", "ontem"), "N days
//! ago" ("il y a deux jours", "hace dos días", "vor zwei Tagen", "due giorni fa", "há dois
//! dias") and relative units ("la semaine dernière", "el año pasado", "nächste Woche").
//!
//! The English rules (`rules.rs`) still run on these texts for what is written alike in
//! every language (ISO dates, years, clock times); `mod.rs` keeps the longest matches of
//! both. Each language is one [`Lang`] table; its regexes are built from the table once.
//! Word boundaries are written as explicit non-letter characters (outside the reported
//! span) rather than `\b`, so that accented words ("août", "lunedì") match and the regexes
//! stay on the fast DFA path.

use std::sync::OnceLock;

use chrono::NaiveDate;
use regex::{Captures, Regex};

use super::resolve::{self, month, week, ymd};
use super::rules::{Anaphor, Found};
use crate::record::TimeType;

/// The word lists of one language.
pub(super) struct Lang {
    /// ISO 639-1 code, as [`crate::analyze::language::detect`] reports it.
    pub code: &'static str,
    /// Month names (lowercase, with and without accents) → month number.
    pub months: &'static [(&'static str, u32)],
    /// Weekday names → ISO number (Monday = 1).
    pub weekdays: &'static [(&'static str, u32)],
    /// Words before a bare month that make it a date ("en janvier").
    pub month_preps: &'static [&'static str],
    /// Between a day and its month, or a month and its year ("3 de marzo de 2026").
    pub linker: &'static str,
    /// Relative days → offset in days from the article date.
    pub rel_days: &'static [(&'static str, i64)],
    /// Relative words before a weekday or unit → direction (−1 last, 0 this, +1 next).
    pub pre_rel: &'static [(&'static str, i32)],
    /// Relative words after a weekday or unit.
    pub post_rel: &'static [(&'static str, i32)],
    /// Calendar units (all forms) → TIMEX3 letter (`D`, `W`, `M`, `Y`).
    pub units: &'static [(&'static str, &'static str)],
    /// Number words → value.
    pub numbers: &'static [(&'static str, u32)],
    /// "ago" words before the count ("il y a", "hace", "vor", "há").
    pub ago_pre: &'static [&'static str],
    /// "ago" words after the unit ("fa", "atrás").
    pub ago_post: &'static [&'static str],
    /// Words before a date that make it read as future ("sera", "wird", "prevé").
    pub future: &'static [&'static str],
}

/// French.
#[rustfmt::skip]
const FR: Lang = Lang {
    code: "fr",
    months: &[
        ("janvier", 1), ("février", 2), ("fevrier", 2), ("mars", 3), ("avril", 4), ("mai", 5),
        ("juin", 6), ("juillet", 7), ("août", 8), ("aout", 8), ("septembre", 9),
        ("octobre", 10), ("novembre", 11), ("décembre", 12), ("decembre", 12),
    ],
    weekdays: &[
        ("lundi", 1), ("mardi", 2), ("mercredi", 3), ("jeudi", 4), ("vendredi", 5),
        ("samedi", 6), ("dimanche", 7),
    ],
    month_preps: &["en", "début", "fin", "mi", "depuis", "dès", "courant", "jusqu'en", "d'ici", "avant", "après"],
    linker: "",
    rel_days: &[
        ("aujourd'hui", 0), ("hier", -1), ("demain", 1), ("avant-hier", -2),
        ("après-demain", 2),
    ],
    pre_rel: &[("ce", 0), ("cette", 0), ("cet", 0)],
    post_rel: &[
        ("dernier", -1), ("dernière", -1), ("passé", -1), ("passée", -1), ("prochain", 1),
        ("prochaine", 1),
    ],
    units: &[
        ("jour", "D"), ("jours", "D"), ("semaine", "W"), ("semaines", "W"), ("mois", "M"),
        ("an", "Y"), ("ans", "Y"), ("année", "Y"), ("années", "Y"),
    ],
    numbers: &[
        ("un", 1), ("une", 1), ("deux", 2), ("trois", 3), ("quatre", 4), ("cinq", 5),
        ("six", 6), ("sept", 7), ("huit", 8), ("neuf", 9), ("dix", 10), ("onze", 11),
        ("douze", 12), ("quinze", 15), ("vingt", 20), ("trente", 30),
    ],
    ago_pre: &["il y a"],
    ago_post: &[],
    future: &[
        "va", "vont", "sera", "seront", "devra", "devront", "devrait", "doit", "doivent",
        "prévu", "prévue", "prévus", "prévues", "aura", "auront", "jusqu'à", "prochain",
        "prochaine",
    ],
};

/// Spanish.
#[rustfmt::skip]
const ES: Lang = Lang {
    code: "es",
    months: &[
        ("enero", 1), ("febrero", 2), ("marzo", 3), ("abril", 4), ("mayo", 5), ("junio", 6),
        ("julio", 7), ("agosto", 8), ("septiembre", 9), ("setiembre", 9), ("octubre", 10),
        ("noviembre", 11), ("diciembre", 12),
    ],
    weekdays: &[
        ("lunes", 1), ("martes", 2), ("miércoles", 3), ("miercoles", 3), ("jueves", 4),
        ("viernes", 5), ("sábado", 6), ("sabado", 6), ("domingo", 7),
    ],
    month_preps: &["en", "desde", "hasta", "principios de", "finales de", "mediados de", "de"],
    linker: "de|del",
    rel_days: &[
        ("hoy", 0), ("ayer", -1), ("mañana", 1), ("anteayer", -2), ("antier", -2),
        ("pasado mañana", 2),
    ],
    pre_rel: &[("este", 0), ("esta", 0), ("próximo", 1), ("próxima", 1), ("proximo", 1), ("proxima", 1)],
    post_rel: &[
        ("pasado", -1), ("pasada", -1), ("próximo", 1), ("próxima", 1), ("que viene", 1),
    ],
    units: &[
        ("día", "D"), ("días", "D"), ("dia", "D"), ("dias", "D"), ("semana", "W"),
        ("semanas", "W"), ("mes", "M"), ("meses", "M"), ("año", "Y"), ("años", "Y"),
    ],
    numbers: &[
        ("un", 1), ("una", 1), ("uno", 1), ("dos", 2), ("tres", 3), ("cuatro", 4),
        ("cinco", 5), ("seis", 6), ("siete", 7), ("ocho", 8), ("nueve", 9), ("diez", 10),
        ("once", 11), ("doce", 12), ("quince", 15), ("veinte", 20), ("treinta", 30),
    ],
    ago_pre: &["hace"],
    ago_post: &[],
    future: &[
        "será", "serán", "va", "van", "prevé", "prevén", "previsto", "prevista", "hasta",
        "deberá", "próximo", "próxima",
    ],
};

/// German.
#[rustfmt::skip]
const DE: Lang = Lang {
    code: "de",
    months: &[
        ("januar", 1), ("jänner", 1), ("februar", 2), ("märz", 3), ("maerz", 3), ("april", 4),
        ("mai", 5), ("juni", 6), ("juli", 7), ("august", 8), ("september", 9),
        ("oktober", 10), ("november", 11), ("dezember", 12),
    ],
    weekdays: &[
        ("montag", 1), ("dienstag", 2), ("mittwoch", 3), ("donnerstag", 4), ("freitag", 5),
        ("samstag", 6), ("sonnabend", 6), ("sonntag", 7),
    ],
    month_preps: &["im", "seit", "bis", "anfang", "ende", "mitte", "vor", "nach", "ab"],
    linker: "",
    rel_days: &[
        ("heute", 0), ("gestern", -1), ("morgen", 1), ("vorgestern", -2), ("übermorgen", 2),
    ],
    pre_rel: &[
        ("letzten", -1), ("letzte", -1), ("letztes", -1), ("letzter", -1),
        ("vergangenen", -1), ("vergangene", -1), ("vergangenes", -1), ("vergangener", -1),
        ("nächsten", 1), ("nächste", 1), ("nächstes", 1), ("kommenden", 1), ("kommende", 1),
        ("diesen", 0), ("diese", 0), ("dieses", 0),
    ],
    post_rel: &[],
    units: &[
        ("tag", "D"), ("tage", "D"), ("tagen", "D"), ("woche", "W"), ("wochen", "W"),
        ("monat", "M"), ("monate", "M"), ("monaten", "M"), ("jahr", "Y"), ("jahre", "Y"),
        ("jahren", "Y"),
    ],
    numbers: &[
        ("einem", 1), ("einer", 1), ("ein", 1), ("eine", 1), ("zwei", 2), ("drei", 3),
        ("vier", 4), ("fünf", 5), ("sechs", 6), ("sieben", 7), ("acht", 8), ("neun", 9),
        ("zehn", 10), ("elf", 11), ("zwölf", 12), ("fünfzehn", 15), ("zwanzig", 20),
        ("dreißig", 30),
    ],
    ago_pre: &["vor"],
    ago_post: &[],
    future: &["wird", "werden", "soll", "sollen", "bis", "nächsten", "kommenden"],
};

/// Italian.
#[rustfmt::skip]
const IT: Lang = Lang {
    code: "it",
    months: &[
        ("gennaio", 1), ("febbraio", 2), ("marzo", 3), ("aprile", 4), ("maggio", 5),
        ("giugno", 6), ("luglio", 7), ("agosto", 8), ("settembre", 9), ("ottobre", 10),
        ("novembre", 11), ("dicembre", 12),
    ],
    weekdays: &[
        ("lunedì", 1), ("lunedi", 1), ("martedì", 2), ("martedi", 2), ("mercoledì", 3),
        ("mercoledi", 3), ("giovedì", 4), ("giovedi", 4), ("venerdì", 5), ("venerdi", 5),
        ("sabato", 6), ("domenica", 7),
    ],
    month_preps: &["a", "in", "di", "da", "entro", "fino a", "inizio", "fine", "metà", "nel mese di"],
    linker: "",
    rel_days: &[
        ("oggi", 0), ("ieri", -1), ("domani", 1), ("l'altro ieri", -2), ("altroieri", -2),
        ("dopodomani", 2),
    ],
    pre_rel: &[("questo", 0), ("questa", 0), ("prossimo", 1), ("prossima", 1), ("scorso", -1), ("scorsa", -1)],
    post_rel: &[
        ("scorso", -1), ("scorsa", -1), ("passato", -1), ("passata", -1), ("prossimo", 1),
        ("prossima", 1),
    ],
    units: &[
        ("giorno", "D"), ("giorni", "D"), ("settimana", "W"), ("settimane", "W"),
        ("mese", "M"), ("mesi", "M"), ("anno", "Y"), ("anni", "Y"),
    ],
    numbers: &[
        ("un", 1), ("uno", 1), ("una", 1), ("due", 2), ("tre", 3), ("quattro", 4),
        ("cinque", 5), ("sei", 6), ("sette", 7), ("otto", 8), ("nove", 9), ("dieci", 10),
        ("undici", 11), ("dodici", 12), ("quindici", 15), ("venti", 20), ("trenta", 30),
    ],
    ago_pre: &[],
    ago_post: &["fa"],
    future: &["sarà", "saranno", "dovrà", "dovrebbe", "previsto", "prevista", "fino", "prossimo", "prossima"],
};

/// Portuguese.
#[rustfmt::skip]
const PT: Lang = Lang {
    code: "pt",
    months: &[
        ("janeiro", 1), ("fevereiro", 2), ("março", 3), ("marco", 3), ("abril", 4),
        ("maio", 5), ("junho", 6), ("julho", 7), ("agosto", 8), ("setembro", 9),
        ("outubro", 10), ("novembro", 11), ("dezembro", 12),
    ],
    weekdays: &[
        ("segunda-feira", 1), ("terça-feira", 2), ("terca-feira", 2), ("quarta-feira", 3),
        ("quinta-feira", 4), ("sexta-feira", 5), ("sábado", 6), ("sabado", 6), ("domingo", 7),
    ],
    month_preps: &["em", "desde", "até", "início de", "final de", "meados de", "de"],
    linker: "de",
    rel_days: &[("hoje", 0), ("ontem", -1), ("amanhã", 1), ("anteontem", -2)],
    pre_rel: &[
        ("este", 0), ("esta", 0), ("neste", 0), ("nesta", 0), ("próximo", 1), ("próxima", 1),
    ],
    post_rel: &[
        ("passado", -1), ("passada", -1), ("próximo", 1), ("próxima", 1), ("que vem", 1),
    ],
    units: &[
        ("dia", "D"), ("dias", "D"), ("semana", "W"), ("semanas", "W"), ("mês", "M"),
        ("meses", "M"), ("ano", "Y"), ("anos", "Y"),
    ],
    numbers: &[
        ("um", 1), ("uma", 1), ("dois", 2), ("duas", 2), ("três", 3), ("quatro", 4),
        ("cinco", 5), ("seis", 6), ("sete", 7), ("oito", 8), ("nove", 9), ("dez", 10),
        ("onze", 11), ("doze", 12), ("quinze", 15), ("vinte", 20), ("trinta", 30),
    ],
    ago_pre: &["há", "ha", "faz"],
    ago_post: &["atrás"],
    future: &["será", "serão", "vai", "vão", "previsto", "prevista", "até", "próximo", "próxima"],
};

/// Every language with rules here.
pub(super) const LANGS: &[&Lang] = &[&FR, &ES, &DE, &IT, &PT];

/// The families of one language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Rule {
    /// Day, month and optional year (and an optional weekday before them).
    DayMonth,
    /// Month with a year, or after a preposition.
    Month,
    /// Weekday with an optional relative word.
    Weekday,
    /// A relative day word.
    RelDay,
    /// "N units ago".
    Ago,
    /// A unit with a relative word ("la semaine dernière").
    RelUnit,
}

/// A language's compiled families.
struct Compiled {
    lang: &'static Lang,
    rules: Vec<(Rule, Regex)>,
}

/// Start of a word: the text start or a character that is not part of a word. The
/// character is matched but lies outside the `t` group that gives the span.
const LB: &str = r"(?:^|[^\p{L}\p{N}])";
/// End of a word.
const RB: &str = r"(?:$|[^\p{L}\p{N}])";

/// An alternation of words, longest first, spaces as `\s+`, apostrophes either way.
fn alt<'a>(words: impl Iterator<Item = &'a str>) -> String {
    let mut w: Vec<&str> = words.collect();
    w.sort_by_key(|s| std::cmp::Reverse(s.len()));
    w.dedup();
    w.iter()
        .map(|s| regex::escape(s).replace(' ', r"\s+").replace('\'', "['’]"))
        .collect::<Vec<_>>()
        .join("|")
}

fn build(l: &'static Lang) -> Compiled {
    let months = alt(l.months.iter().map(|m| m.0));
    let wds = alt(l.weekdays.iter().map(|m| m.0));
    let year = r"(?P<y>1[6-9]\d\d|20\d\d)";
    let link =
        if l.linker.is_empty() { String::new() } else { format!(r"(?:(?:{})\s+)?", l.linker) };
    let pre = alt(l.pre_rel.iter().map(|m| m.0));
    let post = alt(l.post_rel.iter().map(|m| m.0));
    let pre_g = if pre.is_empty() { String::new() } else { format!(r"(?:(?P<pre>{pre})\s+)?") };
    let post_g = if post.is_empty() { String::new() } else { format!(r"(?:\s+(?P<post>{post}))?") };
    let units = alt(l.units.iter().map(|m| m.0));
    let num = format!(r"(?P<n>\d{{1,3}}|{})", alt(l.numbers.iter().map(|m| m.0)));
    let rel_days = alt(l.rel_days.iter().map(|m| m.0));
    let ago = if !l.ago_pre.is_empty() {
        format!(r"(?:{})\s+{num}\s+(?P<u>{units})", alt(l.ago_pre.iter().copied()))
    } else {
        format!(r"{num}\s+(?P<u>{units})\s+(?:{})", alt(l.ago_post.iter().copied()))
    };
    let specs: Vec<(Rule, String)> = vec![
        (
            Rule::DayMonth,
            format!(
                r"(?:(?P<wd>{wds})\s+)?(?P<d>[0-3]?\d)(?:er|\.|º|°|ª)?\s+{link}(?P<m>{months})(?:,?\s+{link}{year})?"
            ),
        ),
        (Rule::Month, format!(r"(?P<m>{months})(?:,?\s+{link}{year})?")),
        (Rule::Weekday, format!(r"{pre_g}(?P<wd>{wds}){post_g}")),
        (Rule::RelDay, format!(r"(?P<w>{rel_days})")),
        (Rule::Ago, ago),
        (Rule::RelUnit, format!(r"{pre_g}(?P<u>{units}){post_g}")),
    ];
    let rules = specs
        .into_iter()
        .filter_map(|(r, p)| Regex::new(&format!(r"(?i){LB}(?P<t>{p}){RB}")).ok().map(|re| (r, re)))
        .collect();
    Compiled { lang: l, rules }
}

/// The compiled families of language `code`, built on its first use.
fn compiled(code: &str) -> Option<&'static Compiled> {
    static C: [OnceLock<Compiled>; 5] =
        [OnceLock::new(), OnceLock::new(), OnceLock::new(), OnceLock::new(), OnceLock::new()];
    let k = LANGS.iter().position(|l| l.code == code)?;
    let lang: &'static Lang = LANGS.get(k)?;
    Some(C.get(k)?.get_or_init(|| build(lang)))
}

/// Whether `code` has rules here.
pub(super) fn supported(code: &str) -> bool {
    LANGS.iter().any(|l| l.code == code)
}

/// All (possibly overlapping) matches of the families of language `code` in `text`; none
/// for a language without rules.
pub(super) fn find_all(text: &str, anchor: Option<NaiveDate>, code: &str) -> Vec<Found> {
    let Some(c) = compiled(code) else { return Vec::new() };
    let mut out = Vec::new();
    for (rule, re) in &c.rules {
        // A match consumes the character after it: search again from that character so
        // that adjacent expressions ("hier, mardi") are both found.
        let mut at = 0;
        while let Some(caps) = re.captures_at(text, at) {
            let Some(t) = caps.name("t") else { break };
            at = t.end().max(at + 1);
            while !text.is_char_boundary(at) && at < text.len() {
                at += 1;
            }
            let x = Ctx { text, anchor, start: t.start(), lang: c.lang };
            if let Some((kind, value)) = apply(*rule, &caps, &x) {
                out.push(Found {
                    start: t.start(),
                    end: t.end(),
                    kind,
                    value,
                    anaphor: Anaphor::None,
                });
            }
            if at >= text.len() {
                break;
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
    lang: &'static Lang,
}

impl Ctx<'_> {
    /// The lowercased words of the sentence before the match (at most 60 bytes back).
    fn words_before(&self) -> Vec<String> {
        let mut s = self.start.saturating_sub(60);
        while !self.text.is_char_boundary(s) {
            s += 1;
        }
        let b = self.text.get(s..self.start).unwrap_or("");
        let b = match b.rfind(['.', '\n', '!', '?']) {
            Some(i) => b.get(i + 1..).unwrap_or(""),
            None => b,
        };
        b.split(|ch: char| !ch.is_alphanumeric() && ch != '\'' && ch != '’' && ch != '-')
            .filter(|w| !w.is_empty())
            .map(|w| w.trim_matches('-').to_lowercase().replace('’', "'"))
            .collect()
    }

    /// Whether the clause before the match reads as future.
    fn future(&self) -> bool {
        self.words_before().iter().any(|w| self.lang.future.contains(&w.as_str()))
    }
}

fn cap<'a>(c: &'a Captures, name: &str) -> Option<&'a str> {
    c.name(name).map(|m| m.as_str())
}

/// Looks a word up in a table, ignoring case, spacing and the apostrophe's shape.
fn lookup<T: Copy>(table: &[(&str, T)], word: &str) -> Option<T> {
    let w = word.to_lowercase().replace('’', "'");
    let w = w.split_whitespace().collect::<Vec<_>>().join(" ");
    table.iter().find(|(n, _)| *n == w).map(|(_, v)| *v)
}

/// The direction given by the `pre`/`post` relative words, if any.
fn rel(c: &Captures, l: &Lang) -> Option<i32> {
    cap(c, "post")
        .and_then(|w| lookup(l.post_rel, w))
        .or_else(|| cap(c, "pre").and_then(|w| lookup(l.pre_rel, w)))
}

fn apply(rule: Rule, c: &Captures, x: &Ctx) -> Option<(TimeType, String)> {
    let l = x.lang;
    let a = x.anchor;
    match rule {
        Rule::DayMonth => {
            let mo = lookup(l.months, cap(c, "m")?)?;
            let d: u32 = cap(c, "d")?.parse().ok()?;
            if !(1..=31).contains(&d) {
                return None;
            }
            let y = match (cap(c, "y").and_then(|y| y.parse().ok()), a) {
                (Some(y), _) => y,
                (None, Some(a)) => resolve::year_for(a, mo, d, x.future()),
                (None, None) => return Some((TimeType::Date, format!("XXXX-{mo:02}-{d:02}"))),
            };
            NaiveDate::from_ymd_opt(y, mo, d).map(|d| (TimeType::Date, ymd(d)))
        }
        Rule::Month => {
            let mo = lookup(l.months, cap(c, "m")?)?;
            if let Some(y) = cap(c, "y") {
                return Some((TimeType::Date, format!("{y}-{mo:02}")));
            }
            // A bare month name ("mars", "mai", "agosto") is a date only after a preposition.
            let words = x.words_before();
            let n = words.len();
            let prep = |k: usize| words.get(n.checked_sub(k)?..).map(|w| w.join(" "));
            if !(1..=3).any(|k| prep(k).is_some_and(|p| l.month_preps.contains(&p.as_str()))) {
                return None;
            }
            let Some(a) = a else { return Some((TimeType::Date, format!("XXXX-{mo:02}"))) };
            let y = resolve::year_for_month(a, mo, x.future());
            Some((TimeType::Date, format!("{y:04}-{mo:02}")))
        }
        Rule::Weekday => {
            let wd = lookup(l.weekdays, cap(c, "wd")?)?;
            let Some(a) = a else { return Some((TimeType::Date, format!("XXXX-WXX-{wd}"))) };
            let d = match rel(c, l) {
                Some(-1) => resolve::weekday(a, wd, -1, true)?,
                Some(1) => resolve::weekday(a, wd, 1, true)?,
                Some(_) => resolve::weekday(a, wd, 0, false)?,
                None => resolve::weekday(a, wd, if x.future() { 1 } else { -1 }, false)?,
            };
            Some((TimeType::Date, ymd(d)))
        }
        Rule::RelDay => {
            let w = cap(c, "w")?;
            let lw = w.to_lowercase();
            let prev = x.words_before().pop().unwrap_or_default();
            // "Morgen" (morning) and "la mañana" (the morning) are not "tomorrow".
            if (l.code == "de" && lw == "morgen" && !w.starts_with('m'))
                || (l.code == "es"
                    && lw == "mañana"
                    && ["la", "esta", "por", "de", "cada", "una"].contains(&prev.as_str()))
            {
                return None;
            }
            let shift = lookup(l.rel_days, w)?;
            let Some(a) = a else {
                let v = ["PAST_REF", "PRESENT_REF", "FUTURE_REF"][(shift.signum() + 1) as usize];
                return Some((TimeType::Date, v.into()));
            };
            Some((TimeType::Date, ymd(resolve::shift_days(a, shift)?)))
        }
        Rule::Ago => {
            let nw = cap(c, "n")?;
            let n = match nw.parse::<u32>() {
                Ok(n) => n,
                Err(_) => lookup(l.numbers, nw)?,
            };
            let unit = lookup(l.units, cap(c, "u")?)?;
            match a {
                Some(a) => Some((TimeType::Date, resolve::shifted(a, unit, -i64::from(n))?)),
                None => Some((TimeType::Date, "PAST_REF".into())),
            }
        }
        Rule::RelUnit => {
            let dir = rel(c, l)?;
            let unit = lookup(l.units, cap(c, "u")?)?;
            let Some(a) = a else {
                let v = ["PAST_REF", "PRESENT_REF", "FUTURE_REF"][(dir + 1) as usize];
                return Some((TimeType::Date, v.into()));
            };
            let v = match unit {
                "D" => return None,
                "W" => week(resolve::shift_days(a, 7 * i64::from(dir))?),
                "M" => month(resolve::shift_months(a, i64::from(dir))?),
                _ => resolve::shifted(a, "Y", i64::from(dir))?,
            };
            Some((TimeType::Date, v))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (language, text, anchor, expected (surface, value) in order, after `mod.rs` keeps
    /// the longest matches of these rules and the English ones).
    type Case = (&'static str, &'static str, &'static str, &'static [(&'static str, &'static str)]);

    #[test]
    fn table() {
        // 2026-03-04 is a Wednesday.
        let cases: &[Case] = &[
            (
                "fr",
                "Des inspecteurs avaient signalé la corrosion en janvier 2025.",
                "2026-03-04",
                &[("janvier 2025", "2025-01")],
            ),
            ("fr", "La VMSA a annoncé mardi le bilan.", "2026-03-04", &[("mardi", "2026-03-03")]),
            (
                "fr",
                "Le 3 mars 2026, le ferry a chaviré.",
                "2026-03-10",
                &[("3 mars 2026", "2026-03-03")],
            ),
            ("fr", "Le 1er mars, il pleuvait.", "2026-03-04", &[("1er mars", "2026-03-01")]),
            (
                "fr",
                "Il est parti hier, et reviendra demain.",
                "2026-03-04",
                &[("hier", "2026-03-03"), ("demain", "2026-03-05")],
            ),
            (
                "fr",
                "Aujourd’hui, le port est fermé.",
                "2026-03-04",
                &[("Aujourd’hui", "2026-03-04")],
            ),
            (
                "fr",
                "Il est arrivé jeudi dernier.",
                "2026-03-04",
                &[("jeudi dernier", "2026-02-26")],
            ),
            (
                "fr",
                "Le ferry a chaviré il y a deux jours.",
                "2026-03-04",
                &[("il y a deux jours", "2026-03-02")],
            ),
            (
                "fr",
                "L'enquête s'ouvrira lundi prochain.",
                "2026-03-04",
                &[("lundi prochain", "2026-03-09")],
            ),
            ("fr", "La réunion sera vendredi.", "2026-03-04", &[("vendredi", "2026-03-06")]),
            (
                "fr",
                "Le bilan de la semaine dernière.",
                "2026-03-04",
                &[("semaine dernière", "2026-W09")],
            ),
            ("fr", "Il a plu l'an dernier.", "2026-03-04", &[("an dernier", "2025")]),
            ("fr", "Mars est une planète; la mer était calme.", "2026-03-04", &[]),
            ("fr", "Les travaux ont eu lieu en octobre.", "2026-03-04", &[("octobre", "2025-10")]),
            ("fr", "Le port rouvrira mi-mai.", "2026-03-04", &[("mai", "2026-05")]),
            ("fr", "Le mardi 3 mars, il ventait.", "2026-03-04", &[("mardi 3 mars", "2026-03-03")]),
            ("fr", "Il a chaviré le 3 mars.", "", &[("3 mars", "XXXX-03-03")]),
            (
                "es",
                "El ferry volcó el 3 de marzo de 2026.",
                "2026-03-10",
                &[("3 de marzo de 2026", "2026-03-03")],
            ),
            ("es", "Ayer murieron tres personas.", "2026-03-04", &[("Ayer", "2026-03-03")]),
            ("es", "Llegó el lunes pasado.", "2026-03-04", &[("lunes pasado", "2026-03-02")]),
            ("es", "Ocurrió hace dos días.", "2026-03-04", &[("hace dos días", "2026-03-02")]),
            (
                "es",
                "Llegó por la mañana y se irá mañana.",
                "2026-03-04",
                &[("mañana", "2026-03-05")],
            ),
            (
                "es",
                "Las obras se hicieron en abril de 2025.",
                "2026-03-04",
                &[("abril de 2025", "2025-04")],
            ),
            (
                "de",
                "Die Fähre kenterte am 3. März 2026.",
                "2026-03-10",
                &[("3. März 2026", "2026-03-03")],
            ),
            ("de", "Gestern starben drei Menschen.", "2026-03-04", &[("Gestern", "2026-03-03")]),
            (
                "de",
                "Er kam letzten Montag und geht morgen.",
                "2026-03-04",
                &[("letzten Montag", "2026-03-02"), ("morgen", "2026-03-05")],
            ),
            ("de", "Am Morgen war es still.", "2026-03-04", &[]),
            (
                "de",
                "Das Unglück geschah vor zwei Tagen.",
                "2026-03-04",
                &[("vor zwei Tagen", "2026-03-02")],
            ),
            ("de", "Die Reparatur war im Januar.", "2026-03-04", &[("Januar", "2026-01")]),
            (
                "de",
                "Die Behörde teilte am Dienstag mit.",
                "2026-03-04",
                &[("Dienstag", "2026-03-03")],
            ),
            (
                "it",
                "Il traghetto si è capovolto il 3 marzo 2026.",
                "2026-03-10",
                &[("3 marzo 2026", "2026-03-03")],
            ),
            ("it", "Ieri sono morte tre persone.", "2026-03-04", &[("Ieri", "2026-03-03")]),
            ("it", "È arrivato lunedì scorso.", "2026-03-04", &[("lunedì scorso", "2026-03-02")]),
            ("it", "È successo due giorni fa.", "2026-03-04", &[("due giorni fa", "2026-03-02")]),
            ("it", "L'anno scorso.", "2026-03-04", &[("anno scorso", "2025")]),
            (
                "pt",
                "A balsa virou em 3 de março de 2026.",
                "2026-03-10",
                &[("3 de março de 2026", "2026-03-03")],
            ),
            ("pt", "Ontem morreram três pessoas.", "2026-03-04", &[("Ontem", "2026-03-03")]),
            (
                "pt",
                "Chegou na segunda-feira passada.",
                "2026-03-04",
                &[("segunda-feira passada", "2026-03-02")],
            ),
            ("pt", "Aconteceu há dois dias.", "2026-03-04", &[("há dois dias", "2026-03-02")]),
            ("pt", "O ano passado foi difícil.", "2026-03-04", &[("ano passado", "2025")]),
            // Languages without rules here keep the English ones only.
            ("nl", "Hij kwam gisteren, op 3 maart 2026.", "2026-03-04", &[("2026", "2026")]),
        ];
        for (lang, text, anchor, want) in cases {
            let anchor = NaiveDate::parse_from_str(anchor, "%Y-%m-%d").ok();
            let got: Vec<(String, String)> = super::super::extract_in(text, anchor, lang)
                .into_iter()
                .map(|t| (t.text, t.value))
                .collect();
            let want: Vec<(String, String)> =
                want.iter().map(|(s, v)| (s.to_string(), v.to_string())).collect();
            assert_eq!(got, want, "{lang}: {text}");
        }
    }

    #[test]
    fn every_family_compiles_for_every_language() {
        for l in LANGS {
            assert_eq!(build(l).rules.len(), 6, "{}", l.code);
            assert!(compiled(l.code).is_some(), "{}", l.code);
        }
    }

    #[test]
    fn spans_are_char_boundaries_of_the_text() {
        let text = "Août: le 15 août, l’année dernière; il y a 3 ans; hier… übermorgen «mardi»";
        for l in LANGS {
            for f in find_all(text, NaiveDate::from_ymd_opt(2026, 3, 4), l.code) {
                assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end));
                assert!(f.start < f.end);
            }
        }
    }

    proptest::proptest! {
        /// On any text built from date words, digits and odd characters, in any language:
        /// no panic, and every span is a non-empty slice of the text at char boundaries.
        #[test]
        fn spans_are_valid_on_any_text(
            words in proptest::collection::vec(proptest::sample::select(vec![
                "3", "31", "1er", "3.", "mars", "März", "de", "2026", "lunes", "lunedì", "hier",
                "il y a", "deux", "jours", "vor", "Tagen", "é", "’", "-", ",", "\n", "fa",
                "há", "dias", "mañana", "la", "dernière", "semaine", "août", "ſ", "", " ",
            ]), 0..24),
            lang in proptest::sample::select(vec!["fr", "es", "de", "it", "pt", "en", "und"]),
            anchored in proptest::bool::ANY,
        ) {
            let text = words.join(" ");
            let anchor = anchored.then(|| NaiveDate::from_ymd_opt(2026, 3, 4)).flatten();
            for t in super::super::extract_in(&text, anchor, lang) {
                proptest::prop_assert!(t.span.start < t.span.end);
                proptest::prop_assert_eq!(text.get(t.span.start..t.span.end), Some(t.text.as_str()));
            }
        }
    }
}
