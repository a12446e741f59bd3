// SDP, the Session Description Protocol (RFC 4566, now RFC 8866): a text body of "x=value" lines
// that SIP (RFC 3261 §13, the offer/answer model of RFC 3264) and others carry to describe media
// sessions. tshark 4.0 shows each line with a subtree of its parts ("o=" owner, "c=" connection,
// "m=" media with its RTP payload types, "a=rtpmap:" …), appends "/SDP" to the carrier's
// Protocol column and leaves Info alone.
//
// The first part of this file is a byte view with Wireshark's tvbuff semantics, shared with the
// SIP dissector (sip.ts): text protocols that parse fuzzed input must fail exactly where tshark
// fails (a field past the end is "[Malformed Packet]", a search that finds nothing is not), so
// offsets may be negative (counted from the end, as tvbuffs allow), searches never throw past the
// data, and tree items check their bytes whether or not a tree is being built.

import { stateSlot, type Packet } from './packet.ts';
import { defineProtocol, type FieldDef } from './registry.ts';
import { GENERATED, type TreeSink } from './tree.ts';
import { Tvb } from './tvb.ts';
import {
  addExpert, addStr, addString, addUint, cString, fieldText, openText, shown, strtoul32, strtol32, TextTvb, wsStrtou,
} from './text-tvb.ts';

// ---- SDP ----

/** RTP payload types of RFC 3551 §6 and the dynamic range, as Wireshark names them. */
const RTP_PT_NAMES: readonly string[] = (() => {
  const fixed: Record<number, string> = {
    0: 'ITU-T G.711 PCMU', 1: 'USA Federal Standard FS-1016', 2: 'ITU-T G.721', 3: 'GSM 06.10', 4: 'ITU-T G.723',
    5: 'DVI4 8000 samples/s', 6: 'DVI4 16000 samples/s', 7: 'Experimental linear predictive encoding from Xerox PARC',
    8: 'ITU-T G.711 PCMA', 9: 'ITU-T G.722', 10: '16-bit uncompressed audio, stereo', 11: '16-bit uncompressed audio, monaural',
    12: 'Qualcomm Code Excited Linear Predictive coding', 13: 'Comfort noise', 14: 'MPEG-I/II Audio', 15: 'ITU-T G.728',
    16: 'DVI4 11025 samples/s', 17: 'DVI4 22050 samples/s', 18: 'ITU-T G.729', 19: 'Comfort noise (old)',
    25: 'Sun CellB video encoding', 26: 'JPEG-compressed video', 28: "'nv' program", 31: 'ITU-T H.261', 32: 'MPEG-I/II Video',
    33: 'MPEG-II transport streams', 34: 'ITU-T H.263',
  };
  const names: string[] = [];
  for (let pt = 0; pt < 128; pt++) {
    names.push(fixed[pt] ?? (pt >= 96 ? `DynamicRTP-Type-${pt}` : pt >= 72 && pt <= 76 ? 'Reserved for RTCP conflict avoidance' : 'Unassigned'));
  }
  return names;
})();

const ICE_CANDIDATE_TYPES: Record<string, string> = {
  host: 'Host candidate', srflx: 'Server reflexive candidate', prflx: 'Peer reflexive candidate', relay: 'Relayed candidate',
};

/** fmtp payload "types" some protocols give as names (ETSI TS 102 472/592, TS 124 380/581, OMA PoC). */
const FMTP_NAMED_FORMATS: Record<string, string> = {
  'ipdc-kmm': 'IP Datacast Key Management Message', 'ipdc-ksm': 'IP Datacast Key Stream Message',
  'mcptt': 'Mission Critical Push To Talk', 'mcvideo': 'Mission Critical Video', 'tbcp': 'Talk Burst Control Protocol',
};

const H263_PROFILES: Record<number, string> = {
  0: 'Baseline Profile', 1: 'H.320 Coding Efficiency Version 2 Backward-Compatibility Profile',
  2: 'Version 1 Backward-Compatibility Profile', 3: 'Version 2 Interactive and Streaming Wireless Profile',
  4: 'Version 3 Interactive and Streaming Wireless Profile', 5: 'Conversational High Compression Profile',
  6: 'Conversational Internet Profile', 7: 'Conversational Interlace Profile', 8: 'High Latency Profile',
};
const H263_LEVELS: Record<number, string> = {
  10: 'QCIF (176 x 144), 1 x 64Kb/s', 20: 'CIF (352 x 288), 2 x 64Kb/s', 30: 'CIF (352 x 288), 6 x 64Kb/s',
  40: 'CIF (352 x 288), 32 x 64Kb/s', 45: 'QCIF (176 x144) support of CPFMT, 2 x 64Kb/s',
  50: 'CIF (352 x 288) support of CPFMT, 64 x 64Kb/s', 60: 'CPFMT: 720 x 288 support of CPFMT, 128 x 64Kb/s',
  70: 'CPFMT: 720 x 576 support of CPFMT, 256 x 64Kb/s',
};
const H264_PACKETIZATION: Record<number, string> = { 0: 'Single NAL mode', 1: 'Non-interleaved mode', 2: 'Interleaved mode' };

