//! A TCP conversation simulated on a clock: the three-way handshake, data both ways, the
//! four-way close (or a RST), with one segment lost on demand and retransmitted after the
//! RTO, and TIME_WAIT answering a retransmitted FIN by restarting its 2MSL timer.

use std::collections::BTreeMap;

use crate::state::{receive_event, Reply, Tcb, TcpEvent, TcpState};
use crate::TcpFlags;

/// One end.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Side {
    /// The end that connects.
    Client,
    /// The end that listens.
    Server,
}

impl Side {
    fn other(self) -> Side {
        match self {
            Side::Client => Side::Server,
            Side::Server => Side::Client,
        }
    }
}

/// Which segment to lose once.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lose {
    /// The active closer's last ACK: the passive closer retransmits its FIN.
    FinalAck,
    /// The active closer's FIN.
    Fin,
    /// The server's SYN,ACK.
    SynAck,
    /// The client's data.
    Data,
}

/// Who closes first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Closer {
    /// The client (as in the seed).
    Client,
    /// The server (as HTTP/1.0 does).
    Server,
    /// Both at once: the FINs cross (simultaneous close through CLOSING).
    Both,
}

/// The maximum segment size both ends announce in their SYNs (Ethernet's 1500-byte MTU
/// minus 20 bytes of IPv4 and 20 of TCP header): no segment carries more data.
pub const MSS: usize = 1460;

/// The most data one side may send in a simulation: 20 full segments.
pub const MAX_DATA: usize = 20 * MSS;

/// How the conversation goes.
#[derive(Clone, Debug)]
pub struct Options {
    /// Initial sequence numbers of client and server.
    pub isn: (u32, u32),
    /// What the client sends.
    pub send: Vec<u8>,
    /// What the server answers.
    pub reply: Vec<u8>,
    /// Who closes first.
    pub closer: Closer,
    /// Abort with RST instead of closing.
    pub rst: bool,
    /// A segment to lose once.
    pub lose: Option<Lose>,
    /// The passive closer sends data after the first FIN (half-close).
    pub half_close: bool,
    /// Maximum segment lifetime, ms (TIME_WAIT lasts twice this).
    pub msl_ms: u64,
    /// One-way delay, ms.
    pub delay_ms: u64,
    /// Retransmission timeout, ms.
    pub rto_ms: u64,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            isn: (1000, 5000),
            send: b"hello!".to_vec(),
            reply: "你好".as_bytes().to_vec(),
            closer: Closer::Client,
            rst: false,
            lose: None,
            half_close: false,
            msl_ms: 30_000,
            delay_ms: 10,
            rto_ms: 200,
        }
    }
}

/// A segment on the wire.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Segment {
    /// When it was sent, ms.
    pub sent_ms: u64,
    /// Who sent it.
    pub from: Side,
    /// Its flags.
    pub flags: TcpFlags,
    /// Sequence number.
    pub seq: u32,
    /// Acknowledgment number (0 without ACK).
    pub ack: u32,
    /// Its data.
    pub payload: Vec<u8>,
    /// Lost on the way.
    pub lost: bool,
    /// A retransmission of an earlier segment.
    pub retransmission: bool,
}

/// What the ladder shows, in time order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Entry {
    /// A segment sent, and both ends' states once it has been sent and (unless lost)
    /// received.
    Segment {
        /// The segment.
        segment: Segment,
        /// The sender's state after sending.
        sender: TcpState,
        /// The receiver's state after receiving (unchanged if lost).
        receiver: TcpState,
    },
    /// A timer.
    Timer {
        /// When, ms.
        at_ms: u64,
        /// Whose.
        side: Side,
        /// What it did.
        what: TimerEvent,
    },
}

/// What a timer did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TimerEvent {
    /// TIME_WAIT started: closed at the given time unless a FIN comes again.
    TimeWaitStarted { until_ms: u64 },
    /// A retransmitted FIN restarted the 2MSL wait.
    TimeWaitRestarted { until_ms: u64 },
    /// 2MSL passed: CLOSED.
    TimeWaitExpired,
    /// The RTO fired for an unacknowledged segment.
    Retransmit,
}

