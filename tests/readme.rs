//! The README's console sessions, run and compared: `$ layers ...` lines are commands, the
//! lines after them their output (stdout, then stderr); a line `...` stands for any number
//! of lines. Commands run in a fresh directory, with no locale and no colour.

use std::path::Path;
use std::process::Stdio;

use crate::util::{layers, temp_dir};

/// A command line split into words, with double and single quotes.
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word = String::new();
    let mut quote = None;
    let mut started = false;
    for c in line.chars() {
        match (quote, c) {
            (None, '"' | '\'') => {
                quote = Some(c);
                started = true;
            }
            (Some(q), c) if c == q => quote = None,
            (None, ' ') => {
                if started {
                    out.push(std::mem::take(&mut word));
                    started = false;
                }
            }
            (_, c) => {
                word.push(c);
                started = true;
            }
        }
    }
    if started {
        out.push(word);
    }
    out
}

/// Whether `actual` matches `expected`, where a `...` line matches any run of lines.
fn matches(expected: &[&str], actual: &[&str]) -> bool {
    match expected.split_first() {
        None => actual.is_empty(),
        Some((&"...", rest)) => (0..=actual.len()).any(|skip| matches(rest, &actual[skip..])),
        Some((line, rest)) => actual.first() == Some(line) && matches(rest, &actual[1..]),
    }
}

struct Session {
    command: String,
    expected: Vec<String>,
}

fn sessions(readme: &str) -> Vec<Session> {
    let mut out: Vec<Session> = Vec::new();
    let mut in_console = false;
    for line in readme.lines() {
        if line.starts_with("```") {
            in_console = line == "```console";
            continue;
        }
        if !in_console {
            continue;
        }
        match line.strip_prefix("$ ") {
            Some(cmd) => out.push(Session {
                command: cmd.to_string(),
                expected: Vec::new(),
            }),
            None => out
                .last_mut()
                .expect("output before any command")
                .expected
                .push(line.to_string()),
        }
    }
    out
}

/// Runs `layers ARGS` in `dir` (its own data directory), standard input from the file
/// `stdin` there if given; returns what it printed, stdout then stderr.
fn run_in(dir: &Path, args: &[String], stdin: Option<&str>) -> String {
    let stdin = match stdin {
        Some(f) => Stdio::from(std::fs::File::open(dir.join(f)).unwrap()),
        None => Stdio::null(),
    };
    let o = layers()
        .args(args)
        .current_dir(dir)
        .env("XDG_DATA_HOME", dir.join("data"))
        .stdin(stdin)
        .output()
        .unwrap();
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

#[test]
fn the_readme_sessions_print_what_the_readme_says() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let all = sessions(&readme);
    assert!(all.len() >= 10, "the README has a session per flag group");
    let dir = temp_dir("readme");
    // Sessions name the fixtures as a reader in the repository would.
    std::os::unix::fs::symlink(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures"),
        dir.join("fixtures"),
    )
    .unwrap();
    for s in all {
        let mut argv = words(&s.command);
        assert_eq!(argv[0], "layers", "{}", s.command);
        // `< FILE` feeds the command's standard input, as a shell would.
        let stdin = argv.iter().position(|w| w == "<").map(|i| {
            let file = argv[i + 1].clone();
            argv.truncate(i);
            file
        });
        let text = run_in(&dir, &argv[1..], stdin.as_deref());
        let actual: Vec<&str> = text.lines().collect();
        let expected: Vec<&str> = s.expected.iter().map(String::as_str).collect();
        assert!(
            matches(&expected, &actual),
            "$ {}\n--- README expects:\n{}\n--- layers printed:\n{}",
            s.command,
            expected.join("\n"),
            text
        );
    }
}

