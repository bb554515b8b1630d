//! The question bank: every question drawn from `layers-osi`, the port registry, the subnet
//! maths and the TCP states; nothing here is a second copy of that knowledge.

use std::net::Ipv4Addr;

use layers_ipv4::{range_kind, Ipv4Net, RangeKind};
use layers_osi::{device, protocol, Lang, LayerRecord, Model, ModelLayer, OsiLayer};
use layers_transport::{port_by_name, PortClass};

use crate::matching::{Answer, Item};

/// A quiz topic.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Topic {
    /// The seed's dictation: each layer's protocols and devices.
    Table,
    /// Which layer a protocol or a device belongs to.
    LayerOf,
    /// Which devices work at a layer.
    Devices,
    /// What a layer's PDU is called.
    Pdu,
    /// Well-known ports and the port ranges.
    Ports,
    /// Network addresses, same subnet or not, private ranges.
    Subnet,
    /// TCP states in the handshake and the close, and why.
    Tcp,
    /// Which services run over TCP and which over UDP.
    TcpUdp,
    /// Questions about the bytes of a real frame.
    Frame,
}

impl Topic {
    /// Every topic `all` draws from.
    pub const ALL: [Topic; 8] = [
        Topic::Table,
        Topic::LayerOf,
        Topic::Devices,
        Topic::Pdu,
        Topic::Ports,
        Topic::Subnet,
        Topic::Tcp,
        Topic::TcpUdp,
    ];

    /// Its name on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Topic::Table => "table",
            Topic::LayerOf => "layer-of",
            Topic::Devices => "devices",
            Topic::Pdu => "pdu",
            Topic::Ports => "ports",
            Topic::Subnet => "subnet",
            Topic::Tcp => "tcp",
            Topic::TcpUdp => "tcp-udp",
            Topic::Frame => "frame",
        }
    }
}

/// One question.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Question {
    /// A stable key for the progress file.
    pub id: String,
    /// Its topic.
    pub topic: Topic,
    /// The question, in English and Chinese.
    pub prompt: (String, String),
    /// What counts as right.
    pub answer: Answer,
    /// A hint, in English and Chinese.
    pub hint: (String, String),
    /// Wrong answers of the same kind, for multiple choice (empty: typed only).
    pub distractors: Vec<Item>,
}

impl Question {
    /// The question in `lang`.
    pub fn prompt(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.prompt.0,
            Lang::Zh => &self.prompt.1,
        }
    }

    /// The hint in `lang`.
    pub fn hint(&self, lang: Lang) -> &str {
        match lang {
            Lang::En => &self.hint.0,
            Lang::Zh => &self.hint.1,
        }
    }

    /// The options of a multiple-choice question in an order `shuffle` decides, or `None`
    /// when the question is typed only.
    pub fn choices(&self, rng: &mut fastrand::Rng) -> Option<Vec<Item>> {
        let right = match &self.answer {
            Answer::AnyOf(items) if !self.distractors.is_empty() => items.first()?.clone(),
            _ => return None,
        };
        let mut others: Vec<Item> = self
            .distractors
            .iter()
            .filter(|d| **d != right)
            .cloned()
            .collect();
        rng.shuffle(&mut others);
        others.truncate(3);
        others.push(right);
        rng.shuffle(&mut others);
        Some(others)
    }
}

fn q(
    id: String,
    topic: Topic,
    prompt: (String, String),
    answer: Answer,
    hint: (String, String),
) -> Question {
    Question {
        id,
        topic,
        prompt,
        answer,
        hint,
        distractors: Vec::new(),
    }
}

/// The item for a protocol named in a table (`IP` is IPv4 with its aliases).
/// Protocols `layers` dissects for its own bookkeeping, never an answer.
const INTERNAL: &[&str] = &[
    "Ethernet PHY",
    "bits",
    "data",
    "IP fragment",
    "Linux SLL",
    "Linux SLL2",
];

/// Devices the table leaves out but the standards place at a layer: a learner who names
/// one is right (an access point bridges 802.11 and Ethernet at the data link layer; a
/// modem turns bits into a line signal).
const MORE_DEVICES: &[(&str, &str, &[&str], OsiLayer)] = &[
    (
        "access point",
        "无线接入点",
        &["AP", "wireless access point", "WAP", "接入点", "无线AP"],
        OsiLayer::DataLink,
    ),
    ("modem", "调制解调器", &["猫"], OsiLayer::Physical),
];

/// What else the course's text or the standard places at layer `l`: its other protocols
/// (FTP, DNS, Telnet, SNMP at the application layer; ICMP at the network layer).
fn also_protocols(l: &ModelLayer) -> Vec<Item> {
    l.osi
        .iter()
        .flat_map(|o| o.protocols())
        .filter(|p| !INTERNAL.contains(&p.name) && !l.protocols.contains(&p.name))
        .map(|p| protocol_item(p.name))
        .collect()
}