struct End {
    tcb: Tcb,
    nxt: u32,
    una: u32,
    rcv: u32,
    /// Unacknowledged segments by the sequence number their ACK must reach.
    unacked: BTreeMap<u32, Segment>,
    fin_seq: Option<u32>,
    sent_data: bool,
    closed_app: bool,
    half_sent: bool,
    time_wait_until: Option<u64>,
}

impl End {
    fn new(isn: u32) -> End {
        End {
            tcb: Tcb::default(),
            nxt: isn,
            una: isn,
            rcv: 0,
            unacked: BTreeMap::new(),
            fin_seq: None,
            sent_data: false,
            closed_app: false,
            half_sent: false,
            time_wait_until: None,
        }
    }
}

#[derive(Debug)]
enum Ev {
    Arrive(Segment),
    /// A lost segment's arrival time: nothing arrives.
    Missed(Segment),
    Rto(Side, u32),
    TimeWait(Side, u64),
}

/// The two ends, one field each, so that no lookup can miss.
struct Ends {
    client: End,
    server: End,
}

impl std::ops::Index<Side> for Ends {
    type Output = End;
    fn index(&self, side: Side) -> &End {
        match side {
            Side::Client => &self.client,
            Side::Server => &self.server,
        }
    }
}

impl std::ops::IndexMut<Side> for Ends {
    fn index_mut(&mut self, side: Side) -> &mut End {
        match side {
            Side::Client => &mut self.client,
            Side::Server => &mut self.server,
        }
    }
}

struct Sim {
    o: Options,
    ends: Ends,
    queue: Vec<(u64, usize, Ev)>,
    order: usize,
    lost_once: bool,
    out: Vec<Entry>,
}

/// Runs the conversation; the result is the ladder in time order.
pub fn simulate(o: Options) -> Vec<Entry> {
    let ends = Ends {
        client: End::new(o.isn.0),
        server: End::new(o.isn.1),
    };
    let mut sim = Sim {
        o,
        ends,
        queue: Vec::new(),
        order: 0,
        lost_once: false,
        out: Vec::new(),
    };
    // A new TCB is CLOSED, which listens and connects.
    let _ = sim.end(Side::Server).tcb.handle(TcpEvent::PassiveOpen);
    let _ = sim.end(Side::Client).tcb.handle(TcpEvent::ActiveOpen);
    sim.send(0, Side::Client, TcpFlags(TcpFlags::SYN), Vec::new());
    // Bounded: at most 20 segments of data each way, their ACKs, a loss and the timers.
    for _ in 0..2000 {
        if sim.queue.is_empty() {
            break;
        }
        sim.queue.sort_by_key(|(t, n, _)| (*t, *n));
        let (now, _, ev) = sim.queue.remove(0);
        match ev {
            Ev::Arrive(seg) => sim.arrive(now, seg),
            Ev::Missed(seg) => sim.set_receiver_state(&seg),
            Ev::Rto(side, seq) => sim.rto(now, side, seq),
            Ev::TimeWait(side, until) => {
                let end = sim.end(side);
                if end.time_wait_until == Some(until) && end.tcb.state == TcpState::TimeWait {
                    // TIME_WAIT (checked just above) times out.
                    let _ = end.tcb.handle(TcpEvent::Timeout);
                    sim.out.push(Entry::Timer {
                        at_ms: now,
                        side,
                        what: TimerEvent::TimeWaitExpired,
                    });
                }
            }
        }
    }
    sim.out
}

impl Sim {
    fn end(&mut self, side: Side) -> &mut End {
        &mut self.ends[side]
    }

    fn push(&mut self, at: u64, ev: Ev) {
        self.order = self.order.saturating_add(1);
        self.queue.push((at, self.order, ev));
    }

    fn should_lose(&mut self, from: Side, flags: TcpFlags, payload: &[u8]) -> bool {
        if self.lost_once {
            return false;
        }
        let active = match self.o.closer {
            Closer::Server => Side::Server,
            _ => Side::Client,
        };
        let hit = match self.o.lose {
            Some(Lose::SynAck) => flags.has(TcpFlags::SYN) && flags.has(TcpFlags::ACK),
            Some(Lose::Data) => from == Side::Client && !payload.is_empty(),
            Some(Lose::Fin) => from == active && flags.has(TcpFlags::FIN),
            Some(Lose::FinalAck) => {
                from == active
                    && flags.0 == TcpFlags::ACK
                    && self.ends[from].tcb.state == TcpState::TimeWait
            }
            None => false,
        };
        self.lost_once |= hit;
        hit
    }

