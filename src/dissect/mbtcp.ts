// Modbus/TCP (TCP port 502) as tshark 4.0 shows it: the MBAP header (Modbus Messaging on TCP/IP
// Implementation Guide V1.0b §3.1.3: transaction id, protocol id 0, length of what follows, unit
// id), then the Modbus PDU (Modbus Application Protocol Specification V1.1b3: a function code,
// its data, or function code | 0x80 and an exception code, §7).
//
// Nothing in a PDU says whether it is a request or a response; like tshark, the side of port 502
// decides (to 502: Query, from 502: Response). A response is tied to the last earlier request of
// its connection with the same function, unit and transaction (Request Frame, Time from request),
// and read coils/registers are numbered from that request's starting address. Several PDUs may
// share a segment and one may span segments (the MBAP length says how long it is): Info shows the
// last PDU of the segment, as tshark's does.

import { reportPduException } from './frame.ts';
import { stringAt } from './dns-items.ts';
import { ONE_MORE_SEGMENT, PacketFlag, stateSlot, type Packet } from './packet.ts';
import { bitPattern, defineProtocol, formatValue, type FieldDef } from './registry.ts';
import { tcpPortTable } from './tables.ts';
import { formatText } from './text.ts';
import { GENERATED, type TreeSink } from './tree.ts';
import { CapturedBoundsError, MalformedError, Tvb } from './tvb.ts';

const PORT = 502;
/** MBAP header: transaction id, protocol id, length (what tshark needs to know the PDU's size). */
const FIXED_LEN = 6;

const enum Kind {
  Query,
  Response,
  Unknown,
}

const READ_COILS = 1;
const READ_DISCRETE_INPUTS = 2;
const READ_HOLDING_REGS = 3;
const READ_INPUT_REGS = 4;
const WRITE_SINGLE_COIL = 5;
const WRITE_SINGLE_REG = 6;
const READ_EXCEPT_STAT = 7;
const DIAGNOSTICS = 8;
const GET_COMM_EVENT_CTRS = 11;
const GET_COMM_EVENT_LOG = 12;
const WRITE_MULT_COILS = 15;
const WRITE_MULT_REGS = 16;
const READ_FILE_RECORD = 20;
const WRITE_FILE_RECORD = 21;
const MASK_WRITE_REG = 22;
const READ_WRITE_REG = 23;
const READ_FIFO_QUEUE = 24;
const ENCAP_INTERFACE_TRANSP = 43;

/** Diagnostics sub-functions (§6.8) with a field of their own. */
const RETURN_QUERY_DATA = 0x00;
const RESTART_COMMUNICATION_OPTION = 0x01;
const CHANGE_ASCII_INPUT_DELIMITER = 0x03;

/** MEI types of function 43 (§6.19–6.21). */
const READ_DEVICE_ID = 0x0e;

const FUNCTIONS: Record<number, string> = {
  1: 'Read Coils', 2: 'Read Discrete Inputs', 3: 'Read Holding Registers', 4: 'Read Input Registers',
  5: 'Write Single Coil', 6: 'Write Single Register', 7: 'Read Exception Status', 8: 'Diagnostics',
  11: 'Get Comm. Event Counters', 12: 'Get Comm. Event Log', 15: 'Write Multiple Coils', 16: 'Write Multiple Registers',
  17: 'Report Slave ID', 20: 'Read File Record', 21: 'Write File Record', 22: 'Mask Write Register',
  23: 'Read Write Register', 24: 'Read FIFO Queue', 43: 'Encapsulated Interface Transport', 90: 'Unity (Schneider)',
};

const EXCEPTIONS: Record<number, string> = {
  1: 'Illegal function', 2: 'Illegal data address', 3: 'Illegal data value', 4: 'Slave device failure',
  5: 'Acknowledge', 6: 'Slave device busy', 8: 'Memory parity error', 10: 'Gateway path unavailable',
  11: 'Gateway target device failed to respond',
};

// tshark's name of MEI 13 ends with a space, and shows in Info so.
const MEI_TYPES: Record<number, string> = { 0x0d: 'CANopen Request/Response ', 0x0e: 'Read Device Identification' };

const DIAGNOSTIC_CODES: Record<number, string> = {
  0x00: 'Return Query Data', 0x01: 'Restart Communications Option', 0x02: 'Return Diagnostic Register',
  0x03: 'Change ASCII Input Delimiter', 0x04: 'Force Listen Only Mode', 0x0a: 'Clear Counters and Diagnostic Register',
  0x0b: 'Return Bus Message Count', 0x0c: 'Return Bus Communication Error Count', 0x0d: 'Return Bus Exception Error Count',
  0x0e: 'Return Slave Message Count', 0x0f: 'Return Slave No Response Count', 0x10: 'Return Slave NAK Count',
  0x11: 'Return Slave Busy Count', 0x12: 'Return Bus Character Overrun Count', 0x14: 'Clear Overrun Counter and Flag',
};

/** Diagnostics sub-functions whose response carries a 16-bit counter or register of its own field. */
const DIAGNOSTIC_COUNTERS: Record<number, string> = {
  0x02: 'modbus.diagnostic.return_diag_register',
  0x0a: 'modbus.diagnostic.clear_ctr_diag_reg',
  0x0b: 'modbus.diagnostic.bus_message_count',
  0x0c: 'modbus.diagnostic.bus_comm_error_count',
  0x0d: 'modbus.diagnostic.bus_exception_error_count',
  0x0e: 'modbus.diagnostic.slave_message_count',
  0x0f: 'modbus.diagnostic.no_slave_response_count',
  0x10: 'modbus.diagnostic.slave_nak_count',
  0x11: 'modbus.diagnostic.slave_busy_count',
  0x12: 'modbus.diagnostic.bus_char_overrun_count',
};