/// What other devices work at layer `l`.
fn also_devices(l: &ModelLayer) -> Vec<Item> {
    let table = l
        .osi
        .iter()
        .flat_map(|o| o.devices())
        .filter(|d| !l.devices.contains(&d.name.en))
        .map(|d| device_item(d.name.en));
    let more = MORE_DEVICES
        .iter()
        .filter(|(.., layer)| l.osi.contains(layer))
        .map(|(en, zh, aliases, _)| Item::new(en, zh, aliases));
    table.chain(more).collect()
}

/// A set answer that also accepts `also`, when the set asks for anything.
fn set_also(items: Vec<Item>, also: Vec<Item>) -> Answer {
    if items.is_empty() || also.is_empty() {
        Answer::Set(items)
    } else {
        Answer::SetAlso { items, also }
    }
}

fn protocol_item(name: &str) -> Item {
    match protocol(name) {
        Some(p) => {
            let mut aliases: Vec<&str> = p.aliases.to_vec();
            aliases.push(p.name);
            Item::new(name, name, &aliases)
        }
        None => Item::new(name, name, &[]),
    }
}

fn device_item(name: &str) -> Item {
    match device(name) {
        Some(d) => Item::new(d.name.en, d.name.zh, d.aliases),
        None => Item::new(name, name, &[]),
    }
}

fn layer_item(l: &ModelLayer) -> Item {
    let en = l.name.en;
    let zh = l.name.zh;
    let mut aliases = vec![format!("{en} layer"), zh.trim_end_matches('层').to_string()];
    if let [only] = l.osi {
        let n = only.number();
        aliases.extend([
            n.to_string(),
            format!("L{n}"),
            format!("layer {n}"),
            format!("第{n}层"),
        ]);
    }
    if en.starts_with("network access") {
        aliases.extend([
            "link".to_string(),
            "link layer".to_string(),
            "network interface".to_string(),
        ]);
    }
    if en == "internet" {
        aliases.extend([
            "network".to_string(),
            "network layer".to_string(),
            "网际层".to_string(),
        ]);
    }
    Item {
        en: en.to_string(),
        zh: zh.to_string(),
        aliases,
    }
}

fn model_name(model: Model) -> (&'static str, &'static str) {
    match model {
        Model::Osi7 => ("OSI seven-layer model", "OSI 七层模型"),
        Model::TcpIp5 => ("TCP/IP five-layer model", "TCP/IP 五层模型"),
        Model::TcpIp4 => ("TCP/IP four-layer model", "TCP/IP 四层模型"),
    }
}

/// The dictation: each layer of `model` top-down, its protocols then its devices.
pub fn table(model: Model) -> Vec<Question> {
    let mut out = Vec::new();
    for l in model.layers() {
        let key = format!("table:{}", l.name.en);
        out.push(q(
            format!("{key}:protocols"),
            Topic::Table,
            (
                format!("{} layer: protocols?", l.name.en),
                format!("{} 对应协议:", l.name.zh),
            ),
            set_also(
                l.protocols.iter().map(|p| protocol_item(p)).collect(),
                also_protocols(l),
            ),
            (
                format!("{} of them", l.protocols.len()),
                format!("共 {} 个", l.protocols.len()),
            ),
        ));
        out.push(q(
            format!("{key}:devices"),
            Topic::Table,
            (
                format!("{} layer: devices?", l.name.en),
                format!("{} 对应设备:", l.name.zh),
            ),
            set_also(
                l.devices.iter().map(|d| device_item(d)).collect(),
                also_devices(l),
            ),
            (
                format!("{} of them", l.devices.len()),
                format!("共 {} 个", l.devices.len()),
            ),
        ));
    }
    out
}

fn layer_of(model: Model) -> Vec<Question> {
    let (m_en, m_zh) = model_name(model);
    let layers: Vec<Item> = model.layers().iter().map(layer_item).collect();
    let mut out = Vec::new();
    for (l, item) in model.layers().iter().zip(&layers) {
        let things = l
            .protocols
            .iter()
            .map(|p| (protocol_item(p), "protocol", "协议"))
            .chain(l.devices.iter().map(|d| (device_item(d), "device", "设备")));
        for (thing, kind_en, kind_zh) in things {
            let mut right = vec![item.clone()];
            if thing.en == "ARP" {
                // ARP serves the network layer (RFC 826 names no OSI layer); the course files it
                // under data link, so either answer is right.
                let net = model
                    .layers()
                    .iter()
                    .position(|x| x.osi.contains(&OsiLayer::Network));
                right.extend(net.and_then(|n| layers.get(n)).cloned());
            }
            let mut question = q(
                format!("layer-of:{}:{}", model_name(model).0, thing.en),
                Topic::LayerOf,
                (
                    format!(
                        "In the {m_en}, which layer does the {kind_en} {} belong to?",
                        thing.en
                    ),
                    format!("在{m_zh}中,{kind_zh}「{}」属于哪一层?", thing.zh),
                ),
                Answer::AnyOf(right),
                (
                    format!("its PDU is the {}", pdu_of(l).0),
                    format!("这一层的 PDU 是{}", pdu_of(l).1),
                ),
            );
            question.distractors = layers.clone();
            out.push(question);
        }
    }
    out
}

