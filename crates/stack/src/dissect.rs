//! Decapsulation: a frame dissected bottom-up into layer records, laxly: everything that
//! parsed is kept, and where a layer breaks the walk stops with the layer, the byte offset
//! and the reason.
//!
//! This is the only place that maps an EtherType or an IP protocol number to the next layer.

use std::net::Ipv4Addr;

use etherparse::{
    checksum::Sum16BitWords, ArpPacketSlice, Ipv4HeaderSlice, TcpHeaderSlice, TcpOptionElement,
};
use layers_application::{http_line, recognise, HttpLine};
use layers_ethernet::{
    ethertype_hex, Mac, ETHERNET2_FIELDS, ETHERNET2_LEN, VLAN_FIELDS, VLAN_TAG_LEN,
};
use layers_osi::{protocol, FieldSpec, LayerRecord, OsiLayer, Span, Stop, StopKind, Text};
use layers_physical as phy;
use layers_transport::{tcp_option_name, TcpFlags, TCP_FIELDS, TCP_MIN_LEN, UDP_FIELDS, UDP_LEN};
use serde_json::{json, Value};

/// The layers of one frame, bottom-up, and what went wrong in them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Dissection {
    /// Layer records, bottom-up; the first is the physical layer.
    pub layers: Vec<LayerRecord>,
    /// Where dissection stopped, and non-fatal problems (bad checksums), in frame order.
    pub errors: Vec<Stop>,
}

impl Dissection {
    /// The record of the protocol named `name`, if the frame has one.
    pub fn layer(&self, name: &str) -> Option<&LayerRecord> {
        self.layers.iter().find(|l| l.protocol.name == name)
    }

    /// The record that holds byte `i`'s own header (innermost first), if any.
    pub fn owner_of(&self, i: usize) -> Option<&LayerRecord> {
        self.layers
            .iter()
            .rev()
            .find(|l| l.header.contains(i) && l.layer() != OsiLayer::Physical)
    }
}

/// Dissects an Ethernet frame (as captured: no preamble, no FCS).
pub fn dissect_ethernet(frame: &[u8]) -> Dissection {
    let mut w = Walker {
        frame,
        out: Dissection::default(),
        packet_end: None,
    };
    w.ethernet();
    w.finish()
}

/// How a transport layer sees the IPv4 packet around it.
#[derive(Clone, Copy)]
struct IpContext {
    source: [u8; 4],
    destination: [u8; 4],
    /// Where the packet ends by its total length (may be past the frame's end).
    declared_end: usize,
    /// Whether every byte the total length promises is in the frame.
    complete: bool,
    /// Whether this is the first of several fragments (so the transport data is partial).
    fragmented: bool,
}

impl IpContext {
    /// The transport checksum can be verified only over the whole, unfragmented payload.
    fn checksum_verifiable(&self) -> bool {
        self.complete && !self.fragmented
    }
}

struct Walker<'a> {
    frame: &'a [u8],
    out: Dissection,
    packet_end: Option<usize>,
}

fn hex16(v: u16) -> String {
    format!("0x{v:04x}")
}

fn truncated(
    what: Text,
    needed: usize,
    present: usize,
    length_from: Option<&'static str>,
) -> StopKind {
    StopKind::Truncated {
        what,
        needed,
        present,
        length_from,
    }
}

fn record(name: &str, span: Span, header: Span) -> LayerRecord {
    LayerRecord::new(
        protocol(name).unwrap_or_else(|| panic!("protocol {name} missing from layers-osi")),
        span,
        header,
    )
}

fn spec<'t>(table: &'t [FieldSpec], name: &str) -> &'t FieldSpec {
    layers_osi::find_spec(table, name)
        .unwrap_or_else(|| panic!("field {name} missing from its table"))
}

