//! Reading frames: classic pcap (both byte orders, µs and ns), pcapng (several sections and
//! interfaces, enhanced and simple packet blocks) through pcap-parser, streaming in constant
//! memory; hex text in the usual layouts; raw bytes.

use std::collections::VecDeque;
use std::fmt;
use std::io::{BufRead, BufReader, Read};

use pcap_parser::pcapng::Block;
use pcap_parser::traits::PcapReaderIterator;
use pcap_parser::{PcapBlockOwned, PcapError};

use crate::hex_text;
use layers_osi::LinkType;

/// The buffer pcap-parser reads into; it grows to hold a larger block when one comes. (A
/// larger buffer measured no faster: it shifts more of what is left at each refill.)
const BUFFER: usize = 1 << 16;
/// The largest block `layers` accepts (a 256 KiB snap length with headers to spare).
pub const MAX_BLOCK: usize = 1 << 20;
/// The largest frame a raw input or a hex text may hold: 262,144 bytes, the largest snap
/// length tcpdump and libpcap use (MAXIMUM_SNAPLEN), more than any link's frame.
pub const MAX_FRAME: usize = 262_144;
/// The longest hex text read: 64 MiB (about 16 MiB of frames); a bigger capture belongs
/// in a pcap file (`text2pcap` makes one).
pub const MAX_HEX_TEXT: usize = 64 << 20;

/// A file format `layers` reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputFormat {
    /// One frame, its bytes and nothing else.
    Raw,
    /// Hex text: plain, spaced, colons, `0x..,` arrays, xxd, hexdump -C, tshark -x, tcpdump -xx.
    Hex,
    /// Classic libpcap.
    Pcap,
    /// pcapng.
    Pcapng,
}

impl InputFormat {
    /// Its usual name.
    pub fn name(self) -> &'static str {
        match self {
            InputFormat::Raw => "raw",
            InputFormat::Hex => "hex",
            InputFormat::Pcap => "pcap",
            InputFormat::Pcapng => "pcapng",
        }
    }

    /// The format of a file that starts with `head`: pcap and pcapng by their magic
    /// numbers, hex when it is all printable text, raw otherwise.
    pub fn detect(head: &[u8]) -> InputFormat {
        match head.get(..4) {
            Some(
                [0xa1, 0xb2, 0xc3, 0xd4]
                | [0xd4, 0xc3, 0xb2, 0xa1]
                | [0xa1, 0xb2, 0x3c, 0x4d]
                | [0x4d, 0x3c, 0xb2, 0xa1],
            ) => return InputFormat::Pcap,
            Some([0x0a, 0x0d, 0x0d, 0x0a]) => return InputFormat::Pcapng,
            _ => {}
        }
        // Text (UTF-8 without control characters) is read as hex, and refused if it is not;
        // a frame's bytes are almost never valid text. The head may end inside a character.
        let valid = match std::str::from_utf8(head) {
            Ok(t) => t,
            Err(e) if e.error_len().is_none() => {
                std::str::from_utf8(head.get(..e.valid_up_to()).unwrap_or_default()).unwrap_or("")
            }
            Err(_) => "",
        };
        let text = !valid.is_empty()
            && valid
                .chars()
                .all(|c| !c.is_control() || c.is_ascii_whitespace());
        // A hex text with a stray byte or two (a NUL, a control from a bad paste) is still
        // hex text, refused by the hex reader at the line of the stray byte, not read
        // silently as a raw frame: nearly all its bytes are hex digits and separators.
        let hexish = |b: &u8| b.is_ascii_hexdigit() || b" \t\r\n:,x|-.".contains(b);
        let near_hex = head.len() >= 16
            && head.iter().filter(|b| hexish(b)).count().saturating_mul(50)
                >= head.len().saturating_mul(49);
        if (text || near_hex) && !head.is_empty() && head.iter().any(u8::is_ascii_hexdigit) {
            InputFormat::Hex
        } else {
            InputFormat::Raw
        }
    }
}

/// What the input says of a frame, apart from its bytes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FrameInfo {
    /// Its number in the input, from 1.
    pub number: u64,
    /// Seconds since the epoch, where the input has a time.
    pub time: Option<f64>,
    /// The same instant in whole nanoseconds since the epoch, exact (a float of seconds
    /// keeps only about a quarter of a microsecond); `None` without a time, or past 2262.
    pub time_ns: Option<i64>,
    /// How long it was on the wire.
    pub original_length: usize,
    /// Its link layer.
    pub link: LinkType,
    /// How many bytes of FCS end the frame.
    pub fcs_len: usize,
}

