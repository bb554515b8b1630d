//! `--html FILE`: the classroom page, one self-contained HTML file (its style, script and
//! data inline; no network, no font or script from elsewhere) that shows a frame, or a
//! capture's frames, as the terminal views do: the bytes coloured and lettered by layer,
//! the layers as nested boxes, the field tree and the RFC header diagrams, all tied to the
//! same byte spans. The page draws itself from data written here: one JSON object per
//! frame, one per line, and the page's own words in both languages.
//!
//! The data is written as the frames come (a printer like the other views'), so a page of
//! many frames is written in constant memory; `<` is escaped in it, so no text from a
//! packet can close the script element that holds it.

use std::io::{self, Write};
use std::path::Path;

use layers_osi::{Lang, LayerRecord, LinkType, OsiLayer, ProtocolId, StopKind};
use layers_stack::Frame;
use serde_json::{json, Map, Value};

use super::diagram::cells;
use super::frame_text::utc;
use super::printer::Printer;
use super::tree::push_field_text;
use super::{devices_text, field_name, look_of, protocol_name};
use crate::i18n::Msg;
use crate::{CliError, Ui};

/// The most frames a capture page holds: beyond it a page gets slow to open and large to
/// carry, so the rest are left out (and the page says how many).
pub const MAX_FRAMES: u64 = 10_000;

const TEMPLATE: &str = include_str!("html/page.html");
const STYLE: &str = include_str!("html/page.css");
const SCRIPT: &str = include_str!("html/page.js");

/// The page's words, by the key its script asks for.
const WORDS: &[(&str, Msg)] = &[
    ("frame_title", Msg::HtmlFrameTitle),
    ("sec_steps", Msg::HtmlSteps),
    ("sec_layers", Msg::HtmlLayers),
    ("sec_bytes", Msg::HtmlBytes),
    ("sec_fields", Msg::HtmlFields),
    ("sec_diagrams", Msg::HtmlDiagrams),
    ("sec_errors", Msg::HtmlErrors),
    ("sec_list", Msg::HtmlList),
    ("layer_line", Msg::HtmlLayerLine),
    ("bytes_range", Msg::HtmlBytesRange),
    ("devices", Msg::HtmlDevices),
    ("no_devices", Msg::HtmlNoDevices),
    ("header_size", Msg::HtmlHeaderSize),
    ("header_part", Msg::HtmlHeaderPart),
    ("data_part", Msg::HtmlDataPart),
    ("preamble", Msg::HtmlPreamble),
    ("sfd", Msg::HtmlSfd),
    ("gap", Msg::HtmlGap),
    ("padding", Msg::HtmlPadding),
    ("fcs", Msg::HtmlFcs),
    ("fcs_computed", Msg::HtmlFcsComputed),
    ("not_a_header", Msg::HtmlNotAHeader),
    ("not_captured", Msg::HtmlNotCaptured),
    ("quoted", Msg::HtmlQuoted),
    ("step_prev", Msg::HtmlStepPrev),
    ("step_next", Msg::HtmlStepNext),
    ("step_all", Msg::HtmlStepAll),
    ("step_whole", Msg::HtmlStepWhole),
    ("step_of", Msg::HtmlStepOf),
    ("step_first", Msg::HtmlStepFirst),
    ("step_add", Msg::HtmlStepAdd),
    ("step_bits", Msg::HtmlStepBits),
    ("filter_label", Msg::HtmlFilterLabel),
    ("filter_hint", Msg::HtmlFilterHint),
    ("shown_count", Msg::HtmlShownCount),
    ("left_out", Msg::HtmlLeftOut),
    ("no_frames", Msg::HtmlNoFrames),
    ("hint", Msg::HtmlHint),
    ("col_no", Msg::HtmlColNo),
    ("col_time", Msg::HtmlColTime),
    ("col_src", Msg::HtmlColSrc),
    ("col_dst", Msg::HtmlColDst),
    ("col_proto", Msg::HtmlColProto),
    ("col_info", Msg::HtmlColInfo),
    ("col_link", Msg::HtmlColLink),
    ("sec_journey", Msg::HtmlJourney),
    ("sec_path", Msg::HtmlPath),
    ("sec_hops", Msg::HtmlSteps2),
    ("read_by", Msg::HtmlReadBy),
    ("changed", Msg::HtmlChanged),
    ("was", Msg::HtmlWas),
    ("unchanged", Msg::HtmlUnchanged),
    ("sec_ladder", Msg::HtmlLadder),
    ("lost", Msg::HtmlLost),
    ("retx", Msg::HtmlRetx),
    ("msl", Msg::HtmlMsl),
    ("col_ms", Msg::HtmlColMs),
    ("col_segment", Msg::HtmlColSegment),
];

