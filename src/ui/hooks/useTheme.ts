// Light/dark theme: follows prefers-color-scheme until the user picks one (remembered).

import { useCallback, useEffect, useState } from 'react';
import { loadSetting, removeSetting, saveSetting } from '../lib/storage.ts';

export type Theme = 'light' | 'dark';
const isTheme = (v: unknown): v is Theme => v === 'light' || v === 'dark';

function systemTheme(): Theme {
  return typeof matchMedia === 'function' && matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

/** Sets the theme before React's first render (no flash of the wrong theme). */
export function applyInitialTheme(): void {
  const t = loadSetting<Theme | null>('theme', null, (v): v is Theme | null => isTheme(v)) ?? systemTheme();
  document.documentElement.dataset.theme = t;
  document.documentElement.style.colorScheme = t;
}

export function useTheme(): { theme: Theme; chosen: boolean; toggle(): void; followSystem(): void } {
  const [chosen, setChosen] = useState<Theme | null>(() => loadSetting<Theme | null>('theme', null, (v): v is Theme | null => isTheme(v)));
  const [system, setSystem] = useState<Theme>(systemTheme);

  useEffect(() => {
    if (typeof matchMedia !== 'function') return;
    const mq = matchMedia('(prefers-color-scheme: dark)');
    const on = () => setSystem(mq.matches ? 'dark' : 'light');
    mq.addEventListener('change', on);
    return () => mq.removeEventListener('change', on);
  }, []);

  const theme = chosen ?? system;
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    document.documentElement.style.colorScheme = theme;
  }, [theme]);

  const toggle = useCallback(() => {
    const next: Theme = theme === 'dark' ? 'light' : 'dark';
    setChosen(next);
    saveSetting('theme', next);
  }, [theme]);

  const followSystem = useCallback(() => {
    setChosen(null);
    removeSetting('theme');
  }, []);

  return { theme, chosen: chosen !== null, toggle, followSystem };
}
