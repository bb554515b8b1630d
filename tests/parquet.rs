//! `decode --parquet`: the files read back by DuckDB (Python's `duckdb` package, which
//! `.ci/run` installs), checked against `decode --stats`, `decode --json` and tshark.

use std::collections::BTreeMap;
use std::process::Command;

use serde_json::Value;

use crate::decode::generated;
use crate::util::{run, skip_without, stderr, stdout, temp_dir};

/// Runs `sql` in DuckDB; its rows as JSON objects. `None` (said) without DuckDB.
fn duckdb(sql: &str) -> Option<Vec<serde_json::Map<String, Value>>> {
    const SCRIPT: &str = "import duckdb, json, sys\n\
        r = duckdb.sql(sys.argv[1])\n\
        print(json.dumps([dict(zip(r.columns, row)) for row in r.fetchall()], default=str))";
    let o = Command::new("python3").args(["-c", SCRIPT, sql]).output();
    match o {
        Ok(o) if o.status.success() => {
            let rows: Vec<Value> = serde_json::from_slice(&o.stdout).expect("DuckDB's JSON");
            Some(
                rows.into_iter()
                    .map(|r| r.as_object().cloned().expect("a row"))
                    .collect(),
            )
        }
        Ok(o) if String::from_utf8_lossy(&o.stderr).contains("No module named 'duckdb'") => {
            skip_without("duckdb", "python3 -m pip install duckdb");
            None
        }
        Ok(o) => panic!(
            "DuckDB failed on {sql}: {}",
            String::from_utf8_lossy(&o.stderr)
        ),
        Err(_) => {
            skip_without("python3", "DuckDB runs in Python");
            None
        }
    }
}

/// The README's protocol-hierarchy query over the Parquet files `glob`: each protocol path
/// and every prefix of one, with its frames and captured bytes.
pub fn hierarchy_sql(glob: &str) -> String {
    format!(
        "WITH paths AS (
           SELECT string_split(protocols, ':') AS p, frame_cap_len
           FROM read_parquet('{glob}') WHERE protocols <> ''),
         prefixes AS (
           SELECT list_slice(p, 1, d) AS prefix, frame_cap_len
           FROM (SELECT p, frame_cap_len, unnest(range(1, len(p) + 1)) AS d FROM paths))
         SELECT array_to_string(prefix, ':') AS path, count(*) AS frames,
                sum(frame_cap_len) AS bytes
         FROM prefixes GROUP BY path ORDER BY path"
    )
}

/// The short names of the `protocols` column, and the names `--stats` prints.
const NAMES: &[(&str, &str)] = &[
    ("eth", "Ethernet II"),
    ("vlan", "802.1Q"),
    ("eth802_3", "IEEE 802.3"),
    ("llc", "LLC"),
    ("sll", "Linux SLL"),
    ("sll2", "Linux SLL2"),
    ("arp", "ARP"),
    ("ip", "IPv4"),
    ("icmp", "ICMP"),
    ("ip_fragment", "IP fragment"),
    ("icmpv6", "ICMPv6"),
    ("ipv6", "IPv6"),
    ("tcp", "TCP"),
    ("udp", "UDP"),
    ("http", "HTTP"),
    ("smtp", "SMTP"),
    ("pop", "POP3"),
    ("ftp", "FTP"),
    ("telnet", "Telnet"),
    ("dns", "DNS"),
    ("snmp", "SNMP"),
    ("data", "data"),
];

