// ARP (RFC 826), RARP (RFC 903), DRARP (RFC 1931) and Inverse ARP (RFC 2390), with tshark's
// Info texts and its per-capture detection of an IPv4 address claimed by two MAC addresses
// ("duplicate use of X detected!"). Addresses other than Ethernet MACs / IPv4 print as hex.

import { etherTypeTable } from './tables.ts';
import { PacketFlag, stateSlot, type Packet } from './packet.ts';
import { defineProtocol, hexBytes, hex } from './registry.ts';
import { GENERATED } from './tree.ts';
import type { Tvb } from './tvb.ts';
import { ipv4Text } from './ip.ts';

const OPCODES: Record<number, string> = {
  0: 'reserved', 1: 'request', 2: 'reply', 3: 'reverse request', 4: 'reverse reply', 5: 'drarp request',
  6: 'drarp reply', 7: 'drarp error', 8: 'inverse request', 9: 'inverse reply', 10: 'arp nak', 11: 'mars request',
  12: 'mars multi', 13: 'mars mserv', 14: 'mars join', 15: 'mars leave', 16: 'mars nak', 17: 'mars unserv',
  18: 'mars sjoin', 19: 'mars sleave', 20: 'mars grouplist request', 21: 'mars grouplist reply',
  22: 'mars redirect map', 23: 'mapos unarp', 24: 'experimental 1', 25: 'experimental 2', 65535: 'reserved',
};
const HW_TYPES: Record<number, string> = {
  0: 'NET/ROM pseudo', 1: 'Ethernet', 2: 'Experimental Ethernet', 3: 'AX.25', 4: 'ProNET', 5: 'Chaos', 6: 'IEEE 802',
  7: 'ARCNET', 8: 'Hyperchannel', 9: 'Lanstar', 10: 'Autonet Short Address', 11: 'Localtalk', 12: 'LocalNet',
  13: 'Ultra link', 14: 'SMDS', 15: 'Frame Relay DLCI', 16: 'ATM', 17: 'HDLC', 18: 'Fibre Channel',
  19: 'ATM (RFC 2225)', 20: 'Serial Line', 21: 'ATM', 22: 'MIL-STD-188-220', 23: 'Metricom STRIP',
  24: 'IEEE 1394.1995', 25: 'MAPOS', 26: 'Twinaxial', 27: 'EUI-64', 28: 'HIPARP', 29: 'IP and ARP over ISO 7816-3',
  30: 'ARPSec', 31: 'IPsec tunnel', 32: 'InfiniBand', 33: 'TIA-102 Project 25 CAI', 34: 'Wiegand Interface',
  35: 'Pure IP', 36: 'Experimental 1', 37: 'HFI', 256: 'Experimental 2', 257: 'AEthernet',
};

export const F = defineProtocol('arp', 'Address Resolution Protocol', {
  'arp.hw.type': { name: 'Hardware type', type: 'uint', vals: HW_TYPES },
  'arp.proto.type': { name: 'Protocol type', type: 'uint', base: 'hex', bits: 16 },
  'arp.hw.size': { name: 'Hardware size', type: 'uint' },
  'arp.proto.size': { name: 'Protocol size', type: 'uint' },
  'arp.opcode': { name: 'Opcode', type: 'uint', vals: OPCODES },
  'arp.isgratuitous': { name: 'Is gratuitous', type: 'bool' },
  'arp.isprobe': { name: 'Is probe', type: 'bool' },
  'arp.isannouncement': { name: 'Is announcement', type: 'bool' },
  'arp.src.hw': { name: 'Sender hardware address', type: 'bytes' },
  'arp.src.hw_mac': { name: 'Sender MAC address', type: 'ether' },
  'arp.src.proto': { name: 'Sender protocol address', type: 'bytes' },
  'arp.src.proto_ipv4': { name: 'Sender IP address', type: 'ipv4' },
  'arp.dst.hw': { name: 'Target hardware address', type: 'bytes' },
  'arp.dst.hw_mac': { name: 'Target MAC address', type: 'ether' },
  'arp.dst.proto': { name: 'Target protocol address', type: 'bytes' },
  'arp.dst.proto_ipv4': { name: 'Target IP address', type: 'ipv4' },
  'arp.duplicate-address-frame': { name: 'Frame showing earlier use of IP address', type: 'framenum' },
  'arp.duplicate-address-detected': { name: 'Duplicate IP address detected', type: 'none' },
  'arp.seconds-since-duplicate-address-frame': { name: 'Seconds since earlier frame seen', type: 'uint' },
});

/** Per capture: the first MAC seen for each IPv4 address, and what each frame found. */
class ArpState {
  readonly macOf = new Map<number, { mac: string; frame: number }>();
  /** Frame → [duplicate IP, earlier frame] found on the first pass. */
  readonly duplicates = new Map<number, [number, number]>();
}
const arpState = stateSlot(() => new ArpState());

