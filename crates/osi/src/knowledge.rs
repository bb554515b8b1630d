//! Layers, PDUs, devices, protocols and the three layer models.

use crate::Text;

/// One of the seven OSI layers (ISO/IEC 7498-1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum OsiLayer {
    /// 1: bits on the medium.
    Physical = 1,
    /// 2: frames between neighbours (MAC addresses).
    DataLink = 2,
    /// 3: packets across networks (IP addresses, routing).
    Network = 3,
    /// 4: segments or datagrams between programs (ports).
    Transport = 4,
    /// 5: dialogues between programs.
    Session = 5,
    /// 6: encodings, compression, encryption.
    Presentation = 6,
    /// 7: what the program says.
    Application = 7,
}

impl OsiLayer {
    /// All seven, bottom-up.
    pub const ALL: [OsiLayer; 7] = [
        OsiLayer::Physical,
        OsiLayer::DataLink,
        OsiLayer::Network,
        OsiLayer::Transport,
        OsiLayer::Session,
        OsiLayer::Presentation,
        OsiLayer::Application,
    ];

    /// The layer's number, 1 (physical) to 7 (application).
    pub fn number(self) -> u8 {
        self as u8
    }

    /// The layer with number `n`, if 1..=7.
    pub fn from_number(n: u8) -> Option<OsiLayer> {
        OsiLayer::ALL.get(usize::from(n).checked_sub(1)?).copied()
    }

    /// The layer's name.
    pub fn name(self) -> Text {
        match self {
            OsiLayer::Physical => Text::new("physical", "物理层"),
            OsiLayer::DataLink => Text::new("data link", "数据链路层"),
            OsiLayer::Network => Text::new("network", "网络层"),
            OsiLayer::Transport => Text::new("transport", "传输层"),
            OsiLayer::Session => Text::new("session", "会话层"),
            OsiLayer::Presentation => Text::new("presentation", "表示层"),
            OsiLayer::Application => Text::new("application", "应用层"),
        }
    }

    /// The name of the layer's PDU (protocol data unit); a protocol may name its own
    /// ([`Protocol::pdu`]: UDP's datagram, ICMP's message).
    pub fn pdu(self) -> Text {
        match self {
            OsiLayer::Physical => Text::new("bits", "比特"),
            OsiLayer::DataLink => Text::new("frame", "帧"),
            OsiLayer::Network => Text::new("packet", "数据包"),
            OsiLayer::Transport => Text::new("segment", "段"),
            OsiLayer::Session | OsiLayer::Presentation | OsiLayer::Application => {
                Text::new("data", "数据")
            }
        }
    }

    /// The devices that work at this layer (the course's table): a device reads the
    /// headers of its own layer and of every layer below it.
    pub fn devices(self) -> Vec<&'static Device> {
        DEVICES.iter().filter(|d| d.layer == self).collect()
    }

    /// The protocols that belong to this layer by the standard.
    pub fn protocols(self) -> Vec<&'static Protocol> {
        PROTOCOLS.iter().filter(|p| p.layer == self).collect()
    }
}

/// A network device and the highest layer it reads.
#[derive(Debug, PartialEq, Eq)]
pub struct Device {
    /// Its name; `name.en` is the name used in JSON.
    pub name: Text,
    /// The highest layer whose headers it reads.
    pub layer: OsiLayer,
    /// Other names a learner may use for it (quiz answers, lookups).
    pub aliases: &'static [&'static str],
    /// What it does, in one sentence.
    pub about: Text,
}

