//! A frame's journey across a small network: hosts, switches (or hubs) and routers.
//!
//! The simulation does what the devices do, each reading only its own layers: the sending
//! host ANDs addresses with its mask and ARPs for the destination or the gateway; a switch
//! learns source MACs and floods, forwards or filters by destination MAC; a hub repeats
//! bits; a router looks the destination IP up by longest prefix, lowers the TTL,
//! recomputes the header checksum, ARPs for the next hop and rewrites both MACs, answers an
//! expired TTL with ICMP time exceeded, and a packet too big for the next link with ICMP
//! fragmentation needed (DF) or by fragmenting it. Every frame is kept with the link it
//! crossed. The walk is bounded: it stops after [`STEP_LIMIT`] steps.
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

use std::collections::{BTreeMap, VecDeque};
use std::net::Ipv4Addr;

use etherparse::icmpv4::{DestUnreachableHeader, TimeExceededCode};
use etherparse::{
    EtherType, Ethernet2Header, Icmpv4Type, IpNumber, Ipv4Header, Ipv4HeaderSlice, PacketBuilder,
};
use layers_ethernet::{Mac, MacTable, SwitchDecision};
use layers_ipv4::{next_hop, Ipv4Net, NextHop, RoutingTable, TableRoute};
use layers_osi::OsiLayer;
use serde::Deserialize;

use layers_stack::dissect_ethernet;

/// The most steps a journey takes before it is cut off.
pub const STEP_LIMIT: usize = 200;

/// A host in a topology.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HostSpec {
    /// Its name.
    pub name: String,
    /// Its address and prefix, `192.168.11.34/24`.
    pub ip: String,
    /// Its default gateway.
    #[serde(default)]
    pub gateway: Option<String>,
    /// Its MAC (default: derived from the IP).
    #[serde(default)]
    pub mac: Option<String>,
    /// The switch or hub it is plugged into.
    pub link: String,
}

/// A switch or a hub.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SwitchSpec {
    /// Its name.
    pub name: String,
}

/// A router interface.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InterfaceSpec {
    /// Its name, `eth0`.
    pub name: String,
    /// Its address and prefix.
    pub ip: String,
    /// Its MAC (default: derived from the IP).
    #[serde(default)]
    pub mac: Option<String>,
    /// The switch or hub it is plugged into.
    pub link: String,
    /// The largest packet its link takes (default 1500).
    #[serde(default)]
    pub mtu: Option<usize>,
}

/// A static route.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RouteSpec {
    /// Destination network, `10.0.0.0/8` (`0.0.0.0/0` for a default route).
    pub network: String,
    /// The next router.
    pub via: String,
}

/// A router.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RouterSpec {
    /// Its name.
    pub name: String,
    /// Its interfaces.
    #[serde(rename = "interface")]
    pub interfaces: Vec<InterfaceSpec>,
    /// Its static routes (connected networks come from the interfaces).
    #[serde(default, rename = "route")]
    pub routes: Vec<RouteSpec>,
    /// The interface it translates addresses on (NAT): packets leaving by it from other
    /// networks get its address and a new source port.
    #[serde(default)]
    pub nat: Option<String>,
}

/// A topology file (TOML): `[[host]]`, `[[switch]]`, `[[hub]]`, `[[router]]` with
/// `[[router.interface]]` and `[[router.route]]`.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TopologySpec {
    /// Hosts.
    #[serde(default, rename = "host")]
    pub hosts: Vec<HostSpec>,
    /// Switches.
    #[serde(default, rename = "switch")]
    pub switches: Vec<SwitchSpec>,
    /// Hubs.
    #[serde(default, rename = "hub")]
    pub hubs: Vec<SwitchSpec>,
    /// Routers.
    #[serde(default, rename = "router")]
    pub routers: Vec<RouterSpec>,
}

/// Why a topology cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TopologyError {
    /// Not TOML, or not the shape of a topology.
    Toml(String),
    /// A name used twice.
    Duplicate(String),
    /// A link to a switch or hub that does not exist.
    UnknownLink {
        /// Who names it.
        from: String,
        /// The name.
        link: String,
    },
    /// A host asked for that does not exist, and the hosts that do.
    UnknownHost(String, Vec<String>),
    /// A bad address, prefix or MAC.
    Value {
        /// Whose.
        owner: String,
        /// The text.
        value: String,
    },
    /// An interface MTU outside IPv4's 68-65535 (RFC 791: every host takes 68).
    Mtu {
        /// Whose.
        owner: String,
        /// The MTU given.
        mtu: usize,
    },
    /// More hosts and router interfaces than a topology may have.
    TooMany {
        /// The most allowed ([`MAX_ATTACHED`]).
        most: usize,
    },
}

/// The most hosts and router interfaces a topology may have in all, so no switch has more
/// ports than its port numbers count.
pub const MAX_ATTACHED: usize = 4096;

impl TopologyError {
    /// The problem in one sentence, in English (the CLI says it in Chinese too).
    pub fn message(&self) -> String {
        match self {
            TopologyError::Toml(e) => format!("not a topology: {e}"),
            TopologyError::Duplicate(n) => format!("the name {n:?} is used twice"),
            TopologyError::UnknownLink { from, link } => {
                format!("{from} is linked to {link:?}, which is no switch or hub of the topology")
            }
            TopologyError::UnknownHost(n, known) => {
                format!(
                    "no host named {n:?} in the topology; its hosts are {}",
                    known.join(", ")
                )
            }
            TopologyError::Value { owner, value } => {
                format!("{owner}: {value:?} is not a valid address, prefix or MAC")
            }
            TopologyError::Mtu { owner, mtu } => {
                format!("{owner}: mtu = {mtu} is outside 68-65535, the MTUs IPv4 allows (RFC 791)")
            }
            TopologyError::TooMany { most } => {
                format!("more hosts and router interfaces than the {most} a topology may have")
            }
        }
    }
}

/// The default network: A — switch — router — switch — B, with a third host C beside A
/// so the switch's flooding shows.
pub const DEFAULT_TOPOLOGY: &str = r#"
[[host]]
name = "A"
ip = "192.168.11.34/24"
gateway = "192.168.11.1"
link = "SW1"

[[host]]
name = "C"
ip = "192.168.11.99/24"
gateway = "192.168.11.1"
link = "SW1"

[[host]]
name = "B"
ip = "192.168.12.53/24"
gateway = "192.168.12.1"
link = "SW2"

[[switch]]
name = "SW1"

[[switch]]
name = "SW2"

[[router]]
name = "R1"
[[router.interface]]
name = "eth0"
ip = "192.168.11.1/24"
link = "SW1"
[[router.interface]]
name = "eth1"
ip = "192.168.12.1/24"
link = "SW2"
"#;

/// Something attached to a switch or hub port.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum End {
    Host(usize),
    Iface(usize, usize),
}

#[derive(Clone, Debug)]
struct Host {
    name: String,
    net: Ipv4Net,
    gateway: Option<Ipv4Addr>,
    mac: Mac,
    segment: usize,
}

#[derive(Clone, Debug)]
struct Iface {
    name: String,
    net: Ipv4Net,
    mac: Mac,
    segment: usize,
    mtu: usize,
}

#[derive(Clone, Debug)]
struct Router {
    name: String,
    ifaces: Vec<Iface>,
    table: RoutingTable,
    nat: Option<String>,
}

#[derive(Clone, Debug)]
struct Segment {
    name: String,
    hub: bool,
    /// Port n+1 is ports[n].
    ports: Vec<End>,
}

/// A network to walk a frame through.
#[derive(Clone, Debug)]
pub struct Topology {
    hosts: Vec<Host>,
    routers: Vec<Router>,
    segments: Vec<Segment>,
}

fn net_of(owner: &str, text: &str) -> Result<Ipv4Net, TopologyError> {
    text.parse().map_err(|_| TopologyError::Value {
        owner: owner.to_string(),
        value: text.to_string(),
    })
}

