// ICMPv6 (RFC 4443) with Neighbor Discovery (RFC 4861) and its options, MLD (RFC 2710) and
// MLDv2 (RFC 3810), echo request/reply matching, and the quoted packet of error messages
// (dissected with the outer columns kept, like ICMP). Info texts are tshark 4.0's.

import { stateSlot, PacketFlag, type Packet } from './packet.ts';
import { defineProtocol, hexBytes } from './registry.ts';
import { ipProtoTable } from './tables.ts';
import { dissectData } from './data.ts';
import { GENERATED, type TreeSink } from './tree.ts';
import type { Tvb } from './tvb.ts';
import { dissectIpv6Header, ipv6Text } from './ipv6.ts';
import { dissectQuoted } from './icmp.ts';
import { echoInfo, EchoMatcher, responseMs, unanswered } from './icmp-echo.ts';
import { checksumTree, internetChecksum, sum16, wordSum } from './checksum.ts';
import { errorContext } from './ip-reassembly.ts';

const TYPES: Record<number, string> = {
  1: 'Destination Unreachable', 2: 'Packet Too Big', 3: 'Time Exceeded', 4: 'Parameter Problem', 100: 'Private experimentation',
  101: 'Private experimentation', 127: 'Reserved for expansion of ICMPv6 error messages', 128: 'Echo (ping) request',
  129: 'Echo (ping) reply', 130: 'Multicast Listener Query', 131: 'Multicast Listener Report', 132: 'Multicast Listener Done',
  133: 'Router Solicitation', 134: 'Router Advertisement', 135: 'Neighbor Solicitation', 136: 'Neighbor Advertisement',
  137: 'Redirect', 138: 'Router Renumbering', 139: 'Node Information Query', 140: 'Node Information Reply',
  141: 'Inverse Neighbor Discovery Solicitation', 142: 'Inverse Neighbor Discovery Advertisement',
  143: 'Multicast Listener Report Message v2', 144: 'Home Agent Address Discovery Request',
  145: 'Home Agent Address Discovery Reply', 146: 'Mobile Prefix Solicitation', 147: 'Mobile Prefix Advertisement',
  148: 'Certification Path Solicitation', 149: 'Certification Path Advertisement', 150: 'Experimental Mobility',
  151: 'Multicast Router Advertisement', 152: 'Multicast Router Solicitation', 153: 'Multicast Router Termination',
  154: 'FMIPv6', 155: 'RPL Control', 156: 'Locator Update', 157: 'Duplicate Address Request',
  158: 'Duplicate Address Confirmation', 159: 'MPL Control Message', 160: 'Extended Echo request',
  161: 'Extended Echo reply', 200: 'Private experimentation', 201: 'Private experimentation',
  255: 'Reserved for expansion of ICMPv6 informational messages',
};

const CODES: Record<number, Record<number, string>> = {
  1: {
    0: 'no route to destination', 1: 'Administratively prohibited', 2: 'Beyond scope of source address',
    3: 'Address unreachable', 4: 'Port unreachable', 5: 'Source address failed ingress/egress policy',
    6: 'Reject route to destination', 7: 'Error in Source Routing Header',
  },
  3: { 0: 'hop limit exceeded in transit', 1: 'fragment reassembly time exceeded' },
  4: {
    0: 'erroneous header field encountered', 1: 'unrecognized Next Header type encountered',
    2: 'unrecognized IPv6 option encountered', 3: 'IPv6 First Fragment has incomplete IPv6 Header Chain',
  },
  138: { 0: 'Command', 1: 'Result', 255: 'Sequence number reset' },
  139: { 0: 'Query subject = IPv6 addresses', 1: 'Query subject = DNS name or empty', 2: 'Query subject = IPv4 addresses' },
  140: { 0: 'Successful', 1: 'Refused', 2: 'Unknown query type' },
  155: {
    0: 'DODAG Information Solicitation', 1: 'DODAG Information Object', 2: 'Destination Advertisement Object',
    3: 'Destination Advertisement Object Acknowledgment', 4: 'P2P Discovery Reply Object',
    5: 'P2P Discovery Reply Object Acknowledgement', 128: 'Secure DODAG Information Solicitation',
    129: 'Secure DODAG Information Object', 130: 'Secure Destination Advertisement Object',
    131: 'Secure Destination Advertisement Object Acknowledgment', 132: 'P2P Secure Discovery Reply Object',
    133: 'P2P Secure Discovery Reply Object Acknowledgement', 138: 'Consistency Check',
  },
  160: { 0: 'No error' },
  161: { 0: 'No error', 1: 'Malformed Query', 2: 'No Such Interface', 3: 'No Such Table Entry', 4: 'Multiple Interfaces Satisfy Query' },
};

