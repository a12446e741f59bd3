import { describe, expect, it } from 'vitest';
import { eapolFrames } from './testing/eapol-frames.ts';
import { decodeFrames, lines, treeText } from './testing/packets.ts';

// Expected lines are what tshark 4.0.17 prints for the same bytes (`tshark -r x.pcap -n`).

describe('EAPOL and EAP', () => {
  const { wlan, ethernet } = eapolFrames();

  it('names the messages of the WPA 4-way and group-key handshakes', () => {
    const cap = decodeFrames(wlan, 105);
    expect(lines(cap)).toEqual([
      '    1   0.000000 02:aa:00:00:00:01 → 02:bb:00:00:00:02 EAPOL 131 Key (Message 1 of 4)',
      '    2   0.001000 02:bb:00:00:00:02 → 02:aa:00:00:00:01 EAPOL 153 Key (Message 2 of 4)',
      '    3   0.002000 02:aa:00:00:00:01 → 02:bb:00:00:00:02 EAPOL 187 Key (Message 3 of 4)',
      '    4   0.003000 02:bb:00:00:00:02 → 02:aa:00:00:00:01 EAPOL 131 Key (Message 4 of 4)',
      '    5   0.004000 02:aa:00:00:00:01 → 02:bb:00:00:00:02 EAPOL 171 Key (Group Message 1 of 2)',
      '    6   0.005000 02:bb:00:00:00:02 → 02:aa:00:00:00:01 EAPOL 131 Key (Group Message 2 of 2)',
    ]);
    expect(cap.fields(2).get('wlan_rsna_eapol.keydes.msgnr')).toEqual([2]);
    expect(cap.fields(2).get('wlan.rsn.version')).toEqual([1]);
    expect(treeText(cap.tree(2).items)).toMatchSnapshot();
    expect(treeText(cap.tree(3).items)).toMatchSnapshot();
  });

  it('shows 802.1X over Ethernet: Start, EAP identity and MD5 exchange, Success, Logoff', () => {
    const cap = decodeFrames(ethernet);
    expect(lines(cap)).toEqual([
      '    1   0.000000 02:bb:00:00:00:02 → 01:80:c2:00:00:03 EAPOL 18 Start',
      '    2   0.001000 02:aa:00:00:00:01 → 02:bb:00:00:00:02 EAP 23 Request, Identity',
      '    3   0.002000 02:bb:00:00:00:02 → 01:80:c2:00:00:03 EAP 28 Response, Identity',
      '    4   0.003000 02:aa:00:00:00:01 → 02:bb:00:00:00:02 EAP 40 Request, MD5-Challenge EAP (EAP-MD5-CHALLENGE)',
      '    5   0.004000 02:bb:00:00:00:02 → 01:80:c2:00:00:03 EAP 40 Response, MD5-Challenge EAP (EAP-MD5-CHALLENGE)',
      '    6   0.005000 02:aa:00:00:00:01 → 02:bb:00:00:00:02 EAP 22 Success',
      '    7   0.006000 02:bb:00:00:00:02 → 01:80:c2:00:00:03 EAPOL 18 Logoff',
    ]);
    expect(cap.fields(3).get('eap.identity')).toEqual(['alice']);
    expect(treeText(cap.tree(4).items)).toMatchSnapshot();
  });

  it('survives frames cut anywhere', () => {
    for (let cut = 20; cut < 160; cut += 7) {
      const cap = decodeFrames(wlan.map((f) => f.subarray(0, Math.min(cut, f.length))), 105);
      for (let n = 1; n <= wlan.length; n++) cap.tree(n);
      expect(cap.decoder.state.dissectorBugs).toBe(0);
    }
  });
});
