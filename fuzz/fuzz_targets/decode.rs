//! `layers decode` with the input read as whatever it is detected as, then every view of every frame.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = layers_cli::fuzzing::decode(data, None);
});