const OPT_TYPES: Record<number, string> = {
  1: 'Source link-layer address', 2: 'Target link-layer address', 3: 'Prefix information', 4: 'Redirected header', 5: 'MTU',
  6: 'NBMA Shortcut Limit Option', 7: 'Advertisement Interval', 8: 'Home Agent Information', 9: 'Source Address List',
  10: 'Target Address List', 11: 'CGA', 12: 'RSA Signature', 13: 'Timestamp', 14: 'Nonce', 15: 'Trust Anchor',
  16: 'Certificate', 17: 'IP Address/Prefix Option', 18: 'New Router Prefix Information', 19: 'Link-layer Address',
  20: 'Neighbor Advertisement Acknowledgment', 23: 'MAP', 24: 'Route Information', 25: 'Recursive DNS Server',
  26: 'RA Flags Extension', 27: 'Handover Key Request', 28: 'Handover Key Reply', 29: 'Handover Assist Information',
  30: 'Mobile Node Identifier Option', 31: 'DNS Search List Option', 32: 'Proxy Signature (PS)',
  33: 'Address Registration Option', 34: '6LoWPAN Context Option', 35: 'Authoritative Border Router',
  36: '6LoWPAN Capability Indication Option', 37: 'DHCP Captive-Portal', 38: 'PREF64 Option', 138: 'CARD Request',
  139: 'CARD Reply', 253: 'RFC3692-style Experiment 1', 254: 'RFC3692-style Experiment 2',
};

export const F = defineProtocol('icmpv6', 'Internet Control Message Protocol v6', {
  'icmpv6.type': { name: 'Type', type: 'uint', vals: TYPES },
  'icmpv6.code': { name: 'Code', type: 'uint' },
  'icmpv6.checksum': { name: 'Checksum', type: 'uint', base: 'hex', bits: 16 },
  'icmpv6.reserved': { name: 'Reserved', type: 'bytes' },
  'icmpv6.data': { name: 'Data', type: 'bytes' },
  'icmpv6.mtu': { name: 'MTU', type: 'uint' },
  'icmpv6.pointer': { name: 'Pointer', type: 'uint' },
  'icmpv6.echo.identifier': { name: 'Identifier', type: 'uint', base: 'hex', bits: 16 },
  'icmpv6.echo.sequence_number': { name: 'Sequence', type: 'uint' },
  'icmpv6.resp_in': { name: 'Response In', type: 'framenum' },
  'icmpv6.resp_to': { name: 'Response To', type: 'framenum' },
  'icmpv6.resptime': { name: 'Response Time', type: 'float', unit: ' ms' },
  'icmpv6.no_resp': { name: 'No response seen', type: 'none' },
  'icmpv6.nd.ra.cur_hop_limit': { name: 'Cur hop limit', type: 'uint' },
  'icmpv6.nd.ra.flag': { name: 'Flags', type: 'uint', base: 'hex', bits: 8 },
  'icmpv6.nd.ra.router_lifetime': { name: 'Router lifetime (s)', type: 'uint' },
  'icmpv6.nd.ra.reachable_time': { name: 'Reachable time (ms)', type: 'uint' },
  'icmpv6.nd.ra.retrans_timer': { name: 'Retrans timer (ms)', type: 'uint' },
  'icmpv6.nd.ns.target_address': { name: 'Target Address', type: 'ipv6' },
  'icmpv6.nd.na.flag': { name: 'Flags', type: 'uint', base: 'hex', bits: 32 },
  'icmpv6.nd.na.flag.r': { name: 'Router', type: 'bool', mask: 0x80000000, bits: 32, tfs: ['Set', 'Not set'] },
  'icmpv6.nd.na.flag.s': { name: 'Solicited', type: 'bool', mask: 0x40000000, bits: 32, tfs: ['Set', 'Not set'] },
  'icmpv6.nd.na.flag.o': { name: 'Override', type: 'bool', mask: 0x20000000, bits: 32, tfs: ['Set', 'Not set'] },
  'icmpv6.nd.na.target_address': { name: 'Target Address', type: 'ipv6' },
  'icmpv6.nd.rd.target_address': { name: 'Target Address', type: 'ipv6' },
  'icmpv6.nd.rd.destination_address': { name: 'Destination Address', type: 'ipv6' },
  'icmpv6.opt': { name: 'ICMPv6 Option', type: 'none' },
  'icmpv6.opt.type': { name: 'Type', type: 'uint', vals: OPT_TYPES },
  'icmpv6.opt.length': { name: 'Length', type: 'uint' },
  'icmpv6.opt.linkaddr': { name: 'Link-layer address', type: 'ether' },
  'icmpv6.opt.src_linkaddr': { name: 'Source Link-layer address', type: 'ether' },
  'icmpv6.opt.target_linkaddr': { name: 'Target Link-layer address', type: 'ether' },
  'icmpv6.opt.prefix.length': { name: 'Prefix Length', type: 'uint' },
  'icmpv6.opt.prefix.valid_lifetime': { name: 'Valid Lifetime', type: 'uint' },
  'icmpv6.opt.prefix.preferred_lifetime': { name: 'Preferred Lifetime', type: 'uint' },
  'icmpv6.opt.prefix': { name: 'Prefix', type: 'ipv6' },
  'icmpv6.opt.mtu': { name: 'MTU', type: 'uint' },
  'icmpv6.mld.maximum_response_delay': { name: 'Maximum Response Delay [ms]', type: 'uint' },
  'icmpv6.mld.multicast_address': { name: 'Multicast Address', type: 'ipv6' },
  'icmpv6.mldr.nb_mcast_records': { name: 'Number of Multicast Address Records', type: 'uint' },
  'icmpv6.mldr.mar.record_type': { name: 'Record Type', type: 'uint' },
  'icmpv6.mldr.mar.multicast_address': { name: 'Multicast Address', type: 'ipv6' },
});

