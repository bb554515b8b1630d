//! The network layer's dissectors: IPv4 (options, fragments, the TSO case), IPv6 with its
//! extension headers, ICMP and ICMPv6 with the datagram an error quotes. Each reads its
//! header from a [`Cursor`] at an offset and says what follows; the stack dispatches.

use etherparse::{
    checksum::Sum16BitWords, Ipv6ExtensionSlice, Ipv6ExtensionsSlice, Ipv6HeaderSlice,
};
use layers_osi::{
    present_fields, spec, truncated, Cursor, FieldSpec, FieldValue as Value, LayerRecord,
    ProtocolId, Span, StopKind, Text,
};
use std::net::Ipv4Addr;

/// What follows an IP header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IpNext {
    /// Nothing to hand on: the packet stopped, or it is a later fragment.
    Done,
    /// What the header's protocol (next header) field names.
    Payload {
        /// The IP protocol number.
        protocol: u8,
        /// Where the payload starts.
        start: usize,
        /// Where it ends, as far as the frame holds it.
        end: usize,
        /// The packet around it, for checksums and lengths.
        ip: IpContext,
        /// Where the protocol field is (for an error about it).
        field_at: usize,
    },
}

fn hex16(v: u16) -> Value {
    Value::hex16(v)
}

/// The addresses of the IP packet around a transport header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Addrs {
    /// IPv4 source and destination.
    V4([u8; 4], [u8; 4]),
    /// IPv6 source and destination.
    V6([u8; 16], [u8; 16]),
}

impl Addrs {
    /// The TCP or UDP checksum `segment` should carry (its checksum field, at `at`, taken
    /// as 0), with the pseudo-header of RFC 9293 3.1 or RFC 8200 8.1.
    pub fn segment_sum(&self, proto: u8, segment: &[u8], at: usize) -> u16 {
        let len = u32::try_from(segment.len()).unwrap_or(u32::MAX);
        let sum = match self {
            Addrs::V4(s, d) => Sum16BitWords::new()
                .add_4bytes(*s)
                .add_4bytes(*d)
                .add_2bytes([0, proto])
                .add_2bytes(u16::try_from(len).unwrap_or(u16::MAX).to_be_bytes()),
            Addrs::V6(s, d) => Sum16BitWords::new()
                .add_16bytes(*s)
                .add_16bytes(*d)
                .add_4bytes(len.to_be_bytes())
                .add_4bytes([0, 0, 0, proto]),
        };
        sum.add_slice(segment.get(..at).unwrap_or_default())
            .add_slice(segment.get(at.saturating_add(2)..).unwrap_or_default())
            .ones_complement()
            .to_be()
    }

    /// The pseudo-header sum the sender puts in the field when it leaves the checksum to
    /// its NIC (checksum offload).
    pub fn offload_sum(&self, proto: u8, len: usize) -> u16 {
        let mut sum = Sum16BitWords::new();
        sum = match self {
            Addrs::V4(s, d) => sum.add_4bytes(*s).add_4bytes(*d),
            Addrs::V6(s, d) => sum.add_16bytes(*s).add_16bytes(*d),
        };
        let len = u16::try_from(len).unwrap_or(u16::MAX);
        !sum.add_2bytes([0, proto])
            .add_2bytes(len.to_be_bytes())
            .ones_complement()
            .to_be()
    }
}

/// How a transport layer sees the IP packet around it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IpContext {
    /// The packet's addresses, for the pseudo-header.
    pub addrs: Addrs,
    /// Where the packet ends by its total length (may be past the frame's end).
    pub declared_end: usize,
    /// Whether every byte the total length promises is in the frame.
    pub complete: bool,
    /// Whether this is the first of several fragments (so the transport data is partial).
    pub fragmented: bool,
}

impl IpContext {
    /// The transport checksum can be verified only over the whole, unfragmented payload.
    pub fn checksum_verifiable(&self) -> bool {
        self.complete && !self.fragmented
    }
}

/// What kind of ICMP message is being dissected.
#[derive(Clone, Copy)]
struct IcmpKind {
    id: ProtocolId,
    /// An error that quotes the datagram behind it.
    quotes: bool,
    /// An echo request or reply, with identifier and sequence.
    echo: bool,
}

