//! Every message the CLI prints, in English and Chinese, in one place.
//!
//! A template's `{}` takes the next argument and `{N}` the N-th (from 0), so a Chinese
//! sentence can put the arguments in its own order. The knowledge itself (layer, device,
//! protocol and field names) comes from the library crates' `Text`s.

use std::fmt::Display;

use layers_osi::Lang;

macro_rules! messages {
    ($($name:ident => $en:expr, $zh:expr;)*) => {
        /// A message of the CLI.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        // A build without Parquet has messages it never says; the default build checks
        // that every message is said.
        #[cfg_attr(not(feature = "parquet"), allow(dead_code))]
        pub enum Msg { $($name),* }

        impl Msg {
            /// Every message, for tests.
            #[cfg(test)]
            pub const ALL: &'static [Msg] = &[$(Msg::$name),*];

            /// The template in `lang`.
            pub fn get(self, lang: Lang) -> &'static str {
                match (self, lang) {
                    $((Msg::$name, Lang::En) => $en, (Msg::$name, Lang::Zh) => $zh,)*
                }
            }
        }
    };
}

impl Msg {
    /// The template in `lang` with its placeholders filled from `args`.
    pub fn fill(self, lang: Lang, args: &[&dyn Display]) -> String {
        fill(self.get(lang), args)
    }
}

