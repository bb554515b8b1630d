//! `--html FILE`: the classroom pages. What they hold is checked against `--json` (the
//! same spans, the same fields); what they do is checked in a real browser (headless
//! Chromium through Playwright, `tests/html_browser.py`), which `.ci/run` installs; without
//! them these browser tests say they were skipped.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

use crate::util::{run, skip_without, stderr, stdout, temp_dir};

fn fixture(name: &str) -> String {
    format!("{}/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}

/// The frames a page holds, as its script reads them: each line of its `frames` element a
/// list row, a tab and the rest; each layer completed from the page's table of protocols,
/// each field as `[key, name, value, start, end]`.
fn page_frames(path: &Path) -> Vec<Value> {
    let protocols = page_data(path)["protocols"].clone();
    let text = std::fs::read_to_string(path).expect("the page is UTF-8");
    let start = text.find("id=\"frames\">").expect("a frames element") + "id=\"frames\">".len();
    let end = start + text[start..].find("</script>").expect("its end");
    text[start..end]
        .lines()
        .filter(|l| !l.is_empty())
        .map(|l| {
            let (row, rest) = l.split_once('\t').expect("a row, a tab, the rest");
            let mut f: Value = serde_json::from_str(row).expect("a JSON row");
            let rest: Value = serde_json::from_str(rest).expect("a JSON frame");
            for (k, v) in rest.as_object().unwrap() {
                f[k] = v.clone();
            }
            for l in f["layers"].as_array_mut().unwrap() {
                for (k, v) in protocols[l["id"].as_str().unwrap()].as_object().unwrap() {
                    l[k] = v.clone();
                }
                for field in l["f"].as_array_mut().unwrap() {
                    let a = field.as_array().unwrap();
                    let name = match a.get(4) {
                        Some(zh) => serde_json::json!({ "en": a[0], "zh": zh }),
                        None => a[0].clone(),
                    };
                    *field = serde_json::json!([a[0], name, a[1], a[2], a[3]]);
                }
            }
            f
        })
        .collect()
}

/// The page's own data: its words, title and what it left out.
fn page_data(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap();
    let start = text.find("id=\"page\">").unwrap() + "id=\"page\">".len();
    let end = start + text[start..].find("</script>").unwrap();
    serde_json::from_str(&text[start..end]).unwrap()
}

fn decode_page(input: &str, out: &Path, extra: &[&str]) -> String {
    let mut args = vec!["decode", input, "--html", out.to_str().unwrap()];
    args.extend_from_slice(extra);
    let o = run(&args);
    assert!(o.status.success(), "{args:?}: {}", stderr(&o));
    stdout(&o)
}

fn json_frames(input: &str) -> Vec<Value> {
    let o = run(&["decode", input, "--json"]);
    assert!(o.status.success(), "{}", stderr(&o));
    stdout(&o)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn a_capture_page_holds_each_frame_with_the_spans_and_fields_of_json() {
    let dir = temp_dir("html-json");
    let mut frames_checked = 0;
    for name in [
        "loopback-http.pcap",
        "loopback-dns.pcap",
        "partial.pcap",
        "netns-arp-ping.pcap",
        "crafted.pcap",
        "fcs.pcapng",
    ] {
        let input = fixture(name);
        let page = dir.join(format!("{name}.html"));
        let said = decode_page(&input, &page, &[]);
        let json = json_frames(&input);
        let frames = page_frames(&page);
        assert!(said.contains(&format!("{} frame", json.len())), "{said}");
        assert_eq!(frames.len(), json.len(), "{name}");
        for (p, j) in frames.iter().zip(&json) {
            assert_eq!(p["n"], j["frame"], "{name}");
            assert_eq!(p["len"], j["captured_length"], "{name}");
            let layers = j["layers"].as_array().unwrap();
            assert_eq!(
                p["layers"].as_array().unwrap().len(),
                layers.len(),
                "{name}"
            );
            for (pl, jl) in p["layers"].as_array().unwrap().iter().zip(layers) {
                assert_eq!(pl["span"], jl["span"], "{name} frame {}", j["frame"]);
                assert_eq!(pl["osi"], jl["osi"], "{name}");
                assert_eq!(
                    pl["proto"]["en"].as_str().or(pl["proto"].as_str()),
                    jl["protocol"].as_str()
                );
                // Every field of the JSON, with its span, in the same order.
                let names: Vec<&str> = jl["fields"]
                    .as_object()
                    .unwrap()
                    .keys()
                    .map(String::as_str)
                    .collect();
                let page_names: Vec<&str> = pl["f"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|f| f[0].as_str().unwrap())
                    .collect();
                assert_eq!(page_names, names, "{name} frame {}", j["frame"]);
                for f in pl["f"].as_array().unwrap() {
                    let span = &jl["spans"][f[0].as_str().unwrap()];
                    assert_eq!(&f[3], &span[0], "{name} {}", f[0]);
                    assert_eq!(&f[4], &span[1], "{name} {}", f[0]);
                }
            }
            assert_eq!(
                p["err"].as_array().unwrap().len(),
                j["errors"].as_array().unwrap().len()
            );
            frames_checked += 1;
        }
    }
    assert!(frames_checked > 30, "{frames_checked}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_page_is_the_same_on_any_number_of_threads_and_escapes_packet_text() {
    let dir = temp_dir("html-threads");
    let input = fixture("loopback-http.pcap");
    let (one, two) = (dir.join("1.html"), dir.join("2.html"));
    decode_page(&input, &one, &["--threads", "1"]);
    decode_page(&input, &two, &["--threads", "2"]);
    let text = std::fs::read(&one).unwrap();
    assert_eq!(text, std::fs::read(&two).unwrap());
    // The HTTP request's text is in the page, and nothing of a packet opens a tag: the only
    // script elements are the page's three.
    let text = String::from_utf8(text).unwrap();
    assert!(text.contains("GET /"), "the request line is in the data");
    assert_eq!(text.matches("<script").count(), 3);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn a_capture_cut_short_gets_its_page_of_the_frames_before_the_cut_and_its_error() {
    let dir = temp_dir("html-cut");
    let page = dir.join("cut.html");
    let input = fixture("crafted-cut-short.pcap");
    let o = run(&["decode", &input, "--html", page.to_str().unwrap()]);
    // The error, as every view says it, after the page of what was read.
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("cut short"), "{}", stderr(&o));
    let json = run(&["decode", &input, "--json"]);
    let frames = stdout(&json).lines().count();
    assert!(frames > 10, "{frames}");
    assert!(
        stdout(&o).contains(&format!("{frames} frames")),
        "{}",
        stdout(&o)
    );
    assert_eq!(page_frames(&page).len(), frames);
    assert_eq!(page_data(&page)["left_out"], 0);
    std::fs::remove_dir_all(&dir).unwrap();
}

/// A classic pcap of `n` copies of one frame.
fn pcap_of(frame: &[u8], n: usize) -> Vec<u8> {
    let mut out = Vec::new();
    out.extend_from_slice(&0xa1b2_c3d4u32.to_le_bytes());
    out.extend_from_slice(&2u16.to_le_bytes());
    out.extend_from_slice(&4u16.to_le_bytes());
    out.extend_from_slice(&[0; 8]);
    out.extend_from_slice(&65535u32.to_le_bytes());
    out.extend_from_slice(&1u32.to_le_bytes());
    for i in 0..n {
        out.extend_from_slice(&(1_700_000_000u32 + i as u32).to_le_bytes());
        out.extend_from_slice(&0u32.to_le_bytes());
        out.extend_from_slice(&(frame.len() as u32).to_le_bytes());
        out.extend_from_slice(&(frame.len() as u32).to_le_bytes());
        out.extend_from_slice(frame);
    }
    out
}

fn encoded_frame() -> Vec<u8> {
    let o = run(&["encode", "--format", "raw", "-o", "-"]);
    assert!(o.status.success(), "{}", stderr(&o));
    o.stdout
}

#[test]
fn a_large_capture_keeps_its_first_frames_and_says_how_many_it_left_out() {
    let dir = temp_dir("html-limit");
    let input = dir.join("many.pcap");
    std::fs::write(&input, pcap_of(&encoded_frame(), 10_050)).unwrap();
    let page = dir.join("many.html");
    let said = decode_page(input.to_str().unwrap(), &page, &[]);
    assert!(said.contains("10000 frames"), "{said}");
    assert!(
        said.contains("50 of the 10050 frames selected are not on the page"),
        "{said}"
    );
    let frames = page_frames(&page);
    assert_eq!(frames.len(), 10_000);
    assert_eq!(frames.last().unwrap()["n"], 10_000);
    assert_eq!(page_data(&page)["left_out"], 50);
    // With a selection, what it selects is counted: here fewer than the limit.
    let said = decode_page(
        input.to_str().unwrap(),
        &page,
        &["--skip", "10040", "--filter", "tcp"],
    );
    assert!(!said.contains("not on the page"), "{said}");
    let frames = page_frames(&page);
    assert_eq!(frames.len(), 10);
    assert_eq!(frames[0]["n"], 10_041);
    assert_eq!(page_data(&page)["left_out"], 0);
    // More than the page's limit is refused before anything is written.
    let o = run(&[
        "decode",
        input.to_str().unwrap(),
        "--html",
        "x.html",
        "--count",
        "20000",
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains("at most 10000 frames"),
        "{}",
        stderr(&o)
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn encode_writes_its_frame_as_a_page_beside_its_report() {
    let dir = temp_dir("html-encode");
    let page = dir.join("frame.html");
    let o = run(&[
        "encode",
        "--payload",
        "你好",
        "--html",
        page.to_str().unwrap(),
        "--lang",
        "zh",
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    assert!(stdout(&o).contains("课堂页面"), "{}", stdout(&o));
    let frames = page_frames(&page);
    assert_eq!(frames.len(), 1);
    let json = crate::util::encode_json(&["--payload", "你好"]);
    assert_eq!(
        frames[0]["hex"].as_str().unwrap().len(),
        2 * json["captured_length"].as_u64().unwrap() as usize
    );
    let app = frames[0]["layers"].as_array().unwrap().last().unwrap();
    let text = app["f"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f[0] == "text")
        .unwrap();
    assert_eq!(text[2], "你好");
    assert_eq!(page_data(&page)["lang"], "zh");
    // Beside --json, standard output keeps the JSON alone.
    let o = run(&["encode", "--json", "--html", page.to_str().unwrap()]);
    assert_eq!(stdout(&o).lines().count(), 1);
    assert!(stderr(&o).contains("classroom page"), "{}", stderr(&o));
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Where Playwright's Python package and Debian's Chromium are, or why the browser tests
/// cannot run.
fn browser() -> Option<()> {
    if !Path::new("/usr/bin/chromium").exists() {
        skip_without(
            "chromium",
            "the pages are opened in it: apt-get install chromium",
        );
        return None;
    }
    let ok = Command::new("python3")
        .args(["-c", "import playwright.sync_api"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        skip_without(
            "playwright",
            "it drives Chromium: python3 -m pip install playwright",
        );
        return None;
    }
    Some(())
}

/// Where the screenshots go: `target/html/` (the README's pictures are copies of them).
fn shots_dir() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/html");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn the_pages_work_in_a_real_browser() {
    if browser().is_none() {
        return;
    }
    let shots = shots_dir();
    let frame = shots.join("frame.html");
    let o = run(&["encode", "--html", frame.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    // From the project's directory, as the README says it, so the page's title is short.
    let capture = shots.join("capture.html");
    let o = crate::util::layers()
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .args([
            "decode",
            "fixtures/loopback-http.pcap",
            "--html",
            capture.to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let bad = shots.join("capture-errors.html");
    decode_page(&fixture("partial.pcap"), &bad, &[]);
    let journey = shots.join("journey.html");
    let o = run(&["journey", "--html", journey.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let tcp = shots.join("tcp.html");
    let o = run(&[
        "tcp",
        "--lose",
        "final-ack",
        "--html",
        tcp.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let o = Command::new("python3")
        .arg(format!(
            "{}/tests/html_browser.py",
            env!("CARGO_MANIFEST_DIR")
        ))
        .arg(format!("frame={}", frame.display()))
        .arg(format!("capture={}", capture.display()))
        .arg(format!("capture={}", bad.display()))
        .arg(format!("journey={}", journey.display()))
        .arg(format!("tcp={}", tcp.display()))
        .args(["--shots", shots.to_str().unwrap()])
        .output()
        .expect("python3 runs");
    let said = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(o.status.success(), "{said}");
    assert!(said.contains("\n0 failed"), "{said}");
    assert!(said.matches("ok   ").count() > 40, "{said}");
}

#[test]
fn the_journey_page_marks_what_the_router_changed_as_the_journey_says() {
    let dir = temp_dir("html-journey");
    let page = dir.join("journey.html");
    let o = run(&["journey", "--html", page.to_str().unwrap()]);
    assert!(o.status.success(), "{}", stderr(&o));
    let json: Value = serde_json::from_str(&stdout(&run(&["journey", "--json"]))).unwrap();
    let frames = page_frames(&page);
    let bytes: Vec<Vec<u8>> = json["frames"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| hex::decode(f["bytes"].as_str().unwrap()).unwrap())
        .collect();
    assert_eq!(frames.len(), bytes.len());
    let mut routed = 0;
    for (f, b) in frames.iter().zip(&bytes) {
        assert_eq!(f["hex"].as_str().unwrap(), hex::encode(b));
        let Some(changed) = f.get("changed") else {
            continue;
        };
        routed += 1;
        // The bytes marked are exactly those that differ from the frame it was made from.
        let from = &bytes[changed["from"].as_u64().unwrap() as usize - 1];
        let differ: Vec<u64> = (0..b.len())
            .filter(|&i| from[i] != b[i])
            .map(|i| i as u64)
            .collect();
        let marked: Vec<u64> = changed["bytes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| v.as_u64().unwrap())
            .collect();
        assert_eq!(marked, differ);
        // The TTL went down by one (byte 22 of the frame), and the page says what it was.
        assert_eq!(from[22], b[22] + 1);
        let ttl = changed["fields"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c[0] == "ip:ttl")
            .unwrap();
        assert_eq!(ttl[1], from[22].to_string());
    }
    assert_eq!(routed, 1, "the default network has one router");
    // Every step of the journey is on the page, in order.
    let data = page_data(&page);
    let steps = data["journey"]["steps"].as_array().unwrap();
    assert_eq!(steps.len(), json["steps"].as_array().unwrap().len());
    for (p, j) in steps.iter().zip(json["steps"].as_array().unwrap()) {
        assert_eq!(p["device"], j["device"]);
        assert_eq!(p["frame"], j["frame"]);
    }
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn the_tcp_page_holds_every_segment_with_its_states_and_frame() {
    let dir = temp_dir("html-tcp");
    let page = dir.join("tcp.html");
    let args = ["tcp", "--lose", "fin", "--isn", "1000,5000"];
    let o = run(&[&args[..], &["--html", page.to_str().unwrap()]].concat());
    assert!(o.status.success(), "{}", stderr(&o));
    let json: Value =
        serde_json::from_str(&stdout(&run(&[&args[..], &["--json"]].concat()))).unwrap();
    let data = page_data(&page);
    let entries = data["ladder"]["entries"].as_array().unwrap();
    let json = json.as_array().unwrap();
    assert_eq!(entries.len(), json.len());
    let frames = page_frames(&page);
    for (e, j) in entries.iter().zip(json) {
        assert_eq!(e["t"], j["time_ms"]);
        if e["kind"] == "seg" {
            assert_eq!(e["client"], j["client"]);
            assert_eq!(e["server"], j["server"]);
            assert_eq!(e["lost"], j["lost"]);
            // Its frame carries that segment: the same sequence number and flags.
            let f = &frames[e["frame"].as_u64().unwrap() as usize];
            let tcp = f["layers"]
                .as_array()
                .unwrap()
                .iter()
                .find(|l| l["id"] == "tcp")
                .unwrap();
            let field = |n: &str| {
                tcp["f"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .find(|x| x[0] == n)
                    .unwrap()[2]
                    .clone()
            };
            assert_eq!(field("sequence"), j["seq"].to_string());
            let flags: Vec<&str> = j["flags"]
                .as_array()
                .unwrap()
                .iter()
                .map(|v| v.as_str().unwrap())
                .collect();
            assert_eq!(field("flags"), flags.join(","));
        } else {
            assert_eq!(e["side"], j["timer"]);
        }
    }
    assert!(entries.iter().any(|e| e["event"] == "tw_start"));
    assert!(entries.iter().any(|e| e["retx"] == true));
    std::fs::remove_dir_all(&dir).unwrap();
}
