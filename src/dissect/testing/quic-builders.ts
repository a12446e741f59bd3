// Test-only: QUIC packets built the way a sender protects them (RFC 9001 §5), so the dissector is
// checked against packets it did not make itself (tshark opens the same bytes: quic.test.ts).

import { headerMask, initialKeys, QUIC_V2, sealPayload, type QuicKeys } from '../quic-crypto.ts';
import { bytes, u16, u32 } from './packets.ts';

/** A variable-length integer (RFC 9000 §16) in its shortest form. */
export function varint(n: number): number[] {
  if (n < 0x40) return [n];
  if (n < 0x4000) return u16(0x4000 | n);
  if (n < 0x40000000) return u32((0x80000000 | n) >>> 0);
  throw new Error('varint too large for a test');
}

export const frames = {
  padding: (n: number) => new Array<number>(n).fill(0),
  ping: () => [0x01],
  ack: (largest: number, delay = 0, firstRange = 0) => [0x02, ...varint(largest), ...varint(delay), 0, ...varint(firstRange)],
  crypto: (offset: number, data: Uint8Array) => [0x06, ...varint(offset), ...varint(data.length), ...data],
  close: (code: number, reason: string) => [0x1c, ...varint(code), 0, ...varint(reason.length), ...Array.from(reason, (c) => c.charCodeAt(0))],
};

export type LongType = 'initial' | '0rtt' | 'handshake';

const TYPE_BITS_V1: Record<LongType, number> = { initial: 0, '0rtt': 1, handshake: 2 };
const TYPE_BITS_V2: Record<LongType, number> = { initial: 1, '0rtt': 2, handshake: 3 };

export interface LongPacket {
  type: LongType;
  version?: number;
  dcid: number[];
  scid: number[];
  token?: number[];
  pn: number;
  pnLength?: 1 | 2 | 3 | 4;
  /** Plain frames; sealed with `keys` (an Initial's keys) or, without keys, random-looking bytes. */
  payload: number[];
  keys?: QuicKeys;
}

/** A long-header packet (RFC 9000 §17.2), protected when keys are given. */
export function longPacket(o: LongPacket): Uint8Array {
  const version = o.version ?? 1;
  const pnLength = o.pnLength ?? 2;
  const typeBits = (version === QUIC_V2 ? TYPE_BITS_V2 : TYPE_BITS_V1)[o.type];
  const pnBytes: number[] = [];
  for (let i = pnLength - 1; i >= 0; i--) pnBytes.push(Math.floor(o.pn / 2 ** (8 * i)) & 0xff);
  const header = bytes(
    [0xc0 | (typeBits << 4) | (pnLength - 1)], u32(version), [o.dcid.length], o.dcid, [o.scid.length], o.scid,
    o.type === 'initial' ? [...varint(o.token?.length ?? 0), ...(o.token ?? [])] : [],
    u16(0x4000 | (pnLength + o.payload.length + 16)), pnBytes,
  );
  if (!o.keys) return bytes(header, o.payload, new Array<number>(16).fill(0xee));
  const sealed = sealPayload(o.keys, o.pn, header, Uint8Array.from(o.payload));
  const packet = bytes(header, sealed);
  // RFC 9001 §5.4: mask the low 4 bits of the first byte and the packet number.
  const pnOffset = header.length - pnLength;
  const mask = headerMask(o.keys.hp, packet.subarray(pnOffset + 4, pnOffset + 20));
  packet[0]! ^= mask[0]! & 0x0f;
  for (let i = 0; i < pnLength; i++) packet[pnOffset + i]! ^= mask[1 + i]!;
  return packet;
}

/** A short-header (1-RTT) packet: its protected payload is opaque without the TLS secrets. */
export function shortPacket(dcid: number[], payloadLength: number, seed = 7): Uint8Array {
  const payload: number[] = [];
  for (let i = 0, x = seed; i < payloadLength; i++) payload.push((x = (x * 1103515245 + 12345) >>> 16) & 0xff);
  return bytes([0x41], dcid, payload);
}

/** The Initial keys of a connection whose client first wrote to `dcid`. */
export function keysFor(dcid: number[], version = 1): { client: QuicKeys; server: QuicKeys } {
  return initialKeys(Uint8Array.from(dcid), version)!;
}

/** A Version Negotiation packet (RFC 9000 §17.2.1). */
export function versionNegotiation(dcid: number[], scid: number[], versions: number[]): Uint8Array {
  return bytes([0x80 | 0x2a], u32(0), [dcid.length], dcid, [scid.length], scid, versions.flatMap(u32));
}

