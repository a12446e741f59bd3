// IEEE 802.11 (IEEE 802.11-2020 §9), as a monitor-mode capture records it (link type 105, or
// after a radiotap header): the MAC header of every frame type, the management frames' fixed
// fields and the common elements (SSID, rates, DS parameter set), and the data frames' LLC/SNAP
// payload handed on as Ethernet's would be. Columns follow tshark 4.0: management and data frames
// show SA → DA, control frames "MAC (TA)" → "MAC (RA)", Info "Beacon frame, SN=…, FN=…, Flags=…".
// Protected (encrypted) payloads stay data; other elements show as bytes.

import { dissectData } from './data.ts';
import { LLC_PSEUDO_TYPE, macAt } from './eth.ts';
import type { Packet } from './packet.ts';
import { bitPattern, defineProtocol, hexBytes, type FieldDef } from './registry.ts';
import type { TreeSink } from './tree.ts';
import { etherTypeTable, linkTypeTable } from './tables.ts';
import type { Tvb } from './tvb.ts';

const TYPE_SUBTYPE: Record<number, string> = {
  0x00: 'Association Request', 0x01: 'Association Response', 0x02: 'Reassociation Request', 0x03: 'Reassociation Response',
  0x04: 'Probe Request', 0x05: 'Probe Response', 0x06: 'Measurement Pilot', 0x08: 'Beacon frame', 0x09: 'ATIM',
  0x0a: 'Disassociate', 0x0b: 'Authentication', 0x0c: 'Deauthentication', 0x0d: 'Action', 0x0e: 'Action No Ack',
  0x0f: 'Aruba Management',
  0x12: 'Trigger', 0x14: 'Beamforming Report Poll', 0x15: 'VHT/HE NDP Announcement', 0x17: 'Control Wrapper',
  0x18: '802.11 Block Ack Req', 0x19: '802.11 Block Ack', 0x1a: 'Power-Save poll', 0x1b: 'Request-to-send',
  0x1c: 'Clear-to-send', 0x1d: 'Acknowledgement', 0x1e: 'CF-End (Control-frame)', 0x1f: 'CF-End + CF-Ack (Control-frame)',
  0x20: 'Data', 0x21: 'Data + CF-Ack', 0x22: 'Data + CF-Poll', 0x23: 'Data + CF-Ack + CF-Poll', 0x24: 'Null function (No data)',
  0x25: 'Acknowledgement (No data)', 0x26: 'CF-Poll (No data)', 0x27: 'CF-Ack/Poll (No data)', 0x28: 'QoS Data',
  0x29: 'QoS Data + CF-Acknowledgment', 0x2a: 'QoS Data + CF-Poll', 0x2b: 'QoS Data + CF-Ack + CF-Poll',
  0x2c: 'QoS Null function (No data)', 0x2e: 'QoS CF-Poll (No Data)', 0x2f: 'QoS CF-Ack + CF-Poll (No data)',
};

const DS_STATUS: Record<number, string> = {
  0: 'Not leaving DS or network is operating in AD-HOC mode (To DS: 0 From DS: 0)',
  1: 'Frame from STA to DS via an AP (To DS: 1 From DS: 0)',
  2: 'Frame from DS to a STA via AP(To DS: 0 From DS: 1)',
  3: 'WDS (AP to AP) or Mesh (MP to MP) Frame (To DS: 1 From DS: 1)',
};

const STATUS_CODES: Record<number, string> = {
  0: 'Successful', 1: 'Unspecified failure', 10: 'Cannot support all requested capabilities in the Capability Information field',
  12: 'Association denied due to reason outside the scope of this standard', 13: 'Responding station does not support the specified authentication algorithm',
  14: 'Received an Authentication frame with authentication sequence transaction sequence number out of expected sequence',
  15: 'Authentication rejected because of challenge failure', 16: 'Authentication rejected due to timeout waiting for next frame in sequence',
  17: 'Association denied because AP is unable to handle additional associated STAs',
};

const REASON_CODES: Record<number, string> = {
  1: 'Unspecified reason', 2: 'Previous authentication no longer valid',
  3: 'Deauthenticated because sending STA is leaving (or has left) the BSS',
  4: 'Disassociated due to inactivity', 5: 'Disassociated because AP is unable to handle all currently associated STAs',
  6: 'Class 2 frame received from nonauthenticated STA', 7: 'Class 3 frame received from nonassociated STA',
  8: 'Disassociated because sending STA is leaving (or has left) BSS',
  9: 'STA requesting (re)association is not authenticated with responding STA',
  15: '4-Way Handshake timeout', 16: 'Group key handshake timeout', 23: 'IEEE 802.1X authentication failed',
};

const TAG_NAMES: Record<number, string> = {
  0: 'SSID parameter set', 1: 'Supported Rates', 3: 'DS Parameter set', 4: 'CF Parameter set', 5: 'Traffic Indication Map (TIM)',
  6: 'IBSS Parameter set', 7: 'Country Information', 11: 'QBSS Load Element', 32: 'Power Constraint', 33: 'Power Capability',
  35: 'TPC Report', 36: 'Supported Channels', 37: 'Channel Switch Announcement', 42: 'ERP Information', 45: 'HT Capabilities (802.11n D1.10)',
  46: 'QoS Capability', 48: 'RSN Information', 50: 'Extended Supported Rates', 54: 'Mobility Domain', 59: 'Supported Operating Classes',
  61: 'HT Information (802.11n D1.10)', 70: 'RM Enabled Capabilities', 74: 'Overlapping BSS Scan Parameters',
  107: 'Interworking', 127: 'Extended Capabilities', 191: 'VHT Capabilities', 192: 'VHT Operation', 195: 'VHT Tx Power Envelope',
  221: 'Vendor Specific', 255: 'Element ID Extension',
};

