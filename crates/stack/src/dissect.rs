//! Decapsulation: a frame dissected bottom-up into layer records, laxly: everything that
//! parsed is kept, and where a layer breaks the walk stops with the layer, the byte offset
//! and the reason.
//!
//! This is the only place that maps an EtherType or an IP protocol number to the next layer.

use std::net::Ipv4Addr;

use etherparse::{
    checksum::Sum16BitWords, ArpPacketSlice, Ipv6ExtensionSlice, Ipv6ExtensionsSlice,
    Ipv6HeaderSlice, TcpHeaderSlice, TcpOptionElement, TcpOptionsIterator,
};
use layers_application::{
    dns, http_headers, http_line, recognise, recognise_protocol, HttpLine, Recognised,
};
use layers_ethernet::{
    ethertype_hex, ETHERNET2_FIELDS, ETHERNET2_LEN, IEEE8023_FIELDS, LLC_FIELDS, SLL2_FIELDS,
    SLL2_LEN, SLL_FIELDS, SLL_LEN, VLAN_FIELDS, VLAN_TAG_LEN,
};
use layers_osi::FieldValue as Value;
use layers_osi::{
    FieldSpec, LayerRecord, LinkType, OsiLayer, ProtocolId, Span, Stop, StopKind, Text,
};
use layers_physical as phy;
use layers_transport::{
    tcp_option_name, TcpFlags, TCP_FIELDS, TCP_FLAG_BIT_NAMES, TCP_MIN_LEN, UDP_FIELDS, UDP_LEN,
};

/// The layers of one frame, bottom-up, and what went wrong in them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Dissection {
    /// Layer records, bottom-up; the first is the physical layer.
    pub layers: Vec<LayerRecord>,
    /// Where dissection stopped, and non-fatal problems (bad checksums), in frame order.
    pub errors: Vec<Stop>,
}

impl Dissection {
    /// The record of protocol `id`, if the frame has one.
    pub fn layer(&self, id: ProtocolId) -> Option<&LayerRecord> {
        self.layers.iter().find(|l| l.protocol == id)
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
    dissect(LinkType::Ethernet, frame, frame.len())
}

/// Dissects a frame of link type `link`, of which `original_length` bytes were on the wire.
pub fn dissect(link: LinkType, frame: &[u8], original_length: usize) -> Dissection {
    dissect_with_fcs(link, frame, original_length, 0)
}

/// How much of each layer a walk keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Detail {
    /// Every field, with its span: what the tree, JSON, hex and diagram views show.
    Full,
    /// Protocols, spans and stops, no field: what `--stats` counts. Verifies the same
    /// checksums and finds the same stops as [`Detail::Full`], and allocates nothing for
    /// a well-formed frame once `out` has grown to its size.
    Summary,
}

/// Like [`dissect`], for a capture whose Ethernet frames end with their `fcs_len`-byte FCS
/// (what the pcap link type's FCS bits or pcapng's `if_fcslen` say): the FCS is shown,
/// checked, and not taken for padding.
pub fn dissect_with_fcs(
    link: LinkType,
    frame: &[u8],
    original_length: usize,
    fcs_len: usize,
) -> Dissection {
    let mut out = Dissection::default();
    dissect_into(
        link,
        frame,
        original_length,
        fcs_len,
        Detail::Full,
        &mut out,
    );
    out
}

/// Dissects into `out` (cleared first, its memory reused): the walk every view shares.
pub fn dissect_into(
    link: LinkType,
    frame: &[u8],
    original_length: usize,
    fcs_len: usize,
    detail: Detail,
    out: &mut Dissection,
) {
    out.layers.clear();
    out.errors.clear();
    // The FCS ends the wire frame: the capture holds it only if nothing was cut.
    let kept = link == LinkType::Ethernet
        && fcs_len > 0
        && frame.len() >= original_length
        && frame.len() >= ETHERNET2_LEN + fcs_len;
    let (frame, fcs) = if kept {
        let (body, fcs) = frame.split_at(frame.len() - fcs_len);
        (body, Some(fcs))
    } else {
        (frame, None)
    };
    let original_length = if link == LinkType::Ethernet {
        original_length.saturating_sub(fcs_len)
    } else {
        original_length
    };
    let mut w = Walker {
        frame,
        out,
        packet_end: None,
        wire_length: original_length.max(frame.len()),
        quoted: false,
        summary: detail == Detail::Summary,
    };
    match link {
        LinkType::Ethernet => w.ethernet(),
        LinkType::RawIp => w.ip(0, None),
        LinkType::Ipv4 => w.ip(0, Some(4)),
        LinkType::Ipv6 => w.ip(0, Some(6)),
        LinkType::LinuxSll => w.sll(false),
        LinkType::LinuxSll2 => w.sll(true),
        LinkType::Other(n) => w.out.errors.push(Stop {
            layer: OsiLayer::DataLink,
            protocol: None,
            offset: 0,
            kind: StopKind::Unsupported {
                what: Text::new("link type", "链路类型"),
                value: match layers_osi::link_type_name(n) {
                    Some(name) => format!("{n} ({name})"),
                    None => n.to_string(),
                },
            },
        }),
    }
    w.finish(link, original_length, fcs);
}

/// The addresses of the IP packet around a transport header.
#[derive(Clone, Copy)]
enum Addrs {
    V4([u8; 4], [u8; 4]),
    V6([u8; 16], [u8; 16]),
}

impl Addrs {
    /// The TCP or UDP checksum `segment` should carry (its checksum field, at `at`, taken
    /// as 0), with the pseudo-header of RFC 9293 3.1 or RFC 8200 8.1.
    fn segment_sum(&self, proto: u8, segment: &[u8], at: usize) -> u16 {
        let len = u32::try_from(segment.len()).unwrap_or(u32::MAX);
        let sum = match self {
            Addrs::V4(s, d) => Sum16BitWords::new()
                .add_4bytes(*s)
                .add_4bytes(*d)
                .add_2bytes([0, proto])
                .add_2bytes(u16::try_from(len).unwrap_or(u16::MAX).to_be_bytes()),
            Addrs::V6(s, d) => Sum16BitWords::new()
                .add_16bytes(*s)
                .add_16bytes(*d)
                .add_4bytes(len.to_be_bytes())
                .add_4bytes([0, 0, 0, proto]),
        };
        sum.add_slice(&segment[..at])
            .add_slice(&segment[at + 2..])
            .ones_complement()
            .to_be()
    }

    /// The pseudo-header sum the sender puts in the field when it leaves the checksum to
    /// its NIC (checksum offload).
    fn offload_sum(&self, proto: u8, len: usize) -> u16 {
        let mut sum = Sum16BitWords::new();
        sum = match self {
            Addrs::V4(s, d) => sum.add_4bytes(*s).add_4bytes(*d),
            Addrs::V6(s, d) => sum.add_16bytes(*s).add_16bytes(*d),
        };
        let len = u16::try_from(len).unwrap_or(u16::MAX);
        !sum.add_2bytes([0, proto])
            .add_2bytes(len.to_be_bytes())
            .ones_complement()
            .to_be()
    }
}

