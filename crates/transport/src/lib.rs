//! The transport layer (OSI 4): ports and the services behind them, the TCP header
//! (RFC 9293) and the UDP header (RFC 768).
//!
//! TCP, 20 bytes without options:
//!
//! ```text
//!  0                   1                   2                   3
//!  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |          Source Port          |       Destination Port        |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |                        Sequence Number                        |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |                    Acknowledgment Number                      |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |  Data |       |C|E|U|A|P|R|S|F|                               |
//! | Offset| Rsrvd |W|C|R|C|S|S|Y|I|            Window             |
//! |       |       |R|E|G|K|H|T|N|N|                               |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |           Checksum            |         Urgent Pointer        |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |                    Options (if Data Offset > 5)               |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! ```
//!
//! UDP, 8 bytes: source port, destination port, length, checksum (16 bits each).
//!
//! The wire formats are etherparse's ([`TcpHeader`], [`UdpHeader`]); this crate adds the
//! field tables, the flag names and the port registry.
//!
//! ```
//! use layers_transport::{port_by_name, PortClass, TcpFlags};
//! let http = port_by_name("http").unwrap();
//! assert_eq!(http.port, 80);
//! assert_eq!(PortClass::of(51000), PortClass::Dynamic);
//! let flags: TcpFlags = "psh,ack".parse().unwrap();
//! assert_eq!(flags.names(), ["PSH", "ACK"]);
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

mod dissect;
pub mod observe;
mod ports;
pub mod sim;
mod state;

use std::fmt;
use std::str::FromStr;

pub use dissect::{tcp, tcp_field, udp, udp_field, AppPayload};
pub use etherparse::{TcpHeader, TcpOptionElement, UdpHeader};
use layers_osi::{FieldSpec, Text};
pub use ports::{
    port_by_name, port_services, registered_on, registry, service_name, service_port, PortClass,
    Registered, Service, SERVICES,
};
pub use state::{receive_event, transition, NoTransition, Reply, Tcb, TcpEvent, TcpState};

/// Length of a TCP header without options.
pub const TCP_MIN_LEN: usize = 20;
/// Length of the UDP header.
pub const UDP_LEN: usize = 8;

/// The TCP header's fields (options, when present, follow at byte 20).
pub const TCP_FIELDS: &[FieldSpec] = &[
    FieldSpec {
        name: "source_port",
        offset: 0,
        len: 2,
        mask: None,
        about: Text::new("the sending program's port", "发送程序的端口"),
    },
    FieldSpec {
        name: "destination_port",
        offset: 2,
        len: 2,
        mask: None,
        about: Text::new(
            "the receiving program's port: IP + port finds one program on one host",
            "接收程序的端口:IP + 端口确定一台主机上的一个程序",
        ),
    },
    FieldSpec {
        name: "sequence",
        offset: 4,
        len: 4,
        mask: None,
        about: Text::new(
            "number of the first data byte (a SYN or FIN counts as one byte)",
            "本段第一个数据字节的序号(SYN、FIN 各占一个序号)",
        ),
    },
    FieldSpec {
        name: "acknowledgment",
        offset: 8,
        len: 4,
        mask: None,
        about: Text::new(
            "the next byte expected from the other side (valid with ACK)",
            "期望对方发来的下一个字节的序号(ACK 置位时有效)",
        ),
    },
    FieldSpec {
        name: "header_length",
        offset: 12,
        len: 1,
        mask: Some(0xf0),
        about: Text::new(
            "data offset: header length in 32-bit words (5 = 20 bytes)",
            "数据偏移:首部长度,单位 4 字节(5 = 20 字节)",
        ),
    },
    FieldSpec {
        name: "flags",
        offset: 12,
        len: 2,
        mask: Some(0x01ff),
        about: Text::new(
            "AE CWR ECE URG ACK PSH RST SYN FIN: what this segment does",
            "AE CWR ECE URG ACK PSH RST SYN FIN:本段的作用",
        ),
    },
    FieldSpec {
        name: "window",
        offset: 14,
        len: 2,
        mask: None,
        about: Text::new(
            "how many more bytes the sender can take (flow control)",
            "发送方还能接收多少字节(流量控制)",
        ),
    },
    FieldSpec {
        name: "checksum",
        offset: 16,
        len: 2,
        mask: None,
        about: Text::new(
            "over a pseudo-header (IPs, protocol, length), the header and the data",
            "覆盖伪首部(IP、协议、长度)、首部和数据",
        ),
    },
    FieldSpec {
        name: "urgent_pointer",
        offset: 18,
        len: 2,
        mask: None,
        about: Text::new(
            "end of urgent data (valid with URG)",
            "紧急数据的结尾(URG 置位时有效)",
        ),
    },
];

