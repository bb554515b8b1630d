//! The application layer's dissector: what a segment or datagram carries, recognised by
//! content and port, with HTTP's request or status line and headers, DNS messages, and the
//! text of the rest.

use layers_osi::{
    truncated, Cursor, FieldValue as Value, LayerRecord, ProtocolId, Span, StopKind, Text,
};

use crate::{dns, http_headers, http_line, recognise, recognise_protocol, HttpLine, Recognised};

fn hex16(v: u16) -> Value {
    Value::hex16(v)
}

/// The data at `off`..`end` (`declared` bytes promised by the layers below), sent from
/// port `ports.0` to `ports.1`.
pub fn payload(
    c: &mut Cursor<'_, '_>,
    off: usize,
    end: usize,
    declared: usize,
    ports: (u16, u16),
    over_tcp: bool,
) {
    let data = c.frame.get(off..end).unwrap_or_default();
    let span = Span::new(off, end);
    let app = if c.summary {
        // Only the protocol: no preview, no first line.
        let protocol = recognise_protocol(data, ports.0, ports.1);
        Recognised {
            protocol,
            text: String::new(),
            utf8: false,
            first_line: None,
        }
    } else {
        recognise(data, ports.0, ports.1)
    };
    let mut rec = c.record(app.protocol, span, span, 12);
    rec.push_at("length", span, declared);
    rec.push_at("text", span, app.text);
    if let Some(line) = app.first_line.as_deref() {
        let line_span = Span::new(off, off.saturating_add(line.len()));
        match http_line(line) {
            Some(HttpLine::Request {
                method,
                uri,
                version,
            }) => {
                rec.push_at("method", line_span, method);
                rec.push_at("uri", line_span, uri);
                rec.push_at("version", line_span, version);
            }
            Some(HttpLine::Response {
                version,
                status,
                reason,
            }) => {
                rec.push_at("version", line_span, version);
                rec.push_at("status", line_span, status);
                rec.push_at("reason", line_span, reason);
            }
            None => rec.push_at("command", line_span, line.to_string()),
        }
        if rec.protocol == ProtocolId::Http {
            let headers = http_headers(data)
                .into_iter()
                .map(|(k, v)| (k, Value::Text(v)))
                .collect();
            rec.push_at("headers", span, Value::Map(headers));
        }
    }
    let mut problem = None;
    if rec.protocol == ProtocolId::Dns {
        // Over TCP a DNS message is preceded by its 2-byte length (RFC 1035 4.2.2).
        let skip = if over_tcp { 2 } else { 0 };
        if let (true, Some(&[high, low])) = (over_tcp, data.get(..2)) {
            rec.push_at(
                "length_prefix",
                Span::new(off, off.saturating_add(2)),
                u16::from_be_bytes([high, low]),
            );
        }
        let msg = data.get(skip..).unwrap_or_default();
        let parsed = if c.summary {
            dns::check(msg).map(|()| None)
        } else {
            dns::parse(msg).map(Some)
        };
        match parsed {
            Ok(Some(msg)) => dns_fields(&mut rec, off.saturating_add(skip), &msg),
            Ok(None) => {}
            Err(e) => {
                problem = Some((
                    off.saturating_add(skip).saturating_add(e.offset),
                    e.expected,
                ))
            }
        }
    }
    let name = rec.protocol;
    c.push(rec);
    if data.len() < declared {
        let what = Text::new("the data", "数据");
        let kind = truncated(what, declared, data.len(), Some("IP length"));
        c.stop(name, off, kind);
    } else if let Some((at, expected)) = problem {
        // The stop is where the message went wrong; its line says the byte.
        let kind = StopKind::Invalid {
            field: "message",
            value: String::new(),
            expected,
        };
        c.stop(name, at, kind);
    }
}

