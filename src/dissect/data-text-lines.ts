// Wireshark's "Line-based text data" (filter name data-text-lines): the body dissector of the
// line-based text media types, shared by the protocols that carry typed bodies (HTTP, SIP). It
// shows a body a line at a time; a body that opens like an XML document goes to XML instead.

import { defineProtocol, fieldByName } from './registry.ts';
import { addFormatText, type TextTvb } from './text-tvb.ts';
import type { TreeSink } from './tree.ts';

/**
 * The media types tshark 4.0 gives this dissector (RFC 2046 text/plain and the like; checked
 * against tshark one HTTP response per type).
 */
export const TEXT_LINES_TYPES: ReadonlySet<string> = new Set([
  'text/plain', 'text/richtext', 'text/enriched', 'text/parameters', 'text/html', 'text/xml-external-parsed-entity', 'text/css',
  'application/xml-external-parsed-entity', 'text/javascript', 'application/x-javascript', 'application/x-tia-p25-issi',
  'application/x-tia-p25-sndcp', 'application/x-ns-proxy-autoconfig', 'text/vnd.sun.j2me.app-descriptor',
  'application/vnd.poc.refer-to', 'application/vnd.drm.message', 'application/x-rtsp-udp-packetpair',
]);

const proto = fieldByName('data-text-lines') ?? defineProtocol('data-text-lines', 'Line-based text data', {}).proto;

/**
 * The dissector's test for XML: more than 38 bytes (the length of
 * `<?xml version="1.0" encoding="UTF-8"?>`) that open with "<?xml" in any case.
 */
export function opensXmlDocument(b: Uint8Array, start: number, len: number): boolean {
  if (len <= 38) return false;
  return b[start] === 0x3c && b[start + 1] === 0x3f && (b[start + 2]! | 0x20) === 0x78 && (b[start + 3]! | 0x20) === 0x6d && (b[start + 4]! | 0x20) === 0x6c;
}

/**
 * "Line-based text data: text/html (24 lines)" and the body's lines, their terminators shown
 * (without a media type: "Line-based text data (24 lines)").
 */
export function textLinesTree(tv: TextTvb, t: TreeSink, mediaType: string | null): void {
  let n = 0;
  for (let o = 0; tv.exists(o); o = tv.next) {
    tv.lineEnd(o, -1);
    n++;
  }
  t.open(proto, tv.tvb, 0, tv.len ? tv.ensureCapRemaining(0) : 0, null, `Line-based text data${mediaType === null ? '' : `: ${mediaType}`} (${n} lines)`);
  for (let o = 0; tv.exists(o);) {
    tv.lineEnd(o, -1);
    const next = tv.next;
    addFormatText(t, tv, o, next - o);
    o = next;
  }
  t.close();
}
