//! Hex text in the layouts people paste: plain (`4500003c`), spaced (`45 00 00 3c`), colons
//! (`45:00:00:3c`), C arrays (`0x45, 0x00,`), upper case, `xxd`, `hexdump -C` (with `*` for
//! repeated lines), tshark/Wireshark `-x` dumps and `tcpdump -xx`/`-XX`, offsets and ASCII
//! columns included.
//!
//! Frames: in a dump with offsets a new frame starts where the offset returns to 0 or after
//! a blank line; without offsets, frames are separated by blank lines, or, when there is no
//! blank line, each line is a frame (a C array's lines run on until its `}`).

use crate::read::{ReadErrorKind, MAX_FRAME};

struct Line<'a> {
    number: usize,
    start: u64,
    offset: Option<usize>,
    /// The line as it is, past its offset and without its ASCII column.
    plain: &'a str,
    /// What holds its bytes: `plain`, or what is between a C array's braces.
    hex: &'a str,
    star: bool,
    /// A C array line ending in `,`: the frame goes on on the next line.
    continues: bool,
    /// A C array's closing `}`: the frame ends here.
    closes: bool,
}

fn parse_offset(token: &str) -> Option<usize> {
    let t = token
        .strip_prefix("0x")
        .or_else(|| token.strip_prefix("0X"))
        .unwrap_or(token);
    (!t.is_empty() && t.chars().all(|c| c.is_ascii_hexdigit()))
        .then(|| usize::from_str_radix(t, 16).ok())?
}

/// How many bytes `text` spells as hex groups (`45 00`, `4500 003c`), if it is only that.
fn hex_group_bytes(text: &str) -> Option<usize> {
    text.split_whitespace().try_fold(0usize, |n, t| {
        (t.len() % 2 == 0 && t.bytes().all(|b| b.is_ascii_hexdigit()))
            .then_some(n.saturating_add(t.len() / 2))
    })
}

/// Where the hex of a dump line (after its offset) ends and its ASCII column begins. The
/// column follows a gap of two or more spaces and has one character a byte (fewer if its
/// trailing spaces were trimmed); an earlier gap (`layers`' and hexdump's 8 + 8 split) is
/// followed by more than that. Without such a gap the whole line is hex.
fn ascii_column(hex: &str) -> usize {
    let mut from = 0;
    while let Some(gap) = hex[from..].find("  ").map(|g| g.saturating_add(from)) {
        let rest = hex[gap..].trim_start();
        if let Some(bytes) = hex_group_bytes(&hex[..gap]) {
            if bytes > 0 && rest.chars().count() <= bytes {
                return gap;
            }
        } else {
            break;
        }
        // `rest` is a suffix of `hex`.
        from = hex.len().saturating_sub(rest.len());
    }
    hex.len()
}

/// The offset a dump line starts with, and what follows it. An offset ends in a colon
/// (xxd, tcpdump) or is followed by two spaces (tshark, hexdump -C, Wireshark): plain hex
/// groups are one space apart.
fn dump_offset(line: &str) -> Option<(usize, &str)> {
    let trimmed = line.trim_start();
    let first = trimmed.split_whitespace().next()?;
    let after = &trimmed[first.len()..];
    let colon = first.strip_suffix(':').and_then(parse_offset);
    let spaced = (after.starts_with("  ") && first.len() >= 4 && first.len() % 2 == 0)
        .then(|| parse_offset(first))
        .flatten();
    Some((colon.or(spaced)?, after.trim_start()))
}

fn split_line(number: usize, start: u64, raw: &str) -> Line<'_> {
    let mut line = raw.trim_end_matches(['\r', '\n']);
    let mut closes = false;
    // hexdump -C: the ASCII column sits between bars.
    // (An ASCII column of xxd or tshark may hold a `|` too: bars count only when the line
    // ends with one, and the hex is still cut from its ASCII column below.)
    let bars = line.trim_end().ends_with('|') && line.matches('|').count() >= 2;
    if let Some(bar) = line.find('|').filter(|_| bars) {
        line = &line[..bar];
    }
    // A dump line starts with its offset; what follows it is hex, then an ASCII column
    // that may hold anything (`=`, `{`, `//`), so it is cut before any C-array rule.
    let (offset, mut hex) = match dump_offset(line) {
        Some((o, after)) => (Some(o), &after[..ascii_column(after)]),
        None => (None, line.trim_start()),
    };
    let plain = hex;
    if offset.is_none() {
        // C arrays: keep what is between the braces.
        if let Some(open) = hex.find('{') {
            hex = hex.get(open.saturating_add(1)..).unwrap_or_default();
        } else if hex.contains('=') || hex.starts_with("//") || hex.starts_with('#') {
            hex = "";
        }
        if let Some(close) = hex.find('}') {
            hex = &hex[..close];
            closes = true;
        }
    }
    let star = hex.trim() == "*";
    let continues = hex.trim_end().ends_with(',');
    Line {
        number,
        start,
        offset,
        plain,
        hex: if star { "" } else { hex },
        star,
        continues,
        closes,
    }
}

