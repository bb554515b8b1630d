//! Hex text as people paste it: every fixture frame through the real output of xxd,
//! `hexdump -C`, `tshark -x`, `tcpdump -x`/`-xx`/`-X`/`-XX` (summary lines included),
//! Wireshark's "Copy as Hex Dump", `layers`' own hex view, with CRLF and a byte-order mark,
//! read back by the hex reader to exactly the frame's bytes. A tool that is missing is
//! named and skipped; in CI (`.ci/run` installs them all) it is a failure.

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::process::Command;

use layers_capture::{open, InputFormat, LinkType};
use pcap_file::pcap::PcapReader;

use crate::util::{run, stdout, temp_dir};

/// Every frame of every Ethernet pcap fixture: (file, bytes).
fn fixture_frames() -> Vec<(PathBuf, Vec<Vec<u8>>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut out = Vec::new();
    let mut names: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "pcap"))
        .collect();
    names.sort();
    for path in names {
        let mut reader = PcapReader::new(std::fs::File::open(&path).unwrap()).unwrap();
        if reader.header().datalink != pcap_file::DataLink::ETHERNET {
            continue;
        }
        let mut frames = Vec::new();
        // A fixture may end inside a record on purpose: its whole frames count.
        while let Some(Ok(p)) = reader.next_packet() {
            frames.push(p.data.into_owned());
        }
        if !frames.is_empty() {
            out.push((path, frames));
        }
    }
    assert!(out.len() >= 8, "{} Ethernet fixtures", out.len());
    out
}

/// The frames the hex reader finds in `text`, with the link it gave each.
fn read_hex(text: &str) -> Vec<(LinkType, Vec<u8>)> {
    let mut frames = open(
        Cursor::new(text.as_bytes().to_vec()),
        Some(InputFormat::Hex),
    )
    .unwrap_or_else(|e| panic!("{}\n{text}", e.message()));
    let mut out = Vec::new();
    let mut data = Vec::new();
    while let Some(next) = frames.next_into(&mut data) {
        let info = next.unwrap_or_else(|e| panic!("{}\n{text}", e.message()));
        out.push((info.link, std::mem::take(&mut data)));
    }
    out
}

/// Runs `tool ARGS`, or says why it cannot (and fails in CI).
fn tool(name: &str, args: &[&str]) -> Option<String> {
    match Command::new(name).args(args).output() {
        // tshark and tcpdump say a capture was cut short after dumping its whole frames.
        Ok(o) if o.status.success() || !o.stdout.is_empty() => {
            Some(String::from_utf8(o.stdout).unwrap())
        }
        Ok(o) => panic!(
            "{name} {args:?}: {}",
            String::from_utf8_lossy(&o.stderr).trim()
        ),
        Err(e) => {
            crate::util::skip_without(name, &e.to_string());
            None
        }
    }
}

/// Asserts that `got` is `want`, frame by frame, on Ethernet links; says which differs.
fn same(got: &[(LinkType, Vec<u8>)], want: &[Vec<u8>], what: &str) {
    assert_eq!(got.len(), want.len(), "{what}: frame count");
    for (i, ((link, g), w)) in got.iter().zip(want).enumerate() {
        assert_eq!(*link, LinkType::Ethernet, "{what}: frame {}", i + 1);
        assert!(
            g == w,
            "{what}: frame {}: {} bytes read, {} in the capture, first difference at {:?}",
            i + 1,
            g.len(),
            w.len(),
            g.iter().zip(w).position(|(a, b)| a != b)
        );
    }
}

/// tshark -x and tcpdump -xx / -XX over whole captures: one frame per dump, in order,
/// tcpdump's summary lines starting each one, tshark's reassembled data left out.
#[test]
fn whole_capture_dumps_read_back_frame_by_frame() {
    for (path, want) in fixture_frames() {
        let file = path.to_str().unwrap();
        if let Some(text) = tool("tshark", &["-r", file, "-x"]) {
            same(&read_hex(&text), &want, &format!("tshark -x {file}"));
        }
        for flag in ["-xx", "-XX"] {
            if let Some(text) = tool("tcpdump", &["-nn", "-r", file, flag]) {
                same(&read_hex(&text), &want, &format!("tcpdump {flag} {file}"));
            }
        }
    }
}