/// A frame as read from the input.
#[derive(Clone, Debug, PartialEq)]
pub struct RawFrame {
    /// Its number in the input, from 1.
    pub number: u64,
    /// Seconds since the epoch, where the input has a time.
    pub time: Option<f64>,
    /// The bytes captured.
    pub data: Vec<u8>,
    /// How long it was on the wire.
    pub original_length: usize,
    /// Its link layer.
    pub link: LinkType,
    /// How many bytes of FCS end the frame (0, or 4 where the capture says its frames keep
    /// it: the pcap link type's FCS bits, pcapng's `if_fcslen`).
    pub fcs_len: usize,
}

/// What is wrong with an input.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReadErrorKind {
    /// The operating system refused.
    Io(String),
    /// Not pcap, pcapng, hex or a frame.
    Empty,
    /// A record or block is cut short by the end of the file.
    CutShort,
    /// A block that pcap-parser could not parse.
    Malformed(String),
    /// A record larger than `layers` accepts.
    TooLarge,
    /// A packet block names an interface the section did not describe.
    NoInterface(u32),
    /// The format given is not what the file holds.
    FormatMismatch {
        /// The format that was given.
        given: InputFormat,
        /// What the file's first bytes say it is.
        found: InputFormat,
    },
    /// A hex text line that is not hex.
    NotHex {
        /// The line, from 1.
        line: usize,
        /// The text that is not hex.
        token: String,
    },
    /// A frame larger than any link carries ([`MAX_FRAME`]): a raw input that long, or a
    /// hex text whose bytes (or a hexdump `*` gap) reach past it.
    FrameTooLarge {
        /// The hex text line where it happened, from 1 (`None` for a raw input).
        line: Option<usize>,
    },
    /// A hex text longer than [`MAX_HEX_TEXT`].
    TextTooLarge,
    /// A hex dump line whose offset does not follow the previous lines.
    BadOffset {
        /// The line, from 1.
        line: usize,
        /// The offset the line gives.
        found: usize,
        /// The offset it should give.
        expected: usize,
    },
}

/// An input that could not be read, with the byte offset in the file where it went wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReadError {
    /// The input's format, as detected or given.
    pub format: Option<InputFormat>,
    /// Byte offset in the file (for hex text: of the line).
    pub offset: u64,
    /// What is wrong.
    pub kind: ReadErrorKind,
}

impl ReadError {
    /// The problem in one sentence, in English (the CLI says it in Chinese too).
    pub fn message(&self) -> String {
        let format = self.format.map(InputFormat::name).unwrap_or("input");
        let at = self.offset;
        match &self.kind {
            ReadErrorKind::Io(e) => format!("cannot read: {e}"),
            ReadErrorKind::Empty => "empty input: expected a pcap or pcapng file, hex text or a raw frame".into(),
            ReadErrorKind::CutShort => format!("{format} record at byte {at} is cut short: the file ends inside it"),
            ReadErrorKind::Malformed(e) => format!("{format} block at byte {at} is malformed ({e})"),
            ReadErrorKind::TooLarge => format!("{format} record at byte {at} is larger than {MAX_BLOCK} bytes"),
            ReadErrorKind::NoInterface(id) => format!("{format} packet at byte {at} names interface {id}, which its section does not describe"),
            ReadErrorKind::FormatMismatch { given, found } => format!("--format {} was given, but the file is {}: leave --format out to read it as what it is", given.name(), found.name()),
            ReadErrorKind::NotHex { line, token } => format!("hex text line {line} (byte {at}): {token:?} is not hex: expected pairs of hex digits"),
            ReadErrorKind::BadOffset { line, found, expected } => format!("hex dump line {line} (byte {at}): offset {found:#x} where {expected:#x} was expected"),
            ReadErrorKind::FrameTooLarge { line: None } => format!("a raw frame is at most {MAX_FRAME} bytes (more than any link carries), and this input is longer: give a capture file, or cut the frame out"),
            ReadErrorKind::FrameTooLarge { line: Some(line) } => format!("hex text line {line} (byte {at}): the frame would grow past {MAX_FRAME} bytes, more than any link carries"),
            ReadErrorKind::TextTooLarge => format!("hex text longer than {} MiB: put a capture that big in a pcap file (text2pcap makes one)", MAX_HEX_TEXT >> 20),
        }
    }
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message())
    }
}

