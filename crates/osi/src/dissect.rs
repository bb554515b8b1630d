//! The dissection types every layer crate shares: field tables, fields, layer records and
//! the reason dissection stopped.

use serde::ser::{SerializeMap, SerializeStruct};
use serde::{Serialize, Serializer};

use crate::{FieldValue, OsiLayer, ProtocolId, Text};

/// A byte range `[start, end)` in a frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Span {
    /// First byte.
    pub start: usize,
    /// One past the last byte.
    pub end: usize,
}

impl Span {
    /// The range `[start, end)`.
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    /// How many bytes it covers.
    pub fn len(&self) -> usize {
        self.end.saturating_sub(self.start)
    }

    /// Whether it covers no byte.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether byte `i` is inside.
    pub fn contains(&self, i: usize) -> bool {
        self.start <= i && i < self.end
    }
}

impl Serialize for Span {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        [self.start, self.end].serialize(s)
    }
}

/// One row of a header's field table: where a field lives relative to the header's start.
///
/// Every layer crate publishes its header as a `&[FieldSpec]`; decode's spans, the hex
/// highlighting and the `--fields` view are computed from it, never written twice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FieldSpec {
    /// The field's name, as in the JSON contract.
    pub name: &'static str,
    /// Byte offset from the header's start.
    pub offset: usize,
    /// Length in bytes (the bytes that hold it, for a sub-byte field).
    pub len: usize,
    /// For a field smaller than its bytes: the bits that are its own, over those bytes
    /// read big-endian (IPv4's version is `0xf0` of byte 0).
    pub mask: Option<u32>,
    /// What it means.
    pub about: Text,
}

impl FieldSpec {
    /// The field's span in a frame whose header starts at `base`.
    pub fn span(&self, base: usize) -> Span {
        let start = base.saturating_add(self.offset);
        Span::new(start, start.saturating_add(self.len))
    }

    /// The field's value read from `header` (which starts at the header's first byte):
    /// the bytes big-endian, masked and shifted down; `None` if `header` is too short or
    /// the field is wider than 4 bytes.
    pub fn read(&self, header: &[u8]) -> Option<u32> {
        if self.len > 4 {
            return None;
        }
        let bytes = header.get(self.offset..self.offset.saturating_add(self.len))?;
        let raw = bytes.iter().fold(0u32, |acc, b| (acc << 8) | u32::from(*b));
        Some(match self.mask {
            Some(mask) => (raw & mask) >> mask.trailing_zeros(),
            None => raw,
        })
    }
}

impl FieldSpec {
    /// Writes `value` into the field in `header` (which starts at the header's first
    /// byte), leaving the bits of other fields that share its bytes as they are; `false`
    /// if `header` is too short, the field is wider than 4 bytes, or `value` does not fit.
    pub fn write(&self, header: &mut [u8], value: u32) -> bool {
        if self.len > 4 {
            return false;
        }
        let Some(bytes) = header.get_mut(self.offset..self.offset.saturating_add(self.len)) else {
            return false;
        };
        // 1 to 4 bytes: a width of 8 to 32 bits.
        let width = (self.len as u32).saturating_mul(8);
        let all = 1u32
            .checked_shl(width)
            .map_or(u32::MAX, |top| top.wrapping_sub(1));
        let mask = self.mask.unwrap_or(all);
        let shift = mask.trailing_zeros();
        if value
            .checked_shl(shift)
            .is_none_or(|v| v & !mask != 0 || v >> shift != value)
        {
            return false;
        }
        let old = bytes.iter().fold(0u32, |acc, b| (acc << 8) | u32::from(*b));
        let new = (old & !mask) | (value << shift);
        // Big-endian: the last byte takes the lowest 8 bits.
        for (k, b) in bytes.iter_mut().rev().enumerate() {
            *b = new.checked_shr((k as u32).saturating_mul(8)).unwrap_or(0) as u8;
        }
        true
    }
}

