//! `layers decode`: read frames from a file or stdin, dissect them bottom-up, show them.

use std::fs::File;
use std::io::{self, IsTerminal, Read, Write};

use layers_capture::{open, FrameInfo, Frames, InputFormat, ReadError, Scan, Split};
use layers_filter::Filter;
use layers_stack::{dissect_into, Detail, Dissection, Frame, Stats};

use crate::args::{DecodeArgs, InputFormatArg};
use crate::i18n::Msg;
use crate::render::printer::{self, Printer};
use crate::{CliError, Ui};

fn format_of(f: InputFormatArg) -> InputFormat {
    match f {
        InputFormatArg::Raw => InputFormat::Raw,
        InputFormatArg::Hex => InputFormat::Hex,
        InputFormatArg::Pcap => InputFormat::Pcap,
        InputFormatArg::Pcapng => InputFormat::Pcapng,
    }
}

/// Which frames the flags select: `--frame` and `--skip` by number, `--count` among the
/// frames `--filter` lets through (as tcpdump's `-c`).
struct Selection {
    frame: Option<u64>,
    skip: u64,
    count: Option<u64>,
    filter: Option<Filter>,
    /// Of the frames selected, only the first this many are shown; the rest are counted
    /// (`--html`'s page limit, which says how many it left out).
    keep: Option<u64>,
}

impl Selection {
    /// Whether the filter lets the frame through.
    fn passes(&self, info: &FrameInfo, data: &[u8]) -> bool {
        self.filter
            .as_ref()
            .is_none_or(|f| f.matches(info.link, data))
    }

    /// Whether frame `n` is shown; `shown` frames were shown before it.
    fn wants(&self, n: u64, shown: u64) -> bool {
        match self.frame {
            Some(f) => n == f,
            None => n > self.skip && self.count.is_none_or(|c| shown < c),
        }
    }

    /// Whether the frame that makes `shown` selected frames is shown, or only counted.
    fn keeps(&self, shown: u64) -> bool {
        self.keep.is_none_or(|k| shown <= k)
    }

    /// Whether no later frame can be wanted.
    fn done(&self, n: u64, shown: u64) -> bool {
        match self.frame {
            Some(f) => n >= f,
            None => self.count.is_some_and(|c| shown >= c),
        }
    }
}

/// The view chosen on the command line.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum View {
    Tree,
    Oneline,
    Json,
    Hex,
    Diagram,
    Stats,
    /// `--html`: each frame a line of the classroom page's data.
    Html,
    /// `--parquet`: rows for the Parquet writer.
    #[cfg(feature = "parquet")]
    Parquet,
}

impl View {
    /// This view's printer.
    pub(crate) fn printer(self, ui: Ui) -> Box<dyn Printer> {
        match self {
            View::Tree => Box::new(printer::Tree(ui)),
            View::Oneline => Box::new(printer::Oneline::new(ui)),
            View::Json => Box::<printer::Json>::default(),
            View::Hex => Box::new(printer::Hex(ui)),
            View::Diagram => Box::new(printer::Diagram(ui)),
            View::Stats => Box::new(printer::StatsTable(ui)),
            View::Html => Box::new(crate::render::html::HtmlFrames),
            #[cfg(feature = "parquet")]
            View::Parquet => Box::<crate::parquet::Rows>::default(),
        }
    }

    fn of(args: &DecodeArgs) -> View {
        if args.stats {
            View::Stats
        } else if args.json {
            View::Json
        } else if args.oneline {
            View::Oneline
        } else if args.hex {
            View::Hex
        } else if args.diagram {
            View::Diagram
        } else {
            View::Tree
        }
    }
}

/// Frames read together and handed to one worker: their bytes back to back.
#[derive(Default)]
struct Batch {
    data: Vec<u8>,
    frames: Vec<(FrameInfo, std::ops::Range<usize>)>,
}

