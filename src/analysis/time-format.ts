// The Time column's display formats (Wireshark's View › Time Display Format), computed from the
// exact (seconds, nanoseconds) pair at each packet's own precision.

import { tshark40Precision } from '../capture/time.ts';
import { formatRelative, formatSecFrac } from './summary.ts';

export type TimeFormat = 'relative' | 'delta' | 'absolute' | 'utc' | 'epoch';

export const TIME_FORMATS: { id: TimeFormat; label: string }[] = [
  { id: 'relative', label: 'Seconds since first packet' },
  { id: 'delta', label: 'Seconds since previous packet' },
  { id: 'absolute', label: 'Date and time of day (local)' },
  { id: 'utc', label: 'UTC date and time of day' },
  { id: 'epoch', label: 'Seconds since 1970-01-01 (epoch)' },
];

const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** "2024-05-01 13:45:01.123456" in local time or UTC. */
export function dateTimeText(sec: number, nsec: number, digits: number, utc: boolean): string {
  const d = new Date(sec * 1000);
  if (Number.isNaN(d.getTime())) return formatSecFrac(sec, nsec, digits);
  const y = utc ? d.getUTCFullYear() : d.getFullYear();
  const mo = (utc ? d.getUTCMonth() : d.getMonth()) + 1;
  const da = utc ? d.getUTCDate() : d.getDate();
  const h = utc ? d.getUTCHours() : d.getHours();
  const mi = utc ? d.getUTCMinutes() : d.getMinutes();
  const s = utc ? d.getUTCSeconds() : d.getSeconds();
  const frac = formatSecFrac(0, nsec % 1e9, digits).slice(1); // ".123456" or ''
  return `${y}-${pad(mo)}-${pad(da)} ${pad(h)}:${pad(mi)}:${pad(s)}${frac}`;
}

export interface TimeRef {
  sec: number;
  nsec: number;
}

/** Formats one packet's time; `first` is the first packet's, `prev` the previous captured one's. */
export function timeText(fmt: TimeFormat, sec: number, nsec: number, precision: number, first: TimeRef, prev: TimeRef | null): string {
  // tshark 4.0 shows 0, 1, 2, 3, 6 or 9 decimals; the list shows what tshark shows.
  const digits = tshark40Precision(precision);
  switch (fmt) {
    case 'relative':
      return formatRelative(sec, nsec, first.sec, first.nsec, digits);
    case 'delta':
      return prev ? formatRelative(sec, nsec, prev.sec, prev.nsec, digits) : formatSecFrac(0, 0, digits);
    case 'absolute':
      return dateTimeText(sec, nsec, digits, false);
    case 'utc':
      return dateTimeText(sec, nsec, digits, true);
    case 'epoch':
      return formatSecFrac(sec, nsec, digits);
  }
}
