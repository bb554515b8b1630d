//! `layers table` and `layers quiz`: the dictation contract, answer matching from a script,
//! seeds, every topic, the progress file and the Anki export.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

use crate::util::{layers, run, stderr, stdout, temp_dir};

/// `layers quiz ARGS...` with `answers` on stdin and its own progress directory.
fn quiz(data: &Path, args: &[&str], answers: &str) -> Output {
    quiz_bytes(data, args, answers.as_bytes())
}

fn quiz_bytes(data: &Path, args: &[&str], answers: &[u8]) -> Output {
    let mut child = layers()
        .arg("quiz")
        .args(args)
        .env("XDG_DATA_HOME", data)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(answers).unwrap();
    child.wait_with_output().unwrap()
}

fn last_line(o: &Output) -> String {
    stdout(o).lines().last().unwrap_or_default().to_string()
}

const ZH_RIGHT: &str = "HTTP，SMTP，POP3\n无\nTCP和UDP\n四层交换机、四层的路由器\nIP协议\n路由器 三层交换机\narp协议\n网桥、以太网交换机、网卡\n无\n中继器、集线器、双绞线\n";
const EN_ALIASES: &str = "pop3 / smtp / http\nnone\nudp, tcp\nL4 router and L4 switch\nIPv4\nL3 switch, gateway\naddress resolution protocol\nnetwork card; switch; network bridge\n-\nhub, repeater, cable\n";

#[test]
fn the_dictation_in_chinese_and_in_english_aliases_scores_ten() {
    let dir = temp_dir("quiz-right");
    for (answers, lang) in [(ZH_RIGHT, "zh"), (EN_ALIASES, "en"), (ZH_RIGHT, "en")] {
        let o = quiz(
            &dir,
            &["--lang", lang, "--topic", "table", "--model", "tcpip5"],
            answers,
        );
        assert!(o.status.success(), "{}", stderr(&o));
        let score = if lang == "zh" {
            "得分:10/10"
        } else {
            "score: 10/10"
        };
        assert_eq!(last_line(&o), score, "{}", stdout(&o));
        assert_eq!(stdout(&o).matches("/10 ").count(), 10, "ten prompts");
    }
    let o = quiz(&dir, &["--lang", "zh"], ZH_RIGHT);
    let text = stdout(&o);
    let prompts: Vec<&str> = text.lines().filter(|l| l.contains("/10 ")).collect();
    assert_eq!(prompts[0], "1/10 应用层 对应协议:");
    assert_eq!(prompts[1], "2/10 应用层 对应设备:");
    assert_eq!(prompts[9], "10/10 物理层 对应设备:");
}

#[test]
fn ten_wrong_answers_score_zero_and_show_every_right_one() {
    let dir = temp_dir("quiz-wrong");
    let o = quiz(&dir, &[], &"wrong\n".repeat(10));
    let out = stdout(&o);
    assert_eq!(last_line(&o), "score: 0/10");
    for right in [
        "application layer: protocols? HTTP, SMTP, POP3 (you: wrong)",
        "transport layer: devices? layer-4 switch, layer-4 router (you: wrong)",
        "physical layer: devices? repeater, hub, twisted pair (you: wrong)",
        "physical layer: protocols? none (you: wrong)",
    ] {
        assert!(out.contains(right), "missing {right:?} in\n{out}");
    }
}

#[test]
fn partial_answers_get_partial_credit_and_named_feedback() {
    let dir = temp_dir("quiz-partial");
    let answers = "HTTP\n无\nTCP, UDP\nL4 switch, hub\n";
    let o = quiz(&dir, &[], answers);
    let out = stdout(&o);
    assert!(
        out.contains("partly right (0.3): right: HTTP; missing: SMTP, POP3; does not belong: -"),
        "{out}"
    );
    assert!(
        out.contains("not right: the answer is layer-4 switch, layer-4 router"),
        "one right, one wrong: {out}"
    );
    // 1/3 + 1 + 1 + 0, then six unanswered prompts.
    assert_eq!(last_line(&o), "score: 2.3/10");
    let zh = quiz(&dir, &["--lang", "zh"], "HTTP, 交换机\n");
    assert!(
        stdout(&zh).contains("部分正确(0):") || stdout(&zh).contains("不对"),
        "{}",
        stdout(&zh)
    );
}

