//! `layers capture` live: the lesson's chat captured on loopback and across two network
//! namespaces this test creates (and removes), compared with tcpdump capturing the same
//! traffic at the same time. Capturing needs root; without it these tests say they were
//! skipped (and fail in CI, which runs as root), and only the refusal is tested.

use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc::{channel, Receiver};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::util::{layers, skip_without, skip_without_root, temp_dir};

const T: Duration = Duration::from_secs(15);

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// A background process whose stderr lines can be waited for.
struct Bg {
    child: Child,
    err: Receiver<String>,
}

impl Bg {
    fn start(mut cmd: Command) -> Bg {
        let mut child = cmd
            .stdin(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("starts");
        let stderr = child.stderr.take().unwrap();
        let (tx, err) = channel();
        std::thread::spawn(move || {
            for l in BufReader::new(stderr).lines().map_while(Result::ok) {
                let _ = tx.send(l);
            }
        });
        Bg { child, err }
    }

    fn wait_err(&self, text: &str) -> Vec<String> {
        let deadline = Instant::now() + T;
        let mut seen = Vec::new();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match self.err.recv_timeout(left) {
                Ok(l) if l.contains(text) => return seen,
                Ok(l) => seen.push(l),
                Err(_) => panic!("no {text:?} on stderr; saw {seen:?}"),
            }
        }
    }

    /// Ctrl-C, then the exit (bounded, and with status 0: the signal is handled); stdout
    /// and the rest of stderr.
    fn interrupt(mut self) -> (String, Vec<String>) {
        let pid = self.child.id().to_string();
        Command::new("kill").args(["-INT", &pid]).status().unwrap();
        let deadline = Instant::now() + T;
        let status = loop {
            if let Some(s) = self.child.try_wait().unwrap() {
                break s;
            }
            assert!(Instant::now() < deadline, "no exit after Ctrl-C");
            std::thread::sleep(Duration::from_millis(20));
        };
        assert!(status.success(), "after Ctrl-C: {status}");
        let mut out = String::new();
        if let Some(mut o) = self.child.stdout.take() {
            std::io::Read::read_to_string(&mut o, &mut out).unwrap();
        }
        let rest: Vec<String> = self.err.try_iter().collect();
        (out, rest)
    }
}

impl Drop for Bg {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// `cmd` inside network namespace `ns`, or as it is.
fn in_ns(ns: Option<&str>, program: &str) -> Command {
    match ns {
        Some(ns) => {
            let mut c = Command::new("ip");
            c.args(["netns", "exec", ns, program]);
            c
        }
        None => Command::new(program),
    }
}

fn layers_in(ns: Option<&str>) -> Command {
    let mut c = in_ns(ns, env!("CARGO_BIN_EXE_layers"));
    c.env_remove("LANG").env_remove("LC_ALL");
    c
}

/// A chat: server on `server` (in `server_ns`), a client (in `client_ns`) that sends
/// hello and q; both end by themselves.
fn chat(server_ns: Option<&str>, client_ns: Option<&str>, server: &str) {
    let mut srv = layers_in(server_ns);
    srv.args(["chat", "serve", "--bind", server])
        .stdout(Stdio::piped());
    let mut srv = Bg::start(srv);
    let out = srv.child.stdout.take().unwrap();
    let mut out = BufReader::new(out);
    let mut first = String::new();
    out.read_line(&mut first).unwrap();
    assert!(first.contains("listening on"), "{first}");
    let mut client = layers_in(client_ns);
    let o = client
        .args(["chat", "connect", server, "--name", "alice"])
        .stdin(Stdio::piped())
        .stdout(Stdio::null())
        .spawn()
        .unwrap();
    let mut o = o;
    {
        let stdin = o.stdin.as_mut().unwrap();
        writeln!(stdin, "hello").unwrap();
        std::thread::sleep(Duration::from_millis(300));
        writeln!(stdin, "q").unwrap();
    }
    drop(o.stdin.take());
    let deadline = Instant::now() + T;
    while o.try_wait().unwrap().is_none() {
        assert!(Instant::now() < deadline, "the client did not end");
        std::thread::sleep(Duration::from_millis(20));
    }
    let stdin = srv.child.stdin.as_mut().unwrap();
    writeln!(stdin, "q").unwrap();
    let deadline = Instant::now() + T;
    while srv.child.try_wait().unwrap().is_none() {
        assert!(Instant::now() < deadline, "the server did not end");
        std::thread::sleep(Duration::from_millis(20));
    }
}

fn frames_of_pcap(path: &Path) -> Vec<Vec<u8>> {
    let mut r = pcap_file::pcap::PcapReader::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut out = Vec::new();
    while let Some(p) = r.next_packet() {
        out.push(p.unwrap().data.into_owned());
    }
    out
}

fn frames_of_pcapng(path: &Path) -> Vec<Vec<u8>> {
    let mut r = pcap_file::pcapng::PcapNgReader::new(std::fs::File::open(path).unwrap()).unwrap();
    let mut out = Vec::new();
    while let Some(b) = r.next_block() {
        if let pcap_file::pcapng::Block::EnhancedPacket(p) = b.unwrap() {
            out.push(p.data.into_owned());
        }
    }
    out
}

fn layer<'a>(frame: &'a Value, protocol: &str) -> Option<&'a Value> {
    frame["layers"]
        .as_array()?
        .iter()
        .find(|l| l["protocol"] == protocol)
}