/// A text in both languages, or one string where they are the same.
pub fn both(f: impl Fn(Lang) -> String) -> Value {
    let (en, zh) = (f(Lang::En), f(Lang::Zh));
    if en == zh {
        Value::String(en)
    } else {
        json!({ "en": en, "zh": zh })
    }
}

/// Writes `v` as one line of JSON that cannot end the script element holding it.
fn push_json(out: &mut Vec<u8>, v: &Value) {
    let text = v.to_string();
    for (i, part) in text.split('<').enumerate() {
        if i > 0 {
            out.extend_from_slice(b"\\u003c");
        }
        out.extend_from_slice(part.as_bytes());
    }
}

/// Where a frame comes from and goes to, for the packet list: the IP addresses, ARP's
/// protocol addresses, or the link's, and its top protocol.
fn ends(frame: &Frame) -> (String, String, String) {
    let own = || frame.layers.iter().filter(|l| !l.quoted);
    let find = |ids: &[ProtocolId]| own().find(|l| ids.contains(&l.protocol));
    let text = |rec: &LayerRecord, name: &str| rec.field(name).map(|f| f.value.text());
    let pair = |rec: &LayerRecord, a: &str, b: &str| {
        (
            text(rec, a).unwrap_or_default(),
            text(rec, b).unwrap_or_default(),
        )
    };
    let (src, dst) = if let Some(ip) = find(&[ProtocolId::Ipv4, ProtocolId::Ipv6]) {
        pair(ip, "source", "destination")
    } else if let Some(arp) = find(&[ProtocolId::Arp]) {
        pair(arp, "sender_ip", "target_ip")
    } else if let Some(eth) = find(&[ProtocolId::Ethernet2, ProtocolId::Ieee8023]) {
        pair(eth, "source", "destination")
    } else {
        Default::default()
    };
    let top = own()
        .rfind(|l| l.layer() != OsiLayer::Physical)
        .map_or_else(String::new, |l| l.protocol.name().to_string());
    (src, dst, top)
}

/// The one-line summary, without its number and time (the list has columns for them).
fn summary(frame: &Frame, data: &[u8], lang: Lang) -> String {
    let ui = Ui {
        lang,
        color: false,
        width: None,
    };
    let mut line = Vec::new();
    if super::oneline::oneline(&mut line, &ui, frame, data).is_err() {
        return String::new();
    }
    let line = String::from_utf8_lossy(&line);
    line.trim_end()
        .splitn(3, ' ')
        .nth(2)
        .unwrap_or_default()
        .to_string()
}

/// What the page says of each protocol, once: its letter and colour, its place in the
/// model and its devices in both languages, the title of its diagram.
fn protocols() -> Value {
    let mut table = Map::new();
    for p in ProtocolId::ALL {
        let layer = p.layer();
        let css = if layer == OsiLayer::Physical {
            "phy"
        } else {
            look_of(Some(p)).css
        };
        let entry = json!({
            "letter": look_of(Some(p)).letter.to_string(),
            "look": css,
            "osi": layer.number(),
            "proto": both(|lang| protocol_name(p, lang).to_string()),
            "layer": both(|lang| layer.name().get(lang).to_string()),
            "pdu": both(|lang| p.pdu().get(lang).to_string()),
            "dev": both(|lang| {
                if layer.devices().is_empty() {
                    String::new()
                } else {
                    devices_text(layer, lang)
                }
            }),
            "title": format!("{} ({})", p.name(), p.info().spec),
        });
        table.insert(p.short_name().to_string(), entry);
    }
    Value::Object(table)
}