/// `decode --stats`'s hierarchy: each path (its names joined by `:`) with frames and bytes.
fn stats_hierarchy(file: &str) -> BTreeMap<String, (u64, u64)> {
    let o = run(&["decode", file, "--stats", "--lang", "en"]);
    let text = stdout(&o);
    let mut out = BTreeMap::new();
    let mut stack: Vec<String> = Vec::new();
    for line in text.lines().skip(2).take_while(|l| !l.is_empty()) {
        let depth = (line.len() - line.trim_start().len()) / 2;
        let mut words: Vec<&str> = line.split_whitespace().collect();
        let bytes: u64 = words.pop().unwrap().parse().unwrap();
        let frames: u64 = words.pop().unwrap().parse().unwrap();
        let name = words.join(" ");
        let short = NAMES
            .iter()
            .find(|(_, long)| *long == name)
            .unwrap_or_else(|| panic!("{file}: no short name for {name:?}"))
            .0;
        stack.truncate(depth);
        stack.push(short.to_string());
        out.insert(stack.join(":"), (frames, bytes));
    }
    out
}

/// DuckDB's hierarchy over `glob`.
fn parquet_hierarchy(glob: &str) -> Option<BTreeMap<String, (u64, u64)>> {
    let rows = duckdb(&hierarchy_sql(glob))?;
    Some(
        rows.iter()
            .map(|r| {
                let n = |k: &str| r[k].as_u64().unwrap_or_else(|| panic!("{k} in {r:?}"));
                (
                    r["path"].as_str().unwrap().to_string(),
                    (n("frames"), n("bytes")),
                )
            })
            .collect(),
    )
}

/// Every fixture capture.
fn fixture_captures() -> Vec<String> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/fixtures");
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "pcap" || e == "pcapng"))
        .map(|p| p.display().to_string())
        .collect();
    files.sort();
    files
}

