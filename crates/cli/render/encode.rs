//! What `layers encode` shows: the subnet decision, the MACs, the encapsulation table, the
//! fields, the wire view and the narrative, from the plan the flags made.

use super::*;
use crate::args::{EncodeArgs, Proto};
use crate::plan::{MacOrigin, Plan};
use layers_ipv4::Destination;

fn speed_text(speed: phy::LinkSpeed) -> String {
    match speed.bits_per_second() {
        b if b >= 1_000_000_000 => format!("{} Gbit/s", b / 1_000_000_000),
        b => format!("{} Mbit/s", b / 1_000_000),
    }
}

/// The payload in one phrase: its length and its text, if it is text.
fn payload_phrase(data: &[u8], lang: Lang) -> String {
    match std::str::from_utf8(data) {
        Ok(text) if !text.is_empty() && !text.chars().any(char::is_control) => {
            Msg::PayloadText.fill(lang, &[&data.len(), &text])
        }
        _ if data.is_empty() => Msg::PayloadNone.get(lang).to_string(),
        _ => Msg::PayloadBytes.fill(lang, &[&data.len()]),
    }
}

/// The whole `encode` report.
pub fn encode_report(
    out: &mut dyn Write,
    ui: &Ui,
    plan: &Plan,
    built: &[u8],
    finished: &Finished,
    d: &Dissection,
    args: &EncodeArgs,
) -> io::Result<()> {
    let lang = ui.lang;
    title(out, ui, plan, d)?;
    decision(out, ui, plan)?;
    macs(out, ui, plan)?;
    writeln!(out)?;
    writeln!(out, "{}", heading(ui, Msg::EncapHeading.get(lang)))?;
    encapsulation(out, ui, plan, built, d)?;
    if args.fields {
        writeln!(out)?;
        writeln!(out, "{}", heading(ui, Msg::FieldsHeading.get(lang)))?;
        fields(out, ui, &finished.frame, d)?;
    }
    writeln!(out)?;
    physical(out, ui, plan, built)?;
    writeln!(out)?;
    hex_dump(out, ui, &finished.frame, &d.layers)?;
    if !finished.effects.is_empty() || !d.errors.is_empty() {
        writeln!(out)?;
        writeln!(out, "{}", heading(ui, Msg::FaultsHeading.get(lang)))?;
        for e in &finished.effects {
            writeln!(
                out,
                "  - {}",
                paint(ui, &crate::said::fault_effect(e, lang), Style::new().red())
            )?;
        }
        for stop in &d.errors {
            let layer = stop.layer;
            let line = Msg::StopLine.fill(
                lang,
                &[
                    &stop.protocol_name(),
                    &layer.number(),
                    &stop.offset,
                    &crate::said::stop(stop, lang),
                ],
            );
            writeln!(out, "  - {}", paint(ui, &line, Style::new().red()))?;
        }
    }
    if args.diagram {
        writeln!(out)?;
        let frame = layers_stack::Frame::new(
            1,
            None,
            finished.frame.len(),
            finished.frame.len(),
            d.clone(),
        );
        super::diagrams(out, ui, &frame, &finished.frame)?;
    }
    if args.explain {
        writeln!(out)?;
        writeln!(out, "{}", heading(ui, Msg::ExplainHeading.get(lang)))?;
        explain(out, plan, built, d, lang)?;
    }
    Ok(())
}

fn title(out: &mut dyn Write, ui: &Ui, plan: &Plan, d: &Dissection) -> io::Result<()> {
    let lang = ui.lang;
    let src = plan.source.addr();
    let dst = plan.route.destination;
    let line = match (plan.proto, plan.ports) {
        (Proto::Arp, _) => Msg::TitleArp.fill(lang, &[&plan.route.next_hop_ip(), &src]),
        (p, Some((sp, dp))) => {
            let rec = d.layer(if p == Proto::Tcp {
                ProtocolId::Tcp
            } else {
                ProtocolId::Udp
            });
            let pdu = rec.map(|r| r.protocol.pdu().get(lang)).unwrap_or_default();
            let name = if p == Proto::Tcp { "TCP" } else { "UDP" };
            let data = plan_payload(plan);
            Msg::TitlePorts.fill(
                lang,
                &[
                    &name,
                    &pdu,
                    &payload_phrase(data, lang),
                    &src,
                    &sp,
                    &dst,
                    &dp,
                ],
            )
        }
        _ => Msg::TitleIcmp.fill(
            lang,
            &[&payload_phrase(plan_payload(plan), lang), &src, &dst],
        ),
    };
    writeln!(out, "{}", heading(ui, &line))
}

