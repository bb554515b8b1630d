//! `layers tcp`: a simulated conversation as a ladder with both ends' states, written as
//! frames if asked; or the states of the connections in a real capture.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{Read, Write};
use std::net::Ipv4Addr;
use std::time::Duration;

use layers_capture::{open, write_frames, OutFrame, OutputFormat};
use layers_ethernet::Mac;
use layers_osi::{Lang, ProtocolId};
use layers_stack::{
    dissect_with_fcs, finish, FrameSpec, Ipv4Spec, NetworkSpec, TcpSpec, TransportSpec,
};
use layers_transport::observe::{follow, Abnormal, Connection, Seen};
use layers_transport::sim::{simulate, Closer, Entry, Lose, Options, Side, TimerEvent};
use layers_transport::{TcpFlags, TcpState};
use serde_json::{json, Value};
use unicode_width::UnicodeWidthStr;

use crate::args::{CloserArg, LoseArg, TcpArgs};
use crate::i18n::Msg;
use crate::render::pad;
use crate::{CliError, Ui};

const CLIENT: (Ipv4Addr, u16) = (Ipv4Addr::new(192, 168, 11, 34), 51000);
const SERVER: (Ipv4Addr, u16) = (Ipv4Addr::new(192, 168, 11, 53), 9999);

fn side_name(side: Side, lang: Lang) -> &'static str {
    match (side, lang) {
        (Side::Client, Lang::En) => "client",
        (Side::Client, Lang::Zh) => "客户端",
        (Side::Server, Lang::En) => "server",
        (Side::Server, Lang::Zh) => "服务器",
    }
}

/// The client's and the server's states, from the sender's and the receiver's.
fn by_end<'a>(
    from: Side,
    sender: &'a TcpState,
    receiver: &'a TcpState,
) -> (&'a TcpState, &'a TcpState) {
    match from {
        Side::Client => (sender, receiver),
        Side::Server => (receiver, sender),
    }
}

/// Runs `layers tcp`.
pub fn run(args: &TcpArgs, ui: &Ui, out: &mut dyn Write) -> Result<(), CliError> {
    crate::output::check_json(args.output.as_deref(), args.json, ui.lang)?;
    let refuse = |a: &str, b: &str, why| Err(crate::output::together(ui.lang, a, b, why));
    if args.json && args.explain {
        return refuse("--json", "--explain", Msg::WhyJsonView);
    }
    match (args.rst, args.closer, args.lose) {
        (true, _, Some(LoseArg::Fin)) => return refuse("--rst", "--lose fin", Msg::WhyRstNoClose),
        (true, _, Some(LoseArg::FinalAck)) => {
            return refuse("--rst", "--lose final-ack", Msg::WhyRstNoClose)
        }
        (_, CloserArg::Both, Some(LoseArg::FinalAck)) => {
            return refuse("--closer both", "--lose final-ack", Msg::WhyBothFinalAck)
        }
        _ => {}
    }
    if let Some(path) = &args.from {
        return from_capture(path, args.json, ui, out);
    }
    let lang = ui.lang;
    let isn = match &args.isn {
        Some(text) => {
            let parts: Vec<Option<u32>> = text.split(',').map(|p| p.trim().parse().ok()).collect();
            match parts.as_slice() {
                [Some(c), Some(s)] => (*c, *s),
                _ => {
                    return Err(CliError::Usage(
                        Msg::BadValue.fill(lang, &[&"--isn", text, &Msg::ExpIsn.get(lang)]),
                    ))
                }
            }
        }
        None => {
            let mut rng = fastrand::Rng::with_seed(args.seed);
            (rng.u32(..), rng.u32(..))
        }
    };
    for (flag, data) in [("--send", &args.send), ("--reply", &args.reply)] {
        if data.len() > layers_transport::sim::MAX_DATA {
            let expected = Msg::ExpTcpData.fill(
                lang,
                &[
                    &layers_transport::sim::MAX_DATA,
                    &layers_transport::sim::MSS,
                ],
            );
            let shown = Msg::BytesCount.fill(lang, &[&data.len()]);
            return Err(CliError::Usage(
                Msg::BadValue.fill(lang, &[&flag, &shown, &expected]),
            ));
        }
    }
    let opts = Options {
        isn,
        send: args.send.as_bytes().to_vec(),
        reply: args.reply.as_bytes().to_vec(),
        closer: match args.closer {
            CloserArg::Client => Closer::Client,
            CloserArg::Server => Closer::Server,
            CloserArg::Both => Closer::Both,
        },
        rst: args.rst,
        lose: args.lose.map(|l| match l {
            LoseArg::FinalAck => Lose::FinalAck,
            LoseArg::Fin => Lose::Fin,
            LoseArg::SynAck => Lose::SynAck,
            LoseArg::Data => Lose::Data,
        }),
        half_close: args.half_close,
        msl_ms: args.msl.saturating_mul(1000),
        ..Options::default()
    };
    let ladder = simulate(opts.clone());
    if args.json {
        let doc: Vec<Value> = ladder
            .iter()
            .map(|e| match e {
                Entry::Segment { segment, sender, receiver } => {
                    let (client, server) = by_end(segment.from, sender, receiver);
                    json!({"time_ms": segment.sent_ms, "from": side_name(segment.from, Lang::En), "flags": segment.flags.names(),
                           "seq": segment.seq, "ack": segment.ack, "length": segment.payload.len(), "lost": segment.lost,
                           "retransmission": segment.retransmission, "client": client.name(), "server": server.name()})
                }
                Entry::Timer { at_ms, side, what } => json!({"time_ms": at_ms, "timer": side_name(*side, Lang::En), "event": format!("{what:?}")}),
            })
            .collect();
        serde_json::to_writer(&mut *out, &doc).map_err(std::io::Error::from)?;
        writeln!(out)?;
    } else {
        render(out, ui, &ladder, args.explain, &opts)?;
    }
    if let Some(path) = &args.output {
        write_capture(path, &ladder, &opts, ui, out, args.json)?;
    }
    if let Some(path) = &args.html {
        let line = write_page(path, &ladder, &opts, ui)?;
        crate::output::said_wrote(out, args.json, &line)?;
    }
    Ok(())
}

