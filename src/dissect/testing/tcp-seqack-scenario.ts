// A TCP connection that reaches every part of the SEQ/ACK analysis (tcp-seqack.ts): the
// handshake's round trip, bytes in flight with and without PSH, a partial acknowledgement, an
// acknowledgement of several segments, duplicate ACKs with SACK blocks, a fast retransmission, a
// plain one with its RTO, a lost segment (bytes in flight not counted until the peer's next ACK),
// an ACKed unseen segment, a zero window and its update, a keep-alive, and the closing FINs.
// tcp-seqack-tshark.txt holds what tshark 4.0.17 (`tshark -r FILE -n -V -2`) shows for it.

import { ACK, eth, FIN, ipv4, PSH, sack, SYN, tcp, type FrameSpec } from './packets.ts';

const C = { src: '192.0.2.1', dst: '192.0.2.2' };
const S = { src: '192.0.2.2', dst: '192.0.2.1' };
/** A port no dissector claims: the payloads stay plain TCP. */
const PORT = 7003;
const ISN_C = 1000;
const ISN_S = 5000;

function fromClient(t: number, flags: number, seq: number, ack: number, len = 0, win = 502, options: number[] = []): FrameSpec {
  return { data: eth(ipv4(tcp({ sport: 53574, dport: PORT, flags, seq: ISN_C + seq, ack: ack ? ISN_S + ack : 0, win, payload: 'c'.repeat(len), options }), C)), t };
}
function fromServer(t: number, flags: number, seq: number, ack: number, len = 0, win = 509, options: number[] = []): FrameSpec {
  return { data: eth(ipv4(tcp({ sport: PORT, dport: 53574, flags, seq: ISN_S + seq, ack: ISN_C + ack, win, payload: 's'.repeat(len), options }), S)), t };
}
/** SACK block edges relative to the client's first sequence number. */
const clientSack = (l: number, r: number) => sack([ISN_C + l, ISN_C + r]);

/** The frames, numbered from 1 as in the comments. */
export function seqAckScenario(): FrameSpec[] {
  return [
    fromClient(0, SYN, 0, 0, 0, 64240), // 1
    fromServer(0.01, SYN | ACK, 0, 1, 0, 65160), // 2: ACKs 1
    fromClient(0.02, ACK, 1, 1), // 3: ACKs 2, iRTT 20 ms
    fromClient(0.1, ACK, 1, 1, 100), // 4
    fromClient(0.11, ACK | PSH, 101, 1, 100), // 5
    fromClient(0.12, ACK, 201, 1, 50), // 6: 250 in flight, 50 since the PSH
    fromServer(0.15, ACK, 1, 151), // 7: all of 4 and half of 5: no segment ends there
    fromServer(0.16, ACK | PSH, 1, 251, 20), // 8: ACKs 6; 20 in flight from the server
    fromClient(0.2, ACK | PSH, 251, 21, 100), // 9: ACKs 8
    fromClient(0.21, ACK | PSH, 351, 21, 100), // 10
    fromServer(0.22, ACK, 21, 251, 0, 509, clientSack(351, 451)), // 11: duplicate ACK with SACK
    fromServer(0.221, ACK, 21, 251, 0, 509, clientSack(351, 451)), // 12: and again
    fromClient(0.225, ACK | PSH, 251, 21, 100), // 13: fast retransmission; 200 in flight less 100 SACKed
    fromServer(0.23, ACK, 21, 451), // 14: ACKs 10 (the segment that ends there)
    fromClient(0.3, ACK | PSH, 451, 21, 10), // 15
    fromClient(1.0, ACK | PSH, 451, 21, 10), // 16: retransmission, RTO 0.7 s from 15
    fromServer(1.01, ACK, 21, 461), // 17: ACKs 15, the oldest of the two
    fromClient(1.1, ACK | PSH, 481, 21, 10), // 18: 20 bytes never seen before it
    fromClient(1.11, ACK, 491, 21, 10), // 19: no bytes in flight until the server ACKs
    fromServer(1.12, ACK, 21, 461), // 20: duplicate ACK of 17
    fromClient(1.13, ACK, 501, 21, 10), // 21: counted again
    fromServer(1.2, ACK, 21, 511, 0, 0), // 22: ACKs what was never seen, and a zero window
    fromServer(1.25, ACK, 21, 511, 0, 700), // 23: window update
    fromClient(1.3, ACK, 510, 21, 0), // 24: keep-alive
    fromServer(1.31, ACK, 21, 511, 0, 700), // 25: keep-alive ACK
    fromClient(1.4, FIN | ACK, 511, 21), // 26
    fromServer(1.41, FIN | ACK, 21, 512), // 27: ACKs 26
    fromClient(1.42, ACK, 512, 22), // 28: ACKs 27
  ];
}
