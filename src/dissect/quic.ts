// QUIC (RFC 9000; version 2, RFC 9369), found over UDP as tshark 4.0 finds it: a heuristic on
// long-header packets of a known version, after which the UDP conversation belongs to QUIC.
//
// What an observer without keys can see, as tshark shows it:
//  - every header field, and the packets coalesced in one datagram (RFC 9000 §12.2);
//  - Initial packets opened with keys derived from the client's first Destination Connection ID
//    (RFC 9001 §5.2), their frames, and the TLS handshake messages in their CRYPTO frames
//    (reassembled by offset, in any order: the ClientHello and its server name);
//  - Handshake, 0-RTT and 1-RTT packets stay protected ("Protected Payload (KP0)"): they need
//    the TLS secrets (a key log, a later feature).
// Connections are tracked by connection ID as packet-quic.c does, so a short header's DCID is
// shown with the length the peer chose.

import { type CaptureState, type Packet, stateSlot } from './packet.ts';
import { defineProtocol, formatValue, hexBytes } from './registry.ts';
import { initialKeys, headerMask, openPayload, quicDraftVersion, quicVersionLabel, retryIntegrityTag, QUIC_V2, type QuicKeys } from './quic-crypto.ts';
import { udpConversations, udpHeuristics } from './tables.ts';
import { F as TLS } from './tls-fields.ts';
import { dissectHandshake, type HsContext } from './tls-handshake.ts';
import { TlsSession } from './tls-session.ts';
import { BufferSink, GENERATED } from './tree.ts';
import { Tvb } from './tvb.ts';
import { quicVarint } from './quic-varint.ts';

const LONG_TYPES = { 0: 'Initial', 1: '0-RTT', 2: 'Handshake', 3: 'Retry' };
const LONG_TYPES_V2 = { 0: 'Retry', 1: 'Initial', 2: '0-RTT', 3: 'Handshake' };

export const F = defineProtocol('quic', 'QUIC IETF', {
  'quic.connection.number': { name: 'Connection Number', type: 'uint' },
  'quic.packet_length': { name: 'Packet Length', type: 'uint' },
  'quic.header_form': { name: 'Header Form', type: 'uint', mask: 0x80, bits: 8, vals: { 0: 'Short Header', 1: 'Long Header' } },
  'quic.fixed_bit': { name: 'Fixed Bit', type: 'bool', mask: 0x40, bits: 8 },
  'quic.long.packet_type': { name: 'Packet Type', type: 'uint', mask: 0x30, bits: 8, vals: LONG_TYPES },
  'quic.long.packet_type_v2': { name: 'Packet Type', type: 'uint', mask: 0x30, bits: 8, vals: LONG_TYPES_V2 },
  'quic.long.reserved': { name: 'Reserved', type: 'uint', mask: 0x0c, bits: 8 },
  'quic.packet_number_length': {
    name: 'Packet Number Length', type: 'uint', mask: 0x03, bits: 8,
    vals: { 0: '1 bytes', 1: '2 bytes', 2: '3 bytes', 3: '4 bytes' },
  },
  'quic.version': { name: 'Version', type: 'uint', base: 'hex', bits: 32 },
  'quic.supported_version': { name: 'Supported Version', type: 'uint', base: 'hex', bits: 32 },
  'quic.vn.unused': { name: 'Unused', type: 'uint', base: 'hex', mask: 0x7f, bits: 8 },
  'quic.dcil': { name: 'Destination Connection ID Length', type: 'uint' },
  'quic.dcid': { name: 'Destination Connection ID', type: 'bytes' },
  'quic.scil': { name: 'Source Connection ID Length', type: 'uint' },
  'quic.scid': { name: 'Source Connection ID', type: 'bytes' },
  'quic.token_length': { name: 'Token Length', type: 'uint' },
  'quic.token': { name: 'Token', type: 'bytes' },
  'quic.length': { name: 'Length', type: 'uint' },
  'quic.packet_number': { name: 'Packet Number', type: 'uint' },
  'quic.payload': { name: 'Payload', type: 'bytes' },
  'quic.short': { name: 'QUIC Short Header', type: 'none' },
  'quic.spin_bit': { name: 'Spin Bit', type: 'bool', mask: 0x20, bits: 8 },
  'quic.short.reserved': { name: 'Reserved', type: 'uint', mask: 0x18, bits: 8 },
  'quic.key_phase': { name: 'Key Phase Bit', type: 'bool', mask: 0x04, bits: 8 },
  'quic.protected_payload': { name: 'Protected Payload', type: 'bytes' },
  'quic.remaining_payload': { name: 'Remaining Payload', type: 'bytes' },
  'quic.odcil': { name: 'Original Destination Connection ID Length', type: 'uint' },
  'quic.odcid': { name: 'Original Destination Connection ID', type: 'bytes' },
  'quic.retry_token': { name: 'Retry Token', type: 'bytes' },
  'quic.retry_integrity_tag': { name: 'Retry Integrity Tag', type: 'bytes' },
  'quic.frame': { name: 'Frame', type: 'none' },
  'quic.frame_type': { name: 'Frame Type', type: 'uint' },
  'quic.padding_length': { name: 'Padding Length', type: 'uint' },
  'quic.ack.largest_acknowledged': { name: 'Largest Acknowledged', type: 'uint' },
  'quic.ack.ack_delay': { name: 'ACK Delay', type: 'uint' },
  'quic.ack.ack_range_count': { name: 'ACK Range Count', type: 'uint' },
  'quic.ack.first_ack_range': { name: 'First ACK Range', type: 'uint' },
  'quic.ack.gap': { name: 'Gap', type: 'uint' },
  'quic.ack.ack_range': { name: 'ACK Range', type: 'uint' },
  'quic.ack.ect0_count': { name: 'ECT(0) Count', type: 'uint' },
  'quic.ack.ect1_count': { name: 'ECT(1) Count', type: 'uint' },
  'quic.ack.ecn_ce_count': { name: 'ECN-CE Count', type: 'uint' },
  'quic.crypto.offset': { name: 'Offset', type: 'uint' },
  'quic.crypto.length': { name: 'Length', type: 'uint' },
  'quic.crypto.crypto_data': { name: 'Crypto Data', type: 'none' },
  'quic.stream.stream_id': { name: 'Stream ID', type: 'uint' },
  'quic.cc.error_code': { name: 'Error code', type: 'uint', vals: {
    0x0: 'NO_ERROR', 0x1: 'INTERNAL_ERROR', 0x2: 'CONNECTION_REFUSED', 0x3: 'FLOW_CONTROL_ERROR', 0x4: 'STREAM_LIMIT_ERROR',
    0x5: 'STREAM_STATE_ERROR', 0x6: 'FINAL_SIZE_ERROR', 0x7: 'FRAME_ENCODING_ERROR', 0x8: 'TRANSPORT_PARAMETER_ERROR',
    0x9: 'CONNECTION_ID_LIMIT_ERROR', 0xa: 'PROTOCOL_VIOLATION', 0xb: 'INVALID_TOKEN', 0xc: 'APPLICATION_ERROR',
    0xd: 'CRYPTO_BUFFER_EXCEEDED', 0xe: 'KEY_UPDATE_ERROR', 0xf: 'AEAD_LIMIT_REACHED', 0x10: 'NO_VIABLE_PATH',
  } },
  'quic.cc.frame_type': { name: 'Frame Type', type: 'uint' },
  'quic.cc.reason_phrase.length': { name: 'Reason phrase Length', type: 'uint' },
  'quic.cc.reason_phrase': { name: 'Reason phrase', type: 'string' },
});

