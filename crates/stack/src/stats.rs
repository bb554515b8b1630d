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
    /// Each frame's own protocol path (quoted layers and the physical layer left out).
    paths: HashMap<Vec<ProtocolId>, Count, Fast>,
    /// (protocol, kind) -> stops.
    problems: HashMap<(Option<ProtocolId>, ProblemKind), u64, Fast>,
    /// The path of the frame being counted, kept to reuse its memory.
    scratch: Vec<ProtocolId>,
    /// The latest path and the frames of it counted in a row, not yet in `paths`.
    run: (Vec<ProtocolId>, Count),
}

impl Stats {
    /// Counts one frame of `captured` bytes.
    pub fn add(&mut self, d: &Dissection, captured: usize) {
        let count = Count {
            frames: 1,
            bytes: captured as u64,
        };
        self.total = self.total.saturating_add(count);
        self.scratch.clear();
        self.scratch.extend(
            d.layers
                .iter()
                .filter(|l| !l.quoted && l.layer() != OsiLayer::Physical)
                .map(|l| l.protocol),
        );
        // Neighbouring frames mostly share a path: count a run without hashing it again.
        if self.run.0 == self.scratch && self.run.1.frames > 0 {
            self.run.1 = self.run.1.saturating_add(count);
        } else {
            self.flush_run();
            self.run.0.clone_from(&self.scratch);
            self.run.1 = count;
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
        match self.paths.get_mut(self.run.0.as_slice()) {
            Some(c) => *c = c.saturating_add(self.run.1),
            None => {
                self.paths.insert(self.run.0.clone(), self.run.1);
            }
        }
        self.run.1 = Count::default();
    }

    /// Every path counted, with the run not yet moved into `paths`.
    fn all_paths(&self) -> impl Iterator<Item = (&Vec<ProtocolId>, Count)> {
        let run = (self.run.1.frames > 0).then_some((&self.run.0, self.run.1));
        self.paths.iter().map(|(p, c)| (p, *c)).chain(run)
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
        for (path, count) in other.all_paths() {
            let slot = self.paths.entry(path.clone()).or_default();
            *slot = slot.saturating_add(count);
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
