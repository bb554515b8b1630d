//! ARP (RFC 826): which MAC has this IP? Carried directly in an Ethernet frame
//! (EtherType 0x0806); the course files it under data link. RFC 826 names no OSI layer:
//! texts place ARP at layer 2, at layer 3 or between them.
//!
//! For Ethernet and IPv4, 28 bytes:
//!
//! ```text
//!  0                   1                   2                   3
//!  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |     Hardware type (1)         |     Protocol type (0x0800)    |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! | HW size (6)   | Proto size (4)|  Operation (1 req, 2 reply)   |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |              Sender MAC (6) ...  | Sender IP (4) ...          |
//! |              Target MAC (6) ...  | Target IP (4)              |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! ```
//!
//! The wire format is etherparse's [`ArpPacket`]; this crate adds the field table and the
//! request a host sends to resolve its next hop.
//!
//! ```
//! use layers_arp::{request, ARP_ETH_IPV4_LEN};
//! let arp = request([2, 0, 192, 168, 11, 34], [192, 168, 11, 34], [192, 168, 11, 53]);
//! assert_eq!(arp.packet_len(), ARP_ETH_IPV4_LEN);
//! assert_eq!(arp.target_hw_addr(), &[0u8; 6][..]);
//! ```
#![forbid(unsafe_code)]
#![deny(clippy::print_stdout, clippy::print_stderr)]
// A library must not panic on any input: no unwrap, expect or unchecked index outside
// tests; where one is provably safe, an `#[expect]` says why.
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        // Offsets and lengths saturate or are checked: a lying length ends a read early,
        // never wraps.
        clippy::arithmetic_side_effects
    )
)]

use etherparse::EtherType;
pub use etherparse::{ArpHardwareId, ArpOperation, ArpPacket};
use layers_osi::{FieldSpec, Text};

mod dissect;
pub use dissect::{arp, arp_field};

/// Length of an ARP packet for Ethernet and IPv4.
pub const ARP_ETH_IPV4_LEN: usize = 28;
/// Length of the fixed part, before the addresses.
pub const ARP_FIXED_LEN: usize = 8;

/// The fields of an ARP packet for Ethernet (6-byte) and IPv4 (4-byte) addresses.
pub const ARP_FIELDS: &[FieldSpec] = &[
    FieldSpec {
        name: "hardware_type",
        offset: 0,
        len: 2,
        mask: None,
        about: Text::new(
            "link type of the addresses: 1 = Ethernet",
            "硬件地址类型:1 = 以太网",
        ),
    },
    FieldSpec {
        name: "protocol_type",
        offset: 2,
        len: 2,
        mask: None,
        about: Text::new(
            "the network protocol being resolved: 0x0800 IPv4",
            "要解析的网络协议:0x0800 IPv4",
        ),
    },
    FieldSpec {
        name: "hardware_size",
        offset: 4,
        len: 1,
        mask: None,
        about: Text::new("bytes per hardware address: 6", "硬件地址长度:6"),
    },
    FieldSpec {
        name: "protocol_size",
        offset: 5,
        len: 1,
        mask: None,
        about: Text::new("bytes per protocol address: 4", "协议地址长度:4"),
    },
    FieldSpec {
        name: "operation",
        offset: 6,
        len: 2,
        mask: None,
        about: Text::new(
            "1 request (who has?), 2 reply (is at)",
            "1 请求(谁有?),2 应答(在这里)",
        ),
    },
    FieldSpec {
        name: "sender_mac",
        offset: 8,
        len: 6,
        mask: None,
        about: Text::new("the asker's MAC", "询问者的 MAC"),
    },
    FieldSpec {
        name: "sender_ip",
        offset: 14,
        len: 4,
        mask: None,
        about: Text::new("the asker's IP", "询问者的 IP"),
    },
    FieldSpec {
        name: "target_mac",
        offset: 18,
        len: 6,
        mask: None,
        about: Text::new(
            "the answer: zeros in a request, filled in by the reply",
            "答案:请求中为全零,由应答填写",
        ),
    },
    FieldSpec {
        name: "target_ip",
        offset: 24,
        len: 4,
        mask: None,
        about: Text::new("the IP whose MAC is wanted", "要查询其 MAC 的 IP"),
    },
];