fn dns_fields(rec: &mut LayerRecord, off: usize, msg: &dns::Dns) {
    rec.push_at("id", Span::new(off, off.saturating_add(2)), msg.id);
    rec.push_at(
        "flags",
        Span::new(off.saturating_add(2), off.saturating_add(4)),
        hex16(msg.flags),
    );
    rec.push_at(
        "response",
        Span::new(off.saturating_add(2), off.saturating_add(3)),
        msg.is_response(),
    );
    rec.push_at(
        "rcode",
        Span::new(off.saturating_add(3), off.saturating_add(4)),
        msg.rcode(),
    );
    let questions: Vec<Value> = msg
        .questions
        .iter()
        .map(|q| {
            Value::Object(vec![
                ("name", q.name.clone().into()),
                ("type", dns::type_name(q.qtype).into()),
                ("class", q.class.into()),
            ])
        })
        .collect();
    rec.push_at(
        "questions",
        Span::new(off.saturating_add(4), off.saturating_add(6)),
        questions,
    );
    let answers: Vec<Value> = msg
        .answers
        .iter()
        .map(|a| {
            Value::Object(vec![
                ("name", a.name.clone().into()),
                ("type", dns::type_name(a.rtype).into()),
                ("ttl", a.ttl.into()),
                ("data", a.data.clone().into()),
            ])
        })
        .collect();
    rec.push_at(
        "answers",
        Span::new(off.saturating_add(6), off.saturating_add(8)),
        answers,
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use layers_osi::Dissection;

    /// The DNS message of fixtures/loopback-dns.pcap's frame 1 (a query for layers.test, A),
    /// at byte 42 of its frame.
    const QUERY: [u8; 29] = [
        0x12, 0x34, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x06, b'l', b'a',
        b'y', b'e', b'r', b's', 0x04, b't', b'e', b's', b't', 0x00, 0x00, 0x01, 0x00, 0x01,
    ];

    fn walk(frame: &[u8], declared: usize, ports: (u16, u16), summary: bool) -> Dissection {
        let mut out = Dissection::default();
        let mut c = Cursor::new(frame, &mut out, summary, frame.len());
        payload(&mut c, 42, frame.len(), declared, ports, false);
        out
    }

    fn at_42(data: &[u8]) -> Vec<u8> {
        let mut frame = vec![0u8; 42];
        frame.extend_from_slice(data);
        frame
    }

    #[test]
    fn a_real_dns_query_is_named_with_its_question() {
        let d = walk(&at_42(&QUERY), 29, (44610, 53), false);
        let rec = &d.layers[0];
        assert_eq!(rec.protocol, ProtocolId::Dns);
        assert_eq!(rec.field("id").unwrap().value.text(), "4660");
        let q = rec.field("questions").unwrap().value.to_json();
        assert_eq!(q[0]["name"], "layers.test");
        assert_eq!(q[0]["type"], "A");
        assert!(d.errors.is_empty());
    }

    #[test]
    fn the_summary_path_names_the_protocol_and_keeps_no_field() {
        let d = walk(&at_42(&QUERY), 29, (44610, 53), true);
        assert_eq!(d.layers[0].protocol, ProtocolId::Dns);
        assert!(d.layers[0].fields.is_empty());
        let http = walk(&at_42(b"GET / HTTP/1.1\r\n\r\n"), 18, (50000, 8000), true);
        assert_eq!(
            http.layers[0].protocol,
            ProtocolId::Http,
            "by content, not port"
        );
    }

    /// `gist` finds what `payload`'s record holds for a one-line view: the request or
    /// status line, else the DNS message, else the preview; and never one the record lacks.
    #[test]
    fn the_gist_is_what_the_record_holds() {
        let mut over_tcp = vec![0, 29];
        over_tcp.extend_from_slice(&QUERY);
        let cases: [(&[u8], (u16, u16), bool); 9] = [
            (b"GET /a?b HTTP/1.1\r\nHost: x\r\n\r\n", (50000, 80), true),
            (b"HTTP/1.0 404 Not Found\r\n\r\n", (8080, 50000), true),
            (b"HTTP/1.1 abc\r\n", (80, 50000), true),
            (b"EHLO layers.test\r\n", (50000, 25), true),
            (&QUERY, (44610, 53), false),
            (&over_tcp, (44610, 53), true),
            (&QUERY[..7], (44610, 53), false),
            (b"\x00\x01hi\xff", (51000, 9999), false),
            ("你好\x1b[2J".as_bytes(), (51000, 9999), true),
        ];
        for (data, ports, tcp) in cases {
            let frame = at_42(data);
            let mut out = Dissection::default();
            let mut c = Cursor::new(&frame, &mut out, false, frame.len());
            payload(&mut c, 42, frame.len(), data.len(), ports, tcp);
            let rec = &out.layers[0];
            let has = |name| rec.field(name).map(|f| f.value.clone());
            let text = |s: &str| Some(Value::Text(s.to_string()));
            let what = String::from_utf8_lossy(data);
            match crate::gist(rec.protocol, data, tcp) {
                crate::Gist::Request { method, uri } => {
                    assert_eq!(has("method"), text(&method), "{what}");
                    assert_eq!(has("uri"), text(&uri), "{what}");
                }
                crate::Gist::Response { status, reason } => {
                    assert_eq!(has("method"), None, "{what}");
                    assert_eq!(has("status"), Some(Value::Uint(status.into())), "{what}");
                    assert_eq!(has("reason"), text(&reason), "{what}");
                }
                crate::Gist::Dns(msg) => {
                    assert_eq!(has("status"), None, "{what}");
                    assert_eq!(has("id"), Some(Value::Uint(msg.id.into())), "{what}");
                    let Some(Value::List(qs)) = has("questions") else {
                        panic!("{what}: no questions")
                    };
                    assert_eq!(qs.len(), msg.questions.len(), "{what}");
                }
                crate::Gist::Text(preview) => {
                    for name in ["method", "status", "questions"] {
                        assert_eq!(has(name), None, "{what}: {name}");
                    }
                    assert_eq!(has("text"), text(&preview), "{what}");
                }
            }
        }
    }

    #[test]
    fn data_cut_short_says_how_much_was_promised() {
        let d = walk(&at_42(b"hello"), 20, (51000, 9999), false);
        assert_eq!(d.layers[0].protocol, ProtocolId::Data);
        assert_eq!(d.errors[0].offset, 42);
        assert!(matches!(
            d.errors[0].kind,
            StopKind::Truncated {
                needed: 20,
                present: 5,
                ..
            }
        ));
    }
}
