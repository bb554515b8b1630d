//! DNS messages (RFC 1035 section 4): the header, the questions and the answers, with name
//! compression followed at most a bounded number of times.

use std::net::{Ipv4Addr, Ipv6Addr};

use layers_osi::Text;

/// A DNS message's header and records.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Dns {
    /// Matches a response to its query.
    pub id: u16,
    /// The flags word (QR, opcode, AA, TC, RD, RA, rcode).
    pub flags: u16,
    /// The questions: name, type, class.
    pub questions: Vec<Question>,
    /// The answers: name, type, TTL and data.
    pub answers: Vec<Answer>,
}

/// A question.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Question {
    /// The name asked about.
    pub name: String,
    /// Its type (A, AAAA, ...).
    pub qtype: u16,
    /// Its class (1 = IN).
    pub class: u16,
}

/// A resource record of the answer section.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Answer {
    /// The name it is about.
    pub name: String,
    /// Its type.
    pub rtype: u16,
    /// How long it may be cached, in seconds.
    pub ttl: u32,
    /// Its data, as text where the type is known (an address, a name), else hex.
    pub data: String,
}

/// Why a message is not DNS.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DnsError {
    /// Byte offset in the message where it went wrong.
    pub offset: usize,
    /// What was expected there.
    pub expected: Text,
}

impl Dns {
    /// Whether it is a response (QR bit).
    pub fn is_response(&self) -> bool {
        self.flags & 0x8000 != 0
    }

    /// The response code (0 no error, 3 no such name).
    pub fn rcode(&self) -> u16 {
        self.flags & 0x000f
    }
}

/// The name of a record type.
pub fn type_name(t: u16) -> String {
    match t {
        1 => "A".into(),
        2 => "NS".into(),
        5 => "CNAME".into(),
        6 => "SOA".into(),
        12 => "PTR".into(),
        15 => "MX".into(),
        16 => "TXT".into(),
        28 => "AAAA".into(),
        33 => "SRV".into(),
        41 => "OPT".into(),
        65 => "HTTPS".into(),
        255 => "ANY".into(),
        other => format!("TYPE{other}"),
    }
}

struct Reader<'a> {
    msg: &'a [u8],
    /// Whether names and record data are kept (`parse`) or only checked (`check`).
    keep: bool,
}

