// SSH over TCP (ports 22 and 29418) as tshark 4.0 shows it without decryption keys: the
// version exchange (RFC 4253 §4.2), the binary packets of the key exchange (RFC 4253 §6) —
// KEXINIT (§7.1), New Keys (§7.3), Diffie-Hellman (§8), group exchange (RFC 4419), ECDH
// (RFC 5656 §4, RFC 8731 curve25519) — and SSH 1 packets. Later packets are encrypted.
//
// tshark 4.0 behaves in two ways the protocol does not suggest, and we follow it:
//  - Once both KEXINITs and a (EC)DH reply are seen, it picks the ciphers and, at a side's New
//    Keys, "decrypts" that side's packets with keys it never derived (all zero). The packet
//    length it reads is then garbage and it gives up on the packet: the Info of such a segment
//    is only "Client: " and its tree an empty "SSH Version 2 (encryption:…)". We compute the same
//    garbage length (ChaCha20 / AES with a zero key) to decide what tshark decided. Without a
//    cipher it knows (or after a DH group exchange, where it picks none), a packet is shown as
//    "Encrypted packet (len=N)".
//  - The "Sequence number" it shows counts per side in its own way (see keyExchange()).
//
// Packets spanning TCP segments are reassembled by TCP at our request (p.desegmentOffset/Len).
// Per-connection state is kept per TCP stream; each frame records the state it found, and a
// re-dissection replays from that copy, so any frame shows what the first pass showed.

import { ecb } from '@noble/ciphers/aes.js';
import { chacha20orig } from '@noble/ciphers/chacha.js';
import { md5 } from '@noble/hashes/legacy.js';
import { FrameLog, StreamMap } from '../lib/dense-keys.ts';
import { ONE_MORE_SEGMENT, stateSlot, type Packet } from './packet.ts';
import { defineProtocol, type FieldDef } from './registry.ts';
import { tcpPortTable } from './tables.ts';
import { registerTcpPayload } from './tcp.ts';
import { formatText } from './text.ts';
import { BufferSink, GENERATED, type TreeSink } from './tree.ts';
import { MalformedError, type Tvb } from './tvb.ts';

/** Ports Wireshark gives SSH (22; 29418 is Gerrit Code Review's). */
export const SSH_PORTS: ReadonlySet<number> = new Set([22, 29418]);

const VERSION_UNKNOWN = 0;
const VERSION_1 = 1;
const VERSION_2 = 2;

const CLIENT = 0;
const SERVER = 1;

// RFC 4250 §4.1.2 message numbers, as Wireshark names them.
const MSG_KEXINIT = 20;
const MSG_NEWKEYS = 21;

const SSH2_MESSAGES: Record<number, string> = {
  1: 'Disconnect', 2: 'Ignore', 3: 'Unimplemented', 4: 'Debug', 5: 'Service Request', 6: 'Service Accept',
  20: 'Key Exchange Init', 21: 'New Keys',
  50: 'User Authentication Request', 51: 'User Authentication Failure', 52: 'User Authentication Success',
  53: 'User Authentication Banner', 60: 'Public Key algorithm accepted',
  80: 'Global Request', 81: 'Request Success', 82: 'Request Failure',
  90: 'Channel Open', 91: 'Channel Open Confirmation', 92: 'Channel Open Failure', 93: 'Window Adjust',
  94: 'Channel Data', 95: 'Channel Extended Data', 96: 'Channel EOF', 97: 'Channel Close', 98: 'Channel Request',
  99: 'Channel Success', 100: 'Channel Failure',
};
/** RFC 4253 §8: KEXDH_INIT / KEXDH_REPLY. */
const DH_MESSAGES: Record<number, string> = {
  30: 'Diffie-Hellman Key Exchange Init', 31: 'Diffie-Hellman Key Exchange Reply',
};
/** RFC 4419 §5 (30 is the old request of its drafts). */
const DH_GEX_MESSAGES: Record<number, string> = {
  30: 'Diffie-Hellman Group Exchange Request (Old)', 31: 'Diffie-Hellman Group Exchange Group',
  32: 'Diffie-Hellman Group Exchange Init', 33: 'Diffie-Hellman Group Exchange Reply',
  34: 'Diffie-Hellman Group Exchange Request',
};
/** RFC 5656 §7.1. */
const ECDH_MESSAGES: Record<number, string> = {
  30: 'Elliptic Curve Diffie-Hellman Key Exchange Init', 31: 'Elliptic Curve Diffie-Hellman Key Exchange Reply',
};
/** SSH 1 (OpenSSH's ssh1.h), the few Wireshark names. */
const SSH1_MESSAGES: Record<number, string> = {
  0: 'No Message', 1: 'Disconnect', 2: 'Public Key', 3: 'Session Key', 4: 'User',
};

const msgName = (names: Record<number, string>, code: number) => names[code] ?? `Unknown (${code})`;

const str = (name: string) => ({ name, type: 'string' as const });
const u32f = (name: string) => ({ name, type: 'uint' as const, bits: 32 });
const raw = (name: string) => ({ name, type: 'bytes' as const });

