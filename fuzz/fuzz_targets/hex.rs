//! `layers decode` with the input read as hex, then every view of every frame.
#![no_main]
use layers_capture::InputFormat;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = layers_cli::fuzzing::decode(data, Some(InputFormat::Hex));
});
