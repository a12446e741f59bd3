// JSON (RFC 8259) bodies, as tshark 4.0's JSON dissector shows them: an Object or Array subtree,
// each member with its key, its value, and the generated path texts the display filter can
// match ("/a/b/[]/c"). A text that is not one whole object or array (after white space) gets an
// empty JSON layer and goes to the line-based text dissector whole; bytes after a whole one go
// there too. Nesting is bounded as tshark's parser bounds it (NESTING_BUDGET): deeper text is
// not JSON, and a hostile body cannot exhaust the stack.

import { opensXmlDocument, textLinesTree } from './data-text-lines.ts';
import { defineProtocol } from './registry.ts';
import { formatText } from './text.ts';
import { TextTvb } from './text-tvb.ts';
import { GENERATED, type TreeSink } from './tree.ts';
import { latin1, type Tvb } from './tvb.ts';
import { xmlTree } from './xml.ts';

export const F = defineProtocol('json', 'JavaScript Object Notation', {
  'json.object': { name: 'Object', type: 'none' },
  'json.array': { name: 'Array', type: 'none' },
  'json.member': { name: 'Member', type: 'string' },
  'json.key': { name: 'Key', type: 'string' },
  'json.path': { name: 'Path', type: 'string' },
  'json.path_with_value': { name: 'Path with value', type: 'string' },
  'json.member_with_value': { name: 'Member with value', type: 'string' },
  'json.value.string': { name: 'String value', type: 'string' },
  'json.value.number': { name: 'Number value', type: 'string' },
  'json.value.true': { name: 'True value', type: 'none' },
  'json.value.false': { name: 'False value', type: 'none' },
  'json.value.null': { name: 'Null value', type: 'none' },
});

/**
 * tshark 4.0's JSON parser gives up on deep nesting; what it takes was measured (one HTTP
 * response per shape, each wrapped in 15–26 arrays) and fits a budget of 100 spent along a path:
 * 4 per array or object, 1 per object member, and at the end 4 for a string, 6 for a number and
 * 2 for true, false or null. So 25 nested empty arrays are JSON and 26 are not; 23 arrays
 * around a number are, 24 are not.
 */
const NESTING_BUDGET = 100;
const COST = { container: 4, member: 1, string: 4, number: 6, literal: 2 } as const;

type Scalar = { kind: 'string' | 'number' | 'true' | 'false' | 'null'; start: number; end: number; text: string };
type Member = { key: string; keyStart: number; keyEnd: number; value: Value };
type Value = Scalar | { kind: 'object'; start: number; end: number; members: Member[] } | { kind: 'array'; start: number; end: number; items: Value[] };

class NotJson extends Error {}

/** A recursive-descent reader of one JSON value over `b[0, end)`. */
class Reader {
  pos = 0;
  constructor(private readonly b: Uint8Array, private readonly end: number) {}