const F = defineProtocol('wlan', 'IEEE 802.11 wireless LAN', {
  'wlan.fc.type_subtype': { name: 'Type/Subtype', type: 'uint', base: 'hex', bits: 16, vals: TYPE_SUBTYPE },
  'wlan.fc': { name: 'Frame Control Field', type: 'uint', base: 'hex', bits: 16 },
  'wlan.fc.version': { name: 'Version', type: 'uint', mask: 0x03, bits: 8 },
  'wlan.fc.type': { name: 'Type', type: 'uint', mask: 0x0c, bits: 8, vals: { 0: 'Management frame', 1: 'Control frame', 2: 'Data frame', 3: 'Extension' } },
  'wlan.fc.subtype': { name: 'Subtype', type: 'uint', mask: 0xf0, bits: 8 },
  'wlan.flags': { name: 'Flags', type: 'uint', base: 'hex', bits: 8 },
  'wlan.fc.ds': { name: 'DS status', type: 'uint', base: 'hex', mask: 0x03, bits: 8, vals: DS_STATUS },
  'wlan.fc.frag': { name: 'More Fragments', type: 'bool', mask: 0x04, bits: 8, tfs: ['More fragments follow', 'This is the last fragment'] },
  'wlan.fc.retry': { name: 'Retry', type: 'bool', mask: 0x08, bits: 8, tfs: ['Frame is being retransmitted', 'Frame is not being retransmitted'] },
  'wlan.fc.pwrmgt': { name: 'PWR MGT', type: 'bool', mask: 0x10, bits: 8, tfs: ['STA will go to sleep', 'STA will stay up'] },
  'wlan.fc.moredata': { name: 'More Data', type: 'bool', mask: 0x20, bits: 8, tfs: ['Data is buffered for STA at AP', 'No data buffered'] },
  'wlan.fc.protected': { name: 'Protected flag', type: 'bool', mask: 0x40, bits: 8, tfs: ['Data is protected', 'Data is not protected'] },
  'wlan.fc.order': { name: '+HTC/Order flag', type: 'bool', mask: 0x80, bits: 8, tfs: ['Strictly ordered', 'Not strictly ordered'] },
  'wlan.duration': { name: 'Duration', type: 'uint', mask: 0x7fff, bits: 16, unit: ' microseconds' },
  'wlan.ra': { name: 'Receiver address', type: 'ether' },
  'wlan.ta': { name: 'Transmitter address', type: 'ether' },
  'wlan.da': { name: 'Destination address', type: 'ether' },
  'wlan.sa': { name: 'Source address', type: 'ether' },
  'wlan.bssid': { name: 'BSS Id', type: 'ether' },
  'wlan.staa': { name: 'STA address', type: 'ether' },
  'wlan.frag': { name: 'Fragment number', type: 'uint', mask: 0x000f, bits: 16 },
  'wlan.seq': { name: 'Sequence number', type: 'uint', mask: 0xfff0, bits: 16 },
  'wlan.qos': { name: 'Qos Control', type: 'uint', base: 'hex', bits: 16 },
  'wlan.qos.tid': { name: 'TID', type: 'uint', mask: 0x000f, bits: 16 },
  'wlan.qos.eosp': { name: 'EOSP', type: 'bool', mask: 0x0010, bits: 16, tfs: ['End of service period', 'Service period'] },
  'wlan.qos.ack': { name: 'Ack Policy', type: 'uint', base: 'hex', mask: 0x0060, bits: 16, vals: { 0: 'Normal Ack', 1: 'No Ack', 2: 'No explicit acknowledgment', 3: 'Block Ack' } },
  'wlan.qos.amsdupresent': { name: 'Payload Type', type: 'bool', mask: 0x0080, bits: 16, tfs: ['A-MSDU', 'MSDU'] },
  'wlan.fcs': { name: 'Frame check sequence', type: 'uint', base: 'hex', bits: 32 },
  'wlan.ccmp.extiv': { name: 'CCMP Ext. Initialization Vector', type: 'uint', base: 'hex', bits: 48 },
  'wlan.ccmp.keyindex': { name: 'Key Index', type: 'uint' },
  // The management frame body (Wireshark's wlan.mgt layer keeps these wlan.* names).
  'wlan.fixed.timestamp': { name: 'Timestamp', type: 'uint' },
  'wlan.fixed.beacon': { name: 'Beacon Interval', type: 'float' },
  'wlan.fixed.capabilities': { name: 'Capabilities Information', type: 'uint', base: 'hex', bits: 16 },
  'wlan.fixed.listen_ival': { name: 'Listen Interval', type: 'uint', base: 'hex', bits: 16 },
  'wlan.fixed.status_code': { name: 'Status code', type: 'uint', base: 'hex', bits: 16, vals: STATUS_CODES },
  'wlan.fixed.aid': { name: 'Association ID', type: 'uint', base: 'hex', mask: 0x3fff, bits: 16 },
  'wlan.fixed.auth.alg': { name: 'Authentication Algorithm', type: 'uint', vals: { 0: 'Open System', 1: 'Shared key', 2: 'Fast BSS Transition', 3: 'Simultaneous Authentication of Equals (SAE)' } },
  'wlan.fixed.auth_seq': { name: 'Authentication SEQ', type: 'uint', base: 'hex', bits: 16 },
  'wlan.fixed.reason_code': { name: 'Reason code', type: 'uint', base: 'hex', bits: 16, vals: REASON_CODES },
  'wlan.fixed.current_ap': { name: 'Current AP', type: 'ether' },
  'wlan.tag.number': { name: 'Tag Number', type: 'uint', vals: TAG_NAMES },
  'wlan.tag.length': { name: 'Tag length', type: 'uint' },
  'wlan.ssid': { name: 'SSID', type: 'bytes' },
  'wlan.supported_rates': { name: 'Supported Rates', type: 'uint', base: 'hex', bits: 8 },
  'wlan.extended_supported_rates': { name: 'Extended Supported Rates', type: 'uint', base: 'hex', bits: 8 },
  'wlan.ds.current_channel': { name: 'Current Channel', type: 'uint' },
  'wlan.tag.data': { name: 'Data', type: 'bytes' },
  'wlan.tim.dtim_count': { name: 'DTIM count', type: 'uint' },
  'wlan.tim.dtim_period': { name: 'DTIM period', type: 'uint' },
  'wlan.tim.bmapctl': { name: 'Bitmap control', type: 'uint', base: 'hex', bits: 8 },
  'wlan.tim.bmapctl.multicast': { name: 'Multicast', type: 'bool', mask: 0x01, bits: 8 },
  'wlan.tim.bmapctl.offset': { name: 'Bitmap Offset', type: 'uint', base: 'hex', mask: 0xfe, bits: 8 },
  'wlan.tim.partial_virtual_bitmap': { name: 'Partial Virtual Bitmap', type: 'bytes' },
  'wlan.rsn.version': { name: 'RSN Version', type: 'uint' },
  'wlan.rsn.gcs': { name: 'Group Cipher Suite', type: 'none' },
  'wlan.rsn.pcs.count': { name: 'Pairwise Cipher Suite Count', type: 'uint' },
  'wlan.rsn.pcs': { name: 'Pairwise Cipher Suite', type: 'none' },
  'wlan.rsn.akms.count': { name: 'Auth Key Management (AKM) Suite Count', type: 'uint' },
  'wlan.rsn.akms': { name: 'Auth Key Management (AKM) Suite', type: 'none' },
  'wlan.rsn.capabilities': { name: 'RSN Capabilities', type: 'uint', base: 'hex', bits: 16 },
  'wlan.rsn.pmkid.count': { name: 'PMKID Count', type: 'uint' },
  'wlan.rsn.pmkid': { name: 'PMKID', type: 'bytes' },
  'wlan.rsn.gmcs': { name: 'Group Management Cipher Suite', type: 'none' },
});