fn plan_payload(plan: &Plan) -> &[u8] {
    match &plan.spec.network {
        layers_stack::NetworkSpec::Ipv4(_, t) => t.payload(),
        layers_stack::NetworkSpec::Arp(_) => &[],
    }
}

fn and_line(route: &Route, addr: std::net::Ipv4Addr) -> String {
    let net = route.source.and_octets(addr);
    let result: Vec<String> = net.iter().map(|o| o.network.to_string()).collect();
    format!(
        "{addr:<15} AND {:<15} = {:<15}",
        route.source.mask(),
        result.join(".")
    )
}

fn decision(out: &mut dyn Write, ui: &Ui, plan: &Plan) -> io::Result<()> {
    let lang = ui.lang;
    let r = &plan.route;
    writeln!(out)?;
    let mask = r.source.mask();
    writeln!(
        out,
        "{}",
        heading(
            ui,
            &Msg::SubnetHeading.fill(lang, &[&mask, &r.source.prefix()])
        )
    )?;
    writeln!(
        out,
        "  {}   {}",
        and_line(r, r.source.addr()),
        Msg::SourceNetwork.get(lang)
    )?;
    writeln!(
        out,
        "  {}   {}",
        and_line(r, r.destination),
        Msg::DestinationNetwork.get(lang)
    )?;
    let verdict = match (plan.destination, r.hop) {
        (Destination::LimitedBroadcast, _) => {
            Msg::VerdictLimitedBroadcast.fill(lang, &[&r.destination])
        }
        (Destination::DirectedBroadcast, _) => {
            Msg::VerdictDirectedBroadcast.fill(lang, &[&r.destination, &r.source_network])
        }
        (Destination::Multicast, _) => {
            Msg::VerdictMulticast.fill(lang, &[&r.destination, &plan.spec.destination_mac])
        }
        (_, NextHop::Direct) => {
            Msg::SameNetwork.fill(lang, &[&r.destination_network, &r.destination])
        }
        (_, NextHop::Gateway(gw)) => Msg::OtherNetwork.fill(
            lang,
            &[
                &r.destination_network,
                &r.source_network,
                &gw,
                &r.destination,
            ],
        ),
    };
    writeln!(out, "  {}", paint(ui, &verdict, Style::new().bold().cyan()))?;
    let group = plan.destination != Destination::Unicast;
    if let (NextHop::Gateway(gw), false) = (r.hop, group) {
        if plan.gateway_assumed {
            writeln!(out, "  {}", Msg::GatewayAssumed.fill(lang, &[&gw]))?;
        }
        let kind = range_kind(r.destination);
        writeln!(
            out,
            "  {}",
            Msg::DestinationKind.fill(lang, &[&r.destination, &kind.describe().get(lang)])
        )?;
    }
    Ok(())
}

fn mac_note(origin: MacOrigin, lang: Lang) -> String {
    match origin {
        MacOrigin::Given => String::new(),
        MacOrigin::Derived(ip) => Msg::MacDerived.fill(lang, &[&ip]),
        MacOrigin::Broadcast => Msg::MacBroadcast.get(lang).to_string(),
        MacOrigin::BroadcastIp => Msg::MacBroadcastIp.get(lang).to_string(),
        MacOrigin::Multicast(ip) => Msg::MacMulticast.fill(lang, &[&ip]),
    }
}

