//! The data link layer's dissectors: Ethernet II, IEEE 802.3 with LLC and SNAP, 802.1Q and
//! 802.1ad tags, Linux cooked captures. Each reads its header from a [`Cursor`] at an offset,
//! pushes its record and stops, and says what follows; `layers-stack` dispatches on it.

use layers_osi::{
    present_fields, spec, truncated, Cursor, FieldSpec, FieldValue as Value, ProtocolId, Span,
    StopKind, Text,
};

use crate::{
    ethertype_hex, ETHERNET2_FIELDS, ETHERNET2_LEN, IEEE8023_FIELDS, LLC_FIELDS, SLL2_FIELDS,
    SLL2_LEN, SLL_FIELDS, SLL_LEN, VLAN_FIELDS, VLAN_TAG_LEN,
};

/// What follows a data link header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkNext {
    /// Nothing this layer can hand on (it stopped, or said why).
    Done,
    /// The protocol an EtherType names, at `off`; `owner` is the protocol whose type field
    /// it is (a VLAN tag's, an LLC/SNAP header's, a cooked header's).
    EtherType {
        /// Where what it names starts.
        off: usize,
        /// The EtherType.
        ethertype: u16,
        /// Whose field it is.
        owner: ProtocolId,
    },
    /// An IEEE 802.3 frame: its LLC header at `off`, its payload ending at `end` as the
    /// length field promises (`declared` bytes after the MAC header). The stack walks it,
    /// then calls [`llc_payload_cut`].
    Llc {
        /// Where the LLC header starts.
        off: usize,
        /// Where the 802.3 length says the payload ends.
        end: usize,
        /// The 802.3 length.
        declared: usize,
    },
}

fn hex16(v: u16) -> Value {
    Value::hex16(v)
}

/// Room for a record's fields: its table and a few found ones.
fn room(table: &[FieldSpec]) -> usize {
    table.len().saturating_add(4)
}

/// An Ethernet II or IEEE 802.3 header at the frame's start.
pub fn ethernet(c: &mut Cursor<'_, '_>) -> LinkNext {
    let frame = c.frame;
    if frame.len() < ETHERNET2_LEN {
        // Cut: the MACs that are there still count, as in tshark.
        let mut rec = c.record(
            ProtocolId::Ethernet2,
            Span::new(0, frame.len()),
            Span::new(0, frame.len()),
            2,
        );
        let mut first_missing = ("destination", 0);
        for (name, at) in [("destination", 0usize), ("source", 6)] {
            let Some(bytes) = frame.get(at..at.saturating_add(6)) else {
                first_missing = (name, at);
                break;
            };
            first_missing = ("ethertype", 12);
            if !c.summary {
                let spec = ETHERNET2_FIELDS.iter().find(|f| f.name == name);
                if let (Some(spec), Ok(mac)) = (spec, bytes.try_into()) {
                    rec.push(spec, 0, Value::Mac(mac));
                }
            }
        }
        if !frame.is_empty() {
            c.push(rec);
        }
        let what = Text::new("Ethernet II header", "以太网 II 首部");
        let kind = StopKind::Truncated {
            what,
            needed: ETHERNET2_LEN,
            present: frame.len(),
            length_from: None,
            first_missing: Some(first_missing),
        };
        c.stop(ProtocolId::Ethernet2, 0, kind);
        return LinkNext::Done;
    }
    let mac = |at: usize| {
        frame
            .get(at..at.saturating_add(6))
            .and_then(|b| <[u8; 6]>::try_from(b).ok())
    };
    let (Some(dst), Some(src), Some(&[high, low])) = (mac(0), mac(6), frame.get(12..14)) else {
        return LinkNext::Done; // the length was checked above
    };
    let type_or_length = u16::from_be_bytes([high, low]);
    if type_or_length <= 1500 {
        // IEEE 802.3: a length, then an LLC header.
        const T: &[FieldSpec] = IEEE8023_FIELDS;
        let mut rec = c.record(
            ProtocolId::Ieee8023,
            Span::new(0, frame.len()),
            Span::new(0, ETHERNET2_LEN),
            room(T),
        );
        rec.push(spec!(T, "destination"), 0, Value::Mac(dst));
        rec.push(spec!(T, "source"), 0, Value::Mac(src));
        rec.push(spec!(T, "length"), 0, type_or_length);
        c.push(rec);
        let end = ETHERNET2_LEN + usize::from(type_or_length);
        c.set_packet_end(end.min(frame.len()));
        return LinkNext::Llc {
            off: ETHERNET2_LEN,
            end,
            declared: usize::from(type_or_length),
        };
    }
    let mut rec = c.record(
        ProtocolId::Ethernet2,
        Span::new(0, frame.len()),
        Span::new(0, ETHERNET2_LEN),
        room(ETHERNET2_FIELDS),
    );
    rec.push(spec!(ETHERNET2_FIELDS, "destination"), 0, Value::Mac(dst));
    rec.push(spec!(ETHERNET2_FIELDS, "source"), 0, Value::Mac(src));
    rec.push(
        spec!(ETHERNET2_FIELDS, "ethertype"),
        0,
        hex16(type_or_length),
    );
    c.push(rec);
    LinkNext::EtherType {
        off: ETHERNET2_LEN,
        ethertype: type_or_length,
        owner: ProtocolId::Ethernet2,
    }
}

