// The Multipath TCP option (TCP option kind 30): RFC 8684 (version 1) and RFC 6824 (version 0),
// as tshark 4.0 shows it. Each option is a "Multipath Transmission Control Protocol" node under
// the TCP options, and the packet's Protocol column becomes MPTCP. The keys of the handshake
// give each direction's token and initial data sequence number (IDSN, RFC 8684 §3.1), which
// make the data ACKs and data sequence numbers of DSS options relative, as tshark's default.
// After the TCP tree comes tshark's "MPTCP analysis" node (connection index, master subflow,
// subflows); its deeper DSS mapping analysis is off by default in tshark and not done here.
//
// The state follows tshark's single pass: per direction of a connection a "meta flow" holds its
// key, token and IDSN; a subflow finds its connection by the token of an MP_JOIN (§3.2). What
// a frame showed of that state is recorded in the first pass and replayed when it is dissected
// again, so that a later handshake does not change an earlier frame.

import { sha1 } from '@noble/hashes/legacy.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { PacketFlag, stateSlot, type Packet } from './packet.ts';
import { bitPattern, defineProtocol } from './registry.ts';
import type { TcpConversation, MptcpSubflowLink } from './tcp-conversation.ts';
import { F as TCP } from './tcp-fields.ts';
import { GENERATED, type TreeSink } from './tree.ts';
import { growColumn } from '../lib/growable.ts';
import type { Tvb } from './tvb.ts';

export const F = defineProtocol('mptcp', 'Multipath Transmission Control Protocol', {
  'mptcp.expected_token': { name: 'Subflow token generated from key', type: 'uint', bits: 32 },
  'mptcp.expected_idsn': { name: 'Subflow expected IDSN', type: 'uint', bits: 64, unit: ' (64bits version)' },
  'mptcp.ack': { name: 'Multipath TCP Data ACK', type: 'uint', bits: 64 },
  'mptcp.dss.dsn': { name: 'DSS Data Sequence Number', type: 'uint', bits: 64 },
  'mptcp.rm_addr.count': { name: 'Number of removed addresses', type: 'uint', bits: 8 },
  'mptcp.analysis': { name: 'MPTCP analysis', type: 'none', blurb: 'This frame has some of the MPTCP analysis shown' },
  'mptcp.master': { name: 'Master flow', type: 'bool' },
  'mptcp.stream': { name: 'Stream index', type: 'uint' },
  'mptcp.analysis.subflows': { name: 'TCP subflow stream id(s)', type: 'string', blurb: 'List all TCP connections mapped to this MPTCP connection' },
});

/** Option subtypes (RFC 8684 §3, Table 1 of §8). */
const MP_CAPABLE = 0;
const MP_JOIN = 1;
const DSS = 2;
const ADD_ADDR = 3;
const REMOVE_ADDR = 4;
const MP_PRIO = 5;
const MP_FAIL = 6;
const MP_FASTCLOSE = 7;

/** DSS flags (RFC 8684 §3.3): DATA_FIN, DSN is 8 octets, mapping present, data ACK is 8 octets, data ACK present. */
const DSS_DATA_ACK = 0x01;
const DSS_DATA_ACK_8 = 0x02;
const DSS_MAPPING = 0x04;
const DSS_DSN_8 = 0x08;

/** MP_CAPABLE flags (§3.1): the crypto algorithm bits; H = 0x01 is the one defined (HMAC-SHA256, SHA1 in v0). */
const CRYPTO_MASK = 0x3f;
const HMAC_SHA = 0x01;

/**
 * What a meta flow knows, as tshark's bits: the high half of the base DSN (implied by a key),
 * the key, the token. tshark tests "has a key" as any of the bits 0x03, so a meta flow that
 * only learned the high half from an 8-byte DSN counts as keyed: kept as it is.
 */
const HAS_BASE_DSN_MSB = 0x01;
const HAS_KEY = 0x03;
const HAS_TOKEN = 0x04;

/** What a frame showed of a meta flow: a copy, shared by the frames until the meta flow changes. */
interface MetaView {
  readonly id: number;
  readonly flags: number;
  readonly token: number;
  readonly key: bigint;
  readonly baseDsn: bigint;
}

/** What a frame showed of its connection ("MPTCP analysis"), shared likewise. */
interface ConnectionView {
  readonly id: number;
  readonly stream: number;
  readonly master: number;
  /** The subflows' tcp.stream, each followed by a space, the latest first (as tshark). */
  readonly subflows: string;
}

