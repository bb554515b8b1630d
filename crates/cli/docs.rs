//! `layers completions` and `layers man`: shell completions and man pages, generated from
//! the same clap definitions as the command line itself, so they cannot drift from it.

use std::io::Write;

use layers_osi::Lang;

use crate::args::{CompletionsArgs, ManArgs};
use crate::help;
use crate::i18n::Msg;
use crate::{CliError, Ui};

/// Prints the completion script for the chosen shell.
pub fn completions(args: &CompletionsArgs, out: &mut dyn Write) -> Result<(), CliError> {
    let mut cmd = help::command(Lang::En);
    // Generated into memory: clap_complete panics on a write error (a closed pipe).
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut cmd, "layers", &mut script);
    out.write_all(&script)?;
    Ok(())
}

/// Prints the man page of `layers`, or writes it and one page per command into a directory.
pub fn man(args: &ManArgs, ui: &Ui, out: &mut dyn Write) -> Result<(), CliError> {
    let mut cmd = help::command(ui.lang).disable_help_subcommand(true);
    cmd.build();
    let Some(dir) = &args.dir else {
        clap_mangen::Man::new(cmd).render(out)?;
        return Ok(());
    };
    let failed = |path: &std::path::Path, e: &dyn std::fmt::Display| {
        CliError::Input(Msg::WriteFile.fill(ui.lang, &[&path.display(), e]))
    };
    std::fs::create_dir_all(dir).map_err(|e| failed(dir, &e))?;
    let source = format!("layers {}", env!("CARGO_PKG_VERSION"));
    let mut pages = vec![("layers".to_string(), cmd.clone())];
    for sub in cmd.get_subcommands() {
        // Named as man expects (layers-decode.1), its synopsis as it is typed.
        let name = format!("layers-{}", sub.get_name());
        let page = sub
            .clone()
            .display_name(name.clone())
            .bin_name(format!("layers {}", sub.get_name()));
        pages.push((name, page));
    }
    for (name, page) in pages {
        let path = dir.join(format!("{name}.1"));
        let mut bytes = Vec::new();
        clap_mangen::Man::new(page)
            .source(source.clone())
            .render(&mut bytes)?;
        std::fs::write(&path, bytes).map_err(|e| failed(&path, &e))?;
        writeln!(out, "{}", Msg::ManWrote.fill(ui.lang, &[&path.display()]))?;
    }
    Ok(())
}