/// What an operation code means.
pub fn operation_name(op: u16) -> Text {
    match op {
        1 => Text::new("request", "请求"),
        2 => Text::new("reply", "应答"),
        3 => Text::new("RARP request", "RARP 请求"),
        4 => Text::new("RARP reply", "RARP 应答"),
        _ => Text::new("unknown", "未知"),
    }
}

/// The broadcast request "who has `target_ip`? tell `sender_ip`" (RFC 826).
#[expect(
    clippy::expect_used,
    reason = "ArpPacket::new fails only for addresses over 255 bytes; these are 6 and 4"
)]
pub fn request(sender_mac: [u8; 6], sender_ip: [u8; 4], target_ip: [u8; 4]) -> ArpPacket {
    ArpPacket::new(
        ArpHardwareId::ETHERNET,
        EtherType::IPV4,
        ArpOperation::REQUEST,
        &sender_mac,
        &sender_ip,
        &[0; 6],
        &target_ip,
    )
    .expect("6-byte and 4-byte addresses always fit an ARP packet")
}

/// The reply "`sender_ip` is at `sender_mac`" sent back to the asker.
#[expect(
    clippy::expect_used,
    reason = "ArpPacket::new fails only for addresses over 255 bytes; these are 6 and 4"
)]
pub fn reply(
    sender_mac: [u8; 6],
    sender_ip: [u8; 4],
    target_mac: [u8; 6],
    target_ip: [u8; 4],
) -> ArpPacket {
    ArpPacket::new(
        ArpHardwareId::ETHERNET,
        EtherType::IPV4,
        ArpOperation::REPLY,
        &sender_mac,
        &sender_ip,
        &target_mac,
        &target_ip,
    )
    .expect("6-byte and 4-byte addresses always fit an ARP packet")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The ARP request of fixtures/netns-arp-ping.pcap (bytes 14..42 of its first frame):
    /// 10.99.0.1 (02:00:0a:63:00:01) asks who has 10.99.0.2.
    static REQUEST: [u8; 28] = [
        0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01, 0x02, 0x00, 0x0a, 0x63, 0x00, 0x01, 0x0a,
        0x63, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0a, 0x63, 0x00, 0x02,
    ];

    #[test]
    fn read_fields_from_real_bytes() {
        let read: Vec<u32> = ARP_FIELDS
            .iter()
            .filter(|f| f.len <= 4)
            .map(|f| f.read(&REQUEST).unwrap())
            .collect();
        // hardware_type, protocol_type, sizes, operation, sender_ip, target_ip
        assert_eq!(read, [1, 0x0800, 6, 4, 1, 0x0a63_0001, 0x0a63_0002]);
        let arp = ArpPacket::from_slice(&REQUEST).unwrap();
        assert_eq!(arp.operation, ArpOperation::REQUEST);
        assert_eq!(operation_name(arp.operation.0).en, "request");
    }

    #[test]
    fn write_a_request_into_a_poisoned_buffer() {
        let arp = request([2, 0, 10, 99, 0, 1], [10, 99, 0, 1], [10, 99, 0, 2]);
        let mut buf = [0xa5u8; 28];
        let bytes = arp.to_bytes();
        buf.copy_from_slice(&bytes);
        assert_eq!(buf, REQUEST);
    }

    #[test]
    fn a_reply_answers_the_request() {
        let arp = reply(
            [2, 0, 10, 99, 0, 2],
            [10, 99, 0, 2],
            [2, 0, 10, 99, 0, 1],
            [10, 99, 0, 1],
        );
        assert_eq!(arp.operation, ArpOperation::REPLY);
        assert_eq!(arp.target_hw_addr(), &[2, 0, 10, 99, 0, 1]);
        assert_eq!(arp.sender_protocol_addr(), &[10, 99, 0, 2]);
    }

    #[test]
    fn the_field_table_covers_all_28_bytes_in_order() {
        let mut next = 0;
        for f in ARP_FIELDS {
            assert_eq!(f.offset, next, "{}", f.name);
            next += f.len;
        }
        assert_eq!(next, ARP_ETH_IPV4_LEN);
    }

    #[test]
    fn every_truncation_of_a_request_is_refused() {
        for len in 0..REQUEST.len() {
            assert!(ArpPacket::from_slice(&REQUEST[..len]).is_err(), "len {len}");
        }
    }
}