/** One direction of an MPTCP connection (tshark's meta flow). */
class MetaFlow {
  flags = 0;
  version = 0;
  key = 0n;
  token = 0;
  /** The IDSN (from the key), where relative data sequence numbers start. */
  baseDsn = 0n;
  private shown: MetaView | null = null;
  /** To be called after a field changed. */
  changed(): void {
    this.shown = null;
  }
  view(st: MptcpState): MetaView {
    return (this.shown ??= { id: st.nextViewId++, flags: this.flags, token: this.token, key: this.key, baseDsn: this.baseDsn });
  }
}

/** An MPTCP connection: its index (mptcp.stream), its two meta flows and its subflows. */
class Connection {
  readonly metas: [MetaFlow, MetaFlow] = [new MetaFlow(), new MetaFlow()];
  /** tcp.stream of the subflows, the latest first. */
  readonly subflows: number[] = [];
  /** tcp.stream of the subflow whose MP_CAPABLE carried a key, -1 before. */
  master = -1;
  /** Bit set of the option subtypes seen (1 << subtype, MP_CAPABLE … MP_FASTCLOSE). */
  operations = 0;
  private shown: ConnectionView | null = null;
  constructor(readonly stream: number) {}
  /** To be called after `subflows` or `master` changed. */
  changed(): void {
    this.shown = null;
  }
  view(st: MptcpState): ConnectionView {
    return (this.shown ??= { id: st.nextViewId++, stream: this.stream, master: this.master, subflows: this.subflows.map((s) => `${s} `).join('') });
  }
}

/** A TCP conversation's MPTCP state: its connection and the meta flow of each direction. */
class Subflow implements MptcpSubflowLink {
  connection: Connection | null = null;
  readonly flowOperations: [number, number] = [0, 0];
  /** Indexed by the TCP direction (0: from the conversation's endpoint A). */
  readonly meta: [MetaFlow | null, MetaFlow | null] = [null, null];
}

/** What a frame showed of the state, in the order it showed it (see `fact`). */
type Fact = MetaView | ConnectionView | null;

class MptcpState {
  connections = 0;
  nextViewId = 1;
  readonly tokens = new Map<number, Connection>();
  /**
   * Per frame, the index in `lists` of the facts it showed (0: none). Consecutive frames mostly
   * show the same views, so a list is kept once for all frames that showed it.
   */
  private frameList = new Uint32Array(0);
  private readonly lists: Fact[][] = [[]];
  private readonly listIndex = new Map<string, number>();

  record(num: number, facts: Fact[]): void {
    const key = facts.map((f) => f?.id ?? 0).join(',');
    let i = this.listIndex.get(key);
    if (i === undefined) {
      i = this.lists.length;
      this.lists.push(facts.slice());
      this.listIndex.set(key, i);
    }
    this.frameList = growColumn(this.frameList, num + 1);
    this.frameList[num] = i;
  }

  factsOf(num: number): Fact[] {
    return this.lists[num < this.frameList.length ? this.frameList[num]! : 0]!;
  }
}

const mptcpState = stateSlot(() => new MptcpState());

/** The packet being dissected: the subtypes its options carried (tshark's per-packet header) and its facts. */
const current = { packet: null as Packet | null, operations: 0, facts: [] as Fact[], cursor: 0 };

function begin(p: Packet): void {
  if (current.packet === p) return;
  current.packet = p;
  current.operations = 0;
  current.cursor = 0;
  current.facts = p.visited ? mptcpState.of(p.state).factsOf(p.num) : [];
}

/**
 * In the first pass, takes what the frame shows of the state (changing the state first as the
 * frame does) and records it; when the frame is dissected again, replays it.
 */
function fact<T extends Fact>(p: Packet, take: () => T): T {
  if (p.visited) return (current.facts[current.cursor++] ?? null) as T;
  const v = take();
  current.facts.push(v);
  mptcpState.of(p.state).record(p.num, current.facts);
  return v;
}

function subflowOf(conv: TcpConversation): Subflow {
  return (conv.mptcp ??= new Subflow()) as Subflow;
}

/** A new connection for the subflow, its meta flows given to the packet's direction and back. */
function newConnection(st: MptcpState, sub: Subflow, dir: 0 | 1): Connection {
  const conn = new Connection(st.connections++);
  sub.connection = conn;
  sub.meta[dir] = conn.metas[0];
  sub.meta[dir ^ 1] = conn.metas[1];
  return conn;
}

