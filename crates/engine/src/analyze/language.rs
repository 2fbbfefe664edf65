//! Language identification per article (whatlang), reported as an ISO 639-1 code.

/// Characters of the text the language is judged on.
const SAMPLE_CHARS: usize = 500;

/// ISO 639-1 code of the text's language, or "und" when unsure.
pub fn detect(text: &str) -> String {
    detect_prefix(text, SAMPLE_CHARS)
}

/// [`detect`] on the first `chars` characters of `text`.
pub fn detect_prefix(text: &str, chars: usize) -> String {
    let end = text.char_indices().nth(chars).map_or(text.len(), |(i, _)| i);
    let sample = text.get(..end).unwrap_or(text);
    if plainly_english(sample) {
        return "en".into();
    }
    whatlang_code(sample)
}

/// whatlang's decision on `sample`: its language when reliable or more likely than not.
fn whatlang_code(sample: &str) -> String {
    match whatlang::detect(sample) {
        Some(info) if info.is_reliable() || info.confidence() > 0.5 => iso639_1(info.lang()).into(),
        _ => "und".into(),
    }
}

/// Words English text is made of and no other language writes this often: the, and, of,
/// that, with, was, were, said... In news prose they are 15–35% of the words (`the` alone
/// 2–10%); in other languages a few percent at most.
const ENGLISH_WORDS: [&str; 24] = [
    "the", "and", "of", "that", "with", "was", "were", "said", "which", "has", "have", "from",
    "this", "they", "their", "will", "would", "been", "for", "is", "are", "by", "it", "its",
];
/// A sample with more than one letter in this many outside a–z is left to whatlang.
const FOREIGN_LETTERS: usize = 100;
/// Fewest words a sample needs before its word counts are trusted.
const MIN_WORDS: usize = 70;

/// Whether a sample is English beyond doubt, answered without whatlang (whose trigram scoring
/// of every Latin-script language was a tenth of the analysis): at most one letter in
/// [`FOREIGN_LETTERS`] outside a–z (a name such as "José" or "Zürich"; not the é, ß, ł of
/// text in another language, nor another script), at least [`MIN_WORDS`] words, at least
/// 15% of them [`ENGLISH_WORDS`] and 2% `the`. whatlang's scores come from the sample's
/// letters (its alphabet test cannot favour another language over English on a–z with a
/// stray accented letter) and from its most frequent trigrams, which for such a sample are
/// those of `the`, `and`, `of` and `that` (English's own most frequent ones), so it says
/// English, confidently. Anything
/// less clear-cut is left to whatlang; the test `plain_english_agrees_with_whatlang` checks
/// the agreement on every JSONL file it is given.
fn plainly_english(sample: &str) -> bool {
    let (mut ascii, mut other) = (0usize, 0usize);
    if sample.is_ascii() {
        ascii = sample.bytes().filter(u8::is_ascii_alphabetic).count();
    } else {
        for c in sample.chars() {
            if c.is_ascii_alphabetic() {
                ascii += 1;
            } else if !c.is_ascii() && c.is_alphabetic() {
                other += 1;
            }
        }
    }
    if other * FOREIGN_LETTERS > ascii + other {
        return false;
    }
    let (mut words, mut english, mut the) = (0usize, 0usize, 0usize);
    let mut low = [0u8; 8];
    for w in sample.split(|c: char| !c.is_ascii_alphabetic()).filter(|w| !w.is_empty()) {
        words += 1;
        let Some(buf) = low.get_mut(..w.len()) else { continue };
        buf.copy_from_slice(w.as_bytes());
        buf.make_ascii_lowercase();
        if ENGLISH_WORDS.iter().any(|e| e.as_bytes() == &*buf) {
            english += 1;
            the += usize::from(&*buf == b"the");
        }
    }
    words >= MIN_WORDS && english * 20 >= words * 3 && the * 50 >= words
}

fn iso639_1(lang: whatlang::Lang) -> &'static str {
    use whatlang::Lang::*;
    match lang {
        Eng => "en",
        Fra => "fr",
        Deu => "de",
        Spa => "es",
        Por => "pt",
        Ita => "it",
        Nld => "nl",
        Rus => "ru",
        Ukr => "uk",
        Pol => "pl",
        Ell => "el",
        Tur => "tr",
        Ara => "ar",
        Heb => "he",
        Cmn => "zh",
        Jpn => "ja",
        Kor => "ko",
        Swe => "sv",
        Dan => "da",
        Fin => "fi",
        Ces => "cs",
        Ron => "ro",
        Hun => "hu",
        Bul => "bg",
        Srp => "sr",
        Hrv => "hr",
        Pes => "fa",
        Hin => "hi",
        Ind => "id",
        Vie => "vi",
        other => other.code(),
    }
}

