//! Per-frame dissection, one frame at a time, at both details: `cargo bench -p layers-stack`.
//! The frames come from the fixtures (real traffic and crafted frames), so each benchmark is
//! a kind of frame a capture holds.

use std::path::Path;

use layers_osi::{Dissection, LinkType};
use layers_stack::{dissect_into, Detail, Frame, Stats};

fn main() {
    divan::main();
}

/// The frames of a fixture capture (classic pcap, little-endian), by number from 1.
fn fixture(name: &str, number: usize) -> Vec<u8> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures")
        .join(name);
    let data = std::fs::read(path).expect("fixture");
    let mut at = 24;
    for n in 1.. {
        let cap = u32::from_le_bytes(data[at + 8..at + 12].try_into().unwrap()) as usize;
        if n == number {
            return data[at + 16..at + 16 + cap].to_vec();
        }
        at += 16 + cap;
    }
    unreachable!()
}

/// (name, frame): a SYN with options, an HTTP request, a DNS query, an ARP reply, an ICMP
/// error quoting a datagram, QinQ-tagged UDP.
fn frames() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        ("tcp_syn", fixture("loopback-tcp-hello.pcap", 1)),
        ("http_get", fixture("crafted.pcap", 17)),
        ("dns_query", fixture("crafted.pcap", 18)),
        ("arp_reply", fixture("crafted.pcap", 19)),
        ("icmp_quote", fixture("crafted.pcap", 9)),
        ("qinq_udp", fixture("crafted.pcap", 8)),
    ]
}

const NAMES: &[&str] = &[
    "tcp_syn",
    "http_get",
    "dns_query",
    "arp_reply",
    "icmp_quote",
    "qinq_udp",
];

fn frame(name: &str) -> Vec<u8> {
    frames().into_iter().find(|f| f.0 == name).unwrap().1
}

/// The summary walk `--stats` runs, into a reused dissection, counted.
#[divan::bench(args = NAMES)]
fn summary(bencher: divan::Bencher, name: &str) {
    let bytes = frame(name);
    let mut d = Dissection::default();
    let mut stats = Stats::default();
    bencher
        .counter(divan::counter::BytesCount::new(bytes.len()))
        .bench_local(|| {
            let b = divan::black_box(&bytes);
            dissect_into(LinkType::Ethernet, b, b.len(), 0, Detail::Summary, &mut d);
            stats.add(&d, b.len());
        });
}

/// The full walk every view but `--stats` runs.
#[divan::bench(args = NAMES)]
fn full(bencher: divan::Bencher, name: &str) {
    let bytes = frame(name);
    let mut d = Dissection::default();
    bencher
        .counter(divan::counter::BytesCount::new(bytes.len()))
        .bench_local(|| {
            let b = divan::black_box(&bytes);
            dissect_into(LinkType::Ethernet, b, b.len(), 0, Detail::Full, &mut d);
            d.layers.len()
        });
}

/// The full walk and the JSON line `--json` writes for it.
#[divan::bench(args = NAMES)]
fn full_json(bencher: divan::Bencher, name: &str) {
    let bytes = frame(name);
    let mut out = Vec::with_capacity(8192);
    bencher.bench_local(|| {
        let b = divan::black_box(&bytes);
        let d = layers_stack::dissect(LinkType::Ethernet, b, b.len());
        out.clear();
        Frame::new(1, Some(1.0), b.len(), b.len(), d).write_json(&mut out);
        out.len()
    });
}
