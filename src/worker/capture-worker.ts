/// <reference lib="webworker" />
// The web worker: owns the file's bytes and the packet store (CaptureEngine); answers the UI.

import { CaptureFormatError } from '../capture/types.ts';
import { CaptureEngine } from './engine.ts';
import type { Request, Response } from './protocol.ts';

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

/**
 * The file in slices that start small and double up to 4 MB: the first packets reach the list
 * (and row requests get answered between slices) after a few milliseconds, not after a whole
 * 4 MB slice is decoded. Each slice is its own ArrayBuffer, like blobChunks().
 */
async function* rampedChunks(blob: Blob, first = 128 << 10, max = 4 << 20): AsyncGenerator<Uint8Array> {
  let size = first;
  for (let pos = 0; pos < blob.size; pos += size, size = Math.min(max, size * 2)) {
    yield new Uint8Array(await blob.slice(pos, Math.min(blob.size, pos + size)).arrayBuffer());
  }
}

async function open(file: Blob, name: string): Promise<void> {
  engine = new CaptureEngine();
  cancelled = false;
  loading = true;
  try {
    const summary = await engine.load(
      { name, totalBytes: file.size, chunks: rampedChunks(file) },
      {
        progress: (progress) => post({ type: 'progress', progress }),
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
