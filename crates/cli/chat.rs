//! `layers chat`: the lesson's socket server and client, made a tool. A TCP server serves
//! many clients at once and relays every line to the others; messages are framed by a
//! newline, because TCP carries a stream of bytes and one `recv` is not one message. The
//! UDP mode sends one datagram per message, numbered so that loss and reordering show.
//!
//! Each side runs one loop over events (a line typed, a line received, a peer gone) sent
//! by small reader threads, so all printing happens in one place.

use std::collections::{BTreeMap, HashMap};
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream, UdpSocket};
use std::sync::mpsc::{channel, RecvTimeoutError, Sender};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use owo_colors::{OwoColorize, Style};

use crate::args::ChatCommand;
use crate::i18n::Msg;
use crate::{CliError, Ui};

/// A message is at most this many bytes; a longer line is cut here, with a notice.
pub const MAX_LINE: usize = 4096;
/// A name is at most this many characters.
const MAX_NAME: usize = 32;
/// A TCP server takes at most this many clients at once.
pub const MAX_CLIENTS: usize = 256;
/// A UDP server forgets a peer silent for this long.
const UDP_PEER_IDLE: Duration = Duration::from_secs(600);
/// How long a send to one slow peer may block the others.
const WRITE_TIMEOUT: Duration = Duration::from_secs(2);
/// How long a side that closed waits for the other's FIN.
const CLOSE_WAIT: Duration = Duration::from_secs(5);

/// Runs `layers chat serve|connect`.
pub fn run(cmd: &ChatCommand, ui: &Ui, out: &mut dyn Write) -> Result<(), CliError> {
    match cmd {
        ChatCommand::Serve(a) => {
            let addr = parse_addr("--bind", &a.bind, ui.lang)?;
            let screen = Screen {
                ui,
                out,
                explain: a.explain,
            };
            let me = clean_name(&a.name);
            if a.udp {
                serve_udp(addr, &me, screen)
            } else {
                serve_tcp(addr, &me, screen)
            }
        }
        ChatCommand::Connect(a) => {
            let addr = parse_addr("IP:PORT", &a.server, ui.lang)?;
            let screen = Screen {
                ui,
                out,
                explain: a.explain,
            };
            let name = a.name.as_deref().map_or_else(default_name, clean_name);
            if a.udp {
                connect_udp(addr, &name, screen)
            } else {
                connect_tcp(addr, &name, screen)
            }
        }
    }
}

/// What the loop of either side reacts to.
enum Event {
    /// A line typed on standard input.
    Input(String),
    /// Standard input ended.
    InputEnd,
    /// A client connected (TCP server): its id, a handle to write to it, its address.
    Joined(u64, TcpStream, SocketAddr),
    /// A whole line from client `id` (TCP server), or from the server (client).
    Line(u64, String),
    /// A line longer than [`MAX_LINE`] from client `id`, cut.
    TooLong(u64),
    /// Client `id`, or the server, is gone: how.
    Gone(u64, Gone),
    /// A datagram (UDP).
    Datagram(SocketAddr, Vec<u8>),
}

/// How a peer went away.
enum Gone {
    /// It closed (FIN) between messages.
    Closed,
    /// It closed with part of a line sent: that many bytes, not a message.
    MidLine(usize),
    /// The connection broke (a reset): the error.
    Broken(io::Error),
}

/// One frame of the stream: a line, or the sign that one was too long.
enum Framed {
    Line(String),
    TooLong,
}

/// Reads newline-framed messages from `r` until it ends, passing each to `f` (which says
/// whether to go on); invalid UTF-8 is shown replaced, a line longer than [`MAX_LINE`] is
/// cut there and the rest of it skipped.
fn read_framed(r: impl Read, mut f: impl FnMut(Framed) -> bool) -> Gone {
    let mut r = BufReader::new(r);
    let mut buf = Vec::with_capacity(256);
    loop {
        buf.clear();
        let limit = u64::try_from(MAX_LINE + 1).unwrap_or(u64::MAX);
        match (&mut r).take(limit).read_until(b'\n', &mut buf) {
            Ok(0) => return Gone::Closed,
            Ok(_) => {}
            Err(e) => return Gone::Broken(e),
        }
        if buf.last() == Some(&b'\n') {
            buf.pop();
            if buf.last() == Some(&b'\r') {
                buf.pop();
            }
            if !f(Framed::Line(String::from_utf8_lossy(&buf).into_owned())) {
                return Gone::Closed;
            }
        } else if buf.len() > MAX_LINE {
            if !f(Framed::TooLong) {
                return Gone::Closed;
            }
            // The rest of the line is dropped, in bounded pieces.
            loop {
                buf.clear();
                match (&mut r).take(limit).read_until(b'\n', &mut buf) {
                    Ok(0) => return Gone::Closed,
                    Ok(_) if buf.last() == Some(&b'\n') => break,
                    Ok(_) => {}
                    Err(e) => return Gone::Broken(e),
                }
            }
        } else {
            return Gone::MidLine(buf.len());
        }
    }
}

