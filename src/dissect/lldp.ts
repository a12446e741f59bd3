// LLDP (IEEE 802.1AB-2016, EtherType 0x88cc): what a switch or host says about itself — chassis
// and port IDs, time to live, names, capabilities, management address — as tshark 4.0 shows it
// (Info "MA/00:1c:0e:87:78:00 IN/Gi1/0/4 120 SysN=sw-lab-1 SysD=… "). Organisation-specific
// TLVs show their OUI and subtype; their content stays bytes.

import { formatText } from './text.ts';
import type { Packet } from './packet.ts';
import { bitPattern, defineProtocol, hexBytes, ipv4ToString } from './registry.ts';
import { etherTypeTable } from './tables.ts';
import type { TreeSink } from './tree.ts';
import type { Tvb } from './tvb.ts';

const TLV_TYPES: Record<number, string> = {
  0: 'End of LLDPDU', 1: 'Chassis Id', 2: 'Port Id', 3: 'Time to Live', 4: 'Port Description', 5: 'System Name',
  6: 'System Description', 7: 'System Capabilities', 8: 'Management Address', 127: 'Organization Specific',
};
const CHASSIS_SUBTYPES: Record<number, string> = {
  0: 'Reserved', 1: 'Chassis component', 2: 'Interface alias', 3: 'Port component', 4: 'MAC address',
  5: 'Network address', 6: 'Interface name', 7: 'Locally assigned',
};
const PORT_SUBTYPES: Record<number, string> = {
  0: 'Reserved', 1: 'Interface alias', 2: 'Port component', 3: 'MAC address', 4: 'Network address',
  5: 'Interface name', 6: 'Agent circuit Id', 7: 'Locally assigned',
};
// The short forms tshark writes in Info, by chassis and by port subtype.
const CHASSIS_ABBREV: Record<number, string> = { 1: 'CC', 2: 'IA', 3: 'PC', 4: 'MA', 5: 'NA', 6: 'IN', 7: 'LA' };
const PORT_ABBREV: Record<number, string> = { 1: 'IA', 2: 'PC', 3: 'MA', 4: 'NA', 5: 'IN', 6: 'AC', 7: 'LA' };
const ADDRESS_FAMILIES: Record<number, string> = { 1: 'IPv4', 2: 'IPv6', 6: '802 (includes all 802 media plus Ethernet canonical format)' };
const CAPABILITIES = ['Other', 'Repeater', 'Bridge', 'WLAN access point', 'Router', 'Telephone', 'DOCSIS cable device', 'Station only'];
// Organisations: the name of the node, the name of their subtype field, the subtypes.
const OUIS: Record<number, [name: string, subtypeField: string, subtypes: Record<number, string>]> = {
  0x0080c2: ['Ieee 802.1', 'IEEE 802.1 Subtype', { 1: 'Port VLAN ID', 2: 'Port and Protocol VLAN ID', 3: 'VLAN Name', 4: 'Protocol Identity' }],
  0x00120f: ['Ieee 802.3', 'IEEE 802.3 Subtype', { 1: 'MAC/PHY Configuration/Status', 2: 'Power Via MDI', 3: 'Link Aggregation', 4: 'Maximum Frame Size' }],
  0x0012bb: ['TIA TR-41 Committee - Media Endpoint Discovery (LLDP-MED)', 'Media Subtype', { 1: 'LLDP-MED Capabilities', 2: 'Network Policy', 3: 'Location Identification', 4: 'Extended Power-via-MDI' }],
};

const F = defineProtocol('lldp', 'Link Layer Discovery Protocol', {
  'lldp.tlv.type': { name: 'TLV Type', type: 'uint', mask: 0xfe00, bits: 16, vals: TLV_TYPES },
  'lldp.tlv.len': { name: 'TLV Length', type: 'uint', mask: 0x01ff, bits: 16 },
  'lldp.chassis.subtype': { name: 'Chassis Id Subtype', type: 'uint', vals: CHASSIS_SUBTYPES },
  'lldp.chassis.id': { name: 'Chassis Id', type: 'string' },
  'lldp.port.subtype': { name: 'Port Id Subtype', type: 'uint', vals: PORT_SUBTYPES },
  'lldp.port.id': { name: 'Port Id', type: 'string' },
  'lldp.time_to_live': { name: 'Seconds', type: 'uint' },
  'lldp.port.desc': { name: 'Port Description', type: 'string' },
  'lldp.tlv.system.name': { name: 'System Name', type: 'string' },
  'lldp.tlv.system.desc': { name: 'System Description', type: 'string' },
  'lldp.tlv.system_cap': { name: 'Capabilities', type: 'uint', base: 'hex', bits: 16 },
  'lldp.tlv.enable_system_cap': { name: 'Enabled Capabilities', type: 'uint', base: 'hex', bits: 16 },
  'lldp.mgn.addr.len': { name: 'Address String Length', type: 'uint' },
  'lldp.mgn.addr.subtype': { name: 'Address Subtype', type: 'uint', vals: ADDRESS_FAMILIES },
  'lldp.mgn.addr': { name: 'Management Address', type: 'string' },
  'lldp.mgn.if.subtype': { name: 'Interface Subtype', type: 'uint', vals: { 1: 'Unknown', 2: 'ifIndex', 3: 'System port number' } },
  'lldp.mgn.if.number': { name: 'Interface Number', type: 'uint' },
  'lldp.mgn.oid.len': { name: 'OID String Length', type: 'uint' },
  'lldp.orgtlv.oui': { name: 'Organization Unique Code', type: 'string' },
  'lldp.orgtlv.subtype': { name: 'Subtype', type: 'uint', base: 'hex', bits: 8 },
  'lldp.unknown_subtype.content': { name: 'Unknown Subtype Content', type: 'bytes' },
});

