//! `layers journey`: every step of the default network, the pcapng per link checked by
//! tshark, TTL expiry, fragmentation, topology files and their errors.

use std::collections::BTreeMap;
use std::process::Command;

use serde_json::Value;

use crate::interop::tshark;
use crate::util::{run, stderr, stdout, temp_dir};

fn topology(name: &str) -> String {
    format!(
        "{}/fixtures/topologies/{name}.toml",
        env!("CARGO_MANIFEST_DIR")
    )
}

#[test]
fn the_default_journey_shows_every_device_at_its_layer() {
    let out = stdout(&run(&["journey"]));
    for line in [
        " 1. A (host, reads layers 1-3): ANDs 192.168.12.53 with 255.255.255.0: 192.168.12.0, not its own network 192.168.11.0: send via the gateway 192.168.11.1",
        " 2. A (host, reads layers 1-2): does not know 192.168.11.1's MAC: broadcasts an ARP request \"who has 192.168.11.1?\"",
        " 3. SW1 (switch, reads layers 1-2): learns: 02:00:c0:a8:0b:22 is on port 1",
        " 4. SW1 (switch, reads layers 1-2): broadcast: floods out of ports 2, 3",
        " 5. C (host, reads layers 1-2): reads the broadcast ARP request: it asks for 192.168.11.1, not for it; ignores it",
        "12. SW1 (switch, reads layers 1-2): looks up 02:00:c0:a8:0b:01: port 3; forwards out of that port only",
        "13. R1 (router, reads layers 1-3): reads the IP header only: 192.168.12.53 matches 192.168.12.0/24, connected on eth1",
        "14. R1 (router, reads layers 1-3): TTL 64 -> 63, header checksum 0xe221 -> 0xe321 (the TTL changed, so it must be recomputed)",
        "      Ethernet II destination (bytes 0-5): 02:00:c0:a8:0b:01 -> 02:00:c0:a8:0c:35",
        "      IPv4 ttl (bytes 22-22): 64 -> 63",
        "25. B (host, reads every layer): receives the 46-byte IP packet for it and passes it up, layer by layer, to data",
    ] {
        assert!(out.lines().any(|l| l == line), "missing {line:?} in\n{out}");
    }
    let zh = stdout(&run(&["--lang", "zh", "journey"]));
    assert!(
        zh.contains("R1 (路由器, 读取第 1-3 层): 只读到 IP 首部"),
        "{zh}"
    );
    let j: Value = serde_json::from_str(&stdout(&run(&["journey", "--json"]))).unwrap();
    assert_eq!(j["steps"].as_array().unwrap().len(), 25);
    assert_eq!(j["steps"][12]["reads"], 3);
}

