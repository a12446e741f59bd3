import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { LineWriter } from './line-writer.ts';

/** A stream that copies what it is given only later, as a slow pipe would. */
function slowSink(): { stream: Writable; text: () => Promise<string> } {
  const pending: Promise<Buffer>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      pending.push(new Promise((res) => setTimeout(() => { res(Buffer.from(chunk)); done(); }, 1)));
    },
  });
  const text = async (): Promise<string> => {
    // Everything handed to the stream so far, once it has all been written.
    while (stream.writableLength > 0) await new Promise((r) => setTimeout(r, 1));
    return Buffer.concat(await Promise.all(pending)).toString('utf8');
  };
  return { stream, text };
}

describe('LineWriter', () => {
  it('writes every line in order, each with a newline, across many buffers the stream has not written yet', async () => {
    const sink = slowSink();
    const w = new LineWriter(sink.stream, 400);
    const lines = Array.from({ length: 500 }, (_, i) => `${i} 127.0.0.1 \u2192 10.0.0.${i % 256} TCP ${'x'.repeat(i % 17)}`);
    for (const l of lines) w.line(l);
    w.flush();
    expect(await sink.text()).toBe(lines.join('\n') + '\n');
  });

  it('writes a line longer than its buffer, and multi-byte text, unchanged', async () => {
    const sink = slowSink();
    const w = new LineWriter(sink.stream, 16);
    const lines = ['short', 'é→😀 '.repeat(20), '', 'end'];
    for (const l of lines) w.line(l);
    w.flush();
    expect(await sink.text()).toBe(lines.join('\n') + '\n');
  });

  it('writes nothing until flushed or full, and nothing for an empty flush', async () => {
    const sink = slowSink();
    const w = new LineWriter(sink.stream, 1024);
    w.flush();
    w.line('a');
    expect(await sink.text()).toBe('');
    w.flush();
    expect(await sink.text()).toBe('a\n');
  });

  it('holds back the next slice while the stream is full, and goes on once it drains', async () => {
    let written = 0;
    const stream = new Writable({
      highWaterMark: 1000,
      write(chunk: Buffer, _enc, done) {
        setTimeout(() => {
          written += chunk.length;
          done();
        }, 5);
      },
    });
    const w = new LineWriter(stream, 600);
    const most: number[] = [];
    async function* slices() {
      for (let i = 0; i < 20; i++) yield i;
    }
    for await (const _ of w.paced(slices())) {
      for (let k = 0; k < 10; k++) w.line('x'.repeat(99)); // 1,000 bytes a slice
      most.push(stream.writableLength);
    }
    w.flush();
    await w.ready();
    await new Promise((r) => stream.end(r));
    expect(written).toBe(20_000);
    // Never more than a slice beyond the high-water mark waits in memory.
    expect(Math.max(...most)).toBeLessThanOrEqual(1000 + 1000);
  });
});
