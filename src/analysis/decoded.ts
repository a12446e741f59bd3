// A decoded capture held in memory: the records, the first-pass summary rows, and re-dissection
// of any one frame (details tree, field values) with the state the first pass left behind.
// Used by the CLI, the corpus comparison and tests; the browser worker keeps the same data in
// columnar form instead (src/worker/).

import type { PacketRecord } from '../capture/types.ts';
import { dissectFrame, FieldCollector, TreeBuilder, type Packet } from '../dissect/index.ts';
import type { FieldValue } from '../dissect/registry.ts';
import type { TreeItem, TreeSink } from '../dissect/tree.ts';
import { SummaryDecoder, type SummaryRow } from './summary.ts';

export class DecodedCapture {
  readonly decoder = new SummaryDecoder();
  readonly records: PacketRecord[] = [];
  readonly rows: SummaryRow[] = [];
  /** Packet-level results of the first pass that rows do not carry (TCP facts, flags). */
  readonly packets: Pick<Packet, 'tcp' | 'flags' | 'layers' | 'netSrc' | 'netDst' | 'ipVersion'>[] = [];

  constructor() {
    this.decoder.state.frameBytes = (n) => this.records[n - 1]?.data;
    this.decoder.state.frameTime = (n) => {
      const r = this.records[n - 1];
      return r?.hasTs ? { sec: r.tsSec, nsec: r.tsNsec } : undefined;
    };
  }

  add(rec: PacketRecord): SummaryRow {
    this.records.push(rec);
    const { packet, time } = this.decoder.next(rec);
    const row: SummaryRow = {
      num: packet.num,
      time,
      source: packet.src,
      destination: packet.dst,
      protocol: packet.cols.protocol,
      length: rec.origLen,
      info: packet.cols.info,
    };
    this.rows.push(row);
    this.packets.push({
      tcp: packet.tcp,
      flags: packet.flags,
      layers: packet.layers,
      netSrc: packet.netSrc,
      netDst: packet.netDst,
      ipVersion: packet.ipVersion,
    });
    return row;
  }

  /** Re-dissects frame `num` (1-based) into `sink`. */
  replay(num: number, sink: TreeSink): Packet {
    const rec = this.records[num - 1];
    if (!rec) throw new RangeError(`no frame ${num}`);
    return dissectFrame(this.decoder.state, num, rec, sink, true);
  }

  fields(num: number, only?: ReadonlySet<string>): Map<string, FieldValue[]> {
    const c = new FieldCollector(only);
    this.replay(num, c);
    return c.values;
  }

  tree(num: number): { items: TreeItem[]; packet: Packet } {
    const b = new TreeBuilder();
    const packet = this.replay(num, b);
    return { items: b.root, packet };
  }
}
