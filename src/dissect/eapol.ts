// 802.1X authentication: EAPOL (IEEE 802.1X-2020 §11, EtherType 0x888e) over Ethernet or Wi-Fi,
// the EAP packets it carries (RFC 3748), and the EAPOL-Key frames of WPA/WPA2/WPA3's 4-way and
// group-key handshakes (IEEE 802.11-2020 §12.7.2), named as tshark 4.0 names them:
// "Key (Message 1 of 4)" … "Key (Group Message 2 of 2)". EAP methods beyond Identity and MD5
// (EAP-TLS, PEAP …) show their type only.

import { dissectData } from './data.ts';
import type { Packet } from './packet.ts';
import { defineProtocol } from './registry.ts';
import { etherTypeTable } from './tables.ts';
import type { Tvb } from './tvb.ts';
import { rsnElement } from './wlan.ts';

const EAPOL_TYPES: Record<number, string> = {
  0: 'EAP Packet', 1: 'Start', 2: 'Logoff', 3: 'Key', 4: 'Encapsulated ASF Alert', 5: 'MKA',
  6: 'Announcement (Generic)', 7: 'Announcement (Specific)', 8: 'Announcement Request',
};

const EAP_CODES: Record<number, string> = { 1: 'Request', 2: 'Response', 3: 'Success', 4: 'Failure', 5: 'Initiate', 6: 'Finish' };

const EAP_TYPES: Record<number, string> = {
  1: 'Identity', 2: 'Notification', 3: 'Legacy Nak (Response Only)', 4: 'MD5-Challenge EAP (EAP-MD5-CHALLENGE)',
  5: 'One-Time Password EAP (EAP-OTP)', 6: 'Generic Token Card EAP (EAP-GTC)', 13: 'TLS EAP (EAP-TLS)',
  17: 'Cisco Wireless EAP / Lightweight EAP (EAP-LEAP)', 18: 'GSM Subscriber Identity Modules EAP (EAP-SIM)',
  21: 'Tunneled TLS EAP (EAP-TTLS)', 23: 'UMTS Authentication and Key Agreement EAP (EAP-AKA)',
  25: 'Protected EAP (EAP-PEAP)', 26: 'MS-Authentication EAP (EAP-MS-AUTH)', 29: 'MS-CHAP-v2 EAP (EAP-MS-CHAP-V2)',
  43: 'Flexible Authentication via Secure Tunneling EAP (EAP-FAST)', 47: 'Pre-Shared Key EAP (EAP-PSK)',
  49: 'Internet Key Exchange v2 EAP (EAP-IKEv2)', 50: "UMTS Authentication and Key Agreement' EAP (EAP-AKA')",
  52: 'Password EAP (EAP-pwd)', 254: 'Expanded Type', 255: 'Experimental',
};

const KEY_VERSIONS: Record<number, string> = {
  0: 'AKM defined', 1: 'RC4 Cipher, HMAC-MD5 MIC', 2: 'AES Cipher, HMAC-SHA1 MIC', 3: 'AES Cipher, AES-128-CMAC MIC',
};

export const F = defineProtocol('eapol', '802.1X Authentication', {
  'eapol.version': { name: 'Version', type: 'uint', vals: { 1: '802.1X-2001', 2: '802.1X-2004', 3: '802.1X-2010' } },
  'eapol.type': { name: 'Type', type: 'uint', vals: EAPOL_TYPES },
  'eapol.len': { name: 'Length', type: 'uint' },
  'eapol.keydes.type': { name: 'Key Descriptor Type', type: 'uint', vals: { 1: 'RC4 Descriptor', 2: 'EAPOL RSN Key', 254: 'EAPOL WPA Key' } },
  'eapol.keydes.key_len': { name: 'Key Length', type: 'uint' },
  'eapol.keydes.replay_counter': { name: 'Replay Counter', type: 'uint' },
  'eapol.keydes.key_iv': { name: 'Key IV', type: 'bytes' },
});

