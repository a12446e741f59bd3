import { describe, expect, it } from 'vitest';
import { decodeNetbiosName } from './nbns.ts';
import { bytes, decodeFrames, eth, ipv4, ipv4Addr, treeText, u16, u32, udp } from './testing/packets.ts';

// Expected texts are what tshark 4.0.17 prints for the same bytes (`tshark -r x.pcap -n`).

/** A NetBIOS name in first-level encoding (RFC 1001 §14.1), as one DNS label. */
function nbName(name: string, type: number): number[] {
  const raw = [...name.padEnd(15, ' ')].map((c) => c.charCodeAt(0)).concat(type);
  return [32, ...raw.flatMap((b) => [65 + (b >> 4), 65 + (b & 15)]), 0];
}
const header = (id: number, flags: number, q: number, an: number, ns = 0, ar = 0) => bytes(u16(id), u16(flags), u16(q), u16(an), u16(ns), u16(ar));
const nbns = (msg: Uint8Array) => eth(ipv4(udp({ sport: 137, dport: 137, payload: msg }), { proto: 17, src: '192.0.2.7', dst: '192.0.2.255' }));
const nbRecord = (name: string, type: number, addr: string) => bytes(nbName(name, type), u16(32), u16(1), u32(300000), u16(6), u16(0), ipv4Addr(addr));

const FRAMES = [
  nbns(bytes(header(0x8001, 0x0110, 1, 0), nbName('WPAD', 0x00), u16(32), u16(1))), // query, broadcast
  nbns(bytes(header(0x8001, 0x8500, 0, 1), nbRecord('WPAD', 0x00, '192.0.2.50'))), // positive response
  nbns(bytes(header(0x8002, 0x8503, 0, 1), bytes(nbName('NOSUCH', 0x20), u16(32), u16(1), u32(0), u16(0)))), // negative
  nbns(bytes(header(0x8003, 0x2910, 1, 0, 0, 1), nbName('LAB-PC', 0x20), u16(32), u16(1), nbRecord('LAB-PC', 0x20, '192.0.2.7'))), // registration
  nbns(bytes(header(0x8004, 0x0000, 1, 0), nbName('*', 0x00), u16(33), u16(1))), // NBSTAT for "*"
];

describe('NBNS', () => {
  it('writes queries, answers and errors in Info as tshark does', () => {
    const cap = decodeFrames(FRAMES);
    expect(cap.rows.map((r) => [r.protocol, r.info])).toEqual([
      ['NBNS', 'Name query NB WPAD<00>'],
      ['NBNS', 'Name query response NB 192.0.2.50'],
      // a negative answer with no address: tshark still reads one for Info, past the end
      ['NBNS', 'Name query response, Requested name does not exist[Malformed Packet]'],
      ['NBNS', 'Registration NB LAB-PC<20>'],
      ['NBNS', 'Name query NBSTAT *<00>'],
    ]);
    expect(cap.fields(2).get('nbns.addr')).toEqual([0xc0000232]);
    expect(treeText(cap.tree(2).items)).toMatchSnapshot();
  });

  it('names what breaks the first-level encoding', () => {
    expect(decodeNetbiosName('FHFAEBEECACACACACACACACACACACAAA')).toBe('WPAD<00>');
    expect(decodeNetbiosName('FHFAEBEE')).toBe('Illegal NetBIOS name (4 bytes long)');
    expect(decodeNetbiosName('fHFA')).toBe('Illegal NetBIOS name (1st character not between A and Z in first-level encoding)');
    expect(decodeNetbiosName('FHF')).toBe('Illegal NetBIOS name (odd number of bytes)');
    expect(decodeNetbiosName('FHFAEBEECACACACACACACACACACACAAA.example.com')).toBe('WPAD<00>.example.com');
  });
});
