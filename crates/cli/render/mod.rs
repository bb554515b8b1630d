//! Rendering: tables, the hex dump coloured by layer, the physical view, the narrative.
//! Everything writes into a `Write`, with colour and width decided once in [`Ui`].

use std::io::{self, Write};

use comfy_table::{presets, Cell, Color, ContentArrangement, Table};
use layers_ethernet::Mac;
use layers_ipv4::{range_kind, NextHop, Route};
use layers_osi::owners;
use layers_osi::{Field, FieldValue, Lang, LayerRecord, OsiLayer, ProtocolId, Text};
use layers_physical::{self as phy, Wire};
use layers_stack::{field_table, Dissection, Finished};
use layers_transport::PortClass;
use owo_colors::{OwoColorize, Style};

use crate::i18n::Msg;
use crate::Ui;

mod diagram;
mod encode;
mod frame_text;
mod hex_view;
pub mod html;
mod json;
mod oneline;
pub mod printer;
mod stats;
mod tree;

pub use diagram::diagrams;
pub use encode::encode_report;
pub use stats::stats;

/// How one protocol's bytes look: a colour, and a letter for output without colour.
struct Look {
    table: Color,
    style: Style,
    letter: char,
    /// The classroom page's CSS class suffix (`k-eth`, ...): its colour there.
    css: &'static str,
}

fn look(rec: Option<&LayerRecord>) -> Look {
    look_of(rec.map(|r| r.protocol))
}

/// How `protocol`'s bytes look (`None`: bytes of no layer's header).
fn look_of(protocol: Option<ProtocolId>) -> Look {
    let padding = (Color::DarkGrey, Style::new().bright_black(), 'p', "pad");
    let (table, style, letter, css) = match protocol {
        Some(ProtocolId::Ethernet2 | ProtocolId::Ieee8023) => {
            (Color::Blue, Style::new().blue(), 'E', "eth")
        }
        Some(ProtocolId::Llc) => (Color::DarkBlue, Style::new().bright_blue(), 'L', "llc"),
        Some(ProtocolId::LinuxSll | ProtocolId::LinuxSll2) => {
            (Color::Blue, Style::new().blue(), 'S', "sll")
        }
        Some(ProtocolId::Vlan) => (Color::Cyan, Style::new().cyan(), 'Q', "vlan"),
        Some(ProtocolId::Arp) => (Color::DarkCyan, Style::new().bright_cyan(), 'A', "arp"),
        Some(ProtocolId::Ipv4 | ProtocolId::Ipv6) => {
            (Color::Green, Style::new().green(), 'I', "ip")
        }
        Some(ProtocolId::IpFragment) => (Color::DarkGreen, Style::new().green(), 'F', "frag"),
        Some(ProtocolId::Icmp | ProtocolId::Icmpv6) => {
            (Color::DarkGreen, Style::new().bright_green(), 'C', "icmp")
        }
        Some(ProtocolId::Tcp) => (Color::Yellow, Style::new().yellow(), 'T', "tcp"),
        Some(ProtocolId::Udp) => (Color::Yellow, Style::new().yellow(), 'U', "udp"),
        Some(
            ProtocolId::Http
            | ProtocolId::Smtp
            | ProtocolId::Pop3
            | ProtocolId::Ftp
            | ProtocolId::Telnet
            | ProtocolId::Dns
            | ProtocolId::Snmp
            | ProtocolId::Data,
        ) => (Color::Magenta, Style::new().magenta(), 'D', "app"),
        // The physical layer owns no byte of its own: the frame's bytes are the MAC's.
        Some(ProtocolId::EthernetPhy | ProtocolId::Bits) | None => padding,
    };
    Look {
        table,
        style,
        letter,
        css,
    }
}

fn paint(ui: &Ui, text: &str, style: Style) -> String {
    if ui.color {
        text.style(style).to_string()
    } else {
        text.to_string()
    }
}

fn heading(ui: &Ui, text: &str) -> String {
    paint(ui, text, Style::new().bold())
}

/// A table in the house style: width fixed off a terminal, colour only when chosen.
pub fn new_table(ui: &Ui) -> Table {
    let mut t = Table::new();
    t.load_style(presets::UTF8_FULL_CONDENSED);
    t.set_content_arrangement(ContentArrangement::Dynamic);
    if let Some(w) = ui.width {
        t.set_width(w);
        t.force_no_tty();
    }
    if ui.color {
        t.enforce_styling();
    }
    t
}

/// `text` padded to `width` terminal columns (a Chinese character takes two).
pub fn pad(text: &str, width: usize) -> String {
    let used = unicode_width::UnicodeWidthStr::width(text);
    format!("{text}{}", " ".repeat(width.saturating_sub(used)))
}

/// Devices of a layer, in the user's language.
pub fn devices_text(layer: OsiLayer, lang: Lang) -> String {
    let names: Vec<&str> = layer.devices().iter().map(|d| d.name.get(lang)).collect();
    if names.is_empty() {
        Msg::NoDevice.get(lang).to_string()
    } else {
        names.join(Msg::ListSep.get(lang))
    }
}

