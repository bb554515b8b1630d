//! Rendering dissected frames: the layer tree, one line per frame, the hex view, the RFC
//! diagrams and the statistics.

use std::io::{self, Write};

use layers_capture::LinkType;
use layers_osi::{FieldValue, LayerRecord, OsiLayer, ProtocolId, StopKind};
use layers_stack::{field_table, Dissection, Frame, ProblemKind, Stats};
use owo_colors::Style;

use crate::i18n::Msg;
use crate::render::{devices_text, hex_dump, value_text};
use crate::Ui;

fn paint(ui: &Ui, text: &str, style: Style) -> String {
    if ui.color {
        use owo_colors::OwoColorize;
        text.style(style).to_string()
    } else {
        text.to_string()
    }
}

/// Seconds since the epoch as `YYYY-MM-DD HH:MM:SS.ffffff` (UTC).
pub fn utc(t: f64) -> String {
    let micros = (t * 1e6).round() as i64;
    let secs = micros.div_euclid(1_000_000);
    let frac = micros.rem_euclid(1_000_000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Days to a civil date (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02}.{frac:06}",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

fn dissection(frame: &Frame) -> Dissection {
    Dissection {
        layers: frame.layers.clone(),
        errors: frame.errors.clone(),
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
        let line = Msg::LayerLine.fill(
            lang,
            &[
                &layer.number(),
                &layer.name().get(lang),
                &rec.protocol.name(),
                &rec.protocol.pdu().get(lang),
                &devices_text(layer, lang),
                &bytes,
                &quoted,
            ],
        );
        writeln!(out, "  {}", paint(ui, &line, Style::new().cyan()))?;
        let width = rec.fields.iter().map(|f| f.name.len()).max().unwrap_or(0);
        for f in &rec.fields {
            writeln!(out, "      {:<width$}  {}", f.name, field_value(&f.value))?;
        }
    }
    errors(out, ui, frame)?;
    writeln!(out)
}

fn field_value(v: &FieldValue) -> String {
    match v {
        FieldValue::List(items) if items.iter().any(FieldValue::is_object) => {
            items.iter().map(compact).collect::<Vec<_>>().join(", ")
        }
        FieldValue::Object(_) | FieldValue::Map(_) => compact(v),
        other => value_text(other),
    }
}

fn compact(v: &FieldValue) -> String {
    let members: Vec<(&str, &FieldValue)> = match v {
        FieldValue::Object(m) => m.iter().map(|(k, v)| (*k, v)).collect(),
        FieldValue::Map(m) => m.iter().map(|(k, v)| (k.as_str(), v)).collect(),
        other => return value_text(other),
    };
    let parts: Vec<String> = members
        .iter()
        .map(|(k, v)| format!("{k}={}", value_text(v)))
        .collect();
    format!("{{{}}}", parts.join(" "))
}

fn errors(out: &mut dyn Write, ui: &Ui, frame: &Frame) -> io::Result<()> {
    for e in &frame.errors {
        let line = Msg::StopLine.fill(
            ui.lang,
            &[
                &e.protocol_name(),
                &e.layer.number(),
                &e.offset,
                &e.message(ui.lang),
            ],
        );
        writeln!(out, "  ! {}", paint(ui, &line, Style::new().red()))?;
    }
    Ok(())
}

fn field<'a>(rec: &'a LayerRecord, name: &str) -> Option<&'a FieldValue> {
    rec.field(name).map(|f| &f.value)
}

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
struct Line(String);

impl Line {
    fn str(&mut self, s: &str) -> &mut Line {
        self.0.push_str(s);
        self
    }

    fn num(&mut self, n: u64) -> &mut Line {
        self.0.push_str(itoa::Buffer::new().format(n));
        self
    }

    fn value(&mut self, v: &FieldValue) -> &mut Line {
        v.write_text(&mut self.0);
        self
    }

    /// Field `name` of `rec` as text (nothing if it is absent).
    fn field(&mut self, rec: &LayerRecord, name: &str) -> &mut Line {
        if let Some(v) = field(rec, name) {
            v.write_text(&mut self.0);
        }
        self
    }

