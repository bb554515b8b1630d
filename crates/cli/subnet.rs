//! `layers subnet` and `layers port`: the network layer's arithmetic, shown.

use std::io::Write;
use std::net::Ipv4Addr;

use layers_ipv4::{class_of, parse_prefix_or_mask, range_kind, Ipv4Net, SplitError};
use layers_osi::Lang;
use layers_transport::{port_services, registered_on, registry, service_port, PortClass, SERVICES};
use owo_colors::{OwoColorize, Style};
use serde_json::{json, Value};

use crate::args::{PortArgs, SubnetArgs};
use crate::encode::{subnet_error, usage};
use crate::i18n::Msg;
use crate::render::{new_table, pad};
use crate::{CliError, Ui};

/// `ADDR[/PREFIX|/MASK]`; without a prefix, the historic class's mask (and whether it was).
fn parse_net(text: &str, lang: Lang) -> Result<(Ipv4Net, bool), CliError> {
    let (addr, net) = match text.split_once('/') {
        Some((a, n)) => (a, Some(n)),
        None => (text, None),
    };
    let addr: Ipv4Addr = addr
        .trim()
        .parse()
        .map_err(|_| usage(lang, "ADDR", text, Msg::ExpSubnetArg.get(lang).to_string()))?;
    let (prefix, assumed) = match net {
        Some(n) => (
            parse_prefix_or_mask(n).map_err(|e| subnet_error(lang, "ADDR", text, &e))?,
            false,
        ),
        None => (
            match class_of(addr) {
                'A' => 8,
                'B' => 16,
                _ => 24,
            },
            true,
        ),
    };
    Ok((
        Ipv4Net::new(addr, prefix).map_err(|e| subnet_error(lang, "ADDR", text, &e))?,
        assumed,
    ))
}

fn bits(octets: [u8; 4]) -> String {
    octets
        .iter()
        .map(|o| format!("{o:08b}"))
        .collect::<Vec<_>>()
        .join(".")
}

fn broadcast_text(net: &Ipv4Net, lang: Lang) -> String {
    match (net.broadcast(), net.prefix()) {
        (Some(b), _) => b.to_string(),
        (None, 31) => Msg::NoBroadcast31.get(lang).to_string(),
        (None, _) => Msg::NoBroadcast32.get(lang).to_string(),
    }
}

/// Why `addr` is on no host network, for class D (multicast groups) and class E (reserved).
fn not_a_host_network(addr: Ipv4Addr, lang: Lang) -> Option<String> {
    match class_of(addr) {
        'D' => Some(Msg::ClassDNoHosts.get(lang).to_string()),
        'E' => Some(Msg::ClassENoHosts.get(lang).to_string()),
        _ => None,
    }
}

/// `layers subnet` for a class D or E address: what it is, and no network arithmetic.
fn group_address(
    out: &mut dyn Write,
    net: &Ipv4Net,
    assumed: bool,
    why: &str,
    json: bool,
    lang: Lang,
) -> Result<(), CliError> {
    let class = class_of(net.addr());
    let kind = range_kind(net.addr());
    if json {
        let doc = json!({
            "address": net.addr().to_string(),
            "prefix": (!assumed).then_some(net.prefix()),
            "class": class.to_string(),
            "range": kind.describe().en,
            "host_network": false,
            "why": not_a_host_network(net.addr(), Lang::En),
        });
        serde_json::to_writer(&mut *out, &doc).map_err(std::io::Error::from)?;
        writeln!(out)?;
        return Ok(());
    }
    writeln!(out, "{}", net.addr())?;
    writeln!(
        out,
        "  {}{}",
        pad(Msg::RowClass.get(lang), 10),
        Msg::ClassHistoric.fill(lang, &[&class])
    )?;
    writeln!(
        out,
        "  {}{}",
        pad(Msg::RowRange.get(lang), 10),
        kind.describe().get(lang)
    )?;
    writeln!(out, "{why}")?;
    Ok(())
}

