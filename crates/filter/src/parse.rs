//! From text to [`Expr`], following libpcap's grammar (grammar.y) for the subset we take.

use std::net::{Ipv4Addr, Ipv6Addr};

use crate::{
    Applied, Dir, ErrorKind, Expected, Expr, FilterError, Op, PortProtos, Term, Test, QUOTE_MAX,
};

/// Parentheses and `not`s may nest this deep; deeper is an error, not a stack overflow.
pub const MAX_NESTING: usize = 200;

const TCP: u8 = 6;
const UDP: u8 = 17;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tok<'a> {
    Open,
    Close,
    Not,
    And,
    Or,
    Word(&'a str),
    /// A character of tcpdump's arithmetic (`[`, `&`, `=`, `<`...), which we do not take.
    Other(&'a str),
}

#[derive(Clone, Copy, Debug)]
struct Token<'a> {
    tok: Tok<'a>,
    column: usize,
}

fn lex(text: &str) -> Vec<Token<'_>> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().enumerate().peekable();
    while let Some((n, (i, c))) = chars.next() {
        let column = n.saturating_add(1);
        let rest = text.get(i..).unwrap_or_default();
        let single = |t| Token { tok: t, column };
        if c.is_whitespace() {
            continue;
        }
        let tok = match c {
            '(' => Tok::Open,
            ')' => Tok::Close,
            '!' if !rest.starts_with("!=") => Tok::Not,
            '&' if rest.starts_with("&&") => {
                chars.next();
                Tok::And
            }
            '|' if rest.starts_with("||") => {
                chars.next();
                Tok::Or
            }
            c if is_operator_char(c) => Tok::Other(rest.get(..c.len_utf8()).unwrap_or_default()),
            _ => {
                let len = rest
                    .find(|c: char| c.is_whitespace() || "()!".contains(c) || is_operator_char(c))
                    .unwrap_or(rest.len());
                let word = rest.get(..len).unwrap_or_default();
                for _ in 1..word.chars().count() {
                    chars.next();
                }
                match word {
                    "and" => Tok::And,
                    "or" => Tok::Or,
                    "not" => Tok::Not,
                    w => Tok::Word(w),
                }
            }
        };
        out.push(single(tok));
    }
    out
}

fn is_operator_char(c: char) -> bool {
    "[]&|=<>+*%^~\"'".contains(c)
}

/// A protocol qualifier (libpcap's `pqual`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Proto {
    Ether,
    Ip,
    Ip6,
    Arp,
    Rarp,
    Tcp,
    Udp,
    Icmp,
    Icmp6,
}

impl Proto {
    fn of(word: &str) -> Option<Proto> {
        Some(match word {
            "ether" => Proto::Ether,
            "ip" => Proto::Ip,
            "ip6" => Proto::Ip6,
            "arp" => Proto::Arp,
            "rarp" => Proto::Rarp,
            "tcp" => Proto::Tcp,
            "udp" => Proto::Udp,
            "icmp" => Proto::Icmp,
            "icmp6" => Proto::Icmp6,
            _ => return None,
        })
    }

    fn name(self) -> &'static str {
        match self {
            Proto::Ether => "ether",
            Proto::Ip => "ip",
            Proto::Ip6 => "ip6",
            Proto::Arp => "arp",
            Proto::Rarp => "rarp",
            Proto::Tcp => "tcp",
            Proto::Udp => "udp",
            Proto::Icmp => "icmp",
            Proto::Icmp6 => "icmp6",
        }
    }

    /// The test the bare word makes (`tcp`, `arp`...); `None` for `ether`, which needs more.
    fn alone(self) -> Option<Test> {
        Some(match self {
            Proto::Ether => return None,
            Proto::Ip => Test::EtherType(0x0800),
            Proto::Ip6 => Test::EtherType(0x86dd),
            Proto::Arp => Test::EtherType(0x0806),
            Proto::Rarp => Test::EtherType(0x8035),
            Proto::Tcp => Test::Proto(TCP),
            Proto::Udp => Test::Proto(UDP),
            Proto::Icmp => Test::Proto4(1),
            Proto::Icmp6 => Test::Proto6(58),
        })
    }
}

