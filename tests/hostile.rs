//! Hostile inputs: each class of input that once asked for unbounded memory or time, run
//! under a memory ceiling (the shell's `ulimit -v`) and a deadline, so a blow-up fails the
//! test instead of the machine.

use std::io::{Read, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::util::temp_dir;

/// The address space a run may use: far above what `layers` needs (a few MB, plus thread
/// stacks), far below what the old blow-ups asked for (GBs).
const MEMORY_KB: u64 = 1 << 20;
/// How long a run may take.
const DEADLINE: Duration = Duration::from_secs(20);

/// What a bounded run gave.
struct Bounded {
    /// The peak resident memory seen, in kB.
    peak_kb: u64,
    code: Option<i32>,
    stdout: String,
    stderr: String,
    took: Duration,
}

/// Runs `layers ARGS` with at most [`MEMORY_KB`] of address space and [`DEADLINE`] of time.
fn bounded(args: &[&str]) -> Bounded {
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(format!("ulimit -v {MEMORY_KB} && exec \"$0\" \"$@\""))
        .arg(env!("CARGO_BIN_EXE_layers"))
        .args(args)
        .env_remove("LANG")
        .env_remove("LC_ALL")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let start = Instant::now();
    let mut child = cmd.spawn().expect("sh runs");
    // Read both pipes on threads, so a chatty run cannot block on a full pipe.
    let reader = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut v = Vec::new();
            let _ = r.read_to_end(&mut v);
            String::from_utf8_lossy(&v).into_owned()
        })
    };
    let o = reader(Box::new(child.stdout.take().expect("piped")));
    let e = reader(Box::new(child.stderr.take().expect("piped")));
    // The peak resident memory, sampled from /proc while it runs (VmHWM only grows).
    let status = format!("/proc/{}/status", child.id());
    let mut peak_kb = 0;
    let code = loop {
        if let Some(kb) = std::fs::read_to_string(&status).ok().and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches(" kB").parse::<u64>().ok())
        }) {
            peak_kb = peak_kb.max(kb);
        }
        if let Some(status) = child.try_wait().expect("wait") {
            break status.code();
        }
        if start.elapsed() > DEADLINE {
            let _ = child.kill();
            let _ = child.wait();
            panic!("layers {args:?} ran past {DEADLINE:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    Bounded {
        peak_kb,
        code,
        stdout: o.join().expect("reader"),
        stderr: e.join().expect("reader"),
        took: start.elapsed(),
    }
}

/// The run ended by itself with `code`, in bounded memory, printing no panic.
fn assert_refused(b: &Bounded, code: i32, says: &str) {
    assert_eq!(b.code, Some(code), "exit code; stderr: {}", b.stderr);
    assert!(!b.stderr.contains("panicked"), "{}", b.stderr);
    assert!(!b.stderr.contains("memory allocation"), "{}", b.stderr);
    assert!(b.stderr.contains(says), "{says:?} in {}", b.stderr);
}

/// A raw input is one frame: /dev/zero and /dev/urandom are refused after 256 KiB, not
/// read whole (they once grew to 8 GB and 1.4 GB).
#[test]
fn endless_raw_input_is_refused_in_constant_memory() {
    for (file, extra) in [("/dev/zero", None), ("/dev/urandom", Some("--oneline"))] {
        if !Path::new(file).exists() {
            continue;
        }
        let mut args = vec!["decode", file];
        args.extend(extra);
        let b = bounded(&args);
        assert_refused(&b, 1, "a raw frame is at most 262144 bytes");
        assert!(b.took < Duration::from_secs(5), "{file}: {:?}", b.took);
    }
    let b = bounded(&["encode", "--payload-file", "/dev/zero"]);
    assert_refused(&b, 2, "more than 65535 bytes");
}

