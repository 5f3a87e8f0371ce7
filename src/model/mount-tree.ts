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

/** Every strict ancestor of an absolute path: `/a/b/c` → `/a/b`, `/a`, `/`. */
function ancestors(path: string): string[] {
  const out: string[] = [];
  let p = path;
  while (p.length > 1) {
    const i = p.lastIndexOf('/');
    p = i <= 0 ? '/' : p.slice(0, i);
    out.push(p);
  }
  return out;
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
    for (const k of kids) {
      for (const a of ancestors(k.target)) {
        if (targets.has(a)) {
          covered.add(k.id);
          break;
        }
      }
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
