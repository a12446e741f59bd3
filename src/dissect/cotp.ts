// ISO 8073 / ITU-T X.224 connection-oriented transport (COTP), as tshark 4.0 shows it inside
// TPKT (tpkt.ts): the TPDUs of one TPKT packet in turn, each named in Info ("CR TPDU src-ref:
// 0x0001 dst-ref: 0x0000", "DT TPDU (0) EOT"), connection requests with their parameters
// (TSAPs, TPDU size), and DT TPDUs without End Of TSDU put back together per direction
// ("[COTP fragment, 0 bytes]" until the last one, which carries the reassembled user data).
//
// Class 0 and 1 DT TPDUs carry no destination reference (X.224 §13.7); tshark makes one up from
// a capture-wide counter plus the TCP conversation's index shifted left by 16, and keys
// reassembly on it with the addresses. We do the same, with tcp.stream as the conversation
// index (the same number as long as TCP made every conversation of the capture).
//
// Not decoded: ATN checksums (tshark's "ATN" preference is off by default too), the RDP
// connection request in CR/CC, and the user data (S7comm and OSI session sit there), shown as
// Data.

import { dissectData } from './data.ts';
import { FragmentTable, type FragmentPart } from './ip-reassembly.ts';
import { PacketFlag, stateSlot, type Packet } from './packet.ts';
import { defineProtocol, hex } from './registry.ts';
import { GENERATED, type TreeSink } from './tree.ts';
import { Tvb } from './tvb.ts';

// X.224 §13.1, Table 8: the TPDU code is the high nibble of the second octet.
const ED = 0x1;
const EA = 0x2;
const UD = 0x4;
const RJ = 0x5;
const AK = 0x6;
const ER = 0x7;
const DR = 0x8;
const DC = 0xc;
const CC = 0xd;
const CR = 0xe;
const DT = 0xf;

const TPDU_NAMES: Record<number, string> = {
  [ED]: 'ED Expedited Data', [EA]: 'EA Expedited Data Acknowledgement', [RJ]: 'RJ Reject', [AK]: 'AK Data Acknowledgement',
  [ER]: 'ER TPDU Error', [DR]: 'DR Disconnect Request', [DC]: 'DC Disconnect Confirm', [CC]: 'CC Connect Confirm',
  [CR]: 'CR Connect Request', [DT]: 'DT Data',
};

// X.224 §13.5.3 e): reasons of a disconnect request.
const CAUSES: Record<number, string> = {
  0: 'Reason not specified', 1: 'Congestion at TSAP', 2: 'Session entity not attached to TSAP', 3: 'Address unknown',
  128: 'Normal Disconnect', 129: 'Remote transport entity congestion', 130: 'Connection negotiation failed',
  131: 'Duplicate source reference', 132: 'Mismatched references', 133: 'Protocol error', 135: 'Reference overflow',
  136: 'Connection request refused', 138: 'Header or parameter length invalid',
};

// X.224 §13.12.3: reject causes of an ER TPDU.
const REJECT_CAUSES: Record<number, string> = {
  0: 'Reason not specified', 1: 'Invalid parameter code', 2: 'Invalid TPDU type', 3: 'Invalid parameter value',
};

// X.224 §13.3.4 and the parameter codes of each TPDU's variable part.
const VP_TPDU_SIZE = 0xc0;
const VP_SRC_TSAP = 0xc1;
const VP_DST_TSAP = 0xc2;
const VP_CHECKSUM = 0xc3;
const VP_VERSION = 0xc4;
const VP_OPT_SEL = 0xc6;
const VP_PREF_MAX_TPDU_SIZE = 0xf0;
const VP_INACTIVITY_TIMER = 0xf2;
const PARAMETER_NAMES: Record<number, string> = {
  0x09: 'ATN extended checksum - 16 bit', 0x08: 'ATN extended checksum - 32 bit', 0x85: 'ack time', 0x86: 'res error',
  0x87: 'priority', 0x88: 'transit delay', 0x89: 'throughput', 0x8a: 'seq number', 0x8b: 'reassignment',
  0x8c: 'flow control', [VP_TPDU_SIZE]: 'tpdu-size', [VP_SRC_TSAP]: 'src-tsap', [VP_DST_TSAP]: 'dst-tsap',
  [VP_CHECKSUM]: 'checksum', [VP_VERSION]: 'version', 0xc5: 'protection', [VP_OPT_SEL]: 'options', 0xc7: 'proto class',
  0xe0: 'additional connection clearing info', [VP_PREF_MAX_TPDU_SIZE]: 'preferred max TPDU size',
  [VP_INACTIVITY_TIMER]: 'inactivity timer',
};

