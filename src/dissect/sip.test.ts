import { describe, expect, it } from 'vitest';
import { sipCall, sipOddFrames, sipOverTcp, sipRegistration } from './testing/sip-frames.ts';
import { decodeFrames, lines, treeText } from './testing/packets.ts';

// Expected lines: tshark 4.0.17's `tshark -r FILE -n` for the same bytes (written to pcaps by
// bench/tmp/sip-pcap.mts). SIP ends each message's Info with " | " (a fence for the next one).

describe('SIP and SDP over UDP: a call', () => {
  const cap = decodeFrames(sipCall());

  it('writes Protocol and Info as tshark 4.0.17 does', () => {
    expect(lines(cap)).toEqual([
      '    1   0.000000   192.0.2.10 → 198.51.100.5 SIP/SDP 772 Request: INVITE sip:bob@biloxi.example.com | ',
      '    2   0.001000 198.51.100.5 → 192.0.2.10   SIP 318 Status: 100 Trying | ',
      '    3   0.002000 198.51.100.5 → 192.0.2.10   SIP 406 Status: 180 Ringing | ',
      '    4   0.003000 198.51.100.5 → 192.0.2.10   SIP/SDP 640 Status: 200 OK (INVITE) | ',
      '    5   0.004000   192.0.2.10 → 198.51.100.5 SIP 364 Request: ACK sip:bob@203.0.113.20 | ',
      '    6   0.005000   192.0.2.10 → 198.51.100.5 SIP 424 Request: BYE sip:bob@203.0.113.20 | ',
      '    7   0.006000 198.51.100.5 → 192.0.2.10   SIP 321 Status: 200 OK (BYE) | ',
    ]);
  });

  it('has the request line, the headers taken apart and the SDP offer', () => {
    const f = cap.fields(1);
    expect(f.get('sip.Method')).toEqual(['INVITE']);
    expect(f.get('sip.r-uri')).toEqual(['sip:bob@biloxi.example.com']);
    expect(f.get('sip.r-uri.user')).toEqual(['bob']);
    expect(f.get('sip.Call-ID')).toEqual(['a84b4c76e66710@pc33.example.com']);
    expect(f.get('sip.from.user')).toEqual(['alice']);
    expect(f.get('sip.from.tag')).toEqual(['1928301774']);
    expect(f.get('sip.CSeq.seq')).toEqual([314159]);
    expect(f.get('sip.CSeq.method')).toEqual(['INVITE']);
    expect(f.get('sip.Via.branch')).toEqual(['z9hG4bK776asdhds']);
    expect(f.get('sip.Content-Length')).toEqual([287]);
    expect(f.get('sdp.owner.username')).toEqual(['alice']);
    expect(f.get('sdp.media')).toEqual(['audio 49170 RTP/AVP 0 8 97 101']);
    expect(f.get('sdp.media.port')).toEqual([49170]);
    expect(f.get('sdp.media.format')).toEqual(['ITU-T G.711 PCMU', 'ITU-T G.711 PCMA', 'DynamicRTP-Type-97', 'DynamicRTP-Type-101', '0', '8', '97', '97', '101', '101']);
    expect(f.get('sdp.mime.type')).toEqual(['PCMU', 'PCMA', 'iLBC', 'telephone-event']);
    expect(treeText(cap.tree(1).items)).toMatchSnapshot();
  });

  it('links responses to their request and shows the dialog on the SDP', () => {
    const ok = treeText(cap.tree(4).items);
    expect(ok).toContain('[Request Frame: 1]');
    expect(ok).toContain('[Response Time (ms): 3]');
    expect(ok).toContain('Bandwidth Value: 64 kb/s');
    // The offer set up media on this conversation: the answer's SDP names the dialog.
    expect(ok.split('[Generated Call-ID: a84b4c76e66710@pc33.example.com]')).toHaveLength(3);
    expect(cap.fields(2).get('sip.Status-Code')).toEqual([100]);
    // The ACK's setup time, the BYE's release time (RFC 3261 §17.1.1.3, §15.1).
    expect(treeText(cap.tree(5).items)).toContain('[Response Time (ms): 4]');
    expect(treeText(cap.tree(7).items)).toContain('[Release Time (ms): 1]');
    expect(cap.fields(6).get('sip.reason_cause_q850')).toEqual([16]);
    expect(treeText(cap.tree(6).items)).toContain('Cause: Normal call clearing (16)');
  });

  it('flags retransmissions as tshark does', () => {
    const c = sipCall();
    const again = decodeFrames([c[0]!, c[0]!, c[3]!, c[3]!]);
    expect(again.fields(1).get('sip.resend')).toEqual([false]);
    expect(again.fields(2).get('sip.resend')).toEqual([true]);
    expect(again.fields(2).get('sip.resend-original')).toEqual([1]);
    expect(again.fields(4).get('sip.resend-original')).toEqual([3]);
    expect(again.fields(4).get('sip.response-request')).toEqual([1]);
  });
});

