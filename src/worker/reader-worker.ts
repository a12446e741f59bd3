/// <reference lib="webworker" />
// A second worker that only reads the file: Blob.slice().arrayBuffer() copies every byte into
// the reading thread's memory, which costs as much as decoding half a million packets. Done
// here, the decoding worker receives the slices as transferred buffers (no copy) and decodes
// while the next slices are read.

import type { ReaderRequest, ReaderResponse } from './reader-protocol.ts';

const ctx = self as unknown as DedicatedWorkerGlobalScope;
let credit = 0;
let wake: (() => void) | null = null;
let stopped = false;

function post(msg: ReaderResponse, transfer: Transferable[] = []): void {
  ctx.postMessage(msg, transfer);
}

/** Reads in flight at once (two did not read faster here, and hold more memory). */
const IN_FLIGHT = 1;

async function read(file: Blob, first: number, max: number): Promise<void> {
  let size = Math.min(first, max);
  let pos = 0;
  const reads: Promise<ArrayBuffer>[] = [];
  const start = () => {
    while (reads.length < IN_FLIGHT && pos < file.size) {
      const end = Math.min(file.size, pos + size);
      reads.push(file.slice(pos, end).arrayBuffer());
      pos = end;
      size = Math.min(max, size * 2);
    }
  };
  start();
  while (reads.length && !stopped) {
    const buf = await reads.shift()!;
    start();
    // Wait until the decoder has room for another slice (bounded memory in flight).
    while (credit <= 0 && !stopped) await new Promise<void>((r) => (wake = r));
    if (stopped) return;
    credit--;
    post({ type: 'chunk', buffer: buf }, [buf]);
  }
  if (!stopped) post({ type: 'end' });
}

ctx.onmessage = (ev: MessageEvent<ReaderRequest>) => {
  const m = ev.data;
  if (m.type === 'read') {
    credit = m.ahead;
    read(m.file, m.first, m.max).catch((e) => post({ type: 'error', message: e instanceof Error ? e.message : String(e) }));
  } else if (m.type === 'credit') {
    credit += m.n;
    const w = wake;
    wake = null;
    w?.();
  } else if (m.type === 'stop') {
    stopped = true;
    const w = wake;
    wake = null;
    w?.();
  }
};