/// A field's value as text.
/// A protocol's name as a reader sees it: the JSON name, except bare data in Chinese.
pub fn protocol_name(p: ProtocolId, lang: Lang) -> &'static str {
    match (p, lang) {
        (ProtocolId::Data, Lang::Zh) => "数据",
        (ProtocolId::Bits, Lang::Zh) => "比特",
        _ => p.name(),
    }
}

/// A field's name as a reader sees it: the JSON name in English, a Chinese name in Chinese.
pub fn field_name(p: ProtocolId, name: &'static str, lang: Lang) -> &'static str {
    layers_osi::field_label(p, name).get(lang)
}

pub fn value_text(v: &FieldValue) -> String {
    v.text()
}

/// Picoseconds as ns, µs or ms.
pub fn duration_text(ps: u64) -> String {
    let ns = ps as f64 / 1000.0;
    if ns < 1000.0 {
        format!("{} ns", trim_float(ns))
    } else if ns < 1_000_000.0 {
        format!("{} µs", trim_float(ns / 1000.0))
    } else {
        format!("{} ms", trim_float(ns / 1_000_000.0))
    }
}

fn trim_float(x: f64) -> String {
    let s = format!("{x:.3}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

fn hex_spaced(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The frame as hex and ASCII, 16 bytes a line, each byte in its layer's colour; without
/// colour, a line of letters under each row says whose byte it is.
pub fn hex_dump(
    out: &mut dyn Write,
    ui: &Ui,
    frame: &[u8],
    layers: &[LayerRecord],
) -> io::Result<()> {
    let lang = ui.lang;
    writeln!(out, "{}", heading(ui, Msg::HexHeading.get(lang)))?;
    // The legend: every protocol with bytes in the frame, in frame order.
    let mut legend = Vec::new();
    for rec in layers
        .iter()
        .filter(|r| r.layer() != OsiLayer::Physical && !r.header.is_empty())
    {
        let lk = look(Some(rec));
        let item = format!(
            "{} {} {}-{}",
            lk.letter,
            protocol_name(rec.protocol, lang),
            rec.header.start,
            rec.header.end - 1
        );
        legend.push(paint(ui, &item, lk.style));
    }
    let owned_end = layers
        .iter()
        .filter(|r| r.layer() != OsiLayer::Physical)
        .map(|r| r.header.end)
        .max()
        .unwrap_or(0);
    if owned_end < frame.len() {
        let lk = look(None);
        let item = format!(
            "{} {} {}-{}",
            lk.letter,
            Msg::PaddingWord.get(lang),
            owned_end,
            frame.len() - 1
        );
        legend.push(paint(ui, &item, lk.style));
    }
    writeln!(out, "{}", legend.join("  "))?;
    let owner = owners(layers, frame.len());
    for (row, chunk) in frame.chunks(16).enumerate() {
        let base = row * 16;
        let mut hex = String::new();
        let mut marks = String::new();
        let mut ascii = String::new();
        for (i, b) in chunk.iter().enumerate() {
            let rec = owner.get(base + i).copied().flatten();
            let lk = look(rec.and_then(|n| layers.get(n)));
            if i == 8 {
                hex.push(' ');
                marks.push(' ');
            }
            hex.push_str(&paint(ui, &format!("{b:02x}"), lk.style));
            hex.push(' ');
            marks.push(lk.letter);
            marks.push_str("  ");
            let c = if b.is_ascii_graphic() || *b == b' ' {
                *b as char
            } else {
                '.'
            };
            ascii.push_str(&paint(ui, &c.to_string(), lk.style));
        }
        let pad = 16 - chunk.len();
        let filler = " ".repeat(pad * 3 + usize::from(chunk.len() <= 8));
        writeln!(out, "{base:04x}  {hex}{filler} {ascii}")?;
        if !ui.color {
            writeln!(out, "      {}", marks.trim_end())?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::encode::bit_pattern;
    use super::*;
    use layers_osi::Span;

    #[test]
    fn bit_patterns_show_the_field_bits_like_wireshark() {
        let frame = [0x45u8, 0x40, 0x00];
        let version = Field {
            name: "version",
            value: FieldValue::Null,
            span: Span::new(0, 1),
            mask: Some(0xf0),
        };
        assert_eq!(bit_pattern(&frame, &version), "0100 ....");
        let df = Field {
            name: "dont_fragment",
            value: FieldValue::Null,
            span: Span::new(1, 2),
            mask: Some(0x40),
        };
        assert_eq!(bit_pattern(&frame, &df), ".1.. ....");
        let offset = Field {
            name: "fragment_offset",
            value: FieldValue::Null,
            span: Span::new(1, 3),
            mask: Some(0x1fff),
        };
        assert_eq!(bit_pattern(&frame, &offset), "...0 0000 0000 0000");
    }

    #[test]
    fn durations_pick_a_readable_unit() {
        assert_eq!(duration_text(576_000), "576 ns");
        assert_eq!(duration_text(57_600), "57.6 ns");
        assert_eq!(duration_text(57_600_000), "57.6 µs");
        assert_eq!(duration_text(1_230_400_000), "1.23 ms");
    }
}