export const F = defineProtocol('sdp', 'Session Description Protocol', {
  'sdp.version': { name: 'Session Description Protocol Version (v)', type: 'string' },
  'sdp.owner': { name: 'Owner/Creator, Session Id (o)', type: 'string' },
  'sdp.session_name': { name: 'Session Name (s)', type: 'string' },
  'sdp.session_info': { name: 'Session Information (i)', type: 'string' },
  'sdp.uri': { name: 'URI of Description (u)', type: 'string' },
  'sdp.email': { name: 'E-mail Address (e)', type: 'string' },
  'sdp.phone': { name: 'Phone Number (p)', type: 'string' },
  'sdp.connection_info': { name: 'Connection Information (c)', type: 'string' },
  'sdp.bandwidth': { name: 'Bandwidth Information (b)', type: 'string' },
  'sdp.timezone': { name: 'Time Zone Adjustments (z)', type: 'string' },
  'sdp.encryption_key': { name: 'Encryption Key (k)', type: 'string' },
  'sdp.session_attr': { name: 'Session Attribute (a)', type: 'string' },
  'sdp.media_attr': { name: 'Media Attribute (a)', type: 'string' },
  'sdp.time': { name: 'Time Description, active time (t)', type: 'string' },
  'sdp.repeat_time': { name: 'Repeat Time (r)', type: 'string' },
  'sdp.media': { name: 'Media Description, name and address (m)', type: 'string' },
  'sdp.media_title': { name: 'Media Title (i)', type: 'string' },
  'sdp.unknown': { name: 'Unknown', type: 'string' },
  'sdp.invalid': { name: 'Invalid line', type: 'string' },
  'sdp.owner.username': { name: 'Owner Username', type: 'string' },
  'sdp.owner.sessionid': { name: 'Session ID', type: 'string' },
  'sdp.owner.version': { name: 'Session Version', type: 'string' },
  'sdp.owner.network_type': { name: 'Owner Network Type', type: 'string' },
  'sdp.owner.address_type': { name: 'Owner Address Type', type: 'string' },
  'sdp.owner.address': { name: 'Owner Address', type: 'string' },
  'sdp.connection_info.network_type': { name: 'Connection Network Type', type: 'string' },
  'sdp.connection_info.address_type': { name: 'Connection Address Type', type: 'string' },
  'sdp.connection_info.address': { name: 'Connection Address', type: 'string' },
  'sdp.connection_info.ttl': { name: 'Connection TTL', type: 'string' },
  'sdp.connection_info.num_addr': { name: 'Connection Number of Addresses', type: 'string' },
  'sdp.bandwidth.modifier': { name: 'Bandwidth Modifier', type: 'string' },
  'sdp.bandwidth.value': { name: 'Bandwidth Value', type: 'string' },
  'sdp.time.start': { name: 'Session Start Time', type: 'string' },
  'sdp.time.stop': { name: 'Session Stop Time', type: 'string' },
  'sdp.repeat_time.interval': { name: 'Repeat Interval', type: 'string' },
  'sdp.repeat_time.duration': { name: 'Repeat Duration', type: 'string' },
  'sdp.repeat_time.offset': { name: 'Repeat Offset', type: 'string' },
  'sdp.timezone.time': { name: 'Timezone Time', type: 'string' },
  'sdp.timezone.offset': { name: 'Timezone Offset', type: 'string' },
  'sdp.encryption_key.type': { name: 'Key Type', type: 'string' },
  'sdp.encryption_key.data': { name: 'Key Data', type: 'string' },
  'sdp.session_attr.field': { name: 'Session Attribute Fieldname', type: 'string' },
  'sdp.session_attr.value': { name: 'Session Attribute Value', type: 'string' },
  'sdp.media.media': { name: 'Media Type', type: 'string' },
  'sdp.media.port': { name: 'Media Port', type: 'uint', bits: 16 },
  'sdp.media.port_string': { name: 'Media Port', type: 'string' },
  'sdp.media.portcount': { name: 'Media Port Count', type: 'string' },
  'sdp.media.proto': { name: 'Media Protocol', type: 'string' },
  'sdp.media.format': { name: 'Media Format', type: 'string' },
  'sdp.media_attribute.field': { name: 'Media Attribute Fieldname', type: 'string' },
  'sdp.media_attribute.value': { name: 'Media Attribute Value', type: 'string' },
  'sdp.mime.type': { name: 'MIME Type', type: 'string' },
  'sdp.sample_rate': { name: 'Sample Rate', type: 'string' },
  'sdp.fmtp.parameter': { name: 'Media format specific parameters', type: 'string' },
  'sdp.ipbcp.version': { name: 'IPBCP Protocol Version', type: 'string' },
  'sdp.ipbcp.command': { name: 'IPBCP Command Type', type: 'string' },
  'sdp.fmtp.profile_level_id': { name: 'Level Code', type: 'uint', bits: 32 },
  'sdp.fmtp.h263profile': { name: 'Profile', type: 'uint', bits: 32, vals: H263_PROFILES },
  'sdp.fmtp.h263level': { name: 'Level', type: 'uint', bits: 32, vals: H263_LEVELS },
  'sdp.fmtp.h264_packetization_mode': { name: 'Packetization mode', type: 'uint', bits: 32, vals: H264_PACKETIZATION },
  'sdp.key_mgmt': { name: 'Key Management', type: 'string' },
  'sdp.key_mgmt.kmpid': { name: 'Key Management Protocol (kmpid)', type: 'string' },
  'sdp.key_mgmt.data': { name: 'Key Management Data', type: 'bytes' },
  'sdp.crypto.tag': { name: 'tag', type: 'uint', bits: 32 },
  'sdp.crypto.crypto_suite': { name: 'Crypto suite', type: 'string' },
  'sdp.crypto.master_key': { name: 'Master Key', type: 'bytes' },
  'sdp.crypto.master_salt': { name: 'Master salt', type: 'bytes' },
  'sdp.crypto.lifetime': { name: 'Lifetime', type: 'string' },
  'sdp.crypto.mki-valu': { name: 'mki-value', type: 'string' },
  'sdp.crypto.mki_length': { name: 'mki_length', type: 'string' },
  'sdp.ice_candidate.foundation': { name: 'Foundation', type: 'string' },
  'sdp.ice_candidate.componentid': { name: 'Component ID', type: 'string' },
  'sdp.ice_candidate.transport': { name: 'Transport', type: 'string' },
  'sdp.ice_candidate.priority': { name: 'Priority', type: 'string' },
  'sdp.ice_candidate.address': { name: 'Connection Address', type: 'string' },
  'sdp.ice_candidate.port': { name: 'Candidate Port', type: 'string' },
  'sdp.ice_candidate.type': { name: 'Candidate Type', type: 'string' },
  'sdp.key_and_salt': { name: 'Key and Salt', type: 'bytes' },
  'sdp.data': { name: 'Data', type: 'bytes' },
});

