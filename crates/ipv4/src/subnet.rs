//! Subnet maths: masks and prefixes, address AND mask, and the next-hop decision.

use std::fmt;
use std::net::Ipv4Addr;
use std::str::FromStr;

use layers_osi::Text;

/// Why an address, prefix or mask was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SubnetError {
    /// Not a dotted-quad IPv4 address.
    #[error("{0:?} is not an IPv4 address: expected four numbers 0-255 such as 192.168.11.34")]
    Address(String),
    /// A prefix length over 32 or not a number.
    #[error("prefix {0:?} is out of range: expected 0-32")]
    Prefix(String),
    /// A mask whose one bits are not all on the left.
    #[error(
        "mask {0} is not contiguous: its one bits must all come first (such as 255.255.255.0)"
    )]
    NonContiguous(Ipv4Addr),
}

/// How many addresses a /`prefix` block holds: 2^(32 - prefix) (0 past /32).
fn block_size(prefix: u8) -> u64 {
    1u64.checked_shl(32u32.saturating_sub(u32::from(prefix)))
        .filter(|_| prefix <= 32)
        .unwrap_or(0)
}

/// The mask of a prefix length: /24 is 255.255.255.0, /0 is 0.0.0.0.
pub fn mask_from_prefix(prefix: u8) -> Result<Ipv4Addr, SubnetError> {
    match prefix {
        0 => Ok(Ipv4Addr::UNSPECIFIED),
        1..=32 => Ok(Ipv4Addr::from(
            u32::MAX
                .checked_shl(32u32.saturating_sub(u32::from(prefix)))
                .unwrap_or(0),
        )),
        _ => Err(SubnetError::Prefix(prefix.to_string())),
    }
}

/// The prefix length of a mask; a mask with a zero bit before a one bit is refused.
pub fn prefix_from_mask(mask: Ipv4Addr) -> Result<u8, SubnetError> {
    let bits = u32::from(mask);
    let ones = bits.leading_ones();
    if bits.checked_shl(ones).unwrap_or(0) != 0 {
        return Err(SubnetError::NonContiguous(mask));
    }
    Ok(ones as u8)
}

fn parse_addr(s: &str) -> Result<Ipv4Addr, SubnetError> {
    Ipv4Addr::from_str(s.trim()).map_err(|_| SubnetError::Address(s.trim().to_string()))
}

/// A prefix length (`24`) or a dotted mask (`255.255.255.0`).
pub fn parse_prefix_or_mask(s: &str) -> Result<u8, SubnetError> {
    let t = s.trim();
    if t.contains('.') {
        prefix_from_mask(parse_addr(t)?)
    } else {
        match t.parse::<u8>() {
            Ok(p) if p <= 32 => Ok(p),
            _ => Err(SubnetError::Prefix(t.to_string())),
        }
    }
}

/// A host address with its network's prefix length: `192.168.11.34/24`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Ipv4Net {
    addr: Ipv4Addr,
    prefix: u8,
}

impl Ipv4Net {
    /// `addr` on a network of `prefix` bits.
    pub fn new(addr: Ipv4Addr, prefix: u8) -> Result<Ipv4Net, SubnetError> {
        mask_from_prefix(prefix)?;
        Ok(Ipv4Net { addr, prefix })
    }

    /// The address.
    pub fn addr(&self) -> Ipv4Addr {
        self.addr
    }

    /// The prefix length.
    pub fn prefix(&self) -> u8 {
        self.prefix
    }

    /// The mask.
    pub fn mask(&self) -> Ipv4Addr {
        // The prefix is 0-32, checked on construction, so this is never the fallback.
        mask_from_prefix(self.prefix).unwrap_or(Ipv4Addr::UNSPECIFIED)
    }

    /// The network: address AND mask.
    pub fn network(&self) -> Ipv4Addr {
        Ipv4Addr::from(u32::from(self.addr) & u32::from(self.mask()))
    }

    /// The broadcast address: the network with every host bit set. None for /31 (both
    /// addresses are hosts, RFC 3021) and /32 (a single host).
    pub fn broadcast(&self) -> Option<Ipv4Addr> {
        (self.prefix <= 30)
            .then(|| Ipv4Addr::from(u32::from(self.network()) | !u32::from(self.mask())))
    }

    /// Whether `other` AND this mask equals this network.
    pub fn contains(&self, other: Ipv4Addr) -> bool {
        u32::from(other) & u32::from(self.mask()) == u32::from(self.network())
    }

