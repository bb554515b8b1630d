//! The transport layer's dissectors: TCP with its options and UDP, each checksum verified
//! with the pseudo-header of the IP packet around it.

use etherparse::{TcpHeaderSlice, TcpOptionElement, TcpOptionsIterator};
use layers_ipv4::{checksum_verdict, Addrs, IpContext};
use layers_osi::{
    present_fields, spec, Cursor, FieldSpec, FieldValue as Value, ProtocolId, Span, StopKind, Text,
};

use crate::{
    tcp_option_name, TcpFlags, TCP_FIELDS, TCP_FLAG_BIT_NAMES, TCP_MIN_LEN, UDP_FIELDS, UDP_LEN,
};

/// The data a segment or datagram carries, for the application layer's dissector.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct AppPayload {
    /// Where the data starts.
    pub off: usize,
    /// Where it ends, as far as the frame holds it.
    pub end: usize,
    /// How many bytes the headers promise.
    pub declared: usize,
    /// Source and destination port.
    pub ports: (u16, u16),
    /// Whether it came over TCP (DNS over TCP has a length prefix).
    pub over_tcp: bool,
}

fn hex16(v: u16) -> Value {
    Value::hex16(v)
}

/// A TCP header field's value from its raw bits, as the JSON contract types it.
fn tcp_value(f: &FieldSpec, raw: u32) -> Value {
    match f.name {
        "header_length" => raw.saturating_mul(4).into(),
        "flags" => Value::Flags {
            bits: TcpFlags(raw as u16).0,
            names: &TCP_FLAG_BIT_NAMES,
        },
        "checksum" => hex16(raw as u16),
        _ => raw.into(),
    }
}

/// A UDP header field's value from its raw bits.
fn udp_value(f: &FieldSpec, raw: u32) -> Value {
    match f.name {
        "checksum" => hex16(raw as u16),
        _ => raw.into(),
    }
}

/// The value a TCP record holds for field `f` of [`TCP_FIELDS`], read from the bytes under
/// the record's header; `None` when they do not hold all of it. A view that reads a few
/// fields reads them this way after the summary walk instead of building every field.
pub fn tcp_field(f: &FieldSpec, header: &[u8]) -> Option<Value> {
    let fixed = header.get(..TCP_MIN_LEN).unwrap_or(header);
    f.read(fixed).map(|raw| tcp_value(f, raw))
}

/// The value a UDP record holds for field `f` of [`UDP_FIELDS`], read from the bytes under
/// its header.
pub fn udp_field(f: &FieldSpec, header: &[u8]) -> Option<Value> {
    f.read(header).map(|raw| udp_value(f, raw))
}

