//! The parser's structure and errors, and evaluation on hand-made frames. Agreement with
//! tcpdump itself, on real captures, is tested in the workspace's `tests/filter.rs`.

use super::*;
use layers_osi::LinkType;

fn err(text: &str) -> FilterError {
    match Filter::parse(text) {
        Ok(f) => panic!("{text:?} parsed: {f:?}"),
        Err(e) => e,
    }
}

/// An Ethernet frame: MACs, the EtherType, then `rest`.
fn ether(ethertype: u16, rest: &[u8]) -> Vec<u8> {
    let mut f = vec![0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01];
    f.extend(ethertype.to_be_bytes());
    f.extend(rest);
    f
}

/// An IPv4 header (20 bytes, protocol `proto`, 10.0.0.1 -> 10.0.0.2, fragment field
/// `frag`), then `rest`.
fn ipv4(proto: u8, frag: u16, rest: &[u8]) -> Vec<u8> {
    let mut h = vec![0x45, 0, 0, 40, 0, 1];
    h.extend(frag.to_be_bytes());
    h.extend([64, proto, 0, 0, 10, 0, 0, 1, 10, 0, 0, 2]);
    h.extend(rest);
    h
}

fn ports(src: u16, dst: u16) -> Vec<u8> {
    let mut p = src.to_be_bytes().to_vec();
    p.extend(dst.to_be_bytes());
    p.extend([0; 16]);
    p
}

fn sel(text: &str, frame: &[u8]) -> bool {
    Filter::parse(text)
        .unwrap()
        .matches(LinkType::Ethernet, frame)
}

#[test]
fn empty_selects_everything() {
    let f = Filter::parse("  ").unwrap();
    assert!(f.matches(LinkType::Ethernet, &[]));
}

#[test]
fn protocols_ports_and_hosts() {
    let tcp80 = ether(0x0800, &ipv4(6, 0, &ports(40000, 80)));
    let udp53 = ether(0x0800, &ipv4(17, 0, &ports(53, 5353)));
    assert!(sel("tcp", &tcp80));
    assert!(!sel("udp", &tcp80));
    assert!(sel("ip and tcp port 80", &tcp80));
    assert!(sel("dst port 80", &tcp80));
    assert!(!sel("src port 80", &tcp80));
    assert!(!sel("udp port 80", &tcp80));
    assert!(sel("port 53 or 80", &tcp80));
    assert!(sel("port 53 or 80", &udp53));
    assert!(sel("src or dst port domain", &udp53));
    assert!(!sel("src and dst port 53", &udp53));
    assert!(sel("host 10.0.0.1", &tcp80));
    assert!(sel("src host 10.0.0.1 and dst 10.0.0.2", &tcp80));
    assert!(!sel("dst host 10.0.0.1", &tcp80));
    assert!(sel("net 10.0.0.0/8", &tcp80));
    assert!(sel("net 10", &tcp80));
    assert!(!sel("net 192.168", &tcp80));
    assert!(!sel("ip6 or arp", &tcp80));
    assert!(sel("ether src 02:00:00:00:00:01", &tcp80));
    assert!(sel("ether dst 02-00-00-00-00-02", &tcp80));
    assert!(sel("ether host 0200.0000.0001", &tcp80));
    assert!(!sel("ether src 02:00:00:00:00:02", &tcp80));
}

#[test]
fn later_fragments_have_no_ports() {
    let later = ether(0x0800, &ipv4(6, 0x0010, &ports(40000, 80)));
    assert!(sel("tcp", &later));
    assert!(!sel("port 80", &later));
}

#[test]
fn and_and_or_bind_equally_left_to_right() {
    let tcp80 = ether(0x0800, &ipv4(6, 0, &ports(40000, 80)));
    // (udp or tcp) and port 443: false. Were `and` tighter, udp or (tcp and port 443)
    // would be false too, so use a case where they differ: (tcp or udp) and port 443.
    assert!(!sel("tcp or udp and port 443", &tcp80));
    assert!(sel("udp and port 443 or tcp", &tcp80));
    assert!(sel("not udp and tcp", &tcp80));
    assert!(sel("! (udp or arp) && tcp", &tcp80));
}

#[test]
fn vlan_moves_the_later_tests_on() {
    let inner = ipv4(6, 0, &ports(1, 80));
    let mut tagged = vec![0x20, 0x07, 0x08, 0x00]; // priority 1, VLAN 7, then IPv4
    tagged.extend(&inner);
    let frame = ether(0x8100, &tagged);
    assert!(
        !sel("tcp", &frame),
        "as tcpdump: untagged tests on a tagged frame"
    );
    assert!(sel("vlan and tcp port 80", &frame));
    assert!(sel("vlan 7 and tcp", &frame));
    assert!(!sel("vlan 8 and tcp", &frame));
    assert!(!sel("vlan and vlan", &frame));
}

