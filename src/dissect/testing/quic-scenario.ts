// Test-only: the QUIC capture quic.test.ts checks (and that tshark 4.0.17 was shown).
import { bytes, eth, ipv4, u32, udp } from './packets.ts';
import { frames, keysFor, longPacket, shortPacket, varint, versionNegotiation } from './quic-builders.ts';
import { alpnExt, clientHello, ext, serverHello, sniExt, supportedVersionServer, supportedVersionsClient } from './tls-builders.ts';
import { QUIC_V2, retryIntegrityTag } from '../quic-crypto.ts';

const CLIENT = '10.0.0.1';
const SERVER = '10.0.0.2';
const up = (sport: number, payload: Uint8Array) => eth(ipv4(udp({ sport, dport: 443, payload }), { proto: 17, src: CLIENT, dst: SERVER }));
const down = (dport: number, payload: Uint8Array) => eth(ipv4(udp({ sport: 443, dport, payload }), { proto: 17, src: SERVER, dst: CLIENT }));
const cat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
};

/** A 4-byte variable-length integer (RFC 9000 §16). */
const varint4 = (n: number) => u32((0x80000000 | n) >>> 0);

export const ODCID = [0x83, 0x94, 0xc8, 0xf0, 0x3e, 0x51, 0x57, 0x08];
export const CLIENT_CID = [0xc1, 0xc2, 0xc3, 0xc4];
export const SERVER_CID = [0x5e, 0x5e, 0x01, 0x02, 0x03];

export function quicFrames(): Uint8Array[] {
  const keys = keysFor(ODCID);
  const hello = clientHello({
    suites: [0x1301, 0x1302],
    extensions: [
      sniExt('quic.example'), alpnExt(['h3']), supportedVersionsClient([0x0304]),
      // RFC 9000 §18.2 transport parameters; 0xc37 = 31 × 100 + 27 is a reserved (GREASE) identifier, 0x11 is version_information.
      ext(57, bytes(
        [0x01, 0x04], varint4(30000), [0x04, 0x04], varint4(1 << 20), [0x0c, 0x00], [0x0f, CLIENT_CID.length], CLIENT_CID,
        varint(0xc37), [0x02, 0xab, 0xcd], [0x11, 0x08], u32(1), u32(QUIC_V2),
      )),
      ext(21, new Array(700).fill(0)),
    ],
  });
  const split = 600;
  const initial = (pn: number, payload: number[]) => longPacket({ type: 'initial', dcid: ODCID, scid: CLIENT_CID, pn, payload, keys: keys.client });
  const pad = (payload: number[]) => [...payload, ...frames.padding(1160 - payload.length)];
  const corrupted = initial(2, pad(frames.ping()));
  corrupted[corrupted.length - 20]! ^= 0x40;
  const hs = longPacket({ type: 'handshake', dcid: CLIENT_CID, scid: SERVER_CID, pn: 0, payload: new Array(40).fill(0x33) });

  const odcid2 = [0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b, 0x0b];
  const odcid3 = [0x0c, 0x0c, 0x0c, 0x0c, 0x0c, 0x0c, 0x0c, 0x0c, 0x0c];
  const grease = 0x1a2a3a4a;
  // Retry (RFC 9000 §17.2.5): a token, then the integrity tag over the original DCID (RFC 9001 §5.8).
  const odcid4 = [0x0d, 0x0d, 0x0d, 0x0d, 0x0d, 0x0d, 0x0d, 0x0d];
  const retryCid = [0x77, 0x77, 0x77, 0x77];
  const retry = (odcid: number[], dcid: number[], good: boolean) => {
    const head = bytes([0xf5], u32(1), [dcid.length], dcid, [retryCid.length], retryCid, Array.from('token!', (c) => c.charCodeAt(0)));
    return bytes(head, good ? retryIntegrityTag(1, Uint8Array.from(odcid), head) : new Array(16).fill(0));
  };
  const odcid5 = [0x0e, 0x0e, 0x0e, 0x0e, 0x0e, 0x0e, 0x0e, 0x0e];
  return [
    // The ClientHello's second half arrives first (RFC 9000 §19.6 lets CRYPTO data come in any order).
    up(50000, initial(0, pad(frames.crypto(split, hello.subarray(split))))),
    up(50000, initial(1, pad(frames.crypto(0, hello.subarray(0, split))))),
    // The server's Initial and its first Handshake packet, coalesced in one datagram.
    down(50000, cat(
      longPacket({
        type: 'initial', dcid: CLIENT_CID, scid: SERVER_CID, pn: 0, keys: keys.server,
        payload: [...frames.ack(1), ...frames.crypto(0, serverHello({ suite: 0x1301, extensions: [supportedVersionServer(0x0304)] }))],
      }),
      hs,
    )),
    up(50000, cat(longPacket({ type: 'handshake', dcid: SERVER_CID, scid: CLIENT_CID, pn: 0, payload: new Array(30).fill(0x44) }), shortPacket(SERVER_CID, 40))),
    down(50000, shortPacket(CLIENT_CID, 60, 9)),
    up(50000, corrupted),
    up(50000, initial(3, pad(frames.close(0x0a, 'bye')))),
    // A second connection: a version the server does not speak, Version Negotiation, then QUIC v2.
    up(50001, longPacket({ type: 'initial', version: grease, dcid: odcid2, scid: [], pn: 0, payload: pad(frames.ping()), keys: keysFor(odcid2, grease).client })),
    down(50001, versionNegotiation([], odcid2, [1, QUIC_V2])),
    up(50001, longPacket({ type: 'initial', version: QUIC_V2, dcid: odcid3, scid: [0xaa], pn: 0, payload: pad(frames.ping()), keys: keysFor(odcid3, QUIC_V2).client })),
    // A third connection is sent to a Retry, then starts again with the token and new Initial keys.
    up(50002, longPacket({ type: 'initial', dcid: odcid4, scid: [0xc5], pn: 0, payload: pad(frames.ping()), keys: keysFor(odcid4).client })),
    down(50002, retry(odcid4, [0xc5], true)),
    up(50002, longPacket({
      type: 'initial', dcid: retryCid, scid: [0xc5], token: Array.from('token!', (c) => c.charCodeAt(0)), pn: 1,
      payload: pad(frames.ping()), keys: keysFor(retryCid).client,
    })),
    // A fourth gets a Retry whose tag does not verify.
    up(50003, longPacket({ type: 'initial', dcid: odcid5, scid: [0xc6], pn: 0, payload: pad(frames.ping()), keys: keysFor(odcid5).client })),
    down(50003, retry(odcid5, [0xc6], false)),
  ];
}