const FT = defineProtocol('mbtcp', 'Modbus/TCP', {
  'mbtcp.trans_id': { name: 'Transaction Identifier', type: 'uint', bits: 16 },
  'mbtcp.prot_id': { name: 'Protocol Identifier', type: 'uint', bits: 16 },
  'mbtcp.len': { name: 'Length', type: 'uint', bits: 16 },
  'mbtcp.unit_id': { name: 'Unit Identifier', type: 'uint', bits: 8 },
});

const u8 = (name: string, extra: { base?: 'hex'; vals?: Record<number, string>; mask?: number } = {}) => ({ name, type: 'uint' as const, bits: 8, ...extra });
const u16 = (name: string, extra: { base?: 'hex'; vals?: Record<number, string> } = {}) => ({ name, type: 'uint' as const, bits: 16, ...extra });

const F = defineProtocol('modbus', 'Modbus', {
  'modbus.request_frame': { name: 'Request Frame', type: 'framenum' },
  'modbus.response_time': { name: 'Time from request', type: 'reltime', blurb: 'Time between request and reply' },
  'modbus.func_code': u8('Function Code', { vals: FUNCTIONS, mask: 0x7f }),
  'modbus.reference_num': u16('Reference Number'),
  'modbus.padding': u8('Padding', { base: 'hex' }),
  'modbus.reference_num_32': { name: 'Reference Number (32 bit)', type: 'uint', bits: 32 },
  'modbus.reference_type': u8('Reference Type'),
  'modbus.read_reference_num': u16('Read Reference Number'),
  'modbus.write_reference_num': u16('Write Reference Number'),
  'modbus.word_cnt': u16('Word Count'),
  'modbus.read_word_cnt': u16('Read Word Count'),
  'modbus.write_word_cnt': u16('Write Word Count'),
  'modbus.bit_cnt': u16('Bit Count'),
  'modbus.byte_cnt': u8('Byte Count'),
  'modbus.byte_cnt_16': u8('Byte Count (16-bit)'),
  'modbus.exception_code': u8('Exception Code', { vals: EXCEPTIONS }),
  'modbus.diagnostic_code': u16('Diagnostic Code', { vals: DIAGNOSTIC_CODES }),
  'modbus.diagnostic.return_query_data.request': { name: 'Request Data', type: 'bytes' },
  'modbus.diagnostic.return_query_data.echo': { name: 'Echo Data', type: 'bytes' },
  'modbus.diagnostic.restart_communication_option': u16('Restart Communication Option', { base: 'hex', vals: { 0: 'Leave Log', 0xff: 'Clear Log' } }),
  'modbus.diagnostic.return_diag_register': u16('Diagnostic Register Contents', { base: 'hex' }),
  'modbus.diagnostic.ascii_input_delimiter': u8('CHAR', { base: 'hex' }),
  'modbus.diagnostic.clear_ctr_diag_reg': u16('Clear Counters & Diag Register Echo'),
  'modbus.diagnostic.bus_message_count': u16('Total Message Count'),
  'modbus.diagnostic.bus_comm_error_count': u16('CRC Error Count'),
  'modbus.diagnostic.bus_exception_error_count': u16('Exception Error Count'),
  'modbus.diagnostic.slave_message_count': u16('Slave Message Count'),
  'modbus.diagnostic.no_slave_response_count': u16('Slave No Response Count'),
  'modbus.diagnostic.slave_nak_count': u16('Slave NAK Count'),
  'modbus.diagnostic.slave_busy_count': u16('Slave Device Busy Count'),
  'modbus.diagnostic.bus_char_overrun_count': u16('Slave Character Overrun Count'),
  'modbus.ev_status': u16('Status', { base: 'hex' }),
  'modbus.event': u8('Event'),
  'modbus.ev_count': u16('Event Count'),
  'modbus.ev_msg_count': u16('Message Count'),
  'modbus.ev_recv_comm_err': u8('Communication Error', { mask: 0x02 }),
  'modbus.ev_recv_char_over': u8('Character Overrun', { mask: 0x10 }),
  'modbus.ev_recv_lo_mode': u8('Currently in Listen Only Mode', { mask: 0x20 }),
  'modbus.ev_recv_broadcast': u8('Broadcast Received', { mask: 0x40 }),
  'modbus.ev_send_read_ex': u8('Read Exception Sent', { mask: 0x01 }),
  'modbus.ev_send_slave_abort_ex': u8('Slave Abort Exception Sent', { mask: 0x02 }),
  'modbus.ev_send_slave_busy_ex': u8('Slave Busy Exception Sent', { mask: 0x04 }),
  'modbus.ev_send_slave_nak_ex': u8('Slave Program NAK Exception Sent', { mask: 0x08 }),
  'modbus.ev_send_write_timeout': u8('Write Timeout Error Occurred', { mask: 0x10 }),
  'modbus.ev_send_lo_mode': u8('Currently in Listen Only Mode', { mask: 0x20 }),
  'modbus.and_mask': u16('AND mask', { base: 'hex' }),
  'modbus.or_mask': u16('OR mask', { base: 'hex' }),
  'modbus.data': { name: 'Data', type: 'bytes' },
  'modbus.mei': u8('MEI type', { vals: MEI_TYPES }),
  'modbus.read_device_id': u8('Read Device ID', {
    vals: { 1: 'Basic Device Identification', 2: 'Regular Device Identification', 3: 'Extended Device Identification', 4: 'Specific Identification Object' },
  }),
  'modbus.object_id': u8('Object ID', {
    vals: { 0: 'VendorName', 1: 'ProductCode', 2: 'MajorMinorRevision', 3: 'VendorURL', 4: 'ProductName', 5: 'ModelName', 6: 'UserApplicationName' },
  }),
  'modbus.num_objects': u8('Number of Objects'),
  'modbus.objects_len': u8('Object length'),
  'modbus.conformity_level': u8('Conformity Level', {
    base: 'hex',
    vals: {
      0x01: 'Basic Device Identification (stream)', 0x02: 'Regular Device Identification (stream)', 0x03: 'Extended Device Identification (stream)',
      0x81: 'Basic Device Identification (stream and individual)', 0x82: 'Regular Device Identification (stream and individual)',
      0x83: 'Extended Device Identification (stream and individual)',
    },
  }),
  'modbus.more_follows': u8('More Follows', { base: 'hex' }),
  'modbus.next_object_id': u8('Next Object ID'),
  'modbus.object_str_value': { name: 'Object String Value', type: 'string' },
  'modbus.object_value': { name: 'Object Value', type: 'bytes' },
  'modbus.bitnum': u16('Bit Number'),
  'modbus.bitval': { name: 'Bit Value', type: 'bool', bits: 8, mask: 0x01 },
  'modbus.regnum16': u16('Register Number'),
  'modbus.regval_uint16': u16('Register Value (UINT16)'),
});