/// An IPv4 header field's value from its raw bits.
fn ipv4_value(f: &FieldSpec, raw: u32) -> Value {
    match f.name {
        "header_length" => raw.saturating_mul(4).into(),
        "fragment_offset" => raw.saturating_mul(8).into(),
        "dont_fragment" | "more_fragments" => (raw == 1).into(),
        "checksum" => hex16(raw as u16),
        "source" | "destination" => Ipv4Addr::from(raw).into(),
        _ => raw.into(),
    }
}

/// The value an IPv4 record holds for field `f` of [`crate::IPV4_FIELDS`], read from the
/// bytes under the record's header; `None` when they do not hold all of it (the record then
/// has no such field). A view that reads a few fields reads them this way after the
/// summary walk instead of building every field.
pub fn ipv4_field(f: &FieldSpec, header: &[u8]) -> Option<Value> {
    let fixed = header.get(..crate::IPV4_MIN_LEN).unwrap_or(header);
    f.read(fixed).map(|raw| ipv4_value(f, raw))
}

/// The value an IPv6 record holds for field `f` of [`crate::IPV6_FIELDS`], read from the
/// bytes under its header (a record has all 40).
pub fn ipv6_field(f: &FieldSpec, header: &[u8]) -> Option<Value> {
    if f.len == 16 {
        let bytes = header.get(f.offset..f.offset.saturating_add(16))?;
        return Some(Value::Ipv6(bytes.try_into().ok()?));
    }
    f.read(header).map(Value::from)
}

/// The value an ICMP or ICMPv6 record holds for field `f` of [`crate::ICMP_FIELDS`], read
/// from the bytes under its header (an echo's identifier and sequence are fields of echo
/// messages only).
pub fn icmp_field(f: &FieldSpec, header: &[u8]) -> Option<Value> {
    let raw = f.read(header)?;
    Some(if f.name == "checksum" {
        hex16(raw as u16)
    } else {
        raw.into()
    })
}

