//! Frames in and out of files: raw bytes, hex text, classic pcap and pcapng.
//!
//! Writing goes through the pcap-file crate. A frame written with its FCS is marked so
//! Wireshark checks it instead of reading four bytes of trailer: in pcapng by the
//! interface's `if_fcslen` option, in classic pcap by the FCS bits of the link-type field
//! (libpcap's `LT_FCS_DATALINK_EXT`: FCS length in 16-bit words in bits 28-31, and bit 26
//! saying it is present).
//!
//! ```
//! use layers_capture::{write_frames, OutputFormat, OutFrame};
//! let frame = OutFrame { data: &[0u8; 60], original_length: 60, time: Default::default() };
//! let mut out = Vec::new();
//! write_frames(&mut out, OutputFormat::Hex, &[frame], false).unwrap();
//! assert_eq!(out.len(), 121); // 60 bytes as 120 hex digits and a newline
//! ```
// Denied, not forbidden: one call of the live capture (the kernel's drop count) needs it,
// allowed there alone with its reason.
#![deny(unsafe_code)]
#![deny(clippy::print_stdout, clippy::print_stderr)]
// A library must not panic on any input: no unwrap, expect or unchecked index outside
// tests; where one is provably safe, an `#[expect]` says why.
// Lengths and offsets from the input are added with saturation or checked: a lying
// length can make a read fail, never wrap.
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        clippy::arithmetic_side_effects
    )
)]

mod hex_text;
#[cfg(all(feature = "live", target_os = "linux"))]
pub mod live;
mod read;
mod split;

pub use layers_osi::LinkType;
pub use read::{
    open, FrameInfo, Frames, InputFormat, RawFrame, ReadError, ReadErrorKind, MAX_BLOCK, MAX_FRAME,
    MAX_HEX_TEXT,
};
pub use split::{ChunkFrames, Scan, Split};

use std::borrow::Cow;
use std::io::Write;
use std::path::Path;
use std::time::Duration;

use pcap_file::pcap::{PcapHeader, PcapPacket, PcapWriter};
use pcap_file::pcapng::blocks::enhanced_packet::{EnhancedPacketBlock, EnhancedPacketOption};
use pcap_file::pcapng::blocks::interface_description::{
    InterfaceDescriptionBlock, InterfaceDescriptionOption,
};
use pcap_file::pcapng::PcapNgWriter;
use pcap_file::{DataLink, Endianness};

/// A file format `layers` writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum OutputFormat {
    /// The frame's bytes and nothing else (one frame).
    Raw,
    /// One frame per line as lowercase hex digits.
    Hex,
    /// Classic libpcap, microsecond timestamps, Ethernet link type.
    Pcap,
    /// pcapng with one Ethernet interface.
    Pcapng,
}

impl OutputFormat {
    /// The format a file name's extension asks for: `.bin`/`.raw` raw, `.hex`/`.txt` hex,
    /// `.pcap`/`.cap` pcap, `.pcapng`/`.ntar` pcapng.
    pub fn from_path(path: &Path) -> Option<OutputFormat> {
        let ext = path.extension()?.to_str()?.to_ascii_lowercase();
        Some(match ext.as_str() {
            "bin" | "raw" => OutputFormat::Raw,
            "hex" | "txt" => OutputFormat::Hex,
            "pcap" | "cap" => OutputFormat::Pcap,
            "pcapng" | "ntar" => OutputFormat::Pcapng,
            _ => return None,
        })
    }

    /// Its usual name.
    pub fn name(self) -> &'static str {
        match self {
            OutputFormat::Raw => "raw",
            OutputFormat::Hex => "hex",
            OutputFormat::Pcap => "pcap",
            OutputFormat::Pcapng => "pcapng",
        }
    }
}

/// One frame to write.
#[derive(Clone, Copy, Debug)]
pub struct OutFrame<'a> {
    /// The bytes captured (with FCS if the file says so).
    pub data: &'a [u8],
    /// How long the frame was before a snap length cut it.
    pub original_length: usize,
    /// When it was seen, since the epoch.
    pub time: Duration,
}

fn pcap_error_text(e: &pcap_file::PcapError) -> String {
    match e {
        pcap_file::PcapError::IoError(io) => io.to_string(),
        other => other.to_string(),
    }
}

/// Why frames could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    /// The file system refused.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// The pcap writer refused (its I/O errors are told as the file system's, "No space
    /// left on device", not pcap-file's "Error reading bytes").
    #[error("{}", pcap_error_text(.0))]
    Pcap(#[from] pcap_file::PcapError),
    /// A raw file holds exactly one frame.
    #[error("a raw file holds one frame, not {0}")]
    RawNeedsOneFrame(usize),
    /// A length does not fit the format.
    #[error("frame of {0} bytes is too long for the format")]
    TooLong(usize),
}