  skipSpace(): void {
    // RFC 8259 §2: space, tab, line feed, carriage return.
    while (this.pos < this.end) {
      const c = this.b[this.pos]!;
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) break;
      this.pos++;
    }
  }

  private peek(): number {
    if (this.pos >= this.end) throw new NotJson();
    return this.b[this.pos]!;
  }

  private expect(c: number): void {
    if (this.peek() !== c) throw new NotJson();
    this.pos++;
  }

  /** One value; `spent` is the nesting budget its enclosing containers and members used. */
  value(spent: number): Value {
    this.skipSpace();
    const c = this.peek();
    const start = this.pos;
    if (c === 0x7b || c === 0x5b) spent = this.spend(spent, COST.container);
    if (c === 0x7b /* { */) {
      this.pos++;
      const members: Member[] = [];
      this.list(0x7d, () => {
        this.skipSpace();
        const keyStart = this.pos;
        const key = this.string();
        const keyEnd = this.pos;
        this.skipSpace();
        this.expect(0x3a /* : */);
        members.push({ key, keyStart, keyEnd, value: this.value(spent + COST.member) });
      });
      return { kind: 'object', start, end: this.pos, members };
    }
    if (c === 0x5b /* [ */) {
      this.pos++;
      const items: Value[] = [];
      this.list(0x5d, () => items.push(this.value(spent)));
      return { kind: 'array', start, end: this.pos, items };
    }
    if (c === 0x22) {
      this.spend(spent, COST.string);
      const text = this.string();
      return { kind: 'string', start, end: this.pos, text };
    }
    for (const lit of ['true', 'false', 'null'] as const) {
      if (this.literal(lit)) {
        this.spend(spent, COST.literal);
        return { kind: lit, start, end: this.pos, text: lit };
      }
    }
    this.spend(spent, COST.number);
    this.number();
    return { kind: 'number', start, end: this.pos, text: latin1(this.b, start, this.pos) };
  }

  /** Comma-separated items up to `close` (the opening bracket already read). */
  private list(close: number, item: () => void): void {
    this.skipSpace();
    if (this.peek() === close) {
      this.pos++;
      return;
    }
    for (;;) {
      item();
      this.skipSpace();
      if (this.peek() !== 0x2c) break;
      this.pos++;
    }
    this.expect(close);
  }

  private spend(spent: number, cost: number): number {
    if (spent + cost > NESTING_BUDGET) throw new NotJson();
    return spent + cost;
  }

  private literal(word: string): boolean {
    if (this.pos + word.length > this.end) return false;
    for (let i = 0; i < word.length; i++) if (this.b[this.pos + i] !== word.charCodeAt(i)) return false;
    this.pos += word.length;
    return true;
  }

  private digits(): number {
    const from = this.pos;
    while (this.pos < this.end && this.b[this.pos]! >= 0x30 && this.b[this.pos]! <= 0x39) this.pos++;
    return this.pos - from;
  }

  /** RFC 8259 §6: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)? */
  private number(): void {
    if (this.pos < this.end && this.b[this.pos] === 0x2d) this.pos++;
    const first = this.pos < this.end ? this.b[this.pos]! : -1;
    const n = this.digits();
    if (n === 0 || (first === 0x30 && n > 1)) throw new NotJson();
    if (this.pos < this.end && this.b[this.pos] === 0x2e) {
      this.pos++;
      if (this.digits() === 0) throw new NotJson();
    }
    if (this.pos < this.end && (this.b[this.pos] === 0x65 || this.b[this.pos] === 0x45)) {
      this.pos++;
      if (this.pos < this.end && (this.b[this.pos] === 0x2b || this.b[this.pos] === 0x2d)) this.pos++;
      if (this.digits() === 0) throw new NotJson();
    }
  }

  /**
   * A string (RFC 8259 §7), its escapes undone, as one character per UTF-8 byte (what
   * formatText reads): tshark shows the text unescaped, control characters escaped again.
   */
  private string(): string {
    this.expect(0x22);
    let out = '';
    let run = this.pos;
    for (;;) {
      const c = this.peek();
      if (c === 0x22) break;
      if (c < 0x20) throw new NotJson();
      if (c !== 0x5c) {
        this.pos++;
        continue;
      }
      out += latin1(this.b, run, this.pos);
      this.pos++;
      const e = this.peek();
      this.pos++;
      const simple = ESCAPES[e];
      if (simple !== undefined) out += simple;
      else if (e === 0x75 /* u */) out += utf8Latin1(this.codePoint());
      else throw new NotJson();
      run = this.pos;
    }
    out += latin1(this.b, run, this.pos);
    this.pos++;
    return out;
  }

  private hex4(): number {
    if (this.pos + 4 > this.end) throw new NotJson();
    const digits = latin1(this.b, this.pos, this.pos + 4);
    if (!/^[0-9a-fA-F]{4}$/.test(digits)) throw new NotJson();
    this.pos += 4;
    return Number.parseInt(digits, 16);
  }

  /** \uXXXX, or a UTF-16 surrogate pair written as two of them. */
  private codePoint(): number {
    const hi = this.hex4();
    if (hi >= 0xd800 && hi < 0xdc00 && this.b[this.pos] === 0x5c && this.b[this.pos + 1] === 0x75) {
      const save = this.pos;
      this.pos += 2;
      const lo = this.hex4();
      if (lo >= 0xdc00 && lo < 0xe000) return 0x10000 + ((hi - 0xd800) << 10) + (lo - 0xdc00);
      this.pos = save;
    }
    return hi;
  }
}

const ESCAPES: Record<number, string> = { 0x22: '"', 0x5c: '\\', 0x2f: '/', 0x62: '\b', 0x66: '\f', 0x6e: '\n', 0x72: '\r', 0x74: '\t' };