/// The spec named `name` in `table`, as a `const fn`: in a constant it is found at compile
/// time, and a name the table lacks fails the build.
#[expect(
    clippy::indexing_slicing,
    reason = "a const fn cannot call slice::get; each index is below the length it is checked against, and in a constant any panic is a build error"
)]
pub const fn spec_named(table: &'static [FieldSpec], name: &str) -> &'static FieldSpec {
    let wanted = name.as_bytes();
    let mut i = 0;
    while i < table.len() {
        let have = table[i].name.as_bytes();
        if have.len() == wanted.len() {
            let mut j = 0;
            while j < have.len() && have[j] == wanted[j] {
                j = j.saturating_add(1);
            }
            if j == have.len() {
                return &table[i];
            }
        }
        i = i.saturating_add(1);
    }
    panic!("no field of that name in the table")
}

/// A field as dissected from a frame.
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    /// Name, as in the JSON contract.
    pub name: &'static str,
    /// Value, typed as the JSON contract says.
    pub value: FieldValue,
    /// The bytes that hold it.
    pub span: Span,
    /// For a sub-byte field, its bits over `span` (see [`FieldSpec::mask`]).
    pub mask: Option<u32>,
}

/// One layer of a dissected frame.
#[derive(Clone, Debug, PartialEq)]
pub struct LayerRecord {
    /// The protocol (and through it the layer, PDU and devices).
    pub protocol: ProtocolId,
    /// The bytes of this layer's PDU that the frame holds (header and what it carries).
    pub span: Span,
    /// The bytes of this layer's own header (for the application layer: its data).
    pub header: Span,
    /// Its fields, in header order.
    pub fields: Vec<Field>,
    /// True for the layers quoted inside an ICMP error.
    pub quoted: bool,
    /// Its checksum's verdict, kept on the summary path too (Parquet's rows read it):
    /// `None` without one, `Some(None)` where it cannot be verified, else whether it is
    /// right. The full path also has it as the `checksum_valid` field.
    pub checksum: Option<Option<bool>>,
    /// The bytes it carries by its own lengths (TCP's `payload_length`), kept on the
    /// summary path too.
    pub payload_length: Option<u64>,
    /// A summary record keeps its protocol and spans but no field: the summary path
    /// (`--stats`) builds these, so it never allocates for a field.
    summary: bool,
}

impl LayerRecord {
    /// A record of `protocol` over `span`, with header `header` and no field yet.
    pub fn new(protocol: ProtocolId, span: Span, header: Span) -> LayerRecord {
        LayerRecord {
            protocol,
            span,
            header,
            fields: Vec::new(),
            quoted: false,
            checksum: None,
            payload_length: None,
            summary: false,
        }
    }

    /// Records the checksum's verdict (`None`: cannot be verified), as the
    /// `checksum_valid` field after `checksum` and as [`LayerRecord::checksum`].
    pub fn checksum_verdict(&mut self, span: Span, valid: Option<bool>) {
        self.checksum = Some(valid);
        self.insert_after("checksum", "checksum_valid", span, valid);
    }

    /// A record with room for `fields` fields before it grows.
    pub fn with_capacity(
        protocol: ProtocolId,
        span: Span,
        header: Span,
        fields: usize,
    ) -> LayerRecord {
        LayerRecord {
            fields: Vec::with_capacity(fields),
            ..LayerRecord::new(protocol, span, header)
        }
    }

    /// A record that fills `fields` (emptied first): a list kept from an earlier record.
    pub fn with_fields(
        protocol: ProtocolId,
        span: Span,
        header: Span,
        mut fields: Vec<Field>,
    ) -> LayerRecord {
        fields.clear();
        LayerRecord {
            fields,
            ..LayerRecord::new(protocol, span, header)
        }
    }

    /// A record that keeps no field: pushes are dropped (see [`LayerRecord::is_summary`]).
    pub fn summary(protocol: ProtocolId, span: Span, header: Span) -> LayerRecord {
        LayerRecord {
            summary: true,
            ..LayerRecord::new(protocol, span, header)
        }
    }

