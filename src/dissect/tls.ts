// TLS / SSL over TCP: the record layer (RFC 8446 §5, RFC 5246 §6.2), ChangeCipherSpec, Alert
// (RFC 8446 §6), Heartbeat (RFC 6520), Application Data, and SSL 2.0 records with the
// SSLv2-compatible ClientHello (RFC 5246 Appendix E.2). Handshake messages are in
// tls-handshake.ts, per-connection state in tls-session.ts, names in tls-names.ts.
//
// Columns follow tshark 4.0: Protocol is the record version until a ServerHello (or any other
// authoritative record) fixes the session version; Info lists the records' names joined by
// ", " behind whatever TCP fenced in front of it. Records spanning TCP segments are reassembled
// by TCP at our request (p.desegmentOffset/desegmentLen).

import { ONE_MORE_SEGMENT, type Packet } from './packet.ts';
import { registerTcpPayload } from './tcp.ts';
import { tcpHeuristics, tcpLanePayloads, tcpPortTable, type TcpLanePayload } from './tables.ts';
import { F } from './tls-fields.ts';
import { dissectHandshake, type HsContext } from './tls-handshake.ts';
import {
  ALERT_DESCRIPTIONS, ALERT_LEVELS, HEARTBEAT_TYPES, hex4, SSL2_MESSAGE_TYPES, SSL2_VERSION,
  SSL3_VERSION, TLS10_VERSION, TLS11_VERSION, TLS12_VERSION, TLS13_VERSION, versionName, versionShortName,
} from './tls-names.ts';
import { fromServer, isValidContentType, keepSessionAt, sessionFor, tlsState, TLS_PORTS, trySetVersion, VERSION_UNKNOWN, type TlsSession } from './tls-session.ts';
import { BufferSink, GENERATED, type TreeSink } from './tree.ts';
import type { Tvb } from './tvb.ts';

export { F };

const CT_CCS = 20;
const CT_ALERT = 21;
const CT_HANDSHAKE = 22;
const CT_APPDATA = 23;
const CT_HEARTBEAT = 24;

/** Application protocols Wireshark names for TLS ports (record label, tls.app_data_proto). */
const APP_PROTOCOLS: Record<number, string> = {
  443: 'Hypertext Transfer Protocol',
  465: 'Simple Mail Transfer Protocol',
  636: 'Lightweight Directory Access Protocol',
  853: 'Domain Name System',
  993: 'Internet Message Access Protocol',
  995: 'Post Office Protocol',
  5061: 'Session Initiation Protocol',
  8883: 'MQ Telemetry Transport Protocol',
};

interface Ctx {
  p: Packet;
  sess: TlsSession;
  t: TreeSink | null;
  needMore: boolean;
}

function short(v: number, dflt: string): string {
  return versionShortName(v) ?? dflt;
}

function versionLabel(v: number): string {
  return `Version: ${versionName(v) ?? 'Unknown'} (${hex4(v)})`;
}

/** Asks TCP for more bytes when it can reassemble; returns whether it asked. */
function desegment(c: Ctx, off: number, len: number): boolean {
  if (!c.p.canDesegment) return false;
  c.p.desegmentOffset = off;
  c.p.desegmentLen = len;
  c.needMore = true;
  return true;
}

/** The TLS dissector for a TCP payload; false when the bytes are plainly not TLS. */
export function dissectTls(tvb: Tvb, p: Packet): boolean {
  // Real TLS never starts with four printable characters: that is clear text, not ours.
  if (tvb.length > 4 && isPrint(tvb.u8(0)) && isPrint(tvb.u8(1)) && isPrint(tvb.u8(2)) && isPrint(tvb.u8(3))) return false;
  const sess = sessionFor(p);
  // Each call is listed, as tshark lists it: a reassembled record and the records after it
  // in the same segment read "tls:tls".
  p.layers.push('tls');
  p.cols.protocol = short(sess.version, 'SSL');
  p.cols.clearInfo();
  const t = p.tree;
  const c: Ctx = { p, sess, t, needMore: false };
  if (t) t.open(F.proto, tvb, 0, tvb.length, null, 'Transport Layer Security');
  try {
    let off = 0;
    while (tvb.reportedLength - off > 0) {
      switch (sess.version) {
        case SSL2_VERSION:
          off = ssl2Record(tvb, off, c);
          break;
        case SSL3_VERSION:
        case TLS10_VERSION:
        case TLS11_VERSION:
        case TLS12_VERSION:
        case 0x0101:
          if (tvb.reportedLength - off < 5) {
            if (!desegment(c, off, ONE_MORE_SEGMENT)) off = tvb.reportedLength;
            break;
          }
          off = isV2ClientHello(tvb, off) ? ssl2Record(tvb, off, c) : ssl3Record(tvb, off, c);
          break;
        default:
          // Unknown version, or TLS 1.3: SSLv3/TLS records need 5 bytes of header.
          if (tvb.reportedLength - off < 5) {
            if (!desegment(c, off, ONE_MORE_SEGMENT)) off = tvb.reportedLength;
            break;
          }
          if (looksLikeSsl2(tvb, off)) off = ssl2Record(tvb, off, c);
          else if (looksLikeSsl3(tvb, off)) off = ssl3Record(tvb, off, c);
          else {
            off = tvb.reportedLength;
            p.cols.appendInfoSep(', ', 'Continuation Data');
          }
      }
      if (c.needMore) return true;
    }
  } finally {
    t?.close();
  }
  p.cols.fenceInfo();
  return true;
}

