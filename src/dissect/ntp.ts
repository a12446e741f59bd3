// NTP (RFC 5905 §7.3) on UDP port 123: a 48-byte header — leap indicator, version and mode,
// stratum, poll, precision, root delay and dispersion, reference ID and four 64-bit timestamps.
// Info is "NTP Version 4, client", as tshark writes it; control (mode 6, RFC 9327) and private
// (mode 7, ntpd's ntpdc) messages are named but their bodies are left as bytes, except for the
// request/response and request code of mode 7, which tshark also puts in Info.

import { ipv4Text } from './ip.ts';
import type { Packet } from './packet.ts';
import { defineProtocol } from './registry.ts';
import { udpPortTable } from './tables.ts';
import { utcTimeText } from './text.ts';
import type { Tvb } from './tvb.ts';

const MODE_CONTROL = 6;
const MODE_PRIVATE = 7;
/** Seconds from the NTP era-0 epoch (1900) to the Unix epoch, and from 1970 to era 1 (2036). */
const NTP_1900_TO_1970 = 2208988800;
const NTP_1970_TO_2036 = 2085978496;

const VERSIONS: Record<number, string> = {
  0: 'reserved', 1: 'NTP Version 1', 2: 'NTP Version 2', 3: 'NTP Version 3', 4: 'NTP Version 4',
  5: 'reserved', 6: 'reserved', 7: 'reserved',
};
const MODES: Record<number, string> = {
  0: 'reserved', 1: 'symmetric active', 2: 'symmetric passive', 3: 'client', 4: 'server', 5: 'broadcast',
  6: 'reserved for NTP control message', 7: 'reserved for private use',
};
/** The shorter mode names of Info and of the protocol's title. */
const INFO_MODES: Record<number, string> = { ...MODES, 6: 'control', 7: 'private' };
const LEAP = { 0: 'no warning', 1: 'last minute of the day has 61 seconds', 2: 'last minute of the day has 59 seconds', 3: 'unknown (clock unsynchronized)' };

// Reference IDs of primary (stratum 0/1) servers: RFC 5905 §7.3 and the IANA registry.
const PRIMARY_SOURCES: Record<string, string> = {
  GOES: 'Geostationary Orbit Environment Satellite', 'GPS\0': 'Global Position System', 'GAL\0': 'Galileo Positioning System',
  'PPS\0': 'Generic pulse-per-second', IRIG: 'Inter-Range Instrumentation Group', WWVB: 'LF Radio WWVB Ft. Collins, CO 60 kHz',
  'DCF\0': 'LF Radio DCF77 Mainflingen, DE 77.5 kHz', 'HBG\0': 'LF Radio HBG Prangins, HB 75 kHz',
  'MSF\0': 'LF Radio MSF Anthorn, UK 60 kHz', 'JJY\0': 'LF Radio JJY Fukushima, JP 40 kHz, Saga, JP 60 kHz',
  LORC: 'MF Radio LORAN C station, 100 kHz', 'TDF\0': 'MF Radio Allouis, FR 162 kHz', 'CHU\0': 'HF Radio CHU Ottawa, Ontario',
  'WWV\0': 'HF Radio WWV Ft. Collins, CO', WWVH: 'HF Radio WWVH Kauai, HI', NIST: 'NIST telephone modem',
  ACTS: 'NIST telephone modem', USNO: 'USNO telephone modem', 'PTB\0': 'European telephone modem',
  LOCL: 'uncalibrated local clock', CESM: 'calibrated Cesium clock', RBDM: 'calibrated Rubidium clock',
  OMEG: 'OMEGA radionavigation system', 'DCN\0': 'DCN routing protocol', 'TSP\0': 'TSP time protocol',
  'DTS\0': 'Digital Time Service', ATOM: 'Atomic clock (calibrated)', 'VLF\0': 'VLF radio (OMEGA,, etc.)',
  '1PPS': 'External 1 PPS input', FREE: '(Internal clock)', INIT: '(Initialization)', '\0\0\0\0': 'NULL',
};

