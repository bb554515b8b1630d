//! The network layer (OSI 3): the IPv4 header (RFC 791), ICMP (RFC 792), and the subnet
//! reasoning a host does before it sends: address AND mask gives the network; same network
//! means deliver directly, otherwise hand the packet to the gateway.
//!
//! ```text
//!  0                   1                   2                   3
//!  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |Version|  IHL  |   DSCP    |ECN|          Total Length         |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |         Identification        |R|D|M|     Fragment Offset     |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |  Time to Live |    Protocol   |         Header Checksum       |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |                       Source Address                          |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |                    Destination Address                        |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |                    Options                    |    Padding    |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! ```
//!
//! The wire format is etherparse's ([`Ipv4Header`], [`Icmpv4Header`]); this crate adds the
//! field tables and the subnet maths.
//!
//! ```
//! use layers_ipv4::{Ipv4Net, next_hop, NextHop};
//! let me: Ipv4Net = "192.168.11.34/255.255.255.0".parse().unwrap();
//! assert_eq!(me.prefix(), 24);
//! assert_eq!(me.network().to_string(), "192.168.11.0");
//! let gw = "192.168.11.1".parse().unwrap();
//! assert_eq!(next_hop(me, "192.168.11.53".parse().unwrap(), gw).hop, NextHop::Direct);
//! assert_eq!(next_hop(me, "8.8.8.8".parse().unwrap(), gw).hop, NextHop::Gateway(gw));
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
        // Offsets, lengths and subnet sizes saturate or are checked: nothing wraps (the lint
        // found `subnet --hosts 4294967295` overflowing a prefix).
        clippy::arithmetic_side_effects
    )
)]

mod dissect;
mod subnet;

pub use dissect::{
    checksum_verdict, icmp, icmp_field, icmpv6, ipv4, ipv4_field, ipv6, ipv6_field, Addrs,
    IpContext, IpNext,
};
pub use etherparse::{Icmpv4Header, Icmpv4Type, IpNumber, Ipv4Header};
use layers_osi::{FieldSpec, Text};
pub use subnet::{
    assumed_gateway, class_of, mask_from_prefix, multicast_mac, next_hop, parse_prefix_or_mask,
    prefix_from_mask, range_kind, Destination, Ipv4Net, NextHop, OctetAnd, RangeKind, Route,
    RoutingTable, SplitError, SubnetError, Subnets, TableRoute,
};

/// Length of an IPv4 header without options.
pub const IPV4_MIN_LEN: usize = 20;
/// Length of an ICMP echo header.
pub const ICMP_ECHO_LEN: usize = 8;

/// The IPv4 header's fields (options, when present, follow at byte 20).
pub const IPV4_FIELDS: &[FieldSpec] = &[
    FieldSpec {
        name: "version",
        offset: 0,
        len: 1,
        mask: Some(0xf0),
        about: Text::new("4 for IPv4", "IPv4 为 4"),
    },
    FieldSpec {
        name: "header_length",
        offset: 0,
        len: 1,
        mask: Some(0x0f),
        about: Text::new(
            "IHL: header length in 32-bit words (5 = 20 bytes, no options)",
            "IHL:首部长度,单位 4 字节(5 = 20 字节,无选项)",
        ),
    },
    FieldSpec {
        name: "dscp",
        offset: 1,
        len: 1,
        mask: Some(0xfc),
        about: Text::new(
            "differentiated services code point (QoS class)",
            "区分服务代码点(QoS 类别)",
        ),
    },
    FieldSpec {
        name: "ecn",
        offset: 1,
        len: 1,
        mask: Some(0x03),
        about: Text::new("explicit congestion notification", "显式拥塞通知"),
    },
    FieldSpec {
        name: "total_length",
        offset: 2,
        len: 2,
        mask: None,
        about: Text::new(
            "header and data in bytes: where the packet ends (Ethernet padding comes after)",
            "首部加数据的字节数:数据包在此结束(以太网填充在其后)",
        ),
    },
    FieldSpec {
        name: "identification",
        offset: 4,
        len: 2,
        mask: None,
        about: Text::new(
            "the same for all fragments of one packet",
            "同一数据包的所有分片相同",
        ),
    },
    FieldSpec {
        name: "dont_fragment",
        offset: 6,
        len: 1,
        mask: Some(0x40),
        about: Text::new(
            "DF: routers must drop rather than fragment it (and say so with ICMP)",
            "DF:路由器不得分片,只能丢弃(并用 ICMP 告知)",
        ),
    },
    FieldSpec {
        name: "more_fragments",
        offset: 6,
        len: 1,
        mask: Some(0x20),
        about: Text::new("MF: more fragments follow", "MF:后面还有分片"),
    },
    FieldSpec {
        name: "fragment_offset",
        offset: 6,
        len: 2,
        mask: Some(0x1fff),
        about: Text::new(
            "where this fragment's data starts, in 8-byte units",
            "本分片数据的起始位置,单位 8 字节",
        ),
    },
    FieldSpec {
        name: "ttl",
        offset: 8,
        len: 1,
        mask: None,
        about: Text::new(
            "time to live: every router lowers it by one and drops the packet at 0",
            "生存时间:每经过一个路由器减一,为 0 时丢弃",
        ),
    },
    FieldSpec {
        name: "protocol",
        offset: 9,
        len: 1,
        mask: None,
        about: Text::new(
            "what it carries: 1 ICMP, 6 TCP, 17 UDP",
            "装载的协议:1 ICMP、6 TCP、17 UDP",
        ),
    },
    FieldSpec {
        name: "checksum",
        offset: 10,
        len: 2,
        mask: None,
        about: Text::new(
            "one's complement sum of the header only; recomputed by every router (the TTL changes)",
            "仅首部的反码和;每个路由器都要重算(因为 TTL 变了)",
        ),
    },
    FieldSpec {
        name: "source",
        offset: 12,
        len: 4,
        mask: None,
        about: Text::new("the sending host's IP", "发送主机的 IP"),
    },
    FieldSpec {
        name: "destination",
        offset: 16,
        len: 4,
        mask: None,
        about: Text::new(
            "the final host's IP (unchanged hop to hop, unlike the MACs)",
            "最终主机的 IP(逐跳不变,MAC 则每跳都变)",
        ),
    },
];

