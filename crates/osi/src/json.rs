//! The frame model written as JSON straight into a byte buffer: byte for byte what the
//! `Serialize` impls give through serde_json (a test compares the two on every kind of
//! value), without serde's escaping of every key and its formatter for every address. This is
//! what `decode --json` writes for each of millions of frames.

use std::sync::OnceLock;

use crate::{Field, FieldValue, LayerRecord, ProtocolId, Span, Stop};

/// Writes `s` as a JSON string, escaped as serde_json escapes it.
pub fn push_str(out: &mut Vec<u8>, s: &str) {
    out.push(b'"');
    let bytes = s.as_bytes();
    let needs = |b: &u8| *b < 0x20 || *b == b'"' || *b == b'\\';
    // Most strings need no escape: one scan, one copy.
    let Some(first) = bytes.iter().position(needs) else {
        out.extend_from_slice(bytes);
        out.push(b'"');
        return;
    };
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate().skip(first) {
        let escape: &[u8] = match b {
            b'"' => b"\\\"",
            b'\\' => b"\\\\",
            b'\n' => b"\\n",
            b'\r' => b"\\r",
            b'\t' => b"\\t",
            0x08 => b"\\b",
            0x0c => b"\\f",
            0x00..=0x1f => b"",
            _ => continue,
        };
        out.extend_from_slice(bytes.get(start..i).unwrap_or_default());
        if escape.is_empty() {
            // A control character: b < 0x20, so both digits are hex digits.
            out.extend_from_slice(b"\\u00");
            out.push(if b < 0x10 { b'0' } else { b'1' });
            out.push(char::from_digit(u32::from(b & 0x0f), 16).map_or(b'0', |c| c as u8));
        } else {
            out.extend_from_slice(escape);
        }
        start = i.saturating_add(1);
    }
    out.extend_from_slice(bytes.get(start..).unwrap_or_default());
    out.push(b'"');
}

/// Writes a number.
#[inline]
pub fn push_u64(out: &mut Vec<u8>, n: u64) {
    match u16::try_from(n) {
        Ok(n) if n < 10_000 => {
            let (digits, len) = small_digits(n);
            push_packed(out, u64::from(digits), len);
        }
        _ => out.extend_from_slice(itoa::Buffer::new().format(n).as_bytes()),
    }
}

/// The decimal digits of `n` (under 10,000) as ASCII, the first in the lowest byte, and how
/// many there are. Most numbers in a frame's JSON are offsets, lengths and ports this small
/// (some 80 a frame, half of them in spans), and formatting each apart and copying it in
/// cost more than the rest of writing it.
#[inline]
fn small_digits(n: u16) -> (u32, u32) {
    let n = u32::from(n);
    let len = match n {
        0..=9 => 1,
        10..=99 => 2,
        100..=999 => 3,
        _ => 4,
    };
    // Two digits at a time from a table: the four with leading zeros, then those cut off.
    let pair = |i: u32| u32::from(PAIRS.get(i as usize).copied().unwrap_or(0));
    let all = pair(n / 100) | pair(n % 100).wrapping_shl(16);
    (
        all.wrapping_shr(8u32.wrapping_mul(4u32.wrapping_sub(len))),
        len,
    )
}

/// `00` to `99` as ASCII, the first digit in the lower byte.
#[cfg_attr(
    not(test),
    expect(
        clippy::indexing_slicing,
        reason = "computed at compile time: an index out of range fails the build"
    )
)]
const PAIRS: [u16; 100] = {
    let mut t = [0u16; 100];
    let mut i = 0;
    while i < 100 {
        t[i] = (b'0' as u16 + (i / 10) as u16) | ((b'0' as u16 + (i % 10) as u16) << 8);
        i += 1;
    }
    t
};

/// Appends the first `len` (at most 8) bytes of `packed`, the first in the lowest byte:
/// a copy of a constant size and a truncation, where a copy of `len` bytes is a call.
#[inline]
fn push_packed(out: &mut Vec<u8>, packed: u64, len: u32) {
    let at = out.len();
    out.extend_from_slice(&packed.to_le_bytes());
    out.truncate(at.saturating_add(len.min(8) as usize));
}

/// Writes `"key":` for a key from the frame (HTTP header names), escaped.
fn key(out: &mut Vec<u8>, k: &str) {
    push_str(out, k);
    out.push(b':');
}

