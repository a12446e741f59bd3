// The capture engine that runs inside the web worker (and in Node tests): reads a capture in
// slices, dissects every packet once into the columnar store, and answers the UI's questions
// (windows of rows in a sorted/filtered view, one packet's details) from the store.

import { colorOf, colorOfLaneSegment } from '../analysis/colors.ts';
import { timeText, type TimeFormat, type TimeRef } from '../analysis/time-format.ts';
import { linkTypeName } from '../capture/linktypes.ts';
import { readCapture } from '../capture/reader.ts';
export { blobChunks } from '../capture/blob-chunks.ts';
import { CaptureFormatError, type CaptureMeta } from '../capture/types.ts';
import { buildHostLadder, buildLadder, type LadderModel, type LadderPacket } from '../analysis/ladder.ts';
import { computeSessions, type TcpSession } from '../analysis/sessions.ts';
import { hostNames } from '../dissect/hosts.ts';
import { CaptureState, dissectFrame, FieldCollector, FrameBytesMissing, PacketFlag, TreeBuilder } from '../dissect/index.ts';
import { tlsServerName } from '../dissect/tls-handshake.ts';
import { laneSegment, tcpLane } from '../dissect/tcp-lane.ts';
import { isTcpProblem } from '../dissect/tcp-analysis.ts';
import { tcpState, type TcpFrameTable } from '../dissect/tcp-conversation.ts';
import { columnArenaBytes, expectedRows } from '../lib/growable.ts';
import { HAS_TS, PacketStore } from '../store/packet-store.ts';
import type { CaptureSummary, LoadProgress, PacketDetails, RowData, SortColumn, ViewSpec } from './protocol.ts';

export interface LoadSource {
  name: string;
  totalBytes: number;
  /**
   * The capture, slice after slice. Without `readAt` the engine keeps the slices (they must not
   * be reused); with it, a slice is done with once the next one is asked for.
   */
  chunks: AsyncIterable<Uint8Array>;
  /**
   * Reads `length` bytes of the (uncompressed) file at `offset`: when given, no packet bytes are
   * kept; the frames a row, the details or a ladder need are read again.
   */
  readAt?: (offset: number, length: number) => Promise<Uint8Array>;
  /** With `readAt`: how much of the start of the file to keep in memory anyway (default 1 MiB). */
  keepHeadBytes?: number;
}

type ReadAt = NonNullable<LoadSource['readAt']>;

/** Info of a row whose frame could not be read again from the file. */
export const INFO_UNREADABLE = '[cannot read this packet from the file again]';

/** Rounds of "read the missing frames, try again" before giving up (each round reads every frame it found missing). */
const FETCH_ROUNDS = 8;

export interface LoadHooks {
  /** Called at most every `progressEveryMs` and once at the end. */
  progress?: (p: LoadProgress) => void;
  progressEveryMs?: number;
  /** Checked between chunks; true stops the load (every packet read so far stays). */
  cancelled?: () => boolean;
  /** Awaited between chunks so that the worker can answer row requests while loading. */
  yieldToEvents?: () => Promise<void>;
}

export class CaptureEngine {
  store = new PacketStore();
  state = new CaptureState();
  meta: CaptureMeta | null = null;
  private first: TimeRef = { sec: 0, nsec: 0 };
  private firstSet = false;
  private view: ViewSpec = { sort: null, timeFormat: 'relative', tcpStream: null };
  /** Store indices in display order; null = all packets in file order. */
  private order: Uint32Array | null = null;
  private sortedUpTo = 0;
  private sessionCache: { count: number; list: TcpSession[] } | null = null;
  private streamIndex: { count: number; lists: Map<number, number[]> } | null = null;
  private readAt: ReadAt | null = null;
  /** Info texts of every packet, made for sorting by Info (see prepareInfoSort). */
  private infoKeys: string[] = [];

  /** Packets the first pass took by the short lane. */
  laneTaken = 0;