/// What kind of ICMP message is being dissected.
#[derive(Clone, Copy)]
struct IcmpKind {
    id: ProtocolId,
    /// An error that quotes the datagram behind it.
    quotes: bool,
    /// An echo request or reply, with identifier and sequence.
    echo: bool,
}

/// How a transport layer sees the IP packet around it.
#[derive(Clone, Copy)]
struct IpContext {
    addrs: Addrs,
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

struct Walker<'a, 'o> {
    frame: &'a [u8],
    out: &'o mut Dissection,
    /// Build summary records (no fields) and skip what only the views need.
    summary: bool,
    packet_end: Option<usize>,
    /// How long the frame was on the wire: a length field that promises more than the
    /// capture kept lies only if it promises more than this too.
    wire_length: usize,
    /// Inside the datagram an ICMP error quotes: records are marked quoted, and the quote
    /// being short is no error.
    quoted: bool,
}

fn hex16(v: u16) -> Value {
    Value::hex16(v)
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
        first_missing: None,
    }
}

/// Pushes every field of `table` whose bytes `have` (the header's first bytes, at `off` in
/// the frame) holds, each valued by `value` from its raw bits; returns the first field whose
/// bytes are not all there, with its offset in the frame.
fn present_fields(
    rec: &mut LayerRecord,
    table: &'static [FieldSpec],
    off: usize,
    have: &[u8],
    value: impl Fn(&FieldSpec, u32) -> Value,
) -> Option<(&'static str, usize)> {
    for f in table {
        if f.offset + f.len > have.len() {
            return Some((f.name, off + f.offset));
        }
        if !rec.is_summary() {
            if let Some(raw) = f.read(have) {
                rec.push(f, off, value(f, raw));
            }
        }
    }
    None
}

/// A TCP header field's value from its raw bits, as the JSON contract types it.
fn tcp_value(f: &FieldSpec, raw: u32) -> Value {
    match f.name {
        "header_length" => (raw * 4).into(),
        "flags" => Value::Flags {
            bits: TcpFlags(raw as u16).0,
            names: &TCP_FLAG_BIT_NAMES,
        },
        "checksum" => hex16(raw as u16),
        _ => raw.into(),
    }
}

/// A UDP header field's value from its raw bits.
fn udp_value(f: &FieldSpec, raw: u32) -> Value {
    match f.name {
        "checksum" => hex16(raw as u16),
        _ => raw.into(),
    }
}

/// An IPv4 header field's value from its raw bits.
fn ipv4_value(f: &FieldSpec, raw: u32) -> Value {
    match f.name {
        "header_length" => (raw * 4).into(),
        "fragment_offset" => (raw * 8).into(),
        "dont_fragment" | "more_fragments" => (raw == 1).into(),
        "checksum" => hex16(raw as u16),
        "source" | "destination" => Ipv4Addr::from(raw).into(),
        _ => raw.into(),
    }
}

/// The spec named `$name` in `$table`, found at compile time.
macro_rules! spec {
    ($table:expr, $name:literal) => {{
        const SPEC: &FieldSpec = layers_osi::spec_named($table, $name);
        SPEC
    }};
}

impl Walker<'_, '_> {
    fn record(&self, id: ProtocolId, span: Span, header: Span) -> LayerRecord {
        if self.summary {
            LayerRecord::summary(id, span, header)
        } else {
            // Room for the fixed fields and the few found ones (verdicts, options, lengths).
            let room = crate::field_table(id).len() + 4;
            LayerRecord::with_capacity(id, span, header, room)
        }
    }

    fn stop(&mut self, protocol: ProtocolId, offset: usize, kind: StopKind) {
        if self.quoted && matches!(kind, StopKind::Truncated { .. }) {
            return;
        }
        self.out.errors.push(Stop {
            layer: protocol.layer(),
            protocol: Some(protocol),
            offset,
            kind,
        });
    }

    fn push(&mut self, mut rec: LayerRecord) {
        rec.quoted = self.quoted;
        self.out.layers.push(rec);
    }

    fn set_packet_end(&mut self, end: usize) {
        if !self.quoted {
            self.packet_end = Some(end);
        }
    }

    fn ethernet(&mut self) {
        let frame = self.frame;
        if frame.len() < ETHERNET2_LEN {
            let what = Text::new("Ethernet II header", "以太网 II 首部");
            let kind = truncated(what, ETHERNET2_LEN, frame.len(), None);
            self.stop(ProtocolId::Ethernet2, 0, kind);
            return;
        }
        let type_or_length = u16::from_be_bytes([frame[12], frame[13]]);
        let mac = |at: usize| Value::Mac(frame[at..at + 6].try_into().expect("6 bytes"));
        if type_or_length <= 1500 {
            // IEEE 802.3: a length, then an LLC header.
            const T: &[FieldSpec] = IEEE8023_FIELDS;
            let mut rec = self.record(
                ProtocolId::Ieee8023,
                Span::new(0, frame.len()),
                Span::new(0, ETHERNET2_LEN),
            );
            rec.push(spec!(T, "destination"), 0, mac(0));
            rec.push(spec!(T, "source"), 0, mac(6));
            rec.push(spec!(T, "length"), 0, type_or_length);
            self.push(rec);
            let end = ETHERNET2_LEN + usize::from(type_or_length);
            self.set_packet_end(end.min(frame.len()));
            let before = self.out.errors.len();
            self.llc(ETHERNET2_LEN, end.min(frame.len()));
            let inner_cut = self.out.errors[before..]
                .iter()
                .any(|e| matches!(e.kind, StopKind::Truncated { .. }));
            if end > frame.len() && !inner_cut {
                // The LLC header is whole; what it carries is cut.
                let what = Text::new("LLC payload", "LLC 载荷");
                let kind = truncated(
                    what,
                    usize::from(type_or_length),
                    frame.len() - ETHERNET2_LEN,
                    Some("802.3 length"),
                );
                self.stop(ProtocolId::Llc, ETHERNET2_LEN, kind);
            }
            return;
        }
        let mut rec = self.record(
            ProtocolId::Ethernet2,
            Span::new(0, frame.len()),
            Span::new(0, ETHERNET2_LEN),
        );
        rec.push(spec!(ETHERNET2_FIELDS, "destination"), 0, mac(0));
        rec.push(spec!(ETHERNET2_FIELDS, "source"), 0, mac(6));
        rec.push(
            spec!(ETHERNET2_FIELDS, "ethertype"),
            0,
            hex16(type_or_length),
        );
        self.push(rec);
        self.ethertype(ETHERNET2_LEN, type_or_length, ProtocolId::Ethernet2);
    }