// Capability Information bits (IEEE 802.11-2020 §9.4.1.4), as tshark lists them.
const CAPABILITIES: [mask: number, name: string, set: string, clear: string][] = [
  [0x0001, 'ESS capabilities', 'Transmitter is an AP', 'Transmitter is a STA'],
  [0x0002, 'IBSS status', 'Transmitter belongs to an IBSS', 'Transmitter belongs to a BSS'],
  [0x0004, 'Reserved', '1', '0'], [0x0008, 'Reserved', '1', '0'],
  [0x0010, 'Privacy', 'Data confidentiality required', 'AP/STA cannot support WEP'],
  [0x0020, 'Short Preamble', 'Allowed', 'Not Allowed'],
  [0x0040, 'Reserved', '1', '0'], [0x0080, 'Reserved', '1', '0'],
  [0x0100, 'Spectrum Management', 'Implemented', 'Not Implemented'],
  [0x0200, 'QoS', 'Implemented', 'Not Implemented'],
  [0x0400, 'Short Slot Time', 'In use', 'Not in use'],
  [0x0800, 'Automatic Power Save Delivery', 'Implemented', 'Not Implemented'],
  [0x1000, 'Radio Measurement', 'Implemented', 'Not Implemented'],
  [0x2000, 'EPD', 'Implemented', 'Not Implemented'],
  [0x4000, 'Reserved', '1', '0'], [0x8000, 'Reserved', '1', '0'],
];

const MGMT = 0;
const CONTROL = 1;
const DATA = 2;

/** What the link layer below told about the frame (radiotap's flags). */
export interface WlanInfo {
  /** The frame ends with its 4-byte FCS. */
  fcs: boolean;
}

function dissectWlanLink(tvb: Tvb, p: Packet): void {
  dissectWlan(tvb, p, { fcs: false });
}

