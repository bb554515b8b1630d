//! What the decode views share: times, field values as text, the errors under a frame.

use std::io::{self, Write};

use layers_osi::{FieldValue, LayerRecord};
use layers_stack::Frame;
use owo_colors::Style;

use super::{paint, value_text};
use crate::i18n::Msg;
use crate::Ui;

/// Seconds since the epoch as `YYYY-MM-DD HH:MM:SS.ffffff` (UTC).
pub(super) fn utc(t: f64) -> String {
    let micros = (t * 1e6).round() as i64;
    let secs = micros.div_euclid(1_000_000);
    let frac = micros.rem_euclid(1_000_000);
    let days = secs.div_euclid(86_400);
    let rem = secs.rem_euclid(86_400);
    // Days to a civil date (Howard Hinnant's algorithm).
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02} {:02}:{:02}:{:02}.{frac:06}",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

pub(super) fn field_value(v: &FieldValue) -> String {
    field_value_in(v, &|k| k)
}

/// A value as text, the keys of its objects named by `key` (Chinese names in Chinese).
pub(super) fn field_value_in<'k>(v: &'k FieldValue, key: &dyn Fn(&'k str) -> &'k str) -> String {
    match v {
        FieldValue::List(items) if items.iter().any(FieldValue::is_object) => items
            .iter()
            .map(|i| compact(i, key))
            .collect::<Vec<_>>()
            .join(", "),
        FieldValue::Object(_) | FieldValue::Map(_) => compact(v, key),
        other => value_text(other),
    }
}

fn compact<'k>(v: &'k FieldValue, key: &dyn Fn(&'k str) -> &'k str) -> String {
    let members: Vec<(&str, &FieldValue)> = match v {
        FieldValue::Object(m) => m.iter().map(|(k, v)| (*k, v)).collect(),
        FieldValue::Map(m) => m.iter().map(|(k, v)| (k.as_str(), v)).collect(),
        other => return value_text(other),
    };
    let parts: Vec<String> = members
        .iter()
        .map(|(k, v)| {
            // Header names come from the frame too.
            let mut name = String::new();
            layers_osi::write_escaped(&mut name, key(k));
            format!("{name}={}", value_text(v))
        })
        .collect();
    format!("{{{}}}", parts.join(" "))
}

pub(super) fn errors(out: &mut dyn Write, ui: &Ui, frame: &Frame) -> io::Result<()> {
    for e in &frame.errors {
        let line = Msg::StopLine.fill(
            ui.lang,
            &[
                &e.protocol_name(),
                &e.layer.number(),
                &e.offset,
                &crate::said::stop(e, ui.lang),
            ],
        );
        writeln!(out, "  ! {}", paint(ui, &line, Style::new().red()))?;
    }
    Ok(())
}

pub(super) fn field<'a>(rec: &'a LayerRecord, name: &str) -> Option<&'a FieldValue> {
    rec.field(name).map(|f| &f.value)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_print_as_utc() {
        assert_eq!(utc(0.0), "1970-01-01 00:00:00.000000");
        assert_eq!(utc(1_732_500_000.123456), "2024-11-25 02:00:00.123456");
        assert_eq!(utc(951_782_400.5), "2000-02-29 00:00:00.500000");
    }
}
