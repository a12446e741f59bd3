import { describe, expect, it } from 'vitest';
import { ONE_MORE_SEGMENT } from './packet.ts';
import { accEcnFrames, optionFrames } from './testing/tcp-frames.ts';
import { registerTcpPayload } from './tcp.ts';
import { tcpPortTable } from './tables.ts';
import {
  ACK, decodeFrames, eth, FIN, ipv4, lines, mss, nop, PSH, RST, sack, sackPerm, SYN, tcp, timestamps, treeText, wscale,
} from './testing/packets.ts';

// Expected texts are what tshark 4.0.17 prints for the same bytes (`tshark -r x.pcap -n`).

const C = { src: '192.0.2.1', dst: '192.0.2.2' };
const S = { src: '192.0.2.2', dst: '192.0.2.1' };

function handshake(port = 80, clientIsn = 1000, serverIsn = 5000) {
  return [
    eth(ipv4(tcp({ sport: 53574, dport: port, flags: SYN, seq: clientIsn, win: 64240, options: [...mss(1460), ...sackPerm(), ...timestamps(100, 0), ...nop(), ...wscale(7)] }), C)),
    eth(ipv4(tcp({ sport: port, dport: 53574, flags: SYN | ACK, seq: serverIsn, ack: clientIsn + 1, win: 65160, options: [...mss(1460), ...sackPerm(), ...timestamps(200, 100), ...nop(), ...wscale(7)] }), S)),
    eth(ipv4(tcp({ sport: 53574, dport: port, flags: ACK, seq: clientIsn + 1, ack: serverIsn + 1, win: 502 }), C)),
  ];
}

