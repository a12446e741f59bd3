// Messages between the decoding worker and its file-reading worker (reader-worker.ts).

export type ReaderRequest =
  | { type: 'read'; file: Blob; first: number; max: number; ahead: number }
  | { type: 'credit'; n: number }
  | { type: 'stop' };

export type ReaderResponse =
  | { type: 'chunk'; buffer: ArrayBuffer }
  | { type: 'end' }
  | { type: 'error'; message: string };