/// Standard input's lines as events, on a thread of its own.
fn read_stdin(tx: Sender<Event>) {
    std::thread::spawn(move || {
        let stdin = io::stdin();
        read_framed(stdin.lock(), |framed| {
            let line = match framed {
                Framed::Line(l) => l,
                Framed::TooLong => return true,
            };
            tx.send(Event::Input(line)).is_ok()
        });
        let _ = tx.send(Event::InputEnd);
    });
}

/// What one side prints: chat lines, notices and (with `--explain`) the socket calls.
struct Screen<'a> {
    ui: &'a Ui,
    out: &'a mut dyn Write,
    explain: bool,
}

impl Screen<'_> {
    fn line(&mut self, text: &str) -> io::Result<()> {
        writeln!(self.out, "{text}")?;
        self.out.flush()
    }

    /// `[12:00:01] name: text`, the name in its colour; both escaped, as they came from
    /// the network.
    fn said(&mut self, name: &str, text: &str) -> io::Result<()> {
        let mut who = String::new();
        layers_osi::write_escaped(&mut who, name);
        let mut what = String::new();
        layers_osi::write_escaped(&mut what, text);
        let who = if self.ui.color {
            who.style(colour_of(name)).to_string()
        } else {
            who
        };
        self.line(&format!("[{}] {who}: {what}", clock()))
    }

    /// `[12:00:01] * text`.
    fn notice(&mut self, text: &str) -> io::Result<()> {
        let mut t = String::new();
        layers_osi::write_escaped(&mut t, text);
        let t = if self.ui.color {
            t.style(Style::new().dimmed()).to_string()
        } else {
            t
        };
        self.line(&format!("[{}] * {t}", clock()))
    }

    /// A socket call and the state it leads to, with `--explain`.
    fn explain(&mut self, msg: Msg, args: &[&dyn std::fmt::Display]) -> io::Result<()> {
        if !self.explain {
            return Ok(());
        }
        let text = msg.fill(self.ui.lang, args);
        let text = if self.ui.color {
            text.style(Style::new().cyan()).to_string()
        } else {
            text
        };
        self.line(&format!("  ~ {text}"))
    }
}

/// The time of day, UTC, as `HH:MM:SS`.
fn clock() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let day = secs % 86_400;
    format!("{:02}:{:02}:{:02}", day / 3600, day % 3600 / 60, day % 60)
}

/// A speaker's colour, the same for a name every time: the lesson's "random colours",
/// made stable so a conversation reads the same on every screen.
fn colour_of(name: &str) -> Style {
    let hash = name.bytes().fold(2_166_136_261u32, |h, b| {
        (h ^ u32::from(b)).wrapping_mul(16_777_619)
    });
    match hash % 6 {
        0 => Style::new().red().bold(),
        1 => Style::new().green().bold(),
        2 => Style::new().yellow().bold(),
        3 => Style::new().blue().bold(),
        4 => Style::new().magenta().bold(),
        _ => Style::new().cyan().bold(),
    }
}

/// A name as the chat shows it: no tabs or line breaks, at most [`MAX_NAME`] characters.
fn clean_name(name: &str) -> String {
    let n: String = name
        .chars()
        .filter(|c| !c.is_control())
        .take(MAX_NAME)
        .collect();
    let n = n.trim().to_string();
    if n.is_empty() {
        "guest".to_string()
    } else {
        n
    }
}