const USED: readonly [string, string] = ['Used', 'Not used'];

const F = defineProtocol('cotp', 'ISO 8073/X.224 COTP Connection-Oriented Transport Protocol', {
  'cotp.li': { name: 'Length', type: 'uint' },
  'cotp.type': { name: 'PDU Type', type: 'uint', base: 'hex', bits: 8, vals: TPDU_NAMES },
  'cotp.srcref': { name: 'Source reference', type: 'uint', base: 'hex', bits: 16 },
  'cotp.destref': { name: 'Destination reference', type: 'uint', base: 'hex', bits: 16 },
  'cotp.class': { name: 'Class', type: 'uint', mask: 0xf0, bits: 8 },
  'cotp.opts.extended_formats': { name: 'Extended formats', type: 'bool', mask: 0x02, bits: 8 },
  'cotp.opts.no_explicit_flow_control': { name: 'No explicit flow control', type: 'bool', mask: 0x01, bits: 8 },
  'cotp.tpdu-number': { name: 'TPDU number', type: 'uint', base: 'hex', mask: 0x7f, bits: 8 },
  'cotp.next-tpdu-number': { name: 'Your TPDU number', type: 'uint', base: 'hex', bits: 8 },
  'cotp.eot': { name: 'Last data unit', type: 'bool', mask: 0x80, bits: 8, tfs: ['Yes', 'No'] },
  'cotp.credit': { name: 'Credit', type: 'uint' },
  'cotp.cause': { name: 'Cause', type: 'uint', vals: CAUSES },
  'cotp.reject_cause': { name: 'Reject cause', type: 'uint', vals: REJECT_CAUSES },
  'cotp.parameter_code': { name: 'Parameter code', type: 'uint', base: 'hex', bits: 8, vals: PARAMETER_NAMES },
  'cotp.parameter_length': { name: 'Parameter length', type: 'uint' },
  'cotp.parameter_value': { name: 'Parameter value', type: 'bytes' },
  'cotp.tpdu_size': { name: 'TPDU size', type: 'uint' },
  'cotp.src-tsap': { name: 'Source TSAP', type: 'string' },
  'cotp.src-tsap-bytes': { name: 'Source TSAP', type: 'bytes' },
  'cotp.dst-tsap': { name: 'Destination TSAP', type: 'string' },
  'cotp.dst-tsap-bytes': { name: 'Destination TSAP', type: 'bytes' },
  'cotp.checksum': { name: 'Checksum', type: 'uint', base: 'hex', bits: 16 },
  'cotp.vp_version_nr': { name: 'Version', type: 'uint' },
  'cotp.network_expedited_data': { name: 'Use of network expedited data', type: 'bool', mask: 0x08, bits: 8, tfs: USED },
  'cotp.vp_opt_sel_class1_use': { name: 'Use', type: 'bool', mask: 0x04, bits: 8, tfs: ['Receipt confirmation', 'explicit AK variant'] },
  'cotp.use_16_bit_checksum': { name: '16 bit checksum', type: 'bool', mask: 0x02, bits: 8, tfs: USED },
  'cotp.transport_expedited_data_transfer': { name: 'Transport expedited data transfer', type: 'bool', mask: 0x01, bits: 8, tfs: USED },
  'cotp.preferred_maximum_tpdu_size': { name: 'Preferred maximum TPDU size', type: 'uint' },
  'cotp.inactivity_timer': { name: 'Inactivity timer (ms)', type: 'uint' },
  'cotp.segment_data': { name: 'COTP segment data', type: 'bytes' },
  'cotp.segments': { name: 'COTP Segments', type: 'none' },
  'cotp.segment': { name: 'COTP Segment', type: 'framenum' },
  'cotp.segment.count': { name: 'Segment count', type: 'uint' },
  'cotp.reassembled_in': { name: 'Reassembled COTP in frame', type: 'framenum' },
  'cotp.reassembled.length': { name: 'Reassembled COTP length', type: 'uint' },
});

