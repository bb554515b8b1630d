//! The ARP dissector: an ARP packet's fields read from a [`Cursor`] at an offset.

use etherparse::ArpPacketSlice;
use layers_osi::{Cursor, FieldSpec, FieldValue as Value, ProtocolId, Span, StopKind, Text};

/// An ARP packet's value for field `f`, from the bytes `data` (the packet from its start)
/// holds; `None` when they do not hold all of it.
fn value(f: &FieldSpec, data: &[u8]) -> Option<Value> {
    let bytes = data.get(f.offset..f.offset.saturating_add(f.len))?;
    Some(match f.name {
        "protocol_type" => Value::hex16(u16::from_be_bytes(bytes.try_into().ok()?)),
        "sender_mac" | "target_mac" => Value::Mac(bytes.try_into().ok()?),
        "sender_ip" | "target_ip" => Value::Ipv4(bytes.try_into().ok()?),
        _ => f.read(data)?.into(),
    })
}

/// The value an ARP record holds for field `f` of [`crate::ARP_FIELDS`], read from the
/// bytes of its packet; `None` when they do not hold all of it, or for an address field of
/// a packet whose addresses are not Ethernet's and IPv4's (those are one run of bytes). A
/// view that reads a few fields reads them this way after the summary walk.
pub fn arp_field(f: &FieldSpec, packet: &[u8]) -> Option<Value> {
    if f.offset >= crate::ARP_FIXED_LEN && packet.get(4..6) != Some(&[6, 4][..]) {
        return None;
    }
    value(f, packet)
}

/// An ARP packet at `off` (what follows it is padding). A packet cut short keeps the
/// fields that are there, as in tshark, and stops at the first that is not.
pub fn arp(c: &mut Cursor<'_, '_>, off: usize) {
    let data = c.frame.get(off..).unwrap_or_default();
    let parsed = ArpPacketSlice::from_slice(data);
    let packet = parsed.as_ref().map_or(data, |s| s.slice());
    let len = packet.len();
    // Ethernet and IPv4 addresses: the table's fields; any other sizes: one run of bytes.
    let standard = data.get(4..6) == Some(&[6, 4][..]);
    let mut rec = c.record(
        ProtocolId::Arp,
        Span::new(off, off.saturating_add(len)),
        Span::new(off, off.saturating_add(len)),
        crate::ARP_FIELDS.len().saturating_add(1),
    );
    let mut first_missing = None;
    for f in crate::ARP_FIELDS {
        if f.offset >= crate::ARP_FIXED_LEN && !standard {
            break;
        }
        match value(f, packet) {
            Some(v) if !c.summary => rec.push(f, off, v),
            Some(_) => {}
            None => {
                first_missing = Some((f.name, off.saturating_add(f.offset)));
                break;
            }
        }
    }
    match parsed {
        Ok(_) => {
            if !standard && !c.summary {
                let rest = Span::new(
                    off.saturating_add(crate::ARP_FIXED_LEN),
                    off.saturating_add(len),
                );
                let bytes = packet
                    .get(crate::ARP_FIXED_LEN..)
                    .unwrap_or_default()
                    .to_vec();
                rec.push_at("addresses", rest, Value::Bytes(bytes));
            }
            c.push(rec);
            c.set_packet_end(off.saturating_add(len));
        }
        Err(e) => {
            if !data.is_empty() {
                c.push(rec);
            }
            let what = Text::new("ARP packet", "ARP 数据包");
            let from =
                (data.len() >= crate::ARP_FIXED_LEN).then_some("hardware_size/protocol_size");
            let kind = StopKind::Truncated {
                what,
                needed: e.required_len,
                present: data.len(),
                length_from: from,
                first_missing: first_missing.or(Some((
                    "addresses",
                    off.saturating_add(crate::ARP_FIXED_LEN),
                ))),
            };
            c.stop(ProtocolId::Arp, off, kind);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use layers_osi::Dissection;

    /// The ARP request of fixtures/netns-arp-ping.pcap (frame 1), two network namespaces
    /// joined by veth: who has 10.99.0.2? tell 10.99.0.1.
    const REQUEST: [u8; 42] = [
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0x00, 0x0a, 0x63, 0x00, 0x01, 0x08, 0x06, 0x00,
        0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01, 0x02, 0x00, 0x0a, 0x63, 0x00, 0x01, 0x0a, 0x63,
        0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0a, 0x63, 0x00, 0x02,
    ];

    fn walk(bytes: &[u8]) -> (Dissection, Option<usize>) {
        let mut out = Dissection::default();
        let mut c = Cursor::new(bytes, &mut out, false, bytes.len());
        arp(&mut c, 14);
        let end = c.packet_end;
        (out, end)
    }

    #[test]
    fn a_real_request_reads_field_by_field_and_ends_the_packet() {
        let (d, end) = walk(&REQUEST);
        let rec = &d.layers[0];
        let text = |n: &str| rec.field(n).unwrap().value.text();
        assert_eq!(text("operation"), "1");
        assert_eq!(text("sender_mac"), "02:00:0a:63:00:01");
        assert_eq!(text("sender_ip"), "10.99.0.1");
        assert_eq!(text("target_ip"), "10.99.0.2");
        assert_eq!(rec.field("target_ip").unwrap().span, Span::new(38, 42));
        assert_eq!(end, Some(42), "what follows is padding");
        assert!(d.errors.is_empty());
    }

    #[test]
    fn every_cut_is_a_truncation_at_the_packet_start() {
        for cut in 14..REQUEST.len() {
            let (d, _) = walk(&REQUEST[..cut]);
            // The fixed fields the cut left whole are still read.
            let rec = d.layers.first().filter(|_| cut > 14);
            let names: Vec<&str> = rec.iter().flat_map(|r| &r.fields).map(|f| f.name).collect();
            let whole = crate::ARP_FIELDS
                .iter()
                .filter(|f| cut - 14 >= f.offset + f.len)
                .map(|f| f.name)
                .collect::<Vec<_>>();
            assert_eq!(names, whole, "cut {cut}");
            assert_eq!(d.errors[0].offset, 14);
            // Until the sizes are in, the fixed 8 bytes; then what the sizes say (28).
            let want = if cut - 14 < crate::ARP_FIXED_LEN {
                8
            } else {
                28
            };
            assert!(
                matches!(d.errors[0].kind, StopKind::Truncated { needed, .. } if needed == want),
                "cut {cut}: {:?}",
                d.errors[0].kind
            );
        }
    }
}
