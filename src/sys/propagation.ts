/**
 * Changing a mount's propagation inside another mount namespace: mount(2) with
 * MS_PRIVATE/MS_SHARED/MS_SLAVE/MS_UNBINDABLE (|MS_REC), run by the namespace
 * worker thread after setns() — no shell, no command string: the target path is
 * handed to the kernel as it is, whatever it contains.
 */
import { MS_PRIVATE, MS_SHARED, MS_SLAVE, MS_UNBINDABLE } from './libc.js';
import { runInNamespace } from './ns-worker.js';
import type { PropagationKind } from '../model/types.js';

const FLAG: Record<PropagationKind, number> = { private: MS_PRIVATE, shared: MS_SHARED, slave: MS_SLAVE, unbindable: MS_UNBINDABLE };

/** What an errno means for this action, in plain words. */
const EXPLAIN: Record<string, string> = {
  EPERM: 'not permitted: changing propagation needs root (CAP_SYS_ADMIN over the namespace)',
  EACCES: 'permission denied on the namespace or the path',
  EINVAL: 'not a mount point in that namespace (it may have been unmounted meanwhile)',
  ENOENT: 'the path no longer exists in that namespace',
  ENOTDIR: 'a component of the path is not a directory any more',
  ESRCH: 'the process holding the namespace is gone',
  ETIMEDOUT: 'the namespace worker did not answer',
  ESTALE: 'that is not the mount shown any more',
  ELOOP: 'the path ends in a symbolic link now',
};

export type PropagationResult = { ok: true } | { ok: false; code: string; message: string };

/**
 * Sets `kind` (recursively with `recursive`) on the mount `mountId` at `target`
 * in the namespace behind `nsPath` — on that mount or not at all (ESTALE when
 * another mount is at that path now: an id reused, a path renamed, a mount on top).
 */
export function runSetPropagation(nsPath: string, target: string, mountId: number, kind: PropagationKind, recursive: boolean, targetBytes?: Uint8Array, uniqueId?: string): PropagationResult {
  const r = runInNamespace({ op: 'set-propagation', nsPath, target, mountId, flags: FLAG[kind], recursive, targetBytes, uniqueId });
  if (r.ok) return { ok: true };
  return { ok: false, code: r.code, message: `${r.code}: ${EXPLAIN[r.code] ?? r.message}` };
}

const COPY_FLAG: Record<'private' | 'slave' | 'shared' | 'unchanged', number> = { private: MS_PRIVATE, slave: MS_SLAVE, shared: MS_SHARED, unchanged: 0 };

/** A namespace copied from the one at `nsPath` and held by mntns's fds (no process, nothing run from the target). */
export type CopyResult = { ok: true; nsFd: number; mountinfoFd: number } | { ok: false; code: string; message: string };

/**
 * unshare(1)'s `--mount --propagation=X` done by a worker thread inside the
 * namespace: the copy is kept alive by an nsfs fd (and a mountinfo fd to follow
 * it) of this process, so it ends with mntns whatever way mntns ends.
 */
export function runCopyNamespace(nsPath: string, propagation: keyof typeof COPY_FLAG): CopyResult {
  const r = runInNamespace({ op: 'unshare', nsPath, flags: COPY_FLAG[propagation] });
  if (!r.ok) return { ok: false, code: r.code, message: `${r.code}: ${EXPLAIN[r.code] ?? r.message}` };
  const [nsFd, mountinfoFd] = r.fds ?? [];
  return { ok: true, nsFd, mountinfoFd };
}

/**
 * The never-reused 64-bit id of mount `mountId` at `target` in the namespace
 * behind `nsPath` (Linux 6.8+), taken when a dialog opens so the change can be
 * pinned to exactly that mount; null where the kernel has none or it is not there.
 */
export function runUniqueMountId(nsPath: string, target: string, mountId: number, targetBytes?: Uint8Array): string | null {
  const r = runInNamespace({ op: 'unique-id', nsPath, target, mountId, targetBytes });
  return r.ok ? r.text : null;
}
