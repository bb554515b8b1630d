//! `decode --oneline`: one line per frame, as tcpdump prints them.

use std::borrow::Cow;
use std::io::{self, Write};

use layers_application::Gist;
use layers_osi::{FieldSpec, FieldValue, LayerRecord, LinkType, OsiLayer, ProtocolId, StopKind};
use layers_stack::Frame;
use owo_colors::Style;

use super::frame_text::field;
use super::paint;
use super::printer::Printer;
use crate::i18n::Msg;
use crate::Ui;

/// The time of day of `t` (seconds since the epoch), `HH:MM:SS.ffffff` UTC, written into
/// `out`: what `--oneline` shows first on every line.
fn push_time_of_day(out: &mut Vec<u8>, t: f64) {
    let micros = (t * 1e6).round() as i64;
    let secs = micros.div_euclid(1_000_000).rem_euclid(86_400);
    let frac = micros.rem_euclid(1_000_000);
    let two = |out: &mut Vec<u8>, n: i64| {
        out.push(b'0' + (n / 10) as u8);
        out.push(b'0' + (n % 10) as u8);
    };
    two(out, secs / 3600);
    out.push(b':');
    two(out, secs % 3600 / 60);
    out.push(b':');
    two(out, secs % 60);
    out.push(b'.');
    let mut buf = itoa::Buffer::new();
    let digits = buf.format(frac);
    out.extend_from_slice(&b"000000"[digits.len()..]);
    out.extend_from_slice(digits.as_bytes());
}

/// A line being written: text pieces, numbers and field values appended in place, as
/// UTF-8 bytes straight into the output (a `String` checked every character's width); the
/// values come from the full walk's records, or, for the summary walk's, from the frame's
/// bytes `data` under each record's header.
struct Line<'a> {
    text: &'a mut Vec<u8>,
    data: &'a [u8],
}

/// The fields the line reads, from each layer crate's table.
mod specs {
    use layers_osi::{spec, FieldSpec};
    use layers_transport::{TCP_FIELDS, UDP_FIELDS};

    pub const ARP_OPERATION: &FieldSpec = spec!(layers_arp::ARP_FIELDS, "operation");
    pub const ARP_SENDER_MAC: &FieldSpec = spec!(layers_arp::ARP_FIELDS, "sender_mac");
    pub const ARP_SENDER_IP: &FieldSpec = spec!(layers_arp::ARP_FIELDS, "sender_ip");
    pub const ARP_TARGET_IP: &FieldSpec = spec!(layers_arp::ARP_FIELDS, "target_ip");
    pub const IPV4_ENDS: [&FieldSpec; 2] = [
        spec!(layers_ipv4::IPV4_FIELDS, "source"),
        spec!(layers_ipv4::IPV4_FIELDS, "destination"),
    ];
    pub const IPV6_ENDS: [&FieldSpec; 2] = [
        spec!(layers_ipv4::IPV6_FIELDS, "source"),
        spec!(layers_ipv4::IPV6_FIELDS, "destination"),
    ];
    pub const TCP_PORTS: [&FieldSpec; 2] = [
        spec!(TCP_FIELDS, "source_port"),
        spec!(TCP_FIELDS, "destination_port"),
    ];
    pub const UDP_PORTS: [&FieldSpec; 2] = [
        spec!(UDP_FIELDS, "source_port"),
        spec!(UDP_FIELDS, "destination_port"),
    ];
    pub const TCP_FLAGS: &FieldSpec = spec!(TCP_FIELDS, "flags");
    pub const TCP_SEQ: &FieldSpec = spec!(TCP_FIELDS, "sequence");
    pub const TCP_ACK: &FieldSpec = spec!(TCP_FIELDS, "acknowledgment");
    pub const TCP_WINDOW: &FieldSpec = spec!(TCP_FIELDS, "window");
    pub const UDP_LENGTH: &FieldSpec = spec!(UDP_FIELDS, "length");
    pub const ICMP_TYPE: &FieldSpec = spec!(layers_ipv4::ICMP_FIELDS, "type");
    pub const ICMP_CODE: &FieldSpec = spec!(layers_ipv4::ICMP_FIELDS, "code");
}