  /**
   * @param lane take bare TCP SYNs, ACKs and FINs by the first pass's short lane (dissect/tcp-lane.ts);
   *   false only to check the lane against the full dissection.
   */
  constructor(private readonly lane = true) {
    this.state.frameBytes = (num) => (num >= 1 && num <= this.store.count ? this.store.bytes(num - 1) : undefined);
    this.state.frameTime = (num) => (num >= 1 && num <= this.store.count ? this.store.timeOf(num - 1) : undefined);
    this.store.tcpFrames = this.tcpFrames();
  }

  async load(src: LoadSource, hooks: LoadHooks = {}): Promise<CaptureSummary> {
    const t0 = now();
    let firstRowsMs = -1;
    let bytesRead = 0;
    let lastProgress = 0;
    let cancelled = false;
    const every = hooks.progressEveryMs ?? 50;
    const store = this.store;
    if (src.readAt) {
      this.readAt = src.readAt;
      store.retain = false;
    }
    const report = () => hooks.progress?.({ bytesRead, totalBytes: src.totalBytes, packets: store.count });
    const self = this;
    // Time spent waiting for the next slice of the file (the rest is decoding and answering the UI).
    let waitMs = 0;
    async function* counted(): AsyncGenerator<Uint8Array> {
      const it = src.chunks[Symbol.asyncIterator]();
      let done = false;
      try {
        for (;;) {
          const w = now();
          const r = await it.next();
          waitMs += now() - w;
          if (r.done) {
            done = true;
            return;
          }
          // The start of the file stays in memory (the first rows are shown while loading).
          store.keepHead(bytesRead, r.value, src.keepHeadBytes);
          bytesRead += r.value.length;
          yield r.value;
          if (firstRowsMs < 0 && store.count > 0) firstRowsMs = now() - t0;
          const expected = expectedRows(store.count, bytesRead, src.totalBytes);
          store.expectedCount = expected;
          self.tcpFrames().expectedFrames = expected;
          const t = now();
          if (t - lastProgress >= every) {
            lastProgress = t;
            report();
          }
          if (hooks.yieldToEvents) await hooks.yieldToEvents();
          if (hooks.cancelled?.()) {
            cancelled = true;
            return;
          }
        }
      } finally {
        // Stopped early (cancel, a fatal format error): let the source stop reading.
        if (!done) await it.return?.();
      }
    }
    let formatError: string | null = null;
    try {
      this.meta = await readCapture(counted(), (rec) => self.addRecord(rec));
      this.state.pcapngInterfaces = this.meta.format === 'pcapng' ? this.meta.interfaces : null;
    } catch (e) {
      if (!(e instanceof CaptureFormatError)) throw e;
      formatError = e.message;
    }
    if (firstRowsMs < 0) firstRowsMs = now() - t0;
    report();
    this.refreshOrder();
    if (formatError !== null) throw new CaptureFormatError(formatError);
    const meta = this.meta!;
    let malformed = 0;
    for (let i = 0; i < store.count; i++) if (store.state[i]! & (PacketFlag.Malformed | PacketFlag.Truncated)) malformed++;
    return {
      fileName: src.name,
      format: meta.format,
      compressed: meta.compressed,
      packets: store.count,
      bytes: bytesRead,
      loadMs: now() - t0,
      firstRowsMs,
      readWaitMs: waitMs,
      warnings: meta.warnings.map((w) => w.message),
      error: meta.error ? meta.error.message : null,
      malformed,
      cancelled,
      linkTypes: [...new Set(meta.interfaces.map((i) => linkTypeName(i.linkType)))],
      // At least the column memory touched in advance is held (lib/growable.ts, ColumnArena).
      memoryBytes: Math.max(store.memoryEstimate(), columnArenaBytes()) + store.buffers.reduce((n, b) => n + b.byteLength, 0),
      bytesKept: store.retain,
      interfaces: meta.interfaces.length,
      sectionComments: meta.sectionComments,
    };
  }