/// Every device of the course's table, bottom-up.
pub static DEVICES: &[Device] = &[
    Device {
        name: Text::new("repeater", "中继器"),
        layer: OsiLayer::Physical,
        aliases: &["中继"],
        about: Text::new(
            "regenerates the bits it hears and sends them on; reads no address",
            "把收到的比特整形放大后转发,不看任何地址",
        ),
    },
    Device {
        name: Text::new("hub", "集线器"),
        layer: OsiLayer::Physical,
        aliases: &["ethernet hub", "HUB"],
        about: Text::new(
            "a multi-port repeater: every bit goes out of every other port",
            "多端口中继器:比特从其他所有端口发出",
        ),
    },
    Device {
        name: Text::new("twisted pair", "双绞线"),
        layer: OsiLayer::Physical,
        aliases: &["cable", "twisted-pair cable", "UTP", "网线"],
        about: Text::new("the medium that carries the bits", "承载比特的传输介质"),
    },
    Device {
        name: Text::new("bridge", "网桥"),
        layer: OsiLayer::DataLink,
        aliases: &["network bridge", "桥"],
        about: Text::new(
            "joins two segments and forwards frames by destination MAC",
            "连接两个网段,按目的 MAC 转发帧",
        ),
    },
    Device {
        name: Text::new("Ethernet switch", "以太网交换机"),
        layer: OsiLayer::DataLink,
        aliases: &["switch", "L2 switch", "layer-2 switch", "交换机", "二层交换机"],
        about: Text::new(
            "learns which MAC is behind which port, then forwards, filters or floods frames; reads MACs, not IPs",
            "学习每个端口后面的 MAC,据此转发、过滤或泛洪帧;只看得懂 MAC,看不懂 IP",
        ),
    },
    Device {
        name: Text::new("NIC", "网卡"),
        layer: OsiLayer::DataLink,
        aliases: &["network card", "network interface card", "network adapter", "网络适配器"],
        about: Text::new(
            "holds the MAC address; sends and receives frames: its MAC pads them and adds the FCS, its PHY the preamble and SFD",
            "带有 MAC 地址;收发帧:其 MAC 负责填充并加上 FCS,其 PHY 加上前导码和帧首定界符",
        ),
    },
    Device {
        name: Text::new("router", "路由器"),
        layer: OsiLayer::Network,
        aliases: &["gateway", "L3 router", "网关"],
        about: Text::new(
            "joins networks: looks up the destination IP in its routing table, lowers the TTL, rewrites the MACs",
            "连接不同网络:按目的 IP 查路由表,TTL 减一,重写 MAC",
        ),
    },
    Device {
        name: Text::new("layer-3 switch", "三层交换机"),
        layer: OsiLayer::Network,
        aliases: &["L3 switch", "layer 3 switch", "multilayer switch", "三层交换", "3层交换机", "3层交换"],
        about: Text::new(
            "a switch that also routes between VLANs by IP",
            "能按 IP 在 VLAN 之间路由的交换机",
        ),
    },
    Device {
        name: Text::new("layer-4 switch", "四层交换机"),
        layer: OsiLayer::Transport,
        aliases: &["L4 switch", "layer 4 switch", "load balancer", "四层交换", "4层交换机", "4层交换"],
        about: Text::new(
            "forwards by ports as well as addresses (load balancing)",
            "同时按端口和地址转发(负载均衡)",
        ),
    },
    Device {
        name: Text::new("layer-4 router", "四层的路由器"),
        layer: OsiLayer::Transport,
        aliases: &["L4 router", "layer 4 router", "四层路由器", "4层的路由器", "4层路由器"],
        about: Text::new(
            "a router that also reads ports (NAT, firewall rules)",
            "也看端口的路由器(NAT、防火墙规则)",
        ),
    },
];

/// The device named `name` in either language or by an alias (case-insensitive).
pub fn device(name: &str) -> Option<&'static Device> {
    let wanted = name.trim();
    DEVICES.iter().find(|d| {
        d.name.en.eq_ignore_ascii_case(wanted)
            || d.name.zh == wanted
            || d.aliases.iter().any(|a| a.eq_ignore_ascii_case(wanted))
    })
}

/// Every protocol `layers` dissects or teaches, as one closed set: a record names its
/// protocol by this id, and every view matches on it exhaustively, so a protocol added here
/// without a field table, a colour or a summary is a compile error, not a missing entry.
///
/// The discriminant is the protocol's index in [`PROTOCOLS`] (bottom-up).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum ProtocolId {
    /// The Ethernet physical layer: the frame's bits, preamble, SFD, gap.
    EthernetPhy,
    /// The bits of a frame whose medium the capture does not say (a Linux cooked capture,
    /// raw IP): no preamble, SFD or gap to show.
    Bits,
    /// Ethernet II (DIX) framing.
    Ethernet2,
    /// An IEEE 802.1Q (or 802.1ad) VLAN tag.
    Vlan,
    /// IEEE 802.3 framing: a length instead of an EtherType.
    Ieee8023,
    /// IEEE 802.2 LLC, with SNAP.
    Llc,
    /// Linux cooked capture.
    LinuxSll,
    /// Linux cooked capture v2.
    LinuxSll2,
    /// ARP.
    Arp,
    /// IPv4.
    Ipv4,
    /// ICMP.
    Icmp,
    /// A later IPv4 or IPv6 fragment (no transport header).
    IpFragment,
    /// ICMPv6.
    Icmpv6,
    /// IPv6.
    Ipv6,
    /// TCP.
    Tcp,
    /// UDP.
    Udp,
    /// HTTP/1.x.
    Http,
    /// SMTP.
    Smtp,
    /// POP3.
    Pop3,
    /// FTP.
    Ftp,
    /// Telnet.
    Telnet,
    /// DNS.
    Dns,
    /// SNMP.
    Snmp,
    /// Application bytes in no recognised protocol.
    Data,
}

