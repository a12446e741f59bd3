// Test-only: SIP (RFC 3261) as a softphone and its proxy exchange it — a call set up with an SDP
// offer and answer (RFC 3264) and torn down, a registration challenged with Digest
// authentication (RFC 3261 §22), a message over TCP split across two segments, a message on a
// port SIP is only found on by its heuristic, and broken ones — for sip.test.ts (tshark 4.0.17
// was shown them: bench/tmp/sip-pcap.mts writes them to a pcap).

import { eth, ipv4, udp, type FrameSpec } from './packets.ts';
import { TcpConv } from './tls-builders.ts';

const PHONE = '192.0.2.10';
const PROXY = '198.51.100.5';
const CALL_ID = 'a84b4c76e66710@pc33.example.com';

/** CRLF line ends (RFC 3261 §7), Content-Length computed. */
function sip(firstLine: string, headers: string[], body = ''): string {
  return [firstLine, ...headers, `Content-Length: ${body.length}`, '', body].join('\r\n');
}

function udpFrame(src: string, dst: string, payload: string | Uint8Array, sport = 5060, dport = 5060): Uint8Array {
  const bytes = typeof payload === 'string' ? new TextEncoder().encode(payload) : payload;
  return eth(ipv4(udp({ sport, dport, payload: bytes }), { src, dst, proto: 17 }));
}

const OFFER = [
  'v=0',
  'o=alice 2890844526 2890844526 IN IP4 pc33.example.com',
  's=Session SDP',
  'c=IN IP4 192.0.2.10',
  't=0 0',
  'm=audio 49170 RTP/AVP 0 8 97 101',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:8 PCMA/8000',
  'a=rtpmap:97 iLBC/8000',
  'a=fmtp:97 mode=30',
  'a=rtpmap:101 telephone-event/8000',
  'a=fmtp:101 0-15',
  'a=sendrecv',
  '',
].join('\r\n');

const ANSWER = [
  'v=0',
  'o=bob 2808844564 2808844564 IN IP4 host.biloxi.example.com',
  's=-',
  'c=IN IP4 203.0.113.20',
  'b=AS:64',
  't=0 0',
  'm=audio 3456 RTP/AVP 0 101',
  'a=rtpmap:0 PCMU/8000',
  'a=rtpmap:101 telephone-event/8000',
  'a=ptime:20',
  '',
].join('\r\n');

const FROM = 'From: "Alice" <sip:alice@example.com>;tag=1928301774';
const TO = 'To: <sip:bob@biloxi.example.com>';
const TO_TAGGED = 'To: <sip:bob@biloxi.example.com>;tag=a6c85cf';

