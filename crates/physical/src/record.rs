//! The end of a walk, when the other layers have said where the packet ends: the physical
//! layer's record (the frame's bits and what the PHY adds around them: preamble, SFD, gap),
//! and the MAC's part of an Ethernet frame, added to its data link record: the padding up
//! to the 60-byte minimum and the FCS (IEEE 802.3 clause 3 and 4: both are the MAC's, the
//! data link layer's, not the physical layer's).

use layers_osi::{Cursor, FieldValue as Value, ProtocolId, Span, StopKind};

/// Ends a walk: puts the physical record first and, on Ethernet, gives the frame's own data
/// link record its padding and FCS (checked where the capture kept it: `fcs`); says so when
/// the capture kept less than the wire carried (`original_length`). Linux loopback frames
/// (both MACs zero) never met a NIC: nothing is added to them.
pub fn finish(mut c: Cursor<'_, '_>, ethernet: bool, original_length: usize, fcs: Option<&[u8]>) {
    let frame = c.frame;
    let len = frame.len();
    // Only an Ethernet link says the medium; a cooked or raw-IP capture has just bits.
    let phy = if ethernet {
        ProtocolId::EthernetPhy
    } else {
        ProtocolId::Bits
    };
    let mut rec = c.record(phy, Span::new(0, len), Span::new(0, 0), 4);
    rec.push_at("bits", Span::new(0, len), len.saturating_mul(8));
    let loopback = ethernet && frame.get(..12).is_some_and(|macs| macs == [0; 12]);
    let wire = ethernet && !loopback;
    let start = Span::new(0, 0);
    let after = Span::new(len, len);
    if wire && !c.summary {
        rec.push_at("preamble", start, Value::Bytes(crate::PREAMBLE.to_vec()));
        let sfd = Value::Hex {
            value: u64::from(crate::SFD),
            digits: 2,
        };
        rec.push_at("sfd", start, sfd);
        rec.push_at("interframe_gap", after, crate::INTERFRAME_GAP);
    }
    // The summary path keeps no field: only a kept FCS needs checking. A frame cut short
    // (by the snap length, or inside its own MAC header) has no trailer to compute.
    let whole = original_length <= len && len >= 14;
    if wire && whole && (!c.summary || fcs.is_some()) {
        mac_trailer(&mut c, fcs);
    }
    if original_length > len {
        let kind = StopKind::SnapLength {
            captured: len,
            original: original_length,
        };
        c.stop(phy, len, kind);
    }
    c.finish(rec);
}

/// The MAC's padding and FCS, as fields of the frame's outermost Ethernet record (Ethernet
/// II or 802.3); a bad kept FCS is a stop of Ethernet's.
fn mac_trailer(c: &mut Cursor<'_, '_>, fcs: Option<&[u8]>) {
    let frame = c.frame;
    let len = frame.len();
    let content_end = c.packet_end.unwrap_or(len).min(len);
    let padding = len
        .saturating_sub(content_end)
        .saturating_add(crate::padding_for(len));
    // As Wireshark shows it: the four bytes in the order they follow the frame.
    let computed = crate::padded_fcs_bytes(frame);
    let mut bad = None;
    if let Some(eth) = c.record_mut(&[ProtocolId::Ethernet2, ProtocolId::Ieee8023]) {
        eth.push_at("padding", Span::new(content_end, len), padding);
        match fcs {
            Some(found) => {
                let span = Span::new(len, len.saturating_add(found.len()));
                eth.push_at("fcs", span, fcs_value(found));
                let valid = found == computed;
                eth.push_at("fcs_valid", span, valid);
                if !valid {
                    bad = Some(found);
                }
            }
            None => eth.push_at("fcs", Span::new(len, len), fcs_value(&computed)),
        }
    }
    if let Some(found) = bad {
        let be = |b: &[u8]| b.iter().fold(0u32, |a, x| (a << 8) | u32::from(*x));
        let kind = StopKind::BadFcs {
            found: be(found),
            expected: be(&computed),
        };
        c.stop(ProtocolId::Ethernet2, len, kind);
    }
}