fn macs(out: &mut dyn Write, ui: &Ui, plan: &Plan) -> io::Result<()> {
    let lang = ui.lang;
    let s = plan.spec.source_mac;
    let d = plan.spec.destination_mac;
    writeln!(
        out,
        "{}",
        Msg::MacLine.fill(lang, &[&s, &mac_note(plan.src_mac, lang)])
    )?;
    writeln!(
        out,
        "{}",
        Msg::MacLineDst.fill(
            lang,
            &[&d, &mac_note(plan.dst_mac, lang), &mac_kind(d, lang)]
        )
    )?;
    if matches!(plan.src_mac, MacOrigin::Derived(_))
        || matches!(plan.dst_mac, MacOrigin::Derived(_))
    {
        writeln!(out, "{}", Msg::MacHowTo.get(lang))?;
    }
    Ok(())
}

fn mac_kind(m: Mac, lang: Lang) -> &'static str {
    m.kind().get(lang)
}

fn encapsulation(
    out: &mut dyn Write,
    ui: &Ui,
    plan: &Plan,
    built: &[u8],
    d: &Dissection,
) -> io::Result<()> {
    let lang = ui.lang;
    let mut t = new_table(ui);
    t.set_header(vec![
        Msg::ColOsi.get(lang),
        Msg::ColLayer.get(lang),
        Msg::ColPdu.get(lang),
        Msg::ColProtocol.get(lang),
        Msg::ColDevices.get(lang),
        Msg::ColAdded.get(lang),
        Msg::ColSize.get(lang),
    ]);
    let wire = Wire::of(built, plan.speed);
    let mut size = 0;
    for rec in d
        .layers
        .iter()
        .rev()
        .filter(|r| r.layer() != OsiLayer::Physical)
    {
        let layer = rec.layer();
        size += rec.header.len();
        // The MAC's padding and FCS are the data link layer's, with the Ethernet header.
        let added = if rec.protocol == ProtocolId::Ethernet2 {
            size += wire.padding + phy::FCS_LEN;
            let total = rec.header.len() + wire.padding + phy::FCS_LEN;
            Msg::DataLinkAdded.fill(
                lang,
                &[&rec.header.len(), &wire.padding, &phy::FCS_LEN, &total],
            )
        } else {
            rec.header.len().to_string()
        };
        let lk = look(Some(rec));
        let protocol = match rec.protocol.info().note {
            Some(_) if rec.protocol == ProtocolId::Arp => format!("{} *", rec.protocol.name()),
            _ => protocol_name(rec.protocol, lang).to_string(),
        };
        t.add_row(vec![
            Cell::new(layer.number()),
            Cell::new(layer.name().get(lang)),
            Cell::new(rec.protocol.pdu().get(lang)),
            Cell::new(protocol).fg(lk.table),
            Cell::new(devices_text(layer, lang)),
            Cell::new(added),
            Cell::new(size),
        ]);
    }
    t.add_row(vec![
        Cell::new(1),
        Cell::new(OsiLayer::Physical.name().get(lang)),
        Cell::new(OsiLayer::Physical.pdu().get(lang)),
        Cell::new(Msg::PhysicalProtocol.get(lang)),
        Cell::new(devices_text(OsiLayer::Physical, lang)),
        Cell::new(Msg::PhysicalAdded.fill(lang, &[&phy::PREAMBLE_SFD_LEN])),
        Cell::new(Msg::PhysicalSize.fill(lang, &[&wire.on_wire_bytes(), &wire.bits()])),
    ]);
    writeln!(out, "{t}")?;
    writeln!(out, "{}", Msg::AddedNote.get(lang))?;
    if d.layer(ProtocolId::Arp).is_some() {
        if let Some(note) = ProtocolId::Arp.info().note {
            writeln!(out, "* {}", note.get(lang))?;
        }
    }
    // Binary protocols recognised only by their port: the data is unlikely to be one.
    if let (Some(app), Some((_, port))) = (d.layers.last(), plan.ports) {
        if matches!(app.protocol, ProtocolId::Dns | ProtocolId::Snmp) {
            let name = app.protocol.name();
            let note = Msg::BinaryByPort.fill(lang, &[&port, &name, &app.span.len(), &name]);
            writeln!(out, "{}", paint(ui, &note, Style::new().yellow()))?;
        }
    }
    Ok(())
}

