// Dissector tables: how one layer finds the next (Wireshark's dissector tables and heuristic lists).
// Protocol modules register themselves here when imported; src/dissect/index.ts imports them all.

import type { Packet } from './packet.ts';
import type { Tvb } from './tvb.ts';

/** Dissects `tvb` (the bytes of this protocol and what it carries) into the packet. */
export type Dissect = (tvb: Tvb, p: Packet) => void;
/**
 * Dissects a transport payload and says whether it took it (false: "not mine, try the next").
 * Used for port tables and heuristics.
 */
export type PayloadDissect = (tvb: Tvb, p: Packet) => boolean;
/** A heuristic: looks at the payload and dissects it when it recognises it. */
export interface Heuristic {
  name: string;
  dissect: PayloadDissect;
  /**
   * For the first pass's short lane (tcp-lane.ts), a look at a TCP payload that changes nothing:
   * 'no' when `dissect` certainly leaves these bytes, 'lane' when it takes them exactly when
   * `lane` (its dissector's lane part) accepts them, 'unknown' otherwise. Without it the lane
   * leaves every segment this heuristic would be tried on to the full path.
   */
  laneTest?(b: Uint8Array, off: number, len: number): 'no' | 'lane' | 'unknown';
  lane?: TcpLanePayload;
}

export class DissectorTable {
  private readonly map = new Map<number, Dissect>();
  constructor(readonly name: string) {}
  add(key: number, d: Dissect): void {
    this.map.set(key, d);
  }
  get(key: number): Dissect | undefined {
    return this.map.get(key);
  }
}

/** LINKTYPE_* → link-layer dissector. */
export const linkTypeTable = new DissectorTable('wtap_encap');
/** EtherType → dissector ("ethertype"). */
export const etherTypeTable = new DissectorTable('ethertype');
/** IP protocol number → dissector ("ip.proto"), shared by IPv4 and IPv6. */
export const ipProtoTable = new DissectorTable('ip.proto');

export class PayloadTable {
  private readonly map = new Map<number, PayloadDissect>();
  constructor(readonly name: string) {}
  add(port: number, d: PayloadDissect): void {
    this.map.set(port, d);
  }
  get(port: number): PayloadDissect | undefined {
    return this.map.get(port);
  }
}

export const udpPortTable = new PayloadTable('udp.port');
export const tcpPortTable = new PayloadTable('tcp.port');

export const tcpHeuristics: Heuristic[] = [];
export const udpHeuristics: Heuristic[] = [];
/** Dissectors that own whole UDP conversations once found (Wireshark's conversation dissector), tried before ports. */
export const udpConversations: PayloadDissect[] = [];

/**
 * A payload protocol's part in the first pass's short lane for TCP data segments
 * (tcp-lane.ts), keyed by the protocol's PayloadDissect: a look at a segment's payload that
 * changes nothing and says whether the dissector would take it whole as one simple message,
 * then the changes to the capture's state that the dissector's first pass makes for it.
 */
export interface TcpLanePayload {
  /** The protocol's layer name (what colouring rules look for). */
  readonly layer: string;
  /**
   * The Protocol column's text when bytes `off` to `off + len` of `b`, the whole payload of
   * frame `num` in TCP stream `stream`, are one message taken without reassembly and without
   * anything else in the segment; null otherwise. Changes nothing.
   */
  check(state: import('./packet.ts').CaptureState, stream: number, num: number, b: Uint8Array, off: number, len: number): string | null;
  /** What the dissector's first pass records for the message the last check() accepted. */
  commit(state: import('./packet.ts').CaptureState, stream: number, num: number, tsSec: number, tsNsec: number): void;
  /**
   * Writes into `cols` the Info the dissector writes for that message (the same bytes as check()
   * was given), after any fenced analysis prefix, as the dissector does. The dissector replaces
   * TCP's text (setInfo or clearInfo first), so the lane does not make it: `cols` holds only the
   * fenced prefix, if any.
   */
  info(cols: import('./packet.ts').Columns, b: Uint8Array, off: number, len: number): void;
}

export const tcpLanePayloads = new Map<PayloadDissect, TcpLanePayload>();