    /// An address and, for a transport layer, its port: `a.b.c.d:p` or `[v6]:p`.
    fn endpoint(&mut self, ip: &LayerRecord, side: &str, l4: Option<&LayerRecord>) -> &mut Line {
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
    let own = || frame.layers.iter().filter(|l| !l.quoted);
    let find = |id: ProtocolId| own().find(|l| l.protocol == id);
    let mut line = Line(String::with_capacity(160));
    line.num(frame.frame).str(" ");
    match frame.time {
        Some(t) => push_time_of_day(&mut line.0, t),
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
                .str(" is at ")
                .field(arp, "sender_mac"),
            _ => line
                .str("ARP who has ")
                .field(arp, "target_ip")
                .str("? tell ")
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
                    (" seq=", "sequence"),
                    (" ack=", "acknowledgment"),
                    (" win=", "window"),
                    (" len=", "payload_length"),
                ] {
                    if field(t, name).is_some() {
                        line.str(label).field(t, name);
                    }
                }
            } else {
                let len = field(t, "length")
                    .and_then(FieldValue::as_u64)
                    .unwrap_or(8)
                    .saturating_sub(8);
                line.str(" UDP len=").num(len);
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
            line.str(" fragment offset=")
                .field(frag, "fragment_offset")
                .str(" len=")
                .field(frag, "length");
        }
        if let Some(app) = own()
            .next_back()
            .filter(|l| l.layer() == OsiLayer::Application)
        {
            line.str(" · ");
            app_summary(&mut line, app);
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
        let note = format!(" [{}: {}]", e.protocol_name(), e.message(ui.lang));
        line.str(&paint(ui, &note, Style::new().red()));
    }
    line.str("\n");
    out.write_all(line.0.as_bytes())
}

fn app_summary(line: &mut Line, app: &LayerRecord) {
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
            "response"
        } else {
            "query"
        };
        line.str(kind).str(" id=").field(app, "id");
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

/// The hex view: the frame's bytes coloured, or lettered, by layer.
pub fn hex(out: &mut dyn Write, ui: &Ui, frame: &Frame, data: &[u8]) -> io::Result<()> {
    let head = Msg::FrameShort.fill(ui.lang, &[&frame.frame, &frame.captured_length]);
    writeln!(out, "{}", paint(ui, &head, Style::new().bold()))?;
    hex_dump(out, ui, data, &dissection(frame))?;
    errors(out, ui, frame)?;
    writeln!(out)
}

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
                Some((s, e, f.name, value))
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

/// The words for a kind of problem in the statistics.
fn problem_text(kind: ProblemKind) -> String {
    match kind {
        ProblemKind::ChecksumOffload => "bad checksum (offload)".to_string(),
        ProblemKind::BadChecksum => "bad checksum".to_string(),
        ProblemKind::BadFcs => "bad FCS".to_string(),
        ProblemKind::Truncated => "truncated".to_string(),
        ProblemKind::Invalid(field) => format!("invalid {field}"),
        ProblemKind::SnapLength => "cut by the snap length".to_string(),
        ProblemKind::Unsupported(what) => format!("not dissected: {what}"),
        ProblemKind::SegmentationOffload => "segmentation offload".to_string(),
    }
}

/// Prints the statistics.
pub fn stats(out: &mut dyn Write, ui: &Ui, s: &Stats) -> io::Result<()> {
    let lang = ui.lang;
    writeln!(
        out,
        "{}",
        paint(
            ui,
            &Msg::StatsHeading.fill(lang, &[&s.total.frames, &s.total.bytes]),
            Style::new().bold()
        )
    )?;
    writeln!(
        out,
        "{:<40} {:>8} {:>10}",
        Msg::ColProtocol.get(lang),
        Msg::FramesWord.get(lang),
        Msg::BytesWord.get(lang)
    )?;
    for (path, count) in s.hierarchy() {
        let name = format!(
            "{}{}",
            "  ".repeat(path.len() - 1),
            path.last().map_or("", |p| p.name())
        );
        writeln!(out, "{name:<40} {:>8} {:>10}", count.frames, count.bytes)?;
    }
    writeln!(out)?;
    writeln!(
        out,
        "{}",
        Msg::StatsProblems.fill(lang, &[&s.malformed, &s.bad_checksums, &s.offload])
    )?;
    let mut problems: Vec<(String, u64)> = s
        .problems()
        .into_iter()
        .map(|(p, kind, n)| {
            let protocol = p.map_or("link layer", ProtocolId::name);
            (format!("{protocol} {}", problem_text(kind)), n)
        })
        .collect();
    problems.sort();
    for (kind, n) in problems {
        writeln!(out, "  {n:>6}  {kind}")?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_print_as_utc() {
        assert_eq!(utc(0.0), "1970-01-01 00:00:00.000000");
        assert_eq!(utc(1_732_500_000.123456), "2024-11-25 02:00:00.123456");
        assert_eq!(utc(951_782_400.5), "2000-02-29 00:00:00.500000");
    }

    #[test]
    fn bit_ranges_of_masked_fields() {
        assert_eq!(bit_range(0, 1, Some(0xf0)), (0, 4));
        assert_eq!(bit_range(0, 1, Some(0x0f)), (4, 8));
        assert_eq!(bit_range(6, 2, Some(0x1fff)), (51, 64));
        assert_eq!(bit_range(12, 4, None), (96, 128));
    }
}
