// The floor under `npm run bench`'s figure for OUR decoder: how long plain JavaScript in this Node
// takes to do the least a summary needs, on the same capture. It is not a decoder: it reads the
// records of a classic pcap (Ethernet, IPv4 without options, TCP; other packets are only counted),
// keys each packet's connection in a Map, and formats the Time and a TCP Info text
// (`53574 → 80 [ACK] Seq=… Ack=… Win=… Len=… TSval=… TSecr=…`, relative numbers) for every one:
// no flags, no options but the timestamps' place, no analysis, no payload protocols, no objects
// per packet. Whatever our decoder does beyond this costs more; so a target below this figure
// (plus Node's start-up, ~0.1 s) is out of reach for a JavaScript decoder on this machine.
//
//   node bench/floor.mjs FILE.pcap        prints {packets, other, ms, checksum}
//   FLOOR_PARTS=1 node bench/floor.mjs F  also times it without the Info text, and without the Time

import { closeSync, openSync, readSync } from 'node:fs';

const SLICE = 4 << 20;

function run(file, { info = true, time = true } = {}) {
  const fd = openSync(file, 'r');
  // 64 bytes into the allocation: see CHUNK_SKEW in src/capture/node-file.ts.
  const buf = new Uint8Array(Buffer.allocUnsafeSlow(SLICE + (256 << 10) + 64).buffer, 64);
  const dv = new DataView(buf.buffer, buf.byteOffset);
  const conns = new Map();
  const t0 = performance.now();
  let carry = 0;
  let headerDone = false;
  let packets = 0;
  let other = 0;
  let checksum = 0;
  let firstSec = -1;
  let firstUsec = 0;
  for (;;) {
    const got = readSync(fd, buf, carry, SLICE, null);
    const end = carry + got;
    let pos = 0;
    if (!headerDone) {
      if (dv.getUint32(0, true) !== 0xa1b2c3d4) throw new Error('floor.mjs reads little-endian microsecond pcaps only');
      headerDone = true;
      pos = 24;
    }
    while (end - pos >= 16) {
      const incl = dv.getUint32(pos + 8, true);
      if (pos + 16 + incl > end) break;
      const o = pos + 16;
      pos = o + incl;
      packets++;
      const sec = dv.getUint32(o - 16, true);
      const usec = dv.getUint32(o - 12, true);
      if (firstSec < 0) {
        firstSec = sec;
        firstUsec = usec;
      }
      if (time) {
        let s = sec - firstSec;
        let us = usec - firstUsec;
        if (us < 0) {
          us += 1e6;
          s--;
        }
        checksum += (s + '.' + String(us).padStart(6, '0')).length;
      }
      const ip = o + 14;
      if (incl < 54 || buf[o + 12] !== 0x08 || buf[o + 13] !== 0x00 || buf[ip] !== 0x45 || buf[ip + 9] !== 6) {
        other++;
        continue;
      }
      const tcp = ip + 20;
      const src = buf[ip + 15];
      const dst = buf[ip + 19];
      const sport = (buf[tcp] << 8) | buf[tcp + 1];
      const dport = (buf[tcp + 2] << 8) | buf[tcp + 3];
      const seq = ((buf[tcp + 4] << 24) | (buf[tcp + 5] << 16) | (buf[tcp + 6] << 8) | buf[tcp + 7]) >>> 0;
      const ack = ((buf[tcp + 8] << 24) | (buf[tcp + 9] << 16) | (buf[tcp + 10] << 8) | buf[tcp + 11]) >>> 0;
      // Both directions of a connection under one key (the last address bytes and the ports).
      const key = (sport < dport ? sport * 65536 + dport : dport * 65536 + sport) * 512 + src + dst;
      let c = conns.get(key);
      if (c === undefined) {
        c = { seqBase: seq, ackBase: ack, stream: conns.size };
        conns.set(key, c);
      }
      checksum += c.stream;
      if (!info) continue;
      const hlen = (buf[tcp + 12] >> 4) * 4;
      const len = ((buf[ip + 2] << 8) | buf[ip + 3]) - 20 - hlen;
      const win = (buf[tcp + 14] << 8) | buf[tcp + 15];
      const tsval = ((buf[tcp + 24] << 24) | (buf[tcp + 25] << 16) | (buf[tcp + 26] << 8) | buf[tcp + 27]) >>> 0;
      const tsecr = ((buf[tcp + 28] << 24) | (buf[tcp + 29] << 16) | (buf[tcp + 30] << 8) | buf[tcp + 31]) >>> 0;
      const text = `${sport} \u2192 ${dport} [ACK] Seq=${(seq - c.seqBase) >>> 0} Ack=${(ack - c.ackBase) >>> 0} Win=${win} Len=${len} TSval=${tsval} TSecr=${tsecr}`;
      checksum += text.length;
    }
    if (got === 0) break;
    buf.copyWithin(0, pos, end);
    carry = end - pos;
  }
  closeSync(fd);
  return { packets, other, ms: Math.round(performance.now() - t0), checksum };
}

const file = process.argv[2];
if (!file) {
  process.stderr.write('usage: node bench/floor.mjs FILE.pcap\n');
  process.exit(1);
}
console.log(JSON.stringify(run(file)));
if (process.env.FLOOR_PARTS) {
  console.log(JSON.stringify({ without: 'Info', ...run(file, { info: false }) }));
  console.log(JSON.stringify({ without: 'Info and Time', ...run(file, { info: false, time: false }) }));
}
