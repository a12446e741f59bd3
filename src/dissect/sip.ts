// SIP, the Session Initiation Protocol (RFC 3261): text requests ("INVITE sip:bob@example.com
// SIP/2.0") and responses ("SIP/2.0 200 OK") with header fields, as HTTP writes them, over UDP
// and TCP port 5060 (RFC 3261 §18) and, by heuristic, on any port. A body is handed on by its
// Content-Type; SDP (sdp.ts) describes the media of a call (RFC 3264's offer and answer).
//
// Columns as tshark 4.0 writes them: Protocol "SIP" ("SIP/SDP" with an SDP body); Info
// "Request: INVITE sip:bob@example.com | " or "Status: 200 OK | " — the request or status line
// without "SIP/2.0", notes on registrations ("  (1 binding)"), then " | " and a fence, so that a
// second message in a TCP segment appends. The tree has the Request-Line or Status-Line, then
// "Message Header" with each header field as written on the wire and the parts Wireshark takes
// apart (URIs, Via, CSeq, authentication parameters …), then "Message Body".
//
// Captures of SIP are often broken or fuzzed; the parsing follows packet-sip.c's offsets and
// checks closely (see sdp.ts's TextTvb), so that a message fails exactly where tshark's fails
// and shows the same "[Malformed Packet]".

import { TEXT_LINES_TYPES, textLinesTree } from './data-text-lines.ts';
import { ONE_MORE_SEGMENT, stateSlot, type Packet } from './packet.ts';
import { defineProtocol, fieldByName, type FieldDef, type FieldSpec } from './registry.ts';
import { dissectSdp, sdpSetup, sdpSetupResend, type SdpCarrier } from './sdp.ts';
import {
  addExpert, addFormatText, addStr, addString, addUint, cString, fieldText, fitLabel, openText, shown, strtoul32, TextTvb,
  wsStrtoi32, wsStrtou,
} from './text-tvb.ts';
import { tcpHeuristics, tcpPortTable, udpHeuristics, udpPortTable } from './tables.ts';
import { registerTcpPayload } from './tcp.ts';
import { BufferSink, GENERATED, type TreeSink } from './tree.ts';
import { Tvb } from './tvb.ts';

/** RFC 3261 §18: SIP's well-known port, for UDP and TCP. */
const SIP_PORT = 5060;

/** Methods Wireshark knows (RFC 3261 and its extensions); others are "Unknown request". */
const METHODS = ['ACK', 'BYE', 'CANCEL', 'DO', 'INFO', 'INVITE', 'MESSAGE', 'NOTIFY', 'OPTIONS', 'PRACK', 'QAUTH', 'REFER',
  'REGISTER', 'SPRACK', 'SUBSCRIBE', 'UPDATE', 'PUBLISH'];

type HeaderOpts = { abbrev?: string; label?: string; compact?: string; uint?: boolean };
/**
 * Header fields with a field of their own (IANA's SIP parameters registry as Wireshark knows
 * it): name, then where the filter name or label differ from "sip.<name>", the compact form
 * (RFC 3261 §7.3.3) and whether the value is a number.
 */
const HEADER_LIST: (string | [string, HeaderOpts])[] = [
  'Accept', ['Accept-Contact', { compact: 'a' }], 'Accept-Encoding', 'Accept-Language', 'Accept-Resource-Priority',
  'Additional-Identity', 'Alert-Info', 'Allow', ['Allow-Events', { compact: 'u' }], 'Answer-Mode', 'Attestation-Info',
  'Authentication-Info', 'Authorization', ['Call-ID', { compact: 'i' }], 'Call-Info', 'Cellular-Network-Info',
  ['Contact', { compact: 'm' }], 'Content-Disposition', ['Content-Encoding', { compact: 'e' }], 'Content-Language',
  ['Content-Length', { compact: 'l', uint: true }], ['Content-Type', { compact: 'c' }], 'CSeq', 'Date', 'Error-Info',
  ['Event', { compact: 'o' }], ['Expires', { uint: true }], 'Feature-Caps', 'Flow-Timer', ['From', { compact: 'f' }],
  'Geolocation', 'Geolocation-Error', 'Geolocation-Routing', 'History-Info', ['Identity', { compact: 'y' }],
  ['Identity-Info', { abbrev: 'sip.Identity-info', label: 'Identity-info', compact: 'n' }], 'Info-Package',
  'In-Reply-To', 'Join', ['Max-Breadth', { uint: true }], ['Max-Forwards', { uint: true }], 'MIME-Version',
  'Min-Expires', 'Min-SE', 'Organization', 'Origination-Id', 'P-Access-Network-Info', 'P-Answer-State',
  'P-Asserted-Identity', 'P-Asserted-Service', 'P-Associated-URI', 'P-Called-Party-ID', 'P-Charge-Info',
  'P-Charging-Function-Addresses', 'P-Charging-Vector', 'P-DCS-Trace-Party-ID', 'P-DCS-OSPS', 'P-DCS-Billing-Info',
  'P-DCS-LAES', 'P-DCS-Redirect', 'P-Early-Media', 'P-Media-Authorization', 'P-Preferred-Identity',
  'P-Preferred-Service', 'P-Profile-Key', 'P-Refused-URI-List', 'P-Served-User', 'P-User-Database',
  'P-Visited-Network-ID', 'Path', 'Permission-Missing', ['Policy-Contact', { abbrev: 'sip.Policy_Contact' }],
  ['Policy-ID', { abbrev: 'sip.Policy_ID' }], 'Priority', 'Priority-Share',
  ['Priv-Answer-Mode', { abbrev: 'sip.Priv-Answer-mode', label: 'Priv-Answer-mode' }], 'Privacy', 'Proxy-Authenticate',
  'Proxy-Authorization', 'Proxy-Require', 'RAck', 'Reason', 'Reason-Phrase', 'Record-Route', 'Recv-Info', 'Refer-Sub',
  ['Refer-To', { compact: 'r' }], ['Referred-By', { abbrev: 'sip.Referred-by', label: 'Referred By', compact: 'b' }],
  ['Reject-Contact', { compact: 'j' }], 'Relayed-Charge', 'Replaces', 'Reply-To',
  ['Request-Disposition', { compact: 'd' }], 'Require', 'Resource-Priority', 'Resource-Share', 'Response-Source',
  'Restoration-Info', ['Retry-After', { uint: true }], 'Route', ['RSeq', { uint: true }], 'Security-Client',
  'Security-Server', 'Security-Verify', 'Server', 'Service-Interact-Info', 'Service-Route',
  ['Session-Expires', { compact: 'x' }], 'Session-ID', ['SIP-ETag', { abbrev: 'sip.ETag', label: 'ETag' }],
  ['SIP-If-Match', { abbrev: 'sip.If_Match', label: 'If_Match' }], ['Subject', { compact: 's' }], 'Subscription-State',
  ['Supported', { compact: 'k' }], ['Suppress-If-Match', { abbrev: 'sip.Suppress_If_Match' }], 'Target-Dialog',
  'Timestamp', ['To', { compact: 't' }], 'Trigger-Consent', 'Unsupported', 'User-Agent', ['Via', { compact: 'v' }],
  'Warning', 'WWW-Authenticate', 'Diversion', ['User-to-User', { abbrev: 'sip.uui' }],
];

interface HeaderDef {
  name: string;
  lower: string;
  abbrev: string;
  compact: string | null;
  uint: boolean;
}

const HEADERS: HeaderDef[] = HEADER_LIST.map((h) => {
  const [name, o] = typeof h === 'string' ? [h, {} as HeaderOpts] : h;
  return { name, lower: name.toLowerCase(), abbrev: o.abbrev ?? `sip.${name}`, compact: o.compact ?? null, uint: !!o.uint };
});
const headerSpecs: Record<string, FieldSpec> = {};
for (const h of HEADER_LIST) {
  const [name, o] = typeof h === 'string' ? [h, {} as HeaderOpts] : h;
  headerSpecs[o.abbrev ?? `sip.${name}`] = o.uint ? { name: o.label ?? name, type: 'uint', bits: 32 } : { name: o.label ?? name, type: 'string' };
}

/** SIP response codes (RFC 3261 §21 and the IANA registry), for Reason headers' SIP causes. */
const RESPONSE_CODES: Record<number, string> = {
  999: 'Unknown response', 100: 'Trying', 180: 'Ringing', 181: 'Call Is Being Forwarded', 182: 'Queued', 183: 'Session Progress',
  199: 'Informational - Others', 200: 'OK', 202: 'Accepted', 204: 'No Notification', 299: 'Success - Others', 300: 'Multiple Choices',
  301: 'Moved Permanently', 302: 'Moved Temporarily', 305: 'Use Proxy', 380: 'Alternative Service', 399: 'Redirection - Others',
  400: 'Bad Request', 401: 'Unauthorized', 402: 'Payment Required', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
  406: 'Not Acceptable', 407: 'Proxy Authentication Required', 408: 'Request Timeout', 410: 'Gone', 412: 'Conditional Request Failed',
  413: 'Request Entity Too Large', 414: 'Request-URI Too Long', 415: 'Unsupported Media Type', 416: 'Unsupported URI Scheme',
  420: 'Bad Extension', 421: 'Extension Required', 422: 'Session Timer Too Small', 423: 'Interval Too Brief',
  428: 'Use Identity Header', 429: 'Provide Referrer Identity', 430: 'Flow Failed', 433: 'Anonymity Disallowed',
  436: 'Bad Identity-Info', 437: 'Unsupported Certificate', 438: 'Invalid Identity Header', 439: 'First Hop Lacks Outbound Support',
  440: 'Max-Breadth Exceeded', 470: 'Consent Needed', 480: 'Temporarily Unavailable', 481: 'Call/Transaction Does Not Exist',
  482: 'Loop Detected', 483: 'Too Many Hops', 484: 'Address Incomplete', 485: 'Ambiguous', 486: 'Busy Here', 487: 'Request Terminated',
  488: 'Not Acceptable Here', 489: 'Bad Event', 491: 'Request Pending', 493: 'Undecipherable', 494: 'Security Agreement Required',
  499: 'Client Error - Others', 500: 'Server Internal Error', 501: 'Not Implemented', 502: 'Bad Gateway', 503: 'Service Unavailable',
  504: 'Server Time-out', 505: 'Version Not Supported', 513: 'Message Too Large', 599: 'Server Error - Others', 600: 'Busy Everywhere',
  603: 'Decline', 604: 'Does Not Exist Anywhere', 606: 'Not Acceptable', 607: 'Unwanted', 608: 'Rejected', 699: 'Global Failure - Others',
};

/** ITU-T Q.850 cause values (Table 1), for "Reason: Q.850;cause=N" (RFC 3326). */
const Q850_CAUSES: readonly string[] = [
  'Valid cause code not yet received', 'Unallocated (unassigned) number', 'No route to specified transit network', 'No route to destination',
  'Send special information tone', 'Misdialled trunk prefix', 'Channel unacceptable', 'Call awarded and being delivered in an established channel',
  'Preemption', 'Preemption - circuit reserved for reuse', 'Unassigned', 'Unassigned', 'Unassigned', 'Unassigned', 'QoR: ported number',
  'Unassigned', 'Normal call clearing', 'User busy', 'No user responding', 'No answer from user (user alerted)', 'Subscriber absent',
  'Call rejected', 'Number changed', 'Redirection to new destination', 'Call rejected due to feature at the destination',
  'Exchange routing error', 'Non-selected user clearing', 'Destination out of order', 'Invalid number format (address incomplete)',
  'Facility rejected', 'Response to STATUS ENQUIRY', 'Normal unspecified', 'Unassigned', 'Circuit out of order',
  'No circuit/channel available', 'Unassigned', 'Unassigned', 'Unassigned', 'Network out of order',
  'Permanent frame mode connection out of service', 'Permanent frame mode connection operational', 'Temporary failure',
  'Switching equipment congestion', 'Access information discarded', 'Requested circuit/channel not available', 'Unassigned',
  'Precedence call blocked', 'Resources unavailable, unspecified', 'Unassigned', 'Quality of service unavailable',
  'Requested facility not subscribed', 'Unassigned', 'Unassigned', 'Outgoing calls barred within CUG', 'Unassigned',
  'Incoming calls barred within CUG', 'Call waiting not subscribed', 'Bearer capability not authorized',
  'Bearer capability not presently available', 'Unassigned', 'Unassigned', 'Unassigned',
  'Inconsistency in designated outgoing access information and subscriber class', 'Service or option not available, unspecified',
  'Unassigned', 'Bearer capability not implemented', 'Channel type not implemented', 'Unassigned', 'Unassigned',
  'Requested facility not implemented', 'Only restricted digital information bearer capability is available', 'Unassigned',
  'Unassigned', 'Unassigned', 'Unassigned', 'Unassigned', 'Unassigned', 'Unassigned', 'Unassigned',
  'Service or option not implemented, unspecified', 'Unassigned', 'Invalid call reference value', 'Identified channel does not exist',
  'Call identity does not exist for suspended call', 'Call identity in use', 'No call suspended',
  'Call having the requested call identity has been cleared', 'Called user not member of CUG', 'Incompatible destination',
  'Unassigned', 'Non-existing CUG', 'Invalid transit network selection (national use)', 'Unassigned', 'Unassigned', 'Unassigned',
  'Invalid message, unspecified', 'Mandatory information element is missing', 'Message type non-existent or not implemented',
  'Message not compatible with call state or message type non-existent or not implemented',
  'Information element nonexistent or not implemented', 'Invalid information element contents', 'Message not compatible with call state',
  'Recovery on timer expiry', 'Parameter non-existent or not implemented - passed on', 'Unassigned', 'Unassigned', 'Unassigned',
  'Unassigned', 'Unassigned', 'Unassigned', 'Message with unrecognized parameter discarded', 'Protocol error, unspecified',
  'Unassigned', 'Unassigned', 'Unassigned', 'Unassigned', 'Unassigned', 'Unassigned', 'Unassigned', 'Unassigned', 'Unassigned',
  'Unassigned', 'Unassigned', 'Unassigned', 'Unassigned', 'Unassigned', 'Interworking, unspecified',
];

/** URI part fields of one header kind (packet-sip.c's hf_sip_uri_t). */
const uriFields = (p: string, names: [string, string, string, string, string, string]): Record<string, FieldSpec> => ({
  [`${p}.display.info`]: { name: names[0], type: 'string' },
  [names[5]]: { name: names[1], type: 'string' },
  [`${p}.user`]: { name: names[2], type: 'string' },
  [`${p}.host`]: { name: names[3], type: 'string' },
  [`${p}.port`]: { name: names[4], type: 'string' },
  [`${p}.param`]: { name: '', type: 'string' },
});