/// Writes `"name":` for a field or member name of `layers`' own: lowercase words and
/// underscores, which JSON never escapes.
fn name(out: &mut Vec<u8>, k: &'static str) {
    debug_assert!(k.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'));
    out.push(b'"');
    out.extend_from_slice(k.as_bytes());
    out.extend_from_slice(b"\":");
}

fn span(out: &mut Vec<u8>, s: Span) {
    match (u16::try_from(s.start), u16::try_from(s.end)) {
        (Ok(a), Ok(b)) if a < 10_000 && b < 10_000 => {
            // `[a,` and `b]`, each at most six bytes, each appended as one word.
            let (a, la) = small_digits(a);
            let (b, lb) = small_digits(b);
            let first = u64::from(b'[')
                | u64::from(a).wrapping_shl(8)
                | u64::from(b',').wrapping_shl(la.wrapping_add(1).wrapping_mul(8));
            push_packed(out, first, la.wrapping_add(2));
            let second = u64::from(b) | u64::from(b']').wrapping_shl(lb.wrapping_mul(8));
            push_packed(out, second, lb.wrapping_add(1));
        }
        _ => {
            out.push(b'[');
            push_u64(out, s.start as u64);
            out.push(b',');
            push_u64(out, s.end as u64);
            out.push(b']');
        }
    }
}

impl FieldValue {
    /// Writes the value as the JSON contract has it.
    pub fn write_json(&self, out: &mut Vec<u8>) {
        match self {
            FieldValue::Null => out.extend_from_slice(b"null"),
            FieldValue::Bool(true) => out.extend_from_slice(b"true"),
            FieldValue::Bool(false) => out.extend_from_slice(b"false"),
            FieldValue::Uint(n) => push_u64(out, *n),
            FieldValue::Name(s) => push_str(out, s),
            FieldValue::Text(s) => push_str(out, s),
            FieldValue::List(items) => {
                out.push(b'[');
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    item.write_json(out);
                }
                out.push(b']');
            }
            FieldValue::Object(members) => {
                out.push(b'{');
                for (i, (k, v)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    name(out, k);
                    v.write_json(out);
                }
                out.push(b'}');
            }
            FieldValue::Map(members) => {
                out.push(b'{');
                for (i, (k, v)) in members.iter().enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    key(out, k);
                    v.write_json(out);
                }
                out.push(b'}');
            }
            // Flags are a list of names; addresses and hex are strings of their text form.
            FieldValue::Flags { bits, names } => {
                out.push(b'[');
                for (i, name) in crate::value::set_names(*bits, names).enumerate() {
                    if i > 0 {
                        out.push(b',');
                    }
                    push_str(out, name);
                }
                out.push(b']');
            }
            FieldValue::Mac(_)
            | FieldValue::Ipv4(_)
            | FieldValue::Ipv6(_)
            | FieldValue::Hex { .. }
            | FieldValue::Bytes(_) => {
                // ASCII that JSON never escapes, written in place; IPv6 through its text.
                out.push(b'"');
                if !self.write_ascii(out) {
                    let mut text = String::with_capacity(40);
                    self.write_text(&mut text);
                    out.extend_from_slice(text.as_bytes());
                }
                out.push(b'"');
            }
        }
    }
}

fn fields(out: &mut Vec<u8>, fields: &[Field], spans: bool) {
    out.push(b'{');
    for (i, f) in fields.iter().enumerate() {
        if i > 0 {
            out.push(b',');
        }
        name(out, f.name);
        if spans {
            span(out, f.span);
        } else {
            f.value.write_json(out);
        }
    }
    out.push(b'}');
}

/// What every record of protocol `p` starts with, up to its span: its layer, name, PDU and
/// devices, the same for every record of it, so written once and copied (a tenth of
/// `--json`'s instructions went to writing them again for every record).
fn head(p: ProtocolId) -> &'static [u8] {
    static HEADS: OnceLock<Vec<Vec<u8>>> = OnceLock::new();
    HEADS
        .get_or_init(|| ProtocolId::ALL.into_iter().map(write_head).collect())
        .get(p as usize)
        .map_or(&[], Vec::as_slice)
}

fn write_head(p: ProtocolId) -> Vec<u8> {
    let mut out = Vec::new();
    let layer = p.layer();
    out.extend_from_slice(b"{\"osi\":");
    push_u64(&mut out, u64::from(layer.number()));
    out.extend_from_slice(b",\"layer\":");
    push_str(&mut out, layer.name().en);
    out.extend_from_slice(b",\"protocol\":");
    push_str(&mut out, p.name());
    out.extend_from_slice(b",\"pdu\":");
    push_str(&mut out, p.pdu().en);
    out.extend_from_slice(b",\"devices\":[");
    let devices = crate::DEVICES.iter().filter(|d| d.layer == layer);
    for (i, d) in devices.enumerate() {
        if i > 0 {
            out.push(b',');
        }
        push_str(&mut out, d.name.en);
    }
    out.extend_from_slice(b"],\"span\":");
    out
}

