import { describe, expect, it, vi } from 'vitest';
import { afterQuiet, CaptureClient, createCaptureWorker, discardSpareWorker, WARMUP_SAMPLES, type CaptureEvents, type WorkerLike } from './capture-client.ts';
import type { CaptureSummary, Request, Response } from '../worker/protocol.ts';

class FakeWorker implements WorkerLike {
  sent: Request[] = [];
  terminated = false;
  onmessage: ((ev: MessageEvent) => unknown) | null = null;
  onerror: ((ev: ErrorEvent) => unknown) | null = null;
  onmessageerror: ((ev: MessageEvent) => unknown) | null = null;
  postMessage(m: unknown): void {
    this.sent.push(m as Request);
  }
  terminate(): void {
    this.terminated = true;
  }
  reply(r: Response): void {
    this.onmessage?.({ data: r } as MessageEvent);
  }
}

function setup() {
  const w = new FakeWorker();
  const events: CaptureEvents = { progress: vi.fn(), loaded: vi.fn(), failed: vi.fn(), crashed: vi.fn() };
  const c = new CaptureClient(new Blob(['x']), 'x.pcap', events, () => w);
  return { w, events, c };
}

describe('CaptureClient', () => {
  it('opens the file and routes answers to their requests by id', async () => {
    const { w, c } = setup();
    expect(w.sent[0]).toMatchObject({ type: 'open', name: 'x.pcap' });
    const a = c.position(5);
    const b = c.position(6);
    const [pa, pb] = w.sent.slice(1) as Extract<Request, { type: 'position' }>[];
    w.reply({ type: 'position', id: pb!.id, position: 60 });
    w.reply({ type: 'position', id: pa!.id, position: 50 });
    expect(await a).toBe(50);
    expect(await b).toBe(60);
  });

  it('passes load events through', () => {
    const { w, events } = setup();
    w.reply({ type: 'progress', progress: { bytesRead: 1, totalBytes: 2, packets: 3 } });
    w.reply({ type: 'failed', message: 'not a pcap' });
    expect(events.progress).toHaveBeenCalledWith({ bytesRead: 1, totalBytes: 2, packets: 3 });
    expect(events.failed).toHaveBeenCalledWith('not a pcap');
  });

  it('a worker error is a crash: terminates, reports, and resolves pending requests to null', async () => {
    const { w, c, events } = setup();
    const p = c.details(3);
    w.onerror?.({ message: 'boom', preventDefault() {} } as ErrorEvent);
    expect(events.crashed).toHaveBeenCalledWith('boom');
    expect(w.terminated).toBe(true);
    expect(c.dead).toBe(true);
    expect(await p).toBeNull();
    expect(await c.rows(0, 10)).toBeNull();
  });

  it('a message that cannot be deserialised is a crash too', () => {
    const { w, events } = setup();
    w.onmessageerror?.({} as MessageEvent);
    expect(events.crashed).toHaveBeenCalledOnce();
  });

  it('dispose() terminates without reporting a crash', () => {
    const { w, c, events } = setup();
    c.dispose();
    expect(w.terminated).toBe(true);
    expect(events.crashed).not.toHaveBeenCalled();
    c.cancel();
    expect(w.sent.at(-1)?.type).toBe('open');
  });
});

describe('the spare worker for the next file', () => {
  it('is started once the load has ended (when idle), not while the decoder needs the CPU', () => {
    const made: FakeWorker[] = [];
    const idle: (() => void)[] = [];
    vi.stubGlobal(
      'Worker',
      class extends FakeWorker {
        constructor() {
          super();
          made.push(this);
        }
      },
    );
    vi.stubGlobal('requestIdleCallback', (f: () => void) => idle.push(f));
    const runIdle = () => idle.splice(0).forEach((f) => f());
    try {
      discardSpareWorker();
      const events: CaptureEvents = { progress: vi.fn(), loaded: vi.fn(), failed: vi.fn(), crashed: vi.fn() };
      new CaptureClient(new Blob(['x']), 'x.pcap', events, createCaptureWorker);
      expect(made).toHaveLength(1); // this file's worker
      made[0]!.reply({ type: 'progress', progress: { bytesRead: 1, totalBytes: 2, packets: 3 } });
      runIdle();
      expect(made).toHaveLength(1); // still loading: no second worker
      made[0]!.reply({ type: 'loaded', summary: { packets: 3 } as CaptureSummary });
      expect(events.loaded).toHaveBeenCalled();
      runIdle();
      expect(made).toHaveLength(2); // ready for the next file
    } finally {
      vi.unstubAllGlobals();
      discardSpareWorker();
    }
  });
});

describe('afterQuiet', () => {
  it('waits until the user has left the page alone for the time given', () => {
    vi.useFakeTimers();
    const target = new EventTarget();
    vi.stubGlobal('window', Object.assign(target, { setTimeout, clearTimeout }));
    try {
      const f = vi.fn();
      afterQuiet(5000, f);
      vi.advanceTimersByTime(4000);
      expect(f).not.toHaveBeenCalled();
      target.dispatchEvent(new Event('keydown')); // the user is busy: 5 s more from now
      vi.advanceTimersByTime(4000);
      target.dispatchEvent(new Event('pointerdown'));
      vi.advanceTimersByTime(4999);
      expect(f).not.toHaveBeenCalled();
      vi.advanceTimersByTime(1);
      expect(f).toHaveBeenCalledTimes(1);
      target.dispatchEvent(new Event('wheel')); // no longer listening
      vi.advanceTimersByTime(10_000);
      expect(f).toHaveBeenCalledTimes(1);
    } finally {
      vi.unstubAllGlobals();
      vi.useRealTimers();
    }
  });
});

describe('the decoder warm-up samples', () => {
  it('ship in public/samples, one pcapng and one classic pcap, and exercise HTTP, TLS and TCP', async () => {
    const { readFileSync } = await import('node:fs');
    const { CaptureEngine } = await import('../worker/engine.ts');
    const formats: string[] = [];
    for (const name of WARMUP_SAMPLES) {
      const bytes = new Uint8Array(readFileSync(new URL(`../../public/samples/${name}`, import.meta.url)));
      const e = new CaptureEngine();
      const s = await e.load({ name, totalBytes: bytes.length, chunks: (async function* () { yield bytes; })() });
      expect(s.packets).toBeGreaterThan(100);
      expect(s.malformed).toBe(0);
      formats.push(s.format);
      const protocols = new Set(e.rows(0, s.packets).map((r) => r.protocol));
      expect([...protocols]).toEqual(expect.arrayContaining(['TCP', 'HTTP', 'TLSv1.3']));
    }
    expect(formats.sort()).toEqual(['pcap', 'pcapng']);
  });
});
