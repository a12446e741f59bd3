// Comparison of our decode with tshark 4.0's reference decode of the shared corpus
// (../shared/corpus/tshark/<file>.tsv and .txt, made by make_refs.sh there).
// Field by field and line by line, with agreement tables per field, per protocol and per file.

import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import type { PacketJson } from '../cli/json.ts';
import { tsharkLine, type SummaryRow } from '../analysis/summary.ts';
import { normalizeKnownDifferences } from './known-differences.ts';

/** ../shared/corpus relative to the repository root (overridable for other layouts). */
export const CORPUS_DIR = resolve(process.env.PCAP_LADDER_CORPUS ?? join(import.meta.dirname, '../../../shared/corpus'));

export function corpusAvailable(): boolean {
  return existsSync(join(CORPUS_DIR, 'MANIFEST.tsv'));
}

export interface ManifestEntry {
  file: string;
  format: string;
  linktypes: string;
  packets: string;
  tags: Set<string>;
}

export function readManifest(): ManifestEntry[] {
  const lines = readFileSync(join(CORPUS_DIR, 'MANIFEST.tsv'), 'utf8').split('\n').filter(Boolean);
  const head = lines[0]!.split('\t');
  const col = (name: string) => head.indexOf(name);
  return lines.slice(1).map((l) => {
    const c = l.split('\t');
    return {
      file: c[col('file')]!,
      format: c[col('format')]!,
      linktypes: c[col('linktypes')]!,
      packets: c[col('packets')]!,
      tags: new Set((c[col('tags')] ?? '').split(',').filter(Boolean)),
    };
  });
}

function readMaybeGz(base: string): string | null {
  if (existsSync(base)) return readFileSync(base, 'utf8');
  if (existsSync(base + '.gz')) return gunzipSync(readFileSync(base + '.gz')).toString('utf8');
  return null;
}

export interface Reference {
  header: string[];
  /** One row per frame, custom-block pseudo-frames removed and numbers closed up. */
  rows: string[][];
  lines: string[];
  /** tshark's complaint, when it had one (<file>.err). */
  err: string | null;
}

/** tshark 4.0 shows pcapng Custom Blocks as extra frames with Protocol "PCAPNG"; we do not. */
export function readReference(file: string): Reference {
  const dir = join(CORPUS_DIR, 'tshark');
  const tsv = readMaybeGz(join(dir, file + '.tsv')) ?? '';
  const txt = readMaybeGz(join(dir, file + '.txt')) ?? '';
  const errPath = join(dir, file + '.err');
  const all = tsv.split('\n').filter((l) => l.length > 0);
  const header = (all[0] ?? '').split('\t');
  const protoCol = header.indexOf('_ws.col.Protocol');
  const rows: string[][] = [];
  const keepLine: boolean[] = [];
  for (const l of all.slice(1)) {
    const c = l.split('\t');
    const pseudo = c[protoCol] === 'PCAPNG';
    keepLine.push(!pseudo);
    if (!pseudo) {
      c[0] = String(rows.length + 1);
      rows.push(c);
    }
  }
  const lines: string[] = [];
  txt.split('\n').filter((l) => l.length > 0).forEach((l, i) => {
    if (keepLine[i] === false) return;
    // Close up the frame numbers like the rows (the No. column is right-aligned in 5 places).
    const m = /^( *)(\d+)( .*)$/.exec(l);
    if (m && keepLine.length && keepLine.some((k) => !k)) {
      const n = String(lines.length + 1);
      lines.push(n.padStart(Math.max(5, n.length)) + m[3]);
    } else lines.push(l);
  });
  return { header, rows, lines, err: existsSync(errPath) ? readFileSync(errPath, 'utf8') : null };
}