fn pdu_of(l: &ModelLayer) -> (&'static str, &'static str) {
    // Every model layer covers at least one OSI layer; the application layer's PDU otherwise.
    let top = l.osi.last().copied().unwrap_or(OsiLayer::Application);
    (top.pdu().en, top.pdu().zh)
}

fn devices(model: Model) -> Vec<Question> {
    let (m_en, m_zh) = model_name(model);
    model
        .layers()
        .iter()
        .map(|l| {
            q(
                format!("devices:{m_en}:{}", l.name.en),
                Topic::Devices,
                (
                    format!(
                        "In the {m_en}, which devices work at the {} layer?",
                        l.name.en
                    ),
                    format!("在{m_zh}中,{}有哪些设备?", l.name.zh),
                ),
                Answer::Set(l.devices.iter().map(|d| device_item(d)).collect()),
                (
                    "a device reads the headers of its own layer and every layer below".into(),
                    "设备会读取本层及以下各层的首部".into(),
                ),
            )
        })
        .collect()
}

fn pdu_items() -> Vec<(OsiLayer, Item)> {
    vec![
        (
            OsiLayer::Application,
            Item::new("data", "数据", &["message", "报文", "application data"]),
        ),
        (
            OsiLayer::Transport,
            Item::new("segment", "段", &["报文段", "TCP segment", "数据段"]),
        ),
        (
            OsiLayer::Network,
            Item::new(
                "packet",
                "数据包",
                // RFC 791 calls it a datagram: "IP datagram" and 数据报 are right too.
                &[
                    "包",
                    "分组",
                    "IP packet",
                    "datagram (IP)",
                    "datagram",
                    "IP datagram",
                    "数据报",
                    "IP 数据报",
                    "IP数据包",
                ],
            ),
        ),
        (
            OsiLayer::DataLink,
            Item::new("frame", "帧", &["数据帧", "Ethernet frame"]),
        ),
        (
            OsiLayer::Physical,
            Item::new("bits", "比特", &["bit", "比特流", "位", "bitstream"]),
        ),
    ]
}

fn pdu() -> Vec<Question> {
    let items = pdu_items();
    let all: Vec<Item> = items.iter().map(|(_, i)| i.clone()).collect();
    let mut out: Vec<Question> = items
        .iter()
        .map(|(layer, item)| {
            let mut question = q(
                format!("pdu:{}", layer.name().en),
                Topic::Pdu,
                (
                    format!("What is the PDU of the {} layer called?", layer.name().en),
                    format!("{}的 PDU 叫什么?", layer.name().zh),
                ),
                Answer::AnyOf(vec![item.clone()]),
                (
                    "data, segment, packet, frame, bits: top-down".into(),
                    "自上而下:数据、段、数据包、帧、比特".into(),
                ),
            );
            question.distractors = all.clone();
            question
        })
        .collect();
    let datagram = Item::new("datagram", "数据报", &["用户数据报", "UDP datagram"]);
    let mut udp = q(
        "pdu:UDP".into(),
        Topic::Pdu,
        (
            "What is a UDP PDU called?".into(),
            "UDP 的 PDU 叫什么?".into(),
        ),
        Answer::AnyOf(vec![datagram.clone()]),
        (
            "not a segment: UDP has no connection".into(),
            "不叫段:UDP 没有连接".into(),
        ),
    );
    udp.distractors = std::iter::once(datagram)
        .chain(all.iter().skip(1).take(3).cloned())
        .collect();
    out.push(udp);
    out
}

