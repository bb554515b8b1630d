//! `layers encode`: check the flags, build the frame, show it layer by layer, write it.

use std::fs;
use std::io::Write;
use std::net::Ipv4Addr;
use std::path::Path;
use std::time::{Duration, SystemTime};

use layers_capture::{write_frames, OutFrame, OutputFormat};
use layers_ethernet::{Mac, VlanParseError, VlanTag};
use layers_ipv4::{
    assumed_gateway, multicast_mac, next_hop, parse_prefix_or_mask, Destination, Ipv4Net,
    SubnetError,
};
use layers_osi::Lang;
use layers_physical::LinkSpeed;
use layers_stack::{
    dissect, finish, Fault, Frame, FrameSpec, Ipv4Spec, NetworkSpec, TcpSpec, TransportSpec,
};
use layers_transport::{service_port, TcpFlags};

use crate::args::{EncodeArgs, FormatArg, Proto};
use crate::i18n::Msg;
use crate::output;
use crate::plan::{MacOrigin, Plan};
use crate::render;
use crate::{CliError, Ui};

/// The seed's example: the client 192.168.11.34 on 192.168.11.0/24 ...
pub const DEFAULT_FROM: &str = "192.168.11.34/24";
/// ... talks to the server 192.168.11.53 ...
pub const DEFAULT_TO: &str = "192.168.11.53";
/// ... from a port the OS picked (dynamic range) ...
pub const DEFAULT_SOURCE_PORT: u16 = 51000;
/// ... to the port the seed's server binds.
pub const DEFAULT_DESTINATION_PORT: u16 = 9999;
/// The data the seed's client sends.
pub const DEFAULT_PAYLOAD: &str = "hello!";
const DEFAULT_MTU: usize = 1500;
const MIN_MTU: usize = 68;

/// A refused value: the flag, the value and what was expected, in one line.
pub fn usage(lang: Lang, flag: &str, value: &str, expected: String) -> CliError {
    CliError::Usage(Msg::BadValue.fill(lang, &[&flag, &value, &expected]))
}

fn number<T: TryFrom<u64>>(
    lang: Lang,
    flag: &str,
    value: &str,
    min: u64,
    max: u64,
) -> Result<T, CliError> {
    let bad = || usage(lang, flag, value, Msg::ExpRange.fill(lang, &[&min, &max]));
    let n: u64 = value.trim().parse().map_err(|_| bad())?;
    if n < min || n > max {
        return Err(bad());
    }
    T::try_from(n).map_err(|_| bad())
}

fn opt_number<T: TryFrom<u64>>(
    lang: Lang,
    flag: &str,
    value: &Option<String>,
    min: u64,
    max: u64,
    default: T,
) -> Result<T, CliError> {
    match value {
        Some(v) => number(lang, flag, v, min, max),
        None => Ok(default),
    }
}

fn ip(lang: Lang, flag: &str, whole: &str, part: &str) -> Result<Ipv4Addr, CliError> {
    part.trim()
        .parse()
        .map_err(|_| usage(lang, flag, whole, Msg::ExpIp.get(lang).to_string()))
}

/// A refused address, prefix or mask, with the reason.
pub fn subnet_error(lang: Lang, flag: &str, whole: &str, e: &SubnetError) -> CliError {
    let expected = match e {
        SubnetError::Address(_) => Msg::ExpIp.get(lang).to_string(),
        SubnetError::Prefix(_) => Msg::ExpPrefix.get(lang).to_string(),
        SubnetError::NonContiguous(m) => Msg::ExpMaskContiguous.fill(lang, &[m]),
    };
    usage(lang, flag, whole, expected)
}

fn port(lang: Lang, flag: &str, whole: &str, part: &str) -> Result<u16, CliError> {
    let part = part.trim();
    if part.chars().all(|c| c.is_ascii_digit()) && !part.is_empty() {
        return part
            .parse::<u16>()
            .map_err(|_| usage(lang, flag, whole, Msg::ExpPort.get(lang).to_string()));
    }
    service_port(part)
        .ok_or_else(|| usage(lang, flag, whole, Msg::ExpService.get(lang).to_string()))
}

fn mac(lang: Lang, flag: &str, value: &str) -> Result<Mac, CliError> {
    value
        .parse()
        .map_err(|_| usage(lang, flag, value, Msg::ExpMac.get(lang).to_string()))
}