/** Protocol column values of frames whose top protocol we dissect (the Info target applies to these). */
export const OUR_PROTOCOLS = new Set([
  'Ethernet', 'LLC', 'ARP', 'RARP', 'IPv4', 'IPv6', 'ICMP', 'ICMPv6', 'TCP', 'UDP', 'DNS', 'MDNS', 'LLMNR',
  'HTTP', 'TLSv1', 'TLSv1.1', 'TLSv1.2', 'TLSv1.3', 'SSL', 'SSLv2', 'SSLv3', 'LOOP', '802.1Q',
  'PPP', 'PPP LCP', 'PPP IPCP', 'PPP IPV6CP', 'PPP CCP', 'PPP CHAP', 'VxLAN', 'NFLOG', 'DHCP', 'BOOTP', 'NTP', 'GRE', 'MPLS', 'PPPoED', 'PPPoES', 'Geneve', 'NBNS', 'DHCPv6', 'SSDP', 'FTP', 'QUIC', '802.11', 'EAPOL', 'EAP', 'MPTCP', 'IGMPv1', 'IGMPv2', 'IGMPv3', 'IGMP', 'STP', 'LLDP', 'CDP', 'TELNET', 'SSH', 'SSHv1', 'SSHv2', 'RIPv1', 'RIPv2', 'OSPF', 'TPKT', 'COTP', 'CLTP', 'Modbus/TCP', 'SIP', 'SIP/SDP',
  'HTTP/XML', 'HTTP/JSON', 'HTTP/JSON/XML', 'HTTP/SDP', 'DB-LSP-DISC/JSON',
]);

/** The tsv columns we compare, and how to read the same value from our JSON. */
export const COMPARED_FIELDS = [
  'frame.number', 'frame.time_epoch', 'frame.len', 'frame.cap_len', 'eth.src', 'eth.dst', 'ip.src', 'ip.dst',
  'ipv6.src', 'ipv6.dst', 'ip.proto', 'tcp.srcport', 'tcp.dstport', 'tcp.flags', 'tcp.seq', 'tcp.ack', 'tcp.len',
  'tcp.window_size_value', 'tcp.stream', 'udp.srcport', 'udp.dstport', 'tls.handshake.type',
  'tls.handshake.extensions_server_name', '_ws.col.Protocol', '_ws.col.Info',
] as const;

/** The registry fields the comparison needs (to collect only these when re-dissecting). */
export const NEEDED_FIELDS: ReadonlySet<string> = new Set(COMPARED_FIELDS.filter((f) => !f.startsWith('_ws')));

function first(v: unknown): unknown {
  return Array.isArray(v) ? v[0] : v;
}

export function ourValue(p: PacketJson, field: string): string {
  switch (field) {
    case 'frame.number':
      return String(p.number);
    case '_ws.col.Protocol':
      return String(p.protocol ?? '');
    case '_ws.col.Info':
      return normalizeKnownDifferences(String(p.info ?? ''));
    default: {
      const v = first(p[field]);
      return v === undefined || v === null ? '' : String(v);
    }
  }
}

/** Equal as tshark means it: numbers compare by value whatever the base ("0x0012" = "0x012"). */
export function sameValue(ours: string, ref: string): boolean {
  if (ours === ref) return true;
  const num = /^(0x[0-9a-f]+|\d+)$/i;
  if (num.test(ours) && num.test(ref)) return Number(ours) === Number(ref);
  return false;
}

export interface FieldStat {
  compared: number;
  equal: number;
}

export interface FileResult {
  file: string;
  refFrames: number;
  ourFrames: number;
  /** Frames whose tshark protocol we dissect. */
  oursFrames: number;
  oursInfoEqual: number;
  linesEqual: number;
  fields: Map<string, FieldStat>;
  /** Per tshark Protocol column: [frames, info equal]. */
  protocols: Map<string, FieldStat>;
  mismatches: { frame: number; field: string; ours: string; ref: string }[];
}

export function compareFile(file: string, ours: PacketJson[], rows: SummaryRow[], ref: Reference, keepMismatches = 50): FileResult {
  const res: FileResult = {
    file,
    refFrames: ref.rows.length,
    ourFrames: ours.length,
    oursFrames: 0,
    oursInfoEqual: 0,
    linesEqual: 0,
    fields: new Map(),
    protocols: new Map(),
    mismatches: [],
  };
  const idx = new Map(ref.header.map((h, i) => [h, i]));
  const n = Math.min(ours.length, ref.rows.length);
  for (let i = 0; i < ref.rows.length; i++) {
    const r = ref.rows[i]!;
    const o = i < n ? ours[i]! : null;
    const refProto = r[idx.get('_ws.col.Protocol')!] ?? '';
    const ps = res.protocols.get(refProto) ?? { compared: 0, equal: 0 };
    res.protocols.set(refProto, ps);
    ps.compared++;
    for (const f of COMPARED_FIELDS) {
      const col = idx.get(f);
      if (col === undefined) continue;
      const refV = r[col] ?? '';
      const ourV = o ? ourValue(o, f) : '';
      if (refV === '' && ourV === '') continue;
      const st = res.fields.get(f) ?? { compared: 0, equal: 0 };
      res.fields.set(f, st);
      st.compared++;
      const eq = o !== null && sameValue(ourV, refV);
      if (eq) st.equal++;
      else if (res.mismatches.length < keepMismatches) res.mismatches.push({ frame: i + 1, field: f, ours: ourV, ref: refV });
      if (f === '_ws.col.Info') {
        if (eq) ps.equal++;
        if (OUR_PROTOCOLS.has(refProto)) {
          res.oursFrames++;
          if (eq) res.oursInfoEqual++;
        }
      }
    }
    if (i < rows.length && ref.lines[i] !== undefined && tsharkLine({ ...rows[i]!, info: normalizeKnownDifferences(rows[i]!.info) }) === ref.lines[i]) res.linesEqual++;
  }
  return res;
}