/** Frame types (RFC 9000 §19, RFC 9221 DATAGRAM): tree name and the Info abbreviation tshark uses. */
const FRAMES: Record<number, [name: string, info: string]> = {
  0x00: ['PADDING', 'PADDING'], 0x01: ['PING', 'PING'], 0x02: ['ACK', 'ACK'], 0x03: ['ACK', 'ACK_ECN'],
  0x04: ['RESET_STREAM', 'RS'], 0x05: ['STOP_SENDING', 'SS'], 0x06: ['CRYPTO', 'CRYPTO'], 0x07: ['NEW_TOKEN', 'NT'],
  0x10: ['MAX_DATA', 'MD'], 0x11: ['MAX_STREAM_DATA', 'MSD'], 0x12: ['MAX_STREAMS (BIDI)', 'MS'],
  0x13: ['MAX_STREAMS (UNI)', 'MS'], 0x14: ['DATA_BLOCKED', 'DB'], 0x15: ['STREAM_DATA_BLOCKED', 'SDB'],
  0x16: ['STREAMS_BLOCKED (BIDI)', 'SB'], 0x17: ['STREAMS_BLOCKED (UNI)', 'SB'], 0x18: ['NEW_CONNECTION_ID', 'NCI'],
  0x19: ['RETIRE_CONNECTION_ID', 'RC'], 0x1a: ['PATH_CHALLENGE', 'PC'], 0x1b: ['PATH_RESPONSE', 'PR'],
  0x1c: ['CONNECTION_CLOSE (Transport)', 'CC'], 0x1d: ['CONNECTION_CLOSE (Application)', 'CC'],
  0x1e: ['HANDSHAKE_DONE', 'DONE'], 0x30: ['DATAGRAM', 'DG'], 0x31: ['DATAGRAM', 'DG'],
};

const MAX_CID_LENGTH = 20;
const SPACE_INITIAL = 0;
const SPACE_HANDSHAKE = 1;
const SPACE_APP = 2;
/** Long packet types as Wireshark numbers them internally (the wire values differ in v2). */
const LPT_INITIAL = 0;
const LPT_0RTT = 1;
const LPT_HANDSHAKE = 2;
const LPT_RETRY = 3;
const LPT_VERSION_NEGOTIATION = 0xfe;
const SHORT_PACKET = 0xff;

/** A handshake message completed in CRYPTO frames, and the frames its bytes came from. */
interface CryptoMessage {
  msg: Uint8Array;
  /** Contributing frames by offset in the message: [frame number, start, length]; one entry when not reassembled. */
  parts: [number, number, number][];
}

/** CRYPTO stream bytes of one direction's Initial space, reassembled by offset (RFC 9000 §19.6). */
class CryptoStream {
  data = new Uint8Array(0);
  /** Bytes of `data` already handed over as whole handshake messages. */
  consumed = 0;
  /** Pieces beyond the contiguous end, waiting for the gap to fill. */
  pending: { offset: number; bytes: Uint8Array; frame: number }[] = [];
  /** Which frame supplied each stretch of `data`: [frame, start, end). */
  private sources: [number, number, number][] = [];

  /** Adds the data of a CRYPTO frame of frame `frame`; returns the handshake messages it completed. */
  add(offset: number, bytes: Uint8Array, frame: number): CryptoMessage[] {
    if (offset > this.data.length) {
      if (this.pending.length < 64) this.pending.push({ offset, bytes: bytes.slice(), frame });
      return [];
    }
    this.append(offset, bytes, frame);
    for (let merged = true; merged; ) {
      merged = false;
      for (let i = 0; i < this.pending.length; i++) {
        const piece = this.pending[i]!;
        if (piece.offset <= this.data.length) {
          this.pending.splice(i, 1);
          this.append(piece.offset, piece.bytes, piece.frame);
          merged = true;
          break;
        }
      }
    }
    const out: CryptoMessage[] = [];
    for (;;) {
      const left = this.data.length - this.consumed;
      if (left < 4) break;
      const d = this.data;
      const c = this.consumed;
      const len = 4 + ((d[c + 1]! << 16) | (d[c + 2]! << 8) | d[c + 3]!);
      if (left < len) break;
      const parts: [number, number, number][] = [];
      for (const [f, from, to] of this.sources) {
        const a = Math.max(from, c);
        const b = Math.min(to, c + len);
        if (a < b) parts.push([f, a - c, b - a]);
      }
      out.push({ msg: d.slice(c, c + len), parts });
      this.consumed += len;
    }
    return out;
  }

  private append(offset: number, bytes: Uint8Array, frame: number): void {
    const end = offset + bytes.length;
    // A TLS handshake flight in Initial packets is a few kilobytes; more is not a handshake.
    if (end <= this.data.length || end > 1 << 20) return;
    const grown = new Uint8Array(end);
    grown.set(this.data);
    grown.set(bytes.subarray(this.data.length - offset), this.data.length);
    this.sources.push([frame, this.data.length, end]);
    this.data = grown;
  }
}