#[test]
fn seeds_decide_the_questions() {
    let dir = temp_dir("quiz-seed");
    let prompts = |seed: &str| -> Vec<String> {
        let o = quiz(
            &dir,
            &["--topic", "all", "--count", "8", "--seed", seed],
            "",
        );
        stdout(&o)
            .lines()
            .filter(|l| l.contains("/8 "))
            .map(str::to_string)
            .collect()
    };
    assert_eq!(prompts("7"), prompts("7"));
    assert_ne!(prompts("7"), prompts("8"));
    assert_eq!(prompts("7").len(), 8);
}

#[test]
fn every_topic_asks_and_marks() {
    let dir = temp_dir("quiz-topics");
    for topic in [
        "table", "layer-of", "devices", "pdu", "ports", "subnet", "tcp", "tcp-udp", "all",
    ] {
        for mode in ["typed", "choice"] {
            let o = quiz(
                &dir,
                &[
                    "--topic", topic, "--mode", mode, "--count", "5", "--seed", "1",
                ],
                "",
            );
            assert!(o.status.success(), "{topic}: {}", stderr(&o));
            assert!(
                last_line(&o).starts_with("score: 0/"),
                "{topic}: {}",
                stdout(&o)
            );
        }
    }
    // Right answers, from the questions' own answer lines.
    let o = quiz(
        &dir,
        &["--topic", "tcp", "--count", "12", "--seed", "3"],
        "",
    );
    let rights: Vec<String> = stdout(&o)
        .lines()
        .filter_map(|l| {
            l.trim()
                .strip_prefix("skipped: the answer is ")
                .map(str::to_string)
        })
        .collect();
    assert_eq!(rights.len(), 12);
    let answers: String = rights.iter().map(|r| format!("{r}\n")).collect();
    let o = quiz(
        &dir,
        &["--topic", "tcp", "--count", "12", "--seed", "3"],
        &answers,
    );
    assert_eq!(last_line(&o), "score: 12/12", "{}", stdout(&o));
    // The seed's own spelling of SYN_SENT counts.
    let o = quiz(
        &dir,
        &["--topic", "tcp", "--count", "1", "--seed", "3"],
        "SYN_SEND\n",
    );
    let out = stdout(&o);
    if out.contains("client sends SYN.") {
        assert_eq!(last_line(&o), "score: 1/1");
    }
}

#[test]
fn choice_mode_takes_letters() {
    let dir = temp_dir("quiz-choice");
    let o = quiz(
        &dir,
        &[
            "--topic", "pdu", "--mode", "choice", "--count", "1", "--seed", "4",
        ],
        "",
    );
    let out = stdout(&o);
    let right = out
        .lines()
        .find_map(|l| l.trim().strip_prefix("skipped: the answer is "))
        .unwrap()
        .to_string();
    let letter = out.lines().find_map(|l| {
        let l = l.trim();
        (l.len() > 3 && l.ends_with(&format!(") {right}"))).then(|| l[..1].to_string())
    });
    let letter = letter.expect("the right answer is among the options");
    let o = quiz(
        &dir,
        &[
            "--topic", "pdu", "--mode", "choice", "--count", "1", "--seed", "4",
        ],
        &format!("{}\n", letter.to_lowercase()),
    );
    assert_eq!(last_line(&o), "score: 1/1", "{}", stdout(&o));
}

#[test]
fn hints_skips_and_quitting() {
    let dir = temp_dir("quiz-keys");
    let o = quiz(&dir, &[], ":hint\nHTTP, SMTP, POP3\n:skip\nq\n");
    let out = stdout(&o);
    assert!(out.contains("hint: 3 of them"));
    assert!(out.contains("skipped: the answer is none"));
    assert!(
        out.contains("3/10") && !out.contains("4/10"),
        "q stops the quiz"
    );
    // Quitting scores the questions answered, and says how many were not.
    assert_eq!(last_line(&o), "score: 1/2 (8 not answered: you quit)");
}

