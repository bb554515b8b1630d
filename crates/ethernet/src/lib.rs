//! The data link layer's Ethernet (OSI 2): MAC addresses, EtherTypes, the Ethernet II
//! header and the 802.1Q VLAN tag.
//!
//! Ethernet II (IEEE 802.3, DIX framing), 14 bytes:
//!
//! ```text
//!  0                   1                   2                   3
//!  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |                 Destination MAC (6 bytes) ...                 |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |  ... Destination MAC          |    Source MAC (6 bytes) ...   |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |                       ... Source MAC                          |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |           EtherType           |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! ```
//!
//! 802.1Q tag (IEEE 802.1Q), after EtherType 0x8100: PCP (3 bits), DEI (1), VLAN ID (12),
//! then the EtherType of what it carries.
//!
//! The wire format itself is etherparse's ([`etherparse::Ethernet2Header`],
//! [`etherparse::SingleVlanHeader`]); this crate adds the field tables, MAC address
//! notation and kinds, and the teaching knowledge.
//!
//! ```
//! use layers_ethernet::{Mac, ETHERNET2_FIELDS};
//! let mac: Mac = "02:00:C0:A8:0B:22".parse().unwrap();
//! assert!(mac.is_locally_administered() && mac.is_unicast());
//! assert_eq!(Mac::derived_from_ipv4([192, 168, 11, 34]), mac);
//! assert_eq!(ETHERNET2_FIELDS[2].name, "ethertype");
//! assert_eq!(ETHERNET2_FIELDS[2].span(0).start, 12);
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

use std::fmt;
use std::str::FromStr;

pub use etherparse::{EtherType, Ethernet2Header, SingleVlanHeader};

mod dissect;
pub use dissect::{ethernet, llc, llc_payload_cut, sll, vlan_tags, LinkNext};
use layers_osi::{FieldSpec, Text};

/// Length of the Ethernet II header.
pub const ETHERNET2_LEN: usize = 14;
/// Length of one 802.1Q tag (TCI and inner EtherType).
pub const VLAN_TAG_LEN: usize = 4;

/// The Ethernet II header's fields.
pub const ETHERNET2_FIELDS: &[FieldSpec] = &[
    FieldSpec {
        name: "destination",
        offset: 0,
        len: 6,
        mask: None,
        about: Text::new(
            "the MAC of the NIC that should take this frame (the next hop, not always the final host)",
            "应接收此帧的网卡的 MAC(下一跳,不一定是最终主机)",
        ),
    },
    FieldSpec {
        name: "source",
        offset: 6,
        len: 6,
        mask: None,
        about: Text::new("the MAC of the NIC that sent it", "发送此帧的网卡的 MAC"),
    },
    FieldSpec {
        name: "ethertype",
        offset: 12,
        len: 2,
        mask: None,
        about: Text::new(
            "what the frame carries: 0x0800 IPv4, 0x0806 ARP, 0x8100 VLAN tag, 0x86dd IPv6",
            "帧里装的是什么:0x0800 IPv4、0x0806 ARP、0x8100 VLAN 标签、0x86dd IPv6",
        ),
    },
];

/// The 802.1Q tag's fields, from the byte after the 0x8100 EtherType.
pub const VLAN_FIELDS: &[FieldSpec] = &[
    FieldSpec {
        name: "priority",
        offset: 0,
        len: 2,
        mask: Some(0xe000),
        about: Text::new("priority code point (PCP), 0-7", "优先级(PCP),0-7"),
    },
    FieldSpec {
        name: "dei",
        offset: 0,
        len: 2,
        mask: Some(0x1000),
        about: Text::new(
            "drop eligible indicator: may be dropped first under congestion",
            "可丢弃指示:拥塞时可先丢弃",
        ),
    },
    FieldSpec {
        name: "id",
        offset: 0,
        len: 2,
        mask: Some(0x0fff),
        about: Text::new("VLAN identifier, 1-4094", "VLAN 编号,1-4094"),
    },
    FieldSpec {
        name: "ethertype",
        offset: 2,
        len: 2,
        mask: None,
        about: Text::new("what the tagged frame carries", "带标签的帧里装的是什么"),
    },
];