/// A sub-byte field's bits as Wireshark shows them: its bits, dots for the others.
pub fn bit_pattern(frame: &[u8], f: &Field) -> String {
    let Some(mask) = f.mask else {
        return String::new();
    };
    let Some(bytes) = frame.get(f.span.start..f.span.end) else {
        return String::new();
    };
    let width = bytes.len() * 8;
    let raw = bytes.iter().fold(0u32, |acc, b| (acc << 8) | u32::from(*b));
    let mut s = String::new();
    for i in (0..width).rev() {
        let bit = 1u32 << i;
        s.push(if mask & bit == 0 {
            '.'
        } else if raw & bit != 0 {
            '1'
        } else {
            '0'
        });
        if i % 4 == 0 && i != 0 {
            s.push(' ');
        }
    }
    s
}

fn field_meaning(rec: &LayerRecord, f: &Field) -> Text {
    if let Some(spec) = field_table(rec.protocol).iter().find(|s| s.name == f.name) {
        return spec.about;
    }
    match f.name {
        "checksum_valid" => Text::new(
            "recomputed over the bytes: does it match?",
            "按字节重新计算:是否一致?",
        ),
        "options" => Text::new("optional extensions to the header", "首部的可选扩展"),
        "payload_length" | "data_length" | "length" => {
            Text::new("bytes of data carried", "携带的数据字节数")
        }
        "text" => Text::new("the data as text", "数据的文本形式"),
        "bits" => Text::new("bits in the captured frame", "抓到的帧的比特数"),
        "preamble" => Text::new(
            "7 bytes 10101010 before the frame: clock sync (not in captures)",
            "帧前 7 字节 10101010:时钟同步(抓包中看不到)",
        ),
        "sfd" => Text::new(
            "start frame delimiter 10101011 (not in captures)",
            "帧首定界符 10101011(抓包中看不到)",
        ),
        "padding" => Text::new("zeros up to the 60-byte minimum", "补零到最短 60 字节"),
        "fcs" => Text::new(
            "CRC-32 over the frame, checked by every NIC and switch",
            "整帧的 CRC-32,网卡和交换机都会校验",
        ),
        "interframe_gap" => Text::new(
            "idle byte times before the next frame",
            "下一帧之前的空闲字节时间",
        ),
        _ => Text::new("", ""),
    }
}

fn fields(out: &mut dyn Write, ui: &Ui, frame: &[u8], d: &Dissection) -> io::Result<()> {
    let lang = ui.lang;
    let mut t = new_table(ui);
    t.set_header(vec![
        Msg::ColProtocol.get(lang),
        Msg::ColField.get(lang),
        Msg::ColValue.get(lang),
        Msg::ColBytes.get(lang),
        Msg::ColBits.get(lang),
        Msg::ColMeaning.get(lang),
    ]);
    for rec in &d.layers {
        let lk = look(Some(rec));
        for f in &rec.fields {
            let bytes = if f.span.is_empty() {
                "-".to_string()
            } else {
                format!("{}-{} ({})", f.span.start, f.span.end - 1, f.span.len())
            };
            t.add_row(vec![
                Cell::new(protocol_name(rec.protocol, lang)).fg(lk.table),
                Cell::new(field_name(rec.protocol, f.name, lang)),
                Cell::new(value_text(&f.value)),
                Cell::new(bytes),
                Cell::new(bit_pattern(frame, f)),
                Cell::new(field_meaning(rec, f).get(lang)),
            ]);
        }
    }
    writeln!(out, "{t}")
}

