//! `layers journey`: one frame across a small network, step by step.

use std::collections::BTreeMap;
use std::io::Write;
use std::time::Duration;

use layers_capture::{write_pcapng_links, OutFrame};
use layers_ipv4::NextHop;
use layers_journey::{
    packet_identity, seed_packet, walk, DeviceKind, Event, Journey, Topology, STEP_LIMIT,
};
use layers_osi::{Field, FieldValue, Lang, LayerRecord, OsiLayer};
use layers_stack::dissect_ethernet;
use owo_colors::{OwoColorize, Style};
use serde_json::{json, Value};

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

/// The fields that a device changed between two frames (the checksum verdict aside): the
/// new frame's record and field, and the old value.
fn changed_fields<'a>(
    a: &'a layers_stack::Dissection,
    b: &'a layers_stack::Dissection,
) -> Vec<(&'a LayerRecord, &'a Field, &'a FieldValue)> {
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
                    out.push((rec, f, &o.value));
                }
            }
        }
    }
    out
}

/// The fields that differ between two frames, as "protocol field: old -> new".
pub fn diff(before: &[u8], after: &[u8], lang: Lang) -> Vec<String> {
    let a = dissect_ethernet(before);
    let b = dissect_ethernet(after);
    changed_fields(&a, &b)
        .into_iter()
        .map(|(rec, f, old)| {
            let (from, to) = (value_text(old), value_text(&f.value));
            let p = rec.protocol.name();
            let name = crate::render::field_name(rec.protocol, f.name, lang);
            // A computed FCS follows the frame: it has no bytes in the capture.
            if f.span.is_empty() {
                Msg::DiffAfterFrame.fill(lang, &[&p, &name, &from, &to])
            } else {
                let last = f.span.end - 1;
                Msg::DiffBytes.fill(lang, &[&p, &name, &f.span.start, &last, &from, &to])
            }
        })
        .collect()
}

