import { describe, expect, it } from 'vitest';
import { parseMountinfo } from '../../src/proc/mountinfo.js';
import { MountAuthors, mountBy } from '../../src/watch/mount-authors.js';
import type { WatchEvent } from '../../src/watch/events.js';
import type { MountsReport } from '../../src/sys/poll-thread.js';
import type { RawMounter } from '../../src/sys/mounters.js';

const mount = (id: number, target = '/x') => parseMountinfo(`${id} 1 0:55 / ${target} rw shared:3 - tmpfs x rw`).mounts[0];
const STAT = (pid: number, comm: string, ppid: number) => `${pid} (${comm}) S ${ppid} ${pid} ${pid} 0 -1 4194560 0 0 0 0`;
const mounter: RawMounter = {
  pid: 4242,
  self: { pid: 4242, stat: STAT(4242, 'mount) (x', 7), cmdline: 'mount\0-t\0tmpfs\0x\0/x\0', nsLink: 'mnt:[1]' },
  chain: [{ pid: 7, stat: STAT(7, 'bash', 1), cmdline: '', nsLink: null }],
};
const report = (records: MountsReport['records'], mounters: RawMounter[] = [mounter]): MountsReport => ({ type: 'mounts', records, mounters, overflow: false, unplaced: 0, at: 0, reread: [] });

function setup() {
  let mono = 0;
  const a = new MountAuthors({ now: () => 0, mono: () => mono }, () => {});
  a.onMarks([1, 2], [], 0);
  return { a, tick: (ms: number) => (mono += ms) };
}

describe('mountBy', () => {
  it('parses the raw process (a comm with spaces and parentheses), its cmdline, its namespace and its ancestors', () => {
    expect(mountBy(mounter)).toEqual({ pid: 4242, comm: 'mount) (x', cmdline: ['mount', '-t', 'tmpfs', 'x', '/x'], ns: 1, ppid: 7, chain: [{ pid: 7, comm: 'bash' }] });
  });
  it('caught exiting (its cmdline and namespace gone, its stat not yet): those are not known, not empty', () => {
    expect(mountBy({ ...mounter, self: { ...mounter.self!, cmdline: '', nsLink: null } })).toMatchObject({ comm: 'mount) (x', cmdline: null, ns: null, ppid: 7 });
  });
  it('gone before it could be read, but its fork was seen: its parent and their ancestors', () => {
    expect(mountBy({ pid: 9, self: null, ppid: 7, chain: mounter.chain })).toEqual({ pid: 9, comm: null, cmdline: null, ns: null, ppid: 7, chain: [{ pid: 7, comm: 'bash' }] });
  });
  it('only the pid when it was gone before it could be read', () => {
    expect(mountBy({ pid: 9, self: null, chain: [] })).toEqual({ pid: 9, comm: null, cmdline: null, ns: null, ppid: null, chain: [] });
  });
});

describe('MountAuthors', () => {
  it('names a mount and its umount by the records of the same namespace, id and target; from for a copy made elsewhere', () => {
    const { a } = setup();
    a.onMounts(
      report([
        { inode: 1, id: 10, parent: 1, major: 0, minor: 55, attach: true, detach: false, pid: 4242 },
        { inode: 2, id: 20, parent: 1, major: 0, minor: 55, attach: true, detach: false, pid: 4242 },
      ]),
    );
    const events: WatchEvent[] = [
      { time: 't', type: 'mount', ns: 1, mount: mount(10) },
      { time: 't', type: 'mount', ns: 2, mount: mount(20) },
    ];
    a.decorate(events);
    expect(events.map((e) => e.type === 'mount' && [e.by?.comm, e.from])).toEqual([
      ['mount) (x', undefined],
      ['mount) (x', 1],
    ]);
    a.onMounts(report([{ inode: 1, id: 10, parent: 1, major: 0, minor: 55, attach: false, detach: true, pid: 4242 }]));
    const gone: WatchEvent[] = [{ time: 't', type: 'umount', ns: 1, mount: mount(10) }];
    a.decorate(gone);
    expect(gone[0].type === 'umount' && gone[0].by?.pid).toBe(4242);
  });
  it('a reused id on another device, a stale record, or no record: by null, never a guess; an unmarked namespace: no by at all', () => {
    const { a, tick } = setup();
    a.onMounts(
      report([
        { inode: 1, id: 10, parent: 1, major: 0, minor: 56, attach: true, detach: false, pid: 4242 },
        { inode: 1, id: 11, parent: 1, major: 0, minor: 55, attach: true, detach: false, pid: 4242 },
      ]),
    );
    tick(31_000);
    const events: WatchEvent[] = [
      { time: 't', type: 'mount', ns: 1, mount: mount(10, '/new') },
      { time: 't', type: 'mount', ns: 1, mount: mount(11) },
      { time: 't', type: 'mount', ns: 1, mount: mount(12) },
      { time: 't', type: 'mount', ns: 3, mount: mount(13) },
    ];
    a.decorate(events);
    expect(events.map((e) => (e.type === 'mount' ? e.by : 'x'))).toEqual([null, null, null, undefined]);
  });
  it('a record that comes just after its event went out is dropped, not pinned on the next mount with that id', () => {
    const { a, tick } = setup();
    const early: WatchEvent[] = [{ time: 't', type: 'mount', ns: 1, mount: mount(10) }];
    a.decorate(early);
    a.onMounts(report([{ inode: 1, id: 10, parent: 1, major: 0, minor: 55, attach: true, detach: false, pid: 4242 }]));
    const next: WatchEvent[] = [{ time: 't', type: 'mount', ns: 1, mount: mount(10) }];
    a.decorate(next);
    expect(next[0].type === 'mount' && next[0].by).toBeNull();
    // A record long after a miss is a new mount's: it counts.
    a.decorate([{ time: 't', type: 'mount', ns: 1, mount: mount(11) }]);
    tick(5_000);
    a.onMounts(report([{ inode: 1, id: 11, parent: 1, major: 0, minor: 55, attach: true, detach: false, pid: 4242 }]));
    const later: WatchEvent[] = [{ time: 't', type: 'mount', ns: 1, mount: mount(11) }];
    a.decorate(later);
    expect(later[0].type === 'mount' && later[0].by?.pid).toBe(4242);
  });
});
