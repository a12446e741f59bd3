// CDP, the Cisco Discovery Protocol (LLC/SNAP, OUI 00:00:0c, PID 0x2000), which Cisco switches,
// routers and phones send every 60 s: Info "Device ID: sw-lab-1  Port ID: Gi1/0/4  " as tshark
// 4.0 writes it; the TLVs a lab switch sends (software version, platform, addresses,
// capabilities, VTP domain, native VLAN, duplex) in the tree, the rest as bytes.

import { internetChecksum, wordSum } from './checksum.ts';
import { llcSnapTable } from './llc.ts';
import type { Packet } from './packet.ts';
import { bitPattern, defineProtocol, ipv4ToString } from './registry.ts';
import { formatText } from './text.ts';
import type { TreeSink } from './tree.ts';
import type { Tvb } from './tvb.ts';

const TLV_TYPES: Record<number, string> = {
  0x01: 'Device ID', 0x02: 'Addresses', 0x03: 'Port ID', 0x04: 'Capabilities', 0x05: 'Software version', 0x06: 'Platform',
  0x07: 'IP Prefix/Gateway (used for ODR)', 0x08: 'Protocol Hello', 0x09: 'VTP Management Domain', 0x0a: 'Native VLAN',
  0x0b: 'Duplex', 0x0e: 'VoIP VLAN Reply', 0x0f: 'VoIP VLAN Query', 0x10: 'Power consumption', 0x11: 'MTU',
  0x12: 'Trust Bitmap', 0x13: 'Untrusted Port CoS', 0x14: 'System Name', 0x15: 'System Object ID', 0x16: 'Management Address',
  0x17: 'Location', 0x18: 'External Port-ID', 0x19: 'Power Requested', 0x1a: 'Power Available', 0x1b: 'Port Unidirectional',
  0x1d: 'EnergyWise', 0x1f: 'Spare PoE',
};

const CAPABILITIES = ['Router', 'Transparent Bridge', 'Source Route Bridge', 'Switch', 'Host', 'IGMP capable', 'Repeater',
  'VoIP Phone', 'Remotely Managed Device', 'CVTA/STP Dispute Resolution/Cisco VT Camera', 'Two Port Mac Relay'];

const F = defineProtocol('cdp', 'Cisco Discovery Protocol', {
  'cdp.version': { name: 'Version', type: 'uint' },
  'cdp.ttl': { name: 'TTL', type: 'uint', unit: ' seconds' },
  'cdp.checksum': { name: 'Checksum', type: 'uint', base: 'hex', bits: 16 },
  'cdp.tlv.type': { name: 'Type', type: 'uint', base: 'hex', bits: 16, vals: TLV_TYPES },
  'cdp.tlv.len': { name: 'Length', type: 'uint' },
  'cdp.deviceid': { name: 'Device ID', type: 'string' },
  'cdp.portid': { name: 'Sent through Interface', type: 'string' },
  'cdp.software_version': { name: 'Software version', type: 'string' },
  'cdp.platform': { name: 'Platform', type: 'string' },
  'cdp.nrgyz.addresses': { name: 'Number of addresses', type: 'uint' },
  'cdp.address': { name: 'IP Address', type: 'ipv4' },
  'cdp.capabilities': { name: 'Capabilities', type: 'uint', base: 'hex', bits: 32 },
  'cdp.vtp_management_domain': { name: 'VTP Management Domain', type: 'string' },
  'cdp.native_vlan': { name: 'Native VLAN', type: 'uint' },
  'cdp.duplex': { name: 'Duplex', type: 'bool', tfs: ['Full', 'Half'] },
  'cdp.data': { name: 'Data', type: 'bytes' },
});

/** CDP's checksum (RFC 1071, with Cisco's handling of an odd last byte, as tshark checks it). */
function cdpChecksum(tvb: Tvb): number {
  const n = tvb.reportedLength;
  let sum = wordSum(tvb, n & ~1, (i) => i === 2); // the checksum field counts as 0
  if (n % 2) {
    // The last byte counts as the low byte of a word, less one when its top bit is set.
    let last = tvb.u8(n - 1);
    let high = 0;
    if (last & 0x80) {
      last = (last - 1) & 0xff;
      high = 0xff;
    }
    sum += (high << 8) | last;
  }
  return internetChecksum(sum);
}

