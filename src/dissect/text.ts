// Values written as text the way Wireshark writes them in columns and field labels, shared by
// the protocols: bytes as escaped text (format_text: DNS names, FTP lines), durations (DNS TTLs,
// DHCP lease times) and absolute UTC times (DNS signatures, NTP timestamps).

/** tshark's unsigned_time_secs_to_str: "1 day, 1 hour, 1 minute, 1 second", "0 seconds". */
export function durationText(secs: number): string {
  if (secs === 0) return '0 seconds';
  let out = '';
  out = durationPart(out, Math.floor(secs / 86400), 'day');
  out = durationPart(out, Math.floor(secs / 3600) % 24, 'hour');
  out = durationPart(out, Math.floor(secs / 60) % 60, 'minute');
  return durationPart(out, secs % 60, 'second');
}

function durationPart(out: string, v: number, unit: string): string {
  if (!v) return out;
  return `${out}${out ? ', ' : ''}${v} ${unit}${v === 1 ? '' : 's'}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** An absolute UTC time as tshark shows a time field: "Aug 16, 2015 19:25:48.749582159 UTC". */
export function utcTimeText(secs: number, nsecs = 0): string {
  const d = new Date(secs * 1000);
  if (Number.isNaN(d.getTime())) return 'Not representable';
  return `${MONTHS[d.getUTCMonth()]} ${String(d.getUTCDate()).padStart(2, ' ')}, ${d.getUTCFullYear()} ` +
    `${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}.${String(nsecs).padStart(9, '0')} UTC`;
}

function pad2(v: number): string {
  return v < 10 ? `0${v}` : String(v);
}

const NOT_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cn}\p{Cs}]/u;

/**
 * Escapes non-printable characters like tshark 4.0's format_text: printable ASCII as is,
 * C escapes (\a \b \f \n \r \t \v) or 3-digit octal for other ASCII controls, UTF-8 sequences
 * decoded (non-printable code points as \uXXXX) and malformed ones as U+FFFD.
 * `s` holds one byte per character; only the first `n` characters are formatted.
 */
export function formatText(s: string, n = s.length): string {
  if (n > s.length) n = s.length;
  let plain = true;
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c > 0x7e) {
      plain = false;
      break;
    }
  }
  if (plain) return n === s.length ? s : s.slice(0, n);
  let out = '';
  let i = 0;
  while (i < n) {
    const c = s.charCodeAt(i++);
    if (c >= 0x20 && c < 0x7f) {
      out += s[i - 1];
      continue;
    }
    if (c < 0x80) {
      out += cEscape(c);
      continue;
    }
    // A UTF-8 sequence: its length from the lead byte, then continuation bytes.
    const need = c >= 0xc0 && c < 0xe0 ? 1 : c >= 0xe0 && c < 0xf0 ? 2 : c >= 0xf0 && c < 0xf8 ? 3 : -1;
    if (need < 0) {
      out += '\ufffd';
      continue;
    }
    let cp = c & (need === 1 ? 0x1f : need === 2 ? 0x0f : 0x07);
    let ok = true;
    for (let k = 0; k < need; k++) {
      const d = i < n ? s.charCodeAt(i) : -1;
      if (d < 0 || (d & 0xc0) !== 0x80) {
        ok = false;
        break;
      }
      cp = (cp << 6) | (d & 0x3f);
      i++;
    }
    if (!ok || (cp >= 0xd800 && cp <= 0xdfff) || cp > 0x10ffff) {
      out += '\ufffd';
      continue;
    }
    const ch = String.fromCodePoint(cp);
    if (NOT_PRINTABLE.test(ch)) {
      out += cp > 0xffff ? `\\U${cp.toString(16).toUpperCase().padStart(8, '0')}` : `\\u${cp.toString(16).toUpperCase().padStart(4, '0')}`;
    } else out += ch;
  }
  return out;
}

function cEscape(c: number): string {
  switch (c) {
    case 7: return '\\a';
    case 8: return '\\b';
    case 9: return '\\t';
    case 10: return '\\n';
    case 11: return '\\v';
    case 12: return '\\f';
    case 13: return '\\r';
  }
  return '\\' + (c >> 6).toString() + ((c >> 3) & 7).toString() + (c & 7).toString();
}

/** "0.019955000" from a whole number of nanoseconds, exactly (a negative one keeps its sign). */
export function nsText(ns: number): string {
  const a = Math.abs(ns);
  return `${ns < 0 ? '-' : ''}${Math.floor(a / 1e9)}.${String(a % 1e9).padStart(9, '0')}`;
}

/** A time point as a capture gives it (the fraction may be out of range in a broken file). */
export interface TimePoint {
  sec: number;
  nsec: number;
}

/**
 * The time from `a` to `b` as seconds and nanoseconds the way tshark's nstime_delta makes it:
 * the nanoseconds subtracted as 32-bit ints (a broken file's fraction may overflow them) and
 * moved at most once into the seconds so that both carry the same sign.
 */
function timeApart(a: TimePoint, b: TimePoint): [sec: number, nsec: number] {
  let sec = b.sec - a.sec;
  let nsec = (b.nsec - a.nsec) | 0;
  if (sec > 0 && nsec < 0) {
    nsec += 1e9;
    sec--;
  } else if (sec < 0 && nsec > 0) {
    nsec -= 1e9;
    sec++;
  }
  return [sec, nsec];
}

/**
 * The time from `a` to `b` as tshark prints a relative time ("0.019955000", "-0.500000000"),
 * exact however far apart they are (epoch nanoseconds do not fit a double).
 */
export function timeApartText(a: TimePoint, b: TimePoint): string {
  const [sec, nsec] = timeApart(a, b);
  return `${sec < 0 || nsec < 0 ? '-' : ''}${Math.abs(sec)}.${String(Math.abs(nsec)).padStart(9, '0')}`;
}

/** The time from `a` to `b` in seconds (a double: for values, not for text). */
export function timeApartSeconds(a: TimePoint, b: TimePoint): number {
  const [sec, nsec] = timeApart(a, b);
  return sec + nsec / 1e9;
}
