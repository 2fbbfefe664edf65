//! Charset detection and decoding: BOM first, then strict UTF-8, then chardetng's guess
//! decoded with encoding_rs. Binary data (NUL bytes, control-character soup) is refused, and
//! so is UTF-8 with invalid bytes in it (decoding it as a legacy charset would turn every
//! accented letter into mojibake; saying where it breaks lets the user fix the file).

/// Decodes bytes of unknown charset to a `String`, or says why it cannot.
pub fn decode(bytes: &[u8]) -> Result<String, String> {
    if let Some((enc, bom)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, had_errors) = enc.decode_without_bom_handling(&bytes[bom..]);
        if had_errors {
            return Err(format!("invalid {} after its byte-order mark", enc.name()));
        }
        return check_text(text.into_owned());
    }
    if looks_binary(bytes) {
        return Err("binary data, not text".into());
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return check_text(s.to_string());
    }
    if let Some(at) = damaged_utf8(bytes) {
        return Err(format!("invalid UTF-8 at byte {at} (the rest of the text is UTF-8)"));
    }
    let mut det = chardetng::EncodingDetector::new();
    det.feed(bytes, true);
    let enc = det.guess(None, true);
    let (text, _, _) = enc.decode(bytes);
    check_text(text.into_owned())
}

/// Whether bytes look like binary data (NUL bytes, many control characters).
pub(crate) fn looks_binary(bytes: &[u8]) -> bool {
    let sample = &bytes[..bytes.len().min(8192)];
    if sample.is_empty() {
        return false;
    }
    let nul = sample.iter().filter(|&&b| b == 0).count();
    let ctrl =
        sample.iter().filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c)).count();
    nul > 0 || ctrl * 10 > sample.len()
}

/// Where bytes that are UTF-8 apart from a few invalid sequences first go wrong: `Some(offset)`
/// when there are at least two valid multi-byte characters per invalid sequence (legacy
/// single-byte text almost never forms valid multi-byte UTF-8: an accented letter is
/// followed by ASCII), `None` for valid UTF-8 and for text in another charset.
pub(crate) fn damaged_utf8(bytes: &[u8]) -> Option<usize> {
    let (mut multibyte, mut invalid, mut first, mut at) = (0usize, 0usize, None, 0usize);
    for chunk in bytes.utf8_chunks() {
        multibyte += chunk.valid().chars().filter(|c| !c.is_ascii()).count();
        at += chunk.valid().len();
        if !chunk.invalid().is_empty() {
            invalid += 1;
            first = first.or(Some(at));
        }
        at += chunk.invalid().len();
    }
    first.filter(|_| multibyte >= 2 * invalid)
}

fn check_text(text: String) -> Result<String, String> {
    let ctrl = text.chars().filter(|c| c.is_control() && !c.is_whitespace()).count();
    if ctrl * 10 > text.chars().count().max(1) {
        return Err("mostly control characters, not text".into());
    }
    Ok(text)
}

#[cfg(test)]
mod tests {
    use super::decode;

    #[test]
    fn decodes_utf8_bom_latin1_and_utf16() {
        assert_eq!(decode("Russia’s".as_bytes()).unwrap(), "Russia’s");
        assert_eq!(decode(b"\xEF\xBB\xBFhello").unwrap(), "hello");
        let latin =
            b"Le pr\xe9sident fran\xe7ais a d\xe9clar\xe9 que la r\xe9union aura lieu \xe0 Paris.";
        assert_eq!(
            decode(latin).unwrap(),
            "Le président français a déclaré que la réunion aura lieu à Paris."
        );
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("hi".encode_utf16().flat_map(|u| u.to_le_bytes()))
            .collect();
        assert_eq!(decode(&utf16).unwrap(), "hi");
        assert!(decode(&[0u8, 159, 146, 150]).is_err());
    }

    #[test]
    fn damaged_utf8_is_refused_with_its_offset_and_legacy_text_is_not() {
        let cases: [(&[u8], Option<usize>); 5] = [
            (b"caf\xc3\xa9 na\xc3\xafve \xff end", Some(13)),
            ("Le président déclaré".as_bytes(), None),
            (b"Le pr\xe9sident a d\xe9clar\xe9", None),
            (b"cut at the end: \xc3\xa9\xc3\xa9\xe2\x80", Some(20)),
            (b"", None),
        ];
        for (bytes, want) in cases {
            assert_eq!(super::damaged_utf8(bytes), want, "{}", String::from_utf8_lossy(bytes));
        }
        let err = decode(b"caf\xc3\xa9 na\xc3\xafve \xff end").unwrap_err();
        assert_eq!(err, "invalid UTF-8 at byte 13 (the rest of the text is UTF-8)");
    }
}
