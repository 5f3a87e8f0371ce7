import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { ReaderPool, inlineReader } from '../../src/discover/reader-pool.js';
import { claimed } from '../../src/discover/read-steps.js';
import { fakeProcess } from '../helpers/model.js';

// A fake procfs of 40 processes in 4 namespaces: every pool shape must read what
// the calling thread reads alone, in pid order.
const dir = mkdtempSync(`${tmpdir()}/mntns-pool.`);
const pids = Array.from({ length: 40 }, (_, i) => 100 + i);
for (const pid of pids) fakeProcess(dir, pid, 4026532000 + (pid % 4), `1 0 0:1 / / rw - tmpfs t${pid % 4} rw\n`);
// Every third process holds a namespace by fds 3 and 5 (fd 4 is something else).
for (const pid of pids.filter((p) => p % 3 === 0)) {
  mkdirSync(`${dir}/${pid}/fd`);
  symlinkSync('mnt:[4026532999]', `${dir}/${pid}/fd/3`);
  symlinkSync('pipe:[77]', `${dir}/${pid}/fd/4`);
  symlinkSync('mnt:[4026532998]', `${dir}/${pid}/fd/5`);
}
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('ReaderPool', () => {
  it.each([
    { threads: 1, ownShare: false },
    { threads: 2, ownShare: false },
    { threads: 1, ownShare: true, alone: 10 },
    { threads: 3, ownShare: true, alone: 10 },
    // One core: a share of its own and no thread, whatever the host's size.
    { threads: 0, ownShare: true, alone: 10 },
    // A small host with a share of its own: no thread at all.
    { threads: 2, ownShare: true },
  ])('reads the processes the calling thread reads ($threads threads, own share: $ownShare, alone up to $alone)', async (opts) => {
    const alone = await inlineReader.processes(dir, [...pids, 99999]);
    const pool = new ReaderPool(opts);
    try {
      const read = await pool.processes(dir, [...pids, 99999]); // 99999: vanished, not an error
      expect(read).toEqual(alone);
      const fds = await pool.fds(dir, pids);
      expect(fds).toEqual(await inlineReader.fds(dir, pids));
      expect(fds.map((h) => `${h.pid}:${h.fd}`)).toEqual(pids.filter((p) => p % 3 === 0).flatMap((p) => [`${p}:3`, `${p}:5`]));
      expect(read.processes.map((p) => p.pid)).toEqual(pids);
      const tables = (await Promise.all(pool.mountinfo(dir, [{ inode: 1, candidates: [99999, 101] }]))).flat();
      expect(tables.map((t) => [t.readVia, t.text])).toEqual([[101, '1 0 0:1 / / rw - tmpfs t1 rw\n']]);
      // Every table once, in the jobs' order, also when this thread reads the first ones itself.
      const jobs = pids.map((pid, i) => ({ inode: i, candidates: [99999, pid] }));
      const all = (await Promise.all(pool.mountinfo(dir, jobs))).flat();
      expect(all).toEqual((await Promise.all(inlineReader.mountinfo(dir, jobs))).flat());
      expect(all.map((t) => t.inode)).toEqual(jobs.map((j) => j.inode));
      const started = (pool as unknown as { workers: unknown[] }).workers.length;
      expect(started).toBe(opts.ownShare && opts.alone === undefined ? 0 : opts.threads);
    } finally {
      await pool.close();
    }
  });
});

describe('ReaderPool.close', () => {
  it('ends the threads once, also when called again while it is under way (--json closes it when the reads are done, then on its way out)', async () => {
    const pool = new ReaderPool({ threads: 2 });
    const workers = [...(pool as unknown as { workers: Array<{ threadId: number }> }).workers];
    expect(workers).toHaveLength(2);
    await Promise.all([pool.close(), pool.close()]);
    expect((pool as unknown as { workers: unknown[] }).workers).toEqual([]);
    expect(workers.map((w) => w.threadId)).toEqual([-1, -1]); // a thread that has ended has no id
  });
});

describe('claimed', () => {
  it('hands every item to exactly one of the readers sharing a counter, in runs, whoever asks next', () => {
    const items = Array.from({ length: 1000 }, (_, i) => i);
    const counter = new Int32Array(new SharedArrayBuffer(4));
    const readers = [claimed(items, counter), claimed(items, counter), claimed(items, counter)];
    const got: number[][] = [[], [], []];
    const done = [false, false, false];
    // An uneven turn order: the first reader is the fastest.
    for (let turn = 0; done.includes(false); turn++) {
      const k = [0, 0, 1, 0, 2][turn % 5];
      if (done[k]) continue;
      const next = readers[k].next();
      if (next.done) done[k] = true;
      else got[k].push(next.value);
    }
    expect(got.flat().sort((a, b) => a - b)).toEqual(items);
    expect(got[0].length).toBeGreaterThan(got[1].length);
    for (const g of got) for (let i = 1; i < g.length; i++) expect(g[i]).toBeGreaterThan(g[i - 1]);
  });
});