const K = defineProtocol('wlan_rsna_eapol', 'IEEE 802.11 RSNA EAPOL key', {
  'wlan_rsna_eapol.keydes.msgnr': { name: 'Message number', type: 'uint' },
  'wlan_rsna_eapol.keydes.key_info': { name: 'Key Information', type: 'uint', base: 'hex', bits: 16 },
  'wlan_rsna_eapol.keydes.key_info.keydes_version': { name: 'Key Descriptor Version', type: 'uint', mask: 0x0007, bits: 16, vals: KEY_VERSIONS },
  'wlan_rsna_eapol.keydes.key_info.key_type': { name: 'Key Type', type: 'bool', mask: 0x0008, bits: 16, tfs: ['Pairwise Key', 'Group Key'] },
  'wlan_rsna_eapol.keydes.key_info.key_index': { name: 'Key Index', type: 'uint', mask: 0x0030, bits: 16 },
  'wlan_rsna_eapol.keydes.key_info.install': { name: 'Install', type: 'bool', mask: 0x0040, bits: 16, tfs: ['Set', 'Not set'] },
  'wlan_rsna_eapol.keydes.key_info.key_ack': { name: 'Key ACK', type: 'bool', mask: 0x0080, bits: 16, tfs: ['Set', 'Not set'] },
  'wlan_rsna_eapol.keydes.key_info.key_mic': { name: 'Key MIC', type: 'bool', mask: 0x0100, bits: 16, tfs: ['Set', 'Not set'] },
  'wlan_rsna_eapol.keydes.key_info.secure': { name: 'Secure', type: 'bool', mask: 0x0200, bits: 16, tfs: ['Set', 'Not set'] },
  'wlan_rsna_eapol.keydes.key_info.error': { name: 'Error', type: 'bool', mask: 0x0400, bits: 16, tfs: ['Set', 'Not set'] },
  'wlan_rsna_eapol.keydes.key_info.request': { name: 'Request', type: 'bool', mask: 0x0800, bits: 16, tfs: ['Set', 'Not set'] },
  'wlan_rsna_eapol.keydes.key_info.encrypted_key_data': { name: 'Encrypted Key Data', type: 'bool', mask: 0x1000, bits: 16, tfs: ['Set', 'Not set'] },
  'wlan_rsna_eapol.keydes.key_info.smk_message': { name: 'SMK Message', type: 'bool', mask: 0x2000, bits: 16, tfs: ['Set', 'Not set'] },
  'wlan_rsna_eapol.keydes.nonce': { name: 'WPA Key Nonce', type: 'bytes' },
  'wlan_rsna_eapol.keydes.rsc': { name: 'WPA Key RSC', type: 'bytes' },
  'wlan_rsna_eapol.keydes.id': { name: 'WPA Key ID', type: 'bytes' },
  'wlan_rsna_eapol.keydes.mic': { name: 'WPA Key MIC', type: 'bytes' },
  'wlan_rsna_eapol.keydes.data_len': { name: 'WPA Key Data Length', type: 'uint' },
  'wlan_rsna_eapol.keydes.data': { name: 'WPA Key Data', type: 'bytes' },
});

const E = defineProtocol('eap', 'Extensible Authentication Protocol', {
  'eap.code': { name: 'Code', type: 'uint', vals: EAP_CODES },
  'eap.id': { name: 'Id', type: 'uint' },
  'eap.len': { name: 'Length', type: 'uint' },
  'eap.type': { name: 'Type', type: 'uint', vals: EAP_TYPES },
  'eap.identity': { name: 'Identity', type: 'string' },
  'eap.md5.value_size': { name: 'EAP-MD5 Value-Size', type: 'uint' },
  'eap.md5.value': { name: 'EAP-MD5 Value', type: 'bytes' },
  'eap.data': { name: 'EAP Data', type: 'bytes' },
});

const KEY_INFO_BITS = [
  'wlan_rsna_eapol.keydes.key_info.keydes_version', 'wlan_rsna_eapol.keydes.key_info.key_type',
  'wlan_rsna_eapol.keydes.key_info.key_index', 'wlan_rsna_eapol.keydes.key_info.install',
  'wlan_rsna_eapol.keydes.key_info.key_ack', 'wlan_rsna_eapol.keydes.key_info.key_mic',
  'wlan_rsna_eapol.keydes.key_info.secure', 'wlan_rsna_eapol.keydes.key_info.error',
  'wlan_rsna_eapol.keydes.key_info.request', 'wlan_rsna_eapol.keydes.key_info.encrypted_key_data',
  'wlan_rsna_eapol.keydes.key_info.smk_message',
] as const;

