//! The TCP connection state machine of RFC 9293 (section 3.3.2, figure 5), driven by
//! events: the user's OPEN and CLOSE, segments arriving, and the 2MSL timeout.

use std::fmt;

use layers_osi::Text;

use crate::TcpFlags;

/// A connection state.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum TcpState {
    /// No connection.
    Closed,
    /// Waiting for a SYN (a server after listen()).
    Listen,
    /// SYN sent, waiting for the SYN,ACK.
    SynSent,
    /// SYN received and SYN,ACK sent, waiting for the ACK.
    SynReceived,
    /// Open: data flows both ways.
    Established,
    /// FIN sent (active close), waiting for its ACK.
    FinWait1,
    /// Our FIN is acknowledged; the other side may still send.
    FinWait2,
    /// The other side's FIN received; our application has not closed yet.
    CloseWait,
    /// Both sides sent FIN at once; waiting for the ACK of ours.
    Closing,
    /// Our FIN sent after theirs (passive close), waiting for its ACK.
    LastAck,
    /// Waiting 2MSL so a lost final ACK can be sent again.
    TimeWait,
}

impl TcpState {
    /// Every state, in the order of the RFC's diagram.
    pub const ALL: [TcpState; 11] = [
        TcpState::Closed,
        TcpState::Listen,
        TcpState::SynSent,
        TcpState::SynReceived,
        TcpState::Established,
        TcpState::FinWait1,
        TcpState::FinWait2,
        TcpState::CloseWait,
        TcpState::Closing,
        TcpState::LastAck,
        TcpState::TimeWait,
    ];

    /// The name as netstat and the course write it (`SYN_SENT`).
    pub fn name(self) -> &'static str {
        match self {
            TcpState::Closed => "CLOSED",
            TcpState::Listen => "LISTEN",
            TcpState::SynSent => "SYN_SENT",
            TcpState::SynReceived => "SYN_RCVD",
            TcpState::Established => "ESTABLISHED",
            TcpState::FinWait1 => "FIN_WAIT_1",
            TcpState::FinWait2 => "FIN_WAIT_2",
            TcpState::CloseWait => "CLOSE_WAIT",
            TcpState::Closing => "CLOSING",
            TcpState::LastAck => "LAST_ACK",
            TcpState::TimeWait => "TIME_WAIT",
        }
    }

    /// What the state means.
    pub fn about(self) -> Text {
        match self {
            TcpState::Closed => Text::new("no connection", "没有连接"),
            TcpState::Listen => Text::new("waiting for a SYN", "等待 SYN"),
            TcpState::SynSent => Text::new(
                "SYN sent: \"can you hear me?\"",
                "已发 SYN:「喂,你听得到吗?」",
            ),
            TcpState::SynReceived => {
                Text::new("SYN received, SYN,ACK sent", "收到 SYN,已回 SYN,ACK")
            }
            TcpState::Established => {
                Text::new("connected: data flows both ways", "已连接:双向传数据")
            }
            TcpState::FinWait1 => Text::new(
                "our FIN sent: \"I'm done talking\"",
                "已发 FIN:「我不说了」",
            ),
            TcpState::FinWait2 => Text::new(
                "our FIN acknowledged; the other side may still talk",
                "我方 FIN 已被确认;对方还可以说",
            ),
            TcpState::CloseWait => Text::new(
                "their FIN received; our side still open",
                "收到对方 FIN;我方尚未关闭",
            ),
            TcpState::Closing => Text::new("both FINs crossed", "双方的 FIN 交错"),
            TcpState::LastAck => Text::new(
                "our FIN sent last; waiting for its ACK",
                "最后发出 FIN;等待确认",
            ),
            TcpState::TimeWait => Text::new(
                "waiting 2MSL in case the last ACK is lost",
                "等待 2MSL,以防最后的 ACK 丢失",
            ),
        }
    }

    /// Whether the handshake has completed (RFC 9293's synchronized states).
    pub fn synchronized(self) -> bool {
        !matches!(
            self,
            TcpState::Closed | TcpState::Listen | TcpState::SynSent | TcpState::SynReceived
        )
    }
}

