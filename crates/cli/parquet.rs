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

use layers_osi::{FieldValue, LayerRecord, LinkType, OsiLayer, ProtocolId};
use layers_stack::Frame;
use parquet::basic::{Compression, ZstdLevel};
use parquet::data_type::{BoolType, ByteArray, ByteArrayType, Int32Type, Int64Type};
use parquet::file::metadata::KeyValue;
use parquet::file::properties::WriterProperties;
use parquet::file::writer::SerializedFileWriter;

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

/// Rows per row group: about 30 MB of column values before they are written.
pub const ROW_GROUP_ROWS: usize = 1 << 16;

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

// A row in the workers' output: its length (u32, little-endian), then one cell per column
// but the last: a tag byte, then 8 bytes of an integer, 1 of a bool, or a u32 length and
// the text's bytes.
const NULL: u8 = 0;
const INT: u8 = 1;
const BOOL: u8 = 2;
const TEXT: u8 = 3;

/// Writes one row's cells.
struct Cells<'a> {
    out: &'a mut Vec<u8>,
}

impl Cells<'_> {
    fn int(&mut self, v: Option<u64>) -> &mut Self {
        match v {
            Some(v) => {
                self.out.push(INT);
                self.out.extend_from_slice(&v.to_le_bytes());
            }
            None => self.out.push(NULL),
        }
        self
    }

    fn time(&mut self, v: Option<i64>) -> &mut Self {
        // Two's complement, read back with from_le_bytes as i64.
        self.int(v.map(|t| u64::from_le_bytes(t.to_le_bytes())))
    }

    fn bool(&mut self, v: Option<bool>) -> &mut Self {
        match v {
            Some(b) => self.out.extend_from_slice(&[BOOL, u8::from(b)]),
            None => self.out.push(NULL),
        }
        self
    }

    fn text(&mut self, v: Option<&str>) -> &mut Self {
        match v {
            Some(s) => {
                self.out.push(TEXT);
                let len = u32::try_from(s.len()).unwrap_or(u32::MAX);
                self.out.extend_from_slice(&len.to_le_bytes());
                self.out
                    .extend_from_slice(s.as_bytes().get(..len as usize).unwrap_or_default());
            }
            None => self.out.push(NULL),
        }
        self
    }

    /// A field's text form (an address), written straight into the row.
    fn value_text(&mut self, v: Option<&FieldValue>) -> &mut Self {
        match v {
            Some(FieldValue::Null) | None => self.text(None),
            Some(FieldValue::Text(s)) => self.text(Some(s)),
            Some(v) => {
                let mut s = String::with_capacity(40);
                v.write_text(&mut s);
                self.text(Some(&s))
            }
        }
    }
}

/// A field's number (a count, a type, TCP's flag bits).
fn num(rec: Option<&LayerRecord>, name: &str) -> Option<u64> {
    match &rec?.field(name)?.value {
        FieldValue::Flags { bits, .. } => Some(u64::from(*bits)),
        v => v.as_u64(),
    }
}

fn flag(rec: Option<&LayerRecord>, name: &str) -> Option<bool> {
    rec?.field(name)?.value.as_bool()
}

fn value<'a>(rec: Option<&'a LayerRecord>, name: &str) -> Option<&'a FieldValue> {
    rec?.field(name).map(|f| &f.value)
}

/// A checksum's verdict as Wireshark's `*.checksum.status` names them.
fn checksum_status(rec: Option<&LayerRecord>) -> Option<&'static str> {
    rec?;
    Some(match value(rec, "checksum_valid") {
        Some(FieldValue::Bool(true)) => "good",
        Some(FieldValue::Bool(false)) => "bad",
        _ => "unverified",
    })
}