fn tcp_flags(frame: &Value) -> Vec<String> {
    layer(frame, "TCP").map_or_else(Vec::new, |t| {
        t["fields"]["flags"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f.as_str().unwrap().to_string())
            .collect()
    })
}

/// Captures `filter` on `iface` (in `ns`) with layers and tcpdump at once while `traffic`
/// runs; returns layers' JSON frames, and checks both saw the same frames, each once.
fn capture_beside_tcpdump(
    ns: Option<&str>,
    iface: &str,
    filter: &str,
    dir: &Path,
    traffic: impl FnOnce(),
) -> Vec<Value> {
    let theirs = dir.join("tcpdump.pcap");
    let ours = dir.join("layers.pcapng");
    let mut dump = in_ns(ns, "tcpdump");
    // -Z root: Debian's tcpdump would switch to user tcpdump, who cannot write in `dir`;
    // immediate mode, or the last frames wait in a kernel block when Ctrl-C comes.
    dump.args([
        "-i",
        iface,
        "--immediate-mode",
        "-U",
        "-n",
        "-Z",
        "root",
        "-w",
        theirs.to_str().unwrap(),
        filter,
    ])
    .stdout(Stdio::null());
    let dump = Bg::start(dump);
    dump.wait_err("listening on");
    let mut cap = layers_in(ns);
    cap.args(["capture", "-i", iface, "--filter", filter, "--json", "-w"])
        .arg(&ours)
        .stdout(Stdio::piped());
    let cap = Bg::start(cap);
    cap.wait_err("capturing on");
    traffic();
    std::thread::sleep(Duration::from_millis(500));
    let (json, rest) = cap.interrupt();
    let (_, dump_said) = dump.interrupt();
    assert!(
        rest.iter()
            .any(|l| l.contains("frames captured") && l.contains("dropped 0")),
        "{rest:?}"
    );
    let frames: Vec<Value> = json
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    let ours_bytes = frames_of_pcapng(&ours);
    let theirs_bytes = frames_of_pcap(&theirs);
    assert_eq!(
        frames.len(),
        ours_bytes.len(),
        "each frame shown is written"
    );
    assert_eq!(
        ours_bytes.len(),
        theirs_bytes.len(),
        "layers captured {} frames, tcpdump {} ({dump_said:?})",
        ours_bytes.len(),
        theirs_bytes.len()
    );
    assert!(
        ours_bytes == theirs_bytes,
        "the same frames as tcpdump, in the same order"
    );
    // tshark reads what we wrote.
    if Command::new("tshark").arg("--version").output().is_ok() {
        let o = Command::new("tshark")
            .args([
                "-r",
                ours.to_str().unwrap(),
                "-T",
                "fields",
                "-e",
                "frame.len",
            ])
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        assert_eq!(
            String::from_utf8_lossy(&o.stdout).lines().count(),
            frames.len()
        );
    }
    frames
}

