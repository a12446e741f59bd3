// The selected packet's protocol tree: an ARIA tree (flat rendering with aria-level), layers
// collapsed by default, expansion remembered per field across packets, keyboard navigable.

import { memo, useEffect, useMemo, useRef, type KeyboardEvent } from 'react';
import type { TreeItem } from '../../dissect/tree.ts';
import { displayLabel, flatten, type FlatItem, type TreePath } from '../lib/tree-utils.ts';

export interface DetailsTreeProps {
  tree: readonly TreeItem[];
  expanded: ReadonlySet<string>;
  onToggle(key: string, open: boolean): void;
  selected: TreePath | null;
  onSelect(path: TreePath): void;
  /** Frame number, for the label. */
  num: number;
}

export const DetailsTree = memo(function DetailsTree({ tree, expanded, onToggle, selected, onSelect, num }: DetailsTreeProps) {
  const flat = useMemo(() => flatten(tree, expanded), [tree, expanded]);
  const index = useMemo(() => new Map(flat.map((f, i) => [f.path, i])), [flat]);
  const ref = useRef<HTMLDivElement>(null);
  const sel = selected !== null ? index.get(selected) : undefined;

  useEffect(() => {
    if (sel === undefined) return;
    const el = ref.current?.querySelector<HTMLElement>(`[data-path="${flat[sel]!.path}"]`);
    el?.scrollIntoView({ block: 'nearest' });
  }, [sel, flat]);

  const move = (i: number) => {
    const f = flat[Math.max(0, Math.min(flat.length - 1, i))];
    if (f) onSelect(f.path);
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (e.altKey || e.ctrlKey || e.metaKey || flat.length === 0) return;
    const cur = sel ?? -1;
    const f: FlatItem | undefined = flat[cur];
    switch (e.key) {
      case 'ArrowDown':
        move(cur + 1);
        break;
      case 'ArrowUp':
        move(cur < 0 ? 0 : cur - 1);
        break;
      case 'Home':
        move(0);
        break;
      case 'End':
        move(flat.length - 1);
        break;
      case 'PageDown':
        move(cur + 15);
        break;
      case 'PageUp':
        move(cur - 15);
        break;
      case 'ArrowRight':
        if (!f) move(0);
        else if (f.hasChildren && !f.expanded) onToggle(f.key, true);
        else if (f.hasChildren) move(cur + 1);
        break;
      case 'ArrowLeft':
        if (!f) break;
        if (f.hasChildren && f.expanded) onToggle(f.key, false);
        else if (f.parentPath !== null) onSelect(f.parentPath);
        break;
      case 'Enter':
      case ' ':
        if (f?.hasChildren) onToggle(f.key, !f.expanded);
        break;
      case '*':
        // Expand all siblings (WAI-ARIA tree pattern).
        if (f) for (const g of flat) if (g.parentPath === f.parentPath && g.hasChildren) onToggle(g.key, true);
        break;
      default:
        return;
    }
    e.preventDefault();
  };

  return (
    <div
      ref={ref}
      className="dtree"
      role="tree"
      aria-label={`Packet ${num} details`}
      tabIndex={0}
      aria-activedescendant={sel !== undefined ? `ti-${flat[sel]!.path}` : undefined}
      onKeyDown={onKeyDown}
    >
      {flat.map((f) => {
        const it = f.item;
        const isSel = f.path === selected;
        const cls = ['dtree-item'];
        if (isSel) cls.push('is-selected');
        if (it.generated) cls.push('is-generated');
        if (it.expert) cls.push(`expert-${it.expert}`);
        if (f.level === 1) cls.push('is-layer');
        return (
          <div
            key={f.path}
            id={`ti-${f.path}`}
            data-path={f.path}
            data-field={it.field}
            role="treeitem"
            aria-level={f.level}
            aria-posinset={f.pos}
            aria-setsize={f.size}
            aria-expanded={f.hasChildren ? f.expanded : undefined}
            aria-selected={isSel}
            className={cls.join(' ')}
            style={{ paddingInlineStart: 6 + (f.level - 1) * 16 }}
            onMouseDown={(e) => {
              if (e.button !== 0) return;
              onSelect(f.path);
              ref.current?.focus({ preventScroll: true });
              e.preventDefault();
            }}
            onDoubleClick={() => f.hasChildren && onToggle(f.key, !f.expanded)}
            title={it.field ? `${it.field}${it.length ? ` · ${it.length} byte${it.length === 1 ? '' : 's'} at ${it.start}` : ''}` : undefined}
          >
            <span
              className={`twisty${f.hasChildren ? (f.expanded ? ' is-open' : '') : ' is-leaf'}`}
              aria-hidden="true"
              onMouseDown={(e) => {
                if (!f.hasChildren || e.button !== 0) return;
                e.stopPropagation();
                e.preventDefault();
                onSelect(f.path);
                onToggle(f.key, !f.expanded);
                ref.current?.focus({ preventScroll: true });
              }}
            >
              {f.hasChildren ? (
                <svg viewBox="0 0 10 10" width="10" height="10">
                  <path d="M3 1.5 7 5l-4 3.5" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" strokeLinejoin="round" />
                </svg>
              ) : null}
            </span>
            <span className="dtree-label">{displayLabel(it)}</span>
          </div>
        );
      })}
    </div>
  );
});
