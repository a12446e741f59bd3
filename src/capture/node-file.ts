// Node only (CLI, bench, corpus tests): a file as a stream of chunks for readCapture().
// Not imported by browser code.

import { open } from 'node:fs/promises';

/**
 * Reads `path` in slices of `chunkSize` bytes. Each chunk is a fresh buffer (PacketRecords are
 * views into them), so nothing is copied again and nothing is reused under the consumer's feet.
 */
export async function* fileChunks(path: string, chunkSize = 4 << 20): AsyncGenerator<Uint8Array> {
  const fh = await open(path, 'r');
  try {
    let left = (await fh.stat()).size;
    // The next slice is read while the consumer works on the current one (the read runs on
    // libuv's thread pool), so reading and decoding overlap.
    const readNext = async (): Promise<Uint8Array | null> => {
      // Size the buffer to what is left (a small file gets a small buffer); once the expected
      // size is read, a small probe read confirms the end (the file may have grown).
      const size = left > 0 ? Math.min(chunkSize, left) : 65536;
      // Not zero-filled first (the read overwrites it): that alone cost a third of the read time.
      const buf = new Uint8Array(Buffer.allocUnsafeSlow(size).buffer, 0, size);
      const { bytesRead } = await fh.read(buf, 0, size, null);
      if (bytesRead === 0) return null;
      left -= bytesRead;
      return bytesRead === size ? buf : buf.subarray(0, bytesRead);
    };
    let next: Promise<Uint8Array | null> | null = readNext();
    try {
      for (;;) {
        const cur: Uint8Array | null = await next;
        next = null;
        if (!cur) return;
        next = readNext();
        yield cur;
      }
    } finally {
      // A consumer that stops early leaves a read in flight: let it settle before closing.
      if (next) await next.catch(() => null);
    }
  } finally {
    await fh.close();
  }
}