impl std::error::Error for ReadError {}

/// A pcapng interface: its link type and clock.
#[derive(Clone, Copy, Debug)]
struct Interface {
    link: LinkType,
    fcs_len: usize,
    resolution: u64,
    offset: i64,
}

/// What earlier blocks said about the frames that follow.
#[derive(Clone, Debug, Default)]
pub(crate) struct Context {
    /// Classic pcap: the file's link type, whether its clock counts nanoseconds, and the
    /// FCS length its frames keep.
    legacy: Option<(LinkType, bool, usize)>,
    /// pcapng: the current section's interfaces.
    interfaces: Vec<Interface>,
    /// pcapng: whether the current section is big-endian (for blocks read here by hand).
    big_endian: bool,
}

struct Capture {
    reader: Box<dyn PcapReaderIterator + Send>,
    /// Bytes of the input consumed so far.
    consumed: u64,
    format: InputFormat,
    context: Context,
    done: bool,
}

enum Source {
    Capture(Box<Capture>),
    Frames(VecDeque<RawFrame>),
}

/// The frames of an input, one at a time; a capture is read in constant memory.
pub struct Frames {
    source: Source,
    next_number: u64,
    /// The format read.
    pub format: InputFormat,
    /// Whether the input was gzip-compressed (then [`Frames::consumed`] counts the bytes
    /// after decompression, not the file's).
    pub compressed: bool,
}

/// The link a pasted frame starts with: Ethernet, unless its bytes are exactly one IP
/// packet (`tcpdump -x` prints the packet without its link header): an IPv4 header whose
/// total length is the frame's and whose checksum is right, or an IPv6 header whose payload
/// length accounts for every byte. An Ethernet frame that passes either is all but
/// impossible: its destination MAC would have to spell the header out.
pub fn hex_link(data: &[u8]) -> LinkType {
    use etherparse::{Ipv4HeaderSlice, Ipv6HeaderSlice};
    let v4 = Ipv4HeaderSlice::from_slice(data).is_ok_and(|h| {
        usize::from(h.total_len()) == data.len()
            && h.to_header().calc_header_checksum() == h.header_checksum()
    });
    let v6 = Ipv6HeaderSlice::from_slice(data)
        .is_ok_and(|h| usize::from(h.payload_length()) + 40 == data.len());
    if v4 || v6 {
        LinkType::RawIp
    } else {
        LinkType::Ethernet
    }
}

/// Opens `input`, detecting its format unless `format` is given.
pub fn open(
    input: impl Read + Send + 'static,
    format: Option<InputFormat>,
) -> Result<Frames, ReadError> {
    let mut buffered = BufReader::with_capacity(BUFFER, input);
    let head = buffered.fill_buf().map_err(|e| io_error(format, &e))?;
    // A gzip-compressed capture (`capture.pcap.gz`) is read through its decompression, as
    // tshark reads it; what it holds is detected as usual.
    if head.starts_with(&[0x1f, 0x8b]) {
        let inflated = flate2::read::MultiGzDecoder::new(buffered);
        let mut frames = open_plain(BufReader::with_capacity(BUFFER, inflated), format)?;
        frames.compressed = true;
        return Ok(frames);
    }
    open_plain(buffered, format)
}

