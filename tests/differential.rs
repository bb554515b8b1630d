//! `layers decode` against tshark: for every frame of every fixture capture, every field of
//! DESIGN's JSON contract that tshark also shows must agree (in tshark's units: its IPv4
//! fragment offset counts 8-byte blocks, its TCP flags are a hex number, its booleans 0/1).

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::interop::tshark;
use crate::util::{run, stderr, stdout};

/// How a tshark value is turned into ours.
#[derive(Clone, Copy)]
enum Unit {
    /// The same text.
    Same,
    /// A number, possibly written in hex by tshark.
    Number,
    /// 0/1 as false/true.
    Bool,
    /// tshark's 8-byte blocks, ours bytes.
    Blocks,
    /// tshark's flag bits in hex, ours the flag names.
    TcpFlags,
    /// tshark's checksum status (0 bad, 1 good, 2 unverified), ours true/false/null.
    Status,
}

/// (our protocol, our field, tshark field, unit).
const FIELDS: &[(&str, &str, &str, Unit)] = &[
    ("Ethernet II", "destination", "eth.dst", Unit::Same),
    ("Ethernet II", "source", "eth.src", Unit::Same),
    ("Ethernet II", "ethertype", "eth.type", Unit::Same),
    ("IEEE 802.3", "length", "eth.len", Unit::Number),
    // Only frames whose capture keeps the FCS (fcs.pcap, fcs.pcapng) have these in tshark.
    ("Ethernet II", "fcs", "eth.fcs", Unit::Same),
    ("Ethernet II", "fcs_valid", "eth.fcs.status", Unit::Status),
    ("ARP", "hardware_type", "arp.hw.type", Unit::Number),
    ("ARP", "protocol_type", "arp.proto.type", Unit::Same),
    ("ARP", "operation", "arp.opcode", Unit::Number),
    ("ARP", "sender_mac", "arp.src.hw_mac", Unit::Same),
    ("ARP", "sender_ip", "arp.src.proto_ipv4", Unit::Same),
    ("ARP", "target_mac", "arp.dst.hw_mac", Unit::Same),
    ("ARP", "target_ip", "arp.dst.proto_ipv4", Unit::Same),
    ("IPv4", "version", "ip.version", Unit::Number),
    ("IPv4", "header_length", "ip.hdr_len", Unit::Number),
    ("IPv4", "dscp", "ip.dsfield.dscp", Unit::Number),
    ("IPv4", "ecn", "ip.dsfield.ecn", Unit::Number),
    ("IPv4", "total_length", "ip.len", Unit::Number),
    ("IPv4", "identification", "ip.id", Unit::Number),
    ("IPv4", "dont_fragment", "ip.flags.df", Unit::Bool),
    ("IPv4", "more_fragments", "ip.flags.mf", Unit::Bool),
    ("IPv4", "fragment_offset", "ip.frag_offset", Unit::Blocks),
    ("IPv4", "ttl", "ip.ttl", Unit::Number),
    ("IPv4", "protocol", "ip.proto", Unit::Number),
    ("IPv4", "checksum", "ip.checksum", Unit::Same),
    ("IPv4", "checksum_valid", "ip.checksum.status", Unit::Status),
    ("IPv4", "source", "ip.src", Unit::Same),
    ("IPv4", "destination", "ip.dst", Unit::Same),
    ("IPv6", "source", "ipv6.src", Unit::Same),
    ("IPv6", "destination", "ipv6.dst", Unit::Same),
    ("IPv6", "next_header", "ipv6.nxt", Unit::Number),
    ("IPv6", "hop_limit", "ipv6.hlim", Unit::Number),
    ("IPv6", "payload_length", "ipv6.plen", Unit::Number),
    ("ICMP", "type", "icmp.type", Unit::Number),
    ("ICMP", "code", "icmp.code", Unit::Number),
    ("ICMP", "checksum", "icmp.checksum", Unit::Same),
    (
        "ICMP",
        "checksum_valid",
        "icmp.checksum.status",
        Unit::Status,
    ),
    ("ICMPv6", "type", "icmpv6.type", Unit::Number),
    ("ICMPv6", "checksum", "icmpv6.checksum", Unit::Same),
    ("TCP", "source_port", "tcp.srcport", Unit::Number),
    ("TCP", "destination_port", "tcp.dstport", Unit::Number),
    ("TCP", "sequence", "tcp.seq_raw", Unit::Number),
    ("TCP", "acknowledgment", "tcp.ack_raw", Unit::Number),
    ("TCP", "header_length", "tcp.hdr_len", Unit::Number),
    ("TCP", "flags", "tcp.flags", Unit::TcpFlags),
    ("TCP", "window", "tcp.window_size_value", Unit::Number),
    ("TCP", "checksum", "tcp.checksum", Unit::Same),
    ("TCP", "checksum_valid", "tcp.checksum.status", Unit::Status),
    ("TCP", "urgent_pointer", "tcp.urgent_pointer", Unit::Number),
    ("TCP", "payload_length", "tcp.len", Unit::Number),
    ("UDP", "source_port", "udp.srcport", Unit::Number),
    ("UDP", "destination_port", "udp.dstport", Unit::Number),
    ("UDP", "length", "udp.length", Unit::Number),
    ("UDP", "checksum", "udp.checksum", Unit::Same),
    ("UDP", "checksum_valid", "udp.checksum.status", Unit::Status),
    ("HTTP", "method", "http.request.method", Unit::Same),
    ("HTTP", "uri", "http.request.uri", Unit::Same),
    ("HTTP", "status", "http.response.code", Unit::Number),
    ("DNS", "id", "dns.id", Unit::Number),
];

