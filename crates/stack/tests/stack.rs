//! The stack against real captures, every truncation, every fault, and generated frames
//! checked by etherparse as an independent reader.

use std::net::Ipv4Addr;
use std::path::Path;

use etherparse::{NetSlice, SlicedPacket, TransportSlice};
use layers_ethernet::{Mac, VlanTag};
use layers_osi::{LinkType, ProtocolId, StopKind};
use layers_stack::{
    dissect, dissect_ethernet, dissect_into, finish, Detail, Dissection, Fault, FaultEffect,
    FrameSpec, Ipv4Spec, NetworkSpec, TcpSpec, TransportSpec,
};
use layers_transport::TcpFlags;
use pcap_file::pcap::PcapReader;
use proptest::prelude::*;
use serde_json::{json, Value};

fn fixture(name: &str) -> Vec<Vec<u8>> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../fixtures")
        .join(name);
    let file = std::fs::File::open(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let mut reader = PcapReader::new(file).unwrap();
    let mut frames = Vec::new();
    while let Some(p) = reader.next_packet() {
        frames.push(p.unwrap().data.into_owned());
    }
    frames
}

fn names(d: &Dissection) -> Vec<&str> {
    d.layers.iter().map(|l| l.protocol.name()).collect()
}

fn field(d: &Dissection, protocol: &str, name: &str) -> Value {
    d.layer(ProtocolId::named(protocol).unwrap())
        .and_then(|l| l.field(name))
        .map(|f| f.value.to_json())
        .unwrap_or_else(|| panic!("{protocol}.{name} missing"))
}

#[test]
fn the_namespace_ping_dissects_cleanly_with_real_macs() {
    let frames = fixture("netns-arp-ping.pcap");
    assert_eq!(frames.len(), 4, "ARP request, reply, echo request, reply");
    let request = dissect_ethernet(&frames[0]);
    assert_eq!(names(&request), ["Ethernet PHY", "Ethernet II", "ARP"]);
    assert!(request.errors.is_empty(), "{:?}", request.errors);
    assert_eq!(
        field(&request, "Ethernet II", "destination"),
        json!("ff:ff:ff:ff:ff:ff")
    );
    assert_eq!(field(&request, "ARP", "operation"), json!(1));
    assert_eq!(field(&request, "ARP", "target_ip"), json!("10.99.0.2"));
    assert_eq!(field(&request, "ARP", "protocol_type"), json!("0x0800"));
    // 42 bytes captured on the sending side: the NIC would add 18 bytes of padding.
    assert_eq!(field(&request, "Ethernet II", "padding"), json!(18));
    let reply = dissect_ethernet(&frames[1]);
    assert_eq!(
        field(&reply, "ARP", "sender_mac"),
        json!("02:00:0a:63:00:02")
    );

    for (frame, icmp_type) in [(&frames[2], 8), (&frames[3], 0)] {
        let d = dissect_ethernet(frame);
        assert_eq!(names(&d), ["Ethernet PHY", "Ethernet II", "IPv4", "ICMP"]);
        assert!(d.errors.is_empty(), "{:?}", d.errors);
        assert_eq!(field(&d, "IPv4", "checksum_valid"), json!(true));
        assert_eq!(field(&d, "ICMP", "checksum_valid"), json!(true));
        assert_eq!(field(&d, "ICMP", "type"), json!(icmp_type));
        assert_eq!(field(&d, "ICMP", "data_length"), json!(56));
    }
}

#[test]
fn loopback_segments_show_the_checksum_offload_pattern() {
    let frames = fixture("loopback-tcp-hello.pcap");
    assert!(frames.len() >= 8, "handshake, data both ways, close");
    let syn = dissect_ethernet(&frames[0]);
    assert_eq!(field(&syn, "TCP", "flags"), json!(["SYN"]));
    assert_eq!(field(&syn, "TCP", "destination_port"), json!(9999));
    let options = field(&syn, "TCP", "options");
    let kinds: Vec<&str> = options
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["kind"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        ["MSS", "SACKPermitted", "Timestamps", "NOP", "WindowScale"]
    );
    assert_eq!(options[0]["value"], json!(65495));
    // Linux leaves loopback TCP checksums to "the NIC": the field holds the pseudo-header sum.
    for frame in &frames {
        let d = dissect_ethernet(frame);
        assert_eq!(field(&d, "IPv4", "checksum_valid"), json!(true));
        for e in &d.errors {
            assert!(
                matches!(e.kind, StopKind::BadChecksum { offload: true, .. }),
                "{e:?}"
            );
            assert!(e.message().contains("checksum offload"));
        }
    }
    let texts: Vec<Value> = frames
        .iter()
        .map(|f| dissect_ethernet(f))
        .filter_map(|d| {
            d.layers
                .last()
                .and_then(|l| l.field("text"))
                .map(|f| f.value.to_json())
        })
        .collect();
    assert_eq!(texts, [json!("你好"), json!("你也好")]);
}