/// An IPv4 header at `off` (its first byte's version nibble says 4), and what follows.
pub fn ipv4(c: &mut Cursor<'_, '_>, off: usize) -> IpNext {
    const P: ProtocolId = ProtocolId::Ipv4;
    let what = Text::new("IPv4 header", "IPv4 首部");
    let frame = c.frame;
    let data = frame.get(off..).unwrap_or_default();
    const T: &[FieldSpec] = crate::IPV4_FIELDS;
    let ihl = usize::from(data.first().map_or(0, |b| b & 0x0f)) * 4;
    // The bytes the header claims (at least its fixed part), as far as the frame has them.
    let claimed = ihl.max(crate::IPV4_MIN_LEN);
    let have = data.get(..claimed).unwrap_or(data);
    let total_field = spec!(T, "total_length").read(have).map(|v| v as usize);
    // A host with TCP segmentation offload hands the capture a packet whose total
    // length is 0; its real length is what the wire carried (tshark does the same).
    let tso = total_field == Some(0) && ihl >= 20;
    let total = if tso {
        c.wire_length.saturating_sub(off)
    } else {
        total_field.unwrap_or(0)
    };
    let whole = ihl >= 20 && data.len() >= ihl && total >= ihl;
    // More than even the wire carried: the length field lies (a snap length only cuts
    // what the wire had). The layers above get what the frame holds, as in tshark.
    let lies = whole && off.saturating_add(total) > c.wire_length;
    let declared_end = if lies {
        frame.len()
    } else {
        off.saturating_add(total)
    };
    let end = declared_end.min(frame.len());
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
    let fixed = have.get(..crate::IPV4_MIN_LEN).unwrap_or(have);
    let missing = present_fields(&mut rec, T, off, fixed, ipv4_value);
    let found = spec!(T, "checksum").read(have).map(|v| v as u16);
    // Verified over the header as the IHL delimits it, checksum field taken as 0.
    let computed = whole.then(|| {
        Sum16BitWords::new()
            .add_slice(have.get(..10).unwrap_or_default())
            .add_slice(have.get(12..ihl).unwrap_or_default())
            .ones_complement()
            .to_be()
    });
    if found.is_some() {
        let valid = computed.zip(found).map(|(c, f)| c == f);
        let span = spec!(T, "checksum").span(off);
        rec.checksum_verdict(span, valid);
    }
    if ihl < 20 {
        c.push(rec);
        let expected = Text::new("at least 20 bytes (IHL 5)", "至少 20 字节(IHL 为 5)");
        c.stop(
            P,
            off,
            StopKind::Invalid {
                field: "header_length",
                // A number only: the field is in bytes and `expected` says so in each language.
                value: ihl.to_string(),
                expected,
            },
        );
        return IpNext::Done;
    }
    if data.len() < ihl {
        c.push(rec);
        let first_missing = missing.or(Some(("options", off.saturating_add(crate::IPV4_MIN_LEN))));
        let from = (ihl > crate::IPV4_MIN_LEN).then_some("header_length");
        let kind = StopKind::Truncated {
            what,
            needed: ihl,
            present: data.len(),
            length_from: from,
            first_missing,
        };
        c.stop(P, off, kind);
        return IpNext::Done;
    }
    if total < ihl {
        c.push(rec);
        let expected = Text::new("at least the header length", "不小于首部长度");
        c.stop(
            P,
            off.saturating_add(2),
            StopKind::Invalid {
                field: "total_length",
                value: total.to_string(),
                expected,
            },
        );
        return IpNext::Done;
    }
    let options = have.get(crate::IPV4_MIN_LEN..ihl).unwrap_or_default();
    let mut option_problem = None;
    if ihl > 20 {
        let span = Span::new(off.saturating_add(20), off.saturating_add(ihl));
        if !c.summary {
            rec.push_at("options", span, Value::Bytes(options.to_vec()));
        }
        let (list, problem) = ipv4_options(options, !c.summary);
        rec.push_at("option_list", span, list);
        option_problem = problem;
    }
    c.push(rec);
    if let Some((at, value)) = option_problem {
        let expected = Text::new(
            "options whose lengths fit the header",
            "长度不超出首部的选项",
        );
        c.stop(
            P,
            off.saturating_add(20).saturating_add(at),
            StopKind::Invalid {
                field: "options",
                value,
                expected,
            },
        );
    }
    if let (Some(found), Some(computed)) = (found, computed) {
        if found != computed {
            let kind = StopKind::BadChecksum {
                found,
                expected: computed,
                offload: false,
            };
            c.stop(P, off.saturating_add(10), kind);
        }
    }
    if tso {
        let kind = StopKind::SegmentationOffload { length: total };
        c.stop(P, off.saturating_add(2), kind);
    }
    if lies {
        let kind = StopKind::Truncated {
            what: Text::new("IPv4 packet", "IPv4 数据包"),
            needed: total,
            present: data.len(),
            length_from: Some("total_length"),
            first_missing: None,
        };
        c.stop(P, off, kind);
    }
    c.set_packet_end(end);

    let frag_bytes =
        (spec!(T, "fragment_offset").read(have).unwrap_or(0) as usize).saturating_mul(8);
    if frag_bytes != 0 {
        fragment_data(c, off.saturating_add(ihl), end, declared_end, frag_bytes);
        return IpNext::Done;
    }
    // Inside the whole header (checked above), so never the zeros.
    let addr = |at: usize| -> [u8; 4] {
        have.get(at..at.saturating_add(4))
            .and_then(|b| b.try_into().ok())
            .unwrap_or_default()
    };
    let ip = IpContext {
        addrs: Addrs::V4(addr(12), addr(16)),
        declared_end,
        complete: declared_end <= frame.len(),
        fragmented: spec!(T, "more_fragments").read(have) == Some(1),
    };
    IpNext::Payload {
        protocol: have.get(9).copied().unwrap_or_default(),
        start: off.saturating_add(ihl),
        end,
        ip,
        field_at: off.saturating_add(9),
    }
}