    /// The first usable host (network + 1; for /31 and /32 the network itself).
    pub fn first_host(&self) -> Ipv4Addr {
        let net = u32::from(self.network());
        // Below /31 the network has a broadcast above it, so net + 1 is in range.
        Ipv4Addr::from(if self.prefix >= 31 {
            net
        } else {
            net.saturating_add(1)
        })
    }

    /// `other` AND this mask, octet by octet, as the lesson writes it out.
    pub fn and_octets(&self, other: Ipv4Addr) -> [OctetAnd; 4] {
        let (a, m) = (other.octets(), self.mask().octets());
        let and = |address: u8, mask: u8| OctetAnd {
            address,
            mask,
            network: address & mask,
        };
        [
            and(a[0], m[0]),
            and(a[1], m[1]),
            and(a[2], m[2]),
            and(a[3], m[3]),
        ]
    }
}

impl fmt::Display for Ipv4Net {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.addr, self.prefix)
    }
}

impl FromStr for Ipv4Net {
    type Err = SubnetError;

    /// `ADDR/PREFIX` or `ADDR/MASK`.
    fn from_str(s: &str) -> Result<Ipv4Net, SubnetError> {
        let (addr, rest) = s
            .split_once('/')
            .ok_or_else(|| SubnetError::Prefix(String::new()))?;
        Ipv4Net::new(parse_addr(addr)?, parse_prefix_or_mask(rest)?)
    }
}

/// One octet of an address AND mask.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OctetAnd {
    /// The address octet.
    pub address: u8,
    /// The mask octet.
    pub mask: u8,
    /// Their AND.
    pub network: u8,
}

impl Ipv4Net {
    /// The last usable host (broadcast - 1; for /31 and /32 the last address itself).
    pub fn last_host(&self) -> Ipv4Addr {
        let last = u32::from(self.network()) | !u32::from(self.mask());
        Ipv4Addr::from(if self.prefix >= 31 {
            last
        } else {
            last.saturating_sub(1)
        })
    }

    /// How many hosts it holds: 2^(32-prefix) - 2, but 2 for /31 (RFC 3021) and 1 for /32.
    pub fn host_count(&self) -> u64 {
        match self.prefix {
            32 => 1,
            31 => 2,
            p => block_size(p).saturating_sub(2),
        }
    }

    /// The wildcard (inverse) mask, as ACLs write it.
    pub fn wildcard(&self) -> Ipv4Addr {
        Ipv4Addr::from(!u32::from(self.mask()))
    }

    /// The network itself, with host bits cleared.
    pub fn trunc(&self) -> Ipv4Net {
        Ipv4Net {
            addr: self.network(),
            prefix: self.prefix,
        }
    }

    /// Splits the network into `n` equal subnets, rounded up to a power of two.
    pub fn split(&self, n: u32) -> Result<Subnets, SplitError> {
        if n == 0 {
            return Err(SplitError::Zero);
        }
        let bits = n.next_power_of_two().trailing_zeros();
        let prefix = u32::from(self.prefix).saturating_add(bits);
        if prefix > 32 {
            return Err(SplitError::TooMany {
                network: self.trunc(),
                wanted: n,
                most: block_size(self.prefix),
            });
        }
        Ok(Subnets {
            base: u64::from(u32::from(self.network())),
            prefix: prefix as u8,
            count: 1u64 << bits,
        })
    }

    /// Variable-length subnets for the given host counts, largest first, each the
    /// smallest block that holds its hosts plus network and broadcast, packed from the
    /// network's start; returned as (hosts wanted, subnet), largest first.
    pub fn vlsm(&self, hosts: &[u32]) -> Result<Vec<(u32, Ipv4Net)>, SplitError> {
        let mut wanted: Vec<u32> = hosts.to_vec();
        wanted.sort_by(|a, b| b.cmp(a));
        let start = u64::from(u32::from(self.network()));
        let end = start.saturating_add(block_size(self.prefix));
        let mut next = start;
        let mut out = Vec::new();
        for h in wanted {
            if h == 0 {
                return Err(SplitError::Zero);
            }
            // Network and broadcast take two addresses (a /31 point-to-point link needs none,
            // but VLSM plans for LANs).
            let size = u64::from(h).saturating_add(2).next_power_of_two();
            if next.saturating_add(size) > end {
                return Err(SplitError::NoRoom {
                    network: self.trunc(),
                    hosts: h,
                    at: Ipv4Addr::from(next.min(u64::from(u32::MAX)) as u32),
                });
            }
            // It fits in the network, so it is at most 2^32: a prefix of 0 to 32.
            let prefix = 32u32.saturating_sub(size.trailing_zeros());
            out.push((
                h,
                Ipv4Net {
                    addr: Ipv4Addr::from(next as u32),
                    prefix: prefix as u8,
                },
            ));
            next = next.saturating_add(size);
        }
        Ok(out)
    }
}

