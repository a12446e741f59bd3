// The UI's handle on one capture worker (one per opened file): sends requests with ids, routes
// the answers back to their promises and the load events to a listener. No per-packet work
// happens here; everything heavy stays in the worker.

import type { LadderModel } from '../analysis/ladder.ts';
import type { TcpSession } from '../analysis/sessions.ts';
import type { CaptureSummary, LoadProgress, PacketDetails, Request, Response, RowData, ViewSpec } from '../worker/protocol.ts';
import { samplesBase } from './hooks/useSamples.ts';
import { reservePositions } from './lib/virtual-growth.ts';

/** What the client needs from a Worker (a fake one in unit tests). */
export interface WorkerLike {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  terminate(): void;
  onmessage: ((ev: MessageEvent) => unknown) | null;
  onerror: ((ev: ErrorEvent) => unknown) | null;
  onmessageerror: ((ev: MessageEvent) => unknown) | null;
}

export type WorkerFactory = () => WorkerLike;

const spawnCaptureWorker = (): Worker =>
  new Worker(new URL('../worker/capture-worker.ts', import.meta.url), { type: 'module', name: 'capture' });

/** Rows whose list positions are made ahead of a file (16 MB: room for a 500k-packet capture's guess). */
const SPARE_POSITION_ROWS = 1 << 20;

/** A worker started ahead of time: opening a file then does not wait for the decoder's code to load. */
let spare: Worker | null = null;

export function discardSpareWorker(): void {
  spare?.terminate();
  spare = null;
  setDecoderReady(false);
}

/**
 * `<html data-decoder="ready">` while a warmed-up spare worker waits for a file (the benchmark
 * picks its file then, as a user who takes a few seconds would).
 */
function setDecoderReady(ready: boolean): void {
  if (typeof document === 'undefined') return;
  if (ready) document.documentElement.dataset.decoder = 'ready';
  else delete document.documentElement.dataset.decoder;
}

export function prewarmCaptureWorker(): void {
  // The packet list's row positions for the next file, while nothing else runs.
  whenIdle(() => reservePositions(SPARE_POSITION_ROWS));
  if (spare || typeof Worker === 'undefined') return;
  const w = spawnCaptureWorker();
  spare = w;
  w.onmessage = (ev: MessageEvent<Response>) => {
    if (ev.data?.type === 'warmedUp' && spare === w) setDecoderReady(true);
  };
  void warmUp(w);
}

/**
 * The samples the spare worker decodes to warm up: real HTTP and HTTPS through a balancer, as
 * pcapng and as a classic pcap (their readers are different code).
 */
export const WARMUP_SAMPLES = ['nginx-balancer.pcapng', 'lab-balancer.pcap'];
/** Packets it decodes (the samples again and again): ~2.3 s of one core here, before any file. */
const WARMUP_PACKETS = 100_000;

/** Has the spare worker decode sample captures while the user picks a file (see capture-worker.ts). */
async function warmUp(w: Worker): Promise<void> {
  try {
    const samples: ArrayBuffer[] = [];
    for (const name of WARMUP_SAMPLES) {
      const r = await fetch(samplesBase() + name);
      if (r.ok) samples.push(await r.arrayBuffer());
      if (spare !== w) return;
    }
    if (samples.length) w.postMessage({ type: 'warmup', samples, packets: WARMUP_PACKETS } satisfies Request, samples);
  } catch {
    // No samples (an app served without public/samples): the first file is decoded cold.
  }
}

export const createCaptureWorker: WorkerFactory = () => {
  const w = spare ?? spawnCaptureWorker();
  spare = null;
  setDecoderReady(false);
  return w;
};

/**
 * Gets the next worker ready (the user may open another file) once the user has left the page
 * alone for a while and the browser is idle. Called when a load has ended, not when it starts:
 * the main thread is often idle during a load, and a worker compiling its code then takes a CPU
 * from the decoder (2-core machines have no spare). Not at once after the load either: its
 * warm-up keeps a core busy for ~3 s, and the user is likely to be clicking through the capture
 * just loaded (the ladder of a 10,000-packet session took 0.46–0.76 s to paint while it ran,
 * 0.36–0.48 s without).
 */
function prewarmWhenIdle(): void {
  afterQuiet(PREWARM_QUIET_MS, () => whenIdle(prewarmCaptureWorker));
}

/** How long the user must leave the page alone after a load before the next worker warms up. */
const PREWARM_QUIET_MS = 5000;

/** Runs `f` once no key, pointer or wheel input came for `ms` (at once without a window). */
export function afterQuiet(ms: number, f: () => void): void {
  if (typeof window === 'undefined') {
    f();
    return;
  }
  const events = ['keydown', 'pointerdown', 'wheel'] as const;
  const options = { capture: true, passive: true };
  let timer = 0;
  const again = () => {
    clearTimeout(timer);
    timer = window.setTimeout(done, ms);
  };
  const done = () => {
    for (const e of events) window.removeEventListener(e, again, options);
    f();
  };
  for (const e of events) window.addEventListener(e, again, options);
  again();
}

/** Runs `f` once the browser is idle (a second later where it cannot tell). */
export function whenIdle(f: () => void): void {
  const later = (globalThis as { requestIdleCallback?: (f: () => void) => void }).requestIdleCallback ?? ((g: () => void) => setTimeout(g, 1000));
  later(f);
}

