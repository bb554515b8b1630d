//! `decode --parquet OUT`: one row per frame, as Apache Parquet, for DuckDB, Spark, Polars
//! and pandas to query. The columns are named like Wireshark's display fields with
//! underscores (`tcp_srcport` is `tcp.srcport`), typed (unsigned integers, a UTC
//! timestamp in nanoseconds, dictionary-encoded strings), null where a layer is absent.
//!
//! The workers of `decode` turn each frame into a row, encoded in a few bytes of their
//! output (the same ordered path every view's text takes); the writing thread decodes
//! those rows into columns and writes a row group every [`ROW_GROUP_ROWS`] rows, so memory
//! stays bounded whatever the input's size.

use std::io::{self, Write};
use std::sync::Arc;

use layers_osi::{FieldSpec, FieldValue, LayerRecord, LinkType, OsiLayer, ProtocolId};
use layers_stack::Frame;
use parquet::basic::{Compression, Encoding, ZstdLevel};
use parquet::data_type::ByteArray;
use parquet::file::metadata::KeyValue;
use parquet::file::properties::EnabledStatistics;
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;
use parquet::schema::types::ColumnPath;

use std::path::{Path, PathBuf};

use crate::args::DecodeArgs;
use crate::decode::{self, View};
use crate::i18n::Msg;
use crate::output::AtomicFile;
use crate::render::printer::Printer;
use crate::{CliError, Ui};

/// The schema's version, kept in each file's metadata under [`VERSION_KEY`]: it changes
/// when a column is renamed, retyped or removed (adding one does not).
pub const SCHEMA_VERSION: &str = "1";
/// The metadata key of [`SCHEMA_VERSION`].
pub const VERSION_KEY: &str = "layers.schema_version";

/// Rows per row group: about 15 MB of column values before they are written.
pub const ROW_GROUP_ROWS: usize = 1 << 16;
/// Below this many rows a row group's columns are encoded on the writing thread.
const SMALL_GROUP_ROWS: usize = 4096;
/// A row group is written sooner if its text holds this many bytes: frames full of long
/// HTTP request lines would otherwise gather up to 4 GB of URIs in 65,536 rows. (Each
/// byte is held about three times on its way: 16 MiB took 75 MB of RSS, 8 MiB 40 MB.
/// Each row group costs its columns' encoders and pages afresh: at 4 MiB, a mixed capture's
/// groups closed at 37,000 rows, and the whole run took 1.26x as long as at 8 MiB.)
pub const ROW_GROUP_TEXT_BYTES: usize = 8 << 20;

/// How a column is stored.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Kind {
    U8,
    U16,
    U32,
    U64,
    Bool,
    /// Nanoseconds since the epoch, UTC.
    Time,
    Text,
}

impl Kind {
    /// The column's Parquet type, in the schema's text form.
    fn parquet(self) -> &'static str {
        match self {
            Kind::U8 => "int32 {} (INTEGER(8,false))",
            Kind::U16 => "int32 {} (INTEGER(16,false))",
            Kind::U32 => "int32 {} (INTEGER(32,false))",
            Kind::U64 => "int64 {} (INTEGER(64,false))",
            Kind::Bool => "boolean {}",
            Kind::Time => "int64 {} (TIMESTAMP(NANOS,true))",
            Kind::Text => "binary {} (STRING)",
        }
    }
}

use Kind::*;

/// Every column, in order: name, type, and whether every row has a value.
const COLUMNS: [(&str, Kind, bool); 45] = [
    ("frame_number", U64, true),
    ("frame_time", Time, false),
    ("frame_len", U32, true),
    ("frame_cap_len", U32, true),
    ("eth_src", Text, false),
    ("eth_dst", Text, false),
    ("eth_type", U16, false),
    ("vlan_id", U16, false),
    ("ip_version", U8, false),
    ("ip_src", Text, false),
    ("ip_dst", Text, false),
    ("ip_proto", U8, false),
    ("ip_ttl", U8, false),
    ("ip_len", U32, false),
    ("ip_id", U16, false),
    ("ip_flags_df", Bool, false),
    ("ip_flags_mf", Bool, false),
    ("ip_frag_offset", U16, false),
    ("ip_checksum_status", Text, false),
    ("tcp_srcport", U16, false),
    ("tcp_dstport", U16, false),
    ("tcp_seq", U32, false),
    ("tcp_ack", U32, false),
    ("tcp_flags", U16, false),
    ("tcp_window_size_value", U16, false),
    ("tcp_len", U32, false),
    ("tcp_checksum_status", Text, false),
    ("udp_srcport", U16, false),
    ("udp_dstport", U16, false),
    ("udp_length", U16, false),
    ("udp_checksum_status", Text, false),
    ("icmp_type", U8, false),
    ("icmp_code", U8, false),
    ("arp_opcode", U16, false),
    ("dns_qry_name", Text, false),
    ("http_request_method", Text, false),
    ("http_request_uri", Text, false),
    ("http_response_code", U16, false),
    ("osi_top", U8, true),
    ("protocols", Text, true),
    ("error_layer", U8, false),
    ("error_offset", U32, false),
    ("error_message", Text, false),
    ("error_count", U32, true),
    ("source_file", Text, true),
];

