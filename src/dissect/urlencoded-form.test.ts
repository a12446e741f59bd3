import { describe, expect, it } from 'vitest';
import { decodeFrames, treeText } from './testing/packets.ts';
import { TcpConv } from './testing/tls-builders.ts';

// Expected trees: what tshark 4.0.17 -V shows for the same bytes.

function formTrees(bodies: string[]): string[] {
  const c = new TcpConv(40000, 80);
  for (const body of bodies) {
    c.c(`POST /f HTTP/1.1\r\nHost: a\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\n\r\n${body}`)
      .s('HTTP/1.1 204 No Content\r\n\r\n');
  }
  const cap = decodeFrames(c.frames);
  return bodies.map((_, i) => {
    const text = treeText(cap.tree(2 * i + 1).items).replace(/ {2}\{[^}]*\}$/gm, '');
    return text.slice(text.indexOf('HTML Form'));
  });
}

describe('HTML form data', () => {
  it('lists the items, %XX and + decoded, a key up to "=" and a value up to "&"', () => {
    const [login, odd] = formTrees(['user=alice&pass=s%20cr%2Bt+x&empty=&flag&a=b=c', 'k%C3%A9y=v%00w&x=1&&b=2']);
    expect(login).toBe([
      'HTML Form URL Encoded: application/x-www-form-urlencoded',
      '  Form item: "user" = "alice"', '    Key: user', '    Value: alice',
      '  Form item: "pass" = "s cr+t x"', '    Key: pass', '    Value: s cr+t x',
      '  Form item: "empty" = ""', '    Key: empty', '    Value: ',
      '  Form item: "flag&a" = "b=c"', '    Key: flag&a', '    Value: b=c',
      '',
    ].join('\n'));
    expect(odd).toBe([
      'HTML Form URL Encoded: application/x-www-form-urlencoded',
      '  Form item: "kéy" = "v"', '    Key: kéy', '    Value: v',
      '  Form item: "x" = "1"', '    Key: x', '    Value: 1',
      '  Form item: "&b" = "2"', '    Key: &b', '    Value: 2',
      '',
    ].join('\n'));
  });

  it('stops where tshark stops: a "%" without two hex digits', () => {
    const [badValue, badKey] = formTrees(['a=%zz&b=2', 'a%2=1']);
    expect(badValue).toBe('HTML Form URL Encoded: application/x-www-form-urlencoded\n  Form item: "a"\n    Key: a\n');
    expect(badKey).toBe('HTML Form URL Encoded: application/x-www-form-urlencoded\n  Form item\n');
  });
});
