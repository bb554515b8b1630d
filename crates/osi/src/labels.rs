//! What a field is called for a reader: the JSON name in English (the names the contract
//! uses, which the English views print), a short name in Chinese.

use crate::{ProtocolId, Text};

/// The field `name` of `protocol` as a reader sees it: `en` is the JSON name itself.
///
/// A field with no Chinese name below keeps its JSON name in both languages; a test checks
/// that every field the dissectors write has one.
pub fn field_label(protocol: ProtocolId, name: &'static str) -> Text {
    Text::new(name, zh_label(protocol, name).unwrap_or(name))
}

/// The Chinese name of the field (or of a key inside a field's objects) `name` of `protocol`.
pub fn zh_field_name(protocol: ProtocolId, name: &str) -> Option<&'static str> {
    zh_label(protocol, name)
}

fn zh_label(protocol: ProtocolId, name: &str) -> Option<&'static str> {
    use ProtocolId as P;
    let ethernet = matches!(protocol, P::Ethernet2 | P::Ieee8023);
    let ip = matches!(protocol, P::Ipv4 | P::Ipv6);
    Some(match name {
        "source" if ethernet => "源 MAC",
        "destination" if ethernet => "目的 MAC",
        "source" if ip => "源地址",
        "destination" if ip => "目的地址",
        "source" => "源",
        "destination" => "目的",
        "id" if protocol == P::Vlan => "VLAN ID",
        "id" => "标识",
        "protocol" if matches!(protocol, P::LinuxSll | P::LinuxSll2) => "协议类型",
        "protocol" => "协议",
        "checksum" if protocol == P::Ipv4 => "首部校验和",
        "header_length" if protocol == P::Tcp => "首部长度(数据偏移)",
        "flags" if protocol == P::Tcp => "标志位",
        "version" if protocol == P::Http => "HTTP 版本",
        "length" if protocol == P::Dns => "长度",
        // The physical layer.
        "bits" => "比特数",
        "preamble" => "前导码",
        "sfd" => "帧首定界符",
        "interframe_gap" => "帧间间隙",
        // The data link layer.
        "ethertype" => "以太网类型",
        "padding" => "填充",
        "fcs" => "帧校验序列 FCS",
        "fcs_valid" => "FCS 正确",
        "length" => "长度",
        "priority" => "优先级 PCP",
        "dei" => "可丢弃指示 DEI",
        "dsap" => "目的服务访问点 DSAP",
        "ssap" => "源服务访问点 SSAP",
        "control" => "控制字段",
        "oui" => "组织标识 OUI",
        "pid" => "协议标识",
        "packet_type" => "包类型",
        "link_type" => "链路类型",
        "address_length" => "地址长度",
        "address" => "链路层地址",
        "interface_index" => "接口序号",
        // ARP.
        "hardware_type" => "硬件类型",
        "protocol_type" => "协议类型",
        "hardware_size" => "硬件地址长度",
        "protocol_size" => "协议地址长度",
        "operation" => "操作码",
        "sender_mac" => "发送方 MAC",
        "sender_ip" => "发送方 IP",
        "target_mac" => "目标 MAC",
        "target_ip" => "目标 IP",
        // The network layer.
        "version" => "版本",
        "header_length" => "首部长度",
        "dscp" => "区分服务 DSCP",
        "ecn" => "显式拥塞通知 ECN",
        "total_length" => "总长度",
        "identification" => "标识",
        "dont_fragment" => "不分片 DF",
        "more_fragments" => "更多分片 MF",
        "fragment_offset" => "片偏移",
        "ttl" => "生存时间 TTL",
        "checksum" => "校验和",
        "checksum_valid" => "校验和正确",
        "options" => "选项",
        "option_list" => "选项列表",
        "traffic_class" => "流量类别",
        "flow_label" => "流标签",
        "payload_length" => "载荷长度",
        "next_header" => "下一个首部",
        "hop_limit" => "跳数限制",
        "extension_headers" => "扩展首部",
        "type" => "类型",
        "code" => "代码",
        "identifier" => "标识符",
        "sequence" if protocol == P::Tcp => "序号",
        "sequence" => "序列号",
        "data_length" => "数据长度",
        // The transport layer.
        "source_port" => "源端口",
        "destination_port" => "目的端口",
        "acknowledgment" => "确认号",
        "window" => "窗口",
        "urgent_pointer" => "紧急指针",
        // The application layer.
        "length_prefix" => "长度前缀",
        "response" => "是响应",
        "flags" => "标志",
        "rcode" => "响应码",
        "questions" => "问题",
        "answers" => "回答",
        "method" => "方法",
        "uri" => "URI",
        "status" => "状态码",
        "reason" => "原因短语",
        "headers" => "首部",
        "command" => "命令",
        "text" => "文本",
        "message" => "报文",
        "data" => "数据",
        // Keys inside the objects of a field (options, DNS questions and answers).
        "kind" => "种类",
        "name" => "名字",
        "class" => "类别",
        // Lengths named in a truncation that belong to the layer below.
        "IP length" => "IP 长度",
        "IPv4 total_length" => "IPv4 总长度",
        "IPv6 payload_length" => "IPv6 载荷长度",
        _ => return None,
    })
}

/// Whether `name` of `protocol` has a Chinese label (for tests).
pub fn has_zh_label(protocol: ProtocolId, name: &str) -> bool {
    zh_label(protocol, name).is_some()
}
