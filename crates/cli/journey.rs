//! `layers journey`: one frame across a small network, step by step.

use std::collections::BTreeMap;
use std::io::Write;
use std::time::Duration;

use layers_capture::{write_pcapng_links, OutFrame};
use layers_journey::{seed_packet, walk, DeviceKind, Journey, Topology};
use layers_osi::{Lang, OsiLayer};
use layers_stack::dissect_ethernet;
use owo_colors::{OwoColorize, Style};
use serde_json::json;

use crate::args::JourneyArgs;
use crate::i18n::Msg;
use crate::render::value_text;
use crate::{CliError, Ui};

fn kind_text(kind: DeviceKind, lang: Lang) -> &'static str {
    match (kind, lang) {
        (DeviceKind::Host, Lang::En) => "host",
        (DeviceKind::Host, Lang::Zh) => "主机",
        (DeviceKind::Switch, Lang::En) => "switch",
        (DeviceKind::Switch, Lang::Zh) => "交换机",
        (DeviceKind::Hub, Lang::En) => "hub",
        (DeviceKind::Hub, Lang::Zh) => "集线器",
        (DeviceKind::Router, Lang::En) => "router",
        (DeviceKind::Router, Lang::Zh) => "路由器",
    }
}

/// The fields that differ between two frames, as "protocol field: old -> new".
pub fn diff(before: &[u8], after: &[u8], lang: Lang) -> Vec<String> {
    let a = dissect_ethernet(before);
    let b = dissect_ethernet(after);
    let mut out = Vec::new();
    for rec in b
        .layers
        .iter()
        .filter(|l| l.layer() != OsiLayer::Physical && !l.quoted)
    {
        let Some(old) = a
            .layers
            .iter()
            .find(|l| l.protocol == rec.protocol && !l.quoted)
        else {
            continue;
        };
        for f in &rec.fields {
            if let Some(o) = old.field(f.name) {
                if o.value != f.value && f.name != "checksum_valid" {
                    let (from, to) = (value_text(&o.value), value_text(&f.value));
                    let p = rec.protocol.name();
                    let name = crate::render::field_name(rec.protocol, f.name, lang);
                    // A computed FCS follows the frame: it has no bytes in the capture.
                    out.push(if f.span.is_empty() {
                        Msg::DiffAfterFrame.fill(lang, &[&p, &name, &from, &to])
                    } else {
                        let last = f.span.end - 1;
                        Msg::DiffBytes.fill(lang, &[&p, &name, &f.span.start, &last, &from, &to])
                    });
                }
            }
        }
    }
    out
}

/// The most data one IPv4 packet carries over TCP: 65535 - 20 - 20.
const MAX_PAYLOAD: usize = 65_495;

