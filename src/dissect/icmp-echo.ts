// Echo request/reply matching, shared by ICMP (RFC 792, types 8/0) and ICMPv6 (RFC 4443 §4.1–4.2,
// types 128/129): a reply answers the latest unanswered request between the same two addresses
// with the same identifier and sequence number.

import type { Packet } from './packet.ts';

export interface EchoTx {
  /** Frame number of the request (0 never: a transaction starts with its request). */
  request: number;
  /** Frame number of the reply, 0 until one is seen. */
  reply: number;
}

export class EchoMatcher {
  private readonly open = new Map<string, EchoTx>();
  /** Per-frame results of the first pass, so that re-dissection (replay) shows the same links. */
  private readonly byFrame = new Map<number, EchoTx>();

  match(p: Packet, id: number, seq: number, isReply: boolean): EchoTx | undefined {
    if (p.visited) return this.byFrame.get(p.num);
    const pair = p.netSrc < p.netDst ? `${p.netSrc}|${p.netDst}` : `${p.netDst}|${p.netSrc}`;
    const key = `${pair}|${id}|${seq}`;
    let tx = this.open.get(key);
    if (!isReply) {
      if (!tx || tx.reply) {
        tx = { request: p.num, reply: 0 };
        this.open.set(key, tx);
      }
    } else if (tx && !tx.reply) tx.reply = p.num;
    if (tx) this.byFrame.set(p.num, tx);
    return tx;
  }
}

/** The Info suffix linking a request and its reply. */
export function echoInfo(p: Packet, tx: EchoTx | undefined, isReply: boolean): string {
  if (!tx) return '';
  if (isReply) return ` (request in ${tx.request})`;
  // The reply is known only once it was seen: tshark's single pass shows nothing on the request.
  if (p.visited && tx.reply && tx.request === p.num) return ` (reply in ${tx.reply})`;
  return '';
}

/** Milliseconds from a reply's request to the reply (tshark's response time), null when unknown. */
export function responseMs(p: Packet, tx: EchoTx): number | null {
  const asked = p.state.frameTime(tx.request);
  if (!asked || !p.frame.hasTs) return null;
  return ((p.frame.tsSec - asked.sec) * 1e9 + (p.frame.tsNsec - asked.nsec)) / 1e6;
}

/**
 * A request that got no reply in the whole capture: what the details pane shows once the file
 * is read (tshark -2; on its single pass every request would read so).
 */
export function unanswered(p: Packet, tx: EchoTx | undefined, isReply: boolean): boolean {
  return !isReply && p.visited && !!tx && tx.request === p.num && !tx.reply;
}
