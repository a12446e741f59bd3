// TCP test traffic for features beyond the basic handshake (kept out of the test files so that
// a scratch script can write the same bytes to a pcap for tshark).

import { ACK, eth, ipv4, PSH, SYN, tcp } from './packets.ts';
import { TcpConv } from './tls-builders.ts';

const ECE = 0x040;
const CWR = 0x080;
const AE = 0x100;

/**
 * Accurate ECN (RFC 9768): a connection that negotiates it in its SYN and SYN/ACK, one that
 * turns to it on an AccECN option, and one that never does.
 */
export function accEcnFrames(): Uint8Array[] {
  const c2s = (sport: number, flags: number, seq: number, ack: number, options: number[] = [], payload = '') =>
    eth(ipv4(tcp({ sport, dport: 443, seq, ack, flags, options, payload }), { src: '192.0.2.1', dst: '198.51.100.7' }));
  const s2c = (dport: number, flags: number, seq: number, ack: number, options: number[] = [], payload = '') =>
    eth(ipv4(tcp({ sport: 443, dport, seq, ack, flags, options, payload }), { src: '198.51.100.7', dst: '192.0.2.1' }));
  return [
    c2s(50001, SYN | ECE | CWR | AE, 100, 0),
    s2c(50001, SYN | ACK | CWR, 900, 101),
    c2s(50001, ACK | AE, 101, 901),
    s2c(50001, PSH | ACK | ECE, 901, 101, [], 'hello'),
    // no AccECN handshake seen: an option (order 1, three counters) turns it on from the next segment
    c2s(50002, ACK, 200, 300, [174, 11, 0, 0, 1, 0, 0, 2, 0, 0, 3]),
    c2s(50002, ACK | CWR, 200, 300),
    s2c(50002, ACK, 300, 200, [172, 2]),
    // plain ECN: the bits keep their names
    c2s(50003, ACK | ECE | CWR, 400, 500),
    c2s(50003, ACK | AE, 400, 500),
  ];
}

/** Segments whose options tshark reads with care: every way an option list can go wrong, and each kind it names. */
export function optionFrames(): Uint8Array[] {
  const seg = (sport: number, flags: number, options: number[]) =>
    eth(ipv4(tcp({ sport, dport: 80, seq: 1000, ack: flags & ACK ? 2000 : 0, flags, options }), { src: '192.0.2.1', dst: '198.51.100.7' }));
  return [
    seg(40001, SYN, [2, 4, 5, 180, 4, 2, 8, 10, 0, 0, 0, 7, 0, 0, 0, 0, 1, 3, 3, 7]),
    seg(40002, ACK, [1, 1, 8, 10, 0, 0, 0, 9, 0, 0, 0, 8, 5, 10, 0, 0, 3, 240, 0, 0, 3, 250]),
    seg(40003, ACK, [1, 1, 1, 2]), // a kind without its length byte
    seg(40004, ACK, [2, 1, 0, 0]), // a length too short
    seg(40005, ACK, [8, 30, 0, 0]), // a length past the options
    seg(40006, ACK, [0, 0, 1, 0]), // a non-zero byte after EOL
    seg(40007, SYN, [2, 5, 5, 180, 0, 3, 3, 15, 0, 0, 0, 0]), // MSS of the wrong length, WS shift 15
    seg(40008, ACK, [5, 6, 0, 0, 7, 208, 1, 1]), // a SACK block cut short
    seg(40009, ACK, [19, 18, ...new Array(16).fill(0xab), 28, 4, 0x80, 0x10, 34, 2, 99, 4, 1, 2]), // MD5, user timeout, TFO request, unknown
    seg(40010, SYN, [254, 4, 0xf9, 0x89, 253, 6, 0x12, 0x34, 0, 0, 30, 4, 0, 0x81]),
  ];
}

/** Two HTTP exchanges on one kept-alive connection, then a response whose request was not captured. */
export function httpKeepAlive(): Uint8Array[] {
  const a = new TcpConv(40100, 80);
  a.c('GET /a HTTP/1.1\r\nHost: example.com\r\nX-Trace: 1\r\n\r\n')
    .s('HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok')
    .c('GET /b HTTP/1.1\r\nHost: example.com\r\n\r\n')
    .s('HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n');
  const b = new TcpConv(40101, 80);
  b.s('HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n');
  return [...a.frames, ...b.frames];
}
