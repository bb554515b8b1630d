//! End-to-end tests of the `layers` binary: one integration-test binary, its modules:
//!
//! - `util`: running the binary with a clean environment (no locale, no colour).
//! - `capture`: `layers capture` live on loopback and in two namespaces, beside tcpdump.
//! - `chat`: `layers chat` servers and clients on loopback, driven through their input.
//! - `decode`: `layers decode`, every input layout and container, every view, every error.
//! - `encode`: `layers encode`, every flag, every view, every output format, every refusal.
//! - `interop`: what `encode` writes, read by tshark (skipped, saying so, without tshark).
//! - `differential`: `decode` and tshark on every fixture frame, field by field.
//! - `journey`: `layers journey`: steps, the pcapng per link (tshark), TTL, MTU, topologies.
//! - `quiz`: `layers table` and `layers quiz`: the dictation, matching, seeds, progress, Anki.
//! - `subnet`: `layers subnet` and `layers port`, against ipnet.
//! - `tcp`: `layers tcp`: the ladder, losses as tshark sees them, real captures followed.
//! - `readme`: the README's console sessions, run and compared line by line.
//! - `hostile`: inputs that once asked for unbounded memory or time, under a ceiling.
//! - `filter`: `decode --filter` against tcpdump's selection of the same frames.
//! - `parquet`: `decode --parquet` read back by DuckDB, against `--stats`, `--json` and tshark.
//! - `paste`: hex text from xxd, hexdump, tshark, tcpdump, Wireshark and `layers`, read back.
//! - `html`: `--html`, the classroom pages: against `--json`, and in headless Chromium.

mod capture;
mod chat;
mod decode;
mod differential;
mod encode;
mod filter;
mod hostile;
mod html;
mod interop;
mod journey;
#[cfg(feature = "parquet")]
mod parquet;
mod paste;
mod quiz;
mod readme;
mod subnet;
mod tcp;
mod util;

/// Without the `parquet` feature its tests are not built (said, and refused in CI, which
/// builds it); `--parquet` then says how to get it.
#[cfg(not(feature = "parquet"))]
#[test]
fn without_the_parquet_feature_the_flag_says_how_to_build_it() {
    let o = util::run(&["decode", "fixtures/crafted.pcap", "--parquet", "x.parquet"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        util::stderr(&o).contains("--features parquet"),
        "{}",
        util::stderr(&o)
    );
    assert!(!std::path::Path::new("x.parquet").exists());
    util::skip_without_feature("parquet", "tests/parquet.rs");
}