impl Reader<'_> {
    fn u16(&self, at: usize, expected: Text) -> Result<u16, DnsError> {
        match self.msg.get(at..at.saturating_add(2)) {
            Some(&[a, b]) => Ok(u16::from_be_bytes([a, b])),
            _ => Err(DnsError {
                offset: at,
                expected,
            }),
        }
    }

    fn u32(&self, at: usize, expected: Text) -> Result<u32, DnsError> {
        match self.msg.get(at..at.saturating_add(4)) {
            Some(&[a, b, c, d]) => Ok(u32::from_be_bytes([a, b, c, d])),
            _ => Err(DnsError {
                offset: at,
                expected,
            }),
        }
    }

    /// A name at `at`; returns it and where the record goes on after it.
    fn name(&self, mut at: usize) -> Result<(String, usize), DnsError> {
        let mut labels: Vec<String> = Vec::new();
        // The name's length on the wire so far: its labels and their length bytes.
        let mut wire = 0usize;
        let mut after = None;
        // Each pointer must go backwards, so a message cannot loop; the bound is a second guard.
        let mut jumps = 0u32;
        loop {
            let err = |expected| DnsError {
                offset: at,
                expected,
            };
            let len = *self
                .msg
                .get(at)
                .ok_or_else(|| err(Text::new("a label length", "标签长度")))?;
            match len {
                0 => {
                    let next = after.unwrap_or(at.saturating_add(1));
                    let name = if !self.keep {
                        String::new()
                    } else if labels.is_empty() {
                        ".".to_string()
                    } else {
                        labels.join(".")
                    };
                    return Ok((name, next));
                }
                1..=63 => {
                    // The length byte, then `len` bytes of label.
                    let step = usize::from(len).saturating_add(1);
                    let label = self
                        .msg
                        .get(at.saturating_add(1)..at.saturating_add(step))
                        .ok_or_else(|| err(Text::new("a label", "标签")))?;
                    // RFC 1035 3.1: a name is at most 255 bytes, its length bytes counted;
                    // pointers cannot make one longer (a 64 KB frame once printed 170 MB).
                    wire = wire.saturating_add(step);
                    if wire.saturating_add(1) > MAX_NAME {
                        return Err(err(Text::new(
                            "a name of at most 255 bytes (RFC 1035)",
                            "不超过 255 字节的名字(RFC 1035)",
                        )));
                    }
                    if self.keep {
                        labels.push(String::from_utf8_lossy(label).into_owned());
                    }
                    at = at.saturating_add(step);
                }
                0xc0..=0xff => {
                    let target = usize::from(
                        self.u16(at, Text::new("a compression pointer", "压缩指针"))? & 0x3fff,
                    );
                    if target >= at || jumps > 64 {
                        return Err(err(Text::new(
                            "a pointer to an earlier name",
                            "指向前面某个名字的指针",
                        )));
                    }
                    after.get_or_insert(at.saturating_add(2));
                    jumps = jumps.saturating_add(1);
                    at = target;
                }
                _ => {
                    return Err(err(Text::new(
                        "a label length of 63 or less, or a pointer",
                        "不超过 63 的标签长度,或指针",
                    )))
                }
            }
        }
    }
}

/// The longest name, in bytes on the wire (RFC 1035 3.1).
const MAX_NAME: usize = 255;

/// What the first 12 bytes must be.
const HEADER: Text = Text::new("a 12-byte DNS header", "12 字节的 DNS 首部");

/// Parses `msg` as a DNS message.
pub fn parse(msg: &[u8]) -> Result<Dns, DnsError> {
    read(Reader { msg, keep: true })
}

/// Checks `msg` as [`parse`] does, to the same first error, keeping nothing: the summary
/// path's DNS, which allocates nothing.
pub fn check(msg: &[u8]) -> Result<(), DnsError> {
    read(Reader { msg, keep: false }).map(drop)
}