fn mac_of(owner: &str, text: Option<&String>, net: &Ipv4Net) -> Result<Mac, TopologyError> {
    match text {
        Some(t) => t.parse().map_err(|_| TopologyError::Value {
            owner: owner.to_string(),
            value: t.clone(),
        }),
        None => Ok(Mac::derived_from_ipv4(net.addr().octets())),
    }
}

impl Topology {
    /// Reads a topology from TOML text.
    pub fn from_toml(text: &str) -> Result<Topology, TopologyError> {
        let spec: TopologySpec = toml::from_str(text).map_err(|e| {
            let line = e
                .span()
                .map(|s| {
                    text[..s.start.min(text.len())]
                        .matches('\n')
                        .count()
                        .saturating_add(1)
                })
                .unwrap_or(0);
            TopologyError::Toml(format!("line {line}: {}", e.message().replace('\n', "; ")))
        })?;
        Topology::from_spec(&spec)
    }

    /// Builds a topology from its description.
    #[expect(
        clippy::indexing_slicing,
        reason = "host, router, interface and segment numbers are positions in the topology's vectors, made when it is built; they never shrink"
    )]
    pub fn from_spec(spec: &TopologySpec) -> Result<Topology, TopologyError> {
        let attached = spec.hosts.len().saturating_add(
            spec.routers
                .iter()
                .map(|r| r.interfaces.len())
                .fold(0usize, usize::saturating_add),
        );
        if attached > MAX_ATTACHED {
            return Err(TopologyError::TooMany { most: MAX_ATTACHED });
        }
        let mut names = std::collections::BTreeSet::new();
        let all = spec
            .hosts
            .iter()
            .map(|h| &h.name)
            .chain(spec.switches.iter().map(|s| &s.name))
            .chain(spec.hubs.iter().map(|s| &s.name))
            .chain(spec.routers.iter().map(|r| &r.name));
        for n in all {
            if !names.insert(n.clone()) {
                return Err(TopologyError::Duplicate(n.clone()));
            }
        }
        let mut segments: Vec<Segment> = spec
            .switches
            .iter()
            .map(|s| Segment {
                name: s.name.clone(),
                hub: false,
                ports: Vec::new(),
            })
            .chain(spec.hubs.iter().map(|s| Segment {
                name: s.name.clone(),
                hub: true,
                ports: Vec::new(),
            }))
            .collect();
        let find = |segments: &[Segment], from: &str, link: &str| {
            segments
                .iter()
                .position(|s| s.name == link)
                .ok_or(TopologyError::UnknownLink {
                    from: from.to_string(),
                    link: link.to_string(),
                })
        };
        let mut hosts = Vec::new();
        for (i, h) in spec.hosts.iter().enumerate() {
            let net = net_of(&h.name, &h.ip)?;
            let gateway = match &h.gateway {
                Some(g) => Some(g.parse().map_err(|_| TopologyError::Value {
                    owner: h.name.clone(),
                    value: g.clone(),
                })?),
                None => None,
            };
            let segment = find(&segments, &h.name, &h.link)?;
            segments[segment].ports.push(End::Host(i));
            hosts.push(Host {
                name: h.name.clone(),
                net,
                gateway,
                mac: mac_of(&h.name, h.mac.as_ref(), &net)?,
                segment,
            });
        }
        let mut routers = Vec::new();
        for (ri, r) in spec.routers.iter().enumerate() {
            let mut ifaces = Vec::new();
            let mut table = RoutingTable::default();
            for (ii, f) in r.interfaces.iter().enumerate() {
                let owner = format!("{}.{}", r.name, f.name);
                let net = net_of(&owner, &f.ip)?;
                let segment = find(&segments, &owner, &f.link)?;
                segments[segment].ports.push(End::Iface(ri, ii));
                table.routes.push(TableRoute {
                    network: net.trunc(),
                    via: None,
                    interface: f.name.clone(),
                });
                ifaces.push(Iface {
                    name: f.name.clone(),
                    net,
                    mac: mac_of(&owner, f.mac.as_ref(), &net)?,
                    segment,
                    mtu: match f.mtu.unwrap_or(1500) {
                        m @ 68..=65535 => m,
                        mtu => return Err(TopologyError::Mtu { owner, mtu }),
                    },
                });
            }
            for route in &r.routes {
                let network = net_of(&r.name, &route.network)?.trunc();
                let via: Ipv4Addr = route.via.parse().map_err(|_| TopologyError::Value {
                    owner: r.name.clone(),
                    value: route.via.clone(),
                })?;
                let interface = ifaces
                    .iter()
                    .find(|f| f.net.contains(via))
                    .map(|f| f.name.clone())
                    .unwrap_or_default();
                table.routes.push(TableRoute {
                    network,
                    via: Some(via),
                    interface,
                });
            }
            if let Some(n) = &r.nat {
                if !ifaces.iter().any(|f| &f.name == n) {
                    return Err(TopologyError::UnknownLink {
                        from: format!("{} nat", r.name),
                        link: n.clone(),
                    });
                }
            }
            routers.push(Router {
                name: r.name.clone(),
                ifaces,
                table,
                nat: r.nat.clone(),
            });
        }
        Ok(Topology {
            hosts,
            routers,
            segments,
        })
    }

    /// Sets the MTU of the last router interface (the far link of the default network).
    pub fn set_last_mtu(&mut self, mtu: usize) {
        if let Some(f) = self.routers.last_mut().and_then(|r| r.ifaces.last_mut()) {
            f.mtu = mtu;
        }
    }

    /// The default topology.
    #[expect(
        clippy::expect_used,
        reason = "the built-in topology is a constant, and a test builds it"
    )]
    pub fn default_network() -> Topology {
        Topology::from_toml(DEFAULT_TOPOLOGY).expect("the built-in topology is valid")
    }

    /// The host named `name`.
    fn host(&self, name: &str) -> Result<usize, TopologyError> {
        self.hosts
            .iter()
            .position(|h| h.name == name)
            .ok_or_else(|| {
                let known = self.hosts.iter().map(|h| h.name.clone()).collect();
                TopologyError::UnknownHost(name.to_string(), known)
            })
    }

    /// The names of the hosts.
    pub fn host_names(&self) -> Vec<&str> {
        self.hosts.iter().map(|h| h.name.as_str()).collect()
    }

    /// The address of host `name`.
    #[expect(
        clippy::indexing_slicing,
        reason = "host, router, interface and segment numbers are positions in the topology's vectors, made when it is built; they never shrink"
    )]
    pub fn host_ip(&self, name: &str) -> Result<Ipv4Addr, TopologyError> {
        Ok(self.hosts[self.host(name)?].net.addr())
    }

    #[expect(
        clippy::indexing_slicing,
        reason = "host, router, interface and segment numbers are positions in the topology's vectors, made when it is built; they never shrink"
    )]
    fn end_name(&self, e: End) -> String {
        match e {
            End::Host(h) => self.hosts[h].name.clone(),
            End::Iface(r, i) => format!(
                "{}.{}",
                self.routers[r].name, self.routers[r].ifaces[i].name
            ),
        }
    }

    #[expect(
        clippy::indexing_slicing,
        reason = "host, router, interface and segment numbers are positions in the topology's vectors, made when it is built; they never shrink"
    )]
    fn end_mac(&self, e: End) -> Mac {
        match e {
            End::Host(h) => self.hosts[h].mac,
            End::Iface(r, i) => self.routers[r].ifaces[i].mac,
        }
    }

    #[expect(
        clippy::indexing_slicing,
        reason = "host, router, interface and segment numbers are positions in the topology's vectors, made when it is built; they never shrink"
    )]
    fn end_ip(&self, e: End) -> Ipv4Addr {
        match e {
            End::Host(h) => self.hosts[h].net.addr(),
            End::Iface(r, i) => self.routers[r].ifaces[i].net.addr(),
        }
    }

    #[expect(
        clippy::indexing_slicing,
        reason = "host, router, interface and segment numbers are positions in the topology's vectors, made when it is built; they never shrink"
    )]
    fn end_segment(&self, e: End) -> usize {
        match e {
            End::Host(h) => self.hosts[h].segment,
            End::Iface(r, i) => self.routers[r].ifaces[i].segment,
        }
    }

    /// The link between an end and its switch or hub, as a pcapng interface name.
    #[expect(
        clippy::indexing_slicing,
        reason = "host, router, interface and segment numbers are positions in the topology's vectors, made when it is built; they never shrink"
    )]
    fn link(&self, e: End) -> String {
        format!(
            "{}-{}",
            self.end_name(e),
            self.segments[self.end_segment(e)].name
        )
    }

    /// Every link, in a fixed order.
    pub fn links(&self) -> Vec<String> {
        self.segments
            .iter()
            .flat_map(|s| s.ports.iter().map(|e| self.link(*e)))
            .collect()
    }
}

