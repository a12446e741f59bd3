// Test-only: the Multipath TCP capture mptcp.test.ts checks (and that tshark 4.0.17 was shown).
// One MPTCP v1 connection (RFC 8684) with every option subtype, a second subflow joining it,
// a v0 (RFC 6824) handshake, and options too short for what they announce.

import { sha256 } from '@noble/hashes/sha2.js';
import { ACK, bytes, eth, ipv4, mss, nop, PSH, RST, SYN, tcp, timestamps, u16, u32, type TcpOpts } from './packets.ts';

export const CLIENT_KEY = 0x0123456789abcdefn;
export const SERVER_KEY = 0xfedcba9876543210n;

const u64 = (n: bigint) => [...u32(Number(n >> 32n)), ...u32(Number(n & 0xffffffffn))];
const sha256Of = (key: bigint) => sha256(Uint8Array.from(u64(key)));
/** RFC 8684 §3.2: the token is the top 32 bits of SHA-256(key), the IDSN its low 64 bits. */
const tokenOf = (key: bigint) => {
  const h = sha256Of(key);
  return ((h[0]! << 24) | (h[1]! << 16) | (h[2]! << 8) | h[3]!) >>> 0;
};
const idsnOf = (key: bigint) => {
  const h = sha256Of(key);
  let v = 0n;
  for (let i = 24; i < 32; i++) v = (v << 8n) | BigInt(h[i]!);
  return v;
};
const low32 = (n: bigint) => Number(n & 0xffffffffn);

/** An MPTCP option (TCP option kind 30): subtype in the high nibble of the first byte. */
const mptcp = (subtype: number, low: number, rest: number[]) => [30, 3 + rest.length, (subtype << 4) | low, ...rest];
const mpCapable = (version: number, flags: number, ...tail: number[][]) => mptcp(0, version, [flags, ...tail.flat()]);

const C = '10.0.0.1';
const S = '10.0.0.2';
const C2 = '10.0.0.3';
const frame = (src: string, dst: string, o: TcpOpts) => eth(ipv4(tcp(o), { src, dst }));
const up = (o: TcpOpts) => frame(C, S, { sport: 40000, dport: 80, ...o });
const down = (o: TcpOpts) => frame(S, C, { sport: 80, dport: 40000, ...o });