function attach(conn: Connection, sub: Subflow, stream: number): void {
  if (!conn.subflows.includes(stream)) {
    conn.subflows.unshift(stream);
    conn.changed();
  }
  sub.connection = conn;
}

/**
 * The connection of `token` for direction `flowDir` of the subflow (the packet goes in `dir`):
 * the known one of that token, else the subflow's, else a new one; the token goes to the meta
 * flow of `flowDir`. Follows tshark's steps, including its choice of meta flows when it joins.
 */
function connectionOfToken(st: MptcpState, sub: Subflow, stream: number, flowDir: 0 | 1, dir: 0 | 1, token: number): Connection {
  const own = sub.meta[flowDir];
  if (own && own.flags & HAS_TOKEN) return sub.connection!;
  let conn = st.tokens.get(token);
  if (conn) attach(conn, sub, stream);
  else {
    conn = sub.connection ?? undefined;
    if (!conn) {
      conn = newConnection(st, sub, dir);
      attach(conn, sub, stream);
    } else {
      // The other meta flow already has its token (tshark asserts that one of them has).
      sub.meta[flowDir] = conn.metas[conn.metas[0].flags & HAS_TOKEN ? 1 : 0];
    }
    const meta = sub.meta[flowDir]!;
    meta.token = token;
    meta.flags |= HAS_TOKEN;
    meta.changed();
    st.tokens.set(token, conn);
  }
  let assigned = sub.meta[flowDir] === conn.metas[0] ? 0 : 1;
  if (flowDir !== dir) assigned ^= 1;
  sub.meta[dir] = conn.metas[assigned]!;
  sub.meta[dir ^ 1] = conn.metas[assigned ^ 1]!;
  return conn;
}

/** RFC 8684 §3.2 (v1, SHA-256) and RFC 6824 §3.2 (v0, SHA-1): token = top 32 bits of the hash of the key, IDSN = its low 64 bits. */
function tokenAndIdsn(version: number, key: bigint): [number, bigint] {
  if (version !== 0 && version !== 1) return [0, 0n];
  const k = new Uint8Array(8);
  new DataView(k.buffer).setBigUint64(0, key);
  const h = version === 0 ? sha1(k) : sha256(k);
  const v = new DataView(h.buffer, h.byteOffset, h.byteLength);
  return [v.getUint32(0), v.getBigUint64(h.length - 8)];
}

/** The connection after direction `flowDir` announced `key` (the first key of a direction counts). */
function connectionOfKey(st: MptcpState, sub: Subflow, stream: number, flowDir: 0 | 1, dir: 0 | 1, version: number, key: bigint): Connection {
  const known = sub.meta[flowDir];
  if (known && known.flags & HAS_KEY) return sub.connection!;
  const [token, idsn] = tokenAndIdsn(version, key);
  const conn = connectionOfToken(st, sub, stream, flowDir, dir, token);
  const meta = sub.meta[flowDir]!;
  meta.version = version;
  meta.key = key;
  meta.flags |= HAS_KEY;
  meta.baseDsn = idsn;
  meta.changed();
  return conn;
}

/**
 * A data sequence number or data ACK relative to the IDSN of `meta`, null without it. A 4-byte
 * value takes the high half of the IDSN first (RFC 8684 §3.3.1), assuming no wrap.
 */
function relativeDsn(meta: MetaView | null, raw: bigint, widen: boolean): bigint | null {
  if (!meta || !(meta.flags & HAS_BASE_DSN_MSB)) return null;
  const full = widen ? ((meta.baseDsn >> 32n) << 32n) | raw : raw;
  return BigInt.asUintN(64, full - meta.baseDsn);
}

/** A flags byte with its bit fields (proto_tree_add_bitmask); booleans that are set are named in its label. */
function flagsTree(t: TreeSink, tvb: Tvb, off: number, value: number, fields: readonly (keyof typeof TCP)[], extra?: (t: TreeSink) => void): void {
  let label = `Multipath TCP flags: 0x${value.toString(16).padStart(2, '0')}`;
  for (const name of fields) {
    const f = TCP[name];
    if (f.type === 'bool' && value & f.mask) label += `, ${f.name}`;
  }
  t.open(TCP['tcp.options.mptcp.flags'], tvb, off, 1, value, label);
  for (const name of fields) {
    const f = TCP[name];
    const bits = value & f.mask;
    t.add(f, tvb, off, 1, f.type === 'bool' ? bits !== 0 : bits / (f.mask & -f.mask));
  }
  extra?.(t);
  t.close();
}