fn parse_addr(flag: &str, text: &str, lang: layers_osi::Lang) -> Result<SocketAddr, CliError> {
    text.parse().map_err(|_| {
        let shown: String = text.chars().take(40).collect();
        CliError::Usage(Msg::ChatBadAddr.fill(lang, &[&flag, &shown]))
    })
}

/// Whether a typed line ends the conversation.
fn is_quit(line: &str) -> bool {
    line.trim() == "q"
}

/// A client of the TCP server.
struct Client {
    stream: TcpStream,
    peer: SocketAddr,
    /// Its name, once its first line gave it.
    name: Option<String>,
}

/// The server's clients, by id, and what it can tell them.
struct Room {
    clients: BTreeMap<u64, Client>,
}

impl Room {
    /// Sends `line` (one framed message) to every named client but `except`; a client
    /// that cannot take it in time is dropped. Returns how many got it.
    fn relay(&mut self, except: Option<u64>, line: &str) -> usize {
        let mut sent = 0;
        let mut failed = Vec::new();
        for (&id, c) in &mut self.clients {
            if Some(id) == except || c.name.is_none() {
                continue;
            }
            match c.stream.write_all(line.as_bytes()) {
                Ok(()) => sent += 1,
                Err(_) => failed.push(id),
            }
        }
        for id in failed {
            if let Some(c) = self.clients.remove(&id) {
                let _ = c.stream.shutdown(Shutdown::Both);
            }
        }
        sent
    }
}

/// One framed line of the server's protocol: `name<TAB>text`, or `*<TAB>notice`.
fn framed(name: &str, text: &str) -> String {
    format!("{name}\t{text}\n")
}

fn serve_tcp(addr: SocketAddr, me: &str, mut screen: Screen<'_>) -> Result<(), CliError> {
    let lang = screen.ui.lang;
    screen.explain(Msg::ExSocketTcp, &[])?;
    screen.explain(Msg::ExReuse, &[])?;
    // std's bind sets SO_REUSEADDR before bind(2) on Unix, as the lesson does by hand.
    let listener = TcpListener::bind(addr)
        .map_err(|e| CliError::Input(Msg::ChatCannotListen.fill(lang, &[&addr, &e])))?;
    let local = listener.local_addr()?;
    screen.explain(Msg::ExBind, &[&local])?;
    screen.explain(Msg::ExListen, &[&local])?;
    screen.notice(&Msg::ChatListening.fill(lang, &[&local, &"TCP"]))?;

    let (tx, rx) = channel();
    read_stdin(tx.clone());
    let accept_tx = tx.clone();
    std::thread::spawn(move || accept_loop(&listener, &accept_tx));
    drop(tx);

    let mut room = Room {
        clients: BTreeMap::new(),
    };
    while let Ok(ev) = rx.recv() {
        match ev {
            Event::Joined(id, stream, peer) => {
                if room.clients.len() >= MAX_CLIENTS {
                    let mut s = stream;
                    let full = Msg::ChatFull.fill(lang, &[&MAX_CLIENTS]);
                    let _ = s.write_all(framed("*", &full).as_bytes());
                    let _ = s.shutdown(Shutdown::Both);
                    continue;
                }
                let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
                screen.explain(Msg::ExAccept, &[&peer])?;
                room.clients.insert(
                    id,
                    Client {
                        stream,
                        peer,
                        name: None,
                    },
                );
            }
            Event::Line(id, text) => {
                let Some(c) = room.clients.get_mut(&id) else {
                    continue;
                };
                screen.explain(Msg::ExRecvLine, &[&(text.len() + 1), &c.peer])?;
                match c.name.clone() {
                    None => {
                        let name = clean_name(&text);
                        c.name = Some(name.clone());
                        let peer = c.peer;
                        let _ = c.stream.write_all(
                            framed("*", &Msg::ChatWelcome.fill(lang, &[&me, &name])).as_bytes(),
                        );
                        let joined = Msg::ChatJoined.fill(lang, &[&name, &peer]);
                        screen.notice(&joined)?;
                        room.relay(Some(id), &framed("*", &joined));
                    }
                    Some(name) => {
                        screen.said(&name, &text)?;
                        let n = room.relay(Some(id), &framed(&name, &text));
                        screen.explain(Msg::ExSend, &[&(name.len() + text.len() + 2), &n])?;
                    }
                }
            }
            Event::TooLong(id) => {
                if let Some(c) = room.clients.get_mut(&id) {
                    let cut = Msg::ChatTooLong.fill(lang, &[&MAX_LINE]);
                    let _ = c.stream.write_all(framed("*", &cut).as_bytes());
                    let who = c.name.clone().unwrap_or_else(|| c.peer.to_string());
                    screen.notice(&format!("{who}: {cut}"))?;
                }
            }
            Event::Gone(id, how) => {
                let Some(c) = room.clients.remove(&id) else {
                    continue;
                };
                let who = c.name.clone().unwrap_or_else(|| c.peer.to_string());
                let said = match &how {
                    Gone::Closed => {
                        screen.explain(Msg::ExRecvEof, &[&who])?;
                        Msg::ChatLeft.fill(lang, &[&who])
                    }
                    Gone::MidLine(n) => {
                        screen.explain(Msg::ExRecvEof, &[&who])?;
                        Msg::ChatMidLine.fill(lang, &[&who, n])
                    }
                    Gone::Broken(e) => {
                        screen.explain(Msg::ExRecvReset, &[e, &who])?;
                        Msg::ChatVanished.fill(lang, &[&who, e])
                    }
                };
                // close(): our FIN, after theirs.
                let _ = c.stream.shutdown(Shutdown::Both);
                screen.notice(&said)?;
                if c.name.is_some() {
                    room.relay(None, &framed("*", &said));
                }
            }
            Event::Input(line) if is_quit(&line) => break,
            Event::Input(line) => {
                let n = room.relay(None, &framed(me, &line));
                screen.said(me, &line)?;
                screen.explain(Msg::ExSend, &[&(me.len() + line.len() + 2), &n])?;
            }
            // A server whose input ends (started with `< /dev/null`, or a pipe) serves on,
            // until q or Ctrl-C.
            Event::InputEnd => {}
            Event::Datagram(..) => {}
        }
    }
    // q: the server closes first, so the TIME_WAIT is on its side.
    screen.explain(Msg::ExCloseAll, &[&room.clients.len()])?;
    for c in room.clients.values() {
        let _ = c.stream.shutdown(Shutdown::Write);
    }
    let deadline = Instant::now() + CLOSE_WAIT;
    while !room.clients.is_empty() {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(Event::Gone(id, _)) => {
                room.clients.remove(&id);
            }
            Ok(_) => {}
            Err(_) => break,
        }
    }
    screen.notice(Msg::ChatBye.get(lang))?;
    Ok(())
}