/// The index of `source_file`, the one column the writing thread fills.
const SOURCE_FILE: usize = COLUMNS.len() - 1;

/// The schema in Parquet's message syntax.
pub fn schema_text() -> String {
    let mut s = String::from("message layers_frame {\n");
    for (name, kind, required) in COLUMNS {
        let repetition = if required { "required" } else { "optional" };
        s.push_str("  ");
        s.push_str(repetition);
        s.push(' ');
        s.push_str(&kind.parquet().replace("{}", name));
        s.push_str(";\n");
    }
    s.push('}');
    s
}

// The workers hand their rows over a batch at a time, column by column, in their output
// bytes: the batch's length (u64, little-endian, itself included) and row count (u32), then
// for each column but `source_file`: one byte per row (1: a value, 0: null), the values'
// count (u32) and the values (4 bytes each in an INT32 column, 8 in an INT64 one, 1 for a
// bool; for text, where each value ends (u32 each), then the bytes' length and the bytes).

/// Puts one row's cells into the batch's columns, in schema order.
struct Cells<'a> {
    columns: std::slice::IterMut<'a, Column>,
    scratch: &'a mut String,
}

impl Cells<'_> {
    fn next(&mut self) -> Option<&mut Column> {
        self.columns.next()
    }

    fn int(&mut self, v: Option<u64>) -> &mut Self {
        if let Some(c) = self.next() {
            match (v, &mut c.values) {
                // Unsigned 32-bit values are stored in INT32's bits, as Parquet says.
                (Some(v), Values::Int32(vals)) => vals.push(v as u32 as i32),
                (Some(v), Values::Int64(vals)) => vals.push(v as i64),
                _ => {}
            }
            c.defs.push(i16::from(v.is_some()));
        }
        self
    }

    fn time(&mut self, v: Option<i64>) -> &mut Self {
        if let Some(c) = self.next() {
            if let (Some(v), Values::Int64(vals)) = (v, &mut c.values) {
                vals.push(v);
            }
            c.defs.push(i16::from(v.is_some()));
        }
        self
    }

    fn bool(&mut self, v: Option<bool>) -> &mut Self {
        if let Some(c) = self.next() {
            if let (Some(v), Values::Bool(vals)) = (v, &mut c.values) {
                vals.push(v);
            }
            c.defs.push(i16::from(v.is_some()));
        }
        self
    }

    fn text(&mut self, v: Option<&str>) -> &mut Self {
        if let Some(c) = self.next() {
            match v {
                Some(s) => c.text(s.as_bytes()),
                None => c.defs.push(0),
            }
        }
        self
    }

    /// An address written as the views write it.
    fn address(&mut self, v: Option<FieldValue>) -> &mut Self {
        let Some(c) = self.columns.next() else {
            return self;
        };
        match v {
            Some(v) => {
                // Formatted in a reused buffer: four addresses a row, no allocation.
                self.scratch.clear();
                v.write_text(self.scratch);
                c.text(self.scratch.as_bytes());
            }
            None => c.defs.push(0),
        }
        self
    }
}

/// One layer of the frame, read from its bytes through its protocol's field table: the
/// summary walk's records keep no field, only where the header lies.
#[derive(Clone, Copy)]
struct Header<'a> {
    rec: &'a LayerRecord,
    /// The header's bytes that the frame holds.
    bytes: &'a [u8],
}

impl<'a> Header<'a> {
    fn of(rec: Option<&'a LayerRecord>, data: &'a [u8]) -> Option<Header<'a>> {
        let rec = rec?;
        let bytes = data
            .get(rec.header.start..rec.header.end)
            .unwrap_or_default();
        Some(Header { rec, bytes })
    }

    /// The field's raw number, if its bytes are there (as the full walk reports a field).
    fn raw(self, spec: &FieldSpec) -> Option<u64> {
        spec.read(self.bytes).map(u64::from)
    }

    /// The field's bytes, if they are all there.
    fn bytes_of(self, spec: &FieldSpec) -> Option<&'a [u8]> {
        self.bytes
            .get(spec.offset..spec.offset.checked_add(spec.len)?)
    }

    fn mac(self, spec: &FieldSpec) -> Option<FieldValue> {
        Some(FieldValue::Mac(self.bytes_of(spec)?.try_into().ok()?))
    }

    /// An IPv4 or IPv6 address.
    fn ip(self, spec: &FieldSpec) -> Option<FieldValue> {
        let b = self.bytes_of(spec)?;
        Some(match b.len() {
            4 => FieldValue::Ipv4(b.try_into().ok()?),
            _ => FieldValue::Ipv6(b.try_into().ok()?),
        })
    }
}

fn raw(h: Option<Header<'_>>, spec: &FieldSpec) -> Option<u64> {
    h?.raw(spec)
}

/// The fields the rows read, found in the layer crates' tables at compile time.
mod spec {
    use layers_osi::{spec_named, FieldSpec};

    use layers_arp::ARP_FIELDS as ARP;
    use layers_ethernet::{ETHERNET2_FIELDS as ETH, VLAN_FIELDS as VLAN};
    use layers_ipv4::{ICMP_FIELDS as ICMP, IPV4_FIELDS as V4, IPV6_FIELDS as V6};
    use layers_transport::{TCP_FIELDS as TCP, UDP_FIELDS as UDP};

