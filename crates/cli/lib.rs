//! `layers`: build, dissect and drill network frames layer by layer.
//!
//! The command line only parses its arguments and renders; everything it shows comes from
//! the library crates. Exit codes: 0 done, 1 an input could not be read, 2 bad command line.
//! It is a library so that the fuzz targets (`fuzz/`) run the same views in-process; its one
//! public entry is [`main`], plus the hidden [`fuzzing`] module.
#![forbid(unsafe_code)]

mod args;
mod capture;
mod chat;
mod decode;
mod docs;
mod encode;
#[doc(hidden)]
pub mod fuzzing;
mod help;
mod i18n;
mod journey;
mod output;
#[cfg(feature = "parquet")]
mod parquet;
mod plan;
mod quiz;
mod render;
mod said;
mod subnet;
mod table;
mod tcp;

use std::io::{self, IsTerminal, Write};
use std::process::ExitCode;

use clap::FromArgMatches;
use layers_osi::Lang;

use crate::args::{Cli, ColorChoice, Command, LangArg};
use crate::i18n::Msg;

/// Exit code: the command line was wrong (clap uses the same).
const EXIT_USAGE: u8 = 2;
/// Exit code: an input could not be read.
const EXIT_INPUT: u8 = 1;

/// An error that ends the program, with its exit code.
#[derive(Debug)]
pub enum CliError {
    /// A flag's value is wrong or flags conflict: exit 2.
    Usage(String),
    /// An input file could not be read or understood: exit 1.
    Input(String),
    /// Writing the output failed.
    Io(io::Error),
}

impl From<io::Error> for CliError {
    fn from(e: io::Error) -> Self {
        CliError::Io(e)
    }
}

/// How output looks: decided once, passed down.
#[derive(Clone, Copy, Debug)]
pub struct Ui {
    /// The language of everything printed.
    pub lang: Lang,
    /// Whether to use ANSI colours.
    pub color: bool,
    /// Table width when stdout is not a terminal (fixed so output is byte-stable).
    pub width: Option<u16>,
}

impl Ui {
    fn decide(cli: &Cli) -> Ui {
        let lang = match cli.lang {
            Some(LangArg::En) => Lang::En,
            Some(LangArg::Zh) => Lang::Zh,
            None => locale_lang(),
        };
        let tty = io::stdout().is_terminal();
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let color = match cli.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => tty && !no_color,
        };
        Ui {
            lang,
            color,
            width: if tty { None } else { Some(120) },
        }
    }
}

/// The language of the locale: `LC_ALL`, `LC_MESSAGES` or `LANG`, the first one set.
fn locale_lang() -> Lang {
    ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|v| std::env::var(v).ok())
        .find(|v| !v.is_empty())
        .map(|v| Lang::from_locale(&v))
        .unwrap_or_default()
}

/// Parses the command line with its help and clap's messages in the user's language; help,
/// version and command-line errors are printed here and end the program.
fn parse() -> Result<Cli, ExitCode> {
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let lang = help::early_lang(&args).unwrap_or_else(locale_lang);
    let parsed = help::command(lang)
        .try_get_matches_from(&args)
        .and_then(|m| Cli::from_arg_matches(&m));
    parsed.map_err(|e| {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let (tty, code) = if e.use_stderr() {
            (io::stderr().is_terminal(), e.exit_code())
        } else {
            (io::stdout().is_terminal(), 0)
        };
        let text = help::render(&e, lang, tty && !no_color);
        let _ = if e.use_stderr() {
            write!(io::stderr(), "{text}")
        } else {
            write!(io::stdout(), "{text}")
        };
        ExitCode::from(u8::try_from(code).unwrap_or(EXIT_USAGE))
    })
}

fn run(cli: &Cli, ui: &Ui) -> Result<(), CliError> {
    // `-o -` gives standard output to the capture; what the command says goes to stderr.
    let capture_out = match &cli.command {
        Command::Encode(a) => a.output.as_deref(),
        Command::Journey(a) => a.output.as_deref(),
        Command::Tcp(a) => a.output.as_deref(),
        Command::Capture(a) => a.write.as_deref(),
        _ => None,
    };
    let mut out: Box<dyn Write> = if capture_out.is_some_and(output::is_stdout) {
        Box::new(io::BufWriter::new(io::stderr()))
    } else {
        Box::new(io::BufWriter::new(io::stdout().lock()))
    };
    let out = &mut *out;
    let result = match &cli.command {
        Command::Encode(args) => encode::run(args, ui, out),
        Command::Decode(args) => decode::run(args, ui, out),
        Command::Table(args) => table::run(args, ui, out),
        Command::Quiz(args) => quiz::run(args, ui, out),
        Command::Subnet(args) => subnet::run(args, ui, out),
        Command::Port(args) => subnet::port(args, ui, out),
        Command::Journey(args) => journey::run(args, ui, out),
        Command::Tcp(args) => tcp::run(args, ui, out),
        Command::Chat(cmd) => chat::run(cmd, ui, out),
        Command::Capture(args) => capture::run(args, ui, out),
        Command::Completions(args) => docs::completions(args, out),
        Command::Man(args) => docs::man(args, ui, out),
    };
    // Whatever was printed before an error still reaches the reader.
    let flushed = out.flush();
    result?;
    Ok(flushed?)
}

/// The whole program: parse the command line, run the command, say how it went.
pub fn main() -> ExitCode {
    let cli = match parse() {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    let ui = Ui::decide(&cli);
    match run(&cli, &ui) {
        Ok(()) => ExitCode::SUCCESS,
        Err(CliError::Io(e)) if e.kind() == io::ErrorKind::BrokenPipe => ExitCode::SUCCESS,
        Err(e) => {
            let (code, message) = match e {
                CliError::Usage(m) => (EXIT_USAGE, m),
                CliError::Input(m) => (EXIT_INPUT, m),
                CliError::Io(e) => (EXIT_INPUT, e.to_string()),
            };
            let _ = writeln!(io::stderr(), "{} {message}", Msg::ErrorPrefix.get(ui.lang));
            ExitCode::from(code)
        }
    }
}