/// Accepts clients, each read on a thread of its own that sends its lines as events.
fn accept_loop(listener: &TcpListener, tx: &Sender<Event>) {
    let mut next_id = 0u64;
    for conn in listener.incoming() {
        let Ok(stream) = conn else { continue };
        let (Ok(peer), Ok(reader)) = (stream.peer_addr(), stream.try_clone()) else {
            continue;
        };
        next_id += 1;
        let id = next_id;
        if tx.send(Event::Joined(id, stream, peer)).is_err() {
            return;
        }
        read_stream(reader, id, tx.clone());
    }
}

/// A connection's messages as events (`id`: whose), on a thread of its own, then how it
/// ended.
fn read_stream(reader: TcpStream, id: u64, tx: Sender<Event>) {
    std::thread::spawn(move || {
        let gone = read_framed(reader, |f| {
            let ev = match f {
                Framed::Line(l) => Event::Line(id, l),
                Framed::TooLong => Event::TooLong(id),
            };
            tx.send(ev).is_ok()
        });
        let _ = tx.send(Event::Gone(id, gone));
    });
}

/// The login name, for a client that gives none.
fn default_name() -> String {
    std::env::var("USER")
        .or_else(|_| std::env::var("LOGNAME"))
        .map(|n| clean_name(&n))
        .unwrap_or_else(|_| "guest".to_string())
}

