/// <reference lib="webworker" />
// The web worker: owns the file and the packet store (CaptureEngine); answers the UI. The
// capture's bytes are not kept: the file is streamed once through a few reused buffers, and the
// frames a row, the details or a ladder need are read from it again (Blob.slice).

import { blobChunks } from '../capture/blob-chunks.ts';
import { isGzip } from '../capture/sniff.ts';
import { CaptureFormatError } from '../capture/types.ts';
import { ColumnArena, useColumnArena } from '../lib/growable.ts';
import { CaptureEngine } from './engine.ts';
import type { Request, Response, RowData } from './protocol.ts';
import type { ReaderRequest, ReaderResponse } from './reader-protocol.ts';
import { repeatedCapture, type RepeatedCapture } from './warm-up.ts';

const ctx = self as unknown as DedicatedWorkerGlobalScope;
let engine = new CaptureEngine();
let cancelled = false;
let loading = false;

function post(msg: Response, transfer: Transferable[] = []): void {
  ctx.postMessage(msg, transfer);
}

/** Lets queued messages (row requests, cancel) run between file slices. */
const channel = new MessageChannel();
const resumes: (() => void)[] = [];
channel.port1.onmessage = () => resumes.shift()?.();
function yieldToEvents(): Promise<void> {
  return new Promise((res) => {
    resumes.push(res);
    channel.port2.postMessage(0);
  });
}

/**
 * Detaches one throwaway buffer that a DataView has looked at, before any code is optimised.
 * V8 compiles DataView reads without a detach check for as long as no such buffer of the isolate
 * was ever detached (its ArrayBufferDetaching protector; in Chromium 156 a detach invalidates it
 * only when the buffer had a DataView). The first detach throws away all code that relied on it.
 * Without this, that first detach was the first file slice handed back to the reader
 * (transferred, so detached here): at the start of the user's load ~50 optimised functions of
 * the decoder (every byte read, the TCP tables, the packet table) were thrown away at once and
 * compiled again (V8's --trace-protector-invalidation and --trace-deopt in the built app).
 */
function detachOnce(): void {
  const b = new ArrayBuffer(8);
  new DataView(b).setUint8(0, 1);
  try {
    structuredClone(b, { transfer: [b] });
  } catch {
    // No structuredClone: the first transfer does it later, as before.
  }
}
detachOnce();

/** Bytes of the warm-up sample decoded between two looks at the message queue. */
const WARMUP_SLICE = 16 << 10;

/** True once a file was opened: a warm-up still running stops. */
let opened = false;

/**
 * Decodes small sample captures before any file is opened, so that the decoder's code is
 * compiled and optimised, and its heap grown, when the user's file comes: the first decode in a
 * fresh worker ran ~0.3–0.5 s slower on a 500k-packet file than the next one. Stops as soon as a
 * file is opened.
 *
 * Each sample is decoded once as a small file (bytes kept), then repeated into one long capture
 * (warm-up.ts) and decoded as a large file is: its tables grow past their first size and its bytes
 * are read again by offset. V8 compiles a field that was only ever written once as a constant:
 * when the warm-up decoded the 146-packet sample with a fresh engine each time, the TCP per-frame
 * table never grew, and its first growth in the user's file threw the TCP dissector's optimised
 * code away. A pcapng and a classic pcap sample: their readers are different code.
 */
async function warmUp(samples: Uint8Array[], packets: number): Promise<void> {
  await prepareArena();
  const run = async (cap: RepeatedCapture, keep: boolean): Promise<number> => {
    // In small slices, with a look at the message queue between them: a file opened during the
    // warm-up waits for one slice (a few ms), not for a whole pass over the sample.
    async function* chunks(): AsyncGenerator<Uint8Array> {
      yield* cap.slices(WARMUP_SLICE);
    }
    const e = new CaptureEngine();
    const readAt = keep ? undefined : async (offset: number, length: number) => cap.readAt(offset, length);
    const s = await e.load({ name: 'warm-up', totalBytes: cap.totalBytes, chunks: chunks(), readAt }, { yieldToEvents, cancelled: () => opened, progress: () => undefined });
    if (s.cancelled) return 0;
    // The first rows' Info comes from re-dissection, as the page asks for it.
    await e.withBytes(() => e.rowIndices(0, 50), () => e.rows(0, 50));
    await yieldToEvents();
    return s.packets;
  };
  try {
    for (const data of samples) {
      const once = repeatedCapture(data, 1);
      if (opened || !once) continue;
      const n = await run(once, true);
      const passes = Math.ceil((packets / samples.length - n) / Math.max(1, n));
      const long = repeatedCapture(data, passes);
      if (n > 0 && !opened && long) await run(long, false);
    }
  } catch {
    // A sample that cannot be read: no warm-up, nothing else changes.
  }
  if (!opened) post({ type: 'warmedUp' });
}

