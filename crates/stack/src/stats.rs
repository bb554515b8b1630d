//! The summary of many frames: the protocol hierarchy, byte counts and the kinds of problem
//! found, as `decode --stats` prints them. Counting a frame allocates nothing once its
//! protocol path has been seen; summaries of parts of a capture add up with `+=`, so threads
//! each count their share and the totals do not depend on how the work was split.

use std::collections::{BTreeMap, HashMap};
use std::ops::AddAssign;

use layers_osi::{OsiLayer, ProtocolId, Stop, StopKind};

use crate::Dissection;

/// The maps' hasher: their keys are protocol paths and problem kinds, a small set `layers`
/// defines (no capture can flood them with colliding keys), and SipHash was 4 % of `--stats`.
type Fast = foldhash::fast::FixedState;

/// What kind of problem a stop reports, without its particulars.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ProblemKind {
    /// A checksum that holds only the pseudo-header sum (checksum offload, not an error).
    ChecksumOffload,
    /// A checksum that does not match.
    BadChecksum,
    /// An FCS that does not match.
    BadFcs,
    /// A header or payload cut short.
    Truncated,
    /// A field with a value the protocol does not allow.
    Invalid(&'static str),
    /// The capture kept less than the wire carried.
    SnapLength,
    /// Something recognised but not dissected (its kind).
    Unsupported(layers_osi::Text),
    /// An IPv4 total length of 0 read as TCP segmentation offload.
    SegmentationOffload,
}

impl ProblemKind {
    /// The kind of `stop`.
    pub fn of(stop: &Stop) -> ProblemKind {
        match &stop.kind {
            StopKind::BadChecksum { offload: true, .. } => ProblemKind::ChecksumOffload,
            StopKind::BadChecksum { .. } => ProblemKind::BadChecksum,
            StopKind::BadFcs { .. } => ProblemKind::BadFcs,
            StopKind::Truncated { .. } => ProblemKind::Truncated,
            StopKind::Invalid { field, .. } => ProblemKind::Invalid(field),
            StopKind::SnapLength { .. } => ProblemKind::SnapLength,
            StopKind::Unsupported { what, .. } => ProblemKind::Unsupported(*what),
            StopKind::SegmentationOffload { .. } => ProblemKind::SegmentationOffload,
        }
    }

    /// Whether it makes the frame malformed.
    pub fn is_malformed(self) -> bool {
        matches!(self, ProblemKind::Truncated | ProblemKind::Invalid(_))
    }
}

/// Frames and bytes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Count {
    /// Frames.
    pub frames: u64,
    /// Bytes captured.
    pub bytes: u64,
}

impl Count {
    /// Both counts added, each stopping at `u64::MAX`.
    pub fn saturating_add(self, other: Count) -> Count {
        Count {
            frames: self.frames.saturating_add(other.frames),
            bytes: self.bytes.saturating_add(other.bytes),
        }
    }
}

impl AddAssign for Count {
    fn add_assign(&mut self, other: Count) {
        *self = self.saturating_add(other);
    }
}

/// The summary of the frames counted so far.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Stats {
    /// Frames and bytes in all.
    pub total: Count,
    /// Frames with a truncated or invalid layer.
    pub malformed: u64,
    /// Bad checksums and bad FCSs (offload not counted).
    pub bad_checksums: u64,
    /// Checksums left to the NIC (checksum offload).
    pub offload: u64,
    /// Each frame's own protocol path (quoted layers and the physical layer left out), of
    /// at most [`PACKED`] protocols, packed into one integer.
    paths: HashMap<u128, Count, Fast>,
    /// The paths longer than that (a frame of many VLAN tags).
    long_paths: HashMap<Vec<ProtocolId>, Count, Fast>,
    /// (protocol, kind) -> stops.
    problems: HashMap<(Option<ProtocolId>, ProblemKind), u64, Fast>,
    /// The path of a long frame being counted, kept to reuse its memory.
    scratch: Vec<ProtocolId>,
    /// The latest packed path and the frames of it counted in a row, not yet in `paths`.
    run: (u128, Count),
}

/// How many protocols a path packed into a `u128` holds: one byte each.
const PACKED: usize = 16;

/// `path` packed one byte a protocol (its discriminant plus one, so 0 ends it), or `None`
/// when it has more than [`PACKED`]. Comparing and hashing one integer instead of a list
/// was a twentieth of `--stats`.
fn pack(path: impl Iterator<Item = ProtocolId>) -> Option<u128> {
    let mut key = 0u128;
    for (n, id) in path.enumerate() {
        let shift = u32::try_from(n)
            .ok()
            .filter(|&n| n < PACKED as u32)?
            .wrapping_mul(8);
        key |= u128::from((id as u8).wrapping_add(1)) << shift;
    }
    Some(key)
}