function isPrint(b: number): boolean {
  return b >= 0x20 && b < 0x7f;
}

/** An SSLv2 ClientHello inside a TLS connection (RFC 5246 Appendix E.2). */
function isV2ClientHello(tvb: Tvb, off: number): boolean {
  return tvb.u8(off) === 0x80 && tvb.u8(off + 2) === 0x01;
}

/** Unencrypted SSLv2 handshake: 2-byte header (high bit set) and a clear message type. */
function looksLikeSsl2(tvb: Tvb, off: number): boolean {
  if (tvb.u8(off) < 0x80) return false;
  const t = tvb.u8(off + 2);
  return t === 0 || t === 1 || t === 2 || t === 4;
}

function looksLikeSsl3(tvb: Tvb, off: number): boolean {
  if (!isValidContentType(tvb.u8(off))) return false;
  switch (tvb.u16(off + 1)) {
    case SSL3_VERSION:
    case TLS10_VERSION:
    case TLS11_VERSION:
    case TLS12_VERSION:
    case TLS13_VERSION:
    case 0x0101:
      return true;
  }
  return false;
}

/** One SSLv3/TLS record at `off`; returns the offset after it. */
function ssl3Record(tvb: Tvb, off: number, c: Ctx): number {
  const { p, sess } = c;
  const avail = tvb.reportedLength - off;
  // TLS ignores records of unknown type (RFC 5246 §6; Wireshark does so for TLS 1.0-1.2).
  if ((sess.version === TLS10_VERSION || sess.version === TLS11_VERSION || sess.version === TLS12_VERSION || sess.version === 0x0101) &&
    avail >= 1 && !isValidContentType(tvb.u8(off))) {
    c.t?.add(F['tls.ignored_unknown_record'], tvb, off, avail, null, 'Ignored Unknown Record');
    c.t?.expert('note', 'Ignored Unknown Record', tvb, off, avail, 'Protocol');
    p.cols.appendInfoSep(', ', 'Ignored Unknown Record');
    return off + avail;
  }
  if (avail < 5) {
    // The header itself is split: ask for another segment, not an exact count.
    if (desegment(c, off, ONE_MORE_SEGMENT)) return off;
    return off + avail;
  }
  const ct = tvb.u8(off);
  const recVersion = tvb.u16(off + 1);
  const len = tvb.u16(off + 3);
  if (isValidContentType(ct)) {
    if (avail < len + 5) {
      if (desegment(c, off, len + 5 - avail)) return off;
      return off + avail;
    }
  } else {
    p.cols.appendInfoSep(', ', 'Continuation Data');
    return off + 5 + len;
  }

  const t = c.t ? new BufferSink() : null;
  const sessVersionAtStart = sess.version;
  if (t) {
    if (sessVersionAtStart === TLS13_VERSION && ct === CT_APPDATA) t.add(F['tls.record.opaque_type'], tvb, off, 1, ct);
    else t.add(F['tls.record.content_type'], tvb, off, 1, ct);
    t.add(F['tls.record.version'], tvb, off + 1, 2, recVersion, versionLabel(recVersion));
    t.add(F['tls.record.length'], tvb, off + 3, 2, len);
  }
  const body = off + 5;
  // The record version counts until the session has one (a ClientHello's is only a hint).
  const nextByte = tvb.u8(body);
  let version: number;
  if (sess.version === VERSION_UNKNOWN) {
    trySetVersion(sess, ct, nextByte, recVersion);
    p.cols.protocol = short(recVersion, 'SSL');
    version = recVersion;
  } else version = sess.version;

  let label = 'Record Layer';
  switch (ct) {
    case CT_CCS:
      if (version === TLS13_VERSION && sess.draft > 0 && sess.draft < 22) {
        // ChangeCipherSpec came back in TLS 1.3 draft 22.
        t?.expert('warn', 'Record type is not allowed in TLS 1.3', tvb, off, 1, 'Protocol');
        break;
      }
      p.cols.appendInfoSep(', ', 'Change Cipher Spec');
      label = `${short(sess.version, 'SSL')} Record Layer: Change Cipher Spec Protocol: Change Cipher Spec`;
      t?.add(F['tls.change_cipher_spec'], tvb, body, 1, null, 'Change Cipher Spec Message');
      if (sess.version !== TLS13_VERSION) {
        // Handshake records after the first ChangeCipherSpec of a side are encrypted.
        if (fromServer(sess, p)) {
          if (sess.serverCcsFrame === 0) sess.serverCcsFrame = p.num;
        } else if (sess.clientCcsFrame === 0) sess.clientCcsFrame = p.num;
      }
      break;
    case CT_ALERT:
      label = alert(tvb, body, len, c, t);
      break;
    case CT_HANDSHAKE: {
      const hc: HsContext = { p, sess, dir: fromServer(sess, p) ? 1 : 0, version, t, label: '' };
      try {
        dissectHandshake(tvb, body, body + len, true, hc);
      } catch (e) {
        // A malformed message (a certificate that is not DER) ends the packet, as in tshark: the
        // record shows what was read of it, the malformed item follows (frame.ts).
        if (c.t && t) {
          c.t.open(F['tls.record'], tvb, off, 5 + len, null, `${short(version, 'TLS')} Record Layer: Handshake Protocol: ${hc.label}`);
          t.replay(c.t);
        }
        throw e;
      }
      label = `${short(version, 'TLS')} Record Layer: Handshake Protocol: ${hc.label}`;
      break;
    }
    case CT_APPDATA: {
      p.cols.appendInfoSep(', ', 'Application Data');
      const app = APP_PROTOCOLS[p.srcPort] ?? APP_PROTOCOLS[p.dstPort];
      label = `${short(version, 'SSL')} Record Layer: Application Data Protocol: ${app ?? 'Application Data'}`;
      if (t) {
        t.add(F['tls.app_data'], tvb, body, len, tvb.bytes(body, Math.min(len, tvb.remaining(body))));
        if (app) t.add(F['tls.app_data_proto'], tvb, 0, GENERATED, app);
      }
      break;
    }
    case CT_HEARTBEAT:
      if (version === TLS13_VERSION) {
        t?.expert('warn', 'Record type is not allowed in TLS 1.3', tvb, off, 1, 'Protocol');
        break;
      }
      label = heartbeat(tvb, body, len, c, t);
      break;
    default:
      break;
  }
  if (c.t && t) {
    c.t.open(F['tls.record'], tvb, off, 5 + len, null, label);
    t.replay(c.t);
    c.t.close();
  }
  return body + len;
}

