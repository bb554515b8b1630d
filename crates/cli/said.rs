//! What the library crates report (dissection stops, unreadable inputs, topology
//! errors, deliberate faults), as sentences in the user's language. The libraries give
//! the English (it is also what `--json` carries); the Chinese is written here, so every
//! word a user reads comes from the CLI's localisation layer.

use layers_capture::{InputFormat, ReadError, ReadErrorKind, MAX_BLOCK, MAX_FRAME, MAX_HEX_TEXT};
use layers_journey::TopologyError;
use layers_osi::{Lang, Stop, StopKind};
use layers_stack::FaultEffect;

use crate::i18n::Msg;

/// A field's name in Chinese, for the sentences about `stop`.
fn label(stop: &Stop, field: &'static str) -> &'static str {
    match stop.protocol {
        Some(p) => layers_osi::field_label(p, field).zh,
        None => field,
    }
}

/// Where dissection stopped and why.
pub fn stop(stop: &Stop, lang: Lang) -> String {
    if lang == Lang::En {
        return stop.message();
    }
    match &stop.kind {
        StopKind::Truncated {
                what,
                needed,
                present,
                length_from,
                first_missing,
            } => {
            let mut s = format!("截断:{}需要 {needed} 字节,只有 {present} 字节", what.zh);
            if let Some(from) = length_from {
                s.push_str(&format!("({}字段给出 {needed})", label(stop, from)));
            }
            if let Some((field, at)) = first_missing {
                s.push_str(&format!(";从第 {at} 字节的{}起缺失", label(stop, field)));
            }
            s
        }
        StopKind::Invalid { field, value, expected } if value.is_empty() => {
            format!("{}无效:应为{}", label(stop, field), expected.zh)
        }
        StopKind::Invalid {
                field,
                value,
                expected,
            } => format!("{}的值 {value} 无效:应为{}", label(stop, field), expected.zh),
        StopKind::BadChecksum {
                found,
                expected,
                offload,
            } => {
            let mut s = format!("校验和 0x{found:04x} 错误:应为 0x{expected:04x}");
            if *offload {
                s.push_str("(该字段只含伪首部之和:校验和卸载;发送方把校验和留给网卡在抓包点之后计算,而环回接口没有网卡,没有谁去计算:数据根本不经过线路)");
            }
            s
        }
        StopKind::BadFcs { found, expected } => format!(
            "FCS 0x{found:08x} 错误:按帧的字节计算应为 0x{expected:08x}(在线路上或抓包时损坏)"
        ),
        StopKind::SnapLength { captured, original } => {
            format!("抓包只保留了帧的 {original} 字节中的 {captured} 字节(快照长度):其余部分没有记录")
        }
        StopKind::SegmentationOffload { length } => format!(
            "总长度为 0:推测抓包主机启用了 TCP 分段卸载(由网卡在抓包点之后切分报文并填写长度);数据包长度按帧计算:{length} 字节"
        ),
        StopKind::Unsupported { what, value } => {
            format!("未解析:{} {value}", what.zh)
        }

    }
}

/// Why an input could not be read.
pub fn read_error(e: &ReadError, lang: Lang) -> String {
    if lang == Lang::En {
        return e.message();
    }
    let format = e.format.map(InputFormat::name).unwrap_or("输入");
    let at = e.offset;
    match &e.kind {
        ReadErrorKind::Io(e) => format!("无法读取:{e}"),
        ReadErrorKind::Empty => "输入为空:应为 pcap 或 pcapng 文件、十六进制文本或原始帧".into(),
        ReadErrorKind::CutShort => format!("第 {at} 字节处的 {format} 记录不完整:文件在其中结束"),
        ReadErrorKind::Malformed(e) => format!("第 {at} 字节处的 {format} 块格式错误({e})"),
        ReadErrorKind::TooLarge => format!("第 {at} 字节处的 {format} 记录超过 {MAX_BLOCK} 字节"),
        ReadErrorKind::NoInterface(id) => {
            format!("第 {at} 字节处的 {format} 数据包引用了接口 {id},但所在段没有描述该接口")
        }
        ReadErrorKind::FormatMismatch { given, found } => format!(
            "指定了 --format {},但文件是 {}:去掉 --format 即可按实际格式读取",
            given.name(),
            found.name()
        ),
        ReadErrorKind::NotHex { line, token } => format!(
            "十六进制文本第 {line} 行(第 {at} 字节):{token:?} 不是十六进制:应为成对的十六进制数字"
        ),
        ReadErrorKind::BadOffset {
            line,
            found,
            expected,
        } => format!("十六进制转储第 {line} 行(第 {at} 字节):偏移为 {found:#x},应为 {expected:#x}"),
        ReadErrorKind::FrameTooLarge { line: None } => format!("原始帧最多 {MAX_FRAME} 字节(比任何链路能承载的都大),而这个输入更长:请给出抓包文件,或只截取那一帧"),
        ReadErrorKind::FrameTooLarge { line: Some(line) } => format!("十六进制文本第 {line} 行(第 {at} 字节):帧会超过 {MAX_FRAME} 字节,比任何链路能承载的都大"),
        ReadErrorKind::TextTooLarge => format!("十六进制文本超过 {} MiB:这么大的抓包请放进 pcap 文件(text2pcap 可以生成)", MAX_HEX_TEXT >> 20),
    }
}

/// What is wrong with a topology.
pub fn topology_error(e: &TopologyError, lang: Lang) -> String {
    if lang == Lang::En {
        return e.message();
    }
    match e {
        TopologyError::Toml(e) => format!("不是有效的拓扑文件:{e}"),
        TopologyError::Duplicate(n) => format!("名字 {n:?} 用了两次"),
        TopologyError::UnknownLink { from, link } => {
            format!("{from} 连接到 {link:?},但拓扑中没有这个交换机或集线器")
        }
        TopologyError::UnknownHost(n, known) => {
            format!("拓扑中没有名为 {n:?} 的主机;现有主机:{}", known.join("、"))
        }
        TopologyError::Value { owner, value } => {
            format!("{owner}:{value:?} 不是有效的地址、前缀或 MAC")
        }
        TopologyError::Mtu { owner, mtu } => {
            format!("{owner}:mtu = {mtu} 超出 IPv4 允许的 68-65535(RFC 791)")
        }
        TopologyError::TooMany { most } => {
            format!("主机和路由器接口的总数超过了拓扑允许的 {most} 个")
        }
    }
}

/// What a deliberate fault broke.
pub fn fault_effect(e: &FaultEffect, lang: Lang) -> String {
    if lang == Lang::En {
        return e.describe();
    }
    match e {
        FaultEffect::Checksum { protocol, offset, written, correct } => format!(
            "第 {offset} 字节处的 {protocol} 校验和被改为 0x{written:04x},正确值为 0x{correct:04x}:接收方会丢弃它"
        ),
        FaultEffect::TtlZero { was, offset } => format!(
            "第 {offset} 字节处的 IPv4 TTL 被改为 0(原为 {was}),首部校验和已重算:第一个路由器会丢弃它并回送 ICMP 超时"
        ),
        FaultEffect::Truncated { from, to, inside, layer } => format!(
            "帧从 {from} 字节截断为 {to} 字节,切在 {inside} 的字节中({},OSI 第 {} 层):抓到的比发出的少",
            layer.name().zh,
            layer.number()
        ),

    }
}

/// Why a `--filter` expression was refused: the column and the reason, then the expression
/// with a caret under the mistake.
pub fn filter_error(text: &str, e: &layers_filter::FilterError, lang: Lang) -> String {
    use layers_filter::{Applied, ErrorKind as K, Expected as E};
    let expected = |x: E| -> &'static str {
        match x {
            E::Primitive => Msg::FilterPrimitive,
            E::Operator => Msg::FilterOperator,
            E::CloseParen => Msg::FilterCloseParen,
            E::PortValue => Msg::FilterPortValue,
            E::NetValue => Msg::FilterNetValue,
            E::HostValue => Msg::FilterHostValue,
            E::MacValue => Msg::FilterMacValue,
            E::EtherQualifier => Msg::FilterEtherQualifier,
            E::Qualified => Msg::FilterQualified,
        }
        .get(lang)
    };
    let why = match &e.kind {
        K::Expected {
            expected: x,
            found: Some(f),
        } => Msg::FilterExpected.fill(lang, &[&expected(*x), f]),
        K::Expected {
            expected: x,
            found: None,
        } => Msg::FilterExpectedEnd.fill(lang, &[&expected(*x)]),
        K::Unsupported { word } => Msg::FilterUnsupported.fill(lang, &[word]),
        K::Qualifier {
            qualifier,
            applied_to,
        } => {
            let to = match applied_to {
                Applied::Host => Msg::FilterAppliedHost,
                Applied::Net => Msg::FilterAppliedNet,
                Applied::Port => Msg::FilterAppliedPort,
                Applied::Mac => Msg::FilterAppliedMac,
                Applied::Ipv4 => Msg::FilterAppliedIpv4,
                Applied::Ipv6 => Msg::FilterAppliedIpv6,
            };
            Msg::FilterQualifier.fill(lang, &[qualifier, &to.get(lang)])
        }
        K::HostBits { network } => Msg::FilterHostBits.fill(lang, &[network]),
        K::Prefix { length, max } => Msg::FilterPrefix.fill(lang, &[length, max]),
        K::Port { value } => Msg::FilterPort.fill(lang, &[value]),
        K::VlanId { value } => Msg::FilterVlanId.fill(lang, &[value]),
        K::Service { name } => Msg::FilterService.fill(lang, &[name]),
        K::HostName { name } => Msg::FilterHostName.fill(lang, &[name]),
        K::TooDeep => Msg::FilterTooDeep.fill(lang, &[&layers_filter::MAX_NESTING]),
    };
    let mut out = Msg::FilterAt.fill(lang, &[&e.column, &why]);
    // The expression and a caret, when it is short enough to show on one line.
    if text.chars().count() <= 200 && !text.chars().any(layers_osi::is_terminal_control) {
        let before: String = text.chars().take(e.column.saturating_sub(1)).collect();
        let pad = unicode_width::UnicodeWidthStr::width(before.as_str());
        out.push_str(&format!("\n  {text}\n  {}^", " ".repeat(pad)));
    }
    out
}

/// Why a deliberate fault does not apply, in `lang`.
pub fn fault_reason(r: &layers_stack::FaultReason, lang: Lang) -> String {
    match r {
        layers_stack::FaultReason::Missing(t) => t.get(lang).to_string(),
        layers_stack::FaultReason::KeepRange { frame_len } => {
            Msg::FaultKeepRange.fill(lang, &[frame_len, &frame_len.saturating_sub(1)])
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use layers_osi::{OsiLayer, ProtocolId, Text};

    #[test]
    fn a_stop_in_both_languages() {
        let s = Stop {
            layer: OsiLayer::Transport,
            protocol: Some(ProtocolId::Tcp),
            offset: 34,
            kind: StopKind::Truncated {
                what: Text::new("TCP header", "TCP 首部"),
                needed: 20,
                present: 6,
                length_from: None,
                first_missing: Some(("sequence", 38)),
            },
        };
        assert_eq!(stop(&s, Lang::En), s.message());
        assert_eq!(
            stop(&s, Lang::Zh),
            "截断:TCP 首部需要 20 字节,只有 6 字节;从第 38 字节的序号起缺失"
        );
    }
}