export function dissectEapol(tvb: Tvb, p: Packet): void {
  p.layers.push('eapol');
  p.cols.protocol = 'EAPOL';
  p.cols.clearInfo();
  const t = p.tree;
  const version = tvb.u8(0);
  const type = tvb.u8(1);
  p.cols.setInfo(EAPOL_TYPES[type] ?? `Unknown Type (0x${type.toString(16).toUpperCase().padStart(2, '0')})`);
  const len = tvb.u16(2);
  // The body ends where the length says (Ethernet padding follows a short frame).
  const body = tvb.sub(4, len);
  if (t) {
    t.open(F.proto, tvb, 0, 4 + len, null);
    t.add(F['eapol.version'], tvb, 0, 1, version);
    t.add(F['eapol.type'], tvb, 1, 1, type);
    t.add(F['eapol.len'], tvb, 2, 2, len);
  }
  if (type === 3) {
    try {
      eapolKey(body, p);
    } finally {
      t?.close();
    }
    return;
  }
  t?.close();
  if (type === 0 && len > 0) eap(body, p);
  else if (len > 0) dissectData(body, p);
}

/** An EAPOL-Key frame; RSN (2) and WPA (254) descriptors as IEEE 802.11-2020 Figure 12-35 lays them out. */
function eapolKey(tvb: Tvb, p: Packet): void {
  const t = p.tree;
  const desc = tvb.u8(0);
  t?.add(F['eapol.keydes.type'], tvb, 0, 1, desc);
  if (desc !== 2 && desc !== 254) {
    if (tvb.remaining(1) > 0) t?.text(tvb, 1, tvb.remaining(1), `Key Descriptor Body`);
    return;
  }
  p.layers.push('wlan_rsna_eapol');
  const o = 1;
  const info = tvb.u16(o);
  const micLen = 16; // without the AKM negotiated in the association (not tracked), tshark assumes 16
  const dataLenAt = o + 2 + 2 + 8 + 32 + 16 + 8 + 8 + micLen;
  const dataLen = tvb.u16(dataLenAt);
  const msg = messageNumber(info, dataLen, micLen);
  p.cols.setInfo(msg.text);
  if (!t) return;
  if (msg.nr) t.add(K['wlan_rsna_eapol.keydes.msgnr'], tvb, o, -1, msg.nr, `[Message number: ${msg.nr}]`);
  t.open(K['wlan_rsna_eapol.keydes.key_info'], tvb, o, 2, info);
  for (const f of KEY_INFO_BITS) {
    const def = K[f];
    const v = (info & def.mask) / (def.mask & -def.mask);
    t.add(def, tvb, o, 2, def.type === 'bool' ? v !== 0 : v);
  }
  t.close();
  let k = o + 2;
  t.add(F['eapol.keydes.key_len'], tvb, k, 2, tvb.u16(k));
  k += 2;
  t.add(F['eapol.keydes.replay_counter'], tvb, k, 8, (BigInt(tvb.u32(k)) << 32n) | BigInt(tvb.u32(k + 4)));
  k += 8;
  t.add(K['wlan_rsna_eapol.keydes.nonce'], tvb, k, 32, tvb.bytes(k, 32));
  k += 32;
  t.add(F['eapol.keydes.key_iv'], tvb, k, 16, tvb.bytes(k, 16));
  k += 16;
  t.add(K['wlan_rsna_eapol.keydes.rsc'], tvb, k, 8, tvb.bytes(k, 8));
  k += 8;
  t.add(K['wlan_rsna_eapol.keydes.id'], tvb, k, 8, tvb.bytes(k, 8));
  k += 8;
  t.add(K['wlan_rsna_eapol.keydes.mic'], tvb, k, micLen, tvb.bytes(k, micLen));
  k += micLen;
  t.add(K['wlan_rsna_eapol.keydes.data_len'], tvb, k, 2, dataLen);
  k += 2;
  if (!dataLen) return;
  const data = tvb.bytes(k, Math.min(dataLen, tvb.remaining(k)));
  if (info & 0x1000) {
    // Encrypted with the KEK: nothing to read without the passphrase.
    t.add(K['wlan_rsna_eapol.keydes.data'], tvb, k, dataLen, data);
    return;
  }
  // Plain key data is a list of elements (an RSN element in message 2).
  t.open(K['wlan_rsna_eapol.keydes.data'], tvb, k, dataLen, data);
  for (let e = k; e + 2 <= k + dataLen; ) {
    const id = tvb.u8(e);
    const len = tvb.u8(e + 1);
    if (id !== 48) break;
    t.text(tvb, e, 2 + len, 'Tag: RSN Information', true);
    t.text(tvb, e, 1, 'Tag Number: RSN Information (48)');
    t.text(tvb, e + 1, 1, `Tag length: ${len}`);
    rsnElement(tvb, e + 2, len, t);
    t.close();
    e += 2 + len;
  }
  t.close();
}