const text = (tvb: Tvb, off: number, len: number) => {
  let end = off;
  while (end < off + len && tvb.u8(end) !== 0) end++;
  return formatText(tvb.latin1(off, end - off));
};

export function dissectCdp(tvb: Tvb, p: Packet): void {
  p.layers.push('cdp');
  p.cols.protocol = 'CDP';
  p.cols.clearInfo();
  const t = p.tree;
  if (t) {
    t.open(F.proto, tvb, 0, tvb.reportedLength, null);
    t.add(F['cdp.version'], tvb, 0, 1, tvb.u8(0));
    t.add(F['cdp.ttl'], tvb, 1, 1, tvb.u8(1));
    const c = tvb.u16(2);
    const hex = (v: number) => `0x${v.toString(16).padStart(4, '0')}`;
    if (tvb.length === tvb.reportedLength) {
      const want = cdpChecksum(tvb);
      if (want === c) t.add(F['cdp.checksum'], tvb, 2, 2, c, `Checksum: ${hex(c)} [correct]`);
      else {
        t.open(F['cdp.checksum'], tvb, 2, 2, c, `Checksum: ${hex(c)} incorrect, should be ${hex(want)}`);
        t.expert('error', `Bad checksum [should be ${hex(want)}]`, tvb, 2, 2, 'Checksum');
        t.close();
      }
      t.text(tvb, 2, 0, `[Checksum Status: ${want === c ? 'Good' : 'Bad'}]`);
    } else {
      t.add(F['cdp.checksum'], tvb, 2, 2, c, `Checksum: ${hex(c)} [unverified]`);
      t.text(tvb, 2, 0, '[Checksum Status: Unverified]');
    }
  }
  try {
    for (let o = 4; tvb.reportedRemaining(o) > 0; ) {
      const type = tvb.u16(o);
      const len = tvb.u16(o + 2);
      if (len < 4) {
        if (t) {
          t.text(tvb, o, 4, `TLV with invalid length ${len} (< 4)`, true);
          t.add(F['cdp.tlv.type'], tvb, o, 2, type);
          t.add(F['cdp.tlv.len'], tvb, o + 2, 2, len);
          t.close();
        }
        break;
      }
      o += tlv(tvb, o, type, len, p, t);
    }
  } finally {
    t?.close();
  }
}

