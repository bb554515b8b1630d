//! An [`Expr`] run on a frame's captured bytes, reading them where libpcap's compiled
//! program reads them (gencode.c: gen_linktype, gen_portop, gen_hostop, gen_ipfrag,
//! gen_vlan_no_bpf_extensions), with the same rule for short frames: a read past the
//! captured bytes ends the program and rejects the frame, whatever the rest would say.

use layers_osi::LinkType;

use crate::{Dir, Expr, Op, PortProtos, Term, Test};

const SCTP: u8 = 132;
const IPV6_FRAGMENT: u8 = 44;
const VLAN_TPIDS: [u16; 3] = [0x8100, 0x88a8, 0x9100];

/// Why the program ends and rejects the frame: a read past the captured bytes, or a test
/// the link cannot have (`vlan` or `ether host` on a Linux cooked capture, which tcpdump
/// refuses to compile).
struct Short;

type Read<T> = Result<T, Short>;

/// Where a link puts its type field and its payload, as libpcap's `off_linktype` and
/// `off_linkpl`.
#[derive(Clone, Copy)]
enum Link {
    /// A 16-bit EtherType at `kind`, the payload at `payload`; `macs`: an Ethernet header,
    /// whose addresses `ether host` reads.
    Typed {
        kind: usize,
        payload: usize,
        macs: bool,
    },
    /// Raw IP: the version nibble says which.
    Raw,
    Ipv4,
    Ipv6,
    /// A link type filters do not read (802.11...): no frame is selected.
    Unknown,
}

impl Link {
    fn of(link: LinkType) -> Link {
        match link {
            LinkType::Ethernet => Link::Typed {
                kind: 12,
                payload: 14,
                macs: true,
            },
            LinkType::LinuxSll => Link::Typed {
                kind: 14,
                payload: 16,
                macs: false,
            },
            LinkType::LinuxSll2 => Link::Typed {
                kind: 0,
                payload: 20,
                macs: false,
            },
            LinkType::RawIp => Link::Raw,
            LinkType::Ipv4 => Link::Ipv4,
            LinkType::Ipv6 => Link::Ipv6,
            LinkType::Other(_) => Link::Unknown,
        }
    }
}

struct Frame<'a> {
    bytes: &'a [u8],
    link: Link,
}

pub(crate) fn matches(e: &Expr, link: LinkType, frame: &[u8]) -> bool {
    let f = Frame {
        bytes: frame,
        link: Link::of(link),
    };
    if matches!(f.link, Link::Unknown) {
        return false;
    }
    f.expr(e).unwrap_or(false)
}

