// frame.protocols ("[Protocols in frame: …]"), the layers a frame went through, as tshark 4.0.17
// lists them for the same bytes (tshark -T fields -e frame.protocols): one entry per dissector
// call, none for the payload protocol of a "[TCP segment of a reassembled PDU]" that completed
// nothing when that protocol adds none (HTTP), bodies nobody dissects as "data".

import { describe, expect, it } from 'vitest';
import { bytes, decodeFrames } from './testing/packets.ts';
import { APPDATA, filler, record, split, TcpConv } from './testing/tls-builders.ts';
import { CLIENT_HELLO, HTTP_SCENARIOS, SERVER_HELLO_12 } from './testing/tls-scenarios.ts';

function protocols(frames: Uint8Array[]): string[] {
  const cap = decodeFrames(frames);
  return frames.map((_, i) => (cap.fields(i + 1, new Set(['frame.protocols'])).get('frame.protocols')?.[0] as string).replace('eth:ethertype:ip:tcp', '…tcp'));
}

describe('frame.protocols', () => {
  it('lists HTTP as tshark does: not on segments that only start a message, once per call, data for untyped bodies', () => {
    expect(protocols(HTTP_SCENARIOS.headerSplit!().frames)).toEqual(['…tcp', '…tcp:http', '…tcp:http']);
    expect(protocols(HTTP_SCENARIOS.contentLengthSplit!().frames)).toEqual(['…tcp:http', '…tcp', '…tcp', '…tcp:http:data-text-lines']);
    expect(protocols(HTTP_SCENARIOS.pipelined!().frames)).toEqual(['…tcp:http', '…tcp:http:data-text-lines:data-text-lines', '…tcp:http:data']);
    expect(protocols(HTTP_SCENARIOS.continuation!().frames)).toEqual(['…tcp', '…tcp:http', '…tcp:http:data-text-lines', '…tcp:http:data']);
    expect(protocols(HTTP_SCENARIOS.chunked!().frames)).toEqual(['…tcp:http', '…tcp', '…tcp:http:data-text-lines']);
  });

  it('lists TLS once per call: a reassembled record and the records after it read tls:tls', () => {
    const [a, b] = split(record(APPDATA, 0x0303, filler(200)), 120);
    const [c, d] = split(record(APPDATA, 0x0303, filler(90)), 30);
    const conv = new TcpConv().c(CLIENT_HELLO).s(SERVER_HELLO_12).s(a!).s(bytes(b!, record(APPDATA, 0x0303, filler(40))))
      .s(c!).s(d!).s(bytes(record(APPDATA, 0x0303, filler(20)), c!)).s(d!);
    expect(protocols(conv.frames)).toEqual(['…tcp:tls', '…tcp:tls', '…tcp:tls', '…tcp:tls:tls', '…tcp:tls', '…tcp:tls', '…tcp:tls', '…tcp:tls']);
  });
});
