// HTTP/1.x (RFC 9112) over TCP: request and status lines, header fields, message bodies
// delimited by Content-Length or chunked coding (RFC 9112 §6, §7.1) or, for responses without
// either, by the end of the connection. Messages spanning segments are reassembled by TCP at our
// request (p.desegmentOffset/desegmentLen), as tshark does by default (http.desegment_headers
// and http.desegment_body): the message shows on the segment that completes it.
//
// Info follows tshark 4.0: the first line plus a space ("GET / HTTP/1.1 "), then what the body's
// media type dissector adds (" (text/html)", " (GIF89a)" …); several messages in one segment
// are appended one after the other. Body decoders (XML, JSON, gzip …) are not implemented; only
// the Info text and the Protocol column they produce are reproduced (bodyInfo, bodyProtocol).

import { StreamMap } from '../lib/dense-keys.ts';
import { joinBytes } from '../lib/bytes.ts';
import { inflateAny } from '../lib/inflate.ts';
import { opensXmlDocument, TEXT_LINES_TYPES, textLinesTree } from './data-text-lines.ts';
import { dissectData } from './data.ts';
import { jsonTree } from './json.ts';
import { mediaTree } from './media.ts';
import { DESEGMENT_UNTIL_FIN, ONE_MORE_SEGMENT, stateSlot, type Packet } from './packet.ts';
import { ExchangeTable, HttpConv } from './http-exchanges.ts';
import { defineProtocol, type FieldDef } from './registry.ts';
import { tcpHeuristics, tcpLanePayloads, tcpPortTable, type TcpLanePayload } from './tables.ts';
import { registerTcpPayload } from './tcp.ts';
import { nsText } from './text.ts';
import { urlencodedFormTree } from './urlencoded-form.ts';
import { xmlTree } from './xml.ts';
import { TextTvb } from './text-tvb.ts';
import { GENERATED, type TreeSink } from './tree.ts';
import { RecurringText, Tvb } from './tvb.ts';

export { DESEGMENT_UNTIL_FIN };

export const F = defineProtocol('http', 'Hypertext Transfer Protocol', {
  'http.request': { name: 'Request', type: 'bool' },
  'http.response': { name: 'Response', type: 'bool' },
  'http.request.line': { name: 'Request line', type: 'string' },
  'http.response.line': { name: 'Response line', type: 'string' },
  'http.request.method': { name: 'Request Method', type: 'string' },
  'http.request.uri': { name: 'Request URI', type: 'string' },
  'http.request.version': { name: 'Request Version', type: 'string' },
  'http.request.full_uri': { name: 'Full request URI', type: 'string' },
  'http.response.version': { name: 'Response Version', type: 'string' },
  'http.response.code': { name: 'Status Code', type: 'uint', bits: 16 },
  'http.response.code.desc': { name: 'Status Code Description', type: 'string' },
  'http.response.phrase': { name: 'Response Phrase', type: 'string' },
  'http.response_for.uri': { name: 'Request URI', type: 'string' },
  'http.host': { name: 'Host', type: 'string' },
  'http.user_agent': { name: 'User-Agent', type: 'string' },
  'http.content_type': { name: 'Content-Type', type: 'string' },
  'http.content_length_header': { name: 'Content-Length', type: 'string' },
  'http.content_length': { name: 'Content length', type: 'uint' },
  'http.content_encoding': { name: 'Content-Encoding', type: 'string' },
  'http.transfer_encoding': { name: 'Transfer-Encoding', type: 'string' },
  'http.connection': { name: 'Connection', type: 'string' },
  'http.cookie': { name: 'Cookie', type: 'string' },
  'http.set_cookie': { name: 'Set-Cookie', type: 'string' },
  'http.accept': { name: 'Accept', type: 'string' },
  'http.accept_language': { name: 'Accept-Language', type: 'string' },
  'http.accept_encoding': { name: 'Accept Encoding', type: 'string' },
  'http.referer': { name: 'Referer', type: 'string' },
  'http.date': { name: 'Date', type: 'string' },
  'http.cache_control': { name: 'Cache-Control', type: 'string' },
  'http.server': { name: 'Server', type: 'string' },
  'http.location': { name: 'Location', type: 'string' },
  'http.last_modified': { name: 'Last-Modified', type: 'string' },
  'http.authorization': { name: 'Authorization', type: 'string' },
  'http.www_authenticate': { name: 'WWW-Authenticate', type: 'string' },
  'http.upgrade': { name: 'Upgrade', type: 'string' },
  'http.x_forwarded_for': { name: 'X-Forwarded-For', type: 'string' },
  'http.request_in': { name: 'Request in frame', type: 'framenum' },
  'http.request_number': { name: 'Request number', type: 'uint' },
  'http.response_number': { name: 'Response number', type: 'uint' },
  'http.prev_request_in': { name: 'Prev request in frame', type: 'framenum' },
  'http.prev_response_in': { name: 'Prev response in frame', type: 'framenum' },
  'http.next_request_in': { name: 'Next request in frame', type: 'framenum' },
  'http.next_response_in': { name: 'Next response in frame', type: 'framenum' },
  'http.response_in': { name: 'Response in frame', type: 'framenum' },
  'http.time': { name: 'Time since request', type: 'reltime' },
  'http.chunk_size': { name: 'Chunk size', type: 'uint', bits: 32 },
  'http.chunk_data': { name: 'Chunk data', type: 'bytes' },
  'http.file_data': { name: 'File Data', type: 'bytes' },
  'http.unknown_header': { name: 'Unknown header', type: 'string' },
});

/** Header fields with a field of their own (lower-case name → field). */
const HEADER_FIELDS: Record<string, keyof typeof F> = {
  'host': 'http.host',
  'user-agent': 'http.user_agent',
  'content-type': 'http.content_type',
  'content-length': 'http.content_length_header',
  'content-encoding': 'http.content_encoding',
  'transfer-encoding': 'http.transfer_encoding',
  'connection': 'http.connection',
  'cookie': 'http.cookie',
  'set-cookie': 'http.set_cookie',
  'accept': 'http.accept',
  'accept-language': 'http.accept_language',
  'accept-encoding': 'http.accept_encoding',
  'referer': 'http.referer',
  'date': 'http.date',
  'cache-control': 'http.cache_control',
  'server': 'http.server',
  'location': 'http.location',
  'last-modified': 'http.last_modified',
  'authorization': 'http.authorization',
  'www-authenticate': 'http.www_authenticate',
  'upgrade': 'http.upgrade',
  'x-forwarded-for': 'http.x_forwarded_for',
};

