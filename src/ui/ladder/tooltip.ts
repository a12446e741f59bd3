// What the ladder's tooltip says about a row: the packet (number, time, delta, direction,
// flags, sequence numbers, the full label) and the phases it belongs to with their details.

import { bytesText, type LadderModel, type PhaseKind } from '../../analysis/ladder.ts';
import type { LadderLayout } from './layout.ts';

export interface TooltipPhase {
  kind: PhaseKind;
  label: string;
  step?: string;
  details: [string, string][];
}

export interface TooltipContent {
  title: string;
  label: string;
  facts: [string, string][];
  phases: TooltipPhase[];
}

const FLAG_NAMES: [number, string][] = [
  [0x01, 'FIN'],
  [0x02, 'SYN'],
  [0x04, 'RST'],
  [0x08, 'PSH'],
  [0x10, 'ACK'],
  [0x20, 'URG'],
  [0x40, 'ECE'],
  [0x80, 'CWR'],
  [0x100, 'AE'],
];

/** "SYN, ACK" — TCP flags in the order of Wireshark's Info column; "none" for 0. */
export function flagsText(flags: number): string {
  const names = FLAG_NAMES.filter(([bit]) => flags & bit).map(([, n]) => n);
  return names.length ? names.join(', ') : 'none';
}

export function tooltipFor(model: LadderModel, L: LadderLayout, rowIndex: number): TooltipContent | null {
  const row = L.rows[rowIndex];
  if (!row || row.type === 'phase') return null;
  const ep = new Map(model.endpoints.map((e) => [e.id, e.label]));
  if (row.type === 'run') {
    const r = row.run;
    const a = model.arrows[r.first]!;
    const b = model.arrows[r.last]!;
    const facts: [string, string][] = [
      ['Packets', `#${a.num} – #${b.num} (${r.count.toLocaleString('en-US')})`],
      ['Time', `${a.timeText} – ${b.timeText} s`],
    ];
    for (const [id, bytes] of Object.entries(r.bytes)) facts.push([`From ${ep.get(id) ?? id}`, bytesText(bytes)]);
    facts.push(['Expand', 'click, or press Enter']);
    return { title: 'Collapsed run of data segments', label: r.label, facts, phases: phasesAt(model, r.first) };
  }
  const pos = row.pos;
  const a = model.arrows[pos]!;
  const facts: [string, string][] = [];
  facts.push(['Direction', `${ep.get(a.from) ?? a.from} \u2192 ${ep.get(a.to) ?? a.to}`]);
  if (!a.missing) {
    facts.push(['Time', `${a.timeText} s (\u0394 ${a.deltaText} s)`]);
    facts.push(['Flags', flagsText(a.flags)]);
    facts.push(['Seq / Ack', `${a.seq} / ${a.ack}`]);
    facts.push(['Len / Win', `${a.len} / ${a.win}`]);
    facts.push(['Protocol', a.protocol]);
  } else facts.push(['Captured', 'no: inferred from the packets around it']);
  const title = a.missing ? 'Step not captured' : `Packet ${a.num.toLocaleString('en-US')}`;
  return { title, label: a.label, facts, phases: phasesAt(model, pos) };
}

function phasesAt(model: LadderModel, pos: number): TooltipPhase[] {
  return model.phases
    .filter((p) => p.first <= pos && pos <= p.last)
    .map((p) => ({
      kind: p.kind,
      label: p.label,
      step: p.steps.find((s) => s.arrow === pos)?.label,
      details: Object.entries(p.details),
    }));
}