/// The handshake, the data segment with `hello`, and the close, in order.
fn assert_chat_frames(frames: &[Value]) {
    let flags: Vec<Vec<String>> = frames.iter().map(tcp_flags).collect();
    assert_eq!(flags[0], ["SYN"], "{flags:?}");
    assert_eq!(flags[1], ["SYN", "ACK"], "{flags:?}");
    assert_eq!(flags[2], ["ACK"], "{flags:?}");
    let hello = frames
        .iter()
        // The preview shows the newline that ends the message as \n.
        .position(|f| layer(f, "data").is_some_and(|d| d["fields"]["text"] == "hello\\n"))
        .expect("the segment carrying hello");
    let fin = flags
        .iter()
        .position(|f| f.contains(&"FIN".to_string()))
        .expect("a FIN");
    assert!(fin > hello, "{flags:?}");
    let fins = flags
        .iter()
        .filter(|f| f.contains(&"FIN".to_string()))
        .count();
    assert_eq!(fins, 2, "a FIN each way: {flags:?}");
    assert_eq!(flags.last().unwrap(), &["ACK"], "the last ACK: {flags:?}");
}

#[test]
fn capture_without_the_privilege_says_how_to_grant_it() {
    let dir = temp_dir("capture-unprivileged");
    let o = if is_root() {
        // As nobody: a copy of the binary where nobody can run it.
        let bin = dir.join("layers");
        std::fs::copy(env!("CARGO_BIN_EXE_layers"), &bin).unwrap();
        for d in [dir.as_path(), bin.as_path()] {
            std::fs::set_permissions(d, std::os::unix::fs::PermissionsExt::from_mode(0o755))
                .unwrap();
        }
        // The copy may be busy for a moment ("Text file busy"): another test's fork can
        // hold it open for writing until that child execs.
        let mut tries = 0;
        loop {
            let o = Command::new("setpriv")
                .args(["--reuid=65534", "--regid=65534", "--clear-groups"])
                .arg(&bin)
                .args(["capture", "-i", "lo", "--count", "1"])
                .env_remove("LANG")
                .env_remove("LC_ALL")
                .output();
            match o {
                Ok(o)
                    if String::from_utf8_lossy(&o.stderr).contains("Text file busy")
                        && tries < 50 =>
                {
                    tries += 1;
                    std::thread::sleep(Duration::from_millis(50));
                }
                Ok(o) => break o,
                Err(_) => return skip_without("setpriv", "to run a capture without privilege"),
            }
        }
    } else {
        layers()
            .args(["capture", "-i", "lo", "--count", "1"])
            .output()
            .unwrap()
    };
    assert_eq!(o.status.code(), Some(1), "{o:?}");
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(e.contains("setcap cap_net_raw,cap_net_admin=eip"), "{e}");
    assert_eq!(e.lines().count(), 1, "one line: {e}");
}

#[test]
fn an_unknown_interface_lists_the_known_ones() {
    let o = layers()
        .args(["capture", "-i", "no-such-if0"])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let e = String::from_utf8_lossy(&o.stderr);
    assert!(
        e.contains("no interface no-such-if0") && e.contains("lo"),
        "{e}"
    );
    let o = layers().args(["capture", "--list"]).output().unwrap();
    assert!(o.status.success());
    assert!(String::from_utf8_lossy(&o.stdout).contains("lo (up, ETHERNET, loopback) 127.0.0.1/8"));
}