/// The kind of device a step happens at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DeviceKind {
    /// A host (reads every layer of what is for it).
    Host,
    /// A switch (reads up to layer 2).
    Switch,
    /// A hub (repeats bits: layer 1).
    Hub,
    /// A router (reads up to layer 3).
    Router,
}

/// What happened at one step.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Event {
    /// The sender's AND decision.
    Decide {
        dst: Ipv4Addr,
        mask: Ipv4Addr,
        own: Ipv4Addr,
        theirs: Ipv4Addr,
        hop: NextHop,
    },
    /// An ARP request broadcast.
    ArpRequest { target: Ipv4Addr },
    /// An ARP reply sent.
    ArpReply { ip: Ipv4Addr, mac: Mac },
    /// An ARP reply received and cached.
    ArpCached { ip: Ipv4Addr, mac: Mac },
    /// An ARP request for someone else, read and ignored.
    ArpNotMine { target: Ipv4Addr },
    /// A switch learned (or confirmed) where a MAC is.
    Learn { mac: Mac, port: u16, new: bool },
    /// A switch flooded a frame.
    Flood { ports: Vec<u16>, broadcast: bool },
    /// A switch forwarded a frame out of one port.
    Forward { port: u16, mac: Mac },
    /// A switch dropped a frame whose destination is on its in-port.
    Filter,
    /// A hub repeated the bits out of every other port.
    Repeat { ports: Vec<u16> },
    /// A NIC dropped a frame not addressed to it.
    NotForMe { dst: Mac },
    /// A frame sent with these MACs.
    Send { src: Mac, dst: Mac },
    /// A router's route lookup.
    Lookup {
        dst: Ipv4Addr,
        network: Ipv4Net,
        via: Option<Ipv4Addr>,
        interface: String,
    },
    /// A router found no route.
    NoRoute { dst: Ipv4Addr },
    /// A router lowered the TTL and recomputed the checksum.
    Ttl {
        from: u8,
        to: u8,
        checksum_from: u16,
        checksum_to: u16,
    },
    /// The TTL ran out: the packet is dropped and ICMP time exceeded goes back.
    TtlExpired,
    /// A router sees a packet it has forwarded before: a routing loop. It had TTL
    /// `before` then and `now` now; it goes round until its TTL runs out.
    Loop { before: u8, now: u8 },
    /// The `steps` of a loop's rounds, not shown one by one.
    LoopFolded { steps: usize },
    /// The packet is too big for the next link and may not be fragmented.
    FragNeeded { mtu: usize, size: usize },
    /// Nobody answered the ARP request for `target`: what waited for it is dropped.
    ArpUnanswered { target: Ipv4Addr, waiting: usize },
    /// The sending host's own link cannot carry the packet, and DF forbids cutting it.
    TooBigToSend { mtu: usize, size: usize },
    /// The packet was cut into fragments for the next link.
    Fragmented { mtu: usize, pieces: usize },
    /// A NAT router rewrote the source address and port.
    Nat {
        from: (Ipv4Addr, u16),
        to: (Ipv4Addr, u16),
    },
    /// A fragment arrived at its destination and waits for the rest of its packet.
    FragmentHeld { offset: usize, bytes: usize },
    /// The destination has every fragment: it puts the packet back together.
    Reassembled { pieces: usize, bytes: usize },
    /// A packet arrived at its destination.
    Delivered { protocol: String, bytes: usize },
    /// The walk was cut off.
    Limit,
}

/// One step of the journey.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Step {
    /// Where it happened.
    pub device: String,
    /// What kind of device that is.
    pub kind: DeviceKind,
    /// The highest layer the device read.
    pub reads: OsiLayer,
    /// What happened.
    pub event: Event,
    /// The frame sent at this step, as an index into [`Journey::frames`].
    pub frame: Option<usize>,
}

/// A frame on a link.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkFrame {
    /// The link's name (a pcapng interface).
    pub link: String,
    /// The frame (padded to 60 bytes).
    pub bytes: Vec<u8>,
    /// The frame this one was made from at a router (for the byte diff).
    pub from: Option<usize>,
}

/// The whole journey.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Journey {
    /// What happened, in order.
    pub steps: Vec<Step>,
    /// Every frame on every link it crossed.
    pub frames: Vec<LinkFrame>,
    /// Every link of the topology.
    pub links: Vec<String>,
}

enum Work {
    /// Put a frame out of an end onto its segment.
    Emit {
        from: End,
        frame: Vec<u8>,
        made_from: Option<usize>,
    },
    /// An IP packet an end must send to `hop` (ARP first if needed).
    Route {
        from: End,
        packet: Vec<u8>,
        hop: Ipv4Addr,
        made_from: Option<usize>,
    },
}

struct Sim<'t> {
    topo: &'t Topology,
    tables: Vec<MacTable>,
    arp: BTreeMap<End, BTreeMap<Ipv4Addr, Mac>>,
    parked: Vec<(End, Ipv4Addr, Vec<u8>, Option<usize>)>,
    /// Fragments held at a destination: (host, source, identification) -> the packets.
    fragments: BTreeMap<(End, u32, u32), Vec<Vec<u8>>>,
    work: VecDeque<Work>,
    out: Journey,
    /// The TTL each router saw each packet with, by router and [`packet_identity`]. A
    /// packet a router sees twice is in a loop.
    seen: BTreeMap<(usize, [u8; 13]), u8>,
    /// While a loop goes round until the TTL runs out: the steps not shown.
    folded: Option<usize>,
}

#[expect(clippy::expect_used, reason = "writing to a Vec cannot fail")]
fn ethernet(src: Mac, dst: Mac, ethertype: EtherType, payload: &[u8]) -> Vec<u8> {
    let mut f = Vec::with_capacity(payload.len().saturating_add(14));
    Ethernet2Header {
        source: src.octets(),
        destination: dst.octets(),
        ether_type: ethertype,
    }
    .write(&mut f)
    .expect("a Vec takes any write");
    f.extend_from_slice(payload);
    layers_physical::pad(&f)
}

/// What makes an IPv4 packet the same packet on every link it crosses: identification,
/// fragment offset with MF, protocol, source and destination (RFC 791's reassembly key and
/// the fragment's place); a router changes only the TTL and the checksum.
pub fn packet_identity(packet: &[u8]) -> Option<[u8; 13]> {
    let &[_, _, _, _, a, b, c, d, _, proto, _, _, ref addrs @ ..] = packet.get(..20)? else {
        return None;
    };
    let mut id = [a, b, c & 0x3f, d, proto, 0, 0, 0, 0, 0, 0, 0, 0];
    for (slot, byte) in id.iter_mut().skip(5).zip(addrs) {
        *slot = *byte;
    }
    Some(id)
}

