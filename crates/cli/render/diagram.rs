//! `--diagram`: each header as its RFC diagram, filled with this frame's values.

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
        (P::Tcp, "header_length") => "Offset",
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

/// Each header as its RFC diagram (32 bits a row), names above, this frame's values below.
pub fn diagrams(out: &mut dyn Write, ui: &Ui, frame: &Frame) -> io::Result<()> {
    let head = Msg::FrameShort.fill(ui.lang, &[&frame.frame, &frame.captured_length]);
    writeln!(out, "{}", paint(ui, &head, Style::new().bold()))?;
    for rec in &frame.layers {
        let table = field_table(rec.protocol);
        let hlen = rec.header.len();
        let mut cells: Vec<(usize, usize, &str, String)> = table
            .iter()
            .filter(|f| f.offset + f.len <= hlen)
            .filter_map(|f| {
                let value = rec.field(f.name).map(|x| match x.value {
                    // One bit reads best as the bit.
                    FieldValue::Bool(b) => u8::from(b).to_string(),
                    ref v => field_value(v),
                })?;
                let (s, e) = bit_range(f.offset, f.len, f.mask);
                Some((s, e, rfc_label(rec.protocol, f.name), value))
            })
            .collect();
        cells.sort_by_key(|c| c.0);
        let fixed_bits = cells.iter().map(|c| c.1).max().unwrap_or(0);
        if fixed_bits == 0 {
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
        let rows = fixed_bits.div_ceil(32);
        for row in 0..rows {
            let (lo, hi) = (row * 32, row * 32 + 32);
            let mut names = String::from("|");
            let mut values = String::from("|");
            let mut bit = lo;
            for (s, e, name, value) in &cells {
                let (a, b) = ((*s).max(lo), (*e).min(hi));
                if a >= b {
                    continue;
                }
                if a > bit {
                    let w = (a - bit) * 2 - 1;
                    names += &format!("{}|", " ".repeat(w));
                    values += &format!("{}|", " ".repeat(w));
                }
                let w = (b - a) * 2 - 1;
                let first = a == *s;
                names += &format!("{}|", fit(if first { name } else { "..." }, w));
                values += &format!("{}|", fit(if first { value } else { "" }, w));
                bit = b;
            }
            if bit < hi && bit > lo {
                // The header ends inside this row (Ethernet's 14 bytes).
                writeln!(out, "{names}")?;
                writeln!(out, "{values}")?;
                writeln!(out, "+{}", "-+".repeat(bit - lo))?;
                continue;
            }
            writeln!(out, "{names}")?;
            writeln!(out, "{values}")?;
            writeln!(out, "{rule}")?;
        }
        if hlen * 8 > fixed_bits {
            let extra = hlen - fixed_bits / 8;
            let label = Msg::DiagramRest.fill(ui.lang, &[&extra]);
            writeln!(out, "|{}|", fit(&label, 63))?;
            writeln!(out, "{rule}")?;
        }
        writeln!(out)?;
    }
    errors(out, ui, frame)?;
    Ok(())
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