/// The UDP header's fields.
pub const UDP_FIELDS: &[FieldSpec] = &[
    FieldSpec {
        name: "source_port",
        offset: 0,
        len: 2,
        mask: None,
        about: Text::new("the sending program's port", "发送程序的端口"),
    },
    FieldSpec {
        name: "destination_port",
        offset: 2,
        len: 2,
        mask: None,
        about: Text::new("the receiving program's port", "接收程序的端口"),
    },
    FieldSpec {
        name: "length",
        offset: 4,
        len: 2,
        mask: None,
        about: Text::new("header and data in bytes", "首部加数据的字节数"),
    },
    FieldSpec {
        name: "checksum",
        offset: 6,
        len: 2,
        mask: None,
        about: Text::new(
            "over a pseudo-header, the header and the data; 0 = not used (IPv4 only)",
            "覆盖伪首部、首部和数据;0 表示不使用(仅 IPv4)",
        ),
    },
];

/// The TCP flags, in header bit order from the most significant.
pub const TCP_FLAG_NAMES: [&str; 9] =
    ["AE", "CWR", "ECE", "URG", "ACK", "PSH", "RST", "SYN", "FIN"];

/// The name of each TCP flag bit, least significant first (bit 0 is FIN).
pub const TCP_FLAG_BIT_NAMES: [&str; 9] =
    ["FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR", "AE"];

/// A set of TCP flags: the low 9 bits of the header's bytes 12-13 (RFC 9293 and
/// RFC 9768's AE, formerly the ECN nonce NS, in the bit before CWR).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct TcpFlags(pub u16);

impl TcpFlags {
    /// FIN: no more data from the sender.
    pub const FIN: u16 = 0x001;
    /// SYN: synchronise sequence numbers (opens a connection).
    pub const SYN: u16 = 0x002;
    /// RST: reset the connection.
    pub const RST: u16 = 0x004;
    /// PSH: push the data to the application now.
    pub const PSH: u16 = 0x008;
    /// ACK: the acknowledgment number is valid.
    pub const ACK: u16 = 0x010;
    /// URG: the urgent pointer is valid.
    pub const URG: u16 = 0x020;
    /// ECE: ECN echo.
    pub const ECE: u16 = 0x040;
    /// CWR: congestion window reduced.
    pub const CWR: u16 = 0x080;
    /// AE: accurate ECN (RFC 9768; formerly NS, the ECN nonce of RFC 3540).
    pub const AE: u16 = 0x100;

    /// The flags in a TCP header's bytes 12 and 13 (the data offset and reserved bits
    /// left out).
    pub fn from_bytes(b12: u8, b13: u8) -> TcpFlags {
        TcpFlags(u16::from_be_bytes([b12, b13]) & 0x01ff)
    }

    /// Whether `bit` is set.
    pub fn has(self, bit: u16) -> bool {
        self.0 & bit != 0
    }

    /// The flags of a header.
    pub fn of(h: &TcpHeader) -> TcpFlags {
        let bits = [h.ns, h.cwr, h.ece, h.urg, h.ack, h.psh, h.rst, h.syn, h.fin];
        TcpFlags(bits.iter().fold(0, |acc, b| (acc << 1) | u16::from(*b)))
    }