#[test]
fn the_session_matcher_itself() {
    assert_eq!(
        words(r#"layers encode --payload-hex "de ad" --x '' y"#),
        ["layers", "encode", "--payload-hex", "de ad", "--x", "", "y"]
    );
    assert!(matches(&["a", "...", "d"], &["a", "b", "c", "d"]));
    assert!(matches(&["...", "d"], &["d"]));
    assert!(!matches(&["a", "...", "d"], &["a", "b"]));
    assert!(!matches(&["a"], &["a", "b"]));
}

/// Shell completions and man pages come from the same clap definitions: every command is
/// in them, and a closed pipe ends them quietly.
#[test]
fn completions_and_man_pages_cover_every_command() {
    let commands = [
        "encode", "decode", "table", "quiz", "subnet", "port", "journey", "tcp",
    ];
    for (shell, marker) in [
        ("bash", "_layers()"),
        ("zsh", "#compdef layers"),
        ("fish", "complete -c layers"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let o = layers().args(["completions", shell]).output().unwrap();
        assert!(o.status.success(), "{shell}");
        let script = String::from_utf8(o.stdout).unwrap();
        assert!(script.contains(marker), "{shell}: {marker}");
        for c in commands {
            assert!(script.contains(c), "{shell} completion lacks {c}");
        }
    }
    let o = layers().arg("man").output().unwrap();
    let page = String::from_utf8(o.stdout).unwrap();
    assert!(page.contains(".TH layers 1"), "{page}");
    let dir = temp_dir("man-pages");
    let o = layers().args(["man", "--dir"]).arg(&dir).output().unwrap();
    assert!(o.status.success());
    for c in commands {
        let page = std::fs::read_to_string(dir.join(format!("layers-{c}.1"))).unwrap();
        assert!(page.contains(&format!(".TH layers-{c} 1")), "{c}");
        assert!(
            page.contains(&format!("\\fBlayers {c}\\fR")),
            "{c}: synopsis"
        );
    }
    // Read by a pipe that closes at once: no panic, no message.
    let mut child = layers()
        .args(["completions", "bash"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let o = child.wait_with_output().unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(
        o.stderr.is_empty(),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

/// Words a Chinese reader sees in Latin letters on purpose: protocol, standard, format and
/// tool names, units, and the notations of addresses and numbers. Acronyms and names in
/// capitals (TCP, SYN_RCVD, TIME_WAIT) are allowed without being listed.
const LATIN_IN_ZH: &[&str] = &[
    "IPv4",
    "IPv6",
    "ICMPv6",
    "Ethernet",
    "Wireshark",
    "Linux",
    "tcpdump",
    "tshark",
    "pcap",
    "pcapng",
    "Gbit",
    "Mbit",
    "ns",
    "ms",
    "s",
    "bit",
    "layers",
    "zh",
    "en",
    "auto",
    "always",
    "never",
    "tcp",
    "udp",
    "icmp",
    "arp",
    "raw",
    "hex",
    "tcpip5",
    "tcpip4",
    "osi7",
    "table",
    "layer",
    "of",
    "devices",
    "pdu",
    "ports",
    "subnet",
    "all",
    "typed",
    "choice",
    "client",
    "server",
    "both",
    "final",
    "ack",
    "fin",
    "syn",
    "data",
    "bash",
    "zsh",
    "fish",
    "powershell",
    "elvish",
    "encode",
    "decode",
    "quiz",
    "port",
    "journey",
    "chat",
    "capture",
    "serve",
    "connect",
    "completions",
    "man",
    "help",
    "roff",
    "xxd",
    "printf",
    "apkg",
    "Anki",
    "TOML",
    "host",
    "switch",
    "hub",
    "router",
    "interface",
    "route",
    "README",
    "JSON",
    "Lines",
    "UTF",
    "socket",
    "http",
    "dns",
    "domain",
    "smtp",
    "ip",
    "checksum",
    "ttl",
    "zero",
    "truncate",
    "bad",
    "l4",
    "b",
    "fpath",
    "zshrc",
    "local",
    "share",
    "completions",
    "config",
    "zfunc",
    "json",
    "toml",
    "dir",
    "net",
    "journey",
    "pcapng",
    "mask",
    "cwr",
    "ece",
    "urg",
    "psh",
    "rst",
    "Telnet",
    "shell",
    "ping",
    "zh_",
];

/// The English words in `text`, a run of `layers --lang zh`: Latin words that are not
/// data (quoted, hex dumps), flags, file names or the allowed names above.
fn english_words(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for line in text.lines() {
        let t = line.trim_start();
        // Hex dump rows and the layer letters under them.
        let b = t.as_bytes();
        let offset = b.len() > 6 && b[..4].iter().all(u8::is_ascii_hexdigit) && &b[4..6] == b"  ";
        let letters = !t.is_empty() && t.split(' ').all(|w| w.len() <= 1);
        // Example command lines in the help.
        let code = t.starts_with("layers ") || t.starts_with("sudo layers ") || t.contains(" | ");
        if offset || letters || code {
            continue;
        }
        // Data the user gave or the frame carries is quoted.
        let mut plain = String::new();
        let mut depth = 0;
        for c in line.chars() {
            match c {
                '「' | '"' if depth == 0 => depth = 1,
                '」' | '"' if depth == 1 => depth = 0,
                // A default value in the help is data too.
                ':' if depth == 0 && plain.ends_with("[默认") => depth = 2,
                ']' if depth == 2 => depth = 0,
                _ if depth == 0 => plain.push(c),
                _ => {}
            }
        }
        for token in plain.split(|c: char| c.is_whitespace() || "(),;:、,:;()[]<>|=·".contains(c))
        {
            // Flags, paths and file names, addresses and numbers.
            if token.starts_with('-')
                || token.contains('/')
                || token.contains('.')
                || token.contains('@')
            {
                continue;
            }
            for word in token.split(|c: char| !c.is_ascii_alphanumeric() && c != '_') {
                let Some(first) = word.chars().next() else {
                    continue;
                };
                let acronym = word
                    .chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_');
                // Interface names such as eth1.
                let interface = word.trim_end_matches(|c: char| c.is_ascii_digit()).len()
                    < word.len()
                    && word
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
                let number = interface
                    || first.is_ascii_digit()
                    || (word.len() > 1
                        && word.starts_with('x')
                        && word[1..].chars().all(|c| c.is_ascii_hexdigit()))
                    || word.chars().all(|c| c.is_ascii_hexdigit());
                // A single letter is a key (the hex view's letters), not a word.
                let letter = word.len() == 1;
                if !first.is_ascii_alphabetic()
                    || acronym
                    || number
                    || letter
                    || LATIN_IN_ZH.contains(&word)
                {
                    continue;
                }
                found.push(word.to_string());
            }
        }
    }
    found
}

/// Every command of the README, run with `--lang zh`, and every command's `--help`, and
/// clap's own refusals: no English word a Chinese reader would have to translate.
#[test]
fn chinese_runs_of_the_readme_have_no_english() {
    let readme =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md")).unwrap();
    let dir = temp_dir("readme-zh");
    std::os::unix::fs::symlink(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures"),
        dir.join("fixtures"),
    )
    .unwrap();
    let mut runs: Vec<(Vec<String>, Option<String>)> = Vec::new();
    for s in sessions(&readme) {
        let mut argv = words(&s.command);
        let stdin = argv.iter().position(|w| w == "<").map(|i| {
            let file = argv[i + 1].clone();
            argv.truncate(i);
            file
        });
        argv.remove(0);
        if !argv.iter().any(|w| w == "--lang") {
            argv.push("--lang".into());
            argv.push("zh".into());
        }
        runs.push((argv, stdin));
    }
    for c in [
        "",
        "encode",
        "decode",
        "table",
        "quiz",
        "subnet",
        "port",
        "journey",
        "tcp",
        "completions",
        "man",
    ] {
        for h in ["--help", "-h"] {
            let argv: Vec<String> = [c, h, "--lang", "zh"]
                .iter()
                .filter(|w| !w.is_empty())
                .map(|w| w.to_string())
                .collect();
            runs.push((argv, None));
        }
    }
    for bad in [
        "",
        "encode --protoo udp",
        "decode --format foo",
        "decode --count abc",
        "frobnicate",
        "tcp --rst --lose fin",
        "encode --json --explain",
        "quiz --mode",
    ] {
        let mut argv: Vec<String> = bad.split_whitespace().map(String::from).collect();
        argv.extend(["--lang".to_string(), "zh".to_string()]);
        runs.push((argv, None));
    }
    let mut problems = Vec::new();
    for (argv, stdin) in runs {
        let text = run_in(&dir, &argv, stdin.as_deref());
        assert!(
            !text.trim().is_empty(),
            "layers {} printed nothing",
            argv.join(" ")
        );
        let english = english_words(&text);
        if !english.is_empty() {
            problems.push(format!("layers {}: {}", argv.join(" "), english.join(" ")));
        }
    }
    assert!(
        problems.is_empty(),
        "English in Chinese runs:\n{}",
        problems.join("\n")
    );
}

#[test]
fn the_english_scanner_itself() {
    assert_eq!(
        english_words("目的 MAC  ff:ff:ff:ff:ff:ff(广播)"),
        Vec::<String>::new()
    );
    assert_eq!(
        english_words("数据「hello」 --src-mac x.pcap 0xd5 TIME_WAIT"),
        Vec::<String>::new()
    );
    assert_eq!(english_words("源 source 端口"), ["source"]);
    assert_eq!(
        english_words("0000  02 00 c0 a8 0b 35  .....hello"),
        Vec::<String>::new()
    );
}