const protoNames: Record<number, [string, string]> = {
  3: ['RARP', 'reverse'], 4: ['RARP', 'reverse'], 5: ['DRARP', 'drarp'], 6: ['DRARP', 'drarp'], 7: ['DRARP', 'drarp'],
  8: ['Inverse ARP', 'inverse'], 9: ['Inverse ARP', 'inverse'],
};

function isZero(b: Uint8Array): boolean {
  for (let i = 0; i < b.length; i++) if (b[i]) return false;
  return true;
}

function isBroadcastOrMulticast(mac: Uint8Array): boolean {
  return (mac[0]! & 1) === 1;
}

/**
 * Looks `ip` up in the capture's table: a different MAC than the first one seen means the
 * address is claimed twice. Returns the earlier frame, or 0.
 */
function checkDuplicate(st: ArpState, ip: number, mac: string, frame: number): number {
  const seen = st.macOf.get(ip);
  if (!seen) {
    st.macOf.set(ip, { mac, frame });
    return 0;
  }
  if (frame <= seen.frame) return 0;
  if (seen.mac !== mac) return seen.frame;
  seen.frame = frame; // the same pair again: the binding is fresh as of this frame
  return 0;
}

export function dissectArp(tvb: Tvb, p: Packet): void {
  p.layers.push('arp');
  p.cols.protocol = 'ARP';
  p.cols.clearInfo();
  const hrd = tvb.u16(0);
  const pro = tvb.u16(2);
  const hln = tvb.u8(4);
  const pln = tvb.u8(5);
  const op = tvb.u16(6);
  const kind = protoNames[op];
  if (kind) p.cols.protocol = kind[0];
  const shaOff = 8;
  const spaOff = shaOff + hln;
  const thaOff = spaOff + pln;
  const tpaOff = thaOff + hln;
  const sha = tvb.bytes(shaOff, hln);
  const spa = tvb.bytes(spaOff, pln);
  const tha = tvb.bytes(thaOff, hln);
  const tpa = tvb.bytes(tpaOff, pln);
  // Ethernet (and IEEE 802) hardware with 6-byte addresses prints as MACs; IPv4 as dotted quads.
  const etherHw = (hrd === 1 || hrd === 6) && hln === 6;
  const ipProto = pro === 0x0800 && pln === 4;
  const hwText = (b: Uint8Array) => (etherHw ? hexBytes(b) : hexBytes(b, ''));
  const prText = (b: Uint8Array) => (ipProto ? ipv4Text(((b[0]! << 24) | (b[1]! << 16) | (b[2]! << 8) | b[3]!) >>> 0) : hexBytes(b, ''));
  const spaN = ipProto ? ((spa[0]! << 24) | (spa[1]! << 16) | (spa[2]! << 8) | spa[3]!) >>> 0 : 0;
  const tpaN = ipProto ? ((tpa[0]! << 24) | (tpa[1]! << 16) | (tpa[2]! << 8) | tpa[3]!) >>> 0 : 0;
  let sameAddr = pln > 0;
  for (let i = 0; i < pln; i++) if (spa[i] !== tpa[i]) sameAddr = false;
  // RFC 5227: a gratuitous ARP announces the sender's own address; a probe has sender 0.0.0.0.
  const isGratuitous = (op === 1 || op === 2) && sameAddr;
  const isAnnouncement = op === 1 && sameAddr && isZero(tha);
  const isProbe = op === 1 && !sameAddr && isZero(spa) && isZero(tha);
  let info: string;
  switch (op) {
    case 1:
      if (isAnnouncement) info = `ARP Announcement for ${prText(spa)}`;
      else if (isGratuitous) info = `Gratuitous ARP for ${prText(spa)} (Request)`;
      else if (isProbe) info = `Who has ${prText(tpa)}? (ARP Probe)`;
      else info = `Who has ${prText(tpa)}? Tell ${prText(spa)}`;
      break;
    case 2:
      info = isGratuitous ? `Gratuitous ARP for ${prText(spa)} (Reply)` : `${prText(spa)} is at ${hwText(sha)}`;
      break;
    case 3:
    case 5:
    case 8:
      info = `Who is ${hwText(tha)}? Tell ${hwText(sha)}`;
      break;
    case 4:
    case 6:
      info = `${hwText(tha)} is at ${prText(tpa)}`;
      break;
    case 7:
      info = 'DRARP Error';
      break;
    case 9:
      info = `${hwText(sha)} is at ${prText(spa)}`;
      break;
    case 10:
      info = 'ARP NAK';
      break;
    case 0:
    case 65535:
      info = `Reserved opcode ${op}`;
      break;
    default:
      info = `Unknown ARP opcode 0x${hex(op, 4)}`;
  }

  // Duplicate address detection (Ethernet/IPv4 only): the sender's pair, and a reply's target.
  let dupIp = -1;
  let dupFrame = 0;
  if (etherHw && ipProto && (op === 1 || op === 2)) {
    const st = arpState.of(p.state);
    if (!p.visited) {
      if (!isBroadcastOrMulticast(sha) && !isZero(sha) && spaN !== 0) {
        const f = checkDuplicate(st, spaN, hexBytes(sha), p.num);
        if (f) {
          dupIp = spaN;
          dupFrame = f;
        }
      }
      // A reply's target pair is checked too, unless the sender already reported that address.
      // Its answer replaces the sender's, as in tshark 4.0: a duplicate found for the sender is
      // not reported when the target's check then finds none.
      if (op === 2 && !isBroadcastOrMulticast(tha) && !isZero(tha) && tpaN !== 0 && dupIp !== tpaN) {
        const f = checkDuplicate(st, tpaN, hexBytes(tha), p.num);
        dupIp = f ? tpaN : -1;
        dupFrame = f;
      }
      if (dupIp >= 0) st.duplicates.set(p.num, [dupIp, dupFrame]);
    } else {
      const d = st.duplicates.get(p.num);
      if (d) [dupIp, dupFrame] = d;
    }
  }
  if (dupIp >= 0) {
    info += ` (duplicate use of ${ipv4Text(dupIp)} detected!)`;
    p.flags |= PacketFlag.ExpertWarn;
  }
  p.cols.setInfo(info);

  const t = p.tree;
  if (t) {
    const opName = OPCODES[op] ?? 'Unknown';
    const title = kind ? (kind[0] === 'RARP' ? 'Reverse Address Resolution Protocol' : kind[0] === 'DRARP' ? 'Dynamic Reverse Address Resolution Protocol' : 'Inverse Address Resolution Protocol') : 'Address Resolution Protocol';
    const qualifier = isAnnouncement ? ' (ARP Announcement)' : isGratuitous ? ` (${opName}/gratuitous ARP)` : isProbe ? ' (ARP Probe)' : ` (${opName})`;
    t.open(F.proto, tvb, 0, tpaOff + pln, null, title + qualifier);
    t.add(F['arp.hw.type'], tvb, 0, 2, hrd);
    t.add(F['arp.proto.type'], tvb, 2, 2, pro, `Protocol type: ${pro === 0x0800 ? 'IPv4' : pro === 0x86dd ? 'IPv6' : 'Unknown'} (0x${hex(pro, 4)})`);
    t.add(F['arp.hw.size'], tvb, 4, 1, hln);
    t.add(F['arp.proto.size'], tvb, 5, 1, pln);
    t.add(F['arp.opcode'], tvb, 6, 2, op);
    if (isGratuitous) t.add(F['arp.isgratuitous'], tvb, 0, GENERATED, true, '[Is gratuitous: True]');
    if (isProbe) t.add(F['arp.isprobe'], tvb, 0, GENERATED, true, '[Is probe: True]');
    if (isAnnouncement) t.add(F['arp.isannouncement'], tvb, 0, GENERATED, true, '[Is announcement: True]');
    if (etherHw) t.add(F['arp.src.hw_mac'], tvb, shaOff, hln, sha);
    else if (hln) t.add(F['arp.src.hw'], tvb, shaOff, hln, sha);
    if (ipProto) t.add(F['arp.src.proto_ipv4'], tvb, spaOff, 4, spaN);
    else if (pln) t.add(F['arp.src.proto'], tvb, spaOff, pln, spa);
    if (etherHw) t.add(F['arp.dst.hw_mac'], tvb, thaOff, hln, tha);
    else if (hln) t.add(F['arp.dst.hw'], tvb, thaOff, hln, tha);
    if (ipProto) t.add(F['arp.dst.proto_ipv4'], tvb, tpaOff, 4, tpaN);
    else if (pln) t.add(F['arp.dst.proto'], tvb, tpaOff, pln, tpa);
    t.close();
    if (dupIp >= 0) {
      // tshark puts the finding beside the ARP layer, its expert item on the earlier frame's link.
      t.text(tvb, 0, 0, `[Duplicate IP address detected for ${ipv4Text(dupIp)} (${hexBytes(dupIp === spaN ? sha : tha)}) - also in use by ${st_mac(p, dupIp)} (frame ${dupFrame})]`, true);
      t.open(F['arp.duplicate-address-frame'], tvb, 0, GENERATED, dupFrame);
      t.expert('warn', `Duplicate IP address configured (${ipv4Text(dupIp)})`, tvb, 0, 0, 'Sequence');
      t.close();
      const earlier = p.state.frameTime(dupFrame);
      if (earlier) t.add(F['arp.seconds-since-duplicate-address-frame'], tvb, 0, GENERATED, p.frame.tsSec - earlier.sec);
      t.close();
    }
  }
}

function st_mac(p: Packet, ip: number): string {
  return arpState.of(p.state).macOf.get(ip)?.mac ?? '';
}

etherTypeTable.add(0x0806, dissectArp);
etherTypeTable.add(0x8035, dissectArp);
