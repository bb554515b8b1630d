//! `layers decode`: read frames from a file or stdin, dissect them bottom-up, show them.

use std::fs::File;
use std::io::{self, IsTerminal, Read, Write};

use layers_capture::{open, InputFormat, LinkType, RawFrame};
use layers_stack::{dissect_with_fcs, Frame, Link};

use crate::args::{DecodeArgs, InputFormatArg};
use crate::i18n::Msg;
use crate::render_decode::{self as view, Stats};
use crate::{CliError, Ui};

/// The stack's link type for a capture's.
pub fn link_of(link: LinkType) -> Link {
    match link {
        LinkType::Ethernet => Link::Ethernet,
        LinkType::RawIp => Link::RawIp,
        LinkType::Ipv4 => Link::Ipv4,
        LinkType::Ipv6 => Link::Ipv6,
        LinkType::LinuxSll => Link::LinuxSll,
        LinkType::LinuxSll2 => Link::LinuxSll2,
        LinkType::Other(n) => Link::Other(n),
    }
}

fn format_of(f: InputFormatArg) -> InputFormat {
    match f {
        InputFormatArg::Raw => InputFormat::Raw,
        InputFormatArg::Hex => InputFormat::Hex,
        InputFormatArg::Pcap => InputFormat::Pcap,
        InputFormatArg::Pcapng => InputFormat::Pcapng,
    }
}

/// Which frames the flags select.
struct Selection {
    frame: Option<u64>,
    skip: u64,
    count: Option<u64>,
}

impl Selection {
    /// Whether frame `n` is shown; `shown` frames were shown before it.
    fn wants(&self, n: u64, shown: u64) -> bool {
        match self.frame {
            Some(f) => n == f,
            None => n > self.skip && self.count.is_none_or(|c| shown < c),
        }
    }

    /// Whether no later frame can be wanted.
    fn done(&self, n: u64, shown: u64) -> bool {
        match self.frame {
            Some(f) => n >= f,
            None => self.count.is_some_and(|c| shown >= c),
        }
    }
}

/// Runs `layers decode`.
pub fn run(args: &DecodeArgs, ui: &Ui, out: &mut dyn Write) -> Result<(), CliError> {
    let lang = ui.lang;
    let zh = lang == layers_osi::Lang::Zh;
    let name = if args.input == "-" {
        "<stdin>".to_string()
    } else {
        args.input.clone()
    };
    let input: Box<dyn Read + Send> = if args.input == "-" {
        if io::stdin().is_terminal() {
            return Err(CliError::Usage(Msg::NoInput.get(lang).to_string()));
        }
        Box::new(io::stdin())
    } else {
        let file = File::open(&args.input)
            .map_err(|e| CliError::Input(Msg::ReadInput.fill(lang, &[&name, &e])))?;
        Box::new(file)
    };
    if matches!(args.frame, Some(0)) {
        let msg = Msg::BadValue.fill(lang, &[&"--frame", &0, &Msg::ExpFrameNumber.get(lang)]);
        return Err(CliError::Usage(msg));
    }
    let frames = match open(input, args.format.map(format_of)) {
        Ok(f) => f,
        Err(e) => return Err(CliError::Input(format!("{name}: {}", e.message(zh)))),
    };
    let select = Selection {
        frame: args.frame,
        skip: args.skip.unwrap_or(0),
        count: args.count,
    };
    let mut stats = Stats::default();
    let mut shown = 0u64;
    // Long work shows its progress on a terminal's stderr, never in piped output.
    let progress = (io::stderr().is_terminal() && args.frame.is_none()).then(|| {
        let bar = indicatif::ProgressBar::new_spinner();
        bar.set_style(
            indicatif::ProgressStyle::with_template("{spinner} {pos} frames {elapsed}")
                .expect("a valid template"),
        );
        bar
    });
    for item in frames {
        if let Some(bar) = &progress {
            bar.inc(1);
        }
        let raw: RawFrame = match item {
            Ok(raw) => raw,
            Err(e) => {
                if args.stats {
                    view::stats(out, ui, &stats)?;
                }
                out.flush()?;
                return Err(CliError::Input(format!("{name}: {}", e.message(zh))));
            }
        };
        if !select.wants(raw.number, shown) {
            if select.done(raw.number, shown) {
                break;
            }
            continue;
        }
        shown += 1;
        let d = dissect_with_fcs(
            link_of(raw.link),
            &raw.data,
            raw.original_length,
            raw.fcs_len,
        );
        let frame = Frame::new(raw.number, raw.time, raw.data.len(), raw.original_length, d);
        if args.stats {
            stats.add(&frame);
        } else if args.json {
            serde_json::to_writer(&mut *out, &frame).map_err(io::Error::from)?;
            writeln!(out)?;
        } else if args.oneline {
            view::oneline(out, ui, &frame)?;
        } else if args.hex {
            view::hex(out, ui, &frame, &raw.data)?;
        } else if args.diagram {
            view::diagrams(out, ui, &frame)?;
        } else {
            view::tree(out, ui, &frame, raw.link)?;
        }
        if select.done(raw.number, shown) {
            break;
        }
    }
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    if args.stats {
        view::stats(out, ui, &stats)?;
    }
    Ok(())
}