const CLTP = defineProtocol('cltp', 'ISO 8602/X.234 CLTP ConnectionLess Transport Protocol', {
  'cltp.li': { name: 'Length', type: 'uint' },
  'cltp.type': { name: 'PDU Type', type: 'uint', base: 'hex', bits: 8, vals: { [UD]: 'UD' } },
});

/** Per-capture state: the made-up destination references and the DT TPDUs being put together. */
class CotpState {
  /** tshark's capture-wide 16-bit counter behind the references of class 0/1 DT TPDUs. */
  counter = 0;
  /** The counter as each frame found it, for a second look at the frame. */
  readonly counterAt = new Map<number, number>();
  /** The packet being dissected and what its DT TPDUs did to the counter so far. */
  packet: Packet | null = null;
  local = 0;
  lastFragment = false;
  endOfTsdus = 0;
  /** Bytes queued so far per reassembly key (X.224 §6.3: segments come in order). */
  readonly queued = new Map<string, number>();
  readonly fragments: FragmentTable;

  constructor(fragments: FragmentTable) {
    this.fragments = fragments;
  }

  /**
   * The counter at the start of the packet's first class 0/1 DT TPDU. In the first pass, the
   * previous packet's TPDUs are settled first: each End of TSDU counted one up, and unless the
   * packet's last TPDU was a fragment, tshark counted them back down at the end of the frame.
   */
  begin(p: Packet): void {
    if (this.packet === p) return;
    if (!p.visited) {
      if (this.packet && !this.packet.visited) this.counter = this.settled();
      this.counterAt.set(p.num, this.counter);
      this.local = this.counter;
    } else {
      this.local = this.counterAt.get(p.num) ?? 0;
    }
    this.packet = p;
    this.lastFragment = false;
    this.endOfTsdus = 0;
  }

  private settled(): number {
    return this.lastFragment ? this.local : (this.local - this.endOfTsdus) & 0xffff;
  }
}

const cotpState = stateSlot((state) => new CotpState(state.addDependencies(new FragmentTable())));

/** Dissects the TPDUs of one TPKT packet (RFC 1006 §6). Returns false if the first is no TPDU. */
export function dissectCotp(tvb: Tvb, p: Packet): boolean {
  // One layer per call, as tshark names the dissector it calls; taken back if nothing was ours.
  const layer = p.layers.length;
  p.layers.push('cotp');
  p.cols.setInfo('');
  let found = false;
  let cltp = false;
  let off = 0;
  for (let first = true; off < tvb.length; first = false) {
    if (!first) p.cols.appendInfo(', ');
    const pdu = tvb.sub(off);
    const li = pdu.u8(0);
    if (li === 0) {
      p.cols.appendInfo('Length indicator is zero');
      if (!first) dissectData(pdu, p);
      break;
    }
    const code = pdu.u8(1) >> 4;
    let used: number;
    switch (code) {
      case CR:
      case CC:
        used = connect(pdu, li, code, p);
        break;
      case DR:
        used = disconnectRequest(pdu, li, p);
        break;
      case DT:
        used = data(pdu, li, p);
        break;
      case DC:
        used = disconnectConfirm(pdu, li, p);
        break;
      case ER:
        used = tpduError(pdu, li, p);
        break;
      case AK:
        used = dataAck(pdu, li, p);
        break;
      case ED:
      case EA:
      case RJ:
        used = numbered(pdu, li, code, p);
        break;
      case UD:
        used = unitData(pdu, li, p);
        cltp = true;
        break;
      default:
        if (first) p.cols.appendInfo(`Unknown TPDU type (0x${code.toString(16)})`);
        used = -1;
    }
    if (used < 0) {
      if (!first) dissectData(pdu, p);
      break;
    }
    if (first) {
      p.cols.protocol = cltp ? 'CLTP' : 'COTP';
      found = true;
    }
    off += used;
    if (used === 0) break;
  }
  if (!found) {
    p.layers.splice(layer, 1);
    dissectData(tvb, p);
  }
  return found;
}