describe('TCP', () => {
  it('shows a three-way handshake like tshark: relative numbers, options, scaled window', () => {
    const cap = decodeFrames(handshake());
    expect(cap.rows.map((r) => r.info)).toEqual([
      '53574 → 80 [SYN] Seq=0 Win=64240 Len=0 MSS=1460 SACK_PERM TSval=100 TSecr=0 WS=128',
      '80 → 53574 [SYN, ACK] Seq=0 Ack=1 Win=65160 Len=0 MSS=1460 SACK_PERM TSval=200 TSecr=100 WS=128',
      '53574 → 80 [ACK] Seq=1 Ack=1 Win=64256 Len=0',
    ]);
    expect(cap.rows.every((r) => r.protocol === 'TCP')).toBe(true);
    expect(lines(cap)[0]).toBe('    1   0.000000    192.0.2.1 → 192.0.2.2    TCP 74 53574 → 80 [SYN] Seq=0 Win=64240 Len=0 MSS=1460 SACK_PERM TSval=100 TSecr=0 WS=128');
    const f = cap.fields(3);
    expect(f.get('tcp.stream')).toEqual([0]);
    expect(f.get('tcp.seq')).toEqual([1]);
    expect(f.get('tcp.window_size')).toEqual([64256]);
    expect(f.get('tcp.window_size_value')).toEqual([502]);
  });

  it('starts relative numbers at 1 when the SYN was not captured, and leaves the window unscaled', () => {
    const cap = decodeFrames([
      eth(ipv4(tcp({ sport: 443, dport: 55305, flags: ACK | PSH, seq: 7000, ack: 9000, win: 501, payload: 'x'.repeat(10) }), S)),
      eth(ipv4(tcp({ sport: 55305, dport: 443, flags: ACK, seq: 9000, ack: 7010, win: 1024 }), C)),
    ]);
    expect(cap.rows.map((r) => r.info)).toEqual([
      '443 → 55305 [PSH, ACK] Seq=1 Ack=1 Win=501 Len=10',
      '55305 → 443 [ACK] Seq=1 Ack=11 Win=1024 Len=0',
    ]);
  });

  it('numbers streams per connection and starts a new stream when ports are reused after a close', () => {
    const hs = handshake();
    const cap = decodeFrames([
      ...hs,
      eth(ipv4(tcp({ sport: 53574, dport: 80, flags: FIN | ACK, seq: 1001, ack: 5001, win: 502 }), C)),
      eth(ipv4(tcp({ sport: 80, dport: 53574, flags: FIN | ACK, seq: 5001, ack: 1002, win: 509 }), S)),
      eth(ipv4(tcp({ sport: 53574, dport: 80, flags: ACK, seq: 1002, ack: 5002, win: 502 }), C)),
      eth(ipv4(tcp({ sport: 40000, dport: 443, flags: SYN, seq: 1 }), C)),
      eth(ipv4(tcp({ sport: 53574, dport: 80, flags: SYN, seq: 90000 }), C)),
    ]);
    expect(cap.packets.map((p) => p.tcp?.stream)).toEqual([0, 0, 0, 0, 0, 0, 1, 2]);
    expect(cap.rows[7]!.info).toBe('[TCP Port numbers reused] 53574 → 80 [SYN] Seq=0 Win=64240 Len=0');
    expect(cap.rows[3]!.info).toBe('53574 → 80 [FIN, ACK] Seq=1 Ack=1 Win=64256 Len=0');
  });

  it('flags the usual analysis findings with tshark wording', () => {
    const cap = decodeFrames([
      ...handshake(7001), // a port no dissector claims, so payloads stay plain TCP
      // 10 bytes, then a gap of 10 bytes: previous segment not captured
      { data: eth(ipv4(tcp({ sport: 53574, dport: 7001, flags: ACK | PSH, seq: 1001, ack: 5001, win: 502, payload: 'a'.repeat(10) }), C)), t: 0.1 },
      { data: eth(ipv4(tcp({ sport: 53574, dport: 7001, flags: ACK | PSH, seq: 1021, ack: 5001, win: 502, payload: 'b'.repeat(10) }), C)), t: 0.2 },
      // the server acks bytes it got, then the same ack again twice: duplicate ACKs
      { data: eth(ipv4(tcp({ sport: 7001, dport: 53574, flags: ACK, seq: 5001, ack: 1011, win: 509 }), S)), t: 0.3 },
      { data: eth(ipv4(tcp({ sport: 7001, dport: 53574, flags: ACK, seq: 5001, ack: 1011, win: 509, options: [...sack([1021, 1031])] }), S)), t: 0.31 },
      // the client sends the missing bytes long after: a retransmission of nothing seen → plain retransmission
      { data: eth(ipv4(tcp({ sport: 53574, dport: 7001, flags: ACK | PSH, seq: 1011, ack: 5001, win: 502, payload: 'c'.repeat(10) }), C)), t: 1.5 },
      // and the first segment again: already acknowledged → spurious
      { data: eth(ipv4(tcp({ sport: 53574, dport: 7001, flags: ACK | PSH, seq: 1001, ack: 5001, win: 502, payload: 'a'.repeat(10) }), C)), t: 2 },
      // a window update from the server
      { data: eth(ipv4(tcp({ sport: 7001, dport: 53574, flags: ACK, seq: 5001, ack: 1011, win: 800 }), S)), t: 2.1 },
      // zero window
      { data: eth(ipv4(tcp({ sport: 7001, dport: 53574, flags: ACK, seq: 5001, ack: 1031, win: 0 }), S)), t: 2.2 },
      // keep-alive from the client
      { data: eth(ipv4(tcp({ sport: 53574, dport: 7001, flags: ACK, seq: 1030, ack: 5001, win: 502 }), C)), t: 3 },
      // RST
      { data: eth(ipv4(tcp({ sport: 7001, dport: 53574, flags: RST, seq: 5001, win: 0 }), S)), t: 4 },
    ]);
    expect(cap.rows.slice(3).map((r) => r.info)).toEqual([
      '53574 → 7001 [PSH, ACK] Seq=1 Ack=1 Win=64256 Len=10',
      '[TCP Previous segment not captured] 53574 → 7001 [PSH, ACK] Seq=21 Ack=1 Win=64256 Len=10',
      '7001 → 53574 [ACK] Seq=1 Ack=11 Win=65152 Len=0',
      '[TCP Dup ACK 6#1] 7001 → 53574 [ACK] Seq=1 Ack=11 Win=65152 Len=0 SLE=21 SRE=31',
      '[TCP Retransmission] 53574 → 7001 [PSH, ACK] Seq=11 Ack=1 Win=64256 Len=10',
      '[TCP Spurious Retransmission] 53574 → 7001 [PSH, ACK] Seq=1 Ack=1 Win=64256 Len=10',
      '[TCP Window Update] 7001 → 53574 [ACK] Seq=1 Ack=11 Win=102400 Len=0',
      '[TCP ZeroWindow] 7001 → 53574 [ACK] Seq=1 Ack=31 Win=0 Len=0',
      '[TCP Keep-Alive] 53574 → 7001 [ACK] Seq=30 Ack=1 Win=64256 Len=0',
      '7001 → 53574 [RST] Seq=1 Win=0 Len=0',
    ]);
  });

  it('reports an ACKed unseen segment once per gap, as tshark 4.0 does', () => {
    const cap = decodeFrames([
      ...handshake(7002),
      { data: eth(ipv4(tcp({ sport: 53574, dport: 7002, flags: ACK | PSH, seq: 1001, ack: 5001, win: 502, payload: 'a'.repeat(10) }), C)), t: 0.1 },
      // the server acks 20 bytes the capture never saw …
      { data: eth(ipv4(tcp({ sport: 7002, dport: 53574, flags: ACK | PSH, seq: 5001, ack: 1031, win: 509, payload: 'b'.repeat(5) }), S)), t: 0.2 },
      // … and again: the same gap is not reported twice
      { data: eth(ipv4(tcp({ sport: 7002, dport: 53574, flags: ACK | PSH, seq: 5006, ack: 1031, win: 509, payload: 'c'.repeat(5) }), S)), t: 0.3 },
      // the client carries on after the gap (its data is not contiguous with what was seen) …
      { data: eth(ipv4(tcp({ sport: 53574, dport: 7002, flags: ACK | PSH, seq: 1031, ack: 5011, win: 502, payload: 'd'.repeat(10) }), C)), t: 0.4 },
      { data: eth(ipv4(tcp({ sport: 53574, dport: 7002, flags: ACK | PSH, seq: 1041, ack: 5011, win: 502, payload: 'e'.repeat(10) }), C)), t: 0.5 },
      // … so an ACK of it is still beyond the last contiguous byte: reported, and the mark moves on
      { data: eth(ipv4(tcp({ sport: 7002, dport: 53574, flags: ACK, seq: 5011, ack: 1051, win: 509 }), S)), t: 0.6 },
      { data: eth(ipv4(tcp({ sport: 53574, dport: 7002, flags: ACK | PSH, seq: 1051, ack: 5011, win: 502, payload: 'f'.repeat(10) }), C)), t: 0.7 },
      { data: eth(ipv4(tcp({ sport: 7002, dport: 53574, flags: ACK, seq: 5011, ack: 1061, win: 509 }), S)), t: 0.8 },
    ]);
    expect(cap.rows.slice(3).map((r) => r.info)).toEqual([
      '53574 → 7002 [PSH, ACK] Seq=1 Ack=1 Win=64256 Len=10',
      '[TCP ACKed unseen segment] 7002 → 53574 [PSH, ACK] Seq=1 Ack=31 Win=65152 Len=5',
      '7002 → 53574 [PSH, ACK] Seq=6 Ack=31 Win=65152 Len=5',
      '[TCP Previous segment not captured] 53574 → 7002 [PSH, ACK] Seq=31 Ack=11 Win=64256 Len=10',
      '53574 → 7002 [PSH, ACK] Seq=41 Ack=11 Win=64256 Len=10',
      '[TCP ACKed unseen segment] 7002 → 53574 [ACK] Seq=11 Ack=51 Win=65152 Len=0',
      '53574 → 7002 [PSH, ACK] Seq=51 Ack=11 Win=64256 Len=10',
      '7002 → 53574 [ACK] Seq=11 Ack=61 Win=65152 Len=0',
    ]);
  });

  it('shows data on a RST as its reset cause, not as the payload of a protocol', () => {
    const cap = decodeFrames([
      ...handshake(80),
      eth(ipv4(tcp({ sport: 80, dport: 53574, flags: RST | ACK, seq: 5001, ack: 1001, win: 0, payload: 'GET / HTTP/1.1 (not really)' }), S)),
    ]);
    expect(cap.rows[3]!.protocol).toBe('TCP');
    expect(cap.rows[3]!.info).toBe('80 → 53574 [RST, ACK] Seq=1 Ack=1 Win=0 Len=27');
    expect(cap.fields(4).get('tcp.reset_cause')).toEqual(['GET / HTTP/1.1 (not really)']);
  });

  it('writes a bogus header length into Info and stops, like tshark', () => {
    const seg = tcp({ sport: 24102, dport: 10792, flags: FIN | SYN | 0x20, seq: 1, win: 9253 });
    seg[12] = 0x40; // data offset 4 words = 16 bytes
    const cap = decodeFrames([eth(ipv4(seg, C))]);
    expect(cap.rows[0]!.info).toBe('24102 → 10792 [FIN, SYN, URG] Seq=0 Win=9253, bogus TCP header length (16, must be at least 20)');
  });

  it('never loops on a zero option length and marks a truncated header', () => {
    const cap = decodeFrames([
      eth(ipv4(tcp({ sport: 1, dport: 2, flags: SYN, options: [2, 0, 0, 0, 8, 0] }), C)),
      { data: eth(ipv4(tcp({ sport: 1, dport: 2, flags: SYN }), C)).subarray(0, 40), origLen: 54 },
    ]);
    expect(cap.rows[0]!.info).toBe('1 → 2 [SYN] Seq=0 Win=64240 Len=0');
    expect(cap.rows[1]!.info).toBe('1 → 2[Packet size limited during capture]');
    expect(cap.decoder.state.dissectorBugs).toBe(0);
  });

  it('reassembles a PDU that spans segments and shows it on the last one', () => {
    // A toy length-prefixed protocol on port 7777: u16 length, then that many bytes.
    const toy = (tvb: import('./tvb.ts').Tvb, p: import('./packet.ts').Packet): boolean => {
      let off = 0;
      const names: string[] = [];
      while (off < tvb.length) {
        if (tvb.remaining(off) < 2) {
          p.desegmentOffset = off;
          p.desegmentLen = ONE_MORE_SEGMENT;
          break;
        }
        const n = tvb.u16(off);
        if (tvb.remaining(off + 2) < n) {
          p.desegmentOffset = off;
          p.desegmentLen = n - tvb.remaining(off + 2);
          break;
        }
        names.push(`msg(${n})`);
        off += 2 + n;
      }
      if (names.length) {
        // Like TLS: the first PDU of a frame replaces TCP's text, later ones are appended.
        if (p.cols.protocol !== 'TOY') p.cols.clearInfo();
        p.cols.protocol = 'TOY';
        for (const n of names) p.cols.appendInfoSep(', ', n);
      }
      return true;
    };
    registerTcpPayload('toy', toy);
    tcpPortTable.add(7777, toy);
    const msg = (n: number) => [n >> 8, n & 255, ...new Array(n).fill(0x41)];
    const body = Uint8Array.from([...msg(3), ...msg(30), ...msg(4)]);
    const seg = (from: number, to: number, i: number) =>
      eth(ipv4(tcp({ sport: 7777, dport: 40000, flags: ACK | PSH, seq: 100 + from, ack: 1, payload: body.subarray(from, to) }), S), { src: '00:00:5e:00:53:0' + i });
    const cap = decodeFrames([seg(0, 15, 1), seg(15, 25, 2), seg(25, body.length, 3)]);
    expect(cap.rows.map((r) => `${r.protocol} ${r.info}`)).toEqual([
      'TOY msg(3)',
      'TCP 7777 → 40000 [PSH, ACK] Seq=16 Ack=1 Win=64240 Len=10 [TCP segment of a reassembled PDU]',
      'TOY msg(30), msg(4)',
    ]);
    // Re-dissecting one frame alone (details pane) rebuilds the PDU from the frames' bytes.
    const { items, packet } = cap.tree(3);
    expect(packet.sources.map((s) => s.name)).toEqual(['Frame', 'Reassembled TCP']);
    expect(packet.sources[1]!.data.length).toBe(32);
    const text = treeText(items);
    expect(text).toContain('[3 Reassembled TCP Segments (32 bytes): #1(10), #2(10), #3(12)]');
    // Where each segment's bytes sit in the PDU, and the PDU's bytes, as tshark lists them.
    expect(text).toContain('[Frame: 2, payload: 10-19 (10 bytes)]');
    expect(text).toContain('[Frame: 3, payload: 20-31 (12 bytes)]');
    expect(text).toMatch(/Reassembled TCP Data: [0-9a-f]{64} /);
    // The payload lines sit in the TCP subtree, as in tshark: all of segment 2 is PDU data; 12 of segment 3's 18 bytes end the PDU.
    const tcpLines = (n: number) => treeText(cap.tree(n).items.find((i) => i.field === 'tcp')!.children!);
    expect(tcpLines(2)).toMatch(/TCP payload \(10 bytes\)  \{tcp.payload\}\nTCP segment data \(10 bytes\)  \{tcp.segment_data\}\n\[Reassembled PDU in frame: 3\]/);
    expect(tcpLines(3)).toMatch(/TCP payload \(18 bytes\)  \{tcp.payload\}\nTCP segment data \(12 bytes\)/);
    expect(cap.tree(2).packet.cols.info).toBe(cap.rows[1]!.info);
  });

  it('builds a details tree with Wireshark-like labels', () => {
    const cap = decodeFrames(handshake());
    expect(treeText(cap.tree(1).items)).toMatchSnapshot();
  });
});