impl fmt::Display for TcpState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// What happens to a connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TcpEvent {
    /// The application listens (a server).
    PassiveOpen,
    /// The application connects (a client): sends SYN.
    ActiveOpen,
    /// The application closes: sends FIN (or, before the handshake, just stops).
    Close,
    /// A SYN (without ACK) arrives.
    RcvSyn,
    /// A SYN,ACK acknowledging our SYN arrives.
    RcvSynAck,
    /// An ACK of our SYN arrives (the handshake's third segment).
    RcvAckOfSyn,
    /// A FIN arrives that does not acknowledge a FIN of ours.
    RcvFin,
    /// A FIN arrives that also acknowledges our FIN.
    RcvFinAckOfFin,
    /// An ACK of our FIN arrives.
    RcvAckOfFin,
    /// A RST arrives.
    RcvRst,
    /// The 2MSL timer runs out.
    Timeout,
}

impl TcpEvent {
    /// Every event.
    pub const ALL: [TcpEvent; 11] = [
        TcpEvent::PassiveOpen,
        TcpEvent::ActiveOpen,
        TcpEvent::Close,
        TcpEvent::RcvSyn,
        TcpEvent::RcvSynAck,
        TcpEvent::RcvAckOfSyn,
        TcpEvent::RcvFin,
        TcpEvent::RcvFinAckOfFin,
        TcpEvent::RcvAckOfFin,
        TcpEvent::RcvRst,
        TcpEvent::Timeout,
    ];
}

/// The event an arriving segment is for an end in `state`: by its flags, and by whether
/// it acknowledges that end's FIN or SYN. A RST is left to the caller (it aborts before
/// anything else is read); a segment that changes no state is `None`.
pub fn receive_event(
    flags: TcpFlags,
    acks_fin: bool,
    acks_syn: bool,
    state: TcpState,
) -> Option<TcpEvent> {
    let syn = flags.has(TcpFlags::SYN);
    let fin = flags.has(TcpFlags::FIN);
    Some(match () {
        _ if syn && flags.has(TcpFlags::ACK) => TcpEvent::RcvSynAck,
        _ if syn => TcpEvent::RcvSyn,
        _ if fin && acks_fin => TcpEvent::RcvFinAckOfFin,
        _ if fin => TcpEvent::RcvFin,
        _ if acks_fin => TcpEvent::RcvAckOfFin,
        _ if acks_syn && state == TcpState::SynReceived => TcpEvent::RcvAckOfSyn,
        _ => return None,
    })
}

/// What a segment to send carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reply {
    /// SYN.
    Syn,
    /// SYN,ACK.
    SynAck,
    /// ACK.
    Ack,
    /// FIN (with ACK).
    Fin,
}

/// A transition the diagram does not have for this state.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NoTransition {
    /// The state.
    pub state: TcpState,
    /// The event.
    pub event: TcpEvent,
}

/// One end of a connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tcb {
    /// Its state.
    pub state: TcpState,
    /// Whether it was opened passively (a RST in SYN_RCVD returns it to LISTEN).
    pub passive: bool,
}

impl Default for Tcb {
    fn default() -> Self {
        Tcb {
            state: TcpState::Closed,
            passive: false,
        }
    }
}

impl Tcb {
    /// Applies `event`; returns what to send, if anything.
    pub fn handle(&mut self, event: TcpEvent) -> Result<Option<Reply>, NoTransition> {
        let (next, reply) = transition(self.state, event, self.passive).ok_or(NoTransition {
            state: self.state,
            event,
        })?;
        if event == TcpEvent::PassiveOpen {
            self.passive = true;
        }
        if event == TcpEvent::ActiveOpen {
            self.passive = false;
        }
        self.state = next;
        Ok(reply)
    }
}