/** One TLV; returns the bytes it took (a Port ID may take 3 more than it says, as tshark allows). */
function tlv(tvb: Tvb, o: number, type: number, len: number, p: Packet, t: TreeSink | null): number {
  const d = o + 4;
  const n = len - 4;
  let took = len;
  let label = TLV_TYPES[type] ?? `Type: Unknown (0x${type.toString(16).padStart(4, '0')})`;
  const inner: (() => void)[] = [];
  switch (type) {
    case 0x01: {
      const id = text(tvb, d, n);
      p.cols.appendInfo(`Device ID: ${id}  `);
      label = `Device ID: ${id}`;
      inner.push(() => t?.add(F['cdp.deviceid'], tvb, d, n, tvb.latin1(d, n)));
      break;
    }
    case 0x03: {
      // Some devices count the port ID TLV 3 bytes short; tshark checks the next TLV type's high byte.
      if (tvb.reportedRemaining(o) >= len + 3 && tvb.u8(o + len) !== 0x00 && tvb.u8(o + len) !== 0x10) took = len + 3;
      p.cols.appendInfo(`Port ID: ${text(tvb, d, n)}  `);
      label = `Port ID: ${formatText(tvb.latin1(d, took - 4))}`;
      inner.push(() => t?.add(F['cdp.portid'], tvb, d, took - 4, tvb.latin1(d, took - 4)));
      break;
    }
    case 0x02: {
      const count = tvb.u32(d);
      inner.push(() => t?.add(F['cdp.nrgyz.addresses'], tvb, d, 4, count));
      let a = d + 4;
      for (let i = 0; i < count && a + 9 <= o + len; i++) {
        const protoType = tvb.u8(a);
        const protoLen = tvb.u8(a + 1);
        const addrLenAt = a + 2 + protoLen;
        const addrLen = tvb.u16(addrLenAt);
        const isIp = protoType === 1 && protoLen === 1 && tvb.u8(a + 2) === 0xcc && addrLen === 4;
        const at = a;
        if (isIp) {
          const ip = ipv4ToString(tvb.u32(addrLenAt + 2));
          inner.push(() => {
            if (!t) return;
            t.text(tvb, at, 2 + protoLen + 2 + addrLen, `IP address: ${ip}`, true);
            t.text(tvb, at, 1, 'Protocol type: NLPID (0x01)');
            t.text(tvb, at + 1, 1, `Protocol length: ${protoLen}`);
            t.text(tvb, at + 2, 1, 'Protocol: IP');
            t.text(tvb, addrLenAt, 2, `Address length: ${addrLen}`);
            t.add(F['cdp.address'], tvb, addrLenAt + 2, 4, tvb.u32(addrLenAt + 2));
            t.close();
          });
        } else inner.push(() => t?.add(F['cdp.data'], tvb, at, 4 + protoLen + addrLen, tvb.bytes(at, Math.min(4 + protoLen + addrLen, tvb.remaining(at)))));
        a = addrLenAt + 2 + addrLen;
      }
      break;
    }
    case 0x04: {
      const caps = tvb.u32(d);
      inner.push(() => {
        if (!t) return;
        t.open(F['cdp.capabilities'], tvb, d, 4, caps);
        CAPABILITIES.forEach((name, i) => t.text(tvb, d, 4, `${bitPattern(2 ** i, 32, caps)}${name}: ${caps & (1 << i) ? 'Yes' : 'No'}`));
        t.close();
      });
      break;
    }
    case 0x05:
      label = 'Software Version';
      // One item per line of the version text, as tshark splits it.
      for (let s = d; s < d + n; ) {
        let e = s;
        while (e < d + n && tvb.u8(e) !== 0x0a) e++;
        const line = tvb.latin1(s, e - s);
        const at = s;
        inner.push(() => t?.add(F['cdp.software_version'], tvb, at, e - at, line));
        s = e + 1;
      }
      break;
    case 0x06:
      label = `Platform: ${formatText(tvb.latin1(d, n))}`;
      inner.push(() => t?.add(F['cdp.platform'], tvb, d, n, tvb.latin1(d, n)));
      break;
    case 0x09:
      label = `VTP Management Domain: ${formatText(tvb.latin1(d, n))}`;
      inner.push(() => t?.add(F['cdp.vtp_management_domain'], tvb, d, n, tvb.latin1(d, n)));
      break;
    case 0x0a:
      label = `Native VLAN: ${tvb.u16(d)}`;
      inner.push(() => t?.add(F['cdp.native_vlan'], tvb, d, 2, tvb.u16(d)));
      break;
    case 0x0b:
      label = `Duplex: ${tvb.u8(d) ? 'Full' : 'Half'}`;
      inner.push(() => t?.add(F['cdp.duplex'], tvb, d, 1, tvb.u8(d) !== 0));
      break;
    default:
      if (n > 0) inner.push(() => t?.add(F['cdp.data'], tvb, d, n, tvb.bytes(d, Math.min(n, tvb.remaining(d)))));
  }
  if (t) {
    t.text(tvb, o, took, label, true);
    t.add(F['cdp.tlv.type'], tvb, o, 2, type);
    t.add(F['cdp.tlv.len'], tvb, o + 2, 2, len);
    for (const add of inner) add();
    t.close();
  }
  return took;
}

llcSnapTable.set(0x00000c * 0x10000 + 0x2000, dissectCdp);