/** Opens the TPDU's subtree with its length indicator and type (X.224 §13.2.1, §13.2.2.1). */
function openTpdu(t: TreeSink, tvb: Tvb, li: number, code: number): void {
  t.open(F.proto, tvb, 0, li + 1, null);
  t.add(F['cotp.li'], tvb, 0, 1, li);
  t.add(F['cotp.type'], tvb, 1, 1, code);
}

/** CR and CC, X.224 §13.3 and §13.4: references, class, parameters, and maybe user data. */
function connect(tvb: Tvb, li: number, code: number, p: Packet): number {
  const srcRef = tvb.u16(4);
  const classOption = tvb.u8(6);
  if (classOption >> 4 > 4) return -1; // classes 0 to 4 only
  const dstRef = tvb.u16(2);
  p.cols.appendInfo(`${code === CR ? 'CR' : 'CC'} TPDU src-ref: ${hex4(srcRef)} dst-ref: ${hex4(dstRef)}`);
  const t = p.tree;
  if (t) {
    openTpdu(t, tvb, li, code);
    t.add(F['cotp.destref'], tvb, 2, 2, dstRef);
    t.add(F['cotp.srcref'], tvb, 4, 2, srcRef);
    t.add(F['cotp.class'], tvb, 6, 1, classOption >> 4);
    t.add(F['cotp.opts.extended_formats'], tvb, 6, 1, (classOption & 0x02) !== 0);
    t.add(F['cotp.opts.no_explicit_flow_control'], tvb, 6, 1, (classOption & 0x01) !== 0);
  }
  try {
    // Unlike the other TPDUs' (read for the tree only), tshark reads these parameters on every
    // pass: one that runs past the packet makes it malformed even in the packet list.
    if (li > 6) variablePart(tvb, 7, li - 6, classOption, t);
  } finally {
    t?.close();
  }
  const end = li + 1;
  if (tvb.remaining(end) > 0) dissectData(tvb.sub(end), p);
  return Math.max(end, tvb.length);
}

/** DR, X.224 §13.5: the reason, parameters and user data. */
function disconnectRequest(tvb: Tvb, li: number, p: Packet): number {
  if (li < 6) return -1;
  const dstRef = tvb.u16(2);
  const srcRef = tvb.u16(4);
  const reason = tvb.u8(6);
  if (CAUSES[reason] === undefined) return -1;
  p.cols.appendInfo(`DR TPDU src-ref: ${hex4(srcRef)} dst-ref: ${hex4(dstRef)}`);
  const t = p.tree;
  if (t) {
    openTpdu(t, tvb, li, DR);
    try {
      t.add(F['cotp.destref'], tvb, 2, 2, dstRef);
      t.add(F['cotp.srcref'], tvb, 4, 2, srcRef);
      t.add(F['cotp.cause'], tvb, 6, 1, reason);
      variablePart(tvb, 7, li - 6, 4, t);
      t.expert('chat', `Disconnect Request(DR): 0x${srcRef.toString(16)} -> 0x${dstRef.toString(16)}`, tvb, 0, li + 1, 'Sequence');
    } finally {
      t.close();
    }
  }
  const end = li + 1;
  if (tvb.remaining(end) > 0) dissectData(tvb.sub(end), p);
  return Math.max(end, tvb.length);
}

