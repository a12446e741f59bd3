// Reassembly of IP fragments (IPv4: RFC 791 §3.2; IPv6: RFC 8200 §4.5), shared by ip.ts and
// ipv6.ts, with the semantics of Wireshark's fragment table as tshark 4.0 shows them:
//  - fragments are collected per datagram key until the last fragment (MF = 0) has fixed the
//    length and the fragments cover [0, length) without a hole; the frame that completes the
//    datagram dissects it, the others show as fragments;
//  - a completed datagram leaves the table, so a later fragment with the same key starts anew;
//  - where fragments overlap, the bytes that came first in offset order (then arrival) win.
// The first pass records per frame what happened, so a re-dissection (details pane) rebuilds
// the same buffer from the frames' bytes without touching the table. State is bounded: at most
// MAX_PENDING datagrams are pending (the oldest is dropped), MAX_FRAGS fragments per datagram.

import type { Packet } from './packet.ts';
import { GENERATED, type TreeSink } from './tree.ts';
import { fieldLabel, type FieldDef } from './registry.ts';
import type { Tvb } from './tvb.ts';

const MAX_PENDING = 65536;

/**
 * > 0 while dissecting the packet an ICMP/ICMPv6 error quotes: tshark does not reassemble
 * fragments there (pinfo->flags.in_error_pkt).
 */
export const errorContext = { depth: 0 };
const MAX_FRAGS = 8192;

export interface FragmentPart {
  frame: number;
  /** Absolute offset of the fragment's data in its frame's bytes. */
  offset: number;
  length: number;
  /** Offset of this fragment inside the datagram. */
  fragOffset: number;
}

interface Pending {
  parts: FragmentPart[];
  /** Indexes of `parts` sorted by datagram offset (arrival order among equals). */
  order: number[];
  /** The fragments' bytes, kept until the datagram completes (frames are not kept in memory). */
  chunks: Uint8Array[];
  /** Datagram length once the last fragment is seen, -1 before. */
  datalen: number;
}

/** What the first pass did with a frame's fragment. */
export interface FragmentOutcome {
  /** Set on the frame that completed the datagram: the fragments in datagram order. */
  parts: FragmentPart[] | null;
  /** The reassembled bytes (first pass only; rebuilt from frames when replaying). */
  data: Uint8Array | null;
}

export class FragmentTable {
  private readonly pending = new Map<string, Pending>();
  /** Frame → the parts of the datagram it completed. */
  readonly completedIn = new Map<number, FragmentPart[]>();
  /** Fragment frame → frame where its datagram was reassembled. */
  readonly reassembledIn = new Map<number, number>();

  /**
   * Adds a fragment (first pass). Returns the reassembled datagram when this fragment completes
   * it, else null.
   */
  add(key: string, p: Packet, data: Tvb, fragOffset: number, more: boolean): Uint8Array | null {
    let e = this.pending.get(key);
    if (!e) {
      if (this.pending.size >= MAX_PENDING) {
        const oldest = this.pending.keys().next().value;
        if (oldest !== undefined) this.pending.delete(oldest);
      }
      e = { parts: [], order: [], chunks: [], datalen: -1 };
      this.pending.set(key, e);
    }
    if (e.parts.length >= MAX_FRAGS) return null;
    const len = data.length;
    const idx = e.parts.length;
    e.parts.push({ frame: p.num, offset: data.abs(0), length: len, fragOffset });
    e.chunks.push(data.bytes(0, len).slice());
    // Insert after the last fragment with an offset ≤ this one (binary search; stable).
    let lo = 0;
    let hi = e.order.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (e.parts[e.order[mid]!]!.fragOffset <= fragOffset) lo = mid + 1;
      else hi = mid;
    }
    e.order.splice(lo, 0, idx);
    // The first tail fixes the length; a later different one is an error tshark reports but
    // does not use.
    if (!more && e.datalen < 0) e.datalen = fragOffset + len;
    if (e.datalen < 0) return null;
    const order = e.order;
    let covered = 0;
    for (const i of order) {
      const part = e.parts[i]!;
      if (part.fragOffset > covered) return null; // a hole
      covered = Math.max(covered, part.fragOffset + part.length);
      if (covered >= e.datalen) break;
    }
    if (covered < e.datalen) return null;
    const buf = new Uint8Array(e.datalen);
    const used: FragmentPart[] = [];
    let pos = 0;
    for (const i of order) {
      const part = e.parts[i]!;
      const end = Math.min(part.fragOffset + part.length, e.datalen);
      if (end > pos) {
        const skip = pos - part.fragOffset;
        buf.set(e.chunks[i]!.subarray(skip, skip + end - pos), pos);
        pos = end;
      }
      used.push(part);
    }
    this.pending.delete(key);
    this.completedIn.set(p.num, used);
    for (const part of used) if (part.frame !== p.num) this.reassembledIn.set(part.frame, p.num);
    return buf;
  }

  /** The frames holding the fragments of the datagram completed in frame `num`. */
  framesNeededBy(num: number): number[] | undefined {
    return this.completedIn.get(num)?.map((part) => part.frame);
  }

  /** Rebuilds the datagram completed in frame `p.num` (replay), or null. */
  rebuild(p: Packet): { data: Uint8Array; parts: FragmentPart[] } | null {
    const parts = this.completedIn.get(p.num);
    if (!parts) return null;
    let total = 0;
    for (const part of parts) total = Math.max(total, part.fragOffset + part.length);
    const buf = new Uint8Array(total);
    let pos = 0;
    for (const part of parts) {
      const bytes = part.frame === p.num ? p.frame.data : p.state.frameBytes(part.frame);
      if (!bytes) continue;
      const end = part.fragOffset + part.length;
      if (end > pos) {
        const skip = pos - part.fragOffset;
        buf.set(bytes.subarray(part.offset + skip, part.offset + part.length), pos);
        pos = end;
      }
    }
    return { data: buf, parts };
  }
}

export interface FragmentFields {
  fragments: FieldDef;
  fragment: FieldDef;
  count: FieldDef;
  reassembledIn: FieldDef;
  reassembledLength: FieldDef;
  reassembledData: FieldDef;
}

/** "[2 IPv4 Fragments (104 bytes): #1(96), #3(8)]" and its children, as tshark lists them. */
export function addFragmentTree(t: TreeSink, tvb: Tvb, what: string, parts: FragmentPart[], datagram: Uint8Array, f: FragmentFields): void {
  const total = datagram.length;
  t.open(f.fragments, tvb, 0, GENERATED, null,
    `[${parts.length} ${what} Fragments (${total} bytes): ${parts.map((x) => `#${x.frame}(${x.length})`).join(', ')}]`);
  for (const x of parts) {
    t.add(f.fragment, tvb, 0, GENERATED, x.frame,
      `[Frame: ${x.frame}, payload: ${x.fragOffset}-${x.fragOffset + x.length - 1} (${x.length} byte${x.length === 1 ? '' : 's'})]`);
  }
  t.add(f.count, tvb, 0, GENERATED, parts.length, `[Fragment count: ${parts.length}]`);
  t.add(f.reassembledLength, tvb, 0, GENERATED, total, `[Reassembled ${what} length: ${total}]`);
  // Shown as bytes are: the first 36 in hex, then an ellipsis.
  t.add(f.reassembledData, tvb, 0, GENERATED, datagram, `[${fieldLabel(f.reassembledData, datagram)}]`);
  t.close();
}