/// An address qualifier (libpcap's `aqual`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Host,
    Net,
    Port,
}

impl Kind {
    fn of(word: &str) -> Option<Kind> {
        Some(match word {
            "host" => Kind::Host,
            "net" => Kind::Net,
            "port" => Kind::Port,
            _ => return None,
        })
    }
}

fn dir_of(word: &str) -> Option<Dir> {
    match word {
        "src" => Some(Dir::Src),
        "dst" => Some(Dir::Dst),
        _ => None,
    }
}

/// tcpdump words this language does not take: named so the message can say so.
const UNSUPPORTED: &[&str] = &[
    "portrange",
    "proto",
    "protochain",
    "gateway",
    "broadcast",
    "multicast",
    "less",
    "greater",
    "len",
    "inbound",
    "outbound",
    "mpls",
    "pppoed",
    "pppoes",
    "geneve",
    "vxlan",
    "sctp",
    "igmp",
    "igrp",
    "pim",
    "vrrp",
    "carp",
    "ah",
    "esp",
    "link",
    "fddi",
    "tr",
    "wlan",
    "decnet",
    "atalk",
    "aarp",
    "iso",
    "stp",
    "ipx",
    "netbeui",
    "mask",
    "ifname",
    "on",
    "rnr",
    "rulenum",
    "reason",
    "rset",
    "srnr",
    "subrulenum",
    "action",
    "type",
    "subtype",
    "dir",
    "addr1",
    "addr2",
    "addr3",
    "addr4",
    "ra",
    "ta",
];

fn is_keyword(word: &str) -> bool {
    Proto::of(word).is_some()
        || Kind::of(word).is_some()
        || dir_of(word).is_some()
        || word == "vlan"
        || UNSUPPORTED.contains(&word)
}

/// The qualifiers of a primitive, which a bare value after `and`/`or` inherits.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Quals {
    proto: Option<Proto>,
    /// Where the protocol qualifier stands, for an error about it.
    proto_column: usize,
    dir: Option<Dir>,
    kind: Option<Kind>,
}

struct Parser<'a> {
    tokens: Vec<Token<'a>>,
    pos: usize,
    /// One past the last character: where "the end" is.
    end_column: usize,
    /// How many `vlan`s have been read so far.
    vlans: usize,
    depth: usize,
}

fn quote(s: &str) -> String {
    s.chars().take(QUOTE_MAX).collect()
}

