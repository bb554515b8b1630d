//! The command line, with clap's derive API.
//!
//! Values that need more than a type check (addresses, ports, masks, MACs, numbers with a
//! range) are taken as text and checked by the command, so every refusal is one line in
//! the user's language that names the flag, the value and what was expected.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Build, dissect and drill network frames layer by layer: the OSI / TCP-IP model made tangible.
#[derive(Debug, Parser)]
#[command(name = "layers", version, propagate_version = true)]
pub struct Cli {
    /// Language of the output (default: from LC_ALL / LANG, zh for zh_*)
    #[arg(long, global = true, value_enum)]
    pub lang: Option<LangArg>,

    /// Colour: auto uses colour only on a terminal and never with NO_COLOR set
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    #[command(subcommand)]
    pub command: Command,
}

/// Output language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    /// English
    En,
    /// 中文
    Zh,
}

/// When to colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// On a terminal, unless NO_COLOR is set
    Auto,
    /// Always
    Always,
    /// Never
    Never,
}

/// The commands.
// Parsed once per run: the size of the largest variant costs nothing worth boxing for.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build one frame top-down and show every layer's part of it
    #[command(display_name = "layers")]
    Encode(EncodeArgs),
    /// Dissect frames bottom-up from a pcap, pcapng, hex text or raw frame
    #[command(display_name = "layers")]
    Decode(DecodeArgs),
    /// Print the memorisation table: each layer's protocols and devices
    #[command(display_name = "layers")]
    Table(TableArgs),
    /// Drill the table, layers, devices, PDUs, ports, subnets and TCP states
    #[command(display_name = "layers")]
    Quiz(QuizArgs),
    /// The AND of address and mask in binary, the network's numbers, where packets go
    #[command(display_name = "layers")]
    Subnet(SubnetArgs),
    /// A port's IANA class and the services on it, or a service's port
    #[command(display_name = "layers")]
    Port(PortArgs),
    /// Follow one frame across hosts, switches and routers, step by step
    #[command(display_name = "layers")]
    Journey(JourneyArgs),
    /// The three-way handshake and the four-way close, with both ends' states
    #[command(display_name = "layers")]
    Tcp(TcpArgs),
    /// Capture frames live from an interface and dissect them as decode does
    #[command(display_name = "layers")]
    Capture(CaptureArgs),
    /// The lesson's socket programs as a tool: a TCP or UDP chat server and client
    #[command(display_name = "layers", subcommand)]
    Chat(ChatCommand),
    /// Print a shell completion script (bash, zsh, fish, powershell, elvish)
    #[command(display_name = "layers")]
    Completions(CompletionsArgs),
    /// Print the man page (roff), or write one page per command into a directory
    #[command(display_name = "layers")]
    Man(ManArgs),
}

/// `layers completions`.
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

/// `layers man`.
#[derive(Debug, Args)]
pub struct ManArgs {
    /// Write layers.1 and one page per command (layers-decode.1, ...) into DIR
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

/// A segment to lose.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum LoseArg {
    /// The active closer's last ACK
    FinalAck,
    /// The active closer's FIN
    Fin,
    /// The server's SYN,ACK
    SynAck,
    /// The client's data
    Data,
}

/// Who closes first.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum CloserArg {
    /// The client, as in the seed
    Client,
    /// The server
    Server,
    /// Both at once (simultaneous close)
    Both,
}

