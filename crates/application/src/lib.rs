//! The application layer (OSI 5-7 in one, as TCP/IP has it): the bytes a program hands to
//! its socket, and what they are: UTF-8 text (Chinese included), an HTTP request or
//! response, or a protocol known by its port (SMTP, POP3, FTP, Telnet, DNS, SNMP).
//!
//! ```
//! use layers_application::recognise;
//! let app = recognise("GET / HTTP/1.1\r\nHost: x\r\n\r\n".as_bytes(), 51000, 80);
//! assert_eq!(app.protocol.name(), "HTTP");
//! assert_eq!(app.first_line.as_deref(), Some("GET / HTTP/1.1"));
//! let chat = recognise("你好".as_bytes(), 9999, 51000);
//! assert_eq!(chat.protocol.name(), "data");
//! assert_eq!(chat.text, "你好");
//! ```
#![forbid(unsafe_code)]
#![deny(clippy::print_stdout, clippy::print_stderr)]
// A library must not panic on any input: no unwrap, expect or unchecked index outside
// tests; where one is provably safe, an `#[expect]` says why.
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        // Offsets and lengths saturate or are checked: a lying length ends a read early,
        // never wraps.
        clippy::arithmetic_side_effects
    )
)]

mod dissect;
pub mod dns;
pub use dissect::payload;

use layers_osi::ProtocolId;

/// The longest preview, in characters.
pub const PREVIEW_CHARS: usize = 120;

/// What a payload is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recognised {
    /// The protocol it is in ("data" when none is recognised).
    pub protocol: ProtocolId,
    /// A printable preview: the text itself when it is UTF-8 (control characters escaped),
    /// otherwise the bytes as ASCII with `.` for the rest.
    pub text: String,
    /// Whether the whole payload is valid UTF-8.
    pub utf8: bool,
    /// For a text protocol, its first line (HTTP's request or status line).
    pub first_line: Option<String>,
}

const HTTP_METHODS: [&str; 9] = [
    "GET ", "POST ", "PUT ", "DELETE ", "HEAD ", "OPTIONS ", "PATCH ", "CONNECT ", "TRACE ",
];

/// The protocol `payload`, sent from `source_port` to `destination_port`, is in: by its
/// content first (an HTTP request or status line), else by a well-known port, even for
/// bytes a capture cut away. Allocates nothing: the summary path calls it per frame.
pub fn recognise_protocol(payload: &[u8], source_port: u16, destination_port: u16) -> ProtocolId {
    let is_http = HTTP_METHODS
        .iter()
        .any(|m| payload.starts_with(m.as_bytes()))
        || payload.starts_with(b"HTTP/1.");
    let by_port = |p: u16| match p {
        21 => Some(ProtocolId::Ftp),
        23 => Some(ProtocolId::Telnet),
        25 | 587 => Some(ProtocolId::Smtp),
        53 => Some(ProtocolId::Dns),
        80 | 8080 => Some(ProtocolId::Http),
        110 => Some(ProtocolId::Pop3),
        161 | 162 => Some(ProtocolId::Snmp),
        _ => None,
    };
    if is_http {
        ProtocolId::Http
    } else {
        by_port(destination_port)
            .or_else(|| by_port(source_port))
            .unwrap_or(ProtocolId::Data)
    }
}

/// What `payload`, sent from `source_port` to `destination_port`, is.
pub fn recognise(payload: &[u8], source_port: u16, destination_port: u16) -> Recognised {
    let protocol = recognise_protocol(payload, source_port, destination_port);
    let first_line = match protocol {
        ProtocolId::Http | ProtocolId::Smtp | ProtocolId::Pop3 | ProtocolId::Ftp => {
            first_line(payload)
        }
        _ => None,
    };
    let (text, utf8) = preview_and_utf8(payload);
    Recognised {
        protocol,
        text,
        utf8,
        first_line,
    }
}

/// What a one-line view shows of a payload: the part of the record [`payload`] builds that
/// it reads, found without building the record (spans, headers, every field).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Gist {
    /// An HTTP request line's method and target.
    Request {
        /// The method.
        method: String,
        /// The request target.
        uri: String,
    },
    /// An HTTP status line's code and reason.
    Response {
        /// The status code.
        status: u16,
        /// The reason phrase.
        reason: String,
    },
    /// A DNS message.
    Dns(dns::Dns),
    /// Anything else: its preview.
    Text(String),
}

