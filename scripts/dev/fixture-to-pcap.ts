// Developer aid: writes the frames a test builds to a pcap, so that tshark can be asked what
// it prints for exactly those bytes (the expected strings in tests come from tshark this way).
//   npx tsx scripts/dev/fixture-to-pcap.ts tcp-handshake > /tmp/x.pcap && tshark -r /tmp/x.pcap -n
import { writePcap } from '../../src/capture/testing/writer.ts';
import * as K from '../../src/dissect/testing/packets.ts';

const { ACK, eth, FIN, ipv4, mss, nop, PSH, RST, sack, sackPerm, SYN, tcp, timestamps, wscale } = K;
const C = { src: '192.0.2.1', dst: '192.0.2.2' };
const S = { src: '192.0.2.2', dst: '192.0.2.1' };
const hs = [
  eth(ipv4(tcp({ sport: 53574, dport: 7001, flags: SYN, seq: 1000, win: 64240, options: [...mss(1460), ...sackPerm(), ...timestamps(100, 0), ...nop(), ...wscale(7)] }), C)),
  eth(ipv4(tcp({ sport: 7001, dport: 53574, flags: SYN | ACK, seq: 5000, ack: 1001, win: 65160, options: [...mss(1460), ...sackPerm(), ...timestamps(200, 100), ...nop(), ...wscale(7)] }), S)),
  eth(ipv4(tcp({ sport: 53574, dport: 7001, flags: ACK, seq: 1001, ack: 5001, win: 502 }), C)),
];
const fixtures: Record<string, { data: Uint8Array; t?: number }[]> = {
  'tcp-analysis': [
    ...hs.map((data) => ({ data })),
    { data: eth(ipv4(tcp({ sport: 53574, dport: 7001, flags: ACK | PSH, seq: 1001, ack: 5001, win: 502, payload: 'a'.repeat(10) }), C)), t: 0.1 },
    { data: eth(ipv4(tcp({ sport: 53574, dport: 7001, flags: ACK | PSH, seq: 1021, ack: 5001, win: 502, payload: 'b'.repeat(10) }), C)), t: 0.2 },
    { data: eth(ipv4(tcp({ sport: 7001, dport: 53574, flags: ACK, seq: 5001, ack: 1011, win: 509 }), S)), t: 0.3 },
    { data: eth(ipv4(tcp({ sport: 7001, dport: 53574, flags: ACK, seq: 5001, ack: 1011, win: 509, options: [...sack([1021, 1031])] }), S)), t: 0.31 },
    { data: eth(ipv4(tcp({ sport: 53574, dport: 7001, flags: ACK | PSH, seq: 1011, ack: 5001, win: 502, payload: 'c'.repeat(10) }), C)), t: 1.5 },
    { data: eth(ipv4(tcp({ sport: 53574, dport: 7001, flags: ACK | PSH, seq: 1001, ack: 5001, win: 502, payload: 'a'.repeat(10) }), C)), t: 2 },
    { data: eth(ipv4(tcp({ sport: 7001, dport: 53574, flags: ACK, seq: 5001, ack: 1011, win: 800 }), S)), t: 2.1 },
    { data: eth(ipv4(tcp({ sport: 7001, dport: 53574, flags: ACK, seq: 5001, ack: 1031, win: 0 }), S)), t: 2.2 },
    { data: eth(ipv4(tcp({ sport: 53574, dport: 7001, flags: ACK, seq: 1030, ack: 5001, win: 502 }), C)), t: 3 },
    { data: eth(ipv4(tcp({ sport: 7001, dport: 53574, flags: RST, seq: 5001, win: 0 }), S)), t: 4 },
  ],
  'tcp-reuse': [
    ...hs.map((data) => ({ data })),
    { data: eth(ipv4(tcp({ sport: 53574, dport: 7001, flags: FIN | ACK, seq: 1001, ack: 5001, win: 502 }), C)) },
    { data: eth(ipv4(tcp({ sport: 7001, dport: 53574, flags: FIN | ACK, seq: 5001, ack: 1002, win: 509 }), S)) },
    { data: eth(ipv4(tcp({ sport: 53574, dport: 7001, flags: ACK, seq: 1002, ack: 5002, win: 502 }), C)) },
    { data: eth(ipv4(tcp({ sport: 40000, dport: 443, flags: SYN, seq: 1 }), C)) },
    { data: eth(ipv4(tcp({ sport: 53574, dport: 7001, flags: SYN, seq: 90000 }), C)) },
  ],
  'tcp-options': [
    { data: eth(ipv4(tcp({ sport: 1, dport: 2, flags: SYN, options: [2, 0, 0, 0, 8, 0] }), C)) },
  ],
};
const name = process.argv[2] ?? '';
const frames = fixtures[name];
if (!frames) {
  process.stderr.write(`fixtures: ${Object.keys(fixtures).join(', ')}\n`);
  process.exit(1);
}
const base = 1_700_000_000;
process.stdout.write(writePcap(frames.map((f, i) => {
  const t = f.t ?? i * 0.001;
  return { data: f.data, tsSec: base + Math.floor(t), tsNsec: Math.round((t - Math.floor(t)) * 1e6) * 1000 };
})));