// ---- request/response matching (per capture) ----------------------------------------------

/** A request as the first pass saw it (the frame, the address and count it asked for, when). */
interface Request {
  num: number;
  base: number;
  count: number;
  sec: number;
  nsec: number;
}

/** What a PDU learnt from its request in the first pass; a re-dissection reads it back. */
interface Match {
  base: number;
  count: number;
  reqFrame: number;
  sec: number;
  nsec: number;
}

const NO_MATCH: Match = { base: 0, count: 0, reqFrame: 0, sec: 0, nsec: 0 };

class ModbusState {
  /** Per TCP stream: requests by function, unit and transaction, in frame order. */
  readonly requests = new Map<number, Map<number, Request[]>>();
  /** Per frame: each PDU's match, in the order the first pass dissected them. */
  readonly matches = new Map<number, Match[]>();
  /** The packet being re-dissected and how many of its PDUs were done (to read `matches`). */
  replayPacket: Packet | null = null;
  replayIndex = 0;
}

const modbusState = stateSlot(() => new ModbusState());

const requestKey = (fc: number, unit: number, trans: number) => fc + unit * 0x80 + trans * 0x8000;

/**
 * The first pass records a request (its starting address and count, when it has them) or looks
 * up a response's request; a re-dissection reads what the first pass found for this PDU.
 */
function matchPdu(p: Packet, mb: Tvb, kind: Kind, fc: number, unit: number, trans: number): Match {
  const st = modbusState.of(p.state);
  if (p.visited) {
    if (st.replayPacket !== p) {
      st.replayPacket = p;
      st.replayIndex = 0;
    }
    return st.matches.get(p.num)?.[st.replayIndex++] ?? NO_MATCH;
  }
  let m = NO_MATCH;
  const stream = p.tcp ? p.tcp.stream : -1;
  let byKey = st.requests.get(stream);
  if (!byKey) st.requests.set(stream, (byKey = new Map()));
  const key = requestKey(fc, unit, trans);
  if (kind === Kind.Query) {
    const len = mb.length;
    const base = len >= 3 ? mb.u16(1) : 0;
    const count = len >= 5 ? mb.u16(3) : 0;
    const req: Request = { num: p.num, base, count, sec: p.frame.tsSec, nsec: p.frame.tsNsec };
    const list = byKey.get(key);
    if (list) list.push(req);
    else byKey.set(key, [req]);
  } else if (kind === Kind.Response) {
    const list = byKey.get(key);
    if (list) {
      for (let i = list.length - 1; i >= 0; i--) {
        const r = list[i]!;
        if (r.num < p.num) {
          m = { base: r.base, count: r.count, reqFrame: r.num, sec: r.sec, nsec: r.nsec };
          break;
        }
      }
    }
  }
  let list = st.matches.get(p.num);
  if (!list) st.matches.set(p.num, (list = []));
  list.push(m);
  return m;
}

/** tshark's relative time: seconds and nine decimals, signed. */
function relTime(sec: number, nsec: number, sec0: number, nsec0: number): { text: string; value: number } {
  let s = sec - sec0;
  let n = nsec - nsec0;
  if (s > 0 && n < 0) {
    s--;
    n += 1e9;
  } else if (s < 0 && n > 0) {
    s++;
    n -= 1e9;
  }
  const neg = s < 0 || n < 0;
  return { text: `${neg ? '-' : ''}${Math.abs(s)}.${String(Math.abs(n)).padStart(9, '0')}`, value: s + n / 1e9 };
}

// ---- TCP: MBAP-framed PDUs ---------------------------------------------------------------

/**
 * The payload of a segment to or from port 502: MBAP-framed PDUs one after the other. A PDU cut
 * by the segment's end asks TCP for the rest (implementation guide §4.3.2: TCP gives no message
 * boundaries). Like tshark, a payload that does not start as Modbus/TCP (shorter than 8 bytes,
 * protocol id not 0, length below 2) is left to the next dissector.
 */