describe('SIP registration with Digest authentication', () => {
  const cap = decodeFrames(sipRegistration());

  it('counts bindings in Info as tshark 4.0.17 does', () => {
    expect(lines(cap)).toEqual([
      '    1   0.000000   192.0.2.10 → 198.51.100.5 SIP 364 Request: REGISTER sip:example.com  (1 binding) | ',
      '    2   0.001000 198.51.100.5 → 192.0.2.10   SIP 460 Status: 401 Unauthorized | ',
      '    3   0.002000   192.0.2.10 → 198.51.100.5 SIP 575 Request: REGISTER sip:example.com  (1 binding) | ',
      '    4   0.003000 198.51.100.5 → 192.0.2.10   SIP 399 Status: 200 OK (REGISTER)  (1 binding) | ',
      '    5   0.004000   192.0.2.10 → 198.51.100.5 SIP 319 Request: REGISTER sip:example.com  (remove all bindings) | ',
    ]);
  });

  it('takes the challenge and the credentials apart, compact header names too', () => {
    const challenge = cap.fields(2);
    expect(challenge.get('sip.auth.scheme')).toEqual(['Digest']);
    expect(challenge.get('sip.auth.realm')).toEqual(['"example.com"']);
    expect(challenge.get('sip.auth.nonce')).toEqual(['"ea9c8e88df84f1cec4341ae6cbe5a359"']);
    expect(treeText(cap.tree(2).items)).toContain('Stale Flag: FALSE');
    const answer = cap.fields(3);
    expect(answer.get('sip.auth.username')).toEqual(['"alice"']);
    expect(answer.get('sip.auth.digest.response')).toEqual(['"6629fae49393a05397450978507c4ef1"']);
    expect(answer.get('sip.Call-ID')).toEqual(['843817637684230@998sdasdh09']); // from "i:"
    expect(answer.get('sip.to.user')).toEqual(['alice']); // from "t:"
    expect(answer.get('sip.contact.parameter')).toEqual(['expires=3600']); // from "m:"
  });
});

describe('SIP over TCP and the odd cases', () => {
  it('reassembles a message split across segments', () => {
    const cap = decodeFrames(sipOverTcp().frames);
    expect(lines(cap)).toEqual([
      '    1   0.000000   192.0.2.10 → 198.51.100.5 TCP 269 49152 → 5060 [PSH, ACK] Seq=1 Ack=1 Win=64240 Len=215 [TCP segment of a reassembled PDU]',
      '    2   0.001000   192.0.2.10 → 198.51.100.5 SIP 193 Request: OPTIONS sip:carol@chicago.example.com | ',
      '    3   0.002000 198.51.100.5 → 192.0.2.10   SIP 387 Status: 200 OK (OPTIONS) | ',
    ]);
    expect(cap.fields(2).get('sip.Method')).toEqual(['OPTIONS']);
    expect(cap.fields(2).get('sip.Via.transport')).toEqual(['TCP']);
  });

  it('finds SIP on another port, stops where tshark stops on broken ones', () => {
    const cap = decodeFrames(sipOddFrames());
    expect(lines(cap)).toEqual([
      '    1   0.000000 198.51.100.5 → 192.0.2.10   SIP 441 Request: NOTIFY sip:alice@192.0.2.10:5062 | ',
      '    2   0.001000   192.0.2.10 → 198.51.100.5 SIP 363 Request: MESSAGE sip:bob@biloxi.example.com[Packet size limited during capture]',
      '    3   0.002000   192.0.2.10 → 198.51.100.5 SIP 146 Request: OPTIONS sip:bob@biloxi.example.com[Malformed Packet]',
      '    4   0.003000   192.0.2.10 → 198.51.100.5 UDP 49 5060 → 5060 Len=7',
    ]);
    // A body without a dissector is shown a line at a time.
    expect(treeText(cap.tree(1).items)).toContain('Voice-Message: 2/8 (0/2)\\r\\n');
    // The last header line has no CRLF: the warning about the missing empty line is where it fails.
    expect(cap.fields(3).get('sip.CSeq')).toEqual(['7 OPTIONS']);
  });
});
