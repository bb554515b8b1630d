//! The frame model: what `decode --json` and `encode --json` print, one object per frame.

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
            captured_length,
            original_length,
            layers: dissection.layers,
            errors: dissection.errors,
        }
    }
}
