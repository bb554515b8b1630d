#!/usr/bin/env python3
"""Writes a deterministic, realistic mixed capture for the decode benchmark, and its ground
truth: how many frames take each protocol path.

  bench/gen-capture.py FRAMES OUT.pcap [--seed N]

The same FRAMES and seed give the same bytes on every machine. Standard library only; it
sends nothing. The mix, by frames (roughly):
  ~60 %  IPv4 TCP conversations: handshake with MSS/SACK/timestamps/window scale, requests
         and responses of 0-1460 bytes (HTTP on port 80, opaque data on 443 and 5432),
         the four-way close; a few of them over IPv6
  ~25 %  UDP: DNS queries and answers on port 53, opaque datagrams (QUIC-like on 443)
  ~5 %   ARP requests and replies
  ~5 %   frames behind an 802.1Q tag, some of them behind two (QinQ)
  ~2 %   ICMP echo and errors, IPv4 with options, IPv4 fragments
  ~1 %   malformed or cut: TCP cut by a 60-byte snap length, IHL below 5, lying UDP length
Every checksum is right, except where a frame is broken on purpose.

Ground truth goes to OUT.pcap.truth.json: {"frames": N, "bytes": B, "paths": {"Ethernet
II/IPv4/TCP/HTTP": n, ...}} in the protocol names `layers` prints (the path it should find
for each frame, from how the frame was built).
"""
import json
import random
import struct
import sys

T0 = 1732500000