/// `layers tcp`.
#[derive(Debug, Args)]
pub struct TcpArgs {
    /// Initial sequence numbers, CLIENT,SERVER [default: drawn from --seed]
    #[arg(long, value_name = "C,S")]
    pub isn: Option<String>,
    /// Seed for the initial sequence numbers
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// What the client sends
    #[arg(long, default_value = "hello!")]
    pub send: String,
    /// What the server answers
    #[arg(long, default_value = "你好")]
    pub reply: String,
    /// Who closes first
    #[arg(long, value_enum, default_value_t = CloserArg::Client)]
    pub closer: CloserArg,
    /// Abort with RST instead of the four-way close
    #[arg(long)]
    pub rst: bool,
    /// Lose this segment once (it is retransmitted after the RTO)
    #[arg(long, value_enum)]
    pub lose: Option<LoseArg>,
    /// The passive closer still sends data after the first FIN
    #[arg(long)]
    pub half_close: bool,
    /// Maximum segment lifetime in seconds (TIME_WAIT lasts 2MSL)
    #[arg(long, default_value_t = 30)]
    pub msl: u64,
    /// Tell each step with the seed's telephone call
    #[arg(long)]
    pub explain: bool,
    /// Write the exchange as frames (.pcap or .pcapng)
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<std::path::PathBuf>,
    /// Also write the exchange as a classroom page: the ladder with both ends' states,
    /// losses, retransmissions and TIME_WAIT, and each segment's frame (one HTML file)
    #[arg(long, value_name = "FILE")]
    pub html: Option<std::path::PathBuf>,
    /// Follow the TCP connections of a capture instead of simulating
    #[arg(
        long,
        value_name = "FILE",
        conflicts_with_all = ["isn", "seed", "send", "reply", "closer", "rst", "lose", "half_close", "msl", "explain", "output", "html"]
    )]
    pub from: Option<String>,
    /// Print JSON
    #[arg(long)]
    pub json: bool,
}

/// `layers journey`.
#[derive(Debug, Args)]
pub struct JourneyArgs {
    /// A topology file (TOML: [[host]], [[switch]], [[hub]], [[router]] with [[router.interface]] and [[router.route]])
    #[arg(long, value_name = "FILE")]
    pub topology: Option<std::path::PathBuf>,
    /// The sending host
    #[arg(long, default_value = "A")]
    pub from: String,
    /// The receiving host
    #[arg(long, default_value = "B")]
    pub to: String,
    /// The data the TCP segment carries [default: hello!]
    #[arg(long, value_name = "TEXT")]
    pub payload: Option<String>,
    /// Carry this many bytes of data instead (to see fragmentation)
    #[arg(long, value_name = "BYTES")]
    pub payload_size: Option<usize>,
    /// The packet's starting TTL
    #[arg(long, default_value_t = 64)]
    pub ttl: u8,
    /// Set don't-fragment
    #[arg(long)]
    pub df: bool,
    /// The MTU of the routers' last interface in the topology (the far link)
    #[arg(long, value_name = "BYTES")]
    pub mtu: Option<usize>,
    /// Write every frame to a pcapng file, one interface per link
    #[arg(short = 'o', long, value_name = "FILE")]
    pub output: Option<std::path::PathBuf>,
    /// Also write the journey as a classroom page: the path, each hop's frame, what each
    /// device read and what it changed (one self-contained HTML file)
    #[arg(long, value_name = "FILE")]
    pub html: Option<std::path::PathBuf>,
    /// Print JSON
    #[arg(long)]
    pub json: bool,
}

/// `layers subnet`.
#[derive(Debug, Args)]
pub struct SubnetArgs {
    /// The address and its prefix or mask (without one, the historic class's mask)
    #[arg(value_name = "ADDR[/PREFIX|/MASK]", allow_hyphen_values = true)]
    pub address: String,
    /// Other addresses: for each, same network or not, and so whom to ARP for
    #[arg(value_name = "OTHER")]
    pub others: Vec<String>,
    /// Split the network into N equal subnets
    #[arg(long, value_name = "N")]
    pub split: Option<String>,
    /// VLSM: subnets for these host counts, largest first (such as 50,20,10)
    #[arg(long, value_name = "N,N,...")]
    pub hosts: Option<String>,
    /// Print JSON
    #[arg(long)]
    pub json: bool,
}