#[cfg(test)]
mod tests {
    /// How often a shorter sample changes the decision, on the JSONL files (`text` fields)
    /// listed in `LANG_AGREE` (colon-separated): `LANG_AGREE=a.jsonl cargo test --release
    /// -p chorus-engine --lib language -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn shorter_samples_agree() {
        let paths = std::env::var("LANG_AGREE").unwrap_or_default();
        for path in paths.split(':').filter(|p| !p.is_empty()) {
            let text = std::fs::read_to_string(path).unwrap_or_default();
            let docs: Vec<String> = text
                .lines()
                .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
                .filter_map(|v| v.get("text")?.as_str().map(str::to_string))
                .collect();
            for n in [150, 200, 250, 300, 400] {
                let differ =
                    docs.iter().filter(|d| super::detect(d) != super::detect_prefix(d, n)).count();
                println!("{path}: {n} chars: {differ} of {} decisions differ", docs.len());
            }
        }
    }

    /// The shortcut says English only where whatlang does, on the JSONL files (`text`
    /// fields) listed in `LANG_AGREE` (colon-separated), at every sample size: `LANG_AGREE=
    /// a.jsonl cargo test -p chorus-engine --lib language -- --ignored --nocapture`.
    #[test]
    #[ignore]
    fn plain_english_agrees_with_whatlang() {
        let paths = std::env::var("LANG_AGREE").unwrap_or_default();
        for path in paths.split(':').filter(|p| !p.is_empty()) {
            let text = std::fs::read_to_string(path).unwrap_or_default();
            let (mut docs, mut shortcut, mut english, mut wrong) = (0, 0, 0, 0);
            for d in text
                .lines()
                .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
                .filter_map(|v| v.get("text")?.as_str().map(str::to_string))
            {
                for n in [300, 500, 800, 2000] {
                    let end = d.char_indices().nth(n).map_or(d.len(), |(i, _)| i);
                    let sample = &d[..end];
                    let slow = super::whatlang_code(sample);
                    docs += 1;
                    english += usize::from(slow == "en");
                    if super::plainly_english(sample) {
                        shortcut += 1;
                        if slow != "en" {
                            println!("{path}: whatlang says {slow}: {sample:?}");
                            wrong += 1;
                        }
                    }
                }
            }
            println!("{path}: {docs} samples, {english} English, {shortcut} by the shortcut");
            assert_eq!(wrong, 0, "{path}: the shortcut and whatlang disagree");
        }
    }

    #[test]
    fn the_shortcut_takes_only_plain_english() {
        let english = "The Kremlin said on Monday that the future of the Russian bases in Syria would be discussed with the new authorities in Damascus, and that the talks had been planned for weeks. The ministry said it was in contact with the groups that have taken control of the city. Officials in Moscow have said that the bases will stay open for now, and that the fleet which used the port at Tartus would remain there until the new government has decided what it wants.";
        let table = [
            (english, true),
            // Too short to judge by counting words.
            ("The Kremlin said on Monday that the bases would stay.", false),
            // A name with an accented letter is still English; many accented letters are
            // left to whatlang.
            (&english.replace("Damascus", "Damaskus für"), true),
            (&english.replace("the", "thé"), false),
            ("Le Kremlin a déclaré lundi que l'avenir des bases russes en Syrie serait discuté avec les nouvelles autorités de Damas, et que les pourparlers étaient prévus depuis des semaines.", false),
            // Plain a–z but Dutch, with an English name in it.
            ("De regering heeft maandag gezegd dat de toekomst van de Russische bases in Syrie met de nieuwe autoriteiten in Damascus zal worden besproken, dat de gesprekken al weken gepland waren en dat het ministerie contact heeft met de groepen die The Guardian noemde.", false),
            ("Die Regierung hat am Montag mitgeteilt, dass die Zukunft der russischen Basen in Syrien mit den neuen Behörden in Damaskus besprochen werde und dass die Gespräche seit Wochen geplant seien und man in Kontakt mit den Gruppen stehe.", false),
        ];
        for (text, expected) in table {
            assert_eq!(super::plainly_english(text), expected, "{text}");
            if expected {
                assert_eq!(super::whatlang_code(text), "en", "{text}");
            }
        }
    }

    #[test]
    fn detects_english_and_french() {
        assert_eq!(super::detect("The Kremlin said on Monday that the future of the bases would be discussed with the new authorities."), "en");
        assert_eq!(super::detect("Le Kremlin a déclaré lundi que l'avenir des bases serait discuté avec les nouvelles autorités."), "fr");
    }
}
