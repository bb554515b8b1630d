//! Both ends' states, followed through a captured TCP connection segment by segment.

use std::collections::HashSet;

use crate::state::{receive_event, Tcb, TcpEvent, TcpState};
use crate::TcpFlags;

/// One end of a connection, as `address:port`.
pub type Endpoint = String;

/// A segment as a capture shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Seen {
    /// Frame number in the capture.
    pub frame: u64,
    /// Sender.
    pub from: Endpoint,
    /// Receiver.
    pub to: Endpoint,
    /// Flags.
    pub flags: TcpFlags,
    /// Sequence number.
    pub seq: u32,
    /// Acknowledgment number.
    pub ack: u32,
    /// Bytes of data.
    pub len: u32,
}

/// One segment of a followed connection, with both ends' states after it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// The segment.
    pub seen: Seen,
    /// Whether the first end (who sent first) sent it.
    pub from_first: bool,
    /// The first end's state after it.
    pub first: TcpState,
    /// The second end's state after it.
    pub second: TcpState,
    /// Whether it repeats a segment already seen.
    pub retransmission: bool,
}

/// Something abnormal about a connection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Abnormal {
    /// The capture starts after the handshake.
    MissingHandshake,
    /// A RST aborted it, sent by this end.
    Reset(Endpoint),
    /// Segments were sent again.
    Retransmissions(usize),
    /// It was still open when the capture ended: the ends' states.
    StillOpen(TcpState, TcpState),
}

/// A followed connection.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Connection {
    /// The end that sent first (the client, when the capture has the SYN).
    pub first: Endpoint,
    /// The other end.
    pub second: Endpoint,
    /// Its segments.
    pub rows: Vec<Row>,
    /// Who sent the first FIN.
    pub closed_first: Option<Endpoint>,
    /// What is abnormal.
    pub abnormal: Vec<Abnormal>,
}

struct Side {
    tcb: Tcb,
    fin_seq: Option<u32>,
    syn_seq: Option<u32>,
    /// The (sequence, length, SYN/FIN/RST) of every segment this end sent: a hash set, so
    /// finding retransmissions stays linear in the connection's length.
    seen: HashSet<(u32, u32, u16)>,
}

impl Side {
    fn new() -> Side {
        Side {
            tcb: Tcb::default(),
            fin_seq: None,
            syn_seq: None,
            seen: HashSet::new(),
        }
    }
}

/// Follows the segments of one connection (all between the same two ends, in order).
pub fn follow(segments: &[Seen]) -> Option<Connection> {
    let mut f = Follower::new(segments.first()?);
    let rows = segments.iter().map(|s| f.push(s)).collect();
    Some(f.finish(rows))
}

/// Both ends of one connection followed a segment at a time, as they arrive (what
/// `layers capture --tcp-states` needs); [`follow`] runs one over a whole capture.
pub struct Follower {
    first: Endpoint,
    second: Endpoint,
    ends: [Side; 2],
    abnormal: Vec<Abnormal>,
    closed_first: Option<Endpoint>,
    retransmissions: usize,
}

impl Follower {
    /// A connection whose first segment is `first_seen` (not yet pushed).
    pub fn new(first_seen: &Seen) -> Follower {
        let mut ends = [Side::new(), Side::new()];
        let mut abnormal = Vec::new();
        let f0 = first_seen.flags;
        if f0.has(TcpFlags::SYN) && !f0.has(TcpFlags::ACK) {
            // CLOSED always listens.
            let _ = ends[1].tcb.handle(TcpEvent::PassiveOpen);
        } else {
            abnormal.push(Abnormal::MissingHandshake);
            for e in &mut ends {
                e.tcb.state = TcpState::Established;
            }
        }
        Follower {
            first: first_seen.from.clone(),
            second: first_seen.to.clone(),
            ends,
            abnormal,
            closed_first: None,
            retransmissions: 0,
        }
    }

    /// The end that sent first.
    pub fn first(&self) -> &str {
        &self.first
    }

