// TLS handshake protocol (RFC 8446 §4, RFC 5246 §7.4): messages inside Handshake records,
// messages that span records (reassembled per direction, RFC 8446 §5.1 allows fragmentation),
// encrypted handshake records (after ChangeCipherSpec), and the details of the hello messages
// and their extensions (RFC 6066, RFC 7301, RFC 8446 §4.2).

import { stateSlot, type Packet } from './packet.ts';
import { F } from './tls-fields.ts';
import {
  cipherSuiteName, extensionName, groupName, HANDSHAKE_TYPES, hex4, isGrease, PSK_KE_MODES, versionName, versionShortName,
} from './tls-names.ts';
import { signatureAlgorithmTree } from './tls-sct.ts';
import { dissectCertificate } from './x509af.ts';
import { appendText } from './x509if.ts';
import { quicTransportParameters } from './tls-quic-params.ts';
import { fromServer, trySetVersion, VERSION_UNKNOWN, type TlsSession } from './tls-session.ts';
import { FieldCollector, GENERATED, type TreeSink } from './tree.ts';
import { utcTimeText } from './text.ts';
import { Tvb } from './tvb.ts';
import { oidSink, readTlv, type OidSink } from './ber.ts';
import { fieldLabel } from './registry.ts';
import { md5 } from '@noble/hashes/legacy.js';
import { bytesToHex } from '@noble/hashes/utils.js';

/** What a Handshake record is dissected with. */
export interface HsContext {
  p: Packet;
  sess: TlsSession;
  /** 0 = from the client, 1 = from the server. */
  dir: 0 | 1;
  /** Version for labels ("TLSv1.2 Record Layer: …"). */
  version: number;
  t: TreeSink | null;
  /** The record-layer label chosen while dissecting (Wireshark sets it per message). */
  label: string;
}

/** SHA-256("HelloRetryRequest"), the Random of a HelloRetryRequest (RFC 8446 §4.1.3). */
const HRR_RANDOM = [
  0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
  0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c,
];

const HELLO_RETRY_REQUEST = 6;

function concat(chunks: Uint8Array[], total: number): Uint8Array {
  const out = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) {
    out.set(c.subarray(0, Math.min(c.length, total - o)), o);
    o += c.length;
    if (o >= total) break;
  }
  return out;
}

/**
 * Dissects the handshake bytes of one record, [off, end) of `tvb`.
 * `maybeEncrypted`: the record was not decrypted (always, for us).
 */
export function dissectHandshake(tvb: Tvb, off: number, end: number, maybeEncrypted: boolean, c: HsContext): void {
  const { sess, dir, p, t } = c;
  let isFirst = true;
  let frag: { offset: number; isLast: boolean; type: number; full: Uint8Array | null } | null = null;

  // 1. A message started in an earlier record continues here.
  const pend = sess.hs[dir];
  if (pend) {
    let subset = end - off;
    let msgLen = 0;
    const head: number[] = [];
    for (const ch of pend.chunks) for (let i = 0; i < ch.length && head.length < 4; i++) head.push(ch[i]!);
    for (let i = 0; head.length < 4 && tvb.has(off + i, 1) && off + i < end; i++) head.push(tvb.u8(off + i));
    if (head.length >= 4) {
      msgLen = 4 + ((head[1]! << 16) | (head[2]! << 8) | head[3]!);
      if (subset > msgLen - pend.have) subset = msgLen - pend.have;
    }
    if (!tvb.has(off, subset)) {
      // Missing bytes: the message cannot be completed, nor its end found.
      sess.hs[dir] = null;
    } else {
      const isLast = pend.have + subset === msgLen;
      frag = { offset: pend.have, isLast, type: head[0]!, full: null };
      pend.chunks.push(tvb.bytes(off, subset).slice());
      pend.have += subset;
      pend.frames.push(p.num);
      if (isLast) {
        frag.full = concat(pend.chunks, pend.have);
        sess.hs[dir] = null;
      }
    }
  }

  if (frag) {
    // 2. This record continues a message: finish it or show the middle fragment.
    if (!frag.isLast) {
      showDetails(c, tvb, frag.type, false, false, false, off, end - off, null);
      t?.close();
      return;
    }
    const subset = frag.full!.length - frag.offset;
    t?.add(F['tls.handshake'], tvb, off, subset, null,
      `Handshake Protocol: ${HANDSHAKE_TYPES[frag.type] ?? 'Encrypted Handshake Message'} (last fragment)`);
    off += subset;
    const full = frag.full!;
    const src = t ? p.addSource('Reassembled TLS Handshake', full) : 0;
    dissectFull(new Tvb(full, 0, full.length, full.length, src), 0, true, c);
    isFirst = false;
  } else if (isEncryptedHandshake(tvb, off, end, maybeEncrypted, c)) {
    // 3. Not a continuation: encrypted bytes show as such.
    showDetails(c, tvb, 0, true, true, true, off, end - off, null);
    t?.close();
    return;
  }

  // 4. Whole messages, then possibly the start of one that continues in the next record.
  while (off < end) {
    const subset = end - off;
    const msgLen = subset >= 4 ? 4 + tvb.u24(off + 1) : 0;
    if (msgLen === 0 || subset < msgLen) {
      const type = tvb.u8(off);
      const have = Math.min(subset, tvb.remaining(off));
      sess.hs[dir] = { chunks: [tvb.bytes(off, have).slice()], have: subset, firstFrame: p.num, frames: [p.num] };
      showDetails(c, tvb, type, false, isFirst, false, off, subset, null);
      t?.close();
      break;
    }
    dissectFull(tvb, off, isFirst, c);
    off += msgLen;
    isFirst = false;
  }
}