/** A call (RFC 3261 §24.2 and RFC 3665 §3.1): INVITE … 200 OK to BYE, over UDP. */
export function sipCall(): Uint8Array[] {
  const via = `Via: SIP/2.0/UDP ${PHONE}:5060;branch=z9hG4bK776asdhds;rport`;
  const viaBye = `Via: SIP/2.0/UDP ${PHONE}:5060;branch=z9hG4bKnashds8;rport`;
  const up = (s: string) => udpFrame(PHONE, PROXY, s);
  const down = (s: string) => udpFrame(PROXY, PHONE, s);
  return [
    up(sip('INVITE sip:bob@biloxi.example.com SIP/2.0', [via, 'Max-Forwards: 70', FROM, TO, `Call-ID: ${CALL_ID}`, 'CSeq: 314159 INVITE',
      `Contact: <sip:alice@${PHONE}:5060>`, 'User-Agent: PcapLadder-Test/1.0', 'Allow: INVITE, ACK, CANCEL, BYE, OPTIONS',
      'Content-Type: application/sdp'], OFFER)),
    down(sip('SIP/2.0 100 Trying', [`${via};received=${PHONE}`, FROM, TO, `Call-ID: ${CALL_ID}`, 'CSeq: 314159 INVITE'])),
    down(sip('SIP/2.0 180 Ringing', [`${via};received=${PHONE}`, 'Record-Route: <sip:proxy.example.com;lr>', FROM, TO_TAGGED,
      `Call-ID: ${CALL_ID}`, 'CSeq: 314159 INVITE', 'Contact: <sip:bob@203.0.113.20>'])),
    down(sip('SIP/2.0 200 OK', [`${via};received=${PHONE}`, 'Record-Route: <sip:proxy.example.com;lr>', FROM, TO_TAGGED,
      `Call-ID: ${CALL_ID}`, 'CSeq: 314159 INVITE', 'Contact: <sip:bob@203.0.113.20>', 'Content-Type: application/sdp'], ANSWER)),
    up(sip('ACK sip:bob@203.0.113.20 SIP/2.0', [`Via: SIP/2.0/UDP ${PHONE}:5060;branch=z9hG4bK74b76`, 'Route: <sip:proxy.example.com;lr>',
      'Max-Forwards: 70', FROM, TO_TAGGED, `Call-ID: ${CALL_ID}`, 'CSeq: 314159 ACK'])),
    up(sip('BYE sip:bob@203.0.113.20 SIP/2.0', [viaBye, 'Route: <sip:proxy.example.com;lr>', 'Max-Forwards: 70', FROM, TO_TAGGED,
      `Call-ID: ${CALL_ID}`, 'CSeq: 314160 BYE', 'Reason: Q.850;cause=16;text="Normal call clearing"'])),
    down(sip('SIP/2.0 200 OK', [`${viaBye};received=${PHONE}`, FROM, TO_TAGGED, `Call-ID: ${CALL_ID}`, 'CSeq: 314160 BYE'])),
  ];
}

/** A registration (RFC 3261 §10, §22.4): challenged, then answered with credentials; compact forms on the way. */
export function sipRegistration(): Uint8Array[] {
  const regId = '843817637684230@998sdasdh09';
  const via = `Via: SIP/2.0/UDP ${PHONE}:5060;branch=z9hG4bKnashds7`;
  const via2 = `Via: SIP/2.0/UDP ${PHONE}:5060;branch=z9hG4bKnashds8`;
  const from = 'From: Alice <sip:alice@example.com>;tag=456248';
  const to = 'To: Alice <sip:alice@example.com>';
  const contact = `Contact: <sip:alice@${PHONE}:5060>;expires=3600`;
  const nonce = 'ea9c8e88df84f1cec4341ae6cbe5a359';
  return [
    udpFrame(PHONE, PROXY, sip('REGISTER sip:example.com SIP/2.0', [via, 'Max-Forwards: 70', from, to, `Call-ID: ${regId}`, 'CSeq: 1826 REGISTER', contact])),
    udpFrame(PROXY, PHONE, sip('SIP/2.0 401 Unauthorized', [`${via};received=${PHONE}`, from, `${to};tag=2493k59kd`, `Call-ID: ${regId}`,
      'CSeq: 1826 REGISTER', `WWW-Authenticate: Digest realm="example.com", qop="auth", nonce="${nonce}", opaque="", stale=FALSE, algorithm=MD5`])),
    udpFrame(PHONE, PROXY, sip('REGISTER sip:example.com SIP/2.0', [via2, 'Max-Forwards: 70', from, 't: Alice <sip:alice@example.com>', `i: ${regId}`,
      'CSeq: 1827 REGISTER', `m: <sip:alice@${PHONE}:5060>;expires=3600`,
      `Authorization: Digest username="alice", realm="example.com", nonce="${nonce}", uri="sip:example.com", qop=auth, nc=00000001, cnonce="0a4f113b", response="6629fae49393a05397450978507c4ef1", opaque=""`])),
    udpFrame(PROXY, PHONE, sip('SIP/2.0 200 OK', [`${via2};received=${PHONE}`, from, `${to};tag=2493k59kd`, `Call-ID: ${regId}`,
      'CSeq: 1827 REGISTER', `Contact: <sip:alice@${PHONE}:5060>;expires=3600`, 'Date: Sat, 13 Nov 2010 23:29:00 GMT'])),
    // Removing every binding (RFC 3261 §10.2.2).
    udpFrame(PHONE, PROXY, sip('REGISTER sip:example.com SIP/2.0', [via2.replace('ds8', 'ds9'), from, to, `Call-ID: ${regId}`, 'CSeq: 1828 REGISTER', 'Contact: *', 'Expires: 0'])),
  ];
}