const SPECS = {
  'sip.msg_hdr': { name: 'Message Header', type: 'string' },
  'sip.Method': { name: 'Method', type: 'string' },
  'sip.Request-Line': { name: 'Request-Line', type: 'string' },
  'sip.r-uri.display.info': { name: 'Request-URI display info', type: 'string' },
  'sip.r-uri': { name: 'Request-URI', type: 'string' },
  'sip.r-uri.user': { name: 'Request-URI User Part', type: 'string' },
  'sip.r-uri.host': { name: 'Request-URI Host Part', type: 'string' },
  'sip.r-uri.port': { name: 'Request-URI Host Port', type: 'string' },
  'sip.r-uri.param': { name: 'Request URI parameter', type: 'string' },
  'sip.Status-Code': { name: 'Status-Code', type: 'uint', bits: 32 },
  'sip.Status-Line': { name: 'Status-Line', type: 'string' },
  'sip.display.info': { name: 'SIP Display info', type: 'string' },
  'sip.to.display.info': { name: 'SIP to display info', type: 'string' },
  'sip.to.addr': { name: 'SIP to address', type: 'string' },
  'sip.to.user': { name: 'SIP to address User Part', type: 'string' },
  'sip.to.host': { name: 'SIP to address Host Part', type: 'string' },
  'sip.to.port': { name: 'SIP to address Host Port', type: 'string' },
  'sip.to.param': { name: 'SIP To URI parameter', type: 'string' },
  'sip.to.tag': { name: 'SIP to tag', type: 'string' },
  'sip.from.display.info': { name: 'SIP from display info', type: 'string' },
  'sip.from.addr': { name: 'SIP from address', type: 'string' },
  'sip.from.user': { name: 'SIP from address User Part', type: 'string' },
  'sip.from.host': { name: 'SIP from address Host Part', type: 'string' },
  'sip.from.port': { name: 'SIP from address Host Port', type: 'string' },
  'sip.from.param': { name: 'SIP From URI parameter', type: 'string' },
  'sip.from.tag': { name: 'SIP from tag', type: 'string' },
  'sip.contact.display.info': { name: 'SIP C-URI display info', type: 'string' },
  'sip.contact.uri': { name: 'Contact URI', type: 'string' },
  'sip.contact.user': { name: 'Contact URI User Part', type: 'string' },
  'sip.contact.host': { name: 'Contact URI Host Part', type: 'string' },
  'sip.contact.port': { name: 'Contact URI Host Port', type: 'string' },
  'sip.contact.param': { name: 'Contact URI parameter', type: 'string' },
  'sip.contact.parameter': { name: 'Contact parameter', type: 'string' },
  'sip.tag': { name: 'SIP tag', type: 'string' },
  'sip.resend': { name: 'Resent Packet', type: 'bool' },
  'sip.resend-original': { name: 'Suspected resend of frame', type: 'framenum' },
  'sip.response-request': { name: 'Request Frame', type: 'framenum' },
  'sip.response-time': { name: 'Response Time (ms)', type: 'uint', bits: 32 },
  'sip.release-time': { name: 'Release Time (ms)', type: 'uint', bits: 32 },
  'sip.auth': { name: 'Authentication', type: 'string' },
  'sip.auth.scheme': { name: 'Authentication Scheme', type: 'string' },
  'sip.auth.digest.response': { name: 'Digest Authentication Response', type: 'string' },
  'sip.auth.nc': { name: 'Nonce Count', type: 'string' },
  'sip.auth.username': { name: 'Username', type: 'string' },
  'sip.auth.realm': { name: 'Realm', type: 'string' },
  'sip.auth.nonce': { name: 'Nonce Value', type: 'string' },
  'sip.auth.algorithm': { name: 'Algorithm', type: 'string' },
  'sip.auth.opaque': { name: 'Opaque Value', type: 'string' },
  'sip.auth.qop': { name: 'QOP', type: 'string' },
  'sip.auth.cnonce': { name: 'CNonce Value', type: 'string' },
  'sip.auth.uri': { name: 'Authentication URI', type: 'string' },
  'sip.auth.domain': { name: 'Authentication Domain', type: 'string' },
  'sip.auth.stale': { name: 'Stale Flag', type: 'string' },
  'sip.auth.auts': { name: 'Authentication Token', type: 'string' },
  'sip.auth.rspauth': { name: 'Response auth', type: 'string' },
  'sip.auth.nextnonce': { name: 'Next Nonce', type: 'string' },
  'sip.auth.ik': { name: 'Integrity Key', type: 'string' },
  'sip.auth.ck': { name: 'Cyphering Key', type: 'string' },
  'sip.CSeq.seq': { name: 'Sequence Number', type: 'uint', bits: 32 },
  'sip.CSeq.method': { name: 'Method', type: 'string' },
  'sip.Via.transport': { name: 'Transport', type: 'string' },
  'sip.Via.sent-by.address': { name: 'Sent-by Address', type: 'string' },
  'sip.Via.sent-by.port': { name: 'Sent-by port', type: 'uint', bits: 16 },
  'sip.Via.branch': { name: 'Branch', type: 'string' },
  'sip.Via.maddr': { name: 'Maddr', type: 'string' },
  'sip.Via.rport': { name: 'RPort', type: 'string' },
  'sip.Via.received': { name: 'Received', type: 'string' },
  'sip.Via.ttl': { name: 'TTL', type: 'string' },
  'sip.Via.comp': { name: 'Comp', type: 'string' },
  'sip.Via.sigcomp-id': { name: 'Sigcomp identifier', type: 'string' },
  'sip.Via.oc': { name: 'Overload Control', type: 'string' },
  'sip.Via.oc_val': { name: 'Overload Control Value', type: 'uint', bits: 32 },
  'sip.Via.oc_validity': { name: 'Overload Control Validity', type: 'string' },
  'sip.Via.oc_seq': { name: 'Overload Control Sequence', type: 'string' },
  'sip.Via.oc_algo': { name: 'Overload Control Algorithm', type: 'string' },
  'sip.Via.be_route': { name: 'be-route', type: 'string' },
  'sip.P-Access-Network-Info.access-type': { name: 'access-type', type: 'string' },
  'sip.P-Access-Network-Info.utran-cell-id-3gpp': { name: 'utran-cell-id-3gpp', type: 'string' },
  'sip.RAck.RSeq.seq': { name: 'RSeq Sequence Number', type: 'uint', bits: 32 },
  'sip.RAck.CSeq.seq': { name: 'CSeq Sequence Number', type: 'uint', bits: 32 },
  'sip.RAck.CSeq.method': { name: 'CSeq Method', type: 'string' },
  'sip.reason_protocols': { name: 'Reason protocols', type: 'string' },
  'sip.reason_cause_q850': { name: 'Cause', type: 'uint', bits: 32 },
  'sip.reason_cause_sip': { name: 'Cause', type: 'uint', bits: 32 },
  'sip.reason_cause_other': { name: 'Cause', type: 'uint', bits: 32 },
  'sip.reason_text': { name: 'Text', type: 'string' },
  'sip.msg_body': { name: 'Message Body', type: 'none' },
  'sip.sec_mechanism': { name: '[Security-mechanism]', type: 'string' },
  'sip.sec_mechanism.alg': { name: 'alg', type: 'string' },
  'sip.sec_mechanism.ealg': { name: 'ealg', type: 'string' },
  'sip.sec_mechanism.prot': { name: 'prot', type: 'string' },
  'sip.sec_mechanism.spi_c': { name: 'spi-c', type: 'uint', base: 'dec_hex', bits: 32 },
  'sip.sec_mechanism.spi_s': { name: 'spi-s', type: 'uint', base: 'dec_hex', bits: 32 },
  'sip.sec_mechanism.port1': { name: 'port1', type: 'uint', bits: 16 },
  'sip.sec_mechanism.port_c': { name: 'port-c', type: 'uint', bits: 16 },
  'sip.sec_mechanism.port2': { name: 'port2', type: 'uint', bits: 16 },
  'sip.sec_mechanism.port_s': { name: 'port-s', type: 'uint', bits: 16 },
  'sip.Session-ID.sess_id': { name: 'sess-id', type: 'bytes' },
  'sip.Session-ID.param': { name: 'param', type: 'string' },
  'sip.Session-ID.local_uuid': { name: 'local-uuid', type: 'string' },
  'sip.Session-ID.remote_uuid': { name: 'remote-uuid', type: 'string' },
  'sip.Session-ID.logme': { name: 'logme', type: 'bool', tfs: ['Set', 'Not set'] },
  'sip.continuation': { name: 'Continuation data', type: 'bytes' },
  'sip.feature_cap': { name: 'Feature Cap', type: 'string' },
  'sip.service_priority': { name: 'Service Priority', type: 'string' },
  'sip.icid_value': { name: 'icid-value', type: 'string' },
  'sip.icid_gen_addr': { name: 'icid-gen-addr', type: 'string' },
  'sip.call_id_generated': { name: 'Generated Call-ID', type: 'string' },
} as const satisfies Record<string, FieldSpec>;

/** The URI part fields of the headers that carry URIs, named as Wireshark names them. */
const URI_SPECS: Record<string, FieldSpec> = {
  ...uriFields('sip.Route', ['Route display info', 'Route URI', 'Route Userinfo', 'Route Host Part', 'Route Host Port', 'sip.Route.uri']),
  ...uriFields('sip.Record-Route', ['Record-Route display info', 'Record-Route URI', 'Record-Route Userinfo', 'Record-Route Host Part', 'Record-Route Host Port', 'sip.Record-Route.uri']),
  ...uriFields('sip.Service-Route', ['Service-Route display info', 'Service-Route URI', 'Service-Route Userinfo', 'Service-Route Host Part', 'Service-Route Host Port', 'sip.Service-Route.uri']),
  ...uriFields('sip.Path', ['Path URI', 'Path URI', 'Path Userinfo', 'Path Host Part', 'Path Host Port', 'sip.Path.uri']),
  ...uriFields('sip.pai', ['SIP PAI display info', 'SIP PAI Address', 'SIP PAI User Part', 'SIP PAI Host Part', 'SIP PAI Host Port', 'sip.pai.addr']),
  ...uriFields('sip.pmiss', ['SIP PMISS display info', 'SIP PMISS Address', 'SIP PMISS User Part', 'SIP PMISS Host Part', 'SIP PMISS Host Port', 'sip.pmiss.addr']),
  ...uriFields('sip.ppi', ['SIP PPI display info', 'SIP PPI Address', 'SIP PPI User Part', 'SIP PPI Host Part', 'SIP PPI Host Port', 'sip.ppi.addr']),
  ...uriFields('sip.tc', ['SIP TC display info', 'SIP TC Address', 'SIP TC User Part', 'SIP TC Host Part', 'SIP TC Host Port', 'sip.tc.addr']),
  'sip.tc.target-uri': { name: 'SIP TC Target URI', type: 'string' },
};
const PARAM_NAMES: Record<string, string> = {
  'sip.Route.param': 'Route URI parameter', 'sip.Record-Route.param': 'Record-Route URI parameter',
  'sip.Service-Route.param': 'Service-Route URI parameter', 'sip.Path.param': 'Path URI parameter', 'sip.pai.param': 'SIP PAI URI parameter',
  'sip.pmiss.param': 'SIP PMISS URI parameter', 'sip.ppi.param': 'SIP PPI URI parameter', 'sip.tc.param': 'SIP TC URI parameter',
};
for (const [k, v] of Object.entries(PARAM_NAMES)) URI_SPECS[k] = { name: v, type: 'string' };

export const F = defineProtocol('sip', 'Session Initiation Protocol', { ...SPECS, ...URI_SPECS, ...headerSpecs }) as unknown as
  { proto: FieldDef } & Record<keyof typeof SPECS, FieldDef>;
const field = (abbrev: string): FieldDef => fieldByName(abbrev)!;

/** Header index (1-based as in packet-sip.c) → its field. */
const HF: FieldDef[] = [field('sip.msg_hdr'), ...HEADERS.map((h) => field(h.abbrev))];
const headerIndex = new Map<string, number>();
HEADERS.forEach((h, i) => headerIndex.set(h.lower, i + 1));
const POS = (name: string): number => headerIndex.get(name.toLowerCase())!;
const P = {
  to: POS('To'), from: POS('From'), pai: POS('P-Asserted-Identity'), pau: POS('P-Associated-URI'), history: POS('History-Info'),
  pcfa: POS('P-Charging-Function-Addresses'), ppi: POS('P-Preferred-Identity'), pmiss: POS('Permission-Missing'),
  trigger: POS('Trigger-Consent'), retry: POS('Retry-After'), cseq: POS('CSeq'), rack: POS('RAck'), callId: POS('Call-ID'),
  expires: POS('Expires'), contentType: POS('Content-Type'), contentLength: POS('Content-Length'), maxBreadth: POS('Max-Breadth'),
  maxForwards: POS('Max-Forwards'), rseq: POS('RSeq'), contact: POS('Contact'), authorization: POS('Authorization'),
  wwwAuth: POS('WWW-Authenticate'), proxyAuth: POS('Proxy-Authenticate'), proxyAuthz: POS('Proxy-Authorization'),
  authInfo: POS('Authentication-Info'), route: POS('Route'), recordRoute: POS('Record-Route'), serviceRoute: POS('Service-Route'),
  path: POS('Path'), via: POS('Via'), reason: POS('Reason'), contentEncoding: POS('Content-Encoding'),
  secClient: POS('Security-Client'), secServer: POS('Security-Server'), secVerify: POS('Security-Verify'),
  sessionId: POS('Session-ID'), pani: POS('P-Access-Network-Info'), pcv: POS('P-Charging-Vector'), featureCaps: POS('Feature-Caps'),
};

/** The index of a header name (lower case), or -1: full names, then the one-letter compact forms. */
function knownHeader(lower: string, rawLen: number): number {
  if (rawLen > 1) {
    const i = headerIndex.get(lower);
    if (i !== undefined) return i;
  }
  if (rawLen === 1) {
    for (let i = 0; i < HEADERS.length; i++) if (HEADERS[i]!.compact === lower) return i + 1;
  }
  return -1;
}