/// Writes `frame`'s row (all columns but `source_file`) at the end of `out`.
pub fn write_row(frame: &Frame, out: &mut Vec<u8>) {
    let start = out.len();
    out.extend_from_slice(&[0; 4]);
    let own: Vec<&LayerRecord> = frame.layers.iter().filter(|l| !l.quoted).collect();
    let find = |ids: &[ProtocolId]| own.iter().copied().find(|l| ids.contains(&l.protocol));
    let eth = find(&[ProtocolId::Ethernet2, ProtocolId::Ieee8023]);
    let ethernet2 = find(&[ProtocolId::Ethernet2]);
    // The innermost tag, as Wireshark's vlan.id (in QinQ its outer 802.1ad tag is
    // ieee8021ad.id): the customer's VLAN.
    let vlan = own
        .iter()
        .rev()
        .copied()
        .find(|l| l.protocol == ProtocolId::Vlan);
    let v4 = find(&[ProtocolId::Ipv4]);
    let ip = find(&[ProtocolId::Ipv4, ProtocolId::Ipv6]);
    let is_v6 = ip.is_some_and(|l| l.protocol == ProtocolId::Ipv6);
    let tcp = find(&[ProtocolId::Tcp]);
    let udp = find(&[ProtocolId::Udp]);
    let icmp = find(&[ProtocolId::Icmp, ProtocolId::Icmpv6]);
    let arp = find(&[ProtocolId::Arp]);
    let dns = find(&[ProtocolId::Dns]);
    let http = find(&[ProtocolId::Http]);
    let ip_len = if is_v6 {
        num(ip, "payload_length").map(|n| n.saturating_add(40))
    } else {
        num(ip, "total_length")
    };
    let dns_name = value(dns, "questions")
        .and_then(FieldValue::as_list)
        .and_then(|q| q.first())
        .and_then(|q| q.get("name"));
    let path = own.iter().filter(|l| l.layer() != OsiLayer::Physical);
    let mut protocols = String::with_capacity(32);
    for (i, l) in path.enumerate() {
        if i > 0 {
            protocols.push(':');
        }
        protocols.push_str(l.protocol.short_name());
    }
    let top = own.iter().map(|l| l.layer().number()).max();
    let error = frame.errors.first();
    let message = error.map(layers_osi::Stop::message);
    let mut c = Cells { out };
    c.int(Some(frame.frame))
        .time(frame.time_ns)
        .int(Some(frame.original_length as u64))
        .int(Some(frame.captured_length as u64))
        .value_text(value(eth, "source"))
        .value_text(value(eth, "destination"))
        .int(num(ethernet2, "ethertype"))
        .int(num(vlan, "id"))
        .int(ip.map(|_| if is_v6 { 6 } else { 4 }))
        .value_text(value(ip, "source"))
        .value_text(value(ip, "destination"))
        .int(num(ip, "protocol").or_else(|| num(ip, "next_header")))
        .int(num(ip, "ttl").or_else(|| num(ip, "hop_limit")))
        .int(ip_len)
        .int(num(v4, "identification"))
        .bool(flag(v4, "dont_fragment"))
        .bool(flag(v4, "more_fragments"))
        .int(num(v4, "fragment_offset"))
        .text(checksum_status(v4))
        .int(num(tcp, "source_port"))
        .int(num(tcp, "destination_port"))
        .int(num(tcp, "sequence"))
        .int(num(tcp, "acknowledgment"))
        .int(num(tcp, "flags"))
        .int(num(tcp, "window"))
        .int(num(tcp, "payload_length"))
        .text(checksum_status(tcp))
        .int(num(udp, "source_port"))
        .int(num(udp, "destination_port"))
        .int(num(udp, "length"))
        .text(checksum_status(udp))
        .int(num(icmp, "type"))
        .int(num(icmp, "code"))
        .int(num(arp, "operation"))
        .value_text(dns_name)
        .value_text(value(http, "method"))
        .value_text(value(http, "uri"))
        .int(num(http, "status"))
        .int(top.map(u64::from))
        .text(Some(&protocols))
        .int(error.map(|e| u64::from(e.layer.number())))
        .int(error.map(|e| e.offset as u64))
        .text(message.as_deref())
        .int(Some(frame.errors.len() as u64));
    let len = u32::try_from(out.len().saturating_sub(start)).unwrap_or(u32::MAX);
    if let Some(head) = out.get_mut(start..start.saturating_add(4)) {
        head.copy_from_slice(&len.to_le_bytes());
    }
}

/// `--parquet`: each frame as a row (the writing thread makes the file).
pub struct Rows;

