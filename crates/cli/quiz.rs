//! `layers quiz`: asks, reads answers (a terminal, or one line each from a script), marks
//! them, and ends with every mistake and the line `score: X/N` (`得分:X/N` in Chinese).

use std::fs::File;
use std::io::{self, BufRead, IsTerminal, Read, Write};

use layers_capture::open;
use layers_osi::Lang;
use layers_quiz::progress::{self, Loaded, Progress};
use layers_quiz::{anki, bank, grade, Question, Topic};
use layers_stack::dissect_with_fcs;
use owo_colors::{OwoColorize, Style};

use crate::args::{ModeArg, QuizArgs, TopicArg};
use crate::i18n::Msg;
use crate::table::model_of;
use crate::{CliError, Ui};

/// The longest answer line kept; the rest of a longer line is read and dropped, so a
/// stream without newlines (`/dev/zero`) costs no more memory than this.
const MAX_ANSWER: usize = 4096;

/// The next answer line, without its line end; invalid UTF-8 is shown replaced; `None` at
/// the end of the input.
fn read_answer(input: &mut impl BufRead) -> io::Result<Option<String>> {
    let mut line = Vec::new();
    let n = input
        .by_ref()
        .take(MAX_ANSWER as u64)
        .read_until(b'\n', &mut line)?;
    if n == 0 {
        return Ok(None);
    }
    if line.last() != Some(&b'\n') && n == MAX_ANSWER {
        // Drop the rest of the line, in buffer-sized steps.
        loop {
            let buf = input.fill_buf()?;
            if buf.is_empty() {
                break;
            }
            let (used, end) = match buf.iter().position(|b| *b == b'\n') {
                Some(at) => (at + 1, true),
                None => (buf.len(), false),
            };
            input.consume(used);
            if end {
                break;
            }
        }
    }
    while matches!(line.last(), Some(b'\n' | b'\r')) {
        line.pop();
    }
    Ok(Some(String::from_utf8_lossy(&line).into_owned()))
}

/// This run's answers, added to the progress file when the quiz ends, however it ends (the
/// last question, `q`, the end of the input, an error): dropped, it saves.
struct Journal {
    path: Option<std::path::PathBuf>,
    answers: Vec<(String, bool)>,
    lang: Lang,
}

impl Drop for Journal {
    fn drop(&mut self) {
        let (Some(path), false) = (&self.path, self.answers.is_empty()) else {
            return;
        };
        let lang = self.lang;
        match Progress::update(path, &self.answers) {
            Ok(Loaded::SetAside(aside)) => eprintln!(
                "{}",
                Msg::QuizAside.fill(lang, &[&path.display(), &aside.display()])
            ),
            Ok(_) => {}
            Err(e) => eprintln!("{}", Msg::QuizSaveFailed.fill(lang, &[&path.display(), &e])),
        }
    }
}

fn topic_of(t: TopicArg) -> Option<Topic> {
    Some(match t {
        TopicArg::Table => Topic::Table,
        TopicArg::LayerOf => Topic::LayerOf,
        TopicArg::Devices => Topic::Devices,
        TopicArg::Pdu => Topic::Pdu,
        TopicArg::Ports => Topic::Ports,
        TopicArg::Subnet => Topic::Subnet,
        TopicArg::Tcp => Topic::Tcp,
        TopicArg::TcpUdp => Topic::TcpUdp,
        TopicArg::All => return None,
    })
}

fn paint(ui: &Ui, text: &str, style: Style) -> String {
    if ui.color {
        text.style(style).to_string()
    } else {
        text.to_string()
    }
}

/// The questions about frame `n` of `path`.
fn frame_questions(
    path: &str,
    n: u64,
    args: &QuizArgs,
    lang: Lang,
) -> Result<Vec<Question>, CliError> {
    let file =
        File::open(path).map_err(|e| CliError::Input(Msg::ReadInput.fill(lang, &[&path, &e])))?;
    let frames = open(Box::new(file) as Box<dyn Read + Send>, None)
        .map_err(|e| CliError::Input(format!("{path}: {}", crate::said::read_error(&e, lang))))?;
    for item in frames {
        let raw = item.map_err(|e| {
            CliError::Input(format!("{path}: {}", crate::said::read_error(&e, lang)))
        })?;
        if raw.number == n {
            let d = dissect_with_fcs(raw.link, &raw.data, raw.original_length, raw.fcs_len);
            return Ok(bank::frame(&d.layers, model_of(args.model)));
        }
    }
    Err(CliError::Input(
        Msg::QuizFromNoFrame.fill(lang, &[&path, &n]),
    ))
}