/** TCP ports tshark 4.0 hands to HTTP (its http.tcp.port range plus IPP and DAAP). */
export const HTTP_PORTS = [80, 631, 1900, 2710, 2869, 3128, 3132, 3689, 5985, 8080, 8088, 11371];

/** Request methods Wireshark recognises (RFC 9110 §9, WebDAV RFC 4918, RFC 3253, GENA …). */
const METHODS = new Set([
  'GET', 'PUT', 'COPY', 'HEAD', 'LOCK', 'MOVE', 'POLL', 'POST', 'BCOPY', 'BMOVE', 'MKCOL', 'TRACE', 'LABEL', 'MERGE',
  'PATCH', 'DELETE', 'SEARCH', 'UNLOCK', 'REPORT', 'UPDATE', 'BDELETE', 'CONNECT', 'OPTIONS', 'CHECKIN', 'PROPFIND',
  'CHECKOUT', 'CCM_POST', 'PROPPATCH', 'BPROPFIND', 'BPROPPATCH', 'UNCHECKOUT', 'MKACTIVITY', 'MKWORKSPACE',
  'RPC_CONNECT', 'VERSION-CONTROL', 'BASELINE-CONTROL', 'NOTIFY', 'SUBSCRIBE', 'UNSUBSCRIBE',
]);

const STATUS_TEXT: Record<number, string> = {
  100: 'Continue', 101: 'Switching Protocols', 200: 'OK', 201: 'Created', 202: 'Accepted', 204: 'No Content',
  206: 'Partial Content', 301: 'Moved Permanently', 302: 'Found', 303: 'See Other', 304: 'Not Modified',
  307: 'Temporary Redirect', 308: 'Permanent Redirect', 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden',
  404: 'Not Found', 405: 'Method Not Allowed', 408: 'Request Time-out', 500: 'Internal Server Error',
  502: 'Bad Gateway', 503: 'Service Unavailable', 504: 'Gateway Time-out',
};

// ---- per-capture state ----

class HttpState {
  /** TCP stream → its HTTP state. */
  readonly convs = new StreamMap<HttpConv>();
  readonly exchanges = new ExchangeTable();
  replayPacket: Packet | null = null;
  replayConv: HttpConv | null = null;
  /** Messages completed so far in the packet being dissected. */
  msgPacket: Packet | null = null;
  msgIndex = 0;
  /** Where the current call's layers start in frame.protocols: one "http" per call, as tshark lists it. */
  callLayers = 0;
}

const httpState = stateSlot(() => new HttpState());

function convFor(st: HttpState, p: Packet): HttpConv {
  const key = p.tcp ? p.tcp.stream : -1;
  let c = st.convs.get(key);
  if (p.visited) {
    // A re-dissection works on a copy holding what the conversation knew when this frame came.
    if (st.replayPacket !== p) {
      st.replayPacket = p;
      const r = new HttpConv();
      if (c) {
        r.firstMsgFrame = c.firstMsgFrame;
        r.lastMethod = c.methodBefore(st.exchanges, p.num);
      }
      st.replayConv = r;
    }
    return st.replayConv!;
  }
  if (!c) {
    c = new HttpConv();
    st.convs.set(key, c);
  }
  return c;
}

/** The request (an ExchangeTable index) a message belongs to, from the first pass; -1 when none. */
function exchangeOf(st: HttpState, p: Packet, index: number): number {
  const conv = st.convs.get(p.tcp ? p.tcp.stream : -1);
  return conv ? conv.exchangeOf(st.exchanges, p.num, index) : -1;
}


// ---- lines ----

interface Line {
  start: number;
  /** Length without the terminator. */
  len: number;
  /** Offset after the terminator. */
  next: number;
}

/** The line at `off` ending in LF or CRLF (RFC 9112 §2.2 allows a bare LF); null when incomplete. */
function findLine(tvb: Tvb, off: number): Line | null {
  const l: Line = { start: 0, len: 0, next: 0 };
  return readLine(tvb, off, l) ? l : null;
}

/** findLine() into `into` (no allocation: the header loop reads many lines); false when incomplete. */
function readLine(tvb: Tvb, off: number, into: Line): boolean {
  const lf = tvb.indexOf(0x0a, off);
  if (lf < 0) return false;
  into.start = off;
  into.len = lf > off && tvb.u8(lf - 1) === 0x0d ? lf - 1 - off : lf - off;
  into.next = lf + 1;
  return true;
}

/** The line the header loop is looking at (copied when kept). */
const HEADER_LINE: Line = { start: 0, len: 0, next: 0 };

/** Value of the digits `s` starts with, or -1 (what /^\d+/ would find). */
function leadingNumber(s: string): number {
  let i = 0;
  while (i < s.length && s.charCodeAt(i) >= 0x30 && s.charCodeAt(i) <= 0x39) i++;
  return i === 0 ? -1 : Number(i === s.length ? s : s.slice(0, i));
}

