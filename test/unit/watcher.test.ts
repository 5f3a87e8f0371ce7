/**
 * The watcher's bookkeeping on a fake procfs (a mountinfo file it re-reads at
 * position 0, as it does the real one) with a snapshot function the test controls.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Snapshot } from '../../src/model/types.js';
import type { EventLine } from '../helpers/watch.js';
import { aNamespace, aProcess, fakeProcess } from '../helpers/model.js';
import { Watcher } from '../../src/watch/watcher.js';
import { attachFindings, takeSnapshot } from '../../src/discover/snapshot.js';
import { linkPeerGroups, sortedGroups } from '../../src/model/peer-groups.js';
import type { PollerHandlers } from '../../src/sys/mountinfo-poller.js';

const ROOT = '1 0 8:1 / / rw - ext4 /dev/a rw';
const B = '2 1 0:40 / /b rw - tmpfs b rw';

let dir = '';
afterEach(() => rmSync(dir, { recursive: true, force: true }));

function snapshotOf(table: string): Snapshot {
  const ns = aNamespace(7, [aProcess(100, 7, ['init'])], table);
  return { version: 1, time: '', namespaces: [ns], peerGroups: [], errors: [] };
}

/**
 * A watcher over a fake procfs whose pid 100 has `table` as its mountinfo; the
 * snapshot is `snap()` (the table by default). Returns the file to rewrite and
 * the events so far.
 */
async function watchTable(table: string, snap: () => Snapshot = () => snapshotOf(table), trace?: (m: string) => void) {
  dir = mkdtempSync(`${tmpdir()}/mntns-watcher.`);
  mkdirSync(`${dir}/100`);
  const file = `${dir}/100/mountinfo`;
  writeFileSync(file, table);
  const w = new Watcher({ takeSnapshot: async () => snap(), poller: () => ({ setTables: () => {}, close: async () => {} }) }, { procRoot: dir, processIntervalMs: 1e9, rescanIntervalMs: 1e9, trace });
  const events: EventLine[] = [];
  w.onBatch((e) => events.push(...e));
  await w.start();
  return { w, file, events };
}

