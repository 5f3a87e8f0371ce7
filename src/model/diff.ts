/**
 * Differences between two mount tables of one namespace, keyed by mount id (as
 * findmnt's poll_table() pairs old and new tables). A reused id with a different
 * mount behind it (other device, root or target) is an umount plus a mount.
 * Ids are unique within each table (parseMountinfo drops a torn read's stale
 * duplicate), so a map by id loses nothing.
 */
import type { Mount } from './types.js';

export interface MountDiff {
  added: Mount[];
  removed: Mount[];
  changed: Array<{ before: Mount; after: Mount }>;
}

function sameMount(a: Mount, b: Mount): boolean {
  return a.major === b.major && a.minor === b.minor && a.root === b.root && a.target === b.target;
}

function sameState(a: Mount, b: Mount): boolean {
  const p = a.propagation;
  const q = b.propagation;
  return (
    a.parent === b.parent &&
    a.options === b.options &&
    a.superOptions === b.superOptions &&
    a.source === b.source &&
    p.shared === q.shared &&
    p.master === q.master &&
    p.propagateFrom === q.propagateFrom &&
    p.unbindable === q.unbindable &&
    a.otherFields.join(' ') === b.otherFields.join(' ') &&
    a.hidden === b.hidden
  );
}

/** What changed from `before` to `after`; empty lists when nothing did. */
export function diffMounts(before: Mount[], after: Mount[]): MountDiff {
  const old = new Map<number, Mount>();
  for (const m of before) old.set(m.id, m);
  const out: MountDiff = { added: [], removed: [], changed: [] };
  for (const m of after) {
    const o = old.get(m.id);
    if (!o) out.added.push(m);
    else {
      old.delete(m.id);
      if (!sameMount(o, m)) {
        out.removed.push(o);
        out.added.push(m);
      } else if (!sameState(o, m)) out.changed.push({ before: o, after: m });
    }
  }
  for (const m of old.values()) out.removed.push(m);
  return out;
}

export const isEmptyDiff = (d: MountDiff): boolean => d.added.length === 0 && d.removed.length === 0 && d.changed.length === 0;

/**
 * The fields in which `now` is not the mount `shown` — mount ids are reused
 * (smallest free), so an id alone does not say it is the same mount. Empty:
 * the same mount as far as mountinfo can tell.
 */
export function identityChanges(shown: Mount, now: Mount): string[] {
  const out: string[] = [];
  if (now.target !== shown.target) out.push('target');
  if (now.major !== shown.major || now.minor !== shown.minor) out.push('device');
  if (now.root !== shown.root) out.push('root');
  if (now.parent !== shown.parent) out.push('parent');
  if (now.fstype !== shown.fstype) out.push('fstype');
  if (now.source !== shown.source) out.push('source');
  return out;
}