/// The value the pseudo-header alone sums to: what a sender that leaves the checksum to
/// its NIC (checksum offload) puts in the field.
fn pseudo_header_sum(source: [u8; 4], destination: [u8; 4], proto: u8, len: usize) -> u16 {
    let len = u16::try_from(len).unwrap_or(u16::MAX);
    !Sum16BitWords::new()
        .add_4bytes(source)
        .add_4bytes(destination)
        .add_2bytes([0, proto])
        .add_2bytes(len.to_be_bytes())
        .ones_complement()
        .to_be()
}

impl Walker<'_> {
    fn stop(&mut self, layer: OsiLayer, protocol: &'static str, offset: usize, kind: StopKind) {
        self.out.errors.push(Stop {
            layer,
            protocol,
            offset,
            kind,
        });
    }

    fn ethernet(&mut self) {
        let frame = self.frame;
        if frame.len() < ETHERNET2_LEN {
            let what = Text::new("Ethernet II header", "以太网 II 首部");
            self.stop(
                OsiLayer::DataLink,
                "Ethernet II",
                0,
                truncated(what, ETHERNET2_LEN, frame.len(), None),
            );
            return;
        }
        let mut rec = record(
            "Ethernet II",
            Span::new(0, frame.len()),
            Span::new(0, ETHERNET2_LEN),
        );
        let mac = |at: usize| Mac(frame[at..at + 6].try_into().expect("6 bytes")).to_string();
        rec.push(spec(ETHERNET2_FIELDS, "destination"), 0, mac(0));
        rec.push(spec(ETHERNET2_FIELDS, "source"), 0, mac(6));
        let mut ethertype = u16::from_be_bytes([frame[12], frame[13]]);
        rec.push(
            spec(ETHERNET2_FIELDS, "ethertype"),
            0,
            ethertype_hex(ethertype),
        );
        self.out.layers.push(rec);

        let mut off = ETHERNET2_LEN;
        // 802.1Q (0x8100), 802.1ad (0x88a8) and the old QinQ (0x9100): one record per tag.
        while matches!(ethertype, 0x8100 | 0x88a8 | 0x9100) {
            if frame.len() < off + VLAN_TAG_LEN {
                let what = Text::new("802.1Q tag", "802.1Q 标签");
                self.stop(
                    OsiLayer::DataLink,
                    "802.1Q",
                    off,
                    truncated(what, VLAN_TAG_LEN, frame.len() - off, None),
                );
                return;
            }
            let tag = &frame[off..off + VLAN_TAG_LEN];
            let mut rec = record(
                "802.1Q",
                Span::new(off, frame.len()),
                Span::new(off, off + VLAN_TAG_LEN),
            );
            for f in VLAN_FIELDS {
                let v = f.read(tag).expect("the tag holds 4 bytes");
                match f.name {
                    "dei" => rec.push(f, off, v == 1),
                    "ethertype" => rec.push(f, off, ethertype_hex(v as u16)),
                    _ => rec.push(f, off, v),
                }
            }
            ethertype = u16::from_be_bytes([tag[2], tag[3]]);
            self.out.layers.push(rec);
            off += VLAN_TAG_LEN;
        }

        match ethertype {
            0x0800 => self.ipv4(off),
            0x0806 => self.arp(off),
            0..=1500 => self.stop(
                OsiLayer::DataLink,
                "Ethernet II",
                off - 2,
                StopKind::Unsupported {
                    what: Text::new(
                        "IEEE 802.3 length field (LLC frame)",
                        "IEEE 802.3 长度字段(LLC 帧)",
                    ),
                    value: ethertype.to_string(),
                },
            ),
            other => self.stop(
                OsiLayer::DataLink,
                "Ethernet II",
                off - 2,
                StopKind::Unsupported {
                    what: Text::new("EtherType", "以太网类型"),
                    value: match layers_ethernet::ethertype_name(other) {
                        Some(name) => format!("{} ({name})", ethertype_hex(other)),
                        None => ethertype_hex(other),
                    },
                },
            ),
        }
    }

    fn arp(&mut self, off: usize) {
        let data = &self.frame[off..];
        let slice = match ArpPacketSlice::from_slice(data) {
            Ok(s) => s,
            Err(e) => {
                let what = Text::new("ARP packet", "ARP 数据包");
                let from = (data.len() >= layers_arp::ARP_FIXED_LEN)
                    .then_some("hardware_size/protocol_size");
                self.stop(
                    OsiLayer::DataLink,
                    "ARP",
                    off,
                    truncated(what, e.required_len, data.len(), from),
                );
                return;
            }
        };
        let len = slice.slice().len();
        let mut rec = record("ARP", Span::new(off, off + len), Span::new(off, off + len));
        let table = layers_arp::ARP_FIELDS;
        let standard = slice.hw_addr_size() == 6 && slice.proto_addr_size() == 4;
        for f in table {
            if f.offset >= layers_arp::ARP_FIXED_LEN && !standard {
                break;
            }
            let bytes = &data[f.offset..f.offset + f.len];
            let value: Value = match f.name {
                "protocol_type" => hex16(u16::from_be_bytes([bytes[0], bytes[1]])).into(),
                "sender_mac" | "target_mac" => {
                    Mac(bytes.try_into().expect("6 bytes")).to_string().into()
                }
                "sender_ip" | "target_ip" => {
                    Ipv4Addr::from(<[u8; 4]>::try_from(bytes).expect("4 bytes"))
                        .to_string()
                        .into()
                }
                _ => f.read(data).expect("short fields fit").into(),
            };
            rec.push(f, off, value);
        }
        if !standard {
            let rest = Span::new(off + layers_arp::ARP_FIXED_LEN, off + len);
            rec.push_at(
                "addresses",
                rest,
                hex::encode(&data[layers_arp::ARP_FIXED_LEN..len]),
            );
        }
        self.out.layers.push(rec);
        self.packet_end = Some(off + len);
    }

    fn ipv4(&mut self, off: usize) {
        const P: &str = "IPv4";
        let what = Text::new("IPv4 header", "IPv4 首部");
        let frame = self.frame;
        let data = &frame[off..];
        let net = OsiLayer::Network;
        if data.is_empty() {
            self.stop(net, P, off, truncated(what, 20, 0, None));
            return;
        }
        let version = data[0] >> 4;
        if version != 4 {
            let expected = Text::new(
                "4 (EtherType 0x0800 promises IPv4)",
                "4(以太网类型 0x0800 表示 IPv4)",
            );
            self.stop(
                net,
                P,
                off,
                StopKind::Invalid {
                    field: "version",
                    value: version.to_string(),
                    expected,
                },
            );
            return;
        }
        let ihl = usize::from(data[0] & 0x0f) * 4;
        if ihl < 20 {
            let expected = Text::new("at least 20 bytes (IHL 5)", "至少 20 字节(IHL 为 5)");
            self.stop(
                net,
                P,
                off,
                StopKind::Invalid {
                    field: "header_length",
                    value: format!("{ihl} bytes"),
                    expected,
                },
            );
            return;
        }
        if data.len() < 20 {
            self.stop(net, P, off, truncated(what, 20, data.len(), None));
            return;
        }
        if data.len() < ihl {
            self.stop(
                net,
                P,
                off,
                truncated(what, ihl, data.len(), Some("header_length")),
            );
            return;
        }
        let h = match Ipv4HeaderSlice::from_slice(&data[..ihl]) {
            Ok(h) => h,
            Err(e) => {
                let expected = Text::new("a valid IPv4 header", "有效的 IPv4 首部");
                self.stop(
                    net,
                    P,
                    off,
                    StopKind::Invalid {
                        field: "header",
                        value: e.to_string(),
                        expected,
                    },
                );
                return;
            }
        };
        let total = usize::from(h.total_len());
        if total < ihl {
            let expected = Text::new("at least the header length", "不小于首部长度");
            self.stop(
                net,
                P,
                off + 2,
                StopKind::Invalid {
                    field: "total_length",
                    value: total.to_string(),
                    expected,
                },
            );
            return;
        }
        let declared_end = off + total;
        let end = declared_end.min(frame.len());
        let mut rec = record(P, Span::new(off, end), Span::new(off, off + ihl));
        let t = layers_ipv4::IPV4_FIELDS;
        let found = h.header_checksum();
        let computed = h.to_header().calc_header_checksum();
        rec.push(spec(t, "version"), off, version);
        rec.push(spec(t, "header_length"), off, ihl);
        rec.push(spec(t, "dscp"), off, h.dcp().value());
        rec.push(spec(t, "ecn"), off, h.ecn().value());
        rec.push(spec(t, "total_length"), off, total);
        rec.push(spec(t, "identification"), off, h.identification());
        rec.push(spec(t, "dont_fragment"), off, h.dont_fragment());
        rec.push(spec(t, "more_fragments"), off, h.more_fragments());
        let frag_bytes = usize::from(h.fragments_offset().value()) * 8;
        rec.push(spec(t, "fragment_offset"), off, frag_bytes);
        rec.push(spec(t, "ttl"), off, h.ttl());
        rec.push(spec(t, "protocol"), off, h.protocol().0);
        rec.push(spec(t, "checksum"), off, hex16(found));
        rec.push_at(
            "checksum_valid",
            spec(t, "checksum").span(off),
            found == computed,
        );
        rec.push(spec(t, "source"), off, h.source_addr().to_string());
        rec.push(
            spec(t, "destination"),
            off,
            h.destination_addr().to_string(),
        );
        if ihl > 20 {
            rec.push_at(
                "options",
                Span::new(off + 20, off + ihl),
                hex::encode(h.options()),
            );
        }
        self.out.layers.push(rec);
        if found != computed {
            let kind = StopKind::BadChecksum {
                found,
                expected: computed,
                offload: false,
            };
            self.stop(net, P, off + 10, kind);
        }
        self.packet_end = Some(end);

        if frag_bytes != 0 {
            // A later fragment: its bytes continue the first fragment's data; no transport
            // header here.
            return;
        }
        let ip = IpContext {
            source: h.source(),
            destination: h.destination(),
            declared_end,
            complete: declared_end <= frame.len(),
            fragmented: h.more_fragments(),
        };
        let start = off + ihl;
        match h.protocol().0 {
            6 => self.tcp(start, end, ip),
            17 => self.udp(start, end, ip),
            1 => self.icmp(start, end, ip),
            other => self.stop(
                net,
                P,
                off + 9,
                StopKind::Unsupported {
                    what: Text::new("IP protocol", "IP 协议号"),
                    value: match layers_ipv4::ip_protocol_name(other) {
                        Some(name) => format!("{other} ({name})"),
                        None => other.to_string(),
                    },
                },
            ),
        }
    }

    /// Records a transport checksum: valid, invalid (with the right value), or not verifiable.
    fn l4_checksum(
        &mut self,
        rec: &mut LayerRecord,
        table: &[FieldSpec],
        off: usize,
        found: u16,
        computed: Option<u16>,
        offload_sum: Option<u16>,
    ) {
        rec.push(spec(table, "checksum"), off, hex16(found));
        let valid = computed.map(|c| c == found);
        rec.push_at("checksum_valid", spec(table, "checksum").span(off), valid);
        if let (Some(false), Some(expected)) = (valid, computed) {
            let offload = offload_sum == Some(found);
            let name = rec.protocol.name;
            let at = spec(table, "checksum").span(off).start;
            self.stop(
                rec.layer(),
                name,
                at,
                StopKind::BadChecksum {
                    found,
                    expected,
                    offload,
                },
            );
        }
    }

    fn tcp(&mut self, off: usize, end: usize, ip: IpContext) {
        const P: &str = "TCP";
        let what = Text::new("TCP header", "TCP 首部");
        let data = &self.frame[off..end];
        let l4 = OsiLayer::Transport;
        if data.len() < TCP_MIN_LEN {
            self.stop(l4, P, off, truncated(what, TCP_MIN_LEN, data.len(), None));
            return;
        }
        let hlen = usize::from(data[12] >> 4) * 4;
        if hlen < TCP_MIN_LEN {
            let expected = Text::new(
                "at least 20 bytes (data offset 5)",
                "至少 20 字节(数据偏移为 5)",
            );
            self.stop(
                l4,
                P,
                off + 12,
                StopKind::Invalid {
                    field: "header_length",
                    value: format!("{hlen} bytes"),
                    expected,
                },
            );
            return;
        }
        if data.len() < hlen {
            self.stop(
                l4,
                P,
                off,
                truncated(what, hlen, data.len(), Some("header_length")),
            );
            return;
        }
        let Ok(h) = TcpHeaderSlice::from_slice(&data[..hlen]) else {
            self.stop(
                l4,
                P,
                off,
                truncated(what, hlen, data.len(), Some("header_length")),
            );
            return;
        };
        let t = TCP_FIELDS;
        let declared_payload = ip.declared_end.saturating_sub(off + hlen);
        let payload = &data[hlen..];
        let mut rec = record(P, Span::new(off, end), Span::new(off, off + hlen));
        rec.push(spec(t, "source_port"), off, h.source_port());
        rec.push(spec(t, "destination_port"), off, h.destination_port());
        rec.push(spec(t, "sequence"), off, h.sequence_number());
        rec.push(spec(t, "acknowledgment"), off, h.acknowledgment_number());
        rec.push(spec(t, "header_length"), off, hlen);
        rec.push(spec(t, "flags"), off, TcpFlags(data[13]).names());
        rec.push(spec(t, "window"), off, h.window_size());
        let computed = ip
            .checksum_verifiable()
            .then(|| {
                h.calc_checksum_ipv4_raw(ip.source, ip.destination, payload)
                    .ok()
            })
            .flatten();
        let offload = pseudo_header_sum(ip.source, ip.destination, 6, hlen + payload.len());
        self.l4_checksum(&mut rec, t, off, h.checksum(), computed, Some(offload));
        rec.push(spec(t, "urgent_pointer"), off, h.urgent_pointer());
        if hlen > TCP_MIN_LEN {
            let (options, problem) = tcp_options(&h);
            rec.push_at("options", Span::new(off + TCP_MIN_LEN, off + hlen), options);
            if let Some(problem) = problem {
                let expected = Text::new("well-formed TCP options", "格式正确的 TCP 选项");
                self.stop(
                    l4,
                    P,
                    off + TCP_MIN_LEN,
                    StopKind::Invalid {
                        field: "options",
                        value: problem,
                        expected,
                    },
                );
            }
        } else {
            rec.push_at(
                "options",
                Span::new(off + hlen, off + hlen),
                Vec::<Value>::new(),
            );
        }
        rec.push_at(
            "payload_length",
            Span::new(off + hlen, end),
            declared_payload,
        );
        self.out.layers.push(rec);
        if declared_payload > 0 {
            self.application(
                off + hlen,
                end,
                declared_payload,
                h.source_port(),
                h.destination_port(),
            );
        }
    }

    fn udp(&mut self, off: usize, end: usize, ip: IpContext) {
        const P: &str = "UDP";
        let what = Text::new("UDP header", "UDP 首部");
        let data = &self.frame[off..end];
        let l4 = OsiLayer::Transport;
        if data.len() < UDP_LEN {
            self.stop(l4, P, off, truncated(what, UDP_LEN, data.len(), None));
            return;
        }
        let t = UDP_FIELDS;
        let length = usize::from(u16::from_be_bytes([data[4], data[5]]));
        let ip_payload = ip.declared_end - off;
        if length < UDP_LEN || length > ip_payload {
            let expected = Text::new(
                "between 8 and the IPv4 payload length",
                "介于 8 与 IPv4 载荷长度之间",
            );
            let value = format!("{length} (IPv4 payload {ip_payload})");
            self.stop(
                l4,
                P,
                off + 4,
                StopKind::Invalid {
                    field: "length",
                    value,
                    expected,
                },
            );
            return;
        }
        let udp_end = (off + length).min(end);
        let payload = &self.frame[off + UDP_LEN..udp_end];
        let (h, _) = etherparse::UdpHeader::from_slice(data).expect("8 bytes checked");
        let mut rec = record(P, Span::new(off, udp_end), Span::new(off, off + UDP_LEN));
        rec.push(spec(t, "source_port"), off, h.source_port);
        rec.push(spec(t, "destination_port"), off, h.destination_port);
        rec.push(spec(t, "length"), off, length);
        let complete = ip.checksum_verifiable() && off + length <= self.frame.len();
        let computed = (complete && h.checksum != 0)
            .then(|| {
                h.calc_checksum_ipv4_raw(ip.source, ip.destination, payload)
                    .ok()
            })
            .flatten();
        let offload = pseudo_header_sum(ip.source, ip.destination, 17, length);
        self.l4_checksum(&mut rec, t, off, h.checksum, computed, Some(offload));
        self.out.layers.push(rec);
        if length < ip_payload {
            let expected = Text::new("the IPv4 payload length", "等于 IPv4 载荷长度");
            let value = format!("{length} (IPv4 payload {ip_payload})");
            self.stop(
                l4,
                P,
                off + 4,
                StopKind::Invalid {
                    field: "length",
                    value,
                    expected,
                },
            );
        }
        if length > UDP_LEN {
            self.application(
                off + UDP_LEN,
                udp_end,
                length - UDP_LEN,
                h.source_port,
                h.destination_port,
            );
        }
    }

    fn icmp(&mut self, off: usize, end: usize, ip: IpContext) {
        const P: &str = "ICMP";
        let what = Text::new("ICMP header", "ICMP 首部");
        let data = &self.frame[off..end];
        if data.len() < 8 {
            self.stop(
                OsiLayer::Network,
                P,
                off,
                truncated(what, 8, data.len(), None),
            );
            return;
        }
        let t = layers_ipv4::ICMP_FIELDS;
        let mut rec = record(P, Span::new(off, end), Span::new(off, end));
        let icmp_type = data[0];
        rec.push(spec(t, "type"), off, icmp_type);
        rec.push(spec(t, "code"), off, data[1]);
        let found = u16::from_be_bytes([data[2], data[3]]);
        let computed = ip.checksum_verifiable().then(|| {
            Sum16BitWords::new()
                .add_2bytes([data[0], data[1]])
                .add_slice(&data[4..])
                .ones_complement()
                // etherparse sums in native byte order; this turns it back into wire order.
                .to_be()
        });
        self.l4_checksum(&mut rec, t, off, found, computed, None);
        if matches!(icmp_type, 0 | 8) {
            rec.push(
                spec(t, "identifier"),
                off,
                spec(t, "identifier").read(data).unwrap_or(0),
            );
            rec.push(
                spec(t, "sequence"),
                off,
                spec(t, "sequence").read(data).unwrap_or(0),
            );
        }
        rec.push_at(
            "data_length",
            Span::new(off + 8, end),
            ip.declared_end.saturating_sub(off + 8),
        );
        self.out.layers.push(rec);
        if !ip.complete {
            let what = Text::new("ICMP message", "ICMP 报文");
            let kind = truncated(
                what,
                ip.declared_end - off,
                data.len(),
                Some("IPv4 total_length"),
            );
            self.stop(OsiLayer::Network, P, off, kind);
        }
    }

    fn application(
        &mut self,
        off: usize,
        end: usize,
        declared: usize,
        source_port: u16,
        destination_port: u16,
    ) {
        let data = &self.frame[off..end];
        let app = recognise(data, source_port, destination_port);
        let mut rec = LayerRecord::new(app.protocol, Span::new(off, end), Span::new(off, end));
        let span = Span::new(off, end);
        rec.push_at("length", span, declared);
        rec.push_at("text", span, app.text);
        if let Some(line) = app.first_line.as_deref() {
            let line_span = Span::new(off, off + line.len());
            match http_line(line) {
                Some(HttpLine::Request {
                    method,
                    uri,
                    version,
                }) => {
                    rec.push_at("method", line_span, method);
                    rec.push_at("uri", line_span, uri);
                    rec.push_at("version", line_span, version);
                }
                Some(HttpLine::Response {
                    version,
                    status,
                    reason,
                }) => {
                    rec.push_at("version", line_span, version);
                    rec.push_at("status", line_span, status);
                    rec.push_at("reason", line_span, reason);
                }
                None => rec.push_at("command", line_span, line),
            }
        }
        let name = rec.protocol.name;
        self.out.layers.push(rec);
        if data.len() < declared {
            let what = Text::new("the data", "数据");
            let kind = truncated(what, declared, data.len(), Some("IPv4 total_length"));
            self.stop(OsiLayer::Application, name, off, kind);
        }
    }

    /// Puts the physical record first: what the wire adds around the captured bytes.
    fn finish(mut self) -> Dissection {
        let len = self.frame.len();
        let content_end = self.packet_end.unwrap_or(len).min(len);
        let padded = phy::pad(self.frame);
        let mut rec = record("Ethernet PHY", Span::new(0, len), Span::new(0, 0));
        let start = Span::new(0, 0);
        let after = Span::new(len, len);
        rec.push_at("bits", Span::new(0, len), len * 8);
        rec.push_at("preamble", start, hex::encode(phy::PREAMBLE));
        rec.push_at("sfd", start, format!("0x{:02x}", phy::SFD));
        rec.push_at(
            "padding",
            Span::new(content_end, len),
            (len - content_end) + phy::padding_for(len),
        );
        // As Wireshark shows it: the four bytes in the order they follow the frame.
        rec.push_at(
            "fcs",
            after,
            format!("0x{}", hex::encode(phy::fcs_bytes(&padded))),
        );
        rec.push_at("interframe_gap", after, phy::INTERFRAME_GAP);
        self.out.layers.insert(0, rec);
        self.out.errors.sort_by_key(|e| e.offset);
        self.out
    }
}