/// A batch holds about this many bytes, or this many frames, before it is handed over.
const BATCH_BYTES: usize = 1 << 18;
const BATCH_FRAMES: usize = 1024;
/// A chunk of a split file for `--stats`, which writes nothing per chunk.
const SPLIT_CHUNK_STATS: usize = 1 << 20;

/// What one worker keeps between frames: its view's printer, its reused dissection and
/// its share of the stats.
pub(crate) struct Worker {
    printer: Box<dyn Printer>,
    dissection: Dissection,
    pub(crate) stats: Stats,
    /// Every frame is walked in full whatever the view needs: [`Worker::layers`] is read.
    keep_fields: bool,
}

impl Worker {
    /// The records of the frame [`Worker::frame`] dissected last: with every field only
    /// for a worker [`Worker::keeping_fields`] or a view that needs them all.
    pub(crate) fn layers(&self) -> &[layers_osi::LayerRecord] {
        &self.dissection.layers
    }

    pub(crate) fn new(ui: Ui, view: View) -> Worker {
        Worker {
            printer: view.printer(ui),
            dissection: Dissection::default(),
            stats: Stats::default(),
            keep_fields: false,
        }
    }

    /// The worker, walking every frame in full so that [`Worker::layers`] has every field.
    pub(crate) fn keeping_fields(self) -> Worker {
        Worker {
            keep_fields: true,
            ..self
        }
    }

    /// Dissects one frame, and renders it into `out` or counts it.
    pub(crate) fn frame(
        &mut self,
        info: &FrameInfo,
        data: &[u8],
        out: &mut Vec<u8>,
    ) -> io::Result<()> {
        let full = self.keep_fields || self.printer.full();
        let detail = if full { Detail::Full } else { Detail::Summary };
        let d = &mut self.dissection;
        dissect_into(
            info.link,
            data,
            info.original_length,
            info.fcs_len,
            detail,
            d,
        );
        if !full && self.printer.needs_full(&d.layers) {
            dissect_into(
                info.link,
                data,
                info.original_length,
                info.fcs_len,
                Detail::Full,
                d,
            );
        }
        if self.printer.counts() {
            self.stats.add(d, data.len());
            return Ok(());
        }
        // The frame borrows the dissection's records and gives them back, so the next
        // frame reuses their memory.
        let frame = Frame {
            frame: info.number,
            time: info.time,
            time_ns: info.time_ns,
            captured_length: data.len(),
            original_length: info.original_length,
            layers: std::mem::take(&mut d.layers),
            errors: std::mem::take(&mut d.errors),
        };
        let shown = self.printer.frame(out, &frame, data, info.link);
        d.layers = frame.layers;
        d.errors = frame.errors;
        shown
    }

    /// Ends a batch of frames given to [`Worker::frame`] one by one.
    #[cfg_attr(
        not(feature = "parquet"),
        allow(
            dead_code,
            reason = "only the Parquet rows are written at a batch's end"
        )
    )]
    pub(crate) fn end_batch(&mut self, out: &mut Vec<u8>) {
        self.printer.end_batch(out);
    }

    fn batch(&mut self, batch: &Batch) -> io::Result<Vec<u8>> {
        let mut out = Vec::with_capacity(batch.data.len() * self.printer.bytes_per_byte());
        for (info, range) in &batch.frames {
            self.frame(info, &batch.data[range.clone()], &mut out)?;
        }
        self.printer.end_batch(&mut out);
        Ok(out)
    }
}

/// Reads the selected frames into batches; at the end, the error that stopped the reading.
struct Reader {
    frames: Frames,
    select: Selection,
    shown: u64,
    done: bool,
    /// An input error met after some frames of a batch: reported after they are shown.
    pending: Option<ReadError>,
    progress: Option<indicatif::ProgressBar>,
}