/// After an 802.3 frame's LLC header and what it carries were walked (their stops from
/// `before` on): if the frame ends before the 802.3 length says and nothing inside said so,
/// the cut is the LLC payload's.
pub fn llc_payload_cut(
    c: &mut Cursor<'_, '_>,
    before: usize,
    off: usize,
    end: usize,
    declared: usize,
) {
    let inner_cut = c
        .stops_since(before)
        .iter()
        .any(|e| matches!(e.kind, StopKind::Truncated { .. }));
    let len = c.frame.len();
    if end > len && !inner_cut {
        // The LLC header is whole; what it carries is cut.
        let what = Text::new("LLC payload", "LLC 载荷");
        let kind = truncated(
            what,
            declared,
            len.saturating_sub(off),
            Some("802.3 length"),
        );
        c.stop(ProtocolId::Llc, off, kind);
    }
}

/// The 802.1Q (0x8100), 802.1ad (0x88a8) and old QinQ (0x9100) tags an EtherType field
/// ending at `off` starts, one record per tag; then the EtherType they end with. `owner` is
/// the protocol whose type field it is.
pub fn vlan_tags(
    c: &mut Cursor<'_, '_>,
    mut off: usize,
    mut ethertype: u16,
    owner: ProtocolId,
) -> LinkNext {
    let frame = c.frame;
    let mut owner = owner;
    while matches!(ethertype, 0x8100 | 0x88a8 | 0x9100) {
        if c.is_full() {
            let what = Text::new(
                "802.1Q tags past the 64-layer limit of a frame, at most",
                "超过每帧 64 层上限的 802.1Q 标签,最多",
            );
            let count = frame.len().saturating_sub(off) / VLAN_TAG_LEN;
            let kind = StopKind::Unsupported {
                what,
                value: count.to_string(),
            };
            c.stop(ProtocolId::Vlan, off, kind);
            return LinkNext::Done;
        }
        let rest = frame.get(off..).unwrap_or_default();
        let tag = rest.get(..VLAN_TAG_LEN).unwrap_or(rest);
        let mut rec = c.record(
            ProtocolId::Vlan,
            Span::new(off, frame.len()),
            Span::new(off, off.saturating_add(tag.len())),
            room(VLAN_FIELDS),
        );
        let missing = present_fields(&mut rec, VLAN_FIELDS, off, tag, |f, v| match f.name {
            "dei" => (v == 1).into(),
            "ethertype" => hex16(v as u16),
            _ => v.into(),
        });
        let [_, _, high, low] = *tag else {
            // Cut: the fields that are there still count, as in tshark.
            if !tag.is_empty() {
                c.push(rec);
            }
            let what = Text::new("802.1Q tag", "802.1Q 标签");
            let kind = StopKind::Truncated {
                what,
                needed: VLAN_TAG_LEN,
                present: tag.len(),
                length_from: None,
                first_missing: missing,
            };
            c.stop(ProtocolId::Vlan, off, kind);
            return LinkNext::Done;
        };
        ethertype = u16::from_be_bytes([high, low]);
        c.push(rec);
        off = off.saturating_add(VLAN_TAG_LEN);
        owner = ProtocolId::Vlan;
    }
    LinkNext::EtherType {
        off,
        ethertype,
        owner,
    }
}