/// A later fragment: its bytes continue the first fragment's data; no transport header.
fn fragment_data(
    c: &mut Cursor<'_, '_>,
    off: usize,
    end: usize,
    declared_end: usize,
    offset_bytes: usize,
) {
    let mut rec = c.record(
        ProtocolId::IpFragment,
        Span::new(off, end),
        Span::new(off, end),
        8,
    );
    rec.push_at(
        "length",
        Span::new(off, end),
        declared_end.saturating_sub(off),
    );
    rec.push_at("fragment_offset", Span::new(off, end), offset_bytes);
    c.push(rec);
    if end < declared_end {
        let what = Text::new("fragment data", "分片数据");
        let kind = truncated(
            what,
            declared_end.saturating_sub(off),
            end.saturating_sub(off),
            Some("IP length"),
        );
        c.stop(ProtocolId::IpFragment, off, kind);
    }
}

/// An IPv6 header at `off` with its extension headers, and what follows.
pub fn ipv6(c: &mut Cursor<'_, '_>, off: usize) -> IpNext {
    const P: ProtocolId = ProtocolId::Ipv6;
    let frame = c.frame;
    let data = frame.get(off..).unwrap_or_default();
    let h = match Ipv6HeaderSlice::from_slice(data) {
        Ok(h) => h,
        Err(_) => {
            let what = Text::new("IPv6 header", "IPv6 首部");
            let kind = truncated(what, crate::IPV6_LEN, data.len(), None);
            c.stop(P, off, kind);
            return IpNext::Done;
        }
    };
    let payload_len = usize::from(h.payload_length());
    let declared_end = off
        .saturating_add(crate::IPV6_LEN)
        .saturating_add(payload_len);
    let end = declared_end.min(frame.len());
    let body = frame
        .get(off.saturating_add(crate::IPV6_LEN)..end)
        .unwrap_or_default();
    let parsed = Ipv6ExtensionsSlice::from_slice(h.next_header(), body);
    let (exts_len, next, fragment, names) = match &parsed {
        Ok((exts, next, rest)) => {
            let mut frag = None;
            let mut names = Vec::new();
            for e in exts.clone() {
                if !c.summary {
                    names.push(ext_name(&e));
                }
                if let Ipv6ExtensionSlice::Fragment(f) = e {
                    frag = Some((
                        usize::from(f.fragment_offset().value()).saturating_mul(8),
                        f.more_fragments(),
                    ));
                }
            }
            (
                body.len().saturating_sub(rest.len()),
                Some(*next),
                frag,
                names,
            )
        }
        Err(_) => (0, None, None, Vec::new()),
    };
    let hlen = crate::IPV6_LEN.saturating_add(exts_len);
    let mut rec = c.record(
        P,
        Span::new(off, end),
        Span::new(off, off.saturating_add(hlen)),
        T.len().saturating_add(2),
    );
    const T: &[FieldSpec] = crate::IPV6_FIELDS;
    rec.push(spec!(T, "version"), off, 6u8);
    rec.push(spec!(T, "traffic_class"), off, h.traffic_class());
    rec.push(spec!(T, "flow_label"), off, h.flow_label().value());
    rec.push(spec!(T, "payload_length"), off, payload_len);
    rec.push(spec!(T, "next_header"), off, h.next_header().0);
    rec.push(spec!(T, "hop_limit"), off, h.hop_limit());
    rec.push(spec!(T, "source"), off, Value::Ipv6(h.source()));
    rec.push(spec!(T, "destination"), off, Value::Ipv6(h.destination()));
    if exts_len > 0 {
        rec.push_at(
            "extension_headers",
            Span::new(
                off.saturating_add(crate::IPV6_LEN),
                off.saturating_add(hlen),
            ),
            names,
        );
    }
    c.push(rec);
    c.set_packet_end(end);
    let Some(next) = next else {
        let kind = match parsed.err() {
            Some(etherparse::err::ipv6_exts::HeaderSliceError::Len(e)) => {
                let what = Text::new(
                    "IPv6 header with its extension headers",
                    "IPv6 首部及其扩展首部",
                );
                let (needed, present) = (
                    crate::IPV6_LEN.saturating_add(e.required_len),
                    crate::IPV6_LEN.saturating_add(e.len),
                );
                truncated(what, needed, present, Some("next_header"))
            }
            other => StopKind::Invalid {
                field: "extension headers",
                value: other.map(|e| e.to_string()).unwrap_or_default(),
                expected: Text::new("well-formed extension headers", "格式正确的扩展首部"),
            },
        };
        c.stop(P, off, kind);
        return IpNext::Done;
    };
    if let Some((offset_bytes, _)) = fragment.filter(|(o, _)| *o != 0) {
        fragment_data(c, off.saturating_add(hlen), end, declared_end, offset_bytes);
        return IpNext::Done;
    }
    let ip = IpContext {
        addrs: Addrs::V6(h.source(), h.destination()),
        declared_end,
        complete: declared_end <= frame.len(),
        fragmented: fragment.is_some_and(|(_, more)| more),
    };
    IpNext::Payload {
        protocol: next.0,
        start: off.saturating_add(hlen),
        end,
        ip,
        field_at: off.saturating_add(6),
    }
}