/** What the carrier (SIP) tells SDP: the Call-ID it shows as "Generated Call-ID" under the SDP of its dialogs. */
export interface SdpCarrier {
  /** The field that names the dialog (sip.call_id_generated). */
  traceField: FieldDef;
  /** The Call-ID, as SIP keeps it (at most 127 bytes). */
  traceId: string;
}

/** One "m=" line as the offer/answer bookkeeping needs it (packet-sdp.c's media_description_t, reduced). */
interface MediaDesc {
  port: number;
  /** RTP or SRTP: a media stream the SDP sets up. */
  rtp: boolean;
  /** The "c=" address (session level or the media's own), '' when none parsed. */
  addr: string;
  applied: boolean;
  bundled: boolean;
}

/** Session-level facts that media descriptions inherit. */
interface SessionInfo {
  addr: string;
}

/** An offer or answer's media, kept per request frame (sdp_transport_reqs) between frames. */
interface TransportInfo {
  status: 'none' | 'offer' | 'accept' | 'reject';
  media: MediaDesc[];
}

/** Per-capture SDP state: the offers and answers of the first pass, the trace ids each conversation showed. */
class SdpState {
  readonly requests = new Map<number, TransportInfo>();
  readonly responses = new Map<number, TransportInfo>();
  /** Media endpoint "addr port" → the trace ids of the dialogs that set it up (an RTP conversation's list). */
  readonly mediaTraces = new Map<string, string[]>();
  /** Carrier conversation → the trace id list it shows (the SDP conversation's proto data). */
  readonly convTraces = new Map<string, string[]>();
  /** Frame → the trace ids its SDP showed when the first pass reached it. */
  readonly shownTraces = new Map<number, string[]>();
  /** Frames whose offer/answer bookkeeping parsed their SDP in the first pass. */
  readonly setupParsed = new Set<number>();
}

const sdpState = stateSlot(() => new SdpState());

/** The carrier's conversation (find_or_create_conversation): addresses and ports, either direction. */
function convKey(p: Packet): string {
  const a = `${p.netSrc} ${p.srcPort}`;
  const b = `${p.netDst} ${p.dstPort}`;
  return `${p.tcp ? 'tcp' : 'udp'} ${a < b ? `${a} ${b}` : `${b} ${a}`}`;
}

/** A dotted-quad IPv4 address as inet_pton accepts it, normalised; null otherwise. */
function parseIpv4(s: string): string | null {
  const parts = s.split('.');
  if (parts.length !== 4) return null;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255 || (part.length > 1 && part[0] === '0')) return null;
  }
  return parts.map(Number).join('.');
}

/** An IPv6 address as inet_pton accepts it (roughly), normalised; null otherwise. */
function parseIpv6(s: string): string | null {
  if (!/^[0-9a-fA-F:.]+$/.test(s) || !s.includes(':')) return null;
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const groups = (h: string) => (h === '' ? [] : h.split(':'));
  const head = groups(halves[0]!);
  const tail = halves.length === 2 ? groups(halves[1]!) : [];
  const all = [...head, ...tail];
  let count = 0;
  for (let i = 0; i < all.length; i++) {
    const g = all[i]!;
    if (i === all.length - 1 && g.includes('.')) {
      if (!parseIpv4(g)) return null;
      count += 2;
    } else if (/^[0-9a-fA-F]{1,4}$/.test(g)) count++;
    else return null;
  }
  if (halves.length === 1 ? count !== 8 : count > 7) return null;
  return s.toLowerCase();
}

/** What parsing one SDP body gathers for the offer/answer bookkeeping. */
interface ParseState {
  session: SessionInfo;
  media: MediaDesc[];
  /** The current media description, null before the first "m=" (or past SDP_MAX_RTP_CHANNELS). */
  desc: MediaDesc | null;
  /** rtpmap encoding names by payload type (fmtp labels name them). */
  encodings: Map<number, string>;
  /** The ED-137 attributes that go to Info. */
  ed137: { fid?: string; txrxmode?: string; type?: string };
  /** Where the lines stopped (what follows is shown as data). */
  end: number;
}

/** At most this many media descriptions are tracked (packet-sdp.c's SDP_MAX_RTP_CHANNELS). */
const MAX_MEDIA = 4;

function newDesc(st: ParseState): MediaDesc | null {
  if (st.media.length >= MAX_MEDIA) return null;
  const d: MediaDesc = { port: 0, rtp: false, addr: st.session.addr, applied: false, bundled: false };
  st.media.push(d);
  return d;
}

/** The type letter's field and whether the letter is one SDP knows (RFC 8866 §5). */
function lineField(type: string, inMedia: boolean): FieldDef {
  switch (type) {
    case 'v': return F['sdp.version'];
    case 'o': return F['sdp.owner'];
    case 's': return F['sdp.session_name'];
    case 'i': return inMedia ? F['sdp.media_title'] : F['sdp.session_info'];
    case 'u': return F['sdp.uri'];
    case 'e': return F['sdp.email'];
    case 'p': return F['sdp.phone'];
    case 'c': return F['sdp.connection_info'];
    case 'b': return F['sdp.bandwidth'];
    case 't': return F['sdp.time'];
    case 'r': return F['sdp.repeat_time'];
    case 'm': return F['sdp.media'];
    case 'k': return F['sdp.encryption_key'];
    case 'a': return inMedia ? F['sdp.media_attr'] : F['sdp.session_attr'];
    case 'z': return F['sdp.timezone'];
    default: return F['sdp.unknown'];
  }
}

/**
 * The next space-separated token of a one-line view from `off`: its length (0 when none),
 * `tokOff` where it starts (after extra spaces, each an expert item) and `tokNext` the space
 * after it (-1 at the end of the line).
 */
const tok = { off: 0, next: -1 };
function nextToken(tv: TextTvb, t: TreeSink | null, off: number, optional = false): number {
  let len = 0;
  let next = -1;
  if (tv.exists(off)) {
    while (len === 0) {
      next = tv.find(off, -1, 0x20);
      if (next === -1) {
        len = tv.capRemaining(off);
        break;
      }
      len = next - off;
      if (len === 0) {
        addExpert(t, tv, off - 1, 2, 'error', 'Invalid SDP whitespace (extra space character)', 'Malformed');
        off = next + 1;
      }
    }
  }
  if (!optional && len === 0) addExpert(t, tv, 0, -1, 'error', 'Invalid SDP line (missing required fields)', 'Malformed');
  tok.off = off;
  tok.next = next;
  return len;
}

