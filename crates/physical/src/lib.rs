//! The physical layer (OSI 1): what the wire adds to a frame that a capture never shows.
//!
//! IEEE 802.3 clause 3 and 4. The MAC (the data link layer) pads the frame to 60 bytes and
//! appends a 4-byte frame check sequence (CRC-32): a frame is 64 to 1518 bytes with its
//! FCS (1522 with an 802.1Q tag), 60 to 1514 as a capture without FCS shows it. The PHY
//! (the physical layer) sends a 7-byte preamble (`0x55`, bits 10101010 on the wire), which
//! lets the receiver lock its clock, and a 1-byte start frame delimiter (`0xd5`, 10101011)
//! before it, each byte least significant bit first, and keeps the line idle for at least
//! 12 byte times after it (the inter-frame gap).
//!
//! ```text
//! | preamble 7 | SFD 1 | dst 6 | src 6 | type 2 | data 46..1500 (padded) | FCS 4 | gap 12 |
//!  '--- physical ---'   '------------ data link (MAC): 64..1518 bytes -----------' physical
//! ```
//!
//! ```
//! use layers_physical::{LinkSpeed, Wire};
//! let wire = Wire::of(&[0u8; 42], LinkSpeed::Gigabit);
//! assert_eq!(wire.padding, 18);            // 42 bytes are padded to 60
//! assert_eq!(wire.on_wire_bytes(), 72);     // 8 + 60 + 4
//! assert_eq!(wire.bits(), 576);
//! assert_eq!(wire.duration_ps(), 576_000);  // 576 ns at 1 Gbit/s
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

mod record;
pub use record::finish;

use std::fmt;
use std::str::FromStr;

/// The preamble: seven `0x55` bytes (10101010 in transmission order).
pub const PREAMBLE: [u8; 7] = [0x55; 7];
/// The start frame delimiter (10101011 in transmission order).
pub const SFD: u8 = 0xd5;
/// The smallest frame, without its FCS: shorter frames are padded with zeros.
pub const MIN_FRAME_LEN: usize = 60;
/// The smallest frame with its FCS (IEEE 802.3's minimum frame size).
pub const MIN_FRAME_WITH_FCS: usize = 64;
/// The largest untagged frame with its FCS (1500 bytes of data).
pub const MAX_FRAME_UNTAGGED: usize = 1518;
/// The length of the frame check sequence.
pub const FCS_LEN: usize = 4;
/// The inter-frame gap, in byte times.
pub const INTERFRAME_GAP: usize = 12;
/// Preamble and SFD together.
pub const PREAMBLE_SFD_LEN: usize = 8;

/// The frame check sequence of `frame` (dst MAC to the last byte of padding): the IEEE
/// CRC-32, as a number. On the wire it follows the frame as [`fcs_bytes`].
pub fn fcs(frame: &[u8]) -> u32 {
    crc32fast::hash(frame)
}

/// The four FCS bytes as they follow the frame on the wire (and in a capture with FCS).
pub fn fcs_bytes(frame: &[u8]) -> [u8; 4] {
    fcs(frame).to_le_bytes()
}

/// How many zero bytes pad a frame of `len` bytes to the minimum.
pub fn padding_for(len: usize) -> usize {
    MIN_FRAME_LEN.saturating_sub(len)
}

/// The FCS bytes of `frame` padded with zeros to the 60-byte minimum, as
/// `fcs_bytes(&pad(frame))` without copying the frame.
pub fn padded_fcs_bytes(frame: &[u8]) -> [u8; 4] {
    const ZEROS: [u8; MIN_FRAME_LEN] = [0; MIN_FRAME_LEN];
    let mut h = crc32fast::Hasher::new();
    h.update(frame);
    h.update(ZEROS.get(..padding_for(frame.len())).unwrap_or_default());
    h.finalize().to_le_bytes()
}

/// `frame` padded with zeros to the 60-byte minimum.
pub fn pad(frame: &[u8]) -> Vec<u8> {
    let mut out = frame.to_vec();
    out.resize(frame.len().saturating_add(padding_for(frame.len())), 0);
    out
}

