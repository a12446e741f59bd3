// Messages between the decoding worker and its file-reading worker (reader-worker.ts).

export type ReaderRequest =
  /** Read `file` in slices (`first` bytes, doubling up to `max`), at most `ahead` waiting; `recycle`: the buffers come back. */
  | { type: 'read'; file: Blob; first: number; max: number; ahead: number; recycle: boolean }
  /** A slice is decoded; its buffer comes back for the next slice unless the decoder keeps it. */
  | { type: 'done'; buffer?: ArrayBuffer }
  | { type: 'stop' };

export type ReaderResponse =
  /** The next `length` bytes of the file, at the start of `buffer`. */
  | { type: 'chunk'; buffer: ArrayBuffer; length: number }
  | { type: 'end' }
  | { type: 'error'; message: string };