fn label(flags: TcpFlags, seq: u32, ack: u32, len: usize, lang: Lang) -> String {
    let (s, l) = (Msg::AbbrSeq.get(lang), Msg::AbbrLen.get(lang));
    if flags.has(TcpFlags::ACK) {
        let a = Msg::AbbrAck.get(lang);
        format!("{flags} {s}={seq} {a}={ack} {l}={len}")
    } else {
        format!("{flags} {s}={seq} {l}={len}")
    }
}

/// What a timer did, in one sentence.
fn timer_text(side: Side, what: &TimerEvent, lang: Lang) -> String {
    let who = side_name(side, lang);
    match what {
        TimerEvent::Retransmit => Msg::TcpRetransmit.fill(lang, &[&who]),
        TimerEvent::TimeWaitStarted { until_ms } => {
            Msg::TcpTimeWaitStart.fill(lang, &[&who, until_ms])
        }
        TimerEvent::TimeWaitRestarted { until_ms } => {
            Msg::TcpTimeWaitRestart.fill(lang, &[&who, until_ms])
        }
        TimerEvent::TimeWaitExpired => Msg::TcpTimeWaitEnd.fill(lang, &[&who]),
    }
}

/// `--html FILE`: the exchange as the classroom page: the ladder (both ends' states after
/// each segment, losses, retransmissions, TIME_WAIT's 2MSL) and every segment's frame,
/// lost ones included, as the sender put it on the wire.
fn write_page(
    path: &std::path::Path,
    ladder: &[Entry],
    o: &Options,
    ui: &Ui,
) -> Result<String, CliError> {
    use crate::render::html::{both, frame_value, write_file, PageInfo};
    let lang = ui.lang;
    let mut frames = Vec::new();
    let mut entries = Vec::new();
    for e in ladder {
        match e {
            Entry::Segment {
                segment: s,
                sender,
                receiver,
            } => {
                let (client, server) = by_end(s.from, sender, receiver);
                let n = frames.len();
                let bytes = segment_frame(s, n as u16 + 1, lang)?;
                let dissection = layers_stack::dissect_ethernet(&bytes);
                let time = 1_732_500_000.0 + s.sent_ms as f64 / 1000.0;
                let frame = layers_stack::Frame::new(
                    n as u64 + 1,
                    Some(time),
                    bytes.len(),
                    bytes.len(),
                    dissection,
                );
                frames.push(frame_value(&frame, &bytes, layers_osi::LinkType::Ethernet));
                entries.push(json!({
                    "kind": "seg",
                    "t": s.sent_ms,
                    "from": side_name(s.from, Lang::En),
                    "label": both(|l| label(s.flags, s.seq, s.ack, s.payload.len(), l)),
                    "lost": s.lost,
                    "retx": s.retransmission,
                    "client": client.name(),
                    "server": server.name(),
                    "frame": n,
                }));
            }
            Entry::Timer { at_ms, side, what } => {
                let event = match what {
                    TimerEvent::TimeWaitStarted { .. } => "tw_start",
                    TimerEvent::TimeWaitRestarted { .. } => "tw_restart",
                    TimerEvent::TimeWaitExpired => "tw_end",
                    TimerEvent::Retransmit => "rto",
                };
                entries.push(json!({
                    "kind": "timer",
                    "t": at_ms,
                    "side": side_name(*side, Lang::En),
                    "text": both(|l| timer_text(*side, what, l)),
                    "event": event,
                }));
            }
        }
    }
    let msl_s = o.msl_ms as f64 / 1000.0;
    let info = PageInfo {
        title: both(|l| Msg::HtmlTcpTitle.get(l).to_string()),
        meta: both(|l| Msg::HtmlTcpMeta.fill(l, &[&frames.len(), &o.delay_ms, &msl_s])),
        left_out: 0,
        extra: Some((
            "ladder",
            json!({
                "client": both(|l| format!("{} {}:{}", side_name(Side::Client, l), CLIENT.0, CLIENT.1)),
                "server": both(|l| format!("{} {}:{}", side_name(Side::Server, l), SERVER.0, SERVER.1)),
                "why_2msl": both(|l| Msg::TcpTimeWaitWhy.fill(l, &[&msl_s])),
                "entries": entries,
            }),
        )),
    };
    write_file(path, lang, &frames, &info)
}

