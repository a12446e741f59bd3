// HTML form data (filter name urlencoded-form): a body of type application/x-www-form-urlencoded
// ("user=alice&pass=s%20cr%2Bt"), the items as tshark 4.0 lists them: each key up to the next
// '=', each value up to the next '&', %XX and '+' decoded. Clear-text logins show here.

import { defineProtocol } from './registry.ts';
import { formatText } from './text.ts';
import type { TreeSink } from './tree.ts';
import type { Tvb } from './tvb.ts';

const F = defineProtocol('urlencoded-form', 'HTML Form URL Encoded', {
  'urlencoded-form.key': { name: 'Key', type: 'string' },
  'urlencoded-form.value': { name: 'Value', type: 'string' },
});

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  const l = c | 0x20;
  return l >= 0x61 && l <= 0x66 ? l - 0x61 + 10 : -1;
}

/**
 * The decoded text from `off` up to `stop` (or the end) and where it stopped, or null where
 * tshark gives up on the form: a NUL byte, or a '%' without two hex digits. A decoded %00 ends
 * the text (tshark keeps it as a C string).
 */
function readPart(b: Uint8Array, off: number, stop: number): { text: string; end: number } | null {
  let text = '';
  let cut = false;
  let i = off;
  for (; i < b.length; i++) {
    let c = b[i]!;
    if (c === 0) return null;
    if (c === stop) break;
    if (c === 0x25 /* % */) {
      const hi = i + 1 < b.length ? hexValue(b[i + 1]!) : -1;
      const lo = i + 2 < b.length ? hexValue(b[i + 2]!) : -1;
      if (hi < 0 || lo < 0) return null;
      c = hi * 16 + lo;
      i += 2;
    } else if (c === 0x2b /* + */) c = 0x20;
    if (c === 0) cut = true;
    if (!cut) text += String.fromCharCode(c);
  }
  return { text: formatText(text), end: i };
}

/** "HTML Form URL Encoded: application/x-www-form-urlencoded" and a "Form item" per key. */
export function urlencodedFormTree(tvb: Tvb, t: TreeSink, mediaType: string): void {
  const b = tvb.bytes(0, tvb.length);
  t.open(F.proto, tvb, 0, tvb.length, null, `HTML Form URL Encoded: ${mediaType}`);
  for (let off = 0; off < b.length; ) {
    const key = readPart(b, off, 0x3d /* = */);
    const value = key ? readPart(b, key.end + 1, 0x26 /* & */) : null;
    const end = value ? Math.min(value.end + 1, b.length) : key ? key.end : off;
    const label = key ? `Form item: "${key.text}"${value ? ` = "${value.text}"` : ''}` : 'Form item';
    // The item is not a field of its own (tshark's shares the protocol's filter name).
    t.text(tvb, off, end - off, label, true);
    if (key) t.add(F['urlencoded-form.key'], tvb, off, key.end - off, key.text, `Key: ${key.text}`);
    if (key && value) {
      const from = Math.min(key.end + 1, b.length);
      t.add(F['urlencoded-form.value'], tvb, from, value.end - from, value.text, `Value: ${value.text}`);
    }
    t.close();
    if (!value) break;
    off = value.end + 1;
  }
  t.close();
}
