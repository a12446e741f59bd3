// NetBIOS Name Service (RFC 1002 §4.2) on UDP port 137: a DNS-like header and records whose names
// are NetBIOS names in "first-level encoding" (RFC 1001 §14.1: each of 16 bytes as two letters
// A–P), the last byte being the name's type. Info is written as tshark writes it: the operation,
// "response", an error code, then the questions (in a request) or the answers (in a response),
// e.g. "Name query NB WPAD<00>", "Name query response NB 192.0.2.7".

import { nameText, readName } from './dns-name.ts';
import { ipv4Text } from './ip.ts';
import type { Packet } from './packet.ts';
import { defineProtocol } from './registry.ts';
import { udpPortTable } from './tables.ts';
import type { TreeSink } from './tree.ts';
import type { Tvb } from './tvb.ts';

const RESPONSE = 0x8000;
const OPCODE_WACK = 7;
const T_NB = 32;
const T_NBSTAT = 33;
const NETBIOS_NAME_LEN = 16;

// RFC 1002 §4.2.1.1 opcodes and reply codes, as Wireshark words them.
const OPCODES: Record<number, string> = {
  0: 'Name query', 5: 'Registration', 6: 'Release', 7: 'Wait for acknowledgment', 8: 'Refresh',
  9: 'Refresh (alternate opcode)', 15: 'Multi-homed registration',
};
const RCODES: Record<number, string> = {
  0: 'No error', 1: 'Request was invalidly formatted', 2: 'Server failure', 3: 'Requested name does not exist',
  4: 'Request is not implemented', 5: 'Request was refused', 6: 'Name is owned by another node', 7: 'Name is in conflict',
};
const TYPES: Record<number, string> = { [T_NB]: 'NB', [T_NBSTAT]: 'NBSTAT' };
const CLASSES: Record<number, string> = { 1: 'IN' };

export const F = defineProtocol('nbns', 'NetBIOS Name Service', {
  'nbns.id': { name: 'Transaction ID', type: 'uint', base: 'hex', bits: 16 },
  'nbns.flags': { name: 'Flags', type: 'uint', base: 'hex', bits: 16 },
  'nbns.flags.response': { name: 'Response', type: 'bool', mask: RESPONSE, bits: 16, tfs: ['Message is a response', 'Message is a query'] },
  'nbns.flags.opcode': { name: 'Opcode', type: 'uint', mask: 0x7800, bits: 16, vals: OPCODES },
  'nbns.flags.rcode': { name: 'Reply code', type: 'uint', mask: 0x000f, bits: 16, vals: RCODES },
  'nbns.count.queries': { name: 'Questions', type: 'uint' },
  'nbns.count.answers': { name: 'Answer RRs', type: 'uint' },
  'nbns.count.auth_rr': { name: 'Authority RRs', type: 'uint' },
  'nbns.count.add_rr': { name: 'Additional RRs', type: 'uint' },
  'nbns.name': { name: 'Name', type: 'string' },
  'nbns.type': { name: 'Type', type: 'uint', vals: TYPES },
  'nbns.class': { name: 'Class', type: 'uint', vals: CLASSES },
  'nbns.ttl': { name: 'Time to live', type: 'uint' },
  'nbns.data_length': { name: 'Data length', type: 'uint' },
  'nbns.nb_flags': { name: 'Name flags', type: 'uint', base: 'hex', bits: 16 },
  'nbns.addr': { name: 'Addr', type: 'ipv4' },
  'nbns.data': { name: 'Data', type: 'bytes' },
});

interface NbName {
  text: string;
  /** Bytes the name takes at its offset (compression pointers count 2). */
  used: number;
}

/** RFC 1001 §14.1: undoes the first-level encoding; tshark's wording for names that break it. */
export function decodeNetbiosName(encoded: string): string {
  const bytes: number[] = [];
  let i = 0;
  for (; i < encoded.length && encoded[i] !== '.'; i += 2) {
    const a = encoded.charCodeAt(i);
    if (a < 65 || a > 90) return 'Illegal NetBIOS name (1st character not between A and Z in first-level encoding)';
    if (i + 1 >= encoded.length || encoded[i + 1] === '.') return 'Illegal NetBIOS name (odd number of bytes)';
    const b = encoded.charCodeAt(i + 1);
    if (b < 65 || b > 90) return 'Illegal NetBIOS name (2nd character not between A and Z in first-level encoding)';
    if (bytes.length < NETBIOS_NAME_LEN) bytes.push((((a - 65) << 4) | (b - 65)) & 0xff);
  }
  if (bytes.length !== NETBIOS_NAME_LEN) return `Illegal NetBIOS name (${bytes.length} bytes long)`;
  // 15 characters (non-printable ones as <xx>, trailing spaces dropped), then <type>, then scope.
  let name = '';
  for (const c of bytes.slice(0, 15)) name += c >= 0x20 && c <= 0x7e ? String.fromCharCode(c) : `<${c.toString(16).padStart(2, '0')}>`;
  const hex2 = (n: number) => n.toString(16).padStart(2, '0');
  return `${name.replace(/ +$/, '')}<${hex2(bytes[15]!)}>${encoded.slice(i)}`;
}

function readNbName(tvb: Tvb, off: number): NbName {
  const n = readName(tvb, off, 0);
  return { text: decodeNetbiosName(nameText(n)), used: n.used };
}

