//! `layers table`: the memorisation table, from `layers-osi`.

use std::io::Write;

use comfy_table::Cell;
use layers_osi::{device, protocol, Lang, Model};
use serde_json::json;

use crate::args::{ModelArg, TableArgs};
use crate::i18n::Msg;
use crate::render::new_table;
use crate::{CliError, Ui};

/// The model a flag names.
pub fn model_of(m: ModelArg) -> Model {
    match m {
        ModelArg::Tcpip5 => Model::TcpIp5,
        ModelArg::Osi7 => Model::Osi7,
        ModelArg::Tcpip4 => Model::TcpIp4,
    }
}

fn device_name(name: &str, lang: Lang) -> String {
    device(name)
        .map(|d| d.name.get(lang).to_string())
        .unwrap_or_else(|| name.to_string())
}

/// Runs `layers table`.
pub fn run(args: &TableArgs, ui: &Ui, out: &mut dyn Write) -> Result<(), CliError> {
    let lang = ui.lang;
    let model = model_of(args.model);
    let none = Msg::NoDevice.get(lang);
    let sep = Msg::ListSep.get(lang);
    if args.json {
        let rows: Vec<_> = model
            .layers()
            .iter()
            .map(|l| {
                let top = *l.osi.last().expect("a layer covers an OSI layer");
                json!({
                    "layer": l.name.en,
                    "layer_zh": l.name.zh,
                    "osi": l.osi.iter().map(|o| o.number()).collect::<Vec<_>>(),
                    "pdu": top.pdu().en,
                    "pdu_zh": top.pdu().zh,
                    "protocols": l.protocols,
                    "devices": l.devices,
                    "devices_zh": l.devices.iter().map(|d| device_name(d, Lang::Zh)).collect::<Vec<_>>(),
                })
            })
            .collect();
        serde_json::to_writer(&mut *out, &rows).map_err(std::io::Error::from)?;
        writeln!(out)?;
        return Ok(());
    }
    let mut t = new_table(ui);
    let mut header = vec![Msg::ColOsi.get(lang), Msg::ColLayer.get(lang)];
    if args.pdu {
        header.push(Msg::ColPdu.get(lang));
    }
    header.extend([Msg::ColProtocols.get(lang), Msg::ColDevices.get(lang)]);
    t.set_header(header);
    let mut arp = false;
    for l in model.layers() {
        let osi: Vec<String> = l.osi.iter().map(|o| o.number().to_string()).collect();
        let protocols: Vec<String> = l
            .protocols
            .iter()
            .map(|p| {
                let noted = protocol(p).is_some_and(|x| x.name == "ARP");
                arp |= noted;
                if noted {
                    format!("{p} *")
                } else {
                    p.to_string()
                }
            })
            .collect();
        let devices: Vec<String> = l.devices.iter().map(|d| device_name(d, lang)).collect();
        let top = *l.osi.last().expect("a layer covers an OSI layer");
        let mut row = vec![Cell::new(osi.join(",")), Cell::new(l.name.get(lang))];
        if args.pdu {
            row.push(Cell::new(top.pdu().get(lang)));
        }
        let list = |v: Vec<String>| {
            if v.is_empty() {
                none.to_string()
            } else {
                v.join(sep)
            }
        };
        row.extend([Cell::new(list(protocols)), Cell::new(list(devices))]);
        t.add_row(row);
    }
    writeln!(
        out,
        "{}",
        Msg::TableTitle.fill(lang, &[&model_title(model, lang)])
    )?;
    writeln!(out, "{t}")?;
    if arp {
        if let Some(note) = protocol("ARP").and_then(|p| p.note) {
            writeln!(out, "* {}", note.get(lang))?;
        }
    }
    if model == Model::TcpIp5 {
        writeln!(out, "{}", Msg::TableMore.get(lang))?;
    }
    Ok(())
}

/// A model's name.
pub fn model_title(model: Model, lang: Lang) -> &'static str {
    match (model, lang) {
        (Model::TcpIp5, Lang::En) => "TCP/IP five-layer model",
        (Model::TcpIp5, Lang::Zh) => "TCP/IP 五层模型",
        (Model::Osi7, Lang::En) => "OSI seven-layer model",
        (Model::Osi7, Lang::Zh) => "OSI 七层模型",
        (Model::TcpIp4, Lang::En) => "TCP/IP four-layer model",
        (Model::TcpIp4, Lang::Zh) => "TCP/IP 四层模型",
    }
}