    /// Whether this record keeps no field.
    pub fn is_summary(&self) -> bool {
        self.summary
    }

    /// The layer it belongs to.
    pub fn layer(&self) -> OsiLayer {
        self.protocol.layer()
    }

    /// Adds a field located by its spec, with the header starting at `base`.
    #[inline]
    pub fn push(&mut self, spec: &FieldSpec, base: usize, value: impl Into<FieldValue>) {
        let value = value.into();
        if self.summary {
            value.discard();
            return;
        }
        self.fields.push(Field {
            name: spec.name,
            value,
            span: spec.span(base),
            mask: spec.mask,
        });
    }

    /// Adds a field with its own span (variable-length fields such as options).
    #[inline]
    pub fn push_at(&mut self, name: &'static str, span: Span, value: impl Into<FieldValue>) {
        let value = value.into();
        if self.summary {
            value.discard();
            return;
        }
        self.fields.push(Field {
            name,
            value,
            span,
            mask: None,
        });
    }

    /// Adds a field with its own span right after the field named `after` (at the end if
    /// there is none): a verdict beside the value it judges.
    pub fn insert_after(
        &mut self,
        after: &str,
        name: &'static str,
        span: Span,
        value: impl Into<FieldValue>,
    ) {
        if self.summary {
            return;
        }
        let at = self
            .fields
            .iter()
            .position(|f| f.name == after)
            .map_or(self.fields.len(), |i| i.saturating_add(1));
        self.fields.insert(
            at,
            Field {
                name,
                value: value.into(),
                span,
                mask: None,
            },
        );
    }

    /// The field named `name`.
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.name == name)
    }
}

/// The English names of a layer's devices, written without collecting them first.
struct Devices(OsiLayer);

impl Serialize for Devices {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let names = crate::DEVICES
            .iter()
            .filter(|d| d.layer == self.0)
            .map(|d| d.name.en);
        s.collect_seq(names)
    }
}

struct FieldValues<'a>(&'a [Field]);
struct FieldSpans<'a>(&'a [Field]);

impl Serialize for FieldValues<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for f in self.0 {
            map.serialize_entry(f.name, &f.value)?;
        }
        map.end()
    }
}

impl Serialize for FieldSpans<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut map = s.serialize_map(Some(self.0.len()))?;
        for f in self.0 {
            map.serialize_entry(f.name, &f.span)?;
        }
        map.end()
    }
}

impl Serialize for LayerRecord {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let layer = self.layer();
        let mut st = s.serialize_struct("LayerRecord", 9)?;
        st.serialize_field("osi", &layer.number())?;
        st.serialize_field("layer", layer.name().en)?;
        st.serialize_field("protocol", self.protocol.name())?;
        st.serialize_field("pdu", self.protocol.pdu().en)?;
        st.serialize_field("devices", &Devices(layer))?;
        st.serialize_field("span", &self.span)?;
        st.serialize_field("fields", &FieldValues(&self.fields))?;
        st.serialize_field("spans", &FieldSpans(&self.fields))?;
        if self.quoted {
            st.serialize_field("quoted", &true)?;
        } else {
            st.skip_field("quoted")?;
        }
        st.end()
    }
}