/// Every frame of every pcap fixture, with the link type its file gives.
fn every_pcap_fixture_frame() -> Vec<(String, LinkType, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures");
    let mut out = Vec::new();
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    for path in names {
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if path.extension().and_then(|e| e.to_str()) != Some("pcap")
            || name == "crafted-cut-short.pcap"
        {
            continue;
        }
        let mut reader = PcapReader::new(std::fs::File::open(&path).unwrap()).unwrap();
        let link = match u32::from(reader.header().datalink) & 0xffff {
            1 => LinkType::Ethernet,
            276 => LinkType::LinuxSll2,
            113 => LinkType::LinuxSll,
            101 => LinkType::RawIp,
            n => LinkType::Other(n),
        };
        let mut i = 0;
        while let Some(p) = reader.next_packet() {
            let p = p.unwrap();
            i += 1;
            out.push((format!("{name} frame {i}"), link, p.data.into_owned()));
        }
    }
    out
}

fn malformed(d: &Dissection) -> Vec<&layers_osi::Stop> {
    d.errors
        .iter()
        .filter(|e| {
            matches!(
                e.kind,
                StopKind::Truncated { .. } | StopKind::Invalid { .. }
            )
        })
        .collect()
}

/// For every real and crafted frame and every cut, the error is in the layer whose bytes
/// were cut (for a datagram an ICMP error quotes: the ICMP message), at that layer's start,
/// and every layer before it is still there.
#[test]
fn every_truncation_of_every_fixture_frame_names_the_cut_layer() {
    let frames = every_pcap_fixture_frame();
    assert!(frames.len() > 60, "{} frames", frames.len());
    let mut cuts = 0;
    for (at, link, frame) in frames {
        let whole = dissect(link, &frame, frame.len());
        if !malformed(&whole).is_empty() {
            continue; // broken on purpose, or already cut by the capture
        }
        for cut in 0..frame.len() {
            cuts += 1;
            // Cut as a snap length cuts: the wire carried the whole frame.
            let d = dissect(link, &frame[..cut], frame.len());
            let errors = malformed(&d);
            let owner = whole.owner_of(cut).map(|o| {
                if o.quoted {
                    // The quote is the ICMP message's data.
                    whole
                        .layers
                        .iter()
                        .rev()
                        .find(|l| !l.quoted && l.span.contains(cut))
                        .unwrap()
                } else {
                    o
                }
            });
            // Bytes no header owns, inside a layer that promised them (LLC's payload).
            let owner = owner.or_else(|| {
                whole
                    .layers
                    .iter()
                    .rev()
                    .find(|l| l.protocol == ProtocolId::Llc && l.span.contains(cut))
            });
            match owner {
                Some(owner) => {
                    assert_eq!(errors.len(), 1, "{at} cut {cut}: {:?}", d.errors);
                    let e = errors[0];
                    // Before byte 14 nothing tells 802.3 from Ethernet II framing.
                    let name = if owner.protocol == ProtocolId::Ieee8023 {
                        ProtocolId::Ethernet2
                    } else {
                        owner.protocol
                    };
                    // What the data is may show only in the bytes that were cut (HTTP's "GET").
                    if owner.layer() != layers_osi::OsiLayer::Application {
                        assert_eq!(e.protocol, Some(name), "{at} cut {cut}");
                    }
                    assert_eq!(e.layer, owner.layer(), "{at} cut {cut}");
                    assert_eq!(e.offset, owner.header.start, "{at} cut {cut}");
                    assert!(
                        matches!(e.kind, StopKind::Truncated { .. }),
                        "{at} cut {cut}: {e:?}"
                    );
                    for before in whole
                        .layers
                        .iter()
                        .filter(|l| l.header.end <= owner.header.start && !l.quoted)
                    {
                        assert!(
                            d.layer(before.protocol).is_some(),
                            "{at} cut {cut} lost {}",
                            before.protocol.name()
                        );
                    }
                }
                None => assert!(
                    errors.is_empty(),
                    "{at} cut {cut} in padding: {:?}",
                    d.errors
                ),
            }
        }
    }
    assert!(cuts > 10_000, "{cuts} cuts");
}

fn seed_spec(transport: TransportSpec) -> FrameSpec {
    FrameSpec {
        source_mac: Mac::derived_from_ipv4([192, 168, 11, 34]),
        destination_mac: Mac::derived_from_ipv4([192, 168, 11, 53]),
        vlan: None,
        network: NetworkSpec::Ipv4(
            Ipv4Spec {
                source: Ipv4Addr::new(192, 168, 11, 34),
                destination: Ipv4Addr::new(192, 168, 11, 53),
                ttl: 64,
                identification: 1,
                dont_fragment: false,
            },
            transport,
        ),
    }
}