    /// Ethernet II's and 802.3's addresses lie alike (a test checks it).
    pub const ETH_SRC: &FieldSpec = spec_named(ETH, "source");
    pub const ETH_DST: &FieldSpec = spec_named(ETH, "destination");
    pub const ETH_TYPE: &FieldSpec = spec_named(ETH, "ethertype");
    pub const VLAN_ID: &FieldSpec = spec_named(VLAN, "id");
    pub const V4_SRC: &FieldSpec = spec_named(V4, "source");
    pub const V4_DST: &FieldSpec = spec_named(V4, "destination");
    pub const V4_PROTO: &FieldSpec = spec_named(V4, "protocol");
    pub const V4_TTL: &FieldSpec = spec_named(V4, "ttl");
    pub const V4_LEN: &FieldSpec = spec_named(V4, "total_length");
    pub const V4_ID: &FieldSpec = spec_named(V4, "identification");
    pub const V4_DF: &FieldSpec = spec_named(V4, "dont_fragment");
    pub const V4_MF: &FieldSpec = spec_named(V4, "more_fragments");
    pub const V4_FRAG: &FieldSpec = spec_named(V4, "fragment_offset");
    pub const V6_SRC: &FieldSpec = spec_named(V6, "source");
    pub const V6_DST: &FieldSpec = spec_named(V6, "destination");
    pub const V6_NEXT: &FieldSpec = spec_named(V6, "next_header");
    pub const V6_HOPS: &FieldSpec = spec_named(V6, "hop_limit");
    pub const V6_LEN: &FieldSpec = spec_named(V6, "payload_length");
    pub const TCP_SRC: &FieldSpec = spec_named(TCP, "source_port");
    pub const TCP_DST: &FieldSpec = spec_named(TCP, "destination_port");
    pub const TCP_SEQ: &FieldSpec = spec_named(TCP, "sequence");
    pub const TCP_ACK: &FieldSpec = spec_named(TCP, "acknowledgment");
    pub const TCP_FLAGS: &FieldSpec = spec_named(TCP, "flags");
    pub const TCP_WINDOW: &FieldSpec = spec_named(TCP, "window");
    pub const UDP_SRC: &FieldSpec = spec_named(UDP, "source_port");
    pub const UDP_DST: &FieldSpec = spec_named(UDP, "destination_port");
    pub const UDP_LEN: &FieldSpec = spec_named(UDP, "length");
    pub const ICMP_TYPE: &FieldSpec = spec_named(ICMP, "type");
    pub const ICMP_CODE: &FieldSpec = spec_named(ICMP, "code");
    pub const ARP_OP: &FieldSpec = spec_named(ARP, "operation");
}

/// A checksum's verdict as Wireshark's `*.checksum.status` names them.
fn checksum_status(rec: Option<&LayerRecord>) -> Option<&'static str> {
    Some(match rec?.checksum {
        Some(Some(true)) => "good",
        Some(Some(false)) => "bad",
        // Not verifiable, or a header cut before its checksum: no verdict either way.
        Some(None) | None => "unverified",
    })
}

/// The first question's name of a DNS message (after its 2-byte length over TCP).
fn dns_name(rec: &LayerRecord, data: &[u8], over_tcp: bool) -> Option<String> {
    let msg = data.get(rec.span.start..rec.span.end)?;
    let msg = msg.get(if over_tcp { 2 } else { 0 }..)?;
    let dns = layers_application::dns::parse(msg).ok()?;
    dns.questions.into_iter().next().map(|q| q.name)
}