#[test]
fn the_pcapng_has_one_interface_per_link_and_tshark_agrees() {
    let dir = temp_dir("journey-pcapng");
    let file = dir.join("j.pcapng");
    let o = run(&["journey", "-o", file.to_str().unwrap()]);
    assert!(
        stdout(&o).ends_with("(13 frames on 5 links, one pcapng interface per link)\n"),
        "{}",
        stdout(&o)
    );
    let Some(tshark) = tshark() else { return };
    let fields = [
        "frame.interface_name",
        "eth.src",
        "eth.dst",
        "ip.ttl",
        "ip.checksum.status",
        "tcp.checksum.status",
        "ip.src",
        "ip.dst",
        "tcp.payload",
        "ip.id",
        "ip.len",
        "tcp.seq_raw",
    ];
    let mut args: Vec<String> = vec![
        "-r".into(),
        file.to_str().unwrap().into(),
        "-T".into(),
        "fields".into(),
    ];
    for opt in ["ip.check_checksum:TRUE", "tcp.check_checksum:TRUE"] {
        args.extend(["-o".into(), opt.into()]);
    }
    for f in fields {
        args.extend(["-e".into(), f.into()]);
    }
    let t = Command::new(tshark).args(&args).output().unwrap();
    let rows: Vec<Vec<String>> = String::from_utf8_lossy(&t.stdout)
        .lines()
        .map(|l| l.split('\t').map(str::to_string).collect())
        .collect();
    let data: Vec<&Vec<String>> = rows.iter().filter(|r| !r[3].is_empty()).collect();
    assert_eq!(data.len(), 4, "the data frame on four links");
    let mut by_link: BTreeMap<&str, &Vec<String>> = BTreeMap::new();
    for r in &data {
        by_link.insert(r[0].as_str(), r);
        assert_eq!(
            (r[4].as_str(), r[5].as_str()),
            ("1", "1"),
            "valid IPv4 and TCP checksums: {r:?}"
        );
        let payload = r[8].replace(':', "");
        assert_eq!(
            (r[6].as_str(), r[7].as_str(), payload.as_str()),
            ("192.168.11.34", "192.168.12.53", "68656c6c6f21"),
            "same packet"
        );
        assert_eq!(
            (r[9].as_str(), r[10].as_str(), r[11].as_str()),
            ("0x0001", "46", "1"),
            "same packet"
        );
    }
    // Before the router: A's and the router's MACs, TTL 64; after: the router's and B's, TTL 63.
    for link in ["A-SW1", "R1.eth0-SW1"] {
        let r = by_link[link];
        assert_eq!(
            (r[1].as_str(), r[2].as_str(), r[3].as_str()),
            ("02:00:c0:a8:0b:22", "02:00:c0:a8:0b:01", "64"),
            "{link}"
        );
    }
    for link in ["R1.eth1-SW2", "B-SW2"] {
        let r = by_link[link];
        assert_eq!(
            (r[1].as_str(), r[2].as_str(), r[3].as_str()),
            ("02:00:c0:a8:0c:01", "02:00:c0:a8:0c:35", "63"),
            "{link}"
        );
    }
    // Wireshark's TCP analysis does not tell interfaces apart, so it calls the copies on the
    // later links retransmissions: each of those frames says which frame's packet it is.
    let t = Command::new(tshark)
        .args(["-r", file.to_str().unwrap(), "-T", "fields"])
        .args([
            "-e",
            "frame.number",
            "-e",
            "tcp.analysis.retransmission",
            "-e",
            "frame.comment",
        ])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&t.stdout);
    let rows: Vec<Vec<&str>> = text.lines().map(|l| l.split('\t').collect()).collect();
    let flagged: Vec<&Vec<&str>> = rows.iter().filter(|r| !r[1].is_empty()).collect();
    assert_eq!(flagged.len(), 3, "{text}");
    let first = rows
        .iter()
        .find(|r| r.get(2).is_some_and(|c| c.is_empty()) && r[0] == "6");
    assert!(first.is_some(), "the first copy has no comment: {text}");
    for r in flagged {
        assert!(
            r[2].starts_with("the packet of frame 6 again")
                && r[2].contains("not a retransmission"),
            "{r:?}"
        );
    }
}

