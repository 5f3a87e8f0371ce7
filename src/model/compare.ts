/**
 * Two mount tables side by side (two namespaces, or one namespace at two
 * moments, or on two hosts): what only one has, and what both have with a
 * difference. Mounts are matched by target and, where several sit on one
 * target, by the root inside their filesystem. Ids are not compared: they
 * differ between namespaces and between hosts (snapd's mountinfo-tool
 * renumbers them for the same reason).
 */
import type { Mount } from './types.js';

/** Fields a matched pair can differ in, in the order they are reported. */
export const COMPARED_FIELDS = ['root', 'source', 'fstype', 'options', 'superOptions', 'propagation'] as const;
export type ComparedField = (typeof COMPARED_FIELDS)[number];

export interface MountPairChange {
  target: string;
  a: Mount;
  b: Mount;
  fields: ComparedField[];
}

export interface MountComparison {
  onlyA: Mount[];
  onlyB: Mount[];
  changed: MountPairChange[];
  /** Pairs equal in every compared field. */
  same: number;
}

/** What propagation is compared by: peer group, master, unbindable (propagate_from depends on the reader, so it is left out). */
const propagationKey = (m: Mount): string => `${m.propagation.shared}/${m.propagation.master}/${m.propagation.unbindable}`;

function differences(a: Mount, b: Mount): ComparedField[] {
  return COMPARED_FIELDS.filter((f) => (f === 'propagation' ? propagationKey(a) !== propagationKey(b) : a[f] !== b[f]));
}

/** Takes from `list` the first mount `ok` accepts. */
function take(list: Mount[], ok: (m: Mount) => boolean): Mount | undefined {
  const i = list.findIndex(ok);
  return i < 0 ? undefined : list.splice(i, 1)[0];
}

function byTarget(mounts: Mount[]): Map<string, Mount[]> {
  const out = new Map<string, Mount[]>();
  for (const m of mounts) {
    const l = out.get(m.target);
    if (l) l.push(m);
    else out.set(m.target, [m]);
  }
  return out;
}

/**
 * Compares table `a` with table `b`. On one target, mounts pair in table order:
 * first those with the same root and source, then the same root, then the same
 * source, then one left on each side; the rest are only in A or only in B.
 */
export function compareMounts(a: Mount[], b: Mount[]): MountComparison {
  const out: MountComparison = { onlyA: [], onlyB: [], changed: [], same: 0 };
  const left = byTarget(a);
  const right = byTarget(b);
  const pair = (x: Mount, y: Mount): void => {
    const fields = differences(x, y);
    if (fields.length) out.changed.push({ target: x.target, a: x, b: y, fields });
    else out.same++;
  };
  // Each pass pairs what is left: same root and source, same root, same source,
  // then the one mount left on each side.
  const passes: Array<(x: Mount, y: Mount) => boolean> = [(x, y) => x.root === y.root && x.source === y.source, (x, y) => x.root === y.root, (x, y) => x.source === y.source];
  for (const [target, as] of left) {
    const bs = [...(right.get(target) ?? [])];
    let rest = [...as];
    for (const same of passes) {
      const unpaired: Mount[] = [];
      for (const x of rest) {
        const y = take(bs, (m) => same(x, m));
        if (y) pair(x, y);
        else unpaired.push(x);
      }
      rest = unpaired;
    }
    if (rest.length === 1 && bs.length === 1) pair(rest.pop()!, bs.pop()!);
    out.onlyA.push(...rest);
    out.onlyB.push(...bs);
    right.delete(target);
  }
  for (const bs of right.values()) out.onlyB.push(...bs);
  // Table order of each side, whatever order the targets were walked in.
  const order = (t: Mount[]) => new Map(t.map((m, i) => [m, i]));
  const oa = order(a);
  const ob = order(b);
  out.onlyA.sort((x, y) => oa.get(x)! - oa.get(y)!);
  out.onlyB.sort((x, y) => ob.get(x)! - ob.get(y)!);
  out.changed.sort((x, y) => oa.get(x.a)! - oa.get(y.a)!);
  return out;
}