interface UriFieldSet {
  display: FieldDef;
  addr: FieldDef;
  user: FieldDef;
  host: FieldDef;
  port: FieldDef;
  param: FieldDef;
}
const uriSet = (display: string, addr: string, prefix: string): UriFieldSet => ({
  display: field(display), addr: field(addr), user: field(`${prefix}.user`), host: field(`${prefix}.host`),
  port: field(`${prefix}.port`), param: field(`${prefix}.param`),
});
const URI = {
  req: uriSet('sip.r-uri.display.info', 'sip.r-uri', 'sip.r-uri'),
  to: uriSet('sip.to.display.info', 'sip.to.addr', 'sip.to'),
  from: uriSet('sip.from.display.info', 'sip.from.addr', 'sip.from'),
  contact: uriSet('sip.contact.display.info', 'sip.contact.uri', 'sip.contact'),
  route: uriSet('sip.Route.display.info', 'sip.Route.uri', 'sip.Route'),
  recordRoute: uriSet('sip.Record-Route.display.info', 'sip.Record-Route.uri', 'sip.Record-Route'),
  serviceRoute: uriSet('sip.Service-Route.display.info', 'sip.Service-Route.uri', 'sip.Service-Route'),
  path: uriSet('sip.Path.display.info', 'sip.Path.uri', 'sip.Path'),
  pai: uriSet('sip.pai.display.info', 'sip.pai.addr', 'sip.pai'),
  pmiss: uriSet('sip.pmiss.display.info', 'sip.pmiss.addr', 'sip.pmiss'),
  ppi: uriSet('sip.ppi.display.info', 'sip.ppi.addr', 'sip.ppi'),
  tc: uriSet('sip.tc.display.info', 'sip.tc.addr', 'sip.tc'),
};

const AUTH_PARAMS: [string, FieldDef][] = (
  [['response', 'sip.auth.digest.response'], ['nc', 'sip.auth.nc'], ['username', 'sip.auth.username'], ['realm', 'sip.auth.realm'],
    ['nonce', 'sip.auth.nonce'], ['algorithm', 'sip.auth.algorithm'], ['opaque', 'sip.auth.opaque'], ['qop', 'sip.auth.qop'],
    ['cnonce', 'sip.auth.cnonce'], ['uri', 'sip.auth.uri'], ['domain', 'sip.auth.domain'], ['stale', 'sip.auth.stale'],
    ['auts', 'sip.auth.auts'], ['rspauth', 'sip.auth.rspauth'], ['nextnonce', 'sip.auth.nextnonce'], ['ik', 'sip.auth.ik'],
    ['ck', 'sip.auth.ck']] as const
).map(([n, f]) => [n, field(f)]);

const VIA_PARAMS: [string, FieldDef][] = (
  [['branch', 'sip.Via.branch'], ['maddr', 'sip.Via.maddr'], ['rport', 'sip.Via.rport'], ['received', 'sip.Via.received'],
    ['ttl', 'sip.Via.ttl'], ['comp', 'sip.Via.comp'], ['sigcomp-id', 'sip.Via.sigcomp-id'], ['oc', 'sip.Via.oc'],
    ['oc-validity', 'sip.Via.oc_validity'], ['oc-seq', 'sip.Via.oc_seq'], ['oc-algo', 'sip.Via.oc_algo'], ['be-route', 'sip.Via.be_route']] as const
).map(([n, f]) => [n, field(f)]);

/** RFC 3329 mechanism parameters: name, numeric?, field. */
const SEC_PARAMS: [string, boolean, FieldDef][] = (
  [['alg', false, 'sip.sec_mechanism.alg'], ['ealg', false, 'sip.sec_mechanism.ealg'], ['prot', false, 'sip.sec_mechanism.prot'],
    ['spi-c', true, 'sip.sec_mechanism.spi_c'], ['spi-s', true, 'sip.sec_mechanism.spi_s'], ['port1', true, 'sip.sec_mechanism.port1'],
    ['port-c', true, 'sip.sec_mechanism.port_c'], ['port2', true, 'sip.sec_mechanism.port2'], ['port-s', true, 'sip.sec_mechanism.port_s']] as const
).map(([n, u, f]) => [n, u, field(f)]);

// ---- per-capture state: transactions (RFC 3261 §17), for resends and request/response links ----

interface Transaction {
  cseq: number;
  method: string;
  state: 'nothing' | 'request' | 'provisional' | 'final';
  frame: number;
  /** Request time, nanoseconds as [seconds, nanoseconds]. */
  reqSec: number;
  reqNsec: number;
  responseCode: number;
}

interface FrameResult {
  original: number;
  requestFrame: number;
  responseTime: number;
}

class SipState {
  readonly transactions = new Map<string, Transaction>();
  readonly results = new Map<number, FrameResult>();
}
const sipState = stateSlot(() => new SipState());

const txKey = (callId: string, src: string, sport: number, dst: string, dport: number) => `${callId}\0${src}\0${sport}\0${dst}\0${dport}`;

function frameResult(st: SipState, num: number): FrameResult {
  let r = st.results.get(num);
  if (!r) {
    r = { original: 0, requestFrame: 0, responseTime: 0 };
    st.results.set(num, r);
  }
  return r;
}

/** Milliseconds between a request and now, as packet-sip.c computes them (whole ms, truncated parts). */
function msSince(p: Packet, tx: Transaction): number {
  return ((p.frame.tsSec - tx.reqSec) * 1000 + Math.trunc((p.frame.tsNsec - tx.reqNsec) / 1000000)) >>> 0;
}

/** The final response's request (UDP only; RFC 3261 §17.1.3 matching by Call-ID and CSeq). */
function findRequest(p: Packet, m: Message): [number, number] {
  if (p.tcp || !m.cseqSet) return [0, 0];
  const st = sipState.of(p.state);
  if (p.visited) {
    const r = st.results.get(p.num);
    return r ? [r.requestFrame, r.responseTime] : [0, 0];
  }
  const tx = st.transactions.get(txKey(m.callId, p.netDst, p.dstPort, p.netSrc, p.srcPort));
  if (!tx) return [0, 0];
  const r = frameResult(st, p.num);
  r.requestFrame = m.cseq === tx.cseq && tx.state === 'request' && m.cseqMethod === tx.method ? tx.frame : 0;
  r.responseTime = msSince(p, tx);
  return [r.requestFrame, r.responseTime];
}

/** For an ACK: the INVITE it completes, and the setup time. */
function findInvite(p: Packet, m: Message): [number, number] {
  if (p.tcp || !m.cseqSet) return [0, 0];
  const st = sipState.of(p.state);
  if (p.visited) {
    const r = st.results.get(p.num);
    return r ? [r.requestFrame, r.responseTime] : [0, 0];
  }
  const tx = st.transactions.get(txKey(m.callId, p.netSrc, p.srcPort, p.netDst, p.dstPort));
  if (!tx) return [0, 0];
  const r = frameResult(st, p.num);
  r.requestFrame = tx.frame;
  r.responseTime = msSince(p, tx);
  return [r.requestFrame, r.responseTime];
}

/** The frame this request or final response repeats (RFC 3261 §17: retransmissions over UDP), 0 for none. */
function resendOf(p: Packet, m: Message): number {
  if (p.tcp || !m.cseqSet) return 0;
  const st = sipState.of(p.state);
  if (p.visited) return st.results.get(p.num)?.original ?? 0;
  const key = txKey(m.callId, p.netSrc, p.srcPort, p.netDst, p.dstPort);
  let tx = st.transactions.get(key);
  let compare = 0;
  if (tx) {
    compare = tx.cseq;
    if (m.cseq !== tx.cseq) {
      tx.cseq = m.cseq;
      tx.method = m.cseqMethod;
      tx.state = 'nothing';
      tx.frame = 0;
      if (m.request) [tx.reqSec, tx.reqNsec] = [p.frame.tsSec, p.frame.tsNsec];
    }
  } else {
    tx = { cseq: m.cseq, method: m.cseqMethod, state: 'nothing', frame: 0, reqSec: 0, reqNsec: 0, responseCode: 0 };
    if (m.request) [tx.reqSec, tx.reqNsec] = [p.frame.tsSec, p.frame.tsNsec];
    st.transactions.set(key, tx);
  }
  let result = 0;
  if (m.request && m.cseq === compare && tx.state === 'request' && m.cseqMethod === tx.method && m.cseqMethod !== 'ACK' && m.cseqMethod !== 'CANCEL') {
    result = tx.frame;
  }
  if (!m.request && m.cseq === compare && tx.state === 'final' && m.cseqMethod === tx.method && m.code >= 200 && m.code === tx.responseCode) {
    result = tx.frame;
  }
  tx.cseq = m.cseq;
  if (m.request) {
    tx.state = 'request';
    if (!result) {
      tx.frame = p.num;
      [tx.reqSec, tx.reqNsec] = [p.frame.tsSec, p.frame.tsNsec];
    }
  } else if (m.code >= 200) {
    tx.responseCode = m.code;
    tx.state = 'final';
    if (!result) tx.frame = p.num;
  } else tx.state = 'provisional';
  frameResult(st, p.num).original = result;
  return result;
}

// ---- the first line (RFC 3261 §7.1, §7.2) ----

const enum Line {
  Request,
  Status,
  Other,
}

const SIP2 = 'SIP/2.0';

/** Request-Line, Status-Line or neither; `firstTokenLen` is set for the first two. */
let firstTokenLen = 0;
function parseFirstLine(tv: TextTvb, off: number, lineLen: number): Line {
  let space = tv.find(off, -1, 0x20);
  if (space === -1 || space === off) return Line.Other;
  const t1 = space - off;
  const t2 = space + 1;
  space = tv.find(t2, -1, 0x20);
  if (space === -1) return Line.Other;
  const t2Len = space - t2;
  const t3 = space + 1;
  const t3Len = off + lineLen - t3;
  firstTokenLen = t1;
  if (t1 === SIP2.length && tv.strneql(off, SIP2)) {
    if (t2Len !== 3) return Line.Other;
    for (let i = 0; i < 3; i++) if (!isDigit(tv.u8(t2 + i))) return Line.Other;
    return Line.Status;
  }
  if (t2Len < 3) return Line.Other;
  const colon = tv.find(t2 + 1, -1, 0x3a);
  if (colon === -1 || colon >= t3) return Line.Other;
  if (t3Len !== SIP2.length || !tv.strneql(t3, SIP2)) return Line.Other;
  return Line.Request;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}