/// The bits of `bytes` in transmission order: each byte least significant bit first.
pub fn wire_bits(bytes: &[u8]) -> impl Iterator<Item = bool> + '_ {
    bytes
        .iter()
        .flat_map(|b| (0..8).map(move |i| (b >> i) & 1 == 1))
}

/// The bits of `bytes` as `0`/`1` text in transmission order, a space between bytes.
pub fn wire_bits_text(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| {
            wire_bits(std::slice::from_ref(b))
                .map(|bit| if bit { '1' } else { '0' })
                .collect::<String>()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// An Ethernet link speed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum LinkSpeed {
    /// 10 Mbit/s (10BASE-T).
    Ten,
    /// 100 Mbit/s (100BASE-TX).
    Hundred,
    /// 1 Gbit/s (1000BASE-T).
    #[default]
    Gigabit,
    /// 10 Gbit/s (10GBASE-T).
    TenGigabit,
}

impl LinkSpeed {
    /// Every speed, slowest first.
    pub const ALL: [LinkSpeed; 4] = [
        LinkSpeed::Ten,
        LinkSpeed::Hundred,
        LinkSpeed::Gigabit,
        LinkSpeed::TenGigabit,
    ];

    /// Bits per second.
    pub fn bits_per_second(self) -> u64 {
        match self {
            LinkSpeed::Ten => 10_000_000,
            LinkSpeed::Hundred => 100_000_000,
            LinkSpeed::Gigabit => 1_000_000_000,
            LinkSpeed::TenGigabit => 10_000_000_000,
        }
    }

    /// How long one bit lasts, in picoseconds.
    pub fn bit_time_ps(self) -> u64 {
        1_000_000_000_000u64
            .checked_div(self.bits_per_second())
            .unwrap_or(0)
    }
}

impl fmt::Display for LinkSpeed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            LinkSpeed::Ten => "10M",
            LinkSpeed::Hundred => "100M",
            LinkSpeed::Gigabit => "1G",
            LinkSpeed::TenGigabit => "10G",
        })
    }
}

/// A link speed that is not one of `10M`, `100M`, `1G`, `10G`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownSpeed(pub String);

impl fmt::Display for UnknownSpeed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "unknown link speed {:?}: expected 10M, 100M, 1G or 10G",
            self.0
        )
    }
}

impl std::error::Error for UnknownSpeed {}

impl FromStr for LinkSpeed {
    type Err = UnknownSpeed;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let t = s.trim().to_ascii_uppercase();
        let t = t
            .trim_end_matches("BIT/S")
            .trim_end_matches("BPS")
            .trim_end_matches('B');
        match t {
            "10M" | "10" => Ok(LinkSpeed::Ten),
            "100M" | "100" => Ok(LinkSpeed::Hundred),
            "1G" | "1000M" | "1000" => Ok(LinkSpeed::Gigabit),
            "10G" | "10000M" => Ok(LinkSpeed::TenGigabit),
            _ => Err(UnknownSpeed(s.to_string())),
        }
    }
}

/// A frame as the wire carries it: what is added around the bytes a capture holds.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Wire {
    /// The frame's length as given (without padding or FCS).
    pub frame_len: usize,
    /// Zero bytes added to reach the 60-byte minimum.
    pub padding: usize,
    /// The FCS of the padded frame.
    pub fcs: u32,
    /// The link the frame is sent on.
    pub speed: LinkSpeed,
}

impl Wire {
    /// The wire view of `frame` (dst MAC to the end of data, no FCS) sent at `speed`.
    pub fn of(frame: &[u8], speed: LinkSpeed) -> Wire {
        Wire {
            frame_len: frame.len(),
            padding: padding_for(frame.len()),
            fcs: fcs(&pad(frame)),
            speed,
        }
    }

