//! Named faults: deliberately broken frames, for teaching and for testing dissectors.

use std::fmt;
use std::str::FromStr;

use etherparse::Ipv4HeaderSlice;
use layers_osi::{OsiLayer, ProtocolId, Text};
use layers_physical as phy;

use crate::dissect_ethernet;

/// A way to break a frame on purpose.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fault {
    /// The IPv4 header checksum no longer matches the header.
    BadIpChecksum,
    /// The TCP, UDP or ICMP checksum no longer matches.
    BadL4Checksum,
    /// TTL 0 (with a correct header checksum): the first router must drop it.
    TtlZero,
    /// Only the first N bytes are written, as a capture's snap length would cut them.
    Truncate(usize),
}

/// Every fault's name, for help and error messages.
pub const FAULT_NAMES: &str = "bad-ip-checksum, bad-l4-checksum, ttl-zero, truncate=N";

/// A fault name that is not one of [`FAULT_NAMES`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown fault {0:?}: expected one of {FAULT_NAMES}")]
pub struct FaultParseError(pub String);

impl FromStr for Fault {
    type Err = FaultParseError;
    fn from_str(s: &str) -> Result<Fault, FaultParseError> {
        let t = s.trim().to_ascii_lowercase();
        match t.as_str() {
            "bad-ip-checksum" => Ok(Fault::BadIpChecksum),
            "bad-l4-checksum" => Ok(Fault::BadL4Checksum),
            "ttl-zero" => Ok(Fault::TtlZero),
            _ => match t.strip_prefix("truncate=").map(str::parse) {
                Some(Ok(n)) => Ok(Fault::Truncate(n)),
                _ => Err(FaultParseError(s.to_string())),
            },
        }
    }
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Fault::BadIpChecksum => f.write_str("bad-ip-checksum"),
            Fault::BadL4Checksum => f.write_str("bad-l4-checksum"),
            Fault::TtlZero => f.write_str("ttl-zero"),
            Fault::Truncate(n) => write!(f, "truncate={n}"),
        }
    }
}

/// What a fault did to the frame.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum FaultEffect {
    /// A checksum field now holds a wrong value.
    Checksum {
        /// The protocol whose checksum it is.
        protocol: &'static str,
        /// Where the field is.
        offset: usize,
        /// The value written.
        written: u16,
        /// The value it should have.
        correct: u16,
    },
    /// The TTL was set to 0 (and the header checksum updated to match).
    TtlZero {
        /// The TTL it had.
        was: u8,
        /// Where the field is.
        offset: usize,
    },
    /// The frame was cut.
    Truncated {
        /// Bytes it had (with FCS, if written with it).
        from: usize,
        /// Bytes kept.
        to: usize,
        /// The protocol whose bytes the cut falls in.
        inside: &'static str,
        /// Its layer.
        layer: OsiLayer,
    },
}

impl FaultEffect {
    /// What is broken, in one sentence, in English (the CLI says it in Chinese too).
    pub fn describe(&self) -> String {
        match self {
            FaultEffect::Checksum { protocol, offset, written, correct } => format!(
                "{protocol} checksum at byte {offset} set to 0x{written:04x}; the correct value is 0x{correct:04x}: a receiver drops the packet"
            ),
            FaultEffect::TtlZero { was, offset } => format!(
                "IPv4 TTL at byte {offset} set to 0 (was {was}), header checksum recomputed: the first router drops it and answers ICMP time exceeded"
            ),
            FaultEffect::Truncated { from, to, inside, layer } => format!(
                "frame cut from {from} to {to} bytes, inside the {inside} bytes ({}, OSI {}): the capture holds less than was sent",
                layer.name().en,
                layer.number()
            ),
        }
    }
}

/// A fault that does not apply to this frame.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("--fault {fault}: {reason}")]
pub struct FaultError {
    /// The fault.
    pub fault: Fault,
    /// Why it does not apply.
    pub reason: FaultReason,
}

/// Why a fault does not apply: a sentence of the knowledge, or the numbers of a cut.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FaultReason {
    /// The frame lacks what the fault changes.
    Missing(Text),
    /// `truncate=N` must keep 1 to `frame_len - 1` bytes of a `frame_len`-byte frame.
    KeepRange { frame_len: usize },
}

impl std::fmt::Display for FaultReason {
    /// In English; the CLI says it in the user's language.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FaultReason::Missing(t) => f.write_str(t.en),
            FaultReason::KeepRange { frame_len } => write!(
                f,
                "the frame is {frame_len} bytes: keep 1 to {} of them",
                frame_len.saturating_sub(1)
            ),
        }
    }
}

impl FaultError {
    fn new(fault: Fault, reason: Text) -> FaultError {
        FaultError {
            fault,
            reason: FaultReason::Missing(reason),
        }
    }
}

/// A frame ready to write: padded, broken as asked, with FCS if asked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finished {
    /// The bytes to write (with FCS if asked; cut if truncated).
    pub written: Vec<u8>,
    /// The frame as a capture without FCS shows it (padded, broken, cut).
    pub frame: Vec<u8>,
    /// How long the written frame was before any cut (a pcap's original length).
    pub original_length: usize,
    /// What the faults did, in the order they were applied.
    pub effects: Vec<FaultEffect>,
}

