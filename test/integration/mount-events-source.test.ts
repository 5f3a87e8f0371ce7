/**
 * The kernel's mount events as the change source: in a namespace with a mark,
 * mounts, umounts, stacking and lazy umounts of a subtree come into the table
 * from the events (the appended lines, mounts taken out by identity) with no
 * whole read of the table; what has no event (a remount, a move) is found by
 * a whole read. After every step the table must be the kernel's: each mount's
 * id, target, propagation and hidden flag as a fresh read of mountinfo says.
 * A live watcher in this process, on a lab namespace.
 */
import { readFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { expect, it, onTestFinished, vi } from 'vitest';
import { liveWatcher } from '../../src/watch/live.js';
import { FollowedTable } from '../../src/watch/table.js';
import type { WatchEvent } from '../../src/watch/events.js';
import { parseMountinfoBytes } from '../../src/proc/mountinfo.js';
import { buildMountTree, hiddenIds } from '../../src/model/mount-tree.js';
import type { Mount } from '../../src/model/types.js';
import { describeRoot, startLab } from '../helpers/lab.js';

const inNs = (pid: number, argv: string[]) => expect(spawnSync('nsenter', ['-t', String(pid), '-m', '--', ...argv], { encoding: 'utf8' }).stderr).toBe('');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const shape = (m: Mount) => `${m.id} ${m.parent} ${m.target} ${m.propagation.shared ?? '-'}:${m.propagation.master ?? '-'} ${m.options} ${m.hidden ? 'hidden' : ''}`;

/** The namespace's mounts as a fresh read of the kernel's table gives them, with the tree's hidden flags. */
function kernelTable(pid: number): string[] {
  const { mounts } = parseMountinfoBytes(readFileSync(`/proc/${pid}/mountinfo`, 'latin1'));
  const hidden = hiddenIds(buildMountTree(mounts));
  return mounts.map((m) => shape({ ...m, hidden: hidden.has(m.id) }));
}

describeRoot('mount events as the change source', () => {
  it('mounts, umounts, stacks and lazy umounts come from the events with no whole read; remounts and moves from a whole read; the table is always the kernel’s', async () => {
    const lab = await startLab<{ ns1: { pid: number; ns: number }; X: string; Z: string }>('peers');
    const { ns1, X } = lab.info;
    inNs(ns1.pid, ['mkdir', '-p', `${X}/warm`, `${X}/a`, `${X}/m1`, `${X}/m2`]);
    const whole = vi.spyOn(FollowedTable.prototype, 'readWhole');
    const wholeOff = vi.spyOn(FollowedTable.prototype, 'readWholeOffThread');
    onTestFinished(() => {
      vi.restoreAllMocks();
    });
    const trace: string[] = [];
    const errors: string[] = [];
    const live = liveWatcher({ procRoot: '/proc', pid: ns1.pid, rescanIntervalMs: 3_600_000, trace: (m) => trace.push(m), onError: (m) => errors.push(m) });
    onTestFinished(() => live.close());
    const events: WatchEvent[] = [];
    live.watcher.onBatch((evs: WatchEvent[]) => events.push(...evs));
    await live.watcher.start();
    const table = () =>
      live.watcher
        .snapshot()
        .namespaces.find((n) => n.inode === ns1.ns)!
        .mounts.map(shape);
    /** Waits until the watcher's table is the kernel's (or a second has passed), then says whether it is. */
    const settled = async () => {
      for (let i = 0; i < 100 && table().join('\n') !== kernelTable(ns1.pid).join('\n'); i++) await sleep(10);
      expect(table()).toEqual(kernelTable(ns1.pid));
    };
    const reads = () => whole.mock.calls.length + wholeOff.mock.calls.length;
    // Our own first read of the table (a second after start) is what events apply to.
    for (let i = 0; i < 300 && reads() === 0; i++) await sleep(10);
    inNs(ns1.pid, ['mount', '-t', 'tmpfs', 'warm', `${X}/warm`]);
    await settled();
    expect(errors).toEqual([]);
    const before = reads();
    const steps: Array<[string, string[]]> = [
      ['mount', ['mount', '-t', 'tmpfs', 'a', `${X}/a`]],
      ['a child', ['sh', '-c', `mkdir ${X}/a/b && mount -t tmpfs b ${X}/a/b`]],
      ['stacked on a (a and its child now hidden)', ['mount', '-t', 'tmpfs', 'top', `${X}/a`]],
      ['the stack taken off (in view again)', ['umount', `${X}/a`]],
      ['a lazy umount of a and its child', ['umount', '-l', `${X}/a`]],
      ['two at once', ['sh', '-c', `mount -t tmpfs m1 ${X}/m1 && mount -t tmpfs m2 ${X}/m2`]],
      ['two umounts at once', ['umount', `${X}/m1`, `${X}/m2`]],
    ];
    for (const [, argv] of steps) {
      inNs(ns1.pid, argv);
      await settled();
    }
    expect(reads() - before).toBe(0);
    expect(trace.filter((t) => t.includes('from') && t.includes('mount event(s)')).length).toBeGreaterThanOrEqual(steps.length);
    // The copies propagated to Z (a peer of X in the same namespace) came in too, each with its own event.
    const mounted = events.flatMap((e) => (e.type === 'mount' ? [e.mount.target] : []));
    expect(mounted).toEqual(expect.arrayContaining([`${X}/a`, `${lab.info.Z}/a`, `${X}/a/b`, `${lab.info.Z}/a/b`, `${X}/m1`, `${X}/m2`]));
    // Still named: by mount(8), or by its pid when it was gone before it could be read.
    for (const e of events) if (e.type === 'mount' && e.mount.target === `${X}/a`) expect(e.by && e.by.pid > 0 && [null, 'mount'].includes(e.by.comm)).toBe(true);
    // No event for these: the wake without one is read whole.
    inNs(ns1.pid, ['mount', '-o', 'remount,ro', `${X}/warm`]);
    await settled();
    expect(reads() - before).toBeGreaterThan(0);
    const afterRemount = reads();
    // A move needs a parent that is not shared; a propagation change wakes no one (re-read, as after mntns's own actions).
    inNs(ns1.pid, ['sh', '-c', `mkdir -p ${X}/p && mount -t tmpfs p ${X}/p && mount --make-private ${X}/p && mkdir ${X}/p/src ${X}/p/dst && mount -t tmpfs s ${X}/p/src`]);
    live.watcher.reread();
    await settled();
    const beforeMove = reads();
    inNs(ns1.pid, ['mount', '--move', `${X}/p/src`, `${X}/p/dst`]);
    await settled();
    expect(reads()).toBeGreaterThan(beforeMove);
    expect(afterRemount).toBeGreaterThan(before);
    expect(events.some((e) => e.type === 'change' && e.mount.target === `${X}/warm` && e.mount.options.startsWith('ro'))).toBe(true);
    await lab.stop();
  });
});
