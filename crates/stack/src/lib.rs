//! Encapsulation and decapsulation: the only crate that knows which layer follows which.
//!
//! Top-down, a [`FrameSpec`] describes a frame the way the layers nest (Ethernet holds
//! IPv4 or ARP, IPv4 holds TCP, UDP or ICMP, they hold the data), and
//! [`FrameSpec::build`] writes it with etherparse, lengths and checksums computed;
//! [`finish`] pads it to the Ethernet minimum, applies named [`Fault`]s and appends the
//! FCS. Bottom-up, [`dissect_ethernet`] turns bytes into layer records with every field's
//! span, and stops where a layer breaks, saying where and why. A [`Frame`] is the model
//! `--json` prints.
//!
//! ```
//! use layers_stack::{dissect_ethernet, FrameSpec, NetworkSpec, Ipv4Spec, TransportSpec};
//! use layers_ethernet::Mac;
//! let spec = FrameSpec {
//!     source_mac: Mac::derived_from_ipv4([192, 168, 11, 34]),
//!     destination_mac: Mac::derived_from_ipv4([192, 168, 11, 53]),
//!     vlan: None,
//!     network: NetworkSpec::Ipv4(
//!         Ipv4Spec { source: [192, 168, 11, 34].into(), destination: [192, 168, 11, 53].into(),
//!                    ttl: 64, identification: 1, dont_fragment: false },
//!         TransportSpec::Udp { source_port: 51000, destination_port: 5000, payload: b"hi".to_vec() },
//!     ),
//! };
//! let bytes = spec.build().unwrap();
//! let d = dissect_ethernet(&bytes);
//! let names: Vec<_> = d.layers.iter().map(|l| l.protocol.name()).collect();
//! assert_eq!(names, ["Ethernet PHY", "Ethernet II", "IPv4", "UDP", "data"]);
//! assert!(d.errors.is_empty());
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
        // Offsets, lengths and counts saturate or are checked: nothing wraps.
        clippy::arithmetic_side_effects
    )
)]

mod build;
mod dissect;
mod fault;
mod frame;
mod stats;

pub use build::{BuildError, FrameSpec, Ipv4Spec, NetworkSpec, TcpSpec, TransportSpec};
pub use dissect::{dissect, dissect_ethernet, dissect_into, dissect_with_fcs, Detail};
pub use fault::{
    finish, Fault, FaultEffect, FaultError, FaultParseError, FaultReason, Finished, FAULT_NAMES,
};
pub use frame::Frame;
pub use layers_osi::Dissection;
pub use stats::{Count, ProblemKind, Stats};

use layers_osi::{FieldSpec, FieldValue, LayerRecord, ProtocolId};

/// The field table of a protocol's fixed header: every protocol has one, so a protocol
/// added to `layers-osi` does not compile until it is given one here. The application
/// protocols and the physical layer have no fixed header (their fields are found, not
/// placed): their table is empty.
pub fn field_table(protocol: ProtocolId) -> &'static [FieldSpec] {
    match protocol {
        ProtocolId::Ethernet2 => layers_ethernet::ETHERNET2_FIELDS,
        ProtocolId::Vlan => layers_ethernet::VLAN_FIELDS,
        ProtocolId::Ieee8023 => layers_ethernet::IEEE8023_FIELDS,
        ProtocolId::Llc => layers_ethernet::LLC_FIELDS,
        ProtocolId::LinuxSll => layers_ethernet::SLL_FIELDS,
        ProtocolId::LinuxSll2 => layers_ethernet::SLL2_FIELDS,
        ProtocolId::Arp => layers_arp::ARP_FIELDS,
        ProtocolId::Ipv4 => layers_ipv4::IPV4_FIELDS,
        ProtocolId::Ipv6 => layers_ipv4::IPV6_FIELDS,
        ProtocolId::Icmp | ProtocolId::Icmpv6 => layers_ipv4::ICMP_FIELDS,
        ProtocolId::Tcp => layers_transport::TCP_FIELDS,
        ProtocolId::Udp => layers_transport::UDP_FIELDS,
        ProtocolId::EthernetPhy
        | ProtocolId::Bits
        | ProtocolId::IpFragment
        | ProtocolId::Http
        | ProtocolId::Smtp
        | ProtocolId::Pop3
        | ProtocolId::Ftp
        | ProtocolId::Telnet
        | ProtocolId::Dns
        | ProtocolId::Snmp
        | ProtocolId::Data => &[],
    }
}

/// The value the full walk's record would hold for field `spec` of `rec`'s fixed header
/// (a field of [`field_table`]`(rec.protocol)`), read on demand from the bytes of `frame`
/// under `rec`'s header: how a view that shows a few fields (`--oneline`) works from the
/// summary walk instead of building every field of every layer. `None` where the bytes
/// are not all there, and for protocols whose fields this does not read (the link layers,
/// whose MACs the views that read a few fields do not show, and those with no table).
pub fn header_field(rec: &LayerRecord, frame: &[u8], spec: &FieldSpec) -> Option<FieldValue> {
    let header = frame.get(rec.header.start..rec.header.end)?;
    match rec.protocol {
        ProtocolId::Arp => layers_arp::arp_field(spec, header),
        ProtocolId::Ipv4 => layers_ipv4::ipv4_field(spec, header),
        ProtocolId::Ipv6 => layers_ipv4::ipv6_field(spec, header),
        ProtocolId::Icmp | ProtocolId::Icmpv6 => layers_ipv4::icmp_field(spec, header),
        ProtocolId::Tcp => layers_transport::tcp_field(spec, header),
        ProtocolId::Udp => layers_transport::udp_field(spec, header),
        ProtocolId::Ethernet2
        | ProtocolId::Vlan
        | ProtocolId::Ieee8023
        | ProtocolId::Llc
        | ProtocolId::LinuxSll
        | ProtocolId::LinuxSll2
        | ProtocolId::EthernetPhy
        | ProtocolId::Bits
        | ProtocolId::IpFragment
        | ProtocolId::Http
        | ProtocolId::Smtp
        | ProtocolId::Pop3
        | ProtocolId::Ftp
        | ProtocolId::Telnet
        | ProtocolId::Dns
        | ProtocolId::Snmp
        | ProtocolId::Data => None,
    }
}