/** Alert (RFC 8446 §6): two bytes in clear; anything longer is an encrypted alert. */
function alert(tvb: Tvb, off: number, len: number, c: Ctx, t: TreeSink | null): string {
  const v = short(c.sess.version, 'TLS');
  if (len !== 2) {
    c.p.cols.appendInfoSep(', ', 'Encrypted Alert');
    t?.add(F['tls.alert_message'], tvb, off, len, null, 'Alert Message: Encrypted Alert');
    return `${v} Record Layer: Encrypted Alert`;
  }
  const lb = tvb.u8(off);
  const db = tvb.u8(off + 1);
  const level = ALERT_LEVELS[lb] ?? 'Unknown';
  const desc = ALERT_DESCRIPTIONS[db] ?? 'Unknown';
  const text = `Alert (Level: ${level}, Description: ${desc})`;
  c.p.cols.appendInfoSep(', ', text);
  if (t) {
    t.open(F['tls.alert_message'], tvb, off, 2, null, 'Alert Message');
    t.add(F['tls.alert_message.level'], tvb, off, 1, lb);
    t.add(F['tls.alert_message.desc'], tvb, off + 1, 1, db);
    t.close();
  }
  return `${v} Record Layer: ${text}`;
}

/** Heartbeat (RFC 6520 §4); encrypted ones (after the handshake) are only named. */
function heartbeat(tvb: Tvb, off: number, len: number, c: Ctx, t: TreeSink | null): string {
  const type = HEARTBEAT_TYPES[tvb.u8(off)];
  const payloadLen = tvb.u16(off + 1);
  const v = short(c.sess.version, 'SSL');
  // Too short for type, length and 16 bytes of padding, or consistent lengths: plaintext.
  const plain = len <= 19 || 3 + payloadLen + 16 <= len;
  if (type && plain) {
    c.p.cols.appendInfoSep(', ', `Heartbeat ${type}`);
    if (t) {
      t.open(F['tls.heartbeat_message'], tvb, off, len, null, 'Heartbeat Message');
      t.add(F['tls.heartbeat_message.type'], tvb, off, 1, tvb.u8(off));
      t.add(F['tls.heartbeat_message.payload_length'], tvb, off + 1, 2, payloadLen);
      if (3 + payloadLen + 16 > len) t.expert('error', `Invalid heartbeat payload length (${payloadLen})`, tvb, off + 1, 2, 'Malformed');
      t.close();
    }
    return `${v} Record Layer: Heartbeat ${type}`;
  }
  c.p.cols.appendInfoSep(', ', 'Encrypted Heartbeat');
  t?.add(F['tls.heartbeat_message'], tvb, off, len, null, 'Encrypted Heartbeat Message');
  return `${v} Record Layer: Encrypted Heartbeat`;
}