const CAPABLE_V0_FLAGS = ['tcp.options.mptcp.checksumreq.flags', 'tcp.options.mptcp.extensibility.flag', 'tcp.options.mptcp.sha1.flag'] as const;
const CAPABLE_V1_FLAGS = ['tcp.options.mptcp.checksumreq.flags', 'tcp.options.mptcp.extensibility.flag', 'tcp.options.mptcp.nomoresubflows.flag', 'tcp.options.mptcp.sha256.flag'] as const;
const JOIN_FLAGS = ['tcp.options.mptcp.backup.flag'] as const;
const DSS_FLAGS = [
  'tcp.options.mptcp.datafin.flag', 'tcp.options.mptcp.dseqn8.flag', 'tcp.options.mptcp.dseqnpresent.flag',
  'tcp.options.mptcp.dataack8.flag', 'tcp.options.mptcp.dataackpresent.flag',
] as const;
const TCPRST_FLAGS = ['tcp.options.mptcp.flag_U.flag', 'tcp.options.mptcp.flag_V.flag', 'tcp.options.mptcp.flag_W.flag', 'tcp.options.mptcp.flag_T.flag'] as const;

function warn(p: Packet, t: TreeSink | null, message: string, tvb: Tvb, off: number, len: number): void {
  p.flags |= PacketFlag.ExpertWarn;
  t?.expert('warn', message, tvb, off, len, 'Protocol');
}

/**
 * One MPTCP option: `tvb` holds the option alone (kind, length, then the subtype's fields), so
 * an option shorter than its subtype's fields ends the packet as malformed, as in tshark.
 */