/** Wireshark's guess whether a handshake record is encrypted (it is not decrypted). */
function isEncryptedHandshake(tvb: Tvb, off: number, end: number, maybeEncrypted: boolean, c: HsContext): boolean {
  if (end - off < 16) {
    // Encryption adds at least 16 bytes (MAC or AEAD tag and nonce): anything shorter is plaintext.
    return false;
  }
  let enc = maybeEncrypted;
  if (enc) {
    // Two successive empty HelloRequests are unlikely; 5 zero bytes are the explicit nonce of
    // an AEAD record (RFC 5288 §3) numbered 0.
    enc = tvb.u32(off) === 0 && tvb.u8(off + 4) === 0;
    if (!enc) {
      const ccs = fromServer(c.sess, c.p) ? c.sess.serverCcsFrame : c.sess.clientCcsFrame;
      enc = ccs !== 0 && c.p.num > ccs;
    }
  }
  if (!enc) {
    enc = HANDSHAKE_TYPES[tvb.u8(off)] === undefined;
    if (!enc) enc = tvb.u24(off + 1) >= 0x10000;
  }
  return enc;
}

/**
 * Info column and tree node of a message (or fragment). Leaves the message node open when
 * there is a tree; the caller closes it.
 */
function showDetails(c: HsContext, tvb: Tvb, type: number, encrypted: boolean, isFirst: boolean, complete: boolean,
  off: number, len: number, sni: string | null): void {
  const str = encrypted ? 'Encrypted Handshake Message' : HANDSHAKE_TYPES[type] ?? 'Encrypted Handshake Message';
  if (complete) {
    // Wireshark 4.2+ names the server in Info; the corpus comparison strips it (known-differences.ts).
    c.p.cols.appendInfoSep(', ', sni !== null ? `${str} (SNI=${sni})` : str);
  } else if (isFirst) {
    c.p.cols.appendInfoSep(', ', `[${str} Fragment]`);
  }
  const frag = !complete && !encrypted ? ' (fragment)' : '';
  c.label = isFirst ? str + frag : 'Multiple Handshake Messages';
  c.t?.open(F['tls.handshake'], tvb, off, len, null, `Handshake Protocol: ${str}${frag}`);
}

/** Reads a ServerHello's version (supported_versions wins, RFC 8446 §4.2.1) and HRR marker. */
function scanServerHello(tvb: Tvb, off: number, end: number): { version: number; hrr: boolean } {
  const r = { version: tvb.u16(off), hrr: false };
  if (end - off < 35 + 5 + 8 || !tvb.has(off, 35)) return r;
  r.hrr = HRR_RANDOM.every((b, i) => tvb.u8(off + 2 + i) === b);
  let o = off + 2 + 32;
  const sidLen = tvb.u8(o);
  o++;
  if (end - o < sidLen + 5) return r;
  o += sidLen + 5; // session id, cipher suite, compression method, extensions length
  while (end - o >= 6 && tvb.has(o, 4)) {
    const type = tvb.u16(o);
    const len = tvb.u16(o + 2);
    if (end - o < 4 + len) break;
    if (type === 43 && len === 2 && tvb.has(o + 4, 2)) {
      r.version = tvb.u16(o + 4);
      return r;
    }
    o += 4 + len;
  }
  return r;
}

/** The first host_name of a ClientHello's server_name extension (RFC 6066 §3), or null. */
/** The first server name (SNI) a Client Hello asked for, per TCP stream (kept by the first pass). */
const serverNames = stateSlot(() => new Map<number, string>());

/** The server name the first Client Hello of TCP stream `stream` carried, if any. */
export function tlsServerName(state: Packet['state'], stream: number): string | undefined {
  return serverNames.of(state).get(stream);
}