/// `layers port`.
#[derive(Debug, Args)]
pub struct PortArgs {
    /// A port number or a service name; without one, the ranges and every service
    #[arg(value_name = "N|NAME", allow_hyphen_values = true)]
    pub port: Option<String>,
    /// Print JSON
    #[arg(long)]
    pub json: bool,
}

/// A layer model.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ModelArg {
    /// TCP/IP in five layers (the course's table)
    Tcpip5,
    /// OSI's seven layers
    Osi7,
    /// TCP/IP in four layers
    Tcpip4,
}

/// `layers table`.
#[derive(Debug, Args)]
pub struct TableArgs {
    /// The layer model
    #[arg(long, value_enum, default_value_t = ModelArg::Tcpip5)]
    pub model: ModelArg,
    /// Add each layer's PDU name
    #[arg(long)]
    pub pdu: bool,
    /// Print JSON instead of a table
    #[arg(long)]
    pub json: bool,
}

/// A quiz topic.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum TopicArg {
    /// The memorisation table, as dictation
    Table,
    /// Which layer a protocol or device belongs to
    LayerOf,
    /// Which devices work at a layer
    Devices,
    /// PDU names
    Pdu,
    /// Well-known ports and port ranges
    Ports,
    /// Network addresses, same subnet, private ranges
    Subnet,
    /// TCP states, TIME_WAIT, the four-way close
    Tcp,
    /// Which services run over TCP or UDP
    TcpUdp,
    /// A mix of everything
    All,
}

/// Typed answers or multiple choice.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ModeArg {
    /// Type the answer
    Typed,
    /// Pick from four (where a question has options)
    Choice,
}

/// `layers quiz`.
#[derive(Debug, Args)]
pub struct QuizArgs {
    /// What to drill
    #[arg(long, value_enum, default_value_t = TopicArg::Table)]
    pub topic: TopicArg,
    /// The layer model the questions use
    #[arg(long, value_enum, default_value_t = ModelArg::Tcpip5)]
    pub model: ModelArg,
    /// How many questions [default: 10] (the dictation always asks all of its prompts)
    #[arg(long, value_name = "N")]
    pub count: Option<usize>,
    /// Seed for which questions and in what order (the same seed asks the same)
    #[arg(long)]
    pub seed: Option<u64>,
    /// Typed answers or multiple choice
    #[arg(long, value_enum, default_value_t = ModeArg::Typed)]
    pub mode: ModeArg,
    /// Ask first what was missed in earlier sessions
    #[arg(long)]
    pub review: bool,
    /// Ask about the layers of a frame from this capture, hex dump or raw file
    #[arg(long, value_name = "FILE")]
    pub from: Option<String>,
    /// With --from: which frame (from 1)
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub frame: u64,
    /// Write the question bank as an Anki deck (.apkg) instead of asking
    #[arg(long, value_name = "FILE")]
    pub export_anki: Option<std::path::PathBuf>,
}

/// How `decode` shows each frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum InputFormatArg {
    /// One frame, its bytes
    Raw,
    /// Hex text
    Hex,
    /// Classic pcap
    Pcap,
    /// pcapng
    Pcapng,
}

/// `layers decode`.
#[derive(Debug, Args)]
pub struct DecodeArgs {
    /// The input: a pcap, pcapng, hex text or raw frame file; - for standard input. With
    /// --parquet, any number of files (and quoted globs such as "caps/*.pcap")
    #[arg(value_name = "FILE|-", default_value = "-", num_args = 1..)]
    pub inputs: Vec<String>,
    /// The input's format, instead of detecting it
    #[arg(long, value_enum)]
    pub format: Option<InputFormatArg>,

