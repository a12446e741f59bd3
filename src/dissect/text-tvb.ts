// A view of text bytes with Wireshark's tvbuff semantics, for text protocols (SIP, SDP) that
// must fail exactly where tshark fails when they parse fuzzed input: a field past the end is
// "[Malformed Packet]", a search that finds nothing is not; offsets may be negative (counted
// from the end, as tvbuffs allow); tree items check their bytes whether or not a tree is being
// built. It reads through Tvb, the one bounds-checked view; it adds tvbuff's rules on top.

import { type FieldDef } from './registry.ts';
import { formatText } from './text.ts';
import { expertItem, type ExpertGroup, type ExpertSeverity, type TreeSink } from './tree.ts';
import { CapturedBoundsError, MalformedError, Tvb, latin1 } from './tvb.ts';

const utf8Decoder = new TextDecoder('utf-8');
const utf8Encoder = new TextEncoder();

/**
 * A view of text bytes with Wireshark's tvbuff rules. Offsets are relative to the view; a
 * negative offset counts from the end of the captured bytes. Reads past the captured bytes
 * throw CapturedBoundsError when the packet was longer on the wire, MalformedError otherwise.
 */
export class TextTvb {
  /** The character the last findAny() stopped at. */
  found = '';
  /** Set by lineEnd()/lineEndUnquoted(): the offset after the line terminator. */
  next = 0;

  constructor(readonly tvb: Tvb) {}

  /** Bytes captured. */
  get len(): number {
    return this.tvb.length;
  }

  /** Bytes the packet claims. */
  get rep(): number {
    return this.tvb.reportedLength;
  }

  private fail(end: number): never {
    if (end <= this.rep) throw new CapturedBoundsError('read past the captured bytes');
    throw new MalformedError('read past the end of the packet');
  }

  /** The absolute offset of `off` (negative: from the end), -1 when out of range. */
  tryAbs(off: number): number {
    if (off >= 0) return off <= this.len ? off : -1;
    return -off <= this.len ? this.len + off : -1;
  }

  /** The absolute offset of `off`, or the exception tshark throws for it. */
  abs(off: number): number {
    const a = this.tryAbs(off);
    if (a < 0) this.fail(off >= 0 ? off : this.len + 1);
    return a;
  }

  /** Throws unless `len` bytes at `off` are captured (tvb_ensure_bytes_exist); returns the absolute offset. */
  ensure(off: number, len: number): number {
    if (len < 0) throw new MalformedError('negative length');
    const a = this.abs(off);
    if (a + len > this.len) this.fail(a + len);
    return a;
  }

  /** True when `len` bytes at `off` are there (no exception). */
  has(off: number, len: number): boolean {
    if (len < -1) return false;
    const a = this.tryAbs(off);
    if (a < 0) return false;
    return len === -1 || a + len <= this.len;
  }

  u8(off: number): number {
    return this.tvb.u8(this.ensure(off, 1));
  }

  /** tvb_offset_exists: a byte is captured at `off`. */
  exists(off: number): boolean {
    const a = this.tryAbs(off);
    return a >= 0 && a < this.len;
  }

  /** tvb_captured_length_remaining (0 for an offset out of range). */
  capRemaining(off: number): number {
    const a = this.tryAbs(off);
    return a < 0 ? 0 : this.len - a;
  }

  /** tvb_reported_length_remaining (0 for an offset out of range). */
  repRemaining(off: number): number {
    const a = this.tryAbs(off);
    return a < 0 || a > this.rep ? 0 : this.rep - a;
  }

  /** tvb_ensure_captured_length_remaining: the bytes after `off`, at least one or an exception. */
  ensureCapRemaining(off: number): number {
    const a = this.abs(off);
    if (a >= this.len) this.fail(a + 1);
    return this.len - a;
  }

  /** The first `b` in [off, off + max) (max < 0: to the end), absolute offset or -1. */
  find(off: number, max: number, b: number): number {
    const a = this.abs(off);
    let limit = this.len - a;
    if (max >= 0 && limit > max) limit = max;
    return this.tvb.indexOf(b, a, limit);
  }

  /** The first byte of `set` in [off, off + max), absolute offset or -1; `found` says which. */
  findAny(off: number, max: number, set: string): number {
    const a = this.abs(off);
    let limit = this.len - a;
    if (max >= 0 && limit > max) limit = max;
    const buf = this.tvb.buf;
    const base = this.tvb.start;
    for (let i = a; i < a + limit; i++) {
      const c = buf[base + i]!;
      for (let k = 0; k < set.length; k++) {
        if (set.charCodeAt(k) === c) {
          this.found = set[k]!;
          return i;
        }
      }
    }
    return -1;
  }