fn read(r: Reader<'_>) -> Result<Dns, DnsError> {
    let msg = r.msg;
    let id = r.u16(0, HEADER)?;
    let flags = r.u16(2, HEADER)?;
    let qdcount = r.u16(4, HEADER)?;
    let ancount = r.u16(6, HEADER)?;
    r.u16(10, HEADER)?;
    let mut at = 12;
    let mut questions = Vec::new();
    for _ in 0..qdcount {
        let (name, next) = r.name(at)?;
        let qtype = r.u16(next, Text::new("a question type", "问题的类型"))?;
        let class = r.u16(
            next.saturating_add(2),
            Text::new("a question class", "问题的类别"),
        )?;
        if r.keep {
            questions.push(Question { name, qtype, class });
        }
        at = next.saturating_add(4);
    }
    let mut answers = Vec::new();
    for _ in 0..ancount {
        let (name, next) = r.name(at)?;
        let rtype = r.u16(next, Text::new("a record type", "记录类型"))?;
        let ttl = r.u32(
            next.saturating_add(4),
            Text::new("a record TTL", "记录的 TTL"),
        )?;
        let rdlen = usize::from(r.u16(
            next.saturating_add(8),
            Text::new("a record data length", "记录数据长度"),
        )?);
        let start = next.saturating_add(10);
        let rdata = msg
            .get(start..start.saturating_add(rdlen))
            .ok_or(DnsError {
                offset: start,
                expected: Text::new(
                    "the record data its length promises",
                    "长度字段所说的记录数据",
                ),
            })?;
        let v4 = <[u8; 4]>::try_from(rdata).ok();
        let v6 = <[u8; 16]>::try_from(rdata).ok();
        let data = match (rtype, v4, v6) {
            (2 | 5 | 12, _, _) => r.name(start)?.0,
            _ if !r.keep => String::new(),
            (1, Some(a), _) => Ipv4Addr::from(a).to_string(),
            (28, _, Some(a)) => Ipv6Addr::from(a).to_string(),
            _ => hex::encode(rdata),
        };
        if r.keep {
            answers.push(Answer {
                name,
                rtype,
                ttl,
                data,
            });
        }
        at = start.saturating_add(rdlen);
    }
    Ok(Dns {
        id,
        flags,
        questions,
        answers,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A response for example.com A, with the answer's name compressed to the question's.
    fn response() -> Vec<u8> {
        let mut m = vec![0x12, 0x34, 0x81, 0x80, 0, 1, 0, 1, 0, 0, 0, 0];
        m.extend(b"\x07example\x03com\x00");
        m.extend([0, 1, 0, 1]);
        m.extend([
            0xc0, 12, 0, 1, 0, 1, 0, 0, 0x0e, 0x10, 0, 4, 93, 184, 216, 34,
        ]);
        m
    }

    #[test]
    fn a_response_with_compression() {
        let d = parse(&response()).unwrap();
        assert_eq!((d.id, d.is_response(), d.rcode()), (0x1234, true, 0));
        assert_eq!(
            d.questions,
            [Question {
                name: "example.com".into(),
                qtype: 1,
                class: 1
            }]
        );
        assert_eq!(
            d.answers,
            [Answer {
                name: "example.com".into(),
                rtype: 1,
                ttl: 3600,
                data: "93.184.216.34".into()
            }]
        );
    }

    /// `check` (the summary path's) fails where `parse` does, with the same error, on every
    /// cut and every single-byte change of a real response.
    #[test]
    fn check_agrees_with_parse() {
        let m = response();
        let same = |msg: &[u8]| {
            let (p, c) = (parse(msg).err(), check(msg).err());
            let key = |e: Option<DnsError>| e.map(|e| (e.offset, e.expected.en));
            assert_eq!(key(p), key(c), "{msg:02x?}");
        };
        for len in 0..=m.len() {
            same(&m[..len]);
        }
        for i in 0..m.len() {
            for b in [0u8, 0x3f, 0x40, 0xc0, 0xff] {
                let mut x = m.clone();
                x[i] = b;
                same(&x);
            }
        }
    }

    #[test]
    fn every_truncation_is_an_error_and_loops_are_refused() {
        let m = response();
        for len in 0..m.len() {
            assert!(parse(&m[..len]).is_err(), "len {len}");
        }
        let mut looped = vec![0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0];
        looped.extend([0xc0, 12, 0, 1, 0, 1]);
        assert_eq!(
            parse(&looped).unwrap_err().expected.en,
            "a pointer to an earlier name"
        );
        assert!(parse(b"hi").is_err());
        // Pointers to ever earlier labels cannot make a name longer than 255 bytes.
        let mut long = vec![0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0];
        long.extend([63; 1].iter().chain([b'a'; 63].iter()));
        for _ in 0..4 {
            long.push(63);
            long.extend([b'b'; 63]);
        }
        long.extend([0, 0, 1, 0, 1]);
        assert_eq!(
            parse(&long).unwrap_err().expected.en,
            "a name of at most 255 bytes (RFC 1035)"
        );
        let mut ok = vec![0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0];
        for _ in 0..3 {
            ok.push(63);
            ok.extend([b'c'; 63]);
        }
        ok.push(61);
        ok.extend([b'd'; 61]);
        ok.extend([0, 0, 1, 0, 1]);
        assert_eq!(
            parse(&ok).unwrap().questions[0].name.len(),
            253,
            "255 on the wire"
        );
    }
}