/// Opens an uncompressed input.
fn open_plain<R: Read + Send + 'static>(
    mut buffered: BufReader<R>,
    format: Option<InputFormat>,
) -> Result<Frames, ReadError> {
    let head = buffered.fill_buf().map_err(|e| io_error(format, &e))?;
    if head.is_empty() {
        return Err(ReadError {
            format,
            offset: 0,
            kind: ReadErrorKind::Empty,
        });
    }
    let found = InputFormat::detect(head);
    // A capture's magic number is certain: a format given that contradicts it is a mistake
    // to say, not to act on (pcap-parser would read the capture anyway, raw and hex would
    // read its bytes as one frame or as text).
    if let Some(given) = format {
        let captures = [InputFormat::Pcap, InputFormat::Pcapng];
        if given != found && (captures.contains(&given) || captures.contains(&found)) {
            return Err(ReadError {
                format: Some(given),
                offset: 0,
                kind: ReadErrorKind::FormatMismatch { given, found },
            });
        }
    }
    let format = format.unwrap_or(found);
    let cut = format == InputFormat::Pcapng && section_header_cut(head);
    let source = match format {
        InputFormat::Pcap | InputFormat::Pcapng => {
            let streaming = Streaming {
                inner: buffered,
                calls: 0,
            };
            let reader = pcap_parser::create_reader(BUFFER, streaming).map_err(|e| ReadError {
                format: Some(format),
                offset: 0,
                kind: match e {
                    PcapError::Incomplete(_) | PcapError::UnexpectedEof => ReadErrorKind::CutShort,
                    _ if cut => ReadErrorKind::CutShort,
                    other => ReadErrorKind::Malformed(parse_error_text(&other)),
                },
            })?;
            Source::Capture(Box::new(Capture {
                reader,
                consumed: 0,
                format,
                context: Context::default(),
                done: false,
            }))
        }
        InputFormat::Hex => {
            let mut text = String::new();
            buffered
                .by_ref()
                .take((MAX_HEX_TEXT as u64).saturating_add(1))
                .read_to_string(&mut text)
                .map_err(|e| io_error(Some(format), &e))?;
            if text.len() > MAX_HEX_TEXT {
                return Err(ReadError {
                    format: Some(format),
                    offset: MAX_HEX_TEXT as u64,
                    kind: ReadErrorKind::TextTooLarge,
                });
            }
            let frames = hex_text::parse(&text).map_err(|(offset, kind)| ReadError {
                format: Some(format),
                offset,
                kind,
            })?;
            Source::Frames(
                frames
                    .into_iter()
                    .map(|data| RawFrame {
                        number: 0,
                        time: None,
                        original_length: data.len(),
                        link: hex_link(&data),
                        data,
                        fcs_len: 0,
                    })
                    .collect(),
            )
        }
        InputFormat::Raw => {
            // One frame: never more than a link carries, however long the input runs.
            let mut data = Vec::new();
            buffered
                .by_ref()
                .take((MAX_FRAME as u64).saturating_add(1))
                .read_to_end(&mut data)
                .map_err(|e| io_error(Some(format), &e))?;
            if data.len() > MAX_FRAME {
                return Err(ReadError {
                    format: Some(format),
                    offset: MAX_FRAME as u64,
                    kind: ReadErrorKind::FrameTooLarge { line: None },
                });
            }
            let frame = RawFrame {
                number: 0,
                time: None,
                original_length: data.len(),
                data,
                link: LinkType::Ethernet,
                fcs_len: 0,
            };
            Source::Frames(VecDeque::from([frame]))
        }
    };
    Ok(Frames {
        source,
        next_number: 1,
        format,
        compressed: false,
    })
}

/// Whether a pcapng file that starts with `head` ends inside its section header block
/// (pcap-parser then says only that it does not recognise the header).
fn section_header_cut(head: &[u8]) -> bool {
    let (Some(&[a, b, c, d]), Some(bom)) = (head.get(4..8), head.get(8..12)) else {
        return true;
    };
    let len = [a, b, c, d];
    let len = if bom == [0x4d, 0x3c, 0x2b, 0x1a] {
        u32::from_le_bytes(len)
    } else {
        u32::from_be_bytes(len)
    };
    head.len() < BUFFER && head.len() < len as usize
}

/// The input as pcap-parser reads it, made fit for a stream: when pcap-parser opens a
/// capture it reads twice before it parses anything, and on a pipe the second read waits
/// for more bytes than the first frame (`tcpdump -w - | layers decode -` would show
/// nothing until the next 64 KiB came). That read gets what is already buffered, or nothing.
struct Streaming<R> {
    inner: BufReader<R>,
    calls: u8,
}

impl<R: Read> Read for Streaming<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        self.calls = self.calls.saturating_add(1);
        if self.calls == 2 && self.inner.buffer().is_empty() {
            return Ok(0);
        }
        self.inner.read(buf)
    }
}

fn io_error(format: Option<InputFormat>, e: &std::io::Error) -> ReadError {
    ReadError {
        format,
        offset: 0,
        kind: ReadErrorKind::Io(e.to_string()),
    }
}