/// Runs `layers journey`.
pub fn run(args: &JourneyArgs, ui: &Ui, out: &mut dyn Write) -> Result<(), CliError> {
    let lang = ui.lang;
    crate::output::check_json(args.output.as_deref(), args.json, lang)?;
    if args.payload.is_some() && args.payload_size.is_some() {
        let why = Msg::WhyPayloadSize;
        return Err(crate::output::together(
            lang,
            "--payload",
            "--payload-size",
            why,
        ));
    }
    let mut topo = match &args.topology {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .map_err(|e| CliError::Input(Msg::ReadInput.fill(lang, &[&path.display(), &e])))?;
            Topology::from_toml(&text)
                .map_err(|e| CliError::Input(format!("{}: {}", path.display(), e.message(lang))))?
        }
        None => Topology::default_network(),
    };
    if let Some(mtu) = args.mtu {
        if !(68..=65535).contains(&mtu) {
            return Err(CliError::Usage(Msg::BadValue.fill(
                lang,
                &[&"--mtu", &mtu, &Msg::ExpRange.fill(lang, &[&68, &65535])],
            )));
        }
        topo.set_last_mtu(mtu);
    }
    let bad = |e: layers_journey::TopologyError| CliError::Usage(e.message(lang));
    let src = topo.host_ip(&args.from).map_err(bad)?;
    let dst = topo.host_ip(&args.to).map_err(bad)?;
    let payload = match (args.payload_size, &args.payload) {
        // An IPv4 packet holds at most 65535 bytes: 65495 of data after the IP and TCP headers.
        (Some(n), _) if n > MAX_PAYLOAD => {
            let expected = Msg::ExpRange.fill(lang, &[&0, &MAX_PAYLOAD]);
            return Err(CliError::Usage(
                Msg::BadValue.fill(lang, &[&"--payload-size", &n, &expected]),
            ));
        }
        (Some(n), _) => vec![b'x'; n],
        (None, Some(t)) => t.as_bytes().to_vec(),
        (None, None) => b"hello!".to_vec(),
    };
    let journey = walk(
        &topo,
        &args.from,
        seed_packet(src, dst, args.ttl, args.df, &payload),
    )
    .map_err(bad)?;

    if args.json {
        let doc = json!({
            "steps": journey.steps.iter().enumerate().map(|(i, s)| json!({
                "step": i + 1, "device": s.device, "kind": kind_text(s.kind, Lang::En),
                "reads": s.reads.number(), "text": s.event.describe(lang), "frame": s.frame,
            })).collect::<Vec<_>>(),
            "frames": journey.frames.iter().map(|f| json!({"link": f.link, "bytes": hex::encode(&f.bytes)})).collect::<Vec<_>>(),
        });
        serde_json::to_writer(&mut *out, &doc).map_err(std::io::Error::from)?;
        writeln!(out)?;
    } else {
        render(out, ui, &journey)?;
    }
    if let Some(path) = &args.output {
        let time = Duration::from_secs(1_732_500_000);
        // The same packet on the next link is not a retransmission: each copy says so, as
        // Wireshark's TCP analysis (which does not tell interfaces apart) would call it one.
        let mut first_seen: BTreeMap<[u8; 13], usize> = BTreeMap::new();
        let frames: Vec<(u32, OutFrame<'_>, Option<String>)> = journey
            .frames
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let iface = journey.links.iter().position(|l| *l == f.link).unwrap_or(0) as u32;
                let at = time + Duration::from_micros(i as u64 * 10);
                let comment = packet_identity(&f.bytes).and_then(|id| {
                    let first = *first_seen.entry(id).or_insert(i);
                    (first != i)
                        .then(|| Msg::JourneySamePacket.fill(lang, &[&(first + 1), &f.link]))
                });
                let frame = OutFrame {
                    data: &f.bytes,
                    original_length: f.bytes.len(),
                    time: at,
                };
                (iface, frame, comment)
            })
            .collect();
        let file = crate::output::create(path, lang)?;
        write_pcapng_links(file, &journey.links, &frames)
            .map_err(|e| crate::output::write_failed(path, lang, &e))?;
        let line = Msg::JourneyWrote.fill(
            lang,
            &[
                &crate::output::name(path, lang),
                &frames.len(),
                &journey.links.len(),
            ],
        );
        if args.json {
            eprintln!("{line}");
        } else {
            writeln!(out, "{line}")?;
        }
    }
    Ok(())
}

fn render(out: &mut dyn Write, ui: &Ui, journey: &Journey) -> std::io::Result<()> {
    let lang = ui.lang;
    for (i, s) in journey.steps.iter().enumerate() {
        let reads = match s.kind {
            DeviceKind::Host if s.reads == OsiLayer::Application => {
                Msg::ReadsAll.get(lang).to_string()
            }
            _ if s.reads == OsiLayer::Physical => Msg::ReadsBits.get(lang).to_string(),
            _ => Msg::ReadsUpTo.fill(lang, &[&s.reads.number()]),
        };
        let who = format!("{} ({}, {reads})", s.device, kind_text(s.kind, lang));
        let who = if ui.color {
            who.style(Style::new().bold()).to_string()
        } else {
            who
        };
        writeln!(out, "{:>2}. {who}: {}", i + 1, s.event.describe(lang))?;
        if let Some(f) = s.frame.map(|f| &journey.frames[f]) {
            if let Some(before) = f.from.map(|b| &journey.frames[b]) {
                let changes = diff(&before.bytes, &f.bytes, lang);
                if !changes.is_empty() {
                    writeln!(out, "    {}", Msg::JourneyDiff.get(lang))?;
                    for c in changes {
                        writeln!(out, "      {c}")?;
                    }
                }
            }
        }
    }
    Ok(())
}

/// What makes an IPv4 packet the same packet on every link it crosses: identification,
/// fragment offset with MF, protocol, source and destination (RFC 791's reassembly key and
/// the fragment's place); a router changes only the TTL and the checksum.
fn packet_identity(frame: &[u8]) -> Option<[u8; 13]> {
    if frame.get(12..14) != Some(&[0x08, 0x00][..]) {
        return None;
    }
    let ip = frame.get(14..34)?;
    let mut id = [0u8; 13];
    id[..4].copy_from_slice(&[ip[4], ip[5], ip[6] & 0x3f, ip[7]]);
    id[4] = ip[9];
    id[5..13].copy_from_slice(&ip[12..20]);
    Some(id)
}
