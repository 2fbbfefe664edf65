//! Charset detection and decoding: BOM first, then strict UTF-8, then chardetng's guess
//! decoded with encoding_rs. Binary data (NUL bytes, control-character soup) is refused.

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
}