fn seed_tcp() -> TransportSpec {
    TransportSpec::Tcp(TcpSpec {
        source_port: 51000,
        destination_port: 9999,
        sequence: 1,
        acknowledgment: 1,
        flags: TcpFlags(TcpFlags::PSH | TcpFlags::ACK),
        window: 64240,
        mss: None,
        window_scale: None,
        payload: b"hello!".to_vec(),
    })
}

#[test]
fn the_seed_frame_byte_for_byte() {
    let bytes = seed_spec(seed_tcp()).build().unwrap();
    // Checked against Wireshark: every checksum correct, no expert info.
    let want = "02 00 c0 a8 0b 35 02 00 c0 a8 0b 22 08 00 45 00 00 2e 00 01 00 00 40 06 e3 21 c0 a8 0b 22 \
                c0 a8 0b 35 c7 38 27 0f 00 00 00 01 00 00 00 01 50 18 fa f0 ea f0 00 00 68 65 6c 6c 6f 21";
    assert_eq!(bytes, hex::decode(want.replace(' ', "")).unwrap());
    let d = dissect_ethernet(&bytes);
    assert_eq!(
        names(&d),
        ["Ethernet PHY", "Ethernet II", "IPv4", "TCP", "data"]
    );
    assert!(d.errors.is_empty());
    let spans: Vec<(usize, usize)> = d.layers[1..]
        .iter()
        .map(|l| (l.header.start, l.header.end))
        .collect();
    assert_eq!(spans, [(0, 14), (14, 34), (34, 54), (54, 60)]);
}

#[test]
fn each_fault_breaks_what_it_names_and_dissection_sees_it() {
    let bytes = seed_spec(seed_tcp()).build().unwrap();

    let f = finish(&bytes, &[Fault::BadIpChecksum], false).unwrap();
    let d = dissect_ethernet(&f.frame);
    assert_eq!(field(&d, "IPv4", "checksum_valid"), json!(false));
    assert_eq!(field(&d, "TCP", "checksum_valid"), json!(true));
    let FaultEffect::Checksum {
        written,
        correct,
        offset,
        ..
    } = f.effects[0]
    else {
        panic!()
    };
    assert_eq!((offset, correct), (24, 0xe321));
    assert_eq!(
        d.errors[0].kind,
        StopKind::BadChecksum {
            found: written,
            expected: correct,
            offload: false
        }
    );

    let f = finish(&bytes, &[Fault::BadL4Checksum], false).unwrap();
    let d = dissect_ethernet(&f.frame);
    assert_eq!(field(&d, "IPv4", "checksum_valid"), json!(true));
    assert_eq!(field(&d, "TCP", "checksum_valid"), json!(false));

    let f = finish(&bytes, &[Fault::TtlZero], false).unwrap();
    let d = dissect_ethernet(&f.frame);
    assert_eq!(field(&d, "IPv4", "ttl"), json!(0));
    assert_eq!(
        field(&d, "IPv4", "checksum_valid"),
        json!(true),
        "only the TTL is wrong"
    );

    let f = finish(&bytes, &[Fault::Truncate(40)], true).unwrap();
    assert_eq!((f.written.len(), f.original_length), (40, 64));
    assert_eq!(
        f.effects,
        [FaultEffect::Truncated {
            from: 64,
            to: 40,
            inside: "TCP",
            layer: layers_osi::OsiLayer::Transport
        }]
    );
    let d = dissect(LinkType::Ethernet, &f.frame, f.original_length - 4);
    assert_eq!(
        d.errors[0].message(),
        "truncated: TCP header needs 20 bytes, 6 present; sequence at byte 38 and what follows are missing"
    );

    // A UDP checksum is never corrupted into 0, which would mean "not used".
    let udp = seed_spec(TransportSpec::Udp {
        source_port: 1,
        destination_port: 2,
        payload: vec![],
    });
    for port in 0..2000u16 {
        let mut spec = udp.clone();
        if let NetworkSpec::Ipv4(_, TransportSpec::Udp { source_port, .. }) = &mut spec.network {
            *source_port = port;
        }
        let f = finish(&spec.build().unwrap(), &[Fault::BadL4Checksum], false).unwrap();
        assert_eq!(
            field(&dissect_ethernet(&f.frame), "UDP", "checksum_valid"),
            json!(false),
            "port {port}"
        );
    }
}