    /// Sends `data` from `from` now, cut into segments of at most [`MSS`] bytes; the last
    /// has PSH set, as a sender sets it on the last segment of a write.
    fn send_data(&mut self, now: u64, from: Side, data: &[u8]) {
        let mut chunks = data.chunks(MSS).peekable();
        while let Some(chunk) = chunks.next() {
            let flags = if chunks.peek().is_none() {
                TcpFlags::PSH | TcpFlags::ACK
            } else {
                TcpFlags::ACK
            };
            self.send(now, from, TcpFlags(flags), chunk.to_vec());
        }
    }

    /// Sends a new segment from `from` now.
    fn send(&mut self, now: u64, from: Side, flags: TcpFlags, payload: Vec<u8>) {
        let end = self.end(from);
        let seq = end.nxt;
        let ack = if flags.has(TcpFlags::ACK) { end.rcv } else { 0 };
        let consumes = (payload.len() as u32)
            .saturating_add(u32::from(flags.has(TcpFlags::SYN)))
            .saturating_add(u32::from(flags.has(TcpFlags::FIN)));
        end.nxt = seq.wrapping_add(consumes);
        if flags.has(TcpFlags::FIN) {
            end.fin_seq = Some(seq);
        }
        let segment = Segment {
            sent_ms: now,
            from,
            flags,
            seq,
            ack,
            payload,
            lost: false,
            retransmission: false,
        };
        if consumes > 0 {
            let until = seq.wrapping_add(consumes);
            end.unacked.insert(until, segment.clone());
            // A SYN or SYN,ACK waits longer before it is sent again (RFC 6298 2.1: the
            // initial RTO, 1 s, before any round trip was measured): the client's SYN timer
            // fires first, as it does on a real network.
            let rto = if flags.has(TcpFlags::SYN) {
                self.o.rto_ms.saturating_mul(5)
            } else {
                self.o.rto_ms
            };
            self.push(now.saturating_add(rto), Ev::Rto(from, until));
        }
        self.transmit(now, segment);
    }

    fn transmit(&mut self, now: u64, mut segment: Segment) {
        segment.lost = self.should_lose(segment.from, segment.flags, &segment.payload);
        let sender = self.ends[segment.from].tcb.state;
        let receiver = self.ends[segment.from.other()].tcb.state;
        // The receiver's state is filled in when the segment arrives.
        self.out.push(Entry::Segment {
            segment: segment.clone(),
            sender,
            receiver,
        });
        let at = now.saturating_add(self.o.delay_ms);
        if segment.lost {
            // The receiver column shows its state when the segment would have arrived.
            self.push(at, Ev::Missed(segment));
        } else {
            self.push(at, Ev::Arrive(segment));
        }
    }

    fn rto(&mut self, now: u64, side: Side, until: u32) {
        let Some(seg) = self.end(side).unacked.get(&until).cloned() else {
            return;
        };
        if self.end(side).tcb.state == TcpState::Closed {
            return;
        }
        self.out.push(Entry::Timer {
            at_ms: now,
            side,
            what: TimerEvent::Retransmit,
        });
        let rto = self.o.rto_ms.saturating_mul(2);
        self.push(now.saturating_add(rto), Ev::Rto(side, until));
        let end = self.end(side);
        let ack = if seg.flags.has(TcpFlags::ACK) {
            end.rcv
        } else {
            0
        };
        let again = Segment {
            sent_ms: now,
            ack,
            lost: false,
            retransmission: true,
            ..seg
        };
        self.transmit(now, again);
    }

    fn set_receiver_state(&mut self, seg: &Segment) {
        let state = self.ends[seg.from.other()].tcb.state;
        for e in self.out.iter_mut().rev() {
            if let Entry::Segment {
                segment, receiver, ..
            } = e
            {
                if segment == seg {
                    *receiver = state;
                    break;
                }
            }
        }
    }