interface Connection {
  number: number;
  version: number;
  serverAddr: string;
  serverPort: number;
  /** Connection IDs each side chose; [0] is the first (its length is the short-header DCID length). */
  clientCids: Uint8Array[];
  serverCids: Uint8Array[];
  /** The DCID of the client's first Initial, which the Initial keys derive from (RFC 9001 §5.2). */
  clientDcidInitial: Uint8Array | null;
  initial: { client: QuicKeys; server: QuicKeys } | null;
  /** Largest packet number seen per direction and space: [client × 3, server × 3]. */
  maxPn: number[];
  crypto: [CryptoStream, CryptoStream];
  /** The ServerHello chose a TLS 1.3 cipher suite (tshark then looks for the secrets, and gives up once). */
  cipherKnown: boolean;
  skipDecryption: boolean;
}

/** What the first pass learnt about one QUIC packet of a datagram (kept for re-dissection). */
interface PacketInfo {
  pnLength: number;
  pn: number;
  firstByte: number;
  keys: QuicKeys | null;
  /** The first pass read the header-protection sample (or failed to: the packet was cut there). */
  deprotects: boolean;
  sampled: boolean;
  error: string | null;
  /** A Retry's integrity tag, checked against the ODCID (RFC 9001 §5.8); null when it could not be. */
  retry?: 'verified' | 'failed';
  /** Handshake messages completed by this packet's CRYPTO frames, by frame index. */
  messages: { frame: number; message: CryptoMessage }[];
}

interface DatagramInfo {
  conn: Connection | null;
  fromServer: boolean;
  /** For a Retry: the DCID of the client Initial it answers, kept before the connection forgets it. */
  retryOdcid: Uint8Array | null;
  packets: PacketInfo[];
}

class QuicState {
  connections: Connection[] = [];
  byInitialDcid = new Map<string, Connection>();
  byClientCid = new Map<string, Connection>();
  byServerCid = new Map<string, Connection>();
  /** Bit i set when some connection ID of length i is known (a cheap filter, as packet-quic.c has). */
  cidLengths = 0n;
  /** UDP conversations (address/port pairs) → the connection seen on them, and those that are QUIC. */
  byConversation = new Map<string, Connection>();
  quicConversations = new Set<string>();
  byFrame = new Map<number, DatagramInfo>();
}

const quicState = stateSlot((_: CaptureState) => new QuicState());

const bytesHex = (b: Uint8Array) => formatValue(F['quic.retry_integrity_tag'], b);

/** A connection ID as tshark prints it (and as map keys): lowercase hex, no separators. */
const cidKey = (cid: Uint8Array) => hexBytes(cid, '');

function conversationKey(p: Packet): string {
  const a = `${p.netSrc}/${p.srcPort}`;
  const b = `${p.netDst}/${p.dstPort}`;
  return a < b ? `${a}|${b}` : `${b}|${a}`;
}

function longPacketType(firstByte: number, version: number): number {
  const bits = (firstByte & 0x30) >> 4;
  if (version !== QUIC_V2) return bits; // Initial, 0-RTT, Handshake, Retry
  return bits === 0 ? LPT_RETRY : bits - 1;
}


// --- connection tracking (packet-quic.c's quic_connection_find / create_or_update) ---

function insertCid(st: QuicState, cid: Uint8Array, conn: Connection, fromServer: boolean): void {
  (fromServer ? st.byServerCid : st.byClientCid).set(cidKey(cid), conn);
  st.cidLengths |= 1n << BigInt(cid.length);
}

function findByDcid(st: QuicState, p: Packet, dcid: Uint8Array | null): { conn: Connection | null; fromServer: boolean | null } {
  let conn: Connection | null = null;
  let fromServer: boolean | null = null;
  let checkPorts = false;
  if (dcid && dcid.length > 0) {
    if (!(st.cidLengths & (1n << BigInt(dcid.length)))) return { conn: null, fromServer };
    const key = cidKey(dcid);
    conn = st.byClientCid.get(key) ?? null;
    if (conn) {
      // A DCID the client chose: the server sent this. Both sides may pick the same one.
      fromServer = true;
      checkPorts = st.byServerCid.has(key);
    } else {
      conn = st.byServerCid.get(key) ?? null;
      if (conn) fromServer = false;
    }
  } else {
    conn = st.byConversation.get(conversationKey(p)) ?? null;
    checkPorts = conn !== null;
  }
  if (conn && checkPorts) fromServer = conn.serverPort === p.srcPort && conn.serverAddr === p.netSrc;
  return { conn, fromServer };
}

/** Whether `raw` starts with one of the connection IDs; a side that chose none has a zero-length one. */
const hasPrefix = (cids: Uint8Array[], raw: Uint8Array) =>
  cids.length === 0 || cids.some((c) => raw.length >= c.length && c.every((b, i) => raw[i] === b));

function findConnection(st: QuicState, p: Packet, type: number, dcid: Uint8Array): { conn: Connection | null; fromServer: boolean; dcid: Uint8Array } {
  let fromServer = false;
  let conn: Connection | null = null;
  if (type === LPT_0RTT && dcid.length > 0) {
    conn = st.byInitialDcid.get(cidKey(dcid)) ?? null;
  } else {
    const r = findByDcid(st, p, dcid);
    conn = r.conn;
    if (r.fromServer !== null) fromServer = r.fromServer;
    if (type === LPT_INITIAL && !conn && dcid.length > 0) conn = st.byInitialDcid.get(cidKey(dcid)) ?? null;
    // A client Initial to an unknown DCID starts a new connection (a new attempt on the same tuple).
    if (type === LPT_INITIAL && conn && !fromServer && dcid.length > 0 && !(conn.clientDcidInitial && cidKey(dcid) === cidKey(conn.clientDcidInitial)) &&
      !hasPrefix(conn.serverCids, dcid)) conn = null;
  }
  if (type === SHORT_PACKET && !conn) {
    // The DCID length of a short header is not on the wire: try the tuple, then shorter lengths.
    const r = findByDcid(st, p, null);
    conn = r.conn;
    if (r.fromServer !== null) fromServer = r.fromServer;
    if (conn && !hasPrefix(fromServer ? conn.clientCids : conn.serverCids, dcid)) conn = null;
    let len = dcid.length;
    while (!conn && len > 1) {
      len--;
      const r2 = findByDcid(st, p, dcid.subarray(0, len));
      conn = r2.conn;
      if (r2.fromServer !== null) fromServer = r2.fromServer;
    }
    if (!conn) dcid = dcid.subarray(0, 0);
  }
  return { conn, fromServer, dcid };
}

