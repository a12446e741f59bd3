// Messages between the decoding worker and its file-reading worker (reader-worker.ts).

export type ReaderRequest =
  | { type: 'read'; file: Blob; first: number; max: number; ahead: number }
  /** A slice's buffer, given back for reading the next slice into. */
  | { type: 'done'; buffer: ArrayBuffer }
  | { type: 'stop' };

export type ReaderResponse =
  /** The next `length` bytes of the file, at the start of `buffer`. */
  | { type: 'chunk'; buffer: ArrayBuffer; length: number }
  | { type: 'end' }
  | { type: 'error'; message: string };