impl Reader {
    /// The next batch of at most `limit` frames (empty at the end of the input).
    fn batch(&mut self, limit: usize) -> Result<Batch, ReadError> {
        if let Some(e) = self.pending.take() {
            return Err(e);
        }
        let mut b = Batch::default();
        while !self.done && b.frames.len() < limit && b.data.len() < BATCH_BYTES {
            let start = b.data.len();
            let info = match self.frames.next_into(&mut b.data) {
                None => {
                    self.done = true;
                    break;
                }
                Some(Err(e)) => {
                    self.done = true;
                    b.data.truncate(start);
                    if b.frames.is_empty() {
                        return Err(e);
                    }
                    self.pending = Some(e);
                    break;
                }
                Some(Ok(info)) => info,
            };
            if let Some(bar) = &self.progress {
                bar.set_position(self.frames.consumed());
                if info.number % 1024 == 0 {
                    bar.set_message(info.number.to_string());
                }
            }
            let data = b.data.get(start..).unwrap_or_default();
            if !self.select.passes(&info, data) || !self.select.wants(info.number, self.shown) {
                b.data.truncate(start);
                if self.select.done(info.number, self.shown) {
                    self.done = true;
                }
                continue;
            }
            self.shown += 1;
            if !self.select.keeps(self.shown) {
                b.data.truncate(start);
                continue;
            }
            b.frames.push((info, start..b.data.len()));
            if self.select.done(info.number, self.shown) {
                self.done = true;
            }
        }
        Ok(b)
    }
}