export const F = defineProtocol('ssh', 'SSH Protocol', {
  'ssh.protocol': str('Protocol'),
  'ssh.packet_length': u32f('Packet Length'),
  'ssh.packet_length_encrypted': raw('Packet Length (encrypted)'),
  'ssh.padding_length': { name: 'Padding Length', type: 'uint', bits: 8 },
  'ssh.payload': raw('Payload'),
  'ssh.encrypted_packet': raw('Encrypted Packet'),
  'ssh.padding_string': raw('Padding String'),
  'ssh.mac': { name: 'MAC', type: 'bytes', blurb: 'Message authentication code' },
  'ssh.seq_num': u32f('Sequence number'),
  'ssh.direction': { name: 'Direction', type: 'bool', tfs: ['server-to-client', 'client-to-server'], blurb: 'Message direction' },
  // Wireshark has one filter name over five value tables (SSH 1, SSH 2, DH, DH GEX, ECDH): labels are ours.
  'ssh.message_code': { name: 'Message Code', type: 'uint', bits: 8 },
  'ssh.cookie': raw('Cookie'),
  'ssh.kex_algorithms_length': u32f('kex_algorithms length'),
  'ssh.kex_algorithms': str('kex_algorithms string'),
  'ssh.server_host_key_algorithms_length': u32f('server_host_key_algorithms length'),
  'ssh.server_host_key_algorithms': str('server_host_key_algorithms string'),
  'ssh.encryption_algorithms_client_to_server_length': u32f('encryption_algorithms_client_to_server length'),
  'ssh.encryption_algorithms_client_to_server': str('encryption_algorithms_client_to_server string'),
  'ssh.encryption_algorithms_server_to_client_length': u32f('encryption_algorithms_server_to_client length'),
  'ssh.encryption_algorithms_server_to_client': str('encryption_algorithms_server_to_client string'),
  'ssh.mac_algorithms_client_to_server_length': u32f('mac_algorithms_client_to_server length'),
  'ssh.mac_algorithms_client_to_server': str('mac_algorithms_client_to_server string'),
  'ssh.mac_algorithms_server_to_client_length': u32f('mac_algorithms_server_to_client length'),
  'ssh.mac_algorithms_server_to_client': str('mac_algorithms_server_to_client string'),
  'ssh.compression_algorithms_client_to_server_length': u32f('compression_algorithms_client_to_server length'),
  'ssh.compression_algorithms_client_to_server': str('compression_algorithms_client_to_server string'),
  'ssh.compression_algorithms_server_to_client_length': u32f('compression_algorithms_server_to_client length'),
  'ssh.compression_algorithms_server_to_client': str('compression_algorithms_server_to_client string'),
  'ssh.languages_client_to_server_length': u32f('languages_client_to_server length'),
  'ssh.languages_client_to_server': str('languages_client_to_server string'),
  'ssh.languages_server_to_client_length': u32f('languages_server_to_client length'),
  'ssh.languages_server_to_client': str('languages_server_to_client string'),
  'ssh.first_kex_packet_follows': { name: 'First KEX Packet Follows', type: 'uint', bits: 8 },
  'ssh.kex.reserved': raw('Reserved'),
  'ssh.kex.hassh_algorithms': str('hasshAlgorithms'),
  'ssh.kex.hassh': str('hassh'),
  'ssh.kex.hasshserver_algorithms': str('hasshServerAlgorithms'),
  'ssh.kex.hasshserver': str('hasshServer'),
  'ssh.host_key.length': u32f('Host key length'),
  'ssh.host_key.type_length': u32f('Host key type length'),
  'ssh.host_key.type': str('Host key type'),
  'ssh.host_key.data': raw('Host key data'),
  'ssh.host_key.rsa.n': raw('RSA modulus (N)'),
  'ssh.host_key.rsa.e': raw('RSA public exponent (e)'),
  'ssh.host_key.dsa.p': raw('DSA prime modulus (p)'),
  'ssh.host_key.dsa.q': raw('DSA prime divisor (q)'),
  'ssh.host_key.dsa.g': raw('DSA subgroup generator (g)'),
  'ssh.host_key.dsa.y': raw('DSA public key (y)'),
  'ssh.host_key.ecdsa.id': str('ECDSA elliptic curve identifier'),
  'ssh.host_key.ecdsa.id_length': u32f('ECDSA elliptic curve identifier length'),
  'ssh.host_key.ecdsa.q': raw('ECDSA public key (Q)'),
  'ssh.host_key.ecdsa.q_length': u32f('ECDSA public key length'),
  'ssh.host_key.eddsa.key': raw('EdDSA public key'),
  'ssh.host_key.eddsa.key_length': u32f('EdDSA public key length'),
  'ssh.host_sig.length': u32f('Host signature length'),
  'ssh.host_sig.type_length': u32f('Host signature type length'),
  'ssh.host_sig.type': str('Host signature type'),
  'ssh.host_sig.data': raw('Host signature data'),
  'ssh.host_sig.rsa': raw('RSA signature'),
  'ssh.host_sig.dsa': raw('DSA signature'),
  'ssh.dh.e': raw('DH client e'),
  'ssh.dh.f': raw('DH server f'),
  'ssh.dh_gex.min': { name: 'DH GEX Min', type: 'uint', bits: 32, blurb: 'Minimal acceptable group size' },
  'ssh.dh_gex.nbits': { name: 'DH GEX Number of Bits', type: 'uint', bits: 32, blurb: 'Preferred group size' },
  'ssh.dh_gex.max': { name: 'DH GEX Max', type: 'uint', bits: 32, blurb: 'Maximal acceptable group size' },
  'ssh.dh_gex.p': raw('DH GEX modulus (P)'),
  'ssh.dh_gex.g': raw('DH GEX base (G)'),
  'ssh.ecdh.q_c': raw("ECDH client's ephemeral public key (Q_C)"),
  'ssh.ecdh.q_c_length': u32f("ECDH client's ephemeral public key length"),
  'ssh.ecdh.q_s': raw("ECDH server's ephemeral public key (Q_S)"),
  'ssh.ecdh.q_s_length': u32f("ECDH server's ephemeral public key length"),
  'ssh.mpint_length': u32f('Multi Precision Integer Length'),
});

// ---- per-connection state ----

/** Ciphers tshark 4.0 opens at New Keys (it knows no others). */
const enum CipherKind {
  None = 0,
  ChaCha20Poly1305,
  AesCtr,
  AesCbc,
  AesGcm,
}

/** A side's cipher as tshark sets it up without keys: a zero key, a zero IV, and the stream position. */
interface ZeroKeyCipher {
  kind: CipherKind;
  keyLen: number;
  /** AES-CTR: counter blocks used so far (the counter starts at zero). */
  ctrBlocks: number;
  /** AES-CBC: the IV for the next block (the last ciphertext block). */
  cbcIv: Uint8Array;
}

/** What one side of the connection has shown (Wireshark's ssh_peer_data). */
class SshPeer {
  frameVersionStart = 0;
  frameVersionEnd = 0;
  frameKeyStart = 0;
  frameKeyEnd = 0;
  frameKeyEndOffset = 0;
  kexProposal: string | null = null;
  /** Proposals of this side's KEXINIT: [client-to-server, server-to-client]. */
  encProposals: [string | null, string | null] = [null, null];
  macProposals: [string | null, string | null] = [null, null];
  compProposals: [string | null, string | null] = [null, null];
  /** Algorithms chosen for this side's packets. */
  enc: string | null = null;
  mac: string | null = null;
  comp: string | null = null;
  macLength = -1;
  lengthIsPlaintext = false;
  cipherKind = CipherKind.None;
  cipherKeyLen = 0;
  cipher: ZeroKeyCipher | null = null;
  sequenceNumber = 0;
  seqKexInit = 0;
  seqGexReq = 0;
  seqGexGrp = 0;
  seqGexIni = 0;
  seqGexRep = 0;
  seqEcdhIni = 0;
  seqEcdhRep = 0;
  seqDhIni = 0;
  seqDhRep = 0;
  seqNewKey = 0;
  /** Bytes of a version line without its end that the next reassembled PDU repeats (see versionLine). */
  unendedVersionBytes = 0;

  clone(): SshPeer {
    const c = Object.assign(new SshPeer(), this);
    c.encProposals = [...this.encProposals];
    c.macProposals = [...this.macProposals];
    c.compProposals = [...this.compProposals];
    c.cipher = this.cipher ? { ...this.cipher, cbcIv: this.cipher.cbcIv.slice() } : null;
    return c;
  }

