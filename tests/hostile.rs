//! Hostile inputs: each class of input that once asked for unbounded memory or time, run
//! under a memory ceiling (the shell's `ulimit -v`) and a deadline, so a blow-up fails the
//! test instead of the machine.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::util::temp_dir;

/// The address space a run may use: far above what `layers` needs (a few MB, plus thread
/// stacks), far below what the old blow-ups asked for (GBs).
const MEMORY_KB: u64 = 1 << 20;
/// How long a run may take.
const DEADLINE: Duration = Duration::from_secs(20);

/// What a bounded run gave.
struct Bounded {
    code: Option<i32>,
    stdout: String,
    stderr: String,
    took: Duration,
}

/// Runs `layers ARGS` with at most [`MEMORY_KB`] of address space and [`DEADLINE`] of time.
fn bounded(args: &[&str]) -> Bounded {
    let mut cmd = Command::new("sh");
    cmd.arg("-c")
        .arg(format!("ulimit -v {MEMORY_KB} && exec \"$0\" \"$@\""))
        .arg(env!("CARGO_BIN_EXE_layers"))
        .args(args)
        .env_remove("LANG")
        .env_remove("LC_ALL")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let start = Instant::now();
    let mut child = cmd.spawn().expect("sh runs");
    // Read both pipes on threads, so a chatty run cannot block on a full pipe.
    let reader = |mut r: Box<dyn Read + Send>| {
        std::thread::spawn(move || {
            let mut v = Vec::new();
            let _ = r.read_to_end(&mut v);
            String::from_utf8_lossy(&v).into_owned()
        })
    };
    let o = reader(Box::new(child.stdout.take().expect("piped")));
    let e = reader(Box::new(child.stderr.take().expect("piped")));
    let code = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status.code();
        }
        if start.elapsed() > DEADLINE {
            let _ = child.kill();
            let _ = child.wait();
            panic!("layers {args:?} ran past {DEADLINE:?}");
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    Bounded {
        code,
        stdout: o.join().expect("reader"),
        stderr: e.join().expect("reader"),
        took: start.elapsed(),
    }
}

/// The run ended by itself with `code`, in bounded memory, printing no panic.
fn assert_refused(b: &Bounded, code: i32, says: &str) {
    assert_eq!(b.code, Some(code), "exit code; stderr: {}", b.stderr);
    assert!(!b.stderr.contains("panicked"), "{}", b.stderr);
    assert!(!b.stderr.contains("memory allocation"), "{}", b.stderr);
    assert!(b.stderr.contains(says), "{says:?} in {}", b.stderr);
}

/// A raw input is one frame: /dev/zero and /dev/urandom are refused after 256 KiB, not
/// read whole (they once grew to 8 GB and 1.4 GB).
#[test]
fn endless_raw_input_is_refused_in_constant_memory() {
    for (file, extra) in [("/dev/zero", None), ("/dev/urandom", Some("--oneline"))] {
        if !Path::new(file).exists() {
            continue;
        }
        let mut args = vec!["decode", file];
        args.extend(extra);
        let b = bounded(&args);
        assert_refused(&b, 1, "a raw frame is at most 262144 bytes");
        assert!(b.took < Duration::from_secs(5), "{file}: {:?}", b.took);
    }
    let b = bounded(&["encode", "--payload-file", "/dev/zero"]);
    assert_refused(&b, 2, "more than 65535 bytes");
}

/// Hex text cannot expand without bound: a hexdump `*` gap to a far offset (once an 8 GiB
/// allocation and an abort), bytes past the largest frame, text past 64 MiB; and a bad
/// token is quoted short.
#[test]
fn hex_text_cannot_ask_for_unbounded_memory() {
    let dir = temp_dir("hostile-hex");
    let gap = dir.join("gap.hex");
    std::fs::write(
        &gap,
        "00000000  45 00 00 54 00 00 40 00  40 01 00 00 7f 00 00 01  |E..T..@.@.......|\n*\n200000000\n",
    )
    .unwrap();
    let b = bounded(&["decode", gap.to_str().unwrap()]);
    assert_refused(
        &b,
        1,
        "hex text line 3 (byte 81): the frame would grow past 262144 bytes",
    );
    // One frame of 300,000 bytes written as plain hex.
    let long = dir.join("long.hex");
    std::fs::write(&long, "00 ".repeat(300_000)).unwrap();
    let b = bounded(&["decode", long.to_str().unwrap()]);
    assert_refused(&b, 1, "the frame would grow past 262144 bytes");
    let huge = dir.join("huge.hex");
    let line = "00 11 22 33 44 55 66 77 88 99 aa bb cc dd ee ff\n\n";
    std::fs::write(&huge, line.repeat((65 << 20) / line.len())).unwrap();
    let b = bounded(&["decode", huge.to_str().unwrap(), "--stats"]);
    assert_refused(&b, 1, "hex text longer than 64 MiB");
    let bad = dir.join("bad.hex");
    std::fs::write(&bad, format!("00 11 {}\n", "zz".repeat(1_000_000))).unwrap();
    let b = bounded(&["decode", bad.to_str().unwrap()]);
    assert_refused(&b, 1, "is not hex");
    assert!(
        b.stderr.len() < 300,
        "the token is quoted short: {} bytes",
        b.stderr.len()
    );
    let _ = &b.stdout;
}
