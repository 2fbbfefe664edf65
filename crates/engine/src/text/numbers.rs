//! Number words of the languages chorus reads (en, fr, es, de, it, pt): one table of
//! cardinals (zero to nineteen or so, the tens, and the compounds each language writes as one
//! word — "twenty-one", "vingt-deux", "einundzwanzig", "ventitré"), multipliers ("hundred",
//! "dozen", "millions", "mln") and the English vague counts ("several", "many").
//!
//! Every stage that reads a spelled-out number asks here (the same-fact matcher, the
//! cross-language anchors, conflict slots, the sentence splitter, the clause splitter), so
//! a number word added for one of them is known to all. Words are looked up folded
//! (lowercase, accents kept: [`crate::text::fold`]). Each language's words are hashed once,
//! so a lookup costs one hash of the word: cheap enough for every word of every statement.
//!
//! Words of one letter-sequence in several languages mean different things ("once" is
//! eleven in Spanish, "sei" six in Italian, "elf" eleven in German): callers pass the
//! language of the text. The words for one ("un", "ein", "uno") are articles as often as
//! counts: callers that cannot tell filter them out by value.

use std::sync::OnceLock;

use crate::analyze::signature::FastMap;

/// Languages of the table, ISO 639-1.
pub const LANGUAGES: [&str; 6] = ["en", "fr", "es", "de", "it", "pt"];

/// The value of the number word `word` (folded) in language `lang`: a cardinal
/// ([`cardinal`]) or a multiplier in the singular ("hundred" = 100, "dozen" = 12,
/// "million" = 1,000,000). Plural and abbreviated multipliers ("hundreds", "mln") are
/// [`multiplier`]s only: they scale a number, they do not give one.
pub fn number_word(lang: &str, word: &str) -> Option<u64> {
    cardinal(lang, word)
        .or_else(|| single(lang, word).filter(|&(v, m)| m > 0 && v == m).map(|p| p.0))
}

/// The value of a cardinal below one hundred spelled as one word in `lang` ("seven",
/// "twenty-five", "dix-sept", "quatre-vingt-douze", "dreiundzwanzig", "ventotto").
pub fn cardinal(lang: &str, word: &str) -> Option<u64> {
    if let Some((v, 0)) = single(lang, word) {
        return Some(v);
    }
    compound(lang, word)
}

/// The factor of a multiplier word in `lang`, singular, plural or abbreviated ("dozen" and
/// "dozens" = 12, "hundred" = 100, "mln" = 1,000,000, "milliards" = 10⁹).
pub fn multiplier(lang: &str, word: &str) -> Option<u64> {
    match single(lang, word) {
        Some((_, m)) if m > 0 => Some(m),
        _ => None,
    }
}

/// The English word of the multiplier `factor` ("thousand" for 1,000), which
/// [`multiplier`]`("en", …)` reads back; `None` for a factor English has no word for here.
pub fn english_multiplier(factor: u64) -> Option<&'static str> {
    Some(match factor {
        12 => "dozen",
        100 => "hundred",
        1_000 => "thousand",
        1_000_000 => "million",
        1_000_000_000 => "billion",
        1_000_000_000_000 => "trillion",
        _ => return None,
    })
}

/// Whether `word` (folded, English) is a count without a number: "several", "many", "few",
/// "fewer", "more", "others", or a plural multiplier ("dozens", "hundreds", "thousands").
pub fn is_vague_count(word: &str) -> bool {
    matches!(word, "several" | "many" | "few" | "fewer" | "more" | "others")
        || word.ends_with('s') && multiplier("en", word).is_some()
}