/// The IEEE 802.3 header: the type field holds a length (1500 or less).
pub const IEEE8023_FIELDS: &[FieldSpec] = &[
    FieldSpec {
        name: "destination",
        offset: 0,
        len: 6,
        mask: None,
        about: Text::new(
            "the MAC of the NIC that should take this frame",
            "应接收此帧的网卡的 MAC",
        ),
    },
    FieldSpec {
        name: "source",
        offset: 6,
        len: 6,
        mask: None,
        about: Text::new("the MAC of the NIC that sent it", "发送此帧的网卡的 MAC"),
    },
    FieldSpec {
        name: "length",
        offset: 12,
        len: 2,
        mask: None,
        about: Text::new(
            "bytes of LLC header and data that follow (padding excluded)",
            "其后 LLC 首部和数据的字节数(不含填充)",
        ),
    },
];

/// The IEEE 802.2 LLC header, and the SNAP extension when DSAP and SSAP are 0xaa.
pub const LLC_FIELDS: &[FieldSpec] = &[
    FieldSpec {
        name: "dsap",
        offset: 0,
        len: 1,
        mask: None,
        about: Text::new(
            "destination service access point: 0x42 spanning tree, 0xaa SNAP",
            "目的服务访问点:0x42 生成树,0xaa SNAP",
        ),
    },
    FieldSpec {
        name: "ssap",
        offset: 1,
        len: 1,
        mask: None,
        about: Text::new("source service access point", "源服务访问点"),
    },
    FieldSpec {
        name: "control",
        offset: 2,
        len: 1,
        mask: None,
        about: Text::new("0x03: unnumbered information", "0x03:无编号信息帧"),
    },
    FieldSpec {
        name: "oui",
        offset: 3,
        len: 3,
        mask: None,
        about: Text::new(
            "SNAP: the organisation that defines the protocol id (0 = an EtherType)",
            "SNAP:定义协议号的组织(0 表示以太网类型)",
        ),
    },
    FieldSpec {
        name: "pid",
        offset: 6,
        len: 2,
        mask: None,
        about: Text::new("SNAP: the protocol id", "SNAP:协议号"),
    },
];

/// The Linux cooked capture header (LINKTYPE_LINUX_SLL), 16 bytes.
pub const SLL_FIELDS: &[FieldSpec] = &[
    FieldSpec {
        name: "packet_type",
        offset: 0,
        len: 2,
        mask: None,
        about: Text::new(
            "0 to us, 1 broadcast, 2 multicast, 3 to another host, 4 sent by us",
            "0 发给本机、1 广播、2 组播、3 发给其他主机、4 本机发出",
        ),
    },
    FieldSpec {
        name: "link_type",
        offset: 2,
        len: 2,
        mask: None,
        about: Text::new(
            "ARPHRD type of the real link: 1 Ethernet, 772 loopback",
            "真实链路的 ARPHRD 类型:1 以太网、772 回环",
        ),
    },
    FieldSpec {
        name: "address_length",
        offset: 4,
        len: 2,
        mask: None,
        about: Text::new("bytes of the link address", "链路地址的字节数"),
    },
    FieldSpec {
        name: "address",
        offset: 6,
        len: 8,
        mask: None,
        about: Text::new("the sender's link address", "发送方的链路地址"),
    },
    FieldSpec {
        name: "protocol",
        offset: 14,
        len: 2,
        mask: None,
        about: Text::new("the EtherType of what follows", "其后内容的以太网类型"),
    },
];

