//! The command line's help and clap's own messages, in the user's language.
//!
//! clap's derive API gives the English help from the doc comments of `args.rs`. For
//! `--lang zh` the same `Command` is relabelled from the tables below: each command's
//! summary and examples, each flag's help, value name and choices. clap's own words (its
//! headings, its error sentences) are replaced when the help or error is printed, from the
//! error's kind and context, so no English is left in a Chinese run.

use std::ffi::OsString;
use std::fmt::Write as _;

use clap::error::{ContextKind, ContextValue, ErrorKind};
use clap::{Command, CommandFactory};
use layers_osi::Lang;

use crate::args::Cli;

/// Each command's examples: the command line, what it shows in English, in Chinese.
type Example = (&'static str, &'static str, &'static str);

const EXAMPLES: &[(&str, &[Example])] = &[
    (
        "encode",
        &[
            (
                "layers encode",
                "the seed's TCP segment \"hello!\" 192.168.11.34:51000 -> 192.168.11.53:9999",
                "课程中的 TCP 段「hello!」192.168.11.34:51000 -> 192.168.11.53:9999",
            ),
            (
                "layers encode --lang zh --explain",
                "the same, explained step by step in Chinese",
                "同一帧,用中文逐步讲解",
            ),
            (
                "layers encode --proto udp --to 192.168.11.53:dns --payload hi -o x.pcap",
                "a UDP datagram to port 53, written to a pcap",
                "发往 53 端口的 UDP 数据报,写入 pcap 文件",
            ),
            (
                "layers encode --from 192.168.11.34/24 --gateway 192.168.11.1 --to 8.8.8.8:80",
                "off-subnet: the frame goes to the gateway's MAC",
                "跨网段:帧发往网关的 MAC",
            ),
            (
                "layers encode --proto arp --to 192.168.11.53",
                "the ARP request that resolves the next hop",
                "解析下一跳的 ARP 请求",
            ),
            (
                "layers encode --flags SYN --seq 0 --mss 1460 --fields",
                "a SYN with an MSS option, every field with its bytes",
                "带 MSS 选项的 SYN,每个字段及其字节",
            ),
            (
                "layers encode --vlan 10:5 --payload 你好 --json",
                "a tagged frame carrying Chinese text, as JSON",
                "带 VLAN 标签、携带中文的帧,JSON 输出",
            ),
            (
                "layers encode --fault bad-l4-checksum -o bad.pcapng",
                "a deliberately broken frame",
                "故意损坏的帧",
            ),
        ],
    ),
    (
        "decode",
        &[
            (
                "layers decode fixtures/loopback-tcp-hello.pcap",
                "every frame, layer by layer, bottom-up",
                "逐帧、自下而上逐层解析",
            ),
            (
                "layers decode capture.pcapng --oneline",
                "one line per frame, like tcpdump",
                "每帧一行,与 tcpdump 相似",
            ),
            (
                "tcpdump -i any -w - | layers decode - --json",
                "JSON Lines from a live capture",
                "实时抓包,逐帧输出 JSON",
            ),
            (
                "xxd frame.bin | layers decode -",
                "hex text in any common layout",
                "常见格式的十六进制文本",
            ),
            (
                "layers decode capture.pcap --stats",
                "protocol hierarchy and problems",
                "协议分层统计与问题汇总",
            ),
            (
                "layers decode capture.pcap --filter \"tcp port 80\" --oneline",
                "only what tcpdump's filter would select",
                "只看 tcpdump 的过滤表达式选中的帧",
            ),
            (
                "layers decode capture.pcap --frame 3 --diagram",
                "frame 3's headers as RFC diagrams",
                "第 3 帧的首部结构图(按 RFC)",
            ),
        ],
    ),
    (
        "table",
        &[
            (
                "layers table",
                "the course's TCP/IP five-layer table",
                "课程的 TCP/IP 五层表",
            ),
            (
                "layers table --model osi7 --pdu",
                "OSI's seven layers with PDU names",
                "OSI 七层及各层 PDU",
            ),
            ("layers table --lang zh --json", "as JSON", "JSON 输出"),
        ],
    ),
    (
        "quiz",
        &[
            (
                "layers quiz",
                "the dictation (明日默写): 10 prompts, top-down",
                "明日默写:10 个提示,自上而下",
            ),
            (
                "layers quiz --topic all --count 20 --seed 7",
                "twenty mixed questions, the same ones each time",
                "20 道综合题,每次相同",
            ),
            (
                "layers quiz --topic ports --mode choice",
                "multiple choice",
                "选择题",
            ),
            (
                "layers quiz --review",
                "what you missed before comes first",
                "先复习以前答错的题",
            ),
            (
                "layers quiz --from capture.pcap",
                "questions about a real frame",
                "基于真实帧出题",
            ),
            (
                "layers quiz --export-anki layers.apkg",
                "the whole bank as an Anki deck",
                "把整个题库导出为 Anki 卡组",
            ),
            (
                "printf '无\\n无\\n...' | layers quiz",
                "answers from a script, one per line",
                "从脚本作答,每行一个答案",
            ),
        ],
    ),
    (
        "subnet",
        &[
            (
                "layers subnet 192.168.11.53/255.255.255.0 192.168.11.34 8.8.8.8",
                "the AND, and for each other address: deliver directly or via the gateway",
                "按位与,以及对每个其他地址:直接交付还是经网关",
            ),
            (
                "layers subnet 10.0.0.0/24 --split 4",
                "four equal subnets",
                "等分为 4 个子网",
            ),
            (
                "layers subnet 192.168.1.0/24 --hosts 50,20,10",
                "VLSM, largest first",
                "可变长子网划分,先分最大的",
            ),
        ],
    ),
    (
        "port",
        &[
            (
                "layers port 80",
                "class and services of port 80",
                "端口 80 的类别与服务",
            ),
            ("layers port dns", "the port of a service", "服务对应的端口"),
            (
                "layers port",
                "the ranges and every service layers knows",
                "端口范围与全部服务",
            ),
        ],
    ),
    (
        "journey",
        &[
            (
                "layers journey",
                "A -> switch -> router -> switch -> B",
                "A -> 交换机 -> 路由器 -> 交换机 -> B",
            ),
            (
                "layers journey -o journey.pcapng",
                "every frame, one pcapng interface per link",
                "所有帧,每条链路一个 pcapng 接口",
            ),
            (
                "layers journey --ttl 1",
                "the router answers ICMP time exceeded",
                "TTL 耗尽,路由器回复 ICMP 超时",
            ),
            (
                "layers journey --mtu 576 --payload-size 1000",
                "the router fragments",
                "路由器分片",
            ),
            (
                "layers journey --mtu 576 --payload-size 1000 --df",
                "ICMP fragmentation needed",
                "ICMP 需要分片",
            ),
            (
                "layers journey --topology net.toml --from A --to B",
                "your own network (TOML)",
                "你自己的网络(TOML)",
            ),
        ],
    ),
    (
        "tcp",
        &[
            (
                "layers tcp",
                "handshake, data, four-way close",
                "三次握手、数据、四次挥手",
            ),
            (
                "layers tcp --lang zh --explain",
                "with the seed's telephone call",
                "配合课程中的打电话比喻",
            ),
            (
                "layers tcp --lose final-ack -o t.pcap",
                "the last ACK lost: FIN sent again, TIME_WAIT restarts",
                "最后的 ACK 丢失:FIN 重发,TIME_WAIT 重新计时",
            ),
            (
                "layers tcp --half-close --closer server",
                "the server closes; data after the first FIN",
                "服务器先关闭;第一个 FIN 之后仍有数据",
            ),
            (
                "layers tcp --from fixtures/loopback-tcp-hello.pcap",
                "the states in a real capture",
                "真实抓包中的状态",
            ),
        ],
    ),
    (
        "capture",
        &[
            (
                "sudo layers capture -i lo --filter \"tcp port 9999\"",
                "watch the chat's frames live, one line each",
                "实时观看聊天的帧,每帧一行",
            ),
            (
                "sudo layers capture -i eth0 --tcp-states -w chat.pcapng",
                "both ends' states after each segment, saved for Wireshark",
                "每个段之后两端的状态,并保存给 Wireshark",
            ),
            (
                "layers capture --list",
                "the interfaces and their addresses",
                "各接口及其地址",
            ),
        ],
    ),
    (
        "chat",
        &[
            (
                "layers chat serve --explain",
                "a TCP chat on 127.0.0.1:9999, each socket call narrated",
                "在 127.0.0.1:9999 上开 TCP 聊天室,讲解每次套接字调用",
            ),
            (
                "layers chat connect 127.0.0.1:9999 --name alice",
                "join it; q leaves with the four-way close",
                "加入聊天室;输入 q 以四次挥手离开",
            ),
            (
                "layers chat serve --udp",
                "datagrams: boundaries kept, losses shown",
                "数据报:保留边界,显示丢失",
            ),
        ],
    ),
    (
        "completions",
        &[
            (
                "layers completions bash > ~/.local/share/bash-completion/completions/layers",
                "",
                "",
            ),
            (
                "layers completions zsh > ~/.zfunc/_layers",
                "with fpath+=~/.zfunc in ~/.zshrc",
                "并在 ~/.zshrc 中加上 fpath+=~/.zfunc",
            ),
            (
                "layers completions fish > ~/.config/fish/completions/layers.fish",
                "",
                "",
            ),
        ],
    ),
    (
        "man",
        &[
            ("layers man | man -l -", "read it now", "直接阅读"),
            (
                "layers man --dir ~/.local/share/man/man1",
                "layers.1 and layers-decode.1, ...: one page per command",
                "layers.1、layers-decode.1 等:每个命令一页",
            ),
        ],
    ),
];

/// Chinese summaries of the commands (clap's `help` included).
const ABOUT_ZH: &[(&str, &str)] = &[
    (
        "layers",
        "逐层构造、解析和练习网络帧:让 OSI / TCP-IP 模型看得见、摸得着",
    ),
    ("encode", "自上而下构造一个帧,显示每一层在其中的部分"),
    (
        "decode",
        "从 pcap、pcapng、十六进制文本或原始帧文件中自下而上解析帧",
    ),
    ("table", "打印记忆表:每一层的协议和设备"),
    ("quiz", "练习记忆表、分层、设备、PDU、端口、子网和 TCP 状态"),
    (
        "subnet",
        "地址与掩码的二进制按位与、网络的各项数值、数据包的去向",
    ),
    ("port", "端口的 IANA 类别及其上的服务,或服务对应的端口"),
    ("journey", "跟随一个帧经过主机、交换机和路由器,一步一步"),
    ("tcp", "三次握手与四次挥手,以及两端的状态"),
    ("capture", "从网络接口实时抓包,并像 decode 一样解析"),
    (
        "chat",
        "课程中的套接字程序做成的工具:TCP 或 UDP 聊天服务器和客户端",
    ),
    (
        "serve",
        "开一个聊天室:客户端发来的每一行都转给其他人;输入一行发言,输入 q 退出",
    ),
    ("connect", "加入聊天室:输入一行发送,输入 q(或输入结束)离开"),
    (
        "completions",
        "打印 shell 补全脚本(bash、zsh、fish、powershell、elvish)",
    ),
    ("man", "打印手册页(roff),或把每个命令的手册页写入一个目录"),
    ("help", "打印本帮助,或指定子命令的帮助"),
];

/// A flag in Chinese: its command ("" for the global ones), its id, its help, its value
/// name (None keeps clap's) and its choices' help, in the order of the value enum.
type ArgZh = (
    &'static str,
    &'static str,
    &'static str,
    Option<&'static str>,
    &'static [&'static str],
);