fn render(
    out: &mut dyn Write,
    ui: &Ui,
    ladder: &[Entry],
    explain: bool,
    o: &Options,
) -> std::io::Result<()> {
    let lang = ui.lang;
    writeln!(out, "{}", Msg::TcpHeader.get(lang))?;
    // Each row is a moment for the sender and, one delay later, for the receiver.
    writeln!(
        out,
        "{:>11}{}",
        "",
        Msg::TcpStatesNote.fill(lang, &[&o.delay_ms])
    )?;
    writeln!(out, "{:>9}  {}{:<56}LISTEN", "", pad("CLOSED", 14), "")?;
    let mut time_wait_told = false;
    let active = if o.closer == Closer::Server {
        Side::Server
    } else {
        Side::Client
    };
    let mut fins = 0;
    let mut acks_after_fin = 0;
    for e in ladder {
        match e {
            Entry::Segment {
                segment: s,
                sender,
                receiver,
            } => {
                let (client, server) = by_end(s.from, sender, receiver);
                let text = label(s.flags, s.seq, s.ack, s.payload.len(), lang);
                let body = format!(" {text} ");
                let arrow = match (s.from, s.lost) {
                    (Side::Client, false) => format!(
                        "──{body}{}▶",
                        "─".repeat(50usize.saturating_sub(body.width()))
                    ),
                    (Side::Client, true) => format!(
                        "──{body}{}✗ {}",
                        "─".repeat(46usize.saturating_sub(body.width())),
                        Msg::TcpLost.get(lang)
                    ),
                    (Side::Server, false) => format!(
                        "◀{}{body}──",
                        "─".repeat(50usize.saturating_sub(body.width()))
                    ),
                    (Side::Server, true) => format!(
                        "{} ✗{}{body}──",
                        Msg::TcpLost.get(lang),
                        "─".repeat(46usize.saturating_sub(body.width()))
                    ),
                };
                writeln!(
                    out,
                    "{:>9.1}  {}{}  {}",
                    s.sent_ms as f64,
                    pad(client.name(), 14),
                    pad(&arrow, 54),
                    server.name()
                )?;
                if explain {
                    let who = |side: Side| if side == Side::Client { "A" } else { "B" };
                    let f = s.flags;
                    let line = if s.retransmission || s.lost {
                        None
                    } else if f.has(TcpFlags::RST) {
                        Some(Msg::TcpSayRst.fill(lang, &[&who(s.from)]))
                    } else if f.has(TcpFlags::SYN) && !f.has(TcpFlags::ACK) {
                        Some(Msg::TcpSaySyn.get(lang).to_string())
                    } else if f.has(TcpFlags::SYN) {
                        Some(Msg::TcpSaySynAck.get(lang).to_string())
                    } else if f.has(TcpFlags::FIN) {
                        fins += 1;
                        Some(if fins == 1 {
                            Msg::TcpSayFin1.fill(lang, &[&who(s.from)])
                        } else {
                            Msg::TcpSayFin2.fill(lang, &[&who(s.from)])
                        })
                    } else if !s.payload.is_empty() {
                        Some(Msg::TcpSayData.fill(lang, &[&s.payload.len()]))
                    } else if fins == 1 && s.from != active && acks_after_fin == 0 {
                        acks_after_fin += 1;
                        Some(Msg::TcpSayAckFin1.fill(lang, &[&who(s.from)]))
                    } else if fins >= 2 && s.from == active {
                        Some(Msg::TcpSayLastAck.fill(lang, &[&who(s.from)]))
                    } else if *client == TcpState::Established
                        && *server == TcpState::Established
                        && fins == 0
                        && s.seq == o.isn.0.wrapping_add(1)
                        && s.payload.is_empty()
                    {
                        Some(Msg::TcpSayAck3.get(lang).to_string())
                    } else {
                        None
                    };
                    if let Some(line) = line {
                        writeln!(out, "{:>11}{line}", "")?;
                    }
                }
            }
            Entry::Timer { at_ms, side, what } => {
                let text = timer_text(*side, what, lang);
                writeln!(out, "{:>9.1}  · {text}", *at_ms as f64)?;
                if matches!(what, TimerEvent::TimeWaitStarted { .. }) && !time_wait_told {
                    time_wait_told = true;
                    let msl_s = o.msl_ms as f64 / 1000.0;
                    writeln!(
                        out,
                        "{:>13}{}",
                        "",
                        Msg::TcpTimeWaitWhy.fill(lang, &[&msl_s])
                    )?;
                }
            }
        }
    }
    Ok(())
}