/** Versions an SSLv2 hello may carry (any version Wireshark knows by name). */
function isValidSslVersion(v: number): boolean {
  return versionName(v) !== undefined;
}

/** Whether an SSLv2 record holds a clear handshake message (they are few and checkable). */
function looksLikeValidV2Handshake(tvb: Tvb, off: number, recLen: number): boolean {
  switch (tvb.u8(off)) {
    case 1:
      return isValidSslVersion(tvb.u16(off + 1));
    case 4:
      return isValidSslVersion(tvb.u16(off + 3));
    case 2:
      return tvb.u16(off + 4) + tvb.u16(off + 6) + tvb.u16(off + 8) <= recLen;
    default:
      return false;
  }
}

/** An SSL 2.0 record (draft-hickman-netscape-ssl-00 §1.2): 2- or 3-byte header. */
function ssl2Record(tvb: Tvb, off: number, c: Ctx): number {
  const { p, sess } = c;
  const first = tvb.u8(off);
  const hlen = first & 0x80 ? 2 : 3;
  const avail = tvb.reportedLength - off;
  if (avail < hlen) {
    if (desegment(c, off, ONE_MORE_SEGMENT)) return off;
    return off + avail;
  }
  let recLen: number;
  let isEscape = -1;
  let padding = -1;
  if (hlen === 2) recLen = ((first & 0x7f) << 8) | tvb.u8(off + 1);
  else {
    isEscape = first & 0x40 ? 1 : 0;
    recLen = ((first & 0x3f) << 8) | tvb.u8(off + 1);
    padding = tvb.u8(off + 2);
  }
  if (avail < hlen + recLen) {
    if (desegment(c, off, hlen + recLen - avail)) return off;
    return off + avail;
  }
  const body = off + hlen;
  const msgType = tvb.u8(body);
  // A ServerHello or later message in SSLv2 makes the connection SSLv2.
  if (sess.version === VERSION_UNKNOWN && msgType >= 2 && msgType <= 8) sess.version = SSL2_VERSION;
  p.cols.protocol = 'SSLv2';
  const t = c.t;
  const name = SSL2_MESSAGE_TYPES[msgType];
  if (!name || !looksLikeValidV2Handshake(tvb, body, recLen)) {
    if (t) {
      t.open(F['tls.record'], tvb, off, hlen + recLen, null, 'SSLv2 Record Layer: Encrypted Data');
      t.add(F['tls.record.version'], tvb, off, GENERATED, SSL2_VERSION, versionLabel(SSL2_VERSION));
      t.close();
    }
    p.cols.appendInfoSep(', ', 'Encrypted Data');
    return off + hlen + recLen;
  }
  p.cols.appendInfoSep(', ', name);
  if (t) {
    t.open(F['tls.record'], tvb, off, hlen + recLen, null, `SSLv2 Record Layer: ${name}`);
    t.add(F['tls.record.version'], tvb, off, GENERATED, SSL2_VERSION, versionLabel(SSL2_VERSION));
    t.add(F['tls.record.length'], tvb, off, hlen, recLen);
    if (isEscape >= 0) t.add(F['tls.record.is_escape'], tvb, off, 1, isEscape === 1);
    if (padding >= 0) t.add(F['tls.record.padding_length'], tvb, off + 2, 1, padding);
    t.add(F['tls.handshake.type'], tvb, body, 1, msgType, `Handshake Message Type: ${name} (${msgType})`);
  }
  try {
    if (msgType === 1) ssl2ClientHello(tvb, body + 1, c);
    else if (msgType === 2 && t) ssl2ClientMasterKey(tvb, body + 1, t);
    else if (msgType === 4 && t) ssl2ServerHello(tvb, body + 1, t);
  } finally {
    t?.close();
  }
  return off + hlen + recLen;
}

