//! `layers encode`: the default frame, each flag, each view, each output, each refusal.

use std::io::Read;
use std::process::Stdio;

use pcap_file::pcap::PcapReader;
use pcap_file::pcapng::PcapNgReader;
use serde_json::json;

use crate::util::{encode_json, layer, layers, run, stderr, stdout, temp_dir};

#[test]
fn the_default_frame_shows_the_five_layers_of_the_seed() {
    let o = run(&["encode"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    for row in [
        "│ 7   ┆ application ┆ data    ┆ data        ┆ none ",
        "│ 4   ┆ transport   ┆ segment ┆ TCP         ┆ layer-4 switch, layer-4 router ┆ 20  ",
        "│ 3   ┆ network     ┆ packet  ┆ IPv4        ┆ router, layer-3 switch ",
        "│ 2   ┆ data link   ┆ frame   ┆ Ethernet II ┆ bridge, Ethernet switch, NIC ",
        "│ 1   ┆ physical    ┆ bits    ┆ none (bits) ┆ repeater, hub, twisted pair ",
    ] {
        assert!(out.contains(row), "missing row {row:?} in\n{out}");
    }
    assert!(out.contains("192.168.11.34:51000 -> 192.168.11.53:9999"));
    assert!(out.contains("same network 192.168.11.0 -> deliver directly"));
    assert!(out.contains("72 B = 576 bits"));
    assert!(out.contains("576 ns at 1 Gbit/s"));
    assert!(
        out.contains("0000  02 00 c0 a8 0b 35 02 00  c0 a8 0b 22 08 00 45 00  .....5.....\"..E.")
    );
    assert!(out.contains("0030  fa f0 ea f0 00 00 68 65  6c 6c 6f 21              ......hello!"));
    assert!(out.contains("E Ethernet II 0-13  I IPv4 14-33  T TCP 34-53  D data 54-59"));
    assert!(!out.contains('\x1b'), "no colour when piped");
}

#[test]
fn chinese_comes_from_the_flag_or_the_locale() {
    let by_flag = stdout(&run(&["encode", "--lang", "zh"]));
    let by_locale = stdout(
        &layers()
            .env("LANG", "zh_CN.UTF-8")
            .arg("encode")
            .output()
            .unwrap(),
    );
    assert_eq!(by_flag, by_locale);
    for text in [
        "传输层",
        "四层交换机、四层的路由器",
        "路由器、三层交换机",
        "网桥、以太网交换机、网卡",
        "中继器、集线器、双绞线",
        "同一网络 192.168.11.0 -> 直接交付",
        "72 字节 = 576 比特",
    ] {
        assert!(by_flag.contains(text), "missing {text:?} in\n{by_flag}");
    }
    let english = stdout(
        &layers()
            .env("LANG", "zh_CN.UTF-8")
            .args(["--lang", "en", "encode"])
            .output()
            .unwrap(),
    );
    assert!(english.contains("data link"), "--lang wins over LANG");
}

#[test]
fn an_off_subnet_destination_goes_to_the_gateways_mac() {
    let args = [
        "encode",
        "--from",
        "192.168.11.34/24",
        "--gateway",
        "192.168.11.1",
        "--to",
        "8.8.8.8:80",
    ];
    let out = stdout(&run(&args));
    assert!(
        out.contains("8.8.8.8         AND 255.255.255.0   = 8.8.8.0"),
        "{out}"
    );
    assert!(out.contains(
        "8.8.8.0 is not 192.168.11.0 -> send via the gateway 192.168.11.1: ARP for the gateway's MAC; the frame goes to the gateway, not to 8.8.8.8"
    ));
    assert!(out.contains("destination MAC 02:00:c0:a8:0b:01 (derived from 192.168.11.1)"));
    assert!(out.contains("8.8.8.8 is public"));
    let frame = encode_json(&args[1..]);
    assert_eq!(
        layer(&frame, "Ethernet II")["fields"]["destination"],
        "02:00:c0:a8:0b:01"
    );
    assert_eq!(
        layer(&frame, "IPv4")["fields"]["destination"],
        "8.8.8.8",
        "the IP stays the final host's"
    );
    // Without --gateway the network's first host is assumed, and the output says so.
    let assumed = stdout(&run(&[
        "encode",
        "--from",
        "10.1.2.3/255.255.0.0",
        "--to",
        "10.2.0.1",
    ]));
    assert!(assumed.contains("gateway 10.1.0.1 assumed"), "{assumed}");
}

#[test]
fn json_is_the_frame_model_of_the_design() {
    let f = encode_json(&[]);
    assert_eq!(f["frame"], 1);
    assert_eq!(f["time"], json!(null));
    assert_eq!(
        (f["captured_length"].clone(), f["original_length"].clone()),
        (json!(60), json!(60))
    );
    let protocols: Vec<&str> = f["layers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["protocol"].as_str().unwrap())
        .collect();
    assert_eq!(
        protocols,
        ["Ethernet PHY", "Ethernet II", "IPv4", "TCP", "data"]
    );
    let eth = layer(&f, "Ethernet II");
    assert_eq!(eth["osi"], 2);
    assert_eq!(eth["devices"], json!(["bridge", "Ethernet switch", "NIC"]));
    assert_eq!(eth["fields"]["ethertype"], "0x0800");
    assert_eq!(eth["spans"]["source"], json!([6, 12]));
    let ip = &layer(&f, "IPv4")["fields"];
    assert_eq!(ip["header_length"], 20);
    assert_eq!(ip["ttl"], 64);
    assert_eq!(ip["protocol"], 6);
    assert_eq!(ip["checksum"], "0xe321");
    assert_eq!(ip["checksum_valid"], true);
    assert_eq!(ip["fragment_offset"], 0);
    let tcp = layer(&f, "TCP");
    assert_eq!(tcp["pdu"], "segment");
    assert_eq!(tcp["fields"]["flags"], json!(["PSH", "ACK"]));
    assert_eq!(tcp["fields"]["options"], json!([]));
    assert_eq!(tcp["fields"]["payload_length"], 6);
    assert_eq!(tcp["fields"]["checksum_valid"], true);
    assert_eq!(tcp["span"], json!([34, 60]));
    let app = layer(&f, "data");
    assert_eq!(
        (app["osi"].clone(), app["fields"]["text"].clone()),
        (json!(7), json!("hello!"))
    );
    let phy = layer(&f, "Ethernet PHY");
    assert_eq!(phy["osi"], 1);
    assert_eq!(phy["fields"]["preamble"], "55555555555555");
    // The FCS is the MAC's (data link), in the Ethernet record, not the physical one.
    assert!(phy["fields"].get("fcs").is_none(), "{phy}");
    assert_eq!(layer(&f, "Ethernet II")["fields"]["fcs"], "0xe72c3aa4");
    assert_eq!(f["errors"], json!([]));
}

#[test]
fn payload_flags_text_hex_and_file() {
    let zh = encode_json(&["--payload", "你好"]);
    assert_eq!(layer(&zh, "data")["fields"]["text"], "你好");
    assert_eq!(
        layer(&zh, "data")["fields"]["length"],
        6,
        "two Chinese characters are 6 UTF-8 bytes"
    );
    let hex = encode_json(&["--payload-hex", "68 65:6c,0x6c6f"]);
    assert_eq!(layer(&hex, "data")["fields"]["text"], "hello");
    let dir = temp_dir("payload");
    let path = dir.join("data.bin");
    std::fs::write(&path, b"GET / HTTP/1.1\r\nHost: x\r\n\r\n").unwrap();
    let http = encode_json(&[
        "--payload-file",
        path.to_str().unwrap(),
        "--to",
        "192.168.11.53:http",
    ]);
    let app = layer(&http, "HTTP");
    assert_eq!(app["fields"]["method"], "GET");
    assert_eq!(layer(&http, "TCP")["fields"]["destination_port"], 80);
}

#[test]
fn protocols_udp_icmp_and_arp() {
    let udp = encode_json(&[
        "--proto",
        "udp",
        "--to",
        "192.168.11.53:dns",
        "--payload",
        "hi",
    ]);
    let u = &layer(&udp, "UDP")["fields"];
    assert_eq!(
        (
            u["destination_port"].clone(),
            u["length"].clone(),
            u["checksum_valid"].clone()
        ),
        (json!(53), json!(10), json!(true))
    );
    assert_eq!(layer(&udp, "UDP")["pdu"], "datagram");
    let out = stdout(&run(&[
        "encode",
        "--proto",
        "udp",
        "--to",
        "192.168.11.53:dns",
        "--payload",
        "hi",
    ]));
    assert!(
        out.contains("port 53 belongs to DNS"),
        "the malformed-DNS warning: {out}"
    );

    let icmp = encode_json(&["--proto", "icmp"]);
    let i = &layer(&icmp, "ICMP")["fields"];
    assert_eq!(
        (
            i["type"].clone(),
            i["checksum_valid"].clone(),
            i["data_length"].clone()
        ),
        (json!(8), json!(true), json!(6))
    );

    let arp = encode_json(&["--proto", "arp", "--to", "192.168.11.53"]);
    let a = &layer(&arp, "ARP")["fields"];
    assert_eq!(a["operation"], 1);
    assert_eq!(a["target_ip"], "192.168.11.53");
    assert_eq!(a["target_mac"], "00:00:00:00:00:00");
    assert_eq!(
        layer(&arp, "Ethernet II")["fields"]["destination"],
        "ff:ff:ff:ff:ff:ff"
    );
    assert_eq!(layer(&arp, "Ethernet II")["fields"]["padding"], 18);
    // Off the subnet, ARP asks for the gateway, not the destination.
    let via = encode_json(&[
        "--proto",
        "arp",
        "--to",
        "8.8.8.8",
        "--gateway",
        "192.168.11.254",
    ]);
    assert_eq!(layer(&via, "ARP")["fields"]["target_ip"], "192.168.11.254");
    let arp_text = stdout(&run(&["encode", "--proto", "arp"]));
    assert!(arp_text.contains("ARP request: who has 192.168.11.53? tell 192.168.11.34"));
    assert!(
        arp_text.contains("RFC 826"),
        "the note on ARP's layer: {arp_text}"
    );
}

#[test]
fn ip_tcp_link_and_mac_flags_reach_the_bytes() {
    let f = encode_json(&[
        "--ttl",
        "7",
        "--id",
        "4660",
        "--df",
        "--flags",
        "syn",
        "--seq",
        "4294967295",
        "--window",
        "1024",
        "--mss",
        "1460",
        "--src-mac",
        "00-1B-21-3A-4F-10",
        "--dst-mac",
        "0200.c0a8.0b35",
        "--vlan",
        "10:5",
    ]);
    let ip = &layer(&f, "IPv4")["fields"];
    assert_eq!(
        (
            ip["ttl"].clone(),
            ip["identification"].clone(),
            ip["dont_fragment"].clone()
        ),
        (json!(7), json!(4660), json!(true))
    );
    let tcp = &layer(&f, "TCP")["fields"];
    assert_eq!(tcp["flags"], json!(["SYN"]));
    assert_eq!(tcp["sequence"], json!(4294967295u32));
    assert_eq!(
        tcp["acknowledgment"], 0,
        "no ACK flag, no acknowledgment number"
    );
    assert_eq!(tcp["window"], 1024);
    assert_eq!(tcp["header_length"], 24);
    assert_eq!(tcp["options"], json!([{"kind": "MSS", "value": 1460}]));
    let eth = &layer(&f, "Ethernet II")["fields"];
    assert_eq!(
        (eth["source"].clone(), eth["destination"].clone()),
        (json!("00:1b:21:3a:4f:10"), json!("02:00:c0:a8:0b:35"))
    );
    assert_eq!(eth["ethertype"], "0x8100");
    let vlan = &layer(&f, "802.1Q")["fields"];
    assert_eq!(
        (
            vlan["id"].clone(),
            vlan["priority"].clone(),
            vlan["ethertype"].clone()
        ),
        (json!(10), json!(5), json!("0x0800"))
    );
    let masked = encode_json(&[
        "--from",
        "10.1.2.3:40000",
        "--mask",
        "255.255.0.0",
        "--to",
        "10.1.9.9:smtp",
    ]);
    assert_eq!(
        layer(&masked, "Ethernet II")["fields"]["destination"],
        "02:00:0a:01:09:09",
        "same /16: direct"
    );
    assert_eq!(layer(&masked, "TCP")["fields"]["source_port"], 40000);
    assert_eq!(layer(&masked, "TCP")["fields"]["destination_port"], 25);
    let with_ack = encode_json(&["--flags", "SYN,ACK", "--ack", "77", "--mss", "536"]);
    assert_eq!(layer(&with_ack, "TCP")["fields"]["acknowledgment"], 77);
    let slow = stdout(&run(&["encode", "--link", "10M"]));
    assert!(slow.contains("57.6 µs at 10 Mbit/s"), "{slow}");
    let fast = stdout(&run(&["encode", "--link", "10G"]));
    assert!(fast.contains("57.6 ns at 10 Gbit/s"), "{fast}");
}

#[test]
fn the_mtu_refuses_with_the_numbers_and_never_cuts() {
    let fits = "x".repeat(60);
    let o = run(&["encode", "--mtu", "100", "--payload", &fits]);
    assert!(
        o.status.success(),
        "20 + 20 + 60 = 100 fits: {}",
        stderr(&o)
    );
    let o = run(&["encode", "--mtu", "100", "--payload", &format!("{fits}x")]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "error: the IPv4 packet would be 101 bytes (40 of headers + 61 of data) but the MTU is 100: at most 60 bytes of data fit; send less or raise --mtu\n"
    );
    let big = "y".repeat(1473);
    let o = run(&["encode", "--proto", "udp", "--payload", &big]);
    assert_eq!(o.status.code(), Some(2), "1500 is the default MTU");
}

#[test]
fn views_fields_and_explain() {
    let out = stdout(&run(&["encode", "--fields"]));
    for cell in [
        "version",
        "0100 ....",
        "header_length",
        ".... 0101",
        "dont_fragment",
        ".0.. ....",
        "14-14 (1)",
        "checksum_valid",
    ] {
        assert!(out.contains(cell), "missing {cell:?} in\n{out}");
    }
    assert!(
        out.contains("the MAC of the NIC that sent"),
        "meanings from the field tables"
    );
    let zh = stdout(&run(&["encode", "--fields", "--lang", "zh"]));
    assert!(zh.contains("发送此帧的网卡的 MAC"));

    let en = stdout(&run(&["encode", "--explain"]));
    for text in [
        "Step by step",
        "1. Application:",
        "Transport: TCP puts a 20-byte header",
        "dynamic/private (49152-65535)",
        "registered (1024-49151)",
        "the same network, so it delivers directly",
        "A switch reads only this header",
        "A hub or repeater only repeats these bits",
    ] {
        assert!(en.contains(text), "missing {text:?} in\n{en}");
    }
    let zh = stdout(&run(&[
        "encode",
        "--explain",
        "--lang",
        "zh",
        "--payload",
        "你好",
    ]));
    for text in [
        "逐步讲解",
        "一个汉字占 3 字节",
        "交换机只看这个首部",
        "集线器和中继器只是转发比特",
    ] {
        assert!(zh.contains(text), "missing {text:?} in\n{zh}");
    }
    let diagram = stdout(&run(&["encode", "--diagram"]));
    assert!(
        diagram.contains("|Version|  IHL  |   DSCP    |ECN|         Total Length          |"),
        "{diagram}"
    );
    assert!(
        diagram.contains("|             51000             |             9999              |"),
        "{diagram}"
    );
    let gw = stdout(&run(&[
        "encode",
        "--explain",
        "--to",
        "8.8.8.8:53",
        "--proto",
        "udp",
    ]));
    assert!(
        gw.contains("so the frame goes to the gateway 192.168.11.1"),
        "{gw}"
    );
}

#[test]
fn colour_only_when_asked_or_on_a_terminal() {
    let always = stdout(&run(&["--color", "always", "encode"]));
    assert!(always.contains("\x1b["), "ANSI colour with --color always");
    let never = stdout(&run(&["--color", "never", "encode"]));
    assert!(!never.contains('\x1b'));
    let no_color = stdout(
        &layers()
            .env("NO_COLOR", "1")
            .arg("encode")
            .output()
            .unwrap(),
    );
    assert!(!no_color.contains('\x1b'));
    // Without colour the hex dump marks each byte's layer with a letter instead.
    assert!(never.contains("      E  E  E  E  E  E  E  E   E  E  E  E  E  E  I  I"));
}

#[test]
fn output_files_in_every_format() {
    let dir = temp_dir("formats");
    let raw = dir.join("f.bin");
    let o = run(&["encode", "-o", raw.to_str().unwrap()]);
    assert!(o.status.success());
    assert!(stdout(&o).ends_with(&format!(
        "wrote {} (raw, 1 frame, 60 bytes)\n",
        raw.display()
    )));
    let bytes = std::fs::read(&raw).unwrap();
    assert_eq!(bytes.len(), 60);
    assert_eq!(&bytes[54..], b"hello!");

    let hex = dir.join("f.txt");
    assert!(run(&["encode", "-o", hex.to_str().unwrap()])
        .status
        .success());
    assert_eq!(
        std::fs::read_to_string(&hex).unwrap(),
        format!("{}\n", hex::encode(&bytes))
    );

    let pcap = dir.join("f.pcap");
    assert!(run(&["encode", "-o", pcap.to_str().unwrap()])
        .status
        .success());
    let mut r = PcapReader::new(std::fs::File::open(&pcap).unwrap()).unwrap();
    let p = r.next_packet().unwrap().unwrap();
    assert_eq!(p.data.as_ref(), &bytes[..]);
    assert!(r.next_packet().is_none());

    let ng = dir.join("f.pcapng");
    assert!(run(&["encode", "-o", ng.to_str().unwrap(), "--fcs"])
        .status
        .success());
    let mut r = PcapNgReader::new(std::fs::File::open(&ng).unwrap()).unwrap();
    let mut data = None;
    while let Some(block) = r.next_block() {
        if let Some(epb) = block.unwrap().into_enhanced_packet() {
            data = Some(epb.data.into_owned());
        }
    }
    let data = data.expect("one packet");
    assert_eq!(data.len(), 64);
    assert_eq!(&data[..60], &bytes[..]);
    assert_eq!(&data[60..], &layers_physical::fcs_bytes(&bytes));

    // --format wins over the extension.
    let odd = dir.join("frame.dat");
    let o = run(&["encode", "-o", odd.to_str().unwrap(), "--format", "pcap"]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(
        &std::fs::read(&odd).unwrap()[..4],
        &[0xd4, 0xc3, 0xb2, 0xa1],
        "little-endian pcap magic"
    );

    // JSON keeps stdout for the frame; the note about the file goes to stderr.
    let o = run(&["encode", "--json", "-o", raw.to_str().unwrap()]);
    assert_eq!(stdout(&o).lines().count(), 1);
    assert!(stderr(&o).starts_with("wrote "));
}

#[test]
fn faults_break_the_frame_and_say_what_is_broken() {
    let o = run(&["encode", "--fault", "bad-ip-checksum"]);
    let out = stdout(&o);
    assert!(
        out.contains("IPv4 checksum at byte 24 set to 0xe3de; the correct value is 0xe321"),
        "{out}"
    );
    assert!(
        out.contains("IPv4 (OSI 3) at byte 24: bad checksum 0xe3de: should be 0xe321"),
        "{out}"
    );
    let f = encode_json(&["--fault", "bad-l4-checksum"]);
    assert_eq!(layer(&f, "TCP")["fields"]["checksum_valid"], false);
    assert_eq!(f["errors"][0]["osi"], 4);
    let f = encode_json(&["--fault", "ttl-zero"]);
    assert_eq!(layer(&f, "IPv4")["fields"]["ttl"], 0);
    assert_eq!(layer(&f, "IPv4")["fields"]["checksum_valid"], true);

    let dir = temp_dir("faults");
    let pcap = dir.join("cut.pcap");
    let o = run(&[
        "encode",
        "--fault",
        "truncate=40",
        "-o",
        pcap.to_str().unwrap(),
    ]);
    assert!(stdout(&o)
        .contains("frame cut from 60 to 40 bytes, inside the TCP bytes (transport, OSI 4)"));
    let mut r = PcapReader::new(std::fs::File::open(&pcap).unwrap()).unwrap();
    let p = r.next_packet().unwrap().unwrap();
    assert_eq!(
        (p.data.len(), p.orig_len),
        (40, 60),
        "cut as a snap length would: the original length stays"
    );
    let f = encode_json(&["--fault", "truncate=40"]);
    assert_eq!(
        f["errors"],
        json!([
            {"osi": 4, "protocol": "TCP", "offset": 34, "message": "truncated: TCP header needs 20 bytes, 6 present; sequence at byte 38 and what follows are missing"},
            {"osi": 1, "protocol": "Ethernet PHY", "offset": 40, "message": "the capture kept 40 of the frame's 60 bytes (snap length): the rest was never recorded"}
        ])
    );
    assert_eq!(
        (f["captured_length"].clone(), f["original_length"].clone()),
        (json!(40), json!(60))
    );
}

/// Each bad value: exit 2, one line on stderr naming the flag, the value and what was expected.
#[test]
fn bad_values_are_refused_in_one_line() {
    let cases: &[(&[&str], &str)] = &[
        (&["--to", "192.168.11.53:65536"], "error: --to 192.168.11.53:65536: the port must be a number 0-65535 or a service name such as http or dns"),
        (&["--to", "300.1.2.3"], "error: --to 300.1.2.3: expected an IPv4 address such as 192.168.11.34"),
        (&["--from", "192.168.11.34/33"], "error: --from 192.168.11.34/33: the prefix length must be 0-32 (or give a mask such as 255.255.255.0)"),
        (&["--mask", "255.0.255.0"], "error: --mask 255.0.255.0: mask 255.0.255.0 is not contiguous: its one bits must all come first, such as 255.255.255.0"),
        (&["--from", "10.0.0.1/255.0.255.0"], "error: --from 10.0.0.1/255.0.255.0: mask 255.0.255.0 is not contiguous: its one bits must all come first, such as 255.255.255.0"),
        (&["--to", "1.2.3.4:gopher-pigeon"], "error: --to 1.2.3.4:gopher-pigeon: unknown service name: use a port number or a name such as http, dns, smtp"),
        (&["--src-mac", "02:00:zz:00:00:01"], "error: --src-mac 02:00:zz:00:00:01: expected a MAC address: six hex bytes such as 02:00:c0:a8:0b:22"),
        (&["--src-mac", "01:00:5e:00:00:01"], "error: --src-mac 01:00:5e:00:00:01: a source MAC must be unicast (its first byte even)"),
        (&["--payload-hex", "6g"], "error: --payload-hex 6g: expected hex digits in pairs, such as 68 65 6c 6c 6f (Invalid character 'g' at position 1)"),
        (&["--ttl", "256"], "error: --ttl 256: expected a whole number from 0 to 255"),
        (&["--seq", "-1"], "error: --seq -1: expected a whole number from 0 to 4294967295"),
        (&["--mtu", "40"], "error: --mtu 40: expected a whole number from 68 to 65535"),
        (&["--vlan", "4095"], "error: --vlan 4095: the VLAN ID must be 1-4094 (0 and 4095 are reserved)"),
        (&["--vlan", "10:9"], "error: --vlan 10:9: the priority must be 0-7"),
        (&["--link", "2G"], "error: --link 2G: expected 10M, 100M, 1G or 10G"),
        (&["--flags", "SYN,HELLO"], "error: --flags SYN,HELLO: expected a comma-separated list of SYN, ACK, PSH, FIN, RST, URG, ECE, CWR"),
        (&["--fault", "gremlins"], "error: --fault gremlins: expected bad-ip-checksum, bad-l4-checksum, ttl-zero or truncate=N"),
        (&["--fault", "truncate=60"], "error: --fault truncate=60: the frame is 60 bytes: keep 1 to 59 of them"),
        (&["--proto", "arp", "--fault", "bad-l4-checksum"], "error: --fault bad-l4-checksum: the frame has no TCP, UDP or ICMP checksum (ARP has none)"),
        (&["-o", "frame.json"], "error: -o frame.json: cannot tell the format from the file name: end it in .bin, .hex, .txt, .pcap or .pcapng, or add --format raw|hex|pcap|pcapng"),
        (&["--gateway", "10.0.0.1"], "error: --gateway 10.0.0.1: the gateway must be on the sender's network 192.168.11.0/24: a host can only hand frames to a gateway on its own network"),
        (&["--gateway", "192.168.11.255"], "error: --gateway 192.168.11.255: the gateway must be another host of the network, not its network or broadcast address, nor the sender 192.168.11.34 itself"),
        (&["--to", "10.0.0.1/8"], "error: --to 10.0.0.1/8: the receiver takes no prefix: give IP[:PORT]; the sender's mask decides the subnet"),
    ];
    assert_refused(cases);
}

#[test]
fn conflicting_flags_are_refused_in_one_line() {
    let cases: &[(&[&str], &str)] = &[
        (&["--payload", "a", "--payload-hex", "61"], "error: --payload and --payload-hex cannot be used together: give the data one way"),
        (&["--proto", "udp", "--flags", "SYN"], "error: --flags only applies to TCP, not to --proto udp"),
        (&["--proto", "icmp", "--window", "5"], "error: --window only applies to TCP, not to --proto icmp"),
        (&["--proto", "arp", "--payload", "x"], "error: --payload cannot be used with --proto arp: an ARP packet carries no data"),
        (&["--proto", "arp", "--ttl", "3"], "error: --ttl cannot be used with --proto arp: ARP has no IPv4 header"),
        (&["--proto", "icmp", "--to", "8.8.8.8:80"], "error: --to 8.8.8.8:80: --proto icmp has no ports; give the address alone"),
        (&["--mss", "1460"], "error: --mss 1460: the MSS option is only sent on a SYN (RFC 9293): add SYN to --flags"),
        (&["--flags", "SYN", "--ack", "5"], "error: --ack 5: an acknowledgment number means nothing without the ACK flag: add ACK to --flags"),
        (&["--from", "10.0.0.1/8", "--mask", "255.255.0.0"], "error: --mask 255.255.0.0 disagrees with the /8 given in --from"),
        (&["--fcs"], "error: --fcs needs -o FILE"),
        (&["--format", "pcap"], "error: --format needs -o FILE"),
    ];
    assert_refused(cases);
}

/// Each `encode ARGS` exits 2 with exactly the line given on stderr and nothing on stdout.
fn assert_refused(cases: &[(&[&str], &str)]) {
    for (args, want) in cases {
        let mut all = vec!["encode"];
        all.extend_from_slice(args);
        let o = run(&all);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert_eq!(stderr(&o), format!("{want}\n"), "{args:?}");
        assert!(o.stdout.is_empty(), "{args:?} printed to stdout");
    }
}

#[test]
fn refusals_speak_chinese_too() {
    let o = run(&["--lang", "zh", "encode", "--ttl", "256"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stderr(&o), "错误: --ttl 256:应为 0 到 255 之间的整数\n");
    let o = run(&["--lang", "zh", "encode", "--proto", "udp", "--flags", "SYN"]);
    assert_eq!(
        stderr(&o),
        "错误: --flags 只适用于 TCP,不适用于 --proto udp\n"
    );
}

#[test]
fn unreadable_inputs_exit_1_and_clap_errors_exit_2() {
    let o = run(&["encode", "--payload-file", "/nonexistent/layers"]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(
        err.starts_with("error: cannot read --payload-file /nonexistent/layers: "),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1);
    let o = run(&["encode", "-o", "/nonexistent/dir/x.pcap"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).starts_with("error: cannot write /nonexistent/dir/x.pcap: "));
    let o = run(&["encode", "--proto", "sctp"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("invalid value 'sctp'"));
    for o in [run(&["encode", "--bogus"]), run(&[])] {
        assert_eq!(o.status.code(), Some(2));
        assert!(!stderr(&o).contains("panicked"));
    }
}

#[test]
fn help_shows_examples() {
    let out = stdout(&run(&["encode", "--help"]));
    assert!(out.contains("Examples:"));
    assert!(out.contains("layers encode --proto udp --to 192.168.11.53:dns --payload hi -o x.pcap"));
    assert!(out.contains("a UDP datagram to port 53"), "{out}");
    assert!(!out.contains("示例"), "English help is English: {out}");
    let zh = stdout(&run(&["encode", "--help", "--lang", "zh"]));
    assert!(zh.contains("示例:"), "{zh}");
    assert!(zh.contains("发往 53 端口的 UDP 数据报"), "{zh}");
    assert!(zh.contains("用法: layers encode [选项]"), "{zh}");
    assert!(zh.contains("--payload <文本>"), "{zh}");
    // The language comes from the locale too, before clap has parsed anything.
    let o = layers()
        .args(["encode", "--protoo", "udp"])
        .env("LANG", "zh_CN.UTF-8")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    let err = stderr(&o);
    assert!(err.contains("错误:没有参数「--protoo」"), "{err}");
    assert!(err.contains("是不是想用「--proto」"), "{err}");
}

#[test]
fn a_closed_pipe_is_not_an_error() {
    // 60000 bytes of data make a hex dump far bigger than a pipe's buffer.
    let dir = temp_dir("pipe");
    let data = dir.join("big.bin");
    std::fs::write(&data, vec![b'x'; 60_000]).unwrap();
    let mut child = layers()
        .args([
            "encode",
            "--mtu",
            "65535",
            "--payload-file",
            data.to_str().unwrap(),
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 1];
    child.stdout.take().unwrap().read_exact(&mut first).unwrap();
    // The read end is closed now; the rest of the output meets a broken pipe.
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    assert!(
        out.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// `-o -` writes the capture to standard output, as `tcpdump -w -` does, and the report to
/// standard error; `--payload-file -` reads standard input.
#[test]
fn a_dash_means_standard_output_and_standard_input() {
    let dir = crate::util::temp_dir("dash-output");
    let in_dir = |args: &[&str], stdin: &[u8]| {
        let mut child = crate::util::layers()
            .args(args)
            .current_dir(&dir)
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        std::io::Write::write_all(&mut child.stdin.take().unwrap(), stdin).unwrap();
        child.wait_with_output().unwrap()
    };
    const PCAP: [u8; 4] = [0xd4, 0xc3, 0xb2, 0xa1];
    const PCAPNG: [u8; 4] = [0x0a, 0x0d, 0x0d, 0x0a];
    for (args, magic) in [
        (&["encode", "-o", "-"][..], PCAP),
        (&["encode", "-o", "-", "--format", "pcapng"][..], PCAPNG),
        (&["tcp", "-o", "-"][..], PCAP),
        (&["journey", "-o", "-"][..], PCAPNG),
    ] {
        let o = in_dir(args, b"");
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        assert_eq!(o.stdout[..4], magic, "{args:?}: the capture is on stdout");
        assert!(
            stderr(&o).contains("standard output"),
            "{args:?}: the report is on stderr: {}",
            stderr(&o)
        );
        assert!(!dir.join("-").exists(), "{args:?} wrote a file named -");
        // What is on stdout is a capture that decode reads back whole.
        let back = in_dir(&["decode", "-", "--oneline"], &o.stdout);
        assert!(back.status.success(), "{args:?}: {}", stderr(&back));
        assert!(!stdout(&back).is_empty());
    }
    for args in [
        &["encode", "-o", "-", "--json"][..],
        &["tcp", "-o", "-", "--json"][..],
        &["journey", "-o", "-", "--json"][..],
    ] {
        let o = in_dir(args, b"");
        assert_eq!(o.status.code(), Some(2), "{args:?} is refused");
        assert!(stderr(&o).contains("--json"), "{}", stderr(&o));
    }
    let o = in_dir(&["encode", "--payload-file", "-", "--json"], b"from a pipe");
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("from a pipe"), "{}", stdout(&o));
}

/// A destination's kind is decided before the subnet AND: broadcasts and multicast go to
/// their group MACs with no ARP, addresses that never leave the host or name no host are
/// refused, and a sender is never its own gateway.
#[test]
fn destination_kinds_and_gateways_follow_the_standards() {
    let dst_mac = |args: &[&str]| {
        let mut all = vec!["--proto", "udp"];
        all.extend_from_slice(args);
        let frame = encode_json(&all);
        layer(&frame, "Ethernet II")["fields"]["destination"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(
        dst_mac(&["--to", "192.168.11.255:5000"]),
        "ff:ff:ff:ff:ff:ff"
    );
    assert_eq!(
        dst_mac(&["--to", "255.255.255.255:67"]),
        "ff:ff:ff:ff:ff:ff"
    );
    assert_eq!(dst_mac(&["--to", "224.0.0.251:5353"]), "01:00:5e:00:00:fb");
    assert_eq!(
        dst_mac(&["--to", "239.255.255.250:1900"]),
        "01:00:5e:7f:ff:fa"
    );
    // Another network's broadcast address is that network's business: via the gateway.
    assert_eq!(dst_mac(&["--to", "10.1.2.255:53"]), "02:00:c0:a8:0b:01");
    // The report says why there is no ARP.
    let text = stdout(&run(&[
        "encode",
        "--proto",
        "udp",
        "--to",
        "192.168.11.255:5000",
    ]));
    assert!(text.contains("no ARP"), "{text}");
    assert!(!text.contains("ARP for"), "{text}");

    for (to, proto, says) in [
        ("127.0.0.1", "udp", "never leaves the host"),
        ("192.168.11.34", "udp", "never leaves the host"),
        ("0.0.0.0", "udp", "source address only"),
        ("240.0.0.1", "icmp", "reserved"),
        ("192.168.11.0", "udp", "network address"),
        ("192.168.11.255", "tcp", "TCP connects exactly two ends"),
        ("224.0.0.1", "arp", "not a host"),
    ] {
        let o = run(&["encode", "--proto", proto, "--to", to]);
        assert_eq!(o.status.code(), Some(2), "--to {to} --proto {proto}");
        assert!(stderr(&o).contains(says), "--to {to}: {}", stderr(&o));
    }

    // The first host of the network is the sender itself: the gateway is another host.
    let frame = encode_json(&["--from", "192.168.11.1/24", "--to", "8.8.8.8"]);
    let eth = &layer(&frame, "Ethernet II")["fields"];
    assert_ne!(
        eth["destination"], eth["source"],
        "the frame goes to itself"
    );
    assert_eq!(eth["destination"], "02:00:c0:a8:0b:fe");
    let o = run(&["encode", "--from", "10.0.0.7/32", "--to", "8.8.8.8"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("no neighbour"), "{}", stderr(&o));
}

/// IEEE 802.3: padding and the FCS are the MAC's (data link), preamble, SFD and gap the
/// PHY's (physical); frames are 64-1518 bytes with the FCS. Loopback frames met no NIC.
#[test]
fn padding_and_fcs_belong_to_the_data_link_layer() {
    let text = stdout(&run(&["encode", "--proto", "arp", "--explain"]));
    for part in [
        "│ preamble        ┆ 1 physical  ┆ 7 ",
        "│ padding         ┆ 2 data link ┆ 18 ",
        "│ FCS             ┆ 2 data link ┆ 4 ",
        "│ inter-frame gap ┆ 1 physical  ┆ 12 ",
        "14 + 18 + 4 = 36 † ┆ 64 ",
        "64 bytes with its FCS (IEEE 802.3: at least 64, at most 1518 untagged)",
        "the NIC's MAC pads the frame with 18 zero bytes and appends the 4-byte FCS",
    ] {
        assert!(text.contains(part), "{part:?} in\n{text}");
    }
    assert!(!text.contains("the NIC adds 18 bytes of padding"), "{text}");
    let f = encode_json(&["--proto", "arp"]);
    let phy = &layer(&f, "Ethernet PHY")["fields"];
    assert!(
        phy.get("padding").is_none() && phy.get("fcs").is_none(),
        "{phy}"
    );
    assert_eq!(layer(&f, "Ethernet II")["fields"]["padding"], 18);

    // A loopback capture: both MACs zero, no NIC, so no preamble, SFD, gap, padding or FCS.
    let dns = format!("{}/fixtures/loopback-dns.pcap", env!("CARGO_MANIFEST_DIR"));
    let o = run(&["decode", &dns, "--json", "--count", "1"]);
    let frame: serde_json::Value = serde_json::from_str(stdout(&o).trim()).unwrap();
    assert_eq!(
        layer(&frame, "Ethernet PHY")["fields"],
        json!({"bits": 568})
    );
    let eth = &layer(&frame, "Ethernet II")["fields"];
    assert!(
        eth.get("fcs").is_none() && eth.get("padding").is_none(),
        "{eth}"
    );
}

/// A capture is written whole: readable by all (0644, as File::create made it), nothing
/// left beside it, and an existing file replaced in one rename.
#[test]
fn captures_are_written_atomically() {
    use std::os::unix::fs::PermissionsExt;
    let dir = temp_dir("atomic-capture");
    let file = dir.join("a.pcap");
    std::fs::write(&file, "old").unwrap();
    for _ in 0..2 {
        let o = run(&["encode", "-o", file.to_str().unwrap()]);
        assert!(o.status.success(), "{}", stderr(&o));
    }
    let bytes = std::fs::read(&file).unwrap();
    assert_eq!(&bytes[..4], &0xa1b2_c3d4u32.to_le_bytes(), "a pcap");
    let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o644, "{mode:o}");
    let names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["a.pcap"]);
    // A directory that does not exist: an error naming the file, and no file.
    let missing = dir.join("no/such/dir/b.pcap");
    let o = run(&["encode", "-o", missing.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("cannot write"), "{}", stderr(&o));
}

#[test]
fn a_write_error_names_the_file_asked_for_not_the_temporary_one() {
    let dir = temp_dir("no-such-dir").join("missing");
    let target = dir.join("x.pcap");
    let o = run(&["encode", "-o", target.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(1));
    let e = stderr(&o);
    assert_eq!(
        e,
        format!(
            "error: cannot write {}: No such file or directory (os error 2)\n",
            target.display()
        )
    );
    assert!(!e.contains(".layers-"), "{e}");
}
