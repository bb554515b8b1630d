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
