//! Language identification per article (whatlang), reported as an ISO 639-1 code.

/// ISO 639-1 code of the text's language, or "und" when unsure.
pub fn detect(text: &str) -> String {
    let sample: String = text.chars().take(500).collect();
    match whatlang::detect(&sample) {
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
    #[test]
    fn detects_english_and_french() {
        assert_eq!(super::detect("The Kremlin said on Monday that the future of the bases would be discussed with the new authorities."), "en");
        assert_eq!(super::detect("Le Kremlin a déclaré lundi que l'avenir des bases serait discuté avec les nouvelles autorités."), "fr");
    }
}