/// A progress bar on a terminal's stderr (never in a pipe): bytes, frames and their rate,
/// and the time left when the input's size is known.
fn progress_bar(size: Option<u64>, lang: layers_osi::Lang) -> Option<indicatif::ProgressBar> {
    if !io::stderr().is_terminal() {
        return None;
    }
    let frames = Msg::FramesWord.get(lang);
    let bar = match size {
        Some(n) if n > 0 => {
            let bar = indicatif::ProgressBar::new(n);
            let template = format!(
                "{{bar:30}} {{bytes}}/{{total_bytes}} {{bytes_per_sec}} {{msg}} {frames} ETA {{eta}}"
            );
            bar.set_style(
                indicatif::ProgressStyle::with_template(&template)
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            bar
        }
        _ => {
            let bar = indicatif::ProgressBar::new_spinner();
            let template = format!("{{spinner}} {{bytes}} {{msg}} {frames} {{elapsed}}");
            bar.set_style(
                indicatif::ProgressStyle::with_template(&template)
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
            );
            bar
        }
    };
    bar.set_message("0");
    Some(bar)
}

/// The `--filter` expression of `decode` or `capture`, parsed; a mistake is a usage error
/// that shows its column.
pub(crate) fn parse_filter(
    text: Option<&str>,
    lang: layers_osi::Lang,
) -> Result<Option<Filter>, CliError> {
    text.map(|t| {
        Filter::parse(t).map_err(|e| CliError::Usage(crate::said::filter_error(t, &e, lang)))
    })
    .transpose()
}

/// Runs `layers decode`.
pub fn run(args: &DecodeArgs, ui: &Ui, out: &mut dyn Write) -> Result<(), CliError> {
    if let Some(target) = &args.parquet {
        return parquet_run(args, target, ui, out);
    }
    let [input] = args.inputs.as_slice() else {
        return Err(CliError::Usage(Msg::OneInput.get(ui.lang).to_string()));
    };
    if let Some(target) = &args.html {
        return html_run(args, input, target, ui, out);
    }
    run_input(args, input, View::of(args), ui, out).map(|_| ())
}

/// `decode --html FILE`: the selected frames (at most [`html::MAX_FRAMES`]) as the
/// classroom page, written whole or not at all; what was written, and what was left out,
/// on standard output.
fn html_run(
    args: &DecodeArgs,
    input: &str,
    target: &std::path::Path,
    ui: &Ui,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    use crate::render::html;
    let lang = ui.lang;
    if let Some(n) = args.count.filter(|&n| n > html::MAX_FRAMES) {
        let expected = Msg::HtmlTooMany.fill(lang, &[&html::MAX_FRAMES]);
        return Err(CliError::Usage(
            Msg::BadValue.fill(lang, &[&"--count", &n, &expected]),
        ));
    }
    let failed = |e: io::Error| crate::output::write_failed(target, lang, &e);
    let mut file = crate::output::AtomicFile::create(target, lang)?;
    html::begin(&mut file).map_err(failed)?;
    let mut page = html::FrameLines::new(file);
    // An input that breaks off after some frames (a capture cut short) still gets its
    // page of those frames, and then its error, as the other views print theirs.
    let (selected, broke) = match run_input(args, input, View::Html, ui, &mut page) {
        Ok((_, selected)) => (selected, None),
        Err(e @ CliError::Input(_)) if page.lines() > 0 => (page.lines(), Some(e)),
        Err(e) => return Err(e),
    };
    let shown = selected.min(html::MAX_FRAMES);
    let left_out = selected - shown;
    let name = if input == "-" { "<stdin>" } else { input };
    let info = html::PageInfo {
        title: html::both(|l| Msg::HtmlDecodeTitle.fill(l, &[&name])),
        meta: html::both(|l| Msg::HtmlMeta.fill(l, &[&shown])),
        left_out,
        extra: None,
    };
    let mut file = page.into_inner();
    html::end(&mut file, lang, &info).map_err(failed)?;
    file.commit()?;
    writeln!(out, "{}", html::wrote(target, lang, shown))?;
    if left_out > 0 {
        let more = Msg::HtmlWroteLeftOut.fill(lang, &[&left_out, &selected, &html::MAX_FRAMES]);
        writeln!(out, "{more}")?;
    }
    broke.map_or(Ok(()), Err)
}

#[cfg(feature = "parquet")]
fn parquet_run(
    args: &DecodeArgs,
    target: &std::path::Path,
    ui: &Ui,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    crate::parquet::run(args, target, ui, out)
}

/// Without the feature, `--parquet` says how to build a `layers` that has it.
#[cfg(not(feature = "parquet"))]
fn parquet_run(
    _: &DecodeArgs,
    _: &std::path::Path,
    ui: &Ui,
    _: &mut dyn Write,
) -> Result<(), CliError> {
    Err(no_parquet(ui.lang))
}

#[cfg_attr(
    feature = "parquet",
    allow(dead_code, reason = "only a build without the parquet feature says it")
)]
fn no_parquet(lang: layers_osi::Lang) -> CliError {
    CliError::Usage(Msg::NoParquet.get(lang).to_string())
}

