//! `decode --oneline`: one line per frame, as tcpdump prints them.

use super::printer::Printer;
use layers_osi::LinkType;
use std::io::{self, Write};

use layers_osi::{FieldValue, LayerRecord, OsiLayer, ProtocolId, StopKind};
use layers_stack::Frame;
use owo_colors::Style;

use super::frame_text::field;
use super::paint;
use crate::i18n::Msg;
use crate::Ui;

/// The time of day of `t` (seconds since the epoch), `HH:MM:SS.ffffff` UTC, written into
/// `out`: what `--oneline` shows first on every line.
fn push_time_of_day(out: &mut String, t: f64) {
    let micros = (t * 1e6).round() as i64;
    let secs = micros.div_euclid(1_000_000).rem_euclid(86_400);
    let frac = micros.rem_euclid(1_000_000);
    let two = |out: &mut String, n: i64| {
        out.push(char::from(b'0' + (n / 10) as u8));
        out.push(char::from(b'0' + (n % 10) as u8));
    };
    two(out, secs / 3600);
    out.push(':');
    two(out, secs % 3600 / 60);
    out.push(':');
    two(out, secs % 60);
    out.push('.');
    let mut buf = itoa::Buffer::new();
    let digits = buf.format(frac);
    out.push_str(&"000000"[digits.len()..]);
    out.push_str(digits);
}

/// A line being written: text pieces, numbers and field values appended in place.
struct Line<'a>(&'a mut String);

impl Line<'_> {
    fn str(&mut self, s: &str) -> &mut Self {
        self.0.push_str(s);
        self
    }

    fn num(&mut self, n: u64) -> &mut Self {
        self.0.push_str(itoa::Buffer::new().format(n));
        self
    }

    fn value(&mut self, v: &FieldValue) -> &mut Self {
        v.write_text(self.0);
        self
    }

    /// Field `name` of `rec` as text (nothing if it is absent).
    fn field(&mut self, rec: &LayerRecord, name: &str) -> &mut Self {
        if let Some(v) = field(rec, name) {
            v.write_text(self.0);
        }
        self
    }

    /// An address and, for a transport layer, its port: `a.b.c.d:p` or `[v6]:p`.
    fn endpoint(&mut self, ip: &LayerRecord, side: &str, l4: Option<&LayerRecord>) -> &mut Self {
        let port = l4.map(|_| {
            if side == "source" {
                "source_port"
            } else {
                "destination_port"
            }
        });
        let v6 = ip.protocol == ProtocolId::Ipv6 && port.is_some();
        if v6 {
            self.str("[");
        }
        match field(ip, side) {
            Some(v) => self.value(v),
            // A header cut before the address: say so rather than print nothing.
            None => self.str("?"),
        };
        if let (Some(t), Some(port)) = (l4, port) {
            self.str(if v6 { "]:" } else { ":" }).field(t, port);
        }
        self
    }
}

/// One line per frame, tcpdump-like: number, time, addresses, what it is, length.
pub fn oneline(out: &mut dyn Write, ui: &Ui, frame: &Frame) -> io::Result<()> {
    let mut text = String::with_capacity(LINE_ROOM);
    write_line(&mut text, ui, frame);
    out.write_all(text.as_bytes())
}

/// Room for a line with a whole payload preview in it.
const LINE_ROOM: usize = 384;

