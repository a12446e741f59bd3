// Radiotap (link type 127, https://www.radiotap.org): the capture card's per-frame radio facts
// in front of an 802.11 frame — present-flags words, then fields aligned to their natural size.
// The common fields are shown as tshark 4.0 shows them; the walk stops at the first field it
// cannot size. The Flags field says whether the frame ends with its FCS, which 802.11 needs.

import type { Packet } from './packet.ts';
import { bitPattern, defineProtocol } from './registry.ts';
import { linkTypeTable } from './tables.ts';
import type { TreeSink } from './tree.ts';
import type { Tvb } from './tvb.ts';
import { dissectWlan } from './wlan.ts';

const F = defineProtocol('radiotap', 'Radiotap Header', {
  'radiotap.version': { name: 'Header revision', type: 'uint' },
  'radiotap.pad': { name: 'Header pad', type: 'uint' },
  'radiotap.length': { name: 'Header length', type: 'uint' },
  'radiotap.present.word': { name: 'Present flags word', type: 'uint', base: 'hex', bits: 32 },
  'radiotap.datarate': { name: 'Data Rate', type: 'float' },
  'radiotap.channel.freq': { name: 'Channel frequency', type: 'uint' },
  'radiotap.channel.flags': { name: 'Channel flags', type: 'uint', base: 'hex', bits: 16 },
  'radiotap.dbm_antsignal': { name: 'Antenna signal', type: 'int' },
  'radiotap.dbm_antnoise': { name: 'Antenna noise', type: 'int' },
  'radiotap.antenna': { name: 'Antenna', type: 'uint' },
  'radiotap.mactime': { name: 'MAC timestamp', type: 'uint' },
  'radiotap.flags': { name: 'Flags', type: 'uint', base: 'hex', bits: 8 },
  'radiotap.rxflags': { name: 'RX flags', type: 'uint', base: 'hex', bits: 16 },
});

// The present bits of the radiotap namespace: name, then [alignment, size] of the field.
const FIELDS: [name: string, align: number, size: number][] = [
  ['TSFT', 8, 8], ['Flags', 1, 1], ['Rate', 1, 1], ['Channel', 2, 4], ['FHSS', 1, 2], ['dBm Antenna Signal', 1, 1],
  ['dBm Antenna Noise', 1, 1], ['Lock Quality', 2, 2], ['TX Attenuation', 2, 2], ['dB TX Attenuation', 2, 2],
  ['dBm TX Power', 1, 1], ['Antenna', 1, 1], ['dB Antenna Signal', 1, 1], ['dB Antenna Noise', 1, 1], ['RX flags', 2, 2],
  ['TX flags', 2, 2], ['RTS retries', 1, 1], ['data retries', 1, 1], ['Channel+', 4, 8], ['MCS information', 1, 3],
  ['A-MPDU Status', 4, 8], ['VHT information', 2, 12], ['frame timestamp', 8, 12], ['HE information', 2, 12],
  ['HE-MU information', 2, 12], ['HE-MU-other-user information', 2, 6], ['0 Length PSDU', 1, 1], ['L-SIG', 2, 4],
  ['TLVs', 4, 0],
];
// Bits 16 and 25 are missing from tshark's list of a present word (it shows 30 lines and the three control bits).
const PRESENT_LINES = [...Array(29).keys()].filter((b) => b !== 16 && b !== 25);

const FLAG_BITS: [mask: number, name: string, set: string, clear: string][] = [
  [0x01, 'CFP', 'True', 'False'], [0x02, 'Preamble', 'Short', 'Long'], [0x04, 'WEP', 'True', 'False'],
  [0x08, 'Fragmentation', 'True', 'False'], [0x10, 'FCS at end', 'True', 'False'], [0x20, 'Data Pad', 'True', 'False'],
  [0x40, 'Bad FCS', 'True', 'False'], [0x80, 'Short GI', 'True', 'False'],
];

const CHANNEL_BITS: [mask: number, name: string][] = [
  [0x0001, '700 MHz spectrum'], [0x0002, '800 MHz spectrum'], [0x0004, '900 MHz spectrum'], [0x0010, 'Turbo'],
  [0x0020, 'Complementary Code Keying (CCK)'], [0x0040, 'Orthogonal Frequency-Division Multiplexing (OFDM)'],
  [0x0080, '2 GHz spectrum'], [0x0100, '5 GHz spectrum'], [0x0200, 'Passive'], [0x0400, 'Dynamic CCK-OFDM'],
  [0x0800, 'Gaussian Frequency Shift Keying (GFSK)'], [0x1000, 'GSM (900MHz)'], [0x2000, 'Static Turbo'],
  [0x4000, 'Half Rate Channel (10MHz Channel Width)'], [0x8000, 'Quarter Rate Channel (5MHz Channel Width)'],
];


/** "2412 [BG 1]": the channel number of a frequency (IEEE 802.11-2020 §15.4.4.3, §17.3.8.4.2). */
function channelText(mhz: number): string {
  if (mhz === 2484) return `${mhz} [BG 14]`;
  if (mhz >= 2412 && mhz < 2484) return `${mhz} [BG ${(mhz - 2407) / 5}]`;
  if (mhz >= 5000 && mhz < 5900) return `${mhz} [A ${(mhz - 5000) / 5}]`;
  return String(mhz);
}