function dissectMbtcp(tvb: Tvb, p: Packet): boolean {
  if (!tvb.has(0, 8) || tvb.u16(2) !== 0 || tvb.u16(4) < 2) return false;
  // A segment TCP cannot reassemble (here: one not captured whole) is "fragmented" to tshark:
  // a PDU that contradicts itself there is reported as an unreassembled fragment, not malformed.
  const fragmented = !p.canDesegment || tvb.length !== tvb.reportedLength;
  let canDesegment = !fragmented;
  let off = 0;
  try {
    while (tvb.reportedRemaining(off) > 0) {
      const avail = tvb.remaining(off);
      if (avail === 0) tvb.u8(off); // snapped: throws "packet size limited"
      if (canDesegment && avail < FIXED_LEN) {
        p.desegmentOffset = off;
        p.desegmentLen = ONE_MORE_SEGMENT;
        return true;
      }
      const plen = tvb.u16(off + 4) + FIXED_LEN;
      if (canDesegment && avail < plen) {
        p.desegmentOffset = off;
        p.desegmentLen = plen - avail;
        return true;
      }
      // tshark lists mbtcp once per segment (its PDUs are dissected by a direct call) but modbus
      // once per PDU (called through its handle): "tcp:mbtcp:modbus:modbus".
      if (off === 0) p.layers.push('mbtcp');
      const cut = plen > avail;
      const view = cut ? FragmentTvb.of(tvb, off, plen) : tvb.sub(off, plen);
      const r = pdu(view, p, fragmented, cut);
      if (r === Outcome.Stop) break;
      // tshark's call into the Modbus layer lowers "can desegment" and an exception there
      // skips restoring it: the rest of the segment is dissected as it comes.
      if (r === Outcome.ModbusFailed) canDesegment = false;
      off += plen;
    }
  } catch (e) {
    if (!(fragmented && e instanceof MalformedError)) throw e;
    unreassembled(p, tvb, 'Modbus/TCP');
  }
  // What TCP hands over later in this segment (after a reassembled PDU) adds to Info, as
  // tshark's TCP fences the column once a reassembled PDU is followed by more.
  if (off > 0) p.cols.fenceInfo();
  return true;
}

const enum Outcome {
  Next,
  /** The Modbus layer threw (reported, and the next PDU is read). */
  ModbusFailed,
  /** Nothing more of the segment can be read. */
  Stop,
}

/** Tree nodes opened for one PDU, to close them when it turns out malformed. */
interface Ctx {
  t: TreeSink | null;
  depth: number;
  /** Wireshark's current protocol, named by a malformed PDU's item. */
  proto: string;
}

/**
 * One MBAP header and its Modbus PDU, with tshark's ways of reporting one that is broken:
 *  - it contradicts itself (reads past its own end): malformed, or an unreassembled fragment in a
 *    `fragmented` segment, and the next PDU is still read;
 *  - it is `cut` by the end of the segment (TCP could not reassemble it; see FragmentTvb) and
 *    reads past the segment: an unreassembled fragment; past the captured bytes of a segment
 *    that was longer on the wire: "packet size limited". Either ends the segment.
 * Items name the layer that failed (Modbus/TCP or Modbus).
 */
function pdu(tvb: Tvb, p: Packet, fragmented: boolean, cut: boolean): Outcome {
  const c: Ctx = { t: p.tree, depth: 0, proto: 'Modbus/TCP' };
  try {
    mbapHeader(tvb, p, c);
    return Outcome.Next;
  } catch (e) {
    if (!(e instanceof MalformedError) && !(e instanceof CapturedBoundsError)) throw e;
    const t = c.t;
    if (t) while (c.depth-- > 0) t.close();
    if (e instanceof CapturedBoundsError) {
      reportPduException(p, tvb, c.proto, e);
      return Outcome.Stop;
    }
    if (cut) {
      unreassembled(p, tvb, c.proto);
      return Outcome.Stop;
    }
    if (fragmented) unreassembled(p, tvb, c.proto);
    else reportPduException(p, tvb, c.proto, e);
    return c.proto === 'Modbus' ? Outcome.ModbusFailed : Outcome.Next;
  }
}

/** Reading past the segment in a PDU that TCP could not reassemble (FragmentBoundsError). */
class FragmentError extends MalformedError {
  override name = 'FragmentError';
}

/**
 * A view of a PDU that runs past the end of its segment, as tshark's tcp_dissect_pdus marks
 * one it cannot reassemble: a read past the bytes the segment had on the wire (`containedEnd`)
 * is an unreassembled fragment rather than a malformed packet; one past the captured bytes but
 * within the segment is still "packet size limited". Sub-views keep the mark.
 */
class FragmentTvb extends Tvb {
  constructor(buf: Uint8Array, start: number, capEnd: number, repEnd: number, source: number, readonly containedEnd: number) {
    super(buf, start, capEnd, repEnd, source);
  }

  static of(segment: Tvb, off: number, len: number): FragmentTvb {
    const start = segment.start + off;
    return new FragmentTvb(segment.buf, start, Math.min(segment.capEnd, start + len), start + len, segment.source, segment.repEnd);
  }

  private contain(off: number, len: number): void {
    const end = this.start + off + len;
    if (off >= 0 && len >= 0 && end > this.capEnd && end > Math.min(this.repEnd, this.containedEnd)) {
      throw new FragmentError('read past the end of the segment');
    }
  }

  override check(off: number, len: number): void {
    this.contain(off, len);
    super.check(off, len);
  }

  override u8(off: number): number {
    this.contain(off, 1);
    return super.u8(off);
  }

  override u16(off: number): number {
    this.contain(off, 2);
    return super.u16(off);
  }

  override u32(off: number): number {
    this.contain(off, 4);
    return super.u32(off);
  }

  override sub(off: number, len?: number): Tvb {
    const v = super.sub(off, len);
    return new FragmentTvb(v.buf, v.start, v.capEnd, v.repEnd, v.source, this.containedEnd);
  }
}