/// The equal subnets a network splits into, computed one at a time: a /0 split in two
/// billion is two billion subnets, and nobody lists them all.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Subnets {
    base: u64,
    prefix: u8,
    count: u64,
}

impl Subnets {
    /// How many there are.
    pub fn len(&self) -> u64 {
        self.count
    }

    /// Whether there are none (never, for a split that succeeded).
    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// Their prefix length.
    pub fn prefix(&self) -> u8 {
        self.prefix
    }

    /// The subnets in order.
    pub fn iter(&self) -> impl Iterator<Item = Ipv4Net> + '_ {
        let size = block_size(self.prefix);
        (0..self.count).map(move |i| Ipv4Net {
            addr: Ipv4Addr::from(self.base.saturating_add(i.saturating_mul(size)) as u32),
            prefix: self.prefix,
        })
    }

    /// The last one.
    pub fn last(&self) -> Option<Ipv4Net> {
        let size = block_size(self.prefix);
        let last = self
            .base
            .saturating_add(self.count.checked_sub(1)?.saturating_mul(size));
        Some(Ipv4Net {
            addr: Ipv4Addr::from(last as u32),
            prefix: self.prefix,
        })
    }
}

/// Why a network could not be split.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SplitError {
    /// Zero subnets, or a subnet for zero hosts.
    #[error("a split needs at least one subnet of at least one host")]
    Zero,
    /// More subnets than the network has addresses.
    #[error("{network} cannot be split into {wanted} subnets: it has {most} addresses")]
    TooMany {
        /// The network.
        network: Ipv4Net,
        /// Subnets asked for.
        wanted: u32,
        /// The most it could be split into.
        most: u64,
    },
    /// The host counts do not fit.
    #[error("{network} has no room left for {hosts} hosts (next free address {at})")]
    NoRoom {
        /// The network.
        network: Ipv4Net,
        /// The host count that did not fit.
        hosts: u32,
        /// Where the free space began.
        at: Ipv4Addr,
    },
}

/// One route: a destination network, reached directly on an interface or via a next hop.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TableRoute {
    /// The destination network.
    pub network: Ipv4Net,
    /// The next router, or `None` for a network the interface is on.
    pub via: Option<Ipv4Addr>,
    /// The interface it leaves by.
    pub interface: String,
}

/// A router's table, looked up by longest prefix.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RoutingTable {
    /// The routes, in the order given.
    pub routes: Vec<TableRoute>,
}

impl RoutingTable {
    /// The route with the longest prefix that contains `destination`.
    pub fn lookup(&self, destination: Ipv4Addr) -> Option<&TableRoute> {
        self.routes
            .iter()
            .filter(|r| r.network.contains(destination))
            .max_by_key(|r| r.network.prefix())
    }
}

/// The historic class of an address (before CIDR): A to E by its leading bits.
pub fn class_of(ip: Ipv4Addr) -> char {
    match ip.octets()[0] {
        0..=127 => 'A',
        128..=191 => 'B',
        192..=223 => 'C',
        224..=239 => 'D',
        _ => 'E',
    }
}

/// Where a host sends a packet first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NextHop {
    /// The destination is on the host's own network: straight to it (ARP for it).
    Direct,
    /// The destination is elsewhere: to the gateway (ARP for the gateway).
    Gateway(Ipv4Addr),
}

/// A host's decision for one destination, with the working shown.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Route {
    /// The sending host and its prefix.
    pub source: Ipv4Net,
    /// The destination.
    pub destination: Ipv4Addr,
    /// The sender's network (source AND mask).
    pub source_network: Ipv4Addr,
    /// The destination under the sender's mask (destination AND mask).
    pub destination_network: Ipv4Addr,
    /// The decision.
    pub hop: NextHop,
}

