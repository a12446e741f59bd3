// Where the CPU goes while Chromium loads a capture: every thread of every Chromium process, read
// from /proc before and after (Linux only; elsewhere no figures), grouped by what the thread does.
// On a 2-core machine the load's wall time cannot be less than half the total, whatever the
// decoder does: the file's reading and V8's background threads count as much as the decoder.

import { existsSync, readdirSync, readFileSync } from 'node:fs';

/** CPU milliseconds (user + system) of each Chromium thread, by "process type:tid:thread name". */
export type CpuSnapshot = Map<string, number>;

const TICK_MS = 10; // USER_HZ is 100 on Linux

export function chromiumCpu(): CpuSnapshot | null {
  if (!existsSync('/proc/self/task')) return null;
  const out: CpuSnapshot = new Map();
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!/chrom/i.test(cmd.split('\0')[0] ?? '')) continue;
      const type = /--type=([a-z-]+)/.exec(cmd)?.[1] ?? 'browser';
      for (const tid of readdirSync(`/proc/${pid}/task`)) {
        const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        // Fields after the name: state is field 3; utime and stime are fields 14 and 15 (proc(5)).
        // Thread names are cut to 15 characters (Chrome_ChildIOThread shows as Chrome_ChildIOT).
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        out.set(`${type}:${tid}:${name}`, (Number(f[11]) + Number(f[12])) * TICK_MS);
      }
    } catch {
      // the process or thread ended meanwhile
    }
  }
  return out;
}

export interface CpuSplit {
  totalMs: number;
  /** Milliseconds per group, largest first. */
  groups: [string, number][];
  /** The busiest dedicated worker (the decoder) and the others (the file reader). */
  workersMs: number[];
}

function groupOf(type: string, name: string): string {
  if (type === 'renderer' && name.startsWith('DedicatedWorker')) return 'workers (decoder, file reader)';
  if (type === 'renderer' && name.startsWith('ThreadPool')) return "the page process's thread pool (mostly V8's compiler and GC)";
  if (type === 'renderer' && name.startsWith('Chrome_ChildIO')) return "the page's IPC thread (file data arriving)";
  if (type === 'browser' && (name === 'Chrome_IOThread' || name.startsWith('ThreadPool'))) return 'the browser process reading the file';
  if (type === 'renderer' && (name === 'chromium' || name === 'CrRendererMain')) return "the page's main thread";
  if (type === 'gpu-process' || name === 'Compositor') return 'compositing';
  return 'other';
}

export function cpuSplit(before: CpuSnapshot, after: CpuSnapshot): CpuSplit {
  const groups = new Map<string, number>();
  const workers: number[] = [];
  let totalMs = 0;
  for (const [key, ms] of after) {
    const d = ms - (before.get(key) ?? 0);
    if (d <= 0) continue;
    const [type = '', , name = ''] = key.split(':');
    const g = groupOf(type, name);
    groups.set(g, (groups.get(g) ?? 0) + d);
    if (g.startsWith('workers')) workers.push(d);
    totalMs += d;
  }
  return { totalMs, groups: [...groups].sort((a, b) => b[1] - a[1]), workersMs: workers.sort((a, b) => b - a) };
}