/// `IP[/PREFIX|/MASK][:PORT]` split into its parts.
fn split_endpoint(s: &str) -> (&str, Option<&str>, Option<&str>) {
    let (rest, port) = match s.rsplit_once(':') {
        Some((r, p)) => (r, Some(p)),
        None => (s, None),
    };
    match rest.split_once('/') {
        Some((addr, net)) => (addr, Some(net), port),
        None => (rest, None, port),
    }
}

/// Hex digits with spaces, colons, commas and `0x` prefixes tolerated.
pub fn parse_hex(text: &str) -> Result<Vec<u8>, String> {
    let cleaned: String = text
        .split([' ', '\t', '\n', '\r', ':', ',', '-'])
        .map(|w| {
            w.strip_prefix("0x")
                .or_else(|| w.strip_prefix("0X"))
                .unwrap_or(w)
        })
        .collect();
    hex::decode(&cleaned).map_err(|e| e.to_string())
}

impl Plan {
    /// Checks every flag and decides the frame.
    pub fn from_args(a: &EncodeArgs, lang: Lang) -> Result<Plan, CliError> {
        let conflict = |m: String| CliError::Usage(m);
        let proto = a.proto;
        let proto_name = proto_label(proto);

        // Data: one way at most; none for ARP.
        let given: Vec<&str> = [
            a.payload.as_ref().map(|_| "--payload"),
            a.payload_hex.as_ref().map(|_| "--payload-hex"),
            a.payload_file.as_ref().map(|_| "--payload-file"),
        ]
        .into_iter()
        .flatten()
        .collect();
        if given.len() > 1 {
            return Err(conflict(
                Msg::ConflictPayload.fill(lang, &[&given[0], &given[1]]),
            ));
        }
        if proto == Proto::Arp {
            if let Some(flag) = given.first() {
                return Err(conflict(Msg::ConflictArpData.fill(lang, &[flag])));
            }
        }
        let payload: Vec<u8> = if let Some(text) = &a.payload {
            text.as_bytes().to_vec()
        } else if let Some(h) = &a.payload_hex {
            parse_hex(h)
                .map_err(|e| usage(lang, "--payload-hex", h, Msg::ExpHex.fill(lang, &[&e])))?
        } else if let Some(path) = &a.payload_file {
            let failed = |e: std::io::Error| {
                CliError::Input(Msg::ReadFile.fill(lang, &[&"--payload-file", &path.display(), &e]))
            };
            // No IPv4 packet holds more than 65535 bytes: read one byte past that at most,
            // so /dev/zero or a huge file is refused in constant memory.
            let mut bytes = Vec::new();
            let limit = u64::from(u16::MAX) + 1;
            let read = if path == Path::new("-") {
                std::io::Read::read_to_end(
                    &mut std::io::Read::take(std::io::stdin().lock(), limit),
                    &mut bytes,
                )
            } else {
                fs::File::open(path).and_then(|f| {
                    std::io::Read::read_to_end(&mut std::io::Read::take(f, limit), &mut bytes)
                })
            };
            read.map_err(failed)?;
            if bytes.len() > usize::from(u16::MAX) {
                let shown = path.display().to_string();
                return Err(usage(
                    lang,
                    "--payload-file",
                    &shown,
                    Msg::PayloadFileTooBig.get(lang).to_string(),
                ));
            }
            bytes
        } else {
            DEFAULT_PAYLOAD.as_bytes().to_vec()
        };

        // TCP-only flags.
        if proto != Proto::Tcp {
            for (flag, v) in [
                ("--flags", &a.flags),
                ("--seq", &a.seq),
                ("--ack", &a.ack),
                ("--window", &a.window),
                ("--mss", &a.mss),
            ] {
                if v.is_some() {
                    return Err(conflict(
                        Msg::ConflictTcpOnly.fill(lang, &[&flag, &proto_name]),
                    ));
                }
            }
        }
        if proto == Proto::Arp {
            for (flag, v) in [("--ttl", &a.ttl), ("--id", &a.id), ("--mtu", &a.mtu)] {
                if v.is_some() {
                    return Err(conflict(Msg::ConflictArpIp.fill(lang, &[&flag])));
                }
            }
            if a.df {
                return Err(conflict(Msg::ConflictArpIp.fill(lang, &[&"--df"])));
            }
        }

        // Addresses.
        let from = a.from.as_deref().unwrap_or(DEFAULT_FROM);
        let (from_ip, from_net, from_port) = split_endpoint(from);
        let from_ip = ip(lang, "--from", from, from_ip)?;
        let prefix_in_from = match from_net {
            Some(n) => {
                Some(parse_prefix_or_mask(n).map_err(|e| subnet_error(lang, "--from", from, &e))?)
            }
            None => None,
        };
        let prefix_in_mask = match &a.mask {
            Some(m) => {
                Some(parse_prefix_or_mask(m).map_err(|e| subnet_error(lang, "--mask", m, &e))?)
            }
            None => None,
        };
        let prefix = match (prefix_in_from, prefix_in_mask) {
            (Some(p), Some(q)) if p != q => {
                let mask = a.mask.as_deref().unwrap_or_default();
                return Err(conflict(Msg::ConflictMask.fill(lang, &[&mask, &p])));
            }
            (Some(p), _) | (None, Some(p)) => p,
            (None, None) => 24,
        };
        let source =
            Ipv4Net::new(from_ip, prefix).map_err(|e| subnet_error(lang, "--from", from, &e))?;

        let to = a.to.as_deref().unwrap_or(DEFAULT_TO);
        let (to_ip, to_net, to_port) = split_endpoint(to);
        if to_net.is_some() {
            return Err(usage(
                lang,
                "--to",
                to,
                Msg::ExpToNoPrefix.get(lang).to_string(),
            ));
        }
        let to_ip = ip(lang, "--to", to, to_ip)?;

        let ports = match proto {
            Proto::Tcp | Proto::Udp => {
                let sp = match from_port {
                    Some(p) => port(lang, "--from", from, p)?,
                    None => DEFAULT_SOURCE_PORT,
                };
                let dp = match to_port {
                    Some(p) => port(lang, "--to", to, p)?,
                    None => DEFAULT_DESTINATION_PORT,
                };
                Some((sp, dp))
            }
            Proto::Icmp | Proto::Arp => {
                for (flag, value, p) in [("--from", from, from_port), ("--to", to, to_port)] {
                    if p.is_some() {
                        return Err(conflict(
                            Msg::ConflictNoPorts.fill(lang, &[&flag, &value, &proto_name]),
                        ));
                    }
                }
                None
            }
        };

        // What the destination is comes first: some never go on a wire, and a broadcast or
        // multicast goes to a group MAC without ARP.
        let destination = Destination::of(source, to_ip);
        let refused = match destination {
            Destination::Loopback => Some(Msg::DestLoopback.get(lang).to_string()),
            Destination::Itself => Some(Msg::DestItself.get(lang).to_string()),
            Destination::ThisNetwork => Some(Msg::DestThisNetwork.get(lang).to_string()),
            Destination::Reserved => Some(Msg::DestReserved.get(lang).to_string()),
            Destination::NetworkAddress => Some(Msg::DestNetworkAddress.fill(
                lang,
                &[&Ipv4Net::new(source.network(), prefix).expect("prefix checked")],
            )),
            Destination::LimitedBroadcast
            | Destination::DirectedBroadcast
            | Destination::Multicast => match proto {
                Proto::Tcp => Some(Msg::DestTcpGroup.get(lang).to_string()),
                Proto::Arp => Some(Msg::DestArpGroup.get(lang).to_string()),
                Proto::Udp | Proto::Icmp => None,
            },
            Destination::Unicast => None,
        };
        if let Some(why) = refused {
            return Err(usage(lang, "--to", to, why));
        }

        let (gateway, gateway_assumed) = match &a.gateway {
            Some(g) => {
                let gw = ip(lang, "--gateway", g, g)?;
                if !source.contains(gw) {
                    let net = Ipv4Net::new(source.network(), prefix).expect("prefix checked");
                    return Err(usage(
                        lang,
                        "--gateway",
                        g,
                        Msg::ExpGatewayInNet.fill(lang, &[&net]),
                    ));
                }
                if gw == source.network() || Some(gw) == source.broadcast() || gw == from_ip {
                    return Err(usage(
                        lang,
                        "--gateway",
                        g,
                        Msg::ExpGatewayHost.fill(lang, &[&from_ip]),
                    ));
                }
                (gw, false)
            }
            None => match assumed_gateway(source) {
                Some(g) => (g, true),
                // A /32 has no neighbour: only a given gateway (refused above) could help.
                None if !source.contains(to_ip) => {
                    return Err(usage(
                        lang,
                        "--from",
                        from,
                        Msg::NoNeighbours.get(lang).to_string(),
                    ));
                }
                None => (from_ip, true),
            },
        };
        let route = next_hop(source, to_ip, gateway);

        let (src_mac, src_origin) = match &a.src_mac {
            Some(m) => {
                let v = mac(lang, "--src-mac", m)?;
                if !v.is_unicast() {
                    return Err(usage(
                        lang,
                        "--src-mac",
                        m,
                        Msg::ExpUnicastMac.get(lang).to_string(),
                    ));
                }
                (v, MacOrigin::Given)
            }
            None => (
                Mac::derived_from_ipv4(from_ip.octets()),
                MacOrigin::Derived(from_ip),
            ),
        };
        let (dst_mac, dst_origin) = match (&a.dst_mac, proto) {
            (Some(m), _) => (mac(lang, "--dst-mac", m)?, MacOrigin::Given),
            (None, Proto::Arp) => (Mac::BROADCAST, MacOrigin::Broadcast),
            (None, _) if destination.is_broadcast() => (Mac::BROADCAST, MacOrigin::BroadcastIp),
            (None, _) if destination == Destination::Multicast => {
                (Mac(multicast_mac(to_ip)), MacOrigin::Multicast(to_ip))
            }
            (None, _) => {
                let hop = route.next_hop_ip();
                (
                    Mac::derived_from_ipv4(hop.octets()),
                    MacOrigin::Derived(hop),
                )
            }
        };

        // Numbers.
        let ttl: u8 = opt_number(lang, "--ttl", &a.ttl, 0, 255, 64)?;
        let identification: u16 = opt_number(lang, "--id", &a.id, 0, 65535, 1)?;
        let mtu: usize = opt_number(lang, "--mtu", &a.mtu, MIN_MTU as u64, 65535, DEFAULT_MTU)?;
        let vlan = match &a.vlan {
            Some(v) => Some(v.parse::<VlanTag>().map_err(|e| {
                let expected = match e {
                    VlanParseError::Syntax(_) => Msg::ExpVlan.get(lang).to_string(),
                    VlanParseError::Id(_) => Msg::ExpVlanId.get(lang).to_string(),
                    VlanParseError::Pcp(_) => Msg::ExpVlanPcp.get(lang).to_string(),
                };
                usage(lang, "--vlan", v, expected)
            })?),
            None => None,
        };
        let speed: LinkSpeed = a
            .link
            .parse()
            .map_err(|_| usage(lang, "--link", &a.link, Msg::ExpSpeed.get(lang).to_string()))?;

        let ip_spec = Ipv4Spec {
            source: from_ip,
            destination: to_ip,
            ttl,
            identification,
            dont_fragment: a.df,
        };
        let network = match proto {
            Proto::Arp => NetworkSpec::Arp(Box::new(layers_arp::request(
                src_mac.octets(),
                from_ip.octets(),
                route.next_hop_ip().octets(),
            ))),
            Proto::Icmp => NetworkSpec::Ipv4(
                ip_spec,
                TransportSpec::IcmpEcho {
                    identifier: 1,
                    sequence: 1,
                    payload,
                },
            ),
            Proto::Udp => {
                let (source_port, destination_port) = ports.expect("UDP has ports");
                NetworkSpec::Ipv4(
                    ip_spec,
                    TransportSpec::Udp {
                        source_port,
                        destination_port,
                        payload,
                    },
                )
            }
            Proto::Tcp => {
                let (source_port, destination_port) = ports.expect("TCP has ports");
                let flags: TcpFlags = match &a.flags {
                    Some(f) => f.parse().map_err(|_| {
                        usage(lang, "--flags", f, Msg::ExpFlags.get(lang).to_string())
                    })?,
                    None => TcpFlags(TcpFlags::PSH | TcpFlags::ACK),
                };
                let has_ack = flags.has(TcpFlags::ACK);
                if let (Some(v), false) = (&a.ack, has_ack) {
                    return Err(conflict(Msg::NeedsAck.fill(lang, &[v])));
                }
                if let (Some(v), false) = (&a.mss, flags.has(TcpFlags::SYN)) {
                    return Err(conflict(Msg::NeedsSyn.fill(lang, &[v])));
                }
                let ack_default = u32::from(has_ack);
                NetworkSpec::Ipv4(
                    ip_spec,
                    TransportSpec::Tcp(TcpSpec {
                        source_port,
                        destination_port,
                        sequence: opt_number(lang, "--seq", &a.seq, 0, u64::from(u32::MAX), 1)?,
                        acknowledgment: opt_number(
                            lang,
                            "--ack",
                            &a.ack,
                            0,
                            u64::from(u32::MAX),
                            ack_default,
                        )?,
                        flags,
                        window: opt_number(lang, "--window", &a.window, 0, 65535, 64240)?,
                        mss: match &a.mss {
                            Some(v) => Some(number(lang, "--mss", v, 1, 65535)?),
                            None => None,
                        },
                        window_scale: None,
                        payload,
                    }),
                )
            }
        };
        let spec = FrameSpec {
            source_mac: src_mac,
            destination_mac: dst_mac,
            vlan,
            network,
        };
        if let Err(layers_stack::BuildError::OverMtu {
            packet,
            headers,
            payload,
            mtu,
            room,
        }) = spec.check_mtu(mtu)
        {
            return Err(CliError::Usage(
                Msg::OverMtu.fill(lang, &[&packet, &headers, &payload, &mtu, &room]),
            ));
        }

        let faults = a
            .fault
            .iter()
            .map(|f| {
                f.parse::<Fault>()
                    .map_err(|_| usage(lang, "--fault", f, Msg::ExpFault.get(lang).to_string()))
            })
            .collect::<Result<Vec<_>, _>>()?;

        if a.json {
            for (flag, set) in [
                ("--explain", a.explain),
                ("--fields", a.fields),
                ("--diagram", a.diagram),
            ] {
                if set {
                    return Err(output::together(lang, "--json", flag, Msg::WhyJsonView));
                }
            }
        }
        let output = match &a.output {
            Some(path) => {
                output::check_json(Some(path), a.json, lang)?;
                let format = match a.format {
                    Some(f) => format_of(f),
                    // Standard output carries classic pcap unless told otherwise, as tcpdump's.
                    None if output::is_stdout(path) => OutputFormat::Pcap,
                    None => OutputFormat::from_path(path).ok_or_else(|| {
                        usage(
                            lang,
                            "-o",
                            &path.display().to_string(),
                            Msg::ExpFormatExt.get(lang).to_string(),
                        )
                    })?,
                };
                Some((path.clone(), format))
            }
            None => {
                for (flag, set) in [("--format", a.format.is_some()), ("--fcs", a.fcs)] {
                    if set {
                        return Err(conflict(Msg::NeedsOutput.fill(lang, &[&flag])));
                    }
                }
                None
            }
        };

        Ok(Plan {
            destination,
            spec,
            proto,
            source,
            ports,
            route,
            gateway_assumed,
            src_mac: src_origin,
            dst_mac: dst_origin,
            speed,
            faults,
            output,
        })
    }
}