export function dissectMptcpOption(tvb: Tvb, p: Packet, conv: TcpConversation, dir: 0 | 1, t: TreeSink | null): void {
  begin(p);
  const st = mptcpState.of(p.state);
  const sub = subflowOf(conv);
  const len = tvb.reportedLength;
  const first = !p.visited;
  p.cols.protocol = 'MPTCP';
  p.layers.push('mptcp');
  t?.open(F.proto, tvb, 0, len, null, F.proto.name);
  t?.add(TCP['tcp.option_kind'], tvb, 0, 1, 30);
  t?.add(TCP['tcp.option_len'], tvb, 1, 1, tvb.u8(1));
  const subtype = tvb.u8(2) >> 4;
  if (t) {
    // tshark names a subtype it does not know "Unknown (15)", in the field as in the node.
    const name = TCP['tcp.options.mptcp.subtype'].vals!.get(subtype);
    const shown = name ? `${name} (${subtype})` : `Unknown (${subtype})`;
    t.add(TCP['tcp.options.mptcp.subtype'], tvb, 2, 1, subtype, `${bitPattern(0xf0, 8, subtype << 4)}Multipath TCP subtype: ${shown}`);
    t.appendLabel(`: ${name ?? shown}`);
  }
  // Subtypes after MP_JOIN cannot name their connection: tshark starts one for them.
  if (first && !sub.connection && subtype > MP_JOIN) newConnection(st, sub, dir);
  if (subtype <= MP_FASTCLOSE) current.operations |= 1 << subtype;

  switch (subtype) {
    case MP_CAPABLE: {
      // RFC 8684 §3.1: 4 bytes on a v1 SYN, 12 with the sender's key (SYN/ACK, v0 SYN), 20 with
      // both keys (third ACK), 22 and 24 with data: its data-level length and checksum.
      const version = tvb.u8(2) & 0x0f;
      t?.add(TCP['tcp.options.mptcp.version'], tvb, 2, 1, version);
      const flags = tvb.u8(3);
      // No algorithm, or one other than H (the only one defined): tshark warns under the flags.
      const noAlgorithm = (flags & CRYPTO_MASK) === 0;
      const unsupported = (flags & CRYPTO_MASK) !== HMAC_SHA;
      if (noAlgorithm || unsupported) p.flags |= PacketFlag.ExpertWarn;
      if (t) {
        flagsTree(t, tvb, 3, flags, version === 1 ? CAPABLE_V1_FLAGS : CAPABLE_V0_FLAGS, (t) => {
          // The reserved bits are one bit fewer in v1, which took bit C (RFC 8684 §3.1).
          const reservedMask = version === 1 ? 0x1e : 0x3e;
          const reserved = flags & reservedMask;
          t.add(TCP['tcp.options.mptcp.reserved.flag'], tvb, 3, 1, reserved >> 1,
            `${bitPattern(reservedMask, 8, reserved)}Reserved: 0x${(reserved >> 1).toString(16).padStart(version === 1 ? 1 : 2, '0')}`);
          if (noAlgorithm) t.expert('warn', 'No crypto algorithm specified', tvb, 3, 1, 'Protocol');
          if (unsupported) t.expert('warn', 'Unsupported algorithm', tvb, 3, 1, 'Protocol');
        });
      }
      if (len !== 12 && len !== 20 && len !== 22 && len !== 24) break;
      const key = tvb.u64(4);
      t?.add(TCP['tcp.options.mptcp.sendkey'], tvb, 4, 8, key);
      // The sender's meta flow, keyed now if it was not: its token and IDSN are shown.
      const mine = fact(p, () => {
        const conn = connectionOfKey(st, sub, conv.stream, dir, dir, version, key);
        if (conn.master !== conv.stream) {
          conn.master = conv.stream;
          conn.changed();
        }
        return sub.meta[dir]!.view(st);
      })!;
      let mismatch = false;
      let recvKey = 0n;
      if (len >= 20) {
        // The echoed key is checked against the peer's when known, else keys the peer.
        recvKey = tvb.u64(12);
        const peer = fact(p, () => {
          const known = sub.meta[dir ^ 1]?.view(st) ?? null;
          if (!(known && known.flags & HAS_KEY)) connectionOfKey(st, sub, conv.stream, (dir ^ 1) as 0 | 1, dir, version, recvKey);
          return known;
        });
        mismatch = peer !== null && (peer.flags & HAS_KEY) !== 0 && peer.key !== recvKey;
      }
      const idsn = mine.baseDsn;
      t?.add(F['mptcp.expected_token'], tvb, 12, GENERATED, mine.token);
      if (mismatch) {
        // tshark hangs this warning under the IDSN.
        t?.open(F['mptcp.expected_idsn'], tvb, 12, GENERATED, idsn);
        warn(p, t, 'The echoed key in the ACK of the MPTCP handshake does not match the key of the SYN/ACK', tvb, 12, 0);
        t?.close();
      } else t?.add(F['mptcp.expected_idsn'], tvb, 12, GENERATED, idsn);
      if (len < 20) break;
      t?.add(TCP['tcp.options.mptcp.recvkey'], tvb, 12, 8, recvKey);
      if (len < 22) break;
      const dataLength = tvb.u16(20);
      t?.add(TCP['tcp.options.mptcp.datalvllen'], tvb, 20, 2, dataLength);
      if (dataLength === 0) warn(p, t, 'Fallback to infinite mapping', tvb, 20, 2);
      if (len === 24) {
        const c = tvb.u16(22);
        t?.add(TCP['tcp.options.mptcp.checksum'], tvb, 22, 2, c);
      }
      break;
    }

    case MP_JOIN:
      // RFC 8684 §3.2: 12 bytes on the SYN (token, nonce), 16 on the SYN/ACK (truncated HMAC,
      // nonce), 24 on the third ACK (HMAC).
      if (first && len !== 12 && !sub.connection) newConnection(st, sub, dir);
      if (len === 12) {
        if (t) flagsTree(t, tvb, 2, tvb.u8(2), JOIN_FLAGS);
        t?.add(TCP['tcp.options.mptcp.addrid'], tvb, 3, 1, tvb.u8(3));
        const token = tvb.u32(4);
        t?.add(TCP['tcp.options.mptcp.recvtok'], tvb, 4, 4, token);
        if (first) {
          // The token names the peer's side of the connection; tshark then gives a v1 subflow
          // the meta flows the other way round.
          connectionOfToken(st, sub, conv.stream, (dir ^ 1) as 0 | 1, dir, token);
          if (sub.meta[dir]!.version === 1) [sub.meta[0], sub.meta[1]] = [sub.meta[1], sub.meta[0]];
        }
        t?.add(TCP['tcp.options.mptcp.sendrand'], tvb, 8, 4, tvb.u32(8));
      } else if (len === 16) {
        if (t) flagsTree(t, tvb, 2, tvb.u8(2), JOIN_FLAGS);
        t?.add(TCP['tcp.options.mptcp.addrid'], tvb, 3, 1, tvb.u8(3));
        t?.add(TCP['tcp.options.mptcp.sendtrunchmac'], tvb, 4, 8, tvb.u64(4));
        t?.add(TCP['tcp.options.mptcp.sendrand'], tvb, 12, 4, tvb.u32(12));
      } else if (len === 24) {
        t?.add(TCP['tcp.options.mptcp.reserved'], tvb, 2, 2, tvb.u16(2) & 0x0fff);
        t?.add(TCP['tcp.options.mptcp.sendhmac'], tvb, 4, 20, tvb.bytes(4, 20));
      }
      break;

    case DSS: {
      // RFC 8684 §3.3: flags, then the data ACK (4 or 8 bytes) and the mapping: data sequence
      // number (4 or 8 bytes), subflow sequence number, data-level length, checksum.
      const flags = tvb.u8(3);
      const dssFlags = flags & 0x1f;
      if (t) flagsTree(t, tvb, 3, flags, DSS_FLAGS);
      let off = 4;
      // tshark widens a 4-byte data sequence number by the data ACK's width flag: kept.
      const widen = !(dssFlags & DSS_DATA_ACK_8);
      if (dssFlags & DSS_DATA_ACK) {
        let rawAck: bigint;
        if (dssFlags & DSS_DATA_ACK_8) {
          rawAck = tvb.u64(off);
          t?.add(TCP['tcp.options.mptcp.rawdataack'], tvb, off, 8, rawAck, `Original MPTCP Data ACK: ${rawAck} (64bits)`);
          off += 8;
        } else {
          rawAck = BigInt(tvb.u32(off));
          t?.add(TCP['tcp.options.mptcp.rawdataack'], tvb, off, 4, rawAck);
          off += 4;
        }
        const ack = relativeDsn(fact(p, () => sub.meta[dir ^ 1]?.view(st) ?? null), rawAck, widen);
        if (ack !== null) t?.add(F['mptcp.ack'], tvb, 0, GENERATED, ack, `Multipath TCP Data ACK: ${ack} (Relative)`);
      }
      if (dssFlags & DSS_MAPPING) {
        let dsn: bigint;
        if (dssFlags & DSS_DSN_8) {
          dsn = tvb.u64(off);
          t?.add(TCP['tcp.options.mptcp.rawdataseqno'], tvb, off, 8, dsn, `Data Sequence Number: ${dsn}  (64bits version)`);
          // tshark marks the high half of the base as known here (without changing the base).
          const meta = sub.meta[dir];
          if (first && meta && !(meta.flags & HAS_BASE_DSN_MSB)) {
            meta.flags |= HAS_BASE_DSN_MSB;
            meta.changed();
          }
          off += 8;
        } else {
          dsn = BigInt(tvb.u32(off));
          t?.add(TCP['tcp.options.mptcp.rawdataseqno'], tvb, off, 4, dsn, `Data Sequence Number: ${dsn}  (32bits version)`);
          off += 4;
        }
        t?.add(TCP['tcp.options.mptcp.subflowseqno'], tvb, off, 4, tvb.u32(off));
        off += 4;
        const dataLength = tvb.u16(off);
        t?.add(TCP['tcp.options.mptcp.datalvllen'], tvb, off, 2, dataLength);
        if (dataLength === 0) warn(p, t, 'Fallback to infinite mapping', tvb, off, 2);
        off += 2;
        const rel = relativeDsn(fact(p, () => sub.meta[dir]?.view(st) ?? null), dsn, widen);
        if (rel !== null) t?.add(F['mptcp.dss.dsn'], tvb, 0, GENERATED, rel, `DSS Data Sequence Number: ${rel} (Relative)`);
        // tshark shows the checksum only when 4 bytes are left (not the 2 it takes): kept.
        if (len >= off + 4) t?.add(TCP['tcp.options.mptcp.checksum'], tvb, off, 2, tvb.u16(off));
      }
      break;
    }

    case ADD_ADDR: {
      // RFC 8684 §3.4.1: address ID, IPv4 or IPv6 address, optional port, then (v1) a truncated
      // HMAC; the length tells which. RFC 6824 had the IP version where v1 has the echo flag.
      const ipver = tvb.u8(2) & 0x0f;
      if (ipver === 4 || ipver === 6) t?.add(TCP['tcp.options.mptcp.ipver'], tvb, 2, 1, ipver);
      else t?.add(TCP['tcp.options.mptcp.echo'], tvb, 2, 1, tvb.u8(2) & 0x01);
      t?.add(TCP['tcp.options.mptcp.addrid'], tvb, 3, 1, tvb.u8(3));
      let off = 4;
      if (len === 8 || len === 10 || len === 16 || len === 18) {
        t?.add(TCP['tcp.options.mptcp.ipv4'], tvb, off, 4, tvb.u32(off));
        off += 4;
      }
      if (len === 20 || len === 22 || len === 28 || len === 30) {
        t?.add(TCP['tcp.options.mptcp.ipv6'], tvb, off, 16, tvb.bytes(off, 16));
        off += 16;
      }
      if (len === 10 || len === 18 || len === 22 || len === 30) {
        t?.add(TCP['tcp.options.mptcp.port'], tvb, off, 2, tvb.u16(off));
        off += 2;
      }
      if (len === 16 || len === 18 || len === 28 || len === 30) t?.add(TCP['tcp.options.mptcp.addaddrtrunchmac'], tvb, off, 8, tvb.u64(off));
      break;
    }

    case REMOVE_ADDR:
      // RFC 8684 §3.4.2: the address IDs fill the rest of the option.
      t?.add(F['mptcp.rm_addr.count'], tvb, 2, GENERATED, len - 3);
      for (let off = 3; off < len; off++) t?.add(TCP['tcp.options.mptcp.addrid'], tvb, off, 1, tvb.u8(off));
      break;

    case MP_PRIO:
      // RFC 8684 §3.3.8 (RFC 6824 §3.3.8 had an address ID after the flags).
      if (t) flagsTree(t, tvb, 2, tvb.u8(2), JOIN_FLAGS);
      if (len === 4) t?.add(TCP['tcp.options.mptcp.addrid'], tvb, 3, 1, tvb.u8(3));
      break;

    case MP_FAIL:
      // RFC 8684 §3.7: the data sequence number where the checksum failed.
      t?.add(TCP['tcp.options.mptcp.reserved'], tvb, 2, 2, tvb.u16(2) & 0x0fff);
      t?.add(TCP['tcp.options.mptcp.rawdataseqno'], tvb, 4, 8, tvb.u64(4));
      break;

    case MP_FASTCLOSE:
      // RFC 8684 §3.5: the receiver's key.
      t?.add(TCP['tcp.options.mptcp.reserved'], tvb, 2, 2, tvb.u16(2) & 0x0fff);
      t?.add(TCP['tcp.options.mptcp.recvkey'], tvb, 4, 8, tvb.u64(4));
      break;

    case 8: // MP_TCPRST, RFC 8684 §3.6: flags U, V, W, T and a reason code.
      if (t) flagsTree(t, tvb, 2, tvb.u8(2), TCPRST_FLAGS);
      t?.add(TCP['tcp.options.mptcp.rst_reason'], tvb, 3, 1, tvb.u8(3));
      break;
  }
  t?.close();
}

/**
 * After the TCP sequence analysis of a packet with MPTCP options (dissectTcp): the connection
 * learns the subtypes they carried, and the tree gets tshark's "MPTCP analysis" node.
 */
export function finishMptcpPacket(p: Packet, conv: TcpConversation, tvb: Tvb, t: TreeSink | null): void {
  if (current.packet !== p) return;
  current.packet = null;
  const st = mptcpState.of(p.state);
  const shown = fact(p, () => {
    const conn = (conv.mptcp as Subflow).connection;
    if (!conn) return null;
    conn.operations |= current.operations;
    return conn.view(st);
  });
  if (!shown || !t) return;
  t.open(F['mptcp.analysis'], tvb, 0, GENERATED, null);
  if (shown.master >= 0) t.add(F['mptcp.master'], tvb, 0, GENERATED, shown.master === conv.stream, `Master flow: Master is tcp stream ${shown.master}`);
  else t.add(F['mptcp.master'], tvb, 0, GENERATED, false);
  t.add(F['mptcp.stream'], tvb, 0, GENERATED, shown.stream);
  t.add(F['mptcp.analysis.subflows'], tvb, 0, GENERATED, shown.subflows);
  t.close();
}
