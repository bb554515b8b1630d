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
    let mut file = AtomicFile::create(path, lang)?;
    write(&mut file).map_err(|e| write_failed(path, lang, &e))?;
    file.commit()
}

/// A file written whole or not at all: its bytes go to a temporary file beside `path`,
/// renamed over it by [`AtomicFile::commit`]; dropped without that, it leaves no trace.
pub struct AtomicFile {
    out: io::BufWriter<tempfile::NamedTempFile>,
    path: std::path::PathBuf,
    lang: Lang,
}

impl AtomicFile {
    /// Starts writing `path`.
    pub fn create(path: &Path, lang: Lang) -> Result<AtomicFile, CliError> {
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let tmp = tempfile::Builder::new()
            .prefix(".layers-")
            .suffix(".tmp")
            .tempfile_in(dir)
            .map_err(|e| write_failed(path, lang, &without_temp_path(&e)))?;
        Ok(AtomicFile {
            out: io::BufWriter::with_capacity(1 << 16, tmp),
            path: path.to_path_buf(),
            lang,
        })
    }

    /// Puts the file in place, once every byte is on disk.
    pub fn commit(self) -> Result<(), CliError> {
        let (path, lang) = (self.path, self.lang);
        let failed = |e: &dyn std::fmt::Display| write_failed(&path, lang, e);
        // A capture is for everyone to read, as File::create would make it (the temporary
        // file is private); an existing file keeps its own permissions.
        let mode = std::fs::metadata(&path)
            .map(|m| m.permissions())
            .unwrap_or_else(|_| std::os::unix::fs::PermissionsExt::from_mode(0o644));
        let tmp = self.out.into_inner().map_err(|e| failed(&e.into_error()))?;
        tmp.as_file()
            .set_permissions(mode)
            .map_err(|e| failed(&e))?;
        tmp.as_file().sync_all().map_err(|e| failed(&e))?;
        tmp.persist(&path).map_err(|e| failed(&e.error))?;
        Ok(())
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.out.write(buf)
    }

    fn write_all(&mut self, buf: &[u8]) -> io::Result<()> {
        self.out.write_all(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.out.flush()
    }
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

/// Says that a file was written: on standard output, or on standard error beside
/// `--json`, whose standard output holds the JSON only.
pub fn said_wrote(out: &mut dyn Write, json: bool, line: &str) -> io::Result<()> {
    if json {
        let mut err = io::stderr().lock();
        writeln!(err, "{line}")
    } else {
        writeln!(out, "{line}")
    }
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