export function clientHelloSni(tvb: Tvb, off: number, end: number): string | null {
  let o = off + 34;
  const need = (n: number) => o + n <= end && tvb.has(o, n);
  if (!need(1)) return null;
  o += 1 + tvb.u8(o);
  if (!need(2)) return null;
  o += 2 + tvb.u16(o);
  if (!need(1)) return null;
  o += 1 + tvb.u8(o);
  if (!need(2)) return null;
  const extEnd = Math.min(end, o + 2 + tvb.u16(o));
  o += 2;
  while (o + 4 <= extEnd && tvb.has(o, 4)) {
    const type = tvb.u16(o);
    const len = tvb.u16(o + 2);
    o += 4;
    if (o + len > extEnd) return null;
    if (type === 0) {
      let e = o + 2;
      const listEnd = Math.min(o + len, o + 2 + (tvb.has(o, 2) ? tvb.u16(o) : 0));
      while (e + 3 <= listEnd && tvb.has(e, 3)) {
        const nt = tvb.u8(e);
        const nl = tvb.u16(e + 1);
        if (e + 3 + nl > listEnd || !tvb.has(e + 3, nl)) return null;
        if (nt === 0) return tvb.latin1(e + 3, nl);
        e += 3 + nl;
      }
      return null;
    }
    o += len;
  }
  return null;
}

/** One complete handshake message at `off` (type, uint24 length, body). */
function dissectFull(tvb: Tvb, off: number, isFirst: boolean, c: HsContext): void {
  const { sess, p, t } = c;
  const type = tvb.u8(off);
  const length = tvb.u24(off + 1);
  const known = HANDSHAKE_TYPES[type] !== undefined;
  if (!known && !isFirst) return;
  let hrr = false;
  if (isFirst && type === 2 && length > 2) {
    // The ServerHello fixes the version of the connection (RFC 8446 §4.1.3).
    const sv = scanServerHello(tvb, off + 4, off + 4 + length);
    trySetVersion(sess, 22, 2, sv.version);
    if (sess.version !== VERSION_UNKNOWN) p.cols.protocol = versionShortName(sess.version) ?? 'SSL';
    hrr = sv.hrr;
  }
  const sni = type === 1 ? clientHelloSni(tvb, off + 4, off + 4 + length) : null;
  if (sni !== null && !p.visited && p.tcp) {
    const names = serverNames.of(p.state);
    if (!names.has(p.tcp.stream)) names.set(p.tcp.stream, sni);
  }
  showDetails(c, tvb, hrr ? HELLO_RETRY_REQUEST : type, false, isFirst, true, off, length + 4, sni);
  if (!known) {
    t?.close();
    return;
  }
  if (t) {
    t.add(F['tls.handshake.type'], tvb, off, 1, type);
    t.add(F['tls.handshake.length'], tvb, off + 1, 3, length);
  }
  const bodyEnd = off + 4 + length;
  if (type === 1 || type === 2) {
    // A new hello starts a new handshake (renegotiation): its ChangeCipherSpec is still ahead.
    if (type === 1) sess.clientCcsFrame = 0;
    else sess.serverCcsFrame = 0;
  }
  if (type === 1) {
    // The ClientHello goes to the server: remember which end that is.
    sess.serverAddr = p.netDst;
    sess.serverPort = p.dstPort;
    if (hasExtension(tvb, off + 4, bodyEnd, 42, true)) {
      // early_data is TLS 1.3 only (RFC 8446 §4.2.10).
      sess.version = 0x0304;
    }
  }
  if (t) {
    try {
      bodyTree(tvb, off + 4, bodyEnd, type, hrr, c, t);
    } finally {
      t.close();
    }
  } else if (type === 11) {
    // tshark reads the certificates on the first pass too: a malformed one marks the packet.
    certificateTree(new Reader(tvb, off + 4, bodyEnd, NO_TREE), c);
  }
}

/** A sink that keeps nothing, for the first pass's reading of certificates. */
const NO_TREE = new FieldCollector(new Set());

/** Whether a hello message carries an extension of `type` (no tree). */
function hasExtension(tvb: Tvb, off: number, end: number, type: number, client: boolean): boolean {
  let o = off + 34;
  const ok = (n: number) => o + n <= end && tvb.has(o, n);
  if (!ok(1)) return false;
  o += 1 + tvb.u8(o);
  if (client) {
    if (!ok(2)) return false;
    o += 2 + tvb.u16(o);
    if (!ok(1)) return false;
    o += 1 + tvb.u8(o);
  } else o += 3;
  if (!ok(2)) return false;
  const extEnd = Math.min(end, o + 2 + tvb.u16(o));
  o += 2;
  while (o + 4 <= extEnd && tvb.has(o, 4)) {
    if (tvb.u16(o) === type) return true;
    o += 4 + tvb.u16(o + 2);
  }
  return false;
}