    fn arrive(&mut self, now: u64, seg: Segment) {
        let me = seg.from.other();
        let f = seg.flags;
        // ACKs first: what of ours is acknowledged.
        let mut acked_fin = false;
        let mut acked_syn = false;
        if f.has(TcpFlags::ACK) {
            let end = self.end(me);
            let ack = seg.ack;
            let acked: Vec<u32> = end
                .unacked
                .keys()
                .copied()
                .filter(|u| u.wrapping_sub(ack) as i32 <= 0)
                .collect();
            for s in acked.iter().filter_map(|u| end.unacked.remove(u)) {
                acked_fin |= s.flags.has(TcpFlags::FIN);
                acked_syn |= s.flags.has(TcpFlags::SYN);
            }
            if ack.wrapping_sub(end.una) as i32 > 0 {
                end.una = ack;
            }
        }
        if f.has(TcpFlags::RST) {
            let _ = self.end(me).tcb.handle(TcpEvent::RcvRst);
            self.end(me).unacked.clear();
            self.set_receiver_state(&seg);
            return;
        }
        let consumes = (seg.payload.len() as u32)
            .saturating_add(u32::from(f.has(TcpFlags::SYN)))
            .saturating_add(u32::from(f.has(TcpFlags::FIN)));
        let state = self.ends[me].tcb.state;
        // A SYN again in SYN_RCVD: our SYN,ACK was lost, so it is sent again (once: its own
        // timer may have just resent it).
        if state == TcpState::SynReceived && f.0 == TcpFlags::SYN {
            self.set_receiver_state(&seg);
            let resent_now = self.out.iter().any(|e| {
                matches!(e, Entry::Segment { segment: s, .. }
                    if s.from == me && s.sent_ms == now && s.flags.has(TcpFlags::SYN))
            });
            let syn_ack = self.ends[me]
                .unacked
                .values()
                .find(|s| s.flags.has(TcpFlags::SYN))
                .cloned();
            if let (Some(again), false) = (syn_ack, resent_now) {
                let again = Segment {
                    sent_ms: now,
                    lost: false,
                    retransmission: true,
                    ..again
                };
                self.transmit(now, again);
            }
            return;
        }
        let duplicate = self.ends[me].rcv != 0
            && seg
                .seq
                .wrapping_add(consumes)
                .wrapping_sub(self.ends[me].rcv) as i32
                <= 0
            && consumes > 0;
        if !duplicate && consumes > 0 {
            self.end(me).rcv = seg.seq.wrapping_add(consumes);
        }
        let event = receive_event(f, acked_fin, acked_syn, state);
        let mut reply = None;
        if let Some(ev) = event {
            match self.end(me).tcb.handle(ev) {
                Ok(r) => reply = r,
                Err(_) if duplicate => reply = Some(Reply::Ack),
                Err(_) => {}
            }
        }
        let now_state = self.ends[me].tcb.state;
        self.set_receiver_state(&seg);
        // Entering or staying in TIME_WAIT (re)starts the 2MSL timer.
        let entered = state != TcpState::TimeWait && now_state == TcpState::TimeWait;
        let fin_again = state == TcpState::TimeWait && f.has(TcpFlags::FIN);
        if entered || fin_again {
            let until = now.saturating_add(self.o.msl_ms.saturating_mul(2));
            let restarted = self.ends[me].time_wait_until.is_some();
            self.end(me).time_wait_until = Some(until);
            let what = if restarted {
                TimerEvent::TimeWaitRestarted { until_ms: until }
            } else {
                TimerEvent::TimeWaitStarted { until_ms: until }
            };
            self.out.push(Entry::Timer {
                at_ms: now,
                side: me,
                what,
            });
            self.push(until, Ev::TimeWait(me, until));
        }
        match reply {
            Some(Reply::SynAck) => {
                self.send(now, me, TcpFlags(TcpFlags::SYN | TcpFlags::ACK), Vec::new())
            }
            Some(Reply::Ack) => self.send(now, me, TcpFlags(TcpFlags::ACK), Vec::new()),
            Some(Reply::Syn) | Some(Reply::Fin) | None => {
                // Data needs its ACK too.
                if !seg.payload.is_empty() && !self.answer_data(now, me) {
                    self.send(now, me, TcpFlags(TcpFlags::ACK), Vec::new());
                }
            }
        }
        self.app(now);
    }

