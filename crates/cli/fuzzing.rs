//! Entry points for the fuzz targets in `fuzz/`: each runs one path of the program on
//! arbitrary bytes, in-process, exactly as the command line does, and returns how much it
//! wrote so that nothing is optimised away. Not a stable API.

use std::io::Cursor;

use clap::Parser;
use layers_capture::{open, FrameInfo, InputFormat};
use layers_osi::{Lang, LinkType, Model};

use crate::args::{Cli, Command};
use crate::decode::{View, Worker};
use crate::Ui;

const UI: Ui = Ui {
    lang: Lang::En,
    color: false,
    width: Some(120),
};

/// Reads `input` as `decode` does (the format detected, or the one given), then shows every
/// frame in every view (tree, oneline, JSON, hex, diagram, the classroom page's data; the
/// tree in Chinese too; with
/// the `parquet` feature, as the fuzz crate builds it, Parquet rows into a file in memory)
/// and counts it for `--stats`, whose table is rendered at the end.
pub fn decode(input: &[u8], format: Option<InputFormat>) -> usize {
    let Ok(mut frames) = open(Cursor::new(input.to_vec()), format) else {
        return 0;
    };
    let zh = Ui {
        lang: Lang::Zh,
        ..UI
    };
    let mut workers: Vec<Worker> = [View::Tree, View::Oneline, View::Json, View::Hex]
        .into_iter()
        .chain([View::Diagram, View::Stats, View::Html])
        .map(|v| Worker::new(UI, v))
        .chain([Worker::new(zh, View::Tree)])
        .collect();
    // Parquet's rows, each frame a batch of its own, into a file in memory (made at the
    // first frame: setting a file up costs more than most inputs' dissection).
    #[cfg(feature = "parquet")]
    let mut parquet: (Worker, Option<crate::parquet::Sink<Vec<u8>>>) =
        (Worker::new(UI, View::Parquet), None);
    // `--oneline` as it runs (the summary walk, fields read on demand) and from the full
    // walk: a difference is a finding.
    let mut oneline = [
        Worker::new(UI, View::Oneline),
        Worker::new(UI, View::Oneline).keeping_fields(),
    ];
    let mut data = Vec::new();
    let mut out = Vec::new();
    let mut written = 0;
    while let Some(next) = frames.next_into(&mut data) {
        let Ok(info) = next else { break };
        written += show(&mut workers, &info, &data, &mut out);
        written += same_line(&mut oneline, &info, &data);
        #[cfg(feature = "parquet")]
        {
            if parquet.1.is_none() {
                parquet.1 = crate::parquet::Sink::new(Vec::new()).ok();
            }
            if let (w, Some(sink)) = (&mut parquet.0, &mut parquet.1) {
                out.clear();
                let _ = w.frame(&info, &data, &mut out);
                w.end_batch(&mut out);
                let _ = std::io::Write::write_all(sink, &out);
            }
        }
        data.clear();
    }
    #[cfg(feature = "parquet")]
    if let Some(sink) = parquet.1 {
        written += sink.finish().map_or(0, |f| f.len());
    }
    for w in &workers {
        out.clear();
        let _ = crate::render::stats(&mut out, &UI, &w.stats);
        written += out.len();
    }
    written
}

/// Reads `input` as `format` and dissects every frame it yields into `--oneline`'s line and
/// `--stats`' counts: the reader's target, where [`decode`] is the whole program's. A
/// reader's input that dissects is worth thousands of mutations a second, not hundreds.
pub fn read(input: &[u8], format: InputFormat) -> usize {
    let Ok(mut frames) = open(Cursor::new(input.to_vec()), Some(format)) else {
        return 0;
    };
    let mut workers = [View::Oneline, View::Stats].map(|v| Worker::new(UI, v));
    let (mut data, mut out, mut written) = (Vec::new(), Vec::new(), 0);
    while let Some(next) = frames.next_into(&mut data) {
        let Ok(info) = next else { break };
        written += show(&mut workers, &info, &data, &mut out);
        data.clear();
    }
    out.clear();
    let _ = crate::render::stats(&mut out, &UI, &workers[1].stats);
    written + out.len()
}

/// One frame's `--oneline` line from both workers, which must agree; its length.
fn same_line(workers: &mut [Worker; 2], info: &FrameInfo, data: &[u8]) -> usize {
    let [mut summary, mut full] = [Vec::new(), Vec::new()];
    let [a, b] = workers;
    let _ = a.frame(info, data, &mut summary);
    let _ = b.frame(info, data, &mut full);
    assert_eq!(
        String::from_utf8_lossy(&summary),
        String::from_utf8_lossy(&full),
        "--oneline from the summary walk differs from the full walk's"
    );
    summary.len()
}