/// Adds the row (all columns but `source_file`) of a frame that the summary walk dissected
/// (`frame`'s records) and whose bytes are `data` to `columns`.
fn write_row(frame: &Frame, data: &[u8], columns: &mut [Column], scratch: &mut [String; 2]) {
    use layers_application::{first_line, http_line, HttpLine};
    let own = || frame.layers.iter().filter(|l| !l.quoted);
    let find = |ids: &[ProtocolId]| own().find(|l| ids.contains(&l.protocol));
    let header = |ids: &[ProtocolId]| Header::of(find(ids), data);
    let eth = header(&[ProtocolId::Ethernet2, ProtocolId::Ieee8023]);
    let ethernet2 = header(&[ProtocolId::Ethernet2]);
    // The innermost tag, as Wireshark's vlan.id (in QinQ its outer 802.1ad tag is
    // ieee8021ad.id): the customer's VLAN.
    let vlan = Header::of(own().rfind(|l| l.protocol == ProtocolId::Vlan), data);
    let v4 = header(&[ProtocolId::Ipv4]);
    let ip = header(&[ProtocolId::Ipv4, ProtocolId::Ipv6]);
    let is_v6 = ip.is_some_and(|h| h.rec.protocol == ProtocolId::Ipv6);
    let tcp_rec = find(&[ProtocolId::Tcp]);
    let tcp = Header::of(tcp_rec, data);
    let udp_rec = find(&[ProtocolId::Udp]);
    let udp = Header::of(udp_rec, data);
    let icmp = header(&[ProtocolId::Icmp, ProtocolId::Icmpv6]);
    let arp = header(&[ProtocolId::Arp]);
    let ip_len = if is_v6 {
        raw(ip, spec::V6_LEN).map(|n| n.saturating_add(40))
    } else {
        raw(ip, spec::V4_LEN)
    };
    let dns = find(&[ProtocolId::Dns]).and_then(|d| dns_name(d, data, tcp_rec.is_some()));
    let http = find(&[ProtocolId::Http])
        .and_then(|h| data.get(h.span.start..h.span.end))
        .and_then(first_line)
        .and_then(|l| http_line(&l));
    let (method, uri, status) = match http {
        Some(HttpLine::Request { method, uri, .. }) => (Some(method), Some(uri), None),
        Some(HttpLine::Response { status, .. }) => (None, None, Some(u64::from(status))),
        None => (None, None, None),
    };
    let [text, protocols] = scratch;
    protocols.clear();
    for (i, l) in own()
        .filter(|l| l.layer() != OsiLayer::Physical)
        .enumerate()
    {
        if i > 0 {
            protocols.push(':');
        }
        protocols.push_str(l.protocol.short_name());
    }
    let top = own().map(|l| l.layer().number()).max();
    let error = frame.errors.first();
    let message = error.map(layers_osi::Stop::message);
    let mut c = Cells {
        columns: columns.iter_mut(),
        scratch: text,
    };
    c.int(Some(frame.frame))
        .time(frame.time_ns)
        .int(Some(frame.original_length as u64))
        .int(Some(frame.captured_length as u64))
        .address(eth.and_then(|h| h.mac(spec::ETH_SRC)))
        .address(eth.and_then(|h| h.mac(spec::ETH_DST)))
        .int(raw(ethernet2, spec::ETH_TYPE))
        .int(raw(vlan, spec::VLAN_ID))
        .int(ip.map(|_| if is_v6 { 6 } else { 4 }))
        .address(ip.and_then(|h| h.ip(if is_v6 { spec::V6_SRC } else { spec::V4_SRC })))
        .address(ip.and_then(|h| h.ip(if is_v6 { spec::V6_DST } else { spec::V4_DST })))
        .int(raw(ip, if is_v6 { spec::V6_NEXT } else { spec::V4_PROTO }))
        .int(raw(ip, if is_v6 { spec::V6_HOPS } else { spec::V4_TTL }))
        .int(ip_len)
        .int(raw(v4, spec::V4_ID))
        .bool(raw(v4, spec::V4_DF).map(|b| b == 1))
        .bool(raw(v4, spec::V4_MF).map(|b| b == 1))
        .int(raw(v4, spec::V4_FRAG).map(|o| o * 8))
        .text(checksum_status(v4.map(|h| h.rec)))
        .int(raw(tcp, spec::TCP_SRC))
        .int(raw(tcp, spec::TCP_DST))
        .int(raw(tcp, spec::TCP_SEQ))
        .int(raw(tcp, spec::TCP_ACK))
        .int(raw(tcp, spec::TCP_FLAGS))
        .int(raw(tcp, spec::TCP_WINDOW))
        .int(tcp_rec.and_then(|t| t.payload_length))
        .text(checksum_status(tcp_rec))
        .int(raw(udp, spec::UDP_SRC))
        .int(raw(udp, spec::UDP_DST))
        .int(raw(udp, spec::UDP_LEN))
        .text(checksum_status(udp_rec))
        .int(raw(icmp, spec::ICMP_TYPE))
        .int(raw(icmp, spec::ICMP_CODE))
        .int(raw(arp, spec::ARP_OP))
        .text(dns.as_deref())
        .text(method.as_deref())
        .text(uri.as_deref())
        .int(status)
        .int(top.map(u64::from))
        .text(Some(protocols))
        .int(error.map(|e| u64::from(e.layer.number())))
        .int(error.map(|e| e.offset as u64))
        .text(message.as_deref())
        .int(Some(frame.errors.len() as u64));
}

/// `--parquet`: each frame as a row, gathered by columns and handed to the writing
/// thread (which makes the file) a batch at a time.
pub struct Rows {
    columns: Vec<Column>,
    rows: u32,
    /// Text built for a row (an address, the protocol path), its memory reused.
    scratch: [String; 2],
}

impl Default for Rows {
    fn default() -> Rows {
        Rows {
            columns: COLUMNS[..SOURCE_FILE]
                .iter()
                .map(|(_, k, _)| Column::new(*k))
                .collect(),
            rows: 0,
            scratch: Default::default(),
        }
    }
}

impl Printer for Rows {
    fn frame(&mut self, _: &mut Vec<u8>, f: &Frame, data: &[u8], _: LinkType) -> io::Result<()> {
        write_row(f, data, &mut self.columns, &mut self.scratch);
        self.rows = self.rows.saturating_add(1);
        Ok(())
    }