// ---------------------------------------------------------------------------------------------
// Details tree of message bodies. Lengths are checked against the message: a vector that does
// not fit is reported (expert) and the message is not read further, as Wireshark does.

class Reader {
  constructor(readonly tvb: Tvb, public o: number, readonly end: number, readonly t: TreeSink) {}
  fits(n: number): boolean {
    if (this.o + n <= this.end && this.tvb.has(this.o, n)) return true;
    this.t.expert('error', 'Malformed message, not enough data is available', this.tvb, this.o, Math.max(0, this.end - this.o), 'Malformed');
    return false;
  }
}

function bodyTree(tvb: Tvb, off: number, end: number, type: number, hrr: boolean, c: HsContext, t: TreeSink): void {
  const r = new Reader(tvb, off, end, t);
  switch (type) {
    case 1:
      clientHelloTree(r, c);
      break;
    case 2:
      serverHelloTree(r, c, hrr);
      break;
    case 4:
      newSessionTicketTree(r, c);
      break;
    case 8:
      if (r.fits(2)) extensionsTree(r, c, 8);
      break;
    case 11:
      certificateTree(r, c);
      break;
    case 20:
      if (end > off) t.add(F['tls.handshake.verify_data'], tvb, off, end - off, null, 'Verify Data');
      break;
    case 24:
      if (r.fits(1)) t.add(F['tls.handshake.key_update.request_update'], tvb, off, 1, tvb.u8(off));
      break;
    default:
      break;
  }
}

function versionLabel(v: number): string {
  return `${versionName(v) ?? 'Unknown'} (${hex4(v)})`;
}

function helloCommon(r: Reader, c: HsContext): boolean {
  const { tvb, t } = r;
  if (!r.fits(34)) return false;
  const v = tvb.u16(r.o);
  t.add(F['tls.handshake.version'], tvb, r.o, 2, v, `Version: ${versionLabel(v)}`);
  r.o += 2;
  // RFC 8446 §4.1.2: a TLS 1.3 random has no time in its first bytes, so tshark shows it whole.
  if (c.sess.version === 0x0304) t.add(F['tls.handshake.random'], tvb, r.o, 32, tvb.bytes(r.o, 32));
  else {
    t.open(F['tls.handshake.random'], tvb, r.o, 32, tvb.bytes(r.o, 32));
    t.add(F['tls.handshake.random_time'], tvb, r.o, 4, utcTimeText(tvb.u32(r.o)));
    t.add(F['tls.handshake.random_bytes'], tvb, r.o + 4, 28, tvb.bytes(r.o + 4, 28));
    t.close();
  }
  r.o += 32;
  if (!r.fits(1)) return false;
  const sidLen = tvb.u8(r.o);
  t.add(F['tls.handshake.session_id_length'], tvb, r.o, 1, sidLen);
  r.o++;
  if (sidLen > 0) {
    if (!r.fits(sidLen)) return false;
    t.add(F['tls.handshake.session_id'], tvb, r.o, sidLen, tvb.bytes(r.o, sidLen));
    r.o += sidLen;
  }
  return true;
}

/** Non-GREASE 16-bit values of a vector, dash-joined, as JA3 writes them. */
function ja3List(tvb: Tvb, off: number, len: number): string {
  const out: number[] = [];
  for (let i = 0; i + 2 <= len; i += 2) {
    const v = tvb.u16(off + i);
    if (!isGrease(v)) out.push(v);
  }
  return out.join('-');
}

/**
 * JA3 and JA3S, the TLS client and server fingerprints (Salesforce's method, as tshark computes
 * them): "version,ciphers,extensions,groups,point formats" of a ClientHello, "version,cipher,
 * extensions" of a ServerHello, and each string's MD5. Null when the hello is cut short.
 */
export function ja3String(tvb: Tvb, off: number, end: number, client: boolean): string | null {
  if (off + 35 > end) return null;
  let s = String(tvb.u16(off));
  let o = off + 34;
  o += 1 + tvb.u8(o); // session id
  if (client) {
    if (o + 2 > end) return null;
    const cs = tvb.u16(o);
    if (o + 2 + cs > end) return null;
    s += `,${ja3List(tvb, o + 2, cs)},`;
    o += 2 + cs;
    if (o + 1 > end) return null;
    o += 1 + tvb.u8(o); // compression methods
  } else {
    if (o + 3 > end) return null;
    s += `,${tvb.u16(o)},`;
    o += 3;
  }
  if (o >= end) return client ? s + ',,' : s;
  if (o + 2 > end) return null;
  const extEnd = Math.min(end, o + 2 + tvb.u16(o));
  const types: number[] = [];
  let groups = ',';
  let formats = ',';
  for (o += 2; o + 4 <= extEnd; ) {
    const type = tvb.u16(o);
    const len = tvb.u16(o + 2);
    const data = o + 4;
    if (!isGrease(type)) types.push(type);
    if (client && data + len <= extEnd) {
      if (type === 10 && len >= 2) groups = ',' + ja3List(tvb, data + 2, Math.min(tvb.u16(data), len - 2));
      if (type === 11 && len >= 1) {
        const n = Math.min(tvb.u8(data), len - 1);
        const f: number[] = [];
        for (let i = 0; i < n; i++) f.push(tvb.u8(data + 1 + i));
        formats = ',' + f.join('-');
      }
    }
    o = data + len;
  }
  s += types.join('-');
  return client ? s + groups + formats : s;
}