export function dissectWlan(tvb: Tvb, p: Packet, info: WlanInfo): void {
  p.layers.push('wlan');
  p.cols.protocol = '802.11';
  p.cols.clearInfo();
  const fc0 = tvb.u8(0);
  const flags = tvb.u8(1);
  if ((fc0 & 0x03) !== 0) {
    p.cols.setInfo(`Unknown protocol version: ${fc0 & 0x03}`);
    dissectData(tvb, p);
    return;
  }
  const type = (fc0 >> 2) & 3;
  const typeSubtype = (type << 4) | (fc0 >> 4);
  const name = TYPE_SUBTYPE[typeSubtype] ?? 'Unrecognized (Reserved frame)';
  p.cols.setInfo(name);
  // The FCS is the frame's last 4 bytes; tshark's Flags text gets a 9th character for it.
  const body = info.fcs ? tvb.sub(0, Math.max(0, tvb.reportedLength - 4)) : tvb;
  let flagText = '';
  for (let i = 0; i < 8; i++) flagText += flags & (0x80 >> i) ? 'opmPRMFT'[i] : '.';
  if (info.fcs) flagText += 'C';

  const qos = type === DATA && (typeSubtype & 0x08) !== 0;
  let hdrLen = type === MGMT ? 24 : type === DATA ? ((flags & 3) === 3 ? 30 : 24) + (qos ? 2 : 0) : controlHeaderLength(typeSubtype);
  if ((type === MGMT || qos) && flags & 0x80) hdrLen += 4; // HT Control (+HTC)

  const t = p.tree;
  if (t) {
    t.open(F.proto, tvb, 0, hdrLen, null, `IEEE 802.11 ${name}, Flags: ${flagText}`);
    t.add(F['wlan.fc.type_subtype'], tvb, 0, 1, typeSubtype);
    t.open(F['wlan.fc'], tvb, 0, 2, (fc0 << 8) | flags);
    t.add(F['wlan.fc.version'], tvb, 0, 1, fc0 & 3);
    t.add(F['wlan.fc.type'], tvb, 0, 1, type);
    t.add(F['wlan.fc.subtype'], tvb, 0, 1, fc0 >> 4);
    t.open(F['wlan.flags'], tvb, 1, 1, flags);
    t.add(F['wlan.fc.ds'], tvb, 1, 1, flags & 3);
    for (const f of ['wlan.fc.frag', 'wlan.fc.retry', 'wlan.fc.pwrmgt', 'wlan.fc.moredata', 'wlan.fc.protected', 'wlan.fc.order'] as const) {
      const set = (flags & F[f].mask) !== 0;
      if (f === 'wlan.fc.retry' && set) {
        t.open(F[f], tvb, 1, 1, true);
        t.expert('note', 'Retransmission (retry)', tvb, 1, 1, 'Sequence');
        t.close();
      } else t.add(F[f], tvb, 1, 1, set);
    }
    t.close();
    t.close();
    t.add(F['wlan.duration'], tvb, 2, 2, tvb.u16le(2) & 0x7fff);
  }

  if (type === CONTROL) {
    controlAddresses(tvb, p, typeSubtype);
    p.cols.appendInfo(`, Flags=${flagText}`);
    fcsItem(tvb, info, t);
    t?.close();
    return;
  }

  const seqCtl = tvb.u16le(22);
  p.cols.appendInfo(`, SN=${seqCtl >> 4}, FN=${seqCtl & 0xf}`);
  if (type === MGMT) {
    p.src = macAt(tvb, 10);
    p.dst = macAt(tvb, 4);
    if (t) {
      t.add(F['wlan.ra'], tvb, 4, 6, tvb.bytes(4, 6));
      t.add(F['wlan.da'], tvb, 4, 6, tvb.bytes(4, 6));
      t.add(F['wlan.ta'], tvb, 10, 6, tvb.bytes(10, 6));
      t.add(F['wlan.sa'], tvb, 10, 6, tvb.bytes(10, 6));
      t.add(F['wlan.bssid'], tvb, 16, 6, tvb.bytes(16, 6));
      staAddress(tvb, flags, p);
    }
  } else {
    dataAddresses(tvb, p, flags);
  }
  if (t) {
    t.add(F['wlan.frag'], tvb, 22, 2, seqCtl & 0xf);
    t.add(F['wlan.seq'], tvb, 22, 2, seqCtl >> 4);
    if (qos) qosControl(tvb, (flags & 3) === 3 ? 30 : 24, flags, p);
  }
  p.cols.appendInfo(`, Flags=${flagText}`);
  let payload = body.sub(hdrLen);
  const isProtected = type === DATA && (flags & 0x40) !== 0 && !(typeSubtype & 0x04);
  // The security header belongs to the MAC header's node, as tshark shows it.
  if (isProtected) payload = payload.sub(securityHeader(payload, t));
  fcsItem(tvb, info, t);
  t?.close();

  if (type === MGMT) {
    managementBody(payload, p, typeSubtype);
    return;
  }
  // Null functions carry no data (IEEE 802.11-2020 §9.3.2.1).
  if (typeSubtype & 0x04 || payload.reportedLength === 0) return;
  if (isProtected) {
    dissectData(payload, p);
    return;
  }
  const llc = etherTypeTable.get(LLC_PSEUDO_TYPE);
  if (llc) llc(payload, p);
  else dissectData(payload, p);
}

function controlHeaderLength(typeSubtype: number): number {
  switch (typeSubtype) {
    case 0x1c: // CTS
    case 0x1d: // ACK
      return 10;
    case 0x1a: // PS-Poll
    case 0x1b: // RTS
    case 0x1e: // CF-End
    case 0x1f: // CF-End + CF-Ack
    case 0x18: // Block Ack Request
    case 0x19: // Block Ack
      return 16;
    default:
      return 4;
  }
}

