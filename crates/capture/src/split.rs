//! A capture file read by several threads at once, without a copy per frame.
//!
//! The file is cut into chunks of a fixed number of bytes. Each thread reads a whole chunk
//! with one positioned read (`pread`), so the kernel's copies run on every core, and its
//! frames are dissected where they lie in that buffer. What cannot run in parallel is
//! finding where records start: a chunk's first record is where the previous chunk's last
//! record ends, and a pcapng interface block changes how the frames after it are read. So
//! each chunk is [scanned](Split::scan) in turn, from the [`Scan`] the previous chunk left:
//! a walk over the record headers (about 10 ns a frame) before the chunk's dissection,
//! which runs in parallel. A record that starts in a chunk and ends past it is read on
//! into that chunk's buffer; the next chunk starts after it.
//!
//! The records themselves are parsed by pcap-parser's slice parsers, the same blocks and
//! the same rules (interfaces, clocks, FCS lengths) as [`crate::open`]'s streaming reader,
//! so both give the same frames and the same errors at the same offsets.

use std::fs::File;
use std::ops::Range;
use std::os::unix::fs::FileExt;

use pcap_parser::nom;
use pcap_parser::pcapng::{parse_block_be, parse_block_le, Block};
use pcap_parser::PcapBlockOwned;

use crate::read::{parse_error_text, Context, Taken, MAX_BLOCK};
use crate::{FrameInfo, InputFormat, ReadError, ReadErrorKind};

/// How much more a scan reads at a time for a record that crosses its chunk's end.
const READ_ON: usize = 1 << 16;

/// A classic pcap or pcapng file, to be read in chunks.
pub struct Split {
    file: File,
    len: u64,
    format: InputFormat,
    /// Where the first chunk starts: after a classic pcap's file header.
    start: u64,
    chunk: u64,
    /// Classic pcap: its records are big-endian.
    legacy_be: bool,
}

/// Where scanning stands between chunks: where the next record starts, the next frame's
/// number, and what the blocks so far said about the frames that follow.
#[derive(Clone, Debug)]
pub struct Scan {
    offset: u64,
    number: u64,
    context: Context,
    /// pcapng: the current section is big-endian.
    big_endian: bool,
    /// An error ended the input: later chunks hold no frame.
    pub stopped: bool,
}

impl Scan {
    /// How many frames were found so far.
    pub fn frames_read(&self) -> u64 {
        self.number.saturating_sub(1)
    }
}

/// A chunk's frames: where each lies in the chunk's buffer.
pub type ChunkFrames = Vec<(FrameInfo, Range<usize>)>;

impl Split {
    /// The file, ready to be read in chunks of `chunk` bytes, with the scan of its first
    /// chunk to come; `None` when it is not an uncompressed classic pcap or pcapng file on
    /// disk (what [`crate::open`] reads as a stream: gzip, hex text, raw bytes, pipes).
    pub fn open(file: File, chunk: usize) -> Result<Option<(Split, Scan)>, ReadError> {
        let meta = file.metadata().map_err(|e| io_error(None, &e))?;
        if !meta.is_file() {
            return Ok(None);
        }
        let len = meta.len();
        let mut head = [0u8; 24];
        let got = read_full(&file, 0, &mut head).map_err(|e| io_error(None, &e))?;
        let head = head.get(..got).unwrap_or_default();
        let mut scan = Scan {
            offset: 0,
            number: 1,
            context: Context::default(),
            big_endian: false,
            stopped: false,
        };
        let (format, start, legacy_be) = match InputFormat::detect(head) {
            InputFormat::Pcap => {
                let header = match pcap_parser::pcap::parse_pcap_header(head) {
                    Ok((_, h)) if !h.is_modified_format() => h,
                    // A header cut short, or the rare "modified" pcap: the stream reader
                    // says what is wrong, or reads it.
                    _ => return Ok(None),
                };
                let be = header.is_bigendian();
                scan.context.take(PcapBlockOwned::LegacyHeader(header));
                scan.offset = 24;
                (InputFormat::Pcap, 24, be)
            }
            InputFormat::Pcapng => (InputFormat::Pcapng, 0, false),
            _ => return Ok(None),
        };
        let split = Split {
            file,
            len,
            format,
            start,
            chunk: chunk.max(1) as u64,
            legacy_be,
        };
        Ok(Some((split, scan)))
    }

    /// The file's format.
    pub fn format(&self) -> InputFormat {
        self.format
    }

    /// How many chunks the file has.
    pub fn chunks(&self) -> u64 {
        self.len.saturating_sub(self.start).div_ceil(self.chunk)
    }

    /// The bytes of chunk `k`: where they start in the file, and where they end.
    fn bounds(&self, k: u64) -> (u64, u64) {
        let base = self.start.saturating_add(k.saturating_mul(self.chunk));
        (base, base.saturating_add(self.chunk).min(self.len))
    }