#[test]
fn faults_that_do_not_apply_are_refused() {
    let arp = FrameSpec {
        network: NetworkSpec::Arp(Box::new(layers_arp::request(
            [2, 0, 1, 2, 3, 4],
            [1, 2, 3, 4],
            [1, 2, 3, 5],
        ))),
        ..seed_spec(seed_tcp())
    };
    let bytes = arp.build().unwrap();
    for fault in [
        Fault::BadIpChecksum,
        Fault::BadL4Checksum,
        Fault::TtlZero,
        Fault::Truncate(60),
        Fault::Truncate(0),
    ] {
        assert!(finish(&bytes, &[fault], false).is_err(), "{fault}");
    }
    assert!(finish(&bytes, &[Fault::Truncate(59)], false).is_ok());
    for name in [
        "bad-ip-checksum",
        "bad-l4-checksum",
        "ttl-zero",
        "truncate=12",
    ] {
        assert_eq!(name.parse::<Fault>().unwrap().to_string(), name);
    }
    assert!("truncate=x".parse::<Fault>().is_err());
    assert!("ttl-one".parse::<Fault>().is_err());
}

#[test]
fn the_mtu_is_enforced_with_the_numbers() {
    let mut spec = seed_spec(seed_tcp());
    if let NetworkSpec::Ipv4(_, TransportSpec::Tcp(t)) = &mut spec.network {
        t.payload = vec![0; 1461];
    }
    let err = spec.check_mtu(1500).unwrap_err().to_string();
    assert!(
        err.contains("1501 bytes") && err.contains("at most 1460"),
        "{err}"
    );
    assert!(spec.check_mtu(1501).is_ok());
}

fn arb_transport() -> impl Strategy<Value = TransportSpec> {
    let payload = proptest::collection::vec(any::<u8>(), 0..200);
    prop_oneof![
        (
            any::<u16>(),
            any::<u16>(),
            any::<u32>(),
            any::<u32>(),
            0u16..0x200,
            any::<u16>(),
            proptest::option::of(1u16..),
            proptest::option::of(0u8..=14),
            payload.clone()
        )
            .prop_map(|(sp, dp, seq, ack, flags, window, mss, ws, payload)| {
                TransportSpec::Tcp(TcpSpec {
                    source_port: sp,
                    destination_port: dp,
                    sequence: seq,
                    acknowledgment: ack,
                    flags: TcpFlags(flags),
                    window,
                    mss,
                    window_scale: ws,
                    payload,
                })
            }),
        (any::<u16>(), any::<u16>(), payload.clone()).prop_map(|(sp, dp, payload)| {
            TransportSpec::Udp {
                source_port: sp,
                destination_port: dp,
                payload,
            }
        }),
        (any::<u16>(), any::<u16>(), payload).prop_map(|(identifier, sequence, payload)| {
            TransportSpec::IcmpEcho {
                identifier,
                sequence,
                payload,
            }
        }),
    ]
}

fn arb_spec() -> impl Strategy<Value = FrameSpec> {
    (
        any::<[u8; 6]>(),
        any::<[u8; 6]>(),
        proptest::option::of((1u16..=4094, 0u8..=7)),
        any::<[u8; 4]>(),
        any::<[u8; 4]>(),
        any::<u8>(),
        any::<u16>(),
        any::<bool>(),
        arb_transport(),
    )
        .prop_map(|(s, d, vlan, src, dst, ttl, id, df, transport)| FrameSpec {
            source_mac: Mac(s),
            destination_mac: Mac(d),
            vlan: vlan.map(|(id, pcp)| VlanTag { id, pcp }),
            network: NetworkSpec::Ipv4(
                Ipv4Spec {
                    source: src.into(),
                    destination: dst.into(),
                    ttl,
                    identification: id,
                    dont_fragment: df,
                },
                transport,
            ),
        })
}

/// Every layer combination `encode` can build: with or without a VLAN tag, ARP (request
/// or reply) or IPv4 carrying TCP (any flags, MSS and window scale), UDP or an ICMP echo.
fn arb_any_spec() -> impl Strategy<Value = FrameSpec> {
    let arp = (
        any::<bool>(),
        any::<[u8; 6]>(),
        any::<[u8; 4]>(),
        any::<[u8; 6]>(),
        any::<[u8; 4]>(),
    )
        .prop_map(|(reply, sm, si, tm, ti)| {
            NetworkSpec::Arp(Box::new(if reply {
                layers_arp::reply(sm, si, tm, ti)
            } else {
                layers_arp::request(sm, si, ti)
            }))
        });
    prop_oneof![
        arb_spec(),
        (arb_spec(), arp).prop_map(|(spec, network)| FrameSpec { network, ..spec }),
    ]
}

fn mac_text(m: &[u8]) -> Value {
    json!(Mac(m.try_into().unwrap()).to_string())
}