/// The Linux cooked capture v2 header (LINKTYPE_LINUX_SLL2), 20 bytes.
pub const SLL2_FIELDS: &[FieldSpec] = &[
    FieldSpec {
        name: "protocol",
        offset: 0,
        len: 2,
        mask: None,
        about: Text::new("the EtherType of what follows", "其后内容的以太网类型"),
    },
    FieldSpec {
        name: "interface_index",
        offset: 4,
        len: 4,
        mask: None,
        about: Text::new("the interface it was captured on", "抓到它的接口编号"),
    },
    FieldSpec {
        name: "link_type",
        offset: 8,
        len: 2,
        mask: None,
        about: Text::new(
            "ARPHRD type of the real link: 1 Ethernet, 772 loopback",
            "真实链路的 ARPHRD 类型:1 以太网、772 回环",
        ),
    },
    FieldSpec {
        name: "packet_type",
        offset: 10,
        len: 1,
        mask: None,
        about: Text::new(
            "0 to us, 1 broadcast, 2 multicast, 3 to another host, 4 sent by us",
            "0 发给本机、1 广播、2 组播、3 发给其他主机、4 本机发出",
        ),
    },
    FieldSpec {
        name: "address_length",
        offset: 11,
        len: 1,
        mask: None,
        about: Text::new("bytes of the link address", "链路地址的字节数"),
    },
    FieldSpec {
        name: "address",
        offset: 12,
        len: 8,
        mask: None,
        about: Text::new("the sender's link address", "发送方的链路地址"),
    },
];

/// Length of the Linux cooked capture header.
pub const SLL_LEN: usize = 16;
/// Length of the Linux cooked capture v2 header.
pub const SLL2_LEN: usize = 20;

/// What an LLC service access point is for.
pub fn sap_name(sap: u8) -> Option<&'static str> {
    Some(match sap {
        0x42 => "STP (spanning tree)",
        0xaa => "SNAP",
        0x06 => "IP",
        0xe0 => "IPX",
        0xf0 => "NetBIOS",
        0xfe => "ISO network layer",
        _ => return None,
    })
}

/// The usual name of an EtherType, if it has one.
pub fn ethertype_name(value: u16) -> Option<&'static str> {
    Some(match EtherType(value) {
        EtherType::IPV4 => "IPv4",
        EtherType::IPV6 => "IPv6",
        EtherType::ARP => "ARP",
        EtherType::VLAN_TAGGED_FRAME => "802.1Q",
        EtherType::PROVIDER_BRIDGING => "802.1ad",
        EtherType::VLAN_DOUBLE_TAGGED_FRAME => "802.1Q (QinQ)",
        EtherType::WAKE_ON_LAN => "Wake-on-LAN",
        EtherType::MACSEC => "MACsec",
        EtherType(0x8035) => "RARP",
        EtherType(0x88cc) => "LLDP",
        EtherType(0x8847) => "MPLS",
        EtherType(0x888e) => "EAPOL",
        _ => return None,
    })
}

/// An EtherType in its usual notation, `0x0800`.
pub fn ethertype_hex(value: u16) -> String {
    format!("0x{value:04x}")
}

/// A 48-bit MAC address (IEEE 802).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Mac(pub [u8; 6]);

impl Mac {
    /// ff:ff:ff:ff:ff:ff: every NIC on the network takes it.
    pub const BROADCAST: Mac = Mac([0xff; 6]);
    /// 00:00:00:00:00:00: "unknown", as in an ARP request's target.
    pub const ZERO: Mac = Mac([0; 6]);

    /// A locally administered unicast MAC made from an IPv4 address: `02:00:a:b:c:d`.
    ///
    /// `layers` uses it when no MAC is given, so the same IP always gets the same MAC and
    /// the MAC shows where it came from. The `02` marks it as locally administered (bit 1 of
    /// the first byte), so it can never clash with a manufacturer's address.
    pub fn derived_from_ipv4(ip: [u8; 4]) -> Mac {
        Mac([0x02, 0x00, ip[0], ip[1], ip[2], ip[3]])
    }

    /// The six bytes.
    pub fn octets(self) -> [u8; 6] {
        self.0
    }

