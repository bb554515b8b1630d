//! The pcap reader on arbitrary bytes, each frame it yields dissected (`--oneline`,
//! `--stats`). The `decode` target runs every view on what every reader yields.
#![no_main]
use layers_capture::InputFormat;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = layers_cli::fuzzing::read(data, InputFormat::Pcap);
});
