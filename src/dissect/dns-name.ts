// DNS names (RFC 1035 §3.1, §4.1.4 message compression), read and shown the way tshark 4.0
// prints them (the escaping itself is text.ts's formatText).
//
// Name expansion never loops: every step either consumes a byte of the packet or follows a
// pointer, and pointers are capped (tshark's rule: more than 255 jumps means a loop). The text
// kept is capped at 255 characters; longer names become "<Name too long>".

import { formatText } from './text.ts';
import { MalformedError, type Tvb } from './tvb.ts';

/** Longest name text tshark keeps (MAX_DNAME_LEN), counting the terminating NUL. */
const MAX_NAME = 255;

export const ROOT_NAME = '<Root>';
const LOOP_NAME = '<Name contains a pointer that loops>';
const TOO_LONG_NAME = '<Name too long>';
const UNKNOWN_LABEL_NAME = '<Unknown extended label>';

/** An expanded name. */
export interface DnsName {
  /**
   * The name as one character per byte (Latin-1), labels joined by '.', or a placeholder
   * ("<Root>", "<Name too long>", ...). RFC 2673 bit-string labels appear as "\[x..../n]".
   */
  raw: string;
  /**
   * tshark's name length: label bytes and dots (bit-string label text not counted), or the
   * placeholder's length. Only the first `len` characters of `raw` are displayed.
   */
  len: number;
  /** Bytes the name occupies where it starts (up to and including its first pointer). */
  used: number;
}

const HEXD = '0123456789abcdef';

/**
 * Expands the name at `off`. `dataOff` is where the DNS message starts in `tvb` (2 for DNS
 * over TCP): compression pointers are relative to it. Throws MalformedError for the label types
 * RFC 6891 §5 leaves undefined (0x80) and for names tshark rejects.
 */
export function readName(tvb: Tvb, off: number, dataOff: number): DnsName {
  let p = off;
  let used = -1;
  let jumps = 0;
  let budget = MAX_NAME;
  let out = '';
  let len = 0;
  for (;;) {
    const c = tvb.u8(p++);
    if (c === 0) break;
    switch (c & 0xc0) {
      case 0x00: {
        // A label of c bytes. The first label pays for the terminator instead of a dot.
        if (out.length > 0) {
          if (budget > 0) {
            out += '.';
            len++;
            budget--;
          }
        } else budget--;
        if (budget >= c && tvb.has(p, c)) {
          out += tvb.latin1(p, c);
          len += c;
          budget -= c;
          p += c;
        } else {
          // Byte by byte: bytes past the text budget are skipped without being read.
          for (let i = 0; i < c; i++, p++) {
            if (budget > 0) {
              out += String.fromCharCode(tvb.u8(p));
              len++;
              budget--;
            }
          }
        }
        break;
      }
      case 0x40: {
        if ((c & 0x3f) !== 1) {
          // RFC 6891 deprecated extended label types: the length is unknown, stop here (the
          // byte count is taken from wherever the pointers led, as tshark does).
          return checkName({ raw: UNKNOWN_LABEL_NAME, len: UNKNOWN_LABEL_NAME.length, used: p - off });
        }
        // RFC 2673 bit-string label: count byte, then ceil(count / 8) bytes, shown as \[x../n].
        const bits = tvb.u8(p++);
        let bytes = Math.trunc((bits - 1) / 8) + 1;
        if (budget > 0) {
          if (budget >= 3) {
            out += '\\[x';
            budget -= 3;
          } else budget = 0;
        }
        while (bytes-- > 0) {
          if (budget > 0) {
            const b = tvb.u8(p);
            if (budget >= 2) {
              out += HEXD[b >> 4]! + HEXD[b & 15]!;
              budget -= 2;
            } else budget = 0;
          }
          p++;
        }
        if (budget > 0) {
          const tail = `/${bits}]`;
          if (budget >= tail.length) {
            out += tail;
            budget -= tail.length;
          } else budget = 0;
        }
        break;
      }
      case 0x80:
        throw new MalformedError('DNS label type 0x80 is undefined');
      default: {
        // Pointer (RFC 1035 §4.1.4). tshark treats a pointer to 2 bytes past its own end as a
        // trivial loop (an off-by-four in its self-pointer test); do the same.
        const target = dataOff + (((c & 0x3f) << 8) | tvb.u8(p));
        p++;
        jumps++;
        if (used < 0) used = p - off;
        if (target === p + 2 || jumps > MAX_NAME) return checkName({ raw: LOOP_NAME, len: LOOP_NAME.length, used });
        p = target;
      }
    }
  }
  if (used < 0) used = p - off;
  if (budget <= 0) return checkName({ raw: TOO_LONG_NAME, len: TOO_LONG_NAME.length, used });
  return checkName({ raw: out, len, used });
}

/** tshark's get_dns_name: empty → "<Root>", and rejects names that used bytes but have no text. */
function checkName(n: DnsName): DnsName {
  if ((n.raw.length === 0 || n.raw.charCodeAt(0) === 0) && n.used <= 2) {
    return { raw: ROOT_NAME, len: ROOT_NAME.length, used: n.used };
  }
  if (n.used < 2 || (n.used > 2 && n.len === 0)) throw new MalformedError('invalid DNS name');
  return n;
}

/** Display text of a name (the first `len` characters, escaped). */
export function nameText(n: DnsName): string {
  return formatText(n.raw, n.len);
}

/** The name as a C string: up to the first NUL byte, UTF-8 decoded (tshark's "%s" of a name). */
export function nameCString(n: DnsName): string {
  const z = n.raw.indexOf('\0');
  return latin1ToUtf8(z < 0 ? n.raw : n.raw.slice(0, z));
}

function latin1ToUtf8(s: string): string {
  if (isAscii(s)) return s;
  const b = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) b[i] = s.charCodeAt(i);
  return new TextDecoder().decode(b);
}

function isAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) > 0x7f) return false;
  return true;
}