/// The Ethernet frame that carries segment `s` between the lesson's client and server,
/// with IP identification `identification`.
fn segment_frame(
    s: &layers_transport::sim::Segment,
    identification: u16,
    lang: Lang,
) -> Result<Vec<u8>, CliError> {
    let ((src, sport), (dst, dport)) = match s.from {
        Side::Client => (CLIENT, SERVER),
        Side::Server => (SERVER, CLIENT),
    };
    let syn = s.flags.has(TcpFlags::SYN);
    let spec = FrameSpec {
        source_mac: Mac::derived_from_ipv4(src.octets()),
        destination_mac: Mac::derived_from_ipv4(dst.octets()),
        vlan: None,
        network: NetworkSpec::Ipv4(
            Ipv4Spec {
                source: src,
                destination: dst,
                ttl: 64,
                identification,
                dont_fragment: true,
            },
            TransportSpec::Tcp(TcpSpec {
                source_port: sport,
                destination_port: dport,
                sequence: s.seq,
                acknowledgment: s.ack,
                flags: s.flags,
                window: 64240,
                mss: syn.then_some(layers_transport::sim::MSS as u16),
                window_scale: syn.then_some(0),
                payload: s.payload.clone(),
            }),
        ),
    };
    let built = spec.build().map_err(|e| CliError::Input(e.to_string()))?;
    let finished = finish(&built, &[], false)
        .map_err(|e| CliError::Input(crate::said::fault_reason(&e.reason, lang)))?;
    Ok(finished.frame)
}

