// "Copy as Mermaid": a ladder as a Mermaid sequenceDiagram, for tickets and markdown reports.

import type { LadderModel } from './ladder.ts';

/**
 * Message text on one line, with ';' (a statement separator) written as the entity #59;.
 * A '#' in the text can then never form an entity with a following ';'.
 */
function text(s: string): string {
  return s.replace(/[\r\n]+/g, ' ').replace(/;/g, '#59;');
}

function participantId(i: number): string {
  return `P${i}`;
}

export function toMermaid(model: LadderModel): string {
  const ids = new Map(model.endpoints.map((e, i) => [e.id, participantId(i)]));
  const out: string[] = ['sequenceDiagram', `    title ${text(model.title)}`];
  for (const e of model.endpoints) {
    const name = e.host ? `${e.label} (${e.host})` : e.label;
    out.push(`    participant ${ids.get(e.id)} as ${text(name)}`);
  }
  const starts = new Map<number, string[]>();
  for (const ph of model.phases) {
    const list = starts.get(ph.first) ?? [];
    list.push(ph.label);
    starts.set(ph.first, list);
  }
  const left = ids.get(model.endpoints[0]!.id)!;
  const right = ids.get(model.endpoints[model.endpoints.length - 1]!.id)!;
  model.arrows.forEach((a, i) => {
    for (const label of starts.get(i) ?? []) out.push(`    Note over ${left},${right}: ${text(label)}`);
    const arrow = a.missing ? '-->>' : '->>';
    const time = a.timeText ? `${a.timeText} ` : '';
    const num = a.num > 0 ? `#${a.num} ` : '';
    out.push(`    ${ids.get(a.from)}${arrow}${ids.get(a.to)}: ${text(`${num}${time}${a.label}`)}`);
  });
  return out.join('\n') + '\n';
}