    fn end_batch(&mut self, out: &mut Vec<u8>) {
        if self.rows == 0 {
            return;
        }
        let start = out.len();
        out.extend_from_slice(&[0; 8]);
        out.extend_from_slice(&self.rows.to_le_bytes());
        for c in &mut self.columns {
            out.extend(c.defs.iter().map(|d| *d as u8));
            let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX).to_le_bytes();
            match &c.values {
                Values::Int32(v) => {
                    out.extend_from_slice(&count(v.len()));
                    v.iter()
                        .for_each(|x| out.extend_from_slice(&x.to_le_bytes()));
                }
                Values::Int64(v) => {
                    out.extend_from_slice(&count(v.len()));
                    v.iter()
                        .for_each(|x| out.extend_from_slice(&x.to_le_bytes()));
                }
                Values::Bool(v) => {
                    out.extend_from_slice(&count(v.len()));
                    out.extend(v.iter().map(|b| u8::from(*b)));
                }
                Values::Text(bytes, ends) => {
                    out.extend_from_slice(&count(ends.len()));
                    ends.iter().for_each(|e| out.extend_from_slice(&count(*e)));
                    out.extend_from_slice(&count(bytes.len()));
                    out.extend_from_slice(bytes);
                }
            }
            c.clear();
        }
        let len = (out.len() - start) as u64;
        if let Some(head) = out.get_mut(start..start + 8) {
            head.copy_from_slice(&len.to_le_bytes());
        }
        self.rows = 0;
    }

    /// The summary walk: every column is read from the frame's bytes where the records say
    /// its header lies, so no field is built.
    fn full(&self) -> bool {
        false
    }

    fn bytes_per_byte(&self) -> usize {
        1
    }
}

/// One column's values in the row group being gathered.
enum Values {
    Int32(Vec<i32>),
    Int64(Vec<i64>),
    Bool(Vec<bool>),
    /// Text: every value's bytes back to back, and where each ends.
    Text(Vec<u8>, Vec<usize>),
}

struct Column {
    values: Values,
    /// Definition levels: 1 where the row has a value, 0 for null.
    defs: Vec<i16>,
}

impl Column {
    fn new(kind: Kind) -> Column {
        let values = match kind {
            U8 | U16 | U32 => Values::Int32(Vec::new()),
            U64 | Time => Values::Int64(Vec::new()),
            Bool => Values::Bool(Vec::new()),
            Text => Values::Text(Vec::new(), Vec::new()),
        };
        Column {
            values,
            defs: Vec::new(),
        }
    }

    fn clear(&mut self) {
        self.defs.clear();
        match &mut self.values {
            Values::Int32(v) => v.clear(),
            Values::Int64(v) => v.clear(),
            Values::Bool(v) => v.clear(),
            Values::Text(b, ends) => {
                b.clear();
                ends.clear();
            }
        }
    }

    fn text(&mut self, s: &[u8]) {
        if let Values::Text(bytes, ends) = &mut self.values {
            bytes.extend_from_slice(s);
            ends.push(bytes.len());
            self.defs.push(1);
        }
    }
}

/// An error in the rows the workers wrote: only a bug of ours could make one.
fn corrupt() -> io::Error {
    io::Error::other("decode --parquet: a row could not be read back (a bug in layers)")
}

fn parquet_error(e: parquet::errors::ParquetError) -> io::Error {
    match e {
        parquet::errors::ParquetError::External(e) => io::Error::other(e),
        e => io::Error::other(e.to_string()),
    }
}

/// Where text value `i` of `column` ends.
fn self_end(column: &Column, i: usize) -> Option<&usize> {
    match &column.values {
        Values::Text(_, ends) => ends.get(i),
        _ => None,
    }
}

/// One column chunk encoded into memory: its bytes, and what appending it needs.
fn encode_column(
    column: &Column,
    descr: parquet::schema::types::ColumnDescPtr,
    props: Arc<WriterProperties>,
) -> parquet::errors::Result<(bytes::Bytes, parquet::column::writer::ColumnCloseResult)> {
    use parquet::column::writer::{get_column_writer, ColumnWriter};
    use parquet::file::writer::{SerializedPageWriter, TrackedWrite};
    let mut buf = TrackedWrite::new(Vec::new());
    let pages = Box::new(SerializedPageWriter::new(&mut buf));
    let mut writer = get_column_writer(descr, props, pages);
    // In slices of PIECE rows, so no buffer the size of the row group is made for it
    // (a row group's worth of byte arrays, made and freed for each, cost page faults).
    const PIECE: usize = 4096;
    let mut at = 0; // the first value of the slice
    let mut texts: Vec<ByteArray> = Vec::new();
    for defs in column.defs.chunks(PIECE) {
        let n = defs.iter().filter(|d| **d == 1).count();
        let range = at..at + n;
        at += n;
        let defs = Some(defs);
        let bad = || {
            parquet::errors::ParquetError::General("a column's values and nulls disagree".into())
        };
        match (&mut writer, &column.values) {
            (ColumnWriter::Int32ColumnWriter(w), Values::Int32(v)) => {
                w.write_batch(v.get(range).ok_or_else(bad)?, defs, None)
            }
            (ColumnWriter::Int64ColumnWriter(w), Values::Int64(v)) => {
                w.write_batch(v.get(range).ok_or_else(bad)?, defs, None)
            }
            (ColumnWriter::BoolColumnWriter(w), Values::Bool(v)) => {
                w.write_batch(v.get(range).ok_or_else(bad)?, defs, None)
            }
            (ColumnWriter::ByteArrayColumnWriter(w), Values::Text(bytes, ends)) => {
                let ends = ends.get(range.clone()).ok_or_else(bad)?;
                let first = if range.start == 0 {
                    0
                } else {
                    *self_end(column, range.start - 1).ok_or_else(bad)?
                };
                let last = ends.last().copied().unwrap_or(first);
                let piece = bytes::Bytes::copy_from_slice(bytes.get(first..last).ok_or_else(bad)?);
                texts.clear();
                let mut start = 0;
                for &end in ends {
                    texts.push(ByteArray::from(piece.slice(start..end - first)));
                    start = end - first;
                }
                w.write_batch(&texts, defs, None)
            }
            _ => Err(parquet::errors::ParquetError::General(
                "a column of another type than its schema's".into(),
            )),
        }?;
    }
    let close = writer.close()?;
    let bytes = buf.into_inner()?;
    Ok((bytes::Bytes::from(bytes), close))
}

