//! Typed field values: what a dissected field holds, kept as the wire gave it (a MAC as its
//! six bytes, a checksum as its number) and turned into text only when a view asks.
//!
//! Serialised, each value is exactly what DESIGN.md's JSON contract says: addresses and hex
//! fields as strings, counts as numbers, flags as an array of names, options as objects.

use std::fmt;
use std::net::{Ipv4Addr, Ipv6Addr};

use serde::ser::{SerializeMap, SerializeSeq};
use serde::{Serialize, Serializer};

/// The value of one dissected field.
#[derive(Clone, Debug, PartialEq)]
pub enum FieldValue {
    /// No value: a checksum that cannot be verified, an unused one.
    Null,
    /// A one-bit flag or a verdict.
    Bool(bool),
    /// A count, a port, a length, a type number.
    Uint(u64),
    /// A MAC address, written `02:00:c0:a8:0b:22`.
    Mac([u8; 6]),
    /// An IPv4 address, written `192.168.11.34`.
    Ipv4([u8; 4]),
    /// An IPv6 address, written as RFC 5952 says.
    Ipv6([u8; 16]),
    /// A number written in hex with a fixed count of digits (`0x0800`, `0x03`).
    Hex {
        /// The number.
        value: u64,
        /// How many hex digits.
        digits: u8,
    },
    /// Bytes written as hex digits without a prefix (options, addresses of other sizes).
    Bytes(Vec<u8>),
    /// The names of the bits set in `bits`, `names[i]` naming bit `i`: TCP's flags.
    Flags {
        /// The bits.
        bits: u16,
        /// The name of each bit, least significant first.
        names: &'static [&'static str],
    },
    /// A name from a table.
    Name(&'static str),
    /// Text found in the frame (a preview, a DNS name, an HTTP header).
    Text(String),
    /// A list of values.
    List(Vec<FieldValue>),
    /// An object with named members (a TCP option: kind and value).
    Object(Vec<(&'static str, FieldValue)>),
    /// An object whose member names come from the frame (HTTP headers).
    Map(Vec<(String, FieldValue)>),
}

impl FieldValue {
    /// Drops a value a summary record does not keep. Most are plain numbers, addresses or
    /// empty lists, which own no memory: those are forgotten inline (where the variant is known, this
    /// compiles to nothing) instead of going through the enum's drop glue, which was 4 %
    /// of `decode --stats`.
    #[inline(always)]
    pub fn discard(self) {
        let owns = match &self {
            FieldValue::Bytes(v) => v.capacity() > 0,
            FieldValue::Text(v) => v.capacity() > 0,
            FieldValue::List(v) => v.capacity() > 0,
            FieldValue::Object(v) => v.capacity() > 0,
            FieldValue::Map(v) => v.capacity() > 0,
            _ => false,
        };
        if owns {
            drop(self);
        } else {
            // Nothing allocated (an empty list or text owns no memory either).
            std::mem::forget(self);
        }
    }

    /// A 16-bit checksum or type as `0x....`.
    pub fn hex16(value: u16) -> FieldValue {
        FieldValue::Hex {
            value: u64::from(value),
            digits: 4,
        }
    }

    /// The number, for a count or a type.
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            FieldValue::Uint(n) => Some(*n),
            FieldValue::Hex { value, .. } => Some(*value),
            _ => None,
        }
    }

    /// The flag or verdict.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            FieldValue::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// The items of a list.
    pub fn as_list(&self) -> Option<&[FieldValue]> {
        match self {
            FieldValue::List(items) => Some(items),
            _ => None,
        }
    }

    /// The member `key` of an object.
    pub fn get(&self, key: &str) -> Option<&FieldValue> {
        match self {
            FieldValue::Object(members) => members.iter().find(|(k, _)| *k == key).map(|m| &m.1),
            FieldValue::Map(members) => members.iter().find(|(k, _)| k == key).map(|m| &m.1),
            _ => None,
        }
    }

    /// Whether it is an object (of either kind).
    pub fn is_object(&self) -> bool {
        matches!(self, FieldValue::Object(_) | FieldValue::Map(_))
    }

    /// The value as the JSON contract has it.
    pub fn to_json(&self) -> serde_json::Value {
        serde_json::to_value(self).unwrap_or(serde_json::Value::Null)
    }

    /// Writes the value's short text form into `out`: a string without quotes, a list
    /// joined by commas, an option as `kind=value`, nothing as `-`.
    pub fn write_text(&self, out: &mut impl Ascii) {
        match self {
            FieldValue::Null => out.ascii(b'-'),
            FieldValue::List(items) => {
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.ascii(b',');
                    }
                    item.write_text(out);
                }
            }
            FieldValue::Flags { bits, names } => {
                for (i, name) in set_names(*bits, names).enumerate() {
                    if i > 0 {
                        out.ascii(b',');
                    }
                    out.ascii_str(name);
                }
            }
            FieldValue::Object(_) | FieldValue::Map(_) => {
                match (self.get("kind"), self.get("value")) {
                    (Some(k), Some(v)) => {
                        k.write_text(out);
                        out.ascii(b'=');
                        v.write_text(out);
                    }
                    (Some(k), None) => k.write_text(out),
                    _ => out.ascii_str(&self.to_json().to_string()),
                }
            }
            FieldValue::Name(s) => out.ascii_str(s),
            FieldValue::Text(s) => write_escaped(out, s),
            other => {
                if !other.write_ascii(out) {
                    out.ascii_str(&Scalar(other).to_string());
                }
            }
        }
    }

    /// Writes the text form of a number, a boolean, a MAC or IPv4 address, hex or bytes
    /// (all ASCII, none needing a JSON escape) and says whether it was one of those.
    #[inline]
    pub fn write_ascii(&self, out: &mut impl Ascii) -> bool {
        match self {
            FieldValue::Uint(n) => out.ascii_str(itoa::Buffer::new().format(*n)),
            FieldValue::Bool(b) => out.ascii_str(if *b { "true" } else { "false" }),
            FieldValue::Ipv4(a) => write_ipv4(out, *a),
            FieldValue::Ipv6(a) => write_ipv6(out, *a),
            FieldValue::Mac(m) => {
                for (i, b) in m.iter().enumerate() {
                    if i > 0 {
                        out.ascii(b':');
                    }
                    push_hex_byte(out, *b);
                }
            }
            FieldValue::Hex { value, digits } => push_hex(out, *value, *digits),
            FieldValue::Bytes(bytes) => bytes.iter().for_each(|b| push_hex_byte(out, *b)),
            _ => return false,
        }
        true
    }

    /// The value's short text form (see [`FieldValue::write_text`]).
    pub fn text(&self) -> String {
        let mut s = String::new();
        self.write_text(&mut s);
        s
    }
}