impl Route {
    /// The address the host needs a MAC for: the destination, or the gateway.
    pub fn next_hop_ip(&self) -> Ipv4Addr {
        match self.hop {
            NextHop::Direct => self.destination,
            NextHop::Gateway(gw) => gw,
        }
    }
}

/// The sending host's decision: destination AND mask against source AND mask.
pub fn next_hop(source: Ipv4Net, destination: Ipv4Addr, gateway: Ipv4Addr) -> Route {
    let mask = u32::from(source.mask());
    let destination_network = Ipv4Addr::from(u32::from(destination) & mask);
    let same = destination_network == source.network();
    Route {
        source,
        destination,
        source_network: source.network(),
        destination_network,
        hop: if same {
            NextHop::Direct
        } else {
            NextHop::Gateway(gateway)
        },
    }
}

/// What a destination address is to a sending host, decided before any subnet AND: a
/// broadcast or multicast is sent to a group MAC without ARP, and some addresses never go
/// on a wire at all (RFC 1122 3.2.1.3 and 3.3.6, RFC 1112 6.4).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Destination {
    /// One host, here or beyond a router: ARP for it or for the gateway.
    Unicast,
    /// 255.255.255.255: every host on the link; to ff:ff:ff:ff:ff:ff, never forwarded.
    LimitedBroadcast,
    /// The sender's own network with every host bit set: every host of that network.
    DirectedBroadcast,
    /// 224.0.0.0/4: a group; to 01:00:5e and the address's low 23 bits.
    Multicast,
    /// 127.0.0.0/8: the host itself; it never leaves the host.
    Loopback,
    /// 0.0.0.0/8: "this host on this network", a source only.
    ThisNetwork,
    /// 240.0.0.0/4 (class E): reserved, not assigned to hosts.
    Reserved,
    /// The sender's own network address (host bits all 0): names the network, no host.
    NetworkAddress,
    /// The sender's own address: it never leaves the host.
    Itself,
}

impl Destination {
    /// What `destination` is to a host at `source`.
    pub fn of(source: Ipv4Net, destination: Ipv4Addr) -> Destination {
        let [a, ..] = destination.octets();
        if destination == Ipv4Addr::BROADCAST {
            Destination::LimitedBroadcast
        } else if a == 127 {
            Destination::Loopback
        } else if a == 0 {
            Destination::ThisNetwork
        } else if (224..=239).contains(&a) {
            Destination::Multicast
        } else if a >= 240 {
            Destination::Reserved
        } else if destination == source.addr() {
            Destination::Itself
        } else if Some(destination) == source.broadcast() {
            Destination::DirectedBroadcast
        } else if source.prefix() <= 30 && destination == source.network() {
            Destination::NetworkAddress
        } else {
            Destination::Unicast
        }
    }

    /// Whether a frame to it goes to ff:ff:ff:ff:ff:ff.
    pub fn is_broadcast(self) -> bool {
        matches!(
            self,
            Destination::LimitedBroadcast | Destination::DirectedBroadcast
        )
    }

    /// Whether a host sends nothing on a wire to it.
    pub fn stays_in_host(self) -> bool {
        matches!(self, Destination::Loopback | Destination::Itself)
    }
}

/// The Ethernet MAC of an IPv4 multicast group: 01:00:5e, then the group's low 23 bits
/// (RFC 1112 6.4).
pub fn multicast_mac(group: Ipv4Addr) -> [u8; 6] {
    let [_, b, c, d] = group.octets();
    [0x01, 0x00, 0x5e, b & 0x7f, c, d]
}

/// The gateway a host at `source` assumes when it is given none: its network's first host,
/// or the last when the first is the host itself (a sender is never its own gateway); none
/// for a /32, which has no neighbour on its link.
pub fn assumed_gateway(source: Ipv4Net) -> Option<Ipv4Addr> {
    if source.prefix() == 32 {
        return None;
    }
    [source.first_host(), source.last_host()]
        .into_iter()
        .find(|g| *g != source.addr())
}