impl Frame<'_> {
    fn u8(&self, at: usize) -> Read<u8> {
        self.bytes.get(at).copied().ok_or(Short)
    }

    fn u16(&self, at: usize) -> Read<u16> {
        match self.bytes.get(at..).and_then(|b| b.first_chunk::<2>()) {
            Some(b) => Ok(u16::from_be_bytes(*b)),
            None => Err(Short),
        }
    }

    fn u32(&self, at: usize) -> Read<u32> {
        match self.bytes.get(at..).and_then(|b| b.first_chunk::<4>()) {
            Some(b) => Ok(u32::from_be_bytes(*b)),
            None => Err(Short),
        }
    }

    fn u128(&self, at: usize) -> Read<u128> {
        match self.bytes.get(at..).and_then(|b| b.first_chunk::<16>()) {
            Some(b) => Ok(u128::from_be_bytes(*b)),
            None => Err(Short),
        }
    }

    /// Left to right, `and` and `or` alike, each skipping what cannot change the result.
    fn expr(&self, e: &Expr) -> Read<bool> {
        let mut acc = self.term(&e.first)?;
        for (op, t) in &e.rest {
            acc = match op {
                Op::And => acc && self.term(t)?,
                Op::Or => acc || self.term(t)?,
            };
        }
        Ok(acc)
    }

    fn term(&self, t: &Term) -> Read<bool> {
        match t {
            Term::Not(t) => Ok(!self.term(t)?),
            Term::Group(e) => self.expr(e),
            Term::Test(test, vlans) => self.test(test, vlans.saturating_mul(4)),
        }
    }

    /// Where the link payload starts, `shift` bytes of VLAN tags on.
    fn payload(&self, shift: usize) -> usize {
        match self.link {
            Link::Typed { payload, .. } => payload.saturating_add(shift),
            _ => 0,
        }
    }

    /// Whether the link says `ethertype`, `shift` bytes of VLAN tags on.
    fn is(&self, ethertype: u16, shift: usize) -> Read<bool> {
        Ok(match self.link {
            Link::Typed { kind, .. } => self.u16(kind.saturating_add(shift))? == ethertype,
            Link::Raw => match ethertype {
                0x0800 => self.u8(0)? & 0xf0 == 0x40,
                0x86dd => self.u8(0)? & 0xf0 == 0x60,
                _ => false,
            },
            Link::Ipv4 => ethertype == 0x0800,
            Link::Ipv6 => ethertype == 0x86dd,
            Link::Unknown => false,
        })
    }

    fn test(&self, t: &Test, shift: usize) -> Read<bool> {
        let pl = self.payload(shift);
        match *t {
            Test::EtherType(e) => self.is(e, shift),
            Test::Proto4(p) => Ok(self.is(0x0800, shift)? && self.u8(pl.saturating_add(9))? == p),
            Test::Proto6(p) => Ok(self.is(0x86dd, shift)? && self.next_header(pl, p)?),
            // libpcap's `ip proto p or ip6 proto p`, in that order.
            Test::Proto(p) => {
                Ok(self.test(&Test::Proto4(p), shift)? || self.test(&Test::Proto6(p), shift)?)
            }
            Test::Port { protos, dir, port } => {
                let protos: &[u8] = match protos {
                    PortProtos::Any => &[6, 17, SCTP],
                    PortProtos::One(ref p) => std::slice::from_ref(p),
                };
                if self.is(0x0800, shift)? {
                    for &p in protos {
                        if self.port4(pl, p, dir, port)? {
                            return Ok(true);
                        }
                    }
                }
                if self.is(0x86dd, shift)? {
                    for &p in protos {
                        if self.u8(pl.saturating_add(6))? == p
                            && self.ports(pl.saturating_add(40), dir, port)?
                        {
                            return Ok(true);
                        }
                    }
                }
                Ok(false)
            }
            Test::Host4 {
                ip,
                arp,
                rarp,
                dir,
                addr,
                mask,
            } => {
                let kinds = [
                    (ip, 0x0800, 12, 16),
                    (arp, 0x0806, 14, 24),
                    (rarp, 0x8035, 14, 24),
                ];
                for (wanted, ethertype, src, dst) in kinds {
                    if wanted
                        && self.is(ethertype, shift)?
                        && self.addrs(
                            dir,
                            |off| Ok(self.u32(pl.saturating_add(off))? & mask == addr),
                            src,
                            dst,
                        )?
                    {
                        return Ok(true);
                    }
                }
                Ok(false)
            }
            Test::Host6 { dir, addr, mask } => Ok(self.is(0x86dd, shift)?
                && self.addrs(
                    dir,
                    |off| Ok(self.u128(pl.saturating_add(off))? & mask == addr),
                    8,
                    24,
                )?),
            Test::EtherHost { dir, mac } => match self.link {
                Link::Typed { macs: true, .. } => {
                    let at = |off: usize| -> Read<bool> {
                        let b = self.bytes.get(off..off.saturating_add(6)).ok_or(Short)?;
                        Ok(b == mac)
                    };
                    self.addrs(dir, at, 6, 0)
                }
                _ => Err(Short),
            },
            Test::Vlan(id) => match self.link {
                Link::Typed { macs: true, .. } => {
                    let tpid = self.u16(12usize.saturating_add(shift))?;
                    if !VLAN_TPIDS.contains(&tpid) {
                        return Ok(false);
                    }
                    match id {
                        None => Ok(true),
                        Some(id) => Ok(self.u16(pl)? & 0x0fff == id),
                    }
                }
                _ => Err(Short),
            },
        }
    }

    /// IPv6 at `pl` says `proto` next, or a fragment header that says it.
    fn next_header(&self, pl: usize, proto: u8) -> Read<bool> {
        let nh = self.u8(pl.saturating_add(6))?;
        Ok(nh == proto || (nh == IPV6_FRAGMENT && self.u8(pl.saturating_add(40))? == proto))
    }

    /// IPv4 at `pl` carrying `proto`, not a later fragment, with the port.
    fn port4(&self, pl: usize, proto: u8, dir: Dir, port: u16) -> Read<bool> {
        if self.u8(pl.saturating_add(9))? != proto || self.u16(pl.saturating_add(6))? & 0x1fff != 0
        {
            return Ok(false);
        }
        let header = usize::from(self.u8(pl)? & 0x0f).saturating_mul(4);
        self.ports(pl.saturating_add(header), dir, port)
    }

    /// The source port at `at`, the destination port after it.
    fn ports(&self, at: usize, dir: Dir, port: u16) -> Read<bool> {
        self.addrs(
            dir,
            |off| Ok(self.u16(at.saturating_add(off))? == port),
            0,
            2,
        )
    }

    /// A test of the source (at `src`), the destination (at `dst`), or both, as `dir` says.
    fn addrs(
        &self,
        dir: Dir,
        at: impl Fn(usize) -> Read<bool>,
        src: usize,
        dst: usize,
    ) -> Read<bool> {
        Ok(match dir {
            Dir::Src => at(src)?,
            Dir::Dst => at(dst)?,
            Dir::Either => at(src)? || at(dst)?,
            Dir::Both => at(src)? && at(dst)?,
        })
    }
}