/// The path `key` packs.
fn unpack(key: u128) -> Vec<ProtocolId> {
    key.to_le_bytes()
        .into_iter()
        .take_while(|&b| b != 0)
        .filter_map(|b| ProtocolId::ALL.get(usize::from(b.wrapping_sub(1))).copied())
        .collect()
}

impl Stats {
    /// Counts one frame of `captured` bytes.
    pub fn add(&mut self, d: &Dissection, captured: usize) {
        let count = Count {
            frames: 1,
            bytes: captured as u64,
        };
        self.total = self.total.saturating_add(count);
        let path = || {
            d.layers
                .iter()
                .filter(|l| !l.quoted && l.layer() != OsiLayer::Physical)
                .map(|l| l.protocol)
        };
        match pack(path()) {
            // Neighbouring frames mostly share a path: count a run without hashing it again.
            Some(key) if key == self.run.0 && self.run.1.frames > 0 => {
                self.run.1 = self.run.1.saturating_add(count);
            }
            Some(key) => {
                self.flush_run();
                self.run = (key, count);
            }
            None => {
                self.scratch.clear();
                self.scratch.extend(path());
                match self.long_paths.get_mut(self.scratch.as_slice()) {
                    Some(c) => *c = c.saturating_add(count),
                    None => {
                        self.long_paths.insert(self.scratch.clone(), count);
                    }
                }
            }
        }
        let mut malformed = false;
        for e in &d.errors {
            let kind = ProblemKind::of(e);
            malformed |= kind.is_malformed();
            match kind {
                ProblemKind::ChecksumOffload => self.offload = self.offload.saturating_add(1),
                ProblemKind::BadChecksum | ProblemKind::BadFcs => {
                    self.bad_checksums = self.bad_checksums.saturating_add(1)
                }
                _ => {}
            }
            let n = self.problems.entry((e.protocol, kind)).or_default();
            *n = n.saturating_add(1);
        }
        self.malformed = self.malformed.saturating_add(u64::from(malformed));
    }

    /// Moves the current run of one path into `paths`.
    fn flush_run(&mut self) {
        if self.run.1.frames == 0 {
            return;
        }
        let slot = self.paths.entry(self.run.0).or_default();
        *slot = slot.saturating_add(self.run.1);
        self.run.1 = Count::default();
    }

    /// Every path counted, with the run not yet moved into `paths`.
    fn all_paths(&self) -> impl Iterator<Item = (Vec<ProtocolId>, Count)> + '_ {
        let run = (self.run.1.frames > 0).then_some((self.run.0, self.run.1));
        let packed = self.paths.iter().map(|(k, c)| (*k, *c)).chain(run);
        let long = self.long_paths.iter().map(|(p, c)| (p.clone(), *c));
        packed.map(|(k, c)| (unpack(k), c)).chain(long)
    }

    /// The protocol hierarchy: every path and every prefix of one, with the frames and bytes
    /// that reach it, in the order of their protocol names (a parent before its children).
    pub fn hierarchy(&self) -> Vec<(Vec<ProtocolId>, Count)> {
        let mut tree: BTreeMap<Vec<&'static str>, (Vec<ProtocolId>, Count)> = BTreeMap::new();
        for (path, count) in self.all_paths() {
            for prefix in (1..=path.len()).filter_map(|depth| path.get(..depth)) {
                let names = prefix.iter().map(|p| p.name()).collect();
                let entry = tree
                    .entry(names)
                    .or_insert_with(|| (prefix.to_vec(), Count::default()));
                entry.1 = entry.1.saturating_add(count);
            }
        }
        tree.into_values().collect()
    }

    /// Every (protocol, kind) of problem with its count, in the order of their names.
    pub fn problems(&self) -> Vec<(Option<ProtocolId>, ProblemKind, u64)> {
        let mut out: Vec<_> = self
            .problems
            .iter()
            .map(|((p, k), n)| (*p, *k, *n))
            .collect();
        out.sort_by_key(|(p, k, _)| (p.map_or("link layer", ProtocolId::name), *k));
        out
    }
}

