//! Spaced repetition: Leitner boxes in a JSON file. A right answer moves a question up a
//! box, a wrong one back to box 1; `--review` asks the lowest boxes first.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The highest box.
pub const TOP_BOX: u8 = 5;

/// What the progress file holds.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Progress {
    /// The file's format, so a future one is recognised.
    pub version: u32,
    /// Question id to its box (1 to 5).
    pub boxes: BTreeMap<String, u8>,
}

/// What happened when the progress file was read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Loaded {
    /// There was none: a fresh start.
    Fresh,
    /// It was read.
    Read,
    /// It could not be read as ours; it was moved aside to this path.
    SetAside(PathBuf),
}

impl Progress {
    /// Reads `path`; a file that is not a progress file is renamed aside (never lost, never
    /// a crash) and a fresh progress starts.
    pub fn load(path: &Path) -> (Progress, Loaded) {
        let fresh = Progress {
            version: 1,
            boxes: BTreeMap::new(),
        };
        let Ok(text) = fs::read_to_string(path) else {
            if path.exists() {
                return (fresh, set_aside(path));
            }
            return (fresh, Loaded::Fresh);
        };
        match serde_json::from_str::<Progress>(&text) {
            Ok(p) if p.version == 1 && p.boxes.values().all(|b| (1..=TOP_BOX).contains(b)) => {
                (p, Loaded::Read)
            }
            _ => (fresh, set_aside(path)),
        }
    }

    /// Writes it to `path`, creating the directory.
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir)?;
        }
        // A unique file, created exclusively beside the progress file, then renamed over
        // it: two quizzes at once cannot tear it, and a symlink planted at a fixed
        // temporary name is never followed.
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        let mut tmp = tempfile::Builder::new()
            .prefix(".progress-")
            .suffix(".tmp")
            .tempfile_in(dir)?;
        let text = serde_json::to_string_pretty(self).map_err(std::io::Error::other)?;
        std::io::Write::write_all(&mut tmp, text.as_bytes())?;
        tmp.as_file().sync_all()?;
        tmp.persist(path).map_err(|e| e.error)?;
        Ok(())
    }

    /// Adds this run's `answers` (question id, right or not, in the order given) to the
    /// progress at `path` as it is now, under an exclusive lock beside it: two quizzes that
    /// end at once both keep their answers, one applied after the other, never one lost.
    pub fn update(path: &Path, answers: &[(String, bool)]) -> std::io::Result<Loaded> {
        let dir = match path.parent() {
            Some(d) if !d.as_os_str().is_empty() => d,
            _ => Path::new("."),
        };
        fs::create_dir_all(dir)?;
        let mut lock_name = path.file_name().unwrap_or_default().to_os_string();
        lock_name.push(".lock");
        let lock = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(dir.join(lock_name))?;
        // Released when `lock` is closed, at the end of this function.
        lock.lock()?;
        let (mut progress, loaded) = Progress::load(path);
        for (id, right) in answers {
            progress.record(id, *right);
        }
        progress.save(path)?;
        Ok(loaded)
    }

    /// The box of question `id` (questions never seen are in box 1).
    pub fn box_of(&self, id: &str) -> u8 {
        self.boxes.get(id).copied().unwrap_or(1)
    }

    /// Records an answer: right moves up a box, wrong goes back to box 1.
    pub fn record(&mut self, id: &str, right: bool) {
        let b = if right {
            self.box_of(id).saturating_add(1).min(TOP_BOX)
        } else {
            1
        };
        self.boxes.insert(id.to_string(), b);
    }

    /// Whether question `id` was missed last time (or never answered right).
    pub fn missed(&self, id: &str) -> bool {
        self.boxes.get(id) == Some(&1)
    }
}

fn set_aside(path: &Path) -> Loaded {
    let mut n = 1u32;
    let aside = loop {
        let candidate = path.with_extension(format!("json.corrupt-{n}"));
        if !candidate.exists() {
            break candidate;
        }
        n = n.saturating_add(1);
    };
    match fs::rename(path, &aside) {
        Ok(()) => Loaded::SetAside(aside),
        Err(_) => Loaded::SetAside(path.to_path_buf()),
    }
}

/// Where the progress file lives: `$XDG_DATA_HOME/layers/progress.json`, else
/// `~/.local/share/layers/progress.json`.
pub fn default_path() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_DATA_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/share")))?;
    Some(base.join("layers").join("progress.json"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Eight quizzes ending at once each add their answer; none is lost to another's save.
    #[test]
    fn concurrent_updates_all_land() {
        let d = dir("concurrent");
        let path = d.join("progress.json");
        let workers: Vec<_> = (0..8)
            .map(|i| {
                let path = path.clone();
                std::thread::spawn(move || {
                    for round in 0..10 {
                        let id = format!("q{i}");
                        Progress::update(&path, &[(id, round % 2 == 0)]).unwrap();
                    }
                })
            })
            .collect();
        for w in workers {
            w.join().unwrap();
        }
        let (p, how) = Progress::load(&path);
        assert_eq!(how, Loaded::Read);
        // Ten answers each, alternating right and wrong, ending wrong: box 1, for all eight.
        assert_eq!(p.boxes.len(), 8, "{:?}", p.boxes);
        assert!(p.boxes.values().all(|b| *b == 1), "{:?}", p.boxes);
    }

    fn dir(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("layers-progress-{}-{name}", std::process::id()));
        let _ = fs::remove_dir_all(&d);
        fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn fresh_then_saved_then_read_back() {
        let path = dir("fresh").join("layers/progress.json");
        let (mut p, how) = Progress::load(&path);
        assert_eq!(how, Loaded::Fresh);
        p.record("a", true);
        p.record("a", true);
        p.record("b", false);
        p.save(&path).unwrap();
        let (q, how) = Progress::load(&path);
        assert_eq!(how, Loaded::Read);
        assert_eq!((q.box_of("a"), q.box_of("b"), q.box_of("never")), (3, 1, 1));
        assert!(q.missed("b") && !q.missed("a") && !q.missed("never"));
    }

    #[test]
    fn boxes_stop_at_the_top_and_fall_to_one() {
        let mut p = Progress::default();
        for _ in 0..10 {
            p.record("x", true);
        }
        assert_eq!(p.box_of("x"), TOP_BOX);
        p.record("x", false);
        assert_eq!(p.box_of("x"), 1);
    }

    #[test]
    fn corrupt_or_foreign_files_are_set_aside_not_lost() {
        let d = dir("corrupt");
        for (name, content) in [
            ("garbage.json", "{not json"),
            ("foreign.json", r#"{"version":1,"cards":[]}"#),
            ("future.json", r#"{"version":9,"boxes":{}}"#),
        ] {
            let path = d.join(name);
            fs::write(&path, content).unwrap();
            let (p, how) = Progress::load(&path);
            assert_eq!(p.boxes.len(), 0);
            let Loaded::SetAside(aside) = how else {
                panic!("{name}: {how:?}")
            };
            assert_eq!(fs::read_to_string(&aside).unwrap(), content, "{name} kept");
            assert!(!path.exists());
        }
    }
}