fn ports(rng: &mut fastrand::Rng) -> Vec<Question> {
    let mut out = Vec::new();
    let numbers: Vec<Item> = ["21", "22", "23", "25", "53", "80", "110", "161", "443"]
        .iter()
        .map(|p| Item::new(p, p, &[]))
        .collect();
    for name in [
        "ftp", "ssh", "telnet", "smtp", "dns", "http", "pop3", "snmp", "https",
    ] {
        // The registry has every one of the seed's services (a test checks it).
        let Some(s) = port_by_name(name) else {
            continue;
        };
        let port = s.port.to_string();
        let mut question = q(
            format!("ports:{name}"),
            Topic::Ports,
            (
                format!("Which well-known port does {} use?", name.to_uppercase()),
                format!("{} 使用哪个知名端口?", name.to_uppercase()),
            ),
            Answer::AnyOf(vec![Item::new(&port, &port, &[])]),
            (s.about.en.to_string(), s.about.zh.to_string()),
        );
        question.distractors = numbers.clone();
        out.push(question);
    }
    let classes = [
        (
            PortClass::WellKnown,
            Item::new(
                "well-known",
                "知名端口",
                &["system", "well known", "知名", "公认端口", "固定端口"],
            ),
        ),
        (
            PortClass::Registered,
            Item::new("registered", "注册端口", &["user", "注册", "登记端口"]),
        ),
        (
            PortClass::Dynamic,
            Item::new(
                "dynamic/private",
                "动态/私有端口",
                &[
                    "dynamic",
                    "private",
                    "ephemeral",
                    "动态",
                    "私有",
                    "临时",
                    "动态端口",
                    "私有端口",
                ],
            ),
        ),
    ];
    let all: Vec<Item> = classes.iter().map(|(_, i)| i.clone()).collect();
    for (class, item) in &classes {
        let (lo, hi) = match class {
            PortClass::WellKnown => (0u16, 1023u16),
            PortClass::Registered => (1024, 49151),
            PortClass::Dynamic => (49152, 65535),
        };
        let port = rng.u16(lo..=hi);
        let note = class
            .course_note()
            .map(|t| (format!(" ({})", t.en), format!("({})", t.zh)))
            .unwrap_or_default();
        let mut question = q(
            format!("ports:class:{port}"),
            Topic::Ports,
            (
                format!("Which IANA range is port {port} in?"),
                format!("端口 {port} 属于 IANA 的哪一类?"),
            ),
            Answer::AnyOf(vec![item.clone()]),
            (
                format!("0-1023, 1024-49151, 49152-65535{}", note.0),
                format!("0-1023、1024-49151、49152-65535{}", note.1),
            ),
        );
        question.distractors = all.clone();
        out.push(question);
    }
    out
}

fn yes_no(yes: bool) -> Item {
    if yes {
        Item::new(
            "yes",
            "是",
            &["y", "same", "same subnet", "相同", "同一网段", "对"],
        )
    } else {
        Item::new(
            "no",
            "否",
            &["n", "different", "not", "不是", "不同", "不同网段", "不"],
        )
    }
}