    /// One line per frame, like tcpdump
    #[arg(long, help_heading = "Views", conflicts_with_all = ["json", "hex", "diagram", "stats"])]
    pub oneline: bool,
    /// One JSON object per frame (JSON Lines): the fields the README documents
    #[arg(long, help_heading = "Views", conflicts_with_all = ["hex", "diagram", "stats"])]
    pub json: bool,
    /// The bytes of each frame, coloured (or lettered) by layer
    #[arg(long, help_heading = "Views", conflicts_with_all = ["diagram", "stats"])]
    pub hex: bool,
    /// Each header as its RFC diagram, filled with this frame's values
    #[arg(long, help_heading = "Views", conflicts_with = "stats")]
    pub diagram: bool,
    /// Protocol hierarchy with frame and byte counts, checksum and malformed counts
    #[arg(long, help_heading = "Views")]
    pub stats: bool,
    /// One row per frame into an Apache Parquet file (for DuckDB, Spark, pandas); OUT
    /// a directory (existing, or ending in /): one file per input in it
    #[arg(
        long,
        value_name = "OUT",
        help_heading = "Views",
        conflicts_with_all = ["oneline", "json", "hex", "diagram", "stats"]
    )]
    pub parquet: Option<PathBuf>,
    /// Write the frames as a classroom page: one self-contained HTML file with the frame
    /// list, a filter box, and each frame's bytes, layers, fields and diagrams (at most
    /// 10000 frames)
    #[arg(
        long,
        value_name = "FILE",
        help_heading = "Views",
        conflicts_with_all = ["oneline", "json", "hex", "diagram", "stats", "parquet"]
    )]
    pub html: Option<PathBuf>,

    /// Only frame N (counting from 1)
    #[arg(long, value_name = "N", help_heading = "Frames")]
    pub frame: Option<u64>,
    /// At most N frames
    #[arg(long, value_name = "N", help_heading = "Frames")]
    pub count: Option<u64>,
    /// Skip the first N frames
    #[arg(long, value_name = "N", help_heading = "Frames")]
    pub skip: Option<u64>,
    /// Only frames the expression selects, in tcpdump's syntax ("tcp port 80", "vlan and
    /// host 10.0.0.1"); frames keep their numbers, and --count counts the selected ones
    #[arg(long, value_name = "EXPR", help_heading = "Frames")]
    pub filter: Option<String>,

    /// Dissect on N threads (default: every core); the output is the same for any N
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..=1024))]
    pub threads: Option<u16>,
}

/// Protocol carried by the frame.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Proto {
    /// A TCP segment (the seed's socket)
    Tcp,
    /// A UDP datagram
    Udp,
    /// An ICMP echo request (ping)
    Icmp,
    /// The ARP request that resolves the next hop
    Arp,
}

/// File format of -o.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum FormatArg {
    /// The frame's bytes
    Raw,
    /// Hex text, one frame per line
    Hex,
    /// Classic pcap
    Pcap,
    /// pcapng
    Pcapng,
}

/// `layers encode`.
#[derive(Debug, Args)]
#[command(allow_negative_numbers = true)]
pub struct EncodeArgs {
    /// Data to carry, as text (UTF-8; Chinese welcome) [default: hello!]
    #[arg(long, value_name = "TEXT", help_heading = "Payload")]
    pub payload: Option<String>,
    /// Data to carry, as hex digits (spaces, colons and 0x allowed)
    #[arg(long, value_name = "HEX", help_heading = "Payload")]
    pub payload_hex: Option<String>,
    /// Data to carry, read from a file
    #[arg(long, value_name = "PATH", help_heading = "Payload")]
    pub payload_file: Option<PathBuf>,