#[test]
fn a_chat_on_loopback_is_captured_live_each_frame_once() {
    if !is_root() {
        return skip_without_root("capturing on lo needs CAP_NET_RAW");
    }
    if Command::new("tcpdump").arg("--version").output().is_err() {
        return skip_without("tcpdump", "the capture is compared with its");
    }
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let dir = temp_dir("capture-lo");
    let filter = format!("tcp port {port}");
    let frames = capture_beside_tcpdump(None, "lo", &filter, &dir, || {
        chat(None, None, &format!("127.0.0.1:{port}"));
    });
    assert_chat_frames(&frames);
    // Loopback: the Ethernet header Linux gives it, with zero MACs.
    let eth = layer(&frames[0], "Ethernet II").unwrap();
    assert_eq!(eth["fields"]["source"], "00:00:00:00:00:00");
}

/// Two network namespaces joined by a veth pair, removed when dropped.
struct Namespaces {
    a: String,
    b: String,
}

impl Namespaces {
    fn create() -> Namespaces {
        let id = std::process::id();
        let ns = Namespaces {
            a: format!("layers-cap-a-{id}"),
            b: format!("layers-cap-b-{id}"),
        };
        let ip = |args: &[&str]| {
            let o = Command::new("ip").args(args).output().expect("ip runs");
            assert!(
                o.status.success(),
                "ip {args:?}: {}",
                String::from_utf8_lossy(&o.stderr)
            );
        };
        ip(&["netns", "add", &ns.a]);
        ip(&["netns", "add", &ns.b]);
        ip(&[
            "link", "add", "veth-a", "netns", &ns.a, "type", "veth", "peer", "name", "veth-b",
            "netns", &ns.b,
        ]);
        for (n, dev, addr) in [
            (&ns.a, "veth-a", "10.99.7.1/24"),
            (&ns.b, "veth-b", "10.99.7.2/24"),
        ] {
            ip(&["-n", n, "addr", "add", addr, "dev", dev]);
            // No IPv6 chatter on the link.
            ip(&[
                "netns",
                "exec",
                n,
                "sysctl",
                "-qw",
                "net.ipv6.conf.all.disable_ipv6=1",
            ]);
            ip(&["-n", n, "link", "set", dev, "up"]);
            ip(&["-n", n, "link", "set", "lo", "up"]);
        }
        ns
    }

    fn mac(&self, ns: &str, dev: &str) -> String {
        let o = Command::new("ip")
            .args([
                "netns",
                "exec",
                ns,
                "cat",
                &format!("/sys/class/net/{dev}/address"),
            ])
            .output()
            .unwrap();
        String::from_utf8_lossy(&o.stdout).trim().to_string()
    }
}

impl Drop for Namespaces {
    fn drop(&mut self) {
        for n in [&self.a, &self.b] {
            let _ = Command::new("ip").args(["netns", "del", n]).output();
        }
    }
}

#[test]
fn a_chat_across_two_namespaces_shows_real_macs_and_the_arp_exchange() {
    if !is_root() {
        return skip_without_root("network namespaces need CAP_SYS_ADMIN");
    }
    if Command::new("ip").arg("-V").output().is_err() {
        return skip_without("iproute2", "the test creates network namespaces with ip");
    }
    if Command::new("tcpdump").arg("--version").output().is_err() {
        return skip_without("tcpdump", "the capture is compared with its");
    }
    let ns = Namespaces::create();
    let (mac_a, mac_b) = (ns.mac(&ns.a, "veth-a"), ns.mac(&ns.b, "veth-b"));
    let dir = temp_dir("capture-netns");
    let frames =
        capture_beside_tcpdump(Some(&ns.a), "veth-a", "arp or tcp port 9999", &dir, || {
            chat(Some(&ns.a), Some(&ns.b), "10.99.7.1:9999");
        });
    // B asks who has 10.99.7.1, A answers with its MAC, before the first SYN.
    let arp: Vec<&Value> = frames
        .iter()
        .filter(|f| layer(f, "ARP").is_some())
        .collect();
    let request = arp
        .iter()
        .find(|f| layer(f, "ARP").unwrap()["fields"]["operation"] == 1)
        .expect("an ARP request");
    let eth = layer(request, "Ethernet II").unwrap();
    assert_eq!(eth["fields"]["destination"], "ff:ff:ff:ff:ff:ff");
    assert_eq!(eth["fields"]["source"], mac_b.as_str());
    let reply = arp
        .iter()
        .find(|f| layer(f, "ARP").unwrap()["fields"]["operation"] == 2)
        .expect("an ARP reply");
    assert_eq!(
        layer(reply, "ARP").unwrap()["fields"]["sender_mac"],
        mac_a.as_str()
    );
    let tcp: Vec<Value> = frames
        .iter()
        .filter(|f| layer(f, "TCP").is_some())
        .cloned()
        .collect();
    assert_chat_frames(&tcp);
    let syn = layer(&tcp[0], "Ethernet II").unwrap();
    assert_eq!(syn["fields"]["source"], mac_b.as_str());
    assert_eq!(syn["fields"]["destination"], mac_a.as_str());
    assert_ne!(mac_a, "00:00:00:00:00:00");
}