/** True for a non-empty string of ASCII digits (/^\d+$/). */
function allDigits(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

/** Request, response or neither, from the first line (RFC 9112 §3, §4). */
function classify(line: string): 'request' | 'response' | null {
  let s = line;
  if (s.startsWith('M-')) s = s.slice(2); // RFC 2774 mandatory extension prefix
  if (s.startsWith('HTTP/')) return 'response';
  const sp = s.indexOf(' ');
  if (sp < 0) return null;
  const m = s.slice(0, sp);
  if (m === 'ICY') return 'response';
  return METHODS.has(m) ? 'request' : null;
}

// ---- body Info (what tshark's media-type dissectors add) ----

const XML_TYPES = new Set([
  'text/xml', 'application/xml', 'application/rss+xml', 'application/atom+xml', 'image/svg+xml', 'application/soap+xml',
  'text/vnd.wap.wml', 'application/xml-dtd', 'application/rdf+xml', 'application/xslt+xml', 'application/mathml+xml',
  'application/pidf+xml', 'application/xcap-el+xml', 'application/xcap-att+xml', 'application/xcap-error+xml',
  'application/xcap-caps+xml', 'application/resource-lists+xml', 'application/rls-services+xml',
  'application/reginfo+xml', 'application/watcherinfo+xml', 'application/dialog-info+xml',
  'application/conference-info+xml', 'application/simple-filter+xml', 'application/auth-policy+xml',
  'application/x-wms-logplaystats',
]);
const JSON_TYPES = new Set(['application/json', 'application/problem+json', 'application/json-rpc', 'application/jsonrequest']);
/** Types whose dissector takes the body without adding to Info. */
const SILENT_TYPES = new Set(['application/octet-stream', 'application/grpc', 'application/sdp', 'application/x-fcs']);
const JPEG_TYPES = new Set(['image/jpeg', 'image/jpg', 'image/pjpeg']);

function startsWith(b: Uint8Array, s: string, at = 0): boolean {
  if (b.length < at + s.length) return false;
  for (let i = 0; i < s.length; i++) if (b[at + i] !== s.charCodeAt(i)) return false;
  return true;
}

/** GIF header (GIF87a/GIF89a) on a body long enough for the screen descriptor. */
function gifVersion(b: Uint8Array): string | null {
  if (b.length < 20) return null;
  if (startsWith(b, 'GIF87a')) return 'GIF87a';
  if (startsWith(b, 'GIF89a')) return 'GIF89a';
  return null;
}

const PNG_MAGIC = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
function isPng(b: Uint8Array): boolean {
  return b.length >= 20 && PNG_MAGIC.every((v, i) => b[i] === v);
}

/** JPEG SOI followed by a JFIF (APP0) or Exif (APP1) marker segment. */
function isJfif(b: Uint8Array): boolean {
  if (b.length < 11 || b[0] !== 0xff || b[1] !== 0xd8 || b[2] !== 0xff) return false;
  return (b[3] === 0xe0 && startsWith(b, 'JFIF\0', 6)) || (b[3] === 0xe1 && startsWith(b, 'Exif\0', 6));
}

/** Image dissectors tshark tries on a body no media-type dissector took. */
function heuristicInfo(b: Uint8Array): string | null {
  if (isPng(b)) return ' (PNG)';
  if (isJfif(b)) return ' (JPEG JFIF image)';
  const g = gifVersion(b);
  return g ? ` (${g})` : null;
}

/**
 * What the body's dissectors append to the Protocol column ("HTTP/XML", "HTTP/JSON"): XML and
 * JSON types, SDP, and an XML document under a line-based text type or inside JSON's text.
 * `len` bytes of `b` from `start`; an empty body reaches no dissector.
 */
function bodyProtocol(mediaType: string | null, b: Uint8Array, start: number, len: number): string {
  if (mediaType === null || len === 0) return '';
  const xmlDocument = (JSON_TYPES.has(mediaType) || TEXT_LINES_TYPES.has(mediaType)) && opensXmlDocument(b, start, len);
  return typeProtocol(mediaType) + (xmlDocument ? '/XML' : '');
}

/** What a body's type alone adds to the Protocol column (bodyProtocol without the body). */
function typeProtocol(mediaType: string | null): string {
  if (mediaType === null) return '';
  if (XML_TYPES.has(mediaType)) return '/XML';
  if (JSON_TYPES.has(mediaType)) return '/JSON';
  return mediaType === 'application/sdp' ? '/SDP' : '';
}

/** The text tshark's body dissector appends to Info for this media type and body. */
function bodyInfo(mediaType: string | null, body: Uint8Array): string {
  if (mediaType === null) return heuristicInfo(body) ?? '';
  if (XML_TYPES.has(mediaType) || SILENT_TYPES.has(mediaType) || mediaType.startsWith('multipart/')) return '';
  // JSON's text goes to the line-based text dissector, which appends the type unless it is XML.
  if (JSON_TYPES.has(mediaType)) return opensXmlDocument(body, 0, body.length) ? ', JavaScript Object Notation' : `, JavaScript Object Notation (${mediaType})`;
  if (TEXT_LINES_TYPES.has(mediaType) && opensXmlDocument(body, 0, body.length)) return '';
  if (mediaType === 'image/gif') {
    const g = gifVersion(body);
    if (g) return ` (${g})`;
  } else if (mediaType === 'image/png') {
    if (isPng(body)) return ' (PNG)';
  } else if (JPEG_TYPES.has(mediaType)) {
    if (isJfif(body)) return ' (JPEG JFIF image)';
  }
  // Text types have a dissector that always takes the body; others fall to the heuristics.
  if (!mediaType.startsWith('text/')) {
    const h = heuristicInfo(body);
    if (h) return h;
  }
  return ` (${mediaType})`;
}

// ---- the dissector ----

interface Header {
  line: Line;
  name: string;
  value: string;
}

/** True when the header line's field name is `lower` (ASCII case-insensitive) followed by ':'. */
function nameIs(tvb: Tvb, l: Line, lower: string): boolean {
  const n = lower.length;
  if (l.len <= n || tvb.u8(l.start + n) !== 0x3a) return false;
  for (let i = 0; i < n; i++) {
    const c = tvb.u8(l.start + i);
    if ((c >= 0x41 && c <= 0x5a ? c | 0x20 : c) !== lower.charCodeAt(i)) return false;
  }
  return true;
}

/** Header values and first lines repeat across messages: their text is kept. */
const recurring = new RecurringText();

/**
 * The value of a header line whose name is `nameLen` characters long, without the whitespace
 * around it (RFC 9110 §5.5), trimmed on the bytes so that a recurring value is one shared string.
 */
function headerValue(tvb: Tvb, l: Line, nameLen: number): string {
  let from = l.start + nameLen + 1;
  let to = l.start + l.len;
  tvb.check(from, to - from);
  while (from < to && isTrimmed(tvb.u8(from))) from++;
  while (to > from && isTrimmed(tvb.u8(to - 1))) to--;
  return recurring.get(tvb.buf, tvb.abs(from), tvb.abs(to));
}

/** What String.prototype.trim() removes, of Latin-1 text: whitespace, line terminators, NBSP. */
function isTrimmed(c: number): boolean {
  return (c >= 0x09 && c <= 0x0d) || c === 0x20 || c === 0xa0;
}

/** Whitespace as the first line's separators (RFC 9112 §3: SP; tshark also takes tabs). */
function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0d || c === 0x0a || c === 0x0b || c === 0x0c;
}

/**
 * splitFirstLine() of first lines seen before: a first line's text recurs (see textOf), and so
 * its parts are shared strings too (the requests' targets and methods are kept for the whole
 * capture). Bounded like the text cache.
 */
const firstLineParts = new Map<string, readonly [string, string, string]>();