fn subnet(rng: &mut fastrand::Rng) -> Vec<Question> {
    let mut out = Vec::new();
    let private = [(10u8, 8u8), (172, 12), (192, 16)];
    for _ in 0..4 {
        let (first, _) = private
            .get(rng.usize(..private.len()))
            .copied()
            .unwrap_or((10, 8));
        let second = match first {
            10 => rng.u8(..),
            172 => rng.u8(16..=31),
            _ => 168,
        };
        let addr = Ipv4Addr::new(first, second, rng.u8(..), rng.u8(1..=254));
        let prefix = rng.u8(16..=28);
        // The prefix is 16-28: always valid.
        let Ok(net) = Ipv4Net::new(addr, prefix) else {
            continue;
        };
        let network = net.network().to_string();
        out.push(q(
            format!("subnet:network:{net}"),
            Topic::Subnet,
            (
                format!(
                    "What is the network address of {addr}/{prefix} (mask {})?",
                    net.mask()
                ),
                format!("{addr}/{prefix}(掩码 {})的网络地址是什么?", net.mask()),
            ),
            Answer::AnyOf(vec![Item::new(
                &network,
                &network,
                &[&format!("{network}/{prefix}")],
            )]),
            (
                "AND each octet of the address with the mask's".into(),
                "把地址的每个八位组与掩码按位与".into(),
            ),
        ));
        let same = rng.bool();
        let other = if same {
            let host = u32::from(net.network()) | (rng.u32(1..) & !u32::from(net.mask()));
            Ipv4Addr::from(host)
        } else {
            // The lowest bit of the network part (prefix 1-30 here), flipped.
            let bit = 1u32
                .checked_shl(32u32.saturating_sub(u32::from(prefix)))
                .unwrap_or(0);
            Ipv4Addr::from(u32::from(net.network()) ^ bit)
        };
        let answer = net.contains(other);
        out.push(q(
            format!("subnet:same:{net}:{other}"),
            Topic::Subnet,
            (
                format!("Host {addr}/{prefix} sends to {other}. Same subnet? (yes/no)"),
                format!("主机 {addr}/{prefix} 发给 {other}。是同一网段吗?(是/否)"),
            ),
            Answer::AnyOf(vec![yes_no(answer)]),
            (
                "AND both with the sender's mask and compare; different means: via the gateway"
                    .into(),
                "两个地址都与发送方的掩码按位与再比较;不同就要经网关转发".into(),
            ),
        ));
    }
    let classes = [
        Item::new("A", "A 类", &["class A", "A类", "a"]),
        Item::new("B", "B 类", &["class B", "B类", "b"]),
        Item::new("C", "C 类", &["class C", "C类", "c"]),
        Item::new(
            "not private",
            "不是私有地址",
            &["public", "none", "公网", "公有", "不是", "无"],
        ),
    ];
    for _ in 0..4 {
        let addr = match rng.u8(0..4) {
            0 => Ipv4Addr::new(10, rng.u8(..), rng.u8(..), rng.u8(1..)),
            1 => Ipv4Addr::new(172, rng.u8(16..=31), rng.u8(..), rng.u8(1..)),
            2 => Ipv4Addr::new(192, 168, rng.u8(..), rng.u8(1..)),
            _ => Ipv4Addr::new(rng.u8(11..=99), rng.u8(..), rng.u8(..), rng.u8(1..)),
        };
        let right = match range_kind(addr) {
            RangeKind::Private('A') => &classes[0],
            RangeKind::Private('B') => &classes[1],
            RangeKind::Private(_) => &classes[2],
            _ => &classes[3],
        };
        let mut question = q(
            format!("subnet:private:{addr}"),
            Topic::Subnet,
            (
                format!("Which private range (A, B, C) is {addr} in, if any?"),
                format!("{addr} 属于哪一类私有地址(A、B、C)?不是私有地址就答「不是」。"),
            ),
            Answer::AnyOf(vec![right.clone()]),
            (
                "A 10/8, B 172.16/12, C 192.168/16 (RFC 1918)".into(),
                "A 类 10/8,B 类 172.16/12,C 类 192.168/16(RFC 1918)".into(),
            ),
        );
        question.distractors = classes.to_vec();
        out.push(question);
    }
    out
}

fn state(name: &str) -> Item {
    let spaced = name.replace('_', " ");
    let dashed = name.replace('_', "-");
    let mut aliases = vec![spaced, dashed];
    if name == "SYN_SENT" {
        aliases.push("SYN_SEND".into()); // the seed's spelling
    }
    if name == "SYN_RCVD" {
        aliases.extend(["SYN_RECV".into(), "SYN_RECEIVED".into()]);
    }
    if name == "FIN_WAIT_1" {
        aliases.push("FIN_WAIT1".into());
    }
    if name == "FIN_WAIT_2" {
        aliases.push("FIN_WAIT2".into());
    }
    Item {
        en: name.to_string(),
        zh: name.to_string(),
        aliases,
    }
}

