//! The default decode view: each layer bottom-up with its place in the model and fields.

use super::printer::Printer;
use std::io::{self, Write};

use layers_capture::LinkType;
use layers_osi::{Field, FieldValue, Lang, ProtocolId};
use layers_stack::Frame;
use owo_colors::Style;
use unicode_width::UnicodeWidthStr;

use super::frame_text::{errors, field_value_in, utc};
use super::{devices_text, paint};
use crate::i18n::Msg;
use crate::Ui;

/// What a field's number means, as Wireshark says it beside the number: the EtherType's
/// protocol, ARP's operation, the IP protocol, the ICMP type, a port's service, a MAC's kind.
fn meaning(protocol: ProtocolId, f: &Field, lang: Lang) -> Option<&'static str> {
    use ProtocolId as P;
    let n = match &f.value {
        FieldValue::Uint(n) => Some(*n),
        FieldValue::Hex { value, .. } => Some(*value),
        _ => None,
    };
    let name = |s: Option<&'static str>| s;
    match (protocol, f.name, n) {
        (
            P::Ethernet2 | P::Vlan | P::Llc | P::LinuxSll | P::LinuxSll2,
            "ethertype" | "protocol",
            Some(v),
        ) => name(layers_ethernet::ethertype_name(v as u16)),
        (P::Arp, "protocol_type", Some(v)) => name(layers_ethernet::ethertype_name(v as u16)),
        (P::Arp, "hardware_type", Some(1)) => Some("Ethernet"),
        (P::Arp, "operation", Some(v)) => Some(layers_arp::operation_name(v as u16).get(lang)),
        (P::Ipv4, "protocol", Some(v)) | (P::Ipv6, "next_header", Some(v)) => {
            name(layers_ipv4::ip_protocol_name(v as u8))
        }
        (P::Icmp, "type", Some(v)) => Some(layers_ipv4::icmp_type_name(v as u8).get(lang)),
        (P::Icmpv6, "type", Some(v)) => Some(layers_ipv4::icmpv6_type_name(v as u8).get(lang)),
        (P::Tcp | P::Udp, "source_port" | "destination_port", Some(v)) => {
            layers_transport::service_name(v as u16, protocol == P::Tcp)
        }
        (P::Ethernet2, "source" | "destination", _) => match &f.value {
            FieldValue::Mac(m) => Some(layers_ethernet::Mac(*m).kind().get(lang)),
            _ => None,
        },
        _ => None,
    }
}

/// The default view: each layer bottom-up with its place in the model and its fields.
pub fn tree(out: &mut dyn Write, ui: &Ui, frame: &Frame, link: LinkType) -> io::Result<()> {
    let lang = ui.lang;
    let time = frame
        .time
        .map(|t| format!("{} UTC", utc(t)))
        .unwrap_or_else(|| "-".into());
    let head = Msg::FrameHeader.fill(
        lang,
        &[
            &frame.frame,
            &frame.original_length,
            &frame.captured_length,
            &time,
            &link.name(),
            &link.number(),
        ],
    );
    writeln!(out, "{}", paint(ui, &head, Style::new().bold()))?;
    let mut buf = String::with_capacity(128);
    for rec in &frame.layers {
        let layer = rec.layer();
        let quoted = if rec.quoted {
            Msg::QuotedMark.get(lang)
        } else {
            ""
        };
        let bytes = if rec.span.is_empty() {
            "-".to_string()
        } else {
            format!("{}-{}", rec.span.start, rec.span.end - 1)
        };
        // "IP fragment", not "IP fragment fragment": a name that ends with its PDU says it.
        let name = super::protocol_name(rec.protocol, lang);
        let pdu = rec.protocol.pdu().get(lang);
        let pdu = if name.ends_with(pdu) {
            String::new()
        } else {
            format!(" {}", rec.protocol.pdu().get(lang))
        };
        let line = Msg::LayerLine.fill(
            lang,
            &[
                &layer.number(),
                &layer.name().get(lang),
                &name,
                &pdu,
                &devices_text(layer, lang),
                &bytes,
                &quoted,
            ],
        );
        writeln!(out, "  {}", paint(ui, &line, Style::new().cyan()))?;
        let label = |f: &Field| match lang {
            Lang::En => f.name,
            Lang::Zh => super::field_name(rec.protocol, f.name, lang),
        };
        let width = rec
            .fields
            .iter()
            .map(|f| label(f).width())
            .max()
            .unwrap_or(0);
        // Each field's line is built in one reused buffer and written whole.
        for f in &rec.fields {
            buf.clear();
            let name = label(f);
            buf.push_str("      ");
            buf.push_str(name);
            buf.extend(std::iter::repeat_n(' ', width.saturating_sub(name.width())));
            buf.push_str("  ");
            push_field_text(&mut buf, rec.protocol, f, lang);
            buf.push('\n');
            out.write_all(buf.as_bytes())?;
        }
    }
    errors(out, ui, frame)?;
    writeln!(out)
}

/// A field's value as the tree shows it, with what its number means, into `buf`: yes/no
/// and the names inside lists in Chinese when `lang` is Chinese.
pub(super) fn push_field_text(buf: &mut String, protocol: ProtocolId, f: &Field, lang: Lang) {
    match (&f.value, lang) {
        (FieldValue::Bool(b), Lang::Zh) => buf.push_str(if *b { "是" } else { "否" }),
        (v @ (FieldValue::List(_) | FieldValue::Object(_) | FieldValue::Map(_)), _) => {
            let text = match lang {
                Lang::En => field_value_in(v, &|k| k),
                Lang::Zh => {
                    field_value_in(v, &|k| layers_osi::zh_field_name(protocol, k).unwrap_or(k))
                }
            };
            buf.push_str(&text);
        }
        (v, _) => v.write_text(buf),
    }
    match meaning(protocol, f, lang) {
        Some(m) if lang == Lang::Zh => {
            buf.push('(');
            buf.push_str(m);
            buf.push(')');
        }
        Some(m) => {
            buf.push_str(" (");
            buf.push_str(m);
            buf.push(')');
        }
        None => {}
    }
}

/// The layer tree (the default view).
pub struct Tree(pub Ui);

impl Printer for Tree {
    fn frame(&mut self, out: &mut Vec<u8>, f: &Frame, _: &[u8], link: LinkType) -> io::Result<()> {
        tree(out, &self.0, f, link)
    }
}
