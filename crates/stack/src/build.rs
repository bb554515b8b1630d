//! Encapsulation: a frame described top-down, built with etherparse's `PacketBuilder`.
//!
//! The description nests the way the layers do (an Ethernet frame holds a network packet,
//! which holds a transport segment, which holds the data), so layers cannot be stacked in
//! the wrong order; lengths and checksums are computed when the frame is written.

use etherparse::{
    ArpPacket, EtherType, Ethernet2Header, IpHeaders, IpNumber, Ipv4Header, PacketBuilder,
    SingleVlanHeader, TcpHeader, TcpOptionElement, VlanId, VlanPcp,
};
use layers_ethernet::{Mac, VlanTag, ETHERNET2_LEN, VLAN_TAG_LEN};
use layers_ipv4::{ICMP_ECHO_LEN, IPV4_MIN_LEN};
use layers_transport::{TcpFlags, TCP_MIN_LEN, UDP_LEN};
use std::net::Ipv4Addr;

/// A frame to build, described top-down from the link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FrameSpec {
    /// The sending NIC.
    pub source_mac: Mac,
    /// The NIC of the next hop (or broadcast).
    pub destination_mac: Mac,
    /// An 802.1Q tag, if the frame is tagged.
    pub vlan: Option<VlanTag>,
    /// What the frame carries.
    pub network: NetworkSpec,
}

/// What an Ethernet frame carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NetworkSpec {
    /// An ARP packet (EtherType 0x0806).
    Arp(Box<ArpPacket>),
    /// An IPv4 packet (EtherType 0x0800) and what it carries.
    Ipv4(Ipv4Spec, TransportSpec),
}

/// The IPv4 header's settable fields; lengths, protocol and checksum are computed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ipv4Spec {
    /// Source address.
    pub source: Ipv4Addr,
    /// Destination address.
    pub destination: Ipv4Addr,
    /// Time to live.
    pub ttl: u8,
    /// Identification.
    pub identification: u16,
    /// The DF bit.
    pub dont_fragment: bool,
}

/// What an IPv4 packet carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TransportSpec {
    /// A TCP segment.
    Tcp(TcpSpec),
    /// A UDP datagram.
    Udp {
        /// Source port.
        source_port: u16,
        /// Destination port.
        destination_port: u16,
        /// The data.
        payload: Vec<u8>,
    },
    /// An ICMP echo request (ping).
    IcmpEcho {
        /// Identifier.
        identifier: u16,
        /// Sequence number.
        sequence: u16,
        /// The data.
        payload: Vec<u8>,
    },
}

/// A TCP segment's settable fields; header length and checksum are computed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TcpSpec {
    /// Source port.
    pub source_port: u16,
    /// Destination port.
    pub destination_port: u16,
    /// Sequence number.
    pub sequence: u32,
    /// Acknowledgment number.
    pub acknowledgment: u32,
    /// Flags.
    pub flags: TcpFlags,
    /// Receive window.
    pub window: u16,
    /// An MSS option (only meaningful on a SYN).
    pub mss: Option<u16>,
    /// A window-scale option (only meaningful on a SYN).
    pub window_scale: Option<u8>,
    /// The data.
    pub payload: Vec<u8>,
}

/// Why a frame could not be built.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BuildError {
    /// The IPv4 packet would exceed the link MTU; `layers` never cuts data silently.
    #[error("the IPv4 packet would be {packet} bytes ({headers} of headers + {payload} of data) but the MTU is {mtu}: at most {room} bytes of data fit")]
    OverMtu {
        /// IPv4 total length it would have.
        packet: usize,
        /// Bytes of IPv4 and transport headers.
        headers: usize,
        /// Bytes of data.
        payload: usize,
        /// The MTU.
        mtu: usize,
        /// The most data that fits.
        room: usize,
    },
    /// Something etherparse refused to write (a value out of range).
    #[error("{0}")]
    Write(String),
}

impl FrameSpec {
    /// The IPv4 total length this frame's packet will have (None for ARP).
    pub fn ipv4_total_length(&self) -> Option<usize> {
        match &self.network {
            NetworkSpec::Arp(_) => None,
            NetworkSpec::Ipv4(_, t) => Some(
                IPV4_MIN_LEN
                    .saturating_add(t.header_len())
                    .saturating_add(t.payload().len()),
            ),
        }
    }

    /// Bytes before the network layer: the Ethernet header and the VLAN tag.
    pub fn link_header_len(&self) -> usize {
        ETHERNET2_LEN.saturating_add(if self.vlan.is_some() { VLAN_TAG_LEN } else { 0 })
    }