function addRecordHead(t: TreeSink, tvb: Tvb, off: number, name: NbName, type: number, cls: number): void {
  t.add(F['nbns.name'], tvb, off, name.used, name.text);
  t.add(F['nbns.type'], tvb, off + name.used, 2, type);
  t.add(F['nbns.class'], tvb, off + name.used + 2, 2, cls);
}

/** One question; its length. */
function question(tvb: Tvb, off: number, p: Packet, inInfo: boolean): number {
  const name = readNbName(tvb, off);
  const type = tvb.u16(off + name.used);
  const cls = tvb.u16(off + name.used + 2);
  if (inInfo) p.cols.appendInfo(` ${TYPES[type] ?? 'Unknown'} ${name.text}`);
  const t = p.tree;
  if (t) {
    t.text(tvb, off, name.used + 4, `${name.text}: type ${TYPES[type] ?? 'Unknown'}, class ${CLASSES[cls] ?? 'Unknown'}`, true);
    addRecordHead(t, tvb, off, name, type, cls);
    t.close();
  }
  return name.used + 4;
}

/** One resource record; how far tshark's walk goes in it (it may stop short in a broken one). */
function record(tvb: Tvb, off: number, p: Packet, inInfo: boolean, opcode: number): number {
  const name = readNbName(tvb, off);
  let cur = off + name.used;
  const type = tvb.u16(cur);
  const cls = tvb.u16(cur + 2);
  const ttl = tvb.u32(cur + 4);
  let dataLen = tvb.u16(cur + 8);
  cur += 10;
  const typeName = TYPES[type] ?? 'Unknown';
  const t = p.tree;
  if (t) {
    t.text(tvb, off, cur - off + dataLen, `${name.text}: type ${typeName}, class ${CLASSES[cls] ?? 'Unknown'}`, true);
    addRecordHead(t, tvb, off, name, type, cls);
    t.add(F['nbns.ttl'], tvb, cur - 6, 4, ttl);
    t.add(F['nbns.data_length'], tvb, cur - 2, 2, dataLen);
  }
  try {
    if (type === T_NB) {
      if (inInfo && opcode !== OPCODE_WACK) p.cols.appendInfo(` ${typeName} ${ipv4Text(tvb.u32(cur + 2))}`);
      // Entries of flags and address (a WACK carries only flags); an incomplete one ends the walk.
      while (dataLen > 0) {
        if (dataLen < 2) break;
        tvb.check(cur, 2);
        t?.add(F['nbns.nb_flags'], tvb, cur, 2, tvb.u16(cur));
        cur += 2;
        dataLen -= 2;
        if (opcode === OPCODE_WACK) continue;
        if (dataLen < 4) break;
        tvb.check(cur, 4);
        t?.add(F['nbns.addr'], tvb, cur, 4, tvb.u32(cur));
        cur += 4;
        dataLen -= 4;
      }
    } else {
      if (inInfo) p.cols.appendInfo(` ${typeName}`);
      // NBSTAT's node names and statistics, or any other data, are kept as bytes.
      tvb.check(cur, dataLen);
      t?.add(F['nbns.data'], tvb, cur, dataLen, tvb.bytes(cur, dataLen));
      cur += dataLen;
    }
  } finally {
    t?.close();
  }
  return cur - off;
}

export function dissectNbns(tvb: Tvb, p: Packet): boolean {
  p.layers.push('nbns');
  p.cols.protocol = 'NBNS';
  p.cols.clearInfo();
  const id = tvb.u16(0);
  const flags = tvb.u16(2);
  const opcode = (flags >> 11) & 0xf;
  const isResponse = (flags & RESPONSE) !== 0;
  p.cols.setInfo(`${OPCODES[opcode] ?? `Unknown operation (${opcode})`}${isResponse ? ' response' : ''}`);
  if (isResponse && opcode !== OPCODE_WACK && flags & 0xf) p.cols.appendInfo(`, ${RCODES[flags & 0xf] ?? 'Unknown error'}`);
  const counts = [tvb.u16(4), tvb.u16(6), tvb.u16(8), tvb.u16(10)];
  const t = p.tree;
  if (t) {
    t.open(F.proto, tvb, 0, tvb.length, null);
    t.add(F['nbns.id'], tvb, 0, 2, id);
    t.open(F['nbns.flags'], tvb, 2, 2, flags);
    t.add(F['nbns.flags.response'], tvb, 2, 2, isResponse);
    t.add(F['nbns.flags.opcode'], tvb, 2, 2, opcode);
    if (isResponse) t.add(F['nbns.flags.rcode'], tvb, 2, 2, flags & 0xf);
    t.close();
    t.add(F['nbns.count.queries'], tvb, 4, 2, counts[0]!);
    t.add(F['nbns.count.answers'], tvb, 6, 2, counts[1]!);
    t.add(F['nbns.count.auth_rr'], tvb, 8, 2, counts[2]!);
    t.add(F['nbns.count.add_rr'], tvb, 10, 2, counts[3]!);
  }
  try {
    let off = 12;
    const sections = ['Queries', 'Answers', 'Authoritative nameservers', 'Additional records'];
    for (let s = 0; s < 4; s++) {
      if (!counts[s]) continue;
      t?.text(tvb, off, 0, sections[s]!, true);
      try {
        for (let k = 0; k < counts[s]!; k++) {
          // Questions go in Info in a request, answers in a response; the other sections never.
          if (s === 0) off += question(tvb, off, p, !isResponse);
          else off += record(tvb, off, p, s === 1 && isResponse, opcode);
        }
      } finally {
        t?.close();
      }
    }
  } finally {
    t?.close();
  }
  return true;
}

udpPortTable.add(137, dissectNbns);
