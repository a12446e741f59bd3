// Byte-array helpers shared by the layers.

/** `chunks` one after the other in one array (the chunk itself when there is one); `total` is their summed length. */
export function joinBytes(chunks: readonly Uint8Array[], total: number): Uint8Array {
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(total);
  let o = 0;
  for (const c of chunks) {
    out.set(c, o);
    o += c.length;
  }
  return out;
}