fn connect_tcp(addr: SocketAddr, name: &str, mut screen: Screen<'_>) -> Result<(), CliError> {
    let lang = screen.ui.lang;
    screen.explain(Msg::ExSocketTcp, &[])?;
    let mut stream = TcpStream::connect_timeout(&addr, Duration::from_secs(10))
        .map_err(|e| CliError::Input(Msg::ChatCannotConnect.fill(lang, &[&addr, &e])))?;
    screen.explain(Msg::ExConnect, &[&addr])?;
    let _ = stream.set_write_timeout(Some(WRITE_TIMEOUT));
    // The first line names us.
    stream.write_all(format!("{name}\n").as_bytes())?;
    screen.notice(&Msg::ChatConnected.fill(lang, &[&addr, &name, &"TCP"]))?;

    let (tx, rx) = channel();
    read_stdin(tx.clone());
    read_stream(stream.try_clone()?, 0, tx);
    loop {
        let Ok(ev) = rx.recv() else { break };
        match ev {
            Event::Line(_, line) => {
                screen.explain(Msg::ExRecvLine, &[&(line.len() + 1), &addr])?;
                match line.split_once('\t') {
                    Some(("*", notice)) => screen.notice(notice)?,
                    Some((who, text)) => screen.said(who, text)?,
                    None => screen.notice(&line)?,
                }
            }
            Event::TooLong(_) => screen.notice(&Msg::ChatTooLong.fill(lang, &[&MAX_LINE]))?,
            Event::Gone(_, how) => {
                // The server closed first: our close answers its FIN.
                if let Gone::Broken(e) = &how {
                    screen.notice(&Msg::ChatVanished.fill(lang, &[&addr, e]))?;
                } else {
                    screen.explain(Msg::ExServerFirst, &[])?;
                    screen.notice(Msg::ChatServerClosed.get(lang))?;
                }
                let _ = stream.shutdown(Shutdown::Both);
                return Ok(());
            }
            Event::Input(line) if is_quit(&line) => break,
            Event::InputEnd => break,
            Event::Input(line) => {
                let line: String = line.chars().take(MAX_LINE).collect();
                stream.write_all(format!("{line}\n").as_bytes())?;
                screen.explain(Msg::ExSend, &[&(line.len() + 1), &1])?;
                screen.said(name, &line)?;
            }
            Event::Joined(..) | Event::Datagram(..) => {}
        }
    }
    // q: our FIN first, then we wait for the server's (the four-way close).
    screen.explain(Msg::ExShutdown, &[])?;
    let _ = stream.shutdown(Shutdown::Write);
    let deadline = Instant::now() + CLOSE_WAIT;
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        match rx.recv_timeout(left) {
            Ok(Event::Gone(..)) => {
                screen.explain(Msg::ExPeerFin, &[])?;
                break;
            }
            Ok(Event::Line(_, line)) => {
                if let Some((who, text)) = line.split_once('\t').filter(|(w, _)| *w != "*") {
                    screen.said(who, text)?;
                }
            }
            Ok(_) => {}
            Err(RecvTimeoutError::Timeout | RecvTimeoutError::Disconnected) => break,
        }
    }
    screen.notice(Msg::ChatBye.get(lang))?;
    Ok(())
}

/// A datagram of the UDP chat: `seq<TAB>name<TAB>text`; `seq<TAB>name` alone says hello.
fn datagram(seq: u64, name: &str, text: Option<&str>) -> Vec<u8> {
    match text {
        Some(t) => format!("{seq}\t{name}\t{t}").into_bytes(),
        None => format!("{seq}\t{name}").into_bytes(),
    }
}

/// A datagram read back: its number, name and text (`None`: a hello).
fn parse_datagram(bytes: &[u8]) -> Option<(u64, String, Option<String>)> {
    let text = String::from_utf8_lossy(bytes);
    let mut parts = text.splitn(3, '\t');
    let seq = parts.next()?.parse().ok()?;
    let name = clean_name(parts.next()?);
    Some((seq, name, parts.next().map(str::to_string)))
}

/// What a UDP server knows of a peer.
struct Peer {
    name: String,
    last_seq: u64,
    seen: Instant,
}

/// Reads datagrams into events, on a thread of its own.
fn read_datagrams(socket: UdpSocket, tx: Sender<Event>) {
    std::thread::spawn(move || {
        let mut buf = vec![0u8; 65_536];
        loop {
            match socket.recv_from(&mut buf) {
                Ok((n, from)) => {
                    let bytes = buf.get(..n).unwrap_or_default().to_vec();
                    if tx.send(Event::Datagram(from, bytes)).is_err() {
                        return;
                    }
                }
                // An ICMP port unreachable from an earlier send: the peer is gone, not us.
                Err(e) if e.kind() == io::ErrorKind::ConnectionRefused => {}
                Err(_) => return,
            }
        }
    });
}