impl ProtocolId {
    /// Every id, in the order of [`PROTOCOLS`].
    pub const ALL: [ProtocolId; 24] = [
        ProtocolId::EthernetPhy,
        ProtocolId::Bits,
        ProtocolId::Ethernet2,
        ProtocolId::Vlan,
        ProtocolId::Ieee8023,
        ProtocolId::Llc,
        ProtocolId::LinuxSll,
        ProtocolId::LinuxSll2,
        ProtocolId::Arp,
        ProtocolId::Ipv4,
        ProtocolId::Icmp,
        ProtocolId::IpFragment,
        ProtocolId::Icmpv6,
        ProtocolId::Ipv6,
        ProtocolId::Tcp,
        ProtocolId::Udp,
        ProtocolId::Http,
        ProtocolId::Smtp,
        ProtocolId::Pop3,
        ProtocolId::Ftp,
        ProtocolId::Telnet,
        ProtocolId::Dns,
        ProtocolId::Snmp,
        ProtocolId::Data,
    ];

    /// The id of the protocol whose usual name is exactly `name` ("TCP", "Ethernet II").
    pub fn named(name: &str) -> Option<ProtocolId> {
        ProtocolId::ALL.into_iter().find(|id| id.name() == name)
    }

    /// The protocol's row: layer, PDU, spec, names.
    #[expect(
        clippy::indexing_slicing,
        reason = "PROTOCOLS has one row per ProtocolId, in declaration order (a test checks the count)"
    )]
    pub fn info(self) -> &'static Protocol {
        &PROTOCOLS[self as usize]
    }

    /// Its usual name ("TCP"), as in JSON.
    pub fn name(self) -> &'static str {
        self.info().name
    }

    /// Its short name in a protocol path (`eth:ip:tcp:http`, as tshark's `frame.protocols`):
    /// Wireshark's display-filter name where Wireshark has one for it alone, else a name
    /// in the same style, so that every id has its own.
    pub fn short_name(self) -> &'static str {
        match self {
            ProtocolId::EthernetPhy => "phy",
            ProtocolId::Bits => "bits",
            ProtocolId::Ethernet2 => "eth",
            ProtocolId::Vlan => "vlan",
            // Wireshark calls both Ethernet framings "eth", and both cooked captures "sll".
            ProtocolId::Ieee8023 => "eth802_3",
            ProtocolId::Llc => "llc",
            ProtocolId::LinuxSll => "sll",
            ProtocolId::LinuxSll2 => "sll2",
            ProtocolId::Arp => "arp",
            ProtocolId::Ipv4 => "ip",
            ProtocolId::Icmp => "icmp",
            // Wireshark shows a later fragment's bytes as "data"; here they are their own layer.
            ProtocolId::IpFragment => "ip_fragment",
            ProtocolId::Icmpv6 => "icmpv6",
            ProtocolId::Ipv6 => "ipv6",
            ProtocolId::Tcp => "tcp",
            ProtocolId::Udp => "udp",
            ProtocolId::Http => "http",
            ProtocolId::Smtp => "smtp",
            ProtocolId::Pop3 => "pop",
            ProtocolId::Ftp => "ftp",
            ProtocolId::Telnet => "telnet",
            ProtocolId::Dns => "dns",
            ProtocolId::Snmp => "snmp",
            ProtocolId::Data => "data",
        }
    }

    /// Its layer by the standard.
    pub fn layer(self) -> OsiLayer {
        self.info().layer
    }

    /// Its PDU name.
    pub fn pdu(self) -> Text {
        self.info().pdu()
    }
}