fn format_of(f: FormatArg) -> OutputFormat {
    match f {
        FormatArg::Raw => OutputFormat::Raw,
        FormatArg::Hex => OutputFormat::Hex,
        FormatArg::Pcap => OutputFormat::Pcap,
        FormatArg::Pcapng => OutputFormat::Pcapng,
    }
}

/// The protocol's name as `--proto` spells it.
pub fn proto_label(p: Proto) -> &'static str {
    match p {
        Proto::Tcp => "tcp",
        Proto::Udp => "udp",
        Proto::Icmp => "icmp",
        Proto::Arp => "arp",
    }
}

/// The capture time written into pcap files: now, or `SOURCE_DATE_EPOCH` when set, so a
/// build can be reproduced byte for byte.
fn capture_time() -> Duration {
    std::env::var("SOURCE_DATE_EPOCH")
        .ok()
        .and_then(|s| s.parse().ok())
        .map(Duration::from_secs)
        .unwrap_or_else(|| {
            SystemTime::now()
                .duration_since(SystemTime::UNIX_EPOCH)
                .unwrap_or_default()
        })
}

fn write_output(
    path: &Path,
    format: OutputFormat,
    data: &[u8],
    original_length: usize,
    fcs: bool,
    lang: Lang,
) -> Result<(), CliError> {
    let frame = OutFrame {
        data,
        original_length,
        time: capture_time(),
    };
    output::write_atomically(path, lang, |w| write_frames(w, format, &[frame], fcs))
}