/// Gathers the rows written into it and writes them to a Parquet file, a row group at a
/// time; [`Sink::finish`] ends the file.
pub struct Sink<W: Write + Send> {
    writer: SerializedFileWriter<W>,
    props: Arc<WriterProperties>,
    /// Threads that encode a row group's columns at once.
    encoders: usize,
    columns: Vec<Column>,
    rows: usize,
    /// The bytes of a row not yet whole.
    partial: Vec<u8>,
    /// `source_file` of the rows written from now on.
    source: String,
    /// Rows written in all.
    pub total_rows: u64,
}

impl<W: Write + Send> Sink<W> {
    /// A Parquet file over `out`, zstd-compressed, its schema version in its metadata.
    pub fn new(out: W) -> io::Result<Sink<W>> {
        let schema =
            parquet::schema::parser::parse_message_type(&schema_text()).map_err(parquet_error)?;
        let mut props = WriterProperties::builder()
            // Min and max per column chunk, for engines to skip row groups (a time range):
            // per page they cost more than they save here.
            .set_statistics_enabled(EnabledStatistics::Chunk);
        // Columns whose values rarely repeat gain nothing from a dictionary; the two that
        // count up are stored as their differences. Addresses keep theirs: a capture holds
        // few hosts (the benchmark's 1 M frames, 616), and the file came out 4 % smaller.
        for name in ["frame_number", "frame_time", "tcp_seq", "tcp_ack", "ip_id"] {
            props = props.set_column_dictionary_enabled(ColumnPath::from(name), false);
        }
        for name in ["frame_number", "frame_time"] {
            props =
                props.set_column_encoding(ColumnPath::from(name), Encoding::DELTA_BINARY_PACKED);
        }
        // A string's min and max let an engine skip nothing in captures, whose addresses
        // come in no order; numbers and times keep theirs.
        for (name, kind, _) in COLUMNS {
            if kind == Text {
                let path = ColumnPath::from(name);
                props = props.set_column_statistics_enabled(path, EnabledStatistics::None);
            }
        }
        let props = props
            .set_compression(Compression::ZSTD(ZstdLevel::default()))
            .set_created_by(format!("layers {}", env!("CARGO_PKG_VERSION")))
            .set_key_value_metadata(Some(vec![KeyValue::new(
                VERSION_KEY.to_string(),
                SCHEMA_VERSION.to_string(),
            )]))
            .build();
        let props = Arc::new(props);
        let writer = SerializedFileWriter::new(out, Arc::new(schema), Arc::clone(&props))
            .map_err(parquet_error)?;
        Ok(Sink {
            writer,
            props,
            encoders: std::thread::available_parallelism().map_or(1, usize::from),
            columns: COLUMNS.iter().map(|(_, k, _)| Column::new(*k)).collect(),
            rows: 0,
            partial: Vec::new(),
            source: String::new(),
            total_rows: 0,
        })
    }

    /// Encodes each row group's columns on `n` threads (at least one).
    pub fn set_encoders(&mut self, n: usize) {
        self.encoders = n.max(1);
    }

    /// The `source_file` of the rows that follow.
    pub fn set_source(&mut self, name: &str) {
        self.source = name.to_string();
    }

