// Where dissectors put fields. A dissector holds `p.tree`, which is null on the fast path
// (packet list, statistics) so that building nothing costs one null check. The details pane
// uses TreeBuilder; the JSON output and the display filter use FieldCollector.

import { bitPattern, fieldLabel, type FieldDef, type FieldValue } from './registry.ts';
import type { Tvb } from './tvb.ts';

/** Pass as the length of a field that is computed, not read from the bytes (shown as [generated]). */
export const GENERATED = -1;

export type ExpertSeverity = 'error' | 'warn' | 'note' | 'chat' | 'comment';

/** Wireshark's expert groups (PI_SEQUENCE …), shown as "[Expert Info (Note/Sequence): …]". */
export type ExpertGroup =
  | 'Checksum' | 'Sequence' | 'Response code' | 'Request code' | 'Undecoded' | 'Reassemble' | 'Protocol'
  | 'Malformed' | 'Debug' | 'Security' | 'Comment' | 'Decryption' | 'Assumption' | 'Deprecated';

export interface TreeSink {
  /** A leaf field. `label` overrides the registry's "Name: value". */
  add(f: FieldDef, tvb: Tvb, off: number, len: number, value: FieldValue, label?: string): void;
  /**
   * A hidden field (Wireshark's proto_item_set_hidden): not shown in the tree, but there for
   * the display filter and the JSON output ("http.request", each header's "http.request.line").
   */
  hidden(f: FieldDef, value: FieldValue): void;
  /** A field that becomes the parent of what follows until close(). */
  open(f: FieldDef, tvb: Tvb, off: number, len: number, value: FieldValue, label?: string): void;
  /** A text-only node (no field), optionally a parent. */
  text(tvb: Tvb | null, off: number, len: number, label: string, asParent?: boolean): void;
  /** Ends the innermost open node. */
  close(): void;
  /** The innermost open node, to add to it again after it is closed (null where there are no nodes). */
  mark(): TreeMark | null;
  /**
   * Makes a node from mark() the innermost open one again, until the next close(). False when
   * it could not (close() must then not be called): tshark adds TCP's payload lines to the TCP
   * subtree after the payload's own protocols have begun theirs.
   */
  reenter(m: TreeMark | null): boolean;
  /** Appends to the label of the innermost open node (", Src Port: 80"). */
  appendLabel(text: string): void;
  /** Sets the byte length of the innermost open node once it is known. */
  setLength(len: number): void;
  /** An expert-info item under the current node, in its group (tshark's layout with one). */
  expert(severity: ExpertSeverity, message: string, tvb: Tvb | null, off: number, len: number, group?: ExpertGroup): void;
}

/** An open node of a tree, as mark() hands it out. */
export type TreeMark = { readonly node: unknown };

export interface TreeItem {
  label: string;
  /** Filter name of the field, absent for text nodes. */
  field?: string;
  value?: FieldValue;
  /** Data source (0 = frame bytes, ≥ 1 = reassembled buffers) and absolute byte range in it. */
  source: number;
  start: number;
  length: number;
  generated?: boolean;
  expert?: ExpertSeverity;
  children?: TreeItem[];
}

/**
 * tshark's proto_tree_add_expert: an item reading as the message, the expert information under
 * it (where expert() hangs it on the current item instead).
 */
export function expertItem(t: TreeSink, severity: ExpertSeverity, message: string, tvb: Tvb, off: number, len: number, group: ExpertGroup): void {
  t.text(tvb, off, len, message, true);
  t.expert(severity, message, tvb, off, len, group);
  t.close();
}

/** Builds the details tree of one packet. */
export class TreeBuilder implements TreeSink {
  readonly root: TreeItem[] = [];
  private stack: TreeItem[] = [];

  private push(item: TreeItem, asParent: boolean): void {
    const parent = this.stack[this.stack.length - 1];
    if (parent) (parent.children ??= []).push(item);
    else this.root.push(item);
    if (asParent) this.stack.push(item);
  }

  private item(f: FieldDef, tvb: Tvb, off: number, len: number, value: FieldValue, label?: string): TreeItem {
    let text = label;
    if (text === undefined) {
      text = fieldLabel(f, value);
      if (f.mask && typeof value !== 'object') {
        const raw = typeof value === 'boolean' ? (value ? f.mask : 0) : Number(value) * lowestBit(f.mask);
        text = bitPattern(f.mask, f.bits || 8, raw) + text;
      }
    }
    const generated = len < 0;
    return {
      label: text,
      field: f.abbrev,
      value,
      source: tvb.source,
      start: tvb.abs(Math.max(0, off)),
      length: Math.max(0, len),
      generated: generated || undefined,
    };
  }

  add(f: FieldDef, tvb: Tvb, off: number, len: number, value: FieldValue, label?: string): void {
    this.push(this.item(f, tvb, off, len, value, label), false);
  }

  open(f: FieldDef, tvb: Tvb, off: number, len: number, value: FieldValue, label?: string): void {
    this.push(this.item(f, tvb, off, len, value, label), true);
  }

