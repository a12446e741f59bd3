// Node only (CLI, bench, corpus tests): a file as a stream of chunks for readCapture().
// Not imported by browser code.

import { open } from 'node:fs/promises';

/**
 * Where a chunk starts in its allocation. glibc places a large block 16 bytes past a page
 * boundary, and the kernel's copy from the page cache (page-aligned) into a buffer that starts
 * 8–24 bytes past a page boundary runs at a fifth of its speed on the AMD EPYC machines here
 * (4K aliasing of its loads and stores: 100 MB read in 4 MiB slices took 65–75 ms at those
 * offsets, 16–25 ms at any other): 0.42 s instead of 0.08 s for the benchmark's 700 MB file.
 * Starting 64 bytes in moves the chunk out of that window.
 */
const CHUNK_SKEW = 64;

/** A chunk buffer of `size` bytes, not zero-filled (the read overwrites it; zero-filling cost a third of the read time). */
function chunkBuffer(size: number): Uint8Array {
  return new Uint8Array(Buffer.allocUnsafeSlow(size + CHUNK_SKEW).buffer, CHUNK_SKEW, size);
}

/**
 * Reads `path` in slices of `chunkSize` bytes. By default each chunk is a fresh buffer, so
 * PacketRecords (views into them) may be kept. With `reuse`, two buffers take turns: a chunk is
 * valid only until the consumer asks for the next one (records must be used, or copied, before
 * that). Fresh memory is costly to touch (page faults: ~0.7 s of a 700 MB file's read here), and
 * reused buffers touch it once.
 */
export async function* fileChunks(path: string, chunkSize = 4 << 20, opts: { reuse?: boolean } = {}): AsyncGenerator<Uint8Array> {
  const fh = await open(path, 'r');
  try {
    let left = (await fh.stat()).size;
    const pool: Uint8Array[] = [];
    // The next slice is read while the consumer works on the current one (the read runs on
    // libuv's thread pool), so reading and decoding overlap.
    const readNext = async (): Promise<Uint8Array | null> => {
      // Size the buffer to what is left (a small file gets a small buffer); once the expected
      // size is read, a small probe read confirms the end (the file may have grown).
      const size = left > 0 ? Math.min(chunkSize, left) : 65536;
      let buf = pool.pop();
      if (!buf || buf.length < size) buf = chunkBuffer(opts.reuse ? Math.max(size, chunkSize) : size);
      const { bytesRead } = await fh.read(buf, 0, size, null);
      if (bytesRead === 0) return null;
      left -= bytesRead;
      return bytesRead === buf.length ? buf : buf.subarray(0, bytesRead);
    };
    let next: Promise<Uint8Array | null> | null = readNext();
    try {
      for (;;) {
        const cur: Uint8Array | null = await next;
        next = null;
        if (!cur) return;
        next = readNext();
        yield cur;
        // The consumer is done with `cur`: its buffer takes the turn after `next`.
        if (opts.reuse) pool.push(new Uint8Array(cur.buffer, cur.byteOffset, cur.buffer.byteLength - cur.byteOffset));
      }
    } finally {
      // A consumer that stops early leaves a read in flight: let it settle before closing.
      if (next) await next.catch(() => null);
    }
  } finally {
    await fh.close();
  }
}