fn bytes_of(line: &Line<'_>) -> Result<Vec<u8>, (u64, ReadErrorKind)> {
    let mut out = Vec::new();
    for token in line
        .hex
        .split(|c: char| c.is_whitespace() || c == ',' || c == ';')
    {
        let t = token
            .strip_prefix("0x")
            .or_else(|| token.strip_prefix("0X"))
            .unwrap_or(token);
        let digits: String = t.chars().filter(|c| *c != ':' && *c != '-').collect();
        if digits.is_empty() {
            continue;
        }
        let not_hex = || {
            (
                line.start,
                ReadErrorKind::NotHex {
                    line: line.number,
                    token: quote(token),
                },
            )
        };
        if !digits.len().is_multiple_of(2) {
            return Err(not_hex());
        }
        out.extend(hex::decode(&digits).map_err(|_| not_hex())?);
    }
    Ok(out)
}

/// Refuses a frame grown past [`MAX_FRAME`] at `line`.
fn too_large(frame: &[u8], line: &Line<'_>) -> Result<(), (u64, ReadErrorKind)> {
    if frame.len() > MAX_FRAME {
        let kind = ReadErrorKind::FrameTooLarge {
            line: Some(line.number),
        };
        return Err((line.start, kind));
    }
    Ok(())
}

/// At most this much of a bad token is quoted in an error.
const QUOTE: usize = 40;

/// `token`, cut to [`QUOTE`] characters with "..." if longer.
fn quote(token: &str) -> String {
    match token.char_indices().nth(QUOTE) {
        Some((end, _)) => format!("{}...", &token[..end]),
        None => token.to_string(),
    }
}

/// The label of tshark's data-source title (`Frame (42 bytes):`, `Reassembled IPv4 (2008
/// bytes):`): with more than one source, `tshark -x` dumps each under one. Only the frame's
/// own bytes are the frame.
fn data_source(text: &str) -> Option<&str> {
    let (label, size) = text.trim().strip_suffix(" bytes):")?.rsplit_once(" (")?;
    size.bytes().all(|b| b.is_ascii_digit()).then_some(label)
}

/// Whether a line is only single letters apart: the line under each row of `layers`' own
/// hex view (`decode --hex`, `encode`), which says whose byte is above.
fn letters_only(text: &str) -> bool {
    let mut tokens = text.split_whitespace().peekable();
    tokens.peek().is_some()
        && tokens.all(|t| t.len() == 1 && t.bytes().all(|b| b.is_ascii_alphabetic()))
}

