//! `decode --filter` selects exactly the frames tcpdump selects with the same expression,
//! on every fixture capture tcpdump reads and on a generated mixed capture (VLAN and QinQ
//! tags, IPv6, fragments, ARP, ICMP errors, cut and malformed frames).
//!
//! tcpdump writes what it selects (`-w`), and the whole capture as it read it; the frames
//! `layers` numbers are looked up in the latter, and the two lists of bytes must be equal.

use std::path::Path;
use std::process::Command;

use crate::decode::generated;
use crate::util::{run, skip_without, stderr, stdout, temp_dir};

/// Expressions that use every primitive, qualifier and operator the language takes.
const EXPRESSIONS: &[&str] = &[
    "tcp",
    "udp",
    "icmp",
    "icmp6",
    "arp",
    "rarp",
    "ip",
    "ip6",
    "vlan",
    "vlan and tcp",
    "vlan and vlan and udp",
    "vlan and ip6",
    "not vlan",
    "port 53",
    "port 9999 or 53",
    "tcp port 80",
    "udp port 53",
    "tcp port http or https",
    "src port 9999",
    "dst port 9999",
    "src or dst port 443",
    "src and dst port 9999",
    "udp dst port domain",
    "host 127.0.0.1",
    "host 192.168.11.7 or 192.168.11.8",
    "src host 192.168.11.2",
    "dst host 203.0.113.5",
    "ip host 192.168.11.9",
    "arp host 192.168.11.9",
    "ip src 203.0.113.1 or dst 203.0.113.2",
    "net 192.168.11.0/24",
    "net 203.0.113.0/28",
    "dst net 192.168",
    "net 127",
    "host ::1",
    "ip6 net 2001:db8::/32",
    "src net 2001:db8:1::/48",
    "ether host 00:00:00:00:00:00",
    "ether src 02:00:c0:a8:0b:01",
    "ether dst ff:ff:ff:ff:ff:ff",
    "ether dst 01:00:5e:00:00:16 or ether src 02-00-cb-00-71-03",
    "not tcp",
    "tcp and not port 80",
    "udp or arp and not icmp",
    "not (tcp or udp)",
    "(tcp or udp) and host 192.168.11.20",
    "tcp or udp and port 53",
    "! ip && ! ip6",
    "icmp or icmp6 || vlan and ip6",
    "host 192.168.11.3 and not (port 80 or 443)",
    "tcp and (port 80 or 443 or 5432) and not src net 203.0.113.0/24",
];

/// The captured bytes of every frame of a pcap file, in order.
fn frames_of(pcap: &Path) -> Vec<Vec<u8>> {
    let file = std::fs::File::open(pcap).unwrap();
    let mut reader = pcap_file::pcap::PcapReader::new(file).unwrap();
    let mut out = Vec::new();
    while let Some(p) = reader.next_packet() {
        out.push(p.unwrap().data.into_owned());
    }
    out
}

/// `tcpdump -r capture -w out [expr]`: what tcpdump selects, or `None` if it cannot read
/// the capture at all.
fn tcpdump_selects(capture: &str, expr: Option<&str>, out: &Path) -> Option<Vec<Vec<u8>>> {
    let mut cmd = Command::new("tcpdump");
    cmd.args(["-r", capture, "-w", out.to_str().unwrap()]);
    cmd.args(expr);
    let o = cmd.output().expect("tcpdump runs");
    if !o.status.success() {
        // `vlan` and `ether host` on a link without them (Linux cooked captures): tcpdump
        // refuses the expression, and `layers` selects nothing with it.
        let e = String::from_utf8_lossy(&o.stderr);
        let link = e.contains("no VLAN support") || e.contains("ethernet addresses supported only");
        assert!(
            expr.is_none() || link,
            "tcpdump refused {expr:?} on {capture}: {e}"
        );
        return if link { Some(Vec::new()) } else { None };
    }
    Some(frames_of(out))
}

/// The frame numbers `layers decode --filter` shows.
fn layers_selects(capture: &str, expr: &str) -> Vec<usize> {
    let o = run(&["decode", capture, "--oneline", "--filter", expr]);
    assert!(o.status.success(), "{capture} {expr}: {}", stderr(&o));
    stdout(&o)
        .lines()
        .map(|l| {
            let n = l.split_whitespace().next().unwrap_or_default();
            n.parse().unwrap_or_else(|_| panic!("a frame number: {l}"))
        })
        .collect()
}

fn compare(capture: &str, dir: &Path) -> usize {
    let Some(all) = tcpdump_selects(capture, None, &dir.join("all.pcap")) else {
        eprintln!("skipped {capture}: tcpdump does not read it");
        return 0;
    };
    let mut matched = 0;
    for expr in EXPRESSIONS {
        let theirs = tcpdump_selects(capture, Some(expr), &dir.join("sel.pcap")).unwrap();
        let ours: Vec<Vec<u8>> = layers_selects(capture, expr)
            .into_iter()
            .map(|n| all[n - 1].clone())
            .collect();
        assert_eq!(
            ours.len(),
            theirs.len(),
            "{capture}, {expr:?}: layers selects {} frames, tcpdump {}",
            ours.len(),
            theirs.len()
        );
        assert!(
            ours == theirs,
            "{capture}, {expr:?}: other frames than tcpdump's"
        );
        matched += theirs.len();
    }
    matched
}