/// The fields our dissector must give back for what `spec` asked for.
fn expected_fields(spec: &FrameSpec) -> Vec<(&'static str, &'static str, Value)> {
    let mut want = vec![
        ("Ethernet II", "source", json!(spec.source_mac.to_string())),
        (
            "Ethernet II",
            "destination",
            json!(spec.destination_mac.to_string()),
        ),
    ];
    if let Some(v) = spec.vlan {
        want.push(("802.1Q", "id", json!(v.id)));
        want.push(("802.1Q", "priority", json!(v.pcp)));
    }
    match &spec.network {
        NetworkSpec::Arp(a) => {
            want.push(("ARP", "operation", json!(a.operation.0)));
            want.push(("ARP", "sender_mac", mac_text(a.sender_hw_addr())));
            want.push(("ARP", "target_mac", mac_text(a.target_hw_addr())));
            let ip = |b: &[u8]| json!(Ipv4Addr::from(<[u8; 4]>::try_from(b).unwrap()).to_string());
            want.push(("ARP", "sender_ip", ip(a.sender_protocol_addr())));
            want.push(("ARP", "target_ip", ip(a.target_protocol_addr())));
        }
        NetworkSpec::Ipv4(ip, transport) => {
            want.push(("IPv4", "source", json!(ip.source.to_string())));
            want.push(("IPv4", "destination", json!(ip.destination.to_string())));
            want.push(("IPv4", "ttl", json!(ip.ttl)));
            want.push(("IPv4", "identification", json!(ip.identification)));
            want.push(("IPv4", "dont_fragment", json!(ip.dont_fragment)));
            want.push(("IPv4", "checksum_valid", json!(true)));
            match transport {
                TransportSpec::Tcp(t) => {
                    want.push(("TCP", "source_port", json!(t.source_port)));
                    want.push(("TCP", "destination_port", json!(t.destination_port)));
                    want.push(("TCP", "sequence", json!(t.sequence)));
                    want.push(("TCP", "acknowledgment", json!(t.acknowledgment)));
                    want.push(("TCP", "window", json!(t.window)));
                    want.push(("TCP", "payload_length", json!(t.payload.len())));
                    want.push(("TCP", "checksum_valid", json!(true)));
                }
                TransportSpec::Udp {
                    source_port,
                    destination_port,
                    payload,
                } => {
                    want.push(("UDP", "source_port", json!(source_port)));
                    want.push(("UDP", "destination_port", json!(destination_port)));
                    want.push(("UDP", "length", json!(payload.len() + 8)));
                }
                TransportSpec::IcmpEcho {
                    identifier,
                    sequence,
                    payload,
                } => {
                    want.push(("ICMP", "identifier", json!(identifier)));
                    want.push(("ICMP", "sequence", json!(sequence)));
                    want.push(("ICMP", "data_length", json!(payload.len())));
                    want.push(("ICMP", "checksum_valid", json!(true)));
                }
            }
        }
    }
    want
}