/// Decodes one input (`-` for standard input) in `view`; how many frames it read, and how
/// many of them were selected.
pub(crate) fn run_input(
    args: &DecodeArgs,
    input: &str,
    view: View,
    ui: &Ui,
    out: &mut dyn Write,
) -> Result<(u64, u64), CliError> {
    let lang = ui.lang;
    let stdin = input == "-";
    let name = if stdin {
        "<stdin>".to_string()
    } else {
        input.to_string()
    };
    let read_failed = |e: &io::Error| CliError::Input(Msg::ReadInput.fill(lang, &[&name, e]));
    let (input, size, file): (Box<dyn Read + Send>, Option<u64>, Option<File>) = if stdin {
        if io::stdin().is_terminal() {
            return Err(CliError::Usage(Msg::NoInput.get(lang).to_string()));
        }
        (Box::new(io::stdin()), None, None)
    } else {
        let file = File::open(input).map_err(|e| read_failed(&e))?;
        let size = file
            .metadata()
            .ok()
            .filter(|m| m.is_file())
            .map(|m| m.len());
        let again = file.try_clone().map_err(|e| read_failed(&e))?;
        (Box::new(file), size, Some(again))
    };
    if matches!(args.frame, Some(0)) {
        let msg = Msg::BadValue.fill(lang, &[&"--frame", &0, &Msg::ExpFrameNumber.get(lang)]);
        return Err(CliError::Usage(msg));
    }
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    let threads = args.threads.map_or(cores, usize::from);
    let filter = parse_filter(args.filter.as_deref(), lang)?;
    let select = Selection {
        frame: args.frame,
        skip: args.skip.unwrap_or(0),
        count: args.count,
        filter,
        keep: (view == View::Html).then_some(crate::render::html::MAX_FRAMES),
    };
    // A capture file on disk is read in chunks, by every worker at once.
    let split = match (&file, args.format) {
        (Some(f), None | Some(InputFormatArg::Pcap | InputFormatArg::Pcapng))
            if args.frame.is_none() =>
        {
            let f = f.try_clone().map_err(|e| read_failed(&e))?;
            let chunk = if view == View::Stats {
                SPLIT_CHUNK_STATS
            } else {
                BATCH_BYTES
            };
            Split::open(f, chunk).map_err(|e| {
                CliError::Input(format!("{name}: {}", crate::said::read_error(&e, lang)))
            })?
        }
        _ => None,
    };
    view.printer(*ui).begin(out)?;
    if let Some((split, scan)) = split {
        let wanted = args.format.map(format_of);
        if wanted.is_none_or(|w| w == split.format()) {
            let progress = progress_bar(size, lang);
            let result = split_run(
                &split,
                scan,
                &select,
                *ui,
                view,
                threads,
                out,
                progress.as_ref(),
            );
            if let Some(bar) = progress {
                bar.finish_and_clear();
            }
            let (outcome, counts) = result?;
            return finish(outcome, counts, &select, view, ui, out, &name).map(|()| counts);
        }
    }
    let frames = match open(input, args.format.map(format_of)) {
        Ok(f) => f,
        Err(e) => {
            return Err(CliError::Input(format!(
                "{name}: {}",
                crate::said::read_error(&e, lang)
            )))
        }
    };
    let mut reader = Reader {
        frames,
        select,
        shown: 0,
        done: false,
        pending: None,
        progress: None,
    };
    if args.frame.is_none() {
        // The file's size is the bar's end only if its bytes are what is read.
        let size = size.filter(|_| !reader.frames.compressed);
        reader.progress = progress_bar(size, lang);
    }
    // Standard input is shown frame by frame as it arrives (`tcpdump -w - | layers decode -`).
    let result = if stdin || threads == 1 {
        sequential(&mut reader, Worker::new(*ui, view), out, stdin)
    } else {
        parallel(&mut reader, *ui, view, threads, out)
    };
    if let Some(bar) = reader.progress.take() {
        bar.finish_and_clear();
    }
    let counts = (reader.frames.read(), reader.shown);
    finish(result?, counts, &reader.select, view, ui, out, &name).map(|()| counts)
}

/// Prints what a run counted (for `--stats`), and the input error that ended it, or that
/// the selection asked for frames past the input's end.
fn finish(
    (stats, read_error): Outcome,
    (read, shown): (u64, u64),
    select: &Selection,
    view: View,
    ui: &Ui,
    out: &mut dyn Write,
    name: &str,
) -> Result<(), CliError> {
    let lang = ui.lang;
    view.printer(*ui).end(out, &stats)?;
    if let Some(e) = read_error {
        out.flush()?;
        return Err(CliError::Input(format!(
            "{name}: {}",
            crate::said::read_error(&e, lang)
        )));
    }
    if shown == 0 && read > 0 {
        let past = match select.frame {
            Some(f) => Some(Msg::NoSuchFrame.fill(lang, &[&name, &f, &read])),
            None if select.skip >= read => {
                Some(Msg::SkipPastEnd.fill(lang, &[&name, &select.skip, &read]))
            }
            None => None,
        };
        if let Some(message) = past {
            out.flush()?;
            return Err(CliError::Input(message));
        }
    }
    Ok(())
}