/// A TCP segment at `off` in the IP payload that ends at `end`; its data, if it carries any.
pub fn tcp(c: &mut Cursor<'_, '_>, off: usize, end: usize, ip: IpContext) -> Option<AppPayload> {
    const P: ProtocolId = ProtocolId::Tcp;
    let what = Text::new("TCP header", "TCP 首部");
    let data = c.frame.get(off..end).unwrap_or_default();
    const T: &[FieldSpec] = TCP_FIELDS;
    let hlen = data.get(12).map(|b| usize::from(b >> 4) * 4);
    // The bytes the header claims (at least its fixed part), as far as the frame has them.
    let claimed = hlen.unwrap_or(TCP_MIN_LEN).max(TCP_MIN_LEN);
    let have = data.get(..claimed).unwrap_or(data);
    let whole = hlen.is_some_and(|h| h >= TCP_MIN_LEN && data.len() >= h);
    let span_end = if whole {
        end
    } else {
        off.saturating_add(have.len())
    };
    let mut rec = c.record(
        P,
        Span::new(off, span_end),
        Span::new(off, off.saturating_add(have.len())),
        8,
    );
    let fixed = have.get(..TCP_MIN_LEN).unwrap_or(have);
    let missing = present_fields(&mut rec, T, off, fixed, tcp_value);
    let header = whole
        .then(|| TcpHeaderSlice::from_slice(have).ok())
        .flatten();
    let Some(h) = header else {
        // Cut, or a data offset that lies: what is there, and where it stopped. The
        // checksum covers the segment whatever its header says, so a whole segment is
        // still verified.
        if let Some(found) = spec!(T, "checksum").read(have) {
            let computed = ip
                .checksum_verifiable()
                .then(|| ip.addrs.segment_sum(6, data, 16));
            let offload = ip.addrs.offload_sum(6, data.len());
            checksum_verdict(
                c,
                &mut rec,
                spec!(T, "checksum"),
                off,
                found as u16,
                computed,
                Some(offload),
            );
        }
        if have.len() > TCP_MIN_LEN {
            let bytes = have.get(TCP_MIN_LEN..).unwrap_or_default();
            let (options, _) = tcp_options(bytes, !c.summary);
            rec.push_at(
                "options",
                Span::new(
                    off.saturating_add(TCP_MIN_LEN),
                    off.saturating_add(have.len()),
                ),
                options,
            );
        }
        c.push(rec);
        let kind = match hlen {
            Some(h) if h < TCP_MIN_LEN => StopKind::Invalid {
                field: "header_length",
                value: h.to_string(),
                expected: Text::new(
                    "at least 20 bytes (data offset 5)",
                    "至少 20 字节(数据偏移为 5)",
                ),
            },
            Some(h) if data.len() >= TCP_MIN_LEN => StopKind::Truncated {
                what,
                needed: h,
                present: data.len(),
                length_from: Some("header_length"),
                first_missing: Some(("options", off.saturating_add(data.len()))),
            },
            _ => StopKind::Truncated {
                what,
                needed: TCP_MIN_LEN,
                present: data.len(),
                length_from: None,
                first_missing: missing,
            },
        };
        let at = if matches!(kind, StopKind::Invalid { .. }) {
            off.saturating_add(12)
        } else {
            off
        };
        c.stop(P, at, kind);
        return None;
    };
    let hlen = have.len();
    let declared_payload = ip.declared_end.saturating_sub(off.saturating_add(hlen));
    let payload = data.get(hlen..).unwrap_or_default();
    let computed = if ip.checksum_verifiable() {
        match ip.addrs {
            Addrs::V4(s, d) => h.calc_checksum_ipv4_raw(s, d, payload).ok(),
            Addrs::V6(s, d) => h.calc_checksum_ipv6_raw(s, d, payload).ok(),
        }
    } else {
        None
    };
    let offload = ip.addrs.offload_sum(6, hlen.saturating_add(payload.len()));
    checksum_verdict(
        c,
        &mut rec,
        spec!(T, "checksum"),
        off,
        h.checksum(),
        computed,
        Some(offload),
    );
    let mut option_problem = None;
    if hlen > TCP_MIN_LEN {
        let (options, problem) = tcp_options(h.options(), !c.summary);
        rec.push_at(
            "options",
            Span::new(off.saturating_add(TCP_MIN_LEN), off.saturating_add(hlen)),
            options,
        );
        option_problem = problem;
    } else {
        rec.push_at(
            "options",
            Span::new(off.saturating_add(hlen), off.saturating_add(hlen)),
            Value::List(Vec::new()),
        );
    }
    rec.payload_length = Some(declared_payload as u64);
    rec.push_at(
        "payload_length",
        Span::new(off.saturating_add(hlen), end),
        declared_payload,
    );
    c.push(rec);
    if let Some(problem) = option_problem {
        let expected = Text::new("well-formed TCP options", "格式正确的 TCP 选项");
        let kind = StopKind::Invalid {
            field: "options",
            value: problem,
            expected,
        };
        c.stop(P, off.saturating_add(TCP_MIN_LEN), kind);
    }
    (declared_payload > 0 && !c.quoted).then_some(AppPayload {
        off: off.saturating_add(hlen),
        end,
        declared: declared_payload,
        ports: (h.source_port(), h.destination_port()),
        over_tcp: true,
    })
}