/// [`oneline`]'s line, appended to `text`.
fn write_line(text: &mut String, ui: &Ui, frame: &Frame) {
    let own = || frame.layers.iter().filter(|l| !l.quoted);
    let find = |id: ProtocolId| own().find(|l| l.protocol == id);
    let mut line = Line(text);
    line.num(frame.frame).str(" ");
    match frame.time {
        Some(t) => push_time_of_day(line.0, t),
        None => line.0.push('-'),
    }
    line.str(" ");
    let ip = find(ProtocolId::Ipv4).or_else(|| find(ProtocolId::Ipv6));
    let l4 = find(ProtocolId::Tcp).or_else(|| find(ProtocolId::Udp));
    if let Some(arp) = find(ProtocolId::Arp) {
        match field(arp, "operation").and_then(FieldValue::as_u64) {
            Some(2) => line
                .str("ARP ")
                .field(arp, "sender_ip")
                .str(Msg::OnelineIsAt.get(ui.lang))
                .field(arp, "sender_mac"),
            _ => line
                .str(Msg::OnelineWhoHas.get(ui.lang))
                .field(arp, "target_ip")
                .str(Msg::OnelineTell.get(ui.lang))
                .field(arp, "sender_ip"),
        };
    } else if let Some(ip) = ip {
        line.endpoint(ip, "source", l4)
            .str(" > ")
            .endpoint(ip, "destination", l4);
        if let Some(t) = l4 {
            if t.protocol == ProtocolId::Tcp {
                line.str(" TCP");
                if field(t, "flags").is_some() {
                    line.str(" [").field(t, "flags").str("]");
                }
                // A header cut short shows what it holds.
                for (label, name) in [
                    (Msg::AbbrSeq, "sequence"),
                    (Msg::AbbrAck, "acknowledgment"),
                    (Msg::AbbrWin, "window"),
                    (Msg::AbbrLen, "payload_length"),
                ] {
                    if field(t, name).is_some() {
                        line.str(" ")
                            .str(label.get(ui.lang))
                            .str("=")
                            .field(t, name);
                    }
                }
            } else {
                let len = field(t, "length")
                    .and_then(FieldValue::as_u64)
                    .unwrap_or(8)
                    .saturating_sub(8);
                line.str(" UDP ")
                    .str(Msg::AbbrLen.get(ui.lang))
                    .str("=")
                    .num(len);
            }
        } else if let Some(icmp) = find(ProtocolId::Icmp).or_else(|| find(ProtocolId::Icmpv6)) {
            let kind = field(icmp, "type")
                .and_then(FieldValue::as_u64)
                .unwrap_or(255) as u8;
            let name = match icmp.protocol {
                ProtocolId::Icmp => layers_ipv4::icmp_type_name(kind),
                _ => layers_ipv4::icmpv6_type_name(kind),
            }
            .get(ui.lang);
            line.str(" ")
                .str(icmp.protocol.name())
                .str(" ")
                .str(name)
                .str(" (")
                .field(icmp, "type")
                .str("/")
                .field(icmp, "code")
                .str(")");
        } else if let Some(frag) = find(ProtocolId::IpFragment) {
            line.str(Msg::OnelineFragment.get(ui.lang))
                .field(frag, "fragment_offset")
                .str(" ")
                .str(Msg::AbbrLen.get(ui.lang))
                .str("=")
                .field(frag, "length");
        }
        if let Some(app) = own()
            .next_back()
            .filter(|l| l.layer() == OsiLayer::Application)
        {
            line.str(" · ");
            app_summary(&mut line, app, ui.lang);
        }
    } else if let Some(top) = own().next_back() {
        line.str(top.protocol.name());
    }
    line.str(" (").num(frame.captured_length as u64).str(" B)");
    // Checksum offload is how the sending host captures its own traffic, not a fault.
    let shown = frame
        .errors
        .iter()
        .find(|e| !matches!(e.kind, StopKind::BadChecksum { offload: true, .. }));
    if let Some(e) = shown {
        let note = format!(
            " [{}: {}]",
            e.protocol_name(),
            crate::said::stop(e, ui.lang)
        );
        line.str(&paint(ui, &note, Style::new().red()));
    }
    line.str("\n");
}

fn app_summary(line: &mut Line, app: &LayerRecord, lang: layers_osi::Lang) {
    line.str(app.protocol.name()).str(" ");
    if field(app, "method").is_some() {
        line.field(app, "method").str(" ").field(app, "uri");
        return;
    }
    if field(app, "status").is_some() {
        line.field(app, "status").str(" ").field(app, "reason");
        return;
    }
    if let Some(FieldValue::List(qs)) = field(app, "questions") {
        let kind = if field(app, "response") == Some(&FieldValue::Bool(true)) {
            Msg::OnelineDnsResponse.get(lang)
        } else {
            Msg::OnelineDnsQuery.get(lang)
        };
        line.str(kind)
            .str(Msg::OnelineDnsId.get(lang))
            .field(app, "id");
        if let Some(q) = qs.first() {
            for key in ["name", "type"] {
                line.str(" ");
                if let Some(v) = q.get(key) {
                    line.value(v);
                }
            }
        }
        if let Some(FieldValue::List(answers)) = field(app, "answers") {
            for (i, a) in answers.iter().enumerate() {
                line.str(if i == 0 { " -> " } else { "," });
                if let Some(v) = a.get("data") {
                    line.value(v);
                }
            }
        }
        return;
    }
    line.str("\"").field(app, "text").str("\"");
}

/// `--oneline`, its line built in a buffer kept from frame to frame.
pub struct Oneline(pub Ui, pub String);

impl Oneline {
    /// The printer, its buffer with room for a long line.
    pub fn new(ui: Ui) -> Oneline {
        Oneline(ui, String::with_capacity(LINE_ROOM))
    }
}

impl Printer for Oneline {
    fn bytes_per_byte(&self) -> usize {
        1
    }

    fn frame(&mut self, out: &mut Vec<u8>, f: &Frame, _: &[u8], _: LinkType) -> io::Result<()> {
        self.1.clear();
        write_line(&mut self.1, &self.0, f);
        out.extend_from_slice(self.1.as_bytes());
        Ok(())
    }
}