/// The gist of `data`, a payload [`recognise_protocol`] called `protocol`, carried over TCP
/// or not: as [`payload`]'s record holds it, a request or status line first, else a DNS
/// message, else the preview.
pub fn gist(protocol: ProtocolId, data: &[u8], over_tcp: bool) -> Gist {
    let lined = matches!(
        protocol,
        ProtocolId::Http | ProtocolId::Smtp | ProtocolId::Pop3 | ProtocolId::Ftp
    );
    match lined
        .then(|| first_line(data))
        .flatten()
        .as_deref()
        .and_then(http_line)
    {
        Some(HttpLine::Request { method, uri, .. }) => return Gist::Request { method, uri },
        Some(HttpLine::Response { status, reason, .. }) => {
            return Gist::Response { status, reason }
        }
        None => {}
    }
    if protocol == ProtocolId::Dns {
        // Over TCP a DNS message is preceded by its 2-byte length (RFC 1035 4.2.2).
        let skip = if over_tcp { 2 } else { 0 };
        if let Ok(msg) = dns::parse(data.get(skip..).unwrap_or_default()) {
            return Gist::Dns(msg);
        }
    }
    Gist::Text(preview(data))
}

/// An HTTP/1.x request or status line, split into its parts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HttpLine {
    /// `GET /index.html HTTP/1.1`.
    Request {
        /// The method.
        method: String,
        /// The request target.
        uri: String,
        /// The protocol version.
        version: String,
    },
    /// `HTTP/1.1 200 OK`.
    Response {
        /// The protocol version.
        version: String,
        /// The status code.
        status: u16,
        /// The reason phrase.
        reason: String,
    },
}

/// `line` split as an HTTP request or status line, if it is one (RFC 9112 section 3 and 4).
pub fn http_line(line: &str) -> Option<HttpLine> {
    let mut parts = line.splitn(3, ' ');
    let (a, b, c) = (parts.next()?, parts.next()?, parts.next().unwrap_or(""));
    if a.starts_with("HTTP/") {
        Some(HttpLine::Response {
            version: a.to_string(),
            status: b.parse().ok()?,
            reason: c.to_string(),
        })
    } else if HTTP_METHODS.iter().any(|m| m.trim_end() == a) && c.starts_with("HTTP/") {
        Some(HttpLine::Request {
            method: a.to_string(),
            uri: b.to_string(),
            version: c.to_string(),
        })
    } else {
        None
    }
}

/// The header lines of an HTTP message (after the first line, up to the blank line), as
/// name and value; lines that are not `Name: value` are left out.
pub fn http_headers(payload: &[u8]) -> Vec<(String, String)> {
    // Only the head is read: the body (often binary, often large) is not text to split.
    let head = payload
        .windows(4)
        .position(|w| w == b"\r\n\r\n")
        .and_then(|end| payload.get(..end.saturating_add(2)))
        .unwrap_or(payload);
    let text = String::from_utf8_lossy(head);
    text.split("\r\n")
        .skip(1)
        .take_while(|l| !l.is_empty())
        .filter_map(|l| l.split_once(':'))
        .map(|(n, v)| (n.trim().to_string(), v.trim().to_string()))
        .collect()
}

/// The first line of `payload` (without its line end), if it is UTF-8 and not empty: an
/// HTTP request or status line, an SMTP, POP3 or FTP command or reply.
pub fn first_line(payload: &[u8]) -> Option<String> {
    let end = payload
        .iter()
        .position(|b| *b == b'\n')
        .unwrap_or(payload.len());
    let line = std::str::from_utf8(payload.get(..end).unwrap_or_default())
        .ok()?
        .trim_end_matches('\r');
    (!line.is_empty()).then(|| line.to_string())
}

/// A printable preview of `payload`, at most [`PREVIEW_CHARS`] characters (then `…`).
pub fn preview(payload: &[u8]) -> String {
    preview_and_utf8(payload).0
}

