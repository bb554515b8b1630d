//! A question from the table or from the input's own frame, graded against the input as an answer.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = layers_cli::fuzzing::quiz(data);
});