const ARGS_ZH: &[ArgZh] = &[
    ("", "lang", "输出语言(默认取自 LC_ALL / LANG,zh_* 为中文)", Some("语言"), &["英文", "中文"]),
    ("", "color", "颜色:auto 只在终端上着色,设置了 NO_COLOR 时不着色", Some("何时"), &["在终端上着色,除非设置了 NO_COLOR", "总是着色", "从不着色"]),
    ("", "help", "打印帮助(用 --help 看更多)", None, &[]),
    ("", "version", "打印版本", None, &[]),
    ("encode", "payload", "要携带的数据,文本形式(UTF-8,可用中文)[默认:「hello!」]", Some("文本"), &[]),
    ("encode", "payload_hex", "要携带的数据,十六进制数字形式(可含空格、冒号和 0x)", Some("十六进制"), &[]),
    ("encode", "payload_file", "要携带的数据,从文件读取(- 为标准输入)", Some("路径"), &[]),
    ("encode", "proto", "帧里装的是什么", Some("协议"), &["TCP 段(课程中的套接字示例)", "UDP 数据报", "ICMP 回显请求(ping)", "解析下一跳的 ARP 请求"]),
    ("encode", "from", "发送方:IP、以 /前缀 或 /掩码 表示的网络、端口 [默认:192.168.11.34/24:51000]", Some("IP[/前缀|/掩码][:端口]"), &[]),
    ("encode", "to", "接收方:IP 和端口号或服务名(http、dns 等)[默认:192.168.11.53:9999]", Some("IP[:端口]"), &[]),
    ("encode", "mask", "发送方的子网掩码(代替 --from 中的 /前缀)", Some("掩码"), &[]),
    ("encode", "gateway", "发送方的默认网关 [默认:所在网络的第一个主机]", Some("IP"), &[]),
    ("encode", "src_mac", "源 MAC [默认:02:00 + 源 IPv4 地址,本地管理地址]", Some("MAC"), &[]),
    ("encode", "dst_mac", "目的 MAC [默认:下一跳的 MAC,同样推导;ARP 为广播]", Some("MAC"), &[]),
    ("encode", "ttl", "IPv4 生存时间 TTL [默认:64]", Some("N"), &[]),
    ("encode", "id", "IPv4 标识 [默认:1]", Some("N"), &[]),
    ("encode", "df", "置 IPv4 的不分片(DF)位", None, &[]),
    ("encode", "mtu", "链路能承载的最大 IPv4 数据包;更大的数据会被拒绝 [默认:1500]", Some("字节数"), &[]),
    ("encode", "flags", "TCP 标志,逗号分隔:SYN,ACK,PSH,FIN,RST,URG,ECE,CWR [默认:PSH,ACK]", Some("标志"), &[]),
    ("encode", "seq", "TCP 序号 [默认:1]", Some("N"), &[]),
    ("encode", "ack", "TCP 确认号(需要 ACK)[默认:有 ACK 时为 1,否则为 0]", Some("N"), &[]),
    ("encode", "window", "TCP 接收窗口 [默认:64240]", Some("N"), &[]),
    ("encode", "mss", "加上 MSS 选项(需要 SYN)", Some("N"), &[]),
    ("encode", "vlan", "给帧加上 802.1Q 标签:VLAN ID(1-4094)和优先级(0-7)", Some("ID[:PCP]"), &[]),
    ("encode", "link", "链路速率,用于计算在线路上的时间:10M、100M、1G、10G", Some("速率"), &[]),
    ("encode", "fields", "显示每个首部字段的值、字节和比特", None, &[]),
    ("encode", "explain", "用文字讲解每一步", None, &[]),
    ("encode", "json", "以 JSON 输出这个帧(与 decode --json 的模型相同),不输出表格", None, &[]),
    ("encode", "diagram", "按 RFC 的结构图画出每个首部,填上这个帧的值", None, &[]),
    ("encode", "html", "把这个帧写成一个课堂用的 HTML 页面(独立文件,不联网):按层着色的字节、嵌套的各层、字段树、首部图,悬停时各处一起高亮", Some("文件"), &[]),
    ("encode", "output", "把帧写入文件(格式由扩展名决定:.bin .hex .txt .pcap .pcapng;- 为标准输出)", Some("文件"), &[]),
    ("encode", "format", "-o 的格式,优先于扩展名", Some("格式"), &["帧的原始字节", "十六进制文本,每行一帧", "经典 pcap", "pcapng"]),
    ("encode", "fcs", "在写出的帧后附上以太网 FCS(CRC-32)", None, &[]),
    ("encode", "fault", "故意损坏帧:bad-ip-checksum、bad-l4-checksum、ttl-zero、truncate=N(可重复)", Some("故障"), &[]),
    ("capture", "interface", "要抓包的接口(见 --list)", Some("接口"), &[]),
    ("capture", "list", "列出各接口及其地址,然后结束", None, &[]),
    ("capture", "count", "抓到 N 帧后停止(只数过滤表达式选中的帧)", Some("N"), &[]),
    ("capture", "timeout", "S 秒后停止", Some("S"), &[]),
    ("capture", "filter", "只看表达式选中的帧,语法同 tcpdump,与 decode --filter 相同", Some("表达式"), &[]),
    ("capture", "write", "同时把帧写入 pcapng 文件(无论抓包怎样结束,文件都完整可读)", Some("文件"), &[]),
    ("capture", "tree", "逐层显示每个帧,与 decode 相同", None, &[]),
    ("capture", "json", "每帧一个 JSON 对象(JSON Lines),与 decode --json 相同", None, &[]),
    ("capture", "hex", "每个帧的字节,按层着色(或标字母)", None, &[]),
    ("capture", "tcp_states", "每个 TCP 段之后显示两端的状态(与 layers tcp 同一个状态机)", None, &[]),
    ("serve", "bind", "监听的地址和端口(端口 0:任选一个空闲端口,启动时打印)。「bind」之前设置了 SO_REUSEADDR,所以上一次运行的连接还在 TIME_WAIT 时,重启的服务器也能立即拿回端口", Some("IP:端口"), &[]),
    ("serve", "udp", "用 UDP 数据报代替 TCP 字节流:没有连接,没有关闭,每个数据报是一条消息,可能丢失或乱序", None, &[]),
    ("serve", "name", "服务器自己在聊天中的名字", Some("名字"), &[]),
    ("serve", "explain", "讲解每一次套接字调用(「socket」「bind」「listen」「accept」「recv」「send」「close」)以及它带来的 TCP 状态", None, &[]),
    ("connect", "server", "服务器的地址和端口", Some("IP:端口"), &[]),
    ("connect", "udp", "用 UDP 数据报代替 TCP 字节流(服务器也要用 --udp 启动)", None, &[]),
    ("connect", "name", "你在聊天中的名字 [默认:登录名,或「guest」]", Some("名字"), &[]),
    ("connect", "explain", "讲解每一次套接字调用(「socket」「connect」「send」「recv」「shutdown」「close」)以及它带来的 TCP 状态", None, &[]),
    ("decode", "inputs", "输入:pcap、pcapng、十六进制文本或原始帧文件;- 为标准输入。用 --parquet 时可以给任意多个文件(以及加引号的通配符,如 \"caps/*.pcap\")", Some("文件|-"), &[]),
    ("decode", "format", "输入的格式,不自动检测", Some("格式"), &["一个帧的原始字节", "十六进制文本", "经典 pcap", "pcapng"]),
    ("decode", "oneline", "每帧一行,与 tcpdump 相似", None, &[]),
    ("decode", "json", "每帧一个 JSON 对象(JSON Lines):字段见 README", None, &[]),
    ("decode", "hex", "每个帧的字节,按层着色(或标字母)", None, &[]),
    ("decode", "diagram", "按 RFC 的结构图画出每个首部,填上这个帧的值", None, &[]),
    ("decode", "stats", "协议分层统计:帧数和字节数、校验和错误与格式错误的帧数", None, &[]),
    ("decode", "html", "把帧写成一个课堂用的 HTML 页面(独立文件,不联网):帧列表、筛选框,以及所选帧的字节、各层、字段和首部图;至多 10000 帧", Some("文件"), &[]),
    ("decode", "parquet", "每帧一行,写成「Apache Parquet」文件(供「DuckDB」、「Spark」、「pandas」查询);输出是目录(已存在,或以 / 结尾)时,每个输入在其中写一个文件", Some("输出"), &[]),
    ("decode", "frame", "只看第 N 帧(从 1 数起)", Some("N"), &[]),
    ("decode", "count", "最多 N 帧", Some("N"), &[]),
    ("decode", "skip", "跳过前 N 帧", Some("N"), &[]),
    ("decode", "filter", "只看表达式选中的帧,语法同 tcpdump(\"tcp port 80\"、\"vlan and host 10.0.0.1\");帧保留原来的编号,--count 数的是选中的帧", Some("表达式"), &[]),
    ("decode", "threads", "用 N 个线程解析(默认:每个核一个);任何 N 的输出都相同", Some("N"), &[]),
    ("table", "model", "分层模型", Some("模型"), &["TCP/IP 五层(课程中的表)", "OSI 七层", "TCP/IP 四层"]),
    ("table", "pdu", "加上每一层的 PDU 名称", None, &[]),
    ("table", "json", "输出 JSON,不输出表格", None, &[]),
    ("quiz", "topic", "练习什么", Some("主题"), &["记忆表,默写形式", "协议或设备属于哪一层", "哪些设备工作在某一层", "PDU 名称", "熟知端口和端口范围", "网络地址、是否同一子网、私有地址段", "TCP 状态、TIME_WAIT、四次挥手", "哪些服务基于 TCP 或 UDP", "以上各项混合"]),
    ("quiz", "model", "题目使用的分层模型", Some("模型"), &["TCP/IP 五层(课程中的表)", "OSI 七层", "TCP/IP 四层"]),
    ("quiz", "count", "题目数量 [默认:10](默写总是问全部提示)", Some("N"), &[]),
    ("quiz", "seed", "决定出哪些题、按什么顺序的种子(相同的种子出相同的题)", Some("种子"), &[]),
    ("quiz", "mode", "输入答案还是选择题", Some("方式"), &["输入答案", "从四个选项中选(题目有选项时)"]),
    ("quiz", "review", "先问以前答错的题", None, &[]),
    ("quiz", "from", "针对这个抓包、十六进制转储或原始文件中一个帧的各层出题", Some("文件"), &[]),
    ("quiz", "frame", "与 --from 一起用:哪一帧(从 1 数起)", Some("N"), &[]),
    ("quiz", "export_anki", "把题库写成 Anki 卡组(.apkg),不出题", Some("文件"), &[]),
    ("subnet", "address", "地址及其前缀或掩码(不写时用历史上的分类掩码)", Some("地址[/前缀|/掩码]"), &[]),
    ("subnet", "others", "其他地址:对每一个,是否同一网络,因而 ARP 查询谁", Some("其他地址"), &[]),
    ("subnet", "split", "把网络等分为 N 个子网", Some("N"), &[]),
    ("subnet", "hosts", "可变长子网划分:按这些主机数分子网,先分最大的(如 50,20,10)", Some("N,N,..."), &[]),
    ("subnet", "json", "输出 JSON", None, &[]),
    ("port", "port", "端口号或服务名;不写时列出端口范围和全部服务", Some("N|名称"), &[]),
    ("port", "json", "输出 JSON", None, &[]),
    ("journey", "topology", "拓扑文件(TOML:[[host]]、[[switch]]、[[hub]]、[[router]],以及 [[router.interface]] 和 [[router.route]])", Some("文件"), &[]),
    ("journey", "from", "发送主机", Some("主机"), &[]),
    ("journey", "to", "接收主机", Some("主机"), &[]),
    ("journey", "payload", "TCP 段携带的数据 [默认:「hello!」]", Some("文本"), &[]),
    ("journey", "payload_size", "改为携带这么多字节的数据(用来观察分片)", Some("字节数"), &[]),
    ("journey", "ttl", "数据包的初始 TTL", Some("TTL"), &[]),
    ("journey", "df", "置不分片(DF)位", None, &[]),
    ("journey", "mtu", "拓扑中路由器最后一个接口(远端链路)的 MTU", Some("字节数"), &[]),
    ("journey", "output", "把所有帧写入 pcapng 文件,每条链路一个接口", Some("文件"), &[]),
    ("journey", "html", "同时把这段旅程写成课堂用的 HTML 页面:路径图、每一跳的帧、每个设备读到哪一层、改了哪些字节(独立文件)", Some("文件"), &[]),
    ("journey", "json", "输出 JSON", None, &[]),
    ("tcp", "isn", "初始序号,客户端,服务器 [默认:由 --seed 决定]", Some("客户端,服务器"), &[]),
    ("tcp", "seed", "决定初始序号的种子", Some("种子"), &[]),
    ("tcp", "send", "客户端发送的内容", Some("文本"), &[]),
    ("tcp", "reply", "服务器回复的内容", Some("文本"), &[]),
    ("tcp", "closer", "谁先关闭", Some("谁"), &["客户端,与课程相同", "服务器", "两端同时关闭"]),
    ("tcp", "rst", "用 RST 中止,不进行四次挥手", None, &[]),
    ("tcp", "lose", "丢失这个报文段一次(超时 RTO 后重传)", Some("报文段"), &["主动关闭方最后的 ACK", "主动关闭方的 FIN", "服务器的 SYN,ACK", "客户端的数据"]),
    ("tcp", "half_close", "被动关闭方在收到第一个 FIN 之后仍发送数据", None, &[]),
    ("tcp", "msl", "报文段最大生存时间(秒),TIME_WAIT 持续 2MSL", Some("秒"), &[]),
    ("tcp", "explain", "用课程中的打电话比喻讲解每一步", None, &[]),
    ("tcp", "output", "把这次交互写成帧(.pcap 或 .pcapng)", Some("文件"), &[]),
    ("tcp", "html", "同时把这次交互写成课堂用的 HTML 页面:梯形图、两端的状态、丢包、重传和 TIME_WAIT,以及每个段的帧(独立文件)", Some("文件"), &[]),
    ("tcp", "from", "跟踪一个抓包中的 TCP 连接,不模拟", Some("文件"), &[]),
    ("tcp", "json", "输出 JSON", None, &[]),
    ("completions", "shell", "哪个 shell", Some("SHELL"), &[]),
    ("man", "dir", "把 layers.1 和每个命令一页(layers-decode.1 等)写入这个目录", Some("目录"), &[]),
];