/// IEEE 802.2 LLC, and SNAP when both SAPs are 0xaa.
pub fn llc(c: &mut Cursor<'_, '_>, off: usize, end: usize) -> LinkNext {
    let data = c.frame.get(off..end).unwrap_or_default();
    if data.len() < 3 {
        let kind = truncated(Text::new("LLC header", "LLC 首部"), 3, data.len(), None);
        c.stop(ProtocolId::Llc, off, kind);
        return LinkNext::Done;
    }
    let snap = data.get(..2) == Some(&[0xaa, 0xaa][..]);
    let hlen = if snap { 8 } else { 3 };
    if data.len() < hlen {
        let kind = truncated(
            Text::new("SNAP header", "SNAP 首部"),
            hlen,
            data.len(),
            None,
        );
        c.stop(ProtocolId::Llc, off, kind);
        return LinkNext::Done;
    }
    let mut rec = c.record(
        ProtocolId::Llc,
        Span::new(off, end),
        Span::new(off, off.saturating_add(hlen)),
        room(LLC_FIELDS),
    );
    let inside = LLC_FIELDS
        .iter()
        .filter(|f| f.offset.saturating_add(f.len) <= hlen);
    for (f, v) in inside.filter_map(|f| Some((f, f.read(data)?))) {
        match f.name {
            "pid" => rec.push(f, off, hex16(v as u16)),
            _ => rec.push(
                f,
                off,
                Value::Hex {
                    value: u64::from(v),
                    digits: u8::try_from(f.len.saturating_mul(2)).unwrap_or(u8::MAX),
                },
            ),
        }
    }
    c.push(rec);
    if let (true, Some(&[0, 0, 0, high, low])) = (snap, data.get(3..8)) {
        // The stack walks it within the 802.3 length, so padding is not taken for data.
        let pid = u16::from_be_bytes([high, low]);
        LinkNext::EtherType {
            off: off.saturating_add(hlen),
            ethertype: pid,
            owner: ProtocolId::Llc,
        }
    } else {
        let sap = data.first().copied().unwrap_or_default();
        let value = match crate::sap_name(sap) {
            Some(name) => format!("0x{sap:02x} ({name})"),
            None => format!("0x{sap:02x}"),
        };
        let what = Text::new("LLC service access point", "LLC 服务访问点");
        c.stop(ProtocolId::Llc, off, StopKind::Unsupported { what, value });
        LinkNext::Done
    }
}