export const F = defineProtocol('ntp', 'Network Time Protocol', {
  'ntp.flags': { name: 'Flags', type: 'uint', base: 'hex', bits: 8 },
  'ntp.flags.li': { name: 'Leap Indicator', type: 'uint', mask: 0xc0, bits: 8, vals: LEAP },
  'ntp.flags.vn': { name: 'Version number', type: 'uint', mask: 0x38, bits: 8, vals: VERSIONS },
  'ntp.flags.mode': { name: 'Mode', type: 'uint', mask: 0x07, bits: 8, vals: MODES },
  'ntp.stratum': { name: 'Peer Clock Stratum', type: 'uint' },
  'ntp.ppoll': { name: 'Peer Polling Interval', type: 'uint' },
  'ntp.precision': { name: 'Peer Clock Precision', type: 'int' },
  'ntp.rootdelay': { name: 'Root Delay', type: 'uint' },
  'ntp.rootdispersion': { name: 'Root Dispersion', type: 'uint' },
  'ntp.refid': { name: 'Reference ID', type: 'bytes' },
  'ntp.reftime': { name: 'Reference Timestamp', type: 'abstime' },
  'ntp.org': { name: 'Origin Timestamp', type: 'abstime' },
  'ntp.rec': { name: 'Receive Timestamp', type: 'abstime' },
  'ntp.xmt': { name: 'Transmit Timestamp', type: 'abstime' },
  'ntp.keyid': { name: 'Key ID', type: 'bytes' },
  'ntp.mac': { name: 'Message Authentication Code', type: 'bytes' },
  'ntp.ctrl.body': { name: 'Control message', type: 'bytes' },
  'ntp.priv.reqcode': { name: 'Request code', type: 'uint' },
});

function stratumText(s: number): string {
  if (s === 0) return 'unspecified or invalid';
  if (s === 1) return 'primary reference';
  if (s <= 15) return 'secondary reference';
  return s === 16 ? 'unsynchronized' : 'reserved';
}

/** An NTP timestamp (RFC 5905 §6: seconds since 1900, 32-bit fraction) as tshark shows it. */
export function ntpTimeText(secs: number, frac: number): string {
  // RFC 4330 §3: with the top bit clear the time is in era 1, after 2036-02-07.
  const unix = secs & 0x80000000 ? secs - NTP_1900_TO_1970 : secs + NTP_1970_TO_2036;
  const ns = Math.trunc(1e9 * (frac / 4294967296));
  // All zero means "not set" (RFC 5905 §7.3), which tshark writes as NULL.
  return secs === 0 && ns === 0 ? 'NULL' : utcTimeText(unix, ns);
}

/** A 16.16 fixed-point number of seconds, "%8.6f seconds". */
const shortTimeText = (v: number) => `${((v >>> 16) + (v & 0xffff) / 65536).toFixed(6).padStart(8)} seconds`;