/// Whether `c` would act on a terminal instead of showing: C0 controls, DEL, C1 controls,
/// and the bidirectional controls that reorder what follows (the "Trojan Source" ones).
pub fn is_terminal_control(c: char) -> bool {
    matches!(c, '\0'..='\x1f' | '\x7f'..='\u{9f}')
        || matches!(
            c,
            '\u{061c}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        )
}

/// Writes text found in a frame so a terminal shows it and nothing else: each control
/// character as `\xNN` (or `\u{NNNN}` above 0xff), as tcpdump and tshark escape them;
/// printable Unicode, Chinese included, as it is. (JSON keeps the exact string.)
pub fn write_escaped(out: &mut impl Ascii, s: &str) {
    // The fast path (this runs for every preview of --oneline): no byte that starts a
    // control. C1 controls are encoded C2 80-9F, U+061C D8 9C, the others E2 80/81 xx.
    let b = s.as_bytes();
    let suspect = |i: usize| match b.get(i).copied().unwrap_or(0x20) {
        0..=0x1f | 0x7f => true,
        0xc2 => matches!(b.get(i.saturating_add(1)), Some(0x80..=0x9f)),
        0xd8 => b.get(i.saturating_add(1)) == Some(&0x9c),
        // U+200E-200F and U+202A-202E (E2 80 8E-8F, AA-AE), U+2066-2069 (E2 81 A6-A9).
        0xe2 => matches!(
            (b.get(i.saturating_add(1)), b.get(i.saturating_add(2))),
            (Some(0x80), Some(0x8e | 0x8f | 0xaa..=0xae)) | (Some(0x81), Some(0xa6..=0xa9))
        ),
        _ => false,
    };
    // First a pass the compiler vectorises (no early exit, no index): does any byte start
    // a control at all? A cut preview's ellipsis (E2 80 A6) is none; most text has none.
    let body = s.strip_suffix('…').unwrap_or(s).as_bytes();
    let maybe = body.iter().fold(false, |found, &x| {
        found | (x < 0x20) | (x == 0x7f) | (x == 0xc2) | (x == 0xd8) | (x == 0xe2)
    });
    if !maybe || !(0..b.len()).any(suspect) {
        out.ascii_str(s);
        return;
    }
    for c in s.chars() {
        let code = u64::from(u32::from(c));
        if !is_terminal_control(c) {
            out.ascii_str(c.encode_utf8(&mut [0; 4]));
        } else if code <= 0xff {
            out.ascii_str("\\x");
            push_hex_byte(out, code as u8);
        } else {
            // At least four digits, as `{:04x}` writes them.
            out.ascii_str("\\u{");
            push_hex_digits(out, code, 4);
            out.ascii(b'}');
        }
    }
}

/// Writes `a` in dotted decimal (what `Ipv4Addr`'s `Display` writes, without its padding
/// machinery: this runs for every address of every line of `--oneline`).
pub fn write_ipv4(out: &mut impl Ascii, a: [u8; 4]) {
    for (i, octet) in a.into_iter().enumerate() {
        if i > 0 {
            out.ascii(b'.');
        }
        // Each digit a byte of its own: no formatter, no copy of a formatted number (a
        // stack buffer appended at once measured slower).
        if octet >= 100 {
            out.ascii(b'0' | (octet / 100));
        }
        if octet >= 10 {
            out.ascii(b'0' | (octet / 10 % 10));
        }
        out.ascii(b'0' | (octet % 10));
    }
}

/// Writes an IPv6 address as `Ipv6Addr`'s `Display` does (RFC 5952: lowercase hex without
/// leading zeros, the first longest run of two or more zero groups as `::`, an IPv4-mapped
/// address as `::ffff:a.b.c.d`), without the formatting machinery: through it, an IPv6
/// frame's two addresses cost `--oneline` some 2,000 instructions.
pub fn write_ipv6(out: &mut impl Ascii, a: [u8; 16]) {
    let mut groups = [0u16; 8];
    for (g, pair) in groups.iter_mut().zip(a.chunks_exact(2)) {
        *g = u16::from_be_bytes([
            pair.first().copied().unwrap_or(0),
            pair.get(1).copied().unwrap_or(0),
        ]);
    }
    if groups[..5] == [0; 5] && groups[5] == 0xffff {
        out.ascii_str("::ffff:");
        write_ipv4(out, [a[12], a[13], a[14], a[15]]);
        return;
    }
    // The first longest run of zero groups: (start, length).
    let (mut best, mut run) = ((0usize, 0usize), (0usize, 0usize));
    for (i, g) in groups.iter().enumerate() {
        if *g == 0 {
            if run.1 == 0 {
                run.0 = i;
            }
            run.1 = run.1.saturating_add(1);
            if run.1 > best.1 {
                best = run;
            }
        } else {
            run.1 = 0;
        }
    }
    let group = |out: &mut _, g: u16| push_hex_digits(out, u64::from(g), 1);
    let joined = |out: &mut _, gs: &[u16]| {
        for (i, g) in gs.iter().enumerate() {
            if i > 0 {
                Ascii::ascii(out, b':');
            }
            group(out, *g);
        }
    };
    if best.1 > 1 {
        let after = best.0.saturating_add(best.1);
        joined(out, groups.get(..best.0).unwrap_or_default());
        out.ascii_str("::");
        joined(out, groups.get(after..).unwrap_or_default());
    } else {
        joined(out, &groups);
    }
}

/// Where text forms are written: the text views' `String`, and the bytes of JSON and of
/// `--oneline`'s lines alike, so none formats through a temporary.
pub trait Ascii {
    /// Appends one ASCII byte.
    fn ascii(&mut self, b: u8);
    /// Appends text (UTF-8; ASCII for the number, address and hex forms).
    fn ascii_str(&mut self, s: &str);
}

impl Ascii for String {
    #[inline]
    fn ascii(&mut self, b: u8) {
        self.push(char::from(b));
    }
    #[inline]
    fn ascii_str(&mut self, s: &str) {
        self.push_str(s);
    }
}

impl Ascii for Vec<u8> {
    #[inline]
    fn ascii(&mut self, b: u8) {
        self.push(b);
    }
    #[inline]
    fn ascii_str(&mut self, s: &str) {
        self.extend_from_slice(s.as_bytes());
    }
}

/// The lowercase hex digit of a nibble's low four bits.
#[inline]
fn hex_digit(nibble: u64) -> u8 {
    b"0123456789abcdef"
        .get((nibble & 0x0f) as usize)
        .copied()
        .unwrap_or(b'0')
}

fn push_hex_byte(out: &mut impl Ascii, b: u8) {
    out.ascii(hex_digit(u64::from(b >> 4)));
    out.ascii(hex_digit(u64::from(b)));
}

/// Writes `value` in lowercase hex without `0x`, zero-padded to at least `min` digits
/// (`{:0min$x}` without the formatting machinery).
fn push_hex_digits(out: &mut impl Ascii, value: u64, min: u32) {
    let width = 64u32
        .saturating_sub(value.leading_zeros())
        .div_ceil(4)
        .max(min)
        .max(1);
    for i in (0..width).rev() {
        out.ascii(hex_digit(
            value.checked_shr(i.saturating_mul(4)).unwrap_or(0),
        ));
    }
}

/// `0x` and `value` in lowercase hex, zero-padded to at least `digits` digits (as
/// `{:#0width$x}` without the formatting machinery).
fn push_hex(out: &mut impl Ascii, value: u64, digits: u8) {
    out.ascii_str("0x");
    push_hex_digits(out, value, u32::from(digits));
}

/// The names of the bits set in `bits`, least significant first.
pub(crate) fn set_names(
    bits: u16,
    names: &'static [&'static str],
) -> impl Iterator<Item = &'static str> + 'static {
    names
        .iter()
        .enumerate()
        .filter(move |(i, _)| *i < 16 && bits & (1 << i) != 0)
        .map(|(_, n)| *n)
}

