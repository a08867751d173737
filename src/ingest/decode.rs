//! Bytes to text: UTF-8 (with or without BOM), UTF-16 with a BOM, a declared legacy charset
//! (HTTP `Content-Type`, `<meta charset>`, `<?xml encoding?>`) when the bytes are not valid
//! UTF-8, and otherwise lossy UTF-8 (invalid sequences become U+FFFD, reported once per input).
//!
//! Also tells binary files (images, archives, executables, PDFs, ...) from text, so that they can
//! be skipped with a warning instead of producing garbage documents. NUL bytes and other control
//! characters inside otherwise textual input are tolerated and kept.

use encoding_rs::Encoding;

/// Decoded text and whether anything had to be replaced.
#[derive(Debug, Clone, PartialEq)]
pub struct Decoded {
    /// The text all later offsets point into.
    pub text: String,
    /// True when invalid sequences were replaced by U+FFFD.
    pub lossy: bool,
}

/// Decode `bytes`; `declared` is a charset label from the transport or the document itself and is
/// used only when the bytes are not valid UTF-8 (valid UTF-8 is taken at its word).
pub fn decode(bytes: Vec<u8>, declared: Option<&str>) -> Decoded {
    if let Some((enc, bom_len)) = Encoding::for_bom(&bytes) {
        if enc == encoding_rs::UTF_8 {
            let mut bytes = bytes;
            bytes.drain(..bom_len);
            return utf8_lossy(bytes);
        }
        let (text, _, had_errors) = enc.decode(&bytes);
        return Decoded {
            text: text.into_owned(),
            lossy: had_errors,
        };
    }
    match String::from_utf8(bytes) {
        Ok(text) => Decoded { text, lossy: false },
        Err(err) => {
            let bytes = err.into_bytes();
            let declared = declared
                .or_else(|| sniff_charset(&bytes[..bytes.len().min(2048)]))
                .and_then(|l| Encoding::for_label(l.trim().as_bytes()))
                .filter(|e| *e != encoding_rs::UTF_8 && *e != encoding_rs::REPLACEMENT);
            match declared {
                Some(enc) => {
                    let (text, had_errors) = enc.decode_without_bom_handling(&bytes);
                    Decoded {
                        text: text.into_owned(),
                        lossy: had_errors,
                    }
                }
                None => utf8_lossy(bytes),
            }
        }
    }
}

fn utf8_lossy(bytes: Vec<u8>) -> Decoded {
    match String::from_utf8(bytes) {
        Ok(text) => Decoded { text, lossy: false },
        Err(err) => Decoded {
            text: String::from_utf8_lossy(err.as_bytes()).into_owned(),
            lossy: true,
        },
    }
}

/// A charset declared in the first bytes of an HTML or XML document (`charset=...` in a meta tag,
/// `encoding="..."` in the XML declaration).
pub fn sniff_charset(head: &[u8]) -> Option<&str> {
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    let find = |needle: &[u8]| {
        lower
            .windows(needle.len())
            .position(|w| w == needle)
            .map(|p| p + needle.len())
    };
    let start = find(b"charset=").or_else(|| {
        // Only the XML declaration's encoding, not an arbitrary "encoding=" in text.
        if lower.starts_with(b"<?xml") {
            find(b"encoding=")
        } else {
            None
        }
    })?;
    let rest = &head[start..];
    let rest = rest
        .strip_prefix(b"\"")
        .or_else(|| rest.strip_prefix(b"'"))
        .unwrap_or(rest);
    let end = rest
        .iter()
        .position(|c| !(c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.' | b':')))
        .unwrap_or(rest.len());
    std::str::from_utf8(&rest[..end])
        .ok()
        .filter(|s| !s.is_empty())
}

/// Why `head` (the first few KiB of an input) looks like a binary file, or `None` for text.
pub fn binary_reason(head: &[u8]) -> Option<&'static str> {
    const MAGIC: &[(&[u8], &str)] = &[
        (b"\x89PNG\r\n\x1a\n", "PNG image"),
        (b"GIF87a", "GIF image"),
        (b"GIF89a", "GIF image"),
        (b"\xff\xd8\xff", "JPEG image"),
        (b"%PDF-", "PDF document"),
        (b"PK\x03\x04", "ZIP archive"),
        (b"\x1f\x8b", "gzip data"),
        (b"BZh", "bzip2 data"),
        (b"\xfd7zXZ\x00", "xz data"),
        (b"7z\xbc\xaf\x27\x1c", "7-Zip archive"),
        (b"\x28\xb5\x2f\xfd", "zstd data"),
        (b"\x7fELF", "ELF executable"),
        (b"\x00asm", "WebAssembly"),
        (b"SQLite format 3\x00", "SQLite database"),
        (b"OggS", "Ogg media"),
        (b"ID3", "MP3 audio"),
        (b"RIFF", "RIFF media"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "OLE document"),
        (b"\xca\xfe\xba\xbe", "Java class / Mach-O"),
        (b"\xcf\xfa\xed\xfe", "Mach-O executable"),
    ];
    for (magic, what) in MAGIC {
        if head.starts_with(magic) {
            return Some(what);
        }
    }
    if Encoding::for_bom(head).is_some() || head.is_empty() {
        return None;
    }
    // A few NULs or control characters are tolerated in text; many of them mean binary data.
    let nul = memchr::memchr_iter(0, head).count();
    let control = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0c | 0x1b))
        .count();
    if nul * 10 > head.len() || control * 10 > head.len() * 3 {
        return Some("many NUL or control bytes");
    }
    // Random, compressed or encrypted bytes with no known signature: mostly no UTF-8, and
    // control bytes at the rate of random bytes (one in ten). Text in a legacy charset is no
    // UTF-8 either, but has almost no control bytes.
    if control * 20 > head.len() && invalid_utf8_bytes(head) * 4 > head.len() {
        return Some("random or compressed bytes");
    }
    None
}

