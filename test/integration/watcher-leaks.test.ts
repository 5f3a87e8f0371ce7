/**
 * A live watcher in this very process, on the real /proc: after stop() it has
 * left nothing open — no mountinfo fd, eventfd or netlink socket, no thread,
 * no timer or handle keeping the process alive.
 */
import { readdirSync, readlinkSync } from 'node:fs';
import { expect, it } from 'vitest';
import { liveWatcher } from '../../src/watch/live.js';
import { readMountinfoOfNamespace } from '../../src/sys/ns-worker.js';
import { describeRoot, startLab } from '../helpers/lab.js';

const fds = (): Map<string, string> => {
  const out = new Map<string, string>();
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      out.set(fd, readlinkSync(`/proc/self/fd/${fd}`));
    } catch {
      /* the fd readdir itself used */
    }
  }
  return out;
};
const threads = (): number => readdirSync('/proc/self/task').length;

describeRoot('Watcher.stop()', () => {
  it('leaves no fd, socket, thread or active handle behind', async () => {
    const lab = await startLab('peers');
    // Settle what the process itself has open (vitest's own pipes, the lab's stdio).
    await new Promise((r) => setTimeout(r, 200));
    const beforeFds = fds();
    const beforeThreads = threads();
    const beforeHandles = process
      .getActiveResourcesInfo()
      .filter((r) => r !== 'TTYWrap')
      .sort();
    const live = liveWatcher({ procRoot: '/proc' });
    await live.watcher.start();
    const during = fds();
    // It really opened things: tables, the eventfd, the proc connector.
    expect([...during.values()].filter((l) => l.startsWith('anon_inode:[eventfd]') || l.startsWith('socket:')).length).toBeGreaterThan(
      [...beforeFds.values()].filter((l) => l.startsWith('anon_inode:[eventfd]') || l.startsWith('socket:')).length,
    );
    expect(live.watcher.snapshot().namespaces.some((n) => n.inode === lab.info.ns1.ns)).toBe(true);
    await live.close();
    // Worker threads end a moment after their exit event.
    for (let i = 0; i < 50 && threads() > beforeThreads; i++) await new Promise((r) => setTimeout(r, 20));
    const left = [...fds()].filter(([fd, link]) => beforeFds.get(fd) !== link).map(([fd, link]) => `${fd} -> ${link}`);
    expect(left).toEqual([]);
    expect(threads()).toBeLessThanOrEqual(beforeThreads);
    expect(
      process
        .getActiveResourcesInfo()
        .filter((r) => r !== 'TTYWrap')
        .sort(),
    ).toEqual(beforeHandles);
  });
});

describeRoot('the namespace worker thread', () => {
  it('closes every fd it opened for a job (they belong to the whole process)', async () => {
    const lab = await startLab('peers');
    const before = fds();
    const beforeThreads = threads();
    for (let i = 0; i < 5; i++) expect(readMountinfoOfNamespace(`/proc/${lab.info.ns1.pid}/ns/mnt`)).toContain(lab.info.X);
    // Each job's thread (and its event loop's own fds) goes a moment after it answered.
    for (let i = 0; i < 100 && threads() > beforeThreads; i++) await new Promise((r) => setTimeout(r, 20));
    const left = [...fds()].filter(([fd, link]) => before.get(fd) !== link).map(([fd, link]) => `${fd} -> ${link}`);
    expect(left).toEqual([]);
  });
});