/** Control frames name their addresses by role in the columns: "MAC (RA)", "MAC (TA)". */
function controlAddresses(tvb: Tvb, p: Packet, typeSubtype: number): void {
  const t = p.tree;
  const psPoll = typeSubtype === 0x1a;
  p.src = '';
  p.dst = `${macAt(tvb, 4)} (${psPoll ? 'BSSID' : 'RA'})`;
  t?.add(F['wlan.ra'], tvb, 4, 6, tvb.bytes(4, 6));
  if (psPoll) t?.add(F['wlan.bssid'], tvb, 4, 6, tvb.bytes(4, 6));
  if (controlHeaderLength(typeSubtype) === 16) {
    const cfEnd = typeSubtype === 0x1e;
    p.src = `${macAt(tvb, 10)} (${cfEnd ? 'BSSID' : 'TA'})`;
    t?.add(cfEnd ? F['wlan.bssid'] : F['wlan.ta'], tvb, 10, 6, tvb.bytes(10, 6));
  }
}

/** Data frames: which address is which depends on To DS / From DS (IEEE 802.11-2020 Table 9-26). */
function dataAddresses(tvb: Tvb, p: Packet, flags: number): void {
  const ds = flags & 3;
  const [da, sa, bssid] = ds === 0 ? [4, 10, 16] : ds === 1 ? [16, 10, 4] : ds === 2 ? [4, 16, 10] : [16, 24, -1];
  p.src = macAt(tvb, sa);
  p.dst = macAt(tvb, da);
  const t = p.tree;
  if (!t) return;
  t.add(F['wlan.ra'], tvb, 4, 6, tvb.bytes(4, 6));
  t.add(F['wlan.ta'], tvb, 10, 6, tvb.bytes(10, 6));
  t.add(F['wlan.da'], tvb, da, 6, tvb.bytes(da, 6));
  t.add(F['wlan.sa'], tvb, sa, 6, tvb.bytes(sa, 6));
  if (bssid >= 0) t.add(F['wlan.bssid'], tvb, bssid, 6, tvb.bytes(bssid, 6));
  staAddress(tvb, flags, p);
}

/** The station's address: the receiver of a frame from the DS, the transmitter of one to it. */
function staAddress(tvb: Tvb, flags: number, p: Packet): void {
  const ds = flags & 3;
  const at = ds === 2 ? 4 : ds === 1 ? 10 : -1;
  if (at >= 0) p.tree?.add(F['wlan.staa'], tvb, at, 6, tvb.bytes(at, 6));
}

const PRIORITIES = ['Best Effort (Best Effort)', 'Background (Background)', 'Spare (Background)', 'Excellent Effort (Best Effort)',
  'Controlled Load (Video)', 'Video (Video)', 'Voice (Voice)', 'Network Control (Voice)'];

function qosControl(tvb: Tvb, off: number, flags: number, p: Packet): void {
  const t = p.tree!;
  const q = tvb.u16le(off);
  t.open(F['wlan.qos'], tvb, off, 2, q);
  t.add(F['wlan.qos.tid'], tvb, off, 2, q & 0xf);
  t.text(tvb, off, 2, `[.... .... .... .${(q & 4) >> 2}${(q & 2) >> 1}${q & 1} = Priority: ${PRIORITIES[q & 7]} (${q & 7})]`);
  t.add(F['wlan.qos.eosp'], tvb, off, 2, (q & 0x10) !== 0);
  t.add(F['wlan.qos.ack'], tvb, off, 2, (q >> 5) & 3);
  t.add(F['wlan.qos.amsdupresent'], tvb, off, 2, (q & 0x80) !== 0);
  if ((flags & 3) === 2) {
    t.text(tvb, off + 1, 1, `${bits8(q >> 8)} .... .... = QAP PS Buffer State: 0x${(q >> 8).toString(16).padStart(2, '0')}`, true);
    t.text(tvb, off + 1, 1, `.... ..${(q >> 9) & 1}. .... .... = Buffer State Indicated: ${q & 0x200 ? 'Yes' : 'No'}`);
    t.close();
  }
  t.close();
}

const bits8 = (v: number) => {
  const s = v.toString(2).padStart(8, '0');
  return `${s.slice(0, 4)} ${s.slice(4)}`;
};

function fcsItem(tvb: Tvb, info: WlanInfo, t: Packet['tree']): void {
  if (!info.fcs || !t) return;
  const at = tvb.reportedLength - 4;
  if (at >= 0 && tvb.has(at, 4)) {
    t.add(F['wlan.fcs'], tvb, at, 4, tvb.u32le(at), `Frame check sequence: 0x${tvb.u32le(at).toString(16).padStart(8, '0')} [unverified]`);
    // Like Wireshark by default, the FCS is shown, not checked.
    t.text(tvb, at, 0, '[FCS Status: Unverified]');
  }
}