/// Whether `packet` carries an ICMP error (destination unreachable, redirect, time
/// exceeded, parameter problem), which no router answers with another.
fn is_icmp_error(packet: &[u8]) -> bool {
    let protocol = packet.get(9).copied();
    let kind = packet.get(ihl(packet)).copied();
    protocol == Some(1) && matches!(kind, Some(3 | 5 | 11 | 12))
}

/// The IPv4 packet inside a frame (padding cut off by the total length).
fn packet_of(frame: &[u8]) -> Option<Vec<u8>> {
    let h = Ipv4HeaderSlice::from_slice(frame.get(14..)?).ok()?;
    frame
        .get(14..14 + usize::from(h.total_len()))
        .map(<[u8]>::to_vec)
}

/// The IPv4 header fields the devices read and rewrite, found by name in layers-ipv4's
/// table at compile time: no byte offset is written twice.
mod ip {
    use layers_ipv4::IPV4_FIELDS as T;
    use layers_osi::{spec_named, FieldSpec};
    pub const HEADER_LENGTH: &FieldSpec = spec_named(T, "header_length");
    pub const TOTAL_LENGTH: &FieldSpec = spec_named(T, "total_length");
    pub const DONT_FRAGMENT: &FieldSpec = spec_named(T, "dont_fragment");
    pub const MORE_FRAGMENTS: &FieldSpec = spec_named(T, "more_fragments");
    pub const FRAGMENT_OFFSET: &FieldSpec = spec_named(T, "fragment_offset");
    pub const TTL: &FieldSpec = spec_named(T, "ttl");
    pub const IDENTIFICATION: &FieldSpec = spec_named(T, "identification");
    pub const PROTOCOL: &FieldSpec = spec_named(T, "protocol");
    pub const CHECKSUM: &FieldSpec = spec_named(T, "checksum");
    pub const SOURCE: &FieldSpec = spec_named(T, "source");
    pub const DESTINATION: &FieldSpec = spec_named(T, "destination");
}

/// The TCP and UDP fields NAT rewrites.
mod l4 {
    use layers_osi::{spec_named, FieldSpec};
    use layers_transport::{TCP_FIELDS, UDP_FIELDS};
    pub const TCP_SOURCE_PORT: &FieldSpec = spec_named(TCP_FIELDS, "source_port");
    pub const TCP_HEADER_LENGTH: &FieldSpec = spec_named(TCP_FIELDS, "header_length");
    pub const TCP_CHECKSUM: &FieldSpec = spec_named(TCP_FIELDS, "checksum");
    pub const UDP_SOURCE_PORT: &FieldSpec = spec_named(UDP_FIELDS, "source_port");
    pub const UDP_CHECKSUM: &FieldSpec = spec_named(UDP_FIELDS, "checksum");
}

/// The Ethernet header's addresses.
mod eth {
    use layers_ethernet::ETHERNET2_FIELDS as T;
    use layers_osi::{spec_named, FieldSpec};
    pub const DESTINATION: &FieldSpec = spec_named(T, "destination");
    pub const SOURCE: &FieldSpec = spec_named(T, "source");
}

/// The MAC address `field` of `frame` (every frame the simulation makes has its header).
fn mac_at(frame: &[u8], field: &layers_osi::FieldSpec) -> Mac {
    let bytes = frame
        .get(field.offset..field.offset.saturating_add(6))
        .unwrap_or(&[0; 6]);
    Mac(bytes.try_into().unwrap_or([0; 6]))
}

/// A field of `packet`'s IPv4 header (0 if the packet is too short to hold it).
fn get(packet: &[u8], field: &layers_osi::FieldSpec) -> u32 {
    field.read(packet).unwrap_or(0)
}

/// The header length in bytes.
fn ihl(packet: &[u8]) -> usize {
    (get(packet, ip::HEADER_LENGTH) as usize).saturating_mul(4)
}

/// An address field.
fn addr(packet: &[u8], field: &layers_osi::FieldSpec) -> Ipv4Addr {
    Ipv4Addr::from(get(packet, field))
}

fn set_checksum(packet: &mut [u8]) -> (u16, u16) {
    let old = get(packet, ip::CHECKSUM) as u16;
    let new = Ipv4HeaderSlice::from_slice(packet)
        .map(|h| h.to_header().calc_header_checksum())
        .unwrap_or(old);
    ip::CHECKSUM.write(packet, u32::from(new));
    (old, new)
}