/// Each field of `d` that sits wholly before byte `at` and whose value its own bytes decide
/// (a checksum's verdict, a padding count or a payload length depend on later bytes), by
/// where its layer starts: bytes 12-13 decide whether the MACs before them are Ethernet II's
/// or 802.3's, but not what they are.
fn own_fields_before(d: &Dissection, at: usize) -> Vec<(usize, &'static str, Value)> {
    const DERIVED: &[&str] = &[
        "checksum_valid",
        "padding",
        "fcs",
        "payload_length",
        "data_length",
        "length",
        "text",
        "bits",
        "options",
    ];
    d.layers
        .iter()
        .filter(|l| !l.quoted && l.layer() != layers_osi::OsiLayer::Physical)
        .flat_map(|l| {
            l.fields
                .iter()
                .filter(move |f| {
                    f.span.end <= at && !f.span.is_empty() && !DERIVED.contains(&f.name)
                })
                .map(move |f| (l.header.start, f.name, f.value.to_json()))
        })
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2048, ..ProptestConfig::default() })]

    /// Every combination `encode` can build dissects, by our own dissector, back to the
    /// values it was built from, with no error; TCP's flags keep all nine bits.
    #[test]
    fn every_built_combination_dissects_to_its_fields(spec in arb_any_spec()) {
        let bytes = spec.build().unwrap();
        let frame = finish(&bytes, &[], false).unwrap().frame;
        let d = dissect_ethernet(&frame);
        // Random data to port 53 or 161 is a malformed DNS or SNMP message, rightly.
        let below_data = d.errors.iter().filter(|e| e.layer != layers_osi::OsiLayer::Application);
        prop_assert_eq!(below_data.count(), 0, "{:?}", d.errors);
        for (protocol, name, want) in expected_fields(&spec) {
            prop_assert_eq!(field(&d, protocol, name), want, "{}.{}", protocol, name);
        }
        if let NetworkSpec::Ipv4(_, TransportSpec::Tcp(t)) = &spec.network {
            let tcp = d.layer(ProtocolId::Tcp).unwrap();
            let header = &frame[tcp.header.start..tcp.header.end];
            prop_assert_eq!(TcpFlags::from_bytes(header[12], header[13]), t.flags);
            prop_assert_eq!(tcp.header.len(), 20 + if t.mss.is_some() { 4 } else { 0 } + if t.window_scale.is_some() { 4 } else { 0 });
        }
    }

    /// A built frame cut at any length, as a snap length cuts it: one error, in the layer
    /// whose header or data holds the cut, at that layer's first byte, and every field that
    /// lies wholly before the cut still there with its value.
    #[test]
    fn a_cut_keeps_every_field_before_it(spec in arb_any_spec(), cut in any::<prop::sample::Index>()) {
        let frame = spec.build().unwrap();
        let whole = dissect_ethernet(&frame);
        prop_assume!(malformed(&whole).is_empty(), "random data to a DNS or SNMP port");
        let cut = cut.index(frame.len());
        let d = dissect(LinkType::Ethernet, &frame[..cut], frame.len());
        let errors = malformed(&d);
        let owner = whole.owner_of(cut).unwrap();
        prop_assert_eq!(errors.len(), 1, "cut {}: {:?}", cut, d.errors);
        prop_assert_eq!(errors[0].layer, owner.layer(), "cut {}", cut);
        prop_assert_eq!(errors[0].offset, owner.header.start, "cut {}", cut);
        prop_assert!(matches!(errors[0].kind, StopKind::Truncated { .. }), "{:?}", errors[0]);
        let kept = own_fields_before(&d, cut);
        for f in own_fields_before(&whole, cut) {
            prop_assert!(kept.contains(&f), "cut {}: lost {:?}", cut, f);
        }
    }

    /// Any byte of a built frame flipped to any other value: no panic, every error inside
    /// the frame, and every field wholly before the flipped byte unchanged.
    #[test]
    fn a_flipped_byte_changes_nothing_before_it(spec in arb_any_spec(), at in any::<prop::sample::Index>(), xor in 1u8..) {
        let mut frame = finish(&spec.build().unwrap(), &[], false).unwrap().frame;
        let whole = dissect_ethernet(&frame);
        let at = at.index(frame.len());
        frame[at] ^= xor;
        let d = dissect_ethernet(&frame);
        for e in &d.errors {
            prop_assert!(e.offset <= frame.len());
        }
        let kept = own_fields_before(&d, at);
        for f in own_fields_before(&whole, at) {
            prop_assert!(kept.contains(&f), "flip at {}: lost {:?}", at, f);
        }
    }

    /// Every frame we build, padded or not, parses back with etherparse (an independent
    /// reader) to the fields it was built from, and our dissector agrees and finds no fault.
    #[test]
    fn built_frames_parse_back_to_their_fields(spec in arb_spec()) {
        let bytes = spec.build().unwrap();
        let padded = finish(&bytes, &[], false).unwrap().frame;
        prop_assert!(padded.len() >= 60);
        for frame in [&bytes, &padded] {
            let p = SlicedPacket::from_ethernet(frame).unwrap();
            let NetworkSpec::Ipv4(ip, transport) = &spec.network else { unreachable!() };
            let Some(NetSlice::Ipv4(v4)) = &p.net else { panic!("no IPv4") };
            let h = v4.header();
            prop_assert_eq!(h.source_addr(), ip.source);
            prop_assert_eq!(h.destination_addr(), ip.destination);
            prop_assert_eq!(h.ttl(), ip.ttl);
            prop_assert_eq!(h.identification(), ip.identification);
            prop_assert_eq!(h.dont_fragment(), ip.dont_fragment);
            prop_assert_eq!(h.header_checksum(), h.to_header().calc_header_checksum());
            prop_assert_eq!(p.vlan_ids().first().map(|v| v.value()), spec.vlan.map(|v| v.id));
            match (transport, &p.transport) {
                (TransportSpec::Tcp(t), Some(TransportSlice::Tcp(s))) => {
                    prop_assert_eq!((s.source_port(), s.destination_port()), (t.source_port, t.destination_port));
                    prop_assert_eq!((s.sequence_number(), s.acknowledgment_number()), (t.sequence, t.acknowledgment));
                    prop_assert_eq!(s.window_size(), t.window);
                    prop_assert_eq!(s.payload(), &t.payload[..]);
                    prop_assert_eq!(TcpFlags::from_bytes(s.slice()[12], s.slice()[13]), t.flags);
                }
                (TransportSpec::Udp { source_port, destination_port, payload }, Some(TransportSlice::Udp(s))) => {
                    prop_assert_eq!((s.source_port(), s.destination_port()), (*source_port, *destination_port));
                    prop_assert_eq!(s.payload(), &payload[..]);
                }
                (TransportSpec::IcmpEcho { payload, .. }, Some(TransportSlice::Icmpv4(s))) => {
                    prop_assert_eq!(s.payload(), &payload[..]);
                }
                (want, got) => prop_assert!(false, "{:?} parsed as {:?}", want, got),
            }
            let d = dissect_ethernet(frame);
            let below_data = d.errors.iter().filter(|e| e.layer != layers_osi::OsiLayer::Application);
            prop_assert_eq!(below_data.count(), 0, "{:?}", d.errors);
            let l4 = d.layers.iter().find(|l| matches!(l.protocol, ProtocolId::Tcp | ProtocolId::Udp | ProtocolId::Icmp)).unwrap();
            let valid = &l4.field("checksum_valid").unwrap().value.to_json();
            prop_assert!(valid == &json!(true) || valid.is_null(), "{}", valid);
            prop_assert_eq!(field(&d, "IPv4", "checksum_valid"), json!(true));
        }
    }

    /// No input makes dissection panic, and every error lies inside the frame.
    #[test]
    fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..120)) {
        let d = dissect_ethernet(&bytes);
        for e in &d.errors {
            prop_assert!(e.offset <= bytes.len());
        }
        for l in &d.layers {
            prop_assert!(l.span.end <= bytes.len());
        }
    }

    /// Valid headers followed by arbitrary bytes: the interesting paths of a dissector.
    #[test]
    fn valid_prefixes_with_arbitrary_tails_never_panic(spec in arb_spec(), tail in proptest::collection::vec(any::<u8>(), 0..80), cut in 0usize..120) {
        let mut bytes = spec.build().unwrap();
        let keep = cut.min(bytes.len());
        bytes.truncate(keep);
        bytes.extend(tail);
        let _ = dissect_ethernet(&bytes);
    }
}

