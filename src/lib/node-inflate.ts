// Node's zlib (native) as the inflater of src/lib/inflate.ts, for the command line: on a capture
// of 2,000 gzip'd 15 KB pages it decodes the bodies several times faster than fflate. Node only.

import { gunzipSync, inflateRawSync, inflateSync } from 'node:zlib';
import type { Inflater } from './inflate.ts';

export const nodeInflater: Inflater = (data, wrapping, maxBytes) => {
  const opts = { maxOutputLength: maxBytes };
  try {
    const out = wrapping === 'gzip' ? gunzipSync(data, opts) : wrapping === 'zlib' ? inflateSync(data, opts) : inflateRawSync(data, opts);
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  } catch {
    return null;
  }
};
