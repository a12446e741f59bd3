import { describe, expect, it } from 'vitest';
import { decodeFrames, treeText } from './testing/packets.ts';
import { TcpConv } from './testing/tls-builders.ts';
import { HTTP_SCENARIOS } from './testing/tls-scenarios.ts';

// Expected trees: what tshark 4.0.17 -V shows for the same bytes (HTTP_SCENARIOS.json.pcap()).

/** The JSON layer of a frame and what follows it, with field names. */
function jsonPart(cap: ReturnType<typeof decodeFrames>, n: number): string {
  const text = treeText(cap.tree(n).items);
  return text.slice(text.indexOf('JavaScript Object Notation'));
}

describe('JSON bodies', () => {
  const cap = decodeFrames(HTTP_SCENARIOS.json!().frames);

  it('shows members, values and their paths as tshark does', () => {
    const tree = jsonPart(cap, 2);
    expect(tree).toMatchSnapshot();
    // Lines tshark prints, field names aside.
    const lines = tree.split('\n').map((l) => l.replace(/ {2}\{[^}]*\}$/, '').trim());
    for (const want of [
      'JavaScript Object Notation: application/json',
      'Member: a',
      '[Path with value: /a/b/[]:1]',
      '[Member with value: []:1]',
      '[Path with value: /a/b/[]/c:null]',
      'Null value',
      '[Path: /a/b/[]/c]',
      'False value',
      '[Path with value: /g:x"yé\\n]',
      'String value: x"yé\\n',
      'Number value: -1.5e3',
      'True value',
      'Key: i',
    ]) expect(lines).toContain(want);
  });

  it('walks a top-level array; text that is not JSON goes to the line-based text dissector', () => {
    expect(jsonPart(cap, 4)).toContain('[Path with value: /[]/[]:3]  {json.path_with_value}');
    // Not a whole value, a lone string: an empty JSON layer, then the text.
    for (const n of [6, 8]) {
      const lines = jsonPart(cap, n).split('\n');
      expect(lines[0]).toBe('JavaScript Object Notation: application/json  {json}');
      expect(lines[1]).toBe('Line-based text data: application/json (1 lines)  {data-text-lines}');
    }
    // After a whole value, the rest.
    expect(jsonPart(cap, 10)).toContain('Line-based text data: application/json (1 lines)  {data-text-lines}\n  trailing\n');
    expect(cap.fields(2).get('json.value.number')).toEqual(['1', '-1.5e3']);
  });

  it('gives up on nesting where tshark does, and on any depth without exhausting the stack', () => {
    const nested = (n: number, inner: string) => '['.repeat(n) + inner + ']'.repeat(n);
    const bodies = [nested(25, ''), nested(26, ''), nested(23, '1'), nested(24, '1'), nested(22, '{"a":[]}'), nested(23, '{"a":[]}'), nested(100_000, '')];
    const conv = new TcpConv(40000, 80);
    for (const body of bodies) {
      conv.c('GET / HTTP/1.1\r\nHost: a\r\n\r\n').s(`HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
    }
    const deep = decodeFrames(conv.frames);
    const isJson = (n: number) => jsonPart(deep, n).split('\n')[1]!.startsWith('  Array');
    expect(bodies.map((_, i) => isJson(2 * i + 2))).toEqual([true, false, true, false, true, false, false]);
  });
});
