// IEEE 802.2 Logical Link Control and the SNAP extension (IEEE 802 §10.3), enough to name the
// frame as tshark does and to hand SNAP with OUI 0 (RFC 1042, encapsulated EtherTypes) on.

import { dispatchEtherType, etherTypeText, LLC_PSEUDO_TYPE } from './eth.ts';
import type { Packet } from './packet.ts';
import { defineProtocol, hexBytes, type FieldDef } from './registry.ts';
import { etherTypeTable } from './tables.ts';
import type { Tvb } from './tvb.ts';
import { dissectData } from './data.ts';

const SAP_NAMES: Record<number, string> = {
  0x00: 'NULL LSAP', 0x02: 'LLC Sub-Layer Management', 0x04: 'SNA Path Control', 0x06: 'TCP/IP', 0x08: 'SNA',
  0x0c: 'SNA', 0x0e: 'PROWAY (IEC955) Network Management and Initialization', 0x10: 'NetWare (unofficial?)',
  0x14: 'ISO Network Layer (OSLAN 1)', 0x18: 'Texas Instruments', 0x20: 'ISO Network Layer (unofficial?)',
  0x34: 'ISO Network Layer (unofficial?)', 0x42: 'Spanning Tree BPDU', 0x4e: 'EIA RS-511 Manufacturing Message Service',
  0x54: 'ISO Network Layer (OSLAN 2)', 0x7e: 'ISO 8208 (X.25 over 802.2)', 0x7f: 'ISO 802.2', 0x80: 'XNS',
  0x82: 'BACnet', 0x86: 'Nestar', 0x8e: 'PROWAY (IEC955) Active Station List Maintenance', 0x98: 'ARP',
  0xaa: 'SNAP', 0xb4: 'HP JetDirect Printer', 0xba: 'Banyan Vines', 0xbc: 'Banyan Vines', 0xe0: 'NetWare',
  0xf0: 'NetBIOS', 0xf4: 'IBM Net Management', 0xf8: 'HP Extended LLC', 0xfa: 'Ungermann-Bass',
  0xfc: 'Remote Program Load', 0xfe: 'ISO Network Layer', 0xff: 'Global LSAP',
};

const OUI_NAMES: Record<number, string> = {
  0x000000: 'Officially Xerox, but 0:0:0:0:0:0 is more common',
  0x00000c: 'Cisco Systems, Inc',
  0x0000f8: 'Cisco 90-Compatible',
  0x000d0b: 'Alteon Networks, Inc.',
  0x0080c2: 'IEEE 802.1 Bridging',
  0x00e02b: 'Extreme Networks',
  0x080007: 'Apple',
};

// U-frame modifier abbreviations (ISO 13239 §5.5.3), command and response forms.
const U_CMD: Record<number, string> = {
  0x03: 'UI', 0x07: 'SIM', 0x0f: 'SARM', 0x23: 'UP', 0x43: 'DISC', 0x63: 'UA', 0x83: 'SNRM', 0x87: 'FRMR',
  0x2f: 'SABM', 0x4f: 'SARME', 0x6f: 'SABME', 0x8f: 'RESET', 0xaf: 'XID', 0xcf: 'SNRME', 0xe3: 'TEST',
  0xc7: 'CFGR', 0xef: 'BCN',
};
const U_RESP: Record<number, string> = { ...U_CMD, 0x07: 'RIM', 0x0f: 'DM', 0x43: 'RD' };
const S_NAMES = ['RR', 'RNR', 'REJ', 'SREJ'];
/** Long names of the U-frame functions, for the control field's subtree. */
const U_FUNC_NAMES: Record<number, string> = { 0x03: 'Unnumbered Information', 0xaf: 'Exchange identification', 0xe3: 'Test' };

export const F = defineProtocol('llc', 'Logical-Link Control', {
  'llc.dsap': { name: 'DSAP', type: 'uint', base: 'hex', bits: 8, vals: SAP_NAMES },
  'llc.ssap': { name: 'SSAP', type: 'uint', base: 'hex', bits: 8, vals: SAP_NAMES },
  'llc.control': { name: 'Control field', type: 'uint', base: 'hex', bits: 8 },
  'llc.oui': { name: 'Organization Code', type: 'uint', base: 'hex', bits: 24, vals: OUI_NAMES },
  'llc.pid': { name: 'Protocol ID', type: 'uint', base: 'hex', bits: 16 },
  'llc.type': { name: 'Type', type: 'uint', base: 'hex', bits: 16 },
});

function sapText(sap: number): string {
  return SAP_NAMES[sap & 0xfe] ?? `0x${(sap & 0xfe).toString(16).padStart(2, '0')}`;
}

/** "U, func=UI" / "I, N(R)=1, N(S)=2" / "S, func=RR, N(R)=3" and the control field's length. */
function controlText(tvb: Tvb, isResponse: boolean): { text: string; len: number; value: number } {
  const c = tvb.u8(2);
  if ((c & 3) === 3) {
    // U frame: one byte; the poll/final bit is 0x10.
    const m = c & 0xef;
    const name = (isResponse ? U_RESP : U_CMD)[m] ?? `Unknown (0x${m.toString(16).padStart(2, '0')})`;
    const pf = c & 0x10 ? (isResponse ? ' F' : ' P') : '';
    return { text: `U${pf}, func=${name}`, len: 1, value: c };
  }
  // I and S frames use the two-byte (modulo 128) control field in 802.2.
  const c2 = tvb.u16(2);
  const nr = (c2 & 0xfe) >> 1;
  const pf = c2 & 1 ? (isResponse ? ' F' : ' P') : '';
  if ((c & 1) === 0) return { text: `I${pf}, N(R)=${nr}, N(S)=${c2 >> 9}`, len: 2, value: c2 };
  return { text: `S${pf}, func=${S_NAMES[(c >> 2) & 3]}, N(R)=${nr}`, len: 2, value: c2 };
}

