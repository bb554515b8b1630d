//! Decapsulation: a frame dissected bottom-up into layer records, laxly: everything that
//! parsed is kept, and where a layer breaks the walk stops with the layer, the byte offset
//! and the reason.
//!
//! Each layer crate dissects its own headers (`layers_ethernet::ethernet`, `layers_arp::arp`,
//! `layers_ipv4::ipv4`, `layers_transport::tcp`, `layers_application::payload`, ...) and says
//! what follows. This is the only place that maps an EtherType, an IP protocol number or a
//! version nibble to the next layer's dissector.

use layers_ethernet::{LinkNext, ETHERNET2_LEN};
use layers_ipv4::{Addrs, IpContext, IpNext};
use layers_osi::{truncated, Cursor, Dissection, LinkType, OsiLayer, ProtocolId, StopKind, Text};
use layers_physical as phy;

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

/// Dissects an Ethernet frame (as captured: no preamble, no FCS).
pub fn dissect_ethernet(frame: &[u8]) -> Dissection {
    dissect(LinkType::Ethernet, frame, frame.len())
}

/// Dissects a frame of link type `link`, of which `original_length` bytes were on the wire.
pub fn dissect(link: LinkType, frame: &[u8], original_length: usize) -> Dissection {
    dissect_with_fcs(link, frame, original_length, 0)
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
    // The FCS ends the wire frame: the capture holds it only if nothing was cut.
    let kept = link == LinkType::Ethernet
        && fcs_len > 0
        && frame.len() >= original_length
        && frame.len() >= ETHERNET2_LEN.saturating_add(fcs_len);
    let (frame, fcs) = if kept {
        let (body, fcs) = frame.split_at(frame.len().saturating_sub(fcs_len));
        (body, Some(fcs))
    } else {
        (frame, None)
    };
    let original_length = if link == LinkType::Ethernet {
        original_length.saturating_sub(fcs_len)
    } else {
        original_length
    };
    let mut c = Cursor::new(frame, out, detail == Detail::Summary, original_length);
    match link {
        LinkType::Ethernet => {
            let next = layers_ethernet::ethernet(&mut c);
            link_next(&mut c, next);
        }
        LinkType::RawIp => ip(&mut c, 0, None),
        LinkType::Ipv4 => ip(&mut c, 0, Some(4)),
        LinkType::Ipv6 => ip(&mut c, 0, Some(6)),
        LinkType::LinuxSll => {
            let next = layers_ethernet::sll(&mut c, false);
            link_next(&mut c, next);
        }
        LinkType::LinuxSll2 => {
            let next = layers_ethernet::sll(&mut c, true);
            link_next(&mut c, next);
        }
        LinkType::Other(n) => c.stop_unknown(
            OsiLayer::DataLink,
            0,
            StopKind::Unsupported {
                what: Text::new("link type", "链路类型"),
                value: match layers_osi::link_type_name(n) {
                    Some(name) => format!("{n} ({name})"),
                    None => n.to_string(),
                },
            },
        ),
    }
    phy::finish(c, link == LinkType::Ethernet, original_length, fcs);
}

/// What a data link header hands on.
fn link_next(c: &mut Cursor<'_, '_>, next: LinkNext) {
    match next {
        LinkNext::Done => {}
        LinkNext::EtherType {
            off,
            ethertype,
            owner,
        } => ethertype_next(c, off, ethertype, owner),
        LinkNext::Llc { off, end, declared } => {
            let before = c.stops();
            // Within the 802.3 length, so padding is not taken for data.
            let whole = c.frame;
            c.frame = whole.get(..end).unwrap_or(whole);
            let next = layers_ethernet::llc(c, off, c.frame.len());
            link_next(c, next);
            c.frame = whole;
            layers_ethernet::llc_payload_cut(c, before, off, end, declared);
        }
    }
}

/// What an EtherType names: VLAN tags first, then IPv4, IPv6 or ARP.
fn ethertype_next(c: &mut Cursor<'_, '_>, off: usize, ethertype: u16, owner: ProtocolId) {
    let LinkNext::EtherType {
        off,
        ethertype,
        owner,
    } = layers_ethernet::vlan_tags(c, off, ethertype, owner)
    else {
        return;
    };
    match ethertype {
        0x0800 => ip(c, off, Some(4)),
        0x86dd => ip(c, off, Some(6)),
        0x0806 => layers_arp::arp(c, off),
        other => c.stop(
            owner,
            // The EtherType field is the two bytes before `off`.
            off.saturating_sub(2),
            StopKind::Unsupported {
                what: Text::new("EtherType", "以太网类型"),
                value: match layers_ethernet::ethertype_name(other) {
                    Some(name) => format!("{} ({name})", layers_ethernet::ethertype_hex(other)),
                    None => layers_ethernet::ethertype_hex(other),
                },
            },
        ),
    }
}

/// An IP packet at `off`, IPv4 or IPv6 by its version nibble (`expect`: what the type field
/// before it said).
fn ip(c: &mut Cursor<'_, '_>, off: usize, expect: Option<u8>) {
    let named = |v: Option<u8>| {
        if v == Some(6) {
            ProtocolId::Ipv6
        } else {
            ProtocolId::Ipv4
        }
    };
    let Some(first) = c.frame.get(off).copied() else {
        let (what, needed) = match expect {
            Some(6) => (Text::new("IPv6 header", "IPv6 首部"), layers_ipv4::IPV6_LEN),
            _ => (
                Text::new("IPv4 header", "IPv4 首部"),
                layers_ipv4::IPV4_MIN_LEN,
            ),
        };
        c.stop(named(expect), off, truncated(what, needed, 0, None));
        return;
    };
    let next = match (first >> 4, expect) {
        (4, None | Some(4)) => layers_ipv4::ipv4(c, off),
        (6, None | Some(6)) => layers_ipv4::ipv6(c, off),
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
            c.stop(named(expect), off, kind);
            IpNext::Done
        }
    };
    if let IpNext::Payload {
        protocol,
        start,
        end,
        ip,
        field_at,
    } = next
    {
        ip_payload(c, protocol, start, end, ip, field_at);
    }
}

/// What an IP packet carries, by its protocol number (`field_at`: where that number is).
fn ip_payload(
    c: &mut Cursor<'_, '_>,
    proto: u8,
    start: usize,
    end: usize,
    ip: IpContext,
    field_at: usize,
) {
    let app = match proto {
        6 => layers_transport::tcp(c, start, end, ip),
        17 => layers_transport::udp(c, start, end, ip),
        1 | 58 => {
            let quote = if proto == 1 {
                layers_ipv4::icmp(c, start, end, ip)
            } else {
                layers_ipv4::icmpv6(c, start, end, ip)
            };
            if let Some((from, to)) = quote {
                quoted(c, from, to);
            }
            None
        }
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
            c.stop(name, field_at, StopKind::Unsupported { what, value });
            None
        }
    };
    if let Some(p) = app {
        layers_application::payload(c, p.off, p.end, p.declared, p.ports, p.over_tcp);
    }
}

/// The datagram an ICMP error quotes, `start..end`, dissected as quoted layers.
fn quoted(c: &mut Cursor<'_, '_>, start: usize, end: usize) {
    let whole = c.frame;
    c.frame = whole.get(..end).unwrap_or(whole);
    c.quoted = true;
    ip(c, start, None);
    c.quoted = false;
    c.frame = whole;
}