    /// Bit 0 of the first byte clear: meant for one NIC.
    pub fn is_unicast(self) -> bool {
        self.0[0] & 0x01 == 0
    }

    /// Bit 0 of the first byte set: meant for a group (broadcast is one).
    pub fn is_multicast(self) -> bool {
        !self.is_unicast()
    }

    /// All ones: meant for every NIC on the network.
    pub fn is_broadcast(self) -> bool {
        self == Mac::BROADCAST
    }

    /// Bit 1 of the first byte set: assigned locally, not by the manufacturer.
    pub fn is_locally_administered(self) -> bool {
        self.0[0] & 0x02 != 0
    }

    /// What kind of address it is.
    pub fn kind(self) -> Text {
        if self.0 == [0; 6] {
            // What Linux's loopback interface puts in its frames: it has no NIC.
            Text::new(
                "all zeros: no NIC, the loopback interface",
                "全零:没有网卡,即环回接口",
            )
        } else if self.is_broadcast() {
            Text::new("broadcast", "广播")
        } else if self.is_multicast() {
            Text::new("multicast", "组播")
        } else if self.is_locally_administered() {
            Text::new("unicast, locally administered", "单播,本地管理")
        } else {
            Text::new("unicast, globally unique (OUI)", "单播,全球唯一(OUI)")
        }
    }
}

impl fmt::Display for Mac {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [a, b, c, d, e, g] = self.0;
        write!(f, "{a:02x}:{b:02x}:{c:02x}:{d:02x}:{e:02x}:{g:02x}")
    }
}

impl From<[u8; 6]> for Mac {
    fn from(b: [u8; 6]) -> Mac {
        Mac(b)
    }
}

/// Text that is not a MAC address.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a MAC address: expected six hex bytes such as 02:00:c0:a8:0b:22")]
pub struct MacParseError(pub String);

impl FromStr for Mac {
    type Err = MacParseError;

    /// Accepts `02:00:c0:a8:0b:22`, `02-00-C0-A8-0B-22`, `0200.c0a8.0b22` and
    /// `0200c0a80b22`.
    fn from_str(s: &str) -> Result<Mac, MacParseError> {
        let err = || MacParseError(s.to_string());
        let t = s.trim();
        let groups: Vec<&str> = t.split([':', '-', '.']).collect();
        let widths: Vec<usize> = groups.iter().map(|g| g.len()).collect();
        let ok_shape = matches!(widths.as_slice(), [2, 2, 2, 2, 2, 2] | [4, 4, 4] | [12]);
        if !ok_shape || (widths.len() == 3 && !t.contains('.')) {
            return Err(err());
        }
        let digits: String = groups.concat();
        let mut out = [0u8; 6];
        hex_into(&digits, &mut out).ok_or_else(err)?;
        Ok(Mac(out))
    }
}

fn hex_into(digits: &str, out: &mut [u8; 6]) -> Option<()> {
    if digits.len() != 12 || !digits.is_ascii() {
        return None;
    }
    for (byte, pair) in out.iter_mut().zip(digits.as_bytes().chunks(2)) {
        *byte = u8::from_str_radix(std::str::from_utf8(pair).ok()?, 16).ok()?;
    }
    Some(())
}

/// An 802.1Q tag's settings.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct VlanTag {
    /// VLAN identifier, 1-4094.
    pub id: u16,
    /// Priority code point, 0-7.
    pub pcp: u8,
}

/// A VLAN tag given as text that is not `ID[:PCP]` in range.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VlanParseError {
    /// Not `ID[:PCP]`.
    #[error("{0:?} is not a VLAN tag: expected ID[:PCP], such as 10 or 10:5")]
    Syntax(String),
    /// The ID is 0 (priority tag only) or 4095 (reserved), or larger.
    #[error("VLAN ID {0} is out of range: expected 1-4094 (0 and 4095 are reserved)")]
    Id(u32),
    /// The priority is over 7.
    #[error("VLAN priority {0} is out of range: expected 0-7")]
    Pcp(u32),
}