/// Why a layer could not be dissected (or, for a checksum, what is wrong with it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StopKind {
    /// Fewer bytes than a header or a length field requires.
    Truncated {
        /// What needed them ("TCP header").
        what: Text,
        /// Bytes required.
        needed: usize,
        /// Bytes present.
        present: usize,
        /// The length field that said how many were needed, if one did.
        length_from: Option<&'static str>,
        /// The first field of the header whose bytes are not all present, and the byte
        /// offset in the frame where it starts (every field before it was dissected).
        first_missing: Option<(&'static str, usize)>,
    },
    /// A field holds a value the protocol does not allow.
    Invalid {
        /// The field.
        field: &'static str,
        /// Its value as found.
        value: String,
        /// What was expected instead.
        expected: Text,
    },
    /// A checksum that does not match the bytes it covers.
    BadChecksum {
        /// The value in the frame.
        found: u16,
        /// The value it should have.
        expected: u16,
        /// The found value is only the pseudo-header sum: the sender left the checksum to
        /// its NIC (checksum offload), so a capture on the sending host shows it unfinished.
        offload: bool,
    },
    /// An Ethernet FCS that does not match the frame (the CRC-32 of IEEE 802.3 clause 3.2.9).
    BadFcs {
        /// The FCS in the capture, its bytes in the order they follow the frame.
        found: u32,
        /// The FCS the frame's bytes give.
        expected: u32,
    },
    /// The capture kept fewer bytes than the frame had (its snap length).
    SnapLength {
        /// Bytes captured.
        captured: usize,
        /// Bytes the frame had.
        original: usize,
    },
    /// Not an error: an IPv4 total length of 0 with a whole segment behind it, as a capture
    /// on a host with TCP segmentation offload shows; the length is taken from the frame.
    SegmentationOffload {
        /// The packet's length as the frame holds it.
        length: usize,
    },
    /// A protocol that is recognised but not dissected (yet).
    Unsupported {
        /// What it is ("EtherType").
        what: Text,
        /// Its value ("0x86dd").
        value: String,
    },
}

/// Where and why dissection of a layer stopped, or what is wrong in it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stop {
    /// The layer it concerns.
    pub layer: OsiLayer,
    /// The protocol it concerns; `None` for a link type `layers` does not dissect.
    pub protocol: Option<ProtocolId>,
    /// The byte offset in the frame where the problem is.
    pub offset: usize,
    /// What is wrong.
    pub kind: StopKind,
}

impl Stop {
    /// The problem in one sentence, in English (the JSON's `message`; the CLI says it in
    /// Chinese too, from its own words).
    pub fn message(&self) -> String {
        match &self.kind {
            StopKind::Truncated {
                    what,
                    needed,
                    present,
                    length_from,
                    first_missing,
                } => {
                let mut s = format!(
                    "truncated: {} needs {needed} bytes, {present} present",
                    what.en
                );
                if let Some(from) = length_from {
                    s.push_str(&format!(" (the {from} field says {needed})"));
                }
                if let Some((field, at)) = first_missing {
                    s.push_str(&format!("; {field} at byte {at} and what follows are missing"));
                }
                s
            }
            StopKind::Invalid {
                    field,
                    value,
                    expected,
                } if value.is_empty() => format!("invalid {field}: expected {}", expected.en),
            StopKind::Invalid {
                    field,
                    value,
                    expected,
                } => format!("invalid {field} {value}: expected {}", expected.en),
            StopKind::BadChecksum {
                    found,
                    expected,
                    offload,
                } => {
                let mut s = format!("bad checksum 0x{found:04x}: should be 0x{expected:04x}");
                if *offload {
                    s.push_str(
                        " (the field holds only the pseudo-header sum: checksum offload; the sender leaves the sum to its NIC, after the capture point, and on loopback, where there is no NIC, nobody computes it: the bytes never cross a wire)",
                    );
                }
                s
            }
            StopKind::BadFcs { found, expected } => format!(
                "bad FCS 0x{found:08x}: the frame's bytes give 0x{expected:08x} (damaged on the wire, or by the capture)"
            ),
            StopKind::SnapLength { captured, original } => format!(
                "the capture kept {captured} of the frame's {original} bytes (snap length): the rest was never recorded"
            ),
            StopKind::SegmentationOffload { length } => format!(
                "total_length is 0: presumed to be captured on a host with TCP segmentation offload (the NIC splits the segment and fills in each length after the capture point); the packet's length is taken from the frame: {length} bytes"
            ),
            StopKind::Unsupported { what, value } => {
                format!("not dissected: {} {value}", what.en)
            }
        }
    }

