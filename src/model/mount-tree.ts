/**
 * The mount-point tree of one namespace (children by parent id) and the
 * overmount pass that marks hidden mounts, as lxkns does in a last pass.
 */
import type { Mount } from './types.js';

export interface MountTree {
  byId: Map<number, Mount>;
  /** Children in mountinfo order (the order findmnt shows). */
  children: Map<number, Mount[]>;
  /** Mounts whose parent is not in the table: `/`, or a chroot's visible tops. */
  roots: Mount[];
}

/** Builds the parent → children index. */
export function buildMountTree(mounts: Mount[]): MountTree {
  const byId = new Map<number, Mount>();
  for (const m of mounts) byId.set(m.id, m);
  const children = new Map<number, Mount[]>();
  const roots: Mount[] = [];
  for (const m of mounts) {
    if (m.parent === m.id || !byId.has(m.parent)) {
      roots.push(m);
      continue;
    }
    let list = children.get(m.parent);
    if (!list) children.set(m.parent, (list = []));
    list.push(m);
  }
  return { byId, children, roots };
}

/** Number of components: `/` → 0, `/a/b` → 2. */
function depth(path: string): number {
  let n = 0;
  for (let i = 0; i < path.length; i++) if (path.charCodeAt(i) === 47 && i + 1 < path.length) n++;
  return n;
}

/** True when a strict ancestor of `path` at depth ≥ `minDepth` is in `targets`. */
function hasAncestorIn(path: string, targets: Set<string>, minDepth: number): boolean {
  let p = path;
  for (let d = depth(path) - 1; d >= minDepth && p.length > 1; d--) {
    const i = p.lastIndexOf('/');
    p = i <= 0 ? '/' : p.slice(0, i);
    if (targets.has(p)) return true;
  }
  return false;
}

/**
 * The ids of mounts that can no longer be reached by path:
 * - a mount with a child on the same target is overmounted (stacked, or tucked
 *   under by propagation);
 * - a mount whose sibling sits on one of its ancestor paths was covered later
 *   (it must have been mounted first, or its parent would be that sibling);
 * - everything under a hidden mount is hidden, except the mount stacked on top
 *   of it, which is as visible as the one it covers was.
 * Touches no mount: the watcher shares unchanged mounts between a table and the next.
 */
export function hiddenIds(tree: MountTree): Set<number> {
  const overmounted = new Set<number>();
  const covered = new Set<number>();
  for (const [parentId, kids] of tree.children) {
    const parent = tree.byId.get(parentId)!;
    if (kids.length === 1) {
      if (kids[0].target === parent.target) overmounted.add(parentId);
      continue;
    }
    const targets = new Set<string>();
    for (const k of kids) targets.add(k.target);
    if (targets.has(parent.target)) overmounted.add(parentId);
    // Only a sibling shallower than k can cover k: skip the walk when none is.
    let minDepth = Infinity;
    let maxDepth = 0;
    for (const k of kids) {
      const d = depth(k.target);
      if (d < minDepth) minDepth = d;
      if (d > maxDepth) maxDepth = d;
    }
    if (maxDepth === minDepth) continue;
    for (const k of kids) {
      if (depth(k.target) > minDepth && hasAncestorIn(k.target, targets, minDepth)) covered.add(k.id);
    }
  }
  // Explicit stack (mount, reachable from above); depth is bounded by the kernel,
  // but a stack costs nothing.
  const hidden = new Set<number>();
  const stack: Mount[] = [...tree.roots];
  const unreachable: boolean[] = tree.roots.map(() => false);
  while (stack.length) {
    const m = stack.pop()!;
    const isCovered = unreachable.pop()! || covered.has(m.id);
    const isHidden = isCovered || overmounted.has(m.id);
    if (isHidden) hidden.add(m.id);
    const kids = tree.children.get(m.id);
    if (!kids) continue;
    for (const k of kids) {
      stack.push(k);
      unreachable.push(k.target === m.target ? isCovered : isHidden);
    }
  }
  return hidden;
}

/** Sets `hidden` on freshly parsed mounts (the caller owns them). */
export function markHidden(tree: MountTree): void {
  const hidden = hiddenIds(tree);
  for (const m of tree.byId.values()) m.hidden = hidden.has(m.id);
}

/** True when `path` lies strictly below the directory `dir`. */
export function isUnder(path: string, dir: string): boolean {
  if (dir === '/') return path !== '/' && path.startsWith('/');
  return path.length > dir.length && path.charCodeAt(dir.length) === 47 && path.startsWith(dir);
}

/**
 * The hidden flags of mounts appended to `table` (each a new leaf, in order),
 * when they change no one else's: each lands under a parent already there, on
 * a path of its own — not on its parent's target, with no sibling on or below
 * its path, its id not in use (nor named as a parent). Then a new mount is
 * hidden exactly when its parent is, or a sibling sits on one of its ancestor
 * paths (hiddenIds' rules for one more leaf). Null when that does not hold: the
 * caller recomputes the whole tree. One pass over the table per new mount.
 */
export function appendedHidden(table: readonly Mount[], added: readonly Mount[]): boolean[] | null {
  const out: boolean[] = [];
  for (let a = 0; a < added.length; a++) {
    const f = added[a];
    let parentHidden: boolean | null = null;
    let covered = false;
    // False when `m` makes the new mount's effect on the tree anything but plain.
    const plain = (m: Mount, hidden: boolean): boolean => {
      if (m.id === f.id || m.parent === f.id) return false;
      if (m.id === f.parent) {
        if (m.target === f.target) return false;
        parentHidden = hidden;
      } else if (m.parent === f.parent) {
        if (m.target === f.target || isUnder(m.target, f.target)) return false;
        if (isUnder(f.target, m.target)) covered = true;
      }
      return true;
    };
    for (const m of table) if (!plain(m, m.hidden)) return null;
    for (let b = 0; b < a; b++) if (!plain(added[b], out[b])) return null;
    if (parentHidden === null || f.parent === f.id) return null;
    out.push(parentHidden || covered);
  }
  return out;
}

/**
 * Whether taking `removed` out of `table` changes no one else's hidden flag:
 * no mount left has its parent among them (a lazy umount's children go with
 * it, each with its own event), none of them sat on its parent's target
 * (that parent was overmounted by it), and no sibling left sits on or below
 * one's path (it was covered by it). Else the caller recomputes the tree.
 * One pass over the table.
 */
export function removedPlain(table: readonly Mount[], removed: readonly Mount[]): boolean {
  const ids = new Set(removed.map((r) => r.id));
  // Integer comparisons against each removed mount: a table of 50,000 in well under a millisecond.
  for (const m of table) {
    if (ids.has(m.id)) continue;
    for (const r of removed) {
      if (m.parent === r.id) return false;
      if (m.id === r.parent && m.target === r.target) return false;
      if (m.parent === r.parent && (m.target === r.target || isUnder(m.target, r.target))) return false;
    }
  }
  return true;
}