/// Says that the UDP length field at `off` + 4 (`length`) does not fit the IP payload's
/// `ip_payload` bytes: the value is the comparison in numbers, the same in each language.
fn bad_length(
    c: &mut Cursor<'_, '_>,
    off: usize,
    length: usize,
    ip_payload: usize,
    expected: Text,
) {
    let value = if length < UDP_LEN {
        format!("{length} < {UDP_LEN}")
    } else if length > ip_payload {
        format!("{length} > {ip_payload}")
    } else {
        format!("{length} < {ip_payload}")
    };
    let kind = StopKind::Invalid {
        field: "length",
        value,
        expected,
    };
    c.stop(ProtocolId::Udp, off.saturating_add(4), kind);
}

/// A UDP datagram at `off` in the IP payload that ends at `end`; its data, if any.
pub fn udp(c: &mut Cursor<'_, '_>, off: usize, end: usize, ip: IpContext) -> Option<AppPayload> {
    const P: ProtocolId = ProtocolId::Udp;
    let what = Text::new("UDP header", "UDP 首部");
    let data = c.frame.get(off..end).unwrap_or_default();
    const T: &[FieldSpec] = UDP_FIELDS;
    let have = data.get(..UDP_LEN).unwrap_or(data);
    let mut rec = c.record(
        P,
        Span::new(off, off.saturating_add(have.len())),
        Span::new(off, off.saturating_add(have.len())),
        8,
    );
    let missing = present_fields(&mut rec, T, off, have, udp_value);
    let parsed = etherparse::UdpHeader::from_slice(data).ok();
    let Some((h, _)) = parsed.filter(|_| have.len() == UDP_LEN) else {
        c.push(rec);
        let kind = StopKind::Truncated {
            what,
            needed: UDP_LEN,
            present: data.len(),
            length_from: None,
            first_missing: missing,
        };
        c.stop(P, off, kind);
        return None;
    };
    let length = usize::from(h.length);
    let ip_payload = ip.declared_end.saturating_sub(off);
    // The first fragment of a datagram carries the whole datagram's length.
    let too_long = length > ip_payload && !ip.fragmented;
    if (length < UDP_LEN || too_long) && !c.quoted {
        let span = spec!(T, "checksum").span(off);
        rec.checksum_verdict(span, None);
        c.push(rec);
        let expected = Text::new(
            "between 8 and the IP payload length",
            "介于 8 与 IP 载荷长度之间",
        );
        bad_length(c, off, length, ip_payload, expected);
        return None;
    }
    let udp_end = off.saturating_add(length.max(UDP_LEN)).min(end);
    rec.span = Span::new(off, udp_end);
    let payload = c
        .frame
        .get(off.saturating_add(UDP_LEN)..udp_end)
        .unwrap_or_default();
    let complete = ip.checksum_verifiable() && off.saturating_add(length) <= c.frame.len();
    let computed = match (complete, h.checksum, ip.addrs) {
        // 0 is "no checksum" over IPv4; over IPv6 it is not allowed (RFC 8200 8.1).
        (_, 0, Addrs::V4(..)) | (false, _, _) => None,
        (true, _, Addrs::V4(s, d)) => h.calc_checksum_ipv4_raw(s, d, payload).ok(),
        (true, _, Addrs::V6(s, d)) => h.calc_checksum_ipv6_raw(s, d, payload).ok(),
    };
    let offload = ip.addrs.offload_sum(17, length);
    checksum_verdict(
        c,
        &mut rec,
        spec!(T, "checksum"),
        off,
        h.checksum,
        computed,
        Some(offload),
    );
    c.push(rec);
    if length < ip_payload && !c.quoted && !ip.fragmented {
        let expected = Text::new("the IP payload length", "等于 IP 载荷长度");
        bad_length(c, off, length, ip_payload, expected);
    }
    if length <= UDP_LEN || c.quoted {
        return None;
    }
    // In a first fragment only this fragment's bytes are here to show.
    let declared = if ip.fragmented {
        off.saturating_add(length)
            .min(ip.declared_end)
            .saturating_sub(off)
            .saturating_sub(UDP_LEN)
    } else {
        length.saturating_sub(UDP_LEN)
    };
    Some(AppPayload {
        off: off.saturating_add(UDP_LEN),
        end: udp_end,
        declared,
        ports: (h.source_port, h.destination_port),
        over_tcp: false,
    })
}

