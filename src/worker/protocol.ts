// Messages between the UI thread and the capture worker. The worker owns the bytes and the
// columnar packet store; the UI only ever asks for windows of rows and one packet's details.

import type { LadderModel } from '../analysis/ladder.ts';
import type { TcpSession } from '../analysis/sessions.ts';
import type { TimeFormat } from '../analysis/time-format.ts';
import type { TreeItem } from '../dissect/tree.ts';

export type SortColumn = 'num' | 'time' | 'source' | 'destination' | 'protocol' | 'length' | 'info';

export interface ViewSpec {
  sort: { column: SortColumn; desc: boolean } | null;
  timeFormat: TimeFormat;
  /** Show only the packets of one TCP stream ("Follow in list"), or all when null. */
  tcpStream: number | null;
}

export interface RowData {
  /** Index in the store (0-based, file order). */
  index: number;
  /** Frame number (1-based). */
  num: number;
  time: string;
  source: string;
  destination: string;
  protocol: string;
  length: number;
  info: string;
  /** Colour rule id (analysis/colors.ts). */
  color: number;
  /** PacketFlag bits. */
  flags: number;
}

export interface LoadProgress {
  bytesRead: number;
  totalBytes: number;
  packets: number;
}

export interface CaptureSummary {
  fileName: string;
  format: string;
  compressed: boolean;
  packets: number;
  bytes: number;
  loadMs: number;
  firstRowsMs: number;
  /** Of loadMs, the time the decoder waited for the file's next slice. */
  readWaitMs: number;
  warnings: string[];
  /** Reading stopped early (the rest of the file cannot be trusted); every packet before it is shown. */
  error: string | null;
  malformed: number;
  cancelled: boolean;
  linkTypes: string[];
  /** Bytes the decoder holds: the capture's buffers, the packet table and the Info texts (estimate). */
  memoryBytes: number;
  /** True when the capture's bytes are held in memory; false when frames are read again from the file as needed. */
  bytesKept: boolean;
  interfaces: number;
  sectionComments: string[];
}

export interface PacketDetails {
  index: number;
  num: number;
  tree: TreeItem[];
  /** Byte sources: [0] the frame, then reassembled PDUs. */
  sources: { name: string; data: Uint8Array }[];
}

export type Request =
  | { type: 'open'; file: Blob; name: string }
  /** Before any file: decode `data` (a sample capture) until `packets` packets, to warm the decoder up. */
  | { type: 'warmup'; samples: ArrayBuffer[]; packets: number }
  | { type: 'cancel' }
  | { type: 'view'; id: number; view: ViewSpec }
  | { type: 'rows'; id: number; start: number; count: number }
  | { type: 'details'; id: number; index: number }
  | { type: 'position'; id: number; num: number }
  | { type: 'sessions'; id: number }
  | { type: 'ladder'; id: number; stream: number }
  | { type: 'hostLadder'; id: number; streams: number[] };

export type Response =
  | { type: 'progress'; progress: LoadProgress }
  | { type: 'loaded'; summary: CaptureSummary }
  | { type: 'failed'; message: string }
  | { type: 'view'; id: number; total: number }
  | { type: 'rows'; id: number; start: number; rows: RowData[]; total: number }
  | { type: 'details'; id: number; details: PacketDetails | null }
  | { type: 'position'; id: number; position: number }
  | { type: 'sessions'; id: number; sessions: TcpSession[] }
  | { type: 'ladder'; id: number; model: LadderModel | null }
  /** A request could not be answered (e.g. the file could not be read again); the worker goes on. */
  | { type: 'requestFailed'; id: number; message: string }
  /** Reading the file again failed; the answer went out without what needed the bytes. */
  | { type: 'readError'; message: string }
  /** The spare worker finished its warm-up (no file opened yet): a file opened now is decoded by warm code. */
  | { type: 'warmedUp' };