/// The frames as seen at the end whose segment is retransmitted (so the capture shows the
/// original and the retransmission), or every segment when nothing is lost.
fn write_capture(
    path: &std::path::Path,
    ladder: &[Entry],
    o: &Options,
    ui: &Ui,
    out: &mut dyn Write,
    json: bool,
) -> Result<(), CliError> {
    let lang = ui.lang;
    let retransmitter = ladder.iter().find_map(|e| match e {
        Entry::Segment { segment, .. } if segment.retransmission => Some(segment.from),
        _ => None,
    });
    let capture_at = retransmitter.unwrap_or(Side::Client);
    let mut frames: Vec<(Vec<u8>, Duration)> = Vec::new();
    for e in ladder {
        let Entry::Segment { segment: s, .. } = e else {
            continue;
        };
        if s.lost && s.from != capture_at {
            continue; // never reached the capture point
        }
        let bytes = segment_frame(s, frames.len() as u16 + 1, lang)?;
        // The capture point sees its own segments when sent and the other's on arrival.
        let at = if s.from == capture_at {
            s.sent_ms
        } else {
            s.sent_ms + o.delay_ms
        };
        frames.push((
            bytes,
            Duration::from_secs(1_732_500_000) + Duration::from_millis(at),
        ));
    }
    frames.sort_by_key(|(_, t)| *t);
    let format = OutputFormat::from_path(path)
        .filter(|f| matches!(f, OutputFormat::Pcap | OutputFormat::Pcapng))
        .unwrap_or(OutputFormat::Pcap);
    let outs: Vec<OutFrame<'_>> = frames
        .iter()
        .map(|(b, t)| OutFrame {
            data: b,
            original_length: b.len(),
            time: *t,
        })
        .collect();
    crate::output::write_atomically(path, lang, |w| write_frames(w, format, &outs, false))?;
    let line = Msg::TcpWrote.fill(
        lang,
        &[
            &crate::output::name(path, lang),
            &outs.len(),
            &side_name(capture_at, lang),
        ],
    );
    crate::output::said_wrote(out, json, &line)?;
    Ok(())
}

fn from_capture(path: &str, json: bool, ui: &Ui, out: &mut dyn Write) -> Result<(), CliError> {
    let lang = ui.lang;
    let file =
        File::open(path).map_err(|e| CliError::Input(Msg::ReadInput.fill(lang, &[&path, &e])))?;
    let frames = open(Box::new(file) as Box<dyn Read + Send>, None)
        .map_err(|e| CliError::Input(format!("{path}: {}", crate::said::read_error(&e, lang))))?;
    let mut conns: BTreeMap<(String, String), Vec<Seen>> = BTreeMap::new();
    let mut order: Vec<(String, String)> = Vec::new();
    for item in frames {
        let raw = item.map_err(|e| {
            CliError::Input(format!("{path}: {}", crate::said::read_error(&e, lang)))
        })?;
        let d = dissect_with_fcs(raw.link, &raw.data, raw.original_length, raw.fcs_len);
        let Some(seen) = seen_of(&d.layers, raw.number) else {
            continue;
        };
        let key = connection_key(&seen);
        if !conns.contains_key(&key) {
            order.push(key.clone());
        }
        conns.entry(key).or_default().push(seen);
    }
    let followed: Vec<Connection> = order.iter().filter_map(|k| follow(&conns[k])).collect();
    if followed.is_empty() {
        return Err(CliError::Input(format!(
            "{path}: {}",
            Msg::TcpNoTcp.get(lang)
        )));
    }
    if json {
        let doc: Vec<Value> = followed
            .iter()
            .map(|c| {
                json!({
                    "first": c.first, "second": c.second, "closed_first": c.closed_first,
                    "segments": c.rows.iter().map(|r| json!({"frame": r.seen.frame, "from": r.seen.from, "flags": r.seen.flags.names(),
                        "seq": r.seen.seq, "ack": r.seen.ack, "length": r.seen.len, "retransmission": r.retransmission,
                        "first_state": r.first.name(), "second_state": r.second.name()})).collect::<Vec<_>>(),
                    "abnormal": c.abnormal.iter().map(|a| abnormal_text(a, Lang::En)).collect::<Vec<_>>(),
                })
            })
            .collect();
        serde_json::to_writer(&mut *out, &doc).map_err(std::io::Error::from)?;
        writeln!(out)?;
        return Ok(());
    }
    for c in &followed {
        writeln!(
            out,
            "{}",
            Msg::TcpConn.fill(lang, &[&c.first, &c.second, &c.rows.len()])
        )?;
        writeln!(
            out,
            "  {:>5}  {}{}{}",
            "#",
            pad(&c.first, 24),
            pad("", 44),
            c.second
        )?;
        for r in &c.rows {
            let s = &r.seen;
            let body = format!(
                " {} ",
                label(s.flags, s.seq, s.ack, s.len as usize, ui.lang)
            );
            let arrow = if r.from_first {
                format!(
                    "──{body}{}▶",
                    "─".repeat(54usize.saturating_sub(body.width()))
                )
            } else {
                format!(
                    "◀{}{body}──",
                    "─".repeat(54usize.saturating_sub(body.width()))
                )
            };
            let again = if r.retransmission {
                " (retransmission)"
            } else {
                ""
            };
            writeln!(
                out,
                "  {:>5}  {}{}  {}{again}",
                s.frame,
                pad(r.first.name(), 22),
                pad(&arrow, 44),
                r.second.name()
            )?;
        }
        if let Some(first) = &c.closed_first {
            writeln!(out, "  {}", Msg::TcpClosedFirst.fill(lang, &[first]))?;
        }
        let last = c.rows.last().expect("a followed connection has segments");
        writeln!(
            out,
            "  {}",
            Msg::TcpEnd.fill(
                lang,
                &[&c.first, &last.first.name(), &c.second, &last.second.name()]
            )
        )?;
        for a in &c.abnormal {
            writeln!(
                out,
                "  {}",
                Msg::TcpAbnormal.fill(lang, &[&abnormal_text(a, lang)])
            )?;
        }
        writeln!(out)?;
    }
    Ok(())
}