/// Hex text cannot expand without bound: a hexdump `*` gap to a far offset (once an 8 GiB
/// allocation and an abort), bytes past the largest frame, text past 64 MiB; and a bad
/// token is quoted short.
#[test]
fn hex_text_cannot_ask_for_unbounded_memory() {
    let dir = temp_dir("hostile-hex");
    let gap = dir.join("gap.hex");
    std::fs::write(
        &gap,
        "00000000  45 00 00 54 00 00 40 00  40 01 00 00 7f 00 00 01  |E..T..@.@.......|\n*\n200000000\n",
    )
    .unwrap();
    let b = bounded(&["decode", gap.to_str().unwrap()]);
    assert_refused(
        &b,
        1,
        "hex text line 3 (byte 81): the frame would grow past 262144 bytes",
    );
    // One frame of 300,000 bytes written as plain hex.
    let long = dir.join("long.hex");
    std::fs::write(&long, "00 ".repeat(300_000)).unwrap();
    let b = bounded(&["decode", long.to_str().unwrap()]);
    assert_refused(&b, 1, "the frame would grow past 262144 bytes");
    let huge = dir.join("huge.hex");
    let line = "00 11 22 33 44 55 66 77 88 99 aa bb cc dd ee ff\n\n";
    std::fs::write(&huge, line.repeat((65 << 20) / line.len())).unwrap();
    let b = bounded(&["decode", huge.to_str().unwrap(), "--stats"]);
    assert_refused(&b, 1, "hex text longer than 64 MiB");
    let bad = dir.join("bad.hex");
    std::fs::write(&bad, format!("00 11 {}\n", "zz".repeat(1_000_000))).unwrap();
    let b = bounded(&["decode", bad.to_str().unwrap()]);
    assert_refused(&b, 1, "is not hex");
    assert!(
        b.stderr.len() < 300,
        "the token is quoted short: {} bytes",
        b.stderr.len()
    );
    let _ = &b.stdout;
}

/// A classic pcap holding `frames`, each with its own time.
fn pcap(frames: &[Vec<u8>]) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend(0xa1b2_c3d4u32.to_le_bytes());
    out.extend(2u16.to_le_bytes());
    out.extend(4u16.to_le_bytes());
    for v in [0u32, 0, 262_144, 1] {
        out.extend(v.to_le_bytes());
    }
    for (i, f) in frames.iter().enumerate() {
        let len = f.len() as u32;
        for v in [1_700_000_000 + i as u32, 0, len, len] {
            out.extend(v.to_le_bytes());
        }
        out.extend(f);
    }
    out
}

/// 60,000 stacked 802.1Q tags (once 60 s and 6-8 GB for --stats, and --hex past 2 minutes):
/// dissection stops at 64 layers with a note, so every view is linear in the frame.
#[test]
fn deep_tag_stacks_stop_at_the_layer_limit() {
    let mut frame = vec![2, 0, 0, 0, 0, 1, 2, 0, 0, 0, 0, 2];
    for _ in 0..60_000 {
        frame.extend([0x81, 0x00, 0x00, 0x01]);
    }
    frame.extend([0x08, 0x00, 0x45]);
    frame.resize(frame.len() + 19, 0);
    let dir = temp_dir("hostile-vlan");
    let file = dir.join("vlan.pcap");
    std::fs::write(&file, pcap(&[frame])).unwrap();
    let path = file.to_str().unwrap();
    for view in [
        "--stats",
        "--hex",
        "--oneline",
        "--json",
        "--diagram",
        "--frame",
    ] {
        let args: Vec<&str> = match view {
            "--frame" => vec!["decode", path, "--frame", "1"],
            v => vec!["decode", path, v],
        };
        let b = bounded(&args);
        assert_eq!(b.code, Some(0), "{view}: {}", b.stderr);
        assert!(b.took < Duration::from_secs(5), "{view}: {:?}", b.took);
        if view == "--oneline" {
            assert!(
                b.stdout.contains("802.1Q tags past the 64-layer limit"),
                "{}",
                b.stdout
            );
        }
        if view == "--json" {
            let j: serde_json::Value = serde_json::from_str(b.stdout.trim()).unwrap();
            // The 64 dissected, and the physical layer's record before them.
            let layers = j["layers"].as_array().unwrap();
            assert_eq!(layers.len(), 1 + layers_osi::MAX_LAYERS, "{}", layers.len());
            assert_eq!(layers[0]["protocol"], "Ethernet PHY");
        }
    }
}

