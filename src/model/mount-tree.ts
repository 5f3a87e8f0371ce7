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
 * Sets `hidden` on mounts that can no longer be reached by path (sets it on the
 * given objects, which are freshly parsed and owned by the caller):
 * - a mount with a child on the same target is overmounted (stacked, or tucked
 *   under by propagation);
 * - a mount whose sibling sits on one of its ancestor paths was covered later
 *   (it must have been mounted first, or its parent would be that sibling);
 * - everything under a hidden mount is hidden, except the mount stacked on top
 *   of it, which is as visible as the one it covers was.
 */
export function markHidden(tree: MountTree): void {
  const overmounted = new Set<number>();
  const covered = new Set<number>();
  for (const [parentId, kids] of tree.children) {
    const parent = tree.byId.get(parentId)!;
    const targets = new Set<string>();
    for (const k of kids) targets.add(k.target);
    if (targets.has(parent.target)) overmounted.add(parentId);
    if (kids.length < 2) continue;
    // Only a sibling shallower than k can cover k: skip the walk when none is.
    let minDepth = Infinity;
    for (const k of kids) minDepth = Math.min(minDepth, depth(k.target));
    for (const k of kids) {
      if (depth(k.target) > minDepth && hasAncestorIn(k.target, targets, minDepth)) covered.add(k.id);
    }
  }
  // Explicit stack: depth is bounded by the kernel, but a stack costs nothing.
  const stack: Array<{ m: Mount; unreachable: boolean }> = tree.roots.map((m) => ({ m, unreachable: false }));
  while (stack.length) {
    const { m, unreachable } = stack.pop()!;
    const isCovered = unreachable || covered.has(m.id);
    m.hidden = isCovered || overmounted.has(m.id);
    for (const k of tree.children.get(m.id) ?? []) {
      stack.push({ m: k, unreachable: k.target === m.target ? isCovered : m.hidden });
    }
  }
}
