// Helpers over a packet's protocol tree (TreeItem[]): stable expansion keys, flattening of the
// visible items, and the byte ↔ field mapping used by the details and bytes panes.

import type { TreeItem } from '../../dissect/tree.ts';

/** Path of an item: child indices from the root, joined by '.'. */
export type TreePath = string;

/**
 * The key under which an item's expansion is remembered across packets (like Wireshark's
 * subtree types): its filter field, else its label without numbers and values.
 */
export function expansionKey(item: TreeItem, parentKey: string): string {
  if (item.field) return item.field;
  const head = item.label.replace(/[:(=,].*$/, '').replace(/\d+/g, '#').trim();
  return `${parentKey}/${head}`;
}

export interface FlatItem {
  item: TreeItem;
  path: TreePath;
  key: string;
  level: number;
  /** 1-based position among its siblings and their count (aria-posinset/-setsize). */
  pos: number;
  size: number;
  hasChildren: boolean;
  expanded: boolean;
  parentPath: TreePath | null;
}

/** Items that are visible given the expanded keys, in display order. */
export function flatten(tree: readonly TreeItem[], expanded: ReadonlySet<string>): FlatItem[] {
  const out: FlatItem[] = [];
  const walk = (items: readonly TreeItem[], level: number, parentPath: TreePath | null, parentKey: string) => {
    items.forEach((item, i) => {
      const path = parentPath === null ? String(i) : `${parentPath}.${i}`;
      const key = expansionKey(item, parentKey);
      const hasChildren = !!item.children && item.children.length > 0;
      const isOpen = hasChildren && expanded.has(key);
      out.push({ item, path, key, level, pos: i + 1, size: items.length, hasChildren, expanded: isOpen, parentPath });
      if (isOpen) walk(item.children!, level + 1, path, key);
    });
  };
  walk(tree, 1, null, '');
  return out;
}

export function itemAt(tree: readonly TreeItem[], path: TreePath): TreeItem | undefined {
  let items: readonly TreeItem[] | undefined = tree;
  let item: TreeItem | undefined;
  for (const part of path.split('.')) {
    item = items?.[Number(part)];
    if (!item) return undefined;
    items = item.children;
  }
  return item;
}

/** Expansion keys of the ancestors of `path` (not of the item itself). */
export function ancestorKeys(tree: readonly TreeItem[], path: TreePath): string[] {
  const keys: string[] = [];
  let items: readonly TreeItem[] | undefined = tree;
  let parentKey = '';
  const parts = path.split('.');
  for (let d = 0; d < parts.length - 1; d++) {
    const item: TreeItem | undefined = items?.[Number(parts[d])];
    if (!item) break;
    parentKey = expansionKey(item, parentKey);
    keys.push(parentKey);
    items = item.children;
  }
  return keys;
}

/** The smallest item covering byte `offset` of `source` (deepest on ties), or null. */
export function smallestCovering(tree: readonly TreeItem[], source: number, offset: number): TreePath | null {
  let best: TreePath | null = null;
  let bestLen = Infinity;
  let bestDepth = -1;
  const walk = (items: readonly TreeItem[], parentPath: TreePath | null, depth: number) => {
    items.forEach((it, i) => {
      const path = parentPath === null ? String(i) : `${parentPath}.${i}`;
      if (it.source === source && it.length > 0 && !it.generated && offset >= it.start && offset < it.start + it.length) {
        if (it.length < bestLen || (it.length === bestLen && depth > bestDepth)) {
          best = path;
          bestLen = it.length;
          bestDepth = depth;
        }
      }
      if (it.children) walk(it.children, path, depth + 1);
    });
  };
  walk(tree, null, 0);
  return best;
}

/** The first item (depth-first) whose expansion key is `key`, to keep a selected field across packets. */
export function findByKey(tree: readonly TreeItem[], key: string): TreePath | null {
  let found: TreePath | null = null;
  const walk = (items: readonly TreeItem[], parentPath: TreePath | null, parentKey: string): boolean =>
    items.some((it, i) => {
      const path = parentPath === null ? String(i) : `${parentPath}.${i}`;
      const k = expansionKey(it, parentKey);
      if (k === key) {
        found = path;
        return true;
      }
      return it.children ? walk(it.children, path, k) : false;
    });
  walk(tree, null, '');
  return found;
}

export function keyAt(tree: readonly TreeItem[], path: TreePath): string | null {
  let items: readonly TreeItem[] | undefined = tree;
  let key = '';
  for (const part of path.split('.')) {
    const item: TreeItem | undefined = items?.[Number(part)];
    if (!item) return null;
    key = expansionKey(item, key);
    items = item.children;
  }
  return key;
}

/** Every expansion key of items with children (for "Expand all"). */
export function allKeys(tree: readonly TreeItem[]): string[] {
  const out: string[] = [];
  const walk = (items: readonly TreeItem[], parentKey: string) => {
    for (const it of items) {
      const k = expansionKey(it, parentKey);
      if (it.children?.length) {
        out.push(k);
        walk(it.children, k);
      }
    }
  };
  walk(tree, '');
  return out;
}

/** Shows a generated field's label the Wireshark way: in [brackets]. */
export function displayLabel(item: TreeItem): string {
  if (item.generated && !item.label.startsWith('[')) return `[${item.label}]`;
  return item.label;
}