/// Fills `{}` (the next argument) and `{N}` (argument N) in `template`; `{s}` is an English
/// plural ending: nothing after an argument that is 1, "s" after any other ("1 frame",
/// "2 frames").
pub fn fill(template: &str, args: &[&dyn Display]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut next = 0;
    let mut last = String::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}') {
            Some(close) if after[..close].chars().all(|c| c.is_ascii_digit()) => {
                let index = if close == 0 {
                    next += 1;
                    next - 1
                } else {
                    after[..close].parse().unwrap_or(usize::MAX)
                };
                match args.get(index) {
                    Some(a) => {
                        last = a.to_string();
                        out.push_str(&last);
                    }
                    None => out.push_str(&rest[open..open + close + 2]),
                }
                rest = &after[close + 1..];
            }
            Some(1) if after.starts_with('s') => {
                if last != "1" {
                    out.push('s');
                }
                rest = &after[2..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

messages! {
    ErrorPrefix => "error:", "错误:";
    BadValue => "{} {}: {}", "{} {}:{}";
    ExpRange => "expected a whole number from {} to {}", "应为 {} 到 {} 之间的整数";
    ExpIp => "expected an IPv4 address such as 192.168.11.34", "应为 IPv4 地址,如 192.168.11.34";
    ExpPrefix => "the prefix length must be 0-32 (or give a mask such as 255.255.255.0)", "前缀长度必须在 0-32 之间(或写成掩码,如 255.255.255.0)";
    ExpMaskContiguous => "mask {} is not contiguous: its one bits must all come first, such as 255.255.255.0", "掩码 {} 不连续:1 必须全部在前面,如 255.255.255.0";
    ExpPort => "the port must be a number 0-65535 or a service name such as http or dns", "端口必须是 0-65535 的数字或服务名,如 http、dns";
    ExpService => "unknown service name: use a port number or a name such as http, dns, smtp", "未知的服务名:请用端口号,或 http、dns、smtp 等服务名";
    ExpMac => "expected a MAC address: six hex bytes such as 02:00:c0:a8:0b:22", "应为 MAC 地址:六个十六进制字节,如 02:00:c0:a8:0b:22";
    ExpUnicastMac => "a source MAC must be unicast (its first byte even)", "源 MAC 必须是单播地址(第一个字节为偶数)";
    ExpHex => "expected hex digits in pairs, such as 68 65 6c 6c 6f ({})", "应为成对的十六进制数字,如 68 65 6c 6c 6f({})";
    ExpFlags => "expected a comma-separated list of SYN, ACK, PSH, FIN, RST, URG, ECE, CWR", "应为逗号分隔的 SYN、ACK、PSH、FIN、RST、URG、ECE、CWR";
    ExpVlan => "expected ID[:PCP], such as 10 or 10:5", "应为 ID[:PCP],如 10 或 10:5";
    ExpVlanId => "the VLAN ID must be 1-4094 (0 and 4095 are reserved)", "VLAN ID 必须在 1-4094 之间(0 和 4095 为保留值)";
    ExpVlanPcp => "the priority must be 0-7", "优先级必须在 0-7 之间";
    ExpSpeed => "expected 10M, 100M, 1G or 10G", "应为 10M、100M、1G 或 10G";
    ExpFault => "expected bad-ip-checksum, bad-l4-checksum, ttl-zero or truncate=N", "应为 bad-ip-checksum、bad-l4-checksum、ttl-zero 或 truncate=N";
    ExpFormatExt => "cannot tell the format from the file name: end it in .bin, .hex, .txt, .pcap or .pcapng, or add --format raw|hex|pcap|pcapng", "无法从文件名判断格式:请以 .bin、.hex、.txt、.pcap 或 .pcapng 结尾,或加上 --format raw|hex|pcap|pcapng";
    ExpGatewayInNet => "the gateway must be on the sender's network {}: a host can only hand frames to a gateway on its own network", "网关必须在发送方所在的网络 {} 内:主机只能把帧交给本网络内的网关";
    ExpGatewayHost => "the gateway must be another host of the network, not its network or broadcast address, nor the sender {} itself", "网关必须是本网络内的另一台主机,不能是网络地址、广播地址或发送方 {} 自己";
    ExpToNoPrefix => "the receiver takes no prefix: give IP[:PORT]; the sender's mask decides the subnet", "接收方不带前缀:请写 IP[:端口];子网由发送方的掩码决定";
    ConflictPayload => "{} and {} cannot be used together: give the data one way", "{} 和 {} 不能同时使用:数据只能用一种方式给出";
    ConflictArpData => "{} cannot be used with --proto arp: an ARP packet carries no data", "{} 不能与 --proto arp 同时使用:ARP 数据包不携带数据";
    ConflictTogether => "{} cannot be used with {}: {}", "{} 不能与 {} 同时使用:{}";
    WhyJsonView => "--json prints the data alone, and that flag is a view for reading in the terminal", "--json 只输出数据,而那个选项是供终端阅读的视图";
    WhyRstNoClose => "an RST aborts the connection, so there is no FIN and no final ACK to lose", "RST 直接中止连接,没有 FIN,也没有最后的 ACK 可丢";
    WhyBothFinalAck => "in a simultaneous close both ends send a final ACK and losing one is not simulated (--lose fin is)", "同时关闭时两端都会发送最后的 ACK,丢失其中一个的情形未模拟(可用 --lose fin)";
    WhyPayloadSize => "--payload-size carries that many bytes instead of the text: give one of them", "--payload-size 会用指定字节数的数据代替文本:两者只能选一个";
    ConflictTcpOnly => "{} only applies to TCP, not to --proto {}", "{} 只适用于 TCP,不适用于 --proto {}";
    ConflictArpIp => "{} cannot be used with --proto arp: ARP has no IPv4 header", "{} 不能与 --proto arp 同时使用:ARP 没有 IPv4 首部";
    ConflictMask => "--mask {} disagrees with the /{} given in --from", "--mask {} 与 --from 中的 /{} 不一致";
    ConflictNoPorts => "{} {}: --proto {} has no ports; give the address alone", "{} {}:--proto {} 没有端口;只写地址即可";
    NeedsAck => "--ack {}: an acknowledgment number means nothing without the ACK flag: add ACK to --flags", "--ack {}:没有 ACK 标志,确认号没有意义:请在 --flags 中加上 ACK";
    NeedsSyn => "--mss {}: the MSS option is only sent on a SYN (RFC 9293): add SYN to --flags", "--mss {}:MSS 选项只能出现在 SYN 段中(RFC 9293):请在 --flags 中加上 SYN";
    NeedsOutput => "{} needs -o FILE", "{} 需要配合 -o 文件 使用";
    OverMtu => "the IPv4 packet would be {} bytes ({} of headers + {} of data) but the MTU is {}: at most {} bytes of data fit; send less or raise --mtu", "IPv4 数据包将有 {} 字节({} 字节首部 + {} 字节数据),但 MTU 只有 {}:最多只能放 {} 字节数据;请减少数据或调大 --mtu";
    ReadFile => "cannot read {} {}: {}", "无法读取 {} {}:{}";
    WriteFile => "cannot write {}: {}", "无法写入 {}:{}";
    StandardOutput => "standard output", "标准输出";
    ManWrote => "wrote {}", "已写入 {}";
    ClassDNoHosts => "not a host network: a class D address names a multicast group, which has no mask, network, broadcast or hosts; hosts join it and keep their own unicast addresses", "不是主机网络:D 类地址表示一个组播组,组没有掩码、网络号、广播地址或主机;主机加入组播组,同时保留自己的单播地址";
    ClassENoHosts => "not a host network: class E (240.0.0.0/4) is reserved, so no host or network has such an address", "不是主机网络:E 类(240.0.0.0/4)是保留地址,没有主机或网络使用这样的地址";
    NoSuchFrame => "{}: there is no frame {}: the input ends after frame {}", "{}:没有第 {} 帧:输入在第 {} 帧之后结束";
    CaptureExpSeconds => "a number of seconds above 0", "大于 0 的秒数";
    CaptureStarted => "capturing on {} (link type {}); Ctrl-C stops", "正在 {} 上抓包(链路类型 {});按 Ctrl-C 停止";
    CaptureLoopback => "loopback: Linux gives its frames an Ethernet header with zero MACs (no NIC sends them); each frame is shown once, as it arrives", "回环接口:Linux 给它的帧加上 MAC 全为 0 的以太网首部(并没有网卡发送它们);每个帧只显示一次,即收到的那一份";
    CaptureSummary => "{} frame{s} captured; the kernel passed {} and dropped {}", "抓到 {} 帧;内核交来 {} 帧,丢弃 {} 帧";
    CaptureNeedsPrivilege => "capturing needs the privilege to open a raw socket ({}): run as root, or grant it once with: sudo setcap cap_net_raw,cap_net_admin=eip $(which layers)", "抓包需要打开原始套接字的权限({}):请以 root 运行,或一次性授权:sudo setcap cap_net_raw,cap_net_admin=eip $(which layers)";
    CaptureNoInterface => "there is no interface {}; there are: {}", "没有接口 {};现有的接口:{}";
    CaptureCannotOpen => "cannot capture on {}: {}", "无法在 {} 上抓包:{}";
    CaptureUp => "up", "已启用";
    CaptureDown => "down", "未启用";
    CaptureLoopbackWord => "loopback", "回环";
    CaptureStates => "    TCP states: {} {} · {} {}", "    TCP 状态:{} {} · {} {}";
    ChatBadAddr => "{} {}: expected IP:PORT, such as 127.0.0.1:9999", "{} {}:应为 IP:端口,例如 127.0.0.1:9999";
    ChatCannotListen => "cannot listen on {}: {}", "无法在 {} 上监听:{}";
    ChatCannotConnect => "cannot connect to {}: {}", "无法连接到 {}:{}";
    ChatListening => "listening on {} ({}); type a line to send it to everyone, q to quit", "正在 {} 上监听({});输入一行发给所有人,输入 q 退出";
    ChatConnected => "connected to {} as {} ({}); type a line to send it, q to leave", "已连接到 {},名字是 {}({});输入一行发送,输入 q 离开";
    ChatWelcome => "{} welcomes {}", "{} 欢迎 {}";
    ChatJoined => "{} joined from {}", "{} 从 {} 加入";
    ChatLeft => "{} left (its FIN closed the connection)", "{} 离开了(对方的 FIN 关闭了连接)";
    ChatMidLine => "{} left in the middle of a line: {} byte{s} without a newline were dropped, not a whole message", "{} 在一行的中途离开:{} 字节没有换行符,不是完整的消息,已丢弃";
    ChatVanished => "{} vanished: {}", "{} 突然消失:{}";
    ChatTooLong => "a line longer than {} bytes was cut there", "超过 {} 字节的一行在此处被截断";
    ChatFull => "the chat is full ({} people)", "聊天室已满({} 人)";
    ChatServerClosed => "the server closed the connection", "服务器关闭了连接";
    ChatBye => "the conversation is over", "对话结束";
    ChatLost => "{}: {} datagram{s} lost (or late) before this one: UDP does not resend", "{}:在这一个之前有 {} 个数据报丢失(或迟到):UDP 不会重传";
    ChatReordered => "{}: datagram {} came after {}: out of order, as UDP allows", "{}:数据报 {} 在 {} 之后才到:顺序乱了,UDP 允许这样";
    ExSocketTcp => "socket(AF_INET, SOCK_STREAM): a TCP socket [CLOSED]", "「socket(AF_INET, SOCK_STREAM)」:一个 TCP 套接字 [CLOSED]";
    ExReuse => "setsockopt(SO_REUSEADDR, 1) before bind: the port can be bound again while connections of an earlier run wait out TIME_WAIT (without it: \"address already in use\")", "在「bind」之前「setsockopt(SO_REUSEADDR, 1)」:上一次运行的连接还在 TIME_WAIT 时,端口也能再次绑定(否则报「address already in use」)";
    ExBind => "bind({}): the address and port this socket answers on", "「bind({})」:这个套接字使用的地址和端口";
    ExListen => "listen(): the kernel now answers SYNs on {} [LISTEN]", "「listen()」:内核开始在 {} 上应答 SYN [LISTEN]";
    ExAccept => "accept() -> {}: the kernel finished the three-way handshake (SYN, SYN-ACK, ACK) before accept returned [ESTABLISHED]", "「accept()」-> {}:在「accept」返回之前,内核已完成三次握手(SYN、SYN-ACK、ACK)[ESTABLISHED]";
    ExRecvLine => "recv() -> {} bytes up to a newline, from {}: one message (TCP carries a stream of bytes; the newline marks where a message ends)", "「recv()」-> {} 字节,直到换行符,来自 {}:一条消息(TCP 传送的是字节流,换行符标出消息的结尾)";
    ExSend => "send({} bytes) to {} peer{s}", "「send」{} 字节给 {} 个对端";
    ExRecvEof => "recv() -> 0 bytes: {} sent FIN [CLOSE_WAIT]; close() sends ours [LAST_ACK]; its ACK ends the connection [CLOSED]", "「recv()」-> 0 字节:{} 发来了 FIN [CLOSE_WAIT];「close()」发出我方的 FIN [LAST_ACK];对方的 ACK 结束连接 [CLOSED]";
    ExRecvReset => "recv() failed ({}): {} is gone without a close", "「recv()」失败({}):{} 没有正常关闭就不见了";
    ExConnect => "connect({}): our SYN [SYN_SENT], the server's SYN-ACK, our ACK [ESTABLISHED]", "「connect({})」:我方 SYN [SYN_SENT],服务器的 SYN-ACK,我方 ACK [ESTABLISHED]";
    ExShutdown => "shutdown(SHUT_WR): our FIN [FIN_WAIT_1]; the server's ACK [FIN_WAIT_2]", "「shutdown(SHUT_WR)」:我方 FIN [FIN_WAIT_1];服务器的 ACK [FIN_WAIT_2]";
    ExPeerFin => "recv() -> 0 bytes: the server's FIN; our ACK [TIME_WAIT]: this end waits 2MSL before the same address and port pair may be used again; close() [CLOSED]", "「recv()」-> 0 字节:服务器的 FIN;我方 ACK [TIME_WAIT]:这一端要等 2MSL,同样的地址和端口对才能再用;「close()」[CLOSED]";
    ExServerFirst => "recv() -> 0 bytes: the server closed first [CLOSE_WAIT]; close() sends our FIN [LAST_ACK]; its ACK [CLOSED]", "「recv()」-> 0 字节:服务器先关闭 [CLOSE_WAIT];「close()」发出我方 FIN [LAST_ACK];对方 ACK [CLOSED]";
    ExCloseAll => "close() on {} connection{s}: the server closes first, so each sends our FIN [FIN_WAIT_1] and TIME_WAIT falls to this side", "对 {} 个连接「close()」:服务器先关闭,每个连接发出我方 FIN [FIN_WAIT_1],TIME_WAIT 落在服务器这一端";
    ExSocketUdp => "socket(AF_INET, SOCK_DGRAM): a UDP socket: no connection and no states", "「socket(AF_INET, SOCK_DGRAM)」:一个 UDP 套接字:没有连接,也没有状态";
    ExRecvFrom => "recvfrom() -> {} bytes from {}: one datagram is one message, whole", "「recvfrom()」-> {} 字节,来自 {}:一个数据报就是一条完整的消息";
    ExSendTo => "sendto({} bytes) to {} peer{s}: no handshake and no acknowledgement", "「sendto」{} 字节给 {} 个对端:没有握手,也没有确认";
    ExUdpConnect => "connect({}) on UDP only sets the default destination: nothing is sent", "UDP 上的「connect({})」只设定默认目的地:什么也不发送";
    ExUdpQuit => "UDP has no connection to close: nothing is sent", "UDP 没有需要关闭的连接:什么也不发送";
    FaultKeepRange => "the frame is {} bytes: keep 1 to {} of them", "该帧共 {} 字节:只能保留 1 到 {} 字节";
    FilterAt => "--filter: column {}: {}", "--filter:第 {} 列:{}";
    FilterExpected => "expected {}, found \"{}\"", "此处应为{},却是「{}」";
    FilterExpectedEnd => "expected {}, but the expression ends", "此处应为{},但表达式已结束";
    FilterPrimitive => "a primitive (tcp, udp, icmp, icmp6, arp, ip, ip6, vlan, port N, host ADDR, net CIDR, ether host MAC) or \"(\"", "一个原语(「tcp」「udp」「icmp」「icmp6」「arp」「ip」「ip6」「vlan」「port N」「host 地址」「net 网段」「ether host MAC」)或「(」";
    FilterOperator => "and, or or the end of the expression", "「and」「or」或表达式结尾";
    FilterCloseParen => "\")\"", "「)」";
    FilterPortValue => "a port number or service name", "端口号或服务名";
    FilterNetValue => "a network such as 10.0.0.0/8, 192.168 or fd00::/8", "网段,例如 10.0.0.0/8、192.168 或 fd00::/8";
    FilterHostValue => "an IPv4 or IPv6 address", "IPv4 或 IPv6 地址";
    FilterMacValue => "a MAC address such as 02:00:00:00:00:01", "MAC 地址,例如 02:00:00:00:00:01";
    FilterEtherQualifier => "host, src or dst after ether", "「ether」之后的「host」「src」或「dst」";
    FilterQualified => "a primitive (a bare value after and/or takes the qualifiers of the primitive before it, and that one has none)", "一个原语(「and」「or」之后的单独的值沿用前一个原语的限定词,而前一个原语没有限定词)";
    FilterUnsupported => "\"{}\" is tcpdump syntax that layers does not take; it takes tcp, udp, icmp, icmp6, arp, rarp, ip, ip6, vlan [ID], [tcp|udp] [src|dst] port, [ip|ip6|arp] [src|dst] host, net, ether host, and, or, not and parentheses", "「{}」是 layers 不支持的 tcpdump 语法;支持的有「tcp」「udp」「icmp」「icmp6」「arp」「rarp」「ip」「ip6」「vlan [ID]」「[tcp|udp] [src|dst] port」「[ip|ip6|arp] [src|dst] host」「net」「ether host」「and」「or」「not」和括号";
    FilterQualifier => "\"{}\" cannot qualify {}", "「{}」不能修饰{}";
    FilterAppliedHost => "host", "「host」";
    FilterAppliedNet => "net", "「net」";
    FilterAppliedPort => "port", "「port」";
    FilterAppliedMac => "a MAC address (write ether host)", "MAC 地址(应写「ether host」)";
    FilterAppliedIpv4 => "an IPv4 address", "IPv4 地址";
    FilterAppliedIpv6 => "an IPv6 address", "IPv6 地址";
    FilterHostBits => "\"{}\" has bits set past its prefix: a network's host part is 0 (for one address, write host)", "「{}」在前缀之后还有为 1 的位:网段的主机部分应为 0(单个地址请写「host」)";
    FilterPrefix => "a prefix of {} bits is longer than the address ({} bits)", "前缀 {} 位,比地址({} 位)还长";
    FilterPort => "port {} is above 65535", "端口 {} 大于 65535";
    FilterVlanId => "VLAN ID {} is above 4095", "VLAN ID {} 大于 4095";
    FilterService => "\"{}\" is not a service layers knows: give the port number", "「{}」不是 layers 认识的服务:请写端口号";
    FilterHostName => "\"{}\" is a host name: filters take addresses and look nothing up", "「{}」是主机名:过滤表达式只接受地址,不做名字解析";
    FilterTooDeep => "parentheses and not nest at most {} deep", "括号和「not」最多嵌套 {} 层";
    SkipPastEnd => "{}: --skip {} skips every frame: the input ends after frame {}", "{}:--skip {} 跳过了所有帧:输入在第 {} 帧之后结束";
    JsonAndStdout => "--json and -o - both write to standard output: choose one, or write the capture to a file", "--json 和 -o - 都写到标准输出:只能选一个,或把抓包写到文件";
    Wrote => "wrote {} ({}, 1 frame, {} byte{s}{})", "已写入 {}({},1 帧,{} 字节{})";
    WroteFcs => ", FCS included", ",含 FCS";
    NoDevice => "none", "无";
    ListSep => ", ", "、";
    PayloadText => "{} byte{s} of data \"{}\"", "{} 字节数据「{}」";
    PayloadNone => "no data", "不带数据";
    PayloadBytes => "{} byte{s} of data", "{} 字节数据";
    TitlePorts => "{} {} carrying {}: {}:{} -> {}:{}", "{} {},携带 {}:{}:{} -> {}:{}";
    TitleIcmp => "ICMP echo request (ping) carrying {}: {} -> {}", "ICMP 回显请求(ping),携带 {}:{} -> {}";
    TitleArp => "ARP request: who has {}? tell {}", "ARP 请求:谁是 {}?请告诉 {}";
    SubnetHeading => "Subnet decision: the sender ANDs both addresses with its mask {} (/{})", "子网判断:发送方把两个地址分别与子网掩码 {}(/{})按位与";
    SourceNetwork => "(the sender's network)", "(发送方所在网络)";
    DestinationNetwork => "(the receiver, under the sender's mask)", "(接收方,用发送方的掩码)";
    SameNetwork => "same network {} -> deliver directly: ARP for {}'s MAC; the frame goes straight to it", "同一网络 {} -> 直接交付:用 ARP 查询 {} 的 MAC,帧直接发给它";
    OtherNetwork => "{} is not {} -> send via the gateway {}: ARP for the gateway's MAC; the frame goes to the gateway, not to {}", "{} 不等于 {} -> 经网关 {} 转发:用 ARP 查询网关的 MAC,帧发给网关而不是 {}";
    GatewayAssumed => "(gateway {} assumed: the network's first host, or its last when the sender is the first; set it with --gateway)", "(假定网关为 {}:网络中的第一个主机地址,发送方自己是第一个时取最后一个;可用 --gateway 指定)";
    DestinationKind => "{} is {}", "{} 是{}";
    MacLine => "source MAC      {}{}", "源 MAC      {}{}";
    MacLineDst => "destination MAC {}{} [{}]", "目的 MAC    {}{} [{}]";
    MacDerived => " (derived from {})", "(由 {} 得出)";
    MacBroadcast => " (broadcast: every NIC on the LAN reads an ARP request)", "(广播:局域网内每块网卡都会收到 ARP 请求)";
    MacBroadcastIp => " (broadcast: every NIC on the LAN reads it)", "(广播:局域网内每块网卡都会读取)";
    MacMulticast => " (multicast group {}: 01:00:5e and the group's low 23 bits, RFC 1112)", "(组播组 {}:01:00:5e 加组地址的低 23 位,RFC 1112)";
    VerdictLimitedBroadcast => "{} is the limited broadcast: every host on this link, to ff:ff:ff:ff:ff:ff; no ARP, and no router forwards it", "{} 是受限广播:发给本链路上的所有主机,目的 MAC 为 ff:ff:ff:ff:ff:ff;不需要 ARP,路由器也不转发";
    VerdictDirectedBroadcast => "{} is the broadcast address of the sender's network {}: every host of it, to ff:ff:ff:ff:ff:ff; no ARP", "{} 是发送方所在网络 {} 的广播地址:发给该网络的所有主机,目的 MAC 为 ff:ff:ff:ff:ff:ff;不需要 ARP";
    VerdictMulticast => "{} is a multicast group: to its MAC {} (01:00:5e and the group's low 23 bits, RFC 1112); no ARP", "{} 是组播组地址:发往它的 MAC {}(01:00:5e 加组地址的低 23 位,RFC 1112);不需要 ARP";
    ExplainBroadcast => "Which MAC? {} is a broadcast, decided before any AND: the frame goes to ff:ff:ff:ff:ff:ff, which every NIC on the LAN reads, so there is no one to ask with ARP.", "发给哪个 MAC?{} 是广播地址,在按位与之前就已确定:帧发往 ff:ff:ff:ff:ff:ff,局域网内每块网卡都会读取,因此不需要用 ARP 询问。";
    ExplainMulticast => "Which MAC? {} is a multicast group, decided before any AND: its MAC {} is computed from the address (01:00:5e and its low 23 bits), so there is no ARP; the NICs that joined the group read it.", "发给哪个 MAC?{} 是组播组地址,在按位与之前就已确定:它的 MAC {} 由地址算出(01:00:5e 加低 23 位),不需要 ARP;加入该组的网卡才会读取。";
    DestLoopback => "127.0.0.0/8 is the host itself (loopback): a packet to it never leaves the host, so no frame is sent", "127.0.0.0/8 是主机自己(环回):发往它的数据包不会离开主机,因此不会发出任何帧";
    DestItself => "that is the sender's own address: a packet to it never leaves the host, so no frame is sent", "这是发送方自己的地址:数据包不会离开主机,因此不会发出任何帧";
    DestThisNetwork => "0.0.0.0/8 means \"this host on this network\": a source address only, never a destination (RFC 1122)", "0.0.0.0/8 表示「本网络上的本主机」:只能作源地址,不能作目的地址(RFC 1122)";
    DestReserved => "240.0.0.0/4 (class E) is reserved: no host has such an address", "240.0.0.0/4(E 类)是保留地址:没有主机使用这样的地址";
    DestNetworkAddress => "that is the network address of {} (host bits all 0): it names the network, not a host", "这是 {} 的网络地址(主机位全为 0):它代表网络本身,不是某台主机";
    DestTcpGroup => "TCP connects exactly two ends: a broadcast or multicast address cannot be one (use --proto udp or --proto icmp)", "TCP 只连接两端:广播或组播地址不能作为一端(请用 --proto udp 或 --proto icmp)";
    DestArpGroup => "ARP asks for one host's MAC: a broadcast or multicast address is not a host", "ARP 询问的是某一台主机的 MAC:广播或组播地址不是主机";
    NoNeighbours => "a /32 sender has no neighbour on its link, so no gateway either: give it a shorter prefix (e.g. /24)", "/32 的发送方在链路上没有邻居,也就没有网关:请使用更短的前缀(如 /24)";
    MacHowTo => "  derived MACs are 02:00 + the IPv4 address: locally administered, so they never clash with a real NIC's; set them with --src-mac / --dst-mac", "  推导出的 MAC 为 02:00 + IPv4 地址:本地管理地址,不会与真实网卡冲突;可用 --src-mac / --dst-mac 指定";
    EncapHeading => "Encapsulation, top-down: each layer puts its header in front of what the layer above gave it", "封装过程,自上而下:每一层都在上一层交下来的数据前加上自己的首部";
    ColOsi => "OSI", "OSI";
    ColLayer => "layer", "层";
    ColPdu => "PDU", "PDU";
    ColProtocol => "protocol", "协议";
    ColDevices => "devices", "设备";
    ColAdded => "bytes added", "增加字节";
    ColSize => "PDU size", "PDU 大小";
    PhysicalProtocol => "none (bits)", "无(比特)";
    PhysicalAdded => "{} †", "{} †";
    DataLinkAdded => "{} + {} + {} = {} †", "{} + {} + {} = {} †";
    AddedNote => "† data link: header + padding + FCS, added by the NIC's MAC; physical: preamble + SFD, sent by its PHY", "† 数据链路层:首部 + 填充 + FCS,由网卡的 MAC 添加;物理层:前导码 + 帧首定界符,由网卡的 PHY 发送";
    FrameSizes => "the frame the MAC hands to the PHY: {} bytes with its FCS (IEEE 802.3: at least {}, at most {} untagged); a capture shows it without the FCS, at least {}", "MAC 交给 PHY 的帧:含 FCS 共 {} 字节(IEEE 802.3:最短 {},无标签时最长 {});抓包中看到的帧不含 FCS,最短 {}";
    PhysicalSize => "{} B = {} bits", "{} 字节 = {} 比特";
    FieldsHeading => "Fields, bottom-up (bytes are offsets in the frame)", "字段,自下而上(字节为在帧中的偏移)";
    ColField => "field", "字段";
    ColValue => "value", "值";
    ColBytes => "bytes", "字节";
    ColBits => "bits", "位";
    ColMeaning => "meaning", "含义";
    PhysicalHeading => "On the wire at {} ({}): what the NIC's MAC (data link) and PHY (physical) add to the frame", "线路上,{}({}):网卡的 MAC(数据链路层)和 PHY(物理层)给帧加上的内容";
    ColPart => "part", "部分";
    ColBytesCount => "bytes", "字节数";
    ColOnWire => "on the wire", "线路上";
    PartPreamble => "preamble", "前导码";
    PartSfd => "SFD", "帧首定界符";
    PartFrame => "frame", "帧";
    PartPadding => "padding", "填充";
    PartFcs => "FCS", "FCS";
    PartGap => "inter-frame gap", "帧间间隙";
    PreambleNote => "55 x7, sent as {} x7: the receiver locks onto the clock", "55 ×7,线路上为 {} ×7:接收方据此同步时钟";
    SfdNote => "d5, sent as {}: the frame starts after this", "d5,线路上为 {}:其后就是帧";
    FrameNote => "destination MAC to the last data byte (what a capture shows)", "从目的 MAC 到最后一个数据字节(抓包看到的部分)";
    PaddingNote => "zeros up to the {}-byte minimum", "补零到最短 {} 字节";
    FcsNote => "0x{2} (bytes {1}): the CRC-32 {0}, low byte first", "0x{2}(字节 {1}):CRC-32 值 {0},低字节在前";
    GapNote => "idle line before the next frame", "下一帧之前线路空闲";
    WireTotal => "on the wire: {} bytes = {} bits, {} at {}; with the {}-bit gap the line is busy {}: {} such frames per second", "线路上:{0} 字节 = {1} 比特,在 {3} 下需 {2};加上 {4} 比特时间的帧间间隙,线路占用 {5}:每秒可发送 {6} 个这样的帧";
    BinaryByPort => "note: port {} belongs to {}, so Wireshark dissects these {} bytes as a {} message and will call them malformed unless they are one", "注意:端口 {} 属于 {},Wireshark 会把这 {} 字节当作 {} 报文解析,若不是该格式就会标为畸形包";
    OneInput => "one input at a time, except with --parquet: give one FILE (or -)", "除了 --parquet,一次只读一个输入:请给出一个文件(或 -)";
    NoParquet => "this layers was built without Parquet output: build it with `cargo build --release --features parquet`", "这个 layers 构建时没有带「Parquet」输出:请用 `cargo build --release --features parquet` 构建";
    ParquetWrote => "{}: {} row{s} from {} ({} bytes)", "{}:{} 行,来自 {}({} 字节)";
    InputFiles => "{} input file{s}", "{} 个输入文件";
    ParquetNoMatch => "{}: no file matches this pattern", "{}:没有文件匹配这个模式";
    NoInput => "no input: give a FILE, or pipe a capture or hex text into layers decode -", "没有输入:请给出文件,或把抓包文件、十六进制文本通过管道交给 layers decode -";
    ReadInput => "cannot read {}: {}", "无法读取 {}:{}";
    ExpFrameNumber => "frames are numbered from 1", "帧从 1 开始编号";
    FrameHeader => "Frame {}: {} byte{s} on the wire, {} captured, {}, link type {} ({})", "第 {} 帧:线路上 {} 字节,抓到 {} 字节,{},链路类型 {}({})";
    FrameShort => "Frame {} ({} byte{s})", "第 {} 帧({} 字节)";
    LayerLine => "OSI {} {} · {}{} · {} · bytes {}{}", "OSI 第 {} 层 {} · {}{} · {} · 字节 {}{}";
    QuotedMark => " (quoted by ICMP)", "(ICMP 引用的)";
    BytesWord => "bytes", "字节";
    FramesWord => "frames", "帧数";
    DiagramRest => "options and the rest: {} byte{s}", "选项及其余部分:{} 字节";
    StatsHeading => "Protocol hierarchy: {} frame{s}, {} byte{s}", "协议分层:{} 帧,{} 字节";
    StatsProblems => "malformed frames: {}; bad checksums: {}; checksum offload (not errors): {}", "畸形帧:{};校验和错误:{};校验和卸载(不算错误):{}";
    TableTitle => "The memorisation table: {}", "默写表:{}";
    TableMore => "The course's text also names FTP, Telnet and DNS, SNMP at the application layer.", "课程正文中应用层还提到 FTP、Telnet 以及 DNS、SNMP。";
    ColProtocols => "protocols", "协议";
    QuizRight => "right", "正确";
    QuizPartial => "partly right ({}): right: {}; missing: {}; does not belong: {}", "部分正确({}):答对:{};漏掉:{};不属于:{}";
    QuizWrong => "not right: the answer is {}", "不对:答案是 {}";
    QuizSkipped => "skipped: the answer is {}", "跳过:答案是 {}";
    QuizHint => "hint: {}", "提示:{}";
    QuizHelp => "(:hint for a hint, :skip to skip, q to quit)", "(输入 :hint 看提示,:skip 跳过,q 退出)";
    QuizChoose => "answer with a letter or the text", "用字母或文字作答";
    QuizYou => "(you: {})", "(你的答案:「{}」)";
    AbbrSeq => "seq", "序号";
    PayloadFileTooBig => "more than 65535 bytes: no IPv4 packet can carry that much (65535 bytes in all, headers included)", "超过 65535 字节:没有哪个 IPv4 数据包能装下(连首部在内最多 65535 字节)";
    JourneySamePacket => "the packet of frame {} again, now on link {}: one capture interface per link, so this is the same packet forwarded, not a retransmission", "第 {} 帧的同一个数据包,现在在链路 {} 上:每条链路一个抓包接口,这是转发的同一个包,不是重传";
    BytesCount => "{} byte{s}", "{} 字节";
    AbbrAck => "ack", "确认号";
    AbbrWin => "win", "窗口";
    AbbrLen => "len", "长度";
    QuizMistakes => "Mistakes, with the right answers:", "错题及正确答案:";
    QuizAside => "note: the progress file {} could not be read as layers progress; it was moved to {} and a fresh one started", "注意:进度文件 {} 无法读取,已移到 {},并重新开始记录";
    QuizSaveFailed => "note: could not save progress to {}: {}", "注意:无法把进度保存到 {}:{}";
    QuizAnki => "wrote {} ({} notes)", "已写入 {}({} 张卡片)";
    QuizNoQuestions => "no questions for this topic here", "这个主题没有可出的题";
    QuizFromNoFrame => "{} has no frame {}", "{} 中没有第 {} 帧";
    SubnetClassMask => "(no prefix given: class {}'s mask /{} assumed)", "(未给出前缀:按 {} 类地址假定掩码 /{})";
    SubnetAnd => "the AND, bit by bit (^ marks the octet where network and host bits meet):", "逐位按位与(^ 标出网络位与主机位交界的八位组):";
    RowAddress => "address", "地址";
    RowMask => "mask", "掩码";
    RowNetwork => "network", "网络";
    RowBroadcast => "broadcast", "广播地址";
    RowHosts => "hosts", "主机";
    RowWildcard => "wildcard", "反掩码";
    RowClass => "class", "类别";
    RowRange => "range", "地址范围";
    NoBroadcast31 => "none: a /31 is a point-to-point link, both addresses are hosts (RFC 3021)", "无:/31 是点对点链路,两个地址都是主机(RFC 3021)";
    NoBroadcast32 => "none: a /32 is a single host", "无:/32 只有一台主机";
    HostRange => "{} - {} ({} usable)", "{} - {}(可用 {} 个)";
    ClassHistoric => "{} (historic, before CIDR)", "{}(CIDR 之前的历史分类)";
    OtherDirect => "{}: {} AND mask = {}, the same network -> deliver directly: ARP for {}", "{}:{} 与掩码按位与 = {},同一网络 -> 直接交付:用 ARP 查询 {}";
    OtherGateway => "{}: {} AND mask = {}, not {} -> via the gateway: ARP for the gateway", "{}:{} 与掩码按位与 = {},不是 {} -> 经网关转发:用 ARP 查询网关";
    SplitHeading => "{} split into {} equal subnets of /{}{}:", "{} 等分为 {} 个 /{} 子网{}:";
    SplitLeftOut => "... {} more, not listed ...", "…… 另有 {} 个,未列出 ……";
    SplitRounded => " ({} asked, rounded up to a power of two)", "(要求 {} 个,向上取 2 的幂)";
    VlsmHeading => "VLSM of {}, largest first (each block holds its hosts plus network and broadcast):", "{} 的可变长子网划分,从大到小(每块除主机外还要留出网络地址和广播地址):";
    ColHostsWanted => "hosts wanted", "需要主机数";
    ColSubnet => "subnet", "子网";
    ColFirst => "first host", "第一个主机";
    ColLast => "last host", "最后一个主机";
    ColUsable => "usable", "可用";
    ExpSubnetArg => "expected ADDR[/PREFIX|/MASK] such as 192.168.11.53/24 or 192.168.11.53/255.255.255.0", "应为 地址[/前缀|/掩码],如 192.168.11.53/24 或 192.168.11.53/255.255.255.0";
    ExpHostsList => "expected host counts separated by commas, such as 50,20,10", "应为逗号分隔的主机数,如 50,20,10";
    PortClassLine => "port {}: {}", "端口 {}:{}";
    QuizScore => "score: {}/{}", "得分:{}/{}";
    QuizScoreQuit => "score: {}/{} ({} not answered: you quit)", "得分:{}/{}(还有 {} 题未作答:已退出)";
    QuizCountMore => "--count {}: this topic has only {} questions, so all of them are asked", "--count {}:该主题只有 {} 道题,全部提问";
    QuizCountZero => "--count 0 asks nothing: one question is asked", "--count 0 不会提问任何题目:改为提问 1 道";
    ProblemOffload => "bad checksum (offload)", "校验和错误(校验和卸载)";
    ProblemChecksum => "bad checksum", "校验和错误";
    ProblemFcs => "bad FCS", "FCS 错误";
    ProblemTruncated => "truncated", "截断";
    ProblemInvalid => "invalid {}", "{} 无效";
    ProblemSnap => "cut by the snap length", "被抓包长度截断";
    ProblemUnsupported => "not dissected: {}", "未解析:{}";
    ProblemTso => "segmentation offload", "分段卸载";
    LinkLayerWord => "link layer", "链路层";
    OnelineWhoHas => "ARP who has ", "ARP 谁是 ";
    OnelineTell => "? tell ", "?请告诉 ";
    OnelineIsAt => " is at ", " 在 ";
    OnelineFragment => " fragment offset=", " 分片 偏移=";
    OnelineDnsQuery => "query", "查询";
    OnelineDnsResponse => "response", "应答";
    OnelineDnsId => " id=", " 标识=";
    PortCourse => "  course: {}", "  课程:{}";
    PortNone => "  no service is registered on it (IANA's registry: unassigned or reserved)", "  没有服务登记在这个端口上(IANA 注册表:未分配或保留)";
    PortIana => "  IANA: {} {} ({})", "  IANA 注册:「{}」{},说明「{}」";
    PortIanaCount => "IANA's registry names {} services on {} ports; layers port N or NAME shows them", "IANA 注册表在 {1} 个端口上登记了 {0} 个服务;用 layers port 端口号或服务名 查看";
    ColPort => "port", "端口";
    ColService => "service", "服务";
    PortService => "  {} {} ({})", "  {} {}({})";
    ExpPort0 => "expected a port 0-65535 or a service name such as http, dns", "应为 0-65535 的端口或服务名,如 http、dns";
    PortRanges => "IANA port ranges (RFC 6335):", "IANA 端口范围(RFC 6335):";
    ReadsBits => "reads layer 1 only", "只读取第 1 层";
    ReadsAll => "reads every layer", "读取所有层";
    ReadsUpTo => "reads layers 1-{}", "读取第 1-{} 层";
    JourneyDiff => "changed since the previous hop:", "与上一跳相比改变的字节:";
    DiffBytes => "{} {} (bytes {}-{}): {} -> {}", "{} {}(第 {}-{} 字节):{} -> {}";
    DiffAfterFrame => "{} {} (after the frame, recomputed by the sending MAC): {} -> {}", "{} {}(帧之后,由发送方的 MAC 重新计算):{} -> {}";
    JourneyWrote => "wrote {} ({} frame{s} on {} link{s}, one pcapng interface per link)", "已写入 {}({} 帧,{} 条链路,每条链路一个 pcapng 接口)";
    TcpHeader => "time (ms)  client                                                                server", "时间(ms)   客户端                                                                服务器";
    TcpLost => "lost", "丢失";
    TcpRetransmit => "{} RTO fires: the segment is sent again", "{} 重传计时器到期:重发该段";
    TcpTimeWaitStart => "{} enters TIME_WAIT: waits 2MSL, until {} ms", "{} 进入 TIME_WAIT:等待 2MSL,直到 {} ms";
    TcpTimeWaitRestart => "{} gets the FIN again in TIME_WAIT: ACKs it again and restarts 2MSL, until {} ms", "{} 在 TIME_WAIT 中再次收到 FIN:再次确认,并重新等待 2MSL,直到 {} ms";
    ExpTcpData => "at most {} bytes (20 segments of the {}-byte MSS)", "最多 {} 字节(20 个 {} 字节 MSS 的报文段)";
    TcpStatesNote => "(time: when the segment is sent; the sender's state is after sending it, the receiver's when it arrives, {} ms later, or would have if lost)", "(时间:报文段发出的时刻;发送方的状态是发出之后的,接收方的状态是 {} ms 后报文段到达时的,丢失时则是本应到达时的)";
    TcpTimeWaitWhy => "why 2MSL: if the last ACK is lost, the other end resends its FIN and must still find this end to ACK it; and old duplicate segments of this connection must die out (an MSL each way) before the same address and ports can be used again. The MSL here is {} s (--msl); RFC 9293 takes 2 minutes, and Linux holds TIME_WAIT for 60 s", "为什么是 2MSL:若最后的 ACK 丢失,对方会重发 FIN,这一端必须还在才能再次确认;同时本连接的旧的重复报文段必须消失(每个方向一个 MSL),相同的地址和端口才能再次使用。这里的 MSL 为 {} 秒(--msl);RFC 9293 取 2 分钟,Linux 的 TIME_WAIT 为 60 秒";
    TcpTimeWaitEnd => "{} 2MSL passed: CLOSED", "{} 2MSL 到期:CLOSED";
    TcpSaySyn => "A: \"Hello, can you hear me?\" (SYN)", "A:「喂,你听得到吗?」(SYN)";
    TcpSaySynAck => "B: \"I can hear you; can you hear me?\" (SYN,ACK: the answer and B's own question at once)", "B:「我听得到呀,你听得到我吗?」(SYN,ACK:应答和请求同时发出)";
    TcpSayAck3 => "A: \"I can hear you. So, today...\" (ACK: both now ESTABLISHED)", "A:「我能听到你,今天 balabala……」(ACK:双方都进入 ESTABLISHED)";
    TcpSayData => "talking: {} byte{s} of data, acknowledged by the other side", "通话:{} 字节数据,由对方确认";
    TcpSayFin1 => "{}: \"I'm done talking.\" (FIN: half-close, this direction only)", "{}:「喂,我不说了。」(FIN:半关闭,只关这一个方向)";
    TcpSayAckFin1 => "{}: \"Got it. Wait, I haven't finished.\" (ACK; it may still send)", "{}:「我知道了。等下,上一句还没说完。」(ACK;它还可以继续发送)";
    TcpSayFin2 => "{}: \"OK, done; I'm done too.\" (its own FIN)", "{}:「好了,说完了,我也不说了。」(它自己的 FIN)";
    TcpSayLastAck => "{}: \"Got it.\" (the last ACK; it waits 2MSL in case this ACK is lost)", "{}:「我知道了。」(最后的 ACK;等待 2MSL,以防它丢失)";
    TcpSayRst => "{}: hangs up without a goodbye (RST): both ends CLOSED at once", "{}:不告而别,直接挂断(RST):双方立即 CLOSED";
    TcpConn => "connection {} -> {}: {} segment{s}", "连接 {} -> {}:{} 个段";
    TcpClosedFirst => "{} closed first (the active closer)", "{} 先关闭(主动关闭方)";
    TcpEnd => "at the end: {} {}, {} {}", "最后:{} 处于 {},{} 处于 {}";
    TcpAbnormal => "abnormal: {}", "异常:{}";
    TcpNoTcp => "no TCP connection in this capture", "这个抓包中没有 TCP 连接";
    TcpWrote => "wrote {} ({} frame{s}, captured at the {})", "已写入 {}({} 帧,抓包点在{})";
    ExpIsn => "expected two numbers CLIENT,SERVER such as 1000,5000", "应为两个数 客户端,服务器,如 1000,5000";
    HexHeading => "Bytes, coloured by layer:", "字节,按层着色:";
    PaddingWord => "padding", "填充";
    FaultsHeading => "What is wrong with this frame (a receiver will see it):", "这个帧的问题(接收方会发现):";
    StopLine => "{} (OSI {}) at byte {}: {}", "{}(OSI 第 {} 层)第 {} 字节:{}";
    HtmlFrameTitle => "Frame {}: {} byte{s} captured, {} on the wire", "第 {} 帧:抓到 {} 字节,线路上 {} 字节";
    HtmlSteps => "Encapsulation, step by step:", "逐步封装:";
    HtmlLayers => "The layers, outermost first", "各层,由外到内";
    HtmlBytes => "The bytes, coloured and lettered by layer", "字节,按层着色并标字母";
    HtmlFields => "The fields", "字段";
    HtmlDiagrams => "The header diagrams (as the RFCs draw them), with this frame's values", "首部图(按 RFC 的画法),填入本帧的值";
    HtmlErrors => "Problems", "问题";
    HtmlList => "Frames", "帧列表";
    HtmlLayerLine => "OSI {0} {1} · {2} · {3}", "OSI 第 {0} 层 {1} · {2} · {3}";
    HtmlBytesRange => "bytes {}-{}", "第 {}-{} 字节";
    HtmlDevices => "devices: {}", "设备:{}";
    HtmlNoDevices => "no devices", "无设备";
    HtmlHeaderSize => "header {} B", "首部 {} 字节";
    HtmlHeaderPart => "{} header, {} B", "{} 首部,{} 字节";
    HtmlDataPart => "data, {} B", "数据,{} 字节";
    HtmlPreamble => "preamble, {} B", "前导码,{} 字节";
    HtmlSfd => "SFD, {} B", "帧起始定界符 SFD,{} 字节";
    HtmlGap => "inter-frame gap, {} B", "帧间隙,{} 字节";
    HtmlPadding => "padding, {} B", "填充,{} 字节";
    HtmlFcs => "FCS, {} B", "FCS,{} 字节";
    HtmlFcsComputed => "FCS, {} B (computed: the capture lacks it)", "FCS,{} 字节(计算所得:抓包中没有)";
    HtmlNotAHeader => "padding or bytes no layer claims", "填充或不属于任何层首部的字节";
    HtmlNotCaptured => "not in the capture", "不在抓包中";
    HtmlQuoted => "(quoted by ICMP)", "(ICMP 引用的)";
    HtmlStepPrev => "◀ up a layer", "◀ 上一层";
    HtmlStepNext => "down a layer ▶", "下一层 ▶";
    HtmlStepAll => "whole frame", "整个帧";
    HtmlStepWhole => "The whole frame: {} layers. Step through them top-down to see each add its header.", "整个帧:共 {} 层。自上而下逐步查看每层加上的首部。";
    HtmlStepOf => "Step {} of {}:", "第 {} 步,共 {} 步:";
    HtmlStepFirst => "the {} layer starts with {} ({}): {} B.", "{}层从 {}({})开始:{} 字节。";
    HtmlStepAdd => "the {} layer adds its {} header ({} B): the {} is now {} B.", "{}层加上 {} 首部({} 字节):{}现在是 {} 字节。";
    HtmlStepBits => "the {} layer sends it all as {} bits, after a preamble and SFD, and leaves a gap after it.", "{}层把它全部作为 {} 个比特发出,前面有前导码和 SFD,后面留出帧间隙。";
    HtmlFilterLabel => "Filter:", "筛选:";
    HtmlFilterHint => "text in any column, e.g. TCP, DNS or 10.0.0.1", "任一列中的文字,如 TCP、DNS 或 10.0.0.1";
    HtmlShownCount => "{} of {} frames shown", "显示 {} 帧,共 {} 帧";
    HtmlLeftOut => "This page holds the first {} of the {} frames selected; {} were left out. Choose others with --skip, --count, --filter or --frame.", "本页只含所选 {1} 帧中的前 {0} 帧,省略了 {2} 帧。可用 --skip、--count、--filter 或 --frame 选择其他帧。";
    HtmlNoFrames => "No frame to show.", "没有可显示的帧。";
    HtmlHint => "Hover over or focus a byte, a field, a diagram box or a layer: the same bytes light up everywhere. Tab moves between them; in the bytes, the arrow keys move.", "把鼠标移到(或用 Tab 聚焦)某个字节、字段、首部图方框或某一层上:各处相同的字节会一起高亮。在字节区可用方向键移动。";
    HtmlColNo => "No.", "序号";
    HtmlColTime => "Time (UTC)", "时间(UTC)";
    HtmlColSrc => "Source", "源";
    HtmlColDst => "Destination", "目的";
    HtmlColProto => "Protocol", "协议";
    HtmlColInfo => "Summary", "摘要";
    HtmlEncodeTitle => "layers encode: one frame, top-down", "layers encode:一个帧,自上而下";
    HtmlDecodeTitle => "layers decode: {}", "layers decode:{}";
    HtmlMeta => "{} frame{s} on this page", "本页 {} 帧";
    HtmlWrote => "wrote {} (classroom page, {} frame{s}, {} bytes; open it in a browser)", "已写入 {}(课堂页面,{} 帧,{} 字节;用浏览器打开)";
    HtmlWroteLeftOut => "{} of the {} frames selected are not on the page (its limit is {}): choose others with --skip, --count, --filter or --frame", "所选 {1} 帧中有 {0} 帧不在页面上(上限 {2} 帧):可用 --skip、--count、--filter 或 --frame 选择其他帧";
    HtmlJourneyTitle => "layers journey: from {} to {}", "layers journey:从 {} 到 {}";
    HtmlJourneyMeta => "{} steps, {} frames on {} links", "{} 步,{} 个帧,{} 条链路";
    HtmlJourney => "The journey", "旅程";
    HtmlPath => "The devices, in the order the frame meets them", "设备,按帧经过的顺序";
    HtmlSteps2 => "What each device does (a step that sends a frame shows it)", "每个设备做了什么(发出帧的步骤可点开看帧)";
    HtmlReadBy => "{} ({}) {}: the layers it read are outlined", "{}({}){}:它读过的各层加了粗框";
    HtmlChanged => "Changed from frame {}: {} byte{s} (marked Δ)", "相对第 {} 帧改动了 {} 字节(标 Δ)";
    HtmlWas => "was {}", "原为 {}";
    HtmlUnchanged => "Frame {}, passed on unchanged: a switch or a hub rewrites no byte.", "即第 {} 帧,原样转发:交换机和集线器不改任何字节。";
    HtmlColLink => "Link", "链路";
    HtmlTcpTitle => "layers tcp: one connection, opened, used and closed", "layers tcp:一条连接的建立、使用和关闭";
    HtmlTcpMeta => "{} segments; one-way delay {} ms; MSL {} s", "{} 个段;单程时延 {} 毫秒;MSL {} 秒";
    HtmlLadder => "The ladder: each arrow a segment (click it for its frame), each end's state after it", "梯形图:每个箭头是一个段(点击看它的帧),两侧是每个段之后两端的状态";
    HtmlLost => "lost", "丢失";
    HtmlRetx => "retransmission", "重传";
    HtmlMsl => "TIME_WAIT: 2MSL", "TIME_WAIT:2MSL";
    HtmlColMs => "time (ms)", "时间(毫秒)";
    HtmlColSegment => "segment or timer", "段或计时器";
    HtmlTooMany => "at most {} frames (the page's limit)", "至多 {} 帧(页面上限)";
    ExplainHeading => "Step by step", "逐步讲解";
    ExplainUtf8 => " UTF-8 takes {} characters to {} bytes: a Chinese character is 3 bytes.", "UTF-8 把 {} 个字符编码成 {} 字节:一个汉字占 3 字节。";
    ExplainApp => "Application: the program hands {} to its socket (like the seed's sk.send()); everything below happens in the operating system.{}", "应用层:程序把 {} 交给套接字(就像课程中的 sk.send());下面各层都由操作系统完成。{}";
    ExplainTcp => "Transport: TCP puts a {}-byte header in front. Source port {} is {}: the OS picked it for the client. Destination port {} is {}{}: the server bound it, as the seed's sk.bind() does. Flags {}, sequence {}, acknowledgment {}; the checksum covers a pseudo-header with both IP addresses, so a segment delivered to the wrong host is caught.", "传输层:TCP 在前面加上 {} 字节首部。源端口 {} 属于{}:由操作系统为客户端分配。目的端口 {} 属于{}{}:服务器用 sk.bind() 绑定了它(与课程中一样)。标志 {},序号 {},确认号 {};校验和覆盖含双方 IP 的伪首部,送错主机也能发现。";
    ExplainUdp => "Transport: UDP puts an {}-byte header in front: source port {} ({}), destination port {} ({}{}), length and checksum. No handshake and no retransmission: like sending a letter rather than making a call.", "传输层:UDP 在前面加上 {} 字节首部:源端口 {}({}),目的端口 {}({}{}),长度和校验和。不握手、不重传:像寄信而不是打电话。";
    ExplainIcmp => "ICMP: an echo request (type 8): the destination answers with an echo reply, which is what ping measures.", "ICMP:回显请求(类型 8):目的主机回送回显应答,ping 测的就是这个往返。";
    ExplainIp => "Network: IPv4 adds {} bytes: from {} to {}. These two addresses stay the same all the way; TTL {} is lowered by every router; protocol {} says what it carries.", "网络层:IPv4 增加 {} 字节:从 {} 到 {}。这两个地址一路不变;每经过一个路由器 TTL({})减一;协议号 {} 说明里面装的是什么。";
    ExplainDirect => "Which MAC? The sender ANDs with its mask {}: its network is {}, and {} gives {}: the same network, so it delivers directly and uses ARP to learn the receiver's own MAC.", "发给哪个 MAC?发送方用掩码 {} 按位与:自己的网络是 {},{} 得到 {}:同一网络,直接交付,用 ARP 查出接收方自己的 MAC。";
    ExplainGateway => "Which MAC? The sender ANDs with its mask {}: its network is {}, but {} gives {}: another network, so the frame goes to the gateway {} (ARP finds the gateway's MAC); the gateway (a router) reads the IP header and forwards it.", "发给哪个 MAC?发送方用掩码 {} 按位与:自己的网络是 {},而 {} 得到 {}:不同网络,所以帧发给网关 {}(用 ARP 查网关的 MAC);网关(路由器)读取 IP 首部后再转发。";
    ExplainArp => "ARP: before any IP packet can leave, the sender must know the next hop's MAC. It broadcasts \"who has {}? tell {}\" with its own MAC {}; the owner answers with a unicast reply, and both cache the pair.", "ARP:IP 数据包发出之前,发送方必须知道下一跳的 MAC。它广播「谁是 {}?请告诉 {}」,附上自己的 MAC {};拥有该 IP 的主机单播应答,双方都把这对地址存入缓存。";
    ExplainEthernet => "Data link: Ethernet adds {} bytes: destination MAC {} (the next hop), source MAC {}, EtherType {}. A switch reads only this header: it learns the source MAC's port, floods a broadcast (or a MAC it has not learnt) out of every other port, and forwards a known unicast only out of the port its MAC table names.", "数据链路层:以太网增加 {} 字节:目的 MAC {}(下一跳),源 MAC {},以太网类型 {}。交换机只看这个首部:记下源 MAC 所在端口;广播帧(或尚未学到的 MAC)从其他所有端口泛洪,已知的单播帧只从 MAC 表记录的端口转发。";
    ExplainVlan => "The 802.1Q tag (VLAN {}, priority {}) sits between the MACs and the EtherType: switches keep each VLAN apart.", "802.1Q 标签(VLAN {},优先级 {})位于 MAC 地址和以太网类型之间:交换机据此把不同 VLAN 隔开。";
    ExplainMac => "Still the data link layer: the NIC's MAC pads the frame with {} zero byte{s} and appends the 4-byte FCS (a CRC-32 every receiver checks): {} bytes (IEEE 802.3 frames are {} to {} bytes untagged).", "仍在数据链路层:网卡的 MAC 用 {} 个零字节填充帧,再加上 4 字节 FCS(每个接收方都会校验的 CRC-32):共 {} 字节(IEEE 802.3 无标签帧为 {} 到 {} 字节)。";
    ExplainPhysical => "Physical: the PHY sends the preamble and SFD (8 bytes) before the frame and leaves the line idle for 12 byte times after it: {} bytes, {} bits, on the wire for {} at {}. A hub or repeater only repeats these bits; it reads no address.", "物理层:PHY 在帧前发送前导码和帧首定界符(8 字节),帧后线路空闲 12 字节时间:共 {} 字节、{} 比特,在 {3} 的线路上持续 {2}。集线器和中继器只是转发比特,不看任何地址。";
}

#[cfg(test)]
mod plural_tests {
    use super::fill;

    #[test]
    fn plural_endings_follow_the_number_before_them() {
        assert_eq!(
            fill("{} frame{s}, {} byte{s}", &[&1, &60]),
            "1 frame, 60 bytes"
        );
        assert_eq!(
            fill("{} frame{s}, {} byte{s}", &[&2, &1]),
            "2 frames, 1 byte"
        );
        assert_eq!(fill("{} frame{s}", &[&0]), "0 frames");
        assert_eq!(fill("{1} and {0}{s}", &[&1, &2]), "2 and 1");
        assert_eq!(fill("a {s", &[]), "a {s");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn placeholders(t: &str) -> Vec<usize> {
        let mut out = Vec::new();
        let mut next = 0;
        let mut rest = t;
        while let Some(open) = rest.find('{') {
            let after = &rest[open + 1..];
            let close = after.find('}').expect("balanced braces");
            if &after[..close] == "s" {
                // A plural ending, English only.
                rest = &after[close + 1..];
                continue;
            }
            out.push(if close == 0 {
                next += 1;
                next - 1
            } else {
                after[..close].parse().expect("an index")
            });
            rest = &after[close + 1..];
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    #[test]
    fn fill_takes_arguments_in_order_or_by_index() {
        assert_eq!(fill("{} and {}", &[&1, &"two"]), "1 and two");
        assert_eq!(fill("{1} before {0}", &[&"a", &"b"]), "b before a");
        assert_eq!(fill("{} {9}", &[&1]), "1 {9}");
        assert_eq!(fill("a {brace} b", &[]), "a {brace} b");
    }

    #[test]
    fn both_languages_use_the_same_arguments() {
        for m in Msg::ALL {
            let (en, zh) = (m.get(Lang::En), m.get(Lang::Zh));
            assert!(!en.is_empty() && !zh.is_empty(), "{m:?}");
            assert_eq!(placeholders(en), placeholders(zh), "{m:?}");
        }
    }
}