function ja3Items(r: Reader, start: number, client: boolean): void {
  const full = ja3String(r.tvb, start, r.end, client);
  if (full === null) return;
  const [fullField, hashField] = client ? ['tls.handshake.ja3_full', 'tls.handshake.ja3'] as const : ['tls.handshake.ja3s_full', 'tls.handshake.ja3s'] as const;
  r.t.add(F[fullField], r.tvb, r.end, GENERATED, full);
  r.t.add(F[hashField], r.tvb, r.end, GENERATED, bytesToHex(md5(new TextEncoder().encode(full))));
}

function clientHelloTree(r: Reader, c: HsContext): void {
  const start = r.o;
  clientHelloFields(r, c);
  ja3Items(r, start, true);
}

function clientHelloFields(r: Reader, c: HsContext): void {
  const { tvb, t } = r;
  if (!helloCommon(r, c) || !r.fits(2)) return;
  const csLen = tvb.u16(r.o);
  t.add(F['tls.handshake.cipher_suites_length'], tvb, r.o, 2, csLen);
  r.o += 2;
  if (!r.fits(csLen)) return;
  t.open(F['tls.handshake.ciphersuites'], tvb, r.o, csLen, null, `Cipher Suites (${csLen >> 1} suite${csLen >> 1 === 1 ? '' : 's'})`);
  for (let i = 0; i + 2 <= csLen; i += 2) {
    const cs = tvb.u16(r.o + i);
    t.add(F['tls.handshake.ciphersuite'], tvb, r.o + i, 2, cs, `Cipher Suite: ${cipherSuiteName(cs)} (${hex4(cs)})`);
  }
  t.close();
  r.o += csLen;
  if (!r.fits(1)) return;
  const cmLen = tvb.u8(r.o);
  t.add(F['tls.handshake.comp_methods_length'], tvb, r.o, 1, cmLen);
  r.o++;
  if (!r.fits(cmLen)) return;
  t.open(F['tls.handshake.comp_methods'], tvb, r.o, cmLen, null, `Compression Methods (${cmLen} method${cmLen === 1 ? '' : 's'})`);
  for (let i = 0; i < cmLen; i++) t.add(F['tls.handshake.comp_method'], tvb, r.o + i, 1, tvb.u8(r.o + i));
  t.close();
  r.o += cmLen;
  if (r.o + 2 <= r.end) extensionsTree(r, c, 1);
}

function serverHelloTree(r: Reader, c: HsContext, hrr: boolean): void {
  const start = r.o;
  serverHelloFields(r, c, hrr);
  ja3Items(r, start, false);
}

function serverHelloFields(r: Reader, c: HsContext, hrr: boolean): void {
  const { tvb, t } = r;
  if (!helloCommon(r, c) || !r.fits(3)) return;
  const cs = tvb.u16(r.o);
  t.add(F['tls.handshake.ciphersuite'], tvb, r.o, 2, cs, `Cipher Suite: ${cipherSuiteName(cs)} (${hex4(cs)})`);
  t.add(F['tls.handshake.comp_method'], tvb, r.o + 2, 1, tvb.u8(r.o + 2));
  r.o += 3;
  if (r.o + 2 <= r.end) extensionsTree(r, c, hrr ? HELLO_RETRY_REQUEST : 2);
}

function newSessionTicketTree(r: Reader, c: HsContext): void {
  const { tvb, t } = r;
  if (!r.fits(4)) return;
  t.add(F['tls.handshake.session_ticket_lifetime_hint'], tvb, r.o, 4, tvb.u32(r.o));
  r.o += 4;
  if (c.sess.version === 0x0304) {
    if (!r.fits(5)) return;
    t.add(F['tls.handshake.session_ticket_age_add'], tvb, r.o, 4, tvb.u32(r.o));
    r.o += 5 + tvb.u8(r.o + 4); // nonce
  }
  if (!r.fits(2)) return;
  const len = tvb.u16(r.o);
  t.add(F['tls.handshake.session_ticket_length'], tvb, r.o, 2, len);
  r.o += 2;
  if (!r.fits(len)) return;
  t.add(F['tls.handshake.session_ticket'], tvb, r.o, len, tvb.bytes(r.o, len));
}