impl Line<'_> {
    fn str(&mut self, s: &str) -> &mut Self {
        self.text.extend_from_slice(s.as_bytes());
        self
    }

    fn num(&mut self, n: u64) -> &mut Self {
        layers_osi::json::push_u64(self.text, n);
        self
    }

    /// Text found in the frame, escaped as a text field is.
    fn text(&mut self, s: &str) -> &mut Self {
        layers_osi::write_escaped(self.text, s);
        self
    }

    fn value(&mut self, v: &FieldValue) -> &mut Self {
        v.write_text(self.text);
        self
    }

    /// Field `spec` of `rec`, if it has it: the full walk's field, or read from the frame's
    /// bytes under a summary record's header.
    fn get<'r>(
        &self,
        rec: &'r LayerRecord,
        spec: &'static FieldSpec,
    ) -> Option<Cow<'r, FieldValue>> {
        if rec.is_summary() {
            layers_stack::header_field(rec, self.data, spec).map(Cow::Owned)
        } else {
            field(rec, spec.name).map(Cow::Borrowed)
        }
    }

    /// Field `name` of a full walk's record as text (nothing if it is absent): the fields
    /// no table places (a fragment's, the application data's).
    fn named(&mut self, rec: &LayerRecord, name: &str) -> &mut Self {
        if let Some(v) = field(rec, name) {
            v.write_text(self.text);
        }
        self
    }

    /// A value read by [`Line::get`], as text; one read from the frame is let go without
    /// the enum's drop glue (it owns nothing).
    fn shown(&mut self, v: Cow<'_, FieldValue>) -> &mut Self {
        // Ports, lengths and addresses, most of a line, without the general writer's match.
        match &*v {
            FieldValue::Uint(n) => {
                self.num(*n);
            }
            FieldValue::Ipv4(a) => layers_osi::write_ipv4(self.text, *a),
            other => other.write_text(self.text),
        }
        if let Cow::Owned(v) = v {
            v.discard();
        }
        self
    }

    /// Field `spec` of `rec` as text (nothing if it is absent).
    fn field(&mut self, rec: &LayerRecord, spec: &'static FieldSpec) -> &mut Self {
        if let Some(v) = self.get(rec, spec) {
            self.shown(v);
        }
        self
    }

    /// An address (`side` 0: source, 1: destination) and, for a transport layer, its
    /// port: `a.b.c.d:p` or `[v6]:p`.
    fn endpoint(&mut self, ip: &LayerRecord, side: usize, l4: Option<&LayerRecord>) -> &mut Self {
        let v6 = ip.protocol == ProtocolId::Ipv6;
        let ends = if v6 {
            specs::IPV6_ENDS
        } else {
            specs::IPV4_ENDS
        };
        let bracket = v6 && l4.is_some();
        if bracket {
            self.str("[");
        }
        match ends.get(side).and_then(|&s| self.get(ip, s)) {
            Some(v) => self.shown(v),
            // A header cut before the address: say so rather than print nothing.
            None => self.str("?"),
        };
        if let Some(t) = l4 {
            let ports = if t.protocol == ProtocolId::Tcp {
                specs::TCP_PORTS
            } else {
                specs::UDP_PORTS
            };
            self.str(if bracket { "]:" } else { ":" });
            if let Some(&port) = ports.get(side) {
                self.field(t, port);
            }
        }
        self
    }
}

/// One line per frame, tcpdump-like: number, time, addresses, what it is, length; `data`
/// is the frame's bytes.
pub fn oneline(out: &mut dyn Write, ui: &Ui, frame: &Frame, data: &[u8]) -> io::Result<()> {
    let mut text = Vec::with_capacity(LINE_ROOM);
    write_line(&mut text, ui, frame, data);
    out.write_all(&text)
}

/// Room for a line with a whole payload preview in it.
const LINE_ROOM: usize = 384;