    /// Sets the flags on a header (the other fields are left as they are).
    pub fn apply(self, h: &mut TcpHeader) {
        h.ns = self.has(Self::AE);
        h.cwr = self.has(Self::CWR);
        h.ece = self.has(Self::ECE);
        h.urg = self.has(Self::URG);
        h.ack = self.has(Self::ACK);
        h.psh = self.has(Self::PSH);
        h.rst = self.has(Self::RST);
        h.syn = self.has(Self::SYN);
        h.fin = self.has(Self::FIN);
    }

    /// The names of the set flags, in Wireshark's order (SYN before ACK, PSH before ACK):
    /// the order of the bits from the least significant.
    pub fn names(self) -> Vec<&'static str> {
        // TCP_FLAG_NAMES runs from the most significant of the nine bits down.
        TCP_FLAG_NAMES
            .iter()
            .rev()
            .enumerate()
            .filter(|(i, _)| self.0 & (1 << i) != 0)
            .map(|(_, name)| *name)
            .collect()
    }
}

impl fmt::Display for TcpFlags {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let names = self.names();
        if names.is_empty() {
            f.write_str("none")
        } else {
            f.write_str(&names.join(","))
        }
    }
}

/// A flag list that names an unknown flag.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown TCP flag {0:?}: expected a comma-separated list of SYN, ACK, PSH, FIN, RST, URG, ECE, CWR, AE")]
pub struct TcpFlagsParseError(pub String);

impl FromStr for TcpFlags {
    type Err = TcpFlagsParseError;

    /// `SYN,ACK` (any case, `,` `|` `+` or spaces between), or `none`.
    fn from_str(s: &str) -> Result<TcpFlags, TcpFlagsParseError> {
        let mut bits = 0u16;
        for word in s.split([',', '|', '+', ' ']).filter(|w| !w.is_empty()) {
            let upper = word.to_ascii_uppercase();
            if upper == "NONE" {
                continue;
            }
            let i = TCP_FLAG_NAMES
                .iter()
                .position(|n| *n == upper)
                .ok_or_else(|| TcpFlagsParseError(word.to_string()))?;
            // Nine names: bit 8 (AE) down to bit 0 (FIN).
            bits |= 1u16.checked_shl(8u32.saturating_sub(i as u32)).unwrap_or(0);
        }
        Ok(TcpFlags(bits))
    }
}