    /// What the frame carries
    #[arg(long, value_enum, default_value_t = Proto::Tcp, help_heading = "Addresses")]
    pub proto: Proto,
    /// Sender: IP, its network as /PREFIX or /MASK, and port [default: 192.168.11.34/24:51000]
    #[arg(
        long,
        value_name = "IP[/PREFIX|/MASK][:PORT]",
        help_heading = "Addresses"
    )]
    pub from: Option<String>,
    /// Receiver: IP and port number or service name (http, dns, ...) [default: 192.168.11.53:9999]
    #[arg(long, value_name = "IP[:PORT]", help_heading = "Addresses")]
    pub to: Option<String>,
    /// The sender's subnet mask (instead of /PREFIX in --from)
    #[arg(long, value_name = "MASK", help_heading = "Addresses")]
    pub mask: Option<String>,
    /// The sender's default gateway [default: the first host of its network]
    #[arg(long, value_name = "IP", help_heading = "Addresses")]
    pub gateway: Option<String>,
    /// Source MAC [default: 02:00 + the source IPv4, locally administered]
    #[arg(long, value_name = "MAC", help_heading = "Addresses")]
    pub src_mac: Option<String>,
    /// Destination MAC [default: the next hop's, derived the same way; broadcast for ARP]
    #[arg(long, value_name = "MAC", help_heading = "Addresses")]
    pub dst_mac: Option<String>,

    /// IPv4 time to live [default: 64]
    #[arg(long, value_name = "N", help_heading = "IPv4")]
    pub ttl: Option<String>,
    /// IPv4 identification [default: 1]
    #[arg(long, value_name = "N", help_heading = "IPv4")]
    pub id: Option<String>,
    /// Set IPv4's don't-fragment bit
    #[arg(long, help_heading = "IPv4")]
    pub df: bool,
    /// Largest IPv4 packet the link takes; bigger payloads are refused [default: 1500]
    #[arg(long, value_name = "BYTES", help_heading = "IPv4")]
    pub mtu: Option<String>,

    /// TCP flags, comma-separated: SYN,ACK,PSH,FIN,RST,URG,ECE,CWR [default: PSH,ACK]
    #[arg(long, value_name = "FLAGS", help_heading = "TCP")]
    pub flags: Option<String>,
    /// TCP sequence number [default: 1]
    #[arg(long, value_name = "N", help_heading = "TCP")]
    pub seq: Option<String>,
    /// TCP acknowledgment number (needs ACK) [default: 1 with ACK, else 0]
    #[arg(long, value_name = "N", help_heading = "TCP")]
    pub ack: Option<String>,
    /// TCP receive window [default: 64240]
    #[arg(long, value_name = "N", help_heading = "TCP")]
    pub window: Option<String>,
    /// Add an MSS option (needs SYN)
    #[arg(long, value_name = "N", help_heading = "TCP")]
    pub mss: Option<String>,

    /// Tag the frame with 802.1Q VLAN ID (1-4094) and priority (0-7)
    #[arg(long, value_name = "ID[:PCP]", help_heading = "Link")]
    pub vlan: Option<String>,
    /// Link speed for the time on the wire: 10M, 100M, 1G, 10G
    #[arg(
        long,
        value_name = "SPEED",
        default_value = "1G",
        help_heading = "Link"
    )]
    pub link: String,

    /// Show every header field with its value, bytes and bits
    #[arg(long, help_heading = "Views")]
    pub fields: bool,
    /// Explain each step in words
    #[arg(long, help_heading = "Views")]
    pub explain: bool,
    /// Print the frame as JSON (the model `decode --json` uses) instead of tables
    #[arg(long, help_heading = "Views")]
    pub json: bool,
    /// Draw each header as its RFC diagram, filled with this frame's values
    #[arg(long, help_heading = "Views")]
    pub diagram: bool,
    /// Also write the frame as a classroom page: one self-contained HTML file (bytes,
    /// layers, fields and diagrams tied together on hover)
    #[arg(long, value_name = "FILE", help_heading = "Views")]
    pub html: Option<PathBuf>,

    /// Write the frame to FILE (format from the extension: .bin .hex .txt .pcap .pcapng)
    #[arg(short = 'o', long, value_name = "FILE", help_heading = "Output")]
    pub output: Option<PathBuf>,
    /// Format of -o, overriding the extension
    #[arg(long, value_enum, help_heading = "Output")]
    pub format: Option<FormatArg>,
    /// Append the Ethernet FCS (CRC-32) to the written frame
    #[arg(long, help_heading = "Output")]
    pub fcs: bool,
    /// Break the frame on purpose: bad-ip-checksum, bad-l4-checksum, ttl-zero, truncate=N (repeatable)
    #[arg(long, value_name = "FAULT", help_heading = "Output")]
    pub fault: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_consistent() {
        Cli::command().debug_assert();
    }
}