/// The ICMP header's fields; `identifier` and `sequence` are those of echo messages.
pub const ICMP_FIELDS: &[FieldSpec] = &[
    FieldSpec {
        name: "type",
        offset: 0,
        len: 1,
        mask: None,
        about: Text::new(
            "8 echo request, 0 echo reply, 3 unreachable, 11 time exceeded",
            "8 回显请求、0 回显应答、3 不可达、11 超时",
        ),
    },
    FieldSpec {
        name: "code",
        offset: 1,
        len: 1,
        mask: None,
        about: Text::new("detail of the type", "类型的细分"),
    },
    FieldSpec {
        name: "checksum",
        offset: 2,
        len: 2,
        mask: None,
        about: Text::new("over the whole ICMP message", "覆盖整个 ICMP 报文"),
    },
    FieldSpec {
        name: "identifier",
        offset: 4,
        len: 2,
        mask: None,
        about: Text::new(
            "echo: matches replies to the pinging program",
            "回显:把应答对应到发起 ping 的程序",
        ),
    },
    FieldSpec {
        name: "sequence",
        offset: 6,
        len: 2,
        mask: None,
        about: Text::new("echo: counts the pings", "回显:ping 的序号"),
    },
];

/// Length of the IPv6 header (extension headers follow).
pub const IPV6_LEN: usize = 40;

/// The IPv6 header's fields (RFC 8200).
pub const IPV6_FIELDS: &[FieldSpec] = &[
    FieldSpec {
        name: "version",
        offset: 0,
        len: 1,
        mask: Some(0xf0),
        about: Text::new("6 for IPv6", "IPv6 为 6"),
    },
    FieldSpec {
        name: "traffic_class",
        offset: 0,
        len: 2,
        mask: Some(0x0ff0),
        about: Text::new("DSCP and ECN, as in IPv4", "DSCP 和 ECN,与 IPv4 相同"),
    },
    FieldSpec {
        name: "flow_label",
        offset: 1,
        len: 3,
        mask: Some(0x0f_ffff),
        about: Text::new("marks packets of one flow", "标记同一数据流的数据包"),
    },
    FieldSpec {
        name: "payload_length",
        offset: 4,
        len: 2,
        mask: None,
        about: Text::new(
            "bytes after this 40-byte header",
            "这 40 字节首部之后的字节数",
        ),
    },
    FieldSpec {
        name: "next_header",
        offset: 6,
        len: 1,
        mask: None,
        about: Text::new(
            "what follows: 6 TCP, 17 UDP, 58 ICMPv6, or an extension header",
            "后面是什么:6 TCP、17 UDP、58 ICMPv6,或扩展首部",
        ),
    },
    FieldSpec {
        name: "hop_limit",
        offset: 7,
        len: 1,
        mask: None,
        about: Text::new(
            "IPv6's TTL: every router lowers it by one",
            "IPv6 的 TTL:每个路由器减一",
        ),
    },
    FieldSpec {
        name: "source",
        offset: 8,
        len: 16,
        mask: None,
        about: Text::new("the sending host's IPv6 address", "发送主机的 IPv6 地址"),
    },
    FieldSpec {
        name: "destination",
        offset: 24,
        len: 16,
        mask: None,
        about: Text::new("the final host's IPv6 address", "最终主机的 IPv6 地址"),
    },
];