  sameAs(o: SshPeer): boolean {
    for (const k of Object.keys(this) as (keyof SshPeer)[]) {
      const a = this[k];
      const b = o[k];
      if (a === b) continue;
      if (Array.isArray(a) && Array.isArray(b)) {
        if (a[0] !== b[0] || a[1] !== b[1]) return false;
      } else if (k === 'cipher') {
        const x = a as ZeroKeyCipher | null;
        const y = b as ZeroKeyCipher | null;
        if (!x || !y || x.kind !== y.kind || x.ctrBlocks !== y.ctrBlocks || !sameBytes(x.cbcIv, y.cbcIv)) return false;
      } else return false;
    }
    return true;
  }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

type KexFamily = 'dh' | 'gex' | 'ecdh';

/** A connection (Wireshark's ssh_flow_data). */
class SshSession {
  version = VERSION_UNKNOWN;
  /** The key exchange method both sides agreed on, once both KEXINITs are seen. */
  kex: string | null = null;
  kexFamily: KexFamily = 'dh';
  readonly peers: [SshPeer, SshPeer] = [new SshPeer(), new SshPeer()];
  snap: SshSession | null = null;

  clone(): SshSession {
    const s = new SshSession();
    s.version = this.version;
    s.kex = this.kex;
    s.kexFamily = this.kexFamily;
    s.peers[0] = this.peers[0].clone();
    s.peers[1] = this.peers[1].clone();
    return s;
  }