fn tcp() -> Vec<Question> {
    // The seed's telephone call: (what happened, whose state, the state).
    let steps = [
        (
            "the client sends SYN",
            "客户端发出 SYN",
            "client",
            "客户端",
            "SYN_SENT",
        ),
        (
            "the server receives the SYN and answers SYN+ACK",
            "服务器收到 SYN 并回复 SYN+ACK",
            "server",
            "服务器",
            "SYN_RCVD",
        ),
        (
            "the client receives SYN+ACK and sends ACK",
            "客户端收到 SYN+ACK 并发出 ACK",
            "client",
            "客户端",
            "ESTABLISHED",
        ),
        (
            "the server receives that ACK",
            "服务器收到这个 ACK",
            "server",
            "服务器",
            "ESTABLISHED",
        ),
        (
            "the client sends FIN (\"I'm done talking\")",
            "客户端发出 FIN(「我不说了」)",
            "client",
            "客户端",
            "FIN_WAIT_1",
        ),
        (
            "the server receives the FIN and sends ACK",
            "服务器收到 FIN 并回复 ACK",
            "server",
            "服务器",
            "CLOSE_WAIT",
        ),
        (
            "the client receives the ACK of its FIN",
            "客户端收到对其 FIN 的 ACK",
            "client",
            "客户端",
            "FIN_WAIT_2",
        ),
        (
            "the server sends its own FIN",
            "服务器发出自己的 FIN",
            "server",
            "服务器",
            "LAST_ACK",
        ),
        (
            "the client receives the server's FIN and sends the last ACK",
            "客户端收到服务器的 FIN 并发出最后的 ACK",
            "client",
            "客户端",
            "TIME_WAIT",
        ),
        (
            "the server receives the last ACK",
            "服务器收到最后的 ACK",
            "server",
            "服务器",
            "CLOSED",
        ),
    ];
    let all: Vec<Item> = [
        "SYN_SENT",
        "SYN_RCVD",
        "ESTABLISHED",
        "FIN_WAIT_1",
        "FIN_WAIT_2",
        "CLOSE_WAIT",
        "LAST_ACK",
        "TIME_WAIT",
        "CLOSED",
        "CLOSING",
    ]
    .iter()
    .map(|s| state(s))
    .collect();
    let mut out: Vec<Question> = steps
        .iter()
        .enumerate()
        .map(|(i, (en, zh, who_en, who_zh, st))| {
            let mut question = q(
                format!("tcp:step{i}"),
                Topic::Tcp,
                (
                    format!("TCP: {en}. What state is the {who_en} in now?"),
                    format!("TCP:{zh}。{who_zh}现在处于什么状态?"),
                ),
                Answer::AnyOf(vec![state(st)]),
                (
                    "states are written like SYN_SENT".into(),
                    "状态写法如 SYN_SENT".into(),
                ),
            );
            question.distractors = all.clone();
            question
        })
        .collect();
    out.push(q(
        "tcp:why-2msl".into(),
        Topic::Tcp,
        ("Why does the active closer wait 2MSL in TIME_WAIT?".into(), "主动关闭方为什么要在 TIME_WAIT 等待 2MSL?".into()),
        Answer::Keywords {
            groups: vec![
                vec!["ack".into(), "确认".into()],
                vec!["lost".into(), "lose".into(), "丢".into(), "retransmit".into(), "resend".into(), "重传".into(), "重发".into()],
            ],
            model: crate::matching::Item::new(
                "the final ACK may be lost; the peer then retransmits its FIN, and the closer must still be there to ACK it again (2MSL: one segment's life each way)",
                "最后的 ACK 可能丢失;对方会重发 FIN,主动关闭方必须还在,才能再次确认(2MSL:一去一回的最长生存时间)",
                &[],
            ),
        },
        ("think of the last ACK".into(), "想想最后那个 ACK".into()),
    ));
    out.push(q(
        "tcp:why-four".into(),
        Topic::Tcp,
        ("Why does closing take four segments when opening takes three?".into(), "为什么建立连接三次握手,断开却要四次挥手?".into()),
        Answer::Keywords {
            groups: vec![vec![
                "half".into(),
                "半关闭".into(),
                "each direction".into(),
                "both directions".into(),
                "每个方向".into(),
                "两个方向".into(),
                "still send".into(),
                "还有数据".into(),
                "没说完".into(),
            ]],
            model: crate::matching::Item::new(
                "half-close: each direction is closed by its own FIN and ACK, and the other side may still have data to send after the first FIN",
                "半关闭:每个方向都要各自的 FIN 和 ACK,收到第一个 FIN 后对方可能还有数据要发",
                &[],
            ),
        },
        ("the seed: \"wait, I haven't finished\"".into(), "课程里的:「等下,上一句还没说完」".into()),
    ));
    out
}

fn tcp_udp() -> Vec<Question> {
    let tcp = Item::new("TCP", "TCP", &[]);
    let udp = Item::new("UDP", "UDP", &[]);
    let both = Item::new(
        "both",
        "都有",
        // Folded, "TCP/UDP", "TCP, UDP" and "tcp udp" all read as "tcpudp".
        &[
            "TCP and UDP",
            "UDP and TCP",
            "TCP UDP",
            "UDP TCP",
            "TCP和UDP",
            "UDP和TCP",
            "TCP与UDP",
            "两者",
            "都",
            "都可以",
            "两个都",
        ],
    );
    let mut out = Vec::new();
    for (name, right) in [
        ("FTP", vec![tcp.clone()]),
        ("Telnet", vec![tcp.clone()]),
        ("SMTP", vec![tcp.clone()]),
        ("HTTP", vec![tcp.clone()]),
        ("POP3", vec![tcp.clone()]),
        ("SNMP", vec![udp.clone()]),
        // The seed lists DNS under UDP; it also uses TCP for large answers and zone transfers.
        ("DNS", vec![udp.clone(), both.clone()]),
        ("QQ (before 2003)", vec![udp.clone()]),
    ] {
        let mut question = q(
            format!("tcp-udp:{name}"),
            Topic::TcpUdp,
            (
                format!("Does {name} run over TCP or UDP?"),
                format!("{name} 基于 TCP 还是 UDP?"),
            ),
            Answer::AnyOf(right),
            (
                "connection-oriented and reliable (a phone call), or connectionless (a letter)?"
                    .into(),
                "面向连接、可靠(打电话),还是无连接(寄信)?".into(),
            ),
        );
        question.distractors = vec![tcp.clone(), udp.clone()];
        out.push(question);
    }
    out
}