/// The frames in `text`, or the byte offset and reason of the first line that is not hex.
/// A byte-order mark (Windows editors write one) and CRLF line ends are ignored.
pub fn parse(text: &str) -> Result<Vec<Vec<u8>>, (u64, ReadErrorKind)> {
    let bom = if text.starts_with('\u{feff}') { 3 } else { 0 };
    let text = &text[bom..];
    let mut lines = Vec::new();
    let mut start = bom as u64;
    for (i, raw) in text.split_inclusive('\n').enumerate() {
        lines.push(split_line(i.saturating_add(1), start, raw));
        start = start.saturating_add(raw.len() as u64);
    }
    let blank = |l: &Line<'_>| l.hex.trim().is_empty() && !l.star && l.offset.is_none();
    let mut frames: Vec<Vec<u8>> = Vec::new();
    let mut current: Vec<u8> = Vec::new();
    let flush = |current: &mut Vec<u8>, frames: &mut Vec<Vec<u8>>| {
        if !current.is_empty() {
            frames.push(std::mem::take(current));
        }
    };

    if lines.iter().any(|l| l.offset.is_some()) {
        let mut last: Vec<u8> = Vec::new();
        let mut repeat = false;
        // Inside a dump of bytes that are not the frame's (tshark's "Reassembled IPv4").
        let mut other_source = false;
        for line in &lines {
            if blank(line) {
                flush(&mut current, &mut frames);
                other_source = false;
                continue;
            }
            // In a dump, a line without an offset is taken as it is: braces in tcpdump's
            // summary (`sack 1 {100:200}`) are no C array.
            let line = &Line {
                hex: if line.offset.is_none() && !line.star {
                    line.plain
                } else {
                    line.hex
                },
                ..*line
            };
            if line.offset.is_none() {
                if let Some(label) = data_source(line.hex) {
                    flush(&mut current, &mut frames);
                    other_source = label != "Frame";
                    continue;
                }
            }
            if other_source {
                continue;
            }
            if line.star {
                repeat = true;
                continue;
            }
            // hexdump ends with a line that holds only the final offset.
            let lone = line.hex.split_whitespace().collect::<Vec<_>>();
            let end_marker = match (line.offset, lone.as_slice()) {
                (None, [token]) if token.len() >= 4 => parse_offset(token),
                _ => None,
            };
            let (offset, bytes) = match (line.offset, end_marker) {
                (Some(o), _) => (o, bytes_of(line)?),
                (None, Some(o)) => (o, Vec::new()),
                (None, None) if letters_only(line.hex) => continue,
                (None, None) => {
                    // Text around a dump (tcpdump's summary line, a heading, a legend)
                    // ends the frame before it; a frame's lines all have offsets, so a
                    // stray line inside one is still refused, at the line after it.
                    match bytes_of(line) {
                        Ok(bytes) => current.extend(bytes),
                        Err(_) => flush(&mut current, &mut frames),
                    }
                    too_large(&current, line)?;
                    continue;
                }
            };
            if offset == 0 {
                flush(&mut current, &mut frames);
            }
            // A `*` gap (or any offset) may not reach past the largest frame.
            if offset > MAX_FRAME {
                let kind = ReadErrorKind::FrameTooLarge {
                    line: Some(line.number),
                };
                return Err((line.start, kind));
            }
            if repeat && !last.is_empty() {
                while current.len() < offset {
                    current.extend(&last);
                }
                repeat = false;
            }
            if offset != current.len() {
                let kind = ReadErrorKind::BadOffset {
                    line: line.number,
                    found: offset,
                    expected: current.len(),
                };
                return Err((line.start, kind));
            }
            if !bytes.is_empty() {
                last.clone_from(&bytes);
            }
            current.extend(bytes);
            too_large(&current, line)?;
        }
        flush(&mut current, &mut frames);
        return Ok(frames);
    }

    let content: Vec<&Line<'_>> = lines.iter().collect();
    let first = content.iter().position(|l| !blank(l));
    let last = content.iter().rposition(|l| !blank(l));
    let grouped = match (first, last) {
        (Some(f), Some(l)) => content
            .get(f..=l)
            .is_some_and(|c| c.iter().any(|x| blank(x))),
        _ => false,
    };
    let mut in_array = false;
    for line in &lines {
        if blank(line) {
            if line.closes || grouped {
                flush(&mut current, &mut frames);
                in_array = false;
            }
            continue;
        }
        current.extend(bytes_of(line)?);
        too_large(&current, line)?;
        if line.closes {
            flush(&mut current, &mut frames);
            in_array = false;
        } else if line.continues {
            in_array = true;
        } else if in_array || !grouped {
            // The last line of an array, or a frame of its own.
            flush(&mut current, &mut frames);
            in_array = false;
        }
    }
    flush(&mut current, &mut frames);
    Ok(frames)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The first 20 bytes of an IPv4 header, in every layout.
    const WANT: [u8; 20] = [
        0x45, 0x00, 0x00, 0x3c, 0x1c, 0x46, 0x40, 0x00, 0x40, 0x06, 0xb1, 0xe6, 0xac, 0x10, 0x0a,
        0x63, 0xac, 0x10, 0x0a, 0x0c,
    ];

    fn one(text: &str) -> Vec<u8> {
        let frames = parse(text).unwrap_or_else(|e| panic!("{text:?}: {e:?}"));
        assert_eq!(frames.len(), 1, "{text:?}: {frames:?}");
        frames.into_iter().next().unwrap()
    }

    #[test]
    fn every_layout_reads_the_same_bytes() {
        let layouts = [
            "4500003c1c4640004006b1e6ac100a63ac100a0c\n",
            "45 00 00 3c 1c 46 40 00 40 06 b1 e6 ac 10 0a 63 ac 10 0a 0c",
            "45:00:00:3C:1C:46:40:00:40:06:B1:E6:AC:10:0A:63:AC:10:0A:0C\n",
            "0x45, 0x00, 0x00, 0x3c, 0x1c, 0x46, 0x40, 0x00, 0x40, 0x06,\n0xb1, 0xe6, 0xac, 0x10, 0x0a, 0x63, 0xac, 0x10, 0x0a, 0x0c\n",
            "static const unsigned char pkt[20] = {\n  0x45, 0x00, 0x00, 0x3c, 0x1c, 0x46, 0x40, 0x00,\n  0x40, 0x06, 0xb1, 0xe6, 0xac, 0x10, 0x0a, 0x63,\n  0xac, 0x10, 0x0a, 0x0c };\n",
            // xxd
            "00000000: 4500 003c 1c46 4000 4006 b1e6 ac10 0a63  E..<.F@.@......c\n00000010: ac10 0a0c                                ....\n",
            // hexdump -C
            "00000000  45 00 00 3c 1c 46 40 00  40 06 b1 e6 ac 10 0a 63  |E..<.F@.@......c|\n00000010  ac 10 0a 0c                                       |....|\n00000014\n",
            // tshark -x
            "0000  45 00 00 3c 1c 46 40 00 40 06 b1 e6 ac 10 0a 63   E..<.F@.@......c\n0010  ac 10 0a 0c                                       ....\n",
            // tcpdump -xx and -XX
            "\t0x0000:  4500 003c 1c46 4000 4006 b1e6 ac10 0a63\n\t0x0010:  ac10 0a0c\n",
            "\t0x0000:  4500 003c 1c46 4000 4006 b1e6 ac10 0a63  E..<.F@.@......c\n\t0x0010:  ac10 0a0c                                ....\n",
        ];
        for text in layouts {
            assert_eq!(one(text), WANT, "{text:?}");
        }
    }

    #[test]
    fn frames_split_by_lines_blank_lines_and_offsets() {
        assert_eq!(parse("0102\n0304\n").unwrap(), [vec![1, 2], vec![3, 4]]);
        assert_eq!(
            parse("01 02\n03\n\n04\n").unwrap(),
            [vec![1, 2, 3], vec![4]]
        );
        let two = "0000  01 02   ..\n\n0000  03 04   ..\n";
        assert_eq!(parse(two).unwrap(), [vec![1, 2], vec![3, 4]]);
        let back_to_back = "00000000: 0102  ..\n00000000: 0304  ..\n";
        assert_eq!(parse(back_to_back).unwrap(), [vec![1, 2], vec![3, 4]]);
        assert_eq!(parse("\n\n").unwrap(), Vec::<Vec<u8>>::new());
    }

    #[test]
    fn text_around_dumps_is_not_taken_for_bytes() {
        // tcpdump -XX: a summary line before each frame, braces in it, `=` and `|` in the
        // ASCII column; CRLF line ends and a byte-order mark.
        let tcpdump = "\u{feff}02:00:16.000016 IP 1.2.3.4.5 > 5.6.7.8.9: Flags [.], options [sack 1 {100:200}], length 0\r\n\t0x0000:  0102 3d7c  .=|.\r\n12:00:00.5 IP x > y\r\n\t0x0000:  0304  ..\r\n";
        assert_eq!(
            parse(tcpdump).unwrap(),
            [vec![1, 2, 0x3d, 0x7c], vec![3, 4]]
        );
        // `layers decode --hex`: a title, a legend, the 8 + 8 split, a letter line a row.
        let own = "Frame 1 (18 bytes)\nE Ethernet II 0-13  p padding 14-17\n0000  01 02 03 04 05 06 07 08  09 0a 0b 0c 0d 0e 0f 10  ................\n      E  E  E  E  E  E  E  E   E  E  E  E  E  E  p  p\n0010  11 12  ..\n      p  p\n";
        assert_eq!(parse(own).unwrap(), [(1..=18).collect::<Vec<u8>>()]);
        // tshark -x with reassembly: only the frame's own bytes.
        let tshark = "Frame (2 bytes):\n0000  01 02   ..\nReassembled IPv4 (3 bytes):\n0000  07 08 09   ...\n\n0000  03 04   ..\n";
        assert_eq!(parse(tshark).unwrap(), [vec![1, 2], vec![3, 4]]);
        // A stray line inside a frame is still refused, at the line after it.
        let stray = "0000  01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f 10\noops\n0010  11\n";
        assert!(matches!(
            parse(stray).unwrap_err().1,
            ReadErrorKind::BadOffset { line: 3, .. }
        ));
    }

    #[test]
    fn hexdump_stars_repeat_the_line_before() {
        let text = "00000000  00 00 00 00 00 00 00 00  00 00 00 00 00 00 00 00  |................|\n*\n00000030  01 02                                             |..|\n00000032\n";
        let mut want = vec![0u8; 48];
        want.extend([1, 2]);
        assert_eq!(one(text), want);
    }

    #[test]
    fn bad_text_is_refused_with_line_and_offset() {
        let err = parse("0102\n01zz\n").unwrap_err();
        assert_eq!(
            err,
            (
                5,
                ReadErrorKind::NotHex {
                    line: 2,
                    token: "01zz".into()
                }
            )
        );
        let err = parse("012\n").unwrap_err();
        assert!(matches!(err.1, ReadErrorKind::NotHex { line: 1, .. }));
        let err = parse("0000  01 02   ..\n0004  03 04   ..\n").unwrap_err();
        assert_eq!(
            err.1,
            ReadErrorKind::BadOffset {
                line: 2,
                found: 4,
                expected: 2
            }
        );
    }
}
