import { describe, expect, it } from 'vitest';
import { cpuSplit, type CpuSnapshot } from './cpu-split.ts';

const snap = (entries: Record<string, number>): CpuSnapshot => new Map(Object.entries(entries));

describe('cpuSplit', () => {
  it('counts the time of a thread that ended during the load from its process figure', () => {
    const before = snap({
      'renderer:7:process': 1000,
      'renderer:7:71:DedicatedWorker': 600, // the decoder
      'renderer:7:72:DedicatedWorker': 10, // the file reader: gone by the second look
      'renderer:7:73:chromium': 390,
      'browser:5:process': 200,
      'browser:5:51:Chrome_IOThread': 200,
    });
    const after = snap({
      'renderer:7:process': 2300, // +1300: decoder +700, main +300, so the reader +300
      'renderer:7:71:DedicatedWorker': 1300,
      'renderer:7:73:chromium': 690,
      'browser:5:process': 700,
      'browser:5:51:Chrome_IOThread': 700,
    });
    const s = cpuSplit(before, after);
    expect(s.totalMs).toBe(1800);
    expect(s.workersMs).toEqual([700, 300]);
    expect(new Map(s.groups)).toEqual(
      new Map([
        ['workers (decoder, file reader)', 1000],
        ['the browser process reading the file', 500],
        ["the page's main thread", 300],
      ]),
    );
  });

  it('leaves tick rounding between a process and its threads alone', () => {
    const before = snap({ 'renderer:7:process': 0, 'renderer:7:71:DedicatedWorker': 0 });
    const after = snap({ 'renderer:7:process': 510, 'renderer:7:71:DedicatedWorker': 500 });
    expect(cpuSplit(before, after).workersMs).toEqual([500]);
  });
});