/// `--html FILE`: the journey as the classroom page: the devices in the order the frame
/// meets them, every step, and every frame on every link, each made at a router marked
/// with what the router changed.
fn write_page(path: &std::path::Path, ui: &Ui, journey: &Journey) -> Result<String, CliError> {
    use crate::render::html::{both, frame_value, write_file, PageInfo};
    let lang = ui.lang;
    let reads = |kind: DeviceKind, layer: OsiLayer| {
        both(|l| match kind {
            DeviceKind::Host if layer == OsiLayer::Application => Msg::ReadsAll.get(l).to_string(),
            _ if layer == OsiLayer::Physical => Msg::ReadsBits.get(l).to_string(),
            _ => Msg::ReadsUpTo.fill(l, &[&layer.number()]),
        })
    };
    let mut nodes: Vec<(&str, DeviceKind, OsiLayer)> = Vec::new();
    for s in &journey.steps {
        match nodes.iter_mut().find(|n| n.0 == s.device) {
            Some(n) => n.2 = n.2.max(s.reads),
            None => nodes.push((&s.device, s.kind, s.reads)),
        }
    }
    let nodes: Vec<Value> = nodes
        .iter()
        .map(|(name, kind, layer)| {
            json!({
                "name": name,
                "kind": kind_text(*kind, Lang::En),
                "kind_text": both(|l| kind_text(*kind, l).to_string()),
                "reads": reads(*kind, *layer),
                "osi": layer.number(),
            })
        })
        .collect();
    let steps: Vec<Value> = journey
        .steps
        .iter()
        .map(|s| {
            let node = nodes.iter().position(|n| n["name"] == s.device.as_str());
            json!({
                "node": node,
                "device": s.device,
                "kind_text": both(|l| kind_text(s.kind, l).to_string()),
                "reads": reads(s.kind, s.reads),
                "osi": s.reads.number(),
                "text": both(|l| describe(&s.event, l)),
                "frame": s.frame,
            })
        })
        .collect();
    let dissected: Vec<_> = journey
        .frames
        .iter()
        .map(|f| dissect_ethernet(&f.bytes))
        .collect();
    let frames: Vec<_> = journey
        .frames
        .iter()
        .zip(&dissected)
        .enumerate()
        .map(|(i, (f, d))| {
            let len = f.bytes.len();
            let frame = layers_stack::Frame::new(i as u64 + 1, None, len, len, d.clone());
            let mut v = frame_value(&frame, &f.bytes, layers_osi::LinkType::Ethernet);
            v.row["tt"] = json!(f.link);
            if let Some((from, before)) = f.from.and_then(|b| Some((b, journey.frames.get(b)?))) {
                let bytes: Vec<usize> = (0..len)
                    .filter(|&k| before.bytes.get(k) != f.bytes.get(k))
                    .collect();
                let fields: Vec<Value> = changed_fields(&dissected[from], d)
                    .into_iter()
                    .map(|(rec, field, old)| {
                        json!([
                            format!("{}:{}", rec.protocol.short_name(), field.name),
                            value_text(old)
                        ])
                    })
                    .collect();
                // A switch or a hub passes the frame on as it is; a router rewrites it.
                v.detail[if bytes.is_empty() {
                    "copy_of"
                } else {
                    "changed"
                }] = json!({ "from": from + 1, "bytes": bytes, "fields": fields });
            }
            v
        })
        .collect();
    let (from, to) = (
        journey.steps.first().map_or("", |s| s.device.as_str()),
        journey.steps.last().map_or("", |s| s.device.as_str()),
    );
    let info = PageInfo {
        title: both(|l| Msg::HtmlJourneyTitle.fill(l, &[&from, &to])),
        meta: both(|l| {
            Msg::HtmlJourneyMeta.fill(
                l,
                &[&journey.steps.len(), &frames.len(), &journey.links.len()],
            )
        }),
        left_out: 0,
        extra: Some(("journey", json!({ "nodes": nodes, "steps": steps }))),
    };
    write_file(path, lang, &frames, &info)
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
            Topology::from_toml(&text).map_err(|e| {
                CliError::Input(format!(
                    "{}: {}",
                    path.display(),
                    crate::said::topology_error(&e, lang)
                ))
            })?
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
    let bad =
        |e: layers_journey::TopologyError| CliError::Usage(crate::said::topology_error(&e, lang));
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
                "reads": s.reads.number(), "text": describe(&s.event, lang), "frame": s.frame,
            })).collect::<Vec<_>>(),
            "frames": journey.frames.iter().map(|f| json!({"link": f.link, "bytes": hex::encode(&f.bytes)})).collect::<Vec<_>>(),
        });
        serde_json::to_writer(&mut *out, &doc).map_err(std::io::Error::from)?;
        writeln!(out)?;
    } else {
        render(out, ui, &journey)?;
    }
    if let Some(path) = &args.html {
        let line = write_page(path, ui, &journey)?;
        crate::output::said_wrote(out, args.json, &line)?;
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
                // The IPv4 packet inside the Ethernet frame, if it holds one.
                let ip = f
                    .bytes
                    .get(14..)
                    .filter(|_| f.bytes.get(12..14) == Some(&[8, 0][..]));
                let comment = ip.and_then(packet_identity).and_then(|id| {
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
        crate::output::write_atomically(path, lang, |w| {
            write_pcapng_links(w, &journey.links, &frames)
        })?;
        let line = Msg::JourneyWrote.fill(
            lang,
            &[
                &crate::output::name(path, lang),
                &frames.len(),
                &journey.links.len(),
            ],
        );
        crate::output::said_wrote(out, args.json, &line)?;
    }
    Ok(())
}

pub(crate) fn render(out: &mut dyn Write, ui: &Ui, journey: &Journey) -> std::io::Result<()> {
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
        writeln!(out, "{:>2}. {who}: {}", i + 1, describe(&s.event, lang))?;
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

/// What happened at a step, in one sentence.
fn describe(event: &Event, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    match event {
        Event::Decide { dst, mask, own, theirs, hop } => match (hop, zh) {
            (NextHop::Direct, false) => format!("ANDs {dst} with {mask}: {theirs}, its own network {own}: deliver directly"),
            (NextHop::Direct, true) => format!("把 {dst} 与 {mask} 按位与得 {theirs},与自己的网络 {own} 相同:直接交付"),
            (NextHop::Gateway(g), false) => format!("ANDs {dst} with {mask}: {theirs}, not its own network {own}: send via the gateway {g}"),
            (NextHop::Gateway(g), true) => format!("把 {dst} 与 {mask} 按位与得 {theirs},不是自己的网络 {own}:经网关 {g} 发送"),
        },
        Event::ArpRequest { target } if zh => format!("不知道 {target} 的 MAC:广播 ARP 请求「谁是 {target}?」"),
        Event::ArpRequest { target } => format!("does not know {target}'s MAC: broadcasts an ARP request \"who has {target}?\""),
        Event::ArpReply { ip, mac } if zh => format!("是在问自己:单播 ARP 应答「{ip} 在 {mac}」"),
        Event::ArpReply { ip, mac } => format!("is the one asked: unicasts the ARP reply \"{ip} is at {mac}\""),
        Event::ArpCached { ip, mac } if zh => format!("把 {ip} -> {mac} 存入 ARP 缓存,发出等待中的数据包"),
        Event::ArpCached { ip, mac } => format!("caches {ip} -> {mac} and sends what was waiting"),
        Event::ArpNotMine { target } if zh => format!("读了广播的 ARP 请求:问的是 {target},不是自己,忽略"),
        Event::ArpNotMine { target } => format!("reads the broadcast ARP request: it asks for {target}, not for it; ignores it"),
        Event::Learn { mac, port, new: true } if zh => format!("学习:{mac} 在端口 {port}"),
        Event::Learn { mac, port, new: true } => format!("learns: {mac} is on port {port}"),
        Event::Learn { mac, port, .. } if zh => format!("已知 {mac} 在端口 {port}"),
        Event::Learn { mac, port, .. } => format!("already knows {mac} is on port {port}"),
        Event::Flood { ports, broadcast } => {
            let list: Vec<String> = ports.iter().map(u16::to_string).collect();
            match (broadcast, zh) {
                (true, false) => format!("broadcast: floods out of ports {}", list.join(", ")),
                (true, true) => format!("广播帧:从端口 {} 泛洪", list.join("、")),
                (false, false) => format!("unknown destination: floods out of ports {}", list.join(", ")),
                (false, true) => format!("目的 MAC 未知:从端口 {} 泛洪", list.join("、")),
            }
        }
        Event::Forward { port, mac } if zh => format!("查 MAC 表:{mac} 在端口 {port},只从该端口转发"),
        Event::Forward { port, mac } => format!("looks up {mac}: port {port}; forwards out of that port only"),
        Event::Filter if zh => "目的 MAC 就在进入的端口:过滤(丢弃)".to_string(),
        Event::Filter => "the destination is on the port it came in on: filters (drops) it".to_string(),
        Event::Repeat { ports } if zh => format!("集线器不看地址:把比特从端口 {:?} 转发出去", ports),
        Event::Repeat { ports } => format!("repeats the bits out of ports {ports:?}: a hub reads no address"),
        Event::NotForMe { dst } if zh => format!("网卡看目的 MAC {dst}:不是发给自己的,丢弃"),
        Event::NotForMe { dst } => format!("its NIC reads destination {dst}: not for it, drops the frame"),
        Event::Send { src, dst } if zh => format!("发出帧:源 MAC {src},目的 MAC {dst}"),
        Event::Send { src, dst } => format!("sends the frame: source MAC {src}, destination MAC {dst}"),
        Event::Lookup { dst, network, via, interface } => match (via, zh) {
            (None, false) => format!("reads the IP header only: {dst} matches {network}, connected on {interface}"),
            (None, true) => format!("只读到 IP 首部:{dst} 匹配 {network},直连在 {interface}"),
            (Some(v), false) => format!("reads the IP header only: {dst} matches {network} (longest prefix), via {v} on {interface}"),
            (Some(v), true) => format!("只读到 IP 首部:{dst} 最长前缀匹配 {network},经 {v} 从 {interface} 发出"),
        },
        Event::NoRoute { dst } if zh => format!("路由表中没有到 {dst} 的路由:丢弃"),
        Event::NoRoute { dst } => format!("has no route to {dst}: drops the packet"),
        Event::Ttl { from, to, checksum_from, checksum_to } if zh => format!("TTL {from} -> {to},首部校验和 0x{checksum_from:04x} -> 0x{checksum_to:04x}(TTL 变了,必须重算)"),
        Event::Ttl { from, to, checksum_from, checksum_to } => format!("TTL {from} -> {to}, header checksum 0x{checksum_from:04x} -> 0x{checksum_to:04x} (the TTL changed, so it must be recomputed)"),
        Event::Loop { before, now } if zh => format!("这个数据包以前经过这里(当时 TTL {before},现在 {now}):路由环路;它会一直绕圈,每圈 TTL 减 {},直到 TTL 耗尽", before - now),
        Event::Loop { before, now } => format!("has forwarded this packet before (TTL {before} then, {now} now): a routing loop; it goes round, {} TTL less each round, until its TTL runs out", before - now),
        Event::LoopFolded { steps } if zh => format!("(环路中的 {steps} 步从略)"),
        Event::LoopFolded { steps } => format!("({steps} steps of the loop's rounds not shown)"),
        Event::TtlExpired if zh => "TTL 减到 0:丢弃数据包,向源主机回送 ICMP 超时".to_string(),
        Event::TtlExpired => "the TTL would reach 0: drops the packet and sends ICMP time exceeded back to the source".to_string(),
        Event::FragNeeded { mtu, size } if zh => format!("{size} 字节的数据包超过下一条链路的 MTU {mtu},且设置了 DF:丢弃并回送 ICMP 需要分片"),
        Event::FragNeeded { mtu, size } => format!("the {size}-byte packet exceeds the next link's MTU {mtu} and DF is set: drops it and sends ICMP fragmentation needed back"),
        Event::ArpUnanswered { target, waiting } if zh => format!("没有谁回答「谁是 {target}?」:链路上没有这个地址(在 Linux 上,3 次请求之后报告「主机不可达」),等待它的 {waiting} 个数据包被丢弃"),
        Event::ArpUnanswered { target, waiting } => {
            let what = if *waiting == 1 { "packet waiting for it is".to_string() } else { format!("{waiting} packets waiting for it are") };
            format!("nobody answers \"who has {target}?\": no host on the link has that address (Linux asks 3 times, then reports \"host unreachable\"); the {what} dropped")
        }
        Event::TooBigToSend { mtu, size } if zh => format!("{size} 字节的数据包超过自己链路的 MTU {mtu},且设置了 DF:无法发送(套接字的发送调用以 EMSGSIZE 失败)"),
        Event::TooBigToSend { mtu, size } => format!("the {size}-byte packet exceeds its own link's MTU {mtu} and DF is set: it cannot be sent (the socket's send fails with EMSGSIZE)"),
        Event::Fragmented { mtu, pieces } if zh => format!("数据包超过下一条链路的 MTU {mtu}:分成 {pieces} 个分片"),
        Event::Fragmented { mtu, pieces } => format!("the packet exceeds the next link's MTU {mtu}: cuts it into {pieces} fragments"),
        Event::Nat { from, to } if zh => format!("NAT:把源地址 {}:{} 改写为 {}:{}(私有地址出不了内网),并重算 IP 和 TCP/UDP 校验和", from.0, from.1, to.0, to.1),
        Event::Nat { from, to } => format!("NAT: rewrites the source {}:{} to {}:{} (a private address cannot leave the LAN) and recomputes the IP and TCP/UDP checksums", from.0, from.1, to.0, to.1),
        Event::FragmentHeld { offset, bytes } if zh => format!("收到一个分片(偏移 {offset},{bytes} 字节):等待其余分片"),
        Event::FragmentHeld { offset, bytes } => format!("holds a fragment (offset {offset}, {bytes} bytes): waits for the rest of the packet"),
        Event::Reassembled { pieces, bytes } if zh => format!("分片已到齐:把 {pieces} 个分片重组为 {bytes} 字节的数据包"),
        Event::Reassembled { pieces, bytes } => format!("has every fragment: reassembles {pieces} fragments into the {bytes}-byte packet"),
        Event::Delivered { protocol, bytes } if zh => format!("收到发给自己的 {bytes} 字节 IP 数据包,逐层向上交给 {protocol}"),
        Event::Delivered { protocol, bytes } => format!("receives the {bytes}-byte IP packet for it and passes it up, layer by layer, to {protocol}"),
        Event::Limit if zh => format!("超过 {STEP_LIMIT} 步,停止模拟"),
        Event::Limit => format!("stopped after {STEP_LIMIT} steps"),
    }
}
