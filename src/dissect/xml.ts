// XML bodies (filter name xml), the tree tshark 4.0's XML dissector shows: processing
// instructions and tags with their attributes under them, the content of an element nested
// under its start tag, its end tag last. Like tshark it does not check that the document is
// well formed: an end tag closes whatever element is open (so HTML's unclosed <br> holds the
// rest of its parent), and text outside any tag is shown as it is.

import { defineProtocol } from './registry.ts';
import { formatText } from './text.ts';
import { fitLabel } from './text-tvb.ts';
import type { TreeSink } from './tree.ts';
import { latin1, type Tvb } from './tvb.ts';

const F = defineProtocol('xml', 'eXtensible Markup Language', {
  'xml.xmlpi': { name: 'XMLPI', type: 'string' },
  'xml.cdatasection': { name: 'CDATASection', type: 'string' },
  'xml.comment': { name: 'Comment', type: 'string' },
  'xml.attribute': { name: 'Attribute', type: 'string' },
  'xml.doctype': { name: 'Doctype', type: 'string' },
  'xml.cdata': { name: 'CDATA', type: 'string' },
  'xml.tag': { name: 'Tag', type: 'string' },
});

function isSpace(c: number | undefined): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/** An attribute (name="value" or name='value') as its byte range in the body. */
interface Attr {
  start: number;
  end: number;
}

class Scanner {
  pos = 0;
  constructor(readonly b: Uint8Array) {}

  text(from: number, to: number): string {
    return formatText(latin1(this.b, from, to));
  }

  startsWith(s: string, at = this.pos): boolean {
    if (at + s.length > this.b.length) return false;
    for (let i = 0; i < s.length; i++) if (this.b[at + i] !== s.charCodeAt(i)) return false;
    return true;
  }

  /** Offset of `s` at or after `from`, or -1. */
  find(s: string, from: number): number {
    for (let i = from; i + s.length <= this.b.length; i++) if (this.startsWith(s, i)) return i;
    return -1;
  }

  skipSpace(): void {
    while (this.pos < this.b.length && isSpace(this.b[this.pos])) this.pos++;
  }

  /** A name: everything up to white space, '/', '>', '?' or '='. */
  name(): string {
    const from = this.pos;
    for (; this.pos < this.b.length; this.pos++) {
      const c = this.b[this.pos]!;
      if (isSpace(c) || c === 0x2f || c === 0x3e || c === 0x3f || c === 0x3d) break;
    }
    return latin1(this.b, from, this.pos);
  }

  /** Attributes up to the tag's end ("?>", "/>" or ">"); null when the tag does not end properly. */
  attributes(): Attr[] | null {
    const attrs: Attr[] = [];
    for (;;) {
      this.skipSpace();
      const c = this.b[this.pos];
      if (c === undefined) return null;
      if (c === 0x3e || this.startsWith('/>') || this.startsWith('?>')) return attrs;
      const start = this.pos;
      if (this.name() === '') return null;
      this.skipSpace();
      if (this.b[this.pos] !== 0x3d) return null;
      this.pos++;
      this.skipSpace();
      const q = this.b[this.pos];
      if (q !== 0x22 && q !== 0x27) return null;
      const close = this.b.indexOf(q, this.pos + 1);
      if (close < 0) return null;
      this.pos = close + 1;
      attrs.push({ start, end: this.pos });
    }
  }
}

/**
 * Elements nest in the tree this deep at most (tshark -V's tree of a deeply nested XHTML page
 * stops at 40 levels below the layer); deeper ones are items beside their parent.
 */
const MAX_NESTED = 39;

/** The XML layer of a body: "eXtensible Markup Language" and the document's items. */
export function xmlTree(tvb: Tvb, t: TreeSink): void {
  const s = new Scanner(tvb.bytes(0, tvb.length));
  const b = s.b;
  t.open(F.proto, tvb, 0, tvb.length, null);
  // Per open element, whether it has a subtree of its own (see MAX_NESTED).
  const open: boolean[] = [];
  let nested = 0;
  const attrItems = (attrs: Attr[], last: string) => {
    attrs.forEach((a, i) => {
      const text = s.text(a.start, a.end) + (i === attrs.length - 1 ? last : '');
      t.add(F['xml.attribute'], tvb, a.start, a.end - a.start, text, fitLabel(text));
    });
  };
  while (s.pos < b.length) {
    s.skipSpace();
    const start = s.pos;
    if (start >= b.length) break;
    if (b[start] !== 0x3c) {
      // Text up to the next tag, as it is (its leading white space skipped above).
      const lt = b.indexOf(0x3c, start);
      s.pos = lt < 0 ? b.length : lt;
      const text = s.text(start, s.pos);
      t.add(F['xml.cdata'], tvb, start, s.pos - start, text, fitLabel(text));
      continue;
    }
    // A construct that does not end: the rest is text.
    const rest = () => {
      s.pos = b.length;
      const text = s.text(start, b.length);
      t.add(F['xml.cdata'], tvb, start, b.length - start, text, fitLabel(text));
    };
    const verbatim = (field: typeof F['xml.comment'], close: string) => {
      const at = s.find(close, start + 1);
      if (at < 0) return rest();
      s.pos = at + close.length;
      const text = s.text(start, s.pos);
      t.add(field, tvb, start, s.pos - start, text, fitLabel(text));
    };
    if (s.startsWith('<!--')) verbatim(F['xml.comment'], '-->');
    else if (s.startsWith('<![CDATA[')) verbatim(F['xml.cdatasection'], ']]>');
    else if (s.startsWith('<!')) verbatim(F['xml.doctype'], '>');
    else if (s.startsWith('<?')) {
      // A processing instruction: "<?xml", its attributes, "?>".
      s.pos += 2;
      const name = s.name();
      const attrs = s.attributes();
      if (attrs === null || !s.startsWith('?>')) {
        rest();
        continue;
      }
      t.open(F['xml.xmlpi'], tvb, start, s.pos + 2 - start, name, `<?${s.text(start + 2, start + 2 + name.length)}`);
      attrItems(attrs, '');
      t.text(tvb, s.pos, 2, '?>');
      t.close();
      s.pos += 2;
    } else if (s.startsWith('</')) {
      const gt = b.indexOf(0x3e, start);
      if (gt < 0) {
        rest();
        continue;
      }
      s.pos = gt + 1;
      const text = s.text(start, s.pos);
      t.add(F['xml.tag'], tvb, start, s.pos - start, text, fitLabel(text));
      // An end tag closes the element open last, whatever its name.
      if (open.pop()) {
        t.close();
        nested--;
      }
    } else {
      s.pos++;
      const nameStart = s.pos;
      const name = s.name();
      const attrs = s.attributes();
      if (name === '' || attrs === null) {
        rest();
        continue;
      }
      const empty = s.startsWith('/>');
      const tagEnd = empty ? '/>' : '>';
      s.pos += tagEnd.length;
      const nameText = s.text(nameStart, nameStart + name.length);
      const label = fitLabel(attrs.length ? `<${nameText}` : `<${nameText}${tagEnd}`);
      const subtree = !empty && nested < MAX_NESTED;
      if (empty || subtree) t.open(F['xml.tag'], tvb, start, s.pos - start, label, label);
      else t.add(F['xml.tag'], tvb, start, s.pos - start, label, label);
      attrItems(attrs, tagEnd);
      if (empty) t.close();
      else {
        open.push(subtree);
        if (subtree) nested++;
      }
    }
  }
  for (; nested > 0; nested--) t.close();
  t.close();
}