function unreassembled(p: Packet, tvb: Tvb, proto: string): void {
  p.cols.appendInfo('[BoundErrorUnreassembled Packet]');
  const t = p.tree;
  if (!t) return;
  t.text(tvb, 0, 0, `[BoundError Unreassembled Packet: ${proto}]`);
  t.expert('note', 'Unreassembled fragment (change preferences to enable reassembly)', null, 0, 0, 'Reassemble');
}

function mbapHeader(tvb: Tvb, p: Packet, c: Ctx): void {
  p.cols.protocol = 'Modbus/TCP';
  p.cols.clearInfo();
  const trans = tvb.u16(0);
  const protocol = tvb.u16(2);
  const len = tvb.u16(4);
  const unit = tvb.u8(6);
  const fcByte = tvb.u8(7);
  const fc = fcByte & 0x7f;
  const kind = p.srcPort === PORT && p.dstPort !== PORT ? Kind.Response : p.dstPort === PORT && p.srcPort !== PORT ? Kind.Query : Kind.Unknown;
  const exception = fcByte & 0x80 ? tvb.u8(8) : 0;
  // Built even when nobody reads Info: it reads the sub-function, which may not be there.
  p.cols.setInfo(infoText(tvb, kind, trans, unit, fc, exception));
  const t = c.t;
  if (t) {
    // A protocol item covers what was captured of it.
    const shown = Math.min(len + 6, tvb.length);
    t.open(FT.proto, tvb, 0, shown, null);
    if (kind === Kind.Unknown) {
      t.expert('warn', 'Cannot classify packet type. Try setting Modbus/TCP Port preference to this destination or source port', tvb, 0, shown, 'Protocol');
    }
    t.add(FT['mbtcp.trans_id'], tvb, 0, 2, trans);
    t.add(FT['mbtcp.prot_id'], tvb, 2, 2, protocol);
    t.add(FT['mbtcp.len'], tvb, 4, 2, len);
    t.add(FT['mbtcp.unit_id'], tvb, 6, 1, unit);
    t.close();
  }
  if (kind === Kind.Unknown) p.flags |= PacketFlag.ExpertWarn;
  c.proto = 'Modbus';
  modbus(tvb.sub(7, len - 1), p, c, kind, trans, unit);
}

/** "   Query: Trans:     1; Unit:   1, Func:   3: Read Holding Registers" (tshark's widths). */
function infoText(tvb: Tvb, kind: Kind, trans: number, unit: number, fc: number, exception: number): string {
  const type = kind === Kind.Query ? '   Query' : kind === Kind.Response ? 'Response' : ' unknown';
  let func: string;
  let sub = '';
  if (fc === ENCAP_INTERFACE_TRANSP && exception === 0) {
    func = MEI_TYPES[tvb.u8(8)] ?? 'Encapsulated Interface Transport';
    sub = '/  1';
  } else if (fc === DIAGNOSTICS && exception === 0) {
    func = DIAGNOSTIC_CODES[tvb.u16(8)] ?? 'Diagnostics';
    sub = '/  1';
  } else func = FUNCTIONS[fc] ?? `Unknown function (${fc})`;
  const err = exception !== 0 ? 'Exception returned ' : kind === Kind.Unknown ? 'Unable to classify as query or response.' : '';
  const head = `${type}: Trans: ${String(trans).padStart(5)}; Unit: ${String(unit).padStart(3)}, Func: ${String(fc).padStart(3)}${sub}: ${func}`;
  return err ? `${head}. ${err}` : head;
}

// ---- the Modbus PDU -----------------------------------------------------------------------

/** Reads fields and adds them to the tree when there is one (reads happen either way: bounds). */
class Fields {
  constructor(readonly tvb: Tvb, readonly c: Ctx) {}

  /** A field read from the bytes (proto_tree_add_item: its bytes must be there). */
  u8(f: FieldDef, off: number): number {
    const raw = this.tvb.u8(off);
    // A field of some bits of the byte holds those bits, shifted down.
    const v = f.mask ? (raw & f.mask) / (f.mask & -f.mask) : raw;
    this.c.t?.add(f, this.tvb, off, 1, v, uintLabel(f, v));
    return v;
  }

  u16(f: FieldDef, off: number): number {
    const v = this.tvb.u16(off);
    this.c.t?.add(f, this.tvb, off, 2, v, uintLabel(f, v));
    return v;
  }

  u32(f: FieldDef, off: number): number {
    const v = this.tvb.u32(off);
    this.c.t?.add(f, this.tvb, off, 4, v);
    return v;
  }

  /** A value already read, shown over `len` bytes (proto_tree_add_uint: no bounds check). */
  value(f: FieldDef, off: number, len: number, v: number, label?: string): void {
    this.c.t?.add(f, this.tvb, off, len, v, label ?? uintLabel(f, v));
  }

  bytes(f: FieldDef, off: number, len: number): void {
    this.tvb.check(off, len);
    this.c.t?.add(f, this.tvb, off, len, this.tvb.bytes(off, len));
  }

  /** A subtree without a field; its bytes must be there (proto_tree_add_subtree checks them). */
  open(off: number, len: number, label: string): void {
    if (len < 0) throw new MalformedError('negative length');
    this.tvb.check(off, len);
    const t = this.c.t;
    if (!t) return;
    t.text(this.tvb, off, len, label, true);
    this.c.depth++;
  }

  close(): void {
    const t = this.c.t;
    if (!t) return;
    t.close();
    this.c.depth--;
  }
}

/** "Name: value", with tshark's "Unknown (n)" for a value missing from the field's names. */
function uintLabel(f: FieldDef, v: number): string {
  const prefix = f.mask ? bitPattern(f.mask, f.bits, v * (f.mask & -f.mask)) : '';
  if (f.vals && !f.vals.has(v)) return `${prefix}${f.name}: Unknown (${formatValue({ ...f, vals: undefined }, v)})`;
  return `${prefix}${f.name}: ${formatValue(f, v)}`;
}