export function pct(a: number, b: number): string {
  return b === 0 ? '    -' : ((100 * a) / b).toFixed(2).padStart(6) + '%';
}

export interface Totals {
  fields: Map<string, FieldStat>;
  protocols: Map<string, FieldStat>;
  frames: number;
  oursFrames: number;
  oursInfoEqual: number;
  lines: number;
  linesEqual: number;
}

export function totals(results: FileResult[]): Totals {
  const t: Totals = { fields: new Map(), protocols: new Map(), frames: 0, oursFrames: 0, oursInfoEqual: 0, lines: 0, linesEqual: 0 };
  for (const r of results) {
    t.frames += r.refFrames;
    t.oursFrames += r.oursFrames;
    t.oursInfoEqual += r.oursInfoEqual;
    t.lines += r.refFrames;
    t.linesEqual += r.linesEqual;
    for (const [k, v] of r.fields) {
      const s = t.fields.get(k) ?? { compared: 0, equal: 0 };
      s.compared += v.compared;
      s.equal += v.equal;
      t.fields.set(k, s);
    }
    for (const [k, v] of r.protocols) {
      const s = t.protocols.get(k) ?? { compared: 0, equal: 0 };
      s.compared += v.compared;
      s.equal += v.equal;
      t.protocols.set(k, s);
    }
  }
  return t;
}

export function formatTables(t: Totals, results: FileResult[]): string {
  const out: string[] = [];
  out.push('Agreement with tshark 4.0, per field (frames where either side has a value):');
  out.push('  field                                      compared    equal   agreement');
  for (const [k, v] of t.fields) out.push(`  ${k.padEnd(42)} ${String(v.compared).padStart(8)} ${String(v.equal).padStart(8)}   ${pct(v.equal, v.compared)}`);
  out.push('');
  out.push('Info column per protocol (tshark\'s Protocol column; * = a protocol we dissect):');
  out.push('  protocol                 frames  info equal   agreement');
  const protos = [...t.protocols].sort((a, b) => b[1].compared - a[1].compared);
  for (const [k, v] of protos) {
    const mark = OUR_PROTOCOLS.has(k) ? '*' : ' ';
    out.push(`${mark} ${(k || '(empty)').padEnd(22)} ${String(v.compared).padStart(8)} ${String(v.equal).padStart(10)}   ${pct(v.equal, v.compared)}`);
  }
  out.push('');
  out.push(`Frames: ${t.frames}; frames of protocols we dissect: ${t.oursFrames}, Info equal: ${t.oursInfoEqual} (${pct(t.oursInfoEqual, t.oursFrames).trim()})`);
  out.push(`Summary lines equal to "tshark -r FILE -n": ${t.linesEqual} of ${t.lines} (${pct(t.linesEqual, t.lines).trim()})`);
  const worst = results.filter((r) => r.oursFrames > r.oursInfoEqual).sort((a, b) => (b.oursFrames - b.oursInfoEqual) - (a.oursFrames - a.oursInfoEqual)).slice(0, 15);
  if (worst.length) {
    out.push('');
    out.push('Files with the most Info differences (frames of our protocols):');
    for (const r of worst) out.push(`  ${r.file.padEnd(48)} ${r.oursFrames - r.oursInfoEqual} of ${r.oursFrames} differ`);
  }
  return out.join('\n');
}

/** JSON for comparing dissection results: 64-bit field values are bigints, which JSON lacks. */
export function comparableJson(v: unknown): string {
  return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x));
}
