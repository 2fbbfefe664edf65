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
    match whatlang::detect(sample) {
        Some(info) if info.is_reliable() || info.confidence() > 0.5 => iso639_1(info.lang()).into(),
        _ => "und".into(),
    }
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

    #[test]
    fn detects_english_and_french() {
        assert_eq!(super::detect("The Kremlin said on Monday that the future of the bases would be discussed with the new authorities."), "en");
        assert_eq!(super::detect("Le Kremlin a déclaré lundi que l'avenir des bases serait discuté avec les nouvelles autorités."), "fr");
    }
}
