//! A topology file, and a journey across it.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = layers_cli::fuzzing::topology(data);
});
