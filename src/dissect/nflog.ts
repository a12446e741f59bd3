// Linux netfilter log messages: LINKTYPE_NFLOG (239), what `tcpdump -i nflog:N` records from an
// iptables/nftables NFLOG rule (https://www.tcpdump.org/linktypes/LINKTYPE_NFLOG.html).
// A 4-byte header (address family, version, resource id) and then TLVs, each padded to 4 bytes;
// NFULA_PAYLOAD holds the logged packet, starting at its network header.
//
// The TLV lengths and types are in the byte order of the host that wrote the file (libpcap
// swaps them when it reads a file of the other order). A record does not say the file's byte
// order, so it is told from the first TLV: little-endian (x86, ARM) unless only the big-endian
// reading gives a length that fits.

import { dispatchEtherType, etherTypeText } from './eth.ts';
import { dissectIpv4 } from './ip.ts';
import { dissectIpv6Header } from './ipv6.ts';
import type { Packet } from './packet.ts';
import { defineProtocol } from './registry.ts';
import { linkTypeTable } from './tables.ts';
import type { Tvb } from './tvb.ts';
import { dissectData } from './data.ts';

const AF_INET = 2;
const AF_INET6 = 10;
const NFULA_PACKET_HDR = 1;
const NFULA_PAYLOAD = 9;

const FAMILIES = { 0: 'Unspecified', 2: 'IPv4', 7: 'Bridge', 10: 'IPv6', 12: 'DECnet' };
const TLV_TYPES: Record<number, string> = {
  0: 'NFULA_UNSPEC', 1: 'NFULA_PACKET_HDR', 2: 'NFULA_MARK', 3: 'NFULA_TIMESTAMP', 4: 'NFULA_IFINDEX_INDEV',
  5: 'NFULA_IFINDEX_OUTDEV', 6: 'NFULA_IFINDEX_PHYSINDEV', 7: 'NFULA_IFINDEX_PHYSOUTDEV', 8: 'NFULA_HWADDR',
  9: 'NFULA_PAYLOAD', 10: 'NFULA_PREFIX', 11: 'NFULA_UID', 12: 'NFULA_SEQ', 13: 'NFULA_SEQ_GLOBAL', 14: 'NFULA_GID',
  15: 'NFULA_HWTYPE', 16: 'NFULA_HWHEADER', 17: 'NFULA_HWLEN',
};
// Netfilter hooks (enum nf_inet_hooks, linux/netfilter.h), worded as Wireshark words them.
const HOOKS = { 0: 'Pre-routing', 1: 'Local in', 2: 'Forward', 3: 'Local out', 4: 'Post-routing' };

export const F = defineProtocol('nflog', 'Linux Netfilter NFLOG', {
  'nflog.family': { name: 'Family', type: 'uint', vals: FAMILIES },
  'nflog.version': { name: 'Version', type: 'uint' },
  'nflog.res_id': { name: 'Resource id', type: 'uint' },
  'nflog.tlv': { name: 'TLV', type: 'bytes' },
  'nflog.tlv_length': { name: 'Length', type: 'uint' },
  'nflog.tlv_type': { name: 'Type', type: 'uint', vals: TLV_TYPES, mask: 0x7fff, bits: 16 },
  'nflog.protocol': { name: 'HW protocol', type: 'uint', base: 'hex', bits: 16 },
  'nflog.hook': { name: 'Netfilter hook', type: 'uint', vals: HOOKS },
  'nflog.ifindex_indev': { name: 'IFINDEX_INDEV', type: 'uint' },
  'nflog.ifindex_outdev': { name: 'IFINDEX_OUTDEV', type: 'uint' },
  'nflog.ifindex_physindev': { name: 'IFINDEX_PHYSINDEV', type: 'uint' },
  'nflog.ifindex_physoutdev': { name: 'IFINDEX_PHYSOUTDEV', type: 'uint' },
  'nflog.prefix': { name: 'Prefix', type: 'string' },
  'nflog.uid': { name: 'UID', type: 'uint' },
  'nflog.gid': { name: 'GID', type: 'uint' },
  'nflog.tlv_value': { name: 'Value', type: 'bytes' },
});