    /// Preamble, SFD, padded frame and FCS: the bytes the wire carries for this frame.
    pub fn on_wire_bytes(&self) -> usize {
        PREAMBLE_SFD_LEN
            .saturating_add(self.frame_len)
            .saturating_add(self.padding)
            .saturating_add(FCS_LEN)
    }

    /// The bits the wire carries for this frame (without the gap).
    pub fn bits(&self) -> usize {
        self.on_wire_bytes().saturating_mul(8)
    }

    /// The bit times the line stays idle after it.
    pub fn gap_bits(&self) -> usize {
        INTERFRAME_GAP * 8
    }

    /// How long the frame takes to send, in picoseconds (without the gap).
    pub fn duration_ps(&self) -> u64 {
        (self.bits() as u64).saturating_mul(self.speed.bit_time_ps())
    }

    /// How long the frame and its gap occupy the line, in picoseconds.
    pub fn slot_ps(&self) -> u64 {
        (self.bits().saturating_add(self.gap_bits()) as u64)
            .saturating_mul(self.speed.bit_time_ps())
    }

    /// How many such frames fit in a second, back to back.
    pub fn frames_per_second(&self) -> u64 {
        1_000_000_000_000u64
            .checked_div(self.slot_ps())
            .unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn padded_fcs_is_the_fcs_of_the_padded_frame() {
        for len in [0, 1, 14, 42, 59, 60, 61, 1514] {
            let frame: Vec<u8> = (0..len).map(|i| (i * 7 + 3) as u8).collect();
            assert_eq!(padded_fcs_bytes(&frame), fcs_bytes(&pad(&frame)), "{len}");
        }
    }

    #[test]
    fn fcs_matches_the_crc32_check_value_and_the_wire_byte_order() {
        // The CRC-32 check value: "123456789" -> 0xcbf43926 (IEEE 802.3 polynomial).
        assert_eq!(fcs(b"123456789"), 0xcbf4_3926);
        assert_eq!(fcs_bytes(b"123456789"), [0x26, 0x39, 0xf4, 0xcb]);
        // A frame followed by its FCS has the CRC residue 0x2144df1c (the "magic number").
        let mut framed = pad(b"any frame at all");
        framed.extend_from_slice(&fcs_bytes(&framed));
        assert_eq!(crc32fast::hash(&framed), 0x2144_df1c);
    }

    #[test]
    fn padding_reaches_sixty_and_never_more() {
        for len in 0..200 {
            let padded = pad(&vec![0xa5; len]);
            assert_eq!(padded.len(), len.max(60));
            assert!(padded[len..].iter().all(|b| *b == 0));
        }
    }

    #[test]
    fn wire_time_of_minimum_and_maximum_frames() {
        // The classic figures: a minimum frame is 84 byte times with gap, a maximum 1538.
        let min = Wire::of(&[0; 60], LinkSpeed::Gigabit);
        assert_eq!(min.slot_ps(), 672_000);
        assert_eq!(min.frames_per_second(), 1_488_095);
        let max = Wire::of(&[0; 1514], LinkSpeed::Ten);
        assert_eq!(max.bits() + max.gap_bits(), 1538 * 8);
        assert_eq!(max.duration_ps(), 1526 * 8 * 100_000);
    }

    #[test]
    fn bits_go_least_significant_first() {
        assert_eq!(wire_bits_text(&[0x55, 0xd5]), "10101010 10101011");
        assert_eq!(wire_bits_text(&PREAMBLE[..1]), "10101010");
    }

    #[test]
    fn speeds_parse_in_the_usual_spellings() {
        assert_eq!("1G".parse(), Ok(LinkSpeed::Gigabit));
        assert_eq!("100m".parse(), Ok(LinkSpeed::Hundred));
        assert_eq!("10Gbps".parse(), Ok(LinkSpeed::TenGigabit));
        assert_eq!("10M".parse(), Ok(LinkSpeed::Ten));
        assert!("2G".parse::<LinkSpeed>().is_err());
        for s in LinkSpeed::ALL {
            assert_eq!(s.to_string().parse(), Ok(s));
        }
    }
}