/// Runs `layers subnet`.
pub fn run(args: &SubnetArgs, ui: &Ui, out: &mut dyn Write) -> Result<(), CliError> {
    let lang = ui.lang;
    // ipcalc's style, `ADDR MASK`: a second word of 255.x.x.x is a mask (no host has such
    // an address: 240.0.0.0/4 is reserved), not another address.
    let mut others = args.others.as_slice();
    let mut address = args.address.clone();
    if let Some(mask) = others.first() {
        let is_mask = mask.starts_with("255.") && parse_prefix_or_mask(mask).is_ok();
        if is_mask && !address.contains('/') {
            address = format!("{}/{mask}", address.trim());
            others = &others[1..];
        }
    }
    let (net, assumed) = parse_net(&address, lang)?;
    if let Some(why) = not_a_host_network(net.addr(), lang) {
        return group_address(out, &net, assumed, &why, args.json, lang);
    }
    let others: Vec<Ipv4Addr> = others
        .iter()
        .map(|o| {
            o.trim()
                .parse()
                .map_err(|_| usage(lang, "OTHER", o, Msg::ExpIp.get(lang).to_string()))
        })
        .collect::<Result<_, _>>()?;
    let split = match &args.split {
        Some(n) => {
            let n: u32 = n.trim().parse().map_err(|_| {
                usage(
                    lang,
                    "--split",
                    n,
                    Msg::ExpRange.fill(lang, &[&1, &u32::MAX]),
                )
            })?;
            Some((
                n,
                net.split(n)
                    .map_err(|e| split_error(lang, "--split", &n.to_string(), &e))?,
            ))
        }
        None => None,
    };
    let vlsm = match &args.hosts {
        Some(list) => {
            let hosts: Vec<u32> = list
                .split(',')
                .map(|h| h.trim().parse::<u32>())
                .collect::<Result<_, _>>()
                .map_err(|_| {
                    usage(
                        lang,
                        "--hosts",
                        list,
                        Msg::ExpHostsList.get(lang).to_string(),
                    )
                })?;
            Some(
                net.vlsm(&hosts)
                    .map_err(|e| split_error(lang, "--hosts", list, &e))?,
            )
        }
        None => None,
    };
    let kind = range_kind(net.addr());
    let ands = net.and_octets(net.addr());
    let boundary = net.mask().octets().iter().position(|m| *m != 255);

    if args.json {
        let others_json: Vec<Value> = others
            .iter()
            .map(|o| {
                let same = net.contains(*o);
                json!({
                    "address": o.to_string(),
                    "network": Ipv4Addr::from(u32::from(*o) & u32::from(net.mask())).to_string(),
                    "same_network": same,
                    "next_hop": if same { "direct" } else { "gateway" },
                    "arp_for": if same { o.to_string() } else { "gateway".to_string() },
                })
            })
            .collect();
        let subnet = |n: &Ipv4Net| {
            json!({"network": n.to_string(), "first_host": n.first_host().to_string(), "last_host": n.last_host().to_string(),
                   "broadcast": n.broadcast().map(|b| b.to_string()), "hosts": n.host_count()})
        };
        let doc = json!({
            "address": net.addr().to_string(),
            "prefix": net.prefix(),
            "prefix_assumed": assumed,
            "mask": net.mask().to_string(),
            "wildcard": net.wildcard().to_string(),
            "and": ands.iter().map(|a| json!({"address": a.address, "mask": a.mask, "network": a.network})).collect::<Vec<_>>(),
            "network": net.network().to_string(),
            "broadcast": net.broadcast().map(|b| b.to_string()),
            "first_host": net.first_host().to_string(),
            "last_host": net.last_host().to_string(),
            "hosts": net.host_count(),
            "class": class_of(net.addr()).to_string(),
            "range": kind.describe().en,
            "others": others_json,
            "split": split.as_ref().map(|(_, s)| s.iter().take(JSON_LISTED).map(|n| subnet(&n)).collect::<Vec<_>>()),
            "split_count": split.as_ref().map(|(_, s)| s.len()),
            "split_left_out": split.as_ref().map(|(_, s)| s.len().saturating_sub(JSON_LISTED as u64)),
            "vlsm": vlsm.as_ref().map(|v| v.iter().map(|(h, n)| { let mut j = subnet(n); j["hosts_wanted"] = json!(h); j }).collect::<Vec<_>>()),
        });
        serde_json::to_writer(&mut *out, &doc).map_err(std::io::Error::from)?;
        writeln!(out)?;
        return Ok(());
    }

    let bold = |s: &str| {
        if ui.color {
            s.style(Style::new().bold()).to_string()
        } else {
            s.to_string()
        }
    };
    writeln!(out, "{}", bold(&format!("{}/{}", net.addr(), net.prefix())))?;
    if assumed {
        writeln!(
            out,
            "{}",
            Msg::SubnetClassMask.fill(lang, &[&class_of(net.addr()), &net.prefix()])
        )?;
    }
    writeln!(out, "{}", Msg::SubnetAnd.get(lang))?;
    let w = 10;
    let addr_o = net.addr().octets();
    writeln!(
        out,
        "  {}{}   {}",
        pad(Msg::RowAddress.get(lang), w),
        bits(addr_o),
        net.addr()
    )?;
    writeln!(
        out,
        "  {}{}   {} (/{})",
        pad(Msg::RowMask.get(lang), w),
        bits(net.mask().octets()),
        net.mask(),
        net.prefix()
    )?;
    writeln!(out, "  {}{}", pad("AND", w), "-".repeat(35))?;
    writeln!(
        out,
        "  {}{}   {}",
        pad(Msg::RowNetwork.get(lang), w),
        bits(net.network().octets()),
        net.network()
    )?;
    if let Some(b) = boundary {
        writeln!(
            out,
            "  {}{}{}",
            pad("", w),
            " ".repeat(b * 9),
            "^".repeat(8)
        )?;
    }
    let rows = [
        (
            Msg::RowNetwork,
            format!("{}/{}", net.network(), net.prefix()),
        ),
        (Msg::RowBroadcast, broadcast_text(&net, lang)),
        (
            Msg::RowHosts,
            Msg::HostRange.fill(
                lang,
                &[&net.first_host(), &net.last_host(), &net.host_count()],
            ),
        ),
        (Msg::RowWildcard, net.wildcard().to_string()),
        (
            Msg::RowClass,
            Msg::ClassHistoric.fill(lang, &[&class_of(net.addr())]),
        ),
        (Msg::RowRange, kind.describe().get(lang).to_string()),
    ];
    for (label, value) in rows {
        writeln!(out, "  {}{value}", pad(label.get(lang), w))?;
    }
    if !others.is_empty() {
        writeln!(out)?;
    }
    for o in &others {
        let o_net = Ipv4Addr::from(u32::from(*o) & u32::from(net.mask()));
        let line = if net.contains(*o) {
            Msg::OtherDirect.fill(lang, &[o, o, &o_net, o])
        } else {
            Msg::OtherGateway.fill(lang, &[o, o, &o_net, &net.network()])
        };
        writeln!(out, "{line}")?;
    }
    let header = [
        Msg::ColHostsWanted,
        Msg::ColSubnet,
        Msg::ColFirst,
        Msg::ColLast,
        Msg::RowBroadcast,
        Msg::ColUsable,
    ];
    if let Some((n, subnets)) = &split {
        writeln!(out)?;
        let rounded = if n.is_power_of_two() {
            String::new()
        } else {
            Msg::SplitRounded.fill(lang, &[n])
        };
        let prefix = subnets.prefix();
        writeln!(
            out,
            "{}",
            Msg::SplitHeading.fill(lang, &[&net.trunc(), &subnets.len(), &prefix, &rounded])
        )?;
        let mut t = new_table(ui);
        t.set_header(header[1..].iter().map(|m| m.get(lang)).collect::<Vec<_>>());
        let row = |s: &Ipv4Net| {
            vec![
                s.to_string(),
                s.first_host().to_string(),
                s.last_host().to_string(),
                broadcast_text(s, lang),
                s.host_count().to_string(),
            ]
        };
        for s in subnets.iter().take(LISTED) {
            t.add_row(row(&s));
        }
        // A split into more than fit on a screen lists the first ones and the last.
        let left_out = subnets.len().saturating_sub(LISTED as u64);
        if left_out > 0 {
            t.add_row(vec![Msg::SplitLeftOut.fill(lang, &[&(left_out - 1)])]);
            if let Some(l) = subnets.last() {
                t.add_row(row(&l));
            }
        }
        writeln!(out, "{t}")?;
    }
    if let Some(plan) = &vlsm {
        writeln!(out)?;
        writeln!(out, "{}", Msg::VlsmHeading.fill(lang, &[&net.trunc()]))?;
        let mut t = new_table(ui);
        t.set_header(header.iter().map(|m| m.get(lang)).collect::<Vec<_>>());
        for (h, s) in plan {
            t.add_row(vec![
                h.to_string(),
                s.to_string(),
                s.first_host().to_string(),
                s.last_host().to_string(),
                broadcast_text(s, lang),
                s.host_count().to_string(),
            ]);
        }
        writeln!(out, "{t}")?;
    }
    Ok(())
}