#[test]
fn filters_select_what_tcpdump_selects_in_the_fixtures() {
    if Command::new("tcpdump").arg("--version").output().is_err() {
        return skip_without("tcpdump", "filters are compared with its selection");
    }
    let dir = temp_dir("filter-fixtures");
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
    let mut captures: Vec<String> = std::fs::read_dir(&fixtures)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "pcap" || e == "pcapng"))
        // 802.11: filters read Ethernet, Linux cooked and raw IP links only (README).
        .filter(|p| !p.ends_with("crafted-80211.pcap"))
        .map(|p| p.to_str().unwrap().to_string())
        .collect();
    captures.sort();
    let mut selected = 0;
    let mut read = 0;
    for c in &captures {
        let n = compare(c, &dir);
        selected += n;
        read += usize::from(n > 0);
    }
    // Most fixtures are loopback TCP and UDP: something must have been selected in them.
    assert!(read >= 8, "only {read} fixtures had frames selected");
    assert!(selected > 100, "{selected} frames selected in all");
}

#[test]
fn filters_select_what_tcpdump_selects_in_a_mixed_capture() {
    if Command::new("tcpdump").arg("--version").output().is_err() {
        return skip_without("tcpdump", "filters are compared with its selection");
    }
    let Some((pcap, _)) = generated(20_000) else {
        return;
    };
    let dir = temp_dir("filter-mixed");
    let selected = compare(&pcap, &dir);
    assert!(selected > 20_000, "{selected} frames selected in all");
}

#[test]
fn a_bad_expression_names_its_column_and_exits_2() {
    let capture = format!("{}/fixtures/loopback-dns.pcap", env!("CARGO_MANIFEST_DIR"));
    let o = run(&["decode", &capture, "--filter", "tcp and port x"]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(e.contains("column 14"), "{e}");
    assert!(e.contains("  tcp and port x\n               ^"), "{e}");
    assert!(stdout(&o).is_empty());
    let o = run(&[
        "--lang",
        "zh",
        "decode",
        &capture,
        "--filter",
        "tcp host 127.0.0.1",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let e = stderr(&o);
    assert!(
        e.contains("第 1 列") && e.contains("「tcp」不能修饰"),
        "{e}"
    );
}

#[test]
fn count_counts_the_frames_the_filter_selects_on_any_number_of_threads() {
    let Some((pcap, _)) = generated(6000) else {
        return;
    };
    let all = layers_selects(&pcap, "udp port 53");
    assert!(all.len() > 20, "{} DNS frames", all.len());
    for threads in ["1", "2", "3"] {
        for view in ["--oneline", "--json"] {
            let o = run(&[
                "decode",
                &pcap,
                view,
                "--filter",
                "udp port 53",
                "--count",
                "7",
                "--skip",
                "100",
                "--threads",
                threads,
            ]);
            assert!(o.status.success(), "{}", stderr(&o));
            let text = stdout(&o);
            let numbers: Vec<usize> = text
                .lines()
                .map(|l| {
                    let l = l.trim_start_matches("{\"frame\":");
                    let end = l.find(|c: char| !c.is_ascii_digit()).unwrap_or(l.len());
                    l[..end].parse().unwrap()
                })
                .collect();
            let wanted: Vec<usize> = all.iter().copied().filter(|&n| n > 100).take(7).collect();
            assert_eq!(numbers, wanted, "{view} --threads {threads}");
        }
    }
    // --stats counts only what the filter selects.
    let o = run(&["decode", &pcap, "--stats", "--filter", "arp"]);
    let text = stdout(&o);
    let arp = layers_selects(&pcap, "arp").len();
    assert!(
        text.lines()
            .next()
            .unwrap()
            .contains(&format!("{arp} frame")),
        "{arp} ARP frames: {text}"
    );
}

#[test]
fn standard_input_is_filtered_as_a_file_is() {
    let capture = format!("{}/fixtures/loopback-dns.pcap", env!("CARGO_MANIFEST_DIR"));
    let from_file = run(&["decode", &capture, "--oneline", "--filter", "udp port 53"]);
    let mut child = crate::util::layers()
        .args([
            "decode",
            "-",
            "--oneline",
            "--filter",
            "udp port 53",
            "--count",
            "1",
        ])
        .stdin(std::process::Stdio::from(
            std::fs::File::open(&capture).unwrap(),
        ))
        .output()
        .unwrap();
    assert!(child.status.success(), "{}", stderr(&child));
    let first = stdout(&from_file).lines().next().unwrap().to_string();
    assert_eq!(stdout(&child), format!("{first}\n"));
    // The stream's frames keep their numbers too: frame 1 of the file is the first query.
    child = crate::util::layers()
        .args(["decode", "-", "--json", "--filter", "tcp"])
        .stdin(std::process::Stdio::from(
            std::fs::File::open(&capture).unwrap(),
        ))
        .output()
        .unwrap();
    let text = stdout(&child);
    let numbers: Vec<&str> = text.lines().map(|l| l.split(',').next().unwrap()).collect();
    assert_eq!(numbers.len(), 11, "{numbers:?}");
    assert!(numbers.iter().all(|n| n.starts_with("{\"frame\":")));
    assert!(
        !numbers.contains(&"{\"frame\":1"),
        "frame 1 is UDP: {numbers:?}"
    );
}
