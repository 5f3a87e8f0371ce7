/**
 * Worker-thread entry that steps into another mount namespace. setns(CLONE_NEWNS)
 * fails on Node's main thread (it shares fs_struct with libuv and V8), so this
 * thread first unshares CLONE_FS, then joins the namespace, does one job with
 * synchronous calls only (an async call here could start libuv's pool inside the
 * target namespace for the whole process), reports, and exits.
 */
import { workerData, type MessagePort } from 'node:worker_threads';
import { AT_EMPTY_PATH, AT_RECURSIVE, CLONE_FS, CLONE_NEWNS, MS_REC, O_CLOEXEC, O_DIRECTORY, O_NOFOLLOW, O_PATH, O_RDONLY, STATX_MNT_ID, STATX_MNT_ID_UNIQUE, loadLibc } from './libc.js';
import type { NsJob, NsJobResult } from './ns-worker.js';
import { errnoName } from './errno.js';

const ENOSYS = 38;

const { job, port, signal } = workerData as { job: NsJob; port: MessagePort; signal: Int32Array };

/** Every fd this thread opens for itself is closed before it reports (fds belong to the whole process). */
const own: number[] = [];

function run(): NsJobResult {
  const c = loadLibc();
  try {
    return doJob(c);
  } finally {
    for (const fd of own) c.close(fd);
  }
}

function doJob(c: ReturnType<typeof loadLibc>): NsJobResult {
  const fail = (what: string): NsJobResult => {
    const e = c.errno();
    return { ok: false, code: errnoName(e), message: `${what}: ${errnoName(e)}` };
  };
  // Opened before setns: the target namespace may have no /proc of its own.
  const proc = c.open('/proc', O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (proc < 0) return fail('open /proc');
  own.push(proc);
  const nsfd = c.open(job.nsPath, O_RDONLY | O_CLOEXEC);
  if (nsfd < 0) return fail(`open ${job.nsPath}`);
  own.push(nsfd);
  if (c.unshare(CLONE_FS) !== 0) return fail('unshare(CLONE_FS)');
  if (c.setns(nsfd, CLONE_NEWNS) !== 0) return fail('setns');
  if (job.op === 'read-mountinfo') {
    const fd = c.openat(proc, 'thread-self/mountinfo', O_RDONLY | O_CLOEXEC);
    if (fd < 0) return fail('open mountinfo');
    own.push(fd);
    const chunks: Buffer[] = [];
    for (;;) {
      const buf = Buffer.alloc(65536);
      const n = c.read(fd, buf, buf.length);
      if (n < 0) return fail('read mountinfo');
      if (n === 0) break;
      chunks.push(buf.subarray(0, n));
    }
    // One character per byte: parseMountinfoBytes keeps names that are not UTF-8 exact.
    return { ok: true, text: Buffer.concat(chunks).toString('latin1') };
  }
  if (job.op === 'unshare') {
    // The copy is made and flagged by this thread, and held by fds the process
    // keeps after the thread is gone: nothing of the target's filesystem runs.
    if (c.unshare(CLONE_NEWNS) !== 0) return fail('unshare(CLONE_NEWNS)');
    if (job.flags && c.mount(null, '/', null, MS_REC | job.flags, null) !== 0) return fail('mount --make-r* /');
    const nsFd = c.openat(proc, 'thread-self/ns/mnt', O_RDONLY | O_CLOEXEC);
    if (nsFd < 0) return fail('open ns/mnt');
    // A mountinfo fd keeps its namespace and wakes poll(2) on its changes, also
    // after the thread that opened it has exited.
    const miFd = c.openat(proc, 'thread-self/mountinfo', O_RDONLY | O_CLOEXEC);
    if (miFd < 0) {
      c.close(nsFd);
      return fail('open mountinfo');
    }
    return { ok: true, text: '', fds: [nsFd, miFd] };
  }
  // Exactly the mount shown, or nothing: the path is opened once (its last part
  // not followed; a name that is not UTF-8 as its exact bytes), the mount behind
  // that fd must carry the id the user saw, and the change is made on the fd
  // itself — no second lookup of the path that a rename or a new mount could
  // redirect in between.
  const fd = job.targetBytes ? c.openBytes(Buffer.concat([Buffer.from(job.targetBytes), Buffer.from([0])]), O_PATH | O_NOFOLLOW | O_CLOEXEC) : c.open(job.target, O_PATH | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0) return fail(`open ${job.target}`);
  own.push(fd);
  const at = mountIdOf(c, fd, STATX_MNT_ID);
  if (at !== BigInt(job.mountId)) {
    return { ok: false, code: 'ESTALE', message: at === null ? 'the kernel does not say which mount is at that path' : `mount ${job.mountId} is not the one at that path now (mount ${at} is)` };
  }
  if (job.op === 'unique-id') {
    const unique = mountIdOf(c, fd, STATX_MNT_ID_UNIQUE);
    return unique === null ? { ok: false, code: 'ENOSYS', message: 'no unique mount ids here (Linux < 6.8)' } : { ok: true, text: String(unique) };
  }
  // The id shown may have been handed to a new mount just like it (ids are reused):
  // the never-reused id taken when the dialog opened must match too.
  if (job.uniqueId !== undefined && mountIdOf(c, fd, STATX_MNT_ID_UNIQUE) !== BigInt(job.uniqueId)) {
    return { ok: false, code: 'ESTALE', message: `mount ${job.mountId} was unmounted and another took its id since the dialog opened` };
  }
  const attr = Buffer.alloc(32); // struct mount_attr { u64 attr_set, attr_clr, propagation, userns_fd; }
  attr.writeBigUInt64LE(BigInt(job.flags), 16);
  if (c.mountSetattr(fd, '', AT_EMPTY_PATH | (job.recursive ? AT_RECURSIVE : 0), attr) !== 0) {
    if (c.errno() !== ENOSYS) return fail(`mount_setattr ${job.target}`);
    // Before 5.12: mount(2) on the path just checked.
    if (c.mount(null, job.target, null, job.flags | (job.recursive ? MS_REC : 0), null) !== 0) return fail(`mount ${job.target}`);
  }
  return { ok: true, text: '' };
}

/** The mount id statx reports for an fd (`mask`: STATX_MNT_ID or STATX_MNT_ID_UNIQUE), or null. */
function mountIdOf(c: ReturnType<typeof loadLibc>, fd: number, mask: number): bigint | null {
  const stx = Buffer.alloc(256);
  if (c.statx(fd, '', AT_EMPTY_PATH, mask, stx) !== 0) return null;
  return (stx.readUInt32LE(0) & mask) !== 0 ? stx.readBigUInt64LE(144) : null;
}

let result: NsJobResult;
try {
  result = run();
} catch (e) {
  result = { ok: false, code: 'EIO', message: (e as Error).message };
}
port.postMessage(result);
Atomics.store(signal, 0, 1);
Atomics.notify(signal, 0);
