//! The `--filter` expression parser and evaluator: an expression, a NUL byte, a frame.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = layers_cli::fuzzing::filter(data);
});