describe('Watcher', () => {
  // ~1.3 MB either way, so read in two chunks of at most 1 MiB: 12,000 mounts go
  // off the main thread (table.slow()), 1,200 with long paths are read in place.
  it.each([
    [12_000, 80],
    [1_200, 1_050],
  ])('re-reads a table bigger than one read (%i mounts): a change in its second megabyte, a shorter table, no change', async (count, pathLength) => {
    const lines = [ROOT, ...Array.from({ length: count }, (_, i) => `${i + 10} 1 0:${i + 50} / /srv/${'x'.repeat(pathLength)}/m${i} rw shared:${i + 1} - tmpfs t rw`)];
    const text = (ls: string[]) => `${ls.join('\n')}\n`;
    const { w, file, events } = await watchTable(text(lines));
    const seen = () => events.splice(0).map((e) => `${e.type} ${e.mount?.target.split('/').pop()} ${e.mount?.propagation.shared ?? ''}`);
    // A table this big is read off the main thread (table.slow()): wait for each read.
    const reread = async (): Promise<string[]> => {
      w.reread();
      await vi.waitFor(() => expect(w.reading().size).toBe(0));
      return seen();
    };
    try {
      expect(await reread()).toEqual([]); // the first read since start: same table, nothing to say
      const changed = [...lines];
      changed[count - 10] = changed[count - 10].replace(/shared:\d+/, 'shared:99999');
      writeFileSync(file, text(changed));
      expect(await reread()).toEqual([`change m${count - 11} 99999`]);
      writeFileSync(file, text(changed.slice(0, -1)));
      expect(await reread()).toEqual([`umount m${count - 1} ${count}`]);
      expect(await reread()).toEqual([]);
    } finally {
      await w.stop();
    }
  });

  it('a full rescan whose snapshot is older than the live table neither reports old news nor keeps it', async () => {
    let snap = snapshotOf(`${ROOT}\n${B}\n`);
    const { w, file: table, events } = await watchTable(`${ROOT}\n${B}\n`, () => snap);
    try {
      // /b goes away and the watcher sees it (a POLLPRI wake or a rescan).
      writeFileSync(table, `${ROOT}\n`);
      w.reread();
      expect(events.map((e) => `${e.type} ${e.mount?.target}`)).toEqual(['umount /b']);
      // A full rescan whose snapshot was read before /b went away.
      events.length = 0;
      snap = snapshotOf(`${ROOT}\n${B}\n`);
      await w.rediscover();
      expect(events.filter((e) => e.mount)).toEqual([]);
      expect(w.snapshot().namespaces[0].mounts.map((m) => m.target)).toEqual(['/']);
      // And what changes after it is still reported.
      writeFileSync(table, `${ROOT}\n${B}\n`);
      w.reread();
      expect(events.map((e) => `${e.type} ${e.mount?.target}`)).toEqual(['mount /b']);
    } finally {
      await w.stop();
    }
  });

  it('a torn read showing an unmounted mount beside the one that reused its id: the umount is still reported', async () => {
    const at = (id: number, name: string) => `${id} 1 0:40 / /lab/${name} rw - tmpfs t rw`;
    const { w, file: table, events } = await watchTable(`${ROOT}\n${at(64, 'c60')}\n`);
    const seen = () => events.splice(0).map((e) => `${e.type} ${e.mount?.target}`);
    try {
      // What the kernel hands out when c60 goes and final0 takes id 64 between two reads.
      writeFileSync(table, `${ROOT}\n${at(64, 'c60')}\n${at(64, 'final0')}\n`);
      w.reread();
      expect(seen()).toEqual(['umount /lab/c60', 'mount /lab/final0']);
      writeFileSync(table, `${ROOT}\n${at(64, 'final0')}\n${at(65, 'final1')}\n`);
      w.reread();
      expect(seen()).toEqual(['mount /lab/final1']);
      expect(w.snapshot().namespaces[0].mounts.map((m) => m.target)).toEqual(['/', '/lab/final0', '/lab/final1']);
    } finally {
      await w.stop();
    }
  });

  it('shares unchanged mounts between tables: a mount stacked on /b is a mount plus a hidden change, and older snapshots keep their view', async () => {
    const C = '3 1 0:41 / /c rw - tmpfs c rw';
    const onB = '4 2 0:42 / /b rw - tmpfs b2 rw';
    const { w, file: table, events } = await watchTable(`${ROOT}\n${B}\n${C}\n`);
    const seen = () => events.splice(0).map((e) => `${e.type} ${e.mount?.target} hidden=${e.mount?.hidden}${e.before ? ` was ${e.before.hidden}` : ''}`);
    const view = (snap: Snapshot) => snap.namespaces[0].mounts.map((m) => `${m.target}${m.hidden ? ' (hidden)' : ''}`);
    try {
      w.reread(); // the first read: its own objects from now on
      expect(seen()).toEqual([]);
      const before = w.snapshot();
      writeFileSync(table, `${ROOT}\n${B}\n${C}\n${onB}\n`);
      w.reread();
      expect(seen()).toEqual(['mount /b hidden=false', 'change /b hidden=true was false']);
      expect(view(w.snapshot())).toEqual(['/', '/b (hidden)', '/c', '/b']);
      expect(view(before)).toEqual(['/', '/b', '/c']);
      // An umount in the middle of the table, then the stacked one goes.
      writeFileSync(table, `${ROOT}\n${B}\n${onB}\n`);
      w.reread();
      expect(seen()).toEqual(['umount /c hidden=false']);
      writeFileSync(table, `${ROOT}\n${B}\n`);
      w.reread();
      expect(seen()).toEqual(['umount /b hidden=false', 'change /b hidden=false was true']);
      expect(view(w.snapshot())).toEqual(['/', '/b']);
    } finally {
      await w.stop();
    }
  });

  it('the first re-read after start, a second in, skips a table over 5,000 mounts (its read would freeze the screen)', async () => {
    const big = [ROOT, ...Array.from({ length: 6_000 }, (_, i) => `${i + 10} 1 0:${i + 50} / /srv/m${i} rw - tmpfs t rw`)];
    for (const [lines, want] of [
      [big, 're-read 0 of 1 table(s)'],
      [[ROOT, B], 're-read 1 of 1 table(s)'],
    ] as const) {
      const text = `${lines.join('\n')}\n`;
      const traced: string[] = [];
      // The watcher's clock is faked: the second after start passes at once.
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval'] });
      const { w } = await watchTable(text, undefined, (m) => traced.push(m));
      try {
        await vi.advanceTimersByTimeAsync(999);
        expect(traced.filter((m) => m.startsWith('re-read'))).toEqual([]);
        await vi.advanceTimersByTimeAsync(1);
        await vi.waitFor(() => expect(traced.find((m) => m.startsWith('re-read'))).toContain(want));
      } finally {
        vi.useRealTimers();
        await w.stop();
        rmSync(dir, { recursive: true, force: true });
      }
    }
  });
});