export function dissectLldp(tvb: Tvb, p: Packet): void {
  p.layers.push('lldp');
  p.cols.protocol = 'LLDP';
  p.cols.clearInfo();
  const t = p.tree;
  t?.open(F.proto, tvb, 0, tvb.reportedLength, null);
  try {
    // IEEE 802.1AB-2016 §8.2: the chassis ID, port ID and TTL TLVs come first, once each.
    const MANDATORY = [[1, 'Invalid Chassis ID TLV'], [2, 'Invalid Port ID TLV'], [3, 'Invalid Time-to-Live TLV']] as const;
    const DUPLICATE: Record<number, string> = { 1: 'Duplicate Chassis ID TLV', 2: 'Duplicate Port ID TLV', 3: 'Duplicate Time-To-Live TLV' };
    for (let o = 0, i = 0; o < tvb.length; i++) {
      const head = tvb.u16(o);
      const type = head >> 9;
      const len = head & 0x1ff;
      if (i < 3 && (type !== MANDATORY[i]![0] || (type === 1 && tvb.u8(o + 2) === 4 && len !== 7))) {
        p.cols.setInfo(MANDATORY[i]![1]);
        return;
      }
      tvb.check(o + 2, len);
      tlv(tvb, o, type, len, p, t);
      if (i >= 3 && DUPLICATE[type]) p.cols.setInfo(DUPLICATE[type]!);
      o += 2 + len;
      if (type === 0 || (i >= 3 && DUPLICATE[type])) break;
    }
  } finally {
    t?.close();
  }
}

/** The ID of a chassis or port TLV as Info and the tree show it. */
function idText(tvb: Tvb, off: number, len: number, subtype: number, isChassis: boolean): string {
  const mac = isChassis ? subtype === 4 : subtype === 3;
  const network = isChassis ? subtype === 5 : subtype === 4;
  const component = isChassis ? subtype === 3 : subtype === 2;
  if (mac && len >= 6) return hexBytes(tvb.bytes(off, 6));
  if (network && len >= 1) {
    const family = tvb.u8(off);
    if (family === 1 && len >= 5) return ipv4ToString(tvb.u32(off + 1));
    return hexBytes(tvb.bytes(off + 1, len - 1), '');
  }
  if (component) return hexBytes(tvb.bytes(off, len), '');
  return zeroPadded(tvb, off, len);
}

/** A string that may be padded with NULs, as tshark's format_stringzpad shows it. */
function zeroPadded(tvb: Tvb, off: number, len: number): string {
  let end = off;
  while (end < off + len && tvb.u8(end) !== 0) end++;
  return formatText(tvb.latin1(off, end - off));
}

