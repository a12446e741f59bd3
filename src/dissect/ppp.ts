// Point-to-Point Protocol links: LINKTYPE_PPP (9) and LINKTYPE_PPP_HDLC (50), a PPP frame with
// or without the HDLC-like address/control bytes (RFC 1662 §3.1; 0xff 0x03, or left out when
// compressed), then the protocol field (RFC 1661 §2; one byte when compressed: its low bit is 1).
// IPv4 and IPv6 go to their dissectors; the control protocols (LCP, IPCP, IPV6CP, CCP) share one
// packet layout (RFC 1661 §5), as does CHAP, and are named by their code, as tshark names them.

import { dissectIpv4 } from './ip.ts';
import { dissectIpv6Header } from './ipv6.ts';
import type { Packet } from './packet.ts';
import { defineProtocol } from './registry.ts';
import { linkTypeTable } from './tables.ts';
import type { Tvb } from './tvb.ts';
import { dissectData } from './data.ts';

// PPP DLL protocol numbers (IANA "PPP DLL Protocol Numbers"), the common ones.
const PROTOCOLS: Record<number, string> = {
  0x0021: 'Internet Protocol version 4', 0x0057: 'Internet Protocol version 6', 0x002d: 'Van Jacobson Compressed TCP/IP',
  0x002f: 'Van Jacobson Uncompressed TCP/IP', 0x003d: 'PPP Multilink Protocol', 0x00fd: 'Compressed datagram',
  0x8021: 'Internet Protocol Control Protocol', 0x8057: 'IPv6 Control Protocol', 0x80fd: 'Compression Control Protocol',
  0xc021: 'Link Control Protocol', 0xc023: 'Password Authentication Protocol', 0xc025: 'Link Quality Report',
  0xc223: 'Challenge Handshake Authentication Protocol', 0xc227: 'Extensible Authentication Protocol',
};

// Control protocol codes (RFC 1661 §5; 0 "Vendor Specific" is RFC 2153). Codes 8–14 are LCP's only.
const CP_CODES: Record<number, string> = {
  0: 'Vendor Specific', 1: 'Configuration Request', 2: 'Configuration Ack', 3: 'Configuration Nak',
  4: 'Configuration Reject', 5: 'Termination Request', 6: 'Termination Ack', 7: 'Code Reject',
};
const LCP_CODES: Record<number, string> = {
  ...CP_CODES, 8: 'Protocol Reject', 9: 'Echo Request', 10: 'Echo Reply', 11: 'Discard Request',
  12: 'Identification', 13: 'Time Remaining',
};
// CCP adds Reset-Request/Reset-Ack (RFC 1962 §2.2).
const CCP_CODES: Record<number, string> = { ...CP_CODES, 14: 'Reset Request', 15: 'Reset Ack' };

// CHAP (RFC 1994 §4) has the same code/identifier/length header.
const CHAP_CODES: Record<number, string> = { 1: 'Challenge', 2: 'Response', 3: 'Success', 4: 'Failure' };

interface ControlProtocol {
  layer: string;
  short: string;
  title: string;
  codes: Record<number, string>;
}

/** Control protocols by PPP protocol number: filter prefix, Protocol column, tree title, codes. */
const CONTROL: Record<number, ControlProtocol> = {
  0xc021: { layer: 'lcp', short: 'PPP LCP', title: 'PPP Link Control Protocol', codes: LCP_CODES },
  0x8021: { layer: 'ipcp', short: 'PPP IPCP', title: 'PPP IP Control Protocol', codes: CP_CODES },
  0x8057: { layer: 'ipv6cp', short: 'PPP IPV6CP', title: 'PPP IPv6 Control Protocol', codes: CP_CODES },
  0x80fd: { layer: 'ccp', short: 'PPP CCP', title: 'PPP Compression Control Protocol', codes: CCP_CODES },
  0xc223: { layer: 'chap', short: 'PPP CHAP', title: 'PPP Challenge Handshake Authentication Protocol', codes: CHAP_CODES },
};