/// Shows one frame in every worker's view; how much they wrote.
fn show(workers: &mut [Worker], info: &FrameInfo, data: &[u8], out: &mut Vec<u8>) -> usize {
    let mut written = 0;
    for w in workers {
        out.clear();
        let _ = w.frame(info, data, out);
        written += out.len();
    }
    written
}

/// `layers encode` with these arguments (one per line of `input`), minus the ones that read
/// or write files: the plan, the build, the faults and the report.
pub fn encode(input: &[u8]) -> usize {
    let text = String::from_utf8_lossy(input);
    let args = ["layers", "--lang", "en", "encode"]
        .into_iter()
        .map(str::to_string)
        .chain(text.lines().map(str::to_string));
    let Ok(cli) = Cli::try_parse_from(args) else {
        return 0;
    };
    let Command::Encode(mut args) = cli.command else {
        return 0;
    };
    args.output = None;
    args.payload_file = None;
    let mut out = Vec::new();
    let _ = crate::encode::run(&args, &UI, &mut out);
    out.len()
}

/// The quiz: questions from the table and from `input` dissected as an Ethernet frame
/// (`quiz --from`), one of them chosen by the first two bytes and graded against the rest
/// as a typed answer, in both languages.
pub fn quiz(input: &[u8]) -> usize {
    let (pick, rest) = match input {
        [a, b, rest @ ..] => (usize::from(u16::from_le_bytes([*a, *b])), rest),
        _ => return 0,
    };
    let d = layers_stack::dissect(LinkType::Ethernet, rest, rest.len());
    let mut questions = layers_quiz::bank::table(Model::TcpIp5);
    questions.extend(layers_quiz::bank::frame(&d.layers, Model::Osi7));
    let Some(q) = questions.get(pick % questions.len().max(1)) else {
        return 0;
    };
    let given = String::from_utf8_lossy(rest);
    let mut n = questions.len();
    for lang in [Lang::En, Lang::Zh] {
        let g = layers_quiz::grade(&q.answer, &given, lang);
        n += g.right.len() + g.missing.len() + g.extra.len();
    }
    n
}

/// A topology file, then a journey between its first two hosts.
pub fn topology(input: &[u8]) -> usize {
    let Ok(text) = std::str::from_utf8(input) else {
        return 0;
    };
    let Ok(topo) = layers_journey::Topology::from_toml(text) else {
        return 0;
    };
    let hosts = topo.host_names();
    let (Some(from), Some(to)) = (hosts.first(), hosts.get(1)) else {
        return hosts.len();
    };
    let (Ok(src), Ok(dst)) = (topo.host_ip(from), topo.host_ip(to)) else {
        return 0;
    };
    let packet = layers_journey::seed_packet(src, dst, 64, false, b"hello");
    let journey = match layers_journey::walk(&topo, from, packet) {
        Ok(j) => j,
        Err(e) => return crate::said::topology_error(&e, Lang::Zh).len(),
    };
    let mut out = Vec::new();
    let _ = crate::journey::render(&mut out, &UI, &journey);
    out.len()
}

/// A filter expression (the input up to its first NUL byte, read as UTF-8 with bad bytes
/// replaced), then, if it parses, evaluated on the rest as a frame of every link type the
/// filter reads; if it does not, its error rendered in both languages.
pub fn filter(input: &[u8]) -> usize {
    let (text, frame) = match input.iter().position(|&b| b == 0) {
        Some(i) => (
            input.get(..i).unwrap_or_default(),
            input.get(i + 1..).unwrap_or_default(),
        ),
        None => (input, &[][..]),
    };
    let text = String::from_utf8_lossy(text);
    match layers_filter::Filter::parse(&text) {
        Ok(f) => [
            LinkType::Ethernet,
            LinkType::RawIp,
            LinkType::Ipv4,
            LinkType::Ipv6,
            LinkType::LinuxSll,
            LinkType::LinuxSll2,
            LinkType::Other(105),
        ]
        .into_iter()
        .filter(|&l| f.matches(l, frame))
        .count(),
        Err(e) => [Lang::En, Lang::Zh]
            .into_iter()
            .map(|lang| crate::said::filter_error(&text, &e, lang).len())
            .sum(),
    }
}