  private addRecord(rec: import('../capture/types.ts').PacketRecord): void {
    const num = this.store.count + 1;
    if (!this.firstSet) {
      this.firstSet = true;
      if (rec.hasTs) this.first = { sec: rec.tsSec, nsec: rec.tsNsec };
    }
    // Info is not built here: a row's Info is made when the row is shown (see info()).
    if (this.lane && tcpLane(this.state, num, rec)) {
      this.laneTaken++;
      const a = laneSegment;
      this.store.addLaneTcp(rec, a, isTcpProblem(a.analysis) ? PacketFlag.ExpertWarn : 0, colorOfLaneSegment(a.flags, a.analysis, a.payload?.layer ?? null));
      return;
    }
    const p = dissectFrame(this.state, num, rec, null, false, false);
    this.store.add(rec, p, colorOf(p));
  }

  /** The TCP results the first pass stored per frame (for tests and analysis views). */
  tcpFrames(): TcpFrameTable {
    return tcpState.of(this.state).frames;
  }

  // ---- packet bytes: read again from the file when not kept ----

  /**
   * Runs `f` (which re-dissects packets) once the bytes of packets `need()` and of the frames
   * their reassembled PDUs came from are in memory; reads more and runs it again if it still
   * finds a frame missing. Without `readAt` every byte is kept and `f` simply runs.
   */
  async withBytes<T>(need: () => Iterable<number>, f: () => T): Promise<T> {
    const readAt = this.readAt;
    const store = this.store;
    if (!readAt || store.retain) return f();
    store.trimCache();
    for (let round = 1; ; round++) {
      try {
        const missing = store.missing(this.withDependencies(need()));
        if (missing.length) throw new FrameBytesMissing(missing.map((i) => i + 1));
        return f();
      } catch (e) {
        if (!(e instanceof FrameBytesMissing) || round >= FETCH_ROUNDS) throw e;
        await store.fetch(this.withDependencies(e.frames.map((n) => n - 1)), readAt);
      }
    }
  }

  /** setView, after making what the view's sort needs (Info texts, which may be read from the file). */
  async applyView(v: ViewSpec): Promise<number> {
    if (v.sort?.column === 'info') await this.prepareInfoSort();
    else this.infoKeys = []; // half a million texts: kept only while sorting by Info
    return this.setView(v);
  }

  /** Work a view needs before its rows can be listed without reading the file (sorting by Info). */
  async prepareView(): Promise<void> {
    if (this.view.sort?.column === 'info') await this.prepareInfoSort();
  }

  /** Packet indices plus those of the frames their re-dissection reads (reassembly). */
  private withDependencies(indices: Iterable<number>): number[] {
    const out: number[] = [];
    for (const i of indices) {
      out.push(i);
      for (const num of this.state.framesNeededBy(i + 1)) out.push(num - 1);
    }
    return out;
  }

  /** Store indices of rows [start, start + count) of the current view. */
  rowIndices(start: number, count: number): number[] {
    this.ensureOrder();
    const out: number[] = [];
    const end = Math.min(this.total, start + count);
    for (let r = Math.max(0, start); r < end; r++) out.push(this.order ? this.order[r]! : r);
    return out;
  }

  /** Store indices of the packets of TCP streams `streams`. */
  streamIndices(streams: readonly number[]): number[] {
    return streams.flatMap((st) => this.streamPackets(st));
  }

  /**
   * Makes the Info text of every packet (for sorting by Info), reading the file again in
   * batches when its bytes are not kept.
   */
  async prepareInfoSort(): Promise<void> {
    const BATCH = 20000;
    for (let from = this.infoKeys.length; from < this.store.count; from += BATCH) {
      const batch: number[] = [];
      for (let i = from; i < Math.min(this.store.count, from + BATCH); i++) batch.push(i);
      const texts = await this.withBytes(() => batch, () => batch.map((i) => this.info(i)));
      for (const t of texts) this.infoKeys.push(t);
    }
  }