  /**
   * tvb_find_line_end: the length of the line at `off` without its CR, LF or CRLF; `next` is
   * set to the offset after it. Without a terminator the line runs to `off + len`, or -1 is
   * returned when `desegment` asks for more data.
   */
  lineEnd(off: number, len: number, desegment = false): number {
    if (len === -1) len = this.capRemaining(off);
    const eob = off + len;
    let eol = this.findAny(off, len, '\r\n');
    if (eol < 0) {
      if (desegment) return -1;
      this.next = eob;
      return eob - off;
    }
    const lineLen = eol - off;
    if (this.found === '\r') {
      if (eol + 1 >= eob) {
        if (desegment) return -1;
      } else if (this.u8(eol + 1) === 0x0a) eol++;
    }
    this.next = eol + 1;
    return lineLen;
  }

  /** tvb_find_line_end_unquoted: as lineEnd(), but CR and LF inside double quotes do not end the line. */
  lineEndUnquoted(off: number, len: number): number {
    if (len === -1) len = this.capRemaining(off);
    const eob = off + len;
    let cur = off;
    let quoted = false;
    for (;;) {
      const at = quoted ? this.find(cur, len, 0x22) : this.findAny(cur, len, '\r\n"');
      if (at < 0) {
        this.next = eob;
        return eob - off;
      }
      if (quoted) quoted = false;
      else if (this.found === '"') quoted = true;
      else {
        let end = at;
        if (this.found === '\r' && at + 1 < eob && this.u8(at + 1) === 0x0a) end++;
        this.next = end + 1;
        return at - off;
      }
      cur = at + 1;
      if (cur >= eob) {
        this.next = eob;
        return eob - off;
      }
    }
  }

  /** tvb_skip_wsp: the first offset from `off` (at most `max` on) not holding SP, HT, CR or LF. */
  skipWsp(off: number, max: number): number {
    let end = off + max;
    if (end >= this.len) end = this.len;
    let i = off;
    while (i < end && isWsp(this.u8(i))) i++;
    return i;
  }

  /** tvb_skip_wsp_return: back from `off` over SP, HT, CR and LF; the offset after the last other byte. */
  skipWspReturn(off: number): number {
    let i = off;
    while (i > 0 && isWsp(this.u8(i))) i--;
    return i + 1;
  }

  /**
   * tvb_strneql/tvb_strncaseeql: the `size` bytes at `off` compare equal to `s` as strncmp
   * compares (a NUL in both ends the comparison); false when the bytes are not all there.
   */
  strncmp(off: number, s: string, size: number, caseless = false): boolean {
    if (size <= 0 || !this.has(off, size)) return false;
    const a = this.tryAbs(off);
    for (let i = 0; i < size; i++) {
      let c = this.tvb.u8(a + i);
      let d = i < s.length ? s.charCodeAt(i) : 0;
      if (caseless) {
        if (c >= 0x41 && c <= 0x5a) c |= 0x20;
        if (d >= 0x41 && d <= 0x5a) d |= 0x20;
      }
      if (c !== d) return false;
      if (c === 0) return true;
    }
    return true;
  }

  /** tvb_strneql with the string's own length. */
  strneql(off: number, s: string, caseless = false): boolean {
    return this.strncmp(off, s, s.length, caseless);
  }

  /** The bytes at `off` as Latin-1 text (one character a byte), checked. */
  raw(off: number, len: number): string {
    const a = this.ensure(off, len);
    return latin1(this.tvb.buf, this.tvb.start + a, this.tvb.start + a + len);
  }

  /** tvb_get_string_enc(..., ENC_UTF_8): the bytes decoded, bad sequences as U+FFFD (NULs kept). */
  text(off: number, len: number): string {
    const a = this.ensure(off, len);
    return utf8Decoder.decode(this.tvb.buf.subarray(this.tvb.start + a, this.tvb.start + a + len));
  }

  /** tvb_get_string_enc(..., ENC_ASCII): bytes above 0x7f are U+FFFD. */
  ascii(off: number, len: number): string {
    const s = this.raw(off, len);
    return /[\x80-\xff]/.test(s) ? s.replace(/[\x80-\xff]/g, '\ufffd') : s;
  }

  /** tvb_format_text: the bytes escaped for display; `size` -1 is the rest of the view. */
  format(off: number, size: number): string {
    if (size === 0) return '';
    const n = size === -1 ? this.capRemaining(this.abs(off)) : size;
    if (size < -1) throw new MalformedError('negative length');
    return formatText(this.raw(off, n));
  }

