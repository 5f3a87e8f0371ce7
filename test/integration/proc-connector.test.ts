/**
 * The kernel's process events as mntns subscribes to them: thread forks and
 * exits are dropped in the kernel by the socket filter (a busy host clones
 * thousands of threads a second), process forks, execs and exits come through.
 */
import { spawn } from 'node:child_process';
import { expect, it } from 'vitest';
import { loadLibc } from '../../src/sys/libc.js';
import { openProcConnector } from '../../src/sys/proc-connector.js';
import { describeRoot } from '../helpers/lab.js';

const FORK = 0x1;
const EXEC = 0x2;
const EXIT = 0x80000000;

/** Every message waiting on the socket, raw: what, and the two pids of the event. */
function drain(fd: number): Array<{ what: number; a: number; b: number; c: number; d: number }> {
  const libc = loadLibc();
  const buf = Buffer.alloc(65536);
  const out = [];
  for (;;) {
    const n = libc.recv(fd, buf, buf.length, 0x40 /* MSG_DONTWAIT */);
    if (n <= 0) break;
    if (n < 68) continue;
    out.push({ what: buf.readUInt32LE(36), a: buf.readUInt32LE(52), b: buf.readUInt32LE(56), c: buf.readUInt32LE(60), d: buf.readUInt32LE(64) });
  }
  return out;
}

describeRoot('the process events connector', () => {
  it('delivers process forks, execs and exits, and no thread event at all', async () => {
    const libc = loadLibc();
    const fd = openProcConnector(libc);
    expect(typeof fd, String(fd)).toBe('number');
    try {
      drain(fd as number);
      // A node child: one process, and a dozen threads of its own (V8, libuv, workers).
      const child = spawn(process.execPath, ['-e', 'new (require("worker_threads").Worker)("0", { eval: true }).on("exit", () => {})'], { stdio: 'ignore' });
      const pid = child.pid!;
      await new Promise((r) => child.once('exit', r));
      const events = drain(fd as number);
      // Its exit event may still be on its way when we hear of the exit.
      for (let i = 0; i < 100 && !events.some((e) => e.what === EXIT && e.a === pid); i++) {
        await new Promise((r) => setTimeout(r, 20));
        events.push(...drain(fd as number));
      }
      const threadEvents = events.filter((e) => (e.what === FORK && e.c !== e.d) || (e.what === EXIT && e.a !== e.b));
      expect(threadEvents).toEqual([]);
      expect(events.some((e) => e.what === FORK && e.c === pid && e.d === pid)).toBe(true);
      expect(events.some((e) => e.what === EXEC && e.a === pid)).toBe(true);
      expect(events.some((e) => e.what === EXIT && e.a === pid && e.b === pid)).toBe(true);
    } finally {
      if (typeof fd === 'number') libc.close(fd);
    }
  });
});
