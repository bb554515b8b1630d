//! The filter language of `layers decode --filter` and `layers capture --filter`: the
//! familiar subset of tcpdump's (pcap-filter(7)), meaning what tcpdump means by it.
//!
//! `tcp`, `udp`, `icmp`, `icmp6`, `arp`, `rarp`, `ip`, `ip6`, `vlan [ID]`, `[tcp|udp]
//! [src|dst] port N|NAME`, `[ip|ip6|arp|rarp] [src|dst] host ADDR`, `[src|dst] net CIDR`,
//! `ether [src|dst] host MAC`, `and`/`&&`, `or`/`||`, `not`/`!`, parentheses, and tcpdump's
//! shorthand where a bare value after `and`/`or` keeps the qualifiers before it (`port 53 or
//! 80`). As in tcpdump, `not` binds tightest and `and` and `or` bind equally, left to right.
//!
//! An expression is evaluated on a frame's captured bytes the way libpcap's compiled
//! program reads them: at fixed offsets from the link header, so a VLAN-tagged frame
//! matches `tcp` only after a `vlan` (which moves every later test 4 bytes on), a read past
//! the captured bytes rejects the frame, and no header is dissected first. That makes a
//! filter cheap: frames it rejects are never dissected.

#![forbid(unsafe_code)]
// No panic and no silent wrap on any expression or frame: offsets are added with
// saturation (a read past the frame then rejects it, as libpcap's program does).
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::arithmetic_side_effects
    )
)]

mod eval;
mod parse;

pub use parse::MAX_NESTING;

/// A parsed filter expression, ready to be evaluated on frames.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Filter {
    expr: Option<Expr>,
    /// It uses `vlan` or `ether host`, which only an Ethernet link has: tcpdump refuses
    /// such an expression on other links, and it selects no frame of theirs.
    ethernet_only: bool,
}

impl Filter {
    /// Parses `text`. An empty expression selects every frame, as in tcpdump.
    pub fn parse(text: &str) -> Result<Filter, FilterError> {
        parse::parse(text).map(|expr| Filter {
            ethernet_only: expr.as_ref().is_some_and(Expr::ethernet_only),
            expr,
        })
    }

    /// Whether a frame of link type `link`, of which `frame` was captured, is selected.
    pub fn matches(&self, link: layers_osi::LinkType, frame: &[u8]) -> bool {
        match &self.expr {
            None => true,
            Some(_) if self.ethernet_only && link != layers_osi::LinkType::Ethernet => false,
            Some(e) => eval::matches(e, link, frame),
        }
    }
}

/// Terms joined left to right by `and` and `or`, which bind equally.
#[derive(Clone, Debug, PartialEq, Eq)]
struct Expr {
    first: Term,
    rest: Vec<(Op, Term)>,
}

impl Expr {
    fn ethernet_only(&self) -> bool {
        std::iter::once(&self.first)
            .chain(self.rest.iter().map(|(_, t)| t))
            .any(Term::ethernet_only)
    }
}

impl Term {
    fn ethernet_only(&self) -> bool {
        match self {
            Term::Not(t) => t.ethernet_only(),
            Term::Group(e) => e.ethernet_only(),
            Term::Test(t, _) => matches!(t, Test::Vlan(_) | Test::EtherHost { .. }),
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    And,
    Or,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Term {
    Not(Box<Term>),
    Group(Box<Expr>),
    /// A test, and how many `vlan`s came before it in the expression (each moves the
    /// link's type and payload 4 bytes on, as in libpcap).
    Test(Test, usize),
}

/// Which end of a conversation a test looks at.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Dir {
    Src,
    Dst,
    /// `src or dst`, and no direction at all.
    Either,
    /// `src and dst`.
    Both,
}

/// The transport protocols a `port` test looks at: TCP, UDP and SCTP unless one is named.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum PortProtos {
    Any,
    One(u8),
}

/// One primitive, as libpcap compiles it.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Test {
    /// The link says this EtherType (`ip`, `ip6`, `arp`, `rarp`).
    EtherType(u16),
    /// IPv4 with this protocol number (`icmp`; half of `tcp`, `udp`).
    Proto4(u8),
    /// IPv6 with this next header, directly or after a fragment header (`icmp6`; half of
    /// `tcp`, `udp`).
    Proto6(u8),
    /// `tcp`, `udp`: IPv4 or IPv6 carrying it.
    Proto(u8),
    Port {
        protos: PortProtos,
        dir: Dir,
        port: u16,
    },
    /// An IPv4 address under a mask, in IPv4, ARP and RARP packets as chosen.
    Host4 {
        ip: bool,
        arp: bool,
        rarp: bool,
        dir: Dir,
        addr: u32,
        mask: u32,
    },
    Host6 {
        dir: Dir,
        addr: u128,
        mask: u128,
    },
    EtherHost {
        dir: Dir,
        mac: [u8; 6],
    },
    Vlan(Option<u16>),
}

/// Why an expression could not be parsed, and where.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FilterError {
    /// The column of the mistake, counted in characters from 1 (one past the end when the
    /// expression ended too soon).
    pub column: usize,
    pub kind: ErrorKind,
}

/// What was wrong. Quoted input is cut to [`QUOTE_MAX`] characters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// Something else was expected here; `found` is `None` at the end of the expression.
    Expected {
        expected: Expected,
        found: Option<String>,
    },
    /// tcpdump syntax this filter language does not take (`portrange`, `tcp[13]`, ...).
    Unsupported { word: String },
    /// A qualifier that cannot go with what follows, as `tcp` in `tcp host 10.0.0.1`.
    Qualifier {
        qualifier: &'static str,
        applied_to: Applied,
    },
    /// A network with bits set past its prefix (`net 10.1.2.3/8`).
    HostBits { network: String },
    /// A prefix longer than the address (`/33`).
    Prefix { length: u64, max: u32 },
    /// A port above 65535.
    Port { value: u64 },
    /// A VLAN ID above 4095.
    VlanId { value: u64 },
    /// A port name that is no service `layers` knows.
    Service { name: String },
    /// A host name: filters take addresses and look nothing up.
    HostName { name: String },
    /// Parentheses and `not`s nested deeper than [`MAX_NESTING`].
    TooDeep,
}

/// What a qualifier was wrongly put before.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Applied {
    Host,
    Net,
    Port,
    Mac,
    Ipv4,
    Ipv6,
}

/// What the parser expected.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expected {
    /// A primitive: `tcp`, `port 80`, `host 10.0.0.1`, `(`...
    Primitive,
    /// `and`, `or` or the end of the expression.
    Operator,
    /// A closing parenthesis.
    CloseParen,
    /// A port number or service name, after `port`.
    PortValue,
    /// A network (`10.0.0.0/8`, `10.1`, `fd00::/8`), after `net`.
    NetValue,
    /// An IPv4 or IPv6 address, after `host`, `src` or `dst`.
    HostValue,
    /// A MAC address, after `ether host`.
    MacValue,
    /// `host`, `src` or `dst`, after `ether`.
    EtherQualifier,
    /// A bare value after `and`/`or` takes the qualifiers of the primitive before it; this
    /// one has none (`tcp or 80`).
    Qualified,
}

/// Quoted input is cut to this many characters.
pub const QUOTE_MAX: usize = 40;

#[cfg(test)]
mod tests;