  /** tvb_new_subset_length_caplen: `len` bytes at `off` (-1: the rest), reporting `repLen`. */
  sub(off: number, len = -1, repLen = len): TextTvb {
    const a = this.abs(off);
    if (len === -1) return new TextTvb(this.tvb.sub(a));
    const cap = Math.min(len, this.len - a);
    const rep = repLen === -1 ? this.rep - a : repLen;
    return new TextTvb(new Tvb(this.tvb.buf, this.tvb.start + a, this.tvb.start + a + cap, this.tvb.start + a + rep, this.tvb.source));
  }
}

function isWsp(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a;
}

/** A C string: the text up to its first NUL. */
export function cString(s: string): string {
  const z = s.indexOf('\0');
  return z < 0 ? s : s.slice(0, z);
}

/** A decoded string as tshark shows it in a label (controls escaped). */
export function shown(s: string): string {
  if (/^[\x20-\x7e]*$/.test(s)) return s;
  const b = utf8Encoder.encode(s);
  return formatText(latin1(b, 0, b.length));
}

/** Wireshark's ITEM_LABEL_LENGTH: a label is at most this many bytes, NUL included. */
const ITEM_LABEL_LENGTH = 240;

/** A label cut as tshark cuts one that does not fit: " [truncated]" inserted at `namePos`. */
export function fitLabel(label: string, namePos = 0): string {
  if (label.length < ITEM_LABEL_LENGTH / 3) return label;
  const bytes = utf8Encoder.encode(label);
  if (bytes.length < ITEM_LABEL_LENGTH) return label;
  const prefix = utf8Encoder.encode(label.slice(0, namePos)).length;
  const marked = new Uint8Array(bytes.length + 12);
  marked.set(bytes.subarray(0, prefix));
  marked.set(utf8Encoder.encode(' [truncated]'), prefix);
  marked.set(bytes.subarray(prefix), prefix + 12);
  // The cut falls on the start of the character holding byte ITEM_LABEL_LENGTH - 2.
  let end = ITEM_LABEL_LENGTH - 2;
  while (end > 0 && (marked[end]! & 0xc0) === 0x80) end--;
  return utf8Decoder.decode(marked.subarray(0, end));
}

/** "Name: value" for a field, cut like tshark's labels. */
export function fieldText(f: FieldDef, value: string): string {
  return fitLabel(`${f.name}: ${value}`, f.name.length);
}

// ---- tree items with tshark's checks ----

/**
 * proto_tree_add_item() of a string field: its bytes must exist (tree or not); the value is the
 * text up to a NUL ("Trailing stray characters" when more follows). Returns the value.
 */
export function addStr(t: TreeSink | null, f: FieldDef, tv: TextTvb, off: number, len: number, open = false, ascii = false, label?: string): string {
  if (len === -1) len = tv.len ? tv.ensureCapRemaining(off) : 0;
  else if (len < 0) throw new MalformedError('negative length');
  tv.ensure(off, len);
  const full = ascii ? tv.ascii(off, len) : tv.text(off, len);
  const value = cString(full);
  if (t) {
    const item = label ?? fieldText(f, shown(value));
    // A NUL ends the string; anything but NULs after it is flagged on the item.
    const stray = value.length < full.length && /[^\0]/.test(full.slice(value.length));
    if (open || stray) t.open(f, tv.tvb, tv.abs(off), len, value, item);
    else t.add(f, tv.tvb, tv.abs(off), len, value, item);
    if (stray) {
      t.expert('warn', 'Trailing stray characters', tv.tvb, tv.abs(off), len, 'Undecoded');
      if (!open) t.close();
    }
  }
  return value;
}

/** proto_tree_add_string(): the bytes are checked (when any), the value is given. */
export function addString(t: TreeSink | null, f: FieldDef, tv: TextTvb, off: number, len: number, value: string, label?: string, open = false): void {
  if (len === -1) len = tv.len ? tv.ensureCapRemaining(off) : 0;
  else if (len < 0) throw new MalformedError('negative length');
  if (len !== 0) tv.ensure(off, len);
  if (!t) return;
  const text = label ?? fieldText(f, shown(value));
  if (open) t.open(f, tv.tvb, tv.abs(off), len, value, text);
  else t.add(f, tv.tvb, tv.abs(off), len, value, text);
}

/**
 * proto_tree_add_uint()/_boolean(): nothing is checked without a tree; with one, a negative
 * length throws. An expert item, when given, goes under it.
 */
export function addUint(t: TreeSink | null, f: FieldDef, tv: TextTvb, off: number, len: number, value: number | boolean, label?: string,
  expert?: [ExpertSeverity, string, ExpertGroup]): void {
  if (!t) return;
  if (len < 0) throw new MalformedError('negative length');
  const a = tv.tryAbs(off);
  if (!expert) return t.add(f, tv.tvb, a < 0 ? 0 : a, len, value, label);
  t.open(f, tv.tvb, a < 0 ? 0 : a, len, value, label);
  t.expert(expert[0], expert[1], tv.tvb, a < 0 ? 0 : a, len, expert[2]);
  t.close();
}

