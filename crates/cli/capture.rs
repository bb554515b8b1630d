//! `layers capture`: frames live from an interface, dissected and shown as `decode` shows
//! them, filtered by the same language, optionally written to a pcapng file.

use std::collections::HashMap;
use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use layers_capture::live::{Interface, Live, LiveError};
use layers_capture::{FrameInfo, OutFrame, PcapngStream};
use layers_filter::Filter;
use layers_osi::{Lang, LayerRecord};
use layers_transport::observe::Follower;

use crate::args::CaptureArgs;
use crate::decode::{View, Worker};
use crate::i18n::Msg;
use crate::{CliError, Ui};

/// Connections `--tcp-states` follows at once; past this, it starts again from none.
const MAX_FOLLOWED: usize = 4096;

/// Runs `layers capture`.
pub fn run(a: &CaptureArgs, ui: &Ui, out: &mut dyn Write) -> Result<(), CliError> {
    let lang = ui.lang;
    if a.list {
        return list(ui, out);
    }
    let name = a.interface.as_deref().unwrap_or_default();
    let filter = crate::decode::parse_filter(a.filter.as_deref(), lang)?;
    if let Some(t) = a.timeout {
        if !(t.is_finite() && t > 0.0) {
            let msg =
                Msg::BadValue.fill(lang, &[&"--timeout", &t, &Msg::CaptureExpSeconds.get(lang)]);
            return Err(CliError::Usage(msg));
        }
    }
    let mut live = Live::open(name).map_err(|e| open_error(name, e, lang))?;
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [signal_hook::consts::SIGINT, signal_hook::consts::SIGTERM] {
        signal_hook::flag::register(signal, Arc::clone(&stop))?;
    }
    let iface = live.interface.clone();
    let mut err = io::stderr();
    let link_name = layers_osi::link_type_name(iface.link.number()).unwrap_or("?");
    writeln!(
        err,
        "{}",
        Msg::CaptureStarted.fill(lang, &[&iface.name, &link_name])
    )?;
    if iface.loopback {
        writeln!(err, "{}", Msg::CaptureLoopback.get(lang))?;
    }
    let run = Run {
        args: a,
        ui,
        filter: filter.as_ref(),
        stop: &stop,
    };
    let shown = match &a.write {
        None => run.frames(&mut live, out, None)?,
        Some(path) => {
            let mut shown = Ok(0);
            crate::output::write_atomically(path, lang, |w| {
                let mut file = PcapngStream::new(w, iface.link, &iface.name)?;
                shown = run.frames(&mut live, out, Some(&mut file));
                file.finish().map(|_| ())
            })?;
            shown?
        }
    };
    let counts = live.kernel_counts().unwrap_or_default();
    writeln!(
        err,
        "{}",
        Msg::CaptureSummary.fill(lang, &[&shown, &counts.received, &counts.dropped])
    )?;
    Ok(())
}

fn open_error(name: &str, e: LiveError, lang: Lang) -> CliError {
    CliError::Input(match e {
        LiveError::Permission(e) => Msg::CaptureNeedsPrivilege.fill(lang, &[&e]),
        LiveError::NoSuchInterface { name, known } => {
            Msg::CaptureNoInterface.fill(lang, &[&name, &known.join(", ")])
        }
        LiveError::Io(e) => Msg::CaptureCannotOpen.fill(lang, &[&name, &e]),
    })
}

/// `--list`: each interface, its state, link type, MAC and addresses.
fn list(ui: &Ui, out: &mut dyn Write) -> Result<(), CliError> {
    let lang = ui.lang;
    for Interface {
        name,
        index,
        mac,
        addresses,
        up,
        loopback,
        link,
    } in layers_capture::live::interfaces()
    {
        let state = if up {
            Msg::CaptureUp.get(lang)
        } else {
            Msg::CaptureDown.get(lang)
        };
        let link_name = layers_osi::link_type_name(link.number()).unwrap_or("?");
        let mut line = format!("{index}: {name} ({state}, {link_name}");
        if loopback {
            line.push_str(", ");
            line.push_str(Msg::CaptureLoopbackWord.get(lang));
        }
        line.push(')');
        if let Some(m) = mac.filter(|m| *m != [0; 6]) {
            line.push(' ');
            line.push_str(&layers_ethernet::Mac(m).to_string());
        }
        for a in addresses {
            line.push(' ');
            line.push_str(&a);
        }
        writeln!(out, "{line}")?;
    }
    Ok(())
}

