// Test-only TLS and HTTP conversations used by tls.test.ts and http.test.ts. Each builds the
// frames of one TCP connection byte by byte; the tests compare our summary lines with what
// tshark 4.0 prints for the same bytes (written to a pcap by TcpConv.pcap()).

import { deflateSync, gzipSync, zlibSync } from 'fflate';
import { bytes } from './packets.ts';
import {
  alpnExt, ALERT, APPDATA, CCS, clientHello, filler, groupsExt, handshake, HANDSHAKE, HRR_RANDOM, keyShareClient,
  ext, keyShareHrr, keyShareServer, record, serverHello, sigAlgsExt, sniExt, split, supportedVersionsClient,
  supportedVersionServer, TcpConv,
} from './tls-builders.ts';

/** A TLS 1.3-capable ClientHello with SNI example.com, ALPN h2/http1.1, supported_versions. */
export const CLIENT_HELLO = record(HANDSHAKE, 0x0301, clientHello({
  sessionId: filler(32, 3),
  extensions: [
    sniExt('example.com'),
    groupsExt([0x001d, 0x0017]),
    sigAlgsExt([0x0403, 0x0804, 0x0401]),
    alpnExt(['h2', 'http/1.1']),
    keyShareClient([[0x001d, 32]]),
    supportedVersionsClient([0x0304, 0x0303]),
  ],
}));

export const SERVER_HELLO_13 = record(HANDSHAKE, 0x0303, serverHello({
  sessionId: filler(32, 3), suite: 0x1301, extensions: [keyShareServer(0x001d, 32), supportedVersionServer(0x0304)],
}));

export const SERVER_HELLO_12 = record(HANDSHAKE, 0x0303, serverHello({ suite: 0xc02f, extensions: [alpnExt(['h2'])] }));

const CCS_REC = record(CCS, 0x0303, [1]);
const SHD = handshake(14, []);

