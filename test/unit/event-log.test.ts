import { describe, expect, it } from 'vitest';
import { parseMountinfo } from '../../src/proc/mountinfo.js';
import { filterEntries, logEntries } from '../../src/ui/event-log.js';
import type { WatchEvent } from '../../src/watch/events.js';

const m = (id: number) => parseMountinfo(`${id} 1 0:55 / /shared/x rw shared:3 - tmpfs x rw`).mounts[0];

describe('logEntries', () => {
  it('groups one mount arriving in several namespaces in one batch', () => {
    const t = '2026-11-23T01:00:00.000Z';
    const events: WatchEvent[] = [
      { time: t, type: 'mount', ns: 1, mount: m(10) },
      { time: t, type: 'mount', ns: 2, mount: m(20) },
      { time: t, type: 'process-added', ns: 2, pid: 5, comm: 'sh' },
      { time: '2026-11-23T01:00:01.000Z', type: 'umount', ns: 1, mount: m(10) },
    ];
    expect(logEntries(events, 10).map((e) => [e.type, e.namespaces, e.subject])).toEqual([
      ['mount', [1, 2], '/shared/x'],
      ['process-added', [2], '5 sh'],
      ['umount', [1], '/shared/x'],
    ]);
  });
  it('keeps only the newest entries', () => {
    const events: WatchEvent[] = Array.from({ length: 50 }, (_, i) => ({ time: `t${i}`, type: 'process-added', ns: 1, pid: i }));
    expect(logEntries(events, 3).map((e) => e.subject.trim())).toEqual(['47', '48', '49']);
  });
  it('a change says what changed: propagation old → new, options old → new', () => {
    const before = m(10);
    const privat = parseMountinfo('10 1 0:55 / /shared/x ro - tmpfs x rw').mounts[0];
    const events: WatchEvent[] = [{ time: 't', type: 'change', ns: 1, mount: privat, before }];
    expect(logEntries(events, 5)[0].detail).toBe('shared:3 → private, options rw → ro');
  });
});

describe('who made a mount, in the log', () => {
  const by = {
    pid: 4242,
    comm: 'mount',
    cmdline: ['mount', '-t', 'tmpfs'],
    ns: 1,
    ppid: 7,
    chain: [
      { pid: 7, comm: 'bash' },
      { pid: 1, comm: 'systemd' },
    ],
  };
  it('names the mounter and its ancestors (its comm, or only its pid when it was gone), nothing when not known', () => {
    const events: WatchEvent[] = [
      { time: 'a', type: 'mount', ns: 1, mount: m(10), by },
      { time: 'b', type: 'umount', ns: 1, mount: m(10), by: { ...by, comm: null, chain: [] } },
      { time: 'c', type: 'mount', ns: 1, mount: m(11), by: null },
      { time: 'd', type: 'mount', ns: 1, mount: m(12) },
    ];
    expect(logEntries(events, 5).map((e) => e.who)).toEqual(['by mount (pid 4242) ← bash ← systemd', 'by pid 4242', '', '']);
    // Gone before it could be read, its fork seen: who it came from.
    expect(logEntries([{ time: 'e', type: 'mount', ns: 1, mount: m(13), by: { ...by, comm: null, cmdline: null, ns: null } }], 5)[0].who).toBe('by pid 4242 ← bash ← systemd');
  });
  it('one line for a mount and its propagated copy says who, not "made in" (the origin is among its namespaces)', () => {
    const t = 'same';
    const events: WatchEvent[] = [
      { time: t, type: 'mount', ns: 2, mount: m(20), by, from: 1 },
      { time: t, type: 'mount', ns: 1, mount: m(10), by },
    ];
    expect(logEntries(events, 5).map((e) => [e.namespaces, e.who])).toEqual([[[2, 1], 'by mount (pid 4242) ← bash ← systemd']]);
    // Only the copy seen (its origin not followed): where it was made.
    expect(logEntries(events.slice(0, 1), 5)[0].who).toBe('by mount (pid 4242) ← bash ← systemd, made in mnt:[1]');
  });
  it('copies read a moment apart (one from its mount events, one by a whole read) are one line; the same mount seconds later is another', () => {
    const at = (ms: number) => new Date(Date.UTC(2026, 11, 1, 12, 0, 0) + ms).toISOString();
    const events: WatchEvent[] = [
      { time: at(0), type: 'mount', ns: 1, mount: m(10), by },
      { time: at(300), type: 'mount', ns: 2, mount: m(20), by, from: 1 },
      { time: at(3000), type: 'mount', ns: 3, mount: m(30), by, from: 1 },
    ];
    expect(logEntries(events, 5).map((e) => e.namespaces)).toEqual([[1, 2], [3]]);
  });
});

describe('filterEntries', () => {
  const by = { pid: 4242, comm: 'runc', cmdline: ['runc'], ns: 1, ppid: 1, chain: [] };
  const events: WatchEvent[] = [
    { time: 'a', type: 'mount', ns: 1, mount: m(10), by },
    { time: 'b', type: 'umount', ns: 2, mount: parseMountinfo('11 1 0:56 / /srv/data rw - tmpfs y rw').mounts[0] },
    { time: 'c', type: 'process-added', ns: 2, pid: 77, comm: 'Nginx' },
  ];
  const entries = logEntries(events, 10);
  const label = (i: number) => `mnt:[${i}] ${i === 2 ? 'nginx' : 'init'}`;
  const subjects = (q: string) => filterEntries(entries, q, label).map((e) => e.subject);
  it('matches type, namespace (inode or its label), path, pid and who; every word; smartcase', () => {
    expect(subjects('')).toEqual(['/shared/x', '/srv/data', '77 Nginx']);
    expect(subjects('umount')).toEqual(['/srv/data']);
    expect(subjects('mnt:[2]')).toEqual(['/srv/data', '77 Nginx']);
    expect(subjects('/srv')).toEqual(['/srv/data']);
    expect(subjects('4242')).toEqual(['/shared/x']);
    expect(subjects('runc mount')).toEqual(['/shared/x']);
    expect(subjects('nginx')).toEqual(['/srv/data', '77 Nginx']);
    expect(subjects('Nginx')).toEqual(['77 Nginx']);
  });
});