fn score_text(x: f64) -> String {
    let rounded = (x * 10.0).round() / 10.0;
    if rounded.fract() == 0.0 {
        format!("{rounded:.0}")
    } else {
        format!("{rounded:.1}")
    }
}

/// Runs `layers quiz`.
pub fn run(args: &QuizArgs, ui: &Ui, out: &mut dyn Write) -> Result<(), CliError> {
    let lang = ui.lang;
    let model = model_of(args.model);
    let seed = args.seed.unwrap_or_else(|| {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(1)
    });
    let mut rng = fastrand::Rng::with_seed(seed);
    let topic = topic_of(args.topic);
    let mut pool: Vec<Question> = match (&args.from, topic) {
        (Some(path), _) => frame_questions(path, args.frame, args, lang)?,
        (None, Some(t)) => bank::questions(t, model, &mut rng),
        (None, None) => Topic::ALL
            .iter()
            .flat_map(|t| bank::questions(*t, model, &mut rng))
            .collect(),
    };
    if let Some(path) = &args.export_anki {
        let n = anki::export(&pool, lang, &path.to_string_lossy())
            .map_err(|e| CliError::Input(Msg::WriteFile.fill(lang, &[&path.display(), &e])))?;
        writeln!(out, "{}", Msg::QuizAnki.fill(lang, &[&path.display(), &n]))?;
        return Ok(());
    }
    if pool.is_empty() {
        return Err(CliError::Usage(Msg::QuizNoQuestions.get(lang).to_string()));
    }

    let progress_path = progress::default_path();
    let progress = match &progress_path {
        Some(path) => {
            let (p, how) = Progress::load(path);
            if let Loaded::SetAside(aside) = how {
                eprintln!(
                    "{}",
                    Msg::QuizAside.fill(lang, &[&path.display(), &aside.display()])
                );
            }
            p
        }
        None => Progress::default(),
    };

    // The dictation keeps the course's order; everything else is shuffled by the seed.
    let dictation = topic == Some(Topic::Table) && args.from.is_none();
    if !dictation {
        rng.shuffle(&mut pool);
    }
    if args.review {
        // Missed before, then the lowest boxes; stable, so the seed still orders ties.
        pool.sort_by_key(|q| (!progress.missed(&q.id), progress.box_of(&q.id)));
    }
    if !dictation || args.review {
        let count = args.count.unwrap_or(10);
        // Say so, rather than silently ask another number than the one asked for.
        match args.count {
            Some(0) => eprintln!("{}", Msg::QuizCountZero.get(lang)),
            Some(n) if n > pool.len() => {
                eprintln!("{}", Msg::QuizCountMore.fill(lang, &[&n, &pool.len()]))
            }
            _ => {}
        }
        pool.truncate(count.clamp(1, pool.len()));
    }

    let interactive = io::stdin().is_terminal();
    let stdin = io::stdin();
    let mut input = stdin.lock();
    let mut journal = Journal {
        path: progress_path.clone(),
        answers: Vec::new(),
        lang,
    };
    let total = pool.len();
    let mut score = 0.0;
    let mut answered = 0;
    let mut quit = false;
    let mut ended = false;
    let mut mistakes: Vec<(&Question, String)> = Vec::new();
    if interactive {
        writeln!(
            out,
            "{}",
            paint(ui, Msg::QuizHelp.get(lang), Style::new().dimmed())
        )?;
    }
    'questions: for (i, q) in pool.iter().enumerate() {
        let counter = paint(
            ui,
            &format!("{}/{total}", i + 1),
            Style::new().bold().cyan(),
        );
        writeln!(out, "{counter} {}", q.prompt(lang))?;
        let choices = if args.mode == ModeArg::Choice {
            q.choices(&mut rng)
        } else {
            None
        };
        if let Some(options) = &choices {
            for (k, o) in options.iter().enumerate() {
                writeln!(out, "   {}) {}", (b'A' + k as u8) as char, o.name(lang))?;
            }
            writeln!(out, "   ({})", Msg::QuizChoose.get(lang))?;
        }
        let given = loop {
            if interactive {
                write!(out, "{} ", paint(ui, ">", Style::new().bold().green()))?;
            }
            out.flush()?;
            // Past the end of the input each question is shown with its answer, as a
            // skip is; it was not answered, so the progress file does not count it.
            let Some(line) = read_answer(&mut input)? else {
                ended = true;
                break None;
            };
            match line.trim() {
                "q" | "Q" => {
                    quit = true;
                    break 'questions;
                }
                ":hint" => writeln!(out, "  {}", Msg::QuizHint.fill(lang, &[&q.hint(lang)]))?,
                ":skip" => break None,
                _ => break Some(line),
            }
        };
        let Some(mut given) = given else {
            writeln!(
                out,
                "  {}",
                paint(
                    ui,
                    &Msg::QuizSkipped.fill(lang, &[&q.answer.show(lang)]),
                    Style::new().yellow()
                )
            )?;
            if !ended {
                journal.answers.push((q.id.clone(), false));
            }
            mistakes.push((q, String::new()));
            answered += 1;
            continue;
        };
        if let Some(options) = &choices {
            let t = given.trim();
            if t.len() == 1 {
                let k = t.to_ascii_uppercase().as_bytes()[0].wrapping_sub(b'A') as usize;
                if let Some(o) = options.get(k) {
                    given = o.en.clone();
                }
            }
        }
        let g = grade(&q.answer, &given, lang);
        score += g.credit;
        answered += 1;
        journal.answers.push((q.id.clone(), g.is_right()));
        let sep = Msg::ListSep.get(lang);
        // An empty list is a dash, not "none", which can be an answer itself.
        let none = "-";
        let list = |v: &[String]| {
            if v.is_empty() {
                none.to_string()
            } else {
                v.join(sep)
            }
        };
        let feedback = if g.is_right() {
            paint(ui, Msg::QuizRight.get(lang), Style::new().green())
        } else if g.credit > 0.0 {
            let text = Msg::QuizPartial.fill(
                lang,
                &[
                    &score_text(g.credit),
                    &list(&g.right),
                    &list(&g.missing),
                    &list(&g.extra),
                ],
            );
            paint(ui, &text, Style::new().yellow())
        } else {
            paint(
                ui,
                &Msg::QuizWrong.fill(lang, &[&q.answer.show(lang)]),
                Style::new().red(),
            )
        };
        writeln!(out, "  {feedback}")?;
        if !g.is_right() {
            mistakes.push((q, given.trim().to_string()));
        }
    }
    if !mistakes.is_empty() {
        writeln!(out)?;
        writeln!(
            out,
            "{}",
            paint(ui, Msg::QuizMistakes.get(lang), Style::new().bold())
        )?;
        for (q, given) in &mistakes {
            let given = if given.is_empty() { "-" } else { given };
            writeln!(
                out,
                "- {} {} {}",
                q.prompt(lang),
                q.answer.show(lang),
                Msg::QuizYou.fill(lang, &[&given])
            )?;
        }
    }
    // Quitting early scores the questions answered, and says how many were not asked.
    if quit && answered < total {
        let line =
            Msg::QuizScoreQuit.fill(lang, &[&score_text(score), &answered, &(total - answered)]);
        writeln!(out, "{line}")?;
    } else {
        writeln!(
            out,
            "{}",
            Msg::QuizScore.fill(lang, &[&score_text(score), &total])
        )?;
    }
    drop(journal);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_print_whole_or_with_one_decimal() {
        assert_eq!(score_text(10.0), "10");
        assert_eq!(score_text(7.5), "7.5");
        assert_eq!(score_text(0.0), "0");
        assert_eq!(score_text(2.0 / 3.0), "0.7");
    }
}