function modbus(mb: Tvb, p: Packet, c: Ctx, kind: Kind, trans: number, unit: number): void {
  const len = mb.length;
  if (len === 0) return;
  p.layers.push('modbus');
  const fcByte = mb.u8(0);
  const fc = fcByte & 0x7f;
  const m = matchPdu(p, mb, kind, fc, unit, trans);
  const exception = fcByte & 0x80 ? mb.u8(1) : 0;
  const t = c.t;
  const label = exception !== 0
    ? `Function ${fc}:  ${FUNCTIONS[fc] ?? 'Unknown Function'}.  Exception: ${EXCEPTIONS[exception] ?? `Unknown Exception Code (${exception})`}`
    : undefined;
  if (t) {
    t.open(F.proto, mb, 0, len, null, label);
    c.depth++;
  }
  const f = new Fields(mb, c);
  f.value(F['modbus.func_code'], 0, 1, fc);
  if (exception !== 0) f.value(F['modbus.exception_code'], 1, 1, exception);
  else if (kind === Kind.Query) request(f, fc, 1, len - 1);
  else if (kind === Kind.Response) response(f, p, m, fc, 1, len - 1);
  if (t) {
    t.close();
    c.depth--;
  }
}

/**
 * Values of a read or written range (tshark's dissect_modbus_data): coils as bits numbered from
 * `base`, registers as 16-bit words; anything else, or a range whose count disagrees with the
 * bytes that follow, as Data.
 */
function data(f: Fields, fc: number, start: number, len: number, base: number, count: number): void {
  const tvb = f.tvb;
  const reported = tvb.reportedRemaining(start);
  if (start < 0 || len + start === 0) return;
  if (len !== reported) {
    f.bytes(F['modbus.data'], start, reported);
    return;
  }
  // The values are read from a view of exactly these bytes: all of them must be captured.
  tvb.check(start, len);
  switch (fc) {
    case READ_COILS:
    case READ_DISCRETE_INPUTS: {
      // Bits are packed from the low bit of each byte (§6.1); stop at the count asked for,
      // though each later byte still shows one bit (tshark's loop).
      let reg = base;
      for (let o = 0; o < len; o++) {
        const byte = tvb.u8(start + o);
        for (let i = 0; i < 8; i++) {
          const bit = (byte >> i) & 1;
          f.open(start + o, 1, `Bit ${reg} : ${bit}`);
          if (f.c.t) {
            f.c.t.add(F['modbus.bitnum'], tvb, start + o, GENERATED, reg, `[Bit Number: ${reg}]`);
            f.c.t.add(F['modbus.bitval'], tvb, start + o, 1, bit === 1);
          }
          f.close();
          reg = (reg + 1) & 0xffff;
          if (reg - base >= count) break;
        }
      }
      return;
    }
    case READ_HOLDING_REGS:
    case READ_INPUT_REGS:
    case WRITE_MULT_REGS: {
      let reg = base;
      for (let o = 0; o < len; o += 2) {
        const v = tvb.u16(start + o);
        f.open(start + o, 2, `Register ${reg} (UINT16): ${v}`);
        f.value(F['modbus.regnum16'], start + o, 2, reg);
        f.value(F['modbus.regval_uint16'], start + o, 2, v);
        f.close();
        reg = (reg + 1) & 0xffff;
      }
      return;
    }
    default:
      f.bytes(F['modbus.data'], start, len);
  }
}

function request(f: Fields, fc: number, start: number, len: number): void {
  const tvb = f.tvb;
  switch (fc) {
    case READ_COILS:
    case READ_DISCRETE_INPUTS:
      f.u16(F['modbus.reference_num'], start);
      f.u16(F['modbus.bit_cnt'], start + 2);
      return;
    case READ_HOLDING_REGS:
    case READ_INPUT_REGS:
      f.u16(F['modbus.reference_num'], start);
      f.u16(F['modbus.word_cnt'], start + 2);
      return;
    case WRITE_SINGLE_COIL:
      // §6.5: 0xff00 switches the coil on, 0x0000 off; tshark shows both bytes as Data.
      f.u16(F['modbus.reference_num'], start);
      data(f, fc, start + 2, 1, 0, 0);
      f.u8(F['modbus.padding'], start + 3);
      return;
    case WRITE_SINGLE_REG:
      f.u16(F['modbus.reference_num'], start);
      data(f, fc, start + 2, 2, 0, 0);
      return;
    case READ_EXCEPT_STAT:
      return;
    case DIAGNOSTICS: {
      const code = f.u16(F['modbus.diagnostic_code'], start);
      if (code === RETURN_QUERY_DATA) {
        if (len > 2) f.bytes(F['modbus.diagnostic.return_query_data.request'], start + 2, len - 2);
      } else if (code === RESTART_COMMUNICATION_OPTION) f.u16(F['modbus.diagnostic.restart_communication_option'], start + 2);
      else if (code === CHANGE_ASCII_INPUT_DELIMITER) f.u8(F['modbus.diagnostic.ascii_input_delimiter'], start + 2);
      else if (len > 2) data(f, fc, start + 2, len - 2, 0, 0);
      return;
    }
    case WRITE_MULT_COILS:
    case WRITE_MULT_REGS: {
      const base = fc === WRITE_MULT_REGS ? tvb.u16(start) : 0;
      f.u16(F['modbus.reference_num'], start);
      f.u16(fc === WRITE_MULT_REGS ? F['modbus.word_cnt'] : F['modbus.bit_cnt'], start + 2);
      const n = tvb.u8(start + 4);
      f.value(F['modbus.byte_cnt'], start + 4, 1, n);
      data(f, fc, start + 5, n, base, 0);
      return;
    }
    case READ_FILE_RECORD: {
      const n = tvb.u8(start);
      f.value(F['modbus.byte_cnt'], start, 1, n);
      // §6.14: sub-requests of 7 bytes (reference type, file number and record number, length).
      let o = start + 1;
      for (let i = 0; i < Math.floor(n / 7); i++) {
        f.open(o, 7, `Group ${i}`);
        f.u8(F['modbus.reference_type'], o);
        f.u32(F['modbus.reference_num_32'], o + 1);
        f.u16(F['modbus.word_cnt'], o + 5);
        f.close();
        o += 7;
      }
      return;
    }
    case WRITE_FILE_RECORD:
      fileRecordGroups(f, fc, start);
      return;
    case MASK_WRITE_REG:
      maskWrite(f, start);
      return;
    case READ_WRITE_REG: {
      f.u16(F['modbus.read_reference_num'], start);
      f.u16(F['modbus.read_word_cnt'], start + 2);
      f.u16(F['modbus.write_reference_num'], start + 4);
      f.u16(F['modbus.write_word_cnt'], start + 6);
      const n = tvb.u8(start + 8);
      f.value(F['modbus.byte_cnt'], start + 8, 1, n);
      data(f, fc, start + 9, n, 0, 0);
      return;
    }
    case READ_FIFO_QUEUE:
      f.u16(F['modbus.reference_num'], start);
      return;
    case ENCAP_INTERFACE_TRANSP: {
      const mei = f.u8(F['modbus.mei'], start);
      if (mei === READ_DEVICE_ID) {
        f.u8(F['modbus.read_device_id'], start + 1);
        f.u8(F['modbus.object_id'], start + 2);
      } else if (len > 1) data(f, fc, start, len - 1, 0, 0);
      return;
    }
    default:
      if (len > 0) data(f, fc, start, len, 0, 0);
  }
}