export function dissectRadiotap(tvb: Tvb, p: Packet): void {
  p.layers.push('radiotap');
  p.cols.protocol = 'WLAN';
  const version = tvb.u8(0);
  const len = tvb.u16le(2);
  const t = p.tree;
  if (t) {
    t.open(F.proto, tvb, 0, len, null, `Radiotap Header v${version}, Length ${len}`);
    t.add(F['radiotap.version'], tvb, 0, 1, version);
    t.add(F['radiotap.pad'], tvb, 1, 1, tvb.u8(1));
    t.add(F['radiotap.length'], tvb, 2, 2, len);
  }
  // The present words: bit 31 says another follows; bit 29 returns to the radiotap namespace.
  const words: number[] = [];
  let o = 4;
  for (;;) {
    const w = tvb.u32le(o);
    words.push(w);
    o += 4;
    if (!(w & 0x80000000) || o + 4 > len) break;
  }
  if (t) presentTree(t, tvb, words);
  let fcs = false;
  // Fields of each radiotap-namespace word, in bit order, each aligned to its natural size.
  let stop = false;
  for (let wi = 0; wi < words.length && !stop; wi++) {
    const w = words[wi]!;
    const inRadiotapNs = wi === 0 || (words[wi - 1]! & 0x20000000) !== 0;
    if (!inRadiotapNs) break; // vendor namespaces are skipped by their own length: not read here
    for (let bit = 0; bit < 29 && !stop; bit++) {
      if (!(w & (1 << bit))) continue;
      const spec = FIELDS[bit];
      if (!spec || spec[2] === 0) {
        stop = true;
        break;
      }
      const [, align, size] = spec;
      o = Math.ceil(o / align) * align;
      if (o + size > len) {
        stop = true;
        break;
      }
      if (bit === 1) fcs = (tvb.u8(o) & 0x10) !== 0;
      if (t) field(t, tvb, bit, o);
      o += size;
    }
  }
  t?.close();
  dissectWlan(tvb.sub(len), p, { fcs });
}

function presentTree(t: TreeSink, tvb: Tvb, words: number[]): void {
  t.text(tvb, 4, words.length * 4, 'Present flags', true);
  words.forEach((w, i) => {
    const off = 4 + i * 4;
    t.open(F['radiotap.present.word'], tvb, off, 4, w >>> 0);
    for (const b of PRESENT_LINES) t.text(tvb, off, 4, `${bitPattern(2 ** b, 32, w >>> 0)}${FIELDS[b]![0]}: ${w & (1 << b) ? 'Present' : 'Absent'}`);
    t.text(tvb, off, 4, `${bitPattern(0x20000000, 32, w >>> 0)}Radiotap NS next: ${w & 0x20000000 ? 'True' : 'False'}`);
    t.text(tvb, off, 4, `${bitPattern(0x40000000, 32, w >>> 0)}Vendor NS next: ${w & 0x40000000 ? 'True' : 'False'}`);
    t.text(tvb, off, 4, `${bitPattern(0x80000000, 32, w >>> 0)}Ext: ${w & 0x80000000 ? 'Present' : 'Absent'}`);
    t.close();
  });
  t.close();
}

function field(t: TreeSink, tvb: Tvb, bit: number, o: number): void {
  switch (bit) {
    case 0:
      t.add(F['radiotap.mactime'], tvb, o, 8, (BigInt(tvb.u32le(o + 4)) << 32n) | BigInt(tvb.u32le(o)));
      return;
    case 1: {
      const f = tvb.u8(o);
      t.open(F['radiotap.flags'], tvb, o, 1, f);
      for (const [mask, name, set, clear] of FLAG_BITS) t.text(tvb, o, 1, `${bitPattern(mask, 8, f)}${name}: ${f & mask ? set : clear}`);
      t.close();
      return;
    }
    case 2: {
      const r = tvb.u8(o) / 2;
      t.add(F['radiotap.datarate'], tvb, o, 1, r, `Data Rate: ${r.toFixed(1)} Mb/s`);
      return;
    }
    case 3: {
      const mhz = tvb.u16le(o);
      const flags = tvb.u16le(o + 2);
      t.add(F['radiotap.channel.freq'], tvb, o, 2, mhz, `Channel frequency: ${channelText(mhz)}`);
      const set = CHANNEL_BITS.filter(([m]) => flags & m).map(([, n]) => n);
      t.open(F['radiotap.channel.flags'], tvb, o + 2, 2, flags, `Channel flags: 0x${flags.toString(16).padStart(4, '0')}${set.map((n) => ', ' + n).join('')}`);
      for (const [mask, name] of CHANNEL_BITS) t.text(tvb, o + 2, 2, `${bitPattern(mask, 16, flags)}${name}: ${flags & mask ? 'True' : 'False'}`);
      t.close();
      return;
    }
    case 5:
    case 6: {
      const v = (tvb.u8(o) << 24) >> 24;
      t.add(bit === 5 ? F['radiotap.dbm_antsignal'] : F['radiotap.dbm_antnoise'], tvb, o, 1, v, `${bit === 5 ? 'Antenna signal' : 'Antenna noise'}: ${v} dBm`);
      return;
    }
    case 11:
      t.add(F['radiotap.antenna'], tvb, o, 1, tvb.u8(o));
      return;
    case 14: {
      const f = tvb.u16le(o);
      t.open(F['radiotap.rxflags'], tvb, o, 2, f);
      t.text(tvb, o, 2, `${bitPattern(0x2, 24, f)}Bad PLCP: ${f & 2 ? 'True' : 'False'}`);
      t.close();
      return;
    }
    default:
      return;
  }
}

linkTypeTable.add(127, dissectRadiotap); // LINKTYPE_IEEE802_11_RADIOTAP