/** The CCMP security header of protected data (IEEE 802.11-2020 §12.5.3.2); its length, 0 for others. */
function securityHeader(tvb: Tvb, t: Packet['tree']): number {
  // CCMP sets ExtIV and leaves the third byte reserved (0); TKIP and WEP stay undissected bytes.
  if (tvb.length < 8 || !(tvb.u8(3) & 0x20) || tvb.u8(2) !== 0) return 0;
  if (t) {
    const pn = tvb.u8(0) + tvb.u8(1) * 0x100 + tvb.u8(4) * 0x10000 + tvb.u8(5) * 0x1000000 + tvb.u8(6) * 2 ** 32 + tvb.u8(7) * 2 ** 40;
    t.text(tvb, 0, 8, 'CCMP parameters', true);
    t.add(F['wlan.ccmp.extiv'], tvb, 0, 8, pn, `CCMP Ext. Initialization Vector: 0x${pn.toString(16).padStart(12, '0').toUpperCase()}`);
    t.add(F['wlan.ccmp.keyindex'], tvb, 3, 1, tvb.u8(3) >> 6);
    t.close();
  }
  return 8;
}

function managementBody(tvb: Tvb, p: Packet, typeSubtype: number): void {
  const t = p.tree;
  p.layers.push('wlan.mgt');
  t?.text(tvb, 0, tvb.reportedLength, 'IEEE 802.11 Wireless Management', true);
  let off = 0;
  const fixed = (len: number, fill: () => void) => {
    if (t) {
      t.text(tvb, 0, len, `Fixed parameters (${len} bytes)`, true);
      fill();
      t.close();
    } else fill();
    off = len;
  };
  const caps = (o: number) => {
    if (!t) return;
    const c = tvb.u16le(o);
    t.open(F['wlan.fixed.capabilities'], tvb, o, 2, c);
    for (const [mask, name, set, clear] of CAPABILITIES) {
      t.text(tvb, o, 2, `${bitPattern(mask, 16, c)}${name}: ${c & mask ? set : clear}`);
    }
    t.close();
  };
  const status = (o: number) => t?.add(F['wlan.fixed.status_code'], tvb, o, 2, tvb.u16le(o));
  switch (typeSubtype) {
    case 0x08: // Beacon
    case 0x05: // Probe Response
      fixed(12, () => {
        const ts = tvb.u32le(0) + tvb.u32le(4) * 2 ** 32;
        t?.add(F['wlan.fixed.timestamp'], tvb, 0, 8, ts);
        const bi = tvb.u16le(8);
        p.cols.appendInfo(`, BI=${bi}`);
        t?.add(F['wlan.fixed.beacon'], tvb, 8, 2, bi * 0.001024, `Beacon Interval: ${(bi * 0.001024).toFixed(6)} [Seconds]`);
        caps(10);
      });
      break;
    case 0x00: // Association Request
      fixed(4, () => {
        caps(0);
        t?.add(F['wlan.fixed.listen_ival'], tvb, 2, 2, tvb.u16le(2));
      });
      break;
    case 0x02: // Reassociation Request
      fixed(10, () => {
        caps(0);
        t?.add(F['wlan.fixed.listen_ival'], tvb, 2, 2, tvb.u16le(2));
        t?.add(F['wlan.fixed.current_ap'], tvb, 4, 6, tvb.bytes(4, 6));
      });
      break;
    case 0x01: // Association Response
    case 0x03: // Reassociation Response
      fixed(6, () => {
        caps(0);
        status(2);
        t?.add(F['wlan.fixed.aid'], tvb, 4, 2, tvb.u16le(4) & 0x3fff);
      });
      break;
    case 0x0b: // Authentication
      fixed(6, () => {
        t?.add(F['wlan.fixed.auth.alg'], tvb, 0, 2, tvb.u16le(0));
        t?.add(F['wlan.fixed.auth_seq'], tvb, 2, 2, tvb.u16le(2));
        status(4);
      });
      break;
    case 0x0a: // Disassociation
    case 0x0c: // Deauthentication
      fixed(2, () => t?.add(F['wlan.fixed.reason_code'], tvb, 0, 2, tvb.u16le(0)));
      break;
    case 0x04: // Probe Request: elements only
      break;
    default:
      if (tvb.remaining(0) > 0) t?.add(F['wlan.tag.data'], tvb, 0, tvb.remaining(0), tvb.bytes(0, tvb.remaining(0)));
      t?.close();
      return;
  }
  taggedParameters(tvb, off, p);
  t?.close();
}


/** Supported-rate octets as tshark names them: "1(B)" for a basic rate, in Mbit/s. */
function rateText(r: number): string {
  const mbps = (r & 0x7f) / 2;
  return `${mbps}${r & 0x80 ? '(B)' : ''}`;
}