  private infoKey(i: number): string {
    return i < this.infoKeys.length ? this.infoKeys[i]! : this.infoIfLoaded(i);
  }

  // ---- views: sort and filter over the store, as a permutation of indices ----

  get total(): number {
    return this.order ? this.order.length : this.store.count;
  }

  setView(v: ViewSpec): number {
    const changed = v.sort?.column !== this.view.sort?.column || v.sort?.desc !== this.view.sort?.desc || v.tcpStream !== this.view.tcpStream;
    this.view = v;
    if (changed) this.refreshOrder();
    return this.total;
  }

  /** Rebuilds the permutation (after a view change or when loading ends). */
  refreshOrder(): void {
    const { sort, tcpStream } = this.view;
    const s = this.store;
    if (!sort && tcpStream === null) {
      this.order = null;
      return;
    }
    let idx: Uint32Array;
    if (tcpStream !== null) {
      let n = 0;
      for (let i = 0; i < s.count; i++) if (s.tcpStreamOf(i) === tcpStream) n++;
      idx = new Uint32Array(n);
      n = 0;
      for (let i = 0; i < s.count; i++) if (s.tcpStreamOf(i) === tcpStream) idx[n++] = i;
    } else {
      idx = new Uint32Array(s.count);
      for (let i = 0; i < s.count; i++) idx[i] = i;
    }
    if (sort) sortIndices(idx, s, sort.column, sort.desc, (i) => this.infoKey(i));
    this.order = idx;
    this.sortedUpTo = s.count;
  }

  /** Keeps a filtered/sorted view current while packets are still arriving. */
  private ensureOrder(): void {
    if (this.order && this.sortedUpTo !== this.store.count) this.refreshOrder();
  }

  /**
   * The rows of the view. With `bytes` false (the file could not be read again), rows whose
   * frames are not in memory get a note instead of their Info; every other column is kept.
   */
  rows(start: number, count: number, bytes = true): RowData[] {
    this.ensureOrder();
    const s = this.store;
    const out: RowData[] = [];
    const end = Math.min(this.total, start + count);
    const fmt: TimeFormat = this.view.timeFormat;
    for (let r = Math.max(0, start); r < end; r++) {
      const i = this.order ? this.order[r]! : r;
      const hasTs = (s.state[i]! & HAS_TS) !== 0;
      const prev: TimeRef | null = i > 0 ? { sec: s.tsSec[i - 1]!, nsec: s.tsNsec[i - 1]! } : null;
      // Protocol and Info from the second look: the first pass takes a coded HTTP body's Protocol
      // without inflating it (http.ts), the second look knows it.
      const cols = bytes ? this.columns(i) : this.columnsIfLoaded(i);
      out.push({
        index: i,
        num: i + 1,
        time: hasTs ? timeText(fmt, s.tsSec[i]!, s.tsNsec[i]!, s.tsPrec[i]!, this.first, prev) : '',
        source: s.strings.get(s.src[i]!),
        destination: s.strings.get(s.dst[i]!),
        protocol: cols ? cols.protocol : s.strings.get(s.proto[i]!),
        length: s.origLen[i]!,
        info: cols ? cols.info : INFO_UNREADABLE,
        color: s.color[i]!,
        flags: s.state[i]! & 0x7fff,
      });
    }
    return out;
  }

  /** Row position of frame `num` in the current view, or -1. */
  position(num: number): number {
    this.ensureOrder();
    const i = num - 1;
    if (i < 0 || i >= this.store.count) return -1;
    if (!this.order) return i;
    return this.order.indexOf(i);
  }

  // ---- TCP sessions and ladders ----

