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

fn split_line(number: usize, start: u64, raw: &str) -> Line<'_> {
    let mut line = raw.trim_end_matches(['\r', '\n']);
    let mut closes = false;
    // hexdump -C: the ASCII column sits between bars.
    let had_bars = line.contains('|');
    if let Some(bar) = line.find('|') {
        line = &line[..bar];
    }
    // C arrays: keep what is between the braces.
    if let Some(open) = line.find('{') {
        line = &line[open + 1..];
    } else if line.contains('=')
        || line.trim_start().starts_with("//")
        || line.trim_start().starts_with('#')
    {
        line = "";
    }
    if let Some(close) = line.find('}') {
        line = &line[..close];
        closes = true;
    }
    let trimmed = line.trim_start();
    let mut offset = None;
    let mut hex = trimmed;
    if let Some(first) = trimmed.split_whitespace().next() {
        let after = &trimmed[first.len()..];
        // An offset ends in a colon (xxd, tcpdump) or is followed by two spaces (tshark,
        // hexdump -C): plain hex groups are one space apart.
        let colon = first.strip_suffix(':').and_then(parse_offset);
        let spaced = (after.starts_with("  ") && first.len() >= 4 && first.len() % 2 == 0)
            .then(|| parse_offset(first))
            .flatten();
        if let Some(o) = colon.or(spaced) {
            offset = Some(o);
            hex = after.trim_start();
            // The ASCII column follows the hex after two or more spaces (xxd, tshark -x,
            // tcpdump -XX); hexdump -C's was cut at its bar.
            if !had_bars {
                if let Some(gap) = hex.find("  ") {
                    hex = &hex[..gap];
                }
            }
        }
    }
    let star = hex.trim() == "*";
    let continues = hex.trim_end().ends_with(',');
    Line {
        number,
        start,
        offset,
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
        if digits.len() % 2 != 0 {
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

/// The frames in `text`, or the byte offset and reason of the first line that is not hex.
pub fn parse(text: &str) -> Result<Vec<Vec<u8>>, (u64, ReadErrorKind)> {
    let mut lines = Vec::new();
    let mut start = 0u64;
    for (i, raw) in text.split_inclusive('\n').enumerate() {
        lines.push(split_line(i + 1, start, raw));
        start += raw.len() as u64;
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
        for line in &lines {
            if blank(line) {
                flush(&mut current, &mut frames);
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
                (None, None) => {
                    current.extend(bytes_of(line)?);
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
        (Some(f), Some(l)) => content[f..=l].iter().any(|x| blank(x)),
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