/// The name of a TCP option kind (RFC 9293 and the IANA registry).
pub fn tcp_option_name(kind: u8) -> &'static str {
    match kind {
        0 => "EOL",
        1 => "NOP",
        2 => "MSS",
        3 => "WindowScale",
        4 => "SACKPermitted",
        5 => "SACK",
        8 => "Timestamps",
        28 => "UserTimeout",
        29 => "TCP-AO",
        30 => "MPTCP",
        34 => "TFO",
        _ => "unknown",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Bytes 34..54 of the second frame of fixtures/loopback-tcp-hello.pcap: the server's
    /// SYN-ACK from 127.0.0.1:9999 (its options follow, not included here).
    static SYN_ACK: [u8; 20] = [
        0x27, 0x0f, 0xc0, 0x5a, 0x3c, 0xe8, 0xc7, 0xdb, 0xd7, 0x4f, 0x61, 0xb8, 0xa0, 0x12, 0xff,
        0xcb, 0xfe, 0x30, 0x00, 0x00,
    ];

    #[test]
    fn read_fields_from_real_bytes() {
        let read: Vec<u32> = TCP_FIELDS
            .iter()
            .map(|f| f.read(&SYN_ACK).unwrap())
            .collect();
        assert_eq!(
            read,
            [
                9999,
                49242,
                0x3ce8_c7db,
                0xd74f_61b8,
                10,
                0x12,
                65483,
                0xfe30,
                0
            ]
        );
        assert_eq!(TcpFlags(0x12).names(), ["SYN", "ACK"]);
    }

    #[test]
    fn write_fields_into_a_poisoned_buffer() {
        let mut h = TcpHeader::new(9999, 49242, 0x3ce8_c7db, 65483);
        TcpFlags(TcpFlags::SYN | TcpFlags::ACK).apply(&mut h);
        h.acknowledgment_number = 0xd74f_61b8;
        h.checksum = 0xfe30;
        let mut buf = [0xa5u8; 20];
        h.write(&mut &mut buf[..]).unwrap();
        // The real header says data offset 10 (it has options); without options it is 5.
        let mut want = SYN_ACK;
        want[12] = 0x50;
        assert_eq!(buf, want);
        assert_eq!(TcpFlags::of(&h), TcpFlags(0x12));
    }

    #[test]
    fn udp_fields_from_bytes() {
        let dns = [0xc3, 0x50, 0x00, 0x35, 0x00, 0x0a, 0x12, 0x34];
        let read: Vec<u32> = UDP_FIELDS.iter().map(|f| f.read(&dns).unwrap()).collect();
        assert_eq!(read, [50000, 53, 10, 0x1234]);
        let (h, _) = UdpHeader::from_slice(&dns).unwrap();
        assert_eq!(h.destination_port, 53);
    }

    #[test]
    fn flags_parse_print_and_round_trip() {
        assert_eq!("SYN,ACK".parse(), Ok(TcpFlags(0x12)));
        assert_eq!("fin+ack".parse(), Ok(TcpFlags(0x11)));
        assert_eq!("none".parse(), Ok(TcpFlags(0)));
        assert!("SYN,HELLO".parse::<TcpFlags>().is_err());
        assert_eq!(TcpFlags(0x18).to_string(), "PSH,ACK");
        assert_eq!(TcpFlags(0x1ff).names().len(), 9);
        assert_eq!(TcpFlags::from_bytes(0x51, 0x10).names(), ["ACK", "AE"]);
        assert_eq!(TcpFlags::from_bytes(0xa0, 0x02), TcpFlags(TcpFlags::SYN));
        for bits in 0..=0x1ffu16 {
            let flags = TcpFlags(bits);
            let mut h = TcpHeader::default();
            flags.apply(&mut h);
            assert_eq!(TcpFlags::of(&h), flags);
            assert_eq!(flags.to_string().parse(), Ok(flags));
        }
    }
}

/// One part of a TCP option as RFC 9293 draws it: bytes `[start, end)` of the options
/// area, what the RFC calls it, and its value.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OptionPart {
    /// First byte, counted from the first option byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
    /// The RFC's name: Kind, Length, MSS, TSval, ...
    pub label: &'static str,
    /// The value as text (the kind with its name: "2 MSS").
    pub value: String,
}

