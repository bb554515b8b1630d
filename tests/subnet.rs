//! `layers subnet` and `layers port`, checked against the ipnet crate as an independent
//! computation.

use std::net::Ipv4Addr;

use ipnet::Ipv4Net as Reference;
use serde_json::Value;

use crate::util::{run, stderr, stdout};

fn subnet_json(args: &[&str]) -> Value {
    let mut all = vec!["subnet", "--json"];
    all.extend_from_slice(args);
    let o = run(&all);
    assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    serde_json::from_str(&stdout(&o)).unwrap()
}

#[test]
fn the_issue_example_shows_the_and_and_both_decisions() {
    let out = stdout(&run(&[
        "subnet",
        "192.168.11.53/255.255.255.0",
        "192.168.11.34",
        "8.8.8.8",
    ]));
    for line in [
        "  address   11000000.10101000.00001011.00110101   192.168.11.53",
        "  mask      11111111.11111111.11111111.00000000   255.255.255.0 (/24)",
        "  network   11000000.10101000.00001011.00000000   192.168.11.0",
        "                                       ^^^^^^^^",
        "  broadcast 192.168.11.255",
        "  range     private (RFC 1918, class C range 192.168.0.0/16)",
        "192.168.11.34: 192.168.11.34 AND mask = 192.168.11.0, the same network -> deliver directly: ARP for 192.168.11.34",
        "8.8.8.8: 8.8.8.8 AND mask = 8.8.8.0, not 192.168.11.0 -> via the gateway: ARP for the gateway",
    ] {
        assert!(out.lines().any(|l| l == line), "missing {line:?} in\n{out}");
    }
}

#[test]
fn networks_agree_with_ipnet_at_every_prefix() {
    for (addr, prefix) in [
        ("192.168.11.53", 0),
        ("10.1.2.3", 8),
        ("172.20.5.9", 12),
        ("192.168.11.53", 24),
        ("100.64.1.1", 29),
        ("10.0.0.1", 30),
        ("10.0.0.1", 31),
        ("10.0.0.1", 32),
    ] {
        let text = format!("{addr}/{prefix}");
        let j = subnet_json(&[&text]);
        let r: Reference = text.parse().unwrap();
        assert_eq!(j["network"], r.network().to_string(), "{text}");
        assert_eq!(j["mask"], r.netmask().to_string(), "{text}");
        assert_eq!(j["wildcard"], r.hostmask().to_string(), "{text}");
        let hosts: Vec<Ipv4Addr> = if prefix >= 24 {
            r.hosts().collect()
        } else {
            Vec::new()
        };
        if !hosts.is_empty() {
            assert_eq!(j["first_host"], hosts[0].to_string(), "{text}");
            assert_eq!(j["last_host"], hosts.last().unwrap().to_string(), "{text}");
            assert_eq!(j["hosts"], hosts.len() as u64, "{text}");
        }
        match prefix {
            31 | 32 => assert_eq!(j["broadcast"], Value::Null, "{text}: no broadcast"),
            _ => assert_eq!(j["broadcast"], r.broadcast().to_string(), "{text}"),
        }
    }
    let o = stdout(&run(&["subnet", "10.0.0.1/32"]));
    assert!(o.contains("broadcast none: a /32 is a single host"));
    let o = stdout(&run(&["subnet", "10.0.0.1/31"]));
    assert!(o.contains("none: a /31 is a point-to-point link, both addresses are hosts (RFC 3021)"));
}

#[test]
fn equal_splits_agree_with_ipnet() {
    for (net, n) in [
        ("10.0.0.0/24", 4u32),
        ("10.0.0.0/24", 3),
        ("192.168.0.0/16", 16),
        ("10.0.0.0/30", 4),
    ] {
        let j = subnet_json(&[net, "--split", &n.to_string()]);
        let ours: Vec<String> = j["split"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["network"].as_str().unwrap().to_string())
            .collect();
        let r: Reference = net.parse().unwrap();
        let bits = n.next_power_of_two().trailing_zeros() as u8;
        let theirs: Vec<String> = r
            .subnets(r.prefix_len() + bits)
            .unwrap()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(ours, theirs, "{net} / {n}");
    }
}

/// VLSM by an independent method: for each host count, largest first, the first ipnet
/// subnet of the needed size that overlaps nothing allocated before.
fn reference_vlsm(net: &str, hosts: &[u32]) -> Vec<String> {
    let r: Reference = net.parse().unwrap();
    let mut wanted = hosts.to_vec();
    wanted.sort_by(|a, b| b.cmp(a));
    let mut taken: Vec<Reference> = Vec::new();
    for h in wanted {
        let prefix = (0..=32u8)
            .rev()
            .find(|p| (1u64 << (32 - p)) >= u64::from(h) + 2)
            .unwrap();
        let pick = r
            .subnets(prefix)
            .unwrap()
            .find(|c| {
                !taken
                    .iter()
                    .any(|t| t.contains(&c.network()) || c.contains(&t.network()))
            })
            .unwrap();
        taken.push(pick);
    }
    taken.iter().map(|t| t.to_string()).collect()
}

