//! `layers chat` on loopback: a real server and real clients, driven through their
//! standard input and read from their standard output, each test bounded in time.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpStream, UdpSocket};
use std::process::{Child, ChildStdin, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

use crate::util::layers;

/// A running `layers chat ...`: its input, and its output lines as they come.
struct Running {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: Receiver<String>,
    seen: Vec<String>,
}

impl Running {
    fn start(args: &[&str]) -> Running {
        let mut child = layers()
            .arg("chat")
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("layers chat starts");
        let stdout = child.stdout.take().unwrap();
        let (tx, lines) = channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
        Running {
            stdin: child.stdin.take(),
            child,
            lines,
            seen: Vec::new(),
        }
    }

    /// Waits (at most `within`) for a line containing `text`; returns it.
    fn wait_for(&mut self, text: &str, within: Duration) -> String {
        let deadline = Instant::now() + within;
        if let Some(l) = self.seen.iter().find(|l| l.contains(text)) {
            return l.clone();
        }
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.lines.recv_timeout(left) {
                Ok(l) => {
                    self.seen.push(l.clone());
                    if l.contains(text) {
                        return l;
                    }
                }
                Err(_) => panic!(
                    "no line with {text:?} within {within:?}; saw:\n{}",
                    self.seen.join("\n")
                ),
            }
        }
    }

    fn say(&mut self, line: &str) {
        let stdin = self.stdin.as_mut().expect("input open");
        writeln!(stdin, "{line}").unwrap();
        stdin.flush().unwrap();
    }

    /// Types q and waits (bounded) for the process to end; returns all it printed.
    fn quit(mut self) -> Vec<String> {
        self.say("q");
        self.stdin = None;
        let deadline = Instant::now() + Duration::from_secs(15);
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                assert!(status.success(), "chat exited with {status}");
                break;
            }
            assert!(Instant::now() < deadline, "chat did not end after q");
            std::thread::sleep(Duration::from_millis(20));
        }
        while let Ok(l) = self.lines.recv_timeout(Duration::from_millis(200)) {
            self.seen.push(l);
        }
        std::mem::take(&mut self.seen)
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A server on a free loopback port, and that port's address.
fn server(extra: &[&str]) -> (Running, String) {
    let mut args = vec!["serve", "--bind", "127.0.0.1:0"];
    args.extend_from_slice(extra);
    let mut s = Running::start(&args);
    // The first notice names the address, in either language (before it, --explain lines).
    let line = s.wait_for("] * ", Duration::from_secs(10));
    let addr = line
        .split_whitespace()
        .find(|w| w.starts_with("127.0.0.1:"))
        .unwrap()
        .to_string();
    (s, addr)
}

const T: Duration = Duration::from_secs(10);

#[test]
fn the_server_relays_every_line_through_fifty_clients_that_vanish() {
    let (mut srv, addr) = server(&[]);
    let mut alice = Running::start(&["connect", &addr, "--name", "alice"]);
    let mut bob = Running::start(&["connect", &addr, "--name", "bob"]);
    alice.wait_for("welcomes alice", T);
    bob.wait_for("welcomes bob", T);
    srv.wait_for("bob joined", T);
    srv.wait_for("alice joined", T);
    // Fifty clients connect, say something, and vanish: half in the middle of a line (a
    // FIN after a partial line), half with relayed data still unread (the kernel resets).
    let vanishers = std::thread::spawn({
        let addr = addr.clone();
        move || {
            for i in 0..50 {
                let mut s = TcpStream::connect(&addr).unwrap();
                write!(s, "ghost{i}\nboo {i}\nhalf a li").unwrap();
                if i % 2 == 1 {
                    std::thread::sleep(Duration::from_millis(30));
                }
                drop(s);
            }
        }
    });
    for n in 0..100 {
        alice.say(&format!("message {n}"));
        if n % 10 == 0 {
            std::thread::sleep(Duration::from_millis(20));
        }
    }
    vanishers.join().unwrap();
    for n in 0..100 {
        bob.wait_for(&format!("alice: message {n}"), T);
    }
    // In order, each once.
    let got: Vec<&String> = bob
        .seen
        .iter()
        .filter(|l| l.contains("alice: message"))
        .collect();
    assert_eq!(got.len(), 100);
    for (n, l) in got.iter().enumerate() {
        assert!(l.ends_with(&format!("alice: message {n}")), "{l}");
    }
    srv.wait_for("ghost49", T);
    srv.wait_for("in the middle of a line", T);
    // Bob leaves with q: the server sees its FIN.
    let seen = bob.quit();
    assert!(seen.iter().any(|l| l.contains("the conversation is over")));
    srv.wait_for("bob left (its FIN", T);
    alice.say("still here");
    srv.wait_for("alice: still here", T);
    let srv_lines = srv.quit();
    assert!(srv_lines
        .iter()
        .any(|l| l.contains("the conversation is over")));
    alice.wait_for("the server closed the connection", T);
}

