//! `layers tcp`: the ladder with both ends' states, losses and their retransmissions as
//! tshark sees them, and the states of real captured connections.

use std::process::Command;

use serde_json::Value;

use crate::interop::tshark;
use crate::util::{run, stderr, stdout, temp_dir};

fn states(out: &str) -> Vec<(String, String)> {
    out.lines()
        .filter(|l| l.contains("seq="))
        .map(|l| {
            let words: Vec<&str> = l.split_whitespace().collect();
            (words[1].to_string(), words.last().unwrap().to_string())
        })
        .collect()
}

#[test]
fn the_seed_exchange_three_data_four_with_both_states() {
    let out = stdout(&run(&["tcp", "--isn", "1000,5000"]));
    let want = [
        ("SYN_SENT", "SYN_RCVD"),
        ("ESTABLISHED", "SYN_RCVD"),
        ("ESTABLISHED", "ESTABLISHED"),
        ("ESTABLISHED", "ESTABLISHED"),
        ("ESTABLISHED", "ESTABLISHED"),
        ("ESTABLISHED", "ESTABLISHED"),
        ("FIN_WAIT_1", "CLOSE_WAIT"),
        ("FIN_WAIT_2", "CLOSE_WAIT"),
        ("TIME_WAIT", "LAST_ACK"),
        ("TIME_WAIT", "CLOSED"),
    ];
    let got = states(&out);
    assert_eq!(got.len(), 10, "{out}");
    for (g, w) in got.iter().zip(want) {
        assert_eq!((g.0.as_str(), g.1.as_str()), w, "{out}");
    }
    assert!(out.contains("── SYN seq=1000 len=0 "));
    assert!(
        out.contains(" SYN,ACK seq=5000 ack=1001 len=0 ──   SYN_RCVD"),
        "{out}"
    );
    assert!(out.contains("· client enters TIME_WAIT: waits 2MSL, until 60070 ms"));
    assert!(out.contains("60070.0  · client 2MSL passed: CLOSED"));
    let zh = stdout(&run(&["--lang", "zh", "tcp", "--explain"]));
    for text in [
        "A:「喂,你听得到吗?」(SYN)",
        "B:「我听得到呀,你听得到我吗?」",
        "A:「喂,我不说了。」",
        "B:「我知道了。等下,上一句还没说完。」",
        "B:「好了,说完了,我也不说了。」",
        "A:「我知道了。」",
        "2MSL 到期:CLOSED",
    ] {
        assert!(zh.contains(text), "missing {text:?} in\n{zh}");
    }
    let short = stdout(&run(&["tcp", "--msl", "1"]));
    assert!(short.contains("until 2070 ms"), "{short}");
}

#[test]
fn closers_half_close_and_rst() {
    let out = stdout(&run(&[
        "tcp",
        "--closer",
        "server",
        "--half-close",
        "--isn",
        "1,2",
    ]));
    let s = states(&out);
    assert_eq!(s[6], ("CLOSE_WAIT".into(), "FIN_WAIT_1".into()), "{out}");
    assert!(
        out.contains("CLOSE_WAIT    ── PSH,ACK seq=8 ack=10 len=28 ─"),
        "data after the first FIN: {out}"
    );
    let out = stdout(&run(&["tcp", "--closer", "both"]));
    assert!(out.contains("CLOSING"), "{out}");
    let out = stdout(&run(&["tcp", "--rst", "--isn", "1,2"]));
    assert_eq!(
        states(&out).last().unwrap(),
        &("CLOSED".to_string(), "CLOSED".to_string())
    );
    let j: Value = serde_json::from_str(&stdout(&run(&["tcp", "--json", "--rst"]))).unwrap();
    let last = j.as_array().unwrap().last().unwrap().clone();
    assert_eq!(last["flags"], serde_json::json!(["RST", "ACK"]));
    let o = run(&["tcp", "--isn", "1"]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "error: --isn 1: expected two numbers CLIENT,SERVER such as 1000,5000\n"
    );
}

/// Frame numbers tshark's TCP analysis flags, and whether each is a retransmission.
fn analysis(file: &std::path::Path, tshark: &str) -> Vec<(String, String)> {
    let o = Command::new(tshark)
        .args([
            "-r",
            file.to_str().unwrap(),
            "-o",
            "tcp.check_checksum:TRUE",
            "-Y",
            "tcp.analysis.flags || tcp.checksum.status == 0 || ip.checksum.status == 0",
        ])
        .args([
            "-o",
            "ip.check_checksum:TRUE",
            "-T",
            "fields",
            "-e",
            "frame.number",
            "-e",
            "tcp.flags.str",
            "-e",
            "tcp.analysis.retransmission",
        ])
        .output()
        .unwrap();
    String::from_utf8_lossy(&o.stdout)
        .lines()
        .map(|l| {
            let f: Vec<&str> = l.split('\t').collect();
            (f[1].to_string(), f.get(2).unwrap_or(&"").to_string())
        })
        .collect()
}

