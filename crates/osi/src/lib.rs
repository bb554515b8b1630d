//! The OSI / TCP-IP knowledge of `layers`, in one place.
//!
//! Every command reads its layers, PDU names, protocols and devices from here: `encode`
//! labels the rows it builds, `decode` labels the records it dissects, `table` and `quiz`
//! print and drill the same entries. The reference is the course's memorisation table
//! ("明日默写", TCP/IP five layers):
//!
//! ```text
//! layer        protocols            devices
//! application  HTTP, SMTP, POP3     none
//! transport    TCP, UDP             layer-4 switch, layer-4 router
//! network      IP                   router, layer-3 switch
//! data link    ARP                  bridge, Ethernet switch, NIC
//! physical     none                 repeater, hub, twisted pair
//! ```
//!
//! Where the course is loose, the standard wins and the difference is said
//! ([`Protocol::note`]): ARP (RFC 826, which names no OSI layer) maps network addresses to
//! link addresses, carried directly in a frame; the course files it under data link.
//!
//! The crate also holds the dissection types every layer crate shares: a field table entry
//! ([`FieldSpec`]), a dissected field ([`Field`]), a layer record ([`LayerRecord`]) and the
//! reason dissection stopped ([`Stop`]).
//!
//! ```
//! use layers_osi::{Lang, OsiLayer, Model};
//! let transport = OsiLayer::Transport;
//! assert_eq!(transport.number(), 4);
//! assert_eq!(transport.name().get(Lang::Zh), "传输层");
//! let devices: Vec<_> = transport.devices().iter().map(|d| d.name.en).collect();
//! assert_eq!(devices, ["layer-4 switch", "layer-4 router"]);
//! assert_eq!(Model::TcpIp5.layers().len(), 5);
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
        // Counts and offsets saturate or are checked: nothing wraps.
        clippy::arithmetic_side_effects
    )
)]

mod dissect;
pub mod json;
mod knowledge;
mod labels;
mod value;
mod walk;

pub use dissect::{spec_named, Field, FieldSpec, LayerRecord, Span, Stop, StopKind};
pub use knowledge::{
    device, protocol, Device, Model, ModelLayer, OsiLayer, Protocol, ProtocolId, DEVICES, PROTOCOLS,
};
pub use labels::{field_label, has_zh_label, zh_field_name};
pub use value::{is_terminal_control, write_escaped, write_ipv4, FieldValue};
pub use walk::{
    dissect_with, owner_of, owners, present_fields, truncated, Cursor, Dissection, MAX_LAYERS,
};

/// The language of everything a user reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Lang {
    /// English.
    #[default]
    En,
    /// Simplified Chinese, the course's language.
    Zh,
}

impl Lang {
    /// The language a locale string such as `zh_CN.UTF-8` asks for (zh for `zh*`, else en).
    pub fn from_locale(locale: &str) -> Lang {
        if locale.to_ascii_lowercase().starts_with("zh") {
            Lang::Zh
        } else {
            Lang::En
        }
    }
}

/// A text in both languages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Text {
    /// English.
    pub en: &'static str,
    /// Chinese.
    pub zh: &'static str,
}

impl Text {
    /// A text in both languages.
    pub const fn new(en: &'static str, zh: &'static str) -> Text {
        Text { en, zh }
    }

    /// The text in `lang`.
    pub fn get(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::En => self.en,
            Lang::Zh => self.zh,
        }
    }
}

/// The link layer a frame starts with (a pcap "link type", LINKTYPE_*).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkType {
    /// 1: Ethernet.
    Ethernet,
    /// 101: raw IP, IPv4 or IPv6 by the version nibble.
    RawIp,
    /// 228: raw IPv4.
    Ipv4,
    /// 229: raw IPv6.
    Ipv6,
    /// 113: Linux cooked capture v1.
    LinuxSll,
    /// 276: Linux cooked capture v2 (`tcpdump -i any`).
    LinuxSll2,
    /// Any other link type, by number.
    Other(u32),
}

impl LinkType {
    /// The link type with pcap number `n` (the FCS bits of a classic header are ignored).
    pub fn from_number(n: u32) -> LinkType {
        match n & 0xffff {
            1 => LinkType::Ethernet,
            101 | 12 | 14 => LinkType::RawIp,
            228 => LinkType::Ipv4,
            229 => LinkType::Ipv6,
            113 => LinkType::LinuxSll,
            276 => LinkType::LinuxSll2,
            _ => LinkType::Other(n & 0xffff),
        }
    }

    /// Its pcap number.
    pub fn number(self) -> u32 {
        match self {
            LinkType::Ethernet => 1,
            LinkType::RawIp => 101,
            LinkType::Ipv4 => 228,
            LinkType::Ipv6 => 229,
            LinkType::LinuxSll => 113,
            LinkType::LinuxSll2 => 276,
            LinkType::Other(n) => n,
        }
    }

    /// Its name as tcpdump.org lists it.
    pub fn name(self) -> String {
        match link_type_name(self.number()) {
            Some(name) => name.to_string(),
            None => format!("LINKTYPE_{}", self.number()),
        }
    }
}

/// The tcpdump.org name of a pcap link type (`LINKTYPE_` left off), for the common ones.
pub fn link_type_name(n: u32) -> Option<&'static str> {
    Some(match n {
        0 => "NULL",
        1 => "ETHERNET",
        6 => "IEEE802_5",
        9 => "PPP",
        10 => "FDDI",
        50 => "PPP_HDLC",
        101 => "RAW",
        104 => "C_HDLC",
        105 => "IEEE802_11",
        108 => "LOOP",
        113 => "LINUX_SLL",
        119 => "IEEE802_11_PRISM",
        127 => "IEEE802_11_RADIOTAP",
        143 => "DOCSIS",
        187 => "BLUETOOTH_HCI_H4",
        189 => "USB_LINUX",
        192 => "PPI",
        195 => "IEEE802_15_4_WITHFCS",
        215 => "IEEE802_15_4_NOFCS",
        220 => "USB_LINUX_MMAPPED",
        227 => "CAN_SOCKETCAN",
        228 => "IPV4",
        229 => "IPV6",
        231 => "NETLINK",
        249 => "USBPCAP",
        276 => "LINUX_SLL2",
        _ => return None,
    })
}
