//! What every layer's dissector shares while a frame is walked bottom-up: the frame, the
//! records and stops found so far, and whether the walk keeps fields at all.
//!
//! Each layer crate dissects its own headers with a function from a [`Cursor`] and an offset
//! to what follows (its own small "next" type); `layers-stack` owns the walk and the only
//! dispatch from EtherType, IP protocol or port to the next layer's function.

use crate::{
    Field, FieldSpec, FieldValue, LayerRecord, OsiLayer, ProtocolId, Span, Stop, StopKind, Text,
};

/// The layers of one frame, bottom-up, and what went wrong in them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Dissection {
    /// Layer records, bottom-up; the first is the physical layer.
    pub layers: Vec<LayerRecord>,
    /// Where dissection stopped, and non-fatal problems (bad checksums), in frame order.
    pub errors: Vec<Stop>,
    /// The field lists of the previous frame's records, emptied, for this frame's.
    spare: Spare,
}

/// Field lists kept from one walk to the next (each with the room it grew to), so a walk
/// into a reused [`Dissection`] does not allocate a list per layer. Memory, not content:
/// two dissections are equal whatever their spare lists.
#[derive(Clone, Default)]
struct Spare(Vec<Vec<Field>>);

/// Spare lists kept at most: a frame has a handful of layers.
const SPARE_LISTS: usize = 16;

impl PartialEq for Spare {
    fn eq(&self, _: &Spare) -> bool {
        true
    }
}

impl std::fmt::Debug for Spare {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} spare field lists", self.0.len())
    }
}

impl Dissection {
    /// A dissection of these layers and stops.
    pub fn new(layers: Vec<LayerRecord>, errors: Vec<Stop>) -> Dissection {
        Dissection {
            layers,
            errors,
            spare: Spare::default(),
        }
    }

    /// Empties it for the next frame, keeping the records' field lists for reuse.
    fn clear(&mut self) {
        let Dissection { layers, spare, .. } = self;
        for rec in layers.drain(..) {
            let mut fields = rec.fields;
            if fields.capacity() > 0 && spare.0.len() < SPARE_LISTS {
                // Most values own no memory: let go without the enum's drop glue, which
                // was a twelfth of `--json`.
                fields.drain(..).for_each(|f| f.value.discard());
                spare.0.push(fields);
            }
        }
        self.errors.clear();
    }

    /// The record of protocol `id`, if the frame has one.
    pub fn layer(&self, id: ProtocolId) -> Option<&LayerRecord> {
        self.layers.iter().find(|l| l.protocol == id)
    }

    /// The record that holds byte `i`'s own header (innermost first), if any.
    pub fn owner_of(&self, i: usize) -> Option<&LayerRecord> {
        owner_of(&self.layers, i)
    }
}

/// The record of `layers` that holds byte `i`'s own header (innermost first), if any.
pub fn owner_of(layers: &[LayerRecord], i: usize) -> Option<&LayerRecord> {
    layers
        .iter()
        .rev()
        .find(|l| l.header.contains(i) && l.layer() != OsiLayer::Physical)
}

/// For each of a frame's first `len` bytes, the index in `layers` of the record whose own
/// header holds it (innermost first), as [`owner_of`] finds it; one pass over the records'
/// headers, so a view that colours every byte stays linear in the frame's size.
pub fn owners(layers: &[LayerRecord], len: usize) -> Vec<Option<usize>> {
    let mut out = vec![None; len];
    for (n, l) in layers.iter().enumerate().rev() {
        if l.layer() == OsiLayer::Physical {
            continue;
        }
        let end = l.header.end.min(len);
        for slot in out
            .get_mut(l.header.start.min(end)..end)
            .unwrap_or_default()
        {
            slot.get_or_insert(n);
        }
    }
    out
}

/// A frame being walked: the bytes a dissector may read, and where its findings go.
pub struct Cursor<'a, 'o> {
    /// The frame's bytes, as far as the current layer may read them (an 802.3 length or an
    /// ICMP quote narrows them).
    pub frame: &'a [u8],
    out: &'o mut Dissection,
    /// Summary records keep no field, and dissectors skip what only views need.
    pub summary: bool,
    /// Inside the datagram an ICMP error quotes: records are marked quoted, and the quote
    /// being short is no error.
    pub quoted: bool,
    /// Where the outermost packet ends by its own length (what follows is padding).
    pub packet_end: Option<usize>,
    /// How long the frame was on the wire: a length field that promises more than the
    /// capture kept lies only if it promises more than this too.
    pub wire_length: usize,
}

/// The most layer records a frame gets: a frame of 64,000 stacked 802.1Q tags would
/// otherwise make every view superlinear. Real frames have a dozen at most (tshark limits
/// nesting too); past this, dissection stops with a note and the rest stays undissected.
pub const MAX_LAYERS: usize = 64;

impl<'a, 'o> Cursor<'a, 'o> {
    /// A walk over `frame` into `out` (cleared), of a frame `wire_length` bytes long on the
    /// wire.
    pub fn new(
        frame: &'a [u8],
        out: &'o mut Dissection,
        summary: bool,
        wire_length: usize,
    ) -> Cursor<'a, 'o> {
        if summary {
            // Summary records own no field list: nothing to keep for the next frame.
            out.layers.clear();
            out.errors.clear();
        } else {
            out.clear();
        }
        Cursor {
            frame,
            out,
            summary,
            quoted: false,
            packet_end: None,
            wire_length: wire_length.max(frame.len()),
        }
    }