function response(f: Fields, p: Packet, m: Match, fc: number, start: number, len: number): void {
  const tvb = f.tvb;
  const t = f.c.t;
  if (m.reqFrame && t) {
    t.add(F['modbus.request_frame'], tvb, 0, GENERATED, m.reqFrame, `[Request Frame: ${m.reqFrame}]`);
    const dt = relTime(p.frame.tsSec, p.frame.tsNsec, m.sec, m.nsec);
    t.add(F['modbus.response_time'], tvb, 0, GENERATED, dt.value, `[Time from request: ${dt.text} seconds]`);
  }
  switch (fc) {
    case READ_COILS:
    case READ_DISCRETE_INPUTS: {
      const n = tvb.u8(start);
      f.value(F['modbus.byte_cnt'], start, 1, n);
      // Without the request, every bit of the bytes counts.
      data(f, fc, start + 1, n, m.base, m.reqFrame ? m.count : n * 8);
      return;
    }
    case READ_HOLDING_REGS:
    case READ_INPUT_REGS:
    case READ_WRITE_REG: {
      const n = tvb.u8(start);
      f.value(F['modbus.byte_cnt'], start, 1, n);
      data(f, fc, start + 1, n, m.base, 0);
      return;
    }
    case WRITE_SINGLE_COIL:
      f.u16(F['modbus.reference_num'], start);
      data(f, fc, start + 2, 1, m.base, 0);
      f.u8(F['modbus.padding'], start + 3);
      return;
    case WRITE_SINGLE_REG:
      f.u16(F['modbus.reference_num'], start);
      data(f, fc, start + 2, 2, m.base, 0);
      return;
    case READ_EXCEPT_STAT:
      data(f, fc, start, 1, m.base, 0);
      return;
    case DIAGNOSTICS: {
      const code = f.u16(F['modbus.diagnostic_code'], start);
      const counter = DIAGNOSTIC_COUNTERS[code];
      if (code === RETURN_QUERY_DATA) {
        if (len > 2) f.bytes(F['modbus.diagnostic.return_query_data.echo'], start + 2, len - 2);
      } else if (code === RESTART_COMMUNICATION_OPTION) f.u16(F['modbus.diagnostic.restart_communication_option'], start + 2);
      else if (code === CHANGE_ASCII_INPUT_DELIMITER) f.u8(F['modbus.diagnostic.ascii_input_delimiter'], start + 2);
      else if (counter) f.u16(F[counter as keyof typeof F], start + 2);
      else if (len > 2) data(f, fc, start + 2, len - 2, m.base, 0);
      return;
    }
    case GET_COMM_EVENT_CTRS:
      f.u16(F['modbus.ev_status'], start);
      f.u16(F['modbus.ev_count'], start + 2);
      return;
    case GET_COMM_EVENT_LOG:
      eventLog(f, start);
      return;
    case WRITE_MULT_COILS:
      f.u16(F['modbus.reference_num'], start);
      f.u16(F['modbus.bit_cnt'], start + 2);
      return;
    case WRITE_MULT_REGS:
      f.u16(F['modbus.reference_num'], start);
      f.u16(F['modbus.word_cnt'], start + 2);
      return;
    case READ_FILE_RECORD: {
      const n = tvb.u8(start);
      f.value(F['modbus.byte_cnt'], start, 1, n);
      // §6.14: sub-responses, each a length (including the reference type), the type, data.
      let left = n;
      let o = start + 1;
      for (let i = 0; left > 0; i++) {
        const gn = tvb.u8(o);
        f.open(o, gn + 1, `Group ${i}`);
        f.value(F['modbus.byte_cnt'], o, 1, gn);
        f.u8(F['modbus.reference_type'], o + 1);
        data(f, fc, o + 2, gn - 1, m.base, 0);
        f.close();
        o += gn + 1;
        left -= gn + 1;
      }
      return;
    }
    case WRITE_FILE_RECORD:
      fileRecordGroups(f, fc, start);
      return;
    case MASK_WRITE_REG:
      maskWrite(f, start);
      return;
    case READ_FIFO_QUEUE: {
      const n = tvb.u16(start);
      f.value(F['modbus.byte_cnt_16'], start, 2, n);
      f.u16(F['modbus.word_cnt'], start + 2);
      data(f, fc, start + 4, n - 2, m.base, 0);
      return;
    }
    case ENCAP_INTERFACE_TRANSP: {
      const mei = f.u8(F['modbus.mei'], start);
      if (mei === READ_DEVICE_ID) deviceId(f, start, len);
      else if (len > 1) data(f, fc, start, len - 1, m.base, 0);
      return;
    }
    default:
      if (len > 0) data(f, fc, start, len, m.base, 0);
  }
}