/// The classic pcap link type for Ethernet, with the FCS bits when frames carry their FCS.
pub fn pcap_linktype(with_fcs: bool) -> u32 {
    const ETHERNET: u32 = 1;
    const FCS_PRESENT: u32 = 0x0400_0000;
    const FCS_WORDS_SHIFT: u32 = 28;
    if with_fcs {
        ETHERNET | FCS_PRESENT | (2 << FCS_WORDS_SHIFT)
    } else {
        ETHERNET
    }
}

/// pcapng's `if_tsresol` for nanoseconds: 10^-9 seconds.
const NANOSECONDS: u8 = 9;

fn len32(n: usize) -> Result<u32, WriteError> {
    u32::try_from(n).map_err(|_| WriteError::TooLong(n))
}

/// Writes `frames` in `format`; `with_fcs` says each ends with its 4-byte FCS.
pub fn write_frames<W: Write>(
    mut out: W,
    format: OutputFormat,
    frames: &[OutFrame<'_>],
    with_fcs: bool,
) -> Result<(), WriteError> {
    match format {
        OutputFormat::Raw => match frames {
            [one] => out.write_all(one.data)?,
            _ => return Err(WriteError::RawNeedsOneFrame(frames.len())),
        },
        OutputFormat::Hex => {
            for f in frames {
                writeln!(out, "{}", hex::encode(f.data))?;
            }
        }
        OutputFormat::Pcap => {
            let header = PcapHeader {
                datalink: DataLink::from(pcap_linktype(with_fcs)),
                // Little-endian, like tcpdump on the machines our users have.
                endianness: Endianness::Little,
                ..Default::default()
            };
            let mut w = PcapWriter::with_header(out, header)?;
            for f in frames {
                w.write_packet(&PcapPacket::new(f.time, len32(f.original_length)?, f.data))?;
            }
            out = w.into_writer();
        }
        OutputFormat::Pcapng => {
            let mut options = Vec::new();
            if with_fcs {
                options.push(InterfaceDescriptionOption::IfFcsLen(4));
            }
            let mut w = PcapngStream::with_options(out, LinkType::Ethernet, options)?;
            for f in frames {
                w.write(f)?;
            }
            out = w.w.into_inner();
        }
    }
    out.flush()?;
    Ok(())
}

/// Writes pcapng with one Ethernet interface per link (named by `links`); each frame
/// names its interface by index, and may carry a comment (Wireshark's `frame.comment`).
pub fn write_pcapng_links<W: Write>(
    out: W,
    links: &[String],
    frames: &[(u32, OutFrame<'_>, Option<String>)],
) -> Result<(), WriteError> {
    let mut w = PcapNgWriter::with_endianness(out, Endianness::Little)?;
    for name in links {
        w.write_pcapng_block(InterfaceDescriptionBlock {
            linktype: DataLink::ETHERNET,
            snaplen: 0,
            options: vec![
                InterfaceDescriptionOption::IfName(Cow::Borrowed(name.as_str())),
                InterfaceDescriptionOption::IfTsResol(NANOSECONDS),
            ],
        })?;
    }
    for (iface, f, comment) in frames {
        let options = comment
            .iter()
            .map(|c| EnhancedPacketOption::Comment(Cow::Borrowed(c.as_str())))
            .collect();
        w.write_pcapng_block(EnhancedPacketBlock {
            interface_id: *iface,
            timestamp: f.time,
            original_len: len32(f.original_length)?,
            data: Cow::Borrowed(f.data),
            options,
        })?;
    }
    let mut out = w.into_inner();
    out.flush()?;
    Ok(())
}

/// A pcapng file written a frame at a time, as a live capture does: one interface, of
/// link type `link`, named `name`, with nanosecond times.
pub struct PcapngStream<W: Write> {
    w: PcapNgWriter<W>,
}

impl<W: Write> PcapngStream<W> {
    /// Writes the section and interface blocks.
    pub fn new(out: W, link: LinkType, name: &str) -> Result<PcapngStream<W>, WriteError> {
        let name = InterfaceDescriptionOption::IfName(Cow::Owned(name.to_string()));
        PcapngStream::with_options(out, link, vec![name])
    }

    /// The same, the interface with `options` besides its time resolution.
    fn with_options(
        out: W,
        link: LinkType,
        mut options: Vec<InterfaceDescriptionOption<'static>>,
    ) -> Result<PcapngStream<W>, WriteError> {
        let mut w = PcapNgWriter::with_endianness(out, Endianness::Little)?;
        // pcap-file writes packet times in nanoseconds: the interface must say so, or
        // readers take them for the default microseconds (1000x too late).
        options.insert(0, InterfaceDescriptionOption::IfTsResol(NANOSECONDS));
        w.write_pcapng_block(InterfaceDescriptionBlock {
            linktype: DataLink::from(link.number()),
            snaplen: 0,
            options,
        })?;
        Ok(PcapngStream { w })
    }

    /// Writes one frame.
    pub fn write(&mut self, f: &OutFrame<'_>) -> Result<(), WriteError> {
        self.w.write_pcapng_block(EnhancedPacketBlock {
            interface_id: 0,
            timestamp: f.time,
            original_len: len32(f.original_length)?,
            data: Cow::Borrowed(f.data),
            options: Vec::new(),
        })?;
        Ok(())
    }

    /// Hands what was written so far to the writer's destination (a reader at the other
    /// end of a pipe sees each frame as it comes).
    pub fn flush(&mut self) -> Result<(), WriteError> {
        self.w.get_mut().flush()?;
        Ok(())
    }

    /// Flushes what was written, and gives the writer back.
    pub fn finish(self) -> Result<W, WriteError> {
        let mut out = self.w.into_inner();
        out.flush()?;
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pcap_file::pcap::PcapReader;
    use pcap_file::pcapng::PcapNgReader;

    fn frame() -> Vec<u8> {
        (0..60u8).collect()
    }

    #[test]
    fn formats_from_extensions() {
        for (name, want) in [
            ("x.bin", Some(OutputFormat::Raw)),
            ("x.HEX", Some(OutputFormat::Hex)),
            ("x.txt", Some(OutputFormat::Hex)),
            ("dir/x.pcap", Some(OutputFormat::Pcap)),
            ("x.pcapng", Some(OutputFormat::Pcapng)),
            ("x.json", None),
            ("x", None),
        ] {
            assert_eq!(OutputFormat::from_path(Path::new(name)), want, "{name}");
        }
    }

    #[test]
    fn pcap_round_trips_with_times_and_original_lengths() {
        let data = frame();
        let frames = [
            OutFrame {
                data: &data,
                original_length: 60,
                time: Duration::new(1_732_500_000, 123_456_000),
            },
            OutFrame {
                data: &data[..20],
                original_length: 60,
                time: Duration::new(1_732_500_001, 0),
            },
        ];
        let mut out = Vec::new();
        write_frames(&mut out, OutputFormat::Pcap, &frames, false).unwrap();
        let mut r = PcapReader::new(&out[..]).unwrap();
        assert_eq!(r.header().datalink, DataLink::ETHERNET);
        let p = r.next_packet().unwrap().unwrap();
        assert_eq!(
            (p.data.as_ref(), p.orig_len, p.timestamp),
            (&data[..], 60, frames[0].time)
        );
        let p = r.next_packet().unwrap().unwrap();
        assert_eq!((p.data.len(), p.orig_len), (20, 60));
        assert!(r.next_packet().is_none());
    }

    #[test]
    fn pcap_with_fcs_sets_the_link_type_fcs_bits() {
        let data = frame();
        let mut out = Vec::new();
        let f = OutFrame {
            data: &data,
            original_length: 60,
            time: Duration::ZERO,
        };
        write_frames(&mut out, OutputFormat::Pcap, &[f], true).unwrap();
        let linktype = u32::from_le_bytes(out[20..24].try_into().unwrap());
        assert_eq!(linktype & 0xffff, 1);
        assert_eq!(linktype >> 28, 2, "two 16-bit words of FCS");
        assert_ne!(linktype & 0x0400_0000, 0);
    }

    /// A pcapng block: type, length, body padded to 32 bits, length again.
    fn block(kind: u32, body: &[u8]) -> Vec<u8> {
        let mut body = body.to_vec();
        body.resize(body.len().div_ceil(4) * 4, 0);
        let len = (12 + body.len()) as u32;
        let mut out = [kind.to_le_bytes(), len.to_le_bytes()].concat();
        out.extend(body);
        out.extend(len.to_le_bytes());
        out
    }

    /// A one-frame pcapng whose interface has `if_tsresol` = `tsresol` and the frame
    /// `ticks` of it.
    fn with_tsresol(tsresol: u8, ticks: u64) -> Vec<u8> {
        let mut shb = 0x1a2b_3c4du32.to_le_bytes().to_vec();
        shb.extend([1, 0, 0, 0]);
        shb.extend((-1i64).to_le_bytes());
        let mut idb = vec![1, 0, 0, 0, 0, 0, 0, 0];
        idb.extend([9, 0, 1, 0, tsresol, 0, 0, 0, 0, 0, 0, 0]);
        let mut epb = vec![0, 0, 0, 0];
        epb.extend(((ticks >> 32) as u32).to_le_bytes());
        epb.extend((ticks as u32).to_le_bytes());
        epb.extend(60u32.to_le_bytes());
        epb.extend(60u32.to_le_bytes());
        epb.extend(frame());
        [block(0x0a0d_0d0a, &shb), block(1, &idb), block(6, &epb)].concat()
    }

    /// A nanosecond pcap's times, exact: what tshark prints as frame.time_epoch for the
    /// fixture (1795574025.099355655), which a float of seconds cannot hold.
    #[test]
    fn nanosecond_pcap_times_are_kept_to_the_nanosecond() {
        let file = std::fs::File::open(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../fixtures/loopback-nano.pcap"
        ))
        .unwrap();
        let mut frames = open(file, None).unwrap();
        let mut data = Vec::new();
        let info = frames.next_into(&mut data).unwrap().unwrap();
        assert_eq!(info.time_ns, Some(1_795_574_025_099_355_655));
    }

    /// if_tsresol in base 2 (top bit set) is honoured, not taken for microseconds; tshark
    /// reads the 2^-30 file below as 1732500000.5 too.
    #[test]
    fn pcapng_base_2_time_resolutions() {
        let time_of = |bytes: Vec<u8>| {
            let mut frames = open(std::io::Cursor::new(bytes), None).unwrap();
            frames.next().unwrap().unwrap().time.unwrap()
        };
        let half = 1_732_500_000u64 * 2 + 1;
        assert_eq!(time_of(with_tsresol(0x9e, half << 29)), 1_732_500_000.5);
        assert_eq!(time_of(with_tsresol(0x81, half)), 1_732_500_000.5);
        assert_eq!(
            time_of(with_tsresol(9, 1_732_500_000_500_000_000)),
            1_732_500_000.5
        );
        // The exact instant too, whatever the resolution: 1 ns, 2^-30 s (cut to the ns).
        let ns_of = |bytes: Vec<u8>| {
            let mut frames = open(std::io::Cursor::new(bytes), None).unwrap();
            let mut data = Vec::new();
            frames
                .next_into(&mut data)
                .unwrap()
                .unwrap()
                .time_ns
                .unwrap()
        };
        let t = 1_732_500_000_123_456_789i64;
        assert_eq!(ns_of(with_tsresol(9, t as u64)), t);
        assert_eq!(
            ns_of(with_tsresol(0x9e, (half << 29) + 1)),
            1_732_500_000_500_000_000
        );
        assert_eq!(ns_of(with_tsresol(6, 1)), 1_000);
        let mut bad = open(std::io::Cursor::new(with_tsresol(20, 1)), None).unwrap();
        let e = bad.next().unwrap().unwrap_err();
        assert!(e.message().contains("if_tsresol 0x14"), "{}", e.message());
    }

    #[test]
    fn pcapng_round_trips_and_marks_the_fcs() {
        let data = frame();
        let mut out = Vec::new();
        let f = OutFrame {
            data: &data,
            original_length: 64,
            time: Duration::new(5, 0),
        };
        write_frames(&mut out, OutputFormat::Pcapng, &[f], true).unwrap();
        let mut r = PcapNgReader::new(&out[..]).unwrap();
        let mut blocks = Vec::new();
        while let Some(block) = r.next_block() {
            blocks.push(block.unwrap().into_owned());
        }
        assert_eq!(blocks.len(), 2, "an interface and a packet");
        let epb = blocks
            .pop()
            .unwrap()
            .into_enhanced_packet()
            .expect("an enhanced packet block");
        assert_eq!((epb.data.as_ref(), epb.original_len), (&data[..], 64));
        assert_eq!(
            r.interfaces()[0].options,
            vec![
                InterfaceDescriptionOption::IfTsResol(9),
                InterfaceDescriptionOption::IfFcsLen(4)
            ]
        );
    }

    #[test]
    fn raw_holds_exactly_one_frame() {
        let data = frame();
        let f = OutFrame {
            data: &data,
            original_length: 60,
            time: Duration::ZERO,
        };
        let mut out = Vec::new();
        write_frames(&mut out, OutputFormat::Raw, &[f], false).unwrap();
        assert_eq!(out, data);
        assert!(matches!(
            write_frames(Vec::new(), OutputFormat::Raw, &[f, f], false),
            Err(WriteError::RawNeedsOneFrame(2))
        ));
    }
}
