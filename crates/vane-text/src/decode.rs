//! Bytes to text: the charset from a byte-order mark, the HTTP header or
//! the page's `<meta>` declaration when present and correct, otherwise
//! detected (UTF-8, GB18030/GBK, Big5, UTF-16, the legacy single-byte
//! sets, …). A declaration is trusted only if the bytes decode cleanly
//! under it: mislabelled pages (GBK served as UTF-8, UTF-8 declared GBK)
//! are common on Chinese sites.

use chardetng::EncodingDetector;
use encoding_rs::{Encoding, UTF_8};

/// Where the charset came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CharsetSource {
    ByteOrderMark,
    HttpHeader,
    MetaTag,
    Detected,
}

/// Decoded text and how it was decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    /// The WHATWG name of the encoding used (`UTF-8`, `GBK`, `Big5`, …).
    pub encoding: &'static str,
    pub source: CharsetSource,
    /// Some bytes were invalid and became U+FFFD.
    pub replaced: bool,
}

/// The charset named in a `Content-Type` value: `text/html; charset=gbk`.
pub fn charset_of_content_type(content_type: &str) -> Option<&'static Encoding> {
    let lower = content_type.to_ascii_lowercase();
    let at = lower.find("charset=")?;
    let value = lower[at + 8..].trim_start_matches(['"', '\'']);
    let end = value
        .find(|c: char| c == ';' || c == '"' || c == '\'' || c.is_whitespace())
        .unwrap_or(value.len());
    Encoding::for_label(&value.as_bytes()[..end])
}

/// The charset a page declares in its first 2 KB: `<meta charset="…">` or
/// `<meta http-equiv="Content-Type" content="…; charset=…">`.
pub fn charset_of_meta(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(2048)];
    let lower: String = head
        .iter()
        .map(|&byte| (byte as char).to_ascii_lowercase())
        .collect();
    let mut from = 0;
    while let Some(found) = lower[from..].find("<meta") {
        let start = from + found;
        let end = lower[start..]
            .find('>')
            .map_or(lower.len(), |end| start + end);
        let tag = &lower[start..end];
        if let Some(at) = tag.find("charset=") {
            let value = tag[at + 8..].trim_start_matches(['"', '\'', ' ']);
            let stop = value
                .find(|c: char| c == '"' || c == '\'' || c == ';' || c == '/' || c.is_whitespace())
                .unwrap_or(value.len());
            if let Some(encoding) = Encoding::for_label(&value.as_bytes()[..stop]) {
                return Some(encoding);
            }
        }
        from = end;
    }
    None
}