/** DC, X.224 §13.6: no user data, the length indicator gives its length. */
function disconnectConfirm(tvb: Tvb, li: number, p: Packet): number {
  if (li > 9) return -1;
  const dstRef = tvb.u16(2);
  const srcRef = tvb.u16(4);
  p.cols.appendInfo(`DC TPDU src-ref: ${hex4(srcRef)} dst-ref: ${hex4(dstRef)}`);
  const t = p.tree;
  if (t) {
    t.open(F.proto, tvb, 0, li + 1, null);
    try {
      t.add(F['cotp.li'], tvb, 0, 1, li);
      // tshark hangs this TPDU's expert item on its type.
      t.open(F['cotp.type'], tvb, 1, 1, DC);
      t.expert('chat', `Disconnect Confirm(DC): 0x${srcRef.toString(16)} -> 0x${dstRef.toString(16)}`, tvb, 1, 1, 'Sequence');
      t.close();
      t.add(F['cotp.destref'], tvb, 2, 2, dstRef);
      t.add(F['cotp.srcref'], tvb, 4, 2, srcRef);
      variablePart(tvb, 6, li - 5, 4, t);
    } finally {
      t.close();
    }
  }
  return li + 1;
}

/** ER, X.224 §13.12: the cause of the rejected TPDU. */
function tpduError(tvb: Tvb, li: number, p: Packet): number {
  if (li > 8) return -1;
  if (REJECT_CAUSES[tvb.u8(4)] === undefined) return -1;
  const dstRef = tvb.u16(2);
  p.cols.appendInfo(`ER TPDU dst-ref: ${hex4(dstRef)}`);
  const t = p.tree;
  if (t) {
    openTpdu(t, tvb, li, ER);
    try {
      t.add(F['cotp.destref'], tvb, 2, 2, dstRef);
      t.add(F['cotp.reject_cause'], tvb, 4, 1, tvb.u8(4));
      variablePart(tvb, 5, li - 4, 4, t);
    } finally {
      t.close();
    }
  }
  return li + 1;
}

/** AK, X.224 §13.9: the next expected TPDU number and the credit (normal or extended format). */
function dataAck(tvb: Tvb, li: number, p: Packet): number {
  if (li > 27) return -1;
  const dstRef = tvb.u16(2);
  const normal = (li & 1) === 0;
  const next = normal ? tvb.u8(4) : tvb.u32(4);
  p.cols.appendInfo(normal ? `AK TPDU (${next}) dst-ref: ${hex4(dstRef)}` : `AK TPDU (${next}) dst-ref: ${hex4(dstRef)} Credit: ${tvb.u16(8)}`);
  const t = p.tree;
  if (t) {
    openTpdu(t, tvb, li, AK);
    try {
      if (normal) t.add(F['cotp.credit'], tvb, 1, 1, tvb.u8(1) & 0x0f);
      t.add(F['cotp.destref'], tvb, 2, 2, dstRef);
      t.add(F['cotp.next-tpdu-number'], tvb, 4, normal ? 1 : 4, next);
      if (!normal) t.add(F['cotp.credit'], tvb, 8, 2, tvb.u16(8));
    } finally {
      t.close();
    }
  }
  return li + 1;
}