/// A TCP option as the JSON contract has it: `{"kind": name, "value": ...}`.
fn option(kind: u8, value: Option<Value>) -> Value {
    let mut members = vec![("kind", Value::Name(tcp_option_name(kind)))];
    if let Some(v) = value {
        members.push(("value", v));
    }
    Value::Object(members)
}

/// A TCP header's options as the JSON contract has them, and the first problem, if any.
/// With `keep` false only the problem is looked for (the summary path).
///
/// The walk is RFC 9293 3.1's (kind, length, value), so an option of a kind etherparse does
/// not parse (MPTCP 30, TFO 34, MD5 19, experimental 253/254) is shown by its kind with its
/// bytes, as tshark shows it, not called malformed; a length that does not fit is a problem.
/// The kinds etherparse knows are parsed by it.
fn tcp_options(bytes: &[u8], keep: bool) -> (Vec<Value>, Option<String>) {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(&kind) = bytes.get(at) {
        match kind {
            0 => break,
            1 => {
                if keep {
                    out.push(option(1, None));
                }
                at = at.saturating_add(1);
                continue;
            }
            _ => {}
        }
        let left = bytes.len().saturating_sub(at);
        let len = bytes
            .get(at.saturating_add(1))
            .map_or(0, |l| usize::from(*l));
        if len < 2 || len > left {
            let problem = format!("option kind {kind} has length {len} with {left} bytes left");
            return (out, Some(problem));
        }
        let one = bytes.get(at..at.saturating_add(len)).unwrap_or_default();
        if matches!(kind, 2 | 3 | 4 | 5 | 8) {
            match TcpOptionsIterator::from_slice(one).next() {
                Some(Ok(opt)) if keep => out.push(known(opt)),
                Some(Ok(_)) | None => {}
                Some(Err(e)) => return (out, Some(e.to_string())),
            }
        } else if keep {
            let name = match tcp_option_name(kind) {
                "unknown" => Value::Uint(u64::from(kind)),
                n => Value::Name(n),
            };
            out.push(Value::Object(vec![
                ("kind", name),
                (
                    "value",
                    Value::Bytes(one.get(2..).unwrap_or_default().to_vec()),
                ),
            ]));
        }
        at = at.saturating_add(len);
    }
    (out, None)
}