function tlv(tvb: Tvb, o: number, type: number, len: number, p: Packet, t: TreeSink | null): void {
  const d = o + 2;
  const header = () => {
    t?.add(F['lldp.tlv.type'], tvb, o, 2, type);
    t?.add(F['lldp.tlv.len'], tvb, o, 2, len);
  };
  switch (type) {
    case 1:
    case 2: {
      const chassis = type === 1;
      const subtype = tvb.u8(d);
      const id = idText(tvb, d + 1, len - 1, subtype, chassis);
      const abbrev = (chassis ? CHASSIS_ABBREV : PORT_ABBREV)[subtype];
      p.cols.appendInfo(abbrev ? `${abbrev}/${id} ` : 'Rs/Reserved ');
      if (!t) return;
      const names = chassis ? CHASSIS_SUBTYPES : PORT_SUBTYPES;
      t.text(tvb, o, 2 + len, `${chassis ? 'Chassis' : 'Port'} Subtype = ${names[subtype] ?? 'Reserved'}, Id: ${abbrev ? id : 'Reserved'}`, true);
      header();
      t.add(chassis ? F['lldp.chassis.subtype'] : F['lldp.port.subtype'], tvb, d, 1, subtype);
      // tshark keeps a chassis ID other than an address as bytes in the tree (its label has the text).
      const treeId = chassis && subtype !== 4 && subtype !== 5 ? hexBytes(tvb.bytes(d + 1, len - 1), '') : id;
      t.add(chassis ? F['lldp.chassis.id'] : F['lldp.port.id'], tvb, d + 1, len - 1, treeId);
      t.close();
      return;
    }
    case 3: {
      const ttl = tvb.u16(d);
      p.cols.appendInfo(`${ttl} `);
      if (!t) return;
      t.text(tvb, o, 2 + len, `Time To Live = ${ttl} sec`, true);
      header();
      t.add(F['lldp.time_to_live'], tvb, d, 2, ttl);
      t.close();
      return;
    }
    case 4:
    case 5:
    case 6: {
      const text = zeroPadded(tvb, d, len);
      if (type === 5) p.cols.appendInfo(`SysN=${text} `);
      if (type === 6) p.cols.appendInfo(`SysD=${text} `);
      if (!t) return;
      const [label, field] = type === 4 ? ['Port Description', 'lldp.port.desc'] as const : type === 5 ? ['System Name', 'lldp.tlv.system.name'] as const : ['System Description', 'lldp.tlv.system.desc'] as const;
      t.text(tvb, o, 2 + len, `${label} = ${text}`, true);
      header();
      t.add(F[field], tvb, d, len, text);
      t.close();
      return;
    }
    case 7: {
      if (!t) return;
      t.text(tvb, o, 2 + len, 'Capabilities', true);
      header();
      for (const [field, at] of [['lldp.tlv.system_cap', d], ['lldp.tlv.enable_system_cap', d + 2]] as const) {
        const caps = tvb.u16(at);
        t.open(F[field], tvb, at, 2, caps);
        CAPABILITIES.forEach((name, i) => t.text(tvb, at, 2, `${bitPattern(1 << i, 16, caps)}${name}: ${caps & (1 << i) ? 'Capable' : 'Not capable'}`));
        t.close();
      }
      t.close();
      return;
    }
    case 8: {
      if (!t) return;
      const alen = tvb.u8(d);
      const family = tvb.u8(d + 1);
      const addr = family === 1 && alen === 5 ? ipv4ToString(tvb.u32(d + 2)) : hexBytes(tvb.bytes(d + 2, alen - 1), '');
      const ifAt = d + 1 + alen;
      t.text(tvb, o, 2 + len, 'Management Address', true);
      header();
      t.add(F['lldp.mgn.addr.len'], tvb, d, 1, alen);
      t.add(F['lldp.mgn.addr.subtype'], tvb, d + 1, 1, family);
      t.add(F['lldp.mgn.addr'], tvb, d + 2, alen - 1, addr);
      t.add(F['lldp.mgn.if.subtype'], tvb, ifAt, 1, tvb.u8(ifAt));
      t.add(F['lldp.mgn.if.number'], tvb, ifAt + 1, 4, tvb.u32(ifAt + 1));
      t.add(F['lldp.mgn.oid.len'], tvb, ifAt + 5, 1, tvb.u8(ifAt + 5));
      t.close();
      return;
    }
    case 127: {
      if (!t) return;
      const oui = tvb.u24(d);
      const subtype = tvb.u8(d + 3);
      const org = OUIS[oui];
      const ouiHex = hexBytes(tvb.bytes(d, 3));
      const sub = org?.[2][subtype];
      t.text(tvb, o, 2 + len, org ? `${org[0]} - ${sub ?? `Unknown subtype (0x${subtype.toString(16)})`}` : `Unknown - ${ouiHex}`, true);
      header();
      t.add(F['lldp.orgtlv.oui'], tvb, d, 3, ouiHex, `Organization Unique Code: ${ouiHex}${org ? ` (${org[0]})` : ''}`);
      const subHex = `0x${subtype.toString(16).padStart(2, '0')}`;
      t.add(F['lldp.orgtlv.subtype'], tvb, d + 3, 1, subtype, org ? `${org[1]}: ${sub ?? 'Unknown'} (${subHex})` : `Subtype: ${subHex}`);
      if (len > 4) t.add(F['lldp.unknown_subtype.content'], tvb, d + 4, len - 4, tvb.bytes(d + 4, len - 4));
      t.close();
      return;
    }
    default:
      if (!t) return;
      t.text(tvb, o, 2 + len, TLV_TYPES[type] ?? `Unknown TLV type (${type})`, true);
      header();
      t.close();
  }
}

etherTypeTable.add(0x88cc, dissectLldp);