    /// The name of the protocol it concerns ("link layer" for an unknown link type).
    pub fn protocol_name(&self) -> &'static str {
        self.protocol.map_or("link layer", ProtocolId::name)
    }

    /// Whether dissection stopped here (a bad checksum or a note does not stop it).
    pub fn is_fatal(&self) -> bool {
        !matches!(
            self.kind,
            StopKind::BadChecksum { .. }
                | StopKind::BadFcs { .. }
                | StopKind::SegmentationOffload { .. }
        )
    }
}

impl Serialize for Stop {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Stop", 4)?;
        st.serialize_field("osi", &self.layer.number())?;
        st.serialize_field("protocol", self.protocol_name())?;
        st.serialize_field("offset", &self.offset)?;
        st.serialize_field("message", &self.message())?;
        st.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const VERSION: FieldSpec = FieldSpec {
        name: "version",
        offset: 0,
        len: 1,
        mask: Some(0xf0),
        about: Text::new("", ""),
    };
    const TOTAL: FieldSpec = FieldSpec {
        name: "total_length",
        offset: 2,
        len: 2,
        mask: None,
        about: Text::new("", ""),
    };

    #[test]
    fn specs_read_masked_and_whole_fields() {
        let header = [0x45, 0x00, 0x00, 0x2e];
        assert_eq!(VERSION.read(&header), Some(4));
        assert_eq!(TOTAL.read(&header), Some(46));
        assert_eq!(TOTAL.read(&header[..3]), None);
        assert_eq!(TOTAL.span(14), Span::new(16, 18));
    }

    #[test]
    fn specs_write_what_they_read_and_leave_their_neighbours_alone() {
        const IHL: FieldSpec = FieldSpec {
            name: "header_length",
            offset: 0,
            len: 1,
            mask: Some(0x0f),
            about: Text::new("", ""),
        };
        let mut header = [0xa5u8; 4];
        assert!(VERSION.write(&mut header, 4));
        assert!(IHL.write(&mut header, 5));
        assert!(TOTAL.write(&mut header, 46));
        assert_eq!(header, [0x45, 0xa5, 0x00, 0x2e]);
        assert_eq!(VERSION.read(&header), Some(4));
        assert!(!VERSION.write(&mut header, 16), "does not fit 4 bits");
        assert!(!TOTAL.write(&mut header[..3], 1), "header too short");
        assert_eq!(header, [0x45, 0xa5, 0x00, 0x2e]);
    }

    #[test]
    fn a_record_serialises_as_the_json_contract_says() {
        let mut rec = LayerRecord::new(ProtocolId::Ethernet2, Span::new(0, 60), Span::new(0, 14));
        rec.push_at("ethertype", Span::new(12, 14), "0x0800");
        let json = serde_json::to_value(&rec).unwrap();
        assert_eq!(
            json,
            serde_json::json!({
                "osi": 2, "layer": "data link", "protocol": "Ethernet II", "pdu": "frame",
                "devices": ["bridge", "Ethernet switch", "NIC"], "span": [0, 60],
                "fields": {"ethertype": "0x0800"}, "spans": {"ethertype": [12, 14]}
            })
        );
    }

    #[test]
    fn stop_messages_name_what_was_needed_in_both_languages() {
        let stop = Stop {
            layer: OsiLayer::Transport,
            protocol: Some(ProtocolId::Tcp),
            offset: 34,
            kind: StopKind::Truncated {
                what: Text::new("TCP header", "TCP 首部"),
                needed: 20,
                present: 6,
                length_from: None,
                first_missing: Some(("sequence", 38)),
            },
        };
        assert_eq!(
            stop.message(),
            "truncated: TCP header needs 20 bytes, 6 present; sequence at byte 38 and what follows are missing"
        );
        let json = serde_json::to_value(&stop).unwrap();
        assert_eq!(json["offset"], 34);
        assert_eq!(json["osi"], 4);
        assert!(stop.is_fatal());
    }
}
