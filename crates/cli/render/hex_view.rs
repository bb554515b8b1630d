//! `decode --hex`: the frame's bytes coloured, or lettered, by layer.

use super::printer::Printer;
use layers_osi::LinkType;
use std::io::{self, Write};

use layers_stack::Frame;
use owo_colors::Style;

use super::frame_text::errors;
use super::{hex_dump, paint};
use crate::i18n::Msg;
use crate::Ui;

/// The hex view: the frame's bytes coloured, or lettered, by layer.
pub fn hex(out: &mut dyn Write, ui: &Ui, frame: &Frame, data: &[u8]) -> io::Result<()> {
    let head = Msg::FrameShort.fill(ui.lang, &[&frame.frame, &frame.captured_length]);
    writeln!(out, "{}", paint(ui, &head, Style::new().bold()))?;
    hex_dump(out, ui, data, &frame.layers)?;
    errors(out, ui, frame)?;
    writeln!(out)
}

/// `--hex`.
pub struct Hex(pub Ui);

impl Printer for Hex {
    fn frame(&mut self, out: &mut Vec<u8>, f: &Frame, data: &[u8], _: LinkType) -> io::Result<()> {
        hex(out, &self.0, f, data)
    }
}