    /// Refuses a packet longer than `mtu`, with the numbers.
    pub fn check_mtu(&self, mtu: usize) -> Result<(), BuildError> {
        let NetworkSpec::Ipv4(_, t) = &self.network else {
            return Ok(());
        };
        let headers = IPV4_MIN_LEN.saturating_add(t.header_len());
        let payload = t.payload().len();
        let packet = headers.saturating_add(payload);
        if packet > mtu {
            return Err(BuildError::OverMtu {
                packet,
                headers,
                payload,
                mtu,
                room: mtu.saturating_sub(headers),
            });
        }
        Ok(())
    }

    /// Writes the frame (without padding or FCS; see `layers_physical`).
    pub fn build(&self) -> Result<Vec<u8>, BuildError> {
        let write_err = |e: &dyn std::fmt::Display| BuildError::Write(e.to_string());
        let inner = match self.network {
            NetworkSpec::Arp(_) => EtherType::ARP,
            NetworkSpec::Ipv4(..) => EtherType::IPV4,
        };
        let mut out = Vec::new();
        Ethernet2Header {
            destination: self.destination_mac.octets(),
            source: self.source_mac.octets(),
            ether_type: if self.vlan.is_some() {
                EtherType::VLAN_TAGGED_FRAME
            } else {
                inner
            },
        }
        .write(&mut out)
        .map_err(|e| write_err(&e))?;
        if let Some(tag) = self.vlan {
            SingleVlanHeader {
                pcp: VlanPcp::try_new(tag.pcp).map_err(|e| write_err(&e))?,
                drop_eligible_indicator: false,
                vlan_id: VlanId::try_new(tag.id).map_err(|e| write_err(&e))?,
                ether_type: inner,
            }
            .write(&mut out)
            .map_err(|e| write_err(&e))?;
        }
        match &self.network {
            NetworkSpec::Arp(arp) => arp.write(&mut out).map_err(|e| write_err(&e))?,
            NetworkSpec::Ipv4(ip, transport) => {
                let mut header = Ipv4Header::new(
                    0,
                    ip.ttl,
                    IpNumber::TCP,
                    ip.source.octets(),
                    ip.destination.octets(),
                )
                .map_err(|e| write_err(&e))?;
                header.identification = ip.identification;
                header.dont_fragment = ip.dont_fragment;
                // The builder sets the protocol, the lengths and every checksum.
                let net = PacketBuilder::ip(IpHeaders::Ipv4(header, Default::default()));
                let written = match transport {
                    TransportSpec::Tcp(tcp) => net
                        .tcp_header(tcp.header().map_err(BuildError::Write)?)
                        .write(&mut out, &tcp.payload),
                    TransportSpec::Udp {
                        source_port,
                        destination_port,
                        payload,
                    } => net
                        .udp(*source_port, *destination_port)
                        .write(&mut out, payload),
                    TransportSpec::IcmpEcho {
                        identifier,
                        sequence,
                        payload,
                    } => net
                        .icmpv4_echo_request(*identifier, *sequence)
                        .write(&mut out, payload),
                };
                written.map_err(|e| write_err(&e))?;
            }
        }
        Ok(out)
    }
}

impl TransportSpec {
    /// The transport header's length.
    pub fn header_len(&self) -> usize {
        match self {
            TransportSpec::Tcp(t) => TCP_MIN_LEN
                .saturating_add(if t.mss.is_some() { 4 } else { 0 })
                .saturating_add(if t.window_scale.is_some() { 4 } else { 0 }),
            TransportSpec::Udp { .. } => UDP_LEN,
            TransportSpec::IcmpEcho { .. } => ICMP_ECHO_LEN,
        }
    }

    /// The data it carries.
    pub fn payload(&self) -> &[u8] {
        match self {
            TransportSpec::Tcp(t) => &t.payload,
            TransportSpec::Udp { payload, .. } | TransportSpec::IcmpEcho { payload, .. } => payload,
        }
    }
}

impl TcpSpec {
    fn header(&self) -> Result<TcpHeader, String> {
        let mut h = TcpHeader::new(
            self.source_port,
            self.destination_port,
            self.sequence,
            self.window,
        );
        self.flags.apply(&mut h);
        h.acknowledgment_number = self.acknowledgment;
        let mut options = Vec::new();
        if let Some(mss) = self.mss {
            options.push(TcpOptionElement::MaximumSegmentSize(mss));
        }
        if let Some(shift) = self.window_scale {
            options.extend([TcpOptionElement::Noop, TcpOptionElement::WindowScale(shift)]);
        }
        if !options.is_empty() {
            h.set_options(&options).map_err(|e| e.to_string())?;
        }
        Ok(h)
    }
}