    /// The server answers the client's data with its reply (which acknowledges it).
    fn answer_data(&mut self, now: u64, me: Side) -> bool {
        let all_in = self.ends[me].rcv.wrapping_sub(self.o.isn.0.wrapping_add(1)) as usize
            >= self.o.send.len();
        if me == Side::Server
            && all_in
            && !self.ends[me].sent_data
            && self.ends[me].tcb.state == TcpState::Established
            && !self.o.reply.is_empty()
        {
            self.end(me).sent_data = true;
            let reply = self.o.reply.clone();
            self.send_data(now, me, &reply);
            return true;
        }
        false
    }

    /// What the applications do once their state allows: send, then close.
    fn app(&mut self, now: u64) {
        let o = self.o.clone();
        let client_done_talking = {
            let c = &self.ends[Side::Client];
            c.sent_data && c.unacked.is_empty()
        };
        let server_done_talking = {
            let s = &self.ends[Side::Server];
            (s.sent_data || o.reply.is_empty()) && s.unacked.is_empty()
        };
        // The client talks once connected.
        if self.ends[Side::Client].tcb.state == TcpState::Established
            && !self.ends[Side::Client].sent_data
        {
            self.end(Side::Client).sent_data = true;
            if !o.send.is_empty() {
                self.send_data(now, Side::Client, &o.send);
            }
            return;
        }
        let conversation_over = client_done_talking
            && server_done_talking
            && self.ends[Side::Client].rcv == self.ends[Side::Server].nxt;
        let closers: Vec<Side> = match o.closer {
            Closer::Client => vec![Side::Client],
            Closer::Server => vec![Side::Server],
            Closer::Both => vec![Side::Client, Side::Server],
        };
        if conversation_over {
            for side in &closers {
                let end = &self.ends[*side];
                if !end.closed_app && end.tcb.state == TcpState::Established {
                    self.end(*side).closed_app = true;
                    if o.rst {
                        let _ = self.end(*side).tcb.handle(TcpEvent::RcvRst);
                        self.end(*side).unacked.clear();
                        self.send(
                            now,
                            *side,
                            TcpFlags(TcpFlags::RST | TcpFlags::ACK),
                            Vec::new(),
                        );
                    } else {
                        // ESTABLISHED (checked above) closes.
                        let _ = self.end(*side).tcb.handle(TcpEvent::Close);
                        self.send(
                            now,
                            *side,
                            TcpFlags(TcpFlags::FIN | TcpFlags::ACK),
                            Vec::new(),
                        );
                    }
                }
            }
        }
        // The passive closer: after the FIN, optionally a last word (half-close), then its FIN.
        for side in [Side::Client, Side::Server] {
            let end = &self.ends[side];
            if end.tcb.state == TcpState::CloseWait && !end.closed_app {
                if o.half_close && !end.half_sent {
                    self.end(side).half_sent = true;
                    let words = "still talking after your FIN".as_bytes().to_vec();
                    self.send_data(now, side, &words);
                    return;
                }
                if self.ends[side].unacked.is_empty() {
                    self.end(side).closed_app = true;
                    // CLOSE_WAIT (checked above) closes.
                    let _ = self.end(side).tcb.handle(TcpEvent::Close);
                    self.send(
                        now,
                        side,
                        TcpFlags(TcpFlags::FIN | TcpFlags::ACK),
                        Vec::new(),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use TcpState::*;

    fn segments(entries: &[Entry]) -> Vec<(Side, String, TcpState, TcpState, bool)> {
        entries
            .iter()
            .filter_map(|e| match e {
                Entry::Segment {
                    segment,
                    sender,
                    receiver,
                } => Some((
                    segment.from,
                    segment.flags.to_string(),
                    *sender,
                    *receiver,
                    segment.lost,
                )),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn the_seed_conversation_three_data_four() {
        let ladder = simulate(Options::default());
        let s = segments(&ladder);
        use Side::*;
        assert_eq!(
            s,
            [
                (Client, "SYN".into(), SynSent, SynReceived, false),
                (Server, "SYN,ACK".into(), SynReceived, Established, false),
                (Client, "ACK".into(), Established, Established, false),
                (Client, "PSH,ACK".into(), Established, Established, false),
                (Server, "PSH,ACK".into(), Established, Established, false),
                (Client, "ACK".into(), Established, Established, false),
                (Client, "FIN,ACK".into(), FinWait1, CloseWait, false),
                (Server, "ACK".into(), CloseWait, FinWait2, false),
                (Server, "FIN,ACK".into(), LastAck, TimeWait, false),
                (Client, "ACK".into(), TimeWait, Closed, false),
            ]
        );
        assert!(
            matches!(ladder.last(), Some(Entry::Timer { side: Client, what: TimerEvent::TimeWaitExpired, at_ms }) if *at_ms > 60_000)
        );
    }

    #[test]
    fn a_lost_final_ack_restarts_time_wait() {
        let ladder = simulate(Options {
            lose: Some(Lose::FinalAck),
            ..Options::default()
        });
        let s = segments(&ladder);
        let lost: Vec<_> = s.iter().filter(|x| x.4).collect();
        assert_eq!(lost.len(), 1);
        assert_eq!(lost[0].1, "ACK");
        let retransmitted: Vec<&Segment> = ladder
            .iter()
            .filter_map(|e| match e {
                Entry::Segment { segment, .. } if segment.retransmission => Some(segment),
                _ => None,
            })
            .collect();
        assert_eq!(retransmitted.len(), 1);
        assert!(retransmitted[0].flags.has(TcpFlags::FIN) && retransmitted[0].from == Side::Server);
        assert!(ladder.iter().any(|e| matches!(
            e,
            Entry::Timer {
                side: Side::Client,
                what: TimerEvent::TimeWaitRestarted { .. },
                ..
            }
        )));
        assert_eq!(
            s.last().unwrap().3,
            Closed,
            "the server closes on the second ACK"
        );
    }

    #[test]
    fn every_loss_is_retransmitted_and_the_connection_still_closes() {
        for lose in [Lose::Fin, Lose::SynAck, Lose::Data, Lose::FinalAck] {
            let ladder = simulate(Options {
                lose: Some(lose),
                ..Options::default()
            });
            let s = segments(&ladder);
            assert_eq!(s.iter().filter(|x| x.4).count(), 1, "{lose:?}");
            let re = ladder
                .iter()
                .filter(|e| matches!(e, Entry::Segment { segment, .. } if segment.retransmission))
                .count();
            // A lost SYN,ACK: the client's SYN timer fires (1 s) and then the server's own.
            let want = if lose == Lose::SynAck { 2 } else { 1 };
            assert_eq!(re, want, "{lose:?}: {s:?}");
            assert!(
                matches!(
                    ladder.last(),
                    Some(Entry::Timer {
                        what: TimerEvent::TimeWaitExpired,
                        ..
                    })
                ),
                "{lose:?}"
            );
        }
    }

    #[test]
    fn server_close_half_close_simultaneous_close_and_rst() {
        let s = segments(&simulate(Options {
            closer: Closer::Server,
            ..Options::default()
        }));
        assert_eq!(s[6].0, Side::Server);
        assert_eq!((s[6].2, s[6].3), (FinWait1, CloseWait));
        let s = segments(&simulate(Options {
            half_close: true,
            ..Options::default()
        }));
        let after_fin = s.iter().skip_while(|x| x.1 != "FIN,ACK").nth(2).unwrap();
        assert_eq!(
            (after_fin.0, after_fin.1.as_str(), after_fin.2),
            (Side::Server, "PSH,ACK", CloseWait),
            "data after the first FIN"
        );
        let both = simulate(Options {
            closer: Closer::Both,
            ..Options::default()
        });
        let s = segments(&both);
        assert!(s.iter().any(|x| x.3 == Closing), "the FINs cross: {s:?}");
        let waits = both
            .iter()
            .filter(|e| {
                matches!(
                    e,
                    Entry::Timer {
                        what: TimerEvent::TimeWaitExpired,
                        ..
                    }
                )
            })
            .count();
        assert_eq!(waits, 2, "both ends wait in TIME_WAIT");
        let s = segments(&simulate(Options {
            rst: true,
            ..Options::default()
        }));
        assert_eq!(s.last().unwrap().1, "RST,ACK");
        assert_eq!((s.last().unwrap().2, s.last().unwrap().3), (Closed, Closed));
    }
}
