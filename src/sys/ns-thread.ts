/**
 * Worker-thread entry that steps into another mount namespace. setns(CLONE_NEWNS)
 * fails on Node's main thread (it shares fs_struct with libuv and V8), so this
 * thread first unshares CLONE_FS, then joins the namespace, does one job with
 * synchronous calls only (an async call here could start libuv's pool inside the
 * target namespace for the whole process), reports, and exits.
 */
import { workerData, type MessagePort } from 'node:worker_threads';
import { constants } from 'node:os';
import { CLONE_FS, CLONE_NEWNS, O_CLOEXEC, O_DIRECTORY, O_PATH, O_RDONLY, loadLibc } from './libc.js';
import type { NsJob, NsJobResult } from './ns-worker.js';

const { job, port, signal } = workerData as { job: NsJob; port: MessagePort; signal: Int32Array };

function errnoName(n: number): string {
  for (const [k, v] of Object.entries(constants.errno)) if (v === n) return k;
  return `errno ${n}`;
}

function run(): NsJobResult {
  const c = loadLibc();
  const fail = (what: string): NsJobResult => {
    const e = c.errno();
    return { ok: false, code: errnoName(e), message: `${what}: ${errnoName(e)}` };
  };
  // Opened before setns: the target namespace may have no /proc of its own.
  const proc = c.open('/proc', O_PATH | O_DIRECTORY | O_CLOEXEC);
  if (proc < 0) return fail('open /proc');
  const nsfd = c.open(job.nsPath, O_RDONLY | O_CLOEXEC);
  if (nsfd < 0) return fail(`open ${job.nsPath}`);
  if (c.unshare(CLONE_FS) !== 0) return fail('unshare(CLONE_FS)');
  if (c.setns(nsfd, CLONE_NEWNS) !== 0) return fail('setns');
  c.close(nsfd);
  if (job.op === 'read-mountinfo') {
    const fd = c.openat(proc, 'thread-self/mountinfo', O_RDONLY | O_CLOEXEC);
    if (fd < 0) return fail('open mountinfo');
    const chunks: Buffer[] = [];
    for (;;) {
      const buf = Buffer.alloc(65536);
      const n = c.read(fd, buf, buf.length);
      if (n < 0) return fail('read mountinfo');
      if (n === 0) break;
      chunks.push(buf.subarray(0, n));
    }
    c.close(fd);
    return { ok: true, text: Buffer.concat(chunks).toString('utf8') };
  }
  if (c.mount(null, job.target, null, job.flags, null) !== 0) return fail(`mount ${job.target}`);
  return { ok: true, text: '' };
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
