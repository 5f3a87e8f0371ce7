/**
 * What a propagation change does to others, for the confirm dialog: how many
 * mounts it touches, which namespaces stop receiving from it or sending to it,
 * and the util-linux command that does the same (to read, copy or script: it
 * is never run from here). Pure.
 */
import { namespacesOf, receivesFrom, sendsTo } from '../model/peer-groups.js';
import type { Mount, MountNamespace } from '../model/types.js';
import { sanitize } from '../format/sanitize.js';
import type { PendingAction } from './view-cursors.js';
import { labelIn } from './details.js';
import { treeOf, type SnapshotIndex } from './view-model.js';

export interface ChangeEffect {
  /** The mounts changed: the one, or it and every mount below it. */
  touches: number;
  /** Namespaces its mounts reach now and will not after. */
  stopsSending: string[];
  /** Namespaces whose mounts reach it now and will not after. */
  stopsReceiving: string[];
  command: string | null;
}

/** `'a b'` for a shell: single quotes, a quote inside as '\''; control characters shown, not written. */
export function shellQuote(s: string): string {
  return /^[A-Za-z0-9_./:=@%+-]+$/.test(s) ? s : `'${sanitize(s).replace(/'/g, `'\\''`)}'`;
}

function subtree(index: SnapshotIndex, ns: MountNamespace, mount: Mount): Mount[] {
  const tree = treeOf(index, ns.inode);
  const out: Mount[] = [];
  const walk = (m: Mount): void => {
    out.push(m);
    for (const k of tree?.children.get(m.id) ?? []) walk(k);
  };
  walk(mount);
  return out;
}

export function changeEffect(index: SnapshotIndex, ns: MountNamespace, mount: Mount, pending: Pick<PendingAction, 'kind' | 'recursive'>): ChangeEffect {
  const mounts = pending.recursive ? subtree(index, ns, mount) : [mount];
  const out = new Set<number>();
  const inn = new Set<number>();
  for (const m of mounts) {
    for (const i of namespacesOf(sendsTo(index.propagation, ns.inode, m), ns.inode)) out.add(i);
    for (const i of namespacesOf(receivesFrom(index.propagation, ns.inode, m), ns.inode)) inn.add(i);
  }
  // private and unbindable cut both ways; slave keeps receiving; shared cuts nothing.
  const cutsOut = pending.kind !== 'shared';
  const cutsIn = pending.kind === 'private' || pending.kind === 'unbindable';
  const label = (i: number): string => labelIn(index, i);
  const flag = `--make-${pending.recursive ? 'r' : ''}${pending.kind}`;
  return {
    touches: mounts.length,
    stopsSending: cutsOut ? [...out].map(label) : [],
    stopsReceiving: cutsIn ? [...inn].map(label) : [],
    command: ns.readVia === null ? null : `nsenter -t ${ns.readVia} -m mount ${flag} ${shellQuote(mount.target)}`,
  };
}