#[test]
fn a_lost_final_ack_is_one_retransmitted_fin_for_tshark() {
    let dir = temp_dir("tcp-loss");
    let file = dir.join("t.pcap");
    let o = run(&["tcp", "--lose", "final-ack", "-o", file.to_str().unwrap()]);
    let out = stdout(&o);
    assert!(out.contains("✗ lost"));
    assert!(out.contains("· server RTO fires: the segment is sent again"));
    assert!(
        out.contains("· client gets the FIN again in TIME_WAIT: ACKs it again and restarts 2MSL")
    );
    assert!(out.contains("captured at the server"));
    let Some(tshark) = tshark() else { return };
    let flagged = analysis(&file, tshark);
    assert_eq!(flagged.len(), 1, "{flagged:?}");
    assert!(
        flagged[0].0.ends_with('F') && !flagged[0].1.is_empty(),
        "a retransmitted FIN: {flagged:?}"
    );
    for (lose, mark) in [("fin", 'F'), ("syn-ack", 'S'), ("data", 'P')] {
        let file = dir.join(format!("{lose}.pcapng"));
        assert!(run(&["tcp", "--lose", lose, "-o", file.to_str().unwrap()])
            .status
            .success());
        let flagged = analysis(&file, tshark);
        assert_eq!(flagged.len(), 1, "{lose}: {flagged:?}");
        assert!(
            flagged[0].0.contains(mark) && !flagged[0].1.is_empty(),
            "{lose}: {flagged:?}"
        );
    }
    let clean = dir.join("clean.pcap");
    assert!(run(&["tcp", "--half-close", "-o", clean.to_str().unwrap()])
        .status
        .success());
    assert_eq!(
        analysis(&clean, tshark),
        Vec::<(String, String)>::new(),
        "no problem without a loss"
    );
}

#[test]
fn a_real_loopback_capture_ends_closed_and_names_the_closer() {
    let file = format!(
        "{}/fixtures/loopback-tcp-hello.pcap",
        env!("CARGO_MANIFEST_DIR")
    );
    let out = stdout(&run(&["tcp", "--from", &file]));
    assert!(
        out.starts_with("connection 127.0.0.1:49242 -> 127.0.0.1:9999: 10 segments"),
        "{out}"
    );
    assert!(out.contains("127.0.0.1:49242 closed first (the active closer)"));
    assert!(
        out.contains("at the end: 127.0.0.1:49242 TIME_WAIT, 127.0.0.1:9999 CLOSED"),
        "{out}"
    );
    assert!(!out.contains("abnormal"));
    let j: Value =
        serde_json::from_str(&stdout(&run(&["tcp", "--json", "--from", &file]))).unwrap();
    assert_eq!(j[0]["segments"][2]["second_state"], "ESTABLISHED");
    let crafted = format!("{}/fixtures/crafted.pcap", env!("CARGO_MANIFEST_DIR"));
    let out = stdout(&run(&["tcp", "--from", &crafted]));
    assert!(
        out.contains("abnormal: still open when the capture ends"),
        "{out}"
    );
    assert!(
        out.contains("abnormal: the capture starts after the handshake"),
        "{out}"
    );
    let udp = format!(
        "{}/fixtures/loopback-udp-hello.pcap",
        env!("CARGO_MANIFEST_DIR")
    );
    let o = run(&["tcp", "--from", &udp]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("no TCP connection in this capture"));
}