  sessions(): TcpSession[] {
    if (!this.sessionCache || this.sessionCache.count !== this.store.count) {
      this.sessionCache = { count: this.store.count, list: computeSessions(this.store, (stream) => tlsServerName(this.state, stream)) };
    }
    return this.sessionCache.list;
  }

  /** Store indices of each TCP stream's packets, built once per packet count. */
  private streamPackets(stream: number): number[] {
    if (!this.streamIndex || this.streamIndex.count !== this.store.count) {
      const lists = new Map<number, number[]>();
      const s = this.store;
      for (let i = 0; i < s.count; i++) {
        const st = s.tcpStreamOf(i);
        if (st < 0) continue;
        let l = lists.get(st);
        if (!l) lists.set(st, (l = []));
        l.push(i);
      }
      this.streamIndex = { count: s.count, lists };
    }
    return this.streamIndex.lists.get(stream) ?? [];
  }

  /** A name for an address from the capture itself: pcapng Name Resolution Blocks, then DNS answers. */
  hostName = (addr: string): string | undefined => {
    const rec = this.meta?.names.find((n) => n.address === addr);
    return rec?.names[0] ?? hostNames.of(this.state).get(addr);
  };

  ladderPackets(stream: number): LadderPacket[] {
    const s = this.store;
    return this.streamPackets(stream).map((i) => {
      const protocol = s.strings.get(s.proto[i]!);
      const info = this.info(i);
      const p: LadderPacket = {
        index: i,
        num: i + 1,
        sec: s.tsSec[i]!,
        nsec: s.tsNsec[i]!,
        src: s.strings.get(s.src[i]!),
        srcPort: s.srcPort[i]!,
        dst: s.strings.get(s.dst[i]!),
        dstPort: s.dstPort[i]!,
        flags: s.tcpFlags[i]!,
        seq: s.tcpSeqOf(i),
        ack: s.tcpAckOf(i),
        len: s.tcpLen[i]!,
        win: s.tcpWinOf(i),
        analysis: s.tcpAnalysisOf(i),
        protocol,
        info,
      };
      // Details for the packets the phases describe: hellos and HTTP messages, a handful per session.
      if (/Hello|^HTTP|HTTP\/\d/.test(info) || protocol.startsWith('HTTP')) p.fields = this.fields(i, LADDER_FIELDS);
      return p;
    });
  }

  ladder(stream: number): LadderModel | null {
    const session = this.sessions().find((x) => x.stream === stream);
    if (!session) return null;
    return buildLadder(session, this.ladderPackets(stream), this.hostName);
  }

  hostLadder(streams: number[]): LadderModel | null {
    const all = this.sessions();
    const items = streams
      .map((st) => all.find((x) => x.stream === st))
      .filter((x): x is TcpSession => !!x)
      .map((session) => ({ session, packets: this.ladderPackets(session.stream) }));
    if (!items.length) return null;
    return buildHostLadder(items, this.hostName);
  }

  /** Registry field values of one packet, by re-dissection. */
  fields(index: number, only?: ReadonlySet<string>): Map<string, import('../dissect/registry.ts').FieldValue[]> {
    const c = new FieldCollector(only);
    dissectFrame(this.state, index + 1, this.store.record(index), c, true);
    return c.values;
  }

  /**
   * The Info text of packet `index`, made by re-dissecting it: the first pass does not build or
   * keep Info texts (half a million of them cost memory and time nobody needs until a row is on
   * screen). Re-dissection shows what a first pass would (corpus test replay.corpus.test.ts).
   */
  info(index: number): string {
    if (index < 0 || index >= this.store.count) return '';
    return this.columns(index).info;
  }

  /** Protocol and Info of packet `index` by re-dissecting it (see info()). */
  private columns(index: number): { protocol: string; info: string } {
    return dissectFrame(this.state, index + 1, this.store.record(index), null, true).cols;
  }

  private infoIfLoaded(index: number): string {
    return this.columnsIfLoaded(index)?.info ?? INFO_UNREADABLE;
  }