/// What kind of address range an address is in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RangeKind {
    /// RFC 1918 private, with the course's class name (A 10/8, B 172.16/12, C 192.168/16).
    Private(char),
    /// 127/8.
    Loopback,
    /// 169.254/16.
    LinkLocal,
    /// 100.64/10 (RFC 6598).
    SharedCgnat,
    /// 224/4.
    Multicast,
    /// 192.0.2/24, 198.51.100/24, 203.0.113/24 (RFC 5737).
    Documentation,
    /// 0/8.
    ThisNetwork,
    /// 192.0.0.0/24: IETF protocol assignments (RFC 6890).
    ProtocolAssignments,
    /// 198.18.0.0/15: network benchmarking (RFC 2544).
    Benchmarking,
    /// 192.88.99.0/24: the 6to4 relay anycast, deprecated (RFC 7526).
    Relay6to4,
    /// 255.255.255.255.
    LimitedBroadcast,
    /// 240/4 (except the limited broadcast).
    Reserved,
    /// Everything else: reachable from the Internet.
    Public,
}

impl RangeKind {
    /// What it means.
    pub fn describe(self) -> Text {
        match self {
            RangeKind::Private('A') => Text::new(
                "private (RFC 1918, class A range 10.0.0.0/8)",
                "私有地址(RFC 1918,A 类 10.0.0.0/8)",
            ),
            RangeKind::Private('B') => Text::new(
                "private (RFC 1918, class B range 172.16.0.0/12)",
                "私有地址(RFC 1918,B 类 172.16.0.0/12)",
            ),
            RangeKind::Private(_) => Text::new(
                "private (RFC 1918, class C range 192.168.0.0/16)",
                "私有地址(RFC 1918,C 类 192.168.0.0/16)",
            ),
            RangeKind::Loopback => Text::new(
                "loopback (127.0.0.0/8): never leaves the host",
                "回环地址(127.0.0.0/8):不离开本机",
            ),
            RangeKind::LinkLocal => Text::new(
                "link-local (169.254.0.0/16)",
                "链路本地地址(169.254.0.0/16)",
            ),
            RangeKind::SharedCgnat => Text::new(
                "shared address space for carrier NAT (100.64.0.0/10)",
                "运营商级 NAT 共享地址(100.64.0.0/10)",
            ),
            RangeKind::Multicast => Text::new("multicast (224.0.0.0/4)", "组播地址(224.0.0.0/4)"),
            RangeKind::Documentation => {
                Text::new("documentation (RFC 5737)", "文档示例地址(RFC 5737)")
            }
            RangeKind::ThisNetwork => {
                Text::new("\"this network\" (0.0.0.0/8)", "「本网络」(0.0.0.0/8)")
            }
            RangeKind::ProtocolAssignments => Text::new(
                "IETF protocol assignments (192.0.0.0/24, RFC 6890): not public",
                "IETF 协议分配地址(192.0.0.0/24,RFC 6890):不是公网地址",
            ),
            RangeKind::Benchmarking => Text::new(
                "benchmarking (198.18.0.0/15, RFC 2544): for test networks, not public",
                "网络性能测试地址(198.18.0.0/15,RFC 2544):用于测试网络,不是公网地址",
            ),
            RangeKind::Relay6to4 => Text::new(
                "6to4 relay anycast (192.88.99.0/24, deprecated by RFC 7526)",
                "6to4 中继任播地址(192.88.99.0/24,已由 RFC 7526 废弃)",
            ),
            RangeKind::LimitedBroadcast => Text::new("limited broadcast", "受限广播"),
            RangeKind::Reserved => Text::new("reserved (240.0.0.0/4)", "保留地址(240.0.0.0/4)"),
            RangeKind::Public => Text::new(
                "public: reachable from the Internet",
                "公网地址:可从互联网访问",
            ),
        }
    }
}

