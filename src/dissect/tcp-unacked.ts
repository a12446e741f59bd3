// The segments of every TCP flow that are not acknowledged yet, for the SEQ/ACK analysis
// (tcp-seqack.ts): one singly linked list per flow, newest first, as tshark keeps them
// (tcp_unacked_t). Every node lives in one typed array, its four numbers side by side: a node
// per segment as an object would be garbage for the collector on every data segment, and four
// separate columns would cost four cache misses a node where flows interleave.

import { growColumn } from '../lib/growable.ts';

/** Numbers a node holds: [SEQ, NEXT, FRAME, LINK] at node × NODE_SIZE. */
const NODE_SIZE = 4;
/** Absolute sequence number of the segment's first byte not yet acknowledged. */
export const SEQ = 0;
/** Absolute sequence number after the segment (SYN and FIN count one). */
export const NEXT = 1;
export const FRAME = 2;
/** The next older node of the same list, 0 at the end. */
export const LINK = 3;

/** Nodes are numbered from 1 in the lists (0 ends a list); node n's numbers start at (n − 1) × 4. */
export class UnackedSegments {
  nodes = new Uint32Array(256 * NODE_SIZE);
  /** Nodes handed out so far, and the first released node (0: none). */
  private used = 0;
  private free = 0;

  /** Where node `n`'s numbers start in `nodes`. */
  at(n: number): number {
    return (n - 1) * NODE_SIZE;
  }

  /** A new node in front of the list that starts at `head`; returns the new head. */
  push(head: number, seq: number, next: number, frame: number): number {
    let n = this.free;
    if (n) this.free = this.nodes[this.at(n) + LINK]!;
    else {
      n = ++this.used;
      this.nodes = growColumn(this.nodes, n * NODE_SIZE);
    }
    const i = this.at(n);
    const nodes = this.nodes;
    nodes[i + SEQ] = seq;
    nodes[i + NEXT] = next;
    nodes[i + FRAME] = frame;
    nodes[i + LINK] = head;
    return n;
  }

  /** Gives node `n` back (already unlinked by the caller). */
  release(n: number): void {
    this.nodes[this.at(n) + LINK] = this.free;
    this.free = n;
  }
}