function isAlpha(c: number): boolean {
  return (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
}
const isPrint = (c: number) => c >= 0x20 && c <= 0x7e;

// ---- URIs (RFC 3261 §19.1, §20.10 name-addr / addr-spec) ----

interface Uri {
  sip: boolean;
  displayStart: number;
  displayEnd: number;
  start: number;
  end: number;
  paramsStart: number;
  nameAddrStart: number;
  nameAddrEnd: number;
  userStart: number;
  userEnd: number;
  hostStart: number;
  hostEnd: number;
  portStart: number;
  portEnd: number;
}

function newUri(): Uri {
  return {
    sip: false, displayStart: -1, displayEnd: -1, start: -1, end: -1, paramsStart: -1, nameAddrStart: -1, nameAddrEnd: -1,
    userStart: -1, userEnd: -1, hostStart: -1, hostEnd: -1, portStart: -1, portEnd: -1,
  };
}

/** A SIP URI's parts (user, host, port, parameters) from `start`; returns where it ends or -1. */
function parseUri(tv: TextTvb, start: number, lineEnd: number, u: Uri): number {
  let cur = tv.skipWsp(start, lineEnd - start);
  if (cur >= lineEnd) return -1;
  u.start = cur;
  if (!tv.strneql(cur, 'sip')) return u.end !== -1 ? u.nameAddrEnd : -1;
  u.sip = true;
  if (u.end === -1) {
    // addr-spec: a ',' or ';' ends it (the ';' starts header parameters then).
    const e = tv.findAny(cur, lineEnd - cur, ',;');
    u.end = e !== -1 ? e - 1 : lineEnd - 3;
    u.nameAddrEnd = u.end;
  }
  const at = tv.find(u.start, u.end - u.start, 0x40);
  if (at === -1) u.hostStart = tv.find(u.start, u.end - u.start, 0x3a) + 1;
  else {
    u.userStart = tv.find(u.start, u.end - u.start, 0x3a) + 1;
    u.userEnd = tv.find(u.userStart, u.end - u.start, 0x40) - 1;
    u.hostStart = u.userEnd + 2;
  }
  let pe = u.hostStart;
  let c = '';
  let ipv6 = tv.u8(pe) === 0x5b;
  hostLoop: while (pe < lineEnd) {
    pe++;
    pe = tv.findAny(pe, lineEnd - pe, '>,;? \r:[]');
    if (pe === -1) {
      pe = lineEnd;
      break;
    }
    c = tv.found;
    switch (c) {
      case ';':
        u.paramsStart = pe + 1;
        break hostLoop;
      case ':':
        if (!ipv6) break hostLoop;
        break;
      case '[':
        ipv6 = true;
        break;
      case ']':
        ipv6 = false;
        break;
      default:
        break hostLoop;
    }
  }
  u.hostEnd = pe - 1;
  if (c === ':') {
    u.portStart = pe + 1;
    pe = u.portStart;
    while (pe < lineEnd) {
      pe++;
      pe = tv.findAny(pe, lineEnd - pe, '>,;? \r');
      if (pe === -1) {
        pe = lineEnd;
        break;
      }
      if (tv.found === ';') u.paramsStart = pe + 1;
      break;
    }
    u.portEnd = pe - 1;
  }
  return u.nameAddrEnd;
}

/** name-addr ("display" <uri>) or addr-spec; returns where the URI ends or -1. */
function parseNameAddr(tv: TextTvb, start: number, lineEnd: number, u: Uri): number {
  let cur = tv.skipWsp(start, lineEnd - start);
  if (cur >= lineEnd) return -1;
  u.nameAddrStart = cur;
  let bare = false;
  const c = tv.u8(cur);
  if (c === 0x22) {
    // A quoted display name: up to the next unescaped '"'.
    u.displayStart = cur;
    do {
      const q = tv.find(cur + 1, lineEnd - (cur + 1), 0x22);
      if (q === -1) return -1;
      cur = q;
      let i = 1;
      while (tv.u8(q - i) === 0x5c) i++;
      i--;
      if (i % 2 === 0) break;
    } while (cur < lineEnd);
    if (cur >= lineEnd) return -1;
    u.displayEnd = cur;
    const lt = tv.find(cur, lineEnd - cur, 0x3c);
    if (lt === -1) return -1;
    cur = lt + 1;
  } else if (c === 0x3c) {
    cur++;
  } else {
    const lt = tv.find(cur, lineEnd - cur, 0x3c);
    const colon = tv.find(cur, lineEnd - cur, 0x3a);
    if (lt !== -1 && colon !== -1) {
      if (lt < colon) {
        u.displayStart = cur;
        u.displayEnd = lt - 1;
        cur = lt + 1;
      } else bare = true;
    } else if (lt !== -1) {
      u.displayStart = cur;
      u.displayEnd = lt - 1;
      cur = lt + 1;
    } else if (colon !== -1) bare = true;
    else return -1;
  }
  u.start = cur;
  if (!bare) {
    const gt = tv.find(cur, lineEnd - cur, 0x3e);
    if (gt === -1) return -1;
    u.nameAddrEnd = gt;
    u.end = gt - 1;
  }
  return parseUri(tv, cur, lineEnd, u);
}

/**
 * The URI's items under `t` (display name, then the URI with its parts); `inside` adds more
 * under the URI item before it is closed. Leaves nothing open.
 */
function showUri(tv: TextTvb, t: TreeSink | null, u: Uri, f: UriFieldSet, inside?: () => void): void {
  if (u.displayEnd !== u.displayStart) {
    addStr(t, f.display, tv, u.displayStart, u.displayEnd - u.displayStart + 1);
    addStr(null, F['sip.display.info'], tv, u.displayStart, u.displayEnd - u.displayStart + 1);
  }
  addStr(t, f.addr, tv, u.start, u.end - u.start + 1, true);
  try {
    if (!u.sip) return inside?.();
    if (u.userEnd > u.userStart) {
      addStr(t, f.user, tv, u.userStart, u.userEnd - u.userStart + 1);
      if (tv.u8(u.userStart) === 0x2b) e164Number(tv, t, u.userStart + 1, u.userEnd - u.userStart);
    }
    addStr(t, f.host, tv, u.hostStart, u.hostEnd - u.hostStart + 1);
    if (u.portEnd > u.portStart) addStr(t, f.port, tv, u.portStart, u.portEnd - u.portStart + 1);
    if (u.paramsStart !== -1) {
      let cur = u.paramsStart;
      let from = cur;
      let end = -1;
      while (cur < u.nameAddrEnd) {
        const q = tv.findAny(cur, u.nameAddrEnd - cur, ',;');
        if (q === -1) {
          end = tv.u8(u.nameAddrEnd) === 0x3e ? u.nameAddrEnd - 1 : u.nameAddrEnd;
          cur = u.nameAddrEnd;
        } else if (tv.found === ',') {
          end = q;
          cur = q + 1;
        } else {
          end = q - 1;
          cur = tv.skipWsp(q + 1, u.nameAddrEnd - q + 1);
        }
        addStr(t, f.param, tv, from, end - from + 1);
        from = cur;
      }
    }
    inside?.();
  } finally {
    t?.close();
  }
}

// ---- E.164 numbers (ITU-T E.164) in URI user parts that start with '+' ----
// Wireshark shows a "+digits" user part as an E.164 number with its country code (ITU-T E.164
// Annex to Operational Bulletin: the assigned country codes; E.164 §6.2.3 for 881, 882, 883).

const CC_TEXT =
  '0:Reserved|1:Americas|7:Russian Federation, Kazakstan (Republic of)|20:Egypt (Arab Republic of)|' +
  '27:South Africa (Republic of)|30:Greece|31:Netherlands (Kingdom of the)|32:Belgium|33:France|34:Spain|' +
  '36:Hungary (Republic of)|39:Italy|40:Romania|41:Switzerland (Confederation of)|43:Austria|' +
  '44:United Kingdom of Great Britain and Northern Ireland|45:Denmark|46:Sweden|47:Norway|48:Poland (Republic of)|' +
  '49:Germany (Federal Republic of)|51:Peru|52:Mexico|53:Cuba|54:Argentine Republic|' +
  '55:Brazil (Federative Republic of)|56:Chile|57:Colombia (Republic of)|58:Venezuela(Bolivarian Republic of)|' +
  '60:Malaysia|61:Australia|62:Indonesia (Republic of)|63:Philippines (Republic of the)|64:New Zealand|' +
  '65:Singapore (Republic of)|66:Thailand|81:Japan|82:Korea (Republic of)|84:Viet Nam (Socialist Republic of)|' +
  '86:China (People\'s Republic of)|90:Turkey|91:India (Republic of)|92:Pakistan (Islamic Republic of)|' +
  '93:Afghanistan|94:Sri Lanka (Democratic Socialist Republic of)|95:Myanmar (the Republic of the Union of)|' +
  '98:Iran (Islamic Republic of)|210:Spare code|211:South Sudan (Republic of)|212:Morocco (Kingdom of)|' +
  '213:Algeria (People\'s Democratic Republic of)|214:Spare code|215:Spare code|216:Tunisia|217:Spare code|' +
  '218:Libya (Socialist People\'s Libyan Arab Jamahiriya)|219:Spare code|220:Gambia (Republic of)|' +
  '221:Senegal (Republic of)|222:Mauritania (Islamic Republic of)|223:Mali (Republic of)|224:Guinea (Republic of)|' +
  '225:Cote d\'Ivoire (Republic of)|226:Burkina Faso|227:Niger (Republic of the)|228:Togolese Republic|' +
  '229:Benin (Republic of)|230:Mauritius (Republic of)|231:Liberia (Republic of)|232:Sierra Leone|233:Ghana|' +
  '234:Nigeria (Federal Republic of)|235:Chad (Republic of)|236:Central African Republic|' +
  '237:Cameroon (Republic of)|238:Cape Verde (Republic of)|239:Sao Tome and Principe (Democratic Republic of)|' +
  '240:Equatorial Guinea (Republic of)|241:Gabonese Republic|242:Congo (Republic of the)|' +
  '243:Democratic Republic of Congo|244:Angola (Republic of)|245:Guinea-Bissau (Republic of)|246:Diego Garcia|' +
  '247:Saint Helena, Ascension and Tristan da Cunha|248:Seychelles (Republic of)|249:Sudan (Republic of the)|' +
  '250:Rwanda (Republic of)|251:Ethiopia (Federal Democratic Republic of)|252:Somali Democratic Republic|' +
  '253:Djibouti (Republic of)|254:Kenya (Republic of)|255:Tanzania (United Republic of)|256:Uganda (Republic of)|' +
  '257:Burundi (Republic of)|258:Mozambique (Republic of)|259:Spare code|260:Zambia (Republic of)|' +
  '261:Madagascar (Republic of)|262:French Departments and Territories in the Indian Ocean|' +
  '263:Zimbabwe (Republic of)|264:Namibia (Republic of)|265:Malawi|266:Lesotho (Kingdom of)|' +
  '267:Botswana (Republic of)|268:Swaziland (Kingdom of)|269:Comoros (Union of the)|280:Spare code|281:Spare code|' +
  '282:Spare code|283:Spare code|284:Spare code|285:Spare code|286:Spare code|287:Spare code|288:Spare code|' +
  '289:Spare code|290:Saint Helena, Ascension and Tristan da Cunha|291:Eritrea|292:Spare code|293:Spare code|' +
  '294:Spare code|295:Spare code|296:Spare code|297:Aruba|298:Faroe Islands|299:Greenland (Denmark)|350:Gibraltar|' +
  '351:Portugal|352:Luxembourg|353:Ireland|354:Iceland|355:Albania (Republic of)|356:Malta|' +
  '357:Cyprus (Republic of)|358:Finland|359:Bulgaria (Republic of)|370:Lithuania (Republic of)|' +
  '371:Latvia (Republic of)|372:Estonia (Republic of)|373:Moldova (Republic of)|374:Armenia (Republic of)|' +
  '375:Belarus (Republic of)|376:Andorra (Principality of)|377:Monaco (Principality of)|' +
  '378:San Marino (Republic of)|379:Vatican City State|380:Ukraine|381:Serbia (Republic of)|' +
  '382:Montenegro (Republic of)|383:Spare code|384:Spare code|385:Croatia (Republic of)|' +
  '386:Slovenia (Republic of)|387:Bosnia and Herzegovina|388:Group of countries, shared code|' +
  '389:The Former Yugoslav Republic of Macedonia|420:Czech Republic|421:Slovak Republic|422:Spare code|' +
  '423:Liechtenstein (Principality of)|424:Spare code|425:Spare code|426:Spare code|427:Spare code|428:Spare code|' +
  '429:Spare code|500:Falkland Islands (Malvinas)|501:Belize|502:Guatemala (Republic of)|' +
  '503:El Salvador (Republic of)|504:Honduras (Republic of)|505:Nicaragua|506:Costa Rica|507:Panama (Republic of)|' +
  '508:Saint Pierre and Miquelon (Collectivite territoriale de la Republique francaise)|509:Haiti (Republic of)|' +
  '590:Guadeloupe (French Department of)|591:Bolivia (Plurinational State of)|592:Guyana|593:Ecuador|' +
  '594:French Guiana (French Department of)|595:Paraguay (Republic of)|596:Martinique (French Department of)|' +
  '597:Suriname (Republic of)|598:Uruguay (Eastern Republic of)|599:Bonaire, Saint Eustatius and Saba, Curacao|' +
  '670:Democratic Republic of Timor-Leste|671:Spare code|672:Australian External Territories|' +
  '673:Brunei Darussalam|674:Nauru (Republic of)|675:Papua New Guinea|676:Tonga (Kingdom of)|677:Solomon Islands|' +
  '678:Vanuatu (Republic of)|679:Fiji (Republic of)|680:Palau (Republic of)|' +
  '681:Wallis and Futuna (Territoire francais d\'outre-mer)|682:Cook Islands|683:Niue|684:Spare code|' +
  '685:Samoa (Independent State of)|686:Kiribati (Republic of)|' +
  '687:New Caledonia (Territoire francais d\'outre-mer)|688:Tuvalu|' +
  '689:French Polynesia (Territoire francais d\'outre-mer)|690:Tokelau|691:Micronesia (Federated States of)|' +
  '692:Marshall Islands (Republic of the)|693:Spare code|694:Spare code|695:Spare code|696:Spare code|' +
  '697:Spare code|698:Spare code|699:Spare code|800:International Freephone Service|801:Spare code|802:Spare code|' +
  '803:Spare code|804:Spare code|805:Spare code|806:Spare code|807:Spare code|' +
  '808:International Shared Cost Service (ISCS)|809:Spare code|830:Spare code|831:Spare code|832:Spare code|' +
  '833:Spare code|834:Spare code|835:Spare code|836:Spare code|837:Spare code|838:Spare code|839:Spare code|' +
  '850:Democratic People\'s Republic of Korea|851:Spare code|852:Hong Kong, China|853:Macau, China|854:Spare code|' +
  '855:Cambodia (Kingdom of)|856:Lao People\'s Democratic Republic|857:Spare code|858:Spare code|859:Spare code|' +
  '870:Inmarsat SNAC|871:Spare code|872:Spare code|873:Spare code|874:Spare code|' +
  '875:Reserved - Maritime Mobile Service Applications|876:Reserved - Maritime Mobile Service Applications|' +
  '877:Reserved - Maritime Mobile Service Applications|878:Universal Personal Telecommunication Service (UPT)|' +
  '879:Reserved for national non-commercial purposes|880:Bangladesh|' +
  '881:Global Mobile Satellite System (GMSS), shared code|882:International Networks, shared code|' +
  '883:International Networks, shared code|884:Spare code|885:Spare code|886:Taiwan, China|887:Spare code|' +
  '888:Telecommunications for Disaster Relief (TDR)|889:Spare code|890:Spare code|891:Spare code|892:Spare code|' +
  '893:Spare code|894:Spare code|895:Spare code|896:Spare code|897:Spare code|898:Spare code|899:Spare code|' +
  '960:Maldives (Republic of)|961:Lebanon|962:Jordan (Hashemite Kingdom of)|963:Syrian Arab Republic|' +
  '964:Iraq (Republic of)|965:Kuwait (State of)|966:Saudi Arabia (Kingdom of)|967:Yemen (Republic of)|' +
  '968:Oman (Sultanate of)|969:Reserved - reservation currently under investigation|970:Reserved|' +
  '971:United Arab Emirates|972:Israel (State of)|973:Bahrain (Kingdom of)|974:Qatar (State of)|' +
  '975:Bhutan (Kingdom of)|976:Mongolia|977:Nepal (Federal Democratic Republic of)|978:Spare code|' +
  '979:International Premium Rate Service (IPRS)|990:Spare code|' +
  '991:Trial of a proposed new international telecommunication public correspondence service, shared code|' +
  '992:Tajikstan (Republic of)|993:Turkmenistan|994:Azerbaijan|995:Georgia|996:Kyrgyz Republic|997:Spare code|' +
  '998:Uzbekistan (Republic of)|999:Reserved for future global service';
const GMSS_TEXT =
  '6:Iridium Satellite LLC|7:Iridium Satellite LLC|8:Globalstar|9:Globalstar';
const NET882_TEXT =
  '10:Global Office Application|12:HyperStream International (HSI) Data Network|' +
  '13:EMS Regional Mobile Satellite System|15:Global international ATM Network|16:Thuraya RMSS Network|' +
  '20:Garuda Mobile Telecommunication Satellite System|22:Cable & Wireless Global Network|23:Sita-Equant Network|' +
  '24:TeliaSonera Sverige AB|28:Deutsche Telekom\'s Next Generation Network|31:Global International ATM Network|' +
  '32:MCP network|33:Oration Technologies Network|34:BebbiCell AG|35:Jasper System|36:Jersey Telecom|' +
  '37:Cingular Wireless netwok|39:Vodafone Malta|40:Oy Communications|41:Intermatica|' +
  '42:Seanet Maritime Communication|43:Beeline|45:Telecom Italia|46:Tyntec GmbH|47:Transatel|' +
  '97:Smart Communications Inc|98:Onair GSM services|99:Telenor GSM network - services in aircraft';
const NET883_TEXT =
  '100:MediaLincc Ltd|110:Aicent Inc|120:Telenor Connexion AB|130:France Telecom Orange|' +
  '140:Multiregional TransitTelecom (MTT)|150:BodyTrace Netherlands B.V|5100:Voxbone SA|5110:Bandwidth.com Inc|' +
  '5120:MTX Connect Ltd|5130:SIMPE Ltd|5140:Ellipsat Inc|5150:Wins Limited';

const parseTable = (text: string): Map<number, string> => {
  const m = new Map<number, string>();
  for (const e of text.split('|')) {
    const colon = e.indexOf(':');
    m.set(Number(e.slice(0, colon)), e.slice(colon + 1));
  }
  return m;
};
const COUNTRY_CODES = parseTable(CC_TEXT);
const GMSS = parseTable(GMSS_TEXT);
const NETWORKS_882 = parseTable(NET882_TEXT);
const NETWORKS_883 = parseTable(NET883_TEXT);

const E = fieldByName('e164.msisdn') ? {
  'e164.msisdn': field('e164.msisdn'), 'e164.identification_code': field('e164.identification_code'), 'e164.country_code': field('e164.country_code'),
} : defineProtocol('e164', 'ITU-T E.164 number', {
  'e164.msisdn': { name: 'E.164 number (MSISDN)', type: 'string' },
  'e164.identification_code': { name: 'Identification Code', type: 'uint', bits: 32 },
  'e164.country_code': { name: 'Country Code', type: 'uint', bits: 16 },
});

/** BCD nibbles to decimal; false when a nibble is not a digit. */
function bcdToDec(bcd: number): [boolean, number] {
  let ok = true;
  let result = 0;
  let mult = 1;
  while (bcd) {
    if ((bcd & 0x0f) > 9) ok = false;
    result = (result + (bcd & 0x0f) * mult) & 0xffff;
    bcd >>= 4;
    mult = (mult * 10) & 0xffff;
  }
  return [ok, result];
}

/** How many of the first three digits (as BCD nibbles) the country code takes (E.164 Annex A). */
function countryCodeLength(cc: number): number {
  const d2 = cc & 0x00f0;
  switch (cc & 0x0f00) {
    case 0x000: case 0x100: case 0x700: return 1;
    case 0x200: return d2 === 0 || d2 === 0x70 ? 2 : 3;
    case 0x300: return [0, 0x10, 0x20, 0x30, 0x40, 0x60, 0x90].includes(d2) ? 2 : 3;
    case 0x400: return d2 === 0x20 ? 3 : 2;
    case 0x500: return d2 === 0 || d2 === 0x90 ? 3 : 2;
    case 0x600: return d2 === 0x70 || d2 === 0x80 || d2 === 0x90 ? 3 : 2;
    case 0x800: return [0x10, 0x20, 0x40, 0x60].includes(d2) ? 2 : 3;
    case 0x900: return [0, 0x10, 0x20, 0x30, 0x40, 0x50, 0x80].includes(d2) ? 2 : 3;
    default: return 0;
  }
}

/** The number (text digits at `off`) and its country code, as dissect_e164_msisdn shows them. */
function e164Number(tv: TextTvb, t: TreeSink | null, off: number, len: number): void {
  addStr(t, E['e164.msisdn'], tv, off, len, true);
  try {
    const digit = (o: number) => tv.u8(o) - 0x30;
    let cc = ((digit(off) << 8) | (digit(off + 1) << 4) | digit(off + 2)) & 0xffff;
    const ccLen = countryCodeLength(cc);
    if (ccLen === 1) cc >>= 8;
    else if (ccLen === 2) cc >>= 4;
    const [ok, dec] = bcdToDec(cc);
    cc = dec;
    if (t) {
      const name = COUNTRY_CODES.get(cc) ?? 'Unknown';
      addUint(t, E['e164.country_code'], tv, off, ccLen, cc, `Country Code: ${name} (${cc})`, ok ? undefined : ['warn', 'Country Code contains non-decimal digits', 'Malformed']);
    }
    const idItem = (len: number, id: number, names: Map<number, string>, idOk: boolean) =>
      addUint(t, E['e164.identification_code'], tv, off + 1, len, id, `Identification Code: ${id} ${names.get(id) ?? 'Unknown'}`,
        idOk ? undefined : ['warn', 'Identification Code contains non-decimal digits', 'Malformed']);
    if (cc === 881) {
      const id = digit(off + ccLen) & 0xffff;
      idItem(1, id, GMSS, id <= 9);
    } else if (cc === 882) {
      const raw = (((digit(off + ccLen) << 4) | digit(off + ccLen + 1)) & 0xffff);
      const [idOk, id] = bcdToDec(raw);
      idItem(2, id, NETWORKS_882, idOk);
    } else if (cc === 883) {
      let raw = ((digit(off + ccLen) << 8) | (digit(off + ccLen + 1) << 4) | digit(off + ccLen + 2)) & 0xffff;
      if ((raw & 0x0ff0) === 0x510) {
        raw = ((raw << 4) | digit(off + ccLen + 3)) & 0xffff;
        const [idOk, id] = bcdToDec(raw);
        idItem(3, id, NETWORKS_883, idOk);
      } else {
        const [idOk, id] = bcdToDec(raw);
        idItem(2, id, NETWORKS_883, idOk);
      }
    }
  } finally {
    t?.close();
  }
}

// ---- one message ----

/** What the header fields told (packet-sip.c's locals of dissect_sip_common). */
interface Message {
  request: boolean;
  code: number;
  method: string | null;
  methodKnown: string | null;
  cseq: number;
  cseqSet: boolean;
  cseqMethod: string;
  callId: string;
  contentLength: number;
  mediaType: string | null;
  contentEncoding: string | null;
  contacts: number;
  contactStar: boolean;
  expiresZero: boolean;
  contactsExpires0: number;
  contactsExpiresUnknown: number;
}

const NOT_SIP = -2;
const NEED_MORE = -1;

/** Signals packet-sip.c's early "return offset - orig_offset" (a CSeq without method, or too long). */
class EarlyReturn {
  constructor(readonly at: number) {}
}

/** C's g_strlcpy into a buffer of `size` bytes: at most size - 1 bytes of UTF-8, up to a NUL. */
function strlcpy(s: string, size: number): string {
  const c = cString(s);
  const b = new TextEncoder().encode(c);
  if (b.length < size) return c;
  return new TextDecoder().decode(b.subarray(0, size - 1));
}

/** The UTF-8 bytes of a decoded value, as packet-sip.c indexes them. */
const utf8 = (s: string) => new TextEncoder().encode(s);

/**
 * One SIP message at `offset` (packet-sip.c's dissect_sip_common). Returns its length, NOT_SIP,
 * or NEED_MORE (desegmentation asked for).
 */
function dissectMessage(tv: TextTvb, offset: number, remaining: number, p: Packet, continuation: boolean, reassembly: boolean): number {
  if (!continuation && (remaining < 1 || !isPrint(tv.u8(offset)))) return NOT_SIP;
  const orig = offset;
  const lineLen = tv.lineEnd(offset, remaining);
  const next = tv.next;
  if (lineLen === 0) return NOT_SIP;
  // A NUL in the first line: not SIP text (maybe SIP inside something else).
  if (tv.find(tv.abs(offset), lineLen, 0) !== -1) return NOT_SIP;
  const kind = parseFirstLine(tv, offset, lineLen);
  const tokenLen = firstTokenLen;
  if (kind === Line.Other) {
    if (!continuation) return NOT_SIP;
  } else if (reassembly && p.tcp) {
    // RFC 3261 §18.3: over TCP the header and Content-Length delimit the message.
    if (!headersComplete(tv, offset, p)) return NEED_MORE;
  }
  if (p.layers[p.layers.length - 1] !== 'sip') p.layers.push('sip');
  p.cols.protocol = 'SIP';

  const m: Message = {
    request: kind === Line.Request, code: 0, method: null, methodKnown: null, cseq: 0, cseqSet: false, cseqMethod: '', callId: '',
    contentLength: -1, mediaType: null, contentEncoding: null, contacts: 0, contactStar: false, expiresZero: false,
    contactsExpires0: 0, contactsExpiresUnknown: 0,
  };
  // The line's text for Info must be there even when nobody reads Info (a line cut short fails here).
  const lineText = (off: number, len: number) => (p.cols.enabled ? tv.format(off, len) : (tv.ensure(off, len), ''));
  if (kind === Line.Request) {
    const method = tv.raw(offset, tokenLen);
    m.methodKnown = METHODS.includes(method) ? method : null;
    p.cols.setInfo(`${m.methodKnown ? 'Request' : 'Unknown request'}: ${lineText(offset, lineLen - SIP2.length - 1)}`);
  } else if (kind === Line.Status) {
    p.cols.setInfo(`Status: ${lineText(offset + 8, lineLen - 8)}`);
    // The reason phrase (kept for statistics) must be there.
    tv.text(offset + 12, lineLen - 12);
  } else p.cols.setInfo('Continuation');

  // The tree: the first line's subtree is finished last (its resend and timing items need the
  // header fields), so it and the rest are recorded and written out in order at the end.
  const real = p.tree;
  const first = real ? new BufferSink() : null;
  const rest = real ? new BufferSink() : null;
  const protoLen = tv.len ? tv.ensureCapRemaining(offset) : 0;
  let finished = false;
  let early = false;
  let protoSuffix = '';
  let consumed = 0;
  let lineItem: [FieldDef, string] | null = null;
  const extra: ((t: TreeSink) => void)[] = [];
  try {
    if (kind === Line.Other) {
      if (rest) {
        // The subtree is as long as the offset after the line (packet-sip.c's length), checked then.
        openText(rest, tv, offset, next, () => `Continuation line: ${tv.format(offset, lineLen)}`);
        const len = tv.len ? tv.ensureCapRemaining(offset) : 0;
        rest.add(F['sip.continuation'], tv.tvb, tv.abs(offset), len, tv.tvb.bytes(tv.abs(offset), len));
        rest.close();
      }
      finished = true;
      early = true;
      return remaining;
    }
    if (kind === Line.Request) {
      if (real) lineItem = [F['sip.Request-Line'], addStr(null, F['sip.Request-Line'], tv, offset, lineLen)];
      const method = addStr(null, F['sip.Method'], tv, offset, tokenLen, false, true);
      first?.add(F['sip.Method'], tv.tvb, tv.abs(offset), tokenLen, method, fieldText(F['sip.Method'], shown(method)));
      m.method = method;
      if (real) {
        const u = newUri();
        const uriOff = offset + tokenLen + 1;
        u.end = tv.find(uriOff, lineLen, 0x20) - 1;
        parseUri(tv, uriOff, uriOff + lineLen, u);
        showUri(tv, first, u, URI.req);
      }
    } else {
      if (real) lineItem = [F['sip.Status-Line'], addStr(null, F['sip.Status-Line'], tv, offset, lineLen)];
      const [ok, code] = wsStrtoi32(tv.text(offset + 8, 3));
      m.code = code;
      if (first) {
        first.open(F['sip.Status-Code'], tv.tvb, tv.abs(offset + 8), 3, code >>> 0, `Status-Code: ${code >>> 0}`);
        if (!ok) first.expert('note', 'Invalid Status-Code', tv.tvb, tv.abs(offset + 8), 3, 'Malformed');
        first.close();
      }
    }

    remaining -= next - offset;
    offset = next;
    const hdrStart = offset;
    addStr(rest, F['sip.msg_hdr'], tv, offset, remaining, true, false, 'Message Header');
    try {
      offset = headerLines(tv, offset, remaining, p, m, rest);
    } catch (e) {
      if (e instanceof EarlyReturn) {
        rest?.close();
        finished = true;
        early = true;
        return e.at - orig;
      }
      throw e;
    }

    let dataLen = tv.capRemaining(offset);
    let repDataLen = tv.repRemaining(offset);
    if (m.contentLength !== -1) {
      if (dataLen > m.contentLength) dataLen = m.contentLength;
      if (repDataLen > m.contentLength) repDataLen = m.contentLength;
    }

    // Info: what a registration does (RFC 3261 §10.2: Contact and Expires of REGISTER and its 2xx).
    if (m.expiresZero) m.contactsExpires0 = (m.contactsExpires0 + m.contactsExpiresUnknown) & 0xff;
    const plural = (n: number) => (n === 1 ? '' : 's');
    const e0 = m.contactsExpires0;
    if (m.methodKnown === 'REGISTER') {
      if (m.contactStar && m.expiresZero) p.cols.appendInfo('  (remove all bindings)');
      else if (e0 > 0) {
        p.cols.appendInfo(`  (remove ${e0} binding${plural(e0)})`);
        if (m.contacts > e0) p.cols.appendInfo(` (add ${m.contacts - e0} binding${plural(m.contacts - e0)})`);
      } else if (!m.contacts) p.cols.appendInfo('  (fetch bindings)');
      else p.cols.appendInfo(`  (${m.contacts} binding${plural(m.contacts)})`);
    }
    if (kind === Line.Status) {
      if (m.code === 200) p.cols.appendInfo(` (${m.cseqMethod})`);
      if (m.cseqMethod === 'REGISTER' && m.code > 199 && m.code < 300) {
        if (e0 > 0) {
          p.cols.appendInfo(`  (removed ${e0} binding${plural(e0)})`);
          if (m.contacts > e0) p.cols.appendInfo(` (${m.contacts - e0} binding${plural(m.contacts - e0)} kept)`);
        } else p.cols.appendInfo(`  (${m.contacts} binding${plural(m.contacts)})`);
      }
    }
    // A second message in the segment appends after this one.
    p.cols.appendInfo(' | ');
    p.cols.fenceInfo();

    let requestFrame = 0;
    let responseTime = 0;
    if (kind === Line.Request && m.cseqMethod === 'ACK') [requestFrame, responseTime] = findInvite(p, m);
    if (kind === Line.Status) [requestFrame, responseTime] = findRequest(p, m);
    const resend = resendOf(p, m);

    if (dataLen > 0) {
      rest?.setLength(offset - hdrStart);
      rest?.close();
      const body = tv.sub(offset, dataLen, repDataLen);
      const bodyLen = body.len ? body.ensureCapRemaining(0) : 0;
      rest?.open(F['sip.msg_body'], body.tvb, 0, bodyLen, null);
      const carrier: SdpCarrier = { traceField: F['sip.call_id_generated'], traceId: m.callId };
      let found = false;
      if (m.mediaType === 'application/sdp') {
        if (resend === 0) {
          if (kind === Line.Request) sdpSetup(body.tvb, p, 'offer', p.num, carrier);
          else if (m.code >= 400) sdpSetup(body.tvb, p, 'reject', requestFrame, carrier);
          else if (m.code >= 200 && m.code <= 299) sdpSetup(body.tvb, p, 'accept', requestFrame, carrier);
        } else sdpSetupResend(p, resend);
        dissectSdp(body.tvb, p, rest, carrier);
        found = true;
      }
      if (!found && m.mediaType !== null && TEXT_LINES_TYPES.has(m.mediaType)) {
        textLines(body, p, rest, m.mediaType);
        found = true;
      }
      if (!found) {
        // No dissector for this body: its lines as text.
        let o = 0;
        while (body.exists(o)) {
          body.lineEnd(o, -1);
          const n = body.next;
          addFormatText(rest, body, o, n - o);
          o = n;
        }
      }
      rest?.close();
      offset += dataLen;
    } else rest?.close();

    if (real) {
      extra.push((t) => t.add(F['sip.resend'], tv.tvb, tv.abs(orig), GENERATED, resend > 0, `[Resent Packet: ${resend > 0 ? 'True' : 'False'}]`));
      if (resend > 0) extra.push((t) => t.add(field('sip.resend-original'), tv.tvb, tv.abs(orig), GENERATED, resend, `[Suspected resend of frame: ${resend}]`));
      if (requestFrame > 0) {
        extra.push((t) => t.add(field('sip.response-request'), tv.tvb, tv.abs(orig), GENERATED, requestFrame, `[Request Frame: ${requestFrame}]`));
        extra.push((t) => t.add(field('sip.response-time'), tv.tvb, tv.abs(orig), GENERATED, responseTime, `[Response Time (ms): ${responseTime}]`));
        if (kind === Line.Status && m.cseqMethod === 'BYE') {
          extra.push((t) => t.add(field('sip.release-time'), tv.tvb, tv.abs(orig), GENERATED, responseTime, `[Release Time (ms): ${responseTime}]`));
        }
      }
    }
    finished = true;
    consumed = offset - orig;
    protoSuffix = m.method !== null ? ` (${m.method})` : ` (${m.code >>> 0})`;
    return consumed;
  } finally {
    if (real) {
      // The SIP item: as long as the message once complete, else the bytes left.
      const done = finished && !early;
      real.open(F.proto, tv.tvb, tv.abs(orig), done ? consumed : protoLen, null, done ? `Session Initiation Protocol${protoSuffix}` : undefined);
      if (lineItem) {
        const [lf, value] = lineItem;
        real.open(lf, tv.tvb, tv.abs(orig), lineLen, value, fieldText(lf, shown(value)));
        first!.replay(real);
        for (const op of extra) op(real);
        real.close();
      }
      rest!.replay(real);
      // After an exception nodes stay open: frame.ts closes them.
      if (finished) real.close();
    }
  }
}

/** RFC 3261 §18.3 over TCP: the header block, then Content-Length bytes, must all be here (req_resp_hdrs_do_reassembly). */
function headersComplete(tv: TextTvb, offset: number, p: Packet): boolean {
  if (!p.canDesegment) return true;
  let next = offset;
  let contentLength = -1;
  for (;;) {
    const lineStart = next;
    const repRem = tv.repRemaining(next);
    if (repRem < 1) {
      desegment(p, offset, ONE_MORE_SEGMENT);
      return false;
    }
    const capRem = tv.capRemaining(next);
    const lineLen = tv.lineEnd(next, capRem, true);
    if (lineLen === -1) {
      if (capRem >= repRem) {
        desegment(p, offset, ONE_MORE_SEGMENT);
        return false;
      }
      // Cut by the snap length. req_resp_hdrs.c then reads the line with a length of -1 (an
      // exception) when it may be Content-Length or Transfer-Encoding, and loops on it otherwise;
      // here the message is taken as it is instead.
      const c = tv.u8(lineStart);
      if (c === 0x63 || c === 0x43 || c === 0x74 || c === 0x54) tv.text(lineStart, -1);
      return true;
    }
    next = tv.next;
    if (lineLen === 0) break;
    const c = tv.u8(lineStart);
    if (c !== 0x63 && c !== 0x43 && c !== 0x74 && c !== 0x54) continue;
    const line = cString(tv.text(lineStart, lineLen));
    if (line.slice(0, 15).toLowerCase() === 'content-length:') {
      const [ok, v] = wsStrtoi32(line.slice(15).trim());
      if (ok && v >= 0) contentLength = v;
    }
  }
  if (contentLength >= 0 && !tv.has(next, contentLength)) {
    const capRem = tv.capRemaining(next);
    if (capRem < tv.repRemaining(next)) return true;
    desegment(p, offset, contentLength - capRem);
    return false;
  }
  return true;
}

function desegment(p: Packet, off: number, len: number): void {
  p.desegmentOffset = off;
  p.desegmentLen = len;
}

/** The header fields (RFC 3261 §7.3) up to the empty line; returns where the body starts. */
function headerLines(tv: TextTvb, offset: number, remaining: number, p: Packet, m: Message, t: TreeSink | null): number {
  while (remaining > 0) {
    let lineLen = tv.lineEnd(offset, -1);
    let next = tv.next;
    if (lineLen === 0) {
      offset = next;
      break;
    }
    let lineEnd = offset + lineLen;
    let unterminated = false;
    if (tv.repRemaining(next) <= 0) unterminated = true;
    else {
      // A line starting with white space continues the header (RFC 3261 §7.3.1).
      while (tv.exists(next) && (tv.u8(next) === 0x20 || tv.u8(next) === 0x09)) {
        lineLen += next - lineEnd;
        lineLen += tv.lineEnd(next, -1);
        next = tv.next;
        lineEnd = offset + lineLen;
      }
    }
    const colon = tv.find(offset, lineLen, 0x3a);
    if (colon === -1) t?.expert('warn', 'Header has no colon after the name', null, 0, 0, 'Malformed');
    else offset = headerField(tv, offset, lineLen, lineEnd, next, colon, p, m, t);
    if (unterminated) addExpert(t, tv, lineEnd, -1, 'warn', 'Header not terminated by empty line (CRLF)', 'Malformed');
    remaining -= next - offset;
    offset = next;
  }
  return offset;
}

/**
 * One header field. Returns the offset packet-sip.c goes on with (From and To move it to the
 * end of their URI, which only shortens what it thinks remains).
 */
function headerField(tv: TextTvb, offset: number, lineLen: number, lineEnd: number, next: number, colon: number, p: Packet, m: Message, t: TreeSink | null): number {
  const nameLen = colon - offset;
  const name = tv.text(offset, nameLen).replace(/[A-Z]/g, (c) => c.toLowerCase());
  // The name is looked up as a C string: a NUL ends it.
  const idx = knownHeader(cString(name), nameLen);
  const valueOff = tv.skipWsp(colon + 1, lineEnd - (colon + 1));
  const valueLen = lineEnd - valueOff;
  const lineText = () => fitLabel(tv.format(offset, lineLen));

  if (idx === -1) {
    openText(t, tv, offset, next - offset, () => tv.format(offset, lineLen));
    if (t) {
      t.expert('note', `Unrecognised SIP header (${cString(name)})`, tv.tvb, tv.abs(offset), next - offset, 'Undecoded');
      t.close();
    }
    return offset;
  }
  const hf = HF[idx]!;
  /** sip_proto_tree_add_string + set_format_text: the field as the line reads (only with a tree). */
  const item = (open: boolean): void => {
    if (!t) return;
    const value = cString(tv.text(valueOff, valueLen));
    addString(t, hf, tv, offset, next - offset, value, lineText(), open);
  };

  switch (idx) {
    case P.to:
    case P.from: {
      const isTo = idx === P.to;
      item(true);
      try {
        const u = newUri();
        if (parseNameAddr(tv, valueOff, lineEnd + 2, u) !== -1) {
          showUri(tv, t, u, isTo ? URI.to : URI.from);
          if (u.nameAddrStart !== -1 && u.nameAddrEnd !== -1) tv.text(u.nameAddrStart, u.nameAddrEnd - u.nameAddrStart + 1);
          offset = u.nameAddrEnd + 1;
        }
        let po = offset;
        while (po < lineEnd && !tv.strneql(po, 'tag=')) po++;
        if (po < lineEnd) {
          po += 4;
          let pe = tv.find(po, lineEnd - po, 0x3b);
          if (pe === -1) pe = lineEnd;
          addStr(t, isTo ? field('sip.to.tag') : field('sip.from.tag'), tv, po, pe - po);
          addStr(null, F['sip.tag'], tv, po, pe - po);
          // A tag marks a request inside a dialog (RFC 3261 §12.2).
          if (isTo && (m.methodKnown === 'INVITE' || m.methodKnown === 'SUBSCRIBE' || m.methodKnown === 'REFER')) p.cols.appendInfo(', in-dialog');
        }
      } finally {
        t?.close();
      }
      return offset;
    }
    case P.pai:
    case P.ppi:
    case P.pmiss: {
      if (!t) return offset;
      item(true);
      try {
        const u = newUri();
        if (parseNameAddr(tv, valueOff, lineEnd + 2, u) !== -1) showUri(tv, t, u, idx === P.pai ? URI.pai : idx === P.ppi ? URI.ppi : URI.pmiss);
      } finally {
        t.close();
      }
      return offset;
    }
    case P.pau: {
      if (!t) return offset;
      item(true);
      try {
        let s = tv.find(valueOff, lineEnd - valueOff, 0x3e);
        if (s !== -1) {
          s = tv.find(s, lineEnd - s, 0x3b);
          if (s !== -1) genericParams(tv, t, s + 1, lineEnd);
        }
      } finally {
        t.close();
      }
      return offset;
    }
    case P.history: {
      if (!t) return offset;
      item(true);
      try {
        splitFormatText(tv, t, valueOff, lineEnd, 0x2c);
      } finally {
        t.close();
      }
      return offset;
    }
    case P.pcfa: {
      if (!t) return offset;
      item(true);
      try {
        chargingFunctionAddresses(tv, t, valueOff, lineEnd);
      } finally {
        t.close();
      }
      return offset;
    }
    case P.trigger: {
      if (!t) return offset;
      item(true);
      try {
        const u = newUri();
        if (parseUri(tv, valueOff, lineEnd + 2, u) !== -1) {
          showUri(tv, t, u, URI.tc, () => {
            if (lineEnd > u.end) {
              let h = u.end + 1;
              if (tv.find(h, 1, 0x3b) !== 0) {
                while (h !== -1 && h < lineEnd) {
                  h++;
                  if (tv.strneql(h, 'target-uri="', true)) {
                    const s = h + 12;
                    const e = tv.find(s, -1, 0x22);
                    if (e === -1) break;
                    addStr(t, field('sip.tc.target-uri'), tv, s, e - s);
                  }
                  h = tv.find(h, -1, 0x3b);
                }
              }
            }
          });
        }
      } finally {
        t.close();
      }
      return offset;
    }
    case P.retry: {
      const value = tv.text(valueOff, valueLen);
      const [ok, v] = wsStrtou(value, 32);
      addUint(t, hf, tv, offset, next - offset, v, `Retry-After: ${v}`, ok ? undefined : ['note', 'Invalid retry_after value', 'Malformed']);
      return offset;
    }
    case P.cseq:
      cseqHeader(tv, offset, next, lineLen, valueOff, valueLen, m, t, hf);
      return offset;
    case P.rack:
      rackHeader(tv, offset, next, lineLen, valueOff, valueLen, m, t, hf);
      return offset;
    case P.callId: {
      const value = cString(tv.text(valueOff, valueLen));
      m.callId = strlcpy(value, 128);
      addString(t, hf, tv, offset, next - offset, value, t ? lineText() : undefined);
      addString(t, F['sip.call_id_generated'], tv, offset, next - offset, value, `[${fieldText(F['sip.call_id_generated'], shown(value))}]`);
      return offset;
    }
    case P.expires:
      if (tv.strncmp(valueOff, '0', valueLen)) m.expiresZero = true;
      uintItem(tv, t, hf, offset, next, valueOff, valueLen);
      return offset;
    case P.contentType: {
      item(false);
      let typeLen = valueLen;
      const semi = tv.find(valueOff, valueLen, 0x3b);
      if (semi !== -1) {
        const paramOff = tv.skipWsp(semi + 1, valueOff + valueLen - (semi + 1));
        typeLen = tv.skipWspReturn(semi - 1) - valueOff;
        tv.text(paramOff, valueOff + valueLen - paramOff);
      }
      m.mediaType = cString(tv.text(valueOff, typeLen)).replace(/[A-Z]/g, (c) => c.toLowerCase());
      return offset;
    }
    case P.contentLength: {
      const [ok, v] = wsStrtou(tv.text(valueOff, valueLen), 32);
      m.contentLength = v | 0;
      if (t) addUint(t, hf, tv, offset, next - offset, v, lineText(), ok ? undefined : ['note', 'Invalid content_length', 'Malformed']);
      return offset;
    }
    case P.maxBreadth:
    case P.maxForwards:
    case P.rseq:
      uintItem(tv, t, hf, offset, next, valueOff, valueLen);
      return offset;
    case P.contact: {
      item(true);
      try {
        if (tv.u8(valueOff) === 0x2a) {
          m.contactStar = true;
          return offset;
        }
        let c = valueOff;
        while ((c = contactItem(tv, t, c, next, m)) !== -1) {
          m.contacts = (m.contacts + 1) & 0xff;
          if (c === next) break;
          if (tv.u8(c) !== 0x2c) break;
          c++;
        }
      } finally {
        t?.close();
      }
      return offset;
    }
    case P.authorization:
    case P.wwwAuth:
    case P.proxyAuth:
    case P.proxyAuthz:
    case P.authInfo: {
      if (!t) return offset;
      item(true);
      try {
        addStr(null, F['sip.auth'], tv, offset, next - offset);
        if (lineEnd - valueOff !== 0) {
          let c: number;
          if (idx !== P.authInfo) {
            c = tv.findAny(valueOff, lineEnd - valueOff, ' \t\r\n');
            addStr(t, F['sip.auth.scheme'], tv, valueOff, c - valueOff);
          } else c = valueOff;
          while ((c = authItem(tv, t, c, lineEnd)) !== -1) {
            if (c === lineEnd) break;
            if (tv.u8(c) !== 0x2c) break;
            c++;
          }
        }
      } finally {
        t.close();
      }
      return offset;
    }
    case P.route:
    case P.recordRoute:
    case P.serviceRoute:
    case P.path: {
      if (!t) return offset;
      item(true);
      try {
        routeHeader(tv, t, idx === P.route ? URI.route : idx === P.recordRoute ? URI.recordRoute : idx === P.serviceRoute ? URI.serviceRoute : URI.path, valueOff, lineEnd);
      } finally {
        t.close();
      }
      return offset;
    }
    case P.contentEncoding:
      item(false);
      m.contentEncoding = cString(tv.text(valueOff, lineEnd - valueOff)).toLowerCase();
      return offset;
    case P.secClient:
    case P.secServer:
    case P.secVerify: {
      item(true);
      try {
        let v = valueOff;
        let c = tv.find(v, lineEnd - v, 0x2c);
        while (c < lineEnd) {
          c = tv.find(v, lineEnd - v, 0x2c);
          if (c === -1) c = lineEnd;
          secMechanism(tv, t, v, c);
          c = v = c + 1;
        }
      } finally {
        t?.close();
      }
      return offset;
    }
    default: {
      // Headers whose value tshark parses into a subtree of its own.
      const parts = HEADER_SUBTREES[idx];
      if (!parts) {
        item(false);
        return offset;
      }
      if (!t) return offset;
      item(true);
      try {
        parts(tv, t, valueOff, lineEnd);
      } finally {
        t.close();
      }
      return offset;
    }
  }
}

/** The header kinds whose value becomes a subtree (RFC 3261 §20.42 Via, RFC 3326 Reason, 3GPP TS 24.229 P- headers …). */
const HEADER_SUBTREES: Partial<Record<number, (tv: TextTvb, t: TreeSink, valueOff: number, lineEnd: number) => void>> = {
  [P.via]: viaHeader,
  [P.reason]: reasonHeader,
  [P.sessionId]: sessionIdHeader,
  [P.pani]: accessNetworkInfo,
  [P.pcv]: chargingVector,
  [P.featureCaps]: featureCaps,
};

/** sip_proto_tree_add_uint: the value's number (strtoul) as the field; only with a tree. */
function uintItem(tv: TextTvb, t: TreeSink | null, hf: FieldDef, offset: number, next: number, valueOff: number, valueLen: number): void {
  if (!t) return;
  const v = strtoul32(tv.text(valueOff, valueLen));
  addUint(t, hf, tv, offset, next - offset, v, `${hf.name}: ${v}`);
}

/** CSeq (RFC 3261 §20.16): a sequence number and the request's method. */
function cseqHeader(tv: TextTvb, offset: number, next: number, lineLen: number, valueOff: number, valueLen: number, m: Message, t: TreeSink | null, hf: FieldDef): void {
  const valueStr = tv.text(valueOff, valueLen);
  const value = utf8(valueStr);
  m.cseq = strtoul32(valueStr);
  m.cseqSet = true;
  if (t) {
    addString(t, hf, tv, offset, next - offset, cString(valueStr), fitLabel(tv.format(offset, lineLen)), true);
  }
  try {
    let i = 0;
    for (; i < valueLen; i++) {
      if (!isDigit(value[i] ?? 0)) {
        addUint(t, F['sip.CSeq.seq'], tv, valueOff, i, m.cseq, `Sequence Number: ${m.cseq}`);
        break;
      }
    }
    for (; i < valueLen; i++) if (isAlpha(value[i] ?? 0)) break;
    if (i === valueLen) {
      t?.close();
      throw new EarlyReturn(offset);
    }
    const copyLen = valueLen - i;
    if (copyLen > 16) {
      t?.close();
      if (t) {
        const rest = cString(new TextDecoder().decode(value.subarray(i)));
        addString(t, hf, tv, offset, next - offset, rest, `CSeq String too big: ${copyLen} bytes`);
      }
      throw new EarlyReturn(offset);
    }
    m.cseqMethod = strlcpy(new TextDecoder().decode(value.subarray(i)), 16);
    if (t) addStr(t, F['sip.CSeq.method'], tv, valueOff + i, copyLen);
    t?.close();
  } catch (e) {
    if (!(e instanceof EarlyReturn)) t?.close();
    throw e;
  }
}

/** RAck (RFC 3262 §7.2): the RSeq, CSeq number and method of the acknowledged response. */
function rackHeader(tv: TextTvb, offset: number, next: number, lineLen: number, valueOff: number, valueLen: number, m: Message, t: TreeSink | null, hf: FieldDef): void {
  const valueStr = tv.text(valueOff, valueLen);
  const value = utf8(valueStr);
  if (t) addString(t, hf, tv, offset, next - offset, cString(valueStr), fitLabel(tv.format(offset, lineLen)), true);
  try {
    let i = 0;
    for (; i < valueLen; i++) {
      if (!isDigit(value[i] ?? 0)) {
        addUint(t, F['sip.RAck.RSeq.seq'], tv, valueOff, i, strtoul32(valueStr), `RSeq Sequence Number: ${strtoul32(valueStr)}`);
        break;
      }
    }
    for (; i < valueLen; i++) if (value[i] !== 0x20 && value[i] !== 0x09) break;
    const cseqOff = i;
    for (; i < valueLen; i++) {
      if (!isDigit(value[i] ?? 0)) {
        const n = strtoul32(new TextDecoder().decode(value.subarray(cseqOff)));
        addUint(t, F['sip.RAck.CSeq.seq'], tv, valueOff + cseqOff, i - cseqOff, n, `CSeq Sequence Number: ${n}`);
        break;
      }
    }
    for (; i < valueLen; i++) if (isAlpha(value[i] ?? 0)) break;
    if (i === lineLen) {
      t?.close();
      throw new EarlyReturn(offset);
    }
    // packet-sip.c adds the method only when a CSeq tree exists (a CSeq header came first).
    if (t && m.cseqSet) addStr(t, field('sip.RAck.CSeq.method'), tv, valueOff + i, valueLen - i);
    t?.close();
  } catch (e) {
    if (!(e instanceof EarlyReturn)) t?.close();
    throw e;
  }
}

/** One contact-param (RFC 3261 §20.10) from `start`; returns where it ends, or -1. */
function contactItem(tv: TextTvb, t: TreeSink | null, start: number, lineEnd: number, m: Message): number {
  start = tv.skipWsp(start, lineEnd - start);
  if (start >= lineEnd) return -1;
  const u = newUri();
  if (parseNameAddr(tv, start, lineEnd, u) === -1) return -1;
  showUri(tv, t, u, URI.contact);
  const comma = tv.find(u.end, lineEnd - u.end, 0x2c);
  let ps = tv.find(u.end, lineEnd - u.end, 0x3b);
  if (comma !== -1 && (comma < ps || ps === -1)) {
    m.contactsExpiresUnknown = (m.contactsExpiresUnknown + 1) & 0xff;
    return comma;
  }
  if (ps === -1) {
    m.contactsExpiresUnknown = (m.contactsExpiresUnknown + 1) & 0xff;
    return lineEnd;
  }
  ps++;
  let cur = ps;
  let q = cur;
  let hasExpires = false;
  let endOfHeader = false;
  let c = '';
  while (cur < lineEnd) {
    c = '';
    q++;
    q = q < lineEnd ? tv.findAny(q, lineEnd - q, '\r\n,;"') : -1;
    if (q !== -1) {
      c = tv.found;
      if (c === '\r' || c === '\n') endOfHeader = true;
    }
    if (q === -1) cur = lineEnd;
    else if (c === '"') {
      q = tv.find(q + 1, lineEnd - q, 0x22);
      if (q === -1) cur = lineEnd;
      else {
        cur = tv.findAny(q + 1, lineEnd - q, ',;');
        if (cur === -1) cur = lineEnd;
        else c = tv.found;
      }
    } else cur = q;
    addStr(t, F['sip.contact.parameter'], tv, ps, cur - ps);
    if (tv.strneql(ps, 'expires=', true)) {
      const [ok, expire] = wsStrtoi32(tv.text(ps + 8, cur - (ps + 8)));
      if (!ok) return ps + 8;
      // expires=0 removes the binding (RFC 3261 §10.2.2).
      if (expire === 0) m.contactsExpires0 = (m.contactsExpires0 + 1) & 0xff;
      else hasExpires = true;
    }
    ps = cur + 1;
    q = ps;
    if (endOfHeader) cur = lineEnd;
    if (c === ',') break;
  }
  if (!hasExpires) m.contactsExpiresUnknown = (m.contactsExpiresUnknown + 1) & 0xff;
  return cur;
}

/** One auth-param (RFC 3261 §25.1, RFC 7616) from `start`; returns the ',' after it, the line end, or -1. */
function authItem(tv: TextTvb, t: TreeSink, start: number, lineEnd: number): number {
  start = tv.skipWsp(start, lineEnd - start);
  if (start >= lineEnd) return -1;
  let cur = start;
  const eq = tv.find(cur + 1, lineEnd - (cur + 1), 0x3d);
  if (eq === -1) return -1;
  const nameEnd = tv.skipWspReturn(eq - 1);
  const name = cString(tv.text(start, nameEnd - start));
  const valueOff = tv.skipWsp(eq + 1, lineEnd - (eq + 1));
  if (tv.u8(valueOff) === 0x22) {
    let s = valueOff;
    let q: number;
    do {
      s++;
      q = tv.find(s, lineEnd - s, 0x22);
    } while (q !== -1 && tv.u8(q - 1) === 0x5c);
    cur = q === -1 ? lineEnd : q + 1;
  } else {
    const q = tv.find(valueOff, lineEnd - valueOff, 0x2c);
    cur = q === -1 ? lineEnd : q;
  }
  const param = AUTH_PARAMS.find(([n]) => n === name.toLowerCase());
  if (param) addStr(t, param[1], tv, valueOff, cur - valueOff);
  else addFormatText(t, tv, start, cur - start);
  const q = tv.find(cur, lineEnd - cur, 0x2c);
  return q === -1 ? lineEnd : q;
}

/** Route, Record-Route, Service-Route, Path: a list of name-addrs. */
function routeHeader(tv: TextTvb, t: TreeSink, f: UriFieldSet, start: number, lineEnd: number): void {
  let cur = tv.skipWsp(start, lineEnd - start);
  if (cur >= lineEnd) return;
  while (cur < lineEnd) {
    cur = tv.find(cur, lineEnd - 1 - cur, 0x2c);
    const u = newUri();
    if (cur !== -1) {
      cur = parseNameAddr(tv, start, cur, u);
      if (cur === -1) return;
      showUri(tv, t, u, f);
      cur++;
      start = cur + 1;
    } else {
      if (parseNameAddr(tv, start, lineEnd, u) === -1) return;
      showUri(tv, t, u, f);
      return;
    }
    cur++;
  }
}

/** Via (RFC 3261 §20.42): sent-protocol, sent-by and parameters, for each via-parm. */
function viaHeader(tv: TextTvb, t: TreeSink, start: number, lineEnd: number): void {
  let cur = start;
  for (;;) {
    let semicolon = 0;
    let ipv6Ref = false;
    let ipv6 = false;
    cur = tv.skipWsp(cur, lineEnd - cur);
    if (cur >= lineEnd) return;
    cur = tv.find(cur, lineEnd - cur, 0x2f);
    if (cur !== -1) {
      cur++;
      cur = tv.find(cur, lineEnd - cur, 0x2f);
    }
    if (cur !== -1) {
      cur++;
      cur = tv.skipWsp(cur, lineEnd - cur);
    } else cur = lineEnd;
    let c = 0;
    while (cur < lineEnd) {
      const ts = cur;
      cur = tv.findAny(cur, lineEnd - cur, '\t /');
      if (cur !== -1) {
        addStr(t, F['sip.Via.transport'], tv, ts, cur - ts);
        if (tv.found === '/') {
          cur++;
          continue;
        }
        cur = tv.skipWsp(cur, lineEnd - cur);
        c = tv.u8(cur);
        if (c === 0x2f) {
          cur++;
          continue;
        }
        break;
      } else cur = lineEnd;
    }
    cur = tv.skipWsp(cur, lineEnd - cur);
    const addr = cur;
    let ch = '';
    while (cur < lineEnd) {
      cur = tv.findAny(cur, lineEnd - cur, '[] \t:;');
      if (cur === -1) {
        cur = lineEnd;
        break;
      }
      ch = tv.found;
      if (ch === '[') {
        ipv6Ref = true;
        ipv6 = true;
      } else if (ch === ']') ipv6Ref = false;
      if (ch === ' ' || ch === '\t' || (ch === ':' && !ipv6Ref) || ch === ';') break;
      cur++;
    }
    if (ipv6) addStr(t, F['sip.Via.sent-by.address'], tv, addr + 1, cur - addr - 2);
    else addStr(t, F['sip.Via.sent-by.address'], tv, addr, cur - addr);
    cur = tv.skipWsp(cur, lineEnd - cur);
    c = tv.u8(cur);
    if (c === 0x3a) {
      cur++;
      cur = tv.skipWsp(cur, lineEnd - cur);
      const portOff = cur;
      while (cur < lineEnd) {
        c = tv.u8(cur);
        if (!isDigit(c)) {
          if (cur > portOff) {
            const [ok, port] = wsStrtou(tv.text(portOff, cur - portOff), 16);
            t.open(F['sip.Via.sent-by.port'], tv.tvb, tv.abs(portOff), cur - portOff, port);
            if (!ok) t.expert('note', 'Invalid SIP Via sent-by-port', tv.tvb, tv.abs(portOff), cur - portOff, 'Malformed');
            t.close();
          } else return;
          break;
        }
        cur++;
      }
    }
    cur = tv.skipWsp(cur, lineEnd - cur);
    while (cur < lineEnd) {
      let equals = false;
      let endOfParams = false;
      while (cur < lineEnd) {
        c = tv.u8(cur);
        if (c === 0x3b) {
          semicolon = cur;
          cur++;
          break;
        } else if (c !== 0x20 && c !== 0x09) {
          endOfParams = true;
          break;
        }
        cur++;
      }
      if (endOfParams) break;
      if (cur === lineEnd) return;
      while (cur < lineEnd) {
        c = tv.u8(cur);
        if (!isAlpha(c) && c !== 0x2d) break;
        cur++;
      }
      if (c === 0x3d) equals = true;
      const nameEnd = cur;
      cur = tv.findAny(cur, lineEnd - cur, '\t;, ');
      if (cur === -1) cur = lineEnd;
      const name = cString(tv.text(semicolon + 1, nameEnd - semicolon - 1)).toLowerCase();
      const param = VIA_PARAMS.find(([n]) => n === name);
      if (param) {
        if (equals) {
          addStr(t, param[1], tv, nameEnd + 1, cur - nameEnd - 1, name === 'oc' || name === 'be-route');
          if (name === 'oc') {
            const v = strtoul32(tv.text(nameEnd + 1, cur - nameEnd - 1));
            t.close();
            addUint(t, field('sip.Via.oc_val'), tv, nameEnd + 1, cur - nameEnd - 1, v, `[Overload Control Value: ${v}]`);
          } else if (name === 'be-route') t.close();
        } else addStr(t, param[1], tv, semicolon + 1, cur - semicolon - 1);
      } else addFormatText(t, tv, semicolon + 1, cur - semicolon - 1);
      cur = tv.skipWsp(cur, lineEnd - cur);
      if (cur < lineEnd) {
        c = tv.u8(cur);
        if (c === 0x2c) {
          cur++;
          break;
        }
      }
    }
  }
}

/** Reason (RFC 3326): protocol, cause, text. */
function reasonHeader(tv: TextTvb, t: TreeSink, start: number, lineEnd: number): void {
  start = tv.skipWsp(start, lineEnd - start);
  if (start >= lineEnd) return;
  let semi = tv.find(start, lineEnd - start, 0x3b);
  if (semi === -1) return;
  const proto = addStr(t, F['sip.reason_protocols'], tv, start, semi - start);
  let cur = tv.find(semi, lineEnd - semi, 0x3d) + 1;
  semi = tv.find(cur, lineEnd - cur, 0x3b);
  const len = semi === -1 ? lineEnd - cur : semi - cur;
  const cause = strtoul32(tv.text(cur, len));
  const lower = proto.toLowerCase();
  if (lower === 'q.850') {
    const name = cause < Q850_CAUSES.length ? Q850_CAUSES[cause]! : 'Unknown';
    addUint(t, field('sip.reason_cause_q850'), tv, cur, len, cause, `Cause: ${name} (${cause})`);
  } else if (lower === 'sip') {
    addUint(t, field('sip.reason_cause_sip'), tv, cur, len, cause, `Cause: ${RESPONSE_CODES[cause] ?? 'Unknown'} (${cause})`);
  } else addUint(t, field('sip.reason_cause_other'), tv, cur, len, cause, `Cause: ${cause}`);
  if (semi === -1) return;
  cur = tv.find(semi, lineEnd - semi, 0x22) + 1;
  const endQuote = tv.find(cur, lineEnd - cur, 0x22);
  if (endQuote === -1) return;
  addStr(t, field('sip.reason_text'), tv, cur, endQuote - cur);
}

/** One sec-mechanism (RFC 3329 §2.2) of Security-Client, -Server or -Verify. */
function secMechanism(tv: TextTvb, t: TreeSink | null, start: number, lineEnd: number): void {
  start = tv.skipWsp(start, lineEnd - start);
  if (start >= lineEnd) return;
  let semi = tv.find(start, lineEnd - start, 0x3b);
  if (semi === -1) semi = lineEnd;
  let len = semi - start;
  addStr(t, F['sip.sec_mechanism'], tv, start, len);
  let cur = start + len + 1;
  while (cur < lineEnd) {
    cur = tv.skipWsp(cur, lineEnd - cur);
    semi = tv.find(cur, lineEnd - cur, 0x3b);
    if (semi === -1) semi = lineEnd;
    len = semi - cur;
    const eq = tv.find(cur + 1, len, 0x3d);
    if (eq === -1) return;
    const name = cString(tv.text(cur, eq - cur));
    const value = tv.text(eq + 1, semi - eq + 1);
    const param = SEC_PARAMS.find(([n]) => n === name.toLowerCase());
    if (param) {
      const [, numeric, f] = param;
      if (numeric) {
        const v = strtoul32(value);
        const bits16 = f.bits === 16;
        addUint(t, f, tv, eq + 1, semi - eq - 1, bits16 ? v & 0xffff : v, bits16 ? `${f.name}: ${v & 0xffff}` : `${f.name}: ${v} (0x${v.toString(16).padStart(8, '0')})`);
      } else addStr(t, f, tv, eq + 1, semi - eq - 1);
    } else addFormatText(t, tv, cur, len);
    cur = semi + 1;
  }
}

/** Hex digit pairs at the start of `s` (ENC_STR_HEX without separators), as bytes. */
function hexPairs(s: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i + 1 < s.length && /^[0-9a-fA-F]{2}$/.test(s.slice(i, i + 2)); i += 2) out.push(parseInt(s.slice(i, i + 2), 16));
  return Uint8Array.from(out);
}