impl Sim<'_> {
    fn step(
        &mut self,
        device: String,
        kind: DeviceKind,
        reads: OsiLayer,
        event: Event,
        frame: Option<usize>,
    ) {
        // A loop's rounds are told once; what ends it (the TTL running out) is shown.
        if let Some(n) = self.folded {
            if event != Event::TtlExpired {
                self.folded = Some(n.saturating_add(1));
                return;
            }
            self.folded = None;
            self.out.steps.push(Step {
                device: device.clone(),
                kind,
                reads,
                event: Event::LoopFolded { steps: n },
                frame: None,
            });
        }
        if self.out.steps.len() < STEP_LIMIT {
            self.out.steps.push(Step {
                device,
                kind,
                reads,
                event,
                frame,
            });
        }
    }

    fn record(&mut self, link: String, bytes: &[u8], from: Option<usize>) -> usize {
        self.out.frames.push(LinkFrame {
            link,
            bytes: bytes.to_vec(),
            from,
        });
        self.out.frames.len().saturating_sub(1)
    }

    #[expect(
        clippy::indexing_slicing,
        reason = "host, router, interface and segment numbers are positions in the topology's vectors, made when it is built; they never shrink"
    )]
    fn device_of(&self, e: End) -> (String, DeviceKind) {
        match e {
            End::Host(h) => (self.topo.hosts[h].name.clone(), DeviceKind::Host),
            End::Iface(r, _) => (self.topo.routers[r].name.clone(), DeviceKind::Router),
        }
    }

    fn run(&mut self) {
        while let Some(w) = self.work.pop_front() {
            if self.out.steps.len() >= STEP_LIMIT {
                let (name, kind) = ("layers".to_string(), DeviceKind::Host);
                self.out.steps.truncate(STEP_LIMIT - 1);
                self.out.steps.push(Step {
                    device: name,
                    kind,
                    reads: OsiLayer::Physical,
                    event: Event::Limit,
                    frame: None,
                });
                return;
            }
            match w {
                Work::Emit {
                    from,
                    frame,
                    made_from,
                } => self.emit(from, frame, made_from),
                Work::Route {
                    from,
                    packet,
                    hop,
                    made_from,
                } => self.route(from, packet, hop, made_from),
            }
        }
        // What still waits for an ARP reply got none: say so, rather than stop in silence.
        let mut unanswered: Vec<(End, Ipv4Addr, usize)> = Vec::new();
        for (from, hop, ..) in &self.parked {
            match unanswered
                .iter_mut()
                .find(|(f, h, _)| f == from && h == hop)
            {
                Some(u) => u.2 = u.2.saturating_add(1),
                None => unanswered.push((*from, *hop, 1)),
            }
        }
        for (from, target, waiting) in unanswered {
            let (name, kind) = self.device_of(from);
            let event = Event::ArpUnanswered { target, waiting };
            self.step(name, kind, OsiLayer::DataLink, event, None);
        }
    }

    /// Sends `packet` from `from` to next hop `hop`, ARPing first if its MAC is unknown.
    fn route(&mut self, from: End, packet: Vec<u8>, hop: Ipv4Addr, made_from: Option<usize>) {
        let src = self.topo.end_mac(from);
        match self.arp.get(&from).and_then(|c| c.get(&hop)).copied() {
            Some(dst) => {
                let frame = ethernet(src, dst, EtherType::IPV4, &packet);
                self.work.push_back(Work::Emit {
                    from,
                    frame,
                    made_from,
                });
            }
            None => {
                let (name, kind) = self.device_of(from);
                let already = self
                    .parked
                    .iter()
                    .any(|(e, h, _, _)| *e == from && *h == hop);
                self.parked.push((from, hop, packet, made_from));
                if !already {
                    let arp = layers_arp::request(
                        src.octets(),
                        self.topo.end_ip(from).octets(),
                        hop.octets(),
                    );
                    let frame = ethernet(src, Mac::BROADCAST, EtherType::ARP, &arp.to_bytes());
                    self.step(
                        name,
                        kind,
                        OsiLayer::DataLink,
                        Event::ArpRequest { target: hop },
                        None,
                    );
                    self.work.push_back(Work::Emit {
                        from,
                        frame,
                        made_from: None,
                    });
                }
            }
        }
    }

    /// Puts `frame` out of `from`: onto its link, through its switch or hub, to the ends.
    #[expect(
        clippy::indexing_slicing,
        reason = "host, router, interface and segment numbers are positions in the topology's vectors, made when it is built; they never shrink"
    )]
    fn emit(&mut self, from: End, frame: Vec<u8>, made_from: Option<usize>) {
        let seg_i = self.topo.end_segment(from);
        let seg = &self.topo.segments[seg_i];
        let index = self.record(self.topo.link(from), &frame, made_from);
        let (name, kind) = self.device_of(from);
        let (src, dst) = (
            mac_at(&frame, eth::SOURCE),
            mac_at(&frame, eth::DESTINATION),
        );
        if frame.get(12..14) == Some(&[0x08, 0x00][..]) {
            self.step(
                name,
                kind,
                OsiLayer::DataLink,
                Event::Send { src, dst },
                Some(index),
            );
        } else if let Some(s) = self.out.steps.last_mut() {
            s.frame.get_or_insert(index);
        }
        // The sender is attached to the segment it sends on.
        let in_port =
            (seg.ports.iter().position(|e| *e == from).unwrap_or(0) as u16).saturating_add(1);
        let ports: Vec<u16> = (1..=seg.ports.len() as u16).collect();
        let targets: Vec<u16> = if seg.hub {
            let out: Vec<u16> = ports.iter().copied().filter(|p| *p != in_port).collect();
            self.step(
                seg.name.clone(),
                DeviceKind::Hub,
                OsiLayer::Physical,
                Event::Repeat { ports: out.clone() },
                None,
            );
            out
        } else {
            let new = self.tables[seg_i].learn(src, in_port);
            self.step(
                seg.name.clone(),
                DeviceKind::Switch,
                OsiLayer::DataLink,
                Event::Learn {
                    mac: src,
                    port: in_port,
                    new,
                },
                None,
            );
            match self.tables[seg_i].decide(dst, in_port, &ports) {
                SwitchDecision::Flood(out) => {
                    self.step(
                        seg.name.clone(),
                        DeviceKind::Switch,
                        OsiLayer::DataLink,
                        Event::Flood {
                            ports: out.clone(),
                            broadcast: dst.is_broadcast(),
                        },
                        None,
                    );
                    out
                }
                SwitchDecision::Forward(p) => {
                    self.step(
                        seg.name.clone(),
                        DeviceKind::Switch,
                        OsiLayer::DataLink,
                        Event::Forward { port: p, mac: dst },
                        None,
                    );
                    vec![p]
                }
                SwitchDecision::Filter => {
                    self.step(
                        seg.name.clone(),
                        DeviceKind::Switch,
                        OsiLayer::DataLink,
                        Event::Filter,
                        None,
                    );
                    Vec::new()
                }
            }
        };
        for p in targets {
            // Ports are numbered from 1.
            let Some(&to) = seg.ports.get(usize::from(p).wrapping_sub(1)) else {
                continue;
            };
            self.record(self.topo.link(to), &frame, Some(index));
            self.receive(to, &frame, index);
        }
    }

    fn receive(&mut self, at: End, frame: &[u8], index: usize) {
        let (name, kind) = self.device_of(at);
        let me = self.topo.end_mac(at);
        let dst = mac_at(frame, eth::DESTINATION);
        if dst != me && !dst.is_broadcast() {
            self.step(
                name,
                kind,
                OsiLayer::DataLink,
                Event::NotForMe { dst },
                None,
            );
            return;
        }
        let my_ip = self.topo.end_ip(at);
        let ethertype = match frame.get(12..14) {
            Some(&[high, low]) => u16::from_be_bytes([high, low]),
            _ => 0,
        };
        let payload = frame.get(14..).unwrap_or_default();
        match ethertype {
            0x0806 => {
                let Ok(arp) = etherparse::ArpPacket::from_slice(payload) else {
                    return;
                };
                let target = Ipv4Addr::from(
                    <[u8; 4]>::try_from(arp.target_protocol_addr()).unwrap_or_default(),
                );
                let sender_ip = Ipv4Addr::from(
                    <[u8; 4]>::try_from(arp.sender_protocol_addr()).unwrap_or_default(),
                );
                let sender_mac = Mac(<[u8; 6]>::try_from(arp.sender_hw_addr()).unwrap_or_default());
                if target != my_ip {
                    self.step(
                        name,
                        kind,
                        OsiLayer::DataLink,
                        Event::ArpNotMine { target },
                        None,
                    );
                    return;
                }
                self.arp
                    .entry(at)
                    .or_default()
                    .insert(sender_ip, sender_mac);
                if arp.operation == etherparse::ArpOperation::REQUEST {
                    let reply = layers_arp::reply(
                        me.octets(),
                        my_ip.octets(),
                        sender_mac.octets(),
                        sender_ip.octets(),
                    );
                    let frame = ethernet(me, sender_mac, EtherType::ARP, &reply.to_bytes());
                    self.step(
                        name,
                        kind,
                        OsiLayer::DataLink,
                        Event::ArpReply { ip: my_ip, mac: me },
                        None,
                    );
                    self.work.push_back(Work::Emit {
                        from: at,
                        frame,
                        made_from: None,
                    });
                } else {
                    self.step(
                        name,
                        kind,
                        OsiLayer::DataLink,
                        Event::ArpCached {
                            ip: sender_ip,
                            mac: sender_mac,
                        },
                        None,
                    );
                    let (ready, rest): (Vec<_>, Vec<_>) = std::mem::take(&mut self.parked)
                        .into_iter()
                        .partition(|(e, h, _, _)| *e == at && *h == sender_ip);
                    self.parked = rest;
                    for (_, hop, packet, made_from) in ready {
                        self.work.push_back(Work::Route {
                            from: at,
                            packet,
                            hop,
                            made_from,
                        });
                    }
                }
            }
            0x0800 => {
                let Some(packet) = packet_of(frame) else {
                    return;
                };
                let dst_ip = addr(&packet, ip::DESTINATION);
                match at {
                    End::Host(_) if dst_ip == my_ip => {
                        // A fragment waits for the rest; the whole packet goes up.
                        let fragment = get(&packet, ip::MORE_FRAGMENTS) != 0
                            || get(&packet, ip::FRAGMENT_OFFSET) != 0;
                        let whole;
                        let frame = if fragment {
                            match self.reassemble(at, name.clone(), kind, packet) {
                                Some(p) => {
                                    let header = frame.get(..14).unwrap_or_default();
                                    whole = [header, &p[..]].concat();
                                    &whole[..]
                                }
                                None => return,
                            }
                        } else {
                            frame
                        };
                        let packet_len = frame.len().saturating_sub(14);
                        let d = dissect_ethernet(frame);
                        let top = d
                            .layers
                            .iter()
                            .rev()
                            .find(|l| !l.quoted)
                            .map(|l| l.protocol.name().to_string())
                            .unwrap_or_default();
                        self.step(
                            name,
                            kind,
                            OsiLayer::Application,
                            Event::Delivered {
                                protocol: top,
                                bytes: packet_len,
                            },
                            None,
                        );
                    }
                    End::Host(_) => {
                        self.step(name, kind, OsiLayer::Network, Event::NotForMe { dst }, None)
                    }
                    End::Iface(r, _) => self.forward(r, at, packet, index),
                }
            }
            _ => {}
        }
    }

    /// Holds fragment `packet` at host `at`; once every fragment of its packet is there
    /// (RFC 791: the last has MF clear, and the offsets leave no gap), the whole packet.
    fn reassemble(
        &mut self,
        at: End,
        name: String,
        kind: DeviceKind,
        packet: Vec<u8>,
    ) -> Option<Vec<u8>> {
        let key = (
            at,
            get(&packet, ip::SOURCE),
            get(&packet, ip::IDENTIFICATION),
        );
        let offset = (get(&packet, ip::FRAGMENT_OFFSET) as usize).saturating_mul(8);
        let bytes = packet.len().saturating_sub(ihl(&packet));
        self.step(
            name.clone(),
            kind,
            OsiLayer::Network,
            Event::FragmentHeld { offset, bytes },
            None,
        );
        let held = self.fragments.entry(key).or_default();
        held.push(packet);
        held.sort_by_key(|p| get(p, ip::FRAGMENT_OFFSET));
        // Complete: contiguous from 0, and the last one says no more follow.
        let mut next = 0;
        for p in held.iter() {
            if (get(p, ip::FRAGMENT_OFFSET) as usize).saturating_mul(8) != next {
                return None;
            }
            next = next.saturating_add(p.len().saturating_sub(ihl(p)));
        }
        if held.last().is_some_and(|p| get(p, ip::MORE_FRAGMENTS) != 0) {
            return None;
        }
        let held = self.fragments.remove(&key)?;
        let first = held.first()?;
        let mut whole = first.get(..ihl(first)).unwrap_or_default().to_vec();
        for p in &held {
            whole.extend_from_slice(p.get(ihl(p)..).unwrap_or_default());
        }
        let total = whole.len();
        ip::TOTAL_LENGTH.write(&mut whole, total as u32);
        ip::MORE_FRAGMENTS.write(&mut whole, 0);
        set_checksum(&mut whole);
        let pieces = held.len();
        self.step(
            name,
            kind,
            OsiLayer::Network,
            Event::Reassembled {
                pieces,
                bytes: total,
            },
            None,
        );
        Some(whole)
    }

    #[expect(
        clippy::indexing_slicing,
        reason = "host, router, interface and segment numbers are positions in the topology's vectors, made when it is built; they never shrink"
    )]
    fn forward(&mut self, r: usize, at: End, mut packet: Vec<u8>, index: usize) {
        let router = &self.topo.routers[r];
        let name = router.name.clone();
        let dst = addr(&packet, ip::DESTINATION);
        let src = addr(&packet, ip::SOURCE);
        let ttl = get(&packet, ip::TTL) as u8;
        let key = (r, packet_identity(&packet).unwrap_or_default());
        if let Some(before) = self.seen.insert(key, ttl) {
            if self.folded.is_none() {
                self.step(
                    name.clone(),
                    DeviceKind::Router,
                    OsiLayer::Network,
                    Event::Loop { before, now: ttl },
                    None,
                );
                self.folded = Some(0);
            }
        }
        let Some(route) = router.table.lookup(dst).cloned() else {
            self.step(
                name,
                DeviceKind::Router,
                OsiLayer::Network,
                Event::NoRoute { dst },
                None,
            );
            return;
        };
        self.step(
            name.clone(),
            DeviceKind::Router,
            OsiLayer::Network,
            Event::Lookup {
                dst,
                network: route.network,
                via: route.via,
                interface: route.interface.clone(),
            },
            None,
        );
        if ttl <= 1 {
            self.step(
                name,
                DeviceKind::Router,
                OsiLayer::Network,
                Event::TtlExpired,
                None,
            );
            // No ICMP error about an ICMP error (RFC 1122 3.2.2), or errors could loop too.
            if !is_icmp_error(&packet) {
                let icmp = Icmpv4Type::TimeExceeded(TimeExceededCode::TtlExceededInTransit);
                self.reply_icmp(r, at, src, icmp, &packet);
            }
            return;
        }
        // TTL 0 and 1 were handled above: here it is at least 2.
        ip::TTL.write(&mut packet, u32::from(ttl.saturating_sub(1)));
        let (old, new) = set_checksum(&mut packet);
        self.step(
            name.clone(),
            DeviceKind::Router,
            OsiLayer::Network,
            Event::Ttl {
                from: ttl,
                to: ttl.saturating_sub(1),
                checksum_from: old,
                checksum_to: new,
            },
            None,
        );
        let Some(ii) = router.ifaces.iter().position(|f| f.name == route.interface) else {
            return;
        };
        let out = End::Iface(r, ii);
        let outside = &router.ifaces[ii];
        if router.nat.as_deref() == Some(outside.name.as_str()) && !outside.net.contains(src) {
            if let Some((from, to)) = nat(&mut packet, outside.net.addr(), 40000) {
                self.step(
                    name.clone(),
                    DeviceKind::Router,
                    OsiLayer::Transport,
                    Event::Nat { from, to },
                    None,
                );
            }
        }
        let mtu = router.ifaces[ii].mtu;
        let hop = route.via.unwrap_or(dst);
        if packet.len() > mtu {
            let df = get(&packet, ip::DONT_FRAGMENT) == 1;
            if df {
                self.step(
                    name,
                    DeviceKind::Router,
                    OsiLayer::Network,
                    Event::FragNeeded {
                        mtu,
                        size: packet.len(),
                    },
                    None,
                );
                let icmp = Icmpv4Type::DestinationUnreachable(
                    DestUnreachableHeader::FragmentationNeeded {
                        next_hop_mtu: mtu as u16,
                    },
                );
                self.reply_icmp(r, at, src, icmp, &packet);
                return;
            }
            let pieces = fragment(&packet, mtu);
            self.step(
                name,
                DeviceKind::Router,
                OsiLayer::Network,
                Event::Fragmented {
                    mtu,
                    pieces: pieces.len(),
                },
                None,
            );
            for p in pieces {
                self.work.push_back(Work::Route {
                    from: out,
                    packet: p,
                    hop,
                    made_from: Some(index),
                });
            }
            return;
        }
        self.work.push_back(Work::Route {
            from: out,
            packet,
            hop,
            made_from: Some(index),
        });
    }

    /// An ICMP error from router `r` back to `src`, quoting the packet's header and 8 bytes.
    #[expect(
        clippy::indexing_slicing,
        reason = "host, router, interface and segment numbers are positions in the topology's vectors, made when it is built; they never shrink"
    )]
    fn reply_icmp(&mut self, r: usize, at: End, src: Ipv4Addr, icmp: Icmpv4Type, packet: &[u8]) {
        let End::Iface(_, ii) = at else { return };
        let me = self.topo.routers[r].ifaces[ii].net.addr();
        let quote = packet
            .get(..ihl(packet).saturating_add(8))
            .unwrap_or(packet);
        let mut out = Vec::new();
        if PacketBuilder::ipv4(me.octets(), src.octets(), 64)
            .icmpv4(icmp)
            .write(&mut out, quote)
            .is_err()
        {
            return;
        }
        let router = &self.topo.routers[r];
        let Some(route) = router.table.lookup(src) else {
            return;
        };
        let hop = route.via.unwrap_or(src);
        let from = match router.ifaces.iter().position(|f| f.name == route.interface) {
            Some(i) => End::Iface(r, i),
            None => at,
        };
        // A new packet, not a rewrite of the one that caused it: no byte diff.
        self.work.push_back(Work::Route {
            from,
            packet: out,
            hop,
            made_from: None,
        });
    }
}