/// Says what the numbers of a peer's datagrams show: some lost (or late), or this one
/// out of order.
fn sequence_note(lang: layers_osi::Lang, name: &str, last: u64, seq: u64) -> Option<String> {
    if seq > last + 1 {
        Some(Msg::ChatLost.fill(lang, &[&name, &(seq - last - 1)]))
    } else if seq <= last {
        Some(Msg::ChatReordered.fill(lang, &[&name, &seq, &last]))
    } else {
        None
    }
}

fn serve_udp(addr: SocketAddr, me: &str, mut screen: Screen<'_>) -> Result<(), CliError> {
    let lang = screen.ui.lang;
    screen.explain(Msg::ExSocketUdp, &[])?;
    let socket = UdpSocket::bind(addr)
        .map_err(|e| CliError::Input(Msg::ChatCannotListen.fill(lang, &[&addr, &e])))?;
    let local = socket.local_addr()?;
    screen.explain(Msg::ExBind, &[&local])?;
    screen.notice(&Msg::ChatListening.fill(lang, &[&local, &"UDP"]))?;
    let (tx, rx) = channel();
    read_stdin(tx.clone());
    read_datagrams(socket.try_clone()?, tx);
    let mut peers: HashMap<SocketAddr, Peer> = HashMap::new();
    let mut seq = 0u64;
    let relay = |peers: &HashMap<SocketAddr, Peer>, except: Option<SocketAddr>, d: &[u8]| {
        peers
            .keys()
            .filter(|&&p| Some(p) != except)
            .filter(|&&p| socket.send_to(d, p).is_ok())
            .count()
    };
    while let Ok(ev) = rx.recv() {
        match ev {
            Event::Datagram(from, bytes) => {
                screen.explain(Msg::ExRecvFrom, &[&bytes.len(), &from])?;
                let Some((n, name, text)) = parse_datagram(&bytes) else {
                    continue;
                };
                peers.retain(|_, p| p.seen.elapsed() < UDP_PEER_IDLE);
                let known = peers.get(&from).map(|p| p.last_seq);
                if known.is_none() {
                    if peers.len() >= MAX_CLIENTS {
                        continue;
                    }
                    screen.notice(&Msg::ChatJoined.fill(lang, &[&name, &from]))?;
                }
                if let Some(note) = known.and_then(|last| sequence_note(lang, &name, last, n)) {
                    screen.notice(&note)?;
                }
                let peer = peers.entry(from).or_insert(Peer {
                    name: name.clone(),
                    last_seq: n,
                    seen: Instant::now(),
                });
                peer.last_seq = peer.last_seq.max(n);
                peer.seen = Instant::now();
                peer.name.clone_from(&name);
                if let Some(text) = text {
                    screen.said(&name, &text)?;
                    seq += 1;
                    let sent = relay(&peers, Some(from), &datagram(seq, &name, Some(&text)));
                    screen.explain(Msg::ExSendTo, &[&bytes.len(), &sent])?;
                }
            }
            Event::Input(line) if is_quit(&line) => break,
            Event::Input(line) => {
                seq += 1;
                let d = datagram(seq, me, Some(&line));
                let sent = relay(&peers, None, &d);
                screen.said(me, &line)?;
                screen.explain(Msg::ExSendTo, &[&d.len(), &sent])?;
            }
            Event::InputEnd => {}
            _ => {}
        }
    }
    screen.explain(Msg::ExUdpQuit, &[])?;
    screen.notice(Msg::ChatBye.get(lang))?;
    Ok(())
}