#[test]
fn bad_bytes_and_long_lines_do_not_stop_it() {
    let (mut srv, addr) = server(&[]);
    let mut bob = Running::start(&["connect", &addr, "--name", "bob"]);
    bob.wait_for("welcomes bob", T);
    let mut raw = TcpStream::connect(&addr).unwrap();
    raw.write_all(b"mallory\n\xff\xfe bytes\n").unwrap();
    raw.write_all(&vec![b'x'; 100_000]).unwrap();
    raw.write_all(b"\nafter\n\x1b[31mred\n").unwrap();
    bob.wait_for("mallory: \u{fffd}\u{fffd} bytes", T);
    bob.wait_for("mallory: after", T);
    // Control characters from the network are shown escaped, never sent to the terminal.
    bob.wait_for("mallory: \\x1b[31mred", T);
    srv.wait_for("was cut there", T);
    // The sender is told its line was cut.
    raw.set_read_timeout(Some(T)).unwrap();
    let mut buf = vec![0u8; 4096];
    let mut told = String::new();
    while !told.contains("was cut there") {
        let n = raw.read(&mut buf).unwrap();
        assert!(n > 0, "closed before the notice: {told}");
        told.push_str(&String::from_utf8_lossy(&buf[..n]));
    }
    drop(raw);
    bob.quit();
    srv.quit();
}

#[test]
fn a_restarted_server_gets_its_port_back_while_the_old_connections_wait() {
    // The server closes first (q), so its side of the connection goes to TIME_WAIT; with
    // SO_REUSEADDR a new server binds the same port at once.
    let (srv, addr) = server(&[]);
    let mut c = Running::start(&["connect", &addr, "--name", "c"]);
    c.wait_for("welcomes c", T);
    srv.quit();
    c.wait_for("the server closed the connection", T);
    let mut again = Running::start(&["serve", "--bind", &addr]);
    again.wait_for(&format!("listening on {addr}"), T);
    again.quit();
}

#[test]
fn explain_narrates_the_socket_calls_and_states_in_both_languages() {
    let (mut srv, addr) = server(&["--explain"]);
    let mut c = Running::start(&["connect", &addr, "--name", "c", "--explain"]);
    c.wait_for("[ESTABLISHED]", T);
    srv.wait_for("accept()", T);
    c.say("hello");
    srv.wait_for("c: hello", T);
    let seen = c.quit();
    let text = seen.join("\n");
    for call in [
        "socket(AF_INET, SOCK_STREAM)",
        "connect(",
        "shutdown(SHUT_WR)",
        "[FIN_WAIT_1]",
        "[TIME_WAIT]",
    ] {
        assert!(text.contains(call), "{call} missing:\n{text}");
    }
    srv.wait_for("[CLOSE_WAIT]", T);
    srv.quit();
    let (srv, addr) = server(&["--lang", "zh"]);
    let mut c = Running::start(&["connect", &addr, "--name", "c", "--explain", "--lang", "zh"]);
    c.wait_for("「connect(", T);
    let seen = c.quit();
    assert!(seen.iter().any(|l| l.contains("对话结束")), "{seen:?}");
    srv.quit();
}

#[test]
fn udp_keeps_datagrams_whole_and_shows_losses() {
    let (mut srv, addr) = server(&["--udp"]);
    let mut bob = Running::start(&["connect", &addr, "--udp", "--name", "bob"]);
    srv.wait_for("bob joined", T);
    let raw = UdpSocket::bind("127.0.0.1:0").unwrap();
    raw.connect(&addr).unwrap();
    raw.send(b"1\teve").unwrap();
    srv.wait_for("eve joined", T);
    // One datagram is one message, tabs and all (shown escaped); numbers 3 and 4 never come.
    raw.send(b"2\teve\tone\ttwo").unwrap();
    bob.wait_for("eve: one\\x09two", T);
    raw.send(b"5\teve\tthree").unwrap();
    srv.wait_for("eve: 2 datagrams lost", T);
    raw.send(b"3\teve\tlate").unwrap();
    srv.wait_for("datagram 3 came after 5", T);
    bob.wait_for("eve: late", T);
    bob.quit();
    srv.quit();
}

#[test]
fn a_bad_address_is_refused_with_exit_2() {
    let o = layers()
        .args(["chat", "connect", "localhost:99999"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("expected IP:PORT"));
    let free = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = free.local_addr().unwrap().to_string();
    drop(free);
    let o = layers()
        .args(["chat", "connect", &addr])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("cannot connect"),
        "{o:?}"
    );
}