/// Rewrites the source address to `public` and a TCP or UDP source port to `port`, with
/// every checksum recomputed; returns the old and new (address, port).
fn nat(
    packet: &mut [u8],
    public: Ipv4Addr,
    port: u16,
) -> Option<((Ipv4Addr, u16), (Ipv4Addr, u16))> {
    let ihl = ihl(packet);
    let old_ip = addr(packet, ip::SOURCE);
    let proto = get(packet, ip::PROTOCOL);
    let dst = addr(packet, ip::DESTINATION).octets();
    ip::SOURCE.write(packet, u32::from(public));
    set_checksum(packet);
    let (port_field, checksum_field, hlen) = match proto {
        6 => {
            let hlen = (l4::TCP_HEADER_LENGTH.read(packet.get(ihl..)?)? as usize).saturating_mul(4);
            (l4::TCP_SOURCE_PORT, l4::TCP_CHECKSUM, hlen)
        }
        17 => (
            l4::UDP_SOURCE_PORT,
            l4::UDP_CHECKSUM,
            layers_transport::UDP_LEN,
        ),
        // No port to map (ICMP and the rest): the address alone is rewritten.
        _ => return Some(((old_ip, 0), (public, 0))),
    };
    let (head, payload) = packet.get_mut(ihl..)?.split_at_mut(hlen);
    let old_port = port_field.read(head)? as u16;
    port_field.write(head, u32::from(port));
    let sum = if proto == 6 {
        etherparse::TcpHeaderSlice::from_slice(head)
            .ok()?
            .calc_checksum_ipv4_raw(public.octets(), dst, payload)
            .ok()?
    } else {
        etherparse::UdpHeader::from_slice(head)
            .ok()?
            .0
            .calc_checksum_ipv4_raw(public.octets(), dst, payload)
            .ok()?
    };
    checksum_field.write(head, u32::from(sum));
    Some(((old_ip, old_port), (public, port)))
}

