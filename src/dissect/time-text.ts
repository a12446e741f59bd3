// Durations and absolute times written the way Wireshark writes them in field labels, shared by
// the protocols that carry them (DNS TTLs and signature times, DHCP lease times, NTP timestamps).

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
