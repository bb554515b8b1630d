//! What `layers encode` decided from its flags: the frame to build and why each address is
//! what it is. The plan is made by `encode` and shown by `render::encode`; neither imports
//! the other.

use std::net::Ipv4Addr;
use std::path::PathBuf;

use layers_capture::OutputFormat;
use layers_ipv4::{Ipv4Net, Route};
use layers_physical::LinkSpeed;
use layers_stack::{Fault, FrameSpec};

use crate::args::Proto;

/// Where a MAC came from, so the output can say so.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MacOrigin {
    /// Given with a flag.
    Given,
    /// Derived from this IP.
    Derived(Ipv4Addr),
    /// Broadcast, as an ARP request must be.
    Broadcast,
    /// Broadcast, as the IP destination is.
    BroadcastIp,
    /// The MAC of this IPv4 multicast group.
    Multicast(Ipv4Addr),
}

/// Everything the flags decided.
#[derive(Debug)]
pub struct Plan {
    /// What the destination is to the sender (unicast, broadcast, multicast).
    pub destination: layers_ipv4::Destination,
    /// The frame.
    pub spec: FrameSpec,
    /// The protocol asked for.
    pub proto: Proto,
    /// The sender and its network.
    pub source: Ipv4Net,
    /// Source and destination ports (TCP and UDP).
    pub ports: Option<(u16, u16)>,
    /// The subnet decision.
    pub route: Route,
    /// Whether the gateway was assumed rather than given.
    pub gateway_assumed: bool,
    /// Where the source MAC came from.
    pub src_mac: MacOrigin,
    /// Where the destination MAC came from.
    pub dst_mac: MacOrigin,
    /// The link speed.
    pub speed: LinkSpeed,
    /// Faults to apply.
    pub faults: Vec<Fault>,
    /// Where to write, and how.
    pub output: Option<(PathBuf, OutputFormat)>,
}