  hidden(): void {}

  text(tvb: Tvb | null, off: number, len: number, label: string, asParent = false): void {
    this.push(
      { label, source: tvb?.source ?? 0, start: tvb ? tvb.abs(off) : 0, length: tvb ? Math.max(0, len) : 0 },
      asParent,
    );
  }

  close(): void {
    this.stack.pop();
  }

  mark(): TreeMark | null {
    const top = this.stack[this.stack.length - 1];
    return top ? { node: top } : null;
  }

  reenter(m: TreeMark | null): boolean {
    if (!m) return false;
    this.stack.push(m.node as TreeItem);
    return true;
  }

  appendLabel(text: string): void {
    const top = this.stack[this.stack.length - 1];
    if (top) top.label += text;
  }

  setLength(len: number): void {
    const top = this.stack[this.stack.length - 1];
    if (top) top.length = Math.max(0, len);
  }

  expert(severity: ExpertSeverity, message: string, tvb: Tvb | null, off: number, len: number, group?: ExpertGroup): void {
    const at = { source: tvb?.source ?? 0, start: tvb ? tvb.abs(off) : 0, length: tvb ? Math.max(0, len) : 0 };
    const level = severityName(severity);
    if (!group) {
      this.push({ label: `[Expert Info (${level}): ${message}]`, ...at, expert: severity }, false);
      return;
    }
    // tshark: the message, the severity and the group under the expert item.
    this.push({
      label: `[Expert Info (${level}/${group}): ${message}]`, ...at, expert: severity,
      children: [
        { label: `[${message}]`, ...at },
        { label: `[Severity level: ${level}]`, ...at },
        { label: `[Group: ${group}]`, ...at },
      ],
    }, false);
  }

  /** Closes every node left open (a dissector that threw mid-way). */
  closeAll(): void {
    this.stack.length = 0;
  }
}

function lowestBit(mask: number): number {
  let b = 1;
  while (b <= mask && Math.floor(mask / b) % 2 === 0) b *= 2;
  return b;
}

function severityName(s: ExpertSeverity): string {
  return s === 'error' ? 'Error' : s === 'warn' ? 'Warning' : s === 'note' ? 'Note' : s === 'chat' ? 'Chat' : 'Comment';
}

/** Collects field values by filter name (first occurrence first), for JSON output and filters. */
export class FieldCollector implements TreeSink {
  readonly values = new Map<string, FieldValue[]>();
  /** When set, only these fields are kept (the display filter's fields). */
  constructor(private readonly only?: ReadonlySet<string>) {}

  private keep(f: FieldDef, value: FieldValue): void {
    if (this.only && !this.only.has(f.abbrev)) return;
    const list = this.values.get(f.abbrev);
    if (list) list.push(value);
    else this.values.set(f.abbrev, [value]);
  }

  add(f: FieldDef, _tvb: Tvb, _off: number, _len: number, value: FieldValue): void {
    this.keep(f, value);
  }

  hidden(f: FieldDef, value: FieldValue): void {
    this.keep(f, value);
  }

  open(f: FieldDef, _tvb: Tvb, _off: number, _len: number, value: FieldValue): void {
    this.keep(f, value);
  }

  text(): void {}
  close(): void {}
  mark(): TreeMark | null {
    return null;
  }
  reenter(): boolean {
    return false;
  }
  appendLabel(): void {}
  setLength(): void {}
  expert(): void {}
}

/**
 * Records tree calls to replay them later, once a parent node's label is known (Wireshark
 * rewrites a label as it goes; our tree is append-only). TLS records, QUIC frames, SSH packets.
 */
export class BufferSink implements TreeSink {
  private readonly ops: ((t: TreeSink) => void)[] = [];
  add(f: FieldDef, tvb: Tvb, off: number, len: number, value: FieldValue, label?: string): void {
    this.ops.push((t) => t.add(f, tvb, off, len, value, label));
  }
  open(f: FieldDef, tvb: Tvb, off: number, len: number, value: FieldValue, label?: string): void {
    this.ops.push((t) => t.open(f, tvb, off, len, value, label));
  }
  text(tvb: Tvb | null, off: number, len: number, label: string, asParent?: boolean): void {
    this.ops.push((t) => t.text(tvb, off, len, label, asParent));
  }
  hidden(f: FieldDef, value: FieldValue): void {
    this.ops.push((t) => t.hidden(f, value));
  }
  close(): void {
    this.ops.push((t) => t.close());
  }
  mark(): TreeMark | null {
    return null;
  }
  reenter(): boolean {
    return false;
  }
  appendLabel(text: string): void {
    this.ops.push((t) => t.appendLabel(text));
  }
  setLength(len: number): void {
    this.ops.push((t) => t.setLength(len));
  }
  expert(severity: ExpertSeverity, message: string, tvb: Tvb | null, off: number, len: number, group?: ExpertGroup): void {
    this.ops.push((t) => t.expert(severity, message, tvb, off, len, group));
  }
  replay(t: TreeSink): void {
    for (const op of this.ops) op(t);
  }
}