impl FromStr for VlanTag {
    type Err = VlanParseError;
    fn from_str(s: &str) -> Result<VlanTag, VlanParseError> {
        let syntax = || VlanParseError::Syntax(s.to_string());
        let (id, pcp) = match s.trim().split_once(':') {
            Some((id, pcp)) => (id, Some(pcp)),
            None => (s.trim(), None),
        };
        let id: u32 = id.parse().map_err(|_| syntax())?;
        if !(1..=4094).contains(&id) {
            return Err(VlanParseError::Id(id));
        }
        let pcp: u32 = match pcp {
            Some(p) => p.parse().map_err(|_| syntax())?,
            None => 0,
        };
        if pcp > 7 {
            return Err(VlanParseError::Pcp(pcp));
        }
        Ok(VlanTag {
            id: id as u16,
            pcp: pcp as u8,
        })
    }
}

/// What a switch does with a frame.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SwitchDecision {
    /// Broadcast or unknown destination: out of every port but the one it came in on.
    Flood(Vec<u16>),
    /// Known destination on another port: out of that port only.
    Forward(u16),
    /// Known destination on the port it came in on: dropped.
    Filter,
}

/// A switch's MAC address table: which port each source MAC was last seen on.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MacTable {
    entries: std::collections::BTreeMap<Mac, u16>,
}

impl MacTable {
    /// Learns that `mac` is behind `port`; returns whether that is news.
    pub fn learn(&mut self, mac: Mac, port: u16) -> bool {
        if mac.is_multicast() {
            return false;
        }
        self.entries.insert(mac, port) != Some(port)
    }

    /// The port `mac` was seen on.
    pub fn port_of(&self, mac: Mac) -> Option<u16> {
        self.entries.get(&mac).copied()
    }

    /// Where a frame to `destination` that came in on `in_port` goes, on a switch with `ports`.
    pub fn decide(&self, destination: Mac, in_port: u16, ports: &[u16]) -> SwitchDecision {
        match self
            .port_of(destination)
            .filter(|_| !destination.is_multicast())
        {
            Some(p) if p == in_port => SwitchDecision::Filter,
            Some(p) => SwitchDecision::Forward(p),
            None => {
                SwitchDecision::Flood(ports.iter().copied().filter(|p| *p != in_port).collect())
            }
        }
    }

    /// The entries, by MAC.
    pub fn entries(&self) -> impl Iterator<Item = (Mac, u16)> + '_ {
        self.entries.iter().map(|(m, p)| (*m, *p))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first 14 bytes of a frame captured with tcpdump between two network namespaces
    /// joined by veth (fixtures/make-namespaces.sh): an ARP request, broadcast.
    static ARP_BROADCAST: [u8; 14] = [
        0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0x00, 0x0a, 0x63, 0x00, 0x01, 0x08, 0x06,
    ];

    #[test]
    fn read_fields_from_real_bytes() {
        let h = Ethernet2Header::from_slice(&ARP_BROADCAST).unwrap().0;
        assert_eq!(Mac(h.destination), Mac::BROADCAST);
        assert_eq!(Mac(h.source).to_string(), "02:00:0a:63:00:01");
        assert_eq!(ETHERNET2_FIELDS[2].read(&ARP_BROADCAST), Some(0x0806));
        assert_eq!(ethertype_name(h.ether_type.0), Some("ARP"));
    }

    #[test]
    fn write_fields_into_a_poisoned_buffer() {
        let h = Ethernet2Header {
            destination: Mac::BROADCAST.octets(),
            source: "02:00:0a:63:00:01".parse::<Mac>().unwrap().octets(),
            ether_type: EtherType::ARP,
        };
        let mut buf = [0xa5u8; 14];
        h.write_to_slice(&mut buf).unwrap();
        assert_eq!(buf, ARP_BROADCAST);
    }