describe('TCP options and Accurate ECN, as tshark 4.0.17 shows them', () => {
  it('walks every option list as tshark does: notes, not failures, for broken lengths', () => {
    // Each line as tshark printed it for the same bytes (optionFrames() written to a pcap).
    const cap = decodeFrames(optionFrames());
    expect(lines(cap)).toEqual([
      '    1   0.000000    192.0.2.1 → 198.51.100.7 TCP 74 40001 → 80 [SYN] Seq=0 Win=64240 Len=0 MSS=1460 SACK_PERM TSval=7 TSecr=0 WS=128',
      '    2   0.001000    192.0.2.1 → 198.51.100.7 TCP 78 40002 → 80 [ACK] Seq=1 Ack=1 Win=64240 Len=0 TSval=9 TSecr=8 SLE=4294966305 SRE=4294966315',
      '    3   0.002000    192.0.2.1 → 198.51.100.7 TCP 58 40003 → 80 [ACK] Seq=1 Ack=1 Win=64240 Len=0',
      '    4   0.003000    192.0.2.1 → 198.51.100.7 TCP 58 40004 → 80 [ACK] Seq=1 Ack=1 Win=64240 Len=0',
      '    5   0.004000    192.0.2.1 → 198.51.100.7 TCP 58 40005 → 80 [ACK] Seq=1 Ack=1 Win=64240 Len=0',
      '    6   0.005000    192.0.2.1 → 198.51.100.7 TCP 58 40006 → 80 [ACK] Seq=1 Ack=1 Win=64240 Len=0',
      '    7   0.006000    192.0.2.1 → 198.51.100.7 TCP 66 40007 → 80 [SYN] Seq=0 Win=64240 Len=0 WS=16384',
      '    8   0.007000    192.0.2.1 → 198.51.100.7 TCP 62 40008 → 80 [ACK] Seq=1 Ack=1 Win=64240 Len=0[Malformed Packet]',
      '    9   0.008000    192.0.2.1 → 198.51.100.7 TCP 82 40009 → 80 [ACK] Seq=1 Ack=1 Win=64240 Len=0 MD5 USER_TO=16 TFO=R',
      '   10   0.009000    192.0.2.1 → 198.51.100.7 MPTCP 70 40010 → 80 [SYN] Seq=0 Win=64240 Len=0 TFO=R ExID=1234',
    ]);
  });

  it('lays out each option under its own item and lists them in the Options line', () => {
    const cap = decodeFrames(optionFrames());
    const syn = treeText(cap.tree(1).items);
    expect(syn).toContain('Options: (20 bytes), Maximum segment size, SACK permitted, Timestamps, No-Operation (NOP), Window scale  {tcp.options}');
    expect(syn).toMatch(/TCP Option - Window scale: 7 \(multiply by 128\)  \{tcp.options.wscale\}\n {6}Kind: Window Scale \(3\)  \{tcp.option_kind\}\n {6}Length: 3  \{tcp.option_len\}\n {6}Shift count: 7/);
    expect(cap.fields(1).has('tcp.options.sack_perm')).toBe(true);
    const sack = treeText(cap.tree(2).items);
    expect(sack).toContain('TCP Option - SACK 4294966305-4294966315  {tcp.options.sack}');
    expect(sack).toContain('D-SACK Left Edge = 4294966305 (relative)');
    expect(treeText(cap.tree(3).items)).toContain('Maximum segment size (length byte past end of options)');
    expect(treeText(cap.tree(6).items)).toContain('Non-zero header padding');
    expect(treeText(cap.tree(9).items)).toContain('Kind: Unknown (99)');
  });

  it('reads AE, CWR and ECE as the ACE counter once Accurate ECN is agreed or its option seen', () => {
    const cap = decodeFrames(accEcnFrames());
    expect(lines(cap)).toEqual([
      '    1   0.000000    192.0.2.1 → 198.51.100.7 TCP 54 50001 → 443 [SYN, ECE, CWR, AE] Seq=0 Win=64240 Len=0',
      '    2   0.001000 198.51.100.7 → 192.0.2.1    TCP 54 443 → 50001 [SYN, ACK, CWR] Seq=0 Ack=1 Win=64240 Len=0',
      '    3   0.002000    192.0.2.1 → 198.51.100.7 TCP 54 50001 → 443 [ACK, ACE=4] Seq=1 Ack=1 Win=64240 Len=0',
      '    4   0.003000 198.51.100.7 → 192.0.2.1    TCP 59 443 → 50001 [PSH, ACK, ACE=1] Seq=1 Ack=1 Win=64240 Len=5',
      '    5   0.004000    192.0.2.1 → 198.51.100.7 TCP 66 50002 → 443 [ACK] Seq=1 Ack=1 Win=64240 Len=0 EE1B=1 ECEB=2 EE0B=3',
      '    6   0.005000    192.0.2.1 → 198.51.100.7 TCP 54 [TCP Dup ACK 5#1] 50002 → 443 [ACK, ACE=2] Seq=1 Ack=1 Win=64240 Len=0',
      '    7   0.006000 198.51.100.7 → 192.0.2.1    TCP 58 443 → 50002 [ACK, ACE=0] Seq=1 Ack=1 Win=64240 Len=0 AccECN',
      '    8   0.007000    192.0.2.1 → 198.51.100.7 TCP 54 50003 → 443 [ACK, ECE, CWR] Seq=1 Ack=1 Win=64240 Len=0',
      '    9   0.008000    192.0.2.1 → 198.51.100.7 TCP 54 [TCP Dup ACK 8#1] 50003 → 443 [ACK, AE] Seq=1 Ack=1 Win=64240 Len=0',
    ]);
    expect(cap.fields(3).get('tcp.flags.ace')).toEqual([4]);
    expect(cap.fields(3).get('tcp.flags.str')).toEqual(['···-4-·A····']);
    // The option's own segment still shows the three bits; the next ones the counter.
    expect(cap.fields(5).get('tcp.flags.ae')).toEqual([false]);
    expect(cap.fields(6).get('tcp.flags.ace')).toEqual([2]);
    expect(cap.fields(9).get('tcp.flags.ae')).toEqual([true]);
  });

  it('shows each connection\'s completeness as tshark -2 does (the whole connection, on every packet)', () => {
    const cap = decodeFrames(accEcnFrames());
    // tshark -2 -T fields -e tcp.completeness on the same bytes: 15 15 15 15 4 4 4 4 4
    expect(cap.rows.map((r) => cap.fields(r.num).get('tcp.completeness')?.[0])).toEqual([15, 15, 15, 15, 4, 4, 4, 4, 4]);
    expect(treeText(cap.tree(1).items)).toContain('Conversation completeness: Incomplete, DATA (15)');
    const syns = decodeFrames(optionFrames());
    expect(syns.fields(1).get('tcp.completeness')).toEqual([1]);
  });

  it('times each segment from its stream\'s first and previous frames', () => {
    const cap = decodeFrames(accEcnFrames());
    const text = treeText(cap.tree(4).items);
    expect(text).toContain('[Time since first frame in this TCP stream: 0.003000000 seconds]');
    expect(text).toContain('[Time since previous frame in this TCP stream: 0.001000000 seconds]');
  });
});
