// Test-only: an 802.1X exchange and a WPA2 4-way handshake (IEEE 802.11-2020 §12.7.6), over
// Wi-Fi data frames and over Ethernet, for eapol.test.ts (tshark 4.0.17 was shown them).

import { bytes, eth, mac, u16, u32 } from './packets.ts';

const AP = '02:aa:00:00:00:01';
const STA = '02:bb:00:00:00:02';
const u16le = (n: number) => [n & 0xff, n >> 8];
const fill = (n: number, v: number) => new Array<number>(n).fill(v);

/** An 802.11 data frame between the station and the AP carrying EAPOL (LLC/SNAP type 0x888e). */
function wlanData(fromAp: boolean, sn: number, eapol: Uint8Array): Uint8Array {
  const fc = [0x08, fromAp ? 0x02 : 0x01];
  const addrs = fromAp ? [STA, AP, AP] : [AP, STA, AP];
  return bytes(fc, u16le(44), addrs.flatMap(mac), u16le(sn << 4), [0xaa, 0xaa, 0x03, 0, 0, 0], u16(0x888e), eapol);
}

/** EAPOL (IEEE 802.1X-2020 §11.3): version, packet type, body length, body. */
function eapol(type: number, body: number[] | Uint8Array, version = 2): Uint8Array {
  return bytes([version, type], u16(body.length), body);
}

/** An EAPOL-Key frame with the RSN descriptor (type 2) and a 16-byte MIC. */
function key(info: number, replay: number, nonce: number, mic: number, data: number[]): Uint8Array {
  return eapol(3, bytes([2], u16(info), u16(16), u32(0), u32(replay), fill(32, nonce), fill(16, 0), fill(8, 0), fill(8, 0), fill(16, mic), u16(data.length), data));
}

/** EAP (RFC 3748 §4): code, identifier, length, then type and data for requests and responses. */
function eap(code: number, id: number, type?: number, data: number[] = []): number[] {
  const body = type === undefined ? [] : [type, ...data];
  return [code, id, ...u16(4 + body.length), ...body];
}

const RSN_IE = [0x30, 0x14, 1, 0, 0x00, 0x0f, 0xac, 4, 1, 0, 0x00, 0x0f, 0xac, 4, 1, 0, 0x00, 0x0f, 0xac, 2, 0x0c, 0];

export function eapolFrames(): { wlan: Uint8Array[]; ethernet: Uint8Array[] } {
  const wired = (fromSwitch: boolean, body: Uint8Array) =>
    eth(body, { src: fromSwitch ? AP : STA, dst: fromSwitch ? STA : '01:80:c2:00:00:03', type: 0x888e });
  return {
    wlan: [
      wlanData(true, 1, key(0x008a, 1, 0x11, 0, [])),
      wlanData(false, 2, key(0x010a, 1, 0x22, 0x33, RSN_IE)),
      wlanData(true, 3, key(0x13ca, 2, 0x11, 0x44, fill(56, 0x55))),
      wlanData(false, 4, key(0x030a, 2, 0x00, 0x66, [])),
      wlanData(true, 5, key(0x1382, 3, 0x00, 0x77, fill(40, 0x88))),
      wlanData(false, 6, key(0x0302, 3, 0x00, 0x99, [])),
    ],
    ethernet: [
      wired(false, eapol(1, [], 1)),
      wired(true, eapol(0, eap(1, 1, 1))),
      wired(false, eapol(0, eap(2, 1, 1, Array.from('alice', (c) => c.charCodeAt(0))))),
      wired(true, eapol(0, eap(1, 2, 4, [16, ...fill(16, 0xab)]))),
      wired(false, eapol(0, eap(2, 2, 4, [16, ...fill(16, 0xcd)]))),
      wired(true, eapol(0, eap(3, 2))),
      wired(false, eapol(2, [])),
    ],
  };
}