/// The MTU of a host's own link: Ethernet's.
const HOST_MTU: usize = 1500;

/// `packet` cut into fragments of at most `mtu` bytes (data in multiples of 8).
fn fragment(packet: &[u8], mtu: usize) -> Vec<Vec<u8>> {
    let ihl = ihl(packet);
    let (header, data) = packet.split_at(ihl.min(packet.len()));
    // MTUs are at least 68 and headers at most 60 bytes, so a fragment carries at least 8
    // bytes; the floor keeps the loop finite whatever it is given.
    let chunk = (mtu.saturating_sub(ihl) / 8).saturating_mul(8).max(8);
    let base_offset = (get(packet, ip::FRAGMENT_OFFSET) as usize).saturating_mul(8);
    let was_more = get(packet, ip::MORE_FRAGMENTS) == 1;
    let mut out = Vec::new();
    let mut at = 0;
    while at < data.len() {
        let end = at.saturating_add(chunk).min(data.len());
        let mut p = header.to_vec();
        p.extend_from_slice(data.get(at..end).unwrap_or_default());
        let more = end < data.len() || was_more;
        let total = p.len() as u32;
        ip::TOTAL_LENGTH.write(&mut p, total);
        ip::MORE_FRAGMENTS.write(&mut p, u32::from(more));
        ip::FRAGMENT_OFFSET.write(&mut p, (base_offset.saturating_add(at) / 8) as u32);
        set_checksum(&mut p);
        out.push(p);
        at = end;
    }
    out
}

/// Walks `packet` (an IPv4 packet) from host `from` through `topo`.
#[expect(
    clippy::indexing_slicing,
    reason = "host, router, interface and segment numbers are positions in the topology's vectors, made when it is built; they never shrink"
)]
pub fn walk(topo: &Topology, from: &str, packet: Vec<u8>) -> Result<Journey, TopologyError> {
    let h = topo.host(from)?;
    let host = &topo.hosts[h];
    let dst = Ipv4Addr::from(
        <[u8; 4]>::try_from(packet.get(16..20).unwrap_or(&[0; 4])).unwrap_or_default(),
    );
    // A host is never its own gateway (the first host, or the last when it is the first).
    let gateway = host
        .gateway
        .or_else(|| layers_ipv4::assumed_gateway(host.net))
        .unwrap_or_else(|| host.net.first_host());
    let route = next_hop(host.net, dst, gateway);
    let mut sim = Sim {
        topo,
        tables: vec![MacTable::default(); topo.segments.len()],
        arp: BTreeMap::new(),
        parked: Vec::new(),
        fragments: BTreeMap::new(),
        work: VecDeque::new(),
        out: Journey {
            links: topo.links(),
            ..Journey::default()
        },
        seen: BTreeMap::new(),
        folded: None,
    };
    sim.step(
        host.name.clone(),
        DeviceKind::Host,
        OsiLayer::Network,
        Event::Decide {
            dst,
            mask: host.net.mask(),
            own: route.source_network,
            theirs: route.destination_network,
            hop: route.hop,
        },
        None,
    );
    // A host never sends more than its own link carries: Ethernet's 1500 bytes. It cuts
    // the packet into fragments, or with DF set cannot send it at all.
    let pieces = if packet.len() > HOST_MTU {
        if get(&packet, ip::DONT_FRAGMENT) != 0 {
            let event = Event::TooBigToSend {
                mtu: HOST_MTU,
                size: packet.len(),
            };
            sim.step(
                host.name.clone(),
                DeviceKind::Host,
                OsiLayer::Network,
                event,
                None,
            );
            return Ok(sim.out);
        }
        let pieces = fragment(&packet, HOST_MTU);
        let event = Event::Fragmented {
            mtu: HOST_MTU,
            pieces: pieces.len(),
        };
        sim.step(
            host.name.clone(),
            DeviceKind::Host,
            OsiLayer::Network,
            event,
            None,
        );
        pieces
    } else {
        vec![packet]
    };
    for packet in pieces {
        sim.work.push_back(Work::Route {
            from: End::Host(h),
            packet,
            hop: route.next_hop_ip(),
            made_from: None,
        });
    }
    sim.run();
    Ok(sim.out)
}