#[test]
fn vlsm_agrees_with_an_independent_allocation() {
    for (net, hosts) in [
        ("192.168.1.0/24", vec![50, 20, 10]),
        ("10.0.0.0/22", vec![100, 500, 60, 2, 30]),
        ("172.16.0.0/24", vec![62, 62, 62, 62]),
        ("192.168.10.0/25", vec![1, 2, 3, 5, 9]),
    ] {
        let list: Vec<String> = hosts.iter().map(u32::to_string).collect();
        let j = subnet_json(&[net, "--hosts", &list.join(",")]);
        let ours: Vec<String> = j["vlsm"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["network"].as_str().unwrap().to_string())
            .collect();
        assert_eq!(ours, reference_vlsm(net, &hosts), "{net} {hosts:?}");
        for s in j["vlsm"].as_array().unwrap() {
            assert!(
                s["hosts"].as_u64().unwrap() >= s["hosts_wanted"].as_u64().unwrap(),
                "{s}"
            );
        }
    }
    let o = run(&["subnet", "192.168.1.0/24", "--hosts", "200,100"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("has no room left for 100 hosts"));
}

#[test]
fn each_range_kind_and_the_class_default() {
    for (addr, kind) in [
        ("10.9.8.7/8", "private (RFC 1918, class A range 10.0.0.0/8)"),
        (
            "172.31.0.1/16",
            "private (RFC 1918, class B range 172.16.0.0/12)",
        ),
        (
            "192.168.0.1/24",
            "private (RFC 1918, class C range 192.168.0.0/16)",
        ),
        (
            "127.0.0.1/8",
            "loopback (127.0.0.0/8): never leaves the host",
        ),
        ("169.254.3.4/16", "link-local (169.254.0.0/16)"),
        (
            "100.100.0.1/10",
            "shared address space for carrier NAT (100.64.0.0/10)",
        ),
        ("224.0.0.251/4", "multicast (224.0.0.0/4)"),
        ("198.51.100.7/24", "documentation (RFC 5737)"),
        ("8.8.8.8/24", "public: reachable from the Internet"),
    ] {
        assert_eq!(subnet_json(&[addr])["range"], kind, "{addr}");
    }
    let j = subnet_json(&["172.20.1.1"]);
    assert_eq!(
        (
            j["prefix"].clone(),
            j["prefix_assumed"].clone(),
            j["class"].clone()
        ),
        (
            serde_json::json!(16),
            serde_json::json!(true),
            serde_json::json!("B")
        )
    );
}

#[test]
fn bad_subnets_are_refused_with_the_reason() {
    for (args, want) in [
        (vec!["1.2.3.4/255.0.255.0"], "error: ADDR 1.2.3.4/255.0.255.0: mask 255.0.255.0 is not contiguous: its one bits must all come first, such as 255.255.255.0\n"),
        (vec!["1.2.3.4/33"], "error: ADDR 1.2.3.4/33: the prefix length must be 0-32 (or give a mask such as 255.255.255.0)\n"),
        (vec!["1.2.3.256/24"], "error: ADDR 1.2.3.256/24: expected ADDR[/PREFIX|/MASK] such as 192.168.11.53/24 or 192.168.11.53/255.255.255.0\n"),
        (vec!["1.2.3.4/24", "1.2.3"], "error: OTHER 1.2.3: expected an IPv4 address such as 192.168.11.34\n"),
        (vec!["1.2.3.4/24", "--hosts", "50,x"], "error: --hosts 50,x: expected host counts separated by commas, such as 50,20,10\n"),
        (vec!["1.2.3.4/30", "--split", "8"], "error: --split 8: 1.2.3.4/30 cannot be split into 8 subnets: it has 4 addresses\n"),
        // Once a panic in a debug build: the block for 2^32 - 1 hosts has a prefix below /0.
        (vec!["10.0.0.0/8", "--hosts", "4294967295"], "error: --hosts 4294967295: 10.0.0.0/8 has no room left for 4294967295 hosts (next free address 10.0.0.0)\n"),
    ] {
        let mut all = vec!["subnet"];
        all.extend(args.iter());
        let o = run(&all);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert_eq!(stderr(&o), want, "{args:?}");
    }
}

#[test]
fn ports_by_number_and_name() {
    let out = stdout(&run(&["port", "80"]));
    assert_eq!(
        out,
        "port 80: well-known (0-1023)\n  course: the course calls 0-1023 \"fixed ports\" (固定端口): assigned centrally, as HTTP's 80\n  http TCP (HTTP: the web)\n  IANA: www-http TCP+UDP (World Wide Web HTTP)\n"
    );
    // IANA's registry beyond the services described here, by number and by name.
    let out = stdout(&run(&["port", "imaps"]));
    assert!(out.starts_with("port 993: well-known"), "{out}");
    let out = stdout(&run(&["port", "5222"]));
    assert!(out.contains("IANA: xmpp-client TCP"), "{out}");
    let out = stdout(&run(&["port", "4"]));
    assert!(out.contains("no service is registered on it"), "{out}");
    let j: Value = serde_json::from_str(&stdout(&run(&["port", "5060", "--json"]))).unwrap();
    assert_eq!(j["iana"][0]["name"], "sip", "{j}");
    let o = run(&["encode", "--to", "192.168.11.53:xmpp-client", "--json"]);
    let frame: Value = serde_json::from_str(&stdout(&o)).unwrap();
    let tcp = frame["layers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["protocol"] == "TCP")
        .unwrap();
    assert_eq!(tcp["fields"]["destination_port"], 5222);
    let out = stdout(&run(&["port", "dns"]));
    assert!(out.starts_with("port 53: well-known (0-1023)\n"), "{out}");
    assert!(out.contains("\n  domain TCP+UDP"), "{out}");
    let out = stdout(&run(&["port", "9999"]));
    assert!(out.contains("registered (1024-49151)"));
    assert!(out.contains(
        "the course calls 1024-49151 \"dynamic ports\" (动态端口); IANA calls them registered"
    ));
    let zh = stdout(&run(&["--lang", "zh", "port", "8000"]));
    assert!(zh.contains("课程注:早期 QQ 服务器监听 UDP 8000"), "{zh}");
    let j: Value = serde_json::from_str(&stdout(&run(&["port", "161", "--json"]))).unwrap();
    assert_eq!(j["services"][0]["udp"], true);
    let list = stdout(&run(&["port"]));
    for name in [
        "ftp", "telnet", "smtp", "http", "pop3", "domain", "snmp", "qq",
    ] {
        assert!(list.contains(&format!(" {name} ")), "{name} in the list");
    }
    for bad in ["65536", "-1", "gopher-pigeon"] {
        let o = run(&["port", bad]);
        assert_eq!(o.status.code(), Some(2), "{bad}");
        assert!(
            stderr(&o).starts_with(&format!("error: PORT {bad}: ")),
            "{}",
            stderr(&o)
        );
    }
}

/// Class D and E are no host networks; special-purpose ranges are named; ipcalc's
/// `ADDR MASK` reads as address and mask.
#[test]
fn group_addresses_special_ranges_and_the_ipcalc_style() {
    for (addr, class) in [
        ("224.0.0.5", "D"),
        ("239.255.255.250/24", "D"),
        ("240.0.0.1", "E"),
    ] {
        let o = run(&["subnet", addr, "--json"]);
        assert!(o.status.success(), "{addr}: {}", stderr(&o));
        let doc: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
        assert_eq!(doc["class"], class, "{addr}");
        assert_eq!(doc["host_network"], false, "{addr}");
        assert!(doc.get("hosts").is_none(), "{addr}: {doc}");
        let text = stdout(&run(&["subnet", addr]));
        assert!(text.contains("not a host network"), "{text}");
        assert!(
            !text.contains("usable") && !text.contains("assumed"),
            "{text}"
        );
    }
    for (addr, named) in [
        ("100.64.1.1", "shared address space"),
        ("169.254.9.9", "link-local"),
        ("192.0.0.9", "IETF protocol assignments"),
        ("198.18.3.4", "benchmarking"),
        ("198.51.100.1", "documentation"),
    ] {
        let text = stdout(&run(&["subnet", addr]));
        assert!(text.contains(named), "{addr}: {text}");
        assert!(
            !text.contains("reachable from the Internet"),
            "{addr} called public: {text}"
        );
    }
    let spaced = run(&["subnet", "192.168.11.53", "255.255.255.0", "--json"]);
    let slashed = run(&["subnet", "192.168.11.53/255.255.255.0", "--json"]);
    assert!(spaced.status.success(), "{}", stderr(&spaced));
    assert_eq!(stdout(&spaced), stdout(&slashed));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&spaced)).unwrap();
    assert_eq!(
        (
            doc["prefix"].as_u64(),
            doc["others"].as_array().map(Vec::len)
        ),
        (Some(24), Some(0))
    );
}

/// Port 0 is reserved; the course's three classes (固定端口, 动态端口, 私有端口) stand beside
/// IANA's names.
#[test]
fn port_zero_and_the_courses_port_classes() {
    let zero = stdout(&run(&["port", "0"]));
    assert!(zero.contains("port 0 is reserved"), "{zero}");
    let doc: Value = serde_json::from_str(&stdout(&run(&["port", "0", "--json"]))).unwrap();
    assert!(
        doc["reserved"].as_str().unwrap().contains("reserved"),
        "{doc}"
    );
    assert!(!stdout(&run(&["port", "80"])).contains("reserved"));
    let ranges = stdout(&run(&["--lang", "zh", "port"]));
    for name in ["固定端口", "动态端口", "私有端口"] {
        assert!(ranges.contains(name), "{name}: {ranges}");
    }
    assert!(
        !ranges.contains("未提及"),
        "the course does name the third class: {ranges}"
    );
}