function createOrUpdate(st: QuicState, p: Packet, found: Connection | null, type: number, version: number, scid: Uint8Array, dcid: Uint8Array, fromServer: boolean): Connection | null {
  let conn = found;
  const updateInitial = (c: Connection) => {
    if (scid.length) {
      c.clientCids[0] = scid.slice();
      insertCid(st, c.clientCids[0], c, false);
    }
    if (dcid.length) {
      c.clientDcidInitial = dcid.slice();
      st.byInitialDcid.set(cidKey(dcid), c);
    }
  };
  if (type === LPT_INITIAL && !fromServer) {
    if (!conn) {
      conn = {
        number: st.connections.length, version, serverAddr: p.netDst, serverPort: p.dstPort,
        clientCids: [], serverCids: [], clientDcidInitial: null, initial: null, maxPn: [0, 0, 0, 0, 0, 0],
        crypto: [new CryptoStream(), new CryptoStream()], cipherKnown: false, skipDecryption: false,
      };
      st.connections.push(conn);
      st.byConversation.set(conversationKey(p), conn);
      updateInitial(conn);
    } else if (!conn.clientDcidInitial && dcid.length) {
      // The client's Initial answering a Retry: new keys, and the server's next SCID links anew.
      updateInitial(conn);
      if (conn.serverCids[0]) st.byServerCid.delete(cidKey(conn.serverCids[0]));
      conn.serverCids = [];
    }
  } else if ((type === LPT_INITIAL || type === LPT_RETRY || type === LPT_HANDSHAKE) && fromServer && conn) {
    if (type === LPT_RETRY && conn.clientDcidInitial) {
      st.byInitialDcid.delete(cidKey(conn.clientDcidInitial));
      conn.clientDcidInitial = null;
    }
    if (!conn.serverCids[0] && scid.length) {
      conn.serverCids[0] = scid.slice();
      insertCid(st, conn.serverCids[0], conn, true);
    }
  }
  return conn;
}

// --- entry points ---

/** tshark's heuristic: a long header of a known version with plausible CID lengths, or a short header of a known connection. */
function quicHeuristic(tvb: Tvb, p: Packet): boolean {
  if (tvb.length < 13) return false;
  const st = quicState.of(p.state);
  const first = tvb.u8(0);
  if (!(first & 0x80)) {
    if (st.cidLengths === 0n || tvb.length < 1 + 1 + 1 + 16) return false;
    const dcid = tvb.bytes(1, Math.min(MAX_CID_LENGTH, tvb.length - 1 - 1 - 16));
    if (!findConnection(st, p, SHORT_PACKET, dcid).conn) return false;
  } else {
    if (quicDraftVersion(tvb.u32(1)) < 11) return false;
    const dcil = tvb.u8(5);
    if (dcil > MAX_CID_LENGTH || 6 + dcil >= tvb.length) return false;
    if (tvb.u8(6 + dcil) > MAX_CID_LENGTH) return false;
  }
  st.quicConversations.add(conversationKey(p));
  dissectQuic(tvb, p);
  return true;
}

/** Datagrams of a UDP conversation already found to be QUIC (conversation_set_dissector). */
function quicConversation(tvb: Tvb, p: Packet): boolean {
  const st = quicState.of(p.state);
  if (st.quicConversations.size === 0 || !st.quicConversations.has(conversationKey(p))) return false;
  dissectQuic(tvb, p);
  return true;
}

/** The header fields of the datagram's first packet that pick its connection (quic_extract_header). */
function extractHeader(tvb: Tvb): { type: number; version: number; dcid: Uint8Array; scid: Uint8Array } {
  const first = tvb.u8(0);
  const empty = tvb.bytes(0, 0);
  if (!(first & 0x80)) {
    return { type: SHORT_PACKET, version: 0, dcid: tvb.bytes(1, Math.min(MAX_CID_LENGTH, tvb.remaining(1))), scid: empty };
  }
  const version = tvb.u32(1);
  const type = version === 0 ? LPT_VERSION_NEGOTIATION : longPacketType(first, version);
  const dcil = tvb.u8(5);
  const dcid = dcil && dcil <= MAX_CID_LENGTH ? tvb.bytes(6, dcil) : empty;
  const scil = tvb.u8(6 + dcil);
  const scid = scil && scil <= MAX_CID_LENGTH ? tvb.bytes(7 + dcil, scil) : empty;
  return { type, version, dcid, scid };
}

export function dissectQuic(tvb: Tvb, p: Packet): void {
  p.layers.push('quic');
  p.cols.protocol = 'QUIC';
  const st = quicState.of(p.state);
  let dg = p.visited ? st.byFrame.get(p.num) : undefined;
  if (!dg) {
    const h = extractHeader(tvb);
    const found = findConnection(st, p, h.type, h.dcid);
    const retryOdcid = h.type === LPT_RETRY && found.conn?.clientDcidInitial ? found.conn.clientDcidInitial : null;
    const conn = createOrUpdate(st, p, found.conn, h.type, h.version, h.scid, h.dcid, found.fromServer);
    dg = { conn, fromServer: found.fromServer, retryOdcid, packets: [] };
    if (!p.visited) st.byFrame.set(p.num, dg);
  }
  const t = p.tree;
  if (t) {
    t.open(F.proto, tvb, 0, tvb.reportedLength, null);
    t.text(tvb, 0, 0, 'QUIC Connection information', true);
    if (dg.conn) t.add(F['quic.connection.number'], tvb, 0, GENERATED, dg.conn.number, `[Connection Number: ${dg.conn.number}]`);
    else t.expert('note', 'Unknown QUIC connection. Missing Initial Packet or migrated connection?', tvb, 0, 0, 'Protocol');
    t.close();
  }
  let off = 0;
  let firstDcid: Uint8Array | null = null;
  for (let index = 0; reportedLeft(tvb, off) > 0; index++) {
    const pkt = tvb.sub(off, messageLength(tvb, off));
    // RFC 9000 §12.2: coalesced packets share the DCID; anything else is padding after the last one.
    // Each coalesced packet gets its own QUIC node, even the padding after the last one.
    if (t && off > 0) t.open(F.proto, tvb, off, reportedLeft(tvb, off), null);
    const dcid = packetDcid(pkt, dg);
    if (firstDcid === null) firstDcid = dcid ?? pkt.bytes(0, 0);
    else if (dcid && !sameBytes(firstDcid, dcid)) {
      t?.expert('note', '(Random) padding data appended to the datagram', tvb, off, tvb.reportedLength - off, 'Protocol');
      t?.close();
      break;
    }
    t?.setLength(pkt.reportedLength);
    t?.add(F['quic.packet_length'], pkt, 0, GENERATED, pkt.reportedLength, `[Packet Length: ${pkt.reportedLength}]`);
    let info = dg.packets[index];
    if (!info) {
      info = { pnLength: 0, pn: 0, firstByte: 0, keys: null, deprotects: false, sampled: false, error: null, messages: [] };
      if (!p.visited) dg.packets[index] = info;
    }
    let used: number;
    const first = pkt.u8(0);
    if (first & 0x80) {
      t?.add(F['quic.header_form'], pkt, 0, 1, 1);
      const version = pkt.u32(1);
      if (version === 0) {
        dissectVersionNegotiation(pkt, p);
        t?.close();
        break;
      }
      used = longPacketType(first, version) === LPT_RETRY ? dissectRetry(pkt, p, version, dg, info) : dissectLongHeader(pkt, p, dg, info);
    } else {
      used = dissectShortHeader(pkt, p, dg, info);
    }
    if (t && reportedLeft(pkt, used) > 0) {
      t.add(F['quic.remaining_payload'], pkt, used, pkt.reportedRemaining(used), pkt.bytes(used, pkt.remaining(used)));
    }
    t?.close();
    off += pkt.reportedLength;
  }
}