fn physical(out: &mut dyn Write, ui: &Ui, plan: &Plan, built: &[u8]) -> io::Result<()> {
    let lang = ui.lang;
    let wire = Wire::of(built, plan.speed);
    let padded = phy::pad(built);
    writeln!(
        out,
        "{}",
        heading(
            ui,
            &Msg::PhysicalHeading.fill(lang, &[&plan.speed, &speed_text(plan.speed)])
        )
    )?;
    let mut t = new_table(ui);
    t.set_header(vec![
        Msg::ColPart.get(lang),
        Msg::ColLayer.get(lang),
        Msg::ColBytesCount.get(lang),
        Msg::ColOnWire.get(lang),
    ]);
    let fcs_bytes = phy::fcs_bytes(&padded);
    let (l1, l2) = (OsiLayer::Physical, OsiLayer::DataLink);
    let rows: [(Msg, OsiLayer, usize, String); 6] = [
        (
            Msg::PartPreamble,
            l1,
            phy::PREAMBLE.len(),
            Msg::PreambleNote.fill(lang, &[&phy::wire_bits_text(&phy::PREAMBLE[..1])]),
        ),
        (
            Msg::PartSfd,
            l1,
            1,
            Msg::SfdNote.fill(lang, &[&phy::wire_bits_text(&[phy::SFD])]),
        ),
        (
            Msg::PartFrame,
            l2,
            wire.frame_len,
            Msg::FrameNote.get(lang).to_string(),
        ),
        (
            Msg::PartPadding,
            l2,
            wire.padding,
            Msg::PaddingNote.fill(lang, &[&phy::MIN_FRAME_LEN]),
        ),
        (
            Msg::PartFcs,
            l2,
            phy::FCS_LEN,
            Msg::FcsNote.fill(
                lang,
                &[
                    &format!("0x{:08x}", wire.fcs),
                    &hex_spaced(&fcs_bytes),
                    &hex::encode(fcs_bytes),
                ],
            ),
        ),
        (
            Msg::PartGap,
            l1,
            phy::INTERFRAME_GAP,
            Msg::GapNote.get(lang).to_string(),
        ),
    ];
    for (part, layer, n, note) in rows {
        t.add_row(vec![
            Cell::new(part.get(lang)),
            Cell::new(format!("{} {}", layer.number(), layer.name().get(lang))),
            Cell::new(n),
            Cell::new(note),
        ]);
    }
    writeln!(out, "{t}")?;
    let with_fcs = wire.frame_len + wire.padding + phy::FCS_LEN;
    writeln!(
        out,
        "{}",
        Msg::FrameSizes.fill(
            lang,
            &[
                &with_fcs,
                &phy::MIN_FRAME_WITH_FCS,
                &phy::MAX_FRAME_UNTAGGED,
                &phy::MIN_FRAME_LEN,
            ]
        )
    )?;
    writeln!(
        out,
        "{}",
        Msg::WireTotal.fill(
            lang,
            &[
                &wire.on_wire_bytes(),
                &wire.bits(),
                &duration_text(wire.duration_ps()),
                &speed_text(plan.speed),
                &wire.gap_bits(),
                &duration_text(wire.slot_ps()),
                &wire.frames_per_second(),
            ]
        )
    )
}