function owner(tv: TextTvb, t: TreeSink | null): void {
  const parts: FieldDef[] = [F['sdp.owner.username'], F['sdp.owner.sessionid'], F['sdp.owner.version'], F['sdp.owner.network_type'], F['sdp.owner.address_type']];
  let off = 0;
  for (const f of parts) {
    const len = nextToken(tv, t, off);
    if (len === 0) return;
    addStr(t, f, tv, tok.off, len);
    off = tok.next + 1;
  }
  addStr(t, F['sdp.owner.address'], tv, off, -1);
}

function connection(tv: TextTvb, t: TreeSink | null, st: ParseState, sessionLevel: boolean): void {
  let off = 0;
  let len = nextToken(tv, t, off);
  if (len === 0) return;
  addStr(t, F['sdp.connection_info.network_type'], tv, tok.off, len);
  off = tok.next + 1;
  len = nextToken(tv, t, off);
  if (len === 0) return;
  const type = addStr(t, F['sdp.connection_info.address_type'], tv, tok.off, len);
  off = tok.next + 1;
  let next = tv.find(off, -1, 0x2f);
  let address: string;
  if (next === -1) {
    len = -1;
    address = cString(tv.text(off, tv.capRemaining(off)));
  } else {
    len = next - off;
    address = cString(tv.text(off, len));
  }
  const parsed = type === 'IP4' ? parseIpv4(address) : type === 'IP6' ? parseIpv6(address) : null;
  if (sessionLevel) {
    if (parsed) st.session.addr = parsed;
  } else if (st.desc) st.desc.addr = parsed ?? '';
  addStr(t, F['sdp.connection_info.address'], tv, off, len);
  if (next !== -1) {
    off = next + 1;
    next = tv.find(off, -1, 0x2f);
    addStr(t, F['sdp.connection_info.ttl'], tv, off, next === -1 ? -1 : next - off);
    if (next !== -1) addStr(t, F['sdp.connection_info.num_addr'], tv, next + 1, -1);
  }
}

function bandwidth(tv: TextTvb, t: TreeSink | null): void {
  const colon = tv.find(0, -1, 0x3a);
  if (colon === -1) return;
  // RFC 8866 §5.8: CT and AS are in kilobits per second; TIAS (RFC 3890) in bits per second.
  const unit = tv.strneql(0, 'CT') || tv.strneql(0, 'AS') ? ' kb/s' : tv.strneql(0, 'TIAS') ? ' b/s' : '';
  const note = tv.strneql(0, 'CT') ? ' [Conference Total(total bandwidth of all RTP sessions)]'
    : tv.strneql(0, 'AS') ? ' [Application Specific (RTP session bandwidth)]'
      : tv.strneql(0, 'TIAS') ? ' [Transport Independent Application Specific maximum]' : '';
  const modifier = addStr(null, F['sdp.bandwidth.modifier'], tv, 0, colon);
  if (t) t.add(F['sdp.bandwidth.modifier'], tv.tvb, 0, colon, modifier, fieldText(F['sdp.bandwidth.modifier'], shown(modifier)) + note);
  const value = addStr(null, F['sdp.bandwidth.value'], tv, colon + 1, -1);
  const rest = tv.capRemaining(colon + 1);
  if (t) t.add(F['sdp.bandwidth.value'], tv.tvb, tv.abs(colon + 1), rest, value, fieldText(F['sdp.bandwidth.value'], shown(value)) + unit);
}

function time(tv: TextTvb, t: TreeSink | null): void {
  const len = nextToken(tv, t, 0);
  if (len === 0) return;
  addStr(t, F['sdp.time.start'], tv, tok.off, len);
  addStr(t, F['sdp.time.stop'], tv, tok.next + 1, -1);
}

function repeatTime(tv: TextTvb, t: TreeSink | null): void {
  let len = nextToken(tv, t, 0);
  if (len === 0) return;
  addStr(t, F['sdp.repeat_time.interval'], tv, tok.off, len);
  len = nextToken(tv, t, tok.next + 1);
  if (len === 0) return;
  addStr(t, F['sdp.repeat_time.duration'], tv, tok.off, len);
  let optional = false;
  do {
    len = nextToken(tv, t, tok.next + 1, optional);
    if (len === 0) break;
    addStr(t, F['sdp.repeat_time.offset'], tv, tok.off, len);
    optional = true;
  } while (tok.next !== -1);
}

function timezone(tv: TextTvb, t: TreeSink | null): void {
  let off = 0;
  let optional = false;
  do {
    let len = nextToken(tv, t, off, optional);
    if (len === 0) break;
    addStr(t, F['sdp.timezone.time'], tv, tok.off, len);
    len = nextToken(tv, t, tok.next + 1, optional);
    if (len === 0) break;
    addStr(t, F['sdp.timezone.offset'], tv, tok.off, len);
    off = tok.next + 1;
    optional = true;
  } while (tok.next !== -1);
}

function encryptionKey(tv: TextTvb, t: TreeSink | null): void {
  const colon = tv.find(0, -1, 0x3a);
  if (colon === -1) return;
  addStr(t, F['sdp.encryption_key.type'], tv, 0, colon);
  addStr(t, F['sdp.encryption_key.data'], tv, colon + 1, -1);
}

/** Base64 as Wireshark's base64_to_tvb decodes it (g_base64_decode: other characters skipped). */
function base64Bytes(s: string): Uint8Array {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
  const out: number[] = [];
  let acc = 0;
  let bits = 0;
  for (const ch of s) {
    if (ch === '=') break;
    const v = alphabet.indexOf(ch);
    if (v < 0) continue;
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push((acc >> bits) & 0xff);
    }
  }
  return Uint8Array.from(out);
}