/// Argument values cannot ask for unbounded work: a split into two billion subnets lists
/// the first ones and the last and says how many it left out; a topology's MTU must be one
/// IPv4 allows (24 once fragmented forever), and its size is bounded (65,537 hosts on one
/// switch once panicked).
#[test]
fn argument_values_cannot_ask_for_unbounded_work() {
    let b = bounded(&["subnet", "0.0.0.0/0", "--split", "2147483648"]);
    assert_eq!(b.code, Some(0), "{}", b.stderr);
    assert!(
        b.stdout.contains("2147483391 more, not listed"),
        "{}",
        b.stdout
    );
    assert!(
        b.stdout.contains("255.255.255.254/31"),
        "the last one is shown"
    );
    assert!(b.took < Duration::from_secs(5), "{:?}", b.took);
    let b = bounded(&["subnet", "0.0.0.0/0", "--split", "2147483648", "--json"]);
    let j: serde_json::Value = serde_json::from_str(b.stdout.trim()).unwrap();
    assert_eq!(j["split_count"], 2_147_483_648u64);
    assert_eq!(
        j["split"].as_array().unwrap().len() as u64 + j["split_left_out"].as_u64().unwrap(),
        2_147_483_648
    );
    let dir = temp_dir("hostile-topology");
    let two = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/topologies/two-routers.toml"),
    )
    .unwrap();
    let mtu = dir.join("mtu.toml");
    std::fs::write(
        &mtu,
        two.replacen("link = \"SW2\"\n", "link = \"SW2\"\nmtu = 24\n", 1),
    )
    .unwrap();
    let b = bounded(&[
        "journey",
        "--topology",
        mtu.to_str().unwrap(),
        "--from",
        "A",
        "--to",
        "B",
    ]);
    assert_refused(&b, 1, "mtu = 24 is outside 68-65535");
    let mut many = String::from("[[switch]]\nname = \"S\"\n");
    for i in 0..65_537u32 {
        many.push_str(&format!(
            "[[host]]\nname = \"H{i}\"\nip = \"10.{}.{}.{}/8\"\nlink = \"S\"\n",
            i >> 16,
            (i >> 8) & 0xff,
            i & 0xff
        ));
    }
    let file = dir.join("many.toml");
    std::fs::write(&file, many).unwrap();
    let b = bounded(&[
        "journey",
        "--topology",
        file.to_str().unwrap(),
        "--from",
        "H1",
        "--to",
        "H2",
    ]);
    assert_refused(&b, 1, "more hosts and router interfaces than the 4096");
}

/// One connection of 200,000 segments, each sent twice (`tcp --from` once took 15 s on
/// such a capture, searching every earlier segment for each retransmission): linear.
#[test]
fn a_long_connection_is_followed_in_linear_time() {
    let dir = temp_dir("hostile-tcp");
    let raw = dir.join("segment.bin");
    let made = crate::util::run(&["encode", "--payload", "x", "-o", raw.to_str().unwrap()]);
    assert!(made.status.success());
    let template = std::fs::read(&raw).unwrap();
    let frames: Vec<Vec<u8>> = (0..200_000u32)
        .map(|i| {
            let mut f = template.clone();
            // The sequence number (TCP bytes 4-7, after 14 of Ethernet and 20 of IPv4).
            f[38..42].copy_from_slice(&(1 + i / 2).to_be_bytes());
            f
        })
        .collect();
    let file = dir.join("long.pcap");
    std::fs::write(&file, pcap(&frames)).unwrap();
    let b = bounded(&["tcp", "--from", file.to_str().unwrap()]);
    assert_eq!(b.code, Some(0), "{}", b.stderr);
    assert!(b.stdout.contains("200000 segments"), "{}", &b.stdout[..200]);
    assert!(
        b.stdout.contains("100000 retransmitted segment(s)"),
        "{}",
        &b.stdout[b.stdout.len() - 400..]
    );
    assert!(b.took < Duration::from_secs(15), "{:?}", b.took);
}

/// A large capture in every view stays under 64 MB of resident memory: frames are read,
/// shown and forgotten, in batches, whatever the file's size.
#[test]
fn decode_stays_under_64_mb_on_a_large_capture() {
    let dir = temp_dir("hostile-big");
    let raw = dir.join("frame.bin");
    let made = crate::util::run(&[
        "encode",
        "--payload-hex",
        &"ab".repeat(1400),
        "-o",
        raw.to_str().unwrap(),
    ]);
    assert!(made.status.success());
    let frame = std::fs::read(&raw).unwrap();
    // 60,000 frames of 1,454 bytes: 87 MB, more than the bound.
    let file = dir.join("big.pcap");
    let frames = vec![frame; 60_000];
    std::fs::write(&file, pcap(&frames)).unwrap();
    drop(frames);
    let path = file.to_str().unwrap();
    for view in ["--stats", "--oneline", "--json", "--hex"] {
        let b = bounded(&["decode", view, path, "--count", "5000"]);
        assert_eq!(b.code, Some(0), "{view}: {}", b.stderr);
        assert!(b.peak_kb > 0, "{view}: no memory figure read");
        assert!(b.peak_kb < 64 * 1024, "{view}: {} kB", b.peak_kb);
    }
    let b = bounded(&["decode", "--stats", path]);
    assert!(
        b.peak_kb < 64 * 1024,
        "--stats, whole file: {} kB",
        b.peak_kb
    );
    std::fs::remove_file(&file).unwrap();
}