/** ED, EA and RJ (X.224 §13.8, §13.10, §13.11): a TPDU number and the destination reference. */
function numbered(tvb: Tvb, li: number, code: number, p: Packet): number {
  const normal = code === RJ ? li === 4 : li === 4 || li === 8;
  const extended = code === RJ ? li === 9 : li === 7 || li === 11;
  if (!normal && !extended) return -1;
  if ((li === 8 && tvb.u8(5) !== VP_CHECKSUM) || (li === 11 && tvb.u8(8) !== VP_CHECKSUM)) return -1;
  const raw = normal ? tvb.u8(4) : tvb.u32(4);
  const top = normal ? 0x80 : 0x80000000;
  // An expedited TPDU is always one whole unit: tshark rejects one without End of TSDU.
  if (code === ED && (raw & top) === 0) return -1;
  const nr = code === ED ? (normal ? raw & 0x7f : (raw & 0x7fffffff) >>> 0) : raw >>> 0;
  const dstRef = tvb.u16(2);
  const abbrev = code === ED ? 'ED' : code === EA ? 'EA' : 'RJ';
  p.cols.appendInfo(`${abbrev} TPDU (${nr}) dst-ref: ${hex4(dstRef)}`);
  const t = p.tree;
  if (t) {
    openTpdu(t, tvb, li, code);
    try {
      t.add(F['cotp.destref'], tvb, 2, 2, dstRef);
      t.add(code === ED ? F['cotp.tpdu-number'] : F['cotp.next-tpdu-number'], tvb, 4, normal ? 1 : 4, nr);
    } finally {
      t.close();
    }
  }
  if (code === ED && tvb.remaining(li + 1) > 0) {
    dissectData(tvb.sub(li + 1), p);
    return Math.max(li + 1, tvb.length);
  }
  return li + 1;
}

/** UD (X.234 connectionless transport): its header and the user data. */
function unitData(tvb: Tvb, li: number, p: Packet): number {
  p.cols.appendInfo('UD TPDU');
  const t = p.tree;
  if (t) {
    t.open(CLTP.proto, tvb, 0, li + 1, null);
    t.add(CLTP['cltp.li'], tvb, 0, 1, li);
    t.add(CLTP['cltp.type'], tvb, 1, 1, UD);
    t.close();
  }
  const end = li + 1;
  if (tvb.remaining(end) > 0) dissectData(tvb.sub(end), p);
  return Math.max(end, tvb.length);
}

/**
 * DT, X.224 §13.7: the TPDU number and End of TSDU, then the user data. Without End of TSDU the
 * data is a segment: it is queued, and the DT TPDU that ends the TSDU carries all of it.
 */