/// At most this many subnets of a split are listed in the table (then the last one).
const LISTED: usize = 256;
/// At most this many in `--json`, with the count of the rest.
const JSON_LISTED: usize = 4096;

fn split_error(lang: Lang, flag: &str, value: &str, e: &SplitError) -> CliError {
    let text = match (e, lang) {
        (SplitError::Zero, Lang::Zh) => "至少要一个子网、每个子网至少一台主机".to_string(),
        (
            SplitError::TooMany {
                network,
                wanted,
                most,
            },
            Lang::Zh,
        ) => format!("{network} 无法分成 {wanted} 个子网:它只有 {most} 个地址"),
        (SplitError::NoRoom { network, hosts, at }, Lang::Zh) => {
            format!("{network} 放不下 {hosts} 台主机的子网(下一个空闲地址 {at})")
        }
        (e, Lang::En) => e.to_string(),
    };
    usage(lang, flag, value, text)
}

/// Runs `layers port`.
pub fn port(args: &PortArgs, ui: &Ui, out: &mut dyn Write) -> Result<(), CliError> {
    let lang = ui.lang;
    let Some(text) = args.port.as_deref() else {
        return port_list(args.json, ui, out);
    };
    let t = text.trim();
    let number: u16 = if !t.is_empty() && t.chars().all(|c| c.is_ascii_digit()) {
        t.parse()
            .map_err(|_| usage(lang, "PORT", text, Msg::ExpPort0.get(lang).to_string()))?
    } else {
        service_port(t)
            .ok_or_else(|| usage(lang, "PORT", text, Msg::ExpService.get(lang).to_string()))?
    };
    let class = PortClass::of(number);
    let services = port_services(number);
    // IANA's entries beyond the services described here.
    let iana: Vec<_> = registered_on(number)
        .iter()
        .filter(|r| !services.iter().any(|s| s.name == r.name))
        .collect();
    if args.json {
        let doc = json!({
            "port": number,
            "class": class.describe().en,
            "course_note": class.course_note().map(|n| n.en),
            "reserved": PortClass::reserved_note(number).map(|n| n.en),
            "services": services.iter().map(|s| json!({"name": s.name, "tcp": s.tcp, "udp": s.udp, "about": s.about.en})).collect::<Vec<_>>(),
            "iana": iana.iter().map(|r| json!({"name": r.name, "tcp": r.tcp, "udp": r.udp, "description": r.description})).collect::<Vec<_>>(),
        });
        serde_json::to_writer(&mut *out, &doc).map_err(std::io::Error::from)?;
        writeln!(out)?;
        return Ok(());
    }
    writeln!(
        out,
        "{}",
        Msg::PortClassLine.fill(lang, &[&number, &class.describe().get(lang)])
    )?;
    if let Some(note) = class.course_note() {
        writeln!(out, "{}", Msg::PortCourse.fill(lang, &[&note.get(lang)]))?;
    }
    if let Some(note) = PortClass::reserved_note(number) {
        writeln!(out, "  {}", note.get(lang))?;
    }
    if services.is_empty() && iana.is_empty() {
        writeln!(out, "{}", Msg::PortNone.get(lang))?;
    }
    for s in services {
        writeln!(
            out,
            "{}",
            Msg::PortService.fill(
                lang,
                &[&s.name, &transports(s.tcp, s.udp), &s.about.get(lang)]
            )
        )?;
    }
    for r in iana {
        let on = match (r.tcp, r.udp) {
            (false, false) => "SCTP/DCCP",
            (t, u) => transports(t, u),
        };
        writeln!(
            out,
            "{}",
            Msg::PortIana.fill(lang, &[&r.name, &on, &r.description])
        )?;
    }
    Ok(())
}