/// An FCS as Wireshark shows it: `0x` and its four bytes in the order they follow the frame.
fn fcs_value(bytes: &[u8]) -> Value {
    Value::Hex {
        value: bytes.iter().fold(0u64, |a, b| (a << 8) | u64::from(*b)),
        digits: u8::try_from(bytes.len().saturating_mul(2)).unwrap_or(u8::MAX),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use layers_osi::Dissection;

    /// A 60-byte frame (42 bytes of ARP, 18 of padding) and its CRC-32 in wire order.
    fn frame_and_fcs() -> (Vec<u8>, [u8; 4]) {
        let mut frame = vec![0xffu8; 6];
        frame.extend_from_slice(&[0x02, 0, 0x0a, 0x63, 0, 1, 0x08, 0x06]);
        frame.resize(42, 0x01);
        frame.resize(60, 0);
        let fcs = crate::fcs_bytes(&frame);
        (frame, fcs)
    }

    fn end_walk(frame: &[u8], fcs: Option<&[u8]>, original: usize) -> Dissection {
        let mut out = Dissection::default();
        let mut c = Cursor::new(frame, &mut out, false, original);
        c.push(layers_osi::LayerRecord::new(
            ProtocolId::Ethernet2,
            Span::new(0, frame.len()),
            Span::new(0, 14),
        ));
        c.set_packet_end(42);
        finish(c, true, original, fcs);
        out
    }

    #[test]
    fn padding_is_what_follows_the_packet_and_a_kept_fcs_is_checked() {
        let (frame, fcs) = frame_and_fcs();
        let d = end_walk(&frame, Some(&fcs), 60);
        let phy = &d.layers[0];
        assert_eq!(phy.protocol, ProtocolId::EthernetPhy);
        // Padding and FCS are the MAC's: the data link record's, not the physical one's.
        assert!(phy.field("padding").is_none() && phy.field("fcs").is_none());
        assert!(phy.field("preamble").is_some() && phy.field("sfd").is_some());
        let eth = &d.layers[1];
        assert_eq!(eth.protocol, ProtocolId::Ethernet2);
        assert_eq!(eth.field("padding").unwrap().value.text(), "18");
        assert_eq!(eth.field("padding").unwrap().span, Span::new(42, 60));
        assert_eq!(eth.field("fcs_valid").unwrap().value.text(), "true");
        assert_eq!(eth.field("fcs").unwrap().span, Span::new(60, 64));
        assert!(d.errors.is_empty());
        let mut bad = fcs;
        bad[0] ^= 1;
        let d = end_walk(&frame, Some(&bad), 60);
        assert_eq!(d.errors[0].protocol, Some(ProtocolId::Ethernet2));
        assert!(matches!(d.errors[0].kind, StopKind::BadFcs { .. }));
    }

    #[test]
    fn loopback_frames_get_no_preamble_padding_or_fcs() {
        let mut frame = vec![0u8; 12];
        frame.extend_from_slice(&[0x08, 0x00]);
        frame.resize(42, 0x45);
        let d = end_walk(&frame, None, 42);
        let names: Vec<&str> = d
            .layers
            .iter()
            .flat_map(|l| l.fields.iter().map(|f| f.name))
            .collect();
        assert_eq!(names, ["bits"], "{names:?}");
    }

    #[test]
    fn a_frame_cut_by_the_capture_says_how_much_the_wire_had() {
        let (frame, _) = frame_and_fcs();
        let d = end_walk(&frame[..50], None, 60);
        assert!(matches!(
            d.errors[0].kind,
            StopKind::SnapLength {
                captured: 50,
                original: 60
            }
        ));
        assert_eq!(d.errors[0].offset, 50);
    }
}
