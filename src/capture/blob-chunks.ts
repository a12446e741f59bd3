// Browser / web worker (and Node ≥ 20): a File or Blob as a stream of chunks for readCapture().
// Each slice is read into its own ArrayBuffer, so PacketRecord views stay valid.

export interface BlobChunkOptions {
  /** Size of the first slice; later slices double up to `max` (small first = first rows sooner). */
  first?: number;
  max?: number;
  /** Slices read ahead while the consumer works on the current one (reading and decoding overlap). */
  ahead?: number;
}

export async function* blobChunks(blob: Blob, opts: BlobChunkOptions | number = {}): AsyncGenerator<Uint8Array> {
  const o = typeof opts === 'number' ? { first: opts, max: opts } : opts;
  const max = o.max ?? 4 << 20;
  let size = Math.min(o.first ?? max, max);
  const ahead = Math.max(0, o.ahead ?? 2);
  const queue: Promise<ArrayBuffer>[] = [];
  let pos = 0;
  const fill = () => {
    while (queue.length <= ahead && pos < blob.size) {
      const end = Math.min(blob.size, pos + size);
      queue.push(blob.slice(pos, end).arrayBuffer());
      pos = end;
      size = Math.min(max, size * 2);
    }
  };
  try {
    fill();
    while (queue.length) {
      const next = await queue.shift()!;
      fill();
      yield new Uint8Array(next);
    }
  } finally {
    // A consumer that stops early (cancel) leaves reads in flight: let them settle quietly.
    for (const q of queue) q.catch(() => undefined);
  }
}