/** A 16-byte UUID as RFC 4122 writes it. */
function guidText(b: Uint8Array): string {
  const h = Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/** Session-ID (RFC 7329; RFC 7989's local and remote UUIDs; RFC 8497's logme). */
function sessionIdHeader(tv: TextTvb, t: TreeSink, start: number, lineEnd: number): void {
  let semi = tv.find(start, lineEnd - start, 0x3b);
  if (semi === -1) semi = lineEnd;
  const len = semi - start;
  const f = field('sip.Session-ID.sess_id');
  tv.ensure(start, len);
  const local = hexPairs(cString(tv.text(start, len)));
  // The sess-id item is hidden when both UUIDs are shown: recorded, added at the end if still shown.
  const sessItem = new BufferSink();
  if (len !== 0) sessItem.add(f, tv.tvb, tv.abs(start), len, local);
  else {
    sessItem.open(f, tv.tvb, tv.abs(start), 0, local);
    sessItem.expert('warn', 'Session ID cannot be empty', tv.tvb, tv.abs(start), 0, 'Protocol');
    sessItem.close();
  }
  let cur = tv.skipWsp(start + len + 1, lineEnd - (start + len + 1));
  if (cur >= lineEnd) return sessItem.replay(t);
  const eq = tv.find(cur + 1, len, 0x3d);
  if (eq === -1) {
    sessItem.replay(t);
    addStr(t, field('sip.Session-ID.param'), tv, cur, lineEnd - cur);
    return;
  }
  const name = cString(tv.text(cur, tv.skipWspReturn(eq - 1) - cur));
  const remote = local.length === 16 && name.toLowerCase() === 'remote' ? hexPairs(cString(tv.text(eq + 1, lineEnd - eq - 1))) : null;
  if (!remote || remote.length !== 16) {
    sessItem.replay(t);
    addStr(t, field('sip.Session-ID.param'), tv, cur, lineEnd - cur);
    return;
  }
  t.add(field('sip.Session-ID.local_uuid'), tv.tvb, tv.abs(start), semi - start, guidText(local));
  t.add(field('sip.Session-ID.remote_uuid'), tv.tvb, tv.abs(eq + 1), lineEnd - eq - 1, guidText(remote));
  semi = tv.find(cur, lineEnd - cur, 0x3b);
  while (semi !== -1) {
    cur = semi + 1;
    if (cur !== lineEnd) {
      const logmeEnd = cur + 5;
      cur = tv.skipWspReturn(semi);
      const n = cString(tv.text(cur, logmeEnd - cur));
      if (n.toLowerCase() === 'logme') addUint(t, field('sip.Session-ID.logme'), tv, cur, logmeEnd - cur, true, 'logme: Set');
      else if (cur !== lineEnd) addStr(t, field('sip.Session-ID.param'), tv, cur, lineEnd - cur);
    }
    semi = tv.find(cur, lineEnd - cur, 0x3b);
  }
}

/** P-Access-Network-Info (RFC 7315 §5.4): access type, then parameters. */
function accessNetworkInfo(tv: TextTvb, t: TreeSink, start: number, lineEnd: number): void {
  start = tv.skipWsp(start, lineEnd - start);
  if (start >= lineEnd) return;
  let semi = tv.find(start, lineEnd - start, 0x3b);
  if (semi === -1) return;
  let len = semi - start;
  addStr(t, field('sip.P-Access-Network-Info.access-type'), tv, start, len);
  let cur = start + len + 1;
  while (cur < lineEnd) {
    cur = tv.skipWsp(cur, lineEnd - cur);
    semi = tv.find(cur, lineEnd - cur, 0x3b);
    if (semi === -1) semi = lineEnd;
    len = semi - cur;
    const eq = tv.find(cur + 1, len, 0x3d);
    if (eq !== -1 && cString(tv.text(cur, eq - cur)).toLowerCase() === 'utran-cell-id-3gpp') {
      addStr(t, field('sip.P-Access-Network-Info.utran-cell-id-3gpp'), tv, eq + 1, semi - eq - 1);
    } else addFormatText(t, tv, cur, len);
    cur = semi + 1;
  }
}

/** P-Charging-Vector (RFC 7315 §5.6): icid-value, then parameters. */
function chargingVector(tv: TextTvb, t: TreeSink, start: number, lineEnd: number): void {
  start = tv.skipWsp(start, lineEnd - start);
  if (start >= lineEnd) return;
  let semi = tv.find(start, lineEnd - start, 0x3b);
  if (semi === -1) semi = lineEnd;
  let len = semi - start;
  let eq = tv.find(start + 1, len, 0x3d);
  if (eq === -1) return;
  addStr(t, field('sip.icid_value'), tv, eq + 1, semi - eq - 1);
  let cur = semi + 1;
  while (cur < lineEnd) {
    cur = tv.skipWsp(cur, lineEnd - cur);
    semi = tv.find(cur, lineEnd - cur, 0x3b);
    if (semi === -1) semi = lineEnd;
    len = semi - cur;
    eq = tv.find(cur + 1, len, 0x3d);
    if (eq !== -1 && cString(tv.text(cur, eq - cur)).toLowerCase() === 'icid-gen-addr') {
      addStr(t, field('sip.icid_gen_addr'), tv, eq + 1, semi - eq - 1);
    } else addFormatText(t, tv, cur, len);
    cur = semi + 1;
  }
}

/** Feature-Caps (RFC 6809): feature-caps separated by ";+". */
function featureCaps(tv: TextTvb, t: TreeSink, start: number, lineEnd: number): void {
  let next = tv.skipWsp(start, lineEnd - start);
  if (next >= lineEnd) return;
  while (next < lineEnd) {
    const cur = next;
    let at = -1;
    for (let i = tv.abs(cur); i + 1 < tv.abs(cur) + (lineEnd - cur) && i + 1 < tv.len; i++) {
      if (tv.u8(i) === 0x3b && tv.u8(i + 1) === 0x2b) {
        at = i;
        break;
      }
    }
    let len: number;
    if (at === -1) {
      len = lineEnd - cur;
      next = lineEnd;
    } else {
      len = at - cur;
      next = at + 2;
    }
    addStr(t, F['sip.feature_cap'], tv, cur, len);
  }
}

/** Generic parameters (RFC 3261 §25.1 generic-param), each a text line. */
function genericParams(tv: TextTvb, t: TreeSink, cur: number, lineEnd: number): void {
  while (cur < lineEnd) {
    cur = tv.skipWsp(cur, lineEnd - cur);
    let semi = tv.find(cur, lineEnd - cur, 0x3b);
    if (semi === -1) semi = lineEnd;
    const len = semi - cur;
    const eq = tv.find(cur + 1, len, 0x3d);
    if (eq !== -1 && cString(tv.text(cur, eq - cur)).toLowerCase() === 'service-priority') {
      addStr(t, F['sip.service_priority'], tv, eq + 1, semi - eq - 1);
    } else addFormatText(t, tv, cur, len);
    cur = semi + 1;
  }
}

/** A list split at `sep` into text lines, when there is more than one entry (History-Info). */
function splitFormatText(tv: TextTvb, t: TreeSink, cur: number, lineEnd: number, sep: number): void {
  let firstTime = true;
  while (lineEnd > cur) {
    let c = tv.find(cur, lineEnd - cur, sep);
    if (c === -1) {
      if (firstTime) return;
      c = lineEnd;
    }
    firstTime = false;
    addFormatText(t, tv, cur, c - cur);
    cur = c + 1;
  }
}

/** P-Charging-Function-Addresses (RFC 7315 §5.5): ';'-separated, quoted strings kept whole. */
function chargingFunctionAddresses(tv: TextTvb, t: TreeSink, cur: number, lineEnd: number): void {
  let firstTime = true;
  while (lineEnd > cur) {
    const q1 = tv.find(cur, lineEnd - cur, 0x22);
    let semi: number;
    if (q1 > 0) {
      const q2 = tv.find(q1 + 1, lineEnd - (q1 + 1), 0x22);
      semi = q2 > 0 ? tv.find(q2 + 1, lineEnd - (q2 + 1), 0x3b) : tv.find(q1 + 1, lineEnd - (q1 + 1), 0x3b);
    } else semi = tv.find(cur, lineEnd - cur, 0x3b);
    if (semi === -1) {
      if (firstTime) return;
      semi = lineEnd;
    }
    firstTime = false;
    addFormatText(t, tv, cur, semi - cur);
    cur = semi + 1;
  }
}

// ---- text bodies (Wireshark's "Line-based text data") ----

/** A text body: "(type)" in Info, its lines in the tree. */
function textLines(tv: TextTvb, p: Packet, t: TreeSink | null, mediaType: string): void {
  p.layers.push('data-text-lines');
  p.cols.appendInfoSep(' ', `(${mediaType})`);
  if (t) textLinesTree(tv, t, mediaType);
}

// ---- entry points ----

/** UDP port 5060 (dissect_sip): one message per datagram. */
function dissectSipUdp(tvb: Tvb, p: Packet): boolean {
  const tv = new TextTvb(tvb);
  // SigComp (RFC 3320) messages start with 11111xxx; not dissected here.
  if ((tv.u8(0) & 0xf8) === 0xf8) return false;
  return dissectMessage(tv, 0, tvb.reportedLength, p, false, false) >= 0;
}

/** The heuristic on other UDP ports: a Request-Line or Status-Line. */
function sipUdpHeuristic(tvb: Tvb, p: Packet): boolean {
  const tv = new TextTvb(tvb);
  return dissectMessage(tv, 0, tvb.length, p, false, false) > 0;
}

/** TCP port 5060 (dissect_sip_tcp): messages one after the other, reassembled as needed. */
function dissectSipTcp(tvb: Tvb, p: Packet): boolean {
  const tv = new TextTvb(tvb);
  const octet = tv.u8(0);
  if ((octet & 0xf8) === 0xf8) return false;
  let remaining = tvb.reportedLength;
  // One non-printable byte: a keep-alive (RFC 5626 §3.5.1), not a message.
  if (remaining === 1 && !isPrint(octet)) return false;
  let offset = 0;
  for (;;) {
    if (remaining < 1500 && tv.lineEnd(offset, remaining, true) === -1) {
      desegment(p, offset, ONE_MORE_SEGMENT);
      return true;
    }
    const len = dissectMessage(tv, offset, remaining, p, true, true);
    if (len <= 0) return true;
    offset += len;
    remaining -= len;
    if (remaining <= 0) return true;
  }
}

/** The heuristic on other TCP ports (dissect_sip_tcp_heur). */
function sipTcpHeuristic(tvb: Tvb, p: Packet): boolean {
  const tv = new TextTvb(tvb);
  let offset = 0;
  let firstMsg = true;
  let remaining = tvb.length;
  while (remaining > 0) {
    const len = dissectMessage(tv, offset, remaining, p, !firstMsg, true);
    if (len === NOT_SIP) {
      if (firstMsg) return false;
      break;
    }
    if (len === NEED_MORE) break;
    offset += len;
    remaining -= len;
    firstMsg = false;
  }
  return true;
}

/** Whether a TCP payload could start a SIP message (the heuristic's first checks), changing nothing. */
function looksLikeSip(b: Uint8Array, off: number, len: number): boolean {
  const tv = new TextTvb(new Tvb(b, off, off + len, off + len));
  if (len < 1 || !isPrint(tv.u8(0))) return false;
  const lineLen = tv.lineEnd(0, len);
  if (lineLen === 0 || tv.find(0, lineLen, 0) !== -1) return false;
  return parseFirstLine(tv, 0, lineLen) !== Line.Other;
}

udpPortTable.add(SIP_PORT, dissectSipUdp);
tcpPortTable.add(SIP_PORT, dissectSipTcp);
registerTcpPayload('sip', sipTcpHeuristic);
// Wireshark tries heuristics in reverse alphabetical order: SIP before QUIC and DNS on UDP,
// after TLS and before HTTP on TCP.
udpHeuristics.unshift({ name: 'sip_udp', dissect: sipUdpHeuristic });
const httpAt = tcpHeuristics.findIndex((h) => h.name === 'http');
const sipTcp = { name: 'sip_tcp', dissect: sipTcpHeuristic, laneTest: (b: Uint8Array, off: number, len: number) => (looksLikeSip(b, off, len) ? 'unknown' as const : 'no' as const) };
if (httpAt >= 0) tcpHeuristics.splice(httpAt, 0, sipTcp);
else tcpHeuristics.push(sipTcp);