function sessionAttribute(tv: TextTvb, t: TreeSink | null, p: Packet): void {
  const colon = tv.find(0, -1, 0x3a);
  if (colon === -1) return;
  const name = addStr(t, F['sdp.session_attr.field'], tv, 0, colon);
  let off = colon + 1;
  if (name === 'ipbcp') {
    // ITU-T Q.1970: "a=ipbcp:<version> <type>".
    off = tv.findAny(off, -1, '0123456789');
    if (off === -1) return;
    const len = nextToken(tv, t, off);
    if (len === 0) return;
    addStr(t, F['sdp.ipbcp.version'], tv, tok.off, len);
    off = tv.findAny(tok.off, -1, 'ABCDEFGHIJKLMNOPQRSTUVWXYZ');
    if (off === -1) return;
    const typeLen = tv.lineEnd(off, -1, false);
    addStr(t, F['sdp.ipbcp.command'], tv, off, typeLen);
  } else if (name === 'key-mgmt') {
    // RFC 4567: "a=key-mgmt:<protocol id> <base64 data>".
    const kv = tv.sub(off);
    addStr(t, F['sdp.key_mgmt'], kv, 0, -1, true);
    const len = nextToken(kv, t, 0);
    if (len !== 0) {
      addStr(t, F['sdp.key_mgmt.kmpid'], kv, tok.off, len, false);
      const rest = kv.capRemaining(tok.next + 1);
      const data = base64Bytes(cString(kv.text(tok.next + 1, rest)));
      if (t) {
        const src = p.addSource('Key Management Data', data);
        t.add(F['sdp.key_mgmt.data'], new Tvb(data, 0, data.length, data.length, src), 0, data.length, data);
      }
    }
    t?.close();
  } else addStr(t, F['sdp.session_attr.value'], tv, off, -1);
}

function media(tv: TextTvb, t: TreeSink | null, desc: MediaDesc | null): void {
  let len = nextToken(tv, t, 0);
  if (len === 0) return;
  addStr(t, F['sdp.media.media'], tv, tok.off, len, false);
  let off = tok.next + 1;
  len = nextToken(tv, t, off);
  if (len === 0) return;
  off = tok.off;
  const slash = tv.find(off, len, 0x2f);
  const portLen = slash !== -1 ? slash - off : len;
  const portStr = addStr(null, F['sdp.media.port_string'], tv, off, portLen);
  if (portStr.length > 0 && portStr.charCodeAt(0) >= 0x30 && portStr.charCodeAt(0) <= 0x39) {
    // The string form is a hidden item when the port is numeric.
    const [ok, port] = wsStrtou(portStr, 16);
    addUint(t, F['sdp.media.port'], tv, off, portLen, port);
    if (!ok) t?.expert('error', 'Invalid media port', tv.tvb, tv.abs(off), portLen, 'Malformed');
    if (desc) desc.port = port;
  } else if (t) t.add(F['sdp.media.port_string'], tv.tvb, tv.abs(off), portLen, portStr, fieldText(F['sdp.media.port_string'], shown(portStr)));
  if (slash !== -1) {
    len = nextToken(tv, t, slash + 1);
    if (len === 0) return;
    addStr(t, F['sdp.media.portcount'], tv, tok.off, len);
  } else {
    // packet-sdp.c reads the port token again from where it was.
    len = nextToken(tv, t, off);
    if (len === 0) return;
  }
  len = nextToken(tv, t, tok.next + 1);
  if (len === 0) return;
  const proto = addStr(t, F['sdp.media.proto'], tv, tok.off, len);
  // RFC 8866 §5.14: with RTP/AVP, RTP/SAVP and their variants the formats are RTP payload types.
  const rtp = ['RTP/AVP', 'RTP/AVPF', 'RTP/SAVP', 'RTP/SAVPF', 'UDP/TLS/RTP/SAVP', 'UDP/TLS/RTP/SAVPF'].includes(proto);
  if (desc) desc.rtp = rtp;
  let optional = false;
  do {
    len = nextToken(tv, t, tok.next + 1, optional);
    if (len === 0) break;
    if (rtp) {
      const fmt = tv.text(tok.off, len);
      const c = fmt.charCodeAt(0);
      if (c >= 0x30 && c <= 0x39) {
        const pt = strtoul32(fmt);
        addString(t, F['sdp.media.format'], tv, tok.off, len, pt < 128 ? RTP_PT_NAMES[pt]! : String(pt));
      } else addStr(t, F['sdp.media.format'], tv, tok.off, len);
    } else addStr(t, F['sdp.media.format'], tv, tok.off, len);
    optional = true;
  } while (tok.next !== -1);
}

const MEDIA_ATTRIBUTES = ['rtpmap', 'fmtp', 'path', 'h248item', 'crypto', 'sprt', 'candidate', 'type', 'txrxmode', 'fid', 'rtcp', 'rtcp-mux'];

function mediaAttribute(tv: TextTvb, t: TreeSink | null, st: ParseState, length: number, p: Packet): void {
  const colon = tv.find(0, -1, 0x3a);
  if (colon === -1) return;
  addStr(t, F['sdp.media_attribute.field'], tv, 0, colon, true);
  let code = '';
  for (const name of MEDIA_ATTRIBUTES) if (name.length === colon && tv.strneql(0, name, true)) code = name;
  let off = colon + 1;
  off = tv.skipWsp(off, tv.capRemaining(off));
  if (tv.capRemaining(off) <= 0) {
    t?.expert('error', 'Invalid SDP line (missing required fields)', tv.tvb, 0, colon, 'Malformed');
    t?.close();
    return;
  }
  t?.close();
  const value = cString(tv.text(off, tv.capRemaining(off)));
  switch (code) {
    case 'rtpmap':
      return rtpmap(tv, t, st, length, off);
    case 'fmtp':
      if (t) fmtp(tv, t, st, off);
      return;
    case 'path':
    case 'h248item':
      // MSRP paths (RFC 4975) and H.248 items only feed conversations; they add no items.
      return;
    case 'crypto':
      return crypto(tv, t, off, p);
    case 'candidate':
      return candidate(tv, t, off);
    case 'type':
      st.ed137.type = value;
      break;
    case 'txrxmode':
      st.ed137.txrxmode = value;
      break;
    case 'fid':
      st.ed137.fid = value;
      break;
  }
  addStr(t, F['sdp.media_attribute.value'], tv, off, -1);
}