function firstLinePartsOf(text: string): readonly [string, string, string] {
  let parts = firstLineParts.get(text);
  if (!parts) {
    parts = splitFirstLine(text);
    if (firstLineParts.size >= 4096) firstLineParts.clear();
    firstLineParts.set(text, parts);
  }
  return parts;
}

/** "GET /x HTTP/1.1" → ["GET", "/x", "HTTP/1.1"]: the first line's three parts (RFC 9112 §3, §4). */
function splitFirstLine(text: string): [string, string, string] {
  const n = text.length;
  let a = 0;
  while (a < n && !isSpace(text.charCodeAt(a))) a++;
  if (a === 0 || a === n) return [text, '', ''];
  let b = a;
  while (b < n && isSpace(text.charCodeAt(b))) b++;
  let c = b;
  while (c < n && !isSpace(text.charCodeAt(c))) c++;
  let d = c;
  while (d < n && isSpace(text.charCodeAt(d))) d++;
  return [text.slice(0, a), text.slice(b, c), text.slice(d)];
}

function textOf(tvb: Tvb, l: Line): string {
  tvb.check(l.start, l.len);
  return recurring.get(tvb.buf, tvb.abs(l.start), tvb.abs(l.start + l.len));
}

/** Asks TCP for more bytes; false when it cannot reassemble (then we dissect what there is). */
function desegment(p: Packet, off: number, len: number): boolean {
  if (!p.canDesegment) return false;
  p.desegmentOffset = off;
  p.desegmentLen = len;
  return true;
}

const NO_BODY = new Uint8Array(0);
const NEED_MORE = -1;
const NOT_HTTP = -2;

/** What scanHeaders() found (one object, reused: read it before the next scan). */
interface HeaderScan {
  /** Offset after the empty line ending the block; -1 when the block is incomplete. */
  hdrEnd: number;
  /** The empty line (a copy), null when incomplete. */
  blank: Line | null;
  /** Where the scan stopped: the first line not complete. */
  end: number;
  contentLength: number;
  chunked: boolean;
  mediaType: string | null;
  /** What follows the media type's ';' ("charset=UTF-8"), '' without. */
  mediaParams: string;
  /** A Content-Encoding other than identity (RFC 9110 §8.4) as written; null without one. */
  coding: string | null;
  host: string | undefined;
}
const HEADER_SCAN: HeaderScan = { hdrEnd: -1, blank: null, end: 0, contentLength: -1, chunked: false, mediaType: null, mediaParams: '', coding: null, host: undefined };

/**
 * Reads the header block (RFC 9112 §5) from `o`: lines up to an empty one. Strings are only made
 * for the few fields the summary needs, unless `headers` wants them all.
 */
function scanHeaders(tvb: Tvb, o: number, headers: Header[] | null): HeaderScan {
  const r = HEADER_SCAN;
  r.hdrEnd = -1;
  r.blank = null;
  r.contentLength = -1;
  r.chunked = false;
  r.mediaType = null;
  r.mediaParams = '';
  r.coding = null;
  r.host = undefined;
  const l = HEADER_LINE;
  for (;;) {
    if (!readLine(tvb, o, l)) break;
    if (l.len === 0) {
      r.blank = { ...l };
      r.hdrEnd = l.next;
      break;
    }
    if (headers) {
      const text = textOf(tvb, l);
      const colon = text.indexOf(':');
      headers.push({ line: { ...l }, name: colon > 0 ? text.slice(0, colon) : text, value: colon > 0 ? text.slice(colon + 1).trim() : '' });
    }
    const c0 = tvb.u8(l.start) | 0x20;
    if (c0 === 0x63 /* c */) {
      if (nameIs(tvb, l, 'content-length')) {
        const v = leadingNumber(headerValue(tvb, l, 14));
        if (v >= 0) r.contentLength = v;
      } else if (nameIs(tvb, l, 'content-encoding')) {
        const coding = headerValue(tvb, l, 16).trim();
        r.coding = coding.toLowerCase() === 'identity' ? null : coding;
      } else if (nameIs(tvb, l, 'content-type')) {
        const value = headerValue(tvb, l, 12);
        const semi = value.indexOf(';');
        r.mediaType = (semi >= 0 ? value.slice(0, semi) : value).trim().toLowerCase();
        r.mediaParams = semi >= 0 ? value.slice(semi + 1).trim() : '';
      }
    } else if (c0 === 0x74 /* t */ && nameIs(tvb, l, 'transfer-encoding')) {
      r.chunked = /chunked/i.test(headerValue(tvb, l, 17));
    } else if (c0 === 0x68 /* h */ && r.host === undefined && nameIs(tvb, l, 'host')) {
      r.host = headerValue(tvb, l, 4);
    }
    o = l.next;
  }
  r.end = o;
  return r;
}

/** HTTP on a TCP payload; false when the first bytes are not HTTP. */
export function dissectHttp(tvb: Tvb, p: Packet): boolean {
  const st = httpState.of(p.state);
  const conv = convFor(st, p);
  if (st.msgPacket !== p) {
    st.msgPacket = p;
    st.msgIndex = 0;
  }
  let off = 0;
  const layers = (st.callLayers = p.layers.length);
  while (tvb.reportedLength - off > 0) {
    const len = dissectMessage(tvb, off, p, conv, st);
    if (len === NOT_HTTP) return off > 0;
    if (len === NEED_MORE) {
      // A call that completed no message lists no http: tshark's frame.protocols of a
      // "[TCP segment of a reassembled PDU]" holding the start of a message ends with tcp.
      if (off === 0) p.layers.length = layers;
      break;
    }
    off += len;
    // Later messages of the segment append to Info instead of replacing it.
    p.cols.fenceInfo();
  }
  return true;
}

/** A response without a body (RFC 9112 §6.3): 1xx, 204, 304, or any answer to HEAD. */
function responseHasNoBody(code: number, requestMethod: string): boolean {
  return (code >= 100 && code < 200) || code === 204 || code === 304 || requestMethod === 'HEAD';
}

/** What the short lane's check found in the message it accepted, for its commit. */
const laneMessage = { isResponse: false, code: 0, method: '', target: '', host: undefined as string | undefined, firstText: '', hdrEnd: 0, bodyLen: 0, mediaType: null as string | null };

/**
 * HTTP's part in the first pass's short lane (tcp-lane.ts): a segment whose payload is exactly
 * one request or response, with its whole body (by Content-Length, or none), is what
 * dissectMessage's first pass takes without reassembly; the lane then records what it records.
 * Anything else (chunked coding, a body to come or running to the connection's end, a second
 * message, a first line or header block cut short, no HTTP at all) goes the full way.
 */