/// A two-part cardinal: tens and a unit joined by a hyphen (all languages; "vingt-et-un"),
/// by "und" in German ("einundzwanzig"), written together in Italian ("ventidue",
/// "ventotto", "trentatré").
fn compound(lang: &str, word: &str) -> Option<u64> {
    // A byte scan first: most words have no hyphen, and `rsplit_once` costs more.
    let split = if word.as_bytes().contains(&b'-') { word.rsplit_once('-') } else { None };
    if let Some((head, tail)) = split {
        let head = head.strip_suffix("-et").unwrap_or(head);
        // The head is one table word ("quatre-vingt-dix" in "quatre-vingt-dix-sept").
        let (Some((t, 0)), Some((u, 0))) = (single(lang, head), single(lang, tail)) else {
            return None;
        };
        // French counts on from sixty and eighty to nineteen ("soixante-douze").
        let fits = lang == "fr"
            && (t == 10 && (7..=9).contains(&u) || matches!(t, 60 | 80) && (1..=19).contains(&u));
        return (fits || t >= 20 && t % 10 == 0 && (1..=9).contains(&u)).then_some(t + u);
    }
    match lang {
        "de" => {
            let (u, t) = word.split_once("und")?;
            let u = if u == "ein" {
                1
            } else {
                single(lang, u).filter(|&(u, m)| m == 0 && (1..10).contains(&u))?.0
            };
            let (t, _) = single(lang, t).filter(|&(t, m)| m == 0 && t >= 20 && t % 10 == 0)?;
            Some(t + u)
        }
        "it" => {
            // The tens lose their last vowel before "uno" and "otto".
            const TENS: [&str; 8] = [
                "venti",
                "trenta",
                "quaranta",
                "cinquanta",
                "sessanta",
                "settanta",
                "ottanta",
                "novanta",
            ];
            TENS.iter().zip((2..).map(|k| 10 * k)).find_map(|(tens, t)| {
                let rest = word.strip_prefix(tens).or_else(|| {
                    let short = tens.get(..tens.len() - 1)?;
                    word.strip_prefix(short).filter(|r| matches!(*r, "uno" | "otto"))
                })?;
                let u =
                    if rest == "tré" { 3 } else { single(lang, rest).filter(|&(_, m)| m == 0)?.0 };
                (1..=9).contains(&u).then_some(t + u)
            })
        }
        _ => None,
    }
}