    /// Adds a batch of rows (see [`Rows::end_batch`]) to the row group being gathered;
    /// `block` holds the batch without its length.
    fn push_block(&mut self, mut block: &[u8]) -> io::Result<()> {
        fn take<'a>(block: &mut &'a [u8], n: usize) -> io::Result<&'a [u8]> {
            let (head, rest) = block.split_at_checked(n).ok_or_else(corrupt)?;
            *block = rest;
            Ok(head)
        }
        fn u32_at(block: &mut &[u8]) -> io::Result<usize> {
            let b: [u8; 4] = take(block, 4)?.try_into().map_err(|_| corrupt())?;
            Ok(u32::from_le_bytes(b) as usize)
        }
        let rows = u32_at(&mut block)?;
        for (i, column) in self.columns.iter_mut().enumerate() {
            if i == SOURCE_FILE {
                for _ in 0..rows {
                    column.text(self.source.as_bytes());
                }
                continue;
            }
            column
                .defs
                .extend(take(&mut block, rows)?.iter().map(|d| i16::from(*d)));
            let n = u32_at(&mut block)?;
            match &mut column.values {
                Values::Int32(v) => v.extend(
                    take(&mut block, n * 4)?
                        .chunks_exact(4)
                        .map(|b| i32::from_le_bytes([b[0], b[1], b[2], b[3]])),
                ),
                Values::Int64(v) => {
                    v.extend(take(&mut block, n * 8)?.chunks_exact(8).map(|b| {
                        i64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]])
                    }))
                }
                Values::Bool(v) => v.extend(take(&mut block, n)?.iter().map(|b| *b == 1)),
                Values::Text(bytes, ends) => {
                    let base = bytes.len();
                    let block_ends = take(&mut block, n * 4)?;
                    let len = u32_at(&mut block)?;
                    bytes.extend_from_slice(take(&mut block, len)?);
                    ends.extend(
                        block_ends
                            .chunks_exact(4)
                            .map(|b| base + u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize),
                    );
                }
            }
        }
        if !block.is_empty() {
            return Err(corrupt());
        }
        self.rows = self.rows.saturating_add(rows);
        self.total_rows = self.total_rows.saturating_add(rows as u64);
        let text: usize = self
            .columns
            .iter()
            .map(|c| match &c.values {
                Values::Text(bytes, _) => bytes.len(),
                _ => 0,
            })
            .sum();
        if self.rows >= ROW_GROUP_ROWS || text >= ROW_GROUP_TEXT_BYTES {
            self.flush_group()?;
        }
        Ok(())
    }

    /// Writes the rows gathered as one row group.
    fn flush_group(&mut self) -> io::Result<()> {
        if self.rows == 0 {
            return Ok(());
        }
        // Each column chunk is encoded (dictionary, pages, zstd) into memory on one of
        // `encoders` threads, then the chunks are appended to the file in order: the
        // writing thread alone would bound the whole run.
        let schema = self.writer.schema_descr();
        let descrs: Vec<_> = (0..self.columns.len()).map(|i| schema.column(i)).collect();
        let next = std::sync::atomic::AtomicUsize::new(0);
        let columns = &self.columns;
        let props = &self.props;
        // A small group (the last of a short capture) is not worth a thread a column.
        let threads = if self.rows < SMALL_GROUP_ROWS {
            1
        } else {
            self.encoders
        };
        let encoded = if threads == 1 {
            columns
                .iter()
                .zip(&descrs)
                .map(|(column, descr)| encode_column(column, descr.clone(), props.clone()))
                .enumerate()
                .collect()
        } else {
            std::thread::scope(|scope| {
                let workers: Vec<_> = (0..threads)
                    .map(|_| {
                        scope.spawn(|| {
                            let mut done = Vec::new();
                            loop {
                                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                                let (Some(column), Some(descr)) = (columns.get(i), descrs.get(i))
                                else {
                                    return done;
                                };
                                done.push((i, encode_column(column, descr.clone(), props.clone())));
                            }
                        })
                    })
                    .collect();
                let mut all: Vec<_> = workers
                    .into_iter()
                    .flat_map(|w| w.join().unwrap_or_default())
                    .collect();
                all.sort_by_key(|(i, _)| *i);
                all
            })
        };
        if encoded.len() != self.columns.len() {
            return Err(corrupt());
        }
        let mut group = self.writer.next_row_group().map_err(parquet_error)?;
        for (_, chunk) in encoded {
            let (bytes, close) = chunk.map_err(parquet_error)?;
            group.append_column(&bytes, close).map_err(parquet_error)?;
        }
        group.close().map_err(parquet_error)?;
        self.columns.iter_mut().for_each(Column::clear);
        self.rows = 0;
        Ok(())
    }

    /// Writes the last row group and the file's footer; gives back what it wrote to.
    pub fn finish(mut self) -> io::Result<W> {
        if !self.partial.is_empty() {
            return Err(corrupt());
        }
        self.flush_group()?;
        self.writer.into_inner().map_err(parquet_error)
    }
}

impl<W: Write + Send> Sink<W> {
    /// Reads the whole batches at the start of `data`; gives how many bytes they took.
    fn blocks_in(&mut self, data: &[u8]) -> io::Result<usize> {
        let mut at = 0;
        while let Some(head) = data.get(at..at + 8) {
            let len = u64::from_le_bytes(head.try_into().map_err(|_| corrupt())?) as usize;
            if len < 12 {
                return Err(corrupt());
            }
            let Some(block) = data.get(at + 8..at + len) else {
                break;
            };
            self.push_block(block)?;
            at += len;
        }
        Ok(at)
    }
}