describe('Watcher at start', () => {
  it('holds process events that arrive during the first scan until its snapshot is our state (no partial first state)', async () => {
    dir = mkdtempSync(`${tmpdir()}/mntns-watcher.`);
    const table = `${ROOT}\n${B}\n`;
    for (const pid of [100, 300]) fakeProcess(dir, pid, 7, table);
    let release!: () => void;
    const slow = new Promise<void>((r) => (release = r));
    let handlers!: PollerHandlers;
    const w = new Watcher(
      {
        // The snapshot was taken before pid 300 forked; it arrives later, as on a big host.
        takeSnapshot: async () => (await slow, snapshotOf(table)),
        poller: (h) => ((handlers = h), { setTables: () => {}, close: async () => {} }),
      },
      { procRoot: dir, processIntervalMs: 1e9, rescanIntervalMs: 1e9, trace: (m) => m.startsWith('process events held') && deferred++ },
    );
    let deferred = 0;
    const events: EventLine[] = [];
    w.onBatch((e) => events.push(...e));
    const started = w.start();
    try {
      handlers.onProcs!({ forked: [300], execd: [], exited: [], overrun: false });
      // Past the 50 ms for which process events are gathered (twice: a deferral re-arms it).
      await vi.waitFor(() => expect(deferred).toBeGreaterThan(0));
      expect(events).toEqual([]);
      release();
      const first = await started;
      expect(first.namespaces.map((n) => [n.inode, n.processes.map((p) => p.pid)])).toEqual([[7, [100]]]);
      await vi.waitFor(() => expect(events.map((e) => `${e.type} ${e.pid ?? ''}`)).toEqual(['process-added 300']));
      expect(w.snapshot().namespaces.map((n) => [n.inode, n.processes.map((p) => p.pid)])).toEqual([[7, [100, 300]]]);
    } finally {
      release();
      await started.catch(() => {});
      await w.stop();
    }
  });
});

describe('Watcher and slow tables', () => {
  it("reads a big table off the main thread: nothing is emitted in the wake's own turn, the table is marked reading, then its events come", async () => {
    const lines = [ROOT, ...Array.from({ length: 3_000 }, (_, i) => `${i + 10} 1 0:${i + 50} / /srv/m${i} rw - tmpfs t rw`)];
    const { w, file, events } = await watchTable(`${lines.join('\n')}\n`);
    const marks: number[][] = [];
    w.onReading((s) => marks.push([...s]));
    try {
      writeFileSync(file, `${lines.slice(0, -1).join('\n')}\n`);
      w.reread();
      // Synchronously: no events yet, the read is under way elsewhere.
      expect(events).toEqual([]);
      expect([...w.reading()]).toEqual([7]);
      await vi.waitFor(() => expect(events.map((e) => `${e.type} ${e.mount?.target}`)).toEqual(['umount /srv/m2999']));
      expect([...w.reading()]).toEqual([]);
      expect(marks).toEqual([[7], []]);
    } finally {
      await w.stop();
    }
  });
  it("keeps the first snapshot's peer groups and findings while its tables are the ones followed, and links afresh once one changes", async () => {
    // Two namespaces whose /x is in one peer group: a leak, found by discovery.
    dir = mkdtempSync(`${tmpdir()}/mntns-watcher.`);
    const table = (x: string) => `${ROOT}\n${x}\n`;
    fakeProcess(dir, 100, 4026532001, table('2 1 0:40 / /x rw shared:5 - tmpfs x rw'));
    fakeProcess(dir, 200, 4026532002, table('3 1 0:40 / /x rw shared:5 - tmpfs x rw'));
    const first = await takeSnapshot({ procRoot: dir, fdScan: 'never' });
    const w = new Watcher({ takeSnapshot: async () => first, poller: () => ({ setTables: () => {}, close: async () => {} }) }, { procRoot: dir, processIntervalMs: 1e9, rescanIntervalMs: 1e9 });
    /** What linking the watcher's tables afresh gives. */
    const fresh = (s: Snapshot) => {
      const copies = s.namespaces.map((n) => ({ ...n, findings: [] }));
      const index = linkPeerGroups(copies);
      attachFindings(copies, index);
      return { peerGroups: sortedGroups(index), findings: copies.map((n) => n.findings) };
    };
    try {
      await w.start();
      const s = w.snapshot();
      expect(s.peerGroups).toBe(first.peerGroups); // kept, not linked again
      s.namespaces.forEach((n, i) => expect(n.findings).toBe(first.namespaces[i].findings));
      expect({ peerGroups: s.peerGroups, findings: s.namespaces.map((n) => n.findings) }).toEqual(fresh(s));
      expect(s.namespaces[0].findings.map((f) => f.code)).toContain('mount-leak');
      // /x made private in the second namespace: no leak left, in either.
      writeFileSync(`${dir}/200/mountinfo`, table('3 1 0:40 / /x rw - tmpfs x rw'));
      w.reread();
      const after = w.snapshot();
      expect(after.peerGroups).not.toBe(first.peerGroups);
      expect({ peerGroups: after.peerGroups, findings: after.namespaces.map((n) => n.findings) }).toEqual(fresh(after));
      expect(after.namespaces.flatMap((n) => n.findings.map((f) => f.code))).not.toContain('mount-leak');
    } finally {
      await w.stop();
    }
  });
});