/// How many bytes of `bytes` are in no valid UTF-8 sequence (a sequence cut off at the end
/// counts as valid: `bytes` may be the head of a longer input).
fn invalid_utf8_bytes(mut bytes: &[u8]) -> usize {
    let mut invalid = 0;
    loop {
        match std::str::from_utf8(bytes) {
            Ok(_) => return invalid,
            Err(e) => {
                let Some(len) = e.error_len() else {
                    return invalid;
                };
                invalid += len;
                bytes = &bytes[e.valid_up_to() + len..];
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decoding() {
        let cases: &[(&[u8], Option<&str>, &str, bool)] = &[
            (b"plain", None, "plain", false),
            (b"\xef\xbb\xbfbom", None, "bom", false),
            (b"caf\xc3\xa9", Some("iso-8859-1"), "caf\u{e9}", false),
            (
                b"caf\xe9 Z\xfcrich",
                Some("windows-1252"),
                "caf\u{e9} Z\u{fc}rich",
                false,
            ),
            (b"caf\xe9 x", None, "caf\u{fffd} x", true),
            (
                b"<meta charset=\"iso-8859-1\">caf\xe9",
                None,
                "<meta charset=\"iso-8859-1\">caf\u{e9}",
                false,
            ),
            (b"\xff\xfeA\x00B\x00", None, "AB", false),
            (b"a\x00b", None, "a\x00b", false),
        ];
        for (bytes, declared, text, lossy) in cases {
            let d = decode(bytes.to_vec(), *declared);
            assert_eq!(d.text, *text, "{bytes:?}");
            assert_eq!(d.lossy, *lossy, "{bytes:?}");
        }
    }

    #[test]
    fn binary() {
        assert_eq!(binary_reason(b"\x89PNG\r\n\x1a\n\0\0"), Some("PNG image"));
        assert_eq!(binary_reason(b"%PDF-1.4"), Some("PDF document"));
        assert!(binary_reason(&[0u8; 64]).is_some());
        assert_eq!(
            binary_reason(b"Aleppo\0 and Damascus, a NUL or two\0 are fine"),
            None
        );
        assert_eq!(binary_reason(b""), None);
        assert_eq!(binary_reason("Gen\u{e8}ve".as_bytes()), None);
    }

    /// Bytes from a xorshift generator: what compressed or encrypted data looks like.
    fn noise(len: usize, mut seed: u64) -> Vec<u8> {
        (0..len)
            .map(|_| {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                (seed >> 24) as u8
            })
            .collect()
    }

    #[test]
    fn signatureless_binary_data_is_told_from_text_in_any_charset() {
        let russian = encoding_rs::KOI8_R
            .encode("Бои под Донецком продолжаются.\n")
            .0;
        let french = encoding_rs::WINDOWS_1252
            .encode("Les combats continuent près de Genève et à Alep.\n")
            .0;
        let cases: &[(&[u8], bool)] = &[
            (&noise(3000, 1), true),
            (&noise(8192, 0x5eed), true),
            (&noise(200, 7), true),
            // Legacy charsets are no UTF-8 either, but text.
            (&russian.repeat(40), false),
            (&french.repeat(40), false),
            // Text with a few control bytes, and a few invalid bytes.
            (
                b"Aleppo\x07 and Damascus\x1b[0m, \xff\xfe fighting continued",
                false,
            ),
        ];
        for (bytes, binary) in cases {
            assert_eq!(
                binary_reason(bytes).is_some(),
                *binary,
                "{:?}",
                &bytes[..bytes.len().min(40)]
            );
        }
        assert_eq!(invalid_utf8_bytes(b"ok \xff ok \xe2\x82"), 1);
        assert_eq!(invalid_utf8_bytes("Genève".as_bytes()), 0);
    }

    #[test]
    fn charset_sniffing() {
        assert_eq!(sniff_charset(b"<meta charset=utf-8>"), Some("utf-8"));
        assert_eq!(
            sniff_charset(
                b"<meta http-equiv=\"Content-Type\" content=\"text/html; charset=ISO-8859-1\">"
            ),
            Some("ISO-8859-1")
        );
        assert_eq!(
            sniff_charset(b"<?xml version=\"1.0\" encoding=\"windows-1252\"?>"),
            Some("windows-1252")
        );
        assert_eq!(sniff_charset(b"no declaration"), None);
    }
}