function certificateTree(r: Reader, c: HsContext): void {
  const { tvb, t } = r;
  const tls13 = c.sess.version === 0x0304;
  if (tls13) {
    if (!r.fits(1)) return;
    const ctx = tvb.u8(r.o);
    t.add(F['tls.handshake.certificate_request_context_length'], tvb, r.o, 1, ctx);
    r.o += 1 + ctx;
  }
  if (!r.fits(3)) return;
  const total = tvb.u24(r.o);
  t.add(F['tls.handshake.certificates_length'], tvb, r.o, 3, total);
  r.o += 3;
  if (!r.fits(total)) return;
  const end = r.o + total;
  // tshark shows no list for an empty one (a client without a certificate, RFC 5246 §7.4.6).
  if (total === 0) return;
  t.open(F['tls.handshake.certificates'], tvb, r.o, total, null, `Certificates (${total} bytes)`);
  const certs = oidSink(t, c.p.layers);
  while (r.o + 3 <= end) {
    const len = tvb.u24(r.o);
    t.add(F['tls.handshake.certificate_length'], tvb, r.o, 3, len);
    r.o += 3;
    if (r.o + len > end) {
      t.expert('error', 'Malformed message, not enough data is available', tvb, r.o, end - r.o, 'Malformed');
      break;
    }
    certificate(certs, tvb, r.o, len);
    r.o += len;
    if (tls13 && r.o + 2 <= end) r.o += 2 + tvb.u16(r.o); // per-certificate extensions
  }
  t.close();
}

/**
 * One certificate's DER: its bytes, and under them the certificate as X.509 reads it (labelled
 * by its subject). As in tshark, a certificate that is not valid DER makes the packet malformed
 * (MalformedError), and one whose outer SEQUENCE is already wrong shows no item at all.
 */
function certificate(t: OidSink, tvb: Tvb, off: number, len: number): void {
  // The item is the DER's outer TLV (tshark shows its bytes, not the length TLS gave).
  const der = readTlv(tvb, off, off + len);
  const value = tvb.bytes(off, der.end - off);
  t.open(F['tls.handshake.certificate'], tvb, off, value.length, value);
  appendText(t, fieldLabel(F['tls.handshake.certificate'], value), ` (${dissectCertificate(t, tvb, der)})`);
  t.close();
}

/** The extensions block: uint16 length, then type/length/data entries (RFC 8446 §4.2). */
function extensionsTree(r: Reader, c: HsContext, msgType: number): void {
  const { tvb, t } = r;
  const total = tvb.u16(r.o);
  t.add(F['tls.handshake.extensions_length'], tvb, r.o, 2, total);
  r.o += 2;
  if (!r.fits(total)) return;
  const end = r.o + total;
  while (r.o < end) {
    if (end - r.o < 4) {
      t.expert('error', 'Malformed message, not enough data is available', tvb, r.o, end - r.o, 'Malformed');
      return;
    }
    const type = tvb.u16(r.o);
    const len = tvb.u16(r.o + 2);
    const name = extensionName(type);
    t.text(tvb, r.o, 4 + len, `Extension: ${name} (len=${len})`, true);
    t.add(F['tls.handshake.extension.type'], tvb, r.o, 2, type, `Type: ${name} (${type})`);
    t.add(F['tls.handshake.extension.len'], tvb, r.o + 2, 2, len);
    const d = r.o + 4;
    if (d + len > end) {
      t.expert('error', 'Malformed message, not enough data is available', tvb, d, end - d, 'Malformed');
      t.close();
      return;
    }
    extensionBody(tvb, d, d + len, type, msgType, c, t);
    t.close();
    r.o = d + len;
  }
}