    /// What follows an EtherType field that ends at `off`; `owner` is the protocol whose
    /// field it is.
    fn ethertype(&mut self, mut off: usize, mut ethertype: u16, owner: ProtocolId) {
        let frame = self.frame;
        // 802.1Q (0x8100), 802.1ad (0x88a8) and the old QinQ (0x9100): one record per tag.
        let mut owner = owner;
        while matches!(ethertype, 0x8100 | 0x88a8 | 0x9100) {
            if frame.len() < off + VLAN_TAG_LEN {
                let what = Text::new("802.1Q tag", "802.1Q 标签");
                let kind = truncated(what, VLAN_TAG_LEN, frame.len() - off, None);
                self.stop(ProtocolId::Vlan, off, kind);
                return;
            }
            let tag = &frame[off..off + VLAN_TAG_LEN];
            let mut rec = self.record(
                ProtocolId::Vlan,
                Span::new(off, frame.len()),
                Span::new(off, off + VLAN_TAG_LEN),
            );
            for f in VLAN_FIELDS {
                let v = f.read(tag).expect("the tag holds 4 bytes");
                match f.name {
                    "dei" => rec.push(f, off, v == 1),
                    "ethertype" => rec.push(f, off, hex16(v as u16)),
                    _ => rec.push(f, off, v),
                }
            }
            ethertype = u16::from_be_bytes([tag[2], tag[3]]);
            self.push(rec);
            off += VLAN_TAG_LEN;
            owner = ProtocolId::Vlan;
        }
        match ethertype {
            0x0800 => self.ip(off, Some(4)),
            0x86dd => self.ip(off, Some(6)),
            0x0806 => self.arp(off),
            other => self.stop(
                owner,
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

    /// IEEE 802.2 LLC, and SNAP when both SAPs are 0xaa.
    fn llc(&mut self, off: usize, end: usize) {
        let data = &self.frame[off..end];
        if data.len() < 3 {
            let kind = truncated(Text::new("LLC header", "LLC 首部"), 3, data.len(), None);
            self.stop(ProtocolId::Llc, off, kind);
            return;
        }
        let snap = data[0] == 0xaa && data[1] == 0xaa;
        let hlen = if snap { 8 } else { 3 };
        if data.len() < hlen {
            let kind = truncated(
                Text::new("SNAP header", "SNAP 首部"),
                hlen,
                data.len(),
                None,
            );
            self.stop(ProtocolId::Llc, off, kind);
            return;
        }
        let mut rec = self.record(
            ProtocolId::Llc,
            Span::new(off, end),
            Span::new(off, off + hlen),
        );
        for f in LLC_FIELDS.iter().filter(|f| f.offset + f.len <= hlen) {
            let v = f.read(data).expect("inside the header");
            match f.name {
                "pid" => rec.push(f, off, hex16(v as u16)),
                _ => rec.push(
                    f,
                    off,
                    Value::Hex {
                        value: u64::from(v),
                        digits: (f.len * 2) as u8,
                    },
                ),
            }
        }
        self.push(rec);
        if snap && data[3..6] == [0, 0, 0] {
            // Sliced to the 802.3 length so padding is not taken for data.
            let pid = u16::from_be_bytes([data[6], data[7]]);
            let saved = self.frame;
            self.frame = &saved[..end];
            self.ethertype(off + hlen, pid, ProtocolId::Llc);
            self.frame = saved;
        } else {
            let sap = data[0];
            let value = match layers_ethernet::sap_name(sap) {
                Some(name) => format!("0x{sap:02x} ({name})"),
                None => format!("0x{sap:02x}"),
            };
            let what = Text::new("LLC service access point", "LLC 服务访问点");
            self.stop(ProtocolId::Llc, off, StopKind::Unsupported { what, value });
        }
    }

    /// Linux cooked capture headers (v1 or v2), then what their protocol field says.
    fn sll(&mut self, v2: bool) {
        let frame = self.frame;
        let (name, table, hlen) = if v2 {
            (ProtocolId::LinuxSll2, SLL2_FIELDS, SLL2_LEN)
        } else {
            (ProtocolId::LinuxSll, SLL_FIELDS, SLL_LEN)
        };
        if frame.len() < hlen {
            let what = Text::new("cooked capture header", "cooked 抓包首部");
            self.stop(name, 0, truncated(what, hlen, frame.len(), None));
            return;
        }
        let mut rec = self.record(name, Span::new(0, frame.len()), Span::new(0, hlen));
        let addr_len = usize::from(if v2 { frame[11] } else { frame[5] }).min(8);
        for f in table {
            match f.name {
                "protocol" => rec.push(f, 0, hex16(f.read(frame).expect("in the header") as u16)),
                "address" => rec.push(
                    f,
                    0,
                    Value::Bytes(frame[f.offset..f.offset + addr_len].to_vec()),
                ),
                _ => rec.push(f, 0, f.read(frame).expect("in the header")),
            }
        }
        self.push(rec);
        let proto_at = table
            .iter()
            .find(|f| f.name == "protocol")
            .map_or(14, |f| f.offset);
        let protocol = u16::from_be_bytes([frame[proto_at], frame[proto_at + 1]]);
        match protocol {
            0x0800 | 0x86dd | 0x0806 | 0x8100 | 0x88a8 => self.ethertype_at(hlen, protocol, name),
            other => self.stop(
                name,
                proto_at,
                StopKind::Unsupported {
                    what: Text::new("cooked capture protocol", "cooked 协议类型"),
                    value: ethertype_hex(other),
                },
            ),
        }
    }

    /// Like [`Walker::ethertype`] where the type field is not right before the payload.
    fn ethertype_at(&mut self, off: usize, ethertype: u16, owner: ProtocolId) {
        match ethertype {
            0x0800 => self.ip(off, Some(4)),
            0x86dd => self.ip(off, Some(6)),
            _ => self.ethertype(off, ethertype, owner),
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
                    ProtocolId::Arp,
                    off,
                    truncated(what, e.required_len, data.len(), from),
                );
                return;
            }
        };
        let len = slice.slice().len();
        let mut rec = self.record(
            ProtocolId::Arp,
            Span::new(off, off + len),
            Span::new(off, off + len),
        );
        let table = layers_arp::ARP_FIELDS;
        let standard = slice.hw_addr_size() == 6 && slice.proto_addr_size() == 4;
        for f in table {
            if f.offset >= layers_arp::ARP_FIXED_LEN && !standard {
                break;
            }
            let bytes = &data[f.offset..f.offset + f.len];
            let value: Value = match f.name {
                "protocol_type" => hex16(u16::from_be_bytes([bytes[0], bytes[1]])),
                "sender_mac" | "target_mac" => Value::Mac(bytes.try_into().expect("6 bytes")),
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
                Value::Bytes(data[layers_arp::ARP_FIXED_LEN..len].to_vec()),
            );
        }
        self.push(rec);
        self.set_packet_end(off + len);
    }

    /// An IP packet at `off`, IPv4 or IPv6 by its version nibble.
    fn ip(&mut self, off: usize, expect: Option<u8>) {
        let data = &self.frame[off..];
        let named = |v: Option<u8>| {
            if v == Some(6) {
                ProtocolId::Ipv6
            } else {
                ProtocolId::Ipv4
            }
        };
        let Some(first) = data.first() else {
            let (what, needed) = match expect {
                Some(6) => (Text::new("IPv6 header", "IPv6 首部"), layers_ipv4::IPV6_LEN),
                _ => (
                    Text::new("IPv4 header", "IPv4 首部"),
                    layers_ipv4::IPV4_MIN_LEN,
                ),
            };
            self.stop(named(expect), off, truncated(what, needed, 0, None));
            return;
        };
        match (first >> 4, expect) {
            (4, None | Some(4)) => self.ipv4(off),
            (6, None | Some(6)) => self.ipv6(off),
            (v, _) => {
                let expected = match expect {
                    Some(4) => Text::new("4 (the type field says IPv4)", "4(类型字段表示 IPv4)"),
                    Some(6) => Text::new("6 (the type field says IPv6)", "6(类型字段表示 IPv6)"),
                    _ => Text::new("4 (IPv4) or 6 (IPv6)", "4(IPv4)或 6(IPv6)"),
                };
                let kind = StopKind::Invalid {
                    field: "version",
                    value: v.to_string(),
                    expected,
                };
                self.stop(named(expect), off, kind);
            }
        }
    }

    fn ipv4(&mut self, off: usize) {
        const P: ProtocolId = ProtocolId::Ipv4;
        let what = Text::new("IPv4 header", "IPv4 首部");
        let frame = self.frame;
        let data = &frame[off..];
        const T: &[FieldSpec] = layers_ipv4::IPV4_FIELDS;
        let ihl = usize::from(data[0] & 0x0f) * 4;
        // The bytes the header claims (at least its fixed part), as far as the frame has them.
        let claimed = ihl.max(layers_ipv4::IPV4_MIN_LEN);
        let have = &data[..data.len().min(claimed)];
        let total_field = spec!(T, "total_length").read(have).map(|v| v as usize);
        // A host with TCP segmentation offload hands the capture a packet whose total
        // length is 0; its real length is what the wire carried (tshark does the same).
        let tso = total_field == Some(0) && ihl >= 20;
        let total = if tso {
            self.wire_length.saturating_sub(off)
        } else {
            total_field.unwrap_or(0)
        };
        let whole = ihl >= 20 && data.len() >= ihl && total >= ihl;
        // More than even the wire carried: the length field lies (a snap length only cuts
        // what the wire had). The layers above get what the frame holds, as in tshark.
        let lies = whole && off + total > self.wire_length;
        let declared_end = if lies { frame.len() } else { off + total };
        let end = declared_end.min(frame.len());
        let span_end = if whole { end } else { off + have.len() };
        let mut rec = self.record(
            P,
            Span::new(off, span_end),
            Span::new(off, off + have.len()),
        );
        let fixed = &have[..have.len().min(layers_ipv4::IPV4_MIN_LEN)];
        let missing = present_fields(&mut rec, T, off, fixed, ipv4_value);
        let found = spec!(T, "checksum").read(have).map(|v| v as u16);
        // Verified over the header as the IHL delimits it, checksum field taken as 0.
        let computed = whole.then(|| {
            Sum16BitWords::new()
                .add_slice(&have[..10])
                .add_slice(&have[12..ihl])
                .ones_complement()
                .to_be()
        });
        if found.is_some() {
            let valid = computed.zip(found).map(|(c, f)| c == f);
            let span = spec!(T, "checksum").span(off);
            rec.insert_after("checksum", "checksum_valid", span, valid);
        }
        if ihl < 20 {
            self.push(rec);
            let expected = Text::new("at least 20 bytes (IHL 5)", "至少 20 字节(IHL 为 5)");
            self.stop(
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
        if data.len() < ihl {
            self.push(rec);
            let first_missing = missing.or(Some(("options", off + layers_ipv4::IPV4_MIN_LEN)));
            let from = (ihl > layers_ipv4::IPV4_MIN_LEN).then_some("header_length");
            let kind = StopKind::Truncated {
                what,
                needed: ihl,
                present: data.len(),
                length_from: from,
                first_missing,
            };
            self.stop(P, off, kind);
            return;
        }
        if total < ihl {
            self.push(rec);
            let expected = Text::new("at least the header length", "不小于首部长度");
            self.stop(
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
        let options = &have[layers_ipv4::IPV4_MIN_LEN..ihl];
        let mut option_problem = None;
        if ihl > 20 {
            let span = Span::new(off + 20, off + ihl);
            if !self.summary {
                rec.push_at("options", span, Value::Bytes(options.to_vec()));
            }
            let (list, problem) = ipv4_options(options, !self.summary);
            rec.push_at("option_list", span, list);
            option_problem = problem;
        }
        self.push(rec);
        if let Some((at, value)) = option_problem {
            let expected = Text::new(
                "options whose lengths fit the header",
                "长度不超出首部的选项",
            );
            self.stop(
                P,
                off + 20 + at,
                StopKind::Invalid {
                    field: "options",
                    value,
                    expected,
                },
            );
        }
        if let (Some(found), Some(computed)) = (found, computed) {
            if found != computed {
                let kind = StopKind::BadChecksum {
                    found,
                    expected: computed,
                    offload: false,
                };
                self.stop(P, off + 10, kind);
            }
        }
        if tso {
            let kind = StopKind::SegmentationOffload { length: total };
            self.stop(P, off + 2, kind);
        }
        if lies {
            let kind = StopKind::Truncated {
                what: Text::new("IPv4 packet", "IPv4 数据包"),
                needed: total,
                present: data.len(),
                length_from: Some("total_length"),
                first_missing: None,
            };
            self.stop(P, off, kind);
        }
        self.set_packet_end(end);

        let frag_bytes = spec!(T, "fragment_offset").read(have).unwrap_or(0) as usize * 8;
        if frag_bytes != 0 {
            self.fragment(off + ihl, end, declared_end, frag_bytes);
            return;
        }
        let addr = |at: usize| -> [u8; 4] { have[at..at + 4].try_into().expect("in the header") };
        let ip = IpContext {
            addrs: Addrs::V4(addr(12), addr(16)),
            declared_end,
            complete: declared_end <= frame.len(),
            fragmented: spec!(T, "more_fragments").read(have) == Some(1),
        };
        self.ip_payload(have[9], off + ihl, end, ip, off + 9);
    }

    /// A later fragment: its bytes continue the first fragment's data; no transport header.
    fn fragment(&mut self, off: usize, end: usize, declared_end: usize, offset_bytes: usize) {
        let mut rec = self.record(
            ProtocolId::IpFragment,
            Span::new(off, end),
            Span::new(off, end),
        );
        rec.push_at("length", Span::new(off, end), declared_end - off);
        rec.push_at("fragment_offset", Span::new(off, end), offset_bytes);
        self.push(rec);
        if end < declared_end {
            let what = Text::new("fragment data", "分片数据");
            let kind = truncated(what, declared_end - off, end - off, Some("IP length"));
            self.stop(ProtocolId::IpFragment, off, kind);
        }
    }

    fn ipv6(&mut self, off: usize) {
        const P: ProtocolId = ProtocolId::Ipv6;
        let frame = self.frame;
        let data = &frame[off..];
        let h = match Ipv6HeaderSlice::from_slice(data) {
            Ok(h) => h,
            Err(_) => {
                let what = Text::new("IPv6 header", "IPv6 首部");
                let kind = truncated(what, layers_ipv4::IPV6_LEN, data.len(), None);
                self.stop(P, off, kind);
                return;
            }
        };
        let payload_len = usize::from(h.payload_length());
        let declared_end = off + layers_ipv4::IPV6_LEN + payload_len;
        let end = declared_end.min(frame.len());
        let body = &frame[off + layers_ipv4::IPV6_LEN..end];
        let parsed = Ipv6ExtensionsSlice::from_slice(h.next_header(), body);
        let (exts_len, next, fragment, names) = match &parsed {
            Ok((exts, next, rest)) => {
                let mut frag = None;
                let mut names = Vec::new();
                for e in exts.clone() {
                    if !self.summary {
                        names.push(ext_name(&e));
                    }
                    if let Ipv6ExtensionSlice::Fragment(f) = e {
                        frag = Some((
                            usize::from(f.fragment_offset().value()) * 8,
                            f.more_fragments(),
                        ));
                    }
                }
                (body.len() - rest.len(), Some(*next), frag, names)
            }
            Err(_) => (0, None, None, Vec::new()),
        };
        let hlen = layers_ipv4::IPV6_LEN + exts_len;
        let mut rec = self.record(P, Span::new(off, end), Span::new(off, off + hlen));
        const T: &[FieldSpec] = layers_ipv4::IPV6_FIELDS;
        rec.push(spec!(T, "version"), off, 6u8);
        rec.push(spec!(T, "traffic_class"), off, h.traffic_class());
        rec.push(spec!(T, "flow_label"), off, h.flow_label().value());
        rec.push(spec!(T, "payload_length"), off, payload_len);
        rec.push(spec!(T, "next_header"), off, h.next_header().0);
        rec.push(spec!(T, "hop_limit"), off, h.hop_limit());
        rec.push(spec!(T, "source"), off, Value::Ipv6(h.source()));
        rec.push(spec!(T, "destination"), off, Value::Ipv6(h.destination()));
        if exts_len > 0 {
            rec.push_at(
                "extension_headers",
                Span::new(off + layers_ipv4::IPV6_LEN, off + hlen),
                names,
            );
        }
        self.push(rec);
        self.set_packet_end(end);
        let Some(next) = next else {
            let kind = match parsed.err() {
                Some(etherparse::err::ipv6_exts::HeaderSliceError::Len(e)) => {
                    let what = Text::new(
                        "IPv6 header with its extension headers",
                        "IPv6 首部及其扩展首部",
                    );
                    let (needed, present) = (
                        layers_ipv4::IPV6_LEN + e.required_len,
                        layers_ipv4::IPV6_LEN + e.len,
                    );
                    truncated(what, needed, present, Some("next_header"))
                }
                other => StopKind::Invalid {
                    field: "extension headers",
                    value: other.map(|e| e.to_string()).unwrap_or_default(),
                    expected: Text::new("well-formed extension headers", "格式正确的扩展首部"),
                },
            };
            self.stop(P, off, kind);
            return;
        };
        if let Some((offset_bytes, _)) = fragment.filter(|(o, _)| *o != 0) {
            self.fragment(off + hlen, end, declared_end, offset_bytes);
            return;
        }
        let ip = IpContext {
            addrs: Addrs::V6(h.source(), h.destination()),
            declared_end,
            complete: declared_end <= frame.len(),
            fragmented: fragment.is_some_and(|(_, more)| more),
        };
        self.ip_payload(next.0, off + hlen, end, ip, off + 6);
    }

    /// What an IP packet carries, by its protocol number (`field_at`: where that number is).
    fn ip_payload(&mut self, proto: u8, start: usize, end: usize, ip: IpContext, field_at: usize) {
        match proto {
            6 => self.tcp(start, end, ip),
            17 => self.udp(start, end, ip),
            1 => self.icmp(start, end, ip),
            58 => self.icmpv6(start, end, ip),
            other => {
                let name = if matches!(ip.addrs, Addrs::V4(..)) {
                    ProtocolId::Ipv4
                } else {
                    ProtocolId::Ipv6
                };
                let value = match layers_ipv4::ip_protocol_name(other) {
                    Some(n) => format!("{other} ({n})"),
                    None => other.to_string(),
                };
                let what = Text::new("IP protocol", "IP 协议号");
                self.stop(name, field_at, StopKind::Unsupported { what, value });
            }
        }
    }

    /// Records a transport checksum: valid, invalid (with the right value), or not verifiable.
    fn l4_checksum(
        &mut self,
        rec: &mut LayerRecord,
        checksum: &FieldSpec,
        off: usize,
        found: u16,
        computed: Option<u16>,
        offload_sum: Option<u16>,
    ) {
        if rec.field("checksum").is_none() {
            rec.push(checksum, off, hex16(found));
        }
        let valid = computed.map(|c| c == found);
        let span = checksum.span(off);
        rec.insert_after("checksum", "checksum_valid", span, valid);
        if let (Some(false), Some(expected)) = (valid, computed) {
            let offload = offload_sum == Some(found);
            let name = rec.protocol;
            let at = checksum.span(off).start;
            self.stop(
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
        const P: ProtocolId = ProtocolId::Tcp;
        let what = Text::new("TCP header", "TCP 首部");
        let data = &self.frame[off..end];
        const T: &[FieldSpec] = TCP_FIELDS;
        let hlen = data.get(12).map(|b| usize::from(b >> 4) * 4);
        // The bytes the header claims (at least its fixed part), as far as the frame has them.
        let claimed = hlen.unwrap_or(TCP_MIN_LEN).max(TCP_MIN_LEN);
        let have = &data[..data.len().min(claimed)];
        let whole = hlen.is_some_and(|h| h >= TCP_MIN_LEN && data.len() >= h);
        let span_end = if whole { end } else { off + have.len() };
        let mut rec = self.record(
            P,
            Span::new(off, span_end),
            Span::new(off, off + have.len()),
        );
        let fixed = &have[..have.len().min(TCP_MIN_LEN)];
        let missing = present_fields(&mut rec, T, off, fixed, tcp_value);
        let header = whole
            .then(|| TcpHeaderSlice::from_slice(have).ok())
            .flatten();
        let Some(h) = header else {
            // Cut, or a data offset that lies: what is there, and where it stopped. The
            // checksum covers the segment whatever its header says, so a whole segment is
            // still verified.
            if let Some(found) = spec!(T, "checksum").read(have) {
                let computed = ip
                    .checksum_verifiable()
                    .then(|| ip.addrs.segment_sum(6, data, 16));
                let offload = ip.addrs.offload_sum(6, data.len());
                self.l4_checksum(
                    &mut rec,
                    spec!(T, "checksum"),
                    off,
                    found as u16,
                    computed,
                    Some(offload),
                );
            }
            if have.len() > TCP_MIN_LEN {
                let bytes = &have[TCP_MIN_LEN..];
                let (options, _) =
                    tcp_options(TcpOptionsIterator::from_slice(bytes), !self.summary);
                rec.push_at(
                    "options",
                    Span::new(off + TCP_MIN_LEN, off + have.len()),
                    options,
                );
            }
            self.push(rec);
            let kind = match hlen {
                Some(h) if h < TCP_MIN_LEN => StopKind::Invalid {
                    field: "header_length",
                    value: format!("{h} bytes"),
                    expected: Text::new(
                        "at least 20 bytes (data offset 5)",
                        "至少 20 字节(数据偏移为 5)",
                    ),
                },
                Some(h) if data.len() >= TCP_MIN_LEN => StopKind::Truncated {
                    what,
                    needed: h,
                    present: data.len(),
                    length_from: Some("header_length"),
                    first_missing: Some(("options", off + data.len())),
                },
                _ => StopKind::Truncated {
                    what,
                    needed: TCP_MIN_LEN,
                    present: data.len(),
                    length_from: None,
                    first_missing: missing,
                },
            };
            let at = if matches!(kind, StopKind::Invalid { .. }) {
                off + 12
            } else {
                off
            };
            self.stop(P, at, kind);
            return;
        };
        let hlen = have.len();
        let declared_payload = ip.declared_end.saturating_sub(off + hlen);
        let payload = &data[hlen..];
        let computed = if ip.checksum_verifiable() {
            match ip.addrs {
                Addrs::V4(s, d) => h.calc_checksum_ipv4_raw(s, d, payload).ok(),
                Addrs::V6(s, d) => h.calc_checksum_ipv6_raw(s, d, payload).ok(),
            }
        } else {
            None
        };
        let offload = ip.addrs.offload_sum(6, hlen + payload.len());
        self.l4_checksum(
            &mut rec,
            spec!(T, "checksum"),
            off,
            h.checksum(),
            computed,
            Some(offload),
        );
        let mut option_problem = None;
        if hlen > TCP_MIN_LEN {
            let (options, problem) = tcp_options(h.options_iterator(), !self.summary);
            rec.push_at("options", Span::new(off + TCP_MIN_LEN, off + hlen), options);
            option_problem = problem;
        } else {
            rec.push_at(
                "options",
                Span::new(off + hlen, off + hlen),
                Value::List(Vec::new()),
            );
        }
        rec.push_at(
            "payload_length",
            Span::new(off + hlen, end),
            declared_payload,
        );
        self.push(rec);
        if let Some(problem) = option_problem {
            let expected = Text::new("well-formed TCP options", "格式正确的 TCP 选项");
            let kind = StopKind::Invalid {
                field: "options",
                value: problem,
                expected,
            };
            self.stop(P, off + TCP_MIN_LEN, kind);
        }
        if declared_payload > 0 && !self.quoted {
            let ports = (h.source_port(), h.destination_port());
            self.application(off + hlen, end, declared_payload, ports, true);
        }
    }

    fn udp(&mut self, off: usize, end: usize, ip: IpContext) {
        const P: ProtocolId = ProtocolId::Udp;
        let what = Text::new("UDP header", "UDP 首部");
        let data = &self.frame[off..end];
        const T: &[FieldSpec] = UDP_FIELDS;
        let have = &data[..data.len().min(UDP_LEN)];
        let mut rec = self.record(
            P,
            Span::new(off, off + have.len()),
            Span::new(off, off + have.len()),
        );
        let missing = present_fields(&mut rec, T, off, have, udp_value);
        if have.len() < UDP_LEN {
            self.push(rec);
            let kind = StopKind::Truncated {
                what,
                needed: UDP_LEN,
                present: data.len(),
                length_from: None,
                first_missing: missing,
            };
            self.stop(P, off, kind);
            return;
        }
        let length = usize::from(u16::from_be_bytes([data[4], data[5]]));
        let ip_payload = ip.declared_end - off;
        // The first fragment of a datagram carries the whole datagram's length.
        let too_long = length > ip_payload && !ip.fragmented;
        if (length < UDP_LEN || too_long) && !self.quoted {
            let span = spec!(T, "checksum").span(off);
            rec.insert_after("checksum", "checksum_valid", span, Value::Null);
            self.push(rec);
            let expected = Text::new(
                "between 8 and the IP payload length",
                "介于 8 与 IP 载荷长度之间",
            );
            let value = format!("{length} (IP payload {ip_payload})");
            self.stop(
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
        let udp_end = (off + length.max(UDP_LEN)).min(end);
        rec.span = Span::new(off, udp_end);
        let payload = &self.frame[off + UDP_LEN..udp_end];
        let (h, _) = etherparse::UdpHeader::from_slice(data).expect("8 bytes checked");
        let complete = ip.checksum_verifiable() && off + length <= self.frame.len();
        let computed = match (complete, h.checksum, ip.addrs) {
            // 0 is "no checksum" over IPv4; over IPv6 it is not allowed (RFC 8200 8.1).
            (_, 0, Addrs::V4(..)) | (false, _, _) => None,
            (true, _, Addrs::V4(s, d)) => h.calc_checksum_ipv4_raw(s, d, payload).ok(),
            (true, _, Addrs::V6(s, d)) => h.calc_checksum_ipv6_raw(s, d, payload).ok(),
        };
        let offload = ip.addrs.offload_sum(17, length);
        self.l4_checksum(
            &mut rec,
            spec!(T, "checksum"),
            off,
            h.checksum,
            computed,
            Some(offload),
        );
        self.push(rec);
        if length < ip_payload && !self.quoted && !ip.fragmented {
            let expected = Text::new("the IP payload length", "等于 IP 载荷长度");
            let value = format!("{length} (IP payload {ip_payload})");
            self.stop(
                P,
                off + 4,
                StopKind::Invalid {
                    field: "length",
                    value,
                    expected,
                },
            );
        }
        if length > UDP_LEN && !self.quoted {
            let ports = (h.source_port, h.destination_port);
            // In a first fragment only this fragment's bytes are here to show.
            let declared = if ip.fragmented {
                (off + length).min(ip.declared_end) - off - UDP_LEN
            } else {
                length - UDP_LEN
            };
            self.application(off + UDP_LEN, udp_end, declared, ports, false);
        }
    }

    fn icmp(&mut self, off: usize, end: usize, ip: IpContext) {
        let data = &self.frame[off..end];
        if data.len() < 8 {
            let what = Text::new("ICMP header", "ICMP 首部");
            self.stop(ProtocolId::Icmp, off, truncated(what, 8, data.len(), None));
            return;
        }
        let computed = ip.checksum_verifiable().then(|| {
            Sum16BitWords::new()
                .add_2bytes([data[0], data[1]])
                .add_slice(&data[4..])
                .ones_complement()
                // etherparse sums in native byte order; this turns it back into wire order.
                .to_be()
        });
        // An error message quotes the datagram that caused it: those bytes are its layers.
        let kind = IcmpKind {
            id: ProtocolId::Icmp,
            quotes: matches!(data[0], 3 | 4 | 5 | 11 | 12),
            echo: matches!(data[0], 0 | 8),
        };
        self.icmp_message(off, end, ip, computed, kind);
    }

    fn icmpv6(&mut self, off: usize, end: usize, ip: IpContext) {
        let data = &self.frame[off..end];
        if data.len() < 4 {
            let what = Text::new("ICMPv6 header", "ICMPv6 首部");
            self.stop(
                ProtocolId::Icmpv6,
                off,
                truncated(what, 4, data.len(), None),
            );
            return;
        }
        let computed = match ip.addrs {
            Addrs::V6(s, d) if ip.checksum_verifiable() => Some(
                Sum16BitWords::new()
                    .add_16bytes(s)
                    .add_16bytes(d)
                    .add_4bytes((data.len() as u32).to_be_bytes())
                    .add_4bytes([0, 0, 0, 58])
                    .add_2bytes([data[0], data[1]])
                    .add_slice(&data[4..])
                    .ones_complement()
                    .to_be(),
            ),
            _ => None,
        };
        let long = data.len() >= 8;
        let kind = IcmpKind {
            id: ProtocolId::Icmpv6,
            quotes: matches!(data[0], 1..=4) && long,
            echo: matches!(data[0], 128 | 129) && long,
        };
        self.icmp_message(off, end, ip, computed, kind);
    }

    /// The record of an ICMP or ICMPv6 message, its cut if the frame ends early, and the
    /// datagram it quotes.
    fn icmp_message(
        &mut self,
        off: usize,
        end: usize,
        ip: IpContext,
        computed: Option<u16>,
        kind: IcmpKind,
    ) {
        let data = &self.frame[off..end];
        const T: &[FieldSpec] = layers_ipv4::ICMP_FIELDS;
        let header_end = if kind.quotes { off + 8 } else { end };
        let mut rec = self.record(kind.id, Span::new(off, end), Span::new(off, header_end));
        rec.push(spec!(T, "type"), off, data[0]);
        rec.push(spec!(T, "code"), off, data[1]);
        let found = u16::from_be_bytes([data[2], data[3]]);
        self.l4_checksum(&mut rec, spec!(T, "checksum"), off, found, computed, None);
        if kind.echo {
            for f in [spec!(T, "identifier"), spec!(T, "sequence")] {
                rec.push(f, off, f.read(data).unwrap_or(0));
            }
        }
        let body = (off + 8).min(end);
        rec.push_at(
            "data_length",
            Span::new(body, end),
            ip.declared_end.saturating_sub(off + 8),
        );
        self.push(rec);
        if !ip.complete {
            let (what, length_from) = match ip.addrs {
                Addrs::V4(..) => (Text::new("ICMP message", "ICMP 报文"), "IPv4 total_length"),
                Addrs::V6(..) => (
                    Text::new("ICMPv6 message", "ICMPv6 报文"),
                    "IPv6 payload_length",
                ),
            };
            let cut = truncated(what, ip.declared_end - off, data.len(), Some(length_from));
            self.stop(kind.id, off, cut);
        }
        self.quote(kind.quotes, off + 8, end);
    }

    /// The datagram an ICMP error quotes, dissected as quoted layers.
    fn quote(&mut self, quotes: bool, start: usize, end: usize) {
        if quotes && !self.quoted && end > start {
            let saved = self.frame;
            self.frame = &saved[..end];
            self.quoted = true;
            self.ip(start, None);
            self.quoted = false;
            self.frame = saved;
        }
    }

    fn application(
        &mut self,
        off: usize,
        end: usize,
        declared: usize,
        ports: (u16, u16),
        over_tcp: bool,
    ) {
        let data = &self.frame[off..end];
        let span = Span::new(off, end);
        let app = if self.summary {
            // Only the protocol: no preview, no first line.
            let protocol = recognise_protocol(data, ports.0, ports.1);
            Recognised {
                protocol,
                text: String::new(),
                utf8: false,
                first_line: None,
            }
        } else {
            recognise(data, ports.0, ports.1)
        };
        let mut rec = self.record(app.protocol, span, span);
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
                None => rec.push_at("command", line_span, line.to_string()),
            }
            if rec.protocol == ProtocolId::Http {
                let headers = http_headers(data)
                    .into_iter()
                    .map(|(k, v)| (k, Value::Text(v)))
                    .collect();
                rec.push_at("headers", span, Value::Map(headers));
            }
        }
        let mut problem = None;
        if rec.protocol == ProtocolId::Dns {
            // Over TCP a DNS message is preceded by its 2-byte length (RFC 1035 4.2.2).
            let skip = if over_tcp { 2 } else { 0 };
            if over_tcp && data.len() >= 2 {
                rec.push_at(
                    "length_prefix",
                    Span::new(off, off + 2),
                    u16::from_be_bytes([data[0], data[1]]),
                );
            }
            match dns::parse(data.get(skip..).unwrap_or_default()) {
                Ok(msg) => dns_fields(&mut rec, off + skip, &msg),
                Err(e) => problem = Some((off + skip + e.offset, e.expected)),
            }
        }
        let name = rec.protocol;
        self.push(rec);
        if data.len() < declared {
            let what = Text::new("the data", "数据");
            let kind = truncated(what, declared, data.len(), Some("IP length"));
            self.stop(name, off, kind);
        } else if let Some((at, expected)) = problem {
            let kind = StopKind::Invalid {
                field: "message",
                value: format!("at byte {at}"),
                expected: Text::new(expected, expected),
            };
            self.stop(name, off, kind);
        }
    }

    /// Puts the physical record first: the frame's bits and, on Ethernet, what the wire adds
    /// around them; and says so when the capture kept less than the wire carried.
    fn finish(mut self, link: LinkType, original_length: usize, fcs: Option<&[u8]>) {
        let len = self.frame.len();
        let mut rec = self.record(ProtocolId::EthernetPhy, Span::new(0, len), Span::new(0, 0));
        rec.push_at("bits", Span::new(0, len), len * 8);
        // The summary path keeps no field: only a kept FCS needs checking.
        if link == LinkType::Ethernet && (!self.summary || fcs.is_some()) {
            let content_end = self.packet_end.unwrap_or(len).min(len);
            let padded = phy::pad(self.frame);
            let start = Span::new(0, 0);
            let after = Span::new(len, len);
            if !self.summary {
                rec.push_at("preamble", start, Value::Bytes(phy::PREAMBLE.to_vec()));
            }
            let sfd = Value::Hex {
                value: u64::from(phy::SFD),
                digits: 2,
            };
            rec.push_at("sfd", start, sfd);
            let padding = (len - content_end) + phy::padding_for(len);
            rec.push_at("padding", Span::new(content_end, len), padding);
            // As Wireshark shows it: the four bytes in the order they follow the frame.
            let computed = phy::fcs_bytes(&padded);
            match fcs {
                Some(found) => {
                    let span = Span::new(len, len + found.len());
                    rec.push_at("fcs", span, fcs_value(found));
                    let valid = found == computed;
                    rec.push_at("fcs_valid", span, valid);
                    if !valid {
                        let be = |b: &[u8]| b.iter().fold(0u32, |a, x| (a << 8) | u32::from(*x));
                        let kind = StopKind::BadFcs {
                            found: be(found),
                            expected: be(&computed),
                        };
                        self.stop(ProtocolId::Ethernet2, len, kind);
                    }
                }
                None => rec.push_at("fcs", after, fcs_value(&computed)),
            }
            rec.push_at("interframe_gap", after, phy::INTERFRAME_GAP);
        }
        self.out.layers.insert(0, rec);
        if original_length > len {
            self.out.errors.push(Stop {
                layer: OsiLayer::Physical,
                protocol: Some(ProtocolId::EthernetPhy),
                offset: len,
                kind: StopKind::SnapLength {
                    captured: len,
                    original: original_length,
                },
            });
        }
        self.out.errors.sort_by_key(|e| e.offset);
    }
}

fn dns_fields(rec: &mut LayerRecord, off: usize, msg: &dns::Dns) {
    rec.push_at("id", Span::new(off, off + 2), msg.id);
    rec.push_at("flags", Span::new(off + 2, off + 4), hex16(msg.flags));
    rec.push_at("response", Span::new(off + 2, off + 3), msg.is_response());
    rec.push_at("rcode", Span::new(off + 3, off + 4), msg.rcode());
    let questions: Vec<Value> = msg
        .questions
        .iter()
        .map(|q| {
            Value::Object(vec![
                ("name", q.name.clone().into()),
                ("type", dns::type_name(q.qtype).into()),
                ("class", q.class.into()),
            ])
        })
        .collect();
    rec.push_at("questions", Span::new(off + 4, off + 6), questions);
    let answers: Vec<Value> = msg
        .answers
        .iter()
        .map(|a| {
            Value::Object(vec![
                ("name", a.name.clone().into()),
                ("type", dns::type_name(a.rtype).into()),
                ("ttl", a.ttl.into()),
                ("data", a.data.clone().into()),
            ])
        })
        .collect();
    rec.push_at("answers", Span::new(off + 6, off + 8), answers);
}

/// An IPv6 extension header's name.
fn ext_name(e: &Ipv6ExtensionSlice<'_>) -> &'static str {
    match e {
        Ipv6ExtensionSlice::HopByHop(_) => "Hop-by-Hop Options",
        Ipv6ExtensionSlice::Routing(_) => "Routing",
        Ipv6ExtensionSlice::Fragment(_) => "Fragment",
        Ipv6ExtensionSlice::DestinationOptions(_) => "Destination Options",
        Ipv6ExtensionSlice::Authentication(_) => "Authentication",
    }
}

/// IPv4 options as `{"kind", "length"}` objects, and the offset and text of the first
/// malformed one.
/// With `keep` false only the problem is looked for (the summary path).
fn ipv4_options(options: &[u8], keep: bool) -> (Vec<Value>, Option<(usize, String)>) {
    let mut out = Vec::new();
    let mut at = 0;
    while at < options.len() {
        let kind = options[at];
        let name = layers_ipv4::ipv4_option_name(kind);
        match kind {
            0 => {
                if keep {
                    out.push(Value::Object(vec![("kind", name.into())]));
                }
                break;
            }
            1 => {
                if keep {
                    out.push(Value::Object(vec![("kind", name.into())]));
                }
                at += 1;
            }
            _ => {
                let len = options.get(at + 1).copied().map(usize::from);
                match len {
                    Some(len) if len >= 2 && at + len <= options.len() => {
                        if keep {
                            out.push(Value::Object(vec![
                                ("kind", name.into()),
                                ("length", len.into()),
                            ]));
                        }
                        at += len;
                    }
                    _ => {
                        return (
                            out,
                            Some((at, format!("option {name} ({kind}) with length {len:?}"))),
                        )
                    }
                }
            }
        }
    }
    (out, None)
}

/// A TCP option as the JSON contract has it: `{"kind": name, "value": ...}`.
fn option(kind: u8, value: Option<Value>) -> Value {
    let mut members = vec![("kind", Value::Name(tcp_option_name(kind)))];
    if let Some(v) = value {
        members.push(("value", v));
    }
    Value::Object(members)
}

/// An FCS as Wireshark shows it: `0x` and its four bytes in the order they follow the frame.
fn fcs_value(bytes: &[u8]) -> Value {
    Value::Hex {
        value: bytes.iter().fold(0u64, |a, b| (a << 8) | u64::from(*b)),
        digits: (bytes.len() * 2) as u8,
    }
}

/// A TCP header's options as the JSON contract has them, and the first problem, if any.
/// With `keep` false only the problem is looked for (the summary path).
fn tcp_options(items: TcpOptionsIterator<'_>, keep: bool) -> (Vec<Value>, Option<String>) {
    let mut out = Vec::new();
    for item in items {
        match item {
            Ok(_) if !keep => {}
            Ok(opt) => out.push(match opt {
                TcpOptionElement::Noop => option(1, None),
                TcpOptionElement::MaximumSegmentSize(v) => option(2, Some(v.into())),
                TcpOptionElement::WindowScale(v) => option(3, Some(v.into())),
                TcpOptionElement::SelectiveAcknowledgementPermitted => option(4, None),
                TcpOptionElement::SelectiveAcknowledgement(first, rest) => {
                    let blocks: Vec<Value> = std::iter::once(first)
                        .chain(rest.into_iter().flatten())
                        .map(|(l, r)| vec![l, r].into())
                        .collect();
                    option(5, Some(Value::List(blocks)))
                }
                TcpOptionElement::Timestamp(val, ecr) => option(8, Some(vec![val, ecr].into())),
            }),
            Err(e) => return (out, Some(e.to_string())),
        }
    }
    (out, None)
}