/// A wrong checksum that no receiver could mistake for the right one: the low byte
/// flipped, or the high byte when that would give UDP's "no checksum" 0.
fn corrupt(correct: u16) -> u16 {
    match correct ^ 0x00ff {
        0 => correct ^ 0xff00,
        bad => bad,
    }
}

/// Writes `v` at `at`, if the frame holds those two bytes (the callers found them there).
fn put16(frame: &mut [u8], at: usize, v: u16) {
    if let Some(slot) = frame.get_mut(at..at.saturating_add(2)) {
        slot.copy_from_slice(&v.to_be_bytes());
    }
}

fn get16(frame: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_be_bytes(
        frame.get(at..at.saturating_add(2))?.try_into().ok()?,
    ))
}

fn ipv4_checksum(frame: &[u8], ip_off: usize) -> Option<u16> {
    let h = Ipv4HeaderSlice::from_slice(frame.get(ip_off..)?).ok()?;
    Some(h.to_header().calc_header_checksum())
}

/// Pads `frame` to the Ethernet minimum, applies `faults` (TTL first, then checksums, the
/// cut last), and appends the FCS if `with_fcs`.
pub fn finish(frame: &[u8], faults: &[Fault], with_fcs: bool) -> Result<Finished, FaultError> {
    let mut bytes = phy::pad(frame);
    let mut effects = Vec::new();
    let mut ordered = faults.to_vec();
    ordered.sort_by_key(|f| match f {
        Fault::TtlZero => 0,
        Fault::BadIpChecksum => 1,
        Fault::BadL4Checksum => 2,
        Fault::Truncate(_) => 3,
    });
    let mut cut = None;
    for fault in ordered {
        let d = dissect_ethernet(&bytes);
        let ip = d.layer(ProtocolId::Ipv4).map(|r| r.header.start);
        let no_ip = || {
            FaultError::new(
                fault,
                Text::new(
                    "the frame has no IPv4 header (use --proto tcp, udp or icmp)",
                    "该帧没有 IPv4 首部(请用 --proto tcp、udp 或 icmp)",
                ),
            )
        };
        match fault {
            Fault::TtlZero => {
                let off = ip.ok_or_else(no_ip)?;
                let ttl = bytes.get_mut(off.saturating_add(8)).ok_or_else(no_ip)?;
                let was = std::mem::replace(ttl, 0);
                let sum = ipv4_checksum(&bytes, off).ok_or_else(no_ip)?;
                put16(&mut bytes, off.saturating_add(10), sum);
                effects.push(FaultEffect::TtlZero {
                    was,
                    offset: off.saturating_add(8),
                });
            }
            Fault::BadIpChecksum => {
                let off = ip.ok_or_else(no_ip)?;
                let correct = ipv4_checksum(&bytes, off).ok_or_else(no_ip)?;
                let written = corrupt(correct);
                put16(&mut bytes, off.saturating_add(10), written);
                effects.push(FaultEffect::Checksum {
                    protocol: "IPv4",
                    offset: off.saturating_add(10),
                    written,
                    correct,
                });
            }
            Fault::BadL4Checksum => {
                let rec = [ProtocolId::Tcp, ProtocolId::Udp, ProtocolId::Icmp]
                    .into_iter()
                    .find_map(|p| d.layer(p))
                    .ok_or_else(|| {
                        FaultError::new(
                            fault,
                            Text::new(
                                "the frame has no TCP, UDP or ICMP checksum (ARP has none)",
                                "该帧没有 TCP、UDP 或 ICMP 校验和(ARP 没有校验和)",
                            ),
                        )
                    })?;
                // Transport records carry their checksum, and it lies in the frame.
                let at = rec.field("checksum").map(|f| f.span.start);
                let (Some(at), Some(correct)) = (at, at.and_then(|at| get16(&bytes, at))) else {
                    return Err(FaultError::new(
                        fault,
                        Text::new("the frame's checksum is cut off", "该帧的校验和被截断"),
                    ));
                };
                let written = corrupt(correct);
                put16(&mut bytes, at, written);
                effects.push(FaultEffect::Checksum {
                    protocol: rec.protocol.name(),
                    offset: at,
                    written,
                    correct,
                });
            }
            Fault::Truncate(n) => cut = Some((fault, n)),
        }
    }
    let mut written = bytes.clone();
    if with_fcs {
        written.extend_from_slice(&phy::fcs_bytes(&bytes));
    }
    let original_length = written.len();
    if let Some((fault, n)) = cut {
        if n == 0 || n >= written.len() {
            return Err(FaultError {
                fault,
                reason: FaultReason::KeepRange {
                    frame_len: written.len(),
                },
            });
        }
        let d = dissect_ethernet(&bytes);
        let (inside, layer) = match d.owner_of(n) {
            Some(r) => (r.protocol.name(), r.layer()),
            // The MAC's padding and FCS are the data link layer's (IEEE 802.3).
            None if n >= bytes.len() => ("FCS", OsiLayer::DataLink),
            None => ("padding", OsiLayer::DataLink),
        };
        written.truncate(n);
        bytes.truncate(n);
        effects.push(FaultEffect::Truncated {
            from: original_length,
            to: n,
            inside,
            layer,
        });
    }
    Ok(Finished {
        written,
        frame: bytes,
        original_length,
        effects,
    })
}
