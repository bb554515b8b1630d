//! `--diagram`: each header as its RFC diagram, filled with this frame's values.

use super::printer::Printer;
use layers_osi::LinkType;
use std::io::{self, Write};

use layers_osi::FieldValue;
use layers_osi::ProtocolId;
use layers_stack::{field_table, Frame};
use owo_colors::Style;

use super::frame_text::{errors, field_value};
use super::paint;
use crate::i18n::Msg;
use crate::Ui;

/// Bit range `[start, end)` of a field within its header.
fn bit_range(offset: usize, len: usize, mask: Option<u32>) -> (usize, usize) {
    match mask {
        None => (offset * 8, (offset + len) * 8),
        Some(m) => {
            let width = len * 8;
            let high = 31 - m.leading_zeros() as usize;
            let low = m.trailing_zeros() as usize;
            (offset * 8 + (width - 1 - high), offset * 8 + (width - low))
        }
    }
}

/// A field's name as its RFC's diagram writes it (RFC 791's "IHL", RFC 9293's "Data
/// Offset"); our JSON names elsewhere. One-bit fields get their flag's initial.
fn rfc_label(protocol: ProtocolId, name: &'static str) -> &'static str {
    use ProtocolId as P;
    match (protocol, name) {
        (P::Ethernet2 | P::Ieee8023, "destination") => "Destination Address",
        (P::Ethernet2 | P::Ieee8023, "source") => "Source Address",
        (P::Ethernet2 | P::Vlan | P::LinuxSll | P::LinuxSll2 | P::Llc, "ethertype") => "EtherType",
        (P::Ieee8023 | P::Udp, "length") => "Length",
        (P::Vlan, "priority") => "PCP",
        (P::Vlan, "dei") => "D",
        (P::Vlan, "id") => "VLAN Identifier (VID)",
        (P::Arp, "hardware_type") => "Hardware Type (HTYPE)",
        (P::Arp, "protocol_type") => "Protocol Type (PTYPE)",
        (P::Arp, "hardware_size") => "HLEN",
        (P::Arp, "protocol_size") => "PLEN",
        (P::Arp, "operation") => "Operation (OPER)",
        (P::Arp, "sender_mac") => "Sender Hardware Address (SHA)",
        (P::Arp, "sender_ip") => "Sender Protocol Address (SPA)",
        (P::Arp, "target_mac") => "Target Hardware Address (THA)",
        (P::Arp, "target_ip") => "Target Protocol Address (TPA)",
        (P::Ipv4 | P::Ipv6, "version") => "Version",
        (P::Ipv4, "header_length") => "IHL",
        (P::Ipv4, "dscp") => "DSCP",
        (P::Ipv4, "ecn") => "ECN",
        (P::Ipv4, "total_length") => "Total Length",
        (P::Ipv4, "identification") => "Identification",
        (P::Ipv4, "dont_fragment") => "D",
        (P::Ipv4, "more_fragments") => "M",
        (P::Ipv4, "fragment_offset") => "Fragment Offset",
        (P::Ipv4, "ttl") => "Time to Live",
        (P::Ipv4, "protocol") => "Protocol",
        (P::Ipv4, "checksum") => "Header Checksum",
        (P::Ipv4 | P::Ipv6, "source") => "Source Address",
        (P::Ipv4 | P::Ipv6, "destination") => "Destination Address",
        (P::Ipv6, "traffic_class") => "Traffic Class",
        (P::Ipv6, "flow_label") => "Flow Label",
        (P::Ipv6, "payload_length") => "Payload Length",
        (P::Ipv6, "next_header") => "Next Header",
        (P::Ipv6, "hop_limit") => "Hop Limit",
        (P::Icmp | P::Icmpv6, "type") => "Type",
        (P::Icmp | P::Icmpv6, "code") => "Code",
        (P::Icmp | P::Icmpv6 | P::Tcp | P::Udp, "checksum") => "Checksum",
        (P::Icmp, "identifier") => "Identifier",
        (P::Icmp, "sequence") => "Sequence Number",
        (P::Tcp | P::Udp, "source_port") => "Source Port",
        (P::Tcp | P::Udp, "destination_port") => "Destination Port",
        (P::Tcp, "sequence") => "Sequence Number",
        (P::Tcp, "acknowledgment") => "Acknowledgment Number",
        (P::Tcp, "header_length") => "Data Offset",
        (P::Tcp, "flags") => "Flags",
        (P::Tcp, "window") => "Window",
        (P::Tcp, "urgent_pointer") => "Urgent Pointer",
        _ => name,
    }
}

fn fit(text: &str, width: usize) -> String {
    let t: String = text.chars().take(width).collect();
    format!("{t:^width$}")
}

/// One box of a diagram: bits `[start, end)` of the header, its label and its value, and
/// the field it draws (none for reserved bits).
pub(super) struct Cell {
    pub start: usize,
    pub end: usize,
    pub label: String,
    pub value: String,
    pub field: Option<&'static str>,
}

impl Cell {
    fn new(start: usize, end: usize, label: impl Into<String>, value: impl Into<String>) -> Cell {
        Cell {
            start,
            end,
            label: label.into(),
            value: value.into(),
            field: None,
        }
    }

    /// The same box, drawing field `name`.
    fn of(mut self, name: &'static str) -> Cell {
        self.field = Some(name);
        self
    }
}

/// Bits `[start, end)` of `bytes` as a number (at most 64 of them).
fn bits(bytes: &[u8], start: usize, end: usize) -> Option<u64> {
    if end > bytes.len() * 8 || end - start > 64 {
        return None;
    }
    Some((start..end).fold(0u64, |acc, i| {
        (acc << 1) | u64::from(bytes[i / 8] >> (7 - i % 8) & 1)
    }))
}

/// The flags field drawn bit by bit: a one-bit box for each flag with its 0 or 1, the
/// highest bit first (AE, CWR, ..., FIN as RFC 9293 and RFC 9768 name them).
fn tcp_flag_cells(header: &[u8], start: usize, end: usize) -> Vec<Cell> {
    let names = layers_transport::TCP_FLAG_BIT_NAMES;
    (start..end)
        .zip(names.iter().take(end - start).rev())
        .map(|(bit, name)| {
            let value = bits(header, bit, bit + 1).map_or(String::new(), |b| b.to_string());
            Cell::new(bit, bit + 1, *name, value).of("flags")
        })
        .collect()
}

/// TCP options after the fixed 20 bytes, each as RFC 9293 draws it: Kind, Length, value.
fn tcp_option_cells(header: &[u8]) -> Vec<Cell> {
    let options = header
        .get(layers_transport::TCP_MIN_LEN..)
        .unwrap_or_default();
    let base = layers_transport::TCP_MIN_LEN * 8;
    layers_transport::option_layout(options)
        .into_iter()
        .map(|p| Cell::new(base + p.start * 8, base + p.end * 8, p.label, p.value).of("options"))
        .collect()
}

/// The boxes of one header: its table's fields, TCP's flags bit by bit, reserved bits
/// named and shown, and TCP's options.
pub(super) fn cells(rec: &layers_osi::LayerRecord, header: &[u8]) -> Vec<Cell> {
    let hlen = rec.header.len();
    let mut cells: Vec<Cell> = Vec::new();
    for f in field_table(rec.protocol)
        .iter()
        .filter(|f| f.offset + f.len <= hlen)
    {
        let Some(x) = rec.field(f.name) else {
            continue;
        };
        let (s, e) = bit_range(f.offset, f.len, f.mask);
        if rec.protocol == ProtocolId::Tcp && f.name == "flags" {
            cells.extend(tcp_flag_cells(header, s, e));
            continue;
        }
        let value = match x.value {
            // One bit reads best as the bit.
            FieldValue::Bool(b) => u8::from(b).to_string(),
            // The header holds lengths in 32-bit words: show the word count and the bytes.
            FieldValue::Uint(n) if f.name == "header_length" => format!("{}×4={n}", n / 4),
            ref v => field_value(v),
        };
        cells.push(Cell::new(s, e, rfc_label(rec.protocol, f.name), value).of(f.name));
    }
    cells.sort_by_key(|c| c.start);
    // Bits between fields are reserved: drawn with their value, as the RFCs draw them.
    let mut gaps = Vec::new();
    let mut bit = 0;
    for c in &cells {
        if c.start > bit {
            let value = bits(header, bit, c.start).map_or(String::new(), |v| v.to_string());
            let label = if c.start - bit == 1 { "R" } else { "Rsrvd" };
            gaps.push(Cell::new(bit, c.start, label, value));
        }
        bit = bit.max(c.end);
    }
    cells.extend(gaps);
    if rec.protocol == ProtocolId::Tcp {
        cells.extend(tcp_option_cells(header));
    }
    cells.sort_by_key(|c| c.start);
    cells
}

/// One 32-bit row: its label lines (one-bit boxes spell long names downwards, as RFC
/// 9293 draws C/W/R) and its value line.
fn row(cells: &[Cell], lo: usize, hi: usize) -> (Vec<String>, String, usize) {
    let in_row: Vec<&Cell> = cells
        .iter()
        .filter(|c| c.start.max(lo) < c.end.min(hi))
        .collect();
    let tall = in_row
        .iter()
        .filter(|c| c.end - c.start == 1)
        .map(|c| c.label.chars().count())
        .max()
        .unwrap_or(1)
        .max(1);
    let middle = (tall - 1) / 2;
    let mut names = vec![String::from("|"); tall];
    let mut values = String::from("|");
    let mut bit = lo;
    for c in in_row {
        let (a, b) = (c.start.max(lo), c.end.min(hi));
        if a > bit {
            let w = (a - bit) * 2 - 1;
            for n in &mut names {
                *n += &format!("{}|", " ".repeat(w));
            }
            values += &format!("{}|", " ".repeat(w));
        }
        let w = (b - a) * 2 - 1;
        let first = a == c.start;
        let label = if first { c.label.as_str() } else { "..." };
        let chars: Vec<char> = label.chars().collect();
        // A name too long for its box takes a line a word, as RFC 9293's "Data Offset".
        let words: Vec<&str> = label.split(' ').collect();
        let stacked = chars.len() > w && words.len() > 1 && words.len() <= tall;
        for (i, n) in names.iter_mut().enumerate() {
            let text = if w == 1 && chars.len() > 1 {
                chars.get(i).map(char::to_string).unwrap_or_default()
            } else if stacked {
                words.get(i).map(|w| w.to_string()).unwrap_or_default()
            } else if i == middle {
                label.to_string()
            } else {
                String::new()
            };
            *n += &format!("{}|", fit(&text, w));
        }
        values += &format!("{}|", fit(if first { &c.value } else { "" }, w));
        bit = b;
    }
    (names, values, bit)
}

/// Each header as its RFC diagram (32 bits a row), names above, this frame's values below.
pub fn diagrams(out: &mut dyn Write, ui: &Ui, frame: &Frame, bytes: &[u8]) -> io::Result<()> {
    let head = Msg::FrameShort.fill(ui.lang, &[&frame.frame, &frame.captured_length]);
    writeln!(out, "{}", paint(ui, &head, Style::new().bold()))?;
    for rec in &frame.layers {
        let hlen = rec.header.len();
        let header = bytes
            .get(rec.header.start..rec.header.end)
            .unwrap_or_default();
        let cells = cells(rec, header);
        let drawn_bits = cells.iter().map(|c| c.end).max().unwrap_or(0);
        if drawn_bits == 0 {
            continue;
        }
        let quoted = if rec.quoted {
            Msg::QuotedMark.get(ui.lang)
        } else {
            ""
        };
        writeln!(
            out,
            "{} ({}), {} {}-{}{}",
            rec.protocol.name(),
            rec.protocol.info().spec,
            Msg::BytesWord.get(ui.lang),
            rec.header.start,
            rec.header.end.saturating_sub(1),
            quoted
        )?;
        writeln!(
            out,
            " 0                   1                   2                   3"
        )?;
        writeln!(
            out,
            " 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1"
        )?;
        let rule = format!("+{}", "-+".repeat(32));
        writeln!(out, "{rule}")?;
        for r in 0..drawn_bits.div_ceil(32) {
            let (lo, hi) = (r * 32, r * 32 + 32);
            let (names, values, bit) = row(&cells, lo, hi);
            for n in names {
                writeln!(out, "{n}")?;
            }
            writeln!(out, "{values}")?;
            if bit < hi && bit > lo {
                // The header ends inside this row (Ethernet's 14 bytes).
                writeln!(out, "+{}", "-+".repeat(bit - lo))?;
            } else {
                writeln!(out, "{rule}")?;
            }
        }
        if hlen * 8 > drawn_bits {
            let extra = hlen - drawn_bits / 8;
            let label = Msg::DiagramRest.fill(ui.lang, &[&extra]);
            writeln!(out, "|{}|", fit(&label, 63))?;
            writeln!(out, "{rule}")?;
        }
        writeln!(out)?;
    }
    errors(out, ui, frame)?;
    Ok(())
}

/// `--diagram`.
pub struct Diagram(pub Ui);

impl Printer for Diagram {
    fn frame(&mut self, out: &mut Vec<u8>, f: &Frame, data: &[u8], _: LinkType) -> io::Result<()> {
        diagrams(out, &self.0, f, data)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bit_ranges_of_masked_fields() {
        assert_eq!(bit_range(0, 1, Some(0xf0)), (0, 4));
        assert_eq!(bit_range(0, 1, Some(0x0f)), (4, 8));
        assert_eq!(bit_range(6, 2, Some(0x1fff)), (51, 64));
        assert_eq!(bit_range(12, 4, None), (96, 128));
    }
}