def csum(data):
    if len(data) % 2:
        data += b"\x00"
    s = sum(struct.unpack(f">{len(data) // 2}H", data))
    while s >> 16:
        s = (s & 0xFFFF) + (s >> 16)
    return ~s & 0xFFFF


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)
        self.noise = bytes(self.r.getrandbits(8) for _ in range(1 << 16))
        self.out = []  # (frame bytes, captured length or None, path)
        self.ident = 1

    def payload(self, n):
        at = self.r.randrange(0, len(self.noise) - n - 1)
        return self.noise[at : at + n]

    # --- layers -------------------------------------------------------------------------
    def ipv4(self, src, dst, proto, payload, ttl=64, options=b"", flags=0x4000, total=None):
        ihl = 5 + len(options) // 4
        self.ident = (self.ident + 1) & 0xFFFF
        length = 4 * ihl + len(payload) if total is None else total
        h = struct.pack(">BBHHHBBH4s4s", 0x40 | ihl, 0, length, self.ident, flags, ttl, proto, 0, src, dst) + options
        return h[:10] + struct.pack(">H", csum(h)) + h[12:] + payload

    def ipv6(self, src, dst, nxt, payload):
        return struct.pack(">IHBB16s16s", 0x60000000, len(payload), nxt, 64, src, dst) + payload

    @staticmethod
    def pseudo(src, dst, proto, length):
        if len(src) == 4:
            return src + dst + struct.pack(">BBH", 0, proto, length)
        return src + dst + struct.pack(">IBBBB", length, 0, 0, 0, proto)

    def tcp(self, src, dst, sport, dport, flags, seq, ack, payload=b"", options=b""):
        off = (20 + len(options)) // 4
        h = struct.pack(">HHIIBBHHH", sport, dport, seq & 0xFFFFFFFF, ack & 0xFFFFFFFF, off << 4, flags, 65535, 0, 0) + options
        c = csum(self.pseudo(src, dst, 6, len(h) + len(payload)) + h + payload)
        return h[:16] + struct.pack(">H", c) + h[18:] + payload

    def udp(self, src, dst, sport, dport, payload, length=None):
        n = 8 + len(payload)
        h = struct.pack(">HHHH", sport, dport, n if length is None else length, 0)
        c = csum(self.pseudo(src, dst, 17, n) + struct.pack(">HHHH", sport, dport, n, 0) + payload) or 0xFFFF
        return h[:6] + struct.pack(">H", c) + payload

    @staticmethod
    def eth(dst, src, ethertype, payload, tags=()):
        out = dst + src
        for tpid, vid in tags:
            out += struct.pack(">HH", tpid, vid)
        return out + struct.pack(">H", ethertype) + payload

    # --- hosts --------------------------------------------------------------------------
    def host(self):
        n = self.r.randrange(2, 250)
        return bytes([192, 168, 11, n]), bytes([2, 0, 0xC0, 0xA8, 0x0B, n])

    def server(self):
        n = self.r.randrange(1, 60)
        return bytes([203, 0, 113, n]), bytes([2, 0, 0xCB, 0, 0x71, n])

    def emit(self, frame, path, cap=None):
        # Ethernet pads to 60 bytes; the capture shows the padding.
        if len(frame) < 60:
            frame += b"\x00" * (60 - len(frame))
        self.out.append((frame, cap, path))

    def link(self, dst_mac, src_mac, ethertype, payload, path):
        """An Ethernet frame, now and then behind one or two VLAN tags (~5 %)."""
        roll = self.r.random()
        if roll < 0.04:
            tags = [(0x8100, self.r.randrange(1, 4095))]
            prefix = "Ethernet II/802.1Q/"
        elif roll < 0.05:
            tags = [(0x88A8, self.r.randrange(1, 4095)), (0x8100, self.r.randrange(1, 4095))]
            prefix = "Ethernet II/802.1Q/802.1Q/"
        else:
            tags = []
            prefix = "Ethernet II/"
        return self.eth(dst_mac, src_mac, ethertype, payload, tags), prefix + path

    # --- traffic ------------------------------------------------------------------------
    def conversation(self, v6=False):
        cip, cmac = self.host()
        sip, smac = self.server()
        if v6:
            cip = bytes.fromhex("20010db8000000000000000000000000")[:-1] + cip[-1:]
            sip = bytes.fromhex("20010db8000100000000000000000000")[:-1] + sip[-1:]
        port = self.r.choice([80, 80, 443, 443, 443, 5432])
        cport = self.r.randrange(49152, 65535)
        cseq, sseq = self.r.getrandbits(32), self.r.getrandbits(32)
        syn_opts = bytes.fromhex("020405b4" "0402" "080a") + struct.pack(">II", self.r.getrandbits(32), 0) + bytes.fromhex("01030307")
        app = "HTTP" if port == 80 else "data"

        def seg(frm_client, flags, seq, ack, data=b"", options=b""):
            a, b = (cip, sip) if frm_client else (sip, cip)
            pa, pb = (cport, port) if frm_client else (port, cport)
            t = self.tcp(a, b, pa, pb, flags, seq, ack, data, options)
            ip = self.ipv6(a, b, 6, t) if v6 else self.ipv4(a, b, 6, t)
            macs = (smac, cmac) if frm_client else (cmac, smac)
            net = "IPv6" if v6 else "IPv4"
            path = f"{net}/TCP/{app}" if data else f"{net}/TCP"
            frame, path = self.link(macs[0], macs[1], 0x86DD if v6 else 0x0800, ip, path)
            self.emit(frame, path)

        seg(True, 0x02, cseq, 0, options=syn_opts)
        seg(False, 0x12, sseq, cseq + 1, options=syn_opts)
        cseq += 1
        sseq += 1
        seg(True, 0x10, cseq, sseq)
        for _ in range(self.r.randrange(1, 4)):
            if port == 80:
                req = b"GET /" + self.payload(self.r.randrange(1, 40)).hex().encode() + b" HTTP/1.1\r\nHost: layers.test\r\n\r\n"
            else:
                req = self.payload(self.r.randrange(1, 600))
            seg(True, 0x18, cseq, sseq, req)
            cseq += len(req)
            left = self.r.randrange(0, 4000)
            first = True
            while True:
                n = min(left, 1460)
                if port == 80 and first:
                    body = b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n" % left
                    data = (body + self.payload(max(0, n - len(body))))[: max(n, len(body))]
                else:
                    data = self.payload(n)
                first = False
                if not data:
                    break
                seg(False, 0x18 if left <= 1460 else 0x10, sseq, cseq, data)
                sseq += len(data)
                left -= len(data)
                if left <= 0:
                    break
            seg(True, 0x10, cseq, sseq)
        seg(True, 0x11, cseq, sseq)
        seg(False, 0x11, sseq, cseq + 1)
        seg(True, 0x10, cseq + 1, sseq + 1)

    def dns(self):
        cip, cmac = self.host()
        sip, smac = bytes([192, 168, 11, 1]), bytes([2, 0, 0xC0, 0xA8, 0x0B, 1])
        qid = self.r.getrandbits(16)
        name = b"".join(bytes([len(p)]) + p for p in [b"host%d" % self.r.randrange(1000), b"layers", b"test"]) + b"\x00"
        q = struct.pack(">HHHHHH", qid, 0x0100, 1, 0, 0, 0) + name + struct.pack(">HH", 1, 1)
        a = struct.pack(">HHHHHH", qid, 0x8180, 1, 1, 0, 0) + name + struct.pack(">HH", 1, 1)
        a += struct.pack(">HHHIH", 0xC00C, 1, 1, 300, 4) + bytes([203, 0, 113, self.r.randrange(1, 255)])
        sport = self.r.randrange(49152, 65535)
        for frm, to, fm, tm, sp, dp, msg in [(cip, sip, cmac, smac, sport, 53, q), (sip, cip, smac, cmac, 53, sport, a)]:
            ip = self.ipv4(frm, to, 17, self.udp(frm, to, sp, dp, msg))
            frame, path = self.link(tm, fm, 0x0800, ip, "IPv4/UDP/DNS")
            self.emit(frame, path)

    def datagram(self):
        cip, cmac = self.host()
        sip, smac = self.server()
        data = self.payload(self.r.randrange(20, 1300))
        ip = self.ipv4(cip, sip, 17, self.udp(cip, sip, self.r.randrange(49152, 65535), 443, data))
        frame, path = self.link(smac, cmac, 0x0800, ip, "IPv4/UDP/data")
        self.emit(frame, path)

    def arp(self):
        aip, amac = self.host()
        bip, bmac = self.host()
        req = struct.pack(">HHBBH6s4s6s4s", 1, 0x0800, 6, 4, 1, amac, aip, bytes(6), bip)
        rep = struct.pack(">HHBBH6s4s6s4s", 1, 0x0800, 6, 4, 2, bmac, bip, amac, aip)
        self.emit(self.eth(b"\xff" * 6, amac, 0x0806, req), "Ethernet II/ARP")
        self.emit(self.eth(amac, bmac, 0x0806, rep), "Ethernet II/ARP")

    def icmp(self):
        cip, cmac = self.host()
        sip, smac = self.server()
        roll = self.r.random()
        if roll < 0.6:
            body = struct.pack(">BBHHH", 8, 0, 0, self.r.getrandbits(16), self.r.randrange(1, 100)) + self.payload(56)
            body = body[:2] + struct.pack(">H", csum(body)) + body[4:]
            frame, path = self.link(smac, cmac, 0x0800, self.ipv4(cip, sip, 1, body), "IPv4/ICMP")
            self.emit(frame, path)
        elif roll < 0.8:
            # Time exceeded from a router, quoting a UDP probe: the quote's layers are not the
            # frame's own path.
            probe = self.ipv4(cip, sip, 17, self.udp(cip, sip, 40000, 33434, b"q" * 12), ttl=1)[:28]
            body = struct.pack(">BBHI", 11, 0, 0, 0) + probe
            body = body[:2] + struct.pack(">H", csum(body)) + body[4:]
            router = bytes([192, 168, 11, 1])
            frame, path = self.link(cmac, bytes([2, 0, 0xC0, 0xA8, 0x0B, 1]), 0x0800, self.ipv4(router, cip, 1, body), "IPv4/ICMP")
            self.emit(frame, path)
        else:
            # IPv4 with a Router Alert option, and a datagram in two fragments.
            ip = self.ipv4(cip, bytes([224, 0, 0, 22]), 17, self.udp(cip, bytes([224, 0, 0, 22]), 5000, 5001, b"alert"), options=b"\x94\x04\x00\x00")
            frame, path = self.link(b"\x01\x00\x5e\x00\x00\x16", cmac, 0x0800, ip, "IPv4/UDP/data")
            self.emit(frame, path)
            dgram = self.udp(cip, sip, 51000, 9999, self.payload(1600))
            first = self.ipv4(cip, sip, 17, dgram[:1480], flags=0x2000)
            self.ident -= 1
            second = self.ipv4(cip, sip, 17, dgram[1480:], flags=1480 // 8)
            f1, p1 = self.link(smac, cmac, 0x0800, first, "IPv4/UDP/data")
            f2, p2 = self.link(smac, cmac, 0x0800, second, "IPv4/IP fragment")
            self.emit(f1, p1)
            self.emit(f2, p2)

    def broken(self):
        cip, cmac = self.host()
        sip, smac = self.server()
        roll = self.r.random()
        if roll < 0.5:
            # A full segment cut by a 60-byte snap length: TCP's first 26 bytes kept.
            t = self.tcp(cip, sip, 50000, 443, 0x18, 1, 1, self.payload(1000), bytes.fromhex("0101080a") + bytes(8))
            frame = self.eth(smac, cmac, 0x0800, self.ipv4(cip, sip, 6, t))
            self.emit(frame, "Ethernet II/IPv4/TCP", cap=60)
        elif roll < 0.75:
            ip = bytearray(self.ipv4(cip, sip, 17, self.udp(cip, sip, 1, 2, b"ihl")))
            ip[0] = 0x44
            self.emit(self.eth(smac, cmac, 0x0800, bytes(ip)), "Ethernet II/IPv4")
        else:
            ip = self.ipv4(cip, sip, 17, self.udp(cip, sip, 51000, 9999, b"len", length=200))
            self.emit(self.eth(smac, cmac, 0x0800, ip), "Ethernet II/IPv4/UDP")

    def run(self, n):
        while len(self.out) < n:
            roll = self.r.random()
            if roll < 0.52:
                self.conversation(v6=self.r.random() < 0.05)
            elif roll < 0.72:
                self.dns()
            elif roll < 0.84:
                self.datagram()
            elif roll < 0.92:
                self.arp()
            elif roll < 0.985:
                self.icmp()
            else:
                self.broken()
        del self.out[n:]


def main():
    args = sys.argv[1:]
    seed = 1
    if "--seed" in args:
        i = args.index("--seed")
        seed = int(args[i + 1])
        del args[i : i + 2]
    n, path = int(args[0]), args[1]
    g = Gen(seed)
    g.run(n)
    paths, total = {}, 0
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 65535, 1))
        for i, (frame, cap, p) in enumerate(g.out):
            kept = frame[: cap or len(frame)]
            ts = T0 * 1_000_000 + i * 137
            f.write(struct.pack("<IIII", ts // 1_000_000, ts % 1_000_000, len(kept), len(frame)))
            f.write(kept)
            paths[p] = paths.get(p, 0) + 1
            total += len(kept)
    with open(path + ".truth.json", "w") as f:
        json.dump({"frames": n, "bytes": total, "paths": dict(sorted(paths.items()))}, f, indent=1)
    print(f"wrote {path}: {n} frames, {total} bytes")


if __name__ == "__main__":
    main()