/// Questions about the layers of a dissected frame: which protocol, PDU, layer and devices
/// own a range of its bytes.
pub fn frame(records: &[LayerRecord], model: Model) -> Vec<Question> {
    let layers: Vec<Item> = model.layers().iter().map(layer_item).collect();
    // The frame's protocols, each once, in the order met: a frame of 60 VLAN tags offers
    // "802.1Q" once, and the work stays linear in the number of records.
    let mut present = Vec::new();
    for r in records {
        if !present.contains(&r.protocol) {
            present.push(r.protocol);
        }
    }
    let mut out = Vec::new();
    for r in records
        .iter()
        .filter(|r| r.layer() != OsiLayer::Physical && !r.header.is_empty() && !r.quoted)
    {
        let range = format!("{}-{}", r.header.start, r.header.end.saturating_sub(1));
        let p = r.protocol.info();
        let mut by_protocol = q(
            format!("frame:{range}:protocol"),
            Topic::Frame,
            (
                format!("Which protocol do bytes {range} of this frame belong to?"),
                format!("这个帧的第 {range} 字节属于哪个协议?"),
            ),
            Answer::AnyOf(vec![protocol_item(p.name)]),
            (
                format!("{} bytes", r.header.len()),
                format!("共 {} 字节", r.header.len()),
            ),
        );
        by_protocol.distractors = present
            .iter()
            .filter(|x| **x != r.protocol)
            .map(|x| protocol_item(x.name()))
            .collect();
        out.push(by_protocol);
        let pdu = p.pdu();
        out.push(q(
            format!("frame:{range}:pdu"),
            Topic::Frame,
            (
                format!("Bytes {range} are the header of what PDU?"),
                format!("第 {range} 字节是哪种 PDU 的首部?"),
            ),
            Answer::AnyOf(vec![pdu_items()
                .into_iter()
                .map(|(_, i)| i)
                .find(|i| i.en == pdu.en)
                .unwrap_or_else(|| Item::new(pdu.en, pdu.zh, &[]))]),
            (
                format!("the {} protocol's", p.name),
                format!("{} 协议的", p.name),
            ),
        ));
        let layer = model.layer_of(p.layer);
        let mut by_layer = q(
            format!("frame:{range}:layer"),
            Topic::Frame,
            (
                format!("Which layer reads bytes {range}?"),
                format!("第 {range} 字节由哪一层读取?"),
            ),
            Answer::AnyOf(vec![layer_item(layer)]),
            (
                format!("they are {}'s", p.name),
                format!("它们属于 {}", p.name),
            ),
        );
        by_layer.distractors = layers.clone();
        out.push(by_layer);
        let devices: Vec<Item> = p
            .layer
            .devices()
            .iter()
            .map(|d| Item::new(d.name.en, d.name.zh, d.aliases))
            .collect();
        if !devices.is_empty() {
            out.push(q(
                format!("frame:{range}:device"),
                Topic::Frame,
                (
                    format!("Name a device that reads bytes {range} and goes no higher."),
                    format!("举出一种读取第 {range} 字节、但不看更高层的设备。"),
                ),
                Answer::AnyOf(devices),
                (
                    format!("a {} device", p.layer.name().en),
                    format!("工作在{}的设备", p.layer.name().zh),
                ),
            ));
        }
    }
    out
}