/// The range `ip` belongs to.
pub fn range_kind(ip: Ipv4Addr) -> RangeKind {
    let [a, b, c, _] = ip.octets();
    match (a, b, c) {
        (10, _, _) => RangeKind::Private('A'),
        (172, 16..=31, _) => RangeKind::Private('B'),
        (192, 168, _) => RangeKind::Private('C'),
        (127, _, _) => RangeKind::Loopback,
        (169, 254, _) => RangeKind::LinkLocal,
        (100, 64..=127, _) => RangeKind::SharedCgnat,
        (192, 0, 2) | (198, 51, 100) | (203, 0, 113) => RangeKind::Documentation,
        (192, 0, 0) => RangeKind::ProtocolAssignments,
        (198, 18..=19, _) => RangeKind::Benchmarking,
        (192, 88, 99) => RangeKind::Relay6to4,
        (0, _, _) => RangeKind::ThisNetwork,
        (224..=239, _, _) => RangeKind::Multicast,
        _ if ip == Ipv4Addr::BROADCAST => RangeKind::LimitedBroadcast,
        (240..=255, _, _) => RangeKind::Reserved,
        _ => RangeKind::Public,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ip(s: &str) -> Ipv4Addr {
        s.parse().unwrap()
    }

    #[test]
    fn destination_kinds_come_before_the_and() {
        let me = Ipv4Net::new(ip("192.168.11.34"), 24).unwrap();
        for (dst, want) in [
            ("192.168.11.53", Destination::Unicast),
            ("8.8.8.8", Destination::Unicast),
            ("255.255.255.255", Destination::LimitedBroadcast),
            ("192.168.11.255", Destination::DirectedBroadcast),
            ("192.168.11.0", Destination::NetworkAddress),
            ("224.0.0.251", Destination::Multicast),
            ("239.255.255.250", Destination::Multicast),
            ("127.0.0.1", Destination::Loopback),
            ("192.168.11.34", Destination::Itself),
            ("0.0.0.0", Destination::ThisNetwork),
            ("240.0.0.1", Destination::Reserved),
            // Another network's broadcast is unicast to this host: its router decides.
            ("10.0.0.255", Destination::Unicast),
        ] {
            assert_eq!(Destination::of(me, ip(dst)), want, "{dst}");
        }
        // On a /31 both addresses are hosts (RFC 3021): no network or broadcast address.
        let p2p = Ipv4Net::new(ip("10.0.0.1"), 31).unwrap();
        assert_eq!(Destination::of(p2p, ip("10.0.0.0")), Destination::Unicast);
    }

    #[test]
    fn multicast_macs_keep_the_low_23_bits() {
        assert_eq!(multicast_mac(ip("224.0.0.251")), [1, 0, 0x5e, 0, 0, 0xfb]);
        // 239.255.255.250 (SSDP): the 24th bit from the end is dropped.
        assert_eq!(
            multicast_mac(ip("239.255.255.250")),
            [1, 0, 0x5e, 0x7f, 0xff, 0xfa]
        );
        assert_eq!(
            multicast_mac(ip("224.128.0.1")),
            multicast_mac(ip("224.0.0.1"))
        );
    }

    #[test]
    fn special_purpose_ranges_are_named_not_public() {
        for (addr, want) in [
            ("100.64.0.1", RangeKind::SharedCgnat),
            ("169.254.1.1", RangeKind::LinkLocal),
            ("192.0.0.9", RangeKind::ProtocolAssignments),
            ("192.0.2.1", RangeKind::Documentation),
            ("198.18.0.1", RangeKind::Benchmarking),
            ("198.19.255.254", RangeKind::Benchmarking),
            ("198.51.100.7", RangeKind::Documentation),
            ("203.0.113.7", RangeKind::Documentation),
            ("192.88.99.1", RangeKind::Relay6to4),
            ("198.20.0.1", RangeKind::Public),
            ("8.8.8.8", RangeKind::Public),
        ] {
            assert_eq!(range_kind(ip(addr)), want, "{addr}");
        }
    }

    #[test]
    fn a_sender_is_never_its_own_gateway() {
        let net = |s: &str, p| Ipv4Net::new(ip(s), p).unwrap();
        assert_eq!(
            assumed_gateway(net("192.168.11.34", 24)),
            Some(ip("192.168.11.1"))
        );
        assert_eq!(
            assumed_gateway(net("192.168.11.1", 24)),
            Some(ip("192.168.11.254"))
        );
        assert_eq!(assumed_gateway(net("10.0.0.0", 31)), Some(ip("10.0.0.1")));
        assert_eq!(assumed_gateway(net("10.0.0.7", 32)), None);
    }

    #[test]
    fn masks_and_prefixes_at_the_edges() {
        let table = [
            (0, "0.0.0.0"),
            (1, "128.0.0.0"),
            (8, "255.0.0.0"),
            (23, "255.255.254.0"),
            (24, "255.255.255.0"),
            (31, "255.255.255.254"),
            (32, "255.255.255.255"),
        ];
        for (prefix, mask) in table {
            assert_eq!(mask_from_prefix(prefix), Ok(ip(mask)), "/{prefix}");
            assert_eq!(prefix_from_mask(ip(mask)), Ok(prefix), "{mask}");
        }
        assert_eq!(mask_from_prefix(33), Err(SubnetError::Prefix("33".into())));
        for bad in [
            "255.0.255.0",
            "0.255.255.255",
            "255.255.255.253",
            "254.255.255.0",
        ] {
            assert_eq!(
                prefix_from_mask(ip(bad)),
                Err(SubnetError::NonContiguous(ip(bad))),
                "{bad}"
            );
        }
    }

    #[test]
    fn networks_broadcasts_and_hosts() {
        let net: Ipv4Net = "192.168.11.34/24".parse().unwrap();
        assert_eq!(net.network(), ip("192.168.11.0"));
        assert_eq!(net.broadcast(), Some(ip("192.168.11.255")));
        assert_eq!(net.first_host(), ip("192.168.11.1"));
        let p2p: Ipv4Net = "10.0.0.1/31".parse().unwrap();
        assert_eq!(p2p.broadcast(), None);
        assert_eq!(p2p.first_host(), ip("10.0.0.0"));
        let host: Ipv4Net = "10.0.0.1/32".parse().unwrap();
        assert_eq!(host.broadcast(), None);
        let all: Ipv4Net = "8.8.8.8/0".parse().unwrap();
        assert_eq!(all.network(), ip("0.0.0.0"));
        assert!(all.contains(ip("1.2.3.4")));
    }

    #[test]
    fn parsing_refuses_with_the_reason() {
        assert_eq!(
            "1.2.3.4/33".parse::<Ipv4Net>(),
            Err(SubnetError::Prefix("33".into()))
        );
        assert_eq!(
            "1.2.3.4/255.0.255.0".parse::<Ipv4Net>(),
            Err(SubnetError::NonContiguous(ip("255.0.255.0")))
        );
        assert_eq!(
            "1.2.3/24".parse::<Ipv4Net>(),
            Err(SubnetError::Address("1.2.3".into()))
        );
        assert_eq!(
            "1.2.3.256/24".parse::<Ipv4Net>(),
            Err(SubnetError::Address("1.2.3.256".into()))
        );
        assert_eq!(
            "1.2.3.4/".parse::<Ipv4Net>(),
            Err(SubnetError::Prefix("".into()))
        );
    }

    #[test]
    fn the_and_per_octet_as_the_lesson_writes_it() {
        let net: Ipv4Net = "192.168.11.34/255.255.240.0".parse().unwrap();
        let and = net.and_octets(ip("192.168.27.9"));
        let nets: Vec<u8> = and.iter().map(|o| o.network).collect();
        assert_eq!(nets, [192, 168, 16, 0]);
        assert_eq!(
            and[2],
            OctetAnd {
                address: 27,
                mask: 240,
                network: 16
            }
        );
    }

    #[test]
    fn the_seed_decision_direct_or_via_the_gateway() {
        let me: Ipv4Net = "192.168.11.34/24".parse().unwrap();
        let gw = ip("192.168.11.1");
        let same = next_hop(me, ip("192.168.11.53"), gw);
        assert_eq!(same.hop, NextHop::Direct);
        assert_eq!(same.next_hop_ip(), ip("192.168.11.53"));
        let away = next_hop(me, ip("8.8.8.8"), gw);
        assert_eq!(away.hop, NextHop::Gateway(gw));
        assert_eq!(away.destination_network, ip("8.8.8.0"));
        assert_eq!(away.next_hop_ip(), gw);
    }

    #[test]
    fn range_kinds() {
        let table = [
            ("10.1.2.3", RangeKind::Private('A')),
            ("172.16.0.1", RangeKind::Private('B')),
            ("172.31.255.255", RangeKind::Private('B')),
            ("172.32.0.1", RangeKind::Public),
            ("192.168.11.34", RangeKind::Private('C')),
            ("127.0.0.1", RangeKind::Loopback),
            ("169.254.1.1", RangeKind::LinkLocal),
            ("100.64.0.1", RangeKind::SharedCgnat),
            ("100.128.0.1", RangeKind::Public),
            ("224.0.0.251", RangeKind::Multicast),
            ("192.0.2.7", RangeKind::Documentation),
            ("0.1.2.3", RangeKind::ThisNetwork),
            ("255.255.255.255", RangeKind::LimitedBroadcast),
            ("250.0.0.1", RangeKind::Reserved),
            ("8.8.8.8", RangeKind::Public),
        ];
        for (addr, kind) in table {
            assert_eq!(range_kind(ip(addr)), kind, "{addr}");
        }
    }

    #[test]
    fn hosts_wildcards_and_classes() {
        let net: Ipv4Net = "192.168.11.53/24".parse().unwrap();
        assert_eq!(
            (net.first_host(), net.last_host(), net.host_count()),
            (ip("192.168.11.1"), ip("192.168.11.254"), 254)
        );
        assert_eq!(net.wildcard(), ip("0.0.0.255"));
        let p2p: Ipv4Net = "10.0.0.0/31".parse().unwrap();
        assert_eq!(
            (p2p.first_host(), p2p.last_host(), p2p.host_count()),
            (ip("10.0.0.0"), ip("10.0.0.1"), 2)
        );
        let one: Ipv4Net = "10.0.0.7/32".parse().unwrap();
        assert_eq!(one.host_count(), 1);
        let all: Ipv4Net = "0.0.0.0/0".parse().unwrap();
        assert_eq!(all.host_count(), (1u64 << 32) - 2);
        for (addr, class) in [
            ("10.0.0.1", 'A'),
            ("172.16.0.1", 'B'),
            ("192.168.1.1", 'C'),
            ("224.0.0.1", 'D'),
            ("250.0.0.1", 'E'),
        ] {
            assert_eq!(class_of(ip(addr)), class);
        }
    }

    #[test]
    fn the_longest_prefix_wins() {
        let route = |net: &str, via: Option<&str>, i: &str| TableRoute {
            network: net.parse().unwrap(),
            via: via.map(ip),
            interface: i.into(),
        };
        let t = RoutingTable {
            routes: vec![
                route("0.0.0.0/0", Some("203.0.113.1"), "wan"),
                route("10.0.0.0/8", Some("10.255.0.1"), "core"),
                route("10.1.2.0/24", None, "lan"),
            ],
        };
        assert_eq!(t.lookup(ip("10.1.2.3")).unwrap().interface, "lan");
        assert_eq!(t.lookup(ip("10.9.9.9")).unwrap().interface, "core");
        assert_eq!(t.lookup(ip("8.8.8.8")).unwrap().interface, "wan");
        assert!(RoutingTable::default().lookup(ip("8.8.8.8")).is_none());
    }

    #[test]
    fn splits_and_vlsm() {
        let net: Ipv4Net = "192.168.11.0/24".parse().unwrap();
        let four: Vec<String> = net
            .split(4)
            .unwrap()
            .iter()
            .map(|n| n.to_string())
            .collect();
        assert_eq!(
            four,
            [
                "192.168.11.0/26",
                "192.168.11.64/26",
                "192.168.11.128/26",
                "192.168.11.192/26"
            ]
        );
        assert_eq!(
            net.split(3).unwrap().len(),
            4,
            "rounded up to a power of two"
        );
        assert!(matches!(net.split(512), Err(SplitError::TooMany { .. })));
        let plan: Vec<(u32, String)> = net
            .vlsm(&[20, 50, 10])
            .unwrap()
            .into_iter()
            .map(|(h, n)| (h, n.to_string()))
            .collect();
        assert_eq!(
            plan,
            [
                (50, "192.168.11.0/26".into()),
                (20, "192.168.11.64/27".into()),
                (10, "192.168.11.96/28".into())
            ]
        );
        // 62 hosts fit a /26 exactly; 63 need a /25.
        assert_eq!(net.vlsm(&[62]).unwrap()[0].1.prefix(), 26);
        assert_eq!(net.vlsm(&[63]).unwrap()[0].1.prefix(), 25);
        assert!(matches!(
            net.vlsm(&[200, 100]),
            Err(SplitError::NoRoom { hosts: 100, .. })
        ));
    }

    proptest! {
        #[test]
        fn network_is_the_and_and_contains_agrees(a in any::<u32>(), b in any::<u32>(), prefix in 0u8..=32) {
            let net = Ipv4Net::new(Ipv4Addr::from(a), prefix).unwrap();
            let mask = u32::from(net.mask());
            prop_assert_eq!(u32::from(net.network()), a & mask);
            prop_assert_eq!(net.contains(Ipv4Addr::from(b)), (a ^ b) & mask == 0);
            prop_assert_eq!(prefix_from_mask(net.mask()), Ok(prefix));
            if let Some(bc) = net.broadcast() {
                prop_assert!(net.contains(bc));
                prop_assert_eq!(u32::from(bc) | mask, u32::MAX);
            }
        }
    }
}