/** "a=rtpmap:<payload type> <encoding name>/<clock rate>[/<parameters>]" (RFC 8866 §6.6). */
function rtpmap(tv: TextTvb, t: TreeSink | null, st: ParseState, length: number, off: number): void {
  let next = tv.find(off, -1, 0x20);
  if (next === -1) return;
  const ptStr = addStr(t, F['sdp.media.format'], tv, off, next - off);
  off = next + 1;
  next = tv.find(off, -1, 0x2f);
  if (next === -1) return;
  const nameLen = next - off;
  addStr(t, F['sdp.mime.type'], tv, off, nameLen);
  const [ok, pt] = wsStrtou(ptStr, 8);
  if (!ok || pt >= 128) return;
  const name = cString(tv.text(off, nameLen));
  st.encodings.set(pt, name);
  next++;
  off = next;
  while (length - 1 >= next) {
    const c = tv.u8(next);
    if (c < 0x30 || c > 0x39) break;
    next++;
  }
  const rateLen = next - off;
  const rate = addStr(null, F['sdp.sample_rate'], tv, off, rateLen);
  let label = fieldText(F['sdp.sample_rate'], shown(rate));
  const [rateOk] = wsStrtou(cString(tv.text(off, rateLen)), 32);
  // RFC 3551 §4.5.2: G.722 is sampled at 16 kHz but its RTP clock runs at 8 kHz.
  if (rateOk && name === 'G722') label += ' (RTP clock rate is 8kHz, actual sampling rate is 16kHz)';
  if (t) {
    t.open(F['sdp.sample_rate'], tv.tvb, tv.abs(off), rateLen, rate, label);
    if (!rateOk) t.expert('error', 'Invalid sample rate', tv.tvb, tv.abs(off), rateLen, 'Malformed');
    t.close();
  }
}

/** "a=fmtp:<format> <parameters>" (RFC 8866 §6.15), parameters ';'-separated. Only shown in a tree. */
function fmtp(tv: TextTvb, t: TreeSink, st: ParseState, off: number): void {
  off = tv.skipWsp(off, tv.capRemaining(off));
  let next = tv.find(off, -1, 0x20);
  if (next === -1) return;
  const fmt = addStr(null, F['sdp.media.format'], tv, off, next - off);
  const lower = fmt.toLowerCase();
  const named = FMTP_NAMED_FORMATS[lower];
  const [ok, pt] = wsStrtou(lower, 8);
  let label = fieldText(F['sdp.media.format'], shown(fmt));
  let format = 0;
  if (named) label += ` [${named}]`;
  else if (ok && pt < 128) {
    format = pt;
    if (pt) label += ` [${st.encodings.get(pt) ?? 'Unknown'}]`;
  } else {
    t.open(F['sdp.media.format'], tv.tvb, tv.abs(off), next - off, fmt, label);
    t.expert('error', 'Invalid media format', tv.tvb, tv.abs(off), next - off, 'Malformed');
    t.close();
    return;
  }
  t.add(F['sdp.media.format'], tv.tvb, tv.abs(off), next - off, fmt, label);
  const encoding = st.encodings.get(format) ?? 'Unknown';
  off = next + 1;
  let more = true;
  while (more) {
    next = tv.find(off, -1, 0x3b);
    off = tv.skipWsp(off, tv.capRemaining(off));
    if (next === -1) {
      more = false;
      next = tv.len;
    }
    const len = next - off;
    addStr(t, F['sdp.fmtp.parameter'], tv, off, len, true);
    try {
      fmtpParameter(tv, t, off, len, encoding);
    } finally {
      t.close();
    }
    off = next + 1;
  }
}

/** The few format parameters Wireshark decodes (RFC 6416 MPEG-4, RFC 4629 H.263, RFC 6184 H.264). */
function fmtpParameter(tv: TextTvb, t: TreeSink, off: number, len: number, mime: string): void {
  const end = off + len;
  const eq = tv.find(off, -1, 0x3d);
  if (eq === -1) return;
  const name = cString(tv.text(off, eq - off));
  const m = mime.toLowerCase();
  const number = (f: FieldDef) => {
    const o = eq + 1;
    const v = strtol32(tv.text(o, end - o));
    addUint(t, f, tv, o, end - o, v, `[${f.vals?.get(v) !== undefined ? `${f.name}: ${f.vals.get(v)} (${v})` : `${f.name}: ${v}`}]`);
  };
  if (m === 'mp4v-es' && name === 'profile-level-id') number(F['sdp.fmtp.profile_level_id']);
  if (m === 'h263-2000' || m === 'h263-1998') {
    if (name === 'profile') number(F['sdp.fmtp.h263profile']);
    else if (name === 'level') number(F['sdp.fmtp.h263level']);
  }
  if ((m === 'h264' || m === 'h264-svc') && name === 'packetization-mode') number(F['sdp.fmtp.h264_packetization_mode']);
}

/** "a=candidate:" (RFC 8445 §5.1 / RFC 5245 §15.1): foundation, component, transport, priority, address, port, type. */
function candidate(tv: TextTvb, t: TreeSink | null, off: number): void {
  const parts: FieldDef[] = [F['sdp.ice_candidate.foundation'], F['sdp.ice_candidate.componentid'], F['sdp.ice_candidate.transport'],
    F['sdp.ice_candidate.priority'], F['sdp.ice_candidate.address'], F['sdp.ice_candidate.port']];
  for (const f of parts) {
    const len = nextToken(tv, t, off);
    if (len === 0) return;
    addStr(t, f, tv, tok.off, len, false, true);
    off = tok.next + 1;
  }
  if (!tv.strneql(off, 'typ ')) return;
  off += 4;
  const len = nextToken(tv, t, off);
  if (len === 0) return;
  const type = addStr(null, F['sdp.ice_candidate.type'], tv, tok.off, len, false, true);
  const what = ICE_CANDIDATE_TYPES[type];
  if (t) t.add(F['sdp.ice_candidate.type'], tv.tvb, tv.abs(tok.off), len, type, fieldText(F['sdp.ice_candidate.type'], shown(type)) + (what ? ` (${what})` : ''));
}