const IFINDEX_FIELDS: Record<number, keyof typeof F> = {
  4: 'nflog.ifindex_indev', 5: 'nflog.ifindex_outdev', 6: 'nflog.ifindex_physindev', 7: 'nflog.ifindex_physoutdev',
};

/** Whether the TLVs are little-endian (see the file comment). */
function tlvsLittleEndian(tvb: Tvb): boolean {
  if (!tvb.has(4, 2)) return true;
  const room = tvb.length - 4;
  const le = tvb.u16le(4);
  const be = tvb.u16(4);
  const fits = (n: number) => n >= 4 && n <= room;
  return fits(le) || !fits(be);
}

export function dissectNflog(tvb: Tvb, p: Packet): void {
  p.layers.push('nflog');
  p.cols.protocol = 'NFLOG';
  p.cols.clearInfo();
  const family = tvb.u8(0);
  const t = p.tree;
  if (t) {
    t.open(F.proto, tvb, 0, tvb.length, null);
    t.add(F['nflog.family'], tvb, 0, 1, family);
    t.add(F['nflog.version'], tvb, 1, 1, tvb.u8(1));
    t.add(F['nflog.res_id'], tvb, 2, 2, tvb.u16(2));
  }
  const le = tlvsLittleEndian(tvb);
  let hwProtocol = 0;
  let payload: Tvb | null = null;
  let off = 4;
  try {
    while (tvb.reportedRemaining(off) >= 4) {
      const len = le ? tvb.u16le(off) : tvb.u16(off);
      if (len < 4) break; // malformed: stop, as tshark does, without failing the packet
      const type = (le ? tvb.u16le(off + 2) : tvb.u16(off + 2)) & 0x7fff; // top bit: NLA_F_NESTED
      const valueLen = len - 4;
      const v = off + 4;
      if (t) {
        t.open(F['nflog.tlv'], tvb, off, len, null, `TLV Type: ${TLV_TYPES[type] ?? 'Unknown'} (${type}), Length: ${len}`);
        t.add(F['nflog.tlv_length'], tvb, off, 2, len);
        t.add(F['nflog.tlv_type'], tvb, off + 2, 2, type);
        if (type === NFULA_PACKET_HDR && valueLen === 4) {
          t.add(F['nflog.protocol'], tvb, v, 2, tvb.u16(v), `HW protocol: ${etherTypeText(tvb.u16(v))}`);
          t.add(F['nflog.hook'], tvb, v + 2, 1, tvb.u8(v + 2));
        } else if (IFINDEX_FIELDS[type] && valueLen === 4) t.add(F[IFINDEX_FIELDS[type]], tvb, v, 4, tvb.u32(v));
        else if (type === 10 && valueLen >= 1) t.add(F['nflog.prefix'], tvb, v, valueLen, tvb.latin1(v, valueLen).replace(/\0+$/, ''));
        else if (type === 11 && valueLen === 4) t.add(F['nflog.uid'], tvb, v, 4, tvb.u32(v));
        else if (type === 14 && valueLen === 4) t.add(F['nflog.gid'], tvb, v, 4, tvb.u32(v));
        else if (type !== NFULA_PAYLOAD && valueLen > 0) t.add(F['nflog.tlv_value'], tvb, v, valueLen, tvb.bytes(v, Math.min(valueLen, tvb.remaining(v))));
        t.close();
      }
      if (type === NFULA_PACKET_HDR && valueLen === 4) hwProtocol = tvb.u16(v);
      if (type === NFULA_PAYLOAD) payload = tvb.sub(v, valueLen);
      off += (len + 3) & ~3; // each TLV is padded to 4 bytes
    }
  } finally {
    t?.close();
  }
  if (!payload) return;
  // The hardware protocol (an EtherType) names the payload; without it, the family does.
  if (hwProtocol) dispatchEtherType(hwProtocol, payload, p);
  else if (family === AF_INET) dissectIpv4(payload, p);
  else if (family === AF_INET6) dissectIpv6Header(payload, p);
  else dissectData(payload, p);
}

linkTypeTable.add(239, dissectNflog); // LINKTYPE_NFLOG