export const TLS_SCENARIOS: Record<string, () => TcpConv> = {
  /** TLS 1.3: ClientHello, ServerHello + CCS + encrypted records, client CCS + data. */
  tls13: () => new TcpConv()
    .c(CLIENT_HELLO)
    .s(bytes(SERVER_HELLO_13, CCS_REC, record(APPDATA, 0x0303, filler(60)), record(APPDATA, 0x0303, filler(90))))
    .c(bytes(CCS_REC, record(APPDATA, 0x0303, filler(53))))
    .c(record(APPDATA, 0x0303, filler(120)))
    .s(record(APPDATA, 0x0303, filler(300))),
  /** TLS 1.2: several handshake messages and records per segment, encrypted Finished, alert. */
  tls12: () => new TcpConv()
    .c(CLIENT_HELLO)
    .s(record(HANDSHAKE, 0x0303, bytes(serverHello({ suite: 0xc02f }), handshake(12, filler(40)), SHD)))
    .c(bytes(record(HANDSHAKE, 0x0303, handshake(16, bytes([32], filler(32)))), CCS_REC, record(HANDSHAKE, 0x0303, filler(40, 7))))
    .s(bytes(record(HANDSHAKE, 0x0303, handshake(4, bytes([0, 0, 1, 0], [0, 8], filler(8)))), CCS_REC, record(HANDSHAKE, 0x0303, filler(40, 9))))
    .c(record(APPDATA, 0x0303, filler(100)))
    .s(bytes(record(APPDATA, 0x0303, filler(50)), record(APPDATA, 0x0303, filler(60))))
    .c(record(ALERT, 0x0303, filler(26))),
  /** A ServerHello with a HelloRetryRequest random, then a second ClientHello. */
  hrr: () => new TcpConv()
    .c(CLIENT_HELLO)
    .s(bytes(record(HANDSHAKE, 0x0303, serverHello({ random: HRR_RANDOM, suite: 0x1301, extensions: [keyShareHrr(0x0017), supportedVersionServer(0x0304)] })), CCS_REC))
    .c(bytes(CCS_REC, CLIENT_HELLO))
    .s(SERVER_HELLO_13),
  /** Plain alerts, an unknown description, a record version only (SSL 3.0). */
  alerts: () => new TcpConv()
    .c(record(HANDSHAKE, 0x0300, clientHello({ version: 0x0300 })))
    .s(record(ALERT, 0x0300, [2, 40]))
    .c(record(ALERT, 0x0300, [1, 0]))
    .s(record(ALERT, 0x0300, [2, 200])),
  /** One 3000-byte record over three segments, then a record that fits. */
  split3: () => {
    const [a, b, c] = split(record(APPDATA, 0x0303, filler(3000)), 1000, 1000);
    return new TcpConv().c(CLIENT_HELLO).s(SERVER_HELLO_13).s(a!).s(b!).s(bytes(c!, record(APPDATA, 0x0303, filler(20))));
  },
  /** The ClientHello over two segments (tls-clienthello-multi-segment). */
  clientHelloSplit: () => {
    const [a, b] = split(CLIENT_HELLO, 60);
    return new TcpConv().c(a!).c(b!).s(SERVER_HELLO_13);
  },
  /** A record header split between segments. */
  headerSplit: () => {
    const [a, b] = split(bytes(record(APPDATA, 0x0303, filler(20)), record(APPDATA, 0x0303, filler(30))), 27);
    return new TcpConv().c(CLIENT_HELLO).s(SERVER_HELLO_12).s(a!).s(b!);
  },
  /** A Certificate handshake message spanning three records. */
  handshakeFragments: () => {
    const [a, b, c] = split(handshake(11, filler(3000)), 1200, 1200);
    return new TcpConv()
      .c(CLIENT_HELLO)
      .s(bytes(SERVER_HELLO_12, record(HANDSHAKE, 0x0303, a!)))
      .s(record(HANDSHAKE, 0x0303, b!))
      .s(bytes(record(HANDSHAKE, 0x0303, c!), record(HANDSHAKE, 0x0303, SHD)));
  },
  /** Lost data: the continuation shows as such (TLS 1.3) or as an ignored record (TLS 1.2). */
  lostSegment: () => new TcpConv()
    .c(CLIENT_HELLO)
    .s(SERVER_HELLO_13)
    .s(record(APPDATA, 0x0303, filler(30)))
    .s(filler(30, 0x99), 500),
  ignoredRecord: () => new TcpConv().c(CLIENT_HELLO).s(SERVER_HELLO_12).s(filler(40, 0x99)),
  /** Heartbeat request in clear, encrypted heartbeat. */
  // Extensions shown field by field: status_request (RFC 6066 §8), compress_certificate (RFC 8879),
  // and an empty GREASE one (RFC 8701).
  extensions: () => new TcpConv().c(record(HANDSHAKE, 0x0301, clientHello({
    extensions: [ext(0x0a0a, []), sniExt('example.com'), ext(5, [1, 0, 0, 0, 0]), ext(27, [4, 0, 2, 0, 1])],
  }))),
  heartbeat: () => new TcpConv()
    .c(CLIENT_HELLO)
    .s(SERVER_HELLO_12)
    .c(record(24, 0x0303, bytes([1], [0, 3], [1, 2, 3], filler(16))))
    .s(record(24, 0x0303, filler(40))),
  /** An SSLv2 ClientHello (2-byte header, 3-byte cipher specs, challenge). */
  sslv2: () => new TcpConv()
    .c(bytes([0x80, 0x2e, 1], [0x00, 0x02], [0, 6], [0, 0], [0, 32], [0x07, 0x00, 0xc0, 0x05, 0x00, 0x80], filler(32)))
    .s(bytes([0x80, 0x20], filler(32, 0x11))),
  /** TLS on a port Wireshark does not assign to it (found by the heuristic). */
  heuristicPort: () => new TcpConv(50001, 4433).c(CLIENT_HELLO).s(SERVER_HELLO_13).s(record(APPDATA, 0x0303, filler(30))),
  /** Length fields that lie. */
  malformed: () => new TcpConv()
    .c(record(HANDSHAKE, 0x0301, handshake(1, filler(10), 100)))
    .s(record(ALERT, 0x0303, [2]))
    .s(record(HANDSHAKE, 0x0303, serverHello({ extensions: [bytes([0, 43, 0, 40], [3, 4])] }))),
};

const get = (path: string, extra = '') => `GET ${path} HTTP/1.1\r\nHost: example.com\r\nUser-Agent: test/1.0\r\n${extra}\r\n`;

function resp(status: string, contentType: string | null, body: string | Uint8Array): Uint8Array {
  const b = typeof body === 'string' ? new TextEncoder().encode(body) : body;
  return bytes(`HTTP/1.1 ${status}\r\n${contentType ? `Content-Type: ${contentType}\r\n` : ''}Content-Length: ${b.length}\r\n\r\n`, b);
}

const XML_DOC = '<?xml version="1.0" encoding="UTF-8"?><a>hello</a>';
const TWO_LINES = bytes('line one\r\nline two\r\n');
export const JSON_BODIES = [
  '{"a": {"b": [1, {"c": null}], "d": false}, "e": [], "f": {}, "g": "x\\"y\\u00e9\\n", "h": -1.5e3, "i": true}',
  '[1, "two", [3]]',
  '{"a": 1,',
  '"just a string"',
  '{"a":1} trailing',
  '[' .repeat(5000),
];

function codedResp(coding: string, contentType: string, body: Uint8Array): Uint8Array {
  return bytes(`HTTP/1.1 200 OK\r\nContent-Type: ${contentType}\r\nContent-Encoding: ${coding}\r\nContent-Length: ${body.length}\r\n\r\n`, body);
}
const GIF = bytes('GIF89a', [1, 0, 1, 0, 0x80, 0, 0], filler(13));