/// What a run counted, and the input error that ended it early, if one did.
type Outcome = (Stats, Option<ReadError>);

/// One thread: read, dissect, show; with `flush`, each frame reaches the reader at once.
fn sequential(
    reader: &mut Reader,
    mut worker: Worker,
    out: &mut dyn Write,
    flush: bool,
) -> Result<Outcome, CliError> {
    let limit = if flush { 1 } else { BATCH_FRAMES };
    loop {
        let batch = match reader.batch(limit) {
            Ok(b) if b.frames.is_empty() => return Ok((worker.stats, None)),
            Ok(b) => b,
            Err(e) => return Ok((worker.stats, Some(e))),
        };
        out.write_all(&worker.batch(&batch)?)?;
        if flush {
            out.flush()?;
        }
    }
}

/// `threads` workers dissect batches the reader hands out; their output is written in
/// input order, and their statistics are added up, so the result is that of one thread.
fn parallel(
    reader: &mut Reader,
    ui: Ui,
    view: View,
    threads: usize,
    out: &mut dyn Write,
) -> Result<Outcome, CliError> {
    use std::sync::mpsc::sync_channel;
    use std::sync::{Arc, Mutex};

    let (work_tx, work_rx) = sync_channel::<(u64, Batch)>(threads);
    let work_rx = Arc::new(Mutex::new(work_rx));
    let (done_tx, done_rx) = sync_channel::<(u64, io::Result<Vec<u8>>)>(threads);
    std::thread::scope(|scope| {
        let mut workers = Vec::new();
        for _ in 0..threads {
            let work_rx = Arc::clone(&work_rx);
            let done_tx = done_tx.clone();
            workers.push(scope.spawn(move || {
                let mut w = Worker::new(ui, view);
                loop {
                    // The lock is held only while taking a batch, not while working on it.
                    let next = work_rx.lock().map(|rx| rx.recv());
                    let Ok(Ok((seq, batch))) = next else { break };
                    if done_tx.send((seq, w.batch(&batch))).is_err() {
                        break;
                    }
                }
                w.stats
            }));
        }
        // Only the workers hold these now: when they stop, the others see the channels close.
        drop(done_tx);
        drop(work_rx);
        let feeder = scope.spawn(move || -> Option<ReadError> {
            let mut seq = 0;
            loop {
                match reader.batch(BATCH_FRAMES) {
                    Ok(b) if b.frames.is_empty() => return None,
                    Ok(b) => {
                        if work_tx.send((seq, b)).is_err() {
                            return None; // the writer stopped: nothing more is wanted
                        }
                        seq += 1;
                    }
                    Err(e) => return Some(e),
                }
            }
        });
        let written = write_in_order(&done_rx, out);
        // On a write error (a closed pipe), stop the others: the workers' sends fail, they
        // stop taking batches, and the reader's sends fail in turn.
        drop(done_rx);
        let read_error = feeder.join().unwrap_or(None);
        let mut stats = Stats::default();
        for w in workers {
            if let Ok(s) = w.join() {
                stats += &s;
            }
        }
        written.map(|()| (stats, read_error))
    })
}

/// Writes each worker's output in batch order as it arrives.
fn write_in_order(
    done: &std::sync::mpsc::Receiver<(u64, io::Result<Vec<u8>>)>,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    let mut waiting = std::collections::BTreeMap::new();
    let mut next = 0u64;
    for (seq, bytes) in done.iter() {
        waiting.insert(seq, bytes);
        while let Some(bytes) = waiting.remove(&next) {
            out.write_all(&bytes?)?;
            next += 1;
        }
    }
    Ok(())
}