/// tcpdump -x and -X print the packet without its link header: read back as that IP
/// packet, on a raw-IP link, for every complete IPv4 frame.
#[test]
fn tcpdump_packet_dumps_read_back_as_ip() {
    let mut checked = 0;
    for (path, frames) in fixture_frames() {
        let file = path.to_str().unwrap();
        // Complete untagged IPv4 frames: the packet tcpdump prints is all there.
        let packets: Vec<Option<&[u8]>> = frames
            .iter()
            .map(|f| {
                let ip = f.get(14..).filter(|_| f[12..14] == [8, 0])?;
                let total = usize::from(u16::from_be_bytes([*ip.get(2)?, *ip.get(3)?]));
                ip.get(..total).filter(|_| (ip[0] >> 4) == 4)
            })
            .collect();
        if packets.iter().any(Option::is_none) {
            continue;
        }
        for flag in ["-x", "-X"] {
            let Some(text) = tool("tcpdump", &["-nn", "-r", file, flag]) else {
                return;
            };
            let got = read_hex(&text);
            assert_eq!(got.len(), packets.len(), "tcpdump {flag} {file}");
            for ((link, bytes), want) in got.iter().zip(&packets) {
                assert_eq!(Some(&bytes[..]), *want, "tcpdump {flag} {file}");
                assert_eq!(*link, LinkType::RawIp, "tcpdump {flag} {file}");
            }
            checked += 1;
        }
    }
    assert!(checked >= 6, "{checked} dumps of all-IPv4 captures");
}

/// One frame at a time: xxd, hexdump -C, Wireshark's "Copy as Hex Dump", `layers decode
/// --hex`, and each again with CRLF line ends and a byte-order mark.
#[test]
fn single_frame_dumps_read_back_exactly() {
    let dir = temp_dir("paste");
    let mut checked = 0;
    for (path, frames) in fixture_frames() {
        for (i, frame) in frames.iter().enumerate() {
            let bin = dir.join(format!("{}-{i}.bin", path.file_stem().unwrap().display()));
            std::fs::write(&bin, frame).unwrap();
            let file = bin.to_str().unwrap();
            let mut texts = Vec::new();
            texts.extend(tool("xxd", &[file]));
            texts.extend(tool("hexdump", &["-C", file]));
            // Wireshark's Copy > "...as Hex Dump": offset, three spaces, bytes, three
            // spaces, ASCII (the GUI cannot run here; its layout is this).
            texts.push(
                frame
                    .chunks(16)
                    .enumerate()
                    .map(|(row, c)| {
                        let hex: Vec<String> = c.iter().map(|b| format!("{b:02x}")).collect();
                        let ascii: String = c
                            .iter()
                            .map(|b| {
                                if b.is_ascii_graphic() {
                                    *b as char
                                } else {
                                    '.'
                                }
                            })
                            .collect();
                        format!("{:04x}   {:<47}   {ascii}\n", row * 16, hex.join(" "))
                    })
                    .collect(),
            );
            let own = run(&["decode", file, "--format", "raw", "--hex"]);
            assert!(own.status.success());
            texts.push(stdout(&own));
            for text in texts.clone() {
                texts.push(format!("\u{feff}{}", text.replace('\n', "\r\n")));
            }
            for text in &texts {
                let got = read_hex(text);
                assert_eq!(got.len(), 1, "{file}: {text}");
                assert_eq!(got[0].1, *frame, "{file}: {text}");
                checked += 1;
            }
        }
    }
    assert!(checked > 500, "{checked} dumps");
}

/// `layers encode`'s whole report (tables, the coloured-bytes dump with its letter lines,
/// the bits) pasted back: the one frame it built.
#[test]
fn the_encode_report_reads_back_as_its_frame() {
    let dir = temp_dir("paste-encode");
    let raw = dir.join("f.bin");
    let report = run(&["encode", "--payload", "你好", "-o", raw.to_str().unwrap()]);
    assert!(report.status.success());
    let got = read_hex(&stdout(&report));
    assert_eq!(got.len(), 1, "{}", stdout(&report));
    assert_eq!(got[0].1, std::fs::read(&raw).unwrap());
}