/// A protocol and where it sits.
#[derive(Debug, PartialEq, Eq)]
pub struct Protocol {
    /// Its id: the index of this row in [`PROTOCOLS`].
    pub id: ProtocolId,
    /// Its usual name, the same in both languages ("TCP").
    pub name: &'static str,
    /// Its layer by the standard.
    pub layer: OsiLayer,
    /// Its PDU name where it has its own (UDP: datagram); else the layer's.
    pub pdu: Option<Text>,
    /// The spec that defines it.
    pub spec: &'static str,
    /// What it does, in one sentence.
    pub about: Text,
    /// Where the course's table and the standard differ, what each says.
    pub note: Option<Text>,
    /// Other names a learner may use.
    pub aliases: &'static [&'static str],
}

impl Protocol {
    /// The PDU name of this protocol.
    pub fn pdu(&self) -> Text {
        self.pdu.unwrap_or_else(|| self.layer.pdu())
    }
}

/// The protocols `layers` knows, bottom-up.
pub static PROTOCOLS: &[Protocol] = &[
    Protocol {
        id: ProtocolId::EthernetPhy,
        name: "Ethernet PHY",
        layer: OsiLayer::Physical,
        pdu: None,
        spec: "IEEE 802.3 clause 4 and the PHY clauses",
        about: Text::new(
            "turns the frame (its FCS already appended by the MAC) into a signal: preamble and SFD before it, a gap between frames",
            "把帧(MAC 已在末尾加上 FCS)变成信号:前面加前导码和帧首定界符,帧间留间隙",
        ),
        note: Some(Text::new(
            "the course's table lists no protocol at the physical layer",
            "课程的默写表中物理层协议为「无」",
        )),
        aliases: &["PHY", "physical"],
    },
    Protocol {
        id: ProtocolId::Bits,
        name: "bits",
        layer: OsiLayer::Physical,
        pdu: None,
        spec: "none: the capture does not say which medium carried the frame",
        about: Text::new(
            "the frame as bits; a cooked (tcpdump -i any) or raw-IP capture does not say which medium carried them, so no preamble, SFD or gap is shown",
            "帧的比特;Linux cooked 抓包(tcpdump -i any)或原始 IP 抓包不记录由什么介质传送,所以不显示前导码、帧首定界符和帧间隙",
        ),
        note: Some(Text::new(
            "the course's table lists no protocol at the physical layer",
            "课程的默写表中物理层协议为「无」",
        )),
        aliases: &[],
    },
    Protocol {
        id: ProtocolId::Ethernet2,
        name: "Ethernet II",
        layer: OsiLayer::DataLink,
        pdu: None,
        spec: "IEEE 802.3 (Ethernet II / DIX framing)",
        about: Text::new(
            "delivers a frame to the NIC with the destination MAC on the local network",
            "在本地网络内把帧交给目的 MAC 对应的网卡",
        ),
        note: None,
        aliases: &["Ethernet", "以太网", "Ethernet2", "DIX"],
    },
    Protocol {
        id: ProtocolId::Vlan,
        name: "802.1Q",
        layer: OsiLayer::DataLink,
        pdu: None,
        spec: "IEEE 802.1Q",
        about: Text::new(
            "a 4-byte VLAN tag: which virtual LAN the frame belongs to, and its priority",
            "4 字节 VLAN 标签:帧属于哪个虚拟局域网,以及优先级",
        ),
        note: None,
        aliases: &["VLAN", "dot1q"],
    },
    Protocol {
        id: ProtocolId::Ieee8023,
        name: "IEEE 802.3",
        layer: OsiLayer::DataLink,
        pdu: None,
        spec: "IEEE 802.3 clause 3",
        about: Text::new(
            "an Ethernet frame whose type field is a length (1500 or less): an LLC header says what it carries",
            "类型字段为长度(不超过 1500)的以太网帧:由 LLC 首部说明里面装的是什么",
        ),
        note: None,
        aliases: &["802.3"],
    },
    Protocol {
        id: ProtocolId::Llc,
        name: "LLC",
        layer: OsiLayer::DataLink,
        pdu: None,
        spec: "IEEE 802.2",
        about: Text::new(
            "logical link control: service access points (DSAP, SSAP), and with SNAP an OUI and an EtherType",
            "逻辑链路控制:服务访问点(DSAP、SSAP),配合 SNAP 时还有 OUI 和以太网类型",
        ),
        note: None,
        aliases: &["802.2", "SNAP"],
    },
    Protocol {
        id: ProtocolId::LinuxSll,
        name: "Linux SLL",
        layer: OsiLayer::DataLink,
        pdu: None,
        spec: "tcpdump.org LINKTYPE_LINUX_SLL",
        about: Text::new(
            "Linux \"cooked\" capture header: what tcpdump -i any records instead of the real link header",
            "Linux「cooked」抓包首部:tcpdump -i any 用它代替真实的链路首部",
        ),
        note: None,
        aliases: &["SLL", "cooked"],
    },
    Protocol {
        id: ProtocolId::LinuxSll2,
        name: "Linux SLL2",
        layer: OsiLayer::DataLink,
        pdu: None,
        spec: "tcpdump.org LINKTYPE_LINUX_SLL2",
        about: Text::new(
            "Linux cooked capture v2: adds the interface index",
            "Linux cooked 抓包首部第 2 版:增加了接口编号",
        ),
        note: None,
        aliases: &["SLL2"],
    },
    Protocol {
        id: ProtocolId::Arp,
        name: "ARP",
        layer: OsiLayer::DataLink,
        pdu: Some(Text::new("packet", "数据包")),
        spec: "RFC 826",
        about: Text::new(
            "asks the local network which MAC has a given IP, and answers",
            "在本地网络中查询某个 IP 对应的 MAC 地址并应答",
        ),
        note: Some(Text::new(
            "the course files ARP under data link; RFC 826, which defines it, names no OSI layer: ARP maps layer-3 addresses to layer-2 ones and is carried directly in an Ethernet frame (no IP header), so texts place it at layer 2, at layer 3 or between them",
            "课程把 ARP 归入数据链路层;定义它的 RFC 826 并未指定 OSI 层次:ARP 把三层地址映射为二层地址,直接封装在以太网帧中(没有 IP 首部),因此不同教材把它归入第 2 层、第 3 层或两者之间",
        )),
        aliases: &["address resolution protocol", "arp协议", "地址解析协议"],
    },
    Protocol {
        id: ProtocolId::Ipv4,
        name: "IPv4",
        layer: OsiLayer::Network,
        pdu: None,
        spec: "RFC 791",
        about: Text::new(
            "carries a packet from the source IP to the destination IP across networks",
            "把数据包从源 IP 经多个网络送到目的 IP",
        ),
        note: None,
        aliases: &["IP", "IP协议", "internet protocol"],
    },
    Protocol {
        id: ProtocolId::Icmp,
        name: "ICMP",
        layer: OsiLayer::Network,
        pdu: Some(Text::new("message", "报文")),
        spec: "RFC 792",
        about: Text::new(
            "IP's messages about itself: echo (ping), unreachable, time exceeded",
            "IP 的控制报文:回显(ping)、不可达、超时",
        ),
        note: None,
        aliases: &["ping"],
    },
    Protocol {
        id: ProtocolId::IpFragment,
        name: "IP fragment",
        layer: OsiLayer::Network,
        pdu: Some(Text::new("fragment", "分片")),
        spec: "RFC 791 section 2.3",
        about: Text::new(
            "a later piece of a fragmented packet: it continues the first fragment's data and has no transport header",
            "分片数据包的后续分片:接续第一个分片的数据,没有传输层首部",
        ),
        note: None,
        aliases: &["fragment"],
    },
    Protocol {
        id: ProtocolId::Icmpv6,
        name: "ICMPv6",
        layer: OsiLayer::Network,
        pdu: Some(Text::new("message", "报文")),
        spec: "RFC 4443",
        about: Text::new(
            "IPv6's control messages: echo, unreachable, and neighbour discovery (IPv6's ARP)",
            "IPv6 的控制报文:回显、不可达,以及邻居发现(IPv6 中的 ARP)",
        ),
        note: None,
        aliases: &["ping6", "NDP"],
    },
    Protocol {
        id: ProtocolId::Ipv6,
        name: "IPv6",
        layer: OsiLayer::Network,
        pdu: None,
        spec: "RFC 8200",
        about: Text::new("IP with 128-bit addresses", "使用 128 位地址的 IP"),
        note: None,
        aliases: &["IP6"],
    },
    Protocol {
        id: ProtocolId::Tcp,
        name: "TCP",
        layer: OsiLayer::Transport,
        pdu: None,
        spec: "RFC 9293",
        about: Text::new(
            "a reliable, connection-oriented byte stream between two ports: handshake, sequence numbers, acknowledgements, retransmission",
            "两个端口之间可靠、面向连接的字节流:握手、序号、确认、重传",
        ),
        note: None,
        aliases: &["transmission control protocol", "传输控制协议"],
    },
    Protocol {
        id: ProtocolId::Udp,
        name: "UDP",
        layer: OsiLayer::Transport,
        pdu: Some(Text::new("datagram", "数据报")),
        spec: "RFC 768",
        about: Text::new(
            "connectionless datagrams between two ports: no handshake, no retransmission",
            "两个端口之间无连接的数据报:不握手、不重传",
        ),
        note: None,
        aliases: &["user datagram protocol", "用户数据报协议"],
    },
    Protocol {
        id: ProtocolId::Http,
        name: "HTTP",
        layer: OsiLayer::Application,
        pdu: None,
        spec: "RFC 9110, RFC 9112",
        about: Text::new("the web's requests and responses", "网页的请求与响应"),
        note: None,
        aliases: &["HTTP/1.1", "web"],
    },
    Protocol {
        id: ProtocolId::Smtp,
        name: "SMTP",
        layer: OsiLayer::Application,
        pdu: None,
        spec: "RFC 5321",
        about: Text::new("sends mail", "发送邮件"),
        note: None,
        aliases: &[],
    },
    Protocol {
        id: ProtocolId::Pop3,
        name: "POP3",
        layer: OsiLayer::Application,
        pdu: None,
        spec: "RFC 1939",
        about: Text::new("fetches mail from a mailbox", "从邮箱收取邮件"),
        note: None,
        aliases: &["POP"],
    },
    Protocol {
        id: ProtocolId::Ftp,
        name: "FTP",
        layer: OsiLayer::Application,
        pdu: None,
        spec: "RFC 959",
        about: Text::new("transfers files", "传输文件"),
        note: None,
        aliases: &[],
    },
    Protocol {
        id: ProtocolId::Telnet,
        name: "Telnet",
        layer: OsiLayer::Application,
        pdu: None,
        spec: "RFC 854",
        about: Text::new("a remote terminal", "远程终端"),
        note: None,
        aliases: &[],
    },
    Protocol {
        id: ProtocolId::Dns,
        name: "DNS",
        layer: OsiLayer::Application,
        pdu: None,
        spec: "RFC 1035",
        about: Text::new("turns names into addresses", "把域名解析为地址"),
        note: None,
        aliases: &["domain name system", "域名系统"],
    },
    Protocol {
        id: ProtocolId::Snmp,
        name: "SNMP",
        layer: OsiLayer::Application,
        pdu: None,
        spec: "RFC 3416",
        about: Text::new("monitors and manages network devices", "监控和管理网络设备"),
        note: None,
        aliases: &[],
    },
    Protocol {
        id: ProtocolId::Data,
        name: "data",
        layer: OsiLayer::Application,
        pdu: None,
        spec: "-",
        about: Text::new(
            "the application's own bytes, in no protocol layers recognises",
            "应用程序自己的字节,不属于可识别的协议",
        ),
        note: None,
        aliases: &["payload", "数据"],
    },
];