/// Records a transport checksum: valid, invalid (with the right value), or not verifiable.
pub fn checksum_verdict(
    c: &mut Cursor<'_, '_>,
    rec: &mut LayerRecord,
    checksum: &FieldSpec,
    off: usize,
    found: u16,
    computed: Option<u16>,
    offload_sum: Option<u16>,
) {
    if rec.field("checksum").is_none() {
        rec.push(checksum, off, hex16(found));
    }
    let valid = computed.map(|c| c == found);
    let span = checksum.span(off);
    rec.checksum_verdict(span, valid);
    if let (Some(false), Some(expected)) = (valid, computed) {
        let offload = offload_sum == Some(found);
        let name = rec.protocol;
        let at = checksum.span(off).start;
        c.stop(
            name,
            at,
            StopKind::BadChecksum {
                found,
                expected,
                offload,
            },
        );
    }
}

/// An ICMP message at `off`; the datagram an error quotes, as a range to walk as quoted
/// layers.
pub fn icmp(
    c: &mut Cursor<'_, '_>,
    off: usize,
    end: usize,
    ip: IpContext,
) -> Option<(usize, usize)> {
    let data = c.frame.get(off..end).unwrap_or_default();
    if data.len() < 8 {
        let what = Text::new("ICMP header", "ICMP 首部");
        let echo = matches!(data.first(), Some(0 | 8));
        icmp_cut(c, ProtocolId::Icmp, off, data, echo, (what, 8));
        return None;
    }
    let computed = ip.checksum_verifiable().then(|| {
        Sum16BitWords::new()
            .add_2bytes(two(data, 0))
            .add_slice(data.get(4..).unwrap_or_default())
            .ones_complement()
            // etherparse sums in native byte order; this turns it back into wire order.
            .to_be()
    });
    // An error message quotes the datagram that caused it: those bytes are its layers.
    let kind = IcmpKind {
        id: ProtocolId::Icmp,
        quotes: matches!(data.first(), Some(3 | 4 | 5 | 11 | 12)),
        echo: matches!(data.first(), Some(0 | 8)),
    };
    icmp_message(c, off, end, ip, computed, kind)
}

/// An ICMPv6 message at `off`; the datagram an error quotes, as a range.
pub fn icmpv6(
    c: &mut Cursor<'_, '_>,
    off: usize,
    end: usize,
    ip: IpContext,
) -> Option<(usize, usize)> {
    let data = c.frame.get(off..end).unwrap_or_default();
    if data.len() < 4 {
        let what = Text::new("ICMPv6 header", "ICMPv6 首部");
        icmp_cut(c, ProtocolId::Icmpv6, off, data, false, (what, 4));
        return None;
    }
    let computed = match ip.addrs {
        Addrs::V6(s, d) if ip.checksum_verifiable() => Some(
            Sum16BitWords::new()
                .add_16bytes(s)
                .add_16bytes(d)
                .add_4bytes((data.len() as u32).to_be_bytes())
                .add_4bytes([0, 0, 0, 58])
                .add_2bytes(two(data, 0))
                .add_slice(data.get(4..).unwrap_or_default())
                .ones_complement()
                .to_be(),
        ),
        _ => None,
    };
    let long = data.len() >= 8;
    let kind = IcmpKind {
        id: ProtocolId::Icmpv6,
        quotes: matches!(data.first(), Some(1..=4)) && long,
        echo: matches!(data.first(), Some(128 | 129)) && long,
    };
    icmp_message(c, off, end, ip, computed, kind)
}

