//! Live capture from a network interface (Linux), through `pnet_datalink`, whose types do
//! not leave this module. What pnet does not give by itself, and a tcpdump user expects:
//!
//! - **Every frame once.** On `lo` a packet socket sees each frame twice, going out and
//!   coming in. libpcap drops the outgoing copy there (and only there); so do we, with a socket filter that
//!   rejects `PACKET_OUTGOING` (attached through socket2's safe API to a socket we create
//!   and hand to pnet). The socket is created with protocol 0, so it receives nothing until
//!   pnet binds it to the interface: no frame of another interface slips in first.
//! - **No silent truncation.** pnet reads into a 4 KiB buffer by default; loopback frames
//!   reach 64 KiB, so the buffer is 256 KiB (libpcap's largest snap length).
//! - **A timestamp per frame**: the time the frame is read (pnet gives no kernel
//!   timestamp), in nanoseconds.
//! - **The frames the kernel dropped**, from `PACKET_STATISTICS` at the end: the one call
//!   here that needs `unsafe` (a `getsockopt` no safe crate wraps).

use std::io;
use std::os::fd::{IntoRawFd, RawFd};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use layers_osi::LinkType;
use pnet_datalink::{Channel, DataLinkReceiver};

/// The most a frame may be: libpcap's `MAXIMUM_SNAPLEN`, as for files.
pub const READ_BUFFER: usize = 262_144;

/// An interface, as `capture --list` shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Interface {
    pub name: String,
    pub index: u32,
    pub mac: Option<[u8; 6]>,
    /// Its addresses, as `address/prefix`.
    pub addresses: Vec<String>,
    pub up: bool,
    pub loopback: bool,
    /// What its frames are, from `/sys/class/net/NAME/type`.
    pub link: LinkType,
}

/// Why an interface could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum LiveError {
    /// No interface has that name; these do.
    #[error("no interface is named {name}")]
    NoSuchInterface { name: String, known: Vec<String> },
    /// A raw socket needs CAP_NET_RAW (root, or setcap on the binary).
    #[error("opening a raw socket was refused: {0}")]
    Permission(io::Error),
    /// Anything else the system said.
    #[error("{0}")]
    Io(#[from] io::Error),
}

/// The link type of interface `name`: Linux's ARPHRD number from sysfs, mapped to the
/// pcap link type its frames are.
fn link_of(name: &str) -> LinkType {
    let path = format!("/sys/class/net/{name}/type");
    match std::fs::read_to_string(path)
        .ok()
        .and_then(|t| t.trim().parse::<u32>().ok())
    {
        // ARPHRD_ETHER, and ARPHRD_LOOPBACK (which Linux gives an Ethernet header).
        Some(1 | 772) | None => LinkType::Ethernet,
        // ARPHRD_NONE (tun) and ARPHRD_RAWIP: bare IP packets.
        Some(65534 | 519) => LinkType::RawIp,
        Some(other) => LinkType::Other(other),
    }
}

/// The interfaces of this machine (of this network namespace).
pub fn interfaces() -> Vec<Interface> {
    pnet_datalink::interfaces().iter().map(interface).collect()
}

fn interface(i: &pnet_datalink::NetworkInterface) -> Interface {
    Interface {
        link: link_of(&i.name),
        mac: i.mac.map(|m| m.octets()),
        addresses: i.ips.iter().map(ToString::to_string).collect(),
        up: i.is_up(),
        loopback: i.is_loopback(),
        index: i.index,
        name: i.name.clone(),
    }
}

/// A capture running on one interface.
pub struct Live {
    rx: Box<dyn DataLinkReceiver>,
    /// The socket pnet reads (and closes when `rx` is dropped).
    fd: RawFd,
    pub interface: Interface,
}

/// A classic BPF program that rejects what this host sends (`PACKET_OUTGOING`, which a
/// packet socket on `lo` sees beside the incoming copy) and accepts the rest whole.
fn incoming_only() -> [libc::sock_filter; 4] {
    let op = |code, jt, jf, k| libc::sock_filter { code, jt, jf, k };
    const LD_B_ABS: u16 = 0x30;
    const JEQ_K: u16 = 0x15;
    const RET_K: u16 = 0x06;
    // SKF_AD_OFF + SKF_AD_PKTTYPE: the ancillary load of the packet's type.
    const PKTTYPE: u32 = 0xffff_f000 + 4;
    const PACKET_OUTGOING: u32 = 4;
    [
        op(LD_B_ABS, 0, 0, PKTTYPE),
        op(JEQ_K, 0, 1, PACKET_OUTGOING),
        op(RET_K, 0, 0, 0),
        op(RET_K, 0, 0, READ_BUFFER as u32),
    ]
}