/// Converts `inputs` into the directory `dir`: one file per input, named after it.
fn convert(inputs: &[String], dir: &std::path::Path) {
    let mut args = vec!["decode".to_string()];
    args.extend(inputs.iter().cloned());
    args.push("--parquet".into());
    args.push(format!("{}/", dir.display()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = run(&args);
    // crafted-cut-short.pcap ends inside a record: its frames are written, and it is
    // reported (exit 1) after the other files.
    let cut_short = inputs.iter().any(|i| i.ends_with("crafted-cut-short.pcap"));
    assert_eq!(
        o.status.code(),
        Some(if cut_short { 1 } else { 0 }),
        "{}",
        stderr(&o)
    );
    for input in inputs {
        let stem = std::path::Path::new(input)
            .file_stem()
            .unwrap()
            .to_string_lossy();
        assert!(
            stdout(&o).contains(&format!("{stem}.parquet: "))
                || stdout(&o).contains(&format!("{stem}-2.parquet: ")),
            "{input}: {}",
            stdout(&o)
        );
    }
}

#[test]
fn the_protocol_hierarchy_in_duckdb_is_that_of_stats_for_every_fixture() {
    let dir = temp_dir("parquet-fixtures");
    let inputs = fixture_captures();
    convert(&inputs, &dir);
    let mut names = std::collections::HashSet::new();
    for input in &inputs {
        let stem = std::path::Path::new(input)
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let file = if names.insert(stem.clone()) {
            dir.join(format!("{stem}.parquet"))
        } else {
            dir.join(format!("{stem}-2.parquet"))
        };
        let Some(from_parquet) = parquet_hierarchy(file.to_str().unwrap()) else {
            return;
        };
        assert_eq!(from_parquet, stats_hierarchy(input), "{input}");
        // One row per frame, with the file it came from.
        let rows = duckdb(&format!(
            "SELECT count(*) AS n, min(source_file) AS a, max(source_file) AS b,
                    max(frame_number) AS last FROM '{}'",
            file.display()
        ))
        .unwrap();
        let frames = run(&["decode", input, "--oneline"]);
        let n = stdout(&frames).lines().count() as u64;
        assert_eq!(rows[0]["n"], n, "{input}");
        if n > 0 {
            assert_eq!(rows[0]["a"], input.as_str());
            assert_eq!(rows[0]["b"], input.as_str());
            assert_eq!(rows[0]["last"], n);
        }
    }
}

/// The bits of TCP's flags, by the names `--json` gives them.
fn tcp_flag_bits(names: &Value) -> u64 {
    let bit = |n: &str| match n {
        "FIN" => 1,
        "SYN" => 2,
        "RST" => 4,
        "PSH" => 8,
        "ACK" => 16,
        "URG" => 32,
        "ECE" => 64,
        "CWR" => 128,
        "AE" => 256,
        other => panic!("flag {other}"),
    };
    names
        .as_array()
        .unwrap()
        .iter()
        .map(|n| bit(n.as_str().unwrap()))
        .sum()
}

/// A column's value as `--json` has it: (protocol, field).
const FROM_JSON: &[(&str, &str, &str)] = &[
    ("eth_type", "Ethernet II", "ethertype"),
    ("vlan_id", "802.1Q", "id"),
    ("ip_id", "IPv4", "identification"),
    ("ip_flags_df", "IPv4", "dont_fragment"),
    ("ip_flags_mf", "IPv4", "more_fragments"),
    ("ip_frag_offset", "IPv4", "fragment_offset"),
    ("tcp_srcport", "TCP", "source_port"),
    ("tcp_dstport", "TCP", "destination_port"),
    ("tcp_seq", "TCP", "sequence"),
    ("tcp_ack", "TCP", "acknowledgment"),
    ("tcp_flags", "TCP", "flags"),
    ("tcp_window_size_value", "TCP", "window"),
    ("tcp_len", "TCP", "payload_length"),
    ("udp_srcport", "UDP", "source_port"),
    ("udp_dstport", "UDP", "destination_port"),
    ("udp_length", "UDP", "length"),
    ("arp_opcode", "ARP", "operation"),
    ("http_request_method", "HTTP", "method"),
    ("http_request_uri", "HTTP", "uri"),
    ("http_response_code", "HTTP", "status"),
];

/// `--json`'s value in the form of the column: hex strings as numbers, flags as bits.
fn as_column(column: &str, v: &Value) -> Value {
    match v {
        Value::String(s) if s.starts_with("0x") => {
            Value::from(u64::from_str_radix(&s[2..], 16).unwrap())
        }
        Value::Array(_) if column == "tcp_flags" => Value::from(tcp_flag_bits(v)),
        v => v.clone(),
    }
}

#[test]
fn each_row_holds_the_fields_of_the_frame_in_json() {
    let mut inputs = fixture_captures();
    inputs.retain(|i| !i.ends_with("crafted-cut-short.pcap"));
    rows_are_the_json_frames("parquet-json", &inputs, 1000);
}

/// The same on a generated capture: every kind of frame, fragments, tags and malformed
/// ones among them.
#[test]
fn each_row_of_a_generated_capture_holds_the_fields_of_its_frame_in_json() {
    let Some((pcap, _)) = generated(6000) else {
        return;
    };
    rows_are_the_json_frames("parquet-json-generated", &[pcap], 100_000);
}

/// Converts `inputs` into one file; each row must hold what `--json` says of its frame
/// (at least `cells` values compared in all).
fn rows_are_the_json_frames(name: &str, inputs: &[String], cells: usize) {
    let dir = temp_dir(name);
    let out = dir.join("all.parquet");
    let mut args = vec!["decode".to_string()];
    args.extend(inputs.iter().cloned());
    args.extend(["--parquet".to_string(), out.display().to_string()]);
    let o = run(&args.iter().map(String::as_str).collect::<Vec<_>>());
    assert!(o.status.success(), "{}", stderr(&o));
    let Some(rows) = duckdb(&format!(
        "SELECT * EXCLUDE (frame_time), epoch_ns(frame_time) AS ns FROM '{}'",
        out.display()
    )) else {
        return;
    };
    let mut checked = 0;
    let mut at = 0;
    for input in inputs {
        let json = run(&["decode", input, "--json"]);
        for line in stdout(&json).lines() {
            let frame: Value = serde_json::from_str(line).unwrap();
            let row = &rows[at];
            at += 1;
            let here = format!("{input} frame {}", frame["frame"]);
            assert_eq!(row["source_file"], input.as_str(), "{here}");
            assert_eq!(row["frame_number"], frame["frame"], "{here}");
            assert_eq!(row["frame_len"], frame["original_length"], "{here}");
            assert_eq!(row["frame_cap_len"], frame["captured_length"], "{here}");
            // The float of seconds agrees with the exact time to a microsecond.
            match frame["time"].as_f64() {
                Some(t) => {
                    let ns = row["ns"].as_i64().unwrap();
                    assert!((ns as f64 / 1e9 - t).abs() < 1e-6, "{here}: {ns} vs {t}");
                }
                None => assert_eq!(row["ns"], Value::Null, "{here}"),
            }
            let own: Vec<&Value> = frame["layers"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|l| l["quoted"] != true)
                .collect();
            let find = |p: &str| own.iter().find(|l| l["protocol"] == p);
            for (column, protocol, field) in FROM_JSON {
                // vlan_id is the innermost tag, as Wireshark's vlan.id.
                let layer = if *column == "vlan_id" {
                    own.iter().rev().find(|l| l["protocol"] == *protocol)
                } else {
                    find(protocol)
                };
                let want = layer
                    .map(|l| &l["fields"][field])
                    .filter(|v| !v.is_null())
                    .map_or(Value::Null, |v| as_column(column, v));
                assert_eq!(row[*column], want, "{here}: {column}");
                checked += 1;
            }
            let ip = find("IPv4").or_else(|| find("IPv6"));
            for (column, field) in [("ip_src", "source"), ("ip_dst", "destination")] {
                let want = ip.map_or(Value::Null, |l| l["fields"][field].clone());
                assert_eq!(row[column], want, "{here}: {column}");
            }
            let v6 = ip.is_some_and(|l| l["protocol"] == "IPv6");
            let ip_field = |v4: &str, v6_name: &str| {
                ip.map_or(Value::Null, |l| {
                    l["fields"][if v6 { v6_name } else { v4 }].clone()
                })
            };
            assert_eq!(row["ip_ttl"], ip_field("ttl", "hop_limit"), "{here}");
            assert_eq!(
                row["ip_proto"],
                ip_field("protocol", "next_header"),
                "{here}"
            );
            let len = match ip_field("total_length", "payload_length") {
                Value::Number(n) if v6 => Value::from(n.as_u64().unwrap() + 40),
                other => other,
            };
            assert_eq!(row["ip_len"], len, "{here}");
            let version = ip.map_or(Value::Null, |_| Value::from(if v6 { 6 } else { 4 }));
            assert_eq!(row["ip_version"], version, "{here}");
            let icmp = find("ICMP").or_else(|| find("ICMPv6"));
            for (column, field) in [("icmp_type", "type"), ("icmp_code", "code")] {
                let want = icmp.map_or(Value::Null, |l| l["fields"][field].clone());
                assert_eq!(row[column], want, "{here}: {column}");
            }
            let dns =
                find("DNS").map_or(Value::Null, |l| l["fields"]["questions"][0]["name"].clone());
            assert_eq!(row["dns_qry_name"], dns, "{here}");
            let eth = find("Ethernet II").or_else(|| find("IEEE 802.3"));
            for (column, field) in [("eth_src", "source"), ("eth_dst", "destination")] {
                let want = eth.map_or(Value::Null, |l| l["fields"][field].clone());
                assert_eq!(row[column], want, "{here}: {column}");
            }
            let status = |l: Option<&&Value>| {
                l.map_or(Value::Null, |l| match &l["fields"]["checksum_valid"] {
                    Value::Bool(true) => "good".into(),
                    Value::Bool(false) => "bad".into(),
                    _ => "unverified".into(),
                })
            };
            assert_eq!(row["ip_checksum_status"], status(find("IPv4")), "{here}");
            assert_eq!(row["tcp_checksum_status"], status(find("TCP")), "{here}");
            assert_eq!(row["udp_checksum_status"], status(find("UDP")), "{here}");
            let errors = frame["errors"].as_array().unwrap();
            assert_eq!(row["error_count"], errors.len(), "{here}");
            match errors.first() {
                Some(e) => {
                    assert_eq!(row["error_layer"], e["osi"], "{here}");
                    assert_eq!(row["error_offset"], e["offset"], "{here}");
                    assert_eq!(row["error_message"], e["message"], "{here}");
                }
                None => assert_eq!(row["error_message"], Value::Null, "{here}"),
            }
            let path: Vec<&str> = own
                .iter()
                .filter(|l| l["osi"] != 1)
                .map(|l| {
                    let name = l["protocol"].as_str().unwrap();
                    NAMES.iter().find(|(_, long)| *long == name).unwrap().0
                })
                .collect();
            assert_eq!(row["protocols"], path.join(":"), "{here}");
            let top = own.iter().map(|l| l["osi"].as_u64().unwrap()).max();
            assert_eq!(
                row["osi_top"],
                top.map_or(Value::Null, Value::from),
                "{here}"
            );
        }
    }
    assert_eq!(at, rows.len(), "one row per frame, in order");
    assert!(checked > cells, "{checked} cells compared");
}

/// The columns named after Wireshark's fields hold what tshark reads in those fields.
#[test]
fn columns_agree_with_the_wireshark_fields_they_are_named_after() {
    if Command::new("tshark").arg("-v").output().is_err() {
        skip_without("tshark", "the columns are compared with its fields");
        return;
    }
    // (column, tshark field): only frames whose first value tshark gives are compared.
    const FIELDS: &[(&str, &str)] = &[
        ("eth_src", "eth.src"),
        ("eth_dst", "eth.dst"),
        ("vlan_id", "vlan.id"),
        ("ip_src", "ip.src"),
        ("ip_dst", "ip.dst"),
        ("ip_ttl", "ip.ttl"),
        ("ip_id", "ip.id"),
        ("ip_proto", "ip.proto"),
        ("ip_len", "ip.len"),
        ("tcp_srcport", "tcp.srcport"),
        ("tcp_dstport", "tcp.dstport"),
        ("tcp_seq", "tcp.seq_raw"),
        ("tcp_ack", "tcp.ack_raw"),
        ("tcp_flags", "tcp.flags"),
        ("tcp_window_size_value", "tcp.window_size_value"),
        ("tcp_len", "tcp.len"),
        ("udp_srcport", "udp.srcport"),
        ("udp_dstport", "udp.dstport"),
        ("udp_length", "udp.length"),
        ("arp_opcode", "arp.opcode"),
        ("dns_qry_name", "dns.qry.name"),
        ("http_request_method", "http.request.method"),
        ("http_request_uri", "http.request.uri"),
        ("http_response_code", "http.response.code"),
        ("ns", "frame.time_epoch"),
    ];
    let dir = temp_dir("parquet-tshark");
    let mut compared = 0;
    let mut differ = Vec::new();
    for input in fixture_captures() {
        let out = dir.join("one.parquet");
        let o = run(&["decode", &input, "--parquet", out.to_str().unwrap()]);
        if !o.status.success() {
            continue; // crafted-cut-short.pcap: tshark cannot read it either
        }
        let mut tshark = Command::new("tshark");
        // Frame by frame, as layers reads them: no reassembly of fragments or segments.
        tshark.args([
            "-r",
            &input,
            "-T",
            "fields",
            "-E",
            "occurrence=f",
            "-E",
            "separator=/t",
        ]);
        for pref in [
            "ip.defragment:FALSE",
            "ipv6.defragment:FALSE",
            "tcp.desegment_tcp_streams:FALSE",
        ] {
            tshark.args(["-o", pref]);
        }
        for (_, f) in FIELDS {
            tshark.args(["-e", f]);
        }
        let t = tshark.env("TZ", "UTC").output().unwrap();
        if !t.status.success() {
            continue; // a capture tshark does not read (crafted-multi.pcapng)
        }
        let Some(rows) = duckdb(&format!(
            "SELECT * EXCLUDE (frame_time), epoch_ns(frame_time) AS ns FROM '{}' ORDER BY frame_number",
            out.display()
        )) else {
            return;
        };
        let text = String::from_utf8(t.stdout).unwrap();
        for (row, line) in rows.iter().zip(text.lines()) {
            for ((column, field), theirs) in FIELDS.iter().zip(line.split('\t')) {
                if theirs.is_empty() {
                    continue;
                }
                let ours = &row[*column];
                let here = format!("{input} frame {}: {column} vs {field}", row["frame_number"]);
                let agree = match ours {
                    Value::Null => false,
                    Value::String(s) => s == theirs,
                    Value::Number(n) if *column == "ns" => {
                        // tshark prints seconds with nine decimals.
                        let (s, frac) = theirs.split_once('.').unwrap();
                        let want: i64 = format!("{s}{frac:0<9}").parse().unwrap();
                        n.as_i64() == Some(want)
                    }
                    Value::Number(n) => {
                        let want = match theirs.strip_prefix("0x") {
                            Some(h) => u64::from_str_radix(h, 16).unwrap(),
                            None => theirs.parse().unwrap(),
                        };
                        n.as_u64() == Some(want)
                    }
                    other => panic!("{here}: {other}"),
                };
                // Where tshark's first value is not the frame's own header's, by design:
                // - a transport field of an ICMP error: tshark's comes from the datagram it
                //   quotes; the columns hold the frame's own layers;
                // - tcp.len of a TCP header cut short or with a bad data offset: tshark
                //   works it out from IP's total length, layers reports no payload length;
                // - ip.len of a TSO frame (total length 0): tshark gives the length it
                //   assumed, the column the field's value.
                let quoted = row["icmp_type"].is_number() && ours.is_null();
                let bad_tcp = *column == "tcp_len" && row["error_layer"] == 4 && ours.is_null();
                let tso = *column == "ip_len" && ours == 0;
                if !agree && !quoted && !bad_tcp && !tso {
                    differ.push(format!("{here}: ours {ours}, tshark {theirs}"));
                }
                compared += 1;
            }
        }
    }
    assert!(differ.is_empty(), "{}", differ.join("\n"));
    assert!(compared > 500, "{compared} values compared");
}

/// A generated capture of a million frames: DuckDB's hierarchy is that of `--stats`, and
/// of the generator's own count of what it built.
#[test]
fn a_million_generated_frames_count_the_same_in_duckdb_and_stats() {
    let frames = if std::env::var_os("CI").is_some() || cfg!(not(debug_assertions)) {
        1_000_000
    } else {
        // A debug build takes minutes for a million; CI (and --release) does the million.
        100_000
    };
    let Some((pcap, _truth)) = generated(frames) else {
        return;
    };
    let out = format!("{pcap}.parquet");
    let o = run(&["decode", &pcap, "--parquet", &out]);
    assert!(o.status.success(), "{}", stderr(&o));
    let Some(from_parquet) = parquet_hierarchy(&out) else {
        return;
    };
    assert_eq!(from_parquet, stats_hierarchy(&pcap));
    let total = duckdb(&format!("SELECT count(*) AS n FROM '{out}'")).unwrap();
    assert_eq!(total[0]["n"], frames);
}

/// The DuckDB queries of the README's "Large captures" section, in order.
fn readme_queries() -> Vec<String> {
    let readme = include_str!("../README.md");
    let section = readme
        .split("## Large captures")
        .nth(1)
        .and_then(|s| s.split("### When one machine").next())
        .expect("the README's Large captures section");
    section
        .split("```sql\n")
        .skip(1)
        .map(|b| b.split("```").next().unwrap().trim().to_string())
        .collect()
}

/// Each frame of the fixtures as `--json` gives it.
fn fixture_frames(inputs: &[String]) -> Vec<Value> {
    inputs
        .iter()
        .flat_map(|i| {
            let o = run(&["decode", i, "--json"]);
            stdout(&o)
                .lines()
                .map(|l| serde_json::from_str(l).unwrap())
                .collect::<Vec<Value>>()
        })
        .collect()
}

/// The frame's own (not quoted) layer of `protocol`.
fn own<'a>(frame: &'a Value, protocol: &str) -> Option<&'a Value> {
    frame["layers"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["protocol"] == protocol && l["quoted"] != true)
}

