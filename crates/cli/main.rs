//! The `layers` binary: everything is in the library beside it (`lib.rs`).
#![forbid(unsafe_code)]

fn main() -> std::process::ExitCode {
    layers_cli::main()
}