/// The `"spans"` object last written for each protocol, field by field, to copy from: a
/// record's fields mostly sit where the last record of its protocol had them (a fixed
/// header at the same offset), so the text of the fields the two share from the first on
/// is copied rather than written again. Writing every span again was a fifth of `--json`.
/// One a writer (a thread); what it writes is what [`LayerRecord::write_json`] writes.
#[derive(Debug, Default)]
pub struct SpansCache {
    by_protocol: Vec<CachedSpans>,
}

#[derive(Debug, Default)]
struct CachedSpans {
    /// Each field's name and span, in order.
    keys: Vec<(&'static str, Span)>,
    /// Where each field's text ends in `text`.
    ends: Vec<usize>,
    /// `{"name":[a,b],...` without the closing brace.
    text: Vec<u8>,
}

impl CachedSpans {
    /// Writes the spans object of `fields`, from the cache as far as it agrees.
    fn write(&mut self, out: &mut Vec<u8>, fields: &[Field]) {
        let same = fields
            .iter()
            .zip(&self.keys)
            .take_while(|(f, (name, at))| {
                f.span == *at && (std::ptr::eq(f.name, *name) || f.name == *name)
            })
            .count();
        let kept = same
            .checked_sub(1)
            .and_then(|last| self.ends.get(last).copied())
            .unwrap_or(0);
        self.keys.truncate(same);
        self.ends.truncate(same);
        self.text.truncate(kept);
        if self.text.is_empty() {
            self.text.push(b'{');
        }
        for f in fields.get(same..).unwrap_or_default() {
            if !self.keys.is_empty() {
                self.text.push(b',');
            }
            name(&mut self.text, f.name);
            span(&mut self.text, f.span);
            self.keys.push((f.name, f.span));
            self.ends.push(self.text.len());
        }
        out.extend_from_slice(&self.text);
        out.push(b'}');
    }
}

impl LayerRecord {
    /// Writes the record as the JSON contract has it (what its `Serialize` gives).
    pub fn write_json(&self, out: &mut Vec<u8>) {
        self.write_json_from(out, None);
    }

    /// Writes the record as [`LayerRecord::write_json`] does, its spans copied from
    /// `cache` where they are where the last record of its protocol had them.
    pub fn write_json_cached(&self, out: &mut Vec<u8>, cache: &mut SpansCache) {
        self.write_json_from(out, Some(cache));
    }

    fn write_json_from(&self, out: &mut Vec<u8>, cache: Option<&mut SpansCache>) {
        out.extend_from_slice(head(self.protocol));
        span(out, self.span);
        out.extend_from_slice(b",\"fields\":");
        fields(out, &self.fields, false);
        out.extend_from_slice(b",\"spans\":");
        let slot = cache.and_then(|c| {
            if c.by_protocol.is_empty() {
                c.by_protocol
                    .resize_with(ProtocolId::ALL.len(), CachedSpans::default);
            }
            c.by_protocol.get_mut(self.protocol as usize)
        });
        match slot {
            Some(cached) => cached.write(out, &self.fields),
            None => fields(out, &self.fields, true),
        }
        if self.quoted {
            out.extend_from_slice(b",\"quoted\":true");
        }
        out.push(b'}');
    }
}

impl Stop {
    /// Writes the stop as the JSON contract has it (what its `Serialize` gives).
    pub fn write_json(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(b"{\"osi\":");
        push_u64(out, u64::from(self.layer.number()));
        out.extend_from_slice(b",\"protocol\":");
        push_str(out, self.protocol_name());
        out.extend_from_slice(b",\"offset\":");
        push_u64(out, self.offset as u64);
        out.extend_from_slice(b",\"message\":");
        push_str(out, &self.message());
        out.push(b'}');
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{OsiLayer, ProtocolId, StopKind, Text};

    fn serde(v: &impl serde::Serialize) -> Vec<u8> {
        serde_json::to_vec(v).unwrap()
    }

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        for s in [
            "plain",
            "quote \" and \\ backslash",
            "\n\r\t\u{8}\u{c}",
            "\u{0}\u{1}\u{1f}\u{7f}",
            "你好 / é",
            "",
        ] {
            let mut ours = Vec::new();
            push_str(&mut ours, s);
            assert_eq!(ours, serde(&s), "{s:?}");
        }
    }

