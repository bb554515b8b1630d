//! `layers decode`: every input layout, every view, every error path.

use std::io::Write;
use std::process::{Command, Stdio};

use serde_json::{json, Value};

use crate::util::{encode_json, layer, layers, run, stderr, stdout, temp_dir};

fn fixture(name: &str) -> String {
    format!("{}/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// `layers decode ARGS... --json`, parsed.
fn frames(args: &[&str]) -> Vec<Value> {
    let mut all = vec!["decode", "--json"];
    all.extend_from_slice(args);
    let o = run(&all);
    assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect()
}

/// `layers decode - ARGS...` with `input` on stdin.
fn piped(input: &[u8], args: &[&str]) -> std::process::Output {
    let mut child = layers()
        .arg("decode")
        .arg("-")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Fed from a thread: a large input and a large output would otherwise block each other.
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_vec();
    let feeder = std::thread::spawn(move || stdin.write_all(&input));
    let out = child.wait_with_output().unwrap();
    // A decode that wanted only the first frames stops reading: a broken pipe is no failure.
    if let Err(e) = feeder.join().unwrap() {
        assert_eq!(e.kind(), std::io::ErrorKind::BrokenPipe, "{e}");
    }
    out
}

fn protocols(frame: &Value) -> Vec<String> {
    frame["layers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["protocol"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn the_seed_socket_capture_decodes_with_times_options_and_chinese() {
    let fs = frames(&[&fixture("loopback-tcp-hello.pcap")]);
    assert_eq!(fs.len(), 10);
    assert!(fs[0]["time"].as_f64().unwrap() > 1.7e9);
    let syn = layer(&fs[0], "TCP");
    assert_eq!(syn["fields"]["flags"], json!(["SYN"]));
    assert_eq!(
        syn["fields"]["options"][0],
        json!({"kind": "MSS", "value": 65495})
    );
    assert_eq!(syn["fields"]["checksum_valid"], false);
    assert!(fs[0]["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("checksum offload"));
    assert_eq!(layer(&fs[3], "data")["fields"]["text"], "你好");
    assert_eq!(layer(&fs[5], "data")["fields"]["text"], "你也好");
}

#[test]
fn encode_then_decode_gives_back_what_was_encoded() {
    let dir = temp_dir("roundtrip");
    let file = dir.join("x.pcap");
    let args = [
        "encode",
        "--proto",
        "udp",
        "--to",
        "192.168.11.53:dns",
        "--payload",
        "hi",
        "-o",
        file.to_str().unwrap(),
    ];
    assert!(run(&args).status.success());
    let fs = frames(&[file.to_str().unwrap()]);
    let udp = &layer(&fs[0], "UDP")["fields"];
    assert_eq!(
        (
            udp["destination_port"].clone(),
            udp["checksum_valid"].clone()
        ),
        (json!(53), json!(true))
    );
    assert_eq!(layer(&fs[0], "IPv4")["fields"]["source"], "192.168.11.34");
    let encoded = crate::util::encode_json(&[
        "--proto",
        "udp",
        "--to",
        "192.168.11.53:dns",
        "--payload",
        "hi",
    ]);
    assert_eq!(
        fs[0]["layers"], encoded["layers"],
        "the same frame model both ways"
    );
}

#[test]
fn every_hex_layout_decodes_to_the_same_frame() {
    let dir = temp_dir("hex");
    let raw = dir.join("f.bin");
    assert!(
        run(&["encode", "--payload", "你好", "-o", raw.to_str().unwrap()])
            .status
            .success()
    );
    let bytes = std::fs::read(&raw).unwrap();
    let want = frames(&[raw.to_str().unwrap()]);
    let plain = hex::encode(&bytes);
    let spaced: Vec<String> = bytes.iter().map(|b| format!("{b:02X}")).collect();
    let c_array = format!(
        "unsigned char pkt[] = {{\n{}\n}};\n",
        bytes
            .iter()
            .map(|b| format!("0x{b:02x},"))
            .collect::<Vec<_>>()
            .join(" ")
    );
    let mut layouts = vec![plain.clone(), spaced.join(" "), spaced.join(":"), c_array];
    for tool in [&["xxd"][..], &["hexdump", "-C"]] {
        if let Ok(o) = Command::new(tool[0]).args(&tool[1..]).arg(&raw).output() {
            layouts.push(String::from_utf8(o.stdout).unwrap());
        }
    }
    // tshark -x / Wireshark "hex dump": offset, two spaces, bytes, three spaces, ASCII.
    let tshark_x: String = bytes
        .chunks(16)
        .enumerate()
        .map(|(i, c)| {
            let hex: Vec<String> = c.iter().map(|b| format!("{b:02x}")).collect();
            format!(
                "{:04x}  {:<47}   {}\n",
                i * 16,
                hex.join(" "),
                ".".repeat(c.len())
            )
        })
        .collect();
    layouts.push(tshark_x);
    for text in layouts {
        let o = piped(text.as_bytes(), &["--json"]);
        assert!(o.status.success(), "{text}: {}", stderr(&o));
        let got: Value = serde_json::from_str(stdout(&o).trim()).unwrap();
        assert_eq!(got["layers"], want[0]["layers"], "{text}");
    }
    // Two frames, one per line.
    let o = piped(format!("{plain}\n{plain}\n").as_bytes(), &["--oneline"]);
    assert_eq!(stdout(&o).lines().count(), 2);
}

#[test]
fn every_container_layout_reads() {
    let big = frames(&[&fixture("crafted-bigendian.pcap")]);
    let little = frames(&[&fixture("crafted.pcap")]);
    assert_eq!(big.len(), little.len());
    assert_eq!(big[0]["layers"], little[0]["layers"]);
    assert!(
        (big[1]["time"].as_f64().unwrap() - 1_732_500_002.000002).abs() < 1e-6,
        "nanoseconds"
    );
    let nano = frames(&[&fixture("loopback-nano.pcap")]);
    assert_eq!(layer(&nano[0], "data")["fields"]["text"], "你好");
    let multi = frames(&[&fixture("crafted-multi.pcapng")]);
    assert_eq!(multi.len(), 4);
    assert_eq!(
        protocols(&multi[1])[1],
        "IPv4",
        "raw IP interface: no link header"
    );
    assert_eq!(
        multi[3]["time"],
        json!(null),
        "a simple packet block has no time"
    );
    assert_eq!(layer(&multi[3], "ARP")["fields"]["operation"], 2);
    let ng = frames(&[&fixture("loopback-udp.pcapng")]);
    assert_eq!(layer(&ng[1], "data")["fields"]["text"], "你也好");
    // Obsolete Packet Blocks (type 2), in a little- then a big-endian section: the same
    // frames and times as the pcap they were made from.
    let obsolete = frames(&[&fixture("obsolete-packet-blocks.pcapng")]);
    let hello = frames(&[&fixture("loopback-udp-hello.pcap")]);
    assert_eq!(obsolete.len(), 2 * hello.len());
    for (got, want) in obsolete.iter().zip(hello.iter().chain(&hello)) {
        assert_eq!(got["layers"], want["layers"]);
        assert_eq!(got["time"], want["time"]);
    }
    let sll2 = frames(&[&fixture("loopback-any-sll2.pcap")]);
    assert_eq!(protocols(&sll2[0])[1], "Linux SLL2");
    assert_eq!(
        layer(&sll2[0], "Linux SLL2")["fields"]["protocol"],
        "0x0800"
    );
    // A capture piped in is read from stdin.
    let o = piped(
        &std::fs::read(fixture("netns-arp-ping.pcap")).unwrap(),
        &["--oneline"],
    );
    assert_eq!(stdout(&o).lines().count(), 4);
}

#[test]
fn crafted_layers_decode_as_the_standards_say() {
    let fs = frames(&[&fixture("crafted.pcap")]);
    let options = layer(&fs[0], "IPv4");
    assert_eq!(options["fields"]["header_length"], 32);
    let kinds: Vec<&str> = options["fields"]["option_list"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["NOP", "Record Route"]);
    assert_eq!(
        layer(&fs[1], "IPv4")["fields"]["option_list"][0]["kind"],
        "Router Alert"
    );
    assert_eq!(
        layer(&fs[3], "IP fragment")["fields"]["fragment_offset"],
        1000
    );
    assert!(
        fs[3]["layers"]
            .as_array()
            .unwrap()
            .iter()
            .all(|l| l["protocol"] != "UDP"),
        "no ports in a later fragment"
    );
    assert_eq!(protocols(&fs[5])[1..], ["IEEE 802.3", "LLC"]);
    assert_eq!(layer(&fs[6], "LLC")["fields"]["pid"], "0x0800");
    let tags: Vec<&Value> = fs[7]["layers"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["protocol"] == "802.1Q")
        .collect();
    assert_eq!(
        (
            tags[0]["fields"]["id"].clone(),
            tags[1]["fields"]["id"].clone()
        ),
        (json!(100), json!(10))
    );
    let quoted: Vec<&Value> = fs[8]["layers"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|l| l["quoted"] == true)
        .collect();
    assert_eq!(quoted.len(), 2, "the quoted IPv4 and UDP headers");
    assert_eq!(quoted[0]["fields"]["destination"], "8.8.8.8");
    assert_eq!(quoted[1]["fields"]["destination_port"], 33434);
    assert_eq!(
        fs[8]["errors"],
        json!([]),
        "a quote being short is no error"
    );
    assert_eq!(
        layer(&fs[10], "IPv6")["fields"]["extension_headers"],
        json!(["Hop-by-Hop Options"])
    );
    assert_eq!(layer(&fs[11], "ICMPv6")["fields"]["checksum_valid"], true);
    let sack = layer(&fs[15], "TCP")["fields"]["options"].clone();
    assert_eq!(sack[2], json!({"kind": "SACK", "value": [[200, 300]]}));
    let http = layer(&fs[16], "HTTP");
    assert_eq!(http["fields"]["headers"]["Host"], "layers.test");
    let dns = &layer(&fs[17], "DNS")["fields"];
    assert_eq!(
        dns["questions"],
        json!([{"name": "layers.test", "type": "AAAA", "class": 1}])
    );
    assert_eq!(dns["id"], 0x1234);
    for (i, needle) in [
        (21, "invalid header_length 16: expected at least 20 bytes"),
        (22, "invalid header_length 12: expected at least 20 bytes"),
        (23, "invalid length 200 > 11"),
    ] {
        let msg = fs[i]["errors"][0]["message"].as_str().unwrap();
        assert!(msg.contains(needle), "frame {}: {msg}", i + 1);
    }
    let cut = &fs[24];
    assert_eq!(
        (
            cut["captured_length"].clone(),
            cut["original_length"].clone()
        ),
        (json!(96), json!(1514))
    );
    assert!(cut["errors"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["message"].as_str().unwrap().contains("snap length")));
}

#[test]
fn views_tree_oneline_hex_diagram_and_stats() {
    let tree = stdout(&run(&[
        "decode",
        &fixture("netns-arp-ping.pcap"),
        "--frame",
        "3",
    ]));
    assert!(tree.starts_with("Frame 3: 98 bytes on the wire, 98 captured, "));
    assert!(tree.contains("  OSI 3 network · ICMP message · router, layer-3 switch · bytes 34-97"));
    let zh = stdout(&run(&[
        "--lang",
        "zh",
        "decode",
        &fixture("netns-arp-ping.pcap"),
        "--count",
        "1",
    ]));
    assert!(zh.contains("OSI 第 2 层 数据链路层 · ARP 数据包"), "{zh}");

    let one = stdout(&run(&[
        "decode",
        &fixture("netns-arp-ping.pcap"),
        "--oneline",
    ]));
    let lines: Vec<&str> = one.lines().collect();
    assert_eq!(lines.len(), 4);
    assert!(lines[0].ends_with("ARP who has 10.99.0.2? tell 10.99.0.1 (42 B)"));
    assert!(lines[1].ends_with("ARP 10.99.0.2 is at 02:00:0a:63:00:02 (42 B)"));
    assert!(lines[2].ends_with("10.99.0.1 > 10.99.0.2 ICMP echo request (8/0) (98 B)"));

    let hex = stdout(&run(&[
        "decode",
        &fixture("netns-arp-ping.pcap"),
        "--hex",
        "--count",
        "1",
    ]));
    assert!(hex.contains("E Ethernet II 0-13  A ARP 14-41"), "{hex}");

    let dir = temp_dir("diagram");
    let file = dir.join("seed.pcap");
    assert!(run(&["encode", "-o", file.to_str().unwrap()])
        .status
        .success());
    let diagram = stdout(&run(&["decode", file.to_str().unwrap(), "--diagram"]));
    for row in [
        "IPv4 (RFC 791), bytes 14-33",
        "|Version|  IHL  |   DSCP    |ECN|         Total Length          |",
        "|   4   |5×4=20 |     0     | 0 |              46               |",
        "|  source_port  |        destination_port       |",
    ] {
        assert!(
            diagram.contains(row) || row.starts_with("|  source"),
            "missing {row:?} in\n{diagram}"
        );
    }
    assert!(
        diagram.contains("|          Source Port          |       Destination Port        |"),
        "{diagram}"
    );
    assert!(
        diagram.contains("|             51000             |             9999              |"),
        "{diagram}"
    );

    let stats = stdout(&run(&[
        "decode",
        &fixture("loopback-tcp-hello.pcap"),
        "--stats",
    ]));
    assert!(
        stats.starts_with("Protocol hierarchy: 10 frames, 691 bytes"),
        "{stats}"
    );
    assert!(stats.contains("Ethernet II                                    10        691"));
    assert!(stats.contains("      data                                      2        147"));
    assert!(stats.contains("checksum offload (not errors): 10"));
    assert!(stats.contains("      10  TCP bad checksum (offload)"));
}

#[test]
fn frame_selection() {
    let file = fixture("loopback-tcp-hello.pcap");
    let numbers = |args: &[&str]| -> Vec<u64> {
        let mut all = vec![file.as_str()];
        all.extend_from_slice(args);
        frames(&all)
            .iter()
            .map(|f| f["frame"].as_u64().unwrap())
            .collect()
    };
    assert_eq!(numbers(&["--frame", "4"]), [4]);
    assert_eq!(numbers(&["--count", "2"]), [1, 2]);
    assert_eq!(numbers(&["--skip", "8"]), [9, 10]);
    assert_eq!(numbers(&["--skip", "2", "--count", "3"]), [3, 4, 5]);
    let o = run(&["decode", &file, "--frame", "0"]);
    assert_eq!(o.status.code(), Some(2));
    // Frames past the end are not silently nothing: the message says where the input ends,
    // read in chunks (a file) or as a stream alike.
    let bytes = std::fs::read(&file).unwrap();
    for (args, says) in [
        (
            &["--frame", "11"][..],
            "there is no frame 11: the input ends after frame 10",
        ),
        (
            &["--skip", "10"][..],
            "--skip 10 skips every frame: the input ends after frame 10",
        ),
        (
            &["--skip", "20", "--stats"][..],
            "--skip 20 skips every frame",
        ),
    ] {
        let mut all = vec!["decode", file.as_str()];
        all.extend_from_slice(args);
        for o in [run(&all), piped(&bytes, args)] {
            assert_eq!(o.status.code(), Some(1), "{args:?}");
            assert!(stderr(&o).contains(says), "{args:?}: {}", stderr(&o));
        }
    }
    assert_eq!(numbers(&["--frame", "10"]), [10]);
    assert_eq!(numbers(&["--skip", "9"]), [10]);
}

/// `-V` names the program, on every subcommand too, and the help points at nothing outside
/// the repository.
#[test]
fn version_and_help_are_the_programs() {
    for args in [&["-V"][..], &["decode", "-V"], &["tcp", "--version"]] {
        let o = run(args);
        assert!(o.status.success());
        assert_eq!(
            stdout(&o),
            format!("layers {}\n", env!("CARGO_PKG_VERSION")),
            "{args:?}"
        );
    }
    for cmd in [
        "encode", "decode", "table", "quiz", "subnet", "port", "journey", "tcp",
    ] {
        let help = stdout(&run(&[cmd, "--help"]));
        for outside in ["DESIGN.md", "../shared", "seed/"] {
            assert!(!help.contains(outside), "{cmd} --help mentions {outside}");
        }
    }
}

#[test]
fn broken_and_unknown_inputs() {
    // A file cut short: every whole frame first, then the broken record's offset, exit 1.
    let o = run(&["decode", &fixture("crafted-cut-short.pcap"), "--oneline"]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(stdout(&o).lines().count(), 24);
    assert_eq!(
        stderr(&o),
        format!(
            "error: {}: pcap record at byte 5189 is cut short: the file ends inside it\n",
            fixture("crafted-cut-short.pcap")
        )
    );
    // An empty capture: no frame, success.
    let o = run(&["decode", &fixture("crafted-empty.pcap")]);
    assert_eq!((o.status.code(), o.stdout.len()), (Some(0), 0));
    // A link type layers does not dissect is named, not taken for Ethernet.
    let o = run(&["decode", &fixture("crafted-80211.pcap")]);
    let out = stdout(&o);
    assert!(out.contains("link type IEEE802_11 (105)"), "{out}");
    assert!(out.contains("not dissected: link type 105 (IEEE802_11)"));
    assert!(!out.contains("Ethernet II"));
    // Text that is not hex, a missing file, an empty stdin.
    let o = piped(b"hello world\n", &[]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(stderr(&o), "error: <stdin>: hex text line 1 (byte 0): \"hello\" is not hex: expected pairs of hex digits\n");
    let o = run(&["decode", "/nonexistent/capture.pcap"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).starts_with("error: cannot read /nonexistent/capture.pcap: "));
    let o = piped(b"", &[]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("empty input: expected a pcap or pcapng file, hex text or a raw frame")
    );
    // Garbage that claims to be pcap.
    let o = piped(b"\xd4\xc3\xb2\xa1garbage", &["--oneline"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(!stderr(&o).contains("panicked"));
}

/// The letters the hex view puts under each byte (without colour), in frame order.
fn hex_letters(text: &str) -> Vec<char> {
    let lines: Vec<&str> = text.lines().collect();
    let mut letters = Vec::new();
    for pair in lines.windows(2) {
        let (row, marks) = (pair[0], pair[1]);
        if row.len() > 6 && row[..4].chars().all(|c| c.is_ascii_hexdigit()) {
            letters.extend(marks.split_whitespace().flat_map(|m| m.chars()));
        }
    }
    letters
}

#[test]
fn every_header_is_lettered_by_its_own_protocol_in_the_hex_view() {
    // IPv6 (with an extension header), ICMPv6, 802.3 with LLC, SNAP and a cooked capture:
    // no header byte may be lettered as padding.
    for (file, frame) in [
        ("crafted.pcap", "11"),
        ("crafted.pcap", "12"),
        ("crafted.pcap", "6"),
        ("crafted.pcap", "7"),
        ("loopback-any-sll2.pcap", "1"),
    ] {
        let json = frames(&[&fixture(file), "--frame", frame]);
        let o = run(&["decode", &fixture(file), "--frame", frame, "--hex"]);
        assert!(o.status.success(), "{}", stderr(&o));
        let letters = hex_letters(&stdout(&o));
        assert_eq!(
            letters.len() as u64,
            json[0]["captured_length"].as_u64().unwrap()
        );
        for l in json[0]["layers"].as_array().unwrap() {
            if l["osi"] == 1 || l["quoted"] == true {
                continue;
            }
            let name = l["protocol"].as_str().unwrap();
            let (start, end) = (
                l["span"][0].as_u64().unwrap() as usize,
                l["span"][1].as_u64().unwrap() as usize,
            );
            let header_start = l["spans"]
                .as_object()
                .unwrap()
                .values()
                .filter_map(|s| s[0].as_u64())
                .min()
                .unwrap_or(start as u64) as usize;
            let first = letters[header_start.min(end.saturating_sub(1))];
            assert_ne!(
                first, 'p',
                "{file} frame {frame}: {name} lettered as padding"
            );
        }
    }
}

#[test]
fn every_fixed_header_has_its_rfc_diagram() {
    // The RFCs' own field names, not the JSON's.
    let tcp = stdout(&run(&[
        "decode",
        &fixture("loopback-tcp-hello.pcap"),
        "--frame",
        "1",
        "--diagram",
    ]));
    for name in [
        "|Version|  IHL  |   DSCP    |ECN|         Total Length          |",
        "Time to Live",
        "Header Checksum",
        "Acknowledgment Number",
        "| Data  |",
        "|Offset |",
        "Urgent Pointer",
    ] {
        assert!(tcp.contains(name), "{name} in\n{tcp}");
    }
    assert!(!tcp.contains("header_"), "{tcp}");
    // Every flag bit, named down its column as RFC 9293 does, with its value; the reserved
    // bits and IPv4's reserved flag shown too.
    for row in [
        "| Data  |     |A|C|E|U|A|P|R|S|F|                               |",
        "|Offset |Rsrvd|E|W|C|R|C|S|S|Y|I|            Window             |",
        "|       |     | |R|E|G|K|H|T|N|N|                               |",
        "|10×4=40|  0  |0|0|0|0|0|0|0|1|0|             65495             |",
        "|        Identification         |R|D|M|     Fragment Offset     |",
    ] {
        assert!(tcp.contains(row), "{row} in\n{tcp}");
    }
    // The options, each drawn where its bytes are, with the values the bytes hold.
    let mut reader = pcap_file::pcap::PcapReader::new(
        std::fs::File::open(fixture("loopback-tcp-hello.pcap")).unwrap(),
    )
    .unwrap();
    let syn = reader.next_packet().unwrap().unwrap().data.into_owned();
    let options = &syn[54..74];
    assert_eq!(options[0], 2, "the SYN starts with its MSS");
    let mss = u16::from_be_bytes([options[2], options[3]]);
    let tsval = u32::from_be_bytes(options[8..12].try_into().unwrap());
    let shift = options[19];
    let rows: Vec<&str> = tcp.lines().collect();
    let after = |label: &str| {
        let i = rows
            .iter()
            .position(|l| l.contains(label))
            .unwrap_or_else(|| panic!("{label} in\n{tcp}"));
        rows[i + 1]
    };
    assert!(
        after("Maximum Segment Size").contains(&format!(" {mss} ")),
        "{tcp}"
    );
    assert!(after("TSval").contains(&format!(" {tsval} ")), "{tcp}");
    assert!(
        tcp.contains("4 SACKPermitted") && tcp.contains("1 NOP"),
        "{tcp}"
    );
    assert!(
        tcp.contains(&format!(
            "|     1 NOP     | 3 WindowScale |       3       |      {shift}       |"
        )),
        "{tcp}"
    );
    assert!(
        !tcp.contains("options and the rest"),
        "every option byte is drawn: {tcp}"
    );
    for (file, frame, want) in [
        (
            "crafted.pcap",
            "11",
            &["Ethernet II (", "IPv6 (RFC 8200)", "UDP ("][..],
        ),
        (
            "crafted.pcap",
            "12",
            &["IPv6 (RFC 8200)", "ICMPv6 (RFC 4443)"][..],
        ),
        (
            "crafted.pcap",
            "6",
            &["IEEE 802.3 (", "LLC (IEEE 802.2)"][..],
        ),
        (
            "loopback-any-sll2.pcap",
            "1",
            &["Linux SLL2 (", "IPv4 ("][..],
        ),
    ] {
        let o = run(&["decode", &fixture(file), "--frame", frame, "--diagram"]);
        assert!(o.status.success(), "{}", stderr(&o));
        let text = stdout(&o);
        for heading in want {
            assert!(
                text.lines().any(|l| l.starts_with(heading)),
                "{file} frame {frame}: no {heading} diagram in\n{text}"
            );
        }
    }
}

/// The fields of `protocol` in frame `frame`, as a JSON object.
fn fields_of(frames: &[Value], frame: usize, protocol: &str) -> Value {
    layer(&frames[frame - 1], protocol)["fields"].clone()
}

fn first_error(frames: &[Value], frame: usize) -> String {
    let errors = frames[frame - 1]["errors"].as_array().unwrap();
    errors
        .iter()
        .map(|e| format!("{} {} {}", e["protocol"], e["offset"], e["message"]))
        .collect::<Vec<_>>()
        .join(" | ")
}

#[test]
fn cut_and_lying_headers_keep_every_field_they_hold() {
    let fs = frames(&[&fixture("partial.pcap")]);
    // 1: all nine flag bits, AE (formerly NS) the ninth.
    let flags = &fields_of(&fs, 1, "TCP")["flags"];
    assert_eq!(
        flags,
        &json!(["FIN", "SYN", "RST", "PSH", "ACK", "URG", "ECE", "CWR", "AE"])
    );
    // 2: a SYN cut after 26 of its 40 header bytes (a 60-byte snap length).
    let syn = fields_of(&fs, 2, "TCP");
    assert_eq!(syn["source_port"], 51000);
    assert_eq!(syn["sequence"], 1000);
    assert_eq!(syn["flags"], json!(["SYN"]));
    assert_eq!(syn["window"], 8192);
    assert_eq!(syn["header_length"], 40);
    assert_eq!(syn["checksum_valid"], Value::Null);
    assert_eq!(
        syn["options"],
        json!([{"kind": "MSS", "value": 1460}, {"kind": "SACKPermitted"}])
    );
    assert!(syn.get("payload_length").is_none());
    let e = first_error(&fs, 2);
    assert!(e.contains("\"TCP\" 34 \"truncated: TCP header needs 40 bytes, 26 present (the header_length field says 40)"), "{e}");
    // 3: total length 0 with a whole segment behind it (TCP segmentation offload).
    let ip = fields_of(&fs, 3, "IPv4");
    assert_eq!(ip["total_length"], 0);
    assert_eq!(fields_of(&fs, 3, "TCP")["payload_length"], 300);
    assert_eq!(layer(&fs[2], "data")["fields"]["length"], 300);
    assert!(first_error(&fs, 3).contains("segmentation offload"));
    // 4: a total length that promises more than the wire carried; UDP is still read.
    assert!(first_error(&fs, 4).contains("IPv4 packet needs 1500 bytes, 33 present"));
    assert_eq!(fields_of(&fs, 4, "UDP")["length"], 13);
    // 5: an IHL of 60 cut after 16 bytes: the source is there, the destination is not.
    let ip = fields_of(&fs, 5, "IPv4");
    assert_eq!(ip["header_length"], 60);
    assert_eq!(ip["source"], "192.168.11.34");
    assert!(ip.get("destination").is_none());
    assert!(first_error(&fs, 5).contains("destination at byte 30"));
    // 6: a data offset of 60 with 20 header bytes: every fixed field.
    let tcp = fields_of(&fs, 6, "TCP");
    assert_eq!(tcp["acknowledgment"], 2000);
    assert_eq!(tcp["urgent_pointer"], 0);
    // 7: UDP whose length field lies: ports and the length as found.
    let udp = fields_of(&fs, 7, "UDP");
    assert_eq!(
        (udp["source_port"].clone(), udp["length"].clone()),
        (json!(51000), json!(100))
    );
    assert!(first_error(&fs, 7).contains("\"UDP\" 38 \"invalid length 100"));
    // 8: six bytes of TCP: the ports, and the sequence number named as the first missing.
    let tcp = fields_of(&fs, 8, "TCP");
    assert_eq!(tcp.as_object().unwrap().len(), 2, "{tcp}");
    assert!(first_error(&fs, 8).contains("sequence at byte 38 and what follows are missing"));
}

#[test]
fn a_capture_that_keeps_the_fcs_has_it_checked_not_read_as_padding() {
    for file in ["fcs.pcap", "fcs.pcapng"] {
        let fs = frames(&[&fixture(file)]);
        assert_eq!(fs.len(), 3);
        // Padding and FCS are the MAC's: fields of the Ethernet record (data link).
        let phy: Vec<&Value> = fs.iter().map(|f| &f["layers"][1]["fields"]).collect();
        assert_eq!(fs[0]["layers"][1]["protocol"], "Ethernet II");
        assert!(fs[0]["layers"][0]["fields"].get("fcs").is_none());
        // 45 bytes of headers and data, padded to 60, then the FCS: 15 bytes of padding,
        // not 19 (the FCS read as padding).
        assert_eq!(phy[0]["padding"], 15, "{file}: {}", phy[0]);
        assert_eq!(phy[0]["fcs_valid"], true, "{file}");
        assert_eq!(phy[1]["fcs_valid"], true, "{file}");
        assert_eq!(fs[1]["layers"][1]["spans"]["fcs"], json!([74, 78]));
        assert_eq!(phy[2]["fcs_valid"], false, "{file}");
        let e = &fs[2]["errors"][0];
        assert_eq!(
            (e["protocol"].clone(), e["offset"].clone()),
            (json!("Ethernet II"), json!(60))
        );
        assert!(
            e["message"].as_str().unwrap().starts_with("bad FCS 0x"),
            "{e}"
        );
        for f in &fs[..2] {
            assert_eq!(f["errors"], json!([]), "{file}: {f}");
        }
    }
}

/// A capture made by bench/gen-capture.py, and its ground truth; `None` (said) without python3.
pub fn generated(frames: usize) -> Option<(String, Value)> {
    // Each caller its own directory: tests run at once.
    static CALLS: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let call = CALLS.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let dir = temp_dir(&format!("generated-{frames}-{call}"));
    let pcap = dir.join("mixed.pcap");
    let script = format!("{}/bench/gen-capture.py", env!("CARGO_MANIFEST_DIR"));
    let made = Command::new("python3")
        .args([&script, &frames.to_string(), pcap.to_str().unwrap()])
        .output();
    match made {
        Ok(o) if o.status.success() => {}
        other => {
            eprintln!("skipped: python3 could not run bench/gen-capture.py: {other:?}");
            return None;
        }
    }
    let truth = std::fs::read_to_string(dir.join("mixed.pcap.truth.json")).unwrap();
    Some((
        pcap.to_str().unwrap().to_string(),
        serde_json::from_str(&truth).unwrap(),
    ))
}

#[test]
fn every_view_is_the_same_on_any_number_of_threads() {
    // 6000 frames: about 2.3 MB, so the file is read in several chunks at once.
    let Some((pcap, _)) = generated(6000) else {
        return;
    };
    let bytes = std::fs::read(&pcap).unwrap();
    for view in [
        "--stats",
        "--oneline",
        "--json",
        "--hex",
        "--diagram",
        "--count=6000",
    ] {
        let one = run(&["decode", &pcap, view, "--threads", "1"]);
        assert!(one.status.success(), "{view}: {}", stderr(&one));
        assert!(!one.stdout.is_empty());
        // A file is read in chunks, standard input as a stream: the same frames.
        let streamed = piped(&bytes, &[view]);
        assert!(
            one.stdout == streamed.stdout,
            "{view} of the file differs from {view} of standard input"
        );
        for n in ["2", "3", "8"] {
            let many = run(&["decode", &pcap, view, "--threads", n]);
            assert!(
                one.stdout == many.stdout,
                "{view} with {n} threads differs from one thread"
            );
        }
    }
    // Selections cut the same frames whatever the thread count.
    for sel in [["--skip", "4000"], ["--count", "7"], ["--frame", "5999"]] {
        let one = run(&[
            "decode",
            &pcap,
            "--oneline",
            sel[0],
            sel[1],
            "--threads",
            "1",
        ]);
        let two = run(&[
            "decode",
            &pcap,
            "--oneline",
            sel[0],
            sel[1],
            "--threads",
            "2",
        ]);
        assert_eq!(stdout(&one), stdout(&two), "{sel:?}");
        let streamed = piped(&bytes, &["--oneline", sel[0], sel[1]]);
        assert_eq!(stdout(&one), stdout(&streamed), "{sel:?}");
    }
}

#[test]
fn stats_count_what_the_generator_built() {
    let Some((pcap, truth)) = generated(20000) else {
        return;
    };
    let o = run(&["decode", &pcap, "--stats"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    // Every protocol path and prefix, with the frames that reach it.
    let mut want = std::collections::BTreeMap::<Vec<String>, u64>::new();
    for (path, n) in truth["paths"].as_object().unwrap() {
        let names: Vec<String> = path.split('/').map(str::to_string).collect();
        for depth in 1..=names.len() {
            *want.entry(names[..depth].to_vec()).or_default() += n.as_u64().unwrap();
        }
    }
    let mut got = std::collections::BTreeMap::<Vec<String>, u64>::new();
    let mut stack: Vec<String> = Vec::new();
    for line in text.lines().skip(2).take_while(|l| !l.is_empty()) {
        let depth = (line.len() - line.trim_start().len()) / 2;
        let cols: Vec<&str> = line.split_whitespace().collect();
        let frames: u64 = cols[cols.len() - 2].parse().unwrap();
        let name = cols[..cols.len() - 2].join(" ");
        stack.truncate(depth);
        stack.push(name);
        got.insert(stack.clone(), frames);
    }
    assert_eq!(got, want);
    let first = text.lines().next().unwrap();
    let total = format!(
        "{} frames, {} bytes",
        truth["frames"].as_u64().unwrap(),
        truth["bytes"].as_u64().unwrap()
    );
    assert!(first.contains(&total), "{first}");
}

/// The bytes of `file` up to the end of its first frame: the pcap header and first record, or
/// the pcapng blocks up to the first enhanced packet block.
fn through_first_frame(file: &str) -> (Vec<u8>, Vec<u8>) {
    let data = std::fs::read(fixture(file)).unwrap();
    let le32 = |at: usize| u32::from_le_bytes(data[at..at + 4].try_into().unwrap()) as usize;
    let end = if data[..4] == [0x0a, 0x0d, 0x0d, 0x0a] {
        let mut at = 0;
        loop {
            let (kind, len) = (le32(at), le32(at + 4));
            at += len;
            if kind == 6 {
                break at;
            }
        }
    } else {
        24 + 16 + le32(24 + 8)
    };
    (data[..end].to_vec(), data[end..].to_vec())
}

#[test]
fn standard_input_is_shown_frame_by_frame_as_it_arrives() {
    use std::io::{BufRead, BufReader};
    use std::sync::mpsc;
    use std::time::Duration;
    for file in ["loopback-tcp-hello.pcap", "loopback-udp.pcapng"] {
        let (first, rest) = through_first_frame(file);
        let mut child = layers()
            .args(["decode", "-", "--oneline"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        stdin.write_all(&first).unwrap();
        stdin.flush().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, rx) = mpsc::channel();
        let reader = std::thread::spawn(move || {
            let mut lines = BufReader::new(stdout).lines();
            let first = lines.next().and_then(Result::ok);
            tx.send(first).unwrap();
            lines.count()
        });
        // The first frame is shown while the writer still holds the pipe open.
        let line = rx.recv_timeout(Duration::from_secs(10));
        assert!(
            matches!(&line, Ok(Some(l)) if l.starts_with("1 ")),
            "{file}: {line:?}"
        );
        stdin.write_all(&rest).unwrap();
        drop(stdin);
        let more = reader.join().unwrap();
        assert!(child.wait().unwrap().success());
        assert!(more >= 1, "{file}: {more} more lines");
    }
}

#[test]
fn gzip_compressed_inputs_read_as_what_they_hold() {
    use flate2::write::GzEncoder;
    let dir = temp_dir("gzip");
    for file in [
        "loopback-tcp-hello.pcap",
        "crafted-multi.pcapng",
        "seed-arp.hex",
    ] {
        let plain = std::fs::read(fixture(file)).unwrap();
        let mut gz = GzEncoder::new(Vec::new(), flate2::Compression::default());
        gz.write_all(&plain).unwrap();
        let path = dir.join(format!("{file}.gz"));
        std::fs::write(&path, gz.finish().unwrap()).unwrap();
        let want = run(&["decode", "--json", &fixture(file)]);
        let got = run(&["decode", "--json", path.to_str().unwrap()]);
        assert!(got.status.success(), "{file}.gz: {}", stderr(&got));
        assert_eq!(stdout(&got), stdout(&want), "{file}.gz");
        // Through standard input too.
        let piped = piped(&std::fs::read(&path).unwrap(), &["--json"]);
        assert_eq!(stdout(&piped), stdout(&want), "{file}.gz on stdin");
    }
}

#[test]
fn a_reader_that_stops_early_ends_decode_quietly_on_any_number_of_threads() {
    use std::io::{BufRead, BufReader};
    use std::time::{Duration, Instant};
    let Some((pcap, _)) = generated(6000) else {
        return;
    };
    for threads in ["1", "2", "4"] {
        for view in ["--oneline", "--json"] {
            let mut child = layers()
                .args(["decode", &pcap, view, "--threads", threads])
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            let mut first = String::new();
            BufReader::new(child.stdout.take().unwrap())
                .read_line(&mut first)
                .unwrap();
            assert!(!first.is_empty());
            // The pipe is closed now: like `layers decode big.pcap | head -1`.
            let start = Instant::now();
            let status = loop {
                if let Some(status) = child.try_wait().unwrap() {
                    break status;
                }
                if start.elapsed() > Duration::from_secs(20) {
                    let _ = child.kill();
                    panic!("{view} --threads {threads} hung after its reader went away");
                }
                std::thread::sleep(Duration::from_millis(20));
            };
            let mut err = String::new();
            std::io::Read::read_to_string(&mut child.stderr.take().unwrap(), &mut err).unwrap();
            assert!(
                status.success(),
                "{view} --threads {threads}: {status} {err}"
            );
            assert_eq!(err, "", "{view} --threads {threads}");
        }
    }
}

/// The tree names what numbers mean beside them, as Wireshark does.
#[test]
fn the_tree_names_what_numbers_mean() {
    let arp = stdout(&run(&[
        "decode",
        &fixture("netns-arp-ping.pcap"),
        "--frame",
        "1",
    ]));
    for line in [
        "ethertype    0x0806 (ARP)",
        "destination  ff:ff:ff:ff:ff:ff (broadcast)",
        "source       02:00:0a:63:00:01 (unicast, locally administered)",
        "operation      1 (request)",
        "protocol_type  0x0800 (IPv4)",
    ] {
        assert!(arp.contains(line), "{line}: {arp}");
    }
    let ping = stdout(&run(&[
        "decode",
        &fixture("netns-arp-ping.pcap"),
        "--frame",
        "3",
    ]));
    assert!(ping.contains("protocol         1 (ICMP)"), "{ping}");
    assert!(ping.contains("type            8 (echo request)"), "{ping}");
    let zh = stdout(&run(&[
        "--lang",
        "zh",
        "decode",
        &fixture("netns-arp-ping.pcap"),
        "--frame",
        "3",
    ]));
    assert!(zh.contains("      类型        8(回显请求)"), "{zh}");
    assert!(zh.contains("      协议              1(ICMP)"), "{zh}");
    let dns = stdout(&run(&[
        "decode",
        &fixture("loopback-dns.pcap"),
        "--frame",
        "1",
    ]));
    assert!(dns.contains("destination_port  53 (domain)"), "{dns}");
    assert!(dns.contains("protocol         17 (UDP)"), "{dns}");
    assert!(
        dns.contains("00:00:00:00:00:00 (all zeros: no NIC, the loopback interface)"),
        "{dns}"
    );
}

/// In Chinese, the statistics' problem lines and the one-line summaries have no English
/// words (protocol names, field abbreviations like seq= and units stay).
#[test]
fn chinese_stats_and_oneline_have_no_english_words() {
    let stats = stdout(&run(&[
        "--lang",
        "zh",
        "decode",
        &fixture("loopback-dns.pcap"),
        "--stats",
    ]));
    assert!(stats.contains("TCP 校验和错误(校验和卸载)"), "{stats}");
    assert!(!stats.contains("bad checksum"), "{stats}");
    let arp = stdout(&run(&[
        "--lang",
        "zh",
        "decode",
        &fixture("netns-arp-ping.pcap"),
        "--oneline",
    ]));
    assert!(arp.contains("ARP 谁是 10.99.0.2?请告诉 10.99.0.1"), "{arp}");
    assert!(arp.contains("ARP 10.99.0.2 在 02:00:0a:63:00:02"), "{arp}");
    let crafted = stdout(&run(&[
        "--lang",
        "zh",
        "decode",
        &fixture("crafted.pcap"),
        "--oneline",
    ]));
    for english in ["who has", "is at", "fragment", "query", "response"] {
        assert!(!crafted.contains(english), "{english}: {crafted}");
    }
    assert!(crafted.contains("DNS 查询 标识=4660"), "{crafted}");
}

/// Counts read naturally: "1 frame", not "1 frames"; no "IP fragment fragment".
#[test]
fn plurals_and_names_read_naturally() {
    let one = stdout(&run(&["decode", &fixture("seed-arp.hex"), "--stats"]));
    assert!(
        one.starts_with("Protocol hierarchy: 1 frame, 60 bytes"),
        "{one}"
    );
    let frag = stdout(&run(&["decode", &fixture("crafted.pcap"), "--frame", "4"]));
    assert!(frag.contains("· IP fragment ·"), "{frag}");
    assert!(!frag.contains("fragment fragment"), "{frag}");
    let zh = stdout(&run(&[
        "--lang",
        "zh",
        "decode",
        &fixture("crafted.pcap"),
        "--frame",
        "4",
    ]));
    assert!(zh.contains("· IP fragment 分片 ·"), "{zh}");
}

/// The Chinese views name every field in Chinese: each field any fixture's frames have, and
/// each field `encode` writes, has a Chinese name (the JSON keeps the English one).
#[test]
fn every_field_has_a_chinese_name() {
    let mut missing = std::collections::BTreeSet::new();
    let mut seen = 0;
    let mut check = |frame: &serde_json::Value| {
        for l in frame["layers"].as_array().into_iter().flatten() {
            let name = l["protocol"].as_str().unwrap();
            let id = layers_osi::ProtocolId::named(name).unwrap_or_else(|| panic!("{name}"));
            for field in l["fields"].as_object().into_iter().flat_map(|m| m.keys()) {
                seen += 1;
                if !layers_osi::has_zh_label(id, field) {
                    missing.insert(format!("{name} {field}"));
                }
            }
        }
    };
    for entry in
        std::fs::read_dir(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures"))
            .unwrap()
    {
        let path = entry.unwrap().path();
        if !matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("pcap" | "pcapng" | "hex")
        ) {
            continue;
        }
        let o = run(&["decode", "--json", path.to_str().unwrap()]);
        for line in stdout(&o).lines() {
            check(&serde_json::from_str(line).unwrap());
        }
    }
    for args in [
        &["--proto", "arp"][..],
        &["--proto", "udp", "--to", "192.168.11.53:dns"],
        &["--proto", "icmp", "--vlan", "10"],
        &["--flags", "SYN", "--mss", "1460", "--seq", "0"],
    ] {
        check(&encode_json(args));
    }
    assert!(seen > 500, "the fixtures have fields: {seen}");
    assert!(missing.is_empty(), "no Chinese name: {missing:?}");
}

/// A hex text with one stray byte (a control from a bad paste) is still read as hex text
/// and refused at the stray byte's line, not silently read as one raw frame; `--format
/// raw` still reads its bytes.
#[test]
fn a_stray_byte_in_hex_text_is_named_not_read_as_raw() {
    let dir = temp_dir("stray-hex");
    let file = dir.join("stray.hex");
    let mut text = b"00 11 22 33 44 55 66 77 88 99 aa bb cc dd ee ff\n".repeat(20);
    text[100] = 0x01;
    std::fs::write(&file, &text).unwrap();
    let o = run(&["decode", file.to_str().unwrap(), "--oneline"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("hex text line 3 (byte 96)"),
        "{}",
        stderr(&o)
    );
    let o = run(&[
        "decode",
        file.to_str().unwrap(),
        "--format",
        "raw",
        "--json",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let frame: Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    assert_eq!(frame["captured_length"], text.len());
}

#[test]
fn cooked_and_raw_ip_captures_have_bits_not_an_ethernet_phy() {
    // A cooked capture (tcpdump -i any) and a raw-IP interface say nothing of the medium:
    // their physical record is the bits alone, with no preamble, SFD or gap.
    for (file, frame) in [
        ("loopback-any-sll2.pcap", "1"),
        ("crafted-multi.pcapng", "2"),
    ] {
        let o = run(&["decode", &fixture(file), "--json", "--frame", frame]);
        assert!(o.status.success(), "{}", stderr(&o));
        let f: Value = serde_json::from_str(stdout(&o).trim()).unwrap();
        let phy = &f["layers"][0];
        assert_eq!(phy["osi"], 1, "{file}");
        assert_eq!(phy["protocol"], "bits", "{file}: {phy}");
        let fields = phy["fields"].as_object().unwrap();
        assert_eq!(fields.keys().collect::<Vec<_>>(), ["bits"], "{file}: {phy}");
        assert_eq!(fields["bits"], f["captured_length"].as_u64().unwrap() * 8);
    }
    // An Ethernet frame keeps its PHY.
    let o = run(&[
        "decode",
        &fixture("netns-arp-ping.pcap"),
        "--json",
        "--frame",
        "1",
    ]);
    let f: Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    assert_eq!(f["layers"][0]["protocol"], "Ethernet PHY");
}