/// What the course's text or the standard also places at a layer is right, not "does not
/// belong"; a multi-word name stays whole; --count outside the bank says so.
#[test]
fn right_extras_cost_nothing_and_names_stay_whole() {
    let dir = temp_dir("quiz-extras");
    let answers = "HTTP, SMTP, POP3, FTP, DNS, Telnet\n无\nTCP和UDP\n四层交换机、四层的路由器\nIP, ICMP\n路由器 三层交换机\nARP\n网桥、以太网交换机、网卡、无线接入点\n无\n中继器、集线器、双绞线\n";
    let o = quiz(&dir, &["--lang", "zh"], answers);
    assert_eq!(last_line(&o), "得分:10/10", "{}", stdout(&o));
    let o = quiz(
        &dir,
        &[],
        "HTTP, SMTP, POP3\nnone\nTCP, UDP\nL4 switch, L4 router\nIP\nrouter, L3 switch\nARP\nbridge, switch, NIC, smart fridge\n",
    );
    let out = stdout(&o);
    assert!(out.contains("does not belong: smart fridge"), "{out}");
    // Arabic digits and RFC names count: 4层交换机, IP 数据报, TCP和UDP for DNS.
    let o = quiz(
        &dir,
        &["--lang", "zh"],
        "HTTP, SMTP, POP3\n无\nTCP, UDP\n4层交换机、4层的路由器\nIP\n路由器、3层交换机\n",
    );
    assert!(stdout(&o).matches("正确").count() >= 6, "{}", stdout(&o));
    let o = quiz(&dir, &["--topic", "pdu", "--count", "500"], "");
    assert!(
        stderr(&o).contains("--count 500: this topic has only"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn the_progress_file_fresh_existing_and_corrupt() {
    let dir = temp_dir("quiz-progress");
    let file = dir.join("layers").join("progress.json");
    assert!(!file.exists());
    quiz(&dir, &[], "wrong\nnone\n");
    let p: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(
        p["boxes"]["table:application:protocols"], 1,
        "missed: box 1"
    );
    assert_eq!(
        p["boxes"]["table:application:devices"], 2,
        "right: up a box"
    );
    // --review asks what was missed first.
    let o = quiz(&dir, &["--review", "--count", "1"], "");
    assert!(
        stdout(&o).contains("1/1 application layer: protocols?"),
        "{}",
        stdout(&o)
    );
    // A corrupt file is set aside with a message, never a crash, never lost.
    std::fs::write(&file, "{ not progress").unwrap();
    let o = quiz(&dir, &[], "wrong\n");
    assert!(o.status.success());
    assert!(
        stderr(&o).contains("could not be read as layers progress; it was moved to"),
        "{}",
        stderr(&o)
    );
    let aside = file.with_extension("json.corrupt-1");
    assert_eq!(std::fs::read_to_string(aside).unwrap(), "{ not progress");
    assert!(file.exists(), "a fresh one is written");
    // Questions past the end of the input are shown, not counted: the box stays.
    let before = std::fs::read_to_string(&file).unwrap();
    let o = quiz(&dir, &[], "");
    assert!(stdout(&o).contains("skipped"), "{}", stdout(&o));
    assert_eq!(std::fs::read_to_string(&file).unwrap(), before);
    // An answer that is not UTF-8 is shown replaced, and the answers before it are kept.
    let o = quiz_bytes(&dir, &[], b"application\n\xff\xfe\n");
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("\u{fffd}\u{fffd}"), "{}", stdout(&o));
    let p: Value = serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(
        p["boxes"]["table:application:devices"], 1,
        "the replaced answer counted"
    );
}

#[test]
fn questions_from_a_real_frame() {
    let dir = temp_dir("quiz-from");
    let capture = format!(
        "{}/fixtures/netns-arp-ping.pcap",
        env!("CARGO_MANIFEST_DIR")
    );
    let o = quiz(
        &dir,
        &[
            "--from", &capture, "--frame", "3", "--count", "20", "--seed", "1",
        ],
        "",
    );
    let out = stdout(&o);
    assert!(
        out.contains("Which protocol do bytes 34-97 of this frame belong to?"),
        "{out}"
    );
    assert!(out.contains("Bytes 0-13 are the header of what PDU?"));
    let o = quiz(&dir, &["--from", &capture, "--frame", "9"], "");
    assert_eq!(o.status.code(), Some(1));
}

#[test]
fn the_anki_export_is_a_package_with_every_note() {
    let dir = temp_dir("quiz-anki");
    let deck = dir.join("layers.apkg");
    let o = quiz(
        &dir,
        &["--topic", "table", "--export-anki", deck.to_str().unwrap()],
        "",
    );
    assert_eq!(stdout(&o), format!("wrote {} (10 notes)\n", deck.display()));
    let bytes = std::fs::read(&deck).unwrap();
    assert_eq!(&bytes[..4], b"PK\x03\x04", "a zip archive");
    // Count the notes in the SQLite collection inside, with Python's standard library.
    let script = "import sqlite3, sys, tempfile, zipfile\n\
                  z = zipfile.ZipFile(sys.argv[1]); d = tempfile.mkdtemp()\n\
                  p = z.extract('collection.anki2', d)\n\
                  print(sqlite3.connect(p).execute('select count(*) from notes').fetchone()[0])";
    match Command::new("python3")
        .arg("-c")
        .arg(script)
        .arg(&deck)
        .output()
    {
        Ok(py) if py.status.success() => {
            assert_eq!(String::from_utf8_lossy(&py.stdout).trim(), "10")
        }
        _ => {
            let _ = writeln!(
                std::io::stderr(),
                "skipped: python3 with sqlite3 is not available to open the deck"
            );
        }
    }
}

#[test]
fn the_table_in_each_model_and_language() {
    let five = stdout(&run(&["table"]));
    assert!(
        five.contains(
            "│ 4     ┆ transport   ┆ TCP, UDP         ┆ layer-4 switch, layer-4 router │"
        ),
        "{five}"
    );
    assert!(five.contains("* the course files ARP under data link"));
    let zh = stdout(&run(&["--lang", "zh", "table", "--pdu"]));
    assert!(zh.contains("网桥、以太网交换机、网卡"));
    assert!(zh.contains("│ 2     ┆ 数据链路层 ┆ 帧     ┆"), "{zh}");
    let seven = stdout(&run(&["table", "--model", "osi7"]));
    assert!(seven.contains("presentation") && seven.contains("session"));
    let four: Value =
        serde_json::from_str(&stdout(&run(&["table", "--model", "tcpip4", "--json"]))).unwrap();
    assert_eq!(four.as_array().unwrap().len(), 4);
    assert_eq!(four[3]["osi"], serde_json::json!([1, 2]));
    assert_eq!(four[3]["layer_zh"], "网络接口层");
}

/// What the table cites is what the sources say: RFC 826 places ARP at no OSI layer, and a
/// character encoding (UTF-8) is no presentation-layer protocol.
#[test]
fn the_table_cites_its_sources_truly() {
    for lang in ["en", "zh"] {
        for model in ["tcpip5", "osi7", "tcpip4"] {
            let o = run(&["--lang", lang, "table", "--model", model]);
            assert!(o.status.success());
            let text = stdout(&o);
            assert!(!text.contains("UTF-8"), "{lang} {model}: {text}");
            assert!(!text.contains("RFC 826 places"), "{lang} {model}: {text}");
            assert!(
                !text.contains("按 RFC 826 它介于"),
                "{lang} {model}: {text}"
            );
        }
    }
    let text = stdout(&run(&["table", "--model", "osi7"]));
    assert!(
        text.contains("RFC 826, which defines it, names no OSI layer"),
        "{text}"
    );
}

/// The progress file is written whole through a unique temporary file: a symlink planted
/// at the old fixed temporary name is not followed, and quizzes run at once leave a valid
/// file and no temporary one.
#[test]
fn progress_is_written_atomically() {
    let dir = temp_dir("quiz-atomic");
    let layers_dir = dir.join("layers");
    std::fs::create_dir_all(&layers_dir).unwrap();
    let victim = dir.join("victim.txt");
    std::fs::write(&victim, "keep me").unwrap();
    std::os::unix::fs::symlink(&victim, layers_dir.join("progress.json.tmp")).unwrap();
    let o = quiz(&dir, &[], "none\n");
    assert!(o.status.success(), "{}", stderr(&o));
    assert_eq!(std::fs::read_to_string(&victim).unwrap(), "keep me");
    std::fs::remove_file(layers_dir.join("progress.json.tmp")).unwrap();
    let children: Vec<_> = (0..6)
        .map(|_| {
            let mut c = layers()
                .args(["quiz", "--topic", "all", "--count", "3", "--seed", "1"])
                .env("XDG_DATA_HOME", &dir)
                .stdin(Stdio::piped())
                .stdout(Stdio::null())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap();
            c.stdin.take().unwrap().write_all(b"x\ny\nz\n").unwrap();
            c
        })
        .collect();
    for c in children {
        let o = c.wait_with_output().unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        assert!(!String::from_utf8_lossy(&o.stderr).contains("could not be read"));
    }
    let text = std::fs::read_to_string(layers_dir.join("progress.json")).unwrap();
    serde_json::from_str::<Value>(&text).expect("whole JSON");
    let left: Vec<_> = std::fs::read_dir(&layers_dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp"))
        .collect();
    assert!(left.is_empty(), "temporary files left: {left:?}");
}