/// A value that is one JSON scalar written as text: what it serialises to, without quotes.
struct Scalar<'a>(&'a FieldValue);

impl fmt::Display for Scalar<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // Numbers, addresses and hex have one writer, shared with the text views and JSON.
        let mut ascii = FmtAscii(f, Ok(()));
        if self.0.write_ascii(&mut ascii) {
            return ascii.1;
        }
        match self.0 {
            FieldValue::Null => f.write_str("null"),
            FieldValue::Name(s) => f.write_str(s),
            FieldValue::Text(s) => f.write_str(s),
            // Written by write_ascii above; not scalars (written by write_text).
            FieldValue::Bool(_)
            | FieldValue::Uint(_)
            | FieldValue::Mac(_)
            | FieldValue::Ipv4(_)
            | FieldValue::Ipv6(_)
            | FieldValue::Hex { .. }
            | FieldValue::Bytes(_)
            | FieldValue::Flags { .. }
            | FieldValue::List(_)
            | FieldValue::Object(_)
            | FieldValue::Map(_) => Ok(()),
        }
    }
}

/// A formatter as an [`Ascii`] sink, keeping its first error.
struct FmtAscii<'a, 'b>(&'a mut fmt::Formatter<'b>, fmt::Result);

impl Ascii for FmtAscii<'_, '_> {
    fn ascii(&mut self, b: u8) {
        if self.1.is_ok() {
            self.1 = fmt::Write::write_char(self.0, char::from(b));
        }
    }
    fn ascii_str(&mut self, s: &str) {
        if self.1.is_ok() {
            self.1 = self.0.write_str(s);
        }
    }
}