/// Where each option and each part of it lies in a TCP header's options area: the
/// spans the diagram draws. The walk is (kind, length, value) as RFC 9293 3.1 defines
/// it, so an option of a kind nobody knows still shows its kind and length; it stops at
/// a length that does not fit, and a kind 0 ends the list (the rest is padding).
pub fn option_layout(options: &[u8]) -> Vec<OptionPart> {
    let part = |start, end, label, value: String| OptionPart {
        start,
        end,
        label,
        value,
    };
    let num = |b: &[u8]| b.iter().fold(0u64, |acc, x| (acc << 8) | u64::from(*x));
    let mut parts = Vec::new();
    let mut at = 0;
    while let Some(&kind) = options.get(at) {
        let named = format!("{kind} {}", tcp_option_name(kind));
        if kind <= 1 {
            parts.push(part(at, at.saturating_add(1), "Kind", named));
            at = at.saturating_add(1);
            if kind == 0 {
                break;
            }
            continue;
        }
        let len = options
            .get(at.saturating_add(1))
            .map_or(0, |l| usize::from(*l));
        if len < 2 || at.saturating_add(len) > options.len() {
            parts.push(part(at, options.len(), "Kind", named));
            return parts;
        }
        parts.push(part(at, at.saturating_add(1), "Kind", named));
        parts.push(part(
            at.saturating_add(1),
            at.saturating_add(2),
            "Length",
            len.to_string(),
        ));
        let value = options
            .get(at.saturating_add(2)..at.saturating_add(len))
            .unwrap_or_default();
        let v = at.saturating_add(2);
        match (kind, value.len()) {
            (2, 2) => parts.push(part(
                v,
                v.saturating_add(2),
                "Maximum Segment Size",
                num(value).to_string(),
            )),
            (3, 1) => parts.push(part(
                v,
                v.saturating_add(1),
                "Shift",
                num(value).to_string(),
            )),
            (8, 8) => {
                let (tsval, tsecr) = value.split_at(4);
                parts.push(part(
                    v,
                    v.saturating_add(4),
                    "TSval",
                    num(tsval).to_string(),
                ));
                parts.push(part(
                    v.saturating_add(4),
                    v.saturating_add(8),
                    "TSecr",
                    num(tsecr).to_string(),
                ));
            }
            (5, n) if n % 8 == 0 => {
                for (i, block) in value.chunks_exact(8).enumerate() {
                    let s = v.saturating_add(i.saturating_mul(8));
                    let (left, right) = block.split_at(4);
                    parts.push(part(
                        s,
                        s.saturating_add(4),
                        "Left Edge",
                        num(left).to_string(),
                    ));
                    parts.push(part(
                        s.saturating_add(4),
                        s.saturating_add(8),
                        "Right Edge",
                        num(right).to_string(),
                    ));
                }
            }
            (_, 0) => {}
            _ => {
                let hex: String = value.iter().map(|b| format!("{b:02x}")).collect();
                parts.push(part(v, at.saturating_add(len), "Data", hex));
            }
        }
        at = at.saturating_add(len);
    }
    if at < options.len() {
        parts.push(part(at, options.len(), "Padding", String::new()));
    }
    parts
}

#[cfg(test)]
mod option_layout_tests {
    use super::*;

    #[test]
    fn options_lie_where_rfc_9293_puts_them() {
        // MSS 1460, NOP, WS 7, SACK permitted, timestamps 1 and 2 (a Linux SYN, reordered).
        let o = [
            2, 4, 5, 0xb4, 1, 3, 3, 7, 4, 2, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2,
        ];
        let parts = option_layout(&o);
        let brief: Vec<(usize, usize, &str, &str)> = parts
            .iter()
            .map(|p| (p.start, p.end, p.label, p.value.as_str()))
            .collect();
        assert_eq!(
            brief,
            [
                (0, 1, "Kind", "2 MSS"),
                (1, 2, "Length", "4"),
                (2, 4, "Maximum Segment Size", "1460"),
                (4, 5, "Kind", "1 NOP"),
                (5, 6, "Kind", "3 WindowScale"),
                (6, 7, "Length", "3"),
                (7, 8, "Shift", "7"),
                (8, 9, "Kind", "4 SACKPermitted"),
                (9, 10, "Length", "2"),
                (10, 11, "Kind", "8 Timestamps"),
                (11, 12, "Length", "10"),
                (12, 16, "TSval", "1"),
                (16, 20, "TSecr", "2"),
            ]
        );
        // End of list, then padding; an unknown kind keeps its kind and length; a length
        // past the end stops the walk with the kind alone.
        let parts = option_layout(&[0, 0, 0, 0]);
        assert_eq!(
            (parts[1].start, parts[1].end, parts[1].label),
            (1, 4, "Padding")
        );
        let parts = option_layout(&[99, 4, 0xab, 0xcd]);
        assert_eq!(parts[2].value, "abcd");
        let parts = option_layout(&[2, 40, 5]);
        assert_eq!(parts.len(), 1);
        assert_eq!((parts[0].end, parts[0].label), (3, "Kind"));
        assert!(
            option_layout(&[2, 0, 1, 1]).len() == 1,
            "a zero length cannot loop"
        );
    }
}
