// The "Load sample" list: public/samples/index.json, fetched relative to the app's base URL so
// that a built dist/ works from any static path. Absent or broken → an empty list.

import { useEffect, useState } from 'react';

export interface Sample {
  file: string;
  title: string;
  description: string;
  packets: number;
}

export type SamplesState = { status: 'loading' } | { status: 'ready'; samples: Sample[] } | { status: 'none' };

function isSample(v: unknown): v is Sample {
  if (typeof v !== 'object' || v === null) return false;
  const s = v as Record<string, unknown>;
  return typeof s.file === 'string' && s.file.length > 0 && !s.file.includes('..') && typeof s.title === 'string';
}

export function samplesBase(): string {
  const base = import.meta.env.BASE_URL || './';
  return `${base.endsWith('/') ? base : base + '/'}samples/`;
}

export function sampleUrl(s: Sample): string {
  return samplesBase() + s.file.split('/').map(encodeURIComponent).join('/');
}

let cached: Promise<SamplesState> | null = null;

function loadSamples(): Promise<SamplesState> {
  cached ??= fetch(samplesBase() + 'index.json', { cache: 'no-cache' })
    .then(async (r) => {
      if (!r.ok) return { status: 'none' } as const;
      const list: unknown = await r.json();
      if (!Array.isArray(list)) return { status: 'none' } as const;
      const samples = list.filter(isSample).map((s) => ({
        file: s.file,
        title: s.title,
        description: typeof s.description === 'string' ? s.description : '',
        packets: typeof s.packets === 'number' ? s.packets : 0,
      }));
      return samples.length ? ({ status: 'ready', samples } as const) : ({ status: 'none' } as const);
    })
    .catch(() => ({ status: 'none' }) as const);
  return cached;
}

export function useSamples(): SamplesState {
  const [state, setState] = useState<SamplesState>({ status: 'loading' });
  useEffect(() => {
    let live = true;
    void loadSamples().then((s) => live && setState(s));
    return () => {
      live = false;
    };
  }, []);
  return state;
}