    #[test]
    fn the_field_table_covers_the_header_without_gaps() {
        let mut next = 0;
        for f in ETHERNET2_FIELDS {
            assert_eq!(f.offset, next, "{} starts where the last ended", f.name);
            next = f.offset + f.len;
        }
        assert_eq!(next, ETHERNET2_LEN);
        let tci = [0xa0, 0x0a, 0x08, 0x00]; // PCP 5, DEI 0, ID 10, then IPv4
        let read: Vec<_> = VLAN_FIELDS.iter().map(|f| f.read(&tci).unwrap()).collect();
        assert_eq!(read, [5, 0, 10, 0x0800]);
    }

    #[test]
    fn mac_notations_parse_and_print() {
        let want = Mac([0x02, 0x00, 0xc0, 0xa8, 0x0b, 0x22]);
        for s in [
            "02:00:c0:a8:0b:22",
            "02-00-C0-A8-0B-22",
            "0200.c0a8.0b22",
            "0200c0a80b22",
        ] {
            assert_eq!(s.parse::<Mac>(), Ok(want), "{s}");
        }
        assert_eq!(want.to_string(), "02:00:c0:a8:0b:22");
        for bad in [
            "",
            "02:00:c0:a8:0b",
            "02:00:c0:a8:0b:2g",
            "02:00:c0:a8:0b:22:00",
            "0200:c0a8:0b22",
            "02:00:c0:a8:0b:222",
        ] {
            assert!(bad.parse::<Mac>().is_err(), "{bad}");
        }
    }

    #[test]
    fn mac_kinds() {
        assert!(Mac::BROADCAST.is_broadcast() && Mac::BROADCAST.is_multicast());
        let multicast: Mac = "01:00:5e:00:00:01".parse().unwrap();
        assert!(multicast.is_multicast() && !multicast.is_broadcast());
        assert_eq!(multicast.kind().en, "multicast");
        let vendor: Mac = "00:1b:21:3a:4f:10".parse().unwrap();
        assert!(vendor.is_unicast() && !vendor.is_locally_administered());
        assert_eq!(
            Mac::derived_from_ipv4([10, 0, 0, 1]).kind().en,
            "unicast, locally administered"
        );
    }

    #[test]
    fn a_switch_floods_then_learns_then_forwards_or_filters() {
        let a = Mac::derived_from_ipv4([10, 0, 0, 1]);
        let b = Mac::derived_from_ipv4([10, 0, 0, 2]);
        let mut t = MacTable::default();
        let ports = [1, 2, 3];
        assert!(t.learn(a, 1));
        assert!(!t.learn(a, 1), "nothing new");
        assert_eq!(t.decide(b, 1, &ports), SwitchDecision::Flood(vec![2, 3]));
        assert_eq!(
            t.decide(Mac::BROADCAST, 2, &ports),
            SwitchDecision::Flood(vec![1, 3])
        );
        t.learn(b, 3);
        assert_eq!(t.decide(b, 1, &ports), SwitchDecision::Forward(3));
        assert_eq!(t.decide(a, 1, &ports), SwitchDecision::Filter);
        assert!(t.learn(b, 2), "moved");
        assert!(
            !t.learn(Mac::BROADCAST, 1),
            "a group address is never a source"
        );
    }

    #[test]
    fn vlan_tags_parse_with_their_ranges() {
        assert_eq!("10".parse(), Ok(VlanTag { id: 10, pcp: 0 }));
        assert_eq!("10:5".parse(), Ok(VlanTag { id: 10, pcp: 5 }));
        assert_eq!("0".parse::<VlanTag>(), Err(VlanParseError::Id(0)));
        assert_eq!("4095".parse::<VlanTag>(), Err(VlanParseError::Id(4095)));
        assert_eq!("10:8".parse::<VlanTag>(), Err(VlanParseError::Pcp(8)));
        assert!(matches!(
            "ten".parse::<VlanTag>(),
            Err(VlanParseError::Syntax(_))
        ));
    }
}
