//! Running the binary as a user would, with an environment that cannot change the output.

use std::path::PathBuf;
use std::process::{Command, Output};

/// `layers` with no locale, colour or pager variables from the caller's environment.
pub fn layers() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_layers"));
    for var in [
        "LANG",
        "LC_ALL",
        "LC_MESSAGES",
        "NO_COLOR",
        "SOURCE_DATE_EPOCH",
        "CLICOLOR_FORCE",
    ] {
        cmd.env_remove(var);
    }
    cmd
}

/// Runs `layers ARGS...` and returns its output.
pub fn run(args: &[&str]) -> Output {
    layers().args(args).output().expect("layers runs")
}

/// Stdout as text.
pub fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("stdout is UTF-8")
}

/// Stderr as text.
pub fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("stderr is UTF-8")
}

/// Runs `layers encode ARGS... --json` and parses the frame it prints.
pub fn encode_json(args: &[&str]) -> serde_json::Value {
    let mut all = vec!["encode", "--json"];
    all.extend_from_slice(args);
    let o = run(&all);
    assert!(o.status.success(), "{all:?}: {}", stderr(&o));
    let text = stdout(&o);
    assert_eq!(text.lines().count(), 1, "one JSON line: {text}");
    serde_json::from_str(&text).expect("valid JSON")
}

/// The layer record of `protocol` in a JSON frame.
pub fn layer<'a>(frame: &'a serde_json::Value, protocol: &str) -> &'a serde_json::Value {
    frame["layers"]
        .as_array()
        .expect("layers")
        .iter()
        .find(|l| l["protocol"] == protocol)
        .unwrap_or_else(|| panic!("no {protocol} layer in {frame}"))
}

/// A fresh directory for files a test writes.
pub fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("layers-test-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    dir
}

/// Says on the terminal that a test is skipped because `tool` is missing (`why`), or fails
/// in CI, where `.ci/run` installs every tool the tests compare against.
pub fn skip_without(tool: &str, why: &str) {
    skip(
        &format!("{tool} is missing in CI: .ci/run should have installed it ({why})"),
        &format!("{tool} is not installed ({why}); .ci/run installs it"),
    );
}

/// Says on the terminal that a test is skipped because it needs root (`why`), or fails in
/// CI, which runs as root.
pub fn skip_without_root(why: &str) {
    skip(
        &format!("not root in CI: .ci/run runs as root ({why})"),
        &format!("not running as root ({why}); .ci/run runs as root"),
    );
}

/// Says that the tests `what` need the cargo feature `feature`, or fails in CI, which
/// builds with every feature.
#[allow(dead_code, reason = "only a build without some feature skips")]
pub fn skip_without_feature(feature: &str, what: &str) {
    skip(
        &format!("{what} not built in CI: .ci/run tests with --all-features"),
        &format!("{what} need the {feature} feature: cargo test --workspace --all-features"),
    );
}

/// Fails with `in_ci` in CI (where nothing may be skipped), else says `skipped: {why}`.
fn skip(in_ci: &str, why: &str) {
    assert!(std::env::var_os("CI").is_none(), "{in_ci}");
    // Written straight to the terminal: the test harness would swallow println!.
    let _ = std::io::Write::write_fmt(&mut std::io::stderr(), format_args!("skipped: {why}\n"));
}