/// `present_fields` ends a summary record's work at the table's last field, so in every
/// table (and so in every prefix of one) no field may end after the field that follows it.
#[test]
fn every_field_table_ends_in_order() {
    for p in ProtocolId::ALL {
        let table = layers_stack::field_table(p);
        for pair in table.windows(2) {
            let [a, b] = pair else { continue };
            assert!(
                a.offset + a.len <= b.offset + b.len,
                "{p:?}: {} ends after {}",
                a.name,
                b.name
            );
        }
    }
}

/// What a summary record keeps, for comparing the two walks.
fn outline(d: &Dissection) -> Vec<String> {
    d.layers
        .iter()
        .map(|l| {
            format!(
                "{:?} {:?} {:?} quoted={} checksum={:?} payload={:?}",
                l.protocol, l.span, l.header, l.quoted, l.checksum, l.payload_length
            )
        })
        .collect()
}

/// Walks `frame` both ways and asserts the summary walk found what the full walk found.
fn assert_walks_agree(what: &str, link: LinkType, frame: &[u8], wire: usize) {
    let mut full = Dissection::default();
    let mut summary = Dissection::default();
    dissect_into(link, frame, wire, 0, Detail::Full, &mut full);
    dissect_into(link, frame, wire, 0, Detail::Summary, &mut summary);
    assert_eq!(outline(&summary), outline(&full), "{what}: records");
    assert_eq!(summary.errors, full.errors, "{what}: stops");
    assert!(
        summary.layers.iter().all(|l| l.fields.is_empty()),
        "{what}: a summary record kept a field"
    );
}

/// `--stats` and `--oneline` walk frames on the summary path: it must find the records
/// (protocol, spans, quoting, checksum verdict, payload length) and the stops the full
/// walk finds, on every fixture frame, every cut of it and every byte flipped two ways.
#[test]
fn the_summary_walk_finds_what_the_full_walk_finds() {
    let mut walks = 0;
    for (at, link, frame) in every_pcap_fixture_frame() {
        assert_walks_agree(&at, link, &frame, frame.len());
        for cut in 0..frame.len() {
            assert_walks_agree(&format!("{at} cut {cut}"), link, &frame[..cut], frame.len());
        }
        for i in 0..frame.len() {
            for xor in [0x01, 0xff] {
                let mut flipped = frame.clone();
                flipped[i] ^= xor;
                let what = format!("{at} byte {i} ^ {xor:#04x}");
                assert_walks_agree(&what, link, &flipped, flipped.len());
            }
        }
        walks += 3 * frame.len() + 1;
    }
    assert!(walks > 20_000, "{walks} frames walked");
}