export function dissectNtp(tvb: Tvb, p: Packet): boolean {
  p.layers.push('ntp');
  p.cols.protocol = 'NTP';
  p.cols.clearInfo();
  const flags = tvb.u8(0);
  const version = VERSIONS[(flags >> 3) & 7]!;
  const mode = flags & 7;
  p.cols.setInfo(`${version}, ${INFO_MODES[mode]}`);
  const t = p.tree;
  t?.open(F.proto, tvb, 0, tvb.length, null, `Network Time Protocol (${version}, ${INFO_MODES[mode]})`);
  t?.open(F['ntp.flags'], tvb, 0, 1, flags,
    `Flags: 0x${flags.toString(16).padStart(2, '0')}, Leap Indicator: ${LEAP[(flags >> 6) as 0]}, Version number: ${version}, Mode: ${MODES[mode]}`);
  t?.add(F['ntp.flags.li'], tvb, 0, 1, flags >> 6);
  t?.add(F['ntp.flags.vn'], tvb, 0, 1, (flags >> 3) & 7);
  t?.add(F['ntp.flags.mode'], tvb, 0, 1, mode);
  t?.close();
  try {
    if (mode === MODE_PRIVATE) {
      // ntpdc's mode 7: response bit, then implementation and request code.
      const reqcode = tvb.u8(3);
      p.cols.appendInfo(`, ${flags & 0x80 ? 'Response' : 'Request'}, ${PRIV_REQUEST_CODES[reqcode] ?? 'Unknown'}`);
      t?.add(F['ntp.priv.reqcode'], tvb, 3, 1, reqcode, `Request code: ${PRIV_REQUEST_CODES[reqcode] ?? 'Unknown'} (${reqcode})`);
      return true;
    }
    if (mode === MODE_CONTROL) {
      if (tvb.length > 1) t?.add(F['ntp.ctrl.body'], tvb, 1, tvb.length - 1, tvb.bytes(1, tvb.length - 1));
      return true;
    }
    const stratum = tvb.u8(1);
    const poll = tvb.u8(2);
    const precision = (tvb.u8(3) << 24) >> 24;
    const rootDelay = tvb.u32(4);
    const rootDispersion = tvb.u32(8);
    const refid = tvb.bytes(12, 4);
    tvb.check(16, 32);
    if (!t) return true;
    t.add(F['ntp.stratum'], tvb, 1, 1, stratum, `Peer Clock Stratum: ${stratumText(stratum)} (${stratum})`);
    t.add(F['ntp.ppoll'], tvb, 2, 1, poll, `Peer Polling Interval: ${poll >= 4 && poll <= 17 ? `${poll} (${2 ** poll} seconds)` : `invalid (${poll})`}`);
    t.add(F['ntp.precision'], tvb, 3, 1, precision, `Peer Clock Precision: ${(2 ** precision).toFixed(6).padStart(8)} seconds`);
    t.add(F['ntp.rootdelay'], tvb, 4, 4, rootDelay, `Root Delay: ${shortTimeText(rootDelay)}`);
    t.add(F['ntp.rootdispersion'], tvb, 8, 4, rootDispersion, `Root Dispersion: ${shortTimeText(rootDispersion)}`);
    let ref: string;
    if (stratum <= 1) {
      const code = String.fromCharCode(...refid);
      ref = PRIMARY_SOURCES[code] ?? `Unidentified reference source '${code.replace(/\0.*$/s, '')}'`;
    } else ref = ipv4Text(tvb.u32(12)); // RFC 5905 §7.3: the upstream server's IPv4 address
    t.add(F['ntp.refid'], tvb, 12, 4, refid, `Reference ID: ${ref}`);
    const stamps = [[16, F['ntp.reftime']], [24, F['ntp.org']], [32, F['ntp.rec']], [40, F['ntp.xmt']]] as const;
    for (const [off, field] of stamps) t.add(field, tvb, off, 8, ntpTimeText(tvb.u32(off), tvb.u32(off + 4)));
    // RFC 5905 §7.3: an optional key identifier and message digest after the header.
    if (tvb.length >= 52) {
      t.add(F['ntp.keyid'], tvb, 48, 4, tvb.bytes(48, 4));
      if (tvb.length > 52) t.add(F['ntp.mac'], tvb, 52, tvb.length - 52, tvb.bytes(52, tvb.length - 52));
    }
    return true;
  } finally {
    t?.close();
  }
}

// ntpd's mode 7 request codes (ntp_request.h), as Wireshark names them.
const PRIV_REQUEST_CODES: Record<number, string> = {
  0: 'PEER_LIST', 1: 'PEER_LIST_SUM', 2: 'PEER_INFO', 3: 'PEER_STATS', 4: 'SYS_INFO', 5: 'SYS_STATS', 6: 'IO_STATS',
  7: 'MEM_STATS', 8: 'LOOP_INFO', 9: 'TIMER_STATS', 10: 'CONFIG', 11: 'UNCONFIG', 12: 'SET_SYS_FLAG',
  13: 'CLR_SYS_FLAG', 16: 'GET_RESTRICT', 17: 'RESADDFLAGS', 18: 'RESSUBFLAGS', 19: 'UNRESTRICT',
  20: 'MON_GETLIST', 21: 'RESET_STATS', 22: 'RESET_PEER', 26: 'TRUSTKEY', 27: 'UNTRUSTKEY', 28: 'AUTHINFO',
  29: 'TRAPS', 30: 'ADD_TRAP', 31: 'CLR_TRAP', 32: 'REQUEST_KEY', 33: 'CONTROL_KEY', 34: 'GET_CTLSTATS',
  36: 'GET_CLOCKINFO', 37: 'SET_CLKFUDGE', 38: 'GET_KERNEL', 39: 'GET_CLKBUGINFO', 42: 'MON_GETLIST_1',
  44: 'IF_STATS', 45: 'IF_RELOAD',
};

udpPortTable.add(123, dissectNtp);
