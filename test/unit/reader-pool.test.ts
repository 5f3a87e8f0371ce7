import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { ReaderPool, inlineReader } from '../../src/discover/reader-pool.js';
import { fakeProcess } from '../helpers/model.js';

// A fake procfs of 40 processes in 4 namespaces: every pool shape must read what
// the calling thread reads alone, in pid order.
const dir = mkdtempSync(`${tmpdir()}/mntns-pool.`);
const pids = Array.from({ length: 40 }, (_, i) => 100 + i);
for (const pid of pids) fakeProcess(dir, pid, 4026532000 + (pid % 4), `1 0 0:1 / / rw - tmpfs t${pid % 4} rw\n`);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ReaderPool', () => {
  it.each([
    { threads: 1, ownShare: false },
    { threads: 2, ownShare: false },
    { threads: 1, ownShare: true, alone: 10 },
    { threads: 3, ownShare: true, alone: 10 },
    // A small host with a share of its own: no thread at all.
    { threads: 2, ownShare: true },
  ])('reads the processes the calling thread reads ($threads threads, own share: $ownShare, alone up to $alone)', async (opts) => {
    const alone = await inlineReader.processes(dir, [...pids, 99999]);
    const pool = new ReaderPool(opts);
    try {
      const read = await pool.processes(dir, [...pids, 99999]); // 99999: vanished, not an error
      expect(read).toEqual(alone);
      expect(read.processes.map((p) => p.pid)).toEqual(pids);
      const tables = (await Promise.all(pool.mountinfo(dir, [{ inode: 1, candidates: [99999, 101] }]))).flat();
      expect(tables.map((t) => [t.readVia, t.text])).toEqual([[101, '1 0 0:1 / / rw - tmpfs t1 rw\n']]);
      const started = (pool as unknown as { workers: unknown[] }).workers.length;
      expect(started).toBe(opts.ownShare && opts.alone === undefined ? 0 : opts.threads);
    } finally {
      await pool.close();
    }
  });
});