const httpLane: TcpLanePayload = {
  layer: 'http',
  check(state, stream, num, b, off, len) {
    const st = httpState.of(state);
    const conv = st.convs.get(stream);
    const tvb = new Tvb(b, off, off + len, off + len);
    // As dissectMessage at the payload's start, in the first pass (no columns, no tree).
    const seen = conv !== undefined && conv.firstMsgFrame !== 0 && conv.firstMsgFrame < num;
    const b0 = b[off]!;
    if (!seen && (b0 < 0x20 || b0 > 0x7e)) return null;
    const first = findLine(tvb, 0);
    if (!first) return null;
    const firstText = textOf(tvb, first);
    const kind = classify(firstText);
    if (!kind) return null;
    // The media type too: the Protocol column and info() need it for a body.
    const h = scanHeaders(tvb, first.next, null);
    // A coded body (gzip …) is decoded for its media type: the full path.
    if (h.hdrEnd < 0 || h.chunked || h.coding !== null) return null;
    const isResponse = kind === 'response';
    const parts = firstLinePartsOf(firstText);
    const code = isResponse && allDigits(parts[1]) ? Number(parts[1]) : 0;
    const noBody = isResponse && responseHasNoBody(code, conv?.lastMethod ?? '');
    let end = h.hdrEnd;
    if (!noBody && h.contentLength >= 0) end += h.contentLength;
    else if (!noBody && isResponse) return null; // the body lasts until the connection closes
    if (end !== len) return null;
    const m = laneMessage;
    m.firstText = firstText;
    m.hdrEnd = h.hdrEnd;
    m.bodyLen = end - h.hdrEnd;
    m.isResponse = isResponse;
    m.code = code;
    m.method = parts[0];
    m.target = parts[1];
    m.host = h.host;
    m.mediaType = h.mediaType;
    return 'HTTP' + bodyProtocol(h.mediaType, b, off + h.hdrEnd, m.bodyLen);
  },
  commit(state, stream, num, tsSec, tsNsec) {
    const st = httpState.of(state);
    let conv = st.convs.get(stream);
    if (!conv) {
      conv = new HttpConv();
      st.convs.set(stream, conv);
    }
    const m = laneMessage;
    if (conv.firstMsgFrame === 0) conv.firstMsgFrame = num;
    if (m.isResponse) {
      if (m.code >= 200 || m.code === 0 || m.code === 101) conv.respond(st.exchanges, num, 0, tsSec, tsNsec);
    } else {
      conv.lastMethod = m.method;
      conv.addRequest(st.exchanges, st.exchanges.add(num, 0, tsSec, tsNsec, m.target, m.host, conv.lastMethod));
    }
  },
  info(cols, b, off) {
    // As dissectMessage: the first line and a space, then what the body's media type adds.
    const m = laneMessage;
    if (m.bodyLen === 0) return cols.setInfo(m.firstText + ' ');
    const body = b.subarray(off + m.hdrEnd, off + m.hdrEnd + m.bodyLen);
    cols.setInfo(m.firstText + ' ' + bodyInfo(m.mediaType, body));
  },
};