/// Decodes `bytes`, honouring a BOM, then `content_type` (an HTTP header
/// value), then the page's `<meta>`, each only when the bytes decode
/// without errors under it; otherwise detects the charset.
pub fn decode(bytes: &[u8], content_type: Option<&str>) -> Decoded {
    if let Some((encoding, _)) = Encoding::for_bom(bytes) {
        let (text, _, replaced) = encoding.decode(bytes);
        return Decoded {
            text: text.into_owned(),
            encoding: encoding.name(),
            source: CharsetSource::ByteOrderMark,
            replaced,
        };
    }
    let declared = [
        (
            content_type.and_then(charset_of_content_type),
            CharsetSource::HttpHeader,
        ),
        (charset_of_meta(bytes), CharsetSource::MetaTag),
    ];
    for (encoding, source) in declared {
        let Some(encoding) = encoding else { continue };
        // a page declared UTF-16 without a BOM is really ASCII-compatible
        let encoding = encoding.output_encoding();
        if let Some(text) = encoding.decode_without_bom_handling_and_without_replacement(bytes) {
            return Decoded {
                text: text.into_owned(),
                encoding: encoding.name(),
                source,
                replaced: false,
            };
        }
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Decoded {
            text: text.to_string(),
            encoding: UTF_8.name(),
            source: CharsetSource::Detected,
            replaced: false,
        };
    }
    let mut detector = EncodingDetector::new();
    detector.feed(bytes, true);
    let encoding = detector.guess(None, true);
    let (text, replaced) = encoding.decode_without_bom_handling(bytes);
    Decoded {
        text: text.into_owned(),
        encoding: encoding.name(),
        source: CharsetSource::Detected,
        replaced,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NEWS: &str = "中共中央总书记、国家主席江泽民发表1998年新年讲话，祝全国各族人民新年快乐。香港回归祖国后保持繁荣稳定。";
    const TRADITIONAL: &str =
        "輿情監測系統發佈新版本，臺灣與香港的使用者反應熱烈，認為介面清楚、速度很快。";

    fn encode(text: &str, label: &str) -> Vec<u8> {
        let encoding = Encoding::for_label(label.as_bytes()).unwrap();
        let (bytes, _, unmappable) = encoding.encode(text);
        assert!(!unmappable);
        bytes.into_owned()
    }

    fn page(body: &[u8], meta: Option<&str>) -> Vec<u8> {
        let mut bytes = Vec::new();
        bytes.extend_from_slice(b"<html><head>");
        if let Some(charset) = meta {
            bytes.extend_from_slice(
                format!(
                    "<meta http-equiv=\"Content-Type\" content=\"text/html; charset={charset}\">"
                )
                .as_bytes(),
            );
        }
        bytes.extend_from_slice(b"<title>t</title></head><body><p>");
        bytes.extend_from_slice(body);
        bytes.extend_from_slice(b"</p></body></html>");
        bytes
    }

    #[test]
    fn gbk_pages_decode_by_declaration_and_by_detection() {
        let gbk = page(&encode(NEWS, "gbk"), Some("gb2312"));
        let decoded = decode(&gbk, None);
        assert!(decoded.text.contains(NEWS));
        assert_eq!(
            (decoded.encoding, decoded.source),
            ("GBK", CharsetSource::MetaTag)
        );
        let undeclared = page(&encode(NEWS, "gbk"), None);
        let decoded = decode(&undeclared, None);
        assert!(decoded.text.contains(NEWS), "{}", decoded.text);
        assert_eq!(decoded.source, CharsetSource::Detected);
    }

    #[test]
    fn big5_pages_decode() {
        let big5 = page(&encode(TRADITIONAL, "big5"), None);
        let decoded = decode(&big5, None);
        assert!(decoded.text.contains(TRADITIONAL), "{}", decoded.text);
        assert_eq!(decoded.encoding, "Big5");
        let declared = decode(&big5, Some("text/html; charset=big5"));
        assert_eq!(
            (declared.encoding, declared.source),
            ("Big5", CharsetSource::HttpHeader)
        );
    }

    #[test]
    fn utf16_with_a_byte_order_mark_decodes() {
        for (label, bom) in [("utf-16le", [0xFF, 0xFE]), ("utf-16be", [0xFE, 0xFF])] {
            let units: Vec<u16> = NEWS.encode_utf16().collect();
            let mut bytes = bom.to_vec();
            for unit in units {
                let pair = if label.ends_with("le") {
                    unit.to_le_bytes()
                } else {
                    unit.to_be_bytes()
                };
                bytes.extend_from_slice(&pair);
            }
            let decoded = decode(&bytes, Some("text/html; charset=gbk"));
            assert_eq!(decoded.text, NEWS);
            assert_eq!(decoded.source, CharsetSource::ByteOrderMark);
        }
    }

    #[test]
    fn mislabelled_pages_decode_by_what_they_are() {
        // GBK bytes served as UTF-8
        let gbk = page(&encode(NEWS, "gbk"), Some("utf-8"));
        let decoded = decode(&gbk, Some("text/html; charset=utf-8"));
        assert!(decoded.text.contains(NEWS), "{}", decoded.text);
        assert_eq!(decoded.source, CharsetSource::Detected);
        // UTF-8 bytes declared GBK: UTF-8 of CJK is rarely valid GBK throughout
        let utf8 = page(NEWS.as_bytes(), Some("gbk"));
        let decoded = decode(&utf8, None);
        assert!(decoded.text.contains(NEWS), "{}", decoded.text);
    }

    #[test]
    fn content_type_and_meta_parsing() {
        assert_eq!(
            charset_of_content_type("text/html; Charset=\"GB2312\"").map(Encoding::name),
            Some("GBK")
        );
        assert_eq!(
            charset_of_content_type("text/html").map(Encoding::name),
            None
        );
        assert_eq!(
            charset_of_meta(b"<head><meta charset='big5'>").map(Encoding::name),
            Some("Big5")
        );
    }
}
