// Where the CPU goes while Chromium loads a capture: every thread of every Chromium process, read
// from /proc before and after (Linux only; elsewhere no figures), grouped by what the thread does.
// On a 2-core machine the load's wall time cannot be less than half the total, whatever the
// decoder does: the file's reading and V8's background threads count as much as the decoder.
//
// A thread that ends during the load (the file reader's worker ends with it) is gone from /proc
// by the second look; its process's own figure still holds its time (proc(5): a process's
// utime and stime include its threads that ended), so each process is read too and what its
// threads do not account for is counted as "threads that ended".

import { existsSync, readdirSync, readFileSync } from 'node:fs';

/**
 * CPU milliseconds (user + system) of each Chromium thread, by "process type:pid:tid:thread
 * name", and of each Chromium process, by "process type:pid:process".
 */
export type CpuSnapshot = Map<string, number>;

const TICK_MS = 10; // USER_HZ is 100 on Linux

/** utime + stime of a /proc stat line, in ms (fields 14 and 15, counted after the name, proc(5)). */
function statCpuMs(stat: string): number {
  const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(f[11]) + Number(f[12])) * TICK_MS;
}

export function chromiumCpu(): CpuSnapshot | null {
  if (!existsSync('/proc/self/task')) return null;
  const out: CpuSnapshot = new Map();
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      if (!/chrom/i.test(cmd.split('\0')[0] ?? '')) continue;
      const type = /--type=([a-z-]+)/.exec(cmd)?.[1] ?? 'browser';
      out.set(`${type}:${pid}:process`, statCpuMs(readFileSync(`/proc/${pid}/stat`, 'utf8')));
      for (const tid of readdirSync(`/proc/${pid}/task`)) {
        const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        // Thread names are cut to 15 characters (Chrome_ChildIOThread shows as Chrome_ChildIOT).
        const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        out.set(`${type}:${pid}:${tid}:${name}`, statCpuMs(stat));
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

/** The group of the time of a process's threads that ended during the load. */
function endedGroupOf(type: string): string {
  // In the page's process only the file reader's worker ends with the load.
  return type === 'renderer' ? 'workers (decoder, file reader)' : 'other';
}

export function cpuSplit(before: CpuSnapshot, after: CpuSnapshot): CpuSplit {
  const groups = new Map<string, number>();
  const add = (g: string, ms: number) => groups.set(g, (groups.get(g) ?? 0) + ms);
  const workers: number[] = [];
  const threadsOf = new Map<string, number>(); // "type:pid" → the deltas of its threads still there
  const processes: [string, number][] = [];
  for (const [key, ms] of after) {
    const d = ms - (before.get(key) ?? 0);
    const parts = key.split(':');
    const [type = '', pid = ''] = parts;
    if (parts.length === 3) {
      processes.push([`${type}:${pid}`, d]);
      continue;
    }
    if (d <= 0) continue;
    const name = parts.slice(3).join(':');
    threadsOf.set(`${type}:${pid}`, (threadsOf.get(`${type}:${pid}`) ?? 0) + d);
    const g = groupOf(type, name);
    add(g, d);
    if (g.startsWith('workers')) workers.push(d);
  }
  let totalMs = 0;
  for (const [proc, d] of processes) {
    totalMs += d;
    // Ticks are counted per thread and per process apart: a few ms either way are rounding.
    const ended = d - (threadsOf.get(proc) ?? 0);
    if (ended <= 2 * TICK_MS) continue;
    const g = endedGroupOf(proc.split(':')[0]!);
    add(g, ended);
    if (g.startsWith('workers')) workers.push(ended);
  }
  return { totalMs, groups: [...groups].filter(([, ms]) => ms > 0).sort((a, b) => b[1] - a[1]), workersMs: workers.sort((a, b) => b - a) };
}