/// An option etherparse parsed, as the JSON contract has it.
fn known(opt: TcpOptionElement) -> Value {
    match opt {
        TcpOptionElement::Noop => option(1, None),
        TcpOptionElement::MaximumSegmentSize(v) => option(2, Some(v.into())),
        TcpOptionElement::WindowScale(v) => option(3, Some(v.into())),
        TcpOptionElement::SelectiveAcknowledgementPermitted => option(4, None),
        TcpOptionElement::SelectiveAcknowledgement(first, rest) => {
            let blocks: Vec<Value> = std::iter::once(first)
                .chain(rest.into_iter().flatten())
                .map(|(l, r)| vec![l, r].into())
                .collect();
            option(5, Some(Value::List(blocks)))
        }
        TcpOptionElement::Timestamp(val, ecr) => option(8, Some(vec![val, ecr].into())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Options of kinds etherparse does not parse are shown by kind with their bytes, not
    /// called malformed; a length that does not fit is a problem, and EOL ends the list.
    #[test]
    fn unknown_option_kinds_are_shown_not_called_malformed() {
        // MSS 1460, MPTCP (30) of 4 bytes, TFO cookie (34) of 6, MD5 (19) of 18, kind 253
        // of 4, NOP, EOL and padding.
        let mut o = vec![2, 4, 5, 0xb4, 30, 4, 0x00, 0x81, 34, 6, 1, 2, 3, 4, 19, 18];
        o.extend([0xaa; 16]);
        o.extend([253, 4, 0xf9, 0x89, 1, 0, 0, 0]);
        let (options, problem) = tcp_options(&o, true);
        assert_eq!(problem, None);
        let text: Vec<String> = options.iter().map(Value::text).collect();
        assert_eq!(
            text,
            [
                "MSS=1460",
                "MPTCP=0081",
                "TFO=01020304",
                "19=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
                "253=f989",
                "NOP"
            ]
        );
        let (_, problem) = tcp_options(&[30, 9, 0, 0], true);
        assert!(problem.unwrap().contains("length 9 with 4 bytes left"));
        let (_, problem) = tcp_options(&[99, 0], false);
        assert!(problem.is_some(), "a zero length cannot loop");
        let (_, problem) = tcp_options(&[2, 3, 5, 0], false);
        assert!(problem.is_some(), "an MSS of the wrong length");
    }
    use layers_osi::dissect_with;

    fn bytes(text: &str) -> Vec<u8> {
        hex::decode(text.replace([' ', '\\', '\n'], "")).unwrap()
    }

    /// The lesson's SYN on loopback (fixtures/loopback-tcp-hello.pcap, frame 1): MSS 65495,
    /// SACK permitted, timestamps, window scale 10; Linux left the checksum to the NIC.
    const SYN: &str = "000000000000 000000000000 0800 4500 003c d1b9 4000 4006 6b00 7f000001 7f000001 \
                       c05a 270f d74f61b7 00000000 a002 ffd7 fe30 0000 0204 ffd7 0402 080a c70bc11d \
                       00000000 0103 030a";
    /// A DNS query over UDP on loopback (fixtures/loopback-dns.pcap, frame 1).
    const DNS: &str =
        "000000000000 000000000000 0800 4500 0039 4c9c 4000 4011 f015 7f000001 7f000001 \
                       ae42 0035 0025 fe38 1234 0100 0001 0000 0000 0000 066c 6179 6572 7304 7465 \
                       7374 0000 0100 01";

    fn loopback(declared_end: usize) -> IpContext {
        IpContext {
            addrs: Addrs::V4([127, 0, 0, 1], [127, 0, 0, 1]),
            declared_end,
            complete: true,
            fragmented: false,
        }
    }

    #[test]
    fn a_real_syn_reads_its_options_and_its_offloaded_checksum() {
        let frame = bytes(SYN);
        assert_eq!(frame.len(), 74);
        let (d, next) = dissect_with(&frame, |c| tcp(c, 34, 74, loopback(74)));
        assert_eq!(next, None, "a SYN carries no data");
        let rec = &d.layers[0];
        let text = |n: &str| rec.field(n).unwrap().value.text();
        assert_eq!(text("source_port"), "49242");
        assert_eq!(text("flags"), "SYN");
        assert_eq!(text("header_length"), "40");
        assert!(
            text("options").starts_with("MSS=65495,SACK"),
            "{}",
            text("options")
        );
        assert_eq!(text("checksum_valid"), "false");
        assert!(matches!(
            d.errors[0].kind,
            StopKind::BadChecksum { offload: true, .. }
        ));
    }

    #[test]
    fn every_cut_of_a_tcp_header_keeps_the_fields_before_it() {
        let frame = bytes(SYN);
        for cut in 34..74 {
            let (d, _) = dissect_with(&frame[..cut], |c| tcp(c, 34, cut, loopback(74)));
            let rec = &d.layers[0];
            for f in TCP_FIELDS {
                let present = 34 + f.offset + f.len <= cut;
                assert_eq!(
                    rec.field(f.name).is_some(),
                    present,
                    "cut {cut}: {}",
                    f.name
                );
            }
            assert_eq!(d.errors.last().unwrap().offset, 34, "cut {cut}");
        }
    }

    #[test]
    fn a_udp_datagram_hands_its_data_to_the_application_layer() {
        let frame = bytes(DNS);
        let (d, next) = dissect_with(&frame, |c| udp(c, 34, frame.len(), loopback(71)));
        assert_eq!(
            next,
            Some(AppPayload {
                off: 42,
                end: 71,
                declared: 29,
                ports: (44610, 53),
                over_tcp: false
            })
        );
        assert_eq!(d.layers[0].field("length").unwrap().value.text(), "37");
    }
}
