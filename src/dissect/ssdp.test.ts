import { describe, expect, it } from 'vitest';
import { decodeFrames, eth, ipv4, treeText, udp } from './testing/packets.ts';

// Expected texts are what tshark 4.0.17 prints for the same bytes (`tshark -r x.pcap -n`).

const ssdp = (text: string, sport = 50000, dport = 1900) =>
  eth(ipv4(udp({ sport, dport, payload: text }), { proto: 17, src: '192.0.2.7', dst: '239.255.255.250' }));

const FRAMES = [
  ssdp('M-SEARCH * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nMAN: "ssdp:discover"\r\nMX: 1\r\nST: ssdp:all\r\n\r\n'),
  ssdp('HTTP/1.1 200 OK\r\nCACHE-CONTROL: max-age=1800\r\nST: upnp:rootdevice\r\nUSN: uuid:1234::upnp:rootdevice\r\n\r\n', 1900, 50000),
  ssdp('NOTIFY * HTTP/1.1\r\nHOST: 239.255.255.250:1900\r\nNT: upnp:rootdevice\r\nNTS: ssdp:alive\r\n\r\n', 1900, 1900),
  ssdp('not an SSDP message'),
];

describe('SSDP', () => {
  it('names M-SEARCH, NOTIFY and answers by their first line, as tshark does', () => {
    const cap = decodeFrames(FRAMES);
    expect(cap.rows.map((r) => [r.protocol, r.info])).toEqual([
      ['SSDP', 'M-SEARCH * HTTP/1.1 '],
      ['SSDP', 'HTTP/1.1 200 OK '],
      ['SSDP', 'NOTIFY * HTTP/1.1 '],
      ['SSDP', 'Continuation'],
    ]);
    expect(cap.fields(1).get('http.request.method')).toEqual(['M-SEARCH']);
    expect(cap.fields(2).get('http.response.code')).toEqual([200]);
    expect(treeText(cap.tree(1).items)).toMatchSnapshot();
  });
});