function ssl2ClientHello(tvb: Tvb, off: number, c: Ctx): void {
  const version = tvb.u16(off);
  if (!isValidSslVersion(version)) return;
  c.sess.serverAddr = c.p.netDst;
  c.sess.serverPort = c.p.dstPort;
  const t = c.t;
  if (!t) return;
  t.add(F['tls.handshake.version'], tvb, off, 2, version, versionLabel(version));
  const csLen = tvb.u16(off + 2);
  const sidLen = tvb.u16(off + 4);
  const chLen = tvb.u16(off + 6);
  t.add(F['tls.handshake.cipher_spec_len'], tvb, off + 2, 2, csLen);
  t.add(F['tls.handshake.session_id_length'], tvb, off + 4, 2, sidLen);
  if (sidLen > 16) {
    t.expert('error', `Session ID length (${sidLen}) must be less than 16.`, tvb, off + 4, 2, 'Malformed');
    return;
  }
  t.add(F['tls.handshake.challenge_length'], tvb, off + 6, 2, chLen);
  let o = off + 8;
  t.open(F['tls.handshake.ciphersuites'], tvb, o, csLen, null, `Cipher Specs (${Math.floor(csLen / 3)} specs)`);
  for (let i = 0; i + 3 <= csLen; i += 3) t.add(F['tls.handshake.cipherspec'], tvb, o + i, 3, tvb.u24(o + i));
  t.close();
  o += csLen;
  if (sidLen > 0) {
    t.add(F['tls.handshake.session_id'], tvb, o, sidLen, tvb.bytes(o, sidLen), `Session ID (${sidLen} byte${sidLen === 1 ? '' : 's'})`);
    o += sidLen;
  }
  if (chLen > 0) t.add(F['tls.handshake.challenge'], tvb, o, chLen, null, 'Challenge');
}

function ssl2ClientMasterKey(tvb: Tvb, off: number, t: TreeSink): void {
  t.add(F['tls.handshake.cipherspec'], tvb, off, 3, tvb.u24(off));
  t.add(F['tls.handshake.clear_key_length'], tvb, off + 3, 2, tvb.u16(off + 3));
  t.add(F['tls.handshake.encrypted_key_length'], tvb, off + 5, 2, tvb.u16(off + 5));
  t.add(F['tls.handshake.key_arg_length'], tvb, off + 7, 2, tvb.u16(off + 7));
}

function ssl2ServerHello(tvb: Tvb, off: number, t: TreeSink): void {
  const version = tvb.u16(off + 2);
  if (!isValidSslVersion(version)) return;
  t.add(F['tls.handshake.session_id_hit'], tvb, off, 1, tvb.u8(off) !== 0);
  t.add(F['tls.handshake.cert_type'], tvb, off + 1, 1, tvb.u8(off + 1));
  t.add(F['tls.handshake.version'], tvb, off + 2, 2, version, versionLabel(version));
  t.add(F['tls.handshake.certificate_length'], tvb, off + 4, 2, tvb.u16(off + 4));
  t.add(F['tls.handshake.cipher_spec_len'], tvb, off + 6, 2, tvb.u16(off + 6));
  t.add(F['tls.handshake.connection_id_length'], tvb, off + 8, 2, tvb.u16(off + 8));
}

// ---- heuristic (Wireshark's "tls_tcp", enabled by default) ----