/// A word of the table: (word, value, multiplier factor). The factor is 0 for a cardinal;
/// the value of a multiplier is its factor, or 1 for a plural or abbreviation, which gives
/// no number on its own.
type Entry = (&'static str, u64, u64);

/// A cardinal.
const fn c(word: &'static str, value: u64) -> Entry {
    (word, value, 0)
}

/// A multiplier in the singular: a number on its own too ("a hundred").
const fn m(word: &'static str, factor: u64) -> Entry {
    (word, factor, factor)
}

/// A plural or abbreviated multiplier.
const fn p(word: &'static str, factor: u64) -> Entry {
    (word, 1, factor)
}

const K: u64 = 1_000;
const M: u64 = 1_000_000;
const G: u64 = 1_000_000_000;

/// The one-part number words of each language of [`LANGUAGES`], in its order.
#[rustfmt::skip]
const TABLE: [&[Entry]; 6] = [
    // en
    &[
        c("zero", 0), c("one", 1), c("two", 2), c("three", 3), c("four", 4), c("five", 5),
        c("six", 6), c("seven", 7), c("eight", 8), c("nine", 9), c("ten", 10), c("eleven", 11),
        c("twelve", 12), c("thirteen", 13), c("fourteen", 14), c("fifteen", 15), c("sixteen", 16),
        c("seventeen", 17), c("eighteen", 18), c("nineteen", 19), c("twenty", 20), c("thirty", 30),
        c("forty", 40), c("fifty", 50), c("sixty", 60), c("seventy", 70), c("eighty", 80),
        c("ninety", 90), m("dozen", 12), m("hundred", 100), m("thousand", K), m("million", M),
        m("billion", G), m("trillion", K * G), p("dozens", 12), p("hundreds", 100),
        p("thousands", K), p("millions", M), p("mln", M), p("billions", G), p("bln", G), p("bn", G),
        p("trillions", K * G),
    ],
    // fr
    &[
        c("zéro", 0), c("un", 1), c("une", 1), c("deux", 2), c("trois", 3), c("quatre", 4),
        c("cinq", 5), c("six", 6), c("sept", 7), c("huit", 8), c("neuf", 9), c("dix", 10),
        c("onze", 11), c("douze", 12), c("treize", 13), c("quatorze", 14), c("quinze", 15),
        c("seize", 16), c("vingt", 20), c("trente", 30), c("quarante", 40), c("cinquante", 50),
        c("soixante", 60), c("soixante-dix", 70), c("quatre-vingt", 80), c("quatre-vingts", 80),
        c("quatre-vingt-dix", 90), m("douzaine", 12), m("cent", 100), m("mille", K),
        m("million", M), m("milliard", G), p("douzaines", 12), p("cents", 100), p("millions", M),
        p("milliards", G),
    ],
    // es
    &[
        c("cero", 0), c("uno", 1), c("una", 1), c("un", 1), c("dos", 2), c("tres", 3),
        c("cuatro", 4), c("cinco", 5), c("seis", 6), c("siete", 7), c("ocho", 8), c("nueve", 9),
        c("diez", 10), c("once", 11), c("doce", 12), c("trece", 13), c("catorce", 14),
        c("quince", 15), c("dieciséis", 16), c("dieciseis", 16), c("diecisiete", 17),
        c("dieciocho", 18), c("diecinueve", 19), c("veinte", 20), c("treinta", 30),
        c("cuarenta", 40), c("cincuenta", 50), c("sesenta", 60), c("setenta", 70), c("ochenta", 80),
        c("noventa", 90), m("docena", 12), m("cien", 100), m("ciento", 100), m("mil", K),
        m("millón", M), p("docenas", 12), p("cientos", 100), p("millones", M),
    ],
    // de
    &[
        c("null", 0), c("eins", 1), c("ein", 1), c("eine", 1), c("zwei", 2), c("drei", 3),
        c("vier", 4), c("fünf", 5), c("sechs", 6), c("sieben", 7), c("acht", 8), c("neun", 9),
        c("zehn", 10), c("elf", 11), c("zwölf", 12), c("dreizehn", 13), c("vierzehn", 14),
        c("fünfzehn", 15), c("sechzehn", 16), c("siebzehn", 17), c("achtzehn", 18),
        c("neunzehn", 19), c("zwanzig", 20), c("dreißig", 30), c("vierzig", 40), c("fünfzig", 50),
        c("sechzig", 60), c("siebzig", 70), c("achtzig", 80), c("neunzig", 90), m("dutzend", 12),
        m("hundert", 100), m("tausend", K), m("million", M), m("milliarde", G), p("dutzende", 12),
        p("hunderte", 100), p("tausende", K), p("millionen", M), p("mio", M), p("milliarden", G),
        p("mrd", G),
    ],
    // it
    &[
        c("zero", 0), c("uno", 1), c("una", 1), c("un", 1), c("due", 2), c("tre", 3),
        c("quattro", 4), c("cinque", 5), c("sei", 6), c("sette", 7), c("otto", 8), c("nove", 9),
        c("dieci", 10), c("undici", 11), c("dodici", 12), c("tredici", 13), c("quattordici", 14),
        c("quindici", 15), c("sedici", 16), c("diciassette", 17), c("diciotto", 18),
        c("diciannove", 19), c("venti", 20), c("trenta", 30), c("quaranta", 40), c("cinquanta", 50),
        c("sessanta", 60), c("settanta", 70), c("ottanta", 80), c("novanta", 90), m("dozzina", 12),
        m("cento", 100), m("mille", K), m("milione", M), m("miliardo", G), p("dozzine", 12),
        p("mila", K), p("milioni", M), p("miliardi", G),
    ],
    // pt
    &[
        c("zero", 0), c("um", 1), c("uma", 1), c("dois", 2), c("duas", 2), c("três", 3),
        c("quatro", 4), c("cinco", 5), c("seis", 6), c("sete", 7), c("oito", 8), c("nove", 9),
        c("dez", 10), c("onze", 11), c("doze", 12), c("treze", 13), c("catorze", 14),
        c("quatorze", 14), c("quinze", 15), c("dezesseis", 16), c("dezasseis", 16),
        c("dezessete", 17), c("dezassete", 17), c("dezoito", 18), c("dezenove", 19),
        c("dezanove", 19), c("vinte", 20), c("trinta", 30), c("quarenta", 40), c("cinquenta", 50),
        c("sessenta", 60), c("setenta", 70), c("oitenta", 80), c("noventa", 90), m("dúzia", 12),
        m("cem", 100), m("cento", 100), m("mil", K), m("milhão", M), m("bilhão", G),
        p("dúzias", 12), p("milhões", M), p("bilhões", G),
    ],
];

/// One language's table, hashed, with a cheap first test: the first and last bytes the
/// table's words of each length have (bit `byte & 31`), so most words are turned away
/// before they are hashed.
struct Hashed {
    words: FastMap<&'static str, (u64, u64)>,
    first: [u32; 32],
    last: [u32; 32],
}

/// (value, factor) of the one-part word `w` in `lang` (see [`Entry`]); each language's
/// table is hashed once.
fn single(lang: &str, w: &str) -> Option<(u64, u64)> {
    static HASHED: OnceLock<Vec<Hashed>> = OnceLock::new();
    let all = HASHED.get_or_init(|| {
        TABLE
            .iter()
            .map(|t| {
                let mut h = Hashed { words: FastMap::default(), first: [0; 32], last: [0; 32] };
                for &(w, v, f) in *t {
                    h.words.insert(w, (v, f));
                    // Every word of the table is shorter than 32 bytes (a test checks each
                    // is found).
                    let b = w.as_bytes();
                    let masks = (h.first.get_mut(b.len()), h.last.get_mut(b.len()));
                    if let (Some(x), Some(y), (Some(fm), Some(lm))) = (b.first(), b.last(), masks) {
                        *fm |= 1 << (x & 31);
                        *lm |= 1 << (y & 31);
                    }
                }
                h
            })
            .collect()
    });
    let h = all.get(LANGUAGES.iter().position(|&l| l == lang)?)?;
    let b = w.as_bytes();
    let (x, y) = (b.first()?, b.last()?);
    let (fm, lm) = (h.first.get(b.len())?, h.last.get(b.len())?);
    if fm & 1 << (x & 31) == 0 || lm & 1 << (y & 31) == 0 {
        return None;
    }
    h.words.get(w).copied()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_reads_its_number_words() {
        // (language, word, number_word, cardinal, multiplier, vague count)
        type Row = (&'static str, &'static str, Option<u64>, Option<u64>, Option<u64>, bool);
        let table: &[Row] = &[
            ("en", "zero", Some(0), Some(0), None, false),
            ("en", "one", Some(1), Some(1), None, false),
            ("en", "nineteen", Some(19), Some(19), None, false),
            ("en", "twenty", Some(20), Some(20), None, false),
            ("en", "twenty-one", Some(21), Some(21), None, false),
            ("en", "ninety-nine", Some(99), Some(99), None, false),
            ("en", "twenty-zero", None, None, None, false),
            ("en", "forty-ten", None, None, None, false),
            ("en", "ten-five", None, None, None, false),
            ("en", "twenty-one-two", None, None, None, false),
            ("en", "dozen", Some(12), None, Some(12), false),
            ("en", "dozens", None, None, Some(12), true),
            ("en", "hundred", Some(100), None, Some(100), false),
            ("en", "thousand", Some(1_000), None, Some(1_000), false),
            ("en", "million", Some(1_000_000), None, Some(1_000_000), false),
            ("en", "mln", None, None, Some(1_000_000), false),
            ("en", "bn", None, None, Some(1_000_000_000), false),
            ("en", "often", None, None, None, false),
            ("en", "several", None, None, None, true),
            ("en", "others", None, None, None, true),
            ("en", "hundreds", None, None, Some(100), true),
            ("en", "deux", None, None, None, false),
            ("fr", "zéro", Some(0), Some(0), None, false),
            ("fr", "deux", Some(2), Some(2), None, false),
            ("fr", "seize", Some(16), Some(16), None, false),
            ("fr", "dix-sept", Some(17), Some(17), None, false),
            ("fr", "vingt", Some(20), Some(20), None, false),
            ("fr", "vingt-et-un", Some(21), Some(21), None, false),
            ("fr", "vingt-deux", Some(22), Some(22), None, false),
            ("fr", "soixante-dix", Some(70), Some(70), None, false),
            ("fr", "soixante-douze", Some(72), Some(72), None, false),
            ("fr", "quatre-vingt-douze", Some(92), Some(92), None, false),
            ("fr", "quatre-vingt-dix-sept", Some(97), Some(97), None, false),
            ("fr", "soixante-et-onze", Some(71), Some(71), None, false),
            ("fr", "dix-deux", None, None, None, false),
            ("fr", "cent", Some(100), None, Some(100), false),
            ("fr", "mille", Some(1_000), None, Some(1_000), false),
            ("fr", "millions", None, None, Some(1_000_000), false),
            ("fr", "douzaine", Some(12), None, Some(12), false),
            ("fr", "two", None, None, None, false),
            ("es", "cero", Some(0), Some(0), None, false),
            ("es", "once", Some(11), Some(11), None, false),
            ("es", "veinte", Some(20), Some(20), None, false),
            ("es", "diecisiete", Some(17), Some(17), None, false),
            ("es", "mil", Some(1_000), None, Some(1_000), false),
            ("es", "millones", None, None, Some(1_000_000), false),
            ("es", "docena", Some(12), None, Some(12), false),
            ("de", "null", Some(0), Some(0), None, false),
            ("de", "zwölf", Some(12), Some(12), None, false),
            ("de", "zwanzig", Some(20), Some(20), None, false),
            ("de", "einundzwanzig", Some(21), Some(21), None, false),
            ("de", "dreiundvierzig", Some(43), Some(43), None, false),
            ("de", "zwölfundzwanzig", None, None, None, false),
            ("de", "tausend", Some(1_000), None, Some(1_000), false),
            ("de", "millionen", None, None, Some(1_000_000), false),
            ("de", "dutzend", Some(12), None, Some(12), false),
            ("it", "zero", Some(0), Some(0), None, false),
            ("it", "sei", Some(6), Some(6), None, false),
            ("it", "venti", Some(20), Some(20), None, false),
            ("it", "ventuno", Some(21), Some(21), None, false),
            ("it", "ventidue", Some(22), Some(22), None, false),
            ("it", "trentatré", Some(33), Some(33), None, false),
            ("it", "ottantotto", Some(88), Some(88), None, false),
            ("it", "ventidieci", None, None, None, false),
            ("it", "cento", Some(100), None, Some(100), false),
            ("it", "milioni", None, None, Some(1_000_000), false),
            ("it", "dozzina", Some(12), None, Some(12), false),
            ("pt", "zero", Some(0), Some(0), None, false),
            ("pt", "duas", Some(2), Some(2), None, false),
            ("pt", "três", Some(3), Some(3), None, false),
            ("pt", "dezenove", Some(19), Some(19), None, false),
            ("pt", "vinte", Some(20), Some(20), None, false),
            ("pt", "mil", Some(1_000), None, Some(1_000), false),
            ("pt", "milhões", None, None, Some(1_000_000), false),
            ("pt", "dúzia", Some(12), None, Some(12), false),
            ("xx", "two", None, None, None, false),
        ];
        for &(lang, word, nw, card, mult, vague) in table {
            assert_eq!(number_word(lang, word), nw, "number_word {lang} {word}");
            assert_eq!(cardinal(lang, word), card, "cardinal {lang} {word}");
            assert_eq!(multiplier(lang, word), mult, "multiplier {lang} {word}");
            assert_eq!(lang == "en" && is_vague_count(word), vague, "vague {lang} {word}");
        }
    }

    #[test]
    fn every_language_counts_to_twenty_and_has_its_tens() {
        for lang in LANGUAGES {
            let mut seen = [false; 100];
            for &w in WORDS {
                if let Some(v) = cardinal(lang, w) {
                    seen[v as usize] = true;
                }
            }
            let missing: Vec<usize> =
                (0..100).filter(|&v| (v <= 20 || v % 10 == 0) && !seen[v]).collect();
            assert!(missing.is_empty(), "{lang} misses {missing:?}");
            for m in [100, 1_000, 1_000_000] {
                assert!(
                    WORDS.iter().any(|w| number_word(lang, w) == Some(m)),
                    "{lang} has no word for {m}"
                );
            }
        }
    }

    /// Number words of every language of the table (the ones one to twenty, the tens, the
    /// multipliers), tried in each language.
    #[rustfmt::skip]
    const WORDS: &[&str] = &[
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
        "nineteen", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
        "hundred", "thousand", "million", "zéro", "un", "deux", "trois", "quatre", "cinq", "sept",
        "huit", "neuf", "dix", "onze", "douze", "treize", "quatorze", "quinze", "seize", "dix-sept",
        "dix-huit", "dix-neuf", "vingt", "trente", "quarante", "cinquante", "soixante",
        "soixante-dix", "quatre-vingts", "quatre-vingt-dix", "cent", "mille", "cero", "uno", "dos",
        "tres", "cuatro", "cinco", "seis", "siete", "ocho", "nueve", "diez", "once", "doce",
        "trece", "catorce", "quince", "dieciséis", "diecisiete", "dieciocho", "diecinueve",
        "veinte", "treinta", "cuarenta", "cincuenta", "sesenta", "setenta", "ochenta", "noventa",
        "cien", "mil", "millón", "null", "eins", "zwei", "drei", "vier", "fünf", "sechs", "sieben",
        "acht", "neun", "zehn", "elf", "zwölf", "dreizehn", "vierzehn", "fünfzehn", "sechzehn",
        "siebzehn", "achtzehn", "neunzehn", "zwanzig", "dreißig", "vierzig", "fünfzig", "sechzig",
        "siebzig", "achtzig", "neunzig", "hundert", "tausend", "due", "tre", "quattro", "cinque",
        "sei", "sette", "otto", "nove", "dieci", "undici", "dodici", "tredici", "quattordici",
        "quindici", "sedici", "diciassette", "diciotto", "diciannove", "venti", "trenta",
        "quaranta", "cinquanta", "sessanta", "settanta", "ottanta", "novanta", "cento", "milione",
        "um", "dois", "três", "dez", "doze", "treze", "catorze", "dezesseis", "dezessete",
        "dezoito", "dezenove", "vinte", "trinta", "quarenta", "sessenta", "oitenta", "cem",
        "milhão", "million", "quatro", "sete", "oito", "cinquenta",
    ];

    #[test]
    fn every_table_word_is_found() {
        for (lang, table) in LANGUAGES.iter().zip(TABLE) {
            for &(w, v, f) in table {
                assert_eq!(single(lang, w), Some((v, f)), "{lang} {w}");
            }
            assert_eq!(single(lang, ""), None);
        }
    }

    #[test]
    fn english_multipliers_read_back() {
        for f in [12, 100, 1_000, 1_000_000, 1_000_000_000, 1_000_000_000_000] {
            let w = english_multiplier(f).expect("known factor");
            assert_eq!(multiplier("en", w), Some(f), "{w}");
        }
        assert_eq!(english_multiplier(7), None);
    }
}
