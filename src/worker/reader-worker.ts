/// <reference lib="webworker" />
// A second worker that only reads the file, so that reading and decoding run side by side. The
// file is streamed (Blob.stream(), a byte stream) into a few buffers that go round: each is
// transferred to the decoding worker (no copy), which gives it back once its packets are
// decoded, and the next slice is read into it (or keeps it, for a small file whose bytes it
// holds: then each slice gets a new buffer). No fresh memory per slice: on the test machine
// Blob.slice().arrayBuffer() for every slice of a 700 MB file took ~4 s, the stream into reused
// buffers ~1 s.

import type { ReaderRequest, ReaderResponse } from './reader-protocol.ts';

const ctx = self as unknown as DedicatedWorkerGlobalScope;
/** Buffers given back by the decoder, ready to be read into. */
const pool: ArrayBuffer[] = [];
/** Slices sent and not yet decoded. */
let inFlight = 0;
let wake: (() => void) | null = null;
let stopped = false;

function post(msg: ReaderResponse, transfer: Transferable[] = []): void {
  ctx.postMessage(msg, transfer);
}

function wakeUp(): void {
  const w = wake;
  wake = null;
  w?.();
}

/**
 * A buffer to read the next slice into, once fewer than `ahead` slices wait for the decoder: a
 * buffer it gave back, else a new one of `size` bytes.
 */
async function takeBuffer(size: number, ahead: number): Promise<ArrayBuffer | null> {
  while (!stopped && inFlight >= ahead) await new Promise<void>((r) => (wake = r));
  if (stopped) return null;
  return pool.pop() ?? new ArrayBuffer(size);
}

type Filler = (buf: ArrayBuffer, want: number) => Promise<{ buffer: ArrayBuffer; length: number }>;

/** Fills buffers from the file's byte stream (BYOB: the stream writes into our buffer). */
function streamFiller(file: Blob): { fill: Filler; cancel(): void } | null {
  let reader: ReadableStreamBYOBReader;
  try {
    reader = file.stream().getReader({ mode: 'byob' });
  } catch {
    return null; // not a byte stream in this browser
  }
  return {
    async fill(buf, want) {
      let length = 0;
      let buffer = buf;
      while (length < want) {
        const { done, value } = await reader.read(new Uint8Array(buffer, length, want - length));
        if (!value) break;
        buffer = value.buffer as ArrayBuffer; // the read transfers the buffer: use the new handle
        length += value.length;
        if (done || value.length === 0) break;
      }
      return { buffer, length };
    },
    cancel() {
      reader.cancel().catch(() => undefined);
    },
  };
}

/** Fallback: one Blob.slice read per slice, copied into the buffer. */
function sliceFiller(file: Blob): { fill: Filler; cancel(): void } {
  let pos = 0;
  return {
    async fill(buf, want) {
      const end = Math.min(file.size, pos + want);
      const bytes = new Uint8Array(await file.slice(pos, end).arrayBuffer());
      pos = end;
      new Uint8Array(buf).set(bytes);
      return { buffer: buf, length: bytes.length };
    },
    cancel() {},
  };
}

async function read(file: Blob, first: number, max: number, ahead: number): Promise<void> {
  const filler = streamFiller(file) ?? sliceFiller(file);
  // Small slices first (the first rows come sooner), then doubling up to `max`.
  let want = Math.min(first, max);
  let sent = 0;
  try {
    while (!stopped && sent < file.size) {
      // A decoder that keeps the slices gets buffers of their size; one that gives them back, `max`.
      const buf = await takeBuffer(recycle ? max : Math.max(1, Math.min(want, file.size - sent)), ahead);
      if (!buf) return;
      const { buffer, length } = await filler.fill(buf, Math.min(want, buf.byteLength));
      if (stopped) return;
      if (length === 0) break; // the file shrank since it was picked
      sent += length;
      inFlight++;
      post({ type: 'chunk', buffer, length }, [buffer]);
      want = Math.min(max, want * 2);
    }
    if (!stopped) post({ type: 'end' });
  } finally {
    filler.cancel();
  }
}

let recycle = true;

ctx.onmessage = (ev: MessageEvent<ReaderRequest>) => {
  const m = ev.data;
  if (m.type === 'read') {
    recycle = m.recycle;
    read(m.file, m.first, m.max, m.ahead).catch((e) => post({ type: 'error', message: e instanceof Error ? e.message : String(e) }));
  } else if (m.type === 'done') {
    inFlight--;
    if (m.buffer) pool.push(m.buffer);
    wakeUp();
  } else if (m.type === 'stop') {
    stopped = true;
    wakeUp();
  }
};