impl<W: Write + Send> Write for Sink<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.partial.is_empty() {
            let used = self.blocks_in(buf)?;
            self.partial
                .extend_from_slice(buf.get(used..).unwrap_or_default());
        } else {
            let mut data = std::mem::take(&mut self.partial);
            data.extend_from_slice(buf);
            let used = self.blocks_in(&data)?;
            data.drain(..used);
            self.partial = data;
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The inputs named on the command line, each quoted glob ("caps/*.pcap") expanded (a
/// shell expands an unquoted one itself), in the order given and each glob sorted.
fn expand(inputs: &[String], lang: layers_osi::Lang) -> Result<Vec<String>, CliError> {
    let mut out = Vec::new();
    for input in inputs {
        let pattern = input.contains(['*', '?', '[']) && !Path::new(input).exists();
        if !pattern {
            out.push(input.clone());
            continue;
        }
        let paths = glob::glob(input)
            .map_err(|e| CliError::Usage(Msg::BadValue.fill(lang, &[&"FILE", &input, &e.msg])))?;
        let mut found: Vec<String> = paths
            .filter_map(Result::ok)
            .filter(|p| p.is_file())
            .map(|p| p.display().to_string())
            .collect();
        if found.is_empty() {
            return Err(CliError::Input(Msg::ParquetNoMatch.fill(lang, &[input])));
        }
        found.sort();
        out.append(&mut found);
    }
    Ok(out)
}

/// Where the rows of each input go: one file for all, or one file per input in a directory.
fn targets(inputs: &[String], out: &Path) -> Vec<(PathBuf, Vec<String>)> {
    let dir = out.is_dir() || out.as_os_str().to_string_lossy().ends_with('/');
    if !dir {
        return vec![(out.to_path_buf(), inputs.to_vec())];
    }
    let mut taken = std::collections::HashSet::new();
    inputs
        .iter()
        .map(|input| {
            let stem = match Path::new(input).file_stem() {
                Some(s) if input != "-" => s.to_string_lossy().into_owned(),
                _ => "stdin".to_string(),
            };
            // Two inputs of the same name (a/x.pcap, b/x.pcap) get x.parquet, x-2.parquet.
            let mut name = format!("{stem}.parquet");
            let mut n = 1;
            while !taken.insert(name.clone()) {
                n += 1;
                name = format!("{stem}-{n}.parquet");
            }
            (out.join(name), vec![input.clone()])
        })
        .collect()
}

/// Runs `decode --parquet OUT`: each input's frames as rows, into OUT or into one file per
/// input in the directory OUT; then one line per file written. An input that cannot be
/// read is reported at the end (exit 1) after the others are written; the rows read from
/// it before its error are kept.
pub fn run(
    args: &DecodeArgs,
    out_path: &Path,
    ui: &Ui,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let lang = ui.lang;
    let inputs = expand(&args.inputs, lang)?;
    if out_path.to_string_lossy().ends_with('/') {
        std::fs::create_dir_all(out_path)
            .map_err(|e| crate::output::write_failed(out_path, lang, &e))?;
    }
    let mut first_error = None;
    for (path, inputs) in targets(&inputs, out_path) {
        let file = AtomicFile::create(&path, lang)?;
        let mut sink = Sink::new(file).map_err(|e| crate::output::write_failed(&path, lang, &e))?;
        if let Some(n) = args.threads {
            sink.set_encoders(usize::from(n));
        }
        let mut read_from = 0;
        for input in &inputs {
            sink.set_source(input);
            let before = sink.total_rows;
            match decode::run_input(args, input, View::Parquet, ui, &mut sink) {
                Ok(_) => read_from += 1,
                Err(CliError::Input(m)) => {
                    read_from += usize::from(sink.total_rows > before);
                    first_error.get_or_insert(CliError::Input(m));
                }
                Err(e) => return Err(e),
            }
        }
        if read_from == 0 {
            continue; // nothing could be read: no file
        }
        let rows = sink.total_rows;
        let file = sink
            .finish()
            .map_err(|e| crate::output::write_failed(&path, lang, &e))?;
        file.commit()?;
        let size = std::fs::metadata(&path).map_or(0, |m| m.len());
        let from = if inputs.len() == 1 {
            inputs.first().cloned().unwrap_or_default()
        } else {
            Msg::InputFiles.fill(lang, &[&inputs.len()])
        };
        let line = Msg::ParquetWrote.fill(lang, &[&path.display(), &rows, &from, &size]);
        writeln!(out, "{line}")?;
    }
    first_error.map_or(Ok(()), Err)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The rows read an 802.3 frame's addresses with Ethernet II's specs.
    #[test]
    fn both_ethernet_framings_put_their_addresses_alike() {
        for name in ["source", "destination"] {
            let a = layers_osi::spec_named(layers_ethernet::ETHERNET2_FIELDS, name);
            let b = layers_osi::spec_named(layers_ethernet::IEEE8023_FIELDS, name);
            assert_eq!((a.offset, a.len), (b.offset, b.len), "{name}");
        }
    }

    #[test]
    fn the_schema_parses_with_one_column_per_entry() {
        let schema = parquet::schema::parser::parse_message_type(&schema_text()).unwrap();
        assert_eq!(schema.get_fields().len(), COLUMNS.len());
        assert_eq!(COLUMNS[SOURCE_FILE].0, "source_file");
    }

    /// Batches cut anywhere on their way to the sink are read back whole.
    #[test]
    fn batches_split_across_writes_are_gathered_whole() {
        let frame = Frame::new(7, Some(1.5), 60, 60, layers_stack::Dissection::default());
        let mut rows = Rows::default();
        let mut bytes = Vec::new();
        for batch in [2, 1] {
            for _ in 0..batch {
                rows.frame(&mut bytes, &frame, &[], LinkType::Ethernet)
                    .unwrap();
            }
            rows.end_batch(&mut bytes);
        }
        for cut in 0..bytes.len() {
            let mut sink = Sink::new(Vec::new()).unwrap();
            sink.write_all(&bytes[..cut]).unwrap();
            sink.write_all(&bytes[cut..]).unwrap();
            assert_eq!(sink.total_rows, 3, "cut at {cut}");
            assert!(sink.partial.is_empty());
            assert!(sink.columns.iter().all(|c| c.defs.len() == 3));
        }
    }
}