fn abnormal_text(a: &Abnormal, lang: Lang) -> String {
    match (a, lang) {
        (Abnormal::MissingHandshake, Lang::En) => "the capture starts after the handshake".into(),
        (Abnormal::MissingHandshake, Lang::Zh) => "抓包开始时握手已经结束".into(),
        (Abnormal::Reset(who), Lang::En) => format!("reset (RST) by {who}"),
        (Abnormal::Reset(who), Lang::Zh) => format!("被 {who} 重置(RST)"),
        (Abnormal::Retransmissions(n), Lang::En) => format!("{n} retransmitted segment(s)"),
        (Abnormal::Retransmissions(n), Lang::Zh) => format!("{n} 个重传的段"),
        (Abnormal::StillOpen(a, b), Lang::En) => {
            format!("still open when the capture ends ({a}, {b})")
        }
        (Abnormal::StillOpen(a, b), Lang::Zh) => format!("抓包结束时连接仍未关闭({a},{b})"),
    }
}

/// A connection's two ends in a fixed order, whichever sent `seen`.
pub(crate) fn connection_key(seen: &Seen) -> (String, String) {
    if seen.from <= seen.to {
        (seen.from.clone(), seen.to.clone())
    } else {
        (seen.to.clone(), seen.from.clone())
    }
}

/// The TCP segment of a dissected frame (not one quoted in an ICMP error), as the state
/// follower takes it: `None` if the frame has none.
pub(crate) fn seen_of(layers: &[layers_osi::LayerRecord], frame: u64) -> Option<Seen> {
    let ip = layers
        .iter()
        .find(|l| !l.quoted && matches!(l.protocol, ProtocolId::Ipv4 | ProtocolId::Ipv6))?;
    let tcp = layers
        .iter()
        .find(|l| !l.quoted && l.protocol == ProtocolId::Tcp)?;
    let text = |r: &layers_osi::LayerRecord, n: &str| {
        r.field(n)
            .map(|f| crate::render::value_text(&f.value))
            .unwrap_or_default()
    };
    let num = |r: &layers_osi::LayerRecord, n: &str| {
        r.field(n)
            .and_then(|f| f.value.as_u64())
            .and_then(|v| u32::try_from(v).ok())
            .unwrap_or(0)
    };
    Some(Seen {
        frame,
        from: format!("{}:{}", text(ip, "source"), text(tcp, "source_port")),
        to: format!(
            "{}:{}",
            text(ip, "destination"),
            text(tcp, "destination_port")
        ),
        flags: text(tcp, "flags").parse().unwrap_or_default(),
        seq: num(tcp, "sequence"),
        ack: num(tcp, "acknowledgment"),
        len: num(tcp, "payload_length"),
    })
}
