import { describe, expect, it } from 'vitest';
import { decodeFrames, treeText } from './testing/packets.ts';
import { TcpConv } from './testing/tls-builders.ts';

// Expected trees: what tshark 4.0.17 -V shows for the same bytes (two spaces per level here,
// four there).

function xmlTrees(bodies: string[]): string[] {
  const c = new TcpConv(40000, 80);
  for (const body of bodies) {
    c.c('GET / HTTP/1.1\r\nHost: a\r\n\r\n').s(`HTTP/1.1 200 OK\r\nContent-Type: application/xml\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
  }
  const cap = decodeFrames(c.frames);
  expect(cap.decoder.state.dissectorBugs).toBe(0);
  return bodies.map((_, i) => {
    const text = treeText(cap.tree(2 * i + 2).items).replace(/ {2}\{[^}]*\}$/gm, '');
    return text.slice(text.indexOf('eXtensible Markup Language'));
  });
}

describe('XML bodies', () => {
  it('shows instructions, tags with their attributes, content and end tags as tshark does', () => {
    const [doc] = xmlTrees([
      '<?xml version="1.0"?>\n<a x="1" y=\'2\'>\n  <b>text one</b>\n  <c/>\n  <d k="v"/>\n  <!-- a comment -->\n' +
        '  <e>line1\nline2</e>\n  <f><![CDATA[raw <stuff>]]></f>\n  text &amp; more\n</a>\n',
    ]);
    expect(doc).toBe([
      'eXtensible Markup Language',
      '  <?xml', '    version="1.0"', '    ?>',
      '  <a', '    x="1"', "    y='2'>",
      '    <b>', '      text one', '      </b>',
      '    <c/>',
      '    <d', '      k="v"/>',
      '    <!-- a comment -->',
      '    <e>', '      line1\\nline2', '      </e>',
      '    <f>', '      <![CDATA[raw <stuff>]]>', '      </f>',
      '    text &amp; more\\n',
      '    </a>',
      '',
    ].join('\n'));
  });

  it('lets an end tag close whatever is open, keeps text outside tags, and stops nesting at 40 levels', () => {
    const deep = Array.from({ length: 45 }, (_, i) => `<n${i}>`).join('') + 'x' + Array.from({ length: 45 }, (_, i) => `</n${44 - i}>`).join('');
    const [unclosed, html, text, nested] = xmlTrees([
      '<a><b>unclosed</a>',
      '<html><body><p>Hello<br>world</p></body></html>',
      'just text, not xml',
      deep,
    ]);
    expect(unclosed).toBe('eXtensible Markup Language\n  <a>\n    <b>\n      unclosed\n      </a>\n');
    expect(html).toBe([
      'eXtensible Markup Language', '  <html>', '    <body>', '      <p>', '        Hello', '        <br>', '          world',
      '          </p>', '        </body>', '      </html>', '',
    ].join('\n'));
    expect(text).toBe('eXtensible Markup Language\n  just text, not xml\n');
    const levels = nested.split('\n').filter(Boolean).map((l) => l.length - l.trimStart().length);
    expect(Math.max(...levels)).toBe(2 * 40);
    expect(nested).toContain(`${' '.repeat(80)}<n44>\n${' '.repeat(80)}x\n`);
  });
});
