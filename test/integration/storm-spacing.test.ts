/**
 * In a storm only the whole reads of a table are spaced (by what they cost);
 * a mount appended to the table goes out at its wake. A live watcher in this
 * process, on a lab namespace, with a spacing so long that only that can pass.
 */
import { spawnSync } from 'node:child_process';
import { expect, it, onTestFinished } from 'vitest';
import { liveWatcher } from '../../src/watch/live.js';
import type { WatchEvent } from '../../src/watch/events.js';
import { describeRoot, startLab } from '../helpers/lab.js';

const inNs = (pid: number, argv: string[]) => expect(spawnSync('nsenter', ['-t', String(pid), '-m', '--', ...argv]).status).toBe(0);

describeRoot('a storm', () => {
  it("new mounts go out at their wake while the table's whole read waits for the storm's spacing", async () => {
    const lab = await startLab<{ ns1: { pid: number; ns: number }; X: string }>('peers');
    const { ns1, X } = lab.info;
    inNs(ns1.pid, ['mkdir', '-p', `${X}/s1`, `${X}/s2`, `${X}/s3`]);
    // Whole reads a million times as far apart as they cost: minutes, after the first.
    const live = liveWatcher({ procRoot: '/proc', pid: ns1.pid, coalesceFactor: 1e6, rescanIntervalMs: 3_600_000, mountEvents: false });
    onTestFinished(() => live.close());
    const seen: string[] = [];
    live.watcher.onBatch((evs: WatchEvent[]) => {
      for (const e of evs) if (e.type === 'mount') seen.push(e.mount.target);
    });
    await live.watcher.start();
    const until = async (target: string): Promise<void> => {
      for (let i = 0; i < 100 && !seen.includes(target); i++) await new Promise((r) => setTimeout(r, 20));
      expect(seen).toContain(target);
    };
    inNs(ns1.pid, ['mount', '-t', 'tmpfs', 's1', `${X}/s1`]);
    await until(`${X}/s1`); // the first wake: a whole read, from which appended lines are told
    inNs(ns1.pid, ['mount', '-t', 'tmpfs', 's2', `${X}/s2`]);
    await until(`${X}/s2`); // the whole read now waits: the new mount does not
    inNs(ns1.pid, ['mount', '-t', 'tmpfs', 's3', `${X}/s3`]);
    await until(`${X}/s3`); // and while it still waits
    await lab.stop();
  });
});