    #[test]
    fn numbers_and_every_protocols_record_match_serde() {
        let mut n = 0u64;
        while n < 200_000 {
            let mut ours = Vec::new();
            push_u64(&mut ours, n);
            assert_eq!(ours, serde(&n));
            n += if n < 20_000 { 1 } else { 997 };
        }
        for n in [u64::from(u32::MAX), u64::MAX] {
            let mut ours = Vec::new();
            push_u64(&mut ours, n);
            assert_eq!(ours, serde(&n));
        }
        for (start, end) in [(0, 0), (9, 10), (99, 100), (999, 1000), (9_999, 10_000)] {
            for (start, end) in [(start, end), (end, start), (start, start), (70_000, end)] {
                let mut ours = Vec::new();
                span(&mut ours, Span::new(start, end));
                assert_eq!(ours, serde(&[start, end]), "{start}..{end}");
            }
        }
        for p in ProtocolId::ALL {
            for quoted in [false, true] {
                let mut rec = LayerRecord::new(p, Span::new(9, 12_345), Span::new(9, 29));
                rec.push_at("length", Span::new(10, 99_999), 70_000u32);
                rec.quoted = quoted;
                let mut ours = Vec::new();
                rec.write_json(&mut ours);
                assert_eq!(
                    String::from_utf8(ours).unwrap(),
                    String::from_utf8(serde(&rec)).unwrap()
                );
            }
        }
    }

    /// Records whose fields change name, span or number at every place, written in turn
    /// through one cache, give what each gives alone.
    #[test]
    fn spans_copied_from_the_cache_are_the_spans_written() {
        let names = ["a", "b", "c", "d", "e"];
        let mut records = Vec::new();
        for n in 0..=names.len() {
            for shift in [0, 1, 7] {
                for rename in [None, Some(0), Some(2), Some(4)] {
                    let mut rec =
                        LayerRecord::new(ProtocolId::Ipv4, Span::new(14, 34), Span::new(14, 34));
                    for (i, name) in names.iter().take(n).enumerate() {
                        let name = if rename == Some(i) { "renamed" } else { name };
                        let at = 14 + i * 2 + if i >= 2 { shift } else { 0 };
                        rec.push_at(name, Span::new(at, at + 2), i as u32);
                    }
                    records.push(rec);
                }
            }
        }
        // Another protocol between them, and each order, so the cache meets every change.
        let other = LayerRecord::new(ProtocolId::Tcp, Span::new(34, 54), Span::new(34, 54));
        let mut cache = SpansCache::default();
        for round in 0..2 {
            for (i, rec) in records.iter().enumerate() {
                let rec = if round == 1 && i % 3 == 0 {
                    &other
                } else {
                    rec
                };
                let (mut plain, mut cached) = (Vec::new(), Vec::new());
                rec.write_json(&mut plain);
                rec.write_json_cached(&mut cached, &mut cache);
                assert_eq!(
                    String::from_utf8(cached).unwrap(),
                    String::from_utf8(plain).unwrap()
                );
            }
            records.reverse();
        }
    }

    #[test]
    fn every_kind_of_value_and_a_whole_record_match_serde() {
        const FLAGS: &[&str] = &["FIN", "SYN", "RST", "PSH", "ACK"];
        let values = vec![
            FieldValue::Null,
            FieldValue::Bool(false),
            FieldValue::Uint(u64::MAX),
            FieldValue::Mac([2, 0, 0xc0, 0xa8, 0x0b, 0x22]),
            FieldValue::Ipv4([10, 99, 0, 1]),
            FieldValue::Ipv6([0x20, 1, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x22]),
            FieldValue::hex16(0x86dd),
            FieldValue::Bytes(vec![0x55; 7]),
            FieldValue::Flags {
                bits: 0x12,
                names: FLAGS,
            },
            FieldValue::Flags {
                bits: 0,
                names: FLAGS,
            },
            FieldValue::Name("MSS"),
            FieldValue::Text("GET /\"x\"\n".into()),
            FieldValue::List(vec![FieldValue::Uint(1), FieldValue::Null]),
            FieldValue::Object(vec![("kind", "MSS".into()), ("value", 1460u16.into())]),
            FieldValue::Map(vec![("X-\"odd\"".into(), "v".to_string().into())]),
        ];
        for v in &values {
            let mut ours = Vec::new();
            v.write_json(&mut ours);
            assert_eq!(
                String::from_utf8(ours).unwrap(),
                String::from_utf8(serde(v)).unwrap()
            );
        }
        let mut rec = LayerRecord::new(ProtocolId::Tcp, Span::new(34, 74), Span::new(34, 54));
        for (i, v) in values.into_iter().enumerate() {
            let names = [
                "a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "k", "l", "m", "n", "o",
            ];
            rec.push_at(names[i], Span::new(i, i + 1), v);
        }
        rec.quoted = true;
        let mut ours = Vec::new();
        rec.write_json(&mut ours);
        assert_eq!(ours, serde(&rec));
        let stop = Stop {
            layer: OsiLayer::Transport,
            protocol: Some(ProtocolId::Tcp),
            offset: 34,
            kind: StopKind::Truncated {
                what: Text::new("TCP header", "TCP 首部"),
                needed: 20,
                present: 6,
                length_from: None,
                first_missing: Some(("sequence", 38)),
            },
        };
        let mut ours = Vec::new();
        stop.write_json(&mut ours);
        assert_eq!(ours, serde(&stop));
    }
}