fn ours(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        Value::Null => "null".into(),
        Value::Array(a) => a.iter().map(ours).collect::<Vec<_>>().join(","),
        other => other.to_string(),
    }
}

fn theirs(text: &str, unit: Unit) -> String {
    let number = |t: &str| match t.strip_prefix("0x") {
        Some(h) => u64::from_str_radix(h, 16).unwrap_or(u64::MAX),
        None => t.parse().unwrap_or(u64::MAX),
    };
    match unit {
        Unit::Same => text.to_string(),
        Unit::Number => number(text).to_string(),
        Unit::Bool => (text == "1" || text == "True").to_string(),
        Unit::Blocks => (number(text) * 8).to_string(),
        Unit::TcpFlags => {
            // tshark's tcp.flags holds the 3 reserved bits above AE as well.
            let bits = (number(text) & 0x1ff) as u16;
            layers_transport::TcpFlags(bits).names().join(",")
        }
        Unit::Status => match text {
            "1" => "true".into(),
            "0" => "false".into(),
            _ => "null".into(),
        },
    }
}

fn fixtures() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            matches!(
                p.extension().and_then(|e| e.to_str()),
                Some("pcap" | "pcapng")
            )
        })
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            // Broken on purpose, or with nothing tshark and layers could both dissect.
            ![
                "crafted-cut-short.pcap",
                "crafted-80211.pcap",
                "crafted-empty.pcap",
            ]
            .contains(&name.as_ref())
        })
        .collect();
    files.sort();
    files
}