/// A TCP header's options as the JSON contract has them, and the first problem, if any.
fn tcp_options(h: &TcpHeaderSlice<'_>) -> (Vec<Value>, Option<String>) {
    let mut out = Vec::new();
    for item in h.options_iterator() {
        match item {
            Ok(opt) => out.push(match opt {
                TcpOptionElement::Noop => json!({"kind": tcp_option_name(1)}),
                TcpOptionElement::MaximumSegmentSize(v) => {
                    json!({"kind": tcp_option_name(2), "value": v})
                }
                TcpOptionElement::WindowScale(v) => json!({"kind": tcp_option_name(3), "value": v}),
                TcpOptionElement::SelectiveAcknowledgementPermitted => {
                    json!({"kind": tcp_option_name(4)})
                }
                TcpOptionElement::SelectiveAcknowledgement(first, rest) => {
                    let blocks: Vec<[u32; 2]> = std::iter::once(first)
                        .chain(rest.into_iter().flatten())
                        .map(|(l, r)| [l, r])
                        .collect();
                    json!({"kind": tcp_option_name(5), "value": blocks})
                }
                TcpOptionElement::Timestamp(val, ecr) => {
                    json!({"kind": tcp_option_name(8), "value": [val, ecr]})
                }
            }),
            Err(e) => return (out, Some(e.to_string())),
        }
    }
    (out, None)
}