/// The preview, and whether the whole payload is UTF-8: one UTF-8 check serves both.
fn preview_and_utf8(payload: &[u8]) -> (String, bool) {
    // Room for the usual preview (one byte a character, the ellipsis) from the start: grown
    // a push at a time it was reallocated five times a frame.
    let mut out = String::with_capacity(payload.len().min(PREVIEW_CHARS).saturating_add(3));
    let mut count = 0usize;
    let mut push = |s: &str, out: &mut String| {
        count = count.saturating_add(1);
        if count <= PREVIEW_CHARS {
            out.push_str(s);
        }
    };
    // One character past the preview says there is more; the rest need not be looked at.
    let utf8 = std::str::from_utf8(payload);
    let valid = utf8.is_ok();
    match utf8 {
        Ok(text) => {
            for c in text.chars().take(PREVIEW_CHARS + 1) {
                match c {
                    '\r' => push("\\r", &mut out),
                    '\n' => push("\\n", &mut out),
                    '\t' => push("\\t", &mut out),
                    c if c.is_control() => push(".", &mut out),
                    c => push(c.encode_utf8(&mut [0; 4]), &mut out),
                }
            }
        }
        Err(_) => {
            // A byte a character, each printable ASCII or a dot.
            let shown = payload.iter().take(PREVIEW_CHARS).map(|b| {
                if b.is_ascii_graphic() || *b == b' ' {
                    char::from(*b)
                } else {
                    '.'
                }
            });
            out.extend(shown);
            count = payload.len().min(PREVIEW_CHARS + 1);
        }
    }
    if count > PREVIEW_CHARS {
        out.push('…');
    }
    (out, valid)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_text_is_shown_as_text() {
        // The seed's reply, as its socket program sends it: '你也好'.encode('utf-8').
        let bytes = [0xe4, 0xbd, 0xa0, 0xe4, 0xb9, 0x9f, 0xe5, 0xa5, 0xbd];
        let r = recognise(&bytes, 49242, 9999);
        assert_eq!(r.text, "你也好");
        assert!(r.utf8);
        assert_eq!(r.protocol.name(), "data");
    }

    #[test]
    fn binary_is_shown_with_dots() {
        let r = recognise(&[0x00, b'h', b'i', 0xff], 1, 2);
        assert_eq!(r.text, ".hi.");
        assert!(!r.utf8);
    }

    /// The preview as it was written a character at a time, to hold the faster one to.
    fn preview_by_char(payload: &[u8]) -> String {
        let mut out = String::new();
        let mut count = 0usize;
        let mut push = |s: &str, out: &mut String| {
            count += 1;
            if count <= PREVIEW_CHARS {
                out.push_str(s);
            }
        };
        match std::str::from_utf8(payload) {
            Ok(text) => {
                for c in text.chars().take(PREVIEW_CHARS + 1) {
                    match c {
                        '\r' => push("\\r", &mut out),
                        '\n' => push("\\n", &mut out),
                        '\t' => push("\\t", &mut out),
                        c if c.is_control() => push(".", &mut out),
                        c => push(c.encode_utf8(&mut [0; 4]), &mut out),
                    }
                }
            }
            Err(_) => {
                for b in payload.iter().take(PREVIEW_CHARS + 1) {
                    let c = if b.is_ascii_graphic() || *b == b' ' {
                        *b as char
                    } else {
                        '.'
                    };
                    push(c.encode_utf8(&mut [0; 4]), &mut out);
                }
            }
        }
        if count > PREVIEW_CHARS {
            out.push('…');
        }
        out
    }

    proptest::proptest! {
        /// The preview is the one written a character at a time, around the cut at
        /// [`PREVIEW_CHARS`] too, for text and for bytes.
        #[test]
        fn the_preview_is_the_preview_by_characters(
            parts in proptest::collection::vec(
                proptest::prop_oneof![
                    "[ -~]{0,130}",
                    "[\\r\\n\\t\\x00-\\x1f\\x7f\\u{80}-\\u{9f}]{1,3}",
                    "[你好é€😀\\u{202e}]{1,4}",
                ],
                0..6,
            ),
            bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..300),
        ) {
            let text = parts.concat();
            proptest::prop_assert_eq!(preview(text.as_bytes()), preview_by_char(text.as_bytes()));
            proptest::prop_assert_eq!(preview(&bytes), preview_by_char(&bytes));
            let mut mixed = text.into_bytes();
            mixed.extend_from_slice(&bytes);
            proptest::prop_assert_eq!(preview(&mixed), preview_by_char(&mixed));
        }
    }

    #[test]
    fn control_characters_are_escaped_and_long_text_is_cut() {
        assert_eq!(preview(b"a\r\nb\tc\x07"), "a\\r\\nb\\tc.");
        let long = "x".repeat(PREVIEW_CHARS + 5);
        let p = preview(long.as_bytes());
        assert_eq!(p.chars().count(), PREVIEW_CHARS + 1);
        assert!(p.ends_with('…'));
    }

    #[test]
    fn http_lines_split_into_parts() {
        assert_eq!(
            http_line("GET /index.html HTTP/1.1"),
            Some(HttpLine::Request {
                method: "GET".into(),
                uri: "/index.html".into(),
                version: "HTTP/1.1".into()
            })
        );
        assert_eq!(
            http_line("HTTP/1.0 404 Not Found"),
            Some(HttpLine::Response {
                version: "HTTP/1.0".into(),
                status: 404,
                reason: "Not Found".into()
            })
        );
        assert_eq!(http_line("USER anonymous"), None);
        assert_eq!(http_line("HTTP/1.1 abc"), None);
    }

    #[test]
    fn protocols_by_content_then_by_port() {
        let resp = recognise(b"HTTP/1.1 200 OK\r\n\r\n", 8888, 50000);
        assert_eq!(
            (resp.protocol.name(), resp.first_line.as_deref()),
            ("HTTP", Some("HTTP/1.1 200 OK"))
        );
        assert_eq!(
            recognise(b"USER anonymous\r\n", 50000, 21).protocol.name(),
            "FTP"
        );
        assert_eq!(
            recognise(b"+OK ready\r\n", 110, 50000).protocol.name(),
            "POP3"
        );
        assert_eq!(
            recognise(b"\x12\x34\x01\x00", 50000, 53).protocol.name(),
            "DNS"
        );
        assert_eq!(recognise(b"hello!", 51000, 9999).protocol.name(), "data");
        assert_eq!(recognise(b"", 51000, 80).protocol.name(), "HTTP");
        assert_eq!(recognise(b"", 51000, 9999).protocol.name(), "data");
    }
}