const echoes = stateSlot(() => new EchoMatcher());

function codeText(type: number, code: number): string {
  const table = CODES[type];
  if (!table) return '';
  const s = table[code];
  if (s !== undefined) return s;
  return type === 1 ? 'Unknown' : `Unknown (${code})`;
}

/** ND options (RFC 4861 §4.6): length in units of 8 bytes; 0 is invalid and stops the walk. */
function dissectNdOptions(tvb: Tvb, off: number, t: TreeSink | null): { sll: string; tll: string } {
  const out = { sll: '', tll: '' };
  while (tvb.remaining(off) >= 2) {
    const type = tvb.u8(off);
    const lenUnits = tvb.u8(off + 1);
    const len = lenUnits * 8;
    const name = OPT_TYPES[type] ?? 'Unknown';
    if (len === 0) {
      t?.expert('error', 'Invalid option length (Zero)', tvb, off + 1, 1, 'Malformed');
      break;
    }
    tvb.check(off, len);
    let label = `ICMPv6 Option (${name})`;
    if ((type === 1 || type === 2) && len === 8) {
      const mac = hexBytes(tvb.bytes(off + 2, 6));
      if (type === 1) out.sll = mac;
      else out.tll = mac;
      label += ` : ${mac}`;
    }
    if (t) {
      t.open(F['icmpv6.opt'], tvb, off, len, null, label);
      t.add(F['icmpv6.opt.type'], tvb, off, 1, type);
      t.add(F['icmpv6.opt.length'], tvb, off + 1, 1, lenUnits, `Length: ${lenUnits} (${len} bytes)`);
      if ((type === 1 || type === 2) && len === 8) {
        const mac = tvb.bytes(off + 2, 6);
        t.add(F['icmpv6.opt.linkaddr'], tvb, off + 2, 6, mac);
        t.add(type === 1 ? F['icmpv6.opt.src_linkaddr'] : F['icmpv6.opt.target_linkaddr'], tvb, off + 2, 6, mac);
      } else if (type === 3 && len >= 32) {
        t.add(F['icmpv6.opt.prefix.length'], tvb, off + 2, 1, tvb.u8(off + 2));
        t.add(F['icmpv6.opt.prefix.valid_lifetime'], tvb, off + 4, 4, tvb.u32(off + 4));
        t.add(F['icmpv6.opt.prefix.preferred_lifetime'], tvb, off + 8, 4, tvb.u32(off + 8));
        t.add(F['icmpv6.opt.prefix'], tvb, off + 16, 16, tvb.bytes(off + 16, 16));
      } else if (type === 5 && len >= 8) {
        t.add(F['icmpv6.opt.mtu'], tvb, off + 4, 4, tvb.u32(off + 4));
      }
      t.close();
    }
    off += len;
  }
  return out;
}

