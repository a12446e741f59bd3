// gzip-compressed captures (.pcap.gz, .pcapng.gz; RFC 1952), detected by magic in sniff.ts.
// Decompressed as a stream with the standard DecompressionStream('gzip'), which exists in
// browsers, web workers and Node ≥ 18 alike, so the same code serves the UI and the CLI.
// Node's implementation (zlib) also reads multi-member files (concatenated gzip members).

export interface GunzipOutcome {
  /**
   * Set when the compressed data turned out truncated or corrupt. Every byte the decompressor
   * released before that was passed to the sink (with Node's zlib up to ~16 KiB of output just
   * before the damage may be withheld).
   */
  error?: string;
}

/**
 * Streams `chunks` through a gzip decompressor and hands each decompressed chunk to `sink`
 * (a fresh buffer each time, so views into it stay valid). The sink returns false to stop early.
 * Rejects only when reading the input itself fails (or the sink throws).
 */
export async function gunzip(
  chunks: AsyncIterable<Uint8Array>,
  sink: (chunk: Uint8Array) => boolean,
): Promise<GunzipOutcome> {
  const ds = new DecompressionStream('gzip');
  const writer = ds.writable.getWriter();
  const reader = ds.readable.getReader();
  let stop = false;
  let inputFailure: { error: unknown } | undefined;

  // Feed the compressed chunks in while the loop below drains the output (backpressure both ways).
  const pump = (async () => {
    const it = chunks[Symbol.asyncIterator]();
    let finished = false;
    try {
      for (;;) {
        let r: IteratorResult<Uint8Array>;
        try {
          r = await it.next();
        } catch (error) {
          finished = true; // a throwing iterator is done
          inputFailure = { error };
          await writer.abort(error).catch(() => {});
          return;
        }
        if (r.done) {
          finished = true;
          break;
        }
        if (stop) return;
        // A copy: the decompressor may still hold the chunk after write() settles, and the
        // caller may reuse its buffer for the next slice (fileChunks' reuse).
        if (r.value.length > 0) await writer.write(r.value.slice() as Uint8Array<ArrayBuffer>);
      }
      await writer.close();
    } catch {
      // The stream errored (corrupt data) or was cancelled: the reading side reports it.
    } finally {
      if (!finished) await Promise.resolve(it.return?.()).catch(() => {});
    }
  })();

  let error: string | undefined;
  let sinkFailure: { error: unknown } | undefined;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      let more: boolean;
      try {
        more = sink(value);
      } catch (e) {
        sinkFailure = { error: e };
        more = false;
      }
      if (!more) {
        stop = true;
        await reader.cancel().catch(() => {});
        break;
      }
    }
  } catch (e) {
    error = e instanceof Error ? e.message : String(e);
  }
  await pump;
  if (inputFailure) throw inputFailure.error;
  if (sinkFailure) throw sinkFailure.error;
  return error === undefined ? {} : { error };
}
