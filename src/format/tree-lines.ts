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

/**
 * How many levels of connectors a row draws: deeper ones keep the last levels
 * behind an ellipsis. 20,000 stacked bind mounts make a chain 20,000 deep
 * (anyone can, in their own user + mount namespace), and whole prefixes grow
 * with depth: gigabytes for `--tree` of that chain (README, "Measured"), for columns no one sees.
 */
export const DRAWN_LEVELS = 32;

/** A lead kept to its last DRAWN_LEVELS levels (each is two columns), marked where it was cut. */
function bounded(lead: string): string {
  if (lead.length <= 2 * DRAWN_LEVELS) return lead;
  return `…${lead.slice(lead.length - 2 * DRAWN_LEVELS + 1)}`;
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
    const childLead = top ? '' : bounded(lead + (last ? '  ' : '│ '));
    for (let i = kids.length - 1; i >= 0; i--) {
      stack.push({ m: kids[i], depth: depth + 1, lead: childLead, last: i === kids.length - 1, top: false });
    }
  }
  return rows;
}
