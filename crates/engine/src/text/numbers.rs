//! Number words of the languages chorus reads (en, fr, es, de, it, pt): one table of
//! cardinals (zero to nineteen or so, the tens, and the compounds each language writes as one
//! word — "twenty-one", "vingt-deux", "einundzwanzig", "ventitré"), multipliers ("hundred",
//! "dozen", "millions", "mln") and the English vague counts ("several", "many").
//!
//! Every stage that reads a spelled-out number asks here (the same-fact matcher, the
//! cross-language anchors, conflict slots, the sentence splitter, the clause splitter), so
//! a number word added for one of them is known to all. Words are looked up folded
//! (lowercase, accents kept: [`crate::text::fold`]). Each language is a `match`, which
//! compiles to a dispatch on the word's length and bytes: cheap enough for every word of
//! every statement.
//!
//! Words of one letter-sequence in several languages mean different things ("once" is
//! eleven in Spanish, "sei" six in Italian, "elf" eleven in German): callers pass the
//! language of the text. The words for one ("un", "ein", "uno") are articles as often as
//! counts: callers that cannot tell filter them out by value.

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
    if let Some((head, tail)) = word.rsplit_once('-') {
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

/// The table: (value, multiplier factor) of a one-part word; the factor is 0 for a
/// cardinal, and the value of a multiplier is its factor (1 for a plural or abbreviation,
/// which gives no number on its own).
#[rustfmt::skip]
fn single(lang: &str, w: &str) -> Option<(u64, u64)> {
    const K: u64 = 1_000;
    const M: u64 = 1_000_000;
    const G: u64 = 1_000_000_000;
    let card = |v: u64| Some((v, 0));
    let mult = |f: u64| Some((f, f));
    let plural = |f: u64| Some((1, f));
    match lang {
        "en" => match w {
            "zero" => card(0), "one" => card(1), "two" => card(2), "three" => card(3),
            "four" => card(4), "five" => card(5), "six" => card(6), "seven" => card(7),
            "eight" => card(8), "nine" => card(9), "ten" => card(10), "eleven" => card(11),
            "twelve" => card(12), "thirteen" => card(13), "fourteen" => card(14),
            "fifteen" => card(15), "sixteen" => card(16), "seventeen" => card(17),
            "eighteen" => card(18), "nineteen" => card(19), "twenty" => card(20),
            "thirty" => card(30), "forty" => card(40), "fifty" => card(50), "sixty" => card(60),
            "seventy" => card(70), "eighty" => card(80), "ninety" => card(90),
            "dozen" => mult(12), "hundred" => mult(100), "thousand" => mult(K),
            "million" => mult(M), "billion" => mult(G), "trillion" => mult(K * G),
            "dozens" => plural(12), "hundreds" => plural(100), "thousands" => plural(K),
            "millions" | "mln" => plural(M), "billions" | "bln" | "bn" => plural(G),
            "trillions" => plural(K * G),
            _ => None,
        },
        "fr" => match w {
            "zéro" => card(0), "un" | "une" => card(1), "deux" => card(2), "trois" => card(3),
            "quatre" => card(4), "cinq" => card(5), "six" => card(6), "sept" => card(7),
            "huit" => card(8), "neuf" => card(9), "dix" => card(10), "onze" => card(11),
            "douze" => card(12), "treize" => card(13), "quatorze" => card(14),
            "quinze" => card(15), "seize" => card(16), "vingt" => card(20),
            "trente" => card(30), "quarante" => card(40), "cinquante" => card(50),
            "soixante" => card(60), "soixante-dix" => card(70),
            "quatre-vingt" | "quatre-vingts" => card(80), "quatre-vingt-dix" => card(90),
            "douzaine" => mult(12), "cent" => mult(100), "mille" => mult(K),
            "million" => mult(M), "milliard" => mult(G),
            "douzaines" => plural(12), "cents" => plural(100), "millions" => plural(M),
            "milliards" => plural(G),
            _ => None,
        },
        "es" => match w {
            "cero" => card(0), "uno" | "una" | "un" => card(1), "dos" => card(2),
            "tres" => card(3), "cuatro" => card(4), "cinco" => card(5), "seis" => card(6),
            "siete" => card(7), "ocho" => card(8), "nueve" => card(9), "diez" => card(10),
            "once" => card(11), "doce" => card(12), "trece" => card(13), "catorce" => card(14),
            "quince" => card(15), "dieciséis" | "dieciseis" => card(16),
            "diecisiete" => card(17), "dieciocho" => card(18), "diecinueve" => card(19),
            "veinte" => card(20), "treinta" => card(30), "cuarenta" => card(40),
            "cincuenta" => card(50), "sesenta" => card(60), "setenta" => card(70),
            "ochenta" => card(80), "noventa" => card(90),
            "docena" => mult(12), "cien" | "ciento" => mult(100), "mil" => mult(K),
            "millón" => mult(M),
            "docenas" => plural(12), "cientos" => plural(100), "millones" => plural(M),
            _ => None,
        },
        "de" => match w {
            "null" => card(0), "eins" | "ein" | "eine" => card(1), "zwei" => card(2),
            "drei" => card(3), "vier" => card(4), "fünf" => card(5), "sechs" => card(6),
            "sieben" => card(7), "acht" => card(8), "neun" => card(9), "zehn" => card(10),
            "elf" => card(11), "zwölf" => card(12), "dreizehn" => card(13),
            "vierzehn" => card(14), "fünfzehn" => card(15), "sechzehn" => card(16),
            "siebzehn" => card(17), "achtzehn" => card(18), "neunzehn" => card(19),
            "zwanzig" => card(20), "dreißig" => card(30), "vierzig" => card(40),
            "fünfzig" => card(50), "sechzig" => card(60), "siebzig" => card(70),
            "achtzig" => card(80), "neunzig" => card(90),
            "dutzend" => mult(12), "hundert" => mult(100), "tausend" => mult(K),
            "million" => mult(M), "milliarde" => mult(G),
            "dutzende" => plural(12), "hunderte" => plural(100), "tausende" => plural(K),
            "millionen" | "mio" => plural(M), "milliarden" | "mrd" => plural(G),
            _ => None,
        },
        "it" => match w {
            "zero" => card(0), "uno" | "una" | "un" => card(1), "due" => card(2),
            "tre" => card(3), "quattro" => card(4), "cinque" => card(5), "sei" => card(6),
            "sette" => card(7), "otto" => card(8), "nove" => card(9), "dieci" => card(10),
            "undici" => card(11), "dodici" => card(12), "tredici" => card(13),
            "quattordici" => card(14), "quindici" => card(15), "sedici" => card(16),
            "diciassette" => card(17), "diciotto" => card(18), "diciannove" => card(19),
            "venti" => card(20), "trenta" => card(30), "quaranta" => card(40),
            "cinquanta" => card(50), "sessanta" => card(60), "settanta" => card(70),
            "ottanta" => card(80), "novanta" => card(90),
            "dozzina" => mult(12), "cento" => mult(100), "mille" => mult(K),
            "milione" => mult(M), "miliardo" => mult(G),
            "dozzine" => plural(12), "mila" => plural(K), "milioni" => plural(M),
            "miliardi" => plural(G),
            _ => None,
        },
        "pt" => match w {
            "zero" => card(0), "um" | "uma" => card(1), "dois" | "duas" => card(2),
            "três" => card(3), "quatro" => card(4), "cinco" => card(5), "seis" => card(6),
            "sete" => card(7), "oito" => card(8), "nove" => card(9), "dez" => card(10),
            "onze" => card(11), "doze" => card(12), "treze" => card(13),
            "catorze" | "quatorze" => card(14), "quinze" => card(15),
            "dezesseis" | "dezasseis" => card(16), "dezessete" | "dezassete" => card(17),
            "dezoito" => card(18), "dezenove" | "dezanove" => card(19), "vinte" => card(20),
            "trinta" => card(30), "quarenta" => card(40), "cinquenta" => card(50),
            "sessenta" => card(60), "setenta" => card(70), "oitenta" => card(80),
            "noventa" => card(90),
            "dúzia" => mult(12), "cem" | "cento" => mult(100), "mil" => mult(K),
            "milhão" => mult(M), "bilhão" => mult(G),
            "dúzias" => plural(12), "milhões" => plural(M), "bilhões" => plural(G),
            _ => None,
        },
        _ => None,
    }
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
    fn english_multipliers_read_back() {
        for f in [12, 100, 1_000, 1_000_000, 1_000_000_000, 1_000_000_000_000] {
            let w = english_multiplier(f).expect("known factor");
            assert_eq!(multiplier("en", w), Some(f), "{w}");
        }
        assert_eq!(english_multiplier(7), None);
    }
}