/// A capture file read in chunks by `threads` workers at once: each reads its chunk, waits
/// for its turn to scan it (where its records start depends on the chunk before), then
/// dissects it while the next worker scans. Output is written in chunk order, so it is
/// that of one thread.
#[allow(clippy::too_many_arguments)]
fn split_run(
    split: &Split,
    first: Scan,
    select: &Selection,
    ui: Ui,
    view: View,
    threads: usize,
    out: &mut dyn Write,
    progress: Option<&indicatif::ProgressBar>,
) -> Result<(Outcome, (u64, u64)), CliError> {
    use std::sync::atomic::{AtomicU64, Ordering};
    use std::sync::mpsc::sync_channel;
    use std::sync::{Condvar, Mutex};

    let chunks = split.chunks();
    let next_chunk = AtomicU64::new(0);
    // Whose turn it is to scan, where the scan stands, and how many frames were selected.
    let turn = Mutex::new((0u64, first, 0u64));
    let turned = Condvar::new();
    let read_error = Mutex::new(None);
    let (done_tx, done_rx) = sync_channel::<(u64, io::Result<Vec<u8>>)>(threads);
    let (written, stats) = std::thread::scope(|scope| {
        let mut workers = Vec::new();
        for _ in 0..threads.max(1) {
            let done_tx = done_tx.clone();
            let (next_chunk, turn, turned, read_error) = (&next_chunk, &turn, &turned, &read_error);
            workers.push(scope.spawn(move || {
                let mut w = Worker::new(ui, view);
                let mut batch = Batch::default();
                loop {
                    let k = next_chunk.fetch_add(1, Ordering::Relaxed);
                    if k >= chunks {
                        break;
                    }
                    // Read before the turn: the reads of all workers overlap.
                    let read = split.read(k, &mut batch.data);
                    let Ok(mut t) = turn.lock() else { break };
                    while t.0 != k {
                        match turned.wait(t) {
                            Ok(g) => t = g,
                            Err(_) => return w.stats,
                        }
                    }
                    let was_stopped = t.1.stopped;
                    let scanned = read
                        .and_then(|()| split.scan(k, &mut batch.data, &mut t.1, &mut batch.frames));
                    if let Err(e) = scanned {
                        if let Ok(mut slot) = read_error.lock() {
                            *slot = Some(e);
                        }
                    }
                    // The flags' selection, in frame order (--count counts what the filter
                    // let through); past its end, the input ends.
                    let Batch { data, frames } = &mut batch;
                    let mut shown = t.2;
                    frames.retain(|(info, range)| {
                        let bytes = data.get(range.clone()).unwrap_or_default();
                        let wanted = select.passes(info, bytes) && select.wants(info.number, shown);
                        shown += u64::from(wanted);
                        wanted && select.keeps(shown)
                    });
                    t.2 = shown;
                    if let Some((last, _)) = frames.last() {
                        if select.done(last.number, shown) {
                            t.1.stopped = true;
                        }
                    }
                    t.0 += 1;
                    drop(t);
                    turned.notify_all();
                    if was_stopped {
                        break;
                    }
                    let shown = w.batch(&batch);
                    if let Some(bar) = progress {
                        bar.inc(batch.data.len() as u64);
                        if let Some((last, _)) = batch.frames.last() {
                            bar.set_message(last.number.to_string());
                        }
                    }
                    if done_tx.send((k, shown)).is_err() {
                        break;
                    }
                }
                w.stats
            }));
        }
        drop(done_tx);
        let written = write_in_order(&done_rx, out);
        // On a write error, the workers' sends fail and they stop.
        drop(done_rx);
        let mut stats = Stats::default();
        for w in workers {
            if let Ok(s) = w.join() {
                stats += &s;
            }
        }
        (written, stats)
    });
    let read_error = read_error.into_inner().unwrap_or(None);
    let counts = turn
        .into_inner()
        .map_or((0, 0), |(_, scan, shown)| (scan.frames_read(), shown));
    written.map(|()| ((stats, read_error), counts))
}