/// One layer record: its protocol (see [`protocols`]), its spans, its fields (`[key,
/// value, start, end]`, and the Chinese name where it is not the key) and its header
/// diagram's boxes.
fn layer(rec: &LayerRecord, data: &[u8]) -> Value {
    let fields: Vec<Value> = rec
        .fields
        .iter()
        .map(|f| {
            let value = both(|lang| {
                let mut s = String::new();
                push_field_text(&mut s, rec.protocol, f, lang);
                s
            });
            let zh = field_name(rec.protocol, f.name, Lang::Zh);
            if zh == f.name {
                json!([f.name, value, f.span.start, f.span.end])
            } else {
                json!([f.name, value, f.span.start, f.span.end, zh])
            }
        })
        .collect();
    let header = data
        .get(rec.header.start..rec.header.end)
        .unwrap_or_default();
    let boxes = cells(rec, header);
    let index_of = |name: Option<&str>| -> i64 {
        name.and_then(|n| rec.fields.iter().position(|f| f.name == n))
            .map_or(-1, |i| i as i64)
    };
    let drawn = boxes.iter().map(|c| c.end).max().unwrap_or(0);
    let rest = rec.header.len().saturating_sub(drawn.div_ceil(8));
    let diagram = json!({
        "cells": boxes
            .iter()
            .map(|c| json!([c.start, c.end, c.label, c.value, index_of(c.field)]))
            .collect::<Vec<_>>(),
        "rest": if drawn > 0 && rest > 0 {
            both(|lang| Msg::DiagramRest.fill(lang, &[&rest]))
        } else {
            Value::Null
        },
    });
    json!({
        "id": rec.protocol.short_name(),
        "quoted": rec.quoted,
        "span": [rec.span.start, rec.span.end],
        "hdr": [rec.header.start, rec.header.end],
        "f": fields,
        "d": diagram,
    })
}

/// A frame as the page holds it: its row in the packet list, read when the page opens,
/// and the rest, read when the frame is shown.
pub struct PageFrame {
    pub row: Value,
    pub detail: Value,
}

/// One frame as the page's script reads it.
pub fn frame_value(frame: &Frame, data: &[u8], link: LinkType) -> PageFrame {
    let (src, dst, proto) = ends(frame);
    let time = frame.time.map(utc);
    let bits = frame
        .layers
        .iter()
        .find(|l| l.layer() == OsiLayer::Physical)
        .and_then(|l| l.field("bits"))
        .and_then(|f| f.value.as_u64());
    let bad = frame
        .errors
        .iter()
        .any(|e| !matches!(e.kind, StopKind::BadChecksum { offload: true, .. }));
    let errors: Vec<Value> = frame
        .errors
        .iter()
        .map(|e| {
            both(|lang| {
                Msg::StopLine.fill(
                    lang,
                    &[
                        &e.protocol_name(),
                        &e.layer.number(),
                        &e.offset,
                        &crate::said::stop(e, lang),
                    ],
                )
            })
        })
        .collect();
    let row = json!({
        "n": frame.frame,
        // The list shows the time of day.
        "tt": time.as_ref().and_then(|t| t.split_once(' ')).map(|(_, day)| day.to_string()),
        "src": src,
        "dst": dst,
        "proto": proto,
        "sum": both(|lang| summary(frame, data, lang)),
        "bad": bad,
    });
    let detail = json!({
        "t": time.as_ref().map(|t| format!("{t} UTC")),
        "len": frame.captured_length,
        "orig": frame.original_length,
        "link": format!("{} ({})", link.name(), link.number()),
        "hex": hex::encode(data),
        "bits": bits,
        "layers": frame.layers.iter().map(|l| layer(l, data)).collect::<Vec<_>>(),
        "err": errors,
    });
    PageFrame { row, detail }
}