/// The examples under a command's help, in `lang`.
fn examples(name: &str, lang: Lang) -> Option<String> {
    let (_, rows) = EXAMPLES.iter().find(|(n, _)| *n == name)?;
    let mut text = String::from(match lang {
        Lang::En => "Examples:",
        Lang::Zh => "示例:",
    });
    for (line, en, zh) in *rows {
        let what = match lang {
            Lang::En => en,
            Lang::Zh => zh,
        };
        let _ = write!(text, "\n  {line}");
        if !what.is_empty() {
            let _ = write!(text, "\n      {what}");
        }
    }
    Some(text)
}

/// The command line's definition with its help in `lang`.
pub fn command(lang: Lang) -> Command {
    let mut cmd = Cli::command();
    cmd.build();
    relabel(cmd, "", lang)
}

fn relabel(mut cmd: Command, name: &str, lang: Lang) -> Command {
    if let Some(text) = examples(name, lang) {
        cmd = cmd.after_help(text);
    }
    if lang == Lang::Zh {
        let key = if name.is_empty() { "layers" } else { name };
        if let Some((_, about)) = ABOUT_ZH.iter().find(|(n, _)| *n == key) {
            cmd = cmd.about(*about);
        }
        let ids: Vec<String> = cmd
            .get_arguments()
            .map(|a| a.get_id().to_string())
            .collect();
        for id in ids {
            let row = ARGS_ZH
                .iter()
                .find(|r| r.0 == name && r.1 == id)
                .or_else(|| ARGS_ZH.iter().find(|r| r.0.is_empty() && r.1 == id));
            let Some(&(_, _, help, value_name, choices)) = row else {
                // mut_arg moves the argument to the end of the built command, whose
                // positions are already counted: every argument goes through it, in
                // order, or the flags after a missing row would shift by one.
                cmd = cmd.mut_arg(id, |arg| arg);
                continue;
            };
            cmd = cmd.mut_arg(id, |mut arg| {
                let mut help = help.to_string();
                let values = arg.get_possible_values();
                if !values.is_empty() {
                    help.push_str("\n可选值:");
                    for (i, v) in values.iter().enumerate() {
                        match choices.get(i) {
                            Some(c) => {
                                let _ = write!(help, "\n  {}:{c}", v.get_name());
                            }
                            None => {
                                let sep = if i == 0 { "" } else { "、" };
                                let _ = write!(help, "{sep}{}", v.get_name());
                            }
                        }
                    }
                    arg = arg.hide_possible_values(true);
                }
                arg = arg.help(help).long_help(None::<&str>);
                if let Some(v) = value_name {
                    arg = arg.value_name(v);
                }
                arg
            });
        }
    }
    let subs: Vec<String> = cmd
        .get_subcommands()
        .map(|s| s.get_name().to_string())
        .collect();
    for sub in subs {
        cmd = cmd.mut_subcommand(&sub, |s| relabel(s, &sub, lang));
    }
    cmd
}