  /** columns(), or null when the packet's bytes cannot be read again. */
  private columnsIfLoaded(index: number): { protocol: string; info: string } | null {
    try {
      return this.columns(index);
    } catch (e) {
      if (e instanceof FrameBytesMissing) return null;
      throw e;
    }
  }

  /** Re-dissects one packet with a tree (only the selected packet ever gets one). */
  details(index: number): PacketDetails | null {
    const s = this.store;
    if (index < 0 || index >= s.count) return null;
    const b = new TreeBuilder();
    const p = dissectFrame(this.state, index + 1, s.record(index), b, true);
    return {
      index,
      num: index + 1,
      tree: b.root,
      sources: p.sources.map((x) => ({ name: x.name, data: x.data.slice() })),
    };
  }
}

export interface LadderOptions {
  /** Registry fields to collect for TLS and HTTP packets (hello details, request lines). */
  fields?: ReadonlySet<string>;
}

const LADDER_FIELDS: ReadonlySet<string> = new Set([
  'tls.handshake.type',
  'tls.handshake.version',
  'tls.handshake.extensions_server_name',
  'tls.handshake.extensions_alpn_str',
  'tls.handshake.extensions.supported_version',
  'http.request.method',
  'http.request.uri',
  'http.response.code',
  'http.response.phrase',
]);

function now(): number {
  return typeof performance !== 'undefined' ? performance.now() : Date.now();
}

/** Sorts store indices by a column (stable: ties keep file order). */
export function sortIndices(idx: Uint32Array, s: PacketStore, column: SortColumn, desc: boolean, infoOf: (i: number) => string): void {
  let key: Float64Array | null = null;
  let text: string[] | null = null;
  const n = idx.length;
  switch (column) {
    case 'num':
      break;
    case 'time':
      key = new Float64Array(n);
      // Seconds and nanoseconds in one comparable number: exact order for sane timestamps.
      for (let k = 0; k < n; k++) key[k] = s.tsSec[idx[k]!]! * 1e9 + s.tsNsec[idx[k]!]!;
      break;
    case 'length':
      key = new Float64Array(n);
      for (let k = 0; k < n; k++) key[k] = s.origLen[idx[k]!]!;
      break;
    case 'source':
    case 'destination':
    case 'protocol': {
      // Rank the (few) distinct strings once, then sort packets by rank: no string compares per packet.
      const col = column === 'source' ? s.src : column === 'destination' ? s.dst : s.proto;
      const values = s.strings.values;
      const order = values.map((_, i) => i).sort((a, b) => compareText(values[a]!, values[b]!));
      const rank = new Float64Array(values.length);
      order.forEach((v, r) => (rank[v] = r));
      key = new Float64Array(n);
      for (let k = 0; k < n; k++) key[k] = rank[col[idx[k]!]!]!;
      break;
    }
    case 'info':
      text = new Array<string>(n);
      for (let k = 0; k < n; k++) text[k] = infoOf(idx[k]!);
      break;
  }
  const pos = new Uint32Array(n);
  for (let k = 0; k < n; k++) pos[k] = k;
  const dir = desc ? -1 : 1;
  const arr = Array.from(pos);
  if (key) {
    const kk = key;
    arr.sort((a, b) => (kk[a]! - kk[b]!) * dir || a - b);
  } else if (text) {
    // Plain code-unit order: a locale collator is far too slow for half a million Info texts.
    const tt = text;
    arr.sort((a, b) => (tt[a]! < tt[b]! ? -dir : tt[a]! > tt[b]! ? dir : a - b));
  } else if (desc) arr.reverse();
  const copy = idx.slice();
  for (let k = 0; k < n; k++) idx[k] = copy[arr[k]!]!;
}

const collator = new Intl.Collator(undefined, { numeric: true, sensitivity: 'base' });
function compareText(a: string, b: string): number {
  return a === b ? 0 : collator.compare(a, b);
}