    /// Reads chunk `k` into `buf` (its memory reused): any thread, in any order.
    pub fn read(&self, k: u64, buf: &mut Vec<u8>) -> Result<(), ReadError> {
        let (base, end) = self.bounds(k);
        // The buffer keeps its bytes from the last chunk: the read overwrites them, and
        // zeroing a megabyte first cost a tenth of `--stats`.
        buf.resize(usize::try_from(end.saturating_sub(base)).unwrap_or(0), 0);
        let got = read_full(&self.file, base, buf).map_err(|e| self.io(base, &e))?;
        buf.truncate(got);
        Ok(())
    }

    /// Finds the frames of chunk `k`, read into `buf`: those whose records start in it, from
    /// where `scan` (the previous chunk's) says. Reads on into `buf` for a record that
    /// crosses the chunk's end. An error ends the input: the frames before it are kept,
    /// `scan` is stopped and the error returned.
    pub fn scan(
        &self,
        k: u64,
        buf: &mut Vec<u8>,
        scan: &mut Scan,
        frames: &mut ChunkFrames,
    ) -> Result<(), ReadError> {
        frames.clear();
        if scan.stopped {
            return Ok(());
        }
        let result = self.scan_records(k, buf, scan, frames);
        if result.is_err() {
            scan.stopped = true;
        }
        result
    }

    fn scan_records(
        &self,
        k: u64,
        buf: &mut Vec<u8>,
        scan: &mut Scan,
        frames: &mut ChunkFrames,
    ) -> Result<(), ReadError> {
        let (base, end) = self.bounds(k);
        while scan.offset < end {
            let pos = usize::try_from(scan.offset.saturating_sub(base)).unwrap_or(usize::MAX);
            let here = buf.get(pos..).unwrap_or_default();
            let parsed = match self.format {
                InputFormat::Pcap if self.legacy_be => {
                    pcap_parser::pcap::parse_pcap_frame_be(here).map(|(r, b)| (r, b.into()))
                }
                InputFormat::Pcap => {
                    pcap_parser::pcap::parse_pcap_frame(here).map(|(r, b)| (r, b.into()))
                }
                _ if scan.big_endian => parse_block_be(here).map(|(r, b)| (r, ng(b))),
                _ => parse_block_le(here).map(|(r, b)| (r, ng(b))),
            };
            let (size, block) = match parsed {
                // `rest` is what follows the record in `here`.
                Ok((rest, block)) => (here.len().saturating_sub(rest.len()), block),
                Err(nom::Err::Incomplete(_)) => {
                    let file_end = base.saturating_add(buf.len() as u64) >= self.len;
                    if file_end {
                        return Err(self.error(scan.offset, ReadErrorKind::CutShort));
                    }
                    if here.len() >= MAX_BLOCK {
                        return Err(self.error(scan.offset, ReadErrorKind::TooLarge));
                    }
                    self.read_on(base, buf)?;
                    continue;
                }
                Err(nom::Err::Error(e) | nom::Err::Failure(e)) => {
                    let kind = ReadErrorKind::Malformed(parse_error_text(&e));
                    return Err(self.error(scan.offset, kind));
                }
            };
            if let PcapBlockOwned::NG(Block::SectionHeader(shb)) = &block {
                scan.big_endian = shb.big_endian();
            }
            match scan.context.take(block) {
                Taken::Frame(mut info, bytes) => {
                    // Where the frame's bytes lie in `buf`, from the two addresses.
                    let from = (bytes.as_ptr() as usize).saturating_sub(buf.as_ptr() as usize);
                    info.number = scan.number;
                    scan.number = scan.number.saturating_add(1);
                    frames.push((info, from..from.saturating_add(bytes.len())));
                }
                Taken::Nothing => {}
                Taken::Error(kind) => return Err(self.error(scan.offset, kind)),
            }
            scan.offset = scan.offset.saturating_add(size as u64);
        }
        Ok(())
    }

    /// Reads the bytes after `buf` (which starts at `base` in the file) into it: more of a
    /// record that crosses the end of its chunk.
    fn read_on(&self, base: u64, buf: &mut Vec<u8>) -> Result<(), ReadError> {
        let at = base.saturating_add(buf.len() as u64);
        let left = usize::try_from(self.len.saturating_sub(at)).unwrap_or(usize::MAX);
        let more = READ_ON.min(left);
        let old = buf.len();
        buf.resize(old.saturating_add(more), 0);
        let fresh = buf.get_mut(old..).unwrap_or_default();
        let got = read_full(&self.file, at, fresh).map_err(|e| self.io(at, &e))?;
        buf.truncate(old.saturating_add(got));
        if got == 0 {
            // The file shrank while it was read.
            return Err(self.error(at, ReadErrorKind::CutShort));
        }
        Ok(())
    }

