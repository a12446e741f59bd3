/// <reference lib="webworker" />
// The web worker: owns the file's bytes and the packet store (CaptureEngine); answers the UI.

import { blobChunks } from '../capture/blob-chunks.ts';
import { CaptureFormatError } from '../capture/types.ts';
import { CaptureEngine } from './engine.ts';
import type { Request, Response } from './protocol.ts';
import type { ReaderRequest, ReaderResponse } from './reader-protocol.ts';

const ctx = self as unknown as DedicatedWorkerGlobalScope;
let engine = new CaptureEngine();
let cancelled = false;
let loading = false;

function post(msg: Response, transfer: Transferable[] = []): void {
  ctx.postMessage(msg, transfer);
}

/** Lets queued messages (row requests, cancel) run between file slices. */
const channel = new MessageChannel();
let resume: (() => void) | null = null;
channel.port1.onmessage = () => {
  const r = resume;
  resume = null;
  r?.();
};
function yieldToEvents(): Promise<void> {
  return new Promise((res) => {
    resume = res;
    channel.port2.postMessage(0);
  });
}

const SLICES = { first: 128 << 10, max: 16 << 20, ahead: 3 };

/**
 * The file's slices, read by a reader worker and transferred here (see reader-worker.ts); where
 * a worker cannot start another worker, read here instead.
 */
function startReader(): Worker | null {
  try {
    return new Worker(new URL('./reader-worker.ts', import.meta.url), { type: 'module', name: 'reader' });
  } catch {
    return null;
  }
}

/** Started with this worker, so that its code is loaded before a file arrives. */
let spareReader: Worker | null = startReader();

async function* fileSlices(file: Blob): AsyncGenerator<Uint8Array> {
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
  const send = (m: ReaderRequest) => reader.postMessage(m);
  send({ type: 'read', file, ...SLICES });
  try {
    for (;;) {
      while (!queue.length) await new Promise<void>((r) => (wake = r));
      const m = queue.shift()!;
      if (m.type === 'end') return;
      if (m.type === 'error') throw new Error(m.message);
      send({ type: 'credit', n: 1 });
      yield new Uint8Array(m.buffer);
    }
  } finally {
    send({ type: 'stop' });
    reader.terminate();
  }
}

async function open(file: Blob, name: string): Promise<void> {
  engine = new CaptureEngine();
  cancelled = false;
  loading = true;
  try {
    const summary = await engine.load(
      { name, totalBytes: file.size, chunks: fileSlices(file) },
      {
        progress: (progress) => post({ type: 'progress', progress }),
        // Ten updates a second: each one re-renders the page on the main thread, which shares
        // the CPU with this worker.
        progressEveryMs: 100,
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

ctx.onmessage = (ev: MessageEvent<Request>) => {
  const m = ev.data;
  switch (m.type) {
    case 'open':
      void open(m.file, m.name);
      break;
    case 'cancel':
      if (loading) cancelled = true;
      break;
    case 'view':
      post({ type: 'view', id: m.id, total: engine.setView(m.view) });
      break;
    case 'rows':
      post({ type: 'rows', id: m.id, start: m.start, rows: engine.rows(m.start, m.count), total: engine.total });
      break;
    case 'details': {
      const details = engine.details(m.index);
      post({ type: 'details', id: m.id, details }, details ? details.sources.map((s) => s.data.buffer as ArrayBuffer) : []);
      break;
    }
    case 'position':
      post({ type: 'position', id: m.id, position: engine.position(m.num) });
      break;
    case 'sessions':
      post({ type: 'sessions', id: m.id, sessions: engine.sessions() });
      break;
    case 'ladder':
      post({ type: 'ladder', id: m.id, model: engine.ladder(m.stream) });
      break;
    case 'hostLadder':
      post({ type: 'ladder', id: m.id, model: engine.hostLadder(m.streams) });
      break;
  }
};