/** Write File Record (§6.15), request and echo: groups of a header and the record's words. */
function fileRecordGroups(f: Fields, fc: number, start: number): void {
  const tvb = f.tvb;
  const n = tvb.u8(start);
  f.value(F['modbus.byte_cnt'], start, 1, n);
  let left = n;
  let o = start + 1;
  for (let i = 0; left > 0; i++) {
    const words = tvb.u16(o + 5);
    const size = 2 * words + 7;
    f.open(o, size, `Group ${i}`);
    f.u8(F['modbus.reference_type'], o);
    f.u32(F['modbus.reference_num_32'], o + 1);
    f.value(F['modbus.word_cnt'], o + 5, 2, words);
    data(f, fc, o + 7, size - 7, 0, 0);
    f.close();
    o += size;
    left -= size;
  }
}

function maskWrite(f: Fields, start: number): void {
  f.u16(F['modbus.reference_num'], start);
  f.u16(F['modbus.and_mask'], start + 2);
  f.u16(F['modbus.or_mask'], start + 4);
}

/** Get Comm Event Log (§6.10): status and counters, then up to 64 event bytes. */
function eventLog(f: Fields, start: number): void {
  const tvb = f.tvb;
  let n = tvb.u8(start);
  f.value(F['modbus.byte_cnt'], start, 1, n);
  f.u16(F['modbus.ev_status'], start + 1);
  f.u16(F['modbus.ev_count'], start + 3);
  f.u16(F['modbus.ev_msg_count'], start + 5);
  if (n - 6 <= 0) return;
  n -= 6;
  f.open(start + 7, n, 'Events');
  for (let i = 0; n > 0; i++, n--) {
    const o = start + 7 + i;
    const ev = tvb.u8(o);
    if (ev === 0) f.value(F['modbus.event'], o, 1, ev, 'Initiated Communication Restart');
    else if (ev === 4) f.value(F['modbus.event'], o, 1, ev, 'Entered Listen Only Mode');
    else if (ev & 0x80) {
      eventBits(f, o, ev, `Receive Event: 0x${hex2(ev)}`, ['modbus.ev_recv_comm_err', 'modbus.ev_recv_char_over', 'modbus.ev_recv_lo_mode', 'modbus.ev_recv_broadcast']);
    } else if ((ev & 0xc0) === 0x40) {
      eventBits(f, o, ev, `Send Event: 0x${hex2(ev)}`, [
        'modbus.ev_send_read_ex', 'modbus.ev_send_slave_abort_ex', 'modbus.ev_send_slave_busy_ex',
        'modbus.ev_send_slave_nak_ex', 'modbus.ev_send_write_timeout', 'modbus.ev_send_lo_mode',
      ]);
    } else f.value(F['modbus.event'], o, 1, ev, 'Unknown Event');
  }
  f.close();
}

const hex2 = (v: number) => v.toString(16).toUpperCase().padStart(2, '0');

function eventBits(f: Fields, o: number, ev: number, label: string, names: string[]): void {
  const t = f.c.t;
  if (t) {
    t.open(F['modbus.event'], f.tvb, o, 1, ev, label);
    f.c.depth++;
  }
  for (const name of names) {
    const field = F[name as keyof typeof F];
    f.u8(field, o);
  }
  if (t) {
    t.close();
    f.c.depth--;
  }
}

/** Read Device Identification (§6.21): conformity level, then objects of an id, length, value. */
function deviceId(f: Fields, start: number, len: number): void {
  const tvb = f.tvb;
  f.u8(F['modbus.read_device_id'], start + 1);
  f.u8(F['modbus.conformity_level'], start + 2);
  f.u8(F['modbus.more_follows'], start + 3);
  f.u8(F['modbus.next_object_id'], start + 4);
  const count = tvb.u8(start + 5);
  f.value(F['modbus.num_objects'], start + 5, 1, count);
  f.open(start + 6, len - 6, 'Objects');
  let o = start + 6;
  for (let i = 0; i < count; i++) {
    const id = tvb.u8(o);
    const n = tvb.u8(o + 1);
    f.open(o, 2 + n, `Object #${i + 1}`);
    f.u8(F['modbus.object_id'], o);
    f.value(F['modbus.objects_len'], o + 1, 1, n);
    o += 2;
    if (id < 7) {
      tvb.check(o, n);
      const s = stringAt(tvb, o, n);
      f.c.t?.add(F['modbus.object_str_value'], tvb, o, n, s, `Object String Value: ${formatText(s)}`);
    } else if (n > 0) f.bytes(F['modbus.object_value'], o, n);
    o += n;
    f.close();
  }
  f.close();
}

tcpPortTable.add(PORT, dissectMbtcp);