/// An ICMP or ICMPv6 header cut short: the fields that are there (an echo's identifier
/// and sequence too) still count, as in tshark, then the stop at the first that is not.
fn icmp_cut(
    c: &mut Cursor<'_, '_>,
    id: ProtocolId,
    off: usize,
    data: &[u8],
    echo: bool,
    (what, needed): (Text, usize),
) {
    const T: &[FieldSpec] = crate::ICMP_FIELDS;
    let span = Span::new(off, off.saturating_add(data.len()));
    let mut rec = c.record(id, span, span, T.len());
    let fields = if echo { T } else { T.get(..3).unwrap_or(T) };
    let missing = present_fields(&mut rec, fields, off, data, |f, raw| {
        if f.name == "checksum" {
            Value::hex16(raw as u16)
        } else {
            raw.into()
        }
    });
    if !data.is_empty() {
        c.push(rec);
    }
    let kind = StopKind::Truncated {
        what,
        needed,
        present: data.len(),
        length_from: None,
        first_missing: missing,
    };
    c.stop(id, off, kind);
}

/// The record of an ICMP or ICMPv6 message, its cut if the frame ends early, and the
/// datagram it quotes.
fn icmp_message(
    c: &mut Cursor<'_, '_>,
    off: usize,
    end: usize,
    ip: IpContext,
    computed: Option<u16>,
    kind: IcmpKind,
) -> Option<(usize, usize)> {
    let data = c.frame.get(off..end).unwrap_or_default();
    const T: &[FieldSpec] = crate::ICMP_FIELDS;
    let header_end = if kind.quotes {
        off.saturating_add(8)
    } else {
        end
    };
    let mut rec = c.record(
        kind.id,
        Span::new(off, end),
        Span::new(off, header_end),
        T.len().saturating_add(2),
    );
    // The caller checked the 4 (ICMPv6) or 8 (ICMP) bytes of the header are there.
    let [kind_byte, code] = two(data, 0);
    rec.push(spec!(T, "type"), off, kind_byte);
    rec.push(spec!(T, "code"), off, code);
    let found = u16::from_be_bytes(two(data, 2));
    checksum_verdict(
        c,
        &mut rec,
        spec!(T, "checksum"),
        off,
        found,
        computed,
        None,
    );
    if kind.echo {
        for f in [spec!(T, "identifier"), spec!(T, "sequence")] {
            rec.push(f, off, f.read(data).unwrap_or(0));
        }
    }
    let body = (off.saturating_add(8)).min(end);
    rec.push_at(
        "data_length",
        Span::new(body, end),
        ip.declared_end.saturating_sub(off.saturating_add(8)),
    );
    c.push(rec);
    if !ip.complete {
        let (what, length_from) = match ip.addrs {
            Addrs::V4(..) => (Text::new("ICMP message", "ICMP 报文"), "IPv4 total_length"),
            Addrs::V6(..) => (
                Text::new("ICMPv6 message", "ICMPv6 报文"),
                "IPv6 payload_length",
            ),
        };
        let cut = truncated(
            what,
            ip.declared_end.saturating_sub(off),
            data.len(),
            Some(length_from),
        );
        c.stop(kind.id, off, cut);
    }
    let start = off.saturating_add(8);
    (kind.quotes && !c.quoted && end > start).then_some((start, end))
}

/// The two bytes of `data` at `at`, or zeros past its end (callers check its length first).
fn two(data: &[u8], at: usize) -> [u8; 2] {
    match data.get(at..at.saturating_add(2)) {
        Some(&[a, b]) => [a, b],
        _ => [0, 0],
    }
}