function dissectMessage(tvb: Tvb, off: number, p: Packet, conv: HttpConv, st: HttpState): number {
  // A conversation's first message starts with a printable character: binary data (a TCP
  // keep-alive byte …) is not HTTP and is not worth reassembling.
  const seen = conv.firstMsgFrame !== 0 && (conv.firstMsgFrame < p.num || off > 0);
  const b0 = tvb.u8(off);
  if (!seen && (b0 < 0x20 || b0 > 0x7e)) return NOT_HTTP;
  const first = findLine(tvb, off);
  if (!first) {
    // No complete first line yet: headers are reassembled first (http.desegment_headers).
    if (desegment(p, off, ONE_MORE_SEGMENT)) return NEED_MORE;
  }
  const firstText = first ? textOf(tvb, first) : '';
  const kind = first ? classify(firstText) : null;
  const t = p.tree;
  if (!kind) {
    if (!seen) return NOT_HTTP;
    addLayer(p, st);
    p.cols.protocol = 'HTTP';
    p.cols.setInfo('Continuation');
    if (t) {
      t.open(F.proto, tvb, off, tvb.length - off, null, 'Hypertext Transfer Protocol');
      t.add(F['http.file_data'], tvb, off, tvb.length - off, null, `File Data: ${tvb.reportedLength - off} bytes`);
      dissectData(tvb.sub(off), p);
      t.close();
    }
    return tvb.reportedLength - off;
  }
  addLayer(p, st);
  p.cols.protocol = 'HTTP';
  p.cols.setInfo(firstText + ' ');

  // Header block (RFC 9112 §5): lines up to an empty one.
  const headers: Header[] | null = t ? [] : null;
  // The media type names what the body is, in Info and in the Protocol column (bodyProtocol).
  const h = scanHeaders(tvb, first!.next, headers);
  let hdrEnd = h.hdrEnd;
  const blank = h.blank;
  const { contentLength, chunked, mediaType, mediaParams, coding, host } = h;
  if (hdrEnd < 0) {
    // Headers cut by the snap length: stop like tshark ("Packet size limited during capture").
    if (tvb.length < tvb.reportedLength) tvb.check(h.end, tvb.reportedLength - h.end);
    if (desegment(p, off, ONE_MORE_SEGMENT)) return NEED_MORE;
    hdrEnd = tvb.reportedLength;
  }

  const isResponse = kind === 'response';
  let code = 0;
  let reqParts: readonly [string, string, string] | null = null;
  let respParts: readonly [string, string, string] | null = null;
  if (isResponse) {
    respParts = firstLinePartsOf(firstText);
    code = allDigits(respParts[1]) ? Number(respParts[1]) : 0;
  } else {
    reqParts = firstLinePartsOf(firstText);
  }

  const noBody = isResponse && responseHasNoBody(code, conv.lastMethod);
  const avail = tvb.reportedLength - hdrEnd;
  let bodyLen = 0;
  // The body's bytes are only looked at for Info, the tree and a typed body's Protocol column;
  // else the first pass only checks them (a body cut by the snap length must fail the same way
  // in every pass).
  const wantBody = p.cols.enabled || t !== null || mediaType !== null;
  let body: Uint8Array = NO_BODY;
  const chunks: { sizeLine: Line; size: number; data: number }[] = [];
  if (!noBody) {
    if (contentLength >= 0) {
      if (avail < contentLength && desegment(p, off, contentLength - avail)) return NEED_MORE;
      bodyLen = Math.min(contentLength, avail);
      // A body cut by the snap length stops here, as tshark's body dissector does.
      if (wantBody) body = tvb.bytes(hdrEnd, bodyLen);
      else tvb.check(hdrEnd, bodyLen);
    } else if (chunked) {
      // Chunked coding (RFC 9112 §7.1): size lines, data, a zero size, trailers, empty line.
      let c = hdrEnd;
      let complete = false;
      const parts: Uint8Array[] = [];
      let total = 0;
      for (;;) {
        const sl = findLine(tvb, c);
        if (!sl) break;
        const size = parseInt(textOf(tvb, sl).split(';')[0]!.trim() || 'x', 16);
        if (Number.isNaN(size)) {
          complete = true; // not chunked data after all: stop here
          c = sl.next;
          break;
        }
        if (size === 0) {
          let tl = findLine(tvb, sl.next);
          let end = -1;
          while (tl) {
            if (tl.len === 0) {
              end = tl.next;
              break;
            }
            tl = findLine(tvb, tl.next);
          }
          chunks.push({ sizeLine: sl, size: 0, data: sl.next });
          if (end >= 0) {
            complete = true;
            c = end;
          }
          break;
        }
        if (sl.next + size + 2 > tvb.reportedLength) break;
        chunks.push({ sizeLine: sl, size, data: sl.next });
        const take = Math.min(size, tvb.remaining(sl.next));
        parts.push(tvb.bytes(sl.next, take));
        total += take;
        c = sl.next + size + 2;
      }
      if (!complete && desegment(p, off, ONE_MORE_SEGMENT)) return NEED_MORE;
      if (!complete) c = tvb.reportedLength;
      bodyLen = c - hdrEnd;
      body = parts.length ? joinBytes(parts, total) : NO_BODY;
    } else if (isResponse) {
      // Neither length nor chunks: the body runs to the end of the connection (unless this
      // segment already carries the FIN).
      const fin = p.tcp !== null && (p.tcp.flags & 0x01) !== 0;
      if (!fin && desegment(p, off, DESEGMENT_UNTIL_FIN)) return NEED_MORE;
      bodyLen = avail;
      body = tvb.bytes(hdrEnd, Math.min(avail, tvb.remaining(hdrEnd)));
    }
  }

  // The message is complete: update the conversation, then Info and tree.
  const idx = st.msgIndex++;
  if (conv.firstMsgFrame === 0) conv.firstMsgFrame = p.num;
  if (!isResponse) conv.lastMethod = reqParts![0];
  if (!p.visited) {
    if (isResponse) {
      if (code >= 200 || code === 0 || code === 101) {
        // Interim (1xx) responses do not answer the request, but 101 Switching Protocols is the last HTTP one (RFC 9110 §15.2.2).
        conv.respond(st.exchanges, p.num, idx, p.frame.tsSec, p.frame.tsNsec);
      }
    } else {
      conv.addRequest(st.exchanges, st.exchanges.add(p.num, idx, p.frame.tsSec, p.frame.tsNsec, reqParts![1], host, conv.lastMethod));
    }
  }
  // A coded body reaches the media-type dissectors decoded, or not at all (RFC 9110 §8.4).
  // Inflating costs ~0.1-0.3 ms a body here, so the first pass of a load (no Info, no tree) does
  // not: its Protocol column takes the decoding to succeed and the text to be no XML document
  // (the app's rows take Protocol and Info from a second look, which decodes).
  const loadPass = !p.cols.enabled && t === null;
  const media = coding === null || body.length === 0 ? body : loadPass ? null : decodeBody(coding, body);
  // Only a non-empty body reaches a media-type dissector (a chunked body may decode to nothing).
  if (media !== null && media.length > 0) {
    if (p.cols.enabled) p.cols.appendInfo(bodyInfo(mediaType, media));
    p.cols.protocol += bodyProtocol(mediaType, media, 0, media.length);
  } else if (loadPass && coding !== null && body.length > 0) p.cols.protocol += typeProtocol(mediaType);

  if (t) {
    const msgLen = hdrEnd + bodyLen - off;
    t.open(F.proto, tvb, off, msgLen, null, 'Hypertext Transfer Protocol');
    firstLineTree(tvb, first!, firstText, reqParts, respParts, code, t);
    for (const h of headers!) headerTree(tvb, h, t, reqParts ? 'request' : 'response');
    if (blank) t.text(tvb, blank.start, blank.next - blank.start, '\\r\\n');
    const ex = exchangeOf(st, p, idx);
    const x = st.exchanges;
    // tshark numbers a conversation's request/response pairs and links each to its neighbours.
    // (The conversation's own record: a re-dissection's `conv` is a copy without the exchanges.)
    const whole = st.convs.get(p.tcp ? p.tcp.stream : -1);
    const at = ex >= 0 && whole ? whole.position(x, ex) : null;
    const link = (f: 'http.prev_request_in' | 'http.prev_response_in' | 'http.next_request_in' | 'http.next_response_in', frame: number) => {
      if (frame) t.add(F[f], tvb, 0, GENERATED, frame, `[${F[f].name}: ${frame}]`);
    };
    if (reqParts) {
      t.hidden(F['http.request'], true);
      const fullUri = fullUriOf(reqParts[1], host);
      t.add(F['http.request.full_uri'], tvb, 0, GENERATED, fullUri, `[Full request URI: ${fullUri}]`);
      if (at) t.add(F['http.request_number'], tvb, 0, GENERATED, at.number, `[HTTP request ${at.number}/${at.total}]`);
      if (at && at.prev >= 0) link('http.prev_request_in', x.frame[at.prev]!);
      const responseFrame = ex >= 0 ? x.responseFrame[ex]! : 0;
      if (responseFrame) t.add(F['http.response_in'], tvb, 0, GENERATED, responseFrame, `[Response in frame: ${responseFrame}]`);
      if (at && at.next >= 0) link('http.next_request_in', x.frame[at.next]!);
    } else {
      t.hidden(F['http.response'], true);
      if (ex >= 0 && at) {
        t.add(F['http.response_number'], tvb, 0, GENERATED, at.number, `[HTTP response ${at.number}/${at.total}]`);
        // A response whose request the capture lacks has no time, request or URI to show.
        const requested = x.frame[ex]! > 0;
        const timeNs = x.timeNs[ex]!;
        if (requested) t.add(F['http.time'], tvb, 0, GENERATED, timeNs / 1e9, `[Time since request: ${nsText(timeNs)} seconds]`);
        if (at.prev >= 0) {
          link('http.prev_request_in', x.frame[at.prev]!);
          link('http.prev_response_in', x.responseFrame[at.prev]!);
        }
        if (requested) t.add(F['http.request_in'], tvb, 0, GENERATED, x.frame[ex]!, `[Request in frame: ${x.frame[ex]!}]`);
        if (at.next >= 0) {
          link('http.next_request_in', x.frame[at.next]!);
          link('http.next_response_in', x.responseFrame[at.next]!);
        }
        if (requested) {
          const uri = fullUriOf(x.target(ex), x.host(ex));
          t.add(F['http.response_for.uri'], tvb, 0, GENERATED, uri, `[Request URI: ${uri}]`);
        }
      }
    }
    for (const ch of chunks) {
      t.text(tvb, ch.sizeLine.start, ch.data + ch.size + (ch.size ? 2 : 0) - ch.sizeLine.start,
        ch.size ? `Data chunk (${ch.size} octets)` : 'End of chunked encoding', true);
      t.add(F['http.chunk_size'], tvb, ch.sizeLine.start, ch.sizeLine.next - ch.sizeLine.start, ch.size, `Chunk size: ${ch.size} octets`);
      if (ch.size) t.add(F['http.chunk_data'], tvb, ch.data, ch.size, tvb.bytes(ch.data, Math.min(ch.size, tvb.remaining(ch.data))));
      t.close();
    }
    // What the media-type dissectors read: the packet's bytes, or the chunks joined, or the
    // decoded body (each a data source of its own).
    let mediaTvb: Tvb | null = null;
    if (bodyLen > 0 && body.length > 0) {
      const bodyTvb = chunked ? sourceTvb(p, 'De-chunked entity body', body) : tvb.sub(hdrEnd, bodyLen);
      if (coding === null) {
        t.add(F['http.file_data'], tvb, hdrEnd, bodyLen, body, `File Data: ${body.length} bytes`);
        mediaTvb = bodyTvb;
      } else if (media !== null) {
        t.text(bodyTvb, 0, bodyTvb.length, `Content-encoded entity body (${coding}): ${body.length} bytes -> ${media.length} bytes`);
        mediaTvb = sourceTvb(p, 'Uncompressed entity body', media);
        t.add(F['http.file_data'], mediaTvb, 0, media.length, media, `File Data: ${media.length} bytes`);
      } else {
        t.text(bodyTvb, 0, bodyTvb.length, `Content-encoded entity body (${coding}): ${body.length} bytes`, true);
        t.expert('warn', 'Decompression failed', bodyTvb, 0, bodyTvb.length, 'Undecoded');
        dissectData(bodyTvb, p);
        t.close();
      }
    } else if (bodyLen > 0) t.add(F['http.file_data'], tvb, hdrEnd, bodyLen, body, `File Data: ${body.length} bytes`);
    // An untyped body that is no image goes to the data dissector, inside HTTP's tree (tshark).
    if (mediaTvb && media && mediaType === null && !IMAGE_LAYERS[bodyInfo(null, media)]) dissectData(mediaTvb, p);
    t.close();
    // The body's dissectors, and their layers in frame.protocols (shown in the Frame subtree).
    if (mediaTvb && media) {
      if (mediaType === null) {
        // Only the image heuristics look at an untyped body.
        const image = IMAGE_LAYERS[bodyInfo(null, media)];
        if (image) p.layers.push(image);
      } else if (XML_TYPES.has(mediaType)) {
        xmlTree(mediaTvb, t);
        p.layers.push('xml');
      } else if (TEXT_LINES_TYPES.has(mediaType)) {
        p.layers.push('data-text-lines');
        if (opensXmlDocument(media, 0, media.length)) {
          xmlTree(mediaTvb, t);
          p.layers.push('xml');
        } else textLinesTree(new TextTvb(mediaTvb), t, mediaType);
      } else if (JSON_TYPES.has(mediaType)) {
        p.layers.push(...jsonTree(mediaTvb, t, mediaType));
      } else if (mediaType === 'application/x-www-form-urlencoded') {
        urlencodedFormTree(mediaTvb, t, mediaType);
        p.layers.push('urlencoded-form');
      } else if (mediaType === 'application/sdp') {
        p.layers.push('sdp');
      } else if (mediaType === 'application/octet-stream') {
        p.layers.push('data');
      } else if (mediaType.startsWith('multipart/')) {
        // Its parts are not dissected here.
        p.layers.push('mime_multipart');
      } else {
        const info = bodyInfo(mediaType, media);
        if (info === ` (${mediaType})`) {
          // No dissector took it (that Info is the fallback's): the fallback names it.
          mediaTree(t, mediaTvb, mediaParams ? `${mediaType}; ${mediaParams}` : mediaType);
          p.layers.push('media');
        } else if (IMAGE_LAYERS[info]) p.layers.push(IMAGE_LAYERS[info]);
      }
    }
  }
  return hdrEnd + bodyLen - off;
}