function extensionBody(tvb: Tvb, o: number, end: number, type: number, msgType: number, _c: HsContext, t: TreeSink): void {
  const len = end - o;
  const bad = () => t.expert('error', 'Variable vector length is outside the permitted range', tvb, o, len, 'Malformed');
  switch (type) {
    case 0: {
      // server_name (RFC 6066 §3); a ServerHello carries it empty.
      if (len === 0) return;
      if (len < 2) return bad();
      const listLen = tvb.u16(o);
      t.text(tvb, o, len, 'Server Name Indication extension', true);
      t.add(F['tls.handshake.extensions_server_name_list_len'], tvb, o, 2, listLen);
      let e = o + 2;
      const le = Math.min(end, e + listLen);
      while (e + 3 <= le) {
        const nt = tvb.u8(e);
        const nl = tvb.u16(e + 1);
        t.add(F['tls.handshake.extensions_server_name_type'], tvb, e, 1, nt);
        t.add(F['tls.handshake.extensions_server_name_len'], tvb, e + 1, 2, nl);
        if (e + 3 + nl > le) {
          bad();
          break;
        }
        t.add(F['tls.handshake.extensions_server_name'], tvb, e + 3, nl, tvb.latin1(e + 3, nl));
        e += 3 + nl;
      }
      t.close();
      return;
    }
    case 10: {
      if (len < 2) return bad();
      const gl = tvb.u16(o);
      t.add(F['tls.handshake.extensions_supported_groups_length'], tvb, o, 2, gl);
      if (o + 2 + gl > end) return bad();
      t.open(F['tls.handshake.extensions_supported_groups'], tvb, o + 2, gl, null, `Supported Groups (${gl >> 1} group${gl >> 1 === 1 ? '' : 's'})`);
      for (let i = 0; i + 2 <= gl; i += 2) {
        const g = tvb.u16(o + 2 + i);
        t.add(F['tls.handshake.extensions_supported_group'], tvb, o + 2 + i, 2, g, `Supported Group: ${groupName(g)} (${hex4(g)})`);
      }
      t.close();
      return;
    }
    case 11: {
      if (len < 1) return bad();
      const n = tvb.u8(o);
      t.add(F['tls.handshake.extensions_ec_point_formats_length'], tvb, o, 1, n);
      if (o + 1 + n > end) return bad();
      t.open(F['tls.handshake.extensions_ec_point_formats'], tvb, o + 1, n, null, `Elliptic curves point formats (${n})`);
      for (let i = 0; i < n; i++) t.add(F['tls.handshake.extensions_ec_point_format'], tvb, o + 1 + i, 1, tvb.u8(o + 1 + i));
      t.close();
      return;
    }
    case 13:
    case 50: {
      if (len < 2) return bad();
      const sl = tvb.u16(o);
      t.add(F['tls.handshake.sig_hash_alg_len'], tvb, o, 2, sl);
      if (o + 2 + sl > end) return bad();
      t.open(F['tls.handshake.sig_hash_algs'], tvb, o + 2, sl, null, `Signature Hash Algorithms (${sl >> 1} algorithm${sl >> 1 === 1 ? '' : 's'})`);
      for (let i = 0; i + 2 <= sl; i += 2) {
        signatureAlgorithmTree(t, tvb, o + 2 + i);
      }
      t.close();
      return;
    }
    case 16: {
      // ALPN (RFC 7301 §3.1)
      if (len < 2) return bad();
      const al = tvb.u16(o);
      t.add(F['tls.handshake.extensions_alpn_len'], tvb, o, 2, al);
      if (o + 2 + al > end) return bad();
      t.open(F['tls.handshake.extensions_alpn_list'], tvb, o + 2, al, null, 'ALPN Protocol');
      let e = o + 2;
      while (e < o + 2 + al) {
        const sl = tvb.u8(e);
        t.add(F['tls.handshake.extensions_alpn_str_len'], tvb, e, 1, sl);
        if (e + 1 + sl > o + 2 + al) {
          bad();
          break;
        }
        t.add(F['tls.handshake.extensions_alpn_str'], tvb, e + 1, sl, tvb.latin1(e + 1, sl));
        e += 1 + sl;
      }
      t.close();
      return;
    }
    case 21:
      t.add(F['tls.handshake.extensions_padding_data'], tvb, o, len, tvb.bytes(o, len));
      return;
    case 28:
      if (len >= 2) t.add(F['tls.record_size_limit'], tvb, o, 2, tvb.u16(o));
      return;
    case 43: {
      // supported_versions (RFC 8446 §4.2.1): a list in a ClientHello, one version otherwise.
      if (msgType === 1) {
        if (len < 1) return bad();
        const vl = tvb.u8(o);
        t.add(F['tls.handshake.extensions.supported_versions_len'], tvb, o, 1, vl);
        if (o + 1 + vl > end) return bad();
        for (let i = 0; i + 2 <= vl; i += 2) {
          const v = tvb.u16(o + 1 + i);
          t.add(F['tls.handshake.extensions.supported_version'], tvb, o + 1 + i, 2, v, `Supported Version: ${versionLabel(v)}`);
        }
      } else if (len >= 2) {
        const v = tvb.u16(o);
        t.add(F['tls.handshake.extensions.supported_version'], tvb, o, 2, v, `Supported Version: ${versionLabel(v)}`);
      }
      return;
    }
    case 44: {
      if (len < 2) return bad();
      const cl = tvb.u16(o);
      t.add(F['tls.handshake.extensions.cookie_len'], tvb, o, 2, cl);
      if (o + 2 + cl > end) return bad();
      t.add(F['tls.handshake.extensions.cookie'], tvb, o + 2, cl, tvb.bytes(o + 2, cl));
      return;
    }
    case 45: {
      if (len < 1) return bad();
      const ml = tvb.u8(o);
      t.add(F['tls.extension.psk_ke_modes_length'], tvb, o, 1, ml);
      for (let i = 0; i < ml && o + 1 + i < end; i++) {
        const m = tvb.u8(o + 1 + i);
        t.add(F['tls.extension.psk_ke_mode'], tvb, o + 1 + i, 1, m, `PSK Key Exchange Mode: ${PSK_KE_MODES[m] ?? 'Unknown'} (${m})`);
      }
      return;
    }
    case 51:
      keyShareTree(tvb, o, end, msgType, t);
      return;
    case 65281: {
      if (len < 1) return bad();
      t.text(tvb, o, len, 'Renegotiation Info extension', true);
      t.add(F['tls.handshake.extensions_reneg_info_len'], tvb, o, 1, tvb.u8(o));
      t.close();
      return;
    }
    case 5:
      // status_request (RFC 6066 §8) in a ClientHello: an OCSP request with its two vectors.
      if (msgType === 1 && len >= 5 && tvb.u8(o) === 1) {
        t.add(F['tls.handshake.extensions_status_request_type'], tvb, o, 1, 1);
        const ids = tvb.u16(o + 1);
        t.add(F['tls.handshake.extensions_status_request_responder_ids_len'], tvb, o + 1, 2, ids);
        if (o + 3 + ids + 2 <= end) t.add(F['tls.handshake.extensions_status_request_exts_len'], tvb, o + 3 + ids, 2, tvb.u16(o + 3 + ids));
        return;
      }
      return extensionData(tvb, o, len, type, t);
    case 27: {
      // compress_certificate (RFC 8879 §3): the algorithms a peer accepts.
      const n = tvb.u8(o);
      t.add(F['tls.compress_certificate.algorithms_length'], tvb, o, 1, n);
      for (let a = o + 1; a + 2 <= Math.min(end, o + 1 + n); a += 2) t.add(F['tls.compress_certificate.algorithm'], tvb, a, 2, tvb.u16(a));
      return;
    }
    case 57:
    case 65445:
      if (quicTransportParameters(tvb, o, end, t)) return;
      return extensionData(tvb, o, len, type, t);
    default:
      return extensionData(tvb, o, len, type, t);
  }
}

