//! `--json`: each frame as one line of the JSON frame model (JSON Lines).

use std::io;

use layers_osi::json::SpansCache;
use layers_osi::LinkType;
use layers_stack::Frame;

use super::printer::Printer;

/// `--json`: JSON Lines.
#[derive(Default)]
pub struct Json {
    spans: SpansCache,
}

impl Printer for Json {
    fn frame(&mut self, out: &mut Vec<u8>, f: &Frame, _: &[u8], _: LinkType) -> io::Result<()> {
        f.write_json_cached(out, &mut self.spans);
        out.push(b'\n');
        Ok(())
    }
}