/** The layer (frame.protocols) of the image dissector whose Info bodyInfo gave; its tree is not shown. */
const IMAGE_LAYERS: Record<string, string> = {
  ' (GIF87a)': 'image-gif', ' (GIF89a)': 'image-gif', ' (PNG)': 'png', ' (JPEG JFIF image)': 'image-jfif',
};

/** Content codings tshark decodes (http.decompress_body): the deflate family. */
const DEFLATE_CODINGS = new Set(['gzip', 'x-gzip', 'deflate', 'x-deflate']);

/** The decoded body, or null when the coding is not one we decode or the data is not valid. */
function decodeBody(coding: string, body: Uint8Array): Uint8Array | null {
  return DEFLATE_CODINGS.has(coding.toLowerCase()) ? inflateAny(body) : null;
}

/** A view of bytes made while dissecting, shown as a data source of their own (a tab under the bytes). */
function sourceTvb(p: Packet, name: string, bytes: Uint8Array): Tvb {
  return new Tvb(bytes, 0, bytes.length, bytes.length, p.addSource(name, bytes));
}

/** http.request.full_uri: origin-form targets get the Host (RFC 9112 §3.2.1, §3.3). */
function fullUriOf(target: string, host: string | undefined): string {
  return target.startsWith('/') || target === '*' ? `http://${host ?? ''}${target}` : target;
}