/// The diagram: the next state and what to send, or `None` where the diagram has no arrow.
pub fn transition(
    state: TcpState,
    event: TcpEvent,
    passive: bool,
) -> Option<(TcpState, Option<Reply>)> {
    use TcpEvent::*;
    use TcpState::*;
    Some(match (state, event) {
        (Closed, PassiveOpen) => (Listen, None),
        (Closed, ActiveOpen) => (SynSent, Some(Reply::Syn)),
        (Listen, RcvSyn) => (SynReceived, Some(Reply::SynAck)),
        (Listen, ActiveOpen) => (SynSent, Some(Reply::Syn)),
        (Listen, Close) => (Closed, None),
        (Listen, RcvRst) => (Listen, None),
        // Simultaneous open: each side's SYN crosses the other's.
        (SynSent, RcvSyn) => (SynReceived, Some(Reply::SynAck)),
        (SynSent, RcvSynAck) => (Established, Some(Reply::Ack)),
        (SynSent, Close) => (Closed, None),
        (SynSent, RcvRst) => (Closed, None),
        (SynReceived, RcvAckOfSyn) => (Established, None),
        // The other simultaneous opener's SYN,ACK completes ours.
        (SynReceived, RcvSynAck) => (Established, Some(Reply::Ack)),
        (SynReceived, Close) => (FinWait1, Some(Reply::Fin)),
        (SynReceived, RcvRst) => (if passive { Listen } else { Closed }, None),
        (Established, Close) => (FinWait1, Some(Reply::Fin)),
        (Established, RcvFin) => (CloseWait, Some(Reply::Ack)),
        (FinWait1, RcvAckOfFin) => (FinWait2, None),
        // Simultaneous close.
        (FinWait1, RcvFin) => (Closing, Some(Reply::Ack)),
        (FinWait1, RcvFinAckOfFin) => (TimeWait, Some(Reply::Ack)),
        (FinWait2, RcvFin | RcvFinAckOfFin) => (TimeWait, Some(Reply::Ack)),
        (CloseWait, Close) => (LastAck, Some(Reply::Fin)),
        (Closing, RcvAckOfFin) => (TimeWait, None),
        (LastAck, RcvAckOfFin) => (Closed, None),
        // A retransmitted FIN: the final ACK was lost. Send it again, wait 2MSL again.
        (TimeWait, RcvFin | RcvFinAckOfFin) => (TimeWait, Some(Reply::Ack)),
        (TimeWait, Timeout) => (Closed, None),
        // A RST in a synchronized state aborts the connection.
        (Established | FinWait1 | FinWait2 | CloseWait | Closing | LastAck | TimeWait, RcvRst) => {
            (Closed, None)
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use TcpEvent::*;
    use TcpState::*;

    fn run(start: &[TcpEvent], events: &[TcpEvent]) -> (Vec<TcpState>, Vec<Option<Reply>>) {
        let mut t = Tcb::default();
        for e in start {
            t.handle(*e).unwrap();
        }
        let mut states = Vec::new();
        let mut replies = Vec::new();
        for e in events {
            replies.push(t.handle(*e).unwrap_or_else(|e| panic!("{e:?}")));
            states.push(t.state);
        }
        (states, replies)
    }

    #[test]
    fn the_seed_handshake_and_four_way_close() {
        let (client, sent) = run(
            &[],
            &[ActiveOpen, RcvSynAck, Close, RcvAckOfFin, RcvFin, Timeout],
        );
        assert_eq!(
            client,
            [SynSent, Established, FinWait1, FinWait2, TimeWait, Closed]
        );
        assert_eq!(
            sent,
            [
                Some(Reply::Syn),
                Some(Reply::Ack),
                Some(Reply::Fin),
                None,
                Some(Reply::Ack),
                None
            ]
        );
        let (server, sent) = run(
            &[PassiveOpen],
            &[RcvSyn, RcvAckOfSyn, RcvFin, Close, RcvAckOfFin],
        );
        assert_eq!(
            server,
            [SynReceived, Established, CloseWait, LastAck, Closed]
        );
        assert_eq!(
            sent,
            [
                Some(Reply::SynAck),
                None,
                Some(Reply::Ack),
                Some(Reply::Fin),
                None
            ]
        );
    }

    #[test]
    fn simultaneous_open_and_simultaneous_close() {
        let (s, _) = run(&[], &[ActiveOpen, RcvSyn, RcvSynAck]);
        assert_eq!(s, [SynSent, SynReceived, Established]);
        let (s, sent) = run(
            &[ActiveOpen, RcvSynAck],
            &[Close, RcvFin, RcvAckOfFin, Timeout],
        );
        assert_eq!(s, [FinWait1, Closing, TimeWait, Closed]);
        assert_eq!(sent[1], Some(Reply::Ack));
        let (s, _) = run(&[ActiveOpen, RcvSynAck], &[Close, RcvFinAckOfFin]);
        assert_eq!(
            s,
            [FinWait1, TimeWait],
            "FIN and the ACK of ours in one segment"
        );
    }

    #[test]
    fn time_wait_answers_a_retransmitted_fin() {
        let (s, sent) = run(
            &[ActiveOpen, RcvSynAck, Close, RcvAckOfFin, RcvFin],
            &[RcvFin, RcvFin, Timeout],
        );
        assert_eq!(s, [TimeWait, TimeWait, Closed]);
        assert_eq!(sent, [Some(Reply::Ack), Some(Reply::Ack), None]);
    }

    #[test]
    fn rst_in_each_state() {
        let paths: [(&[TcpEvent], TcpState, TcpState); 10] = [
            (&[PassiveOpen], Listen, Listen),
            (&[ActiveOpen], SynSent, Closed),
            (&[PassiveOpen, RcvSyn], SynReceived, Listen),
            (&[ActiveOpen, RcvSyn], SynReceived, Closed),
            (&[ActiveOpen, RcvSynAck], Established, Closed),
            (&[ActiveOpen, RcvSynAck, Close], FinWait1, Closed),
            (
                &[ActiveOpen, RcvSynAck, Close, RcvAckOfFin],
                FinWait2,
                Closed,
            ),
            (
                &[PassiveOpen, RcvSyn, RcvAckOfSyn, RcvFin],
                CloseWait,
                Closed,
            ),
            (&[ActiveOpen, RcvSynAck, Close, RcvFin], Closing, Closed),
            (
                &[PassiveOpen, RcvSyn, RcvAckOfSyn, RcvFin, Close],
                LastAck,
                Closed,
            ),
        ];
        for (path, before, after) in paths {
            let mut t = Tcb::default();
            for e in path {
                t.handle(*e).unwrap();
            }
            assert_eq!(t.state, before, "{path:?}");
            t.handle(RcvRst).unwrap();
            assert_eq!(t.state, after, "RST in {before}");
        }
        let mut t = Tcb::default();
        for e in [ActiveOpen, RcvSynAck, Close, RcvAckOfFin, RcvFin] {
            t.handle(e).unwrap();
        }
        assert_eq!(t.state, TimeWait);
        t.handle(RcvRst).unwrap();
        assert_eq!(t.state, Closed);
    }

    #[test]
    fn every_arrow_of_the_diagram_and_nothing_else() {
        let arrows = TcpState::ALL
            .iter()
            .flat_map(|s| {
                TcpEvent::ALL
                    .iter()
                    .filter(move |e| transition(*s, **e, false).is_some())
                    .map(move |e| (*s, *e))
            })
            .count();
        assert_eq!(
            arrows, 34,
            "the RFC 9293 diagram's arrows, the RST aborts and TIME_WAIT's retransmitted FIN"
        );
        assert_eq!(
            Tcb::default().handle(RcvFin),
            Err(NoTransition {
                state: Closed,
                event: RcvFin
            })
        );
        assert!(!SynSent.synchronized() && TimeWait.synchronized());
    }
}