impl Frames {
    /// Reads the next frame, appending its bytes to `data` (whose memory is reused from
    /// frame to frame): the way to read a large capture without a copy per frame.
    pub fn next_into(&mut self, data: &mut Vec<u8>) -> Option<Result<FrameInfo, ReadError>> {
        let item = match &mut self.source {
            Source::Frames(frames) => frames.pop_front().map(|f| {
                data.extend_from_slice(&f.data);
                Ok(FrameInfo {
                    number: 0,
                    time: f.time,
                    time_ns: f.time.and_then(seconds_to_nanos),
                    original_length: f.original_length,
                    link: f.link,
                    fcs_len: f.fcs_len,
                })
            }),
            Source::Capture(capture) => capture.next_frame(data),
        };
        if let Some(Ok(mut info)) = item {
            info.number = self.next_number;
            self.next_number = self.next_number.saturating_add(1);
            return Some(Ok(info));
        }
        item
    }

    /// How many frames have been read so far.
    pub fn read(&self) -> u64 {
        self.next_number.saturating_sub(1)
    }

    /// How many bytes of a capture have been read so far (0 for text and raw input).
    pub fn consumed(&self) -> u64 {
        match &self.source {
            Source::Capture(c) => c.consumed,
            Source::Frames(_) => 0,
        }
    }
}

impl Iterator for Frames {
    type Item = Result<RawFrame, ReadError>;

    fn next(&mut self) -> Option<Self::Item> {
        let mut data = Vec::new();
        self.next_into(&mut data).map(|item| {
            item.map(|info| RawFrame {
                number: info.number,
                time: info.time,
                data,
                original_length: info.original_length,
                link: info.link,
                fcs_len: info.fcs_len,
            })
        })
    }
}

impl Capture {
    fn error(&mut self, kind: ReadErrorKind) -> Option<Result<FrameInfo, ReadError>> {
        self.done = true;
        let offset = self.reader.consumed() as u64;
        Some(Err(ReadError {
            format: Some(self.format),
            offset,
            kind,
        }))
    }

    fn next_frame(&mut self, data: &mut Vec<u8>) -> Option<Result<FrameInfo, ReadError>> {
        loop {
            if self.done {
                return None;
            }
            let (size, frame) = match self.reader.next() {
                Ok((size, block)) => {
                    // The block borrows the reader's buffer: its bytes are copied out here.
                    let got = match self.context.take(block) {
                        Taken::Frame(info, bytes) => {
                            data.extend_from_slice(bytes);
                            Taken::Frame(info, &[])
                        }
                        Taken::Nothing => Taken::Nothing,
                        Taken::Error(kind) => Taken::Error(kind),
                    };
                    (size, got)
                }
                Err(PcapError::Eof) => {
                    self.done = true;
                    return None;
                }
                Err(PcapError::Incomplete(_)) => {
                    if self.reader.reader_exhausted() {
                        return self.error(ReadErrorKind::CutShort);
                    }
                    if let Err(e) = self.reader.refill() {
                        let kind = ReadErrorKind::Malformed(parse_error_text(&e));
                        return self.error(kind);
                    }
                    continue;
                }
                Err(PcapError::UnexpectedEof) => return self.error(ReadErrorKind::CutShort),
                Err(PcapError::BufferTooSmall) => {
                    let bigger = self.reader.data().len().max(BUFFER).saturating_mul(2);
                    if bigger > MAX_BLOCK || !self.reader.grow(bigger) {
                        return self.error(ReadErrorKind::TooLarge);
                    }
                    if self.reader.refill().is_err() {
                        return self.error(ReadErrorKind::TooLarge);
                    }
                    continue;
                }
                Err(e) => {
                    let kind = ReadErrorKind::Malformed(parse_error_text(&e));
                    return self.error(kind);
                }
            };
            let offset = self.reader.consumed() as u64;
            self.reader.consume(size);
            self.consumed = self.consumed.saturating_add(size as u64);
            match frame {
                Taken::Frame(info, _) => return Some(Ok(info)),
                Taken::Nothing => continue,
                Taken::Error(kind) => {
                    self.done = true;
                    return Some(Err(ReadError {
                        format: Some(self.format),
                        offset,
                        kind,
                    }));
                }
            }
        }
    }
}