fn transports(tcp: bool, udp: bool) -> &'static str {
    match (tcp, udp) {
        (true, true) => "TCP+UDP",
        (true, false) => "TCP",
        _ => "UDP",
    }
}

fn port_list(json_out: bool, ui: &Ui, out: &mut dyn Write) -> Result<(), CliError> {
    let lang = ui.lang;
    if json_out {
        let doc: Vec<Value> = SERVICES
            .iter()
            .map(|s| json!({"port": s.port, "name": s.name, "tcp": s.tcp, "udp": s.udp, "class": PortClass::of(s.port).describe().en}))
            .collect();
        serde_json::to_writer(&mut *out, &doc).map_err(std::io::Error::from)?;
        writeln!(out)?;
        return Ok(());
    }
    writeln!(out, "{}", Msg::PortRanges.get(lang))?;
    for class in [
        PortClass::WellKnown,
        PortClass::Registered,
        PortClass::Dynamic,
    ] {
        writeln!(out, "  {}", class.describe().get(lang))?;
        if let Some(note) = class.course_note() {
            writeln!(out, "  {}", Msg::PortCourse.fill(lang, &[&note.get(lang)]))?;
        }
    }
    writeln!(out)?;
    let mut t = new_table(ui);
    t.set_header(vec![
        Msg::ColPort.get(lang),
        Msg::ColService.get(lang),
        "TCP/UDP",
        Msg::ColMeaning.get(lang),
    ]);
    for s in SERVICES {
        t.add_row(vec![
            s.port.to_string(),
            s.name.to_string(),
            transports(s.tcp, s.udp).to_string(),
            s.about.get(lang).to_string(),
        ]);
    }
    writeln!(out, "{t}")?;
    let ports = registry()
        .windows(2)
        .filter(|w| w[0].port != w[1].port)
        .count()
        + 1;
    writeln!(
        out,
        "{}",
        Msg::PortIanaCount.fill(lang, &[&registry().len(), &ports])
    )?;
    Ok(())
}
