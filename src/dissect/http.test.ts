import { gzipSync, zlibSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { httpKeepAlive } from './testing/tcp-frames.ts';
import { bytes, decodeFrames, lines, treeText } from './testing/packets.ts';
import { TcpConv } from './testing/tls-builders.ts';
import { HTTP_SCENARIOS } from './testing/tls-scenarios.ts';

// Expected lines: tshark 4.0.17's output for the same bytes
// (`tshark -r FILE -n -o tcp.relative_sequence_numbers:TRUE` on TcpConv.pcap()).
const TSHARK: Record<string, string[]> = {
  get: [
    '    1   0.000000    192.0.2.1 → 198.51.100.7 HTTP 113 GET / HTTP/1.1 ',
    '    2   0.001000 198.51.100.7 → 192.0.2.1    HTTP 146 HTTP/1.1 200 OK  (text/html)',
  ],
  contentLengthSplit: [
    '    1   0.000000    192.0.2.1 → 198.51.100.7 HTTP 113 GET / HTTP/1.1 ',
    '    2   0.001000 198.51.100.7 → 192.0.2.1    TCP 1454 HTTP/1.1 200 OK  [TCP segment of a reassembled PDU]',
    '    3   0.002000 198.51.100.7 → 192.0.2.1    TCP 1454 80 → 40000 [PSH, ACK] Seq=1401 Ack=60 Win=64240 Len=1400 [TCP segment of a reassembled PDU]',
    '    4   0.003000 198.51.100.7 → 192.0.2.1    HTTP 320 HTTP/1.1 200 OK  (text/html)',
  ],
  chunked: [
    '    1   0.000000    192.0.2.1 → 198.51.100.7 HTTP 114 GET /c HTTP/1.1 ',
    '    2   0.001000 198.51.100.7 → 192.0.2.1    TCP 137 HTTP/1.1 200 OK  [TCP segment of a reassembled PDU]',
    '    3   0.002000 198.51.100.7 → 192.0.2.1    HTTP 70 HTTP/1.1 200 OK  (text/plain)',
  ],
  pipelined: [
    '    1   0.000000    192.0.2.1 → 198.51.100.7 HTTP 174 GET /a HTTP/1.1 GET /b HTTP/1.1 ',
    '    2   0.001000 198.51.100.7 → 192.0.2.1    HTTP 220 HTTP/1.1 200 OK  (text/plain)HTTP/1.1 404 Not Found  (text/html)HTTP/1.1 200 OK ',
    '    3   0.002000 198.51.100.7 → 192.0.2.1    HTTP 68 HTTP/1.1 200 OK ',
  ],
  post: [
    '    1   0.000000    192.0.2.1 → 198.51.100.7 TCP 159 POST /form HTTP/1.1  [TCP segment of a reassembled PDU]',
    '    2   0.001000    192.0.2.1 → 198.51.100.7 TCP 59 40000 → 80 [PSH, ACK] Seq=106 Ack=1 Win=64240 Len=5 [TCP segment of a reassembled PDU]',
    '    3   0.002000 198.51.100.7 → 192.0.2.1    HTTP/JSON 136 HTTP/1.1 200 OK , JavaScript Object Notation (application/json)',
  ],
  noBody: [
    '    1   0.000000    192.0.2.1 → 198.51.100.7 HTTP 133 GET / HTTP/1.1 ',
    '    2   0.001000 198.51.100.7 → 192.0.2.1    HTTP 94 HTTP/1.1 304 Not Modified ',
    '    3   0.002000    192.0.2.1 → 198.51.100.7 HTTP 82 HEAD / HTTP/1.1 ',
    '    4   0.003000 198.51.100.7 → 192.0.2.1    HTTP 119 HTTP/1.1 200 OK ',
  ],
  media: [
    '    1   0.000000    192.0.2.1 → 198.51.100.7 HTTP 118 GET /a.gif HTTP/1.1 ',
    '    2   0.001000 198.51.100.7 → 192.0.2.1    HTTP 144 HTTP/1.1 200 OK  (GIF89a)',
    '    3   0.002000    192.0.2.1 → 198.51.100.7 HTTP 114 GET /b HTTP/1.1 ',
    '    4   0.003000 198.51.100.7 → 192.0.2.1    HTTP/XML 120 HTTP/1.1 200 OK ',
    '    5   0.004000    192.0.2.1 → 198.51.100.7 HTTP 114 GET /c HTTP/1.1 ',
    '    6   0.005000 198.51.100.7 → 192.0.2.1    HTTP 134 HTTP/1.1 200 OK ',
    '    7   0.006000    192.0.2.1 → 198.51.100.7 HTTP 114 GET /d HTTP/1.1 ',
    '    8   0.007000 198.51.100.7 → 192.0.2.1    HTTP 119 HTTP/1.1 200 OK  (GIF89a)',
  ],
  bodyTypes: [
    '    1   0.000000    192.0.2.1 → 198.51.100.7 HTTP 114 GET /e HTTP/1.1 ',
    '    2   0.001000 198.51.100.7 → 192.0.2.1    HTTP/XML 168 HTTP/1.1 200 OK ',
    '    3   0.002000    192.0.2.1 → 198.51.100.7 HTTP 114 GET /f HTTP/1.1 ',
    '    4   0.003000 198.51.100.7 → 192.0.2.1    HTTP 135 HTTP/1.1 200 OK  (text/html)',
    '    5   0.004000    192.0.2.1 → 198.51.100.7 HTTP 114 GET /g HTTP/1.1 ',
    '    6   0.005000 198.51.100.7 → 192.0.2.1    HTTP/JSON/XML 175 HTTP/1.1 200 OK , JavaScript Object Notation',
    '    7   0.006000    192.0.2.1 → 198.51.100.7 HTTP 114 GET /h HTTP/1.1 ',
    '    8   0.007000 198.51.100.7 → 192.0.2.1    HTTP 167 HTTP/1.1 200 OK  (text/x-c)',
    '    9   0.008000    192.0.2.1 → 198.51.100.7 HTTP 114 GET /i HTTP/1.1 ',
    '   10   0.009000 198.51.100.7 → 192.0.2.1    HTTP/SDP 128 HTTP/1.1 200 OK ',
  ],
  coded: [
    '    1   0.000000    192.0.2.1 → 198.51.100.7 HTTP 114 GET /1 HTTP/1.1 ',
    '    2   0.001000 198.51.100.7 → 192.0.2.1    HTTP 179 HTTP/1.1 200 OK  (text/plain)',
    '    3   0.002000    192.0.2.1 → 198.51.100.7 HTTP 114 GET /2 HTTP/1.1 ',
    '    4   0.003000 198.51.100.7 → 192.0.2.1    HTTP 170 HTTP/1.1 200 OK  (text/plain)',
    '    5   0.004000    192.0.2.1 → 198.51.100.7 HTTP 114 GET /3 HTTP/1.1 ',
    '    6   0.005000 198.51.100.7 → 192.0.2.1    HTTP 164 HTTP/1.1 200 OK  (text/plain)',
    '    7   0.006000    192.0.2.1 → 198.51.100.7 HTTP 114 GET /4 HTTP/1.1 ',
    '    8   0.007000 198.51.100.7 → 192.0.2.1    HTTP 167 HTTP/1.1 200 OK ',
    '    9   0.008000    192.0.2.1 → 198.51.100.7 HTTP 114 GET /5 HTTP/1.1 ',
    '   10   0.009000 198.51.100.7 → 192.0.2.1    HTTP 167 HTTP/1.1 200 OK ',
    '   11   0.010000    192.0.2.1 → 198.51.100.7 HTTP 114 GET /6 HTTP/1.1 ',
    '   12   0.011000 198.51.100.7 → 192.0.2.1    HTTP/XML 212 HTTP/1.1 200 OK ',
    '   13   0.012000    192.0.2.1 → 198.51.100.7 HTTP 114 GET /7 HTTP/1.1 ',
    '   14   0.013000 198.51.100.7 → 192.0.2.1    HTTP/JSON 178 HTTP/1.1 200 OK , JavaScript Object Notation (application/json)',
  ],
  continuation: [
    '    1   0.000000    192.0.2.1 → 198.51.100.7 TCP 67 40000 → 80 [PSH, ACK] Seq=1 Ack=1 Win=64240 Len=13',
    '    2   0.001000    192.0.2.1 → 198.51.100.7 HTTP 113 GET / HTTP/1.1 ',
    '    3   0.002000 198.51.100.7 → 192.0.2.1    HTTP 120 HTTP/1.1 200 OK  (text/plain)',
    '    4   0.003000 198.51.100.7 → 192.0.2.1    HTTP 65 Continuation',
  ],
  otherPort: [
    '    1   0.000000    192.0.2.1 → 198.51.100.7 HTTP 114 GET /x HTTP/1.1 ',
    '    2   0.001000 198.51.100.7 → 192.0.2.1    HTTP 120 HTTP/1.1 200 OK  (text/plain)',
    '    3   0.002000    192.0.2.1 → 198.51.100.7 HTTP 114 GET /y HTTP/1.1 ',
  ],
  headerSplit: [
    '    1   0.000000    192.0.2.1 → 198.51.100.7 TCP 79 GET / HTTP/1.1  [TCP segment of a reassembled PDU]',
    '    2   0.001000    192.0.2.1 → 198.51.100.7 HTTP 66 GET / HTTP/1.1 ',
    '    3   0.002000 198.51.100.7 → 192.0.2.1    HTTP 100 HTTP/1.1 204 No Content ',
  ],
};

describe('HTTP summary lines match tshark 4.0', () => {
  for (const [name, want] of Object.entries(TSHARK)) {
    it(name, () => {
      const cap = decodeFrames(HTTP_SCENARIOS[name]!().frames);
      expect(lines(cap)).toEqual(want);
      expect(cap.decoder.state.dissectorBugs).toBe(0);
    });
  }
});

describe('HTTP fields', () => {
  it('request and response fields, request/response matching, time', () => {
    const cap = decodeFrames(HTTP_SCENARIOS.get!().frames);
    const req = cap.fields(1);
    expect(req.get('http.request.method')).toEqual(['GET']);
    expect(req.get('http.request.uri')).toEqual(['/']);
    expect(req.get('http.request.version')).toEqual(['HTTP/1.1']);
    expect(req.get('http.host')).toEqual(['example.com']);
    expect(req.get('http.user_agent')).toEqual(['test/1.0']);
    expect(req.get('http.request.full_uri')).toEqual(['http://example.com/']);
    expect(req.get('http.response_in')).toEqual([2]);
    const resp = cap.fields(2);
    expect(resp.get('http.response.code')).toEqual([200]);
    expect(resp.get('http.response.phrase')).toEqual(['OK']);
    expect(resp.get('http.content_type')).toEqual(['text/html; charset=utf-8']);
    expect(resp.get('http.content_length')).toEqual([13]);
    expect(resp.get('http.request_in')).toEqual([1]);
    expect(resp.get('http.response_for.uri')).toEqual(['http://example.com/']);
    expect(resp.get('http.time')).toEqual([0.001]);
  });

  it('takes header values without the whitespace around them', () => {
    const conv = new TcpConv(40000, 80)
      .c('GET /x HTTP/1.1\r\nHost:\t example.com \t\r\n\r\n')
      .s('HTTP/1.1 200 OK\r\nContent-Type:  text/plain ;charset=x\r\nContent-Length: \t5 \r\n\r\nhello');
    const cap = decodeFrames(conv.frames);
    expect(cap.fields(1).get('http.request.full_uri')).toEqual(['http://example.com/x']);
    expect(cap.fields(2).get('http.response_for.uri')).toEqual(['http://example.com/x']);
    // the whole body by Content-Length, and the media type without its parameters
    expect(cap.rows[1]!.info).toBe('HTTP/1.1 200 OK  (text/plain)');
  });

  it('matches pipelined responses to requests in order', () => {
    const cap = decodeFrames(HTTP_SCENARIOS.pipelined!().frames);
    expect(cap.fields(1).get('http.response_in')).toEqual([2, 2]);
    expect(cap.fields(2).get('http.response.code')).toEqual([200, 404]);
    expect(cap.fields(2).get('http.request_in')).toEqual([1, 1]);
  });

  it('numbers and links the exchanges of a connection as tshark -2 does, header lines filed as request lines', () => {
    // tshark -2 -T fields -e http.request_number -e http.response_number -e http.prev_request_in … on the same bytes.
    const cap = decodeFrames(httpKeepAlive());
    const f = (n: number, k: string) => cap.fields(n).get(k);
    expect([f(1, 'http.request_number'), f(1, 'http.next_request_in'), f(1, 'http.response_in')]).toEqual([[1], [3], [2]]);
    expect([f(2, 'http.response_number'), f(2, 'http.next_request_in'), f(2, 'http.next_response_in'), f(2, 'http.request_in')]).toEqual([[1], [3], [4], [1]]);
    expect([f(3, 'http.request_number'), f(3, 'http.prev_request_in'), f(3, 'http.response_in')]).toEqual([[2], [1], [4]]);
    expect([f(4, 'http.response_number'), f(4, 'http.prev_request_in'), f(4, 'http.prev_response_in'), f(4, 'http.request_in')]).toEqual([[2], [1], [2], [3]]);
    // A response whose request the capture lacks is an exchange of its own, with no request to link.
    expect([f(5, 'http.response_number'), f(5, 'http.request_in')]).toEqual([[1], undefined]);
    expect(f(1, 'http.request.line')).toEqual(['Host: example.com\r\n', 'X-Trace: 1\r\n']);
    expect(f(1, 'http.request')).toEqual([true]);
    const tree = treeText(cap.tree(1).items);
    expect(tree).toContain('[HTTP request 1/2]');
    expect(tree).toContain('X-Trace: 1\\r\\n  {http.request.line}');
    expect(tree).not.toContain('{http.request}');
  });

  it('reassembles a body over segments (fields on the last one)', () => {
    const cap = decodeFrames(HTTP_SCENARIOS.contentLengthSplit!().frames);
    const f = cap.fields(4);
    expect(f.get('http.content_length')).toEqual([3000]);
    expect(f.get('http.request_in')).toEqual([1]);
  });

  it('shows a text body a line at a time, decoded when it is coded, and names other types, as tshark -V does', () => {
    const after = (text: string, from: string) => text.slice(text.indexOf(from));
    const plain = treeText(decodeFrames(HTTP_SCENARIOS.chunked!().frames).tree(3).items);
    expect(after(plain, 'File Data')).toBe(
      'File Data: 11 bytes  {http.file_data}\n' +
      'Line-based text data: text/plain (1 lines)  {data-text-lines}\n' +
      '  hello world\n',
    );
    const coded = decodeFrames(HTTP_SCENARIOS.coded!().frames);
    const tree = (n: number) => treeText(coded.tree(n).items);
    expect(after(tree(2), 'Content-encoded')).toBe(
      'Content-encoded entity body (gzip): 36 bytes -> 20 bytes\n' +
      '  File Data: 20 bytes  {http.file_data}\n' +
      'Line-based text data: text/plain (2 lines)  {data-text-lines}\n' +
      '  line one\\r\\n\n' +
      '  line two\\r\\n\n',
    );
    expect(after(tree(8), 'Content-encoded')).toBe(
      'Content-encoded entity body (gzip): 24 bytes\n' +
      '    [Expert Info (Warning/Undecoded): Decompression failed]\n' +
      '      [Decompression failed]\n' +
      '      [Severity level: Warning]\n' +
      '      [Group: Undecoded]\n' +
      '    Data (24 bytes)  {data}\n' +
      '      Data: 1f8b08004141414141414141414141414141414141414141  {data.data}\n' +
      '      Length: 24  {data.len}\n',
    );
    // A type no dissector takes: the fallback names it.
    const typed = decodeFrames(HTTP_SCENARIOS.bodyTypes!().frames);
    expect(after(treeText(typed.tree(8).items), 'File Data')).toBe(
      'File Data: 50 bytes  {http.file_data}\n' +
      'Media Type  {media}\n' +
      '  Media type: text/x-c (50 bytes)  {media.type}\n',
    );
    // The decoded body is a data source of its own, as the bytes pane shows it.
    expect(coded.tree(2).packet.sources.map((s) => s.name)).toEqual(['Frame', 'Uncompressed entity body']);
  });

  it('lists the body\'s dissectors in frame.protocols as tshark does', () => {
    const protocols = (name: string, frames: number[]) => {
      const cap = decodeFrames(HTTP_SCENARIOS[name]!().frames);
      return frames.map((n) => String(cap.fields(n).get('frame.protocols')?.[0]).replace('eth:ethertype:ip:tcp:http', ''));
    };
    // tshark -T fields -e frame.protocols on the same bytes.
    expect(protocols('bodyTypes', [2, 4, 6, 8, 10])).toEqual([':data-text-lines:xml', ':data-text-lines', ':json:data-text-lines:xml', ':media', ':sdp']);
    expect(protocols('coded', [2, 8, 10, 12, 14])).toEqual([':data-text-lines', ':data', ':data', ':data-text-lines:xml', ':json']);
    expect(protocols('json', [2, 6, 10])).toEqual([':json', ':json:data-text-lines', ':json:data-text-lines']);
    expect(protocols('media', [2, 4, 6, 8])).toEqual([':image-gif', ':xml', ':data', ':image-gif']);
  });

  it('snapshot of a request and a chunked response', () => {
    const cap = decodeFrames(HTTP_SCENARIOS.chunked!().frames);
    // Only the HTTP layer: the layers below belong to other tests.
    const http = (n: number) => treeText(cap.tree(n).items.filter((i) => i.field === 'http'));
    expect(http(1)).toMatchSnapshot();
    expect(http(3)).toMatchSnapshot();
  });
});

describe('HTTP malformed input', () => {
  it('survives lying lengths, bad chunk sizes and binary data', () => {
    const c = new TcpConv(40000, 80)
      .c('GET / HTTP/1.1\r\nContent-Length: 99999999999\r\n\r\nabc')
      .s('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n')
      .s(bytes([0, 1, 2, 3, 0xff]))
      .c('GET / HTTP/1.1\r\nHost: a\r\n' + ':'.repeat(3000) + '\r\n\r\n');
    const cap = decodeFrames(c.frames);
    for (let n = 1; n <= c.frames.length; n++) cap.tree(n);
    expect(cap.decoder.state.dissectorBugs).toBe(0);
  });

  it('survives hostile typed and coded bodies: mangled JSON, forms, gzip and deflate', () => {
    // A fixed pseudo-random sequence (the same bodies every run).
    let seed = 12345;
    const rand = (n: number) => {
      seed = (seed * 1103515245 + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    const samples = [bytes('{"a": [1, {"b": "c\\u00e9"}], "d": -1.5e3}'), bytes('a=1&b=%41%zz+c&&=x'), gzipSync(bytes('{"k": [true, null]}')), zlibSync(bytes('line\r\n'))];
    const types = ['application/json', 'application/x-www-form-urlencoded', 'text/plain', 'application/octet-stream'];
    const codings = [null, 'gzip', 'deflate', 'x-gzip'];
    const c = new TcpConv(40000, 80);
    for (let i = 0; i < 300; i++) {
      const body = samples[rand(samples.length)]!.slice();
      // Flip, cut or repeat bytes.
      for (let k = rand(4); k > 0; k--) body[rand(body.length)] = rand(256);
      const cut = rand(3) === 0 ? body.subarray(0, rand(body.length + 1)) : body;
      const coding = codings[rand(codings.length)];
      c.c('GET / HTTP/1.1\r\nHost: a\r\n\r\n').s(bytes(
        `HTTP/1.1 200 OK\r\nContent-Type: ${types[rand(types.length)]}\r\n${coding ? `Content-Encoding: ${coding}\r\n` : ''}Content-Length: ${cut.length}\r\n\r\n`, cut));
    }
    const cap = decodeFrames(c.frames);
    for (let n = 2; n <= c.frames.length; n += 2) cap.tree(n);
    expect(cap.rows.filter((r) => r.info.startsWith('HTTP/1.1 200 OK'))).toHaveLength(300);
    expect(cap.decoder.state.dissectorBugs).toBe(0);
  });
});