pub(crate) fn parse(text: &str) -> Result<Option<Expr>, FilterError> {
    let mut p = Parser {
        tokens: lex(text),
        pos: 0,
        end_column: text.chars().count().saturating_add(1),
        vlans: 0,
        depth: 0,
    };
    if p.tokens.is_empty() {
        return Ok(None);
    }
    let expr = p.expr()?;
    match p.peek() {
        None => Ok(Some(expr)),
        Some(_) => Err(p.expected(Expected::Operator)),
    }
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<Tok<'a>> {
        self.tokens.get(self.pos).map(|t| t.tok)
    }

    fn peek_at(&self, ahead: usize) -> Option<Tok<'a>> {
        self.tokens
            .get(self.pos.saturating_add(ahead))
            .map(|t| t.tok)
    }

    fn column(&self) -> usize {
        self.tokens
            .get(self.pos)
            .map_or(self.end_column, |t| t.column)
    }

    fn error(&self, kind: ErrorKind) -> FilterError {
        FilterError {
            column: self.column(),
            kind,
        }
    }

    /// "Expected this", naming what stands here instead.
    fn expected(&self, expected: Expected) -> FilterError {
        let found = self.peek().map(|t| {
            quote(match t {
                Tok::Open => "(",
                Tok::Close => ")",
                Tok::Not => "not",
                Tok::And => "and",
                Tok::Or => "or",
                Tok::Word(w) | Tok::Other(w) => w,
            })
        });
        if let Some(Tok::Other(w)) = self.peek() {
            return self.error(ErrorKind::Unsupported { word: quote(w) });
        }
        if let Some(Tok::Word(w)) = self.peek() {
            if UNSUPPORTED.contains(&w) {
                return self.error(ErrorKind::Unsupported { word: quote(w) });
            }
        }
        self.error(ErrorKind::Expected { expected, found })
    }

    fn nest(&mut self) -> Result<(), FilterError> {
        self.depth = self.depth.saturating_add(1);
        if self.depth > MAX_NESTING {
            return Err(self.error(ErrorKind::TooDeep));
        }
        Ok(())
    }

    /// Whether the token `ahead` starts a bare value (an address, a number, a name).
    fn value_at(&self, ahead: usize) -> bool {
        matches!(self.peek_at(ahead), Some(Tok::Word(w)) if !is_keyword(w))
    }

    /// `expr: term | expr and term | expr and id | expr or term | expr or id`.
    fn expr(&mut self) -> Result<Expr, FilterError> {
        let (first, mut quals) = self.term()?;
        let mut rest = Vec::new();
        loop {
            let op = match self.peek() {
                Some(Tok::And) => Op::And,
                Some(Tok::Or) => Op::Or,
                _ => break,
            };
            self.pos = self.pos.saturating_add(1);
            let bare = self.value_at(0)
                || (matches!(self.peek(), Some(Tok::Not | Tok::Open)) && self.value_at(1));
            let term = if bare {
                let Some(q) = quals else {
                    return Err(self.expected(Expected::Qualified));
                };
                self.id(q)?
            } else {
                let (t, q) = self.term()?;
                quals = q;
                t
            };
            rest.push((op, term));
        }
        Ok(Expr { first, rest })
    }

    /// `term: rterm | not term`; with the qualifiers a later bare value inherits.
    fn term(&mut self) -> Result<(Term, Option<Quals>), FilterError> {
        match self.peek() {
            Some(Tok::Not) => {
                self.pos = self.pos.saturating_add(1);
                self.nest()?;
                let (t, q) = self.term()?;
                self.depth = self.depth.saturating_sub(1);
                Ok((Term::Not(Box::new(t)), q))
            }
            Some(Tok::Open) => {
                self.pos = self.pos.saturating_add(1);
                self.nest()?;
                let e = self.expr()?;
                if self.peek() != Some(Tok::Close) {
                    return Err(self.expected(Expected::CloseParen));
                }
                self.pos = self.pos.saturating_add(1);
                self.depth = self.depth.saturating_sub(1);
                Ok((Term::Group(Box::new(e)), None))
            }
            Some(Tok::Word("vlan")) => {
                self.pos = self.pos.saturating_add(1);
                let id = match self.peek() {
                    Some(Tok::Word(w)) if w.starts_with(|c: char| c.is_ascii_digit()) => {
                        let value = number(w).ok_or_else(|| self.expected(Expected::Operator))?;
                        if value > 0x0fff {
                            return Err(self.error(ErrorKind::VlanId { value }));
                        }
                        self.pos = self.pos.saturating_add(1);
                        u16::try_from(value).ok()
                    }
                    _ => None,
                };
                let t = Term::Test(Test::Vlan(id), self.vlans);
                self.vlans = self.vlans.saturating_add(1);
                Ok((t, None))
            }
            Some(Tok::Word(w)) => {
                let proto = Proto::of(w);
                let after = if proto.is_some() { 1 } else { 0 };
                let qualified = matches!(self.peek_at(after), Some(Tok::Word(q))
                    if dir_of(q).is_some() || Kind::of(q).is_some());
                match proto {
                    Some(p) if !qualified => {
                        let Some(test) = p.alone() else {
                            self.pos = self.pos.saturating_add(1);
                            return Err(self.expected(Expected::EtherQualifier));
                        };
                        self.pos = self.pos.saturating_add(1);
                        Ok((Term::Test(test, self.vlans), None))
                    }
                    _ if qualified => {
                        let column = self.column();
                        self.pos = self.pos.saturating_add(after);
                        let quals = self.head(proto, column);
                        Ok((self.id(quals)?, Some(quals)))
                    }
                    _ => Err(self.expected(Expected::Primitive)),
                }
            }
            _ => Err(self.expected(Expected::Primitive)),
        }
    }

    /// The direction and address qualifiers after an optional protocol: `src`, `dst`,
    /// `src or dst`, `src and dst`, then `host`, `net` or `port`.
    fn head(&mut self, proto: Option<Proto>, proto_column: usize) -> Quals {
        let mut dir = None;
        if let Some(Tok::Word(w)) = self.peek() {
            if let Some(d) = dir_of(w) {
                self.pos = self.pos.saturating_add(1);
                dir = Some(d);
                let other = |t: Option<Tok<'_>>| matches!(t, Some(Tok::Word(o)) if dir_of(o).is_some_and(|o| o != d));
                match self.peek() {
                    Some(Tok::Or) if other(self.peek_at(1)) => {
                        self.pos = self.pos.saturating_add(2);
                        dir = Some(Dir::Either);
                    }
                    Some(Tok::And) if other(self.peek_at(1)) => {
                        self.pos = self.pos.saturating_add(2);
                        dir = Some(Dir::Both);
                    }
                    _ => {}
                }
            }
        }
        let mut kind = None;
        if let Some(Tok::Word(w)) = self.peek() {
            if let Some(k) = Kind::of(w) {
                self.pos = self.pos.saturating_add(1);
                kind = Some(k);
            }
        }
        Quals {
            proto,
            proto_column,
            dir,
            kind,
        }
    }

    /// `id: value | not id | ( id and|or id ... )`, under the qualifiers `q`.
    fn id(&mut self, q: Quals) -> Result<Term, FilterError> {
        match self.peek() {
            Some(Tok::Not) => {
                self.pos = self.pos.saturating_add(1);
                self.nest()?;
                let t = self.id(q)?;
                self.depth = self.depth.saturating_sub(1);
                Ok(Term::Not(Box::new(t)))
            }
            Some(Tok::Open) => {
                self.pos = self.pos.saturating_add(1);
                self.nest()?;
                let first = self.id(q)?;
                let mut rest = Vec::new();
                loop {
                    let op = match self.peek() {
                        Some(Tok::And) => Op::And,
                        Some(Tok::Or) => Op::Or,
                        Some(Tok::Close) => break,
                        _ => return Err(self.expected(Expected::CloseParen)),
                    };
                    self.pos = self.pos.saturating_add(1);
                    rest.push((op, self.id(q)?));
                }
                self.pos = self.pos.saturating_add(1);
                self.depth = self.depth.saturating_sub(1);
                Ok(Term::Group(Box::new(Expr { first, rest })))
            }
            Some(Tok::Word(w)) if !is_keyword(w) => {
                let test = self.value(q, w)?;
                self.pos = self.pos.saturating_add(1);
                Ok(Term::Test(test, self.vlans))
            }
            _ => Err(self.expected(match q.kind {
                Some(Kind::Port) => Expected::PortValue,
                Some(Kind::Net) => Expected::NetValue,
                _ if q.proto == Some(Proto::Ether) => Expected::MacValue,
                _ => Expected::HostValue,
            })),
        }
    }

    /// The test a value makes under its qualifiers (libpcap's gen_ncode, gen_scode,
    /// gen_mcode, gen_ecode).
    fn value(&self, q: Quals, w: &str) -> Result<Test, FilterError> {
        let dir = q.dir.unwrap_or(Dir::Either);
        let qualifier = |applied_to| self.qualifier(q, applied_to);
        match q.kind {
            Some(Kind::Port) => {
                let protos = match q.proto {
                    None => PortProtos::Any,
                    Some(Proto::Tcp) => PortProtos::One(TCP),
                    Some(Proto::Udp) => PortProtos::One(UDP),
                    Some(_) => return Err(qualifier(Applied::Port)),
                };
                let port = if w.starts_with(|c: char| c.is_ascii_digit()) {
                    let value = number(w).ok_or_else(|| self.expected(Expected::PortValue))?;
                    u16::try_from(value).map_err(|_| self.error(ErrorKind::Port { value }))?
                } else {
                    layers_transport::service_port(w)
                        .ok_or_else(|| self.error(ErrorKind::Service { name: quote(w) }))?
                };
                Ok(Test::Port { protos, dir, port })
            }
            Some(Kind::Net) => {
                let (addr, prefix) = self.network(w)?;
                self.address(q, dir, addr, prefix, Applied::Net)
            }
            Some(Kind::Host) | None => {
                if let Some(mac) = mac(w) {
                    return match q.proto {
                        Some(Proto::Ether) => Ok(Test::EtherHost { dir, mac }),
                        _ => Err(qualifier(Applied::Mac)),
                    };
                }
                if q.proto == Some(Proto::Ether) {
                    return Err(self.expected(Expected::MacValue));
                }
                if let Ok(a) = w.parse::<Ipv4Addr>() {
                    return self.address(q, dir, Addr::V4(a.into()), 32, Applied::Host);
                }
                if let Ok(a) = w.parse::<Ipv6Addr>() {
                    return self.address(q, dir, Addr::V6(a.into()), 128, Applied::Host);
                }
                if w.contains('/') || w.starts_with(|c: char| c.is_ascii_digit()) {
                    return Err(self.expected(Expected::HostValue));
                }
                Err(self.error(ErrorKind::HostName { name: quote(w) }))
            }
        }
    }

    /// The protocol qualifier of `q` cannot go with what it was put before.
    fn qualifier(&self, q: Quals, applied_to: Applied) -> FilterError {
        FilterError {
            column: q.proto_column,
            kind: ErrorKind::Qualifier {
                qualifier: q.proto.map_or("", Proto::name),
                applied_to,
            },
        }
    }

    /// An address test of `prefix` bits, in the packets the protocol qualifier allows.
    fn address(
        &self,
        q: Quals,
        dir: Dir,
        addr: Addr,
        prefix: u32,
        what: Applied,
    ) -> Result<Test, FilterError> {
        let refused = |applied_to| self.qualifier(q, applied_to);
        match addr {
            Addr::V4(addr) => {
                let (ip, arp, rarp) = match q.proto {
                    None => (true, true, true),
                    Some(Proto::Ip) => (true, false, false),
                    Some(Proto::Arp) => (false, true, false),
                    Some(Proto::Rarp) => (false, false, true),
                    Some(Proto::Ip6) => return Err(refused(Applied::Ipv4)),
                    Some(_) => return Err(refused(what)),
                };
                let mask = u32::MAX
                    .checked_shl(32u32.saturating_sub(prefix))
                    .unwrap_or(0);
                Ok(Test::Host4 {
                    ip,
                    arp,
                    rarp,
                    dir,
                    addr,
                    mask,
                })
            }
            Addr::V6(addr) => match q.proto {
                None | Some(Proto::Ip6) => Ok(Test::Host6 {
                    dir,
                    addr,
                    mask: u128::MAX
                        .checked_shl(128u32.saturating_sub(prefix))
                        .unwrap_or(0),
                }),
                Some(Proto::Ip | Proto::Arp | Proto::Rarp) => Err(refused(Applied::Ipv6)),
                Some(_) => Err(refused(what)),
            },
        }
    }

    /// `10.0.0.0/8`, `10.1` (a /16, as libpcap reads a partial address), `10` (a /8),
    /// `fd00::/8`: the network and its prefix, refused if bits past the prefix are set.
    fn network(&self, w: &str) -> Result<(Addr, u32), FilterError> {
        let (base, prefix) = match w.split_once('/') {
            Some((b, p)) => (b, Some(p)),
            None => (w, None),
        };
        let bad = || self.expected(Expected::NetValue);
        let (addr, max, implied) = if let Ok(a) = base.parse::<Ipv6Addr>() {
            (Addr::V6(a.into()), 128, 128)
        } else {
            let parts: Vec<&str> = base.split('.').collect();
            if parts.len() > 4 || parts.iter().any(|p| p.is_empty()) {
                return Err(bad());
            }
            let mut v = 0u32;
            for (i, p) in parts.iter().enumerate() {
                let n = p
                    .parse::<u8>()
                    .ok()
                    .filter(|_| p.bytes().all(|b| b.is_ascii_digit()))
                    .ok_or_else(bad)?;
                v |= u32::from(n)
                    .checked_shl(
                        u32::try_from(24usize.saturating_sub(i.saturating_mul(8))).unwrap_or(0),
                    )
                    .unwrap_or(0);
            }
            let implied = u32::try_from(parts.len().saturating_mul(8)).unwrap_or(32);
            (Addr::V4(v), 32, implied)
        };
        let prefix = match prefix {
            None => implied,
            Some(p) => {
                let length = p
                    .parse::<u64>()
                    .ok()
                    .filter(|_| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
                    .ok_or_else(bad)?;
                if length > u64::from(max) {
                    return Err(self.error(ErrorKind::Prefix { length, max }));
                }
                u32::try_from(length).unwrap_or(max)
            }
        };
        let host_bits = match addr {
            Addr::V4(a) => {
                a & !u32::MAX
                    .checked_shl(32u32.saturating_sub(prefix))
                    .unwrap_or(0)
                    != 0
            }
            Addr::V6(a) => {
                a & !u128::MAX
                    .checked_shl(128u32.saturating_sub(prefix))
                    .unwrap_or(0)
                    != 0
            }
        };
        if host_bits {
            return Err(self.error(ErrorKind::HostBits { network: quote(w) }));
        }
        Ok((addr, prefix))
    }
}

