//! Interoperability: tshark reads every file `encode` writes, with valid checksums and no
//! expert warnings. `.ci/run` installs tshark; without it these tests say so and pass.

use std::path::Path;
use std::process::Command;

use crate::util::{run, stderr, temp_dir};

/// tshark, or `None` after saying on the terminal why the test is skipped. In CI (where
/// `.ci/run` installs it) a missing tshark is a failure, not a skip.
pub fn tshark() -> Option<&'static str> {
    let found = Command::new("tshark")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if found {
        return Some("tshark");
    }
    crate::util::skip_without("tshark", "apt-get install tshark");
    None
}

const CHECKS: [&str; 10] = [
    "-o",
    "ip.check_checksum:TRUE",
    "-o",
    "tcp.check_checksum:TRUE",
    "-o",
    "udp.check_checksum:TRUE",
    "-o",
    "eth.check_fcs:TRUE",
    "-o",
    "tcp.analyze_sequence_numbers:TRUE",
];

fn tshark_out(tshark: &str, file: &Path, extra: &[&str]) -> String {
    let o = Command::new(tshark)
        .arg("-r")
        .arg(file)
        .args(CHECKS)
        .args(extra)
        .output()
        .expect("tshark runs");
    assert!(
        o.status.success(),
        "tshark failed on {}: {}",
        file.display(),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// The expert items of warning level and above that tshark reports for `file`.
fn expert_warnings(tshark: &str, file: &Path) -> String {
    let out = tshark_out(tshark, file, &["-q", "-z", "expert,warn"]);
    out.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('=') && !l.contains("Expert Info"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The checksum verdicts tshark gives, one line per field (1 = good, 0 = bad).
fn checksum_status(tshark: &str, file: &Path) -> Vec<String> {
    let fields = [
        "ip.checksum.status",
        "tcp.checksum.status",
        "udp.checksum.status",
        "icmp.checksum.status",
        "eth.fcs.status",
    ];
    let mut args = vec!["-T", "fields", "-E", "occurrence=f"];
    for f in fields {
        args.extend(["-e", f]);
    }
    let out = tshark_out(tshark, file, &args);
    out.trim_end_matches('\n')
        .split('\t')
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

#[test]
fn every_written_capture_opens_in_tshark_clean() {
    let Some(tshark) = tshark() else { return };
    let dir = temp_dir("interop");
    let cases: &[&[&str]] = &[
        &[],
        &["--proto", "udp", "--to", "192.168.11.53:5000"],
        &["--proto", "icmp"],
        &["--proto", "arp"],
        &["--proto", "arp", "--to", "8.8.8.8"],
        &["--vlan", "10:5"],
        &[
            "--flags",
            "SYN",
            "--seq",
            "0",
            "--mss",
            "1460",
            "--payload-hex",
            "",
        ],
        &["--payload", "你好,世界", "--df"],
        &[
            "--from",
            "192.168.11.34/24",
            "--gateway",
            "192.168.11.1",
            "--to",
            "8.8.8.8:80",
        ],
        &["--fcs"],
        &["--fcs", "--proto", "arp", "--vlan", "7"],
        &["--payload-hex", &"ab".repeat(1460)],
    ];
    for (i, args) in cases.iter().enumerate() {
        for ext in ["pcap", "pcapng"] {
            let file = dir.join(format!("case{i}.{ext}"));
            let mut all = vec!["encode", "-o", file.to_str().unwrap()];
            all.extend_from_slice(args);
            let o = run(&all);
            assert!(o.status.success(), "{args:?}: {}", stderr(&o));
            assert_eq!(
                expert_warnings(tshark, &file),
                "",
                "{args:?} ({ext}): tshark warns"
            );
            let status = checksum_status(tshark, &file);
            assert!(
                !status.is_empty() || args.contains(&"arp"),
                "{args:?}: no checksum checked"
            );
            assert!(
                status.iter().all(|s| s == "1"),
                "{args:?} ({ext}): checksum verdicts {status:?}"
            );
            if args.contains(&"--fcs") {
                assert_eq!(
                    status.last().map(String::as_str),
                    Some("1"),
                    "{args:?}: FCS checked and good"
                );
            }
        }
    }
}

#[test]
fn the_issue_example_udp_to_dns_has_good_checksums() {
    let Some(tshark) = tshark() else { return };
    let dir = temp_dir("interop-dns");
    let file = dir.join("x.pcap");
    let o = run(&[
        "encode",
        "--proto",
        "udp",
        "--to",
        "192.168.11.53:dns",
        "--payload",
        "hi",
        "-o",
        file.to_str().unwrap(),
    ]);
    assert!(o.status.success());
    let out = tshark_out(tshark, &file, &["-V"]);
    assert!(
        out.contains("User Datagram Protocol, Src Port: 51000, Dst Port: 53"),
        "{out}"
    );
    assert!(out.contains("[Header checksum status: Good]"), "{out}");
    assert!(out.contains("[Checksum Status: Good]"), "{out}");
    assert_eq!(checksum_status(tshark, &file), ["1", "1"]);
}

#[test]
fn tshark_sees_each_fault() {
    let Some(tshark) = tshark() else { return };
    let dir = temp_dir("interop-faults");
    let cases: [(&str, &str); 3] = [
        ("bad-ip-checksum", "IPv4  Bad checksum [should be 0xe321]"),
        ("bad-l4-checksum", "TCP  Bad checksum [should be 0xeaf0]"),
        ("ttl-zero", "Time To Live"),
    ];
    for (fault, expected) in cases {
        let file = dir.join(format!("{fault}.pcapng"));
        assert!(
            run(&["encode", "--fault", fault, "-o", file.to_str().unwrap()])
                .status
                .success()
        );
        let all = tshark_out(tshark, &file, &["-q", "-z", "expert"]);
        assert!(all.contains(expected), "{fault}: {all}");
    }
    let file = dir.join("cut.pcap");
    assert!(run(&[
        "encode",
        "--fault",
        "truncate=40",
        "-o",
        file.to_str().unwrap()
    ])
    .status
    .success());
    let lengths = tshark_out(
        tshark,
        &file,
        &["-T", "fields", "-e", "frame.len", "-e", "frame.cap_len"],
    );
    assert_eq!(lengths.trim(), "60\t40");
}

/// The times tshark reads from `file`, in seconds since the epoch.
fn tshark_times(tshark: &str, file: &Path) -> Vec<f64> {
    tshark_out(tshark, file, &["-T", "fields", "-e", "frame.time_epoch"])
        .lines()
        .map(|l| l.trim().parse().expect("a time"))
        .collect()
}

/// Every capture `encode`, `tcp` and `journey` write has the times they chose, as tshark
/// reads them, in pcap and in pcapng alike (pcapng once had them 1000x too large: the
/// nanoseconds written were read as microseconds).
#[test]
fn written_captures_keep_their_times_in_tshark() {
    let Some(tshark) = tshark() else { return };
    let dir = temp_dir("interop-times");
    let epoch = 1_732_500_000.0;
    for ext in ["pcap", "pcapng"] {
        let file = dir.join(format!("encode.{ext}"));
        let o = crate::util::layers()
            .env("SOURCE_DATE_EPOCH", "1732500000")
            .args(["encode", "-o", file.to_str().unwrap()])
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", stderr(&o));
        assert_eq!(tshark_times(tshark, &file), [epoch], "encode -o {ext}");

        // tcp: the ladder's milliseconds after the same epoch, each step a few ms.
        let file = dir.join(format!("tcp.{ext}"));
        assert!(run(&["tcp", "-o", file.to_str().unwrap()]).status.success());
        let times = tshark_times(tshark, &file);
        assert!(times.len() >= 8, "tcp -o {ext}: {times:?}");
        assert!((times[0] - epoch).abs() < 1e-3, "tcp -o {ext}: {times:?}");
        let span = times[times.len() - 1] - times[0];
        assert!(
            span > 0.0 && span < 5.0,
            "tcp -o {ext}: the ladder lasts {span} s"
        );

        // journey: one frame every 10 µs.
        let file = dir.join(format!("journey.{ext}"));
        assert!(run(&["journey", "-o", file.to_str().unwrap()])
            .status
            .success());
        let times = tshark_times(tshark, &file);
        assert!(times.len() >= 2, "journey -o {ext}: {times:?}");
        for (i, t) in times.iter().enumerate() {
            let want = epoch + i as f64 * 10e-6;
            assert!(
                (t - want).abs() < 1e-7,
                "journey -o {ext} frame {i}: {t} != {want}"
            );
        }
    }
}
