import { describe, expect, it } from 'vitest';
import { ACK, decodeFrames, eth, ipv4, PSH, SYN, tcp, treeText } from './testing/packets.ts';

// Expected texts are what tshark 4.0.17 prints for the same bytes (`tshark -r x.pcap -n`).

const C = { src: '192.0.2.1', dst: '192.0.2.21' };
const S = { src: '192.0.2.21', dst: '192.0.2.1' };
let cseq = 1001;
let sseq = 5001;
const fromServer = (text: string) => {
  const f = eth(ipv4(tcp({ sport: 21, dport: 40021, flags: PSH | ACK, seq: sseq, ack: cseq, win: 509, payload: text }), S));
  sseq += text.length;
  return f;
};
const fromClient = (text: string) => {
  const f = eth(ipv4(tcp({ sport: 40021, dport: 21, flags: PSH | ACK, seq: cseq, ack: sseq, win: 502, payload: text }), C));
  cseq += text.length;
  return f;
};

const FRAMES = [
  eth(ipv4(tcp({ sport: 40021, dport: 21, flags: SYN, seq: 1000, win: 64240 }), C)),
  eth(ipv4(tcp({ sport: 21, dport: 40021, flags: SYN | ACK, seq: 5000, ack: 1001, win: 65160 }), S)),
  eth(ipv4(tcp({ sport: 40021, dport: 21, flags: ACK, seq: 1001, ack: 5001, win: 502 }), C)),
  fromServer('220 (vsFTPd 3.0.3)\r\n'),
  fromClient('USER student\r\n'),
  fromServer('331 Please specify the password.\r\n'),
  fromClient('PASS secret\r\n'),
  fromServer('230-Welcome.\r\n230 Login successful.\r\n'),
];

describe('FTP', () => {
  it('shows the commands and replies, the password in clear, as tshark does', () => {
    const cap = decodeFrames(FRAMES);
    expect(cap.rows.slice(3).map((r) => [r.protocol, r.info])).toEqual([
      ['FTP', 'Response: 220 (vsFTPd 3.0.3)'],
      ['FTP', 'Request: USER student'],
      ['FTP', 'Response: 331 Please specify the password.'],
      ['FTP', 'Request: PASS secret'],
      ['FTP', 'Response: 230-Welcome.'],
    ]);
    expect(cap.fields(7).get('ftp.request.arg')).toEqual(['secret']);
    expect(cap.fields(8).get('ftp.response.code')).toEqual([230]);
    expect(treeText(cap.tree(8).items)).toMatchSnapshot();
  });
});