#[test]
fn a_64_kib_loopback_frame_is_captured_whole() {
    if !is_root() {
        return skip_without_root("capturing on lo needs CAP_NET_RAW");
    }
    let sock = std::net::UdpSocket::bind("127.0.0.1:0").unwrap();
    let port = sock.local_addr().unwrap().port();
    let mut cap = layers_in(None);
    cap.args([
        "capture",
        "-i",
        "lo",
        "--json",
        "--count",
        "1",
        "--timeout",
        "10",
    ])
    .args(["--filter", &format!("udp dst port {port}")])
    .stdout(Stdio::piped());
    let cap = Bg::start(cap);
    cap.wait_err("capturing on");
    // The largest UDP payload IPv4 carries; loopback's MTU (65536) takes it unfragmented.
    let payload = vec![b'x'; 65_507];
    sock.send_to(&payload, ("127.0.0.1", port)).unwrap();
    let mut child = cap;
    let deadline = Instant::now() + T;
    while child.child.try_wait().unwrap().is_none() {
        assert!(
            Instant::now() < deadline,
            "the capture did not stop at --count 1"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    let mut out = String::new();
    std::io::Read::read_to_string(child.child.stdout.as_mut().unwrap(), &mut out).unwrap();
    let frame: Value = serde_json::from_str(out.lines().next().expect("one frame")).unwrap();
    assert_eq!(
        frame["captured_length"],
        14 + 20 + 8 + 65_507,
        "{}",
        &out[..200]
    );
    assert_eq!(frame["original_length"], frame["captured_length"]);
}

#[test]
fn tcp_states_follow_both_ends_of_a_live_chat() {
    if !is_root() {
        return skip_without_root("capturing on lo needs CAP_NET_RAW");
    }
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let mut cap = layers_in(None);
    cap.args(["capture", "-i", "lo", "--tcp-states"])
        .args(["--filter", &format!("tcp port {port}")])
        .stdout(Stdio::piped());
    let cap = Bg::start(cap);
    cap.wait_err("capturing on");
    chat(None, None, &format!("127.0.0.1:{port}"));
    std::thread::sleep(Duration::from_millis(300));
    let (text, _) = cap.interrupt();
    let states: Vec<&str> = text.lines().filter(|l| l.contains("TCP states:")).collect();
    let segments = text.lines().filter(|l| l.contains(" TCP [")).count();
    assert_eq!(
        states.len(),
        segments,
        "a states line after each segment:\n{text}"
    );
    let client = format!("127.0.0.1:{port}");
    // After the SYN: the client has sent it, the server has received it.
    assert!(
        states[0].contains("SYN_SENT") && states[0].contains("SYN_RCVD"),
        "{text}"
    );
    assert!(
        states[2].contains("ESTABLISHED ·") && states[2].ends_with("ESTABLISHED"),
        "{text}"
    );
    // The client closes first (q): it ends in TIME_WAIT, the server's end CLOSED.
    let last = states.last().unwrap();
    assert!(
        last.contains("TIME_WAIT") && last.contains(&format!("{client} CLOSED")),
        "{text}"
    );
}