proptest! {
    /// The same on generated frames of every kind `encode` builds, with a byte flipped.
    #[test]
    fn the_summary_walk_agrees_on_built_frames(spec in arb_any_spec(), at in any::<prop::sample::Index>(), xor in 1u8..) {
        let mut frame = finish(&spec.build().unwrap(), &[], false).unwrap().frame;
        assert_walks_agree("whole", LinkType::Ethernet, &frame, frame.len());
        let at = at.index(frame.len());
        frame[at] ^= xor;
        assert_walks_agree(&format!("byte {at} ^ {xor}"), LinkType::Ethernet, &frame, frame.len());
    }
}

/// The protocols whose fields `header_field` reads.
const READ_ON_DEMAND: [ProtocolId; 7] = [
    ProtocolId::Arp,
    ProtocolId::Ipv4,
    ProtocolId::Ipv6,
    ProtocolId::Icmp,
    ProtocolId::Icmpv6,
    ProtocolId::Tcp,
    ProtocolId::Udp,
];

/// The fields `--oneline` reads on demand: for these, a value read means the record has it.
const ONELINE_FIELDS: &[(ProtocolId, &str)] = &[
    (ProtocolId::Arp, "operation"),
    (ProtocolId::Arp, "sender_mac"),
    (ProtocolId::Arp, "sender_ip"),
    (ProtocolId::Arp, "target_ip"),
    (ProtocolId::Ipv4, "source"),
    (ProtocolId::Ipv4, "destination"),
    (ProtocolId::Ipv6, "source"),
    (ProtocolId::Ipv6, "destination"),
    (ProtocolId::Icmp, "type"),
    (ProtocolId::Icmp, "code"),
    (ProtocolId::Icmpv6, "type"),
    (ProtocolId::Icmpv6, "code"),
    (ProtocolId::Tcp, "source_port"),
    (ProtocolId::Tcp, "destination_port"),
    (ProtocolId::Tcp, "flags"),
    (ProtocolId::Tcp, "sequence"),
    (ProtocolId::Tcp, "acknowledgment"),
    (ProtocolId::Tcp, "window"),
    (ProtocolId::Udp, "source_port"),
    (ProtocolId::Udp, "destination_port"),
    (ProtocolId::Udp, "length"),
];

/// Asserts that every table field the full walk gives a record of [`READ_ON_DEMAND`] is
/// what `header_field` reads from the frame's bytes, and that the fields `--oneline` reads
/// are read only where the record has them.
fn assert_read_on_demand(
    what: &str,
    link: LinkType,
    frame: &[u8],
    wire: usize,
    checked: &mut [usize; 7],
) {
    let mut full = Dissection::default();
    dissect_into(link, frame, wire, 0, Detail::Full, &mut full);
    for rec in full
        .layers
        .iter()
        .filter(|l| READ_ON_DEMAND.contains(&l.protocol))
    {
        for spec in layers_stack::field_table(rec.protocol) {
            let read = layers_stack::header_field(rec, frame, spec);
            let kept = rec
                .fields
                .iter()
                .find(|f| f.name == spec.name && f.span == spec.span(rec.header.start));
            if let Some(kept) = kept {
                assert_eq!(
                    read.as_ref(),
                    Some(&kept.value),
                    "{what}: {:?} {}",
                    rec.protocol,
                    spec.name
                );
                let i = READ_ON_DEMAND
                    .iter()
                    .position(|&p| p == rec.protocol)
                    .unwrap();
                checked[i] += 1;
            } else if ONELINE_FIELDS.contains(&(rec.protocol, spec.name)) {
                assert_eq!(
                    read, None,
                    "{what}: {:?} {} read but not in the record",
                    rec.protocol, spec.name
                );
            }
        }
    }
}

/// `header_field` reads what the full walk builds, on every fixture frame, every cut and
/// every byte flipped two ways.
#[test]
fn fields_read_on_demand_are_the_full_walks_fields() {
    let mut checked = [0; 7];
    for (at, link, frame) in every_pcap_fixture_frame() {
        assert_read_on_demand(&at, link, &frame, frame.len(), &mut checked);
        for cut in 0..frame.len() {
            let what = format!("{at} cut {cut}");
            assert_read_on_demand(&what, link, &frame[..cut], frame.len(), &mut checked);
        }
        for i in 0..frame.len() {
            for xor in [0x01, 0xff] {
                let mut flipped = frame.clone();
                flipped[i] ^= xor;
                let what = format!("{at} byte {i} ^ {xor:#04x}");
                assert_read_on_demand(&what, link, &flipped, flipped.len(), &mut checked);
            }
        }
    }
    for (p, n) in READ_ON_DEMAND.iter().zip(checked) {
        assert!(n > 100, "{p:?}: only {n} fields checked");
    }
}