impl Context {
    /// Takes what a block says: a frame, a change of link type or clock, or nothing.
    pub(crate) fn take<'b>(&mut self, block: PcapBlockOwned<'b>) -> Taken<'b> {
        match block {
            PcapBlockOwned::LegacyHeader(h) => {
                let network = h.network.0 as u32;
                self.legacy = Some((
                    LinkType::from_number(network),
                    h.is_nanosecond_precision(),
                    legacy_fcs_len(network),
                ));
                Taken::Nothing
            }
            PcapBlockOwned::Legacy(b) => {
                let (link, nanos, fcs_len) = self.legacy.unwrap_or((LinkType::Ethernet, false, 0));
                let fraction = f64::from(b.ts_usec) / if nanos { 1e9 } else { 1e6 };
                let per_fraction: i64 = if nanos { 1 } else { 1000 };
                let len = (b.caplen as usize).min(b.data.len());
                let info = FrameInfo {
                    number: 0,
                    time: Some(f64::from(b.ts_sec) + fraction),
                    time_ns: i64::from(b.ts_sec)
                        .checked_mul(1_000_000_000)
                        .and_then(|s| {
                            s.checked_add(i64::from(b.ts_usec).checked_mul(per_fraction)?)
                        }),
                    original_length: b.origlen as usize,
                    link,
                    fcs_len,
                };
                Taken::Frame(info, b.data.get(..len).unwrap_or_default())
            }
            PcapBlockOwned::NG(Block::SectionHeader(shb)) => {
                self.interfaces.clear();
                self.big_endian = shb.big_endian();
                Taken::Nothing
            }
            PcapBlockOwned::NG(Block::InterfaceDescription(idb)) => {
                // if_fcslen (option 13): the FCS bytes each frame keeps.
                let fcs_len = idb
                    .options
                    .iter()
                    .find(|o| o.code.0 == 13)
                    .and_then(|o| o.value().first())
                    .map_or(0, |n| usize::from(*n));
                // if_tsresol (option 9): 10^-n seconds, or 2^-n with the top bit set.
                // pcap-parser 0.17 refuses every base-2 value, so it is read here.
                let tsresol = idb
                    .options
                    .iter()
                    .find(|o| o.code.0 == 9)
                    .and_then(|o| o.value().first().copied());
                let resolution = match tsresol {
                    None => 1_000_000,
                    Some(v) if v & 0x80 != 0 && v & 0x7f <= 63 => 1u64 << (v & 0x7f),
                    Some(v) if v <= 19 => 10u64.pow(u32::from(v)),
                    Some(v) => {
                        let why = format!("if_tsresol {v:#04x} is no time resolution");
                        return Taken::Error(ReadErrorKind::Malformed(why));
                    }
                };
                self.interfaces.push(Interface {
                    link: LinkType::from_number(idb.linktype.0 as u32),
                    fcs_len,
                    resolution,
                    offset: idb.ts_offset(),
                });
                Taken::Nothing
            }
            PcapBlockOwned::NG(Block::EnhancedPacket(epb)) => {
                let Some(iface) = self.interfaces.get(epb.if_id as usize).copied() else {
                    return Taken::Error(ReadErrorKind::NoInterface(epb.if_id));
                };
                let ticks = (u64::from(epb.ts_high) << 32) | u64::from(epb.ts_low);
                let time = ticks as f64 / iface.resolution as f64 + iface.offset as f64;
                let len = (epb.caplen as usize).min(epb.data.len());
                let info = FrameInfo {
                    number: 0,
                    time: Some(time),
                    time_ns: ticks_to_nanos(ticks, iface.resolution, iface.offset),
                    original_length: epb.origlen as usize,
                    link: iface.link,
                    fcs_len: iface.fcs_len,
                };
                Taken::Frame(info, epb.data.get(..len).unwrap_or_default())
            }
            PcapBlockOwned::NG(Block::SimplePacket(spb)) => {
                let Some(iface) = self.interfaces.first().copied() else {
                    return Taken::Error(ReadErrorKind::NoInterface(0));
                };
                let len = (spb.origlen as usize).min(spb.data.len());
                let info = FrameInfo {
                    number: 0,
                    time: None,
                    time_ns: None,
                    original_length: spb.origlen as usize,
                    link: iface.link,
                    fcs_len: iface.fcs_len,
                };
                Taken::Frame(info, spb.data.get(..len).unwrap_or_default())
            }
            // The obsolete Packet Block (type 2) of old pcapng writers, which pcap-parser
            // passes on unparsed: an interface, a drops count, then as an EPB's body.
            // (pcap-parser 0.17 reads an unknown block's type little-endian in any section.)
            PcapBlockOwned::NG(Block::Unknown(b))
                if b.block_type == OBSOLETE_PACKET_BLOCK
                    || (self.big_endian && b.block_type.swap_bytes() == OBSOLETE_PACKET_BLOCK) =>
            {
                self.obsolete_packet(b.data)
            }
            PcapBlockOwned::NG(_) => Taken::Nothing,
        }
    }

    /// A Packet Block's body: interface (2 bytes), drops (2), timestamp high and low (4 + 4),
    /// captured and original lengths (4 + 4), the data padded to 32 bits, options.
    fn obsolete_packet<'b>(&self, body: &'b [u8]) -> Taken<'b> {
        let word = |at: usize| -> Option<u32> {
            let b: [u8; 4] = body.get(at..at.checked_add(4)?)?.try_into().ok()?;
            Some(if self.big_endian {
                u32::from_be_bytes(b)
            } else {
                u32::from_le_bytes(b)
            })
        };
        let short = |what: &str| {
            let why = format!("obsolete packet block: {what}");
            Taken::Error(ReadErrorKind::Malformed(why))
        };
        let (Some(first), Some(high), Some(low), Some(caplen), Some(origlen)) =
            (word(0), word(4), word(8), word(12), word(16))
        else {
            return short("its 20-byte header is cut short");
        };
        let if_id = if self.big_endian {
            first >> 16
        } else {
            first & 0xffff
        };
        let Some(data) = body.get(20..).and_then(|d| d.get(..caplen as usize)) else {
            return short("its captured length is more than the block holds");
        };
        let Some(iface) = self.interfaces.get(if_id as usize).copied() else {
            return Taken::Error(ReadErrorKind::NoInterface(if_id));
        };
        let ticks = (u64::from(high) << 32) | u64::from(low);
        let info = FrameInfo {
            number: 0,
            time: Some(ticks as f64 / iface.resolution as f64 + iface.offset as f64),
            time_ns: ticks_to_nanos(ticks, iface.resolution, iface.offset),
            original_length: origlen as usize,
            link: iface.link,
            fcs_len: iface.fcs_len,
        };
        Taken::Frame(info, data)
    }
}