function addLayer(p: Packet, st: HttpState): void {
  if (p.layers.indexOf('http', st.callLayers) < 0) p.layers.push('http');
}

function firstLineTree(tvb: Tvb, l: Line, text: string, req: readonly [string, string, string] | null, resp: readonly [string, string, string] | null,
  code: number, t: TreeSink): void {
  t.text(tvb, l.start, l.next - l.start, `${text}\\r\\n`, true);
  t.expert('chat', `${text}\\r\\n`, tvb, l.start, l.len, 'Sequence');
  if (req) {
    t.add(F['http.request.method'], tvb, l.start, req[0].length, req[0]);
    t.add(F['http.request.uri'], tvb, l.start + req[0].length + 1, req[1].length, req[1]);
    if (req[2]) t.add(F['http.request.version'], tvb, l.start + l.len - req[2].length, req[2].length, req[2]);
  } else if (resp) {
    t.add(F['http.response.version'], tvb, l.start, resp[0].length, resp[0]);
    if (code) {
      t.add(F['http.response.code'], tvb, l.start + resp[0].length + 1, 3, code);
      const desc = STATUS_TEXT[code];
      if (desc) t.add(F['http.response.code.desc'], tvb, 0, GENERATED, desc, `[Status Code Description: ${desc}]`);
    }
    if (resp[2]) t.add(F['http.response.phrase'], tvb, l.start + l.len - resp[2].length, resp[2].length, resp[2]);
  }
  t.close();
}

/**
 * One header line. tshark files every header line of a request or response under
 * http.request.line / http.response.line too: hidden behind a header it knows ("http.host"),
 * shown for one it does not. Other messages (SSDP's) keep http.unknown_header for those.
 */
function headerTree(tvb: Tvb, h: Header, t: TreeSink, kind: 'request' | 'response' | null): void {
  const l = h.line;
  const label = `${tvb.latin1(l.start, l.len)}\\r\\n`;
  const f = HEADER_FIELDS[h.name.toLowerCase()];
  const lineField = kind === 'request' ? F['http.request.line'] : kind === 'response' ? F['http.response.line'] : null;
  const lineText = tvb.latin1(l.start, l.next - l.start);
  if (f) {
    t.open(F[f], tvb, l.start, l.next - l.start, h.value, label);
    if (f === 'http.content_length_header' && /^\d+$/.test(h.value)) {
      t.add(F['http.content_length'], tvb, l.start, l.len, Number(h.value), `[Content length: ${h.value}]`);
    }
    t.close();
    if (lineField) t.hidden(lineField, lineText);
  } else if (lineField) {
    t.add(lineField, tvb, l.start, l.next - l.start, lineText, label);
  } else {
    t.add(F['http.unknown_header'], tvb, l.start, l.next - l.start, tvb.latin1(l.start, l.len), label);
  }
}

/**
 * One HTTP-formatted message in a datagram, for protocols built on HTTP's syntax over UDP
 * (SSDP): the first line and the headers, with no connection, exchange or body handling.
 * Anything else on the port is "Continuation", as tshark calls it.
 */
export function dissectHttpDatagram(tvb: Tvb, p: Packet, layer: string, protocol: string, proto: FieldDef): boolean {
  p.layers.push(layer);
  p.cols.protocol = protocol;
  const first = findLine(tvb, 0);
  const firstText = first ? textOf(tvb, first) : '';
  const kind = first ? classify(firstText) : null;
  const t = p.tree;
  if (!first || !kind) {
    p.cols.setInfo('Continuation');
    if (t) {
      t.open(proto, tvb, 0, tvb.length, null);
      t.add(F['http.file_data'], tvb, 0, tvb.length, null, `File Data: ${tvb.reportedLength} bytes`);
      t.close();
    }
    return true;
  }
  p.cols.setInfo(firstText + ' ');
  if (!t) return true;
  const headers: Header[] = [];
  const h = scanHeaders(tvb, first.next, headers);
  const blank = h.blank;
  const end = h.hdrEnd >= 0 ? h.hdrEnd : tvb.length;
  t.open(proto, tvb, 0, end, null);
  const parts = firstLinePartsOf(firstText);
  const code = kind === 'response' && allDigits(parts[1]) ? Number(parts[1]) : 0;
  firstLineTree(tvb, first, firstText, kind === 'request' ? parts : null, kind === 'response' ? parts : null, code, t);
  for (const header of headers) headerTree(tvb, header, t, kind === 'request' ? 'request' : kind === 'response' ? 'response' : null);
  if (blank) t.text(tvb, blank.start, blank.next - blank.start, '\\r\\n');
  t.close();
  return true;
}

// ---- heuristic (Wireshark's "http_tcp", enabled by default) ----

/** A first line that starts with "HTTP/1." (a response) or ends with it (a request). */
function httpHeuristic(tvb: Tvb, p: Packet): boolean {
  return looksLikeHttp(tvb) && dissectHttp(tvb, p);
}

/** A first line with "HTTP/1." at its start (a response) or its end (a request). */
function looksLikeHttp(tvb: Tvb): boolean {
  const l = findLine(tvb, 0);
  if (!l || l.len === 8 || l.len < 7) return false;
  return caseEquals(tvb, 0, 'HTTP/1.') || (l.len >= 8 && caseEquals(tvb, l.len - 8, 'HTTP/1.'));
}

/** The bytes at `off` spell `upper`, ASCII letters in either case (strncasecmp); no string is built. */
function caseEquals(tvb: Tvb, off: number, upper: string): boolean {
  for (let i = 0; i < upper.length; i++) {
    const c = tvb.u8(off + i);
    if ((c >= 0x61 && c <= 0x7a ? c - 0x20 : c) !== upper.charCodeAt(i)) return false;
  }
  return true;
}

registerTcpPayload('http', dissectHttp);
tcpLanePayloads.set(dissectHttp, httpLane);
for (const port of HTTP_PORTS) tcpPortTable.add(port, dissectHttp);
tcpHeuristics.push({
  name: 'http',
  dissect: httpHeuristic,
  // Past its first-line test the heuristic is dissectHttp, whose lane part then decides.
  laneTest: (b, off, len) => (looksLikeHttp(new Tvb(b, off, off + len, off + len)) ? 'lane' : 'no'),
  lane: httpLane,
});
