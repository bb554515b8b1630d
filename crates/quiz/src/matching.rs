//! Answer matching: names in either language or by an alias, sets in any order, the usual
//! separators, case, full-width letters and punctuation folded; partial credit with what
//! was right, what was missing and what does not belong.

use layers_osi::Lang;

/// One thing an answer can name, with every spelling that counts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Item {
    /// Its English name.
    pub en: String,
    /// Its Chinese name.
    pub zh: String,
    /// Other spellings that count.
    pub aliases: Vec<String>,
}

impl Item {
    /// An item named `en` / `zh`, with `aliases`.
    pub fn new(en: &str, zh: &str, aliases: &[&str]) -> Item {
        Item {
            en: en.to_string(),
            zh: zh.to_string(),
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
        }
    }

    /// Its name in `lang`.
    pub fn name(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.en,
            Lang::Zh => &self.zh,
        }
    }

    fn keys(&self) -> impl Iterator<Item = String> + '_ {
        [self.en.as_str(), self.zh.as_str()]
            .into_iter()
            .chain(self.aliases.iter().map(String::as_str))
            .map(fold)
    }

    /// Whether `text` names it.
    pub fn matches(&self, text: &str) -> bool {
        let t = fold(text);
        !t.is_empty() && self.keys().any(|k| k == t)
    }
}

/// What counts as a right answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Answer {
    /// All of these, in any order; an empty set is answered "none" / "无" / "-".
    Set(Vec<Item>),
    /// All of `items`, in any order; naming any of `also` costs nothing and counts as
    /// right: what the course's text or the standard also places there (FTP at the
    /// application layer, ICMP at the network layer) though the table does not list it.
    SetAlso {
        /// What the table lists: every one is asked for.
        items: Vec<Item>,
        /// What else is right to name.
        also: Vec<Item>,
    },
    /// Any one of these.
    AnyOf(Vec<Item>),
    /// Free text that must touch each group of ideas (one keyword of each group), with a
    /// model answer to show.
    Keywords {
        /// Groups of keywords; each group needs one hit.
        groups: Vec<Vec<String>>,
        /// The model answer.
        model: Item,
    },
}

/// How an answer was marked.
#[derive(Clone, Debug, PartialEq)]
pub struct Grade {
    /// Credit from 0 to 1.
    pub credit: f64,
    /// The items named rightly.
    pub right: Vec<String>,
    /// The items not named.
    pub missing: Vec<String>,
    /// What was given that does not belong.
    pub extra: Vec<String>,
}

impl Grade {
    /// Full credit.
    pub fn is_right(&self) -> bool {
        self.credit >= 1.0
    }
}

/// Folds case, full-width forms and punctuation, so `Ｌ４ Switch` and `l4-switch` agree.
pub fn fold(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            // Full-width ASCII (U+FF01..U+FF5E) to ASCII.
            '\u{ff01}'..='\u{ff5e}' => {
                char::from_u32((c as u32).saturating_sub(0xfee0)).unwrap_or(c)
            }
            '\u{3000}' => ' ',
            _ => c,
        })
        // Dots stay: 192.168.1.10 is not 192.168.11.0.
        .filter(|c| c.is_alphanumeric() || *c == '+' || *c == '.')
        .flat_map(char::to_lowercase)
        .collect::<String>()
        .trim_matches('.')
        .to_string()
}

const NONE_WORDS: [&str; 6] = ["none", "无", "-", "没有", "nothing", "n/a"];

fn is_none_answer(text: &str) -> bool {
    let t = text.trim();
    NONE_WORDS.iter().any(|w| t.eq_ignore_ascii_case(w)) || t == "—"
}