export function mptcpFrames(): Uint8Array[] {
  const cIdsn = idsnOf(CLIENT_KEY);
  const sIdsn = idsnOf(SERVER_KEY);
  const ts = timestamps(100, 200);
  return [
    // 1–3: the handshake (RFC 8684 §3.1): SYN without key (v1), SYN/ACK with the server's key,
    // ACK with both keys; checksums required.
    up({ flags: SYN, seq: 1000, options: [...mss(1460), ...mpCapable(1, 0x81)] }),
    down({ flags: SYN | ACK, seq: 5000, ack: 1001, options: [...mss(1460), ...mpCapable(1, 0x81, u64(SERVER_KEY))] }),
    up({ seq: 1001, ack: 5001, options: [...nop(), ...nop(), ...ts, ...mpCapable(1, 0x81, u64(CLIENT_KEY), u64(SERVER_KEY))] }),
    // 4: the third ACK again, with data: data-level length and checksum (§3.1, 24 bytes).
    up({ flags: PSH | ACK, seq: 1001, ack: 5001, payload: 'hi',
      options: [...mpCapable(1, 0x81, u64(CLIENT_KEY), u64(SERVER_KEY), u16(2), u16(0xbeef))] }),
    // 5: DSS (§3.3) with a 4-byte data ACK and a mapping with checksum.
    up({ flags: PSH | ACK, seq: 1003, ack: 5001, payload: 'hello',
      options: [...mptcp(2, 0, [0x05, ...u32(low32(sIdsn + 1n)), ...u32(low32(cIdsn + 3n)), ...u32(3), ...u16(5), ...u16(0x1234)])] }),
    // 6: an 8-byte data ACK, and ADD_ADDR (§3.4.1) for an IPv4 address with port and HMAC.
    down({ seq: 5001, ack: 1008, options: [...mptcp(2, 0, [0x03, ...u64(cIdsn + 8n)]),
      ...mptcp(3, 0, [2, 10, 0, 0, 3, ...u16(8080), 1, 2, 3, 4, 5, 6, 7, 8])] }),
    // 7: REMOVE_ADDR (§3.4.2) of two addresses, and MP_PRIO (§3.3.8) with the backup flag.
    up({ seq: 1008, ack: 5001, options: [...mptcp(4, 0, [2, 5]), ...mptcp(5, 1, [])] }),
    // 8: ADD_ADDR in its RFC 6824 form (IP version 6), and MP_PRIO with an address ID.
    down({ seq: 5001, ack: 1008, options: [...mptcp(3, 6, [3, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 3]), ...mptcp(5, 0, [3])] }),
    // 9: MP_FAIL (§3.7) with the DSN where the checksum failed.
    up({ seq: 1008, ack: 5001, options: [...mptcp(6, 0, [0, ...u64(cIdsn + 5n)])] }),
    // 10: DSS with DATA_FIN, an 8-byte DSN and a data-level length of 0 (an infinite mapping).
    down({ seq: 5001, ack: 1008, options: [...mptcp(2, 0, [0x1d, ...u32(low32(cIdsn + 8n)), ...u64(sIdsn + 1n), ...u32(0), ...u16(0)])] }),
    // 11–13: a second subflow joins (§3.2): SYN with the server's token, SYN/ACK, ACK with the HMAC.
    frame(C2, S, { sport: 40001, dport: 80, flags: SYN, seq: 7000,
      options: [...mptcp(1, 1, [3, ...u32(tokenOf(SERVER_KEY)), ...u32(0x11223344)])] }),
    frame(S, C2, { sport: 80, dport: 40001, flags: SYN | ACK, seq: 9000, ack: 7001,
      options: [...mptcp(1, 0, [0, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, ...u32(0x55667788)])] }),
    frame(C2, S, { sport: 40001, dport: 80, seq: 7001, ack: 9001,
      options: [...mptcp(1, 0, [0, ...Array.from({ length: 20 }, (_, i) => 0xa0 + i)])] }),
    // 14: data on the new subflow, mapped into the connection's sequence space.
    frame(C2, S, { sport: 40001, dport: 80, flags: PSH | ACK, seq: 7001, ack: 9001, payload: 'abc',
      options: [...mptcp(2, 0, [0x05, ...u32(low32(sIdsn + 1n)), ...u32(low32(cIdsn + 8n)), ...u32(1), ...u16(3)])] }),
    // 15–16: MP_FASTCLOSE (§3.5) with the peer's key, then MP_TCPRST (§3.6) with a reason.
    up({ flags: RST | ACK, seq: 1008, ack: 5001, options: [...mptcp(7, 0, [0, ...u64(SERVER_KEY)])] }),
    down({ flags: RST, seq: 5001, options: [...mptcp(8, 0x9, [0x05])] }),
    // 17: an RFC 6824 (v0) SYN, which carries the key, hashed with SHA-1; no crypto flag.
    frame('10.0.0.6', S, { sport: 40004, dport: 80, flags: SYN, seq: 1, options: [...mpCapable(0, 0x00, u64(CLIENT_KEY))] }),
    // 18: an unknown subtype.
    frame('10.0.0.7', S, { sport: 40005, dport: 80, flags: SYN, seq: 1, options: [...mptcp(0xf, 0, [1])] }),
    // 19–21: too short: no subtype byte, no flags byte, a mapping cut short.
    frame('10.0.0.4', S, { sport: 40002, dport: 80, seq: 1, ack: 1, options: [30, 2] }),
    frame('10.0.0.5', S, { sport: 40003, dport: 80, seq: 1, ack: 1, options: [30, 3, 0x01] }),
    frame('10.0.0.8', S, { sport: 40006, dport: 80, seq: 1, ack: 1, options: [...mptcp(2, 0, [0x04, 0, 0, 0, 1])] }),
    // 22–23: a third ACK that echoes a key other than the SYN/ACK's. The server reuses its key,
    // so tshark files this connection under the first one (the token is the same).
    frame(S, '10.0.0.9', { sport: 80, dport: 40007, flags: SYN | ACK, seq: 1, ack: 1, options: [...mpCapable(1, 0x01, u64(SERVER_KEY))] }),
    frame('10.0.0.9', S, { sport: 40007, dport: 80, seq: 1, ack: 2, options: [...mpCapable(1, 0x01, u64(CLIENT_KEY), u64(SERVER_KEY + 1n))] }),
  ].map((f) => bytes(f));
}