    /// A record of `id` to fill: a summary record on the summary path, else one with room
    /// for `fields` fields.
    #[inline(always)]
    pub fn record(
        &mut self,
        id: ProtocolId,
        span: Span,
        header: Span,
        fields: usize,
    ) -> LayerRecord {
        if self.summary {
            return LayerRecord::summary(id, span, header);
        }
        match self.out.spare.0.pop() {
            Some(mut list) => {
                list.reserve(fields);
                LayerRecord::with_fields(id, span, header, list)
            }
            None => LayerRecord::with_capacity(id, span, header, fields),
        }
    }

    /// Adds a finished record, marked quoted inside a quote.
    #[inline]
    pub fn push(&mut self, mut rec: LayerRecord) {
        rec.quoted = self.quoted;
        self.out.layers.push(rec);
    }

    /// Whether the frame has [`MAX_LAYERS`] records already: a dissector that repeats
    /// (tag after tag) stops here.
    pub fn is_full(&self) -> bool {
        self.out.layers.len() >= MAX_LAYERS
    }

    /// Records a stop (a truncation inside a quote is none: quotes are short by design).
    pub fn stop(&mut self, protocol: ProtocolId, offset: usize, kind: StopKind) {
        if self.quoted && matches!(kind, StopKind::Truncated { .. }) {
            return;
        }
        self.out.errors.push(Stop {
            layer: protocol.layer(),
            protocol: Some(protocol),
            offset,
            kind,
        });
    }

    /// Records a stop that belongs to no protocol `layers` knows (an unknown link type).
    pub fn stop_unknown(&mut self, layer: OsiLayer, offset: usize, kind: StopKind) {
        self.out.errors.push(Stop {
            layer,
            protocol: None,
            offset,
            kind,
        });
    }

    /// The first record (outside a quote) of one of `ids`, to add to after its own walk.
    pub fn record_mut(&mut self, ids: &[ProtocolId]) -> Option<&mut LayerRecord> {
        self.out
            .layers
            .iter_mut()
            .find(|l| !l.quoted && ids.contains(&l.protocol))
    }

    /// How many stops were recorded so far.
    pub fn stops(&self) -> usize {
        self.out.errors.len()
    }

    /// The stops recorded since there were `from`.
    pub fn stops_since(&self, from: usize) -> &[Stop] {
        self.out.errors.get(from..).unwrap_or_default()
    }

    /// Says where the outermost packet ends (not inside a quote).
    pub fn set_packet_end(&mut self, end: usize) {
        if !self.quoted {
            self.packet_end = Some(end);
        }
    }

    /// Puts `rec` first (the physical record) and the stops in frame order: the walk's end.
    pub fn finish(self, rec: LayerRecord) {
        self.out.layers.insert(0, rec);
        if self.out.errors.len() > 1 {
            self.out.errors.sort_by_key(|e| e.offset);
        }
    }
}

/// Runs one dissector `f` over `frame` (full detail, the whole frame on the wire) and gives
/// back what it found and what it said follows: how each layer crate's tests call their own
/// dissector on real bytes.
pub fn dissect_with<R>(frame: &[u8], f: impl FnOnce(&mut Cursor<'_, '_>) -> R) -> (Dissection, R) {
    let mut out = Dissection::default();
    let mut c = Cursor::new(frame, &mut out, false, frame.len());
    let r = f(&mut c);
    (out, r)
}

/// A truncation: `what` needs `needed` bytes and `present` are there.
pub fn truncated(
    what: Text,
    needed: usize,
    present: usize,
    length_from: Option<&'static str>,
) -> StopKind {
    StopKind::Truncated {
        what,
        needed,
        present,
        length_from,
        first_missing: None,
    }
}

/// Pushes every field of `table` whose bytes `have` (the header's first bytes, at `off` in
/// the frame) holds, each valued by `value` from its raw bits; returns the first field whose
/// bytes are not all there, with its offset in the frame. A summary record reads nothing.
pub fn present_fields(
    rec: &mut LayerRecord,
    table: &'static [FieldSpec],
    off: usize,
    have: &[u8],
    value: impl Fn(&FieldSpec, u32) -> FieldValue,
) -> Option<(&'static str, usize)> {
    // Every table's last field ends last (`layers-stack` tests it), so a summary record
    // of a whole header is done with one comparison.
    if rec.is_summary()
        && table
            .last()
            .is_some_and(|l| l.offset.saturating_add(l.len) <= have.len())
    {
        return None;
    }
    for f in table {
        if f.offset.saturating_add(f.len) > have.len() {
            return Some((f.name, off.saturating_add(f.offset)));
        }
        if !rec.is_summary() {
            if let Some(raw) = f.read(have) {
                rec.push(f, off, value(f, raw));
            }
        }
    }
    None
}

/// The spec named `$name` in the table `$table`, found at compile time.
#[macro_export]
macro_rules! spec {
    ($table:expr, $name:literal) => {{
        const SPEC: &$crate::FieldSpec = $crate::spec_named($table, $name);
        SPEC
    }};
}