fn connect_udp(addr: SocketAddr, name: &str, mut screen: Screen<'_>) -> Result<(), CliError> {
    let lang = screen.ui.lang;
    screen.explain(Msg::ExSocketUdp, &[])?;
    let any: SocketAddr = if addr.is_ipv4() {
        SocketAddr::from(([0, 0, 0, 0], 0))
    } else {
        SocketAddr::from(([0u16; 8], 0))
    };
    let cannot = |e: io::Error| CliError::Input(Msg::ChatCannotConnect.fill(lang, &[&addr, &e]));
    let socket = UdpSocket::bind(any).map_err(cannot)?;
    socket.connect(addr).map_err(cannot)?;
    screen.explain(Msg::ExUdpConnect, &[&addr])?;
    let mut seq = 1u64;
    // A hello, so the server knows where to send the others' messages.
    socket.send(&datagram(seq, name, None)).map_err(cannot)?;
    screen.notice(&Msg::ChatConnected.fill(lang, &[&addr, &name, &"UDP"]))?;
    let (tx, rx) = channel();
    read_stdin(tx.clone());
    read_datagrams(socket.try_clone()?, tx);
    let mut last_from_server = 0u64;
    while let Ok(ev) = rx.recv() {
        match ev {
            Event::Datagram(from, bytes) => {
                screen.explain(Msg::ExRecvFrom, &[&bytes.len(), &from])?;
                let Some((n, who, Some(text))) = parse_datagram(&bytes) else {
                    continue;
                };
                if last_from_server > 0 {
                    if let Some(note) = sequence_note(lang, &addr.to_string(), last_from_server, n)
                    {
                        screen.notice(&note)?;
                    }
                }
                last_from_server = last_from_server.max(n);
                screen.said(&who, &text)?;
            }
            Event::Input(line) if is_quit(&line) => break,
            Event::InputEnd => break,
            Event::Input(line) => {
                let line: String = line.chars().take(MAX_LINE).collect();
                seq += 1;
                let d = datagram(seq, name, Some(&line));
                // A datagram may be refused (the server is not there): said, not fatal.
                if let Err(e) = socket.send(&d) {
                    screen.notice(&Msg::ChatVanished.fill(lang, &[&addr, &e]))?;
                }
                screen.explain(Msg::ExSendTo, &[&d.len(), &1])?;
                screen.said(name, &line)?;
            }
            _ => {}
        }
    }
    screen.explain(Msg::ExUdpQuit, &[])?;
    screen.notice(Msg::ChatBye.get(lang))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(input: &[u8]) -> (Vec<String>, usize, Gone) {
        let mut lines = Vec::new();
        let mut long = 0;
        let gone = read_framed(input, |f| {
            match f {
                Framed::Line(l) => lines.push(l),
                Framed::TooLong => long += 1,
            }
            true
        });
        (lines, long, gone)
    }

    #[test]
    fn lines_are_framed_by_newlines_whatever_the_reads() {
        let (lines, long, gone) = frames(b"hello\r\nworld\n\xff\xfe\nhalf");
        assert_eq!(lines, ["hello", "world", "\u{fffd}\u{fffd}"]);
        assert_eq!(long, 0);
        assert!(matches!(gone, Gone::MidLine(4)));
    }

    #[test]
    fn a_long_line_is_cut_and_the_next_one_read() {
        let mut input = vec![b'x'; MAX_LINE * 3];
        input.extend(b"\nnext\n");
        let (lines, long, gone) = frames(&input);
        assert_eq!(lines, ["next"]);
        assert_eq!(long, 1);
        assert!(matches!(gone, Gone::Closed));
        // Exactly MAX_LINE bytes is still a line.
        let mut input = vec![b'y'; MAX_LINE];
        input.push(b'\n');
        let (lines, long, _) = frames(&input);
        assert_eq!((lines[0].len(), long), (MAX_LINE, 0));
    }

    #[test]
    fn datagrams_and_their_numbers() {
        let d = datagram(7, "alice", Some("a\tb"));
        assert_eq!(
            parse_datagram(&d),
            Some((7, "alice".into(), Some("a\tb".into())))
        );
        assert_eq!(parse_datagram(b"1\tbob"), Some((1, "bob".into(), None)));
        assert_eq!(parse_datagram(b"x\tbob"), None);
        let en = layers_osi::Lang::En;
        assert!(sequence_note(en, "a", 3, 4).is_none());
        assert!(sequence_note(en, "a", 3, 6).unwrap().contains('2'));
        assert!(sequence_note(en, "a", 6, 5).is_some());
    }

    #[test]
    fn names_are_cleaned() {
        assert_eq!(clean_name("  al\tice\n "), "alice");
        assert_eq!(clean_name(""), "guest");
        assert_eq!(clean_name(&"n".repeat(100)).len(), MAX_NAME);
    }
}