/// Linux cooked capture headers (v1 or v2), then what their protocol field says.
pub fn sll(c: &mut Cursor<'_, '_>, v2: bool) -> LinkNext {
    let frame = c.frame;
    let (name, table, hlen) = if v2 {
        (ProtocolId::LinuxSll2, SLL2_FIELDS, SLL2_LEN)
    } else {
        (ProtocolId::LinuxSll, SLL_FIELDS, SLL_LEN)
    };
    if frame.len() < hlen {
        let what = Text::new("cooked capture header", "cooked 抓包首部");
        c.stop(name, 0, truncated(what, hlen, frame.len(), None));
        return LinkNext::Done;
    }
    let mut rec = c.record(
        name,
        Span::new(0, frame.len()),
        Span::new(0, hlen),
        room(table),
    );
    let addr_len = frame
        .get(if v2 { 11 } else { 5 })
        .map_or(0, |n| usize::from(*n).min(8));
    for f in table {
        match (f.name, f.read(frame)) {
            ("address", _) => {
                let address = frame
                    .get(f.offset..f.offset.saturating_add(addr_len))
                    .unwrap_or_default();
                rec.push(f, 0, Value::Bytes(address.to_vec()));
            }
            ("protocol", Some(v)) => rec.push(f, 0, hex16(v as u16)),
            (_, Some(v)) => rec.push(f, 0, v),
            // Every field lies in the header, whose length was checked.
            (_, None) => {}
        }
    }
    c.push(rec);
    let proto_at = table
        .iter()
        .find(|f| f.name == "protocol")
        .map_or(14, |f| f.offset);
    let protocol = match frame.get(proto_at..proto_at.saturating_add(2)) {
        Some(&[high, low]) => u16::from_be_bytes([high, low]),
        _ => 0,
    };
    match protocol {
        0x0800 | 0x86dd | 0x0806 | 0x8100 | 0x88a8 => LinkNext::EtherType {
            off: hlen,
            ethertype: protocol,
            owner: name,
        },
        other => {
            let kind = StopKind::Unsupported {
                what: Text::new("cooked capture protocol", "cooked 协议类型"),
                value: ethertype_hex(other),
            };
            c.stop(name, proto_at, kind);
            LinkNext::Done
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use layers_osi::dissect_with;

    /// The lesson's SYN as tcpdump captured it on loopback (fixtures/loopback-tcp-hello.pcap,
    /// frame 1): Ethernet II with zero MACs, then IPv4.
    const SYN: &str = "00000000000000000000000008004500003cd1b940004006";
    /// `tcpdump -i any` (fixtures/loopback-any-sll2.pcap, frame 1): a cooked v2 header.
    const SLL2: &str = "0800000000000001030400060000000000000000450000224e16";

    fn bytes(text: &str) -> Vec<u8> {
        hex::decode(text).unwrap()
    }

    #[test]
    fn ethernet_ii_names_its_ethertype_and_stops_on_every_cut() {
        let frame = bytes(SYN);
        let (d, next) = dissect_with(&frame, ethernet);
        assert_eq!(
            next,
            LinkNext::EtherType {
                off: 14,
                ethertype: 0x0800,
                owner: ProtocolId::Ethernet2
            }
        );
        let rec = &d.layers[0];
        assert_eq!(rec.field("ethertype").unwrap().value.text(), "0x0800");
        assert_eq!(
            rec.field("source").unwrap().value.text(),
            "00:00:00:00:00:00"
        );
        assert_eq!(rec.field("source").unwrap().span, Span::new(6, 12));
        for cut in 0..14 {
            let (d, next) = dissect_with(&frame[..cut], ethernet);
            assert_eq!(next, LinkNext::Done, "cut {cut}");
            assert_eq!(d.errors[0].offset, 0);
            assert!(matches!(d.errors[0].kind, StopKind::Truncated { .. }));
        }
    }

    #[test]
    fn tags_are_one_record_each_and_hand_on_the_inner_ethertype() {
        // The SYN's header with two tags pushed in: 802.1ad S-tag 100, 802.1Q C-tag 10 (PCP 5).
        let mut frame = bytes(SYN);
        frame.splice(12..14, bytes("88a800648100a00a0800"));
        let (d, next) = dissect_with(&frame, |c| match ethernet(c) {
            LinkNext::EtherType {
                off,
                ethertype,
                owner,
            } => vlan_tags(c, off, ethertype, owner),
            other => other,
        });
        assert_eq!(
            next,
            LinkNext::EtherType {
                off: 22,
                ethertype: 0x0800,
                owner: ProtocolId::Vlan
            }
        );
        let ids: Vec<String> = d
            .layers
            .iter()
            .filter(|l| l.protocol == ProtocolId::Vlan)
            .map(|l| l.field("id").unwrap().value.text())
            .collect();
        assert_eq!(ids, ["100", "10"]);
        assert_eq!(d.layers[2].field("priority").unwrap().value.text(), "5");
    }

    #[test]
    fn a_cooked_v2_header_hands_on_its_protocol() {
        let frame = bytes(SLL2);
        let (d, next) = dissect_with(&frame, |c| sll(c, true));
        assert_eq!(
            next,
            LinkNext::EtherType {
                off: 20,
                ethertype: 0x0800,
                owner: ProtocolId::LinuxSll2
            }
        );
        assert_eq!(
            d.layers[0].field("interface_index").unwrap().value.text(),
            "1"
        );
    }
}