function data(tvb: Tvb, li: number, p: Packet): number {
  let nr: number;
  let eot: boolean;
  let extended = false;
  let dstRef: number;
  const st = cotpState.of(p.state);
  // A checksum parameter must be the only one of the variable part (tshark checks its code).
  if ((li === 8 && tvb.u8(5) !== VP_CHECKSUM) || (li === 11 && tvb.u8(8) !== VP_CHECKSUM)) return -1;
  switch (li) {
    case 4: // normal format
    case 8: {
      const b = tvb.u8(4);
      nr = b & 0x7f;
      eot = (b & 0x80) !== 0;
      dstRef = tvb.u16(2);
      break;
    }
    case 7: // extended format
    case 11: {
      const w = tvb.u32(4);
      nr = (w & 0x7fffffff) >>> 0;
      eot = (w & 0x80000000) !== 0;
      extended = true;
      dstRef = tvb.u16(2);
      break;
    }
    case 2: {
      // Classes 0 and 1 (§13.7.3 a): no reference on the wire.
      const b = tvb.u8(2);
      nr = b & 0x7f;
      eot = (b & 0x80) !== 0;
      st.begin(p);
      st.lastFragment = !eot;
      dstRef = (st.local + (p.tcp ? p.tcp.stream * 0x10000 : 0)) >>> 0;
      if (eot) {
        st.local = (st.local + 1) & 0xffff;
        st.endOfTsdus++;
      }
      break;
    }
    default:
      return -1;
  }
  const class234 = li > 2;
  p.cols.appendInfo(class234 ? `DT TPDU (${nr}) dst-ref: ${hex4(dstRef)}` : `DT TPDU (${nr})`);
  const t = p.tree;
  const hdrEnd = li + 1;
  const user = tvb.sub(hdrEnd);
  const userLen = user.length;
  p.cols.appendInfo(eot ? ' EOT' : ` [COTP fragment, ${userLen} byte${userLen === 1 ? '' : 's'}]`);

  // Reassembly (tshark's fragment_add_seq_next): keyed by the addresses and the reference.
  const key = `${p.src}>${p.dst}#${dstRef}`;
  const table = st.fragments;
  let whole: Uint8Array | null = null;
  let parts: FragmentPart[] | undefined;
  if (!p.visited) {
    const at = st.queued.get(key);
    if (!eot || at !== undefined) {
      whole = table.add(key, p, user, at ?? 0, !eot);
      if (eot) st.queued.delete(key);
      else st.queued.set(key, (at ?? 0) + userLen);
      if (whole) parts = table.completedIn.get(p.num);
    }
  } else {
    const r = table.rebuild(p);
    if (r) {
      whole = r.data;
      parts = r.parts;
    }
  }
  const inFrame = p.visited ? table.reassembledIn.get(p.num) : undefined;

  if (t) {
    openTpdu(t, tvb, li, DT);
    try {
      if (class234) t.add(F['cotp.destref'], tvb, 2, 2, dstRef);
      else t.add(F['cotp.destref'], tvb, 2, GENERATED, dstRef);
      const at = class234 ? 4 : 2;
      if (extended) {
        t.add(F['cotp.tpdu-number'], tvb, at, 4, nr, `TPDU number: 0x${hex(nr, 8)}`);
        t.add(F['cotp.eot'], tvb, at, 4, eot, `Last data unit: ${eot ? 'Yes' : 'No'}`);
      } else {
        t.add(F['cotp.tpdu-number'], tvb, at, 1, nr);
        t.add(F['cotp.eot'], tvb, at, 1, eot);
      }
      const vpAt = extended ? 8 : at + 1;
      if (hdrEnd > vpAt) variablePart(tvb, vpAt, hdrEnd - vpAt, 4, t);
      if (parts || inFrame) {
        t.add(F['cotp.segment_data'], user, 0, userLen, user.bytes(0, userLen), `COTP segment data (${userLen} byte${userLen === 1 ? '' : 's'})`);
      }
      if (inFrame) t.add(F['cotp.reassembled_in'], user, 0, GENERATED, inFrame, `[Reassembled COTP in frame: ${inFrame}]`);
    } finally {
      t.close();
    }
  }
  if (!eot) {
    p.flags |= PacketFlag.Fragment;
    return Math.max(hdrEnd, tvb.length);
  }
  if (whole && parts) {
    if (t) segmentsTree(t, user, parts, whole.length);
    p.flags |= PacketFlag.Reassembled;
    const source = p.addSource('Reassembled COTP', whole);
    dissectData(new Tvb(whole, 0, whole.length, whole.length, source), p);
  } else if (user.reportedLength > 0) {
    dissectData(user, p);
  }
  return Math.max(hdrEnd, tvb.length);
}