/**
 * Reported bytes left after `off`, as Wireshark's tvb_reported_length_remaining counts them: none
 * once `off` is past the captured bytes. So a cut datagram ends the walk over coalesced packets
 * quietly instead of as a packet cut short.
 */
function reportedLeft(tvb: Tvb, off: number): number {
  return off > tvb.length ? 0 : tvb.reportedRemaining(off);
}

/** The length of the (possibly coalesced) packet at `off` (quic_get_message_tvb). */
function messageLength(tvb: Tvb, off: number): number {
  const rest = tvb.reportedLength - off;
  const first = tvb.u8(off);
  if (!(first & 0x80)) return rest;
  const version = tvb.u32(off + 1);
  if (version === 0 || longPacketType(first, version) === LPT_RETRY) return rest;
  let len = 5;
  len += 1 + tvb.u8(off + len);
  len += 1 + tvb.u8(off + len);
  if (longPacketType(first, version) === LPT_INITIAL) {
    const [tokenLength, n] = quicVarint(tvb, off + len);
    len += n + tokenLength;
  }
  const [payloadLength, n] = quicVarint(tvb, off + len);
  len += n + payloadLength;
  return len < rest ? len : rest;
}

/** The DCID of a packet, or null when it cannot be known (a short header of an unknown connection). */
function packetDcid(pkt: Tvb, dg: DatagramInfo): Uint8Array | null {
  if (pkt.u8(0) & 0x80) {
    const dcil = pkt.u8(5);
    return dcil && dcil <= MAX_CID_LENGTH ? pkt.bytes(6, dcil) : pkt.bytes(0, 0);
  }
  const conn = dg.conn;
  if (!conn) return null;
  const len = (dg.fromServer ? conn.clientCids[0] : conn.serverCids[0])?.length ?? 0;
  return pkt.bytes(1, len);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Version, DCID and SCID of a long header (after its first byte); Info gets the CIDs. */
function longHeaderCommon(pkt: Tvb, p: Packet): number {
  const t = p.tree;
  const version = pkt.u32(1);
  if (t) {
    const forcing = (version & 0x0f0f0f0f) === 0x0a0a0a0a ? ' (Forcing Version Negotiation)' : '';
    t.add(F['quic.version'], pkt, 1, 4, version, `Version: ${quicVersionLabel(version)}${forcing}`);
  }
  // A connection ID: its length byte, then the ID (RFC 9000 §17.2). Info gets IDs of a valid
  // length once both are read, as tshark appends them.
  const ids: string[] = [];
  const cid = (off: number, lengthField: keyof typeof F, idField: keyof typeof F, name: string): number => {
    const len = pkt.u8(off);
    t?.add(F[lengthField], pkt, off, 1, len);
    if (!len) return off + 1;
    const id = pkt.bytes(off + 1, len);
    t?.add(F[idField], pkt, off + 1, len, id);
    if (len <= MAX_CID_LENGTH) ids.push(`, ${name}=${cidKey(id)}`);
    return off + 1 + len;
  };
  const off = cid(cid(5, 'quic.dcil', 'quic.dcid', 'DCID'), 'quic.scil', 'quic.scid', 'SCID');
  for (const s of ids) p.cols.appendInfo(s);
  return off;
}

function dissectVersionNegotiation(pkt: Tvb, p: Packet): void {
  p.cols.setInfo('Version Negotiation');
  const t = p.tree;
  t?.add(F['quic.vn.unused'], pkt, 0, 1, pkt.u8(0) & 0x7f);
  let off = longHeaderCommon(pkt, p);
  while (reportedLeft(pkt, off) > 0) {
    const v = pkt.u32(off);
    if (t) {
      const grease = (v & 0x0f0f0f0f) === 0x0a0a0a0a ? ' (GREASE)' : '';
      t.add(F['quic.supported_version'], pkt, off, 4, v, `Supported Version: ${quicVersionLabel(v)}${grease}`);
    }
    off += 4;
  }
}

function dissectRetry(pkt: Tvb, p: Packet, version: number, dg: DatagramInfo, info: PacketInfo): number {
  const t = p.tree;
  t?.add(version === QUIC_V2 ? F['quic.long.packet_type_v2'] : F['quic.long.packet_type'], pkt, 0, 1, (pkt.u8(0) & 0x30) >> 4);
  p.cols.setInfo('Retry');
  let off = longHeaderCommon(pkt, p);
  const draft = quicDraftVersion(version);
  const early = draft > 0 && draft <= 24; // before draft 25 the ODCID was in the packet and there was no tag
  if (early) {
    const odcil = pkt.u8(off);
    t?.add(F['quic.odcil'], pkt, off, 1, odcil);
    t?.add(F['quic.odcid'], pkt, off + 1, odcil, pkt.bytes(off + 1, odcil));
    off += 1 + odcil;
  }
  let tokenLength = reportedLeft(pkt, off);
  if (!early && tokenLength >= 16) tokenLength -= 16;
  t?.add(F['quic.retry_token'], pkt, off, tokenLength, pkt.bytes(off, Math.min(tokenLength, pkt.remaining(off))));
  off += tokenLength;
  if (early) return off;
  const tag = pkt.bytes(off, 16);
  if (!p.visited && dg.retryOdcid) {
    const expected = retryIntegrityTag(version, dg.retryOdcid, pkt.bytes(0, off));
    info.retry = sameBytes(expected, tag) ? 'verified' : 'failed';
  }
  if (t) {
    const verified = info.retry === 'verified';
    t.open(F['quic.retry_integrity_tag'], pkt, off, 16, tag, verified ? `Retry Integrity Tag: ${bytesHex(tag)} [verified]` : undefined);
    if (info.retry === 'failed') t.expert('warn', 'Retry Integrity Tag verification failure', pkt, off, 16, 'Protocol');
    else if (!verified) t.expert('warn', 'Cannot verify Retry Packet due to unknown ODCID', pkt, off, 16, 'Protocol');
    t.close();
  }
  return off + 16;
}

/** Recovers a full packet number from its truncated form, as packet-quic.c does (from ngtcp2). */
function fullPacketNumber(maxPn: number, truncated: number, bits: number): number {
  const k = maxPn + 1;
  const win = 2 ** bits;
  const u = Math.floor(k / win) * win;
  const a = u + truncated;
  const b = u + win + truncated;
  return Math.abs(a - k) < Math.abs(b - k) ? a : b;
}

/** Where a long header's packet number starts (after the token and the Length field). */
function packetNumberOffset(pkt: Tvb, h: { type: number; dcid: Uint8Array; scid: Uint8Array }): number {
  let off = 1 + 4 + 1 + h.dcid.length + 1 + h.scid.length;
  if (h.type === LPT_INITIAL) {
    const [tokenLength, n] = quicVarint(pkt, off);
    off += n + tokenLength;
  }
  return off + quicVarint(pkt, off)[1];
}

function space(type: number): number {
  return type === LPT_INITIAL ? SPACE_INITIAL : type === LPT_HANDSHAKE ? SPACE_HANDSHAKE : SPACE_APP;
}

function dissectLongHeader(pkt: Tvb, p: Packet, dg: DatagramInfo, info: PacketInfo): number {
  const t = p.tree;
  const first = pkt.u8(0);
  const h = extractHeader(pkt);
  const conn = dg.conn;
  const fromServer = dg.fromServer;
  if (!p.visited && conn) {
    let keys: QuicKeys | null = null;
    let error: string | null = null;
    if (h.type === LPT_INITIAL) {
      if (!fromServer && conn.clientDcidInitial && sameBytes(h.dcid, conn.clientDcidInitial)) {
        conn.initial = initialKeys(h.dcid, conn.version);
      } else if (fromServer && h.version !== conn.version) {
        // Compatible version negotiation (RFC 9368): the server moved the connection to a new version.
        conn.version = h.version;
        conn.initial = conn.clientDcidInitial ? initialKeys(conn.clientDcidInitial, conn.version) : null;
      }
      keys = conn.initial ? (fromServer ? conn.initial.server : conn.initial.client) : null;
    } else if (h.type === LPT_HANDSHAKE && !conn.cipherKnown) {
      error = 'Unable to retrieve cipher information';
    } else {
      // Handshake and 0-RTT keys come from the TLS secrets, which a capture alone does not give.
      error = 'Secrets are not available';
    }
    if (!error) {
      info.deprotects = true;
      const pnOffset = packetNumberOffset(pkt, h);
      error = 'Header deprotection failed';
      if (keys) {
        info.sampled = true;
        // RFC 9001 §5.4.2: the sample starts 4 bytes after the packet number's start.
        const mask = headerMask(keys.hp, pkt.bytes(pnOffset + 4, 16));
        const fb = first ^ (mask[0]! & 0x0f);
        const pnLength = (fb & 3) + 1;
        let truncated = 0;
        for (let i = 0; i < pnLength; i++) truncated = truncated * 256 + (pkt.u8(pnOffset + i) ^ mask[1 + i]!);
        const slot = (fromServer ? 3 : 0) + space(h.type);
        info.pn = fullPacketNumber(conn.maxPn[slot]!, truncated, 8 * pnLength);
        info.pnLength = pnLength;
        info.firstByte = fb;
        info.keys = keys;
        error = null;
      }
    }
    info.error = error;
  }
  if (p.visited && info.deprotects) {
    // Read what the first pass read before any field was shown: a packet cut there fails here too.
    const pnOffset = packetNumberOffset(pkt, h);
    if (info.sampled) pkt.check(pnOffset + 4, 16);
  }
  const fb = info.pnLength ? info.firstByte : first;
  if (t) {
    t.add(F['quic.fixed_bit'], pkt, 0, 1, (first & 0x40) !== 0);
    t.add(h.version === QUIC_V2 ? F['quic.long.packet_type_v2'] : F['quic.long.packet_type'], pkt, 0, 1, (first & 0x30) >> 4);
    if (info.pnLength) {
      t.add(F['quic.long.reserved'], pkt, 0, 1, (fb & 0x0c) >> 2);
      t.add(F['quic.packet_number_length'], pkt, 0, 1, fb & 0x03);
    }
  }
  p.cols.setInfo(LONG_TYPES[h.type as 0 | 1 | 2] ?? 'Long Header');
  let off = longHeaderCommon(pkt, p);
  if (h.type === LPT_INITIAL) {
    const [tokenLength, n] = quicVarint(pkt, off);
    t?.add(F['quic.token_length'], pkt, off, n, tokenLength);
    off += n;
    if (tokenLength) {
      t?.add(F['quic.token'], pkt, off, tokenLength, pkt.bytes(off, Math.min(tokenLength, pkt.remaining(off))));
      off += tokenLength;
    }
  }
  const [length, n] = quicVarint(pkt, off);
  t?.add(F['quic.length'], pkt, off, n, length);
  off += n;
  if (info.error && !info.pnLength) {
    t?.expert('warn', `Failed to create decryption context: ${info.error}`, pkt, 0, 0, 'Decryption');
    return off;
  }
  if (!conn || !info.pnLength) {
    t?.expert('warn', 'Failed to decrypt packet number', pkt, 0, 0, 'Decryption');
    return off;
  }
  t?.add(F['quic.packet_number'], pkt, off, info.pnLength, info.pn);
  p.cols.appendInfo(`, PKN: ${info.pn}`);
  const pnEnd = off + info.pnLength;
  const opened = processPayload(pkt, p, dg, info, pnEnd, h.type);
  if (!p.visited && opened) conn.maxPn[(fromServer ? 3 : 0) + space(h.type)] = info.pn;
  return pkt.reportedLength;
}

function dissectShortHeader(pkt: Tvb, p: Packet, dg: DatagramInfo, info: PacketInfo): number {
  const t = p.tree;
  const conn = dg.conn;
  const dcidLength = conn ? ((dg.fromServer ? conn.clientCids[0] : conn.serverCids[0])?.length ?? 0) : 0;
  const first = pkt.u8(0);
  p.cols.setInfo('Protected Payload (KP0)');
  const dcid = dcidLength > 0 ? pkt.bytes(1, dcidLength) : null;
  if (dcid) p.cols.appendInfo(`, DCID=${cidKey(dcid)}`);
  if (t) {
    t.open(F['quic.short'], pkt, 0, pkt.reportedLength, null, dcid ? `QUIC Short Header DCID=${cidKey(dcid)}` : 'QUIC Short Header');
    t.add(F['quic.header_form'], pkt, 0, 1, 0);
    t.add(F['quic.fixed_bit'], pkt, 0, 1, (first & 0x40) !== 0);
    t.add(F['quic.spin_bit'], pkt, 0, 1, (first & 0x20) !== 0);
    if (dcid) t.add(F['quic.dcid'], pkt, 1, dcidLength, dcid);
    t.close();
  }
  // 1-RTT keys come from the TLS secrets, which a capture alone does not give. Like tshark, say so
  // once per connection, or on every packet while no ServerHello told the cipher suite.
  if (conn && !p.visited && !conn.skipDecryption) {
    if (!conn.cipherKnown) info.error = 'Missing TLS handshake, unsupported ciphers or padding';
    else {
      conn.skipDecryption = true;
      info.error = 'Secrets are not available';
    }
  }
  if (info.error) t?.expert('warn', `Failed to create decryption context: ${info.error}`, pkt, 0, 0, 'Decryption');
  return 1 + dcidLength;
}

/** Opens an Initial's payload and dissects its frames; false when it could not be opened. */
function processPayload(pkt: Tvb, p: Packet, dg: DatagramInfo, info: PacketInfo, pnEnd: number, type: number): boolean {
  const t = p.tree;
  const sealedLength = pkt.remaining(pnEnd);
  const payloadItem = (error: string | null) => {
    if (!t) return;
    t.open(F['quic.payload'], pkt, pnEnd, pkt.reportedRemaining(pnEnd), pkt.bytes(pnEnd, sealedLength));
    if (error) t.expert('warn', `Decryption failed: ${error}`, pkt, pnEnd, sealedLength, 'Decryption');
    t.close();
  };
  if (!info.keys) {
    payloadItem(null);
    return false;
  }
  if (sealedLength <= 16) {
    if (!p.visited) info.error = 'Decryption not possible, ciphertext is too short';
    payloadItem(info.error);
    return false;
  }
  // RFC 9001 §5.3: the associated data is the header with its protection removed.
  const header = pkt.bytes(0, pnEnd).slice();
  header[0] = info.firstByte;
  for (let i = 0; i < info.pnLength; i++) header[pnEnd - 1 - i] = Math.floor(info.pn / 2 ** (8 * i)) & 0xff;
  const plain = openPayload(info.keys, info.pn, header, pkt.bytes(pnEnd, sealedLength));
  if (!plain) {
    if (!p.visited) info.error = 'Decryption (checktag) failed: Checksum error';
    payloadItem(info.error);
    return false;
  }
  payloadItem(null);
  const src = t ? p.addSource('Decrypted QUIC', plain) : 0;
  const dec = new Tvb(plain, 0, plain.length, plain.length, src);
  let off = 0;
  for (let frame = 0; off < plain.length; frame++) off = dissectFrame(dec, off, p, dg, info, frame, type);
  return true;
}

function dissectFrame(tvb: Tvb, start: number, p: Packet, dg: DatagramInfo, info: PacketInfo, frame: number, type: number): number {
  const t = p.tree;
  const [ft, ftLen] = quicVarint(tvb, start);
  const names = FRAMES[ft] ?? (ft >= 0x08 && ft <= 0x0f ? ['STREAM', 'STREAM'] : null);
  const inner = t ? new BufferSink() : null;
  let label = names ? names[0] : 'Unknown';
  inner?.add(F['quic.frame_type'], tvb, start, ftLen, ft, `Frame Type: ${label} (0x${ft.toString(16).padStart(16, '0')})`);
  let off = start + ftLen;
  const v = (field: keyof typeof F): number => {
    const [value, n] = quicVarint(tvb, off);
    inner?.add(F[field], tvb, off, n, value);
    off += n;
    return value;
  };
  const skipVarint = () => {
    off += quicVarint(tvb, off)[1];
  };
  if (names) p.cols.appendInfo(`, ${names[1]}`);
  switch (ft) {
    case 0x00: {
      // Runs of zero bytes show as one frame.
      let end = off;
      while (end < tvb.length && tvb.u8(end) === 0) end++;
      const padLength = 1 + end - off;
      inner?.add(F['quic.padding_length'], tvb, off, GENERATED, padLength, `[Padding Length: ${padLength}]`);
      label += ` Length: ${padLength}`;
      off = end;
      break;
    }
    case 0x01:
    case 0x1e:
      break;
    case 0x02:
    case 0x03: {
      v('quic.ack.largest_acknowledged');
      v('quic.ack.ack_delay');
      let ranges = v('quic.ack.ack_range_count');
      v('quic.ack.first_ack_range');
      for (; ranges > 0; ranges--) {
        v('quic.ack.gap');
        v('quic.ack.ack_range');
      }
      if (ft === 0x03) {
        v('quic.ack.ect0_count');
        v('quic.ack.ect1_count');
        v('quic.ack.ecn_ce_count');
      }
      break;
    }
    case 0x04:
    case 0x05:
    case 0x11:
    case 0x15: {
      const id = v('quic.stream.stream_id');
      p.cols.appendInfo(`(${id})`);
      label += ` id=${id}`;
      skipVarint();
      if (ft === 0x04) skipVarint();
      break;
    }
    case 0x06: {
      const offset = v('quic.crypto.offset');
      const length = v('quic.crypto.length');
      tvb.check(off, length);
      inner?.add(F['quic.crypto.crypto_data'], tvb, off, length, null);
      if (!p.visited && type === LPT_INITIAL && dg.conn) {
        const stream = dg.conn.crypto[dg.fromServer ? 1 : 0];
        for (const message of stream.add(offset, tvb.bytes(off, length), p.num)) {
          info.messages.push({ frame, message });
          if (dg.fromServer && serverHelloSuite(message.msg) >= 0x1301 && serverHelloSuite(message.msg) <= 0x1305) dg.conn.cipherKnown = true;
        }
      }
      for (const m of info.messages) if (m.frame === frame) dissectTlsMessage(m.message, p, dg, inner);
      off += length;
      break;
    }
    case 0x07: {
      const [length, n] = quicVarint(tvb, off);
      off += n + length;
      tvb.check(0, off);
      break;
    }
    case 0x10:
    case 0x12:
    case 0x13:
    case 0x14:
    case 0x16:
    case 0x17:
    case 0x19:
      skipVarint();
      break;
    case 0x18: {
      skipVarint();
      skipVarint();
      const cidLength = tvb.u8(off);
      off += 1 + cidLength + 16;
      tvb.check(0, off);
      break;
    }
    case 0x1a:
    case 0x1b:
      off += 8;
      tvb.check(0, off);
      break;
    case 0x1c:
    case 0x1d: {
      const code = v('quic.cc.error_code');
      if (ft === 0x1c) v('quic.cc.frame_type');
      const reasonLength = v('quic.cc.reason_phrase.length');
      tvb.check(off, reasonLength);
      inner?.add(F['quic.cc.reason_phrase'], tvb, off, reasonLength, tvb.latin1(off, reasonLength));
      off += reasonLength;
      label += ` Error code: ${ft === 0x1c && code <= 0x3fff ? transportError(code) : '0x' + code.toString(16)}`;
      break;
    }
    case 0x30:
      off = tvb.length;
      break;
    case 0x31: {
      const length = quicVarint(tvb, off);
      off += length[1] + length[0];
      tvb.check(0, off);
      break;
    }
    default:
      if (ft >= 0x08 && ft <= 0x0f) {
        const id = v('quic.stream.stream_id');
        p.cols.appendInfo(`(${id})`);
        label += ` id=${id} fin=${ft & 0x01}`;
        if (ft & 0x04) skipVarint();
        if (ft & 0x02) {
          const [length, n] = quicVarint(tvb, off);
          off += n + length;
        } else off = tvb.length;
        tvb.check(0, off);
      } else inner?.expert('note', `Unknown Frame Type 0x${ft.toString(16)}`, tvb, start, ftLen, 'Undecoded');
      break;
  }
  if (t && inner) {
    t.open(F['quic.frame'], tvb, start, off - start, null, label);
    inner.replay(t);
    t.close();
  }
  return off;
}

/** The cipher suite a ServerHello chose (RFC 8446 §4.1.3), or -1. */
function serverHelloSuite(msg: Uint8Array): number {
  if (msg[0] !== 2 || msg.length < 4 + 2 + 32 + 1) return -1;
  const at = 4 + 2 + 32 + 1 + msg[4 + 2 + 32]!;
  return at + 2 <= msg.length ? (msg[at]! << 8) | msg[at + 1]! : -1;
}

/** Transport error names (RFC 9000 §20.1), 0x100–0x1ff being TLS alerts (CRYPTO_ERROR). */
function transportError(code: number): string {
  if (code >= 0x100 && code <= 0x1ff) return 'CRYPTO_ERROR';
  return F['quic.cc.error_code'].vals?.get(code) ?? `Unknown (${code})`;
}

/**
 * A TLS handshake message carried in CRYPTO frames (RFC 9001 §4): dissected by the TLS code for
 * its fields and tree, while the columns stay QUIC's, as tshark shows them.
 */
function dissectTlsMessage(m: CryptoMessage, p: Packet, dg: DatagramInfo, t: BufferSink | null): void {
  const msg = m.msg;
  if (t && m.parts.length > 1) {
    const list = m.parts.map(([f, , n]) => `#${f}(${n})`).join(', ');
    t.text(null, 0, 0, `[${m.parts.length} Reassembled QUIC CRYPTO Data Fragments (${msg.length} bytes): ${list}]`, true);
    for (const [f, from, n] of m.parts) t.text(null, 0, 0, `[Frame: ${f}, payload: ${from}-${from + n - 1} (${n} byte${n === 1 ? '' : 's'})]`);
    t.text(null, 0, 0, `[Fragment count: ${m.parts.length}]`);
    t.close();
  }
  const protocol = p.cols.protocol;
  const info = p.cols.info;
  const sess = new TlsSession();
  sess.version = 0x0304; // QUIC always runs TLS 1.3 (RFC 9001 §4.2)
  sess.versionFixed = true;
  const src = t ? p.addSource('Reassembled QUIC CRYPTO Data', msg) : 0;
  const tvb = new Tvb(msg, 0, msg.length, msg.length, src);
  const inner = t ? new BufferSink() : null;
  const hc: HsContext = { p, sess, dir: dg.fromServer ? 1 : 0, version: 0x0304, t: inner, label: '' };
  // tshark hands the message to its TLS dissector: "quic:tls" in frame.protocols.
  p.layers.push('tls');
  try {
    dissectHandshake(tvb, 0, msg.length, false, hc);
  } finally {
    p.cols.protocol = protocol;
    p.cols.info = info;
  }
  if (t && inner) {
    t.open(TLS.proto, tvb, 0, msg.length, null, `TLSv1.3 Record Layer: Handshake Protocol: ${hc.label}`);
    inner.replay(t);
    t.close();
  }
}

udpConversations.push(quicConversation);
udpHeuristics.push({ name: 'quic', dissect: quicHeuristic });