/// Flags that cannot combine are refused with the reason (exit 2), never one silently
/// ignored.
#[test]
fn flags_that_cannot_combine_are_refused() {
    let pcapng = format!(
        "{}/fixtures/loopback-udp.pcapng",
        env!("CARGO_MANIFEST_DIR")
    );
    let cases: &[(&[&str], &str)] = &[
        (&["tcp", "--rst", "--lose", "fin"], "no FIN"),
        (&["tcp", "--rst", "--lose", "final-ack"], "no FIN"),
        (
            &["tcp", "--closer", "both", "--lose", "final-ack"],
            "simultaneous close",
        ),
        (&["tcp", "--json", "--explain"], "--json"),
        (
            &["journey", "--payload", "hi", "--payload-size", "100"],
            "--payload-size",
        ),
        (&["encode", "--json", "--explain"], "--json"),
        (&["encode", "--json", "--fields"], "--json"),
        (&["encode", "--json", "--diagram"], "--json"),
    ];
    for (args, says) in cases {
        let o = run(args);
        assert_eq!(o.status.code(), Some(2), "{args:?} is accepted");
        assert!(stderr(&o).contains(says), "{args:?}: {}", stderr(&o));
    }
    // A real capture is followed, not simulated: simulation flags do not apply.
    let capture = format!(
        "{}/fixtures/loopback-tcp-hello.pcap",
        env!("CARGO_MANIFEST_DIR")
    );
    for flag in [
        &["--lose", "data"][..],
        &["--rst"],
        &["--send", "x"],
        &["-o", "x.pcap"],
    ] {
        let mut args = vec!["tcp", "--from", capture.as_str()];
        args.extend_from_slice(flag);
        let o = run(&args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(stderr(&o).contains("cannot be used with"), "{}", stderr(&o));
    }
    // What still combines, still does: a lost data segment before an abort.
    assert!(run(&["tcp", "--rst", "--lose", "data"]).status.success());
    // A --format that contradicts the file says so (exit 1), rather than read it as it is.
    for f in ["pcap", "hex", "raw"] {
        let o = run(&["decode", "--format", f, &pcapng]);
        assert_eq!(o.status.code(), Some(1), "--format {f}");
        assert!(
            stderr(&o).contains("but the file is pcapng"),
            "{}",
            stderr(&o)
        );
    }
}

/// Data longer than the MSS goes as several segments of at most the MSS, which tshark reads
/// as one clean stream; each row shows each end's state at its own moment; a lost SYN,ACK
/// lets the client's SYN timer fire first; TIME_WAIT says why 2MSL.
#[test]
fn segments_states_and_timers_as_a_real_stack_has_them() {
    let text = "x".repeat(3000);
    let json = stdout(&run(&["tcp", "--send", &text, "--json"]));
    let doc: Value = serde_json::from_str(&json).unwrap();
    let data: Vec<u64> = doc
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["from"] == "client" && e["length"].as_u64().unwrap_or(0) > 0)
        .map(|e| e["length"].as_u64().unwrap())
        .collect();
    assert_eq!(data, [1460, 1460, 80], "{json}");
    if let Some(tshark) = tshark() {
        let dir = temp_dir("tcp-mss");
        let file = dir.join("t.pcap");
        assert!(run(&["tcp", "--send", &text, "-o", file.to_str().unwrap()])
            .status
            .success());
        assert_eq!(analysis(&file, tshark), Vec::<(String, String)>::new());
        let lens = Command::new(tshark)
            .args([
                "-r",
                file.to_str().unwrap(),
                "-Y",
                "tcp.len > 0",
                "-T",
                "fields",
                "-e",
                "tcp.len",
            ])
            .output()
            .unwrap();
        let lens = String::from_utf8_lossy(&lens.stdout);
        assert!(
            lens.lines().all(|l| l.parse::<usize>().unwrap() <= 1460),
            "{lens}"
        );
    }

    // The lost data segment would have reached a server that is ESTABLISHED by then.
    let ladder = stdout(&run(&["tcp", "--lose", "data"]));
    let lost = ladder.lines().find(|l| l.contains("✗")).unwrap();
    assert!(lost.trim_end().ends_with("ESTABLISHED"), "{lost}");

    // A lost SYN,ACK: the client's SYN timer (1 s, RFC 6298) fires before the server's.
    let ladder = stdout(&run(&["tcp", "--lose", "syn-ack"]));
    let timers: Vec<&str> = ladder.lines().filter(|l| l.contains("RTO fires")).collect();
    assert!(
        timers.first().is_some_and(|l| l.contains("client")),
        "{ladder}"
    );
    assert!(timers[0].trim_start().starts_with("1000.0"), "{ladder}");

    let ladder = stdout(&run(&["tcp"]));
    for why in [
        "last ACK is lost",
        "old duplicate segments",
        "RFC 9293 takes 2 minutes",
        "Linux",
    ] {
        assert!(ladder.contains(why), "{why}: {ladder}");
    }
    let o = run(&["tcp", "--send", &"x".repeat(30_000)]);
    assert_eq!(o.status.code(), Some(2));
}
