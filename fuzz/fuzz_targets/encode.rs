//! `layers encode` with one argument per line of the input: plan, build, faults, report.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = layers_cli::fuzzing::encode(data);
});