impl Printer for Rows {
    fn frame(&mut self, out: &mut Vec<u8>, f: &Frame, _: &[u8], _: LinkType) -> io::Result<()> {
        write_row(f, out);
        Ok(())
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

/// Gathers the rows written into it and writes them to a Parquet file, a row group at a
/// time; [`Sink::finish`] ends the file.
pub struct Sink<W: Write + Send> {
    writer: SerializedFileWriter<W>,
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
        let props = WriterProperties::builder()
            .set_compression(Compression::ZSTD(ZstdLevel::default()))
            .set_created_by(format!("layers {}", env!("CARGO_PKG_VERSION")))
            .set_key_value_metadata(Some(vec![KeyValue::new(
                VERSION_KEY.to_string(),
                SCHEMA_VERSION.to_string(),
            )]))
            .build();
        let writer = SerializedFileWriter::new(out, Arc::new(schema), Arc::new(props))
            .map_err(parquet_error)?;
        Ok(Sink {
            writer,
            columns: COLUMNS.iter().map(|(_, k, _)| Column::new(*k)).collect(),
            rows: 0,
            partial: Vec::new(),
            source: String::new(),
            total_rows: 0,
        })
    }

    /// The `source_file` of the rows that follow.
    pub fn set_source(&mut self, name: &str) {
        self.source = name.to_string();
    }

    /// Reads one row's cells into the columns; `row` holds them and nothing else.
    fn push_row(&mut self, mut row: &[u8]) -> io::Result<()> {
        fn take<'a>(row: &mut &'a [u8], n: usize) -> io::Result<&'a [u8]> {
            let (head, rest) = row.split_at_checked(n).ok_or_else(corrupt)?;
            *row = rest;
            Ok(head)
        }
        for (i, column) in self.columns.iter_mut().enumerate() {
            if i == SOURCE_FILE {
                column.text(self.source.as_bytes());
                continue;
            }
            let tag = take(&mut row, 1)?.first().copied().ok_or_else(corrupt)?;
            match (tag, &mut column.values) {
                (NULL, _) => {
                    column.defs.push(0);
                    continue;
                }
                (INT, Values::Int32(v)) => {
                    let b: [u8; 8] = take(&mut row, 8)?.try_into().map_err(|_| corrupt())?;
                    // Unsigned 32-bit values are stored in INT32's bits, as Parquet says.
                    v.push(u64::from_le_bytes(b) as u32 as i32);
                }
                (INT, Values::Int64(v)) => {
                    let b: [u8; 8] = take(&mut row, 8)?.try_into().map_err(|_| corrupt())?;
                    v.push(i64::from_le_bytes(b));
                }
                (BOOL, Values::Bool(v)) => v.push(take(&mut row, 1)? == [1]),
                (TEXT, Values::Text(bytes, ends)) => {
                    let n: [u8; 4] = take(&mut row, 4)?.try_into().map_err(|_| corrupt())?;
                    bytes.extend_from_slice(take(&mut row, u32::from_le_bytes(n) as usize)?);
                    ends.push(bytes.len());
                }
                _ => return Err(corrupt()),
            }
            column.defs.push(1);
        }
        self.rows = self.rows.saturating_add(1);
        self.total_rows = self.total_rows.saturating_add(1);
        if self.rows >= ROW_GROUP_ROWS {
            self.flush_group()?;
        }
        Ok(())
    }

    /// Writes the rows gathered as one row group.
    fn flush_group(&mut self) -> io::Result<()> {
        if self.rows == 0 {
            return Ok(());
        }
        let mut group = self.writer.next_row_group().map_err(parquet_error)?;
        let mut columns = self.columns.iter_mut();
        while let Some(mut writer) = group.next_column().map_err(parquet_error)? {
            let column = columns.next().ok_or_else(corrupt)?;
            let defs = Some(column.defs.as_slice());
            let written = match &column.values {
                Values::Int32(v) => writer.typed::<Int32Type>().write_batch(v, defs, None),
                Values::Int64(v) => writer.typed::<Int64Type>().write_batch(v, defs, None),
                Values::Bool(v) => writer.typed::<BoolType>().write_batch(v, defs, None),
                Values::Text(bytes, ends) => {
                    let all = bytes::Bytes::copy_from_slice(bytes);
                    let mut start = 0;
                    let values: Vec<ByteArray> = ends
                        .iter()
                        .map(|&end| {
                            let v = ByteArray::from(all.slice(start..end));
                            start = end;
                            v
                        })
                        .collect();
                    writer
                        .typed::<ByteArrayType>()
                        .write_batch(&values, defs, None)
                }
            };
            written.map_err(parquet_error)?;
            writer.close().map_err(parquet_error)?;
            column.clear();
        }
        group.close().map_err(parquet_error)?;
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
    /// Reads the whole rows at the start of `data`; gives how many bytes they took.
    fn rows_in(&mut self, data: &[u8]) -> io::Result<usize> {
        let mut at = 0;
        while let Some(head) = data.get(at..at + 4) {
            let len = u32::from_le_bytes(head.try_into().map_err(|_| corrupt())?) as usize;
            if len < 4 {
                return Err(corrupt());
            }
            let Some(row) = data.get(at + 4..at + len) else {
                break;
            };
            self.push_row(row)?;
            at += len;
        }
        Ok(at)
    }
}

impl<W: Write + Send> Write for Sink<W> {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.partial.is_empty() {
            let used = self.rows_in(buf)?;
            self.partial
                .extend_from_slice(buf.get(used..).unwrap_or_default());
        } else {
            let mut data = std::mem::take(&mut self.partial);
            data.extend_from_slice(buf);
            let used = self.rows_in(&data)?;
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
        let mut read_from = 0;
        for input in &inputs {
            sink.set_source(input);
            let before = sink.total_rows;
            match decode::run_input(args, input, View::Parquet, ui, &mut sink) {
                Ok(()) => read_from += 1,
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

    #[test]
    fn the_schema_parses_with_one_column_per_entry() {
        let schema = parquet::schema::parser::parse_message_type(&schema_text()).unwrap();
        assert_eq!(schema.get_fields().len(), COLUMNS.len());
        assert_eq!(COLUMNS[SOURCE_FILE].0, "source_file");
    }

    /// Rows cut anywhere on their way to the sink are read back whole.
    #[test]
    fn rows_split_across_writes_are_gathered_whole() {
        let frame = Frame::new(7, Some(1.5), 60, 60, layers_stack::Dissection::default());
        let mut bytes = Vec::new();
        for _ in 0..3 {
            write_row(&frame, &mut bytes);
        }
        for cut in 0..bytes.len() {
            let mut sink = Sink::new(Vec::new()).unwrap();
            sink.write_all(&bytes[..cut]).unwrap();
            sink.write_all(&bytes[cut..]).unwrap();
            assert_eq!(sink.total_rows, 3, "cut at {cut}");
            assert!(sink.partial.is_empty());
        }
    }
}