/// `--html FILE`: the frame as the classroom page, written whole or not at all.
fn write_page(
    path: &Path,
    ui: &Ui,
    data: &[u8],
    original: usize,
    dissection: layers_stack::Dissection,
    json: bool,
    out: &mut dyn Write,
) -> Result<(), CliError> {
    use render::html;
    let lang = ui.lang;
    let frame = Frame::new(1, None, data.len(), original, dissection);
    let info = html::PageInfo {
        title: html::both(|l| Msg::HtmlEncodeTitle.get(l).to_string()),
        meta: html::both(|l| Msg::HtmlMeta.fill(l, &[&1])),
        left_out: 0,
        extra: None,
    };
    let value = html::frame_value(&frame, data, layers_osi::LinkType::Ethernet);
    let line = html::write_file(path, lang, &[value], &info)?;
    // Beside --json, standard output holds the JSON only.
    output::said_wrote(out, json, &line)?;
    Ok(())
}

/// Runs `layers encode`.
pub fn run(args: &EncodeArgs, ui: &Ui, out: &mut dyn Write) -> Result<(), CliError> {
    let lang = ui.lang;
    let plan = Plan::from_args(args, lang)?;
    let built = plan
        .spec
        .build()
        .map_err(|e| CliError::Usage(e.to_string()))?;
    let finished = finish(&built, &plan.faults, args.fcs).map_err(|e| {
        CliError::Usage(Msg::BadValue.fill(
            lang,
            &[
                &"--fault",
                &e.fault,
                &crate::said::fault_reason(&e.reason, lang),
            ],
        ))
    })?;
    // The model describes the frame as a capture without FCS shows it; a truncate fault
    // cuts it as a snap length would, so it is dissected as `decode` reads the file.
    let fcs_len = if args.fcs {
        layers_physical::FCS_LEN
    } else {
        0
    };
    let original = finished.original_length - fcs_len;
    let dissection = dissect(layers_osi::LinkType::Ethernet, &finished.frame, original);

    if args.json {
        let frame = Frame::new(1, None, finished.frame.len(), original, dissection.clone());
        serde_json::to_writer(&mut *out, &frame).map_err(|e| CliError::Io(e.into()))?;
        writeln!(out)?;
    } else {
        render::encode_report(out, ui, &plan, &built, &finished, &dissection, args)?;
    }

    if let Some(path) = &args.html {
        write_page(
            path,
            ui,
            &finished.frame,
            original,
            dissection,
            args.json,
            out,
        )?;
    }

    if let Some((path, format)) = &plan.output {
        write_output(
            path,
            *format,
            &finished.written,
            finished.original_length,
            args.fcs,
            lang,
        )?;
        let fcs_note = if args.fcs {
            Msg::WroteFcs.get(lang)
        } else {
            ""
        };
        let line = Msg::Wrote.fill(
            lang,
            &[
                &output::name(path, lang),
                &format.name(),
                &finished.written.len(),
                &fcs_note,
            ],
        );
        output::said_wrote(out, args.json, &line)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_split_into_address_network_and_port() {
        assert_eq!(
            split_endpoint("192.168.11.34/24:51000"),
            ("192.168.11.34", Some("24"), Some("51000"))
        );
        assert_eq!(
            split_endpoint("10.0.0.1/255.0.0.0"),
            ("10.0.0.1", Some("255.0.0.0"), None)
        );
        assert_eq!(
            split_endpoint("8.8.8.8:dns"),
            ("8.8.8.8", None, Some("dns"))
        );
        assert_eq!(split_endpoint("8.8.8.8"), ("8.8.8.8", None, None));
    }

    #[test]
    fn hex_payloads_tolerate_the_usual_separators() {
        assert_eq!(parse_hex("68656c6c6f").unwrap(), b"hello");
        assert_eq!(parse_hex("68 65:6c,0x6c 0X6f").unwrap(), b"hello");
        assert!(parse_hex("6g").is_err());
        assert!(parse_hex("686").is_err());
    }
}