/** An OPTIONS request over TCP, its header block split across two segments, and the answer. */
export function sipOverTcp(): TcpConv {
  const req = sip('OPTIONS sip:carol@chicago.example.com SIP/2.0', [
    `Via: SIP/2.0/TCP ${PHONE}:49152;branch=z9hG4bKhjhs8ass877`, 'Max-Forwards: 70', 'To: <sip:carol@chicago.example.com>',
    'From: Alice <sip:alice@example.com>;tag=1928301774', 'Call-ID: a84b4c76e66710', 'CSeq: 63104 OPTIONS',
    `Contact: <sip:alice@${PHONE};transport=tcp>`, 'Accept: application/sdp']);
  const cut = req.indexOf('Call-ID');
  const resp = sip('SIP/2.0 200 OK', [`Via: SIP/2.0/TCP ${PHONE}:49152;branch=z9hG4bKhjhs8ass877;received=${PHONE}`,
    'To: <sip:carol@chicago.example.com>;tag=93810874', 'From: Alice <sip:alice@example.com>;tag=1928301774', 'Call-ID: a84b4c76e66710',
    'CSeq: 63104 OPTIONS', 'Allow: INVITE, ACK, CANCEL, OPTIONS, BYE', 'Accept: application/sdp']);
  return new TcpConv(49152, 5060, PHONE, PROXY).c(req.slice(0, cut)).c(req.slice(cut)).s(resp);
}

/** Messages that do not go well: on another port, cut by the snap length, without an end of header. */
export function sipOddFrames(): FrameSpec[] {
  const notify = sip('NOTIFY sip:alice@192.0.2.10:5062 SIP/2.0', [`Via: SIP/2.0/UDP ${PROXY}:5062;branch=z9hG4bK4711`,
    'From: <sip:alice@example.com>;tag=ab12', 'To: <sip:alice@example.com>;tag=cd34', 'Call-ID: 4711@proxy', 'CSeq: 20 NOTIFY',
    'Event: message-summary', 'Subscription-State: active;expires=3600', 'Content-Type: application/simple-message-summary'],
  'Messages-Waiting: yes\r\nVoice-Message: 2/8 (0/2)\r\n');
  const full = udpFrame(PHONE, PROXY, sip('MESSAGE sip:bob@biloxi.example.com SIP/2.0', [`Via: SIP/2.0/UDP ${PHONE}:5060;branch=z9hG4bK776sgdkse`,
    'Max-Forwards: 70', FROM, TO, 'Call-ID: asd88asd77a@1.2.3.4', 'CSeq: 1 MESSAGE', 'Content-Type: text/plain'], 'Watson, come here.'));
  const cut = full.subarray(0, 14 + 20 + 8 + 120);
  const unterminated = new TextEncoder().encode(`OPTIONS sip:bob@biloxi.example.com SIP/2.0\r\nVia: SIP/2.0/UDP ${PHONE};branch=z9hG4bK5\r\nCSeq: 7 OPTIONS`);
  return [
    { data: udpFrame(PROXY, PHONE, notify, 5062, 5062) },
    { data: cut, origLen: full.length },
    { data: udpFrame(PHONE, PROXY, unterminated) },
    // A datagram on port 5060 that is not SIP.
    { data: udpFrame(PHONE, PROXY, 'hello\r\n') },
  ];
}