/// The protocol named `name` or by an alias (case-insensitive).
pub fn protocol(name: &str) -> Option<&'static Protocol> {
    let wanted = name.trim();
    PROTOCOLS.iter().find(|p| {
        p.name.eq_ignore_ascii_case(wanted)
            || p.aliases.iter().any(|a| a.eq_ignore_ascii_case(wanted))
    })
}

/// A layer model: how the seven OSI layers are grouped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Model {
    /// OSI's seven layers.
    Osi7,
    /// TCP/IP in five layers: the course's table.
    TcpIp5,
    /// TCP/IP in four layers (RFC 1122): link, internet, transport, application.
    TcpIp4,
}

/// One layer of a model, with what the course's table says of it.
#[derive(Debug, PartialEq, Eq)]
pub struct ModelLayer {
    /// The layer's name in this model.
    pub name: Text,
    /// The OSI layers it covers, bottom-up.
    pub osi: &'static [OsiLayer],
    /// Its protocols, as the table lists them (the course's for TCP/IP 5).
    pub protocols: &'static [&'static str],
    /// Its devices, as the table lists them (English names, see [`device`]).
    pub devices: &'static [&'static str],
}

const APPLICATION_PROTOCOLS: &[&str] = &["HTTP", "SMTP", "POP3"];
const TRANSPORT_DEVICES: &[&str] = &["layer-4 switch", "layer-4 router"];
const NETWORK_DEVICES: &[&str] = &["router", "layer-3 switch"];
const DATA_LINK_DEVICES: &[&str] = &["bridge", "Ethernet switch", "NIC"];
const PHYSICAL_DEVICES: &[&str] = &["repeater", "hub", "twisted pair"];