#[test]
fn the_readme_queries_give_what_the_frames_hold() {
    let dir = temp_dir("parquet-readme");
    let mut inputs = fixture_captures();
    inputs.retain(|i| !i.ends_with("crafted-cut-short.pcap"));
    convert(&inputs, &dir);
    let queries = readme_queries();
    assert_eq!(queries.len(), 5, "{queries:?}");
    let view = queries[0].replace("frames/*.parquet", &format!("{}/*.parquet", dir.display()));
    assert!(view.starts_with("CREATE VIEW frames"), "{view}");
    let ask = |q: &str| duckdb(&format!("{view} {q}"));
    let Some(hierarchy) = ask(&queries[1]) else {
        return;
    };
    // The hierarchy: --stats of each file, added up.
    let mut want: BTreeMap<String, (u64, u64)> = BTreeMap::new();
    for input in &inputs {
        for (path, (f, b)) in stats_hierarchy(input) {
            let e = want.entry(path).or_default();
            e.0 += f;
            e.1 += b;
        }
    }
    let got: BTreeMap<String, (u64, u64)> = hierarchy
        .iter()
        .map(|r| {
            let n = |k: &str| r[k].as_u64().unwrap();
            (
                r["path"].as_str().unwrap().to_string(),
                (n("frames"), n("bytes")),
            )
        })
        .collect();
    assert_eq!(got, want);

    let frames = fixture_frames(&inputs);
    // Top talkers.
    let mut talkers: BTreeMap<(String, String), (u64, u64)> = BTreeMap::new();
    for f in &frames {
        let Some(ip) = own(f, "IPv4").or_else(|| own(f, "IPv6")) else {
            continue;
        };
        let text = |v: &Value| v.as_str().map_or("NULL".to_string(), str::to_string);
        let Some(src) = ip["fields"]["source"].as_str() else {
            continue;
        };
        let e = talkers
            .entry((src.to_string(), text(&ip["fields"]["destination"])))
            .or_default();
        e.0 += 1;
        e.1 += f["original_length"].as_u64().unwrap();
    }
    let mut talkers: Vec<_> = talkers.into_iter().collect();
    talkers.sort_by(|a, b| b.1 .1.cmp(&a.1 .1).then(a.0.cmp(&b.0)));
    talkers.truncate(10);
    let got: Vec<_> = ask(&queries[2])
        .unwrap()
        .iter()
        .map(|r| {
            let ip = |k: &str| r[k].as_str().unwrap_or("NULL").to_string();
            (
                (ip("ip_src"), ip("ip_dst")),
                (r["frames"].as_u64().unwrap(), r["bytes"].as_u64().unwrap()),
            )
        })
        .collect();
    // NULL sorts last in DuckDB and "NULL" is a string here: compare as sets of the top.
    assert_eq!(got.len(), talkers.len());
    for t in &talkers {
        assert!(got.contains(t), "{t:?} not in {got:?}");
    }

    // Handshakes per port.
    let mut ports: BTreeMap<u64, (u64, u64)> = BTreeMap::new();
    for f in &frames {
        let Some(tcp) = own(f, "TCP") else { continue };
        let Some(flags) = tcp["fields"]["flags"].as_array() else {
            continue;
        };
        let has = |n: &str| flags.iter().any(|x| x == n);
        if !has("SYN") {
            continue;
        }
        let port = |k: &str| tcp["fields"][k].as_u64().unwrap();
        if has("ACK") {
            ports.entry(port("source_port")).or_default().1 += 1;
        } else {
            ports.entry(port("destination_port")).or_default().0 += 1;
        }
    }
    let got: BTreeMap<u64, (u64, u64)> = ask(&queries[3])
        .unwrap()
        .iter()
        .map(|r| {
            let n = |k: &str| r[k].as_u64().unwrap();
            (n("port"), (n("syn"), n("syn_ack")))
        })
        .collect();
    assert_eq!(got, ports);
    assert!(!ports.is_empty());

    // DNS names.
    let mut names: BTreeMap<String, u64> = BTreeMap::new();
    for f in &frames {
        if let Some(name) = own(f, "DNS").and_then(|d| d["fields"]["questions"][0]["name"].as_str())
        {
            *names.entry(name.to_string()).or_default() += 1;
        }
    }
    let got: BTreeMap<String, u64> = ask(&queries[4])
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["dns_qry_name"].as_str().unwrap().to_string(),
                r["queries"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(got, names);
    assert!(!names.is_empty());
}

/// Like every view, the file is the same on any number of threads, byte for byte (70,000
/// frames: two row groups, each encoded column by column on those threads).
#[test]
fn the_file_is_the_same_on_any_number_of_threads() {
    let Some((pcap, _)) = generated(70_000) else {
        return;
    };
    let files: Vec<Vec<u8>> = ["1", "2", "5"]
        .iter()
        .map(|n| {
            let out = format!("{pcap}.{n}.parquet");
            let o = run(&["decode", &pcap, "--parquet", &out, "--threads", n]);
            assert!(o.status.success(), "{}", stderr(&o));
            std::fs::read(&out).unwrap()
        })
        .collect();
    assert!(files[0].len() > 1000);
    assert!(files[0] == files[1] && files[0] == files[2]);
}

/// The README's queries in Spark (PySpark, on Java) give what they give in DuckDB, over
/// the fixtures and a generated capture: the hierarchy in its Spark form, the other three
/// unchanged (`tests/spark_readme.py`).
#[test]
fn the_readme_queries_run_in_spark_as_in_duckdb() {
    let spark = Command::new("python3")
        .args(["-c", "import pyspark, duckdb"])
        .output();
    if !spark.is_ok_and(|o| o.status.success()) {
        skip_without("pyspark", "python3 -m pip install pyspark duckdb");
        return;
    }
    if !Command::new("java")
        .arg("-version")
        .output()
        .is_ok_and(|o| o.status.success())
    {
        skip_without(
            "java",
            "Spark runs on it: apt-get install openjdk-17-jre-headless",
        );
        return;
    }
    let dir = temp_dir("parquet-spark");
    let mut inputs = fixture_captures();
    inputs.retain(|i| !i.ends_with("crafted-cut-short.pcap"));
    let Some((big, _)) = generated(6000) else {
        return;
    };
    inputs.push(big);
    convert(&inputs, &dir);
    let o = Command::new("python3")
        .arg(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/spark_readme.py"
        ))
        .arg(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md"))
        .arg(&dir)
        .output()
        .expect("python3 runs");
    let out = String::from_utf8_lossy(&o.stdout);
    println!("{out}");
    assert!(
        o.status.success(),
        "{out}\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    for query in [
        "hierarchy",
        "top talkers",
        "handshakes",
        "dns names",
        "frame_time",
    ] {
        assert!(out.contains(&format!("{query}:")), "{query} not run: {out}");
    }
}