/// [`oneline`]'s line, appended to `text`. The frame's records come from the full walk or
/// the summary walk (the line then reads its dozen fields, and the gist of the application
/// data, from the frame's bytes `data`); the line is the same.
fn write_line(text: &mut Vec<u8>, ui: &Ui, frame: &Frame, data: &[u8]) {
    let own = || frame.layers.iter().filter(|l| !l.quoted);
    let find = |id: ProtocolId| own().find(|l| l.protocol == id);
    let mut line = Line { text, data };
    line.num(frame.frame).str(" ");
    match frame.time {
        Some(t) => push_time_of_day(line.text, t),
        None => line.text.push(b'-'),
    }
    line.str(" ");
    let ip = find(ProtocolId::Ipv4).or_else(|| find(ProtocolId::Ipv6));
    let l4 = find(ProtocolId::Tcp).or_else(|| find(ProtocolId::Udp));
    if let Some(arp) = find(ProtocolId::Arp) {
        let op = line.get(arp, specs::ARP_OPERATION);
        match op.as_deref().and_then(FieldValue::as_u64) {
            Some(2) => line
                .str("ARP ")
                .field(arp, specs::ARP_SENDER_IP)
                .str(Msg::OnelineIsAt.get(ui.lang))
                .field(arp, specs::ARP_SENDER_MAC),
            _ => line
                .str(Msg::OnelineWhoHas.get(ui.lang))
                .field(arp, specs::ARP_TARGET_IP)
                .str(Msg::OnelineTell.get(ui.lang))
                .field(arp, specs::ARP_SENDER_IP),
        };
    } else if let Some(ip) = ip {
        line.endpoint(ip, 0, l4).str(" > ").endpoint(ip, 1, l4);
        if let Some(t) = l4 {
            if t.protocol == ProtocolId::Tcp {
                line.str(" TCP");
                if let Some(flags) = line.get(t, specs::TCP_FLAGS) {
                    line.str(" [").shown(flags).str("]");
                }
                // A header cut short shows what it holds.
                for (label, spec) in [
                    (Msg::AbbrSeq, specs::TCP_SEQ),
                    (Msg::AbbrAck, specs::TCP_ACK),
                    (Msg::AbbrWin, specs::TCP_WINDOW),
                ] {
                    if let Some(v) = line.get(t, spec) {
                        line.str(" ").str(label.get(ui.lang)).str("=").shown(v);
                    }
                }
                let payload = if t.is_summary() {
                    t.payload_length.map(|n| Cow::Owned(FieldValue::Uint(n)))
                } else {
                    field(t, "payload_length").map(Cow::Borrowed)
                };
                if let Some(v) = payload {
                    line.str(" ")
                        .str(Msg::AbbrLen.get(ui.lang))
                        .str("=")
                        .shown(v);
                }
            } else {
                let len = line
                    .get(t, specs::UDP_LENGTH)
                    .as_deref()
                    .and_then(FieldValue::as_u64)
                    .unwrap_or(8)
                    .saturating_sub(8);
                line.str(" UDP ")
                    .str(Msg::AbbrLen.get(ui.lang))
                    .str("=")
                    .num(len);
            }
        } else if let Some(icmp) = find(ProtocolId::Icmp).or_else(|| find(ProtocolId::Icmpv6)) {
            let kind = line
                .get(icmp, specs::ICMP_TYPE)
                .as_deref()
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
                .field(icmp, specs::ICMP_TYPE)
                .str("/")
                .field(icmp, specs::ICMP_CODE)
                .str(")");
        } else if let Some(frag) = find(ProtocolId::IpFragment) {
            // Its fields come from the IP header before it: the summary walk hands such a
            // frame to the full walk (`Oneline::needs_full`).
            line.str(Msg::OnelineFragment.get(ui.lang))
                .named(frag, "fragment_offset")
                .str(" ")
                .str(Msg::AbbrLen.get(ui.lang))
                .str("=")
                .named(frag, "length");
        }
        if let Some(app) = own()
            .next_back()
            .filter(|l| l.layer() == OsiLayer::Application)
        {
            line.str(" · ");
            if app.is_summary() {
                let over_tcp = l4.is_some_and(|t| t.protocol == ProtocolId::Tcp);
                let bytes = data.get(app.span.start..app.span.end).unwrap_or_default();
                let gist = layers_application::gist(app.protocol, bytes, over_tcp);
                gist_summary(&mut line, app.protocol, &gist, ui.lang);
            } else {
                app_summary(&mut line, app, ui.lang);
            }
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

/// What the line shows of the application data of a summary walk: `gist` says what
/// [`app_summary`] reads from a full walk's record (the tests hold them to one line).
fn gist_summary(line: &mut Line, protocol: ProtocolId, gist: &Gist, lang: layers_osi::Lang) {
    line.str(protocol.name()).str(" ");
    match gist {
        Gist::Request { method, uri } => {
            line.text(method).str(" ").text(uri);
        }
        Gist::Response { status, reason } => {
            line.num(u64::from(*status)).str(" ").text(reason);
        }
        Gist::Dns(msg) => {
            let kind = if msg.is_response() {
                Msg::OnelineDnsResponse
            } else {
                Msg::OnelineDnsQuery
            };
            line.str(kind.get(lang))
                .str(Msg::OnelineDnsId.get(lang))
                .num(u64::from(msg.id));
            if let Some(q) = msg.questions.first() {
                line.str(" ")
                    .text(&q.name)
                    .str(" ")
                    .text(&layers_application::dns::type_name(q.qtype));
            }
            for (i, a) in msg.answers.iter().enumerate() {
                line.str(if i == 0 { " -> " } else { "," }).text(&a.data);
            }
        }
        Gist::Text(text) => {
            line.str("\"").text(text).str("\"");
        }
    }
}

fn app_summary(line: &mut Line, app: &LayerRecord, lang: layers_osi::Lang) {
    line.str(app.protocol.name()).str(" ");
    if field(app, "method").is_some() {
        line.named(app, "method").str(" ").named(app, "uri");
        return;
    }
    if field(app, "status").is_some() {
        line.named(app, "status").str(" ").named(app, "reason");
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
            .named(app, "id");
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
    line.str("\"").named(app, "text").str("\"");
}

/// `--oneline`, its line written straight into the output, from the summary walk.
pub struct Oneline {
    ui: Ui,
}

impl Oneline {
    /// The printer.
    pub fn new(ui: Ui) -> Oneline {
        Oneline { ui }
    }
}

impl Printer for Oneline {
    fn bytes_per_byte(&self) -> usize {
        1
    }

    /// The line reads a dozen fields: from the frame's bytes, not from thirty fields built
    /// with their spans, previews and option lists.
    fn full(&self) -> bool {
        false
    }

    /// A fragment's offset and length come from the IP header before it, which the
    /// summary walk does not keep: such a frame is walked in full.
    fn needs_full(&self, summary: &[LayerRecord]) -> bool {
        summary.iter().any(|l| l.protocol == ProtocolId::IpFragment)
    }

    fn frame(&mut self, out: &mut Vec<u8>, f: &Frame, data: &[u8], _: LinkType) -> io::Result<()> {
        write_line(out, &self.ui, f, data);
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use layers_capture::{open, FrameInfo};
    use layers_osi::Lang;

    use crate::decode::{View, Worker};
    use crate::Ui;

    /// The lines of one frame from the summary walk and from the full walk, in a language.
    fn both_lines(info: &FrameInfo, data: &[u8], lang: Lang) -> (String, String) {
        let ui = Ui {
            lang,
            color: false,
            width: None,
        };
        let mut lines = [Vec::new(), Vec::new()];
        let workers = [
            Worker::new(ui, View::Oneline),
            Worker::new(ui, View::Oneline).keeping_fields(),
        ];
        for (mut w, out) in workers.into_iter().zip(&mut lines) {
            w.frame(info, data, out).unwrap();
        }
        let [summary, full] = lines.map(|l| String::from_utf8(l).unwrap());
        (summary, full)
    }

    /// `--oneline` reads its fields on demand after the summary walk (and walks a fragment
    /// in full): its line is the full walk's, on every frame of every fixture capture, every
    /// cut of it (as a snap length cuts) and every byte flipped two ways, in both languages.
    #[test]
    fn the_summary_walks_line_is_the_full_walks() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        let mut paths: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| {
                matches!(
                    p.extension().and_then(|e| e.to_str()),
                    Some("pcap" | "pcapng")
                )
            })
            .collect();
        paths.sort();
        let (mut lines, mut fragments) = (0, 0);
        for path in paths {
            let Ok(mut frames) = open(std::fs::File::open(&path).unwrap(), None) else {
                continue;
            };
            let mut data = Vec::new();
            while let Some(Ok(info)) = frames.next_into(&mut data) {
                let at = format!("{} frame {}", path.display(), info.number);
                let mut check = |what: &str, info: &FrameInfo, bytes: &[u8]| {
                    for lang in [Lang::En, Lang::Zh] {
                        let (summary, full) = both_lines(info, bytes, lang);
                        assert_eq!(summary, full, "{at} {what}");
                        lines += 1;
                        fragments += usize::from(full.contains(" fragment offset="));
                    }
                };
                check("whole", &info, &data);
                for cut in 0..data.len() {
                    let cut_info = FrameInfo {
                        original_length: info.original_length.max(data.len()),
                        ..info
                    };
                    check(&format!("cut at {cut}"), &cut_info, &data[..cut]);
                }
                for i in 0..data.len() {
                    for xor in [0x01, 0xff] {
                        let mut flipped = data.clone();
                        flipped[i] ^= xor;
                        check(&format!("byte {i} ^ {xor:#04x}"), &info, &flipped);
                    }
                }
                data.clear();
            }
        }
        assert!(lines > 50_000, "{lines} lines compared");
        assert!(fragments > 0, "no fragment among the fixtures' frames");
    }
}