static TCPIP5: [ModelLayer; 5] = [
    ModelLayer {
        name: Text::new("application", "应用层"),
        osi: &[
            OsiLayer::Session,
            OsiLayer::Presentation,
            OsiLayer::Application,
        ],
        protocols: APPLICATION_PROTOCOLS,
        devices: &[],
    },
    ModelLayer {
        name: Text::new("transport", "传输层"),
        osi: &[OsiLayer::Transport],
        protocols: &["TCP", "UDP"],
        devices: TRANSPORT_DEVICES,
    },
    ModelLayer {
        name: Text::new("network", "网络层"),
        osi: &[OsiLayer::Network],
        protocols: &["IP"],
        devices: NETWORK_DEVICES,
    },
    ModelLayer {
        name: Text::new("data link", "数据链路层"),
        osi: &[OsiLayer::DataLink],
        protocols: &["ARP"],
        devices: DATA_LINK_DEVICES,
    },
    ModelLayer {
        name: Text::new("physical", "物理层"),
        osi: &[OsiLayer::Physical],
        protocols: &[],
        devices: PHYSICAL_DEVICES,
    },
];

static OSI7: [ModelLayer; 7] = [
    ModelLayer {
        name: Text::new("application", "应用层"),
        osi: &[OsiLayer::Application],
        protocols: APPLICATION_PROTOCOLS,
        devices: &[],
    },
    ModelLayer {
        name: Text::new("presentation", "表示层"),
        osi: &[OsiLayer::Presentation],
        // Character encodings such as UTF-8 are no protocol of any layer.
        protocols: &["TLS", "MIME", "ASN.1"],
        devices: &[],
    },
    ModelLayer {
        name: Text::new("session", "会话层"),
        osi: &[OsiLayer::Session],
        protocols: &["RPC", "NetBIOS"],
        devices: &[],
    },
    ModelLayer {
        name: Text::new("transport", "传输层"),
        osi: &[OsiLayer::Transport],
        protocols: &["TCP", "UDP"],
        devices: TRANSPORT_DEVICES,
    },
    ModelLayer {
        name: Text::new("network", "网络层"),
        osi: &[OsiLayer::Network],
        protocols: &["IP"],
        devices: NETWORK_DEVICES,
    },
    ModelLayer {
        name: Text::new("data link", "数据链路层"),
        osi: &[OsiLayer::DataLink],
        protocols: &["ARP"],
        devices: DATA_LINK_DEVICES,
    },
    ModelLayer {
        name: Text::new("physical", "物理层"),
        osi: &[OsiLayer::Physical],
        protocols: &[],
        devices: PHYSICAL_DEVICES,
    },
];