#[test]
fn every_fixture_frame_agrees_with_tshark() {
    let Some(tshark) = tshark() else { return };
    let mut compared = 0;
    for file in fixtures() {
        let o = run(&["decode", "--json", file.to_str().unwrap()]);
        assert!(o.status.success(), "{}: {}", file.display(), stderr(&o));
        let frames: Vec<Value> = stdout(&o)
            .lines()
            .map(|l| serde_json::from_str(l).unwrap())
            .collect();
        let mut args: Vec<String> = [
            "-r",
            file.to_str().unwrap(),
            "-T",
            "fields",
            "-E",
            "occurrence=f",
            "-E",
            "separator=\t",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        for opt in [
            "eth.check_fcs:TRUE",
            "ip.check_checksum:TRUE",
            "tcp.check_checksum:TRUE",
            "udp.check_checksum:TRUE",
            "ip.defragment:FALSE",
            "ipv6.defragment:FALSE",
            "tcp.desegment_tcp_streams:FALSE",
        ] {
            args.extend(["-o".to_string(), opt.to_string()]);
        }
        for f in ["frame.len", "frame.cap_len"]
            .iter()
            .chain(FIELDS.iter().map(|f| &f.2))
        {
            args.extend(["-e".to_string(), f.to_string()]);
        }
        let t = Command::new(tshark)
            .args(&args)
            .output()
            .expect("tshark runs");
        assert!(
            t.status.success(),
            "tshark: {}",
            String::from_utf8_lossy(&t.stderr)
        );
        let rows: Vec<String> = String::from_utf8_lossy(&t.stdout)
            .lines()
            .map(str::to_string)
            .collect();
        assert_eq!(rows.len(), frames.len(), "{}: frame count", file.display());
        for (frame, row) in frames.iter().zip(&rows) {
            let cols: Vec<&str> = row.split('\t').collect();
            let n = &frame["frame"];
            let at = format!("{} frame {n}", file.file_name().unwrap().to_string_lossy());
            assert_eq!(
                cols[0],
                frame["original_length"].to_string(),
                "{at}: frame.len"
            );
            assert_eq!(
                cols[1],
                frame["captured_length"].to_string(),
                "{at}: frame.cap_len"
            );
            let malformed = frame["errors"].as_array().unwrap().iter().any(|e| {
                e["message"]
                    .as_str()
                    .is_some_and(|m| m.starts_with("invalid") || m.starts_with("truncated"))
            });
            for ((proto, name, tfield, unit), col) in FIELDS.iter().zip(&cols[2..]) {
                if col.is_empty() {
                    continue;
                }
                let find = |p: &str| {
                    frame["layers"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .find(|l| l["protocol"] == p)
                };
                // tshark's eth.* cover both framings, and its ip.version both IP versions.
                let layer = find(proto).or_else(|| match (*proto, *name) {
                    ("Ethernet II", _) => find("IEEE 802.3"),
                    ("IPv4", "version") => find("IPv6"),
                    _ => None,
                });
                let value = layer.and_then(|l| l["fields"].get(*name));
                match value {
                    // tshark quirk: for an IPv4 total length of 0 (a capture on a host with
                    // TCP segmentation offload) it shows the length it presumes, not the
                    // header's 0. We keep the header's value and say what we presumed.
                    Some(v) if (*proto, *name) == ("IPv4", "total_length") && v == 0 => {
                        let presumed = format!("the frame: {col} bytes");
                        assert!(
                            frame["errors"]
                                .as_array()
                                .unwrap()
                                .iter()
                                .any(|e| e["message"]
                                    .as_str()
                                    .is_some_and(|m| m.contains("segmentation offload")
                                        && m.ends_with(&presumed))),
                            "{at}: total_length 0 without the offload note for {col} bytes"
                        );
                        compared += 1;
                    }
                    Some(v) => {
                        assert_eq!(
                            ours(v),
                            theirs(col, *unit),
                            "{at}: {proto}.{name} vs tshark {tfield}={col}"
                        );
                        compared += 1;
                    }
                    // A layer we stopped before, in a frame we call malformed; or a record
                    // of another shape (an 802.3 frame has no ethertype).
                    None => assert!(
                        malformed || (*proto == "Ethernet II" && *name == "ethertype"),
                        "{at}: {proto}.{name} missing, tshark has {tfield}={col}"
                    ),
                }
            }
        }
    }
    assert!(compared > 1000, "only {compared} fields compared");
}

/// Frames per protocol in a protocol hierarchy printed as indented `name ... frames` lines:
/// each protocol's frames counted once (a node inside another of the same protocol, such as
/// a second VLAN tag, is not counted again), and nothing under ICMP (the datagram an error
/// quotes is not the frame's own).
fn per_protocol(tree: &[(usize, String, u64)]) -> std::collections::BTreeMap<String, u64> {
    let mut out = std::collections::BTreeMap::new();
    let mut path: Vec<String> = Vec::new();
    for (depth, name, frames) in tree {
        path.truncate(*depth);
        let counted = !path.contains(name) && !path.iter().any(|p| p == "ICMP");
        path.push(name.clone());
        if counted {
            *out.entry(name.clone()).or_default() += frames;
        }
    }
    out
}

#[test]
fn stats_agree_with_tshark_protocol_hierarchy() {
    let Some(tshark) = tshark() else { return };
    let Some((pcap, _)) = crate::decode::generated(20000) else {
        return;
    };
    let ours = run(&["decode", &pcap, "--stats"]);
    assert!(ours.status.success(), "{}", stderr(&ours));
    let ours: Vec<(usize, String, u64)> = stdout(&ours)
        .lines()
        .skip(2)
        .take_while(|l| !l.is_empty())
        .map(|l| {
            let cols: Vec<&str> = l.split_whitespace().collect();
            let name = cols[..cols.len() - 2].join(" ");
            let frames = cols[cols.len() - 2].parse().unwrap();
            ((l.len() - l.trim_start().len()) / 2, name, frames)
        })
        .collect();
    let t = Command::new(tshark)
        .args(["-q", "-z", "io,phs", "-r", &pcap])
        .args(["-o", "tcp.desegment_tcp_streams:FALSE"])
        .args(["-o", "ip.defragment:FALSE"])
        .output()
        .unwrap();
    assert!(t.status.success());
    // tshark's names for the protocols both name; 802.1ad S-tags are 802.1Q records here.
    let named = |n: &str| -> Option<&str> {
        Some(match n {
            "eth" => "Ethernet II",
            "vlan" | "ieee8021ad" => "802.1Q",
            "arp" => "ARP",
            "ip" => "IPv4",
            "ipv6" => "IPv6",
            "icmp" => "ICMP",
            "tcp" => "TCP",
            "udp" => "UDP",
            "dns" => "DNS",
            _ => return None,
        })
    };
    let mut theirs = Vec::new();
    for line in String::from_utf8_lossy(&t.stdout).lines() {
        let Some((name, rest)) = line.trim_start().split_once(' ') else {
            continue;
        };
        let Some(frames) = rest
            .split_whitespace()
            .find_map(|w| w.strip_prefix("frames:"))
        else {
            continue;
        };
        let depth = (line.len() - line.trim_start().len()) / 2;
        // Protocols only tshark names keep their place in the tree under their own name.
        let name = named(name).map_or_else(|| format!("tshark:{name}"), str::to_string);
        theirs.push((depth, name, frames.parse().unwrap()));
    }
    let (ours, theirs) = (per_protocol(&ours), per_protocol(&theirs));
    let mut compared = 0;
    for (name, n) in &theirs {
        if name.starts_with("tshark:") {
            continue;
        }
        assert_eq!(
            ours.get(name),
            Some(n),
            "{name}: ours {ours:?}, tshark {theirs:?}"
        );
        compared += 1;
    }
    assert!(
        compared >= 8,
        "only {compared} protocols compared: {theirs:?}"
    );
}
