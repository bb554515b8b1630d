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
        let stdin = match argv.iter().position(|w| w == "<") {
            Some(i) => {
                let file = argv[i + 1].clone();
                argv.truncate(i);
                Stdio::from(std::fs::File::open(dir.join(file)).unwrap())
            }
            None => Stdio::null(),
        };
        let o = layers()
            .args(&argv[1..])
            .current_dir(&dir)
            .env("XDG_DATA_HOME", dir.join("data"))
            .stdin(stdin)
            .output()
            .unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
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