impl AddAssign<&Stats> for Stats {
    fn add_assign(&mut self, other: &Stats) {
        self.total = self.total.saturating_add(other.total);
        self.malformed = self.malformed.saturating_add(other.malformed);
        self.bad_checksums = self.bad_checksums.saturating_add(other.bad_checksums);
        self.offload = self.offload.saturating_add(other.offload);
        self.flush_run();
        let run = (other.run.1.frames > 0).then_some((other.run.0, other.run.1));
        for (key, count) in other.paths.iter().map(|(k, c)| (*k, *c)).chain(run) {
            let slot = self.paths.entry(key).or_default();
            *slot = slot.saturating_add(count);
        }
        for (path, count) in &other.long_paths {
            let slot = self.long_paths.entry(path.clone()).or_default();
            *slot = slot.saturating_add(*count);
        }
        for (key, n) in &other.problems {
            let slot = self.problems.entry(*key).or_default();
            *slot = slot.saturating_add(*n);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{dissect_ethernet, FrameSpec, Ipv4Spec, NetworkSpec, TransportSpec};
    use layers_ethernet::Mac;

    fn udp(payload: &[u8]) -> Vec<u8> {
        FrameSpec {
            source_mac: Mac::derived_from_ipv4([192, 168, 11, 34]),
            destination_mac: Mac::derived_from_ipv4([192, 168, 11, 53]),
            vlan: None,
            network: NetworkSpec::Ipv4(
                Ipv4Spec {
                    source: [192, 168, 11, 34].into(),
                    destination: [192, 168, 11, 53].into(),
                    ttl: 64,
                    identification: 1,
                    dont_fragment: false,
                },
                TransportSpec::Udp {
                    source_port: 51000,
                    destination_port: 9999,
                    payload: payload.to_vec(),
                },
            ),
        }
        .build()
        .unwrap()
    }

    #[test]
    fn a_packed_path_unpacks_to_itself_and_a_longer_one_does_not_pack() {
        for len in 0..=PACKED {
            // Every protocol in every position, the last one included.
            for start in 0..ProtocolId::ALL.len() {
                let path: Vec<ProtocolId> = ProtocolId::ALL
                    .iter()
                    .cycle()
                    .skip(start)
                    .take(len)
                    .copied()
                    .collect();
                let key = pack(path.iter().copied()).expect("short enough to pack");
                assert_eq!(unpack(key), path);
            }
        }
        let long = ProtocolId::ALL.iter().cycle().take(PACKED + 1).copied();
        assert_eq!(pack(long), None);
    }

    #[test]
    fn paths_too_long_to_pack_are_counted_and_merged_too() {
        let deep = |tags: usize| {
            let mut f = udp(b"deep");
            let tag = [0x81, 0x00, 0x00, 0x05];
            for _ in 0..tags {
                f.splice(12..12, tag);
            }
            f
        };
        // 14 tags give a path of 17 protocols (Ethernet, 14 tags, IPv4, UDP, data: 18).
        let frames = [deep(14), udp(b"x"), deep(14), deep(20), udp(b"y")];
        let mut whole = Stats::default();
        for f in &frames {
            whole.add(&dissect_ethernet(f), f.len());
        }
        let mut a = Stats::default();
        let mut b = Stats::default();
        for f in &frames[..2] {
            a.add(&dissect_ethernet(f), f.len());
        }
        for f in &frames[2..] {
            b.add(&dissect_ethernet(f), f.len());
        }
        a += &b;
        assert_eq!(a.hierarchy(), whole.hierarchy());
        let h = whole.hierarchy();
        // How many frames' whole path (ending in their data) is `len` protocols long.
        let count_of = |len: usize| {
            h.iter()
                .filter(|(p, _)| p.len() == len && p.last() == Some(&ProtocolId::Data))
                .map(|(_, c)| c.frames)
                .sum::<u64>()
        };
        assert_eq!(h.first().map(|(p, c)| (p.len(), c.frames)), Some((1, 5)));
        assert_eq!(count_of(4), 2, "the untagged frames");
        assert_eq!(count_of(18), 2, "the 14-tag frames");
        assert_eq!(count_of(24), 1, "the 20-tag frame");
    }

    #[test]
    fn counts_split_any_way_add_up_to_the_same_summary() {
        let frames: Vec<Vec<u8>> = (0..10)
            .map(|i| {
                let f = udp(&[i; 12]);
                if i % 3 == 0 {
                    f[..40].to_vec() // cut inside UDP
                } else {
                    f
                }
            })
            .collect();
        let mut whole = Stats::default();
        for f in &frames {
            whole.add(&dissect_ethernet(f), f.len());
        }
        for split in 0..frames.len() {
            let (mut a, mut b) = (Stats::default(), Stats::default());
            for f in &frames[..split] {
                a.add(&dissect_ethernet(f), f.len());
            }
            for f in &frames[split..] {
                b.add(&dissect_ethernet(f), f.len());
            }
            a += &b;
            assert_eq!(a.hierarchy(), whole.hierarchy(), "split at {split}");
            assert_eq!(a.problems(), whole.problems(), "split at {split}");
            assert_eq!((a.total, a.malformed), (whole.total, whole.malformed));
        }
        assert_eq!(whole.total.frames, 10);
        assert_eq!(whole.malformed, 4);
        let names: Vec<String> = whole
            .hierarchy()
            .iter()
            .map(|(p, c)| format!("{} {}", p.last().unwrap().name(), c.frames))
            .collect();
        assert_eq!(names, ["Ethernet II 10", "IPv4 10", "UDP 10", "data 6"]);
    }
}