    /// The next segment of the connection, and both ends' states after it.
    pub fn push(&mut self, s: &Seen) -> Row {
        let from_first = s.from == self.first;
        // The segment's sender and receiver.
        let [a, b] = &mut self.ends;
        let (me, peer) = if from_first { (a, b) } else { (b, a) };
        let f = s.flags;
        let marks = f.0 & (TcpFlags::SYN | TcpFlags::FIN | TcpFlags::RST);
        let consumes = s.len > 0 || f.has(TcpFlags::SYN) || f.has(TcpFlags::FIN);
        let key = (s.seq, s.len, marks);
        let retransmission = consumes && me.seen.contains(&key);
        if retransmission {
            self.retransmissions = self.retransmissions.saturating_add(1);
        } else if consumes {
            me.seen.insert(key);
        }
        // The sender's own transitions.
        if !retransmission {
            if f.has(TcpFlags::SYN) && !f.has(TcpFlags::ACK) && me.tcb.state == TcpState::Closed {
                let _ = me.tcb.handle(TcpEvent::ActiveOpen);
            }
            if f.has(TcpFlags::SYN) {
                me.syn_seq = Some(s.seq);
            }
            if f.has(TcpFlags::FIN) {
                if matches!(
                    me.tcb.state,
                    TcpState::Established | TcpState::CloseWait | TcpState::SynReceived
                ) {
                    let _ = me.tcb.handle(TcpEvent::Close);
                }
                me.fin_seq = Some(s.seq.wrapping_add(s.len));
                self.closed_first.get_or_insert_with(|| s.from.clone());
            }
        }
        if f.has(TcpFlags::RST) {
            me.tcb.state = TcpState::Closed;
            let _ = peer.tcb.handle(TcpEvent::RcvRst);
            if peer.tcb.state == TcpState::Listen {
                peer.tcb.state = TcpState::Closed;
            }
            self.abnormal.push(Abnormal::Reset(s.from.clone()));
        } else {
            // The receiver's transitions.
            let acks = |seq: Option<u32>| {
                f.has(TcpFlags::ACK) && seq.is_some_and(|q| s.ack == q.wrapping_add(1))
            };
            let acks_fin = acks(peer.fin_seq);
            let acks_syn = acks(peer.syn_seq);
            let event = receive_event(f, acks_fin, acks_syn, peer.tcb.state);
            if let Some(ev) = event {
                let _ = peer.tcb.handle(ev);
            }
        }
        let [a, b] = &self.ends;
        Row {
            seen: s.clone(),
            from_first,
            first: a.tcb.state,
            second: b.tcb.state,
            retransmission,
        }
    }

    /// The connection, with `rows` (what [`Follower::push`] returned) and what is abnormal.
    pub fn finish(mut self, rows: Vec<Row>) -> Connection {
        if self.retransmissions > 0 {
            self.abnormal
                .push(Abnormal::Retransmissions(self.retransmissions));
        }
        let open =
            |s: TcpState| !matches!(s, TcpState::Closed | TcpState::TimeWait | TcpState::Listen);
        let [a, b] = &self.ends;
        if open(a.tcb.state) || open(b.tcb.state) {
            self.abnormal
                .push(Abnormal::StillOpen(a.tcb.state, b.tcb.state));
        }
        Connection {
            first: self.first,
            second: self.second,
            rows,
            closed_first: self.closed_first,
            abnormal: self.abnormal,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sim::{simulate, Entry, Options, Side as SimSide};

    fn seen_from_sim(o: Options) -> Vec<Seen> {
        simulate(o)
            .into_iter()
            .filter_map(|e| match e {
                Entry::Segment { segment, .. } if !segment.lost => Some(segment),
                _ => None,
            })
            .enumerate()
            .map(|(i, s)| {
                let (from, to) = match s.from {
                    SimSide::Client => ("c:1", "s:2"),
                    SimSide::Server => ("s:2", "c:1"),
                };
                Seen {
                    frame: i as u64 + 1,
                    from: from.into(),
                    to: to.into(),
                    flags: s.flags,
                    seq: s.seq,
                    ack: s.ack,
                    len: s.payload.len() as u32,
                }
            })
            .collect()
    }

    #[test]
    fn a_simulated_conversation_is_followed_to_the_same_states() {
        let c = follow(&seen_from_sim(Options::default())).unwrap();
        let last = c.rows.last().unwrap();
        assert_eq!(
            (last.first, last.second),
            (TcpState::TimeWait, TcpState::Closed)
        );
        assert_eq!(c.closed_first.as_deref(), Some("c:1"));
        assert!(c.abnormal.is_empty(), "{:?}", c.abnormal);
        let states: Vec<TcpState> = c.rows.iter().map(|r| r.second).collect();
        assert_eq!(
            states[..3],
            [
                TcpState::SynReceived,
                TcpState::SynReceived,
                TcpState::Established
            ]
        );
    }

    #[test]
    fn retransmissions_resets_and_missing_handshakes_are_named() {
        use crate::sim::Lose;
        let c = follow(&seen_from_sim(Options {
            lose: Some(Lose::FinalAck),
            ..Options::default()
        }))
        .unwrap();
        assert_eq!(c.abnormal, [Abnormal::Retransmissions(1)]);
        let c = follow(&seen_from_sim(Options {
            rst: true,
            ..Options::default()
        }))
        .unwrap();
        assert_eq!(c.abnormal, [Abnormal::Reset("c:1".into())]);
        let segs = seen_from_sim(Options::default());
        let c = follow(&segs[3..6]).unwrap();
        assert_eq!(c.abnormal[0], Abnormal::MissingHandshake);
        assert!(matches!(
            c.abnormal.last(),
            Some(Abnormal::StillOpen(
                TcpState::Established,
                TcpState::Established
            ))
        ));
    }
}