/// A pcapng timestamp (`ticks` of `1 / per_second` s, after `offset` s) in nanoseconds since
/// the epoch, exact to the nanosecond (finer resolutions are cut to it).
fn ticks_to_nanos(ticks: u64, per_second: u64, offset: i64) -> Option<i64> {
    let ns = i128::from(ticks)
        .checked_mul(1_000_000_000)?
        .checked_div(i128::from(per_second))?
        .checked_add(i128::from(offset).checked_mul(1_000_000_000)?)?;
    i64::try_from(ns).ok()
}

/// Seconds (from text input) in whole nanoseconds.
fn seconds_to_nanos(t: f64) -> Option<i64> {
    let ns = (t * 1e9).round();
    // In range, the cast is exact; a NaN or an infinity is no time.
    (ns.is_finite() && ns.abs() < 9.2e18).then_some(ns as i64)
}

/// The block type of pcapng's obsolete Packet Block.
const OBSOLETE_PACKET_BLOCK: u32 = 2;

/// The FCS length a classic pcap link-type field announces (libpcap's
/// `LT_FCS_DATALINK_EXT`: bit 26 set, the length in 16-bit words in bits 28-31).
pub(crate) fn legacy_fcs_len(network: u32) -> usize {
    if network & 0x0400_0000 != 0 {
        // At most 2 * 15 bytes: the length is a 4-bit field.
        ((network >> 28) as usize).saturating_mul(2)
    } else {
        0
    }
}

/// What pcap-parser says is wrong, without the bytes it failed on (which may be many).
pub(crate) fn parse_error_text(e: &PcapError<&[u8]>) -> String {
    match e {
        PcapError::NomError(_, kind) | PcapError::OwnedNomError(_, kind) => {
            kind.description().to_string()
        }
        PcapError::HeaderNotRecognized => "header not recognised".to_string(),
        other => format!("{other:?}"),
    }
}

pub(crate) enum Taken<'b> {
    Frame(FrameInfo, &'b [u8]),
    Nothing,
    Error(ReadErrorKind),
}
