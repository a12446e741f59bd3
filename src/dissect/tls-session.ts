// Per-connection TLS state: the negotiated version (which drives the Protocol column and how
// records are read), the frames of the first ChangeCipherSpec per side (after which handshake
// records are encrypted), and a handshake message being reassembled across records.
//
// The first pass keeps one TlsSession per TCP stream and, per frame, a copy of it as it was
// when the frame was reached. Re-dissecting a frame (details pane) replays from that copy, so
// it shows exactly what the first pass showed — like tshark's single pass.

import { FrameLog, StreamMap } from '../lib/dense-keys.ts';
import { stateSlot, type Packet } from './packet.ts';
import { HANDSHAKE_TYPES, SSL3_VERSION, TLS10_VERSION, TLS11_VERSION, TLS12_VERSION, TLS13_VERSION } from './tls-names.ts';

export const VERSION_UNKNOWN = -1;

/** A handshake message spanning records: the fragments seen so far (RFC 8446 §5.1). */
export interface HsFragments {
  chunks: Uint8Array[];
  have: number;
  firstFrame: number;
  frames: number[];
}

export class TlsSession {
  version = VERSION_UNKNOWN;
  /** TLS 1.3 draft number when a draft version was negotiated, else 0. */
  draft = 0;
  /** Set for TLS inside QUIC, which is always TLS 1.3 (RFC 9001 §4.2): messages do not change it. */
  versionFixed = false;
  /** Server endpoint, learnt from the ClientHello's destination. */
  serverAddr = '';
  serverPort = -1;
  clientCcsFrame = 0;
  serverCcsFrame = 0;
  /** Handshake message being reassembled, per direction: [from client, from server]. */
  hs: [HsFragments | null, HsFragments | null] = [null, null];

  /** The last copy handed out by sessionFor, reused while nothing changed. */
  snap: TlsSession | null = null;

  /** Whether `o` (a copy) still describes this session. */
  sameAs(o: TlsSession): boolean {
    return this.version === o.version && this.draft === o.draft && this.serverPort === o.serverPort &&
      this.serverAddr === o.serverAddr && this.clientCcsFrame === o.clientCcsFrame &&
      this.serverCcsFrame === o.serverCcsFrame && sameFrags(this.hs[0], o.hs[0]) && sameFrags(this.hs[1], o.hs[1]);
  }

  clone(): TlsSession {
    const s = new TlsSession();
    s.version = this.version;
    s.draft = this.draft;
    s.versionFixed = this.versionFixed;
    s.serverAddr = this.serverAddr;
    s.serverPort = this.serverPort;
    s.clientCcsFrame = this.clientCcsFrame;
    s.serverCcsFrame = this.serverCcsFrame;
    // Fragment lists are copied so the first pass can go on appending to its own.
    s.hs = [copyFrags(this.hs[0]), copyFrags(this.hs[1])];
    return s;
  }
}

function sameFrags(a: HsFragments | null, b: HsFragments | null): boolean {
  return a === null ? b === null : b !== null && a.have === b.have && a.firstFrame === b.firstFrame && a.chunks.length === b.chunks.length;
}

function copyFrags(f: HsFragments | null): HsFragments | null {
  return f ? { chunks: f.chunks.slice(), have: f.have, firstFrame: f.firstFrame, frames: f.frames.slice() } : null;
}

export class TlsState {
  /** TCP stream → its session. */
  readonly sessions = new StreamMap<TlsSession>();
  /** Frame → the session as it was when the first pass reached that frame. */
  readonly atFrame = new FrameLog<TlsSession>();
  /** Replay: the packet being re-dissected and its working copy of the session. */
  replayPacket: Packet | null = null;
  replaySession: TlsSession | null = null;
}

export const tlsState = stateSlot(() => new TlsState());

/** The session to dissect this packet with (see the file comment). */
export function sessionFor(p: Packet): TlsSession {
  const st = tlsState.of(p.state);
  if (p.visited) {
    if (st.replayPacket !== p) {
      st.replayPacket = p;
      st.replaySession = st.atFrame.get(p.num)?.clone() ?? new TlsSession();
    }
    return st.replaySession!;
  }
  const key = p.tcp ? p.tcp.stream : -1;
  let s = st.sessions.get(key);
  if (!s) {
    s = new TlsSession();
    st.sessions.set(key, s);
  }
  keepSessionAt(st, s, p.num);
  return s;
}

/** Keeps, for re-dissecting frame `num`, the session as the first pass found it there. */
export function keepSessionAt(st: TlsState, s: TlsSession, num: number): void {
  if (st.atFrame.lastFrame === num) return; // another record of the same frame
  // Frames share one copy until the session changes (most frames change nothing).
  if (!s.snap || !s.sameAs(s.snap)) s.snap = s.clone();
  st.atFrame.add(num, s.snap);
}

/** Ports Wireshark associates with an application protocol over TLS (ssl_associations). */
export const TLS_PORTS: ReadonlySet<number> = new Set([
  324, 443, 465, 636, 802, 853, 993, 995, 1300, 2221, 2443, 3249, 3250, 3251, 3252, 3496, 5061, 5671, 5684,
  5868, 8883, 11207, 19999, 27017,
]);

export function fromServer(s: TlsSession, p: Packet): boolean {
  if (s.serverPort >= 0) return p.srcPort === s.serverPort && p.netSrc === s.serverAddr;
  return TLS_PORTS.has(p.srcPort);
}

export function isValidContentType(t: number): boolean {
  return t >= 20 && t <= 25;
}

/** Handshake types valid over TLS (HelloVerifyRequest is DTLS only). */
export function isValidHandshakeType(t: number): boolean {
  return t !== 3 && HANDSHAKE_TYPES[t] !== undefined;
}

/**
 * The version a record or ServerHello announces, as a session version: TLS 1.3 drafts count as
 * TLS 1.3. Returns VERSION_UNKNOWN for anything else.
 */
export function normaliseVersion(v: number): { version: number; draft: number } {
  let draft = 0;
  if ((v & 0xff00) === 0x7f00) draft = v & 0xff;
  else if (v === 0xfb17) draft = 23;
  else if (v === 0xfb1a) draft = 26;
  if (draft) return { version: TLS13_VERSION, draft };
  switch (v) {
    case SSL3_VERSION:
    case TLS10_VERSION:
    case TLS11_VERSION:
    case TLS12_VERSION:
    case TLS13_VERSION:
    case 0x0101:
      return { version: v, draft: 0 };
  }
  return { version: VERSION_UNKNOWN, draft: 0 };
}

/**
 * Fixes the session version from a message that is authoritative about it: any valid record
 * other than a handshake, or a handshake message other than ClientHello (whose record version
 * is only a hint, RFC 8446 §5.1).
 */
export function trySetVersion(s: TlsSession, contentType: number, hsType: number, version: number): void {
  const authoritative =
    (contentType === 22 && isValidHandshakeType(hsType) && hsType !== 1) ||
    (contentType !== 22 && isValidContentType(contentType));
  if (!authoritative || s.versionFixed) return;
  const n = normaliseVersion(version);
  if (n.version === VERSION_UNKNOWN) return;
  s.version = n.version;
  s.draft = n.draft;
}