/// What one capture run needs besides the interface.
struct Run<'a> {
    args: &'a CaptureArgs,
    ui: &'a Ui,
    filter: Option<&'a Filter>,
    stop: &'a AtomicBool,
}

impl Run<'_> {
    /// Reads, filters, shows (and writes) frames until `--count`, `--timeout`, Ctrl-C or
    /// SIGTERM; returns how many were shown.
    fn frames(
        &self,
        live: &mut Live,
        out: &mut dyn Write,
        mut file: Option<&mut PcapngStream<&mut dyn Write>>,
    ) -> Result<u64, CliError> {
        let a = self.args;
        let view = if a.json {
            View::Json
        } else if a.hex {
            View::Hex
        } else if a.tree {
            View::Tree
        } else {
            View::Oneline
        };
        let mut worker = Worker::new(*self.ui, view);
        if a.tcp_states {
            // The states are followed from each frame's TCP fields.
            worker = worker.keeping_fields();
        }
        let deadline = a
            .timeout
            .map(|s| Instant::now() + Duration::from_secs_f64(s.min(1e9)));
        let link = live.interface.link;
        let mut followed: HashMap<(String, String), Follower> = HashMap::new();
        let mut shown = 0u64;
        let mut buf = Vec::new();
        loop {
            let done = self.stop.load(Ordering::Relaxed)
                || a.count.is_some_and(|c| shown >= c)
                || deadline.is_some_and(|d| Instant::now() >= d);
            if done {
                break;
            }
            let Some((time, data)) = live.next_frame()? else {
                continue;
            };
            if !self.filter.is_none_or(|f| f.matches(link, data)) {
                continue;
            }
            shown += 1;
            let info = FrameInfo {
                number: shown,
                time: Some(time.as_secs_f64()),
                time_ns: i64::try_from(time.as_nanos()).ok(),
                original_length: data.len(),
                link,
                fcs_len: 0,
            };
            buf.clear();
            worker.frame(&info, data, &mut buf)?;
            if a.tcp_states {
                self.states(worker.layers(), shown, &mut followed, &mut buf);
            }
            out.write_all(&buf)?;
            out.flush()?;
            if let Some(f) = file.as_deref_mut() {
                let frame = OutFrame {
                    data,
                    original_length: data.len(),
                    time,
                };
                // Each frame reaches the file (or a reader of `-w -`) as it comes.
                f.write(&frame)
                    .and_then(|()| f.flush())
                    .map_err(|e| CliError::Input(e.to_string()))?;
            }
        }
        Ok(shown)
    }

    /// `--tcp-states`: a line with both ends' states after this segment.
    /// `layers`: the frame's records, as the worker just dissected them.
    fn states(
        &self,
        layers: &[LayerRecord],
        number: u64,
        followed: &mut HashMap<(String, String), Follower>,
        buf: &mut Vec<u8>,
    ) {
        let Some(seen) = crate::tcp::seen_of(layers, number) else {
            return;
        };
        let key = crate::tcp::connection_key(&seen);
        if followed.len() >= MAX_FOLLOWED && !followed.contains_key(&key) {
            followed.clear();
        }
        let f = followed.entry(key).or_insert_with(|| Follower::new(&seen));
        let row = f.push(&seen);
        let (first, second) = if row.from_first {
            (&seen.from, &seen.to)
        } else {
            (&seen.to, &seen.from)
        };
        let line = Msg::CaptureStates.fill(
            self.ui.lang,
            &[first, &row.first.name(), second, &row.second.name()],
        );
        buf.extend_from_slice(line.as_bytes());
        buf.push(b'\n');
    }
}