/// The name of an IPv4 option type (RFC 791 and the IANA registry).
pub fn ipv4_option_name(kind: u8) -> &'static str {
    match kind {
        0 => "EOL",
        1 => "NOP",
        7 => "Record Route",
        68 => "Timestamp",
        130 => "Security",
        131 => "Loose Source Route",
        137 => "Strict Source Route",
        136 => "Stream ID",
        148 => "Router Alert",
        82 => "Traceroute",
        _ => "unknown",
    }
}

/// The usual name of an IP protocol number, if it has one.
pub fn ip_protocol_name(value: u8) -> Option<&'static str> {
    IpNumber(value).keyword_str()
}

/// What an ICMP type means.
pub fn icmp_type_name(icmp_type: u8) -> Text {
    match icmp_type {
        0 => Text::new("echo reply", "回显应答"),
        3 => Text::new("destination unreachable", "目的不可达"),
        5 => Text::new("redirect", "重定向"),
        8 => Text::new("echo request", "回显请求"),
        11 => Text::new("time exceeded", "超时"),
        12 => Text::new("parameter problem", "参数问题"),
        13 => Text::new("timestamp", "时间戳请求"),
        14 => Text::new("timestamp reply", "时间戳应答"),
        _ => Text::new("other", "其他"),
    }
}

/// What an ICMPv6 type means (RFC 4443, RFC 4861).
pub fn icmpv6_type_name(icmp_type: u8) -> Text {
    match icmp_type {
        1 => Text::new("destination unreachable", "目的不可达"),
        2 => Text::new("packet too big", "数据包过大"),
        3 => Text::new("time exceeded", "超时"),
        4 => Text::new("parameter problem", "参数问题"),
        128 => Text::new("echo request", "回显请求"),
        129 => Text::new("echo reply", "回显应答"),
        133 => Text::new("router solicitation", "路由器请求"),
        134 => Text::new("router advertisement", "路由器通告"),
        135 => Text::new("neighbour solicitation", "邻居请求"),
        136 => Text::new("neighbour advertisement", "邻居通告"),
        _ => Text::new("other", "其他"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Bytes 14..34 of the first frame of fixtures/loopback-tcp-hello.pcap (tcpdump on lo
    /// while the seed's socket programs talk): the SYN's IPv4 header, 127.0.0.1 to itself.
    static SYN_IPV4: [u8; 20] = [
        0x45, 0x00, 0x00, 0x3c, 0xd1, 0xb9, 0x40, 0x00, 0x40, 0x06, 0x6b, 0x00, 0x7f, 0x00, 0x00,
        0x01, 0x7f, 0x00, 0x00, 0x01,
    ];

    #[test]
    fn read_fields_from_real_bytes() {
        let (h, _) = Ipv4Header::from_slice(&SYN_IPV4).unwrap();
        let by_table: Vec<u32> = IPV4_FIELDS
            .iter()
            .map(|f| f.read(&SYN_IPV4).unwrap())
            .collect();
        assert_eq!(
            by_table,
            [
                4,
                5,
                0,
                0,
                60,
                0xd1b9,
                1,
                0,
                0,
                64,
                6,
                0x6b00,
                0x7f00_0001,
                0x7f00_0001
            ]
        );
        assert_eq!(h.total_len, 60);
        assert!(h.dont_fragment);
        assert_eq!(h.header_checksum, h.calc_header_checksum());
        assert_eq!(ip_protocol_name(h.protocol.0), Some("TCP"));
    }

    #[test]
    fn write_fields_into_a_poisoned_buffer() {
        let mut h = Ipv4Header::new(40, 64, IpNumber::TCP, [127, 0, 0, 1], [127, 0, 0, 1]).unwrap();
        h.identification = 0xd1b9;
        h.dont_fragment = true;
        h.header_checksum = h.calc_header_checksum();
        let mut buf = [0xa5u8; 20];
        h.write_raw(&mut &mut buf[..]).unwrap();
        assert_eq!(buf, SYN_IPV4);
    }

    #[test]
    fn every_truncation_of_the_header_is_refused() {
        for len in 0..SYN_IPV4.len() {
            assert!(
                Ipv4Header::from_slice(&SYN_IPV4[..len]).is_err(),
                "len {len}"
            );
        }
    }

    #[test]
    fn icmp_names() {
        assert_eq!(icmp_type_name(8).en, "echo request");
        assert_eq!(icmp_type_name(11).zh, "超时");
        assert_eq!(ICMP_FIELDS[3].read(&[8, 0, 0, 0, 0, 7, 0, 1]), Some(7));
    }
}
