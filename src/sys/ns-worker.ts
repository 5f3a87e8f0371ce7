/**
 * Runs one job inside another mount namespace on a short-lived worker thread,
 * synchronously from the caller's point of view (see ns-thread.ts for why a
 * thread, and kernel-facts.md for the libuv pool hazard).
 */
import { threadEntry } from './threads.js';
import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';

export type NsJob =
  | { op: 'read-mountinfo'; nsPath: string }
  /** `flags`: one MS_* propagation flag; `mountId`: the mount that must be at `target`, or nothing is done. */
  | { op: 'set-propagation'; nsPath: string; target: string; flags: number; recursive: boolean; mountId: number; targetBytes?: Uint8Array; uniqueId?: string }
  /** The never-reused 64-bit id of the mount `mountId` at `target` (as decimal text), for pinning an action to it. */
  | { op: 'unique-id'; nsPath: string; target: string; mountId: number; targetBytes?: Uint8Array }
  /** A copy of the namespace (unshare(CLONE_NEWNS) in it, then `flags` on / recursively, as unshare(1) does). */
  | { op: 'unshare'; nsPath: string; flags: number };

/** `fds`: for unshare, the copy's nsfs fd and a mountinfo fd of it (both hold it; the process owns them). */
export type NsJobResult = { ok: true; text: string; fds?: number[] } | { ok: false; code: string; message: string };

/** Runs `job` in the namespace at `job.nsPath`; blocks until it is done (≤ timeoutMs). */
export function runInNamespace(job: NsJob, timeoutMs = 5000): NsJobResult {
  const { port1, port2 } = new MessageChannel();
  const signal = new Int32Array(new SharedArrayBuffer(4));
  const worker = new Worker(threadEntry(import.meta.url, './ns-thread.js'), { workerData: { job, port: port2, signal }, transferList: [port2] });
  try {
    if (Atomics.wait(signal, 0, 0, timeoutMs) === 'timed-out') {
      return { ok: false, code: 'ETIMEDOUT', message: 'namespace worker did not answer' };
    }
    const msg = receiveMessageOnPort(port1);
    return (msg?.message as NsJobResult) ?? { ok: false, code: 'EIO', message: 'namespace worker sent nothing' };
  } finally {
    void worker.terminate();
    port1.close();
  }
}

/** HeldNamespaceReader for discovery: the mountinfo of the namespace behind an nsfs path, one latin1 character per byte. */
export function readMountinfoOfNamespace(nsPath: string): string {
  const r = runInNamespace({ op: 'read-mountinfo', nsPath });
  if (!r.ok) throw Object.assign(new Error(r.message), { code: r.code });
  return r.text;
}