impl Serialize for FieldValue {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            FieldValue::Null => s.serialize_unit(),
            FieldValue::Bool(b) => s.serialize_bool(*b),
            FieldValue::Uint(n) => s.serialize_u64(*n),
            FieldValue::Name(n) => s.serialize_str(n),
            FieldValue::Text(t) => s.serialize_str(t),
            FieldValue::Flags { bits, names } => {
                let mut seq = s.serialize_seq(None)?;
                for name in set_names(*bits, names) {
                    seq.serialize_element(name)?;
                }
                seq.end()
            }
            FieldValue::List(items) => {
                let mut seq = s.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(item)?;
                }
                seq.end()
            }
            FieldValue::Object(members) => {
                let mut map = s.serialize_map(Some(members.len()))?;
                for (k, v) in members {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
            FieldValue::Map(members) => {
                let mut map = s.serialize_map(Some(members.len()))?;
                for (k, v) in members {
                    map.serialize_entry(k, v)?;
                }
                map.end()
            }
            scalar => s.collect_str(&Scalar(scalar)),
        }
    }
}

macro_rules! from_uint {
    ($($t:ty),*) => {$(
        impl From<$t> for FieldValue {
            fn from(n: $t) -> FieldValue {
                FieldValue::Uint(n as u64)
            }
        }
    )*};
}
from_uint!(u8, u16, u32, u64, usize);

impl From<bool> for FieldValue {
    fn from(b: bool) -> FieldValue {
        FieldValue::Bool(b)
    }
}