#[test]
fn a_read_past_the_capture_rejects_the_frame() {
    let cut = ether(0x0800, &[0x45, 0, 0]);
    assert!(!sel("tcp", &cut));
    assert!(
        !sel("not tcp", &cut),
        "the program ends: not does not turn it into a match"
    );
    assert!(sel("ip or tcp", &cut), "ip decides before tcp reads");
}

#[test]
fn other_links() {
    let ip = ipv4(17, 0, &ports(53, 1000));
    let f = Filter::parse("udp port 53 and host 10.0.0.2").unwrap();
    assert!(f.matches(LinkType::RawIp, &ip));
    assert!(f.matches(LinkType::Ipv4, &ip));
    assert!(!f.matches(LinkType::Ipv6, &ip));
    let mut sll2 = vec![0x08, 0x00];
    sll2.extend([0; 18]);
    sll2.extend(&ip);
    assert!(f.matches(LinkType::LinuxSll2, &sll2));
    assert!(!f.matches(LinkType::Other(105), &ip));
    let not_tcp = Filter::parse("not tcp").unwrap();
    assert!(
        !not_tcp.matches(LinkType::Other(105), &ip),
        "no frame of a link filters do not read"
    );
    let not_vlan = Filter::parse("not vlan").unwrap();
    assert!(
        !not_vlan.matches(LinkType::LinuxSll2, &sll2),
        "tcpdump refuses vlan there"
    );
    assert!(!Filter::parse("udp or ether host 0:0:0:0:0:0")
        .unwrap()
        .matches(LinkType::RawIp, &ip));
}

#[test]
fn ipv6_hosts_nets_and_fragments() {
    let mut h = vec![0x60, 0, 0, 0, 0, 28, 44, 64];
    h.extend([0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    h.extend([0xfd, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2]);
    h.extend([17, 0, 0, 1, 0, 0, 0, 9]); // fragment header: UDP next
    let f = ether(0x86dd, &h);
    assert!(sel("udp", &f));
    assert!(sel("ip6 host fd00::1", &f));
    assert!(sel("dst net fd00::/16", &f));
    assert!(!sel("host 10.0.0.1", &f));
}

#[test]
fn errors_name_the_column() {
    let e = err("tcp port x");
    assert_eq!(e.column, 10);
    assert_eq!(e.kind, ErrorKind::Service { name: "x".into() });
    let e = err("tcp and");
    assert_eq!(e.column, 8);
    assert_eq!(
        e.kind,
        ErrorKind::Expected {
            expected: Expected::Primitive,
            found: None
        }
    );
    assert_eq!(err("(tcp").column, 5);
    assert_eq!(err("tcp )").column, 5);
    assert_eq!(
        err("tcp or 80").kind,
        ErrorKind::Expected {
            expected: Expected::Qualified,
            found: Some("80".into())
        }
    );
    assert_eq!(
        err("tcp host 10.0.0.1").kind,
        ErrorKind::Qualifier {
            qualifier: "tcp",
            applied_to: Applied::Host
        }
    );
    assert_eq!(
        err("net 10.1.2.3/8").kind,
        ErrorKind::HostBits {
            network: "10.1.2.3/8".into()
        }
    );
    assert_eq!(err("vlan 5000").kind, ErrorKind::VlanId { value: 5000 });
    assert_eq!(err("port 65536").kind, ErrorKind::Port { value: 65536 });
    assert_eq!(
        err("host localhost").kind,
        ErrorKind::HostName {
            name: "localhost".into()
        }
    );
    assert_eq!(
        err("tcp[13] & 2 != 0").kind,
        ErrorKind::Unsupported { word: "[".into() }
    );
    assert_eq!(
        err("portrange 1-2").kind,
        ErrorKind::Unsupported {
            word: "portrange".into()
        }
    );
    assert!(matches!(
        err("host aa:bb:cc:dd:ee:ff").kind,
        ErrorKind::Qualifier { .. }
    ));
    assert!(matches!(
        err("ether").kind,
        ErrorKind::Expected {
            expected: Expected::EtherQualifier,
            ..
        }
    ));
    // Columns count characters, not bytes.
    assert_eq!(err("port 你好").column, 6);
}

#[test]
fn quoted_input_is_cut() {
    let long = "x".repeat(10_000);
    let e = err(&format!("host {long}"));
    let ErrorKind::HostName { name } = e.kind else {
        panic!("{e:?}")
    };
    assert_eq!(name.chars().count(), QUOTE_MAX);
}

#[test]
fn nesting_is_bounded() {
    let deep = format!("{}tcp{}", "(".repeat(100_000), ")".repeat(100_000));
    assert_eq!(err(&deep).kind, ErrorKind::TooDeep);
    let nots = format!("{}tcp", "not ".repeat(100_000));
    assert_eq!(err(&nots).kind, ErrorKind::TooDeep);
    // A long flat chain is no nesting: it is evaluated in a loop.
    let chain = vec!["tcp"; 100_000].join(" or ");
    assert!(Filter::parse(&chain).unwrap().matches(
        LinkType::Ethernet,
        &ether(0x0800, &ipv4(6, 0, &ports(1, 2)))
    ));
}