/// A page's title, its line under the title, how many selected frames it left out, and
/// what else it shows (a journey's path, a TCP ladder), under its key.
pub struct PageInfo {
    pub title: Value,
    pub meta: Value,
    pub left_out: u64,
    pub extra: Option<(&'static str, Value)>,
}

/// The page up to its frames: style, skeleton, and the opening of the frames' element.
pub fn begin(out: &mut dyn Write) -> io::Result<()> {
    let head = TEMPLATE.replace("{{STYLE}}", STYLE);
    out.write_all(head.as_bytes())
}

/// The page after its frames: its words, what it is, and the script that draws it.
pub fn end(out: &mut dyn Write, lang: Lang, info: &PageInfo) -> io::Result<()> {
    let mut words = Map::new();
    for (key, msg) in WORDS {
        words.insert(
            (*key).to_string(),
            json!({ "en": msg.get(Lang::En), "zh": msg.get(Lang::Zh) }),
        );
    }
    let mut page = json!({
        "protocols": protocols(),
        "lang": match lang { Lang::En => "en", Lang::Zh => "zh" },
        "title": info.title,
        "meta": info.meta,
        "left_out": info.left_out,
        "strings": words,
    });
    if let Some((key, value)) = &info.extra {
        page[*key] = value.clone();
    }
    let mut buf = Vec::new();
    buf.extend_from_slice(b"</script>\n<script type=\"application/json\" id=\"page\">");
    push_json(&mut buf, &page);
    buf.extend_from_slice(b"</script>\n<script>\n");
    buf.extend_from_slice(SCRIPT.as_bytes());
    buf.extend_from_slice(b"</script>\n</body>\n</html>\n");
    out.write_all(&buf)
}

/// One frame's line of the page's data: its list row, a tab, the rest (JSON escapes every
/// tab inside a string, so the first tab is the split).
pub fn push_frame(out: &mut Vec<u8>, frame: &PageFrame) {
    push_json(out, &frame.row);
    out.push(b'\t');
    push_json(out, &frame.detail);
    out.push(b'\n');
}

/// A whole page of `frames` (each a [`frame_value`], perhaps with more said of it), written
/// to `path` whole or not at all; the line that says so, with the file's size.
pub fn write_file(
    path: &Path,
    lang: Lang,
    frames: &[PageFrame],
    info: &PageInfo,
) -> Result<String, CliError> {
    crate::output::write_atomically(path, lang, |w| {
        begin(w)?;
        let mut line = Vec::new();
        for f in frames {
            line.clear();
            push_frame(&mut line, f);
            w.write_all(&line)?;
        }
        end(w, lang, info)
    })?;
    Ok(wrote(path, lang, frames.len() as u64))
}

/// "wrote FILE (classroom page, N frames, SIZE bytes ...)".
pub fn wrote(path: &Path, lang: Lang, frames: u64) -> String {
    let size = std::fs::metadata(path).map_or(0, |m| m.len());
    let name = crate::output::name(path, lang);
    Msg::HtmlWrote.fill(lang, &[&name, &frames, &size])
}

/// A writer that counts the lines written through it: the frames of a page, each one
/// line, however the run that wrote them ended.
pub struct FrameLines<W> {
    inner: W,
    lines: u64,
}

impl<W: Write> FrameLines<W> {
    /// Counts what goes to `inner` from now on.
    pub fn new(inner: W) -> FrameLines<W> {
        FrameLines { inner, lines: 0 }
    }

    /// How many lines were written.
    pub fn lines(&self) -> u64 {
        self.lines
    }

    /// The writer underneath.
    pub fn into_inner(self) -> W {
        self.inner
    }
}

impl<W: Write> Write for FrameLines<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.inner.write(buf)?;
        let written = buf.get(..n).unwrap_or_default();
        self.lines += written.iter().filter(|&&b| b == b'\n').count() as u64;
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.inner.flush()
    }
}

/// `decode --html`: each frame a line of the page's data (the page around them is written
/// by the caller, who knows the file and the counts).
pub struct HtmlFrames;

impl Printer for HtmlFrames {
    fn frame(
        &mut self,
        out: &mut Vec<u8>,
        f: &Frame,
        data: &[u8],
        link: LinkType,
    ) -> io::Result<()> {
        push_frame(out, &frame_value(f, data, link));
        Ok(())
    }

    fn bytes_per_byte(&self) -> usize {
        24
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_text_can_close_the_script_element() {
        let mut out = Vec::new();
        push_json(
            &mut out,
            &json!({ "text": "</script><script>alert(1)</script>" }),
        );
        let text = String::from_utf8(out).unwrap();
        assert!(!text.contains('<'), "{text}");
        let back: Value = serde_json::from_str(&text).unwrap();
        assert_eq!(back["text"], "</script><script>alert(1)</script>");
    }

    #[test]
    fn every_word_of_the_script_is_given_in_both_languages() {
        // The script asks for each word by key: S("...").
        let mut asked: Vec<&str> = SCRIPT
            .split("S(\"")
            .skip(1)
            .filter_map(|s| s.split('"').next())
            .collect();
        asked.sort_unstable();
        asked.dedup();
        assert!(asked.len() > 30, "{asked:?}");
        for key in asked {
            let (_, msg) = WORDS
                .iter()
                .find(|(k, _)| *k == key)
                .unwrap_or_else(|| panic!("the script asks for {key:?}"));
            assert!(!msg.get(Lang::En).is_empty() && !msg.get(Lang::Zh).is_empty());
        }
    }

    #[test]
    fn the_page_loads_nothing_from_elsewhere() {
        // SVG's namespace is a name, not an address anything is fetched from.
        let script = SCRIPT.replace("\"http://www.w3.org/2000/svg\"", "");
        for text in [TEMPLATE, STYLE, script.as_str()] {
            for needle in ["http:", "https:", "//cdn", "@import", "src=\"", "fetch("] {
                assert!(!text.contains(needle), "{needle}");
            }
            // url() only for a part of the page itself (the ladder's arrowhead).
            for (at, _) in text.match_indices("url(") {
                assert!(text[at + 4..].starts_with('#'), "{}", &text[at..]);
            }
        }
    }
}