impl Live {
    /// Opens interface `name` for capture (promiscuous, as tcpdump does by default).
    pub fn open(name: &str) -> Result<Live, LiveError> {
        let all = pnet_datalink::interfaces();
        let Some(pnet_if) = all.iter().find(|i| i.name == name) else {
            return Err(LiveError::NoSuchInterface {
                name: name.to_string(),
                known: all.into_iter().map(|i| i.name).collect(),
            });
        };
        let interface = interface(pnet_if);
        let refused = |e: io::Error| match e.kind() {
            io::ErrorKind::PermissionDenied => LiveError::Permission(e),
            _ if e.raw_os_error() == Some(1) => LiveError::Permission(e),
            _ => LiveError::Io(e),
        };
        // Protocol 0: nothing is received until pnet binds the socket to the interface
        // with ETH_P_ALL.
        let socket = socket2::Socket::new(socket2::Domain::PACKET, socket2::Type::RAW, None)
            .map_err(refused)?;
        // Only loopback shows a frame twice (what goes out comes straight back in); on
        // any other interface the outgoing copy is the only one, and is kept, as libpcap
        // does.
        if interface.loopback {
            socket.attach_filter(&incoming_only())?;
        }
        let fd = socket.into_raw_fd();
        let config = pnet_datalink::Config {
            read_buffer_size: READ_BUFFER,
            read_timeout: Some(Duration::from_millis(100)),
            socket_fd: Some(fd),
            ..Default::default()
        };
        let rx = match pnet_datalink::channel(pnet_if, config) {
            Ok(Channel::Ethernet(_tx, rx)) => rx,
            Ok(_) => {
                return Err(LiveError::Io(io::Error::other(
                    "pnet gave a channel of an unknown kind",
                )))
            }
            Err(e) => return Err(refused(e)),
        };
        Ok(Live { rx, fd, interface })
    }

    /// The next frame and when it was read, waiting at most about 100 ms; `None` if none
    /// came in that time.
    pub fn next_frame(&mut self) -> io::Result<Option<(Duration, &[u8])>> {
        match self.rx.next() {
            Ok(frame) => {
                let now = SystemTime::now()
                    .duration_since(UNIX_EPOCH)
                    .unwrap_or_default();
                Ok(Some((now, frame)))
            }
            Err(e) if e.kind() == io::ErrorKind::TimedOut => Ok(None),
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => Ok(None),
            Err(e) if e.kind() == io::ErrorKind::Interrupted => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// What the kernel counted since the last call (or since the start): frames that
    /// passed the socket filter, and those dropped because the socket's buffer was full.
    pub fn kernel_counts(&self) -> io::Result<KernelCounts> {
        packet_statistics(self.fd)
    }
}

/// The kernel's counts of a packet socket (`struct tpacket_stats`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct KernelCounts {
    /// Frames that passed the filter (dropped ones included).
    pub received: u32,
    /// Frames dropped: the socket's receive buffer was full.
    pub dropped: u32,
}

/// `getsockopt(fd, SOL_PACKET, PACKET_STATISTICS)`: no safe crate wraps it.
#[allow(unsafe_code)]
fn packet_statistics(fd: RawFd) -> io::Result<KernelCounts> {
    const SOL_PACKET: libc::c_int = 263;
    const PACKET_STATISTICS: libc::c_int = 6;
    let mut stats = [0u32; 2]; // struct tpacket_stats { tp_packets, tp_drops }
    let mut len = std::mem::size_of_val(&stats) as libc::socklen_t;
    // SAFETY: `stats` is a valid, writable buffer of `len` bytes, the size of the struct
    // the kernel writes for this option; `len` is a valid pointer it updates. An invalid
    // fd gives an error, never undefined behaviour.
    let r = unsafe {
        libc::getsockopt(
            fd,
            SOL_PACKET,
            PACKET_STATISTICS,
            stats.as_mut_ptr().cast(),
            &mut len,
        )
    };
    if r != 0 {
        return Err(io::Error::last_os_error());
    }
    let [received, dropped] = stats;
    Ok(KernelCounts { received, dropped })
}