export const HTTP_SCENARIOS: Record<string, () => TcpConv> = {
  get: () => new TcpConv(40000, 80).c(get('/')).s(resp('200 OK', 'text/html; charset=utf-8', '<html></html>')),
  /** A response with Content-Length over three segments. */
  contentLengthSplit: () => {
    const [a, b, c] = split(resp('200 OK', 'text/html', 'x'.repeat(3000)), 1400, 1400);
    return new TcpConv(40000, 80).c(get('/')).s(a!).s(b!).s(c!);
  },
  chunked: () => new TcpConv(40000, 80)
    .c(get('/c'))
    .s('HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n')
    .s('6\r\n world\r\n0\r\n\r\n'),
  pipelined: () => new TcpConv(40000, 80)
    .c(get('/a') + get('/b'))
    .s(bytes(resp('200 OK', 'text/plain', 'aa'), resp('404 Not Found', 'text/html', 'bbb'), 'HTTP/1.1 200 OK\r\nContent-Le'))
    .s('ngth: 3\r\n\r\nabc'),
  post: () => new TcpConv(40000, 80)
    .c('POST /form HTTP/1.1\r\nHost: a\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: 10\r\n\r\na=1&')
    .c('b=2&c')
    .s(resp('200 OK', 'application/json', '{"ok":true}')),
  noBody: () => new TcpConv(40000, 80)
    .c(get('/', 'If-None-Match: "x"\r\n'))
    .s('HTTP/1.1 304 Not Modified\r\nETag: "x"\r\n\r\n')
    .c('HEAD / HTTP/1.1\r\nHost: a\r\n\r\n')
    .s('HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nContent-Length: 100\r\n\r\n'),
  media: () => new TcpConv(40000, 80)
    .c(get('/a.gif')).s(resp('200 OK', 'image/gif', GIF))
    .c(get('/b')).s(resp('200 OK', 'text/xml', '<a/>'))
    .c(get('/c')).s(resp('200 OK', 'application/octet-stream', 'zz'))
    .c(get('/d')).s(resp('200 OK', null, GIF)),
  /**
   * Bodies that other dissectors name in the Protocol column: an XML document under a line-based
   * text type (longer than 38 bytes) or inside JSON, too short a one, a type with no such
   * dissector, SDP.
   */
  bodyTypes: () => new TcpConv(40000, 80)
    .c(get('/e')).s(resp('200 OK', 'text/html', XML_DOC))
    .c(get('/f')).s(resp('200 OK', 'text/html', '<?XML v="1"?><a/>'))
    .c(get('/g')).s(resp('200 OK', 'application/json', XML_DOC))
    .c(get('/h')).s(resp('200 OK', 'text/x-c', XML_DOC))
    .c(get('/i')).s(resp('200 OK', 'application/sdp', 'v=0\r\n')),
  /**
   * Coded bodies (RFC 9110 §8.4): gzip, deflate in its zlib and raw wrappings, gzip cut inside
   * the stream, a coding tshark does not decode, an XML document and JSON under gzip.
   */
  coded: () => new TcpConv(40000, 80)
    .c(get('/1')).s(codedResp('gzip', 'text/plain', gzipSync(TWO_LINES)))
    .c(get('/2')).s(codedResp('deflate', 'text/plain', zlibSync(TWO_LINES)))
    .c(get('/3')).s(codedResp('deflate', 'text/plain', deflateSync(TWO_LINES)))
    .c(get('/4')).s(codedResp('gzip', 'text/plain', bytes([0x1f, 0x8b, 8, 0], new Uint8Array(20).fill(0x41))))
    .c(get('/5')).s(codedResp('compress', 'text/plain', TWO_LINES))
    .c(get('/6')).s(codedResp('gzip', 'text/html', gzipSync(bytes(XML_DOC))))
    .c(get('/7')).s(codedResp('x-gzip', 'application/json', gzipSync(bytes('{"a":1}')))),
  /** JSON bodies: nested values of every kind, a top-level array, and texts that are not (all) JSON. */
  json: () => {
    const conv = new TcpConv(40000, 80);
    for (const body of JSON_BODIES) conv.c(get('/j')).s(resp('200 OK', 'application/json', body));
    return conv;
  },
  /** Not HTTP before any request; "Continuation" after one. */
  continuation: () => new TcpConv(40000, 80)
    .c('hello there\r\n')
    .c(get('/'))
    .s(resp('200 OK', 'text/plain', 'hi'))
    .s('more data\r\n'),
  /** HTTP on a port Wireshark does not assign to it (found by the heuristic). */
  otherPort: () => new TcpConv(40001, 8000).c(get('/x')).s(resp('200 OK', 'text/plain', 'hi')).c(get('/y')),
  /** A header block split in the middle of a line. */
  headerSplit: () => new TcpConv(40000, 80).c('GET / HTTP/1.1\r\nHost: exa').c('mple.com\r\n\r\n').s(resp('204 No Content', null, '')),
};
