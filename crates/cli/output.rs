//! Where a command writes the frames it made: a file, or standard output for `-` (as
//! `tcpdump -w -`), so `layers encode -o - | tshark -r -` works. Then standard output holds
//! the capture alone, and what the command says goes to standard error.

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

/// Writes `path` with `write` (standard output for `-`), whole or not at all: a file is
/// written to a unique temporary file in the same directory and renamed over `path` only
/// when every byte is written, so an error or a full disk leaves the old file (or none),
/// never a cut capture.
pub fn write_atomically<E: std::fmt::Display>(
    path: &Path,
    lang: Lang,
    write: impl FnOnce(&mut dyn Write) -> Result<(), E>,
) -> Result<(), CliError> {
    if is_stdout(path) {
        let mut out = io::BufWriter::new(io::stdout());
        write(&mut out).map_err(|e| write_failed(path, lang, &e))?;
        return out.flush().map_err(|e| write_failed(path, lang, &e));
    }
    let failed = |e: &dyn std::fmt::Display| write_failed(path, lang, e);
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    let tmp = tempfile::Builder::new()
        .prefix(".layers-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| failed(&without_temp_path(&e)))?;
    // A capture is for everyone to read, as File::create would make it (the temporary
    // file is private); an existing file keeps its own permissions.
    let mode = std::fs::metadata(path)
        .map(|m| m.permissions())
        .unwrap_or_else(|_| std::os::unix::fs::PermissionsExt::from_mode(0o644));
    let mut out = io::BufWriter::new(tmp);
    write(&mut out).map_err(|e| failed(&e))?;
    let tmp = out.into_inner().map_err(|e| failed(&e.into_error()))?;
    tmp.as_file()
        .set_permissions(mode)
        .map_err(|e| failed(&e))?;
    tmp.as_file().sync_all().map_err(|e| failed(&e))?;
    tmp.persist(path).map_err(|e| failed(&e.error))?;
    Ok(())
}

/// tempfile's error says `... at path "/dir/.layers-XXXX.tmp"`: a name the user never gave
/// (and tempfile keeps the system's error only in that text), so the suffix goes.
fn without_temp_path(e: &io::Error) -> String {
    let text = e.to_string();
    match text.rsplit_once(" at path \"") {
        Some((system, path)) if path.contains(".layers-") => system.to_string(),
        _ => text,
    }
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