/** proto_tree_add_format_text(): a text node of the bytes as they are (only with a tree). */
export function addFormatText(t: TreeSink | null, tv: TextTvb, off: number, len: number): void {
  if (!t) return;
  let itemLen = len;
  if (len === -1) itemLen = tv.len ? tv.ensureCapRemaining(off) : 0;
  else {
    const rem = tv.capRemaining(off);
    if (itemLen < 0 || itemLen > rem) itemLen = rem;
  }
  const text = fitLabel(tv.format(off, len));
  t.text(tv.tvb, tv.abs(off), itemLen, text);
}

/** proto_tree_add_subtree(): a text node that holds what follows; its bytes are checked. */
export function openText(t: TreeSink | null, tv: TextTvb, off: number, len: number, text: () => string): void {
  if (len === -1) len = tv.len ? tv.ensureCapRemaining(off) : 0;
  else tv.ensure(off, len);
  if (t) t.text(tv.tvb, tv.abs(off), len, fitLabel(text()), true);
}

/** proto_tree_add_expert(): added, then its bytes are checked (a length of -1 needs one byte). */
export function addExpert(t: TreeSink | null, tv: TextTvb, off: number, len: number, severity: ExpertSeverity, message: string, group: ExpertGroup): void {
  let itemLen = len;
  const rem = tv.capRemaining(off);
  if (rem < itemLen) itemLen = rem;
  if (itemLen === -1) itemLen = tv.len ? tv.ensureCapRemaining(off) : 0;
  else tv.ensure(off, itemLen);
  if (t) expertItem(t, severity, message, tv.tvb, tv.tryAbs(off) < 0 ? 0 : tv.tryAbs(off), itemLen, group);
  if (len !== -1) tv.ensure(off, len);
}

// ---- C library number parsing, as the dissectors call it ----

function isCSpace(c: string | undefined): boolean {
  return c === ' ' || c === '\t' || c === '\n' || c === '\v' || c === '\f' || c === '\r';
}

/** strtoul()/strtol() of a C string as 64-bit, base 10: value, end index, overflow. */
function cParse(s: string, signed: boolean): { value: bigint; end: number; overflow: boolean } {
  let i = 0;
  while (isCSpace(s[i])) i++;
  let neg = false;
  if (s[i] === '+' || s[i] === '-') {
    neg = s[i] === '-';
    i++;
  }
  const start = i;
  let v = 0n;
  let overflow = false;
  const max = signed ? (neg ? 1n << 63n : (1n << 63n) - 1n) : (1n << 64n) - 1n;
  while (i < s.length && s.charCodeAt(i) >= 0x30 && s.charCodeAt(i) <= 0x39) {
    v = v * 10n + BigInt(s.charCodeAt(i) - 0x30);
    if (v > max) overflow = true;
    i++;
  }
  if (i === start) return { value: 0n, end: 0, overflow: false };
  if (overflow) v = max;
  if (neg) v = signed ? -v : overflow ? v : ((1n << 64n) - v) % (1n << 64n);
  return { value: v, end: i, overflow };
}

/** (guint32)strtoul(s, NULL, 10). */
export function strtoul32(s: string): number {
  return Number(BigInt.asUintN(32, cParse(cString(s), false).value));
}

/** (guint32)strtol(s, NULL, 10). */
export function strtol32(s: string): number {
  return Number(BigInt.asUintN(32, cParse(cString(s), true).value));
}

/** ws_strtou32/16/8: the whole string one unsigned number; [ok, value as Wireshark leaves it]. */
export function wsStrtou(s: string, bits: 8 | 16 | 32): [boolean, number] {
  const str = cString(s);
  const max = 2 ** bits - 1;
  if (str[0] === '-' || str[0] === '+') return [false, 0];
  const r = cParse(str, false);
  if (r.end === 0 || r.end !== str.length) return [false, 0];
  if (r.overflow || r.value > BigInt(max)) return [false, max];
  return [true, Number(r.value)];
}

/** ws_strtoi32: the whole string one signed number. */
export function wsStrtoi32(s: string): [boolean, number] {
  const str = cString(s);
  const r = cParse(str, true);
  if (r.end === 0 || r.end !== str.length) return [false, 0];
  if (r.overflow) return [false, r.value < 0n ? -(2 ** 31) : 2 ** 31 - 1];
  if (r.value < -(2n ** 31n)) return [false, -(2 ** 31)];
  if (r.value > 2n ** 31n - 1n) return [false, 2 ** 31 - 1];
  return [true, Number(r.value)];
}

