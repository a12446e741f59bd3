// ISO transport over TCP (RFC 1006) test traffic: TPKT packets carrying COTP TPDUs on port 102,
// the way an S7 or MMS client and a PLC exchange them, plus the odd cases tshark handles.

import { TcpConv } from './tls-builders.ts';

/** A TPKT packet (RFC 1006 §6) around the given TPDU bytes. */
export function tpkt(...tpdu: (number[] | string)[]): number[] {
  const body = tpdu.flatMap((x) => (typeof x === 'string' ? [...new TextEncoder().encode(x)] : x));
  const len = body.length + 4;
  return [3, 0, len >> 8, len & 0xff, ...body];
}

const u8 = (b: number[]) => Uint8Array.from(b);

/** Connection, segmented and whole data, several TPDUs per packet, disconnection, oddities. */
export function cotpConversation(): TcpConv {
  const conv = new TcpConv(49152, 102, '192.0.2.10', '198.51.100.20');
  const split = tpkt([2, 0xf0, 0x80], 'split across two TCP segments');
  return conv
    // CR, class 0: TSAPs as S7 uses them (not printable) and a TPDU size of 1024 (X.224 §13.3.4)
    .c(u8(tpkt([17, 0xe0, 0x00, 0x00, 0x00, 0x01, 0x00, 0xc1, 2, 0x01, 0x00, 0xc2, 2, 0x01, 0x02, 0xc0, 1, 0x0a])))
    .s(u8(tpkt([17, 0xd0, 0x00, 0x01, 0x00, 0x44, 0x00, 0xc0, 1, 0x0a, 0xc1, 2, 0x01, 0x00, 0xc2, 2, 0x01, 0x02])))
    // a TSDU in two DT TPDUs (the first without End of TSDU), then one in a single DT TPDU
    .c(u8(tpkt([2, 0xf0, 0x00], 'abc')))
    .c(u8(tpkt([2, 0xf0, 0x80], 'defgh')))
    .s(u8(tpkt([2, 0xf0, 0x80], [0x32, 0x03, 0x00, 0x00])))
    // two TPKT packets in one segment, then one packet split over two segments
    .c(u8([...tpkt([2, 0xf0, 0x80], 'one'), ...tpkt([2, 0xf0, 0x80], 'two')]))
    .s(u8(split.slice(0, 10)))
    .s(u8(split.slice(10)))
    // class 2 TPDUs: DT with a reference, then an AK and an ER in one TPKT packet
    .c(u8(tpkt([4, 0xf0, 0x00, 0x07, 0x81], 'x')))
    .s(u8(tpkt([4, 0x61, 0x00, 0x07, 0x02], [4, 0x70, 0x00, 0x07, 0x02])))
    // printable TSAPs, a disconnect request and its confirm
    .c(u8(tpkt([28, 0xe0, 0x00, 0x00, 0x00, 0x02, 0x00, 0xc1, 4, ...[0x54, 0x53, 0x41, 0x50], 0xc2, 8, ...[0x53, 0x49, 0x4d, 0x41, 0x54, 0x49, 0x43, 0x31], 0xc0, 1, 0x0b, 0xc4, 1, 0x01])))
    .c(u8(tpkt([6, 0x80, 0x00, 0x44, 0x00, 0x01, 0x80])))
    .s(u8(tpkt([5, 0xc0, 0x00, 0x01, 0x00, 0x44])))
    // not a TPKT header: the middle of a packet whose start was not seen
    .c(u8([0x05, 0x06, 0x07, 0x08]))
    // a TPKT length shorter than its own header, and an unknown TPDU type
    .c(u8([3, 0, 0, 2]))
    .s(u8(tpkt([2, 0x30, 0x80])))
    // a CR whose parameters claim one byte more than the packet has
    .c(u8(tpkt([10, 0xe0, 0x00, 0x00, 0x00, 0x03, 0x00, 0xc0, 1, 0x0a])));
}