/** An extension shown as bytes; a GREASE one (RFC 8701) even when empty, as tshark does. */
function extensionData(tvb: Tvb, o: number, len: number, type: number, t: TreeSink): void {
  if (len > 0 || isGrease(type)) t.add(F['tls.handshake.extension.data'], tvb, o, len, tvb.bytes(o, len));
}

/** key_share (RFC 8446 §4.2.8): a list in a ClientHello, one entry in a ServerHello, a group in an HRR. */
function keyShareTree(tvb: Tvb, o: number, end: number, msgType: number, t: TreeSink): void {
  const entry = (e: number, stop: number): number => {
    if (e + 4 > stop) return stop;
    const g = tvb.u16(e);
    const kl = tvb.u16(e + 2);
    const kend = Math.min(stop, e + 4 + kl);
    t.text(tvb, e, kend - e, `Key Share Entry: Group: ${groupName(g)}, Key Exchange length: ${kl}`, true);
    t.add(F['tls.handshake.extensions_key_share_group'], tvb, e, 2, g, `Group: ${groupName(g)} (${g})`);
    t.add(F['tls.handshake.extensions_key_share_key_exchange_length'], tvb, e + 2, 2, kl);
    if (kend > e + 4) t.add(F['tls.handshake.extensions_key_share_key_exchange'], tvb, e + 4, kend - e - 4, tvb.bytes(e + 4, kend - e - 4));
    t.close();
    return e + 4 + kl;
  };
  if (msgType === HELLO_RETRY_REQUEST) {
    if (end - o >= 2) {
      const g = tvb.u16(o);
      t.text(tvb, o, end - o, 'Key Share extension', true);
      t.add(F['tls.handshake.extensions_key_share_selected_group'], tvb, o, 2, g, `Selected Group: ${groupName(g)} (${g})`);
      t.close();
    }
    return;
  }
  t.text(tvb, o, end - o, 'Key Share extension', true);
  if (msgType === 1) {
    if (end - o >= 2) {
      const cl = tvb.u16(o);
      t.add(F['tls.handshake.extensions_key_share_client_length'], tvb, o, 2, cl);
      let e = o + 2;
      const stop = Math.min(end, o + 2 + cl);
      while (e < stop) e = entry(e, stop);
    }
  } else entry(o, end);
  t.close();
}
