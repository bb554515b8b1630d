//! The quiz: the memorisation table as the course dictates it, and drills on layers,
//! devices, PDUs, ports, subnets, TCP states and TCP vs UDP, drawn from the other crates'
//! knowledge. Questions, answer matching, scoring, seeded order and progress live here; the
//! CLI only asks and prints.
//!
//! ```
//! use layers_osi::{Lang, Model};
//! use layers_quiz::{bank, grade};
//! let dictation = bank::table(Model::TcpIp5);
//! assert_eq!(dictation.len(), 10);
//! let g = grade(&dictation[3].answer, "L4 router, 四层交换机", Lang::En);
//! assert!(g.is_right());
//! ```
#![forbid(unsafe_code)]
#![deny(clippy::print_stdout, clippy::print_stderr)]
// A library must not panic on any input: no unwrap, expect or unchecked index outside
// tests; where one is provably safe, an `#[expect]` says why.
#![cfg_attr(
    not(test),
    deny(
        clippy::unwrap_used,
        clippy::expect_used,
        clippy::indexing_slicing,
        // Counts and offsets saturate or are checked: nothing wraps.
        clippy::arithmetic_side_effects
    )
)]

pub mod anki;
pub mod bank;
mod matching;
pub mod progress;

pub use bank::{Question, Topic};
pub use matching::{fold, grade, Answer, Grade, Item};
