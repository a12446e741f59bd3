// Browser / web worker (and Node ≥ 20): a File or Blob as a stream of chunks for readCapture().
// Each slice is read into its own ArrayBuffer, so PacketRecord views stay valid.

export async function* blobChunks(blob: Blob, chunkSize = 4 << 20): AsyncGenerator<Uint8Array> {
  for (let pos = 0; pos < blob.size; pos += chunkSize) {
    yield new Uint8Array(await blob.slice(pos, pos + chunkSize).arrayBuffer());
  }
}