/**
 * Column memory touched before a file comes (see ColumnArena): enough for ~500k packets. The
 * waiting worker holds it; a small file lets it go, a large one uses it.
 */
const ARENA_BYTES = 64 << 20;
/** Files below this need little column memory: the arena is let go (its memory freed). */
const ARENA_MIN_FILE = 8 << 20;
/** Bytes of the arena touched between two looks at the message queue (a few ms). */
const ARENA_SLICE = 2 << 20;

/** The arena made while no file was open: given to the next large file (see open). */
let spareArena: ColumnArena | null = null;

/**
 * Makes the arena and touches it in slices while no file is open, before the warm-up: a file
 * opened meanwhile uses what is touched (the rest is fresh memory, as without it). The warm-up's
 * own columns do not come from it: it is handed over only when a file is opened.
 */
async function prepareArena(): Promise<void> {
  // Not on a device with little memory (Chromium's rounded figure, in GiB; others do not say).
  const gib = (navigator as { deviceMemory?: number }).deviceMemory;
  if (opened || (gib !== undefined && gib < 4)) return;
  let arena: ColumnArena;
  try {
    arena = new ColumnArena(new ArrayBuffer(ARENA_BYTES));
  } catch {
    return; // no memory to spare: columns are allocated as they grow
  }
  spareArena = arena;
  while (!opened && arena.touch(ARENA_SLICE)) await yieldToEvents();
}

const SLICES = { first: 128 << 10, max: 4 << 20, ahead: 3 };

/** A worker that reads the file (reader-worker.ts), or null where a worker cannot start another. */
function startReader(): Worker | null {
  try {
    return new Worker(new URL('./reader-worker.ts', import.meta.url), { type: 'module', name: 'reader' });
  } catch {
    return null;
  }
}

/** Started with this worker, so that its code is loaded before a file arrives. */
let spareReader: Worker | null = startReader();

/**
 * Files up to this size keep their bytes in memory (no reading again: a small capture still being
 * written to by tcpdump stays fully viewable); larger ones are read again as needed.
 */
const KEEP_BYTES_UP_TO = 64 << 20;

/**
 * The file's slices, read by a reader worker and transferred here. `keep`: the engine keeps every
 * slice (the reader makes a new buffer for each); otherwise each buffer goes back to the reader
 * for a later slice once the engine asks for the next one. Without a reader worker, read here.
 */
async function* fileSlices(file: Blob, keep: boolean): AsyncGenerator<Uint8Array> {
  const reader = spareReader ?? startReader();
  spareReader = null;
  if (!reader) {
    yield* blobChunks(file, SLICES);
    return;
  }
  const queue: ReaderResponse[] = [];
  let wake: (() => void) | null = null;
  reader.onmessage = (ev: MessageEvent<ReaderResponse>) => {
    queue.push(ev.data);
    const w = wake;
    wake = null;
    w?.();
  };
  reader.onerror = (ev) => {
    ev.preventDefault();
    queue.push({ type: 'error', message: ev.message || 'the file reader stopped' });
    const w = wake;
    wake = null;
    w?.();
  };
  const send = (m: ReaderRequest, transfer: Transferable[] = []) => reader.postMessage(m, transfer);
  send({ type: 'read', file, ...SLICES, recycle: !keep });
  try {
    for (;;) {
      while (!queue.length) await new Promise<void>((r) => (wake = r));
      const m = queue.shift()!;
      if (m.type === 'end') return;
      if (m.type === 'error') throw new Error(m.message);
      yield new Uint8Array(m.buffer, 0, m.length);
      // Asked for the next slice: this one is decoded (and, unless kept, no view into it remains).
      if (keep) send({ type: 'done' });
      else send({ type: 'done', buffer: m.buffer }, [m.buffer]);
    }
  } finally {
    send({ type: 'stop' });
    reader.terminate();
  }
}

/** gzip: offsets in the decompressed stream cannot be read from the file. */
async function isGzipFile(file: Blob): Promise<boolean> {
  return isGzip(new Uint8Array(await file.slice(0, 2).arrayBuffer()));
}

