import { describe, expect, it } from 'vitest';
import { decodeFrames, eth, ipv4, treeText, udp } from './testing/packets.ts';

// Expected texts: what tshark 4.0.17 prints for the same bytes (`tshark -r x.pcap -n`, `-V`).

const ANNOUNCE = '{"host_int": 4094514483, "version": [2, 0], "displayname": "", "port": 17500, "namespaces": [20524257]}';
const frame = (payload: string) => eth(ipv4(udp({ sport: 17500, dport: 17500, payload }), { proto: 17, dst: '255.255.255.255' }));

describe('Dropbox LAN sync discovery', () => {
  it('names the broadcast and shows its JSON', () => {
    const cap = decodeFrames([frame(ANNOUNCE)]);
    expect([cap.rows[0]!.protocol, cap.rows[0]!.info]).toEqual(['DB-LSP-DISC/JSON', 'Dropbox LAN sync Discovery Protocol, JavaScript Object Notation']);
    const tree = treeText(cap.tree(1).items);
    expect(tree.slice(tree.indexOf('Dropbox'))).toMatchSnapshot();
    expect(tree).toContain('[Path with value: /version/[]:2]');
    expect(cap.packets[0]!.layers.slice(-2)).toEqual(['db-lsp-disc', 'json']);
  });
});