/** "a=crypto:" (RFC 4568 §9.1): tag, crypto suite, key parameters. */
function crypto(tv: TextTvb, t: TreeSink | null, off: number, p: Packet): void {
  let len = nextToken(tv, t, off);
  if (len === 0) return;
  const [tagOk, tag] = wsStrtou(tv.text(tok.off, len), 32);
  if (t) {
    t.open(F['sdp.crypto.tag'], tv.tvb, tv.abs(tok.off), len, tag);
    if (!tagOk) t.expert('error', 'Invalid crypto tag', tv.tvb, tv.abs(tok.off), len, 'Malformed');
    t.close();
  }
  len = nextToken(tv, t, tok.next + 1);
  if (len === 0) return;
  const suiteOff = tok.off;
  const suiteLen = len;
  addStr(t, F['sdp.crypto.crypto_suite'], tv, suiteOff, suiteLen);
  // RFC 4568 §6.2: these suites use 128-bit master keys and 112-bit salts.
  const keyed = ['AES_CM_128_HMAC_SHA1_80', 'AES_CM_128_HMAC_SHA1_32', 'F8_128_HMAC_SHA1_80'].some((s) => tv.strncmp(suiteOff, s, suiteLen, true));
  off = tok.next + 1;
  for (;;) {
    let paramEnd = tv.find(off, -1, 0x3b);
    const last = paramEnd === -1;
    if (last) paramEnd = tv.len;
    let next = tv.find(off, -1, 0x3a);
    if (next === -1) {
      t?.expert('note', "Invalid key-param (no ':' delimiter)", tv.tvb, tv.abs(suiteOff), suiteLen, 'Malformed');
      break;
    }
    if (!tv.strncmp(off, 'inline', next - off, true)) break;
    openText(t, tv, off, paramEnd - off, () => 'Key parameters');
    try {
      off = next + 1;
      next = tv.find(off, -1, 0x7c);
      const keyLen = next === -1 ? paramEnd - off : next - off;
      const key = base64Bytes(cString(tv.text(off, keyLen)));
      const keyTvb = new Tvb(key, 0, key.length, key.length, t ? p.addSource('Key_Salt_tvb', key) : 0);
      if (keyed) {
        tv.ensure(off, keyLen);
        t?.add(F['sdp.key_and_salt'], tv.tvb, tv.abs(off), keyLen, tv.tvb.bytes(tv.abs(off), keyLen));
        t?.add(F['sdp.crypto.master_key'], keyTvb, 0, 16, keyTvb.bytes(0, 16));
        t?.add(F['sdp.crypto.master_salt'], keyTvb, 16, 14, keyTvb.bytes(16, 14));
        if (!t) keyTvb.check(0, 30);
      } else t?.add(F['sdp.key_and_salt'], keyTvb, 0, key.length, key);
      // ["|" lifetime] ["|" mki ":" mki-length]
      if (next !== -1) {
        off = next + 1;
        next = tv.find(off, -1, 0x7c);
        if (next === -1) next = paramEnd;
        addStr(t, F['sdp.crypto.lifetime'], tv, off, next - off);
        off = next + 1;
        next = off > paramEnd ? -1 : tv.find(off, -1, 0x3a);
        if (next !== -1) {
          addStr(t, F['sdp.crypto.mki-valu'], tv, off, next - off);
          off = next + 1;
          const mkiLen = paramEnd - off;
          const [mkiOk] = wsStrtou(tv.text(off, mkiLen), 32);
          addStr(t, F['sdp.crypto.mki_length'], tv, off, mkiLen, true);
          if (!mkiOk) t?.expert('error', 'Invalid crypto mki length', tv.tvb, tv.abs(off), mkiLen, 'Malformed');
          t?.close();
        }
      }
    } finally {
      t?.close();
    }
    off = paramEnd;
    if (last) break;
  }
}

/** One line's parts (packet-sdp.c's call_sdp_subdissector). */
function lineParts(type: string, tv: TextTvb, t: TreeSink | null, st: ParseState, inMedia: boolean, p: Packet): void {
  switch (type) {
    case 'o': return owner(tv, t);
    case 'c': return connection(tv, t, st, !inMedia);
    case 'b': return bandwidth(tv, t);
    case 't': return time(tv, t);
    case 'r': return repeatTime(tv, t);
    case 'z': return timezone(tv, t);
    case 'k': return encryptionKey(tv, t);
    case 'a':
      if (inMedia) return mediaAttribute(tv, t, st, tv.rep, p);
      return sessionAttribute(tv, t, p);
    case 'm': return media(tv, t, st.desc);
  }
}

function newParseState(): ParseState {
  return { session: { addr: '' }, media: [], desc: null, encodings: new Map(), ed137: {}, end: 0 };
}

/**
 * The lines of an SDP body with their parts into `t` (null: checks only). `setup` parses as
 * Wireshark's offer/answer bookkeeping does before the display: only the lines that matter to
 * the transport, and none that lack the '=' delimiter.
 */
function parseLines(tv: TextTvb, t: TreeSink | null, p: Packet, setup: boolean): ParseState {
  const st = newParseState();
  let inMedia = false;
  let off = 0;
  while (tv.exists(off)) {
    const lineLen = tv.lineEndUnquoted(off, -1);
    const next = tv.next;
    if (lineLen < 2) break;
    const type = String.fromCharCode(tv.u8(off));
    if (tv.u8(off + 1) !== 0x3d) {
      if (!setup) {
        addStr(t, F['sdp.invalid'], tv, off, lineLen, true);
        t?.expert('note', "Invalid SDP line (no '=' delimiter)", tv.tvb, tv.abs(off), lineLen, 'Malformed');
        t?.close();
      }
      off = next;
      continue;
    }
    if (type === 'm') {
      st.desc = newDesc(st);
      inMedia = true;
    }
    const f = lineField(type, inMedia);
    const known = f !== F['sdp.unknown'];
    if (setup) {
      if (type === 'c' || type === 'm' || type === 'a') lineParts(type, tv.sub(off + 2, lineLen - 2), null, st, inMedia, p);
    } else {
      const tokenOff = known ? 2 : 0;
      const value = cString(tv.ascii(off + tokenOff, lineLen - tokenOff));
      addString(t, f, tv, off, lineLen, value, undefined, true);
      lineParts(type, tv.sub(off + tokenOff, lineLen - tokenOff), t, st, inMedia, p);
      t?.close();
    }
    off = next;
  }
  st.end = off;
  return st;
}