/// A routing loop ends as on a real network: the TTL runs out and the router that drops
/// the packet sends ICMP time exceeded back to the sender; the rounds are told once.
#[test]
fn a_routing_loop_ends_by_ttl() {
    let dir = temp_dir("journey-loop");
    let file = dir.join("loop.pcapng");
    let o = run(&[
        "journey",
        "--topology",
        &topology("loop"),
        "--from",
        "A",
        "--to",
        "B",
        "-o",
        file.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let text = stdout(&o);
    let lines: Vec<&str> = text.lines().collect();
    let at = |needle: &str| {
        lines
            .iter()
            .position(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("{needle} in\n{text}"))
    };
    let looped = at("has forwarded this packet before (TTL 64 then, 62 now): a routing loop");
    let folded = at("steps of the loop's rounds not shown");
    let expired = at("the TTL would reach 0");
    let back = at("passes it up, layer by layer, to ICMP");
    assert!(
        looped < folded && folded < expired && expired < back,
        "{text}"
    );
    assert!(
        !text.contains("stopped after"),
        "the TTL ends it, not the step limit: {text}"
    );
    assert!(
        lines.len() < 100,
        "the rounds are folded: {} lines",
        lines.len()
    );
    let Some(tshark) = tshark() else { return };
    // Between the routers the packet's TTL falls by one a hop, down to 1, and A gets the
    // ICMP time exceeded that quotes it.
    let t = Command::new(tshark)
        .args(["-r", file.to_str().unwrap(), "-T", "fields"])
        .args([
            "-e",
            "frame.interface_name",
            "-e",
            "ip.ttl",
            "-e",
            "icmp.type",
            "-e",
            "tcp.srcport",
        ])
        .output()
        .unwrap();
    let out = String::from_utf8_lossy(&t.stdout);
    let ttls: Vec<u32> = out
        .lines()
        .map(|l| l.split('\t').collect::<Vec<_>>())
        .filter(|r| r[0] == "R1.eth1-SW2" && !r[3].is_empty() && r[2].is_empty())
        .filter_map(|r| r[1].parse().ok())
        .collect();
    assert!(ttls.len() > 50, "{out}");
    assert_eq!(ttls.first(), Some(&63), "{out}");
    assert!(ttls.windows(2).all(|w| w[1] < w[0]), "{ttls:?}");
    assert!(ttls.last().unwrap() <= &2, "{ttls:?}");
    assert!(
        out.lines()
            .map(|l| l.split('\t').collect::<Vec<_>>())
            .any(|r| r[0] == "A-SW1" && r[2] == "11"),
        "A receives ICMP time exceeded: {out}"
    );
}

#[test]
fn ttl_expiry_and_the_mtu() {
    let out = stdout(&run(&["journey", "--ttl", "1"]));
    assert!(out.contains("R1 (router, reads layers 1-3): the TTL would reach 0: drops the packet and sends ICMP time exceeded back to the source"));
    assert!(out.contains("A (host, reads every layer): receives the 56-byte IP packet for it and passes it up, layer by layer, to ICMP"));
    assert!(!out.contains("B (host, reads every layer)"));
    let out = stdout(&run(&["journey", "--mtu", "576", "--payload-size", "1000"]));
    assert!(out.contains("R1 (router, reads layers 1-3): the packet exceeds the next link's MTU 576: cuts it into 2 fragments"));
    // Reassembled first: one packet goes up.
    assert_eq!(
        out.matches("B (host, reads every layer): receives").count(),
        1
    );
    let out = stdout(&run(&[
        "journey",
        "--mtu",
        "576",
        "--payload-size",
        "1000",
        "--df",
    ]));
    assert!(out.contains("the 1040-byte packet exceeds the next link's MTU 576 and DF is set: drops it and sends ICMP fragmentation needed back"));
    let o = run(&["journey", "--mtu", "20"]);
    assert_eq!(o.status.code(), Some(2));
}

#[test]
fn topology_files_of_other_shapes() {
    let out = stdout(&run(&["journey", "--topology", &topology("same-subnet")]));
    assert!(out.contains("192.168.11.0, its own network 192.168.11.0: deliver directly"));
    assert!(!out.contains("router"));
    let out = stdout(&run(&["journey", "--topology", &topology("hub")]));
    assert!(out.contains("HUB (hub, reads layer 1 only): repeats the bits out of ports [2, 3]: a hub reads no address"));
    assert!(out.contains("C (host, reads layers 1-2): its NIC reads destination 02:00:0a:00:00:02: not for it, drops the frame"));
    let out = stdout(&run(&["journey", "--topology", &topology("two-routers")]));
    assert!(out.contains("R1 (router, reads layers 1-3): reads the IP header only: 10.20.0.53 matches 10.20.0.0/16 (longest prefix), via 172.16.0.2 on eth1"));
    assert!(out.contains("TTL 63 -> 62"));
    assert!(out
        .lines()
        .last()
        .unwrap()
        .contains("B (host, reads every layer): receives"));
}

#[test]
fn topology_errors_are_one_line() {
    let dir = temp_dir("journey-errors");
    let bad = dir.join("bad.toml");
    std::fs::write(
        &bad,
        "[[host]]\nname = 'A'\nip = '10.0.0.1/24'\nlink = 'nowhere'\n",
    )
    .unwrap();
    let o = run(&["journey", "--topology", bad.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert_eq!(
        stderr(&o),
        format!(
            "error: {}: A is linked to \"nowhere\", which is no switch or hub of the topology\n",
            bad.display()
        )
    );
    std::fs::write(&bad, "x = [\n").unwrap();
    let o = run(&["journey", "--topology", bad.to_str().unwrap()]);
    assert!(
        stderr(&o).contains("not a topology: line "),
        "{}",
        stderr(&o)
    );
    assert_eq!(stderr(&o).lines().count(), 1);
    let o = run(&["journey", "--to", "Z"]);
    assert_eq!(
        (o.status.code(), stderr(&o)),
        (
            Some(2),
            "error: no host named \"Z\" in the topology; its hosts are A, C, B\n".to_string()
        )
    );
    // No route: the router says so and the walk ends.
    std::fs::write(
        &bad,
        std::fs::read_to_string(topology("two-routers"))
            .unwrap()
            .replace("network = \"10.20.0.0/16\"", "network = \"10.30.0.0/16\""),
    )
    .unwrap();
    let out = stdout(&run(&["journey", "--topology", bad.to_str().unwrap()]));
    assert!(
        out.contains("R1 (router, reads layers 1-3): has no route to 10.20.0.53: drops the packet"),
        "{out}"
    );
}

/// Fragments are put back together at the destination before they go up; an unknown host's
/// error lists the hosts there are.
#[test]
fn fragments_are_reassembled_and_unknown_hosts_named() {
    let text = stdout(&run(&["journey", "--mtu", "576", "--payload-size", "1000"]));
    let b: Vec<&str> = text.lines().filter(|l| l.contains(". B (host")).collect();
    assert!(
        b.iter()
            .any(|l| l.contains("reassembles 2 fragments into the 1040-byte packet")),
        "{text}"
    );
    assert!(
        b.last()
            .unwrap()
            .contains("receives the 1040-byte IP packet"),
        "{text}"
    );
    assert_eq!(
        text.matches("receives the").count(),
        1,
        "one packet goes up: {text}"
    );
    let o = run(&["journey", "--to", "Z"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("its hosts are A, C, B"),
        "{}",
        stderr(&o)
    );
}

/// A host never sends more than its own link's MTU: it fragments, or with DF refuses.
#[test]
fn a_host_never_sends_more_than_its_links_mtu() {
    let text = stdout(&run(&["journey", "--payload-size", "3000"]));
    assert!(text.contains("2. A (host, reads layers 1-3): the packet exceeds the next link's MTU 1500: cuts it into 3 fragments"), "{text}");
    assert!(
        text.contains("reassembles 3 fragments into the 3040-byte packet"),
        "{text}"
    );
    let doc: Value = serde_json::from_str(&stdout(&run(&[
        "journey",
        "--payload-size",
        "3000",
        "--json",
    ])))
    .unwrap();
    for f in doc["frames"].as_array().unwrap() {
        let bytes = f["bytes"].as_str().unwrap().len() / 2;
        assert!(bytes <= 1514, "a {bytes}-byte frame on {}", f["link"]);
    }
    // More than one IPv4 packet can hold is refused, not cut silently.
    let o = run(&["journey", "--payload-size", "70000"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("--payload-size 70000"),
        "{}",
        stderr(&o)
    );
    assert!(run(&["journey", "--payload-size", "65495"])
        .status
        .success());
    let df = stdout(&run(&["journey", "--payload-size", "3000", "--df"]));
    assert!(df.contains("DF is set: it cannot be sent"), "{df}");
    assert!(!df.contains("sends the frame"), "{df}");
}

/// An ARP request nobody answers ends the journey with a sentence, not in silence.
#[test]
fn an_unanswered_arp_says_so() {
    let topo = format!(
        "{}/fixtures/topologies/no-gateway.toml",
        env!("CARGO_MANIFEST_DIR")
    );
    let o = run(&["journey", "--topology", &topo, "--from", "A", "--to", "B"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let last = stdout(&o).lines().last().unwrap_or_default().to_string();
    assert!(
        last.contains("nobody answers \"who has 10.0.0.254?\""),
        "{last}"
    );
    assert!(
        last.contains("the packet waiting for it is dropped"),
        "{last}"
    );
}