/// Splits an answer on the separators people use: `,` `，` `、` `;` `；` `/` newlines,
/// " and ", "和", "与".
fn chunks(text: &str) -> Vec<String> {
    let mut t = text.to_string();
    for sep in [" and ", " AND ", "和", "与", "以及"] {
        t = t.replace(sep, ",");
    }
    t.split([',', '，', '、', ';', '；', '/', '\n', '|'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// The items `text` names, and the words that name none of them. A chunk that names no
/// item whole is read word by word, longest runs first, so "hub repeater" finds both.
fn names<'a>(items: &'a [Item], text: &str) -> (Vec<&'a Item>, Vec<String>) {
    let mut found: Vec<&Item> = Vec::new();
    let mut extra = Vec::new();
    for chunk in chunks(text) {
        if is_none_answer(&chunk) {
            continue;
        }
        if let Some(item) = items.iter().find(|i| i.matches(&chunk)) {
            found.push(item);
            continue;
        }
        // Words that name nothing stay together: "access point" is one thing, not two.
        // A run matches when its folded words, put together, are an item's folded key, so
        // no run is longer than the longest key: linear in the answer's length.
        let words: Vec<&str> = chunk.split_whitespace().collect();
        let folded: Vec<String> = words.iter().map(|w| fold(w)).collect();
        let keys: Vec<(&Item, String)> = items
            .iter()
            .flat_map(|it| it.keys().map(move |k| (it, k)))
            .collect();
        let longest = keys.iter().map(|(_, k)| k.len()).max().unwrap_or(0);
        let mut unknown: Vec<&str> = Vec::new();
        let mut i = 0;
        while let Some(&word) = words.get(i) {
            let mut run = String::new();
            let mut hit = None;
            // A run never starts at a word that folds to nothing (punctuation).
            let starts = folded.get(i).is_some_and(|f| !f.is_empty());
            for (j, f) in folded.iter().enumerate().skip(i).filter(|_| starts) {
                if run.len().saturating_add(f.len()) > longest {
                    break;
                }
                run.push_str(f);
                if let Some((it, _)) = keys.iter().find(|(_, k)| *k == run) {
                    hit = Some((*it, j.saturating_add(1)));
                }
            }
            match hit {
                Some((item, j)) => {
                    if !unknown.is_empty() {
                        extra.push(unknown.join(" "));
                        unknown.clear();
                    }
                    found.push(item);
                    i = j;
                }
                None => {
                    unknown.push(word);
                    i = i.saturating_add(1);
                }
            }
        }
        if !unknown.is_empty() {
            extra.push(unknown.join(" "));
        }
    }
    found.dedup_by(|a, b| a == b);
    (found, extra)
}

/// Marks a set answer: every one of `items` is asked for; `also` may be named freely.
fn grade_set(items: &[Item], also: &[Item], given: &str, lang: Lang) -> Grade {
    let all: Vec<Item> = items.iter().chain(also).cloned().collect();
    let (found, extra) = names(&all, given);
    let mut right = Vec::new();
    let mut missing = Vec::new();
    for item in items {
        if found.contains(&item) {
            right.push(item.name(lang).to_string());
        } else {
            missing.push(item.name(lang).to_string());
        }
    }
    let asked = right.len();
    for item in also {
        if found.contains(&item) {
            right.push(item.name(lang).to_string());
        }
    }
    // Every wrong extra costs as much as a missing item, so naming everything does not pay.
    let total = items.len() as f64;
    let credit = ((asked as f64 - extra.len() as f64) / total).clamp(0.0, 1.0);
    Grade {
        credit,
        right,
        missing,
        extra,
    }
}

/// Marks `given` against `answer`; names are reported in `lang`.
pub fn grade(answer: &Answer, given: &str, lang: Lang) -> Grade {
    match answer {
        Answer::Set(items) if items.is_empty() => {
            let ok = is_none_answer(given);
            let extra = if ok { Vec::new() } else { chunks(given) };
            Grade {
                credit: if ok { 1.0 } else { 0.0 },
                right: Vec::new(),
                missing: Vec::new(),
                extra,
            }
        }
        Answer::Set(items) => grade_set(items, &[], given, lang),
        Answer::SetAlso { items, also } => grade_set(items, also, given, lang),
        Answer::AnyOf(items) => {
            let hit = items.iter().find(|i| i.matches(given.trim()));
            match hit {
                Some(item) => Grade {
                    credit: 1.0,
                    right: vec![item.name(lang).to_string()],
                    missing: Vec::new(),
                    extra: Vec::new(),
                },
                None => Grade {
                    credit: 0.0,
                    right: Vec::new(),
                    missing: items
                        .iter()
                        .take(1)
                        .map(|i| i.name(lang).to_string())
                        .collect(),
                    extra: if given.trim().is_empty() {
                        Vec::new()
                    } else {
                        vec![given.trim().to_string()]
                    },
                },
            }
        }
        Answer::Keywords { groups, model } => {
            let text = given.to_lowercase();
            let hits = groups
                .iter()
                .filter(|g| g.iter().any(|k| text.contains(&k.to_lowercase())))
                .count();
            let credit = hits as f64 / groups.len().max(1) as f64;
            let missing = if credit < 1.0 {
                vec![model.name(lang).to_string()]
            } else {
                Vec::new()
            };
            Grade {
                credit,
                right: Vec::new(),
                missing,
                extra: Vec::new(),
            }
        }
    }
}

impl Answer {
    /// The right answer written out in `lang`.
    pub fn show(&self, lang: Lang) -> String {
        let sep = if lang == Lang::Zh { "、" } else { ", " };
        match self {
            Answer::Set(items) if items.is_empty() => {
                (if lang == Lang::Zh { "无" } else { "none" }).to_string()
            }
            Answer::Set(items) | Answer::SetAlso { items, .. } => items
                .iter()
                .map(|i| i.name(lang))
                .collect::<Vec<_>>()
                .join(sep),
            Answer::AnyOf(items) => items.first().map_or("", |i| i.name(lang)).to_string(),
            Answer::Keywords { model, .. } => model.name(lang).to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A long answer of words that name nothing (a paste, a fuzzer's) is graded in linear
    /// time: runs are never longer than the longest name. It once tried every run.
    #[test]
    fn a_long_answer_is_graded_in_linear_time() {
        let set = Answer::Set(devices());
        let mut words: Vec<&str> = ["zz"; 20_000].to_vec();
        words.extend(["L4", "router", "-", "-", "layer-4", "switch", "zz"]);
        let start = std::time::Instant::now();
        let g = grade(&set, &words.join(" "), Lang::En);
        assert!(
            start.elapsed() < std::time::Duration::from_secs(2),
            "{:?}",
            start.elapsed()
        );
        assert_eq!(g.right, ["layer-4 switch", "layer-4 router"]);
        // The unknown words, as runs split where a name was found (the dashes went with
        // the name before them, folded away).
        assert_eq!(g.extra, [["zz"; 20_000].join(" "), "zz".to_string()]);
    }

    fn devices() -> Vec<Item> {
        vec![
            Item::new(
                "layer-4 switch",
                "四层交换机",
                &["L4 switch", "layer 4 switch"],
            ),
            Item::new(
                "layer-4 router",
                "四层的路由器",
                &["L4 router", "四层路由器"],
            ),
        ]
    }

    #[test]
    fn folding_ignores_case_width_and_punctuation() {
        assert_eq!(fold("Ｌ４ Switch"), fold("l4-switch"));
        assert_eq!(fold("SYN_SENT"), fold("syn-sent"));
        assert_eq!(fold("四层交换机"), "四层交换机");
    }

    #[test]
    fn sets_in_any_order_with_any_separator_and_language() {
        let answer = Answer::Set(devices());
        for given in [
            "四层交换机,四层的路由器",
            "四层的路由器，四层交换机",
            "四层交换机、四层路由器",
            "L4 router and L4 switch",
            "layer-4 switch; layer-4 router",
            "四层交换机和四层的路由器",
            "Ｌ４ ＳＷＩＴＣＨ / l4 router",
            "L4 switch L4 router",
        ] {
            let g = grade(&answer, given, Lang::En);
            assert!(g.is_right(), "{given}: {g:?}");
        }
    }

    #[test]
    fn partial_credit_names_right_missing_and_extra() {
        let answer = Answer::Set(devices());
        let g = grade(&answer, "四层交换机, hub", Lang::Zh);
        assert_eq!(g.right, ["四层交换机"]);
        assert_eq!(g.missing, ["四层的路由器"]);
        assert_eq!(g.extra, ["hub"]);
        assert_eq!(g.credit, 0.0, "one right, one wrong");
        let g = grade(&answer, "L4 switch", Lang::En);
        assert_eq!(g.credit, 0.5);
        assert_eq!(g.missing, ["layer-4 router"]);
    }

    #[test]
    fn none_answers_an_empty_set() {
        for given in ["无", "none", "-", "NONE"] {
            assert!(
                grade(&Answer::Set(Vec::new()), given, Lang::En).is_right(),
                "{given}"
            );
        }
        assert!(!grade(&Answer::Set(Vec::new()), "HTTP", Lang::En).is_right());
        assert!(!grade(&Answer::Set(Vec::new()), "", Lang::En).is_right());
    }

    #[test]
    fn keywords_need_each_idea() {
        let answer = Answer::Keywords {
            groups: vec![
                vec!["ack".into(), "确认".into()],
                vec!["lost".into(), "丢".into()],
            ],
            model: Item::new("the final ACK may be lost", "最后的 ACK 可能丢失", &[]),
        };
        assert!(grade(&answer, "because the last ACK could get lost", Lang::En).is_right());
        assert!(grade(&answer, "最后一个确认可能丢失", Lang::En).is_right());
        assert_eq!(grade(&answer, "because of the ACK", Lang::En).credit, 0.5);
    }
}
