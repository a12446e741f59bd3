import { describe, expect, it } from 'vitest';
import type { TreeItem } from '../../dissect/tree.ts';
import { allKeys, ancestorKeys, displayLabel, findByKey, flatten, itemAt, keyAt, smallestCovering } from './tree-utils.ts';

const tree: TreeItem[] = [
  { label: 'Frame 1: 60 bytes', field: 'frame', source: 0, start: 0, length: 60, children: [{ label: 'Arrival Time', field: 'frame.time', source: 0, start: 0, length: 0, generated: true }] },
  {
    label: 'Internet Protocol Version 4, Src: 10.0.0.1',
    field: 'ip',
    source: 0,
    start: 14,
    length: 20,
    children: [
      { label: '0100 .... = Version: 4', field: 'ip.version', source: 0, start: 14, length: 1 },
      { label: '.... 0101 = Header Length: 20 bytes (5)', field: 'ip.hdr_len', source: 0, start: 14, length: 1 },
      { label: 'Flags: 0x2', field: 'ip.flags', source: 0, start: 20, length: 2, children: [{ label: '.1.. = Don’t fragment', field: 'ip.flags.df', source: 0, start: 20, length: 1 }] },
    ],
  },
  { label: '[2 Reassembled TCP Segments (30 bytes)]', source: 1, start: 0, length: 30, children: [{ label: 'Data', field: 'data', source: 1, start: 0, length: 30 }] },
];

describe('tree utils', () => {
  it('flattens only expanded items, with ARIA positions', () => {
    expect(flatten(tree, new Set()).map((f) => f.path)).toEqual(['0', '1', '2']);
    const f = flatten(tree, new Set(['ip']));
    expect(f.map((x) => x.path)).toEqual(['0', '1', '1.0', '1.1', '1.2', '2']);
    expect(f[2]).toMatchObject({ level: 2, pos: 1, size: 3, hasChildren: false });
    expect(f[4]).toMatchObject({ hasChildren: true, expanded: false, parentPath: '1' });
  });

  it('keys by field, or by label without numbers for text items', () => {
    expect(keyAt(tree, '1.2')).toBe('ip.flags');
    expect(keyAt(tree, '2')).toBe('/[# Reassembled TCP Segments');
    expect(ancestorKeys(tree, '1.2.0')).toEqual(['ip', 'ip.flags']);
    expect(findByKey(tree, 'ip.flags.df')).toBe('1.2.0');
    expect(allKeys(tree)).toEqual(['frame', 'ip', 'ip.flags', '/[# Reassembled TCP Segments']);
  });

  it('maps a byte to the smallest covering field (first of equals), per source', () => {
    expect(smallestCovering(tree, 0, 14)).toBe('1.0');
    expect(smallestCovering(tree, 0, 20)).toBe('1.2.0');
    expect(smallestCovering(tree, 0, 21)).toBe('1.2');
    expect(smallestCovering(tree, 0, 40)).toBe('0');
    expect(smallestCovering(tree, 1, 5)).toBe('2.0');
    expect(smallestCovering(tree, 0, 99)).toBeNull();
    expect(itemAt(tree, '1.2.0')?.field).toBe('ip.flags.df');
  });

  it('shows generated fields in brackets', () => {
    expect(displayLabel(tree[0]!.children![0]!)).toBe('[Arrival Time]');
    expect(displayLabel(tree[2]!)).toBe('[2 Reassembled TCP Segments (30 bytes)]');
  });
});