impl From<Option<bool>> for FieldValue {
    fn from(b: Option<bool>) -> FieldValue {
        b.map_or(FieldValue::Null, FieldValue::Bool)
    }
}

impl From<&'static str> for FieldValue {
    fn from(s: &'static str) -> FieldValue {
        FieldValue::Name(s)
    }
}

impl From<String> for FieldValue {
    fn from(s: String) -> FieldValue {
        FieldValue::Text(s)
    }
}

impl<T: Into<FieldValue>> From<Vec<T>> for FieldValue {
    fn from(items: Vec<T>) -> FieldValue {
        FieldValue::List(items.into_iter().map(Into::into).collect())
    }
}

impl From<Ipv4Addr> for FieldValue {
    fn from(a: Ipv4Addr) -> FieldValue {
        FieldValue::Ipv4(a.octets())
    }
}

impl From<Ipv6Addr> for FieldValue {
    fn from(a: Ipv6Addr) -> FieldValue {
        FieldValue::Ipv6(a.octets())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// The ASCII forms written in place agree with the formatting machinery they replace.
    #[test]
    fn ascii_forms_agree_with_format() {
        for value in [
            0u64,
            1,
            0xf,
            0x10,
            0x800,
            0xffff,
            0x1_0000,
            u64::from(u32::MAX),
            u64::MAX,
        ] {
            for digits in [0u8, 1, 2, 4, 8, 16, 20] {
                let v = FieldValue::Hex { value, digits };
                let want = format!("0x{value:0width$x}", width = usize::from(digits));
                assert_eq!(v.text(), want);
                let mut json = Vec::new();
                v.write_json(&mut json);
                assert_eq!(json, format!("\"{want}\"").into_bytes());
            }
        }
        assert_eq!(FieldValue::Bytes(vec![0, 0xab, 0x5f]).text(), "00ab5f");
        assert_eq!(FieldValue::Bool(true).text(), "true");
        assert_eq!(
            FieldValue::Mac([2, 0, 0xc0, 0xa8, 0x0b, 0xff]).text(),
            "02:00:c0:a8:0b:ff"
        );
        assert_eq!(FieldValue::Ipv4([192, 168, 0, 10]).text(), "192.168.0.10");
        for n in 0..=255u8 {
            let a = [n, 255 - n, n / 3, n.wrapping_mul(7)];
            let want = std::net::Ipv4Addr::from(a).to_string();
            assert_eq!(FieldValue::Ipv4(a).text(), want);
            let mut json = Vec::new();
            FieldValue::Ipv4(a).write_json(&mut json);
            assert_eq!(json, format!("\"{want}\"").into_bytes());
        }
    }

    /// Every pattern of zero and non-zero groups (so every run of zeros in every place and
    /// every tie between runs), with small and four-digit groups, IPv4-mapped and
    /// IPv4-compatible addresses: written as `Ipv6Addr`'s `Display` writes them.
    #[test]
    fn ipv6_is_written_as_display_writes_it() {
        let mut cases = Vec::new();
        for pattern in 0..=255u16 {
            for fill in [1u16, 0xa, 0xbeef, 0x0f00, 0xffff] {
                let mut g = [0u16; 8];
                for (i, slot) in g.iter_mut().enumerate() {
                    if pattern & (1 << i) != 0 {
                        *slot = fill.rotate_left(i as u32);
                    }
                }
                cases.push(Ipv6Addr::from(g));
            }
        }
        cases.push(Ipv6Addr::new(0, 0, 0, 0, 0, 0xffff, 0xc0a8, 0x0b22));
        cases.push(Ipv6Addr::new(0, 0, 0, 0, 0, 0xffff, 0, 0));
        cases.push(Ipv6Addr::new(0, 0, 0, 0, 0, 0, 0xc0a8, 0x0b22));
        cases.push(Ipv6Addr::new(0, 0, 0, 0, 1, 0xffff, 0xc0a8, 0x0b22));
        for a in cases {
            let want = a.to_string();
            assert_eq!(FieldValue::Ipv6(a.octets()).text(), want);
            let mut json = Vec::new();
            FieldValue::Ipv6(a.octets()).write_json(&mut json);
            assert_eq!(json, format!("\"{want}\"").into_bytes());
        }
    }

    const FLAGS: &[&str] = &["FIN", "SYN", "RST", "PSH", "ACK"];

    #[test]
    fn values_serialise_as_the_json_contract_says() {
        let cases: Vec<(FieldValue, serde_json::Value)> = vec![
            (
                FieldValue::Mac([2, 0, 0xc0, 0xa8, 0x0b, 0x22]),
                json!("02:00:c0:a8:0b:22"),
            ),
            (FieldValue::Ipv4([192, 168, 11, 34]), json!("192.168.11.34")),
            (
                FieldValue::Ipv6(Ipv6Addr::new(0x2001, 0xdb8, 0, 0, 0, 0, 0, 0x22).octets()),
                json!("2001:db8::22"),
            ),
            (FieldValue::hex16(0x0800), json!("0x0800")),
            (
                FieldValue::Hex {
                    value: 3,
                    digits: 2,
                },
                json!("0x03"),
            ),
            (FieldValue::Bytes(vec![1, 0xab]), json!("01ab")),
            (
                FieldValue::Flags {
                    bits: 0x12,
                    names: FLAGS,
                },
                json!(["SYN", "ACK"]),
            ),
            (FieldValue::Uint(65495), json!(65495)),
            (FieldValue::Null, json!(null)),
            (
                FieldValue::Object(vec![("kind", "MSS".into()), ("value", 1460u16.into())]),
                json!({"kind": "MSS", "value": 1460}),
            ),
            (
                FieldValue::Map(vec![("Host".to_string(), "x".into())]),
                json!({"Host": "x"}),
            ),
        ];
        for (value, want) in cases {
            assert_eq!(value.to_json(), want, "{value:?}");
        }
    }

    /// Every character escaped on its own, as [`write_escaped`] must write it whatever path
    /// it takes.
    fn escaped_by_char(s: &str) -> String {
        s.chars()
            .map(|c| match u32::from(c) {
                _ if !is_terminal_control(c) => c.to_string(),
                n @ 0..=0xff => format!("\\x{n:02x}"),
                n => format!("\\u{{{n:04x}}}"),
            })
            .collect()
    }

    #[test]
    fn text_escapes_every_terminal_control_and_nothing_else() {
        let pieces = [
            "GET / HTTP/1.1",
            " ~",
            "\x00",
            "\x1b[31m",
            "\x7f",
            "\u{80}",
            "\u{9f}",
            "\u{a0}",
            "\u{061c}",
            "\u{200e}",
            "\u{202e}",
            "\u{2069}",
            "\u{2028}",
            "你好",
            "é",
            "😀",
        ];
        let mut cases = Vec::new();
        for a in pieces {
            for b in pieces {
                cases.push(format!("{a}{b}"));
                cases.push(format!("{a}x{b}{a}"));
            }
        }
        for s in cases {
            let mut out = String::from(">");
            write_escaped(&mut out, &s);
            assert_eq!(out, format!(">{}", escaped_by_char(&s)), "{s:?}");
        }
    }

    #[test]
    fn text_forms_are_short() {
        assert_eq!(FieldValue::Null.text(), "-");
        assert_eq!(
            FieldValue::Flags {
                bits: 0x11,
                names: FLAGS
            }
            .text(),
            "FIN,ACK"
        );
        let mss = FieldValue::Object(vec![("kind", "MSS".into()), ("value", 1460u16.into())]);
        assert_eq!(mss.text(), "MSS=1460");
        let list = FieldValue::List(vec![mss, FieldValue::Object(vec![("kind", "NOP".into())])]);
        assert_eq!(list.text(), "MSS=1460,NOP");
        assert_eq!(FieldValue::Text("你好".into()).text(), "你好");
        // What a packet says cannot recolour or reorder the terminal.
        let hostile = FieldValue::Text("a\x1b[31mred\u{202e}txt\u{9b}\x7f\tb".into());
        assert_eq!(hostile.text(), "a\\x1b[31mred\\u{202e}txt\\x9b\\x7f\\x09b");
        // Each control alone takes the slow path; its neighbours in UTF-8 do not.
        for c in [
            '\u{200e}', '\u{200f}', '\u{202a}', '\u{2066}', '\u{2069}', '\u{61c}', '\u{80}',
        ] {
            assert!(
                FieldValue::Text(c.to_string()).text().starts_with('\\'),
                "{c:?}"
            );
        }
        for c in ['…', '·', '\u{2010}', '\u{2065}', '\u{a0}', '中'] {
            assert_eq!(
                FieldValue::Text(c.to_string()).text(),
                c.to_string(),
                "{c:?}"
            );
        }
        assert_eq!(FieldValue::Bool(true).text(), "true");
    }
}