export const F = defineProtocol('ppp', 'Point-to-Point Protocol', {
  'ppp.address': { name: 'Address', type: 'uint', base: 'hex', bits: 8 },
  'ppp.control': { name: 'Control', type: 'uint', base: 'hex', bits: 8 },
  'ppp.protocol': { name: 'Protocol', type: 'uint', base: 'hex', bits: 16, vals: PROTOCOLS },
  'ppp.code': { name: 'Code', type: 'uint', vals: LCP_CODES },
  'ppp.identifier': { name: 'Identifier', type: 'uint', base: 'dec_hex', bits: 8 },
  'ppp.length': { name: 'Length', type: 'uint' },
});

export const CHAP = defineProtocol('chap', 'PPP Challenge Handshake Authentication Protocol', {
  'chap.code': { name: 'Code', type: 'uint', vals: CHAP_CODES },
  'chap.identifier': { name: 'Identifier', type: 'uint', base: 'dec_hex', bits: 8 },
  'chap.length': { name: 'Length', type: 'uint' },
});

function controlProtocol(tvb: Tvb, p: Packet, { layer, short, title, codes }: ControlProtocol): void {
  p.layers.push(layer);
  p.cols.protocol = short;
  const code = tvb.u8(0);
  const codeName = codes[code] ?? 'Unknown';
  p.cols.setInfo(codeName);
  const t = p.tree;
  if (t) {
    t.text(tvb, 0, tvb.length, title, true);
    const chap = layer === 'chap';
    t.add(chap ? CHAP['chap.code'] : F['ppp.code'], tvb, 0, 1, code, `Code: ${codeName} (${code})`);
    t.add(chap ? CHAP['chap.identifier'] : F['ppp.identifier'], tvb, 1, 1, tvb.u8(1));
    t.add(chap ? CHAP['chap.length'] : F['ppp.length'], tvb, 2, 2, tvb.u16(2));
    t.close();
  }
}

/**
 * The protocol field and what it carries (dissect_ppp_common in Wireshark's terms). Ends the PPP
 * tree node its caller opened, once the header's length (`headerLen` + the field) is known.
 */
export function dissectPppPayload(tvb: Tvb, p: Packet, headerLen: number): void {
  // RFC 1661 §2: protocol numbers are odd in their last byte, so a first byte with its low bit
  // set is a compressed (one-byte) field.
  const first = tvb.u8(0);
  const protoLen = first & 1 ? 1 : 2;
  const proto = protoLen === 1 ? first : tvb.u16(0);
  p.tree?.add(F['ppp.protocol'], tvb, 0, protoLen, proto);
  p.tree?.setLength(headerLen + protoLen);
  p.tree?.close();
  const payload = tvb.sub(protoLen);
  if (proto === 0x0021) dissectIpv4(payload, p);
  else if (proto === 0x0057) dissectIpv6Header(payload, p);
  else if (CONTROL[proto]) controlProtocol(payload, p, CONTROL[proto]);
  else {
    const hex = proto.toString(16).padStart(4, '0');
    p.cols.protocol = `0x${hex}`;
    p.cols.setInfo(`PPP ${PROTOCOLS[proto] ?? 'Unknown'} (0x${hex})`);
    if (payload.reportedLength > 0) {
      dissectData(payload, p);
    }
  }
}

/** A PPP frame with optional HDLC-like address and control bytes. */
export function dissectPppHdlc(tvb: Tvb, p: Packet): void {
  p.layers.push('ppp');
  p.cols.protocol = 'PPP';
  // A point-to-point link has no addresses; tshark shows "N/A" when the direction is unknown,
  // unless a network layer (PPP in GRE) already named the endpoints.
  if (!p.src) {
    p.src = 'N/A';
    p.dst = 'N/A';
  }
  const t = p.tree;
  t?.open(F.proto, tvb, 0, tvb.length, null);
  const framed = tvb.u8(0) === 0xff;
  if (framed) {
    t?.add(F['ppp.address'], tvb, 0, 1, 0xff);
    t?.add(F['ppp.control'], tvb, 1, 1, tvb.u8(1));
  }
  const headerLen = framed ? 2 : 0;
  dissectPppPayload(tvb.sub(headerLen), p, headerLen);
}

linkTypeTable.add(9, dissectPppHdlc); // LINKTYPE_PPP
linkTypeTable.add(50, dissectPppHdlc); // LINKTYPE_PPP_HDLC
