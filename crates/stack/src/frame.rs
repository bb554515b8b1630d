//! The frame model: what `decode --json` and `encode --json` print, one object per frame.

use layers_osi::json::SpansCache;
use layers_osi::{LayerRecord, Stop};
use serde::Serialize;

use crate::Dissection;

/// One dissected frame, as the JSON contract of DESIGN.md has it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Frame {
    /// Its number in the input, from 1.
    pub frame: u64,
    /// Seconds since the epoch, where the input has a time.
    pub time: Option<f64>,
    /// The same instant in whole nanoseconds since the epoch, exact where the input is.
    pub time_ns: Option<i64>,
    /// Bytes present.
    pub captured_length: usize,
    /// Bytes the frame had on the wire (more than captured when a snap length cut it).
    pub original_length: usize,
    /// Layer records, bottom-up, the physical layer first.
    pub layers: Vec<LayerRecord>,
    /// Where dissection stopped and what is wrong, in frame order.
    pub errors: Vec<Stop>,
}

impl Frame {
    /// Writes the frame as one line of JSON (without the newline): what `Serialize` gives
    /// through serde_json, written straight into `out`.
    pub fn write_json(&self, out: &mut Vec<u8>) {
        self.write_json_from(out, None);
    }

    /// Writes the frame as [`Frame::write_json`] does, each record's spans copied from
    /// `cache` as far as they are where the last record of its protocol had them.
    pub fn write_json_cached(&self, out: &mut Vec<u8>, cache: &mut SpansCache) {
        self.write_json_from(out, Some(cache));
    }

    fn write_json_from(&self, out: &mut Vec<u8>, mut cache: Option<&mut SpansCache>) {
        use layers_osi::json::push_u64;
        out.extend_from_slice(b"{\"frame\":");
        push_u64(out, self.frame);
        out.extend_from_slice(b",\"time\":");
        match self.time {
            // serde_json's own float formatting (ryu), so times read back the same.
            Some(t) => {
                let _ = serde_json::to_writer(&mut *out, &t);
            }
            None => out.extend_from_slice(b"null"),
        }
        out.extend_from_slice(b",\"captured_length\":");
        push_u64(out, self.captured_length as u64);
        out.extend_from_slice(b",\"original_length\":");
        push_u64(out, self.original_length as u64);
        out.extend_from_slice(b",\"layers\":[");
        for (i, l) in self.layers.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            match cache.as_deref_mut() {
                Some(c) => l.write_json_cached(out, c),
                None => l.write_json(out),
            }
        }
        out.extend_from_slice(b"],\"errors\":[");
        for (i, e) in self.errors.iter().enumerate() {
            if i > 0 {
                out.push(b',');
            }
            e.write_json(out);
        }
        out.extend_from_slice(b"]}");
    }

    /// Frame number `frame` of `captured_length` bytes out of `original_length`.
    pub fn new(
        frame: u64,
        time: Option<f64>,
        captured_length: usize,
        original_length: usize,
        dissection: Dissection,
    ) -> Frame {
        Frame {
            frame,
            time,
            // In range, the cast is exact (NaN would give 0, and no reader gives one).
            time_ns: time.map(|t| (t * 1e9).round() as i64),
            captured_length,
            original_length,
            layers: dissection.layers,
            errors: dissection.errors,
        }
    }
}