function taggedParameters(tvb: Tvb, start: number, p: Packet): void {
  const t = p.tree;
  const end = tvb.reportedLength;
  if (start >= end) return;
  t?.text(tvb, start, end - start, `Tagged parameters (${end - start} bytes)`, true);
  try {
    for (let o = start; o + 2 <= end; ) {
      const id = tvb.u8(o);
      const len = tvb.u8(o + 1);
      const d = o + 2;
      tvb.check(d, len);
      const name = TAG_NAMES[id] ?? 'Unknown';
      let label = `Tag: ${name}`;
      const inner: (() => void)[] = [];
      switch (id) {
        case 0: {
          const ssid = tvb.bytes(d, len);
          const text = ssidText(ssid);
          if (len > 0) {
            label += `: ${text}`;
            p.cols.appendInfo(`, SSID=${text}`);
          } else {
            label += ': Wildcard SSID';
            p.cols.appendInfo(', SSID=Wildcard (Broadcast)');
          }
          inner.push(() => t?.add(F['wlan.ssid'], tvb, d, len, ssid, len ? `SSID: ${text}` : 'SSID: <MISSING>'));
          break;
        }
        case 1:
        case 50: {
          const f = id === 1 ? F['wlan.supported_rates'] : F['wlan.extended_supported_rates'];
          let rates = '';
          for (let i = 0; i < len; i++) {
            const r = tvb.u8(d + i);
            rates += `${rateText(r)}, `;
            inner.push(() => t?.add(f, tvb, d + i, 1, r, `${f.name}: ${rateText(r)} (0x${r.toString(16).padStart(2, '0')})`));
          }
          label += ` ${rates}[Mbit/sec]`;
          break;
        }
        case 3:
          if (len >= 1) {
            const ch = tvb.u8(d);
            label += `: Current Channel: ${ch}`;
            inner.push(() => t?.add(F['wlan.ds.current_channel'], tvb, d, 1, ch));
          }
          break;
        case 48:
          inner.push(() => t && rsnElement(tvb, d, len, t));
          break;
        case 5:
          // TIM (IEEE 802.11-2020 §9.4.2.5): DTIM count and period, bitmap control, partial bitmap.
          if (len >= 3) {
            const count = tvb.u8(d);
            const period = tvb.u8(d + 1);
            const ctl = tvb.u8(d + 2);
            label += `: DTIM ${count} of ${period} bitmap`;
            inner.push(() => {
              t?.add(F['wlan.tim.dtim_count'], tvb, d, 1, count);
              t?.add(F['wlan.tim.dtim_period'], tvb, d + 1, 1, period);
              t?.open(F['wlan.tim.bmapctl'], tvb, d + 2, 1, ctl);
              t?.add(F['wlan.tim.bmapctl.multicast'], tvb, d + 2, 1, (ctl & 1) !== 0);
              t?.add(F['wlan.tim.bmapctl.offset'], tvb, d + 2, 1, ctl >> 1);
              t?.close();
              if (len > 3) t?.add(F['wlan.tim.partial_virtual_bitmap'], tvb, d + 3, len - 3, tvb.bytes(d + 3, len - 3));
            });
          }
          break;
        default:
          if (len) inner.push(() => t?.add(F['wlan.tag.data'], tvb, d, len, tvb.bytes(d, len)));
      }
      if (t) {
        t.text(tvb, o, 2 + len, label, true);
        t.add(F['wlan.tag.number'], tvb, o, 1, id);
        t.add(F['wlan.tag.length'], tvb, o + 1, 1, len);
        for (const add of inner) add();
        t.close();
      }
      o = d + len;
    }
  } finally {
    t?.close();
  }
}

/** An SSID as tshark shows it: quoted when every byte is printable ASCII, else its bytes in hex. */
function ssidText(b: Uint8Array): string {
  let s = '';
  for (const c of b) {
    if (c < 0x20 || c > 0x7e) return hexBytes(b, '');
    s += String.fromCharCode(c);
  }
  return `"${s}"`;
}

linkTypeTable.add(105, dissectWlanLink); // LINKTYPE_IEEE802_11

// RSN element (IEEE 802.11-2020 §9.4.2.24): the ciphers and key management a network offers.
const CIPHERS: Record<number, string> = {
  0: 'NONE', 1: 'WEP (40-bit)', 2: 'TKIP', 3: 'AES (OCB)', 4: 'AES (CCM)', 5: 'WEP (104-bit)', 6: 'BIP (128)',
  7: 'Group addressed traffic not allowed', 8: 'GCMP (128)', 9: 'GCMP (256)', 10: 'CCMP (256)', 11: 'BIP (GMAC-128)',
  12: 'BIP (GMAC-256)', 13: 'BIP (CMAC-256)',
};
const AKMS: Record<number, string> = {
  0: 'NONE', 1: 'WPA', 2: 'PSK', 3: 'FT over IEEE 802.1X', 4: 'FT using PSK', 5: 'WPA (SHA256)', 6: 'PSK (SHA256)',
  7: 'TDLS / TPK Handshake (SHA256)', 8: 'SAE (SHA256)', 9: 'FT using SAE (SHA256)', 10: 'APPeerKey (SHA256)',
  11: 'WPA (SHA256-SuiteB)', 12: 'WPA (SHA384-SuiteB)', 13: 'FT over IEEE 802.1X (SHA384)', 14: 'FILS (SHA256 and AES-SIV-256)',
  15: 'FILS (SHA384 and AES-SIV-512)', 16: 'FT over FILS (SHA256 and AES-SIV-256)', 17: 'FT over FILS (SHA384 and AES-SIV-512)',
  18: 'Opportunistic Wireless Encryption', 19: 'FT using PSK (SHA384)', 20: 'PSK (SHA384)', 21: 'PASN',
};
const OUIS: Record<number, string> = { 0x000fac: 'Ieee 802.11', 0x0050f2: 'Microsoft Corp.' };
const REPLAY_COUNTERS = ['1 replay counter', '2 replay counters', '4 replay counters', '16 replay counters'];
const RSN_CAPS: [mask: number, name: string, set: string, clear: string][] = [
  [0x0001, 'RSN Pre-Auth capabilities', 'Transmitter supports pre-authentication', 'Transmitter does not support pre-authentication'],
  [0x0002, 'RSN No Pairwise capabilities', 'Transmitter cannot support WEP default key 0 simultaneously with Pairwise key', 'Transmitter can support WEP default key 0 simultaneously with Pairwise key'],
];
const RSN_FLAGS: [mask: number, name: string, set: string, clear: string][] = [
  [0x0040, 'Management Frame Protection Required', 'True', 'False'],
  [0x0080, 'Management Frame Protection Capable', 'True', 'False'],
  [0x0100, 'Joint Multi-band RSNA', 'True', 'False'],
  [0x0200, 'PeerKey Enabled', 'True', 'False'],
  [0x2000, 'Extended Key ID for Individually Addressed Frames', 'Supported', 'Not supported'],
];

