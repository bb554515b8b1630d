//! Where a command writes the frames it made: a file, or standard output for `-` (as
//! `tcpdump -w -`), so `layers encode -o - | tshark -r -` works. Then standard output holds
//! the capture alone, and what the command says goes to standard error.

use std::fs::File;
use std::io::{self, Write};
use std::path::Path;

use layers_osi::Lang;

use crate::i18n::Msg;
use crate::CliError;

/// Whether `path` means standard output.
pub fn is_stdout(path: &Path) -> bool {
    path == Path::new("-")
}

/// What to call `path` in a message.
pub fn name(path: &Path, lang: Lang) -> String {
    if is_stdout(path) {
        Msg::StandardOutput.get(lang).to_string()
    } else {
        path.display().to_string()
    }
}

/// Opens `path` for writing (standard output for `-`), buffered.
pub fn create(path: &Path, lang: Lang) -> Result<Box<dyn Write>, CliError> {
    if is_stdout(path) {
        return Ok(Box::new(io::BufWriter::new(io::stdout())));
    }
    let file = File::create(path).map_err(|e| write_failed(path, lang, &e))?;
    Ok(Box::new(io::BufWriter::new(file)))
}

/// The error of writing `path`.
pub fn write_failed(path: &Path, lang: Lang, e: &dyn std::fmt::Display) -> CliError {
    CliError::Input(Msg::WriteFile.fill(lang, &[&name(path, lang), e]))
}

/// Refuses `--json` with `-o -`: both would write to standard output.
pub fn check_json(output: Option<&Path>, json: bool, lang: Lang) -> Result<(), CliError> {
    if json && output.is_some_and(is_stdout) {
        return Err(CliError::Usage(Msg::JsonAndStdout.get(lang).to_string()));
    }
    Ok(())
}

/// Refuses two flags that cannot combine, saying why (exit 2): never one silently ignored.
pub fn together(lang: Lang, a: &str, b: &str, why: Msg) -> CliError {
    CliError::Usage(Msg::ConflictTogether.fill(lang, &[&a, &b, &why.get(lang)]))
}
