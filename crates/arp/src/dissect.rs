//! The ARP dissector: an ARP packet's fields read from a [`Cursor`] at an offset.

use etherparse::ArpPacketSlice;
use layers_osi::{truncated, Cursor, FieldValue as Value, ProtocolId, Span, Text};

/// An ARP packet at `off` (what follows it is padding).
pub fn arp(c: &mut Cursor<'_, '_>, off: usize) {
    let data = &c.frame[off..];
    let slice = match ArpPacketSlice::from_slice(data) {
        Ok(s) => s,
        Err(e) => {
            let what = Text::new("ARP packet", "ARP 数据包");
            let from =
                (data.len() >= crate::ARP_FIXED_LEN).then_some("hardware_size/protocol_size");
            c.stop(
                ProtocolId::Arp,
                off,
                truncated(what, e.required_len, data.len(), from),
            );
            return;
        }
    };
    let len = slice.slice().len();
    let mut rec = c.record(
        ProtocolId::Arp,
        Span::new(off, off + len),
        Span::new(off, off + len),
        crate::ARP_FIELDS.len() + 1,
    );
    let table = crate::ARP_FIELDS;
    let standard = slice.hw_addr_size() == 6 && slice.proto_addr_size() == 4;
    for f in table.iter().filter(|_| !c.summary) {
        if f.offset >= crate::ARP_FIXED_LEN && !standard {
            break;
        }
        let bytes = &data[f.offset..f.offset + f.len];
        let value: Value = match f.name {
            "protocol_type" => Value::hex16(u16::from_be_bytes([bytes[0], bytes[1]])),
            "sender_mac" | "target_mac" => Value::Mac(bytes.try_into().expect("6 bytes")),
            "sender_ip" | "target_ip" => Value::Ipv4(bytes.try_into().expect("4 bytes")),
            _ => f.read(data).expect("short fields fit").into(),
        };
        rec.push(f, off, value);
    }
    if !standard {
        let rest = Span::new(off + crate::ARP_FIXED_LEN, off + len);
        rec.push_at(
            "addresses",
            rest,
            Value::Bytes(data[crate::ARP_FIXED_LEN..len].to_vec()),
        );
    }
    c.push(rec);
    c.set_packet_end(off + len);
}

#[cfg(test)]
mod tests {
    use super::*;
    use layers_osi::{Dissection, StopKind};

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
            assert!(d.layers.is_empty(), "cut {cut}");
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