/// clap's headings and placeholders in Chinese.
const HEADINGS_ZH: &[(&str, &str)] = &[
    ("Usage:", "用法:"),
    ("Arguments:", "参数:"),
    ("Options:", "选项:"),
    ("Commands:", "命令:"),
    ("[OPTIONS]", "[选项]"),
    ("<COMMAND>", "<命令>"),
    ("[COMMAND]", "[命令]"),
    ("[default: ", "[默认:"),
    ("[aliases: ", "[别名:"),
    ("[possible values: ", "[可选值:"),
    ("\nAddresses:", "\n地址:"),
    ("\nFrames:", "\n帧:"),
    ("\nIPv4:", "\nIPv4:"),
    ("\nLink:", "\n链路:"),
    ("\nOutput:", "\n输出:"),
    ("\nPayload:", "\n数据:"),
    ("\nTCP:", "\nTCP:"),
    ("\nViews:", "\n视图:"),
];

fn headings_zh(text: &str) -> String {
    HEADINGS_ZH
        .iter()
        .fold(text.to_string(), |t, (en, zh)| t.replace(en, zh))
}

/// The language asked for before the command line is parsed: `--lang` wherever it is, or
/// the locale. clap needs it to speak in that language about the command line itself.
pub fn early_lang(args: &[OsString]) -> Option<Lang> {
    let mut it = args.iter().skip(1).map(|a| a.to_string_lossy());
    while let Some(a) = it.next() {
        if a == "--" {
            break;
        }
        let value = match a.strip_prefix("--lang") {
            Some("") => it.next().map(|v| v.to_string()),
            Some(rest) => rest.strip_prefix('=').map(str::to_string),
            None => None,
        };
        match value.as_deref() {
            Some("zh") => return Some(Lang::Zh),
            Some("en") => return Some(Lang::En),
            _ => {}
        }
    }
    None
}