fn explain(
    out: &mut dyn Write,
    plan: &Plan,
    built: &[u8],
    d: &Dissection,
    lang: Lang,
) -> io::Result<()> {
    let mut steps: Vec<String> = Vec::new();
    let data = plan_payload(plan);
    let r = &plan.route;
    if plan.proto != Proto::Arp {
        let utf8_note = match std::str::from_utf8(data) {
            Ok(s) if s.chars().any(|c| c.len_utf8() > 1) => {
                Msg::ExplainUtf8.fill(lang, &[&s.chars().count(), &data.len()])
            }
            _ => String::new(),
        };
        steps.push(Msg::ExplainApp.fill(lang, &[&payload_phrase(data, lang), &utf8_note]));
    }
    if let (Some((sp, dp)), Some(rec)) = (
        plan.ports,
        d.layer(ProtocolId::Tcp)
            .or_else(|| d.layer(ProtocolId::Udp)),
    ) {
        let sclass = PortClass::of(sp).describe().get(lang);
        let dclass = PortClass::of(dp).describe().get(lang);
        let service = layers_transport::port_services(dp)
            .first()
            .map(|s| format!(" ({})", s.about.get(lang)))
            .unwrap_or_default();
        let header = rec.header.len();
        if rec.protocol == ProtocolId::Tcp {
            let flags = rec
                .field("flags")
                .map(|f| value_text(&f.value))
                .unwrap_or_default();
            let seq = rec
                .field("sequence")
                .map(|f| value_text(&f.value))
                .unwrap_or_default();
            let ack = rec
                .field("acknowledgment")
                .map(|f| value_text(&f.value))
                .unwrap_or_default();
            steps.push(Msg::ExplainTcp.fill(
                lang,
                &[
                    &header, &sp, &sclass, &dp, &dclass, &service, &flags, &seq, &ack,
                ],
            ));
        } else {
            steps
                .push(Msg::ExplainUdp.fill(lang, &[&header, &sp, &sclass, &dp, &dclass, &service]));
        }
    }
    if d.layer(ProtocolId::Icmp).is_some() {
        steps.push(Msg::ExplainIcmp.get(lang).to_string());
    }
    if let Some(ip) = d.layer(ProtocolId::Ipv4) {
        let ttl = ip
            .field("ttl")
            .map(|f| value_text(&f.value))
            .unwrap_or_default();
        let proto = ip
            .field("protocol")
            .map(|f| value_text(&f.value))
            .unwrap_or_default();
        steps.push(Msg::ExplainIp.fill(
            lang,
            &[
                &ip.header.len(),
                &r.source.addr(),
                &r.destination,
                &ttl,
                &proto,
            ],
        ));
    }
    let decision = match (plan.destination, r.hop) {
        (Destination::LimitedBroadcast | Destination::DirectedBroadcast, _) => {
            Msg::ExplainBroadcast.fill(lang, &[&r.destination])
        }
        (Destination::Multicast, _) => {
            Msg::ExplainMulticast.fill(lang, &[&r.destination, &plan.spec.destination_mac])
        }
        (_, NextHop::Direct) => Msg::ExplainDirect.fill(
            lang,
            &[
                &r.source.mask(),
                &r.source_network,
                &r.destination,
                &r.destination_network,
            ],
        ),
        (_, NextHop::Gateway(gw)) => Msg::ExplainGateway.fill(
            lang,
            &[
                &r.source.mask(),
                &r.source_network,
                &r.destination,
                &r.destination_network,
                &gw,
            ],
        ),
    };
    steps.push(decision);
    if plan.proto == Proto::Arp {
        steps.push(Msg::ExplainArp.fill(
            lang,
            &[&r.next_hop_ip(), &plan.source.addr(), &plan.spec.source_mac],
        ));
    }
    let eth_len = d
        .layer(ProtocolId::Ethernet2)
        .map(|r| r.header.len())
        .unwrap_or(14);
    let ethertype = d
        .layer(ProtocolId::Ethernet2)
        .and_then(|r| r.field("ethertype"))
        .map(|f| value_text(&f.value))
        .unwrap_or_default();
    steps.push(Msg::ExplainEthernet.fill(
        lang,
        &[
            &eth_len,
            &plan.spec.destination_mac,
            &plan.spec.source_mac,
            &ethertype,
        ],
    ));
    if let Some(vlan) = plan.spec.vlan {
        steps.push(Msg::ExplainVlan.fill(lang, &[&vlan.id, &vlan.pcp]));
    }
    let wire = Wire::of(built, plan.speed);
    steps.push(Msg::ExplainMac.fill(
        lang,
        &[
            &wire.padding,
            &(wire.frame_len + wire.padding + phy::FCS_LEN),
            &phy::MIN_FRAME_WITH_FCS,
            &phy::MAX_FRAME_UNTAGGED,
        ],
    ));
    steps.push(Msg::ExplainPhysical.fill(
        lang,
        &[
            &wire.on_wire_bytes(),
            &wire.bits(),
            &duration_text(wire.duration_ps()),
            &speed_text(plan.speed),
        ],
    ));
    for (i, s) in steps.iter().enumerate() {
        writeln!(out, "{}. {s}", i + 1)?;
    }
    Ok(())
}