/// Every question of `topic` for `model`; `rng` draws the numbers of the generated ones.
pub fn questions(topic: Topic, model: Model, rng: &mut fastrand::Rng) -> Vec<Question> {
    match topic {
        Topic::Table => table(model),
        Topic::LayerOf => layer_of(model),
        Topic::Devices => devices(model),
        Topic::Pdu => pdu(),
        Topic::Ports => ports(rng),
        Topic::Subnet => subnet(rng),
        Topic::Tcp => tcp(),
        Topic::TcpUdp => tcp_udp(),
        Topic::Frame => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn rfc_names_and_both_transports_count() {
        let items = pdu_items();
        let network = &items
            .iter()
            .find(|(l, _)| *l == OsiLayer::Network)
            .unwrap()
            .1;
        for alias in ["IP datagram", "数据报", "packet", "数据包"] {
            assert!(network.matches(alias), "{alias}");
        }
        let dns = tcp_udp()
            .into_iter()
            .find(|q| q.id == "tcp-udp:DNS")
            .unwrap();
        for answer in ["UDP", "TCP和UDP", "TCP/UDP", "both", "都可以"] {
            assert!(
                crate::grade(&dns.answer, answer, Lang::Zh).is_right(),
                "{answer}"
            );
        }
    }

    use super::*;
    use crate::matching::grade;

    #[test]
    fn the_dictation_is_ten_prompts_top_down() {
        let t = table(Model::TcpIp5);
        assert_eq!(t.len(), 10);
        assert_eq!(t[0].prompt(Lang::Zh), "应用层 对应协议:");
        assert_eq!(t[1].prompt(Lang::Zh), "应用层 对应设备:");
        assert_eq!(t[9].prompt(Lang::En), "physical layer: devices?");
        assert_eq!(t[8].answer.show(Lang::Zh), "无");
        assert!(grade(&t[4].answer, "IP", Lang::En).is_right());
        assert!(grade(&t[4].answer, "IP协议", Lang::En).is_right());
        assert_eq!(table(Model::Osi7).len(), 14);
        assert_eq!(table(Model::TcpIp4).len(), 8);
    }

    #[test]
    fn every_generated_answer_is_accepted_in_both_languages() {
        let mut rng = fastrand::Rng::with_seed(7);
        for topic in Topic::ALL {
            for model in [Model::TcpIp5, Model::Osi7, Model::TcpIp4] {
                for question in questions(topic, model, &mut rng) {
                    for lang in [Lang::En, Lang::Zh] {
                        let right = question.answer.show(lang);
                        let g = grade(&question.answer, &right, lang);
                        assert!(
                            g.is_right(),
                            "{} ({lang:?}): {right:?} -> {g:?}",
                            question.id
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn every_alias_of_every_device_and_protocol_is_accepted() {
        for d in layers_osi::DEVICES {
            let item = device_item(d.name.en);
            for spelling in [d.name.en, d.name.zh].iter().chain(d.aliases) {
                assert!(item.matches(spelling), "{spelling}");
                assert!(item.matches(&spelling.to_uppercase()), "{spelling} upper");
            }
        }
        for p in layers_osi::PROTOCOLS {
            let item = protocol_item(p.name);
            for spelling in std::iter::once(&p.name).chain(p.aliases) {
                assert!(item.matches(spelling), "{spelling}");
            }
        }
        // The course's own words and the none answers.
        let t = table(Model::TcpIp5);
        for (i, given) in [
            (4, "IP协议"),
            (6, "arp协议"),
            (9, "中继器,集线器,双绞线"),
            (1, "无"),
            (8, "none"),
        ] {
            assert!(grade(&t[i].answer, given, Lang::Zh).is_right(), "{given}");
        }
    }

    #[test]
    fn every_seed_service_has_its_port_question() {
        let qs = ports(&mut fastrand::Rng::with_seed(1));
        let names = [
            "ftp", "ssh", "telnet", "smtp", "dns", "http", "pop3", "snmp", "https",
        ];
        for name in names {
            let id = format!("ports:{name}");
            assert!(qs.iter().any(|q| q.id == id), "{id}");
        }
    }

    #[test]
    fn a_frame_offers_each_other_protocol_once() {
        use layers_osi::{LayerRecord, ProtocolId, Span};
        let record = |p, start, end| LayerRecord::new(p, Span { start, end }, Span { start, end });
        // Ethernet, 60 VLAN tags, IPv4, UDP: the tags are one option, never the right one.
        let mut records = vec![record(ProtocolId::Ethernet2, 0, 14)];
        records.extend((0..60).map(|i| record(ProtocolId::Vlan, 14 + 4 * i, 18 + 4 * i)));
        records.push(record(ProtocolId::Ipv4, 254, 274));
        records.push(record(ProtocolId::Udp, 274, 282));
        let qs = frame(&records, Model::Osi7);
        let protocol_qs: Vec<_> = qs.iter().filter(|q| q.id.ends_with(":protocol")).collect();
        assert_eq!(protocol_qs.len(), 63);
        for q in protocol_qs {
            let names: Vec<&str> = q.distractors.iter().map(|d| d.en.as_str()).collect();
            assert_eq!(names.len(), 3, "{}: {names:?}", q.id);
            let right = match &q.answer {
                Answer::AnyOf(items) => items[0].en.as_str(),
                _ => unreachable!(),
            };
            assert!(!names.contains(&right), "{}: {names:?}", q.id);
        }
    }

    #[test]
    fn arp_may_be_placed_either_way() {
        let qs = layer_of(Model::TcpIp5);
        let arp = qs.iter().find(|q| q.id.ends_with(":ARP")).unwrap();
        assert!(grade(&arp.answer, "数据链路层", Lang::Zh).is_right());
        assert!(grade(&arp.answer, "network", Lang::En).is_right());
        assert!(!grade(&arp.answer, "transport", Lang::En).is_right());
    }
}