static TCPIP4: [ModelLayer; 4] = [
    ModelLayer {
        name: Text::new("application", "应用层"),
        osi: &[
            OsiLayer::Session,
            OsiLayer::Presentation,
            OsiLayer::Application,
        ],
        protocols: APPLICATION_PROTOCOLS,
        devices: &[],
    },
    ModelLayer {
        name: Text::new("transport", "传输层"),
        osi: &[OsiLayer::Transport],
        protocols: &["TCP", "UDP"],
        devices: TRANSPORT_DEVICES,
    },
    ModelLayer {
        name: Text::new("internet", "网络层"),
        osi: &[OsiLayer::Network],
        protocols: &["IP"],
        devices: NETWORK_DEVICES,
    },
    ModelLayer {
        name: Text::new("network access (link)", "网络接口层"),
        osi: &[OsiLayer::Physical, OsiLayer::DataLink],
        protocols: &["ARP"],
        devices: &[
            "bridge",
            "Ethernet switch",
            "NIC",
            "repeater",
            "hub",
            "twisted pair",
        ],
    },
];

impl Model {
    /// The model's layers, top-down (as the course writes them).
    pub fn layers(self) -> &'static [ModelLayer] {
        match self {
            Model::Osi7 => &OSI7,
            Model::TcpIp5 => &TCPIP5,
            Model::TcpIp4 => &TCPIP4,
        }
    }

    /// The model's layer that contains OSI layer `layer`.
    pub fn layer_of(self, layer: OsiLayer) -> &'static ModelLayer {
        let layers = self.layers();
        // Every model covers all seven OSI layers (a test checks it); were one missing, its
        // top layer would answer rather than a panic.
        layers
            .iter()
            .find(|l| l.osi.contains(&layer))
            .or(layers.last())
            .unwrap_or(&TCPIP5[0])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Lang;

    /// A protocol path written with short names reads back as one path: no two protocols
    /// share a name, and no name holds the separator.
    #[test]
    fn short_names_are_one_per_protocol() {
        let mut names: Vec<&str> = ProtocolId::ALL.iter().map(|p| p.short_name()).collect();
        assert!(names.iter().all(|n| !n.is_empty() && !n.contains(':')));
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), ProtocolId::ALL.len());
    }

    #[test]
    fn every_model_covers_each_osi_layer_exactly_once() {
        for model in [Model::Osi7, Model::TcpIp5, Model::TcpIp4] {
            for layer in OsiLayer::ALL {
                let n = model
                    .layers()
                    .iter()
                    .filter(|l| l.osi.contains(&layer))
                    .count();
                assert_eq!(n, 1, "{model:?} covers {layer:?} {n} times");
            }
        }
    }

    #[test]
    fn the_course_table_devices_resolve_and_sit_at_their_layer() {
        for model in [Model::Osi7, Model::TcpIp5, Model::TcpIp4] {
            for row in model.layers() {
                for name in row.devices {
                    let d = device(name).unwrap_or_else(|| panic!("unknown device {name}"));
                    assert!(row.osi.contains(&d.layer), "{name} is not at {:?}", row.osi);
                }
            }
        }
    }

    #[test]
    fn the_seed_dictation_reads_as_the_course_wrote_it() {
        let rows: Vec<String> = Model::TcpIp5
            .layers()
            .iter()
            .map(|l| {
                let devices: Vec<_> = l
                    .devices
                    .iter()
                    .map(|d| device(d).unwrap().name.get(Lang::Zh))
                    .collect();
                format!(
                    "{} {} {}",
                    l.name.zh,
                    l.protocols.join(","),
                    devices.join(",")
                )
            })
            .collect();
        assert_eq!(
            rows,
            [
                "应用层 HTTP,SMTP,POP3 ",
                "传输层 TCP,UDP 四层交换机,四层的路由器",
                "网络层 IP 路由器,三层交换机",
                "数据链路层 ARP 网桥,以太网交换机,网卡",
                "物理层  中继器,集线器,双绞线",
            ]
        );
    }

    #[test]
    fn lookups_accept_both_languages_and_aliases() {
        assert_eq!(device("L4 switch").unwrap().name.zh, "四层交换机");
        assert_eq!(device("网卡").unwrap().name.en, "NIC");
        assert_eq!(device("network card").unwrap().name.en, "NIC");
        assert!(device("toaster").is_none());
        assert_eq!(protocol("ip").unwrap().name, "IPv4");
        assert_eq!(protocol("udp").unwrap().pdu().en, "datagram");
        assert_eq!(protocol("TCP").unwrap().pdu().en, "segment");
        assert!(protocol("ARP").unwrap().note.is_some());
    }

    #[test]
    fn every_protocol_id_names_its_own_row() {
        assert_eq!(ProtocolId::ALL.len(), PROTOCOLS.len());
        for (i, id) in ProtocolId::ALL.into_iter().enumerate() {
            assert_eq!(id as usize, i);
            assert_eq!(PROTOCOLS[i].id, id, "row {i} ({})", PROTOCOLS[i].name);
            assert_eq!(protocol(id.name()).map(|p| p.id), Some(id));
            assert_eq!(ProtocolId::named(id.name()), Some(id));
        }
    }

    #[test]
    fn layer_numbers_round_trip() {
        for layer in OsiLayer::ALL {
            assert_eq!(OsiLayer::from_number(layer.number()), Some(layer));
        }
        assert_eq!(OsiLayer::from_number(0), None);
        assert_eq!(OsiLayer::from_number(8), None);
    }
}