/** One cipher or AKM suite: "00:0f:ac (Ieee 802.11) AES (CCM)", with its OUI and type below. */
function suite(tvb: Tvb, o: number, t: TreeSink, f: FieldDef, what: string, names: Record<number, string>): void {
  const oui = tvb.u24(o);
  const type = tvb.u8(o + 3);
  t.open(f, tvb, o, 4, null, `${f.name}: ${suiteText(tvb, o, names)}`);
  t.text(tvb, o, 3, `${what} OUI: ${ouiText(oui)}`);
  t.text(tvb, o + 3, 1, `${what} type: ${oui === 0x000fac ? names[type] ?? 'Reserved' : type} (${type})`);
  t.close();
}

function ouiText(oui: number): string {
  const hex = hexBytes(Uint8Array.of(oui >> 16, (oui >> 8) & 0xff, oui & 0xff));
  return OUIS[oui] ? `${hex} (${OUIS[oui]})` : hex;
}

export function rsnElement(tvb: Tvb, d: number, len: number, t: TreeSink): void {
  const end = d + len;
  let o = d;
  if (o + 2 > end) return;
  t.add(F['wlan.rsn.version'], tvb, o, 2, tvb.u16le(o));
  o += 2;
  if (o + 4 > end) return;
  suite(tvb, o, t, F['wlan.rsn.gcs'], 'Group Cipher Suite', CIPHERS);
  o += 4;
  // A counted list of suites; its node names them all, like tshark's.
  const list = (countField: FieldDef, itemField: FieldDef, listName: string, what: string, names: Record<number, string>) => {
    if (o + 2 > end) return false;
    const n = tvb.u16le(o);
    t.add(countField, tvb, o, 2, n);
    o += 2;
    const at: number[] = [];
    for (let i = 0; i < n && o + 4 <= end; i++, o += 4) at.push(o);
    t.text(tvb, o - 4 * at.length, 4 * at.length, `${listName} ${at.map((a) => suiteText(tvb, a, names)).join(' ')}`, true);
    for (const a of at) suite(tvb, a, t, itemField, what, names);
    t.close();
    return true;
  };
  if (!list(F['wlan.rsn.pcs.count'], F['wlan.rsn.pcs'], 'Pairwise Cipher Suite List', 'Pairwise Cipher Suite', CIPHERS)) return;
  if (!list(F['wlan.rsn.akms.count'], F['wlan.rsn.akms'], 'Auth Key Management (AKM) List', 'Auth Key Management (AKM)', AKMS)) return;
  if (o + 2 > end) return;
  const caps = tvb.u16le(o);
  t.open(F['wlan.rsn.capabilities'], tvb, o, 2, caps);
  for (const [mask, name, set, clear] of RSN_CAPS) t.text(tvb, o, 2, `${bitPattern(mask, 16, caps)}${name}: ${caps & mask ? set : clear}`);
  for (const [mask, shift, name] of [[0x000c, 2, 'RSN PTKSA Replay Counter capabilities'], [0x0030, 4, 'RSN GTKSA Replay Counter capabilities']] as const) {
    const v = (caps & mask) >> shift;
    t.text(tvb, o, 2, `${bitPattern(mask, 16, caps)}${name}: ${REPLAY_COUNTERS[v]} per PTKSA/GTKSA/STAKeySA (0x${v.toString(16)})`);
  }
  for (const [mask, name, set, clear] of RSN_FLAGS) t.text(tvb, o, 2, `${bitPattern(mask, 16, caps)}${name}: ${caps & mask ? set : clear}`);
  t.close();
  o += 2;
  if (o + 2 > end) return;
  const pmkids = tvb.u16le(o);
  t.add(F['wlan.rsn.pmkid.count'], tvb, o, 2, pmkids);
  o += 2;
  t.text(tvb, o, Math.min(16 * pmkids, end - o), 'PMKID List', true);
  for (let i = 0; i < pmkids && o + 16 <= end; i++, o += 16) t.add(F['wlan.rsn.pmkid'], tvb, o, 16, tvb.bytes(o, 16));
  t.close();
  if (o + 4 <= end) suite(tvb, o, t, F['wlan.rsn.gmcs'], 'Group Management Cipher Suite', CIPHERS);
}

function suiteText(tvb: Tvb, o: number, names: Record<number, string>): string {
  const oui = tvb.u24(o);
  const type = tvb.u8(o + 3);
  return `${ouiText(oui)} ${oui === 0x000fac ? names[type] ?? 'Reserved' : type}`;
}