function fileReader(file: Blob): (offset: number, length: number) => Promise<Uint8Array> {
  return async (offset, length) => new Uint8Array(await file.slice(offset, offset + length).arrayBuffer());
}

async function open(file: Blob, name: string): Promise<void> {
  // A small file lets the arena go (its memory is freed); a large one takes its columns from it.
  useColumnArena(file.size >= ARENA_MIN_FILE ? spareArena : null);
  spareArena = null;
  engine = new CaptureEngine();
  cancelled = false;
  loading = true;
  try {
    // gzip: offsets in the decompressed stream cannot be read from the file; small: cheap to keep.
    const keep = file.size <= KEEP_BYTES_UP_TO || (await isGzipFile(file));
    const summary = await engine.load(
      { name, totalBytes: file.size, chunks: fileSlices(file, keep), readAt: keep ? undefined : fileReader(file) },
      {
        progress: (progress) => post({ type: 'progress', progress }),
        // Four updates a second: each one re-renders the page on the main thread, which shares
        // the CPU with this worker (500k packets, interleaved runs, medians of 5: 3.58 s to
        // load at 10 a second, 3.36 s at 4, 3.12 s at 2; the bar's transition fills the gaps).
        progressEveryMs: 250,
        cancelled: () => cancelled,
        yieldToEvents,
      },
    );
    post({ type: 'loaded', summary });
  } catch (e) {
    const message = e instanceof CaptureFormatError ? e.message : `could not read the file: ${e instanceof Error ? e.message : String(e)}`;
    post({ type: 'failed', message });
  } finally {
    loading = false;
  }
}

function errorText(err: unknown): string {
  if (err instanceof DOMException && err.name === 'NotReadableError') return 'the file changed on disk after it was opened (is a capture still being written to it?)';
  return err instanceof Error ? err.message : String(err);
}

/**
 * Requests are answered one at a time, in order: one may wait for frames read from the file,
 * and the next must not evict them from the cache meanwhile.
 */
let queue: Promise<void> = Promise.resolve();

async function answer(m: Request): Promise<void> {
  const e = engine;
  switch (m.type) {
    case 'view':
      post({ type: 'view', id: m.id, total: await e.applyView(m.view) });
      break;
    case 'rows': {
      let rows: RowData[];
      try {
        await e.prepareView();
        rows = await e.withBytes(() => e.rowIndices(m.start, m.count), () => e.rows(m.start, m.count));
      } catch (err) {
        // The file changed or vanished since it was opened (a capture still being written, say):
        // the list keeps every column it has, the Info of unread rows says why it is missing.
        post({ type: 'readError', message: errorText(err) });
        rows = e.rows(m.start, m.count, false);
      }
      post({ type: 'rows', id: m.id, start: m.start, rows, total: e.total });
      break;
    }
    case 'details': {
      const details = await e.withBytes(() => [m.index], () => e.details(m.index));
      post({ type: 'details', id: m.id, details }, details ? details.sources.map((s) => s.data.buffer as ArrayBuffer) : []);
      break;
    }
    case 'position':
      await e.prepareView();
      post({ type: 'position', id: m.id, position: e.position(m.num) });
      break;
    case 'sessions':
      post({ type: 'sessions', id: m.id, sessions: e.sessions() });
      break;
    case 'ladder':
      post({ type: 'ladder', id: m.id, model: await e.withBytes(() => e.streamIndices([m.stream]), () => e.ladder(m.stream)) });
      break;
    case 'hostLadder':
      post({ type: 'ladder', id: m.id, model: await e.withBytes(() => e.streamIndices(m.streams), () => e.hostLadder(m.streams)) });
      break;
  }
}

ctx.onmessage = (ev: MessageEvent<Request>) => {
  const m = ev.data;
  switch (m.type) {
    case 'open':
      opened = true;
      void open(m.file, m.name);
      break;
    case 'warmup':
      if (!opened) void warmUp(m.samples.map((b) => new Uint8Array(b)), m.packets);
      break;
    case 'cancel':
      if (loading) cancelled = true;
      break;
    default:
      queue = queue.then(() => answer(m)).catch((err: unknown) => {
        // One failed request (the file changed or vanished since it was opened) must not stop the rest.
        post({ type: 'requestFailed', id: m.id, message: errorText(err) });
      });
  }
};