#[derive(Clone, Copy)]
enum Addr {
    V4(u32),
    V6(u128),
}

/// A number as libpcap reads one: decimal, `0x` hexadecimal, or octal after a leading 0.
fn number(w: &str) -> Option<u64> {
    if let Some(hex) = w.strip_prefix("0x").or_else(|| w.strip_prefix("0X")) {
        return u64::from_str_radix(hex, 16).ok();
    }
    if w.len() > 1 && w.starts_with('0') {
        return u64::from_str_radix(w, 8).ok();
    }
    w.parse()
        .ok()
        .filter(|_| w.bytes().all(|b| b.is_ascii_digit()))
}

/// A MAC address: `aa:bb:cc:dd:ee:ff`, `aa-bb-cc-dd-ee-ff` (one or two digits a group), or
/// `aabb.ccdd.eeff`.
fn mac(w: &str) -> Option<[u8; 6]> {
    let mut out = [0u8; 6];
    let groups: Vec<&str> = if w.contains('.') {
        let parts: Vec<&str> = w.split('.').collect();
        if parts.len() != 3 || parts.iter().any(|p| p.len() != 4) {
            return None;
        }
        parts
            .iter()
            .flat_map(|p| {
                [
                    p.get(..2).unwrap_or_default(),
                    p.get(2..).unwrap_or_default(),
                ]
            })
            .collect()
    } else {
        let sep = if w.contains(':') { ':' } else { '-' };
        w.split(sep).collect()
    };
    if groups.len() != 6 {
        return None;
    }
    for (slot, g) in out.iter_mut().zip(&groups) {
        if g.is_empty() || g.len() > 2 || !g.bytes().all(|b| b.is_ascii_hexdigit()) {
            return None;
        }
        *slot = u8::from_str_radix(g, 16).ok()?;
    }
    Some(out)
}
