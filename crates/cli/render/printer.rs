//! The views of `decode` (and `capture`) behind one interface: a printer says what it
//! writes before the first frame, for each frame, and after the last. A worker thread has
//! its own printer for the frames it dissects; `begin` and `end` run once, on the thread
//! that writes the output, with what every worker counted.

use std::io::{self, Write};

use layers_osi::{LayerRecord, LinkType};
use layers_stack::{Frame, Stats};

/// One view's printer.
pub trait Printer: Send {
    /// Before the first frame.
    fn begin(&mut self, _out: &mut dyn Write) -> io::Result<()> {
        Ok(())
    }

    /// One dissected frame (`data`: its bytes, `link`: its link type), into `out`.
    fn frame(
        &mut self,
        out: &mut Vec<u8>,
        frame: &Frame,
        data: &[u8],
        link: LinkType,
    ) -> io::Result<()>;

    /// After a batch of frames (those one worker took at once), into the same output.
    fn end_batch(&mut self, _out: &mut Vec<u8>) {}

    /// After the last frame, with the counts of every worker added up.
    fn end(&mut self, _out: &mut dyn Write, _stats: &Stats) -> io::Result<()> {
        Ok(())
    }

    /// Whether the view needs every field (the full walk), or starts from the summary
    /// walk (what `--stats` counts, and what `--oneline` reads its fields under).
    fn full(&self) -> bool {
        true
    }

    /// For a view that starts from the summary walk: whether this frame (its summary
    /// records) needs the full walk after all.
    fn needs_full(&self, _summary: &[LayerRecord]) -> bool {
        false
    }

    /// Whether the view only counts (`--stats`): its frames go into the worker's
    /// [`Stats`], not to [`Printer::frame`].
    fn counts(&self) -> bool {
        false
    }

    /// About how many bytes it writes per captured byte: the room a batch's output buffer
    /// starts with, so it rarely grows.
    fn bytes_per_byte(&self) -> usize {
        6
    }
}

pub use super::diagram::Diagram;
pub use super::hex_view::Hex;
pub use super::json::Json;
pub use super::oneline::Oneline;
pub use super::stats::StatsTable;
pub use super::tree::Tree;
