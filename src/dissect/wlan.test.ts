import { describe, expect, it } from 'vitest';
import { decodeFrames, lines, treeText } from './testing/packets.ts';
import { radiotapFrames, wlanFrames } from './testing/wlan-frames.ts';

// Expected lines are what tshark 4.0.17 prints for the same bytes (`tshark -r x.pcap -n`).

describe('IEEE 802.11', () => {
  const cap = decodeFrames(wlanFrames(), 105);

  it('summarises management, control and data frames as tshark does', () => {
    expect(lines(cap)).toEqual([
      '    1   0.000000 02:aa:00:00:00:01 → ff:ff:ff:ff:ff:ff 802.11 58 Beacon frame, SN=100, FN=0, Flags=........, BI=100, SSID="TESTNET"',
      '    2   0.001000 02:bb:00:00:00:02 → ff:ff:ff:ff:ff:ff 802.11 36 Probe Request, SN=7, FN=0, Flags=........, SSID=Wildcard (Broadcast)',
      '    3   0.002000 02:aa:00:00:00:01 → 02:bb:00:00:00:02 802.11 58 Probe Response, SN=101, FN=0, Flags=........, BI=100, SSID="TESTNET"',
      '    4   0.003000 02:bb:00:00:00:02 → 02:aa:00:00:00:01 802.11 30 Authentication, SN=8, FN=0, Flags=........',
      '    5   0.004000 02:aa:00:00:00:01 → 02:bb:00:00:00:02 802.11 30 Authentication, SN=102, FN=0, Flags=........',
      '    6   0.005000 02:bb:00:00:00:02 → 02:aa:00:00:00:01 802.11 47 Association Request, SN=9, FN=0, Flags=........, SSID="TESTNET"',
      '    7   0.006000 02:aa:00:00:00:01 → 02:bb:00:00:00:02 802.11 40 Association Response, SN=103, FN=0, Flags=........',
      '    8   0.007000 02:bb:00:00:00:02 (TA) → 02:aa:00:00:00:01 (RA) 802.11 16 Request-to-send, Flags=........',
      '    9   0.008000              → 02:bb:00:00:00:02 (RA) 802.11 10 Clear-to-send, Flags=........',
      '   10   0.009000 192.168.1.20 → 192.168.1.1  DNS 87 Standard query 0x2a2a A wifi.test',
      '   11   0.010000              → 02:bb:00:00:00:02 (RA) 802.11 10 Acknowledgement, Flags=........',
      '   12   0.011000 02:cc:00:00:00:03 → 02:bb:00:00:00:02 ARP 62 192.168.1.1 is at 02:cc:00:00:00:03',
      '   13   0.012000 02:bb:00:00:00:02 → 02:aa:00:00:00:01 802.11 24 Null function (No data), SN=11, FN=0, Flags=...P...T',
      '   14   0.013000 02:bb:00:00:00:02 → 02:cc:00:00:00:03 802.11 72 Data, SN=12, FN=0, Flags=.p.....T',
      '   15   0.014000 02:aa:00:00:00:01 → 02:bb:00:00:00:02 802.11 26 Deauthentication, SN=105, FN=0, Flags=........',
      '   16   0.015000 02:bb:00:00:00:02 → 02:aa:00:00:00:01 802.11 26 Disassociate, SN=13, FN=0, Flags=....R...',
    ]);
  });

  it('hands data frames on through LLC/SNAP, and keeps protected payloads as data', () => {
    expect(cap.packets[9]!.layers).toEqual(['frame', 'wlan', 'llc', 'ip', 'udp', 'dns']);
    expect(cap.packets[13]!.layers).toEqual(['frame', 'wlan', 'data']);
    expect(cap.fields(1).get('wlan.ssid')?.map((b) => new TextDecoder().decode(b as Uint8Array))).toEqual(['TESTNET']);
    expect(cap.fields(12).get('wlan.qos.tid')).toEqual([6]);
  });

  it('shows the details tshark shows', () => {
    for (const n of [1, 7, 8, 12, 14, 16]) expect(treeText(cap.tree(n).items)).toMatchSnapshot(`frame ${n}`);
  });

  it('survives frames cut anywhere', () => {
    const frames = wlanFrames();
    for (let cut = 1; cut < 60; cut += 3) {
      const short = decodeFrames(frames.map((f) => f.subarray(0, Math.min(cut, f.length))), 105);
      for (let n = 1; n <= frames.length; n++) short.tree(n);
      expect(short.decoder.state.dissectorBugs).toBe(0);
    }
  });
});

describe('Radiotap', () => {
  const cap = decodeFrames(radiotapFrames(), 127);

  it('reads the radio header, and the FCS flag decides the 802.11 frame’s end', () => {
    expect(lines(cap)).toEqual([
      '    1   0.000000 02:aa:00:00:00:01 → ff:ff:ff:ff:ff:ff 802.11 86 Beacon frame, SN=100, FN=0, Flags=........C, BI=100, SSID="TESTNET"',
      '    2   0.001000 02:bb:00:00:00:02 → ff:ff:ff:ff:ff:ff 802.11 64 Probe Request, SN=7, FN=0, Flags=........C, SSID=Wildcard (Broadcast)',
      '    3   0.002000 02:bb:00:00:00:02 → 02:aa:00:00:00:01 802.11 54 Authentication, SN=8, FN=0, Flags=........',
    ]);
    expect(cap.fields(1).get('radiotap.channel.freq')).toEqual([2412]);
    expect(cap.fields(2).get('radiotap.dbm_antsignal')).toEqual([-67]);
    expect(cap.fields(1).get('wlan.fcs')).toEqual([0xefbeadde]);
    expect(cap.fields(3).get('wlan.fcs')).toBeUndefined();
  });

  it('shows the details tshark shows', () => {
    expect(treeText(cap.tree(1).items)).toMatchSnapshot();
  });
});