/// The IPv4 packet of the seed's TCP `hello!` from `src` to `dst`.
#[expect(
    clippy::expect_used,
    reason = "a 20-byte header with no options, and a packet far below 65535 bytes"
)]
pub fn seed_packet(src: Ipv4Addr, dst: Ipv4Addr, ttl: u8, df: bool, payload: &[u8]) -> Vec<u8> {
    let mut header = Ipv4Header::new(0, ttl, IpNumber::TCP, src.octets(), dst.octets())
        .expect("a header with no options");
    header.dont_fragment = df;
    header.identification = 1;
    let mut out = Vec::new();
    PacketBuilder::ip(etherparse::IpHeaders::Ipv4(header, Default::default()))
        .tcp(51000, 9999, 1, 64240)
        .psh()
        .ack(1)
        .write(&mut out, payload)
        .expect("a small packet always fits");
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use layers_osi::ProtocolId;

    fn seed() -> (Topology, Vec<u8>) {
        let t = Topology::default_network();
        let p = seed_packet(
            t.host_ip("A").unwrap(),
            t.host_ip("B").unwrap(),
            64,
            false,
            b"hello!",
        );
        (t, p)
    }

    #[test]
    fn the_seed_packet_reaches_b_with_ttl_lowered_and_macs_rewritten() {
        let (t, p) = seed();
        let j = walk(&t, "A", p).unwrap();
        assert!(
            matches!(j.steps.last().unwrap().event, Event::Delivered { .. }),
            "{:#?}",
            j.steps
        );
        let data: Vec<&LinkFrame> = j
            .frames
            .iter()
            .filter(|f| f.bytes[12..14] == [0x08, 0x00])
            .collect();
        let first = dissect_ethernet(&data[0].bytes);
        let last = dissect_ethernet(&data.last().unwrap().bytes);
        let field = |d: &layers_stack::Dissection, p: &str, n: &str| {
            let id = ProtocolId::named(p).unwrap();
            d.layer(id).unwrap().field(n).unwrap().value.to_json()
        };
        assert_eq!(field(&first, "IPv4", "ttl"), 64);
        assert_eq!(field(&last, "IPv4", "ttl"), 63);
        assert_eq!(field(&last, "IPv4", "checksum_valid"), true);
        assert_eq!(
            field(&first, "Ethernet II", "destination"),
            "02:00:c0:a8:0b:01",
            "to the gateway"
        );
        assert_eq!(
            field(&last, "Ethernet II", "source"),
            "02:00:c0:a8:0c:01",
            "from the router's far side"
        );
        assert_eq!(
            field(&last, "Ethernet II", "destination"),
            "02:00:c0:a8:0c:35",
            "to B"
        );
        // Two ARP exchanges, and the switch flooded the first broadcast to C and R1.
        let arps = j
            .steps
            .iter()
            .filter(|s| matches!(s.event, Event::ArpRequest { .. }))
            .count();
        assert_eq!(arps, 2);
        assert!(j
            .steps
            .iter()
            .any(|s| s.device == "C" && matches!(s.event, Event::ArpNotMine { .. })));
        assert!(j
            .steps
            .iter()
            .any(|s| s.device == "SW1" && matches!(s.event, Event::Forward { .. })));
    }

    #[test]
    fn ttl_one_comes_back_as_time_exceeded() {
        let t = Topology::default_network();
        let p = seed_packet(
            t.host_ip("A").unwrap(),
            t.host_ip("B").unwrap(),
            1,
            false,
            b"hello!",
        );
        let j = walk(&t, "A", p).unwrap();
        assert!(j.steps.iter().any(|s| s.event == Event::TtlExpired));
        let back = j
            .steps
            .iter()
            .rev()
            .find(|s| matches!(s.event, Event::Delivered { .. }))
            .unwrap();
        assert_eq!(back.device, "A");
        assert_eq!(
            back.event,
            Event::Delivered {
                protocol: "ICMP".into(),
                bytes: 56
            }
        );
    }

    #[test]
    fn too_big_packets_are_fragmented_or_refused() {
        let text =
            DEFAULT_TOPOLOGY.replace("link = \"SW2\"\n\"#", "link = \"SW2\"\nmtu = 576\n\"#");
        let mut t = Topology::from_toml(&text).unwrap();
        t.routers[0].ifaces[1].mtu = 576;
        let big = vec![b'x'; 1000];
        let p = seed_packet(
            t.host_ip("A").unwrap(),
            t.host_ip("B").unwrap(),
            64,
            false,
            &big,
        );
        let j = walk(&t, "A", p).unwrap();
        assert!(j.steps.iter().any(|s| s.event
            == Event::Fragmented {
                mtu: 576,
                pieces: 2
            }));
        let delivered = j
            .steps
            .iter()
            .filter(|s| s.device == "B" && matches!(s.event, Event::Delivered { .. }))
            .count();
        assert_eq!(
            delivered, 1,
            "B reassembles both fragments and delivers one packet"
        );
        assert!(j.steps.iter().any(|s| s.device == "B"
            && s.event
                == Event::Reassembled {
                    pieces: 2,
                    bytes: 20 + 20 + big.len()
                }));
        assert!(j.steps.iter().any(|s| s.device == "B"
            && matches!(&s.event, Event::Delivered { protocol, bytes } if protocol == "data" && *bytes == 40 + big.len())));
        let p = seed_packet(
            t.host_ip("A").unwrap(),
            t.host_ip("B").unwrap(),
            64,
            true,
            &big,
        );
        let j = walk(&t, "A", p).unwrap();
        assert!(j
            .steps
            .iter()
            .any(|s| matches!(s.event, Event::FragNeeded { mtu: 576, .. })));
        assert!(j.steps.iter().any(|s| s.device == "A"
            && matches!(&s.event, Event::Delivered { protocol, .. } if protocol == "ICMP")));
    }

    #[test]
    fn nat_rewrites_the_source_and_every_checksum() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../fixtures/topologies/nat.toml"
        ))
        .unwrap();
        let t = Topology::from_toml(&text).unwrap();
        let p = seed_packet(
            t.host_ip("A").unwrap(),
            t.host_ip("S").unwrap(),
            64,
            false,
            b"hello!",
        );
        let j = walk(&t, "A", p).unwrap();
        assert!(j
            .steps
            .iter()
            .any(|s| matches!(s.event, Event::Nat { to: (_, 40000), .. })));
        let last = j
            .frames
            .iter()
            .rev()
            .find(|f| f.bytes[12..14] == [8, 0])
            .unwrap();
        let d = dissect_ethernet(&last.bytes);
        let field = |p: &str, n: &str| {
            let id = ProtocolId::named(p).unwrap();
            d.layer(id).unwrap().field(n).unwrap().value.to_json()
        };
        assert_eq!(field("IPv4", "source"), "203.0.113.2");
        assert_eq!(field("TCP", "source_port"), 40000);
        assert_eq!(field("IPv4", "checksum_valid"), true);
        assert_eq!(field("TCP", "checksum_valid"), true);
    }

    #[test]
    fn topology_errors_are_clear() {
        let m = |t: &str| Topology::from_toml(t).unwrap_err().message();
        assert!(
            m("[[host]\nname=").starts_with("not a topology: line 1: "),
            "{}",
            m("[[host]\nname=")
        );
        assert_eq!(
            m("[[host]]\nname='A'\nip='10.0.0.1/24'\nlink='nowhere'\n"),
            "A is linked to \"nowhere\", which is no switch or hub of the topology"
        );
        assert_eq!(
            m("[[switch]]\nname='S'\n[[hub]]\nname='S'\n"),
            "the name \"S\" is used twice"
        );
        assert_eq!(
            m("[[switch]]\nname='S'\n[[host]]\nname='A'\nip='10.0.0.1/33'\nlink='S'\n"),
            "A: \"10.0.0.1/33\" is not a valid address, prefix or MAC"
        );
        let (t, p) = seed();
        assert_eq!(
            walk(&t, "Z", p).unwrap_err(),
            TopologyError::UnknownHost("Z".into(), vec!["A".into(), "C".into(), "B".into()])
        );
    }

    #[test]
    fn no_route_and_hubs() {
        let text = "[[hub]]\nname='H'\n[[host]]\nname='A'\nip='10.0.0.1/24'\nlink='H'\n[[host]]\nname='B'\nip='10.0.0.2/24'\nlink='H'\n[[host]]\nname='C'\nip='10.0.0.3/24'\nlink='H'\n";
        let t = Topology::from_toml(text).unwrap();
        let p = seed_packet(
            t.host_ip("A").unwrap(),
            t.host_ip("B").unwrap(),
            64,
            false,
            b"hi",
        );
        let j = walk(&t, "A", p).unwrap();
        assert!(j
            .steps
            .iter()
            .any(|s| s.kind == DeviceKind::Hub && s.reads == OsiLayer::Physical));
        // A hub repeats the data frame to C too; C's NIC drops it.
        assert!(j
            .steps
            .iter()
            .any(|s| s.device == "C" && matches!(s.event, Event::NotForMe { .. })));
        assert!(j
            .steps
            .iter()
            .any(|s| s.device == "B" && matches!(s.event, Event::Delivered { .. })));
        let (t, _) = seed();
        let p = seed_packet(
            t.host_ip("A").unwrap(),
            "8.8.8.8".parse().unwrap(),
            64,
            false,
            b"hi",
        );
        let j = walk(&t, "A", p).unwrap();
        assert!(j.steps.iter().any(|s| s.event
            == Event::NoRoute {
                dst: "8.8.8.8".parse().unwrap()
            }));
    }
}