export function dissectLlc(tvb: Tvb, p: Packet): void {
  p.layers.push('llc');
  p.cols.protocol = 'LLC';
  p.cols.clearInfo();
  const dsap = tvb.u8(0);
  const ssap = tvb.u8(1);
  const isResponse = (ssap & 1) !== 0;
  const ctl = controlText(tvb, isResponse);
  const t = p.tree;
  const hdrLen = 2 + ctl.len;
  const snap = dsap === 0xaa && ssap === 0xaa && ctl.len === 1 && (ctl.value & 0xef) === 0x03;
  if (t) {
    t.open(F.proto, tvb, 0, snap ? hdrLen + 5 : hdrLen, null, 'Logical-Link Control');
    // Each SAP byte: the SAP in its top 7 bits, then the I/G (DSAP) or C/R (SSAP) bit.
    const sap = (f: FieldDef, v: number, off: number, name: string, bit: string, set: string, clear: string) => {
      t.open(f, tvb, off, 1, v, `${name}: ${sapText(v)} (0x${v.toString(16).padStart(2, '0')})`);
      const b = (v >> 1).toString(2).padStart(7, '0');
      t.text(tvb, off, 1, `${b.slice(0, 4)} ${b.slice(4)}. = SAP: ${sapText(v)}`);
      t.text(tvb, off, 1, `.... ...${v & 1} = ${bit}: ${v & 1 ? set : clear}`);
      t.close();
    };
    sap(F['llc.dsap'], dsap, 0, 'DSAP', 'IG Bit', 'Group', 'Individual');
    sap(F['llc.ssap'], ssap, 1, 'SSAP', 'CR Bit', 'Response', 'Command');
    t.open(F['llc.control'], tvb, 2, ctl.len, ctl.value, `Control field: ${ctl.text} (0x${ctl.value.toString(16).padStart(ctl.len * 2, '0')})`);
    if (ctl.len === 1 && (ctl.value & 3) === 3) {
      // U frame (ISO 13239 §5.5.3): the modifier bits around the P/F bit, then the frame type.
      const m = ((ctl.value >> 2) & 0x03) | ((ctl.value >> 3) & 0x1c);
      const b = ctl.value.toString(2).padStart(8, '0');
      t.text(tvb, 2, 1, `${b.slice(0, 3)}. ${b.slice(4, 6)}.. = ${isResponse ? 'Response' : 'Command'}: ${U_FUNC_NAMES[ctl.value & 0xef] ?? 'Unknown'} (0x${m.toString(16).padStart(2, '0')})`);
      t.text(tvb, 2, 1, '.... ..11 = Frame type: Unnumbered frame (0x3)');
    }
    t.close();
  }
  if (snap) {
    const oui = tvb.u24(3);
    const pid = tvb.u16(6);
    p.cols.setInfo(`${ctl.text}; SNAP, OUI 0x${oui.toString(16).toUpperCase().padStart(6, '0')} (${OUI_NAMES[oui] ?? 'Unknown'}), PID 0x${pid.toString(16).toUpperCase().padStart(4, '0')}`);
    if (t) {
      const ouiHex = hexBytes(tvb.bytes(3, 3));
      // tshark shows at most 21 characters of the organisation's name here.
      t.add(F['llc.oui'], tvb, 3, 3, oui, `Organization Code: ${ouiHex} (${(OUI_NAMES[oui] ?? 'Unknown').slice(0, 21).trimEnd()})`);
      if (oui === 0) t.add(F['llc.type'], tvb, 6, 2, pid, `Type: ${etherTypeText(pid)}`);
      else t.add(F['llc.pid'], tvb, 6, 2, pid);
      t.close();
    }
    const payload = tvb.sub(8);
    // RFC 1042: OUI 0 carries an EtherType.
    if (oui === 0 && etherTypeTable.get(pid)) {
      dispatchEtherType(pid, payload, p);
      return;
    }
    // Other organisations name their own protocols by PID (Cisco's CDP: 00:00:0c, 0x2000).
    const bySnap = llcSnapTable.get(oui * 0x10000 + pid);
    if (bySnap) {
      bySnap(payload, p);
      return;
    }
    dissectData(payload, p);
    return;
  }
  p.cols.setInfo(`${ctl.text}; DSAP ${sapText(dsap)} ${dsap & 1 ? 'Group' : 'Individual'}, SSAP ${sapText(ssap)} ${isResponse ? 'Response' : 'Command'}`);
  t?.close();
  const payload = tvb.sub(hdrLen);
  // Protocols that sit directly on a SAP (the spanning tree's 0x42) rather than on SNAP.
  const bySap = llcSapTable.get(dsap & 0xfe);
  if (bySap && payload.reportedLength > 0) {
    bySap(payload, p);
    return;
  }
  if (payload.reportedLength > 0) {
    dissectData(payload, p);
  }
}

/** Dissectors by SNAP organisation and protocol ID (OUI × 0x10000 + PID), for OUIs other than 0. */
export const llcSnapTable = new Map<number, (tvb: Tvb, p: Packet) => void>();

/** Dissectors by LLC service access point (DSAP, I/G bit clear), for unnumbered frames without SNAP. */
export const llcSapTable = new Map<number, (tvb: Tvb, p: Packet) => void>();

etherTypeTable.add(LLC_PSEUDO_TYPE, dissectLlc);