  sameAs(o: SshSession): boolean {
    return this.version === o.version && this.kex === o.kex && this.kexFamily === o.kexFamily &&
      this.peers[0].sameAs(o.peers[0]) && this.peers[1].sameAs(o.peers[1]);
  }
}

class SshState {
  readonly sessions = new StreamMap<SshSession>();
  /** Frame → the session as the first pass found it there. */
  readonly atFrame = new FrameLog<SshSession>();
  replayPacket: Packet | null = null;
  replaySession: SshSession | null = null;
}

const sshState = stateSlot(() => new SshState());

/** The session to dissect this packet with: the live one, or a copy of what this frame found. */
function sessionFor(p: Packet): SshSession {
  const st = sshState.of(p.state);
  if (p.visited) {
    if (st.replayPacket !== p) {
      st.replayPacket = p;
      st.replaySession = st.atFrame.get(p.num)?.clone() ?? new SshSession();
    }
    return st.replaySession!;
  }
  const key = p.tcp ? p.tcp.stream : -1;
  let s = st.sessions.get(key);
  if (!s) {
    s = new SshSession();
    st.sessions.set(key, s);
  }
  if (st.atFrame.lastFrame !== p.num) {
    // Frames share one copy until the session changes (encrypted packets without a cipher change nothing).
    if (!s.snap || !s.sameAs(s.snap)) s.snap = s.clone();
    st.atFrame.add(p.num, s.snap);
  }
  return s;
}

// ---- helpers ----

interface Ctx {
  p: Packet;
  sess: SshSession;
  /** 1 when the packet comes from the server (Wireshark's is_response). */
  side: 0 | 1;
  peer: SshPeer;
  t: TreeSink | null;
  needMore: boolean;
}

function desegment(c: Ctx, off: number, len: number): boolean {
  if (!c.p.canDesegment) return false;
  c.p.desegmentOffset = off;
  c.p.desegmentLen = len;
  c.needMore = true;
  return true;
}

/** tvb_strncaseeql(…) == 0: false when fewer bytes are there. */
function startsWithNoCase(tvb: Tvb, off: number, s: string): boolean {
  if (!tvb.has(off, s.length)) return false;
  for (let i = 0; i < s.length; i++) {
    let b = tvb.u8(off + i);
    if (b >= 0x61 && b <= 0x7a) b -= 0x20;
    let c = s.charCodeAt(i);
    if (c >= 0x61 && c <= 0x7a) c -= 0x20;
    if (b !== c) return false;
  }
  return true;
}

/** A string read as ENC_ASCII: bytes above 0x7f become U+FFFD. */
function asciiString(tvb: Tvb, off: number, len: number): string {
  const b = tvb.bytes(off, len);
  let s = '';
  for (let i = 0; i < b.length; i++) s += b[i]! < 0x80 ? String.fromCharCode(b[i]!) : '\ufffd';
  return s;
}

/** Wireshark's ITEM_LABEL_LENGTH: a label is at most this many bytes, NUL included. */
const ITEM_LABEL_LENGTH = 240;
const utf8 = new TextEncoder();
const fromUtf8 = new TextDecoder();

/** "Name: value", cut as tshark cuts a label that does not fit: "Name [truncated]: valu". */
function stringLabel(f: FieldDef, value: string): string {
  const label = `${f.name}: ${value}`;
  if (label.length < ITEM_LABEL_LENGTH / 3 + 1) return label; // fits even if every char took 3 bytes
  const bytes = utf8.encode(label);
  if (bytes.length < ITEM_LABEL_LENGTH) return label;
  const marked = utf8.encode(`${f.name} [truncated]: ${value}`);
  // The cut falls on the start of the character holding byte ITEM_LABEL_LENGTH - 2.
  let end = ITEM_LABEL_LENGTH - 2;
  while (end > 0 && (marked[end]! & 0xc0) === 0x80) end--;
  return fromUtf8.decode(marked.subarray(0, end));
}

function addString(t: TreeSink | null, f: FieldDef, tvb: Tvb, off: number, len: number, value: string): void {
  if (t) t.add(f, tvb, off, len, value, stringLabel(f, formatText(value)));
}

function addBytes(t: TreeSink | null, f: FieldDef, tvb: Tvb, off: number, len: number): void {
  const b = tvb.bytes(off, len);
  t?.add(f, tvb, off, len, b);
}

/** An mpint (RFC 4251 §5): its length, then its bytes. Returns the bytes it took. */
function mpint(tvb: Tvb, off: number, t: TreeSink | null, f: FieldDef): number {
  const len = tvb.u32(off);
  t?.add(F['ssh.mpint_length'], tvb, off, 4, len);
  addBytes(t, f, tvb, off + 4, len);
  return 4 + len;
}

/** A string (RFC 4251 §5) with its own length field, shown as `f` shows it (text or bytes). Returns the bytes it took. */
function sshString(tvb: Tvb, off: number, t: TreeSink | null, f: FieldDef, fLen: FieldDef): number {
  const len = tvb.u32(off);
  t?.add(fLen, tvb, off, 4, len);
  if (f.type === 'string') addString(t, f, tvb, off + 4, len, asciiString(tvb, off + 4, len));
  else addBytes(t, f, tvb, off + 4, len);
  return 4 + len;
}

/** Which port matched the port table (the lower one first, as TCP tries them). */
function matchedPort(p: Packet): number {
  const low = Math.min(p.srcPort, p.dstPort);
  return SSH_PORTS.has(low) ? low : Math.max(p.srcPort, p.dstPort);
}

// ---- the dissector ----

export function dissectSsh(tvb: Tvb, p: Packet): boolean {
  const sess = sessionFor(p);
  const side: 0 | 1 = p.dstPort !== matchedPort(p) ? SERVER : CLIENT;
  const peer = sess.peers[side];
  if (p.layers[p.layers.length - 1] !== 'ssh') p.layers.push('ssh');
  const t = p.tree;
  t?.open(F.proto, tvb, 0, tvb.length, null);
  try {
    let version = sess.version;
    p.cols.protocol = version === VERSION_1 ? 'SSHv1' : version === VERSION_2 ? 'SSHv2' : 'SSH';
    p.cols.clearInfo();
    const c: Ctx = { p, sess, side, peer, t, needMore: false };
    let off = 0;
    if (peer.unendedVersionBytes > 0) {
      if (tvb.source !== 0) off = Math.min(peer.unendedVersionBytes, tvb.reportedLength);
      peer.unendedVersionBytes = 0;
    }
    while (tvb.reportedLength - off > 0) {
      const afterVersionStart = peer.frameVersionStart === 0 || p.num >= peer.frameVersionStart;
      const beforeVersionEnd = peer.frameVersionEnd === 0 || p.num <= peer.frameVersionEnd;
      const last = off;
      if (afterVersionStart && beforeVersionEnd && startsWithNoCase(tvb, off, 'SSH-')) {
        if (peer.frameVersionStart === 0) peer.frameVersionStart = p.num;
        const r = versionLine(tvb, off, c, version);
        off = r.off;
        version = r.version;
        if (!c.needMore) {
          peer.frameVersionEnd = p.num;
          sess.version = version;
        }
      } else if (version === VERSION_2) off = ssh2Packets(tvb, off, c);
      else if (version === VERSION_1) off = ssh1Packet(tvb, off, c);
      else off = encryptedOrNot(tvb, off, c);
      // tshark stops here without naming the side: the packet shows on a later segment.
      if (c.needMore) return true;
      if (off <= last) break;
    }
    p.cols.prependInfo(side === SERVER ? 'Server: ' : 'Client: ');
    t?.add(F['ssh.direction'], tvb, 0, GENERATED, side === SERVER);
  } finally {
    t?.close();
  }
  return true;
}

/** RFC 4253 §4.2: "SSH-protoversion-softwareversion SP comments CR LF". */
function versionLine(tvb: Tvb, off: number, c: Ctx, version: number): { off: number; version: number } {
  // The client's line decides the version (SSH-1.99 is a server that speaks both, RFC 4253 §5.1).
  if (c.side === CLIENT) {
    if (startsWithNoCase(tvb, off, 'SSH-2.')) version = VERSION_2;
    else if (startsWithNoCase(tvb, off, 'SSH-1.99-')) version = VERSION_2;
    else if (startsWithNoCase(tvb, off, 'SSH-1.')) version = VERSION_1;
  }
  const remain = tvb.remaining(off);
  if (remain <= 0) tvb.check(off, 1);
  const lf = tvb.indexOf(0x0a, off);
  if (lf < 0 && c.p.canDesegment) {
    // Without a line end tshark asks TCP for (-1 - remaining) bytes: the PDU's end wraps round
    // the sequence space to just before its start, so this segment is "a segment of a PDU" that
    // takes nothing more, and the next one is dissected on its own. We ask for one more segment
    // and skip this one's bytes when they come back in front of it.
    desegment(c, off, ONE_MORE_SEGMENT);
    c.peer.unendedVersionBytes = remain;
    return { off, version };
  }
  let lineLen: number;
  let textLen: number;
  if (lf < 0) {
    lineLen = remain;
    textLen = remain;
  } else {
    lineLen = lf - off + 1;
    textLen = lineLen > 1 && tvb.u8(off + lineLen - 2) === 0x0d ? lineLen - 2 : lineLen - 1;
  }
  if (c.p.cols.enabled) c.p.cols.appendInfoSep(', ', `Protocol (${formatText(tvb.latin1(off, textLen))})`);
  addString(c.t, F['ssh.protocol'], tvb, off, textLen, asciiString(tvb, off, textLen));
  return { off: off + lineLen, version };
}

/** Binary packets of SSH 2 (RFC 4253 §6) from `off` to the end of the segment. */
function ssh2Packets(tvb: Tvb, off: number, c: Ctx): number {
  const { p, peer } = c;
  while (tvb.remaining(off) > 0) {
    const last = off;
    const t = c.t;
    if (t) {
      let title = 'SSH Version 2';
      if (peer.enc || peer.mac || peer.comp) {
        const parts: string[] = [];
        if (peer.enc) parts.push(`encryption:${peer.enc}`);
        if (peer.mac) parts.push(`mac:${peer.mac}`);
        if (peer.comp) parts.push(`compression:${peer.comp}`);
        title += ` (${parts.join(' ')})`;
      }
      t.text(tvb, off, tvb.remaining(off), title, true);
    }
    try {
      const inKeyExchange = peer.frameKeyStart === 0 ||
        (peer.frameKeyStart <= p.num &&
          (peer.frameKeyEnd === 0 || p.num < peer.frameKeyEnd || (p.num === peer.frameKeyEnd && off < peer.frameKeyEndOffset)));
      if (inKeyExchange) {
        off = keyExchangePacket(tvb, off, c);
        if (c.needMore) break;
      } else off = encryptedOrNot(tvb, off, c);
      t?.setLength(off - last);
    } finally {
      t?.close();
    }
  }
  return off;
}

/** One clear packet of the key exchange: length, padding length, payload, padding (RFC 4253 §6). */
function keyExchangePacket(tvb: Tvb, off: number, c: Ctx): number {
  const { p, sess, peer } = c;
  const t = c.t;
  const start = off;
  const remain = tvb.remaining(off);
  // The header itself is split: ask for another segment, not an exact count.
  if (remain < 4 && desegment(c, off, ONE_MORE_SEGMENT)) return off;
  let plen = tvb.u32(off);
  if (((plen + 4) >>> 0) > remain && desegment(c, off, (plen + 4 - remain) >>> 0)) return off;
  if (plen >= 0xffff) {
    if (t) {
      t.open(F['ssh.packet_length'], tvb, off, 4, plen);
      t.expert('warn', `Overly large number ${plen | 0}`, tvb, off, 4, 'Protocol');
      t.close();
    }
    plen = (remain - 4) >>> 0;
  } else t?.add(F['ssh.packet_length'], tvb, off, 4, plen);
  off += 4;
  const paddingLen = tvb.u8(off);
  t?.add(F['ssh.padding_length'], tvb, off, 1, paddingLen);
  off += 1;

  const title = sess.kex ? `Key Exchange (method:${sess.kex})` : 'Key Exchange';
  t?.text(tvb, off, Math.max(0, Math.min(plen - 1, tvb.remaining(off))), title, true);
  let seq = 0;
  try {
    const code = tvb.u8(off);
    if (code >= 30 && code < 40) {
      const r = sess.kexFamily === 'gex' ? dhGexMessage(tvb, off, code, c) : sess.kexFamily === 'ecdh' ? ecdhMessage(tvb, off, code, c) : dhMessage(tvb, off, code, c);
      off = r.off;
      seq = r.seq;
    } else {
      const name = msgName(SSH2_MESSAGES, code);
      t?.add(F['ssh.message_code'], tvb, off, 1, code, `Message Code: ${name} (${code})`);
      off += 1;
      if (p.cols.enabled) p.cols.appendInfoSep(', ', name);
      if (code === MSG_KEXINIT) {
        off = keyExchangeInit(tvb, off, c);
        if (peer.frameKeyStart === 0 || peer.frameKeyStart === p.num) {
          peer.frameKeyStart = p.num;
          if (peer.seqKexInit === 0) {
            peer.seqKexInit = peer.sequenceNumber;
            peer.sequenceNumber++;
          }
        }
        seq = peer.seqKexInit;
      } else if (code === MSG_NEWKEYS) {
        // RFC 4253 §7.3: this side's next packet uses the new keys.
        if (peer.frameKeyEnd === 0) {
          peer.frameKeyEnd = p.num;
          peer.frameKeyEndOffset = off;
          if (peer.seqNewKey === 0) {
            peer.seqNewKey = peer.sequenceNumber;
            peer.sequenceNumber++;
          }
          openZeroKeyCipher(peer);
        }
        seq = peer.seqNewKey;
      }
    }
    // What is left of the payload (C arithmetic: unsigned, so a negative length is a huge one).
    const len = plen + 4 - paddingLen - (off - start);
    if (len !== 0) {
      // -1 reads "to the end"; anything shorter is no length at all.
      if (len < -1) throw new MalformedError('payload length runs backwards');
      addBytes(t, F['ssh.payload'], tvb, off, len === -1 ? tvb.remaining(off) : len);
      off += len;
    }
  } finally {
    t?.close();
  }
  addBytes(t, F['ssh.padding_string'], tvb, off, paddingLen);
  off += paddingLen;
  t?.add(F['ssh.seq_num'], tvb, off, 0, seq);
  return off;
}

interface KexResult {
  off: number;
  seq: number;
}

/** The client's or server's DH public value, kept by tshark for decryption: false when its length is unusable. */
function readPublicValue(tvb: Tvb, off: number): boolean {
  const len = tvb.u32(off);
  if (len === 0 || len > 1025) return false;
  tvb.check(off + 4, len);
  return true;
}

function invalidKeyLength(tvb: Tvb, off: number, c: Ctx): void {
  c.t?.expert('error', `Invalid key length: ${tvb.u32(off)}`, tvb, off, 2, 'Protocol');
}

function kexMessageCode(tvb: Tvb, off: number, code: number, names: Record<number, string>, c: Ctx): void {
  const name = msgName(names, code);
  c.t?.add(F['ssh.message_code'], tvb, off, 1, code, `Message Code: ${name} (${code})`);
  if (c.p.cols.enabled) c.p.cols.appendInfoSep(', ', name);
}

/** RFC 4253 §8 (and any method tshark does not know: it reads those as this). */
function dhMessage(tvb: Tvb, off: number, code: number, c: Ctx): KexResult {
  const { sess, t } = c;
  kexMessageCode(tvb, off, code, DH_MESSAGES, c);
  off += 1;
  const client = sess.peers[CLIENT];
  const server = sess.peers[SERVER];
  if (code === 30) {
    if (!readPublicValue(tvb, off)) invalidKeyLength(tvb, off, c);
    off += mpint(tvb, off, t, F['ssh.dh.e']);
    if (client.seqDhIni === 0) client.seqDhIni = ++client.sequenceNumber;
    return { off, seq: client.seqDhIni };
  }
  if (code === 31) {
    off += hostKey(tvb, off, t);
    if (!readPublicValue(tvb, off)) invalidKeyLength(tvb, off, c);
    chooseCiphers(sess);
    off += mpint(tvb, off, t, F['ssh.dh.f']);
    off += hostSignature(tvb, off, t);
    if (server.seqDhRep === 0) server.seqDhRep = ++server.sequenceNumber;
    return { off, seq: server.seqDhRep };
  }
  return { off, seq: 0 };
}

/** RFC 4419 §3 (tshark 4.0 picks no ciphers here, so later packets stay "Encrypted packet"). */
function dhGexMessage(tvb: Tvb, off: number, code: number, c: Ctx): KexResult {
  const { sess, t } = c;
  kexMessageCode(tvb, off, code, DH_GEX_MESSAGES, c);
  off += 1;
  const client = sess.peers[CLIENT];
  const server = sess.peers[SERVER];
  switch (code) {
    case 30:
      t?.add(F['ssh.dh_gex.nbits'], tvb, off, 4, tvb.u32(off));
      return { off: off + 4, seq: 0 };
    case 31:
      off += mpint(tvb, off, t, F['ssh.dh_gex.p']);
      off += mpint(tvb, off, t, F['ssh.dh_gex.g']);
      if (server.seqGexGrp === 0) server.seqGexGrp = ++server.sequenceNumber;
      return { off, seq: server.seqGexGrp };
    case 32:
      off += mpint(tvb, off, t, F['ssh.dh.e']);
      if (client.seqGexIni === 0) client.seqGexIni = ++client.sequenceNumber;
      return { off, seq: client.seqGexIni };
    case 33:
      off += hostKey(tvb, off, t);
      off += mpint(tvb, off, t, F['ssh.dh.f']);
      off += hostSignature(tvb, off, t);
      if (server.seqGexRep === 0) server.seqGexRep = ++server.sequenceNumber;
      return { off, seq: server.seqGexRep };
    case 34:
      t?.add(F['ssh.dh_gex.min'], tvb, off, 4, tvb.u32(off));
      t?.add(F['ssh.dh_gex.nbits'], tvb, off + 4, 4, tvb.u32(off + 4));
      t?.add(F['ssh.dh_gex.max'], tvb, off + 8, 4, tvb.u32(off + 8));
      if (client.seqGexReq === 0) client.seqGexReq = ++client.sequenceNumber;
      return { off: off + 12, seq: client.seqGexReq };
  }
  return { off, seq: 0 };
}

/** RFC 5656 §4 (also curve25519, RFC 8731 §3, and curve448). */
function ecdhMessage(tvb: Tvb, off: number, code: number, c: Ctx): KexResult {
  const { sess, t } = c;
  kexMessageCode(tvb, off, code, ECDH_MESSAGES, c);
  off += 1;
  const client = sess.peers[CLIENT];
  const server = sess.peers[SERVER];
  if (code === 30) {
    if (!readPublicValue(tvb, off)) invalidKeyLength(tvb, off, c);
    if (client.seqEcdhIni === 0) client.seqEcdhIni = client.sequenceNumber++;
    off += sshString(tvb, off, t, F['ssh.ecdh.q_c'], F['ssh.ecdh.q_c_length']);
    return { off, seq: client.seqEcdhIni };
  }
  if (code === 31) {
    off += hostKey(tvb, off, t);
    if (!readPublicValue(tvb, off)) invalidKeyLength(tvb, off, c);
    chooseCiphers(sess);
    if (server.seqEcdhRep === 0) server.seqEcdhRep = server.sequenceNumber++;
    off += sshString(tvb, off, t, F['ssh.ecdh.q_s'], F['ssh.ecdh.q_s_length']);
    off += hostSignature(tvb, off, t);
    return { off, seq: server.seqEcdhRep };
  }
  return { off, seq: 0 };
}

/** The server's host key, K_S (RFC 4253 §6.6 key formats, RFC 5656 §3.1, RFC 8709 §4). Returns the bytes it took. */
function hostKey(tvb: Tvb, off: number, t: TreeSink | null): number {
  const keyLen = tvb.u32(off);
  const typeLen = tvb.u32(off + 4);
  const type = asciiString(tvb, off + 8, typeLen);
  if (t) t.text(tvb, off, keyLen + 4, `KEX host key (type: ${formatText(type)})`, true);
  try {
    t?.add(F['ssh.host_key.length'], tvb, off, 4, keyLen);
    tvb.check(off + 4, keyLen);
    t?.add(F['ssh.host_key.type_length'], tvb, off + 4, 4, typeLen);
    addString(t, F['ssh.host_key.type'], tvb, off + 8, typeLen, type);
    let o = off + 8 + typeLen;
    if (type === 'ssh-rsa') {
      o += mpint(tvb, o, t, F['ssh.host_key.rsa.e']);
      mpint(tvb, o, t, F['ssh.host_key.rsa.n']);
    } else if (type === 'ssh-dss') {
      o += mpint(tvb, o, t, F['ssh.host_key.dsa.p']);
      o += mpint(tvb, o, t, F['ssh.host_key.dsa.q']);
      o += mpint(tvb, o, t, F['ssh.host_key.dsa.g']);
      mpint(tvb, o, t, F['ssh.host_key.dsa.y']);
    } else if (type.startsWith('ecdsa-sha2-')) {
      o += sshString(tvb, o, t, F['ssh.host_key.ecdsa.id'], F['ssh.host_key.ecdsa.id_length']);
      sshString(tvb, o, t, F['ssh.host_key.ecdsa.q'], F['ssh.host_key.ecdsa.q_length']);
    } else if (type.startsWith('ssh-ed')) {
      sshString(tvb, o, t, F['ssh.host_key.eddsa.key'], F['ssh.host_key.eddsa.key_length']);
    } else {
      const rest = keyLen - (typeLen + 4);
      if (rest < -1) throw new MalformedError('host key shorter than its type');
      addBytes(t, F['ssh.host_key.data'], tvb, o, rest === -1 ? tvb.remaining(o) : rest);
    }
  } finally {
    t?.close();
  }
  return 4 + keyLen;
}

/** The exchange hash's signature (RFC 4253 §8). Only RSA and DSA are split; Returns the bytes it took. */
function hostSignature(tvb: Tvb, off: number, t: TreeSink | null): number {
  const sigLen = tvb.u32(off);
  const typeLen = tvb.u32(off + 4);
  const type = asciiString(tvb, off + 8, typeLen);
  if (t) t.text(tvb, off, sigLen + 4, `KEX host signature (type: ${formatText(type)})`, true);
  try {
    const rest = t ? new BufferSink() : null;
    rest?.add(F['ssh.host_sig.type_length'], tvb, off + 4, 4, typeLen);
    addString(rest, F['ssh.host_sig.type'], tvb, off + 8, typeLen, type);
    let o = off + 8 + typeLen;
    if (type === 'ssh-rsa') o += mpint(tvb, o, rest, F['ssh.host_sig.rsa']);
    else if (type === 'ssh-dss') o += mpint(tvb, o, rest, F['ssh.host_sig.dsa']);
    else if (!type.startsWith('ecdsa-sha2-') && !type.startsWith('ssh-ed')) {
      // Everything else (rsa-sha2-256 too) is shown whole, and counted as not decoded.
      const n = sigLen - (typeLen + 4);
      if (n < -1) throw new MalformedError('signature shorter than its type');
      addBytes(rest, F['ssh.host_sig.data'], tvb, o, n === -1 ? tvb.remaining(o) : n);
    }
    if (t && rest) {
      const decoded = o - off;
      if (decoded !== 4 + sigLen) {
        t.open(F['ssh.host_sig.length'], tvb, off, 4, sigLen);
        t.expert('warn', `Decoded ${decoded} bytes, but packet legnth is ${sigLen | 0} bytes`, tvb, off, 4, 'Protocol');
        t.close();
      } else t.add(F['ssh.host_sig.length'], tvb, off, 4, sigLen);
      rest.replay(t);
    }
  } finally {
    t?.close();
  }
  return 4 + sigLen;
}

/** The ten name-lists of a KEXINIT (RFC 4253 §7.1), with what tshark keeps of them. */
const PROPOSALS: readonly { list: string; keep: ((peer: SshPeer, v: string) => void) | null }[] = [
  { list: 'kex_algorithms', keep: (peer, v) => { peer.kexProposal = v; } },
  { list: 'server_host_key_algorithms', keep: null },
  { list: 'encryption_algorithms_client_to_server', keep: (peer, v) => { peer.encProposals[0] = v; } },
  { list: 'encryption_algorithms_server_to_client', keep: (peer, v) => { peer.encProposals[1] = v; } },
  { list: 'mac_algorithms_client_to_server', keep: (peer, v) => { peer.macProposals[0] = v; } },
  { list: 'mac_algorithms_server_to_client', keep: (peer, v) => { peer.macProposals[1] = v; } },
  { list: 'compression_algorithms_client_to_server', keep: (peer, v) => { peer.compProposals[0] = v; } },
  { list: 'compression_algorithms_server_to_client', keep: (peer, v) => { peer.compProposals[1] = v; } },
  { list: 'languages_client_to_server', keep: null },
  { list: 'languages_server_to_client', keep: null },
];

/** KEXINIT after its message code: cookie, name-lists, first_kex_packet_follows, reserved (RFC 4253 §7.1). */
function keyExchangeInit(tvb: Tvb, off: number, c: Ctx): number {
  const { sess, peer, side } = c;
  const t = c.t;
  const start = off;
  t?.text(tvb, off, 0, 'Algorithms', true);
  try {
    addBytes(t, F['ssh.cookie'], tvb, off, 16);
    off += 16;
    for (const prop of PROPOSALS) {
      const len = tvb.u32(off);
      t?.add(F[`ssh.${prop.list}_length` as keyof typeof F], tvb, off, 4, len);
      off += 4;
      const value = asciiString(tvb, off, len);
      addString(t, F[`ssh.${prop.list}` as keyof typeof F], tvb, off, len, value);
      prop.keep?.(peer, value);
      off += len;
    }
    t?.add(F['ssh.first_kex_packet_follows'], tvb, off, 1, tvb.u8(off));
    off += 1;
    addBytes(t, F['ssh.kex.reserved'], tvb, off, 4);
    off += 4;
    if (t) {
      // HASSH (Salesforce's client/server fingerprint): MD5 of kex;enc;mac;comp for this side's direction.
      const dir = side;
      const algorithms = `${peer.kexProposal};${peer.encProposals[dir]};${peer.macProposals[dir]};${peer.compProposals[dir]}`;
      const hash = hexString(md5(utf8.encode(algorithms)));
      const [fAlgo, fHash] = side === CLIENT
        ? [F['ssh.kex.hassh_algorithms'], F['ssh.kex.hassh']]
        : [F['ssh.kex.hasshserver_algorithms'], F['ssh.kex.hasshserver']];
      t.add(fAlgo, tvb, off, GENERATED, algorithms, stringLabel(fAlgo, formatText(algorithms)));
      t.add(fHash, tvb, off, GENERATED, hash);
    }
    t?.setLength(off - start);
  } finally {
    t?.close();
  }
  const client = sess.peers[CLIENT];
  const server = sess.peers[SERVER];
  if (client.kexProposal !== null && server.kexProposal !== null && sess.kex === null) {
    // RFC 4253 §7.1: the first of the client's methods that the server also lists.
    sess.kex = chooseAlgorithm(client.kexProposal, server.kexProposal);
    sess.kexFamily = kexFamily(sess.kex, sess.kexFamily);
  }
  return off;
}

function hexString(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += x.toString(16).padStart(2, '0');
  return s;
}

function splitList(s: string): string[] {
  return s === '' ? [] : s.split(',');
}

function chooseAlgorithm(client: string | null, server: string | null): string | null {
  if (client === null || server === null) return null;
  const offered = splitList(server);
  for (const name of splitList(client)) if (offered.includes(name)) return name;
  return null;
}

/** Which messages 30–39 mean for a method; unknown methods keep what was there (DH at first). */
function kexFamily(kex: string | null, current: KexFamily): KexFamily {
  if (kex === null) return current;
  if (kex === 'diffie-hellman-group-exchange-sha1' || kex === 'diffie-hellman-group-exchange-sha256') return 'gex';
  if (kex.startsWith('ecdh-sha2-') || kex === 'curve25519-sha256@libssh.org' || kex === 'curve25519-sha256' || kex === 'curve448-sha512') return 'ecdh';
  if (kex === 'diffie-hellman-group14-sha256' || kex === 'diffie-hellman-group16-sha512' || kex === 'diffie-hellman-group18-sha512' ||
    kex === 'diffie-hellman-group1-sha1' || kex === 'diffie-hellman-group14-sha1') return 'dh';
  return current;
}

/** Picks each direction's cipher, MAC and compression as tshark does at a (EC)DH reply. */
function chooseCiphers(sess: SshSession): void {
  const client = sess.peers[CLIENT];
  const server = sess.peers[SERVER];
  for (const dir of [0, 1] as const) {
    const peer = sess.peers[dir];
    // Once chosen, a choice stays (tshark only fills empty ones).
    if (peer.enc === null) peer.enc = chooseAlgorithm(client.encProposals[dir], server.encProposals[dir]);
    if (peer.enc === 'aes128-gcm@openssh.com' || peer.enc === 'aes256-gcm@openssh.com') {
      // RFC 5647 / OpenSSH: the cipher authenticates; the length stays in clear.
      peer.mac = '<implicit>';
      peer.macLength = 16;
      peer.lengthIsPlaintext = true;
    } else if (peer.enc === 'chacha20-poly1305@openssh.com') {
      peer.mac = '<implicit>';
      peer.macLength = 16;
    } else {
      if (peer.mac === null) peer.mac = chooseAlgorithm(client.macProposals[dir], server.macProposals[dir]);
      setMacLength(peer);
    }
    if (peer.comp === null) peer.comp = chooseAlgorithm(client.compProposals[dir], server.compProposals[dir]);
  }
  for (const peer of sess.peers) {
    setCipherKind(peer);
    // tshark keeps a MAC name only when it can compute that MAC (plain hmac-sha2-256).
    if (peer.mac !== 'hmac-sha2-256') peer.mac = null;
  }
}

/** The MAC's length from its name ("hmac-sha2-256-etm@openssh.com": 32 bytes, length in clear). */
function setMacLength(peer: SshPeer): void {
  let name = peer.mac;
  if (name === null) return;
  const etm = name.indexOf('-etm@openssh.com');
  if (etm >= 0) {
    peer.lengthIsPlaintext = true;
    name = name.slice(0, etm);
  } else {
    const at = name.indexOf('@openssh.com');
    if (at >= 0) name = name.slice(0, at);
  }
  const dash = name.lastIndexOf('-');
  const bits = dash >= 0 && /^\d+$/.test(name.slice(dash + 1)) ? Number(name.slice(dash + 1)) : 0;
  if (bits > 0 && bits <= 0xffffffff && bits % 8 === 0) peer.macLength = bits / 8;
  else if (name === 'hmac-sha1' || name === 'hmac-ripemd160') peer.macLength = 20;
  else if (name === 'hmac-md5') peer.macLength = 16;
  else if (name === 'none') peer.macLength = 0;
}

function setCipherKind(peer: SshPeer): void {
  const aes: Record<string, [CipherKind, number]> = {
    'chacha20-poly1305@openssh.com': [CipherKind.ChaCha20Poly1305, 32],
    'aes128-gcm@openssh.com': [CipherKind.AesGcm, 16], 'aes128-gcm': [CipherKind.AesGcm, 16],
    'aes256-gcm@openssh.com': [CipherKind.AesGcm, 32], 'aes256-gcm': [CipherKind.AesGcm, 32],
    'aes128-cbc': [CipherKind.AesCbc, 16], 'aes192-cbc': [CipherKind.AesCbc, 24], 'aes256-cbc': [CipherKind.AesCbc, 32],
    'aes128-ctr': [CipherKind.AesCtr, 16], 'aes192-ctr': [CipherKind.AesCtr, 24], 'aes256-ctr': [CipherKind.AesCtr, 32],
  };
  const k = peer.enc !== null ? aes[peer.enc] : undefined;
  // An unknown cipher leaves no cipher open, but keeps the kind an earlier choice set.
  if (k) [peer.cipherKind, peer.cipherKeyLen] = k;
  else peer.cipher = null;
}

/** New Keys: tshark opens the side's cipher with keys it never derived, i.e. zeros. */
function openZeroKeyCipher(peer: SshPeer): void {
  if (peer.cipherKind === CipherKind.None) return;
  peer.cipher = { kind: peer.cipherKind, keyLen: peer.cipherKeyLen, ctrBlocks: 0, cbcIv: new Uint8Array(16) };
}

/** AES with an all-zero key, one block at a time (a cipher object serves one call). */
function zeroKeyAes(keyLen: number): ReturnType<typeof ecb> {
  return ecb(new Uint8Array(keyLen), { disablePadding: true });
}

const ZERO_KEY_32 = new Uint8Array(32);

/**
 * A packet after New Keys, or before the version is known. With a cipher open tshark "decrypts"
 * (with its zero key); without one it shows the bytes as one encrypted packet.
 */
function encryptedOrNot(tvb: Tvb, off: number, c: Ctx): number {
  const cipher = c.peer.cipher;
  return cipher ? zeroKeyDecrypt(tvb, off, c, cipher) : encryptedPacket(tvb, off, c);
}

/**
 * What tshark's decryption does with a zero key: the packet length it decrypts is garbage, and
 * it then gives up on the rest of the segment, leaving Info and tree empty. (AES-GCM, whose
 * length is in clear, would "decrypt" garbage messages; we show it as an encrypted packet.)
 */
function zeroKeyDecrypt(tvb: Tvb, off: number, c: Ctx, cipher: ZeroKeyCipher): number {
  const seq = c.peer.sequenceNumber++;
  let length: number;
  if (cipher.kind === CipherKind.ChaCha20Poly1305) {
    // OpenSSH's chacha20-poly1305: the length has its own key (K_1) and the sequence number as nonce.
    const nonce = new Uint8Array(8);
    new DataView(nonce.buffer).setUint32(4, seq);
    const plain = chacha20orig(ZERO_KEY_32, nonce, tvb.bytes(off, 4));
    length = ((plain[0]! << 24) | (plain[1]! << 16) | (plain[2]! << 8) | plain[3]!) >>> 0;
    if (length > 32768) return tvb.length;
  } else if (cipher.kind === CipherKind.AesGcm) {
    // RFC 5647 §7.3: the length is in clear (authenticated, not encrypted).
    length = tvb.u32(off);
    if (length < 16) return tvb.length;
  } else {
    const block = tvb.bytes(off, 16);
    const aes = zeroKeyAes(cipher.keyLen);
    const plain = new Uint8Array(16);
    if (cipher.kind === CipherKind.AesCtr) {
      const counter = new Uint8Array(16);
      new DataView(counter.buffer).setUint32(12, cipher.ctrBlocks);
      new DataView(counter.buffer).setUint32(8, Math.floor(cipher.ctrBlocks / 2 ** 32));
      cipher.ctrBlocks++;
      const ks = aes.encrypt(counter);
      for (let i = 0; i < 16; i++) plain[i] = ks[i]! ^ block[i]!;
    } else {
      const d = aes.decrypt(block);
      for (let i = 0; i < 16; i++) plain[i] = d[i]! ^ cipher.cbcIv[i]!;
      cipher.cbcIv = block.slice();
    }
    length = ((plain[0]! << 24) | (plain[1]! << 16) | (plain[2]! << 8) | plain[3]!) >>> 0;
    if (length > 32768 || length < 12) return tvb.length;
  }
  // AES-GCM always, the others once in ~2^17 packets: tshark goes on to dissect the garbage it
  // "decrypted" as SSH messages. We do not follow it there and show the packet as encrypted.
  return encryptedPacket(tvb, off, c);
}

/** Bytes shown as one encrypted packet (RFC 4253 §6: length, encrypted rest, MAC). */
function encryptedPacket(tvb: Tvb, off: number, c: Ctx): number {
  const { peer } = c;
  const len = tvb.reportedRemaining(off);
  if (c.p.cols.enabled) c.p.cols.appendInfoSep(', ', `Encrypted packet (len=${len})`);
  const t = c.t;
  if (t) {
    let encryptedLen = len;
    if (len > 4 && peer.lengthIsPlaintext) {
      t.add(F['ssh.packet_length'], tvb, off, 4, tvb.u32(off));
      encryptedLen -= 4;
    } else if (len > 4) {
      addBytes(t, F['ssh.packet_length_encrypted'], tvb, off, 4);
      encryptedLen -= 4;
    }
    if (peer.macLength > 0) encryptedLen -= peer.macLength;
    if (encryptedLen < -1) throw new MalformedError('encrypted packet shorter than its MAC');
    addBytes(t, F['ssh.encrypted_packet'], tvb, off + 4, encryptedLen === -1 ? tvb.remaining(off + 4) : encryptedLen);
    if (peer.macLength > 0) addBytes(t, F['ssh.mac'], tvb, off + 4 + encryptedLen, peer.macLength);
  }
  return off + len;
}

/** An SSH 1 packet: length, 1–8 bytes of padding, type, data, CRC (draft-ylonen-ssh-protocol-00 §"packet"). */
function ssh1Packet(tvb: Tvb, off: number, c: Ctx): number {
  const { p, peer } = c;
  const t = c.t;
  const start = off;
  t?.text(tvb, off, tvb.remaining(off), 'SSH Version 1', true);
  try {
    const remain = tvb.remaining(off);
    if (remain <= 0) tvb.check(off, 1);
    if (remain < 4 && desegment(c, off, ONE_MORE_SEGMENT)) return off;
    let plen = tvb.u32(off);
    const paddingLen = 8 - (plen % 8);
    // tshark leaves the length field out of this count (it asks for 4 bytes too few).
    if (plen + 4 + paddingLen > remain && desegment(c, off, (plen + paddingLen - remain) >>> 0)) return off;
    if (plen >= 0xffff) {
      t?.add(F['ssh.packet_length'], tvb, off, 4, plen, `Overly large length ${plen.toString(16)}`);
      plen = (remain - 4 - paddingLen) >>> 0;
    } else if (plen > 0) t?.add(F['ssh.packet_length'], tvb, off, 4, plen);
    off += 4;
    t?.add(F['ssh.padding_length'], tvb, off, paddingLen, paddingLen);
    off += paddingLen;
    let len: number;
    if (peer.frameKeyStart === 0 || (peer.frameKeyStart >= p.num && p.num <= peer.frameKeyEnd)) {
      const code = tvb.u8(off);
      const name = msgName(SSH1_MESSAGES, code);
      t?.add(F['ssh.message_code'], tvb, off, 1, code, `Message Code: ${name} (${code})`);
      if (p.cols.enabled) p.cols.appendInfoSep(', ', name);
      off += 1;
      len = (plen - 1) >>> 0;
      if (peer.frameKeyStart === 0) peer.frameKeyStart = p.num;
      peer.frameKeyEnd = p.num;
    } else {
      len = plen;
      if (p.cols.enabled) p.cols.appendInfoSep(', ', `Encrypted packet (len=${len | 0})`);
    }
    if (t) addBytes(t, F['ssh.payload'], tvb, off, len);
    off += len;
    t?.setLength(off - start);
  } finally {
    t?.close();
  }
  return off;
}

registerTcpPayload('ssh', dissectSsh);
for (const port of SSH_PORTS) tcpPortTable.add(port, dissectSsh);
