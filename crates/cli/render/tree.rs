//! The default decode view: each layer bottom-up with its place in the model and fields.

use std::io::{self, Write};

use layers_capture::LinkType;
use layers_stack::Frame;
use owo_colors::Style;

use super::frame_text::{errors, field_value, utc};
use super::{devices_text, paint};
use crate::i18n::Msg;
use crate::Ui;

/// The default view: each layer bottom-up with its place in the model and its fields.
pub fn tree(out: &mut dyn Write, ui: &Ui, frame: &Frame, link: LinkType) -> io::Result<()> {
    let lang = ui.lang;
    let time = frame
        .time
        .map(|t| format!("{} UTC", utc(t)))
        .unwrap_or_else(|| "-".into());
    let head = Msg::FrameHeader.fill(
        lang,
        &[
            &frame.frame,
            &frame.original_length,
            &frame.captured_length,
            &time,
            &link.name(),
            &link.number(),
        ],
    );
    writeln!(out, "{}", paint(ui, &head, Style::new().bold()))?;
    for rec in &frame.layers {
        let layer = rec.layer();
        let quoted = if rec.quoted {
            Msg::QuotedMark.get(lang)
        } else {
            ""
        };
        let bytes = if rec.span.is_empty() {
            "-".to_string()
        } else {
            format!("{}-{}", rec.span.start, rec.span.end - 1)
        };
        let line = Msg::LayerLine.fill(
            lang,
            &[
                &layer.number(),
                &layer.name().get(lang),
                &rec.protocol.name(),
                &rec.protocol.pdu().get(lang),
                &devices_text(layer, lang),
                &bytes,
                &quoted,
            ],
        );
        writeln!(out, "  {}", paint(ui, &line, Style::new().cyan()))?;
        let width = rec.fields.iter().map(|f| f.name.len()).max().unwrap_or(0);
        for f in &rec.fields {
            writeln!(out, "      {:<width$}  {}", f.name, field_value(&f.value))?;
        }
    }
    errors(out, ui, frame)?;
    writeln!(out)
}
