/** Everything the screen shows, derived from the snapshot and the view state, memoised. */
import { useMemo } from 'react';
import type { MountTree } from '../../model/mount-tree.js';
import type { MountNamespace, Snapshot } from '../../model/types.js';
import { flattenTree, type TreeRow } from '../../format/tree-lines.js';
import { indexSnapshot, namespaceRows, treeOf, type NamespaceRow, type NsListing, type SnapshotIndex } from '../view-model.js';
import { mountIndex, nsIndex, type Ctx, type ViewState } from '../view-cursors.js';

const EMPTY_FOLDS: ReadonlySet<number> = new Set();

/** Single-entry memo: recomputes only when an input changes by identity. */
function memo1<A extends unknown[], R>(fn: (...a: A) => R): (...a: A) => R {
  let last: { args: A; value: R } | null = null;
  return (...args: A) => {
    if (last && last.args.length === args.length && last.args.every((x, i) => x === args[i])) return last.value;
    last = { args, value: fn(...args) };
    return last.value;
  };
}

/**
 * Everything the screen shows, derived from the snapshot and the view state.
 * Key handlers call it too, with the newest state, so a burst of keys never acts
 * on rows from a stale render.
 */
export function useDerive(): (snap: Snapshot | null, view: ViewState, listHeight: number) => Derived {
  return useMemo(() => {
    const index = memo1((snap: Snapshot | null) => (snap ? indexSnapshot(snap) : null));
    const nsRowsOf = memo1((snap: Snapshot | null, unfolded: ReadonlySet<number>, listing: NsListing) => (snap ? namespaceRows(snap, unfolded, listing) : []));
    const rowsOf = memo1((tree: MountTree | null, folds: ReadonlySet<number>) => (tree ? flattenTree(tree, folds) : []));
    return (snap, view, listHeight) => {
      const idx = index(snap);
      const nsRows = nsRowsOf(snap, view.unfoldedNs, view.listing);
      const nsCursor = nsIndex(view, nsRows);
      const selectedNs = nsRows[nsCursor]?.ns ?? null;
      const inode = selectedNs?.inode ?? null;
      const tree = idx && inode !== null ? treeOf(idx, inode) : null;
      const mountRows = rowsOf(tree, (inode !== null && view.folded.get(inode)) || EMPTY_FOLDS);
      const mCursor = mountIndex(view, mountRows, inode);
      const ctx: Ctx = { snapshot: snap, nsRows, mountRows, tree, inode, listHeight, detailsLength: 0 };
      return { index: idx, nsRows, nsCursor, selectedNs, tree, mountRows, mCursor, ctx };
    };
  }, []);
}

export interface Derived {
  index: SnapshotIndex | null;
  nsRows: NamespaceRow[];
  nsCursor: number;
  selectedNs: MountNamespace | null;
  tree: MountTree | null;
  mountRows: TreeRow[];
  mCursor: number;
  ctx: Ctx;
}
