// Shared pieces of the DNS record dissectors: the per-message context and small field helpers.
// Each helper reads or checks the bytes it shows whether or not a tree is built, because tshark's
// proto_tree_add_item bounds-checks even without a tree, and where a broken record throws decides
// what the Info column keeps.

import { bitPattern, fieldLabel, hexBytes, type FieldDef, type FieldValue } from './registry.ts';
import type { Packet } from './packet.ts';
import type { TreeSink } from './tree.ts';
import { MalformedError, type Tvb } from './tvb.ts';
import { CLASSES } from './dns-fields.ts';
import { nameText, readName, type DnsName } from './dns-name.ts';
import { formatText } from './text.ts';
import { durationText } from './text.ts';

/** What the record dissectors share while one message is dissected. */
export interface DnsCtx {
  readonly tvb: Tvb;
  readonly p: Packet;
  readonly t: TreeSink | null;
  /** Where the message starts in tvb (2 for DNS over TCP); pointers are relative to it. */
  readonly dataOff: number;
  readonly mdns: boolean;
  /** The Info column being built (written to the packet when the message ends or throws). */
  info: string;
  /** Tree nodes opened and not yet closed (to unwind after an exception inside TCP). */
  depth: number;
  /** A question asked for a zone transfer (AXFR/IXFR): several responses are normal. */
  multiple: boolean;
}

/**
 * The bounds check tshark's proto_tree_add_item makes whether or not a tree is built: the
 * bytes must exist; -1 means "to the end" (at least one byte); other negative lengths are
 * malformed.
 */
export function check(tvb: Tvb, off: number, len: number): void {
  if (len === -1) {
    if (tvb.remaining(off) === 0) tvb.u8(off);
    return;
  }
  if (len < 0) throw new MalformedError('negative DNS field length');
  tvb.check(off, len);
}

/** An IPv4 address field (4 bytes read, so checked). */
export function ipv4Item(c: DnsCtx, f: FieldDef, off: number): number {
  const v = c.tvb.u32(off);
  if (c.t) c.t.add(f, c.tvb, off, 4, v);
  return v;
}

/** An IPv6 address field. */
export function ipv6Item(c: DnsCtx, f: FieldDef, off: number): Uint8Array {
  const v = c.tvb.bytes(off, 16);
  if (c.t) c.t.add(f, c.tvb, off, 16, v.slice());
  return v;
}

/** A 32-bit flags word whose bit 0 is the field. */
export function bit0Item(c: DnsCtx, f: FieldDef, off: number): void {
  const v = c.tvb.u32(off);
  if (c.t) c.t.add(f, c.tvb, off, 4, (v & 1) !== 0);
}

export function open(c: DnsCtx, f: FieldDef, off: number, len: number, value: FieldValue, label?: string): void {
  c.t!.open(f, c.tvb, off, len, value, label);
  c.depth++;
}

export function openText(c: DnsCtx, off: number, len: number, label: string): void {
  c.t!.text(c.tvb, off, len, label, true);
  c.depth++;
}

export function close(c: DnsCtx): void {
  c.t!.close();
  c.depth--;
}

/** "Name: value" with Wireshark's "Unknown (n)" for numbers missing from the value table. */
export function valueLabel(f: FieldDef, v: number, raw?: number): string {
  let text: string;
  if (!f.vals || f.vals.has(v)) text = fieldLabel(f, v);
  else {
    const num = f.base === 'hex' ? `0x${v.toString(16).padStart(Math.ceil((f.bits || 8) / 4), '0')}` : String(v);
    text = `${f.name}: Unknown (${num})`;
  }
  return f.mask ? bitPattern(f.mask, f.bits || 8, raw ?? v) + text : text;
}

/** Hex of a bytes value as tshark labels it: "<MISSING>" when empty, cut after 36 bytes. */
export function bytesText(b: Uint8Array): string {
  if (!b.length) return '<MISSING>';
  return b.length > 36 ? hexBytes(b.subarray(0, 36), '') + '\u2026' : hexBytes(b, '');
}

/** Bytes field label ("Name: hex", "<MISSING>" when empty, as tshark 4.0 shows). */
export function bytesItem(c: DnsCtx, f: FieldDef, off: number, len: number): void {
  check(c.tvb, off, len);
  if (c.t) {
    const n = len === -1 ? c.tvb.remaining(off) : len;
    const b = c.tvb.bytes(off, n);
    c.t.add(f, c.tvb, off, n, b, `${f.name}: ${bytesText(b)}`);
  }
}

export function u8Item(c: DnsCtx, f: FieldDef, off: number): number {
  const v = c.tvb.u8(off);
  if (c.t) c.t.add(f, c.tvb, off, 1, v, valueLabel(f, v));
  return v;
}

export function u16Item(c: DnsCtx, f: FieldDef, off: number): number {
  const v = c.tvb.u16(off);
  if (c.t) c.t.add(f, c.tvb, off, 2, v, valueLabel(f, v));
  return v;
}

export function u32Item(c: DnsCtx, f: FieldDef, off: number, duration = false): number {
  const v = c.tvb.u32(off);
  if (c.t) c.t.add(f, c.tvb, off, 4, v, duration ? `${f.name}: ${v} (${durationText(v)})` : undefined);
  return v;
}

/** A string field of `len` bytes (ASCII: bytes above 0x7f shown as U+FFFD, like ENC_ASCII). */
export function stringAt(tvb: Tvb, off: number, len: number): string {
  const s = tvb.latin1(off, len);
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const ch = s.charCodeAt(i);
    if (ch === 0) break;
    out += ch > 0x7f ? '\ufffd' : s[i];
  }
  return out;
}

export function strItem(c: DnsCtx, f: FieldDef, off: number, len: number): string {
  check(c.tvb, off, len);
  const n = len === -1 ? c.tvb.remaining(off) : len;
  const s = stringAt(c.tvb, off, n);
  if (c.t) c.t.add(f, c.tvb, off, n, s, `${f.name}: ${formatText(s)}`);
  return s;
}

export function utf8At(tvb: Tvb, off: number, len: number): string {
  return new TextDecoder().decode(tvb.bytes(off, len));
}

export function nameItem(c: DnsCtx, f: FieldDef, off: number, n: DnsName, text: string): void {
  if (c.t) c.t.add(f, c.tvb, off, n.used, text);
}

export function className(cls: number): string {
  return CLASSES.get(cls) ?? 'Unknown';
}

/** Appends ", what" to the record's tree label. */
export function label(c: DnsCtx, s: string): void {
  if (c.t) c.t.appendLabel(s);
}

/** A domain name inside RDATA: read, shown, returned. */
export function rdName(c: DnsCtx, f: FieldDef, off: number): { n: DnsName; text: string } {
  const n = readName(c.tvb, off, c.dataOff);
  const text = nameText(n);
  nameItem(c, f, off, n, text);
  return { n, text };
}

