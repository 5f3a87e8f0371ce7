/**
 * Flattens a mount tree into display rows with findmnt's connectors. Shared by
 * `--tree` and the TUI (which passes the folded set and windows the result).
 */
import type { MountTree } from '../model/mount-tree.js';
import type { Mount } from '../model/types.js';

export interface TreeRow {
  mount: Mount;
  depth: number;
  /** Connector prefix such as `│ ├─`. */
  prefix: string;
  hasChildren: boolean;
  folded: boolean;
}

/** Depth-first rows; children of a mount in `folded` are skipped. */
export function flattenTree(tree: MountTree, folded: ReadonlySet<number> = new Set()): TreeRow[] {
  const rows: TreeRow[] = [];
  // Explicit stack: a 50,000-mount table must not depend on recursion depth.
  type Item = { m: Mount; depth: number; lead: string; last: boolean; top: boolean };
  const stack: Item[] = [];
  for (let i = tree.roots.length - 1; i >= 0; i--) stack.push({ m: tree.roots[i], depth: 0, lead: '', last: true, top: true });
  while (stack.length) {
    const { m, depth, lead, last, top } = stack.pop()!;
    const kids = tree.children.get(m.id) ?? [];
    const isFolded = folded.has(m.id) && kids.length > 0;
    rows.push({ mount: m, depth, prefix: top ? '' : lead + (last ? '└─' : '├─'), hasChildren: kids.length > 0, folded: isFolded });
    if (isFolded) continue;
    const childLead = top ? '' : lead + (last ? '  ' : '│ ');
    for (let i = kids.length - 1; i >= 0; i--) {
      stack.push({ m: kids[i], depth: depth + 1, lead: childLead, last: i === kids.length - 1, top: false });
    }
  }
  return rows;
}