/** The media streams an offer or answer sets up (apply_sdp_transport), with the dialog's trace id. */
function apply(p: Packet, info: TransportInfo, carrier: SdpCarrier | null): void {
  if (p.visited) return;
  const state = sdpState.of(p.state);
  let bundledSet = false;
  for (const d of info.media) {
    if (d.port === 0 || d.applied || !d.rtp || !d.addr) continue;
    d.applied = true;
    if (d.bundled) {
      if (bundledSet) continue;
      bundledSet = true;
    }
    const key = `${d.addr} ${d.port}`;
    let list = state.mediaTraces.get(key);
    if (!list) {
      list = [];
      state.mediaTraces.set(key, list);
    }
    if (carrier && !list.includes(carrier.traceId)) list.push(carrier.traceId);
    if (list.length) state.convTraces.set(convKey(p), list);
  }
}

/** complete_descriptions: media on one port are bundled (RFC 8843); a zero port in an answer ends the offer's stream. */
function complete(info: TransportInfo, answerFrom: number): void {
  const m = info.media;
  let bundle: MediaDesc | null = null;
  for (let i = answerFrom; i < m.length && !bundle; i++) {
    for (let j = i + 1; j < m.length && !bundle; j++) if (m[i]!.port === m[j]!.port) bundle = m[i]!;
  }
  if (bundle) for (let i = answerFrom; i < m.length; i++) if (m[i]!.port === bundle.port) m[i]!.bundled = true;
  if (answerFrom > 0) {
    for (let i = answerFrom; i < m.length; i++) if (m[i]!.port === 0 && m[i - answerFrom]) m[i - answerFrom]!.port = 0;
  }
}

export type SdpExchange = 'offer' | 'accept' | 'reject';

/**
 * The offer/answer bookkeeping a SIP message's SDP body gets before it is shown
 * (setup_sdp_transport): an offer, or the answer accepting or rejecting the offer of
 * `requestFrame`. tshark does it in its one pass, parsing the body as the display does, so a
 * broken body fails here, before anything is shown (and Protocol stays "SIP"). The state
 * changes only in the first pass; later passes parse again exactly when the first one did.
 */
export function sdpSetup(tvb: Tvb, p: Packet, exchange: SdpExchange, requestFrame: number, carrier: SdpCarrier): void {
  const state = sdpState.of(p.state);
  if (p.visited) {
    if (state.setupParsed.has(p.num)) parseLines(new TextTvb(tvb), null, p, true);
    return;
  }
  let info = requestFrame ? state.requests.get(requestFrame) : undefined;
  if (!info) {
    info = { status: 'none', media: [] };
    if (requestFrame) state.requests.set(requestFrame, info);
  }
  if (exchange !== 'offer') state.responses.set(p.num, info);
  // An offer already answered is not changed (packet-sdp.c does not support modified offers).
  if (info.status === 'reject' || info.status === 'accept') return;
  state.setupParsed.add(p.num);
  const st = parseLines(new TextTvb(tvb), null, p, true);
  const from = info.media.length;
  info.media.push(...st.media);
  complete(info, from);
  apply(p, info, carrier);
  info.status = exchange;
}

/** A resent request shares the offer of the frame it repeats (setup_sdp_transport_resend). */
export function sdpSetupResend(p: Packet, original: number): void {
  if (p.visited) return;
  const state = sdpState.of(p.state);
  const info = state.requests.get(original);
  if (info) state.requests.set(p.num, info);
}

/** Dissects an SDP body carried by `carrier` (null: none that tracks dialogs). Returns the bytes taken. */
export function dissectSdp(tvb: Tvb, p: Packet, t: TreeSink | null, carrier: SdpCarrier | null): number {
  const state = sdpState.of(p.state);
  const tv = new TextTvb(tvb);
  // RFC 8866 §1: SDP rides in other protocols, so it names itself after theirs.
  p.cols.protocol += '/SDP';
  p.layers.push('sdp');
  const setupDone = !p.visited && (state.requests.has(p.num) || state.responses.has(p.num));
  const len = tv.len ? tv.ensureCapRemaining(0) : 0;
  t?.open(F.proto, tvb, 0, len, null);
  try {
    const st = parseLines(tv, t, p, false);
    const ed = st.ed137;
    for (const v of [ed.fid, ed.txrxmode, ed.type]) if (v !== undefined) p.cols.appendInfo(`${v} `);
    if (!p.visited && !setupDone) {
      // Not part of an offer/answer exchange SIP tracked: the description applies at once.
      const info: TransportInfo = { status: 'none', media: st.media };
      complete(info, 0);
      apply(p, info, carrier);
    }
    const end = st.end;
    const rest = tv.capRemaining(end);
    if (rest > 0) t?.add(F['sdp.data'], tvb, end, rest, tvb.bytes(end, rest));
    // The dialogs whose media this conversation set up, as the first pass knew them.
    let traces = state.shownTraces.get(p.num);
    if (!p.visited || !traces) {
      traces = [...(state.convTraces.get(convKey(p)) ?? [])];
      if (!p.visited) state.shownTraces.set(p.num, traces);
    }
    if (t && carrier) {
      for (const id of traces) t.add(carrier.traceField, tvb, 0, GENERATED, id, `[${fieldText(carrier.traceField, shown(id))}]`);
    }
  } finally {
    t?.close();
  }
  return tvb.length;
}