    fn error(&self, offset: u64, kind: ReadErrorKind) -> ReadError {
        ReadError {
            format: Some(self.format),
            offset,
            kind,
        }
    }

    fn io(&self, offset: u64, e: &std::io::Error) -> ReadError {
        ReadError {
            offset,
            ..io_error(Some(self.format), e)
        }
    }
}

fn ng(b: Block<'_>) -> PcapBlockOwned<'_> {
    PcapBlockOwned::NG(b)
}

fn io_error(format: Option<InputFormat>, e: &std::io::Error) -> ReadError {
    ReadError {
        format,
        offset: 0,
        kind: ReadErrorKind::Io(e.to_string()),
    }
}

/// Reads at `offset` until `buf` is full or the file ends; how many bytes were read.
fn read_full(file: &File, offset: u64, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut got = 0;
    while let Some(rest) = buf.get_mut(got..).filter(|r| !r.is_empty()) {
        match file.read_at(rest, offset.saturating_add(got as u64)) {
            Ok(0) => break,
            Ok(n) => got = got.saturating_add(n),
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(got)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{open, RawFrame};

    /// The frames of `path` and the error that ended them, read in chunks of `chunk` bytes,
    /// one after the other as the threads take turns.
    fn by_chunks(
        path: &std::path::Path,
        chunk: usize,
    ) -> Option<(Vec<RawFrame>, Option<ReadError>)> {
        let (split, mut scan) = Split::open(File::open(path).unwrap(), chunk).unwrap()?;
        let (mut frames, mut buf, mut found) = (Vec::new(), Vec::new(), Vec::new());
        for k in 0..split.chunks() {
            let result = split
                .read(k, &mut buf)
                .and_then(|()| split.scan(k, &mut buf, &mut scan, &mut found));
            for (info, range) in &found {
                frames.push(RawFrame {
                    number: info.number,
                    time: info.time,
                    data: buf[range.clone()].to_vec(),
                    original_length: info.original_length,
                    link: info.link,
                    fcs_len: info.fcs_len,
                });
            }
            if let Err(e) = result {
                return Some((frames, Some(e)));
            }
        }
        Some((frames, None))
    }

    /// The same, read as a stream.
    fn streamed(path: &std::path::Path) -> (Vec<RawFrame>, Option<ReadError>) {
        let mut frames = Vec::new();
        let reader = match open(File::open(path).unwrap(), None) {
            Ok(r) => r,
            Err(e) => return (frames, Some(e)),
        };
        for f in reader {
            match f {
                Ok(f) => frames.push(f),
                Err(e) => return (frames, Some(e)),
            }
        }
        (frames, None)
    }

    fn fixtures() -> Vec<std::path::PathBuf> {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures");
        let mut files: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|e| e == "pcap" || e == "pcapng"))
            .collect();
        files.sort();
        assert!(files.len() >= 10, "{files:?}");
        files
    }

    #[test]
    fn chunks_of_any_size_give_the_frames_and_errors_of_the_stream() {
        let dir = std::env::temp_dir().join(format!("layers-split-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let mut cases = 0;
        for path in fixtures() {
            let bytes = std::fs::read(&path).unwrap();
            // The file, cut at several places, and with a record's length made to lie.
            let mut variants = vec![bytes.clone()];
            for cut in [bytes.len() - 1, bytes.len() * 2 / 3, bytes.len() / 2, 30] {
                variants.push(bytes[..cut.min(bytes.len())].to_vec());
            }
            let mut lying = bytes.clone();
            if lying.len() > 40 {
                lying[32..36].copy_from_slice(&0x7fff_0000u32.to_le_bytes());
                variants.push(lying);
            }
            for (v, data) in variants.iter().enumerate() {
                let file = dir.join(format!(
                    "v{v}-{}",
                    path.file_name().unwrap().to_string_lossy()
                ));
                std::fs::write(&file, data).unwrap();
                let want = streamed(&file);
                for chunk in [1, 7, 64, 100, 333, 4096, 1 << 20] {
                    let Some(got) = by_chunks(&file, chunk) else {
                        // Not split (a header cut short): the stream reader reads it.
                        assert!(data.len() < 24, "{file:?} was not split");
                        continue;
                    };
                    assert_eq!(got, want, "{file:?} in chunks of {chunk}");
                    cases += 1;
                }
            }
        }
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(cases > 300, "{cases}");
    }

    #[test]
    fn what_is_not_a_capture_on_disk_is_left_to_the_stream_reader() {
        let dir = std::env::temp_dir().join(format!("layers-split-not-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        for (name, data) in [
            ("hex", &b"ffffffffffff\n"[..]),
            ("raw", &[0u8, 1, 2, 3][..]),
        ] {
            let file = dir.join(name);
            std::fs::write(&file, data).unwrap();
            assert!(Split::open(File::open(&file).unwrap(), 64)
                .unwrap()
                .is_none());
        }
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