export function dissectIcmpv6(tvb: Tvb, p: Packet): void {
  p.layers.push('icmpv6');
  p.cols.protocol = 'ICMPv6';
  p.cols.clearInfo();
  const hlim = p.ipTtl;
  const type = tvb.u8(0);
  const code = tvb.u8(1);
  const cksum = tvb.u16(2);
  const typeName = TYPES[type] ?? `Unknown (${type})`;
  const codeName = codeText(type, code);
  let info = codeName ? `${typeName} (${codeName})` : typeName;
  const t = p.tree;
  if (t) {
    t.open(F.proto, tvb, 0, tvb.length, null);
    t.add(F['icmpv6.type'], tvb, 0, 1, type, `Type: ${TYPES[type] ?? 'Unknown'} (${type})`);
    t.add(F['icmpv6.code'], tvb, 1, 1, code, codeName ? `Code: ${code} (${codeName})` : `Code: ${code}`);
    // tshark verifies ICMPv6's checksum over the pseudo-header (RFC 4443 §2.3, RFC 8200 §8.1)
    // when the message is whole and not quoted by an error message.
    const len = tvb.reportedLength;
    if (tvb.length >= len && errorContext.depth === 0 && p.ipv6Src && p.ipv6Dst) {
      const pseudo = sum16(p.ipv6Src) + sum16(p.ipv6Dst) + (len >>> 16) + (len & 0xffff) + 58;
      checksumTree(t, F['icmpv6.checksum'], tvb, 2, internetChecksum(pseudo + wordSum(tvb, len, (i) => i === 2)), '', 'warn');
    } else {
      t.add(F['icmpv6.checksum'], tvb, 2, 2, cksum, `Checksum: 0x${cksum.toString(16).padStart(4, '0')} [unverified]`);
    }
  }
  try {
    if (type >= 1 && type <= 4) {
      // Errors (RFC 4443 §3): a 4-byte field, then as much of the offending packet as fits.
      p.flags |= PacketFlag.IcmpError;
      p.cols.setInfo(info);
      if (t) {
        if (type === 2) t.add(F['icmpv6.mtu'], tvb, 4, 4, tvb.u32(4));
        else if (type === 4) t.add(F['icmpv6.pointer'], tvb, 4, 4, tvb.u32(4));
        else t.add(F['icmpv6.reserved'], tvb, 4, 4, tvb.bytes(4, 4));
      }
      const inner = tvb.sub(8);
      if (inner.reportedLength > 0) {
        dissectQuoted(inner, p, (x, q) => {
          if (!dissectIpv6Header(x, q)) {
            q.layers.push('data');
          }
        });
      }
      return;
    }
    switch (type) {
      case 128:
      case 129: {
        const id = tvb.u16(4);
        const seq = tvb.u16(6);
        info += ` id=0x${id.toString(16).padStart(4, '0')}, seq=${seq}, hop limit=${hlim}`;
        const isReply = type === 129;
        const tx = echoes.of(p.state).match(p, id, seq, isReply);
        info += echoInfo(p, tx, isReply);
        if (t) {
          t.add(F['icmpv6.echo.identifier'], tvb, 4, 2, id);
          t.add(F['icmpv6.echo.sequence_number'], tvb, 6, 2, seq);
          if (tx && isReply) {
            t.add(F['icmpv6.resp_to'], tvb, 0, GENERATED, tx.request, `[Response To: ${tx.request}]`);
            const ms = responseMs(p, tx);
            if (ms !== null) t.add(F['icmpv6.resptime'], tvb, 0, GENERATED, ms, `[Response Time: ${ms.toFixed(3)} ms]`);
          } else if (tx && tx.reply && tx.request === p.num) t.add(F['icmpv6.resp_in'], tvb, 0, GENERATED, tx.reply, `[Response In: ${tx.reply}]`);
          if (unanswered(p, tx, isReply)) {
            t.open(F['icmpv6.no_resp'], tvb, 0, GENERATED, null, '[No response seen]');
            t.expert('warn', `No response seen to ICMPv6 request in frame ${p.num}`, tvb, 0, 0, 'Sequence');
            t.close();
          }
        }
        // The echoed data goes to the data dissector (RFC 4443 §4.1: arbitrary data), under ICMPv6.
        if (tvb.reportedLength > 8) dissectData(tvb.sub(8), p);
        break;
      }
      case 130:
      case 131:
      case 132:
        // MLDv1 (RFC 2710 §3); a query of 28 bytes or more is MLDv2 (RFC 3810 §5.1).
        if (t) {
          t.add(F['icmpv6.mld.maximum_response_delay'], tvb, 4, 2, tvb.u16(4));
          t.add(F['icmpv6.mld.multicast_address'], tvb, 8, 16, tvb.bytes(8, 16));
        } else tvb.check(8, 16);
        break;
      case 133: {
        const o = dissectNdOptions(tvb, 8, t);
        if (o.sll) info += ` from ${o.sll}`;
        break;
      }
      case 134: {
        if (t) {
          t.add(F['icmpv6.nd.ra.cur_hop_limit'], tvb, 4, 1, tvb.u8(4));
          t.add(F['icmpv6.nd.ra.flag'], tvb, 5, 1, tvb.u8(5));
          t.add(F['icmpv6.nd.ra.router_lifetime'], tvb, 6, 2, tvb.u16(6));
          t.add(F['icmpv6.nd.ra.reachable_time'], tvb, 8, 4, tvb.u32(8));
          t.add(F['icmpv6.nd.ra.retrans_timer'], tvb, 12, 4, tvb.u32(12));
        }
        const o = dissectNdOptions(tvb, 16, t);
        if (o.sll) info += ` from ${o.sll}`;
        break;
      }
      case 135: {
        const target = ipv6Text(tvb, 8);
        info += ` for ${target}`;
        t?.add(F['icmpv6.nd.ns.target_address'], tvb, 8, 16, tvb.bytes(8, 16));
        const o = dissectNdOptions(tvb, 24, t);
        if (o.sll) info += ` from ${o.sll}`;
        break;
      }
      case 136: {
        const flags = tvb.u32(4);
        const target = ipv6Text(tvb, 8);
        const names: string[] = [];
        if (flags & 0x80000000) names.push('rtr');
        if (flags & 0x40000000) names.push('sol');
        if (flags & 0x20000000) names.push('ovr');
        info += ` ${target} (${names.length ? names.join(', ') : 'none'})`;
        if (t) {
          t.open(F['icmpv6.nd.na.flag'], tvb, 4, 4, flags, `Flags: 0x${flags.toString(16).padStart(8, '0')}`);
          t.add(F['icmpv6.nd.na.flag.r'], tvb, 4, 4, (flags & 0x80000000) !== 0);
          t.add(F['icmpv6.nd.na.flag.s'], tvb, 4, 4, (flags & 0x40000000) !== 0);
          t.add(F['icmpv6.nd.na.flag.o'], tvb, 4, 4, (flags & 0x20000000) !== 0);
          t.close();
          t.add(F['icmpv6.nd.na.target_address'], tvb, 8, 16, tvb.bytes(8, 16));
        }
        const o = dissectNdOptions(tvb, 24, t);
        if (o.tll) info += ` is at ${o.tll}`;
        break;
      }
      case 137: {
        if (t) {
          t.add(F['icmpv6.nd.rd.target_address'], tvb, 8, 16, tvb.bytes(8, 16));
          t.add(F['icmpv6.nd.rd.destination_address'], tvb, 24, 16, tvb.bytes(24, 16));
        } else tvb.check(8, 32);
        dissectNdOptions(tvb, 40, t);
        break;
      }
      case 143: {
        // MLDv2 report (RFC 3810 §5.2): records of 20 bytes + sources + aux data.
        const n = tvb.u16(6);
        t?.add(F['icmpv6.mldr.nb_mcast_records'], tvb, 6, 2, n);
        let off = 8;
        for (let i = 0; i < n; i++) {
          const nsrc = tvb.u16(off + 2);
          const size = 20 + nsrc * 16 + tvb.u8(off + 1) * 4;
          tvb.check(off, size);
          if (t) {
            t.add(F['icmpv6.mldr.mar.record_type'], tvb, off, 1, tvb.u8(off));
            t.add(F['icmpv6.mldr.mar.multicast_address'], tvb, off + 4, 16, tvb.bytes(off + 4, 16));
          }
          off += size;
        }
        break;
      }
      default:
        if (t) {
          const rest = tvb.remaining(4);
          if (rest > 0) t.add(F['icmpv6.data'], tvb, 4, rest, tvb.bytes(4, rest), `Data (${rest} bytes)`);
        }
    }
    p.cols.setInfo(info);
  } catch (e) {
    // What was understood before the packet ended stays in Info, as tshark shows it.
    p.cols.setInfo(info);
    throw e;
  } finally {
    t?.close();
  }
}

ipProtoTable.add(58, dissectIcmpv6);