/// Parquet's row groups are bounded by their text too: 70,000 HTTP requests with URIs of
/// 1,400 bytes would gather 98 MB of URIs in one row group of 65,536 rows.
#[cfg(feature = "parquet")]
#[test]
fn parquet_stays_under_64_mb_on_long_urls() {
    let dir = temp_dir("hostile-parquet");
    let raw = dir.join("frame.bin");
    let request = format!("GET /{} HTTP/1.1\r\nHost: x\r\n\r\n", "a".repeat(1400));
    let made = crate::util::run(&[
        "encode",
        "--to",
        "192.168.11.53:80",
        "--payload",
        &request,
        "-o",
        raw.to_str().unwrap(),
    ]);
    assert!(made.status.success(), "{}", crate::util::stderr(&made));
    let frame = std::fs::read(&raw).unwrap();
    let file = dir.join("urls.pcap");
    std::fs::write(&file, pcap(&vec![frame; 70_000])).unwrap();
    let out = dir.join("urls.parquet");
    let b = bounded(&[
        "decode",
        file.to_str().unwrap(),
        "--parquet",
        out.to_str().unwrap(),
    ]);
    assert_eq!(b.code, Some(0), "{}", b.stderr);
    assert!(b.stdout.contains("70000 rows"), "{}", b.stdout);
    assert!(b.peak_kb > 0 && b.peak_kb < 64 * 1024, "{} kB", b.peak_kb);
    std::fs::remove_file(&file).unwrap();
}

/// A tmpfs of 64 KiB, unmounted when dropped.
struct SmallDisk(std::path::PathBuf);

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

/// A disk that fills up mid-write (a 64 KiB tmpfs, which needs root): the old capture is
/// still there, whole, and no temporary file is left beside it. Skipped, saying so, where
/// a tmpfs cannot be mounted.
#[test]
fn a_full_disk_leaves_the_old_file_whole() {
    let dir = temp_dir("hostile-full").join("disk");
    std::fs::create_dir_all(&dir).unwrap();
    let mounted = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=64k", "tmpfs"])
        .arg(&dir)
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !mounted {
        let _ = writeln!(
            std::io::stderr(),
            "skipped: cannot mount a tmpfs here (needs root; .ci/run runs as root)"
        );
        return;
    }
    let _disk = SmallDisk(dir.clone());
    let file = dir.join("journey.pcapng");
    std::fs::write(&file, b"the old capture").unwrap();
    let path = file.to_str().unwrap();
    // 60,000 bytes of data in fragments, on every link: more than the disk holds.
    let b = bounded(&["journey", "--payload-size", "60000", "-o", path]);
    assert_refused(&b, 1, "No space left on device");
    assert_eq!(std::fs::read(&file).unwrap(), b"the old capture");
    let left: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(left, [std::ffi::OsString::from("journey.pcapng")]);
}

/// Text from a packet cannot act on the terminal: an ESC sequence or a bidi override in an
/// HTTP request line or header is shown escaped in every text view, as tcpdump and tshark
/// do, while Chinese stays as it is and JSON keeps the exact string.
#[test]
fn packet_text_cannot_reach_the_terminal_raw() {
    let dir = temp_dir("hostile-text");
    let file = dir.join("esc.pcap");
    let payload = "GET /\u{1b}[2J\u{202e}你好 HTTP/1.1\r\nHost: a\u{1b}]0;pwned\u{7}b\r\n\r\n";
    let o = crate::util::run(&[
        "encode",
        "--to",
        "192.168.11.53:80",
        "--payload",
        payload,
        "-o",
        file.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", crate::util::stderr(&o));
    let path = file.to_str().unwrap();
    for view in [None, Some("--oneline"), Some("--hex"), Some("--diagram")] {
        let mut args = vec!["decode", path];
        args.extend(view);
        let b = bounded(&args);
        assert_eq!(b.code, Some(0), "{view:?}: {}", b.stderr);
        let raw = b
            .stdout
            .chars()
            .filter(|c| layers_osi::is_terminal_control(*c) && *c != '\n')
            .count();
        assert_eq!(
            raw, 0,
            "{view:?} printed control characters: {:?}",
            b.stdout
        );
        if view.is_none() {
            assert!(b.stdout.contains("/\\x1b[2J\\u{202e}你好"), "{}", b.stdout);
            assert!(
                b.stdout.contains("Host=a\\x1b]0;pwned\\x07b"),
                "{}",
                b.stdout
            );
        }
    }
    let b = bounded(&["decode", path, "--json"]);
    let j: serde_json::Value = serde_json::from_str(b.stdout.trim()).unwrap();
    let http = j["layers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["protocol"] == "HTTP")
        .unwrap();
    assert_eq!(
        http["fields"]["uri"], "/\u{1b}[2J\u{202e}你好",
        "JSON keeps the exact string"
    );
}