/** "[4 COTP Segments (60 bytes): #32(0), #83(60)]" and its children, as tshark lists them. */
function segmentsTree(t: TreeSink, tvb: Tvb, parts: FragmentPart[], total: number): void {
  t.open(F['cotp.segments'], tvb, 0, GENERATED, null,
    `[${parts.length} COTP Segments (${total} bytes): ${parts.map((x) => `#${x.frame}(${x.length})`).join(', ')}]`);
  for (const x of parts) {
    t.add(F['cotp.segment'], tvb, 0, GENERATED, x.frame, x.length === 0
      ? `[Frame: ${x.frame} (no data)]`
      : `[Frame: ${x.frame}, payload: ${x.fragOffset}-${x.fragOffset + x.length - 1} (${x.length} byte${x.length === 1 ? '' : 's'})]`);
  }
  t.add(F['cotp.segment.count'], tvb, 0, GENERATED, parts.length, `[Segment count: ${parts.length}]`);
  t.add(F['cotp.reassembled.length'], tvb, 0, GENERATED, total, `[Reassembled COTP length: ${total}]`);
  t.close();
}

/** The parameters of a TPDU's variable part (X.224 §13.2.3): code, length, value. */
function variablePart(tvb: Tvb, off: number, len: number, classOption: number, t: TreeSink | null): void {
  let left = len;
  while (left > 0) {
    const code = tvb.u8(off);
    t?.add(F['cotp.parameter_code'], tvb, off, 1, code);
    off++;
    left--;
    if (left === 0) break;
    const plen = tvb.u8(off);
    t?.add(F['cotp.parameter_length'], tvb, off, 1, plen);
    off++;
    left--;
    switch (code) {
      case VP_TPDU_SIZE:
        t?.add(F['cotp.tpdu_size'], tvb, off, 1, 1 << (tvb.u8(off) & 0x0f));
        break;
      case VP_SRC_TSAP:
      case VP_DST_TSAP: {
        const [str, bytes] = code === VP_SRC_TSAP ? ['cotp.src-tsap', 'cotp.src-tsap-bytes'] as const : ['cotp.dst-tsap', 'cotp.dst-tsap-bytes'] as const;
        const value = tvb.bytes(off, plen);
        // Printable TSAPs show as text, others as bytes (tshark's "auto" display).
        if (isPrintable(value)) t?.add(F[str], tvb, off, plen, tsapText(value));
        else t?.add(F[bytes], tvb, off, plen, value);
        break;
      }
      case VP_CHECKSUM: {
        const sum = tvb.u16(off);
        t?.add(F['cotp.checksum'], tvb, off, 2, sum, sum === 0 ? `Checksum: 0x0000 [not present]` : `Checksum: 0x${hex(sum, 4)} [unverified]`);
        break;
      }
      case VP_VERSION:
        t?.add(F['cotp.vp_version_nr'], tvb, off, 1, tvb.u8(off));
        break;
      case VP_OPT_SEL: {
        const b = tvb.u8(off);
        if (classOption === 1) {
          t?.add(F['cotp.network_expedited_data'], tvb, off, 1, (b & 0x08) !== 0);
          t?.add(F['cotp.vp_opt_sel_class1_use'], tvb, off, 1, (b & 0x04) !== 0);
        } else if (classOption === 4) {
          t?.add(F['cotp.use_16_bit_checksum'], tvb, off, 1, (b & 0x02) !== 0);
        }
        t?.add(F['cotp.transport_expedited_data_transfer'], tvb, off, 1, (b & 0x01) !== 0);
        break;
      }
      case VP_PREF_MAX_TPDU_SIZE: {
        if (plen < 1 || plen > 4) {
          t?.expert('warn', `Preferred maximum TPDU size: bogus length ${plen} (not 1, 2, 3, or 4)`, tvb, off, plen, 'Protocol');
          return;
        }
        let v = 0;
        for (let i = 0; i < plen; i++) v = v * 256 + tvb.u8(off + i);
        t?.add(F['cotp.preferred_maximum_tpdu_size'], tvb, off, plen, v * 128);
        break;
      }
      case VP_INACTIVITY_TIMER: {
        let v = 0;
        for (let i = 0; i < Math.min(plen, 4); i++) v = v * 256 + tvb.u8(off + i);
        t?.add(F['cotp.inactivity_timer'], tvb, off, plen, v);
        break;
      }
      default:
        t?.add(F['cotp.parameter_value'], tvb, off, plen, tvb.bytes(off, Math.min(plen, tvb.remaining(off))), 'Parameter value: <not shown>');
    }
    off += plen;
    left -= plen;
  }
}

function isPrintable(b: Uint8Array): boolean {
  for (const c of b) if (c < 0x20 || c > 0x7e) return false;
  return true;
}

/** tshark's TSAP text: the characters when printable, else "0x" and hex (at most 32 bytes). */
function tsapText(b: Uint8Array): string {
  if (b.length === 0 || b.length > 32) return '<unsupported TSAP length>';
  return String.fromCharCode(...b);
}

function hex4(n: number): string {
  return '0x' + hex(n, 4);
}