export interface CaptureEvents {
  progress(p: LoadProgress): void;
  loaded(s: CaptureSummary): void;
  failed(message: string): void;
  /** The worker died (uncaught error, unreadable message): the client is dead. */
  crashed(message: string): void;
  /** One request failed (the file could not be read again); it resolved to null, the rest goes on. */
  requestFailed?(message: string): void;
}

type Answer<T extends Response['type']> = Extract<Response, { type: T }>;
type Asked = 'view' | 'rows' | 'details' | 'position' | 'sessions' | 'ladder';

export class CaptureClient {
  private readonly worker: WorkerLike;
  private nextId = 1;
  private readonly pending = new Map<number, (r: Response | null) => void>();
  private _dead = false;
  /** Start the next file's worker once this load has ended (real workers only). */
  private readonly prewarmNext: boolean;

  constructor(
    readonly file: Blob,
    readonly name: string,
    private readonly events: CaptureEvents,
    factory: WorkerFactory = createCaptureWorker,
  ) {
    this.worker = factory();
    this.prewarmNext = factory === createCaptureWorker;
    this.worker.onmessage = (ev: MessageEvent) => this.receive(ev.data as Response);
    this.worker.onerror = (ev: ErrorEvent) => {
      ev.preventDefault?.();
      this.crash(ev.message || 'an error in the decoder');
    };
    this.worker.onmessageerror = () => this.crash('a message from the decoder could not be read');
    this.post({ type: 'open', file, name });
  }

  get dead(): boolean {
    return this._dead;
  }

  private post(msg: Request): void {
    if (this._dead) return;
    try {
      this.worker.postMessage(msg);
    } catch (e) {
      this.crash(e instanceof Error ? e.message : String(e));
    }
  }

  private ask<T extends Asked>(msg: Request & { id: number }): Promise<Answer<T> | null> {
    if (this._dead) return Promise.resolve(null);
    return new Promise((resolve) => {
      this.pending.set(msg.id, resolve as (r: Response | null) => void);
      this.post(msg);
    });
  }

  private receive(m: Response): void {
    if (this._dead || !m || typeof m !== 'object') return;
    switch (m.type) {
      case 'progress':
        this.events.progress(m.progress);
        return;
      case 'loaded':
        if (this.prewarmNext) prewarmWhenIdle();
        this.events.loaded(m.summary);
        return;
      case 'failed':
        if (this.prewarmNext) prewarmWhenIdle();
        this.events.failed(m.message);
        return;
      case 'readError':
        this.events.requestFailed?.(m.message);
        return;
      case 'warmedUp':
        return; // the spare worker's news, for the page (see setDecoderReady)
      case 'requestFailed': {
        const r = this.pending.get(m.id);
        this.pending.delete(m.id);
        r?.(null);
        this.events.requestFailed?.(m.message);
        return;
      }
      default: {
        const r = this.pending.get(m.id);
        if (r) {
          this.pending.delete(m.id);
          r(m);
        }
      }
    }
  }

  private crash(message: string): void {
    if (this._dead) return;
    this.dispose();
    // The next open starts from a fresh worker, not from one made alongside the one that failed.
    discardSpareWorker();
    this.events.crashed(message);
  }

  /** Stops the worker; unanswered requests resolve to null. */
  dispose(): void {
    if (this._dead) return;
    this._dead = true;
    this.worker.onmessage = null;
    this.worker.onerror = null;
    this.worker.onmessageerror = null;
    this.worker.terminate();
    for (const r of this.pending.values()) r(null);
    this.pending.clear();
  }

  cancel(): void {
    this.post({ type: 'cancel' });
  }

  async setView(view: ViewSpec): Promise<number | null> {
    const r = await this.ask<'view'>({ type: 'view', id: this.nextId++, view });
    return r ? r.total : null;
  }

  async rows(start: number, count: number): Promise<{ start: number; rows: RowData[]; total: number } | null> {
    const r = await this.ask<'rows'>({ type: 'rows', id: this.nextId++, start, count });
    return r ? { start: r.start, rows: r.rows, total: r.total } : null;
  }

  async details(index: number): Promise<PacketDetails | null> {
    const r = await this.ask<'details'>({ type: 'details', id: this.nextId++, index });
    return r ? r.details : null;
  }

  /** Row position of frame `num` in the current view, -1 when absent, null when the worker is gone. */
  async position(num: number): Promise<number | null> {
    const r = await this.ask<'position'>({ type: 'position', id: this.nextId++, num });
    return r ? r.position : null;
  }

  /** The TCP sessions (one per tcp.stream) of the packets read so far; null when the worker is gone. */
  async sessions(): Promise<TcpSession[] | null> {
    const r = await this.ask<'sessions'>({ type: 'sessions', id: this.nextId++ });
    return r ? r.sessions : null;
  }

  /** The ladder model of one TCP stream (null: no such stream, or the worker is gone). */
  async ladder(stream: number): Promise<LadderModel | null> {
    const r = await this.ask<'ladder'>({ type: 'ladder', id: this.nextId++, stream });
    return r ? r.model : null;
  }

  /** One ladder for several streams with a lifeline per host. */
  async hostLadder(streams: number[]): Promise<LadderModel | null> {
    const r = await this.ask<'ladder'>({ type: 'hostLadder', id: this.nextId++, streams });
    return r ? r.model : null;
  }
}
