//! `decode --stats`: the protocol hierarchy and the problems found.

use super::printer::Printer;
use layers_osi::LinkType;
use layers_stack::Frame;
use std::io::{self, Write};

use layers_osi::{Lang, ProtocolId};
use layers_stack::{ProblemKind, Stats};
use owo_colors::Style;

use super::paint;
use crate::i18n::Msg;
use crate::Ui;

/// The words for a kind of problem in the statistics.
fn problem_text(kind: ProblemKind, lang: Lang) -> String {
    match kind {
        ProblemKind::ChecksumOffload => Msg::ProblemOffload.get(lang).to_string(),
        ProblemKind::BadChecksum => Msg::ProblemChecksum.get(lang).to_string(),
        ProblemKind::BadFcs => Msg::ProblemFcs.get(lang).to_string(),
        ProblemKind::Truncated => Msg::ProblemTruncated.get(lang).to_string(),
        ProblemKind::Invalid(field) => Msg::ProblemInvalid.fill(lang, &[&field]),
        ProblemKind::SnapLength => Msg::ProblemSnap.get(lang).to_string(),
        ProblemKind::Unsupported(what) => Msg::ProblemUnsupported.fill(lang, &[&what.get(lang)]),
        ProblemKind::SegmentationOffload => Msg::ProblemTso.get(lang).to_string(),
    }
}

/// Prints the statistics.
pub fn stats(out: &mut dyn Write, ui: &Ui, s: &Stats) -> io::Result<()> {
    let lang = ui.lang;
    writeln!(
        out,
        "{}",
        paint(
            ui,
            &Msg::StatsHeading.fill(lang, &[&s.total.frames, &s.total.bytes]),
            Style::new().bold()
        )
    )?;
    writeln!(
        out,
        "{:<40} {:>8} {:>10}",
        Msg::ColProtocol.get(lang),
        Msg::FramesWord.get(lang),
        Msg::BytesWord.get(lang)
    )?;
    for (path, count) in s.hierarchy() {
        let name = format!(
            "{}{}",
            "  ".repeat(path.len() - 1),
            path.last().map_or("", |p| p.name())
        );
        writeln!(out, "{name:<40} {:>8} {:>10}", count.frames, count.bytes)?;
    }
    writeln!(out)?;
    writeln!(
        out,
        "{}",
        Msg::StatsProblems.fill(lang, &[&s.malformed, &s.bad_checksums, &s.offload])
    )?;
    let mut problems: Vec<(String, u64)> = s
        .problems()
        .into_iter()
        .map(|(p, kind, n)| {
            let protocol = p.map_or(Msg::LinkLayerWord.get(lang), ProtocolId::name);
            (format!("{protocol} {}", problem_text(kind, lang)), n)
        })
        .collect();
    problems.sort();
    for (kind, n) in problems {
        writeln!(out, "  {n:>6}  {kind}")?;
    }
    Ok(())
}

/// `--stats`: nothing per frame (the summary walk only counts), the table at the end.
pub struct StatsTable(pub Ui);

impl Printer for StatsTable {
    fn frame(&mut self, _: &mut Vec<u8>, _: &Frame, _: &[u8], _: LinkType) -> io::Result<()> {
        Ok(())
    }

    fn end(&mut self, out: &mut dyn Write, counted: &Stats) -> io::Result<()> {
        stats(out, &self.0, counted)
    }

    fn full(&self) -> bool {
        false
    }

    fn counts(&self) -> bool {
        true
    }

    fn bytes_per_byte(&self) -> usize {
        0
    }
}
