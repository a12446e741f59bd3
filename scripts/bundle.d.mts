/** Path of an up-to-date bundle of `entry` (relative to the repo root), named `name`.mjs (see bundle.mjs). */
export function ensureBundle(entry: string, name: string): Promise<string>;