/** A code point as its UTF-8 bytes, one character each. */
function utf8Latin1(cp: number): string {
  if (cp < 0x80) return String.fromCharCode(cp);
  if (cp < 0x800) return String.fromCharCode(0xc0 | (cp >> 6), 0x80 | (cp & 0x3f));
  if (cp < 0x10000) return String.fromCharCode(0xe0 | (cp >> 12), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
  return String.fromCharCode(0xf0 | (cp >> 18), 0x80 | ((cp >> 12) & 0x3f), 0x80 | ((cp >> 6) & 0x3f), 0x80 | (cp & 0x3f));
}

/**
 * The JSON layer of a body of type `mediaType` (null when the carrier names none): its tree, and
 * any text that is not JSON as lines. Returns the layers it showed, for frame.protocols.
 */
export function jsonTree(tvb: Tvb, t: TreeSink, mediaType: string | null): string[] {
  const b = tvb.bytes(0, tvb.length);
  const r = new Reader(b, b.length);
  let root: Value | null = null;
  try {
    r.skipSpace();
    // tshark's parser takes an object or an array at the top (not a lone string or number).
    if (r.pos < b.length && (b[r.pos] === 0x7b || b[r.pos] === 0x5b)) root = r.value(0);
  } catch (e) {
    if (!(e instanceof NotJson)) throw e;
    root = null;
  }
  t.open(F.proto, tvb, 0, tvb.length, null, mediaType === null ? 'JavaScript Object Notation' : `JavaScript Object Notation: ${mediaType}`);
  if (root) addValue(tvb, t, root, '', null);
  t.close();
  let rest = 0;
  if (root) {
    r.skipSpace();
    rest = r.pos;
  }
  // The rest goes to the line-based text dissector, which hands an XML document to XML.
  if (rest >= b.length) return ['json'];
  if (!opensXmlDocument(b, rest, b.length - rest)) {
    textLinesTree(new TextTvb(tvb.sub(rest)), t, mediaType);
    return ['json', 'data-text-lines'];
  }
  xmlTree(tvb.sub(rest), t);
  return ['json', 'data-text-lines', 'xml'];
}

/** `v` at `path` ("/a/b/[]"); `key` is the member's key, or null for an array's element (shown as "[]"). */
function addValue(tvb: Tvb, t: TreeSink, v: Value, path: string, key: string | null): void {
  if (v.kind === 'object') {
    t.open(F['json.object'], tvb, v.start, v.end - v.start, null, 'Object');
    for (const m of v.members) {
      const key = formatText(m.key);
      const memberPath = `${path}/${key}`;
      t.open(F['json.member'], tvb, m.keyStart, m.value.end - m.keyStart, key, `Member: ${key}`);
      addValue(tvb, t, m.value, memberPath, key);
      t.add(F['json.key'], tvb, m.keyStart, m.keyEnd - m.keyStart, key, `Key: ${key}`);
      t.add(F['json.path'], tvb, 0, GENERATED, memberPath, `[Path: ${memberPath}]`);
      t.close();
    }
    t.close();
    return;
  }
  if (v.kind === 'array') {
    t.open(F['json.array'], tvb, v.start, v.end - v.start, null, 'Array');
    for (const item of v.items) addValue(tvb, t, item, `${path}/[]`, null);
    t.close();
    return;
  }
  // A scalar: where it is with its value, then the value itself.
  const text = v.kind === 'string' ? formatText(v.text) : v.text;
  t.add(F['json.path_with_value'], tvb, 0, GENERATED, `${path}:${text}`, `[Path with value: ${path}:${text}]`);
  t.add(F['json.member_with_value'], tvb, 0, GENERATED, `${key ?? '[]'}:${text}`, `[Member with value: ${key ?? '[]'}:${text}]`);
  const len = v.end - v.start;
  if (v.kind === 'string') t.add(F['json.value.string'], tvb, v.start, len, text, `String value: ${text}`);
  else if (v.kind === 'number') t.add(F['json.value.number'], tvb, v.start, len, text, `Number value: ${text}`);
  else t.add(F[`json.value.${v.kind}`], tvb, v.start, len, null, v.kind === 'true' ? 'True value' : v.kind === 'false' ? 'False value' : 'Null value');
}