/// `layers chat`.
#[derive(Debug, Subcommand)]
pub enum ChatCommand {
    /// Serve a chat: every line a client sends reaches the others; type to speak, q to quit
    #[command(display_name = "layers chat")]
    Serve(ChatServeArgs),
    /// Join a chat: type a line to send it, q (or the end of input) to leave
    #[command(display_name = "layers chat")]
    Connect(ChatConnectArgs),
}

/// `layers chat serve`.
#[derive(Debug, Args)]
pub struct ChatServeArgs {
    /// The address and port to listen on (port 0: any free port, printed at the start).
    /// SO_REUSEADDR is set before bind, so a restarted server gets its port back at once
    /// while connections of the last run still wait out TIME_WAIT
    #[arg(long, value_name = "IP:PORT", default_value = "127.0.0.1:9999")]
    pub bind: String,
    /// UDP datagrams instead of a TCP stream: no connection, no close, and each datagram
    /// is one message, which may be lost or come out of order
    #[arg(long)]
    pub udp: bool,
    /// The server's own name in the chat
    #[arg(long, value_name = "NAME", default_value = "server")]
    pub name: String,
    /// Narrate each socket call (socket, bind, listen, accept, recv, send, close) with the
    /// TCP state it leads to
    #[arg(long)]
    pub explain: bool,
}

/// `layers chat connect`.
#[derive(Debug, Args)]
pub struct ChatConnectArgs {
    /// The server's address and port
    #[arg(value_name = "IP:PORT")]
    pub server: String,
    /// UDP datagrams instead of a TCP stream (the server must be started with --udp too)
    #[arg(long)]
    pub udp: bool,
    /// Your name in the chat [default: the login name, or "guest"]
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// Narrate each socket call (socket, connect, send, recv, shutdown, close) with the TCP
    /// state it leads to
    #[arg(long)]
    pub explain: bool,
}

/// `layers capture`.
#[derive(Debug, Args)]
pub struct CaptureArgs {
    /// The interface to capture on (see --list)
    #[arg(short, long, value_name = "IFACE", required_unless_present = "list")]
    pub interface: Option<String>,
    /// List the interfaces, with their addresses, and stop
    #[arg(long)]
    pub list: bool,
    /// Stop after N frames (counting those the filter selects)
    #[arg(long, value_name = "N")]
    pub count: Option<u64>,
    /// Stop after S seconds
    #[arg(long, value_name = "S")]
    pub timeout: Option<f64>,
    /// Only frames the expression selects, in tcpdump's syntax, as decode --filter
    #[arg(long, value_name = "EXPR")]
    pub filter: Option<String>,
    /// Also write the frames to a pcapng file (flushed and valid however the capture ends)
    #[arg(short = 'w', long = "write", value_name = "FILE")]
    pub write: Option<PathBuf>,
    /// Each frame layer by layer, as decode shows it
    #[arg(long, help_heading = "Views", conflicts_with_all = ["json", "hex"])]
    pub tree: bool,
    /// One JSON object per frame (JSON Lines), as decode --json
    #[arg(long, help_heading = "Views", conflicts_with = "hex")]
    pub json: bool,
    /// The bytes of each frame, coloured (or lettered) by layer
    #[arg(long, help_heading = "Views")]
    pub hex: bool,
    /// After each TCP segment, both ends' states (the state machine of layers tcp)
    #[arg(long, conflicts_with = "json")]
    pub tcp_states: bool,
}