/// An IPv6 extension header's name.
fn ext_name(e: &Ipv6ExtensionSlice<'_>) -> &'static str {
    match e {
        Ipv6ExtensionSlice::HopByHop(_) => "Hop-by-Hop Options",
        Ipv6ExtensionSlice::Routing(_) => "Routing",
        Ipv6ExtensionSlice::Fragment(_) => "Fragment",
        Ipv6ExtensionSlice::DestinationOptions(_) => "Destination Options",
        Ipv6ExtensionSlice::Authentication(_) => "Authentication",
    }
}

/// IPv4 options as `{"kind", "length"}` objects, and the offset and text of the first
/// malformed one.
/// With `keep` false only the problem is looked for (the summary path).
fn ipv4_options(options: &[u8], keep: bool) -> (Vec<Value>, Option<(usize, String)>) {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(&kind) = options.get(at) {
        let name = crate::ipv4_option_name(kind);
        match kind {
            0 => {
                if keep {
                    out.push(Value::Object(vec![("kind", name.into())]));
                }
                break;
            }
            1 => {
                if keep {
                    out.push(Value::Object(vec![("kind", name.into())]));
                }
                at = at.saturating_add(1);
            }
            _ => {
                let len = options.get(at.saturating_add(1)).copied().map(usize::from);
                match len {
                    Some(len) if len >= 2 && at.saturating_add(len) <= options.len() => {
                        if keep {
                            out.push(Value::Object(vec![
                                ("kind", name.into()),
                                ("length", len.into()),
                            ]));
                        }
                        at = at.saturating_add(len);
                    }
                    _ => {
                        return (
                            out,
                            Some((at, format!("option {name} ({kind}) with length {len:?}"))),
                        )
                    }
                }
            }
        }
    }
    (out, None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use layers_osi::dissect_with;

    /// The ICMP echo request of fixtures/netns-arp-ping.pcap (frame 3): 10.99.0.1 pings
    /// 10.99.0.2 across veth, 56 bytes of data.
    fn echo() -> Vec<u8> {
        let hex = "0200 0a63 0002 0200 0a63 0001 0800 4500 0054 8fae 4000 4001 9632 0a63 0001 \
                   0a63 0002 0800 df07 27eb 0001 b844 066b 0000 0000 6789 0c00 0000 0000 1011 \
                   1213 1415 1617 1819 1a1b 1c1d 1e1f 2021 2223 2425 2627 2829 2a2b 2c2d 2e2f \
                   3031 3233 3435 3637";
        hex::decode(hex.replace(' ', "")).unwrap()
    }

    #[test]
    fn ipv4_hands_its_payload_on_with_the_context_transport_needs() {
        let frame = echo();
        let (d, next) = dissect_with(&frame, |c| ipv4(c, 14));
        let IpNext::Payload {
            protocol,
            start,
            end,
            ip,
            field_at,
        } = next
        else {
            panic!("{next:?}")
        };
        assert_eq!((protocol, start, end, field_at), (1, 34, 98, 23));
        assert_eq!(ip.addrs, Addrs::V4([10, 99, 0, 1], [10, 99, 0, 2]));
        assert!(ip.checksum_verifiable());
        let rec = &d.layers[0];
        assert_eq!(rec.field("checksum").unwrap().value.text(), "0x9632");
        assert_eq!(rec.field("checksum_valid").unwrap().value.text(), "true");
        assert_eq!(rec.field("ttl").unwrap().span, Span::new(22, 23));
        assert!(d.errors.is_empty());
    }

    #[test]
    fn a_wrong_header_checksum_is_reported_with_the_right_one() {
        let mut frame = echo();
        frame[25] ^= 0xff;
        let (d, _) = dissect_with(&frame, |c| ipv4(c, 14));
        assert_eq!(d.errors[0].offset, 24);
        assert_eq!(
            d.errors[0].kind,
            StopKind::BadChecksum {
                found: 0x96cd,
                expected: 0x9632,
                offload: false
            }
        );
    }

    #[test]
    fn an_echo_request_is_read_and_quotes_nothing() {
        let frame = echo();
        let (d, quote) = dissect_with(&frame, |c| match ipv4(c, 14) {
            IpNext::Payload { start, end, ip, .. } => icmp(c, start, end, ip),
            IpNext::Done => None,
        });
        assert_eq!(quote, None);
        let rec = &d.layers[1];
        assert_eq!(rec.protocol, ProtocolId::Icmp);
        let text = |n: &str| rec.field(n).unwrap().value.text();
        assert_eq!((text("type"), text("code")), ("8".into(), "0".into()));
        assert_eq!(text("checksum_valid"), "true");
        assert_eq!(text("identifier"), "10219");
        assert_eq!(text("data_length"), "56");
    }
}