fn text_of(v: &ContextValue) -> String {
    match v {
        ContextValue::String(s) => s.clone(),
        ContextValue::Strings(s) => s.join("、"),
        ContextValue::StyledStr(s) => s.to_string(),
        ContextValue::StyledStrs(s) => s
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("、"),
        ContextValue::Number(n) => n.to_string(),
        ContextValue::Bool(b) => b.to_string(),
        ContextValue::None => String::new(),
        _ => String::new(),
    }
}

/// clap's error (or help, or version) as the text to print, in `lang`.
pub fn render(err: &clap::Error, lang: Lang, color: bool) -> String {
    let styled = err.render();
    let english = if color {
        styled.ansi().to_string()
    } else {
        styled.to_string()
    };
    if lang == Lang::En {
        if !english.ends_with('\n') {
            return english + "\n";
        }
        return english;
    }
    let ctx = |k: ContextKind| err.get(k).map(text_of).unwrap_or_default();
    let quoted = |k: ContextKind| format!("「{}」", ctx(k));
    let sentence = match err.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let mut help = headings_zh(&english);
            if !help.ends_with('\n') {
                help.push('\n');
            }
            return help;
        }
        ErrorKind::InvalidValue => {
            let valid = ctx(ContextKind::ValidValue);
            if ctx(ContextKind::InvalidValue).is_empty() {
                format!("{}需要一个值", quoted(ContextKind::InvalidArg))
            } else if valid.is_empty() {
                format!(
                    "{}不是{}的有效值",
                    quoted(ContextKind::InvalidValue),
                    quoted(ContextKind::InvalidArg)
                )
            } else {
                format!(
                    "{}不是{}的有效值;可选值:{valid}",
                    quoted(ContextKind::InvalidValue),
                    quoted(ContextKind::InvalidArg)
                )
            }
        }
        ErrorKind::UnknownArgument => format!("没有参数{}", quoted(ContextKind::InvalidArg)),
        ErrorKind::InvalidSubcommand => {
            format!("没有子命令{}", quoted(ContextKind::InvalidSubcommand))
        }
        ErrorKind::NoEquals => format!("{}的值要用等号给出", quoted(ContextKind::InvalidArg)),
        ErrorKind::ValueValidation => format!(
            "{}不是{}的有效值",
            quoted(ContextKind::InvalidValue),
            quoted(ContextKind::InvalidArg)
        ),
        ErrorKind::TooManyValues => format!(
            "{}多了一个值{}",
            quoted(ContextKind::InvalidArg),
            quoted(ContextKind::InvalidValue)
        ),
        ErrorKind::TooFewValues | ErrorKind::WrongNumberOfValues => {
            format!("{}的值的个数不对", quoted(ContextKind::InvalidArg))
        }
        ErrorKind::ArgumentConflict => {
            let prior = ctx(ContextKind::PriorArg);
            if prior.is_empty() {
                format!("{}不能与其他参数同时使用", quoted(ContextKind::InvalidArg))
            } else {
                format!(
                    "{}不能与「{prior}」同时使用",
                    quoted(ContextKind::InvalidArg)
                )
            }
        }
        ErrorKind::MissingRequiredArgument => {
            format!("缺少必需的参数:{}", ctx(ContextKind::InvalidArg))
        }
        ErrorKind::MissingSubcommand => {
            format!("缺少子命令;可用的有:{}", ctx(ContextKind::ValidSubcommand))
        }
        ErrorKind::InvalidUtf8 => "参数不是有效的 UTF-8".to_string(),
        _ => return english,
    };
    let mut text = format!("错误:{sentence}\n");
    let suggested = [ContextKind::SuggestedArg, ContextKind::SuggestedSubcommand]
        .into_iter()
        .map(ctx)
        .find(|s| !s.is_empty());
    if let Some(s) = suggested {
        let _ = writeln!(text, "\n  提示:是不是想用「{s}」?");
    }
    // The usage of the command the error is about, as clap puts it under its own errors.
    let usage = english
        .lines()
        .find(|l| l.trim_start().starts_with("Usage:"))
        .map(headings_zh);
    if let Some(u) = usage {
        let _ = writeln!(text, "\n{u}");
    }
    let _ = writeln!(text, "\n更多信息请用「--help」。");
    text
}