/** Which handshake message an EAPOL-Key frame is, by its Key Information bits (as tshark tells). */
function messageNumber(info: number, dataLen: number, micLen: number): { text: string; nr: number } {
  if (info & 0x0800) return { text: info & 0x0400 ? 'Key (Request, Error)' : 'Key (Request)', nr: 0 };
  if (info & 0x0008) {
    switch (info & 0x00c0) {
      case 0x0080:
        return { text: 'Key (Message 1 of 4)', nr: 1 };
      case 0x00c0:
        return { text: 'Key (Message 3 of 4)', nr: 3 };
      default:
        // Messages 2 and 4 differ by their key data (message 4 carries none, or 12 bytes with MLO).
        if ((micLen === 0 && dataLen > 16) || (micLen > 0 && dataLen !== 0 && dataLen !== 12)) return { text: 'Key (Message 2 of 4)', nr: 2 };
        return { text: 'Key (Message 4 of 4)', nr: 4 };
    }
  }
  return info & 0x0080 ? { text: 'Key (Group Message 1 of 2)', nr: 1 } : { text: 'Key (Group Message 2 of 2)', nr: 2 };
}

/** EAP (RFC 3748 §4): Info "Request, Identity", "Success" … */
function eap(tvb: Tvb, p: Packet): void {
  p.layers.push('eap');
  p.cols.protocol = 'EAP';
  const code = tvb.u8(0);
  p.cols.setInfo(EAP_CODES[code] ?? `Unknown code (0x${code.toString(16).toUpperCase().padStart(2, '0')})`);
  const id = tvb.u8(1);
  const len = tvb.u16(2);
  const t = p.tree;
  if (t) {
    t.open(E.proto, tvb, 0, len, null);
    t.add(E['eap.code'], tvb, 0, 1, code);
    t.add(E['eap.id'], tvb, 1, 1, id);
    t.add(E['eap.len'], tvb, 2, 2, len);
  }
  try {
    if (code !== 1 && code !== 2) return;
    const type = tvb.u8(4);
    p.cols.appendInfo(`, ${EAP_TYPES[type] ?? `Unknown type (0x${type.toString(16).padStart(2, '0')})`}`);
    if (!t) return;
    if (type === 4) {
      // RFC 3748 §7.2: MD5-Challenge authenticates only the peer, and with a weak hash.
      t.open(E['eap.type'], tvb, 4, 1, type);
      t.expert('warn', 'Vulnerable to MITM attacks. If possible, change EAP type.', tvb, 4, 1, 'Security');
      t.close();
    } else t.add(E['eap.type'], tvb, 4, 1, type);
    const rest = Math.min(len, tvb.reportedLength) - 5;
    if (type === 1 && rest > 0) t.add(E['eap.identity'], tvb, 5, rest, tvb.latin1(5, rest));
    else if (type === 4 && rest > 0) {
      const size = tvb.u8(5);
      t.add(E['eap.md5.value_size'], tvb, 5, 1, size);
      t.add(E['eap.md5.value'], tvb, 6, size, tvb.bytes(6, size));
    } else if (rest > 0) t.add(E['eap.data'], tvb, 5, rest, tvb.bytes(5, rest));
  } finally {
    t?.close();
  }
}

etherTypeTable.add(0x888e, dissectEapol);