/** A plausible SSLv3/TLS record header: handshake or application data, known version, sane length. */
function isSsl3OrTls(tvb: Tvb): boolean {
  if (tvb.length < 5) return false;
  const ct = tvb.u8(0);
  if (ct !== CT_HANDSHAKE && ct !== CT_APPDATA) return false;
  const v = tvb.u16(1);
  if (v !== SSL3_VERSION && v !== TLS10_VERSION && v !== TLS11_VERSION && v !== TLS12_VERSION && v !== 0x0101) return false;
  const len = tvb.u16(3);
  // RFC 8446 §5.1: at most 2^14 bytes plus expansion.
  return len !== 0 && len < 16384 + 2048;
}

/** An SSLv2-format ClientHello as TLS clients may send it (RFC 5246 Appendix E.2). */
function isSsl2ClientHello(tvb: Tvb): boolean {
  if (tvb.length < 46) return false;
  if (tvb.u8(0) !== 0x80 || tvb.u8(2) !== 1) return false;
  const cs = tvb.u16(5);
  if (cs === 0 || cs % 3 !== 0) return false;
  const sid = tvb.u16(7);
  if (sid !== 0 && sid !== 16) return false;
  return tvb.u16(9) === 32;
}

function tlsHeuristic(tvb: Tvb, p: Packet): boolean {
  if (!isSsl3OrTls(tvb) && !isSsl2ClientHello(tvb)) return false;
  return dissectTls(tvb, p);
}

// ---- the first pass's short lane (tcp-lane.ts) ----

/**
 * Application Data records (RFC 8446 §5.2, RFC 5246 §6.2) filling bytes `off` to `off + len` of
 * `b` exactly, none empty, each with a record version dissectTls takes for `version`: their
 * count, or 0 when the payload is anything else.
 */
function wholeAppDataRecords(b: Uint8Array, off: number, len: number, version: number): number {
  const end = off + len;
  let n = 0;
  while (off < end) {
    if (end - off < 5 || b[off] !== CT_APPDATA) return 0;
    const recVersion = (b[off + 1]! << 8) | b[off + 2]!;
    // TLS 1.3 reads a record only with one of these versions (looksLikeSsl3); 1.0–1.2 take any.
    if (version === TLS13_VERSION && recVersion !== SSL3_VERSION && recVersion !== TLS10_VERSION &&
      recVersion !== TLS11_VERSION && recVersion !== TLS12_VERSION && recVersion !== TLS13_VERSION && recVersion !== 0x0101) return 0;
    const recLen = (b[off + 3]! << 8) | b[off + 4]!;
    if (recLen === 0) return 0;
    off += 5 + recLen;
    n++;
  }
  return off === end ? n : 0;
}

/**
 * TLS's part in the first pass's short lane: a segment of a session whose version is known,
 * carrying whole Application Data records and nothing else, is what dissectTls's first pass
 * dissects without reassembly and without changing the session; the lane keeps the session
 * copy the full path keeps for the frame. Handshakes, alerts, ChangeCipherSpec, a record cut by
 * the segment, SSLv2 and sessions still without a version go the full way.
 */
const tlsLane: TcpLanePayload = {
  layer: 'tls',
  check(state, stream, _num, b, off, len) {
    const s = tlsState.of(state).sessions.get(stream);
    if (!s) return null;
    const v = s.version;
    if (v !== TLS10_VERSION && v !== TLS11_VERSION && v !== TLS12_VERSION && v !== TLS13_VERSION) return null;
    if (s.draft !== 0 || wholeAppDataRecords(b, off, len, v) === 0) return null;
    return short(v, 'SSL');
  },
  commit(state, stream, num) {
    const st = tlsState.of(state);
    keepSessionAt(st, st.sessions.get(stream)!, num);
  },
  info(cols, b, off, len) {
    // As dissectTls and ssl3Record: TCP's text cleared, one name per record (counted again; check()
    // took the records' versions already, so any version that reads them all will do).
    cols.clearInfo();
    for (let n = wholeAppDataRecords(b, off, len, TLS12_VERSION); n > 0; n--) cols.appendInfoSep(', ', 'Application Data');
  },
};
tcpLanePayloads.set(dissectTls, tlsLane);

registerTcpPayload('tls', dissectTls);
for (const port of TLS_PORTS) tcpPortTable.add(port, dissectTls);
tcpHeuristics.push({
  name: 'tls',
  dissect: tlsHeuristic,
  // Both record shapes the heuristic knows start with a handshake, data or SSLv2 header byte.
  laneTest: (b, off) => (b[off] === CT_HANDSHAKE || b[off] === CT_APPDATA || b[off] === 0x80 ? 'unknown' : 'no'),
});

